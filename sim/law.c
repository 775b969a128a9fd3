/* law.c -- counts drawn from tables, for the laws that are the same on
 * every future. See law.h. */
#include "law.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "sample.h"

/* The tables a cache can hold, and how far a law's search for its slot
 * goes (open addressing): a scenario's fixed laws are a few dozen at most
 * (Massachusetts has 12), so a slot is almost always its law's own. When
 * the LAW_PROBES slots a law may use are all taken by others, it takes the
 * first of them: that table is rebuilt when its law comes back. */
#define LAW_SLOTS 128
#define LAW_PROBES 8

/* The tail: a table stops where the pmf falls below 2^-70 of the mode's.
 * The pmf of a binomial or a Poisson falls at least geometrically beyond
 * it, so the mass left out is under 1e-20 on each side. */
#define LAW_TAIL 0x1p-70

enum { LAW_EMPTY, LAW_BINOMIAL, LAW_POISSON };

typedef struct law_table {
    int kind;        /* LAW_EMPTY, or the law: */
    double a, b;     /* Binomial(a, b) (a whole), or Poisson(a) (b = 0) */
    int wide;        /* its mass spreads over more than LAW_MAX_VALUES values */
    double first;    /* the least value tabulated */
    uint32_t count;  /* values tabulated: first .. first + count - 1 */
    double *cdf;     /* cdf[i] = F(first + i); cdf[count] = infinity */
    uint32_t *guide; /* guide[j] = the least i with cdf[i] > j / count */
    uint32_t cap;    /* the values cdf and guide have room for */
} law_table;

struct law_cache {
    law_table slot[LAW_SLOTS];
    double *w; /* scratch: the pmf around the mode, 2 LAW_MAX_VALUES + 1
                  (allocated with the first table: most workers need none) */
};

law_cache *law_cache_new(void) { return calloc(1, sizeof(law_cache)); }

void law_cache_free(law_cache *c) {
    if (c == NULL) return;
    for (size_t i = 0; i < LAW_SLOTS; i++) {
        free(c->slot[i].cdf);
        free(c->slot[i].guide);
    }
    free(c->w);
    free(c);
}

/* ------------------------------------------------------------- building */

/* The pmf of law (kind, a, b) relative to its mode's, from the mode
 * outward by the pmf's own ratio of neighbours (three roundings a step,
 * so f(k) is within about 3 |k - m| roundings of exact, relative):
 *   binomial:  f(k + 1) / f(k) = (n - k) / (k + 1) * p / q,
 *   Poisson:   f(k + 1) / f(k) = mu / (k + 1),
 * the mode m = floor((n + 1) p), or floor(mu). Written to c->w with the
 * mode at index LAW_MAX_VALUES, over [*lo, *hi] (indices): up to where it
 * falls below LAW_TAIL, or the support ends. 0, or -1 when the mass
 * spreads over more than LAW_MAX_VALUES values. */
static int law_weights(law_cache *c, int kind, double a, double b, double *mode, size_t *lo,
                       size_t *hi) {
    double *w = c->w;
    const size_t mid = LAW_MAX_VALUES;
    double m, s = 0;
    if (kind == LAW_BINOMIAL) {
        s = b / (1 - b);
        m = fmin(floor((a + 1) * b), a);
    } else {
        m = floor(a);
    }
    w[mid] = 1;
    size_t up = mid, down = mid;
    for (double k = m; w[up] >= LAW_TAIL && !(kind == LAW_BINOMIAL && k >= a); k++) {
        if (up - down + 1 >= LAW_MAX_VALUES) return -1;
        const double ratio = kind == LAW_BINOMIAL ? (a - k) / (k + 1) * s : a / (k + 1);
        w[up + 1] = w[up] * ratio;
        up++;
    }
    for (double k = m; w[down] >= LAW_TAIL && k > 0; k--) {
        if (up - down + 1 >= LAW_MAX_VALUES) return -1;
        /* f(k - 1) / f(k), the inverse of the ratio above at k - 1 */
        const double ratio = kind == LAW_BINOMIAL ? k / ((a - k + 1) * s) : k / a;
        w[down - 1] = w[down] * ratio;
        down--;
    }
    *mode = m;
    *lo = down;
    *hi = up;
    return 0;
}

/* Build t as the table of law (kind, a, b): 0, or -1 when the law is wide
 * (t->wide set) or memory ran out (t left empty). */
static int law_build(law_cache *c, law_table *t, int kind, double a, double b) {
    t->kind = LAW_EMPTY;
    if (c->w == NULL && (c->w = malloc((2 * (size_t)LAW_MAX_VALUES + 1) * sizeof *c->w)) == NULL)
        return -1;
    double m;
    size_t lo, hi;
    if (law_weights(c, kind, a, b, &m, &lo, &hi) != 0) {
        t->kind = kind;
        t->a = a;
        t->b = b;
        t->wide = 1;
        return -1;
    }
    const uint32_t count = (uint32_t)(hi - lo + 1);
    if (count + 1 > t->cap) {
        double *cdf = realloc(t->cdf, (count + 1) * sizeof *cdf);
        if (cdf == NULL) return -1;
        t->cdf = cdf;
        uint32_t *guide = realloc(t->guide, count * sizeof *guide);
        if (guide == NULL) return -1;
        t->guide = guide;
        t->cap = count + 1;
    }
    /* F from the least value up, normalised by the whole sum: the mass
     * beyond the table is below the sum's own rounding. */
    const double *w = c->w;
    double total = 0;
    for (size_t i = lo; i <= hi; i++) total += w[i];
    double run = 0;
    for (uint32_t i = 0; i < count; i++) {
        run += w[lo + i];
        t->cdf[i] = run / total;
    }
    t->cdf[count] = INFINITY; /* u beyond the mass: the search stops here */
    /* guide[j]: where the search for a u in [j / count, (j + 1) / count)
     * may start -- the least i with F > j / count. */
    uint32_t i = 0;
    for (uint32_t j = 0; j < count; j++) {
        while (t->cdf[i] <= (double)j / count) i++;
        t->guide[j] = i;
    }
    t->kind = kind;
    t->a = a;
    t->b = b;
    t->wide = 0;
    t->first = m - (double)(LAW_MAX_VALUES - lo);
    t->count = count;
    return 0;
}

/* The table of law (kind, a, b), built if it is not held; NULL when the
 * law is wide or there is no memory: the caller draws by the sampler. */
static const law_table *law_find(law_cache *c, int kind, double a, double b) {
    uint64_t ka, kb;
    memcpy(&ka, &a, sizeof ka);
    memcpy(&kb, &b, sizeof kb);
    /* Fibonacci hashing of the two keys (Knuth, TAOCP 3, 6.4). */
    const uint64_t gold = UINT64_C(0x9e3779b97f4a7c15), other = UINT64_C(0xc2b2ae3d27d4eb4f);
    const uint64_t h = ((ka * gold) ^ (kb * other) ^ (uint64_t)(unsigned)kind) * gold;
    const size_t home = (size_t)(h >> 57) % LAW_SLOTS;
    law_table *free_slot = NULL;
    for (size_t i = 0; i < LAW_PROBES; i++) {
        law_table *t = &c->slot[(home + i) % LAW_SLOTS];
        if (t->kind == kind && t->a == a && t->b == b) return t->wide ? NULL : t;
        if (t->kind == LAW_EMPTY && free_slot == NULL) free_slot = t;
    }
    law_table *t = free_slot ? free_slot : &c->slot[home];
    return law_build(c, t, kind, a, b) == 0 ? t : NULL;
}

/* -------------------------------------------------------------- drawing */

/* X = the least value k with u < F(k), from the guide's start; a u beyond
 * the mass tabulated draws again. */
static double law_draw(const law_table *t, gsl_rng *r) {
    for (;;) {
        const double u = rng_uniform(r);
        uint32_t j = (uint32_t)(u * t->count);
        uint32_t i = t->guide[j < t->count ? j : t->count - 1];
        while (u >= t->cdf[i]) i++;
        if (i < t->count) return t->first + i;
    }
}

double law_binomial(law_cache *c, gsl_rng *r, double prob, double n) {
    /* The laws a table serves, in one test (false for a NaN): as
     * sample_binomial's common case. */
    if (prob > 0 && prob < 1 && n >= 1 && n < (double)UINT32_MAX + 1) {
        const law_table *t = law_find(c, LAW_BINOMIAL, floor(n), prob);
        if (t != NULL) return law_draw(t, r);
    }
    return sample_binomial(r, prob, n);
}

double law_poisson(law_cache *c, gsl_rng *r, double mu) {
    if (mu > 0 && mu < HUGE_VAL) {
        const law_table *t = law_find(c, LAW_POISSON, mu, 0);
        if (t != NULL) return law_draw(t, r);
    }
    return sample_poisson(r, mu);
}
