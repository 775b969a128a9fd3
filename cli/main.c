/* main.c -- the sibsim command line: argument parsing and subcommands.
 *
 *   sibsim run [SCENARIO.json] [--case NAME] [--paths N] [--seed S] [--threads T]
 *              [--format table|json|csv] [--out FILE] [--paths-out FILE.csv] [--quiet]
 *   sibsim compare A.json B.json | SCENARIO --case X [--case Y] [--pair A=B] [...]
 *   sibsim cashflows [SCENARIO.json] [--path K | --case NAME] [--annual] [...]
 *   sibsim backtest SCENARIO.json [--realised FILE] [...]
 *   sibsim validate SCENARIO.json...
 *   sibsim sweep | tornado | solve | converge | pilot-value | tui ... (see --help)
 *
 * The commands, their help and the options each takes are in commands.c.
 * Exit status: 0 success; 1 a run or an output file failed (or a backtest
 * did not reproduce its record); 2 bad input (usage, or a scenario that
 * does not load). This is the only layer that prints; the core returns
 * values and errors.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* sysconf(_SC_NPROCESSORS_ONLN) */
#endif
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../model/file.h"
#include "../model/scenario.h"
#include "../present/format.h"
#include "../sim/engine.h"
#include "../sim/warnings.h"
#include "../tui/tui.h"
#include "commands.h"
#include "options.h"
#include "output.h"
#include "progress.h"
#include "sources.h"
#include "report.h"

#ifndef SIBSIM_VERSION
#define SIBSIM_VERSION "dev"
#endif

enum { EXIT_RUN = 1, EXIT_INPUT = 2 };

/* The default scenario, compiled in from scenarios/peterborough.json. */
extern const char sibsim_default_scenario[];
#define DEFAULT_NAME "<built-in scenarios/peterborough.json>"

static const char *prog = "sibsim";

static int input_error(const char *fmt, const char *arg) {
    fprintf(stderr, "%s: ", prog);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry '%s --help'.\n", prog);
    return EXIT_INPUT;
}

static void print_error(const sib_error *err) {
    char buf[1200];
    fprintf(stderr, "%s\n", sib_error_format(err, buf, sizeof buf));
}

/* ------------------------------------------------------------ parsing */

/* Parse a whole number in [lo, hi] from s. Returns 0 on success. */
static int parse_u64(const char *s, unsigned long long lo, unsigned long long hi,
                     unsigned long long *out) {
    /* Digits only: strtoull would also take " 5", "+5" and "-5" (wrapped). */
    if (s == NULL || *s < '0' || *s > '9') return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end != '\0' || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

/* Parse a finite number. Returns 0 on success. */
static int parse_double(const char *s, double *out) {
    /* strtod would also take leading blanks: " 0.5" is refused like "0.5x". */
    if (s == NULL || *s == '\0' || *s == ' ' || *s == '\t' || *s == '\n') return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end != '\0' || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

/* Parse argv (argv[0] is the command) into o for command c: its scenario
 * files and the options it takes (c->options; any other is refused).
 * Returns -1 to go on, or the exit status to return now (0 after --help). */
static int parse_run_opts(int argc, char **argv, const cli_command *c, run_opts *o) {
    memset(o, 0, sizeof *o);
    o->fmt = FORMAT_TABLE;
    o->pct = 0.10;
    for (int k = 0; k < OPT_MAX_PARAMS; k++) o->steps[k] = 11;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    o->threads = ncpu > 0 ? (unsigned long long)ncpu : 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        char opt[32] = "";
        if (a[0] == '-' && a[1] != '\0') {
            const char *eq = strchr(a, '=');
            size_t len = eq && a[1] == '-' ? (size_t)(eq - a) : strlen(a);
            snprintf(opt, sizeof opt, "%.*s", (int)(len < sizeof opt ? len : sizeof opt - 1), a);
            if (eq && a[1] == '-') val = eq + 1;
        }
#define IS(s, l) (strcmp(opt, s) == 0 || strcmp(opt, l) == 0)
#define VALUE()                                                                   \
    do {                                                                          \
        if (val == NULL) {                                                        \
            if (i + 1 >= argc) return input_error("option '%s' needs a value", opt); \
            val = argv[++i];                                                      \
        }                                                                         \
    } while (0)
        static const struct {
            const char *s, *l;
            unsigned bit;
        } known[] = {{"-n", "--paths", OPT_PATHS},         {"-s", "--seed", OPT_SEED},
                     {"-t", "--threads", OPT_THREADS},     {"-f", "--format", OPT_FORMAT},
                     {"-o", "--out", OPT_OUT},             {"-q", "--quiet", OPT_QUIET},
                     {"-p", "--param", OPT_PARAM},         {"--from", "--from", OPT_PARAM},
                     {"--to", "--to", OPT_PARAM},          {"--steps", "--steps", OPT_PARAM},
                     {"-m", "--metric", OPT_METRIC},       {"--target", "--target", OPT_TARGET},
                     {"--pct", "--pct", OPT_PCT},          {"--precision", "--precision", OPT_PRECISION},
                     {"--case", "--case", OPT_CASE},       {"--paths-out", "--paths-out", OPT_PATHS_OUT},
                     {"--path", "--path", OPT_PATH},       {"--annual", "--annual", OPT_ANNUAL},
                     {"--realised", "--realised", OPT_REALISED}, {"--pair", "--pair", OPT_PAIR},
                     {"--strict", "--strict", OPT_STRICT}};
        if (opt[0] != '\0' && !IS("-h", "--help")) {
            unsigned bit = 0;
            for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
                if (IS(known[k].s, known[k].l)) bit = known[k].bit;
            if (bit == 0) {
                char msg[80];
                snprintf(msg, sizeof msg, "%s: unknown option '%%s'", c->name);
                return input_error(msg, a);
            }
            if (!(c->options & bit)) {
                char msg[200];
                snprintf(msg, sizeof msg, "%s: option '%%s' does not apply to %s%s", c->name,
                         c->name,
                         strcmp(c->name, "tui") == 0
                             ? " (only --threads does: the paths and seed are the scenario's "
                               "simulation fields, edited in the tree)"
                             : "");
                return input_error(msg, opt);
            }
            if (bit != OPT_THREADS) o->other_options++;
        }
        if (opt[0] == '\0') {
            if (o->n_files >= c->max_files)
                return input_error(c->max_files == 1 ? "more than one scenario given ('%s')"
                                                     : "too many scenarios given ('%s')",
                                   a);
            o->files[o->n_files++] = a;
        } else if (IS("-h", "--help")) {
            cli_usage(stdout, c);
            return 0;
        } else if (IS("-q", "--quiet")) {
            o->quiet = 1;
        } else if (IS("--annual", "--annual")) {
            o->annual = 1;
        } else if (IS("--strict", "--strict")) {
            o->strict = 1;
        } else if (IS("-n", "--paths")) {
            VALUE();
            if (parse_u64(val, 1, 1000000000000ULL, &o->paths))
                return input_error("--paths: expected a whole number from 1 to 1e12, found '%s'", val);
            o->have_paths = 1;
        } else if (IS("-s", "--seed")) {
            VALUE();
            if (parse_u64(val, 0, 9007199254740992ULL, &o->seed))
                return input_error("--seed: expected a whole number from 0 to 2^53, found '%s'", val);
            o->have_seed = 1;
        } else if (IS("-t", "--threads")) {
            VALUE();
            if (parse_u64(val, 1, 1024, &o->threads))
                return input_error("--threads: expected a whole number from 1 to 1024, found '%s'", val);
        } else if (IS("--path", "--path")) {
            VALUE();
            if (parse_u64(val, 0, 1000000000000ULL, &o->path))
                return input_error("--path: expected a future's index, a whole number from 0, found '%s'", val);
            o->have_path = 1;
        } else if (IS("-f", "--format")) {
            VALUE();
            if (strcmp(val, "table") == 0) o->fmt = FORMAT_TABLE;
            else if (strcmp(val, "json") == 0) o->fmt = FORMAT_JSON;
            else if (strcmp(val, "csv") == 0) o->fmt = FORMAT_CSV;
            else return input_error("--format: expected table, json or csv, found '%s'", val);
        } else if (IS("-o", "--out")) {
            VALUE();
            o->out = val;
        } else if (IS("--paths-out", "--paths-out")) {
            VALUE();
            o->paths_out = val;
        } else if (IS("--realised", "--realised")) {
            VALUE();
            o->realised = val;
        } else if (IS("--case", "--case")) {
            VALUE();
            if (o->n_cases >= 2) return input_error("--case: at most two cases ('%s')", val);
            o->cases[o->n_cases++] = val;
        } else if (IS("--pair", "--pair")) {
            VALUE();
            const char *eq = strchr(val, '=');
            if (eq == NULL || eq == val || eq[1] == '\0')
                return input_error("--pair: expected A=B, the name of one of A's financing "
                                   "structures and one of B's, found '%s'", val);
            if (o->n_pairs >= OPT_MAX_PAIRS) return input_error("--pair: too many pairs ('%s')", val);
            o->pair_a[o->n_pairs] = val;
            o->pair_b[o->n_pairs++] = eq + 1;
        } else if (IS("-p", "--param")) {
            VALUE();
            int most = strcmp(c->name, "solve") == 0 ? OPT_MAX_PARAMS : 2;
            if (o->n_params >= most) {
                char msg[80];
                snprintf(msg, sizeof msg, "--param: at most %d parameters ('%%s')", most);
                return input_error(msg, val);
            }
            o->param[o->n_params++] = val;
        } else if (IS("--from", "--from") || IS("--to", "--to") || IS("--steps", "--steps")) {
            VALUE();
            int k = o->n_params ? o->n_params - 1 : 0;
            double v;
            if (strcmp(opt, "--steps") == 0) {
                unsigned long long st;
                if (parse_u64(val, 1, 1000, &st))
                    return input_error("--steps: expected a whole number from 1 to 1000, found '%s'", val);
                o->steps[k] = (int)st;
            } else if (parse_double(val, &v)) {
                return input_error(strcmp(opt, "--from") == 0
                                       ? "--from: expected a number, found '%s'"
                                       : "--to: expected a number, found '%s'",
                                   val);
            } else if (strcmp(opt, "--from") == 0) {
                o->from[k] = v;
                o->have_from[k] = 1;
            } else {
                o->to[k] = v;
                o->have_to[k] = 1;
            }
        } else if (IS("-m", "--metric")) {
            VALUE();
            o->metric = val;
        } else if (IS("--target", "--target")) {
            VALUE();
            o->target = val;
        } else if (IS("--pct", "--pct")) {
            VALUE();
            if (parse_double(val, &o->pct) || o->pct <= 0 || o->pct >= 1)
                return input_error("--pct: expected a fraction between 0 and 1 (0.1 = 10%%), found '%s'", val);
        } else if (IS("--precision", "--precision")) {
            VALUE();
            if (parse_double(val, &o->precision) || o->precision <= 0)
                return input_error("--precision: expected a standard error > 0, found '%s'", val);
            o->have_precision = 1;
        }
#undef IS
#undef VALUE
    }
    /* An output that is an input would destroy it: refuse it before
     * anything runs. */
    const char *outs[2] = {o->out, o->paths_out};
    const char *ins[3] = {o->files[0], o->files[1], o->realised};
    for (int k = 0; k < 2; k++) {
        if (outs[k] == NULL) continue;
        for (int j = 0; j < 3; j++)
            if (ins[j] != NULL && sib_file_same(outs[k], ins[j])) {
                char msg[160];
                snprintf(msg, sizeof msg, "%s: %s '%%s' is an input: it would be overwritten "
                                          "(write elsewhere)",
                         c->name, k ? "--paths-out" : "--out");
                return input_error(msg, outs[k]);
            }
    }
    if (o->out && o->paths_out &&
        (strcmp(o->out, o->paths_out) == 0 || sib_file_same(o->out, o->paths_out)))
        return input_error("--out and --paths-out name the same file ('%s')", o->out);
    return -1;
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
 * caller frees it. NULL (after a message) when the file cannot be read. */
static char *read_text(const char *path, const char **shown) {
    *shown = path ? path : DEFAULT_NAME;
    if (path == NULL) return strdup(sibsim_default_scenario);
    sib_error err;
    char *text = sib_file_read(path, &err);
    if (text == NULL) print_error(&err);
    return text;
}

/* Load a scenario (path, or the built-in default when NULL), with the
 * named case's overrides applied when case_name is set. NULL after a
 * message when it does not load or has no such case. */
static scenario *load_case(const char *path, const char *case_name, const char **shown) {
    char *text = read_text(path, shown);
    if (text == NULL) return NULL;
    sib_error err;
    scenario *sc = scenario_load_string(text, *shown, &err);
    if (sc == NULL) print_error(&err);
    if (sc != NULL && case_name != NULL) {
        size_t k = scenario_find_case(sc, case_name);
        if (k == SIZE_MAX) {
            fprintf(stderr, "%s: %s: /cases: no case named \"%s\"", prog, *shown, case_name);
            for (size_t i = 0; i < sc->n_cases; i++)
                fprintf(stderr, "%s\"%s\"", i ? ", " : " (its cases: ", sc->cases[i].name);
            fprintf(stderr, "%s\n", sc->n_cases ? ")" : " (it has none)");
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
    int failed;
} paths_csv;

static int is_per_path(const metric_info *m) {
    return m->kind == METRIC_VALUE || m->kind == METRIC_INDICATOR;
}

static void paths_header(paths_csv *p, const scenario *a, const scenario *b) {
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
        fputc('\n', p->f);
    }
    if (ferror(p->f)) p->failed = 1;
    return p->failed;
}

/* Resolve --pair A=B against the two scenarios into fixed[]. */
static int fixed_pairs(const run_opts *o, const scenario *a, const scenario *b, size_t *fixed) {
    for (size_t f = 0; f < a->n_financing; f++) fixed[f] = SIZE_MAX;
    for (int k = 0; k < o->n_pairs; k++) {
        size_t la = (size_t)(o->pair_b[k] - 1 - o->pair_a[k]), ia = SIZE_MAX, ib = SIZE_MAX;
        for (size_t f = 0; f < a->n_financing; f++)
            if (strlen(a->financing[f].name) == la &&
                strncmp(a->financing[f].name, o->pair_a[k], la) == 0)
                ia = f;
        for (size_t f = 0; f < b->n_financing; f++)
            if (strcmp(b->financing[f].name, o->pair_b[k]) == 0) ib = f;
        if (ia == SIZE_MAX || ib == SIZE_MAX) {
            fprintf(stderr, "%s: --pair %s: %s has no financing structure named \"%.*s\"\n", prog,
                    o->pair_a[k], ia == SIZE_MAX ? "A" : "B",
                    ia == SIZE_MAX ? (int)la : (int)strlen(o->pair_b[k]),
                    ia == SIZE_MAX ? o->pair_a[k] : o->pair_b[k]);
            return -1;
        }
        fixed[ia] = ib;
    }
    return 0;
}

/* Compile, run and report: the part of `run` and `compare` after loading. */
static int run_and_report(scenario *sc, scenario *sc_b, const char *shown, const run_opts *o) {
    if (o->have_paths) sc->sim.paths = o->paths;
    if (o->have_seed) sc->sim.seed = o->seed;
    sib_error err;
    sib_error_clear(&err);
    snprintf(err.file, sizeof err.file, "%s", shown);
    size_t fixed[64], pair[64];
    pair_how how[64];
    if (sc_b != NULL) {
        if (sc->n_financing > 64) return input_error("%s", "compare: at most 64 financing structures");
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
    if (o->paths_out != NULL) {
        if (output_open(&paths_out, o->paths_out) != 0) {
            engine_free(e);
            return EXIT_RUN;
        }
        pc.f = paths_out.f;
        paths_header(&pc, sc, sc_b);
        engine_observe_paths(e, paths_rows, &pc);
    }
    progress pr;
    progress_begin(&pr, o->quiet);
    int rc = engine_run(e, sc->sim.paths, (unsigned)o->threads, progress_update, &pr, &err);
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
        report_run rr = {.scenario_file = shown,
                         .scenario_b = sc_b,
                         .pair = sc_b ? pair : NULL,
                         .how = sc_b ? how : NULL,
                         .threads = (unsigned)o->threads,
                         .seconds = progress_now() - pr.start};
        output out;
        if (output_open(&out, o->out) != 0) {
            status = EXIT_RUN;
        } else if (report_write(out.f, o->fmt, sc, e, &rr) != 0) {
            fprintf(stderr, "%s: cannot write the report: %s\n", prog, strerror(errno));
            if (o->out) output_abort(&out);
            status = EXIT_RUN;
        } else if (output_commit(&out) != 0) {
            status = EXIT_RUN;
        }
    }
    engine_free(e);
    return status;
}

static int cmd_run(const cli_command *c, int argc, char **argv) {
    run_opts o;
    int rc = parse_run_opts(argc, argv, c, &o);
    if (rc >= 0) return rc;
    if (o.n_cases > 1) return input_error("run: %s", "one --case at a time (compare takes two)");
    const char *shown;
    scenario *sc = load_case(o.n_files ? o.files[0] : NULL, o.n_cases ? o.cases[0] : NULL, &shown);
    if (sc == NULL) return EXIT_INPUT;
    if (check_warnings(sc, shown, &o) != 0) {
        scenario_free(sc);
        return EXIT_INPUT;
    }
    int status = run_and_report(sc, NULL, shown, &o);
    scenario_free(sc);
    return status;
}

/* compare A B; compare S --case X (S as written against case X); compare S
 * --case X --case Y; compare A B --case X --case Y (each file's case). */
static int cmd_compare(const cli_command *c, int argc, char **argv) {
    run_opts o;
    int rc = parse_run_opts(argc, argv, c, &o);
    if (rc >= 0) return rc;
    const char *fa = NULL, *fb = NULL, *ca = NULL, *cb = NULL;
    if (o.n_files == 2 && o.n_cases == 0) {
        fa = o.files[0], fb = o.files[1];
    } else if (o.n_files == 2 && o.n_cases == 2) {
        fa = o.files[0], fb = o.files[1], ca = o.cases[0], cb = o.cases[1];
    } else if (o.n_files <= 1 && o.n_cases >= 1) {
        fa = fb = o.n_files ? o.files[0] : NULL;
        if (o.n_cases == 2) ca = o.cases[0];
        cb = o.cases[o.n_cases - 1];
    } else {
        return input_error("compare: %s",
                           "expected two scenario files A and B, or one scenario with --case "
                           "(once: the scenario against that case; twice: case against case)");
    }
    const char *shown_a, *shown_b;
    scenario *a = load_case(fa, ca, &shown_a), *b = a ? load_case(fb, cb, &shown_b) : NULL;
    int status = EXIT_INPUT;
    if (a && b && (check_warnings(a, shown_a, &o) != 0 ||
                   (fb != fa || cb != ca ? check_warnings(b, shown_b, &o) != 0 : 0))) {
        scenario_free(a);
        scenario_free(b);
        return EXIT_INPUT;
    }
    if (a && b) {
        if (ca || cb) {
            /* Name the sides for the report. */
            char *na = malloc(strlen(a->name) + 96), *nb = malloc(strlen(b->name) + 96);
            if (na && nb) {
                sprintf(na, "%s%s%.60s%s", a->name, ca ? ", case \"" : "", ca ? ca : "", ca ? "\"" : "");
                sprintf(nb, "%s%s%.60s%s", b->name, cb ? ", case \"" : "", cb ? cb : "", cb ? "\"" : "");
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
        status = run_and_report(a, b, shown_a, &o);
    }
    scenario_free(a);
    scenario_free(b);
    return status;
}

/* ------------------------------------------------------- other commands */

static int cmd_ledger(const cli_command *c, int argc, char **argv) {
    run_opts o;
    int rc = parse_run_opts(argc, argv, c, &o);
    if (rc >= 0) return rc;
    int backtest = strcmp(c->name, "backtest") == 0;
    if (o.have_path && o.n_cases)
        return input_error("cashflows: %s", "--path and --case choose different futures: give one");
    if (o.n_cases > 1) return input_error("%s", "cashflows: one --case at a time");
    const char *shown;
    scenario *sc = load_case(o.n_files ? o.files[0] : NULL, o.n_cases ? o.cases[0] : NULL, &shown);
    if (sc == NULL) return EXIT_INPUT;
    if (check_warnings(sc, shown, &o) != 0) {
        scenario_free(sc);
        return EXIT_INPUT;
    }
    if (o.have_seed) sc->sim.seed = o.seed;
    int status = backtest ? cmd_backtest(&o, sc, shown) : cmd_cashflows(&o, sc, shown);
    scenario_free(sc);
    return status;
}

/* sweep, tornado, solve, converge, pilot-value: one scenario, its text. */
static int cmd_analysis(const cli_command *c, int argc, char **argv,
                        int (*fn)(const run_opts *, const char *, const char *)) {
    run_opts o;
    int rc = parse_run_opts(argc, argv, c, &o);
    if (rc >= 0) return rc;
    const char *shown;
    char *text = read_text(o.n_files ? o.files[0] : NULL, &shown);
    if (text == NULL) return EXIT_INPUT;
    /* The scenario's own warnings, once (the analysis loads it again with
     * its overrides; a bad scenario is reported by the analysis). */
    sib_error err;
    scenario *sc = scenario_load_string(text, shown, &err);
    int bad = sc != NULL && check_warnings(sc, shown, &o) != 0;
    scenario_free(sc);
    int status = bad ? EXIT_INPUT : fn(&o, text, shown);
    free(text);
    return status;
}

static int cmd_tui(const cli_command *c, int argc, char **argv) {
    run_opts o;
    int rc = parse_run_opts(argc, argv, c, &o);
    if (rc >= 0) return rc;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "%s: tui: needs a terminal (for scripts, use run, sweep or compare)\n", prog);
        return EXIT_INPUT;
    }
    const char *shown;
    char *text = read_text(o.n_files ? o.files[0] : NULL, &shown);
    if (text == NULL) return EXIT_INPUT;
    int status = tui_main(text, o.n_files ? o.files[0] : NULL, shown, (unsigned)o.threads);
    free(text);
    return status;
}

static int cmd_validate(const cli_command *c, int argc, char **argv) {
    int files = 0, bad = 0, strict = 0, verbose = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            cli_usage(stdout, c);
            return 0;
        }
        if (strcmp(argv[i], "--strict") == 0) strict = 1;
        else if (strcmp(argv[i], "--verbose") == 0) verbose = 1;
        else if (argv[i][0] == '-' && argv[i][1] != '\0')
            return input_error("validate: unknown option '%s'", argv[i]);
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--strict") == 0 || strcmp(argv[i], "--verbose") == 0) continue;
        files++;
        sib_error err;
        scenario *sc = scenario_load_file(argv[i], &err);
        if (sc == NULL) {
            print_error(&err);
            bad++;
            continue;
        }
        /* What only the engine knows (the generator's name) is checked by
         * compiling the scenario, exactly as `run` would. */
        sib_error_clear(&err);
        snprintf(err.file, sizeof err.file, "%s", argv[i]);
        engine *e = engine_new(sc, &err);
        if (e == NULL) {
            print_error(&err);
            bad++;
        } else {
            size_t cohorts = 0;
            for (size_t s = 0; s < sc->n_stages; s++) cohorts += sc->stages[s].n_cohorts;
            printf("%s: ok: \"%s\": %zu stage%s, %zu cohort%s, %zu outcome%s, %zu payment rule%s, "
                   "%zu financing structure%s",
                   argv[i], sc->name, sc->n_stages, sc->n_stages == 1 ? "" : "s", cohorts,
                   cohorts == 1 ? "" : "s", sc->n_outcomes, sc->n_outcomes == 1 ? "" : "s",
                   sc->contract.n_rules, sc->contract.n_rules == 1 ? "" : "s", sc->n_financing,
                   sc->n_financing == 1 ? "" : "s");
            if (sc->n_cases) printf(", %zu case%s", sc->n_cases, sc->n_cases == 1 ? "" : "s");
            if (sc->realised.present) printf(", a realised record");
            printf("\n");
            if (verbose) sources_print(stdout, sc);
            fflush(stdout);
            size_t nw = print_warnings(sc, argv[i]);
            if (nw > 0 && strict) {
                fprintf(stderr, "%s: %zu warning%s treated as error%s (--strict)\n", argv[i], nw,
                        nw == 1 ? "" : "s", nw == 1 ? "" : "s");
                bad++;
            }
        }
        engine_free(e);
        scenario_free(sc);
    }
    if (files == 0) return input_error("validate: %s", "no scenario file given");
    return bad ? EXIT_INPUT : 0;
}

int main(int argc, char **argv) {
    /* GSL's default handler aborts; the core checks return codes instead. */
    gsl_set_error_handler_off();
    if (argc < 2) {
        cli_usage_main(stderr);
        return EXIT_INPUT;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
        cli_usage_main(stdout);
        return 0;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("sibsim %s\n", SIBSIM_VERSION);
        return 0;
    }
    if (strcmp(cmd, "help") == 0) {
        const cli_command *c = argc > 2 ? cli_command_find(argv[2]) : NULL;
        if (c) cli_usage(stdout, c);
        else cli_usage_main(stdout);
        return 0;
    }
    const cli_command *c = cli_command_find(cmd);
    if (c == NULL) return input_error("unknown command '%s'", cmd);
    int n = argc - 1;
    char **v = argv + 1;
    if (strcmp(cmd, "run") == 0) return cmd_run(c, n, v);
    if (strcmp(cmd, "compare") == 0) return cmd_compare(c, n, v);
    if (strcmp(cmd, "cashflows") == 0 || strcmp(cmd, "backtest") == 0) return cmd_ledger(c, n, v);
    if (strcmp(cmd, "validate") == 0) return cmd_validate(c, n, v);
    if (strcmp(cmd, "tui") == 0) return cmd_tui(c, n, v);
    if (strcmp(cmd, "sweep") == 0) return cmd_analysis(c, n, v, cmd_sweep_text);
    if (strcmp(cmd, "tornado") == 0) return cmd_analysis(c, n, v, cmd_tornado_text);
    if (strcmp(cmd, "solve") == 0) return cmd_analysis(c, n, v, cmd_solve_text);
    if (strcmp(cmd, "converge") == 0) return cmd_analysis(c, n, v, cmd_converge_text);
    if (strcmp(cmd, "pilot-value") == 0) return cmd_analysis(c, n, v, cmd_pilot_text);
    return input_error("unknown command '%s'", cmd);
}
