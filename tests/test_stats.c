/* test_stats.c -- the accumulator against GSL's exact statistics. */
#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

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
