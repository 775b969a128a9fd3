/* loader.c -- JSON scenario text to a validated, compiled scenario.
 *
 * This is the only file in sibsim that knows cJSON. It parses the text,
 * walks the tree with a JSON Pointer that always names the field being read,
 * checks every field (type, range, cross references, no unknown or duplicate
 * keys) and copies the values into the plain structs of scenario.h. The
 * first error stops the walk and is reported with the pointer, what was
 * expected and what was found; a syntax error is reported with its line and
 * column instead.
 *
 * Two sections are more than values: each named case ("cases") is checked
 * by compiling the scenario it makes, and the realised record ("realised")
 * is resolved against the stages, cohorts and outcomes; a record can also
 * be read from a file of its own (scenario_load_realised_file).
 *
 * The format is documented field by field in docs/scenario-format.md; the
 * tables of allowed keys below are the authority the documentation follows.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <sys/stat.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "json_internal.h"
#include "scenario.h"

/* ------------------------------------------------------ walking context */

/* The walk's state: the error to fill and the JSON Pointer of the node being
 * read. Pointers are built incrementally: push a key or index, read, pop. */
typedef struct ctx {
    sib_error *err;
    char ptr[256];
    size_t len;
    scenario *sc; /* being built: read_prior registers its inputs here */
} ctx;

/* Append "/token" to the pointer, escaping '~' as "~0" and '/' as "~1"
 * (RFC 6901 section 3). Returns the previous length, for ctx_pop(). */
static size_t ctx_push(ctx *c, const char *token) {
    size_t saved = c->len;
    if (c->len + 1 < sizeof c->ptr) c->ptr[c->len++] = '/';
    for (const char *p = token; *p && c->len + 2 < sizeof c->ptr; p++) {
        if (*p == '~' || *p == '/') {
            c->ptr[c->len++] = '~';
            c->ptr[c->len++] = (*p == '~') ? '0' : '1';
        } else {
            c->ptr[c->len++] = *p;
        }
    }
    c->ptr[c->len] = '\0';
    return saved;
}

static size_t ctx_push_index(ctx *c, size_t i) {
    char buf[32];
    snprintf(buf, sizeof buf, "%zu", i);
    return ctx_push(c, buf);
}

static void ctx_pop(ctx *c, size_t saved) {
    c->len = saved;
    c->ptr[saved] = '\0';
}

/* Describe a JSON value for "found ..." in a message: its type and, for
 * scalars, the value itself (strings truncated to 40 characters). */
static void describe(const cJSON *v, char *buf, size_t size) {
    if (v == NULL) {
        snprintf(buf, size, "nothing");
    } else if (cJSON_IsNumber(v)) {
        snprintf(buf, size, "%.10g", v->valuedouble);
    } else if (cJSON_IsString(v)) {
        size_t n = strlen(v->valuestring);
        snprintf(buf, size, "the string \"%.40s%s\"", v->valuestring, n > 40 ? "..." : "");
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
static int fail_expected(ctx *c, const cJSON *v, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int fail_expected(ctx *c, const cJSON *v, const char *fmt, ...) {
    char what[256], found[96];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    describe(v, found, sizeof found);
    return sib_error_set(c->err, SIB_EINVAL, c->ptr, "expected %s, found %s", what, found);
}

/* Fail at the current pointer with a free-form message. */
static int fail(ctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static int fail(ctx *c, const char *fmt, ...) {
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
static int check_object(ctx *c, const cJSON *obj, const char *const *allowed) {
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
            return fail(c, "unknown field \"%s\" (expected one of: %s)", it->string, list);
        }
        for (const cJSON *prev = obj->child; prev != it; prev = prev->next)
            if (strcmp(prev->string, it->string) == 0)
                return fail(c, "duplicate field \"%s\"", it->string);
        ctx_pop(c, saved);
    }
    return SIB_OK;
}

static const cJSON *member(const cJSON *obj, const char *key) {
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* Read a number member. Absent: *out = def, or an error when required.
 * Present: must be a number in [lo, hi]. */
static int read_number(ctx *c, const cJSON *obj, const char *key, int required, double def,
                       double lo, double hi, double *out) {
    const cJSON *v = member(obj, key);
    size_t saved = ctx_push(c, key);
    if (v == NULL) {
        if (required) return fail(c, "required field is missing");
        *out = def;
        ctx_pop(c, saved);
        return SIB_OK;
    }
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < lo ||
        v->valuedouble > hi) {
        if (isinf(lo) && isinf(hi)) return fail_expected(c, v, "a number");
        if (isinf(hi)) return fail_expected(c, v, "a number >= %g", lo);
        if (isinf(lo)) return fail_expected(c, v, "a number <= %g", hi);
        return fail_expected(c, v, "a number in [%g, %g]", lo, hi);
    }
    *out = v->valuedouble;
    ctx_pop(c, saved);
    return SIB_OK;
}

/* As read_number, with an exclusive lower bound: value > lo. */
static int read_positive(ctx *c, const cJSON *obj, const char *key, int required, double def,
                         double *out) {
    const cJSON *v = member(obj, key);
    if (v != NULL && (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble <= 0)) {
        ctx_push(c, key);
        return fail_expected(c, v, "a number > 0");
    }
    return read_number(c, obj, key, required, def, 0.0, HUGE_VAL, out);
}

/* Read a whole number in [lo, hi] (exactly representable: hi <= 2^53). */
static int read_integer(ctx *c, const cJSON *obj, const char *key, int required, double def,
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

static int read_bool(ctx *c, const cJSON *obj, const char *key, int def, bool *out) {
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

/* Read a string into buf (size bytes). Absent: def (NULL = required).
 * Empty strings are refused: a name must name something. */
static int read_string(ctx *c, const cJSON *obj, const char *key, const char *def, char *buf,
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
    snprintf(buf, size, "%s", v->valuestring);
    ctx_pop(c, saved);
    return SIB_OK;
}

/* Read a string member as a heap copy (no length limit). */
static int read_string_dup(ctx *c, const cJSON *obj, const char *key, const char *def, char **out) {
    const cJSON *v = member(obj, key);
    size_t saved = ctx_push(c, key);
    const char *s = def;
    if (v == NULL) {
        if (def == NULL) return fail(c, "required field is missing");
    } else {
        if (!cJSON_IsString(v)) return fail_expected(c, v, "a string");
        s = v->valuestring;
    }
    *out = strdup(s);
    if (*out == NULL) return sib_error_set(c->err, SIB_ENOMEM, c->ptr, "out of memory");
    ctx_pop(c, saved);
    return SIB_OK;
}

/* Read one of a fixed set of names; *out receives its index in names. */
static int read_enum(ctx *c, const cJSON *obj, const char *key, const char *const *names,
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
static int read_array(ctx *c, const cJSON *obj, const char *key, int required, const cJSON **arr,
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

static void *xcalloc(ctx *c, size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size);
    if (p == NULL) sib_error_set(c->err, SIB_ENOMEM, c->ptr, "out of memory");
    return p;
}

/* ---------------------------------------------------------------- priors */

static const char *const prior_names[] = {"fixed", "normal", "uniform", "beta", "lognormal",
                                          "triangular", NULL};

/* A fixed prior that is not an input of the scenario (a default). */
static void set_fixed(prior *p, double value) {
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

static int read_prior_value(ctx *c, const cJSON *v, prior *p, double lo_bound, double hi_bound);

/* A prior is either a bare number (a fixed value) or an object
 * {"dist": ..., parameters..., "lower"?, "upper"?}. lo_bound/hi_bound are the
 * values the quantity can take at all (e.g. an effect is <= 1); "lower" and
 * "upper" must lie within them. An absent optional prior is the fixed value
 * def and is not an input; a present one is registered as an input. */
static int read_prior(ctx *c, const cJSON *obj, const char *key, prior *p, double lo_bound,
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

static int read_prior_value(ctx *c, const cJSON *v, prior *p, double lo_bound, double hi_bound) {
    size_t saved = c->len;
    if (cJSON_IsNumber(v)) {
        if (v->valuedouble < lo_bound || v->valuedouble > hi_bound)
            return fail_expected(c, v, "a number in [%g, %g]", lo_bound, hi_bound);
        p->kind = PRIOR_FIXED;
        p->a = v->valuedouble;
        ctx_pop(c, saved);
        return SIB_OK;
    }
    if (!cJSON_IsObject(v))
        return fail_expected(c, v, "a number (a fixed value) or a distribution object");
    int kind;
    if (read_enum(c, v, "dist", prior_names, -1, &kind)) return c->err->code;
    p->kind = (prior_kind)kind;
    static const char *const k_fixed[] = {"dist", "value", NULL};
    static const char *const k_normal[] = {"dist", "mean", "sd", "lower", "upper", NULL};
    static const char *const k_uniform[] = {"dist", "min", "max", NULL};
    static const char *const k_beta[] = {"dist", "alpha", "beta", "min", "max", NULL};
    static const char *const k_lognormal[] = {"dist", "mu", "sigma", "lower", "upper", NULL};
    static const char *const k_tri[] = {"dist", "min", "mode", "max", NULL};
    const double H = HUGE_VAL;
    int rc = 0;
    switch (p->kind) {
    case PRIOR_FIXED:
        rc = check_object(c, v, k_fixed) ||
             read_number(c, v, "value", 1, 0, lo_bound, hi_bound, &p->a);
        break;
    case PRIOR_NORMAL:
        rc = check_object(c, v, k_normal) || read_number(c, v, "mean", 1, 0, -H, H, &p->a) ||
             read_number(c, v, "sd", 1, 0, 0, H, &p->b);
        break;
    case PRIOR_UNIFORM:
        rc = check_object(c, v, k_uniform) ||
             read_number(c, v, "min", 1, 0, lo_bound, hi_bound, &p->a) ||
             read_number(c, v, "max", 1, 0, p->a, hi_bound, &p->b);
        break;
    case PRIOR_BETA:
        rc = check_object(c, v, k_beta) || read_positive(c, v, "alpha", 1, 0, &p->a) ||
             read_positive(c, v, "beta", 1, 0, &p->b) ||
             read_number(c, v, "min", 0, fmax(0.0, lo_bound), lo_bound, hi_bound, &p->c) ||
             read_number(c, v, "max", 0, fmin(1.0, hi_bound), p->c, hi_bound, &p->d);
        break;
    case PRIOR_LOGNORMAL:
        rc = check_object(c, v, k_lognormal) || read_number(c, v, "mu", 1, 0, -H, H, &p->a) ||
             read_number(c, v, "sigma", 1, 0, 0, H, &p->b);
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

/* ------------------------------------------------------------- simulation */

static int read_simulation(ctx *c, const cJSON *root, sim_settings *s) {
    static const char *const keys[] = {"paths", "seed", "rng", "periods_per_year",
                                       "discount_rate", NULL};
    s->paths = 100000;
    s->seed = 1;
    snprintf(s->rng, sizeof s->rng, "mt19937");
    s->periods_per_year = 4;
    s->discount_rate = 0.035;
    const cJSON *v = member(root, "simulation");
    if (v == NULL) return SIB_OK;
    size_t saved = ctx_push(c, "simulation");
    double paths, seed, ppy;
    if (check_object(c, v, keys) || read_integer(c, v, "paths", 0, 100000, 1, 1e12, &paths) ||
        read_integer(c, v, "seed", 0, 1, 0, 9007199254740992.0, &seed) ||
        read_string(c, v, "rng", "mt19937", s->rng, sizeof s->rng) ||
        read_integer(c, v, "periods_per_year", 0, 4, 1, 366, &ppy) ||
        read_number(c, v, "discount_rate", 0, 0.035, -0.99, 1.0, &s->discount_rate))
        return c->err->code;
    s->paths = (uint64_t)paths;
    s->seed = (uint64_t)seed;
    s->periods_per_year = (int)ppy;
    ctx_pop(c, saved);
    return SIB_OK;
}

/* ---------------------------------------------------------------- stages */

static int read_cohort(ctx *c, const cJSON *v, const stage *st, size_t index, cohort *co) {
    static const char *const keys[] = {"name", "size", "entry", "enrolment", NULL};
    char def[SCENARIO_NAME_MAX];
    snprintf(def, sizeof def, "cohort %zu", index + 1);
    if (check_object(c, v, keys) || read_string(c, v, "name", def, co->name, sizeof co->name) ||
        read_integer(c, v, "size", 1, 0, 1, 1e9, &co->size) ||
        read_number(c, v, "entry", 0, st->start, st->start, st->start + st->duration,
                    &co->entry) ||
        read_number(c, v, "enrolment", 0, 0, 0, st->start + st->duration - co->entry,
                    &co->enrolment))
        return c->err->code;
    return SIB_OK;
}

/* Find a named element of an array of structs that begin with a name. */
#define FIND_NAME(arr, n, wanted, out)                                                  \
    do {                                                                                \
        (out) = SIZE_MAX;                                                               \
        for (size_t k_ = 0; k_ < (n); k_++)                                             \
            if (strcmp((arr)[k_].name, (wanted)) == 0) (out) = k_;                      \
    } while (0)

/* "one of \"a\", \"b\"" for the names of n elements of arr. */
#define LIST_NAMES(arr, n, buf)                                                         \
    do {                                                                                \
        size_t len_ = 0;                                                                \
        (buf)[0] = '\0';                                                                \
        for (size_t k_ = 0; k_ < (n) && len_ + 2 < sizeof(buf); k_++)                   \
            len_ += (size_t)snprintf((buf) + len_, sizeof(buf) - len_, "%s\"%s\"",      \
                                     k_ ? ", " : "", (arr)[k_].name);                   \
    } while (0)

/* Read the gate of stage s (s > 0): {"after"?, "outcome"?, "min_effect"?,
 * "probability"?}. Needs the outcomes already read. */
static int read_gate(ctx *c, const cJSON *v, scenario *sc, size_t s) {
    static const char *const keys[] = {"after", "outcome", "min_effect", "min_paid",
                                       "probability", NULL};
    stage *st = &sc->stages[s];
    gate *g = &st->gate;
    const cJSON *gv = member(v, "gate");
    g->present = false;
    g->outcome = SIZE_MAX;
    g->probability = 1;
    if (gv == NULL) return SIB_OK;
    size_t saved = ctx_push(c, "gate");
    if (s == 0) return fail(c, "the first stage cannot have a gate (there are no earlier results)");
    if (check_object(c, gv, keys)) return c->err->code;
    g->present = true;
    g->stage = s - 1;
    char name[SCENARIO_NAME_MAX], list[300];
    if (member(gv, "after") != NULL) {
        if (read_string(c, gv, "after", NULL, name, sizeof name)) return c->err->code;
        FIND_NAME(sc->stages, s, name, g->stage);
        if (g->stage == SIZE_MAX) {
            ctx_push(c, "after");
            LIST_NAMES(sc->stages, s, list);
            return fail(c, "expected the name of an earlier stage (%s), found \"%s\"", list, name);
        }
    }
    if (member(gv, "outcome") != NULL || member(gv, "min_effect") != NULL) {
        if (read_string(c, gv, "outcome", NULL, name, sizeof name)) return c->err->code;
        FIND_NAME(sc->outcomes, sc->n_outcomes, name, g->outcome);
        if (g->outcome == SIZE_MAX) {
            ctx_push(c, "outcome");
            LIST_NAMES(sc->outcomes, sc->n_outcomes, list);
            return fail(c, "expected the name of an outcome (%s), found \"%s\"", list, name);
        }
        if (read_number(c, gv, "min_effect", 1, 0, -HUGE_VAL, HUGE_VAL, &g->min_effect))
            return c->err->code;
        /* The rule is on results measured by the time the stage would start. */
        const stage *after = &sc->stages[g->stage];
        double known = 0;
        for (size_t k = 0; k < after->n_cohorts; k++)
            known = fmax(known, after->cohorts[k].entry + after->cohorts[k].enrolment +
                                    sc->outcomes[g->outcome].observation_lag);
        if (known > st->start + 1e-9) {
            ctx_push(c, "outcome");
            return fail(c, "the gate needs \"%s\" results of stage \"%s\", measured at %g years, "
                           "but this stage starts at %g",
                        name, after->name, known, st->start);
        }
    }
    g->has_min_paid = member(gv, "min_paid") != NULL;
    if (read_number(c, gv, "min_paid", 0, 0, 0, HUGE_VAL, &g->min_paid) ||
        read_number(c, gv, "probability", 0, 1, 0, 1, &g->probability))
        return c->err->code;
    if (g->has_min_paid) {
        /* Payments count only if made by this stage's start, so the gating
         * stage's cohorts must be measured, on every outcome, by then. */
        const stage *after = &sc->stages[g->stage];
        double known = 0;
        for (size_t k = 0; k < after->n_cohorts; k++)
            for (size_t o = 0; o < sc->n_outcomes; o++)
                known = fmax(known, after->cohorts[k].entry + after->cohorts[k].enrolment +
                                        sc->outcomes[o].observation_lag);
        if (known > st->start + 1e-9) {
            ctx_push(c, "min_paid");
            return fail(c, "the gate needs payments for stage \"%s\", whose cohorts are "
                           "measured by %g years, but this stage starts at %g",
                        after->name, known, st->start);
        }
    }
    ctx_pop(c, saved);
    return SIB_OK;
}

static int read_stage(ctx *c, const cJSON *v, scenario *sc, size_t s) {
    static const char *const keys[] = {"name",       "start",      "duration",          "costs",
                                       "cohorts",    "volume",     "engagement",        "gate",
                                       "effect_multiplier", "failure_hazard", NULL};
    static const char *const cost_keys[] = {"setup", "fixed_per_year", "per_participant",
                                            "overrun", NULL};
    stage *st = &sc->stages[s];
    if (check_object(c, v, keys) || read_string(c, v, "name", NULL, st->name, sizeof st->name) ||
        read_number(c, v, "start", 0, 0, 0, 200, &st->start) ||
        read_positive(c, v, "duration", 1, 0, &st->duration))
        return c->err->code;
    const cJSON *costs = member(v, "costs");
    set_fixed(&st->overrun, 1);
    if (costs != NULL) {
        size_t saved = ctx_push(c, "costs");
        if (check_object(c, costs, cost_keys) ||
            read_number(c, costs, "setup", 0, 0, 0, HUGE_VAL, &st->setup_cost) ||
            read_number(c, costs, "fixed_per_year", 0, 0, 0, HUGE_VAL, &st->fixed_per_year) ||
            read_number(c, costs, "per_participant", 0, 0, 0, HUGE_VAL, &st->per_participant) ||
            read_prior(c, costs, "overrun", &st->overrun, 0, 100, 0, 1))
            return c->err->code;
        ctx_pop(c, saved);
    }
    if (read_prior(c, v, "volume", &st->volume, 0, 10, 0, 1) ||
        read_prior(c, v, "engagement", &st->engagement, 0, 1, 0, 1) ||
        read_prior(c, v, "effect_multiplier", &st->effect_multiplier, -10, 10, 0, 1) ||
        read_number(c, v, "failure_hazard", 0, 0, 0, 100, &st->failure_hazard))
        return c->err->code;
    const cJSON *arr;
    if (read_array(c, v, "cohorts", 1, &arr, &st->n_cohorts)) return c->err->code;
    st->cohorts = xcalloc(c, st->n_cohorts, sizeof *st->cohorts);
    if (st->cohorts == NULL) return SIB_ENOMEM;
    size_t saved = ctx_push(c, "cohorts");
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        size_t s2 = ctx_push_index(c, i);
        if (read_cohort(c, it, st, i, &st->cohorts[i])) return c->err->code;
        for (size_t j = 0; j < i; j++)
            if (strcmp(st->cohorts[j].name, st->cohorts[i].name) == 0) {
                ctx_push(c, "name");
                /* c->ptr up to s2 is this stage's ".../cohorts". */
                return fail(c, "duplicate cohort name \"%s\" (also %.*s/%zu)",
                            st->cohorts[i].name, (int)s2, c->ptr, j);
            }
        ctx_pop(c, s2);
    }
    ctx_pop(c, saved);
    return read_gate(c, v, sc, s);
}

/* --------------------------------------------------------------- outcomes */

static const char *const kind_names[] = {"rate", "count", "continuous", NULL};
static const char *const direction_names[] = {"lower_is_better", "higher_is_better", NULL};
static const char *const scale_names[] = {"relative", "absolute", NULL};
static const char *const design_names[] = {"rct", "matched", "historical", "validated_count",
                                           NULL};

static int read_evaluation(ctx *c, const cJSON *o, evaluation *ev) {
    static const char *const k_group[] = {"design", "comparison_size", "comparison_ratio",
                                          "clusters", "bias", NULL};
    static const char *const k_hist[] = {"design", "trend", "volatility", NULL};
    static const char *const k_valid[] = {"design", NULL};
    static const char *const k_clusters[] = {"size", "icc", NULL};
    const cJSON *v = member(o, "evaluation");
    size_t saved = ctx_push(c, "evaluation");
    if (v == NULL) return fail(c, "required field is missing");
    int design;
    if (!cJSON_IsObject(v)) return fail_expected(c, v, "an object");
    if (read_enum(c, v, "design", design_names, -1, &design)) return c->err->code;
    ev->design = (eval_design)design;
    set_fixed(&ev->bias, 0);
    set_fixed(&ev->trend, 0);
    if (ev->design == EVAL_HISTORICAL) {
        if (check_object(c, v, k_hist) || read_prior(c, v, "trend", &ev->trend, -1, 1, 0, 0) ||
            read_number(c, v, "volatility", 0, 0, 0, 1, &ev->volatility))
            return c->err->code;
        ctx_pop(c, saved);
        return SIB_OK;
    }
    if (ev->design == EVAL_VALIDATED) {
        if (check_object(c, v, k_valid)) return c->err->code;
        ctx_pop(c, saved);
        return SIB_OK;
    }
    if (check_object(c, v, k_group)) return c->err->code;
    const cJSON *size = member(v, "comparison_size"), *ratio = member(v, "comparison_ratio");
    if ((size == NULL) == (ratio == NULL))
        return fail(c, "expected exactly one of \"comparison_size\" (people per cohort) or "
                       "\"comparison_ratio\" (comparison people per treated person), found %s",
                    size ? "both" : "neither");
    if (size ? read_integer(c, v, "comparison_size", 1, 0, 1, 1e9, &ev->comparison_size)
             : read_positive(c, v, "comparison_ratio", 1, 0, &ev->comparison_ratio))
        return c->err->code;
    if (member(v, "bias") != NULL && ev->design != EVAL_MATCHED) {
        ctx_push(c, "bias");
        return fail(c, "\"bias\" applies only to design \"matched\" (a randomised comparison "
                       "group is unbiased)");
    }
    if (read_prior(c, v, "bias", &ev->bias, -0.99, 10, 0, 0)) return c->err->code;
    const cJSON *cl = member(v, "clusters");
    if (cl != NULL) {
        size_t s2 = ctx_push(c, "clusters");
        if (check_object(c, cl, k_clusters) ||
            read_integer(c, cl, "size", 1, 0, 1, 1e6, &ev->cluster_size) ||
            read_number(c, cl, "icc", 1, 0, 0, 1, &ev->icc))
            return c->err->code;
        ctx_pop(c, s2);
    }
    ctx_pop(c, saved);
    return SIB_OK;
}

static int read_outcome(ctx *c, const cJSON *v, outcome *o) {
    static const char *const keys[] = {"name",   "kind",       "direction",       "baseline",
                                       "sd",     "effect",     "evaluation",      "observation_lag",
                                       "value",  NULL};
    static const char *const effect_keys[] = {"scale", "prior", NULL};
    int kind, dir, scale;
    if (check_object(c, v, keys) || read_string(c, v, "name", NULL, o->name, sizeof o->name) ||
        read_enum(c, v, "kind", kind_names, -1, &kind) ||
        read_enum(c, v, "direction", direction_names, -1, &dir))
        return c->err->code;
    o->kind = (outcome_kind)kind;
    o->direction = (outcome_direction)dir;
    const cJSON *b = member(v, "baseline");
    if (o->kind == OUTCOME_RATE) {
        if (b != NULL && (!cJSON_IsNumber(b) || b->valuedouble <= 0 || b->valuedouble >= 1)) {
            ctx_push(c, "baseline");
            return fail_expected(c, b, "a share strictly between 0 and 1");
        }
        if (read_number(c, v, "baseline", 1, 0, 0, 1, &o->baseline)) return c->err->code;
    } else if (o->kind == OUTCOME_COUNT) {
        if (read_positive(c, v, "baseline", 1, 0, &o->baseline)) return c->err->code;
    } else {
        if (read_number(c, v, "baseline", 1, 0, -HUGE_VAL, HUGE_VAL, &o->baseline))
            return c->err->code;
    }
    if (o->kind == OUTCOME_CONTINUOUS) {
        if (read_positive(c, v, "sd", 1, 0, &o->sd)) return c->err->code;
    } else if (member(v, "sd") != NULL) {
        ctx_push(c, "sd");
        return fail(c, "\"sd\" applies only to kind \"continuous\" (the spread of a rate or a "
                       "count follows from its mean)");
    }
    const cJSON *e = member(v, "effect");
    size_t saved = ctx_push(c, "effect");
    if (e == NULL) return fail(c, "required field is missing");
    if (check_object(c, e, effect_keys) ||
        read_enum(c, e, "scale", scale_names, o->kind == OUTCOME_CONTINUOUS, &scale))
        return c->err->code;
    o->scale = (effect_scale)scale;
    if (o->kind == OUTCOME_CONTINUOUS && o->scale == EFFECT_RELATIVE && o->baseline <= 0) {
        ctx_push(c, "scale");
        return fail(c, "a relative effect needs a baseline > 0; use \"absolute\" for a score "
                       "whose baseline is %g",
                    o->baseline);
    }
    /* The largest possible improvement: a rate or a count cannot fall below
     * zero (nor a rate rise above one). A relative effect of 1 means "all
     * gone". A score has no such bound. */
    double hi = HUGE_VAL;
    if (o->kind != OUTCOME_CONTINUOUS) {
        if (o->direction == DIRECTION_LOWER_IS_BETTER)
            hi = (o->scale == EFFECT_RELATIVE) ? 1.0 : o->baseline;
        else if (o->kind == OUTCOME_RATE)
            hi = (o->scale == EFFECT_RELATIVE) ? (1.0 - o->baseline) / o->baseline
                                               : 1.0 - o->baseline;
    }
    double lo = (o->scale == EFFECT_RELATIVE) ? -10.0 : -HUGE_VAL;
    if (read_prior(c, e, "prior", &o->effect, lo, hi, 1, 0)) return c->err->code;
    ctx_pop(c, saved);
    if (read_evaluation(c, v, &o->eval)) return c->err->code;
    if (o->eval.design == EVAL_VALIDATED && o->kind != OUTCOME_RATE &&
        o->direction == DIRECTION_LOWER_IS_BETTER) {
        ctx_push(c, "evaluation");
        ctx_push(c, "design");
        return fail(c, "validated counts count outcomes achieved, and a %s where lower is better "
                       "has none to count (its level rises as results worsen): use \"rct\", "
                       "\"matched\" or \"historical\"",
                    o->kind == OUTCOME_COUNT ? "count" : "score");
    }
    if (read_number(c, v, "observation_lag", 0, 0, 0, 50, &o->observation_lag) ||
        read_number(c, v, "value", 0, 0, 0, HUGE_VAL, &o->value))
        return c->err->code;
    return SIB_OK;
}

/* --------------------------------------------------------------- contract */

static const char *const pay_type_names[] = {"per_unit", "per_outcome", "fixed", "linear",
                                             "tiered", "savings_share", NULL};
static const char *const scope_names[] = {"cohort", "stage", "programme", NULL};
static const char *const basis_names[] = {"improvement", "achieved", NULL};

/* The fields each payment type takes, beyond the common ones. */
static const char *const *type_fields(payment_type t) {
    static const char *const per_unit[] = {"price", NULL};
    static const char *const per_outcome[] = {"price", NULL};
    static const char *const fixed[] = {"amount", NULL};
    static const char *const linear[] = {"amount", "floor", "ceiling", NULL};
    static const char *const tiered[] = {"bands", "basis", "principal", "principal_from", NULL};
    static const char *const savings[] = {"value", "share", "share_after", "until_repaid",
                                          "basis", NULL};
    switch (t) {
    case PAY_PER_UNIT: return per_unit;
    case PAY_PER_OUTCOME: return per_outcome;
    case PAY_FIXED: return fixed;
    case PAY_LINEAR: return linear;
    case PAY_TIERED: return tiered;
    case PAY_SAVINGS: return savings;
    }
    return per_unit;
}

static int read_bands(ctx *c, const cJSON *v, payment_rule *r) {
    static const char *const keys[] = {"from", "amount", "price", "return", NULL};
    const cJSON *arr;
    if (read_array(c, v, "bands", 1, &arr, &r->n_bands)) return c->err->code;
    r->bands = xcalloc(c, r->n_bands, sizeof *r->bands);
    if (r->bands == NULL) return SIB_ENOMEM;
    size_t s1 = ctx_push(c, "bands");
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        band *b = &r->bands[i];
        size_t s2 = ctx_push_index(c, i);
        double lo = i ? r->bands[i - 1].from : -HUGE_VAL;
        if (check_object(c, it, keys) || read_number(c, it, "from", 1, 0, lo, HUGE_VAL, &b->from))
            return c->err->code;
        if (i > 0 && b->from == lo) {
            ctx_push(c, "from");
            return fail(c, "expected bands in increasing order of \"from\", found %g twice", lo);
        }
        int given = (member(it, "amount") != NULL) + (member(it, "price") != NULL) +
                    (member(it, "return") != NULL);
        if (given != 1)
            return fail(c, "expected exactly one of \"amount\" (paid when the band is reached), "
                           "\"price\" (per unit, in this band) or \"return\" (the annual "
                           "return paid on the rule's principal)");
        b->per_unit = member(it, "price") != NULL;
        b->has_return = member(it, "return") != NULL;
        if (b->per_unit ? read_number(c, it, "price", 1, 0, 0, HUGE_VAL, &b->price)
            : b->has_return ? read_number(c, it, "return", 1, 0, -1, 10, &b->ret)
                            : read_number(c, it, "amount", 1, 0, 0, HUGE_VAL, &b->amount))
            return c->err->code;
        ctx_pop(c, s2);
    }
    ctx_pop(c, s1);
    return SIB_OK;
}

static int read_rule(ctx *c, const cJSON *v, const scenario *sc, size_t index, double def_lag,
                     payment_rule *r) {
    static const char *const common[] = {"name",  "outcome", "type",           "scope",
                                         "stage", "trigger", "true_up",        "cap",
                                         "lag",   "cap_per_cohort", "installments", "interval",
                                         NULL};
    char def[SCENARIO_NAME_MAX], oname[SCENARIO_NAME_MAX], list[300];
    snprintf(def, sizeof def, "payment %zu", index + 1);
    int type, scope;
    if (!cJSON_IsObject(v)) return fail_expected(c, v, "an object");
    if (read_enum(c, v, "type", pay_type_names, -1, &type)) return c->err->code;
    r->type = (payment_type)type;
    /* Allowed keys: the common ones and the type's own. */
    const char *keys[32];
    size_t nk = 0;
    for (const char *const *k = common; *k; k++) keys[nk++] = *k;
    for (const char *const *k = type_fields(r->type); *k; k++) keys[nk++] = *k;
    keys[nk] = NULL;
    /* A term of another payment type gets a pointed message, not just
     * "unknown field": e.g. a price on a fixed payment. */
    for (const cJSON *it = v->child; it != NULL; it = it->next) {
        int mine = 0;
        for (size_t k = 0; k < nk; k++) mine |= strcmp(keys[k], it->string) == 0;
        if (mine) continue;
        for (int t = 0; pay_type_names[t]; t++)
            for (const char *const *k = type_fields((payment_type)t); *k; k++)
                if (strcmp(*k, it->string) == 0) {
                    char terms[200] = "";
                    size_t tl = 0;
                    for (const char *const *own = type_fields(r->type); *own && tl + 2 < sizeof terms; own++)
                        tl += (size_t)snprintf(terms + tl, sizeof terms - tl, "%s%s",
                                               tl ? ", " : "", *own);
                    ctx_push(c, it->string);
                    return fail(c, "\"%s\" does not apply to a payment of type \"%s\" (its "
                                   "terms: %s)",
                                it->string, pay_type_names[type], terms);
                }
    }
    if (check_object(c, v, keys) || read_string(c, v, "name", def, r->name, sizeof r->name) ||
        read_string(c, v, "outcome", NULL, oname, sizeof oname) ||
        read_enum(c, v, "scope", scope_names, 0, &scope))
        return c->err->code;
    r->scope = (payment_scope)scope;
    FIND_NAME(sc->outcomes, sc->n_outcomes, oname, r->outcome);
    if (r->outcome == SIZE_MAX) {
        ctx_push(c, "outcome");
        LIST_NAMES(sc->outcomes, sc->n_outcomes, list);
        return fail(c, "expected the name of an outcome (%s), found \"%s\"", list, oname);
    }
    const outcome *o = &sc->outcomes[r->outcome];
    r->stage = SIZE_MAX;
    if (member(v, "stage") != NULL) {
        char sname[SCENARIO_NAME_MAX];
        if (read_string(c, v, "stage", NULL, sname, sizeof sname)) return c->err->code;
        FIND_NAME(sc->stages, sc->n_stages, sname, r->stage);
        if (r->stage == SIZE_MAX) {
            ctx_push(c, "stage");
            LIST_NAMES(sc->stages, sc->n_stages, list);
            return fail(c, "expected the name of a stage (%s), found \"%s\"", list, sname);
        }
    } else if (r->scope == SCOPE_STAGE) {
        ctx_push(c, "stage");
        return fail(c, "required field is missing (scope \"stage\" pools one stage's cohorts)");
    }

    /* The type's own terms. */
    const double H = HUGE_VAL;
    /* per_unit pays on improvement and per_outcome on achievement, always;
     * tiered and savings_share default to improvement where there is a
     * counterfactual and achievement where there is none. */
    int basis = (r->type == PAY_PER_OUTCOME ||
                 (r->type != PAY_PER_UNIT && o->eval.design == EVAL_VALIDATED))
                    ? BASIS_ACHIEVED
                    : BASIS_IMPROVEMENT;
    switch (r->type) {
    case PAY_PER_UNIT:
    case PAY_PER_OUTCOME:
        if (read_number(c, v, "price", 1, 0, 0, H, &r->price)) return c->err->code;
        break;
    case PAY_FIXED:
        if (read_number(c, v, "amount", 1, 0, 0, H, &r->amount)) return c->err->code;
        if (member(v, "trigger") == NULL) {
            ctx_push(c, "trigger");
            return fail(c, "required field is missing (a fixed payment is paid when its "
                           "trigger is met)");
        }
        break;
    case PAY_LINEAR:
        if (read_number(c, v, "amount", 1, 0, 0, H, &r->amount) ||
            read_number(c, v, "floor", 1, 0, -H, H, &r->floor))
            return c->err->code;
        if (member(v, "ceiling") != NULL && cJSON_IsNumber(member(v, "ceiling")) &&
            member(v, "ceiling")->valuedouble <= r->floor) {
            ctx_push(c, "ceiling");
            return fail_expected(c, member(v, "ceiling"), "a number > the floor (%g)", r->floor);
        }
        if (read_number(c, v, "ceiling", 1, 0, -H, H, &r->ceiling)) return c->err->code;
        break;
    case PAY_TIERED: {
        if (read_bands(c, v, r) || read_enum(c, v, "basis", basis_names, basis, &basis))
            return c->err->code;
        int returns = 0;
        for (size_t b = 0; b < r->n_bands; b++) returns |= r->bands[b].has_return;
        if (returns && member(v, "principal") == NULL) {
            ctx_push(c, "principal");
            return fail(c, "required field is missing (bands with a \"return\" pay it on this "
                           "principal)");
        }
        if (read_number(c, v, "principal", 0, 0, 0, H, &r->principal) ||
            read_number(c, v, "principal_from", 0, 0, 0, 200, &r->principal_from))
            return c->err->code;
        break;
    }
    case PAY_SAVINGS: {
        static const char *const k_until[] = {"amount", "rate", "from", NULL};
        if (read_number(c, v, "value", 1, 0, 0, H, &r->value) ||
            read_number(c, v, "share", 1, 0, 0, 1, &r->share) ||
            read_number(c, v, "share_after", 0, r->share, 0, 1, &r->share_after) ||
            read_enum(c, v, "basis", basis_names, basis, &basis))
            return c->err->code;
        const cJSON *u = member(v, "until_repaid");
        if (u != NULL) {
            size_t s2 = ctx_push(c, "until_repaid");
            if (check_object(c, u, k_until) ||
                read_number(c, u, "amount", 1, 0, 0, H, &r->owed) ||
                read_number(c, u, "rate", 0, 0, -0.99, 1, &r->owed_rate) ||
                read_number(c, u, "from", 0, 0, 0, 200, &r->owed_from))
                return c->err->code;
            ctx_pop(c, s2);
        } else if (member(v, "share_after") != NULL) {
            ctx_push(c, "share_after");
            return fail(c, "\"share_after\" needs \"until_repaid\" (the balance after which "
                           "the share changes)");
        }
        break;
    }
    }
    r->basis = (payment_basis)basis;
    /* Units matter to per-unit prices, per-unit bands and savings; fixed and
     * linear payments look at the measured effect only. */
    int uses_units = r->type == PAY_PER_UNIT || r->type == PAY_PER_OUTCOME ||
                     r->type == PAY_SAVINGS;
    for (size_t b = 0; b < r->n_bands; b++) uses_units |= r->bands[b].per_unit;
    if (uses_units && r->basis == BASIS_IMPROVEMENT && o->eval.design == EVAL_VALIDATED) {
        ctx_push(c, "type");
        return fail(c, "payment on improvement needs a counterfactual, but outcome \"%s\" is "
                       "evaluated by validated counts; pay per outcome achieved instead",
                    o->name);
    }
    if (uses_units && r->basis == BASIS_ACHIEVED &&
        (o->kind == OUTCOME_CONTINUOUS ||
         (o->kind == OUTCOME_COUNT && o->direction == DIRECTION_LOWER_IS_BETTER))) {
        ctx_push(c, "type");
        return fail(c, "outcomes achieved are countable only for a rate, or a count where "
                       "higher is better; outcome \"%s\" is neither",
                    o->name);
    }
    r->has_trigger = member(v, "trigger") != NULL;
    double installments;
    if (read_number(c, v, "trigger", 0, 0, -H, H, &r->trigger) ||
        read_bool(c, v, "true_up", 0, &r->true_up))
        return c->err->code;
    if (r->true_up && r->scope == SCOPE_COHORT) {
        ctx_push(c, "true_up");
        return fail(c, "\"true_up\" applies only to scopes \"stage\" and \"programme\" (it nets "
                       "off what narrower payments already paid)");
    }
    if (member(v, "cap_per_cohort") != NULL && r->scope != SCOPE_COHORT) {
        ctx_push(c, "cap_per_cohort");
        return fail(c, "\"cap_per_cohort\" applies only to scope \"cohort\"");
    }
    if (read_number(c, v, "cap_per_cohort", 0, H, 0, H, &r->cap_per_cohort) ||
        read_number(c, v, "cap", 0, H, 0, H, &r->cap) ||
        read_number(c, v, "lag", 0, def_lag, 0, 50, &r->lag) ||
        read_integer(c, v, "installments", 0, 1, 1, 100, &installments) ||
        read_positive(c, v, "interval", 0, 1, &r->interval))
        return c->err->code;
    r->installments = (int)installments;
    return SIB_OK;
}

static int read_payers(ctx *c, const cJSON *v, contract *k) {
    static const char *const keys[] = {"name", "share", "cap", NULL};
    const cJSON *arr;
    if (read_array(c, v, "payers", 0, &arr, &k->n_payers)) return c->err->code;
    if (arr == NULL) {
        k->n_payers = 1;
        k->payers = xcalloc(c, 1, sizeof *k->payers);
        if (k->payers == NULL) return SIB_ENOMEM;
        snprintf(k->payers[0].name, sizeof k->payers[0].name, "commissioner");
        k->payers[0].share = 1;
        k->payers[0].cap = HUGE_VAL;
        return SIB_OK;
    }
    k->payers = xcalloc(c, k->n_payers, sizeof *k->payers);
    if (k->payers == NULL) return SIB_ENOMEM;
    size_t s1 = ctx_push(c, "payers");
    double total = 0;
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        payer *p = &k->payers[i];
        size_t s2 = ctx_push_index(c, i);
        if (check_object(c, it, keys) || read_string(c, it, "name", NULL, p->name, sizeof p->name) ||
            read_number(c, it, "share", 1, 0, 0, 1, &p->share) ||
            read_number(c, it, "cap", 0, HUGE_VAL, 0, HUGE_VAL, &p->cap))
            return c->err->code;
        for (size_t j = 0; j < i; j++)
            if (strcmp(k->payers[j].name, p->name) == 0) {
                ctx_push(c, "name");
                return fail(c, "duplicate payer name \"%s\" (also /contract/payers/%zu)", p->name,
                            j);
            }
        total += p->share;
        ctx_pop(c, s2);
    }
    if (fabs(total - 1) > 1e-9) return fail(c, "expected shares that sum to 1, found %g", total);
    ctx_pop(c, s1);
    return SIB_OK;
}

static int read_contract(ctx *c, const cJSON *root, scenario *sc) {
    static const char *const keys[] = {"payments", "cap", "lag", "payers", "outcome_caps", NULL};
    const cJSON *v = member(root, "contract");
    size_t saved = ctx_push(c, "contract");
    if (v == NULL) return fail(c, "required field is missing");
    double lag;
    if (check_object(c, v, keys) ||
        read_number(c, v, "cap", 0, HUGE_VAL, 0, HUGE_VAL, &sc->contract.cap) ||
        read_number(c, v, "lag", 0, 0, 0, 50, &lag) || read_payers(c, v, &sc->contract))
        return c->err->code;
    sc->contract.outcome_cap = xcalloc(c, sc->n_outcomes, sizeof *sc->contract.outcome_cap);
    if (sc->contract.outcome_cap == NULL) return SIB_ENOMEM;
    for (size_t o = 0; o < sc->n_outcomes; o++) sc->contract.outcome_cap[o] = HUGE_VAL;
    const cJSON *oc = member(v, "outcome_caps");
    if (oc != NULL) {
        size_t s1 = ctx_push(c, "outcome_caps");
        if (!cJSON_IsObject(oc)) return fail_expected(c, oc, "an object of outcome name: cap");
        for (const cJSON *it = oc->child; it; it = it->next) {
            size_t o;
            for (const cJSON *prev = oc->child; prev != it; prev = prev->next)
                if (strcmp(prev->string, it->string) == 0) {
                    ctx_push(c, it->string);
                    return fail(c, "duplicate field \"%s\"", it->string);
                }
            FIND_NAME(sc->outcomes, sc->n_outcomes, it->string, o);
            if (o == SIZE_MAX) {
                char list[300];
                ctx_push(c, it->string);
                LIST_NAMES(sc->outcomes, sc->n_outcomes, list);
                return fail(c, "expected the name of an outcome (%s), found \"%s\"", list,
                            it->string);
            }
            if (read_number(c, oc, it->string, 1, 0, 0, HUGE_VAL, &sc->contract.outcome_cap[o]))
                return c->err->code;
        }
        ctx_pop(c, s1);
    }
    const cJSON *arr;
    if (read_array(c, v, "payments", 1, &arr, &sc->contract.n_rules)) return c->err->code;
    sc->contract.rules = xcalloc(c, sc->contract.n_rules, sizeof *sc->contract.rules);
    if (sc->contract.rules == NULL) return SIB_ENOMEM;
    size_t s1 = ctx_push(c, "payments");
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        size_t s2 = ctx_push_index(c, i);
        if (read_rule(c, it, sc, i, lag, &sc->contract.rules[i])) return c->err->code;
        for (size_t j = 0; j < i; j++)
            if (strcmp(sc->contract.rules[j].name, sc->contract.rules[i].name) == 0) {
                ctx_push(c, "name");
                return fail(c, "duplicate payment name \"%s\" (also /contract/payments/%zu)",
                            sc->contract.rules[i].name, j);
            }
        ctx_pop(c, s2);
    }
    ctx_pop(c, s1);
    ctx_pop(c, saved);
    return SIB_OK;
}

/* ----------------------------------------------------------- correlations */

/* "correlations": [{"between": [POINTER, POINTER], "rho": r}, ...] where each
 * pointer names a prior of this scenario. Positive definiteness of the
 * whole matrix is checked when the engine factorises it. */
static int read_correlations(ctx *c, const cJSON *root, scenario *sc) {
    static const char *const keys[] = {"between", "rho", NULL};
    const cJSON *arr;
    if (read_array(c, root, "correlations", 0, &arr, &sc->n_correlations)) return c->err->code;
    if (arr == NULL) return SIB_OK;
    sc->correlations = xcalloc(c, sc->n_correlations, sizeof *sc->correlations);
    if (sc->correlations == NULL) return SIB_ENOMEM;
    size_t s1 = ctx_push(c, "correlations");
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        correlation *k = &sc->correlations[i];
        size_t s2 = ctx_push_index(c, i);
        if (check_object(c, it, keys)) return c->err->code;
        const cJSON *bt = member(it, "between");
        size_t s3 = ctx_push(c, "between");
        if (bt == NULL) return fail(c, "required field is missing");
        if (!cJSON_IsArray(bt) || cJSON_GetArraySize(bt) != 2)
            return fail_expected(c, bt, "an array of two JSON Pointers to priors");
        size_t idx[2];
        for (int j = 0; j < 2; j++) {
            const cJSON *pv = cJSON_GetArrayItem(bt, j);
            size_t s4 = ctx_push_index(c, (size_t)j);
            if (!cJSON_IsString(pv)) return fail_expected(c, pv, "a JSON Pointer to a prior");
            idx[j] = scenario_find_input(sc, pv->valuestring);
            if (idx[j] == SIZE_MAX) {
                char list[400] = "";
                size_t n = 0;
                for (size_t q = 0; q < sc->n_inputs && n + 2 < sizeof list; q++)
                    n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", q ? ", " : "",
                                          sc->inputs[q].pointer);
                return fail(c, "expected the pointer of an uncertain input (%s), found \"%s\"",
                            n ? list : "this scenario has none", pv->valuestring);
            }
            ctx_pop(c, s4);
        }
        if (idx[0] == idx[1]) return fail(c, "expected two different inputs, found the same twice");
        ctx_pop(c, s3);
        k->a = idx[0];
        k->b = idx[1];
        const cJSON *rv = member(it, "rho");
        if (rv != NULL && cJSON_IsNumber(rv) && fabs(rv->valuedouble) >= 1) {
            ctx_push(c, "rho");
            return fail_expected(c, rv, "a correlation strictly between -1 and 1 (two inputs "
                                        "correlated at +-1 are one input: use one prior)");
        }
        if (read_number(c, it, "rho", 1, 0, -1, 1, &k->rho)) return c->err->code;
        for (size_t j = 0; j < i; j++) {
            const correlation *q = &sc->correlations[j];
            if ((q->a == k->a && q->b == k->b) || (q->a == k->b && q->b == k->a)) {
                ctx_push(c, "between");
                return fail(c, "this pair is already correlated by /correlations/%zu", j);
            }
        }
        ctx_pop(c, s2);
    }
    ctx_pop(c, s1);
    return SIB_OK;
}

/* -------------------------------------------------------------- financing */

static const char *const fin_type_names[] = {"grant", "fee_for_service", "pbr", "sib",
                                             "outcomes_fund", "dib", "by_stage", NULL};
static const char *const tranche_kind_names[] = {"senior", "subordinated", "deferred_fee",
                                                 "recoverable_grant", NULL};

static int read_tranche(ctx *c, const cJSON *v, double def_rate, tranche *t) {
    static const char *const keys[] = {"name",   "kind",       "commitment",    "priority",
                                       "coupon", "return_cap", "discount_rate", "maturity",
                                       NULL};
    int kind;
    double priority;
    t->has_return_cap = member(v, "return_cap") != NULL;
    t->has_coupon = member(v, "coupon") != NULL;
    t->has_maturity = member(v, "maturity") != NULL;
    if (check_object(c, v, keys) || read_string(c, v, "name", "investors", t->name, sizeof t->name) ||
        read_enum(c, v, "kind", tranche_kind_names, TRANCHE_SENIOR, &kind) ||
        read_positive(c, v, "commitment", 1, 0, &t->commitment))
        return c->err->code;
    t->kind = (tranche_kind)kind;
    /* Seniority by kind: senior, subordinated, deferred fees, recoverable grants. */
    if (read_integer(c, v, "priority", 0, 1 + kind, 1, 100, &priority) ||
        read_number(c, v, "coupon", 0, 0, 0, 1, &t->coupon) ||
        read_number(c, v, "return_cap", 0, HUGE_VAL, 0, 10, &t->return_cap) ||
        read_number(c, v, "discount_rate", 0, def_rate, -0.99, 1, &t->discount_rate) ||
        read_number(c, v, "maturity", 0, 0, 0, 200, &t->maturity))
        return c->err->code;
    t->priority = (int)priority;
    if (t->has_coupon && t->has_return_cap) {
        ctx_push(c, "return_cap");
        return fail(c, "a tranche has a \"coupon\" (what it is owed) or a \"return_cap\" (the most "
                       "it can earn), not both");
    }
    return SIB_OK;
}

/* The fields of each financing type, beyond name and type. */
static const char *const *fin_fields(financing_type t) {
    static const char *const none[] = {NULL};
    static const char *const ffs[] = {"margin", NULL};
    static const char *const pbr[] = {"fee_share", "cost_of_capital", NULL};
    static const char *const sib[] = {"tranches", "guarantees", "fees", "provider_share",
                                      "recycle", NULL};
    static const char *const by_stage[] = {"stages", NULL};
    switch (t) {
    case FIN_GRANT: return none;
    case FIN_FEE_FOR_SERVICE: return ffs;
    case FIN_PBR: return pbr;
    case FIN_SIB:
    case FIN_OUTCOMES_FUND:
    case FIN_DIB: return sib;
    case FIN_BY_STAGE: return by_stage;
    }
    return none;
}

static const char *const guarantee_kind_names[] = {"first_loss", "pro_rata", NULL};
static const char *const fee_payer_names[] = {"tranche", "commissioner", NULL};

/* A guarantee's terms after its name and tranche: "kind" (required), the
 * kind's own terms, and an optional fee. A term of the other kind gets a
 * message that names the kind it belongs to, since the two are easy to mix
 * up: the Rikers Island sources speak of "75% first-loss cover", which only
 * a pro-rata share reproduces (see its scenario). */
static int read_guarantee_terms(ctx *c, const cJSON *g, guarantee *gu) {
    if (member(g, "kind") == NULL)
        return fail(c, "missing field \"kind\": expected \"first_loss\" (the guarantor pays the "
                       "first \"amount\" of the loss) or \"pro_rata\" (a \"share\" of each "
                       "loss, up to \"max\")");
    int kind;
    if (read_enum(c, g, "kind", guarantee_kind_names, -1, &kind)) return c->err->code;
    gu->kind = (guarantee_kind)kind;
    if (gu->kind == GUARANTEE_FIRST_LOSS) {
        static const char *const theirs[] = {"share", "max", NULL};
        for (const char *const *k = theirs; *k; k++)
            if (member(g, *k) != NULL) {
                ctx_push(c, *k);
                return fail(c, "\"%s\" belongs to kind \"pro_rata\" (a \"share\" of each loss, "
                               "up to \"max\"); a \"first_loss\" guarantee pays the first "
                               "\"amount\" of the loss",
                            *k);
            }
        if (read_positive(c, g, "amount", 1, 0, &gu->amount)) return c->err->code;
        /* min(1 x L, amount) = min(L, amount): code that reads only share
         * and max computes first-loss cover rightly too. */
        gu->share = 1;
        gu->max = gu->amount;
    } else {
        if (member(g, "amount") != NULL) {
            ctx_push(c, "amount");
            return fail(c, "\"amount\" belongs to kind \"first_loss\" (the guarantor pays the "
                           "first \"amount\" of the loss); a \"pro_rata\" guarantee takes "
                           "\"share\" and \"max\"");
        }
        const cJSON *sh = member(g, "share");
        if (sh != NULL && cJSON_IsNumber(sh) && sh->valuedouble <= 0) {
            ctx_push(c, "share");
            return fail_expected(c, sh, "a number in (0, 1] (a share of each loss)");
        }
        if (read_number(c, g, "share", 1, 0, 0, 1, &gu->share) ||
            read_positive(c, g, "max", 0, HUGE_VAL, &gu->max))
            return c->err->code;
        gu->amount = 0;
    }
    /* "fee_paid_by" is refused only when "fee" is absent, not when it is 0:
     * a sweep of the fee passes through 0. */
    int paid_by;
    if (read_number(c, g, "fee", 0, 0, 0, 1, &gu->fee)) return c->err->code;
    if (member(g, "fee_paid_by") != NULL && member(g, "fee") == NULL) {
        ctx_push(c, "fee_paid_by");
        return fail(c, "\"fee_paid_by\" needs a \"fee\" (the annual rate paid for the cover); "
                       "this guarantee has none");
    }
    if (read_enum(c, g, "fee_paid_by", fee_payer_names, FEE_PAID_BY_TRANCHE, &paid_by))
        return c->err->code;
    gu->fee_paid_by = (fee_payer)paid_by;
    return SIB_OK;
}

static int read_sib_terms(ctx *c, const cJSON *it, scenario *sc, financing *f) {
    static const char *const k_guar[] = {"name", "tranche", "kind", "amount", "share",
                                         "max",  "fee",     "fee_paid_by", NULL};
    static const char *const k_fees[] = {"setup", "per_year", NULL};
    const cJSON *tr;
    if (read_array(c, it, "tranches", 1, &tr, &f->n_tranches)) return c->err->code;
    if (f->n_tranches > FINANCING_MAX_TRANCHES) {
        f->n_tranches = 0; /* nothing allocated yet */
        ctx_push(c, "tranches");
        return fail_expected(c, tr, "at most %d tranches", FINANCING_MAX_TRANCHES);
    }
    f->tranches = xcalloc(c, f->n_tranches, sizeof *f->tranches);
    if (f->tranches == NULL) return SIB_ENOMEM;
    size_t s3 = ctx_push(c, "tranches");
    size_t k = 0;
    for (const cJSON *t = tr->child; t; t = t->next, k++) {
        size_t s4 = ctx_push_index(c, k);
        if (read_tranche(c, t, sc->sim.discount_rate, &f->tranches[k])) return c->err->code;
        for (size_t j = 0; j < k; j++)
            if (strcmp(f->tranches[j].name, f->tranches[k].name) == 0) {
                ctx_push(c, "name");
                return fail(c, "duplicate tranche name \"%s\" (also %.*s/%zu)",
                            f->tranches[k].name, (int)s4, c->ptr, j);
            }
        ctx_pop(c, s4);
    }
    ctx_pop(c, s3);
    const cJSON *gv;
    if (read_array(c, it, "guarantees", 0, &gv, &f->n_guarantees)) return c->err->code;
    if (gv != NULL) {
        f->guarantees = xcalloc(c, f->n_guarantees, sizeof *f->guarantees);
        if (f->guarantees == NULL) return SIB_ENOMEM;
        size_t s5 = ctx_push(c, "guarantees");
        k = 0;
        for (const cJSON *g = gv->child; g; g = g->next, k++) {
            guarantee *gu = &f->guarantees[k];
            char tname[SCENARIO_NAME_MAX], list[300];
            size_t s6 = ctx_push_index(c, k);
            if (check_object(c, g, k_guar) ||
                read_string(c, g, "name", "guarantor", gu->name, sizeof gu->name) ||
                read_string(c, g, "tranche", NULL, tname, sizeof tname))
                return c->err->code;
            FIND_NAME(f->tranches, f->n_tranches, tname, gu->tranche);
            if (gu->tranche == SIZE_MAX) {
                ctx_push(c, "tranche");
                LIST_NAMES(f->tranches, f->n_tranches, list);
                return fail(c, "expected the name of a tranche (%s), found \"%s\"", list, tname);
            }
            if (read_guarantee_terms(c, g, gu)) return c->err->code;
            for (size_t j = 0; j < k; j++)
                if (strcmp(f->guarantees[j].name, gu->name) == 0) {
                    ctx_push(c, "name");
                    return fail(c, "duplicate guarantee name \"%s\" (also %.*s/%zu): name each "
                                   "guarantor",
                                gu->name, (int)s6, c->ptr, j);
                }
            ctx_pop(c, s6);
        }
        ctx_pop(c, s5);
    }
    const cJSON *fees = member(it, "fees");
    if (fees != NULL) {
        size_t s7 = ctx_push(c, "fees");
        if (check_object(c, fees, k_fees) ||
            read_number(c, fees, "setup", 0, 0, 0, HUGE_VAL, &f->setup_fees) ||
            read_number(c, fees, "per_year", 0, 0, 0, HUGE_VAL, &f->fees_per_year))
            return c->err->code;
        ctx_pop(c, s7);
    }
    if (read_number(c, it, "provider_share", 0, 0, 0, 1, &f->provider_share) ||
        read_bool(c, it, "recycle", 0, &f->recycle))
        return c->err->code;
    return SIB_OK;
}

/* "stages": {"stage name": "structure name", ...}, every stage named once;
 * the parts must be structures of other types, defined in the same list. */
static int read_by_stage(ctx *c, const cJSON *it, scenario *sc, size_t self) {
    financing *f = &sc->financing[self];
    const cJSON *m = member(it, "stages");
    size_t s1 = ctx_push(c, "stages");
    if (m == NULL) return fail(c, "required field is missing");
    if (!cJSON_IsObject(m)) return fail_expected(c, m, "an object of stage name: structure name");
    f->stage_part = xcalloc(c, sc->n_stages, sizeof *f->stage_part);
    if (f->stage_part == NULL) return SIB_ENOMEM;
    for (size_t s = 0; s < sc->n_stages; s++) f->stage_part[s] = SIZE_MAX;
    char list[300];
    for (const cJSON *e = m->child; e; e = e->next) {
        size_t st;
        FIND_NAME(sc->stages, sc->n_stages, e->string, st);
        size_t s2 = ctx_push(c, e->string);
        for (const cJSON *prev = m->child; prev != e; prev = prev->next)
            if (strcmp(prev->string, e->string) == 0)
                return fail(c, "duplicate field \"%s\"", e->string);
        if (st == SIZE_MAX) {
            LIST_NAMES(sc->stages, sc->n_stages, list);
            return fail(c, "expected the name of a stage (%s), found \"%s\"", list, e->string);
        }
        if (!cJSON_IsString(e)) return fail_expected(c, e, "the name of a financing structure");
        size_t part;
        FIND_NAME(sc->financing, sc->n_financing, e->valuestring, part);
        if (part == SIZE_MAX || part == self) {
            LIST_NAMES(sc->financing, sc->n_financing, list);
            return fail(c, "expected the name of another financing structure (%s), found \"%s\"",
                        list, e->valuestring);
        }
        f->stage_part[st] = part;
        ctx_pop(c, s2);
    }
    for (size_t s = 0; s < sc->n_stages; s++)
        if (f->stage_part[s] == SIZE_MAX)
            return fail(c, "stage \"%s\" has no structure: name one for every stage",
                        sc->stages[s].name);
    ctx_pop(c, s1);
    return SIB_OK;
}

static int read_financing(ctx *c, const cJSON *root, scenario *sc) {
    const cJSON *arr;
    if (read_array(c, root, "financing", 0, &arr, &sc->n_financing)) return c->err->code;
    if (arr == NULL) return SIB_OK;
    sc->financing = xcalloc(c, sc->n_financing, sizeof *sc->financing);
    if (sc->financing == NULL) return SIB_ENOMEM;
    size_t s1 = ctx_push(c, "financing");
    /* Names first: a by_stage structure may name one defined after it. */
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        financing *f = &sc->financing[i];
        size_t s2 = ctx_push_index(c, i);
        if (!cJSON_IsObject(it)) return fail_expected(c, it, "an object");
        if (read_string(c, it, "name", NULL, f->name, sizeof f->name)) return c->err->code;
        if (strcmp(f->name, "programme") == 0 || strcmp(f->name, "commissioner") == 0) {
            ctx_push(c, "name");
            return fail(c, "\"%s\" is reserved for the report's own group; choose another name",
                        f->name);
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(sc->financing[j].name, f->name) == 0) {
                ctx_push(c, "name");
                return fail(c, "duplicate financing name \"%s\" (also /financing/%zu)", f->name, j);
            }
        ctx_pop(c, s2);
    }
    i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        financing *f = &sc->financing[i];
        size_t s2 = ctx_push_index(c, i);
        int type;
        if (read_enum(c, it, "type", fin_type_names, -1, &type)) return c->err->code;
        f->type = (financing_type)type;
        const char *keys[16];
        size_t nk = 0;
        keys[nk++] = "name";
        keys[nk++] = "type";
        for (const char *const *k = fin_fields(f->type); *k; k++) keys[nk++] = *k;
        keys[nk] = NULL;
        if (check_object(c, it, keys)) return c->err->code;
        switch (f->type) {
        case FIN_GRANT: break;
        case FIN_FEE_FOR_SERVICE:
            if (read_number(c, it, "margin", 0, 0, 0, 10, &f->margin)) return c->err->code;
            break;
        case FIN_PBR:
            if (read_number(c, it, "fee_share", 0, 0, 0, 1, &f->fee_share) ||
                read_number(c, it, "cost_of_capital", 0, 0.08, -0.99, 1, &f->cost_of_capital))
                return c->err->code;
            break;
        case FIN_SIB:
        case FIN_OUTCOMES_FUND:
        case FIN_DIB:
            if (read_sib_terms(c, it, sc, f)) return c->err->code;
            break;
        case FIN_BY_STAGE:
            if (read_by_stage(c, it, sc, i)) return c->err->code;
            break;
        }
        ctx_pop(c, s2);
    }
    /* A blend's parts must be plain structures. */
    for (i = 0; i < sc->n_financing; i++) {
        const financing *f = &sc->financing[i];
        if (f->type != FIN_BY_STAGE) continue;
        for (size_t s = 0; s < sc->n_stages; s++)
            if (sc->financing[f->stage_part[s]].type == FIN_BY_STAGE) {
                ctx_push_index(c, i);
                ctx_push(c, "stages");
                ctx_push(c, sc->stages[s].name);
                return fail(c, "\"%s\" is itself by stage: a stage's structure must be a grant, "
                               "fee_for_service, pbr, sib, outcomes_fund or dib",
                            sc->financing[f->stage_part[s]].name);
            }
    }
    ctx_pop(c, s1);
    return SIB_OK;
}

/* ------------------------------------------------------------ named cases */

static int read_scenario(ctx *c, const cJSON *root, scenario *sc, int whole);
static size_t pointer_token(const char *p, char *out, size_t size);
static int set_number(cJSON *root, cJSON *node, const char *pointer, double value,
                      sib_error *err);

/* An empty scenario for read_scenario to fill. */
static scenario *scenario_blank(void) {
    scenario *sc = calloc(1, sizeof *sc);
    if (sc == NULL) return NULL;
    sc->contract.cap = HUGE_VAL;
    sc->realised.stopped = HUGE_VAL;
    return sc;
}

/* Whether the JSON Pointer p names field `inner` itself, a field inside it,
 * or a field that contains it. */
static int pointer_related(const char *p, const char *inner) {
    size_t np = strlen(p), ni = strlen(inner);
    if (np == ni) return strcmp(p, inner) == 0;
    if (np < ni) return strncmp(p, inner, np) == 0 && inner[np] == '/';
    return strncmp(p, inner, ni) == 0 && p[ni] == '/';
}

/* Check that case k, read at the current pointer (/cases/N), compiles:
 * apply its overrides to a copy of root exactly as scenario_load_string_with
 * does, then read the copy as a scenario without its cases and its record
 * (so a case cannot recurse). Every error is reported at the member of
 * "set" to blame: a pointer that leads nowhere, or to something that is
 * neither a number nor a prior; or a value the compiled scenario refuses,
 * as "with case NAME, /inner/pointer: message". When the refused field is
 * not one a member sets (a stage's start moved past its cohort's entry) and
 * the case sets several fields, the error is at "set" itself. */
static int compile_case(ctx *c, const cJSON *root, const scenario_case *k) {
    sib_error inner;
    sib_error_clear(&inner);
    cJSON *copy = cJSON_Duplicate(root, 1);
    if (copy == NULL) return sib_error_set(c->err, SIB_ENOMEM, c->ptr, "out of memory");
    size_t s1 = ctx_push(c, "set");
    for (size_t i = 0; i < k->n_set; i++) {
        const char *p = k->set[i].pointer;
        size_t s2 = ctx_push(c, p);
        cJSON *node = json_pointer_resolve(copy, p, 1, &inner);
        if (node == NULL) {
            cJSON_Delete(copy);
            if (inner.code != SIB_EINVAL)
                return sib_error_set(c->err, inner.code, c->ptr, "%s", inner.message);
            return fail(c, "expected the pointer of a number or a prior in the scenario; at %s: %s",
                        inner.pointer, inner.message);
        }
        /* A missing last member of an object was added as null, as for any
         * override: the compile below says whether such a field exists. */
        if (!cJSON_IsNumber(node) && !cJSON_IsNull(node) &&
            !(cJSON_IsObject(node) && member(node, "dist") != NULL)) {
            char found[96];
            describe(node, found, sizeof found);
            cJSON_Delete(copy);
            return fail(c, "expected the pointer of a number or a prior (a distribution object) "
                           "in the scenario, found %s at %s",
                        found, p);
        }
        if (set_number(copy, node, p, k->set[i].value, &inner)) {
            cJSON_Delete(copy);
            return sib_error_set(c->err, inner.code, c->ptr, "%s", inner.message);
        }
        ctx_pop(c, s2);
    }
    scenario *tmp = scenario_blank();
    if (tmp == NULL) {
        cJSON_Delete(copy);
        return sib_error_set(c->err, SIB_ENOMEM, c->ptr, "out of memory");
    }
    ctx nested = {.err = &inner, .ptr = "", .len = 0, .sc = tmp};
    int rc = read_scenario(&nested, copy, tmp, 0);
    scenario_free(tmp);
    cJSON_Delete(copy);
    if (rc == SIB_OK) {
        ctx_pop(c, s1);
        return SIB_OK;
    }
    size_t blame = SIZE_MAX;
    for (size_t i = 0; i < k->n_set && blame == SIZE_MAX && inner.pointer[0]; i++)
        if (pointer_related(k->set[i].pointer, inner.pointer)) blame = i;
    if (blame == SIZE_MAX && k->n_set == 1) blame = 0;
    if (blame != SIZE_MAX) ctx_push(c, k->set[blame].pointer);
    if (inner.pointer[0] == '\0')
        return sib_error_set(c->err, inner.code, c->ptr, "with case \"%s\": %s", k->name,
                             inner.message);
    return sib_error_set(c->err, inner.code, c->ptr, "with case \"%s\", %s: %s", k->name,
                         inner.pointer, inner.message);
}

/* "cases": [{"name": ..., "description"?: ..., "set": {POINTER: number, ...}}].
 * Each member of "set" is a scenario_override; every case must compile. */
static int read_cases(ctx *c, const cJSON *root, scenario *sc) {
    static const char *const keys[] = {"name", "description", "set", NULL};
    /* Fields a case may not set: the cases themselves, the record, and the
     * format version (which is not a term of the deal). */
    static const char *const outside[] = {"cases", "realised", "sibsim", NULL};
    const cJSON *arr;
    if (read_array(c, root, "cases", 0, &arr, &sc->n_cases)) return c->err->code;
    if (arr == NULL) return SIB_OK;
    sc->cases = xcalloc(c, sc->n_cases, sizeof *sc->cases);
    if (sc->cases == NULL) {
        sc->n_cases = 0;
        return SIB_ENOMEM;
    }
    size_t s1 = ctx_push(c, "cases");
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        scenario_case *k = &sc->cases[i];
        size_t s2 = ctx_push_index(c, i);
        if (check_object(c, it, keys) || read_string(c, it, "name", NULL, k->name, sizeof k->name) ||
            read_string_dup(c, it, "description", "", &k->description))
            return c->err->code;
        for (size_t j = 0; j < i; j++)
            if (strcmp(sc->cases[j].name, k->name) == 0) {
                ctx_push(c, "name");
                return fail(c, "duplicate case name \"%s\" (also /cases/%zu)", k->name, j);
            }
        const cJSON *set = member(it, "set");
        size_t s3 = ctx_push(c, "set");
        if (set == NULL) return fail(c, "required field is missing");
        if (!cJSON_IsObject(set))
            return fail_expected(c, set, "an object of JSON Pointer: number");
        if (set->child == NULL)
            return fail(c, "expected at least one field to set (a JSON Pointer and its number), "
                           "found an empty object");
        k->n_set = (size_t)cJSON_GetArraySize(set);
        k->set = xcalloc(c, k->n_set, sizeof *k->set);
        if (k->set == NULL) {
            k->n_set = 0;
            return SIB_ENOMEM;
        }
        size_t j = 0;
        for (const cJSON *m = set->child; m; m = m->next, j++) {
            size_t s4 = ctx_push(c, m->string);
            for (const cJSON *prev = set->child; prev != m; prev = prev->next)
                if (strcmp(prev->string, m->string) == 0)
                    return fail(c, "duplicate field \"%s\"", m->string);
            if (m->string[0] != '/')
                return fail(c, "expected a JSON Pointer starting with '/' (e.g. "
                               "\"/contract/payments/0/price\"), found \"%s\"",
                            m->string);
            if (strlen(m->string) >= sizeof k->set[j].pointer)
                return fail(c, "expected a JSON Pointer of at most %zu characters",
                            sizeof k->set[j].pointer - 1);
            char first[256];
            pointer_token(m->string + 1, first, sizeof first);
            for (const char *const *o = outside; *o; o++)
                if (strcmp(first, *o) == 0)
                    return fail(c, "expected a pointer to a term of the scenario, outside "
                                   "/cases, /realised and /sibsim, found \"%s\"",
                                m->string);
            if (!cJSON_IsNumber(m) || !isfinite(m->valuedouble))
                return fail_expected(c, m, "a number");
            snprintf(k->set[j].pointer, sizeof k->set[j].pointer, "%s", m->string);
            k->set[j].value = m->valuedouble;
            ctx_pop(c, s4);
        }
        ctx_pop(c, s3);
        if (compile_case(c, root, k)) return c->err->code;
        ctx_pop(c, s2);
    }
    ctx_pop(c, s1);
    return SIB_OK;
}

/* -------------------------------------------------------- realised record */

/* Free what a record owns and clear it (scenario_free does the same for a
 * scenario's record; this one serves a record read on its own). */
static void realised_clear(realised *r) {
    free(r->description);
    for (size_t i = 0; r->sources && i < r->n_sources; i++) free(r->sources[i]);
    free(r->sources);
    free(r->stage_ran);
    free(r->results);
    free(r->reported);
    memset(r, 0, sizeof *r);
    r->stopped = HUGE_VAL;
}

/* The expected mean of people whose counterfactual mean is the outcome's
 * baseline, given the true effect eff: the baseline moved by the effect in
 * the better direction (relative: a share of it; absolute: in the
 * outcome's units), within what the outcome can be (a share in [0, 1], a
 * count >= 0). The engine's treated mean (sim/engine.c), at the baseline. */
static double effect_mean(const outcome *o, double eff) {
    double mu0 = o->baseline;
    double delta = (o->scale == EFFECT_RELATIVE) ? mu0 * eff : eff;
    double mu = (o->direction == DIRECTION_LOWER_IS_BETTER) ? mu0 - delta : mu0 + delta;
    if (o->kind == OUTCOME_RATE) return fmin(fmax(mu, 0.0), 1.0);
    if (o->kind == OUTCOME_COUNT) return fmax(mu, 0.0);
    return mu;
}

/* A measured group at key: {"size": > 0, and "mean" (per person) or
 * "total" (over the group)}, in the outcome's units: people with the event
 * (rate), events (count) or the sum of scores (continuous). *n and *sum
 * receive the size and the total (mean x size). */
static int read_group(ctx *c, const cJSON *obj, const char *key, const outcome *o, double *n,
                      double *sum) {
    static const char *const keys[] = {"size", "mean", "total", NULL};
    const cJSON *v = member(obj, key);
    size_t saved = ctx_push(c, key);
    if (check_object(c, v, keys) || read_positive(c, v, "size", 1, 0, n)) return c->err->code;
    int has_mean = member(v, "mean") != NULL, has_total = member(v, "total") != NULL;
    if (has_mean == has_total)
        return fail(c, "expected exactly one of \"mean\" (per person) or \"total\" (over the "
                       "group), found %s",
                    has_mean ? "both" : "neither");
    const double H = HUGE_VAL;
    /* A rate's mean is a share, its total a number of people; a count
     * cannot be negative; a score can be anything. */
    double lo = o->kind == OUTCOME_CONTINUOUS ? -H : 0;
    double hi = o->kind == OUTCOME_RATE ? (has_mean ? 1 : *n) : H;
    double x;
    if (read_number(c, v, has_mean ? "mean" : "total", 1, 0, lo, hi, &x)) return c->err->code;
    *sum = has_mean ? x * *n : x;
    ctx_pop(c, saved);
    return SIB_OK;
}

/* "cohort A" of "s1", "cohort B" of "s2", ...: every cohort of sc. */
static void list_cohorts(const scenario *sc, char *buf, size_t size) {
    size_t len = 0;
    buf[0] = '\0';
    for (size_t s = 0; s < sc->n_stages; s++)
        for (size_t k = 0; k < sc->stages[s].n_cohorts && len + 2 < size; k++)
            len += (size_t)snprintf(buf + len, size - len, "%s\"%s\" of \"%s\"", len ? ", " : "",
                                    sc->stages[s].cohorts[k].name, sc->stages[s].name);
}

/* Resolve a result's "stage" (optional when its cohort's name is unique
 * over all stages) and "cohort" to a stage and a cohort within it. */
static int read_result_cohort(ctx *c, const cJSON *v, const scenario *sc, size_t *s, size_t *k) {
    char cname[SCENARIO_NAME_MAX], sname[SCENARIO_NAME_MAX], list[400];
    if (read_string(c, v, "cohort", NULL, cname, sizeof cname)) return c->err->code;
    if (member(v, "stage") != NULL) {
        if (read_string(c, v, "stage", NULL, sname, sizeof sname)) return c->err->code;
        FIND_NAME(sc->stages, sc->n_stages, sname, *s);
        if (*s == SIZE_MAX) {
            ctx_push(c, "stage");
            LIST_NAMES(sc->stages, sc->n_stages, list);
            return fail(c, "expected the name of a stage (%s), found \"%s\"", list, sname);
        }
        const stage *st = &sc->stages[*s];
        FIND_NAME(st->cohorts, st->n_cohorts, cname, *k);
        if (*k == SIZE_MAX) {
            ctx_push(c, "cohort");
            LIST_NAMES(st->cohorts, st->n_cohorts, list);
            return fail(c, "expected the name of a cohort of stage \"%s\" (%s), found \"%s\"",
                        st->name, list, cname);
        }
        return SIB_OK;
    }
    size_t found = 0, len = 0;
    list[0] = '\0';
    for (size_t i = 0; i < sc->n_stages; i++) {
        size_t j;
        FIND_NAME(sc->stages[i].cohorts, sc->stages[i].n_cohorts, cname, j);
        if (j == SIZE_MAX) continue;
        if (found++ == 0) {
            *s = i;
            *k = j;
        }
        if (len + 2 < sizeof list)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s\"%s\"", len ? ", " : "",
                                    sc->stages[i].name);
    }
    if (found == 1) return SIB_OK;
    if (found > 1) {
        ctx_push(c, "stage");
        return fail(c, "required field is missing: cohort \"%s\" is in stages %s; name the "
                       "stage",
                    cname, list);
    }
    ctx_push(c, "cohort");
    list_cohorts(sc, list, sizeof list);
    return fail(c, "expected the name of a cohort (%s), found \"%s\"", list, cname);
}

/* One measured result (see scenario.h's realised_result), in the units the
 * contract settles on. `treated` (and `comparison`) give the groups as
 * measured; `effect` with `size` gives the measured effect, turned into the
 * groups the engine would have measured it on: a comparison group of the
 * evaluation's size (rct, matched) at the baseline, or the fixed baseline
 * itself (historical, n_c = 1), and a treated group at the baseline moved
 * by the effect. Validated counts have no comparison: only `treated`. */
static int read_result(ctx *c, const cJSON *v, const scenario *sc, realised_result *r) {
    static const char *const keys[] = {"stage",   "cohort",     "outcome", "note", "treated",
                                       "comparison", "effect", "size",    NULL};
    char oname[SCENARIO_NAME_MAX], list[300];
    size_t s = 0, k = 0;
    if (check_object(c, v, keys) || read_result_cohort(c, v, sc, &s, &k)) return c->err->code;
    r->cohort = k;
    for (size_t i = 0; i < s; i++) r->cohort += sc->stages[i].n_cohorts;
    r->outcome = 0;
    if (member(v, "outcome") != NULL) {
        if (read_string(c, v, "outcome", NULL, oname, sizeof oname)) return c->err->code;
        FIND_NAME(sc->outcomes, sc->n_outcomes, oname, r->outcome);
        if (r->outcome == SIZE_MAX) {
            ctx_push(c, "outcome");
            LIST_NAMES(sc->outcomes, sc->n_outcomes, list);
            return fail(c, "expected the name of an outcome (%s), found \"%s\"", list, oname);
        }
    } else if (sc->n_outcomes > 1) {
        ctx_push(c, "outcome");
        LIST_NAMES(sc->outcomes, sc->n_outcomes, list);
        return fail(c, "required field is missing: the scenario has several outcomes (%s)", list);
    }
    const cJSON *note = member(v, "note");
    if (note != NULL && !cJSON_IsString(note)) {
        ctx_push(c, "note");
        return fail_expected(c, note, "a string (where the figure comes from)");
    }
    const outcome *o = &sc->outcomes[r->outcome];
    const evaluation *ev = &o->eval;
    int has_t = member(v, "treated") != NULL, has_c = member(v, "comparison") != NULL;
    int has_e = member(v, "effect") != NULL;
    if (ev->design == EVAL_VALIDATED && (has_c || has_e)) {
        ctx_push(c, has_c ? "comparison" : "effect");
        return fail(c, "outcome \"%s\" is evaluated by validated counts, with no comparison "
                       "group: give \"treated\" (the size and the total or mean of the outcome "
                       "counted)",
                    o->name);
    }
    if (has_t == has_e)
        return fail(c, has_t ? "expected \"treated\" (the groups as measured) or \"effect\" (the "
                               "measured effect, with \"size\"), found both"
                             : "expected \"treated\" (the groups as measured) or \"effect\" (the "
                               "measured effect, with \"size\"), found neither");
    if (has_t) {
        if (member(v, "size") != NULL) {
            ctx_push(c, "size");
            return fail(c, "\"size\" goes with \"effect\"; with \"treated\", give the size "
                           "inside it");
        }
        if (read_group(c, v, "treated", o, &r->n_t, &r->sum_t)) return c->err->code;
        if (has_c) {
            if (read_group(c, v, "comparison", o, &r->n_c, &r->sum_c)) return c->err->code;
        } else if (ev->design == EVAL_RCT || ev->design == EVAL_MATCHED) {
            ctx_push(c, "comparison");
            return fail(c, "required field is missing (outcome \"%s\" is measured against a %s "
                           "comparison group)",
                        o->name, ev->design == EVAL_RCT ? "randomised" : "matched");
        } else if (ev->design == EVAL_HISTORICAL) {
            r->n_c = 1; /* the fixed historical baseline, as the engine compares with */
            r->sum_c = o->baseline;
        } else {
            r->n_c = r->sum_c = 0;
        }
        return SIB_OK;
    }
    if (has_c) {
        ctx_push(c, "comparison");
        return fail(c, "\"comparison\" goes with \"treated\"; with \"effect\" the comparison "
                       "follows from the evaluation and the baseline");
    }
    double eff;
    if (read_number(c, v, "effect", 1, 0, -HUGE_VAL, HUGE_VAL, &eff) ||
        read_positive(c, v, "size", 1, 0, &r->n_t))
        return c->err->code;
    r->sum_t = effect_mean(o, eff) * r->n_t;
    if (ev->design == EVAL_HISTORICAL) {
        r->n_c = 1;
        r->sum_c = o->baseline;
    } else {
        r->n_c = ev->comparison_size > 0 ? ev->comparison_size
                                         : fmax(round(ev->comparison_ratio * r->n_t), 1.0);
        r->sum_c = o->baseline * r->n_c;
    }
    return SIB_OK;
}

/* The record's "stages": the names of the stages that ran, each once; a
 * stage runs only after every earlier one. */
static int read_realised_stages(ctx *c, const cJSON *v, const scenario *sc, realised *rec) {
    const cJSON *arr;
    size_t n;
    char list[300];
    if (read_array(c, v, "stages", 0, &arr, &n)) return c->err->code;
    if (arr == NULL) return SIB_OK;
    size_t s1 = ctx_push(c, "stages");
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        size_t s2 = ctx_push_index(c, i), s;
        if (!cJSON_IsString(it)) return fail_expected(c, it, "the name of a stage");
        FIND_NAME(sc->stages, sc->n_stages, it->valuestring, s);
        if (s == SIZE_MAX) {
            LIST_NAMES(sc->stages, sc->n_stages, list);
            return fail(c, "expected the name of a stage (%s), found \"%s\"", list,
                        it->valuestring);
        }
        if (rec->stage_ran[s]) return fail(c, "stage \"%s\" is listed twice", it->valuestring);
        rec->stage_ran[s] = true;
        ctx_pop(c, s2);
    }
    i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        size_t s;
        FIND_NAME(sc->stages, sc->n_stages, it->valuestring, s);
        for (size_t e = 0; e < s; e++)
            if (!rec->stage_ran[e]) {
                ctx_push_index(c, i);
                return fail(c, "stage \"%s\" cannot have run without the earlier stage \"%s\" "
                               "(stages run in order): list it too",
                            sc->stages[s].name, sc->stages[e].name);
            }
    }
    ctx_pop(c, s1);
    return SIB_OK;
}

/* One figure the record reports (see scenario.h's realised_figure). */
static int read_figure(ctx *c, const cJSON *v, realised_figure *f) {
    static const char *const keys[] = {"what",  "metric",    "flow",  "by",
                                       "value", "tolerance", "range", "source", NULL};
    if (check_object(c, v, keys)) return c->err->code;
    const cJSON *w = member(v, "what");
    size_t saved = ctx_push(c, "what");
    if (w == NULL) return fail(c, "required field is missing");
    if (!cJSON_IsString(w) || w->valuestring[0] == '\0')
        return fail_expected(c, w, "a non-empty string");
    /* Text for people: cut to the buffer rather than refused. */
    snprintf(f->what, sizeof f->what, "%.*s", (int)(sizeof f->what - 1), w->valuestring);
    ctx_pop(c, saved);
    int has_m = member(v, "metric") != NULL;
    f->is_flow = member(v, "flow") != NULL;
    if (has_m == f->is_flow)
        return fail(c, "expected exactly one of \"metric\" (GROUP/KEY of a metric, as `run "
                       "--format csv` names it) or \"flow\" (GROUP/KEY of a ledger line, as "
                       "`cashflows --format csv` names it), found %s",
                    has_m ? "both" : "neither");
    const char *key = f->is_flow ? "flow" : "metric";
    const cJSON *m = member(v, key);
    saved = ctx_push(c, key);
    const char *slash = cJSON_IsString(m) ? strchr(m->valuestring, '/') : NULL;
    if (slash == NULL || slash == m->valuestring || slash[1] == '\0')
        return fail_expected(c, m, "\"GROUP/KEY\" (a group and a key joined by '/')");
    if (strlen(m->valuestring) >= sizeof f->name)
        return fail_expected(c, m, "a GROUP/KEY of at most %zu characters", sizeof f->name - 1);
    snprintf(f->name, sizeof f->name, "%s", m->valuestring);
    ctx_pop(c, saved);
    f->has_by = member(v, "by") != NULL;
    if (f->has_by && !f->is_flow) {
        ctx_push(c, "by");
        return fail(c, "\"by\" goes only with \"flow\" (a ledger line's total up to that date)");
    }
    if (read_number(c, v, "by", 0, 0, 0, HUGE_VAL, &f->by) ||
        read_number(c, v, "value", 1, 0, -HUGE_VAL, HUGE_VAL, &f->value))
        return c->err->code;
    int has_tol = member(v, "tolerance") != NULL, has_range = member(v, "range") != NULL;
    if (!has_tol && !has_range)
        return fail(c, "a reported figure is rounded: give \"tolerance\" (value +- tolerance) or "
                       "\"range\" ([lo, hi])");
    if (has_tol && has_range)
        return fail(c, "expected one of \"tolerance\" or \"range\", found both");
    if (has_tol) {
        double tol;
        if (read_number(c, v, "tolerance", 1, 0, 0, HUGE_VAL, &tol)) return c->err->code;
        f->lo = f->value - tol;
        f->hi = f->value + tol;
    } else {
        const cJSON *r = member(v, "range");
        const cJSON *lo = cJSON_GetArrayItem(r, 0), *hi = cJSON_GetArrayItem(r, 1);
        if (!cJSON_IsArray(r) || cJSON_GetArraySize(r) != 2 || !cJSON_IsNumber(lo) ||
            !cJSON_IsNumber(hi) || !isfinite(lo->valuedouble) || !isfinite(hi->valuedouble) ||
            lo->valuedouble > hi->valuedouble) {
            ctx_push(c, "range");
            return fail_expected(c, r, "[lo, hi]: two numbers with lo <= hi");
        }
        f->lo = lo->valuedouble;
        f->hi = hi->valuedouble;
    }
    const cJSON *src = member(v, "source");
    if (src != NULL) {
        if (!cJSON_IsString(src)) {
            ctx_push(c, "source");
            return fail_expected(c, src, "a string");
        }
        snprintf(f->source, sizeof f->source, "%.*s", (int)(sizeof f->source - 1),
                 src->valuestring);
    }
    return SIB_OK;
}

/* Read a realised record (the object v, at the current pointer) against
 * sc's stages, cohorts and outcomes into rec, which must be empty. On error
 * rec may hold part of the record: the caller frees it (realised_clear, or
 * scenario_free for a scenario's own record). */
static int read_realised(ctx *c, const cJSON *v, const scenario *sc, realised *rec) {
    static const char *const keys[] = {"description", "sources", "stages", "stopped",
                                       "results",     "reported", NULL};
    const size_t base = c->len; /* the record's own pointer: "/realised", or "" in a file */
    rec->stopped = HUGE_VAL;
    if (check_object(c, v, keys) ||
        read_string_dup(c, v, "description", "", &rec->description))
        return c->err->code;
    const cJSON *arr;
    size_t n;
    if (read_array(c, v, "sources", 0, &arr, &n)) return c->err->code;
    if (arr != NULL) {
        rec->sources = xcalloc(c, n, sizeof *rec->sources);
        if (rec->sources == NULL) return SIB_ENOMEM;
        rec->n_sources = n;
        size_t s1 = ctx_push(c, "sources"), i = 0;
        for (const cJSON *it = arr->child; it; it = it->next, i++) {
            size_t s2 = ctx_push_index(c, i);
            if (!cJSON_IsString(it) || it->valuestring[0] == '\0')
                return fail_expected(c, it, "a non-empty string");
            if ((rec->sources[i] = strdup(it->valuestring)) == NULL)
                return sib_error_set(c->err, SIB_ENOMEM, c->ptr, "out of memory");
            ctx_pop(c, s2);
        }
        ctx_pop(c, s1);
    }
    rec->stage_ran = xcalloc(c, sc->n_stages, sizeof *rec->stage_ran);
    if (rec->stage_ran == NULL) return SIB_ENOMEM;
    int listed = member(v, "stages") != NULL;
    if (read_realised_stages(c, v, sc, rec) ||
        read_number(c, v, "stopped", 0, HUGE_VAL, 0, HUGE_VAL, &rec->stopped))
        return c->err->code;

    const cJSON *res = member(v, "results");
    size_t s1 = ctx_push(c, "results");
    if (res == NULL) return fail(c, "required field is missing");
    if (!cJSON_IsArray(res)) return fail_expected(c, res, "an array of results (it may be empty)");
    n = (size_t)cJSON_GetArraySize(res);
    rec->results = xcalloc(c, n, sizeof *rec->results);
    if (rec->results == NULL) return SIB_ENOMEM;
    size_t last = SIZE_MAX, i = 0; /* the last stage with a result */
    for (const cJSON *it = res->child; it; it = it->next, i++) {
        realised_result *r = &rec->results[i];
        size_t s2 = ctx_push_index(c, i);
        if (read_result(c, it, sc, r)) return c->err->code;
        rec->n_results = i + 1;
        size_t s = 0, k = r->cohort;
        while (k >= sc->stages[s].n_cohorts) k -= sc->stages[s++].n_cohorts;
        const char *cname = sc->stages[s].cohorts[k].name, *sname = sc->stages[s].name;
        if (listed && !rec->stage_ran[s]) {
            ctx_push(c, "cohort");
            return fail(c, "cohort \"%s\" is of stage \"%s\", which did not run (it is not in "
                           "%.*s/stages)",
                        cname, sname, (int)base, c->ptr);
        }
        for (size_t j = 0; j < i; j++)
            if (rec->results[j].cohort == r->cohort && rec->results[j].outcome == r->outcome)
                return fail(c, "cohort \"%s\" of stage \"%s\" on outcome \"%s\" is already given "
                               "by %.*s/%zu",
                            cname, sname, sc->outcomes[r->outcome].name, (int)s2, c->ptr, j);
        if (last == SIZE_MAX || s > last) last = s;
        ctx_pop(c, s2);
    }
    ctx_pop(c, s1);
    /* Stages run in order: by default, every stage up to the last one
     * that has a result ran. */
    if (!listed)
        for (size_t s = 0; last != SIZE_MAX && s <= last; s++) rec->stage_ran[s] = true;

    if (read_array(c, v, "reported", 0, &arr, &n)) return c->err->code;
    if (arr != NULL) {
        rec->reported = xcalloc(c, n, sizeof *rec->reported);
        if (rec->reported == NULL) return SIB_ENOMEM;
        rec->n_reported = n;
        s1 = ctx_push(c, "reported");
        i = 0;
        for (const cJSON *it = arr->child; it; it = it->next, i++) {
            size_t s2 = ctx_push_index(c, i);
            if (read_figure(c, it, &rec->reported[i])) return c->err->code;
            ctx_pop(c, s2);
        }
        ctx_pop(c, s1);
    }
    rec->present = true;
    return SIB_OK;
}

/* ---------------------------------------------------------------- top level */

/* Read an array of named elements with a per-element reader, refusing
 * duplicate names. */
static int read_outcomes(ctx *c, const cJSON *root, scenario *sc) {
    const cJSON *arr;
    if (read_array(c, root, "outcomes", 1, &arr, &sc->n_outcomes)) return c->err->code;
    sc->outcomes = xcalloc(c, sc->n_outcomes, sizeof *sc->outcomes);
    if (sc->outcomes == NULL) return SIB_ENOMEM;
    size_t s1 = ctx_push(c, "outcomes");
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        size_t s2 = ctx_push_index(c, i);
        if (read_outcome(c, it, &sc->outcomes[i])) return c->err->code;
        for (size_t j = 0; j < i; j++)
            if (strcmp(sc->outcomes[j].name, sc->outcomes[i].name) == 0) {
                ctx_push(c, "name");
                return fail(c, "duplicate outcome name \"%s\" (also /outcomes/%zu)",
                            sc->outcomes[i].name, j);
            }
        ctx_pop(c, s2);
    }
    ctx_pop(c, s1);
    return SIB_OK;
}

static int read_stages(ctx *c, const cJSON *root, scenario *sc) {
    const cJSON *arr;
    if (read_array(c, root, "stages", 1, &arr, &sc->n_stages)) return c->err->code;
    if (sc->n_stages > 64) {
        sc->n_stages = 0; /* nothing allocated yet */
        ctx_push(c, "stages");
        return fail_expected(c, arr, "at most 64 stages");
    }
    sc->stages = xcalloc(c, sc->n_stages, sizeof *sc->stages);
    if (sc->stages == NULL) return SIB_ENOMEM;
    size_t s1 = ctx_push(c, "stages");
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        size_t s2 = ctx_push_index(c, i);
        if (read_stage(c, it, sc, i)) return c->err->code;
        for (size_t j = 0; j < i; j++)
            if (strcmp(sc->stages[j].name, sc->stages[i].name) == 0) {
                ctx_push(c, "name");
                return fail(c, "duplicate stage name \"%s\" (also /stages/%zu)",
                            sc->stages[i].name, j);
            }
        if (i > 0 && sc->stages[i].start < sc->stages[i - 1].start) {
            ctx_push(c, "start");
            return fail(c, "expected stages in order of start; this stage starts at %g, before "
                           "/stages/%zu at %g",
                        sc->stages[i].start, i - 1, sc->stages[i - 1].start);
        }
        ctx_pop(c, s2);
    }
    ctx_pop(c, s1);
    return SIB_OK;
}

/* Read a whole scenario; with whole = 0 (a case's compile), leave out its
 * cases and its realised record. */
static int read_scenario(ctx *c, const cJSON *root, scenario *sc, int whole) {
    static const char *const keys[] = {"sibsim",    "name",         "description", "currency",
                                       "simulation", "stages",      "outcomes",    "contract",
                                       "financing", "correlations", "cases",       "realised",
                                       NULL};
    double version;
    if (check_object(c, root, keys) ||
        read_integer(c, root, "sibsim", 0, SCENARIO_FORMAT_VERSION, SCENARIO_FORMAT_VERSION,
                     SCENARIO_FORMAT_VERSION, &version) ||
        read_string_dup(c, root, "name", NULL, &sc->name) ||
        read_string_dup(c, root, "description", "", &sc->description) ||
        read_string(c, root, "currency", NULL, sc->currency, sizeof sc->currency))
        return c->err->code;
    if (sc->name[0] == '\0') {
        ctx_push(c, "name");
        return fail_expected(c, member(root, "name"), "a non-empty string");
    }
    const char *cur = sc->currency;
    if (strlen(cur) != 3 || cur[0] < 'A' || cur[0] > 'Z' || cur[1] < 'A' || cur[1] > 'Z' ||
        cur[2] < 'A' || cur[2] > 'Z') {
        ctx_push(c, "currency");
        return fail_expected(c, member(root, "currency"), "a three-letter ISO 4217 code such as \"GBP\"");
    }
    /* Outcomes before stages: a stage's gate names an outcome. */
    if (read_simulation(c, root, &sc->sim) || read_outcomes(c, root, sc) ||
        read_stages(c, root, sc) || read_contract(c, root, sc) || read_financing(c, root, sc) ||
        read_correlations(c, root, sc))
        return c->err->code;
    if (!whole) return SIB_OK;
    /* Cases after the scenario: each is checked by compiling the scenario
     * it makes. The record last: it names stages, cohorts and outcomes. */
    if (read_cases(c, root, sc)) return c->err->code;
    const cJSON *rv = member(root, "realised");
    if (rv != NULL) {
        size_t saved = ctx_push(c, "realised");
        if (read_realised(c, rv, sc, &sc->realised)) return c->err->code;
        ctx_pop(c, saved);
    }
    return SIB_OK;
}

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

/* ------------------------------------------------------------- overrides */

/* Decode one reference token of a JSON Pointer (RFC 6901 section 4): "~1"
 * is '/', "~0" is '~'. Returns the length consumed from p (up to the next
 * '/' or the end); out receives the decoded token. */
static size_t pointer_token(const char *p, char *out, size_t size) {
    size_t i = 0, n = 0;
    while (p[i] && p[i] != '/') {
        char ch = p[i];
        if (ch == '~' && (p[i + 1] == '0' || p[i + 1] == '1')) {
            ch = p[i + 1] == '0' ? '~' : '/';
            i++;
        }
        if (n + 1 < size) out[n++] = ch;
        i++;
    }
    out[n] = '\0';
    return i;
}

/* Resolve pointer in root. With `create`, a missing last member of an
 * object is added (as null) for the caller to set; *parent and *key then
 * say where. Returns the node, or NULL with err filled. */
cJSON *json_pointer_resolve(cJSON *root, const char *pointer, int create, sib_error *err) {
    if (pointer[0] != '/') {
        sib_error_set(err, SIB_EINVAL, pointer, "expected a JSON Pointer starting with '/'");
        return NULL;
    }
    cJSON *node = root;
    const char *p = pointer;
    char token[256], where[256];
    while (*p == '/') {
        p++;
        size_t used = pointer_token(p, token, sizeof token);
        snprintf(where, sizeof where, "%.*s", (int)(p + used - pointer), pointer);
        cJSON *next = NULL;
        if (cJSON_IsObject(node)) {
            next = cJSON_GetObjectItemCaseSensitive(node, token);
            if (next == NULL && create && p[used] == '\0') {
                next = cJSON_CreateNull();
                if (next == NULL || !cJSON_AddItemToObject(node, token, next)) {
                    sib_error_set(err, SIB_ENOMEM, where, "out of memory");
                    return NULL;
                }
            }
            if (next == NULL) {
                sib_error_set(err, SIB_EINVAL, where, "no such field in the scenario");
                return NULL;
            }
        } else if (cJSON_IsArray(node)) {
            char *end;
            long idx = strtol(token, &end, 10);
            int size = cJSON_GetArraySize(node);
            if (*token == '\0' || *end != '\0' || idx < 0 || idx >= size) {
                sib_error_set(err, SIB_EINVAL, where,
                              "expected an index of the array (0 to %d), found \"%s\"", size - 1,
                              token);
                return NULL;
            }
            next = cJSON_GetArrayItem(node, (int)idx);
        } else {
            sib_error_set(err, SIB_EINVAL, where, "cannot go inside a value that is neither an "
                                                  "object nor an array");
            return NULL;
        }
        node = next;
        p += used;
    }
    return node;
}

/* Replace node, found at pointer in root, by the number value (keeping its
 * member name). SIB_OK, or err filled. */
static int set_number(cJSON *root, cJSON *node, const char *pointer, double value,
                      sib_error *err) {
    cJSON *num = cJSON_CreateNumber(value);
    if (num == NULL) return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    /* ReplaceItemViaPointer does not carry the member's name over: give the
     * number its key. */
    if (node->string != NULL && (num->string = strdup(node->string)) == NULL) {
        cJSON_Delete(num);
        return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    }
    cJSON *parent = root;
    char pp[512];
    const char *slash = strrchr(pointer, '/');
    snprintf(pp, sizeof pp, "%.*s", (int)(slash - pointer), pointer);
    if (pp[0] != '\0') parent = json_pointer_resolve(root, pp, 0, err);
    if (parent == NULL || !cJSON_ReplaceItemViaPointer(parent, node, num)) {
        cJSON_Delete(num);
        if (parent != NULL) sib_error_set(err, SIB_EINVAL, pointer, "cannot be set");
        return err->code;
    }
    return SIB_OK;
}

scenario *scenario_load_string_with(const char *text, const char *name,
                                    const scenario_override *ov, size_t n_ov, sib_error *err) {
    sib_error local;
    if (err == NULL) err = &local;
    sib_error_clear(err);
    snprintf(err->file, sizeof err->file, "%s", name ? name : "<scenario>");

    cJSON *root = cJSON_ParseWithOpts(text, NULL, 1);
    if (root == NULL) {
        json_syntax_error(text, err);
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        char found[96];
        describe(root, found, sizeof found);
        cJSON_Delete(root);
        sib_error_set(err, SIB_EINVAL, NULL, "expected the scenario to be a JSON object, found %s",
                      found);
        return NULL;
    }
    /* Apply the overrides: each pointer's value becomes a number (a prior's
     * distribution object becomes a fixed value). The loader then checks the
     * result like any scenario, so an out-of-range value is refused with
     * its pointer. */
    for (size_t i = 0; i < n_ov; i++) {
        cJSON *node = json_pointer_resolve(root, ov[i].pointer, 1, err);
        if (node == NULL) {
            cJSON_Delete(root);
            return NULL;
        }
        if (!cJSON_IsNumber(node) && !cJSON_IsNull(node) && !cJSON_IsObject(node)) {
            char found[96];
            describe(node, found, sizeof found);
            sib_error_set(err, SIB_EINVAL, ov[i].pointer,
                          "expected a number or a distribution to set, found %s", found);
            cJSON_Delete(root);
            return NULL;
        }
        if (set_number(root, node, ov[i].pointer, ov[i].value, err)) {
            cJSON_Delete(root);
            return NULL;
        }
    }
    scenario *sc = scenario_blank();
    if (sc == NULL) {
        cJSON_Delete(root);
        sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
        return NULL;
    }
    ctx c = {.err = err, .ptr = "", .len = 0, .sc = sc};
    int rc = read_scenario(&c, root, sc, 1);
    cJSON_Delete(root);
    if (rc != SIB_OK) {
        scenario_free(sc);
        return NULL;
    }
    return sc;
}

scenario *scenario_load_string(const char *text, const char *name, sib_error *err) {
    return scenario_load_string_with(text, name, NULL, 0, err);
}

int scenario_number_at(const char *text, const char *pointer, double *out, sib_error *err) {
    sib_error local;
    if (err == NULL) err = &local;
    cJSON *root = cJSON_ParseWithOpts(text, NULL, 1);
    if (root == NULL) {
        json_syntax_error(text, err);
        return err->code;
    }
    cJSON *node = json_pointer_resolve(root, pointer, 0, err);
    int rc = SIB_OK;
    if (node == NULL) {
        rc = err->code;
    } else if (!cJSON_IsNumber(node)) {
        char found[96];
        describe(node, found, sizeof found);
        rc = sib_error_set(err, SIB_EINVAL, pointer, "expected a number, found %s", found);
    } else {
        *out = node->valuedouble;
    }
    cJSON_Delete(root);
    return rc;
}

int scenario_load_realised_file(scenario *sc, const char *path, sib_error *err) {
    sib_error local;
    if (err == NULL) err = &local;
    char *text = sib_file_read(path, err); /* sets err->file */
    if (text == NULL) return err->code;
    cJSON *root = cJSON_ParseWithOpts(text, NULL, 1);
    if (root == NULL) {
        json_syntax_error(text, err);
        free(text);
        return err->code;
    }
    free(text);
    if (!cJSON_IsObject(root)) {
        char found[96];
        describe(root, found, sizeof found);
        cJSON_Delete(root);
        return sib_error_set(err, SIB_EINVAL, NULL,
                             "expected the realised record to be a JSON object, found %s", found);
    }
    /* Read into a record of its own, so that sc keeps its record on error;
     * pointers are relative to the file's root. */
    realised rec;
    memset(&rec, 0, sizeof rec);
    ctx c = {.err = err, .ptr = "", .len = 0, .sc = sc};
    int rc = read_realised(&c, root, sc, &rec);
    cJSON_Delete(root);
    if (rc != SIB_OK) {
        realised_clear(&rec);
        return rc;
    }
    realised_clear(&sc->realised);
    sc->realised = rec;
    return SIB_OK;
}

scenario *scenario_load_file(const char *path, sib_error *err) {
    char *text = sib_file_read(path, err);
    if (text == NULL) return NULL;
    scenario *sc = scenario_load_string(text, path, err);
    free(text);
    return sc;
}
