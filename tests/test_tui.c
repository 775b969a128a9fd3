/* test_tui.c -- the terminal UI's screen model, without a terminal. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "../tui/model.h"

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

Test(tui, nudges_are_relative_keep_integers_whole_and_move_zero) {
    cr_assert_float_eq(tui_nudge(11000, 0.10), 12100, 0);
    cr_assert_float_eq(tui_nudge(0.1, 0.01), 0.101, 1e-15);
    cr_assert_float_eq(tui_nudge(0.1, -0.10), 0.09, 1e-15);
    cr_assert_float_eq(tui_nudge(4, 0.01), 5, 0, "an integer moves by at least 1");
    cr_assert_float_eq(tui_nudge(4, -0.01), 3, 0);
    cr_assert_float_eq(tui_nudge(1000, 0.01), 1010, 0);
    cr_assert_float_eq(tui_nudge(0, 0.01), 0.01, 0);
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

Test(tui, a_percentile_marks_its_bin) {
    cr_assert_eq(tui_bin_of(0.0, 0, 1, 10), 0);
    cr_assert_eq(tui_bin_of(0.55, 0, 1, 10), 5);
    cr_assert_eq(tui_bin_of(1.0, 0, 1, 10), 9);
    cr_assert_eq(tui_bin_of(-3, 0, 1, 10), 0);
    cr_assert_eq(tui_bin_of(0.5, 1, 1, 10), 0, "an empty range");
}
