/* engine.c -- compiling a scenario, the parallel block runner with in-order
 * commits, and the engine's interface (engine.h). One future is simulated
 * in path.c; what is reported of it, and across futures, in metrics.c.
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "sample.h"

/* The cash-flow grid may not exceed this many periods (e.g. 100 years of
 * weeks): a guard against a typo making every path allocate gigabytes. */
#define ENGINE_MAX_PERIODS 20000

/* -------------------------------------------------------------- workers */

void worker_free(worker *w) {
    if (w == NULL) return;
    gsl_rng_free(w->rng);
    gsl_rng_free(w->rin);
    if (w->rterm) gsl_rng_free(w->rterm);
    law_cache_free(w->laws);
    free(w->fixed);
    free(w->fixed_payer);
    free(w->u_gate);
    irr_solver_free(w->irr);
    free(w->x);
    free(w->z);
    free(w->obs);
    free(w->pay);
    free(w->event_payer);
    free(w->payer);
    free(w->scratch);
    free(w->stage_w);
    ledger_free(w->L);
    free(w->true_units);
    free(w->cohort_true);
    free(w->cohort_value);
    free(w->cohort_n);
    free(w->paid_o);
    free(w->drift);
    free(w->ran);
    free(w->cohort_drawn);
    free(w->irr_status);
    free(w->costs_key);
    free(w->costs_key_new);
    free(w->draw_buf);
    free(w->fin_memo);
    free(w);
}

worker *worker_new(const engine *e) {
    const scenario *sc = e->sc;
    worker *w = calloc(1, sizeof *w);
    if (w == NULL) return NULL;
    const size_t no = sc->n_outcomes, nc = e->n_cohorts, ns = sc->n_stages;
    w->mode = PATH_RANDOM;
    w->rng = gsl_rng_alloc(e->rng_type);
    w->rin = gsl_rng_alloc(e->rng_type);
    w->laws = law_cache_new();
    w->u_gate = calloc(ns + 1, sizeof *w->u_gate);
    w->irr = irr_solver_new();
    w->x = calloc(sc->n_inputs + 1, sizeof *w->x);
    w->z = calloc(e->n_corr + 1, sizeof *w->z);
    w->obs = calloc(scenario_obs_rows(sc) * nc + 1, sizeof *w->obs);
    w->pay = calloc(e->plan->n_events + 1, sizeof *w->pay);
    w->event_payer = calloc(e->plan->n_events * sc->contract.n_payers + 1, sizeof *w->event_payer);
    w->payer = calloc(sc->contract.n_payers + 1, sizeof *w->payer);
    w->scratch = calloc(contract_scratch_size(sc) + 1, sizeof *w->scratch);
    w->stage_w = calloc(ns + 1, sizeof *w->stage_w);
    w->L = ledger_new(sc, e->periods);
    w->true_units = calloc(no + 1, sizeof *w->true_units);
    w->cohort_true = calloc(no * nc + 1, sizeof *w->cohort_true);
    w->cohort_value = calloc(no * nc + 1, sizeof *w->cohort_value);
    w->cohort_n = calloc(nc + 1, sizeof *w->cohort_n);
    w->paid_o = calloc(no + 1, sizeof *w->paid_o);
    w->drift = calloc(no * nc + 1, sizeof *w->drift);
    w->ran = calloc(ns + 1, sizeof *w->ran);
    w->cohort_drawn = calloc(nc + 1, sizeof *w->cohort_drawn);
    w->irr_status = calloc(e->n_units + 1, sizeof *w->irr_status);
    w->costs_key_len = 3 * ns + nc + 1;
    w->costs_key = calloc(w->costs_key_len, sizeof *w->costs_key);
    w->costs_key_new = calloc(w->costs_key_len, sizeof *w->costs_key_new);
    w->draw_buf = calloc(path_draw_doubles(e), sizeof *w->draw_buf);
    const size_t nf = sc->n_financing;
    w->n_fin_memo = (nf ? e->fmap[nf - 1].end - e->fmap[0].common : 0) + e->n_units;
    w->fin_memo = calloc(LEDGER_KEEP * w->n_fin_memo + 1, sizeof *w->fin_memo);
    /* Contract terms (contract.h): the termination's own stream, so that
     * its draws shift no other; the fixed payments of suspensions. */
    w->term = HUGE_VAL;
    if (sc->contract.termination.present && (w->rterm = gsl_rng_alloc(e->rng_type)) == NULL) {
        worker_free(w);
        return NULL;
    }
    w->fixed = calloc(e->plan->n_fixed + 1, sizeof *w->fixed);
    w->fixed_payer = calloc(e->plan->n_fixed * sc->contract.n_payers + 1, sizeof *w->fixed_payer);
    if (!w->fixed || !w->fixed_payer || !w->rng || !w->rin || !w->laws || !w->u_gate || !w->irr ||
        !w->x || !w->z || !w->obs || !w->pay || !w->event_payer || !w->payer || !w->scratch ||
        !w->stage_w || !w->L || !w->true_units || !w->cohort_true || !w->cohort_value ||
        !w->cohort_n || !w->paid_o || !w->drift || !w->ran || !w->cohort_drawn || !w->irr_status ||
        !w->costs_key || !w->costs_key_new || !w->draw_buf || !w->fin_memo) {
        worker_free(w);
        return NULL;
    }
    return w;
}

/* -------------------------------------------------------------- compiling */

/* Build the Gaussian copula of the scenario's correlations: the correlation
 * matrix over the inputs that appear in one, and its Cholesky factor (GSL).
 * A matrix that is not positive definite cannot be the correlation matrix
 * of anything: refuse it, naming the inputs. */
static int compile_copula(engine *e, sib_error *err) {
    const scenario *sc = e->sc;
    e->is_corr = calloc(sc->n_inputs + 1, sizeof *e->is_corr);
    e->corr_input = calloc(sc->n_inputs + 1, sizeof *e->corr_input);
    if (e->is_corr == NULL || e->corr_input == NULL)
        return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    for (size_t k = 0; k < sc->n_correlations; k++) {
        e->is_corr[sc->correlations[k].a] = 1;
        e->is_corr[sc->correlations[k].b] = 1;
    }
    size_t *pos = calloc(sc->n_inputs + 1, sizeof *pos);
    if (pos == NULL) return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    e->corr_pos = pos; /* kept: path_draw_inputs places each normal score by it */
    for (size_t i = 0; i < sc->n_inputs; i++)
        if (e->is_corr[i]) {
            pos[i] = e->n_corr;
            e->corr_input[e->n_corr++] = i;
        }
    if (e->n_corr == 0) return SIB_OK;
    e->chol = gsl_matrix_alloc(e->n_corr, e->n_corr);
    if (e->chol == NULL) return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    gsl_matrix_set_identity(e->chol);
    for (size_t k = 0; k < sc->n_correlations; k++) {
        const correlation *c = &sc->correlations[k];
        gsl_matrix_set(e->chol, pos[c->a], pos[c->b], c->rho);
        gsl_matrix_set(e->chol, pos[c->b], pos[c->a], c->rho);
    }
    if (gsl_linalg_cholesky_decomp1(e->chol) != GSL_SUCCESS) {
        char names[200] = "";
        size_t n = 0;
        for (size_t i = 0; i < e->n_corr && n + 2 < sizeof names; i++)
            n += (size_t)snprintf(names + n, sizeof names - n, "%s%s", i ? ", " : "",
                                  sc->inputs[e->corr_input[i]].pointer);
        return sib_error_set(err, SIB_EINVAL, "/correlations",
                             "these correlations cannot hold together (the matrix over %s is not "
                             "positive definite): lower some of them, or check their signs",
                             names);
    }
    return SIB_OK;
}

/* The last contract event that can pay for each cohort: its own
 * assessments and every pooled one whose pool holds it. */
static void compile_last_events(engine *e) {
    const contract_plan *plan = e->plan;
    for (size_t c = 0; c < e->n_cohorts; c++) e->last_event[c] = 0;
    for (size_t k = 0; k < plan->n_events; k++) {
        const pay_event *ev = &plan->events[k];
        if (ev->cancelled) continue; /* a suspension cancels it: it never pays */
        for (size_t c = 0; c < e->n_cohorts; c++) {
            int in = ev->cohort != CONTRACT_POOLED
                         ? c == ev->cohort
                         : ev->pool_stage == SIZE_MAX || plan->cohort_stage[c] == ev->pool_stage;
            if (in) e->last_event[c] = fmax(e->last_event[c], ev->time);
        }
    }
}

/* The per-path and ratio metric lists, and the aggregates' sums. */
static int compile_lists(engine *e) {
    free(e->per_path);
    free(e->ratios);
    free(e->follows);
    e->per_path = calloc(e->n_metrics + 1, sizeof *e->per_path);
    e->ratios = calloc(e->n_metrics + 1, sizeof *e->ratios);
    e->follows = malloc((e->n_metrics + 1) * sizeof *e->follows);
    if (e->per_path == NULL || e->ratios == NULL || e->follows == NULL) return -1;
    for (size_t i = 0; i < e->n_metrics; i++) e->follows[i] = SIZE_MAX;
    e->n_per_path = e->n_ratios = 0;
    size_t own = e->twin ? e->n_own : e->n_metrics;
    for (size_t i = 0; i < e->n_metrics; i++) {
        metric_kind k = e->metrics[i].kind;
        if (k == METRIC_VALUE || k == METRIC_INDICATOR) e->per_path[e->n_per_path++] = i;
        else if (k == METRIC_RATIO && i < own) e->ratios[e->n_ratios++] = i;
    }
    return 0;
}

/* The field that sets the last date of the cash flows (scenario_horizon):
 * the largest term of the latest stage end or payment date, to blame it
 * when the grid would be too long. */
static void horizon_field(const scenario *sc, char *field, size_t size) {
    double best = -1;
    snprintf(field, size, "/simulation/periods_per_year");
#define BLAME(value, ...)                                \
    do {                                                 \
        if ((value) > best) {                            \
            best = (value);                              \
            snprintf(field, size, __VA_ARGS__);          \
        }                                                \
    } while (0)
    for (size_t s = 0; s < sc->n_stages; s++) {
        const stage *st = &sc->stages[s];
        BLAME(st->start, "/stages/%zu/start", s);
        BLAME(st->duration, "/stages/%zu/duration", s);
        for (size_t c = 0; c < st->n_cohorts; c++) {
            BLAME(st->cohorts[c].entry, "/stages/%zu/cohorts/%zu/entry", s, c);
            BLAME(st->cohorts[c].enrolment, "/stages/%zu/cohorts/%zu/enrolment", s, c);
        }
    }
    for (size_t o = 0; o < sc->n_outcomes; o++)
        BLAME(sc->outcomes[o].observation_lag, "/outcomes/%zu/observation_lag", o);
    for (size_t r = 0; r < sc->contract.n_rules; r++) {
        const payment_rule *rule = &sc->contract.rules[r];
        BLAME(rule->lag, "/contract/payments/%zu/lag", r);
        BLAME(rule->interval * (rule->installments - 1), "/contract/payments/%zu/interval", r);
    }
#undef BLAME
}

/* Mark the periods of the plan's events (of rule r only, when r is not
 * SIZE_MAX) and, for every rule, its fixed items in `on`; return how many
 * periods are marked, writing them in increasing order to out (when not
 * NULL). */
static size_t pay_periods(const engine *e, size_t r, unsigned char *on, size_t *out) {
    const contract_plan *plan = e->plan;
    memset(on, 0, e->periods);
    for (size_t k = 0; k < plan->n_events; k++)
        if (r == SIZE_MAX || plan->events[k].rule == r) on[plan->events[k].period] = 1;
    if (r == SIZE_MAX)
        for (size_t k = 0; k < plan->n_fixed; k++) on[plan->fixed[k].period] = 1;
    size_t n = 0;
    for (size_t t = 0; t < e->periods; t++)
        if (on[t]) {
            if (out) out[n] = t;
            n++;
        }
    return n;
}

/* Fill e->pay_t and e->rule_t (engine_internal.h). Returns 0, or -1 when
 * out of memory. */
static int index_pay_periods(engine *e) {
    const size_t R = e->sc->contract.n_rules, T = e->periods;
    unsigned char *on = malloc(T + 1);
    e->pay_t = malloc((T + 1) * sizeof *e->pay_t);
    e->rule_t_at = calloc(R + 1, sizeof *e->rule_t_at);
    if (on == NULL || e->pay_t == NULL || e->rule_t_at == NULL) {
        free(on);
        return -1;
    }
    e->n_pay_t = pay_periods(e, SIZE_MAX, on, e->pay_t);
    size_t total = 0;
    for (size_t r = 0; r < R; r++) total += pay_periods(e, r, on, NULL);
    e->rule_t = malloc((total + 1) * sizeof *e->rule_t);
    if (e->rule_t == NULL) {
        free(on);
        return -1;
    }
    for (size_t r = 0, at = 0; r < R; r++) {
        e->rule_t_at[r] = at;
        at += pay_periods(e, r, on, e->rule_t + at);
        e->rule_t_at[r + 1] = at;
    }
    free(on);
    return 0;
}

engine *engine_new(const scenario *sc, sib_error *err) {
    const gsl_rng_type *type = sample_rng_type(sc->sim.rng);
    if (type == NULL) {
        sib_error_set(err, SIB_EINVAL, "/simulation/rng",
                      "expected the name of a GSL generator (e.g. \"mt19937\", \"taus2\", "
                      "\"ranlxd2\"), found \"%s\"",
                      sc->sim.rng);
        return NULL;
    }
    if (!(scenario_horizon(sc) * sc->sim.periods_per_year <= ENGINE_MAX_PERIODS)) {
        char field[256];
        horizon_field(sc, field, sizeof field);
        sib_error_set(err, SIB_EINVAL, field,
                      "the cash flows would run to year %.4g, %.4g periods of 1/%d year: at "
                      "most %d periods are allowed (%g years at %d a year); this field sets "
                      "the last date (or lower /simulation/periods_per_year)",
                      scenario_horizon(sc), scenario_horizon(sc) * sc->sim.periods_per_year,
                      sc->sim.periods_per_year, ENGINE_MAX_PERIODS,
                      (double)ENGINE_MAX_PERIODS / sc->sim.periods_per_year,
                      sc->sim.periods_per_year);
        return NULL;
    }
    engine *e = calloc(1, sizeof *e);
    if (e == NULL) goto nomem;
    e->sc = sc;
    e->rng_type = type;
    e->periods = scenario_periods(sc);
    e->plan = contract_plan_new(sc);
    e->n_cohorts = e->plan ? e->plan->n_cohorts : 0;
    const size_t nc = e->n_cohorts, T = e->periods;
    e->discount = calloc(T, sizeof *e->discount);
    e->costs_plan = calloc(T, sizeof *e->costs_plan);
    e->cohort_index = calloc(nc + 1, sizeof *e->cohort_index);
    e->hist_order = calloc(nc + 1, sizeof *e->hist_order);
    e->stage_first = calloc(sc->n_stages + 1, sizeof *e->stage_first);
    e->measured_by = calloc(nc + 1, sizeof *e->measured_by);
    e->last_event = calloc(nc + 1, sizeof *e->last_event);
    size_t max_metrics = metrics_capacity(sc);
    e->metrics = calloc(max_metrics, sizeof *e->metrics);
    e->acc = calloc(max_metrics, sizeof *e->acc);
    e->fmap = calloc(sc->n_financing + 1, sizeof *e->fmap);
    e->unit_metric = calloc(sc->n_financing * MAX_UNITS + 1, sizeof *e->unit_metric);
    e->unit_v = calloc(sc->n_financing * MAX_UNITS + 1, sizeof *e->unit_v);
    e->measure_discount = calloc(sc->n_outcomes * nc + 1, sizeof *e->measure_discount);
    if (!e->plan || !e->discount || !e->costs_plan || !e->cohort_index || !e->hist_order ||
        !e->stage_first || !e->measured_by || !e->last_event || !e->metrics || !e->acc ||
        !e->fmap || !e->unit_metric || !e->unit_v || !e->measure_discount)
        goto nomem;
    if (compile_copula(e, err) != SIB_OK) {
        engine_free(e);
        return NULL;
    }
    /* Cohorts in order of measurement time, for the historical random walk. */
    size_t flat = 0;
    double *when = calloc(nc + 1, sizeof *when);
    if (when == NULL) goto nomem;
    for (size_t s = 0; s < sc->n_stages; s++) {
        e->stage_first[s] = flat;
        for (size_t c = 0; c < sc->stages[s].n_cohorts; c++, flat++) {
            const cohort *co = &sc->stages[s].cohorts[c];
            e->cohort_index[flat] = c;
            for (size_t o = 0; o < sc->n_outcomes; o++)
                e->measured_by[flat] = fmax(e->measured_by[flat], scenario_measure_time(sc, s, c, o));
            e->hist_order[flat] = flat;
            when[flat] = co->entry + co->enrolment;
        }
    }
    for (size_t i = 1; i < nc; i++) /* insertion sort: a handful of cohorts, stable */
        for (size_t j = i; j > 0 && when[e->hist_order[j]] < when[e->hist_order[j - 1]]; j--) {
            size_t t = e->hist_order[j];
            e->hist_order[j] = e->hist_order[j - 1];
            e->hist_order[j - 1] = t;
        }
    free(when);
    compile_last_events(e);
    if (index_pay_periods(e) != 0) goto nomem;
    /* The planned delivery costs (every stage runs, no overrun). */
    for (size_t s = 0; s < sc->n_stages; s++) {
        const stage *st = &sc->stages[s];
        e->costs_plan[scenario_period_of(sc, st->start)] += st->setup_cost;
        path_spread(sc, T, e->costs_plan, st->start, st->start + st->duration,
                    st->fixed_per_year * st->duration);
        for (size_t c = 0; c < st->n_cohorts; c++) {
            const cohort *co = &st->cohorts[c];
            path_spread(sc, T, e->costs_plan, co->entry, co->entry + co->enrolment,
                        st->per_participant * co->size);
        }
    }
    for (size_t t = 0; t < T; t++)
        e->discount[t] = pow(1.0 + sc->sim.discount_rate, -(double)t / sc->sim.periods_per_year);
    /* The discount factor of a cohort's measurement date; of an outcome
     * measured several times, the sum over its dates (its true outcomes
     * are the same at each). */
    for (size_t o = 0; o < sc->n_outcomes; o++)
        for (size_t c = 0; c < nc; c++) {
            size_t s = e->plan->cohort_stage[c], k = e->cohort_index[c];
            double t = scenario_measure_time(sc, s, k, o), v = pow(1.0 + sc->sim.discount_rate, -t);
            for (int m = 0; m + 1 < sc->outcomes[o].times; m++)
                v += pow(1.0 + sc->sim.discount_rate, -scenario_measurement_time(sc, s, k, o, m));
            e->measure_discount[o * nc + c] = v;
        }
    metrics_define(e);
    for (size_t i = 0; i < e->n_metrics; i++)
        if ((e->acc[i] = stats_acc_new()) == NULL) goto nomem;
    e->ratio_rows = e->n_metrics;
    e->ratio_sums = calloc(e->ratio_rows * ENGINE_BATCHES * 2 + 1, sizeof *e->ratio_sums);
    e->ratio_moments = calloc(e->ratio_rows * 3 + 1, sizeof *e->ratio_moments);
    e->flow_sums = calloc(e->n_units * ENGINE_BATCHES * T + 1, sizeof *e->flow_sums);
    e->irr_status = calloc(e->n_units * IRR_STATUSES + 1, sizeof *e->irr_status);
    if (!e->ratio_sums || !e->ratio_moments || !e->flow_sums || !e->irr_status ||
        compile_lists(e) != 0)
        goto nomem;
    return e;

nomem:
    engine_free(e);
    sib_error_set(err, SIB_ENOMEM, NULL, "out of memory compiling the scenario");
    return NULL;
}

/* ---------------------------------------------------------- comparisons */

/* Pair the names a[0..na) with b[0..nb): the fixed pairs kept, then equal
 * names, then the rest by position among the unpaired. */
static void pair_names(const char *const *a, size_t na, const char *const *b, size_t nb,
                       const size_t *fixed, size_t *pair, pair_how *how) {
    int taken[MAX_UNITS + 64] = {0};
    for (size_t i = 0; i < na; i++) {
        pair[i] = SIZE_MAX;
        how[i] = PAIR_NONE;
        if (fixed && fixed[i] != SIZE_MAX && fixed[i] < nb && !taken[fixed[i]]) {
            pair[i] = fixed[i];
            how[i] = PAIR_FIXED;
            taken[fixed[i]] = 1;
        }
    }
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb && pair[i] == SIZE_MAX; j++)
            if (!taken[j] && strcmp(a[i], b[j]) == 0) {
                pair[i] = j;
                how[i] = PAIR_NAME;
                taken[j] = 1;
            }
    size_t j = 0;
    for (size_t i = 0; i < na; i++) {
        if (pair[i] != SIZE_MAX) continue;
        while (j < nb && taken[j]) j++;
        if (j >= nb) break;
        pair[i] = j;
        how[i] = PAIR_POSITION;
        taken[j++] = 1;
    }
}

void engine_pair_structures(const scenario *a, const scenario *b, const size_t *fixed,
                            size_t *pair, pair_how *how) {
    const char *na[64], *nb[64];
    size_t ka = a->n_financing < 64 ? a->n_financing : 64;
    size_t kb = b->n_financing < 64 ? b->n_financing : 64;
    for (size_t i = 0; i < ka; i++) na[i] = a->financing[i].name;
    for (size_t i = 0; i < kb; i++) nb[i] = b->financing[i].name;
    pair_names(na, ka, nb, kb, fixed, pair, how);
    for (size_t i = ka; i < a->n_financing; i++) {
        pair[i] = SIZE_MAX;
        how[i] = PAIR_NONE;
    }
}

/* The name of investor unit u of structure f ("part: tranche" in a blend),
 * or of its guarantee u when guar is set. */
static void unit_name(const engine *e, size_t f, size_t u, int guar, char *buf, size_t size) {
    const scenario *sc = e->sc;
    const fin_map *m = &e->fmap[f];
    size_t parts[FINANCING_MAX_PARTS];
    financing_parts(sc, f, parts);
    const financing *part = &sc->financing[parts[guar ? m->guar_part[u] : m->unit_part[u]]];
    const char *name = guar ? part->guarantees[m->guar_index[u]].name
                            : part->tranches[m->unit_tranche[u]].name;
    if (sc->financing[f].type == FIN_BY_STAGE) snprintf(buf, size, "%s: %s", part->name, name);
    else snprintf(buf, size, "%s", name);
}

/* Pair the tranches (guar = 0) or guarantees (guar = 1) of A's structure fa
 * with those of B's structure fb. */
static void pair_units(const engine *a, size_t fa, const engine *b, size_t fb, int guar,
                       size_t *pair) {
    char na[MAX_UNITS][2 * SCENARIO_NAME_MAX + 4], nb[MAX_UNITS][2 * SCENARIO_NAME_MAX + 4];
    const char *pa[MAX_UNITS], *pb[MAX_UNITS];
    size_t ka = guar ? a->fmap[fa].n_guar : a->fmap[fa].n_units;
    size_t kb = guar ? b->fmap[fb].n_guar : b->fmap[fb].n_units;
    for (size_t u = 0; u < ka; u++) {
        unit_name(a, fa, u, guar, na[u], sizeof na[u]);
        pa[u] = na[u];
    }
    for (size_t u = 0; u < kb; u++) {
        unit_name(b, fb, u, guar, nb[u], sizeof nb[u]);
        pb[u] = nb[u];
    }
    pair_how how[MAX_UNITS];
    pair_names(pa, ka, pb, kb, NULL, pair, how);
}

/* B's metric paired with A's metric i, or SIZE_MAX. */
static size_t paired_metric(const engine *a, size_t i, const engine *b, const size_t *fpair,
                            size_t (*upair)[MAX_UNITS], size_t (*gpair)[MAX_UNITS]) {
    const metric_info *m = &a->metrics[i];
    if (m->fin == SIZE_MAX) return engine_find_metric(b, m->group, m->key);
    size_t fb = fpair[m->fin];
    if (fb == SIZE_MAX) return SIZE_MAX;
    size_t tb = m->tranche != SIZE_MAX ? upair[m->fin][m->tranche] : SIZE_MAX;
    size_t gb = m->guarantee != SIZE_MAX ? gpair[m->fin][m->guarantee] : SIZE_MAX;
    if ((m->tranche != SIZE_MAX && tb == SIZE_MAX) || (m->guarantee != SIZE_MAX && gb == SIZE_MAX))
        return SIZE_MAX;
    for (size_t j = 0; j < b->n_metrics; j++) {
        const metric_info *x = &b->metrics[j];
        if (x->fin != fb || x->tranche != tb || x->guarantee != gb) continue;
        if (m->tranche != SIZE_MAX || m->guarantee != SIZE_MAX) {
            if (strcmp(x->stem, m->stem) == 0) return j;
        } else if (strcmp(x->key, m->key) == 0) {
            return j;
        }
    }
    return SIZE_MAX;
}

engine *engine_new_compare(const scenario *a, const scenario *b, const size_t *pair,
                           sib_error *err) {
    engine *e = engine_new(a, err);
    if (e == NULL) return NULL;
    engine *t = engine_new(b, err);
    if (t == NULL) {
        engine_free(e);
        return NULL;
    }
    /* B runs on A's streams: A's seed (engine_seed_worker) and A's generator.
     * When it draws its futures as A does, it settles A's instead of drawing
     * them again: the same futures, the same results. */
    t->rng_type = e->rng_type;
    e->twin = t;
    e->twin_shares = engine_scenarios_draw_alike(a, b) && t->n_cohorts == e->n_cohorts;
    e->n_own = e->n_metrics;
    size_t fpair[64];
    pair_how how[64];
    size_t (*upair)[MAX_UNITS] = calloc(a->n_financing + 1, sizeof *upair);
    size_t (*gpair)[MAX_UNITS] = calloc(a->n_financing + 1, sizeof *gpair);
    size_t most = e->n_own + t->n_metrics + e->n_own;
    metric_info *mi = realloc(e->metrics, most * sizeof *mi);
    stats_acc **acc = mi ? realloc(e->acc, most * sizeof *acc) : NULL;
    if (mi) e->metrics = mi;
    if (acc) e->acc = acc;
    e->diff_own = calloc(e->n_own + 1, sizeof *e->diff_own);
    e->diff_twin = calloc(e->n_own + 1, sizeof *e->diff_twin);
    e->diff_moments = calloc(e->n_own * 4 + 1, sizeof *e->diff_moments);
    if (!mi || !acc || !e->diff_own || !e->diff_twin || !e->diff_moments || !upair || !gpair ||
        a->n_financing > 64)
        goto nomem;
    if (pair != NULL) memcpy(fpair, pair, a->n_financing * sizeof *fpair);
    else engine_pair_structures(a, b, NULL, fpair, how);
    for (size_t f = 0; f < a->n_financing; f++) {
        if (fpair[f] == SIZE_MAX) continue;
        pair_units(e, f, t, fpair[f], 0, upair[f]);
        pair_units(e, f, t, fpair[f], 1, gpair[f]);
    }
    for (size_t i = 0; i < t->n_metrics; i++) {
        size_t k = e->n_metrics;
        e->metrics[k] = t->metrics[i];
        e->metrics[k].role = ROLE_TWIN;
        e->acc[k] = NULL;
        e->n_metrics++;
        if ((e->acc[k] = stats_acc_new()) == NULL) goto nomem;
    }
    for (size_t i = 0; i < e->n_own; i++) {
        size_t j = paired_metric(e, i, t, fpair, upair, gpair);
        if (j == SIZE_MAX) continue;
        size_t k = e->n_metrics;
        e->metrics[k] = e->metrics[i];
        e->metrics[k].role = ROLE_DIFF;
        if (e->metrics[k].kind == METRIC_INDICATOR)
            e->metrics[k].kind = METRIC_VALUE; /* a difference of indicators is not one */
        e->acc[k] = NULL;
        e->n_metrics++;
        if ((e->acc[k] = stats_acc_new()) == NULL) goto nomem;
        e->metrics[i].twin = e->n_own + j;
        e->metrics[i].diff = k;
        e->diff_own[e->n_diff] = i;
        e->diff_twin[e->n_diff] = j;
        e->n_diff++;
    }
    free(upair);
    free(gpair);
    if (compile_lists(e) != 0) goto nomem2;
    return e;
nomem:
    free(upair);
    free(gpair);
nomem2:
    engine_free(e);
    sib_error_set(err, SIB_ENOMEM, NULL, "out of memory compiling the comparison");
    return NULL;
}

void engine_free(engine *e) {
    if (e == NULL) return;
    if (e->acc)
        for (size_t i = 0; i < e->n_metrics; i++) stats_acc_free(e->acc[i]);
    free(e->acc);
    free(e->metrics);
    free(e->per_path);
    free(e->ratios);
    free(e->follows);
    contract_plan_free(e->plan);
    free(e->discount);
    free(e->costs_plan);
    free(e->pay_t);
    free(e->rule_t);
    free(e->rule_t_at);
    free(e->cohort_index);
    free(e->hist_order);
    free(e->stage_first);
    free(e->measured_by);
    free(e->last_event);
    free(e->is_corr);
    free(e->corr_input);
    free(e->corr_pos);
    free(e->fmap);
    free(e->unit_metric);
    free(e->unit_v);
    free(e->measure_discount);
    free(e->ratio_sums);
    free(e->ratio_moments);
    free(e->flow_sums);
    free(e->irr_status);
    free(e->diff_own);
    free(e->diff_twin);
    free(e->diff_moments);
    engine_free(e->twin);
    if (e->chol) gsl_matrix_free(e->chol);
    free(e);
}

/* Forget the aggregates' sums of e (and of its twin). */
static void reset_aggregates(engine *e) {
    for (engine *x = e; x; x = x->twin) {
        memset(x->ratio_sums, 0, x->ratio_rows * ENGINE_BATCHES * 2 * sizeof *x->ratio_sums);
        memset(x->ratio_moments, 0, x->ratio_rows * 3 * sizeof *x->ratio_moments);
        if (x->diff_moments) memset(x->diff_moments, 0, x->n_diff * 4 * sizeof *x->diff_moments);
        memset(x->flow_sums, 0, x->n_units * ENGINE_BATCHES * x->periods * sizeof *x->flow_sums);
        memset(x->irr_status, 0, x->n_units * IRR_STATUSES * sizeof *x->irr_status);
        memset(x->batch_n, 0, sizeof x->batch_n);
    }
}

void engine_reset(engine *e) {
    for (size_t i = 0; i < e->n_metrics; i++) stats_acc_reset(e->acc[i]);
    reset_aggregates(e);
    e->done = 0;
}

uint64_t engine_paths_done(const engine *e) { return e->done; }

int engine_keep_only(engine *e, const size_t *metrics, size_t n, sib_error *err) {
    for (size_t k = 0; k < n; k++)
        if (metrics[k] >= e->n_metrics)
            return sib_error_set(err, SIB_EINVAL, NULL, "no metric %zu: the engine has %zu",
                                 metrics[k], e->n_metrics);
    /* per_path keeps its order (ascending): the listed ones that are in it. */
    size_t kept = 0;
    for (size_t q = 0; q < e->n_per_path; q++) {
        int listed = 0;
        for (size_t k = 0; k < n && !listed; k++) listed = metrics[k] == e->per_path[q];
        if (listed) e->per_path[kept++] = e->per_path[q];
    }
    e->n_per_path = kept;
    return SIB_OK;
}

size_t engine_metric_count(const engine *e) { return e->n_metrics; }
const metric_info *engine_metric(const engine *e, size_t i) { return &e->metrics[i]; }
const tranche *engine_metric_tranche(const engine *e, size_t i) {
    const metric_info *m = &e->metrics[i];
    if (m->role != ROLE_OWN || m->fin == SIZE_MAX || m->tranche == SIZE_MAX) return NULL;
    const fin_map *fm = &e->fmap[m->fin];
    size_t parts[FINANCING_MAX_PARTS];
    financing_parts(e->sc, m->fin, parts);
    const financing *part = &e->sc->financing[parts[fm->unit_part[m->tranche]]];
    return &part->tranches[fm->unit_tranche[m->tranche]];
}

const stats_acc *engine_stats(const engine *e, size_t i) { return e->acc[i]; }
size_t engine_periods(const engine *e) { return e->periods; }
const double *engine_costs(const engine *e) { return e->costs_plan; }
void engine_summary(const engine *e, size_t i, stats_summary *s) { metrics_summary(e, i, s); }

size_t engine_find_metric(const engine *e, const char *group, const char *key) {
    for (size_t i = 0; i < e->n_metrics; i++)
        if (strcmp(e->metrics[i].group, group) == 0 && strcmp(e->metrics[i].key, key) == 0)
            return i;
    return (size_t)-1;
}

double engine_worst_mean(const engine *e, size_t i, double q) {
    const metric_info *m = &e->metrics[i];
    if (m->kind != METRIC_VALUE) return NAN;
    if (m->bad == SIDE_LOW) return stats_acc_lower_tail_mean(e->acc[i], q);
    if (m->bad == SIDE_HIGH) return stats_acc_upper_tail_mean(e->acc[i], q);
    return NAN;
}

int engine_irr_counts(const engine *e, size_t i, irr_counts *out) {
    memset(out, 0, sizeof *out);
    const engine *x = e;
    if (e->twin && i >= e->n_own && i < e->n_own + e->twin->n_metrics) {
        x = e->twin;
        i -= e->n_own;
    }
    for (size_t U = 0; U < x->n_units; U++) {
        if (x->unit_metric[U] != i) continue;
        const uint64_t *c = x->irr_status + U * IRR_STATUSES;
        out->defined = c[IRR_OK];
        out->total_loss = c[IRR_TOTAL_LOSS];
        out->nothing_drawn = c[IRR_NO_FLOWS];
        out->no_sign_change = c[IRR_NO_SIGN_CHANGE];
        out->several_roots = c[IRR_MULTIPLE];
        out->no_convergence = c[IRR_NO_CONVERGENCE];
        out->no_root = c[IRR_NO_ROOT];
        return SIB_OK;
    }
    return SIB_EINVAL;
}

void engine_observe_paths(engine *e, engine_paths_fn fn, void *ud) {
    e->observe = fn;
    e->observe_ud = ud;
}

/* ------------------------------------------------------- single futures */

/* Seed a worker's two streams for block k of engine e's run (a compare
 * engine's twin is seeded with e, so that it uses A's streams). */
void engine_seed_worker(const engine *e, worker *w, uint64_t k) {
    sample_rng_seed(w->rng, sample_block_seed(e->sc->sim.seed, k));
    sample_rng_seed(w->rin, sample_block_seed(e->sc->sim.seed ^ 0x9e3779b97f4a7c15ULL, k));
    if (w->rterm) /* a stream of its own (path.c, draw_termination) */
        sample_rng_seed(w->rterm, sample_block_seed(e->sc->sim.seed ^ 0xd1b54a32d192ed03ULL, k));
}

struct ledger *engine_ledger_new(const engine *e) { return ledger_new(e->sc, e->periods); }

/* One future in mode `mode` (path: which simulated future), copied into l,
 * with its metric values and inputs. */
static int one_future(const engine *e, path_mode mode, const realised *rec, uint64_t path,
                      ledger *l, double *values, double *inputs, sib_error *err) {
    worker *w = worker_new(e);
    double *v = calloc(e->n_metrics + 1, sizeof *v);
    if (w == NULL || v == NULL) {
        worker_free(w);
        free(v);
        return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    }
    w->mode = mode;
    w->rec = rec;
    if (mode == PATH_RANDOM) {
        /* Replay the block's paths up to this one: the same streams as the run. */
        engine_seed_worker(e, w, path / ENGINE_BLOCK_PATHS);
        for (uint64_t j = 0; j <= path % ENGINE_BLOCK_PATHS; j++) path_simulate(e, w);
    } else {
        path_simulate(e, w);
    }
    metrics_of_path(e, w, v);
    for (size_t i = 0; i < e->n_metrics; i++)
        if (e->metrics[i].kind == METRIC_RATIO || e->metrics[i].kind == METRIC_POOLED_IRR)
            v[i] = NAN;
    if (values) memcpy(values, v, (e->twin ? e->n_own : e->n_metrics) * sizeof *v);
    if (inputs) /* a backtest: NaN for what it does not read */
        for (size_t i = 0; i < e->sc->n_inputs; i++)
            inputs[i] = mode != PATH_REALISED || path_realised_reads(e, w, i) ? w->x[i] : NAN;
    if (l != NULL) {
        /* Swap the worker's ledger into the caller's: l gets the future. */
        ledger tmp = *l;
        *l = *w->L;
        *w->L = tmp;
    }
    worker_free(w);
    free(v);
    return SIB_OK;
}

int engine_path_ledger(const engine *e, uint64_t path, struct ledger *l, double *values,
                       double *inputs, sib_error *err) {
    return one_future(e, PATH_RANDOM, NULL, path, l, values, inputs, err);
}

int engine_expected_ledger(const engine *e, struct ledger *l, double *values, double *inputs,
                           sib_error *err) {
    return one_future(e, PATH_EXPECTED, NULL, 0, l, values, inputs, err);
}

int engine_realised_ledger(const engine *e, const realised *rec, struct ledger *l,
                           double *values, double *inputs, sib_error *err) {
    if (rec == NULL || !rec->present)
        return sib_error_set(err, SIB_EINVAL, "/realised", "the scenario has no realised record");
    return one_future(e, PATH_REALISED, rec, 0, l, values, inputs, err);
}
