/* text.c -- display width, cutting, padding, wrapping and chart blocks for
 * a terminal. See text.h. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* wcwidth */
#endif
#include "text.h"

#include <langinfo.h>
#include <math.h>
#include <string.h>
#include <wchar.h>

/* The character at s (at most n bytes): its length in bytes and its width
 * in columns. mbrtowc and wcwidth under the locale; where the locale cannot
 * decode it, one UTF-8 character (a lead byte and its continuation bytes)
 * of one column. Returns the bytes, at least 1 while n > 0. */
static size_t next_char(const char *s, size_t n, int *cols) {
    mbstate_t st;
    memset(&st, 0, sizeof st);
    wchar_t wc;
    size_t k = mbrtowc(&wc, s, n, &st);
    if (k != (size_t)-1 && k != (size_t)-2 && k != 0) {
        int w = wcwidth(wc);
        *cols = w < 0 ? 1 : w;
        return k;
    }
    size_t len = 1;
    while (len < n && ((unsigned char)s[len] & 0xC0) == 0x80) len++;
    *cols = 1;
    return len;
}

int present_width_n(const char *s, size_t n) {
    int w = 0;
    size_t i = 0;
    while (i < n && s[i]) {
        int c;
        i += next_char(s + i, n - i, &c);
        w += c;
    }
    return w;
}

int present_width(const char *s) { return present_width_n(s, strlen(s)); }

size_t present_fit(const char *s, int cols) {
    size_t n = strlen(s), i = 0;
    int w = 0;
    while (i < n) {
        int c;
        size_t k = next_char(s + i, n - i, &c);
        if (w + c > cols) break;
        w += c;
        i += k;
    }
    return i;
}

const char *present_cell(char *buf, size_t size, const char *s, int width, int right) {
    if (width < 0) width = 0;
    size_t bytes = present_fit(s, width);
    int used = present_width_n(s, bytes), pad = width - used;
    if (size == 0) return buf;
    if (bytes + (size_t)pad + 1 > size) {
        buf[0] = '\0';
        return buf;
    }
    size_t j = 0;
    if (right)
        for (int k = 0; k < pad; k++) buf[j++] = ' ';
    memcpy(buf + j, s, bytes);
    j += bytes;
    if (!right)
        for (int k = 0; k < pad; k++) buf[j++] = ' ';
    buf[j] = '\0';
    return buf;
}

size_t present_line(const char *s, int cols, const char **next) {
    if (cols < 1) cols = 1;
    const char *end = s, *cut = NULL;
    /* As many words as fit in cols columns, up to a newline. */
    while (*end && *end != '\n') {
        const char *w = end;
        while (*w == ' ') w++;
        const char *we = w;
        while (*we && *we != ' ' && *we != '\n') we++;
        if (present_width_n(s, (size_t)(we - s)) > cols) break;
        end = cut = we;
    }
    if (cut == NULL && *end != '\n' && *end != '\0') { /* a word longer than the line */
        size_t k = present_fit(s, cols);
        if (k == 0) {
            int c;
            k = next_char(s, strlen(s), &c);
        }
        cut = s + k;
    }
    if (cut == NULL) cut = end;
    const char *p = cut;
    while (*p == ' ') p++;
    if (*p == '\n') p++;
    *next = p;
    /* No trailing spaces in the line itself. */
    while (cut > s && cut[-1] == ' ') cut--;
    return (size_t)(cut - s);
}

/* The length of the word at s when it is an address (it holds "://"),
 * else 0. */
static size_t address_at(const char *s) {
    size_t n = 0;
    while (s[n] && s[n] != ' ' && s[n] != '\n') n++;
    for (size_t i = 0; i + 3 <= n; i++)
        if (memcmp(s + i, "://", 3) == 0) return n;
    return 0;
}

void present_wrap(FILE *out, const char *s, int indent, int hang, int width) {
    if (width <= 0) {
        fprintf(out, "%*s%s\n", indent, "", s);
        return;
    }
    const char *p = s;
    while (*p == ' ') p++;
    int margin = indent;
    while (*p) {
        const char *next;
        /* An address wider than the line stands whole on a line of its own
         * (present_line would cut it): copied from the terminal, an address
         * cut in two is two broken ones. */
        const size_t a = address_at(p);
        if (a > 0 && present_width_n(p, a) > width - margin) {
            fprintf(out, "%*s%.*s\n", margin, "", (int)a, p);
            p += a;
            while (*p == ' ') p++;
            if (*p == '\n') p++;
            margin = hang;
            continue;
        }
        size_t n = present_line(p, width - margin, &next);
        fprintf(out, "%*s%.*s\n", margin, "", (int)n, p);
        p = next;
        margin = hang;
    }
}

int present_unicode(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

const char *present_hbar(char *buf, size_t size, double frac, int width, int unicode) {
    static const char *const eighth[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    if (size == 0) return buf;
    buf[0] = '\0';
    if (!(frac > 0) || width <= 0) return buf;
    if (frac > 1) frac = 1;
    size_t j = 0;
    if (!unicode) {
        long n = lround(frac * width);
        for (long k = 0; k < n && j + 1 < size; k++) buf[j++] = '#';
        buf[j] = '\0';
        return buf;
    }
    long e = lround(frac * width * 8), full = e / 8;
    for (long k = 0; k < full && j + 4 < size; k++) {
        memcpy(buf + j, "█", 3);
        j += 3;
    }
    const char *last = eighth[e % 8];
    if (j + strlen(last) < size) {
        memcpy(buf + j, last, strlen(last));
        j += strlen(last);
    }
    buf[j] = '\0';
    return buf;
}

const char *present_vcell(int eighths, int unicode) {
    static const char *const cell[] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    if (eighths < 0) eighths = 0;
    if (eighths > 8) eighths = 8;
    if (unicode) return cell[eighths];
    return eighths >= 4 ? "#" : " ";
}
