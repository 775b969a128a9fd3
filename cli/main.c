/* main.c -- the sibsim command line: finding the command, its scenarios
 * and running it.
 *
 *   sibsim run [SCENARIO] [--case NAME] [--paths N] [--seed S] [--threads T]
 *              [--format table|json|csv] [--out FILE] [--paths-out FILE.csv] [--quiet]
 *   sibsim compare A B | SCENARIO --case X [--case Y] [--pair A=B] [...]
 *   sibsim cashflows [SCENARIO] [--path K | --case NAME] [--annual] [...]
 *   sibsim backtest [SCENARIO] [--realised FILE] [...]
 *   sibsim validate SCENARIO...
 *   sibsim list
 *   sibsim sweep | tornado | solve | converge | pilot-value | tui ... (see --help)
 *
 * The commands, their help and the options each takes are in commands.c;
 * the options are parsed in options.c, a SCENARIO that is not a file is
 * found in the library by library.c. Exit status: 0 success; 1 a run or
 * an output file failed (or solve found no value, or a backtest did not
 * reproduce its record); 2 bad input (usage, or a scenario that does not
 * load). This is the only layer that prints; the core returns values and
 * errors.
 */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../model/document.h"
#include "../model/file.h"
#include "../model/scenario.h"
#include "../model/suggest.h"
#include "../present/format.h"
#include "../sim/engine.h"
#include "../sim/warnings.h"
#include "../tui/tui.h"
#include "checkpoint.h"
#include "indigo_cmd.h"
#include "cluster.h"
#include "commands.h"
#include "library.h"
#include "options.h"
#include "output.h"
#include "progress.h"
#include "report.h"
#include "report_cmd.h"
#include "sources.h"

#ifndef SIBSIM_VERSION
#define SIBSIM_VERSION "dev"
#endif

enum { EXIT_RUN = 1, EXIT_INPUT = 2 };

/* The default scenario, compiled in from scenarios/peterborough.json. */
extern const char sibsim_default_scenario[];
#define DEFAULT_NAME "<built-in scenarios/peterborough.json>"
#define DEFAULT_LIBRARY_NAME "peterborough"

static const char *prog = "sibsim";

/* Bad input: "sibsim: " and fmt with arg, then where to read more: the
 * help of command cmd, or the command list when cmd is NULL. */
static int input_error(const char *cmd, const char *fmt, const char *arg) {
    fprintf(stderr, "%s: ", prog);
    fprintf(stderr, fmt, arg);
    if (cmd != NULL) fprintf(stderr, "\nTry '%s help %s'.\n", prog, cmd);
    else fprintf(stderr, "\nTry '%s --help'.\n", prog);
    return EXIT_INPUT;
}

static void print_error(const sib_error *err) {
    char buf[1200];
    fprintf(stderr, "%s\n", sib_error_format(err, buf, sizeof buf));
}

/* ------------------------------------------------------------ scenarios */

/* Print sc's warnings about likely mistakes on stderr, as
 * "FILE: /pointer: warning: message". Returns how many there are. */
static size_t print_warnings(const scenario *sc, const char *shown) {
    sib_warning w[64];
    size_t n = scenario_warnings(sc, w, 64);
    for (size_t i = 0; i < n && i < 64; i++)
        fprintf(stderr, "%s: %s: warning: %s\n", shown, w[i].pointer, w[i].message);
    if (n > 64) fprintf(stderr, "%s: and %zu more warnings\n", shown, n - 64);
    return n;
}

/* Warnings of a loaded scenario: printed; with --strict, an error (exit 2). */
static int check_warnings(const scenario *sc, const char *shown, const run_opts *o) {
    size_t n = print_warnings(sc, shown);
    if (n > 0 && o->strict) {
        fprintf(stderr, "%s: %zu warning%s treated as error%s (--strict)\n", prog, n,
                n == 1 ? "" : "s", n == 1 ? "" : "s");
        return -1;
    }
    return 0;
}

/* The JSON text of a scenario file, or of the built-in default; the
 * caller frees it. *hash receives the text's content hash (provenance.h).
 * NULL (after a message) when the file cannot be read. */
static char *read_text(const char *path, const char **shown, uint64_t *hash) {
    *shown = path ? path : DEFAULT_NAME;
    char *text;
    if (path == NULL) {
        text = strdup(sibsim_default_scenario);
    } else {
        sib_error err;
        text = sib_file_read(path, &err);
        if (text == NULL) print_error(&err);
    }
    if (text != NULL) *hash = scenario_doc_hash(text, strlen(text));
    return text;
}

/* What is said of a name `word` that none of `names` (NULL-ended) is,
 * into buf: "; did you mean \"X\"?" when it is a near miss of one
 * (sib_suggest), then " (its WHAT: \"a\", \"b\")", or " (it has none)".
 * --case and --pair name a case or a structure so. Returns buf. */
static const char *names_hint(char *buf, size_t size, const char *word, const char *const *names,
                              const char *what) {
    const char *near = sib_suggest(word, names);
    size_t used = 0;
    buf[0] = '\0';
    if (near != NULL) used += (size_t)snprintf(buf, size, "; did you mean \"%s\"?", near);
    for (size_t i = 0; names[i] != NULL && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s%s\"%s\"", i ? ", " : " (its ",
                                 i ? "" : what, i ? "" : ": ", names[i]);
    if (used < size) snprintf(buf + used, size - used, "%s", names[0] ? ")" : " (it has none)");
    return buf;
}

/* Load a scenario (path, or the built-in default when NULL), with the
 * named case's overrides applied when case_name is set; *hash receives
 * the content hash of its text. NULL after a message when it does not
 * load or has no such case (a bad value of command cmd's --case). */
static scenario *load_case(const char *cmd, const char *path, const char *case_name,
                           const char **shown, uint64_t *hash) {
    char *text = read_text(path, shown, hash);
    if (text == NULL) return NULL;
    sib_error err;
    scenario *sc = scenario_load_string(text, *shown, &err);
    if (sc == NULL) print_error(&err);
    if (sc != NULL && case_name != NULL) {
        size_t k = scenario_find_case(sc, case_name);
        if (k == SIZE_MAX) {
            const char **names = calloc(sc->n_cases + 1, sizeof *names);
            for (size_t i = 0; names != NULL && i < sc->n_cases; i++) names[i] = sc->cases[i].name;
            static const char *const none[] = {NULL};
            char msg[1024], hint[900];
            snprintf(msg, sizeof msg, "no case named \"%s\"%s", case_name,
                     names_hint(hint, sizeof hint, case_name, names ? names : none, "cases"));
            free(names);
            options_value_refused(cmd, "case", *shown, msg);
            scenario_free(sc);
            sc = NULL;
        } else {
            const scenario_case *cs = &sc->cases[k];
            scenario_override *ov = calloc(cs->n_set + 1, sizeof *ov);
            scenario *with = NULL;
            if (ov != NULL) {
                for (size_t i = 0; i < cs->n_set; i++)
                    ov[i] = (scenario_override){cs->set[i].pointer, cs->set[i].value};
                with = scenario_load_string_with(text, *shown, ov, cs->n_set, &err);
                if (with == NULL) print_error(&err);
            }
            free(ov);
            scenario_free(sc);
            sc = with;
        }
    }
    free(text);
    return sc;
}

/* -------------------------------------------------------- run, compare */

/* --paths-out: one CSV row per future, streamed as blocks are committed. */
typedef struct paths_csv {
    FILE *f;
    const engine *e;
    size_t n_inputs_a, n_inputs_b;
    const char *prov;  /* the provenance columns' values, the same on every row */
    size_t prov_len;
    int failed;
} paths_csv;

static int is_per_path(const metric_info *m) {
    return m->kind == METRIC_VALUE || m->kind == METRIC_INDICATOR;
}

static void paths_header(paths_csv *p, const scenario *a, const scenario *b,
                         const provenance *prov) {
    char name[600];
    fputs("path", p->f);
    for (size_t i = 0; i < a->n_inputs; i++) {
        snprintf(name, sizeof name, "%sinput:%s", b ? "[A] " : "", a->inputs[i].pointer);
        fputc(',', p->f);
        present_csv_field(p->f, name);
    }
    for (size_t i = 0; b && i < b->n_inputs; i++) {
        snprintf(name, sizeof name, "[B] input:%s", b->inputs[i].pointer);
        fputc(',', p->f);
        present_csv_field(p->f, name);
    }
    for (size_t i = 0; i < engine_metric_count(p->e); i++) {
        const metric_info *m = engine_metric(p->e, i);
        if (!is_per_path(m)) continue;
        const char *tag = m->role == ROLE_TWIN ? "[B] " : m->role == ROLE_DIFF ? "[B-A] " : "";
        snprintf(name, sizeof name, "%s%s/%s", tag, m->group, m->key);
        fputc(',', p->f);
        present_csv_field(p->f, name);
    }
    provenance_csv_header(p->f, prov);
    fputc('\n', p->f);
}

static int paths_rows(uint64_t first, uint32_t n, const double *rows, size_t width, void *ud) {
    paths_csv *p = ud;
    const size_t M = engine_metric_count(p->e);
    const size_t in_at = width - p->n_inputs_a - p->n_inputs_b;
    for (uint32_t j = 0; j < n; j++) {
        const double *row = rows + (size_t)j * width;
        fprintf(p->f, "%llu", (unsigned long long)(first + j));
        for (size_t i = 0; i < p->n_inputs_a + p->n_inputs_b; i++) present_csv_number(p->f, row[in_at + i]);
        for (size_t i = 0; i < M; i++)
            if (is_per_path(engine_metric(p->e, i))) present_csv_number(p->f, row[i]);
        fwrite(p->prov, 1, p->prov_len, p->f);
        fputc('\n', p->f);
    }
    if (ferror(p->f)) p->failed = 1;
    return p->failed;
}

/* The index of the structure of sc named name[0 .. len), or SIZE_MAX. */
static size_t structure_named(const scenario *sc, const char *name, size_t len) {
    size_t found = SIZE_MAX;
    for (size_t f = 0; f < sc->n_financing; f++)
        if (strlen(sc->financing[f].name) == len && strncmp(sc->financing[f].name, name, len) == 0)
            found = f;
    return found;
}

/* A --pair that the scenarios refuse: "sibsim: compare: --pair VALUE: "
 * and the reason, then where to read more, as every bad option value. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
pair_refused(const char *v, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: compare: --pair %s: ", prog, v);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry '%s help compare'.\n", prog);
    va_end(ap);
}

/* names_hint for a structure name[0 .. len) that scenario sc does not
 * have, into buf. */
static const char *structures_of(char *buf, size_t size, const scenario *sc, const char *name,
                                 size_t len) {
    char word[SCENARIO_NAME_MAX + 8];
    snprintf(word, sizeof word, "%.*s", (int)(len < sizeof word - 1 ? len : sizeof word - 1), name);
    const char *names[65];
    const size_t k = sc->n_financing < 64 ? sc->n_financing : 64;
    for (size_t f = 0; f < k; f++) names[f] = sc->financing[f].name;
    names[k] = NULL;
    return names_hint(buf, size, word, names, "structures");
}

/* Resolve --pair A=B against the two scenarios into fixed[]. A name may
 * hold '=': the pair is split at the '=' that leaves one of A's structure
 * names before it and one of B's after it (options_pair_splits); a --pair
 * that splits so at several is refused, naming each reading, and one that
 * splits so at none names the side that is not a structure (B's after the
 * first '=' that leaves one of A's names before it, else A's before the
 * first '='). Two --pair that give one of A's structures two partners, or
 * one of B's two, are refused: obeying one would silently drop the other. */
static int fixed_pairs(const run_opts *o, const scenario *a, const scenario *b, size_t *fixed) {
    size_t got_a[OPT_MAX_PAIRS], got_b[OPT_MAX_PAIRS];
    const char *na[64], *nb[64];
    const size_t ka = a->n_financing < 64 ? a->n_financing : 64;
    const size_t kb = b->n_financing < 64 ? b->n_financing : 64;
    for (size_t f = 0; f < ka; f++) na[f] = a->financing[f].name;
    for (size_t f = 0; f < kb; f++) nb[f] = b->financing[f].name;
    for (size_t f = 0; f < a->n_financing; f++) fixed[f] = SIZE_MAX;
    for (int k = 0; k < o->n_pairs; k++) {
        const char *v = o->pair[k];
        size_t at[8];
        const size_t fits = options_pair_splits(v, na, ka, nb, kb, at, 8);
        if (fits > 1) {
            char readings[1024] = "";
            size_t used = 0;
            for (size_t j = 0; j < fits && j < 8 && used < sizeof readings; j++)
                used += (size_t)snprintf(readings + used, sizeof readings - used,
                                         "%sA's \"%.*s\" with B's \"%s\"",
                                         j == 0          ? ""
                                         : j + 1 == fits ? ", or "
                                                         : ", ",
                                         (int)at[j], v, v + at[j] + 1);
            pair_refused(v,
                         "expected one pair of structures, found %zu, as the names hold '=': "
                         "%s%s; rename one of the structures so that one reading is left",
                         fits, readings, fits > 8 ? ", and more" : "");
            return -1;
        }
        if (fits == 0) {
            /* Today's message: the first '=' that leaves one of A's names
             * before it says B has no such structure; without one, A has
             * none named as the text before the first '='. */
            const char *eq = strchr(v, '=');
            for (const char *x = eq; x != NULL; x = strchr(x + 1, '='))
                if (structure_named(a, v, (size_t)(x - v)) != SIZE_MAX) {
                    char those[1200];
                    pair_refused(v, "B has no financing structure named \"%s\"%s", x + 1,
                                 structures_of(those, sizeof those, b, x + 1, strlen(x + 1)));
                    return -1;
                }
            const size_t len = eq ? (size_t)(eq - v) : strlen(v);
            char those[1200];
            pair_refused(v, "A has no financing structure named \"%.*s\"%s", (int)len, v,
                         structures_of(those, sizeof those, a, v, len));
            return -1;
        }
        const size_t ia = structure_named(a, v, at[0]);
        const size_t ib = structure_named(b, v + at[0] + 1, strlen(v + at[0] + 1));
        for (int j = 0; j < k; j++) {
            if ((got_a[j] == ia) == (got_b[j] == ib)) continue; /* apart, or said twice */
            pair_refused(v,
                         "%s's structure \"%s\" is already paired with %s's \"%s\" by "
                         "--pair %s: a structure has one partner; give one of the two",
                         got_a[j] == ia ? "A" : "B",
                         got_a[j] == ia ? a->financing[ia].name : b->financing[ib].name,
                         got_a[j] == ia ? "B" : "A",
                         got_a[j] == ia ? b->financing[got_b[j]].name : a->financing[got_a[j]].name,
                         o->pair[j]);
            return -1;
        }
        got_a[k] = ia;
        got_b[k] = ib;
        fixed[ia] = ib;
    }
    return 0;
}

/* With --checkpoint, a run is saved every CHECKPOINT_PATHS paths (or
 * --checkpoint-every) and at its end. In paths, not seconds: every process of a cluster run must make
 * the same runs. */
#define CHECKPOINT_PATHS ((uint64_t)1 << 20)

/* The progress of a run made in parts: the bar shows the whole. */
typedef struct whole_progress {
    progress *pr;
    uint64_t total;
} whole_progress;

static int progress_of_whole(uint64_t done, uint64_t total, void *ud) {
    const whole_progress *w = ud;
    (void)total;
    return progress_update(done, w->total, w->pr);
}

/* Run e to `total` paths; with o->checkpoint, in parts, saving after each
 * (process 0 only writes) up to the last whole block of the run. */
static int run_saving(engine *e, uint64_t total, const run_opts *o, const checkpoint_of *ck,
                      progress *pr, sib_error *err) {
    if (o->checkpoint == NULL)
        return engine_run(e, total, (unsigned)o->threads, progress_update, pr, err);
    whole_progress wp = {pr, total};
    /* A saved run can be continued only from a whole block: the last one,
     * when shorter, is run after the last save. */
    const uint64_t whole = total / ENGINE_BLOCK_PATHS * ENGINE_BLOCK_PATHS;
    if (whole == 0 && cluster_rank() == 0) { /* nothing it could be continued from */
        char block[32], asked[32];
        present_count(block, sizeof block, ENGINE_BLOCK_PATHS);
        present_count(asked, sizeof asked, total);
        fprintf(stderr,
                "%s: %s: warning: --checkpoint %s: nothing saved: a run is saved in whole "
                "blocks of %s futures, and this one has %s\n",
                prog, o->prov.command, o->checkpoint, block, asked);
    }
    while (engine_paths_done(e) < whole) {
        uint64_t done = engine_paths_done(e);
        const uint64_t every = o->checkpoint_every ? o->checkpoint_every : CHECKPOINT_PATHS;
        uint64_t next = whole - done > every ? done + every : whole;
        int rc = engine_run(e, next, (unsigned)o->threads, progress_of_whole, &wp, err);
        if (rc != SIB_OK) return rc;
        if (cluster_rank() == 0 && checkpoint_save(o->checkpoint, e, ck, err) != SIB_OK) {
            fprintf(stderr, "%s: --checkpoint: %s: %s\n", prog, err->file, err->message);
            return sib_error_set(err, SIB_EIO, NULL, "cannot write the checkpoint");
        }
    }
    return engine_run(e, total, (unsigned)o->threads, progress_of_whole, &wp, err);
}

/* A run that saves to o->checkpoint either continues what that file holds
 * (--resume from the same file) or starts it: a checkpoint already there
 * holds a run's futures, which the first save would replace -- a run
 * started again after a stop with --resume forgotten would lose hours of
 * them. Refused before anything runs, saying whose checkpoint it is: this
 * run's, with its futures and the options that continue it, or why this
 * run cannot continue it (another run's, or damaged). The file is loaded into e to tell, so after a refusal e
 * is only for freeing. 0: the run may save there; EXIT_INPUT, said. */
static int checkpoint_unsafe(engine *e, const run_opts *o, const checkpoint_of *ck) {
    const char *path = o->checkpoint;
    if (path == NULL || !checkpoint_present(path)) return 0;
    if (o->resume != NULL && (strcmp(o->resume, path) == 0 || sib_file_same(o->resume, path)))
        return 0;
    sib_error err;
    if (o->resume == NULL && checkpoint_load(path, e, ck, &err) == SIB_OK) {
        char held[32];
        present_count(held, sizeof held, engine_paths_done(e));
        fprintf(stderr,
                "%s: %s: --checkpoint %s: the file already holds %s futures of this run, which "
                "starting again would replace: continue them with --resume %s --checkpoint %s, "
                "or give --checkpoint a new file to start again\n",
                prog, o->prov.command, path, held, path, path);
    } else if (o->resume == NULL) {
        fprintf(stderr,
                "%s: %s: --checkpoint %s: the file holds a checkpoint this run cannot continue "
                "(%s), which this run would replace: give --checkpoint a new file, or remove this "
                "one if its run is no longer wanted\n",
                prog, o->prov.command, path, err.message);
    } else {
        fprintf(stderr,
                "%s: %s: --checkpoint %s: the file holds a checkpoint, which this run, continued "
                "from %s, would replace: to go on saving, give --checkpoint the file it continues "
                "(%s) or a new one\n",
                prog, o->prov.command, path, o->resume, o->resume);
    }
    return EXIT_INPUT;
}

/* Compile, run and report: the part of `run` and `compare` after loading.
 * o->prov names the scenarios; the run's seed, paths and generator are
 * added here. */
static int run_and_report(scenario *sc, scenario *sc_b, const char *shown, run_opts *o) {
    if (o->have_paths) sc->sim.paths = o->paths;
    if (o->have_seed) sc->sim.seed = o->seed;
    o->prov.seed = sc->sim.seed;
    o->prov.paths = sc->sim.paths;
    o->prov.generator = sc->sim.rng;
    if (o->prov.a.name == NULL) o->prov.a.name = sc->name;
    sib_error err;
    sib_error_clear(&err);
    snprintf(err.file, sizeof err.file, "%s", shown);
    size_t fixed[64], pair[64];
    pair_how how[64];
    if (sc_b != NULL) {
        if (sc->n_financing > 64)
            return input_error("compare", "%s", "compare: at most 64 financing structures");
        if (fixed_pairs(o, sc, sc_b, fixed) != 0) return EXIT_INPUT;
        engine_pair_structures(sc, sc_b, fixed, pair, how);
    }
    engine *e = sc_b ? engine_new_compare(sc, sc_b, pair, &err) : engine_new(sc, &err);
    if (e == NULL) {
        print_error(&err);
        return err.code == SIB_EINVAL ? EXIT_INPUT : EXIT_RUN;
    }
    output paths_out = {0};
    paths_csv pc = {.e = e, .n_inputs_a = sc->n_inputs, .n_inputs_b = sc_b ? sc_b->n_inputs : 0};
    char *prov_row = NULL;
    if (o->paths_out != NULL) {
        FILE *m = open_memstream(&prov_row, &pc.prov_len);
        if (m != NULL) {
            provenance_csv_values(m, &o->prov);
            fclose(m);
        }
        if (m == NULL || prov_row == NULL || output_open(&paths_out, o->paths_out) != 0) {
            if (m == NULL || prov_row == NULL) fprintf(stderr, "%s: out of memory\n", prog);
            free(prov_row);
            engine_free(e);
            return EXIT_RUN;
        }
        pc.prov = prov_row;
        pc.f = paths_out.f;
        paths_header(&pc, sc, sc_b, &o->prov);
        engine_observe_paths(e, paths_rows, &pc);
    }
    const checkpoint_of ck = {.hash_a = o->prov.a.hash,
                              .hash_b = sc_b ? o->prov.b.hash : 0,
                              .case_a = o->prov.a.case_name,
                              .case_b = sc_b ? o->prov.b.case_name : NULL,
                              .seed = sc->sim.seed,
                              .generator = sc->sim.rng};
    if (checkpoint_unsafe(e, o, &ck) != 0) {
        free(prov_row);
        if (o->paths_out != NULL) output_abort(&paths_out);
        engine_free(e);
        return EXIT_INPUT;
    }
    if (o->resume != NULL && checkpoint_load(o->resume, e, &ck, &err) != SIB_OK) {
        print_error(&err);
        free(prov_row);
        if (o->paths_out != NULL) output_abort(&paths_out);
        engine_free(e);
        return err.code == SIB_ENOMEM ? EXIT_RUN : EXIT_INPUT; /* the --resume file is an input */
    }
    if (o->resume != NULL && engine_paths_done(e) > sc->sim.paths) {
        /* A run cannot be shortened: the run that never stopped, of fewer
         * futures, is not in the checkpoint. Reporting the checkpoint's
         * futures instead would be another run than the one asked for. */
        char held[32], asked[32];
        present_count(held, sizeof held, engine_paths_done(e));
        present_count(asked, sizeof asked, sc->sim.paths);
        fprintf(stderr, "%s: %s: --resume %s: the checkpoint already holds %s futures, more than ",
                prog, o->prov.command, o->resume, held);
        if (o->have_paths)
            fprintf(stderr, "the %s --paths asks for", asked);
        else
            fprintf(stderr, "the scenario's simulation.paths (%s)", asked);
        fprintf(stderr, " (a run cannot be shortened): --paths must be at least %s\n", held);
        free(prov_row);
        engine_free(e);
        return EXIT_INPUT;
    }
    progress pr;
    progress_begin(&pr, o->quiet);
    int rc = run_saving(e, sc->sim.paths, o, &ck, &pr, &err);
    progress_end(&pr);
    int status = 0;
    if (rc != SIB_OK) {
        fprintf(stderr, "%s: run failed: %s\n", prog,
                pc.failed ? "cannot write the paths file" : err.message);
        status = EXIT_RUN;
    }
    if (o->paths_out != NULL) {
        if (status != 0) output_abort(&paths_out);
        else if (output_commit(&paths_out) != 0) status = EXIT_RUN;
    }
    if (status == 0) {
        o->prov.paths = engine_paths_done(e); /* the run's own count, whatever was asked */
        report_run rr = {.scenario_file = shown,
                         .case_name = sc_b ? NULL : o->prov.a.case_name,
                         .scenario_b = sc_b,
                         .pair = sc_b ? pair : NULL,
                         .how = sc_b ? how : NULL,
                         .threads = (unsigned)o->threads,
                         .seconds = progress_now() - pr.start,
                         .width = o->width,
                         .seed_given = o->have_seed};
        /* The report is built in memory (it is small), then written with
         * its provenance by the one writer. */
        char *buf = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&buf, &len);
        int wr = mem ? report_write(mem, o->fmt, sc, e, &rr) : -1;
        if (mem == NULL || fclose(mem) != 0 || wr != 0) {
            fprintf(stderr, "%s: cannot write the report: %s\n", prog, strerror(errno));
            status = EXIT_RUN;
        } else if (output_emit_doc(o->out, o->fmt, &o->prov, buf, len) != 0) {
            status = EXIT_RUN;
        }
        free(buf);
    }
    free(prov_row);
    engine_free(e);
    return status;
}

static int cmd_run(const cli_command *c, run_opts *o) {
    (void)c;
    if (o->n_cases > 1)
        return input_error("run", "run: %s", "one --case at a time (compare takes two)");
    const char *shown;
    o->prov.a.case_name = o->n_cases ? o->cases[0] : NULL;
    scenario *sc = load_case(c->name, o->n_files ? o->files[0] : NULL, o->prov.a.case_name, &shown,
                             &o->prov.a.hash);
    if (sc == NULL) return EXIT_INPUT;
    o->prov.a.file = shown;
    if (check_warnings(sc, shown, o) != 0) {
        scenario_free(sc);
        return EXIT_INPUT;
    }
    int status = run_and_report(sc, NULL, shown, o);
    scenario_free(sc);
    return status;
}

/* compare A B; compare S --case X (S as written against case X); compare S
 * --case X --case Y; compare A B --case X --case Y (each file's case). */
static int cmd_compare(const cli_command *c, run_opts *o) {
    (void)c;
    const char *fa = NULL, *fb = NULL, *ca = NULL, *cb = NULL;
    if (o->n_files == 2 && o->n_cases == 0) {
        fa = o->files[0], fb = o->files[1];
    } else if (o->n_files == 2 && o->n_cases == 2) {
        fa = o->files[0], fb = o->files[1], ca = o->cases[0], cb = o->cases[1];
    } else if (o->n_files <= 1 && o->n_cases >= 1) {
        fa = fb = o->n_files ? o->files[0] : NULL;
        if (o->n_cases == 2) ca = o->cases[0];
        cb = o->cases[o->n_cases - 1];
    } else {
        char found[96];
        snprintf(found, sizeof found, "%d scenario%s and %s --case", o->n_files,
                 o->n_files == 1 ? "" : "s", o->n_cases == 0 ? "no" : o->n_cases == 1 ? "1" : "2");
        return input_error("compare",
                           "compare: expected two scenarios A and B (with --case twice, A's case "
                           "then B's, or not at all), or one scenario with --case (once: the "
                           "scenario against that case; twice: case against case); found %s",
                           found);
    }
    const char *shown_a, *shown_b;
    scenario *a = load_case(c->name, fa, ca, &shown_a, &o->prov.a.hash);
    scenario *b = a ? load_case(c->name, fb, cb, &shown_b, &o->prov.b.hash) : NULL;
    int status = EXIT_INPUT;
    if (a && b && strcmp(a->currency, b->currency) != 0) {
        /* Every difference of money would subtract one currency from
         * another, and B's amounts would be written in A's. */
        fprintf(stderr,
                "%s: %s: /currency: expected \"%s\", the currency of A (%s), found \"%s\": B - A "
                "would subtract amounts in different currencies; convert one scenario's amounts "
                "first\n",
                prog, shown_b, a->currency, shown_a, b->currency);
        scenario_free(a);
        scenario_free(b);
        return EXIT_INPUT;
    }
    if (a && b && (check_warnings(a, shown_a, o) != 0 ||
                   (fb != fa || cb != ca ? check_warnings(b, shown_b, o) != 0 : 0))) {
        scenario_free(a);
        scenario_free(b);
        return EXIT_INPUT;
    }
    char *name_a = NULL, *name_b = NULL; /* the scenarios' own names, for the provenance */
    if (a && b) {
        o->prov.a.file = shown_a;
        o->prov.a.case_name = ca;
        o->prov.a.name = name_a = strdup(a->name);
        o->prov.b.file = shown_b;
        o->prov.b.case_name = cb;
        o->prov.b.name = name_b = strdup(b->name);
        if (ca || cb) {
            /* Name the sides for the report. */
            /* Whole: a case's name is the user's, not to be cut. */
            char *na = malloc(strlen(a->name) + (ca ? strlen(ca) : 0) + 16),
                 *nb = malloc(strlen(b->name) + (cb ? strlen(cb) : 0) + 16);
            if (na && nb) {
                sprintf(na, "%s%s%s%s", a->name, ca ? ", case \"" : "", ca ? ca : "", ca ? "\"" : "");
                sprintf(nb, "%s%s%s%s", b->name, cb ? ", case \"" : "", cb ? cb : "", cb ? "\"" : "");
                free(a->name);
                free(b->name);
                a->name = na;
                b->name = nb;
            } else {
                free(na);
                free(nb);
            }
        }
        /* B runs on A's random streams: its own paths and seed are not used. */
        b->sim.paths = a->sim.paths;
        status = run_and_report(a, b, shown_a, o);
    }
    free(name_a);
    free(name_b);
    scenario_free(a);
    scenario_free(b);
    return status;
}

/* ------------------------------------------------------- other commands */

static int cmd_ledger(const cli_command *c, run_opts *o) {
    int backtest = strcmp(c->name, "backtest") == 0;
    if (o->have_path && o->n_cases)
        return input_error("cashflows", "cashflows: %s",
                           "--path and --case choose different futures: give one");
    if (o->n_cases > 1) return input_error("cashflows", "%s", "cashflows: one --case at a time");
    if (o->have_seed && !o->have_path)
        return input_error("cashflows", "cashflows: %s",
                           "--seed: expected --path K with it (the seed of the run future K is "
                           "drawn from), found none: the expected case and a --case draw "
                           "nothing, so a seed would change nothing");
    const char *shown;
    o->prov.a.case_name = o->n_cases ? o->cases[0] : NULL;
    scenario *sc = load_case(c->name, o->n_files ? o->files[0] : NULL, o->prov.a.case_name, &shown,
                             &o->prov.a.hash);
    if (sc == NULL) return EXIT_INPUT;
    if (check_warnings(sc, shown, o) != 0) {
        scenario_free(sc);
        return EXIT_INPUT;
    }
    if (o->have_seed) sc->sim.seed = o->seed;
    /* One future: the expected case, future K, or the realised record. */
    o->prov.a.name = sc->name;
    o->prov.a.file = shown;
    o->prov.seed = sc->sim.seed;
    o->prov.generator = sc->sim.rng;
    o->prov.future = backtest ? "realised" : o->have_path ? "path" : o->n_cases ? "case" : "expected";
    o->prov.path = o->path;
    int status = backtest ? cmd_backtest(o, sc, shown) : cmd_cashflows(o, sc, shown);
    scenario_free(sc);
    return status;
}

/* sweep, tornado, solve, converge, pilot-value: one scenario, its text. */
static int cmd_analysis(const cli_command *c, run_opts *o,
                        int (*fn)(const run_opts *, const char *, const char *)) {
    const char *shown;
    char *text = read_text(o->n_files ? o->files[0] : NULL, &shown, &o->prov.a.hash);
    if (text == NULL) return EXIT_INPUT;
    /* The scenario's own warnings, once (the analysis loads it again with
     * its overrides). A scenario that does not load as written is reported
     * as such, here: a sweep and a solve blamed their first point ("point 1
     * of 3 ... is a value the scenario does not take") for a syntax error in
     * the file. (An analysis needs the scenario as written: its terms and
     * their current values are read from it.) */
    sib_error err;
    scenario *sc = scenario_load_string(text, shown, &err);
    if (sc == NULL) {
        print_error(&err);
        free(text);
        return err.code == SIB_EINVAL || err.code == SIB_ESYNTAX ? EXIT_INPUT : 1;
    }
    int bad = check_warnings(sc, shown, o) != 0;
    /* The paths of each run, as the analysis will choose them. */
    unsigned long long paths = sc->sim.paths;
    if (strcmp(c->name, "tornado") == 0 || strcmp(c->name, "solve") == 0)
        paths = OPT_ANALYSIS_PATHS;
    else if (strcmp(c->name, "converge") == 0)
        paths = OPT_CONVERGE_PATHS;
    o->prov.a.name = sc->name;
    o->prov.a.file = shown;
    o->prov.seed = o->have_seed ? o->seed : sc->sim.seed;
    o->prov.paths = o->have_paths ? o->paths : paths;
    o->prov.generator = sc->sim.rng;
    int status = bad ? EXIT_INPUT : fn(o, text, shown);
    scenario_free(sc);
    free(text);
    return status;
}

static int cmd_tui(const cli_command *c, run_opts *o) {
    (void)c;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "%s: tui: needs a terminal (for scripts, use run, sweep or compare)\n", prog);
        return EXIT_INPUT;
    }
    const char *shown;
    uint64_t hash;
    char *text = read_text(o->n_files ? o->files[0] : NULL, &shown, &hash);
    if (text == NULL) return EXIT_INPUT;
    /* A library scenario given by its name is the library's, not the
     * user's: the session saves a copy, as of the built-in scenario. */
    char lib_shown[LIBRARY_PATH_MAX + 16], lib_name[LIBRARY_PATH_MAX];
    const char *lib = NULL;
    if (o->n_files && o->library_name) {
        /* "utah-preschool.json" names it too: the name without ".json". */
        size_t n = strlen(o->library_name);
        if (n > 5 && strcmp(o->library_name + n - 5, ".json") == 0) n -= 5;
        snprintf(lib_name, sizeof lib_name, "%.*s", (int)n, o->library_name);
        snprintf(lib_shown, sizeof lib_shown, "<library %s>", o->files[0]);
        lib = lib_name;
    }
    int status = tui_main(text, o->n_files && !lib ? o->files[0] : NULL, lib ? lib_shown : shown,
                          lib, (unsigned)o->threads);
    free(text);
    return status;
}

static int cmd_validate(const cli_command *c, run_opts *o) {
    (void)c;
    if (o->n_files == 0) return input_error("validate", "validate: %s", "no scenario file given");
    library_dir dirs[LIBRARY_MAX_DIRS];
    size_t n_dirs = library_dirs(dirs, LIBRARY_MAX_DIRS);
    int bad = 0;
    for (int i = 0; i < o->n_files; i++) {
        /* A library name is validated as the file it names. */
        const char *path = o->files[i];
        char *found = library_find(path, dirs, n_dirs);
        if (found == NULL) {
            fprintf(stderr, "%s: no such file, and no scenario of that name in the library (",
                    path);
            library_print_dirs(stderr, dirs, n_dirs);
            fprintf(stderr, ")\n");
            bad++;
            continue;
        }
        path = found;
        sib_error err;
        scenario *sc = scenario_load_file(path, &err);
        if (sc == NULL) {
            print_error(&err);
            bad++;
            free(found);
            continue;
        }
        /* What only the engine knows (the generator's name) is checked by
         * compiling the scenario, exactly as `run` would. */
        sib_error_clear(&err);
        snprintf(err.file, sizeof err.file, "%s", path);
        engine *e = engine_new(sc, &err);
        if (e == NULL) {
            print_error(&err);
            bad++;
        } else if (o->strict && scenario_warnings(sc, NULL, 0) > 0) {
            /* Failed by --strict: its warnings, and no "ok". */
            size_t nw = print_warnings(sc, path);
            fprintf(stderr, "%s: %zu warning%s treated as error%s (--strict)\n", path, nw,
                    nw == 1 ? "" : "s", nw == 1 ? "" : "s");
            bad++;
        } else {
            size_t cohorts = 0;
            for (size_t s = 0; s < sc->n_stages; s++) cohorts += sc->stages[s].n_cohorts;
            printf("%s: ok: \"%s\": %zu stage%s, %zu cohort%s, %zu outcome%s, %zu payment rule%s, "
                   "%zu financing structure%s",
                   path, sc->name, sc->n_stages, sc->n_stages == 1 ? "" : "s", cohorts,
                   cohorts == 1 ? "" : "s", sc->n_outcomes, sc->n_outcomes == 1 ? "" : "s",
                   sc->contract.n_rules, sc->contract.n_rules == 1 ? "" : "s", sc->n_financing,
                   sc->n_financing == 1 ? "" : "s");
            if (sc->n_cases) printf(", %zu case%s", sc->n_cases, sc->n_cases == 1 ? "" : "s");
            if (sc->realised.present) printf(", a realised record");
            printf("\n");
            if (o->verbose) sources_print(stdout, sc);
            (void)output_flush_stdout(); /* a failure is reported at the end */
            print_warnings(sc, path);
        }
        engine_free(e);
        scenario_free(sc);
        free(found);
    }
    return bad ? EXIT_INPUT : 0;
}

static int cmd_list(const cli_command *c, run_opts *o) {
    (void)c, (void)o;
    library_dir dirs[LIBRARY_MAX_DIRS];
    size_t n = library_dirs(dirs, LIBRARY_MAX_DIRS);
    if (library_list(stdout, dirs, n) == 0) {
        fprintf(stderr, "%s: list: the library is empty: no scenario in ", prog);
        library_print_dirs(stderr, dirs, n);
        fprintf(stderr, "\n");
    }
    return 0; /* a failed write is reported at the end (output_close_stdout) */
}

/* calibrate: the scenario (with its warnings) beside the INDIGO record. */
static int cmd_calibrate_scenario(run_opts *o) {
    const char *shown;
    scenario *sc =
        load_case("calibrate", o->n_files ? o->files[0] : NULL, NULL, &shown, &o->prov.a.hash);
    if (sc == NULL) return EXIT_INPUT;
    int status = check_warnings(sc, shown, o) != 0 ? EXIT_INPUT : cmd_calibrate(o, sc, shown);
    scenario_free(sc);
    return status;
}

/* ------------------------------------------------------------- dispatch */

/* Each SCENARIO argument names the file it is, or the library's file of
 * that name (library.h). Returns -1 to go on, or 2 after a message. */
static int find_scenarios(const cli_command *c, run_opts *o) {
    library_dir dirs[LIBRARY_MAX_DIRS];
    size_t n = library_dirs(dirs, LIBRARY_MAX_DIRS);
    for (int i = 0; i < o->n_files; i++) {
        char *found = library_find(o->files[i], dirs, n);
        if (found == NULL) {
            fprintf(stderr, "%s: %s: no scenario '%s': no such file, and none of that name in "
                            "the library (", prog, c->name, o->files[i]);
            library_print_dirs(stderr, dirs, n);
            fprintf(stderr, ")\nTry '%s list'.\n", prog);
            return EXIT_INPUT;
        }
        /* library_find gives the argument itself back when it is a file. */
        if (i == 0 && strcmp(found, o->files[i]) != 0 &&
            (o->library_name = strdup(o->files[i])) == NULL) {
            free(found);
            return input_error(c->name, "%s: out of memory", c->name);
        }
        free(o->files[i]);
        o->files[i] = found;
    }
    /* The built-in default is a copy of the library's Peterborough: an
     * output over that file would replace the scenario the run stands
     * for ('sibsim backtest -o scenarios/peterborough.json'). */
    if (o->n_files == 0 && c->max_files != 0)
        o->default_file = library_lookup(DEFAULT_LIBRARY_NAME, dirs, n);
    return -1;
}

static int dispatch(const cli_command *c, run_opts *o) {
    const char *n = c->name;
    if (strcmp(n, "run") == 0) return cmd_run(c, o);
    if (strcmp(n, "compare") == 0) return cmd_compare(c, o);
    if (strcmp(n, "cashflows") == 0 || strcmp(n, "backtest") == 0) return cmd_ledger(c, o);
    if (strcmp(n, "validate") == 0) return cmd_validate(c, o);
    if (strcmp(n, "list") == 0) return cmd_list(c, o);
    if (strcmp(n, "tui") == 0) return cmd_tui(c, o);
    if (strcmp(n, "sweep") == 0) return cmd_analysis(c, o, cmd_sweep_text);
    if (strcmp(n, "tornado") == 0) return cmd_analysis(c, o, cmd_tornado_text);
    if (strcmp(n, "solve") == 0) return cmd_analysis(c, o, cmd_solve_text);
    if (strcmp(n, "converge") == 0) return cmd_analysis(c, o, cmd_converge_text);
    if (strcmp(n, "pilot-value") == 0) return cmd_analysis(c, o, cmd_pilot_text);
    if (strcmp(n, "report") == 0) return cmd_analysis(c, o, cmd_report_text);
    if (strcmp(n, "import") == 0) return cmd_import(o);
    if (strcmp(n, "calibrate") == 0) return cmd_calibrate_scenario(o);
    return input_error(NULL, "unknown command '%s'", n);
}

static int sibsim_main(int argc, char **argv);

/* "unknown command 'rnu': did you mean 'run'?", after `prefix` ("help: "
 * or NULL). Returns the exit status of bad input. */
static int unknown_command(const char *prefix, const char *word) {
    size_t n = 0;
    const cli_command *all = cli_commands(&n);
    const char *names[64];
    size_t k = 0;
    for (size_t i = 0; i < n && k < 63; i++) names[k++] = all[i].name;
    names[k] = NULL;
    const char *near = sib_suggest(word, names);
    char msg[400];
    snprintf(msg, sizeof msg, "%sunknown command '%.200s'%s%s%s", prefix ? prefix : "", word,
             near ? ": did you mean '" : "", near ? near : "", near ? "'?" : "");
    return input_error(NULL, "%s", msg);
}

int main(int argc, char **argv) {
    /* Under mpirun (make MPI=1) the processes join one cluster run. */
    cluster_start(&argc, &argv);
    /* Every command's standard output is checked once, here, before the
     * cluster agrees on the status: a lost output is a failure. */
    return cluster_finish(output_close_stdout(sibsim_main(argc, argv)));
}

static int sibsim_main(int argc, char **argv) {
    /* GSL's default handler aborts; the core checks return codes instead. */
    gsl_set_error_handler_off();
    setlocale(LC_CTYPE, ""); /* display widths and chart blocks (present/text.h) */
    if (argc < 2) {
        cli_usage_main(stderr);
        return EXIT_INPUT;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
        /* "--help run" is "help run" (it printed the general help, run
         * unread, where "-V run" is refused). */
        if (argc > 2) {
            cmd = "help";
        } else {
            cli_usage_main(stdout);
            return 0;
        }
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        if (argc > 2) {
            char msg[256];
            snprintf(msg, sizeof msg, "%s takes nothing after it, found '%.200s'", cmd, argv[2]);
            return input_error(NULL, "%s", msg);
        }
        cli_version(stdout);
        return 0;
    }
    if (strcmp(cmd, "help") == 0) {
        if (argc < 3) {
            cli_usage_main(stdout);
            return 0;
        }
        const char *of = argv[2];
        if (strcmp(of, "-h") == 0 || strcmp(of, "--help") == 0) of = "help";
        const cli_command *c = cli_command_find(of);
        if (c == NULL) return unknown_command("help: ", of);
        /* "import indigo", as the usage lists it, is import's help. */
        const int sub =
            argc == 4 && strcmp(c->name, "import") == 0 && strcmp(argv[3], "indigo") == 0;
        if (argc > 3 && !sub)
            return input_error("help", "help: takes one command, found also '%s'", argv[3]);
        cli_usage(stdout, c);
        return 0;
    }
    const cli_command *c = cli_command_find(cmd);
    if (c == NULL) return unknown_command(NULL, cmd);
    run_opts o;
    int status = options_parse(argc - 1, argv + 1, c, &o);
    if (status >= 0) return status;
    o.prov.command = c->name;
    /* validate reports a scenario it cannot find as one of its files. */
    /* import's arguments are a format and a record, not scenarios. */
    if (c->max_files != -1 && strcmp(c->name, "import") != 0) status = find_scenarios(c, &o);
    if (status < 0) status = options_check_outputs(c, &o);
    /* An output that cannot be written is said now, not after the run:
     * a missing directory, or one without permission (exit 1, as when the
     * writing itself fails). Process 0 writes them. */
    if (status < 0 && cluster_rank() == 0 &&
        (output_check(o.out) != 0 || output_check(o.paths_out) != 0 ||
         output_check(o.checkpoint) != 0))
        status = EXIT_RUN;
    if (status < 0 && cluster_rank() != 0) {
        /* Process 0 writes every output; the others only simulate. */
        o.out = NULL;
        o.paths_out = NULL;
        o.quiet = 1;
    }
    if (status < 0 && cluster_size() > 1 && strcmp(c->name, "tui") == 0)
        status = input_error("tui", "%s",
                             "tui: the interactive session runs in one process, not under mpirun");
    if (status < 0) status = dispatch(c, &o);
    options_free(&o);
    return status;
}
