/* test_sample.c -- the engine's samplers against GSL's distributions. */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>

#include "../sim/sample.h"

/* Pearson's chi-square of n Poisson(mu) draws against the exact pmf, over
 * the integers within 4 sd of mu (tails pooled into the end cells); returns
 * the p-value. */
static double poisson_chi2_p(double mu, int n, unsigned long seed) {
    gsl_set_error_handler_off();
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    int lo = (int)fmax(0, floor(mu - 4 * sqrt(mu))), hi = (int)ceil(mu + 4 * sqrt(mu));
    int cells = hi - lo + 1;
    double *obs = calloc((size_t)cells, sizeof *obs);
    for (int i = 0; i < n; i++) {
        double k = sample_poisson(r, mu);
        int c = (int)k - lo;
        obs[c < 0 ? 0 : c >= cells ? cells - 1 : c] += 1;
    }
    double chi2 = 0;
    for (int c = 0; c < cells; c++) {
        unsigned k = (unsigned)(lo + c);
        double p = gsl_ran_poisson_pdf(k, mu);
        if (c == 0) p = gsl_cdf_poisson_P(k, mu);
        if (c == cells - 1) p = gsl_cdf_poisson_Q(k - 1, mu);
        double e = p * n;
        chi2 += (obs[c] - e) * (obs[c] - e) / e;
    }
    free(obs);
    gsl_rng_free(r);
    return gsl_cdf_chisq_Q(chi2, cells - 1);
}

Test(sample, poisson_small_mean_follows_the_pmf) {
    cr_assert(poisson_chi2_p(3.7, 200000, 1) > 0.001);
}

Test(sample, poisson_large_means_follow_the_pmf) {
    /* The transformed-rejection sampler, at the means a cohort produces. */
    const double mus[] = {10, 37.5, 1550, 15500};
    for (size_t i = 0; i < sizeof mus / sizeof mus[0]; i++) {
        double p = poisson_chi2_p(mus[i], 400000, 100 + i);
        cr_assert(p > 0.001, "mu = %g: chi-square p-value %.2g", mus[i], p);
    }
}

Test(sample, poisson_mean_and_variance_are_mu_within_4_se) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 9);
    const int n = 200000;
    const double mu = 1550;
    double s = 0, ss = 0;
    for (int i = 0; i < n; i++) {
        double k = sample_poisson(r, mu);
        s += k;
        ss += k * k;
    }
    double mean = s / n, var = (ss - n * mean * mean) / (n - 1);
    cr_assert(fabs(mean - mu) < 4 * sqrt(mu / n), "mean %.3f", mean);
    /* Var of the sample variance of a Poisson: (mu + 2 mu^2 (n/(n-1))) / n. */
    cr_assert(fabs(var - mu) < 4 * sqrt((mu + 2 * mu * mu) / n), "variance %.3f", var);
    gsl_rng_free(r);
}

Test(sample, binomial_edges_are_exact) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    cr_assert_float_eq(sample_binomial(r, 0.0, 100), 0, 0);
    cr_assert_float_eq(sample_binomial(r, 1.0, 100), 100, 0);
    cr_assert_float_eq(sample_binomial(r, 0.3, 0), 0, 0);
    cr_assert_float_eq(sample_poisson(r, 0), 0, 0);
    gsl_rng_free(r);
}

Test(sample, priors_are_clamped_to_their_bounds) {
    prior p = {.kind = PRIOR_NORMAL, .a = 0, .b = 10, .lo = -1, .hi = 1};
    cr_assert_float_eq(sample_prior_quantile(&p, 0.01), -1, 0);
    cr_assert_float_eq(sample_prior_quantile(&p, 0.99), 1, 0);
    /* Inside the bounds: the normal quantile, 10 x 0.0627 = 0.627 at 52.5%. */
    cr_assert_float_eq(sample_prior_quantile(&p, 0.525), 10 * 0.0627067, 1e-5);
    prior f = {.kind = PRIOR_FIXED, .a = 0.084, .lo = -HUGE_VAL, .hi = HUGE_VAL};
    cr_assert_float_eq(sample_prior_quantile(&f, 0.3), 0.084, 0);
}

Test(sample, triangular_prior_has_the_mean_of_its_three_points) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 3);
    prior p = {.kind = PRIOR_TRIANGULAR, .a = 0, .b = 0.1, .c = 0.5, .lo = -HUGE_VAL, .hi = HUGE_VAL};
    const int n = 100000;
    double s = 0;
    for (int i = 0; i < n; i++) s += sample_prior_quantile(&p, gsl_rng_uniform_pos(r));
    /* mean (a+b+c)/3 = 0.2; variance (a2+b2+c2-ab-ac-bc)/18 = 0.21/18. */
    cr_assert(fabs(s / n - prior_mean(&p)) < 4 * sqrt(0.21 / 18 / n));
    gsl_rng_free(r);
}

Test(sample, block_seeds_differ_for_neighbouring_blocks_and_seeds) {
    cr_assert_neq(sample_block_seed(1, 0), sample_block_seed(1, 1));
    cr_assert_neq(sample_block_seed(1, 0), sample_block_seed(2, 0));
    cr_assert_eq(sample_block_seed(5, 7), sample_block_seed(5, 7));
    cr_assert_not_null(sample_rng_type("mt19937"));
    cr_assert_null(sample_rng_type("no-such-generator"));
}

Test(sample, log_factorial_is_gsl_lngamma_to_double_precision) {
    /* Against GSL's lgamma(k + 1), on both sides of the switch at k = 20
     * and far out: within a few units in the last place (1e-15 relative). */
    for (double k = 0; k < 2e7; k = k < 100 ? k + 1 : floor(k * 1.37)) {
        double want = gsl_sf_lngamma(k + 1), got = sample_log_factorial(k);
        cr_assert_float_eq(got, want, 1e-15 * fabs(want) + 1e-300, "k = %g: %.17g vs %.17g", k, got,
                           want);
    }
}

/* Found by fuzz_engine (a volume prior far beyond any programme): GSL's
 * binomial takes an unsigned int of trials, and a cohort of 2.97e37
 * people was converted to one -- undefined behaviour, which on x86-64
 * drew from a count reduced modulo 2^32. Any count is now drawn, with the
 * binomial's mean and spread. */
Test(sample, binomial_of_more_people_than_an_unsigned_int_holds_has_the_right_mean) {
    gsl_set_error_handler_off();
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 11);
    const double n = 3e10, p = 0.3, sd = sqrt(n * p * (1 - p));
    const int draws = 400;
    double s = 0;
    for (int i = 0; i < draws; i++) {
        double k = sample_binomial(r, p, n);
        cr_assert(k >= 0 && k <= n && k == floor(k), "draw %.17g of %g trials", k, n);
        s += k;
    }
    cr_assert(fabs(s / draws - n * p) < 5 * sd / sqrt(draws), "mean %.17g, expected %g",
              s / draws, n * p);
    /* A rare event among very many: the mean is n p = 100. */
    s = 0;
    for (int i = 0; i < draws; i++) s += sample_binomial(r, 1e-10, 1e12);
    cr_assert(fabs(s / draws - 100) < 5 * 10 / sqrt(draws), "mean %.17g, expected 100", s / draws);
    /* The fuzzer's count, and the complement side (p > 1/2). */
    double big = 2.96684e37, k = sample_binomial(r, 0.75, big);
    cr_assert(k >= 0 && k <= big && fabs(k - 0.75 * big) < 10 * sqrt(big * 0.75 * 0.25));
    gsl_rng_free(r);
}

/* GSL's binomial never returns when the probability is NaN: an undefined
 * probability or count is an undefined draw, at once. */
Test(sample, binomial_of_an_undefined_probability_or_count_is_undefined, .timeout = 10) {
    gsl_set_error_handler_off();
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    cr_assert(isnan(sample_binomial(r, NAN, 100)));
    cr_assert(isnan(sample_binomial(r, 0.5, NAN)));
    cr_assert(isinf(sample_binomial(r, 0.5, HUGE_VAL)));
    cr_assert_eq(sample_binomial(r, 0.5, -HUGE_VAL), 0);
    cr_assert_eq(sample_binomial(r, 0, HUGE_VAL), 0);
    gsl_rng_free(r);
}
