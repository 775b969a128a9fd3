/* stats.c -- Welford moments and a log-linear sketch. See stats.h. */
#include "stats.h"

#include "../model/bytes.h"
#include "pages.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SKETCH_SUB_BITS 9
#define SKETCH_SUB (1u << SKETCH_SUB_BITS)
#define SKETCH_OCTAVES 2048 /* every IEEE-754 binary64 exponent */

typedef struct bucket {
    uint64_t count;
    double sum, lo, hi; /* sum, least and greatest value in the bucket */
} bucket;

/* The value that represents a bucket: its mean, except that a bucket whose
 * values are all equal (a point mass) gives that value exactly, not a sum
 * divided by a count with its rounding. */
static double bucket_value(const bucket *b) {
    if (b->lo == b->hi) return b->lo;
    return fmin(fmax(b->sum / (double)b->count, b->lo), b->hi);
}

/* An accumulator's octaves, by sign and exponent, are found through a
 * table. A table of all 2,048 exponents is 16 KB a sign; a metric's values
 * lie in a few dozen octaves. So each sign first has a window of
 * OCT_WINDOW exponents, centred on the first value's and held in the
 * accumulator itself, and a table of every exponent (`wide`) only once a
 * value falls outside it. An accumulator is then about 1 KB, not 32: a
 * comparison of Massachusetts makes some 600, and on a virtual machine
 * whose page faults are dear their pages were a quarter of the faults of
 * the TUI's first estimate. Octave e of sign s is tab[s][e - base[s]] when
 * base[s] <= e < base[s] + span[s] (span 0: no octave yet). */
#define OCT_WINDOW 64

struct stats_acc {
    uint64_t n, undefined;
    double shift, s1, s2, min, max; /* the shift K and the shifted sums S1, S2 */
    uint64_t zero;                        /* exact zeros */
    int same;  /* every value so far equals the first (shift): the sketch is empty, the
                  distribution is a point mass of n at shift. Constant metrics (capital
                  drawn, a stage always reached) then cost a compare and an increment. */
    /* The octaves allocated so far lie in [e_lo[s], e_hi[s]] (empty when
     * e_lo > e_hi): the walks, the saving and the freeing visit only those,
     * not all 2,048 exponents of each sign. */
    int e_lo[2], e_hi[2];
    bucket **tab[2];               /* window[s] or wide[s] */
    unsigned base[2], span[2];
    bucket **wide[2];              /* every exponent, once the window is outgrown */
    bucket *window[2][OCT_WINDOW]; /* [0] positive, [1] negative values */
};

/* Octave e of sign s, or NULL when none is allocated. */
static inline bucket *octave_at(const stats_acc *a, unsigned s, unsigned e) {
    const unsigned i = e - a->base[s]; /* wraps above span when e < base */
    return i < a->span[s] ? a->tab[s][i] : NULL;
}

/* Octave e of sign s has been allocated: widen the range to hold it. */
static void note_octave(stats_acc *a, unsigned s, unsigned e) {
    if ((int)e < a->e_lo[s]) a->e_lo[s] = (int)e;
    if ((int)e > a->e_hi[s]) a->e_hi[s] = (int)e;
}

/* ------------------------------------------------------------- octaves
 *
 * An octave of buckets (16 KB) is allocated when a metric's first value in
 * it arrives, so a run allocates thousands of them as it goes, from every
 * thread that merges (a comparison of Massachusetts: about 1,600 in its
 * first 2,048 futures). glibc's calloc serves each from the calling
 * thread's heap, growing it 16 KB at a time with a system call each: the
 * TUI's first estimate of Massachusetts took 52 ms with calloc, 44 with the
 * allocator below. Hand-written because no library at hand
 * pools fixed-size blocks: octaves are carved from slabs of OCTAVE_SLAB
 * (4 MB, from pages_alloc, on huge pages; a slab is touched only as its octaves are
 * handed out, each cleared then), and a freed octave goes on a free list
 * for the next. The slabs live as long as the process, so that memory is
 * reused run after run (a TUI session, a sweep). */
#define OCTAVE_SLAB 256 /* octaves a slab */

static pthread_mutex_t octave_lock = PTHREAD_MUTEX_INITIALIZER;
static bucket **octave_slabs;   /* every slab (held for the process's lifetime) */
static size_t n_octave_slabs;   /* the last is the one being carved */
static size_t octave_slab_used; /* octaves handed out of the last */
static void *octave_free_list;  /* freed octaves, each holding the next's address */

/* Start a new slab; 0, or -1 when out of memory. Called with the lock held. */
static int octave_slab_new(void) {
    bucket **list = realloc(octave_slabs, (n_octave_slabs + 1) * sizeof *list);
    if (list == NULL) return -1;
    octave_slabs = list;
    /* On huge pages where the kernel offers them (pages.h): a slab's first
     * touch then costs two page faults, not a thousand. */
    bucket *slab = pages_alloc((size_t)OCTAVE_SLAB * SKETCH_SUB * sizeof(bucket));
    if (slab == NULL) return -1;
    octave_slabs[n_octave_slabs++] = slab;
    octave_slab_used = 0;
    return 0;
}

/* Empty every bucket of oct: no count, no sum, and a least value above
 * every value and a greatest below, so that a value's first arrival sets
 * both through the same comparisons as every later one (add_mass needs no
 * branch on whether a bucket is empty). */
static void octave_clear(bucket *oct) {
    for (unsigned b = 0; b < SKETCH_SUB; b++) oct[b] = (bucket){0, 0, HUGE_VAL, -HUGE_VAL};
}

/* An empty octave (octave_clear), or NULL when out of memory. */
static bucket *octave_new(void) {
    pthread_mutex_lock(&octave_lock);
    bucket *oct = NULL;
    if (octave_free_list != NULL) {
        oct = octave_free_list;
        memcpy(&octave_free_list, oct, sizeof octave_free_list);
    } else if ((n_octave_slabs > 0 && octave_slab_used < OCTAVE_SLAB) || octave_slab_new() == 0) {
        oct = octave_slabs[n_octave_slabs - 1] + SKETCH_SUB * octave_slab_used++;
    }
    pthread_mutex_unlock(&octave_lock);
    if (oct != NULL) octave_clear(oct);
    return oct;
}

/* Give back the octaves of a, for the next accumulator. */
static void octaves_release(stats_acc *a) {
    pthread_mutex_lock(&octave_lock);
    for (unsigned s = 0; s < 2; s++)
        for (int e = a->e_lo[s]; e <= a->e_hi[s]; e++) {
            bucket *oct = octave_at(a, s, (unsigned)e);
            if (oct == NULL) continue;
            memcpy(oct, &octave_free_list, sizeof octave_free_list);
            octave_free_list = oct;
        }
    pthread_mutex_unlock(&octave_lock);
}

/* An accumulator is about 1 KB (the window of its octave table, above),
 * from malloc: a comparison of Massachusetts makes some 600, which then
 * share a few dozen pages. */
stats_acc *stats_acc_new(void) {
    stats_acc *a = calloc(1, sizeof *a);
    if (a == NULL) return NULL;
    for (int s = 0; s < 2; s++) {
        a->e_lo[s] = SKETCH_OCTAVES;
        a->e_hi[s] = -1;
        a->tab[s] = a->window[s];
    }
    stats_acc_reset(a);
    return a;
}

void stats_acc_free(stats_acc *a) {
    if (a == NULL) return;
    octaves_release(a);
    free(a->wide[0]);
    free(a->wide[1]);
    free(a);
}

void stats_acc_reset(stats_acc *a) {
    for (unsigned s = 0; s < 2; s++)
        for (int e = a->e_lo[s]; e <= a->e_hi[s]; e++) {
            bucket *oct = octave_at(a, s, (unsigned)e);
            if (oct) octave_clear(oct);
        }
    a->n = a->undefined = a->zero = 0;
    a->same = 1;
    a->shift = a->s1 = a->s2 = 0;
    a->min = HUGE_VAL;
    a->max = -HUGE_VAL;
}

/* Make room in sign s's table for exponent e: the window, centred on e,
 * when the sign has no octave yet; the table of every exponent when e lies
 * outside the window. 0, or -1 when out of memory. */
static int octave_room(stats_acc *a, unsigned s, unsigned e) {
    if (a->span[s] == 0) {
        const unsigned half = OCT_WINDOW / 2;
        a->base[s] = e < half ? 0 : e > SKETCH_OCTAVES - OCT_WINDOW + half
                                        ? SKETCH_OCTAVES - OCT_WINDOW
                                        : e - half;
        a->span[s] = OCT_WINDOW;
        return 0;
    }
    if (e - a->base[s] < a->span[s]) return 0;
    bucket **wide = calloc(SKETCH_OCTAVES, sizeof *wide);
    if (wide == NULL) return -1;
    memcpy(wide + a->base[s], a->window[s], sizeof a->window[s]);
    a->wide[s] = a->tab[s] = wide;
    a->base[s] = 0;
    a->span[s] = SKETCH_OCTAVES;
    return 0;
}

/* Octave e of sign s of a, new and empty; NULL when out of memory. */
static bucket *octave_open(stats_acc *a, unsigned s, unsigned e) {
    if (octave_room(a, s, e) != 0) return NULL;
    bucket *oct = octave_new();
    if (oct == NULL) return NULL;
    a->tab[s][e - a->base[s]] = oct;
    note_octave(a, s, e);
    return oct;
}

/* Put count values equal to x in the sketch: one value (stats_acc_add), or
 * a point mass that ends (count > 1). stats_acc_add_block finds a value's
 * bucket and updates it as this does, in two passes. */
static inline int add_mass(stats_acc *a, double x, uint64_t count) {
    if (x == 0) {
        a->zero += count;
        return 0;
    }
    /* The bit pattern of a double: bit 63 is the sign, bits 62..52 the
     * exponent, the next SKETCH_SUB_BITS the top of the mantissa -- for the
     * magnitude, monotone in the value. */
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    const unsigned s = (unsigned)(bits >> 63), e = (unsigned)(bits >> 52) & 0x7ffu;
    bucket *oct = octave_at(a, s, e);
    if (oct == NULL && (oct = octave_open(a, s, e)) == NULL) return -1;
    bucket *b = &oct[(bits >> (52 - SKETCH_SUB_BITS)) & (SKETCH_SUB - 1)];
    /* No test of whether the bucket is empty (an empty bucket's lo and hi
     * are the infinities: octave_clear), here and in stats_acc_add_block's
     * second pass. The bucket is a cache miss more often than not; a test
     * of its count went either way from value to value, and each wrong
     * guess threw away the loads of the values after it. The least and
     * greatest change rarely once a bucket holds a few values. Paired, 1.9%
     * faster on the default, 3.4% on Massachusetts. */
    b->lo = x < b->lo ? x : b->lo;
    b->hi = x > b->hi ? x : b->hi;
    b->count += count;
    b->sum += count == 1 ? x : (double)count * x;
    return 0;
}

static inline int add_one(stats_acc *a, double x);

int stats_acc_add(stats_acc *a, double x) { return add_one(a, x); }

/* Values a pass of stats_acc_add_block gathers before it adds them to
 * their buckets. */
#define ADD_BATCH 256

int stats_acc_add_block(stats_acc *a, const double *x, size_t n, size_t stride) {
    size_t k = 0;
    /* Until the first value, add_one sets the accumulator up. */
    while (k < n && a->n == 0) {
        if (add_one(a, x[k * stride]) != 0) return -1;
        k++;
    }
    /* The rest runs on local copies: the compiler cannot keep the fields
     * in registers, as x might alias them. */
    uint64_t nn = a->n, undefined = a->undefined, zero = a->zero;
    double shift = a->shift, s1 = a->s1, s2 = a->s2, lo = a->min, hi = a->max;
    int same = a->same, rc = 0;
    /* Two passes over each batch of values: the first adds them to the
     * moments and finds each one's bucket, the second adds them to their
     * buckets, in the same order (so each bucket's sum is the same to the
     * bit). The buckets are far apart in memory, each a cache miss more
     * often than not; the second pass is a loop of a few instructions, so
     * the processor has many of its misses in flight at once, where one
     * loop doing both had room for a handful. */
    bucket *where[ADD_BATCH];
    double what[ADD_BATCH];
    while (k < n) {
        const size_t end = n - k < ADD_BATCH ? n : k + ADD_BATCH;
        size_t m = 0;
        for (; k < end; k++) {
            /* The values are a column of the block's rows, one cache line
             * and often a page apart: the hardware's prefetcher does not
             * follow such a stride across pages (2% on Massachusetts). */
            if (k + 16 < n) __builtin_prefetch(x + (k + 16) * stride);
            const double v = x[k * stride];
            if (v != v) { /* NaN: an undefined value */
                undefined++;
                continue;
            }
            if (same) {
                if (v == shift) { /* d = 0: the sums, min and max are unchanged */
                    nn++;
                    continue;
                }
                /* The first different value: the point mass so far goes
                 * into the sketch (no value of this batch is waiting: all
                 * were the point's), then v is added as usual. */
                same = 0;
                a->zero = zero;
                rc |= add_mass(a, shift, nn);
                zero = a->zero;
            }
            nn++;
            const double d = v - shift;
            s1 += d;
            s2 += d * d;
            if (v < lo) lo = v;
            if (v > hi) hi = v;
            if (v == 0) {
                zero++;
                continue;
            }
            /* add_mass's bucket, found as it finds it. */
            uint64_t bits;
            memcpy(&bits, &v, sizeof bits);
            const unsigned s = (unsigned)(bits >> 63), e = (unsigned)(bits >> 52) & 0x7ffu;
            bucket *oct = octave_at(a, s, e);
            if (oct == NULL && (oct = octave_open(a, s, e)) == NULL) {
                rc = -1;
                continue;
            }
            where[m] = &oct[(bits >> (52 - SKETCH_SUB_BITS)) & (SKETCH_SUB - 1)];
            what[m++] = v;
        }
        for (size_t j = 0; j < m; j++) {
            bucket *b = where[j];
            const double v = what[j];
            b->lo = v < b->lo ? v : b->lo;
            b->hi = v > b->hi ? v : b->hi;
            b->count++;
            b->sum += v;
        }
    }
    a->n = nn;
    a->undefined = undefined;
    a->zero = zero;
    a->s1 = s1;
    a->s2 = s2;
    a->min = lo;
    a->max = hi;
    a->same = same;
    return rc ? -1 : 0;
}

static inline int add_one(stats_acc *a, double x) {
    if (isnan(x)) {
        a->undefined++;
        return 0;
    }
    /* Shifted sums: with K the first value, S1 = sum (x - K) and
     * S2 = sum (x - K)^2 give mean = K + S1 / n and
     * var = (S2 - S1^2 / n) / (n - 1). Shifting by a value of the data keeps
     * the cancellation of the textbook formula away (as Welford's
     * recurrence does) without a division per value: this runs for every
     * metric of every path, in the one serial part of a run. */
    if (a->n == 0) {
        a->n = 1;
        a->shift = a->min = a->max = x;
        return 0;
    }
    if (a->same) {
        if (x == a->shift) { /* d = 0: the sums, min and max are unchanged */
            a->n++;
            return 0;
        }
        /* The first different value: the point mass so far goes into the
         * sketch, then x is added as usual. */
        a->same = 0;
        if (add_mass(a, a->shift, a->n) != 0) return -1;
    }
    a->n++;
    double d = x - a->shift;
    a->s1 += d;
    a->s2 += d * d;
    if (x < a->min) a->min = x;
    if (x > a->max) a->max = x;

    return add_mass(a, x, 1);
}

int stats_acc_copy(stats_acc *dst, const stats_acc *src) {
    stats_acc_reset(dst);
    for (unsigned s = 0; s < 2; s++)
        for (int e = src->e_lo[s]; e <= src->e_hi[s]; e++) {
            const bucket *from = octave_at(src, s, (unsigned)e);
            if (from == NULL) continue;
            bucket *to = octave_at(dst, s, (unsigned)e);
            if (to == NULL && (to = octave_open(dst, s, (unsigned)e)) == NULL) {
                stats_acc_reset(dst);
                return -1;
            }
            memcpy(to, from, SKETCH_SUB * sizeof *to);
        }
    dst->n = src->n;
    dst->undefined = src->undefined;
    dst->zero = src->zero;
    dst->same = src->same;
    dst->shift = src->shift;
    dst->s1 = src->s1;
    dst->s2 = src->s2;
    dst->min = src->min;
    dst->max = src->max;
    return 0;
}

/* Visit the non-empty buckets in increasing order of value: negative
 * values from the largest magnitude down, then zeros, then positives. The
 * visitor returns non-zero to stop. */
typedef int (*visit_fn)(double count, double mean, void *ud);

static void walk(const stats_acc *a, visit_fn fn, void *ud) {
    if (a->same) {
        if (a->n) fn((double)a->n, a->shift, ud);
        return;
    }
    for (int e = a->e_hi[1]; e >= a->e_lo[1]; e--) {
        const bucket *oct = octave_at(a, 1, (unsigned)e);
        if (oct == NULL) continue;
        for (int s = (int)SKETCH_SUB - 1; s >= 0; s--)
            if (oct[s].count && fn((double)oct[s].count, bucket_value(&oct[s]), ud)) return;
    }
    if (a->zero && fn((double)a->zero, 0.0, ud)) return;
    for (int e = a->e_lo[0]; e <= a->e_hi[0]; e++) {
        const bucket *oct = octave_at(a, 0, (unsigned)e);
        if (oct == NULL) continue;
        for (unsigned s = 0; s < SKETCH_SUB; s++)
            if (oct[s].count && fn((double)oct[s].count, bucket_value(&oct[s]), ud)) return;
    }
}

/* As walk, in decreasing order of value. */
static void walk_down(const stats_acc *a, visit_fn fn, void *ud) {
    if (a->same) {
        if (a->n) fn((double)a->n, a->shift, ud);
        return;
    }
    for (int e = a->e_hi[0]; e >= a->e_lo[0]; e--) {
        const bucket *oct = octave_at(a, 0, (unsigned)e);
        if (oct == NULL) continue;
        for (int s = (int)SKETCH_SUB - 1; s >= 0; s--)
            if (oct[s].count && fn((double)oct[s].count, bucket_value(&oct[s]), ud)) return;
    }
    if (a->zero && fn((double)a->zero, 0.0, ud)) return;
    for (int e = a->e_lo[1]; e <= a->e_hi[1]; e++) {
        const bucket *oct = octave_at(a, 1, (unsigned)e);
        if (oct == NULL) continue;
        for (unsigned s = 0; s < SKETCH_SUB; s++)
            if (oct[s].count && fn((double)oct[s].count, bucket_value(&oct[s]), ud)) return;
    }
}

/* Find the value of order statistics k and k+1 (0-based). */
typedef struct {
    double k, seen, lo, hi;
    int have_lo;
} order_ud;

static int visit_order(double count, double mean, void *ud) {
    order_ud *o = ud;
    o->seen += count;
    if (!o->have_lo && o->seen > o->k) {
        o->lo = mean;
        o->have_lo = 1;
    }
    if (o->have_lo && o->seen > o->k + 1) {
        o->hi = mean;
        return 1;
    }
    return 0;
}

double stats_acc_quantile(const stats_acc *a, double q) {
    if (a->n == 0) return NAN;
    q = fmin(fmax(q, 0.0), 1.0);
    double h = q * (double)(a->n - 1), k = floor(h);
    order_ud o = {.k = k, .seen = 0, .lo = NAN, .hi = NAN, .have_lo = 0};
    walk(a, visit_order, &o);
    if (!o.have_lo) return a->max;
    if (isnan(o.hi)) o.hi = o.lo;
    /* Interpolation can round a hair outside the data: keep within [min, max]. */
    return fmin(fmax(o.lo + (h - k) * (o.hi - o.lo), a->min), a->max);
}

typedef struct {
    double want, taken, sum;
} tail_ud;

static int visit_tail(double count, double mean, void *ud) {
    tail_ud *t = ud;
    double take = fmin(count, t->want - t->taken);
    t->taken += take;
    t->sum += take * mean;
    return t->taken >= t->want;
}

double stats_acc_lower_tail_mean(const stats_acc *a, double q) {
    if (a->n == 0 || q <= 0) return NAN;
    tail_ud t = {.want = fmin(q, 1.0) * (double)a->n, .taken = 0, .sum = 0};
    walk(a, visit_tail, &t);
    /* sum / taken rounds: for one value x, 0.05 x / 0.05 can be x's
     * neighbour, outside [min, max] (a "worst 5%" above the greatest value). */
    return t.taken > 0 ? fmin(fmax(t.sum / t.taken, a->min), a->max) : NAN;
}

double stats_acc_upper_tail_mean(const stats_acc *a, double q) {
    if (a->n == 0 || q <= 0) return NAN;
    tail_ud t = {.want = fmin(q, 1.0) * (double)a->n, .taken = 0, .sum = 0};
    walk_down(a, visit_tail, &t);
    return t.taken > 0 ? fmin(fmax(t.sum / t.taken, a->min), a->max) : NAN; /* as above */
}

typedef struct {
    double x, below;
} below_ud;

static int visit_below(double count, double mean, void *ud) {
    below_ud *b = ud;
    if (mean >= b->x) return 1;
    b->below += count;
    return 0;
}

double stats_acc_share_below(const stats_acc *a, double x) {
    if (a->n == 0) return NAN;
    below_ud b = {.x = x, .below = 0};
    walk(a, visit_below, &b);
    return b.below / (double)a->n;
}

static int visit_hist(double count, double mean, void *ud) {
    gsl_histogram_accumulate(ud, mean, count);
    return 0;
}

void stats_acc_fill_histogram(const stats_acc *a, gsl_histogram *h) { walk(a, visit_hist, h); }

void stats_acc_summary(const stats_acc *a, stats_summary *s) {
    s->n = a->n;
    s->undefined = a->undefined;
    if (a->n == 0) {
        s->mean = s->sd = s->se = s->min = s->max = NAN;
        s->p05 = s->p25 = s->p50 = s->p75 = s->p95 = NAN;
        return;
    }
    double n = (double)a->n;
    s->mean = a->shift + a->s1 / n;
    double ss = a->s2 - a->s1 * a->s1 / n; /* sum of squared deviations */
    /* One value has no sample variance (0 / (n - 1) = 0 / 0): its sd and
     * se are NaN, undefined, never 0, which would claim certainty. */
    s->sd = a->n > 1 ? sqrt(fmax(ss, 0.0) / (n - 1)) : NAN;
    s->se = s->sd / sqrt((double)a->n);
    s->min = a->min;
    s->max = a->max;
    s->p05 = stats_acc_quantile(a, 0.05);
    s->p25 = stats_acc_quantile(a, 0.25);
    s->p50 = stats_acc_quantile(a, 0.50);
    s->p75 = stats_acc_quantile(a, 0.75);
    s->p95 = stats_acc_quantile(a, 0.95);
}

/* ------------------------------------------------------------ serialised */

/* Saved little-endian, whatever the machine's byte order (model/bytes.h). */
#define ACC_HEAD_WORDS 10 /* n, undefined, zero, same, shift, s1, s2, min, max, buckets */
#define ACC_BUCKET_WORDS 5

static uint64_t buckets_in_use(const stats_acc *a) {
    uint64_t k = 0;
    for (unsigned s = 0; s < 2; s++)
        for (int e = a->e_lo[s]; e <= a->e_hi[s]; e++) {
            const bucket *oct = octave_at(a, s, (unsigned)e);
            if (oct != NULL)
                for (unsigned b = 0; b < SKETCH_SUB; b++) k += oct[b].count != 0;
        }
    return k;
}

size_t stats_acc_saved_size(const stats_acc *a) {
    return 8 * (ACC_HEAD_WORDS + ACC_BUCKET_WORDS * (size_t)buckets_in_use(a));
}

void stats_acc_save(const stats_acc *a, unsigned char *buf) {
    unsigned char *p = buf;
    p = bytes_put_u64(p, a->n);
    p = bytes_put_u64(p, a->undefined);
    p = bytes_put_u64(p, a->zero);
    p = bytes_put_u64(p, (uint64_t)a->same);
    p = bytes_put_f64(p, a->shift);
    p = bytes_put_f64(p, a->s1);
    p = bytes_put_f64(p, a->s2);
    p = bytes_put_f64(p, a->min);
    p = bytes_put_f64(p, a->max);
    p = bytes_put_u64(p, buckets_in_use(a));
    for (unsigned s = 0; s < 2; s++)
        for (int e = a->e_lo[s]; e <= a->e_hi[s]; e++) {
            const bucket *oct = octave_at(a, s, (unsigned)e);
            if (oct == NULL) continue;
            for (unsigned b = 0; b < SKETCH_SUB; b++) {
                if (oct[b].count == 0) continue;
                p = bytes_put_u64(p, (uint64_t)s << 20 | (uint64_t)e << SKETCH_SUB_BITS | b);
                p = bytes_put_u64(p, oct[b].count);
                p = bytes_put_f64(p, oct[b].sum);
                p = bytes_put_f64(p, oct[b].lo);
                p = bytes_put_f64(p, oct[b].hi);
            }
        }
}

size_t stats_acc_load(stats_acc *a, const unsigned char *buf, size_t len) {
    stats_acc_reset(a);
    if (len < 8 * ACC_HEAD_WORDS) return 0;
    const unsigned char *p = buf;
    a->n = bytes_get_u64(p), p += 8;
    a->undefined = bytes_get_u64(p), p += 8;
    a->zero = bytes_get_u64(p), p += 8;
    uint64_t same = bytes_get_u64(p);
    p += 8;
    a->shift = bytes_get_f64(p), p += 8;
    a->s1 = bytes_get_f64(p), p += 8;
    a->s2 = bytes_get_f64(p), p += 8;
    a->min = bytes_get_f64(p), p += 8;
    a->max = bytes_get_f64(p), p += 8;
    uint64_t nb = bytes_get_u64(p);
    p += 8;
    if (same > 1 || nb > (len - 8 * ACC_HEAD_WORDS) / (8 * ACC_BUCKET_WORDS)) {
        stats_acc_reset(a);
        return 0;
    }
    a->same = (int)same;
    for (uint64_t i = 0; i < nb; i++, p += 8 * ACC_BUCKET_WORDS) {
        uint64_t key = bytes_get_u64(p);
        unsigned s = (unsigned)(key >> 20), e = (unsigned)(key >> SKETCH_SUB_BITS) & 0x7ffu,
                 b = (unsigned)key & (SKETCH_SUB - 1);
        if (s > 1 || (key >> 21) != 0) {
            stats_acc_reset(a);
            return 0;
        }
        bucket *oct = octave_at(a, s, e);
        if (oct == NULL && (oct = octave_open(a, s, e)) == NULL) {
            stats_acc_reset(a);
            return 0;
        }
        oct[b].count = bytes_get_u64(p + 8);
        oct[b].sum = bytes_get_f64(p + 16);
        oct[b].lo = bytes_get_f64(p + 24);
        oct[b].hi = bytes_get_f64(p + 32);
    }
    return (size_t)(p - buf);
}
