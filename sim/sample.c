/* sample.c -- the engine's draws, routed through GSL. See sample.h. */
#include "sample.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

double sample_prior(const prior *p, gsl_rng *r) {
    double x = 0;
    switch (p->kind) {
    case PRIOR_FIXED: return p->a;
    case PRIOR_NORMAL: x = p->a + gsl_ran_gaussian_ziggurat(r, p->b); break;
    case PRIOR_UNIFORM: x = gsl_ran_flat(r, p->a, p->b); break;
    case PRIOR_BETA: x = p->c + (p->d - p->c) * gsl_ran_beta(r, p->a, p->b); break;
    case PRIOR_LOGNORMAL: x = gsl_ran_lognormal(r, p->a, p->b); break;
    case PRIOR_TRIANGULAR: {
        /* Inverse CDF of the triangular distribution on [a, c] with mode b
         * (GSL has no triangular sampler):
         *   F(m) = (b - a) / (c - a);
         *   u < F: a + sqrt(u (c - a)(b - a));  else c - sqrt((1 - u)(c - a)(c - b)). */
        double a = p->a, b = p->b, c = p->c, u = gsl_rng_uniform(r);
        if (c <= a) return a;
        double f = (b - a) / (c - a);
        x = (u < f) ? a + sqrt(u * (c - a) * (b - a)) : c - sqrt((1 - u) * (c - a) * (c - b));
        break;
    }
    }
    return fmin(fmax(x, p->lo), p->hi);
}

double sample_binomial(gsl_rng *r, double prob, double n) {
    if (prob <= 0 || n <= 0) return 0;
    if (prob >= 1) return n;
    return (double)gsl_ran_binomial(r, prob, (unsigned int)n);
}

double sample_poisson(gsl_rng *r, double mu) {
    if (mu <= 0) return 0;
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

uint64_t sample_block_seed(uint64_t seed, uint64_t block) {
    return mix64(mix64(seed) ^ mix64(block + 0x632be59bd9b4e019ULL));
}

const gsl_rng_type *sample_rng_type(const char *name) {
    for (const gsl_rng_type **t = gsl_rng_types_setup(); *t != NULL; t++)
        if (strcmp((*t)->name, name) == 0) return *t;
    return NULL;
}
