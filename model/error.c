/* error.c -- filling and rendering sib_error values, and text from the
 * input made visible and cut between characters. See error.h. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------ UTF-8 text */

/* The length of the well-formed UTF-8 character at s (RFC 3629: no overlong
 * form, no surrogate, nothing beyond U+10FFFF), or 0 when s does not start
 * one. s[0] is not NUL. */
static size_t utf8_len(const unsigned char *s) {
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /* the range of the second byte */
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else
        return 0;
    if (s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < n; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    return n;
}

const char *sib_visible(char *dst, size_t size, const char *src) {
    if (size == 0) return dst;
    const unsigned char *s = (const unsigned char *)(src ? src : "");
    size_t j = 0;
    while (*s) {
        char esc[8];
        const char *out = esc;
        size_t n = utf8_len(s), len;
        if (n == 0) { /* a byte outside well-formed UTF-8 */
            len = (size_t)snprintf(esc, sizeof esc, "\\x%02x", s[0]);
            n = 1;
        } else if (*s == '\t' || *s == '\n' || *s == '\r') {
            esc[0] = '\\';
            esc[1] = *s == '\t' ? 't' : *s == '\n' ? 'n' : 'r';
            len = 2;
        } else if (*s < 0x20 || *s == 0x7F) {
            len = (size_t)snprintf(esc, sizeof esc, "\\x%02x", s[0]);
        } else if (*s == 0xC2 && s[1] <= 0x9F) { /* U+0080-U+009F */
            len = (size_t)snprintf(esc, sizeof esc, "\\u%04x", s[1]);
        } else {
            out = (const char *)s;
            len = n;
        }
        if (j + len >= size) break; /* whole or not at all */
        memcpy(dst + j, out, len);
        j += len;
        s += n;
    }
    dst[j] = '\0';
    return dst;
}

size_t sib_utf8_cut(const char *s, size_t max) {
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0;
    while (n < max && u[n]) n++;
    /* The start of the last character in u[0, n): at most 3 bytes back. */
    size_t start = n;
    while (start > 0 && n - start < 4 && (u[start - 1] & 0xC0) == 0x80) start--;
    if (start == 0 || n - start >= 4) return n; /* no lead byte: not UTF-8 to keep whole */
    unsigned char lead = u[start - 1];
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return n - (start - 1) < want ? start - 1 : n;
}

/* ----------------------------------------------------------------- errors */

void sib_error_clear(sib_error *err) {
    if (err == NULL) return;
    memset(err, 0, sizeof *err);
}

int sib_error_set(sib_error *err, int code, const char *pointer, const char *fmt, ...) {
    if (err == NULL) return code;
    err->code = code;
    sib_visible(err->pointer, sizeof err->pointer, pointer);
    /* Twice the field: a visible form is never shorter than its text, so
     * what vsnprintf may cut here is cut again, whole, by sib_visible. */
    char raw[2 * sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    sib_visible(err->message, sizeof err->message, raw);
    return code;
}

const char *sib_error_format(const sib_error *err, char *buf, size_t size) {
    if (size == 0) return buf;
    if (err == NULL || err->code == SIB_OK) {
        snprintf(buf, size, "no error");
        return buf;
    }
    /* Every field whole, less a character it may end in the middle of (a
     * file name snprintf cut to the field), then made visible and cut
     * between characters into buf. */
    char raw[sizeof err->file + sizeof err->pointer + sizeof err->message + 32];
    const char *file = err->file[0] ? err->file : "<scenario>";
    int nf = (int)sib_utf8_cut(file, sizeof err->file - 1);
    int np = (int)sib_utf8_cut(err->pointer, sizeof err->pointer - 1);
    int nm = (int)sib_utf8_cut(err->message, sizeof err->message - 1);
    if (err->line > 0)
        snprintf(raw, sizeof raw, "%.*s:%d:%d: %.*s", nf, file, err->line, err->col, nm,
                 err->message);
    else if (err->pointer[0])
        snprintf(raw, sizeof raw, "%.*s: %.*s: %.*s", nf, file, np, err->pointer, nm, err->message);
    else if (err->file[0])
        snprintf(raw, sizeof raw, "%.*s: %.*s", nf, file, nm, err->message);
    else
        snprintf(raw, sizeof raw, "%.*s", nm, err->message);
    return sib_visible(buf, size, raw);
}
