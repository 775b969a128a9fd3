/* contract.c -- compiling payment rules into dated assessments and settling
 * them against measured outcomes. The formulas are in contract.h. */
#include "contract.h"
#include "num.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static int event_cmp(const void *a, const void *b) {
    const pay_event *x = a, *y = b;
    if (x->time != y->time) return x->time < y->time ? -1 : 1;
    if (x->rule != y->rule) return x->rule < y->rule ? -1 : 1;
    /* A rule's pooled assessments come after its cohorts (POOLED is the largest). */
    if (x->cohort != y->cohort) return x->cohort < y->cohort ? -1 : 1;
    if (x->pool_stage != y->pool_stage) return x->pool_stage < y->pool_stage ? -1 : 1;
    return x->installment - y->installment;
}

/* Append the installments of one assessment measured at time t. */
static void add_events(contract_plan *plan, const payment_rule *rule, size_t r, size_t flat_cohort,
                       size_t pool_stage, double t) {
    for (int k = 0; k < rule->installments; k++)
        plan->events[plan->n_events++] = (pay_event){.rule = r,
                                                     .cohort = flat_cohort,
                                                     .pool_stage = pool_stage,
                                                     .installment = k,
                                                     .time = t + rule->lag + k * rule->interval};
}

contract_plan *contract_plan_new(const scenario *sc) {
    contract_plan *plan = calloc(1, sizeof *plan);
    if (plan == NULL) return NULL;
    for (size_t s = 0; s < sc->n_stages; s++) plan->n_cohorts += sc->stages[s].n_cohorts;
    size_t cap = 0;
    for (size_t r = 0; r < sc->contract.n_rules; r++)
        cap += (size_t)sc->contract.rules[r].installments * (plan->n_cohorts + sc->n_stages + 1);
    plan->events = calloc(cap ? cap : 1, sizeof *plan->events);
    plan->cohort_stage = calloc(plan->n_cohorts ? plan->n_cohorts : 1, sizeof *plan->cohort_stage);
    if (plan->events == NULL || plan->cohort_stage == NULL) {
        contract_plan_free(plan);
        return NULL;
    }
    size_t flat = 0;
    for (size_t s = 0; s < sc->n_stages; s++)
        for (size_t c = 0; c < sc->stages[s].n_cohorts; c++) plan->cohort_stage[flat++] = s;

    for (size_t r = 0; r < sc->contract.n_rules; r++) {
        const payment_rule *rule = &sc->contract.rules[r];
        double last = 0, last_of_stage = 0;
        flat = 0;
        for (size_t s = 0; s < sc->n_stages; s++) {
            last_of_stage = 0;
            for (size_t c = 0; c < sc->stages[s].n_cohorts; c++, flat++) {
                if (rule->stage != SIZE_MAX && rule->stage != s) continue;
                double t = scenario_measure_time(sc, s, c, rule->outcome);
                last = num_max(last, t);
                last_of_stage = num_max(last_of_stage, t);
                if (rule->scope == SCOPE_COHORT) add_events(plan, rule, r, flat, SIZE_MAX, t);
            }
            if (rule->scope == SCOPE_STAGE && rule->stage == s)
                add_events(plan, rule, r, CONTRACT_POOLED, s, last_of_stage);
        }
        if (rule->scope == SCOPE_PROGRAMME)
            add_events(plan, rule, r, CONTRACT_POOLED, rule->stage, last);
    }
    qsort(plan->events, plan->n_events, sizeof *plan->events, event_cmp);
    for (size_t e = 0; e < plan->n_events; e++)
        plan->events[e].period = scenario_period_of(sc, plan->events[e].time);
    return plan;
}

void contract_plan_free(contract_plan *plan) {
    if (plan == NULL) return;
    free(plan->events);
    free(plan->cohort_stage);
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

double contract_achieved(const outcome *o, double y_t, double n_t) {
    if (o->kind == OUTCOME_RATE && o->direction == DIRECTION_LOWER_IS_BETTER)
        return n_t * (1.0 - y_t);
    return n_t * y_t;
}

/* Scratch layout: paid per rule | per outcome | narrow payments per
 * (outcome, stage) for cohort rules | for stage rules | savings balance per
 * rule | its date per rule | whether it has started, per rule. */
size_t contract_scratch_size(const scenario *sc) {
    return 4 * sc->contract.n_rules + sc->n_outcomes * (1 + 2 * sc->n_stages);
}

/* The amount a rule's assessment earns before caps, for the measurement m
 * (already known to come from cohorts that ran). */
static double assess(const payment_rule *rule, const outcome *o, const cohort_obs *m, double t,
                     double *savings) {
    double y_t = m->sum_t / m->n_t;
    double effect, improvement = NAN;
    if (m->n_c > 0) {
        double y_c = m->sum_c / m->n_c;
        effect = contract_effect(o, y_t, y_c);
        improvement = contract_units(o, y_t, y_c, m->n_t);
    } else {
        effect = contract_achieved(o, y_t, m->n_t) / m->n_t;
    }
    double units = rule->basis == BASIS_ACHIEVED ? contract_achieved(o, y_t, m->n_t) : improvement;
    units = num_max(units, 0.0);
    *savings = 0;
    if (rule->has_trigger && !(effect >= rule->trigger)) return 0;
    switch (rule->type) {
    case PAY_PER_UNIT:
    case PAY_PER_OUTCOME: return rule->price * units;
    case PAY_FIXED: return rule->amount;
    case PAY_LINEAR: {
        double f = (effect - rule->floor) / (rule->ceiling - rule->floor);
        return rule->amount * num_min(num_max(f, 0.0), 1.0);
    }
    case PAY_TIERED: {
        const band *hit = NULL;
        for (size_t b = 0; b < rule->n_bands; b++)
            if (effect >= rule->bands[b].from) hit = &rule->bands[b];
        if (hit == NULL) return 0;
        if (hit->has_return) /* principal back with the band's return to date */
            return rule->principal * pow(1 + hit->ret, num_max(t - rule->principal_from, 0.0));
        return hit->per_unit ? hit->price * units : hit->amount;
    }
    case PAY_SAVINGS: *savings = rule->value * units; return NAN; /* settled with the balance */
    }
    return 0;
}

void contract_settle(const scenario *sc, const contract_plan *plan, const cohort_obs *obs,
                     double stop_time, double *pay, double *payer_paid, double *event_payer,
                     double *scratch) {
    const size_t nc = plan->n_cohorts, nr = sc->contract.n_rules, no = sc->n_outcomes;
    const size_t ns = sc->n_stages;
    double *paid_rule = scratch;                 /* [nr] */
    double *paid_outcome = paid_rule + nr;       /* [no] */
    double *narrow_cohort = paid_outcome + no;   /* [no * ns] by cohort-scope rules */
    double *narrow_stage = narrow_cohort + no * ns; /* [no * ns] by stage-scope rules */
    double *owed = narrow_stage + no * ns;       /* [nr] savings balance */
    double *owed_at = owed + nr;                 /* [nr] its date */
    double *done = owed_at + nr;                 /* [nr] 1 once the balance is tracked */
    for (size_t i = 0; i < contract_scratch_size(sc); i++) scratch[i] = 0;
    for (size_t p = 0; p < sc->contract.n_payers; p++) payer_paid[p] = 0;
    double total = 0;

    for (size_t e = 0; e < plan->n_events; e++) {
        const pay_event *ev = &plan->events[e];
        const payment_rule *rule = &sc->contract.rules[ev->rule];
        const size_t oi = rule->outcome;
        const outcome *o = &sc->outcomes[oi];
        const cohort_obs *row = obs + oi * nc;
        pay[e] = 0;
        if (event_payer)
            for (size_t p = 0; p < sc->contract.n_payers; p++)
                event_payer[e * sc->contract.n_payers + p] = 0;
        if (ev->time > stop_time) continue;

        cohort_obs m = {0, 0, 0, 0};
        if (ev->cohort == CONTRACT_POOLED) {
            for (size_t c = 0; c < nc; c++) {
                if (ev->pool_stage != SIZE_MAX && plan->cohort_stage[c] != ev->pool_stage) continue;
                if (row[c].n_t <= 0) continue;
                m.n_t += row[c].n_t;
                m.sum_t += row[c].sum_t;
                m.n_c += row[c].n_c;
                m.sum_c += row[c].sum_c;
            }
        } else {
            m = row[ev->cohort];
        }
        if (m.n_t <= 0) continue; /* nothing ran to be measured */

        double savings, amount = assess(rule, o, &m, ev->time, &savings);
        if (rule->type == PAY_SAVINGS) {
            /* The owed balance accrues from its start date at its rate. */
            size_t r = ev->rule;
            if (done[r] == 0) { /* a flag kept in a double array (clang: -Wfloat-conversion) */
                owed[r] = rule->owed;
                owed_at[r] = rule->owed_from;
                done[r] = 1;
            }
            /* No interest before the balance starts (owed_from). */
            double b = owed[r] * pow(1 + rule->owed_rate, num_max(ev->time - owed_at[r], 0.0));
            owed_at[r] = num_max(owed_at[r], ev->time);
            double s1 = rule->share * savings;
            if (b <= 0 || rule->share <= 0) {
                amount = rule->share_after * savings;
            } else if (s1 <= b) {
                amount = s1;
            } else {
                amount = b + rule->share_after * (savings - b / rule->share);
            }
            owed[r] = b; /* reduced below by what is actually paid, after caps */
        }
        size_t st = ev->cohort == CONTRACT_POOLED ? ev->pool_stage : plan->cohort_stage[ev->cohort];
        if (rule->scope == SCOPE_COHORT) amount = num_min(amount, rule->cap_per_cohort);
        if (rule->true_up) {
            /* Net off what narrower rules paid on this outcome for these cohorts. */
            double already = 0;
            for (size_t s = 0; s < ns; s++) {
                if (st != SIZE_MAX && s != st) continue;
                already += narrow_cohort[oi * ns + s];
                if (rule->scope == SCOPE_PROGRAMME) already += narrow_stage[oi * ns + s];
            }
            amount = num_max(num_min(amount, rule->cap) - already, 0.0);
        }
        amount = num_min(amount, rule->cap - paid_rule[ev->rule]);
        amount = num_min(amount, sc->contract.outcome_cap[oi] - paid_outcome[oi]);
        amount = num_max(num_min(amount, sc->contract.cap - total), 0.0);
        /* Split among the payers, each within its own cap. */
        double paid = 0;
        for (size_t p = 0; p < sc->contract.n_payers; p++) {
            const payer *py = &sc->contract.payers[p];
            double part = num_max(num_min(py->share * amount, py->cap - payer_paid[p]), 0.0);
            payer_paid[p] += part;
            if (event_payer) event_payer[e * sc->contract.n_payers + p] = part;
            paid += part;
        }
        pay[e] = paid;
        if (rule->type == PAY_SAVINGS) owed[ev->rule] = num_max(owed[ev->rule] - paid, 0.0);
        paid_rule[ev->rule] += paid;
        paid_outcome[oi] += paid;
        total += paid;
        if (rule->scope == SCOPE_COHORT) narrow_cohort[oi * ns + st] += paid;
        else if (rule->scope == SCOPE_STAGE) narrow_stage[oi * ns + st] += paid;
    }
}
