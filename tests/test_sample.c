/* test_sample.c -- the engine's samplers against GSL's distributions. */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
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

/* Pearson's chi-square of `draws` draws of sample_binomial(p, n) against
 * the exact pmf (GSL's gsl_ran_binomial_pdf), over the counts within 6 sd
 * of the mean; each tail is pooled into its end cell (GSL's
 * gsl_cdf_binomial_P / _Q), and an end cell widened until it expects at
 * least 5 draws. Returns the p-value. */
static double binomial_chi2_p(double n, double p, int draws, unsigned long seed) {
    gsl_set_error_handler_off();
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    const unsigned nn = (unsigned)n;
    const double mean = n * p, sd = sqrt(n * p * (1 - p));
    unsigned lo = (unsigned)fmax(0, floor(mean - 6 * sd)),
             hi = (unsigned)fmin(n, ceil(mean + 6 * sd));
    while (lo < hi && gsl_cdf_binomial_P(lo, p, nn) * draws < 5) lo++;
    while (hi > lo && gsl_cdf_binomial_Q(hi - 1, p, nn) * draws < 5) hi--;
    const int cells = (int)(hi - lo) + 1;
    double *obs = calloc((size_t)cells, sizeof *obs);
    for (int i = 0; i < draws; i++) {
        double k = sample_binomial(r, p, n);
        cr_assert(k >= 0 && k <= n && k == floor(k), "n = %g, p = %g: draw %.17g", n, p, k);
        int c = (int)(k - lo);
        obs[c < 0 ? 0 : c >= cells ? cells - 1 : c] += 1;
    }
    double chi2 = 0;
    for (int c = 0; c < cells; c++) {
        unsigned k = lo + (unsigned)c;
        double pr = gsl_ran_binomial_pdf(k, p, nn);
        if (c == 0) pr = gsl_cdf_binomial_P(k, p, nn);
        if (c == cells - 1) pr = c == 0 ? 1 : gsl_cdf_binomial_Q(k - 1, p, nn);
        double e = pr * draws;
        chi2 += (obs[c] - e) * (obs[c] - e) / e;
    }
    free(obs);
    gsl_rng_free(r);
    return cells > 1 ? gsl_cdf_chisq_Q(chi2, cells - 1) : 1;
}

/* Both samplers, the switch between them at n min(p, 1 - p) = 30 and the
 * flip at p = 1/2: inversion below (its first twelve steps taken at once,
 * then one at a time; q^n by squaring below 256 trials, exp(n log1p(-p))
 * from 256), BTRD above (near the mode by the recurrence, farther by the
 * squeeze or the exact log test, which alone decides from km = npq/2 - 1:
 * 19 at n = 1e6, p = 4e-5). 400,000 draws a point, p-value above 0.001 at
 * each of these fixed seeds. */
Test(sample, binomial_follows_the_pmf_on_both_sides_of_the_switch_and_the_flip) {
    static const double grid[][2] = {
        {1, 0.3},       {1, 0.8},      {2, 0.4},     {2, 0.9},   /* n = 1, n = 2 */
        {5, 0.3},       {30, 0.15},    {100, 0.08},  {81, 0.94}, /* inversion, flipped */
        {600, 0.0499},  {600, 0.0501}, {60, 0.499},  {60, 0.5},  /* just below / above the switch */
        {200, 0.0499},  {200, 0.0501}, {20, 0.499},  {20, 0.5},  /* means of 10: inversion */
        {255, 0.03},    {256, 0.03},   {1000, 1e-4}, {1e6, 2e-6}, /* q^n both ways, p tiny */
        {120, 0.3},     {186, 0.47},   {180, 0.6},   {1000, 0.3}, /* BTRD, flipped */
        {1000, 0.4999}, {1001, 0.5},   {1e6, 4e-5},  {1e6, 0.3},  /* p near 1/2, n large */
        {1e6, 0.99},
    };
    for (size_t i = 0; i < sizeof grid / sizeof grid[0]; i++) {
        double pv = binomial_chi2_p(grid[i][0], grid[i][1], 400000, 200 + i);
        cr_assert(pv > 0.001, "n = %g, p = %g: chi-square p-value %.2g", grid[i][0], grid[i][1],
                  pv);
    }
}

Test(sample, binomial_mean_and_variance_are_np_and_npq_within_4_se) {
    static const double grid[][2] = {{30, 0.15}, {100, 0.93}, {186, 0.47}, {1e6, 0.3}};
    for (size_t i = 0; i < sizeof grid / sizeof grid[0]; i++) {
        gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
        gsl_rng_set(r, 300 + i);
        const int draws = 400000;
        const double n = grid[i][0], p = grid[i][1], mu = n * p, var = n * p * (1 - p);
        double s = 0, ss = 0;
        for (int j = 0; j < draws; j++) {
            double k = sample_binomial(r, p, n);
            s += k;
            ss += (k - mu) * (k - mu);
        }
        double mean = s / draws, v = (ss - draws * (mean - mu) * (mean - mu)) / (draws - 1);
        cr_assert(fabs(mean - mu) < 4 * sqrt(var / draws), "n = %g, p = %g: mean %.4f", n, p, mean);
        /* Var of the sample variance: (mu4 - var^2) / draws to first order,
         * with the binomial's mu4 = npq (1 + 3 pq (n - 2)). */
        double mu4 = var * (1 + 3 * p * (1 - p) * (n - 2));
        cr_assert(fabs(v - var) < 4 * sqrt((mu4 - var * var) / draws),
                  "n = %g, p = %g: variance %.4f", n, p, v);
        gsl_rng_free(r);
    }
}

/* At the largest count that sample_binomial still draws exactly (UINT_MAX
 * trials), both samplers: whole counts within [0, n], about n p. */
Test(sample, binomial_of_uint_max_trials_is_whole_and_near_its_mean) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 12);
    const double n = 4294967295.0;
    static const double ps[] = {0.3, 0.5, 1e-9, 0.9999999999};
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        const double p = ps[i], sd = sqrt(n * p * (1 - p));
        const int draws = 2000;
        double s = 0;
        for (int j = 0; j < draws; j++) {
            double k = sample_binomial(r, p, n);
            cr_assert(k >= 0 && k <= n && k == floor(k), "p = %g: draw %.17g", p, k);
            s += k;
        }
        cr_assert(fabs(s / draws - n * p) < 4 * sd / sqrt(draws),
                  "p = %g: mean %.17g, expected %.17g", p, s / draws, n * p);
    }
    gsl_rng_free(r);
}

Test(sample, binomial_edges_are_exact) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    cr_assert_float_eq(sample_binomial(r, 0.0, 100), 0, 0);
    cr_assert_float_eq(sample_binomial(r, 1.0, 100), 100, 0);
    cr_assert_float_eq(sample_binomial(r, 0.3, 0), 0, 0);
    cr_assert_float_eq(sample_poisson(r, 0), 0, 0);
    /* Fewer than one whole trial, on either side of 1/2; trials are floored. */
    cr_assert_float_eq(sample_binomial(r, 0.3, 0.7), 0, 0);
    cr_assert_float_eq(sample_binomial(r, 0.8, 0.7), 0, 0);
    for (int i = 0; i < 100; i++) {
        double k = sample_binomial(r, 0.6, 1.9);
        cr_assert(k == 0 || k == 1, "draw %g of 1.9 trials", k);
    }
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

/* The integral over u in (0, 1) of prior p's clamped quantile: its mean as
 * drawn, by GSL's adaptive quadrature of the quantile (QAGS, which copes
 * with the quantile's infinite ends). A route independent of
 * sample_prior_mean's closed forms: it never uses a partial expectation. */
static double quantile_integral(double u, void *p) { return sample_prior_quantile(p, u); }

static double mean_by_quadrature(const prior *p) {
    gsl_integration_workspace *ws = gsl_integration_workspace_alloc(1000);
    gsl_function f = {quantile_integral, (void *)p};
    double v, err;
    gsl_integration_qags(&f, 0, 1, 1e-13, 1e-11, 1000, ws, &v, &err);
    gsl_integration_workspace_free(ws);
    return v;
}

Test(sample, a_clamped_prior_has_the_mean_of_its_clamped_draws) {
    /* By hand: a normal(1, 0.27) capped at 1 gives up the upper half's
     * E[X - 1; X > 1] = 0.27 phi(0) = 0.27 / sqrt(2 pi): mean 0.8922862. */
    prior vol = {.kind = PRIOR_NORMAL, .a = 1, .b = 0.27, .lo = -HUGE_VAL, .hi = 1};
    cr_assert_float_eq(sample_prior_mean(&vol), 1 - 0.27 / sqrt(2 * M_PI), 1e-12);
    /* A uniform(0, 1) clamped to [0.2, 0.5]: 0.2 x 0.2 + (0.5^2 - 0.2^2) / 2 + 0.5 x 0.5 = 0.395. */
    prior uni = {.kind = PRIOR_UNIFORM, .a = 0, .b = 1, .lo = 0.2, .hi = 0.5};
    cr_assert_float_eq(sample_prior_mean(&uni), 0.395, 1e-15);
    /* A triangular(0, 1, 2) capped at 1 (its mode): half the mass at 1, the
     * lower half's mean 2/3: 0.5 x 2/3 + 0.5 x 1 = 5/6. */
    prior tri = {.kind = PRIOR_TRIANGULAR, .a = 0, .b = 1, .c = 2, .lo = -HUGE_VAL, .hi = 1};
    cr_assert_float_eq(sample_prior_mean(&tri), 5.0 / 6, 1e-15);
    /* A fixed value outside its bounds is the bound. */
    prior fix = {.kind = PRIOR_FIXED, .a = 3, .lo = -HUGE_VAL, .hi = 2};
    cr_assert_float_eq(sample_prior_mean(&fix), 2, 0);
}

Test(sample, clamped_means_agree_with_the_quadrature_of_the_quantile) {
    const prior ps[] = {
        {.kind = PRIOR_NORMAL, .a = 0.3, .b = 0.2, .lo = -0.5, .hi = 0.4},
        {.kind = PRIOR_NORMAL, .a = 0.3, .b = 0.2, .lo = 0.35, .hi = HUGE_VAL},
        {.kind = PRIOR_UNIFORM, .a = -1, .b = 3, .lo = -2, .hi = 2.5},
        {.kind = PRIOR_BETA, .a = 2, .b = 5, .c = 0.1, .d = 0.9, .lo = 0.2, .hi = 0.5},
        {.kind = PRIOR_BETA, .a = 0.7, .b = 1.3, .c = 0, .d = 1, .lo = 0.05, .hi = 0.8},
        {.kind = PRIOR_LOGNORMAL, .a = 0, .b = 0.5, .lo = 0.8, .hi = 1.5},
        {.kind = PRIOR_LOGNORMAL, .a = -1, .b = 1, .lo = -HUGE_VAL, .hi = 0.5},
        {.kind = PRIOR_TRIANGULAR, .a = 0, .b = 0.1, .c = 0.5, .lo = 0.05, .hi = 0.3},
        {.kind = PRIOR_TRIANGULAR, .a = 0, .b = 0.4, .c = 0.5, .lo = 0.1, .hi = 0.2},
        {.kind = PRIOR_TRIANGULAR, .a = 0, .b = 0.1, .c = 0.5, .lo = 0.3, .hi = 0.45},
    };
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        const double closed = sample_prior_mean(&ps[i]), quad = mean_by_quadrature(&ps[i]);
        cr_assert(fabs(closed - quad) < 1e-9, "prior %zu: closed form %.15g, quadrature %.15g", i,
                  closed, quad);
        /* Each of these bounds cuts: the mean moves off the prior's own. */
        cr_assert(fabs(closed - prior_mean(&ps[i])) > 1e-6, "prior %zu", i);
    }
}

Test(sample, a_prior_its_bounds_never_cut_keeps_its_own_mean_to_the_bit) {
    const prior ps[] = {
        {.kind = PRIOR_NORMAL, .a = 0.3, .b = 0.01, .lo = -HUGE_VAL, .hi = HUGE_VAL},
        {.kind = PRIOR_UNIFORM, .a = 0.1, .b = 0.7, .lo = 0, .hi = 1},
        {.kind = PRIOR_BETA, .a = 2, .b = 3, .c = 0, .d = 1, .lo = 0, .hi = 1},
        {.kind = PRIOR_TRIANGULAR, .a = 0, .b = 0.1, .c = 0.5, .lo = -1, .hi = 0.5},
        {.kind = PRIOR_LOGNORMAL, .a = 0, .b = 0.5, .lo = 0, .hi = HUGE_VAL},
    };
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++)
        cr_assert_eq(sample_prior_mean(&ps[i]), prior_mean(&ps[i]), "prior %zu", i);
}

Test(sample, a_beta_prior_of_any_allowed_shape_draws_inside_its_support) {
    /* GSL's beta quantile gives NaN for these (Beta(0.05, 3) at u = 0.1),
     * which clamping made the prior's lower bound: an effect of -1000%.
     * Each quantile must be in [0, 1] and give back u through GSL's CDF. */
    gsl_set_error_handler_off(); /* as the program does: GSL's Pinv fails here */
    const double shapes[][2] = {{0.05, 3}, {1e4, 1e4}, {0.001, 0.001}, {1e5, 1e5}, {2, 5}, {1e5, 0.001}};
    const double us[] = {1e-15, 1e-10, 1e-5, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1 - 1e-10};
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        const double a = shapes[k][0], b = shapes[k][1];
        prior p = {.kind = PRIOR_BETA, .a = a, .b = b, .c = 0, .d = 1, .lo = -10, .hi = 10};
        for (size_t i = 0; i < sizeof us / sizeof us[0]; i++) {
            const double x = sample_prior_quantile(&p, us[i]);
            cr_assert(x >= 0 && x <= 1, "Beta(%g, %g) at %g: %g", a, b, us[i], x);
            /* The least double whose CDF reaches u: at or above u, and the
             * double below it short of u (where the CDF is not flat). */
            cr_assert(gsl_cdf_beta_P(x, a, b) >= us[i] * (1 - 1e-9), "Beta(%g, %g) at %g: P(%g) = %g",
                      a, b, us[i], x, gsl_cdf_beta_P(x, a, b));
            if (x > 0)
                cr_assert(gsl_cdf_beta_P(nextafter(x, 0), a, b) <= us[i] * (1 + 1e-9),
                          "Beta(%g, %g) at %g: %g", a, b, us[i], x);
        }
    }
    /* Its mean as drawn, by quadrature of the quantile, is a / (a + b):
     * 0.05 / 3.05 by hand. */
    prior q = {.kind = PRIOR_BETA, .a = 0.05, .b = 3, .c = 0, .d = 1, .lo = -10, .hi = 10};
    cr_assert_float_eq(mean_by_quadrature(&q), 0.05 / 3.05, 1e-7);
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

/* GSL's binomial never returned when the probability was NaN, nor would
 * sample.c's: an undefined probability or count is an undefined draw, at
 * once. */
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
