/* paper_internal.h -- what the files of the committee paper share: reading
 * a metric of the run, writing it in a table cell, the investor tranches,
 * and each file's sections. Not part of paper.h's interface.
 *
 *   paper.c          the page, these helpers, at a glance, the structures
 *                    side by side, true against measured, reproducibility
 *   paper_inputs.c   section 1: what the scenario says
 *   paper_charts.c   the charted sections: returns, outlay by year, the
 *                    stage funnel, the tornado
 */
#ifndef SIB_PAPER_INTERNAL_H
#define SIB_PAPER_INTERNAL_H

#include <stdio.h>

#include "paper.h"

#define NONE ((size_t)-1) /* no such metric */

/* The statistics a cell can show, named as in `run --format json`. */
typedef enum { ST_MEAN, ST_P05, ST_P50, ST_P95, ST_WORST } paper_stat;

/* An investor tranche: its structure and the start of its metrics' keys
 * ("T" or, in a blend, "PART: T"). */
typedef struct paper_unit {
    size_t f;
    char name[2 * SCENARIO_NAME_MAX + 8];
    double discount_rate; /* the tranche's rate for its NPV (a year); NaN if not found */
} paper_unit;

/* At most this many structures or tranches side by side in a table, so
 * that it fits an A4 page; more continue in a table of their own below. */
#define PAPER_COLUMNS 4

/* The metric (group, key) of the run, or NONE. */
size_t paper_find(const paper *p, const char *group, const char *key);

/* The unit a metric is shown in: a probability as a share. */
metric_unit paper_shown_unit(const metric_info *m);

/* Metric i's statistic (NaN when undefined in every future); *se, when
 * se is not NULL, its standard error for a mean, else NaN. */
double paper_stat_of(const paper *p, size_t i, paper_stat st, double *se);

/* Metric i's statistic formatted in its unit ("n/a" when undefined or
 * i is NONE). Returns buf. */
const char *paper_fmt(char *buf, size_t size, const paper *p, size_t i, paper_stat st);

/* A <td> with metric i's statistic, the standard error of a mean, and the
 * metric as data attributes (data-metric="GROUP/KEY", data-stat,
 * data-value with every digit); "n/a" for NONE. */
void paper_cell(FILE *out, const paper *p, size_t i, paper_stat st);

/* A <td> with a row's label and, when note is not NULL, what it is over. */
void paper_td_label(FILE *out, const char *label, const char *note);

/* One line saying why a part of the page is not there. */
void paper_why(FILE *out, const char *text);

/* What the contract's outcome payments cost the commissioner when no
 * structure stands between: "€1 on average, €4 in the costliest 5% of
 * futures", into buf. */
const char *paper_contract_cost(char *buf, size_t size, const paper *p);

/* Structure f's type in words ("payment by results"), or NULL when its
 * name already says it (a structure named "grant" that is a grant), so
 * that it is not called "grant (grant)". */
const char *paper_type_of(const paper *p, size_t f);

/* The investor tranches of every structure, in the engine's order, into
 * u[0 .. cap) (u may be NULL when cap is 0); returns how many there are,
 * which may be more than cap. */
size_t paper_units(const paper *p, paper_unit *u, size_t cap);

/* The metric `stem` ("irr", "p_loss", ...) of tranche u, or NONE. */
size_t paper_unit_metric(const paper *p, const paper_unit *u, const char *stem);

/* The unit of the number at a scenario field, from its pointer: an
 * uncertain input's (an effect, a bias, a multiplier), a share for rates
 * and thresholds (triggers, return caps, shares, probabilities), a count
 * for people and years, money otherwise. */
metric_unit paper_field_unit(const scenario *sc, const char *pointer);

/* Sections, in page order. Section 1, what the scenario says: its name and
 * description, its stated sources and assumptions (paper_provenance), its key
 * inputs and the model's main assumptions (paper_inputs.c). */
void paper_purpose(FILE *out, const paper *p);
void paper_section_returns(FILE *out, const paper *p, const paper_unit *u, size_t nu);
void paper_section_outlay(FILE *out, const paper *p);
void paper_section_funnel(FILE *out, const paper *p);
void paper_section_tornado(FILE *out, const paper *p);

#endif
