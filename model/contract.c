/* contract.c -- compiling payment rules into dated assessments and settling
 * them against measured outcomes. The formulas are in contract.h. */
#include "contract.h"

#include <math.h>
#include <stdlib.h>

static int event_cmp(const void *a, const void *b) {
    const pay_event *x = a, *y = b;
    if (x->time != y->time) return x->time < y->time ? -1 : 1;
    if (x->rule != y->rule) return x->rule < y->rule ? -1 : 1;
    /* The pooled assessment of a rule comes after its cohorts. */
    if (x->cohort != y->cohort) return x->cohort < y->cohort ? -1 : 1;
    return 0;
}

contract_plan *contract_plan_new(const scenario *sc) {
    contract_plan *plan = calloc(1, sizeof *plan);
    if (plan == NULL) return NULL;
    for (size_t s = 0; s < sc->n_stages; s++) plan->n_cohorts += sc->stages[s].n_cohorts;
    size_t cap = sc->contract.n_rules * (plan->n_cohorts + 1);
    plan->events = calloc(cap ? cap : 1, sizeof *plan->events);
    if (plan->events == NULL) {
        free(plan);
        return NULL;
    }
    for (size_t r = 0; r < sc->contract.n_rules; r++) {
        const payment_rule *rule = &sc->contract.rules[r];
        double last = 0;
        size_t flat = 0;
        for (size_t s = 0; s < sc->n_stages; s++)
            for (size_t c = 0; c < sc->stages[s].n_cohorts; c++, flat++) {
                double t = scenario_measure_time(sc, s, c, rule->outcome);
                last = fmax(last, t);
                if (rule->scope == SCOPE_COHORT)
                    plan->events[plan->n_events++] =
                        (pay_event){.rule = r, .cohort = flat, .time = t + rule->lag};
            }
        if (rule->scope == SCOPE_PROGRAMME)
            plan->events[plan->n_events++] =
                (pay_event){.rule = r, .cohort = CONTRACT_POOLED, .time = last + rule->lag};
    }
    qsort(plan->events, plan->n_events, sizeof *plan->events, event_cmp);
    for (size_t e = 0; e < plan->n_events; e++)
        plan->events[e].period = scenario_period_of(sc, plan->events[e].time);
    return plan;
}

void contract_plan_free(contract_plan *plan) {
    if (plan == NULL) return;
    free(plan->events);
    free(plan);
}

double contract_effect(const outcome *o, double y_t, double y_c) {
    double diff = (o->direction == DIRECTION_LOWER_IS_BETTER) ? y_c - y_t : y_t - y_c;
    if (o->scale == EFFECT_ABSOLUTE) return diff;
    return y_c > 0 ? diff / y_c : 0.0;
}

double contract_units(const outcome *o, double y_t, double y_c, double n_t) {
    double diff = (o->direction == DIRECTION_LOWER_IS_BETTER) ? y_c - y_t : y_t - y_c;
    return n_t * diff;
}

void contract_settle(const scenario *sc, const contract_plan *plan, const cohort_obs *obs,
                     double *pay, double *scratch) {
    const size_t nc = plan->n_cohorts;
    double *paid_rule = scratch;                           /* running total per rule */
    double *paid_cohorts = scratch + sc->contract.n_rules; /* cohort-scope paid, per outcome */
    for (size_t r = 0; r < sc->contract.n_rules; r++) paid_rule[r] = 0;
    for (size_t o = 0; o < sc->n_outcomes; o++) paid_cohorts[o] = 0;
    double total = 0;

    for (size_t e = 0; e < plan->n_events; e++) {
        const pay_event *ev = &plan->events[e];
        const payment_rule *rule = &sc->contract.rules[ev->rule];
        const outcome *o = &sc->outcomes[rule->outcome];
        const cohort_obs *row = obs + rule->outcome * nc;
        cohort_obs m;
        if (ev->cohort == CONTRACT_POOLED) {
            /* Pooled: every cohort's treated and comparison groups together. */
            m = (cohort_obs){0, 0, 0, 0};
            for (size_t c = 0; c < nc; c++) {
                m.n_t += row[c].n_t;
                m.sum_t += row[c].sum_t;
                m.n_c += row[c].n_c;
                m.sum_c += row[c].sum_c;
            }
        } else {
            m = row[ev->cohort];
        }
        double amount = 0;
        if (m.n_t > 0 && m.n_c > 0) {
            double y_t = m.sum_t / m.n_t, y_c = m.sum_c / m.n_c;
            double effect = contract_effect(o, y_t, y_c);
            if (!rule->has_trigger || effect >= rule->trigger) {
                if (rule->type == PAY_PER_UNIT)
                    amount = rule->price * fmax(contract_units(o, y_t, y_c, m.n_t), 0.0);
                else
                    amount = rule->amount;
            }
        }
        if (rule->scope == SCOPE_COHORT) amount = fmin(amount, rule->cap_per_cohort);
        if (rule->true_up) /* the cap bounds the pooled entitlement, before netting */
            amount = fmax(fmin(amount, rule->cap) - paid_cohorts[rule->outcome], 0.0);
        amount = fmin(amount, rule->cap - paid_rule[ev->rule]);
        amount = fmax(fmin(amount, sc->contract.cap - total), 0.0);
        pay[e] = amount;
        paid_rule[ev->rule] += amount;
        total += amount;
        if (rule->scope == SCOPE_COHORT) paid_cohorts[rule->outcome] += amount;
    }
}
