/* calibrate.c -- what a scenario's futures say about the quantities the
 * INDIGO record reports (calibrate.h): one run of the engine, its paths
 * streamed, and for each future the payments over its cap and the planned
 * service years of the stages it ran; quantiles by GSL on the sorted
 * values (gsl_stats_quantile_from_sorted_data: inclusive interpolation,
 * x[(n-1)f], the method the record's quartiles use).
 */
#include "calibrate.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

typedef struct collect {
    const scenario *sc;
    size_t i_paid, i_failed;
    size_t *i_reached; /* [n_stages] */
    double *ratio, *years;
    uint64_t n, cap_n;
    int has_cap;
} collect;

/* Whether the future of row ran stage s. */
static int ran(const collect *c, const double *row, size_t s) {
    return row[c->i_reached[s]] > 0.5;
}

/* The most a rule can pay in the future of row: its cap on the total, and
 * for a cohort-scope rule with a cap per cohort that cap times the rule's
 * cohort payments -- each cohort of a stage the future ran (within the
 * rule's stage filter), each measurement of it, each installment, capped on
 * its own (model/contract.c) -- whichever is less. HUGE_VAL: uncapped. */
static double rule_cap(const collect *c, const payment_rule *pr, const double *row) {
    double cap = pr->cap;
    if (pr->scope == SCOPE_COHORT && isfinite(pr->cap_per_cohort)) {
        const scenario *sc = c->sc;
        const int times = sc->outcomes[pr->outcome].times;
        double payments = 0;
        for (size_t s = 0; s < sc->n_stages; s++)
            if ((pr->stage == SIZE_MAX || pr->stage == s) && ran(c, row, s))
                payments += (double)sc->stages[s].n_cohorts;
        payments *= (double)(times > 1 ? times : 1) * pr->installments;
        cap = fmin(cap, pr->cap_per_cohort * payments);
    }
    return cap;
}

/* Whether rule pr is a programme-scope true-up of one payment (one
 * measurement, one installment) on its outcome, the only programme-scope
 * true-up on it: it pays its pooled assessment, capped by its cap, less
 * what the cohort- and stage-scope rules on the outcome paid before it, so
 * that it and they together pay at most the larger of its cap and theirs
 * (model/contract.c). Other true-ups keep the plain sum: an upper bound. */
static int sole_programme_true_up(const contract *ct, const scenario *sc, size_t r) {
    const payment_rule *pr = &ct->rules[r];
    if (!pr->true_up || pr->scope != SCOPE_PROGRAMME || pr->installments > 1 ||
        sc->outcomes[pr->outcome].times > 1)
        return 0;
    for (size_t k = 0; k < ct->n_rules; k++)
        if (k != r && ct->rules[k].true_up && ct->rules[k].scope == SCOPE_PROGRAMME &&
            ct->rules[k].outcome == pr->outcome)
            return 0;
    return 1;
}

/* The most the payers can pay together: the sum of their caps, as each
 * payer's part of every payment, fixed ones included, stays within its own
 * (model/contract.c); HUGE_VAL when some payer is uncapped. */
static double payers_cap(const contract *ct) {
    double sum = 0;
    for (size_t p = 0; p < ct->n_payers; p++) sum += ct->payers[p].cap;
    return ct->n_payers ? sum : HUGE_VAL;
}

/* The most the fixed windows of the suspensions pay: per_year over each
 * whole window (model/contract.c pays it pro rata up to the stop). */
static double fixed_most(const contract *ct) {
    double sum = 0;
    for (size_t i = 0; i < ct->n_suspensions; i++)
        if (ct->suspensions[i].kind == SUSPEND_FIXED)
            sum += ct->suspensions[i].per_year * (ct->suspensions[i].to - ct->suspensions[i].from);
    return sum;
}

/* The cap of a future that ran the stages marked in row, within the
 * payers' caps together (payers_cap): the contract's cap when it has one,
 * else the sum of the caps of the rules whose stage filter ran (a rule of
 * every stage always counts; a cap per cohort counts for the cohorts that
 * ran, rule_cap), each outcome's within its own cap, plus what the fixed
 * windows pay at most; a programme true-up and the narrower rules it nets
 * off count once, as the larger of its cap and the sum of theirs.
 * HUGE_VAL: uncapped. */
static double future_cap(const collect *c, const double *row) {
    const scenario *sc = c->sc;
    const contract *ct = &sc->contract;
    if (isfinite(ct->cap)) return fmin(ct->cap, payers_cap(ct));
    double cap = fixed_most(ct);
    for (size_t o = 0; o < sc->n_outcomes; o++) {
        double sum = 0, narrow = 0, up = -1; /* up: the true-up's cap, or -1: none */
        for (size_t r = 0; r < ct->n_rules; r++) {
            const payment_rule *pr = &ct->rules[r];
            if (pr->outcome != o || (pr->stage != SIZE_MAX && !ran(c, row, pr->stage))) continue;
            double rc = rule_cap(c, pr, row);
            if (sole_programme_true_up(ct, sc, r))
                up = rc;
            else if (pr->scope == SCOPE_COHORT || pr->scope == SCOPE_STAGE)
                narrow += rc;
            else
                sum += rc;
        }
        sum += up >= 0 ? fmax(up, narrow) : narrow;
        cap += fmin(sum, ct->outcome_cap[o]);
    }
    return fmin(cap, payers_cap(ct));
}

static int on_paths(uint64_t first, uint32_t n, const double *rows, size_t width, void *ud) {
    collect *c = ud;
    (void)first;
    for (uint32_t j = 0; j < n; j++) {
        const double *row = rows + (size_t)j * width;
        const scenario *sc = c->sc;
        double end = sc->stages[0].start;
        for (size_t s = 0; s < sc->n_stages; s++)
            if (ran(c, row, s)) end = sc->stages[s].start + sc->stages[s].duration;
        c->years[c->n] = end - sc->stages[0].start;
        double cap = future_cap(c, row);
        if (isfinite(cap) && cap > 0) c->ratio[c->cap_n++] = row[c->i_paid] / cap;
        c->n++;
    }
    return 0;
}

/* Quantiles of x[0..n) (sorted in place). */
static void distribution(double *x, uint64_t n, calibrate_dist *d) {
    d->n = n;
    if (n == 0) {
        d->p10 = d->q1 = d->median = d->q3 = d->p90 = d->mean = NAN;
        return;
    }
    gsl_sort(x, 1, (size_t)n);
    d->p10 = gsl_stats_quantile_from_sorted_data(x, 1, (size_t)n, 0.10);
    d->q1 = gsl_stats_quantile_from_sorted_data(x, 1, (size_t)n, 0.25);
    d->median = gsl_stats_quantile_from_sorted_data(x, 1, (size_t)n, 0.50);
    d->q3 = gsl_stats_quantile_from_sorted_data(x, 1, (size_t)n, 0.75);
    d->p90 = gsl_stats_quantile_from_sorted_data(x, 1, (size_t)n, 0.90);
    d->mean = gsl_stats_mean(x, 1, (size_t)n);
}

/* The share of x[0..n) at or above t. */
static double share_at_least(const double *x, uint64_t n, double t) {
    uint64_t k = 0;
    for (uint64_t i = 0; i < n; i++) k += x[i] >= t - 1e-12;
    return n ? (double)k / (double)n : NAN;
}

int calibrate_run(const scenario *sc, uint64_t paths, unsigned threads, calibrate_result *out,
                  sib_error *err) {
    memset(out, 0, sizeof *out);
    if (paths > CALIBRATE_MAX_PATHS) paths = CALIBRATE_MAX_PATHS;
    if (paths == 0) paths = 1;
    engine *e = engine_new(sc, err);
    if (e == NULL) return err->code;
    collect c = {.sc = sc};
    c.i_paid = engine_find_metric(e, "commissioner", "payments.total");
    c.i_failed = engine_find_metric(e, "programme", "failed");
    c.i_reached = calloc(sc->n_stages, sizeof *c.i_reached);
    c.ratio = malloc((size_t)paths * sizeof *c.ratio);
    c.years = malloc((size_t)paths * sizeof *c.years);
    int rc = SIB_OK;
    if (c.i_reached == NULL || c.ratio == NULL || c.years == NULL) {
        rc = sib_error_set(err, SIB_ENOMEM, "", "out of memory");
        goto done;
    }
    for (size_t s = 0; s < sc->n_stages; s++) {
        char key[SCENARIO_NAME_MAX + 32];
        snprintf(key, sizeof key, "stage.%s.reached", sc->stages[s].name);
        c.i_reached[s] = engine_find_metric(e, "programme", key);
        if (c.i_reached[s] == (size_t)-1) {
            rc = sib_error_set(err, SIB_EINVAL, "", "the engine has no metric programme/%s", key);
            goto done;
        }
    }
    if (c.i_paid == (size_t)-1 || c.i_failed == (size_t)-1) {
        rc = sib_error_set(err, SIB_EINVAL, "", "the engine has no payments or failure metric");
        goto done;
    }
    engine_observe_paths(e, on_paths, &c);
    rc = engine_run(e, paths, threads, NULL, NULL, err);
    engine_observe_paths(e, NULL, NULL);
    if (rc != SIB_OK) goto done;
    out->paths = c.n;
    out->has_cap = c.cap_n == c.n && c.n > 0;
    out->cap_fixed = isfinite(sc->contract.cap) ? fmin(sc->contract.cap, payers_cap(&sc->contract))
                                                : NAN;
    out->payers_cap = isfinite(payers_cap(&sc->contract)) ? payers_cap(&sc->contract) : NAN;
    for (size_t r = 0; r < sc->contract.n_rules && !isfinite(sc->contract.cap); r++)
        if (sole_programme_true_up(&sc->contract, sc, r)) out->true_up_once = 1;
    out->p_paid_90 = share_at_least(c.ratio, c.cap_n, 0.9);
    out->p_paid_80 = share_at_least(c.ratio, c.cap_n, 0.8);
    distribution(c.ratio, c.cap_n, &out->paid_over_cap);
    distribution(c.years, c.n, &out->service_years);
    stats_summary s;
    engine_summary(e, c.i_failed, &s);
    out->p_failed = s.mean;
    out->p_failed_se = s.se;
    size_t n_tranches = 0;
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        const metric_info *m = engine_metric(e, i);
        n_tranches +=
            m->role == ROLE_OWN && m->tranche != SIZE_MAX && strcmp(m->stem, "full_repayment") == 0;
    }
    out->tranche = n_tranches ? calloc(n_tranches, sizeof *out->tranche) : NULL;
    if (n_tranches && out->tranche == NULL) {
        rc = sib_error_set(err, SIB_ENOMEM, "", "out of memory");
        goto done;
    }
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        const metric_info *m = engine_metric(e, i);
        if (m->role != ROLE_OWN || m->tranche == SIZE_MAX || strcmp(m->stem, "full_repayment") != 0)
            continue;
        calibrate_tranche *t = &out->tranche[out->n_tranches++];
        size_t len = strlen(m->key) - strlen(".full_repayment");
        snprintf(t->name, sizeof t->name, "%s/%.*s", m->group, (int)len, m->key);
        engine_summary(e, i, &s);
        t->p_full = s.mean;
        t->p_full_se = s.se;
        char key[sizeof m->key + 32];
        snprintf(key, sizeof key, "%.*s.full_repayment_given_drawn", (int)len, m->key);
        size_t k = engine_find_metric(e, m->group, key);
        t->p_full_drawn = NAN;
        if (k != (size_t)-1) {
            engine_summary(e, k, &s);
            t->p_full_drawn = s.mean;
        }
        snprintf(key, sizeof key, "%.*s.p_loss", (int)len, m->key);
        k = engine_find_metric(e, m->group, key);
        t->p_loss = NAN;
        if (k != (size_t)-1) {
            engine_summary(e, k, &s);
            t->p_loss = s.mean;
        }
    }
done:
    free(c.i_reached);
    free(c.ratio);
    free(c.years);
    engine_free(e);
    return rc;
}

void calibrate_result_free(calibrate_result *r) {
    free(r->tranche);
    r->tranche = NULL;
    r->n_tranches = 0;
}
