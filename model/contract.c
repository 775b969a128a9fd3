/* contract.c -- compiling payment rules into dated assessments and settling
 * them against measured outcomes. The formulas are in contract.h. */
#include "contract.h"
#include "num.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* Dates compare with this tolerance (years), as the grid's periods do. */
#define EPS_T 1e-9

static int event_cmp(const void *a, const void *b) {
    const pay_event *x = a, *y = b;
    if (x->time != y->time) return x->time < y->time ? -1 : 1;
    /* Deferred to a holiday's end: before what first falls due then, in
     * their own order (without suspensions due == time: no change). */
    if (x->due != y->due) return x->due < y->due ? -1 : 1;
    if (x->rule != y->rule) return x->rule < y->rule ? -1 : 1;
    /* A rule's pooled assessments come after its cohorts (POOLED is the largest). */
    if (x->cohort != y->cohort) return x->cohort < y->cohort ? -1 : 1;
    if (x->pool_stage != y->pool_stage) return x->pool_stage < y->pool_stage ? -1 : 1;
    if (x->measurement != y->measurement) return x->measurement < y->measurement ? -1 : 1;
    return x->installment - y->installment;
}

/* The window [from, to) holds t (to the grid's tolerance). */
static int window_holds(const suspension *s, double t) {
    return t >= s->from - EPS_T && t < s->to - EPS_T;
}

/* contract_paid_date, with *by the suspension that cancels or replaces the
 * assessment when it returns HUGE_VAL (SIZE_MAX otherwise). The windows
 * come in order of time without overlapping (the loader's rule), so one
 * pass follows a payment that a holiday defers to its end into the window
 * that starts there, which then defers, cancels or replaces it as it would
 * a payment due then (back-to-back holidays are one longer holiday). */
static double paid_date(const contract *k, double due, double measured, size_t *by) {
    double paid = due;
    *by = SIZE_MAX;
    for (size_t i = 0; i < k->n_suspensions; i++) {
        const suspension *s = &k->suspensions[i];
        if (s->kind == SUSPEND_FIXED) {
            if (window_holds(s, s->on_measurements ? measured : paid)) {
                *by = i;
                return HUGE_VAL;
            }
        } else if (window_holds(s, paid)) {
            if (s->cancel) {
                *by = i;
                return HUGE_VAL;
            }
            paid = s->to; /* deferred, without interest */
        }
    }
    return paid;
}

double contract_paid_date(const contract *k, double due, double measured) {
    size_t by;
    return paid_date(k, due, measured, &by);
}

size_t contract_cancelled_by(const contract *k, double due, double measured) {
    size_t by;
    paid_date(k, due, measured, &by);
    return by;
}

/* Append the installments of one assessment measured at time t (of
 * measurement m of its cohort, or -1: the outcome's own row). */
static void add_events(contract_plan *plan, const contract *k, const payment_rule *rule, size_t r,
                       size_t flat_cohort, size_t pool_stage, double t, int m) {
    for (int i = 0; i < rule->installments; i++) {
        double due = t + rule->lag + i * rule->interval;
        double paid = k->n_suspensions ? contract_paid_date(k, due, t) : due;
        plan->events[plan->n_events++] = (pay_event){.rule = r,
                                                     .cohort = flat_cohort,
                                                     .pool_stage = pool_stage,
                                                     .installment = i,
                                                     .measurement = m,
                                                     .time = paid == HUGE_VAL ? due : paid,
                                                     .due = due,
                                                     .measured = t,
                                                     .cancelled = paid == HUGE_VAL};
    }
}

/* The fixed payments of the suspensions, one item per period of each
 * fixed window: [a, b) = the window within [p / ppy, (p + 1) / ppy). */
static int plan_fixed(contract_plan *plan, const scenario *sc) {
    const contract *k = &sc->contract;
    const int ppy = sc->sim.periods_per_year;
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        n = 0;
        for (size_t i = 0; i < k->n_suspensions; i++) {
            const suspension *s = &k->suspensions[i];
            if (s->kind != SUSPEND_FIXED) continue;
            for (size_t p = scenario_period_of(sc, s->from); (double)p / ppy < s->to - EPS_T; p++) {
                double a = num_max(s->from, (double)p / ppy),
                       b = num_min(s->to, (double)(p + 1) / ppy);
                if (b <= a + EPS_T) continue;
                if (pass == 1)
                    plan->fixed[n] = (fixed_item){.suspension = i, .from = a, .to = b, .period = p};
                n++;
            }
        }
        if (pass == 0) {
            plan->fixed = calloc(n ? n : 1, sizeof *plan->fixed);
            if (plan->fixed == NULL) return -1;
        }
    }
    plan->n_fixed = n;
    return 0;
}

/* Each event's `since`: the due date of the previous event of the same
 * rule in the plan's order (installments and cohorts alike), or the rule's
 * principal_from when that is later; principal_from for a rule's first.
 * Interest runs to due dates: a holiday that defers a payment adds none. */
static void plan_interest_starts(const scenario *sc, contract_plan *plan) {
    for (size_t r = 0; r < sc->contract.n_rules; r++) {
        const payment_rule *rule = &sc->contract.rules[r];
        double prev = rule->principal_from, owed = rule->owed_from;
        for (size_t e = 0; e < plan->n_events; e++) {
            pay_event *ev = &plan->events[e];
            if (ev->rule != r) continue;
            ev->since = prev;
            prev = num_max(prev, ev->due);
            /* The savings balance's, as settle() accrues it. */
            ev->owed_since = owed;
            ev->owed_growth = pow(1 + rule->owed_rate, num_max(ev->due - owed, 0.0));
            owed = num_max(owed, ev->due);
        }
    }
}

contract_plan *contract_plan_new(const scenario *sc) {
    contract_plan *plan = calloc(1, sizeof *plan);
    if (plan == NULL) return NULL;
    for (size_t s = 0; s < sc->n_stages; s++) plan->n_cohorts += sc->stages[s].n_cohorts;
    size_t cap = 0;
    for (size_t r = 0; r < sc->contract.n_rules; r++) {
        const int times = sc->outcomes[sc->contract.rules[r].outcome].times; /* measurements */
        cap += (size_t)sc->contract.rules[r].installments *
               (plan->n_cohorts * (size_t)(times > 1 ? times : 1) + sc->n_stages + 1);
    }
    plan->events = calloc(cap ? cap : 1, sizeof *plan->events);
    plan->cohort_stage = calloc(plan->n_cohorts ? plan->n_cohorts : 1, sizeof *plan->cohort_stage);
    plan->rule_share = calloc(sc->contract.n_rules + 1, sizeof *plan->rule_share);
    if (plan->events == NULL || plan->cohort_stage == NULL || plan->rule_share == NULL ||
        plan_fixed(plan, sc) != 0) {
        contract_plan_free(plan);
        return NULL;
    }
    /* Each rule's payer shares: its own, or the contract's. */
    for (size_t r = 0; r < sc->contract.n_rules; r++)
        plan->rule_share[r] = sc->contract.rules[r].payer_share;
    int own = 1;
    for (size_t r = 0; r < sc->contract.n_rules; r++) own &= plan->rule_share[r] != NULL;
    if (!own) {
        plan->contract_share = calloc(sc->contract.n_payers + 1, sizeof *plan->contract_share);
        if (plan->contract_share == NULL) {
            contract_plan_free(plan);
            return NULL;
        }
        for (size_t p = 0; p < sc->contract.n_payers; p++)
            plan->contract_share[p] = sc->contract.payers[p].share;
        for (size_t r = 0; r < sc->contract.n_rules; r++)
            if (plan->rule_share[r] == NULL) plan->rule_share[r] = plan->contract_share;
    }
    size_t flat = 0;
    for (size_t s = 0; s < sc->n_stages; s++)
        for (size_t c = 0; c < sc->stages[s].n_cohorts; c++) plan->cohort_stage[flat++] = s;

    const contract *k = &sc->contract;
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
                if (rule->scope != SCOPE_COHORT) continue;
                /* Each measurement of the cohort is assessed on its own
                 * (an outcome measured once: one, on the outcome's row). */
                const int times = sc->outcomes[rule->outcome].times;
                for (int m = 0; m < (times > 1 ? times : 1); m++)
                    add_events(plan, k, rule, r, flat, SIZE_MAX,
                               scenario_measurement_time(sc, s, c, rule->outcome, m),
                               times > 1 ? m : -1);
            }
            if (rule->scope == SCOPE_STAGE && rule->stage == s)
                add_events(plan, k, rule, r, CONTRACT_POOLED, s, last_of_stage, -1);
        }
        if (rule->scope == SCOPE_PROGRAMME)
            add_events(plan, k, rule, r, CONTRACT_POOLED, rule->stage, last, -1);
    }
    qsort(plan->events, plan->n_events, sizeof *plan->events, event_cmp);
    for (size_t e = 0; e < plan->n_events; e++)
        plan->events[e].period = scenario_period_of(sc, plan->events[e].time);
    plan_interest_starts(sc, plan);
    return plan;
}

size_t contract_assessments_of(const scenario *sc, const contract_plan *plan, size_t c, size_t o,
                               int m, size_t *idx, size_t max) {
    size_t n = 0;
    const int times = sc->outcomes[o].times;
    for (size_t e = 0; e < plan->n_events; e++) {
        const pay_event *ev = &plan->events[e];
        if (sc->contract.rules[ev->rule].outcome != o) continue;
        int in;
        if (ev->cohort == CONTRACT_POOLED)
            in = ev->pool_stage == SIZE_MAX || ev->pool_stage == plan->cohort_stage[c];
        else
            in = ev->cohort == c && (times > 1 ? ev->measurement == m : m == 0);
        if (!in) continue;
        if (n < max) idx[n] = e;
        n++;
    }
    return n;
}

void contract_plan_free(contract_plan *plan) {
    if (plan == NULL) return;
    free(plan->events);
    free(plan->fixed);
    free(plan->rule_share);
    free(plan->contract_share);
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

/* The settlement runs for every future: its pieces are inlined (GCC would
 * otherwise leave assess() a call once settle() is inlined twice). */
#if defined(__GNUC__)
#define SETTLE_INLINE inline __attribute__((always_inline))
#else
#define SETTLE_INLINE inline
#endif

double contract_band_return(const payment_rule *rule, double ret, double t, double since) {
    if (rule->return_as_interest) /* interest on the principal since the last assessment */
        return rule->principal * ret * num_max(t - since, 0.0);
    /* the principal back with the band's return to date */
    return rule->principal * pow(1 + ret, num_max(t - rule->principal_from, 0.0));
}

/* The amount a rule's assessment earns before caps, for the measurement m
 * (already known to come from cohorts that ran), due at t, its interest
 * (if any) running from since. Inlined where it runs, in every settlement
 * of every future. */
static SETTLE_INLINE double assess(const payment_rule *rule, const outcome *o, const cohort_obs *m,
                                   double t, double since, double *savings) {
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
    if (rule->has_trigger && !contract_reaches(effect, rule->trigger)) return 0;
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
            if (contract_reaches(effect, rule->bands[b].from)) hit = &rule->bands[b];
        if (hit == NULL) return 0;
        if (hit->has_return) return contract_band_return(rule, hit->ret, t, since);
        return hit->per_unit ? hit->price * units : hit->amount;
    }
    case PAY_SAVINGS: *savings = rule->value * units; return NAN; /* settled with the balance */
    }
    return 0;
}

/* Split `amount` among the payers by `share` (the contract's when NULL),
 * each within its own cap; add each part to payer_paid and, unless NULL, to
 * out[p]. Returns what was paid. */
static double split_payers(const contract *k, const double *share, double amount,
                           double *payer_paid, double *out) {
    double paid = 0;
    for (size_t p = 0; p < k->n_payers; p++) {
        const payer *py = &k->payers[p];
        double sh = share ? share[p] : py->share;
        double part = num_max(num_min(sh * amount, py->cap - payer_paid[p]), 0.0);
        payer_paid[p] += part;
        if (out) out[p] = part;
        paid += part;
    }
    return paid;
}

/* Settle fixed item i of the plan: per_year x the part of its span before
 * the stop, within the contract's cap (total) and the payers' caps. */
static double settle_fixed(const scenario *sc, const contract_plan *plan, size_t i, double stop,
                           double *total, double *payer_paid, double *fixed, double *fixed_payer) {
    const contract *k = &sc->contract;
    const fixed_item *it = &plan->fixed[i];
    const suspension *s = &k->suspensions[it->suspension];
    double *out = fixed_payer ? fixed_payer + i * k->n_payers : NULL;
    if (out)
        for (size_t p = 0; p < k->n_payers; p++) out[p] = 0;
    double amount = s->per_year * num_max(num_min(it->to, stop) - it->from, 0.0);
    amount = num_max(num_min(amount, k->cap - *total), 0.0);
    double paid = amount > 0 ? split_payers(k, s->payer_share, amount, payer_paid, out) : 0;
    *total += paid;
    if (fixed) fixed[i] = paid;
    return paid;
}

/* An event that pays nothing: no payer's part (when they are asked for). */
static SETTLE_INLINE void unpaid(double *event_payer, size_t e, size_t np) {
    if (event_payer)
        for (size_t p = 0; p < np; p++) event_payer[e * np + p] = 0;
}

/* The settlement of contract_settle_terms (contract.h's formulas), inlined
 * into both public entry points: contract_settle, on the path of every
 * future of a contract without suspensions or termination, then drops what
 * it does not use (no termination stop, no fixed payments asked for). */
static SETTLE_INLINE void settle(const scenario *sc, const contract_plan *plan,
                                 const cohort_obs *obs, contract_stops stops, double *pay,
                                 double *payer_paid, double *event_payer, double *fixed,
                                 double *fixed_payer, double *scratch) {
    const size_t nc = plan->n_cohorts, nr = sc->contract.n_rules, no = sc->n_outcomes;
    const size_t ns = sc->n_stages, np = sc->contract.n_payers, nf = plan->n_fixed;
    /* Measured by a termination: to the grid's tolerance, as the engine
     * decides which cohorts it saw. */
    const double stop_time = stops.paid_by, term = stops.measured_by + EPS_T;
    const double fixed_stop = num_min(stop_time, stops.measured_by);
    double *paid_rule = scratch;                 /* [nr] */
    double *paid_outcome = paid_rule + nr;       /* [no] */
    double *narrow_cohort = paid_outcome + no;   /* [no * ns] by cohort-scope rules */
    double *narrow_stage = narrow_cohort + no * ns; /* [no * ns] by stage-scope rules */
    double *owed = narrow_stage + no * ns;       /* [nr] savings balance */
    double *owed_at = owed + nr;                 /* [nr] its date */
    double *done = owed_at + nr;                 /* [nr] 1 once the balance is tracked */
    for (size_t i = 0; i < contract_scratch_size(sc); i++) scratch[i] = 0;
    for (size_t p = 0; p < np; p++) payer_paid[p] = 0;
    double total = 0;
    size_t fi = 0; /* the next fixed payment: settled after the events of its date */

    for (size_t e = 0; e < plan->n_events; e++) {
        const pay_event *ev = &plan->events[e];
        const payment_rule *rule = &sc->contract.rules[ev->rule];
        const size_t oi = rule->outcome;
        const outcome *o = &sc->outcomes[oi];
        const cohort_obs *row = obs + scenario_obs_row(sc, oi, ev->measurement) * nc;
        for (; fi < nf && plan->fixed[fi].from < ev->time; fi++)
            settle_fixed(sc, plan, fi, fixed_stop, &total, payer_paid, fixed, fixed_payer);
        pay[e] = 0;
        if (ev->time > stop_time || ev->cancelled || ev->measured > term) {
            unpaid(event_payer, e, np);
            continue;
        }

        cohort_obs m = {0, 0, 0, 0};
        if (ev->cohort == CONTRACT_POOLED) {
            for (size_t c = 0; c < nc; c++) {
                if (ev->pool_stage != SIZE_MAX && plan->cohort_stage[c] != ev->pool_stage) continue;
                if (row[c].n_t <= 0) continue;
                cohort_obs_pool(&m, &row[c]);
            }
        } else {
            m = row[ev->cohort];
        }
        if (m.n_t <= 0) { /* nothing ran to be measured */
            unpaid(event_payer, e, np);
            continue;
        }

        /* The amount as at its due date (a deferred payment earns nothing more). */
        double savings, amount = assess(rule, o, &m, ev->due, ev->since, &savings);
        if (rule->type == PAY_SAVINGS) {
            /* The owed balance accrues from its start date at its rate. */
            size_t r = ev->rule;
            if (done[r] == 0) { /* a flag kept in a double array (clang: -Wfloat-conversion) */
                owed[r] = rule->owed;
                owed_at[r] = rule->owed_from;
                done[r] = 1;
            }
            /* No interest before the balance starts (owed_from). The
             * plan's growth when the balance is as of the date it expects
             * (every earlier event assessed): the same pow, once. */
            double g = owed_at[r] == ev->owed_since
                           ? ev->owed_growth
                           : pow(1 + rule->owed_rate, num_max(ev->due - owed_at[r], 0.0));
            double b = owed[r] * g;
            owed_at[r] = num_max(owed_at[r], ev->due);
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
        /* Split among the payers (the rule's own shares, or the contract's),
         * each within its own cap (as split_payers, written out: this loop runs
         * for every event of every future). */
        const double *share = plan->rule_share[ev->rule];
        double paid = 0;
        for (size_t p = 0; p < np; p++) {
            const payer *py = &sc->contract.payers[p];
            double part = num_max(num_min(share[p] * amount, py->cap - payer_paid[p]), 0.0);
            payer_paid[p] += part;
            if (event_payer) event_payer[e * np + p] = part;
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
    for (; fi < nf; fi++)
        settle_fixed(sc, plan, fi, fixed_stop, &total, payer_paid, fixed, fixed_payer);
}

void contract_settle(const scenario *sc, const contract_plan *plan, const cohort_obs *obs,
                     double stop_time, double *pay, double *payer_paid, double *event_payer,
                     double *scratch) {
    contract_stops stops = {stop_time, HUGE_VAL};
    settle(sc, plan, obs, stops, pay, payer_paid, event_payer, NULL, NULL, scratch);
}

void contract_settle_terms(const scenario *sc, const contract_plan *plan, const cohort_obs *obs,
                           contract_stops stops, double *pay, double *payer_paid,
                           double *event_payer, double *fixed, double *fixed_payer,
                           double *scratch) {
    settle(sc, plan, obs, stops, pay, payer_paid, event_payer, fixed, fixed_payer, scratch);
}
