/* path.c -- one future: draws, stages and gates, cohorts and their
 * measurement, the contract's settlement, and the financing structures, all
 * written into the worker's ledger (ledger.h). The metrics are computed
 * from that ledger in metrics.c. The model is in docs/model.md and
 * summarised at path_simulate().
 *
 * A future is made in one of three modes (engine_internal.h): a simulated
 * future (every draw from the block's generators), the expected case
 * (inputs at their means, measured = expected), or a backtest (the
 * measurements of a realised record). The three share every line below
 * that does not draw: a backtest is the same settlement fed realised
 * measurements instead of draws.
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

#include "../model/num.h"
#include "engine_internal.h"
#include "law.h"
#include "rng.h"
#include "sample.h"

/* Draw every input of the scenario for one path, from the inputs stream:
 * exactly one uniform u per input, x = F^-1(u), whatever its distribution
 * (a fixed input consumes its uniform too). So two scenarios that differ
 * in an input's distribution -- a tornado's P10, a sweep of a prior's mean --
 * still see the same draws of every other input and of everything after:
 * common random numbers hold exactly. Correlated inputs take their normal
 * scores z = Phi^-1(u), correlate them as y = L z (L the Cholesky factor),
 * and map back: x = F^-1(Phi(y)) -- a Gaussian copula: each input keeps its
 * own distribution, their normal scores are correlated. Then the
 * commissioning uniform of every stage and the failure uniform, drawn
 * whether used or not, for the same reason.
 *
 * Outside a simulated future every input is its mean as drawn, its bounds
 * applied (sample_prior_mean: a normal(1, 0.27) capped at 1 is 0.892, not
 * 1), a stage is commissioned when its probability is at least one half
 * (u just under 0.5), and nothing fails (u = 0: E = -log 0 = inf). */
void path_draw_inputs(const engine *e, worker *w) {
    const scenario *sc = e->sc;
    if (w->mode != PATH_RANDOM) {
        for (size_t i = 0; i < sc->n_inputs; i++) w->x[i] = sample_prior_mean(sc->inputs[i].p);
        for (size_t s = 0; s < sc->n_stages; s++) w->u_gate[s] = nextafter(0.5, 0.0);
        w->u_fail = 0;
        return;
    }
    for (size_t i = 0; i < sc->n_inputs; i++) {
        double u = rng_uniform_pos(w->rin);
        if (!e->is_corr[i]) w->x[i] = sample_prior_quantile(sc->inputs[i].p, u);
        else w->z[e->corr_pos[i]] = gsl_cdf_ugaussian_Pinv(u);
    }
    for (size_t s = 0; s < sc->n_stages; s++) w->u_gate[s] = rng_uniform(w->rin);
    w->u_fail = rng_uniform_pos(w->rin);
    if (e->n_corr == 0) return;
    for (size_t k = e->n_corr; k-- > 0;) { /* y = L z, in place from the bottom row up */
        double y = 0;
        for (size_t j = 0; j <= k; j++) y += gsl_matrix_get(e->chol, k, j) * w->z[j];
        w->z[k] = y;
    }
    for (size_t k = 0; k < e->n_corr; k++) {
        size_t i = e->corr_input[k];
        w->x[i] = sample_prior_quantile(sc->inputs[i].p, gsl_cdf_ugaussian_P(w->z[k]));
    }
}

/* The historical drift factors of this path, outcome by outcome and cohort
 * by cohort: the true counterfactual of a cohort measured at time t on an
 * outcome whose own design is historical is
 *     baseline * (1 + trend * t + volatility * W(t)),
 * W a standard random walk (Brownian motion) sampled at the cohorts' times in
 * order (outside a simulated future W = 0); 1 for other outcomes. The
 * drift is the true counterfactual's, so every design that measures the
 * outcome sees it: a comparison group drawn for a cohort (after a switch,
 * or by a stage's own design) is drawn around it, while a historical
 * baseline stays fixed. The loader refuses a drift on an outcome measured
 * more than once. Called before the stage loop needs them. */
static void draw_drift(const engine *e, worker *w) {
    const scenario *sc = e->sc;
    const size_t nc = e->n_cohorts;
    for (size_t o = 0; o < sc->n_outcomes; o++) {
        const outcome *oc = &sc->outcomes[o];
        double *drift = w->drift + o * nc; /* each outcome's own counterfactual */
        for (size_t c = 0; c < nc; c++) drift[c] = 1.0;
        if (oc->eval.design != EVAL_HISTORICAL) continue;
        double trend = value_of(&oc->eval.trend, w), walk = 0, t_prev = 0;
        for (size_t k = 0; k < e->n_cohorts; k++) {
            size_t c = e->hist_order[k];
            size_t s = e->plan->cohort_stage[c];
            double t = scenario_measure_time(sc, s, e->cohort_index[c], o);
            if (w->mode == PATH_RANDOM && oc->eval.volatility > 0 && t > t_prev)
                walk += gsl_ran_gaussian_ziggurat(w->rng, sqrt(t - t_prev));
            t_prev = num_max(t, t_prev);
            drift[c] = 1.0 + trend * t + oc->eval.volatility * walk;
        }
    }
}

/* The expected outcome of people with counterfactual mean mu0 and true
 * effect eff: mu0 moved by the effect in the better direction (relative: a
 * share of mu0; absolute: in the outcome's units), kept within what the
 * outcome can be (a share in [0, 1], a count >= 0). */
static double treated_mean(const outcome *o, double mu0, double eff) {
    double delta = (o->scale == EFFECT_RELATIVE) ? mu0 * eff : eff;
    double mu = (o->direction == DIRECTION_LOWER_IS_BETTER) ? mu0 - delta : mu0 + delta;
    if (o->kind == OUTCOME_RATE) return num_min(num_max(mu, 0.0), 1.0);
    if (o->kind == OUTCOME_COUNT) return num_max(mu, 0.0);
    return mu;
}

/* Between-person variance of the outcome at mean mu: a count's is mu
 * (Poisson) or mu + mu^2 / k (negative binomial with dispersion k). */
static double person_variance(const outcome *o, double mu) {
    switch (o->kind) {
    case OUTCOME_RATE: return mu * (1 - mu);
    case OUTCOME_COUNT: return o->dispersion > 0 ? mu + mu * mu / o->dispersion : mu;
    case OUTCOME_CONTINUOUS: return o->sd * o->sd;
    }
    return 0;
}

/* The events of n people with mean mu each: Poisson(n mu), or, with
 * dispersion k, the sum of n independent negative binomials of shape k
 * and mean mu -- negative binomial of shape n k and mean n mu (sums of
 * NB2 counts with a common p = k / (k + mu) add their shapes). A Poisson
 * law the same on every path (`fixed`) is drawn from its table (law.h). */
static double draw_events(const outcome *o, worker *w, double n, double mu, int fixed) {
    if (o->dispersion > 0) return sample_negbin(w->rng, n * o->dispersion, n * mu);
    return fixed ? law_poisson(w->laws, w->rng, n * mu) : sample_poisson(w->rng, n * mu);
}

/* The share f of n people's events: the part of a count that is
 * persistent (f = rho) or fresh (f = 1 - rho) -- Poisson(n f mu), or
 * NB(shape n f k, mean n f mu) with dispersion k. */
static double draw_events_part(const outcome *o, gsl_rng *r, double n, double mu, double f) {
    if (o->dispersion > 0) return sample_negbin(r, n * f * o->dispersion, n * f * mu);
    return sample_poisson(r, n * f * mu);
}

/* The standard deviation of a clustered group's mean shock (see
 * draw_total), 0 when the design has no clusters. */
static double cluster_sd(const outcome *o, const evaluation *ev, double n, double mu) {
    if (!(ev->cluster_size > 1 && ev->icc > 0)) return 0;
    return sqrt(person_variance(o, mu) * (ev->cluster_size - 1) * ev->icc / n);
}

/* A total within what the outcome can be: [0, n] people, >= 0 events. */
static double clamp_total(const outcome *o, double total, double n) {
    if (o->kind == OUTCOME_RATE) return num_min(num_max(total, 0.0), n);
    if (o->kind == OUTCOME_COUNT) return num_max(total, 0.0);
    return total;
}

/* A group's measured total for n people with expected mean mu: people with
 * the event (RATE, binomial), events (COUNT, Poisson with mean n mu, or
 * negative binomial of shape n k with dispersion k), or the sum of scores
 * (CONTINUOUS: the mean is normal with variance sd^2 / n). Clustered
 * designs (ev: clusters of k people, intra-cluster correlation icc) add a
 * normal shock to the group mean with variance sigma^2 (k - 1) icc / n, so
 * that its variance is sigma^2 / n times the design effect 1 + (k - 1)
 * icc. In the expected case the total is its expectation, n mu.
 * `fixed`: n and mu are the same on every path (the scenario fixes them):
 * a binomial or a Poisson count is then drawn from its law's table
 * (law.h), one uniform, rather than by the samplers -- the same law. */
static double draw_total(const outcome *o, const evaluation *ev, worker *w, double n, double mu,
                         int fixed) {
    if (n <= 0) return 0;
    if (w->mode != PATH_RANDOM) return n * mu;
    gsl_rng *r = w->rng;
    double total;
    if (o->kind == OUTCOME_RATE)
        total = fixed ? law_binomial(w->laws, r, mu, n) : sample_binomial(r, mu, n);
    else if (o->kind == OUTCOME_COUNT)
        total = draw_events(o, w, n, mu, fixed);
    else
        total = n * (mu + gsl_ran_gaussian_ziggurat(r, o->sd / sqrt(n)));
    if (ev->cluster_size > 1 && ev->icc > 0) {
        total += n * gsl_ran_gaussian_ziggurat(r, cluster_sd(o, ev, n, mu));
        total = clamp_total(o, total, n);
    }
    return total;
}

/* ------------------------------------------------- repeated measurement */

/* A group of people followed over an outcome's measurements (the treated
 * group, or a comparison group), each person's results correlated rho from
 * one measurement to the next. The cohort totals are drawn exactly, from
 * constructions whose margins are those of a single measurement:
 *
 *   RATE: each person is a two-state Markov chain with
 *           P(yes | yes) = p + rho (1 - p),   P(yes | no) = p (1 - rho),
 *         stationary at p (p (1 - rho) / ((1 - p)(1 - rho) + p (1 - rho))
 *         = p) with lag-k correlation rho^k; given the S people with the
 *         event last time, this time's total is
 *           Binomial(S, p + rho (1 - p)) + Binomial(n - S, p (1 - rho)),
 *         the first time Binomial(n, p).
 *   COUNT: each person's count is A + B_m, A persistent and B_m fresh:
 *         Poisson(rho mu) + Poisson((1 - rho) mu), or with dispersion k
 *         NB(shape rho k, mean rho mu) + NB(shape (1 - rho) k, mean
 *         (1 - rho) mu) -- sums with a common p = k / (k + mu), so each
 *         count is NB(k, mu) again; cov = var A = rho var(count), so the
 *         correlation is rho at every lag. The cohort's A and B_m are the
 *         same laws with n times the mean (and the shape).
 *   CONTINUOUS: each score is mu + sd (sqrt(rho) U + sqrt(1 - rho) V_m),
 *         U persistent: the cohort mean is mu + sd / sqrt(n) (sqrt(rho) U'
 *         + sqrt(1 - rho) V'_m) with U', V'_m standard normal (correlation
 *         rho at every lag).
 * A clustered design's shock on the group mean is built the same way as a
 * score's: sqrt(rho) of a persistent normal and sqrt(1 - rho) of a fresh
 * one. docs/model.md states the proofs; tests/test_outcome_terms.c checks
 * the margins and the lag-1 correlation. */
typedef struct panel {
    double n, mu;   /* people, and the expected mean of each */
    double last;    /* RATE: people with the event at the last measurement */
    double persist; /* COUNT: the persistent total; CONTINUOUS: U' */
    double shock;   /* the cluster shock's persistent normal */
    int started;
    int fixed; /* n and mu are the same on every path (draw_total) */
} panel;

/* The next measurement's total of group g (n people at mean mu each), with
 * the clusters of design ev. An outcome measured once takes draw_total. */
static double panel_draw(const outcome *o, const evaluation *ev, worker *w, panel *g) {
    if (o->times <= 1) return draw_total(o, ev, w, g->n, g->mu, g->fixed);
    const double n = g->n, mu = g->mu, rho = o->correlation;
    if (n <= 0) return 0;
    if (w->mode != PATH_RANDOM) return n * mu;
    gsl_rng *r = w->rng;
    const int first = !g->started;
    double total;
    g->started = 1;
    if (o->kind == OUTCOME_RATE) {
        total = first ? sample_binomial(r, mu, n)
                      : sample_binomial(r, mu + rho * (1 - mu), g->last) +
                            sample_binomial(r, mu * (1 - rho), n - g->last);
        g->last = total;
    } else if (o->kind == OUTCOME_COUNT) {
        if (first) g->persist = rho > 0 ? draw_events_part(o, r, n, mu, rho) : 0;
        total = g->persist + (rho < 1 ? draw_events_part(o, r, n, mu, 1 - rho) : 0);
    } else {
        if (first) g->persist = gsl_ran_gaussian_ziggurat(r, 1.0);
        double z = sqrt(rho) * g->persist + sqrt(1 - rho) * gsl_ran_gaussian_ziggurat(r, 1.0);
        total = n * (mu + o->sd / sqrt(n) * z);
    }
    double sd = cluster_sd(o, ev, n, mu);
    if (sd > 0) {
        if (first) g->shock = gsl_ran_gaussian_ziggurat(r, 1.0);
        double z = sqrt(rho) * g->shock + sqrt(1 - rho) * gsl_ran_gaussian_ziggurat(r, 1.0);
        total = clamp_total(o, total + n * sd * z, n);
    }
    return total;
}

/* Attribute an outcome payment to the stages whose cohorts earned it: a
 * cohort's payment to its stage; a pooled one pro rata to the treated
 * people of each pooled stage. Blends by stage finance each stage's share. */
static void attribute_payment(const engine *e, worker *w, const pay_event *ev, double amt) {
    const scenario *sc = e->sc;
    const size_t T = e->periods, nc = e->n_cohorts;
    double *stage_pay = w->L->stage_pay;
    if (ev->cohort != CONTRACT_POOLED) {
        stage_pay[e->plan->cohort_stage[ev->cohort] * T + ev->period] += amt;
        return;
    }
    const cohort_obs *row = w->obs + sc->contract.rules[ev->rule].outcome * nc;
    double total = 0;
    for (size_t s = 0; s < sc->n_stages; s++) w->stage_w[s] = 0;
    for (size_t c = 0; c < nc; c++) {
        size_t s = e->plan->cohort_stage[c];
        if (ev->pool_stage != SIZE_MAX && s != ev->pool_stage) continue;
        w->stage_w[s] += row[c].n_t;
        total += row[c].n_t;
    }
    for (size_t s = 0; s < sc->n_stages; s++)
        if (total > 0) stage_pay[s * T + ev->period] += amt * w->stage_w[s] / total;
}

/* Spread amount evenly over the periods of [t0, t1); all of it in t0's
 * period when the span covers no whole period boundary. */
void path_spread(const scenario *sc, size_t n, double *flows, double t0, double t1,
                   double amount) {
    size_t p0 = scenario_period_in(sc, n, t0), p1 = scenario_period_in(sc, n, t1);
    if (t1 <= t0 || p1 <= p0) {
        flows[p0] += amount;
        return;
    }
    double each = amount / (double)(p1 - p0);
    for (size_t p = p0; p < p1; p++) flows[p] += each;
}

/* The time the programme fails, given the stages that run: each fails at
 * its hazard while it runs, so the cumulative hazard
 *     H(t) = sum over running stages s of h_s |[start_s, min(t, end_s))|
 * is piecewise linear, and the failure time solves H(t) = E, E ~ Exp(1)
 * drawn as -log(u). HUGE_VAL when H never reaches E. Overlapping stages add
 * their hazards. */
static double failure_time(const scenario *sc, const int *ran, double E) {
    double pts[2 * 64 + 2];
    size_t np = 0;
    for (size_t s = 0; s < sc->n_stages && np + 2 < sizeof pts / sizeof pts[0]; s++)
        if (ran[s] && sc->stages[s].failure_hazard > 0) {
            pts[np++] = sc->stages[s].start;
            pts[np++] = sc->stages[s].start + sc->stages[s].duration;
        }
    if (np == 0) return HUGE_VAL;
    for (size_t i = 1; i < np; i++) /* insertion sort of the breakpoints */
        for (size_t j = i; j > 0 && pts[j] < pts[j - 1]; j--) {
            double t = pts[j];
            pts[j] = pts[j - 1];
            pts[j - 1] = t;
        }
    double H = 0;
    for (size_t i = 0; i + 1 < np; i++) {
        double a = pts[i], b = pts[i + 1], rate = 0;
        if (b <= a) continue;
        for (size_t s = 0; s < sc->n_stages; s++) {
            const stage *st = &sc->stages[s];
            if (ran[s] && st->start <= a && st->start + st->duration >= b) rate += st->failure_hazard;
        }
        if (rate > 0 && H + rate * (b - a) >= E) return a + (E - H) / rate;
        H += rate * (b - a);
    }
    return HUGE_VAL;
}

/* Participants of cohort co on this path: the plan times the volume drawn,
 * cut short when the programme fails (at `stop`) during its enrolment. */
static double cohort_size(const cohort *co, double volume, double stop) {
    double n = round(co->size * volume);
    if (co->entry >= stop) return 0;
    if (co->entry + co->enrolment > stop) return round(n * (stop - co->entry) / co->enrolment);
    return n;
}

/* --------------------------------------------------- comparison groups */

/* What one design of a measurement compares with, kept across an
 * outcome's measurements while the design is in force: its comparison
 * group followed over them, and for a difference in differences the
 * before-period totals, drawn once. */
typedef struct design_state {
    panel after;         /* the comparison group (RCT, MATCHED; DID: after) */
    double pre_t, pre_c; /* DID: the treated and the comparison group before */
    double n_c;          /* DID: the comparison group's size */
    int has_pre;
} design_state;

/* Comparison people of design d for n treated: its size, or its ratio
 * times n (at least 1). */
static double comparison_people(const evaluation *d, double n) {
    return d->comparison_size > 0 ? d->comparison_size
                                  : num_max(round(d->comparison_ratio * n), 1.0);
}

/* The comparison mean of plain design d for a measurement of n treated
 * people whose true counterfactual mean is mu0, drawing what it needs into
 * st; with *n_c and *sum_c the group as the contract reads it (a single
 * design's own size and total). VALIDATED has none (*n_c = 0).
 *   RCT        a group around mu0;  MATCHED  around mu0 (1 + bias);
 *   HISTORICAL the fixed baseline (n_c = 1, sum_c = baseline);
 *   DID        treated before + comparison after - comparison before, the
 *              before-period groups around the baseline, the comparison
 *              after around mu0 (1 + deviation).
 * `fixed`: n and mu0 are the same on every path; a group whose law then
 * depends on nothing drawn (no bias or deviation drawn) says so to
 * draw_total. */
static void compare(const outcome *o, const evaluation *d, worker *w, design_state *st, double n,
                    double mu0, int fixed, double *n_c, double *sum_c) {
    switch (d->design) {
    case EVAL_RCT:
    case EVAL_MATCHED: {
        double mu_c = mu0 * (1.0 + value_of(&d->bias, w));
        if (o->kind == OUTCOME_RATE) mu_c = num_min(num_max(mu_c, 0.0), 1.0);
        st->after.n = comparison_people(d, n);
        st->after.mu = mu_c;
        st->after.fixed = fixed && d->bias.slot == SIZE_MAX;
        *n_c = st->after.n;
        *sum_c = panel_draw(o, d, w, &st->after);
        return;
    }
    case EVAL_DID: {
        double m = comparison_people(d, n), b = o->baseline;
        if (!st->has_pre) { /* the before period: drawn once */
            st->pre_t = draw_total(o, d, w, n, b, fixed);
            st->pre_c = draw_total(o, d, w, m, b, fixed);
            st->n_c = m;
            st->has_pre = 1;
        }
        double mu_c = mu0 * (1.0 + value_of(&d->deviation, w));
        if (o->kind == OUTCOME_RATE)
            mu_c = num_min(num_max(mu_c, 0.0), 1.0);
        else if (o->kind == OUTCOME_COUNT)
            mu_c = num_max(mu_c, 0.0);
        st->after.n = m;
        st->after.mu = mu_c;
        st->after.fixed = fixed && d->deviation.slot == SIZE_MAX;
        double after = panel_draw(o, d, w, &st->after);
        *n_c = n; /* a counterfactual mean, carried over the treated size */
        *sum_c = st->pre_t + n * (after - st->pre_c) / st->n_c;
        return;
    }
    case EVAL_HISTORICAL:
        *n_c = 1;
        *sum_c = o->baseline;
        return;
    case EVAL_VALIDATED:
    case EVAL_BLEND: /* a blend is resolved by the caller */ break;
    }
    *n_c = *sum_c = 0;
}

/* The comparison mean that gives a blend's measured effect, the weighted
 * sum of its designs' effects on the shared treated mean y_t:
 *   absolute:  y_c = sum_j w_j y_j  (the effect is linear in y_c);
 *   relative:  y_c = 1 / sum_j (w_j / y_j), the weighted harmonic mean: then
 *              (y_c - y_t) / y_c = 1 - y_t sum_j w_j / y_j = sum_j w_j (y_j -
 *              y_t) / y_j, and the same for a rise.
 * When a design's y_j <= 0 on the relative scale its effect counts as 0, as
 * for a single design (contract_effect), and y_c is the mean that gives the
 * blended effect E: y_t / (1 - E) (a fall) or y_t / (1 + E) (a rise), 0
 * when there is none. */
static double blend_mean(const outcome *o, const evaluation *ev, const double *y, double y_t) {
    double acc = 0;
    if (o->scale == EFFECT_ABSOLUTE) {
        for (size_t j = 0; j < ev->n_blend; j++) acc += ev->blend[j].weight * y[j];
        return acc;
    }
    int all = 1;
    for (size_t j = 0; j < ev->n_blend; j++) {
        all &= y[j] > 0;
        acc += all ? ev->blend[j].weight / y[j] : 0;
    }
    if (all) return 1 / acc;
    double eff = 0;
    for (size_t j = 0; j < ev->n_blend; j++)
        eff += ev->blend[j].weight * contract_effect(o, y_t, y[j]);
    double den = o->direction == DIRECTION_LOWER_IS_BETTER ? 1 - eff : 1 + eff;
    return (y_t > 0 && den > 0) ? y_t / den : 0;
}

/* Measure outcome o of a cohort of n eligible people with true
 * counterfactual mu0 and treated mean mu_t, as the stage's evaluation ev0
 * says, at each of its measurements (times; cohort measured at t0, every
 * apart): the treated group, followed, and the comparison of the design in
 * force at each date (a switch changes it; a new design's groups start
 * afresh). Writes each measurement's row and the outcome's own row, every
 * measurement pooled. A composite outcome carries its comparison as a mean
 * over the treated size (n_c = n), so that pooling cohorts measured by
 * different designs weights each by its treated group. `fixed`: n and mu0
 * are the same on every path; `fixed_t`: mu_t too (realise_cohort). */
static void measure(const engine *e, worker *w, size_t o, size_t f, const evaluation *ev0, double n,
                    double mu0, double mu_t, int fixed, int fixed_t, double t0) {
    const scenario *sc = e->sc;
    const outcome *oc = &sc->outcomes[o];
    const size_t nc = e->n_cohorts;
    const int times = oc->times > 1 ? oc->times : 1;
    panel treated = {.n = n, .mu = mu_t, .fixed = fixed_t};
    design_state st[EVAL_BLEND_MAX];
    const evaluation *in_force = NULL;
    cohort_obs all = {0, 0, 0, 0};
    for (int m = 0; m < times; m++) {
        const evaluation *d = evaluation_at(ev0, m > 0 ? t0 + m * oc->every : t0);
        if (d != in_force) { /* a design's groups start when it comes into force */
            /* Only the designs it has: a whole st is EVAL_BLEND_MAX of them,
             * cleared 15 times a future on Massachusetts. */
            memset(st, 0, (d->design == EVAL_BLEND ? d->n_blend : 1) * sizeof st[0]);
            in_force = d;
        }
        cohort_obs ob = {n, 0, 0, 0};
        /* The treated group's clusters are the design's (a blend's designs
         * have none: the loader refuses them). */
        ob.sum_t = panel_draw(oc, d->design == EVAL_BLEND ? &d->blend[0] : d, w, &treated);
        if (d->design == EVAL_BLEND) {
            double y[EVAL_BLEND_MAX];
            for (size_t j = 0; j < d->n_blend; j++) {
                double mj, sj;
                compare(oc, &d->blend[j], w, &st[j], n, mu0, fixed, &mj, &sj);
                y[j] = sj / mj;
            }
            ob.n_c = n;
            ob.sum_c = n * blend_mean(oc, d, y, ob.sum_t / n);
        } else {
            compare(oc, d, w, &st[0], n, mu0, fixed, &ob.n_c, &ob.sum_c);
            if (oc->composite && ob.n_c > 0) { /* as a mean over the treated size */
                ob.sum_c = n * (ob.sum_c / ob.n_c);
                ob.n_c = n;
            }
        }
        if (times > 1) w->obs[scenario_obs_row(sc, o, m) * nc + f] = ob;
        cohort_obs_pool(&all, &ob);
    }
    w->obs[o * nc + f] = all;
}

/* Realise cohort c (its index within stage s) of this path: its
 * participants (the plan times the volume drawn, cut short by a failure at
 * `stop`) and, for each outcome, its eligible share of them, the treated
 * group's total around the counterfactual moved by the effect (programme
 * effect x stage multiplier x engagement) and the comparison's as the
 * design says, at each of the outcome's measurements; also its true
 * outcomes (per person and measurement: person-years) and their value. A
 * cohort is realised once per path: early, for a gate, only when it was
 * measured in full before the gated stage's start (so no later failure can
 * cut it), else with the final failure time. In a backtest the
 * measurements are the record's (a cohort it has no result for was not
 * measured), and the true outcomes are unknown. */
static void realise_cohort(const engine *e, worker *w, size_t s, size_t c, double stop) {
    const scenario *sc = e->sc;
    const size_t no = sc->n_outcomes, nc = e->n_cohorts, f = e->stage_first[s] + c;
    const stage *st = &sc->stages[s];
    double engaged = value_of(&st->engagement, w), mult = value_of(&st->effect_multiplier, w);
    double n = cohort_size(&st->cohorts[c], value_of(&st->volume, w), stop);
    w->cohort_drawn[f] = 1;
    if (w->mode == PATH_REALISED) {
        const realised *rec = w->rec;
        for (size_t r = 0; r < scenario_obs_rows(sc); r++)
            w->obs[r * nc + f] = (cohort_obs){0, 0, 0, 0};
        for (size_t o = 0; o < no; o++)
            w->cohort_true[o * nc + f] = w->cohort_value[o * nc + f] = NAN;
        /* The cohort that ran is the largest group the record measured in it:
         * an outcome may be counted over part of the cohort only (the
         * eligible girls among all pupils), whatever the order of the
         * results. A measurement of an outcome measured several times goes
         * into its own row and into the outcome's, which pools them. */
        double measured = 0;
        for (size_t k = 0; k < rec->n_results; k++) {
            const realised_result *r = &rec->results[k];
            if (r->cohort != f) continue;
            cohort_obs ob = {r->n_t, r->sum_t, r->n_c, r->sum_c};
            cohort_obs *all = &w->obs[r->outcome * nc + f];
            if (sc->outcomes[r->outcome].times > 1) {
                w->obs[scenario_obs_row(sc, r->outcome, r->measurement) * nc + f] = ob;
                cohort_obs_pool(all, &ob);
            } else {
                *all = ob;
            }
            measured = num_max(measured, r->n_t);
        }
        w->cohort_n[f] = measured > 0 ? measured : n;
        return;
    }
    w->cohort_n[f] = n;
    /* The groups whose laws are the same on every path (draw_total): the
     * cohort's size is the scenario's (no volume drawn, and no failure cut
     * its enrolment short), and for each outcome so is its eligible share
     * and its counterfactual (no historical drift); the treated group's
     * also when its effect, the stage's multiplier and the engagement are
     * fixed. The flags choose only how a count is drawn, never its law: a
     * table is keyed by the law's own parameters (law.h), so a group
     * flagged wrongly would cost a table built per draw, not a wrong
     * count. */
    const cohort *co = &st->cohorts[c];
    const int whole = st->volume.slot == SIZE_MAX && co->entry + co->enrolment <= stop;
    const int fixed_effect =
        st->engagement.slot == SIZE_MAX && st->effect_multiplier.slot == SIZE_MAX;
    for (size_t o = 0; o < no; o++) {
        const outcome *oc = &sc->outcomes[o];
        const evaluation *ev = scenario_evaluation(sc, s, o);
        cohort_obs *ob = &w->obs[o * nc + f];
        /* The outcome's eligible group: the share of the cohort it is
         * measured on (1 unless the scenario says otherwise). */
        double n_o = n;
        if (oc->population.slot != SIZE_MAX || oc->population.a != 1)
            n_o = round(n * value_of(&oc->population, w));
        *ob = (cohort_obs){n_o, 0, 0, 0};
        double eff = value_of(&oc->effect, w) * mult * engaged, mu0 = oc->baseline;
        const int fixed =
            whole && oc->population.slot == SIZE_MAX && oc->eval.design != EVAL_HISTORICAL;
        const int fixed_t = fixed && fixed_effect && oc->effect.slot == SIZE_MAX;
        if (oc->eval.design == EVAL_HISTORICAL) mu0 = oc->baseline * w->drift[o * nc + f];
        if (oc->kind == OUTCOME_RATE) mu0 = num_min(num_max(mu0, 0.0), 1.0);
        else if (oc->kind == OUTCOME_COUNT) mu0 = num_max(mu0, 0.0);
        double mu_t = treated_mean(oc, mu0, eff);
        /* True outcomes per measurement, the same at each (one effect, one
         * counterfactual): the outcome's person-years of improvement;
         * measure_discount sums the discount factors of its dates. */
        double units = contract_units(oc, mu_t, mu0, n_o);
        int times = oc->times > 1 ? oc->times : 1;
        w->cohort_true[o * nc + f] = times > 1 ? units * times : units;
        w->cohort_value[o * nc + f] = oc->value * units * e->measure_discount[o * nc + f];
        if (n_o <= 0) {
            for (int m = 0; times > 1 && m < times; m++)
                w->obs[scenario_obs_row(sc, o, m) * nc + f] = (cohort_obs){0, 0, 0, 0};
            continue;
        }
        if (times > 1 || oc->composite) {
            measure(e, w, o, f, ev, n_o, mu0, mu_t, fixed, fixed_t,
                    scenario_measurement_time(sc, s, c, o, 0));
            continue;
        }
        /* One design, measured once: the groups as drawn. */
        ob->sum_t = draw_total(oc, ev, w, n_o, mu_t, fixed_t);
        design_state one;
        memset(&one, 0, sizeof one);
        compare(oc, ev, w, &one, n_o, mu0, fixed, &ob->n_c, &ob->sum_c);
    }
}

/* What a backtest reads of the inputs (engine_internal.h). It makes its
 * future from these reads of value_of, and no other:
 *   - a stage's overrun, for its costs (path_settle), when it ran;
 *   - a stage's volume, for the people of a cohort the record has no
 *     result for that enters before the record's stop (realise_cohort: the
 *     measured size stands for the others; cohort_size counts no one
 *     entering at or after the stop); terminate() reads it too but cuts no
 *     cohort of a backtest;
 *   - the effect, the engagement, the multiplier, the population, the
 *     evaluation's trend, bias and deviation: read only to draw
 *     measurements and true outcomes (draw_drift, realise_cohort,
 *     metrics_of_path), which a backtest takes from the record or leaves
 *     undefined (NaN).
 * Gates are not evaluated (the record says which stages ran). A new read
 * of an input in a backtest must be added here. */
int path_realised_reads(const engine *e, const worker *w, size_t i) {
    const scenario *sc = e->sc;
    for (size_t s = 0; s < sc->n_stages; s++) {
        const stage *st = &sc->stages[s];
        if (!w->ran[s]) continue;
        if (st->overrun.slot == i) return 1;
        if (st->volume.slot != i) continue;
        for (size_t c = 0; c < st->n_cohorts; c++) {
            const size_t f = e->stage_first[s] + c;
            int measured = 0;
            for (size_t k = 0; k < w->rec->n_results && !measured; k++)
                measured = w->rec->results[k].cohort == f;
            if (!measured && st->cohorts[c].entry < w->rec->stopped) return 1;
        }
    }
    return 0;
}

/* Realise the cohorts of stage s not realised yet; with `by` finite, only
 * those measured (on every outcome) by then. */
static void realise_stage(const engine *e, worker *w, size_t s, double stop, double by) {
    const stage *st = &e->sc->stages[s];
    for (size_t c = 0; c < st->n_cohorts; c++) {
        size_t f = e->stage_first[s] + c;
        if (w->cohort_drawn[f] || e->measured_by[f] > by) continue;
        realise_cohort(e, w, s, c, stop);
    }
}

/* Whether stage s's gate holds on this path (the gating stage's cohorts
 * are realised on demand), and the commissioner then commissions it. */
static int gate_holds(const engine *e, worker *w, size_t s, double stop) {
    const scenario *sc = e->sc;
    const stage *st = &sc->stages[s];
    const gate *g = &st->gate;
    const size_t nc = e->n_cohorts;
    if (!g->present) return 1;
    if (g->outcome != SIZE_MAX) {
        /* The measured effect pooled over the gating stage's cohorts
         * (measured by now: the loader checks the dates). */
        realise_stage(e, w, g->stage, stop, st->start);
        const outcome *go = &sc->outcomes[g->outcome];
        double nt = 0, stt = 0, ncp = 0, scp = 0;
        for (size_t c = 0; c < nc; c++) {
            if (e->plan->cohort_stage[c] != g->stage) continue;
            const cohort_obs *ob = &w->obs[g->outcome * nc + c];
            nt += ob->n_t;
            stt += ob->sum_t;
            ncp += ob->n_c;
            scp += ob->sum_c;
        }
        double eff = nt <= 0 ? -HUGE_VAL
                     : ncp > 0 ? contract_effect(go, stt / nt, scp / ncp)
                               : contract_achieved(go, stt / nt, nt) / nt;
        if (!contract_reaches(eff, g->min_effect)) return 0;
    }
    if (g->has_min_paid) {
        /* Payments for the gating stage's cohorts made by this stage's
         * start: settle what is measured so far (later stages' cohorts are
         * still empty), up to the start. Every cohort of the stages that
         * ran so far that was measured by now, not only the gating
         * stage's: caps tie their payments together. Cohorts measured
         * later cannot have been paid by now. */
        for (size_t q = 0; q < s; q++)
            if (w->ran[q]) realise_stage(e, w, q, stop, st->start);
        contract_settle(sc, e->plan, w->obs, st->start, w->pay, w->payer, NULL, w->scratch);
        double paid = 0;
        for (size_t k = 0; k < e->plan->n_events; k++) {
            const pay_event *ev = &e->plan->events[k];
            size_t es = ev->cohort == CONTRACT_POOLED ? ev->pool_stage
                                                      : e->plan->cohort_stage[ev->cohort];
            if (es == g->stage) paid += w->pay[k];
        }
        if (!(paid >= g->min_paid)) return 0;
    }
    return !(g->probability < 1 && w->u_gate[s] >= g->probability);
}

/* Dates compare with this tolerance (years), as the grid's periods do. */
#define EPS_T 1e-9

/* ------------------------------------------------------- stopping early */

/* The termination's uniforms for this path, one per date, from the
 * termination's own stream and always all of them: a fixed count per path,
 * so that no other draw moves and a sweep of the probability stays on common
 * random numbers. Outside a simulated future u is just under one half: the
 * commissioner terminates when the probability is at least 1/2, as a gate
 * commissions. */
static void draw_termination(const engine *e, worker *w) {
    const termination *tm = &e->sc->contract.termination;
    w->term = HUGE_VAL;
    for (size_t k = 0; k < tm->n_at; k++)
        w->u_term[k] = w->mode == PATH_RANDOM ? rng_uniform(w->rterm) : nextafter(0.5, 0.0);
}

/* Whether the commissioner terminates at date k of this path. The rule
 * holds when the measured effect on its outcome, pooled over the cohorts
 * measured by then of the stages that started before then (or of its one
 * stage), is below its threshold; without results to judge it does not
 * hold. Then it terminates with its probability: u_k < probability. The
 * cohorts are already realised (path_simulate). */
static int terminates(const engine *e, const worker *w, size_t k) {
    const scenario *sc = e->sc;
    const termination *tm = &sc->contract.termination;
    const double t = tm->at[k];
    if (tm->has_rule) {
        const size_t nc = e->n_cohorts, o = tm->outcome;
        const outcome *oc = &sc->outcomes[o];
        cohort_obs by_t = {0, 0, 0, 0};
        for (size_t s = 0; s < sc->n_stages; s++) {
            if (!w->ran[s] || !(sc->stages[s].start < t) ||
                (tm->over_stage != SIZE_MAX && s != tm->over_stage))
                continue;
            for (size_t c = 0; c < sc->stages[s].n_cohorts; c++) {
                /* What was measured by t: every measurement of an outcome
                 * measured several times made by then, pooled. */
                const size_t f = e->stage_first[s] + c;
                const int times = oc->times > 1 ? oc->times : 1;
                for (int m = 0; m < times; m++) {
                    if (scenario_measurement_time(sc, s, c, o, m) > t + EPS_T) break;
                    cohort_obs_pool(&by_t, &w->obs[scenario_obs_row(sc, o, m) * nc + f]);
                }
            }
        }
        const double nt = by_t.n_t;
        if (!(nt > 0)) return 0;
        double eff = by_t.n_c > 0 ? contract_effect(oc, by_t.sum_t / nt, by_t.sum_c / by_t.n_c)
                                  : contract_achieved(oc, by_t.sum_t / nt, nt) / nt;
        if (!(eff == eff) || contract_reaches(eff, tm->below)) return 0;
    }
    return w->u_term[k] < tm->probability;
}

/* The commissioner's termination, decided once the future has been made as
 * if there were none (every cohort of every stage that ran realised, in the
 * same order, from the same draws): the termination then only cuts it, so
 * it shifts no draw of this future or of the next. At the first date at
 * which the programme has not stopped (no failure before it, nor a stop in
 * the record) and the commissioner terminates (terminates()):
 *   - w->term is that date T, and the failure or the record's stop, now
 *     never reached, is lifted (w->stop = HUGE_VAL);
 *   - a stage starting at or after T does not run (its cohorts, realised
 *     as if it did, are dropped: none of it happened);
 *   - a cohort still enrolling at T keeps the people enrolled by then,
 *     n = round(n_planned x volume x (T - entry) / enrolment) (0 when it
 *     enters at or after T), and its true outcomes and their value scale
 *     with it (they are linear in its people);
 *   - every measurement made after T is dropped. */
static void terminate(const engine *e, worker *w) {
    const scenario *sc = e->sc;
    const termination *tm = &sc->contract.termination;
    const size_t no = sc->n_outcomes, nc = e->n_cohorts;
    for (size_t k = 0; k < tm->n_at && tm->at[k] <= w->stop; k++) {
        if (!terminates(e, w, k)) continue;
        const double T = tm->at[k];
        w->term = T;
        w->stop = HUGE_VAL;
        for (size_t s = 0; s < sc->n_stages; s++) {
            if (!w->ran[s]) continue;
            const stage *st = &sc->stages[s];
            if (st->start >= T) { /* never started: nothing of it happened */
                w->ran[s] = 0;
                w->reached--;
                for (size_t c = 0; c < st->n_cohorts; c++) w->cohort_n[e->stage_first[s] + c] = 0;
                continue;
            }
            for (size_t c = 0; c < st->n_cohorts; c++) {
                size_t f = e->stage_first[s] + c;
                double n = w->cohort_n[f];
                double cut = cohort_size(&st->cohorts[c], value_of(&st->volume, w), T);
                if (w->mode == PATH_REALISED || !(cut < n)) continue;
                for (size_t o = 0; o < no; o++) {
                    w->cohort_true[o * nc + f] *= cut / n;
                    w->cohort_value[o * nc + f] *= cut / n;
                }
                w->cohort_n[f] = cut;
            }
        }
        /* Nothing more is measured: a cohort's measurement of an outcome
         * measured after T is dropped (its true outcomes, from the people
         * enrolled by then, still count). An outcome measured several times
         * keeps the measurements made by T, and its own row pools them. */
        for (size_t f = 0; f < nc; f++)
            for (size_t o = 0; o < no; o++) {
                const size_t s = e->plan->cohort_stage[f], c = e->cohort_index[f];
                const int times = sc->outcomes[o].times > 1 ? sc->outcomes[o].times : 1;
                cohort_obs all = {0, 0, 0, 0};
                for (int m = 0; m < times; m++) {
                    cohort_obs *ob = &w->obs[scenario_obs_row(sc, o, m) * nc + f];
                    if (scenario_measurement_time(sc, s, c, o, m) > T + EPS_T)
                        *ob = (cohort_obs){0, 0, 0, 0};
                    cohort_obs_pool(&all, ob);
                }
                w->obs[o * nc + f] = all;
            }
        return;
    }
}

/* The time of the future's final settlement, when losses are known and
 * guarantees are called: the end of delivery (or the stop: a failure or a
 * termination), or the last contract event that can still pay -- one not
 * cancelled by a suspension, due by a failure, measured by a termination,
 * whose cohort, or one of whose pooled cohorts, ran -- or the last fixed
 * payment of a suspension, if later. */
static double settle_time(const engine *e, const worker *w) {
    const scenario *sc = e->sc;
    const size_t nc = e->n_cohorts;
    const double end = num_min(w->stop, w->term);
    double t = 0;
    for (size_t s = 0; s < sc->n_stages; s++)
        if (w->ran[s]) t = num_max(t, num_min(sc->stages[s].start + sc->stages[s].duration, end));
    if (end < HUGE_VAL) t = num_max(t, end);
    for (size_t k = 0; k < e->plan->n_fixed; k++) /* in order of time */
        if (e->plan->fixed[k].from < end) t = num_max(t, e->plan->fixed[k].from);
    if (end == HUGE_VAL) { /* the compiled last event of each cohort */
        for (size_t c = 0; c < nc; c++)
            if (w->cohort_n[c] > 0) t = num_max(t, e->last_event[c]);
        return t;
    }
    for (size_t k = 0; k < e->plan->n_events; k++) {
        const pay_event *ev = &e->plan->events[k];
        if (ev->time > w->stop || ev->cancelled || ev->measured > w->term + EPS_T || ev->time <= t)
            continue;
        int ran = 0;
        for (size_t c = 0; c < nc && !ran; c++) {
            if (ev->cohort != CONTRACT_POOLED ? c != ev->cohort
                : (ev->pool_stage != SIZE_MAX && e->plan->cohort_stage[c] != ev->pool_stage))
                continue;
            ran = w->cohort_n[c] > 0;
        }
        if (ran) t = ev->time;
    }
    return t;
}

/* The last stage that ran by time t (whose start is at most t), or the
 * first that ran; SIZE_MAX when none ran. */
static size_t stage_at(const scenario *sc, const worker *w, double t) {
    size_t at = SIZE_MAX;
    for (size_t s = 0; s < sc->n_stages; s++)
        if (w->ran[s] && (at == SIZE_MAX || sc->stages[s].start <= t + EPS_T)) at = s;
    return at;
}

/* Put the fixed payments of suspensions on the ledger: every payment line,
 * each payer's, and the stage in delivery then (for blends). */
static void book_fixed(const engine *e, worker *w) {
    const scenario *sc = e->sc;
    const size_t T = e->periods, np = sc->contract.n_payers;
    ledger *L = w->L;
    for (size_t k = 0; k < e->plan->n_fixed; k++) {
        const fixed_item *it = &e->plan->fixed[k];
        double amt = w->fixed[k];
        if (amt == 0) continue;
        L->fixed_pay[it->period] += amt;
        L->pay[it->period] += amt;
        for (size_t p = 0; p < np; p++)
            L->payer_pay[p * T + it->period] += w->fixed_payer[k * np + p];
        size_t s = stage_at(sc, w, it->from);
        if (s != SIZE_MAX) L->stage_pay[s * T + it->period] += amt;
    }
}

/* Simulate one future into w's ledger and facts:
 *   1. draw every uncertain input (correlated ones through the copula) and
 *      the time of an operational failure, if any;
 *   2. run the stages in order: a stage starts only if the one before ran,
 *      its gate holds on what was measured (and the commissioner commissions
 *      it), and the programme has not failed; its participants are the plan
 *      times the volume drawn, its costs the plan times the overrun drawn;
 *   3. for each cohort and outcome, draw the treated group's total around the
 *      counterfactual moved by the effect (programme effect x stage
 *      multiplier x engagement), and the comparison's as the design says;
 *   4. with a termination clause, decide whether the commissioner ends the
 *      programme early, and cut the future short if so (terminate);
 *   5. settle the contract on what was measured (contract_settle, or
 *      contract_settle_terms with a termination or a fixed suspension);
 *   6. put payments and costs on the ledger (and what is owed on a
 *      termination); run each financing structure with the future's final
 *      settlement.
 * Steps 1-4 are path_draw, 5-6 path_settle: a family of engines
 * (engine_run_family) draws a future once and settles it on each. */
void path_simulate(const engine *e, worker *w) {
    path_draw(e, w);
    path_settle(e, w);
}

/* Draw one future (steps 1-4 of path_simulate) into w: its inputs, the
 * stages that run and when the programme stops, every cohort's measured
 * and true outcomes, and the commissioner's termination. Nothing here
 * reads the contract's payments, the financing or the stages' planned
 * costs, except a gate on payments made (gate_holds) and the termination
 * (engine_scenarios_draw_alike says which scenarios draw alike). */
void path_draw(const engine *e, worker *w) {
    const scenario *sc = e->sc;
    const size_t no = sc->n_outcomes, nc = e->n_cohorts;

    path_draw_inputs(e, w);
    const termination *tm = &sc->contract.termination;
    if (tm->present) draw_termination(e, w);
    draw_drift(e, w);
    /* Operational failure: each stage fails at its hazard rate while it
     * runs, so the cumulative hazard of the stages that ran,
     * H(t) = sum_s h_s |[start_s, min(t, end_s))|, reaches E = -log(u) ~ Exp(1)
     * at the failure time. Stages that never start add no hazard. A
     * backtest stops when its record says. */
    const double hazard_e = -log(w->u_fail); /* E ~ Exp(1) by inversion */
    const int backtest = w->mode == PATH_REALISED;
    double stop = backtest ? w->rec->stopped : HUGE_VAL;
    w->reached = 0;

    /* Pass 1: which stages run, and when the programme fails. Stages are
     * decided in order of start: a stage runs if the one before ran, the
     * programme has not failed by its start, and its gate holds on what was
     * measured (the gating stage's outcomes are realised then, on demand).
     * Adding a stage's hazard changes the failure time only after that
     * stage's start, so the stages decided on stay consistent with the
     * final failure time. A backtest runs the stages its record says. */
    for (size_t s = 0; s < sc->n_stages; s++) w->ran[s] = 0;
    memset(w->cohort_drawn, 0, nc * sizeof *w->cohort_drawn);
    memset(w->cohort_n, 0, nc * sizeof *w->cohort_n);
    memset(w->obs, 0, scenario_obs_rows(sc) * nc * sizeof *w->obs); /* nothing measured yet */
    memset(w->cohort_true, 0, no * nc * sizeof *w->cohort_true);
    memset(w->cohort_value, 0, no * nc * sizeof *w->cohort_value);
    for (size_t s = 0; s < sc->n_stages; s++) {
        const stage *st = &sc->stages[s];
        if (s > 0 && !w->ran[s - 1]) break;
        if (st->start >= stop) break;
        if (backtest ? !w->rec->stage_ran[s] : !gate_holds(e, w, s, stop)) break;
        w->ran[s] = 1;
        w->reached++;
        if (!backtest) stop = failure_time(sc, w->ran, hazard_e);
    }
    w->stop = stop;
    /* The cohorts of the stages that ran, stage by stage, with the final
     * failure time (a cohort enrolling then is cut short); then, with a
     * termination clause, the commissioner's termination, which may cut the
     * future short. (Realising every cohort before the costs of pass 2, as
     * stage by stage among them, draws the same numbers in the same order:
     * costs draw none.) */
    for (size_t s = 0; s < sc->n_stages; s++)
        if (w->ran[s]) realise_stage(e, w, s, stop, HUGE_VAL);
    if (tm->present) terminate(e, w);
}

/* A draw as path_save_draw lays it out: the inputs, whether each stage
 * ran, each cohort's people, the measurement table, each cohort's true
 * outcomes and their value, then the stages that ran, the stop and the
 * termination. */
size_t path_draw_doubles(const engine *e) {
    const scenario *sc = e->sc;
    const size_t nc = e->n_cohorts;
    return sc->n_inputs + sc->n_stages + nc + 4 * scenario_obs_rows(sc) * nc +
           2 * sc->n_outcomes * nc + 3;
}

void path_save_draw(const engine *e, const worker *w, double *out) {
    const scenario *sc = e->sc;
    const size_t no = sc->n_outcomes, nc = e->n_cohorts, rows = scenario_obs_rows(sc);
    memcpy(out, w->x, sc->n_inputs * sizeof *out);
    out += sc->n_inputs;
    for (size_t s = 0; s < sc->n_stages; s++) *out++ = w->ran[s];
    memcpy(out, w->cohort_n, nc * sizeof *out);
    out += nc;
    for (size_t k = 0; k < rows * nc; k++, out += 4) {
        out[0] = w->obs[k].n_t;
        out[1] = w->obs[k].sum_t;
        out[2] = w->obs[k].n_c;
        out[3] = w->obs[k].sum_c;
    }
    memcpy(out, w->cohort_true, no * nc * sizeof *out);
    out += no * nc;
    memcpy(out, w->cohort_value, no * nc * sizeof *out);
    out += no * nc;
    out[0] = (double)w->reached;
    out[1] = w->stop;
    out[2] = w->term;
}

void path_load_draw(const engine *e, worker *w, const double *in) {
    const scenario *sc = e->sc;
    const size_t no = sc->n_outcomes, nc = e->n_cohorts, rows = scenario_obs_rows(sc);
    memcpy(w->x, in, sc->n_inputs * sizeof *in);
    in += sc->n_inputs;
    for (size_t s = 0; s < sc->n_stages; s++) w->ran[s] = *in++ != 0;
    memcpy(w->cohort_n, in, nc * sizeof *in);
    in += nc;
    for (size_t k = 0; k < rows * nc; k++, in += 4)
        w->obs[k] = (cohort_obs){in[0], in[1], in[2], in[3]};
    memcpy(w->cohort_true, in, no * nc * sizeof *in);
    in += no * nc;
    memcpy(w->cohort_value, in, no * nc * sizeof *in);
    in += no * nc;
    w->reached = (size_t)in[0];
    w->stop = in[1];
    w->term = in[2];
}

void path_take_draws(const engine *e, worker *w, const worker *from) {
    path_save_draw(e, from, w->draw_buf);
    path_load_draw(e, w, w->draw_buf);
}

/* Settle the future w holds (path_draw) on e's contract, costs and
 * financing (steps 5-6 of path_simulate), into w's ledger and facts. */
void path_settle(const engine *e, worker *w) {
    const scenario *sc = e->sc;
    const size_t no = sc->n_outcomes, nc = e->n_cohorts, T = e->periods;
    ledger *L = w->L;
    const termination *tm = &sc->contract.termination;

    for (size_t o = 0; o < no; o++) w->true_units[o] = 0;
    w->value_pv = 0;
    w->participants = 0;
    /* Delivery ends at a failure or a termination. */
    const double end = num_min(w->stop, w->term);
    /* The delivery costs are a function of the stages that ran, their
     * overruns and ends, the cohorts' people and the end of delivery (the
     * key): the same in every future of many scenarios. When the key is the
     * last future's, the ledger still holds them, computed from the same
     * numbers by the same steps: only the payments are cleared. */
    double *key = w->costs_key_new;
    size_t nk = 0;
    for (size_t s = 0; s < sc->n_stages; s++) {
        const stage *st = &sc->stages[s];
        key[nk++] = w->ran[s];
        key[nk++] = w->ran[s] ? value_of(&st->overrun, w) : 0;
        key[nk++] = num_min(st->start + st->duration, end);
    }
    memcpy(key + nk, w->cohort_n, nc * sizeof *key);
    key[nk + nc] = end;
    const int same_costs =
        w->costs_valid && memcmp(key, w->costs_key, w->costs_key_len * sizeof *key) == 0;
    if (same_costs) {
        ledger_clear_payments(L);
    } else {
        ledger_clear(L);
        w->costs_key_new = w->costs_key;
        w->costs_key = key;
        w->costs_valid = 1;
    }
    /* Pass 2: the stages that ran, with the final failure time: their
     * cohorts enrol (cut short by a failure) and their costs stop at a
     * failure or a termination. */
    for (size_t s = 0; s < sc->n_stages; s++) {
        if (!w->ran[s]) continue;
        const stage *st = &sc->stages[s];
        size_t flat0 = e->stage_first[s];
        if (same_costs) {
            for (size_t c = 0; c < st->n_cohorts; c++) w->participants += w->cohort_n[flat0 + c];
            continue;
        }
        double overrun = value_of(&st->overrun, w);
        double st_end = num_min(st->start + st->duration, end);
        double *costs = L->stage_cost + s * T;
        costs[scenario_period_in(sc, T, st->start)] += overrun * st->setup_cost;
        path_spread(sc, T, costs, st->start, st_end,
                    overrun * st->fixed_per_year * (st_end - st->start));
        for (size_t c = 0; c < st->n_cohorts; c++) {
            const cohort *co = &st->cohorts[c];
            double n = w->cohort_n[flat0 + c];
            w->participants += n;
            if (n > 0)
                path_spread(sc, T, costs, co->entry, num_min(co->entry + co->enrolment, end),
                            overrun * st->per_participant * n);
        }
        for (size_t t = 0; t < T; t++) L->cost[t] += costs[t];
    }
    /* Cohorts of stages that did not run; the true outcomes of those that
     * did. */
    for (size_t c = 0; c < nc; c++) {
        int ran = w->ran[e->plan->cohort_stage[c]];
        if (!ran)
            for (size_t r = no; r < scenario_obs_rows(sc); r++)
                w->obs[r * nc + c] = (cohort_obs){0, 0, 0, 0};
        for (size_t o = 0; o < no; o++) {
            if (!ran) {
                w->obs[o * nc + c] = (cohort_obs){0, 0, 0, 0};
                continue;
            }
            w->true_units[o] += w->cohort_true[o * nc + c];
            w->value_pv += w->cohort_value[o * nc + c];
        }
    }

    if (tm->present || e->plan->n_fixed) {
        contract_stops stops = {w->stop, w->term};
        contract_settle_terms(sc, e->plan, w->obs, stops, w->pay, w->payer, w->event_payer,
                              w->fixed, w->fixed_payer, w->scratch);
    } else {
        contract_settle(sc, e->plan, w->obs, w->stop, w->pay, w->payer, w->event_payer, w->scratch);
    }

    const size_t np = sc->contract.n_payers;
    for (size_t k = 0; k < e->plan->n_events; k++) {
        const pay_event *ev = &e->plan->events[k];
        double amt = w->pay[k];
        if (amt == 0) continue;
        L->pay[ev->period] += amt;
        L->rule_pay[ev->rule * T + ev->period] += amt;
        for (size_t p = 0; p < np; p++)
            L->payer_pay[p * T + ev->period] += w->event_payer[k * np + p];
        attribute_payment(e, w, ev, amt);
    }
    if (e->plan->n_fixed) book_fixed(e, w);
    if (w->term < HUGE_VAL) { /* what is owed on it is paid in each structure */
        L->term_period = scenario_period_in(sc, T, w->term);
        L->term_at = w->term;
        L->term_stage = stage_at(sc, w, w->term);
    }
    ledger_finance(L, scenario_period_in(sc, T, settle_time(e, w)));
}
