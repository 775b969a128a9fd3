/* table.c -- a table of labelled rows laid out to a width. See table.h. */
#include "table.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

#define LABEL_MIN 24 /* the label column is not narrowed below this */
#define BAR_MIN 10   /* a bar has at least this many columns ... */
#define BAR_MAX 40   /* ... and at most this many */
#define BAR_WANT 20  /* labels widen only while the bar keeps this many */
#define LINE_MAX 8192

typedef struct trow {
    int text;      /* a line of text rather than a row of cells */
    int indent, hang;
    char *label;   /* the label, or the text */
    char **cells;  /* [n_cols], NULL for a text line */
    double bar;    /* < 0: none */
} trow;

struct present_table {
    size_t n_cols;
    char **heads;
    int *drop;
    char *hidden;  /* [n_cols]: left out */
    int head_width, margin, label_min, col_min, label_floor;
    trow *rows;
    size_t n_rows, cap;
    int has_bar;
};

static char *dup_or_empty(const char *s) { return strdup(s ? s : ""); }

present_table *present_table_new(size_t n_cols, const char *const *heads, const int *drop) {
    present_table *t = calloc(1, sizeof *t);
    if (t == NULL) return NULL;
    t->n_cols = n_cols;
    t->margin = 2;
    t->label_min = LABEL_MIN;
    t->heads = calloc(n_cols + 1, sizeof *t->heads);
    t->drop = calloc(n_cols + 1, sizeof *t->drop);
    t->hidden = calloc(n_cols + 1, 1);
    if (t->heads == NULL || t->drop == NULL || t->hidden == NULL) {
        present_table_free(t);
        return NULL;
    }
    for (size_t j = 0; j < n_cols; j++) {
        t->heads[j] = dup_or_empty(heads ? heads[j] : NULL);
        if (t->heads[j] == NULL) {
            present_table_free(t);
            return NULL;
        }
        t->drop[j] = drop ? drop[j] : 0;
    }
    return t;
}

void present_table_free(present_table *t) {
    if (t == NULL) return;
    for (size_t i = 0; i < t->n_rows; i++) {
        free(t->rows[i].label);
        for (size_t j = 0; t->rows[i].cells && j < t->n_cols; j++) free(t->rows[i].cells[j]);
        free(t->rows[i].cells);
    }
    free(t->rows);
    for (size_t j = 0; t->heads && j < t->n_cols; j++) free(t->heads[j]);
    free(t->heads);
    free(t->drop);
    free(t->hidden);
    free(t);
}

void present_table_head_width(present_table *t, int cols) { t->head_width = cols; }
void present_table_margin(present_table *t, int margin) { t->margin = margin < 0 ? 0 : margin; }
void present_table_hide(present_table *t, size_t j) {
    if (j < t->n_cols) t->hidden[j] = 1;
}
void present_table_col_min(present_table *t, int cols) { t->col_min = cols; }
void present_table_label_width(present_table *t, int cols) { t->label_floor = cols; }
void present_table_label_min(present_table *t, int cols) { t->label_min = cols < 8 ? 8 : cols; }

static trow *new_row(present_table *t) {
    if (t->n_rows == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        trow *r = realloc(t->rows, cap * sizeof *r);
        if (r == NULL) return NULL;
        t->rows = r;
        t->cap = cap;
    }
    trow *r = &t->rows[t->n_rows];
    memset(r, 0, sizeof *r);
    r->bar = -1;
    return r;
}

int present_table_row(present_table *t, int indent, const char *label, const char *const *cells,
                      double bar) {
    trow *r = new_row(t);
    if (r == NULL) return -1;
    r->indent = indent;
    r->label = dup_or_empty(label);
    r->cells = calloc(t->n_cols + 1, sizeof *r->cells);
    int ok = r->label != NULL && r->cells != NULL;
    for (size_t j = 0; ok && j < t->n_cols; j++) ok = (r->cells[j] = dup_or_empty(cells ? cells[j] : NULL)) != NULL;
    if (!ok) {
        for (size_t j = 0; r->cells && j < t->n_cols; j++) free(r->cells[j]);
        free(r->cells);
        free(r->label);
        return -1;
    }
    r->bar = bar;
    if (bar >= 0) t->has_bar = 1;
    t->n_rows++;
    return 0;
}

int present_table_text(present_table *t, int indent, int hang, const char *text) {
    trow *r = new_row(t);
    if (r == NULL) return -1;
    r->text = 1;
    r->indent = indent;
    r->hang = hang;
    r->label = dup_or_empty(text);
    if (r->label == NULL) return -1;
    t->n_rows++;
    return 0;
}

/* ----------------------------------------------------------------- layout */

/* A line being built: appended to, then printed without trailing spaces. */
typedef struct line {
    char s[LINE_MAX];
    size_t n;
} line;

static void put(line *l, const char *s, size_t n) {
    if (n > sizeof l->s - 1 - l->n) n = sizeof l->s - 1 - l->n;
    memcpy(l->s + l->n, s, n);
    l->n += n;
    l->s[l->n] = '\0';
}
static void spaces(line *l, int n) {
    for (int k = 0; k < n; k++) put(l, " ", 1);
}
/* s right-aligned (right) or left-aligned in `width` columns. */
static void aligned(line *l, const char *s, size_t n, int width, int right) {
    int w = present_width_n(s, n);
    if (right) spaces(l, width - w);
    put(l, s, n);
    if (!right) spaces(l, width - w);
}
static void emit(FILE *out, line *l) {
    while (l->n > 0 && l->s[l->n - 1] == ' ') l->n--;
    fprintf(out, "%.*s\n", (int)l->n, l->s);
    l->n = 0;
    l->s[0] = '\0';
}

/* The widest line of s wrapped to `limit` columns (0: not wrapped, only
 * its newlines break it), and the number of lines. */
static int wrapped_width(const char *s, int limit, int *lines) {
    int w = 0, n = 0;
    for (const char *p = s; *p;) {
        const char *next;
        size_t k = present_line(p, limit > 0 ? limit : 1 << 20, &next);
        int lw = present_width_n(p, k);
        if (lw > w) w = lw;
        n++;
        p = next;
    }
    *lines = n;
    return w;
}

void present_table_print(FILE *out, const present_table *t, int width, int unicode) {
    size_t nc = t->n_cols;
    int *colw = calloc(nc + 1, sizeof *colw), *kept = calloc(nc + 1, sizeof *kept);
    int *hlines = calloc(nc + 1, sizeof *hlines);
    if (colw == NULL || kept == NULL || hlines == NULL) {
        free(colw);
        free(kept);
        free(hlines);
        return;
    }
    /* Column widths: cells, then headers wrapped to fit. */
    int label_need = 0, any_head = 0;
    for (size_t i = 0; i < t->n_rows; i++) {
        const trow *r = &t->rows[i];
        if (r->text) continue;
        int lw = r->indent + present_width(r->label);
        if (lw > label_need) label_need = lw;
        for (size_t j = 0; j < nc; j++) {
            int cw = present_width(r->cells[j]);
            if (cw > colw[j]) colw[j] = cw;
        }
    }
    if (label_need < t->label_floor) label_need = t->label_floor;
    for (size_t j = 0; j < nc; j++) {
        if (colw[j] < t->col_min) colw[j] = t->col_min;
        int limit = t->head_width > 0 ? (colw[j] > t->head_width ? colw[j] : t->head_width) : 0;
        int hw = wrapped_width(t->heads[j], limit, &hlines[j]);
        if (hw > colw[j]) colw[j] = hw;
        kept[j] = !t->hidden[j];
        if (kept[j] && t->heads[j][0]) any_head = 1;
    }
    const int M = t->margin, label_min = label_need < t->label_min ? label_need : t->label_min;
    const int bar_fit = t->has_bar ? BAR_MIN + 2 : 0;
    /* Leave out the columns that may give way until the table fits. */
    for (;;) {
        int used = M + label_min + bar_fit, worst = -1;
        for (size_t j = 0; j < nc; j++)
            if (kept[j]) {
                used += colw[j] + 1;
                if (t->drop[j] > 0 && (worst < 0 || t->drop[j] >= t->drop[worst])) worst = (int)j;
            }
        if (width <= 0 || used <= width || worst < 0) break;
        kept[worst] = 0;
    }
    /* Blocks of columns, each fitting beside the labels. */
    size_t first = 0;
    int block = 0;
    while (first < nc || (nc == 0 && block == 0)) {
        size_t last = first; /* the block is [first, last) */
        int sum = 0;
        while (last < nc) {
            if (!kept[last]) {
                last++;
                continue;
            }
            int add = colw[last] + 1;
            if (width > 0 && sum > 0 && M + label_min + sum + add + bar_fit > width) break;
            sum += add;
            last++;
        }
        int any = nc == 0;
        for (size_t j = first; j < last; j++) any |= kept[j];
        if (!any && block > 0) { /* only columns left out: nothing more to print */
            first = last;
            continue;
        }
        int bars = last >= nc && t->has_bar; /* the bar goes after the last block */
        int L = label_need;
        if (width > 0) {
            int room = width - M - sum - (bars ? BAR_WANT + 2 : 0);
            if (L > room) L = room;
            if (L < label_min) L = label_min;
        }
        int barw = 0;
        if (bars) {
            barw = width > 0 ? width - M - L - sum - 2 : BAR_MAX;
            if (barw > BAR_MAX) barw = BAR_MAX;
            if (barw < BAR_MIN) barw = BAR_MIN;
        }
        if (block++ > 0) fputc('\n', out);
        line l = {.n = 0};
        l.s[0] = '\0';
        /* The header, over as many lines as its longest column needs. */
        int hmax = 0;
        for (size_t j = first; j < last; j++)
            if (kept[j] && hlines[j] > hmax) hmax = hlines[j];
        for (int h = 0; any_head && h < hmax; h++) {
            spaces(&l, M + L);
            for (size_t j = first; j < last; j++) {
                if (!kept[j]) continue;
                int limit = t->head_width > 0 ? colw[j] : 1 << 20;
                const char *p = t->heads[j], *next = p;
                size_t k = 0;
                for (int skip = 0; skip <= h && *p; skip++) {
                    k = present_line(p, limit, &next);
                    if (skip < h) p = next;
                }
                spaces(&l, 1);
                if (h < hlines[j]) aligned(&l, p, k, colw[j], 1);
                else spaces(&l, colw[j]);
            }
            emit(out, &l);
        }
        for (size_t i = 0; i < t->n_rows; i++) {
            const trow *r = &t->rows[i];
            if (r->text) {
                present_wrap(out, r->label, M + r->indent, M + r->hang, width);
                continue;
            }
            /* The label, wrapped in its column; the cells on its first line. */
            int lw = L - r->indent;
            if (lw < 8 && present_width(r->label) > lw) lw = 8; /* no one-letter lines */
            const char *p = r->label, *next;
            size_t k = present_line(p, lw, &next);
            spaces(&l, M + r->indent);
            aligned(&l, p, k, lw, 0);
            for (size_t j = first; j < last; j++) {
                if (!kept[j]) continue;
                spaces(&l, 1);
                aligned(&l, r->cells[j], strlen(r->cells[j]), colw[j], 1);
            }
            if (bars && r->bar >= 0) {
                char bar[4 * BAR_MAX + 8];
                put(&l, " |", 2);
                present_hbar(bar, sizeof bar, r->bar, barw, unicode);
                put(&l, bar, strlen(bar));
            }
            emit(out, &l);
            /* Continuation lines hang four columns in, so that the end of a
             * wrapped label ("E[in]") reads neither as a row of its own nor
             * as a row's note below it (text rows, indented two). */
            const int cw = lw >= 12 ? lw - 4 : lw;
            for (p = next; *p; p = next) {
                k = present_line(p, cw, &next);
                spaces(&l, M + r->indent + (lw - cw));
                put(&l, p, k);
                emit(out, &l);
            }
        }
        first = last;
        if (nc == 0) break;
    }
    free(colw);
    free(kept);
    free(hlines);
}
