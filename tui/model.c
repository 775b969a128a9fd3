/* model.c -- the terminal UI's screen model. No curses here. See model.h. */
#include "model.h"

#include <gsl/gsl_histogram.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../present/text.h"

static const struct {
    const char *keys, *help;
} table[ACT_COUNT] = {[ACT_NONE] = {"", ""},
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
    } named[] = {{TUI_KEY_UP, "Up"},
                 {TUI_KEY_DOWN, "Down"},
                 {TUI_KEY_LEFT, "Left"},
                 {TUI_KEY_RIGHT, "Right"},
                 {TUI_KEY_PAGE_UP, "PgUp"},
                 {TUI_KEY_PAGE_DOWN, "PgDn"},
                 {TUI_KEY_HOME, "Home"},
                 {TUI_KEY_END, "End"},
                 {TUI_KEY_ENTER, "Enter"},
                 {'\t', "Tab"},
                 {' ', "Space"},
                 {18, "Ctrl-R"}};
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

tui_action tui_action_too_small(int key, int dirty) {
    return !dirty && tui_action_for_key(key) == ACT_QUIT ? ACT_QUIT : ACT_NONE;
}

const char *tui_too_small_notice(int dirty, int asking) {
#define TOO_SMALL                                                                                  \
    "sibsim: the terminal is too small (40 x 10 at least). Enlarge the terminal: "                 \
    "until then keys are ignored"
    return asking  ? TOO_SMALL ", and the question waits as it was."
           : dirty ? TOO_SMALL " (there are unsaved edits)."
                   : TOO_SMALL ", but q quits.";
#undef TOO_SMALL
}

int tui_scroll(int cursor, int top, int height, int total) {
    if (height < 1) height = 1;
    if (cursor < top) top = cursor;
    if (cursor >= top + height) top = cursor - height + 1;
    if (top > total - height) top = total - height;
    if (top < 0) top = 0;
    return top;
}

/* x rounded to 12 significant digits. Dividing the rounded integer by an
 * exact power of ten gives the double nearest the decimal (0.11 itself). */
static double round12(double x) {
    if (x == 0 || !isfinite(x)) return x;
    int e = (int)floor(log10(fabs(x)));
    if (e >= 11 || e < -280) return x;
    double m = pow(10, 11 - e);
    return round(x * m) / m;
}

double tui_nudge(double value, double step, int whole) {
    if (value == 0) return whole ? (step > 0 ? 1 : -1) : step;
    /* By a share of its size, in the step's direction: value * (1 + step)
     * moved a negative number the other way ("up by 10%" took a prior's
     * lower bound of -0.5 to -0.55). */
    double next = round12(value + fabs(value) * step);
    if (whole) {
        next = round(next);
        if (next == value) next = value + (step > 0 ? 1 : -1);
    }
    /* Never a negative zero (round(-0.4) is -0): it would be stored and
     * shown as "-0". */
    return next == 0 ? 0 : next;
}

int tui_clamp_scroll(int top, int height, int total) {
    int most = total - height;
    if (top > most) top = most;
    return top < 0 ? 0 : top;
}

/* ------------------------------------------------------------ edit line */

static int is_cont(char c) { return ((unsigned char)c & 0xC0) == 0x80; }

static int line_reserve(tui_line *l, size_t need) {
    if (need + 1 <= l->cap) return 0;
    size_t cap = l->cap ? l->cap : 64;
    while (cap < need + 1) cap *= 2;
    char *t = realloc(l->text, cap);
    if (t == NULL) return -1;
    l->text = t;
    l->cap = cap;
    return 0;
}

int tui_line_set(tui_line *l, const char *text) {
    l->len = l->cursor = l->scroll = 0;
    size_t n = strlen(text);
    if (line_reserve(l, n) != 0) {
        if (l->text) l->text[0] = '\0';
        return -1;
    }
    memcpy(l->text, text, n + 1);
    l->len = l->cursor = n;
    return 0;
}

void tui_line_free(tui_line *l) {
    free(l->text);
    memset(l, 0, sizeof *l);
}

int tui_line_insert(tui_line *l, const char *bytes, size_t n) {
    if (line_reserve(l, l->len + n) != 0) return -1;
    memmove(l->text + l->cursor + n, l->text + l->cursor, l->len - l->cursor + 1);
    memcpy(l->text + l->cursor, bytes, n);
    l->len += n;
    l->cursor += n;
    return 0;
}

void tui_line_edit(tui_line *l, tui_line_op op) {
    if (l->text == NULL) return;
    size_t prev = l->cursor, next = l->cursor;
    while (prev > 0 && is_cont(l->text[--prev])) {
    }
    if (next < l->len)
        for (next++; next < l->len && is_cont(l->text[next]); next++) {
        }
    size_t from = 0, to = 0; /* bytes to delete */
    switch (op) {
    case TUI_LINE_LEFT: l->cursor = prev; return;
    case TUI_LINE_RIGHT: l->cursor = next; return;
    case TUI_LINE_HOME: l->cursor = 0; return;
    case TUI_LINE_END: l->cursor = l->len; return;
    case TUI_LINE_BACKSPACE: from = prev, to = l->cursor; break;
    case TUI_LINE_DELETE: from = l->cursor, to = next; break;
    case TUI_LINE_CLEAR: from = 0, to = l->len; break;
    case TUI_LINE_KILL_END: from = l->cursor, to = l->len; break;
    }
    memmove(l->text + from, l->text + to, l->len - to + 1);
    l->len -= to - from;
    l->cursor = from;
    if (l->scroll > l->len) l->scroll = l->len;
    while (l->scroll > 0 && is_cont(l->text[l->scroll])) l->scroll--;
}

/* The character of s (len bytes) at byte i: its length in bytes, and in
 * *cols its display width as the edit line draws it (tui_line_shown): a
 * control character one column (its picture), any other its width under
 * the locale (wcwidth: 2 for Chinese or most emoji, 0 for a combining
 * mark; 1 a character where the locale cannot say). */
static size_t line_char(const char *s, size_t len, size_t i, int *cols) {
    size_t k = 1;
    while (i + k < len && is_cont(s[i + k])) k++;
    unsigned char c = (unsigned char)s[i];
    int c1 = c == 0xC2 && k == 2 && (unsigned char)s[i + 1] <= 0x9F;
    *cols = (c < 0x20 || c == 0x7F || c1) ? 1 : present_width_n(s + i, k);
    return k;
}

/* The display width of bytes [from, to) of the line. */
static size_t line_cols(const char *s, size_t len, size_t from, size_t to) {
    size_t w = 0;
    for (size_t i = from; i < to;) {
        int c;
        i += line_char(s, len, i, &c);
        w += (size_t)c;
    }
    return w;
}

/* The byte offset of the character before byte i (0 at the start). */
static size_t line_prev(const char *s, size_t i) {
    while (i > 0 && is_cont(s[--i])) {
    }
    return i;
}

void tui_line_view(tui_line *l, int width, size_t *first, size_t *bytes, int *cursor_col) {
    if (width < 1) width = 1;
    size_t w = (size_t)width;
    if (l->text == NULL) {
        *first = *bytes = 0;
        *cursor_col = 0;
        return;
    }
    const char *s = l->text;
    size_t len = l->len;
    /* Columns are display columns (a Chinese character takes two), so that
     * the line never writes past its row: the cursor's character (a column
     * at the end) must fit in the window. */
    int cw = 1;
    if (l->cursor < len) line_char(s, len, l->cursor, &cw);
    if (cw < 1) cw = 1; /* the cursor on a combining mark takes a column all the same */
    if (l->cursor < l->scroll) l->scroll = l->cursor;
    size_t before = line_cols(s, len, l->scroll, l->cursor);
    while (l->scroll < l->cursor && before + (size_t)cw > w) {
        int c;
        l->scroll += line_char(s, len, l->scroll, &c);
        before -= (size_t)c;
    }
    /* Room on the right (after deleting): show more of the start. The
     * cursor may stand one past the last character, hence a column more. */
    size_t rest = line_cols(s, len, l->scroll, len) + 1;
    while (l->scroll > 0) {
        size_t p = line_prev(s, l->scroll);
        int c;
        line_char(s, len, p, &c);
        if (rest + (size_t)c > w) break;
        rest += (size_t)c;
        before += (size_t)c;
        l->scroll = p;
    }
    /* The characters that fit in the window, whole. */
    size_t end = l->scroll, used = 0;
    while (end < len) {
        int c;
        size_t k = line_char(s, len, end, &c);
        if (used + (size_t)c > w) break;
        used += (size_t)c;
        end += k;
    }
    *first = l->scroll;
    *bytes = end - l->scroll;
    *cursor_col = (int)before;
}

const char *tui_line_shown(char *buf, size_t size, const char *s, size_t n, int unicode) {
    size_t o = 0;
    if (size == 0) return buf;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        char pic[4];
        size_t in = 1, out;
        if (c < 0x20 || c == 0x7F) { /* C0 or DEL: U+2400 + c, DEL U+2421 */
            out = unicode ? tui_utf8_encode(c == 0x7F ? 0x2421 : 0x2400 + c, pic) : 1;
            if (!unicode) pic[0] = '?';
        } else if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
                   (unsigned char)s[i + 1] <= 0x9F) { /* C1: no picture, the replacement */
            in = 2;
            out = unicode ? tui_utf8_encode(0xFFFD, pic) : 1;
            if (!unicode) pic[0] = '?';
        } else { /* a character as it is, whole */
            while (i + in < n && is_cont(s[i + in])) in++;
            if (o + in + 1 > size) break;
            memcpy(buf + o, s + i, in);
            o += in, i += in;
            continue;
        }
        if (o + out + 1 > size) break;
        memcpy(buf + o, pic, out);
        o += out, i += in;
    }
    buf[o] = '\0';
    return buf;
}

size_t tui_utf8_encode(unsigned long cp, char out[4]) {
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp > 0x10FFFF) return 0;
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ------------------------------------------------------ a bracketed paste */

void tui_paste_add(tui_paste *p, const char *bytes, size_t n) {
    if (n == 0) return;
    if (p->cut || p->len + n > TUI_PASTE_MAX) { /* what is kept is the paste's start */
        p->cut = 1;
        return;
    }
    if (p->len + n + 1 > p->cap) {
        size_t cap = p->cap ? p->cap : 256;
        while (cap < p->len + n + 1) cap *= 2;
        char *t = realloc(p->text, cap);
        if (t == NULL) {
            p->cut = 1;
            return;
        }
        p->text = t;
        p->cap = cap;
    }
    memcpy(p->text + p->len, bytes, n);
    p->len += n;
    p->text[p->len] = '\0';
}

void tui_paste_free(tui_paste *p) {
    free(p->text);
    memset(p, 0, sizeof *p);
}

size_t tui_paste_line(char *s, size_t n) {
    if (s == NULL || n == 0) return 0;
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r')) n--; /* the copied line's end */
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r' && i + 1 < n && s[i + 1] == '\n') { /* CR LF: one break, one space */
            s[o++] = ' ';
            i += 2;
        } else if (c < 0x20 || c == 0x7F) { /* C0, DEL */
            s[o++] = ' ';
            i++;
        } else if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
                   (unsigned char)s[i + 1] <= 0x9F) { /* C1: U+0080-U+009F */
            s[o++] = ' ';
            i += 2;
        } else {
            s[o++] = s[i++];
        }
    }
    s[o] = '\0';
    return o;
}

/* --------------------------------------------------------- typing a value */

char *tui_value_text(const doc_node *n) {
    char num[64];
    switch (n->kind) {
    case DOC_NUMBER: return strdup(doc_number_text(n->number, num, sizeof num));
    case DOC_STRING: return strdup(n->text ? n->text : "");
    case DOC_BOOL: return strdup(n->boolean ? "true" : "false");
    case DOC_NULL: return strdup("null");
    case DOC_OBJECT:
    case DOC_ARRAY: break;
    }
    return NULL;
}

/* The decimal a number's text writes, as a canonical key: the sign, its
 * significant digits d1 d2 ... (no leading or trailing zeros), then 'e' and
 * E such that the number is 0.d1d2... x 10^E: -0012.50, -12.5 and -1.25e1
 * all give "-125e2"; 0 gives "0". Two texts write the same decimal when
 * their keys are equal. Assumes text is a number doc_number_read took. */
static void decimal_key(const char *text, char *key, size_t size) {
    const char *s = text;
    while (*s == ' ') s++;
    int neg = *s == '-';
    if (*s == '-' || *s == '+') s++;
    char digits[128];
    size_t nd = 0;
    long point = 0; /* digits before the point, of those kept */
    int seen_point = 0, leading = 1;
    for (; (*s >= '0' && *s <= '9') || *s == '.'; s++) {
        if (*s == '.') {
            seen_point = 1;
            continue;
        }
        if (leading && *s == '0') { /* a leading zero moves the point, keeps no digit */
            if (seen_point) point--;
            continue;
        }
        leading = 0;
        if (nd < sizeof digits - 1) digits[nd++] = *s;
        if (!seen_point) point++;
    }
    long e = (*s == 'e' || *s == 'E') ? strtol(s + 1, NULL, 10) : 0;
    while (nd > 0 && digits[nd - 1] == '0') nd--;
    digits[nd] = '\0';
    if (nd == 0)
        snprintf(key, size, "0");
    else
        snprintf(key, size, "%s%se%ld", neg ? "-" : "", digits, point + e);
}

/* What was typed, for a refusal: its first 100 bytes, cut between two
 * characters and ending in "..." when longer, made visible (sib_visible). A
 * cut inside a character ("%.100s") left a broken byte that swallowed the
 * closing quote on the screen. */
static const char *typed_shown(char *out, size_t size, const char *text) {
    char head[104];
    size_t n = sib_utf8_cut(text, 100);
    snprintf(head, sizeof head, "%.*s%s", (int)n, text, text[n] ? "..." : "");
    return sib_visible(out, size, head);
}

tui_value_verdict tui_read_value(const doc_node *n, const char *text, double *number, bool *boolean,
                                 char *why, size_t size) {
    if (size) why[0] = '\0';
    char typed[640];
    typed_shown(typed, sizeof typed, text);
    switch (n->kind) {
    case DOC_NUMBER: {
        double v;
        char held[480];
        if (doc_number_read(text, &v, held, sizeof held) != 0) {
            if (held[0]) /* a number, but not one a double holds as typed */
                snprintf(why, size, "expected %s, found \"%s\"", held, typed);
            else
                snprintf(why, size, "expected a number%s, found \"%s\"",
                         strchr(text, ',') ? " (with a point for decimals: 0.12)" : "", typed);
            return TUI_VALUE_BAD;
        }
        /* A negative zero typed ("-0", "-0.0", "-0e3") is the 0 a person
         * means: stored as it was typed, it loaded (-0 is in [0, 1e15]) and
         * was shown and saved as "-0", a price that reads as negative. Over
         * a zero it is no edit: a file's own -0.0, shown as "-0" and
         * accepted as shown, stays as the file writes it. */
        if (v == 0 && signbit(v)) {
            if (n->number == 0) {
                *number = n->number;
                return TUI_VALUE_SAME;
            }
            v = 0;
        }
        *number = v;
        if (v == n->number && signbit(v) == signbit(n->number)) return TUI_VALUE_SAME;
        /* A new value is saved in the shortest form that reads back to its
         * double (doc_number_text): refused when that is not the decimal
         * typed, as 1234567.1234567891 would be saved as ...892 (a double
         * holds 15 to 17 significant digits). */
        char shown[64], a[160], b[160];
        doc_number_text(v, shown, sizeof shown);
        decimal_key(text, a, sizeof a);
        decimal_key(shown, b, sizeof b);
        if (strcmp(a, b) != 0) {
            snprintf(why, size,
                     "expected a number that reads as written (it would be saved as %s: a double "
                     "holds 15 to 17 significant digits), found \"%s\"",
                     shown, typed);
            return TUI_VALUE_BAD;
        }
        return TUI_VALUE_NEW;
    }
    case DOC_BOOL: {
        size_t len = strlen(text);
        const char *t = text;
        while (*t == ' ') t++, len--;
        while (len > 0 && t[len - 1] == ' ') len--;
        if (len == 4 && strncmp(t, "true", 4) == 0)
            *boolean = true;
        else if (len == 5 && strncmp(t, "false", 5) == 0)
            *boolean = false;
        else {
            snprintf(why, size, "expected true or false, found \"%s\"", typed);
            return TUI_VALUE_BAD;
        }
        return *boolean == n->boolean ? TUI_VALUE_SAME : TUI_VALUE_NEW;
    }
    case DOC_STRING:
        return strcmp(text, n->text ? n->text : "") == 0 ? TUI_VALUE_SAME : TUI_VALUE_NEW;
    case DOC_NULL:
    case DOC_OBJECT:
    case DOC_ARRAY: break;
    }
    snprintf(why, size, "%s", "only a number, a string or true/false can be typed");
    return TUI_VALUE_BAD;
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

void tui_bar_eighths(const double *frac, int bins, int height, int *eighths) {
    double top = 0;
    for (int b = 0; b < bins; b++) top = fmax(top, frac[b]);
    for (int b = 0; b < bins; b++) {
        eighths[b] = top > 0 ? (int)lround(frac[b] / top * height * 8) : 0;
        if (frac[b] > 0 && eighths[b] == 0) eighths[b] = 1; /* a non-empty bin shows */
    }
}

int tui_bin_of(double x, double lo, double hi, int bins) {
    if (!(hi > lo) || bins < 1) return 0;
    int b = (int)floor((x - lo) / (hi - lo) * bins);
    if (b < 0) b = 0;
    if (b >= bins) b = bins - 1;
    return b;
}

/* ------------------------------------------------- fitting text to the screen */

/* The marker of text cut short, at its end or (left) at its start. */
static const char *cut_marker(int unicode, int left) { return unicode ? "…" : left ? "<" : ">"; }

/* s in at most cols columns into buf: whole when it fits, else as many
 * whole characters as fit before the marker (the marker alone in one
 * column, nothing in none). */
static void cut_right(char *buf, size_t size, const char *s, int cols, int unicode) {
    if (present_width(s) <= cols)
        snprintf(buf, size, "%s", s);
    else if (cols < 1)
        snprintf(buf, size, "%s", "");
    else
        snprintf(buf, size, "%.*s%s", (int)present_fit(s, cols - 1), s, cut_marker(unicode, 0));
}

const char *tui_fit(char *buf, size_t size, const char *s, int cols, int unicode) {
    if (present_width(s) <= cols || cols < 1) {
        cut_right(buf, size, s, cols, unicode);
        return buf;
    }
    size_t n = present_fit(s, cols - 1); /* the bytes before the marker */
    if (n > 0 && s[n] != ' ' && s[n - 1] != ' ') {
        /* The cut splits a word: one with a digit goes whole. */
        size_t start = n, end = n;
        while (start > 0 && s[start - 1] != ' ') start--;
        while (s[end] && s[end] != ' ') end++;
        int digit = 0;
        for (size_t i = start; i < end; i++) digit |= s[i] >= '0' && s[i] <= '9';
        if (digit && start > 0) n = start;
    }
    snprintf(buf, size, "%.*s%s", (int)n, s, cut_marker(unicode, 0));
    return buf;
}

const char *tui_fit_middle(char *buf, size_t size, const char *s, int cols, int unicode) {
    if (present_width(s) <= cols || cols < 2) {
        cut_right(buf, size, s, cols, unicode);
        return buf;
    }
    const int tail = (cols - 1) / 2;
    const size_t head = present_fit(s, cols - 1 - tail);
    const char *t = s + head;
    while (*t && present_width(t) > tail)
        for (t++; is_cont(*t); t++) {
        }
    snprintf(buf, size, "%.*s%s%s", (int)head, s, cut_marker(unicode, 0), t);
    return buf;
}

int tui_title_lines(char *l1, char *l2, size_t size, const char *head, const char *whose,
                    const char *measure, int cols, int unicode) {
    char full[1200], cut[1200], h[600];
    snprintf(full, sizeof full, "%s%s%s", head, whose, measure);
    l2[0] = '\0';
    if (present_width(full) <= cols) {
        snprintf(l1, size, "%s", full);
        return 1;
    }
    const char *rest;
    size_t k = present_line(full, cols, &rest);
    /* Cut between words, not inside one (a space was skipped). */
    if (present_width(rest) <= cols && k > 0 && rest > full + k) {
        snprintf(l1, size, "%.*s", (int)k, full);
        snprintf(l2, size, "%s", rest);
        return 2;
    }
    const int room = cols - present_width(head), mw = present_width(measure);
    if (room >= 16 && *whose) {
        snprintf(l1, size, "%s%s", head, tui_fit_middle(cut, sizeof cut, whose, room, unicode));
        tui_fit(l2, size, measure, cols, unicode);
        return 2;
    }
    /* The head without its closing space, alone on the first line. */
    snprintf(h, sizeof h, "%s", head);
    for (size_t n = strlen(h); n > 0 && h[n - 1] == ' ';) h[--n] = '\0';
    tui_fit(l1, size, h, cols, unicode);
    if (cols - mw >= 4 || (*whose && present_width(whose) + mw <= cols))
        snprintf(l2, size, "%s%s", tui_fit_middle(cut, sizeof cut, whose, cols - mw, unicode),
                 measure);
    else
        tui_fit(l2, size, measure, cols, unicode);
    return 2;
}

/* The field's words of a term's name (core: the words before the quoted
 * name, `all` of them, less its kind when `dropped`) in at most cols
 * columns, into buf: ending in the marker when anything was left out,
 * never in a space before it. */
static void term_head(char *buf, size_t size, const char *core, const char *all, int dropped,
                      int cols, int unicode) {
    char t[512];
    if (present_width(core) + dropped <= cols)
        snprintf(t, sizeof t, "%s%s", core, dropped ? cut_marker(unicode, 0) : "");
    else
        tui_fit(t, sizeof t, all, cols, unicode);
    /* "return …" reads as a word on its own: "return…". */
    const char *mk = cut_marker(unicode, 0);
    size_t n = strlen(t), m = strlen(mk);
    if (n > m && strcmp(t + n - m, mk) == 0) {
        size_t k = n - m;
        while (k > 0 && t[k - 1] == ' ') k--;
        memmove(t + k, t + n - m, m + 1);
    }
    snprintf(buf, size, "%s", t);
}

const char *tui_term_label(char *buf, size_t size, const char *label, int cols, int unicode) {
    const char *q1 = strchr(label, '"'), *q2 = q1 ? strchr(q1 + 1, '"') : NULL;
    if (present_width(label) <= cols || cols < 1 || q2 == NULL) {
        tui_fit(buf, size, label, cols, unicode);
        return buf;
    }
    /* The field's words: the text before the quoted name, less the kind
     * of thing named ("of stage", "on outcome"), which the name says. */
    char core[512], all[512];
    snprintf(all, sizeof all, "%.*s", (int)(q1 - label), label);
    size_t n = strlen(all);
    while (n > 0 && all[n - 1] == ' ') all[--n] = '\0';
    snprintf(core, sizeof core, "%s", all);
    int dropped = 0;
    char *last = strrchr(core, ' ');
    if (last && last > core) {
        char *prep = last - 1;
        while (prep > core && prep[-1] != ' ') prep--;
        static const char *const preps[] = {"of ", "on ", "for ", "in "};
        for (size_t k = 0; k < sizeof preps / sizeof preps[0] && !dropped; k++)
            if (strncmp(prep, preps[k], strlen(preps[k])) == 0 && prep > core) {
                while (prep > core && prep[-1] == ' ') prep--;
                *prep = '\0';
                dropped = 1;
            }
    }
    const int cw = present_width(core), sp = cw > 0 || dropped ? 1 : 0;
    char name[512], head[512];
    snprintf(name, sizeof name, "%.*s", (int)(q2 + 1 - q1), q1);
    const char *rest = q2 + 1;
    const int nw = present_width(name), rw = present_width(rest);
    const char *more = *rest ? cut_marker(unicode, 0) : "";
    const int mw = present_width(more);
    /* The kind left out; then what follows the name. */
    if (cw + dropped + sp + nw + rw <= cols) {
        term_head(head, sizeof head, core, all, dropped, cw + dropped, unicode);
        snprintf(buf, size, "%s%s%s%s", head, sp ? " " : "", name, rest);
        return buf;
    }
    if (cw + dropped + sp + nw + mw <= cols) {
        term_head(head, sizeof head, core, all, dropped, cw + dropped, unicode);
        snprintf(buf, size, "%s%s%s%s", head, sp ? " " : "", name, more);
        return buf;
    }
    /* The field's words cut, down to 8 columns; then the name in its middle. */
    const int hmin = cw + dropped < 8 ? cw + dropped : 8;
    int hw = cols - sp - nw - mw;
    if (hw < hmin) hw = hmin;
    term_head(head, sizeof head, core, all, dropped, hw, unicode);
    int room = cols - present_width(head) - sp - mw;
    if (room >= nw) {
        snprintf(buf, size, "%s%s%s%s", head, sp ? " " : "", name, more);
    } else if (room >= 4) {
        char inner[512], cut[512];
        snprintf(inner, sizeof inner, "%.*s", (int)(q2 - q1 - 1), q1 + 1);
        tui_fit_middle(cut, sizeof cut, inner, room - 2, unicode);
        snprintf(buf, size, "%s%s\"%s\"%s", head, sp ? " " : "", cut, more);
    } else {
        tui_fit(buf, size, label, cols, unicode);
    }
    return buf;
}

int tui_tornado_stacked(const char *const *names, size_t n, int cols, int unicode) {
    if (cols < TUI_TORNADO_NAME_MIN) return 1;
    /* Each label at most cols columns of at most 4 bytes, and the NUL. */
    const size_t w = 4 * (size_t)cols + 8;
    char *lab = n > 0 ? malloc(n * w) : NULL;
    if (n > 0 && lab == NULL) return 1; /* cannot tell: the layout that tells them apart */
    int alike = 0;
    for (size_t i = 0; i < n && !alike; i++) {
        tui_term_label(lab + i * w, w, names[i], cols, unicode);
        for (size_t j = 0; j < i && !alike; j++)
            alike = strcmp(lab + i * w, lab + j * w) == 0 && strcmp(names[i], names[j]) != 0;
    }
    free(lab);
    return alike;
}

const char *tui_more_line(char *buf, size_t size, const char *what, int first, int last, int total,
                          int cols, int unicode) {
    char s[160];
    snprintf(s, sizeof s, "-- %s %d-%d of %d: J down, K up --", what, first, last, total);
    if (present_width(s) > cols) snprintf(s, sizeof s, "%s %d-%d of %d", what, first, last, total);
    return tui_fit(buf, size, s, cols, unicode);
}

/* s in at most cols columns into buf: whole when it fits, else the marker
 * and as many whole characters of its end as fit after it. */
static void cut_left(char *buf, size_t size, const char *s, int cols, int unicode) {
    if (present_width(s) <= cols) {
        snprintf(buf, size, "%s", s);
        return;
    }
    if (cols < 1) {
        snprintf(buf, size, "%s", "");
        return;
    }
    const char *t = s;
    while (*t && present_width(t) > cols - 1)
        for (t++; is_cont(*t); t++) {
        }
    snprintf(buf, size, "%s%s", cut_marker(unicode, 1), t);
}

const char *tui_tree_row(char *buf, size_t size, int depth, const char *key, const char *value,
                         const char *suffix, int whole, int cols, int unicode) {
    const int ind = 2 * depth, kw = present_width(key), vw = present_width(value);
    const int sw = present_width(suffix);
    char k[512], v[512], line[1100];
    snprintf(line, sizeof line, "%*s%s: %s%s", ind, "", key, value, suffix);
    if (ind + kw + 2 + vw + sw <= cols) {
        snprintf(buf, size, "%s", line);
        return buf;
    }
    const int kmin = kw < 2 ? kw : 2; /* a key shortened: one character and the marker */
    int room;
    if (whole) {
        /* The value keeps its columns: the key gives way, then the suffix. */
        if ((room = cols - ind - 2 - vw - sw) >= kmin) {
            cut_right(k, sizeof k, key, room, unicode);
            snprintf(buf, size, "%*s%s: %s%s", ind, "", k, value, suffix);
        } else if ((room = cols - ind - 2 - vw) >= kmin) {
            cut_right(k, sizeof k, key, room, unicode);
            snprintf(buf, size, "%*s%s: %s", ind, "", k, value);
        } else if ((room = cols - ind - kmin - 2) >= 1) {
            cut_right(k, sizeof k, key, kmin, unicode);
            cut_right(v, sizeof v, value, room, unicode);
            snprintf(buf, size, "%*s%s: %s", ind, "", k, v);
        } else {
            cut_right(buf, size, line, cols, unicode);
        }
        return buf;
    }
    /* A string: the key stays, the value is cut before the suffix, which
     * goes when the value would keep less than a character and the marker. */
    if ((room = cols - ind - kw - 2 - sw) >= 2) {
        cut_right(v, sizeof v, value, room, unicode);
        snprintf(buf, size, "%*s%s: %s%s", ind, "", key, v, suffix);
    } else if ((room = cols - ind - kw - 2) >= 2) {
        cut_right(v, sizeof v, value, room, unicode);
        snprintf(buf, size, "%*s%s: %s", ind, "", key, v);
    } else {
        cut_right(buf, size, line, cols, unicode);
    }
    return buf;
}

/* s appended to buf (of `size` bytes, `*len` of them in use), as much of
 * it as fits. */
static void append(char *buf, size_t size, size_t *len, const char *s) {
    if (*len + 1 >= size) return;
    size_t n = strlen(s), room = size - *len - 1;
    if (n > room) n = room;
    memcpy(buf + *len, s, n);
    *len += n;
    buf[*len] = '\0';
}

const char *tui_status_line(char *buf, size_t size, const char *const *run, int n_run,
                            const char *file, const char *flags, const char *hint, int cols,
                            int unicode) {
    /* The columns before the file name with the first k items of the run:
     * " ITEM  ITEM  |  ", or " " with none. */
    int before[64] = {1};
    if (n_run > 63) n_run = 63;
    for (int k = 1; k <= n_run; k++)
        before[k] = (k == 1 ? 1 + 5 : before[k - 1] + 2) + present_width(run[k - 1]);
    const int fw = present_width(file), gw = present_width(flags);
    const int want = fw < TUI_STATUS_FILE_MIN ? fw : TUI_STATUS_FILE_MIN;
    int keep = n_run;
    while (keep > 0 && cols - before[keep] - gw < want) keep--;
    char line[2048] = "", name[1024];
    size_t len = 0;
    append(line, sizeof line, &len, " ");
    for (int k = 0; k < keep; k++) {
        if (k > 0) append(line, sizeof line, &len, "  ");
        append(line, sizeof line, &len, run[k]);
    }
    if (keep > 0) append(line, sizeof line, &len, "  |  ");
    cut_left(name, sizeof name, file, cols - before[keep] - gw, unicode);
    append(line, sizeof line, &len, name);
    append(line, sizeof line, &len, flags);
    /* The hint's items ("? help", "q quit", two spaces apart), each whole:
     * as many of the first as fit after "  |  ". */
    int used = present_width(line), hw = 0;
    for (const char *h = hint; *h;) {
        size_t k = strstr(h, "  ") ? (size_t)(strstr(h, "  ") - h) : strlen(h);
        int w = present_width_n(h, k) + (hw ? 2 : 5);
        if (used + hw + w > cols) break;
        hw += w;
        h += k;
        while (*h == ' ') h++;
    }
    if (hw > 0) {
        append(line, sizeof line, &len, "  |  ");
        char part[256];
        snprintf(part, sizeof part, "%.*s", (int)present_fit(hint, hw - 5), hint);
        append(line, sizeof line, &len, part);
    }
    snprintf(buf, size, "%.*s", (int)present_fit(line, cols), line);
    return buf;
}

/* The columns of the SE item but the name: "SE(mean IRR, " and ") "
 * around it, and the SE after them. */
static int se_frame(const char *se) {
    return present_width("SE(mean IRR, ") + present_width(") ") + present_width(se);
}

const char *tui_se_item(char *buf, size_t size, const char *whose, const char *se, int cols,
                        int unicode) {
    const int room = cols - se_frame(se);
    if (whose == NULL || whose[0] == '\0' || (room < 2 && present_width(whose) > room)) {
        snprintf(buf, size, "SE(mean IRR) %s", se);
        return buf;
    }
    char name[512];
    cut_right(name, sizeof name, whose, room < present_width(whose) ? room : present_width(whose),
              unicode);
    snprintf(buf, size, "SE(mean IRR, %s) %s", name, se);
    return buf;
}

int tui_se_room(const char *whose, const char *se, int cols, int more) {
    const int name = whose ? present_width(whose) : 0;
    const int want = se_frame(se) + (name < TUI_SE_NAME_MIN ? name : TUI_SE_NAME_MIN);
    if (name == 0 || cols >= want) return cols;
    return more < want ? more : want;
}

void tui_place_labels(int n, const int *want, const int *len, int cols, int gap, int *at) {
    for (int k = 0; k < n; k++) {
        int x = want[k] + len[k] > cols ? cols - len[k] : want[k];
        for (int j = 0; j < k && x >= 0; j++)
            if (at[j] >= 0 && x < at[j] + len[j] + gap && at[j] < x + len[k] + gap) x = -1;
        at[k] = x < 0 ? -1 : x;
    }
}

const char *tui_join_fit(char *buf, size_t size, const char *const *items, int n, int cols) {
    size_t len = 0;
    if (size) buf[0] = '\0';
    int total = 0;
    for (int k = 0; k < n; k++) total += present_width(items[k]);
    /* Two spaces between the items, or one, or the first items that fit. */
    const int sep = total + 2 * (n - 1) <= cols ? 2 : 1;
    for (int k = 0, used = 0; k < n; k++) {
        int w = present_width(items[k]) + (k ? sep : 0);
        if (used + w > cols) break;
        if (k) append(buf, size, &len, sep == 2 ? "  " : " ");
        append(buf, size, &len, items[k]);
        used += w;
    }
    return buf;
}
