/* fan.h -- what the commissioner pays, step by step, across futures: the
 * numbers behind a fan chart.
 *
 * A run's metrics summarise each future in one number (its total outlay,
 * its largest year). A fan chart needs the distribution of the outlay in
 * each year separately: for every financing structure and every step of the
 * cash-flow grid (a year, or any number of periods), the mean and the 5th,
 * 25th, 50th, 75th and 95th percentiles of the commissioner's outlay in
 * that step over the run's futures.
 *
 * fan_commissioner replays exactly the futures engine_run simulates for the
 * engine's seed (path i here is path i of the run, block by block from the
 * same generators), settles each into its ledger and adds the outlay of
 * every step to a fixed-memory accumulator (stats.h), in path order. So the
 * result is bit-identical for any number of threads, its memory does not
 * grow with the paths, and the steps' means add up to the run's
 * commissioner.total of the same structure (up to rounding). Quantiles are
 * read from the accumulators' sketch (0.2% resolution, exact for point
 * masses). The percentiles of different steps are of different futures:
 * the median line is not the outlay of a median future.
 *
 * Nothing here prints. The engine must be an ordinary engine (engine_new),
 * not a compare engine.
 */
#ifndef SIB_FAN_H
#define SIB_FAN_H

#include <stddef.h>
#include <stdint.h>

#include "../model/error.h"
#include "engine.h"

/* One step of one structure, over the futures. */
typedef struct fan_band {
    double mean;
    double p05, p25, p50, p75, p95;
    double min, max;
} fan_band;

/* The outlay of every structure, step by step. band[f * n_steps + k] is
 * structure f's step k, which covers the periods [k * step_periods,
 * (k + 1) * step_periods) of the grid (the last step may be shorter). */
typedef struct fan {
    size_t n_fin;        /* the scenario's financing structures */
    size_t n_steps;      /* ceil(engine_periods / step_periods) */
    size_t step_periods; /* periods a step (periods_per_year: one step a year) */
    uint64_t paths;      /* futures the bands are over */
    fan_band *band;      /* [n_fin * n_steps] */
} fan;

/* Replay the first `paths` futures of e's run on `threads` threads (0: one)
 * and summarise each structure's outlay in steps of step_periods periods.
 * On success *out is a new fan the caller frees with fan_free. SIB_EINVAL
 * when paths or step_periods is 0 or e is a compare engine; SIB_ENOMEM when
 * memory runs out (nothing is returned). */
int fan_commissioner(const engine *e, uint64_t paths, size_t step_periods, unsigned threads,
                     fan **out, sib_error *err);

/* Free a fan. NULL is a no-op. */
void fan_free(fan *f);

/* Add up flow[0 .. periods) in steps of step_periods periods into
 * out[0 .. ceil(periods / step_periods)): the same grouping as the fan's,
 * for one ledger's line (e.g. the expected case's outlay). step_periods 0
 * is taken as 1. */
void fan_steps(const double *flow, size_t periods, size_t step_periods, double *out);

#endif
