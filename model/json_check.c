/* json_check.c -- the strict RFC 8259 checker that every JSON text passes
 * before cJSON sees it, and the line and column of the first error.
 *
 * cJSON is lenient where a financial model must not be: it reads "01" as 1
 * and "2." as 2, takes any control character as white space, keeps raw tabs
 * and invalid UTF-8 inside strings, and cuts a string short at "\u0000" or
 * at a bad "\u" escape (so "price\u0000junk" is read as the key "price" and
 * passes the unknown-field check). And when it fails it says only *that* a
 * text is not JSON. So this small recursive-descent checker reads the text
 * first, builds nothing, and stops at the first character that is not
 * JSON, saying what was expected there and what was found.
 *
 * Beyond RFC 8259 it refuses \u0000 (a C string ends there), numbers of more
 * than 63 characters (cJSON reads no more of them), numbers a double does
 * not hold as written (json_number_held: 1e400, 1e-400, 9007199254740993),
 * more than 1000 levels of nesting (cJSON's limit) and a byte order mark; it
 * accepts every text that RFC 8259 calls JSON otherwise. docs/scenario-format.md lists the rules.
 *
 * Positions: lines end at LF, CRLF or a CR alone; columns count characters
 * (UTF-8 code points) from 1, so a tab or an 'é' is one column.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "json_internal.h"

#define JSON_MAX_DEPTH 1000
#define JSON_MAX_NUMBER 63 /* cJSON copies at most 63 characters of a number */

/* ------------------------------------------------------------ positions */

/* json_internal.h. (Text before pos is valid UTF-8 in the checker, which
 * stops at the first error.) */
void json_line_col(const char *text, size_t pos, int *line, int *col) {
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < pos && text[i]; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n' || (ch == '\r' && text[i + 1] != '\n')) {
            (*line)++;
            *col = 1;
        } else if (ch == '\r' || (ch & 0xC0) == 0x80) {
            /* the CR of a CRLF, or inside a character: no column */
        } else {
            (*col)++;
        }
    }
}

/* --------------------------------------------------------------- UTF-8 */

/* The length of the well-formed UTF-8 character at s (RFC 3629 and Unicode
 * table 3-7: no overlong form, no surrogate, nothing above U+10FFFF), or 0
 * with *why saying what is wrong and *n_bad how many bytes to show. */
static size_t utf8_char(const unsigned char *s, const char **why, size_t *n_bad) {
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF; /* the range of the second byte */
    *n_bad = 1;
    if (c < 0x80) return 1;
    if (c < 0xC0) {
        *why = "a continuation byte without a lead byte";
        return 0;
    }
    if (c >= 0xF5) {
        *why = "never used in UTF-8";
        return 0;
    }
    if (c < 0xE0) {
        need = 2;
    } else if (c < 0xF0) {
        need = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else {
        need = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    }
    /* Show the lead byte and the continuation bytes that follow it. */
    while (*n_bad < need && (s[*n_bad] & 0xC0) == 0x80) (*n_bad)++;
    if (c == 0xC0 || c == 0xC1) {
        *why = "an overlong encoding";
        return 0;
    }
    if (*n_bad < need) {
        *why = "a sequence cut short";
        return 0;
    }
    if (s[1] < lo) {
        *why = "an overlong encoding";
        return 0;
    }
    if (s[1] > hi) {
        *why = c == 0xED ? "a UTF-16 surrogate encoded in UTF-8" : "beyond U+10FFFF";
        return 0;
    }
    return need;
}

size_t json_utf8_invalid(const char *s, const char **why) {
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, n_bad;
    while (u[i] != '\0') {
        size_t n = utf8_char(u + i, why, &n_bad);
        if (n == 0) return i;
        i += n;
    }
    return SIZE_MAX;
}

/* The code point of the well-formed UTF-8 character of n bytes at s. */
static unsigned long utf8_decode(const unsigned char *s, size_t n) {
    static const unsigned char lead_mask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    unsigned long cp = s[0] & lead_mask[n];
    for (size_t k = 1; k < n; k++) cp = (cp << 6) | (s[k] & 0x3Fu);
    return cp;
}

/* ------------------------------------------------------------- scanning */

typedef struct scan {
    const char *s;
    size_t i;            /* the byte being read */
    int failed;
    size_t at;           /* where the first error is */
    int statement;       /* the message states a rule instead of "expected ..." */
    char what[200];      /* what was expected there, or the rule */
    char found[96];      /* what was found, when found_given */
    int found_given;     /* 0: describe the text at `at`; 1: found ("" = nothing) */
    int depth;
    int top_object;      /* the top-level value is an object */
} scan;

/* Record the first error, at byte `at`; found may be NULL (describe the
 * text there), or "" with a statement that needs no "found". Returns -1. */
static int scan_error(scan *z, size_t at, int statement, const char *found, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
static int scan_error(scan *z, size_t at, int statement, const char *found, const char *fmt, ...) {
    if (z->failed) return -1;
    z->failed = 1;
    z->at = at;
    z->statement = statement;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(z->what, sizeof z->what, fmt, ap);
    va_end(ap);
    z->found_given = found != NULL;
    snprintf(z->found, sizeof z->found, "%s", found ? found : "");
    return -1;
}

/* "expected <what>" at the current byte, found what is there. */
static int scan_fail(scan *z, const char *expected) {
    return scan_error(z, z->i, 0, NULL, "%s", expected);
}

static int scan_ws(scan *z) {
    for (;;) {
        char ch = z->s[z->i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            z->i++;
        } else if (ch == '/' && (z->s[z->i + 1] == '/' || z->s[z->i + 1] == '*')) {
            return scan_error(z, z->i, 1, NULL, "JSON allows no comments");
        } else {
            return 0;
        }
    }
}

static int hex4(const char *p, unsigned *out) {
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        char ch = p[k];
        unsigned d;
        if (ch >= '0' && ch <= '9') d = (unsigned)(ch - '0');
        else if (ch >= 'a' && ch <= 'f') d = (unsigned)(ch - 'a' + 10);
        else if (ch >= 'A' && ch <= 'F') d = (unsigned)(ch - 'A' + 10);
        else return k; /* the offset of the first non-digit */
        v = v * 16 + d;
    }
    *out = v;
    return 4;
}

/* An escape at z->i (the backslash). A \u escape of a high surrogate must be
 * followed at once by one of a low surrogate; a low surrogate alone, and
 * \u0000, are refused. */
static int scan_escape(scan *z) {
    size_t start = z->i;
    char e = z->s[start + 1];
    if (e == '\0' || !strchr("\"\\/bfnrtu", e)) {
        z->i = start + 1;
        return scan_fail(z, "an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)");
    }
    if (e != 'u') {
        z->i = start + 2;
        return 0;
    }
    unsigned cp;
    int ok = hex4(z->s + start + 2, &cp);
    if (ok < 4) {
        z->i = start + 2 + (size_t)ok;
        return scan_fail(z, "four hexadecimal digits after \\u");
    }
    z->i = start + 6;
    if (cp == 0)
        return scan_error(z, start, 1, "", "a string or a field name may not contain \\u0000 "
                                           "(a NUL character would cut it short)");
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
        char found[32];
        snprintf(found, sizeof found, "\\u%04X alone", cp);
        return scan_error(z, start, 0, found,
                          "a high surrogate (\\uD800 to \\uDBFF) before a low surrogate");
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        const char *p = z->s + z->i;
        unsigned lo = 0;
        if (p[0] == '\\' && p[1] == 'u' && hex4(p + 2, &lo) == 4 && lo >= 0xDC00 &&
            lo <= 0xDFFF) {
            z->i += 6;
            return 0;
        }
        char found[32] = "";
        if (p[0] == '\\' && p[1] == 'u' && hex4(p + 2, &lo) == 4)
            snprintf(found, sizeof found, "\\u%04X", lo);
        else if (p[0] == '\\' && p[1] != '\0')
            snprintf(found, sizeof found, "'\\%c'", p[1]);
        return scan_error(z, z->i, 0, found[0] ? found : NULL,
                          "a low surrogate (\\uDC00 to \\uDFFF) after the high surrogate \\u%04X",
                          cp);
    }
    return 0;
}

/* A string at z->i (the opening quote): printable UTF-8 and escapes. */
static int scan_string(scan *z) {
    z->i++;
    for (;;) {
        unsigned char ch = (unsigned char)z->s[z->i];
        if (ch == '"') {
            z->i++;
            return 0;
        }
        if (ch == '\0') return scan_fail(z, "the closing '\"' of a string");
        if (ch == '\n' || ch == '\r')
            return scan_fail(z, "the closing '\"' of a string on the same line");
        if (ch < 0x20)
            return scan_fail(z, "an escape (\\t, \\n, \\uXXXX ...) for a control character "
                                "inside a string");
        if (ch == '\\') {
            if (scan_escape(z)) return -1;
            continue;
        }
        const char *why = NULL;
        size_t n_bad, n = utf8_char((const unsigned char *)z->s + z->i, &why, &n_bad);
        if (n == 0) {
            char found[96];
            size_t len = (size_t)snprintf(found, sizeof found, "the byte%s", n_bad > 1 ? "s" : "");
            for (size_t k = 0; k < n_bad; k++)
                len += (size_t)snprintf(found + len, sizeof found - len, " 0x%02x",
                                        (unsigned char)z->s[z->i + k]);
            snprintf(found + len, sizeof found - len, " (%s)", why);
            return scan_error(z, z->i, 0, found, "UTF-8 text (save the file as UTF-8)");
        }
        z->i += n;
    }
}

static int is_digit(char ch) { return ch >= '0' && ch <= '9'; }

/* The value at vstart, followed at `comma` by a ',' and a digit, is a
 * number written with thousands separators ("price": 11,000) when it is
 * one to three digits (after any '-') and the comma starts groups of three
 * digits, the last followed by no digit (a decimal part may follow). Fail
 * saying so, quoting it and the number meant, and return -1; otherwise
 * return 0 and leave the caller's error as it would be. */
static int scan_thousands(scan *z, size_t vstart, size_t comma) {
    const char *s = z->s;
    size_t i = vstart + (s[vstart] == '-');
    if (comma <= i || comma - i > 3 || s[i] == '0') return 0;
    for (size_t k = i; k < comma; k++)
        if (!is_digit(s[k])) return 0;
    i = comma;
    int groups = 0;
    while (s[i] == ',' && is_digit(s[i + 1])) {
        if (!is_digit(s[i + 2]) || !is_digit(s[i + 3]) || is_digit(s[i + 4])) return 0;
        i += 4;
        groups++;
    }
    if (groups == 0) return 0;
    if (s[i] == '.' && is_digit(s[i + 1]))
        for (i++; is_digit(s[i]); i++) {
        }
    char written[48], meant[48];
    size_t n = i - vstart, m = 0;
    if (n >= sizeof written) return 0;
    for (size_t k = vstart; k < i; k++)
        if (s[k] != ',') meant[m++] = s[k];
    meant[m] = '\0';
    snprintf(written, sizeof written, "'%.*s'", (int)n, s + vstart);
    return scan_error(z, vstart, 1, written, "JSON numbers have no thousands separators (write %s)",
                      meant);
}

/* A number at z->i: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static int scan_number(scan *z) {
    size_t start = z->i;
    if (z->s[z->i] == '-') {
        z->i++;
        if (!is_digit(z->s[z->i])) return scan_fail(z, "a digit after '-'");
    }
    if (z->s[z->i] == '0') {
        if (is_digit(z->s[z->i + 1])) {
            char found[32];
            size_t n = 0;
            while (is_digit(z->s[z->i + n]) && n < 20) n++;
            /* "[1,000]": the '0' of a group after a thousands separator;
             * the number starts before any groups of three before it
             * ("[1,500,000]" fails at "000"). */
            if (start >= 2 && z->s[start - 1] == ',' && is_digit(z->s[start - 2])) {
                size_t first = start - 2;
                for (;;) {
                    size_t end = first + 1;
                    while (first > 0 && is_digit(z->s[first - 1])) first--;
                    if (end - first != 3 || first < 2 || z->s[first - 1] != ',' ||
                        !is_digit(z->s[first - 2]))
                        break;
                    first -= 2;
                }
                if (first > 0 && z->s[first - 1] == '-') first--;
                /* the comma after the number's leading digits */
                size_t comma = first + (z->s[first] == '-');
                while (is_digit(z->s[comma])) comma++;
                /* A value starts after a comma, a bracket or white space;
                 * anything else is the decimals or exponent of a number
                 * (0.5,000). */
                const char before = first > 0 ? z->s[first - 1] : ' ';
                if ((before == ',' || before == '[' || before == ' ' || before == '\t' ||
                     before == '\n' || before == '\r') &&
                    scan_thousands(z, first, comma))
                    return -1;
            }
            snprintf(found, sizeof found, "'%.*s%s'", (int)n, z->s + z->i,
                     is_digit(z->s[z->i + n]) ? "..." : "");
            return scan_error(z, z->i, 1, found, "JSON numbers have no leading zeros");
        }
        z->i++;
    } else {
        while (is_digit(z->s[z->i])) z->i++;
    }
    if (z->s[z->i] == '.') {
        z->i++;
        if (!is_digit(z->s[z->i])) return scan_fail(z, "a digit after the decimal point");
        while (is_digit(z->s[z->i])) z->i++;
    }
    if (z->s[z->i] == 'e' || z->s[z->i] == 'E') {
        z->i++;
        if (z->s[z->i] == '+' || z->s[z->i] == '-') z->i++;
        if (!is_digit(z->s[z->i])) return scan_fail(z, "a digit in the exponent");
        while (is_digit(z->s[z->i])) z->i++;
    }
    if (z->i - start > JSON_MAX_NUMBER) {
        char found[48];
        snprintf(found, sizeof found, "one of %zu characters", z->i - start);
        return scan_error(z, start, 0, found, "a number of at most %d characters",
                          JSON_MAX_NUMBER);
    }
    /* Read as written, or refused: cJSON would read 1e400 as infinity,
     * 1e-400 as 0 and 9007199254740993 as ...992, and nothing after it
     * could tell. */
    double v;
    char why[480];
    if (json_number_held(z->s + start, z->i - start, &v, why, sizeof why) != 0) {
        char found[80];
        snprintf(found, sizeof found, "'%.*s'", (int)(z->i - start), z->s + start);
        return scan_error(z, start, 0, found, "%s", why);
    }
    return 0;
}

static int scan_value(scan *z);

/* '{' members '}' or '[' values ']' at z->i. */
static int scan_container(scan *z, char close) {
    int object = close == '}';
    if (++z->depth > JSON_MAX_DEPTH)
        return scan_error(z, z->i, 0, NULL, "less deeply nested values (at most %d levels)",
                          JSON_MAX_DEPTH);
    z->i++;
    if (scan_ws(z)) return -1;
    if (z->s[z->i] == close) {
        z->i++;
        z->depth--;
        return 0;
    }
    for (;;) {
        if (object) {
            if (z->s[z->i] != '"') return scan_fail(z, "a field name in double quotes");
            if (scan_string(z) || scan_ws(z)) return -1;
            if (z->s[z->i] != ':') return scan_fail(z, "':' after the field name");
            z->i++;
            if (scan_ws(z)) return -1;
        }
        const size_t vstart = z->i;
        if (scan_value(z) || scan_ws(z)) return -1;
        if (z->s[z->i] == ',') {
            const size_t comma = z->i;
            z->i++;
            if (scan_ws(z)) return -1;
            /* In an object a digit cannot follow a comma: "11,000". */
            if (object && z->i == comma + 1 && is_digit(z->s[z->i]) && comma > vstart &&
                is_digit(z->s[comma - 1]) && scan_thousands(z, vstart, comma))
                return -1;
            if (z->s[z->i] == close)
                return scan_fail(z, object ? "a field name after ',' (JSON allows no trailing "
                                             "comma)"
                                           : "a value after ',' (JSON allows no trailing comma)");
            continue;
        }
        if (z->s[z->i] == close) {
            z->i++;
            z->depth--;
            return 0;
        }
        return scan_fail(z, object ? "',' or '}' after a field's value"
                                   : "',' or ']' after a value");
    }
}

static int scan_value(scan *z) {
    const char *p = z->s + z->i;
    switch (*p) {
    case '{': return scan_container(z, '}');
    case '[': return scan_container(z, ']');
    case '"': return scan_string(z);
    case 't':
        if (strncmp(p, "true", 4) == 0) { z->i += 4; return 0; }
        break;
    case 'f':
        if (strncmp(p, "false", 5) == 0) { z->i += 5; return 0; }
        break;
    case 'n':
        if (strncmp(p, "null", 4) == 0) { z->i += 4; return 0; }
        break;
    case '+':
        return scan_error(z, z->i, 1, NULL, "JSON numbers have no '+' sign");
    case '.':
        if (is_digit(p[1]))
            return scan_fail(z, "a digit before the decimal point (a JSON number starts with a "
                                "digit or '-')");
        break;
    default:
        if (*p == '-' || is_digit(*p)) return scan_number(z);
    }
    return scan_fail(z, "a value (an object, array, string, number, true, false or null)");
}

/* Describe the text at `at`, for "found ...". */
static void describe_at(const char *at, char *buf, size_t size) {
    unsigned char ch = (unsigned char)*at;
    const char *why;
    size_t n_bad, n;
    if (ch == '\0') snprintf(buf, size, "the end of the file");
    else if (ch == '\n' || ch == '\r') snprintf(buf, size, "the end of the line");
    else if (ch == '\t') snprintf(buf, size, "a tab (U+0009)");
    else if (ch == '\f') snprintf(buf, size, "a form feed (U+000C)");
    else if (ch < 0x20 || ch == 0x7f) snprintf(buf, size, "the control character U+%04X", ch);
    else if (ch == '/' && (at[1] == '/' || at[1] == '*')) snprintf(buf, size, "'%.2s'", at);
    else if (ch < 0x80) snprintf(buf, size, "'%c'", ch);
    else if ((n = utf8_char((const unsigned char *)at, &why, &n_bad)) > 0)
        snprintf(buf, size, "'%.*s' (U+%04lX)", (int)n, at,
                 utf8_decode((const unsigned char *)at, n));
    else snprintf(buf, size, "the byte 0x%02x", ch);
}

/* Scan the whole text; z->failed says whether it is refused. */
static void scan_text(scan *z) {
    const unsigned char *u = (const unsigned char *)z->s;
    if (u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        scan_error(z, 0, 1, "U+FEFF", "a JSON text does not start with a byte order mark (save "
                                      "the file as UTF-8 without one)");
        return;
    }
    if (scan_ws(z)) return;
    if (z->s[z->i] == '\0') {
        scan_fail(z, "a JSON object (the file is empty)");
        return;
    }
    z->top_object = z->s[z->i] == '{';
    if (scan_value(z) || scan_ws(z)) return;
    if (z->s[z->i] != '\0')
        scan_fail(z, z->top_object ? "the end of the file after the scenario's closing '}'"
                                   : "the end of the file after the JSON value");
}

/* Fill err from a failed scan: position and message. */
static int scan_report(const scan *z, sib_error *err) {
    char found[96];
    if (!z->found_given) describe_at(z->s + z->at, found, sizeof found);
    else snprintf(found, sizeof found, "%s", z->found);
    if (found[0] == '\0') /* a statement with nothing to add */
        sib_error_set(err, SIB_ESYNTAX, NULL, "syntax error: %s", z->what);
    else if (z->statement)
        sib_error_set(err, SIB_ESYNTAX, NULL, "syntax error: %s, found %s", z->what, found);
    else
        sib_error_set(err, SIB_ESYNTAX, NULL, "syntax error: expected %s, found %s", z->what,
                      found);
    json_line_col(z->s, z->at, &err->line, &err->col);
    return SIB_ESYNTAX;
}

/* ---------------------------------------------------------- entry points */

int json_check(const char *text, sib_error *err) {
    scan z;
    memset(&z, 0, sizeof z);
    z.s = text;
    scan_text(&z);
    return z.failed ? scan_report(&z, err) : SIB_OK;
}

void json_syntax_error(const char *text, sib_error *err) {
    if (json_check(text, err) != SIB_OK) return;
    /* The checker accepts what cJSON refused: say so, at the start. */
    sib_error_set(err, SIB_ESYNTAX, NULL, "syntax error: expected valid JSON (cJSON could not "
                                          "parse it)");
    err->line = err->col = 1;
}

cJSON *json_parse_checked(const char *text, const char *name, sib_error *err) {
    sib_error local;
    if (err == NULL) err = &local;
    if (name != NULL) snprintf(err->file, sizeof err->file, "%s", name);
    /* The same limit as sib_file_read: a longer text is refused whole,
     * before any of it is read. */
    if (strnlen(text, (size_t)SIB_FILE_MAX + 1) > SIB_FILE_MAX) {
        sib_error_set(err, SIB_EIO, NULL,
                      "the file is larger than %u MiB, the most a scenario or record may be",
                      SIB_FILE_MAX >> 20);
        return NULL;
    }
    if (json_check(text, err) != SIB_OK) return NULL;
    cJSON *root = cJSON_ParseWithOpts(text, NULL, 1);
    if (root == NULL) /* checked text that cJSON still refuses: out of memory */
        sib_error_set(err, SIB_ENOMEM, NULL, "out of memory reading the JSON text");
    return root;
}
