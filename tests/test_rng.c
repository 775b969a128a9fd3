/* test_rng.c -- the engine's mt19937 (sim/rng.c) against GSL's own and the
 * generator's published outputs, number by number and over whole runs. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/engine_internal.h"
#include "../sim/rng.h"
#include "../sim/sample.h"
#include "helpers.h"

/* Seeds that reach each case of the seeding: 0 (GSL's 4357 instead), 1,
 * the reference seed 5489, the largest 32-bit seed, seeds whose high 32
 * bits GSL drops (the second is 7 to GSL), and a block seed as the engine
 * makes them. */
static const unsigned long seeds[] = {
    0, 1, 4357, 5489, 0xffffffffUL, 0x100000007UL, 0xdeadbeefcafebabeUL, 0};
#define N_SEEDS (sizeof seeds / sizeof seeds[0])

static unsigned long seed_at(size_t i) {
    return i + 1 == N_SEEDS ? (unsigned long)sample_block_seed(20140129, 3) : seeds[i];
}

/* Enough numbers to regenerate the state four times. */
#define DRAWS (4 * RNG_MT_N + 7)

Test(rng, gives_the_reference_outputs_of_mt19937) {
    /* Known answers published with the generator and fixed by the C++
     * standard ([rand.predef]): seeded with 5489, its first 32-bit output is
     * 3499211612 and its 10,000th is 4123659995. */
    gsl_rng *r = gsl_rng_alloc(&rng_mt19937);
    gsl_rng_set(r, 5489);
    cr_assert_eq(gsl_rng_get(r), 3499211612UL);
    for (int i = 2; i < 10000; i++) gsl_rng_get(r);
    cr_assert_eq(gsl_rng_get(r), 4123659995UL);
    gsl_rng_free(r);
}

Test(rng, every_number_is_gsl_mt19937s_from_every_seed) {
    for (size_t i = 0; i < N_SEEDS; i++) {
        gsl_rng *ours = gsl_rng_alloc(&rng_mt19937), *gsl = gsl_rng_alloc(gsl_rng_mt19937);
        gsl_rng_set(ours, seed_at(i));
        gsl_rng_set(gsl, seed_at(i));
        for (int k = 0; k < DRAWS; k++) {
            /* Each way of drawing, in turn, so that every one is checked
             * at every position of the state. */
            switch (k % 4) {
            case 0:
                cr_assert_eq(gsl_rng_get(ours), gsl_rng_get(gsl), "seed %zu, draw %d", i, k);
                break;
            case 1: {
                double a = rng_uniform(ours), b = gsl_rng_uniform(gsl);
                cr_assert(memcmp(&a, &b, sizeof a) == 0, "seed %zu, draw %d: %.17g, %.17g", i, k, a,
                          b);
                break;
            }
            case 2: {
                double a = gsl_rng_uniform(ours), b = gsl_rng_uniform(gsl);
                cr_assert(memcmp(&a, &b, sizeof a) == 0, "seed %zu, draw %d", i, k);
                break;
            }
            case 3: {
                double a = rng_uniform_pos(ours), b = gsl_rng_uniform_pos(gsl);
                cr_assert(memcmp(&a, &b, sizeof a) == 0, "seed %zu, draw %d", i, k);
                break;
            }
            }
        }
        gsl_rng_free(ours);
        gsl_rng_free(gsl);
    }
}

Test(rng, gsl_samplers_draw_the_same_from_it_as_from_gsl_mt19937) {
    /* GSL's samplers reach the generator through its type's functions (a
     * gamma draws Gaussians and uniforms; the ziggurat takes 32-bit words
     * and needs the type's range): the same draws, to the bit. */
    gsl_rng *ours = gsl_rng_alloc(&rng_mt19937), *gsl = gsl_rng_alloc(gsl_rng_mt19937);
    cr_assert_eq(rng_mt19937.max, gsl_rng_mt19937->max);
    cr_assert_eq(rng_mt19937.min, gsl_rng_mt19937->min);
    gsl_rng_set(ours, 20140129);
    gsl_rng_set(gsl, 20140129);
    for (int k = 0; k < 3000; k++) {
        double a[4] = {gsl_ran_gaussian_ziggurat(ours, 1.5), gsl_ran_gamma(ours, 93, 600),
                       (double)gsl_ran_poisson(ours, 4.2), (double)gsl_rng_uniform_int(ours, 1000)};
        double b[4] = {gsl_ran_gaussian_ziggurat(gsl, 1.5), gsl_ran_gamma(gsl, 93, 600),
                       (double)gsl_ran_poisson(gsl, 4.2), (double)gsl_rng_uniform_int(gsl, 1000)};
        cr_assert(memcmp(a, b, sizeof a) == 0, "draw %d", k);
    }
    gsl_rng_free(ours);
    gsl_rng_free(gsl);
}

Test(rng, seeding_again_starts_the_stream_again) {
    gsl_rng *r = gsl_rng_alloc(&rng_mt19937);
    uint32_t first[5];
    gsl_rng_set(r, 77);
    for (int k = 0; k < 5; k++) first[k] = (uint32_t)gsl_rng_get(r);
    for (int k = 0; k < 1000; k++) rng_uniform(r); /* past a regeneration */
    gsl_rng_set(r, 77);
    for (int k = 0; k < 5; k++) cr_assert_eq((uint32_t)gsl_rng_get(r), first[k]);
    gsl_rng_free(r);
}

Test(rng, the_engine_runs_mt19937_inline_and_every_other_generator_through_gsl) {
    cr_assert_eq(sample_rng_type("mt19937"), &rng_mt19937);
    cr_assert_str_eq(rng_mt19937.name, "mt19937");
    cr_assert_eq(sample_rng_type("taus2"), gsl_rng_taus2);
    /* rng_uniform on another generator is GSL's uniform. */
    gsl_rng *a = gsl_rng_alloc(gsl_rng_taus2), *b = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(a, 9);
    gsl_rng_set(b, 9);
    for (int k = 0; k < 100; k++) {
        double x = rng_uniform(a), y = gsl_rng_uniform(b);
        cr_assert(memcmp(&x, &y, sizeof x) == 0);
    }
    gsl_rng_free(a);
    gsl_rng_free(b);
}

Test(rng, every_library_scenario_runs_to_the_same_bytes_on_gsl_mt19937) {
    /* The engine draws from rng_mt19937, inline in its own samplers and its
     * input draws, and through the type's functions in GSL's: a run on
     * GSL's own gsl_rng_mt19937 must give the same state, byte for byte, on
     * every scenario of the library (each sampler, design and structure
     * they use) and the reference case, over three blocks on two threads. */
    gsl_set_error_handler_off();
    size_t n_library;
    const char *const *library = library_scenarios(&n_library);
    for (size_t i = 0; i <= n_library; i++) {
        const char *file = i < n_library ? library[i] : "bench/interleaved.json";
        scenario *sc = must_load_repo_file(file);
        cr_assert_str_eq(sc->sim.rng, "mt19937", "%s", file);
        engine *ours = must_engine(sc), *gsl = must_engine(sc);
        cr_assert_eq(ours->rng_type, &rng_mt19937, "%s", file);
        gsl->rng_type = gsl_rng_mt19937;
        must_run_on(ours, 3 * ENGINE_BLOCK_PATHS, 2);
        must_run_on(gsl, 3 * ENGINE_BLOCK_PATHS, 2);
        cr_assert(same_state(ours, gsl), "%s: the runs differ", file);
        engine_free(ours);
        engine_free(gsl);
        scenario_free(sc);
    }
}

/* 2,000 uniforms of r in [0, 1), not all one value. */
static void draws_a_stream_of_uniforms(gsl_rng *r, const char *what) {
    const double u0 = gsl_rng_uniform(r);
    int varied = 0;
    cr_assert(u0 >= 0 && u0 < 1, "%s: %s: uniform %g", r->type->name, what, u0);
    for (int k = 0; k < 1999; k++) {
        double u = gsl_rng_uniform(r);
        cr_assert(u >= 0 && u < 1, "%s: %s: uniform %g", r->type->name, what, u);
        varied |= u != u0;
    }
    cr_assert(varied, "%s: %s: every uniform is %g", r->type->name, what, u0);
}

/* Every generator GSL has draws a stream of uniforms in [0, 1) from the
 * engine's block seeds, and from the seeds some cannot take: minstd, ran0,
 * ran1 and ran2 take 31 bits (seeded with a block seed as it is, the first
 * two gave uniforms of some 8e9 and a run of nonsense, the other two a
 * crash in GSL -- each passed `validate`), and a seed whose low 32 bits are
 * 0 (but not the high ones) or 2^31 left some twenty generators, gfsr4
 * among them, drawing one value for ever. A stream depends on the seed
 * alone, not on what the generator drew before (ran0 refuses 123459876
 * and kept its last state). */
Test(rng, every_gsl_generator_draws_a_stream_from_every_seed) {
    gsl_set_error_handler_off();
    const uint64_t scenario_seeds[] = {0, 1, 20140129, UINT64_MAX};
    const uint64_t blocks[] = {0, 1, 77, (UINT64_C(1) << 32) + 5};
    const uint64_t hard[] = {UINT64_C(1) << 32, UINT64_C(1) << 31, UINT64_C(0xffffffff00000000), 0,
                             2147483647,        123459876,         2147483647 ^ 123459876};
    char what[64];
    for (const gsl_rng_type **t = gsl_rng_types_setup(); *t != NULL; t++) {
        gsl_rng *r = gsl_rng_alloc(*t), *fresh = gsl_rng_alloc(*t);
        cr_assert(r != NULL && fresh != NULL);
        for (size_t i = 0; i < 4; i++)
            for (size_t j = 0; j < 4; j++) {
                sample_rng_seed(r, sample_block_seed(scenario_seeds[i], blocks[j]));
                snprintf(what, sizeof what, "scenario seed %zu, block %zu", i, j);
                draws_a_stream_of_uniforms(r, what);
            }
        for (size_t i = 0; i < sizeof hard / sizeof *hard; i++) {
            sample_rng_seed(r, hard[i]);
            snprintf(what, sizeof what, "seed %#llx", (unsigned long long)hard[i]);
            draws_a_stream_of_uniforms(r, what);
            /* r has drawn 2,000 numbers; fresh none */
            sample_rng_seed(r, hard[i]);
            sample_rng_seed(fresh, hard[i]);
            for (int k = 0; k < 50; k++)
                cr_assert_eq(gsl_rng_get(r), gsl_rng_get(fresh), "%s: %s: a stream of its past",
                             (*t)->name, what);
        }
        gsl_rng_free(r);
        gsl_rng_free(fresh);
    }
}

/* Seeding keeps every other stream as it was: GSL's own gsl_rng_set, for
 * every generator at the engine's block seeds (none of them is one that
 * a generator cannot take), so that their runs are unchanged. */
Test(rng, seeding_is_gsls_at_the_seeds_a_generator_takes) {
    for (const gsl_rng_type **t = gsl_rng_types_setup(); *t != NULL; t++) {
        if (*t == gsl_rng_minstd || *t == gsl_rng_ran0 || *t == gsl_rng_ran1 || *t == gsl_rng_ran2)
            continue;
        gsl_rng *a = gsl_rng_alloc(*t), *b = gsl_rng_alloc(*t);
        for (uint64_t blk = 0; blk < 64; blk++) {
            uint64_t seed = sample_block_seed(20140129, blk);
            sample_rng_seed(a, seed);
            gsl_rng_set(b, (unsigned long)seed);
            for (int k = 0; k < 20; k++)
                cr_assert_eq(gsl_rng_get(a), gsl_rng_get(b), "%s, block %llu", (*t)->name,
                             (unsigned long long)blk);
        }
        gsl_rng_free(a);
        gsl_rng_free(b);
    }
}

/* ... and a run on each of those four estimates what a run on mt19937
 * does: every metric's mean within 6 standard errors of the two runs'
 * difference (the regional template: 4,096 futures each, fixed seed). */
Test(rng, a_run_on_a_31_bit_generator_agrees_with_mt19937) {
    gsl_set_error_handler_off();
    scenario *sc = must_load_repo_file("scenarios/regional-pilot-to-scale.json");
    engine *ref = must_engine(sc);
    must_run_on(ref, 4 * ENGINE_BLOCK_PATHS, 2);
    const char *names[] = {"minstd", "ran0", "ran1", "ran2"};
    for (size_t g = 0; g < 4; g++) {
        snprintf(sc->sim.rng, sizeof sc->sim.rng, "%s", names[g]);
        engine *e = must_engine(sc);
        must_run_on(e, 4 * ENGINE_BLOCK_PATHS, 2);
        size_t compared = 0;
        for (size_t m = 0; m < engine_metric_count(e); m++) {
            stats_summary a, b;
            engine_summary(ref, m, &a);
            engine_summary(e, m, &b);
            cr_assert_eq(b.undefined + b.n, 4 * ENGINE_BLOCK_PATHS);
            if (!(a.se > 0) || !(b.se > 0)) continue;
            double z = (b.mean - a.mean) / sqrt(a.se * a.se + b.se * b.se);
            cr_assert(fabs(z) < 6, "%s: %s/%s: mean %g against mt19937's %g (z = %.1f)", names[g],
                      engine_metric(e, m)->group, engine_metric(e, m)->key, b.mean, a.mean, z);
            compared++;
        }
        cr_assert_gt(compared, 50, "%s: %zu metrics compared", names[g], compared);
        engine_free(e);
    }
    engine_free(ref);
    scenario_free(sc);
}
