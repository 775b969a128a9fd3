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
#include "../model/ledger.h"
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
    METRIC_VALUE,      /* a quantity per path: report its distribution */
    METRIC_INDICATOR,  /* 0 or 1 per path: its mean is a probability */
    METRIC_RATIO,      /* a ratio of expectations over every path, E[num] / E[den]
                          (an expected multiple, a cost per outcome, a conditional
                          probability): one number with its standard error, no
                          distribution */
    METRIC_POOLED_IRR  /* the IRR of a tranche's expected cash flows (the mean flow
                          of each period over every path): one number and its SE */
} metric_kind;

/* Which side of a metric hurts the party it describes: tail measures ("the
 * worst 5% of futures") are taken on that side. */
typedef enum {
    SIDE_NONE, /* neither: a count, a draw, a probability */
    SIDE_HIGH, /* high values hurt: a cost, a loss, capital at risk */
    SIDE_LOW   /* low values hurt: a return, a surplus, a net value */
} metric_side;

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
    char label[2 * SCENARIO_NAME_MAX + 80];
    metric_unit unit;
    metric_kind kind;
    metric_role role;
    metric_side bad;
    size_t twin, diff; /* ROLE_OWN in a compare engine: indices of its twin and
                          difference metrics, or SIZE_MAX when B has no such metric */
    /* Where it comes from (used to pair the metrics of two scenarios): */
    size_t fin;        /* financing structure, or SIZE_MAX (programme, commissioner) */
    size_t tranche;    /* its investor tranche (index among the structure's tranches,
                          over a blend's parts), or SIZE_MAX */
    size_t guarantee;  /* its guarantee (likewise), or SIZE_MAX */
    char stem[40];     /* a tranche's or guarantee's metric: the key's end ("irr") */
    /* Aggregates: */
    size_t num[4], den[2]; /* RATIO: sums of these per-path metrics (SIZE_MAX: none) */
    size_t unit_index;     /* POOLED_IRR: the engine's investor unit */
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
 * metric the two share the engine also accumulates the path-by-path
 * difference B - A (aggregates: B's estimate - A's), whose standard error is that of a paired
 * comparison -- far smaller than that of two independent runs when the
 * scenarios differ only in a few terms. The metrics are A's (ROLE_OWN), then
 * B's (ROLE_TWIN, groups as in B), then the differences (ROLE_DIFF). Both
 * scenarios must outlive the engine. CRN holds exactly while the two draw
 * the same number of random numbers per path (same priors, cohorts and
 * designs); otherwise the streams drift apart and the difference is still
 * right on average, just noisier. B's own seed and generator are not used:
 * both run on A's. Metrics are shared when their group and key are equal
 * (programme, commissioner), or when they are the same metric of paired
 * financing structures, tranches and guarantees: pair[f] is B's structure
 * for A's structure f (SIZE_MAX: none), or pair is NULL to pair them by
 * engine_pair_structures. */
engine *engine_new_compare(const scenario *a, const scenario *b, const size_t *pair,
                           sib_error *err);

/* How A's financing structures are paired with B's for a comparison:
 * pair[f] is B's structure for A's structure f, or SIZE_MAX when it has no
 * partner; how[f] says why (PAIR_*). Pairs the caller fixed (fixed[f] !=
 * SIZE_MAX, e.g. from --pair A=B) are kept; the others pair by name, then
 * the rest by position among the unpaired. pair and how have a->n_financing
 * entries; fixed may be NULL. Within a pair, tranches and guarantees pair
 * the same way (by name, then by position). */
typedef enum { PAIR_NONE, PAIR_FIXED, PAIR_NAME, PAIR_POSITION } pair_how;
void engine_pair_structures(const scenario *a, const scenario *b, const size_t *fixed,
                            size_t *pair, pair_how *how);

/* Free an engine and its accumulators. NULL is a no-op. */
void engine_free(engine *e);

/* Run until total_paths paths are done (counting those of earlier calls),
 * on `threads` worker threads (0 = one). progress may be NULL. Returns
 * SIB_OK, SIB_ECANCEL (the committed prefix of blocks stays in the results),
 * SIB_EINVAL (extending a run whose last block was partial) or SIB_ENOMEM. */
int engine_run(engine *e, uint64_t total_paths, unsigned threads, engine_progress_fn progress,
               void *ud, sib_error *err);

/* A family of runs: n engines whose scenarios make the same futures and
 * settle them differently -- the points of a sweep of a price, a cap, a
 * coupon or a planned cost. Each future is drawn once, by es[0] (its seed,
 * generator and input draws), and settled by every engine: contract,
 * costs, financing and metrics. Every engine's results are then those of
 * engine_run alone, to the bit, when, and only when, its scenario draws
 * its futures as es[0]'s does (engine_scenarios_draw_alike; the caller's
 * to ensure).
 * The engines must have the same shape (seed, generator, inputs, stages,
 * cohorts, outcomes) and paths done, and neither compare (twin) nor stream
 * their paths: SIB_EINVAL otherwise, or in a cluster (engine_use_cluster).
 * Returns as engine_run. Drawing a future is about a fifth of its time in
 * the default scenario, half in Massachusetts' (75 groups to draw). */
int engine_run_family(engine *const *es, size_t n, uint64_t total_paths, unsigned threads,
                      sib_error *err);

/* A recording of the futures a run draws, for runs that settle them again
 * (a sweep's points, a tornado's moved terms, a solve's evaluations):
 * engine_run_recorded records
 * into an empty one, and later runs replay it, each future settled on the
 * run's own terms without being drawn again. Each replaying run's results
 * are those of the run alone, to the bit, under the same condition as a
 * family's: its scenario draws as the recorded one does
 * (engine_scenarios_draw_alike; the caller's to ensure). A future takes
 * some 20 doubles in the default scenario, 100 in Massachusetts'.
 *
 * engine_draws_new: room for `paths` futures of engines of e's shape
 * (seed, generator, inputs, stages, cohorts, outcomes), or NULL when that
 * would take more than max_bytes, or memory is short. */
typedef struct engine_draws engine_draws;
engine_draws *engine_draws_new(const engine *e, uint64_t paths, size_t max_bytes);
void engine_draws_free(engine_draws *d);

/* Run e (no paths done yet) to total_paths paths as engine_run does (no
 * progress): when d holds no recording, drawing each future and recording
 * it; otherwise settling the recorded futures. SIB_EINVAL when e is not of
 * d's shape, compares or streams its paths, has paths done, asks for more
 * futures than d holds (or than it recorded), or in a cluster. A run that
 * fails or is cancelled while recording leaves d empty. */
int engine_run_recorded(engine *e, engine_draws *d, uint64_t total_paths, unsigned threads,
                        sib_error *err);

/* Whether scenarios a and b draw every future alike: equal in all that
 * drawing a future reads (the priors and the order of the inputs, their
 * correlations, the stages but for their names and planned costs, the
 * outcomes and their evaluations but for their names, the termination
 * clause but for what it pays, the discount rate), and neither with a
 * gate on payments made. A comparison of two such scenarios
 * (engine_new_compare) settles A's futures for B instead of drawing them
 * again, with the same results. The seed, generator and paths are not
 * compared (B runs on A's streams): runs that share a recording or a
 * family need those equal too. */
int engine_scenarios_draw_alike(const scenario *a, const scenario *b);

/* Forget all results (paths done = 0); the compiled scenario is kept. */
void engine_reset(engine *e);

/* Paths whose results are in the accumulators. */
uint64_t engine_paths_done(const engine *e);

/* The metrics, in a fixed order (programme, commissioner, then each
 * financing structure). i < engine_metric_count(e). */
size_t engine_metric_count(const engine *e);
const metric_info *engine_metric(const engine *e, size_t i);

/* The investor tranche metric i is about, as the engine's scenario holds
 * it (for its terms: the discount rate of its NPV, its coupon), or NULL
 * when metric i is not one of a tranche's own (tranche == SIZE_MAX, or a
 * compare engine's twin or difference). */
const tranche *engine_metric_tranche(const engine *e, size_t i);
const stats_acc *engine_stats(const engine *e, size_t i);

/* Index of the metric (group, key), or (size_t)-1. */
size_t engine_find_metric(const engine *e, const char *group, const char *key);

/* The summary of metric i, whatever its kind: for per-path metrics the
 * accumulator's (stats.h); for aggregates (METRIC_RATIO, METRIC_POOLED_IRR)
 * mean = the estimate and se its standard error (the delta method: for a
 * ratio over every path, for the IRR of the expected flows by batch means
 * over ENGINE_BATCHES interleaved batches of paths),
 * n the paths it is over, and every quantile NaN. In a compare engine, a
 * difference of aggregates is B's estimate minus A's, with the SE of the
 * paired difference. */
void engine_summary(const engine *e, size_t i, stats_summary *s);
#define ENGINE_BATCHES 64

/* Keep the distributions of the n metrics listed (indices below
 * engine_metric_count) and no other: a run then skips adding every other
 * per-path metric to its statistics (about a sixth of a future's time in
 * the library's scenarios), and their summaries are empty (n = 0, every
 * statistic NaN). Aggregates (ratios, the IRR of the expected flows) are
 * computed whatever. For an analysis that reads one metric of each run (a
 * tornado, a solve, a sweep's table); call before engine_run. SIB_EINVAL
 * for an index out of range, the engine unchanged. */
int engine_keep_only(engine *e, const size_t *metrics, size_t n, sib_error *err);

/* The mean of the worst share q of the futures for metric i, on the side
 * that hurts its party (metric_info.bad): the lowest q of a return, the
 * highest q of a cost. NaN for SIDE_NONE and aggregates. */
double engine_worst_mean(const engine *e, size_t i, double q);

/* Why a tranche's IRR is what it is, over the paths run: metric i must be a
 * per-path IRR (key "<tranche>.irr"); SIB_EINVAL otherwise. total_loss
 * paths count as -100% in its distribution; the others are undefined and
 * left out of it. */
typedef struct irr_counts {
    uint64_t defined;        /* an IRR exists (a single root) */
    uint64_t total_loss;     /* money went in and nothing came back: -100%, counted */
    uint64_t nothing_drawn;  /* no cash flow at all: undefined */
    uint64_t no_sign_change; /* only money received: undefined */
    uint64_t several_roots;  /* flows change sign more than once, several IRRs */
    uint64_t no_root;        /* flows change sign more than once, and no rate gives a zero
                                NPV (money back, then more lost): undefined */
    uint64_t no_convergence; /* the solver failed (should not happen) */
} irr_counts;
int engine_irr_counts(const engine *e, size_t i, irr_counts *out);

/* ------------------------------------------------------------ ledgers */

/* A ledger for this engine's scenario and grid (ledger.h), to be filled by
 * the calls below; free with ledger_free. NULL when out of memory. */
struct ledger *engine_ledger_new(const engine *e);

/* The ledger of path `path` of the run (exactly the path the run commits
 * for this seed), its metric values (engine_metric_count doubles, aggregates
 * NaN) and its input draws (scenario.n_inputs doubles); l, values and
 * inputs may each be NULL. A compare engine gives A's path. */
int engine_path_ledger(const engine *e, uint64_t path, struct ledger *l, double *values,
                       double *inputs, sib_error *err);

/* The deterministic expected case, the base case of a spreadsheet: every
 * uncertain input at its mean (clamped to its bounds; correlations do not
 * matter then), every measurement at its expectation (measured = expected,
 * no sampling noise, no drift beyond the mean trend), no operational
 * failure, and a stage commissioned when its gate holds and its probability
 * is at least one half. Fills l, values and inputs as engine_path_ledger. */
int engine_expected_ledger(const engine *e, struct ledger *l, double *values, double *inputs,
                           sib_error *err);

/* A backtest: the contract settled on the realised record rec (scenario.h)
 * -- its measurements, the stages that ran, when the programme stopped --
 * with every other input at its mean as in the expected case. Metrics of
 * true outcomes are NaN (the truth is not in a record). Fills l and values
 * as engine_path_ledger, and inputs (unless NULL, scenario.n_inputs
 * doubles) with the value of each uncertain input the backtest reads --
 * its prior's mean clamped to its bounds: the overrun of a stage that ran,
 * the volume of one with a cohort the record has no result for -- and NaN
 * for one it does not read (an effect, a population, an engagement, a
 * multiplier, an evaluation's bias, trend or deviation: the record's
 * measurements stand for them; a stage that did not run). */
int engine_realised_ledger(const engine *e, const realised *rec, struct ledger *l,
                           double *values, double *inputs, sib_error *err);

/* ---------------------------------------------------- streaming paths */

/* Called by a run after each committed block, in block order, with the
 * block's paths: row j (path first + j) holds width doubles: the
 * engine_metric_count metric values (aggregates NaN), then the draw of
 * every input of A (scenario.n_inputs) and, in a compare engine, of B.
 * Return non-zero to cancel the run. Called from a worker thread, one call
 * at a time. */
typedef int (*engine_paths_fn)(uint64_t first, uint32_t n, const double *rows, size_t width,
                               void *ud);

/* Stream every path of the runs that follow to fn (NULL stops streaming). */
void engine_observe_paths(engine *e, engine_paths_fn fn, void *ud);

/* The delivery cost planned for each period (engine_periods values): every
 * stage run, no overrun, the planned participants. A path's own costs vary
 * with its gates, volume, overrun and failure. */
size_t engine_periods(const engine *e);
const double *engine_costs(const engine *e);

/* ------------------------------------------------------------- its state */

/* The engine's accumulated state -- the paths done, every metric's
 * accumulator, the sums behind the aggregates, for the engine and its twin
 * -- as bytes (layout in docs/cluster.md): what a checkpoint file holds and
 * what the processes of a cluster run send each other. *buf (malloc'd, the
 * caller frees it) and *len, or SIB_ENOMEM. */
int engine_state_save(const engine *e, unsigned char **buf, size_t *len, sib_error *err);

/* Make e -- built from the same scenario(s) -- what it was when the state
 * was saved: a run then continues from engine_paths_done(e) exactly as if
 * it had never stopped. SIB_EINVAL (e reset to empty) when the bytes are not
 * a saved state, are damaged, or do not fit e's metrics and grid. */
int engine_state_load(engine *e, const unsigned char *buf, size_t len, sib_error *err);

/* ------------------------------------------------------------ clusters */

/* How the processes of a cluster run talk to each other (cli/cluster.c
 * implements it with MPI; sim/ knows no MPI). Block k of every run belongs
 * to the process k % size; process 0 merges every block in block order, so
 * a run's result is the one process's, bit for bit, for any number of
 * processes and threads (docs/cluster.md). Every function returns 0, or
 * non-zero when the message could not be passed. */
typedef struct engine_cluster {
    int rank, size;
    void *ud;
    /* A process other than 0: `bytes` of block k's data to process 0. */
    int (*send)(void *ud, uint64_t block, const void *data, size_t bytes);
    /* Process 0: `bytes` of block k's data from process `from`, in order. */
    int (*recv)(void *ud, uint64_t block, int from, void *data, size_t bytes);
    /* Every process: process 0's *data (*len bytes) to every other, which
     * receive them in a buffer they then own (free). */
    int (*bcast)(void *ud, unsigned char **data, size_t *len);
    /* A process that cannot go on: end every process with this message and
     * exit status. Does not return. */
    void (*fail)(void *ud, const char *message, int status);
} engine_cluster;

/* Make every later engine_run of this process part of cluster c, which must
 * outlive those runs; NULL (or a cluster of one) runs alone again. Every
 * process of a cluster must run the same engines on the same scenarios in
 * the same order (every sibsim command does). After engine_run, every
 * process holds the whole run's state; only process 0 calls the progress
 * and engine_observe_paths callbacks. A run cannot be cancelled part way in
 * a cluster: a callback's request to stop ends every process. */
void engine_use_cluster(const engine_cluster *c);

/* This process's rank in the cluster, 0 when alone. */
int engine_cluster_rank(void);

/* 1 when this process's runs are part of a cluster (engine_use_cluster),
 * 0 when it runs alone. */
int engine_in_cluster(void);

#endif
