/* test_law.c -- the tables of fixed laws (sim/law.h) against GSL's
 * distribution functions: every draw is the inversion of GSL's CDF at the
 * same uniform, the counts follow GSL's pmf, and a draw does not depend on
 * what the cache held before. */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#include "../sim/law.h"
#include "../sim/sample.h"

/* F(k) of the law: GSL's binomial or Poisson CDF (kind 'b' or 'p'). */
static double cdf_of(char kind, double a, double b, unsigned k) {
    return kind == 'b' ? gsl_cdf_binomial_P(k, b, (unsigned)a) : gsl_cdf_poisson_P(k, a);
}

/* The inversion of GSL's CDF at u: the least k with u < F(k). *close is
 * set when u is within 1e-12 of F(k) or F(k - 1), where the rounding of
 * either side may decide. */
static double invert(char kind, double a, double b, double u, int *close) {
    unsigned k = kind == 'b' ? (unsigned)floor((a + 1) * b) : (unsigned)floor(a);
    while (k > 0 && u < cdf_of(kind, a, b, k - 1)) k--;
    while (u >= cdf_of(kind, a, b, k)) k++;
    double hi = cdf_of(kind, a, b, k), lo = k > 0 ? cdf_of(kind, a, b, k - 1) : 0;
    *close = fabs(u - hi) < 1e-12 || fabs(u - lo) < 1e-12;
    return k;
}

/* n draws of the law from the cache against the inversion of GSL's CDF at
 * the same uniforms (a clone of the generator gives them): all equal, but
 * for a u within rounding of a step of F, which none of these seeds meet. */
static void check_inversion(char kind, double a, double b, int n, unsigned long seed) {
    gsl_set_error_handler_off();
    law_cache *c = law_cache_new();
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937), *twin = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    gsl_rng_set(twin, seed);
    int close_calls = 0;
    for (int i = 0; i < n; i++) {
        double x = kind == 'b' ? law_binomial(c, r, b, a) : law_poisson(c, r, a);
        int close;
        double want = invert(kind, a, b, gsl_rng_uniform(twin), &close);
        close_calls += close;
        if (!close)
            cr_assert_eq(x, want, "%c(%g, %g) draw %d: %g, the inversion of GSL's CDF gives %g",
                         kind, a, b, i, x, want);
    }
    cr_assert_eq(close_calls, 0);
    /* One uniform a draw: both generators are at the same place. */
    cr_assert_eq(gsl_rng_get(r), gsl_rng_get(twin));
    gsl_rng_free(r);
    gsl_rng_free(twin);
    law_cache_free(c);
}

Test(law, binomial_draws_invert_gsls_cdf) {
    /* Massachusetts' groups, a rare and a common event, a small group,
     * and one wide enough to need thousands of values. */
    check_inversion('b', 186, 0.3, 20000, 1);
    check_inversion('b', 372, 0.35, 20000, 2);
    check_inversion('b', 40, 0.9, 20000, 3);
    check_inversion('b', 5, 0.02, 20000, 4);
    check_inversion('b', 1, 0.5, 2000, 5);
    check_inversion('b', 200000, 0.45, 5000, 6);
}

Test(law, poisson_draws_invert_gsls_cdf) {
    check_inversion('p', 15500, 0, 5000, 7); /* the interleaved bond's comparison group */
    check_inversion('p', 3.7, 0, 20000, 8);
    check_inversion('p', 0.01, 0, 20000, 9);
    check_inversion('p', 1550.25, 0, 20000, 10);
}

/* Pearson's chi-square of n draws of Binomial(trials, p) from the cache
 * against GSL's pmf, cells pooled until each expects at least 20; the
 * p-value. */
static double binomial_chi2_p(unsigned trials, double p, int n, unsigned long seed) {
    law_cache *c = law_cache_new();
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, seed);
    double *obs = calloc(trials + 1, sizeof *obs);
    for (int i = 0; i < n; i++) obs[(unsigned)law_binomial(c, r, p, trials)] += 1;
    double chi2 = 0, o = 0, e = 0;
    int cells = 0;
    for (unsigned k = 0; k <= trials; k++) {
        o += obs[k];
        e += n * gsl_ran_binomial_pdf(k, p, trials);
        if (e >= 20 || k == trials) {
            chi2 += (o - e) * (o - e) / e;
            cells++;
            o = e = 0;
        }
    }
    free(obs);
    gsl_rng_free(r);
    law_cache_free(c);
    return gsl_cdf_chisq_Q(chi2, cells - 1);
}

Test(law, binomial_counts_follow_gsls_pmf) {
    /* On another generator than the inversion test's (taus2, through GSL). */
    cr_assert_gt(binomial_chi2_p(179, 0.3, 400000, 11), 0.001);
    cr_assert_gt(binomial_chi2_p(370, 0.35, 400000, 12), 0.001);
    cr_assert_gt(binomial_chi2_p(30, 0.97, 400000, 13), 0.001);
}

Test(law, a_draw_does_not_depend_on_what_the_cache_held) {
    /* Cache a: 300 other laws first (more than its slots), then each law
     * drawn among the others; cache b: fresh for every draw. The same
     * stream gives the same counts. */
    law_cache *a = law_cache_new();
    gsl_rng *ra = gsl_rng_alloc(gsl_rng_mt19937), *rb = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(ra, 21);
    gsl_rng_set(rb, 21);
    for (int i = 0; i < 300; i++) {
        (void)law_binomial(a, ra, 0.1 + 0.002 * i, 50 + i);
        (void)law_binomial(a, rb, 0.1 + 0.002 * i, 50 + i); /* keeps rb in step */
    }
    for (int i = 0; i < 2000; i++) {
        const double p = 0.1 + 0.002 * (i % 300), n = 50 + i % 300;
        law_cache *b = law_cache_new();
        double x = i % 2 ? law_binomial(a, ra, p, n) : law_poisson(a, ra, n * p);
        double y = i % 2 ? law_binomial(b, rb, p, n) : law_poisson(b, rb, n * p);
        law_cache_free(b);
        cr_assert_eq(x, y, "draw %d: %g with a full cache, %g with an empty one", i, x, y);
    }
    gsl_rng_free(ra);
    gsl_rng_free(rb);
    law_cache_free(a);
}

Test(law, laws_beyond_the_tables_are_the_samplers_draws) {
    /* Too wide for a table, degenerate, or NaN: the sampler's own draw,
     * from the same stream. */
    const double cases[][2] = {{0.5, 1e7}, {0.3, 5e9}, {0, 100}, {1, 100}, {0.4, 0.5},
                               {NAN, 10},  {0.2, NAN}, {-1, 10}, {0.3, -4}};
    law_cache *c = law_cache_new();
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937), *twin = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 31);
    gsl_rng_set(twin, 31);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (int k = 0; k < 50; k++) {
            double x = law_binomial(c, r, cases[i][0], cases[i][1]);
            double y = sample_binomial(twin, cases[i][0], cases[i][1]);
            cr_assert(x == y || (isnan(x) && isnan(y)), "Binomial(%g, %g): %g against %g",
                      cases[i][1], cases[i][0], x, y);
        }
    const double mus[] = {1e6, 0, -3};
    for (size_t i = 0; i < sizeof mus / sizeof mus[0]; i++)
        for (int k = 0; k < 50; k++) {
            double x = law_poisson(c, r, mus[i]), y = sample_poisson(twin, mus[i]);
            cr_assert(x == y || (isnan(x) && isnan(y)), "Poisson(%g): %g against %g", mus[i], x, y);
        }
    gsl_rng_free(r);
    gsl_rng_free(twin);
    law_cache_free(c);
}
