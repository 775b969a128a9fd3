/* model.c -- the terminal UI's screen model. No curses here. See model.h. */
#include "model.h"

#include <gsl/gsl_histogram.h>
#include <math.h>
#include <string.h>

static const struct {
    const char *keys, *help;
} table[ACT_COUNT] = {
    [ACT_NONE] = {"", ""},
#define TUI_ROW(name, k, h) [name] = {k, h},
    TUI_ACTIONS(TUI_ROW)
#undef TUI_ROW
};

const char *tui_action_keys(tui_action a) { return a < ACT_COUNT ? table[a].keys : ""; }
const char *tui_action_help(tui_action a) { return a < ACT_COUNT ? table[a].help : ""; }

/* The key map, read off the same table: a key belongs to the action whose
 * keys string names it (single characters, and the names below). */
tui_action tui_action_for_key(int key) {
    static const struct {
        int code;
        const char *name;
    } named[] = {{TUI_KEY_UP, "Up"},         {TUI_KEY_DOWN, "Down"},     {TUI_KEY_LEFT, "Left"},
                 {TUI_KEY_RIGHT, "Right"},   {TUI_KEY_PAGE_UP, "PgUp"},  {TUI_KEY_PAGE_DOWN, "PgDn"},
                 {TUI_KEY_HOME, "Home"},     {TUI_KEY_END, "End"},       {TUI_KEY_ENTER, "Enter"},
                 {'\t', "Tab"},              {' ', "Space"},             {18, "Ctrl-R"}};
    const char *want = NULL;
    char one[2] = {0, 0};
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (named[i].code == key) want = named[i].name;
    if (want == NULL) {
        if (key <= ' ' || key > '~') return ACT_NONE;
        one[0] = (char)key;
        want = one;
    }
    for (int a = 1; a < ACT_COUNT; a++) {
        /* keys is a space-separated list of names. */
        const char *k = table[a].keys;
        size_t wl = strlen(want);
        while (*k) {
            size_t len = strcspn(k, " ");
            if (len == wl && strncmp(k, want, len) == 0) return (tui_action)a;
            k += len;
            while (*k == ' ') k++;
        }
    }
    return ACT_NONE;
}

void tui_layout_for(int rows, int cols, tui_layout *out) {
    memset(out, 0, sizeof *out);
    out->too_small = rows < 10 || cols < 40;
    int body = rows - 2; /* message and status lines */
    if (body < 1) body = 1;
    /* The tree takes 40% of the width, within [28, 60] columns. */
    int tw = cols * 2 / 5;
    if (tw < 28) tw = 28;
    if (tw > 60) tw = 60;
    if (tw > cols - 20) tw = cols / 2;
    out->tree = (tui_rect){0, 0, body, tw};
    out->results = (tui_rect){0, tw + 1, body, cols - tw - 1};
    out->message = (tui_rect){rows - 2, 0, 1, cols};
    out->status = (tui_rect){rows - 1, 0, 1, cols};
}

int tui_scroll(int cursor, int top, int height, int total) {
    if (height < 1) height = 1;
    if (cursor < top) top = cursor;
    if (cursor >= top + height) top = cursor - height + 1;
    if (top > total - height) top = total - height;
    if (top < 0) top = 0;
    return top;
}

double tui_nudge(double value, double step) {
    if (value == 0) return step;
    double next = value * (1 + step);
    if (value == floor(value) && fabs(value) >= 1) {
        next = round(next);
        if (next == value) next = value + (step > 0 ? 1 : -1);
    }
    return next;
}

void tui_histogram(const stats_acc *acc, double lo, double hi, int bins, double *frac) {
    for (int b = 0; b < bins; b++) frac[b] = 0;
    stats_summary s;
    stats_acc_summary(acc, &s);
    if (s.n == 0 || bins < 1) return;
    if (!(hi > lo)) {
        frac[0] = 1;
        return;
    }
    gsl_histogram *h = gsl_histogram_alloc((size_t)bins);
    if (h == NULL) return;
    /* Widen the top a hair so that hi itself lands in the last bin (GSL's
     * bins are half-open); what falls outside [lo, hi] is counted into the
     * end bins, so every bar's share is of all values. */
    gsl_histogram_set_ranges_uniform(h, lo, hi + (hi - lo) * 1e-9);
    stats_acc_fill_histogram(acc, h);
    double n = (double)s.n, inside = gsl_histogram_sum(h);
    double below = stats_acc_share_below(acc, lo) * n;
    double above = n - inside - below;
    for (int b = 0; b < bins; b++) frac[b] = gsl_histogram_get(h, (size_t)b) / n;
    frac[0] += below / n;
    frac[bins - 1] += (above > 0 ? above : 0) / n;
    gsl_histogram_free(h);
}

void tui_bar_heights(const double *frac, int bins, int height, int *cells) {
    double top = 0;
    for (int b = 0; b < bins; b++) top = fmax(top, frac[b]);
    for (int b = 0; b < bins; b++) {
        cells[b] = top > 0 ? (int)lround(frac[b] / top * height) : 0;
        if (frac[b] > 0 && cells[b] == 0) cells[b] = 1; /* a non-empty bin shows */
    }
}

int tui_bin_of(double x, double lo, double hi, int bins) {
    if (!(hi > lo) || bins < 1) return 0;
    int b = (int)floor((x - lo) / (hi - lo) * bins);
    if (b < 0) b = 0;
    if (b >= bins) b = bins - 1;
    return b;
}
