/* test_svg.c -- what the report's charts draw: round ticks, labels with the
 * digits they need, escaped text, bars in the ratio of their counts, and
 * never a NaN or an infinity in the SVG. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../present/chart.h"
#include "../present/svg.h"
#include "helpers.h"

/* ------------------------------------------------------------- capture */


/* Whether s holds "nan" or "inf" in any case (a number that is not finite
 * written by printf). */
static int has_nonfinite(const char *s) {
    for (const char *p = s; *p; p++) {
        char a = (char)tolower((unsigned char)p[0]);
        if (a != 'n' && a != 'i') continue;
        char w[4] = {a, (char)tolower((unsigned char)p[1]), 0, 0};
        if (w[1]) w[2] = (char)tolower((unsigned char)p[2]);
        if (strcmp(w, "nan") == 0 || strcmp(w, "inf") == 0) return 1;
    }
    return 0;
}

/* The heights of the <rect class="bar"> elements, in document order. */
static size_t bar_heights(const char *svg, double *h, size_t cap) {
    size_t n = 0;
    for (const char *p = strstr(svg, "<rect "); p && n < cap; p = strstr(p + 1, "<rect ")) {
        const char *end = strchr(p, '>');
        const char *cls = strstr(p, "class=\"bar\"");
        if (cls == NULL || cls > end) continue;
        const char *hh = strstr(p, "height=\"");
        cr_assert(hh != NULL && hh < end);
        h[n++] = strtod(hh + 8, NULL);
    }
    return n;
}

static size_t count_of(const char *s, const char *what) {
    size_t n = 0;
    for (const char *p = strstr(s, what); p; p = strstr(p + 1, what)) n++;
    return n;
}

/* --------------------------------------------------------------- ticks */

Test(svg, ticks_are_whole_multiples_of_one_two_or_five_times_a_power_of_ten) {
    srand(7);
    for (int trial = 0; trial < 2000; trial++) {
        /* Spans from 1e-4 to 1e8, starting up to 100 spans from 0 (as
         * an axis's data do). */
        double span = (0.01 + rand() / (double)RAND_MAX) * pow(10, rand() % 12 - 4);
        double lo = (rand() / (double)RAND_MAX - 0.5) * span * (rand() % 200);
        double hi = lo + span;
        size_t most = 3 + (size_t)(rand() % 8);
        double t[64], step, nlo, nhi;
        size_t n = svg_ticks(lo, hi, most, t, 64, &step, &nlo, &nhi);
        cr_assert(n >= 2 && n <= most, "%zu ticks for [%g, %g], at most %zu", n, lo, hi, most);
        double mant = step / pow(10, floor(log10(step)));
        cr_assert(fabs(mant - 1) < 1e-9 || fabs(mant - 2) < 1e-9 || fabs(mant - 5) < 1e-9,
                  "step %g is not 1, 2 or 5 times a power of ten", step);
        cr_assert(nlo <= lo + 1e-9 * step && nhi >= hi - 1e-9 * step, "[%g, %g] not covered", lo,
                  hi);
        for (size_t k = 0; k < n; k++) {
            double r = t[k] / step;
            cr_assert(fabs(r - round(r)) < 1e-6, "tick %g is not a multiple of %g", t[k], step);
            /* Evenly spaced, up to the rounding of values far from 0. */
            if (k) cr_assert(fabs(t[k] - t[k - 1] - step) < 1e-9 * step + 1e-12 * fabs(t[k]));
        }
    }
}

Test(svg, ticks_of_a_share_from_zero_to_one_fall_on_fifths) {
    double t[32], step, nlo, nhi;
    size_t n = svg_ticks(0, 1, 6, t, 32, &step, &nlo, &nhi);
    cr_assert_eq(n, 6);
    cr_assert_float_eq(step, 0.2, 1e-15);
    const double want[] = {0, 0.2, 0.4, 0.6, 0.8, 1.0};
    for (size_t k = 0; k < n; k++) cr_assert_float_eq(t[k], want[k], 1e-12);
}

Test(svg, ticks_of_an_irr_from_minus_100_percent_are_round_percentages) {
    double t[32], step, nlo, nhi;
    size_t n = svg_ticks(-1.0, 0.083, 7, t, 32, &step, &nlo, &nhi);
    cr_assert_float_eq(step, 0.2, 1e-15);
    cr_assert_float_eq(nlo, -1.0, 1e-12);
    cr_assert_float_eq(nhi, 0.2, 1e-12);
    cr_assert_eq(n, 7);
    char buf[32];
    cr_assert_str_eq(svg_tick_label(buf, sizeof buf, UNIT_RATE, NULL, t[0], step), "-100%");
    cr_assert_str_eq(svg_tick_label(buf, sizeof buf, UNIT_RATE, NULL, t[5], step), "0%");
}

Test(svg, a_degenerate_interval_is_widened_and_a_nonfinite_one_has_no_ticks) {
    double t[32], step = -1, nlo, nhi;
    size_t n = svg_ticks(5, 5, 5, t, 32, &step, &nlo, &nhi);
    cr_assert(n >= 2 && nlo < 5 && nhi > 5);
    cr_assert_eq(svg_ticks(NAN, 1, 5, t, 32, &step, &nlo, &nhi), 0);
    cr_assert_eq(svg_ticks(0, INFINITY, 5, t, 32, &step, &nlo, &nhi), 0);
    cr_assert_eq(svg_ticks(-1e308, 1e308, 5, t, 32, &step, &nlo, &nhi), 0);
}

Test(svg, tick_labels_have_just_the_digits_their_step_needs) {
    char b[48];
    cr_assert_str_eq(svg_tick_label(b, sizeof b, UNIT_SHARE, NULL, 0.4, 0.2), "40%");
    cr_assert_str_eq(svg_tick_label(b, sizeof b, UNIT_SHARE, NULL, 0.025, 0.005), "2.5%");
    cr_assert_str_eq(svg_tick_label(b, sizeof b, UNIT_MULTIPLE, NULL, 1.5, 0.5), "1.5x");
    cr_assert_str_eq(svg_tick_label(b, sizeof b, UNIT_MULTIPLE, NULL, 2, 1), "2x");
    cr_assert_str_eq(svg_tick_label(b, sizeof b, UNIT_MONEY, "GBP", 1.5e6, 5e5), "£1.5m");
    cr_assert_str_eq(svg_tick_label(b, sizeof b, UNIT_MONEY, "GBP", 5e5, 5e5), "£500k");
    cr_assert_str_eq(svg_tick_label(b, sizeof b, UNIT_MONEY, "GBP", 0, 5e5), "£0");
    cr_assert_str_eq(svg_tick_label(b, sizeof b, UNIT_MONEY, "EUR", -2e6, 1e6), "-€2m");
    cr_assert_str_eq(svg_tick_label(b, sizeof b, UNIT_MONEY, "CHF", 2e6, 1e6), "CHF 2m");
    cr_assert_str_eq(svg_tick_label(b, sizeof b, UNIT_COUNT, NULL, 250, 50), "250");
    /* A tick that rounding put a hair off zero is zero. */
    cr_assert_str_eq(svg_tick_label(b, sizeof b, UNIT_SHARE, NULL, 5.5e-17, 0.1), "0%");
}

/* ------------------------------------------------------------- writing */

Test(svg, text_and_attribute_values_are_xml_escaped) {
    capture c;
    FILE *f = cap_open(&c);
    svg_open(f, 100, 50, "A <b> & \"c\" 'd'");
    svg_text(f, 1, 2, "middle", 11, "#000", NULL, "<script>alert('x') & \"y\"</script>");
    svg_close(f);
    char *s = cap_close(&c);
    cr_assert_null(strstr(s, "<script>"));
    cr_assert_null(strstr(s, "<b>"));
    cr_assert_not_null(
        strstr(s, "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"));
    cr_assert_not_null(strstr(s, "aria-label=\"A &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;\""));
    free(s);
}

Test(svg, control_characters_that_xml_forbids_become_spaces) {
    capture c;
    FILE *f = cap_open(&c);
    svg_escape(f, "a\x01"
                  "b\x1f"
                  "c\td\ne");
    char *s = cap_close(&c);
    cr_assert_str_eq(s, "a b c\td\ne");
    free(s);
}

Test(svg, a_shape_with_a_nonfinite_coordinate_is_left_out) {
    capture c;
    FILE *f = cap_open(&c);
    svg_rect(f, NAN, 0, 10, 10, "#000", NULL);
    svg_line(f, 0, 0, INFINITY, 1, "#000", 1, NULL);
    svg_text(f, 0, NAN, NULL, 11, "#000", NULL, "x");
    svg_circle(f, 1, 1, NAN, "#000");
    const double px[3] = {0, 1, 2}, py[3] = {0, NAN, 2};
    svg_polygon(f, px, py, 3, "#000");
    char *s = cap_close(&c);
    cr_assert_str_eq(s, "");
    free(s);
}

Test(svg, a_polyline_breaks_at_a_nonfinite_point) {
    capture c;
    FILE *f = cap_open(&c);
    const double x[5] = {0, 1, 2, 3, 4}, y[5] = {0, 1, NAN, 3, 4};
    svg_polyline(f, x, y, 5, "#000", 1, NULL);
    char *s = cap_close(&c);
    cr_assert_eq(count_of(s, "<polyline"), 2);
    cr_assert_not_null(strstr(s, "points=\"0.00,0.00 1.00,1.00\""));
    cr_assert_not_null(strstr(s, "points=\"3.00,3.00 4.00,4.00\""));
    cr_assert(!has_nonfinite(s));
    free(s);
}

/* -------------------------------------------------------------- charts */

Test(chart, histogram_bars_are_in_the_ratio_of_their_counts) {
    const double counts[5] = {1, 2, 4, 0, 8};
    chart_hist h = {.title = "t",
                    .unit = UNIT_MULTIPLE,
                    .lo = 0,
                    .width = 0.5,
                    .counts = counts,
                    .n_bins = 5,
                    .loss_below = NAN};
    capture c;
    FILE *f = cap_open(&c);
    cr_assert_eq(chart_histogram(f, &h), 0);
    char *s = cap_close(&c);
    double ht[8];
    size_t n = bar_heights(s, ht, 8);
    cr_assert_eq(n, 4, "one bar per non-empty bin, found %zu", n);
    cr_assert(ht[0] > 0);
    cr_assert_float_eq(ht[1] / ht[0], 2.0, 0.01);
    cr_assert_float_eq(ht[2] / ht[0], 4.0, 0.01);
    cr_assert_float_eq(ht[3] / ht[0], 8.0, 0.01);
    cr_assert_not_null(strstr(s, "data-count=\"8\""));
    free(s);
}

Test(chart, histogram_heights_are_shares_of_the_total_given) {
    /* With a total of 100 futures the bins are 50% and 25% (an axis to
     * 60%); as shares of their own sum, 75, they would be 67% and 33% (an
     * axis to 80%). */
    const double counts[2] = {50, 25};
    chart_hist h = {.title = "t",
                    .unit = UNIT_SHARE,
                    .lo = 0,
                    .width = 1,
                    .counts = counts,
                    .n_bins = 2,
                    .total = 100,
                    .loss_below = NAN};
    capture c;
    FILE *f = cap_open(&c);
    cr_assert_eq(chart_histogram(f, &h), 0);
    char *s = cap_close(&c);
    double ht[2];
    cr_assert_eq(bar_heights(s, ht, 2), 2);
    cr_assert_float_eq(ht[0] / ht[1], 2.0, 0.01);
    cr_assert_not_null(strstr(s, ">60%<"), "the share axis reaches 60%%");
    cr_assert_null(strstr(s, ">80%<"));
    free(s);
}

Test(chart, histogram_bins_below_the_loss_line_are_drawn_in_the_loss_colour) {
    const double counts[4] = {3, 3, 3, 3};
    chart_hist h = {.title = "t",
                    .unit = UNIT_MULTIPLE,
                    .lo = 0,
                    .width = 0.5,
                    .counts = counts,
                    .n_bins = 4,
                    .loss_below = 1.0,
                    .loss_label = "a loss"};
    capture c;
    FILE *f = cap_open(&c);
    cr_assert_eq(chart_histogram(f, &h), 0);
    char *s = cap_close(&c);
    char want[64];
    snprintf(want, sizeof want, "fill=\"%s\" class=\"bar\"", SVG_LOSS);
    cr_assert_eq(count_of(s, want), 2, "the bins [0, 0.5) and [0.5, 1) lose money");
    snprintf(want, sizeof want, "fill=\"%s\" class=\"bar\"", SVG_MAIN);
    cr_assert_eq(count_of(s, want), 2);
    cr_assert_not_null(strstr(s, ">a loss<"));
    free(s);
}

Test(chart, no_nan_or_infinity_reaches_any_chart) {
    const double counts[4] = {NAN, 2, INFINITY, 3};
    chart_marker m[2] = {{NAN, "nan marker", NULL}, {INFINITY, "inf marker", NULL}};
    chart_hist h = {.title = "t",
                    .unit = UNIT_MULTIPLE,
                    .lo = 0,
                    .width = 1,
                    .counts = counts,
                    .n_bins = 4,
                    .total = NAN,
                    .loss_below = NAN,
                    .markers = m,
                    .n_markers = 2};
    const double x[5] = {-1, NAN, 0.5, INFINITY, 0.8}, q[5] = {0, 0.3, NAN, 1, 1};
    chart_cdf cd = {.title = "t",
                    .unit = UNIT_RATE,
                    .x = x,
                    .q = q,
                    .n = 5,
                    .x_lo = NAN,
                    .x_hi = NAN,
                    .markers = m,
                    .n_markers = 2,
                    .level_x = NAN,
                    .level_q = 0.4};
    fan_band bands[3] = {{.mean = 1, .p05 = 0, .p25 = 1, .p50 = 2, .p75 = 3, .p95 = 4},
                         {.mean = NAN, .p05 = NAN, .p25 = NAN, .p50 = NAN, .p75 = NAN, .p95 = NAN},
                         {.mean = 2, .p05 = 1, .p25 = 1, .p50 = INFINITY, .p75 = 2, .p95 = 5}};
    const double expected[3] = {1, NAN, 2};
    chart_fan fa = {.title = "t",
                    .step_name = "year",
                    .currency = "GBP",
                    .band = bands,
                    .expected = expected,
                    .n_steps = 3,
                    .y_hi = NAN};
    chart_bar bars[2] = {{"a", NAN, NULL}, {"b", 0.5, NULL}};
    chart_tornado_row rows[2] = {{"r", NAN, 1}, {"s", -INFINITY, 2}};
    chart_tornado_row rows2[2] = {{"r", 0.1, 0.3}, {"s", 0.15, INFINITY}};
    chart_tornado t = {.title = "t",
                       .unit = UNIT_RATE,
                       .base = 0.2,
                       .low_name = "lo",
                       .high_name = "hi",
                       .rows = rows2,
                       .n = 2};
    capture c;
    FILE *f = cap_open(&c);
    cr_assert_eq(chart_histogram(f, &h), 0);
    cr_assert_eq(chart_cdf_draw(f, &cd), 0);
    cr_assert_eq(chart_fan_draw(f, &fa), 0);
    cr_assert_eq(chart_bars(f, "b", bars, 2, 0), 0);
    cr_assert_eq(chart_tornado_draw(f, &t), 0);
    t.rows = rows; /* every row has a value that is not finite: nothing to draw */
    cr_assert_eq(chart_tornado_draw(f, &t), -1);
    char *s = cap_close(&c);
    /* Text written by the caller may say anything; no number may be
     * written that is not finite. */
    char *cut = s;
    while ((cut = strstr(cut, "nan marker")) != NULL) memcpy(cut, "--- marker", 10);
    cut = s;
    while ((cut = strstr(cut, "inf marker")) != NULL) memcpy(cut, "--- marker", 10);
    cr_assert(!has_nonfinite(s), "a NaN or an infinity was written:\n%s", s);
    free(s);
}

/* The legend's base, with a note when the caller gives one (the paper's
 * "at 20,000 futures"), and only there: no bar end carries it. */
Test(chart, a_tornado_legend_says_its_base_and_its_note) {
    chart_tornado_row rows[2] = {{"r", 0.1, 0.3}, {"s", 0.15, 0.25}};
    chart_tornado t = {.title = "t",
                       .unit = UNIT_RATE,
                       .base = 0.2,
                       .low_name = "lo",
                       .high_name = "hi",
                       .rows = rows,
                       .n = 2};
    capture c;
    FILE *f = cap_open(&c);
    cr_assert_eq(chart_tornado_draw(f, &t), 0);
    t.base_note = "at 20,000 futures";
    cr_assert_eq(chart_tornado_draw(f, &t), 0);
    char *s = cap_close(&c);
    const char *with = strstr(s, ", at 20,000 futures");
    cr_assert_not_null(with, "%s", s);
    cr_assert_null(strstr(with + strlen(", at 20,000 futures"), "at 20,000"), "once: %s", s);
    const char *plain = strstr(s, "base 20");
    cr_assert_not_null(plain, "%s", s);
    cr_assert(plain < with, "the first chart's base has no note: %s", s);
    free(s);
}

Test(chart, a_chart_with_nothing_finite_writes_nothing) {
    const double zero[2] = {0, 0}, bad[2] = {NAN, NAN};
    chart_hist h = {
        .title = "t", .lo = 0, .width = 1, .counts = zero, .n_bins = 2, .loss_below = NAN};
    chart_cdf cd = {
        .title = "t", .x = bad, .q = bad, .n = 2, .x_lo = NAN, .x_hi = NAN, .level_q = NAN};
    fan_band bands[1] = {{.p05 = NAN, .p25 = NAN, .p50 = NAN, .p75 = NAN, .p95 = NAN}};
    chart_fan fa = {.title = "t", .band = bands, .n_steps = 1, .y_hi = NAN};
    chart_tornado t = {.title = "t", .base = NAN};
    capture c;
    FILE *f = cap_open(&c);
    cr_assert_eq(chart_histogram(f, &h), -1);
    h.counts = bad;
    cr_assert_eq(chart_histogram(f, &h), -1);
    cr_assert_eq(chart_cdf_draw(f, &cd), -1);
    cr_assert_eq(chart_fan_draw(f, &fa), -1);
    cr_assert_eq(chart_bars(f, "t", NULL, 0, 0), -1);
    cr_assert_eq(chart_tornado_draw(f, &t), -1);
    char *s = cap_close(&c);
    cr_assert_str_eq(s, "");
    free(s);
}

Test(chart, a_fan_draws_two_bands_a_median_and_the_expected_case) {
    fan_band bands[2] = {{.p05 = 0, .p25 = 10, .p50 = 20, .p75 = 30, .p95 = 40},
                         {.p05 = 5, .p25 = 15, .p50 = 25, .p75 = 35, .p95 = 45}};
    const double expected[2] = {22, 24};
    chart_fan fa = {.title = "t",
                    .step_name = "year",
                    .currency = "USD",
                    .band = bands,
                    .expected = expected,
                    .n_steps = 2,
                    .y_hi = NAN};
    capture c;
    FILE *f = cap_open(&c);
    cr_assert_eq(chart_fan_draw(f, &fa), 0);
    char *s = cap_close(&c);
    cr_assert_eq(count_of(s, "<polygon"), 2, "the 5-95 and the 25-75 bands");
    char want[64];
    snprintf(want, sizeof want, "fill=\"%s\"", SVG_BAND_OUT);
    cr_assert_not_null(strstr(s, want));
    snprintf(want, sizeof want, "fill=\"%s\"", SVG_BAND_IN);
    cr_assert_not_null(strstr(s, want));
    cr_assert_eq(count_of(s, "<polyline"), 2, "the median and the expected case");
    cr_assert_eq(count_of(s, "<circle"), 2 + 1, "a dot a step, and the legend's");
    cr_assert_not_null(strstr(s, ">year<"));
    free(s);
}

Test(chart, a_fan_with_a_shared_scale_reaches_its_top) {
    /* Two fans drawn to one scale: the smaller one's axis still goes up to
     * the shared top. */
    fan_band bands[1] = {{.p05 = 0, .p25 = 1, .p50 = 2, .p75 = 3, .p95 = 4}};
    chart_fan fa = {.title = "t", .currency = "GBP", .band = bands, .n_steps = 1, .y_hi = 2e6};
    capture c;
    FILE *f = cap_open(&c);
    cr_assert_eq(chart_fan_draw(f, &fa), 0);
    char *s = cap_close(&c);
    cr_assert_not_null(strstr(s, ">£2.0m<"), "ticks 500k apart, up to the shared top");
    free(s);
}

Test(chart, tornado_rows_keep_their_order_and_long_labels_are_cut) {
    chart_tornado_row rows[2] = {
        {"first: a label long enough to be cut well before the bars begin at all", 0.1, 0.3},
        {"second", 0.18, 0.22}};
    chart_tornado t = {.title = "t",
                       .unit = UNIT_RATE,
                       .base = 0.2,
                       .low_name = "lo",
                       .high_name = "hi",
                       .rows = rows,
                       .n = 2};
    capture c;
    FILE *f = cap_open(&c);
    cr_assert_eq(chart_tornado_draw(f, &t), 0);
    char *s = cap_close(&c);
    const char *a = strstr(s, ">first: "), *b = strstr(s, ">second<");
    cr_assert(a != NULL && b != NULL && a < b);
    cr_assert_null(strstr(s, "begin at all"));
    cr_assert_not_null(strstr(s, "...<"));
    double ht[8];
    cr_assert_eq(bar_heights(s, ht, 8), 4, "a low and a high bar a row");
    free(s);
}

Test(chart, a_fan_of_hundreds_of_years_is_drawn_whole) {
    /* A 500-year grid on a yearly step: every step drawn, the axis
     * labelled every tenth year. */
    enum { N = 500 };
    fan_band *bands = calloc(N, sizeof *bands);
    for (size_t k = 0; k < N; k++)
        bands[k] = (fan_band){.p05 = 0, .p25 = 1, .p50 = 2, .p75 = 3, .p95 = (double)k};
    chart_fan fa = {.title = "t", .currency = "GBP", .band = bands, .n_steps = N, .y_hi = NAN};
    capture c;
    FILE *f = cap_open(&c);
    cr_assert_eq(chart_fan_draw(f, &fa), 0);
    char *s = cap_close(&c);
    cr_assert_eq(count_of(s, "<polygon"), 2);
    cr_assert_not_null(strstr(s, ">500<"));
    cr_assert_null(strstr(s, ">499<"));
    cr_assert(!has_nonfinite(s));
    free(s);
    free(bands);
}

/* The S-curve's label of the loss level ("a loss in 40.5% of these
 * futures") is set beside its point, clear of the dashed marker lines: in
 * Peterborough's chart the IRR of the expected cash flows, -6.8%, lay
 * under the label's last word. At least 5.5 px a character of 10.5 px
 * bold text. */
Test(chart, the_loss_label_is_clear_of_the_marker_lines) {
    double x[5] = {-1, -1, -0.5, 0.05, 0.09}, q[5] = {0, 0.38, 0.39, 0.7, 1};
    const char *label = "a loss in 40.5% of these futures";
    chart_marker m[2] = {{-0.068, "IRR of the expected cash flows -6.8%", NULL},
                         {0, "0%: money back, no return", "#8a949e"}};
    chart_cdf cd = {.title = "t",
                    .unit = UNIT_RATE,
                    .x = x,
                    .q = q,
                    .n = 5,
                    .x_lo = -1,
                    .x_hi = 0.2,
                    .markers = m,
                    .n_markers = 2,
                    .level_x = 0,
                    .level_q = 0.405,
                    .level_label = label};
    capture c;
    FILE *f = cap_open(&c);
    cr_assert_eq(chart_cdf_draw(f, &cd), 0);
    char *s = cap_close(&c);
    /* The label: its x and which end of it that is. */
    const char *t = strstr(s, label);
    cr_assert_not_null(t);
    const char *open = t;
    while (open > s && strncmp(open, "<text ", 6) != 0) open--;
    double tx = NAN;
    cr_assert_eq(sscanf(open, "<text x=\"%lf\"", &tx), 1);
    const int end = strstr(open, "text-anchor=\"end\"") != NULL &&
                    strstr(open, "text-anchor=\"end\"") < t;
    const double w = 5.5 * (double)strlen(label);
    const double from = end ? tx - w : tx, to = end ? tx : tx + w;
    /* Every dashed marker line (5 3) is outside [from, to]. */
    size_t lines = 0;
    for (const char *l = strstr(s, "<line "); l; l = strstr(l + 1, "<line ")) {
        const char *close = strchr(l, '>');
        const char *dash = strstr(l, "stroke-dasharray=\"5 3\"");
        if (dash == NULL || dash > close) continue;
        double lx = NAN;
        cr_assert_eq(sscanf(l, "<line x1=\"%lf\"", &lx), 1);
        lines++;
        cr_assert(lx < from - 1 || lx > to + 1,
                  "a marker line at x = %g runs through the label, %g to %g", lx, from, to);
    }
    cr_assert_eq(lines, 2);
    free(s);
}
