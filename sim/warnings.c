/* warnings.c -- likely mistakes in a scenario that loads. See warnings.h
 * for why this lives in sim/, and docs/scenario-format.md#warnings for the
 * list as users read it. Every threshold is a named constant below, with
 * its reason; a check that needs a heuristic states it where it is made.
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
#include "warnings.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../model/contract.h"
#include "sample.h"

/* ------------------------------------------------------------ thresholds */

/* A prior's plausible range: its 0.1st to 99.9th percentile. */
#define Q_LO 0.001
#define Q_HI 0.999
/* The 99.9th percentile of a standard normal, for a random walk's reach. */
#define Z_HI 3.090232306167813
/* Sampling noise added on each side of a measured effect's reach. Four
 * standard errors: a trigger beyond it is met in fewer than 1 in 30,000
 * futures even at the prior's extreme, i.e. never in practice. */
#define NOISE_SE 4.0
/* An annual rate (coupon, return cap, discount rate, cost of capital,
 * interest on a balance, a band's return, a guarantee fee) of 1 or more is
 * 100% a year or more: almost surely a percentage written as a number
 * (8 for 8%). The loader already refuses most such values (a coupon above
 * 1); this catches what it lets through. */
#define RATE_PERCENT 1.0
/* A relative effect above 1 is a change of more than 100%: impossible for
 * an outcome that falls (it is clamped to a fall to zero) and a more than
 * doubling for one that rises. Almost surely 15 for 0.15. */
#define EFFECT_PERCENT 1.0
/* A fee-for-service margin of 1 or more is 100% on top of costs. */
#define MARGIN_PERCENT 1.0
/* A matched comparison group's relative bias of 1 or more doubles its
 * mean: almost surely 5 for 0.05. */
#define BIAS_PERCENT 1.0
/* A historical trend of 50% of the baseline a year, or a volatility of 50%
 * per sqrt(year): almost surely 0.5 for 0.5%. */
#define DRIFT_PERCENT 0.5
/* A cost overrun is a multiplier (1.2 = 20% over plan): 3 or more, or
 * below 0.5, is almost surely an overrun written as a percentage (20) or as
 * a fraction of the plan (0.2). */
#define OVERRUN_HIGH 3.0
#define OVERRUN_LOW 0.5
/* Volume is actual / planned participants, the effect multiplier a factor
 * on the programme's effect: more than 2 (double the plan, double the
 * effect) is more likely a percentage. */
#define FACTOR_HIGH 2.0
/* A cohort of fewer than 10 people cannot be measured: was it written in
 * thousands? */
#define COHORT_SMALL 10.0
/* Dates compare with this tolerance (years), as the loader's do. */
#define EPS_T 1e-9
/* The loader allows at most 64 stages (docs/scenario-format.md, rule 12). */
#define MAX_STAGES 64

/* ------------------------------------------------------------------ sink */

typedef struct sink {
    const scenario *sc;
    sib_warning *out;
    size_t max, n;
} sink;

static void warn(sink *w, const char *pointer, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void warn(sink *w, const char *pointer, const char *fmt, ...) {
    if (w->n < w->max) {
        sib_warning *x = &w->out[w->n];
        snprintf(x->pointer, sizeof x->pointer, "%s", pointer);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(x->message, sizeof x->message, fmt, ap);
        va_end(ap);
    }
    w->n++;
}

/* An amount of money as "GBP 1,234,567" (cents only when there are any). */
static const char *money(char *buf, size_t size, const scenario *sc, double x) {
    if (!isfinite(x) || fabs(x) >= 1e15) {
        snprintf(buf, size, "%s %.6g", sc->currency, x);
        return buf;
    }
    long long cents = llround(fabs(x) * 100.0);
    long long whole = cents / 100, frac = cents % 100;
    char digits[32], grouped[48];
    int nd = snprintf(digits, sizeof digits, "%lld", whole);
    size_t k = 0;
    for (int i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0) grouped[k++] = ',';
        grouped[k++] = digits[i];
    }
    grouped[k] = '\0';
    if (frac != 0)
        snprintf(buf, size, "%s %s%s.%02lld", sc->currency, x < 0 ? "-" : "", grouped, frac);
    else
        snprintf(buf, size, "%s %s%s", sc->currency, x < 0 ? "-" : "", grouped);
    return buf;
}

/* RFC 6901: "~" is written "~0" and "/" "~1" in a pointer's member name. */
static void escape_member(char *buf, size_t size, const char *name) {
    size_t k = 0;
    for (const char *p = name; *p != '\0' && k + 3 < size; p++) {
        if (*p == '~' || *p == '/') {
            buf[k++] = '~';
            buf[k++] = *p == '~' ? '0' : '1';
        } else {
            buf[k++] = *p;
        }
    }
    buf[k] = '\0';
}

static void prior_range(const prior *p, double *lo, double *hi) {
    *lo = sample_prior_quantile(p, Q_LO);
    *hi = sample_prior_quantile(p, Q_HI);
    if (*lo > *hi) {
        double t = *lo;
        *lo = *hi;
        *hi = t;
    }
}

/* The field a prior's warning points at, and the value to show: a fixed
 * value or a normal's mean is the number written (the prior itself, or its
 * "mean"); for other kinds the message speaks of the prior's mean and
 * points at the prior. Sets *written to say which. */
static double prior_centre(const prior *p, const char *base, char *ptr, size_t size,
                           int *written) {
    *written = 1;
    if (p->kind == PRIOR_NORMAL) {
        snprintf(ptr, size, "%s/mean", base);
        return p->a;
    }
    snprintf(ptr, size, "%s", base);
    if (p->kind == PRIOR_FIXED) return p->a;
    *written = 0;
    return prior_mean(p);
}

/* -------------------------------------------------- percentages and rates */

/* An annual rate of RATE_PERCENT or more. */
static void check_rate(sink *w, const char *ptr, const char *what, double v) {
    if (!(v >= RATE_PERCENT)) return;
    warn(w, ptr, "%s of %g is %g%% a year: did you mean %g (%g%%)?", what, v, v * 100, v / 100, v);
}

static void check_simulation(sink *w) {
    check_rate(w, "/simulation/discount_rate", "a discount rate", w->sc->sim.discount_rate);
}

/* ------------------------------------------------------------- the reach */

typedef struct reach {
    double lo, hi;     /* the measured effect's plausible range */
    double e_lo, e_hi; /* the effect prior's 0.1st and 99.9th percentiles */
} reach;

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
 * the outcome's eligible group at its mean share (each at least 1). */
static double cohort_n(const scenario *sc, size_t o, const stage *st, size_t c) {
    double n = fmax(round(st->cohorts[c].size * fmax(prior_mean(&st->volume), 0.0)), 1.0);
    return fmax(round(n * fmin(fmax(prior_mean(&sc->outcomes[o].population), 0.0), 1.0)), 1.0);
}

static double comparison_n(const evaluation *ev, double n) {
    return ev->comparison_size > 0 ? ev->comparison_size : fmax(round(ev->comparison_ratio * n), 1.0);
}

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
static reach reach_union(reach a, reach b) {
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
static reach measure_reach(const scenario *sc, size_t o, const evaluation *ev, const group *gr) {
    const int before = !ev->has_switch || gr->t_lo < ev->switch_at - EPS_T;
    const int after = ev->has_switch && gr->t_hi >= ev->switch_at - EPS_T;
    reach r = {HUGE_VAL, -HUGE_VAL, HUGE_VAL, -HUGE_VAL};
    if (before) r = reach_union(r, one_reach(sc, o, ev, gr));
    if (after) r = reach_union(r, one_reach(sc, o, ev->switch_to, gr));
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
static reach pool_reach(const scenario *sc, size_t o, const unsigned char *in_pool) {
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
    reach r = measure_reach(sc, o, first, &gr);
    for (size_t i = 1; i < nst; i++) {
        const evaluation *ev = scenario_evaluation(sc, st[i], o);
        if (ev != first) r = reach_union(r, measure_reach(sc, o, ev, &gr));
    }
    return r;
}

/* The reach of a payment rule's assessments: each cohort on its own (at
 * each of its measurements), or the pool it assesses. */
static reach rule_reach(const scenario *sc, const payment_rule *r) {
    unsigned char pool[MAX_STAGES] = {0};
    for (size_t s = 0; s < sc->n_stages && s < MAX_STAGES; s++)
        pool[s] = (r->stage == SIZE_MAX || r->stage == s);
    if (r->scope != SCOPE_COHORT) return pool_reach(sc, r->outcome, pool);
    reach u = {HUGE_VAL, -HUGE_VAL, 0, 0};
    for (size_t s = 0; s < sc->n_stages && s < MAX_STAGES; s++) {
        if (!pool[s]) continue;
        const stage *x = &sc->stages[s];
        for (size_t c = 0; c < x->n_cohorts; c++) {
            group gr = {s, c, &s, 1, 0, 0};
            measure_dates(sc, s, c, r->outcome, &gr.t_lo, &gr.t_hi);
            reach k = measure_reach(sc, r->outcome, scenario_evaluation(sc, s, r->outcome), &gr);
            u.lo = fmin(u.lo, k.lo);
            u.hi = fmax(u.hi, k.hi);
            u.e_lo = k.e_lo;
            u.e_hi = k.e_hi;
        }
    }
    return u;
}

/* ": did you mean 0.1 (10%)?" for a threshold above 1 on a relative scale. */
static const char *percent_hint(char *buf, size_t size, const outcome *o, double v) {
    buf[0] = '\0';
    if (o->scale == EFFECT_RELATIVE && v > EFFECT_PERCENT)
        snprintf(buf, size, ": did you mean %g (%g%%)?", v / 100, v);
    return buf;
}

/* "at most about 0.467 (the effect prior's 99.9th percentile, 0.255, with
 * engagement, multipliers, bias and 4 standard errors of noise)" */
static const char *reach_above(char *buf, size_t size, const reach *r) {
    snprintf(buf, size,
             "at most about %.3g (the effect prior's 99.9th percentile, %.3g, with engagement, "
             "multipliers, bias and 4 standard errors of noise)",
             r->hi, r->e_hi);
    return buf;
}

/* --------------------------------------------------------------- stages */

static void check_stage_priors(sink *w, size_t s) {
    const stage *st = &w->sc->stages[s];
    char base[128], ptr[256];
    int written;

    snprintf(base, sizeof base, "/stages/%zu/costs/overrun", s);
    double v = prior_centre(&st->overrun, base, ptr, sizeof ptr, &written);
    const char *what = written ? "an overrun of" : "an overrun prior with mean";
    if (v >= OVERRUN_HIGH)
        warn(w, ptr,
             "%s %g multiplies the stage's costs by %g: an overrun is a multiplier (1.2 is 20%% "
             "over plan): did you mean %g (%g%% over)?",
             what, v, v, 1 + v / 100, v);
    else if (v < OVERRUN_LOW)
        warn(w, ptr,
             "%s %g multiplies the stage's costs by %g (%g%% of plan): an overrun is a multiplier "
             "(1.2 is 20%% over plan): did you mean %g (%g%% over)?",
             what, v, v, v * 100, 1 + v, v * 100);

    snprintf(base, sizeof base, "/stages/%zu/volume", s);
    v = prior_centre(&st->volume, base, ptr, sizeof ptr, &written);
    if (v > FACTOR_HIGH)
        warn(w, ptr,
             "%s %g enrols %g times the planned participants (volume is actual / planned: 0.9 is a "
             "10%% shortfall): was a percentage meant?",
             written ? "a volume of" : "a volume prior with mean", v, v);

    snprintf(base, sizeof base, "/stages/%zu/effect_multiplier", s);
    v = prior_centre(&st->effect_multiplier, base, ptr, sizeof ptr, &written);
    if (fabs(v) > FACTOR_HIGH)
        warn(w, ptr,
             "%s %g makes this stage's effect %g times the programme's: was a percentage meant "
             "(0.7 is 70%%)?",
             written ? "an effect multiplier of" : "an effect multiplier prior with mean", v, v);
}

static void check_cohorts(sink *w, size_t s) {
    const stage *st = &w->sc->stages[s];
    char ptr[256];
    for (size_t c = 0; c < st->n_cohorts; c++) {
        if (!(st->cohorts[c].size < COHORT_SMALL)) continue;
        snprintf(ptr, sizeof ptr, "/stages/%zu/cohorts/%zu/size", s, c);
        warn(w, ptr,
             "a cohort of %g %s is too small to measure an effect on: was the size written in "
             "thousands?",
             st->cohorts[c].size, st->cohorts[c].size == 1 ? "person" : "people");
    }
}

/* The date the first installment of rule r's assessment measured at t is
 * paid that a suspension does not cancel (a holiday may defer it),
 * HUGE_VAL when every one is cancelled (contract_paid_date). */
static double first_paid(const scenario *sc, const payment_rule *r, double t) {
    double best = HUGE_VAL;
    for (int k = 0; k < r->installments; k++)
        best = fmin(best, contract_paid_date(&sc->contract, t + r->lag + k * r->interval, t));
    return best;
}

/* The date the last installment so paid is, -HUGE_VAL when none is. */
static double last_paid(const scenario *sc, const payment_rule *r, double t) {
    double last = -HUGE_VAL;
    for (int k = 0; k < r->installments; k++) {
        double d = contract_paid_date(&sc->contract, t + r->lag + k * r->interval, t);
        if (d < HUGE_VAL) last = fmax(last, d);
    }
    return last;
}

/* The earliest date a payment for stage a's cohorts can fall due (the
 * payments a gate's min_paid counts), after any suspension, HUGE_VAL when
 * no rule pays for them alone. */
static double earliest_due(const scenario *sc, size_t a) {
    const stage *st = &sc->stages[a];
    double best = HUGE_VAL;
    for (size_t i = 0; i < sc->contract.n_rules; i++) {
        const payment_rule *r = &sc->contract.rules[i];
        double last = -HUGE_VAL;
        const int times = sc->outcomes[r->outcome].times > 1 ? sc->outcomes[r->outcome].times : 1;
        for (size_t c = 0; c < st->n_cohorts; c++)
            last = fmax(last, scenario_measure_time(sc, a, c, r->outcome));
        if (r->scope == SCOPE_COHORT && (r->stage == SIZE_MAX || r->stage == a)) {
            /* a cohort is paid from its first measurement */
            for (size_t c = 0; c < st->n_cohorts; c++)
                for (int m = 0; m < times; m++)
                    best =
                        fmin(best,
                             first_paid(sc, r, scenario_measurement_time(sc, a, c, r->outcome, m)));
        } else if (r->scope != SCOPE_COHORT && r->stage == a) {
            best = fmin(best, first_paid(sc, r, last));
        }
    }
    return best;
}

static void check_gate(sink *w, size_t s) {
    const scenario *sc = w->sc;
    const stage *st = &sc->stages[s];
    const gate *g = &st->gate;
    if (!g->present) return;
    char ptr[256], hint[200], rb[300], m1[64], m2[64];
    const char *after = sc->stages[g->stage].name;

    if (g->probability <= 0) {
        snprintf(ptr, sizeof ptr, "/stages/%zu/gate/probability", s);
        warn(w, ptr,
             "a commissioning probability of 0: this stage, and every stage after it, never runs: "
             "did you mean 1?");
    }

    if (g->outcome != SIZE_MAX) {
        const outcome *oc = &sc->outcomes[g->outcome];
        unsigned char pool[MAX_STAGES] = {0};
        pool[g->stage] = 1;
        reach r = pool_reach(sc, g->outcome, pool);
        snprintf(ptr, sizeof ptr, "/stages/%zu/gate/min_effect", s);
        if (g->min_effect > r.hi) {
            warn(w, ptr,
                 "a min_effect of %g is never reached: the measured effect pooled over stage \"%s\" "
                 "is %s, so this stage never runs%s",
                 g->min_effect, after, reach_above(rb, sizeof rb, &r),
                 percent_hint(hint, sizeof hint, oc, g->min_effect));
        } else if (g->min_effect <= r.lo) {
            hint[0] = '\0';
            if (g->min_effect < 0 && -g->min_effect > r.lo && -g->min_effect <= r.hi)
                snprintf(hint, sizeof hint, ": did you mean %g?", -g->min_effect);
            warn(w, ptr,
                 "a min_effect of %g is always met: the measured effect pooled over stage \"%s\" is "
                 "at least about %.3g (the effect prior's 0.1st percentile, %.3g, with "
                 "engagement, multipliers, bias and 4 standard errors of noise), so the rule on "
                 "results never stops this stage%s",
                 g->min_effect, after, r.lo, r.e_lo, hint);
        }
    }

    if (g->has_min_paid && g->min_paid > 0) {
        snprintf(ptr, sizeof ptr, "/stages/%zu/gate/min_paid", s);
        double due = earliest_due(sc, g->stage);
        if (due == HUGE_VAL)
            warn(w, ptr,
                 "a min_paid of %s counts payments for stage \"%s\" alone, but no payment rule "
                 "pays for its cohorts alone (a pooled rule over every stage does not count): "
                 "the gate never opens",
                 money(m1, sizeof m1, sc, g->min_paid), after);
        else if (due > st->start + EPS_T)
            warn(w, ptr,
                 "a min_paid of %s counts payments for stage \"%s\" due by this stage's start "
                 "(t = %g), but the first of them falls due at t = %g: the gate never opens; "
                 "shorten the payment's lag or start the stage later",
                 money(m1, sizeof m1, sc, g->min_paid), after, st->start, due);
        else if (g->min_paid > sc->contract.cap)
            warn(w, ptr,
                 "a min_paid of %s is more than the contract's cap on all payments (%s): the gate "
                 "never opens",
                 money(m1, sizeof m1, sc, g->min_paid), money(m2, sizeof m2, sc, sc->contract.cap));
    }
}

/* ------------------------------------------------------------- outcomes */

static void check_outcome(sink *w, size_t o) {
    const outcome *oc = &w->sc->outcomes[o];
    char base[128], ptr[256];
    int written;

    snprintf(base, sizeof base, "/outcomes/%zu/effect/prior", o);
    if (oc->scale == EFFECT_RELATIVE) {
        double v = prior_centre(&oc->effect, base, ptr, sizeof ptr, &written);
        if (prior_mean(&oc->effect) > EFFECT_PERCENT)
            warn(w, ptr, "%s %g is a %g%% change: did you mean %g (%g%%)?",
                 written ? "a relative effect of" : "a relative effect prior with mean", v, v * 100,
                 v / 100, v);
    }

    const evaluation *ev = &oc->eval;
    if (ev->design == EVAL_MATCHED) {
        snprintf(base, sizeof base, "/outcomes/%zu/evaluation/bias", o);
        double v = prior_centre(&ev->bias, base, ptr, sizeof ptr, &written);
        if (v >= BIAS_PERCENT)
            warn(w, ptr,
                 "%s %g makes the comparison group's mean %g times the counterfactual: did you "
                 "mean %g (%g%%)?",
                 written ? "a bias of" : "a bias prior with mean", v, 1 + v, v / 100, v);
    }
    if (ev->design == EVAL_HISTORICAL) {
        snprintf(base, sizeof base, "/outcomes/%zu/evaluation/trend", o);
        double v = prior_centre(&ev->trend, base, ptr, sizeof ptr, &written);
        if (fabs(v) >= DRIFT_PERCENT)
            warn(w, ptr,
                 "%s %g moves the counterfactual by %g%% of the baseline a year: did you mean %g "
                 "(%g%%)?",
                 written ? "a trend of" : "a trend prior with mean", v, v * 100, v / 100, v);
        if (ev->volatility >= DRIFT_PERCENT) {
            snprintf(ptr, sizeof ptr, "/outcomes/%zu/evaluation/volatility", o);
            warn(w, ptr,
                 "a volatility of %g is %g%% of the baseline per square root of a year: did you "
                 "mean %g (%g%%)?",
                 ev->volatility, ev->volatility * 100, ev->volatility / 100, ev->volatility);
        }
    }
}

/* ------------------------------------------------------------- contract */

/* The smallest single payment a rule makes when it pays: its fixed or full
 * linear amount, one unit's price, its smallest band (amount or price per
 * unit), or the share of one unit's savings. 0 when there is none to speak
 * of (a price of 0, or only return bands). *what names it. */
static double unit_payment(const payment_rule *r, const char **what) {
    switch (r->type) {
    case PAY_PER_UNIT:
    case PAY_PER_OUTCOME: *what = "one unit's price"; return r->price;
    case PAY_FIXED: *what = "its amount"; return r->amount;
    case PAY_LINEAR: *what = "its full amount"; return r->amount;
    case PAY_TIERED: {
        double best = 0;
        *what = "its smallest band's payment";
        for (size_t b = 0; b < r->n_bands; b++) {
            const band *x = &r->bands[b];
            if (x->has_return) continue;
            double v = x->per_unit ? x->price : x->amount;
            if (v > 0 && (best == 0 || v < best)) best = v;
        }
        return best;
    }
    case PAY_SAVINGS:
        *what = "the share of one unit's savings";
        return r->value * (r->owed > 0 ? r->share : r->share_after);
    }
    return 0;
}

static void check_rule_thresholds(sink *w, size_t i) {
    const scenario *sc = w->sc;
    const payment_rule *r = &sc->contract.rules[i];
    const outcome *oc = &sc->outcomes[r->outcome];
    char ptr[256], hint[200], rb[300];
    int needs = r->has_trigger || r->type == PAY_LINEAR || r->type == PAY_TIERED;
    if (!needs) return;
    reach re = rule_reach(sc, r);

    if (r->has_trigger && r->trigger > re.hi) {
        snprintf(ptr, sizeof ptr, "/contract/payments/%zu/trigger", i);
        warn(w, ptr, "a trigger of %g is never reached: the measured effect is %s, so this rule "
                     "never pays%s",
             r->trigger, reach_above(rb, sizeof rb, &re),
             percent_hint(hint, sizeof hint, oc, r->trigger));
    }
    if (r->type == PAY_LINEAR) {
        if (r->floor >= re.hi) {
            snprintf(ptr, sizeof ptr, "/contract/payments/%zu/floor", i);
            warn(w, ptr, "a floor of %g is never passed: the measured effect is %s, so this rule "
                         "never pays%s",
                 r->floor, reach_above(rb, sizeof rb, &re),
                 percent_hint(hint, sizeof hint, oc, r->floor));
        } else if (r->ceiling > re.hi) {
            snprintf(ptr, sizeof ptr, "/contract/payments/%zu/ceiling", i);
            warn(w, ptr, "a ceiling of %g is never reached: the measured effect is %s, so this "
                         "rule never pays its full amount%s",
                 r->ceiling, reach_above(rb, sizeof rb, &re),
                 percent_hint(hint, sizeof hint, oc, r->ceiling));
        }
    }
    if (r->type == PAY_TIERED) {
        for (size_t b = 0; b < r->n_bands; b++) {
            if (!(r->bands[b].from > re.hi)) continue;
            snprintf(ptr, sizeof ptr, "/contract/payments/%zu/bands/%zu/from", i, b);
            if (b == 0)
                warn(w, ptr, "the first band, from %g, is never reached: the measured effect is "
                             "%s, so this rule never pays%s",
                     r->bands[b].from, reach_above(rb, sizeof rb, &re),
                     percent_hint(hint, sizeof hint, oc, r->bands[b].from));
            else
                warn(w, ptr, "band %zu, from %g, and every band above it are never reached: the "
                             "measured effect is %s%s",
                     b, r->bands[b].from, reach_above(rb, sizeof rb, &re),
                     percent_hint(hint, sizeof hint, oc, r->bands[b].from));
            break;
        }
    }
}

static void check_rule_rates_and_caps(sink *w, size_t i) {
    const scenario *sc = w->sc;
    const payment_rule *r = &sc->contract.rules[i];
    char ptr[256], m1[64], m2[64];
    if (r->type == PAY_SAVINGS && r->owed > 0) {
        snprintf(ptr, sizeof ptr, "/contract/payments/%zu/until_repaid/rate", i);
        check_rate(w, ptr, "an interest rate", r->owed_rate);
    }
    if (r->type == PAY_TIERED)
        for (size_t b = 0; b < r->n_bands; b++)
            if (r->bands[b].has_return) {
                snprintf(ptr, sizeof ptr, "/contract/payments/%zu/bands/%zu/return", i, b);
                check_rate(w, ptr, "a return", r->bands[b].ret);
            }

    const char *what = "";
    double unit = unit_payment(r, &what);
    if (!(unit > 0)) return;
    if (r->scope == SCOPE_COHORT && r->cap_per_cohort < unit) {
        snprintf(ptr, sizeof ptr, "/contract/payments/%zu/cap_per_cohort", i);
        warn(w, ptr,
             "a cap of %s per cohort is below %s (%s), so every cohort's payment is cut to it: was "
             "it written in thousands or millions?",
             money(m1, sizeof m1, sc, r->cap_per_cohort), what, money(m2, sizeof m2, sc, unit));
    }
    if (r->cap < unit) {
        snprintf(ptr, sizeof ptr, "/contract/payments/%zu/cap", i);
        warn(w, ptr,
             "a cap of %s on this rule is below %s (%s), so it never pays even one payment in "
             "full: was it written in thousands or millions?",
             money(m1, sizeof m1, sc, r->cap), what, money(m2, sizeof m2, sc, unit));
    }
}

/* When a pooled assessment of outcome o over the stages with in_pool[] is
 * measured: the last of their cohorts' measurement dates (the plan's). */
static double pooled_date(const scenario *sc, size_t o, const unsigned char *in_pool) {
    double last = -HUGE_VAL;
    for (size_t s = 0; s < sc->n_stages && s < MAX_STAGES; s++)
        if (in_pool[s])
            for (size_t c = 0; c < sc->stages[s].n_cohorts; c++)
                last = fmax(last, scenario_measure_time(sc, s, c, o));
    return last;
}

/* A true-up nets off only the narrower payments settled before it (by
 * date, then by position): one paid earlier than a payment it should net
 * off pays for the same outcomes twice. */
static void check_true_up(sink *w, size_t i) {
    const scenario *sc = w->sc;
    const payment_rule *R = &sc->contract.rules[i];
    if (!R->true_up || R->scope == SCOPE_COHORT) return;
    char ptr[256];
    /* Installments repeat an amount (contract.h): each of a true-up's nets
     * off all the narrower payments again, so its balance is paid again. */
    if (R->installments > 1) {
        snprintf(ptr, sizeof ptr, "/contract/payments/%zu/installments", i);
        warn(w, ptr,
             "this true-up is paid %d times, %g year%s apart, and each installment pays its pooled "
             "amount again less all that the narrower rules paid: the balance is paid %d times "
             "(within the rule's cap), where a true-up settles once: give it 1 installment "
             "(installments repeat an amount, they do not split it)",
             R->installments, R->interval, R->interval == 1 ? "" : "s", R->installments);
    }
    unsigned char pool[MAX_STAGES] = {0};
    for (size_t s = 0; s < sc->n_stages && s < MAX_STAGES; s++)
        pool[s] = (R->scope == SCOPE_STAGE) ? (R->stage == s) : (R->stage == SIZE_MAX || R->stage == s);
    /* Dates as paid, after the suspensions (a deferred payment is paid at
     * its holiday's end, a cancelled one never). */
    double measured = pooled_date(sc, R->outcome, pool);
    double paid = contract_paid_date(&sc->contract, measured + R->lag, measured);
    if (paid == HUGE_VAL) return;

    double latest = -HUGE_VAL;
    size_t who = SIZE_MAX;
    for (size_t k = 0; k < sc->contract.n_rules; k++) {
        const payment_rule *N = &sc->contract.rules[k];
        if (k == i || N->outcome != R->outcome) continue;
        double d = -HUGE_VAL;
        if (N->scope == SCOPE_COHORT) {
            for (size_t s = 0; s < sc->n_stages && s < MAX_STAGES; s++) {
                if (!pool[s] || (N->stage != SIZE_MAX && N->stage != s)) continue;
                for (size_t c = 0; c < sc->stages[s].n_cohorts; c++)
                    d = fmax(d, last_paid(sc, N, scenario_measure_time(sc, s, c, N->outcome)));
            }
        } else if (N->scope == SCOPE_STAGE && R->scope == SCOPE_PROGRAMME && N->stage < MAX_STAGES &&
                   pool[N->stage]) {
            unsigned char one[MAX_STAGES] = {0};
            one[N->stage] = 1;
            d = last_paid(sc, N, pooled_date(sc, N->outcome, one));
        }
        if (d == -HUGE_VAL) continue;
        int late = d > paid + EPS_T || (fabs(d - paid) <= EPS_T && k > i);
        if (late && d > latest) {
            latest = d;
            who = k;
        }
    }
    if (who == SIZE_MAX) return;
    snprintf(ptr, sizeof ptr, "/contract/payments/%zu/lag", i);
    if (latest > paid + EPS_T)
        warn(w, ptr,
             "this true-up is paid at t = %g, but payment \"%s\" pays for the same cohorts until "
             "t = %g: a true-up nets off only payments settled before it, so it pays for those "
             "outcomes again: give it a lag of at least %g",
             paid, sc->contract.rules[who].name, latest, latest - measured);
    else
        warn(w, ptr,
             "this true-up is paid at t = %g, the date of payment \"%s\", which is listed after "
             "it and so settled after it: the true-up does not net it off: list the true-up last "
             "or give it a longer lag",
             paid, sc->contract.rules[who].name);
}

static void check_contract_caps(sink *w) {
    const scenario *sc = w->sc;
    const contract *k = &sc->contract;
    char ptr[256], name[200], m1[64], m2[64];
    double smallest = HUGE_VAL;
    size_t at = SIZE_MAX;
    const char *what = "";
    for (size_t i = 0; i < k->n_rules; i++) {
        const char *wh = "";
        double u = unit_payment(&k->rules[i], &wh);
        if (u > 0 && u < smallest) {
            smallest = u;
            at = i;
            what = wh;
        }
    }
    if (at == SIZE_MAX) return;
    if (k->cap < smallest)
        warn(w, "/contract/cap",
             "a cap of %s on all outcome payments is below the smallest single payment (%s, %s of "
             "payment \"%s\"): was it written in thousands or millions?",
             money(m1, sizeof m1, sc, k->cap), money(m2, sizeof m2, sc, smallest), what,
             k->rules[at].name);
    for (size_t o = 0; o < sc->n_outcomes; o++) {
        double cap = k->outcome_cap[o], small = HUGE_VAL;
        size_t ra = SIZE_MAX;
        for (size_t i = 0; i < k->n_rules; i++) {
            const char *wh = "";
            double u = unit_payment(&k->rules[i], &wh);
            if (k->rules[i].outcome == o && u > 0 && u < small) {
                small = u;
                ra = i;
                what = wh;
            }
        }
        if (ra == SIZE_MAX || !(cap < small)) continue;
        escape_member(name, sizeof name, sc->outcomes[o].name);
        snprintf(ptr, sizeof ptr, "/contract/outcome_caps/%s", name);
        warn(w, ptr,
             "a cap of %s on outcome \"%s\" is below the smallest single payment on it (%s, %s of "
             "payment \"%s\"): was it written in thousands or millions?",
             money(m1, sizeof m1, sc, cap), sc->outcomes[o].name, money(m2, sizeof m2, sc, small),
             what, k->rules[ra].name);
    }
    for (size_t p = 0; p < k->n_payers; p++) {
        const payer *py = &k->payers[p];
        double part = py->share * smallest;
        if (!(part > 0) || !(py->cap < part)) continue;
        snprintf(ptr, sizeof ptr, "/contract/payers/%zu/cap", p);
        warn(w, ptr,
             "a cap of %s on payer \"%s\" is below its share of the smallest single payment (%s): "
             "was it written in thousands or millions?",
             money(m1, sizeof m1, sc, py->cap), py->name, money(m2, sizeof m2, sc, part));
    }
}

/* -------------------------------------------------------- contract terms */

/* Whether an installment of rule r's assessment measured at t falls due in
 * [from, to) (by the plan, before any suspension). */
static int due_in(const payment_rule *r, double t, double from, double to) {
    for (int k = 0; k < r->installments; k++) {
        double d = t + r->lag + k * r->interval;
        if (d >= from - EPS_T && d < to - EPS_T) return 1;
    }
    return 0;
}

/* Whether any assessment of any rule falls due in [from, to). */
static int any_due_in(const scenario *sc, double from, double to) {
    for (size_t i = 0; i < sc->contract.n_rules; i++) {
        const payment_rule *r = &sc->contract.rules[i];
        unsigned char pool[MAX_STAGES] = {0};
        for (size_t s = 0; s < sc->n_stages && s < MAX_STAGES; s++) {
            pool[s] =
                r->scope == SCOPE_STAGE ? r->stage == s : (r->stage == SIZE_MAX || r->stage == s);
            if (r->scope != SCOPE_COHORT || !pool[s]) continue;
            for (size_t c = 0; c < sc->stages[s].n_cohorts; c++)
                if (due_in(r, scenario_measure_time(sc, s, c, r->outcome), from, to)) return 1;
        }
        if (r->scope != SCOPE_COHORT && due_in(r, pooled_date(sc, r->outcome, pool), from, to))
            return 1;
    }
    return 0;
}

/* The reach of the measured effect a termination rule compares with: the
 * cohorts of its stage (or of every stage) measured by its last date, with
 * the group of the first date that has any (the smallest, the noisiest). */
static reach termination_reach(const scenario *sc, const termination *tm, double *first_date) {
    size_t st[MAX_STAGES], nst = 0;
    double t_lo = HUGE_VAL, t_hi = -HUGE_VAL, last = tm->at[tm->n_at - 1];
    const size_t o = tm->outcome;
    for (size_t s = 0; s < sc->n_stages && s < MAX_STAGES; s++) {
        if (tm->over_stage != SIZE_MAX && tm->over_stage != s) continue;
        int any = 0;
        for (size_t c = 0; c < sc->stages[s].n_cohorts; c++) {
            double t = scenario_measurement_time(sc, s, c, o, 0); /* its first */
            if (t > last + EPS_T) continue;
            t_lo = fmin(t_lo, t);
            t_hi = fmax(t_hi, t);
            any = 1;
        }
        if (any) st[nst++] = s;
    }
    *first_date = HUGE_VAL;
    for (size_t k = 0; k < tm->n_at && *first_date == HUGE_VAL; k++)
        if (tm->at[k] >= t_lo - EPS_T) *first_date = tm->at[k];
    if (nst == 0) return (reach){-HUGE_VAL, HUGE_VAL, -HUGE_VAL, HUGE_VAL};
    /* Each cohort measured by the first date on its own (the noisiest), by
     * its stage's evaluation: the union is at least as wide as the pooled
     * group's reach, so a warning from it holds for the pool too. */
    reach r = {HUGE_VAL, -HUGE_VAL, HUGE_VAL, -HUGE_VAL};
    for (size_t i = 0; i < nst; i++)
        for (size_t c = 0; c < sc->stages[st[i]].n_cohorts; c++)
            if (scenario_measurement_time(sc, st[i], c, o, 0) <= *first_date + EPS_T) {
                group gr = {
                    .sized = st[i], .cohort = c, .st = st, .nst = nst, .t_lo = t_lo, .t_hi = t_hi};
                r = reach_union(r, measure_reach(sc, o, scenario_evaluation(sc, st[i], o), &gr));
            }
    return r;
}

static void check_contract_terms(sink *w) {
    const scenario *sc = w->sc;
    const contract *k = &sc->contract;
    char ptr[256], hint[200], rb[300];
    /* A payer with no share of anything pays nothing. */
    for (size_t p = 0; p < k->n_payers && k->n_payers > 1; p++) {
        double most = 0;
        for (size_t i = 0; i < k->n_rules; i++)
            most = fmax(most,
                        k->rules[i].payer_share ? k->rules[i].payer_share[p] : k->payers[p].share);
        for (size_t i = 0; i < k->n_suspensions; i++)
            if (k->suspensions[i].kind == SUSPEND_FIXED)
                most = fmax(most, k->suspensions[i].payer_share ? k->suspensions[i].payer_share[p]
                                                                : k->payers[p].share);
        if (most > 0) continue;
        snprintf(ptr, sizeof ptr, "/contract/payers/%zu", p);
        warn(w, ptr,
             "payer \"%s\" has no share in any payment rule (nor any fixed payment): it never "
             "pays anything: give it a share in a rule's \"payers\", or leave it out",
             k->payers[p].name);
    }
    /* A holiday in which nothing falls due defers nothing. */
    for (size_t i = 0; i < k->n_suspensions; i++) {
        const suspension *x = &k->suspensions[i];
        if (x->kind != SUSPEND_HOLIDAY || any_due_in(sc, x->from, x->to)) continue;
        snprintf(ptr, sizeof ptr, "/contract/suspensions/%zu", i);
        warn(w, ptr,
             "no outcome payment falls due in this holiday's window [%g, %g): it %s nothing: are "
             "its dates years from the programme's start?",
             x->from, x->to, x->cancel ? "cancels" : "defers");
    }
    const termination *tm = &k->termination;
    if (!tm->present) return;
    if (tm->probability <= 0)
        warn(w, "/contract/termination/probability",
             "a termination probability of 0: the commissioner never terminates: did you mean 1?");
    if (!tm->has_rule) return;
    double first = HUGE_VAL;
    const outcome *oc = &sc->outcomes[tm->outcome];
    reach r = termination_reach(sc, tm, &first);
    if (tm->below <= r.lo) {
        warn(w, "/contract/termination/if/measured_below",
             "a measured_below of %g never holds: the measured effect by the termination dates "
             "is at least about %.3g (the effect prior's 0.1st percentile, %.3g, with engagement, "
             "multipliers, bias and 4 standard errors of noise), so the commissioner never "
             "terminates on results",
             tm->below, r.lo, r.e_lo);
    } else if (tm->below > r.hi) {
        warn(w, "/contract/termination/if/measured_below",
             "a measured_below of %g always holds: the measured effect by the termination dates is "
             "%s, so the programme ends at t = %g in every future where the commissioner "
             "terminates%s",
             tm->below, reach_above(rb, sizeof rb, &r), first,
             percent_hint(hint, sizeof hint, oc, tm->below));
    }
}

/* ------------------------------------------------------------ financing */

static int bond_like(financing_type t) {
    return t == FIN_SIB || t == FIN_OUTCOMES_FUND || t == FIN_DIB;
}

static double stage_cost(const stage *st) {
    double n = 0;
    for (size_t c = 0; c < st->n_cohorts; c++) n += st->cohorts[c].size;
    return st->setup_cost + st->fixed_per_year * st->duration + st->per_participant * n;
}

/* Planned delivery cost of the stages with mine[s], and the bond's fees
 * over them: the set-up fee, and the yearly fee from the first of those
 * stages with a cost to the end of the last (model.md: from the first
 * period with a delivery cost, a blend's part from its stage's start). */
static void planned_need(const scenario *sc, const financing *f, const unsigned char *mine,
                         double *cost, double *fees) {
    double t0 = HUGE_VAL, t1 = -HUGE_VAL;
    *cost = 0;
    for (size_t s = 0; s < sc->n_stages && s < MAX_STAGES; s++) {
        if (!mine[s]) continue;
        double c = stage_cost(&sc->stages[s]);
        if (c <= 0) continue;
        *cost += c;
        t0 = fmin(t0, sc->stages[s].start);
        t1 = fmax(t1, sc->stages[s].start + sc->stages[s].duration);
    }
    *fees = *cost > 0 ? f->setup_fees + f->fees_per_year * (t1 - t0) : 0;
}

/* The earliest date any outcome payment can fall due, after the
 * suspensions: an assessment's (deferred by a holiday, or not at all when
 * cancelled) or a fixed window's first payment. */
static double first_payment(const scenario *sc) {
    double best = HUGE_VAL;
    for (size_t i = 0; i < sc->contract.n_rules; i++) {
        const payment_rule *r = &sc->contract.rules[i];
        unsigned char pool[MAX_STAGES] = {0};
        for (size_t s = 0; s < sc->n_stages && s < MAX_STAGES; s++)
            pool[s] = (r->stage == SIZE_MAX || r->stage == s);
        if (r->scope != SCOPE_COHORT) {
            best = fmin(best, first_paid(sc, r, pooled_date(sc, r->outcome, pool)));
            continue;
        }
        const int times = sc->outcomes[r->outcome].times > 1 ? sc->outcomes[r->outcome].times : 1;
        for (size_t s = 0; s < sc->n_stages && s < MAX_STAGES; s++)
            if (pool[s])
                for (size_t c = 0; c < sc->stages[s].n_cohorts; c++)
                    for (int m = 0; m < times; m++)
                        best = fmin(
                            best,
                            first_paid(sc, r, scenario_measurement_time(sc, s, c, r->outcome, m)));
    }
    for (size_t k = 0; k < sc->contract.n_suspensions; k++)
        if (sc->contract.suspensions[k].kind == SUSPEND_FIXED &&
            sc->contract.suspensions[k].per_year > 0)
            best = fmin(best, sc->contract.suspensions[k].from);
    return best;
}

static void check_commitment(sink *w, size_t fi) {
    const scenario *sc = w->sc;
    const financing *f = &sc->financing[fi];
    if (!bond_like(f->type) || f->recycle || f->n_tranches == 0) return;
    unsigned char mine[MAX_STAGES];
    double cost = 0, fees = 0;
    size_t blend = SIZE_MAX;
    /* Named by blends: the stages the blend that needs most gives it. */
    for (size_t b = 0; b < sc->n_financing; b++) {
        const financing *x = &sc->financing[b];
        if (x->type != FIN_BY_STAGE || x->stage_part == NULL) continue;
        unsigned char m[MAX_STAGES] = {0};
        int any = 0;
        for (size_t s = 0; s < sc->n_stages && s < MAX_STAGES; s++)
            if (x->stage_part[s] == fi) {
                m[s] = 1;
                any = 1;
            }
        if (!any) continue;
        double c, fe;
        planned_need(sc, f, m, &c, &fe);
        if (blend == SIZE_MAX || c + fe > cost + fees) {
            blend = b;
            cost = c;
            fees = fe;
            memcpy(mine, m, sizeof mine);
        }
    }
    if (blend == SIZE_MAX) {
        memset(mine, 1, sizeof mine);
        planned_need(sc, f, mine, &cost, &fees);
    }
    double commit = 0;
    for (size_t t = 0; t < f->n_tranches; t++) commit += f->tranches[t].commitment;
    double need = cost + fees, gap = need - commit;
    if (!(gap > fmax(1.0, 1e-9 * need))) return;

    char ptr[256], m1[64], m2[64], m3[64], m4[64], m5[64], whose[160];
    if (f->n_tranches == 1) snprintf(ptr, sizeof ptr, "/financing/%zu/tranches/0/commitment", fi);
    else snprintf(ptr, sizeof ptr, "/financing/%zu/tranches", fi);
    if (blend == SIZE_MAX) snprintf(whose, sizeof whose, "every stage");
    else snprintf(whose, sizeof whose, "the stages blend \"%s\" gives it", sc->financing[blend].name);
    char parts[300];
    if (fees > 0)
        snprintf(parts, sizeof parts, "delivery %s of %s, fees %s", money(m3, sizeof m3, sc, cost),
                 whose, money(m4, sizeof m4, sc, fees));
    else
        snprintf(parts, sizeof parts, "the delivery of %s as planned", whose);
    warn(w, ptr,
         "the tranches commit %s, less than the planned cost they fund, %s (%s): %s would be "
         "unfunded and fall on the provider",
         money(m1, sizeof m1, sc, commit), money(m2, sizeof m2, sc, need), parts,
         money(m5, sizeof m5, sc, gap));
}

/* When some tranche is repaid from given payments, a payment that no
 * tranche is repaid from only ever makes surplus: every tranche without
 * "repaid_from" is repaid from every payment, so this happens when all of
 * them list their payments and none lists this one. */
static void check_tied(sink *w, size_t fi) {
    const scenario *sc = w->sc;
    const financing *f = &sc->financing[fi];
    size_t tied = SIZE_MAX;
    for (size_t t = 0; t < f->n_tranches; t++) {
        if (f->tranches[t].n_repaid_from == 0) return; /* it is repaid from everything */
        if (tied == SIZE_MAX) tied = t;
    }
    if (tied == SIZE_MAX) return;
    for (size_t r = 0; r < sc->contract.n_rules; r++) {
        int listed = 0;
        for (size_t t = 0; t < f->n_tranches && !listed; t++)
            for (size_t i = 0; i < f->tranches[t].n_repaid_from; i++)
                listed |= f->tranches[t].repaid_from[i] == r;
        if (listed) continue;
        char ptr[256];
        snprintf(ptr, sizeof ptr, "/financing/%zu/tranches", fi);
        warn(w, ptr,
             "no tranche is repaid from payment \"%s\": all it pays is surplus, returned to the "
             "payers (or shared with the provider); name it in a tranche's \"repaid_from\"",
             sc->contract.rules[r].name);
    }
}

static void check_financing(sink *w, size_t fi) {
    const scenario *sc = w->sc;
    const financing *f = &sc->financing[fi];
    char ptr[256];
    if (f->type == FIN_FEE_FOR_SERVICE && f->margin >= MARGIN_PERCENT) {
        snprintf(ptr, sizeof ptr, "/financing/%zu/margin", fi);
        warn(w, ptr, "a margin of %g is %g%% on top of costs: did you mean %g (%g%%)?", f->margin,
             f->margin * 100, f->margin / 100, f->margin);
    }
    if (f->type == FIN_PBR) {
        snprintf(ptr, sizeof ptr, "/financing/%zu/cost_of_capital", fi);
        check_rate(w, ptr, "a cost of capital", f->cost_of_capital);
    }
    if (!bond_like(f->type)) return;
    double first = first_payment(sc);
    for (size_t t = 0; t < f->n_tranches; t++) {
        const tranche *x = &f->tranches[t];
        if (x->has_coupon) {
            snprintf(ptr, sizeof ptr, "/financing/%zu/tranches/%zu/coupon", fi, t);
            check_rate(w, ptr, "a coupon", x->coupon);
        }
        if (x->has_return_cap) {
            snprintf(ptr, sizeof ptr, "/financing/%zu/tranches/%zu/return_cap", fi, t);
            check_rate(w, ptr, "a return cap", x->return_cap);
        }
        /* A tranche's rate defaults to the simulation's: warned there. */
        if (x->discount_rate != sc->sim.discount_rate) {
            snprintf(ptr, sizeof ptr, "/financing/%zu/tranches/%zu/discount_rate", fi, t);
            check_rate(w, ptr, "a discount rate", x->discount_rate);
        }
        if (x->has_fixed_coupon) {
            snprintf(ptr, sizeof ptr, "/financing/%zu/tranches/%zu/fixed_coupon/rate", fi, t);
            check_rate(w, ptr, "a fixed coupon", x->fixed.rate);
        }
        for (size_t i = 0; i < x->n_redemptions; i++) {
            const redemption *rd = &x->redemptions[i];
            if (rd->has_irr_below) {
                snprintf(ptr, sizeof ptr, "/financing/%zu/tranches/%zu/redemption/%zu/if_irr_below",
                         fi, t, i);
                check_rate(w, ptr, "a hurdle rate", rd->irr_below);
            }
            /* A date after the maturity is never tested: the tranche's loss
             * is settled at its maturity. */
            if (x->has_maturity && rd->at > x->maturity + EPS_T) {
                snprintf(ptr, sizeof ptr, "/financing/%zu/tranches/%zu/redemption/%zu/%s", fi, t, i,
                         rd->after ? "after" : "at");
                warn(w, ptr,
                     "the investors can redeem only up to the tranche's maturity (t = %g), so a "
                     "redemption %s t = %g is never exercised",
                     x->maturity, rd->after ? "after" : "at", rd->at);
            }
        }
        if (x->has_maturity && x->maturity + EPS_T < first) {
            snprintf(ptr, sizeof ptr, "/financing/%zu/tranches/%zu/maturity", fi, t);
            warn(w, ptr,
                 "the tranche matures at t = %g, before any outcome payment can fall due (the "
                 "first at t = %g): its loss is settled, and its guarantees called, on all it "
                 "drew: is the maturity counted from the programme's start?",
                 x->maturity, first);
        }
    }
    check_tied(w, fi);
    for (size_t g = 0; g < f->n_guarantees; g++)
        if (f->guarantees[g].fee > 0) {
            snprintf(ptr, sizeof ptr, "/financing/%zu/guarantees/%zu/fee", fi, g);
            check_rate(w, ptr, "a guarantee fee", f->guarantees[g].fee);
        }
    check_commitment(w, fi);
}

/* ------------------------------------------------------------------ all */

size_t scenario_warnings(const scenario *sc, sib_warning *out, size_t max) {
    sink w = {sc, out, out == NULL ? 0 : max, 0};
    check_simulation(&w);
    for (size_t s = 0; s < sc->n_stages; s++) {
        check_stage_priors(&w, s);
        check_cohorts(&w, s);
        check_gate(&w, s);
    }
    for (size_t o = 0; o < sc->n_outcomes; o++) check_outcome(&w, o);
    for (size_t i = 0; i < sc->contract.n_rules; i++) {
        check_rule_thresholds(&w, i);
        check_rule_rates_and_caps(&w, i);
        check_true_up(&w, i);
    }
    check_contract_caps(&w);
    check_contract_terms(&w);
    for (size_t f = 0; f < sc->n_financing; f++) check_financing(&w, f);
    return w.n;
}
