/* analysis_internal.h -- what the analyses of sim/analysis.c (sweep,
 * convergence, the value of the pilot), sim/tornado.c and sim/solve.c
 * share: loading a run's scenario, telling which runs may settle futures
 * drawn once, and running many runs side by side. Internal to the
 * analyses, not part of sim/'s interface (analysis.h is). */
#ifndef SIB_ANALYSIS_INTERNAL_H
#define SIB_ANALYSIS_INTERNAL_H

#include <stddef.h>

#include "analysis.h"

/* The scenario with overrides as every run of b takes it: b's paths and
 * seed when b sets them. NULL, with err filled, when it does not load. */
scenario *an_load_for(const analysis_base *b, const scenario_override *ov, size_t n_ov,
                      sib_error *err);

/* Whether a run of sc may settle the futures a run of base draws: the two
 * draw them alike (engine_scenarios_draw_alike: they differ only in their
 * contracts, financing, planned costs or names) on the same seed,
 * generator and number of paths. 0 when either is NULL. */
int an_draws_as(const scenario *base, const scenario *sc);

/* Compile the scenario with overrides into out (a new engine), keeping
 * what b->only says, without running it. SIB_OK, or the error's code with
 * out freed. */
int an_open_run(const analysis_base *b, const scenario_override *ov, size_t n_ov, analysis_run *out,
                sib_error *err);

/* The memory runs may keep recorded futures in (analysis_base.draws_max,
 * or ANALYSIS_DRAWS_MAX when it is 0). */
size_t an_draws_max(const analysis_base *b);

/* The most overrides a run of an_run_each takes, and what done returns to
 * end the runs early with SIB_OK. */
#define EACH_MAX_OV 2
#define EACH_ENOUGH (-1)

typedef size_t (*each_spec_fn)(size_t i, scenario_override *ov, void *ud);
typedef int (*each_done_fn)(size_t i, int rc, const engine *e, const sib_error *err, void *ud);

/* Independent runs on the same seed (a sweep's points, a tornado's moves),
 * run i with the overrides spec(i) writes (at most EACH_MAX_OV; returns
 * how many). done(i, ...) is called for i = 0, 1, ... in order, from the
 * calling thread, with the run's status, its engine (NULL when it failed)
 * and its error; it returns 0 to go on, EACH_ENOUGH to end with SIB_OK, or
 * a code to end with. spec is called from any thread, and must give run i
 * the same overrides every time.
 *
 * Runs whose scenarios draw their futures as the scenario without
 * overrides does (an_draws_as: overrides of terms of the contract or the
 * financing, or of planned costs) settle futures drawn once, every run's
 * results those it would have alone. When run 0 is one of them, it runs
 * first, on every thread, and records its futures (engine_draws, within
 * an_draws_max); every other such run then settles them again. When they
 * do not fit, consecutive such runs go as families of at most four
 * (engine_run_family), each future drawn once a family. */
int an_run_each(const analysis_base *b, size_t total, each_spec_fn spec, each_done_fn done,
                void *ud, sib_error *err);

#endif
