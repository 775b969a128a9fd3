/* main.c -- the sibsim command line: argument parsing and subcommands.
 *
 *   sibsim run [SCENARIO.json] [--paths N] [--seed S] [--threads T]
 *              [--format table|json|csv] [--out FILE] [--quiet]
 *   sibsim compare A.json B.json [same options as run]
 *   sibsim validate SCENARIO.json...
 *   sibsim --help | --version
 *
 * Exit status: 0 success; 1 a run or an output file failed; 2 bad input
 * (usage, or a scenario that does not load). This is the only layer that
 * prints; the core returns values and errors.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* sysconf(_SC_NPROCESSORS_ONLN), mkstemp */
#endif
#include <errno.h>
#include <math.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../model/scenario.h"
#include "../sim/engine.h"
#include "options.h"
#include "progress.h"
#include "report.h"
#include "../tui/tui.h"

#ifndef SIBSIM_VERSION
#define SIBSIM_VERSION "dev"
#endif

enum { EXIT_RUN = 1, EXIT_INPUT = 2 };

/* The default scenario, compiled in from scenarios/peterborough.json. */
extern const char sibsim_default_scenario[];
#define DEFAULT_NAME "<built-in scenarios/peterborough.json>"

static const char *prog = "sibsim";

static void usage_main(FILE *out) {
    fprintf(out,
            "sibsim %s -- Monte Carlo simulator for social impact bonds and payment by results\n"
            "\n"
            "Usage: sibsim COMMAND [OPTIONS]\n"
            "\n"
            "Commands:\n"
            "  run [SCENARIO.json]     simulate a scenario (default: the built-in Peterborough SIB)\n"
            "  tui [SCENARIO.json]     interactive what-if session in the terminal\n"
            "  compare A.json B.json   run two scenarios on common random numbers, B - A\n"
            "  sweep [SCENARIO.json]   a metric over a grid of one or two terms\n"
            "  tornado [SCENARIO.json] inputs and terms ranked by how far they move a metric\n"
            "  solve [SCENARIO.json]   the value of a term that makes a metric hit a target\n"
            "  converge [SCENARIO]     estimates and their SE as the paths double\n"
            "  pilot-value [SCENARIO]  what gating later stages on the pilot is worth\n"
            "  validate SCENARIO.json  check scenarios and report the first error in each\n"
            "  help [COMMAND]          show help for a command\n"
            "\n"
            "Options:\n"
            "  -h, --help              show this help\n"
            "  -V, --version           show the version\n"
            "\n"
            "Exit status: 0 success, 1 run or output failure, 2 bad input.\n"
            "Scenario format: docs/scenario-format.md. Methodology: docs/model.md.\n",
            SIBSIM_VERSION);
}

static void usage_run(FILE *out) {
    fprintf(out,
            "Usage: sibsim run [SCENARIO.json] [OPTIONS]\n"
            "\n"
            "Simulate many futures of the scenario and report, for each financing structure,\n"
            "the investors' IRR, money multiple, P(loss) and NPV; the commissioner's outcome\n"
            "payments; and the programme's true and measured outcomes. Without a scenario the\n"
            "built-in Peterborough prison SIB is used.\n"
            "\n"
            "Options:\n"
            "  -n, --paths N       simulated futures (default: the scenario's simulation.paths)\n"
            "  -s, --seed S        master seed (default: the scenario's simulation.seed)\n"
            "  -t, --threads T     worker threads (default: all cores); results do not depend on it\n"
            "  -f, --format F      table (default), json or csv\n"
            "  -o, --out FILE      write the report to FILE (atomically) instead of stdout\n"
            "  -q, --quiet         no progress bar\n"
            "  -h, --help          show this help\n");
}

static void usage_compare(FILE *out) {
    fprintf(out,
            "Usage: sibsim compare A.json B.json [OPTIONS]\n"
            "\n"
            "Run two scenarios on common random numbers -- path i of B uses the random draws\n"
            "of path i of A, with A's seed and number of paths -- and report every metric of\n"
            "both with the difference B - A and its paired standard error. Use it to see what a\n"
            "change of terms (a price, a trigger, a cap) does, free of Monte Carlo noise.\n"
            "\n"
            "Options: --paths, --seed, --threads, --format, --out, --quiet as for run.\n");
}

static void usage_tui(FILE *out) {
    fprintf(out,
            "Usage: sibsim tui [SCENARIO.json] [--threads T]\n"
            "\n"
            "The interactive what-if session: the scenario's fields as a tree on the left, live\n"
            "results on the right. Move with the arrows (or j/k), nudge a number with + and -\n"
            "(] and [ for 10%%), type a value with Enter; every edit restarts the simulation,\n"
            "which refines in the background. u undoes, s saves (atomically, keeping a .bak),\n"
            "? lists every key, q quits.\n");
}

static void usage_validate(FILE *out) {
    fprintf(out,
            "Usage: sibsim validate SCENARIO.json...\n"
            "\n"
            "Load each scenario, check every field, and print either a one-line summary or the\n"
            "first error as FILE:LINE:COL (syntax) or FILE: /json/pointer: message (meaning).\n"
            "Exit status 2 when any scenario is invalid.\n");
}

static int input_error(const char *fmt, const char *arg) {
    fprintf(stderr, "%s: ", prog);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry '%s --help'.\n", prog);
    return EXIT_INPUT;
}

/* Parse a whole number in [lo, hi] from s. Returns 0 on success. */
static int parse_u64(const char *s, unsigned long long lo, unsigned long long hi,
                     unsigned long long *out) {
    if (s == NULL || *s == '\0' || *s == '-') return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end != '\0' || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

static scenario *load(const char *path, const char **shown) {
    sib_error err;
    scenario *sc = path ? scenario_load_file(path, &err)
                        : scenario_load_string(sibsim_default_scenario, DEFAULT_NAME, &err);
    *shown = path ? path : DEFAULT_NAME;
    if (sc == NULL) {
        char buf[1200];
        fprintf(stderr, "%s\n", sib_error_format(&err, buf, sizeof buf));
    }
    return sc;
}

/* Write through a temporary file in the same directory, then rename: a
 * reader never sees a half-written report, and an old one is never lost to
 * a failed run. */
static int write_atomically(const char *path, report_format fmt, const scenario *sc,
                            const engine *e, const report_run *rr) {
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (tmp == NULL) return -1;
    snprintf(tmp, n + 16, "%s.tmp.XXXXXX", path);
    mode_t mode = (mode_t)scenario_file_mode(path);
    int fd = mkstemp(tmp);
    if (fd >= 0) fchmod(fd, mode); /* not mkstemp's 0600 */
    if (fd < 0) {
        fprintf(stderr, "%s: %s: cannot create a temporary file: %s\n", prog, path, strerror(errno));
        free(tmp);
        return -1;
    }
    FILE *f = fdopen(fd, "w");
    int rc = (f == NULL) ? -1 : report_write(f, fmt, sc, e, rr);
    if (f != NULL && fflush(f) != 0) rc = -1;
    if (f != NULL && fsync(fileno(f)) != 0) rc = -1;
    if (f != NULL ? fclose(f) != 0 : close(fd) != 0) rc = -1;
    if (rc == 0 && rename(tmp, path) != 0) rc = -1;
    if (rc != 0) {
        fprintf(stderr, "%s: %s: cannot write: %s\n", prog, path, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return rc;
}

/* Parse a finite number. Returns 0 on success. */
static int parse_double(const char *s, double *out) {
    if (s == NULL || *s == '\0') return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end != '\0' || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

/* Parse argv (argv[0] is the command) into o, taking up to max_files
 * scenario files. Returns -1 to go on, or the exit status to return now
 * (0 after --help). */
static int parse_run_opts(int argc, char **argv, int max_files, void (*usage)(FILE *),
                          run_opts *o) {
    memset(o, 0, sizeof *o);
    o->fmt = FORMAT_TABLE;
    o->pct = 0.10;
    o->steps[0] = o->steps[1] = 11;
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
        if (opt[0] != '\0' && !IS("-t", "--threads") && !IS("-h", "--help")) o->other_options++;
        if (opt[0] == '\0') {
            if (o->n_files >= max_files)
                return input_error(max_files == 1 ? "more than one scenario given ('%s')"
                                                  : "too many scenarios given ('%s')",
                                   a);
            o->files[o->n_files++] = a;
        } else if (IS("-h", "--help")) {
            usage(stdout);
            return 0;
        } else if (IS("-q", "--quiet")) {
            o->quiet = 1;
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
        } else if (IS("-f", "--format")) {
            VALUE();
            if (strcmp(val, "table") == 0) o->fmt = FORMAT_TABLE;
            else if (strcmp(val, "json") == 0) o->fmt = FORMAT_JSON;
            else if (strcmp(val, "csv") == 0) o->fmt = FORMAT_CSV;
            else return input_error("--format: expected table, json or csv, found '%s'", val);
        } else if (IS("-o", "--out")) {
            VALUE();
            o->out = val;
        } else if (IS("-p", "--param")) {
            VALUE();
            if (o->n_params >= 2) return input_error("--param: at most two parameters ('%s')", val);
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
        } else {
            char msg[80];
            snprintf(msg, sizeof msg, "%s: unknown option '%%s'", argv[0]);
            return input_error(msg, a);
        }
#undef IS
#undef VALUE
    }
    return -1;
}

/* Compile, run and report: the part of `run` and `compare` after loading. */
static int run_and_report(scenario *sc, scenario *sc_b, const char *shown, const run_opts *o) {
    if (o->have_paths) sc->sim.paths = o->paths;
    if (o->have_seed) sc->sim.seed = o->seed;
    sib_error err;
    sib_error_clear(&err);
    snprintf(err.file, sizeof err.file, "%s", shown);
    engine *e = sc_b ? engine_new_compare(sc, sc_b, NULL, &err) : engine_new(sc, &err);
    if (e == NULL) {
        char buf[1200];
        fprintf(stderr, "%s\n", sib_error_format(&err, buf, sizeof buf));
        return err.code == SIB_EINVAL ? EXIT_INPUT : EXIT_RUN;
    }
    progress pr;
    progress_begin(&pr, o->quiet);
    int rc = engine_run(e, sc->sim.paths, (unsigned)o->threads, progress_update, &pr, &err);
    progress_end(&pr);
    int status = 0;
    if (rc != SIB_OK) {
        fprintf(stderr, "%s: run failed: %s\n", prog, err.message);
        status = EXIT_RUN;
    } else {
        report_run rr = {.scenario_file = shown,
                         .scenario_b = sc_b,
                         .threads = (unsigned)o->threads,
                         .seconds = progress_now() - pr.start};
        if (o->out != NULL) {
            if (write_atomically(o->out, o->fmt, sc, e, &rr) != 0) status = EXIT_RUN;
        } else if (report_write(stdout, o->fmt, sc, e, &rr) != 0 || fflush(stdout) != 0) {
            fprintf(stderr, "%s: cannot write the report: %s\n", prog, strerror(errno));
            status = EXIT_RUN;
        }
    }
    engine_free(e);
    return status;
}

static int cmd_run(int argc, char **argv) {
    run_opts o;
    int rc = parse_run_opts(argc, argv, 1, usage_run, &o);
    if (rc >= 0) return rc;
    const char *shown;
    scenario *sc = load(o.n_files ? o.files[0] : NULL, &shown);
    if (sc == NULL) return EXIT_INPUT;
    int status = run_and_report(sc, NULL, shown, &o);
    scenario_free(sc);
    return status;
}

static int cmd_compare(int argc, char **argv) {
    run_opts o;
    int rc = parse_run_opts(argc, argv, 2, usage_compare, &o);
    if (rc >= 0) return rc;
    if (o.n_files != 2) return input_error("compare: %s", "expected two scenario files, A and B");
    const char *shown_a, *shown_b;
    scenario *a = load(o.files[0], &shown_a), *b = a ? load(o.files[1], &shown_b) : NULL;
    int status = EXIT_INPUT;
    if (a && b) {
        /* B runs on A's random streams: its own paths and seed are not used. */
        b->sim.paths = a->sim.paths;
        status = run_and_report(a, b, shown_a, &o);
    }
    scenario_free(a);
    scenario_free(b);
    return status;
}

/* The JSON text of a scenario file, or of the built-in default; the
 * caller frees it. NULL (after a message) when the file cannot be read. */
static char *read_text(const char *path, const char **shown) {
    *shown = path ? path : DEFAULT_NAME;
    if (path == NULL) return strdup(sibsim_default_scenario);
    sib_error err;
    char *text = scenario_read_file(path, &err);
    if (text == NULL) {
        char buf[1200];
        fprintf(stderr, "%s\n", sib_error_format(&err, buf, sizeof buf));
    }
    return text;
}

/* sweep, tornado, solve, converge, pilot-value: one scenario, its text. */
static int cmd_analysis(int argc, char **argv, void (*usage)(FILE *),
                        int (*fn)(const run_opts *, const char *, const char *)) {
    run_opts o;
    int rc = parse_run_opts(argc, argv, 1, usage, &o);
    if (rc >= 0) return rc;
    const char *shown;
    char *text = read_text(o.n_files ? o.files[0] : NULL, &shown);
    if (text == NULL) return EXIT_INPUT;
    int status = fn(&o, text, shown);
    free(text);
    return status;
}

static void usage_sweep(FILE *out) {
    fprintf(out,
            "Usage: sibsim sweep [SCENARIO.json] --param POINTER --from A --to B [--steps N]\n"
            "                    [--param POINTER2 --from A2 --to B2 --steps N2] [--metric M]\n"
            "\n"
            "Run the scenario at every point of a grid of one or two parameters, addressed by\n"
            "JSON Pointer (e.g. /contract/payments/0/price), all on the same seed. The table\n"
            "shows the chosen metric (default: the first tranche's IRR) with a chart; --format\n"
            "csv or json gives every metric at every point. --steps defaults to 11.\n"
            "Metrics: GROUP/KEY as in `run --format csv`, or a unique KEY or key ending\n"
            "(\"irr\"), with :p05, :median, :p95 or :sd for another statistic than the mean.\n"
            "Options: --paths, --seed, --threads, --format, --out as for run.\n");
}

static void usage_tornado(FILE *out) {
    fprintf(out,
            "Usage: sibsim tornado [SCENARIO.json] [--metric M] [--pct 0.1] [--paths N]\n"
            "\n"
            "Move each uncertain input to its 10th and 90th percentile, and each term of the\n"
            "contract, the financing and the costs down and up by --pct (default 10%%), and rank\n"
            "them by how far the metric swings. 20,000 paths a run unless --paths is given.\n");
}

static void usage_solve(FILE *out) {
    fprintf(out,
            "Usage: sibsim solve [SCENARIO.json] --param POINTER --target METRIC=VALUE\n"
            "                    [--from A --to B] [--paths N]\n"
            "\n"
            "Find the value of a term that makes a metric hit a target -- e.g. the price per\n"
            "outcome that gives investors a 7%% mean IRR (--target irr=0.07), or the trigger that\n"
            "keeps P(paying for nothing) at 5%% -- by Brent's method, every evaluation a run on\n"
            "the same seed. The range defaults to a tenth to ten times the current value.\n"
            "Exit status 1 when no value in the range reaches the target.\n");
}

static void usage_converge(FILE *out) {
    fprintf(out,
            "Usage: sibsim converge [SCENARIO.json] [--metric M] [--precision SE] [--paths MAX]\n"
            "\n"
            "Estimate the metric with 1024, 2048, 4096, ... paths (each run extends the last)\n"
            "and stop when its standard error is at most --precision, or at --paths (default\n"
            "1,048,576).\n");
}

static void usage_pilot(FILE *out) {
    fprintf(out,
            "Usage: sibsim pilot-value [SCENARIO.json] [--paths N]\n"
            "\n"
            "The value of the pilot's information: the scenario with every stage committed up\n"
            "front against the scenario with its gates, on common random numbers. Reports what\n"
            "gating changes -- net value, costs, payments, investor returns -- with paired\n"
            "standard errors. The scenario needs at least one gate.\n");
}

static int cmd_tui(int argc, char **argv) {
    run_opts o;
    int rc = parse_run_opts(argc, argv, 1, usage_tui, &o);
    if (rc >= 0) return rc;
    if (o.other_options) {
        fprintf(stderr, "%s: tui: only --threads applies; the paths and seed are the scenario's "
                        "simulation fields, edited in the tree\n", prog);
        return EXIT_INPUT;
    }
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

static int cmd_validate(int argc, char **argv) {
    int files = 0, bad = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage_validate(stdout);
            return 0;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return input_error("validate: unknown option '%s'", argv[i]);
    }
    for (int i = 1; i < argc; i++) {
        files++;
        const char *shown;
        scenario *sc = load(argv[i], &shown);
        if (sc == NULL) {
            bad++;
            continue;
        }
        /* What only the engine knows (the generator's name) is checked by
         * compiling the scenario, exactly as `run` would. */
        sib_error err;
        sib_error_clear(&err);
        snprintf(err.file, sizeof err.file, "%s", argv[i]);
        engine *e = engine_new(sc, &err);
        if (e == NULL) {
            char buf[1200];
            fprintf(stderr, "%s\n", sib_error_format(&err, buf, sizeof buf));
            bad++;
        } else {
            size_t cohorts = 0;
            for (size_t s = 0; s < sc->n_stages; s++) cohorts += sc->stages[s].n_cohorts;
            printf("%s: ok: \"%s\": %zu stage%s, %zu cohort%s, %zu outcome%s, %zu payment rule%s, "
                   "%zu financing structure%s\n",
                   argv[i], sc->name, sc->n_stages, sc->n_stages == 1 ? "" : "s", cohorts,
                   cohorts == 1 ? "" : "s", sc->n_outcomes, sc->n_outcomes == 1 ? "" : "s",
                   sc->contract.n_rules, sc->contract.n_rules == 1 ? "" : "s", sc->n_financing,
                   sc->n_financing == 1 ? "" : "s");
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
        usage_main(stderr);
        return EXIT_INPUT;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
        usage_main(stdout);
        return 0;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("sibsim %s\n", SIBSIM_VERSION);
        return 0;
    }
    if (strcmp(cmd, "help") == 0) {
        if (argc > 2 && strcmp(argv[2], "run") == 0) usage_run(stdout);
        else if (argc > 2 && strcmp(argv[2], "validate") == 0) usage_validate(stdout);
        else if (argc > 2 && strcmp(argv[2], "compare") == 0) usage_compare(stdout);
        else if (argc > 2 && strcmp(argv[2], "tui") == 0) usage_tui(stdout);
        else if (argc > 2 && strcmp(argv[2], "sweep") == 0) usage_sweep(stdout);
        else if (argc > 2 && strcmp(argv[2], "tornado") == 0) usage_tornado(stdout);
        else if (argc > 2 && strcmp(argv[2], "solve") == 0) usage_solve(stdout);
        else if (argc > 2 && strcmp(argv[2], "converge") == 0) usage_converge(stdout);
        else if (argc > 2 && strcmp(argv[2], "pilot-value") == 0) usage_pilot(stdout);
        else usage_main(stdout);
        return 0;
    }
    if (strcmp(cmd, "run") == 0) return cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "validate") == 0) return cmd_validate(argc - 1, argv + 1);
    if (strcmp(cmd, "compare") == 0) return cmd_compare(argc - 1, argv + 1);
    if (strcmp(cmd, "tui") == 0) return cmd_tui(argc - 1, argv + 1);
    if (strcmp(cmd, "sweep") == 0)
        return cmd_analysis(argc - 1, argv + 1, usage_sweep, cmd_sweep_text);
    if (strcmp(cmd, "tornado") == 0)
        return cmd_analysis(argc - 1, argv + 1, usage_tornado, cmd_tornado_text);
    if (strcmp(cmd, "solve") == 0)
        return cmd_analysis(argc - 1, argv + 1, usage_solve, cmd_solve_text);
    if (strcmp(cmd, "converge") == 0)
        return cmd_analysis(argc - 1, argv + 1, usage_converge, cmd_converge_text);
    if (strcmp(cmd, "pilot-value") == 0)
        return cmd_analysis(argc - 1, argv + 1, usage_pilot, cmd_pilot_text);
    return input_error("unknown command '%s'", cmd);
}
