/* test_document.c -- the editable document behind the terminal UI. */
#include <criterion/criterion.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../model/document.h"
#include "../model/file.h"
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
    cr_assert_eq(scenario_doc_save(doc, path, NULL, &err), SIB_OK, "%s", err.message);
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

/* ------------------------------------------------ nothing the user did not change */

Test(document, an_unedited_document_is_its_file_byte_for_byte) {
    size_t n_library;
    const char *const *library = library_scenarios(&n_library);
    for (size_t i = 0; i < n_library; i++) {
        char *text = repo_text(library[i]);
        sib_error err;
        scenario_doc *doc = scenario_doc_new(text, library[i], &err);
        cr_assert_not_null(doc);
        scenario_doc *copy = scenario_doc_copy(doc);
        char *out = scenario_doc_text(copy);
        cr_assert_str_eq(out, text, "%s is given back as it was read", library[i]);
        free(out);
        scenario_doc_free(copy);
        scenario_doc_free(doc);
        free(text);
    }
}

/* The bytes where a and b differ: [*from, a_end) in a and [*from, b_end)
 * in b, after the longest common prefix and suffix. */
static void diff_span(const char *a, const char *b, size_t *from, size_t *a_end, size_t *b_end) {
    size_t la = strlen(a), lb = strlen(b), p = 0, s = 0;
    while (p < la && p < lb && a[p] == b[p]) p++;
    while (s < la - p && s < lb - p && a[la - 1 - s] == b[lb - 1 - s]) s++;
    *from = p;
    *a_end = la - s;
    *b_end = lb - s;
}

Test(document, an_edit_rewrites_that_value_and_nothing_else) {
    char *text = repo_text("scenarios/peterborough.json");
    sib_error err;
    scenario_doc *doc = scenario_doc_new(text, "p.json", &err);
    /* 0.10 read back as 0.1 is the same number: the text keeps "0.10". */
    cr_assert_eq(scenario_doc_set_number(doc, "/contract/payments/0/trigger", 0.1, &err), SIB_OK);
    /* On the compact line of the prior, only the mean changes. */
    cr_assert_eq(scenario_doc_set_number(doc, "/outcomes/0/effect/prior/mean", 0.085, &err), SIB_OK);
    char *out = scenario_doc_text(doc);
    size_t from, a_end, b_end;
    diff_span(text, out, &from, &a_end, &b_end);
    cr_assert_eq(a_end - from, 1, "only the 9 of 0.09 differs in the file");
    cr_assert_eq(text[from], '9');
    cr_assert_eq(b_end - from, 2);
    cr_assert(strncmp(out + from, "85", 2) == 0, "and becomes the 85 of 0.085");
    cr_assert_not_null(strstr(out, "\"prior\": { \"dist\": \"normal\", \"mean\": 0.085, \"sd\": 0.05,"));
    cr_assert_not_null(strstr(out, "\"trigger\": 0.10,"));
    free(out);
    /* A string, a boolean and a 13-digit number. */
    cr_assert_eq(scenario_doc_set_string(doc, "/name", "P \"quoted\" \xc2\xa3", &err), SIB_OK);
    cr_assert_eq(scenario_doc_set_bool(doc, "/contract/payments/1/true_up", false, &err), SIB_OK);
    cr_assert_eq(scenario_doc_set_number(doc, "/simulation/seed", 1234567890123.0, &err), SIB_OK);
    out = scenario_doc_text(doc);
    cr_assert_not_null(strstr(out, "  \"name\": \"P \\\"quoted\\\" \xc2\xa3\",\n"));
    cr_assert_not_null(strstr(out, "        \"true_up\": false,\n"));
    cr_assert_not_null(strstr(out, "    \"seed\": 1234567890123,\n"));
    scenario *sc = scenario_load_string(out, "p.json", &err);
    cr_assert_not_null(sc, "%s", err.message);
    cr_assert_eq(sc->sim.seed, 1234567890123u);
    scenario_free(sc);
    free(out);
    /* A prior's distribution replaced by a number: the object's text goes. */
    cr_assert_eq(scenario_doc_set_number(doc, "/outcomes/0/effect/prior", 0.09, &err), SIB_OK);
    out = scenario_doc_text(doc);
    cr_assert_not_null(strstr(out, "\"prior\": 0.09\n"));
    free(out);
    scenario_doc_free(doc);
    free(text);
}

Test(document, a_string_node_holds_the_whole_string) {
    char *text = repo_text("scenarios/peterborough.json");
    sib_error err;
    scenario_doc *doc = scenario_doc_new(text, "p.json", &err);
    /* The realised record's description: 1,376 bytes. */
    static doc_node n[1024];
    size_t count = scenario_doc_nodes(doc, n, 1024), k = 0;
    cr_assert_leq(count, 1024);
    while (k < count && strcmp(n[k].pointer, "/realised/description") != 0) k++;
    cr_assert_lt(k, count, "no node /realised/description");
    cr_assert_eq(strlen(n[k].text), 1376, "the description whole, not its first 159 bytes");
    cr_assert_str_eq(n[k].text + 1376 - 13, "date in 2017.");
    scenario_doc_free(doc);
    free(text);
}

/* A comma-decimal locale for this test process: de_DE.UTF-8 from the
 * system, or compiled with localedef into a scratch directory (LOCPATH).
 * 0 when neither can be had. */
static int comma_locale(char *dir, size_t size) {
    dir[0] = '\0';
    if (setlocale(LC_ALL, "de_DE.UTF-8") != NULL) return 1;
    snprintf(dir, size, "/tmp/sibsim-locale-XXXXXX");
    if (mkdtemp(dir) == NULL) return 0;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1", dir);
    if (system(cmd) != 0) return 0;
    setenv("LOCPATH", dir, 1);
    return setlocale(LC_ALL, "de_DE.UTF-8") != NULL;
}

static void remove_dir(const char *dir) {
    if (dir[0] == '\0') return;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

Test(document, numbers_are_read_and_written_with_a_point_whatever_the_locale) {
    char dir[64];
    int have = comma_locale(dir, sizeof dir);
    if (!have) {
        remove_dir(dir);
        cr_skip_test("no de_DE locale here, and localedef could not make one");
    }
    /* The locale is in force: the C library's own strtod stops at the point. */
    char *end;
    cr_assert_float_eq(strtod("0.12", &end), 0, 0);
    cr_assert_eq(*end, '.');
    double v = -1;
    cr_assert_eq(doc_number_parse("0.12", &v), 0);
    cr_assert_eq(v, 0.12);
    cr_assert_eq(doc_number_parse("0,12", &v), -1, "a comma is refused, not read as 0");
    char buf[64];
    cr_assert_str_eq(doc_number_text(0.12, buf, sizeof buf), "0.12");
    cr_assert_str_eq(doc_number_text(-2.5e-7, buf, sizeof buf), "-2.5e-7");
    /* The exponent as short as JSON allows (the TUI saved a typed 1e-7 as
     * 1e-07). */
    cr_assert_str_eq(doc_number_text(1e-7, buf, sizeof buf), "1e-7");
    cr_assert_str_eq(doc_number_text(1.234e-6, buf, sizeof buf), "1.234e-6");
    cr_assert_str_eq(doc_number_text(1.5e20, buf, sizeof buf), "1.5e20");
    cr_assert_str_eq(doc_number_text(1e-300, buf, sizeof buf), "1e-300");
    cr_assert_str_eq(doc_number_text(2.5e-10, buf, sizeof buf), "2.5e-10");
    cr_assert_str_eq(doc_number_text(1e100, buf, sizeof buf), "1e100");
    sib_error err;
    scenario_doc *doc = scenario_doc_new("{\"a\": 1.5, \"b\": 2}", "t", &err);
    cr_assert_not_null(doc);
    doc_node n[2];
    scenario_doc_nodes(doc, n, 2);
    cr_assert_eq(n[0].number, 1.5);
    scenario_doc_set_number(doc, "/b", 0.125, &err);
    char *out = scenario_doc_text(doc);
    cr_assert_str_eq(out, "{\"a\": 1.5, \"b\": 0.125}");
    free(out);
    scenario_doc_free(doc);
    setlocale(LC_ALL, "C");
    remove_dir(dir);
}

Test(document, numbers_are_shown_in_the_shortest_text_that_reads_back) {
    char buf[64];
    const double xs[] = {1234567890123.0, 0.1, 0.075, 1e-7, 0.30000000000000004, 1.0 / 3, -0.0,
                         1e17, 9007199254740993.0, 123456.789, 5e-324, 1.7976931348623157e308};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        double back = 0;
        cr_assert_eq(doc_number_parse(doc_number_text(xs[i], buf, sizeof buf), &back), 0, "%s", buf);
        cr_assert_eq(back, xs[i], "%s reads back", buf);
    }
    cr_assert_str_eq(doc_number_text(1234567890123.0, buf, sizeof buf), "1234567890123");
    cr_assert_str_eq(doc_number_text(0.1, buf, sizeof buf), "0.1");
    cr_assert_str_eq(doc_number_text(100000, buf, sizeof buf), "100000");
    cr_assert_str_eq(doc_number_text(0.30000000000000004, buf, sizeof buf), "0.30000000000000004");
    double v;
    const char *bad[] = {"", " ", "abc", "0x10", "inf", "nan", "1e999", "1.2.3x", "--1", "1 2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(doc_number_parse(bad[i], &v), -1, "\"%s\" is refused", bad[i]);
    cr_assert_eq(doc_number_parse(" 12000 ", &v), 0);
    cr_assert_eq(v, 12000);
    cr_assert_eq(doc_number_parse(".25", &v), 0);
    cr_assert_eq(v, 0.25);
    /* A number a double would change is refused as typed, as in a file,
     * with the reason: never taken as another number. */
    char why[300];
    const char *changed[] = {"9007199254740993", "-9007199254740995", "1e-400", " 1e400 ",
                             "12345678901234567890"};
    for (size_t i = 0; i < sizeof changed / sizeof changed[0]; i++) {
        cr_assert_eq(doc_number_read(changed[i], &v, why, sizeof why), -1, "\"%s\"", changed[i]);
        cr_assert(strstr(why, "would be read as") != NULL, "\"%s\": %s", changed[i], why);
    }
    cr_assert_eq(doc_number_read("9007199254740993", &v, why, sizeof why), -1);
    cr_assert(strstr(why, "would be read as 9007199254740992") != NULL, "%s", why);
    cr_assert_eq(doc_number_read("abc", &v, why, sizeof why), -1);
    cr_assert_str_eq(why, "", "not a number at all: no reason about doubles");
    const char *held[] = {"9007199254740992", "+9007199254740992", "0009007199254740992",
                          "-9007199254740994", "1e20", "1e-320", "0e-400", "0.1"};
    for (size_t i = 0; i < sizeof held / sizeof held[0]; i++)
        cr_assert_eq(doc_number_read(held[i], &v, why, sizeof why), 0, "\"%s\": %s", held[i], why);
}

/* ------------------------------------------------------- never lose an edit */

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

Test(document, the_disk_check_sees_a_file_changed_since_it_was_read) {
    /* FNV-1a 64's published test values. */
    cr_assert_eq(scenario_doc_hash("", 0), 0xcbf29ce484222325u);
    cr_assert_eq(scenario_doc_hash("a", 1), 0xaf63dc4c8601ec8cu);
    cr_assert_eq(scenario_doc_hash("foobar", 6), 0x85944171f73967e8u);
    char dir[] = "/tmp/sibsim-doc-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256], fifo[256];
    snprintf(path, sizeof path, "%s/s.json", dir);
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    const char *mine = "{\"a\": 1}\n";
    write_text(path, mine);
    uint64_t h = scenario_doc_hash(mine, strlen(mine));
    cr_assert_eq(scenario_doc_disk_check(path, h), DOC_DISK_SAME);
    write_text(path, "{\"a\": 2}\n");
    cr_assert_eq(scenario_doc_disk_check(path, h), DOC_DISK_CHANGED);
    /* A save reports the hash of what it wrote. */
    sib_error err;
    scenario_doc *doc = scenario_doc_new(mine, path, &err);
    uint64_t saved = 0;
    cr_assert_eq(scenario_doc_save(doc, path, &saved, &err), SIB_OK);
    cr_assert_eq(saved, h);
    cr_assert_eq(scenario_doc_disk_check(path, saved), DOC_DISK_SAME);
    unlink(path);
    cr_assert_eq(scenario_doc_disk_check(path, h), DOC_DISK_MISSING);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    cr_assert_eq(scenario_doc_disk_check(fifo, h), DOC_DISK_UNKNOWN, "a FIFO is not read");
    scenario_doc_free(doc);
    remove_dir(dir);
}

Test(document, a_file_without_write_permission_is_read_only_even_for_root) {
    char dir[] = "/tmp/sibsim-doc-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/s.json", dir);
    cr_assert_not(scenario_doc_read_only(path), "a file that does not exist yet");
    write_text(path, "{}\n");
    chmod(path, 0644);
    cr_assert_not(scenario_doc_read_only(path));
    chmod(path, 0444);
    cr_assert(scenario_doc_read_only(path));
    remove_dir(dir);
}

Test(document, unsaved_edits_are_kept_beside_the_scenario_under_a_hidden_name) {
    char *p = scenario_doc_recovery_path("dir/sub/s.json");
    cr_assert_str_eq(p, "dir/sub/.s.json.sibsim-recover");
    free(p);
    p = scenario_doc_recovery_path("s.json");
    cr_assert_str_eq(p, ".s.json.sibsim-recover");
    free(p);
    p = scenario_doc_recovery_path(NULL);
    cr_assert_str_eq(p, ".sibsim-builtin.sibsim-recover");
    free(p);
    char dir[] = "/tmp/sibsim-doc-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256], link_path[256], want[256];
    snprintf(path, sizeof path, "%s/real.json", dir);
    snprintf(link_path, sizeof link_path, "%s/link.json", dir);
    snprintf(want, sizeof want, "%s/.real.json.sibsim-recover", dir);
    write_text(path, "{\"a\": 1}\n");
    cr_assert_eq(symlink("real.json", link_path), 0);
    p = scenario_doc_recovery_path(link_path);
    cr_assert_str_eq(p, want, "beside the file a link leads to");
    free(p);
    sib_error err;
    scenario_doc *doc = scenario_doc_new("{\"a\": 1}\n", link_path, &err);
    scenario_doc_set_number(doc, "/a", 2, &err);
    cr_assert_eq(scenario_doc_save_recovery(doc, link_path, NULL, NULL, &err), SIB_OK);
    char *kept = sib_file_read(want, &err);
    cr_assert_str_eq(kept, "{\"a\": 2}\n");
    free(kept);
    char *orig = sib_file_read(path, &err);
    cr_assert_str_eq(orig, "{\"a\": 1}\n", "the scenario itself is untouched");
    free(orig);
    scenario_doc_free(doc);
    remove_dir(dir);
}

Test(document, a_recovery_file_never_replaces_another_sessions_edits) {
    /* A session stopped by a signal keeps its edits; the next session
     * leaves them for later and is stopped too: both sets must survive. */
    char dir[] = "/tmp/sibsim-doc-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256], first[256], second[256];
    snprintf(path, sizeof path, "%s/s.json", dir);
    snprintf(first, sizeof first, "%s/.s.json.sibsim-recover", dir);
    snprintf(second, sizeof second, "%s/.s.json.sibsim-recover-2", dir);
    write_text(path, "{\"a\": 1, \"b\": 1}\n");
    sib_error err;
    scenario_doc *one = scenario_doc_new("{\"a\": 1, \"b\": 1}\n", path, &err);
    scenario_doc *two = scenario_doc_new("{\"a\": 1, \"b\": 1}\n", path, &err);
    scenario_doc_set_number(one, "/a", 2, &err);
    scenario_doc_set_number(two, "/b", 3, &err);
    char *where = NULL;
    cr_assert_eq(scenario_doc_save_recovery(one, path, NULL, &where, &err), SIB_OK);
    cr_assert_str_eq(where, first);
    free(where);
    cr_assert_eq(scenario_doc_save_recovery(two, path, NULL, &where, &err), SIB_OK);
    cr_assert_str_eq(where, second, "the next slot, not over the first session's edits");
    free(where);
    char *text = sib_file_read(first, &err);
    cr_assert_str_eq(text, "{\"a\": 2, \"b\": 1}\n", "the first session's edits are intact");
    free(text);
    text = sib_file_read(second, &err);
    cr_assert_str_eq(text, "{\"a\": 1, \"b\": 3}\n");
    free(text);
    char *slot = scenario_doc_recovery_slot(path, 1);
    cr_assert_str_eq(slot, second);
    free(slot);
    /* A session that took a recovery file up writes that file anew: its
     * edits include the file's. */
    scenario_doc_set_number(two, "/a", 5, &err);
    cr_assert_eq(scenario_doc_save_recovery(two, path, second, &where, &err), SIB_OK);
    cr_assert_str_eq(where, second);
    free(where);
    text = sib_file_read(second, &err);
    cr_assert_str_eq(text, "{\"a\": 5, \"b\": 3}\n");
    free(text);
    text = sib_file_read(first, &err);
    cr_assert_str_eq(text, "{\"a\": 2, \"b\": 1}\n");
    free(text);
    /* Every slot taken: an error, and no file replaced. */
    for (unsigned k = 2; k < SCENARIO_DOC_RECOVERY_SLOTS; k++) {
        char *p = scenario_doc_recovery_slot(path, k);
        write_text(p, "{}\n");
        free(p);
    }
    cr_assert_eq(scenario_doc_save_recovery(one, path, NULL, &where, &err), SIB_EIO);
    cr_assert_null(where);
    cr_assert(strstr(err.message, "waiting") != NULL, "%s", err.message);
    text = sib_file_read(first, &err);
    cr_assert_str_eq(text, "{\"a\": 2, \"b\": 1}\n");
    free(text);
    scenario_doc_free(one);
    scenario_doc_free(two);
    remove_dir(dir);
}

Test(document, a_recovery_file_has_the_scenarios_permissions) {
    /* It holds the scenario's data: no more readable than the scenario. */
    char dir[] = "/tmp/sibsim-doc-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256], kept[256];
    snprintf(path, sizeof path, "%s/s.json", dir);
    snprintf(kept, sizeof kept, "%s/.s.json.sibsim-recover", dir);
    write_text(path, "{\"a\": 1}\n");
    const mode_t modes[] = {0600, 0640, 0444};
    for (size_t i = 0; i < sizeof modes / sizeof *modes; i++) {
        cr_assert_eq(chmod(path, modes[i]), 0);
        sib_error err;
        scenario_doc *doc = scenario_doc_new("{\"a\": 1}\n", path, &err);
        scenario_doc_set_number(doc, "/a", 2, &err);
        cr_assert_eq(scenario_doc_save_recovery(doc, path, NULL, NULL, &err), SIB_OK);
        struct stat st;
        cr_assert_eq(stat(kept, &st), 0);
        cr_assert_eq(st.st_mode & 07777, modes[i], "mode %o for a scenario of %o",
                     (unsigned)(st.st_mode & 07777), (unsigned)modes[i]);
        unlink(kept);
        scenario_doc_free(doc);
    }
    remove_dir(dir);
}

/* ------------------------------------------- strict text, pointers of any length */

Test(document, the_document_reads_json_as_strictly_as_the_loader) {
    /* cJSON alone takes each of these; the loader does not, so neither may
     * the TUI (it would show and save what `run` then refuses). */
    const char *bad[] = {"{\"a\": 01}", "{\"a\": \"x\ty\"}", "{\"a\": \"p\\u0000junk\"}",
                         "{\"a\": 2.}", "{\"a\": \"\xff\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        sib_error err;
        scenario_doc *doc = scenario_doc_new(bad[i], "t.json", &err);
        cr_expect_null(doc, "accepted: %s", bad[i]);
        scenario_doc_free(doc);
        cr_expect_str_eq(err.file, "t.json");
        cr_expect_gt(err.line, 0, "no position for %s", bad[i]);
    }
}

Test(document, a_node_whose_pointer_is_too_long_is_listed_without_one) {
    /* A 300-byte key: its pointer cannot be held whole, and a cut one
     * would name another node (here "/" + the first 254 bytes, which is
     * the sibling below). The node is listed, marked, with no pointer. */
    char key[301], text[1200];
    memset(key, 'k', 300);
    key[300] = '\0';
    snprintf(text, sizeof text, "{\"%.254s\": 1, \"%s\": 2, \"b\": {\"%s\": 3}}", key, key, key);
    scenario_doc *doc = scenario_doc_new(text, "t.json", NULL);
    cr_assert_not_null(doc);
    doc_node nodes[8];
    size_t n = scenario_doc_nodes(doc, nodes, 8);
    cr_assert_eq(n, 4);
    cr_expect_eq(nodes[0].number, 1);
    cr_expect_eq(strlen(nodes[0].pointer), 255);
    cr_expect(!nodes[0].pointer_cut);
    cr_expect_eq(nodes[1].number, 2);
    cr_expect(nodes[1].pointer_cut, "the 301-byte pointer was not marked");
    cr_expect_str_eq(nodes[1].pointer, "");
    cr_expect_str_eq(nodes[2].pointer, "/b");
    cr_expect(nodes[3].pointer_cut);
    scenario_doc_free(doc);
}

Test(document, a_long_pointer_sets_its_own_node_under_its_own_parent) {
    /* The parent was found from a copy of the pointer cut at 255 bytes: a
     * field under a 600-byte key could not be set. */
    char key[601], text[1600], ptr[700];
    memset(key, 'q', 600);
    key[600] = '\0';
    snprintf(text, sizeof text, "{\"a\": {\"%s\": {\"y\": 1}, \"x\": 5}}", key);
    snprintf(ptr, sizeof ptr, "/a/%s/y", key);
    scenario_doc *doc = scenario_doc_new(text, "t.json", NULL);
    cr_assert_not_null(doc);
    sib_error err;
    cr_assert_eq(scenario_doc_set_number(doc, ptr, 7, &err), SIB_OK, "%s", err.message);
    char *out = scenario_doc_text(doc);
    char want[1600];
    snprintf(want, sizeof want, "{\"a\": {\"%s\": {\"y\": 7}, \"x\": 5}}", key);
    cr_expect_str_eq(out, want);
    free(out);
    /* The root is no value to set. */
    cr_expect_neq(scenario_doc_set_number(doc, "", 1, &err), SIB_OK);
    scenario_doc_free(doc);
}

Test(document, a_string_that_is_not_utf8_is_refused_and_changes_nothing) {
    /* Found by fuzz_document: a string of arbitrary bytes was set, and the
     * document then rendered as a file that no longer parses. */
    scenario_doc *doc = scenario_doc_new("{\"name\": \"a\"}", "t.json", NULL);
    cr_assert_not_null(doc);
    sib_error err;
    cr_assert_eq(scenario_doc_set_string(doc, "/name", "ok \xbb", &err), SIB_EINVAL);
    cr_expect_str_eq(err.pointer, "/name");
    cr_expect_not_null(strstr(err.message, "expected UTF-8 text, found the byte 0xbb"), "%s",
                       err.message);
    char *text = scenario_doc_text(doc);
    cr_expect_str_eq(text, "{\"name\": \"a\"}");
    free(text);
    cr_assert_eq(scenario_doc_set_string(doc, "/name", "Zürich \xe2\x82\xac", &err), SIB_OK);
    scenario_doc_free(doc);
}

Test(document, a_lock_is_held_until_given_up_and_then_taken_freely) {
    char dir[] = "/tmp/sibsim-doc-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char lp[256];
    snprintf(lp, sizeof lp, "%s/.s.json.sibsim-recover.lock", dir);
    int held = sib_file_lock(lp);
    cr_assert_geq(held, 0, "the first lock is taken");
    /* flock(2) locks belong to an open file: a second open, in this process
     * as in another, is refused while the first holds it. */
    cr_assert_eq(sib_file_lock(lp), -1, "a lock held is not taken again");
    cr_assert_eq(errno, EWOULDBLOCK);
    sib_file_unlock(held, lp);
    cr_assert_neq(access(lp, F_OK), 0, "the lock's file is removed as it is given up");
    /* A lock file left by a holder that ended (here: closed without
     * sib_file_unlock, as a crash leaves it) is taken freely. */
    int fd = sib_file_lock(lp);
    cr_assert_geq(fd, 0);
    close(fd);
    cr_assert_eq(access(lp, F_OK), 0);
    fd = sib_file_lock(lp);
    cr_assert_geq(fd, 0, "a lock file its holder left is free");
    sib_file_unlock(fd, lp);
    remove_dir(dir);
}

Test(document, a_claimed_recovery_slot_is_neither_a_running_sessions_nor_a_file_left) {
    char dir[] = "/tmp/sibsim-doc-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256], first[256], second[256], third[256];
    snprintf(path, sizeof path, "%s/s.json", dir);
    snprintf(first, sizeof first, "%s/.s.json.sibsim-recover", dir);
    snprintf(second, sizeof second, "%s/.s.json.sibsim-recover-2", dir);
    snprintf(third, sizeof third, "%s/.s.json.sibsim-recover-3", dir);
    write_text(path, "{\"a\": 1}\n");
    sib_error err;
    char *slot = NULL;
    int lock = -1;
    /* Nothing there: the first slot, locked. */
    cr_assert_eq(scenario_doc_claim_recovery(path, &slot, &lock, &err), SIB_OK);
    cr_assert_str_eq(slot, first);
    cr_assert_geq(lock, 0);
    char *lp = scenario_doc_recovery_lock(slot);
    char want[300];
    snprintf(want, sizeof want, "%s.lock", first);
    cr_assert_str_eq(lp, want);
    /* A running session holds the first slot (no file written yet): the
     * next claim takes the second. */
    char *slot2 = NULL;
    int lock2 = -1;
    cr_assert_eq(scenario_doc_claim_recovery(path, &slot2, &lock2, &err), SIB_OK);
    cr_assert_str_eq(slot2, second, "not the slot a running session holds");
    /* The first session writes its edits and ends (its lock given up, the
     * file kept): a third claim takes neither the file left nor the
     * second session's slot. */
    write_text(first, "{\"a\": 2}\n");
    sib_file_unlock(lock, lp);
    char *slot3 = NULL;
    int lock3 = -1;
    cr_assert_eq(scenario_doc_claim_recovery(path, &slot3, &lock3, &err), SIB_OK);
    cr_assert_str_eq(slot3, third);
    char *text = sib_file_read(first, &err);
    cr_assert_str_eq(text, "{\"a\": 2}\n", "the edits left are untouched");
    free(text);
    /* A save of a session stopped by a signal, with no slot of its own,
     * writes beside them too, never in a running session's slot. */
    scenario_doc *doc = scenario_doc_new("{\"a\": 1}\n", path, &err);
    scenario_doc_set_number(doc, "/a", 7, &err);
    char *where = NULL;
    cr_assert_eq(scenario_doc_save_recovery(doc, path, NULL, &where, &err), SIB_OK);
    char fourth[256];
    snprintf(fourth, sizeof fourth, "%s/.s.json.sibsim-recover-4", dir);
    cr_assert_str_eq(where, fourth);
    char *lp4 = scenario_doc_recovery_lock(where);
    cr_assert_neq(access(lp4, F_OK), 0, "its lock given up once written");
    free(lp4);
    free(where);
    char *lp2 = scenario_doc_recovery_lock(slot2), *lp3 = scenario_doc_recovery_lock(slot3);
    sib_file_unlock(lock2, lp2);
    sib_file_unlock(lock3, lp3);
    /* No lock can be made (here a directory stands where the first slot's
     * lock file goes, as a file system without flock refuses it): the
     * edits are kept all the same, in the first slot no file occupies. */
    unlink(first);
    unlink(fourth);
    cr_assert_eq(mkdir(lp, 0700), 0);
    cr_assert_eq(scenario_doc_save_recovery(doc, path, NULL, &where, &err),
                 SIB_OK, "%s", err.message);
    cr_assert_str_eq(where, first, "a slot without a lock is still a slot");
    free(where);
    rmdir(lp);
    scenario_doc_free(doc);
    free(lp);
    free(lp2);
    free(lp3);
    free(slot);
    free(slot2);
    free(slot3);
    remove_dir(dir);
}
