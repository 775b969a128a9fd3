/* sample.c -- the engine's draws, routed through GSL. See sample.h. */
#include "sample.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "../model/num.h"

double sample_prior_quantile(const prior *p, double u) {
    double x = 0;
    u = num_min(num_max(u, 1e-15), 1 - 1e-15);
    switch (p->kind) {
    case PRIOR_FIXED: return p->a;
    case PRIOR_NORMAL: x = p->a + gsl_cdf_gaussian_Pinv(u, p->b); break;
    case PRIOR_UNIFORM: x = p->a + (p->b - p->a) * u; break;
    case PRIOR_BETA: x = p->c + (p->d - p->c) * gsl_cdf_beta_Pinv(u, p->a, p->b); break;
    case PRIOR_LOGNORMAL: x = gsl_cdf_lognormal_Pinv(u, p->a, p->b); break;
    case PRIOR_TRIANGULAR: {
        /* GSL has no triangular distribution: invert its CDF,
         *   F(b) = (b - a) / (c - a);
         *   u < F(b): a + sqrt(u (c - a)(b - a));  else c - sqrt((1 - u)(c - a)(c - b)). */
        double a = p->a, b = p->b, c = p->c;
        if (c <= a) return a;
        double f = (b - a) / (c - a);
        x = (u < f) ? a + sqrt(u * (c - a) * (b - a)) : c - sqrt((1 - u) * (c - a) * (c - b));
        break;
    }
    }
    return num_min(num_max(x, p->lo), p->hi);
}

/* GSL's binomial takes its trials as an unsigned int. Beyond that (a volume
 * or a comparison ratio far past any programme: fuzz_engine found 3e37
 * people) the binomial is drawn from its limits, which are exact to many
 * digits at such sizes: the rarer side's count is Poisson when its mean is
 * under 1,000 (its probability is then below 2.4e-7, so the Poisson's
 * variance is the binomial's), normal with the binomial's variance
 * otherwise; rounded, within [0, n]. */
static double binomial_large(gsl_rng *r, double prob, double n) {
    const double q = fmin(prob, 1 - prob), mean = n * q;
    double x = mean < 1000 ? sample_poisson(r, mean)
                           : round(mean + sqrt(mean * (1 - q)) * gsl_ran_gaussian_ziggurat(r, 1.0));
    x = fmin(fmax(x, 0.0), n);
    return prob <= 0.5 ? x : n - x;
}

double sample_binomial(gsl_rng *r, double prob, double n) {
    /* NaN first: GSL's binomial never returns when prob is NaN. */
    if (isnan(prob) || isnan(n)) return NAN;
    if (prob <= 0 || n <= 0) return 0;
    if (prob >= 1 || isinf(n)) return n;
    n = floor(n); /* trials are whole people, as the conversion below makes them */
    if (n > (double)UINT_MAX) return binomial_large(r, prob, n);
    return (double)gsl_ran_binomial(r, prob, (unsigned int)n);
}

/* log(k!) for a whole k >= 0. From k = 20 on, Stirling's series for
 * lgamma(z), z = k + 1:
 *   (z - 1/2) ln z - z + ln(2 pi)/2 + 1/(12 z) - 1/(360 z^3) + 1/(1260 z^5)
 *   - 1/(1680 z^7),
 * whose error is below the first term left out, 1/(1188 z^9) <= 1.1e-15 at
 * z >= 21 (Abramowitz & Stegun 6.1.41): with the rounding of the sum, a few
 * units in the last place -- one log and a few multiplications, against
 * GSL's general lgamma. Below, GSL's. Hand-written because the Poisson
 * sampler asks it in every rejection test. */
double sample_log_factorial(double k) {
    if (k < 20) return gsl_sf_lngamma(k + 1);
    const double z = k + 1, r = 1 / z, r2 = r * r;
    const double series = r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680))));
    return (z - 0.5) * log(z) - z + 0.91893853320467274178 + series;
}

/* Poisson by transformed rejection with squeeze, "PTRS" (W. Hoermann, "The
 * transformed rejection method for generating Poisson random variables",
 * Insurance: Mathematics and Economics 12 (1993) 39-45), for mu >= 10.
 * Hand-written because GSL's gsl_ran_poisson draws through gamma variates and
 * costs 400-500 ns at the means a cohort produces (1,000 people x 1.55
 * events = 1,550; ten controls each = 15,500), about half of a path's time;
 * PTRS costs a few tens of ns with about 1.2 uniforms per draw. Exact: the
 * acceptance test compares with the Poisson log-probability itself
 * (tests/test_sample.c checks the distribution against GSL's pmf). */
static double poisson_ptrs(gsl_rng *r, double mu) {
    const double smu = sqrt(mu);
    const double b = 0.931 + 2.53 * smu;
    const double a = -0.059 + 0.02483 * b;
    const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
    const double v_r = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
        double u = gsl_rng_uniform(r) - 0.5;
        double v = gsl_rng_uniform_pos(r);
        double us = 0.5 - fabs(u);
        double k = floor((2 * a / us + b) * u + mu + 0.43);
        if (us >= 0.07 && v <= v_r) return k; /* the squeeze: accept at once */
        if (k < 0 || (us < 0.013 && v > us)) continue;
        /* Accept when log(v alpha^-1 / (a / us^2 + b)) <= log f(k), with
         * log f(k) = -mu + k log(mu) - log(k!): the paper's three logs of
         * the left side taken as one; log(mu) only here, as most draws are
         * accepted by the squeeze above. */
        if (log(v * inv_alpha / (a / (us * us) + b)) <= -mu + k * log(mu) - sample_log_factorial(k))
            return k;
    }
}

double sample_poisson(gsl_rng *r, double mu) {
    if (mu <= 0) return 0;
    if (mu >= 10) return poisson_ptrs(r, mu);
    return (double)gsl_ran_poisson(r, mu);
}

/* SplitMix64's output function (Steele, Lea & Flood 2014): a bijection on
 * 64-bit words with good avalanche, the standard way to derive seeds. */
static uint64_t mix64(uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* MurmurHash3's 32-bit finaliser: a bijection on 32-bit words. */
static uint32_t mix32(uint32_t h) {
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

/* GSL's generators take an unsigned long seed and most (mt19937, taus2,
 * ranlxd) use only its low 32 bits: random 32-bit seeds would collide
 * between blocks of one run (a birthday problem: likely beyond ~100,000
 * blocks). So the block number is added to a 32-bit base derived from the
 * scenario seed and passed through a bijection: the first 2^32 blocks of a
 * run get distinct seeds, hence distinct streams. The high word carries the
 * rest of the mixing for generators that use 64 bits. */
uint64_t sample_block_seed(uint64_t seed, uint64_t block) {
    uint64_t m = mix64(seed);
    uint32_t low = mix32((uint32_t)m + (uint32_t)block);
    uint64_t high = mix64(m ^ (block >> 32)) & 0xffffffff00000000ULL;
    return high | low;
}

const gsl_rng_type *sample_rng_type(const char *name) {
    for (const gsl_rng_type **t = gsl_rng_types_setup(); *t != NULL; t++)
        if (strcmp((*t)->name, name) == 0) return *t;
    return NULL;
}
