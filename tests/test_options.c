/* test_options.c -- the command line's options (cli/options.c): getopt_long
 * semantics on each command's own table, counts in every accepted notation
 * and none other, and the messages of bad usage. Each test runs in its own
 * process (Criterion's default), so getopt's state starts afresh. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cli/options.h"

/* Parse the words of a command line (words[0] is the command) for that
 * command; returns what options_parse returns. */
#define PARSE(o, ...)                                                                              \
    parse_words((o), (char *[]){__VA_ARGS__, NULL},                                                \
                (int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)))

static int parse_words(run_opts *o, char **words, int n) {
    const cli_command *c = cli_command_find(words[0]);
    cr_assert_not_null(c, "no command %s", words[0]);
    return options_parse(n, words, c, o);
}

/* ------------------------------------------------------------- counts */

Test(options_count, digits_and_whole_numbers_in_exponent_notation_are_counts) {
    unsigned long long v = 0;
    cr_assert_eq(options_parse_count("1000", 1, 1000000, &v), 0);
    cr_assert_eq(v, 1000);
    cr_assert_eq(options_parse_count("1e6", 1, 1000000, &v), 0);
    cr_assert_eq(v, 1000000);
    cr_assert_eq(options_parse_count("2.5e3", 1, 1000000, &v), 0);
    cr_assert_eq(v, 2500);
    cr_assert_eq(options_parse_count("1E+3", 1, 1000000, &v), 0);
    cr_assert_eq(v, 1000);
    cr_assert_eq(options_parse_count("1e12", 1, 1000000000000ULL, &v), 0);
    cr_assert_eq(v, 1000000000000ULL);
    cr_assert_eq(options_parse_count("9007199254740992", 0, 9007199254740992ULL, &v), 0);
    cr_assert_eq(v, 9007199254740992ULL);
}

Test(options_count, signs_blanks_fractions_and_trailing_text_are_refused) {
    const char *bad[] = {" 5",  "+5", "-5", "5x", "1.5", "1e-3", "0x10", "inf",
                         "nan", "1e", "1.", ".5", "",    "5 ",   "1e6x", "1,000"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        unsigned long long v = 42;
        cr_expect_eq(options_parse_count(bad[i], 0, 1000000, &v), -1, "'%s' was taken", bad[i]);
        cr_expect_eq(v, 42, "'%s' changed the value", bad[i]);
    }
}

Test(options_count, a_count_out_of_its_range_is_refused) {
    unsigned long long v;
    cr_assert_eq(options_parse_count("0", 1, 10, &v), -1);
    cr_assert_eq(options_parse_count("11", 1, 10, &v), -1);
    cr_assert_eq(options_parse_count("1.1e1", 1, 10, &v), -1);
    cr_assert_eq(options_parse_count("1e13", 1, 1000000000000ULL, &v), -1);
    cr_assert_eq(options_parse_count("18446744073709551616", 0, ~0ULL, &v), -1); /* 2^64 */
    cr_assert_eq(options_parse_count("1e300", 0, ~0ULL, &v), -1); /* not exact in a double */
}

/* --------------------------------------------------------- option forms */

Test(options, every_form_of_a_value_gives_the_same_paths) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "run", "-n1000"), -1);
    cr_assert(o.have_paths && o.paths == 1000);
    options_free(&o);
    cr_assert_eq(PARSE(&o, "run", "-n", "1000"), -1);
    cr_assert_eq(o.paths, 1000);
    options_free(&o);
    cr_assert_eq(PARSE(&o, "run", "--paths=1000"), -1);
    cr_assert_eq(o.paths, 1000);
    options_free(&o);
    cr_assert_eq(PARSE(&o, "run", "--paths", "1e3"), -1);
    cr_assert_eq(o.paths, 1000);
    options_free(&o);
}

Test(options, an_unambiguous_prefix_names_its_option) {
    run_opts o;
    /* sweep has --paths and no other option starting "pat". */
    cr_assert_eq(PARSE(&o, "sweep", "--pat", "1000", "--thr=2"), -1);
    cr_assert_eq(o.paths, 1000);
    cr_assert_eq(o.threads, 2);
    options_free(&o);
}

Test(options, an_exact_name_wins_over_the_longer_names_it_begins) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "run", "--paths", "7", "--paths-out", "p.csv"), -1);
    cr_assert_eq(o.paths, 7);
    cr_assert_str_eq(o.paths_out, "p.csv");
    options_free(&o);
    cr_assert_eq(PARSE(&o, "cashflows", "--path", "3"), -1);
    cr_assert(o.have_path && o.path == 3);
    options_free(&o);
}

Test(options, short_flags_combine_with_a_value_last) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "run", "-qn1000", "-fjson"), -1);
    cr_assert(o.quiet);
    cr_assert_eq(o.paths, 1000);
    cr_assert_eq(o.fmt, FORMAT_JSON);
    options_free(&o);
}

Test(options, scenarios_keep_their_order_among_the_options) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "compare", "a.json", "-n", "5", "b.json", "-q"), -1);
    cr_assert_eq(o.n_files, 2);
    cr_assert_str_eq(o.files[0], "a.json");
    cr_assert_str_eq(o.files[1], "b.json");
    cr_assert_eq(o.paths, 5);
    options_free(&o);
}

Test(options, double_dash_ends_the_options) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "run", "-q", "--", "-x.json"), -1);
    cr_assert_eq(o.n_files, 1);
    cr_assert_str_eq(o.files[0], "-x.json");
    cr_assert(o.quiet);
    options_free(&o);
    cr_assert_eq(PARSE(&o, "validate", "--", "--strict", "-n"), -1);
    cr_assert_eq(o.n_files, 2);
    cr_assert_not(o.strict);
    options_free(&o);
}

Test(options, from_to_and_steps_belong_to_the_last_param) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "sweep", "-p", "/a", "--from", "-1", "--to=2", "--steps", "1e1", "-p",
                       "/b", "--from=0.5", "--to", "1"),
                 -1);
    cr_assert_eq(o.n_params, 2);
    cr_assert(o.have_from[0] && o.from[0] == -1 && o.to[0] == 2 && o.steps[0] == 10);
    cr_assert(o.from[1] == 0.5 && o.to[1] == 1 && o.steps[1] == 11);
    options_free(&o);
}

/* ---------------------------------------------------------- bad usage */

Test(options, a_range_before_any_param_is_refused, .init = cr_redirect_stderr) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "sweep", "--from", "1", "-p", "/a", "--to", "2"), 2);
    cr_assert_eq(PARSE(&o, "sweep", "--to=2", "-p", "/a"), 2);
    cr_assert_eq(PARSE(&o, "sweep", "--steps", "3", "-p", "/a"), 2);
    fflush(stderr);
    cr_assert_stderr_eq_str("sibsim: sweep: --from '1' comes before any --param: it belongs to the "
                            "--param given last before it\nTry 'sibsim help sweep'.\n"
                            "sibsim: sweep: --to '2' comes before any --param: it belongs to the "
                            "--param given last before it\nTry 'sibsim help sweep'.\n"
                            "sibsim: sweep: --steps '3' comes before any --param: it belongs to "
                            "the --param given last before it\nTry 'sibsim help sweep'.\n");
}

Test(options, a_range_given_twice_for_one_param_is_refused, .init = cr_redirect_stderr) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "sweep", "-p", "/a", "--from", "1", "--to", "2", "--from", "3"), 2);
    cr_assert_eq(PARSE(&o, "sweep", "-p", "/a", "--steps", "3", "-p", "/b", "--steps=4",
                       "--steps", "5"),
                 2);
    cr_assert_eq(PARSE(&o, "solve", "-p", "/a", "--to", "1", "-p", "/b", "--to", "2"), 2);
    fflush(stderr);
    cr_assert_stderr_eq_str(
        "sibsim: sweep: --from given twice for --param /a ('1', then '3')\n"
        "Try 'sibsim help sweep'.\n"
        "sibsim: sweep: --steps given twice for --param /b ('4', then '5')\n"
        "Try 'sibsim help sweep'.\n"
        "sibsim: solve: --to given twice ('1', then '2'): every --param takes the one value "
        "solved for, in one range\nTry 'sibsim help solve'.\n");
}

Test(options, each_param_has_its_own_range) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "sweep", "-p", "/a", "--to", "1", "--steps", "2", "-p", "/b", "--to",
                       "2", "--steps", "3"),
                 -1);
    cr_assert(o.to[0] == 1 && o.to[1] == 2 && o.steps[0] == 2 && o.steps[1] == 3);
    options_free(&o);
    cr_assert_eq(PARSE(&o, "solve", "-p", "/a", "-p", "/b", "--from", "1", "--to", "2"), -1);
    options_free(&o);
}

Test(options, an_ambiguous_prefix_is_refused_with_its_candidates, .init = cr_redirect_stderr) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "run", "--pat", "1000"), 2);
    fflush(stderr);
    cr_assert_stderr_eq_str("sibsim: run: option '--pat' is ambiguous: it could be --paths, "
                            "--paths-out\nTry 'sibsim help run'.\n");
}

Test(options, another_commands_option_does_not_apply, .init = cr_redirect_stderr) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "cashflows", "--pair", "a=b"), 2);
    fflush(stderr);
    cr_assert_stderr_eq_str("sibsim: cashflows: option '--pair' does not apply to cashflows\n"
                            "Try 'sibsim help cashflows'.\n");
}

Test(options, another_commands_short_option_does_not_apply, .init = cr_redirect_stderr) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "run", "-qp", "/x"), 2);
    fflush(stderr);
    cr_assert_stderr_eq_str("sibsim: run: option '-p' (--param) does not apply to run\n"
                            "Try 'sibsim help run'.\n");
}

Test(options, an_unknown_option_is_named, .init = cr_redirect_stderr) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "run", "--frobnicate=3"), 2);
    fflush(stderr);
    cr_assert_stderr_eq_str("sibsim: run: unknown option '--frobnicate'\nTry 'sibsim help run'.\n");
}

Test(options, a_flag_given_a_value_is_refused, .init = cr_redirect_stderr) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "run", "--quiet=yes"), 2);
    fflush(stderr);
    cr_assert_stderr_eq_str("sibsim: run: option '--quiet' takes no value, found '--quiet=yes'\n"
                            "Try 'sibsim help run'.\n");
}

Test(options, an_option_without_its_value_is_named, .init = cr_redirect_stderr) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "run", "-q", "-s"), 2);
    fflush(stderr);
    cr_assert_stderr_eq_str("sibsim: run: option '-s' (--seed) needs a value\n"
                            "Try 'sibsim help run'.\n");
}

/* A forgotten value: getopt takes the next word, here an option, as the
 * value ("--metric -o x" reported "more than one scenario given"). A
 * negative number is still a value, and --name=VALUE gives any value. */
Test(options, an_option_taken_for_a_forgotten_value_is_named, .init = cr_redirect_stderr) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "tornado", "--metric", "-o", "x.txt"), 2);
    cr_assert_eq(PARSE(&o, "run", "-s", "--paths", "100"), 2);
    cr_assert_eq(PARSE(&o, "sweep", "--param", "/simulation/discount_rate", "--from", "-0.5",
                       "--to", "0.1"),
                 -1);
    options_free(&o);
    cr_assert_eq(PARSE(&o, "tornado", "--metric=-o"), -1);
    options_free(&o);
    fflush(stderr);
    cr_assert_stderr_eq_str(
        "sibsim: tornado: option '--metric' needs a value, found the option '-o' (if that is the "
        "value, write --metric=-o)\nTry 'sibsim help tornado'.\n"
        "sibsim: run: option '-s' (--seed) needs a value, found the option '--paths' (if that is "
        "the value, write --seed=--paths)\nTry 'sibsim help run'.\n");
}

Test(options, a_fractional_count_is_refused_with_the_range, .init = cr_redirect_stderr) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "run", "--paths", "1.5"), 2);
    fflush(stderr);
    cr_assert_stderr_eq_str("sibsim: run: --paths: expected a whole number from 1 to 1e12, "
                            "found '1.5'\nTry 'sibsim help run'.\n");
}

Test(options, calibrate_refuses_a_count_with_its_own_range_of_paths, .init = cr_redirect_stderr) {
    /* calibrate keeps every future's values, so takes at most 1,000,000:
     * a count it refuses, 0 as much as 2e6, is told that range, not the
     * 1e12 of a run. */
    run_opts o;
    cr_assert_eq(PARSE(&o, "calibrate", "--paths", "0"), 2);
    cr_assert_eq(PARSE(&o, "calibrate", "-n", "2e6"), 2);
    cr_assert_eq(PARSE(&o, "calibrate", "--paths=1e6"), -1);
    cr_assert_eq(o.paths, 1000000);
    options_free(&o);
    fflush(stderr);
    cr_assert_stderr_eq_str("sibsim: calibrate: --paths: expected a whole number from 1 to "
                            "1,000,000 (calibrate keeps every future's payments and years in "
                            "memory), found '0'\nTry 'sibsim help calibrate'.\n"
                            "sibsim: calibrate: --paths: expected a whole number from 1 to "
                            "1,000,000 (calibrate keeps every future's payments and years in "
                            "memory), found '2e6'\nTry 'sibsim help calibrate'.\n");
}

Test(options, an_empty_file_name_is_refused_naming_its_option, .init = cr_redirect_stderr) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "run", "-o", ""), 2);
    cr_assert_eq(PARSE(&o, "run", "--paths-out="), 2);
    cr_assert_eq(PARSE(&o, "run", "--checkpoint", ""), 2);
    cr_assert_eq(PARSE(&o, "run", "--resume", ""), 2);
    cr_assert_eq(PARSE(&o, "backtest", "--realised="), 2);
    fflush(stderr);
    cr_assert_stderr_eq_str("sibsim: run: --out: the file name is empty\nTry 'sibsim help run'.\n"
                            "sibsim: run: --paths-out: the file name is empty\n"
                            "Try 'sibsim help run'.\n"
                            "sibsim: run: --checkpoint: the file name is empty\n"
                            "Try 'sibsim help run'.\n"
                            "sibsim: run: --resume: the file name is empty\n"
                            "Try 'sibsim help run'.\n"
                            "sibsim: backtest: --realised: the file name is empty\n"
                            "Try 'sibsim help backtest'.\n");
}

/* "-" is standard output, as for most Unix tools: -o - writes where no -o
 * would (it wrote a file named "-"). The files that must be files -- a
 * paths file beside the report, a checkpoint, a record to read -- refuse
 * it by name. */
Test(options, a_dash_for_out_is_standard_output, .init = cr_redirect_stderr) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "run", "-o", "-"), -1); /* -1: parsed, go on */
    cr_assert_null(o.out);
    options_free(&o);
    cr_assert_eq(PARSE(&o, "report", "-o", "x.html", "--out=-"), -1);
    cr_assert_null(o.out);
    options_free(&o);
    cr_assert_eq(PARSE(&o, "run", "--paths-out", "-"), 2);
    cr_assert_eq(PARSE(&o, "run", "--checkpoint", "-"), 2);
    cr_assert_eq(PARSE(&o, "run", "--resume", "-"), 2);
    cr_assert_eq(PARSE(&o, "backtest", "--realised", "-"), 2);
    fflush(stderr);
    cr_assert_stderr_eq_str(
        "sibsim: run: --paths-out: '-' (standard input or output) cannot be used here: give a "
        "file name\nTry 'sibsim help run'.\n"
        "sibsim: run: --checkpoint: '-' (standard input or output) cannot be used here: give a "
        "file name\nTry 'sibsim help run'.\n"
        "sibsim: run: --resume: '-' (standard input or output) cannot be used here: give a "
        "file name\nTry 'sibsim help run'.\n"
        "sibsim: backtest: --realised: '-' (standard input or output) cannot be used here: give "
        "a file name\nTry 'sibsim help backtest'.\n");
}

Test(options, too_many_scenarios_are_refused, .init = cr_redirect_stderr) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "run", "a.json", "b.json"), 2);
    cr_assert_eq(PARSE(&o, "list", "a.json"), 2);
    fflush(stderr);
    cr_assert_stderr_eq_str("sibsim: run: more than one scenario given ('b.json')\n"
                            "Try 'sibsim help run'.\n"
                            "sibsim: list: takes no scenario, found 'a.json'\n"
                            "Try 'sibsim help list'.\n");
}

Test(options, help_prints_the_commands_help_and_stops, .init = cr_redirect_stdout) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "run", "--he", "--frobnicate"), 0);
    fflush(stdout);
    cr_assert_stdout_neq_str("");
}

Test(options, an_output_that_is_an_input_is_refused, .init = cr_redirect_stderr) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "run", "/dev/null", "--out", "/dev/null"), -1);
    cr_assert_eq(options_check_outputs(cli_command_find("run"), &o), 2);
    options_free(&o);
    cr_assert_eq(PARSE(&o, "run", "--out=x.csv", "--paths-out", "x.csv"), -1);
    cr_assert_eq(options_check_outputs(cli_command_find("run"), &o), 2);
    options_free(&o);
}

/* ---------------------------------------------------------------- help */

/* `sibsim help NAME` as printed; the caller frees it. */
static char *help_of(const char *name) {
    const cli_command *c = cli_command_find(name);
    cr_assert_not_null(c, "no command %s", name);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cr_assert_not_null(f);
    cli_usage(f, c);
    fclose(f);
    return text;
}

/* Whether help lists --name among its options: a line "  --name ..." or
 * "  -x, --name ..." after "Options:". */
static int lists_option(const char *help, const char *name) {
    const char *p = strstr(help, "\nOptions:\n");
    cr_assert_not_null(p, "a help without its options:\n%s", help);
    size_t len = strlen(name);
    for (p = strchr(p + 1, '\n'); p != NULL; p = strchr(p + 1, '\n')) {
        const char *l = p + 1;
        if (strncmp(l, "  -", 3) != 0) continue;
        l += 2;
        if (l[1] != '-') l += 4; /* "-x, " */
        if (strncmp(l, "--", 2) == 0 && strncmp(l + 2, name, len) == 0 &&
            (l[2 + len] == ' ' || l[2 + len] == '\n'))
            return 1;
    }
    return 0;
}

static const char *const every_command[] = {
    "run",         "compare", "cashflows", "backtest", "sweep",     "tornado",  "solve", "converge",
    "pilot-value", "report",  "tui",       "import",   "calibrate", "validate", "list"};

Test(help, lists_exactly_the_options_each_command_takes) {
    size_t n;
    const cli_option *defs = cli_options(&n);
    for (size_t k = 0; k < sizeof every_command / sizeof every_command[0]; k++) {
        const cli_command *c = cli_command_find(every_command[k]);
        char *help = help_of(every_command[k]);
        for (size_t i = 0; i < n; i++) {
            int takes = (defs[i].bit & (c->options | OPT_HELP)) != 0;
            cr_expect_eq(lists_option(help, defs[i].name), takes, "help %s %s --%s", c->name,
                         takes ? "leaves out" : "lists", defs[i].name);
        }
        free(help);
    }
}

Test(help, says_each_commands_own_default_paths) {
    static const struct {
        const char *command, *says;
    } cases[] = {{"run", "(default: the scenario's simulation.paths)"},
                 {"sweep", "a point (default: the scenario's"},
                 {"tornado", "a run (default 20,000"},
                 {"solve", "a run (default 20,000)"},
                 {"converge", "the most paths it runs to (default 1,048,576)"},
                 {"calibrate", "(default 20,000, or the scenario's"}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char *help = help_of(cases[k].command);
        const char *line = strstr(help, "\n  -n, --paths N ");
        cr_assert_not_null(line, "help %s has no --paths", cases[k].command);
        const char *end = strstr(line + 1, "\n  -"); /* the next option */
        const char *at = strstr(line, cases[k].says);
        cr_expect(at != NULL && (end == NULL || at < end), "help %s: --paths does not say \"%s\"",
                  cases[k].command, cases[k].says);
        free(help);
    }
}

Test(help, a_commands_notes_are_of_options_it_takes) {
    size_t n_commands, n_defs;
    const cli_command *cs = cli_commands(&n_commands);
    const cli_option *defs = cli_options(&n_defs);
    cr_assert_gt(n_commands, 15);
    for (size_t k = 0; k < n_commands; k++)
        for (const cli_note *note = cs[k].notes; note && note->name; note++) {
            size_t i = 0;
            while (i < n_defs && strcmp(defs[i].name, note->name) != 0) i++;
            cr_expect(i < n_defs && (defs[i].bit & cs[k].options),
                      "%s has a note on --%s, which it does not take", cs[k].name, note->name);
        }
}

Test(help, help_is_a_command_with_its_own_help) {
    char *help = help_of("help");
    cr_expect(strstr(help, "Usage: sibsim help [COMMAND]") != NULL);
    free(help);
}

/* ------------------------------------------------------------- --pair */

Test(options_pair, a_pair_is_kept_whole_and_needs_a_name_each_side_of_some_equals,
     .init = cr_redirect_stderr) {
    run_opts o;
    cr_assert_eq(PARSE(&o, "compare", "a.json", "b.json", "--pair", "x=y=z"), -1);
    cr_assert_eq(o.n_pairs, 1);
    cr_assert_str_eq(o.pair[0], "x=y=z");
    options_free(&o);
    /* "=a=b" has an '=' with text on both sides: "=a" and "b" */
    cr_assert_eq(PARSE(&o, "compare", "a.json", "b.json", "--pair", "=a=b"), -1);
    cr_assert_str_eq(o.pair[0], "=a=b");
    options_free(&o);
    const char *bad[] = {"ab", "=ab", "ab=", "=", "=="};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        cr_assert_eq(PARSE(&o, "compare", "a.json", "b.json", "--pair", (char *)bad[k]), 2,
                     "--pair %s", bad[k]);
}

Test(options_pair, a_name_without_equals_splits_at_its_one_equals) {
    const char *a[] = {"grant", "PbR"}, *b[] = {"PbR", "staged"};
    size_t at[4];
    cr_assert_eq(options_pair_splits("grant=PbR", a, 2, b, 2, at, 4), 1);
    cr_assert_eq(at[0], 5);
    cr_assert_eq(options_pair_splits("grant=nope", a, 2, b, 2, at, 4), 0);
    cr_assert_eq(options_pair_splits("nope=PbR", a, 2, b, 2, at, 4), 0);
    cr_assert_eq(options_pair_splits("grant=PbR=", a, 2, b, 2, at, 4), 0);
}

Test(options_pair, names_holding_equals_split_where_both_sides_are_names) {
    /* "SIB=A=SIB=B" reads as A's "SIB=A" with B's "SIB=B", at its second
     * '=' only: "SIB" and "SIB=A=SIB" are no structure of A's. */
    const char *a[] = {"SIB=A"}, *b[] = {"SIB=B"};
    size_t at[4];
    cr_assert_eq(options_pair_splits("SIB=A=SIB=B", a, 1, b, 1, at, 4), 1);
    cr_assert_eq(at[0], 5);
    const char *a2[] = {"x=y"}, *b2[] = {"z"};
    cr_assert_eq(options_pair_splits("x=y=z", a2, 1, b2, 1, at, 4), 1);
    cr_assert_eq(at[0], 3);
    const char *a3[] = {"x"}, *b3[] = {"y=z"};
    cr_assert_eq(options_pair_splits("x=y=z", a3, 1, b3, 1, at, 4), 1);
    cr_assert_eq(at[0], 1);
}

Test(options_pair, every_split_that_names_a_pair_is_counted) {
    /* A has "x" and "x=y", B "y=z" and "z": "x=y=z" names two pairs. */
    const char *a[] = {"x", "x=y"}, *b[] = {"y=z", "z"};
    size_t at[4];
    cr_assert_eq(options_pair_splits("x=y=z", a, 2, b, 2, at, 4), 2);
    cr_assert_eq(at[0], 1);
    cr_assert_eq(at[1], 3);
    /* more than room: counted, not stored past it */
    size_t one[1];
    cr_assert_eq(options_pair_splits("x=y=z", a, 2, b, 2, one, 1), 2);
    cr_assert_eq(one[0], 1);
}
