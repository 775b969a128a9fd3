/* test_provenance.c -- what every JSON and CSV output says about where its
 * numbers came from (cli/provenance.c): the members, their order and
 * escaping, and their place in a document (the top object's first member;
 * trailing columns on every CSV record, quoted newlines included). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "../cli/provenance.h"

static const provenance one = {
    .command = "run",
    .a = {.name = "Deal \"A\", v2", .file = "deals/a.json", .hash = 0xff, .case_name = NULL},
    .seed = 7,
    .paths = 1000,
    .generator = "mt19937",
};

/* What fn wrote, as a string the caller frees. */
#define CAPTURE(var, call)                                                                         \
    char *var = NULL;                                                                              \
    do {                                                                                           \
        size_t len_ = 0;                                                                           \
        FILE *out = open_memstream(&var, &len_);                                                   \
        cr_assert_not_null(out);                                                                   \
        call;                                                                                      \
        fclose(out);                                                                               \
    } while (0)

Test(provenance, json_names_the_scenario_its_hash_seed_paths_and_generator) {
    CAPTURE(s, provenance_json(out, &one));
    const char *want = "{\"command\": \"run\", \"scenario\": \"Deal \\\"A\\\", v2\", "
                       "\"scenario_file\": \"deals/a.json\", "
                       "\"scenario_hash\": \"fnv1a64:00000000000000ff\", \"case\": null, "
                       "\"seed\": 7, \"paths\": 1000, \"generator\": \"mt19937\", "
                       "\"sibsim_version\": \"";
    cr_assert_eq(strncmp(s, want, strlen(want)), 0, "got %s", s);
    cr_assert_not_null(strstr(s, "\"sibsim_build\": \""));
    cr_assert_eq(s[strlen(s) - 1], '}');
    cr_assert_null(strstr(s, "scenario_b"), "B's members only for compare");
    free(s);
}

Test(provenance, compare_adds_the_b_scenario_and_cases) {
    provenance p = one;
    p.command = "compare";
    p.a.case_name = "base";
    p.b = (provenance_scenario){.name = "B", .file = "b.json", .hash = 1, .case_name = "down"};
    CAPTURE(s, provenance_json(out, &p));
    cr_assert_not_null(strstr(s, "\"case\": \"base\", \"scenario_b\": \"B\", \"scenario_b_file\": "
                                 "\"b.json\", \"scenario_b_hash\": \"fnv1a64:0000000000000001\", "
                                 "\"case_b\": \"down\", \"seed\": 7"),
                       "got %s", s);
    free(s);
}

Test(provenance, a_pretty_printed_object_gets_it_as_its_first_member_on_its_own_line) {
    const char *doc = "{\n  \"a\": 1\n}\n";
    CAPTURE(s, provenance_add_json(out, &one, doc, strlen(doc)));
    CAPTURE(member, provenance_json(out, &one));
    char want[2048];
    snprintf(want, sizeof want, "{\n  \"provenance\": %s,\n  \"a\": 1\n}\n", member);
    cr_assert_str_eq(s, want);
    free(s);
    free(member);
}

Test(provenance, a_compact_object_gets_it_first_and_an_empty_one_takes_no_comma) {
    const char *doc = "{\"points\": []}";
    CAPTURE(s, provenance_add_json(out, &one, doc, strlen(doc)));
    CAPTURE(member, provenance_json(out, &one));
    char want[2048];
    snprintf(want, sizeof want, "{\"provenance\": %s, \"points\": []}", member);
    cr_assert_str_eq(s, want);
    free(s);
    CAPTURE(e, provenance_add_json(out, &one, "{}", 2));
    snprintf(want, sizeof want, "{\"provenance\": %s}", member);
    cr_assert_str_eq(e, want);
    free(e);
    free(member);
}

Test(provenance, a_json_document_that_is_not_an_object_is_refused) {
    CAPTURE(s, cr_assert_eq(provenance_add_json(out, &one, " [1]", 4), -1));
    cr_assert_str_eq(s, "");
    free(s);
}

Test(provenance, every_csv_record_gets_the_columns_even_with_quoted_newlines) {
    const char *doc = "key,label,mean\n"
                      "a,\"two\nlines, and \"\"quotes\"\"\",1.5\n"
                      "\n"
                      "b,plain,2\n";
    CAPTURE(s, provenance_add_csv(out, &one, doc, strlen(doc)));
    CAPTURE(names, provenance_csv_header(out, &one));
    CAPTURE(values, provenance_csv_values(out, &one));
    char want[4096];
    snprintf(want, sizeof want,
             "key,label,mean%s\n"
             "a,\"two\nlines, and \"\"quotes\"\"\",1.5%s\n"
             "\n"
             "b,plain,2%s\n",
             names, values, values);
    cr_assert_str_eq(s, want);
    free(s);
    free(names);
    free(values);
}

Test(provenance, csv_columns_are_named_provenance_dot_key_and_a_missing_case_has_none) {
    CAPTURE(names, provenance_csv_header(out, &one));
    cr_assert_str_eq(names, ",provenance.command,provenance.scenario,provenance.scenario_file,"
                            "provenance.scenario_hash,provenance.seed,provenance.paths,"
                            "provenance.generator,provenance.sibsim_version,"
                            "provenance.sibsim_build");
    CAPTURE(values, provenance_csv_values(out, &one));
    const char *want = ",run,\"Deal \"\"A\"\", v2\",deals/a.json,fnv1a64:00000000000000ff,7,1000,"
                       "mt19937,";
    cr_assert_eq(strncmp(values, want, strlen(want)), 0, "got %s", values);
    free(names);
    free(values);
    provenance p = one;
    p.a.case_name = "downside";
    CAPTURE(with_case, provenance_csv_header(out, &p));
    cr_assert_not_null(
        strstr(with_case, "provenance.scenario_hash,provenance.case,provenance.seed"));
    free(with_case);
}

Test(provenance, a_csv_document_without_a_final_newline_keeps_it_so) {
    CAPTURE(s, provenance_add_csv(out, &one, "x\n1", 3));
    CAPTURE(names, provenance_csv_header(out, &one));
    CAPTURE(values, provenance_csv_values(out, &one));
    char want[2048];
    snprintf(want, sizeof want, "x%s\n1%s", names, values);
    cr_assert_str_eq(s, want);
    free(s);
    free(names);
    free(values);
    cr_assert_eq(provenance_add_csv(stdout, &one, "", 0), -1);
}

/* One future (cashflows, backtest): the provenance says which, and writes
 * no seed or generator that changes nothing. Before, the expected case
 * claimed a seed, a generator and paths 1, and future K of a run was not
 * told apart from future J in a CSV. */
Test(provenance, one_future_names_which_and_only_a_drawn_one_has_a_seed) {
    provenance p = one;
    p.command = "cashflows";
    p.future = "path";
    p.path = 42;
    CAPTURE(s, provenance_json(out, &p));
    cr_assert_not_null(strstr(s, "\"case\": null, \"future\": \"path\", \"path\": 42, \"seed\": 7, "
                                 "\"paths\": null, \"generator\": \"mt19937\", "),
                       "got %s", s);
    free(s);
    CAPTURE(h, provenance_csv_header(out, &p));
    cr_assert_str_eq(h, ",provenance.command,provenance.scenario,provenance.scenario_file,"
                        "provenance.scenario_hash,provenance.future,provenance.path,"
                        "provenance.seed,provenance.generator,provenance.sibsim_version,"
                        "provenance.sibsim_build");
    free(h);
    CAPTURE(v, provenance_csv_values(out, &p));
    cr_assert_not_null(strstr(v, ",path,42,7,mt19937,"), "got %s", v);
    free(v);

    const char *kinds[] = {"expected", "case", "realised"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        p.future = kinds[i];
        CAPTURE(j, provenance_json(out, &p));
        char want[200];
        snprintf(want, sizeof want,
                 "\"future\": \"%s\", \"seed\": null, \"paths\": null, \"generator\": null, ",
                 kinds[i]);
        cr_assert_not_null(strstr(j, want), "got %s", j);
        cr_assert_null(strstr(j, "\"path\":"), "got %s", j);
        free(j);
        CAPTURE(c, provenance_csv_header(out, &p));
        cr_assert_not_null(strstr(c, ",provenance.future,provenance.sibsim_version,"), "got %s", c);
        free(c);
    }
}

Test(provenance, a_run_of_many_futures_has_no_future_member) {
    CAPTURE(s, provenance_json(out, &one));
    cr_assert_null(strstr(s, "future"), "got %s", s);
    free(s);
}
