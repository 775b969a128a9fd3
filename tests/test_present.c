/* test_present.c -- presentation shared by the command line and the TUI:
 * display widths, cutting and wrapping, chart blocks, the table layout,
 * money formats, and naming a scenario's fields. Known answers. */
#include <criterion/criterion.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../present/format.h"
#include "../present/svg.h"
#include "../present/table.h"
#include "../present/term.h"
#include "../present/text.h"
#include "helpers.h"

/* Run the test under a UTF-8 LC_CTYPE, as a terminal user would have it;
 * skipped where the C library has no UTF-8 locale. */
static void utf8(void) {
    if (setlocale(LC_CTYPE, "C.UTF-8") == NULL && setlocale(LC_CTYPE, "en_US.UTF-8") == NULL)
        cr_skip_test("no UTF-8 locale");
}

/* What a table prints, as a string the caller frees. */
static char *printed(const present_table *t, int width, int unicode) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    present_table_print(f, t, width, unicode);
    fclose(f);
    char *copy = strdup(buf);
    free(buf);
    return copy;
}

/* How many times w occurs in s. */
static int occurrences(const char *s, const char *w) {
    int n = 0;
    for (const char *p = strstr(s, w); p; p = strstr(p + 1, w)) n++;
    return n;
}

/* The widest line of text, in display columns. */
static int widest(const char *text) {
    int w = 0;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        int lw = present_width_n(p, n);
        if (lw > w) w = lw;
        p += n + (p[n] == '\n');
    }
    return w;
}

/* ------------------------------------------------------------ widths */

Test(present_width, currency_symbols_are_one_column_whatever_their_bytes) {
    utf8();
    cr_assert_eq(present_width("£2.05m"), 6); /* 7 bytes */
    cr_assert_eq(present_width("€3.39m"), 6); /* 8 bytes */
    cr_assert_eq(present_width("±£4.2k"), 6);
    cr_assert_eq(present_width(""), 0);
    cr_assert_eq(present_width("plain"), 5);
}

Test(present_width, east_asian_characters_are_two_columns) {
    utf8();
    cr_assert_eq(present_width("日本"), 4);
    cr_assert_eq(present_width("a日b"), 4);
}

Test(present_width, without_a_utf8_locale_each_utf8_character_is_one_column) {
    setlocale(LC_CTYPE, "C");
    cr_assert_eq(present_width("£2.05m"), 6);
    cr_assert_eq(present_width("€"), 1);
    cr_assert_eq(present_unicode(), 0, "the C locale draws charts in ASCII");
}

Test(present_width, a_utf8_locale_draws_charts_in_unicode) {
    utf8();
    cr_assert_eq(present_unicode(), 1);
}

Test(present_fit, cuts_on_whole_characters_within_the_columns) {
    utf8();
    cr_assert_eq(present_fit("£2.05m", 3), strlen("£2."));
    cr_assert_eq(present_fit("日本語", 3), strlen("日"), "a wide character is not split");
    cr_assert_eq(present_fit("abc", 10), 3);
    cr_assert_eq(present_fit("abc", 0), 0);
}

Test(present_cell, pads_and_cuts_to_display_columns) {
    utf8();
    char b[64];
    cr_assert_str_eq(present_cell(b, sizeof b, "€1", 5, 1), "   €1");
    cr_assert_str_eq(present_cell(b, sizeof b, "€1", 5, 0), "€1   ");
    cr_assert_str_eq(present_cell(b, sizeof b, "abcdef", 3, 0), "abc");
    cr_assert_str_eq(present_cell(b, sizeof b, "日本", 3, 0), "日 ");
    cr_assert_eq(present_width(present_cell(b, sizeof b, "-£12.5m", 9, 1)), 9);
}

Test(present_col, aligns_money_in_pounds_and_euros_on_the_same_column) {
    utf8();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    present_col(f, "£2.05m", 10);
    fputc('\n', f);
    present_col(f, "€2.05m", 10);
    fputc('\n', f);
    present_col(f, "$2.05m", 10);
    fclose(f);
    cr_assert_str_eq(buf, "     £2.05m\n     €2.05m\n     $2.05m");
    free(buf);
}

/* ---------------------------------------------------------- wrapping */

Test(present_wrap, breaks_at_spaces_and_indents_continuations) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    present_wrap(f, "the quick brown fox jumps", 2, 4, 14);
    fclose(f);
    cr_assert_str_eq(buf, "  the quick\n    brown fox\n    jumps\n");
    free(buf);
}

Test(present_wrap, cuts_a_word_longer_than_the_line) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    present_wrap(f, "abcdefghijklmnopqrstuvwxyz", 0, 2, 12);
    fclose(f);
    cr_assert_str_eq(buf, "abcdefghijkl\n  mnopqrstuv\n  wxyz\n");
    free(buf);
}

/* An address is never cut: copied from the terminal, an address cut in
 * two and indented is two broken ones (backtest's sources were). One
 * longer than the line stands whole on a line of its own, the text around
 * it wrapped as usual. */
Test(present_wrap, never_cuts_an_address) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    present_wrap(f, "source: https://example.org/a/long/path and more", 0, 2, 12);
    fclose(f);
    cr_assert_str_eq(buf, "source:\n  https://example.org/a/long/path\n  and more\n");
    free(buf);
    buf = NULL;
    f = open_memstream(&buf, &len);
    present_wrap(f, "https://example.org/a/long/path", 4, 4, 12);
    fclose(f);
    cr_assert_str_eq(buf, "    https://example.org/a/long/path\n");
    free(buf);
}

Test(present_wrap, no_width_prints_one_line) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    present_wrap(f, "a b c", 3, 0, 0);
    fclose(f);
    cr_assert_str_eq(buf, "   a b c\n");
    free(buf);
}

/* ------------------------------------------------------------ charts */

Test(present_hbar, unicode_bars_end_in_eighths) {
    utf8();
    char b[256];
    cr_assert_str_eq(present_hbar(b, sizeof b, 0.5, 8, 1), "████");
    cr_assert_str_eq(present_hbar(b, sizeof b, 4.25 / 8, 8, 1), "████▎");
    cr_assert_str_eq(present_hbar(b, sizeof b, 1.0 / 64, 8, 1), "▏");
    cr_assert_str_eq(present_hbar(b, sizeof b, 2.0, 3, 1), "███", "clamped to the width");
    cr_assert_str_eq(present_hbar(b, sizeof b, 0, 8, 1), "");
    cr_assert_eq(present_width(present_hbar(b, sizeof b, 0.99, 40, 1)), 40);
}

Test(present_hbar, ascii_bars_round_to_whole_columns) {
    char b[64];
    cr_assert_str_eq(present_hbar(b, sizeof b, 4.25 / 8, 8, 0), "####");
    cr_assert_str_eq(present_hbar(b, sizeof b, 1, 5, 0), "#####");
    cr_assert_str_eq(present_hbar(b, sizeof b, -1, 5, 0), "");
}

Test(present_vcell, column_tops_in_eighths_or_rounded_hashes) {
    cr_assert_str_eq(present_vcell(0, 1), " ");
    cr_assert_str_eq(present_vcell(1, 1), "▁");
    cr_assert_str_eq(present_vcell(8, 1), "█");
    cr_assert_str_eq(present_vcell(12, 1), "█");
    cr_assert_str_eq(present_vcell(3, 0), " ");
    cr_assert_str_eq(present_vcell(4, 0), "#");
}

/* ------------------------------------------------------------- money */

Test(present_money_exact, to_the_penny_with_thousands_separators) {
    char b[64];
    cr_assert_str_eq(present_money_exact(b, sizeof b, "GBP", 11734.49098), "£11,734.49");
    cr_assert_str_eq(present_money_exact(b, sizeof b, "CHF", -1200), "-CHF 1,200.00");
    cr_assert_str_eq(present_money_exact(b, sizeof b, "EUR", 0.004), "€0.00");
}

Test(present_money, compact_from_pounds_to_trillions) {
    char b[64];
    cr_assert_str_eq(present_money(b, sizeof b, "GBP", 950), "£950");
    cr_assert_str_eq(present_money(b, sizeof b, "GBP", 8600), "£8.6k");
    cr_assert_str_eq(present_money(b, sizeof b, "USD", 512e3), "$512k");
    cr_assert_str_eq(present_money(b, sizeof b, "GBP", 1.25e6), "£1.25m");
    cr_assert_str_eq(present_money(b, sizeof b, "CHF", 3.2e9), "CHF 3.20bn");
    cr_assert_str_eq(present_money(b, sizeof b, "GBP", 8.4e14), "£840tn");
    cr_assert_str_eq(present_money(b, sizeof b, "GBP", 1.2e12), "£1.20tn");
    cr_assert_str_eq(present_money(b, sizeof b, "CHF", -2.5e13), "-CHF 25.0tn");
}

Test(present_money, a_thousand_of_a_unit_is_the_next_unit) {
    /* What rounds up to 1000 of a unit is written in the next one. */
    char b[64];
    cr_assert_str_eq(present_money(b, sizeof b, "GBP", 999600), "£1.00m");
    cr_assert_str_eq(present_money(b, sizeof b, "GBP", 999999999), "£1.00bn");
    cr_assert_str_eq(present_money(b, sizeof b, "GBP", 999.999e9), "£1.00tn");
    cr_assert_str_eq(present_money(b, sizeof b, "GBP", 99.99e12), "£100tn");
    cr_assert_str_eq(present_money(b, sizeof b, "GBP", 999.4e12), "£999tn");
    cr_assert_str_eq(present_money(b, sizeof b, "GBP", 999.6e12), "£1.0e15");
}

Test(present_money, a_thousand_trillion_and_more_in_powers_of_ten) {
    char b[64];
    cr_assert_str_eq(present_money(b, sizeof b, "GBP", 2e15), "£2.0e15");
    cr_assert_str_eq(present_money(b, sizeof b, "EUR", -1.234e18), "-€1.2e18");
    cr_assert_str_eq(present_money(b, sizeof b, "CHF", 5e20), "CHF 5.0e20");
    cr_assert_str_eq(present_money(b, sizeof b, "GBP", 1e300), "£1.0e300");
}

Test(present_money, stays_within_nine_columns_at_every_size) {
    /* "£999.99bn" is the widest; no amount, however large, is wider (a
     * sign adds one). */
    utf8();
    char b[64];
    for (double x = 1; x < 1e25; x *= 1.37) {
        cr_assert_leq(present_width(present_money(b, sizeof b, "GBP", x)), 9, "%g: %s", x, b);
        cr_assert_leq(present_width(present_money(b, sizeof b, "GBP", -x)), 10, "%g: %s", -x, b);
    }
}

Test(present_money, axis_ticks_in_trillions) {
    char b[64];
    cr_assert_str_eq(svg_tick_label(b, sizeof b, UNIT_MONEY, "GBP", 8e14, 2e14), "£800tn");
    cr_assert_str_eq(svg_tick_label(b, sizeof b, UNIT_MONEY, "GBP", 1.5e12, 5e11), "£1.5tn");
}

/* ------------------------------------------------------------ counts */

/* A count with decimals, as backtest writes a reported figure and its
 * range: the whole part grouped, the decimals as printf writes them. */
Test(present_count, fixed_decimals_keep_thousands_separators) {
    char b[64];
    cr_assert_str_eq(present_fixed_grouped(b, sizeof b, 1, 1999.5), "1,999.5");
    cr_assert_str_eq(present_fixed_grouped(b, sizeof b, 0, 11990), "11,990");
    cr_assert_str_eq(present_fixed_grouped(b, sizeof b, 2, -1234567.125), "-1,234,567.12");
    cr_assert_str_eq(present_fixed_grouped(b, sizeof b, 0, 999.6), "1,000");
    cr_assert_str_eq(present_fixed_grouped(b, sizeof b, 1, -0.04), "-0.0");
    cr_assert_str_eq(present_fixed_grouped(b, sizeof b, 1, -0.0), "0.0");
    cr_assert_str_eq(present_fixed_grouped(b, sizeof b, 3, 12.5), "12.500");
    cr_assert_str_eq(present_fixed_grouped(b, sizeof b, 0, 2e15), "2e+15");
}

Test(present_count, counts_have_thousands_separators_in_tables) {
    char b[64];
    cr_assert_str_eq(present_count(b, sizeof b, 100000), "100,000");
    cr_assert_str_eq(present_whole(b, sizeof b, 8400), "8,400");
    cr_assert_str_eq(present_whole(b, sizeof b, 1000001000), "1,000,001,000");
    cr_assert_str_eq(present_whole(b, sizeof b, -1234.4), "-1,234");
    cr_assert_str_eq(present_whole(b, sizeof b, 999.6), "1,000");
    cr_assert_str_eq(present_whole(b, sizeof b, -0.2), "0");
    cr_assert_str_eq(present_whole(b, sizeof b, NAN), "n/a");
    cr_assert_str_eq(present_value(b, sizeof b, "GBP", UNIT_COUNT, 2000), "2,000");
    cr_assert_str_eq(present_value(b, sizeof b, "GBP", UNIT_COUNT, 1000001000), "1,000,001,000");
    cr_assert_str_eq(present_value(b, sizeof b, "GBP", UNIT_COUNT, -69500.2), "-69,500");
    cr_assert_str_eq(present_value(b, sizeof b, "GBP", UNIT_COUNT, 395.5), "396");
    cr_assert_str_eq(present_value(b, sizeof b, "GBP", UNIT_COUNT, 69.5), "69.5");
    /* Three significant digits, trailing zeros kept: compare read "True
     * outcomes never paid for 8.19 -> 4.7". A whole count stays whole. */
    cr_assert_str_eq(present_value(b, sizeof b, "GBP", UNIT_COUNT, 4.7), "4.70");
    cr_assert_str_eq(present_value(b, sizeof b, "GBP", UNIT_COUNT, 8.19), "8.19");
    cr_assert_str_eq(present_value(b, sizeof b, "GBP", UNIT_COUNT, 12), "12");
    cr_assert_str_eq(present_value(b, sizeof b, "GBP", UNIT_COUNT, 40.0001), "40.0");
    cr_assert_str_eq(present_value(b, sizeof b, "GBP", UNIT_COUNT, 9.996), "10.0");
    cr_assert_str_eq(present_value(b, sizeof b, "GBP", UNIT_COUNT, 99.96), "100");
    cr_assert_str_eq(present_value(b, sizeof b, "GBP", UNIT_COUNT, 0.5), "0.500");
    cr_assert_str_eq(present_value(b, sizeof b, "GBP", UNIT_COUNT, -2.5), "-2.50");
    cr_assert_str_eq(present_se(b, sizeof b, "GBP", UNIT_COUNT, 1234), "±1,234");
}

/* ----------------------------------------------------------- changes */

/* A difference of two probabilities (58.3% and 16.2%: B - A = -0.421) is
 * 42.1 percentage points, not a 42.1% change; money and multiples are as
 * present_value writes them. */
Test(present_change, differences_of_shares_and_rates_are_in_percentage_points) {
    char b[64];
    cr_assert_str_eq(present_change(b, sizeof b, "USD", UNIT_SHARE, 0.162 - 0.583), "-42.1 pp");
    cr_assert_str_eq(present_change(b, sizeof b, "USD", UNIT_RATE, 0.027), "2.7 pp");
    cr_assert_str_eq(present_change_se(b, sizeof b, "USD", UNIT_SHARE, 0.0043), "±0.43 pp");
    cr_assert_str_eq(present_change(b, sizeof b, "GBP", UNIT_MONEY, 13400000), "£13.40m");
    cr_assert_str_eq(present_change(b, sizeof b, "GBP", UNIT_MULTIPLE, 0.08), "0.08x");
    cr_assert_str_eq(present_change_se(b, sizeof b, "GBP", UNIT_MONEY, 8500), "±£8.5k");
    cr_assert_str_eq(present_change(b, sizeof b, "GBP", UNIT_SHARE, NAN), "n/a");
}

/* An SE is never written as zero: below what its usual decimals show, it
 * takes the decimals of its first significant digit. Regression:
 * Massachusetts' expected multiple showed "±0.000x" for an SE of 0.00049,
 * a cost per bed-day "±$0" for $0.11 -- read as figures known exactly. */
Test(present_change, an_se_below_its_usual_decimals_is_not_written_as_zero) {
    char b[64];
    cr_assert_str_eq(present_se(b, sizeof b, "USD", UNIT_MULTIPLE, 0.00049), "±0.0005x");
    cr_assert_str_eq(present_se(b, sizeof b, "USD", UNIT_MULTIPLE, 0.0012), "±0.001x");
    cr_assert_str_eq(present_se(b, sizeof b, "USD", UNIT_MONEY, 0.11), "±$0.11");
    cr_assert_str_eq(present_se(b, sizeof b, "USD", UNIT_MONEY, 0.004), "±$0.004");
    cr_assert_str_eq(present_se(b, sizeof b, "USD", UNIT_MONEY, 12.4), "±$12");
    cr_assert_str_eq(present_se(b, sizeof b, "GBP", UNIT_SHARE, 0.0000049), "±0.0005%");
    cr_assert_str_eq(present_se(b, sizeof b, "GBP", UNIT_SHARE, 0.000096), "±0.01%");
    cr_assert_str_eq(present_change_se(b, sizeof b, "GBP", UNIT_RATE, 0.00000031), "±0.00003 pp");
    /* An SE that is 0 (every future the same) is written as 0. */
    cr_assert_str_eq(present_se(b, sizeof b, "GBP", UNIT_SHARE, 0), "±0.00%");
    /* One too small for 12 decimals is below their least step, not
     * "±0.000000000000%" (Utah's mean IRR at seed 20332122 in the TUI). */
    cr_assert_str_eq(present_se(b, sizeof b, "USD", UNIT_RATE, 3e-17), "±<0.000000000001%");
    cr_assert_str_eq(present_se(b, sizeof b, "USD", UNIT_MONEY, 2e-13), "±<$0.000000000001");
    cr_assert_str_eq(present_se(b, sizeof b, "CHF", UNIT_MONEY, 2e-13), "±<CHF 0.000000000001");
    cr_assert_str_eq(present_se(b, sizeof b, "USD", UNIT_MULTIPLE, 4e-13), "±<0.000000000001x");
    cr_assert_str_eq(present_change_se(b, sizeof b, "USD", UNIT_RATE, 1e-16),
                     "±<0.000000000001 pp");
    /* At the least step itself, it is written. */
    cr_assert_str_eq(present_se(b, sizeof b, "USD", UNIT_MULTIPLE, 1e-12), "±0.000000000001x");
    cr_assert_str_eq(present_se_unsigned(present_se(b, sizeof b, "USD", UNIT_RATE, 3e-17)),
                     "<0.000000000001%");
}

/* An SE where its label says so (the TUI's "+- SE" column and SE(IRR)):
 * present_se's digits, without the "±". An IRR's SE of 0.0016 is 0.16%,
 * not the value's "0.2%"; a multiple's 0.0012 is 0.001x, not "0.00x". */
Test(present_change, an_se_without_its_sign_keeps_its_digits) {
    char b[64];
    cr_assert_str_eq(present_se_unsigned(present_se(b, sizeof b, "GBP", UNIT_RATE, 0.0016)), "0.16%");
    cr_assert_str_eq(present_se_unsigned(present_change_se(b, sizeof b, "GBP", UNIT_MULTIPLE, 0.0012)),
                     "0.001x");
    cr_assert_str_eq(present_se_unsigned(present_change_se(b, sizeof b, "GBP", UNIT_RATE, 0.0002)),
                     "0.02 pp");
    cr_assert_str_eq(present_se_unsigned("n/a"), "n/a");
    cr_assert_str_eq(present_se_unsigned(""), "");
}

/* ---------------------------------------------------------- CSV, JSON */

/* What f(x) writes, in buf. */
static const char *written(char *buf, size_t size, void (*f)(FILE *, double), double x) {
    FILE *m = fmemopen(buf, size, "w");
    cr_assert_not_null(m);
    f(m, x);
    fclose(m);
    return buf;
}

Test(present_number, a_zero_is_written_0_whatever_its_sign) {
    /* -0.0 is what 0 x a negative amount or a difference of equal amounts
     * gives; a reader of CSV or JSON must see 0, not -0. */
    char b[64];
    cr_assert_str_eq(written(b, sizeof b, present_csv_number, -0.0), ",0");
    cr_assert_str_eq(written(b, sizeof b, present_json_number, -0.0), "0");
    cr_assert_str_eq(written(b, sizeof b, present_csv_number, 0.0), ",0");
    cr_assert_str_eq(written(b, sizeof b, present_json_number, -2.5), "-2.5");
    cr_assert_str_eq(written(b, sizeof b, present_csv_number, -1e-300), ",-1e-300");
    cr_assert_str_eq(written(b, sizeof b, present_json_number, NAN), "null");
    cr_assert_str_eq(written(b, sizeof b, present_csv_number, NAN), ",");
}

/* ------------------------------------------------------------ tables */

Test(present_table, columns_align_on_display_columns_and_the_header_sits_above) {
    utf8();
    const char *heads[] = {"mean", "± SE"};
    present_table *t = present_table_new(2, heads, NULL);
    present_table_row(t, 0, "Commissioner pays", (const char *[]){"£2.02m", "±£5.0k"}, -1);
    present_table_row(t, 2, "present value", (const char *[]){"€1.67m", "±€4.2k"}, -1);
    char *s = printed(t, 100, 1);
    cr_assert_str_eq(s, "                      mean   ± SE\n"
                        "  Commissioner pays £2.02m ±£5.0k\n"
                        "    present value   €1.67m ±€4.2k\n");
    free(s);
    present_table_free(t);
}

Test(present_table, columns_that_may_give_way_are_dropped_to_fit_the_width) {
    const char *heads[] = {"mean", "p5", "p25", "median"};
    const int drop[] = {0, 2, 3, 1};
    present_table *t = present_table_new(4, heads, drop);
    present_table_row(t, 0, "A label of about thirty characters",
                      (const char *[]){"1234567890", "1234567890", "1234567890", "1234567890"}, -1);
    char *wide = printed(t, 0, 0), *narrow = printed(t, 50, 0);
    cr_assert(strstr(wide, "p25") && strstr(wide, "p5"), "no limit: every column");
    cr_assert(strstr(narrow, "mean") && strstr(narrow, "median"), "%s", narrow);
    cr_assert_null(strstr(narrow, "p25"), "the highest rank goes first");
    cr_assert_null(strstr(narrow, "p5"));
    cr_assert_leq(widest(narrow), 50);
    free(wide);
    free(narrow);
    present_table_free(t);
}

Test(present_table, columns_that_must_stay_are_printed_in_blocks) {
    present_table *t = present_table_new(6, (const char *[]){"y1", "y2", "y3", "y4", "y5", "y6"}, NULL);
    const char *cells[] = {"-1,000,000", "-1,000,000", "-1,000,000", "-1,000,000", "-1,000,000",
                           "-1,000,000"};
    present_table_row(t, 0, "delivery cost", cells, -1);
    char *s = printed(t, 50, 0);
    cr_assert_leq(widest(s), 50, "%s", s);
    cr_assert(strstr(s, "y1") && strstr(s, "y6"), "every column is printed");
    cr_assert_geq(occurrences(s, "delivery cost"), 2, "the labels are repeated in each block");
    free(s);
    present_table_free(t);
}

Test(present_table, long_labels_and_text_wrap_within_the_width) {
    present_table *t = present_table_new(1, (const char *[]){"value"}, NULL);
    present_table_text(t, 0, 2, "(of 100,000 futures: one IRR in 62,060, -100% (nothing came "
                                "back) in 37,940; no IRR, left out of the distribution, in 303)");
    present_table_row(t, 2, "Cost per true outcome (E[paid] / E[true outcomes]) and more words",
                      (const char *[]){"£7.2k"}, -1);
    char *s = printed(t, 40, 0);
    cr_assert_leq(widest(s), 40, "%s", s);
    cr_assert(strstr(s, "  Cost per true outcome (E[paid] £7.2k\n"), "%s", s);
    /* The label's continuation hangs four columns in: at the row's own
     * indent (as before) it read as a row of its own, at two as a note. */
    const char *first = strstr(s, "Cost per true outcome"), *second = strstr(s, "/ E[true");
    cr_assert(first && second, "%s", s);
    size_t at = 0, at2 = 0;
    while (first - at > s && first[-(long)at - 1] == ' ') at++;
    while (second - at2 > s && second[-(long)at2 - 1] == ' ') at2++;
    cr_assert_eq(at2, at + 4, "%s", s);
    cr_assert(strstr(second, "and\n") && strstr(second, "\n") == strstr(second, "and\n") + 3, "%s", s);
    cr_assert(strstr(s, "37,940;"), "%s", s);
    free(s);
    present_table_free(t);
}

Test(present_table, bars_fill_what_the_width_leaves) {
    present_table *t = present_table_new(1, (const char *[]){"swing"}, NULL);
    present_table_row(t, 0, "price", (const char *[]){"1.29x"}, 1.0);
    present_table_row(t, 0, "trigger", (const char *[]){"0.09x"}, 0.5);
    char *s = printed(t, 0, 0);
    cr_assert(strstr(s, "|########################################\n"), "%s", s);
    cr_assert(strstr(s, "|####################\n"), "%s", s);
    free(s);
    s = printed(t, 40, 0);
    cr_assert_leq(widest(s), 40, "%s", s);
    free(s);
    present_table_free(t);
}

Test(present_table, long_headers_wrap_over_lines_when_asked) {
    present_table *t = present_table_new(2, (const char *[]){"regional social investment\n(social impact bond)", "PbR"}, NULL);
    present_table_head_width(t, 12);
    present_table_row(t, 0, "Commissioner pays", (const char *[]){"€2.57m", "€3.86m"}, -1);
    char *s = printed(t, 80, 0);
    cr_assert(strstr(s, "regional\n") || strstr(s, "regional "), "%s", s);
    cr_assert_leq(widest(s), 2 + 17 + 13 + 7, "%s", s);
    free(s);
    present_table_free(t);
}

Test(present_table, a_hidden_column_stays_out_and_minimum_widths_line_tables_up) {
    present_table *t = present_table_new(3, (const char *[]){"mean", "p25", "p95"}, NULL);
    present_table_hide(t, 1);
    present_table_col_min(t, 8);
    present_table_label_width(t, 12);
    present_table_row(t, 0, "IRR", (const char *[]){"-6.8%", "-100.0%", "8.3%"}, -1);
    char *s = printed(t, 0, 0);
    cr_assert_str_eq(s, "                   mean      p95\n"
                        "  IRR             -6.8%     8.3%\n");
    free(s);
    present_table_free(t);
}

/* ------------------------------------------------------------- terms */

static const char *term_json =
    "{\"name\": \"terms\", \"currency\": \"EUR\","
    " \"stages\": ["
    "   {\"name\": \"pilot\", \"duration\": 1, \"costs\": {\"fixed_per_year\": 80,"
    "    \"overrun\": {\"dist\": \"normal\", \"mean\": 1.1, \"sd\": 0.1}},"
    "    \"cohorts\": [{\"name\": \"first\", \"size\": 100}]},"
    "   {\"name\": \"scale\", \"start\": 1, \"duration\": 1,"
    "    \"gate\": {\"after\": \"pilot\", \"outcome\": \"job\", \"min_effect\": 0.05},"
    "    \"cohorts\": [{\"size\": 100, \"entry\": 1}]}],"
    " \"outcomes\": [{\"name\": \"job\", \"kind\": \"count\", \"direction\": \"higher_is_better\","
    "   \"baseline\": 0.4, \"observation_lag\": 1,"
    "   \"effect\": {\"prior\": {\"dist\": \"normal\", \"mean\": 0.1, \"sd\": 0.05}},"
    "   \"evaluation\": {\"design\": \"rct\", \"comparison_size\": 100}}],"
    " \"contract\": {\"payments\": ["
    "   {\"name\": \"per job\", \"outcome\": \"job\", \"type\": \"per_unit\", \"price\": 2},"
    "   {\"name\": \"final true-up\", \"outcome\": \"job\", \"type\": \"per_unit\", \"price\": 3,"
    "    \"trigger\": 0.075, \"scope\": \"programme\"}]},"
    " \"financing\": ["
    "   {\"name\": \"G\", \"type\": \"grant\"},"
    "   {\"name\": \"S\", \"type\": \"sib\","
    "    \"tranches\": [{\"name\": \"senior\", \"commitment\": 300, \"return_cap\": 0.13}]}]}";

Test(present_term, a_pointer_is_named_by_the_things_it_points_into) {
    scenario *sc = must_load_string(term_json);
    char b[300];
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/contract/payments/1/price"),
                     "price of payment \"final true-up\"");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/contract/payments/1/trigger"),
                     "trigger of payment \"final true-up\"");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/stages/0/costs/fixed_per_year"),
                     "fixed cost a year of stage \"pilot\"");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/stages/0/costs/overrun"),
                     "cost overrun of stage \"pilot\"");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/stages/0/costs/overrun/sd"),
                     "standard deviation of the cost overrun of stage \"pilot\"");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/stages/0/cohorts/0/size"),
                     "size of cohort \"first\" of stage \"pilot\"");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/stages/1/gate/min_effect"),
                     "minimum measured effect of the gate of stage \"scale\"");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/outcomes/0/effect/prior"),
                     "true effect on outcome \"job\"");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/outcomes/0/effect/prior/mean"),
                     "mean of the true effect on outcome \"job\"");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/financing/1/tranches/0/return_cap"),
                     "return cap of tranche \"senior\" of \"S\"");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/contract/cap"), "cap of the contract");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/simulation/paths"),
                     "paths of the simulation");
    scenario_free(sc);
}

/* Whole things are named by what they are, and the contract's terms below
 * its first level by their clause (the committee paper's table of
 * assumptions names such fields). */
Test(present_term, a_whole_stage_rule_or_tranche_and_the_contracts_clauses_are_named) {
    scenario *sc = must_load_string(term_json);
    char b[300];
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/stages/1"), "stage \"scale\"");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/stages/0/cohorts/0"),
                     "cohort \"first\" of stage \"pilot\"");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/outcomes/0"), "outcome \"job\"");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/contract/payments/1"),
                     "payment \"final true-up\"");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/financing/1"), "structure \"S\"");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/financing/1/tranches/0"),
                     "tranche \"senior\" of \"S\"");
    /* A clause need not be in the scenario to be named: the names come
     * from the pointer, the owners from the scenario. */
    cr_assert_str_eq(
        present_term_name(b, sizeof b, sc, "/contract/termination/if/measured_below"),
        "threshold of the termination clause");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/contract/termination/pays"),
                     "what is paid of the termination clause");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/contract/termination"),
                     "termination of the contract");
    /* Out of range: the pointer. */
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/stages/9"), "/stages/9");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/contract/suspensions/0/from"),
                     "/contract/suspensions/0/from");
    scenario_free(sc);
}

/* A whole list is named too: the committee paper's "What each figure rests
 * on" showed Massachusetts' notes on its cohorts and its outcomes under
 * "/stages/0/cohorts" and "/outcomes". */
Test(present_term, a_whole_list_is_named) {
    scenario *sc = must_load_string(term_json);
    char b[300];
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/stages/0/cohorts"),
                     "the cohorts of stage \"pilot\"");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/stages"), "the stages");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/outcomes"), "the outcomes");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/financing"), "the financing structures");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/financing/1/tranches"),
                     "the tranches of structure \"S\"");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/contract/payments"), "the payment rules");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/contract"), "the contract");
    /* Beyond the scenario's stages: still the pointer. */
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/stages/9/cohorts"), "/stages/9/cohorts");
    scenario_free(sc);
}

Test(present_term, what_the_scenario_does_not_have_is_named_by_its_pointer) {
    scenario *sc = must_load_string(term_json);
    char b[300];
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/contract/payments/9/price"),
                     "/contract/payments/9/price");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/contract/payments/01/price"),
                     "/contract/payments/01/price");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "/nonsense"), "/nonsense");
    cr_assert_str_eq(present_term_name(b, sizeof b, sc, "not a pointer"), "not a pointer");
    cr_assert_str_eq(present_term_name(b, sizeof b, NULL, "/contract/cap"), "/contract/cap");
    scenario_free(sc);
}

Test(present_term, units_follow_the_field_reference) {
    scenario *sc = must_load_string(term_json);
    cr_assert_eq(present_term_unit(sc, "/contract/payments/1/price"), TERM_MONEY);
    cr_assert_eq(present_term_unit(sc, "/contract/payments/1/trigger"), TERM_SHARE,
                 "a relative effect is a percentage");
    cr_assert_eq(present_term_unit(sc, "/stages/1/gate/min_effect"), TERM_SHARE);
    cr_assert_eq(present_term_unit(sc, "/outcomes/0/effect/prior"), TERM_SHARE);
    cr_assert_eq(present_term_unit(sc, "/outcomes/0/baseline"), TERM_NUMBER,
                 "a count's baseline is events per person");
    cr_assert_eq(present_term_unit(sc, "/stages/0/costs/overrun"), TERM_FACTOR);
    cr_assert_eq(present_term_unit(sc, "/stages/0/costs/fixed_per_year"), TERM_MONEY);
    cr_assert_eq(present_term_unit(sc, "/stages/0/cohorts/0/size"), TERM_COUNT);
    cr_assert_eq(present_term_unit(sc, "/stages/1/start"), TERM_YEARS);
    cr_assert_eq(present_term_unit(sc, "/financing/1/tranches/0/return_cap"), TERM_SHARE);
    cr_assert_eq(present_term_unit(sc, "/financing/1/tranches/0/commitment"), TERM_MONEY);
    cr_assert_eq(present_term_unit(sc, "/nonsense"), TERM_NUMBER);
    scenario_free(sc);
}

Test(present_term, values_in_their_units) {
    char b[64];
    cr_assert_str_eq(present_term_value(b, sizeof b, "GBP", TERM_MONEY, 630000), "£630k");
    cr_assert_str_eq(present_term_value(b, sizeof b, "GBP", TERM_SHARE, 0.0675), "6.75%");
    cr_assert_str_eq(present_term_value(b, sizeof b, "GBP", TERM_SHARE, 0.11000000000000001), "11%");
    cr_assert_str_eq(present_term_value(b, sizeof b, "GBP", TERM_FACTOR, 1.2), "1.2x");
    cr_assert_str_eq(present_term_value(b, sizeof b, "GBP", TERM_YEARS, 2.5), "2.5 years");
    cr_assert_str_eq(present_term_value(b, sizeof b, "GBP", TERM_YEARS, 1), "1 year");
    cr_assert_str_eq(present_term_value(b, sizeof b, "GBP", TERM_COUNT, 100000), "100,000");
    cr_assert_str_eq(present_term_value(b, sizeof b, "GBP", TERM_NUMBER, 1.55), "1.55");
    cr_assert_str_eq(present_term_exact(b, sizeof b, "GBP", TERM_MONEY, 11734.491), "£11,734.49");
    cr_assert_str_eq(present_term_exact(b, sizeof b, "GBP", TERM_SHARE, 0.31687831), "31.6878%");
    /* Past four digits, the whole number grouped: solve's range of a
     * trigger read "from -1e+04% to -100%". */
    cr_assert_str_eq(present_term_value(b, sizeof b, "GBP", TERM_SHARE, -100), "-10,000%");
    cr_assert_str_eq(present_term_value(b, sizeof b, "GBP", TERM_FACTOR, 12345.6), "12,346x");
    cr_assert_str_eq(present_term_value(b, sizeof b, "GBP", TERM_NUMBER, 9999.4), "9999");
    cr_assert_str_eq(present_term_exact(b, sizeof b, "GBP", TERM_SHARE, 25000), "2,500,000%");
    cr_assert_str_eq(present_term_value(b, sizeof b, "GBP", TERM_NUMBER, 1e20), "1e+20");
}

/* A value that rounds to zero from below has no minus sign: compare showed
 * "-0.0 pp" for a difference of -0.00002 (and a run "-0.0%", "-0.00x"),
 * which reads as a fall where there is none. */
Test(present_fixed, a_value_rounding_to_zero_has_no_minus_sign) {
    char b[64];
    cr_assert_str_eq(present_change(b, sizeof b, "GBP", UNIT_RATE, -0.00002), "0.0 pp");
    cr_assert_str_eq(present_change(b, sizeof b, "GBP", UNIT_SHARE, -0.0), "0.0 pp");
    cr_assert_str_eq(present_change(b, sizeof b, "GBP", UNIT_RATE, -0.0006), "-0.1 pp");
    cr_assert_str_eq(present_value(b, sizeof b, "GBP", UNIT_RATE, -0.0004), "0.0%");
    cr_assert_str_eq(present_value(b, sizeof b, "GBP", UNIT_RATE, -0.0006), "-0.1%");
    cr_assert_str_eq(present_value(b, sizeof b, "GBP", UNIT_MULTIPLE, -0.004), "0.00x");
    cr_assert_str_eq(present_value(b, sizeof b, "GBP", UNIT_MULTIPLE, 1.004), "1.00x");
    cr_assert_str_eq(present_fixed(b, sizeof b, 2, -0.004, " pp"), "0.00 pp");
    cr_assert_str_eq(present_fixed(b, sizeof b, 0, -0.4, "%"), "0%");
    cr_assert_str_eq(present_fixed(b, sizeof b, 0, -10.4, "%"), "-10%");
    cr_assert_str_eq(present_fixed(b, sizeof b, 1, -INFINITY, "x"), "-infx");
    cr_assert_str_eq(present_fixed(b, 5, 3, -12.25, " pp"), "-12."); /* cut to the buffer */
}

/* An amount beside its SE is not rounded more coarsely than the SE: below
 * half a unit the SE has decimals (present_se), and so has the amount.
 * pilot-value wrote a change of -0.24 beside its SE of 0.09 as "€0 (SE
 * €0.09)", losing the sign and both digits. */
Test(present_money_beside_se, takes_the_decimals_of_an_se_below_a_unit) {
    char b[64];
    cr_assert_str_eq(present_money_beside_se(b, sizeof b, "EUR", -0.2403, 0.09), "-€0.24");
    cr_assert_str_eq(present_money_beside_se(b, sizeof b, "EUR", 0.92, 0.09), "€0.92");
    cr_assert_str_eq(present_money_beside_se(b, sizeof b, "EUR", 7.6249, 0.14), "€7.62");
    /* An SE of 0.0004 is written to four decimals, and so is the amount. */
    cr_assert_str_eq(present_money_beside_se(b, sizeof b, "GBP", 0.8, 0.0004), "£0.8000");
    /* Rounded to zero at those decimals: no sign. */
    cr_assert_str_eq(present_money_beside_se(b, sizeof b, "EUR", -0.001, 0.09), "€0.00");
    cr_assert_str_eq(present_money_beside_se(b, sizeof b, "CHF", -3.456, 0.2), "-CHF 3.46");
    /* From half a unit on, compact money as before. */
    cr_assert_str_eq(present_money_beside_se(b, sizeof b, "EUR", 920000, 91000), "€920k");
    cr_assert_str_eq(present_money_beside_se(b, sizeof b, "EUR", -0.24, 0.5), "€0");
    cr_assert_str_eq(present_money_beside_se(b, sizeof b, "EUR", 12.3, NAN), "€12");
    /* A thousand or more is written compactly whatever its SE: a mean of
     * 1.2m all but the same in every future was "€1234567.89", ungrouped,
     * wider than any column held for it. */
    cr_assert_str_eq(present_money_beside_se(b, sizeof b, "EUR", 1234567.891, 0.01), "€1.23m");
    cr_assert_str_eq(present_money_beside_se(b, sizeof b, "EUR", 999.4, 0.2), "€999.40");
    cr_assert_str_eq(present_money_beside_se(b, sizeof b, "EUR", -1500, 0.2), "-€1.5k");
}
