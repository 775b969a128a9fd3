/* chart.h -- the report's charts as inline SVG: a histogram, an S-curve
 * (cumulative distribution), a fan chart, horizontal bars (a funnel) and a
 * tornado.
 *
 * Each chart takes plain arrays and labels -- it knows nothing of engines
 * or scenarios -- and draws through svg.h, so text is escaped and nothing
 * that is not finite is ever written: a point, bar or marker that is not
 * finite is left out, and a chart with nothing finite to draw writes
 * nothing and returns -1 so that the page can say why instead. Axes have
 * round ticks labelled in the metric's unit (svg_tick_label). Sizes are in
 * user units; the SVG scales to the page's width.
 */
#ifndef SIB_CHART_H
#define SIB_CHART_H

#include <stddef.h>
#include <stdio.h>

#include "../sim/engine.h"
#include "../sim/fan.h"

/* A vertical line at the data value x, labelled (e.g. "expected 0.77x"). */
typedef struct chart_marker {
    double x;
    const char *label;
    const char *colour; /* NULL: SVG_ACCENT */
} chart_marker;

/* ------------------------------------------------------------ histogram */

/* Bin k covers [lo + k width, lo + (k + 1) width) and holds counts[k]
 * futures; bars are drawn as shares of `total` futures (total <= 0: of
 * the counts' sum), so their heights are in the ratio of the counts. Bins
 * whose upper edge is at most loss_below (NaN: none) are drawn in the loss
 * colour and loss_label is written over them. Each bar is a <rect> with
 * class="bar" and data-count="N". */
typedef struct chart_hist {
    const char *title;   /* the accessible name */
    const char *x_title; /* below the x axis */
    const char *y_title; /* above the y axis (shares of futures) */
    metric_unit unit;    /* of the x axis */
    const char *currency;
    double lo, width;
    const double *counts;
    size_t n_bins;
    double total;
    double loss_below;
    const char *loss_label;
    const chart_marker *markers;
    size_t n_markers;
    double w, h; /* size in user units (0: 470 x 260) */
} chart_hist;

/* Draw h. Returns 0, or -1 (nothing written) when there is no bin, the
 * bins are not finite or every count is 0. */
int chart_histogram(FILE *out, const chart_hist *h);

/* ------------------------------------------------------------- S-curve */

/* The share q[i] of futures whose value is at most x[i], for rising q from
 * 0 to 1 (e.g. the quantiles of a distribution at q = 0, 0.005, ..., 1):
 * an S-curve, with a point mass drawn as a vertical step. The x axis spans
 * [x_lo, x_hi] (NaN: the points' range); points beyond it are drawn at its
 * edge. The level, when level_q is finite, is a horizontal line from the
 * y axis to (level_x, level_q) with a dot and level_label (e.g. "IRR below
 * 0 in 40% of these futures"). */
typedef struct chart_cdf {
    const char *title;
    const char *x_title, *y_title;
    metric_unit unit;
    const char *currency;
    const double *x, *q;
    size_t n;
    double x_lo, x_hi;
    const chart_marker *markers;
    size_t n_markers;
    double level_x, level_q;
    const char *level_label;
    double w, h; /* 0: 470 x 260 */
} chart_cdf;

/* Draw c. Returns 0, or -1 (nothing written) when fewer than two points
 * are finite. */
int chart_cdf_draw(FILE *out, const chart_cdf *c);

/* ----------------------------------------------------------------- fan */

/* Money per step over futures: the 5th-95th percentile band, the
 * 25th-75th band, the median as a solid line and, when expected is not
 * NULL, the expected case as a dashed line with a dot in each step. A
 * step's value holds over its whole slot, so bands and lines are drawn as
 * staircases (a year's outlay is not interpolated between years); slot k
 * is labelled k + 1 under the axis titled step_name ("year"). y_hi, when finite, is the top of the
 * money axis (to share one scale between several fans); otherwise the band's own top. A legend
 * names each element. */
typedef struct chart_fan {
    const char *title;
    const char *step_name;
    const char *currency;
    const fan_band *band;   /* [n_steps] */
    const double *expected; /* [n_steps] or NULL */
    size_t n_steps;
    double y_hi;
    double w, h; /* 0: 470 x 280 */
} chart_fan;

/* Draw f, with any number of steps. Returns 0, or -1 (nothing written)
 * when there is no step or no finite percentile, or memory runs out. */
int chart_fan_draw(FILE *out, const chart_fan *f);

/* ---------------------------------------------------------------- bars */

/* One horizontal bar: a label, a value in [0, 1] shown as a percentage,
 * and an optional note written after the value. */
typedef struct chart_bar {
    const char *label;
    double value;
    const char *note;
} chart_bar;

/* Horizontal bars from 0 to each value on a 0-100% axis, one per row, the
 * label left of its bar and the percentage at its end. Each bar is a
 * <rect> with class="bar". Returns 0, or -1 (nothing written) when n is 0. */
int chart_bars(FILE *out, const char *title, const chart_bar *bars, size_t n, double w);

/* ------------------------------------------------------------- tornado */

/* One row of a tornado: the metric with the input or term at its low and
 * at its high setting. */
typedef struct chart_tornado_row {
    const char *label;
    double low, high;
} chart_tornado_row;

/* Rows from the base value (a vertical line) out to the metric at the low
 * setting (one colour) and at the high setting (another), largest swing
 * first as given, with both values written at the bar's ends by `format`;
 * the legend names the two settings (low_name, high_name). Rows that are
 * not finite are left out. Returns 0, or -1 (nothing written) when base
 * is not finite or no row is. */
typedef struct chart_tornado {
    const char *title, *x_title;
    metric_unit unit; /* of the axis' ticks */
    const char *currency;
    /* How a value is written beside its bar and in the legend (the
     * page's own formatter, e.g. present_value in the metric's unit). */
    const char *(*format)(char *buf, size_t size, double x, void *ud);
    void *ud;
    double base;
    const char *base_note; /* said after the base in the legend ("at 20,000
                              futures": "base 2.1%, at 20,000 futures"), or NULL */
    const char *low_name, *high_name;
    const chart_tornado_row *rows;
    size_t n;
    double w; /* 0: 960 */
} chart_tornado;

int chart_tornado_draw(FILE *out, const chart_tornado *t);

#endif
