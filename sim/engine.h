/* engine.h -- the Monte Carlo engine: many simulated futures of a scenario.
 *
 * An engine is compiled from a scenario once (engine_new), then runs paths
 * (engine_run) and accumulates, for every metric, the statistics of stats.h.
 *
 * Determinism. Paths are grouped in blocks of ENGINE_BLOCK_PATHS; block k
 * draws from its own generator seeded with sample_block_seed(seed, k). Worker
 * threads take blocks in any order, but each block's per-path values are
 * committed to the accumulators strictly in block order (a small reorder
 * window holds blocks that finish early). So the results of N paths are
 * bit-identical for any number of threads, and a run cancelled part-way holds
 * exactly the first blocks. A run can be extended (engine_run again with a
 * larger total) as long as the paths done so far fill whole blocks.
 *
 * The scenario passed to engine_new must outlive the engine. The engine does
 * no I/O and holds no global state; GSL's error handler should be off
 * (gsl_set_error_handler_off) in the program, as with any use of GSL.
 */
#ifndef SIB_ENGINE_H
#define SIB_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "../model/error.h"
#include "../model/scenario.h"
#include "stats.h"

#define ENGINE_BLOCK_PATHS 1024u

typedef enum {
    UNIT_MONEY, /* in the scenario's currency */
    UNIT_RATE,  /* an annual rate (IRR): 0.05 = 5% a year */
    UNIT_SHARE, /* a fraction shown as a percentage: an effect, a probability */
    UNIT_MULTIPLE, /* a ratio shown as "1.25x" */
    UNIT_COUNT  /* people or outcome events */
} metric_unit;

typedef enum {
    METRIC_VALUE,    /* a quantity: report its distribution */
    METRIC_INDICATOR /* 0 or 1 per path: its mean is a probability */
} metric_kind;

/* Describes one metric. group is "programme", "commissioner" or the name of
 * a financing structure; key is a stable machine name within the group
 * ("irr", "payments.total", ...); label is for people. */
typedef enum {
    ROLE_OWN,  /* a metric of the engine's scenario */
    ROLE_TWIN, /* compare engines: the same metric of the second scenario */
    ROLE_DIFF  /* compare engines: second minus first, path by path */
} metric_role;

typedef struct metric_info {
    char group[SCENARIO_NAME_MAX];
    char key[2 * SCENARIO_NAME_MAX + 40];
    char label[2 * SCENARIO_NAME_MAX + 60];
    metric_unit unit;
    metric_kind kind;
    metric_role role;
    size_t twin, diff; /* ROLE_OWN in a compare engine: indices of its twin and
                          difference metrics, or SIZE_MAX when B has no such metric */
} metric_info;

typedef struct engine engine;

/* Called after each committed block with the paths done and the run's
 * target; return non-zero to cancel the run. Called from worker threads, one
 * call at a time (under the engine's lock): keep it short. */
typedef int (*engine_progress_fn)(uint64_t done, uint64_t total, void *ud);

/* Compile sc into a new engine. Fails (NULL, err filled with the JSON Pointer
 * of the field) when the scenario names an unknown generator or is otherwise
 * not runnable; out of memory gives SIB_ENOMEM. */
engine *engine_new(const scenario *sc, sib_error *err);

/* An engine that runs two scenarios on common random numbers: path i of B
 * uses exactly the random stream of path i of A (A's seed), so that for every
 * metric the two share (same group and key) the engine also accumulates the
 * path-by-path difference B - A, whose standard error is that of a paired
 * comparison -- far smaller than that of two independent runs when the
 * scenarios differ only in a few terms. The metrics are A's (ROLE_OWN), then
 * B's (ROLE_TWIN, groups as in B), then the differences (ROLE_DIFF). Both
 * scenarios must outlive the engine. CRN holds exactly while the two draw
 * the same number of random numbers per path (same priors, cohorts and
 * designs); otherwise the streams drift apart and the difference is still
 * right on average, just noisier. B's own seed and generator are not used:
 * both run on A's. */
engine *engine_new_compare(const scenario *a, const scenario *b, sib_error *err);

/* Free an engine and its accumulators. NULL is a no-op. */
void engine_free(engine *e);

/* Run until total_paths paths are done (counting those of earlier calls),
 * on `threads` worker threads (0 = one). progress may be NULL. Returns
 * SIB_OK, SIB_ECANCEL (the committed prefix of blocks stays in the results),
 * SIB_EINVAL (extending a run whose last block was partial) or SIB_ENOMEM. */
int engine_run(engine *e, uint64_t total_paths, unsigned threads, engine_progress_fn progress,
               void *ud, sib_error *err);

/* Forget all results (paths done = 0); the compiled scenario is kept. */
void engine_reset(engine *e);

/* Paths whose results are in the accumulators. */
uint64_t engine_paths_done(const engine *e);

/* The metrics, in a fixed order (programme, commissioner, then each
 * financing structure). i < engine_metric_count(e). */
size_t engine_metric_count(const engine *e);
const metric_info *engine_metric(const engine *e, size_t i);
const stats_acc *engine_stats(const engine *e, size_t i);

/* Index of the metric (group, key), or (size_t)-1. */
size_t engine_find_metric(const engine *e, const char *group, const char *key);

/* The delivery cost planned for each period (engine_periods values): every
 * stage run, no overrun, the planned participants. A path's own costs vary
 * with its gates, volume, overrun and failure. */
size_t engine_periods(const engine *e);
const double *engine_costs(const engine *e);

/* Simulate the single path `path` (0-based) of the run and write its metric
 * values (engine_metric_count doubles). Deterministic: the same values the
 * run commits for that path. For tests and for explaining one future. */
int engine_simulate_path(const engine *e, uint64_t path, double *values, sib_error *err);

/* The draw of every uncertain input (scenario.inputs, n_inputs doubles) on
 * path `path`: what this future assumed. */
int engine_path_inputs(const engine *e, uint64_t path, double *inputs, sib_error *err);

#endif
