/* indigo_read.c -- reading an INDIGO record for the mapping (indigo.c):
 * a field's value only when it is public, its number, date or money
 * triple checked (a malformed one is an error at its JSON Pointer), every
 * field used or skipped noted, and every scenario field filled recorded
 * as an assumption with where it came from. See indigo_internal.h.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "indigo_internal.h"

/* ----------------------------------------------------------------- notes */

/* Add a note to the import (out of memory: m->oom, and the note is lost). */
void im_note(mapper *m, indigo_note_kind kind, const char *pointer, const char *fmt, ...) {
    indigo_import *imp = m->imp;
    if (imp->n_notes == imp->cap_notes) {
        size_t cap = imp->cap_notes ? 2 * imp->cap_notes : 32;
        indigo_note *grown = realloc(imp->notes, cap * sizeof *grown);
        if (grown == NULL) {
            m->oom = 1;
            return;
        }
        imp->notes = grown;
        imp->cap_notes = cap;
    }
    indigo_note *n = &imp->notes[imp->n_notes++];
    n->kind = kind;
    snprintf(n->pointer, sizeof n->pointer, "%s", pointer ? pointer : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(n->text, sizeof n->text, fmt, ap);
    va_end(ap);
}

void im_assume(mapper *m, const char *pointer, const char *status, int source, const char *fmt,
               ...) {
    char text[1500];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    im_utf8_trim(text); /* a cut note stays UTF-8 */
    cJSON *a = cJSON_CreateObject();
    if (a == NULL || !cJSON_AddItemToArray(m->assumptions, a)) {
        cJSON_Delete(a);
        m->oom = 1;
        return;
    }
    cJSON_AddStringToObject(a, "pointer", pointer);
    cJSON_AddStringToObject(a, "note", text);
    cJSON_AddStringToObject(a, "status", status);
    if (source != SRC_NONE) cJSON_AddNumberToObject(a, "source", source);
    if (strcmp(status, "sourced") == 0)
        m->imp->n_sourced++;
    else if (strcmp(status, "inferred") == 0)
        m->imp->n_inferred++;
    else
        m->imp->n_assumed++;
}

/* ----------------------------------------------------------- the record */

/* Whether s holds nothing but blanks (or nothing): a spreadsheet's cell
 * that looks empty, and a text of control characters made printable. */
static int blank(const char *s) {
    while (isspace((unsigned char)*s)) s++;
    return *s == '\0';
}

/* Whether text t is word w, whatever its case and the blanks around it. */
static int is_word(const char *t, const char *w) {
    while (isspace((unsigned char)*t)) t++;
    size_t n = strlen(w);
    if (strncasecmp(t, w, n) != 0) return 0;
    return blank(t + n);
}

/* im_withheld's mark for a status that is not a string. */
static const char not_text[] = "not text";

/* Whether node (a leaf or a row) is withheld: its status is anything but
 * PUBLIC. The standard's marks are PUBLIC, PRIVATE and DISPUTED; a mark
 * written in another case ("Private") is that mark, and one the standard
 * does not have ("CONFIDENTIAL", a number) is taken as not public rather
 * than used -- a value someone marked is never published by mistake. A
 * node without a status, or with a blank or null one, is public (the
 * public API and the CSV export carry public values only). *status
 * receives the mark as written, or not_text for a status that is not a
 * string (note_withheld words each). */
int im_withheld(const cJSON *node, const char **status) {
    const cJSON *s = cJSON_IsObject(node) ? cJSON_GetObjectItemCaseSensitive(node, "status") : NULL;
    if (s == NULL || cJSON_IsNull(s)) return 0;
    if (cJSON_IsString(s)) {
        if (blank(s->valuestring) || is_word(s->valuestring, "PUBLIC")) return 0;
        *status = s->valuestring;
        return 1;
    }
    *status = not_text;
    return 1;
}

/* Note node's value (what: "value") or row ("row") at ptr as withheld,
 * with the mark im_withheld gave. */
static void note_withheld(mapper *m, const char *ptr, const char *status, const char *what) {
    char cut[64];
    if (status == not_text) {
        im_note(m, INDIGO_SKIPPED, ptr, "a status that is not text: %s not used", what);
    } else if (is_word(status, "PRIVATE") || is_word(status, "DISPUTED")) {
        im_note(m, INDIGO_SKIPPED, ptr, "%s %s not used", status, what);
    } else {
        im_cut(cut, sizeof cut, status, 60);
        im_note(m, INDIGO_SKIPPED, ptr, "marked \"%s\", not PUBLIC: %s not used", cut, what);
    }
}

/* The value of the leaf at path ("a/b/c") under base, whose pointer is
 * base_ptr ("" for the record, "/investments/0" for a row). A leaf is
 * {"value": v, "status"?: ...} (or a bare v); NULL when it is absent,
 * null, an empty string or one of blanks only, or withheld -- then noted as skipped, with the
 * row's status counting for every leaf of the row. *ptr (256 bytes)
 * receives the value's pointer. The value is noted as used. */
const cJSON *im_leaf(mapper *m, const cJSON *base, const char *base_ptr, const char *path,
                     char *ptr, const cJSON **origin_leaf) {
    snprintf(ptr, 256, "%s/%s/value", base_ptr, path);
    if (origin_leaf) *origin_leaf = NULL;
    const cJSON *node = base;
    char tok[96];
    for (const char *p = path; node && *p;) {
        if (!cJSON_IsObject(node)) {
            /* A section, or a value's parts (a sum's currency and amount, a
             * period's ends), where the record has a bare value or an
             * array: malformed, not absent. */
            if (!cJSON_IsNull(node)) {
                char at[256];
                snprintf(at, sizeof at, "%s/%.*s", base_ptr, (int)(p - path - 1), path);
                im_bad_shape(m, at, node, "an object of named fields");
            }
            return NULL;
        }
        size_t n = strcspn(p, "/");
        snprintf(tok, sizeof tok, "%.*s", (int)(n < sizeof tok ? n : sizeof tok - 1), p);
        node = cJSON_GetObjectItemCaseSensitive(node, tok);
        p += n + (p[n] == '/');
    }
    if (node == NULL || cJSON_IsNull(node)) return NULL;
    const cJSON *v = node;
    if (cJSON_IsObject(node)) {
        v = cJSON_GetObjectItemCaseSensitive(node, "value");
        if (v == NULL || cJSON_IsNull(v)) return NULL;
    }
    if (cJSON_IsString(v) && blank(v->valuestring)) return NULL;
    const char *status;
    if (im_withheld(node, &status) || (base != m->rec && im_withheld(base, &status))) {
        note_withheld(m, ptr, status, "value");
        return NULL;
    }
    if (origin_leaf) *origin_leaf = node;
    im_note(m, INDIGO_USED, ptr, "used");
    return v;
}

/* "found ..." for a message: a string quoted, a number, or the type. */
static void found_text(const cJSON *v, char *buf, size_t size) {
    if (cJSON_IsString(v)) {
        char cut[64];
        im_cut(cut, sizeof cut, v->valuestring, 60);
        snprintf(buf, size, "\"%s\"", cut);
    } else if (cJSON_IsNumber(v)) {
        /* As the record writes it: the shortest of 15 and 17 digits that
         * reads back as the same number (1e+300, not 1.0000000000000001e+300). */
        snprintf(buf, size, "%.15g", v->valuedouble);
        if (strtod(buf, NULL) != v->valuedouble) snprintf(buf, size, "%.17g", v->valuedouble);
    } else if (cJSON_IsBool(v))
        snprintf(buf, size, "%s", cJSON_IsTrue(v) ? "true" : "false");
    else
        snprintf(buf, size, "%s", cJSON_IsArray(v) ? "an array" : "an object");
}

/* An error about a cell of the CSV export is about the table that holds
 * it: err->file (the projects table, as the import was given it) becomes
 * that table, beside it -- the origin ("FILE, row N, column ...") names
 * it -- so that the message's leading file is the one to open. */
static void error_in_table(sib_error *err, const char *origin) {
    if (err == NULL) return;
    const char *end = strstr(origin, ", row ");
    if (end == NULL) return;
    const char *slash = strrchr(err->file, '/');
    const int dir = slash ? (int)(slash - err->file + 1) : 0;
    char file[sizeof err->file];
    snprintf(file, sizeof file, "%.*s%.*s", dir, err->file, (int)(end - origin), origin);
    memcpy(err->file, file, sizeof file);
}

/* A malformed value at ptr: an error (-1, exit 2 at the front end), or
 * with --lenient a value left out and listed (0, as if absent). The CSV
 * origin of the leaf, when it has one, is quoted. */
static int bad_value(mapper *m, const char *ptr, const cJSON *leaf_node, const cJSON *v,
                     const char *expected) {
    if (m->shape_bad) return -1; /* the first error stands */
    char found[96];
    found_text(v, found, sizeof found);
    const cJSON *o = cJSON_IsObject(leaf_node)
                         ? cJSON_GetObjectItemCaseSensitive(leaf_node, INDIGO_ORIGIN_KEY)
                         : NULL;
    if (m->lenient) {
        im_note(m, INDIGO_SKIPPED, ptr, "malformed, not used: expected %s, found %s%s%s%s",
                expected, found, cJSON_IsString(o) ? " (" : "",
                cJSON_IsString(o) ? o->valuestring : "", cJSON_IsString(o) ? ")" : "");
        return 0;
    }
    sib_error_set(m->err, SIB_EINVAL, ptr, "expected %s, found %s%s%s%s", expected, found,
                  cJSON_IsString(o) ? " (" : "", cJSON_IsString(o) ? o->valuestring : "",
                  cJSON_IsString(o) ? ")" : "");
    if (cJSON_IsString(o)) error_in_table(m->err, o->valuestring);
    return -1;
}

int im_bad_shape(mapper *m, const char *ptr, const cJSON *node, const char *expected) {
    char found[96];
    found_text(node, found, sizeof found);
    if (m->lenient) {
        /* Every leaf read under it finds it: listed once. */
        for (size_t i = 0; i < m->imp->n_notes; i++)
            if (strcmp(m->imp->notes[i].pointer, ptr) == 0) return 0;
        im_note(m, INDIGO_SKIPPED, ptr, "malformed, not used: expected %s, found %s", expected,
                found);
        return 0;
    }
    if (!m->shape_bad)
        sib_error_set(m->err, SIB_EINVAL, ptr, "expected %s, found %s", expected, found);
    m->shape_bad = 1;
    return -1;
}

/* Whether s holds a currency's symbol and nothing else ("$", "C$", "£",
 * "US$"): a cell of the export where no amount was written. */
static int only_symbol(const char *s) {
    int symbol = 0;
    size_t letters = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '$')
            symbol = 1;
        else if (*p >= 0x80)
            symbol = 1; /* £, €, ¥ (UTF-8) */
        else if (isalpha(*p))
            letters++;
        else if (!isspace(*p))
            return 0;
    }
    return symbol && letters <= 3;
}

int indigo_parse_number(const char *s, double *out) {
    while (isspace((unsigned char)*s)) s++;
    if (*s == '\0') return -1;
    char *end;
    double x = strtod(s, &end);
    if (end == s) return -1;
    while (isspace((unsigned char)*end)) end++;
    if (*end != '\0' || !isfinite(x)) return -1;
    /* strtod reads "inf", "nan" and hexadecimal: none is an amount. */
    for (const char *p = s; p < end; p++)
        if (isalpha((unsigned char)*p) && *p != 'e' && *p != 'E') return -1;
    *out = x;
    return 0;
}

/* A number leaf within [lo, hi]: 1 and *out, 0 when absent or withheld,
 * -1 after an error (malformed: exit 2 at its pointer). what names it. */
int im_num(mapper *m, const cJSON *base, const char *bptr, const char *path, double lo, double hi,
           const char *what, double *out) {
    char ptr[256];
    const cJSON *lf;
    const cJSON *v = im_leaf(m, base, bptr, path, ptr, &lf);
    if (v == NULL) return 0;
    double x;
    if (cJSON_IsString(v) && only_symbol(v->valuestring)) {
        im_note(m, INDIGO_SKIPPED, ptr, "a currency symbol and no amount: not used");
        return 0;
    }
    if (cJSON_IsNumber(v))
        x = v->valuedouble;
    else if (!cJSON_IsString(v) || indigo_parse_number(v->valuestring, &x) != 0) {
        char expected[200];
        snprintf(expected, sizeof expected,
                 "%s: a number written without currency symbols, thousands separators or words",
                 what);
        return bad_value(m, ptr, lf, v, expected);
    }
    if (!(x >= lo && x <= hi)) {
        char expected[200];
        snprintf(expected, sizeof expected, "%s from %g to %g", what, lo, hi);
        return bad_value(m, ptr, lf, v, expected);
    }
    *out = x;
    return 1;
}

/* A text leaf: the string, or NULL (numbers are not text here). */
const char *im_text(mapper *m, const cJSON *base, const char *bptr, const char *path) {
    char ptr[256];
    const cJSON *v = im_leaf(m, base, bptr, path, ptr, NULL);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int indigo_parse_date(const char *s, double *years) {
    int y = 0, mo = 0, d = 0;
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        if (!(isdigit((unsigned char)s[i]) || ((i == 4 || i == 7) && s[i] == '-'))) return -1;
    if (n == 4) {
        y = atoi(s);
        *years = y + 0.5;
        return 0;
    }
    if (n != 7 && n != 10) return -1;
    y = atoi(s);
    mo = atoi(s + 5);
    if (s[4] != '-' || mo < 1 || mo > 12) return -1;
    if (n == 7) {
        *years = y + (mo - 1) / 12.0;
        return 0;
    }
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    d = atoi(s + 8);
    int dim = days[mo - 1] + (mo == 2 && leap(y));
    if (s[7] != '-' || d < 1 || d > dim) return -1;
    int doy = d - 1;
    for (int k = 0; k < mo - 1; k++) doy += days[k] + (k == 1 && leap(y));
    *years = y + doy / (leap(y) ? 366.0 : 365.0);
    return 0;
}

/* A date leaf: 1 and *years, 0 when absent, -1 after an error. */
int im_date(mapper *m, const cJSON *base, const char *bptr, const char *path, double *years,
            char *shown, size_t shown_size) {
    char ptr[256];
    const cJSON *lf;
    const cJSON *v = im_leaf(m, base, bptr, path, ptr, &lf);
    if (v == NULL) return 0;
    /* Blanks around the date are allowed, as around a number or a
     * currency (a spreadsheet's "2019-04 "); a date holds at most 10. */
    char date[16] = "";
    if (cJSON_IsString(v)) {
        const char *d = v->valuestring;
        while (isspace((unsigned char)*d)) d++;
        size_t n = strlen(d);
        while (n > 0 && isspace((unsigned char)d[n - 1])) n--;
        if (n < sizeof date) memcpy(date, d, n), date[n] = '\0';
    }
    if (date[0] == '\0' || indigo_parse_date(date, years) != 0) {
        return bad_value(m, ptr, lf, v,
                         "a date written YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date)");
    }
    snprintf(shown, shown_size, "%s", date);
    return 1;
}

/* A money triple at path (currency, amount[/exact|/min|/max], amount_usd):
 * 1 and *amount in the scenario's currency, 0 when absent or in another
 * currency with no usable USD figure (noted), -1 after an error. *how
 * says which figure it is ("exact", "the midpoint of min and max", ...). */
int im_money(mapper *m, const cJSON *base, const char *bptr, const char *path, int ranged,
             double *amount, const char **how) {
    char p[200], cur_ptr[256];
    snprintf(p, sizeof p, "%s/currency", path);
    const cJSON *cur_leaf;
    const cJSON *cv = im_leaf(m, base, bptr, p, cur_ptr, &cur_leaf);
    char code[4] = "";
    if (cv != NULL && !im_currency(m, cv, cur_ptr, code))
        return bad_value(m, cur_ptr, cur_leaf, cv,
                         "a currency: three letters of ISO 4217 such as GBP");
    const char *cur = cv ? code : NULL;
    double lo = 0, hi = 0, x = 0;
    int rc;
    for (int usd = 0; usd < 2; usd++) {
        const char *amt = usd ? "amount_usd" : "amount";
        if (usd && strcmp(m->currency, "USD") != 0) break;
        if (!usd && cur != NULL && strcmp(cur, m->currency) != 0) continue;
        if (ranged) {
            snprintf(p, sizeof p, "%s/%s/exact", path, amt);
            if ((rc = im_num(m, base, bptr, p, 0, MONEY_MAX, "an amount", &x)) != 0) {
                *how = usd ? "its USD figure" : "exact";
                if (rc > 0) *amount = x;
                return rc;
            }
            snprintf(p, sizeof p, "%s/%s/min", path, amt);
            int a = im_num(m, base, bptr, p, 0, MONEY_MAX, "an amount", &lo);
            snprintf(p, sizeof p, "%s/%s/max", path, amt);
            int b = a < 0 ? 0 : im_num(m, base, bptr, p, 0, MONEY_MAX, "an amount", &hi);
            if (a < 0 || b < 0) return -1;
            if (a > 0 && b > 0) {
                *amount = 0.5 * (lo + hi);
                *how = usd ? "the midpoint of its USD min and max" : "the midpoint of min and max";
                return 1;
            }
            if (a > 0 || b > 0) {
                *amount = a > 0 ? lo : hi;
                *how = a > 0 ? "its min (no max)" : "its max (no min)";
                return 1;
            }
        } else {
            snprintf(p, sizeof p, "%s/%s", path, amt);
            if ((rc = im_num(m, base, bptr, p, 0, MONEY_MAX, "an amount", &x)) != 0) {
                *how = usd ? "its USD figure" : "the amount";
                if (rc > 0) *amount = x;
                return rc;
            }
        }
    }
    if (cur != NULL && strcmp(cur, m->currency) != 0)
        im_note(m, INDIGO_SKIPPED, cur_ptr,
                "in %s, not the scenario's %s, and no USD figure usable: not used", cur,
                m->currency);
    return 0;
}

/* The rows of the array key, or NULL. */
int im_currency(mapper *m, const cJSON *v, const char *ptr, char code[4]) {
    if (!cJSON_IsString(v)) return 0;
    const char *s = v->valuestring;
    while (isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1])) n--;
    if (n == 3 && isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1]) &&
        isalpha((unsigned char)s[2])) {
        for (int i = 0; i < 3; i++) code[i] = (char)toupper((unsigned char)s[i]);
        code[3] = '\0';
        return 1;
    }
    /* Names written in words in the export, read as their code. */
    static const char *const names[][2] = {
        {"ruble", "RUB"},      {"rouble", "RUB"},    {"shekel", "ILS"},      {"korean won", "KRW"},
        {"yen", "JPY"},        {"swedish", "SEK"},   {"krona", "SEK"},       {"swiss", "CHF"},
        {"rand", "ZAR"},       {"nz dollar", "NZD"}, {"new zealand", "NZD"}, {"pound", "GBP"},
        {"sterling", "GBP"},   {"euro", "EUR"},      {"us dollar", "USD"},   {"canadian", "CAD"},
        {"australian", "AUD"}, {"yuan", "CNY"},      {"renminbi", "CNY"}};
    char low[64];
    size_t k = 0;
    for (; k < n && k + 1 < sizeof low; k++) low[k] = (char)tolower((unsigned char)s[k]);
    low[k] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strstr(low, names[i][0]) != NULL) {
            memcpy(code, names[i][1], 4);
            if (ptr != NULL)
                im_note(m, INDIGO_WARNING, ptr, "the currency \"%.40s\" is read as %s", low, code);
            return 1;
        }
    return 0;
}

size_t im_utf8_trim(char *s) {
    size_t n = strlen(s), k = n;
    /* Back over continuation bytes to the last lead byte, and drop the
     * sequence when it is shorter than its lead byte says. */
    while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80) k--;
    if (k > 0 && ((unsigned char)s[k - 1] & 0x80)) {
        unsigned char lead = (unsigned char)s[k - 1];
        size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (n - (k - 1) < want) n = k - 1;
    }
    s[n] = '\0';
    return n;
}

void im_printable_tree(cJSON *node) {
    for (; node != NULL; node = node->next) {
        if (cJSON_IsString(node) && node->valuestring != NULL) {
            unsigned char *r = (unsigned char *)node->valuestring, *w = r;
            for (; *r; r++) {
                if (*r < 0x20 || *r == 0x7F) {
                    *w++ = ' ';
                } else if (*r == 0xC2 && r[1] >= 0x80 && r[1] <= 0x9F) {
                    *w++ = ' '; /* U+0080..U+009F: two bytes become one space */
                    r++;
                } else {
                    *w++ = *r;
                }
            }
            *w = '\0';
        }
        im_printable_tree(node->child);
    }
}

void im_cut(char *dst, size_t size, const char *src, size_t max) {
    if (max >= size) max = size - 1;
    snprintf(dst, size, "%.*s", (int)max, src ? src : "");
    im_utf8_trim(dst);
}

const cJSON *im_rows(const cJSON *rec, const char *key) {
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(rec, key);
    return cJSON_IsArray(a) && cJSON_GetArraySize(a) > 0 ? a : NULL;
}

/* Whether row i of array key is withheld as a whole (noted once). */
int im_row_withheld(mapper *m, const cJSON *row, const char *key, int i, char *ptr, size_t size) {
    const char *status = "not an object:";
    snprintf(ptr, size, "/%s/%d", key, i);
    if (!cJSON_IsObject(row)) {
        im_note(m, INDIGO_SKIPPED, ptr, "a row that is not an object: not used");
        return 1;
    }
    if (!im_withheld(row, &status)) return 0;
    note_withheld(m, ptr, status, "row");
    return 1;
}

/* The origin of the first leaf under node that has one, or NULL. */
static const char *first_origin(const cJSON *node) {
    for (; node != NULL; node = node->next) {
        const cJSON *o =
            cJSON_IsObject(node) ? cJSON_GetObjectItemCaseSensitive(node, INDIGO_ORIGIN_KEY) : NULL;
        if (cJSON_IsString(o)) return o->valuestring;
        const char *inner = first_origin(node->child);
        if (inner != NULL) return inner;
    }
    return NULL;
}

void im_row_origin(const cJSON *row, char *buf, size_t size) {
    const char *o = cJSON_IsObject(row) ? first_origin(row->child) : NULL;
    const char *col = o ? strstr(o, ", column ") : NULL;
    snprintf(buf, size, "%.*s", o ? (int)(col ? (size_t)(col - o) : strlen(o)) : 0, o ? o : "");
    im_utf8_trim(buf);
}
