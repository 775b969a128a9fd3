/* analysis.h -- analyses for deal design on top of runs: sweeps, tornado
 * sensitivity, solving for a term, convergence, and the value of a pilot's
 * information.
 *
 * Every analysis runs the same scenario text many times with a few numbers
 * changed (scenario_override, addressed by JSON Pointer) and the SAME seed,
 * so that all runs share their random numbers: the differences between
 * points are the effect of the change, not Monte Carlo noise (see
 * draw_inputs in engine.c for how changes of priors keep the streams in
 * step). Nothing here prints: results are returned, or handed to a callback
 * with the engine of each point, which the caller may read but not keep.
 */
#ifndef SIB_ANALYSIS_H
#define SIB_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "../model/scenario.h"
#include "engine.h"

/* What every analysis runs: the scenario's JSON text (and the name used in
 * errors), the paths per run, the threads, and an optional seed override.
 * With `only` a metric (as analysis_choose reads it), each run keeps that
 * metric's distribution alone (engine_keep_only): for a caller that reads
 * no other. The tornado, solve and converge set it themselves.
 *
 * Runs of a sweep, a tornado or a solve whose scenarios draw their futures
 * as the scenario without overrides does (engine_scenarios_draw_alike, on
 * the same seed, generator and paths) settle futures drawn once, each run's
 * figures those of the run alone: the first such run records its futures
 * (engine_draws) when they fit in draws_max bytes (0: 256 MB), and the
 * others settle them again; otherwise a sweep's and a tornado's go in
 * families of four (engine_run_family), and a solve's each alone. */
typedef struct analysis_base {
    const char *text;
    const char *name;
    uint64_t paths; /* 0: the scenario's own */
    unsigned threads;
    int have_seed;
    uint64_t seed;
    const char *only; /* NULL: every metric */
    size_t draws_max; /* 0: ANALYSIS_DRAWS_MAX */
} analysis_base;

#define ANALYSIS_DRAWS_MAX ((size_t)256 << 20)

/* A statistic of a metric. */
typedef enum { STAT_MEAN, STAT_P05, STAT_P25, STAT_P50, STAT_P75, STAT_P95, STAT_SD } stat_kind;

/* A chosen metric: "GROUP/KEY" exactly, or a KEY (or its end, e.g. "irr")
 * that names one metric only; with an optional ":STAT" (mean, p05, p25,
 * median, p75, p95, sd). */
typedef struct metric_choice {
    size_t index;
    stat_kind stat;
} metric_choice;

/* Resolve spec against engine e's metrics. SIB_EINVAL with a message naming
 * the candidates when it matches none or several. */
int analysis_choose(const engine *e, const char *spec, metric_choice *out, sib_error *err);

/* The chosen statistic of metric `index`, and its standard error (for the
 * mean; NaN for quantiles, whose SE is not estimated). */
double analysis_value(const engine *e, const metric_choice *m, double *se);

/* Compile and run the scenario with overrides: a new engine the caller
 * frees, or NULL with err filled. The scenario is freed with the engine by
 * analysis_free_run. */
typedef struct analysis_run {
    scenario *sc;
    engine *e;
} analysis_run;
int analysis_run_with(const analysis_base *b, const scenario_override *ov, size_t n_ov,
                      analysis_run *out, sib_error *err);
void analysis_free_run(analysis_run *r);

/* ---------------------------------------------------------------- sweep */

/* Called once per grid point with the parameter values and the point's
 * engine (valid during the call only). Return non-zero to stop. */
typedef int (*sweep_fn)(const double *x, size_t n_params, const engine *e, void *ud);

/* Sweep one or two parameters (pointers[i]) over a grid of steps[i] values
 * from from[i] to to[i] inclusive (steps >= 2; one step = from only); the
 * second parameter varies fastest; the two must be different terms
 * (SIB_EINVAL naming the pointer given twice). With b->threads > 1 (and
 * not in a cluster) several points run side by side, each on its share of the
 * threads; fn is still called once per point, in grid order, from the
 * calling thread, and every point's results are those of a run alone (a
 * run does not depend on its thread count). */
int analysis_sweep(const analysis_base *b, const char *const *pointers, const double *from,
                   const double *to, const int *steps, size_t n_params, sweep_fn fn, void *ud,
                   sib_error *err);

/* The values x[0 .. n_params) of point i of analysis_sweep's grid, the
 * second parameter fastest: x = from + (to - from) * index / (steps - 1),
 * both ends included (from alone when steps is 1). */
void analysis_sweep_values(const double *from, const double *to, const int *steps,
                           size_t n_params, size_t i, double *x);

/* -------------------------------------------------------------- tornado */

typedef struct tornado_bar {
    char pointer[256];
    int is_input;          /* 1: an uncertain input at its P10/P90; 0: a term +- pct */
    double low, high;      /* the values it was moved to */
    double metric_low, metric_high;
    double swing;          /* |metric_high - metric_low|; NaN when either is undefined */
} tornado_bar;

/* Move each uncertain input to its 10th and 90th percentile, and each
 * contract and financing term (prices, amounts, triggers, caps, coupons,
 * commitments, costs) by pct of its size down and up (low < high, for a
 * term below zero too), and record the chosen metric. Every input and term
 * is run; bars receives the widest max_bars of them, sorted by swing,
 * largest first, those with no swing (NaN) last; *n_bars their number;
 * *base the metric with nothing moved. */
int analysis_tornado(const analysis_base *b, const char *metric, double pct, tornado_bar *bars,
                     size_t max_bars, size_t *n_bars, double *base, sib_error *err);

/* The moves analysis_tornado makes, without running anything: each
 * uncertain input's P10 and P90, then each term -+ pct (bars' pointer,
 * is_input, low and high; their metric fields NaN), in the order it runs
 * them, into a new *moves of *n bars for the caller to free (NULL on an
 * error). For what a caller checks before the runs (the warnings at each
 * move). */
int analysis_tornado_moves(const analysis_base *b, double pct, tornado_bar **moves, size_t *n,
                           sib_error *err);

/* ----------------------------------------------------------------- solve */

typedef struct solve_result {
    double value;        /* the parameter value found (every pointer takes it) */
    double metric, se;   /* the metric there, and its standard error */
    double lo, hi;       /* the final bracket */
    double f_lo, f_hi;   /* metric - target at the initial bracket's ends */
    int iterations;
    int found;           /* 0: the range does not bracket the target */
    double f_mid;        /* not found: metric - target at the middle of the range */
    int flat;            /* not found, and the metric is exactly the same at the middle
                            and one end (1: it stops moving within the range) or both
                            ends (2: it does not move in the range at all) -- a cap or
                            a trigger holds it there */
    int jump;            /* not found: the metric jumps past the target at `value` (a
                            lag moved by whole periods, a trigger that every future
                            crosses at once), and no value gives it */
    double f_jump_lo, f_jump_hi; /* jump: metric - target at the final bracket's ends */
    int widen;           /* not found, not a jump: the end of the range past which the
                            target may be reached: -1 (below lo) or 1 (above hi) when the
                            metric is nearer the target at that end and is not held still
                            there (flat 1 at the other end, or flat 0); 0 when it is held
                            still at the end nearer the target or throughout (flat 2),
                            where no wider range helps, or both ends are equally near */
    int twice;           /* found: the ends are on the same side of the target, but the
                            middle of the range is on the other: the metric rises and
                            falls (or falls and rises) and crosses the target twice at
                            least, once in each half. value is the crossing in the lower
                            half, value2 the one in the upper half, with metric2 and se2
                            there (found2: 0 when that search closed on a jump; when the
                            lower one did, value is the upper crossing instead) */
    int found2;
    double value2, metric2, se2;
} solve_result;

/* Find the value x, within [lo, hi], that the parameters at pointers[0..n)
 * all take (linked terms: one price that appears in several rules) at
 * which the chosen metric equals target: GSL's Brent solver, every
 * evaluation a run on the same seed. When metric - target has the same sign
 * at both ends, the middle is looked at: on the other side, the metric
 * crosses the target in each half, and both crossings are found (twice);
 * on the same side, found = 0, f_lo and f_hi tell how far off they are,
 * flat whether the metric moves at all, and widen past which end, if any,
 * it moves toward the target. A metric that crosses the target twice
 * within one half, the ends and the middle all on one side, is not seen. When the bracket closes on a jump
 * past the target rather than a root -- the metric differs across the
 * final bracket by more than the standard error of its mean at the root
 * and a thousandth of its change over the range -- found = 0 and jump = 1, with
 * the jump at value and the metric on either side in f_jump_lo and
 * f_jump_hi. The metric's mean is the target
 * (aggregates included); quantiles (":p95") may be targets too. */
int analysis_solve(const analysis_base *b, const char *const *pointers, size_t n_pointers,
                   double lo, double hi, const char *metric, double target, double xtol,
                   solve_result *out, sib_error *err);

/* -------------------------------------------------------------- converge */

/* Called after each doubling with the paths run so far and the engine,
 * which keeps the chosen metric's distribution alone (engine_keep_only). */
typedef int (*converge_fn)(uint64_t paths, const engine *e, void *ud);

/* Run the scenario for 1024, 2048, 4096, ... paths (extending one run, so
 * each estimate includes the last) until the chosen metric's standard error
 * is at most `precision` or max_paths is reached. *paths_out receives the
 * paths of the last estimate and *reached whether the precision was met. */
int analysis_converge(const analysis_base *b, const char *metric, double precision,
                      uint64_t max_paths, converge_fn fn, void *ud, uint64_t *paths_out,
                      int *reached, sib_error *err);

/* ---------------------------------------------------- value of the pilot */

/* The value of gating later stages on the pilot's measured results: runs
 * the scenario as written (gated) against the same scenario with every gate
 * removed (everything commissioned up front), on common random numbers, as
 * a compare engine: A = committed, B = gated, so each ROLE_DIFF metric is
 * "gated - committed". The caller frees the run. SIB_EINVAL when the
 * scenario has no gate. */
int analysis_pilot_value(const analysis_base *b, analysis_run *out, scenario **committed,
                         sib_error *err);

#endif
