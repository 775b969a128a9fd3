/* law.h -- counts drawn from tables, for the laws that are the same on
 * every future.
 *
 * Most of a scenario's comparison groups have a law fixed by the scenario:
 * a randomised control group of 179 people with a baseline rate of 0.3 is
 * Binomial(179, 0.3) on every future, and a matched group of 15,500
 * expected events with no dispersion is Poisson(15,500). Massachusetts'
 * draws thirty such binomials a future. The engine's samplers (sample.h)
 * redo each law's set-up and its rejection test every draw; a table of the
 * law's distribution function, built once, gives the count from one
 * uniform and a look-up (Chen & Asau's guide table: H.-C. Chen and
 * Y. Asau, "On generating random variates from an empirical
 * distribution", AIIE Transactions 6 (1974) 163-166). In the engine (perf,
 * Massachusetts' scenario), about 8 ns a draw and 6 to find the table,
 * where BTRD takes 43 to 58 ns at its laws.
 *
 * A law_cache holds the tables a worker has needed, keyed by the law's
 * parameters. A draw's value depends only on the law and the generator's
 * stream, never on which tables the cache held before (a missing table is
 * built, to the same bits, on the spot): so results do not depend on the
 * thread count, nor on the order in which a worker met its laws.
 *
 * The draws are exact as inversion is: X = the least k with u < F(k), u
 * one uniform, F the law's distribution function summed in doubles (the
 * probability of a value k from the mode's by |k - m| ratios, so within
 * about 3 |k - m| roundings of its value, relative: under 1e-12 even 4,000
 * values from the mode m). The table stops where the pmf falls below
 * 2^-70 of its mode's (on either side: under 1e-20 of the mass beyond); a
 * u beyond the mass tabulated (about one draw in 1e15, from rounding) is
 * drawn again, as the engine's inversion sampler does. Hand-written
 * because GSL's gsl_ran_discrete (Walker's alias method) is not an
 * inversion: its count is not monotone in its uniform, and common random
 * numbers lean on that (two scenarios whose control groups' rates differ a
 * little draw counts that differ a little, not unrelated ones).
 */
#ifndef SIB_LAW_H
#define SIB_LAW_H

#include <gsl/gsl_rng.h>

typedef struct law_cache law_cache;

/* An empty cache, or NULL when out of memory. */
law_cache *law_cache_new(void);

/* Free c and its tables (NULL is fine). */
void law_cache_free(law_cache *c);

/* A Binomial(floor(n), prob) count, with the same law as
 * sample_binomial(r, prob, n) (which it is, draw for draw, when the law is
 * outside the tables' reach: prob not strictly between 0 and 1, fewer than
 * one or more than 2^32 trials, a NaN, a table of more than LAW_MAX_VALUES
 * values, or no memory for one). Otherwise one uniform of r a draw. */
double law_binomial(law_cache *c, gsl_rng *r, double prob, double n);

/* A Poisson count with mean mu, with the same law as sample_poisson(r, mu)
 * (which it is, draw for draw, when mu is not positive and finite, the
 * table would need more than LAW_MAX_VALUES values, or there is no memory
 * for it). Otherwise one uniform of r a draw. */
double law_poisson(law_cache *c, gsl_rng *r, double mu);

/* The most values a table holds: a law whose mass spreads wider is drawn
 * by the samplers. 8,192 covers a binomial's or a Poisson's 19 standard
 * deviations up to a variance of about 170,000 (a Poisson mean of 170,000). */
#define LAW_MAX_VALUES 8192

#endif
