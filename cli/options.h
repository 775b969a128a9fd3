/* options.h -- the options of every command, parsed once (cli/options.c,
 * with getopt_long on a table built for the command), and the commands in
 * other files of cli/. Front-end only.
 */
#ifndef SIB_OPTIONS_H
#define SIB_OPTIONS_H

#include "commands.h"
#include "provenance.h"
#include "report.h"

#define OPT_MAX_PARAMS 8
#define OPT_MAX_PAIRS 16

/* Which options a command takes: a command given another one refuses it
 * (exit 2) rather than ignore it, and its help lists exactly these
 * (cli/commands.c). */
enum {
    OPT_PATHS = 1 << 0,     /* -n, --paths */
    OPT_SEED = 1 << 1,      /* -s, --seed */
    OPT_THREADS = 1 << 2,   /* -t, --threads */
    OPT_FORMAT = 1 << 3,    /* -f, --format */
    OPT_OUT = 1 << 4,       /* -o, --out */
    OPT_QUIET = 1 << 5,     /* -q, --quiet */
    OPT_PARAM = 1 << 6,     /* -p, --param with --from, --to */
    OPT_METRIC = 1 << 7,    /* -m, --metric */
    OPT_TARGET = 1 << 8,    /* --target */
    OPT_PCT = 1 << 9,       /* --pct */
    OPT_PRECISION = 1 << 10,/* --precision */
    OPT_CASE = 1 << 11,     /* --case */
    OPT_PATHS_OUT = 1 << 12,/* --paths-out */
    OPT_PATH = 1 << 13,     /* --path */
    OPT_ANNUAL = 1 << 14,   /* --annual */
    OPT_REALISED = 1 << 15, /* --realised */
    OPT_PAIR = 1 << 16,     /* --pair */
    OPT_STRICT = 1 << 17,   /* --strict: warnings are errors */
    OPT_HELP = 1 << 18,     /* -h, --help: every command takes it */
    OPT_CHECKPOINT = 1 << 19, /* --checkpoint FILE: save the run as it goes */
    OPT_RESUME = 1 << 20,     /* --resume FILE: continue a saved run */
    OPT_WIDTH = 1 << 21,      /* --wide, --compact: the width of a table */
    OPT_VERBOSE = 1 << 22,    /* --verbose: validate lists sources and assumptions */
    OPT_ID = 1 << 23,         /* --id ID: the project of an INDIGO CSV export (import) */
    OPT_LENIENT = 1 << 24,    /* --lenient: import leaves malformed values out, listed */
    OPT_STEPS = 1 << 25       /* --steps: sweep's points of a --param */
};

/* The paths of a run when --paths is not given, for the analyses that
 * make many runs (tornado, solve), and the most converge runs to. */
#define OPT_ANALYSIS_PATHS 20000
#define OPT_CONVERGE_PATHS 1048576

typedef struct run_opts {
    char **files; /* the scenarios given, in order (each a string options_free frees) */
    int n_files;
    /* With no scenario given, the library file the built-in default stands
     * for (scenarios/peterborough.json as the library finds it), or NULL:
     * an input too, that no output may replace (find_scenarios). */
    char *default_file;
    /* The first scenario given by its library name ("utah-preschool"),
     * not as a file (find_scenarios), or NULL: the TUI does not save over
     * the library's file. */
    char *library_name;
    const char *out;
    unsigned long long paths, seed, threads;
    int have_paths, have_seed, quiet;
    report_format fmt;
    /* Analyses: parameters, each with its range (sweep: up to two; solve:
     * several moved together). */
    const char *param[OPT_MAX_PARAMS];
    double from[OPT_MAX_PARAMS], to[OPT_MAX_PARAMS];
    int steps[OPT_MAX_PARAMS], have_from[OPT_MAX_PARAMS], have_to[OPT_MAX_PARAMS];
    const char *range_arg[OPT_MAX_PARAMS][3]; /* --from, --to, --steps as given, or NULL */
    int n_params;
    const char *metric, *target;
    double pct, precision;
    int have_precision;
    /* Named cases (up to two: compare), a paths file, one future. */
    const char *cases[2];
    int n_cases;
    const char *paths_out;
    unsigned long long path;
    int have_path, annual;
    const char *realised;
    /* compare: --pair A=B, each as given (a name may hold '=' too: the
     * split is chosen against the scenarios' names, options_pair_splits) */
    const char *pair[OPT_MAX_PAIRS];
    int n_pairs;
    int strict; /* --strict */
    const char *id; /* import: --id, the project of a CSV export */
    int lenient;    /* import: --lenient */
    int width;  /* tables: 100 columns, 80 (--compact), 0 = no limit (--wide) */
    int verbose; /* --verbose */
    const char *checkpoint, *resume; /* --checkpoint, --resume (checkpoint.h) */
    unsigned long long checkpoint_every; /* --checkpoint-every: paths between saves (0: default) */
    /* What the output says about where its numbers came from: filled by
     * the command (cli/main.c) before it writes JSON or CSV. */
    provenance prov;
} run_opts;

/* Parse argv (argv[0] is the command's name) into o for command c: its
 * scenario arguments and the options it takes; any other option is refused
 * with a message naming it. Returns -1 to go on (then options_free(o)
 * once done), 0 after printing the command's help (--help), or 2 after a
 * message on stderr (bad usage); o needs no freeing then. */
int options_parse(int argc, char **argv, const cli_command *c, run_opts *o);

/* Refuse (exit status 2, after a message) an --out, --paths-out or
 * --checkpoint that names an input -- a scenario of o->files (or the
 * library file the built-in default stands for), the --realised record, the --resume checkpoint
 * (but --checkpoint may) -- or another of them: writing it would destroy what is read, whether the
 * file exists yet or not (sib_file_same). Returns -1 when there is none. Called once the scenarios
 * name their files. */
int options_check_outputs(const cli_command *c, const run_opts *o);

/* An option's value that the scenario refuses (a --metric it has no metric
 * of): "sibsim: CMD: --OPTION: " and the message, a line naming the
 * scenario (the metrics are its own), then where to read more -- the form of
 * every other bad option value. Returns 2, the exit status of bad input. */
int options_value_refused(const char *cmd, const char *option, const char *source,
                          const char *message);

/* Free what options_parse allocated in o. */
void options_free(run_opts *o);

/* Parse a count: a whole number in [lo, hi], written in digits ("1000") or,
 * when its value is whole, in decimal or exponent notation ("1e6",
 * "2.5e3"); never with a sign, a blank, a fraction or a trailing
 * character. Returns 0, or -1 when s is not such a number. */
int options_parse_count(const char *s, unsigned long long lo, unsigned long long hi,
                        unsigned long long *out);

/* Parse a finite number, the whole of s (no blank before it, nothing
 * after: "0.8x", " 0.8", "nan", "inf" and "1e400" are refused). Returns 0,
 * or -1 when s is not such a number. */
int options_parse_number(const char *s, double *out);

/* The ways of reading `text`, the value of --pair, as A=B: the offsets of
 * each '=' in it at which the text before is the name of one of A's
 * financing structures (a_names, na of them) and the text after one of
 * B's (b_names, nb), in order, into at[] (at most `room`). Returns how
 * many there are: 1 names one pair, 0 none, and more than 1 leaves the
 * pair ambiguous (the names themselves hold '='). */
size_t options_pair_splits(const char *text, const char *const *a_names, size_t na,
                           const char *const *b_names, size_t nb, size_t *at, size_t room);

/* The analysis commands: each takes the parsed options and the scenario's
 * JSON text (name: the file shown in messages) and returns an exit status. */
int cmd_sweep_text(const run_opts *o, const char *text, const char *name);
int cmd_tornado_text(const run_opts *o, const char *text, const char *name);
int cmd_solve_text(const run_opts *o, const char *text, const char *name);
int cmd_converge_text(const run_opts *o, const char *text, const char *name);
int cmd_pilot_text(const run_opts *o, const char *text, const char *name);

/* The ledger commands (cli/cashflows.c): one future's cash flows, and a
 * backtest on a realised record. sc is compiled from text (with the
 * case's overrides applied already when o names one). */
int cmd_cashflows(const run_opts *o, const scenario *sc, const char *name);
int cmd_backtest(const run_opts *o, scenario *sc, const char *name);

#endif
