/* loader_read.c -- the loader's walking context and typed field readers.
 *
 * Every reader takes the object, the member's key and its constraints, and
 * either stores the value or fills the error at the member's JSON Pointer
 * with what was expected and what was found. Priors (a bare number or a
 * distribution object) are read here too, since every section has some.
 * See loader_internal.h.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader_internal.h"
#include "suggest.h"

/* ------------------------------------------------------ walking context */

/* Append "/token" to the pointer, escaping '~' as "~0" and '/' as "~1"
 * (RFC 6901 section 3). Returns the previous length, for ctx_pop(). A
 * pointer too long for the buffer (an unknown key of hundreds of bytes)
 * ends in "...", so that it is never shown cut without a sign. */
size_t ctx_push(ctx *c, const char *token) {
    const size_t cap = sizeof c->ptr - 1;
    size_t saved = c->len;
    int cut = c->len >= cap;
    if (!cut) c->ptr[c->len++] = '/';
    for (const char *p = token; *p && !cut; p++) {
        int escaped = *p == '~' || *p == '/';
        if (c->len + 1 + (size_t)escaped > cap) {
            cut = 1;
        } else if (escaped) {
            c->ptr[c->len++] = '~';
            c->ptr[c->len++] = (*p == '~') ? '0' : '1';
        } else {
            c->ptr[c->len++] = *p;
        }
    }
    if (cut) {
        size_t n = c->len < cap - 3 ? c->len : cap - 3;
        while (n > 0 && (c->ptr[n] & 0xC0) == 0x80) n--; /* whole characters */
        memcpy(c->ptr + n, "...", 3);
        c->len = n + 3;
    }
    c->ptr[c->len] = '\0';
    return saved;
}

size_t ctx_push_index(ctx *c, size_t i) {
    char buf[32];
    snprintf(buf, sizeof buf, "%zu", i);
    return ctx_push(c, buf);
}

void ctx_pop(ctx *c, size_t saved) {
    c->len = saved;
    c->ptr[saved] = '\0';
}

/* Describe a JSON value for "found ..." in a message: its type and, for
 * scalars, the value itself (strings cut to 40 bytes, between characters). */
void describe(const cJSON *v, char *buf, size_t size) {
    if (v == NULL) {
        snprintf(buf, size, "nothing");
    } else if (cJSON_IsNumber(v)) {
        snprintf(buf, size, "%.10g", v->valuedouble);
    } else if (cJSON_IsString(v)) {
        size_t n = strlen(v->valuestring), cut = sib_utf8_cut(v->valuestring, 40);
        snprintf(buf, size, "the string \"%.*s%s\"", (int)cut, v->valuestring,
                 cut < n ? "..." : "");
    } else if (cJSON_IsBool(v)) {
        snprintf(buf, size, "%s", cJSON_IsTrue(v) ? "true" : "false");
    } else if (cJSON_IsNull(v)) {
        snprintf(buf, size, "null");
    } else if (cJSON_IsArray(v)) {
        snprintf(buf, size, "an array of %d element%s", cJSON_GetArraySize(v),
                 cJSON_GetArraySize(v) == 1 ? "" : "s");
    } else if (cJSON_IsObject(v)) {
        snprintf(buf, size, "an object");
    } else {
        snprintf(buf, size, "an invalid value");
    }
}

/* Fail at the current pointer: "expected <what>, found <describe(v)>". */
int fail_expected(ctx *c, const cJSON *v, const char *fmt, ...) {
    char what[256], found[96];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    describe(v, found, sizeof found);
    return sib_error_set(c->err, SIB_EINVAL, c->ptr, "expected %s, found %s", what, found);
}

/* Fail at the current pointer with a free-form message. */
int fail(ctx *c, const char *fmt, ...) {
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return sib_error_set(c->err, SIB_EINVAL, c->ptr, "%s", msg);
}

/* ---------------------------------------------------------- field readers */

/* Check that obj is an object whose keys are all in allowed (a NULL-ended
 * list) and appear once. A typo in a financial model must not pass silently,
 * so an unknown key is an error that lists the keys that would be valid. */
int check_object(ctx *c, const cJSON *obj, const char *const *allowed) {
    if (!cJSON_IsObject(obj)) return fail_expected(c, obj, "an object");
    for (const cJSON *it = obj->child; it != NULL; it = it->next) {
        int known = 0;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(*a, it->string) == 0) known = 1;
        size_t saved = ctx_push(c, it->string);
        if (!known) {
            char list[256] = "";
            size_t n = 0;
            for (const char *const *a = allowed; *a && n + 2 < sizeof list; a++)
                n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", a == allowed ? "" : ", ",
                                      *a);
            /* A key of hundreds of bytes would crowd out the list. */
            size_t klen = strlen(it->string), cut = klen > 60 ? 60 : klen;
            while (cut < klen && cut > 0 && (it->string[cut] & 0xC0) == 0x80) cut--;
            /* The valid key it is probably a typo of, first ("prise"
             * for "price", "Seed" for "seed"). */
            const char *near = sib_suggest(it->string, allowed);
            return fail(c, "unknown field \"%.*s%s\"%s%s%s (expected one of: %s)", (int)cut,
                        it->string, cut < klen ? "..." : "", near ? ": did you mean \"" : "",
                        near ? near : "", near ? "\"?" : "", list);
        }
        for (const cJSON *prev = obj->child; prev != it; prev = prev->next)
            if (strcmp(prev->string, it->string) == 0)
                return fail(c, "duplicate field \"%s\"", it->string);
        ctx_pop(c, saved);
    }
    return SIB_OK;
}

const cJSON *member(const cJSON *obj, const char *key) {
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* When v is a number past a bound hi <= 1 by far enough to look like a
 * percentage -- at least 1 (100%) and half as much again as hi, so that 1.2
 * against a bound of 1 is a plain overshoot but 8 is not -- and its
 * hundredth is in [lo, hi], fail with the range and the question; otherwise
 * return 0 and set nothing. */
static int fail_range_percent(ctx *c, const cJSON *v, double lo, double hi, int lo_open) {
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) return 0;
    double x = v->valuedouble, f = x / 100;
    if (!(hi <= 1 && x >= 1 && x >= 1.5 * hi && (lo_open ? f > lo : f >= lo) && f <= hi)) return 0;
    return fail(c,
                "expected a number in %s%g, %g], found %g: a rate or share is a fraction, "
                "did you mean %g (%g%%)?",
                lo_open ? "(" : "[", lo, hi, x, f, x);
}

/* When v is a string holding a percentage as people write one -- "13%",
 * "3.5 %" -- whose hundredth lies in the field's range (lo < x when
 * lo_open), write ": ..., did you mean X (P%)?" into hint and return 1;
 * otherwise leave hint empty and return 0. The range alone does not say
 * how to write 10%: against a trigger's [-1e+09, 1e+09] a user who wrote
 * "10%" would write 10, a trigger no effect reaches. */
static int string_percent_hint(const cJSON *v, double lo, double hi, int lo_open, char *hint,
                               size_t size) {
    if (size) hint[0] = '\0';
    if (!cJSON_IsString(v)) return 0;
    const char *s = v->valuestring;
    char num[64];
    size_t n = 0;
    while (*s == ' ') s++;
    for (; n + 1 < sizeof num && ((*s >= '0' && *s <= '9') || *s == '.' || *s == '-'); s++)
        num[n++] = *s;
    num[n] = '\0';
    while (*s == ' ') s++;
    if (n == 0 || *s != '%') return 0;
    for (s++; *s == ' '; s++) {
    }
    if (*s != '\0') return 0;
    char *end;
    double x = json_strtod(num, &end);
    if (*end != '\0' || !isfinite(x)) return 0;
    double f = x / 100;
    if (!(lo_open ? f > lo : f >= lo) || f > hi) return 0;
    snprintf(hint, size,
             ": a rate or share is a fraction, written as a number without quotes, "
             "did you mean %.15g (%.15g%%)?",
             f, x);
    return 1;
}

/* Fail as fail_expected(c, v, what), adding string_percent_hint's question,
 * when percent is set (a time is never written in percent), for a quoted
 * percentage that would be in range as a fraction. */
static int fail_expected_number(ctx *c, const cJSON *v, double lo, double hi, int lo_open,
                                int percent, const char *what) {
    char hint[200], found[96];
    if (!percent || !string_percent_hint(v, lo, hi, lo_open, hint, sizeof hint))
        return fail_expected(c, v, "%s", what);
    describe(v, found, sizeof found);
    return fail(c, "expected %s, found %s%s", what, found, hint);
}

/* Fail: v is not a number in [lo, hi]. A fraction written in percent (8 for
 * 0.08) is the commonest way past an upper bound of 1 or less, so, when
 * percent_hint is set and v/100 would be in range, the message asks
 * whether that was meant. */
static int fail_range(ctx *c, const cJSON *v, double lo, double hi, int percent_hint) {
    char what[96];
    if (isinf(lo) && isinf(hi))
        snprintf(what, sizeof what, "a number");
    else if (isinf(hi))
        snprintf(what, sizeof what, "a number >= %g", lo);
    else if (isinf(lo))
        snprintf(what, sizeof what, "a number <= %g", hi);
    else if (percent_hint && fail_range_percent(c, v, lo, hi, 0))
        return c->err->code;
    else
        snprintf(what, sizeof what, "a number in [%g, %g]", lo, hi);
    return fail_expected_number(c, v, lo, hi, 0, percent_hint, what);
}

/* read_number and read_time: the same reading, with the percentage hint
 * or without it. */
static int read_in_range(ctx *c, const cJSON *obj, const char *key, int required, double def,
                         double lo, double hi, double *out, int percent_hint) {
    const cJSON *v = member(obj, key);
    size_t saved = ctx_push(c, key);
    if (v == NULL) {
        if (required) return fail(c, "required field is missing");
        *out = def;
        ctx_pop(c, saved);
        return SIB_OK;
    }
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < lo ||
        v->valuedouble > hi)
        return fail_range(c, v, lo, hi, percent_hint);
    *out = v->valuedouble;
    ctx_pop(c, saved);
    return SIB_OK;
}

int read_number(ctx *c, const cJSON *obj, const char *key, int required, double def,
                double lo, double hi, double *out) {
    return read_in_range(c, obj, key, required, def, lo, hi, out, 1);
}

int read_time(ctx *c, const cJSON *obj, const char *key, int required, double def, double lo,
              double hi, double *out) {
    return read_in_range(c, obj, key, required, def, lo, hi, out, 0);
}

/* As read_number in (0, hi]: the lower bound is exclusive. */
int read_positive(ctx *c, const cJSON *obj, const char *key, int required, double def, double hi,
                  double *out) {
    const cJSON *v = member(obj, key);
    if (v != NULL && (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble <= 0 ||
                      v->valuedouble > hi)) {
        ctx_push(c, key);
        if (fail_range_percent(c, v, 0, hi, 1)) return c->err->code;
        char what[64];
        snprintf(what, sizeof what, "a number in (0, %g]", hi);
        return fail_expected_number(c, v, 0, hi, 1, hi <= 1, what);
    }
    return read_number(c, obj, key, required, def, 0.0, hi, out);
}

/* Read a whole number in [lo, hi] (exactly representable: hi <= 2^53). */
int read_integer(ctx *c, const cJSON *obj, const char *key, int required, double def,
                 double lo, double hi, double *out) {
    const cJSON *v = member(obj, key);
    size_t saved = ctx_push(c, key);
    if (v == NULL) {
        if (required) return fail(c, "required field is missing");
        *out = def;
        ctx_pop(c, saved);
        return SIB_OK;
    }
    if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) || v->valuedouble < lo ||
        v->valuedouble > hi)
        return fail_expected(c, v, "a whole number in [%.0f, %.0f]", lo, hi);
    *out = v->valuedouble;
    ctx_pop(c, saved);
    return SIB_OK;
}

int read_bool(ctx *c, const cJSON *obj, const char *key, int def, bool *out) {
    const cJSON *v = member(obj, key);
    if (v == NULL) {
        *out = def;
        return SIB_OK;
    }
    if (!cJSON_IsBool(v)) {
        ctx_push(c, key);
        return fail_expected(c, v, "true or false");
    }
    *out = cJSON_IsTrue(v);
    return SIB_OK;
}

int text_control(const char *s, int lines, size_t *at, unsigned *cp) {
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) == 0x80) continue; /* inside a character */
        chars++;
        unsigned u = *p;
        if (u == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) u = p[1]; /* U+0080..U+009F */
        else if (u >= 0x80) continue;
        if (u < 0x20 || (u >= 0x7F && u <= 0x9F)) {
            if (lines && (u == '\n' || u == '\t')) continue;
            *at = chars;
            *cp = u;
            return 1;
        }
    }
    return 0;
}

int fail_control(ctx *c, const char *what, int lines, size_t at, unsigned cp) {
    const char *name = cp == '\n'   ? " (a line feed)"
                       : cp == '\t' ? " (a tab)"
                       : cp == '\r' ? " (a carriage return)"
                       : cp == 0x1B ? " (an escape)"
                                    : "";
    return fail(c, "expected %s without control characters%s (a table row or a terminal would "
                   "break on one), found U+%04X%s at character %zu",
                what, lines ? " other than line feeds and tabs" : "", cp, name, at);
}

/* Read a string into buf (size bytes). Absent: def (NULL = required).
 * Empty strings are refused: a name must name something, and so are
 * control characters (text_control). */
int read_string(ctx *c, const cJSON *obj, const char *key, const char *def, char *buf,
                size_t size) {
    const cJSON *v = member(obj, key);
    size_t saved = ctx_push(c, key);
    if (v == NULL) {
        if (def == NULL) return fail(c, "required field is missing");
        snprintf(buf, size, "%s", def);
        ctx_pop(c, saved);
        return SIB_OK;
    }
    if (!cJSON_IsString(v) || v->valuestring[0] == '\0')
        return fail_expected(c, v, "a non-empty string");
    if (strlen(v->valuestring) >= size)
        return fail_expected(c, v, "a string of at most %zu characters", size - 1);
    size_t at;
    unsigned cp;
    if (text_control(v->valuestring, 0, &at, &cp)) return fail_control(c, "a string", 0, at, cp);
    snprintf(buf, size, "%s", v->valuestring);
    ctx_pop(c, saved);
    return SIB_OK;
}

/* Read a string member as a heap copy (no length limit). A "name" holds
 * no control character; other text (a description) may hold line feeds
 * and tabs, and no other (text_control). */
int read_string_dup(ctx *c, const cJSON *obj, const char *key, const char *def, char **out) {
    const cJSON *v = member(obj, key);
    size_t saved = ctx_push(c, key);
    const char *s = def;
    if (v == NULL) {
        if (def == NULL) return fail(c, "required field is missing");
    } else {
        if (!cJSON_IsString(v)) return fail_expected(c, v, "a string");
        s = v->valuestring;
        const int name = strcmp(key, "name") == 0;
        size_t at;
        unsigned cp;
        if (text_control(s, !name, &at, &cp))
            return fail_control(c, name ? "a name" : "text", !name, at, cp);
    }
    *out = strdup(s);
    if (*out == NULL) return sib_error_set(c->err, SIB_ENOMEM, c->ptr, "out of memory");
    ctx_pop(c, saved);
    return SIB_OK;
}

/* Read one of a fixed set of names; *out receives its index in names. */
int read_enum(ctx *c, const cJSON *obj, const char *key, const char *const *names,
              int def, int *out) {
    const cJSON *v = member(obj, key);
    size_t saved = ctx_push(c, key);
    if (v == NULL) {
        if (def < 0) return fail(c, "required field is missing");
        *out = def;
        ctx_pop(c, saved);
        return SIB_OK;
    }
    if (cJSON_IsString(v))
        for (int i = 0; names[i]; i++)
            if (strcmp(names[i], v->valuestring) == 0) {
                *out = i;
                ctx_pop(c, saved);
                return SIB_OK;
            }
    char list[200] = "";
    size_t n = 0;
    for (int i = 0; names[i] && n + 2 < sizeof list; i++)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s\"%s\"", i ? ", " : "", names[i]);
    return fail_expected(c, v, "one of %s", list);
}

/* Fetch a required non-empty array member; *n receives its length. */
int read_array(ctx *c, const cJSON *obj, const char *key, int required, const cJSON **arr,
               size_t *n) {
    const cJSON *v = member(obj, key);
    size_t saved = ctx_push(c, key);
    *arr = NULL;
    *n = 0;
    if (v == NULL) {
        if (required) return fail(c, "required field is missing");
        ctx_pop(c, saved);
        return SIB_OK;
    }
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0)
        return fail_expected(c, v, "a non-empty array");
    *arr = v;
    *n = (size_t)cJSON_GetArraySize(v);
    ctx_pop(c, saved);
    return SIB_OK;
}

void *xcalloc(ctx *c, size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size);
    if (p == NULL) sib_error_set(c->err, SIB_ENOMEM, c->ptr, "out of memory");
    return p;
}

/* ---------------------------------------------------------------- priors */

static const char *const prior_names[] = {"fixed", "normal", "uniform", "beta", "lognormal",
                                          "triangular", NULL};

/* A fixed prior that is not an input of the scenario (a default). */
void set_fixed(prior *p, double value) {
    memset(p, 0, sizeof *p);
    p->kind = PRIOR_FIXED;
    p->a = value;
    p->lo = -HUGE_VAL;
    p->hi = HUGE_VAL;
    p->slot = SIZE_MAX;
}

/* Record p, read at the current pointer, as an input of the scenario. */
static int register_input(ctx *c, prior *p) {
    scenario *sc = c->sc;
    input *grown = realloc(sc->inputs, (sc->n_inputs + 1) * sizeof *grown);
    if (grown == NULL) return sib_error_set(c->err, SIB_ENOMEM, c->ptr, "out of memory");
    sc->inputs = grown;
    snprintf(sc->inputs[sc->n_inputs].pointer, sizeof sc->inputs[0].pointer, "%s", c->ptr);
    sc->inputs[sc->n_inputs].p = p;
    p->slot = sc->n_inputs++;
    return SIB_OK;
}

/* A prior is either a bare number (a fixed value) or an object
 * {"dist": ..., parameters..., "lower"?, "upper"?}. lo_bound/hi_bound are the
 * values the quantity can take at all (e.g. an effect is <= 1), both finite;
 * "lower" and "upper" must lie within them. An absent optional prior is the fixed value
 * def and is not an input; a present one is registered as an input. */
int read_prior(ctx *c, const cJSON *obj, const char *key, prior *p, double lo_bound,
               double hi_bound, int required, double def) {
    const cJSON *v = member(obj, key);
    set_fixed(p, def);
    if (v == NULL && !required) return SIB_OK;
    size_t saved = ctx_push(c, key);
    if (v == NULL) return fail(c, "required field is missing");
    if (read_prior_value(c, v, p, lo_bound, hi_bound) || register_input(c, p)) return c->err->code;
    ctx_pop(c, saved);
    return SIB_OK;
}

int read_prior_value(ctx *c, const cJSON *v, prior *p, double lo_bound, double hi_bound) {
    size_t saved = c->len;
    /* {"from": "indigo:NAME"}: a prior of the library (model/priors.c). */
    if (cJSON_IsObject(v) && member(v, "from") != NULL)
        return read_prior_from(c, v, p, lo_bound, hi_bound);
    if (cJSON_IsNumber(v)) {
        if (!isfinite(v->valuedouble) || v->valuedouble < lo_bound || v->valuedouble > hi_bound)
            return fail_range(c, v, lo_bound, hi_bound, 1);
        p->kind = PRIOR_FIXED;
        p->a = v->valuedouble;
        ctx_pop(c, saved);
        return SIB_OK;
    }
    if (!cJSON_IsObject(v))
        return fail_expected_number(c, v, lo_bound, hi_bound, 0, 1,
                                    "a number (a fixed value) or a distribution object");
    int kind;
    if (read_enum(c, v, "dist", prior_names, -1, &kind)) return c->err->code;
    p->kind = (prior_kind)kind;
    static const char *const k_fixed[] = {"dist", "value", NULL};
    static const char *const k_normal[] = {"dist", "mean", "sd", "lower", "upper", NULL};
    static const char *const k_uniform[] = {"dist", "min", "max", NULL};
    static const char *const k_beta[] = {"dist", "alpha", "beta", "min", "max", NULL};
    static const char *const k_lognormal[] = {"dist", "mu", "sigma", "lower", "upper", NULL};
    static const char *const k_tri[] = {"dist", "min", "mode", "max", NULL};
    /* Every bound is finite (loader_internal.h), and so is every parameter:
     * a normal's mean lies within the bounds and its sd is at most their
     * width; a lognormal's mean exp(mu + sigma^2 / 2) is at most e^62.5; a
     * beta's shape parameters are from 0.001 to 1e5. The engine draws a
     * prior through its quantile, and GSL's beta quantile
     * (gsl_cdf_beta_Pinv) never returns for shapes near 1e6 (Beta(8e5,
     * 8e5) at u = 0.5) nor for a subnormal one (5e-324): `validate` and
     * `run` hung on such scenarios, which the bounds once let through
     * (tests/test_loader_bounds.c runs one at each new bound). */
    const double width = hi_bound - lo_bound;
    int rc = 0;
    switch (p->kind) {
    case PRIOR_FIXED:
        rc = check_object(c, v, k_fixed) ||
             read_number(c, v, "value", 1, 0, lo_bound, hi_bound, &p->a);
        break;
    case PRIOR_NORMAL:
        rc = check_object(c, v, k_normal) ||
             read_number(c, v, "mean", 1, 0, lo_bound, hi_bound, &p->a) ||
             read_number(c, v, "sd", 1, 0, 0, width, &p->b);
        break;
    case PRIOR_UNIFORM:
        rc = check_object(c, v, k_uniform) ||
             read_number(c, v, "min", 1, 0, lo_bound, hi_bound, &p->a) ||
             read_number(c, v, "max", 1, 0, p->a, hi_bound, &p->b);
        break;
    case PRIOR_BETA:
        rc = check_object(c, v, k_beta) ||
             read_number(c, v, "alpha", 1, 0, LOADER_BETA_MIN, LOADER_BETA_MAX, &p->a) ||
             read_number(c, v, "beta", 1, 0, LOADER_BETA_MIN, LOADER_BETA_MAX, &p->b) ||
             read_number(c, v, "min", 0, fmax(0.0, lo_bound), lo_bound, hi_bound, &p->c) ||
             read_number(c, v, "max", 0, fmin(1.0, hi_bound), p->c, hi_bound, &p->d);
        break;
    case PRIOR_LOGNORMAL:
        rc = check_object(c, v, k_lognormal) || read_number(c, v, "mu", 1, 0, -50, 50, &p->a) ||
             read_number(c, v, "sigma", 1, 0, 0, 5, &p->b);
        break;
    case PRIOR_TRIANGULAR:
        rc = check_object(c, v, k_tri) ||
             read_number(c, v, "min", 1, 0, lo_bound, hi_bound, &p->a) ||
             read_number(c, v, "mode", 1, 0, p->a, hi_bound, &p->b) ||
             read_number(c, v, "max", 1, 0, p->b, hi_bound, &p->c);
        break;
    }
    if (rc) return c->err->code;
    if (p->kind == PRIOR_NORMAL || p->kind == PRIOR_LOGNORMAL) {
        if (read_number(c, v, "lower", 0, lo_bound, lo_bound, hi_bound, &p->lo) ||
            read_number(c, v, "upper", 0, hi_bound, p->lo, hi_bound, &p->hi))
            return c->err->code;
    } else if (p->kind != PRIOR_FIXED) {
        p->lo = lo_bound;
        p->hi = hi_bound;
    }
    if (isinf(p->lo) && p->lo > 0) p->lo = -HUGE_VAL;
    ctx_pop(c, saved);
    return SIB_OK;
}
