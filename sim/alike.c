/* alike.c -- whether two scenarios draw every future alike
 * (engine_scenarios_draw_alike, engine.h): the test that lets a sweep, a
 * tornado, a solve or a comparison draw its futures once and settle them
 * again under each contract or financing (runner.c, analysis.c). Compares
 * what path.c reads when it draws a future, and nothing else. */
#include <string.h>

#include "engine_internal.h"

/* Whether two scenarios draw every future alike (engine_scenarios_draw_alike):
 * equal in everything path_draw reads -- the priors (and the order of the
 * inputs), the correlations, the stages but for their names and planned
 * costs, the outcomes but for their names, their evaluations, the
 * termination clause but for what it pays, the discount rate (the value
 * of the outcomes as drawn) -- and without a gate on payments made (it
 * would read the contract). Names and costs, the contract and the
 * financing are not compared. A field added to one of these structs must
 * be placed on one side or the other: the sizes are pinned below (on a
 * 64-bit build, where they were counted). */
#if defined(__LP64__)
_Static_assert(sizeof(prior) == 64, "prior changed: see prior_eq");
_Static_assert(sizeof(evaluation) == 288, "evaluation changed: see eval_eq");
_Static_assert(sizeof(outcome) == 512 + SCENARIO_NAME_MAX, "outcome changed: see outcome_eq");
_Static_assert(sizeof(cohort) == 24 + SCENARIO_NAME_MAX, "cohort changed: see stage_eq");
_Static_assert(sizeof(gate) == 56, "gate changed: see stage_eq");
_Static_assert(sizeof(stage) == 392 + SCENARIO_NAME_MAX, "stage changed: see stage_eq");
_Static_assert(sizeof(termination) == 8 * TERMINATION_MAX_DATES + 72,
               "termination changed: see engine_scenarios_draw_alike");
#endif

static int prior_eq(const prior *a, const prior *b) {
    return a->kind == b->kind && a->a == b->a && a->b == b->b && a->c == b->c && a->d == b->d &&
           a->lo == b->lo && a->hi == b->hi && a->slot == b->slot;
}

static int eval_eq(const evaluation *a, const evaluation *b) {
    if (a->design != b->design || a->comparison_size != b->comparison_size ||
        a->comparison_ratio != b->comparison_ratio || a->cluster_size != b->cluster_size ||
        a->icc != b->icc || !prior_eq(&a->bias, &b->bias) || !prior_eq(&a->trend, &b->trend) ||
        a->volatility != b->volatility || !prior_eq(&a->deviation, &b->deviation) ||
        a->weight != b->weight || a->n_blend != b->n_blend || a->has_switch != b->has_switch ||
        a->switch_at != b->switch_at || (a->switch_to == NULL) != (b->switch_to == NULL))
        return 0;
    for (size_t k = 0; k < a->n_blend; k++)
        if (!eval_eq(&a->blend[k], &b->blend[k])) return 0;
    return a->switch_to == NULL || eval_eq(a->switch_to, b->switch_to);
}

static int outcome_eq(const outcome *a, const outcome *b) {
    return a->kind == b->kind && a->direction == b->direction && a->baseline == b->baseline &&
           a->sd == b->sd && a->scale == b->scale && prior_eq(&a->effect, &b->effect) &&
           eval_eq(&a->eval, &b->eval) && a->observation_lag == b->observation_lag &&
           a->value == b->value && prior_eq(&a->population, &b->population) &&
           a->dispersion == b->dispersion && a->times == b->times && a->every == b->every &&
           a->correlation == b->correlation && a->obs_row == b->obs_row &&
           a->composite == b->composite;
}

static int stage_eq(const stage *a, const stage *b, size_t n_outcomes) {
    const gate *g = &a->gate, *h = &b->gate;
    if (a->start != b->start || a->duration != b->duration || !prior_eq(&a->overrun, &b->overrun) ||
        !prior_eq(&a->volume, &b->volume) || !prior_eq(&a->engagement, &b->engagement) ||
        !prior_eq(&a->effect_multiplier, &b->effect_multiplier) ||
        a->failure_hazard != b->failure_hazard || g->present != h->present ||
        g->stage != h->stage || g->outcome != h->outcome || g->min_effect != h->min_effect ||
        g->has_min_paid || h->has_min_paid || g->probability != h->probability ||
        a->n_cohorts != b->n_cohorts || (a->evals == NULL) != (b->evals == NULL))
        return 0;
    for (size_t c = 0; c < a->n_cohorts; c++)
        if (a->cohorts[c].size != b->cohorts[c].size ||
            a->cohorts[c].entry != b->cohorts[c].entry ||
            a->cohorts[c].enrolment != b->cohorts[c].enrolment)
            return 0;
    for (size_t o = 0; a->evals != NULL && o < n_outcomes; o++)
        if (a->eval_given[o] != b->eval_given[o] ||
            (a->eval_given[o] && !eval_eq(&a->evals[o], &b->evals[o])))
            return 0;
    return 1;
}

int engine_scenarios_draw_alike(const scenario *a, const scenario *b) {
    const termination *s = &a->contract.termination, *t = &b->contract.termination;
    if (a->sim.discount_rate != b->sim.discount_rate ||
        a->sim.periods_per_year != b->sim.periods_per_year || a->n_stages != b->n_stages ||
        a->n_outcomes != b->n_outcomes || a->n_inputs != b->n_inputs ||
        a->n_correlations != b->n_correlations || a->n_obs_rows != b->n_obs_rows ||
        s->present != t->present || s->n_at != t->n_at || s->has_rule != t->has_rule ||
        s->outcome != t->outcome || s->below != t->below || s->over_stage != t->over_stage ||
        s->probability != t->probability)
        return 0;
    for (size_t k = 0; k < s->n_at; k++)
        if (s->at[k] != t->at[k]) return 0;
    for (size_t i = 0; i < a->n_inputs; i++)
        if (strcmp(a->inputs[i].pointer, b->inputs[i].pointer) != 0 ||
            !prior_eq(a->inputs[i].p, b->inputs[i].p))
            return 0;
    for (size_t k = 0; k < a->n_correlations; k++)
        if (a->correlations[k].a != b->correlations[k].a ||
            a->correlations[k].b != b->correlations[k].b ||
            a->correlations[k].rho != b->correlations[k].rho)
            return 0;
    for (size_t o = 0; o < a->n_outcomes; o++)
        if (!outcome_eq(&a->outcomes[o], &b->outcomes[o])) return 0;
    for (size_t st = 0; st < a->n_stages; st++)
        if (!stage_eq(&a->stages[st], &b->stages[st], a->n_outcomes)) return 0;
    return 1;
}
