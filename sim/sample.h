/* sample.h -- every random draw of the engine goes through these functions.
 *
 * Most are thin wrappers over GSL's samplers, kept in one place so that a
 * sampler can be replaced here alone when a benchmark shows it dominates:
 * GSL's Poisson sampler for large means and its binomial were, and sample.c
 * has its own (with the papers they follow). Every function takes its
 * generator explicitly: there is no global RNG.
 */
#ifndef SIB_SAMPLE_H
#define SIB_SAMPLE_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

#include "../model/scenario.h"

/* The u-quantile (0 < u < 1) of prior p, clamped to [p->lo, p->hi]: the
 * inverse CDF. The engine draws every input this way, one uniform each (so
 * that changing one prior leaves the others' draws alone), correlated ones
 * through a Gaussian copula; a tornado sets an input to a percentile. */
double sample_prior_quantile(const prior *p, double u);

/* The mean of prior p as the engine draws it, its bounds applied (a draw
 * beyond lo or hi counts as the bound): E[clamp(X, lo, hi)], in closed
 * form for every kind. prior_mean's value, to the bit, when the bounds cut
 * nothing (none, or beyond the support); otherwise the mean moves toward
 * the inside of the bounds (a normal(1, 0.27) capped at 1 has mean
 * 1 - 0.27 / sqrt(2 pi) = 0.892). What the expected case and the report's
 * "Mean" give each input. */
double sample_prior_mean(const prior *p);

/* Number of successes in floor(n) trials of probability prob, drawn exactly
 * (inversion when floor(n) min(prob, 1 - prob) < 30, Hoermann's BTRD from
 * 30; beyond UINT_MAX trials, the binomial's Poisson or normal limit).
 * A NaN prob or n gives NaN; else prob <= 0 or n <= 0 gives 0; else
 * prob >= 1 or an infinite n gives n itself, unfloored. */
double sample_binomial(gsl_rng *r, double prob, double n);

/* log(k!) for a whole k >= 0, to a few units in the last place (Stirling's series from
 * k = 20, GSL's lgamma below): what the Poisson sampler's acceptance test
 * needs, faster than a general lgamma. */
double sample_log_factorial(double k);

/* A Poisson count with mean mu (mu <= 0 gives 0). */
double sample_poisson(gsl_rng *r, double mu);

/* A negative binomial count with shape `shape` (> 0) and mean `mean`, as a
 * gamma-Poisson mixture: lambda ~ Gamma(shape, mean / shape), then a
 * Poisson count with mean lambda (sample_poisson). Its variance is
 * mean + mean^2 / shape. mean <= 0 gives 0. */
double sample_negbin(gsl_rng *r, double shape, double mean);

/* The seed of block k's generator, from the scenario seed: two rounds of the
 * SplitMix64 finaliser over (seed, k), so that neighbouring blocks and
 * neighbouring seeds get unrelated streams. */
uint64_t sample_block_seed(uint64_t seed, uint64_t block);

/* Seed r with seed (sample_block_seed's), as its type can take it: the
 * seed itself when r then draws a stream (uniforms in [0, 1), not one
 * value for ever), else the first of a fixed sequence of seeds after it
 * that does -- a block's stream is still one function of (seed, block), and
 * does not depend on what r drew before. minstd, ran0, ran1 and ran2 take
 * 31 bits, and are given the seed's low 32 bits modulo 2^31 - 1. mt19937
 * takes every seed as it is (the engine's runs on it are unchanged); any
 * other generator does as well but at the few seeds where it would draw no
 * stream (sample.c says which). */
void sample_rng_seed(gsl_rng *r, uint64_t seed);

/* The GSL generator type called name ("mt19937", "taus2", ...), or NULL.
 * "mt19937" gives rng_mt19937 (rng.h): GSL's numbers, drawn inline. */
const gsl_rng_type *sample_rng_type(const char *name);

#endif
