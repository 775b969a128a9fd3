/* svg.c -- escaped text, finite shapes, scales and round ticks. See svg.h. */
#include "svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

/* ------------------------------------------------------------- writing */

void svg_escape(FILE *out, const char *s) {
    if (s == NULL) return;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default:
            if (*p < 0x20 && *p != '\t' && *p != '\n')
                fputc(' ', out);
            else
                fputc(*p, out);
        }
    }
}

int svg_all_finite(const double *x, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) return 0;
    return 1;
}

/* A coordinate or length: two decimals, no "-0.00". Only finite values
 * reach here (every caller checks). */
static void num(FILE *out, double x) {
    if (fabs(x) < 0.005) x = 0;
    fprintf(out, "%.2f", x);
}

void svg_open(FILE *out, double w, double h, const char *title) {
    if (!isfinite(w) || w <= 0) w = 100;
    if (!isfinite(h) || h <= 0) h = 100;
    fputs("<svg viewBox=\"0 0 ", out);
    num(out, w);
    fputc(' ', out);
    num(out, h);
    fputs("\" width=\"", out);
    num(out, w);
    fputs("\" height=\"", out);
    num(out, h);
    fputs("\" role=\"img\" aria-label=\"", out);
    svg_escape(out, title);
    fputs("\" font-family=\"Helvetica, Arial, sans-serif\" style=\"max-width:100%;height:auto\">"
          "<title>",
          out);
    svg_escape(out, title);
    fputs("</title>\n", out);
}

void svg_close(FILE *out) { fputs("</svg>\n", out); }

void svg_rect(FILE *out, double x, double y, double w, double h, const char *fill,
              const char *extra) {
    if (!isfinite(x) || !isfinite(y) || !isfinite(w) || !isfinite(h)) return;
    if (w < 0) x += w, w = -w;
    if (h < 0) y += h, h = -h;
    fputs("<rect x=\"", out);
    num(out, x);
    fputs("\" y=\"", out);
    num(out, y);
    fputs("\" width=\"", out);
    num(out, w);
    fputs("\" height=\"", out);
    num(out, h);
    fputs("\" fill=\"", out);
    svg_escape(out, fill);
    fputc('"', out);
    if (extra != NULL) fprintf(out, " %s", extra);
    fputs("/>\n", out);
}

static void stroke_attrs(FILE *out, const char *stroke, double width, const char *dash) {
    fputs(" fill=\"none\" stroke=\"", out);
    svg_escape(out, stroke);
    fputs("\" stroke-width=\"", out);
    num(out, isfinite(width) && width > 0 ? width : 1);
    fputc('"', out);
    if (dash != NULL) {
        fputs(" stroke-dasharray=\"", out);
        svg_escape(out, dash);
        fputc('"', out);
    }
}

void svg_line(FILE *out, double x1, double y1, double x2, double y2, const char *stroke,
              double width, const char *dash) {
    if (!isfinite(x1) || !isfinite(y1) || !isfinite(x2) || !isfinite(y2)) return;
    fputs("<line x1=\"", out);
    num(out, x1);
    fputs("\" y1=\"", out);
    num(out, y1);
    fputs("\" x2=\"", out);
    num(out, x2);
    fputs("\" y2=\"", out);
    num(out, y2);
    fputc('"', out);
    stroke_attrs(out, stroke, width, dash);
    fputs("/>\n", out);
}

void svg_text(FILE *out, double x, double y, const char *anchor, double size, const char *fill,
              const char *weight, const char *text) {
    if (!isfinite(x) || !isfinite(y) || text == NULL) return;
    fputs("<text x=\"", out);
    num(out, x);
    fputs("\" y=\"", out);
    num(out, y);
    fputs("\" font-size=\"", out);
    num(out, isfinite(size) && size > 0 ? size : 11);
    fputs("\" fill=\"", out);
    svg_escape(out, fill);
    fputc('"', out);
    if (anchor != NULL && strcmp(anchor, "start") != 0) {
        fputs(" text-anchor=\"", out);
        svg_escape(out, anchor);
        fputc('"', out);
    }
    if (weight != NULL) {
        fputs(" font-weight=\"", out);
        svg_escape(out, weight);
        fputc('"', out);
    }
    fputc('>', out);
    svg_escape(out, text);
    fputs("</text>\n", out);
}

void svg_circle(FILE *out, double cx, double cy, double r, const char *fill) {
    if (!isfinite(cx) || !isfinite(cy) || !isfinite(r) || r <= 0) return;
    fputs("<circle cx=\"", out);
    num(out, cx);
    fputs("\" cy=\"", out);
    num(out, cy);
    fputs("\" r=\"", out);
    num(out, r);
    fputs("\" fill=\"", out);
    svg_escape(out, fill);
    fputs("\"/>\n", out);
}

void svg_polyline(FILE *out, const double *x, const double *y, size_t n, const char *stroke,
                  double width, const char *dash) {
    size_t i = 0;
    while (i < n) {
        /* One run of finite points. */
        while (i < n && !(isfinite(x[i]) && isfinite(y[i]))) i++;
        size_t j = i;
        while (j < n && isfinite(x[j]) && isfinite(y[j])) j++;
        if (j - i >= 2) {
            fputs("<polyline points=\"", out);
            for (size_t k = i; k < j; k++) {
                if (k > i) fputc(' ', out);
                num(out, x[k]);
                fputc(',', out);
                num(out, y[k]);
            }
            fputc('"', out);
            stroke_attrs(out, stroke, width, dash);
            fputs(" stroke-linejoin=\"round\"/>\n", out);
        }
        i = j;
    }
}

void svg_polygon(FILE *out, const double *x, const double *y, size_t n, const char *fill) {
    if (n < 3 || !svg_all_finite(x, n) || !svg_all_finite(y, n)) return;
    fputs("<polygon points=\"", out);
    for (size_t k = 0; k < n; k++) {
        if (k > 0) fputc(' ', out);
        num(out, x[k]);
        fputc(',', out);
        num(out, y[k]);
    }
    fputs("\" fill=\"", out);
    svg_escape(out, fill);
    fputs("\" stroke=\"none\"/>\n", out);
}

/* ------------------------------------------------------------- scales */

double svg_map(const svg_scale *s, double v) {
    double span = s->d1 - s->d0;
    if (!isfinite(v) || !isfinite(span) || span == 0) return NAN;
    double r = s->r0 + (v - s->d0) / span * (s->r1 - s->r0);
    return isfinite(r) ? r : NAN;
}

size_t svg_ticks(double lo, double hi, size_t max_ticks, double *ticks, size_t cap, double *step,
                 double *nlo, double *nhi) {
    if (!isfinite(lo) || !isfinite(hi)) return 0;
    if (lo > hi) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    /* An interval across 0 needs a tick on each side of it and one at 0. */
    if (max_ticks < 3) max_ticks = 3;
    if (hi == lo) {
        double d = lo != 0 ? fabs(lo) * 0.1 : 1;
        lo -= d;
        hi += d;
    }
    double span = hi - lo;
    if (!isfinite(span) || span <= 0) return 0;
    double mag = pow(10, floor(log10(span / (double)(max_ticks - 1))));
    /* 1, 2, 5, 10, 20, 50, ... times mag: the first step that needs no
     * more than max_ticks ticks (an interval that straddles a power of ten
     * can need a step far above its span / max_ticks). */
    static const double mult[] = {1, 2, 5};
    double s = 0, i0 = 0, i1 = 0;
    int found = 0;
    for (int d = 0; d < 40 && !found; d++) {
        for (size_t k = 0; k < 3 && !found; k++) {
            s = mult[k] * mag * pow(10, d);
            /* A value within a billionth of a step of a multiple is on it. */
            i0 = floor(lo / s + 1e-9);
            i1 = ceil(hi / s - 1e-9);
            found = i1 > i0 && i1 - i0 + 1 <= (double)max_ticks;
        }
    }
    if (!found) return 0;
    if (!isfinite(s) || s <= 0 || !isfinite(i0) || !isfinite(i1)) return 0;
    *step = s;
    *nlo = i0 * s;
    *nhi = i1 * s;
    size_t n = 0;
    for (double i = i0; i <= i1 && n < cap; i++) {
        double t = i * s;
        ticks[n++] = i == 0 ? 0.0 : t; /* never -0 */
    }
    return n;
}

/* Decimals a label needs to tell ticks `step` apart: 0 for a whole step. */
static int decimals_for(double step) {
    if (!isfinite(step) || step <= 0 || step >= 1 - 1e-9) return 0;
    int d = (int)ceil(-log10(step) - 1e-9);
    return d < 0 ? 0 : d > 6 ? 6 : d;
}

const char *svg_tick_label(char *buf, size_t size, metric_unit unit, const char *currency, double v,
                           double step) {
    if (!isfinite(v)) {
        snprintf(buf, size, "n/a");
        return buf;
    }
    if (fabs(v) < fabs(step) * 1e-9) v = 0;
    switch (unit) {
    case UNIT_RATE:
    case UNIT_SHARE: snprintf(buf, size, "%.*f%%", decimals_for(step * 100), v * 100); break;
    case UNIT_MULTIPLE: snprintf(buf, size, "%.*fx", decimals_for(step), v); break;
    case UNIT_COUNT: snprintf(buf, size, "%.*f", decimals_for(step), v); break;
    case UNIT_MONEY: {
        const char *sym = currency ? present_currency_symbol(currency) : "";
        char prefix[16];
        if (sym != NULL)
            snprintf(prefix, sizeof prefix, "%s", sym);
        else
            snprintf(prefix, sizeof prefix, "%.7s ", currency);
        double a = fabs(v), scale = 1;
        const char *suffix = "";
        if (a >= 1e12)
            scale = 1e12, suffix = "tn";
        else if (a >= 1e9)
            scale = 1e9, suffix = "bn";
        else if (a >= 1e6)
            scale = 1e6, suffix = "m";
        else if (a >= 1e3)
            scale = 1e3, suffix = "k";
        if (v == 0)
            snprintf(buf, size, "%s0", prefix);
        else
            snprintf(buf, size, "%s%s%.*f%s", v < 0 ? "-" : "", prefix, decimals_for(step / scale),
                     a / scale, suffix);
        break;
    }
    }
    return buf;
}

/* ---------------------------------------------------------------- axes */

void svg_axis_x(FILE *out, const svg_scale *x, double y_axis, const double *ticks, size_t n,
                double step, metric_unit unit, const char *currency, const char *title,
                double grid_top) {
    char buf[48];
    for (size_t k = 0; k < n; k++) {
        double px = svg_map(x, ticks[k]);
        if (!isfinite(px)) continue;
        if (isfinite(grid_top)) svg_line(out, px, grid_top, px, y_axis, SVG_GRID, 1, NULL);
        svg_line(out, px, y_axis, px, y_axis + 4, SVG_AXIS, 1, NULL);
        svg_text(out, px, y_axis + 16, "middle", 11, SVG_MUTED, NULL,
                 svg_tick_label(buf, sizeof buf, unit, currency, ticks[k], step));
    }
    svg_line(out, x->r0, y_axis, x->r1, y_axis, SVG_AXIS, 1, NULL);
    if (title != NULL)
        svg_text(out, (x->r0 + x->r1) / 2, y_axis + 33, "middle", 11.5, SVG_INK, NULL, title);
}

void svg_axis_y(FILE *out, const svg_scale *y, double x_axis, const double *ticks, size_t n,
                double step, metric_unit unit, const char *currency, const char *title,
                double grid_right) {
    char buf[48];
    for (size_t k = 0; k < n; k++) {
        double py = svg_map(y, ticks[k]);
        if (!isfinite(py)) continue;
        if (isfinite(grid_right)) svg_line(out, x_axis, py, grid_right, py, SVG_GRID, 1, NULL);
        svg_line(out, x_axis - 4, py, x_axis, py, SVG_AXIS, 1, NULL);
        svg_text(out, x_axis - 7, py + 4, "end", 11, SVG_MUTED, NULL,
                 svg_tick_label(buf, sizeof buf, unit, currency, ticks[k], step));
    }
    svg_line(out, x_axis, y->r0, x_axis, y->r1, SVG_AXIS, 1, NULL);
    if (title != NULL) {
        double top = y->r0 < y->r1 ? y->r0 : y->r1;
        svg_text(out, x_axis - 40, top - 12, "start", 11.5, SVG_INK, NULL, title);
    }
}
