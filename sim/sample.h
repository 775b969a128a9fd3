/* sample.h -- every random draw of the engine goes through these functions.
 *
 * They are thin wrappers over GSL's samplers, kept in one place so that a
 * sampler can be replaced here alone when a benchmark shows it dominates
 * (GSL's Poisson sampler, for one, is slow for large means; see DESIGN.md).
 * Every function takes its generator explicitly: there is no global RNG.
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

/* Number of successes in n trials of probability prob (prob clamped to [0, 1]). */
double sample_binomial(gsl_rng *r, double prob, double n);

/* log(k!) for a whole k >= 0, to a few units in the last place (Stirling's series from
 * k = 20, GSL's lgamma below): what the Poisson sampler's acceptance test
 * needs, faster than a general lgamma. */
double sample_log_factorial(double k);

/* A Poisson count with mean mu (mu <= 0 gives 0). */
double sample_poisson(gsl_rng *r, double mu);

/* The seed of block k's generator, from the scenario seed: two rounds of the
 * SplitMix64 finaliser over (seed, k), so that neighbouring blocks and
 * neighbouring seeds get unrelated streams. */
uint64_t sample_block_seed(uint64_t seed, uint64_t block);

/* The GSL generator type called name ("mt19937", "taus2", ...), or NULL. */
const gsl_rng_type *sample_rng_type(const char *name);

#endif
