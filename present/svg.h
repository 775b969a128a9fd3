/* svg.h -- the smallest SVG writer a report needs: escaped text, shapes
 * with finite coordinates, linear scales, and axes with round ticks.
 *
 * Charts (chart.h) are built from these primitives and inlined into the
 * HTML report (html.h), so everything a chart draws is written here, in
 * one place that guarantees three things: text and attribute values are
 * XML-escaped; a coordinate that is not finite (NaN, infinity) is never
 * written (the shape is left out instead); and numbers are written with a
 * fixed number of decimals in the C locale's format, so the same data give
 * the same bytes. Presentation attributes only (no CSS classes needed to
 * read the picture), so a chart looks the same on screen, in print and
 * copied out of the page. Front-end code: no state, nothing but stdio.
 */
#ifndef SIB_SVG_H
#define SIB_SVG_H

#include <stddef.h>
#include <stdio.h>

#include "../sim/engine.h"

/* The report's restrained palette (print-safe: nothing dark is filled). */
#define SVG_INK "#1f2933"      /* text */
#define SVG_MUTED "#5b6670"    /* axis labels, notes */
#define SVG_GRID "#dde2e7"     /* grid lines */
#define SVG_AXIS "#8a949e"     /* axis lines, ticks */
#define SVG_MAIN "#1f4e79"     /* the data: bars, curves, median lines */
#define SVG_BAND_OUT "#d4e1ef" /* an outer band (5th to 95th percentile) */
#define SVG_BAND_IN "#9dbbd9"  /* an inner band (25th to 75th percentile) */
#define SVG_LOSS "#b5473a"     /* losses and the loss side */
#define SVG_LOSS_LIGHT "#e9c6c0"
#define SVG_ACCENT "#a8660e" /* markers: an expected value, an expected case */

/* Write s as XML character data or an attribute value: & < > " ' escaped,
 * control characters other than tab and newline (which XML 1.0 does not
 * allow) written as spaces. NULL writes nothing. Used by the HTML page too. */
void svg_escape(FILE *out, const char *s);

/* Whether every one of the n values is finite. */
int svg_all_finite(const double *x, size_t n);

/* ------------------------------------------------------------ primitives */

/* Open an <svg> element of w x h user units that scales to its container's
 * width, with title as its accessible name (<title>). */
void svg_open(FILE *out, double w, double h, const char *title);
void svg_close(FILE *out);

/* A rectangle; fill is a colour. extra, when not NULL, is written inside
 * the tag as it is (the caller's own attributes, e.g. data-count="3"): it
 * must be well formed. Nothing is written when a coordinate is not finite,
 * and a negative width or height is drawn from the other corner. */
void svg_rect(FILE *out, double x, double y, double w, double h, const char *fill,
              const char *extra);

/* A line; dash is a stroke-dasharray ("4 3") or NULL for a solid line. */
void svg_line(FILE *out, double x1, double y1, double x2, double y2, const char *stroke,
              double width, const char *dash);

/* Text at (x, y): anchor is "start", "middle" or "end"; weight "bold" or
 * NULL. The text is escaped. */
void svg_text(FILE *out, double x, double y, const char *anchor, double size, const char *fill,
              const char *weight, const char *text);

/* A filled circle of radius r at (cx, cy), or nothing when not finite. */
void svg_circle(FILE *out, double cx, double cy, double r, const char *fill);

/* A polyline through the points (x[i], y[i]) whose coordinates are finite
 * (a point that is not finite ends one line and starts the next). */
void svg_polyline(FILE *out, const double *x, const double *y, size_t n, const char *stroke,
                  double width, const char *dash);

/* A filled polygon through the n points, or nothing when any point is not
 * finite. */
void svg_polygon(FILE *out, const double *x, const double *y, size_t n, const char *fill);

/* ------------------------------------------------------- scales and axes */

/* A linear map of the data interval [d0, d1] onto [r0, r1] (user units). */
typedef struct svg_scale {
    double d0, d1, r0, r1;
} svg_scale;

/* Where v lands (NaN when the scale is degenerate or v is not finite). */
double svg_map(const svg_scale *s, double v);

/* Round ticks for the data interval [lo, hi]: a step of 1, 2 or 5 times a
 * power of ten chosen so that at least 2 and at most max_ticks ticks
 * (max_ticks is taken as 3 when less: an interval across 0 needs 3) cover
 * the interval, widened to whole steps: *nlo = floor(lo / step) step and
 * *nhi = ceil(hi / step) step. ticks[0 .. return) are the multiples of the
 * step from *nlo to *nhi (at most cap of them; exact multiples, with -0
 * written as 0). A degenerate interval (lo == hi) is widened around its
 * value first; non-finite ends give 0 ticks and leave the outputs unset. */
size_t svg_ticks(double lo, double hi, size_t max_ticks, double *ticks, size_t cap, double *step,
                 double *nlo, double *nhi);

/* A tick's label in a metric's unit, with just the digits its step needs:
 * "20%", "2.5%", "1.5x", "£500k", "£1.5m", "CHF 2m", "0". Returns buf. */
const char *svg_tick_label(char *buf, size_t size, metric_unit unit, const char *currency, double v,
                           double step);

/* Draw an x axis along y = y_axis from the scale's r0 to r1, with a tick
 * and label at each of ticks[0 .. n), and an axis title below (NULL:
 * none). grid_top, when finite, draws a vertical grid line at each tick up
 * to that y. */
void svg_axis_x(FILE *out, const svg_scale *x, double y_axis, const double *ticks, size_t n,
                double step, metric_unit unit, const char *currency, const char *title,
                double grid_top);

/* Draw a y axis along x = x_axis, labels to its left, with horizontal grid
 * lines to grid_right (when finite) and a title above the axis (NULL:
 * none). */
void svg_axis_y(FILE *out, const svg_scale *y, double x_axis, const double *ticks, size_t n,
                double step, metric_unit unit, const char *currency, const char *title,
                double grid_right);

#endif
