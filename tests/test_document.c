/* test_document.c -- the editable document behind the terminal UI. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../model/document.h"
#include "helpers.h"


Test(document, printing_keeps_every_field_in_order_and_compiles_alike) {
    char *text = repo_text("scenarios/peterborough.json");
    sib_error err;
    scenario_doc *doc = scenario_doc_new(text, "p.json", &err);
    cr_assert_not_null(doc);
    char *out = scenario_doc_text(doc);
    /* Same keys in the same order: "name" before "description" before "currency". */
    char *a = strstr(out, "\"name\""), *b = strstr(out, "\"description\""), *c = strstr(out, "\"currency\"");
    cr_assert(a && b && c && a < b && b < c);
    cr_assert_null(strchr(out, '\t'), "indented with spaces");
    scenario *s1 = scenario_load_string(text, "p", &err), *s2 = scenario_load_string(out, "p", &err);
    cr_assert_not_null(s2);
    cr_assert_float_eq(s1->contract.rules[1].price, s2->contract.rules[1].price, 0);
    cr_assert_eq(s1->n_inputs, s2->n_inputs);
    scenario_free(s1);
    scenario_free(s2);
    free(out);
    scenario_doc_free(doc);
    free(text);
}

Test(document, nodes_list_the_tree_in_file_order_with_pointers) {
    const char *text = "{\"a\": 1, \"b\": {\"c\": [10, 20], \"d/e\": true}, \"s\": \"x\"}";
    sib_error err;
    scenario_doc *doc = scenario_doc_new(text, "t", &err);
    doc_node n[16];
    size_t k = scenario_doc_nodes(doc, n, 16);
    cr_assert_eq(k, 7);
    cr_assert_str_eq(n[0].pointer, "/a");
    cr_assert_eq(n[0].kind, DOC_NUMBER);
    cr_assert_str_eq(n[1].pointer, "/b");
    cr_assert_eq(n[1].children, 2);
    cr_assert_str_eq(n[3].pointer, "/b/c/0");
    cr_assert_str_eq(n[3].key, "[0]");
    cr_assert_eq(n[3].depth, 2);
    cr_assert_str_eq(n[5].pointer, "/b/d~1e");
    cr_assert(n[5].boolean);
    cr_assert_str_eq(n[6].text, "x");
    scenario_doc_free(doc);
}

Test(document, an_edit_changes_one_value_and_a_bad_one_is_caught_by_compiling) {
    char *text = repo_text("scenarios/peterborough.json");
    sib_error err;
    scenario_doc *doc = scenario_doc_new(text, "p.json", &err);
    cr_assert_eq(scenario_doc_set_number(doc, "/contract/payments/1/price", 12500, &err), SIB_OK);
    scenario *sc = scenario_doc_compile(doc, &err);
    cr_assert_not_null(sc);
    cr_assert_float_eq(sc->contract.rules[1].price, 12500, 0);
    scenario_free(sc);
    /* A negative cohort size is accepted by the document, refused by the loader. */
    scenario_doc *before = scenario_doc_copy(doc);
    cr_assert_eq(scenario_doc_set_number(doc, "/stages/0/cohorts/0/size", -5, &err), SIB_OK);
    cr_assert_null(scenario_doc_compile(doc, &err));
    cr_assert_str_eq(err.pointer, "/stages/0/cohorts/0/size");
    /* The copy is untouched: undo is a swap. */
    scenario *ok = scenario_doc_compile(before, &err);
    cr_assert_not_null(ok);
    scenario_free(ok);
    cr_assert_eq(scenario_doc_set_number(doc, "/no/such", 1, &err), SIB_EINVAL);
    scenario_doc_free(before);
    scenario_doc_free(doc);
    free(text);
}

Test(document, saving_is_atomic_and_keeps_the_previous_file_as_bak) {
    char dir[] = "/tmp/sibsim-doc-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256], bak[256];
    snprintf(path, sizeof path, "%s/s.json", dir);
    snprintf(bak, sizeof bak, "%s/s.json.bak", dir);
    FILE *f = fopen(path, "w");
    fputs("{\"old\": true}\n", f);
    fclose(f);
    char *text = repo_text("scenarios/peterborough.json");
    sib_error err;
    scenario_doc *doc = scenario_doc_new(text, path, &err);
    scenario_doc_set_number(doc, "/contract/payments/1/price", 9000, &err);
    cr_assert_eq(scenario_doc_save(doc, path, &err), SIB_OK, "%s", err.message);
    scenario *sc = scenario_load_file(path, &err);
    cr_assert_not_null(sc, "the saved file validates");
    cr_assert_float_eq(sc->contract.rules[1].price, 9000, 0);
    scenario_free(sc);
    f = fopen(bak, "r");
    cr_assert_not_null(f);
    char line[64];
    cr_assert_not_null(fgets(line, sizeof line, f));
    cr_assert_str_eq(line, "{\"old\": true}\n");
    fclose(f);
    /* Nothing else is left in the directory (no temporary file). */
    char cmd[300];
    snprintf(cmd, sizeof cmd, "test $(ls %s | wc -l) -eq 2", dir);
    cr_assert_eq(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
    scenario_doc_free(doc);
    free(text);
}
