/* warnings_reach.h -- the reach of a measured effect, worked out in
 * sim/warnings_reach.c for the warnings of sim/warnings.c: the range a
 * cohort's or a pool's measured effect can plausibly take, from the priors
 * at their 0.1st and 99.9th percentiles and four standard errors of
 * sampling noise. Internal to the warnings, not part of sim/'s interface. */
#ifndef SIB_WARNINGS_REACH_H
#define SIB_WARNINGS_REACH_H

#include <stddef.h>

#include "../model/scenario.h"

/* A relative effect above 1 is a change of more than 100%: impossible for
 * an outcome that falls (it is clamped to a fall to zero) and a more than
 * doubling for one that rises. Almost surely 15 for 0.15. */
#define EFFECT_PERCENT 1.0
/* Dates compare with this tolerance (years), as the loader's do. */
#define EPS_T 1e-9
/* The loader allows at most 64 stages (docs/scenario-format.md, rule 12). */
#define MAX_STAGES 64

typedef struct reach {
    double lo, hi;     /* the measured effect's plausible range */
    double e_lo, e_hi; /* the effect prior's 0.1st and 99.9th percentiles */
} reach;

/* A group assessed together: its people, the cohorts of stage `sized`
 * (all of them, or only cohort `cohort`), whose comparison groups follow
 * from each design's size or ratio; the stages whose effects it can have;
 * and the dates its measurements span. */
typedef struct group {
    size_t sized, cohort; /* cohort: SIZE_MAX for every cohort of stage `sized` */
    const size_t *st;
    size_t nst;
    double t_lo, t_hi;
} group;

/* The reach of the measured effect on outcome o of the group gr by the
 * evaluation ev: a switch's designs reach as far as either, when in force
 * between the group's dates. */
reach wn_measure_reach(const scenario *sc, size_t o, const evaluation *ev, const group *gr);

/* The widest of two reaches. */
reach wn_reach_union(reach a, reach b);

/* The reach for a pool of stages (those with in_pool[s]): the earliest
 * pooled stage's participants (later ones may not run), all pooled
 * stages' effects and measurement dates, and every design that measures
 * one of them. */
reach wn_pool_reach(const scenario *sc, size_t o, const unsigned char *in_pool);

/* The reach of a payment rule's assessments: each cohort on its own (at
 * each of its measurements), or the pool it assesses. */
reach wn_rule_reach(const scenario *sc, const payment_rule *r);

/* ": did you mean 0.1 (10%)?" for a threshold above 1 on a relative scale. */
const char *wn_percent_hint(char *buf, size_t size, const outcome *o, double v);

/* "at most about 0.467 (the effect prior's 99.9th percentile, 0.255, with
 * engagement, multipliers, bias and 4 standard errors of noise)" */
const char *wn_reach_above(char *buf, size_t size, const reach *r);

#endif
