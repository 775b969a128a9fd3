/* views.c -- the five views of the terminal UI's results pane: the
 * financing structures side by side, a histogram with its axes, the stage
 * funnel, the tornado and before / after the edits. Each writes rows of a
 * pane (draw.c), which cuts them to the pane's width in display columns
 * and scrolls what does not fit; no curses here. Values are formatted by
 * present/, columns padded by display width (present_cell), so that "£"
 * and "€" keep the columns.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../present/format.h"
#include "../present/svg.h"
#include "../present/term.h"
#include "../present/text.h"
#include "app.h"

static const snap_metric *find_snap(const snapshot *s, metric_role role, const char *group,
                                    const char *key) {
    for (size_t i = 0; i < s->n; i++)
        if (s->m[i].info.role == role && strcmp(s->m[i].info.group, group) == 0 &&
            strcmp(s->m[i].info.key, key) == 0)
            return &s->m[i];
    return NULL;
}

/* m's value x, its money in currency cur (the run's whose figure it is). */
static const char *value_text(char *buf, size_t size, const char *cur, const snap_metric *m,
                              double x) {
    if (m == NULL) {
        if (size) buf[0] = '\0';
        return buf;
    }
    metric_unit u = m->info.kind == METRIC_INDICATOR ? UNIT_SHARE : m->info.unit;
    return present_value(buf, size, cur, u, x);
}

/* A change in m, or its standard error (se): percentage points for shares
 * and rates (present_change), an SE as compare's (present_change_se: one
 * more digit for a share, a rate or a multiple, whose SE is often below
 * the change's last digit). The column's head says "+- SE": the value is
 * written without compare's "±". */
static const char *change_text(char *buf, size_t size, const char *cur, const snap_metric *m,
                               double x, int se) {
    metric_unit u = m->info.kind == METRIC_INDICATOR ? UNIT_SHARE : m->info.unit;
    if (se && !isnan(x)) {
        char t[64];
        present_change_se(t, sizeof t, cur, u, x);
        const char *v = present_se_unsigned(t);
        snprintf(buf, size, "%.*s", APP_CUT(v, 40)); /* "£" and "€" are 2 and 3 bytes */
        return buf;
    }
    return present_change(buf, size, cur, u, x);
}

/* s right-aligned in w columns at (row, col); one wider (the layouts keep
 * values within their columns) ends in the marker. */
static void put_right(pane *p, int row, int col, int w, const char *s, int how) {
    char fit[200], cell[200];
    tui_fit(fit, sizeof fit, s, w, app_unicode());
    pane_put(p, row, col, w, present_cell(cell, sizeof cell, fit, w, 1), how);
}

/* How many of n value columns, each cw wide, fit beside a label column of
 * *lw in a pane W wide (1 at the least: the label column then narrows to
 * leave room for one). Tables whose columns do not all fit are drawn in
 * blocks of that many columns, one under the other: a value column is
 * never cut at the pane's edge. */
static int columns_that_fit(int W, int *lw, int cw, int n) {
    if (*lw > W - cw) *lw = W - cw > 1 ? W - cw : 1;
    int per = (W - *lw) / cw;
    return per < 1 ? 1 : per > n ? n : per;
}

/* Text word-wrapped to the pane's width from `row`; returns the next row. */
static int put_wrapped_as(pane *p, int row, int col, const char *s, int attr) {
    for (const char *q = s, *next; *q; q = next) {
        size_t k = present_line(q, p->r.w - col, &next);
        char line[600];
        snprintf(line, sizeof line, "%.*s", (int)k, q);
        pane_put(p, row++, col, p->r.w - col, line, attr);
    }
    return row;
}
static int put_wrapped(pane *p, int row, int col, const char *s) {
    return put_wrapped_as(p, row, col, s, PANE_PLAIN);
}

size_t app_structures(const snapshot *s, const char **groups, size_t most) {
    size_t ng = 0;
    for (size_t i = 0; i < s->n && ng < most; i++)
        if (s->m[i].info.role == ROLE_TWIN && strcmp(s->m[i].info.key, "commissioner.total") == 0)
            groups[ng++] = s->m[i].info.group;
    return ng;
}

/* ---------------------------------------------------------- 1. results */

/* Structures side by side: the mean of each key measure (edited scenario).
 * Structures that do not fit across the pane follow below, in blocks. */
void view_results(app *a, const snapshot *s, pane *p) {
    (void)a; /* what it draws is the snapshot's, its currency too */
    static const struct {
        const char *key, *label;
    } rows[] = {{"commissioner.total", "Commissioner pays"},
                {"commissioner.pv", "  present value"},
                {"commissioner.cost_per_true_outcome", "Cost per true outcome"},
                {"commissioner.spent_without_effect", "Spent, nothing improved"},
                {"net_value", "Net value"},
                {"provider.surplus", "Provider surplus"},
                {"provider.p_loss", "P(provider loss)"}};
    const size_t nr = sizeof rows / sizeof rows[0];
    /* A title cut at the pane's edge hid what the figures are ("...
     * (means over the …" at 80 x 24): it goes on over a second row. */
    const int head = pane_heading(p, "Financing structures compared (means over the same futures)",
                                  "Structures compared: means");
    const char *groups[16];
    size_t ng = app_structures(s, groups, 16);
    const int W = p->r.w;
    int row = head + 1;
    char v[48], lab[64];
    if (ng == 0) {
        pane_put(p, row, 0, W, "No financing structure: see the contract's payments.", PANE_PLAIN);
        row += 2;
    } else {
        /* Labels as wide as they need (at most 26 columns); a column as
         * wide as its widest value and two spaces; as many structures side
         * by side as fit, the rest in blocks below. A structure's name
         * takes up to three lines over its column. */
        int lw = 0, vw = 6;
        for (size_t k = 0; k < nr; k++) {
            int w = present_width(rows[k].label) + 1;
            if (w > lw) lw = w;
            for (size_t g = 0; g < ng; g++) {
                const snap_metric *m = find_snap(s, ROLE_TWIN, groups[g], rows[k].key);
                int w2 = present_width(value_text(v, sizeof v, s->currency, m, m ? m->s.mean : NAN));
                if (w2 > vw) vw = w2;
            }
        }
        if (lw > 26) lw = 26;
        /* A structure's name on one line when every column fits so, else
         * over lines no narrower than its longest word. */
        int longest = 0, word = 0;
        for (size_t g = 0; g < ng; g++) {
            int nw = present_width(groups[g]);
            if (nw > longest) longest = nw;
            for (const char *q = groups[g]; *q;) {
                size_t k = strcspn(q, " ");
                int ww = present_width_n(q, k);
                if (ww > word) word = ww;
                q += k;
                while (*q == ' ') q++;
            }
        }
        int cw = vw + 2 > longest + 1 ? vw + 2 : longest + 1;
        if (cw > 17) cw = 17;
        if (lw + cw * (int)ng > W) cw = vw + 2 > word + 1 ? vw + 2 : word + 1;
        if (cw < 11) cw = 11;
        if (cw > 17) cw = 17;
        if (lw > W - cw) lw = W - cw;
        size_t per = W > lw + cw ? (size_t)((W - lw) / cw) : 1;
        for (size_t g0 = 0; g0 < ng; g0 += per) {
            size_t g1 = g0 + per < ng ? g0 + per : ng;
            int lines = 1;
            for (size_t g = g0; g < g1; g++) {
                int n = 0;
                for (const char *q = groups[g], *next; *q && n < 3; q = next, n++) {
                    size_t k = present_line(q, cw - 1, &next);
                    char part[200];
                    snprintf(part, sizeof part, "%.*s", (int)k, q);
                    put_right(p, row + n, lw + (int)(g - g0) * cw, cw - 1, part, PANE_BOLD);
                }
                if (n > lines) lines = n;
            }
            row += lines;
            for (size_t k = 0; k < nr; k++) {
                snprintf(lab, sizeof lab, "%s", rows[k].label);
                pane_put(p, row, 0, lw - 1, lab, PANE_PLAIN);
                for (size_t g = g0; g < g1; g++) {
                    const snap_metric *m = find_snap(s, ROLE_TWIN, groups[g], rows[k].key);
                    value_text(v, sizeof v, s->currency, m, m ? m->s.mean : NAN);
                    put_right(p, row, lw + (int)(g - g0) * cw, cw - 1, m && m->s.n ? v : "-",
                              PANE_PLAIN);
                }
                row++;
            }
            row++;
        }
        /* Investors: every tranche's IRR of the expected cash flows (the
         * deal memo's expected return), the mean of each future's IRR,
         * P(loss) given capital was drawn, and the expected multiple. */
        static const char *const heads[] = {"exp. IRR", "mean IRR", "P(loss)", "E mult"};
        const int icw = W < 60 ? 9 : 10;
        int ilw = W - 4 * icw;
        if (ilw > 30) ilw = 30;
        if (ilw < 10) ilw = 10;
        const int iper = columns_that_fit(W, &ilw, icw, 4);
        /* A future's IRR is not always defined (nothing drawn, several
         * IRRs, no rate that gives a zero NPV): the mean IRR is over those
         * that have one, which the head alone does not say. */
        int some_without = 0;
        for (size_t i = 0; i < s->n; i++) {
            size_t kl = strlen(s->m[i].info.key);
            some_without |= s->m[i].info.role == ROLE_TWIN && kl >= 4 &&
                            strcmp(s->m[i].info.key + kl - 4, ".irr") == 0 && s->m[i].s.undefined > 0;
        }
        for (int c0 = 0; c0 < 4; c0 += iper) {
            const int c1 = c0 + iper < 4 ? c0 + iper : 4;
            int any = 0;
            for (size_t i = 0; i < s->n; i++) {
                const snap_metric *m = &s->m[i];
                size_t kl = strlen(m->info.key);
                if (m->info.role != ROLE_TWIN || kl < 4 ||
                    strcmp(m->info.key + kl - 4, ".irr") != 0)
                    continue;
                if (!any) {
                    pane_put(p, row, 0, ilw - 1, "Investors", PANE_BOLD);
                    for (int k = c0; k < c1; k++)
                        put_right(p, row, ilw + (k - c0) * icw, icw - 1, heads[k], PANE_BOLD);
                    row++;
                    any = 1;
                }
                char stem[300], k1[320], k2[320], k3[320], name[400], cells[4][48];
                snprintf(stem, sizeof stem, "%.*s", (int)(kl - 4), m->info.key);
                snprintf(k1, sizeof k1, "%s.pooled_irr", stem);
                snprintf(k2, sizeof k2, "%s.p_loss_given_drawn", stem);
                snprintf(k3, sizeof k3, "%s.expected_moic", stem);
                const snap_metric *po = find_snap(s, ROLE_TWIN, m->info.group, k1);
                const snap_metric *pl = find_snap(s, ROLE_TWIN, m->info.group, k2);
                const snap_metric *mo = find_snap(s, ROLE_TWIN, m->info.group, k3);
                snprintf(name, sizeof name, "%s%s%s", ng > 1 ? m->info.group : "",
                         ng > 1 ? ": " : "", stem);
                if (present_width(name) > ilw - 1)
                    row = put_wrapped(p, row, 0, name);
                else
                    pane_put(p, row, 0, ilw - 1, name, PANE_PLAIN);
                value_text(cells[0], sizeof cells[0], s->currency, po, po ? po->s.mean : NAN);
                value_text(cells[1], sizeof cells[1], s->currency, m, m->s.mean);
                value_text(cells[2], sizeof cells[2], s->currency, pl, pl ? pl->s.mean : NAN);
                value_text(cells[3], sizeof cells[3], s->currency, mo, mo ? mo->s.mean : NAN);
                for (int k = c0; k < c1; k++)
                    put_right(p, row, ilw + (k - c0) * icw, icw - 1, cells[k], PANE_PLAIN);
                row++;
            }
            /* The heads are short: P(loss) is not over every future. */
            if (any && some_without && c0 <= 1 && 1 < c1)
                row = put_wrapped(p, row, 0, "  mean IRR: over the futures that have an IRR (not all do)");
            if (any && c0 <= 2 && 2 < c1) row = put_wrapped(p, row, 0, "  P(loss): given capital was drawn");
            if (any) row++;
        }
    }
    const snap_metric *pay = find_snap(s, ROLE_TWIN, "commissioner", "payments.total");
    const snap_metric *pany = find_snap(s, ROLE_TWIN, "commissioner", "payments.any");
    if (pay) {
        char v1[48], v2[48], v3[48], line[300];
        snprintf(line, sizeof line, "Outcome payments %s (p95 %s), P(any) %s",
                 value_text(v1, sizeof v1, s->currency, pay, pay->s.mean),
                 value_text(v2, sizeof v2, s->currency, pay, pay->s.p95),
                 value_text(v3, sizeof v3, s->currency, pany, pany ? pany->s.mean : NAN));
        put_wrapped(p, row, 0, line);
    }
}

/* -------------------------------------------------------- 2. histogram */

/* The share of futures written for an axis: "38%", "4.5%", "0%". */
static const char *share(char *buf, size_t size, double x) {
    snprintf(buf, size, x >= 0.095 || x == 0 ? "%.0f%%" : "%.1f%%", 100 * x);
    return buf;
}

/* The distribution of one metric: columns over its range, a y axis of the
 * share of futures (at the top, the middle and 0), an x axis with the
 * values at its ends and middle, the 5th, 50th and 95th percentiles
 * marked under it, and their values. The pane is drawn to its height. */
void view_histogram(app *a, const snapshot *s, pane *p) {
    (void)a; /* what it draws is the snapshot's, its currency too */
    char line[460];
    snprintf(line, sizeof line, "(m: next metric)  %s", s->hist_label[0] ? s->hist_label : "no distribution");
    const int W = p->r.w, H = p->r.h, uni = app_unicode();
    /* A title too long for the pane goes on over a second line: the
     * metric's measure comes last ("... GS Social Impact Fund IRR, future
     * by future"), and cut at one line an IRR and a money multiple of the
     * same tranche read the same ("Roca PFS capital: GS Social …" at 80 x
     * 24). When the two lines do not hold it all, the measure has the
     * second line to itself, and the first holds whose it is, shortened in
     * its middle, after the hint only when that fits. */
    int title_rows = 1;
    if (present_width(line) > W) {
        const char *rest;
        size_t k = present_line(line, W, &rest);
        char first[460], whose[460], fit[460];
        snprintf(first, sizeof first, "%.*s", (int)k, line);
        if (present_width(rest) > W && s->hist_label[0]) {
            const char *measure = s->hist_label + s->hist_measure;
            size_t wn = s->hist_measure;
            while (wn > 0 && (s->hist_label[wn - 1] == ' ' || s->hist_label[wn - 1] == ':')) wn--;
            snprintf(whose, sizeof whose, "%.*s", (int)wn, s->hist_label);
            snprintf(first, sizeof first, "(m: next metric)  %.*s", APP_CUT(whose, 400));
            if (present_width(first) > W)
                snprintf(first, sizeof first, "%s", tui_fit_middle(fit, sizeof fit, whose, W, uni));
            rest = tui_fit(fit, sizeof fit, measure, W, uni);
        }
        pane_title(p, first);
        pane_put(p, 1, 0, W, rest, PANE_BOLD);
        title_rows = 2;
    } else {
        pane_title(p, line);
    }
    if (s->hist_label[0] == '\0') return;
    if (H < 10 || W < 24) {
        /* No room for the chart: its percentiles, and why it is not drawn
         * (the pane showed its title and nothing else). */
        static const char *const qn[3] = {"p5", "median", "p95"};
        const double qv[3] = {s->hist_p05, s->hist_p50, s->hist_p95};
        char v[48], item[3][64];
        for (int k = 0; k < 3; k++)
            snprintf(item[k], sizeof item[k], "%s %s", qn[k],
                     present_value(v, sizeof v, s->currency, (metric_unit)s->hist_unit, qv[k]));
        const char *items[3] = {item[0], item[1], item[2]};
        pane_put(p, title_rows, 0, W, tui_join_fit(line, sizeof line, items, 3, W), PANE_PLAIN);
        put_wrapped(p, title_rows + 1, 0, "The chart needs a pane of 10 rows and 24 columns: enlarge the terminal.");
        return;
    }
    /* A metric defined in only some futures (an IRR where capital was
     * drawn) is binned over those: the shares are of them, not of every
     * future, and a line under the title says so (the staged template's
     * IRR is defined in a quarter of its futures). The chart moves down a
     * row for it, and for the title's second line. */
    const int below = title_rows - 1 + (s->hist_undefined > 0);
    if (s->hist_undefined > 0) {
        char n1[32], n2[32];
        snprintf(line, sizeof line, "over the %s of %s futures with a value",
                 present_count(n1, sizeof n1, (unsigned long long)s->hist_n),
                 present_count(n2, sizeof n2, (unsigned long long)(s->hist_n + s->hist_undefined)));
        pane_put(p, title_rows, 0, W, line, PANE_PLAIN);
    }
    /* Chart rows 1..height (moved down by the rows above); "100% " and the axis. */
    const int height = H - 6 - below, yw = 6;
    const int avail = W - yw - 1;
    /* Re-bin to the width available: the snapshot's bins merged, `per` to
     * a column, as few as fill three quarters of the width. */
    double frac[HBINS], top = 0;
    int per = 1, nb = HBINS;
    while (per < HBINS && (avail / nb < 1 || nb * (avail / nb) < 3 * avail / 4)) {
        per++;
        nb = (HBINS + per - 1) / per;
    }
    for (int b = 0; b < nb; b++) {
        frac[b] = 0;
        for (int k = b * per; k < (b + 1) * per && k < HBINS; k++) frac[b] += s->hist[k];
        top = fmax(top, frac[b]);
    }
    int eighths[HBINS], cells[HBINS];
    tui_bar_eighths(frac, nb, height, eighths);
    tui_bar_heights(frac, nb, height, cells);
    int cw = avail / nb;
    if (cw < 1) cw = 1;
    const int x0 = yw + 1, span = nb * cw; /* the first column of bars, and their width */
    for (int b = 0; b < nb; b++)
        for (int h = 0; h < height; h++) {
            const char *c = uni ? present_vcell(eighths[b] - 8 * h, 1) : h < cells[b] ? "#" : " ";
            if (strcmp(c, " ") == 0) continue;
            for (int k = 0; k < cw - (cw > 1); k++)
                pane_put(p, below + height - h, x0 + b * cw + k, 1, c, PANE_BAR);
        }
    /* The y axis: the share of futures at the top, the middle and 0. */
    const char *vline = uni ? "│" : "|", *tick = uni ? "┤" : "+";
    int mid = 1 + height / 2;
    for (int row = 1; row <= height; row++) {
        int labelled = row == 1 || row == mid;
        if (labelled) {
            double at = top * (double)(height - row + 1) / height;
            put_right(p, below + row, 0, yw - 1, share(line, sizeof line, at), PANE_PLAIN);
        }
        pane_put(p, below + row, yw, 1, labelled ? tick : vline, PANE_PLAIN);
    }
    /* The x axis, its ticks under the ends and the middle, and their values. */
    const int axis = below + height + 1;
    put_right(p, axis, 0, yw - 1, "0%", PANE_PLAIN);
    pane_put(p, axis, yw, 1, uni ? "└" : "+", PANE_PLAIN);
    for (int k = 0; k < span; k++) {
        int at_tick = k == 0 || k == span / 2 || k == span - 1;
        pane_put(p, axis, x0 + k, 1, at_tick ? (uni ? "┴" : "+") : (uni ? "─" : "-"), PANE_PLAIN);
    }
    char lo[48], hi[48], md[48];
    metric_unit u = (metric_unit)s->hist_unit;
    present_value(lo, sizeof lo, s->currency, u, s->hist_lo);
    present_value(hi, sizeof hi, s->currency, u, s->hist_hi);
    present_value(md, sizeof md, s->currency, u, 0.5 * (s->hist_lo + s->hist_hi));
    /* A narrow spread (a senior tranche's IRR, nearly always its coupon)
     * read "5.0%  5.0%  5.0%" under the axis: labels that do not differ
     * take the digits the half-range needs ("4.96%  4.98%  5.00%"). */
    if (s->hist_hi > s->hist_lo &&
        (strcmp(lo, hi) == 0 || strcmp(lo, md) == 0 || strcmp(md, hi) == 0)) {
        const double half = 0.5 * (s->hist_hi - s->hist_lo);
        svg_tick_label(lo, sizeof lo, u, s->currency, s->hist_lo, half);
        svg_tick_label(hi, sizeof hi, u, s->currency, s->hist_hi, half);
        svg_tick_label(md, sizeof md, u, s->currency, s->hist_lo + half, half);
    }
    /* The ends first, then the middle where it leaves a space each side:
     * a value that does not fit is left out whole, never cut. */
    const char *ends[3] = {lo, hi, md};
    int want[3], len[3] = {present_width(lo), present_width(hi), present_width(md)}, at[3];
    want[0] = x0, want[1] = x0 + span - len[1], want[2] = x0 + span / 2 - len[2] / 2;
    tui_place_labels(3, want, len, W, 1, at);
    for (int k = 0; k < 3; k++)
        if (at[k] >= 0) pane_put(p, axis + 1, at[k], len[k], ends[k], PANE_PLAIN);
    /* The percentiles under the axis: a caret at each, named on the next
     * line where the names do not collide (a name at the pane's edge moves
     * left to stay whole). */
    const double q[3] = {s->hist_p05, s->hist_p50, s->hist_p95};
    const char *qn[3] = {"p5", "p50", "p95"};
    for (int k = 0; k < 3; k++) {
        want[k] = x0 + tui_bin_of(q[k], s->hist_lo, s->hist_hi, nb) * cw;
        len[k] = (int)strlen(qn[k]);
        pane_put(p, axis + 2, want[k], 1, "^", PANE_PLAIN);
    }
    tui_place_labels(3, want, len, W, 1, at);
    for (int k = 0; k < 3; k++)
        if (at[k] >= 0) pane_put(p, axis + 3, at[k], len[k], qn[k], PANE_PLAIN);
    /* Their values, each whole: closer together, or fewer, when narrow. */
    static const char *const qlabel[3] = {"p5", "median", "p95"};
    char v[48], item[3][64];
    for (int k = 0; k < 3; k++)
        snprintf(item[k], sizeof item[k], "%s %s", qlabel[k],
                 present_value(v, sizeof v, s->currency, u, q[k]));
    const char *items[3] = {item[0], item[1], item[2]};
    pane_put(p, H - 1, 0, W, tui_join_fit(line, sizeof line, items, 3, W), PANE_PLAIN);
}

/* ----------------------------------------------------------- 3. funnel */

void view_funnel(app *a, const snapshot *s, pane *p) {
    (void)a; /* what it draws is the snapshot's, its currency too */
    const int title = pane_heading(p, "Stage funnel: share of futures reaching each stage",
                                   "Share of futures reaching each stage");
    /* The stages' names as wide as the longest (24 columns at the least),
     * up to half the pane; a longer one ends in the marker (pane_put). */
    const int W = p->r.w, uni = app_unicode();
    int lw = 24;
    for (size_t i = 0; i < s->n; i++)
        if (s->m[i].info.role == ROLE_TWIN && strncmp(s->m[i].info.key, "stage.", 6) == 0 &&
            present_width(s->m[i].info.label) + 1 > lw)
            lw = present_width(s->m[i].info.label) + 1;
    if (lw > W / 2) lw = W / 2;
    int row = title + 1;
    for (size_t i = 0; i < s->n; i++) {
        const snap_metric *m = &s->m[i];
        if (m->info.role != ROLE_TWIN || strncmp(m->info.key, "stage.", 6) != 0) continue;
        char bar[512], pct[32];
        pane_put(p, row, 0, lw - 1, m->info.label, PANE_PLAIN);
        int bw = W - lw - 8;
        present_hbar(bar, sizeof bar, m->s.mean, bw > 0 ? bw : 0, uni);
        pane_put(p, row, lw, bw, bar, PANE_BAR);
        snprintf(pct, sizeof pct, " %.1f%%", 100 * m->s.mean);
        pane_put(p, row, lw + present_width(bar), 8, pct, PANE_PLAIN);
        row += 2;
    }
    const char *keys[] = {"participants", "cost.delivery", "failed"};
    int head = 0;
    for (size_t k = 0; k < 3; k++) {
        const snap_metric *m = find_snap(s, ROLE_TWIN, "programme", keys[k]);
        if (m == NULL) continue;
        /* Means over every future, and said so: "Participants enrolled
         * 1,325" read as the programme's size, where the regional
         * template plans 8,400 and most futures stop after the pilot. */
        if (!head++) pane_put(p, row++, 0, W, "Means over every future:", PANE_BOLD);
        /* The label in 24 columns, fewer when the value would not fit
         * beside it: the value is whole, the label ends in the marker. */
        char v[48], cell[200], line[300];
        value_text(v, sizeof v, s->currency, m, m->s.mean);
        int cw = W - present_width(v) - 1 < 24 ? W - present_width(v) - 1 : 24;
        char fit[200];
        tui_fit(fit, sizeof fit, m->info.label, cw, uni);
        snprintf(line, sizeof line, "%s %s", present_cell(cell, sizeof cell, fit, cw, 0), v);
        pane_put(p, row++, 0, W, line, PANE_PLAIN);
    }
}

/* ---------------------------------------------------------- 4. tornado */

void view_tornado(app *a, pane *p) {
    char line[600];
    /* Out of date (the scenario edited since it ran): said first in the
     * title too, which stays when the rows below it scroll. */
    int stale = 0;
    if (a->n_bars > 0 && !a->tornado_running && !a->tornado_error[0]) {
        char *now = scenario_doc_text(a->doc);
        stale = a->tornado_of == NULL || now == NULL || strcmp(now, a->tornado_of) != 0;
        free(now);
    }
    /* A title too long for the pane keeps its measure whole (".irr", or
     * the metric chosen with m): cut from the right, it read "Tornado of
     * Roca PFS capital/GS Social Impact F…" at 80 x 24. */
    const int uni = app_unicode();
    char whose[400], l1[600], l2[600];
    size_t at = a->tornado_metric[0] ? a->tornado_measure : 0;
    snprintf(whose, sizeof whose, "%.*s", (int)at, a->tornado_metric);
    /* Out of date, the head alone on a row when the pane is narrow: cut
     * there, it lost its "(t to redo)" ("Before your edits …" at 40
     * columns), so it is said in fewer words when it does not fit. */
    snprintf(line, sizeof line, "%sTornado of ", stale ? "Before your edits (t to redo): " : "");
    if (stale && present_width(line) - 1 > p->r.w)
        snprintf(line, sizeof line, "%s",
                 present_width("Stale (t to redo): Tornado of") > p->r.w
                     ? "Stale (t to redo) "
                     : "Stale (t to redo): Tornado of ");
    tui_title_lines(l1, l2, sizeof l1, line, whose,
                    a->tornado_metric[0] ? a->tornado_metric + at : "(press t)", p->r.w, uni);
    const int head = pane_title2(p, l1, l2), top_row = head - 1;
    if (a->tornado_running) {
        put_wrapped(p, top_row + 2, 0, "computing: two runs of 4,096 paths per input and term ...");
        return;
    }
    if (a->tornado_error[0]) {
        put_wrapped(p, top_row + 2, 0, a->tornado_error);
        return;
    }
    if (a->n_bars == 0) {
        put_wrapped(p, top_row + 2, 0,
                    "Press t to rank the inputs (at P10/P90) and terms (+-10%) by how far they "
                    "move the histogram's metric.");
        return;
    }
    const int W = p->r.w;
    metric_unit u = (metric_unit)a->tornado_unit;
    /* Money in the currency of the scenario it ran on, not as edited since. */
    const char *cur = a->tornado_sc ? a->tornado_sc->currency : a->currency;
    char v[48];
    present_value(v, sizeof v, cur, u, a->tornado_base);
    /* What the bars are measured from, whole: too long for the pane, the
     * base on a row of its own and the rest wrapped (at 40 columns it was
     * cut to "base 1.6%; inputs …"). */
    snprintf(line, sizeof line, "base %s; inputs at P10/P90, terms +-10%%", v);
    int row = top_row + 2;
    if (present_width(line) <= W) {
        pane_put(p, top_row + 1, 0, W, line, PANE_PLAIN);
    } else {
        snprintf(line, sizeof line, "base %s", v);
        pane_put(p, top_row + 1, 0, W, line, PANE_PLAIN);
        row = put_wrapped(p, row, 0, "inputs at P10/P90, terms +-10%");
    }
    /* The tornado is not run again after an edit (it takes seconds): say
     * so when the scenario is no longer the one it ran on, lest its base
     * and swings be read as the edited scenario's. Wrapped, not cut. */
    if (stale)
        row = put_wrapped_as(p, row, 0, "Computed before your latest edits: t to redo", PANE_BOLD);
    else
        row++;
    double top = a->bars[0].swing;
    /* The swings' column as wide as the widest (10 at the least): a swing
     * of "CHF 12.50m" and its space, eleven, was cut to " CHF …". */
    int vw = 10;
    for (size_t i = 0; i < a->n_bars; i++) {
        int w = 1 + present_width(present_change(v, sizeof v, cur, u, a->bars[i].swing));
        if (w > vw) vw = w;
    }
    /* Names first; bars of 12 or more. */
    int lw = W - 12 - vw > W / 2 ? W - 12 - vw : W / 2;
    static char names[MAX_BARS][600];
    const char *list[MAX_BARS];
    for (size_t i = 0; i < a->n_bars; i++) {
        present_term_name(names[i], sizeof names[i], a->tornado_sc, a->bars[i].pointer);
        list[i] = names[i];
    }
    /* A column too narrow to tell the rows apart (8 columns at 40, where
     * every row read 'true ef…' or 'commitm…'): each name has a row of
     * its own, across the pane, above its bar, and the view scrolls by
     * whole bars. */
    const int stacked = tui_tornado_stacked(list, a->n_bars, lw - 1, uni);
    if (stacked) {
        lw = 1;
        p->item = row;
        p->per = 2;
        p->items = (int)a->n_bars;
        p->what = "bars";
    }
    for (size_t i = 0; i < a->n_bars; i++, row++) {
        /* A name too long keeps what tells the rows apart (cut from the
         * right, five rows read 'cost overrun of stage "…' at 80 x 24). */
        char fit[600], bar[512];
        if (stacked)
            pane_put(p, row++, 0, W, tui_term_label(fit, sizeof fit, names[i], W, uni), PANE_PLAIN);
        else
            pane_put(p, row, 0, lw - 1, tui_term_label(fit, sizeof fit, names[i], lw - 1, uni),
                     PANE_PLAIN);
        int bw = W - lw - vw;
        present_hbar(bar, sizeof bar, top > 0 ? a->bars[i].swing / top : 0, bw > 0 ? bw : 0, uni);
        pane_put(p, row, lw, bw, bar, PANE_BAR);
        snprintf(line, sizeof line, " %s", present_change(v, sizeof v, cur, u, a->bars[i].swing));
        pane_put(p, row, lw + present_width(bar), vw, line, PANE_PLAIN);
    }
}

/* ---------------------------------------------------------- 5. compare */

/* The before / after view: for each metric that changed, its mean before
 * and after the edits, the change and its paired SE. A row of a financing
 * structure is named "STRUCTURE: measure"; a label too long for its column
 * takes a line of its own above the values. */
/* The cells of metric i's before/after row (before, after, change, SE),
 * or 0 when it has none: not a metric of the scenario as loaded paired
 * with one as edited, or no change (a difference below a millionth of the
 * values is rounding, not a change). */
static int compare_cells(const snapshot *s, size_t i, char cells[4][48]) {
    const snap_metric *m = &s->m[i];
    if (m->info.role != ROLE_OWN || m->info.diff == SIZE_MAX || m->info.diff >= s->n) return 0;
    const snap_metric *b = &s->m[m->info.twin], *d = &s->m[m->info.diff];
    if (m->s.n == 0 && b->s.n == 0) return 0;
    double scale = fmax(fabs(m->s.mean), fabs(b->s.mean));
    /* A metric that some futures gain or lose (an IRR that is n/a after
     * the edits: nothing drawn any more) changed there too, though no
     * difference can be taken: left out, as it was, an edit that stops a
     * bond drawing capital did not show its investors at all, where
     * compare shows them going to n/a. */
    int gained_or_lost = isnan(m->s.mean) != isnan(b->s.mean) || d->s.n != m->s.n || d->s.n != b->s.n;
    if (!(fabs(d->s.mean) > 1e-6 * scale || d->s.sd > 1e-6 * scale || gained_or_lost)) return 0;
    /* Each run's figures in its own currency: after an edit of /currency
     * the before column showed the old run's amounts in the new one. The
     * change is the edited run's, in its currency. */
    value_text(cells[0], sizeof cells[0], s->currency_before, m, m->s.mean);
    value_text(cells[1], sizeof cells[1], s->currency, b, b->s.mean);
    change_text(cells[2], sizeof cells[2], s->currency, m, d->s.mean, 0);
    change_text(cells[3], sizeof cells[3], s->currency, m, d->s.se, 1);
    return 1;
}

void view_compare(app *a, const snapshot *s, pane *p) {
    const int head = pane_heading(p, "Before / after your edits, on common random numbers",
                                  "Before / after your edits");
    if (!a->dirty) {
        put_wrapped(p, head + 1, 0,
                    "No edits yet: change a value and this view shows what it changed.");
        return;
    }
    /* Columns at least as wide as the widest value and a space: a currency
     * written as a code ("AUD 12.93m", ten columns) did not fit the nine of
     * a narrow pane and every amount was cut to "AUD …". */
    const int W = p->r.w;
    int cw = W < 90 ? 9 : 11;
    char cells[4][48];
    size_t shown = 0;
    for (size_t i = 0; i < s->n; i++)
        if (compare_cells(s, i, cells)) {
            shown++;
            for (int k = 0; k < 4; k++)
                if (present_width(cells[k]) + 1 > cw) cw = present_width(cells[k]) + 1;
        }
    /* The sentence alone: the columns' headings stood above it, over no row. */
    if (shown == 0) {
        put_wrapped(p, head, 0, "Your edits change none of these measures.");
        return;
    }
    int lw = W - 4 * cw;
    if (lw > 40) lw = 40;
    if (lw < 10) lw = 10;
    static const char *const heads[] = {"before", "after", "change", "+- SE"};
    const int per = columns_that_fit(W, &lw, cw, 4);
    int row = head;
    for (int c0 = 0; c0 < 4; c0 += per) {
        const int c1 = c0 + per < 4 ? c0 + per : 4;
        if (c0 > 0) row++;
        for (int k = c0; k < c1; k++)
            put_right(p, row, lw + (k - c0) * cw, cw - 1, heads[k], PANE_PLAIN);
        row++;
        for (size_t i = 0; i < s->n; i++) {
            if (!compare_cells(s, i, cells)) continue;
            const snap_metric *m = &s->m[i];
            char label[700];
            int structure = strcmp(m->info.group, "programme") != 0 &&
                            strcmp(m->info.group, "commissioner") != 0;
            snprintf(label, sizeof label, "%s%s%s", structure ? m->info.group : "",
                     structure ? ": " : "", m->info.label);
            if (present_width(label) > lw - 1)
                row = put_wrapped(p, row, 0, label);
            else
                pane_put(p, row, 0, lw - 1, label, PANE_PLAIN);
            for (int k = c0; k < c1; k++)
                put_right(p, row, lw + (k - c0) * cw, cw - 1, cells[k], PANE_PLAIN);
            row++;
            /* A metric some futures lack (an IRR where nothing was drawn)
             * is averaged over different futures before and after, and
             * the change, future by future, over those that have both: it
             * is then not after - before (the staged bond's IRR fell by
             * 3.6 pp and its change read +0.2 pp), and compare says so. */
            const snap_metric *b = &s->m[m->info.twin], *d = &s->m[m->info.diff];
            if (c0 <= 2 && 2 < c1 && (d->s.n != m->s.n || d->s.n != b->s.n)) {
                char n0[32], n1[32], n2[32], note[200];
                snprintf(note, sizeof note,
                         "(change over the %s futures that have both; before over %s, after over %s)",
                         present_count(n0, sizeof n0, (unsigned long long)d->s.n),
                         present_count(n1, sizeof n1, (unsigned long long)m->s.n),
                         present_count(n2, sizeof n2, (unsigned long long)b->s.n));
                row = put_wrapped(p, row, 2, note);
            }
        }
    }
}
