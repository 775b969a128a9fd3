/* test_tui.c -- the terminal UI's screen model, without a terminal. */
#include <criterion/criterion.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../present/text.h"
#include "../tui/model.h"
#include "helpers.h"

Test(tui, every_action_has_keys_and_help_and_its_keys_map_back_to_it) {
    for (int a = 1; a < ACT_COUNT; a++) {
        const char *keys = tui_action_keys((tui_action)a);
        cr_assert(strlen(keys) > 0 && strlen(tui_action_help((tui_action)a)) > 0);
        /* Each single-character key in the help maps to this action. */
        for (const char *k = keys; *k;) {
            size_t len = strcspn(k, " ");
            if (len == 1) cr_assert_eq(tui_action_for_key(k[0]), (tui_action)a, "key '%c'", k[0]);
            k += len;
            while (*k == ' ') k++;
        }
    }
}

Test(tui, the_docs_key_table_is_the_help_the_tui_shows) {
    /* docs/tui.md says its table is the help ?, from the one key table:
     * each row must be the key's keys (comma-separated) and its help as
     * the screen shows it. The row for i had drifted to another text. */
    char *doc = repo_text("docs/tui.md");
    for (int a = 1; a < ACT_COUNT; a++) {
        char keys[64] = "", row[400];
        const char *k = tui_action_keys((tui_action)a);
        for (size_t i = 0, o = 0; k[i] && o + 3 < sizeof keys; i++) {
            if (k[i] == ' ') keys[o++] = ',';
            keys[o++] = k[i];
            keys[o] = '\0';
        }
        snprintf(row, sizeof row, "\n| %s | %s |\n", keys, tui_action_help((tui_action)a));
        cr_expect_not_null(strstr(doc, row), "docs/tui.md lacks the row%s", row);
    }
    free(doc);
}

Test(tui, named_keys_map_to_their_actions) {
    cr_assert_eq(tui_action_for_key(TUI_KEY_UP), ACT_UP);
    cr_assert_eq(tui_action_for_key('j'), ACT_DOWN);
    cr_assert_eq(tui_action_for_key(TUI_KEY_ENTER), ACT_EDIT);
    cr_assert_eq(tui_action_for_key(' '), ACT_TOGGLE);
    cr_assert_eq(tui_action_for_key('\t'), ACT_VIEW_NEXT);
    cr_assert_eq(tui_action_for_key(18), ACT_REDO); /* Ctrl-R */
    cr_assert_eq(tui_action_for_key('q'), ACT_QUIT);
    cr_assert_eq(tui_action_for_key('Z'), ACT_NONE);
    cr_assert_eq(tui_action_for_key(0x7f), ACT_NONE);
}

Test(tui, the_layout_fits_80_by_24_and_grows_with_the_terminal) {
    tui_layout lo;
    tui_layout_for(24, 80, &lo);
    cr_assert_not(lo.too_small);
    cr_assert_eq(lo.tree.w, 32); /* 40% of 80 */
    cr_assert_eq(lo.results.x, 33);
    cr_assert_eq(lo.results.w, 47);
    cr_assert_eq(lo.tree.h, 22);
    cr_assert_eq(lo.status.y, 23);
    cr_assert_eq(lo.message.y, 22);
    tui_layout_for(50, 200, &lo);
    cr_assert_eq(lo.tree.w, 60, "the tree stops growing at 60 columns");
    cr_assert_eq(lo.results.w, 139);
    tui_layout_for(8, 30, &lo);
    cr_assert(lo.too_small);
}

Test(tui, scrolling_follows_the_cursor_and_stays_in_range) {
    cr_assert_eq(tui_scroll(5, 0, 10, 100), 0);
    cr_assert_eq(tui_scroll(10, 0, 10, 100), 1);
    cr_assert_eq(tui_scroll(3, 8, 10, 100), 3);
    cr_assert_eq(tui_scroll(99, 0, 10, 100), 90);
    cr_assert_eq(tui_scroll(2, 0, 10, 5), 0, "fewer rows than the window");
}

Test(tui, nudges_are_relative_keep_whole_fields_whole_and_move_zero) {
    cr_assert_float_eq(tui_nudge(11000, 0.10, 0), 12100, 0);
    cr_assert_float_eq(tui_nudge(0.1, 0.01, 0), 0.101, 1e-15);
    cr_assert_float_eq(tui_nudge(0.1, -0.10, 0), 0.09, 1e-15);
    /* A whole value in a field that takes fractions moves by 1%: a
     * probability of 1 down to 0.99, not to 0 (the old rule, by value). */
    cr_assert_float_eq(tui_nudge(1, -0.01, 0), 0.99, 0);
    cr_assert_float_eq(tui_nudge(4, 0.01, 0), 4.04, 1e-15);
    cr_assert_float_eq(tui_nudge(4, 0.01, 1), 5, 0, "a whole field moves by at least 1");
    cr_assert_float_eq(tui_nudge(4, -0.01, 1), 3, 0);
    cr_assert_float_eq(tui_nudge(1000, 0.01, 1), 1010, 0);
    cr_assert_float_eq(tui_nudge(186, 0.01, 1), 188, 0);
    cr_assert_float_eq(tui_nudge(0, 0.01, 0), 0.01, 0);
    cr_assert_float_eq(tui_nudge(0, -0.01, 1), -1, 0);
}

Test(tui, a_negative_number_nudged_up_goes_up) {
    /* value * (1 + step) moved a negative number the other way: a prior's
     * lower bound of -0.5 "up by 10%" went to -0.55. */
    cr_assert_float_eq(tui_nudge(-0.5, 0.10, 0), -0.45, 1e-15);
    cr_assert_float_eq(tui_nudge(-0.5, -0.10, 0), -0.55, 1e-15);
    cr_assert_float_eq(tui_nudge(-0.1, 0.01, 0), -0.099, 1e-15);
    cr_assert_float_eq(tui_nudge(-100, 0.01, 1), -99, 0, "a whole field up by at least 1");
    cr_assert_float_eq(tui_nudge(-100, -0.01, 1), -101, 0);
    cr_assert_float_eq(tui_nudge(-3, 0.01, 1), -2, 0);
}

Test(tui, histogram_bins_sum_to_one_and_count_outliers_at_the_ends) {
    stats_acc *acc = stats_acc_new();
    for (int i = 0; i < 100; i++) stats_acc_add(acc, i + 0.5); /* 0.5 .. 99.5 */
    double f[10];
    tui_histogram(acc, 0, 100, 10, f);
    double sum = 0;
    for (int b = 0; b < 10; b++) {
        cr_assert_float_eq(f[b], 0.1, 1e-12);
        sum += f[b];
    }
    cr_assert_float_eq(sum, 1, 1e-12);
    /* A narrower window: what lies outside goes to the end bins. */
    tui_histogram(acc, 20, 80, 6, f);
    cr_assert_float_eq(f[0], 0.3, 1e-12); /* 20 below + 10 in [20, 30) */
    cr_assert_float_eq(f[5], 0.3, 1e-12); /* 10 in [70, 80] + 20 above */
    stats_acc_free(acc);
}

Test(tui, bar_heights_scale_to_the_tallest_and_show_every_non_empty_bin) {
    double f[4] = {0.5, 0.25, 0.001, 0};
    int h[4];
    tui_bar_heights(f, 4, 20, h);
    cr_assert_eq(h[0], 20);
    cr_assert_eq(h[1], 10);
    cr_assert_eq(h[2], 1, "a tiny bin still shows");
    cr_assert_eq(h[3], 0);
}

Test(tui, column_heights_in_eighths_scale_to_the_tallest) {
    double f[4] = {0.4, 0.1, 0.0001, 0};
    int e[4];
    tui_bar_eighths(f, 4, 10, e);
    cr_assert_eq(e[0], 80, "the tallest fills the 10 cells");
    cr_assert_eq(e[1], 20, "a quarter of it: 2.5 cells, 20 eighths");
    cr_assert_eq(e[2], 1, "a tiny bin still shows an eighth");
    cr_assert_eq(e[3], 0);
}

Test(tui, a_scroll_position_stays_within_the_rows) {
    cr_assert_eq(tui_clamp_scroll(5, 10, 30), 5);
    cr_assert_eq(tui_clamp_scroll(25, 10, 30), 20, "the last row at the bottom");
    cr_assert_eq(tui_clamp_scroll(-3, 10, 30), 0);
    cr_assert_eq(tui_clamp_scroll(4, 10, 6), 0, "everything fits: no scrolling");
}

Test(tui, scroll_keys_are_the_capitals_of_the_tree_keys) {
    cr_assert_eq(tui_action_for_key('J'), ACT_SCROLL_DOWN);
    cr_assert_eq(tui_action_for_key('K'), ACT_SCROLL_UP);
    cr_assert_eq(tui_action_for_key('j'), ACT_DOWN);
}

Test(tui, a_percentile_marks_its_bin) {
    cr_assert_eq(tui_bin_of(0.0, 0, 1, 10), 0);
    cr_assert_eq(tui_bin_of(0.55, 0, 1, 10), 5);
    cr_assert_eq(tui_bin_of(1.0, 0, 1, 10), 9);
    cr_assert_eq(tui_bin_of(-3, 0, 1, 10), 0);
    cr_assert_eq(tui_bin_of(0.5, 1, 1, 10), 0, "an empty range");
}

Test(tui, nudges_give_clean_decimals) {
    /* 0.1 x 1.1 is 0.11000000000000001 in doubles: a nudge is a step, not
     * a measurement, so it lands on 0.11 itself. */
    cr_assert_eq(tui_nudge(0.1, 0.10, 0), 0.11);
    cr_assert_eq(tui_nudge(0.1, -0.10, 0), 0.09);
    cr_assert_eq(tui_nudge(0.09, -0.10, 0), 0.081);
    cr_assert_eq(tui_nudge(0.035, 0.01, 0), 0.03535);
    char buf[64];
    cr_assert_str_eq(doc_number_text(tui_nudge(0.13, 0.10, 0), buf, sizeof buf), "0.143");
}

/* ------------------------------------------------------------ typing a value */

/* Every scalar field of text: the value shown when the edit line opens,
 * accepted as it is, must be read as the very same value. */
static void accept_every_field(const char *text, const char *name) {
    sib_error err;
    scenario_doc *doc = scenario_doc_new(text, name, &err);
    cr_assert_not_null(doc, "%s", name);
    size_t n = scenario_doc_nodes(doc, NULL, 0);
    doc_node *nodes = calloc(n, sizeof *nodes);
    scenario_doc_nodes(doc, nodes, n);
    size_t checked = 0;
    for (size_t i = 0; i < n; i++) {
        if (nodes[i].kind == DOC_OBJECT || nodes[i].kind == DOC_ARRAY) continue;
        char *shown = tui_value_text(&nodes[i]), why[300];
        double number = NAN;
        bool boolean = !nodes[i].boolean;
        cr_assert_not_null(shown);
        cr_assert_eq(tui_read_value(&nodes[i], shown, &number, &boolean, why, sizeof why),
                     TUI_VALUE_SAME, "%s %s: \"%.60s\" accepted as shown is a change (%s)", name,
                     nodes[i].pointer, shown, why);
        free(shown);
        checked++;
    }
    cr_assert_gt(checked, 5);
    free(nodes);
    scenario_doc_free(doc);
}

Test(tui, accepting_the_value_shown_changes_nothing_in_any_field) {
    const char *files[] = {"scenarios/peterborough.json", "scenarios/regional-pilot-to-scale.json",
                           "scenarios/educate-girls-dib.json",
                           "scenarios/massachusetts-juvenile-justice.json"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *text = repo_text(files[i]);
        accept_every_field(text, files[i]);
        free(text);
    }
    /* What the library does not have: a seed of 13 digits, a number that
     * needs 17, a very long string, a boolean false. */
    char *long_text = malloc(6001);
    memset(long_text, 'x', 6000);
    long_text[6000] = '\0';
    char json[7000];
    snprintf(
        json, sizeof json,
        "{\"seed\": 1234567890123, \"x\": 0.30000000000000004, \"tiny\": 5e-324, \"s\": \"%s\", "
        "\"b\": false, \"t\": true, \"neg\": -0.0}",
        long_text);
    accept_every_field(json, "made up");
    free(long_text);
}

static doc_node node_of(doc_kind kind, double number, bool boolean, const char *text) {
    doc_node n;
    memset(&n, 0, sizeof n);
    n.kind = kind;
    n.number = number;
    n.boolean = boolean;
    n.text = text;
    return n;
}

Test(tui, a_boolean_takes_true_or_false_and_nothing_else) {
    doc_node n = node_of(DOC_BOOL, 0, true, "");
    double x;
    bool b = true;
    char why[300];
    const char *bad[] = {"yes", "", "1", "True", "FALSE", "no", "t"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(tui_read_value(&n, bad[i], &x, &b, why, sizeof why), TUI_VALUE_BAD, "\"%s\"",
                     bad[i]);
        cr_assert_not_null(strstr(why, "expected true or false"));
    }
    cr_assert_eq(tui_read_value(&n, "true", &x, &b, why, sizeof why), TUI_VALUE_SAME);
    cr_assert_eq(tui_read_value(&n, "false", &x, &b, why, sizeof why), TUI_VALUE_NEW);
    cr_assert_not(b);
}

Test(tui, a_number_is_refused_unless_it_is_one) {
    doc_node n = node_of(DOC_NUMBER, 11000, false, "");
    double x = 0;
    bool b;
    char why[300];
    cr_assert_eq(tui_read_value(&n, "11000", &x, &b, why, sizeof why), TUI_VALUE_SAME);
    cr_assert_eq(tui_read_value(&n, "1.1e4", &x, &b, why, sizeof why), TUI_VALUE_SAME);
    cr_assert_eq(tui_read_value(&n, "15000", &x, &b, why, sizeof why), TUI_VALUE_NEW);
    cr_assert_eq(x, 15000);
    cr_assert_eq(tui_read_value(&n, "", &x, &b, why, sizeof why), TUI_VALUE_BAD);
    cr_assert_str_eq(why, "expected a number, found \"\"");
    cr_assert_eq(tui_read_value(&n, "0,12", &x, &b, why, sizeof why), TUI_VALUE_BAD);
    cr_assert_not_null(strstr(why, "with a point"));
    doc_node s = node_of(DOC_STRING, 0, false, "abc");
    cr_assert_eq(tui_read_value(&s, "abc", &x, &b, why, sizeof why), TUI_VALUE_SAME);
    cr_assert_eq(tui_read_value(&s, "abd", &x, &b, why, sizeof why), TUI_VALUE_NEW);
}

Test(tui, a_long_refused_value_is_cut_between_characters_with_a_marker) {
    /* 40 euro signs (120 bytes) typed into a number: "%.100s" cut the 34th
     * in two, and its broken byte swallowed the closing quote on screen. */
    char typed[200] = "", why[300];
    for (int i = 0; i < 40; i++) strcat(typed, "\xe2\x82\xac");
    doc_node n = node_of(DOC_NUMBER, 0.1, false, "");
    double x;
    bool b;
    cr_assert_eq(tui_read_value(&n, typed, &x, &b, why, sizeof why), TUI_VALUE_BAD);
    char want[300] = "expected a number, found \"";
    for (int i = 0; i < 33; i++) strcat(want, "\xe2\x82\xac");
    strcat(want, "...\"");
    cr_assert_str_eq(why, want);
    doc_node t = node_of(DOC_BOOL, 0, true, "");
    cr_assert_eq(tui_read_value(&t, typed, &x, &b, why, sizeof why), TUI_VALUE_BAD);
    cr_assert_not_null(strstr(why, "\xe2\x82\xac...\""));
    /* A short one is shown whole, without the marker. */
    cr_assert_eq(tui_read_value(&n, "12abc", &x, &b, why, sizeof why), TUI_VALUE_BAD);
    cr_assert_str_eq(why, "expected a number, found \"12abc\"");
}

Test(tui, a_negative_zero_typed_or_nudged_is_stored_as_0) {
    /* "-0" loads (it is in a price's [0, 1e15]) and was stored, shown and
     * saved as "-0": the value a person means is 0. */
    doc_node n = node_of(DOC_NUMBER, 11000, false, "");
    double x = 1;
    bool b;
    char why[400];
    const char *zeros[] = {"-0", "-0.0", "-0e3", " -0 ", "-.0"};
    for (size_t i = 0; i < sizeof zeros / sizeof zeros[0]; i++) {
        cr_assert_eq(tui_read_value(&n, zeros[i], &x, &b, why, sizeof why), TUI_VALUE_NEW,
                     "\"%s\": %s", zeros[i], why);
        cr_assert(x == 0 && !signbit(x), "\"%s\" is read as %g, sign %d", zeros[i], x, signbit(x));
    }
    /* Over a 0 it is no edit, nor over a file's own -0.0 (shown as "-0"). */
    doc_node z = node_of(DOC_NUMBER, 0, false, "");
    cr_assert_eq(tui_read_value(&z, "-0", &x, &b, why, sizeof why), TUI_VALUE_SAME);
    doc_node nz = node_of(DOC_NUMBER, -0.0, false, "");
    cr_assert_eq(tui_read_value(&nz, "-0", &x, &b, why, sizeof why), TUI_VALUE_SAME);
    /* A whole field nudged to zero from below is 0, not round()'s -0. */
    cr_assert(!signbit(tui_nudge(-0.3, 0.01, 1)));
    cr_assert(!signbit(tui_nudge(-0.4, 0.10, 1)));
    cr_assert(!signbit(tui_nudge(-0.0, 0.01, 0)));
}

Test(tui, a_typed_decimal_a_double_would_change_is_refused_not_saved_changed) {
    doc_node n = node_of(DOC_NUMBER, 11000, false, "");
    double x = 0;
    bool b;
    char why[400];
    /* Saved as the shortest text of its double, 1234567.1234567891 would
     * be 1234567.1234567892 in the file: refused, with what it would be. */
    cr_assert_eq(tui_read_value(&n, "1234567.1234567891", &x, &b, why, sizeof why), TUI_VALUE_BAD);
    cr_assert_not_null(strstr(why, "would be saved as 1234567.1234567892"), "%s", why);
    cr_assert_eq(tui_read_value(&n, "0.123456789012345678", &x, &b, why, sizeof why),
                 TUI_VALUE_BAD);
    cr_assert_not_null(strstr(why, "would be saved as 0.12345678901234568"), "%s", why);
    /* The same decimal in another form is the number typed. */
    const char *same[] = {"0.1",
                          "0.10",
                          ".1",
                          "1e-1",
                          "+0.1",
                          "00.100",
                          "1E-1",
                          " 0.1",
                          "-2.5e-7",
                          "12000",
                          "1.2e4",
                          "120e2",
                          "0.123456789012345",
                          "1e22"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        cr_assert_eq(tui_read_value(&n, same[i], &x, &b, why, sizeof why), TUI_VALUE_NEW,
                     "\"%s\": %s", same[i], why);
    /* A value equal to the field's own is no edit, however many digits the
     * file wrote it with. */
    doc_node m = node_of(DOC_NUMBER, 0.12345678901234568, false, "");
    cr_assert_eq(tui_read_value(&m, "0.123456789012345678", &x, &b, why, sizeof why),
                 TUI_VALUE_SAME);
}

Test(tui, the_edit_line_reads_0_12_under_a_comma_decimal_locale) {
    char dir[64] = "";
    if (setlocale(LC_ALL, "de_DE.UTF-8") == NULL) {
        snprintf(dir, sizeof dir, "/tmp/sibsim-locale-XXXXXX");
        char cmd[300];
        cr_assert_not_null(mkdtemp(dir));
        snprintf(cmd, sizeof cmd, "localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1",
                 dir);
        setenv("LOCPATH", dir, 1);
        if (system(cmd) != 0 || setlocale(LC_ALL, "de_DE.UTF-8") == NULL) {
            snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
            cr_assert_eq(system(cmd), 0);
            cr_skip_test("no de_DE locale here, and localedef could not make one");
        }
    }
    cr_assert_str_eq(localeconv()->decimal_point, ",");
    doc_node n = node_of(DOC_NUMBER, 0.1, false, "");
    char *shown = tui_value_text(&n), why[300];
    cr_assert_str_eq(shown, "0.1", "shown with a point, as the file has it");
    free(shown);
    double x = 0;
    bool b;
    cr_assert_eq(tui_read_value(&n, "0.12", &x, &b, why, sizeof why), TUI_VALUE_NEW, "%s", why);
    cr_assert_eq(x, 0.12);
    setlocale(LC_ALL, "C");
    if (dir[0]) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        cr_assert_eq(system(cmd), 0);
    }
}

/* ------------------------------------------------------------ the edit line */

/* The text shown in a window of `width` columns, and the cursor column. */
static const char *shown_in(tui_line *l, int width, int *col) {
    static char buf[512];
    size_t first, bytes;
    tui_line_view(l, width, &first, &bytes, col);
    snprintf(buf, sizeof buf, "%.*s", (int)bytes, l->text + first);
    return buf;
}

Test(tui, the_edit_line_holds_any_length_and_scrolls_to_the_cursor) {
    char *long_text = repo_text("scenarios/peterborough.json");
    /* Well past the 512 bytes the old line held. */
    tui_line l = {0};
    cr_assert_eq(tui_line_set(&l, long_text), 0);
    cr_assert_eq(l.len, strlen(long_text));
    int col;
    const char *s = shown_in(&l, 40, &col);
    cr_assert_eq(col, 39, "the cursor at the end, in the last column");
    cr_assert_eq(strlen(s), 39);
    cr_assert(strncmp(s, long_text + strlen(long_text) - 39, 39) == 0, "the end is shown");
    tui_line_edit(&l, TUI_LINE_HOME);
    s = shown_in(&l, 40, &col);
    cr_assert_eq(col, 0);
    cr_assert(strncmp(s, "{\n  \"sibsim\": 1,", 16) == 0, "the start is shown");
    cr_assert_eq(strlen(s), 40);
    for (int i = 0; i < 45; i++) tui_line_edit(&l, TUI_LINE_RIGHT);
    s = shown_in(&l, 40, &col);
    cr_assert_eq(col, 39, "moving right past the window scrolls it");
    cr_assert(strncmp(s, long_text + 6, 40) == 0);
    for (int i = 0; i < 10; i++) tui_line_edit(&l, TUI_LINE_LEFT);
    s = shown_in(&l, 40, &col);
    cr_assert_eq(col, 29, "moving back inside the window does not scroll");
    tui_line_edit(&l, TUI_LINE_HOME);
    cr_assert_eq(tui_line_insert(&l, "Note: ", 6), 0);
    cr_assert(strncmp(l.text, "Note: {\n", 8) == 0);
    cr_assert_eq(l.len, strlen(long_text) + 6);
    tui_line_edit(&l, TUI_LINE_KILL_END);
    cr_assert_str_eq(l.text, "Note: ");
    tui_line_edit(&l, TUI_LINE_CLEAR);
    cr_assert_str_eq(l.text, "");
    s = shown_in(&l, 40, &col);
    cr_assert_eq(col, 0);
    tui_line_free(&l);
    free(long_text);
}

Test(tui, the_edit_line_moves_and_deletes_whole_utf8_characters) {
    tui_line l = {0};
    tui_line_set(&l, "\xc2\xa3"
                     "5m \xe2\x82\xac");   /* £5m € */
    tui_line_edit(&l, TUI_LINE_BACKSPACE); /* the € (3 bytes) */
    cr_assert_str_eq(l.text, "\xc2\xa3"
                             "5m ");
    tui_line_edit(&l, TUI_LINE_HOME);
    tui_line_edit(&l, TUI_LINE_RIGHT); /* past the £ (2 bytes) */
    cr_assert_eq(l.cursor, 2);
    tui_line_edit(&l, TUI_LINE_LEFT);
    tui_line_edit(&l, TUI_LINE_DELETE);
    cr_assert_str_eq(l.text, "5m ");
    char u[4];
    cr_assert_eq(tui_utf8_encode(0x20AC, u), 3);
    cr_assert_eq(tui_line_insert(&l, u, 3), 0);
    cr_assert_str_eq(l.text, "\xe2\x82\xac"
                             "5m ");
    /* A window of 2 columns counts characters, not bytes. */
    tui_line_edit(&l, TUI_LINE_HOME);
    int col;
    const char *s = shown_in(&l, 2, &col);
    cr_assert_str_eq(s, "\xe2\x82\xac"
                        "5");
    cr_assert_eq(tui_utf8_encode(0xD800, u), 0, "a surrogate is no character");
    tui_line_free(&l);
}

/* For every cursor position of text in a window of w columns: what is
 * shown fits, the cursor's column is the display width before it, and the
 * cursor's cell is inside the window. */
static void line_keeps_to_its_row(const char *text, int w) {
    tui_line l = {0};
    cr_assert_eq(tui_line_set(&l, text), 0);
    tui_line_edit(&l, TUI_LINE_HOME);
    for (;;) {
        size_t first, bytes;
        int col;
        tui_line_view(&l, w, &first, &bytes, &col);
        size_t k = 1;
        while (l.cursor + k < l.len && (l.text[l.cursor + k] & 0xC0) == 0x80) k++;
        int cell = l.cursor < l.len ? present_width_n(l.text + l.cursor, k) : 1;
        cr_assert_leq(present_width_n(l.text + first, bytes), w, "shown in %d columns", w);
        cr_assert_eq(col, present_width_n(l.text + first, l.cursor - first));
        cr_assert_leq(col + (cell < 1 ? 1 : cell), w, "the cursor at byte %zu in the window",
                      l.cursor);
        if (l.cursor == l.len) break;
        tui_line_edit(&l, TUI_LINE_RIGHT);
    }
    tui_line_free(&l);
}

Test(tui, the_edit_line_counts_display_columns_so_wide_characters_keep_to_its_row) {
    /* Counted one a character, a line of Chinese took twice its window and
     * wrote over the status line. */
    if (setlocale(LC_CTYPE, "C.UTF-8") == NULL && setlocale(LC_CTYPE, "en_US.UTF-8") == NULL) {
        cr_skip_test("no UTF-8 locale");
    }
    const char *text = "\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad\xe6\x96\x87 x"; /* 中文中文 x */
    tui_line l = {0};
    tui_line_set(&l, text);
    int col;
    const char *s = shown_in(&l, 6, &col);
    cr_assert_str_eq(s, "\xe6\x96\x87 x", "the end: 4 columns and the cursor's");
    cr_assert_eq(col, 4);
    tui_line_edit(&l, TUI_LINE_HOME);
    s = shown_in(&l, 6, &col);
    cr_assert_str_eq(s, "\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad",
                     "the start: three of them, 6 columns");
    cr_assert_eq(col, 0);
    tui_line_free(&l);
    for (int w = 2; w <= 9; w++) line_keeps_to_its_row(text, w);
    line_keeps_to_its_row("ab\xe4\xb8\xad\xf0\x9f\x98\x80"
                          "c\xe6\x96\x87\xe4\xb8\xad\xe6\x96\x87"
                          "d",
                          5); /* ab中😀c文中文d */
    setlocale(LC_CTYPE, "C");
}

Test(tui, a_line_feed_in_the_edit_line_is_drawn_in_one_column_not_as_a_line_break) {
    /* A description may hold line feeds and tabs: drawn as they are, the
     * line feed ended the message line and wrote over the status line. */
    const char *s = "Line one\nLine two\tx\x7f\xc2\x9b \xe2\x82\xac";
    char buf[128];
    tui_line_shown(buf, sizeof buf, s, strlen(s), 1);
    cr_assert_str_eq(
        buf, "Line one\xe2\x90\x8aLine two\xe2\x90\x89x\xe2\x90\xa1\xef\xbf\xbd \xe2\x82\xac");
    cr_assert_null(strpbrk(buf, "\n\t"));
    tui_line_shown(buf, sizeof buf, s, strlen(s), 0);
    cr_assert_str_eq(buf, "Line one?Line two?x?? \xe2\x82\xac");
    /* One column a character, as the line counts them: the cursor stays on
     * its character. */
    tui_line l = {0};
    tui_line_set(&l, s);
    int col;
    size_t first, bytes;
    tui_line_view(&l, 80, &first, &bytes, &col);
    tui_line_shown(buf, sizeof buf, l.text + first, bytes, 1);
    cr_assert_eq(col, 23);
    cr_assert_eq(present_width(buf), 23);
    /* Only the bytes asked for, and a buffer too small cuts between
     * characters. */
    tui_line_shown(buf, sizeof buf, s, 9, 1);
    cr_assert_str_eq(buf, "Line one\xe2\x90\x8a");
    tui_line_shown(buf, 11, s, strlen(s), 1);
    cr_assert_str_eq(buf, "Line one");
    tui_line_free(&l);
}

/* ------------------------------------------- fitting text to the screen */

/* s ends with the text `end`. */
static int ends_with(const char *s, const char *end) {
    size_t n = strlen(s), k = strlen(end);
    return n >= k && strcmp(s + n - k, end) == 0;
}

Test(tui, a_number_too_long_for_the_tree_shortens_its_key_never_its_digits) {
    char row[256];
    /* The regional template's cost-overrun case at 80 columns (a tree of
     * 32): "overrun: 1" read as 1, the value being 1.25. */
    cr_assert_str_eq(
        tui_tree_row(row, sizeof row, 3, "/stages/0/costs/overrun", "1.25", "", 1, 32, 1),
        "      /stages/0/costs/ove…: 1.25");
    /* Rikers' guarantee share: the key gives way, then the (i). */
    cr_assert_str_eq(
        tui_tree_row(row, sizeof row, 4, "share", "0.8333333333333334", " (i)", 1, 32, 0),
        "        sha>: 0.8333333333333334");
    /* Peterborough's cap at 60 columns (a tree of 28): 1700000 read as 170000. */
    cr_assert_str_eq(
        tui_tree_row(row, sizeof row, 3, "cap_per_cohort", "1700000", " (i)", 1, 28, 1),
        "      cap_per_…: 1700000 (i)");
    /* A row that fits is as it always was. */
    cr_assert_str_eq(tui_tree_row(row, sizeof row, 3, "price", "11000", " (i)", 1, 28, 1),
                     "      price: 11000 (i)");
    /* No room for the number even beside one character of the key: it is
     * cut, and says so. */
    cr_assert_str_eq(
        tui_tree_row(row, sizeof row, 5, "overrun", "0.30000000000000004", "", 1, 20, 0),
        "          o>: 0.300>");
    /* At every width, the number is on the row whole or ends in the marker. */
    for (int cols = 1; cols <= 40; cols++) {
        tui_tree_row(row, sizeof row, 2, "cap_per_cohort", "1700000", " (i)", 1, cols, 0);
        cr_assert(strlen(row) <= (size_t)cols, "%d columns: \"%s\"", cols, row);
        cr_assert(strstr(row, ": 1700000") != NULL || ends_with(row, ">"), "%d columns: \"%s\"",
                  cols, row);
    }
}

Test(tui, a_string_too_long_for_the_tree_keeps_its_key_and_ends_in_a_marker) {
    char row[256];
    cr_assert_str_eq(
        tui_tree_row(row, sizeof row, 0, "name", "\"Peterborough prison SIB\"", "", 0, 20, 0),
        "name: \"Peterborough>");
    cr_assert_str_eq(
        tui_tree_row(row, sizeof row, 2, "outcome", "\"reconviction_events\"", " (i)", 0, 28, 1),
        "    outcome: \"reconvict… (i)");
    /* Too narrow for the (i) and some of the value: the (i) goes. */
    cr_assert_str_eq(
        tui_tree_row(row, sizeof row, 6, "outcome", "\"reconviction\"", " (i)", 0, 25, 0),
        "            outcome: \"re>");
}

Test(tui, the_status_lines_se_says_whose_mean_irr_it_is_and_cuts_the_name_to_fit) {
    char item[200];
    /* Room for it: the tranche is named (it said "SE(mean IRR) 0.41%"). */
    cr_assert_str_eq(tui_se_item(item, sizeof item, "17 trusts and foundations", "0.41%", 60, 1),
                     "SE(mean IRR, 17 trusts and foundations) 0.41%");
    /* Less room: the name is cut, ending in the marker, the SE whole. */
    cr_assert_str_eq(tui_se_item(item, sizeof item, "17 trusts and foundations", "0.41%", 30, 1),
                     "SE(mean IRR, 17 trusts…) 0.41%");
    cr_assert_str_eq(tui_se_item(item, sizeof item, "17 trusts and foundations", "0.41%", 30, 0),
                     "SE(mean IRR, 17 trusts>) 0.41%");
    /* Room for the marker alone: no name, rather than a name of none. */
    cr_assert_str_eq(tui_se_item(item, sizeof item, "17 trusts and foundations", "0.41%", 21, 1),
                     "SE(mean IRR) 0.41%");
    /* A one-character name fits where a cut one would not. */
    cr_assert_str_eq(tui_se_item(item, sizeof item, "A", "0.41%", 21, 1), "SE(mean IRR, A) 0.41%");
    cr_assert_str_eq(tui_se_item(item, sizeof item, "", "n/a", 60, 1), "SE(mean IRR) n/a");
    /* Every width: it fits once the bare item does, and the SE is whole. */
    for (int cols = 18; cols <= 60; cols++) {
        tui_se_item(item, sizeof item, "Peterborough SIB: 17 trusts and foundations", "0.41%", cols,
                    1);
        cr_assert_leq(present_width(item), cols, "%d columns: \"%s\"", cols, item);
        cr_assert(strstr(item, ") 0.41%") != NULL, "%d columns: \"%s\"", cols, item);
    }
}

Test(tui, the_ses_tranche_name_keeps_12_columns_where_the_file_name_can_give_them) {
    const char *name = "17 trusts and foundations";
    /* Room enough with the file whole: that room. */
    cr_assert_eq(tui_se_room(name, "0.16%", 50, 60), 50);
    /* Too little for 12 columns of the name: as much more as they take
     * ("SE(mean IRR, " ") " "0.16%": 20 columns, and 12), if the file can
     * give it, else all it can. */
    cr_assert_eq(tui_se_room(name, "0.16%", 25, 40), 32);
    cr_assert_eq(tui_se_room(name, "0.16%", 25, 28), 28);
    cr_assert_eq(tui_se_room(name, "0.16%", 25, 25), 25);
    /* A short name asks only for its width. */
    cr_assert_eq(tui_se_room("A", "0.16%", 18, 40), 21);
    cr_assert_eq(tui_se_room("", "0.16%", 10, 40), 10);
}

Test(tui, the_status_line_keeps_its_flags_and_shortens_the_file_name_from_the_left) {
    const char *run[] = {"100000/100000 paths", "0.38 s", "seed 20100909", "SE(IRR) 0.2%"};
    const char *file = "/tmp/explore-tui/v-regional-pilot-to-scale.json";
    const char *hint = "? help  q quit";
    char line[400];
    /* Room for everything: as it always was. */
    cr_assert_str_eq(
        tui_status_line(line, sizeof line, run, 4, "pb.json", " [edited]", hint, 110, 1),
        " 100000/100000 paths  0.38 s  seed 20100909  SE(IRR) 0.2%  |  pb.json [edited]  |  ? "
        "help  q quit");
    /* The tester's file at 80 columns: [edited] was cut off. */
    cr_assert_str_eq(tui_status_line(line, sizeof line, run, 4, file, " [edited]", hint, 80, 1),
                     " 100000/100000 paths  0.38 s  seed 20100909  |  …al-pilot-to-scale.json "
                     "[edited]");
    cr_assert_str_eq(
        tui_status_line(line, sizeof line, run, 4, file, " [edited] [1 warning: w]", hint, 80, 0),
        " 100000/100000 paths  0.38 s  |  <al-pilot-to-scale.json [edited] [1 warning: w]");
    /* At every width the flags show whole, and the line fits. */
    for (int cols = 40; cols <= 120; cols++) {
        tui_status_line(line, sizeof line, run, 4, file, " [edited] [2 warnings: w]", hint, cols,
                        0);
        cr_assert(strstr(line, " [edited] [2 warnings: w]") != NULL, "%d columns: \"%s\"", cols,
                  line);
        cr_assert(strlen(line) <= (size_t)cols, "%d columns: \"%s\"", cols, line);
        cr_assert(strstr(line, "to-scale.json") != NULL, "%d columns: \"%s\"", cols, line);
    }
}

Test(tui, a_histogram_label_at_the_edge_moves_left_whole_and_one_that_collides_is_left_out) {
    /* Peterborough at 60 columns (a pane of 31): the median and the 95th
     * percentile fall in the last bin, at column 29, where "p50" was cut
     * to "p5". */
    int want[3] = {7, 29, 29}, len[3] = {2, 3, 3}, at[3];
    tui_place_labels(3, want, len, 31, 1, at);
    cr_assert_eq(at[0], 7);
    cr_assert_eq(at[1], 28, "p50 moves left to end at the edge");
    cr_assert_eq(at[2], -1, "p95 would overlap p50: left out");
    /* Names a column apart are laid out as they come; closer, the later
     * one is left out. */
    int want2[3] = {0, 3, 5};
    tui_place_labels(3, want2, len, 31, 1, at);
    cr_assert_eq(at[0], 0);
    cr_assert_eq(at[1], 3);
    cr_assert_eq(at[2], -1);
    /* An axis's values: the low end, the high end, then the middle only
     * with a space each side. */
    int want3[3] = {7, 27, 16}, len3[3] = {7, 4, 6};
    tui_place_labels(3, want3, len3, 31, 1, at);
    cr_assert(at[0] == 7 && at[1] == 27 && at[2] == 16);
    want3[2] = 13; /* touching the low end's value */
    tui_place_labels(3, want3, len3, 31, 1, at);
    cr_assert_eq(at[2], -1);
    /* Wider than the line: left out. */
    int one = 0, wide = 40;
    tui_place_labels(1, &one, &wide, 31, 1, at);
    cr_assert_eq(at[0], -1);
}

Test(tui, the_percentiles_line_closes_up_or_leaves_values_out_whole_never_cut) {
    const char *items[] = {"p5 -100.0%", "median 3.6%", "p95 8.3%"};
    char line[200];
    cr_assert_str_eq(tui_join_fit(line, sizeof line, items, 3, 40),
                     "p5 -100.0%  median 3.6%  p95 8.3%");
    /* 60 columns (a pane of 31): it ended "p95 8." */
    cr_assert_str_eq(tui_join_fit(line, sizeof line, items, 3, 31),
                     "p5 -100.0% median 3.6% p95 8.3%");
    cr_assert_str_eq(tui_join_fit(line, sizeof line, items, 3, 30), "p5 -100.0% median 3.6%");
    cr_assert_str_eq(tui_join_fit(line, sizeof line, items, 3, 9), "");
    /* Money: widths in columns, not bytes. */
    const char *money[] = {"p5 \u00a31.2m", "median \u00a32.0m", "p95 \u00a33.4m"};
    cr_assert_str_eq(tui_join_fit(line, sizeof line, money, 3, 35),
                     "p5 \u00a31.2m  median \u00a32.0m  p95 \u00a33.4m");
}

Test(tui, keys_wait_while_the_terminal_is_too_small_but_q_quits_with_nothing_unsaved) {
    /* u undid edits out of sight; q with edits asked a question that
     * could not be drawn. */
    cr_assert_eq(tui_action_too_small('u', 1), ACT_NONE);
    cr_assert_eq(tui_action_too_small('q', 1), ACT_NONE);
    cr_assert_eq(tui_action_too_small('q', 0), ACT_QUIT);
    for (int key = 1; key <= TUI_KEY_ENTER; key++)
        if (key != 'q') {
            cr_assert_eq(tui_action_too_small(key, 0), ACT_NONE, "key %d", key);
            cr_assert_eq(tui_action_too_small(key, 1), ACT_NONE, "key %d", key);
        }
    /* The notice says what to do, and whether q quits. */
    cr_assert(strstr(tui_too_small_notice(1, 0), "Enlarge the terminal") != NULL);
    cr_assert(strstr(tui_too_small_notice(1, 0), "q quits") == NULL);
    cr_assert(strstr(tui_too_small_notice(0, 0), "Enlarge the terminal") != NULL);
    cr_assert(strstr(tui_too_small_notice(0, 0), "q quits") != NULL);
}

Test(tui, a_question_open_while_the_terminal_is_too_small_waits_and_q_does_not_quit) {
    /* A prompt or question was drawn over the notice and took keys: it now
     * waits as it was, and the notice says so, not that q quits (q would
     * be typed into the prompt, were keys taken). */
    const char *n = tui_too_small_notice(1, 1);
    cr_assert(strstr(n, "Enlarge the terminal") != NULL);
    cr_assert(strstr(n, "the question waits") != NULL);
    cr_assert(strstr(n, "q quits") == NULL);
}

Test(tui, a_message_too_long_for_its_line_ends_in_a_marker_never_in_part_of_a_number) {
    char line[400];
    /* Peterborough's cap at 62 columns: the note read "About GBP 1." */
    const char *msg = "/contract/payments/0/cap_per_cohort  (i) assumed: About GBP 1.7m was the "
                      "most payable for the third cohort";
    cr_assert_str_eq(tui_fit(line, sizeof line, msg, 62, 1),
                     "/contract/payments/0/cap_per_cohort  (i) assumed: About GBP …");
    cr_assert_str_eq(tui_fit(line, sizeof line, msg, 68, 0),
                     "/contract/payments/0/cap_per_cohort  (i) assumed: About GBP 1.7m wa>");
    /* A word without a digit is cut inside; a message that fits is whole. */
    cr_assert_str_eq(tui_fit(line, sizeof line, "saved explore/pilot.json", 12, 0), "saved explo>");
    cr_assert_str_eq(tui_fit(line, sizeof line, "unchanged", 9, 1), "unchanged");
    /* At every width: within it, whole or ending in the marker, and 1.7m
     * whole or not at all. */
    for (int cols = 1; cols <= 120; cols++) {
        tui_fit(line, sizeof line, msg, cols, 0);
        cr_assert(strlen(line) <= (size_t)cols, "%d columns: \"%s\"", cols, line);
        cr_assert(strcmp(line, msg) == 0 || ends_with(line, ">"), "%d columns: \"%s\"", cols, line);
        const char *gbp = strstr(line, "GBP ");
        cr_assert(gbp == NULL || gbp[4] == '>' || strncmp(gbp + 4, "1.7m", 4) == 0,
                  "%d columns: \"%s\"", cols, line);
    }
}

Test(tui, the_status_lines_hint_is_left_out_whole_never_cut) {
    const char *run[3] = {"16384/16384 paths", "0.04 s", "seed 20100909"};
    const char *hint = "? help  q quit";
    char line[400];
    /* Peterborough at 60 columns: the line ended "|  ?". */
    cr_assert_str_eq(tui_status_line(line, sizeof line, run, 3, "pb.json", "", hint, 60, 1),
                     " 16384/16384 paths  0.04 s  seed 20100909  |  pb.json");
    cr_assert_str_eq(tui_status_line(line, sizeof line, run, 3, "pb.json", "", hint, 68, 1),
                     " 16384/16384 paths  0.04 s  seed 20100909  |  pb.json  |  ? help");
    cr_assert_str_eq(tui_status_line(line, sizeof line, run, 3, "pb.json", "", hint, 72, 1),
                     " 16384/16384 paths  0.04 s  seed 20100909  |  pb.json  |  ? help  q quit");
    /* At every width the hint is whole, in part by whole items, or absent. */
    for (int cols = 40; cols <= 90; cols++) {
        tui_status_line(line, sizeof line, run, 3, "pb.json", "", hint, cols, 0);
        cr_assert(strlen(line) <= (size_t)cols, "%d columns: \"%s\"", cols, line);
        cr_assert(ends_with(line, "pb.json") || ends_with(line, "|  ? help") ||
                      ends_with(line, "|  ? help  q quit"),
                  "%d columns: \"%s\"", cols, line);
    }
}

Test(tui, the_comments_of_its_files_keep_within_100_columns) {
    /* The house style keeps lines within 100 columns (.clang-format); a
     * contract comment is read in an editor beside the code, and the one
     * on tui_nudge ran to 124. Every comment line of tui/ is checked. */
    static const char *const files[] = {"tui/app.h",   "tui/draw.c",  "tui/edit.c", "tui/input.c",
                                        "tui/model.c", "tui/model.h", "tui/save.c", "tui/sim.c",
                                        "tui/tui.c",   "tui/tui.h",   "tui/views.c"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        char *text = repo_text(files[f]);
        int line = 1;
        for (char *p = text; *p; line++) {
            size_t len = strcspn(p, "\n");
            const char *q = p;
            while (q < p + len && *q == ' ') q++;
            int comment =
                q + 1 < p + len && ((q[0] == '/' && q[1] == '*') || (q[0] == '*' && q[1] != '/'));
            char one[1024];
            snprintf(one, sizeof one, "%.*s", (int)(len < sizeof one ? len : sizeof one - 1), p);
            if (comment)
                cr_expect_leq(present_width(one), 100, "%s:%d: a comment line of %d columns",
                              files[f], line, present_width(one));
            p += len;
            if (*p == '\n') p++;
        }
        free(text);
    }
}

Test(tui, a_paste_goes_into_the_edit_line_as_one_line_and_loses_nothing_but_its_last_break) {
    /* A pasted line feed accepted the prompt and the rest of the paste
     * acted as keys: a paste is text, its breaks and controls spaces. */
    struct {
        const char *in, *out;
    } cases[] = {
        {"15000\n", "15000"}, /* a copied line or cell: its end dropped */
        {"15000\r\n\r\n", "15000"},
        {"12\n345", "12 345"}, /* refused as a number, never taken as 12 */
        {"one\r\ntwo\rthree\tfour", "one two three four"},
        {"a\x1b[31mb", "a [31mb"}, /* an escape is no key either */
        {"x\x7fy\x01z", "x y z"},
        {"\xc2\x9b"
         "1m\xc3\xa9",
         " 1m\xc3\xa9"}, /* C1 a space; é kept */
        {"\n\nmid\n\nend", "  mid  end"},
        {"\n", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s", cases[i].in);
        size_t n = tui_paste_line(buf, strlen(buf));
        cr_assert_eq(n, strlen(cases[i].out), "case %zu: %zu bytes", i, n);
        cr_assert_str_eq(buf, cases[i].out, "case %zu", i);
    }
    cr_assert_eq(tui_paste_line(NULL, 0), 0);
}

Test(tui, a_paste_keeps_whole_characters_up_to_its_limit_and_says_when_cut) {
    tui_paste p = {0};
    tui_paste_add(&p, "a", 1);
    tui_paste_add(&p, "\xc3\xa9", 2);
    cr_assert_str_eq(p.text, "a\xc3\xa9");
    cr_assert_eq(p.cut, 0);
    /* Up to the limit, and not a byte more: a character that would pass it
     * is dropped whole, and so is everything after it. */
    while (p.len + 3 <= TUI_PASTE_MAX) tui_paste_add(&p, "\xe2\x82\xac", 3);
    size_t len = p.len;
    cr_assert_eq(p.cut, 0);
    tui_paste_add(&p, "\xe2\x82\xac", 3);
    cr_assert_eq(p.cut, 1);
    tui_paste_add(&p, "x", 1); /* it would fit, but would leave a hole */
    cr_assert_eq(p.len, len);
    cr_assert_eq(strlen(p.text), p.len);
    tui_paste_free(&p);
    cr_assert_null(p.text);
    cr_assert_eq(p.len, 0);
}

Test(tui, a_tornado_name_too_long_keeps_the_quoted_name_that_tells_rows_apart) {
    char b[200];
    /* Cut from the right, these read 'cost overrun of stage "…' alike. */
    cr_assert_str_eq(tui_term_label(b, sizeof b, "cost overrun of stage \"pilot\"", 24, 1),
                     "cost overrun… \"pilot\"");
    cr_assert_str_eq(tui_term_label(b, sizeof b, "cost overrun of stage \"scale_up\"", 24, 1),
                     "cost overrun… \"scale_up\"");
    cr_assert_str_eq(tui_term_label(b, sizeof b, "cost overrun of stage \"implementation\"", 25, 1),
                     "cost ov… \"implementation\"");
    cr_assert_str_eq(tui_term_label(b, sizeof b, "cost overrun of stage \"implementation\"", 24, 0),
                     "cost ov> \"implem>tation\"");
    /* A long name is cut in its middle, its quotes closed. */
    cr_assert_str_eq(
        tui_term_label(b, sizeof b, "true effect on outcome \"incarceration_bed_days\"", 24, 1),
        "true ef… \"incarc…d_days\"");
    cr_assert_str_eq(
        tui_term_label(b, sizeof b, "price of payment \"implementation outcomes\"", 24, 1),
        "price… \"impleme…utcomes\"");
    /* What follows the name goes first, said by a marker. */
    cr_assert_str_eq(tui_term_label(b, sizeof b,
                                    "size of cohort \"2014 referrals\" of stage \"delivery\"", 24,
                                    1),
                     "size… \"2014 referrals\"…");
    /* Whole when it fits; cut from the right without a quote. */
    cr_assert_str_eq(tui_term_label(b, sizeof b, "price of payment \"x\"", 24, 1),
                     "price of payment \"x\"");
    cr_assert_str_eq(tui_term_label(b, sizeof b, "cap of the contract and more words", 24, 0),
                     "cap of the contract and>");
    /* Every width: never wider than asked, and a quote opened is closed. */
    const char *label =
        "return cap of tranche \"social investors\" of \"regional social investment\"";
    for (int cols = 12; cols < 80; cols++) {
        tui_term_label(b, sizeof b, label, cols, 1);
        cr_assert_leq(present_width(b), cols, "%d: %s", cols, b);
        int quotes = 0;
        for (const char *c = b; *c; c++) quotes += *c == '"';
        cr_assert_eq(quotes % 2, 0, "%d: %s", cols, b);
    }
}

Test(tui, a_text_cut_in_its_middle_keeps_its_start_and_end) {
    char b[100];
    cr_assert_str_eq(tui_fit_middle(b, sizeof b, "Roca PFS capital: GS Social Impact Fund", 19, 1),
                     "Roca PFS …pact Fund");
    cr_assert_str_eq(tui_fit_middle(b, sizeof b, "short", 19, 1), "short");
    cr_assert_str_eq(tui_fit_middle(b, sizeof b, "abcdef", 5, 0), "ab>ef");
}

Test(tui, a_title_too_long_keeps_its_measure_whole) {
    char l1[200], l2[200];
    const char *whose = "Roca PFS capital/GS Social Impact Fund";
    /* One line when it fits; two, between words, when they hold it. */
    cr_assert_eq(tui_title_lines(l1, l2, sizeof l1, "Tornado of ", whose, ".irr", 80, 1), 1);
    cr_assert_str_eq(l1, "Tornado of Roca PFS capital/GS Social Impact Fund.irr");
    cr_assert_str_eq(l2, "");
    cr_assert_eq(tui_title_lines(l1, l2, sizeof l1, "Tornado of ", whose, ".irr", 47, 1), 2);
    cr_assert_str_eq(l1, "Tornado of Roca PFS capital/GS Social Impact");
    cr_assert_str_eq(l2, "Fund.irr");
    /* Out of date, at 80 x 24: the head on a line of its own. */
    cr_assert_eq(tui_title_lines(l1, l2, sizeof l1, "Before your edits (t to redo): Tornado of ",
                                 "Roca PFS capital/Goldman Sachs Social Impact Fund, senior lender",
                                 ".irr", 47, 1),
                 2);
    cr_assert_str_eq(l1, "Before your edits (t to redo): Tornado of");
    cr_assert_str_eq(l2, "Roca PFS capital/Gold…t Fund, senior lender.irr");
    /* Wide enough after the head: whose it is there, the measure alone. */
    cr_assert_eq(tui_title_lines(l1, l2, sizeof l1, "Tornado of ",
                                 "Roca PFS capital/Goldman Sachs Social Impact Fund, senior "
                                 "lender to the Roca project",
                                 ".multiple", 47, 1),
                 2);
    cr_assert_str_eq(l1, "Tornado of Roca PFS capital/G… the Roca project");
    cr_assert_str_eq(l2, ".multiple");
    /* Narrow (40 columns): the measure whole, whose cut in its middle. */
    cr_assert_eq(tui_title_lines(l1, l2, sizeof l1, "Before your edits (t to redo): Tornado of ",
                                 whose, ".irr", 19, 1),
                 2);
    cr_assert_str_eq(l1, "Before your edits …");
    cr_assert_str_eq(l2, "Roca PF…ct Fund.irr");
    /* Every width: no line wider than asked, the measure whole from 12. */
    for (int cols = 4; cols < 90; cols++) {
        int n = tui_title_lines(l1, l2, sizeof l1, "Before your edits (t to redo): Tornado of ",
                                whose, ".irr", cols, 1);
        cr_assert_leq(present_width(l1), cols, "%d: %s", cols, l1);
        cr_assert_leq(present_width(l2), cols, "%d: %s", cols, l2);
        if (cols >= 12) cr_assert(strstr(n == 1 ? l1 : l2, ".irr") != NULL, "%d: %s", cols, l2);
    }
}

Test(tui, a_tornado_too_narrow_to_tell_its_rows_apart_puts_each_name_on_a_row_of_its_own) {
    const char *names[] = {"true effect on outcome \"incarceration_bed_days\"",
                           "true effect on outcome \"employment\"",
                           "commitment of tranche \"GS Social Impact Fund\"",
                           "commitment of tranche \"Kresge\""};
    /* At 40 columns the column is 8 wide: 'true ef…' twice. */
    cr_assert_eq(tui_tornado_stacked(names, 4, 8, 1), 1);
    /* Narrower than TUI_TORNADO_NAME_MIN, even names that differ there. */
    cr_assert_eq(tui_tornado_stacked(names + 3, 1, TUI_TORNADO_NAME_MIN - 1, 1), 1);
    /* At 80 x 24 (36 columns) they differ: one row each, as before. */
    cr_assert_eq(tui_tornado_stacked(names, 4, 36, 1), 0);
    /* Wide enough, but two that differ read alike there. */
    const char *alike[] = {"size of cohort \"2014 referrals\" of stage \"delivery\"",
                           "size of cohort \"2014 referrals\" of stage \"follow-up\""};
    cr_assert_eq(tui_tornado_stacked(alike, 2, 24, 1), 1);
    /* The same name twice is no reason to. */
    const char *same[] = {names[0], names[0]};
    cr_assert_eq(tui_tornado_stacked(same, 2, 24, 1), 0);
    cr_assert_eq(tui_tornado_stacked(names, 0, 24, 1), 0);
}

Test(tui, the_line_under_a_view_too_tall_keeps_its_count_whole_in_a_narrow_pane) {
    char b[200];
    cr_assert_str_eq(tui_more_line(b, sizeof b, "rows", 1, 20, 30, 80, 1),
                     "-- rows 1-20 of 30: J down, K up --");
    /* At 40 columns it read "-- rows 1-19 of …". */
    cr_assert_str_eq(tui_more_line(b, sizeof b, "bars", 13, 21, 21, 19, 1), "bars 13-21 of 21");
    /* Narrower still, cut as any text is (tui_fit). */
    cr_assert_str_eq(tui_more_line(b, sizeof b, "bars", 13, 21, 21, 10, 0), "bars >");
}
