/* rng.h -- the engine's uniform numbers: GSL's mt19937, drawn inline.
 *
 * GSL reaches a generator through a function pointer for every number:
 * gsl_rng_uniform calls the type's get_double, which runs the generator.
 * For mt19937 that costs 6.2 ns a uniform on the bench machine, where the
 * generator's own arithmetic takes 1.6, and the engine drew thirteen
 * uniforms a future on the default scenario and two hundred on
 * Massachusetts' when this was written (75 groups, each a BTRD binomial or
 * a gamma and a PTRS Poisson, one to three uniforms a count; thirty of
 * them now take one, from the tables of law.h).
 *
 * So mt19937 -- the default generator, and every library scenario's -- is
 * implemented here as a gsl_rng_type of its own, rng_mt19937, giving the
 * numbers of GSL's gsl_rng_mt19937 to the bit from every seed: the same
 * seeding, the same words, the same conversion to doubles. GSL's samplers
 * (its gamma, its Gaussian) take it like any generator, through its
 * functions; the engine's own samplers call rng_uniform below, which draws
 * from it without a call. Any other generator goes through GSL as before.
 * Hand-written because no library at hand offers GSL's mt19937 stream
 * without a call a number; tests/test_rng.c compares it with GSL's own.
 *
 * The algorithm is Matsumoto & Nishimura's Mersenne Twister MT19937
 * ("Mersenne Twister: a 623-dimensionally equidistributed uniform
 * pseudo-random number generator", ACM TOMACS 8 (1998) 3-30), seeded as
 * their 2002 init_genrand and as GSL seeds it (below, rng.c).
 */
#ifndef SIB_RNG_H
#define SIB_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

#define RNG_MT_N 624 /* words of state */

/* The state of an rng_mt19937 generator: the 624 words, and the index of
 * the next one to temper (RNG_MT_N when they are all used: the next number
 * first regenerates them). */
typedef struct rng_mt_state {
    uint32_t next;
    uint32_t mt[RNG_MT_N];
} rng_mt_state;

/* GSL's mt19937, named "mt19937": what sample_rng_type returns for that
 * name. Allocate it with gsl_rng_alloc(&rng_mt19937) as any GSL type. */
extern const gsl_rng_type rng_mt19937;

/* Regenerate the 624 words of s (the twist) and start again at the first.
 * Called by rng_mt_next when every word has been used. */
void rng_mt_refill(rng_mt_state *s);

/* The next 32-bit number of s: its next word, tempered. */
static inline uint32_t rng_mt_next(rng_mt_state *s) {
    if (s->next >= RNG_MT_N) rng_mt_refill(s);
    uint32_t y = s->mt[s->next++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

/* The next number of s as a double in [0, 1): the 32-bit number over
 * 2^32, as GSL's mt19937 converts it. */
static inline double rng_mt_double(rng_mt_state *s) { return rng_mt_next(s) / 4294967296.0; }

/* A uniform number in [0, 1) from r: gsl_rng_uniform(r), the same number,
 * drawn inline when r is an rng_mt19937 generator. */
static inline double rng_uniform(const gsl_rng *r) {
    if (r->type == &rng_mt19937) return rng_mt_double(r->state);
    return gsl_rng_uniform(r);
}

/* A uniform number in (0, 1): gsl_rng_uniform_pos(r), the same number
 * (uniforms drawn until one is not 0). */
static inline double rng_uniform_pos(const gsl_rng *r) {
    double x;
    do x = rng_uniform(r);
    while (x == 0);
    return x;
}

#endif
