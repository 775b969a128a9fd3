/* chart.c -- histogram, S-curve, fan, bars and tornado as inline SVG. See
 * chart.h. Every chart lays out a plot area inside margins, maps its data
 * with svg_scale, draws round-tick axes with svg_axis_x/y and writes a
 * legend above the plot, so that no label ever sits on the data.
 */
#include "chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"

/* --------------------------------------------------------------- helpers */

/* Characters (not bytes) of a UTF-8 string. */
static size_t chars(const char *s) {
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) n += (*p & 0xC0) != 0x80;
    return n;
}

/* s cut to at most max characters (at a character boundary), with "..."
 * when cut. Returns buf. */
static const char *fit(char *buf, size_t size, const char *s, size_t max) {
    if (s == NULL) s = "";
    size_t n = 0, i = 0;
    const size_t len = strlen(s);
    for (; i < len; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (n == max) break;
            n++;
        }
    }
    if (i >= len)
        snprintf(buf, size, "%s", s);
    else {
        /* Leave room for "...": cut three characters earlier. */
        size_t keep = i, drop = 0;
        while (keep > 0 && drop < 3) {
            keep--;
            if (((unsigned char)s[keep] & 0xC0) != 0x80) drop++;
        }
        snprintf(buf, size, "%.*s...", (int)keep, s);
    }
    return buf;
}

static double clampd(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

/* A legend: items written left to right above the plot, wrapping at the
 * chart's right edge. Its rows are counted before anything is drawn, so
 * that the plot starts below them and no label sits on the data. */
enum { KEY_BOX, KEY_LINE, KEY_DASH, KEY_DOT };

typedef struct legend {
    struct {
        int kind;
        const char *colour, *text;
    } item[8];
    size_t n;
} legend;

#define LEGEND_ROW 15.0

static void legend_add(legend *lg, int kind, const char *colour, const char *text) {
    if (text == NULL || text[0] == '\0' || lg->n == 8) return;
    lg->item[lg->n].kind = kind;
    lg->item[lg->n].colour = colour;
    lg->item[lg->n].text = text;
    lg->n++;
}

static double item_width(const char *text) { return 18 + 5.6 * (double)chars(text) + 12; }

/* Rows the legend takes between x0 and right (0 when empty). */
static size_t legend_rows(const legend *lg, double x0, double right) {
    if (lg->n == 0) return 0;
    size_t rows = 1;
    double x = x0;
    for (size_t i = 0; i < lg->n; i++) {
        double need = item_width(lg->item[i].text);
        if (x > x0 && x + need - 12 > right) {
            rows++;
            x = x0;
        }
        x += need;
    }
    return rows;
}

/* Draw the legend with its first row's baseline at y. */
static void legend_draw(FILE *out, const legend *lg, double x0, double y, double right) {
    double x = x0;
    for (size_t i = 0; i < lg->n; i++) {
        const char *colour = lg->item[i].colour, *text = lg->item[i].text;
        double need = item_width(text);
        if (x > x0 && x + need - 12 > right) {
            x = x0;
            y += LEGEND_ROW;
        }
        switch (lg->item[i].kind) {
        case KEY_BOX: svg_rect(out, x, y - 8, 11, 9, colour, NULL); break;
        case KEY_LINE: svg_line(out, x, y - 3.5, x + 12, y - 3.5, colour, 2.5, NULL); break;
        case KEY_DASH: svg_line(out, x, y - 3.5, x + 12, y - 3.5, colour, 2, "4 2"); break;
        case KEY_DOT:
            svg_line(out, x, y - 3.5, x + 12, y - 3.5, colour, 1.5, "4 2");
            svg_circle(out, x + 6, y - 3.5, 2.5, colour);
            break;
        }
        svg_text(out, x + 16, y, "start", 10.5, SVG_INK, NULL, text);
        x += need;
    }
}

/* The top of the plot area under a legend of `rows` rows and, when
 * y_title is set, the y axis's title above the plot. */
static double plot_top(size_t rows, const char *y_title) {
    return 12 + LEGEND_ROW * (double)rows + (y_title ? 18 : 0) + 8;
}

/* Round ticks for [lo, hi] into t[]; returns their count (0: none). */
static size_t ticks_for(double lo, double hi, size_t most, double *t, double *step, double *nlo,
                        double *nhi) {
    return svg_ticks(lo, hi, most, t, 32, step, nlo, nhi);
}

/* ------------------------------------------------------------ histogram */

int chart_histogram(FILE *out, const chart_hist *h) {
    if (h->n_bins == 0 || h->counts == NULL || !isfinite(h->lo) || !isfinite(h->width) ||
        h->width <= 0)
        return -1;
    double sum = 0, top = 0;
    for (size_t k = 0; k < h->n_bins; k++)
        if (isfinite(h->counts[k]) && h->counts[k] > 0) sum += h->counts[k];
    const double total = h->total > 0 && isfinite(h->total) ? h->total : sum;
    if (!(sum > 0) || !isfinite(sum)) return -1;
    for (size_t k = 0; k < h->n_bins; k++)
        if (isfinite(h->counts[k]) && h->counts[k] / total > top) top = h->counts[k] / total;
    const double hi = h->lo + h->width * (double)h->n_bins;
    double xt[32], yt[32], xs, ys, xlo, xhi, ylo, yhi;
    size_t nx = ticks_for(h->lo, hi, 7, xt, &xs, &xlo, &xhi);
    size_t ny = ticks_for(0, top, 5, yt, &ys, &ylo, &yhi);
    if (nx == 0 || ny == 0) return -1;

    const double W = h->w > 0 ? h->w : 470, L = 56, R = W - 12;
    legend lg = {.n = 0};
    if (isfinite(h->loss_below)) legend_add(&lg, KEY_BOX, SVG_LOSS, h->loss_label);
    for (size_t m = 0; m < h->n_markers; m++)
        if (isfinite(h->markers[m].x))
            legend_add(&lg, KEY_DASH, h->markers[m].colour ? h->markers[m].colour : SVG_ACCENT,
                       h->markers[m].label);
    const double T = plot_top(legend_rows(&lg, 8, W - 8), h->y_title);
    const double H = (h->h > 0 ? h->h : 260) + T - 46, B = H - 44;
    svg_scale sx = {xlo, xhi, L, R}, sy = {0, yhi, B, T};
    svg_open(out, W, H, h->title);
    svg_axis_y(out, &sy, L, yt, ny, ys, UNIT_SHARE, NULL, NULL, R);
    char attr[64];
    for (size_t k = 0; k < h->n_bins; k++) {
        const double c = h->counts[k];
        if (!isfinite(c) || c <= 0) continue;
        const double a = h->lo + h->width * (double)k, b = a + h->width;
        double x0 = svg_map(&sx, a), x1 = svg_map(&sx, b), y0 = svg_map(&sy, c / total);
        int loss = isfinite(h->loss_below) && b <= h->loss_below + 1e-9 * h->width;
        snprintf(attr, sizeof attr, "class=\"bar\" data-count=\"%.0f\"", c);
        double gap = x1 - x0 > 3 ? 0.5 : 0;
        svg_rect(out, x0 + gap, y0, x1 - x0 - 2 * gap, B - y0, loss ? SVG_LOSS : SVG_MAIN, attr);
    }
    for (size_t m = 0; m < h->n_markers; m++) {
        double x = svg_map(&sx, h->markers[m].x);
        if (isfinite(x) && x >= L - 0.5 && x <= R + 0.5)
            svg_line(out, x, T - 4, x, B, h->markers[m].colour ? h->markers[m].colour : SVG_ACCENT,
                     2, "5 3");
    }
    svg_axis_x(out, &sx, B, xt, nx, xs, h->unit, h->currency, h->x_title, NAN);
    legend_draw(out, &lg, 8, 14, W - 8);
    if (h->y_title) svg_text(out, 8, T - 12, "start", 10.5, SVG_MUTED, NULL, h->y_title);
    svg_close(out);
    return 0;
}

/* ------------------------------------------------------------- S-curve */

int chart_cdf_draw(FILE *out, const chart_cdf *c) {
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    size_t good = 0;
    for (size_t i = 0; i < c->n; i++)
        if (isfinite(c->x[i]) && isfinite(c->q[i])) {
            good++;
            lo = fmin(lo, c->x[i]);
            hi = fmax(hi, c->x[i]);
        }
    if (good < 2) return -1;
    if (isfinite(c->x_lo)) lo = c->x_lo;
    if (isfinite(c->x_hi)) hi = c->x_hi;
    double xt[32], yt[32], xs, ys, xlo, xhi, ylo, yhi;
    size_t nx = ticks_for(lo, hi, 7, xt, &xs, &xlo, &xhi);
    size_t ny = ticks_for(0, 1, 6, yt, &ys, &ylo, &yhi);
    if (nx == 0 || ny == 0) return -1;

    const double W = c->w > 0 ? c->w : 470, L = 56, R = W - 12;
    legend lg = {.n = 0};
    legend_add(&lg, KEY_LINE, SVG_MAIN, "share of futures at or below");
    for (size_t m = 0; m < c->n_markers; m++)
        if (isfinite(c->markers[m].x))
            legend_add(&lg, KEY_DASH, c->markers[m].colour ? c->markers[m].colour : SVG_ACCENT,
                       c->markers[m].label);
    const double T = plot_top(legend_rows(&lg, 8, W - 8), c->y_title);
    const double H = (c->h > 0 ? c->h : 260) + T - 46, B = H - 44;
    svg_scale sx = {xlo, xhi, L, R}, sy = {0, 1, B, T};
    svg_open(out, W, H, c->title);
    svg_axis_y(out, &sy, L, yt, ny, ys, UNIT_SHARE, NULL, NULL, R);
    svg_axis_x(out, &sx, B, xt, nx, xs, c->unit, c->currency, c->x_title, T);
    for (size_t m = 0; m < c->n_markers; m++) {
        double x = svg_map(&sx, c->markers[m].x);
        if (isfinite(x) && x >= L - 0.5 && x <= R + 0.5)
            svg_line(out, x, T - 4, x, B, c->markers[m].colour ? c->markers[m].colour : SVG_ACCENT,
                     2, "5 3");
    }
    /* The curve (svg_polyline leaves out points that are not finite). */
    double *px = malloc((c->n + 1) * sizeof *px), *py = malloc((c->n + 1) * sizeof *py);
    if (px != NULL && py != NULL) {
        for (size_t k = 0; k < c->n; k++) {
            px[k] = isfinite(c->x[k]) ? svg_map(&sx, clampd(c->x[k], xlo, xhi)) : NAN;
            py[k] = isfinite(c->q[k]) ? svg_map(&sy, clampd(c->q[k], 0, 1)) : NAN;
        }
        svg_polyline(out, px, py, c->n, SVG_MAIN, 2.2, NULL);
    }
    free(px);
    free(py);
    if (isfinite(c->level_q) && isfinite(c->level_x)) {
        double x = svg_map(&sx, clampd(c->level_x, xlo, xhi)),
               y = svg_map(&sy, clampd(c->level_q, 0, 1));
        svg_line(out, L, y, x, y, SVG_LOSS, 1.5, "3 2");
        svg_circle(out, x, y, 3.5, SVG_LOSS);
        if (c->level_label) {
            int left = x > (L + R) / 2;
            /* Above the line, unless that would leave the plot; beside the
             * point, moved past any marker line it would cross (about 6 px
             * a character of 10.5 px bold), unless that leaves the plot. */
            double ty = y - 18 < T ? y + 15 : y - 7;
            const double w = 6.0 * (double)chars(c->level_label);
            double at = left ? x - 7 : x + 7;
            for (size_t pass = 0; pass <= c->n_markers; pass++) {
                int moved = 0;
                for (size_t m = 0; m < c->n_markers; m++) {
                    double mx = svg_map(&sx, c->markers[m].x);
                    if (!isfinite(mx) || mx < L - 0.5 || mx > R + 0.5) continue;
                    if (left && mx > at - w - 4 && mx < at + 4) {
                        at = mx - 6;
                        moved = 1;
                    } else if (!left && mx > at - 4 && mx < at + w + 4) {
                        at = mx + 6;
                        moved = 1;
                    }
                }
                if (!moved) break;
            }
            if (left ? at - w < L : at + w > R) at = left ? x - 7 : x + 7;
            svg_text(out, at, ty, left ? "end" : "start", 10.5, SVG_LOSS, "bold", c->level_label);
        }
    }
    legend_draw(out, &lg, 8, 14, W - 8);
    if (c->y_title) svg_text(out, 8, T - 12, "start", 10.5, SVG_MUTED, NULL, c->y_title);
    svg_close(out);
    return 0;
}

/* ----------------------------------------------------------------- fan */

/* One statistic of a step, by its offset in fan_band. */
static double band_at(const fan_band *b, size_t off) {
    double v;
    memcpy(&v, (const char *)b + off, sizeof v);
    return v;
}

int chart_fan_draw(FILE *out, const chart_fan *f) {
    const size_t n = f->n_steps;
    if (n == 0 || f->band == NULL) return -1;
    double top = 0, bottom = 0;
    size_t good = 0;
    for (size_t k = 0; k < n; k++) {
        const fan_band *b = &f->band[k];
        const double v[] = {b->p05, b->p95, f->expected ? f->expected[k] : NAN};
        for (size_t i = 0; i < 3; i++)
            if (isfinite(v[i])) {
                top = fmax(top, v[i]);
                bottom = fmin(bottom, v[i]);
                good += i < 2;
            }
    }
    if (good == 0) return -1;
    if (isfinite(f->y_hi) && f->y_hi > top) top = f->y_hi;
    if (top <= bottom) top = bottom + 1;
    double yt[32], ys, ylo, yhi;
    size_t ny = ticks_for(bottom, top, 6, yt, &ys, &ylo, &yhi);
    if (ny == 0) return -1;

    const double W = f->w > 0 ? f->w : 470, L = 64, R = W - 12;
    legend lg = {.n = 0};
    legend_add(&lg, KEY_BOX, SVG_BAND_OUT, "5th to 95th percentile");
    legend_add(&lg, KEY_BOX, SVG_BAND_IN, "25th to 75th");
    legend_add(&lg, KEY_LINE, SVG_MAIN, "median");
    if (f->expected) legend_add(&lg, KEY_DOT, SVG_ACCENT, "expected case");
    const double T = plot_top(legend_rows(&lg, 8, W - 8), NULL) + 6;
    const double H = (f->h > 0 ? f->h : 280) + T - 50, B = H - 44;
    svg_scale sx = {0, (double)n, L, R}, sy = {ylo, yhi, B, T};
    double *px = malloc((4 * n + 4) * sizeof *px), *py = malloc((4 * n + 4) * sizeof *py);
    if (px == NULL || py == NULL) {
        free(px);
        free(py);
        return -1;
    }
    svg_open(out, W, H, f->title);
    svg_axis_y(out, &sy, L, yt, ny, ys, UNIT_MONEY, f->currency, NULL, R);

    /* A step's value holds over its whole slot [k, k + 1): each band is a
     * staircase, its upper edge left to right, its lower edge back. */
    const size_t off_hi[2] = {offsetof(fan_band, p95), offsetof(fan_band, p75)};
    const size_t off_lo[2] = {offsetof(fan_band, p05), offsetof(fan_band, p25)};
    const char *fill[2] = {SVG_BAND_OUT, SVG_BAND_IN};
    const size_t m = 2 * n;
    for (int b = 0; b < 2; b++) {
        for (size_t k = 0; k < n; k++) {
            const double up = svg_map(&sy, band_at(&f->band[k], off_hi[b]));
            const double down = svg_map(&sy, band_at(&f->band[k], off_lo[b]));
            px[2 * k] = px[2 * m - 1 - 2 * k] = svg_map(&sx, (double)k);
            px[2 * k + 1] = px[2 * m - 2 - 2 * k] = svg_map(&sx, (double)k + 1);
            py[2 * k] = py[2 * k + 1] = up;
            py[2 * m - 1 - 2 * k] = py[2 * m - 2 - 2 * k] = down;
        }
        svg_polygon(out, px, py, 2 * m, fill[b]);
    }
    for (size_t k = 0; k < n; k++) {
        px[2 * k] = svg_map(&sx, (double)k);
        px[2 * k + 1] = svg_map(&sx, (double)k + 1);
        py[2 * k] = py[2 * k + 1] = svg_map(&sy, f->band[k].p50);
    }
    svg_polyline(out, px, py, m, SVG_MAIN, 2.5, NULL);
    if (f->expected) {
        for (size_t k = 0; k < n; k++) py[2 * k] = py[2 * k + 1] = svg_map(&sy, f->expected[k]);
        svg_polyline(out, px, py, m, SVG_ACCENT, 1.5, "5 3");
        for (size_t k = 0; k < n; k++)
            svg_circle(out, svg_map(&sx, (double)k + 0.5), py[2 * k], 3, SVG_ACCENT);
    }
    /* The x axis: one slot a step, labelled 1, 2, ... (every k-th when
     * there are many). */
    svg_line(out, L, B, R, B, SVG_AXIS, 1, NULL);
    const size_t every = n <= 12 ? 1 : n <= 30 ? 2 : n <= 60 ? 5 : 10;
    char buf[32];
    for (size_t k = 0; k <= n; k++) {
        double x = svg_map(&sx, (double)k);
        svg_line(out, x, B, x, B + 4, SVG_AXIS, 1, NULL);
        if (k == n || ((k + 1) % every != 0 && k != 0)) continue;
        snprintf(buf, sizeof buf, "%zu", k + 1);
        svg_text(out, svg_map(&sx, (double)k + 0.5), B + 16, "middle", 11, SVG_MUTED, NULL, buf);
    }
    svg_text(out, (L + R) / 2, B + 33, "middle", 11.5, SVG_INK, NULL,
             f->step_name ? f->step_name : "step");
    legend_draw(out, &lg, 8, 14, W - 8);
    svg_close(out);
    free(px);
    free(py);
    return 0;
}

/* ---------------------------------------------------------------- bars */

int chart_bars(FILE *out, const char *title, const chart_bar *bars, size_t n, double w) {
    if (n == 0 || bars == NULL) return -1;
    const double W = w > 0 ? w : 960, row = 28, L = 250, R = W - 130, T = 10;
    const double H = T + row * (double)n + 40;
    svg_scale sx = {0, 1, L, R};
    const double ticks[] = {0, 0.2, 0.4, 0.6, 0.8, 1};
    const double B = T + row * (double)n + 4;
    svg_open(out, W, H, title);
    for (size_t k = 0; k < 6; k++) {
        double x = svg_map(&sx, ticks[k]);
        svg_line(out, x, T, x, B, SVG_GRID, 1, NULL);
    }
    char buf[96], val[64];
    for (size_t i = 0; i < n; i++) {
        const double y = T + row * (double)i;
        svg_text(out, L - 10, y + 17, "end", 12, SVG_INK, NULL,
                 fit(buf, sizeof buf, bars[i].label, 38));
        double v = bars[i].value;
        if (!isfinite(v)) {
            svg_text(out, L + 4, y + 17, "start", 11, SVG_MUTED, NULL, "not defined");
            continue;
        }
        v = clampd(v, 0, 1);
        svg_rect(out, L, y + 5, svg_map(&sx, v) - L, row - 10, SVG_MAIN, "class=\"bar\"");
        snprintf(val, sizeof val, "%.1f%%%s%s", 100 * v, bars[i].note ? "  " : "",
                 bars[i].note ? bars[i].note : "");
        svg_text(out, svg_map(&sx, v) + 6, y + 17, "start", 11.5, SVG_INK, NULL, val);
    }
    svg_axis_x(out, &sx, B, ticks, 6, 0.2, UNIT_SHARE, NULL, NULL, NAN);
    svg_close(out);
    return 0;
}

/* ------------------------------------------------------------- tornado */

/* A value beside a bar: the caller's format, else a tick label with a
 * tenth of the axis' step. */
static const char *tornado_value(const chart_tornado *t, char *buf, size_t size, double v,
                                 double step) {
    if (t->format != NULL) return t->format(buf, size, v, t->ud);
    return svg_tick_label(buf, size, t->unit, t->currency, v, step / 10);
}

int chart_tornado_draw(FILE *out, const chart_tornado *t) {
    if (!isfinite(t->base) || t->rows == NULL) return -1;
    double lo = t->base, hi = t->base;
    size_t good = 0;
    for (size_t i = 0; i < t->n; i++)
        if (isfinite(t->rows[i].low) && isfinite(t->rows[i].high)) {
            good++;
            lo = fmin(lo, fmin(t->rows[i].low, t->rows[i].high));
            hi = fmax(hi, fmax(t->rows[i].low, t->rows[i].high));
        }
    if (good == 0) return -1;
    /* Room at both ends for the values written beside the bars. */
    const double pad = hi > lo ? 0.14 * (hi - lo) : (fabs(lo) > 0 ? 0.1 * fabs(lo) : 1);
    double xt[32], xs, xlo, xhi;
    size_t nx = ticks_for(lo - pad, hi + pad, 8, xt, &xs, &xlo, &xhi);
    if (nx == 0) return -1;
    const double W = t->w > 0 ? t->w : 960, row = 30, L = 300, R = W - 16;
    char base[48], val[48], buf[96], base_label[160];
    tornado_value(t, base, sizeof base, t->base, xs);
    if (t->base_note != NULL)
        snprintf(base_label, sizeof base_label, "base %s, %.100s", base, t->base_note);
    else
        snprintf(base_label, sizeof base_label, "base %s", base);
    legend lg = {.n = 0};
    legend_add(&lg, KEY_BOX, SVG_BAND_IN, t->low_name);
    legend_add(&lg, KEY_BOX, SVG_MAIN, t->high_name);
    legend_add(&lg, KEY_LINE, SVG_INK, base_label);
    const double T = plot_top(legend_rows(&lg, 8, W - 8), NULL);
    const double B = T + row * (double)good + 6, H = B + 44;
    svg_scale sx = {xlo, xhi, L, R};
    svg_open(out, W, H, t->title);
    svg_axis_x(out, &sx, B, xt, nx, xs, t->unit, t->currency, t->x_title, T - 4);
    const double xb = svg_map(&sx, t->base);
    size_t r = 0;
    for (size_t i = 0; i < t->n; i++) {
        const chart_tornado_row *w = &t->rows[i];
        if (!isfinite(w->low) || !isfinite(w->high)) continue;
        const double y = T + row * (double)r++;
        svg_text(out, L - 10, y + 19, "end", 11.5, SVG_INK, NULL,
                 fit(buf, sizeof buf, w->label, 46));
        const double v[2] = {w->low, w->high};
        const char *colour[2] = {SVG_BAND_IN, SVG_MAIN};
        for (int s = 0; s < 2; s++) {
            const double x = svg_map(&sx, v[s]), yb = y + 5 + 10 * s;
            svg_rect(out, xb, yb, x - xb, 9, colour[s], "class=\"bar\"");
            tornado_value(t, val, sizeof val, v[s], xs);
            int right = v[s] >= t->base;
            svg_text(out, right ? fmax(x, xb) + 4 : fmin(x, xb) - 4, yb + 8.5,
                     right ? "start" : "end", 9.5, SVG_MUTED, NULL, val);
        }
    }
    svg_line(out, xb, T - 4, xb, B, SVG_INK, 1.5, NULL);
    legend_draw(out, &lg, 8, 14, W - 8);
    svg_close(out);
    return 0;
}
