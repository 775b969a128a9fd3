/* json_number.c -- numbers as JSON writes them, with a point, whatever
 * the locale: the reading and printing that the checker (json_check.c) and
 * the document (document.c) share. See json_internal.h. */
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_internal.h"

/* The C locale, for printing and reading numbers with a point whatever
 * LC_NUMERIC says: uselocale() switches the calling thread only, so the
 * rest of the program (and other threads) keep their locale. */
static locale_t c_numeric;
static pthread_once_t c_numeric_once = PTHREAD_ONCE_INIT;
static void c_numeric_init(void) { c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0); }

static locale_t enter_c_numeric(void) {
    pthread_once(&c_numeric_once, c_numeric_init);
    return c_numeric ? uselocale(c_numeric) : (locale_t)0;
}
static void leave_c_numeric(locale_t old) {
    if (old) uselocale(old);
}

/* strtod and snprintf("%g") in the C locale. Without a C locale object
 * (newlocale can fail only when out of memory) the decimal point is
 * translated by hand, as cJSON does. */
double json_strtod(const char *text, char **end) {
    locale_t old = enter_c_numeric();
    if (old) {
        double v = strtod(text, end);
        leave_c_numeric(old);
        return v;
    }
    char buf[128];
    const char *point = localeconv()->decimal_point;
    size_t n = strlen(text), j = 0;
    if (n >= sizeof buf || strlen(point) != 1) {
        *end = (char *)text;
        return 0;
    }
    for (size_t i = 0; i < n; i++) buf[j++] = text[i] == '.' ? point[0] : text[i];
    buf[j] = '\0';
    char *e;
    double v = strtod(buf, &e);
    *end = (char *)text + (e - buf);
    return v;
}

void json_format_number(char *buf, size_t size, int precision, double x, int fixed) {
    locale_t old = enter_c_numeric();
    snprintf(buf, size, fixed ? "%.*f" : "%.*g", precision, x);
    leave_c_numeric(old);
    if (old == (locale_t)0) { /* no C locale object: put the point back */
        const char *point = localeconv()->decimal_point;
        char *p = strlen(point) == 1 ? strchr(buf, point[0]) : NULL;
        if (p && point[0] != '.') *p = '.';
    }
}

int json_number_held(const char *tok, size_t len, double *out, char *why, size_t size) {
    char buf[128];
    if (size) why[0] = '\0';
    if (len >= sizeof buf) len = sizeof buf - 1; /* the checker allows 63 */
    memcpy(buf, tok, len);
    buf[len] = '\0';
    char *end;
    double v = json_strtod(buf, &end);
    *out = v;
    if (isinf(v)) {
        snprintf(why, size, "%s",
                 "a number that reads as written (it would be read as infinity: beyond the "
                 "largest a double holds, about 1.8e308)");
        return -1;
    }
    size_t mant = strcspn(buf, "eE"); /* the digits before any exponent */
    int point_or_exp = memchr(buf, '.', len) != NULL || mant < len;
    if (v == 0) {
        for (size_t i = 0; i < mant; i++)
            if (buf[i] >= '1' && buf[i] <= '9') {
                snprintf(why, size, "%s",
                         "a number that reads as written (it would be read as 0: below the "
                         "smallest a double holds, about 4.9e-324)");
                return -1;
            }
        return 0;
    }
    /* A whole number written out: every digit counts (a seed, a count).
     * A double holds each one up to 2^53 exactly, and beyond only some;
     * "%.0f" prints a double's exact value in glibc. */
    if (!point_or_exp && fabs(v) >= 9007199254740992.0) {
        char exact[400];
        json_format_number(exact, sizeof exact, 0, v, 1);
        /* The digits as written (as typed: a '+' and leading zeros allowed)
         * against the double's. */
        const char *a = buf + (buf[0] == '-' || buf[0] == '+');
        while (a[0] == '0' && a[1] != '\0') a++;
        const char *b = exact + (exact[0] == '-');
        if (strcmp(a, b) != 0) {
            snprintf(why, size,
                     "a number that reads as written (it would be read as %.320s: a double "
                     "holds every whole number up to 2^53 = 9007199254740992, only some beyond)",
                     exact);
            return -1;
        }
    }
    return 0;
}

void json_unsign_zeros(cJSON *node) {
    /* Depth is bounded by json_check (1000 levels). */
    for (; node != NULL; node = node->next) {
        if (cJSON_IsNumber(node) && node->valuedouble == 0) cJSON_SetNumberValue(node, 0.0);
        if (node->child != NULL) json_unsign_zeros(node->child);
    }
}
