/* json_check.c -- the RFC 8259 syntax checker and the position of a
 * syntax error (line and column). See json_internal.h.
 */
#include <stdio.h>
#include <string.h>

#include "json_internal.h"

/* Line and column (1-based) of byte offset pos in text. */
static void line_col(const char *text, size_t pos, int *line, int *col) {
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < pos && text[i]; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

/* ------------------------------------------------------ syntax diagnosis */

/* cJSON says only *that* a text is not JSON, and its error offset is
 * sometimes one byte past the culprit. When it fails, this small
 * recursive-descent checker of RFC 8259 finds the first offending byte and
 * says what was expected there, so that a person can fix the file. It runs
 * only on failure and builds nothing. */
typedef struct scan {
    const char *s;
    size_t i;
    const char *expected; /* set on the first error */
    int depth;
} scan;

static int scan_fail(scan *z, const char *expected) {
    if (z->expected == NULL) z->expected = expected;
    return -1;
}

static int scan_ws(scan *z) {
    for (;;) {
        char ch = z->s[z->i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            z->i++;
        } else if (ch == '/' && (z->s[z->i + 1] == '/' || z->s[z->i + 1] == '*')) {
            return scan_fail(z, "!JSON allows no comments");
        } else {
            return 0;
        }
    }
}

static int scan_value(scan *z);

static int scan_string(scan *z) {
    z->i++; /* the opening quote */
    for (;;) {
        unsigned char ch = (unsigned char)z->s[z->i];
        if (ch == '"') {
            z->i++;
            return 0;
        }
        if (ch == '\0') return scan_fail(z, "the closing '\"' of a string");
        if (ch < 0x20) return scan_fail(z, "the closing '\"' of a string on the same line");
        if (ch == '\\') {
            char e = z->s[++z->i];
            if (e == 'u') {
                for (int k = 1; k <= 4; k++)
                    if (!strchr("0123456789abcdefABCDEF", z->s[z->i + (size_t)k]) ||
                        z->s[z->i + (size_t)k] == '\0') {
                        z->i += (size_t)k;
                        return scan_fail(z, "four hexadecimal digits after \\u");
                    }
                z->i += 4;
            } else if (e == '\0' || !strchr("\"\\/bfnrt", e)) {
                return scan_fail(z, "an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)");
            }
        }
        z->i++;
    }
}

static int scan_digits(scan *z) {
    if (z->s[z->i] < '0' || z->s[z->i] > '9') return scan_fail(z, "a digit");
    while (z->s[z->i] >= '0' && z->s[z->i] <= '9') z->i++;
    return 0;
}

static int scan_number(scan *z) {
    if (z->s[z->i] == '-') z->i++;
    if (z->s[z->i] == '0') z->i++;
    else if (scan_digits(z)) return -1;
    if (z->s[z->i] == '.') {
        z->i++;
        if (scan_digits(z)) return -1;
    }
    if (z->s[z->i] == 'e' || z->s[z->i] == 'E') {
        z->i++;
        if (z->s[z->i] == '+' || z->s[z->i] == '-') z->i++;
        if (scan_digits(z)) return -1;
    }
    return 0;
}

/* Parse '{' members '}' or '[' values ']'. */
static int scan_container(scan *z, char close) {
    int object = close == '}';
    if (++z->depth > 1000) return scan_fail(z, "less deeply nested values (at most 1000 levels)");
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
        if (scan_value(z) || scan_ws(z)) return -1;
        if (z->s[z->i] == ',') {
            z->i++;
            if (scan_ws(z)) return -1;
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
    default:
        if (*p == '-' || (*p >= '0' && *p <= '9')) return scan_number(z);
    }
    return scan_fail(z, "a value (an object, array, string, number, true, false or null)");
}

/* Describe the byte at which scanning stopped, for "found ...". */
static void describe_byte(const char *at, char *buf, size_t size) {
    unsigned char ch = (unsigned char)*at;
    if (ch == '\0') snprintf(buf, size, "the end of the file");
    else if (ch == '\n' || ch == '\r') snprintf(buf, size, "the end of the line");
    else if (ch == '/' && (at[1] == '/' || at[1] == '*')) snprintf(buf, size, "'%.2s'", at);
    else if (ch < 0x20 || ch >= 0x7f) snprintf(buf, size, "the byte 0x%02x", ch);
    else snprintf(buf, size, "'%c'", ch);
}

/* Fill err with the position and reason of the first syntax error in text. */
void json_syntax_error(const char *text, sib_error *err) {
    scan z = {.s = text, .i = 0, .expected = NULL, .depth = 0};
    if (scan_ws(&z) == 0) {
        if (text[z.i] == '\0') {
            z.expected = "a JSON object (the file is empty)";
        } else if (scan_value(&z) == 0 && scan_ws(&z) == 0 && text[z.i] != '\0') {
            z.expected = "the end of the file after the scenario's closing '}'";
        }
    }
    char found[48];
    describe_byte(text + z.i, found, sizeof found);
    const char *what = z.expected ? z.expected : "valid JSON (cJSON could not parse it)";
    if (what[0] == '!') /* a statement rather than an expectation */
        sib_error_set(err, SIB_ESYNTAX, NULL, "syntax error: %s, found %s", what + 1, found);
    else
        sib_error_set(err, SIB_ESYNTAX, NULL, "syntax error: expected %s, found %s", what, found);
    line_col(text, z.i, &err->line, &err->col);
}

