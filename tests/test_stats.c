/* test_stats.c -- the accumulator against GSL's exact statistics. */
#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/stats.h"

Test(stats, moments_match_gsl_on_known_data) {
    stats_acc *a = stats_acc_new();
    double x[1000];
    for (int i = 0; i < 1000; i++) {
        x[i] = i + 1;
        stats_acc_add(a, x[i]);
    }
    stats_summary s;
    stats_acc_summary(a, &s);
    cr_assert_eq(s.n, 1000);
    cr_assert_float_eq(s.mean, 500.5, 1e-9);
    cr_assert_float_eq(s.sd, gsl_stats_sd(x, 1, 1000), 1e-9);
    cr_assert_float_eq(s.se, s.sd / sqrt(1000.0), 1e-12);
    cr_assert_float_eq(s.min, 1, 0);
    cr_assert_float_eq(s.max, 1000, 0);
    stats_acc_free(a);
}

Test(stats, undefined_values_are_counted_apart) {
    stats_acc *a = stats_acc_new();
    stats_acc_add(a, 1.0);
    stats_acc_add(a, NAN);
    stats_acc_add(a, 3.0);
    stats_summary s;
    stats_acc_summary(a, &s);
    cr_assert_eq(s.n, 2);
    cr_assert_eq(s.undefined, 1);
    cr_assert_float_eq(s.mean, 2.0, 1e-12);
    stats_acc_free(a);
}

Test(stats, empty_accumulator_reports_nan_not_garbage) {
    stats_acc *a = stats_acc_new();
    stats_summary s;
    stats_acc_summary(a, &s);
    cr_assert_eq(s.n, 0);
    cr_assert(isnan(s.mean) && isnan(s.p50) && isnan(s.se));
    stats_acc_free(a);
    stats_acc_free(NULL);
}

Test(stats, one_value_has_no_standard_deviation_or_error) {
    /* With one value the sample variance divides 0 by n - 1 = 0: undefined,
     * not a certainty. The mean and quantiles are the value itself. */
    stats_acc *a = stats_acc_new();
    stats_acc_add(a, 4.25);
    stats_summary s;
    stats_acc_summary(a, &s);
    cr_assert_eq(s.n, 1);
    cr_assert_float_eq(s.mean, 4.25, 0);
    cr_assert_float_eq(s.p50, 4.25, 0);
    cr_assert(isnan(s.sd), "sd of one value: %g, expected NaN", s.sd);
    cr_assert(isnan(s.se), "se of one value: %g, expected NaN", s.se);
    /* A second value makes them defined: 4.25 and 6.25, sd sqrt(2). */
    stats_acc_add(a, 6.25);
    stats_acc_summary(a, &s);
    cr_assert_float_eq(s.sd, sqrt(2.0), 1e-12);
    cr_assert_float_eq(s.se, 1.0, 1e-12);
    stats_acc_free(a);
}

Test(stats, quantiles_of_a_continuous_sample_are_within_bucket_resolution) {
    /* 100,000 draws of a normal with mean 2 and sd 3 (both signs): every
     * sketch quantile within 0.2% (relative) of GSL's exact quantile of the
     * sorted sample, the sketch's stated resolution. */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 42);
    const size_t n = 100000;
    double *x = malloc(n * sizeof *x);
    stats_acc *a = stats_acc_new();
    for (size_t i = 0; i < n; i++) {
        x[i] = 2 + gsl_ran_gaussian(r, 3);
        stats_acc_add(a, x[i]);
    }
    gsl_sort(x, 1, n);
    const double qs[] = {0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999};
    for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++) {
        double exact = gsl_stats_quantile_from_sorted_data(x, 1, n, qs[k]);
        double got = stats_acc_quantile(a, qs[k]);
        cr_assert(fabs(got - exact) <= 0.002 * fabs(exact) + 1e-12,
                  "q=%g: sketch %.9g, exact %.9g", qs[k], got, exact);
    }
    cr_assert_float_eq(stats_acc_quantile(a, 0), x[0], 1e-12);
    cr_assert_float_eq(stats_acc_quantile(a, 1), x[n - 1], 1e-12);
    free(x);
    stats_acc_free(a);
    gsl_rng_free(r);
}

Test(stats, point_masses_are_reported_exactly) {
    /* 30% total losses (multiple 0) and 70% capped at 1.54: the kind of
     * distribution payment triggers and caps create. */
    stats_acc *a = stats_acc_new();
    for (int i = 0; i < 300; i++) stats_acc_add(a, 0.0);
    for (int i = 0; i < 700; i++) stats_acc_add(a, 1.54);
    cr_assert_float_eq(stats_acc_quantile(a, 0.05), 0.0, 0);
    cr_assert_float_eq(stats_acc_quantile(a, 0.25), 0.0, 0);
    cr_assert_float_eq(stats_acc_quantile(a, 0.5), 1.54, 0);
    cr_assert_float_eq(stats_acc_quantile(a, 0.95), 1.54, 0);
    cr_assert_float_eq(stats_acc_share_below(a, 1.0), 0.3, 1e-12);
    stats_acc_free(a);
}

Test(stats, quantile_interpolates_between_order_statistics_as_gsl_does) {
    stats_acc *a = stats_acc_new();
    double x[] = {1, 2, 3, 4};
    for (int i = 0; i < 4; i++) stats_acc_add(a, x[i]);
    /* rank q (n - 1) = 0.5 * 3 = 1.5: halfway between 2 and 3. */
    cr_assert_float_eq(stats_acc_quantile(a, 0.5), gsl_stats_quantile_from_sorted_data(x, 1, 4, 0.5), 1e-12);
    cr_assert_float_eq(stats_acc_quantile(a, 0.1), gsl_stats_quantile_from_sorted_data(x, 1, 4, 0.1), 1e-12);
    stats_acc_free(a);
}

Test(stats, lower_tail_mean_is_the_mean_of_the_worst_share) {
    stats_acc *a = stats_acc_new();
    for (int i = 1; i <= 100; i++) stats_acc_add(a, i);
    cr_assert_float_eq(stats_acc_lower_tail_mean(a, 0.05), 3.0, 1e-12); /* (1+..+5)/5 */
    cr_assert_float_eq(stats_acc_lower_tail_mean(a, 1.0), 50.5, 1e-12);
    stats_acc_free(a);
}

Test(stats, histogram_holds_every_value_once) {
    stats_acc *a = stats_acc_new();
    /* 100 values in the middle 60% of each unit bin of [-5, 5). */
    for (int k = 0; k < 10; k++)
        for (int j = 0; j < 100; j++) stats_acc_add(a, -4.8 + k + j * 0.006);
    gsl_histogram *h = gsl_histogram_alloc(10);
    gsl_histogram_set_ranges_uniform(h, -5.0, 5.0);
    stats_acc_fill_histogram(a, h);
    cr_assert_float_eq(gsl_histogram_sum(h), 1000, 0);
    for (size_t k = 0; k < 10; k++) cr_assert_float_eq(gsl_histogram_get(h, k), 100, 0);
    gsl_histogram_free(h);
    stats_acc_free(a);
}

Test(stats, reset_forgets_everything) {
    stats_acc *a = stats_acc_new();
    stats_acc_add(a, 5);
    stats_acc_reset(a);
    stats_acc_add(a, 7);
    stats_summary s;
    stats_acc_summary(a, &s);
    cr_assert_eq(s.n, 1);
    cr_assert_float_eq(s.p50, 7, 0);
    cr_assert_float_eq(s.min, 7, 0);
    stats_acc_free(a);
}

Test(stats, upper_tail_mean_is_the_mean_of_the_highest_share) {
    stats_acc *a = stats_acc_new();
    for (int i = 1; i <= 100; i++) stats_acc_add(a, i);
    /* The highest 5 of 1..100: (96 + 97 + 98 + 99 + 100) / 5 = 98. */
    cr_assert_float_eq(stats_acc_upper_tail_mean(a, 0.05), 98.0, 1e-12);
    /* 2.5 values: 100, 99 and half of 98: (100 + 99 + 0.5 x 98) / 2.5 = 99.2
     * (each integer has a bucket of its own: they are 0.125 wide here). */
    cr_assert_float_eq(stats_acc_upper_tail_mean(a, 0.025), 99.2, 1e-12);
    cr_assert_float_eq(stats_acc_upper_tail_mean(a, 1.0), 50.5, 1e-12);
    cr_assert(isnan(stats_acc_upper_tail_mean(a, 0)));
    stats_acc_free(a);
}

Test(stats, upper_tail_mean_walks_down_through_zero_and_negative_values) {
    /* -100 .. -1, then 0: the highest 3 are 0, -1, -2: mean -1. The highest
     * 5% of -100 .. -1 alone is -(1 + 2 + 3 + 4 + 5) / 5 = -3. */
    stats_acc *a = stats_acc_new();
    for (int i = -100; i <= -1; i++) stats_acc_add(a, i);
    cr_assert_float_eq(stats_acc_upper_tail_mean(a, 0.05), -3.0, 1e-12);
    cr_assert_float_eq(stats_acc_lower_tail_mean(a, 0.05), -98.0, 1e-12);
    stats_acc_add(a, 0);
    cr_assert_float_eq(stats_acc_upper_tail_mean(a, 3.0 / 101), -1.0, 1e-12);
    stats_acc_free(a);
}

static void assert_summary(const stats_summary *s, uint64_t n, double mean, double sd, double min,
                           double max, double p05, double p50, double p95) {
    cr_assert_eq(s->n, n);
    cr_assert_float_eq(s->mean, mean, 1e-12, "mean %.15g vs %.15g", s->mean, mean);
    if (isnan(sd)) { /* fewer than two values: no sd, no se */
        cr_assert(isnan(s->sd) && isnan(s->se), "sd %.15g, se %.15g, expected NaN", s->sd, s->se);
    } else {
        cr_assert_float_eq(s->sd, sd, 1e-12, "sd %.15g vs %.15g", s->sd, sd);
        cr_assert_float_eq(s->se, sd / sqrt((double)n), 1e-12);
    }
    cr_assert_float_eq(s->min, min, 0);
    cr_assert_float_eq(s->max, max, 0);
    cr_assert_float_eq(s->p05, p05, 1e-12, "p05 %.15g vs %.15g", s->p05, p05);
    cr_assert_float_eq(s->p50, p50, 1e-12, "p50 %.15g vs %.15g", s->p50, p50);
    cr_assert_float_eq(s->p95, p95, 1e-12, "p95 %.15g vs %.15g", s->p95, p95);
}

Test(stats, a_constant_stream_is_a_point_mass) {
    /* Four values of 2.5: mean 2.5, sd 0, every quantile and tail 2.5. */
    stats_acc *a = stats_acc_new();
    for (int i = 0; i < 4; i++) stats_acc_add(a, 2.5);
    stats_summary s;
    stats_acc_summary(a, &s);
    assert_summary(&s, 4, 2.5, 0, 2.5, 2.5, 2.5, 2.5, 2.5);
    cr_assert_float_eq(stats_acc_upper_tail_mean(a, 0.05), 2.5, 0);
    cr_assert_float_eq(stats_acc_lower_tail_mean(a, 0.05), 2.5, 0);
    cr_assert_float_eq(stats_acc_share_below(a, 2.5), 0, 0);
    cr_assert_float_eq(stats_acc_share_below(a, 3), 1, 0);
    gsl_histogram *h = gsl_histogram_alloc(2);
    gsl_histogram_set_ranges_uniform(h, 0.0, 5.0);
    stats_acc_fill_histogram(a, h);
    cr_assert_float_eq(gsl_histogram_get(h, 0), 0, 0);
    cr_assert_float_eq(gsl_histogram_get(h, 1), 4, 0);
    gsl_histogram_free(h);
    stats_acc_free(a);
}

Test(stats, constant_values_then_a_different_one_give_the_right_summary) {
    /* 3, 3, 3, 3, 3, 7: mean 22 / 6 = 3.6667; squared deviations
     * 5 x (2/3)^2 + (10/3)^2 = 20/9 + 100/9 = 40/3, sd sqrt(40/3 / 5) =
     * sqrt(8/3) = 1.63299. Quantiles at rank q x 5: p05 at 0.25 and p50 at
     * 2.5 fall among the 3s; p95 at 4.75 is 3 + 0.75 x (7 - 3) = 6. */
    stats_acc *a = stats_acc_new();
    for (int i = 0; i < 5; i++) stats_acc_add(a, 3);
    stats_acc_add(a, 7);
    stats_summary s;
    stats_acc_summary(a, &s);
    assert_summary(&s, 6, 22.0 / 6, sqrt(8.0 / 3), 3, 7, 3, 3, 6);
    /* The highest 1/6 is the 7; the lowest half, 3. */
    cr_assert_float_eq(stats_acc_upper_tail_mean(a, 1.0 / 6), 7, 1e-12);
    cr_assert_float_eq(stats_acc_lower_tail_mean(a, 0.5), 3, 1e-12);
    cr_assert_float_eq(stats_acc_share_below(a, 5), 5.0 / 6, 1e-12);
    /* The other order (the different value first) gives the same. */
    stats_acc *b = stats_acc_new();
    stats_acc_add(b, 7);
    for (int i = 0; i < 5; i++) stats_acc_add(b, 3);
    stats_acc_summary(b, &s);
    assert_summary(&s, 6, 22.0 / 6, sqrt(8.0 / 3), 3, 7, 3, 3, 6);
    stats_acc_free(a);
    stats_acc_free(b);
}

Test(stats, a_point_mass_at_zero_or_below_zero_keeps_its_place) {
    /* 0, 0, 0, 1: p95 at rank 2.85 is 0.85; mean 0.25; the zeros are below
     * 0.5. Then -2, -2, -2, 4: mean -0.5, sd sqrt(3 x 1.5^2 + 4.5^2) / sqrt(3)
     * = sqrt(27 / 3) = 3; p50 at rank 1.5: -2; p95 at 2.85: -2 + 0.85 x 6 =
     * 3.1. */
    stats_acc *a = stats_acc_new();
    for (int i = 0; i < 3; i++) stats_acc_add(a, 0);
    stats_acc_add(a, 1);
    stats_summary s;
    stats_acc_summary(a, &s);
    assert_summary(&s, 4, 0.25, 0.5, 0, 1, 0, 0, 0.85);
    cr_assert_float_eq(stats_acc_share_below(a, 0.5), 0.75, 0);
    stats_acc *b = stats_acc_new();
    for (int i = 0; i < 3; i++) stats_acc_add(b, -2);
    stats_acc_add(b, 4);
    stats_acc_summary(b, &s);
    assert_summary(&s, 4, -0.5, 3, -2, 4, -2, -2, 3.1);
    cr_assert_float_eq(stats_acc_upper_tail_mean(b, 0.5), (4 - 2) / 2.0, 1e-12);
    stats_acc_free(a);
    stats_acc_free(b);
}

Test(stats, undefined_values_do_not_break_a_point_mass) {
    stats_acc *a = stats_acc_new();
    stats_acc_add(a, NAN);
    stats_acc_add(a, 5);
    stats_acc_add(a, NAN);
    stats_acc_add(a, 5);
    stats_summary s;
    stats_acc_summary(a, &s);
    cr_assert_eq(s.undefined, 2);
    assert_summary(&s, 2, 5, 0, 5, 5, 5, 5, 5);
    stats_acc_free(a);
}

Test(stats, reset_forgets_a_sketch_and_a_point_mass) {
    /* 1 .. 10 fill the sketch; after a reset, 5, 5, 5 are a point mass with
     * nothing left of them; a 9 then gives p95 at rank 2.85: 5 + 0.85 x 4 =
     * 8.4, and the minimum is 5, not the 1 of before. */
    stats_acc *a = stats_acc_new();
    for (int i = 1; i <= 10; i++) stats_acc_add(a, i);
    stats_acc_reset(a);
    for (int i = 0; i < 3; i++) stats_acc_add(a, 5);
    stats_summary s;
    stats_acc_summary(a, &s);
    assert_summary(&s, 3, 5, 0, 5, 5, 5, 5, 5);
    stats_acc_add(a, 9);
    stats_acc_summary(a, &s);
    /* mean 6; deviations -1 x 3 and 3: sd sqrt(12 / 3) = 2. */
    assert_summary(&s, 4, 6, 2, 5, 9, 5, 5, 8.4);
    cr_assert_float_eq(stats_acc_quantile(a, 0), 5, 0);
    cr_assert_float_eq(stats_acc_lower_tail_mean(a, 0.25), 5, 1e-12);
    /* And a reset after a point mass, then a single other value (one
     * value: no sd). */
    stats_acc_reset(a);
    stats_acc_add(a, -1);
    stats_acc_summary(a, &s);
    assert_summary(&s, 1, -1, NAN, -1, -1, -1, -1, -1);
    cr_assert_eq(s.undefined, 0);
    stats_acc_free(a);
}

Test(stats, a_point_mass_in_the_sketch_is_exact_in_a_new_or_reset_accumulator) {
    /* 0.7 three times sums to 2.0999999999999996, whose third is
     * 0.6999999999999998: a bucket read as its mean would be 2 ulp low, so
     * the bucket's own least and greatest value (both 0.7) must give it.
     * An empty bucket's bounds must hold nothing (no 0 left by a cleared
     * octave, nothing of values added before a reset). With 0.1 below and
     * 5 above, the median is the middle 0.7 itself, neither the least nor
     * the greatest value (to which a quantile is clamped). Round 0 on a new
     * accumulator; round 1 after 0.1 .. 1.0 filled the same octave and a
     * reset emptied it. */
    stats_acc *a = stats_acc_new();
    for (int round = 0; round < 2; round++) {
        if (round == 1) {
            for (int i = 1; i <= 10; i++) stats_acc_add(a, 0.1 * i);
            stats_acc_reset(a);
        }
        stats_acc_add(a, 0.1);
        for (int i = 0; i < 3; i++) stats_acc_add(a, 0.7);
        stats_acc_add(a, 5);
        cr_assert_eq(stats_acc_quantile(a, 0.5), 0.7, "round %d: %.17g", round,
                     stats_acc_quantile(a, 0.5));
        stats_acc_reset(a);
    }
    stats_acc_free(a);
}

/* stats_acc_add_block is stats_acc_add n times, to the bit: the engine
 * commits a block of paths metric by metric through it, and a run must not
 * depend on how its paths were grouped. The stream mixes what metrics
 * produce: a leading run of one value (a constant until it is not), zeros,
 * undefined values, repeated values (caps, indicators), negative values and
 * magnitudes that open new octaves in the middle of a block. Both
 * accumulators are compared through their saved bytes, which hold every
 * field and bucket. */
Test(stats, adding_a_block_is_adding_its_values_one_by_one_to_the_bit) {
    enum { N = 6000, STRIDE = 3 };
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 42);
    double *x = calloc(N * STRIDE, sizeof *x);
    for (size_t i = 0; i < N; i++) {
        double u = gsl_rng_uniform(r), v;
        if (i < 300)
            v = 2.5; /* the leading point mass */
        else if (u < 0.15)
            v = 0;
        else if (u < 0.20)
            v = NAN;
        else if (u < 0.35)
            v = 1;
        else if (u < 0.45)
            v = -gsl_ran_exponential(r, 3e5);
        else if (u < 0.50)
            v = gsl_ran_gaussian(r, 1.0) * pow(10, (double)(i % 40) - 20);
        else
            v = 1e6 * gsl_ran_lognormal(r, 0, 0.8);
        x[i * STRIDE] = v;
        x[i * STRIDE + 1] = -1; /* another metric's column: never read */
    }
    stats_acc *one = stats_acc_new();
    for (size_t i = 0; i < N; i++) cr_assert_eq(stats_acc_add(one, x[i * STRIDE]), 0);
    size_t n1 = stats_acc_saved_size(one);
    unsigned char *b1 = malloc(n1);
    stats_acc_save(one, b1);
    /* Blocks of uneven sizes: the first layout's first block is one value
     * and the point mass ends at a block's start; in the second it ends
     * inside a block, between the batches a block is added in (256 values
     * at a time: a value before the end waits in a batch). */
    const size_t layouts[2][9] = {{1, 299, 2, 1024, 7, 1024, 1000, 1643, 1000},
                                  {1, 1023, 1024, 1024, 1024, 1024, 880, 0, 0}};
    for (size_t l = 0; l < 2; l++) {
        stats_acc *block = stats_acc_new();
        size_t at = 0;
        for (size_t k = 0; k < 9; k++) {
            cr_assert_eq(stats_acc_add_block(block, x + at * STRIDE, layouts[l][k], STRIDE), 0);
            at += layouts[l][k];
        }
        cr_assert_eq(at, N);
        size_t n2 = stats_acc_saved_size(block);
        cr_assert_eq(n1, n2, "layout %zu: saved sizes %zu and %zu", l, n1, n2);
        unsigned char *b2 = malloc(n2);
        stats_acc_save(block, b2);
        cr_assert_eq(memcmp(b1, b2, n1), 0, "layout %zu: the accumulators differ", l);
        free(b2);
        stats_acc_free(block);
    }
    free(b1);
    free(x);
    stats_acc_free(one);
    gsl_rng_free(r);
}

/* The octaves of a freed accumulator serve the next one, cleared: what it
 * reports is its own values only. A's thousands of values fill the octaves
 * of [1, 16); freed, they go to B, which holds 3 and 5 alone. */
Test(stats, an_accumulator_reusing_freed_octaves_sees_only_its_own_values) {
    stats_acc *a = stats_acc_new();
    for (int i = 0; i < 5000; i++) stats_acc_add(a, 1 + 15.0 * i / 5000);
    stats_acc_free(a);
    stats_acc *b = stats_acc_new();
    stats_acc_add(b, 3);
    stats_acc_add(b, 5);
    stats_summary s;
    stats_acc_summary(b, &s);
    cr_assert_eq(s.n, 2);
    cr_assert_eq(stats_acc_quantile(b, 0), 3);
    cr_assert_eq(stats_acc_quantile(b, 1), 5);
    cr_assert_eq(stats_acc_share_below(b, 4), 0.5);
    gsl_histogram *h = gsl_histogram_alloc(15);
    gsl_histogram_set_ranges_uniform(h, 1, 16);
    stats_acc_fill_histogram(b, h);
    cr_assert_eq(gsl_histogram_sum(h), 2);
    gsl_histogram_free(h);
    stats_acc_free(b);
}

/* Every value in an octave of its own and a bucket of its own: the sketch
 * then holds each exactly, and a quantile is GSL's on the sorted values. */
static void assert_exact_quantiles(const stats_acc *a, const double *sorted, size_t n) {
    for (int i = 0; i <= 20; i++) {
        double q = i / 20.0;
        double want = gsl_stats_quantile_from_sorted_data(sorted, 1, n, q);
        double got = stats_acc_quantile(a, q);
        cr_assert(got == want || fabs(got - want) <= 1e-15 * fabs(want), "q %g: %.17g, expected %.17g",
                  q, got, want);
    }
}

Test(stats, values_across_every_octave_outgrow_the_window_and_keep_their_order) {
    /* An accumulator first holds the octaves near its first value's (a
     * window of 64 exponents a sign) and a table of every exponent once a
     * value falls outside. Values 2^k and -2^k for k from -1000 to 1000 by
     * 7, in a shuffled order that starts at 1 (so the window is centred
     * there): both signs outgrow their window at once. */
    double v[2 * 287];
    size_t n = 0;
    for (int k = -1000; k <= 1000; k += 7) {
        v[n++] = ldexp(1.0, k);
        v[n++] = -ldexp(1.5, k);
    }
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    gsl_ran_shuffle(r, v, n, sizeof *v);
    gsl_rng_free(r);
    for (size_t i = 0; i < n; i++)
        if (v[i] == 1.0) {
            v[i] = v[0];
            v[0] = 1.0;
        }
    stats_acc *one = stats_acc_new(), *block = stats_acc_new(), *copy = stats_acc_new(),
              *loaded = stats_acc_new();
    for (size_t i = 0; i < n; i++) stats_acc_add(one, v[i]);
    cr_assert_eq(stats_acc_add_block(block, v, n, 1), 0);
    cr_assert_eq(stats_acc_copy(copy, one), 0);
    size_t bytes = stats_acc_saved_size(one);
    unsigned char *buf = malloc(bytes);
    stats_acc_save(one, buf);
    cr_assert_eq(stats_acc_load(loaded, buf, bytes), bytes);
    free(buf);
    double sorted[2 * 287];
    memcpy(sorted, v, n * sizeof *v);
    gsl_sort(sorted, 1, n);
    const stats_acc *all[] = {one, block, copy, loaded};
    for (int j = 0; j < 4; j++) {
        assert_exact_quantiles(all[j], sorted, n);
        cr_assert_eq(stats_acc_share_below(all[j], 0), 0.5);
    }
    /* Reset keeps the octave tables; what is added next is all it holds. */
    stats_acc_reset(one);
    stats_acc_add(one, ldexp(1.0, -900));
    stats_acc_add(one, -ldexp(1.0, 900));
    cr_assert_eq(stats_acc_quantile(one, 0), -ldexp(1.0, 900));
    cr_assert_eq(stats_acc_quantile(one, 1), ldexp(1.0, -900));
    for (int j = 0; j < 4; j++) stats_acc_free((stats_acc *)all[j]);
}

/* The mean of a tail is never outside the values: for one value x it is
 * x (it was 0.05 x / 0.05, which rounds to x's neighbour for some x:
 * `run` of one future reported a "worst 5%" above the greatest value).
 * Over 10,000 values x, each alone, and each with a second value. */
Test(stats, a_tail_mean_lies_within_the_values) {
    stats_acc *a = stats_acc_new();
    cr_assert_not_null(a);
    double x = 26148650.002024263; /* run's payments.pv of the regional template, one future */
    for (int i = 0; i < 10000; i++, x = x * 1.000173 + 0.37) {
        for (int two = 0; two < 2; two++) {
            stats_acc_reset(a);
            cr_assert_eq(stats_acc_add(a, x), 0);
            if (two) cr_assert_eq(stats_acc_add(a, x * 1.5), 0);
            stats_summary s;
            stats_acc_summary(a, &s);
            const double qs[] = {0.05, 0.3, 1};
            for (int k = 0; k < 3; k++) {
                double lo = stats_acc_lower_tail_mean(a, qs[k]),
                       hi = stats_acc_upper_tail_mean(a, qs[k]);
                cr_assert(lo >= s.min && lo <= s.max,
                          "lower %g-tail mean %.17g outside [%.17g, %.17g]", qs[k], lo, s.min,
                          s.max);
                cr_assert(hi >= s.min && hi <= s.max,
                          "upper %g-tail mean %.17g outside [%.17g, %.17g]", qs[k], hi, s.min,
                          s.max);
            }
            if (!two) cr_assert_eq(stats_acc_lower_tail_mean(a, 0.05), x);
        }
    }
    stats_acc_free(a);
}
