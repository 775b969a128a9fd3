/* test_merge.c -- the merge of a run's blocks into its accumulators
 * (sim/runner.c) when a metric follows another: a metric whose values are,
 * bit for bit, an earlier metric's in a run's first block takes none of its
 * own while the two stay equal, and a copy of the other's accumulator when
 * they part or the run ends. Each accumulator must hold what adding its own
 * values one by one gives: the test adds every metric's values, path by
 * path, to accumulators of its own (from the rows the run streams,
 * engine_observe_paths) and compares the saved forms byte for byte. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/engine_internal.h"
#include "../sim/stats.h"
#include "helpers.h"

static void setup(void) { gsl_set_error_handler_off(); }
TestSuite(merge, .init = setup);

/* What the test builds beside a run: each per-path metric's values added
 * one by one, and what it saw of metrics equal to an earlier one. */
typedef struct reference {
    const engine *e;
    stats_acc **acc;  /* [n_metrics] */
    int *equal_first; /* [n_metrics] equal to an earlier metric in the first block */
    size_t followers; /* metrics equal to an earlier one, not one value, in block 0 */
    size_t parted;    /* of those, the ones that differ from it in a later block */
} reference;

static int bits_equal(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

/* Whether metric j is one value over the block, and whether it equals
 * metric i path by path. */
static int one_value(const double *rows, size_t width, uint32_t n, size_t j) {
    for (uint32_t k = 1; k < n; k++)
        if (!bits_equal(rows[k * width + j], rows[j])) return 0;
    return 1;
}
static int equal_columns(const double *rows, size_t width, uint32_t n, size_t i, size_t j) {
    for (uint32_t k = 0; k < n; k++)
        if (!bits_equal(rows[k * width + i], rows[k * width + j])) return 0;
    return 1;
}

static int add_rows(uint64_t first, uint32_t n, const double *rows, size_t width, void *ud) {
    reference *r = ud;
    const engine *e = r->e;
    for (size_t q = 0; q < e->n_per_path; q++) {
        const size_t j = e->per_path[q];
        for (uint32_t k = 0; k < n; k++)
            cr_assert_eq(stats_acc_add(r->acc[j], rows[k * width + j]), 0);
        if (first == 0) {
            if (one_value(rows, width, n, j)) continue;
            for (size_t p = 0; p < q && !r->equal_first[j]; p++)
                if (equal_columns(rows, width, n, e->per_path[p], j)) {
                    r->equal_first[j] = (int)e->per_path[p] + 1;
                    r->followers++;
                }
        } else if (r->equal_first[j] > 0 &&
                   !equal_columns(rows, width, n, (size_t)r->equal_first[j] - 1, j)) {
            r->equal_first[j] = -1; /* parted */
            r->parted++;
        }
    }
    return 0;
}

/* Run e to each of stops[0..n) paths in turn (a run, then extensions) on
 * `threads` threads beside a reference, and compare every per-path
 * metric's accumulator with the reference's. Returns what the reference
 * saw (followers, parted). */
static void assert_merge_as_one_by_one(engine *e, const uint64_t *stops, size_t n, unsigned threads,
                                       size_t *followers, size_t *parted) {
    reference r = {.e = e};
    r.acc = calloc(e->n_metrics, sizeof *r.acc);
    r.equal_first = calloc(e->n_metrics, sizeof *r.equal_first);
    cr_assert(r.acc && r.equal_first);
    for (size_t i = 0; i < e->n_metrics; i++) cr_assert_not_null(r.acc[i] = stats_acc_new());
    engine_observe_paths(e, add_rows, &r);
    for (size_t k = 0; k < n; k++) must_run_on(e, stops[k], threads);
    engine_observe_paths(e, NULL, NULL);
    for (size_t q = 0; q < e->n_per_path; q++) {
        const size_t i = e->per_path[q];
        cr_assert_eq(e->follows[i], SIZE_MAX, "metric %zu still follows after the run", i);
        const size_t la = stats_acc_saved_size(e->acc[i]), lb = stats_acc_saved_size(r.acc[i]);
        cr_assert_eq(la, lb, "metric %zu (%s): saved sizes differ", i, e->metrics[i].key);
        unsigned char *a = malloc(la), *b = malloc(lb);
        stats_acc_save(e->acc[i], a);
        stats_acc_save(r.acc[i], b);
        cr_assert(memcmp(a, b, la) == 0,
                  "metric %zu (%s) on %u threads: not what adding its values gives", i,
                  e->metrics[i].key, threads);
        free(a);
        free(b);
    }
    for (size_t i = 0; i < e->n_metrics; i++) stats_acc_free(r.acc[i]);
    free(r.acc);
    free(r.equal_first);
    *followers = r.followers;
    *parted = r.parted;
}

/* Library deals with metrics equal in every future (the commissioner's
 * outlay and the payments; a lone tranche's receipts), on 1 and 3 threads:
 * a run of 3,000 paths (two whole blocks and a part), and a run of one
 * block extended twice (the extensions follow nothing: the accumulators
 * they start from are compared as they are). */
Test(merge, metrics_that_follow_another_hold_what_their_own_values_give) {
    const char *files[] = {"scenarios/peterborough.json", "scenarios/rikers-island.json",
                           "scenarios/massachusetts-juvenile-justice.json"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++)
        for (unsigned threads = 1; threads <= 3; threads += 2) {
            scenario *sc = must_load_repo_file(files[f]);
            engine *e = must_engine(sc), *x = must_engine(sc);
            size_t followers, parted;
            const uint64_t once = 3000,
                           steps[] = {ENGINE_BLOCK_PATHS, 3 * ENGINE_BLOCK_PATHS, 5000};
            assert_merge_as_one_by_one(e, &once, 1, threads, &followers, &parted);
            cr_assert(followers > 0, "%s: no metric follows another: the test tests nothing",
                      files[f]);
            assert_merge_as_one_by_one(x, steps, 3, threads, &followers, &parted);
            engine_free(e);
            engine_free(x);
            scenario_free(sc);
        }
}

/* A comparison whose B triggers a payment at 10.002% instead of 10%: its
 * payments equal A's in every future but the rare few whose measured effect
 * falls between, none of them in the first block. B's payment metrics
 * follow A's, part from them in a later block, and must still hold what
 * their own values give. */
Test(merge, a_metric_that_parts_from_what_it_followed_takes_its_state_then) {
    scenario *a = must_load_repo_file("scenarios/peterborough.json");
    scenario *b = must_load_repo_file("scenarios/peterborough.json");
    b->contract.rules[0].trigger = 0.10002;
    for (unsigned threads = 1; threads <= 3; threads += 2) {
        sib_error err;
        engine *e = engine_new_compare(a, b, NULL, &err);
        cr_assert_not_null(e, "%s", err.message);
        size_t followers, parted;
        const uint64_t paths = 40 * ENGINE_BLOCK_PATHS;
        assert_merge_as_one_by_one(e, &paths, 1, threads, &followers, &parted);
        cr_assert(followers > 0 && parted > 0,
                  "followers %zu, parted %zu: the test no longer parts a follower", followers,
                  parted);
        engine_free(e);
    }
    scenario_free(a);
    scenario_free(b);
}
