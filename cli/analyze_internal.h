/* analyze_internal.h -- what the analysis commands share: cli/analyze.c
 * (the plumbing, sweep and tornado) and cli/analyze_solve.c (solve,
 * converge and pilot-value). Internal to those two files. */
#ifndef SIB_ANALYZE_INTERNAL_H
#define SIB_ANALYZE_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include "../model/error.h"
#include "../sim/analysis.h"
#include "../sim/engine.h"
#include "../sim/warnings.h"
#include "options.h"

enum { EXIT_RUN = 1, EXIT_INPUT = 2 };

/* What a table says of the chosen metric: its label and its unit; and, for
 * CSV and JSON, what the name resolved to (analysis_choose): the metric's
 * group, key, label and unit as `run` names them, and the statistic. */
typedef struct shown_metric {
    char label[400];
    metric_unit unit; /* a probability is a share */
    int known;        /* the metric was found (else values are plain numbers) */
    char group[SCENARIO_NAME_MAX];
    char key[2 * SCENARIO_NAME_MAX + 40];
    char mlabel[2 * SCENARIO_NAME_MAX + 80]; /* the metric's own label, as in run */
    metric_unit run_unit;                    /* its unit as run's CSV and JSON give it */
    stat_kind stat;
} shown_metric;

/* The scenario's own warnings, as written (printed once, before the
 * analysis, by main.c): the first 64. */
typedef struct warn_base {
    sib_warning w[64];
    size_t n;
} warn_base;

#define CSV_METRIC_RESOLVED "metric_group,metric_key,metric_unit,metric_stat"

/* Write buf to stdout, or atomically to --out, with its provenance (output.h). */
int analyze_emit(const run_opts *o, const char *buf, size_t len);

/* Report err (the loader's or the engine's) and choose the exit status. */
int analyze_fail(const sib_error *err);

/* Refuse (2, after options_value_refused's message naming --option) a
 * metric `spec` that the scenario, compiled, has none of, before anything
 * runs. 0 when it has one, when spec is NULL (none given: the default is
 * the scenario's own), or when the scenario does not compile (its own
 * error is said where it is run). */
int analyze_metric_refused(const char *cmd, const char *option, const char *spec, const char *text,
                           const char *name);

analysis_base analyze_base_of(const run_opts *o, const char *text, const char *name);

const char *analyze_metric_of(const run_opts *o, const char *text, const char *name, char *buf,
                             size_t size);

/* The label and unit of metric `spec` in the scenario's text (compiled,
 * not run), and what it resolved to. */
shown_metric analyze_metric_shown(const char *text, const char *name, const char *spec);

/* JSON: `, "metric_resolved": {"group": G, "key": K, "label": L, "unit": U,
 * "stat": S}` -- what the metric named as typed ("metric") resolved to, so
 * that a reader need not resolve "irr" again; null when it resolved to
 * nothing (not reached: the analysis fails first). */
void analyze_json_metric_resolved(FILE *out, const shown_metric *sm);

void analyze_csv_metric_resolved(FILE *out, const shown_metric *sm);

/* A value of the metric in its unit, a little more precise than a run's
 * report (analyses compare close values): "-6.81%", "0.770x", "£2.02m". */
const char *analyze_show(char *buf, size_t size, const shown_metric *sm, const char *currency,
                        double x);

/* A standard error: "±" and the value in the metric's unit; "" for NaN. */
/* A standard error above zero that is below what an SE of the metric's
 * unit can show -- a ten-thousandth of a point of a rate or share, a
 * hundred-thousandth of a multiple: "<0.0001%" or "<0.00001x" into buf,
 * without the sign, and 1; else 0, buf untouched. The rounding of sums of
 * flows that are the same in every future (Utah's senior tranche): sweep,
 * solve and converge write it so, never as zeros. */
int analyze_se_below(char *buf, size_t size, const shown_metric *sm, double x);

const char *analyze_show_se(char *buf, size_t size, const shown_metric *sm, const char *currency,
                           double x);

/* A term for people: its name from the scenario, then its pointer, as
 * `price of payment "final true-up" (/contract/payments/1/price)`. */
const char *analyze_term_title(char *buf, size_t size, const scenario *sc, const char *pointer);

/* Whether every --param is a term an analysis (cmd, "sweep" or "solve")
 * may move: not the seed nor the number of paths, which say how every run
 * is made (--seed, --paths); not a pointer at which the scenario's text
 * takes no value at all (the loader refuses it alike at two values). Prints
 * why and returns EXIT_INPUT, or 0. */
int analyze_params_are_terms(const char *cmd, const run_opts *o, const char *text,
                             const char *name);

void analyze_warn_base_of(const char *text, const char *name, warn_base *wb);

/* The warnings (likely mistakes, sim/warnings.h) of the scenario with
 * every pointer set to its value x[k] that the scenario as written (wb)
 * does not have: printed on stderr, at most `room` of them, as "NAME: at
 * POINTER = VALUE[, ...]: POINTER: warning: MESSAGE". Returns how many
 * there are, printed or not. When the scenario does not load at x, none:
 * its error goes to *failed when failed is not NULL. */
size_t analyze_warn_at(const char *text, const char *name, const warn_base *wb,
                       const char *const *pointers, const double *x, size_t n, size_t room,
                       sib_error *failed);

/* With --strict, n warnings at an analysis' points (warn_at) are errors,
 * as the scenario's own are (main.c): said, and EXIT_INPUT; 0 otherwise. */
int analyze_strict_points(const run_opts *o, size_t n);

#endif
