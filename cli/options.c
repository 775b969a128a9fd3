/* options.c -- the command line's options, parsed by getopt_long(3) on a
 * table built for each command from its options (commands.c).
 *
 * What getopt_long gives, as GNU tools do: --name VALUE and --name=VALUE;
 * any unambiguous prefix of a long name (--pat for --paths where the
 * command has no other option starting so); -n VALUE and -nVALUE; short
 * flags combined (-qn1000); options and scenarios in any order; -- ends
 * the options, so that a file named -x.json can be given. The optstring
 * starts with '-', so scenarios come back in their order (A before B for
 * compare) whatever POSIXLY_CORRECT says, and with ':', so a missing value
 * is told from an unknown option. getopt_long's own messages are off
 * (opterr = 0): the messages here name the command, say what was expected
 * and what was found, and an option of another command is refused as not
 * applying to this one rather than as unknown.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* getopt_long */
#endif
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../model/document.h"
#include "../model/file.h"
#include "../model/suggest.h"
#include "../present/format.h"
#include "../present/text.h"
#include "../sim/calibrate.h"
#include "../sim/engine.h"

enum { EXIT_INPUT = 2, LONG_BASE = 256, MAX_OPTIONS = 40 };

/* A usage error: "sibsim: CMD: message", and where to read more. */
static int usage_error(const cli_command *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "sibsim: %s: ", c->name);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'sibsim help %s'.\n", c->name);
    va_end(ap);
    return EXIT_INPUT;
}

int options_value_refused(const char *cmd, const char *option, const char *source,
                          const char *message) {
    fprintf(stderr, "sibsim: %s: --%s: %s\n  (the scenario: %s)\nTry 'sibsim help %s'.\n", cmd,
            option, message, source, cmd);
    return EXIT_INPUT;
}

/* ------------------------------------------------------------- numbers */

int options_parse_count(const char *s, unsigned long long lo, unsigned long long hi,
                        unsigned long long *out) {
    /* DIGITS [. DIGITS] [(e|E) [+|-] DIGITS]: strtoull and strtod would
     * also take " 5", "+5", "-5" (wrapped), "0x10" and "inf". */
    const char *p = s;
    if (s == NULL || *p < '0' || *p > '9') return -1;
    while (*p >= '0' && *p <= '9') p++;
    int plain = *p == '\0';
    if (*p == '.') {
        if (p[1] < '0' || p[1] > '9') return -1;
        p++;
        while (*p >= '0' && *p <= '9') p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (*p < '0' || *p > '9') return -1;
        while (*p >= '0' && *p <= '9') p++;
    }
    if (*p != '\0') return -1;
    unsigned long long v;
    errno = 0;
    if (plain) {
        v = strtoull(s, NULL, 10);
        if (errno) return -1;
    } else {
        /* Whole, and exact in a double (up to 2^53): "1e6", "2.5e3". */
        double d = strtod(s, NULL);
        if (errno || !(d >= 0) || d > 9007199254740992.0 || d != floor(d)) return -1;
        v = (unsigned long long)d;
    }
    if (v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

int options_parse_number(const char *s, double *out) {
    /* strtod would also take leading blanks: " 0.5" is refused like "0.5x". */
    if (s == NULL || *s == '\0' || *s == ' ' || *s == '\t' || *s == '\n') return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end != '\0' || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

/* ------------------------------------------------------- the option table */

typedef struct table {
    struct option longs[MAX_OPTIONS + 1];
    char shorts[2 * MAX_OPTIONS + 4];
    const cli_option *defs;
    size_t n_defs;
} table;

/* Build c's getopt_long table: every option whose bit c takes, and --help.
 * A long option's val is LONG_BASE + its index in cli_options(), so that
 * "--quiet=1" (a value for a flag) is told from "-q". */
static void build_table(const cli_command *c, table *t) {
    t->defs = cli_options(&t->n_defs);
    size_t nl = 0, ns = 0;
    t->shorts[ns++] = '-'; /* scenarios come back in order, as option 1 */
    t->shorts[ns++] = ':'; /* a missing value is ':', not '?' */
    for (size_t i = 0; i < t->n_defs && nl < MAX_OPTIONS; i++) {
        const cli_option *d = &t->defs[i];
        if (!(d->bit & (c->options | OPT_HELP))) continue;
        t->longs[nl++] = (struct option){d->name, d->value ? required_argument : no_argument, NULL,
                                         LONG_BASE + (int)i};
        if (d->letter) {
            t->shorts[ns++] = d->letter;
            if (d->value) t->shorts[ns++] = ':';
        }
    }
    t->longs[nl] = (struct option){NULL, 0, NULL, 0};
    t->shorts[ns] = '\0';
}

/* The option getopt_long returned as ch (a letter or LONG_BASE + index). */
static const cli_option *def_of(const table *t, int ch) {
    if (ch >= LONG_BASE) return &t->defs[ch - LONG_BASE];
    for (size_t i = 0; i < t->n_defs; i++)
        if (t->defs[i].letter == ch) return &t->defs[i];
    return NULL;
}

/* Whether word w, taken by getopt as an option's value, is rather one of
 * c's options: "-X" for an option letter X, or "--name" ("--name=value")
 * for a prefix of an option's name. A value that looks like that is a
 * value forgotten ("--metric -o x"); a negative number is never one. */
static int is_an_option(const table *t, const char *w) {
    if (w[0] != '-' || w[1] == '\0') return 0;
    if (w[1] != '-') return w[2] == '\0' && def_of(t, (unsigned char)w[1]) != NULL;
    const char *name = w + 2, *eq = strchr(name, '=');
    const size_t n = eq ? (size_t)(eq - name) : strlen(name);
    if (n == 0) return 0;
    for (size_t i = 0; i < t->n_defs; i++)
        if (strncmp(t->defs[i].name, name, n) == 0) return 1;
    return 0;
}

/* Say why the option in arg (a long one: "--name" or "--name=value") was
 * refused: ambiguous among c's options, another command's, or unknown. */
static int refuse_long(const cli_command *c, const table *t, const char *arg) {
    const char *name = arg + 2, *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    /* Ambiguous: a prefix of several of this command's options. */
    char list[512] = "";
    size_t n = 0, at = 0;
    for (const struct option *o = t->longs; o->name != NULL; o++)
        if (strncmp(o->name, name, len) == 0 && at < sizeof list) {
            at += (size_t)snprintf(list + at, sizeof list - at, "%s--%s", n ? ", " : "", o->name);
            n++;
        }
    if (n > 1)
        return usage_error(c, "option '--%.*s' is ambiguous: it could be %s", (int)len, name, list);
    /* Another command's option, by its full name or a prefix of one. */
    const cli_option *other = NULL;
    size_t matches = 0;
    for (size_t i = 0; i < t->n_defs; i++) {
        if (strncmp(t->defs[i].name, name, len) != 0) continue;
        if (strlen(t->defs[i].name) == len) {
            other = &t->defs[i];
            matches = 1;
            break;
        }
        other = &t->defs[i];
        matches++;
    }
    if (matches == 1) {
        const char *note = strcmp(c->name, "tui") == 0
                               ? " (only --threads does: the paths and seed are the scenario's "
                                 "simulation fields, edited in the tree)"
                               : "";
        if (strlen(other->name) == len)
            return usage_error(c, "option '--%s' does not apply to %s%s", other->name, c->name,
                               note);
        return usage_error(c, "option '--%.*s' (--%s) does not apply to %s%s", (int)len, name,
                           other->name, c->name, note);
    }
    /* This command's option it is probably a typo of ("--seeds"). */
    const char *names[MAX_OPTIONS + 1];
    size_t k = 0;
    for (const struct option *o = t->longs; o->name != NULL && k < MAX_OPTIONS; o++)
        names[k++] = o->name;
    names[k] = NULL;
    char word[128];
    snprintf(word, sizeof word, "%.*s", (int)(len < sizeof word ? len : sizeof word - 1), name);
    const char *near = sib_suggest(word, names);
    if (near != NULL)
        return usage_error(c, "unknown option '--%.*s': did you mean '--%s'?", (int)len, name, near);
    return usage_error(c, "unknown option '--%.*s'", (int)len, name);
}

/* Say why a short option letter was refused. */
static int refuse_short(const cli_command *c, const table *t, int letter) {
    for (size_t i = 0; i < t->n_defs; i++)
        if (t->defs[i].letter == letter)
            return usage_error(c, "option '-%c' (--%s) does not apply to %s", letter,
                               t->defs[i].name, c->name);
    if (letter > ' ' && letter < 127) return usage_error(c, "unknown option '-%c'", letter);
    return usage_error(c, "unknown option (character %d)", letter);
}

/* -------------------------------------------------------------- values */

static int add_file(const cli_command *c, run_opts *o, const char *arg) {
    if (c->max_files >= 0 && o->n_files >= c->max_files) {
        if (c->max_files == 0) return usage_error(c, "takes no scenario, found '%s'", arg);
        /* import's arguments are a format and a record, not scenarios. */
        if (strcmp(c->name, "import") == 0)
            return usage_error(c, "takes one format and one record, found also '%s'", arg);
        return usage_error(c,
                           c->max_files == 1 ? "more than one scenario given ('%s')"
                                             : "too many scenarios given ('%s')",
                           arg);
    }
    if ((o->files[o->n_files] = strdup(arg)) == NULL) return usage_error(c, "%s", "out of memory");
    o->n_files++;
    return -1;
}

/* Apply option d with value v (NULL for a flag). Returns -1 to go on, or
 * the exit status (0 after --help). */
static int apply(const cli_command *c, run_opts *o, const cli_option *d, const char *v) {
#define IS(n) (strcmp(d->name, n) == 0)
    if (IS("help")) {
        cli_usage(stdout, c);
        return 0;
    } else if (IS("quiet")) {
        o->quiet = 1;
    } else if (IS("annual")) {
        o->annual = 1;
    } else if (IS("strict")) {
        o->strict = 1;
    } else if (IS("verbose")) {
        o->verbose = 1;
    } else if (IS("wide") || IS("compact")) {
        const int width = IS("wide") ? PRESENT_WIDE : PRESENT_COMPACT;
        if (o->width != PRESENT_DEFAULT && o->width != width)
            return usage_error(c, "%s", "--wide and --compact: give one (no limit, or 80 columns)");
        o->width = width;
    } else if (IS("paths")) {
        /* calibrate keeps every future's values: it takes fewer paths than
         * a run, and says so in its own range (more is refused, not cut
         * short to what it keeps). */
        if (strcmp(c->name, "calibrate") == 0) {
            char most[32];
            if (options_parse_count(v, 1, CALIBRATE_MAX_PATHS, &o->paths))
                return usage_error(c,
                                   "--paths: expected a whole number from 1 to %s (calibrate "
                                   "keeps every future's payments and years in memory), "
                                   "found '%s'",
                                   present_whole(most, sizeof most, CALIBRATE_MAX_PATHS), v);
        } else if (options_parse_count(v, 1, 1000000000000ULL, &o->paths))
            return usage_error(c, "--paths: expected a whole number from 1 to 1e12, found '%s'", v);
        o->have_paths = 1;
    } else if (IS("seed")) {
        if (options_parse_count(v, 0, 9007199254740992ULL, &o->seed))
            return usage_error(c, "--seed: expected a whole number from 0 to 2^53, found '%s'", v);
        o->have_seed = 1;
    } else if (IS("threads")) {
        if (options_parse_count(v, 1, 1024, &o->threads))
            return usage_error(c, "--threads: expected a whole number from 1 to 1024, found '%s'",
                               v);
    } else if (IS("path")) {
        if (options_parse_count(v, 0, 1000000000000ULL, &o->path))
            return usage_error(c,
                               "--path: expected a future's index, a whole number from 0 "
                               "to 1,000,000,000,000, found '%s'",
                               v);
        o->have_path = 1;
    } else if (IS("format")) {
        if (strcmp(v, "table") == 0)
            o->fmt = FORMAT_TABLE;
        else if (strcmp(v, "json") == 0)
            o->fmt = FORMAT_JSON;
        else if (strcmp(v, "csv") == 0)
            o->fmt = FORMAT_CSV;
        else
            return usage_error(c, "--format: expected table, json or csv, found '%s'", v);
    } else if (IS("out") || IS("paths-out") || IS("checkpoint") || IS("resume") || IS("realised")) {
        /* A file: "" names none (open(2) would say only "No such file"). */
        if (*v == '\0') return usage_error(c, "--%s: the file name is empty", d->name);
        /* "-": standard output for --out, as without it; the others must
         * be files (a checkpoint is rewritten, a record is read). */
        if (strcmp(v, "-") == 0) {
            if (IS("out")) {
                o->out = NULL;
                return -1;
            }
            return usage_error(c,
                               "--%s: '-' (standard input or output) cannot be used here: give a "
                               "file name",
                               d->name);
        }
        const char **file = IS("out")          ? &o->out
                            : IS("paths-out")  ? &o->paths_out
                            : IS("checkpoint") ? &o->checkpoint
                            : IS("resume")     ? &o->resume
                                               : &o->realised;
        *file = v;
    } else if (IS("checkpoint-every")) {
        if (options_parse_count(v, ENGINE_BLOCK_PATHS, 1000000000000ULL, &o->checkpoint_every) ||
            o->checkpoint_every % ENGINE_BLOCK_PATHS != 0)
            return usage_error(c,
                               "--checkpoint-every: expected a whole number of blocks of %u paths "
                               "(1024, 2048, ...), found '%s'",
                               ENGINE_BLOCK_PATHS, v);
    } else if (IS("id")) {
        o->id = v;
    } else if (IS("lenient")) {
        o->lenient = 1;
    } else if (IS("case")) {
        if (o->n_cases >= 2) return usage_error(c, "--case: at most two cases ('%s')", v);
        o->cases[o->n_cases++] = v;
    } else if (IS("pair")) {
        /* Some '=' with a name on each side; which one splits A from B is
         * decided against the scenarios (options_pair_splits). */
        const size_t len = strlen(v);
        int split = 0;
        for (size_t i = 1; i + 1 < len && !split; i++) split = v[i] == '=';
        if (!split)
            return usage_error(c,
                               "--pair: expected A=B, the name of one of A's financing "
                               "structures and one of B's, found '%s'",
                               v);
        if (o->n_pairs >= OPT_MAX_PAIRS) return usage_error(c, "--pair: too many pairs ('%s')", v);
        o->pair[o->n_pairs++] = v;
    } else if (IS("param")) {
        int most = strcmp(c->name, "solve") == 0 ? OPT_MAX_PARAMS : 2;
        if (o->n_params >= most)
            return usage_error(c, "--param: at most %d parameters ('%s')", most, v);
        o->param[o->n_params++] = v;
    } else if (IS("from") || IS("to") || IS("steps")) {
        /* They belong to the --param given last before them, once each;
         * solve's --param pointers all take one value, in one range. */
        const int which = IS("from") ? 0 : IS("to") ? 1 : 2;
        if (o->n_params == 0)
            return usage_error(c,
                               "--%s '%s' comes before any --param: it belongs to the --param "
                               "given last before it",
                               d->name, v);
        const int k = o->n_params - 1, solve = strcmp(c->name, "solve") == 0;
        for (int j = solve ? 0 : k; j <= k; j++) {
            const char *before = o->range_arg[j][which];
            if (before == NULL) continue;
            if (solve)
                return usage_error(c,
                                   "--%s given twice ('%s', then '%s'): every --param takes the "
                                   "one value solved for, in one range",
                                   d->name, before, v);
            return usage_error(c, "--%s given twice for --param %s ('%s', then '%s')", d->name,
                               o->param[k], before, v);
        }
        if (which == 2) {
            unsigned long long st;
            if (options_parse_count(v, 1, 1000, &st))
                return usage_error(c, "--steps: expected a whole number from 1 to 1000, found '%s'",
                                   v);
            o->steps[k] = (int)st;
        } else {
            double x;
            if (options_parse_number(v, &x))
                return usage_error(c, "--%s: expected a number, found '%s'", d->name, v);
            if (which == 0)
                o->from[k] = x, o->have_from[k] = 1;
            else
                o->to[k] = x, o->have_to[k] = 1;
        }
        o->range_arg[k][which] = v;
    } else if (IS("metric")) {
        o->metric = v;
    } else if (IS("target")) {
        o->target = v;
    } else if (IS("pct")) {
        if (options_parse_number(v, &o->pct) || o->pct <= 0 || o->pct >= 1)
            return usage_error(c,
                               "--pct: expected a fraction between 0 and 1 (0.1 = 10%%), "
                               "found '%s'",
                               v);
    } else if (IS("precision")) {
        if (options_parse_number(v, &o->precision) || o->precision <= 0)
            return usage_error(c, "--precision: expected a standard error > 0, found '%s'", v);
        o->have_precision = 1;
    }
#undef IS
    return -1;
}

int options_check_outputs(const cli_command *c, const run_opts *o) {
    static const char *const names[3] = {"--out", "--paths-out", "--checkpoint"};
    const char *outs[3] = {o->out, o->paths_out, o->checkpoint};
    for (int k = 0; k < 3; k++) {
        if (outs[k] == NULL) continue;
        /* The inputs: the scenarios (or the library file the built-in
         * default stands for), the --realised record, and the checkpoint a
         * run resumes from (which --checkpoint may name: it is saved on
         * again). */
        for (int j = 0; j <= o->n_files + 2; j++) {
            const char *in = j < o->n_files        ? o->files[j]
                             : j == o->n_files     ? o->realised
                             : j == o->n_files + 1 ? o->default_file
                             : k == 2              ? NULL
                                                   : o->resume;
            if (in == NULL || !sib_file_same(outs[k], in)) continue;
            if (in == o->default_file)
                return usage_error(c,
                                   "%s '%s' is the library's peterborough.json, the scenario "
                                   "the built-in default stands for: it would be overwritten "
                                   "(write elsewhere)",
                                   names[k], outs[k]);
            return usage_error(c, "%s '%s' is an input: it would be overwritten (write elsewhere)",
                               names[k], outs[k]);
        }
        /* The writer replaces a file by renaming a new one over it, which
         * a read-only file does not stop: a file its owner protected is
         * refused here instead (the TUI asks). */
        if (scenario_doc_read_only(outs[k]))
            return usage_error(c,
                               "%s '%s' is read-only: it would be replaced (make it writable, "
                               "or write elsewhere)",
                               names[k], outs[k]);
    }
    if (o->checkpoint && (o->out || o->paths_out) &&
        ((o->out && sib_file_same(o->checkpoint, o->out)) ||
         (o->paths_out && sib_file_same(o->checkpoint, o->paths_out)) ||
         (o->out && strcmp(o->checkpoint, o->out) == 0) ||
         (o->paths_out && strcmp(o->checkpoint, o->paths_out) == 0)))
        return usage_error(c, "--checkpoint '%s' is also an output of the report", o->checkpoint);
    if (o->checkpoint_every && !o->checkpoint)
        return usage_error(c, "%s", "--checkpoint-every needs --checkpoint FILE");
    if (o->resume && o->paths_out)
        return usage_error(c, "%s",
                           "--paths-out with --resume: the futures before the checkpoint are not "
                           "simulated again, so their rows cannot be written");
    if (o->out && o->paths_out &&
        (strcmp(o->out, o->paths_out) == 0 || sib_file_same(o->out, o->paths_out)))
        return usage_error(c, "--out and --paths-out name the same file ('%s')", o->out);
    return -1;
}

/* ------------------------------------------------------------- parsing */

int options_parse(int argc, char **argv, const cli_command *c, run_opts *o) {
    memset(o, 0, sizeof *o);
    o->fmt = FORMAT_TABLE;
    o->pct = 0.10;
    o->width = PRESENT_DEFAULT;
    for (int k = 0; k < OPT_MAX_PARAMS; k++) o->steps[k] = 11;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    o->threads = ncpu > 0 ? (unsigned long long)ncpu : 1;
    o->files = calloc((size_t)argc + 1, sizeof *o->files);
    if (o->files == NULL) return usage_error(c, "%s", "out of memory");
    table t;
    build_table(c, &t);
    opterr = 0;
    optind = 0; /* glibc and musl: start afresh */
    int status = -1;
    while (status < 0) {
        int ch = getopt_long(argc, argv, t.shorts, t.longs, NULL);
        if (ch == -1) break;
        if (ch == 1) { /* a scenario */
            status = add_file(c, o, optarg);
        } else if (ch == ':') { /* an option without its value */
            const cli_option *d = def_of(&t, optopt);
            if (d == NULL)
                status = usage_error(c, "an option needs a value");
            else if (optopt < LONG_BASE)
                status = usage_error(c, "option '-%c' (--%s) needs a value", d->letter, d->name);
            else
                status = usage_error(c, "option '--%s' needs a value", d->name);
        } else if (ch == '?') {
            if (optopt >= LONG_BASE) /* a value for an option that takes none */
                status = usage_error(c, "option '--%s' takes no value, found '%s'",
                                     def_of(&t, optopt)->name, argv[optind - 1]);
            else if (optopt != 0)
                status = refuse_short(c, &t, optopt);
            else
                status = refuse_long(c, &t, argv[optind - 1]);
        } else if (optarg != NULL && optarg == argv[optind - 1] && is_an_option(&t, optarg)) {
            /* The value was forgotten and getopt took the next option for
             * it; "--name=VALUE" still gives a value that looks like one. */
            const cli_option *d = def_of(&t, ch);
            if (ch < LONG_BASE)
                status = usage_error(c,
                                     "option '-%c' (--%s) needs a value, found the option '%s' "
                                     "(if that is the value, write --%s=%s)",
                                     d->letter, d->name, optarg, d->name, optarg);
            else
                status = usage_error(c,
                                     "option '--%s' needs a value, found the option '%s' (if "
                                     "that is the value, write --%s=%s)",
                                     d->name, optarg, d->name, optarg);
        } else {
            status = apply(c, o, def_of(&t, ch), optarg);
        }
    }
    /* After "--": every argument is a scenario. */
    for (int i = optind; status < 0 && i < argc; i++) status = add_file(c, o, argv[i]);
    if (status >= 0) options_free(o);
    return status;
}

void options_free(run_opts *o) {
    if (o->files != NULL)
        for (int i = 0; i < o->n_files; i++) free(o->files[i]);
    free(o->files);
    free(o->default_file);
    free(o->library_name);
    o->files = NULL;
    o->default_file = NULL;
    o->library_name = NULL;
    o->n_files = 0;
}

/* Whether name is one of names[0 .. n). */
static int is_name(const char *name, size_t len, const char *const *names, size_t n) {
    for (size_t k = 0; k < n; k++)
        if (strlen(names[k]) == len && strncmp(names[k], name, len) == 0) return 1;
    return 0;
}

size_t options_pair_splits(const char *text, const char *const *a_names, size_t na,
                           const char *const *b_names, size_t nb, size_t *at, size_t room) {
    size_t fits = 0;
    const size_t len = strlen(text);
    for (size_t i = 0; i < len; i++) {
        if (text[i] != '=' || !is_name(text, i, a_names, na) ||
            !is_name(text + i + 1, len - i - 1, b_names, nb))
            continue;
        if (fits < room) at[fits] = i;
        fits++;
    }
    return fits;
}
