/* scenario.c -- the scenario's derived quantities and its destructor.
 * Loading lives in the loaders (loader*.c, and priors.c, document.c and
 * indigo*.c for their own files), the only files that know cJSON. */
#include "scenario.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double prior_mean(const prior *p) {
    switch (p->kind) {
    case PRIOR_FIXED: return p->a;
    case PRIOR_NORMAL: return p->a;
    case PRIOR_UNIFORM: return 0.5 * (p->a + p->b);
    /* Beta(alpha, beta) has mean alpha / (alpha + beta), mapped to [c, d]. */
    case PRIOR_BETA: return p->c + (p->d - p->c) * p->a / (p->a + p->b);
    /* Lognormal: E[exp(N(mu, sigma^2))] = exp(mu + sigma^2 / 2). */
    case PRIOR_LOGNORMAL: return exp(p->a + 0.5 * p->b * p->b);
    case PRIOR_TRIANGULAR: return (p->a + p->b + p->c) / 3.0;
    }
    return NAN;
}

void evaluation_clear(evaluation *ev) {
    if (ev == NULL) return;
    free(ev->blend); /* members are plain designs: they own nothing */
    ev->blend = NULL;
    ev->n_blend = 0;
    if (ev->switch_to != NULL) {
        evaluation_clear(ev->switch_to);
        free(ev->switch_to);
        ev->switch_to = NULL;
    }
    ev->has_switch = false;
}

void scenario_free(scenario *sc) {
    if (sc == NULL) return;
    free(sc->name);
    free(sc->description);
    if (sc->stages)
        for (size_t i = 0; i < sc->n_stages; i++) {
            stage *st = &sc->stages[i];
            free(st->cohorts);
            if (st->evals)
                for (size_t o = 0; o < sc->n_outcomes; o++) evaluation_clear(&st->evals[o]);
            free(st->evals);
            free(st->eval_given);
        }
    free(sc->stages);
    if (sc->outcomes)
        for (size_t o = 0; o < sc->n_outcomes; o++) evaluation_clear(&sc->outcomes[o].eval);
    free(sc->outcomes);
    if (sc->contract.rules)
        for (size_t i = 0; i < sc->contract.n_rules; i++) {
            free(sc->contract.rules[i].bands);
            free(sc->contract.rules[i].payer_share);
        }
    free(sc->contract.rules);
    for (size_t i = 0; sc->contract.suspensions && i < sc->contract.n_suspensions; i++)
        free(sc->contract.suspensions[i].payer_share);
    free(sc->contract.suspensions);
    free(sc->contract.outcome_cap);
    free(sc->contract.payers);
    free(sc->inputs);
    free(sc->correlations);
    for (size_t i = 0; sc->financing && i < sc->n_financing; i++) {
        for (size_t k = 0; sc->financing[i].tranches && k < sc->financing[i].n_tranches; k++)
            free(sc->financing[i].tranches[k].repaid_from);
        free(sc->financing[i].tranches);
        free(sc->financing[i].guarantees);
        free(sc->financing[i].stage_part);
    }
    free(sc->financing);
    for (size_t i = 0; sc->cases && i < sc->n_cases; i++) {
        free(sc->cases[i].description);
        free(sc->cases[i].set);
    }
    free(sc->cases);
    realised *r = &sc->realised;
    free(r->description);
    for (size_t i = 0; r->sources && i < r->n_sources; i++) free(r->sources[i]);
    free(r->sources);
    free(r->stage_ran);
    free(r->results);
    free(r->reported);
    for (size_t i = 0; sc->sources && i < sc->n_sources; i++) {
        free(sc->sources[i].title);
        free(sc->sources[i].url);
        free(sc->sources[i].note);
    }
    free(sc->sources);
    for (size_t i = 0; sc->assumptions && i < sc->n_assumptions; i++) {
        free(sc->assumptions[i].pointer);
        free(sc->assumptions[i].note);
        free(sc->assumptions[i].sources);
        free(sc->assumptions[i].value);
        for (size_t k = 0; k < sc->assumptions[i].n_members; k++) {
            free(sc->assumptions[i].members[k].key);
            free(sc->assumptions[i].members[k].text);
        }
        free(sc->assumptions[i].members);
        free(sc->assumptions[i].string);
    }
    free(sc->assumptions);
    free(sc);
}

size_t scenario_find_case(const scenario *sc, const char *name) {
    for (size_t i = 0; i < sc->n_cases; i++)
        if (strcmp(sc->cases[i].name, name) == 0) return i;
    return SIZE_MAX;
}

const char *const financing_type_keys[] = {"grant", "fee_for_service", "pbr", "sib",
                                           "outcomes_fund", "dib", "by_stage", NULL};
_Static_assert(FIN_BY_STAGE == 6, "a financing type without its key in financing_type_keys");

double scenario_measure_time(const scenario *sc, size_t s, size_t c, size_t o) {
    const outcome *oc = &sc->outcomes[o];
    return scenario_measurement_time(sc, s, c, o, oc->times > 1 ? oc->times - 1 : 0);
}

/* t_m = entry + enrolment + observation_lag + m x every. For m = 0 the sum
 * is the one measure time has always had, to the last bit. */
double scenario_measurement_time(const scenario *sc, size_t s, size_t c, size_t o, int m) {
    const cohort *co = &sc->stages[s].cohorts[c];
    double t = co->entry + co->enrolment + sc->outcomes[o].observation_lag;
    return m > 0 ? t + m * sc->outcomes[o].every : t;
}

const evaluation *scenario_evaluation(const scenario *sc, size_t s, size_t o) {
    const stage *st = &sc->stages[s];
    return (st->eval_given != NULL && st->eval_given[o]) ? &st->evals[o] : &sc->outcomes[o].eval;
}

double scenario_horizon(const scenario *sc) {
    double h = 0;
    for (size_t s = 0; s < sc->n_stages; s++) {
        const stage *st = &sc->stages[s];
        h = fmax(h, st->start + st->duration);
        for (size_t r = 0; r < sc->contract.n_rules; r++) {
            const payment_rule *rule = &sc->contract.rules[r];
            double last = rule->lag + (rule->installments - 1) * rule->interval;
            for (size_t c = 0; c < st->n_cohorts; c++)
                h = fmax(h, scenario_measure_time(sc, s, c, rule->outcome) + last);
        }
    }
    /* A suspension moves payments to, or pays until, the end of its
     * window; a termination pays what it owes on its date. */
    for (size_t k = 0; k < sc->contract.n_suspensions; k++)
        h = fmax(h, sc->contract.suspensions[k].to);
    const termination *tm = &sc->contract.termination;
    if (tm->present) h = fmax(h, tm->at[tm->n_at - 1]);
    return h;
}

size_t scenario_find_input(const scenario *sc, const char *pointer) {
    for (size_t i = 0; i < sc->n_inputs; i++)
        if (strcmp(sc->inputs[i].pointer, pointer) == 0) return i;
    return SIZE_MAX;
}

size_t scenario_assumptions_at(const scenario *sc, const char *pointer, size_t *idx, size_t max) {
    size_t n = 0;
    for (size_t i = 0; i < sc->n_assumptions; i++)
        if (strcmp(sc->assumptions[i].pointer, pointer) == 0) {
            if (n < max) idx[n] = i;
            n++;
        }
    return n;
}

const char *assumption_status_name(assumption_status status) {
    switch (status) {
    case ASSUMPTION_ASSUMED: return "assumed";
    case ASSUMPTION_SOURCED: return "sourced";
    case ASSUMPTION_INFERRED: return "inferred";
    case ASSUMPTION_UNVERIFIED: return "unverified";
    }
    return "assumed";
}

size_t scenario_periods(const scenario *sc) {
    return (size_t)floor(scenario_horizon(sc) * sc->sim.periods_per_year + 1e-9) + 1;
}

size_t scenario_period_of(const scenario *sc, double t) {
    return scenario_period_in(sc, scenario_periods(sc), t);
}

double scenario_participants(const scenario *sc) {
    double n = 0;
    for (size_t s = 0; s < sc->n_stages; s++)
        for (size_t c = 0; c < sc->stages[s].n_cohorts; c++) n += sc->stages[s].cohorts[c].size;
    return n;
}
