/* stats.h -- a fixed-memory accumulator for one metric over many paths.
 *
 * Every metric of a run (an investor's IRR, the commissioner's payments, ...)
 * is fed one value per simulated path. The accumulator keeps:
 *   - count, and the sums S1 = sum (x - K), S2 = sum (x - K)^2 shifted by
 *     K, the first value: mean = K + S1 / n, sd = sqrt((S2 - S1^2/n) / (n-1)),
 *     standard error of the mean sd / sqrt(n) (shifting by a data value
 *     avoids the cancellation of the unshifted formula);
 *   - minimum and maximum;
 *   - the number of paths where the metric is undefined (NaN), e.g. an IRR
 *     with no sign change, kept apart rather than mixed in;
 *   - a log-linear histogram ("sketch") from which quantiles, tail means and
 *     display histograms are read.
 *
 * Why the sketch is hand-written: exact quantiles need every value (memory
 * growing with the paths), and GSL's streaming quantile (gsl_rstat_quantile,
 * the P^2 algorithm) tracks one quantile per workspace and is biased around
 * the point masses that payment triggers and caps create. The sketch buckets
 * each value by its IEEE-754 exponent and top SKETCH_SUB_BITS mantissa bits,
 * so a bucket spans at most 2^-9 (0.2%) of its value; each bucket keeps its
 * count, sum, least and greatest value, and a quantile is read as the mean
 * of its bucket, which is exact for point masses (every value in the bucket
 * equal: payment caps, total losses). Buckets are allocated one octave at a
 * time, as values arrive: a metric spanning ten octaves costs about 160 KB
 * whatever the number of paths.
 *
 * Determinism: results depend on the order values are added; the engine adds
 * them in path order, so a run is bit-identical whatever the thread count.
 */
#ifndef SIB_STATS_H
#define SIB_STATS_H

#include <gsl/gsl_histogram.h>
#include <stddef.h>
#include <stdint.h>

typedef struct stats_acc stats_acc;

/* What a front end reports for a metric: a plain value snapshot. */
typedef struct stats_summary {
    uint64_t n;         /* paths where the metric is defined */
    uint64_t undefined; /* paths where it is not (NaN) */
    double mean, sd, se; /* se = sd / sqrt(n); both NaN when n < 2 */
    double min, max;
    double p05, p25, p50, p75, p95;
} stats_summary;

/* Allocate an empty accumulator; NULL when out of memory. */
stats_acc *stats_acc_new(void);

/* Free an accumulator. NULL is a no-op. */
void stats_acc_free(stats_acc *a);

/* Forget every value. */
void stats_acc_reset(stats_acc *a);

/* Add one value; NaN counts as undefined. Returns 0, or -1 when a bucket
 * could not be allocated (the value is then counted in the moments only). */
int stats_acc_add(stats_acc *a, double x);

/* Add n values x[0], x[stride], x[2 stride], ... in that order: the same
 * as n calls of stats_acc_add, faster (the accumulator stays in cache while
 * a block of paths is committed metric by metric). Returns 0, or -1 when a
 * bucket could not be allocated. */
int stats_acc_add_block(stats_acc *a, const double *x, size_t n, size_t stride);

/* Make dst hold what src holds: the same values in the same order, to the
 * bit (its saved form, stats_acc_save, is then src's). Returns 0, or -1
 * when a bucket could not be allocated (dst is then empty). */
int stats_acc_copy(stats_acc *dst, const stats_acc *src);

/* Fill s with the summary of the values so far. With no defined value the
 * moments and quantiles are NaN; with one, sd and se are NaN (a sample
 * variance needs two values) and the rest is that value. */
void stats_acc_summary(const stats_acc *a, stats_summary *s);

/* The q-quantile (0 <= q <= 1) of the defined values, interpolated between
 * order statistics at rank q (n - 1) as gsl_stats_quantile_from_sorted_data
 * does, each order statistic read as the mean of its bucket. NaN when empty. */
double stats_acc_quantile(const stats_acc *a, double q);

/* Mean of the lowest share q of the values (0 < q <= 1), e.g. q = 0.05 for
 * the lower-tail CVaR of a money multiple. The bucket straddling the cut
 * contributes pro rata. NaN when empty. */
double stats_acc_lower_tail_mean(const stats_acc *a, double q);

/* Mean of the highest share q of the values, e.g. q = 0.05 for the mean of
 * the costliest 5% of futures. The bucket straddling the cut contributes
 * pro rata. NaN when empty. */
double stats_acc_upper_tail_mean(const stats_acc *a, double q);

/* Share of defined values strictly below x (bucket resolution: values in
 * x's own bucket count by whether the bucket's mean is below x). */
double stats_acc_share_below(const stats_acc *a, double x);

/* Accumulate the sketch into h (a GSL histogram the caller allocated with
 * its ranges set): each bucket's count is added at the bucket's mean.
 * Values outside h's range are dropped by GSL, as gsl_histogram_accumulate
 * does. */
void stats_acc_fill_histogram(const stats_acc *a, gsl_histogram *h);

/* The serialised form of an accumulator, for checkpoints and for merging
 * the runs of several processes (docs/cluster.md): every field and every
 * non-empty bucket, little-endian, doubles as their IEEE-754 bits, so that
 * an accumulator loaded is the one saved, to the bit.
 *   u64 n, undefined, zero, same; f64 shift, s1, s2, min, max;
 *   u64 buckets; then per bucket: u64 key (sign << 20 | exponent << 9 |
 *   sub-bucket), u64 count, f64 sum, lo, hi.
 * stats_acc_saved_size is the number of bytes stats_acc_save writes. */
size_t stats_acc_saved_size(const stats_acc *a);
void stats_acc_save(const stats_acc *a, unsigned char *buf);

/* Replace a's content by the accumulator saved in buf (len bytes available).
 * Returns the bytes read, or 0 when buf does not hold a valid accumulator
 * (a is then empty) or a bucket cannot be allocated. */
size_t stats_acc_load(stats_acc *a, const unsigned char *buf, size_t len);

#endif
