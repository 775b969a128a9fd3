/* metrics.c -- what a run reports: the metric table, each path's values
 * computed from its ledger, and the aggregate estimates (ratios of
 * expectations, the IRR of the expected cash flows) with their standard
 * errors. The conventions are those of an investor's or a finance
 * officer's spreadsheet; docs/model.md ("Investor metrics") defines each
 * one with a worked example.
 *
 * Aggregates and their standard errors. An aggregate is a smooth function
 * of the means of per-path quantities: R = E[num] / E[den], or the rate r*
 * at which the mean cash flows have zero NPV. Its SE is the delta method's:
 * the estimator is linearised around the estimate, each path i has a
 * residual z_i whose mean over the paths is exactly zero, and
 *     s^2 = sum_i z_i^2 / (n - 1),  SE = s / sqrt(n).
 * A ratio's residual is z_i = (num_i - R den_i) / mean(den), and
 *     sum_i z_i^2 = (S_nn - 2 R S_nd + R^2 S_dd) / mean(den)^2
 * from three sums over the paths (S_nn = sum num_i^2, and so on), kept
 * beside the ratio's own: its SE is exact at any number of paths. For the
 * IRR of the mean flows the residual is z_i = -NPV_i(r*) / NPV'(r*), whose
 * sum of squares would need every pair of periods' flows; it is read off
 * B = ENGINE_BATCHES interleaved batches instead (path i into batch
 * i mod B: every batch holds independent, identically distributed futures),
 *     z_b = -NPV_b(r*) / NPV'(r*)        (NPV of batch b's mean flows),
 *     s^2 = sum_b n_b z_b^2 / (B' - 1)   (B' the batches holding paths),
 * batch means, which keep the memory fixed in the number of paths. With
 * fewer paths than batches each batch holds one path and the two agree;
 * with more, a batch-means SE is itself uncertain by about
 * 1 / sqrt(2 (B - 1)), 9% -- which a ratio's SE was too, before its sums
 * were kept: P(loss | capital drawn) then read +-0.29 pp beside P(loss)'s
 * +-0.26 pp in a run where capital was drawn in every future.
 * A difference of two scenarios' aggregates on common random numbers takes
 * z^B_i - z^A_i, the SE of a paired comparison: for ratios from the cross
 * sums of the two numerators and denominators (diff_moments), for the IRR
 * from the batches.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/num.h"
#include "engine_internal.h"

/* Grids up to this many periods keep the mean flows on the stack. */
#define STACK_PERIODS 1024

/* ---------------------------------------------------------- the table */

static size_t add_metric(engine *e, const char *group, const char *key, const char *label,
                         metric_unit unit, metric_kind kind, metric_side bad) {
    metric_info *m = &e->metrics[e->n_metrics];
    memset(m, 0, sizeof *m);
    snprintf(m->group, sizeof m->group, "%s", group);
    snprintf(m->key, sizeof m->key, "%s", key);
    snprintf(m->label, sizeof m->label, "%s", label);
    m->unit = unit;
    m->kind = kind;
    m->role = ROLE_OWN;
    m->bad = bad;
    m->twin = m->diff = SIZE_MAX;
    m->fin = m->tranche = m->guarantee = SIZE_MAX;
    m->num[0] = m->num[1] = m->num[2] = m->num[3] = m->den[0] = m->den[1] = SIZE_MAX;
    m->unit_index = SIZE_MAX;
    return e->n_metrics++;
}

size_t metrics_capacity(const scenario *sc) {
    size_t payers = sc->contract.n_payers > 1 ? sc->contract.n_payers : 0;
    size_t per_fin = FC_METRICS + (size_t)(TR_METRICS + 3) * MAX_UNITS + 2 * MAX_UNITS;
    return 9 * sc->n_outcomes + 6 + sc->n_stages + 3 + sc->contract.n_rules + payers +
           (sc->contract.termination.present ? 1 : 0) + sc->n_financing * per_fin;
}

/* Lay out the metrics of every financing structure; see fin_map. */
/* Whether tranches a and b of bond f are paid alike: the same priority,
 * rate (coupon or return cap), maturity and kind, neither guaranteed, and
 * neither tied to rules, with a fixed coupon or a redemption.
 * Draws are pro rata to commitments and payments within a priority pro
 * rata to what is owed, so their flows are then each other's scaled by the
 * ratio of their commitments (up to rounding), and their IRRs are equal:
 * an IRR does not change when every flow is scaled by the same factor. */
static int has_terms(const tranche *t) {
    return t->n_repaid_from > 0 || t->has_fixed_coupon || t->n_redemptions > 0;
}

static int same_terms(const financing *f, size_t a, size_t b) {
    const tranche *x = &f->tranches[a], *y = &f->tranches[b];
    for (size_t g = 0; g < f->n_guarantees; g++)
        if (f->guarantees[g].tranche == a || f->guarantees[g].tranche == b) return 0;
    return x->priority == y->priority && x->has_coupon == y->has_coupon &&
           x->has_return_cap == y->has_return_cap && (!x->has_coupon || x->coupon == y->coupon) &&
           (!x->has_return_cap || x->return_cap == y->return_cap) &&
           x->has_maturity == y->has_maturity && (!x->has_maturity || x->maturity == y->maturity) &&
           x->commitment > 0 && y->commitment > 0 && !has_terms(x) && !has_terms(y);
}

static void define_financing(engine *e) {
    const scenario *sc = e->sc;
    static const struct {
        const char *key, *label;
        metric_unit unit;
        metric_kind kind;
        metric_side bad;
    } fc[FC_METRICS] = {
        [FC_TOTAL] = {"commissioner.total", "Commissioner pays", UNIT_MONEY, METRIC_VALUE,
                      SIDE_HIGH},
        [FC_PV] = {"commissioner.pv", "Commissioner pays (present value)", UNIT_MONEY,
                   METRIC_VALUE, SIDE_HIGH},
        [FC_PER_OUTCOME] = {"commissioner.cost_per_true_outcome",
                            "Cost per true outcome (E[paid] / E[true outcomes])", UNIT_MONEY,
                            METRIC_RATIO, SIDE_HIGH},
        [FC_PER_OUTCOME_PATH] = {"commissioner.cost_per_true_outcome.per_future",
                                 "Cost per true outcome, future by future", UNIT_MONEY,
                                 METRIC_VALUE, SIDE_HIGH},
        [FC_NOTHING] = {"commissioner.spent_without_effect", "Spent when nothing truly improved",
                        UNIT_MONEY, METRIC_VALUE, SIDE_HIGH},
        [FC_MAX_YEAR] = {"commissioner.max_annual", "Largest outlay in any 12 months", UNIT_MONEY,
                         METRIC_VALUE, SIDE_HIGH},
        [FC_PROVIDER] = {"provider.surplus", "Provider surplus", UNIT_MONEY, METRIC_VALUE,
                         SIDE_LOW},
        [FC_PROVIDER_LOSS] = {"provider.p_loss", "P(provider loss)", UNIT_SHARE,
                              METRIC_INDICATOR, SIDE_NONE},
        [FC_PEAK] = {"peak_capital", "Largest capital outstanding", UNIT_MONEY, METRIC_VALUE,
                     SIDE_HIGH},
        [FC_UNFUNDED] = {"unfunded", "Costs beyond commitments", UNIT_MONEY, METRIC_VALUE,
                         SIDE_HIGH},
        [FC_RETURNED] = {"returned", "Surplus returned to payers", UNIT_MONEY, METRIC_VALUE,
                         SIDE_LOW},
        [FC_NET] = {"net_value", "Net value (outcomes' value - PV paid)", UNIT_MONEY,
                    METRIC_VALUE, SIDE_LOW},
    };
    static const struct {
        const char *key, *label;
        metric_unit unit;
        metric_kind kind;
        metric_side bad;
    } tr[TR_METRICS] = {
        [TR_IRR] = {"irr", "IRR, future by future", UNIT_RATE, METRIC_VALUE, SIDE_LOW},
        [TR_POOLED_IRR] = {"pooled_irr", "IRR of the expected cash flows", UNIT_RATE,
                           METRIC_POOLED_IRR, SIDE_LOW},
        [TR_MOIC] = {"moic", "money multiple, future by future", UNIT_MULTIPLE, METRIC_VALUE,
                     SIDE_LOW},
        [TR_EXP_MOIC] = {"expected_moic", "expected multiple E[back] / E[in]", UNIT_MULTIPLE,
                         METRIC_RATIO, SIDE_LOW},
        /* the label, with the tranche's rate, is made below */
        [TR_NPV] = {"npv", "NPV at its discount rate", UNIT_MONEY, METRIC_VALUE, SIDE_LOW},
        [TR_DRAWN] = {"drawn", "capital drawn", UNIT_MONEY, METRIC_VALUE, SIDE_NONE},
        [TR_RECEIVED] = {"received", "repaid from outcomes", UNIT_MONEY, METRIC_VALUE, SIDE_LOW},
        [TR_GUARANTEED] = {"guaranteed", "recovered from guarantees", UNIT_MONEY, METRIC_VALUE,
                           SIDE_NONE},
        [TR_FEES] = {"guarantee_fees", "guarantee fees paid", UNIT_MONEY, METRIC_VALUE,
                     SIDE_HIGH},
        [TR_LOSS] = {"loss", "loss (in - back)", UNIT_MONEY, METRIC_VALUE, SIDE_HIGH},
        [TR_ANY_DRAWN] = {"drawn_any", "P(capital drawn)", UNIT_SHARE, METRIC_INDICATOR,
                          SIDE_NONE},
        [TR_P_LOSS] = {"p_loss", "P(loss), over every future", UNIT_SHARE, METRIC_INDICATOR,
                       SIDE_NONE},
        [TR_P_LOSS_DRAWN] = {"p_loss_given_drawn", "P(loss | capital drawn)", UNIT_SHARE,
                             METRIC_RATIO, SIDE_NONE},
        [TR_FULL] = {"full_repayment", "P(full repayment), over every future", UNIT_SHARE,
                     METRIC_INDICATOR, SIDE_NONE},
        [TR_FULL_DRAWN] = {"full_repayment_given_drawn", "P(full repayment | capital drawn)",
                           UNIT_SHARE, METRIC_RATIO, SIDE_NONE},
    };
    char key[2 * SCENARIO_NAME_MAX + 40], label[2 * SCENARIO_NAME_MAX + 80];
    e->n_units = 0;
    for (size_t f = 0; f < sc->n_financing; f++) {
        fin_map *m = &e->fmap[f];
        const char *g = sc->financing[f].name;
        size_t parts[FINANCING_MAX_PARTS];
        size_t n_parts = financing_parts(sc, f, parts);
        m->common = e->n_metrics;
        for (int k = 0; k < FC_METRICS; k++) {
            size_t i = add_metric(e, g, fc[k].key, fc[k].label, fc[k].unit, fc[k].kind, fc[k].bad);
            e->metrics[i].fin = f;
        }
        /* Per true outcome only when there is one outcome: units of
         * different outcomes (bed days, jobs) do not add up. */
        metric_info *per = &e->metrics[m->common + FC_PER_OUTCOME];
        per->num[0] = m->common + FC_TOTAL;
        per->den[0] = sc->n_outcomes == 1 ? e->mi.units_true : SIZE_MAX;
        m->n_units = m->n_guar = 0;
        m->unit_global = e->n_units;
        const int blend = sc->financing[f].type == FIN_BY_STAGE;
        for (size_t j = 0; j < n_parts; j++) {
            const financing *part = &sc->financing[parts[j]];
            if (!financing_is_bond(part->type)) continue;
            for (size_t k = 0; k < part->n_tranches && m->n_units < MAX_UNITS; k++) {
                size_t u = m->n_units++;
                m->unit_part[u] = j;
                m->unit_tranche[u] = k;
                m->unit_like[u] = SIZE_MAX;
                for (size_t v = 0; v < u && m->unit_like[u] == SIZE_MAX; v++)
                    if (m->unit_part[v] == j && same_terms(part, m->unit_tranche[v], k))
                        m->unit_like[u] = v;
                m->unit_base[u] = e->n_metrics;
                const char *tn = part->tranches[k].name;
                for (int q = 0; q < TR_METRICS; q++) {
                    if (blend) snprintf(key, sizeof key, "%s: %s.%s", part->name, tn, tr[q].key);
                    else snprintf(key, sizeof key, "%s.%s", tn, tr[q].key);
                    if (q == TR_NPV) /* the rate, not only that there is one */
                        snprintf(label, sizeof label, "%s %s, %g%% a year", tn, tr[q].label,
                                 100 * part->tranches[k].discount_rate);
                    else
                        snprintf(label, sizeof label, "%s %s", tn, tr[q].label);
                    size_t i = add_metric(e, g, key, label, tr[q].unit, tr[q].kind, tr[q].bad);
                    metric_info *mi = &e->metrics[i];
                    mi->fin = f;
                    mi->tranche = u;
                    snprintf(mi->stem, sizeof mi->stem, "%s", tr[q].key);
                }
                /* The tranche's terms, right after its block (a report
                 * shows a tranche's metrics together). */
                const tranche *tk = &part->tranches[k];
                m->unit_coupon[u] = m->unit_redeemed[u] = SIZE_MAX;
                static const struct {
                    const char *key, *label;
                    metric_unit unit;
                    metric_kind kind;
                    metric_side bad;
                } extra[3] = {
                    {"fixed_coupon", "fixed coupon received", UNIT_MONEY, METRIC_VALUE, SIDE_LOW},
                    {"redeemed", "redemption received", UNIT_MONEY, METRIC_VALUE, SIDE_NONE},
                    {"p_redeemed", "P(redeemed)", UNIT_SHARE, METRIC_INDICATOR, SIDE_NONE},
                };
                for (int q = 0; q < 3; q++) {
                    if (q == 0 ? !tk->has_fixed_coupon : tk->n_redemptions == 0) continue;
                    if (blend)
                        snprintf(key, sizeof key, "%s: %s.%s", part->name, tn, extra[q].key);
                    else
                        snprintf(key, sizeof key, "%s.%s", tn, extra[q].key);
                    snprintf(label, sizeof label, "%s %s", tn, extra[q].label);
                    size_t i =
                        add_metric(e, g, key, label, extra[q].unit, extra[q].kind, extra[q].bad);
                    e->metrics[i].fin = f;
                    e->metrics[i].tranche = u;
                    snprintf(e->metrics[i].stem, sizeof e->metrics[i].stem, "%s", extra[q].key);
                    if (q == 0) m->unit_coupon[u] = i;
                    if (q == 1) m->unit_redeemed[u] = i;
                }
                size_t b = m->unit_base[u];
                e->metrics[b + TR_POOLED_IRR].unit_index = e->n_units;
                metric_info *x = &e->metrics[b + TR_EXP_MOIC];
                x->num[0] = b + TR_RECEIVED, x->num[1] = b + TR_GUARANTEED;
                x->num[2] = m->unit_coupon[u], x->num[3] = m->unit_redeemed[u];
                x->den[0] = b + TR_DRAWN, x->den[1] = b + TR_FEES;
                x = &e->metrics[b + TR_P_LOSS_DRAWN];
                x->num[0] = b + TR_P_LOSS, x->den[0] = b + TR_ANY_DRAWN;
                x = &e->metrics[b + TR_FULL_DRAWN];
                x->num[0] = b + TR_FULL, x->den[0] = b + TR_ANY_DRAWN;
                e->unit_v[e->n_units] = pow(1.0 + part->tranches[k].discount_rate,
                                            -1.0 / sc->sim.periods_per_year);
                e->unit_metric[e->n_units++] = b + TR_IRR;
            }
            for (size_t k = 0; k < part->n_guarantees && m->n_guar < MAX_UNITS; k++) {
                size_t u = m->n_guar++;
                const guarantee *gu = &part->guarantees[k];
                m->guar_part[u] = j;
                m->guar_index[u] = k;
                snprintf(key, sizeof key, "guarantor.%s.paid", gu->name);
                snprintf(label, sizeof label, "Guarantor %s pays", gu->name);
                m->guar_base[u] = add_metric(e, g, key, label, UNIT_MONEY, METRIC_VALUE, SIDE_HIGH);
                e->metrics[m->guar_base[u]].fin = f;
                e->metrics[m->guar_base[u]].guarantee = u;
                snprintf(e->metrics[m->guar_base[u]].stem, sizeof e->metrics[0].stem, "paid");
                m->guar_fee_base[u] = SIZE_MAX;
                if (gu->fee > 0) {
                    snprintf(key, sizeof key, "guarantor.%s.fees", gu->name);
                    snprintf(label, sizeof label, "Guarantor %s earns in fees", gu->name);
                    size_t i = add_metric(e, g, key, label, UNIT_MONEY, METRIC_VALUE, SIDE_LOW);
                    m->guar_fee_base[u] = i;
                    e->metrics[i].fin = f;
                    e->metrics[i].guarantee = u;
                    snprintf(e->metrics[i].stem, sizeof e->metrics[0].stem, "fees");
                }
            }
        }
        m->end = e->n_metrics;
    }
}

void metrics_define(engine *e) {
    const scenario *sc = e->sc;
    char key[2 * SCENARIO_NAME_MAX + 40], label[2 * SCENARIO_NAME_MAX + 80];
    const size_t no = sc->n_outcomes;
    const char *P = "programme", *C = "commissioner";
    /* Several outcomes: labels name them; one: the label is enough. */
    const int named = no > 1;
#define EACH_OUTCOME(field, keyfmt, labeltext, unitexpr, kind, bad)                     \
    for (size_t o = 0; o < no; o++) {                                                 \
        const outcome *oc = &sc->outcomes[o];                                         \
        snprintf(key, sizeof key, keyfmt, oc->name);                                  \
        if (named) snprintf(label, sizeof label, "%s: %s", labeltext, oc->name);      \
        else snprintf(label, sizeof label, "%s", labeltext);                          \
        size_t id = add_metric(e, group, key, label, unitexpr, kind, bad);            \
        if (o == 0) e->mi.field = id;                                                 \
    }
#define EFFECT_UNIT(oc) \
    (((oc)->scale == EFFECT_RELATIVE || (oc)->kind == OUTCOME_RATE) ? UNIT_SHARE : UNIT_COUNT)
    const char *group = P;
    EACH_OUTCOME(eff_true, "effect.true.%s", "True effect", EFFECT_UNIT(oc), METRIC_VALUE,
                 SIDE_LOW)
    EACH_OUTCOME(eff_meas, "effect.measured.%s", "Measured effect (pooled)", EFFECT_UNIT(oc),
                 METRIC_VALUE, SIDE_LOW)
    EACH_OUTCOME(units_true, "outcomes.true.%s", "True outcomes caused", UNIT_COUNT,
                 METRIC_VALUE, SIDE_LOW)
    EACH_OUTCOME(units_meas, "outcomes.measured.%s", "Outcomes measured", UNIT_COUNT,
                 METRIC_VALUE, SIDE_NONE)
    e->mi.participants = add_metric(e, P, "participants", "Participants enrolled", UNIT_COUNT,
                                    METRIC_VALUE, SIDE_NONE);
    e->mi.cost_delivery = add_metric(e, P, "cost.delivery", "Delivery cost", UNIT_MONEY,
                                     METRIC_VALUE, SIDE_HIGH);
    e->mi.stages_reached = add_metric(e, P, "stages.reached", "Stages reached", UNIT_COUNT,
                                      METRIC_VALUE, SIDE_NONE);
    e->mi.failed = add_metric(e, P, "failed", "P(operational failure)", UNIT_SHARE,
                              METRIC_INDICATOR, SIDE_NONE);
    e->mi.terminated = SIZE_MAX;
    if (sc->contract.termination.present)
        e->mi.terminated = add_metric(e, P, "terminated", "P(terminated early)", UNIT_SHARE,
                                      METRIC_INDICATOR, SIDE_NONE);
    for (size_t s = 0; s < sc->n_stages; s++) {
        snprintf(key, sizeof key, "stage.%s.reached", sc->stages[s].name);
        snprintf(label, sizeof label, "P(reaches %s)", sc->stages[s].name);
        size_t id = add_metric(e, P, key, label, UNIT_SHARE, METRIC_INDICATOR, SIDE_NONE);
        if (s == 0) e->mi.stage_reached = id;
    }
    e->mi.value_pv = SIZE_MAX;
    for (size_t o = 0; o < no; o++)
        if (sc->outcomes[o].value > 0 && e->mi.value_pv == SIZE_MAX)
            e->mi.value_pv = add_metric(e, P, "outcomes.value", "Value of true outcomes (PV)",
                                        UNIT_MONEY, METRIC_VALUE, SIDE_LOW);
    group = C;
    e->mi.pay_total = add_metric(e, C, "payments.total", "Outcome payments", UNIT_MONEY,
                                 METRIC_VALUE, SIDE_HIGH);
    e->mi.pay_pv = add_metric(e, C, "payments.pv", "Outcome payments (present value)",
                              UNIT_MONEY, METRIC_VALUE, SIDE_HIGH);
    e->mi.pay_any = add_metric(e, C, "payments.any", "P(any outcome payment)", UNIT_SHARE,
                               METRIC_INDICATOR, SIDE_NONE);
    for (size_t r = 0; r < sc->contract.n_rules; r++) {
        snprintf(key, sizeof key, "payments.rule.%s", sc->contract.rules[r].name);
        snprintf(label, sizeof label, "Paid by rule: %s", sc->contract.rules[r].name);
        size_t id = add_metric(e, C, key, label, UNIT_MONEY, METRIC_VALUE, SIDE_HIGH);
        if (r == 0) e->mi.pay_rule = id;
    }
    e->mi.pay_payer = SIZE_MAX;
    if (sc->contract.n_payers > 1)
        for (size_t p = 0; p < sc->contract.n_payers; p++) {
            snprintf(key, sizeof key, "payments.payer.%s", sc->contract.payers[p].name);
            snprintf(label, sizeof label, "Paid by %s", sc->contract.payers[p].name);
            size_t id = add_metric(e, C, key, label, UNIT_MONEY, METRIC_VALUE, SIDE_HIGH);
            if (p == 0) e->mi.pay_payer = id;
        }
    e->mi.pay_outcome = SIZE_MAX;
    if (named)
        EACH_OUTCOME(pay_outcome, "payments.outcome.%s", "Paid for outcome", UNIT_MONEY,
                     METRIC_VALUE, SIDE_HIGH)
    /* "Paid per", not "Cost per": the contract's payments on the outcome,
     * which a structure's "Cost per true outcome" (what its commissioner
     * pays in all, fees and returned surplus included) can differ from. */
    EACH_OUTCOME(cost_per_outcome, "cost_per_true_outcome.%s",
                 "Paid per true outcome (E[paid] / E[true outcomes])", UNIT_MONEY, METRIC_RATIO,
                 SIDE_HIGH)
    EACH_OUTCOME(cost_per_outcome_path, "cost_per_true_outcome.per_future.%s",
                 "Paid per true outcome, future by future", UNIT_MONEY, METRIC_VALUE, SIDE_HIGH)
    EACH_OUTCOME(unpaid, "unpaid_true_outcomes.%s", "True outcomes never paid for", UNIT_COUNT,
                 METRIC_VALUE, SIDE_NONE)
    EACH_OUTCOME(paid_nothing, "paid_without_effect.%s", "Paid when true effect <= 0",
                 UNIT_MONEY, METRIC_VALUE, SIDE_HIGH)
#undef EACH_OUTCOME
#undef EFFECT_UNIT
    for (size_t o = 0; o < no; o++) {
        metric_info *m = &e->metrics[e->mi.cost_per_outcome + o];
        m->num[0] = named ? e->mi.pay_outcome + o : e->mi.pay_total;
        m->den[0] = e->mi.units_true + o;
    }
    define_financing(e);
}

/* ------------------------------------------------------- one path's values */

/* The largest sum of consecutive `window` values of x (a year's outlay). */
static double max_window(const double *x, size_t n, size_t window) {
    double best = 0, run = 0;
    for (size_t t = 0; t < n; t++) {
        run += x[t];
        if (t >= window) run -= x[t - window];
        best = num_max(best, run);
    }
    return best;
}

/* Whether x is y scaled by a positive factor, flow by flow to within the
 * rounding of a waterfall (a relative 1e-13): the factor is taken from the
 * largest flow of y. */
static int proportional(const double *x, const double *y, size_t n) {
    size_t big = 0;
    for (size_t t = 1; t < n; t++)
        if (fabs(y[t]) > fabs(y[big])) big = t;
    if (y[big] == 0 || x[big] == 0 || (x[big] > 0) != (y[big] > 0)) return 0;
    const double r = x[big] / y[big];
    for (size_t t = 0; t < n; t++)
        if (!(fabs(x[t] - r * y[t]) <= 1e-13 * fabs(x[t]))) return 0;
    return 1;
}

/* Structure f's metrics, from its lines of the ledger alone: all but
 * FC_PER_OUTCOME_PATH, FC_NOTHING and FC_NET (structure_metrics). */
static void structure_fin_metrics(const engine *e, worker *w, size_t f, double *v) {
    const scenario *sc = e->sc;
    const size_t T = e->periods;
    const int ppy = sc->sim.periods_per_year;
    const fin_map *m = &e->fmap[f];
    const ledger_structure *ls = &w->L->fin[f];
    double *c = v + m->common;
    double provider = 0, peak = 0, unfunded = 0, returned = 0;
    for (size_t j = 0; j < ls->n_parts; j++) {
        const fin_result *r = ls->run[j];
        provider += r->provider_surplus;
        peak = num_max(peak, r->peak_capital);
        unfunded += r->unfunded_total;
        returned += r->returned_total;
    }
    double total = 0, pv = 0;
    for (size_t t = 0; t < T; t++) {
        total += ls->commissioner[t];
        pv += ls->commissioner[t] * e->discount[t];
    }
    c[FC_TOTAL] = total;
    c[FC_PV] = pv;
    c[FC_PER_OUTCOME] = NAN; /* an aggregate */
    c[FC_MAX_YEAR] = max_window(ls->commissioner, T, (size_t)ppy);
    c[FC_PROVIDER] = provider;
    c[FC_PROVIDER_LOSS] = provider < -1e-9;
    c[FC_PEAK] = peak;
    c[FC_UNFUNDED] = unfunded;
    c[FC_RETURNED] = returned;

    /* Every unit's NPV, side by side (finance_npv_at_many). */
    const double *unit_flows[MAX_UNITS];
    double npv[MAX_UNITS];
    for (size_t u = 0; u < m->n_units; u++)
        unit_flows[u] = ls->run[m->unit_part[u]]->investor + m->unit_tranche[u] * T;
    finance_npv_at_many(unit_flows, e->unit_v + m->unit_global, m->n_units, T, npv);

    for (size_t u = 0; u < m->n_units; u++) {
        const fin_result *r = ls->run[m->unit_part[u]];
        size_t k = m->unit_tranche[u];
        const tranche_result *tr = &r->tranche[k];
        const double *flows = r->investor + k * T;
        double *x = v + m->unit_base[u];
        double irr;
        irr_status st;
        size_t like = m->unit_like[u];
        if (like != SIZE_MAX && proportional(flows, ls->run[m->unit_part[like]]->investor +
                                                        m->unit_tranche[like] * T, T)) {
            /* The flows of an earlier unit, scaled: its IRR (NaN when it
             * has none) and why. */
            irr = v[m->unit_base[like] + TR_IRR];
            st = (irr_status)w->irr_status[m->unit_global + like];
        } else {
            st = irr_solve(w->irr, flows, T, ppy, &irr);
        }
        w->irr_status[m->unit_global + u] = (double)st;
        /* Money in: capital drawn and guarantee fees paid; money back: from
         * outcomes and from guarantees, fixed coupons and a redemption (0
         * without them: the sum is then exactly received + guaranteed). */
        double in = tr->drawn + tr->fees,
               back = tr->received + tr->guaranteed + tr->coupon + tr->redeemed;
        x[TR_IRR] = (st == IRR_OK || st == IRR_TOTAL_LOSS) ? irr : NAN;
        x[TR_POOLED_IRR] = x[TR_EXP_MOIC] = x[TR_P_LOSS_DRAWN] = x[TR_FULL_DRAWN] = NAN;
        x[TR_MOIC] = in > 0 ? back / in : NAN;
        x[TR_NPV] = npv[u];
        x[TR_DRAWN] = tr->drawn;
        x[TR_RECEIVED] = tr->received;
        x[TR_GUARANTEED] = tr->guaranteed;
        x[TR_FEES] = tr->fees;
        x[TR_LOSS] = num_max(in - back, 0.0);
        /* Full repayment: at least the money in back (to a relative 1e-9, so
         * that rounding in the sums does not turn a repayment into a loss).
         * A future where nothing went in is neither a loss nor a repayment. */
        int drawn = in > 0, full = drawn && back >= in * (1 - 1e-9);
        x[TR_ANY_DRAWN] = drawn;
        x[TR_P_LOSS] = drawn && !full;
        x[TR_FULL] = full;
        if (m->unit_coupon[u] != SIZE_MAX) v[m->unit_coupon[u]] = tr->coupon;
        if (m->unit_redeemed[u] != SIZE_MAX) {
            v[m->unit_redeemed[u]] = tr->redeemed;
            v[m->unit_redeemed[u] + 1] = r->redeemed_at[k] != SIZE_MAX;
        }
    }
    for (size_t u = 0; u < m->n_guar; u++) {
        const fin_result *r = ls->run[m->guar_part[u]];
        v[m->guar_base[u]] = r->guarantor[m->guar_index[u]];
        if (m->guar_fee_base[u] != SIZE_MAX)
            v[m->guar_fee_base[u]] = r->guarantor_fees[m->guar_index[u]];
    }
}

/* Structure f's metrics. Those worked out from the ledger's financing
 * results alone are the same whenever the ledger takes a set of results it
 * kept (ledger_finance): worked out once for the set, then copied, with
 * each unit's IRR status; the three that read the future's true outcomes
 * and their value are worked out every time. */
static void structure_metrics(const engine *e, worker *w, size_t f, double *v, double true_total,
                              int nothing_improved) {
    const fin_map *m = &e->fmap[f];
    const size_t first = e->fmap[0].common, n_fin = w->n_fin_memo - e->n_units;
    double *memo = w->fin_memo + w->L->kept_at * w->n_fin_memo;
    double *status = memo + n_fin + m->unit_global;
    if (w->L->fin_id != 0 && w->fin_memo_id[w->L->kept_at] == w->L->fin_id) {
        memcpy(v + m->common, memo + (m->common - first), (m->end - m->common) * sizeof *v);
        memcpy(w->irr_status + m->unit_global, status, m->n_units * sizeof *status);
    } else {
        structure_fin_metrics(e, w, f, v);
        if (w->L->keep > 0) { /* else the ledger never takes the set again */
            memcpy(memo + (m->common - first), v + m->common, (m->end - m->common) * sizeof *v);
            memcpy(status, w->irr_status + m->unit_global, m->n_units * sizeof *status);
        }
    }
    double *c = v + m->common;
    const double total = c[FC_TOTAL], pv = c[FC_PV];
    c[FC_PER_OUTCOME_PATH] = e->sc->n_outcomes == 1 && true_total > 0 ? total / true_total : NAN;
    c[FC_NOTHING] = nothing_improved ? total : 0.0;
    c[FC_NET] = e->mi.value_pv != SIZE_MAX ? w->value_pv - pv : NAN;
}

void metrics_of_path(const engine *e, worker *w, double *v) {
    const scenario *sc = e->sc;
    const size_t no = sc->n_outcomes, nc = e->n_cohorts, T = e->periods;
    const metric_index *mi = &e->mi;
    const ledger *L = w->L;
    double total = 0, pv = 0, cost = 0;
    for (size_t t = 0; t < T; t++) cost += L->cost[t];
    /* The payment lines are zero outside the periods where the contract
     * can pay (e->pay_t), and adding a zero to a sum that started at +0
     * leaves it as it was, to the bit: those periods alone, in order. */
    for (size_t i = 0; i < e->n_pay_t; i++) {
        const size_t t = e->pay_t[i];
        total += L->pay[t];
        pv += L->pay[t] * e->discount[t];
    }
    /* Payments by rule, by outcome and by payer: the totals of the
     * ledger's lines. */
    for (size_t o = 0; o < no; o++) w->paid_o[o] = 0;
    for (size_t r = 0; r < sc->contract.n_rules; r++) {
        double s = 0;
        for (size_t i = e->rule_t_at[r]; i < e->rule_t_at[r + 1]; i++)
            s += L->rule_pay[r * T + e->rule_t[i]];
        v[mi->pay_rule + r] = s;
        w->paid_o[sc->contract.rules[r].outcome] += s;
    }
    v[mi->pay_total] = total;
    v[mi->pay_pv] = pv;
    v[mi->pay_any] = total > 0;
    if (mi->pay_payer != SIZE_MAX)
        for (size_t p = 0; p < sc->contract.n_payers; p++) {
            double s = 0;
            for (size_t i = 0; i < e->n_pay_t; i++) s += L->payer_pay[p * T + e->pay_t[i]];
            v[mi->pay_payer + p] = s;
        }
    if (mi->pay_outcome != SIZE_MAX)
        for (size_t o = 0; o < no; o++) v[mi->pay_outcome + o] = w->paid_o[o];
    v[mi->cost_delivery] = cost;
    v[mi->participants] = w->participants;
    v[mi->stages_reached] = (double)w->reached;
    v[mi->failed] = w->stop < HUGE_VAL && w->mode != PATH_REALISED;
    if (mi->terminated != SIZE_MAX) v[mi->terminated] = w->term < HUGE_VAL;
    for (size_t s = 0; s < sc->n_stages; s++) v[mi->stage_reached + s] = w->ran[s];

    double true_total = 0;
    int nothing_improved = 1;
    for (size_t o = 0; o < no; o++) {
        const outcome *oc = &sc->outcomes[o];
        cohort_obs all = {0, 0, 0, 0};
        for (size_t c = 0; c < nc; c++) cohort_obs_pool(&all, &w->obs[o * nc + c]);
        const double n_t = all.n_t, s_t = all.sum_t, n_c = all.n_c, s_c = all.sum_c;
        double units_true = w->true_units[o];
        double eff = value_of(&oc->effect, w);
        if (w->mode == PATH_REALISED) eff = NAN; /* the truth is not in a record */
        v[mi->eff_true + o] = eff;
        if (n_t <= 0) {
            v[mi->eff_meas + o] = v[mi->units_meas + o] = NAN;
        } else if (n_c > 0) {
            v[mi->eff_meas + o] = contract_effect(oc, s_t / n_t, s_c / n_c);
            v[mi->units_meas + o] = contract_units(oc, s_t / n_t, s_c / n_c, n_t);
        } else {
            v[mi->units_meas + o] = contract_achieved(oc, s_t / n_t, n_t);
            v[mi->eff_meas + o] = v[mi->units_meas + o] / n_t;
        }
        v[mi->units_true + o] = units_true;
        v[mi->cost_per_outcome + o] = NAN; /* an aggregate */
        v[mi->cost_per_outcome_path + o] = units_true > 0 ? w->paid_o[o] / units_true : NAN;
        v[mi->paid_nothing + o] = eff <= 0 ? w->paid_o[o] : isnan(eff) ? NAN : 0.0;
        /* The other side of measured != true: outcomes the programme caused
         * in futures where the contract paid nothing for them. */
        v[mi->unpaid + o] = (units_true > 0 && w->paid_o[o] == 0) ? units_true
                            : isnan(units_true)                    ? NAN
                                                                   : 0.0;
        true_total += units_true;
        if (!(eff <= 0)) nothing_improved = 0;
    }
    if (mi->value_pv != SIZE_MAX) v[mi->value_pv] = w->value_pv;
    for (size_t f = 0; f < sc->n_financing; f++)
        structure_metrics(e, w, f, v, true_total, nothing_improved);
    /* The structures' metrics of the ledger's current results are known
     * now: a later future whose ledger takes these results again (the same
     * fin_id) copies them. */
    if (sc->n_financing && w->L->keep > 0) w->fin_memo_id[w->L->kept_at] = w->L->fin_id;
}

/* ------------------------------------------------------------ aggregates */

/* The net flows of engine unit U on this path. */
static const double *unit_flows(const engine *e, const worker *w, size_t U) {
    for (size_t f = 0; f < e->sc->n_financing; f++) {
        const fin_map *m = &e->fmap[f];
        if (U < m->unit_global || U >= m->unit_global + m->n_units) continue;
        size_t u = U - m->unit_global;
        const fin_result *r = w->L->fin[f].run[m->unit_part[u]];
        return r->investor + m->unit_tranche[u] * e->periods;
    }
    return NULL;
}

void metrics_add_flows(const engine *e, const worker *w, uint64_t path, double *sums) {
    const size_t T = e->periods, b = (size_t)(path % ENGINE_BATCHES);
    for (size_t U = 0; U < e->n_units; U++) {
        const double *x = unit_flows(e, w, U);
        double *s = sums + (U * ENGINE_BATCHES + b) * T;
        for (size_t t = 0; t < T; t++) s[t] += x[t];
    }
}

static double sum_of(const double *row, const size_t *idx, int n) {
    double s = 0;
    for (int k = 0; k < n; k++)
        if (idx[k] != SIZE_MAX) s += row[idx[k]];
    return s;
}

void metrics_commit_ratios(engine *e, const double *rows, size_t width, uint64_t first,
                           uint32_t n) {
    for (uint32_t j = 0; j < n; j++) {
        const double *row = rows + (size_t)j * width;
        size_t b = (size_t)((first + j) % ENGINE_BATCHES);
        for (size_t q = 0; q < e->n_ratios; q++) {
            const metric_info *m = &e->metrics[e->ratios[q]];
            double *s = e->ratio_sums + (e->ratios[q] * ENGINE_BATCHES + b) * 2;
            double *mo = e->ratio_moments + e->ratios[q] * 3;
            const double num = sum_of(row, m->num, 4), den = sum_of(row, m->den, 2);
            s[0] += num;
            s[1] += den;
            mo[0] += num * num;
            mo[1] += num * den;
            mo[2] += den * den;
        }
    }
}

/* A comparison's ratio differences: for each, the sums of the products of
 * A's numerator and denominator with B's on the same path (rows as
 * metrics_commit_ratios', B's metrics from column e->n_own). */
void metrics_commit_ratio_pairs(engine *e, const double *rows, size_t width, uint32_t n) {
    const engine *t = e->twin;
    for (uint32_t j = 0; j < n; j++) {
        const double *row = rows + (size_t)j * width, *row_b = row + e->n_own;
        for (size_t d = 0; d < e->n_diff; d++) {
            const metric_info *a = &e->metrics[e->diff_own[d]];
            if (a->kind != METRIC_RATIO) continue;
            const metric_info *b = &t->metrics[e->diff_twin[d]];
            const double na = sum_of(row, a->num, 4), da = sum_of(row, a->den, 2);
            const double nb = sum_of(row_b, b->num, 4), db = sum_of(row_b, b->den, 2);
            double *mo = e->diff_moments + d * 4;
            mo[0] += na * nb;
            mo[1] += na * db;
            mo[2] += da * nb;
            mo[3] += da * db;
        }
    }
}

/* Evaluate aggregate metric i of engine e over batch counts bn: the
 * estimate, and each batch's linearised residual z[b] (see the file
 * comment). Returns the estimate (NaN when undefined). */
static double aggregate(const engine *e, size_t i, const uint64_t *bn, double *z) {
    const metric_info *m = &e->metrics[i];
    double n = 0;
    for (int b = 0; b < ENGINE_BATCHES; b++) {
        n += (double)bn[b];
        z[b] = 0;
    }
    if (n <= 0) return NAN;
    if (m->kind == METRIC_RATIO) {
        if (m->num[0] == SIZE_MAX || m->den[0] == SIZE_MAX) return NAN;
        const double *s = e->ratio_sums + i * ENGINE_BATCHES * 2;
        double N = 0, D = 0;
        for (int b = 0; b < ENGINE_BATCHES; b++) {
            N += s[2 * b];
            D += s[2 * b + 1];
        }
        /* Every ratio's denominator is a count or an amount that cannot be
         * below zero but for true outcomes, which a harmful programme makes
         * negative: a price per outcome over no outcomes caused (D <= 0) is
         * undefined, not negative. */
        if (!(D > 0) || isnan(N)) return NAN;
        double R = N / D, Dbar = D / n;
        for (int b = 0; b < ENGINE_BATCHES; b++)
            if (bn[b]) z[b] = (s[2 * b] - R * s[2 * b + 1]) / (double)bn[b] / Dbar;
        return R;
    }
    /* The IRR of the mean flows m_t, and at it the NPV of each batch's
     * mean flows over the derivative of the pooled NPV. */
    const size_t T = e->periods, U = m->unit_index;
    const int ppy = e->sc->sim.periods_per_year;
    double mean[STACK_PERIODS];
    double *mt = T <= STACK_PERIODS ? mean : malloc(T * sizeof *mt);
    if (mt == NULL) return NAN;
    const double *S = e->flow_sums + U * ENGINE_BATCHES * T;
    for (size_t t = 0; t < T; t++) {
        double s = 0;
        for (size_t b = 0; b < ENGINE_BATCHES; b++) s += S[b * T + t];
        mt[t] = s / n;
    }
    double r;
    irr_status st = finance_irr(mt, T, ppy, &r);
    double deriv = 0;
    if (st == IRR_OK && r > -1) {
        /* d/dr sum_t m_t (1 + r)^(-t/p) = sum_t m_t (-t/p) (1 + r)^(-t/p - 1) */
        for (size_t t = 0; t < T; t++) {
            double a = (double)t / ppy;
            deriv += mt[t] * -a * pow(1 + r, -a - 1);
        }
        for (size_t b = 0; b < ENGINE_BATCHES; b++) {
            if (!bn[b] || deriv == 0) continue;
            double npv = 0;
            for (size_t t = 0; t < T; t++)
                npv += S[b * T + t] / (double)bn[b] * pow(1 + r, -(double)t / ppy);
            z[b] = -npv / deriv;
        }
    } else if (st == IRR_TOTAL_LOSS) {
        r = -1; /* every expected flow out: no SE by linearisation */
        for (int b = 0; b < ENGINE_BATCHES; b++) z[b] = NAN;
    } else {
        r = NAN;
    }
    if (mt != mean) free(mt);
    return r;
}

/* SE of an estimate from its batch residuals: sqrt(sum n_b z_b^2 / (B' - 1) / n). */
static double batch_se(const uint64_t *bn, const double *z) {
    double n = 0, ss = 0;
    int used = 0;
    for (int b = 0; b < ENGINE_BATCHES; b++) {
        if (!bn[b]) continue;
        used++;
        n += (double)bn[b];
        ss += (double)bn[b] * z[b] * z[b];
    }
    if (used < 2) return NAN;
    return sqrt(ss / (used - 1) / n);
}

/* Ratio metric i of engine x at its estimate R over n paths: the sum over
 * the paths of (num_i - R den_i)^2, from the sums of squares and products
 * (the file comment), and mean(den) in *dbar. Rounding can take a sum of
 * squares a hair below zero when every path has num = R den: it is then 0. */
static double ratio_squares(const engine *x, size_t i, double R, double n, double *dbar) {
    const double *s = x->ratio_sums + i * ENGINE_BATCHES * 2, *mo = x->ratio_moments + i * 3;
    double D = 0;
    for (int b = 0; b < ENGINE_BATCHES; b++) D += s[2 * b + 1];
    *dbar = D / n;
    return fmax(mo[0] - 2 * R * mo[1] + R * R * mo[2], 0);
}

/* The SE of ratio metric i of engine x (a comparison's twin for its B
 * metrics) at its estimate R over n paths: the delta method over the paths
 * (the file comment). NaN below two paths. */
static double ratio_se(const engine *x, size_t i, double R, double n) {
    if (n < 2) return NAN;
    double dbar;
    const double ss = ratio_squares(x, i, R, n, &dbar) / (dbar * dbar);
    return sqrt(ss / (n - 1) / n);
}

/* The SE of a comparison's difference d of two ratios, A's estimate ra and
 * B's rb, over n paired paths: the delta method on z^B_i - z^A_i, with
 *   sum_i (z^B_i - z^A_i)^2 = ss_A + ss_B - 2 sum_i z^A_i z^B_i,
 *   sum_i z^A_i z^B_i = (S_{nA nB} - R_B S_{nA dB} - R_A S_{dA nB}
 *                        + R_A R_B S_{dA dB}) / (mean(dA) mean(dB)),
 * which can round a hair below zero when B's residuals are A's. */
static double ratio_diff_se(const engine *e, size_t d, double ra, double rb, double n) {
    if (n < 2) return NAN;
    double da, db;
    const double sa = ratio_squares(e, e->diff_own[d], ra, n, &da);
    const double sb = ratio_squares(e->twin, e->diff_twin[d], rb, n, &db);
    const double *mo = e->diff_moments + d * 4;
    const double cross = (mo[0] - rb * mo[1] - ra * mo[2] + ra * rb * mo[3]) / (da * db);
    const double ss = fmax(sa / (da * da) + sb / (db * db) - 2 * cross, 0);
    return sqrt(ss / (n - 1) / n);
}

void metrics_summary(const engine *e, size_t i, stats_summary *s) {
    const metric_info *m = &e->metrics[i];
    if (m->kind == METRIC_VALUE || m->kind == METRIC_INDICATOR) {
        stats_acc_summary(e->acc[i], s);
        return;
    }
    uint64_t n = 0;
    for (int b = 0; b < ENGINE_BATCHES; b++) n += e->batch_n[b];
    const int ratio = m->kind == METRIC_RATIO;
    double za[ENGINE_BATCHES], zb[ENGINE_BATCHES];
    double est, se;
    if (m->role == ROLE_OWN) {
        est = aggregate(e, i, e->batch_n, za);
        se = ratio ? ratio_se(e, i, est, (double)n) : batch_se(e->batch_n, za);
    } else if (m->role == ROLE_TWIN) {
        est = aggregate(e->twin, i - e->n_own, e->batch_n, za);
        se = ratio ? ratio_se(e->twin, i - e->n_own, est, (double)n) : batch_se(e->batch_n, za);
    } else {
        size_t d = i - e->n_own - e->twin->n_metrics;
        double a = aggregate(e, e->diff_own[d], e->batch_n, za);
        double b = aggregate(e->twin, e->diff_twin[d], e->batch_n, zb);
        est = b - a;
        for (int k = 0; k < ENGINE_BATCHES; k++) za[k] = zb[k] - za[k];
        se = ratio ? ratio_diff_se(e, d, a, b, (double)n) : batch_se(e->batch_n, za);
    }
    s->n = isnan(est) ? 0 : n;
    s->undefined = isnan(est) ? n : 0;
    s->mean = est;
    s->se = isnan(est) ? NAN : se;
    s->sd = s->min = s->max = NAN;
    s->p05 = s->p25 = s->p50 = s->p75 = s->p95 = NAN;
}
