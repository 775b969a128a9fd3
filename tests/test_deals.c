/* test_deals.c -- the real-deal scenario library fed each deal's realised
 * outcome (docs/deals.md restates each fact with its source), asserting the
 * realised payment outcome.
 * Every expected number is worked out by hand in the comments, from the
 * sourced facts and the ASSUMED terms stated in each scenario's description;
 * none is copied from the program's output. The backtests, which settle
 * Peterborough, Rikers Island, Educate Girls, Utah, Newpin and the
 * Benevolent Society bond on the realised record of their scenario, are in
 * test_backtests.c (same suite, `deals`, declared here with its fixture).
 *
 * Engine runs use at most 20,000 paths each. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../model/contract.h"
#include "../model/finance.h"
#include "../model/financing.h"
#include "../sim/engine.h"
#include "helpers.h"

static void setup(void) { gsl_set_error_handler_off(); }
TestSuite(deals, .init = setup);

/* ---------------------------------------------------------------- helpers */

/* The investor IRR of financing structure `fin`: key "irr" (one tranche per
 * structure) or "<tranche>.irr" (per-tranche metrics), whichever the engine
 * defines. */
static stats_summary investor_irr(const engine *e, const char *fin) {
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        const metric_info *m = engine_metric(e, i);
        size_t n = strlen(m->key);
        if (strcmp(m->group, fin) != 0 || m->unit != UNIT_RATE) continue;
        if (strcmp(m->key, "irr") == 0 || (n > 4 && strcmp(m->key + n - 4, ".irr") == 0)) {
            stats_summary s;
            engine_summary(e, i, &s);
            return s;
        }
    }
    cr_assert_fail("no investor IRR metric for %s", fin);
    stats_summary none;
    memset(&none, 0, sizeof none);
    return none;
}

/* Make a prior a fixed value (keeping its input slot: the engine then draws
 * exactly that value on every path, through the copula too). */
static void fix_prior(prior *p, double value) {
    p->kind = PRIOR_FIXED;
    p->a = value;
}

static size_t outcome_index(const scenario *sc, const char *name) {
    for (size_t o = 0; o < sc->n_outcomes; o++)
        if (strcmp(sc->outcomes[o].name, name) == 0) return o;
    cr_assert_fail("no outcome %s", name);
    return 0;
}

/* Settle one future with no operational failure. */
static void settle(const scenario *sc, const contract_plan *plan, const cohort_obs *obs,
                   double *pay, double *payer_paid) {
    double scratch[512];
    cr_assert(contract_scratch_size(sc) <= 512);
    contract_settle(sc, plan, obs, HUGE_VAL, pay, payer_paid, NULL, scratch);
}

/* -------------------------------------------------------- Rikers Island */

/* docs/deals.md, Rikers Island: no significant reduction in recidivism bed days (16-18- and
 * 19-year-olds followed similar trends), the 10% threshold was missed, the
 * programme ended after 3 of 4 years; Goldman had lent $7.2m; NYC paid
 * nothing. */
Test(deals, rikers_rate_card_pays_nothing_at_no_reduction) {
    scenario *sc = must_load_repo_file("scenarios/rikers-island.json");
    contract_plan *plan = contract_plan_new(sc);
    cr_assert_eq(plan->n_cohorts, 2);
    double pay[16], paid_by[4];
    cr_assert(plan->n_events <= 16);
    /* The 2013 admissions: 3,000 adolescents at the historical 60 bed days
     * each = 180,000 bed days, no fall. The historical design compares with
     * the fixed baseline (n_c = 1, sum_c = 60). The 4th year never ran. */
    cohort_obs none[2] = {{3000, 180000, 1, 60}, {0, 0, 0, 0}};
    settle(sc, plan, none, pay, paid_by);
    for (size_t k = 0; k < plan->n_events; k++) cr_assert_float_eq(pay[k], 0, 0);
    cr_assert_float_eq(paid_by[0], 0, 0, "NYC paid nothing");
    /* The sourced ends of the card: 8.4% (164,880 bed days) is below the
     * 8.5% partial tier; a 10% fall (162,000) returns exactly the $9.6m. */
    cohort_obs fell84[2] = {{3000, 164880, 1, 60}, {0, 0, 0, 0}};
    settle(sc, plan, fell84, pay, paid_by);
    cr_assert_float_eq(paid_by[0], 0, 0);
    cohort_obs fell10[2] = {{3000, 162000, 1, 60}, {0, 0, 0, 0}};
    settle(sc, plan, fell10, pay, paid_by);
    cr_assert_float_eq(paid_by[0], 9.6e6, 1e-6);
    contract_plan_free(plan);
    scenario_free(sc);
}

Test(deals, rikers_at_zero_effect_and_similar_trends_nyc_never_pays_and_7_2m_is_drawn) {
    scenario *sc = must_load_repo_file("scenarios/rikers-island.json");
    size_t o = outcome_index(sc, "recidivism_bed_days");
    /* Realised: no effect, and no differential trend (the 16-18-year-olds
     * and the 19-year-olds moved together): no drift of the counterfactual. */
    fix_prior(&sc->outcomes[o].effect, 0);
    fix_prior(&sc->outcomes[o].eval.trend, 0);
    sc->outcomes[o].eval.volatility = 0;
    engine *e = must_engine(sc);
    must_run_on(e, 20000, 2);
    /* The measured fall is then 1 - S / 180,000 with S ~ Poisson(180,000):
     * sd 1 / sqrt(180,000) = 0.24%, so the 8.5% first tier is 36 sd away
     * (probability < 1e-280 a path): no path pays, and none passes the gate
     * to the 4th year. */
    stats_summary any = summary_of(e, "commissioner", "payments.any");
    cr_assert_eq(any.n, 20000);
    cr_assert_float_eq(any.mean, 0, 0, "P(any payment) %.6f", any.mean);
    stats_summary total = summary_of(e, "commissioner", "payments.total");
    cr_assert_float_eq(total.max, 0, 0);
    stats_summary y4 = summary_of(e, "programme", "stage.year 4.reached");
    cr_assert_float_eq(y4.mean, 0, 0);
    /* So only 3 of the 4 years run, at the ASSUMED $2.4m a year: 3 x 2.4m
     * = $7.2m, what Goldman had lent (docs/deals.md), in every path. */
    stats_summary cost = summary_of(e, "programme", "cost.delivery");
    cr_assert_float_eq(cost.min, 7.2e6, 1e-3);
    cr_assert_float_eq(cost.max, 7.2e6, 1e-3);
    engine_free(e);
    scenario_free(sc);
}

Test(deals, rikers_at_zero_effect_the_historical_drift_alone_pays_at_most_the_gate_rate) {
    /* With the scenario's own drift priors but no true effect, a payment
     * needs the 2013 cohort's measured fall >= 8.5% (else the 4th year is
     * not commissioned, the pooled fall is that cohort's, and the first tier
     * is missed). That cohort is measured at t = 0.33 + 1 + 1.5 = 2.83 years,
     * when the counterfactual has drifted by D - 1 = trend t + 0.02 W(t):
     *   var = (0.02 x 2.83)^2 + 0.02^2 x 2.83 = 0.0032036 + 0.0011320
     *       = 0.0043356;  plus the Poisson noise 1 / 180,000 = 0.0000056,
     * so sd = 0.065888 and P(fall >= 8.5%) = P(Z >= 1.2901) = 0.0985.
     * P(reaches year 4) is that probability; P(any payment) is at most it. */
    scenario *sc = must_load_repo_file("scenarios/rikers-island.json");
    fix_prior(&sc->outcomes[outcome_index(sc, "recidivism_bed_days")].effect, 0);
    engine *e = must_engine(sc);
    must_run_on(e, 20000, 2);
    stats_summary y4 = summary_of(e, "programme", "stage.year 4.reached");
    cr_assert(fabs(y4.mean - 0.0985) < 4 * y4.se + 0.002, "P(year 4) %.4f +- %.4f", y4.mean, y4.se);
    stats_summary any = summary_of(e, "commissioner", "payments.any");
    cr_assert(any.mean <= y4.mean, "P(any) %.4f > P(gate) %.4f", any.mean, y4.mean);
    /* And it is not zero: a historical comparison can pay for nothing. */
    cr_assert(any.mean > 0.02, "P(any) %.4f", any.mean);
    stats_summary nothing =
        summary_of(e, "commissioner", "paid_without_effect.recidivism_bed_days");
    stats_summary total = summary_of(e, "commissioner", "payments.total");
    cr_assert_float_eq(nothing.mean, total.mean, 1e-9 * (1 + total.mean));
    engine_free(e);
    scenario_free(sc);
}

/* -------------------------------------------------------- Educate Girls */

/* docs/deals.md, Educate Girls: 116% of the enrolment target (768 girls = 92% of the eligible
 * out-of-school girls) and 160% of the learning target; CIFF's maximum
 * outcome payment $422,000; the investor repaid with $144,085 on about
 * $270,000, a 15% IRR over 3 years (the return cap). */
Test(deals, educate_girls_realised_results_pay_the_422k_maximum_at_the_15pct_cap) {
    scenario *sc = must_load_repo_file("scenarios/educate-girls-dib.json");
    contract_plan *plan = contract_plan_new(sc);
    size_t ol = outcome_index(sc, "learning"), oe = outcome_index(sc, "enrolment");
    cr_assert_eq(plan->n_cohorts, 1);
    /* Learning: control gain 1.5 ASER levels (ASSUMED), target +0.5, so 160%
     * of target is +0.8: treated 7,300 x 2.3, control 7,300 x 1.5. Enrolment:
     * 768 of the 835 eligible girls (768 / 0.92), counted with no control:
     * 768 / 835 = 0.9198 = 1.16 x the 79.3% target. Both parts are therefore
     * at or beyond their ceilings: 337,600 + 84,400 = 422,000. */
    cohort_obs obs[2];
    obs[ol] = (cohort_obs){7300, 7300 * 2.3, 7300, 7300 * 1.5};
    obs[oe] = (cohort_obs){835, 768, 0, 0};
    double pay[8], paid_by[2];
    cr_assert(plan->n_events <= 8 && sc->contract.n_payers == 1);
    settle(sc, plan, obs, pay, paid_by);
    double total = 0;
    for (size_t k = 0; k < plan->n_events; k++) total += pay[k];
    cr_assert_float_eq(total, 422000, 1e-6);
    cr_assert_float_eq(paid_by[0], 422000, 1e-6, "all paid by CIFF");
    cr_assert_str_eq(sc->contract.payers[0].name, "CIFF");
    /* Paid once, at the end of year 3 (period 12 of a quarterly grid). */
    for (size_t k = 0; k < plan->n_events; k++)
        cr_assert_float_eq(plan->events[k].time, 3.0, 1e-12);

    /* The investor: $270k in at t = 0, the $422k at t = 3, capped at 15% a
     * year: it receives 270,000 x 1.15^3 = 270,000 x 1.520875 = $410,636.25,
     * an IRR of exactly 15%; the other $11,363.75 is above the cap. The
     * realised $270k + $144,085 = $414,085 is within 1% of that. */
    engine *e = must_engine(sc);
    size_t T = engine_periods(e);
    double payments[64] = {0}, investor[64];
    cr_assert(T <= 64);
    for (size_t k = 0; k < plan->n_events; k++) payments[plan->events[k].period] += pay[k];
    sib_totals tot = financing_sib_flows(&sc->financing[0].tranches[0], sc->sim.periods_per_year,
                                         engine_costs(e), payments, T, investor);
    cr_assert_float_eq(tot.drawn, 270000, 1e-6);
    cr_assert_float_eq(tot.received, 410636.25, 1e-3);
    cr_assert(fabs(tot.received - 414085) / 414085 < 0.01);
    double irr;
    cr_assert_eq(finance_irr(investor, T, sc->sim.periods_per_year, &irr), IRR_OK);
    cr_assert_float_eq(irr, 0.15, 1e-6, "IRR %.8f", irr);
    engine_free(e);
    contract_plan_free(plan);
    scenario_free(sc);
}

/* docs/deals.md, Educate Girls: two populations in one cohort. Learning is
 * measured on all 7,300 children, enrolment on the identified out-of-school
 * girls only: 768 enrolled were 92% of them, so about 768 / 0.92 = 834.8
 * (inferred); the share 0.1144 of 7,300 gives round(835.12) = 835 girls. */
Test(deals, educate_girls_measures_enrolment_on_the_835_eligible_girls) {
    scenario *sc = must_load_repo_file("scenarios/educate-girls-dib.json");
    size_t oe = outcome_index(sc, "enrolment");
    cr_assert_float_eq(sc->outcomes[oe].population.a, 0.1144, 0);
    cr_assert_float_eq(round(7300 * sc->outcomes[oe].population.a), 835, 0);
    engine *e = must_engine(sc);
    double *v = calloc(engine_metric_count(e), sizeof *v);
    sib_error err;
    cr_assert_eq(engine_expected_ledger(e, NULL, v, NULL, &err), SIB_OK);
    /* In the expected case the true outcomes are the effect's mean as drawn
     * times the group: +0.5 levels x 7,300 children = 3,650 levels; the
     * enrolment effect, normal(40 points, 15) capped at 60, has mean
     * 39.364073 points as drawn (a midpoint rule over +-12 sd, in Python),
     * so x 835 girls = 328.690 girls enrolled who would not have been. */
    cr_assert_float_eq(v[engine_find_metric(e, "programme", "outcomes.true.learning")], 3650, 1e-6);
    cr_assert_float_eq(v[engine_find_metric(e, "programme", "outcomes.true.enrolment")],
                       328.6900129046, 1e-6);
    cr_assert_float_eq(v[engine_find_metric(e, "programme", "participants")], 7300, 0);
    free(v);
    engine_free(e);
    scenario_free(sc);
}

Test(deals,
     educate_girls_simulated_at_the_realised_effects_pays_the_maximum_and_never_beats_15pct) {
    scenario *sc = must_load_repo_file("scenarios/educate-girls-dib.json");
    /* Realised effects: +0.8 levels of learning (160% of +0.5); enrolment
     * 92% against the ASSUMED 40% counterfactual, +0.52. */
    fix_prior(&sc->outcomes[outcome_index(sc, "learning")].effect, 0.8);
    fix_prior(&sc->outcomes[outcome_index(sc, "enrolment")].effect, 0.52);
    engine *e = must_engine(sc);
    must_run_on(e, 20000, 2);
    /* Measured learning effect: sd 2.0, 44 a school, ICC 0.2 (design effect
     * 1 + 43 x 0.2 = 9.6), 7,300 a group: var = 4 x 9.6 x 2 / 7,300
     * = 0.010521, sd 0.1026. It falls short of the 0.5 ceiling with
     * probability P(Z < -2.925) = 0.0017; the enrolment share, around 0.92
     * among the 835 eligible girls (the outcome's population, 0.1144 of
     * 7,300), with sd sqrt(0.92 x 0.08 / 835) = 0.0094, is 13.5 sd above
     * 0.793 and never misses it. So
     * more than 95% of paths pay exactly $422,000: it is the 5% quantile. */
    stats_summary paid = summary_of(e, "commissioner", "payments.total");
    cr_assert_float_eq(paid.p05, 422000, 1e-6, "p05 %.2f", paid.p05);
    cr_assert(paid.max <= 422000 * (1 + 1e-12));
    /* The IRR never exceeds the 15% cap, and sits on it when the cap binds. */
    stats_summary irr = investor_irr(e, "Educate Girls DIB");
    cr_assert(irr.max <= 0.15 + 1e-9, "max IRR %.10f", irr.max);
    cr_assert_float_eq(irr.p05, 0.15, 1e-6, "p05 IRR %.10f", irr.p05);
    engine_free(e);
    scenario_free(sc);
}

/* ----------------------------------------------------------------- Utah */

/* docs/deals.md, Utah: cohort 1, 110 at-risk children, 1 used special education in
 * kindergarten -> $281k savings -> $267k (95%) paid in October 2015. */
Test(deals, utah_cohort_1_saves_281k_and_pays_267k) {
    scenario *sc = must_load_repo_file("scenarios/utah-preschool.json");
    contract_plan *plan = contract_plan_new(sc);
    cr_assert_eq(plan->n_cohorts, 5);
    /* Special-education use is measured every school year, kindergarten to
     * grade 6: 7 measurements. Only cohort 1 observed: 110 children, 1 with
     * the event, no control -- the same count each year here, so that each
     * year pays the same. The table has the outcome's own row (every year
     * pooled: 770 child-years, 7 with the event) and one row per year. */
    cr_assert_eq(sc->outcomes[0].times, 7);
    cr_assert_eq(scenario_obs_rows(sc), 8);
    cohort_obs obs[8 * 5];
    memset(obs, 0, sizeof obs);
    obs[0 * 5 + 0] = (cohort_obs){770, 7, 0, 0};
    for (int m = 0; m < 7; m++)
        obs[scenario_obs_row(sc, 0, m) * 5 + 0] = (cohort_obs){110, 1, 0, 0};
    double pay[64], paid_by[2];
    cr_assert(plan->n_events <= 64);
    settle(sc, plan, obs, pay, paid_by);
    /* First assessment: cohort 1's kindergarten year, measured at 0 + 1 + 1
     * = 2 years (August 2015) and paid 0.17 years later (October 2015). */
    const pay_event *first = &plan->events[0];
    cr_assert_eq(first->cohort, 0);
    cr_assert_eq(first->measurement, 0);
    cr_assert_float_eq(first->time, 2.17, 1e-12);
    /* Savings = 109 children without special education x $2,578 =
     * $281,002 (the sourced $281k); 95% of it = $266,951.90 (the sourced
     * $267k), far below the $7m owed, so the 95% share applies. */
    cr_assert_float_eq(pay[0], 0.95 * 109 * 2578, 1e-6);
    cr_assert(fabs(pay[0] / 0.95 - 281000) / 281000 < 0.005, "savings %.0f", pay[0] / 0.95);
    cr_assert(fabs(pay[0] - 267000) / 267000 < 0.005, "paid %.0f", pay[0]);
    /* Each year is paid on its own count, 0.17 years after it is measured:
     * with the same count each year, seven payments of $266,951.90, the
     * owed balance staying far above them ($7m less at most 7 x 267k,
     * accruing 5%). */
    int n = 0;
    for (size_t k = 0; k < plan->n_events; k++)
        if (plan->events[k].cohort == 0) {
            cr_assert_float_eq(pay[k], 0.95 * 109 * 2578, 1e-6);
            cr_assert_float_eq(plan->events[k].time, 2.17 + plan->events[k].measurement, 1e-9);
            n++;
        }
    cr_assert_eq(n, 7);
    contract_plan_free(plan);
    scenario_free(sc);
}

Test(deals, utah_pays_for_children_who_would_not_have_used_special_education_anyway) {
    /* No control group: with no true effect at all, 70% of the 646 at-risk
     * children (the ASSUMED 30% counterfactual) still count as savings in
     * each of their 7 yearly measurements (each year's count is Binomial(n,
     * 0.3) at the margin, whatever the year-to-year correlation):
     * S = 0.7 x 646 x $2,578 x 7 years = $8,160,401 expected, over 35
     * yearly payments from 2.17 to 12.17 years, centred near 7.3 years
     * (cohort c's middle measurement is paid at 2.17 + c + 3, mean c = 2.1).
     * Even at 95% that is about $7.75m, worth about 7.75m x 1.05^-(7.3-2.4)
     * = $6.1m at the 5% the $7m balance accrues from 2.4 years: the balance
     * is never repaid, so every installment pays 95% of its savings, and the
     * expected payment is 0.95 x 8,160,401 = $7,752,381 -- all of it "paid
     * when true effect <= 0". */
    scenario *sc = must_load_repo_file("scenarios/utah-preschool.json");
    fix_prior(&sc->outcomes[0].effect, 0);
    engine *e = must_engine(sc);
    must_run_on(e, 20000, 2);
    stats_summary total = summary_of(e, "commissioner", "payments.total");
    stats_summary nothing = summary_of(e, "commissioner", "paid_without_effect.special_education");
    cr_assert_float_eq(nothing.mean, total.mean, 1e-9 * total.mean);
    cr_assert(fabs(nothing.mean - 7752381) < 4 * nothing.se, "paid without effect %.0f +- %.0f",
              nothing.mean, nothing.se);
    engine_free(e);
    scenario_free(sc);
}

/* -------------------------------------------------------- Massachusetts */

/* docs/deals.md, Massachusetts: the final RCT and DiD estimates for incarceration and
 * employment are too small relative to their standard errors; the payments
 * made were not found. At a true effect of zero on all three outcomes, the
 * per-unit, per-cohort, no-trigger contract pays only the positive part of
 * the measurement noise of the blended estimate, 0.8 x RCT + 0.2 x DiD: for
 * each cohort and outcome, with n treated, m = round(0.96 n) RCT controls
 * (186 -> 179, 185 -> 178), d = 2n DiD comparison people, person variance
 * v, the units of improvement U = n (y_c - y_t) (y_c the blend's comparison
 * mean) are about normal with
 *     var(y_c - y_t) = v / n + 0.8^2 v / m + 0.2^2 (v / n + 2 v / d + (0.05 b)^2)
 * (the treated group; the RCT's controls; the DiD's treated group before,
 * its comparison group before and after, and its deviation from parallel
 * trends, sd 5% of the baseline b). Then E[max(U, 0)] = mu Phi(mu / s) +
 * s phi(mu / s), s = n sqrt(var).
 *   bed days (negative binomial, b = 300, dispersion 0.5: v = 300 + 300^2
 *     / 0.5 = 180,300). On the relative scale the blend's comparison mean
 *     is the weighted harmonic mean, E[H] = b - sum_j w_j (1 - w_j) var_j /
 *     b to second order, so mu = -n 0.16 (var_RCT + var_DiD) / 300:
 *     n=186: var = 969.355 + 0.64 x 1,007.263 + 0.04 x 2,163.710 = 1,700.551,
 *            s = 7,670.22, mu = -314.56, E = 2,905.27 bed days
 *     n=185: var = 1,709.832, s = 7,649.77, mu = -314.46, E = 2,897.16
 *     4 x 2,905.27 + 2,897.16 = 14,518.23 bed days x $195.55 = $2,839,041
 *   job readiness (p = 0.30, v = 0.21; absolute scale, mu = 0):
 *     E = 3.3006 (n=186), 3.2918 (n=185): 16.4970 people x $9,329 = $153,901
 *   employment (p = 0.35, v = 0.2275):
 *     E = 3.4375, 3.4286: 17.1806 people x $41,981 = $721,261
 * Total $3,714,202: 13.8% of the $27m cap -- three and a half times the
 * 4.0% ($1,074,940) of Poisson bed days measured by the RCT alone: the
 * overdispersion of bed days is most of the difference. The mean is
 * checked against the hand figure within 5% (the normal approximation of
 * binomial and negative binomial sums at n ~ 180, and the second-order
 * harmonic mean), and it is at most 15% of the cap. */
Test(deals, massachusetts_at_zero_effect_pays_only_the_noise_of_the_blended_estimate) {
    scenario *sc = must_load_repo_file("scenarios/massachusetts-juvenile-justice.json");
    cr_assert_float_eq(sc->contract.cap, 27e6, 1e-6);
    for (size_t o = 0; o < sc->n_outcomes; o++) {
        fix_prior(&sc->outcomes[o].effect, 0);
        const evaluation *ev = &sc->outcomes[o].eval;
        cr_assert_eq(ev->design, EVAL_BLEND);
        cr_assert_float_eq(ev->blend[0].weight, 0.8, 0, "RCT 80%%");
        cr_assert_eq(ev->blend[0].design, EVAL_RCT);
        cr_assert_float_eq(ev->blend[1].weight, 0.2, 0, "DiD 20%%");
        cr_assert_eq(ev->blend[1].design, EVAL_DID);
    }
    cr_assert_float_eq(sc->outcomes[outcome_index(sc, "incarceration_bed_days")].dispersion, 0.5,
                       0);
    engine *e = must_engine(sc);
    must_run_on(e, 20000, 2);
    stats_summary total = summary_of(e, "commissioner", "payments.total");
    cr_assert(total.mean < 0.15 * 27e6, "expected payments %.0f", total.mean);
    cr_assert(fabs(total.mean - 3714202) < 0.05 * 3714202, "expected payments %.0f +- %.0f",
              total.mean, total.se);
    engine_free(e);
    scenario_free(sc);
}

/* docs/deals.md, Massachusetts: USD 21.76m committed in seven tranches,
 * spent evenly over 7 years. In the expected case (no overrun, no
 * failure) the costs are the commitments to the dollar and every tranche is
 * drawn in full: 9m, 1.5m, 1.5m, 3.76m, 3.7m, 2m and 0.3m. The scenario's
 * USD 3,108,571 a year left USD 3 undrawn, and the senior tranche showed
 * 8,999,999 drawn against its 9m. */
Test(deals, massachusetts_expected_case_draws_every_tranche_in_full) {
    scenario *sc = must_load_repo_file("scenarios/massachusetts-juvenile-justice.json");
    engine *e = must_engine(sc);
    double *v = calloc(engine_metric_count(e), sizeof *v);
    sib_error err;
    cr_assert_eq(engine_expected_ledger(e, NULL, v, NULL, &err), SIB_OK);
    const financing *f = &sc->financing[0];
    double committed = 0;
    for (size_t k = 0; k < f->n_tranches; k++) {
        char key[128];
        snprintf(key, sizeof key, "%s.drawn", f->tranches[k].name);
        double drawn = v[engine_find_metric(e, f->name, key)];
        cr_assert(fabs(drawn - f->tranches[k].commitment) < 0.005, "%s drew %.4f of %.0f",
                  f->tranches[k].name, drawn, f->tranches[k].commitment);
        committed += f->tranches[k].commitment;
    }
    cr_assert_float_eq(committed, 21.76e6, 1e-6);
    cr_assert(fabs(v[engine_find_metric(e, "programme", "cost.delivery")] - 21.76e6) < 0.005,
              "delivery costs %.4f", v[engine_find_metric(e, "programme", "cost.delivery")]);
    free(v);
    engine_free(e);
    scenario_free(sc);
}

/* ----------------------------------------------------------------- ICRC */

/* docs/deals.md, ICRC: 60% of the CHF 26m is protected; the whole payment comes at
 * the end of year 5. The result and payout were not found. */
Test(deals, icrc_pays_only_at_the_end_of_year_5) {
    scenario *sc = must_load_repo_file("scenarios/icrc-humanitarian-impact-bond.json");
    contract_plan *plan = contract_plan_new(sc);
    /* Measured at 2.5 + 2.5 + 0 = 5 years, paid with no lag: period 20. */
    cr_assert_geq(plan->n_events, 2);
    for (size_t k = 0; k < plan->n_events; k++) {
        cr_assert_float_eq(plan->events[k].time, 5.0, 1e-12);
        cr_assert_eq(plan->events[k].period, 20);
    }
    /* A future where the centres do no better than the historical average:
     * 60 staff x 60 people = 3,600, measured effect 0. Paid: the protected
     * 15.6m + 20,866,345 x (0 + 0.2) / 0.4 = 15.6m + 10,433,172.5 =
     * CHF 26,033,172.5, all at period 20; the investors' flows are -26m at
     * period 0, nothing in between, and the payment at period 20. */
    cohort_obs obs[1] = {{60, 3600, 1, 60}};
    double pay[8], paid_by[8];
    settle(sc, plan, obs, pay, paid_by);
    double total = 0;
    for (size_t k = 0; k < plan->n_events; k++) total += pay[k];
    cr_assert_float_eq(total, 15.6e6 + 10433172.5, 1e-3);
    double share = 0;
    for (size_t p = 0; p < sc->contract.n_payers; p++) share += paid_by[p];
    cr_assert_float_eq(share, total, 1e-6);
    engine *e = must_engine(sc);
    size_t T = engine_periods(e);
    double payments[64] = {0}, investor[64];
    cr_assert(T <= 64 && T > 20);
    payments[20] = total;
    financing_sib_flows(&sc->financing[0].tranches[0], sc->sim.periods_per_year, engine_costs(e),
                        payments, T, investor);
    cr_assert_float_eq(investor[0], -26e6, 1e-3);
    for (size_t t = 1; t < T; t++)
        if (t != 20) cr_assert_float_eq(investor[t], 0, 1e-9, "flow at period %zu", t);
    cr_assert_float_eq(investor[20], total, 1e-3);
    engine_free(e);
    contract_plan_free(plan);
    scenario_free(sc);
}

Test(deals, icrc_protected_60pct_is_paid_in_every_future_and_only_at_year_5) {
    scenario *sc = must_load_repo_file("scenarios/icrc-humanitarian-impact-bond.json");
    engine *e = must_engine(sc);
    must_run_on(e, 20000, 2);
    /* Never below 0.6 x CHF 26m = 15.6m, never above 26m x 1.07^5 =
     * CHF 36,466,345. */
    stats_summary total = summary_of(e, "commissioner", "payments.total");
    cr_assert_eq(total.n, 20000);
    cr_assert(total.min >= 0.6 * 26e6 - 1e-6, "min %.2f", total.min);
    cr_assert(total.max <= 36466345 + 1e-6, "max %.2f", total.max);
    /* All of it at period 20: the present value is the total discounted by
     * 1.035^-5 = 0.8419732 in every path, so also on average. */
    stats_summary pv = summary_of(e, "commissioner", "payments.pv");
    cr_assert_float_eq(pv.mean, total.mean * pow(1.035, -5), 1e-9 * total.mean);
    cr_assert_float_eq(pv.min, total.min * pow(1.035, -5), 1e-6);
    engine_free(e);

    /* The worst case: efficiency 90% below the historical average. The
     * linear part (floor -20%) pays nothing and exactly the protected
     * 15.6m is paid, in every path. */
    fix_prior(&sc->outcomes[0].effect, -0.9);
    e = must_engine(sc);
    must_run_on(e, 20000, 2);
    total = summary_of(e, "commissioner", "payments.total");
    cr_assert_float_eq(total.min, 15.6e6, 1e-6);
    cr_assert_float_eq(total.max, 15.6e6, 1e-6);
    engine_free(e);
    scenario_free(sc);
}

/* ---------------------------------------------------- regional template */

Test(deals, regional_template_gates_filter_the_later_stages) {
    scenario *sc = must_load_repo_file("scenarios/regional-pilot-to-scale.json");
    cr_assert_eq(sc->n_stages, 3);
    cr_assert_eq(sc->n_correlations, 1);
    engine *e = must_engine(sc);
    must_run_on(e, 20000, 2);
    stats_summary pilot = summary_of(e, "programme", "stage.pilot.reached");
    stats_summary impl = summary_of(e, "programme", "stage.implementation.reached");
    stats_summary scale = summary_of(e, "programme", "stage.scale_up.reached");
    cr_assert_float_eq(pilot.mean, 1, 0);
    /* Implementation needs the pilot's measured fall >= 15% and then the
     * 0.8 commissioning draw: at most 0.8 of the futures. */
    cr_assert(impl.mean < 1 && impl.mean <= 0.8 + 4 * impl.se, "P(impl) %.4f", impl.mean);
    /* Scale-up needs implementation (path by path), and then a 0.7 draw. */
    cr_assert(scale.mean <= impl.mean, "P(scale) %.4f > P(impl) %.4f", scale.mean, impl.mean);
    cr_assert(scale.mean <= 0.7 * impl.mean + 4 * scale.se);
    cr_assert(scale.mean > 0, "some futures scale up");
    engine_free(e);
    scenario_free(sc);
}

Test(deals, regional_template_with_no_effect_almost_never_leaves_the_pilot) {
    /* Pilot effect 0 (and so in every stage). The gate "measured fall >=
     * 15%" is y_t <= 0.85 y_c, i.e. D = y_t - 0.85 y_c <= 0, with D nearly
     * normal (as in test_engine.c's trigger test): at no effect both groups
     * have the 45% rate, so E[D] = 0.15 x 0.45 = 0.0675 and
     * Var[D] = 0.2475 (1/n + 0.85^2 / 400) for n treated (400 x the
     * volume drawn, at least 0.4 x 400 = 160) and 400 controls:
     *   n = 400: sd 0.03265, P(D <= 0) = P(Z >= 2.068) = 0.0193
     *   n = 160: sd 0.04465, P(Z >= 1.512) = 0.0653 (the worst case)
     * so P(reaches implementation) <= 0.8 x 0.0653 = 0.0522.
     * Scale-up also needs the implementation's pooled fall >= 8%:
     * D = y_t - 0.92 y_c, E[D] = 0.08 x 0.45 = 0.036, with at least 800
     * treated (2 x 1,000 x 0.4) and 800 controls: Var[D] <= 0.2475
     * (1/800 + 0.92^2 / 800), sd 0.02390, P(Z >= 1.506) = 0.0660, times
     * 0.7: 0.0462; so P(reaches scale-up) <= 0.0522 x 0.0462 = 0.0024. */
    scenario *sc = must_load_repo_file("scenarios/regional-pilot-to-scale.json");
    fix_prior(&sc->outcomes[0].effect, 0);
    engine *e = must_engine(sc);
    must_run_on(e, 20000, 2);
    stats_summary impl = summary_of(e, "programme", "stage.implementation.reached");
    stats_summary scale = summary_of(e, "programme", "stage.scale_up.reached");
    cr_assert(impl.mean < 0.0522, "P(impl | no effect) %.4f", impl.mean);
    cr_assert(scale.mean < 0.0024, "P(scale | no effect) %.5f", scale.mean);
    cr_assert(scale.mean <= impl.mean);
    engine_free(e);
    scenario_free(sc);
}

Test(deals, rikers_lender_recovers_6m_from_the_guarantee_and_loses_1_2m) {
    /* Realised (docs/deals.md, Rikers Island): no effect, no differential trend, stopped after
     * three years with $7.2m drawn; Bloomberg's guarantee covered $6.0m and
     * Goldman Sachs lost $1.2m; NYC paid nothing. The guarantee covers 5/6
     * of the principal lost: 5/6 x 7.2m = 6.0m. */
    scenario *sc = must_load_repo_file("scenarios/rikers-island.json");
    size_t o = outcome_index(sc, "recidivism_bed_days");
    fix_prior(&sc->outcomes[o].effect, 0);
    fix_prior(&sc->outcomes[o].eval.trend, 0);
    sc->outcomes[o].eval.volatility = 0;
    engine *e = must_engine(sc);
    must_run_on(e, 4096, 2);
    const char *g = sc->financing[0].name;
    stats_summary drawn = summary_of(e, g, "Goldman Sachs.drawn");
    stats_summary guar = summary_of(e, g, "guarantor.Bloomberg Philanthropies.paid");
    stats_summary loss = summary_of(e, g, "Goldman Sachs.loss");
    stats_summary paid = summary_of(e, g, "commissioner.total");
    cr_assert_float_eq(drawn.min, 7.2e6, 1e-3);
    cr_assert_float_eq(drawn.max, 7.2e6, 1e-3);
    cr_assert_float_eq(guar.min, 6.0e6, 1e-3);
    cr_assert_float_eq(guar.max, 6.0e6, 1e-3);
    cr_assert_float_eq(loss.mean, 1.2e6, 1e-3);
    cr_assert_float_eq(paid.max, 0, 0, "New York City paid nothing");
    /* Goldman's multiple: (0 + 6.0) / 7.2 = 0.833 (docs/deals.md: 0.833x, -16.7%). */
    stats_summary moic = summary_of(e, g, "Goldman Sachs.moic");
    cr_assert_float_eq(moic.mean, 6.0 / 7.2, 1e-9);
    engine_free(e);
    scenario_free(sc);
}
