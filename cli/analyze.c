/* analyze.c -- the analysis commands' plumbing (analyze_internal.h), sweep
 * and tornado; solve, converge and pilot-value are in analyze_solve.c. Each
 * calls sim/analysis.c or sim/tornado.c and renders what it returns, as a
 * table with a terminal chart, CSV or JSON. Output is built in memory and then written
 * to stdout or, with --out, atomically to a file.
 *
 * Tables speak the reader's language: a term by its name as well as its
 * pointer (`price of payment "final true-up"`, present/term.h), values in
 * their units (money in the scenario's currency, percentages, multiples),
 * laid out for the chosen width (present/table.h). */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../present/format.h"
#include "../present/table.h"
#include "../present/term.h"
#include "../present/text.h"
#include "../sim/analysis.h"
#include "../sim/warnings.h"
#include "options.h"
#include "output.h"
#include "progress.h"
#include "analyze_internal.h"

/* ------------------------------------------------------------- plumbing */

/* Write buf to stdout, or atomically to --out, with its provenance (output.h). */
int analyze_emit(const run_opts *o, const char *buf, size_t len) {
    return output_emit_doc(o->out, o->fmt, &o->prov, buf, len) == 0 ? 0 : EXIT_RUN;
}

int analyze_metric_refused(const char *cmd, const char *option, const char *spec, const char *text,
                           const char *name) {
    if (spec == NULL) return 0; /* the default is one of the scenario's own */
    sib_error err;
    scenario *sc = scenario_load_string(text, name, &err);
    engine *e = sc ? engine_new(sc, &err) : NULL;
    metric_choice m;
    int status = 0;
    if (e && analysis_choose(e, spec, &m, &err) != SIB_OK)
        status = options_value_refused(cmd, option, name, err.message);
    engine_free(e);
    scenario_free(sc);
    return status;
}

/* Report err (the loader's or the engine's) and choose the exit status. */
int analyze_fail(const sib_error *err) {
    char buf[1200];
    fprintf(stderr, "%s\n", sib_error_format(err, buf, sizeof buf));
    return err->code == SIB_EINVAL || err->code == SIB_ESYNTAX ? EXIT_INPUT : EXIT_RUN;
}

analysis_base analyze_base_of(const run_opts *o, const char *text, const char *name) {
    analysis_base b = {.text = text,
                       .name = name,
                       .paths = o->have_paths ? o->paths : 0,
                       .threads = (unsigned)o->threads,
                       .have_seed = o->have_seed,
                       .seed = o->seed};
    return b;
}

/* The default metric: the first investor tranche's IRR of the expected
 * cash flows (a deal memo's "expected return") when the scenario has
 * investors, else the commissioner's outcome payments. */
static const char *default_metric(const char *text, const char *name, char *buf, size_t size) {
    sib_error err;
    scenario *sc = scenario_load_string(text, name, &err);
    snprintf(buf, size, "commissioner/payments.total");
    if (sc == NULL) return buf;
    for (size_t f = 0; f < sc->n_financing; f++)
        if (sc->financing[f].n_tranches > 0) {
            snprintf(buf, size, "%s/%s.pooled_irr", sc->financing[f].name,
                     sc->financing[f].tranches[0].name);
            break;
        }
    scenario_free(sc);
    return buf;
}

const char *analyze_metric_of(const run_opts *o, const char *text, const char *name, char *buf,
                             size_t size) {
    return o->metric ? o->metric : default_metric(text, name, buf, size);
}

/* The label and unit of metric `spec` in the scenario's text (compiled,
 * not run), and what it resolved to. */
shown_metric analyze_metric_shown(const char *text, const char *name, const char *spec) {
    shown_metric sm = {.label = "", .unit = UNIT_COUNT, .known = 0};
    sib_error err;
    scenario *sc = scenario_load_string(text, name, &err);
    engine *e = sc ? engine_new(sc, &err) : NULL;
    metric_choice m;
    if (e && analysis_choose(e, spec, &m, &err) == SIB_OK) {
        const metric_info *mi = engine_metric(e, m.index);
        snprintf(sm.label, sizeof sm.label, "%s: %s", mi->group, mi->label);
        sm.unit = mi->kind == METRIC_INDICATOR ? UNIT_SHARE : mi->unit;
        sm.known = 1;
        snprintf(sm.group, sizeof sm.group, "%s", mi->group);
        snprintf(sm.key, sizeof sm.key, "%s", mi->key);
        snprintf(sm.mlabel, sizeof sm.mlabel, "%s", mi->label);
        sm.run_unit = mi->unit;
        sm.stat = m.stat;
    }
    engine_free(e);
    scenario_free(sc);
    return sm;
}

/* A statistic by the name a metric's suffix gives it (the median as p50). */
static const char *stat_word(stat_kind s) {
    switch (s) {
    case STAT_MEAN: return "mean";
    case STAT_P05: return "p05";
    case STAT_P25: return "p25";
    case STAT_P50: return "p50";
    case STAT_P75: return "p75";
    case STAT_P95: return "p95";
    case STAT_SD: return "sd";
    }
    return "?";
}

/* JSON: `, "metric_resolved": {"group": G, "key": K, "label": L, "unit": U,
 * "stat": S}` -- what the metric named as typed ("metric") resolved to, so
 * that a reader need not resolve "irr" again; null when it resolved to
 * nothing (not reached: the analysis fails first). */
void analyze_json_metric_resolved(FILE *out, const shown_metric *sm) {
    fputs(", \"metric_resolved\": ", out);
    if (!sm->known) {
        fputs("null", out);
        return;
    }
    fputs("{\"group\": ", out);
    present_json_string(out, sm->group);
    fputs(", \"key\": ", out);
    present_json_string(out, sm->key);
    fputs(", \"label\": ", out);
    present_json_string(out, sm->mlabel);
    fprintf(out, ", \"unit\": \"%s\", \"stat\": \"%s\"}", present_unit_name(sm->run_unit),
            stat_word(sm->stat));
}

/* CSV: the columns after a "metric" column that say what it resolved to,
 * and their fields on a row (each with its leading comma; empty when the
 * metric resolved to nothing). */
void analyze_csv_metric_resolved(FILE *out, const shown_metric *sm) {
    fputc(',', out);
    if (sm->known) present_csv_field(out, sm->group);
    fputc(',', out);
    if (sm->known) present_csv_field(out, sm->key);
    fprintf(out, ",%s,%s", sm->known ? present_unit_name(sm->run_unit) : "",
            sm->known ? stat_word(sm->stat) : "");
}

/* A value of the metric in its unit, a little more precise than a run's
 * report (analyses compare close values): "-6.81%", "0.770x", "£2.02m". */
const char *analyze_show(char *buf, size_t size, const shown_metric *sm, const char *currency,
                        double x) {
    if (isnan(x)) snprintf(buf, size, "n/a");
    else if (!sm->known) snprintf(buf, size, "%.6g", x);
    else if (sm->unit == UNIT_SHARE || sm->unit == UNIT_RATE) present_fixed(buf, size, 2, 100 * x, "%");
    else if (sm->unit == UNIT_MONEY) present_money(buf, size, currency, x);
    else if (sm->unit == UNIT_MULTIPLE) present_fixed(buf, size, 3, x, "x");
    else snprintf(buf, size, "%.4g", x);
    return buf;
}

/* A difference of two values of the metric (a tornado's swing): as show,
 * but in percentage points for shares and rates ("12.34 pp"). */
static const char *show_change(char *buf, size_t size, const shown_metric *sm,
                               const char *currency, double x) {
    if (sm->known && !isnan(x) && (sm->unit == UNIT_SHARE || sm->unit == UNIT_RATE))
        present_fixed(buf, size, 2, 100 * x, " pp");
    else analyze_show(buf, size, sm, currency, x);
    return buf;
}

/* A standard error: "±" and the value in the metric's unit; "" for NaN.
 * Money, rates, shares and multiples as run writes an SE (present_se: the
 * digits of analyze_show, and more when those would round a standard error
 * that is not zero to zero: "±0.00004x", not "±0.000x", which reads as a
 * figure every future gave alike). One below a ten-thousandth of a point
 * or a hundred-thousandth of a multiple -- the rounding of sums of flows
 * that are the same in every future, as for Utah's senior tranche -- is
 * written as below it, "±<0.0001%", as converge writes it, not as twelve
 * zeros. */
int analyze_se_below(char *buf, size_t size, const shown_metric *sm, double x) {
    if (!sm->known || !(x > 0)) return 0;
    if ((sm->unit == UNIT_RATE || sm->unit == UNIT_SHARE) && 100 * x < 0.00005)
        snprintf(buf, size, "<0.0001%%");
    else if (sm->unit == UNIT_MULTIPLE && x < 0.000005) snprintf(buf, size, "<0.00001x");
    else return 0;
    return 1;
}

const char *analyze_show_se(char *buf, size_t size, const shown_metric *sm, const char *currency,
                           double x) {
    char v[48];
    const int rate = sm->known && (sm->unit == UNIT_RATE || sm->unit == UNIT_SHARE);
    const int multiple = sm->known && sm->unit == UNIT_MULTIPLE;
    if (isnan(x)) snprintf(buf, size, "%s", "");
    else if (analyze_se_below(v, sizeof v, sm, x)) snprintf(buf, size, "±%s", v);
    else if (rate || multiple || (sm->known && sm->unit == UNIT_MONEY))
        present_se(buf, size, currency, sm->unit, x);
    else snprintf(buf, size, "±%s", analyze_show(v, sizeof v, sm, currency, x));
    return buf;
}

/* A term for people: its name from the scenario, then its pointer, as
 * `price of payment "final true-up" (/contract/payments/1/price)`. */
const char *analyze_term_title(char *buf, size_t size, const scenario *sc, const char *pointer) {
    char name[600];
    present_term_name(name, sizeof name, sc, pointer);
    if (strcmp(name, pointer) == 0) snprintf(buf, size, "%s", pointer);
    else snprintf(buf, size, "%s (%s)", name, pointer);
    return buf;
}

/* The last field of a pointer, in words, for a column's header. */
static const char *term_field(char *buf, size_t size, const char *pointer) {
    const char *slash = strrchr(pointer, '/');
    snprintf(buf, size, "%s", slash ? slash + 1 : pointer);
    for (char *c = buf; *c; c++)
        if (*c == '_') *c = ' ';
    return buf;
}

/* Whether every --param is a term an analysis may move. Not the seed nor
 * the number of paths, which say how every run is made (--seed, --paths):
 * moved, they would give each point its own futures, or none another,
 * under a header that names one seed and one number of paths. Nor a
 * pointer at which the scenario takes no value at all: one the loader
 * refuses with the same message at two different values (an unknown field,
 * a missing object, a string) is the pointer's fault, not the values' --
 * a value out of bounds or a fraction of a whole number is refused naming
 * the value found, so its messages differ. The values tried are the
 * range's ends, when given (else 0 and 1). Prints why and returns
 * EXIT_INPUT, or 0. */
int analyze_params_are_terms(const char *cmd, const run_opts *o, const char *text,
                             const char *name) {
    for (int k = 0; k < o->n_params; k++) {
        const char *p = o->param[k];
        if (strcmp(p, "/simulation/seed") != 0 && strcmp(p, "/simulation/paths") != 0) continue;
        fprintf(stderr, "%s: %s: the seed and the paths are how every run is made, not terms to "
                        "move: every run of an analysis has one seed and one number of futures "
                        "(--seed, --paths); see another seed's futures with `run --seed S`, and "
                        "the paths an estimate needs with `converge`\n", name, p);
        return EXIT_INPUT;
    }
    for (int k = 0; k < o->n_params; k++) {
        double at[2] = {o->have_from[k] ? o->from[k] : 0, o->have_to[k] ? o->to[k] : 1};
        if (at[1] == at[0]) at[1] = at[0] + 1;
        sib_error err[2];
        int refused = 1;
        for (int j = 0; j < 2 && refused; j++) {
            const scenario_override ov = {o->param[k], at[j]};
            scenario *sc = scenario_load_string_with(text, name, &ov, 1, &err[j]);
            refused = sc == NULL;
            scenario_free(sc);
        }
        if (!refused || err[0].code == SIB_ESYNTAX || strcmp(err[0].pointer, err[1].pointer) != 0 ||
            strcmp(err[0].message, err[1].message) != 0)
            continue;
        char buf[1200];
        fprintf(stderr,
                "sibsim: %s: --param %s: the scenario takes no value there, neither %.10g "
                "nor %.10g:\n%s\nTry 'sibsim help %s'.\n",
                cmd, o->param[k], at[0], at[1], sib_error_format(&err[0], buf, sizeof buf), cmd);
        return EXIT_INPUT;
    }
    return 0;
}

void analyze_warn_base_of(const char *text, const char *name, warn_base *wb) {
    sib_error err;
    scenario *base = scenario_load_string(text, name, &err);
    wb->n = base ? scenario_warnings(base, wb->w, 64) : 0;
    if (wb->n > 64) wb->n = 64;
    scenario_free(base);
}

/* The warnings (likely mistakes, sim/warnings.h) of the scenario with
 * every pointer set to its value x[k] that the scenario as written (wb)
 * does not have: printed on stderr, at most `room` of them, as "NAME: at
 * POINTER = VALUE[, ...]: POINTER: warning: MESSAGE". Returns how many
 * there are, printed or not. */
size_t analyze_warn_at(const char *text, const char *name, const warn_base *wb,
                       const char *const *pointers, const double *x, size_t n, size_t room,
                       sib_error *failed) {
    sib_error err;
    scenario_override ov[OPT_MAX_PARAMS];
    if (n > OPT_MAX_PARAMS) n = OPT_MAX_PARAMS;
    for (size_t k = 0; k < n; k++) ov[k] = (scenario_override){pointers[k], x[k]};
    scenario *sc = scenario_load_string_with(text, name, ov, n, &err);
    if (sc == NULL && failed != NULL) *failed = err;
    const sib_warning *had = wb->w;
    const size_t n_had = wb->n;
    sib_warning w[64];
    size_t n_w = sc ? scenario_warnings(sc, w, 64) : 0, found = 0;
    if (n_w > 64) n_w = 64;
    for (size_t i = 0; i < n_w; i++) {
        int old = 0;
        for (size_t j = 0; j < n_had && !old; j++)
            old = strcmp(w[i].pointer, had[j].pointer) == 0 &&
                  strcmp(w[i].message, had[j].message) == 0;
        if (old || found++ >= room) continue;
        fprintf(stderr, "%s: at ", name);
        for (size_t k = 0; k < n; k++)
            fprintf(stderr, "%s%s = %.8g", k ? ", " : "", pointers[k], x[k]);
        fprintf(stderr, ": %s: warning: %s\n", w[i].pointer, w[i].message);
    }
    scenario_free(sc);
    return found;
}

/* With --strict, n warnings at an analysis' points (warn_at) are errors,
 * as the scenario's own are (main.c): said, and EXIT_INPUT; 0 otherwise. */
int analyze_strict_points(const run_opts *o, size_t n) {
    if (n == 0 || !o->strict) return 0;
    fprintf(stderr, "sibsim: %zu warning%s treated as error%s (--strict)\n", n, n == 1 ? "" : "s",
            n == 1 ? "" : "s");
    return EXIT_INPUT;
}

/* The warnings of a sweep's points that the scenario as written does not
 * have (warn_at): the first WARN_SHOWN, then how many more. Each point is
 * loaded once more (some 0.4 ms), so a grid of more than WARN_GRID points
 * is looked at on a sub-grid of at most WARN_GRID spread over its whole
 * range, both ends of each parameter included (likely mistakes begin past
 * a value of a term: the first WARN_GRID points in grid order would see
 * only the first values of the first parameter), and the note says so.
 * Returns how many warnings there are. */
#define WARN_SHOWN 8
#define WARN_GRID 10000

/* A point of the sweep's grid that the scenario does not take (a value
 * past the field's bound, a fraction of a whole number): said before the
 * run, naming the point and the options that made it, then the loader's
 * message about the field. A sweep run into it would fail at that point
 * with the loader's message alone, which names the scenario file and a
 * value the user never wrote (1.5 of --from 0 --to 2 --steps 5). */
static void refuse_point(const run_opts *o, size_t i, size_t total, const double *x,
                         const sib_error *err) {
    char n1[32], n2[32];
    fprintf(stderr, "sibsim: sweep: point %s of %s, ", present_count(n1, sizeof n1, i + 1),
            present_count(n2, sizeof n2, total));
    for (int k = 0; k < o->n_params; k++)
        fprintf(stderr, "%s%s = %.10g", k ? " and " : "", o->param[k], x[k]);
    fprintf(stderr, ", is a value the scenario does not take (the grid: ");
    for (int k = 0; k < o->n_params; k++)
        fprintf(stderr, "%s--from %.10g --to %.10g --steps %d", k ? "; " : "", o->from[k], o->to[k],
                o->steps[k]);
    char buf[1200];
    fprintf(stderr, "):\n%s\nTry 'sibsim help sweep'.\n", sib_error_format(err, buf, sizeof buf));
}

/* Index j of m spread evenly over 0 .. steps - 1, both ends included. */
static size_t spread_index(size_t j, size_t m, size_t steps) {
    return m < 2 ? 0 : (size_t)((double)j * (double)(steps - 1) / (double)(m - 1) + 0.5);
}

static size_t warn_sweep(const run_opts *o, const char *text, const char *name, int *refused) {
    const size_t n0 = (size_t)o->steps[0], n1 = o->n_params > 1 ? (size_t)o->steps[1] : 1;
    /* The sub-grid m0 x m1: the whole grid when it fits; else the second
     * parameter's values, up to 100 of them, and as many of the first's
     * as then fit (steps are at most 1,000, so at least 10). */
    size_t m0 = n0, m1 = n1, found = 0;
    if (n0 * n1 > WARN_GRID) {
        m1 = n1 < 100 ? n1 : 100;
        m0 = WARN_GRID / m1 < n0 ? WARN_GRID / m1 : n0;
    }
    const char *ptrs[2] = {o->param[0], o->param[1]};
    warn_base wb;
    analyze_warn_base_of(text, name, &wb);
    *refused = 0;
    for (size_t j0 = 0; j0 < m0 && !*refused; j0++)
        for (size_t j1 = 0; j1 < m1 && !*refused; j1++) {
            const size_t i = spread_index(j0, m0, n0) * n1 + spread_index(j1, m1, n1);
            double x[2] = {0, 0};
            analysis_sweep_values(o->from, o->to, o->steps, (size_t)o->n_params, i, x);
            sib_error failed;
            failed.code = SIB_OK;
            found += analyze_warn_at(text, name, &wb, ptrs, x, (size_t)o->n_params,
                                     found < WARN_SHOWN ? WARN_SHOWN - found : 0, &failed);
            if (failed.code != SIB_OK) {
                refuse_point(o, i, n0 * n1, x, &failed);
                *refused = 1;
            }
        }
    if (*refused) return found;
    if (found > WARN_SHOWN)
        fprintf(stderr, "%s: and %zu more warnings at other points of the sweep\n", name,
                found - WARN_SHOWN);
    if (m0 * m1 < n0 * n1) {
        char looked[32], all[32];
        present_count(looked, sizeof looked, (unsigned long long)(m0 * m1));
        present_count(all, sizeof all, (unsigned long long)(n0 * n1));
        fprintf(stderr, "%s: note: likely mistakes looked for at %s of the sweep's %s points, "
                "spread over the whole grid\n", name, looked, all);
    }
    return found;
}

/* ----------------------------------------------------------------- sweep */

typedef struct sweep_ud {
    FILE *out;
    const run_opts *o;
    const char *metric;
    /* table: the chosen metric per point, drawn when the sweep ends */
    double x[1001][2], y[1001], se[1001];
    size_t n;
    const engine *last;
    sib_error *err;
    int first;
    size_t reported; /* points given to sweep_point: the index of the next */
} sweep_ud;

static int sweep_point(const double *x, size_t n_params, const engine *e, void *v) {
    sweep_ud *u = v;
    u->reported++;
    metric_choice m;
    if (analysis_choose(e, u->metric, &m, u->err) != SIB_OK) return 1;
    if (u->o->fmt == FORMAT_TABLE) {
        if (u->n < 1001) {
            u->x[u->n][0] = x[0];
            u->x[u->n][1] = n_params > 1 ? x[1] : 0;
            u->y[u->n] = analysis_value(e, &m, &u->se[u->n]);
            u->n++;
        }
        return 0;
    }
    /* CSV and JSON: every metric at every point. */
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        const metric_info *mi = engine_metric(e, i);
        stats_summary s;
        engine_summary(e, i, &s);
        double vals[] = {s.mean, s.se, s.p05, s.p50, s.p95};
        if (u->o->fmt == FORMAT_CSV) {
            present_number(u->out, x[0]); /* the sweep's points are finite */
            fputc(',', u->out);
            if (n_params > 1) present_number(u->out, x[1]);
            fputc(',', u->out);
            present_csv_field(u->out, mi->group);
            fputc(',', u->out);
            present_csv_field(u->out, mi->key);
            for (size_t k = 0; k < 5; k++) present_csv_number(u->out, vals[k]);
            /* Which terms x1 and x2 are, on every row: a saved file reads
             * alone. */
            fputc(',', u->out);
            present_csv_field(u->out, u->o->param[0]);
            fputc(',', u->out);
            if (n_params > 1) present_csv_field(u->out, u->o->param[1]);
            fputc('\n', u->out);
        } else {
            fprintf(u->out, "%s\n    {\"x\": [", u->first ? "" : ",");
            present_json_number(u->out, x[0]);
            if (n_params > 1) {
                fputs(", ", u->out);
                present_json_number(u->out, x[1]);
            }
            fputs("], \"group\": ", u->out);
            present_json_string(u->out, mi->group);
            fputs(", \"key\": ", u->out);
            present_json_string(u->out, mi->key);
            const char *names[] = {"mean", "se", "p05", "p50", "p95"};
            for (size_t k = 0; k < 5; k++) {
                fprintf(u->out, ", \"%s\": ", names[k]);
                present_json_number(u->out, vals[k]);
            }
            if (!isfinite(s.mean))
                fputs(", \"note\": \"undefined in every future at this point\"", u->out);
            fputc('}', u->out);
            u->first = 0;
        }
    }
    return 0;
}

/* The labels of n points of a parameter, x[0], x[stride], ..., into
 * labels[i] (64 bytes each): as a table shows a term (present_term_value,
 * "10.66%", "£11k") when that tells every two different points apart; else
 * with the digits of a solved value (present_term_exact, "10.665%",
 * "£11,001.00"); else as the field's own number, with as many digits as
 * that takes. A grid fine enough to round two points alike reads so. */
static void point_labels(char (*labels)[64], const double *x, size_t stride, size_t n,
                         const char *currency, term_unit unit) {
    for (int pass = 0; pass < 13; pass++) {
        for (size_t i = 0; i < n; i++) {
            const double xi = x[i * stride];
            if (pass == 0)
                present_term_value(labels[i], 64, currency, unit, xi);
            else if (pass == 1)
                present_term_exact(labels[i], 64, currency, unit, xi);
            else
                snprintf(labels[i], 64, "%.*g", pass + 5, xi); /* 7 to 17 digits */
        }
        int alike = 0;
        for (size_t i = 0; i < n && !alike; i++)
            for (size_t j = i + 1; j < n && !alike; j++)
                alike = x[i * stride] != x[j * stride] && strcmp(labels[i], labels[j]) == 0;
        if (!alike) return;
    }
}

/* Why a sweep's table shows n/a: the metric is undefined (no future of
 * the point defines it: a net value with no outcome's value, an IRR where
 * nothing is drawn) at every point, or at those marked. Nothing when it is
 * defined at each of the n points shown. */
static void sweep_undefined_note(FILE *out, const sweep_ud *u, size_t n, int width) {
    size_t undefined = 0;
    for (size_t i = 0; i < n; i++) undefined += isnan(u->y[i]) != 0;
    if (undefined == 0) return;
    char line[800];
    if (undefined == n)
        snprintf(line, sizeof line, "%.500s is undefined at every point of the sweep: no "
                 "future defines it", u->metric);
    else
        snprintf(line, sizeof line, "n/a: no future defines %.500s at that point", u->metric);
    present_wrap(out, line, 0, 2, width);
}

/* The chosen metric over the grid: one parameter as rows with the value,
 * its SE and a bar scaled from the smallest value (no bar) to the largest;
 * two parameters as a grid, the first down, the second across. */
static void sweep_table(FILE *out, const run_opts *o, const sweep_ud *u, const scenario *sc,
                        const char *text, const char *name) {
    const int width = o->width;
    const shown_metric sm = analyze_metric_shown(text, name, u->metric);
    char line[2048], t1[900], t2[900];
    /* The points shown: all those kept, but for a grid larger than the
     * table holds, its whole rows only (a row cut short would stand with
     * empty cells, as if those points had no value). */
    const size_t cols2 = o->n_params > 1 ? (size_t)o->steps[1] : 1;
    const size_t shown = o->n_params > 1 && u->n < (size_t)o->steps[0] * cols2
                             ? u->n / cols2 * cols2
                             : u->n;
    double lo = HUGE_VAL, hi = -HUGE_VAL, se_lo = HUGE_VAL, se_hi = -HUGE_VAL;
    for (size_t i = 0; i < shown; i++) {
        if (isfinite(u->y[i])) lo = fmin(lo, u->y[i]), hi = fmax(hi, u->y[i]);
        if (isfinite(u->se[i])) se_lo = fmin(se_lo, u->se[i]), se_hi = fmax(se_hi, u->se[i]);
    }
    analyze_term_title(t1, sizeof t1, sc, o->param[0]);
    if (o->n_params > 1) analyze_term_title(t2, sizeof t2, sc, o->param[1]);
    const unsigned long long paths = o->have_paths ? o->paths : sc->sim.paths;
    char np[32];
    snprintf(line, sizeof line,
             "Sweep of %s%s%s on common random numbers (seed %llu, %s path%s a point)", t1,
             o->n_params > 1 ? " and " : "", o->n_params > 1 ? t2 : "",
             (unsigned long long)(o->have_seed ? o->seed : sc->sim.seed),
             present_count(np, sizeof np, paths), paths == 1 ? "" : "s");
    present_wrap(out, line, 0, 2, width);
    snprintf(line, sizeof line, "metric: %s%s%s%s", u->metric, sm.known ? " (" : "", sm.label,
             sm.known ? ")" : "");
    present_wrap(out, line, 0, 2, width);
    fputc('\n', out);
    term_unit x1 = present_term_unit(sc, o->param[0]);
    char v[64], se[64], h1[64];
    if (o->n_params == 1) {
        const char *heads[] = {term_field(h1, sizeof h1, o->param[0]), "value", "± SE"};
        present_table *t = present_table_new(3, heads, NULL);
        if (t == NULL) return;
        present_table_col_min(t, 8);
        char(*xs)[64] = malloc((u->n ? u->n : 1) * sizeof *xs);
        if (xs == NULL) {
            present_table_free(t);
            return;
        }
        point_labels(xs, &u->x[0][0], 2, u->n, sc->currency, x1);
        /* The bars run from the smallest value to the largest. When those
         * two read alike, every value does, and bars scaled to their
         * difference would draw from nothing to full width a gap the
         * table does not show (0.756x three times, bars of 0, 20 and 40
         * columns): no bars then, and a note. */
        char vlo[64], vhi[64];
        const int unseen = hi > lo && strcmp(analyze_show(vlo, sizeof vlo, &sm, sc->currency, lo),
                                             analyze_show(vhi, sizeof vhi, &sm, sc->currency, hi)) == 0;
        for (size_t i = 0; i < u->n; i++) {
            const char *cells[] = {xs[i], analyze_show(v, sizeof v, &sm, sc->currency, u->y[i]),
                                   analyze_show_se(se, sizeof se, &sm, sc->currency, u->se[i])};
            double frac = hi > lo && !unseen && isfinite(u->y[i]) ? (u->y[i] - lo) / (hi - lo) : 0;
            present_table_row(t, 0, "", cells, frac);
        }
        present_table_print(out, t, width, present_unicode());
        present_table_free(t);
        free(xs);
        if (unseen)
            present_wrap(out, "(no bars: the values differ by less than the last digit shown; "
                         "--format csv gives every digit)", 0, 2, width);
        sweep_undefined_note(out, u, u->n, width);
        return;
    }
    /* A grid: rows are the first parameter's points, columns the second's
     * (the second varies fastest: point i * steps2 + j). */
    term_unit x2 = present_term_unit(sc, o->param[1]);
    size_t rows = (size_t)o->steps[0], cols = (size_t)o->steps[1];
    char n1[600], n2[600];
    snprintf(line, sizeof line, "rows: %s; columns: %s", present_term_name(n1, sizeof n1, sc, o->param[0]),
             present_term_name(n2, sizeof n2, sc, o->param[1]));
    present_wrap(out, line, 2, 4, width);
    char **heads = calloc(cols + 1, sizeof *heads), **cells = calloc(cols + 1, sizeof *cells);
    /* The rows' and the columns' labels: the points of the first parameter
     * are every cols-th, those of the second the first cols. */
    const size_t n_rows = (shown + cols - 1) / cols, n_cols = shown < cols ? shown : cols;
    char(*xr)[64] = malloc((n_rows ? n_rows : 1) * sizeof *xr);
    char(*xc)[64] = malloc((n_cols ? n_cols : 1) * sizeof *xc);
    present_table *t = NULL;
    if (heads && cells && xr && xc) {
        point_labels(xr, &u->x[0][0], 2 * cols, n_rows, sc->currency, x1);
        point_labels(xc, &u->x[0][1], 2, n_cols, sc->currency, x2);
        for (size_t j = 0; j < cols; j++) {
            heads[j] = malloc(64);
            cells[j] = malloc(64);
            if (heads[j]) snprintf(heads[j], 64, "%s", j < n_cols ? xc[j] : "");
        }
        t = present_table_new(cols, (const char *const *)heads, NULL);
    }
    for (size_t i = 0; t && i < rows && i * cols < shown; i++) {
        const char *x = xr[i];
        for (size_t j = 0; j < cols; j++) {
            size_t k = i * cols + j;
            if (cells[j] == NULL) continue;
            if (k < shown) analyze_show(cells[j], 64, &sm, sc->currency, u->y[k]);
            else cells[j][0] = '\0';
        }
        present_table_row(t, 0, x, (const char *const *)cells, -1);
    }
    if (t) {
        present_table_col_min(t, 8);
        present_table_print(out, t, width, present_unicode());
    }
    present_table_free(t);
    for (size_t j = 0; j < cols; j++) {
        if (heads) free(heads[j]);
        if (cells) free(cells[j]);
    }
    free(heads);
    free(cells);
    free(xr);
    free(xc);
    if (se_lo <= se_hi) {
        char a[64], b[64];
        snprintf(line, sizeof line, "standard error of each point's mean: %s to %s",
                 analyze_show_se(a, sizeof a, &sm, sc->currency, se_lo), analyze_show_se(b, sizeof b, &sm, sc->currency, se_hi));
        fputc('\n', out);
        present_wrap(out, line, 0, 2, width);
    }
    sweep_undefined_note(out, u, shown, width);
    if (shown < rows * cols) {
        char count[32], nr[32], all[32];
        snprintf(line, sizeof line, "(the table holds the first %s rows, %s of the grid's %s "
                 "points: the whole grid is in --format csv or json)",
                 present_count(nr, sizeof nr, shown / cols),
                 present_count(count, sizeof count, shown),
                 present_count(all, sizeof all, (unsigned long long)(rows * cols)));
        present_wrap(out, line, 0, 2, width);
    }
}

int cmd_sweep_text(const run_opts *o, const char *text, const char *name) {
    if (o->n_params == 0) {
        fprintf(stderr, "sibsim: sweep: expected --param POINTER with --from, --to (and --steps)\n");
        return EXIT_INPUT;
    }
    for (int k = 0; k < o->n_params; k++) {
        if (!o->have_from[k] || !o->have_to[k]) {
            fprintf(stderr, "sibsim: sweep: --param %s needs --from and --to\n", o->param[k]);
            return EXIT_INPUT;
        }
        /* An empty range of several steps: every point the same run,
         * labelled alike (as solve refuses --from = --to). */
        if (o->from[k] == o->to[k] && o->steps[k] > 1) {
            fprintf(stderr, "sibsim: sweep: --param %s: --from and --to are the same value "
                            "(%.8g), so its %d steps would all be the same run: give a range, "
                            "or --steps 1 for that value alone\nTry 'sibsim help sweep'.\n",
                    o->param[k], o->from[k], o->steps[k]);
            return EXIT_INPUT;
        }
    }
    if (analyze_params_are_terms("sweep", o, text, name)) return EXIT_INPUT;
    if (analyze_metric_refused("sweep", "metric", o->metric, text, name)) return EXIT_INPUT;
    int refused;
    const size_t warned = warn_sweep(o, text, name, &refused);
    if (refused || analyze_strict_points(o, warned) != 0) return EXIT_INPUT;
    char mbuf[512];
    sib_error err;
    sib_error_clear(&err);
    analysis_base b = analyze_base_of(o, text, name);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (out == NULL) return EXIT_RUN;
    sweep_ud *u = calloc(1, sizeof *u);
    if (u == NULL) {
        fclose(out);
        free(buf);
        return EXIT_RUN;
    }
    u->out = out;
    u->o = o;
    u->metric = analyze_metric_of(o, text, name, mbuf, sizeof mbuf);
    if (o->fmt == FORMAT_TABLE) b.only = u->metric; /* the table reads it alone */
    u->err = &err;
    u->first = 1;
    scenario *sc = scenario_load_string(text, name, &err);
    if (o->fmt == FORMAT_CSV)
        fprintf(out, "x1,x2,group,key,mean,se,p05,p50,p95,x1.param,x2.param\n");
    else if (o->fmt == FORMAT_JSON)
    {
        fputs("{\"params\": [", out);
        for (int k = 0; k < o->n_params; k++) {
            if (k) fputs(", ", out);
            present_json_string(out, o->param[k]);
        }
        fputs("], \"points\": [", out);
    }
    const char *ptrs[2] = {o->param[0], o->param[1]};
    int rc = sc ? analysis_sweep(&b, ptrs, o->from, o->to, o->steps, (size_t)o->n_params,
                                 sweep_point, u, &err)
                : err.code;
    int status = 0;
    const size_t total = (size_t)o->steps[0] * (o->n_params > 1 ? (size_t)o->steps[1] : 1);
    if (rc == SIB_EINVAL && u->reported < total) {
        /* A point the scenario refused that warn_sweep did not look at (a
         * grid larger than WARN_GRID): points are reported in grid order and
         * the sweep stops at the first that fails, so it is the one after
         * those reported. Named as warn_sweep names one, not by the loader's
         * message alone. */
        double x[2] = {0, 0};
        analysis_sweep_values(o->from, o->to, o->steps, (size_t)o->n_params, u->reported, x);
        refuse_point(o, u->reported, total, x, &err);
        status = EXIT_INPUT;
    } else if (rc != SIB_OK) {
        status = analyze_fail(&err);
    } else if (o->fmt == FORMAT_JSON) {
        fprintf(out, "\n]}\n");
    } else if (o->fmt == FORMAT_TABLE) {
        sweep_table(out, o, u, sc, text, name);
    }
    scenario_free(sc);
    fclose(out);
    if (status == 0) status = analyze_emit(o, buf, len);
    free(buf);
    free(u);
    return status;
}

/* --------------------------------------------------------------- tornado */

/* The bars, widest swing first: each input or term by name, the metric at
 * its low and high value, the swing and a bar scaled to the widest; under
 * each, its pointer and the values it was moved to, in their units. */
static void tornado_table(FILE *out, const run_opts *o, const char *text, const char *name,
                          const char *metric, uint64_t paths, const tornado_bar *bars, size_t n,
                          double base) {
    const int width = o->width;
    const shown_metric sm = analyze_metric_shown(text, name, metric);
    sib_error err;
    scenario *sc = scenario_load_string(text, name, &err);
    const char *cur = sc ? sc->currency : "";
    char line[1400], v[64], lo[64], hi[64], np[32];
    snprintf(line, sizeof line, "Tornado of %s%s%s%s: %s with nothing moved", metric,
             sm.known ? " (" : "", sm.label, sm.known ? ")" : "", analyze_show(v, sizeof v, &sm, cur, base));
    present_wrap(out, line, 0, 2, width);
    snprintf(line, sizeof line,
             "uncertain inputs at their 10th and 90th percentiles; terms %g%% down "
             "and up; %s path%s a run on common random numbers",
             100 * o->pct, present_count(np, sizeof np, (unsigned long long)paths),
             paths == 1 ? "" : "s");
    present_wrap(out, line, 0, 2, width);
    fputc('\n', out);
    const char *heads[] = {"at low", "at high", "swing"};
    present_table *t = present_table_new(3, heads, NULL);
    if (t == NULL) {
        scenario_free(sc);
        return;
    }
    present_table_col_min(t, 8);
    double top = n && isfinite(bars[0].swing) ? bars[0].swing : 0;
    for (size_t i = 0; i < n; i++) {
        char label[600], sw[64];
        present_term_name(label, sizeof label, sc, bars[i].pointer);
        const char *cells[] = {analyze_show(lo, sizeof lo, &sm, cur, bars[i].metric_low),
                               analyze_show(hi, sizeof hi, &sm, cur, bars[i].metric_high),
                               show_change(sw, sizeof sw, &sm, cur, bars[i].swing)};
        present_table_row(t, 0, label, cells,
                          top > 0 && isfinite(bars[i].swing) ? bars[i].swing / top : 0);
        term_unit tu = present_term_unit(sc, bars[i].pointer);
        snprintf(line, sizeof line, "%.600s %s %s .. %s", bars[i].pointer,
                 bars[i].is_input ? "at P10/P90:" : "moved to:",
                 present_term_value(lo, sizeof lo, cur, tu, bars[i].low),
                 present_term_value(hi, sizeof hi, cur, tu, bars[i].high));
        present_table_text(t, 2, 4, line);
    }
    present_table_print(out, t, width, present_unicode());
    present_table_free(t);
    scenario_free(sc);
    /* Why n/a: no future defines the metric with nothing moved, or at a
     * bar's value (its swing too is n/a; such bars come last). */
    size_t undefined = 0;
    for (size_t i = 0; i < n; i++) undefined += isnan(bars[i].swing) != 0;
    if (isnan(base) || undefined > 0) {
        snprintf(line, sizeof line, "n/a: no future defines %.500s %s", metric,
                 isnan(base) && undefined == n ? "with nothing moved, nor at any move"
                 : isnan(base)                 ? "with nothing moved, nor at the moves marked"
                                               : "at the moves marked");
        present_wrap(out, line, 0, 2, width);
    }
}

int cmd_tornado_text(const run_opts *o, const char *text, const char *name) {
    char mbuf[512];
    if (analyze_metric_refused("tornado", "metric", o->metric, text, name)) return EXIT_INPUT;
    const char *metric = analyze_metric_of(o, text, name, mbuf, sizeof mbuf);
    analysis_base b = analyze_base_of(o, text, name);
    if (!o->have_paths) b.paths = OPT_ANALYSIS_PATHS; /* two runs an input: keep it interactive */
    sib_error err;
    sib_error_clear(&err);
    /* What a term's move would warn of, as `run` would (an input moved to
     * its P10 or P90 stays within its prior): the first WARN_SHOWN, said
     * before the runs. Every move is looked at, not only the bars kept.
     * They are the tornado's own moves, not the user's input, so --strict
     * does not refuse them (it refused the scenario's own already, in
     * cmd_analysis): a bond that commits exactly its planned cost warns at
     * its commitment's -10% and its cost's +10%, and `tornado --strict`
     * refused most real deals, which have no warning at all. A sweep's
     * points and a solve's answer are values the user asked for, and stay
     * strict. */
    size_t n_moves = 0;
    tornado_bar *moves;
    if (analysis_tornado_moves(&b, o->pct, &moves, &n_moves, &err) != SIB_OK)
        return analyze_fail(&err);
    warn_base wb;
    analyze_warn_base_of(text, name, &wb);
    size_t found = 0;
    for (size_t i = 0; i < n_moves; i++) {
        if (moves[i].is_input) continue;
        const char *ptr = moves[i].pointer;
        const double ends[2] = {moves[i].low, moves[i].high};
        for (int k = 0; k < 2; k++)
            found += analyze_warn_at(text, name, &wb, &ptr, &ends[k], 1,
                                     found < WARN_SHOWN ? WARN_SHOWN - found : 0, NULL);
    }
    free(moves);
    if (found > WARN_SHOWN)
        fprintf(stderr, "%s: and %zu more warnings at other moves of the tornado\n", name,
                found - WARN_SHOWN);
    if (found > 0 && o->strict)
        fprintf(stderr, "%s: note: --strict refuses the scenario's own warnings, not those of the "
                        "tornado's moves above\n", name);
    tornado_bar bars[256];
    size_t n = 0;
    double base = NAN;
    int rc = analysis_tornado(&b, metric, o->pct, bars, 256, &n, &base, &err);
    if (rc != SIB_OK) return analyze_fail(&err);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (out == NULL) return EXIT_RUN;
    if (o->fmt == FORMAT_CSV) {
        /* The metric on every row, as converge's CSV gives it: as named and
         * as resolved. */
        const shown_metric sm = analyze_metric_shown(text, name, metric);
        fprintf(out, "pointer,kind,low,high,metric_low,metric_high,swing,metric," CSV_METRIC_RESOLVED
                     "\n");
        for (size_t i = 0; i < n; i++) {
            present_csv_field(out, bars[i].pointer);
            fprintf(out, ",%s", bars[i].is_input ? "input" : "term");
            const double v[] = {bars[i].low, bars[i].high, bars[i].metric_low, bars[i].metric_high,
                                bars[i].swing};
            for (size_t k = 0; k < 5; k++) present_csv_number(out, v[k]);
            fputc(',', out);
            present_csv_field(out, metric);
            analyze_csv_metric_resolved(out, &sm);
            fputc('\n', out);
        }
    } else if (o->fmt == FORMAT_JSON) {
        const shown_metric sm = analyze_metric_shown(text, name, metric);
        fputs("{\"metric\": ", out);
        present_json_string(out, metric);
        analyze_json_metric_resolved(out, &sm);
        fputs(", \"base\": ", out);
        present_json_number(out, base);
        if (!isfinite(base)) fputs(", \"note\": \"the metric is undefined with nothing moved\"", out);
        fputs(", \"bars\": [", out);
        for (size_t i = 0; i < n; i++) {
            fprintf(out, "%s\n  {\"pointer\": ", i ? "," : "");
            present_json_string(out, bars[i].pointer);
            fprintf(out, ", \"kind\": \"%s\"", bars[i].is_input ? "input" : "term");
            const char *names[] = {"low", "high", "metric_low", "metric_high", "swing"};
            const double v[] = {bars[i].low, bars[i].high, bars[i].metric_low, bars[i].metric_high,
                                bars[i].swing};
            for (size_t k = 0; k < 5; k++) {
                fprintf(out, ", \"%s\": ", names[k]);
                present_json_number(out, v[k]);
            }
            fputc('}', out);
        }
        fprintf(out, "\n]}\n");
    } else {
        tornado_table(out, o, text, name, metric, b.paths, bars, n, base);
    }
    fclose(out);
    int status = analyze_emit(o, buf, len);
    free(buf);
    return status;
}
