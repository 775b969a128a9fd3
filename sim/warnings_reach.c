/* warnings_reach.c -- how far a measured effect can plausibly reach, for
 * the warnings of sim/warnings.c (warnings_reach.h): a trigger, a band, a
 * linear floor or ceiling, or a gate's min_effect beyond it is a likely
 * mistake.
 *
 * The reach of a measured effect (what a trigger, a band, a linear floor or
 * ceiling, or a gate's min_effect is compared with) is worked out by hand
 * from the same formulas as sim/path.c and model/contract.c:
 *   true effect of a cohort   e = effect x multiplier x engagement, each at
 *                                 its 0.1st or 99.9th percentile (corners);
 *   counterfactual            mu0 = baseline (an outcome whose own design is
 *                                 historical: x drift, the trend at its
 *                                 percentiles x the dates, +-3.09 volatility
 *                                 sqrt(t));
 *   treated mean              t = mu0 moved by e (clamped like the engine);
 *   comparison                rct: mu0; matched: mu0 (1 + bias at its
 *                                 percentiles); historical: the baseline;
 *                                 difference in differences: mu0 (1 +
 *                                 deviation at its percentiles);
 *   measured effect           contract_effect (validated counts: the share
 *                                 or level achieved);
 * then widened by four standard errors of the measurement, for the
 * smallest group that is assessed (the planned participants times the mean
 * volume, times the mean eligible share: the smallest cohort for a cohort
 * rule, the earliest pooled stage for a pooled one, since a later stage may
 * not run), with a count's variance mu + mu^2 / k when it is overdispersed,
 * and kept within what the measurement can be at all (a relative fall is at
 * most 1). A blend's effect is the weighted sum of its designs' effects
 * (on either scale), so its reach is the weighted sum of theirs, which is
 * wider than the blend's own (its noise, sqrt(var_t / n + sum_j w_j^2
 * var_j), is at most sum_j w_j sqrt(var_t / n + var_j)). A switch, a
 * stage's own design and a pool of cohorts measured by several designs
 * reach as far as any design in force for what is assessed. */
#include "warnings_reach.h"

#include <math.h>
#include <stdio.h>

#include "sample.h"

/* A prior's plausible range: its 0.1st to 99.9th percentile. */
#define Q_LO 0.001
#define Q_HI 0.999
/* The 99.9th percentile of a standard normal, for a random walk's reach. */
#define Z_HI 3.090232306167813
/* Sampling noise added on each side of a measured effect's reach. Four
 * standard errors: a trigger beyond it is met in fewer than 1 in 30,000
 * futures even at the prior's extreme, i.e. never in practice. */
#define NOISE_SE 4.0

static void prior_range(const prior *p, double *lo, double *hi) {
    *lo = sample_prior_quantile(p, Q_LO);
    *hi = sample_prior_quantile(p, Q_HI);
    if (*lo > *hi) {
        double t = *lo;
        *lo = *hi;
        *hi = t;
    }
}

static double clamp_mean(const outcome *o, double mu) {
    if (o->kind == OUTCOME_RATE) return fmin(fmax(mu, 0.0), 1.0);
    if (o->kind == OUTCOME_COUNT) return fmax(mu, 0.0);
    return mu;
}

/* As sim/path.c's treated_mean. */
static double treated(const outcome *o, double mu0, double eff) {
    double delta = (o->scale == EFFECT_RELATIVE) ? mu0 * eff : eff;
    return clamp_mean(o, (o->direction == DIRECTION_LOWER_IS_BETTER) ? mu0 - delta : mu0 + delta);
}

/* As sim/path.c's person_variance: a count's is mu + mu^2 / k with
 * dispersion k. */
static double person_var(const outcome *o, double mu) {
    switch (o->kind) {
    case OUTCOME_RATE: return mu * (1 - mu);
    case OUTCOME_COUNT: return o->dispersion > 0 ? mu + mu * mu / o->dispersion : mu;
    case OUTCOME_CONTINUOUS: return o->sd * o->sd;
    }
    return 0;
}

/* Planned participants of a cohort at the stage's mean volume, and of them
 * the outcome's eligible group at its mean share (each at least 1). The
 * means are those of what is drawn, after the priors' bounds
 * (sample_prior_mean). */
static double cohort_n(const scenario *sc, size_t o, const stage *st, size_t c) {
    double n = fmax(round(st->cohorts[c].size * fmax(sample_prior_mean(&st->volume), 0.0)), 1.0);
    double share = fmin(fmax(sample_prior_mean(&sc->outcomes[o].population), 0.0), 1.0);
    return fmax(round(n * share), 1.0);
}

static double comparison_n(const evaluation *ev, double n) {
    return ev->comparison_size > 0 ? ev->comparison_size : fmax(round(ev->comparison_ratio * n), 1.0);
}

/* The reach of the measured effect on outcome o, by the plain design ev, of
 * the group g. See the file comment for the heuristic. */
static reach design_reach(const scenario *sc, size_t o, const evaluation *ev, const group *gr) {
    const size_t *st = gr->st, nst = gr->nst;
    const double t_lo = gr->t_lo, t_hi = gr->t_hi;
    const outcome *oc = &sc->outcomes[o];
    reach r;
    prior_range(&oc->effect, &r.e_lo, &r.e_hi);

    double elo = HUGE_VAL, ehi = -HUGE_VAL;
    for (size_t i = 0; i < nst; i++) {
        const stage *s = &sc->stages[st[i]];
        double m[2], g[2], e[2] = {r.e_lo, r.e_hi};
        prior_range(&s->effect_multiplier, &m[0], &m[1]);
        prior_range(&s->engagement, &g[0], &g[1]);
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 2; b++)
                for (int c = 0; c < 2; c++) {
                    double p = e[a] * m[b] * g[c];
                    elo = fmin(elo, p);
                    ehi = fmax(ehi, p);
                }
    }
    double bias[2] = {0, 0}, drift[2] = {1, 1};
    if (ev->design == EVAL_MATCHED) prior_range(&ev->bias, &bias[0], &bias[1]);
    if (ev->design == EVAL_DID) prior_range(&ev->deviation, &bias[0], &bias[1]);
    const evaluation *own = &oc->eval; /* the true counterfactual's drift is the outcome's */
    if (own->design == EVAL_HISTORICAL) {
        double tr[2], ts[2] = {fmax(t_lo, 0.0), fmax(t_hi, 0.0)};
        prior_range(&own->trend, &tr[0], &tr[1]);
        drift[0] = HUGE_VAL;
        drift[1] = -HUGE_VAL;
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 2; b++)
                for (int z = -1; z <= 1; z += 2) {
                    double d = 1 + tr[a] * ts[b] + z * Z_HI * own->volatility * sqrt(ts[b]);
                    drift[0] = fmin(drift[0], d);
                    drift[1] = fmax(drift[1], d);
                }
    }

    /* The measured effect at the corners (it is monotone in each of e, bias
     * and drift, so its extremes are at corners). */
    double mlo = HUGE_VAL, mhi = -HUGE_VAL, var = 0, cmin = HUGE_VAL;
    const double effs[2] = {elo, ehi};
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++)
            for (int d = 0; d < 2; d++) {
                double mu0 = clamp_mean(oc, oc->baseline * drift[d]);
                double t = treated(oc, mu0, effs[a]), c = mu0, m;
                var = fmax(var, person_var(oc, t));
                if (ev->design == EVAL_VALIDATED) {
                    m = (oc->kind == OUTCOME_RATE && oc->direction == DIRECTION_LOWER_IS_BETTER)
                            ? 1 - t
                            : t;
                } else {
                    if (ev->design == EVAL_MATCHED || ev->design == EVAL_DID)
                        c = clamp_mean(oc, mu0 * (1 + bias[b]));
                    else if (ev->design == EVAL_HISTORICAL)
                        c = oc->baseline;
                    if (ev->design != EVAL_HISTORICAL) var = fmax(var, person_var(oc, c));
                    cmin = fmin(cmin, c);
                    double diff = (oc->direction == DIRECTION_LOWER_IS_BETTER) ? c - t : t - c;
                    m = (oc->scale == EFFECT_ABSOLUTE) ? diff : (c > 0 ? diff / c : 0.0);
                }
                mlo = fmin(mlo, m);
                mhi = fmax(mhi, m);
            }

    double deff = (ev->cluster_size > 1 && ev->icc > 0) ? 1 + (ev->cluster_size - 1) * ev->icc : 1;
    double n_t = 0, n_c = 0;
    const stage *x = &sc->stages[gr->sized];
    for (size_t c = 0; c < x->n_cohorts; c++) {
        if (gr->cohort != SIZE_MAX && c != gr->cohort) continue;
        double n = cohort_n(sc, o, x, c);
        n_t += n;
        n_c += comparison_n(ev, n);
    }
    /* var is the largest person variance of either group; a difference in
     * differences has two groups more, before (about the baseline, which
     * the corners hold too). */
    double inv = 1 / fmax(n_t, 1.0);
    if (ev->design == EVAL_RCT || ev->design == EVAL_MATCHED) inv += 1 / fmax(n_c, 1.0);
    if (ev->design == EVAL_DID) {
        var = fmax(var, person_var(oc, oc->baseline));
        inv = 2 / fmax(n_t, 1.0) + 2 / fmax(n_c, 1.0);
    }
    double se = sqrt(var * deff * inv);
    if (ev->design != EVAL_VALIDATED && oc->scale == EFFECT_RELATIVE)
        se = cmin > 0 ? se / cmin : HUGE_VAL;
    r.lo = mlo - NOISE_SE * se;
    r.hi = mhi + NOISE_SE * se;

    /* What the measurement can be at all. */
    if (ev->design == EVAL_VALIDATED) {
        if (oc->kind != OUTCOME_CONTINUOUS) r.lo = fmax(r.lo, 0.0);
        if (oc->kind == OUTCOME_RATE) r.hi = fmin(r.hi, 1.0);
    } else if (oc->kind != OUTCOME_CONTINUOUS) {
        if (oc->scale == EFFECT_RELATIVE) {
            /* A treated mean >= 0: a fall is at most 1, a rise at least -1. */
            if (oc->direction == DIRECTION_LOWER_IS_BETTER) r.hi = fmin(r.hi, 1.0);
            else r.lo = fmax(r.lo, -1.0);
        } else if (oc->kind == OUTCOME_RATE) {
            r.lo = fmax(r.lo, -1.0);
            r.hi = fmin(r.hi, 1.0);
        }
    }
    return r;
}

/* The widest of two reaches. */
reach wn_reach_union(reach a, reach b) {
    return (reach){fmin(a.lo, b.lo), fmax(a.hi, b.hi), fmin(a.e_lo, b.e_lo), fmax(a.e_hi, b.e_hi)};
}

/* The reach of the design (or blend) ev: a blend's is the weighted sum of
 * its designs' reaches. */
static reach one_reach(const scenario *sc, size_t o, const evaluation *ev, const group *gr) {
    if (ev->design != EVAL_BLEND) return design_reach(sc, o, ev, gr);
    reach r = {0, 0, 0, 0};
    for (size_t j = 0; j < ev->n_blend; j++) {
        reach k = design_reach(sc, o, &ev->blend[j], gr);
        r.lo += ev->blend[j].weight * k.lo;
        r.hi += ev->blend[j].weight * k.hi;
        r.e_lo = k.e_lo;
        r.e_hi = k.e_hi;
    }
    return r;
}

/* The reach of the measured effect on outcome o of the group gr by the
 * evaluation ev: a switch's designs reach as far as either, when in force
 * between the group's dates. */
reach wn_measure_reach(const scenario *sc, size_t o, const evaluation *ev, const group *gr) {
    const int before = !ev->has_switch || gr->t_lo < ev->switch_at - EPS_T;
    const int after = ev->has_switch && gr->t_hi >= ev->switch_at - EPS_T;
    reach r = {HUGE_VAL, -HUGE_VAL, HUGE_VAL, -HUGE_VAL};
    if (before) r = wn_reach_union(r, one_reach(sc, o, ev, gr));
    if (after) r = wn_reach_union(r, one_reach(sc, o, ev->switch_to, gr));
    return r;
}

/* The first and last measurement dates of cohort c of stage s on o. */
static void measure_dates(const scenario *sc, size_t s, size_t c, size_t o, double *t0,
                          double *t1) {
    *t0 = scenario_measurement_time(sc, s, c, o, 0);
    *t1 = scenario_measure_time(sc, s, c, o);
}

/* The reach for a pool of stages (those with in_pool[s]): the earliest
 * pooled stage's participants (later ones may not run), all pooled
 * stages' effects and measurement dates, and every design that measures
 * one of them. */
reach wn_pool_reach(const scenario *sc, size_t o, const unsigned char *in_pool) {
    size_t st[MAX_STAGES], nst = 0;
    group gr = {0, SIZE_MAX, st, 0, HUGE_VAL, -HUGE_VAL};
    for (size_t s = 0; s < sc->n_stages && nst < MAX_STAGES; s++) {
        if (!in_pool[s]) continue;
        const stage *x = &sc->stages[s];
        for (size_t c = 0; c < x->n_cohorts; c++) {
            double t0, t1;
            measure_dates(sc, s, c, o, &t0, &t1);
            gr.t_lo = fmin(gr.t_lo, t0);
            gr.t_hi = fmax(gr.t_hi, t1);
        }
        st[nst++] = s;
    }
    if (nst == 0) return (reach){-HUGE_VAL, HUGE_VAL, -HUGE_VAL, HUGE_VAL};
    gr.sized = st[0]; /* the earliest pooled stage's people: later ones may not run */
    gr.nst = nst;
    const evaluation *first = scenario_evaluation(sc, st[0], o);
    reach r = wn_measure_reach(sc, o, first, &gr);
    for (size_t i = 1; i < nst; i++) {
        const evaluation *ev = scenario_evaluation(sc, st[i], o);
        if (ev != first) r = wn_reach_union(r, wn_measure_reach(sc, o, ev, &gr));
    }
    return r;
}

/* The reach of a payment rule's assessments: each cohort on its own (at
 * each of its measurements), or the pool it assesses. */
reach wn_rule_reach(const scenario *sc, const payment_rule *r) {
    unsigned char pool[MAX_STAGES] = {0};
    for (size_t s = 0; s < sc->n_stages && s < MAX_STAGES; s++)
        pool[s] = (r->stage == SIZE_MAX || r->stage == s);
    if (r->scope != SCOPE_COHORT) return wn_pool_reach(sc, r->outcome, pool);
    reach u = {HUGE_VAL, -HUGE_VAL, 0, 0};
    for (size_t s = 0; s < sc->n_stages && s < MAX_STAGES; s++) {
        if (!pool[s]) continue;
        const stage *x = &sc->stages[s];
        for (size_t c = 0; c < x->n_cohorts; c++) {
            group gr = {s, c, &s, 1, 0, 0};
            measure_dates(sc, s, c, r->outcome, &gr.t_lo, &gr.t_hi);
            reach k = wn_measure_reach(sc, r->outcome, scenario_evaluation(sc, s, r->outcome), &gr);
            u.lo = fmin(u.lo, k.lo);
            u.hi = fmax(u.hi, k.hi);
            u.e_lo = k.e_lo;
            u.e_hi = k.e_hi;
        }
    }
    return u;
}

/* ": did you mean 0.1 (10%)?" for a threshold above 1 on a relative scale. */
const char *wn_percent_hint(char *buf, size_t size, const outcome *o, double v) {
    buf[0] = '\0';
    if (o->scale == EFFECT_RELATIVE && v > EFFECT_PERCENT)
        snprintf(buf, size, ": did you mean %g (%g%%)?", v / 100, v);
    return buf;
}

/* "at most about 0.467 (the effect prior's 99.9th percentile, 0.255, with
 * engagement, multipliers, bias and 4 standard errors of noise)" */
const char *wn_reach_above(char *buf, size_t size, const reach *r) {
    snprintf(buf, size,
             "at most about %.3g (the effect prior's 99.9th percentile, %.3g, with engagement, "
             "multipliers, bias and 4 standard errors of noise)",
             r->hi, r->e_hi);
    return buf;
}
