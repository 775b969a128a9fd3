/* loader_internal.h -- what the files of the scenario loader share:
 *
 *   loader_read.c      the walk's context and the typed field readers
 *   loader.c           the scenario's own fields and the public entry points
 *   loader_contract.c  the contract: payment rules, payers and caps
 *   loader_financing.c the financing structures
 *   loader_realised.c  named cases and the realised record
 *   loader_sources.c   sources and assumptions
 *
 * Not for use outside model/loader*.c: these functions know cJSON and fill
 * a sib_error at the pointer the walk has reached. Every reader returns
 * SIB_OK or the error code it set; the first error stops the walk.
 */
#ifndef SIB_LOADER_INTERNAL_H
#define SIB_LOADER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "error.h"
#include "json_internal.h"
#include "scenario.h"

/* ------------------------------------------------------------- bounds */

/* Every number of a scenario is bounded so that every sum of a run stays
 * finite: no report can print "inf" for an input the loader accepted.
 * Money is at most 1e15 in magnitude (a thousand times the largest deal),
 * people at most 1e9, and an outcome's own units and effect scale (a
 * baseline, an sd, a trigger, an absolute effect) at most 1e9. Times are
 * bounded field by field so that no date passes 500 years (a stage starts
 * by 200 and lasts at most 100, a measurement adds at most 50, a payment
 * lag 50 and its installments 100). The rates that compound over those
 * years are bounded too: a discount rate is at least -0.1 (a flow 500
 * years out is then worth at most 0.9^-500 ~ 7e22 times itself), a band's
 * return and a cost of capital at most 0.5 (1.5^500 ~ 2e88), and a coupon,
 * a return cap and a balance's rate at most 1 (what is owed, at most
 * 2^500 x 1e15 ~ 3e165, is compared with payments, never paid whole).
 * Without compounding a path's flows add up to less than 1e56 even in a
 * 16 MiB file; with it the largest value a run records, a 50% return band
 * on 1e15 discounted at -0.1, is about 1e126, and the engine's sums of
 * squares over 1e12 paths stay finite (tests/test_loader_bounds.c runs
 * such a scenario). docs/scenario-format.md states each field's bound. */
#define LOADER_MONEY_MAX 1e15
#define LOADER_PEOPLE_MAX 1e9
#define LOADER_MEASURE_MAX 1e9
#define LOADER_TIME_MAX 500.0
/* A beta prior's shapes: GSL's beta quantile, through which the engine
 * draws, hangs near 1e6 and at subnormal shapes (loader_read.c). */
#define LOADER_BETA_MIN 0.001
#define LOADER_BETA_MAX 1e5

/* ------------------------------------------------------ walking context */

/* The walk's state: the error to fill and the JSON Pointer of the node being
 * read. Pointers are built incrementally: push a key or index, read, pop. */
typedef struct ctx {
    sib_error *err;
    char ptr[256];
    size_t len;
    scenario *sc; /* being built: read_prior registers its inputs here */
    /* Overrides were applied to the document (a case, a sweep's point, a
     * tornado's move): its cases are read but not compiled again, as they
     * were when the document was loaded as written -- a case setting
     * /x/prior/mean fails inside a /x/prior another case (or the override)
     * made a number, though each holds on the file. */
    int overridden;
} ctx;

/* Append "/token" to the pointer, escaping '~' as "~0" and '/' as "~1"
 * (RFC 6901 section 3). Returns the previous length, for ctx_pop(). */
size_t ctx_push(ctx *c, const char *token);
/* Append "/i". Returns the previous length. */
size_t ctx_push_index(ctx *c, size_t i);
/* Cut the pointer back to the length a push returned. */
void ctx_pop(ctx *c, size_t saved);

/* Describe a JSON value for "found ..." in a message: its type and, for
 * scalars, the value itself (strings truncated to 40 characters). */
void describe(const cJSON *v, char *buf, size_t size);

/* Fail at the current pointer: "expected <what>, found <describe(v)>".
 * Returns the error code (SIB_EINVAL). */
int fail_expected(ctx *c, const cJSON *v, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Fail at the current pointer with a free-form message. */
int fail(ctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* ---------------------------------------------------------- field readers */

/* Check that obj is an object whose keys are all in allowed (a NULL-ended
 * list) and appear once; an unknown key is an error listing the valid ones. */
int check_object(ctx *c, const cJSON *obj, const char *const *allowed);

/* The member key of obj, or NULL. */
const cJSON *member(const cJSON *obj, const char *key);

/* Read a number member. Absent: *out = def, or an error when required.
 * Present: must be a number in [lo, hi]. */
int read_number(ctx *c, const cJSON *obj, const char *key, int required, double def, double lo,
                double hi, double *out);
/* As read_number, for a time in years (a date or a span): a bound of 1 or
 * less on one comes from another field (an entry within a stage of one
 * year), never from a fraction, so going past it is not asked about as a
 * percentage. */
int read_time(ctx *c, const cJSON *obj, const char *key, int required, double def, double lo,
              double hi, double *out);
/* A number in (0, hi]: as read_number, with an exclusive lower bound. */
int read_positive(ctx *c, const cJSON *obj, const char *key, int required, double def, double hi,
                  double *out);
/* Whether s holds a control character that a scenario's text may not:
 * U+0000..U+001F (but a line feed and a tab when lines is set), U+007F and
 * U+0080..U+009F. Printed in a table or a terminal, one would break a row
 * or start an escape sequence. When found: 1, its code point *cp and its
 * position *at (characters from 1); else 0. */
int text_control(const char *s, int lines, size_t *at, unsigned *cp);

/* Fail at c's pointer: "expected <what> without control characters (other
 * than line feeds and tabs, when lines is set), found U+XXXX (its name) at
 * character <at>". */
int fail_control(ctx *c, const char *what, int lines, size_t at, unsigned cp);

/* Read a whole number in [lo, hi] (exactly representable: hi <= 2^53). */
int read_integer(ctx *c, const cJSON *obj, const char *key, int required, double def, double lo,
                 double hi, double *out);
/* Read a boolean member; absent: def. */
int read_bool(ctx *c, const cJSON *obj, const char *key, int def, bool *out);
/* Read a non-empty string into buf (size bytes). Absent: def (NULL = required). */
int read_string(ctx *c, const cJSON *obj, const char *key, const char *def, char *buf,
                size_t size);
/* Read a string member as a heap copy (no length limit). */
int read_string_dup(ctx *c, const cJSON *obj, const char *key, const char *def, char **out);
/* Read one of a fixed set of names; *out receives its index in names
 * (def < 0: required). */
int read_enum(ctx *c, const cJSON *obj, const char *key, const char *const *names, int def,
              int *out);
/* Fetch a non-empty array member; *n receives its length (*arr = NULL when
 * absent and not required). */
int read_array(ctx *c, const cJSON *obj, const char *key, int required, const cJSON **arr,
               size_t *n);
/* calloc that fills the error on failure (at least one element). */
void *xcalloc(ctx *c, size_t n, size_t size);

/* ---------------------------------------------------------------- priors */

/* A fixed prior that is not an input of the scenario (a default). */
void set_fixed(prior *p, double value);

/* Read the prior at key: a bare number or a distribution object, within
 * [lo_bound, hi_bound]. Absent and optional: the fixed value def, not an
 * input; present: registered as an input of c->sc. */
int read_prior(ctx *c, const cJSON *obj, const char *key, prior *p, double lo_bound,
               double hi_bound, int required, double def);

/* Read the prior value v (a number or a distribution object) at the
 * current pointer into p, within [lo_bound, hi_bound], without registering
 * it as an input. */
int read_prior_value(ctx *c, const cJSON *v, prior *p, double lo_bound, double hi_bound);

/* A prior of the library, v = {"from": "indigo:NAME", "scale"?: k,
 * "shift"?: s} (model/priors.c): the library's distribution, moved to
 * s + k x X, read as read_prior_value reads a distribution object. An
 * unknown name is an error at "from" listing the nearest names. */
int read_prior_from(ctx *c, const cJSON *v, prior *p, double lo_bound, double hi_bound);

/* ------------------------------------------------------------ names */

/* Find a named element of an array of structs that begin with a name. */
#define FIND_NAME(arr, n, wanted, out)                                                  \
    do {                                                                                \
        (out) = SIZE_MAX;                                                               \
        for (size_t k_ = 0; k_ < (n); k_++)                                             \
            if (strcmp((arr)[k_].name, (wanted)) == 0) (out) = k_;                      \
    } while (0)

/* "one of \"a\", \"b\"" for the names of n elements of arr; cut between two
 * characters when buf is full. */
#define LIST_NAMES(arr, n, buf)                                                         \
    do {                                                                                \
        size_t len_ = 0;                                                                \
        (buf)[0] = '\0';                                                                \
        for (size_t k_ = 0; k_ < (n) && len_ + 2 < sizeof(buf); k_++)                   \
            len_ += (size_t)snprintf((buf) + len_, sizeof(buf) - len_, "%s\"%s\"",      \
                                     k_ ? ", " : "", (arr)[k_].name);                   \
        (buf)[sib_utf8_cut((buf), sizeof(buf) - 1)] = '\0'; /* a full buf, whole */     \
    } while (0)

/* ---------------------------------------------------------- the sections */

/* An empty scenario for read_scenario to fill; NULL when out of memory. */
scenario *scenario_blank(void);

/* Read a whole scenario; with whole = 0 (a case's compile), leave out its
 * cases, its realised record, its sources and its assumptions. */
int read_scenario(ctx *c, const cJSON *root, scenario *sc, int whole);

/* "/contract" (needs the outcomes and stages already read). */
int read_contract(ctx *c, const cJSON *root, scenario *sc);

/* "/financing" (needs the stages and the simulation settings). */
int read_financing(ctx *c, const cJSON *root, scenario *sc);

/* "/cases": every case is checked by compiling the scenario it makes. */
int read_cases(ctx *c, const cJSON *root, scenario *sc);

/* Read a realised record (the object v, at the current pointer) against
 * sc's stages, cohorts and outcomes into rec, which must be empty. On error
 * rec may hold part of the record: the caller frees it. */
int read_realised(ctx *c, const cJSON *v, const scenario *sc, realised *rec);

/* "/sources" and "/assumptions" (needs nothing else read: each assumption's
 * pointer is resolved in root, the document as loaded). */
int read_sources_and_assumptions(ctx *c, const cJSON *root, scenario *sc);

/* Free what a record owns and clear it. */
void realised_clear(realised *r);

#endif
