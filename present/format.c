/* format.c -- numbers, money and columns as people read them: shared by
 * the command line's reports and the terminal UI. See format.h. */
#include "format.h"

#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *currency_symbol(const char *currency) {
    if (strcmp(currency, "GBP") == 0) return "£";
    if (strcmp(currency, "USD") == 0) return "$";
    if (strcmp(currency, "EUR") == 0) return "€";
    return NULL;
}

const char *present_currency_symbol(const char *currency) { return currency_symbol(currency); }

/* a (finite, >= 1) as "2.0e15": one decimal and the power of ten, without
 * the "+" and leading zeros of printf's exponent. */
static void money_e(char *buf, size_t size, double a) {
    char raw[32];
    snprintf(raw, sizeof raw, "%.1e", a);
    char *e = strchr(raw, 'e');
    if (e == NULL) {
        snprintf(buf, size, "%s", raw);
        return;
    }
    *e = '\0';
    snprintf(buf, size, "%se%d", raw, atoi(e + 1));
}

const char *present_money(char *buf, size_t size, const char *currency, double x) {
    if (isnan(x)) {
        snprintf(buf, size, "n/a");
        return buf;
    }
    const char *sym = currency_symbol(currency);
    char num[48];
    double a = fabs(x);
    /* Each unit starts where the one below would print a thousand of it
     * ("£1.00m", not "£1000k"), so no amount is wider than "£999.99bn".
     * Trillions keep three digits ("£840tn", "£84.0tn", "£8.40tn"); a
     * thousand trillion and more is written with its power of ten
     * ("£2.0e15"), which stays as narrow whatever the amount. */
    if (!isfinite(a)) snprintf(num, sizeof num, "inf");
    else if (a >= 999.5e12) money_e(num, sizeof num, a);
    else if (a >= 99.95e12) snprintf(num, sizeof num, "%.0ftn", a / 1e12);
    else if (a >= 9.995e12) snprintf(num, sizeof num, "%.1ftn", a / 1e12);
    else if (a >= 999.995e9) snprintf(num, sizeof num, "%.2ftn", a / 1e12);
    else if (a >= 999.995e6) snprintf(num, sizeof num, "%.2fbn", a / 1e9);
    else if (a >= 999.5e3) snprintf(num, sizeof num, "%.2fm", a / 1e6);
    else if (a >= 1e4) snprintf(num, sizeof num, "%.0fk", a / 1e3);
    else if (a >= 999.5) snprintf(num, sizeof num, "%.1fk", a / 1e3);
    else snprintf(num, sizeof num, "%.0f", a);
    const char *sign = (x < 0 && a >= 0.5) ? "-" : "";
    if (sym) snprintf(buf, size, "%s%s%s", sign, sym, num);
    else snprintf(buf, size, "%s%s %s", sign, currency, num);
    return buf;
}

const char *present_money_exact(char *buf, size_t size, const char *currency, double x) {
    double a = fabs(x);
    if (!isfinite(x) || a >= 1e15) {
        snprintf(buf, size, isnan(x) ? "n/a" : "%s %.6g", currency, x);
        return buf;
    }
    const char *sym = currency_symbol(currency);
    long long cents = llround(a * 100);
    char whole[40];
    present_count(whole, sizeof whole, (unsigned long long)(cents / 100));
    const char *sign = x < 0 && cents > 0 ? "-" : "";
    if (sym) snprintf(buf, size, "%s%s%s.%02lld", sign, sym, whole, cents % 100);
    else snprintf(buf, size, "%s%s %s.%02lld", sign, currency, whole, cents % 100);
    return buf;
}

const char *present_fixed(char *buf, size_t size, int decimals, double x, const char *suffix) {
    char num[352]; /* %.*f of the largest double: 309 digits and the decimals */
    if (decimals < 0) decimals = 0;
    if (decimals > 17) decimals = 17;
    snprintf(num, sizeof num, "%.*f", decimals, x);
    /* A minus sign before digits that are all zero: the value rounded to
     * zero from below. */
    if (num[0] == '-' && strspn(num + 1, "0.") == strlen(num + 1)) memmove(num, num + 1, strlen(num));
    snprintf(buf, size, "%s%s", num, suffix);
    return buf;
}

const char *present_value(char *buf, size_t size, const char *currency, metric_unit unit,
                         double x) {
    if (isnan(x)) {
        snprintf(buf, size, "n/a");
        return buf;
    }
    switch (unit) {
    case UNIT_MONEY: return present_money(buf, size, currency, x);
    case UNIT_RATE:
    case UNIT_SHARE: present_fixed(buf, size, 1, 100 * x, "%"); break;
    case UNIT_MULTIPLE: present_fixed(buf, size, 2, x, "x"); break;
    case UNIT_COUNT:
        if (fabs(x) < 5e-10) snprintf(buf, size, "0"); /* rounding noise, not a value */
        else if (fabs(x) >= 99.95) present_whole(buf, size, x);
        else if (x == floor(x)) snprintf(buf, size, "%.0f", x); /* a whole count, as counted */
        /* Three significant digits with their trailing zeros, so that a
         * column reads alike: 4.70 beside 8.41 (%.3g wrote 4.7). */
        else if (fabs(x) >= 0.9995) snprintf(buf, size, "%.*f", fabs(x) >= 9.995 ? 1 : 2, x);
        else snprintf(buf, size, "%#.3g", x);
        break;
    }
    return buf;
}

/* The decimals an SE of size a > 0 is written with: `base`, or, when that
 * would round it to zero, as many as its first significant digit needs,
 * so that an SE is never written as zero (0.00049x is 0.0005x, not 0.000x,
 * which reads as a figure known exactly). At most 12. */
#define SE_MAX_DECIMALS 12
static int se_decimals(double a, int base) {
    if (!(a > 0) || !isfinite(a) || a >= 0.5 * pow(10, -base)) return base;
    const int d = (int)ceil(-log10(a) - 1e-9);
    return d > base ? (d < SE_MAX_DECIMALS ? d : SE_MAX_DECIMALS) : base;
}

/* An SE a >= 0 (in the unit shown) between pre and post, with
 * se_decimals(a, base) decimals; one too small for the most decimals, which
 * would read as exactly zero ("0.000000000000%": the rounding noise of a
 * figure the same in nearly every future), is written as below the least
 * step shown: "<0.000000000001%". */
static void se_digits(char *v, size_t size, const char *pre, double a, int base, const char *post) {
    const int d = se_decimals(a, base);
    const double step = pow(10, -d);
    if (a > 0 && a < 0.5 * step)
        snprintf(v, size, "<%s%.*f%s", pre, d, step, post);
    else
        snprintf(v, size, "%s%.*f%s", pre, d, a, post);
}

/* A standard error: same unit, one more digit for shares and rates. */
const char *present_se(char *buf, size_t size, const char *currency, metric_unit unit,
                          double x) {
    if (isnan(x)) {
        if (size > 0) buf[0] = '\0';
        return buf;
    }
    char v[40];
    const double a = fabs(x);
    switch (unit) {
    case UNIT_RATE:
    case UNIT_SHARE: se_digits(v, sizeof v, "", 100 * a, 2, "%"); break;
    case UNIT_MULTIPLE: se_digits(v, sizeof v, "", a, 3, "x"); break;
    case UNIT_MONEY:
        if (a > 0 && a < 0.5) { /* below the unit money is shown in: in its decimals */
            const char *sym = currency_symbol(currency);
            char pre[16];
            if (sym)
                snprintf(pre, sizeof pre, "%s", sym);
            else
                snprintf(pre, sizeof pre, "%.3s ", currency);
            se_digits(v, sizeof v, pre, a, 2, "");
            break;
        }
        present_value(v, sizeof v, currency, unit, x);
        break;
    default: present_value(v, sizeof v, currency, unit, x); break;
    }
    snprintf(buf, size, "±%.38s", v);
    return buf;
}

const char *present_money_beside_se(char *buf, size_t size, const char *currency, double x,
                                    double se) {
    if (!isfinite(x) || !(se > 0 && se < 0.5) || fabs(x) >= 999.5)
        return present_money(buf, size, currency, x);
    const int d = se_decimals(se, 2);
    char num[64];
    present_fixed(num, sizeof num, d, fabs(x), "");
    /* The sign only where a digit shown is not zero: -0.001 at two
     * decimals is "€0.00". */
    const char *sign = x < 0 && strspn(num, "0.") != strlen(num) ? "-" : "";
    const char *sym = currency_symbol(currency);
    if (sym)
        snprintf(buf, size, "%s%s%s", sign, sym, num);
    else
        snprintf(buf, size, "%s%.3s %s", sign, currency, num);
    return buf;
}

const char *present_se_unsigned(const char *se) {
    static const char pm[] = "±";
    return strncmp(se, pm, sizeof pm - 1) == 0 ? se + sizeof pm - 1 : se;
}

const char *present_unit_name(metric_unit u) {
    switch (u) {
    case UNIT_MONEY: return "money";
    case UNIT_RATE: return "annual_rate";
    case UNIT_SHARE: return "share";
    case UNIT_MULTIPLE: return "multiple";
    case UNIT_COUNT: return "count";
    }
    return "?";
}

/* Percentage points: a difference of two percentages is not itself a
 * percentage of anything. */
const char *present_change(char *buf, size_t size, const char *currency, metric_unit unit,
                           double x) {
    if ((unit == UNIT_RATE || unit == UNIT_SHARE) && !isnan(x)) {
        return present_fixed(buf, size, 1, 100 * x, " pp");
    }
    return present_value(buf, size, currency, unit, x);
}

const char *present_change_se(char *buf, size_t size, const char *currency, metric_unit unit,
                              double x) {
    if ((unit == UNIT_RATE || unit == UNIT_SHARE) && !isnan(x)) {
        char v[40];
        se_digits(v, sizeof v, "", 100 * fabs(x), 2, " pp");
        snprintf(buf, size, "±%s", v);
        return buf;
    }
    return present_se(buf, size, currency, unit, x);
}

/* The digits of raw with a comma between each group of three, after a
 * minus sign when neg: "100000" -> "100,000". Returns buf. */
static const char *grouped(char *buf, size_t size, const char *raw, int neg) {
    size_t len = strlen(raw), j = 0;
    if (size == 0) return buf;
    if (neg && j + 2 < size) buf[j++] = '-';
    for (size_t i = 0; i < len && j + 2 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0) buf[j++] = ',';
        buf[j++] = raw[i];
    }
    buf[j] = '\0';
    return buf;
}

/* Thousands separators: 100000 -> "100,000". */
const char *present_count(char *buf, size_t size, unsigned long long n) {
    char raw[32];
    snprintf(raw, sizeof raw, "%llu", n);
    return grouped(buf, size, raw, 0);
}

/* printf's "%.*f", its whole part grouped; past 10^15, where the
 * decimals stop being digits a double holds, three significant figures. */
const char *present_fixed_grouped(char *buf, size_t size, int decimals, double x) {
    if (!(fabs(x) < 1e15)) {
        snprintf(buf, size, "%.3g", x);
        return buf;
    }
    if (decimals < 0) decimals = 0;
    if (decimals > 17) decimals = 17;
    char num[48], raw[32];
    snprintf(num, sizeof num, "%.*f", decimals, x + 0.0);
    const int neg = num[0] == '-';
    const char *digits = num + neg;
    const size_t whole = strcspn(digits, ".");
    memcpy(raw, digits, whole);
    raw[whole] = '\0';
    grouped(buf, size, raw, neg);
    const size_t at = strlen(buf);
    if (at < size) snprintf(buf + at, size - at, "%s", digits + whole);
    return buf;
}

/* Rounded as printf rounds, then grouped; a count past 10^18, beyond the
 * digits a double holds, in three significant figures. */
const char *present_whole(char *buf, size_t size, double x) {
    if (isnan(x)) {
        snprintf(buf, size, "n/a");
        return buf;
    }
    if (!(fabs(x) < 1e18)) {
        snprintf(buf, size, "%.3g", x);
        return buf;
    }
    char raw[32];
    snprintf(raw, sizeof raw, "%.0f", fabs(x));
    return grouped(buf, size, raw, x < 0 && strcmp(raw, "0") != 0);
}

/* Print s right-aligned in a column of `width` display columns
 * (present_width: "£" and "±" are two bytes of UTF-8 but one column). */
void present_col(FILE *out, const char *s, int width) {
    fputc(' ', out);
    for (int i = present_width(s); i < width; i++) fputc(' ', out);
    fputs(s, out);
}

/* ----------------------------------------------------------- CSV, JSON */

void present_csv_field(FILE *out, const char *s) {
    if (strpbrk(s, ",\"\n") == NULL) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (const char *p = s; *p; p++) {
        if (*p == '"') fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

/* A zero as "0" whatever its sign: -0.0, which a product with a negative
 * amount or a difference of equal amounts gives, is no different amount
 * from 0 and must not read as one. */
void present_number(FILE *out, double x) { fprintf(out, "%.17g", x == 0 ? 0.0 : x); }

void present_csv_number(FILE *out, double x) {
    fputc(',', out);
    if (isfinite(x)) present_number(out, x);
}

void present_json_string(FILE *out, const char *s) {
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') fprintf(out, "\\%c", *p);
        else if (*p == '\n') fputs("\\n", out);
        else if (*p == '\t') fputs("\\t", out);
        else if (*p < 0x20) fprintf(out, "\\u%04x", *p);
        else fputc(*p, out);
    }
    fputc('"', out);
}

void present_json_number(FILE *out, double x) {
    if (isfinite(x)) present_number(out, x);
    else fputs("null", out);
}

const char *present_financing_type(financing_type t) {
    switch (t) {
    case FIN_GRANT: return "grant";
    case FIN_FEE_FOR_SERVICE: return "fee for service";
    case FIN_PBR: return "payment by results";
    case FIN_SIB: return "social impact bond";
    case FIN_OUTCOMES_FUND: return "outcomes fund";
    case FIN_DIB: return "development impact bond";
    case FIN_BY_STAGE: return "by stage";
    }
    return "?";
}
