/* draw.c -- drawing the terminal UI: the parameter tree, the results pane
 * in one of five views (structures side by side, a histogram, the stage
 * funnel, the tornado, before / after), the help, the message line and the
 * status line. Reads the app and the snapshot; changes nothing but the
 * tree's scroll position.
 */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../present/format.h"
#include "app.h"

/* ---------------------------------------------------------------- drawing */

static int use_colour;

void app_colour_init(void) {
    /* Colour only when the terminal has it and NO_COLOR is not set
     * (https://no-color.org): otherwise bold, reverse and '#'. */
    use_colour = has_colors() && getenv("NO_COLOR") == NULL;
    if (use_colour) {
        start_color();
        use_default_colors();
        init_pair(1, COLOR_CYAN, -1);
        init_pair(2, COLOR_GREEN, -1);
        init_pair(3, COLOR_RED, -1);
    }
}

static void put_clipped(int y, int x, int w, const char *s) {
    if (w <= 0) return;
    mvaddnstr(y, x, s, w);
}

static void draw_tree(app *a, const tui_rect *r) {
    a->top = tui_scroll(a->cursor, a->top, r->h, (int)a->n_nodes);
    for (int row = 0; row < r->h; row++) {
        int i = a->top + row;
        move(r->y + row, r->x);
        for (int k = 0; k < r->w; k++) addch(' ');
        if (i >= (int)a->n_nodes) continue;
        const doc_node *n = &a->nodes[i];
        char line[1024], val[420];
        switch (n->kind) {
        case DOC_OBJECT: snprintf(val, sizeof val, "{%d}", n->children); break;
        case DOC_ARRAY: snprintf(val, sizeof val, "[%d]", n->children); break;
        case DOC_NUMBER: doc_number_text(n->number, val, sizeof val); break;
        case DOC_STRING: snprintf(val, sizeof val, "\"%.400s\"", n->text); break;
        case DOC_BOOL: snprintf(val, sizeof val, "%s", n->boolean ? "true" : "false"); break;
        case DOC_NULL: snprintf(val, sizeof val, "null"); break;
        }
        snprintf(line, sizeof line, "%*s%s: %s", 2 * n->depth, "", n->key, val);
        if (i == a->cursor) attron(A_REVERSE);
        else if (n->kind == DOC_NUMBER && use_colour) attron(COLOR_PAIR(1));
        put_clipped(r->y + row, r->x, r->w, line);
        attroff(A_REVERSE);
        if (use_colour) attroff(COLOR_PAIR(1));
    }
    /* The separator. */
    for (int row = 0; row < r->h; row++) mvaddch(r->y + row, r->x + r->w, ACS_VLINE);
}

static const snap_metric *find_snap(const snapshot *s, metric_role role, const char *group,
                                    const char *key) {
    for (size_t i = 0; i < s->n; i++)
        if (s->m[i].info.role == role && strcmp(s->m[i].info.group, group) == 0 &&
            strcmp(s->m[i].info.key, key) == 0)
            return &s->m[i];
    return NULL;
}

static const char *value_text(char *buf, size_t size, const app *a, const snap_metric *m, double x) {
    if (m == NULL) {
        if (size) buf[0] = '\0';
        return buf;
    }
    metric_unit u = m->info.kind == METRIC_INDICATOR ? UNIT_SHARE : m->info.unit;
    return present_value(buf, size, a->currency, u, x);
}

static void title(const tui_rect *r, int row, const char *text) {
    attron(A_BOLD);
    put_clipped(r->y + row, r->x, r->w, text);
    attroff(A_BOLD);
}

/* Structures side by side: the mean of each key measure (edited scenario). */
static void draw_results(app *a, const snapshot *s, const tui_rect *r) {
    title(r, 0, "Financing structures compared (means over the same futures)");
    /* The structures: the groups of ROLE_TWIN metrics that have commissioner.total. */
    const char *groups[8];
    size_t ng = 0;
    for (size_t i = 0; i < s->n && ng < 8; i++)
        if (s->m[i].info.role == ROLE_TWIN && strcmp(s->m[i].info.key, "commissioner.total") == 0)
            groups[ng++] = s->m[i].info.group;
    /* Labels give way to columns on a narrow screen: each column needs 8
     * characters for a value like "-€12.5m". */
    int row = 2, lw = ng ? r->w - (int)ng * 9 : 26;
    if (lw > 26) lw = 26;
    if (lw < 12) lw = 12;
    int cw = ng ? (r->w - lw) / (int)ng : 0;
    if (cw > 16) cw = 16;
    if (cw < 8 && ng > 0) { /* show the structures that fit */
        ng = (size_t)((r->w - lw) / 8);
        cw = 8;
    }
    if (ng == 0) {
        put_clipped(r->y + row, r->x, r->w, "No financing structure: see the contract's payments.");
        row += 2;
    } else {
        move(r->y + row, r->x + lw);
        for (size_t g = 0; g < ng; g++) {
            char h[32];
            snprintf(h, sizeof h, "%*.*s", cw - 1, cw - 1, groups[g]);
            attron(A_BOLD);
            put_clipped(r->y + row, r->x + lw + (int)g * cw, cw, h);
            attroff(A_BOLD);
        }
        row++;
        static const struct {
            const char *key, *label;
        } rows[] = {{"commissioner.total", "Commissioner pays"},
                    {"commissioner.pv", "  present value"},
                    {"commissioner.cost_per_true_outcome", "Cost per true outcome"},
                    {"commissioner.spent_without_effect", "Spent, nothing improved"},
                    {"net_value", "Net value"},
                    {"provider.surplus", "Provider surplus"},
                    {"provider.p_loss", "P(provider loss)"}};
        for (size_t k = 0; k < sizeof rows / sizeof rows[0] && row < r->h; k++) {
            char lab[64];
            snprintf(lab, sizeof lab, "%.*s", lw - 1, rows[k].label);
            put_clipped(r->y + row, r->x, lw, lab);
            for (size_t g = 0; g < ng; g++) {
                const snap_metric *m = find_snap(s, ROLE_TWIN, groups[g], rows[k].key);
                char v[48], cell[48];
                value_text(v, sizeof v, a, m, m ? m->s.mean : NAN);
                snprintf(cell, sizeof cell, "%*s", cw - 1, m && m->s.n ? v : "-");
                put_clipped(r->y + row, r->x + lw + (int)g * cw, cw, cell);
            }
            row++;
        }
        row++;
        /* Investors: every tranche's IRR of the expected cash flows (the
         * deal memo's expected return), the mean of each future's IRR,
         * P(loss) given capital was drawn, and the expected multiple. */
        title(r, row++, "Investors (IRR of expected flows, mean IRR, P(loss | drawn), E multiple)");
        for (size_t i = 0; i < s->n && row < r->h; i++) {
            const snap_metric *m = &s->m[i];
            size_t kl = strlen(m->info.key);
            if (m->info.role != ROLE_TWIN || kl < 4 || strcmp(m->info.key + kl - 4, ".irr") != 0)
                continue;
            char stem[300], k1[320], k2[320], k3[320], line[400], v0[48], v1[48], v2[48], v3[48];
            snprintf(stem, sizeof stem, "%.*s", (int)(kl - 4), m->info.key);
            snprintf(k1, sizeof k1, "%s.pooled_irr", stem);
            snprintf(k2, sizeof k2, "%s.p_loss_given_drawn", stem);
            snprintf(k3, sizeof k3, "%s.expected_moic", stem);
            const snap_metric *po = find_snap(s, ROLE_TWIN, m->info.group, k1);
            const snap_metric *pl = find_snap(s, ROLE_TWIN, m->info.group, k2);
            const snap_metric *mo = find_snap(s, ROLE_TWIN, m->info.group, k3);
            snprintf(line, sizeof line, "%s%s%-.24s  %s  mean %s  P(loss) %s  %s",
                     ng > 1 ? m->info.group : "", ng > 1 ? ": " : "", stem,
                     value_text(v0, sizeof v0, a, po, po ? po->s.mean : NAN),
                     value_text(v1, sizeof v1, a, m, m->s.mean),
                     value_text(v2, sizeof v2, a, pl, pl ? pl->s.mean : NAN),
                     value_text(v3, sizeof v3, a, mo, mo ? mo->s.mean : NAN));
            put_clipped(r->y + row++, r->x, r->w, line);
        }
    }
    row++;
    const snap_metric *p = find_snap(s, ROLE_TWIN, "commissioner", "payments.total");
    const snap_metric *any = find_snap(s, ROLE_TWIN, "commissioner", "payments.any");
    if (p && row < r->h) {
        char v1[48], v2[48], v3[48], line[300];
        snprintf(line, sizeof line, "Outcome payments %s (p95 %s), P(any) %s",
                 value_text(v1, sizeof v1, a, p, p->s.mean), value_text(v2, sizeof v2, a, p, p->s.p95),
                 value_text(v3, sizeof v3, a, any, any ? any->s.mean : NAN));
        put_clipped(r->y + row, r->x, r->w, line);
    }
}

static void draw_histogram(app *a, const snapshot *s, const tui_rect *r) {
    char line[460];
    snprintf(line, sizeof line, "(m: next metric)  %s", s->hist_label[0] ? s->hist_label : "no distribution");
    title(r, 0, line);
    if (s->hist_label[0] == '\0' || r->h < 8) return;
    int height = r->h - 6, bins = HBINS;
    if (bins > r->w - 2) bins = r->w - 2;
    /* Re-bin to the width available: the snapshot's bins, merged. */
    double frac[HBINS];
    int per = (HBINS + bins - 1) / bins, nb = (HBINS + per - 1) / per;
    for (int b = 0; b < nb; b++) {
        frac[b] = 0;
        for (int k = b * per; k < (b + 1) * per && k < HBINS; k++) frac[b] += s->hist[k];
    }
    int cells[HBINS];
    tui_bar_heights(frac, nb, height, cells);
    int cw = (r->w - 2) / nb;
    if (cw < 1) cw = 1;
    for (int b = 0; b < nb; b++)
        for (int h = 0; h < cells[b]; h++)
            for (int c = 0; c < cw - (cw > 1); c++)
                mvaddch(r->y + 1 + height - h, r->x + 1 + b * cw + c, (chtype)'#' | (use_colour ? COLOR_PAIR(2) : 0));
    /* Percentiles under the axis: a caret at each, named on the next line
     * where the names do not collide. */
    int axis = r->y + 2 + height;
    const double q[3] = {s->hist_p05, s->hist_p50, s->hist_p95};
    const char *qn[3] = {"p5", "p50", "p95"};
    int next_free = 0;
    for (int k = 0; k < 3; k++) {
        int b = tui_bin_of(q[k], s->hist_lo, s->hist_hi, nb), x = 1 + b * cw;
        mvaddch(axis, r->x + x, '^');
        if (x >= next_free) {
            put_clipped(axis + 1, r->x + x, 4, qn[k]);
            next_free = x + 4;
        }
    }
    char lo[48], hi[48], v[3][48];
    present_value(lo, sizeof lo, a->currency, (metric_unit)s->hist_unit, s->hist_lo);
    present_value(hi, sizeof hi, a->currency, (metric_unit)s->hist_unit, s->hist_hi);
    for (int k = 0; k < 3; k++) present_value(v[k], sizeof v[k], a->currency, (metric_unit)s->hist_unit, q[k]);
    snprintf(line, sizeof line, "%s .. %s   p5 %s  median %s  p95 %s", lo, hi, v[0], v[1], v[2]);
    put_clipped(r->y + r->h - 1, r->x, r->w, line);
}

static void draw_funnel(app *a, const snapshot *s, const tui_rect *r) {
    title(r, 0, "Stage funnel: share of futures reaching each stage");
    int row = 2, lw = 24;
    for (size_t i = 0; i < s->n && row < r->h - 3; i++) {
        const snap_metric *m = &s->m[i];
        if (m->info.role != ROLE_TWIN || strncmp(m->info.key, "stage.", 6) != 0) continue;
        char line[300];
        snprintf(line, sizeof line, "%-.*s", lw - 1, m->info.label);
        put_clipped(r->y + row, r->x, lw, line);
        int w = (int)lround(m->s.mean * (r->w - lw - 8));
        for (int k = 0; k < w; k++) mvaddch(r->y + row, r->x + lw + k, (chtype)'#' | (use_colour ? COLOR_PAIR(2) : 0));
        snprintf(line, sizeof line, " %.1f%%", 100 * m->s.mean);
        put_clipped(r->y + row, r->x + lw + w, 8, line);
        row += 2;
    }
    const char *keys[] = {"participants", "cost.delivery", "failed"};
    for (size_t k = 0; k < 3 && row < r->h; k++) {
        const snap_metric *m = find_snap(s, ROLE_TWIN, "programme", keys[k]);
        if (m == NULL) continue;
        char v[48], line[300];
        snprintf(line, sizeof line, "%-24s %s", m->info.label, value_text(v, sizeof v, a, m, m->s.mean));
        put_clipped(r->y + row++, r->x, r->w, line);
    }
}

static void draw_tornado(app *a, const tui_rect *r) {
    char line[460];
    snprintf(line, sizeof line, "Tornado of %s", a->tornado_metric[0] ? a->tornado_metric : "(press t)");
    title(r, 0, line);
    if (a->tornado_running) {
        put_clipped(r->y + 2, r->x, r->w, "computing: two runs of 4,096 paths per input and term ...");
        return;
    }
    if (a->tornado_error[0]) {
        put_clipped(r->y + 2, r->x, r->w, a->tornado_error);
        return;
    }
    if (a->n_bars == 0) {
        put_clipped(r->y + 2, r->x, r->w,
                    "Press t to rank the inputs (at P10/P90) and terms (+-10%) by how far they move "
                    "the histogram's metric.");
        return;
    }
    snprintf(line, sizeof line, "base %.4g; inputs at P10/P90, terms +-10%%", a->tornado_base);
    put_clipped(r->y + 1, r->x, r->w, line);
    double top = a->bars[0].swing;
    int lw = r->w / 2, row = 3;
    for (size_t i = 0; i < a->n_bars && row < r->h; i++, row++) {
        snprintf(line, sizeof line, "%-.*s", lw - 1, a->bars[i].pointer);
        put_clipped(r->y + row, r->x, lw, line);
        int w = top > 0 ? (int)lround(a->bars[i].swing / top * (r->w - lw - 12)) : 0;
        for (int k = 0; k < w; k++) mvaddch(r->y + row, r->x + lw + k, (chtype)'#' | (use_colour ? COLOR_PAIR(2) : 0));
        snprintf(line, sizeof line, " %.3g", a->bars[i].swing);
        put_clipped(r->y + row, r->x + lw + w, 12, line);
    }
}

static void draw_compare(app *a, const snapshot *s, const tui_rect *r) {
    title(r, 0, "Before / after your edits, on common random numbers");
    if (!a->dirty) {
        put_clipped(r->y + 2, r->x, r->w,
                    "No edits yet: change a value and this view shows what it changed.");
        return;
    }
    char line[500];
    int lw = r->w - 43;
    if (lw < 12) lw = 12;
    if (lw > 40) lw = 40;
    snprintf(line, sizeof line, "%-*s %10s %10s %10s %9s", lw, "", "before", "after", "change", "+- SE");
    put_clipped(r->y + 1, r->x, r->w, line);
    int row = 2;
    for (size_t i = 0; i < s->n && row < r->h; i++) {
        const snap_metric *m = &s->m[i];
        if (m->info.role != ROLE_OWN || m->info.diff == SIZE_MAX || m->info.diff >= s->n) continue;
        const snap_metric *b = &s->m[m->info.twin], *d = &s->m[m->info.diff];
        if (m->s.n == 0 && b->s.n == 0) continue;
        /* Only what changed: a difference below a millionth of the values
         * is rounding, not a change. */
        double scale = fmax(fabs(m->s.mean), fabs(b->s.mean));
        if (!(fabs(d->s.mean) > 1e-6 * scale || d->s.sd > 1e-6 * scale)) continue;
        char v1[48], v2[48], v3[48], v4[48], lab[48];
        snprintf(lab, sizeof lab, "%.*s", lw, m->info.label);
        snprintf(line, sizeof line, "%-*s %10s %10s %10s %9s", lw, lab,
                 value_text(v1, sizeof v1, a, m, m->s.mean), value_text(v2, sizeof v2, a, b, b->s.mean),
                 value_text(v3, sizeof v3, a, m, d->s.mean), value_text(v4, sizeof v4, a, m, d->s.se));
        put_clipped(r->y + row++, r->x, r->w, line);
    }
    if (row == 2) put_clipped(r->y + row, r->x, r->w, "Your edits change none of these measures.");
}

static void draw_help(const tui_rect *r) {
    title(r, 0, "Keys (press ? to close)");
    for (int act = 1; act < ACT_COUNT && act + 1 < r->h; act++) {
        char line[200];
        snprintf(line, sizeof line, "%-12s %s", tui_action_keys((tui_action)act),
                 tui_action_help((tui_action)act));
        put_clipped(r->y + act + 1, r->x, r->w, line);
    }
}

void app_draw(app *a) {
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    tui_layout lo;
    tui_layout_for(rows, cols, &lo);
    erase();
    if (lo.too_small) {
        mvaddstr(0, 0, "sibsim: the terminal is too small (40 x 10 at least)");
        refresh();
        return;
    }
    draw_tree(a, &lo.tree);
    pthread_mutex_lock(&a->lock);
    snapshot s = a->snap; /* drawn under the lock: the arrays stay ours */
    const tui_rect *r = &lo.results;
    if (a->help) draw_help(r);
    else if (s.n == 0) put_clipped(r->y, r->x, r->w, "simulating ...");
    else switch (a->v) {
        case VIEW_RESULTS: draw_results(a, &s, r); break;
        case VIEW_HISTOGRAM: draw_histogram(a, &s, r); break;
        case VIEW_FUNNEL: draw_funnel(a, &s, r); break;
        case VIEW_TORNADO: draw_tornado(a, r); break;
        case VIEW_COMPARE: draw_compare(a, &s, r); break;
        case VIEW_COUNT: break;
        }
    /* Status: paths, seed, the SE of the headline, the file. */
    const snap_metric *h = NULL;
    for (size_t i = 0; i < s.n && h == NULL; i++) {
        size_t kl = strlen(s.m[i].info.key);
        if (s.m[i].info.role == ROLE_TWIN && kl > 4 && strcmp(s.m[i].info.key + kl - 4, ".irr") == 0)
            h = &s.m[i];
    }
    char status[1200], se[48] = "";
    if (h) present_value(se, sizeof se, a->currency, UNIT_RATE, h->s.se);
    char temps[64] = "", warns[64] = "";
    if (a->stale_temps)
        snprintf(temps, sizeof temps, " [%zu temp file%s left]", a->stale_temps, a->stale_temps == 1 ? "" : "s");
    if (a->n_warnings)
        snprintf(warns, sizeof warns, " [%zu warning%s: w]", a->n_warnings, a->n_warnings == 1 ? "" : "s");
    snprintf(status, sizeof status, " %llu/%llu paths  %.2f s  seed %llu%s%s  |  %.400s%s%s%s  |  ? help  q quit",
             (unsigned long long)s.paths, (unsigned long long)s.target, s.seconds,
             (unsigned long long)a->original->sim.seed, h ? "  SE(IRR) " : "", se, a->shown,
             a->dirty ? " [edited]" : "", warns, temps);
    pthread_mutex_unlock(&a->lock);
    attron(A_REVERSE);
    move(lo.status.y, 0);
    for (int k = 0; k < cols; k++) addch(' ');
    put_clipped(lo.status.y, 0, cols, status);
    attroff(A_REVERSE);
    if (a->message[0]) {
        if (a->message_is_error) attron(use_colour ? COLOR_PAIR(3) : A_BOLD);
        put_clipped(lo.message.y, 0, cols, a->message);
        attroff(use_colour ? COLOR_PAIR(3) : A_BOLD);
    } else if (a->cursor < (int)a->n_nodes) {
        put_clipped(lo.message.y, 0, cols, a->nodes[a->cursor].pointer);
    }
    refresh();
}

