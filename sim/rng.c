/* rng.c -- GSL's mt19937 as a generator type of the engine's own. See rng.h. */
#include "rng.h"

#define MT_M 397              /* the middle word's offset */
#define MT_MATRIX 0x9908b0dfu /* the twist's matrix A, its last row */
#define MT_UPPER 0x80000000u  /* the word's top bit ... */
#define MT_LOWER 0x7fffffffu  /* ... and its other 31 */

/* One step of the twist: the top bit of a and the low 31 of b, shifted
 * right once, times A (an exclusive or with its row when the bit shifted
 * out is 1), added (exclusive or) to the word `far` M places on. */
static inline uint32_t twist(uint32_t far, uint32_t a, uint32_t b) {
    const uint32_t y = (a & MT_UPPER) | (b & MT_LOWER);
    return far ^ (y >> 1) ^ (-(y & 1u) & MT_MATRIX);
}

/* The words are regenerated in place, in order, as the paper does: word k
 * takes word k + 1 (still old) and word k + M, which past the end wraps to
 * a word already new. The three loops are that one loop without the modulo. */
void rng_mt_refill(rng_mt_state *s) {
    uint32_t *mt = s->mt;
    int k = 0;
    for (; k < RNG_MT_N - MT_M; k++) mt[k] = twist(mt[k + MT_M], mt[k], mt[k + 1]);
    for (; k < RNG_MT_N - 1; k++) mt[k] = twist(mt[k + MT_M - RNG_MT_N], mt[k], mt[k + 1]);
    mt[RNG_MT_N - 1] = twist(mt[MT_M - 1], mt[RNG_MT_N - 1], mt[0]);
    s->next = 0;
}

/* Seeding, as GSL seeds its mt19937: only the seed's low 32 bits count, and
 * 0 means 4357 (GSL's default seed); the words follow Matsumoto and
 * Nishimura's init_genrand (2002), each from the one before with Knuth's
 * multiplier 1812433253, modulo 2^32:
 *   mt[0] = seed,   mt[i] = 1812433253 (mt[i-1] xor (mt[i-1] >> 30)) + i.
 * The first number then regenerates every word. */
static void mt_set(void *state, unsigned long seed) {
    rng_mt_state *s = state;
    if (seed == 0) seed = 4357;
    s->mt[0] = (uint32_t)seed;
    for (uint32_t i = 1; i < RNG_MT_N; i++)
        s->mt[i] = 1812433253u * (s->mt[i - 1] ^ (s->mt[i - 1] >> 30)) + i;
    s->next = RNG_MT_N;
}

static unsigned long mt_get(void *state) { return rng_mt_next(state); }

static double mt_get_double(void *state) { return rng_mt_double(state); }

const gsl_rng_type rng_mt19937 = {
    "mt19937", 0xffffffffUL, 0, sizeof(rng_mt_state), mt_set, mt_get, mt_get_double,
};
