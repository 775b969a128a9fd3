/* fuzz.h -- what the libFuzzer targets of tests/fuzz/ share.
 *
 * Each target is one C file with LLVMFuzzerTestOneInput, built by `make
 * fuzz` with clang -fsanitize=fuzzer,address,undefined against the core
 * built with the same sanitizers (docs/fuzzing.md). A target finds a
 * defect when the process dies: a sanitizer report, a leak, a timeout, or
 * FUZZ_REQUIRE trapping on an invariant that does not hold. Nothing here
 * prints in the ordinary case: the fuzzer runs millions of inputs.
 */
#ifndef SIB_FUZZ_H
#define SIB_FUZZ_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

/* The scenario library (every JSON file of scenarios/), compiled in by the Makefile
 * (build-fuzz/fuzz_library.c) so that a target needs no files to run. */
extern const char *const fuzz_library[];
extern const char *const fuzz_library_name[];
extern const size_t fuzz_library_count;

/* An invariant: when it does not hold, say which and crash, so that
 * libFuzzer saves the input as a crash. __builtin_trap is what it sees. */
#define FUZZ_REQUIRE(cond, ...)                                                   \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "fuzz invariant broken (%s:%d): %s\n  ", __FILE__,      \
                    __LINE__, #cond);                                             \
            fprintf(stderr, __VA_ARGS__);                                         \
            fputc('\n', stderr);                                                  \
            __builtin_trap();                                                     \
        }                                                                         \
    } while (0)

/* GSL calls abort() on a domain error unless its handler is off, as every
 * front end turns it off: once, before the first input. */
static inline void fuzz_once(void) {
    static int done = 0;
    if (!done) {
        gsl_set_error_handler_off();
        done = 1;
    }
}

/* Defects found and still open (tests/fuzz/crashes/, docs/fuzzing.md):
 * with SIBSIM_FUZZ_SKIP_OPEN=1 in the environment -- `make fuzz-run`, and
 * so CI, sets it -- a target steps around the inputs that reach one, so
 * that a short run fails only on what is new. Run by hand, without it, a
 * target finds them too. Each use names its defect; remove it with the
 * fix. */
static inline int fuzz_skip_open(void) {
    static int skip = -1;
    if (skip < 0) {
        const char *s = getenv("SIBSIM_FUZZ_SKIP_OPEN");
        skip = s != NULL && strcmp(s, "1") == 0;
    }
    return skip;
}

/* A NUL-terminated copy of the first min(size, cap) bytes (the caller
 * frees it); NULL when out of memory. An embedded NUL ends the text early,
 * as it would in a file the reader refused. */
static inline char *fuzz_text(const uint8_t *data, size_t size, size_t cap) {
    if (size > cap) size = cap;
    char *s = malloc(size + 1);
    if (s == NULL) return NULL;
    if (size > 0) memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Reading input bytes as choices: each call takes the next byte (0 once
 * the input is used up). */
typedef struct fuzz_bytes {
    const uint8_t *p;
    size_t n, i;
} fuzz_bytes;

static inline unsigned fuzz_byte(fuzz_bytes *b) {
    return b->i < b->n ? b->p[b->i++] : 0u;
}

static inline size_t fuzz_left(const fuzz_bytes *b) { return b->n - b->i; }

/* A number made from a few bytes, near `base` or anywhere: scaled,
 * shifted, small, zero, negative, huge, NaN, infinite or raw IEEE bits.
 * Money that overflows and rates that are not numbers are what an
 * override or an edit can put where a person would not. */
static inline double fuzz_number(fuzz_bytes *b, double base) {
    unsigned op = fuzz_byte(b) % 12, k = fuzz_byte(b);
    switch (op) {
    case 0: return base * ((double)k / 64.0);
    case 1: return base + ((double)k - 128.0);
    case 2: return (double)k / 255.0;
    case 3: return (double)k;
    case 4: return -base;
    case 5: return 0.0;
    case 6: return NAN;
    case 7: return k & 1 ? HUGE_VAL : -HUGE_VAL;
    case 8: return ldexp(base == 0 ? 1.0 : base, (int)k - 128);
    case 9: return base * (1.0 + 1e-9 * ((double)k - 128.0));
    case 10: return -(double)k * 1e6;
    default: {
        uint64_t bits = k;
        for (int j = 0; j < 7; j++) bits = bits << 8 | fuzz_byte(b);
        double d;
        memcpy(&d, &bits, sizeof d);
        return d;
    }
    }
}

/* Whether two money totals agree: within 1e-6 of `scale`, the size of the
 * amounts they are sums of (so that a net total near zero of large flows
 * is compared to the flows, not to zero). Non-finite totals are not
 * compared: an overflow is not an accounting error. */
static inline int fuzz_close(double a, double b, double scale) {
    if (!isfinite(a) || !isfinite(b) || !isfinite(scale)) return 1;
    double m = fmax(fmax(fabs(a), fabs(b)), fmax(scale, 1.0));
    return fabs(a - b) <= 1e-6 * m;
}

#endif
