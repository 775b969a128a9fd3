/* draw.c -- drawing the terminal UI: the parameter tree, the results pane
 * (its views are views.c) with its scrolling, the help over the whole
 * screen, the message line and the status line. Text is cut to display
 * columns (present/text.h), so "£", "€" and a string in any script keep
 * the columns. Reads the app and the snapshot; changes nothing but the
 * scroll positions of the tree, the pane and the help.
 */
#include <curses.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../present/format.h"
#include "../present/text.h"
#include "app.h"

#define HELP_LINES 96

/* ---------------------------------------------------------------- drawing */

static int use_colour;

void app_colour_init(void) {
    /* Colour only when the terminal has it and NO_COLOR is not set to a
     * non-empty value (https://no-color.org): otherwise bold, reverse and '#'. */
    use_colour = has_colors() && (getenv("NO_COLOR") == NULL || *getenv("NO_COLOR") == '\0');
    if (use_colour) {
        start_color();
        use_default_colors();
        init_pair(1, COLOR_CYAN, -1);
        init_pair(2, COLOR_GREEN, -1);
        init_pair(3, COLOR_RED, -1);
    }
}

int app_unicode(void) { return present_unicode(); }

/* s at (y, x) in w display columns: whole when it fits, else cut ending
 * in the marker, never in part of a number (tui_fit). */
static void put_clipped(int y, int x, int w, const char *s) {
    if (w <= 0) return;
    /* Text from the scenario may hold line feeds and tabs (a description,
     * a note): drawn as they are, a line feed clears the rest of the row
     * and goes on over the next (the status line). Made visible, "\n". */
    char vis[2200], fit[2200];
    s = sib_visible(vis, sizeof vis, s);
    if (present_width(s) > w) s = tui_fit(fit, sizeof fit, s, w, app_unicode());
    size_t n = present_fit(s, w);
    if (n > 0) mvaddnstr(y, x, s, (int)n);
}

/* ------------------------------------------------------------------ pane */

int pane_y(pane *p, int row) {
    if (row + 1 > p->rows) p->rows = row + 1;
    if (p->dry || row < 0) return -1;
    const int head = p->head > 1 ? p->head : 1;
    if (row < head) return row == 0 || row <= p->body ? p->r.y + row : -1;
    int y = row - p->scroll;
    if (y < head || y > p->body) return -1;
    /* A thing of several rows (a tornado's name above its bar) is shown
     * whole or not at all. */
    if (p->per > 1 && row >= p->item && row < p->item + p->per * p->items) {
        const int top = row - (row - p->item) % p->per - p->scroll;
        if (top < head || top + p->per - 1 > p->body) return -1;
    }
    return p->r.y + y;
}

void pane_put(pane *p, int row, int col, int w, const char *s, int how) {
    int y = pane_y(p, row);
    if (y < 0 || col >= p->r.w) return;
    if (col + w > p->r.w) w = p->r.w - col;
    attr_t at = (how & PANE_BOLD ? A_BOLD : 0) |
                (how & PANE_BAR && use_colour ? (attr_t)COLOR_PAIR(2) : 0);
    if (at) attron(at);
    put_clipped(y, p->r.x + col, w, s);
    if (at) attroff(at);
}

void pane_title(pane *p, const char *s) {
    p->head = 1;
    pane_put(p, 0, 0, p->r.w, s, PANE_BOLD);
}

int pane_title2(pane *p, const char *l1, const char *l2) {
    pane_title(p, l1);
    if (l2[0] == '\0') return 1;
    p->head = 2;
    pane_put(p, 1, 0, p->r.w, l2, PANE_BOLD);
    return 2;
}

int pane_heading(pane *p, const char *full, const char *brief) {
    const int W = p->r.w;
    const char *s = full, *rest;
    if (present_width(full) > W) {
        size_t k = present_line(full, W, &rest);
        if (present_width(rest) > W || rest == full + k) s = brief;
    }
    if (present_width(s) <= W) {
        pane_title(p, s);
        return 1;
    }
    size_t k = present_line(s, W, &rest);
    char l1[400];
    snprintf(l1, sizeof l1, "%.*s", (int)k, s);
    return pane_title2(p, l1, rest);
}

/* Draw a view in the results pane, scrolled by a->rscroll: a first pass
 * counts its rows, then the scroll is kept in range and the view drawn;
 * when it is taller than the pane, the last row says which rows show. */
static void draw_pane(app *a, const snapshot *s, const tui_rect *r) {
    pane p = {.r = *r, .dry = 1};
    for (int pass = 0; pass < 2; pass++) {
        switch (a->v) {
        case VIEW_RESULTS: view_results(a, s, &p); break;
        case VIEW_HISTOGRAM: view_histogram(a, s, &p); break;
        case VIEW_FUNNEL: view_funnel(a, s, &p); break;
        case VIEW_TORNADO: view_tornado(a, &p); break;
        case VIEW_COMPARE: view_compare(a, s, &p); break;
        case VIEW_COUNT: break;
        }
        if (pass == 1) break;
        int total = p.rows, over = total > r->h;
        p.body = over ? r->h - 2 : r->h - 1;
        a->rscroll = tui_clamp_scroll(a->rscroll, p.body, total - 1);
        const int head = p.head > 1 ? p.head : 1;
        /* Things of several rows scroll by whole things: the top row
         * under the title is a thing's first (a name, not its bar); at
         * the end the next one, lest the last be left out. */
        const int off = a->rscroll + head - p.item;
        if (p.per > 1 && off > 0 && off % p.per != 0)
            a->rscroll += a->rscroll == tui_clamp_scroll(INT_MAX / 2, p.body, total - 1)
                              ? p.per - off % p.per
                              : -(off % p.per);
        p.scroll = a->rscroll;
        p.dry = 0;
        if (over) {
            char more[160];
            if (p.per > 1) {
                /* The things shown whole, counted from 1. */
                int first = off > 0 ? (p.scroll + head - p.item) / p.per : 0;
                int end = (p.scroll + p.body - p.item + 1) / p.per;
                if (end > p.items) end = p.items;
                if (end < first + 1) end = first + 1;
                tui_more_line(more, sizeof more, p.what, first + 1, end, p.items, r->w,
                              app_unicode());
            } else {
                /* Rows counted below the title, its rows however many. */
                int last = p.scroll + p.body < total - 1 ? p.scroll + p.body : total - 1;
                tui_more_line(more, sizeof more, "rows", p.scroll + 1, last - (head - 1),
                              total - head, r->w, app_unicode());
            }
            attron(A_REVERSE);
            put_clipped(r->y + r->h - 1, r->x, r->w, more);
            attroff(A_REVERSE);
        }
        p.rows = 0;
    }
}

/* ------------------------------------------------------------------ tree */

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
        case DOC_STRING: { /* made visible: a line feed shows as \n (put_clipped) */
            char vis[401];
            snprintf(val, sizeof val, "\"%s\"", sib_visible(vis, sizeof vis, n->text ? n->text : ""));
            break;
        }
        case DOC_BOOL: snprintf(val, sizeof val, "%s", n->boolean ? "true" : "false"); break;
        case DOC_NULL: snprintf(val, sizeof val, "null"); break;
        }
        /* (i): the scenario states what this field rests on (key i). A
         * number is shown whole, its key shortened to make room. */
        tui_tree_row(line, sizeof line, n->depth, n->key, val,
                     app_note_of(a, n->pointer) ? " (i)" : "", n->kind != DOC_STRING, r->w,
                     app_unicode());
        if (i == a->cursor) attron(A_REVERSE);
        else if (n->kind == DOC_NUMBER && use_colour) attron(COLOR_PAIR(1));
        put_clipped(r->y + row, r->x, r->w, line);
        attroff(A_REVERSE);
        if (use_colour) attroff(COLOR_PAIR(1));
    }
    /* The separator. */
    for (int row = 0; row < r->h; row++) mvaddch(r->y + row, r->x + r->w, ACS_VLINE);
}

/* ------------------------------------------------------------------ help */

/* The help over the tree and the results: every key from the key table
 * (TUI_ACTIONS), its text wrapped to the width, scrolled by a->help_top. */
static void draw_help(app *a, int rows, int cols) {
    /* A line is at most 196 columns (wider screens wrap there), each at most
     * 4 bytes of UTF-8: 800 bytes hold any. */
    static char lines[HELP_LINES][800];
    int n = 0;
    const int kw = 10; /* the keys' column */
    const char *ptr = a->cursor < (int)a->n_nodes ? a->nodes[a->cursor].pointer : "";
    const char *note = a->help == 2 ? app_note_of(a, ptr) : NULL;
    if (note != NULL) {
        /* The note view: each assumption of the field, wrapped, with a blank
         * line between them ("  |  " separates them in the note). */
        const char *p = note, *next;
        while (*p && n < HELP_LINES) {
            const char *bar = strstr(p, "  |  ");
            size_t part = bar ? (size_t)(bar - p) : strlen(p);
            char one[2100];
            snprintf(one, sizeof one, "%.*s", (int)part, p);
            const char *q = one;
            while (*q && n < HELP_LINES) {
                size_t k = present_line(q, cols - 2 < 196 ? cols - 2 : 196, &next);
                snprintf(lines[n++], sizeof lines[0], " %.*s", (int)k, q);
                q = next;
            }
            if (bar && n < HELP_LINES) lines[n++][0] = '\0';
            p = bar ? bar + 5 : p + part;
        }
    }
    for (int act = 1; note == NULL && act < ACT_COUNT && n < HELP_LINES; act++) {
        const char *p = tui_action_help((tui_action)act), *next;
        int first = 1;
        while (*p && n < HELP_LINES) {
            size_t k = present_line(p, cols - kw - 2 < 186 ? cols - kw - 2 : 186, &next);
            char keys[64];
            present_cell(keys, sizeof keys, first ? tui_action_keys((tui_action)act) : "", kw, 0);
            snprintf(lines[n++], sizeof lines[0], " %s %.*s", keys, (int)k, p);
            p = next;
            first = 0;
        }
    }
    int h = rows - 2; /* above the message and status lines */
    for (int y = 0; y < h; y++) {
        move(y, 0);
        clrtoeol();
    }
    int body = h - 2, over = n > body;
    if (over) body--;
    a->help_top = tui_clamp_scroll(a->help_top, body, n);
    attron(A_BOLD);
    char head[400];
    if (note != NULL)
        snprintf(head, sizeof head, "What %.*s rests on: i or Esc closes", APP_CUT(ptr, 300));
    else
        snprintf(head, sizeof head, "Keys: ? or Esc closes this help");
    put_clipped(0, 0, cols, head);
    attroff(A_BOLD);
    for (int i = 0; i < body && a->help_top + i < n; i++)
        put_clipped(2 + i, 0, cols, lines[a->help_top + i]);
    if (over) {
        char more[120];
        int last = a->help_top + body < n ? a->help_top + body : n;
        /* Lines, not keys: a key whose help wraps takes two, and "keys
         * 15-33 of 33" counted 33 keys where there are 32. */
        snprintf(more, sizeof more, "-- lines %d-%d of %d: Up/Down, PgUp/PgDn scroll --",
                 a->help_top + 1, last, n);
        attron(A_REVERSE);
        put_clipped(h - 1, 0, cols, more);
        attroff(A_REVERSE);
    }
}

/* ---------------------------------------------------------------- screen */

void app_draw(app *a) {
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    tui_layout lo;
    tui_layout_for(rows, cols, &lo);
    erase();
    /* A message wider than the screen goes on over the rows above, up to
     * a quarter of the screen (four rows at most), the last ending in the
     * marker if even that is not enough, and the panes give up those rows
     * while it shows (the cursor stays in view): cut at the edge, a
     * refusal or a warning lost what it says was expected ("at most 20000
     * are allowed", "did you mean 0.01 (1%)?") at 80 or 100 columns, and
     * nothing else showed it. */
    struct {
        char vis[2200];
        const char *at[4];
        size_t len[4];
        int n;
    } msg = {.n = 0};
    if (a->message[0] && !lo.too_small) {
        sib_visible(msg.vis, sizeof msg.vis, a->message);
        int most = rows / 4 < 4 ? rows / 4 : 4;
        const char *next;
        for (const char *q = msg.vis; *q && msg.n < (most > 1 ? most : 1); q = next, msg.n++) {
            msg.at[msg.n] = q;
            msg.len[msg.n] = present_line(q, cols, &next);
        }
        lo.tree.h -= msg.n > 1 ? msg.n - 1 : 0;
        lo.results.h -= msg.n > 1 ? msg.n - 1 : 0;
    }
    if (lo.too_small) {
        /* The notice, wrapped to the width; keys wait (tui.c), and so does
         * an open question (input.c), which is not drawn over it. */
        const char *q = tui_too_small_notice(a->dirty, a->asking);
        const char *next;
        for (int y = 0; *q && y < rows; y++, q = next) {
            size_t k = present_line(q, cols, &next);
            mvaddnstr(y, 0, q, (int)k);
        }
        refresh();
        return;
    }
    if (!a->help) draw_tree(a, &lo.tree);
    pthread_mutex_lock(&a->lock);
    snapshot s = a->snap; /* drawn under the lock: the arrays stay ours */
    const tui_rect *r = &lo.results;
    if (a->help) draw_help(a, rows, cols);
    else if (s.n == 0) put_clipped(r->y, r->x, r->w, "simulating ...");
    else draw_pane(a, &s, r);
    /* Status: paths, seed, the SE of the headline (the first tranche's mean
     * IRR, future by future: view 1's "mean IRR"), the file. */
    const snap_metric *h = NULL;
    for (size_t i = 0; i < s.n && h == NULL; i++) {
        size_t kl = strlen(s.m[i].info.key);
        if (s.m[i].info.role == ROLE_TWIN && kl > 4 && strcmp(s.m[i].info.key + kl - 4, ".irr") == 0)
            h = &s.m[i];
    }
    /* The SE with present_se's digits: at 100,000 futures an IRR's SE is a
     * few hundredths of a percent, which the value's one decimal showed as
     * "0.0%", as if the IRR were known exactly. */
    char status[1200], se[48] = "", se_pm[48], run[4][640];
    if (h && isnan(h->s.se)) snprintf(se, sizeof se, "n/a"); /* fewer than 2 futures */
    else if (h) {
        const char *t = present_se_unsigned(present_se(se_pm, sizeof se_pm, a->currency, UNIT_RATE,
                                                       h->s.se));
        snprintf(se, sizeof se, "%.*s", APP_CUT(t, 40));
    }
    char np[32], nt[32];
    snprintf(run[0], sizeof run[0], "%s/%s paths",
             present_count(np, sizeof np, (unsigned long long)s.paths),
             present_count(nt, sizeof nt, (unsigned long long)s.target));
    snprintf(run[1], sizeof run[1], "%.2f s", s.seconds);
    snprintf(run[2], sizeof run[2], "seed %llu", (unsigned long long)a->original->sim.seed);
    /* The flags always show: the file name and the run give way to them. */
    char temps[64] = "", warns[64] = "", flags[160];
    if (a->stale_temps)
        snprintf(temps, sizeof temps, " [%zu temp file%s left]", a->stale_temps, a->stale_temps == 1 ? "" : "s");
    if (a->n_warnings)
        snprintf(warns, sizeof warns, " [%zu warning%s: w]", a->n_warnings, a->n_warnings == 1 ? "" : "s");
    snprintf(flags, sizeof flags, "%s%s%s", a->dirty ? " [edited]" : "", warns, temps);
    const char *items[4] = {run[0], run[1], run[2], run[3]};
    if (h) {
        /* The SE says whose mean IRR it is (the first tranche's, named as
         * view 1 names it), the name cut to the room the line leaves it
         * with the rest whole but the hint, which gives way first, or, to
         * keep TUI_SE_NAME_MIN columns of it, with the file name shortened
         * (to TUI_STATUS_FILE_MIN columns at the least). */
        char stem[300], whose[600], vis[600], rest[1200];
        size_t kl = strlen(h->info.key);
        snprintf(stem, sizeof stem, "%.*s", (int)sib_utf8_cut(h->info.key, kl - 4), h->info.key);
        const char *groups[2];
        const int several = app_structures(&s, groups, 2) > 1;
        snprintf(whose, sizeof whose, "%s%s%s", several ? h->info.group : "",
                 several ? ": " : "", stem);
        tui_status_line(rest, sizeof rest, items, 3, a->shown, flags, "", 1 << 14, app_unicode());
        int fw = present_width(a->shown);
        int room = cols - present_width(rest) - 2;
        int more = room + (fw > TUI_STATUS_FILE_MIN ? fw - TUI_STATUS_FILE_MIN : 0);
        sib_visible(vis, sizeof vis, whose);
        tui_se_item(run[3], sizeof run[3], vis, se, tui_se_room(vis, se, room, more),
                    app_unicode());
    }
    tui_status_line(status, sizeof status, items, h ? 4 : 3, a->shown, flags, "? help  q quit",
                    cols, app_unicode());
    pthread_mutex_unlock(&a->lock);
    attron(A_REVERSE);
    move(lo.status.y, 0);
    for (int k = 0; k < cols; k++) addch(' ');
    put_clipped(lo.status.y, 0, cols, status);
    attroff(A_REVERSE);
    /* The message line: what does not fit ends in the marker, never in
     * part of a number (put_clipped). */
    if (a->message[0]) {
        if (a->message_is_error) attron(use_colour ? COLOR_PAIR(3) : A_BOLD);
        for (int k = 0; k < msg.n; k++) {
            char one[2200];
            /* The last row takes the rest, ending in the marker if need be. */
            snprintf(one, sizeof one, "%.*s", k + 1 < msg.n ? (int)msg.len[k] : (int)strlen(msg.at[k]),
                     msg.at[k]);
            int y = lo.message.y - (msg.n - 1) + k;
            move(y, 0);
            clrtoeol();
            put_clipped(y, 0, cols, one);
        }
        attroff(use_colour ? COLOR_PAIR(3) : A_BOLD);
    } else if (a->cursor < (int)a->n_nodes) {
        /* The field's pointer, and the start of what it rests on. */
        const char *ptr = a->nodes[a->cursor].pointer, *note = app_note_of(a, ptr);
        char line[1100];
        if (note)
            snprintf(line, sizeof line, "%s  (i) %.*s", ptr, APP_CUT(note, 500));
        else
            snprintf(line, sizeof line, "%s", ptr);
        put_clipped(lo.message.y, 0, cols, line);
    }
    refresh();
}
