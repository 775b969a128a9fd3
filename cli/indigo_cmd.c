/* indigo_cmd.c -- the commands of the INDIGO impact bond record:
 *
 *   sibsim import indigo RECORD [--lenient] [-o scenario.json]   a JSON record
 *   sibsim import indigo CSV_DIR_OR_FILE --id INDIGO-POJ-0001 [-o ...]
 *   sibsim calibrate [SCENARIO] [--paths N] [--seed S] [-o FILE]
 *
 * import maps the record (model/indigo.c), checks that the scenario it
 * made loads and compiles, writes it through the one safe writer and
 * reports what it used, skipped and could not reconcile. calibrate runs a
 * scenario (sim/calibrate.c) and sets its payments over the cap, investor
 * repayment and duration beside the record's figures (model/priors.c).
 */
#include "indigo_cmd.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../model/file.h"
#include "../model/indigo.h"
#include "../model/priors.h"
#include "../model/scenario.h"
#include "../present/format.h"
#include "../sim/calibrate.h"
#include "../sim/engine.h"
#include "output.h"

enum { EXIT_RUN = 1, EXIT_INPUT = 2 };

/* A share's standard error as a table shows it, "±0.3%", or "± n/a" when
 * it is undefined (a run of one future). */
static const char *share_se(char *buf, size_t size, double se) {
    if (isnan(se)) snprintf(buf, size, "%s", "\u00b1 n/a");
    else snprintf(buf, size, "\u00b1%.1f%%", 100 * se);
    return buf;
}

static void print_error(const sib_error *err) {
    char buf[1200];
    fprintf(stderr, "%s\n", sib_error_format(err, buf, sizeof buf));
}

/* Whether path is read as the CSV export: a directory, or a .csv file. */
static int is_csv(const char *path) {
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) return 1;
    size_t n = strlen(path);
    return n > 4 && strcmp(path + n - 4, ".csv") == 0;
}

/* Whether out names a table of the CSV export at record (a directory, or
 * one of its .csv files): original_projects.csv or original_projects_*.csv
 * in the export's directory, which the import reads -- writing the
 * scenario there would destroy one (options_check_outputs sees only the
 * record named itself). The name is the one a write to out lands on; the
 * place, by sib_file_same, whether that table exists or not. */
static int out_is_export_table(const char *record, const char *out) {
    char dir[4096], table[8400];
    struct stat sb;
    const char *slash = strrchr(record, '/');
    if (stat(record, &sb) == 0 && S_ISDIR(sb.st_mode))
        snprintf(dir, sizeof dir, "%s", record);
    else
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - record) : 1, slash ? record : ".");
    char *target = sib_file_target(out);
    if (target == NULL) return 0;
    const char *name = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
    const size_t n = strlen(name);
    int same = strncmp(name, "original_projects", 17) == 0 && n > 4 &&
               strcmp(name + n - 4, ".csv") == 0;
    if (same) {
        snprintf(table, sizeof table, "%s/%s", dir, name);
        same = sib_file_same(target, table);
    }
    free(target);
    return same;
}

/* Whether the note's pointer was printed already (a field read twice). */
static int seen_before(const indigo_import *imp, size_t i) {
    for (size_t j = 0; j < i; j++)
        if (imp->notes[j].kind == imp->notes[i].kind &&
            strcmp(imp->notes[j].pointer, imp->notes[i].pointer) == 0 &&
            strcmp(imp->notes[j].text, imp->notes[i].text) == 0)
            return 1;
    return 0;
}

static size_t print_notes(FILE *f, const indigo_import *imp, indigo_note_kind kind,
                          const char *heading) {
    size_t n = 0;
    for (size_t i = 0; i < imp->n_notes; i++)
        n += imp->notes[i].kind == kind && !seen_before(imp, i);
    if (n == 0) return 0;
    fprintf(f, "  %s (%zu):\n", heading, n);
    for (size_t i = 0; i < imp->n_notes; i++) {
        const indigo_note *nt = &imp->notes[i];
        if (nt->kind != kind || seen_before(imp, i)) continue;
        if (kind == INDIGO_USED)
            fprintf(f, "    %s\n", nt->pointer);
        else
            fprintf(f, "    %s%s%s\n", nt->pointer, nt->pointer[0] ? ": " : "", nt->text);
    }
    return n;
}

/* Load and compile the imported text as `validate` would. Returns the
 * scenario (the caller frees it), or NULL after a message: a scenario the
 * importer made that does not load is its defect. */
static scenario *check_import(const char *text, const char *shown) {
    sib_error err;
    scenario *sc = scenario_load_string(text, shown, &err);
    if (sc == NULL) {
        fprintf(stderr, "sibsim: import: the scenario made from the record does not load "
                        "(a defect of the importer; please report it):\n");
        print_error(&err);
        return NULL;
    }
    sib_error_clear(&err);
    engine *e = engine_new(sc, &err);
    if (e == NULL) {
        fprintf(stderr, "sibsim: import: the scenario made from the record does not compile:\n");
        print_error(&err);
        scenario_free(sc);
        return NULL;
    }
    engine_free(e);
    return sc;
}

int cmd_import(const run_opts *o) {
    if (o->n_files != 2 || strcmp(o->files[0], "indigo") != 0) {
        fprintf(stderr, "sibsim: import: expected 'import indigo RECORD' (RECORD: an INDIGO "
                        "project as JSON, or the CSV export with --id)\nTry 'sibsim help "
                        "import'.\n");
        return EXIT_INPUT;
    }
    const char *record = o->files[1];
    int csv = is_csv(record);
    if (csv && o->id == NULL) {
        fprintf(stderr,
                "sibsim: import: %s is the CSV export: name the project with --id (e.g. "
                "--id INDIGO-POJ-0001)\n",
                record);
        return EXIT_INPUT;
    }
    if (!csv && o->id != NULL) {
        fprintf(stderr,
                "sibsim: import: --id is for the CSV export (a directory or a .csv "
                "file); %s is read as one JSON record\n",
                record);
        return EXIT_INPUT;
    }
    if (csv && o->out && out_is_export_table(record, o->out)) {
        fprintf(stderr,
                "sibsim: import: --out '%s' is a table of the CSV export being read: it would "
                "be overwritten (write elsewhere)\n",
                o->out);
        return EXIT_INPUT;
    }
    indigo_import *imp = NULL;
    sib_error err;
    char *text = NULL;
    int rc;
    indigo_options opt = {.provenance = 1, .lenient = o->lenient};
    if (csv) {
        rc = indigo_import_csv(record, o->id, &opt, &imp, &err);
    } else {
        text = sib_file_read(record, &err);
        rc = text ? indigo_import_record(text, record, &opt, &imp, &err) : err.code;
    }
    if (rc != SIB_OK) {
        print_error(&err);
        free(text);
        return rc == SIB_ENOMEM ? EXIT_RUN : EXIT_INPUT;
    }
    const char *shown = o->out ? o->out : "<imported scenario>";
    scenario *sc = check_import(imp->scenario, shown);
    free(text);
    if (sc == NULL) {
        indigo_import_free(imp);
        return EXIT_RUN;
    }
    /* The scenario: to --out through the safe writer, or to stdout. */
    if (output_emit(o->out, imp->scenario, strlen(imp->scenario)) != 0) {
        scenario_free(sc);
        indigo_import_free(imp);
        return EXIT_RUN;
    }
    /* The report: on stdout when the scenario went to a file, else stderr. */
    FILE *f = o->out ? stdout : stderr;
    fprintf(f, "import indigo: %s%s%s%s -> %s\n", imp->name, imp->id[0] ? " (" : "", imp->id,
            imp->id[0] ? ")" : "", o->out ? o->out : "standard output");
    fprintf(f, "  scenario fields: %zu from the record, %zu inferred from it, %zu assumed%s\n",
            imp->n_sourced, imp->n_inferred, imp->n_assumed,
            imp->mostly_assumed ? " -- MOSTLY ASSUMED: a sparse record" : "");
    print_notes(f, imp, INDIGO_USED, "record fields used");
    print_notes(f, imp, INDIGO_SKIPPED, "not used (PRIVATE, DISPUTED or unusable)");
    print_notes(f, imp, INDIGO_WARNING,
                "warnings: where the record does not reconcile, or a value is doubtful");
    size_t cohorts = 0;
    for (size_t s = 0; s < sc->n_stages; s++) cohorts += sc->stages[s].n_cohorts;
    fprintf(f,
            "  validated: %zu stage%s, %zu cohort%s, %zu outcome%s, %zu payment rule%s, %zu "
            "financing structure%s%s\n",
            sc->n_stages, sc->n_stages == 1 ? "" : "s", cohorts, cohorts == 1 ? "" : "s",
            sc->n_outcomes, sc->n_outcomes == 1 ? "" : "s", sc->contract.n_rules,
            sc->contract.n_rules == 1 ? "" : "s", sc->n_financing, sc->n_financing == 1 ? "" : "s",
            imp->has_realised ? "; a realised record (sibsim backtest)" : "");
    fprintf(f, "  Each assumption in the file says where its field came from; the defaults come "
               "from a record biased towards published successes (docs/indigo.md).\n");
    scenario_free(sc);
    indigo_import_free(imp);
    return 0; /* a failed write to stdout is reported at the end (output_close_stdout) */
}

/* ------------------------------------------------------------- calibrate */

static void print_dist_row(FILE *f, const char *label, const calibrate_dist *d, int pct) {
    const double k = pct ? 100 : 1;
    double v[5] = {d->p10, d->q1, d->median, d->q3, d->p90};
    fprintf(f, "    %-30s", label);
    for (int i = 0; i < 5; i++) fprintf(f, pct ? " %7.2f%%" : " %8.2f", k * v[i]);
    fprintf(f, "\n");
}

static void print_record_row(FILE *f, const char *label, const prior_record *r, int pct) {
    const double k = pct ? 100 : 1;
    double v[5] = {r->p10, r->q1, r->median, r->q3, r->p90};
    fprintf(f, "    %-30s", label);
    for (int i = 0; i < 5; i++) {
        if (isnan(v[i]))
            fprintf(f, " %8s", "-");
        else
            fprintf(f, pct ? " %7.2f%%" : " %8.2f", k * v[i]);
    }
    fprintf(f, "   (n = %.0f)\n", r->n);
}

int cmd_calibrate(const run_opts *o, scenario *sc, const char *shown) {
    prior_record pay, dur, ratio;
    sib_error err;
    if (prior_library_find("indigo:payments_over_cap", &pay, &err) != SIB_OK ||
        prior_library_find("indigo:duration_years", &dur, &err) != SIB_OK ||
        prior_library_find("indigo:duration_ratio", &ratio, &err) != SIB_OK) {
        print_error(&err);
        return EXIT_RUN;
    }
    /* --paths is at most CALIBRATE_MAX_PATHS: the parser refuses more
     * (cli/options.c). */
    uint64_t paths = o->have_paths ? o->paths : (sc->sim.paths < 20000 ? sc->sim.paths : 20000);
    if (o->have_seed) sc->sim.seed = o->seed;
    calibrate_result r;
    sib_error_clear(&err);
    snprintf(err.file, sizeof err.file, "%s", shown);
    if (calibrate_run(sc, paths, (unsigned)o->threads, &r, &err) != SIB_OK) {
        print_error(&err);
        calibrate_result_free(&r);
        return err.code == SIB_EINVAL ? EXIT_INPUT : EXIT_RUN;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) {
        fprintf(stderr, "sibsim: calibrate: %s\n", strerror(errno));
        calibrate_result_free(&r);
        return EXIT_RUN;
    }
    char count[32];
    /* As run's heading: the path on a line of its own (as long as it is). */
    fprintf(f, "%s\n  %s future%s, seed %llu, generator %s\n  scenario: %s\n", sc->name,
            present_whole(count, sizeof count, (double)r.paths), r.paths == 1 ? "" : "s",
            (unsigned long long)sc->sim.seed, sc->sim.rng, shown);
    fprintf(f, "  The scenario's simulated futures beside the INDIGO impact bond record (export of "
               "20 May 2025).\n"
               "  The record is small, UK-heavy and biased towards published successes: failures "
               "are often missing,\n"
               "  so read its figures as an optimistic upper bound, not as a target to hit.\n\n");
    fprintf(f, "  %-32s %8s %8s %8s %8s %8s\n", "", "P10", "Q1", "median", "Q3", "P90");
    fprintf(f, "  Outcome payments / cap\n");
    if (r.paid_over_cap.n > 0) {
        print_dist_row(f, "this scenario", &r.paid_over_cap, 1);
        print_record_row(f, "INDIGO, completed projects", &pay, 1);
        fprintf(f,
                "    P(paid >= 90%% of cap): scenario %.1f%%, record 76%% (16 of 21, an upper "
                "bound)\n",
                100 * r.p_paid_90);
        fprintf(f,
                "    P(paid >= 80%% of cap): scenario %.1f%%, record 95%% (20 of 21, an upper "
                "bound)\n",
                100 * r.p_paid_80);
        if (r.paid_over_cap.median < pay.q1)
            fprintf(f,
                    "    reading: the median future is paid less of its cap than 3 in 4 completed "
                    "INDIGO projects\n"
                    "    were: caps loose against the expected outcomes, or a pessimistic effect "
                    "prior (or the record's\n"
                    "    optimism: its failures are missing)\n");
        else if (r.paid_over_cap.median > pay.q3)
            fprintf(f,
                    "    reading: the median future is paid more of its cap than 3 in 4 completed "
                    "INDIGO projects were:\n"
                    "    an optimistic scenario, even against an optimistic record\n");
        else
            fprintf(f,
                    "    reading: the median future is within the record's interquartile range\n");
        int outcome_caps = 0;
        for (size_t k = 0; k < sc->n_outcomes; k++)
            outcome_caps |= isfinite(sc->contract.outcome_cap[k]);
        /* The payers' caps together bind when they are below the contract's. */
        char payers[160] = "", money[48];
        if (isfinite(r.payers_cap) && !(sc->contract.cap <= r.payers_cap))
            snprintf(payers, sizeof payers, ",\n    at most the payers' caps together, %s",
                     present_money(money, sizeof money, sc->currency, r.payers_cap));
        fprintf(f, "    (the cap of a future: %s%s%s%s\n",
                isfinite(sc->contract.cap) ? "the contract's cap"
                                           : "the caps of the payment rules of the stages it ran",
                !isfinite(sc->contract.cap) && outcome_caps
                    ? ",\n    each outcome's within its outcome cap"
                    : "",
                payers,
                r.true_up_once ? ";\n    a true-up and the rules it nets off count once, at the "
                                 "larger of its cap and theirs)"
                               : ")");
        if (r.paid_over_cap.n < r.paths) {
            const unsigned long long left = (unsigned long long)(r.paths - r.paid_over_cap.n);
            char nl[32];
            fprintf(f, "    (%s future%s without a cap %s left out)\n",
                    present_count(nl, sizeof nl, left), left == 1 ? "" : "s",
                    left == 1 ? "is" : "are");
        }
    } else {
        /* Two lines: with the payer's clause it is 117 columns. */
        fprintf(f,
                "    no cap: the contract and some payment rules are uncapped%s,\n    so payments "
                "cannot be set against one\n",
                sc->contract.n_payers ? ", as is some payer" : "");
    }
    fprintf(f, "\n  Service duration, years (the stages a future runs, as planned)\n");
    print_dist_row(f, "this scenario", &r.service_years, 0);
    print_record_row(f, "INDIGO, every project", &dur, 0);
    char se[32];
    fprintf(f,
            "    P(operational failure): scenario %.1f%% (%s); record 33%%: 14 of 43 projects\n"
            "    ended early (actual / anticipated duration below 0.95; median 1.00)\n",
            100 * r.p_failed, share_se(se, sizeof se, r.p_failed_se));
    fprintf(f, "\n  Investors repaid in full\n");
    if (r.n_tranches == 0) fprintf(f, "    no investor tranche in this scenario\n");
    for (size_t i = 0; i < r.n_tranches; i++) {
        const calibrate_tranche *t = &r.tranche[i];
        fprintf(f, "    %s\n      P(full repayment) %5.1f%% (%s)", t->name, 100 * t->p_full,
                share_se(se, sizeof se, t->p_full_se));
        if (isfinite(t->p_full_drawn))
            fprintf(f, ", given capital drawn %5.1f%%", 100 * t->p_full_drawn);
        fprintf(f, "\n");
    }
    fprintf(f, "    record: too sparse for a distribution (5 projects report a repayment). As a "
               "proxy, completed\n"
               "    projects paid a median 95%% of their cap, and 76%% paid at least 90%% of it: "
               "an upper bound.\n"
               "    Outcome success is not investor repayment (Code Academy Bootcamps delivered "
               "its results and\n"
               "    still repaid below principal).\n");
    int bad = fclose(f) != 0;
    int status = 0;
    if (bad || output_emit(o->out, buf, len) != 0) status = EXIT_RUN;
    free(buf);
    calibrate_result_free(&r);
    return status;
}
