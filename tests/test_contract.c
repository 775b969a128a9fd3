/* test_contract.c -- measured effects and the settlement of payment rules,
 * against amounts computed by hand. */
#include <criterion/criterion.h>
#include <math.h>

#include "../model/contract.h"
#include "helpers.h"

/* Settle with no failure and one payer; scratch sized for the scenario. */
static void settle_all(const scenario *sc, const contract_plan *plan, const cohort_obs *obs,
                       double *pay) {
    double paid_by[8], scratch[256];
    cr_assert(contract_scratch_size(sc) <= 256 && sc->contract.n_payers <= 8);
    contract_settle(sc, plan, obs, HUGE_VAL, pay, paid_by, NULL, scratch);
}

/* A count outcome measured against 10 controls per person, with a cohort
 * trigger rule and a pooled true-up rule (the Peterborough shape), two
 * cohorts of 1000. PRICE, cohort trigger 10%, pooled 7.5%. */
static const char *two_cohorts =
    "{\"name\": \"t\", \"currency\": \"GBP\","
    " \"stages\": [{\"name\": \"s\", \"duration\": 4, \"cohorts\": ["
    "   {\"name\": \"c1\", \"size\": 1000, \"entry\": 0, \"enrolment\": 2},"
    "   {\"name\": \"c2\", \"size\": 1000, \"entry\": 2, \"enrolment\": 2}]}],"
    " \"outcomes\": [{\"name\": \"events\", \"kind\": \"count\", \"direction\": \"lower_is_better\","
    "   \"baseline\": 1.55, \"effect\": {\"prior\": 0.1},"
    "   \"evaluation\": {\"design\": \"matched\", \"comparison_ratio\": 10}, \"observation_lag\": 1}],"
    " \"contract\": {%s \"payments\": ["
    "   {\"name\": \"cohort\", \"outcome\": \"events\", \"type\": \"per_unit\", \"price\": 1000,"
    "    \"trigger\": 0.10, \"cap_per_cohort\": %s, \"lag\": 0.5},"
    "   {\"name\": \"pooled\", \"outcome\": \"events\", \"type\": \"per_unit\", \"price\": 1000,"
    "    \"scope\": \"programme\", \"trigger\": 0.075, \"true_up\": true, \"lag\": 1}]}}";

static scenario *load_two_cohorts(const char *contract_extra, const char *cohort_cap) {
    char json[4096];
    snprintf(json, sizeof json, two_cohorts, contract_extra, cohort_cap);
    return must_load_string(json);
}

/* Treated totals t1, t2 per 1000 people; comparison 15500 events per 10000. */
static void settle(const scenario *sc, double t1, double t2, double *pay, contract_plan **out) {
    contract_plan *plan = contract_plan_new(sc);
    cr_assert_not_null(plan);
    cohort_obs obs[2] = {{1000, t1, 10000, 15500}, {1000, t2, 10000, 15500}};

    settle_all(sc, plan, obs, pay);
    *out = plan;
}

Test(effect, relative_fall_in_a_count_is_share_of_comparison_mean) {
    outcome o = {.kind = OUTCOME_COUNT, .direction = DIRECTION_LOWER_IS_BETTER,
                 .scale = EFFECT_RELATIVE};
    /* Peterborough cohort 1: 142 vs 155 events per 100 offenders = 8.4%. */
    cr_assert_float_eq(contract_effect(&o, 1.42, 1.55), 13.0 / 155.0, 1e-12);
    cr_assert_float_eq(contract_units(&o, 1.42, 1.55, 1000), 130.0, 1e-9);
    o.scale = EFFECT_ABSOLUTE;
    cr_assert_float_eq(contract_effect(&o, 1.42, 1.55), 0.13, 1e-12);
}

Test(effect, rise_in_a_rate_counts_when_higher_is_better) {
    outcome o = {.kind = OUTCOME_RATE, .direction = DIRECTION_HIGHER_IS_BETTER,
                 .scale = EFFECT_RELATIVE};
    cr_assert_float_eq(contract_effect(&o, 0.6, 0.5), 0.2, 1e-12);
    cr_assert_float_eq(contract_units(&o, 0.6, 0.5, 200), 20.0, 1e-9);
    cr_assert_float_eq(contract_effect(&o, 0.4, 0.5), -0.2, 1e-12);
    cr_assert_float_eq(contract_effect(&o, 0.4, 0.0), 0.0, 0); /* nothing to compare with */
}

Test(plan, assessments_are_dated_and_ordered) {
    scenario *sc = load_two_cohorts("", "1e12");
    contract_plan *plan = contract_plan_new(sc);
    cr_assert_eq(plan->n_events, 3);
    /* c1: 0 + 2 + 1 + 0.5 = 3.5; c2: 2 + 2 + 1 + 0.5 = 5.5; pooled: 5 + 1 = 6. */
    cr_assert_eq(plan->events[0].cohort, 0);
    cr_assert_float_eq(plan->events[0].time, 3.5, 1e-12);
    cr_assert_eq(plan->events[0].period, 14); /* quarterly grid */
    cr_assert_eq(plan->events[1].cohort, 1);
    cr_assert_float_eq(plan->events[1].time, 5.5, 1e-12);
    cr_assert_eq(plan->events[2].cohort, CONTRACT_POOLED);
    cr_assert_float_eq(plan->events[2].time, 6.0, 1e-12);
    cr_assert_eq(plan->events[2].period, 24);
    contract_plan_free(plan);
    scenario_free(sc);
}

/* The assessments a cohort's result enters, with their dates by hand:
 * c1 is measured at 0 + 2 + 1 = 3, c2 at 2 + 2 + 1 = 5; the cohort rule
 * pays 0.5 after, the pool (measured with the last cohort, at 5) 1 after. */
Test(plan, a_result_enters_its_cohorts_assessments_and_the_pools_that_hold_it) {
    scenario *sc = load_two_cohorts("", "1e9");
    contract_plan *plan = contract_plan_new(sc);
    cr_assert_not_null(plan);
    size_t idx[8];
    const double want[2][2] = {{3.5, 6.0}, {5.5, 6.0}};
    for (size_t c = 0; c < 2; c++) {
        cr_assert_eq(contract_assessments_of(sc, plan, c, 0, 0, idx, 8), 2);
        for (size_t i = 0; i < 2; i++) {
            const pay_event *ev = &plan->events[idx[i]];
            cr_assert_float_eq(ev->time, want[c][i], 1e-12, "cohort %zu, %zu", c, i);
            cr_assert_str_eq(sc->contract.rules[ev->rule].name, i ? "pooled" : "cohort");
            cr_assert_eq(ev->cohort, i ? CONTRACT_POOLED : c);
        }
    }
    /* A short idx still counts them all; an outcome measured once has no
     * second measurement. */
    cr_assert_eq(contract_assessments_of(sc, plan, 1, 0, 0, idx, 1), 2);
    cr_assert_float_eq(plan->events[idx[0]].time, 5.5, 1e-12);
    cr_assert_eq(contract_assessments_of(sc, plan, 0, 0, 1, idx, 8), 1, "the pool only");
    contract_plan_free(plan);
    scenario_free(sc);
}

Test(settle, a_cohort_below_its_trigger_is_paid_nothing_and_the_pool_pays_at_the_end) {
    /* Cohort 1 falls 8.4% (1420 vs 1550), cohort 2 9.6% (1401): neither
     * reaches 10%; the pool falls 1 - 2821/3100 = 9% >= 7.5%, and pays
     * 2000 * (1.55 - 1.4105) = 279 events at 1000 each. */
    scenario *sc = load_two_cohorts("", "1e12");
    double pay[3];
    contract_plan *plan;
    settle(sc, 1420, 1401, pay, &plan);
    cr_assert_float_eq(pay[0], 0, 0);
    cr_assert_float_eq(pay[1], 0, 0);
    cr_assert_float_eq(pay[2], 279000, 1e-6);
    contract_plan_free(plan);
    scenario_free(sc);
}

Test(settle, true_up_pays_only_what_cohort_payments_did_not) {
    /* Cohort 1 falls 12% (1364 events: 186 avoided, 186,000 paid), cohort 2
     * 6% (1457: no payment). Pool: 3100 - 2821 = 279 avoided, 279,000,
     * of which 186,000 is paid already: the true-up pays 93,000. */
    scenario *sc = load_two_cohorts("", "1e12");
    double pay[3];
    contract_plan *plan;
    settle(sc, 1364, 1457, pay, &plan);
    cr_assert_float_eq(pay[0], 186000, 1e-6);
    cr_assert_float_eq(pay[1], 0, 0);
    cr_assert_float_eq(pay[2], 93000, 1e-6);
    contract_plan_free(plan);
    scenario_free(sc);
}

Test(settle, cohort_payments_stand_when_the_pool_misses_its_trigger) {
    /* Cohort 1 falls 12% and is paid; cohort 2 rises 2% (1581): the pool
     * falls (3100 - 2945) / 3100 = 5% < 7.5%; the true-up pays nothing and
     * takes nothing back. */
    scenario *sc = load_two_cohorts("", "1e12");
    double pay[3];
    contract_plan *plan;
    settle(sc, 1364, 1581, pay, &plan);
    cr_assert_float_eq(pay[0], 186000, 1e-6);
    cr_assert_float_eq(pay[1], 0, 0);
    cr_assert_float_eq(pay[2], 0, 0);
    contract_plan_free(plan);
    scenario_free(sc);
}

Test(settle, per_cohort_cap_and_contract_cap_bind_in_date_order) {
    /* Both cohorts fall 20% (1240: 310 avoided, 310,000 each), capped at
     * 250,000 a cohort; the contract cap of 400,000 leaves 150,000 for
     * cohort 2 and nothing for the true-up (pool 620,000 - 400,000 paid). */
    scenario *sc = load_two_cohorts("\"cap\": 400000,", "250000");
    double pay[3];
    contract_plan *plan;
    settle(sc, 1240, 1240, pay, &plan);
    cr_assert_float_eq(pay[0], 250000, 1e-6);
    cr_assert_float_eq(pay[1], 150000, 1e-6);
    cr_assert_float_eq(pay[2], 0, 0);
    contract_plan_free(plan);
    scenario_free(sc);
}

Test(settle, fixed_payment_is_all_or_nothing_on_its_trigger) {
    const char *json =
        "{\"name\": \"t\", \"currency\": \"USD\","
        " \"stages\": [{\"name\": \"s\", \"duration\": 1, \"cohorts\": [{\"size\": 100}]}],"
        " \"outcomes\": [{\"name\": \"enrolled\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
        "   \"baseline\": 0.5, \"effect\": {\"scale\": \"absolute\", \"prior\": 0.1},"
        "   \"evaluation\": {\"design\": \"rct\", \"comparison_size\": 100}}],"
        " \"contract\": {\"payments\": [{\"outcome\": \"enrolled\", \"type\": \"fixed\","
        "   \"amount\": 50000, \"trigger\": 0.05}]}}";
    scenario *sc = must_load_string(json);
    contract_plan *plan = contract_plan_new(sc);
    double pay[1];
    cohort_obs hit = {100, 56, 100, 50}, miss = {100, 54, 100, 50};
    settle_all(sc, plan, &hit, pay);
    cr_assert_float_eq(pay[0], 50000, 0); /* 6 points >= 5 */
    settle_all(sc, plan, &miss, pay);
    cr_assert_float_eq(pay[0], 0, 0); /* 4 points < 5 */
    contract_plan_free(plan);
    scenario_free(sc);
}

Test(settle, per_unit_without_trigger_never_pays_for_a_worsening) {
    const char *json =
        "{\"name\": \"t\", \"currency\": \"USD\","
        " \"stages\": [{\"name\": \"s\", \"duration\": 1, \"cohorts\": [{\"size\": 100}]}],"
        " \"outcomes\": [{\"name\": \"jobs\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
        "   \"baseline\": 0.3, \"effect\": {\"prior\": 0.2},"
        "   \"evaluation\": {\"design\": \"rct\", \"comparison_size\": 200}}],"
        " \"contract\": {\"payments\": [{\"outcome\": \"jobs\", \"type\": \"per_unit\", \"price\": 700}]}}";
    scenario *sc = must_load_string(json);
    contract_plan *plan = contract_plan_new(sc);
    double pay[1];
    cohort_obs better = {100, 40, 200, 60}, worse = {100, 25, 200, 60};
    settle_all(sc, plan, &better, pay);
    cr_assert_float_eq(pay[0], 700 * 100 * (0.40 - 0.30), 1e-9);
    settle_all(sc, plan, &worse, pay);
    cr_assert_float_eq(pay[0], 0, 0);
    contract_plan_free(plan);
    scenario_free(sc);
}

/* ---------------------------------------------- the other payment shapes */

/* One stage of one cohort of 100 (RCT, 100 controls) and the given
 * payments on a rate outcome where higher is better (baseline 0.5). */
static scenario *one_cohort(const char *payments, const char *contract_extra) {
    char json[4096];
    snprintf(json, sizeof json,
             "{\"name\": \"t\", \"currency\": \"USD\","
             " \"stages\": [{\"name\": \"s\", \"duration\": 1, \"cohorts\": [{\"size\": 100}]}],"
             " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
             "   \"baseline\": 0.5, \"effect\": {\"prior\": 0.1},"
             "   \"evaluation\": {\"design\": \"rct\", \"comparison_size\": 100}}],"
             " \"contract\": {%s \"payments\": [%s]}}",
             contract_extra, payments);
    return must_load_string(json);
}

/* Settle one cohort's measurement (treated successes t of 100, comparison
 * c of 100) and return the plan's payments in pay[]. */
static size_t settle_one(const scenario *sc, double t, double c, double stop, double *pay,
                         double *paid_by) {
    contract_plan *plan = contract_plan_new(sc);
    cohort_obs obs = {100, t, 100, c};
    double scratch[256];
    cr_assert(contract_scratch_size(sc) <= 256);
    contract_settle(sc, plan, &obs, stop, pay, paid_by, NULL, scratch);
    size_t n = plan->n_events;
    contract_plan_free(plan);
    return n;
}

Test(settle, per_outcome_pays_every_outcome_achieved_not_the_improvement) {
    /* 56 of 100 achieved: 56 x 10 = 560, though only 6 more than controls. */
    scenario *sc = one_cohort("{\"outcome\": \"o\", \"type\": \"per_outcome\", \"price\": 10}", "");
    double pay[4], by[4];
    settle_one(sc, 56, 50, HUGE_VAL, pay, by);
    cr_assert_float_eq(pay[0], 560, 1e-9);
    scenario_free(sc);
}

Test(settle, linear_pays_in_proportion_between_floor_and_ceiling) {
    /* Relative effect (y_t - 0.5) / 0.5: 0.55 -> 10%, halfway from 5% to 15%. */
    scenario *sc = one_cohort("{\"outcome\": \"o\", \"type\": \"linear\", \"amount\": 1000,"
                              " \"floor\": 0.05, \"ceiling\": 0.15}", "");
    double pay[4], by[4];
    settle_one(sc, 55, 50, HUGE_VAL, pay, by);
    cr_assert_float_eq(pay[0], 500, 1e-9);
    settle_one(sc, 60, 50, HUGE_VAL, pay, by); /* 20%: above the ceiling, the full amount */
    cr_assert_float_eq(pay[0], 1000, 1e-9);
    settle_one(sc, 52, 50, HUGE_VAL, pay, by); /* 4%: below the floor */
    cr_assert_float_eq(pay[0], 0, 0);
    scenario_free(sc);
}

Test(settle, tiered_pays_the_band_the_effect_reaches) {
    /* The Rikers shape: 8.5% -> a partial amount, 10% -> the capital, and a
     * price per unit from 20%. */
    scenario *sc = one_cohort("{\"outcome\": \"o\", \"type\": \"tiered\", \"bands\": ["
                              " {\"from\": 0.085, \"amount\": 4800},"
                              " {\"from\": 0.10, \"amount\": 9600},"
                              " {\"from\": 0.20, \"price\": 1000}]}", "");
    double pay[4], by[4];
    settle_one(sc, 54, 50, HUGE_VAL, pay, by); /* 8% */
    cr_assert_float_eq(pay[0], 0, 0);
    settle_one(sc, 54.5, 50, HUGE_VAL, pay, by); /* 9% */
    cr_assert_float_eq(pay[0], 4800, 0);
    settle_one(sc, 56, 50, HUGE_VAL, pay, by); /* 12% */
    cr_assert_float_eq(pay[0], 9600, 0);
    settle_one(sc, 61, 50, HUGE_VAL, pay, by); /* 22%: 11 units over controls at 1000 */
    cr_assert_float_eq(pay[0], 11000, 1e-9);
    scenario_free(sc);
}

Test(settle, savings_share_pays_the_higher_share_until_the_balance_is_repaid) {
    /* Savings 1,000 per unit, 10 units a year (60 vs 50), for two yearly
     * installments: S = 10,000 each. Share 95% until 12,000 is repaid (no
     * interest), then 40%.
     *   year 1: 0.95 x 10,000 = 9,500 (balance 12,000 -> 2,500)
     *   year 2: 2,500 repays the balance using 2,500 / 0.95 = 2,631.58 of
     *           the savings; the other 7,368.42 at 40% = 2,947.37;
     *           paid 5,447.37. */
    scenario *sc = one_cohort("{\"outcome\": \"o\", \"type\": \"savings_share\", \"value\": 1000,"
                              " \"share\": 0.95, \"share_after\": 0.4,"
                              " \"until_repaid\": {\"amount\": 12000},"
                              " \"installments\": 2, \"interval\": 1}", "");
    double pay[4], by[4];
    cr_assert_eq(settle_one(sc, 60, 50, HUGE_VAL, pay, by), 2);
    cr_assert_float_eq(pay[0], 9500, 1e-9);
    cr_assert_float_eq(pay[1], 2500 + 0.4 * (10000 - 2500 / 0.95), 1e-9);
    cr_assert_float_eq(pay[1], 5447.368421, 1e-5);
    scenario_free(sc);
}

Test(settle, savings_balance_accrues_interest_between_installments) {
    /* Balance 20,000 at 10% a year from time 0; the cohort enrols at once
     * and is measured at t = 0, so payments fall at t = 0, 1, 2:
     *   t=0: owed 20,000; 95% of 10,000 = 9,500 paid; 10,500 left;
     *   t=1: owed 11,550; 9,500 paid; 2,050 left;
     *   t=2: owed 2,255 < 9,500: the balance at 95%, the rest at 40%. */
    scenario *sc = one_cohort("{\"outcome\": \"o\", \"type\": \"savings_share\", \"value\": 1000,"
                              " \"share\": 0.95, \"share_after\": 0.4,"
                              " \"until_repaid\": {\"amount\": 20000, \"rate\": 0.10},"
                              " \"installments\": 3, \"interval\": 1}", "");
    double pay[4], by[4];
    cr_assert_eq(settle_one(sc, 60, 50, HUGE_VAL, pay, by), 3);
    cr_assert_float_eq(pay[0], 9500, 1e-9);
    cr_assert_float_eq(pay[1], 9500, 1e-9);
    double owed = 2255;
    cr_assert_float_eq(pay[2], owed + 0.4 * (10000 - owed / 0.95), 1e-6);
    scenario_free(sc);
}

Test(settle, a_savings_balance_accrues_from_its_last_assessment_when_one_was_skipped) {
    /* Balance 20,000 at 10% a year from time 0; savings 13,000 an
     * assessment (100 units x 130), 95% (12,350) until repaid, then 40%; two
     * cohorts, each assessed twice, a year apart: c1 at t = 1, 2, c2 at
     * t = 2, 3. The plan precomputes each event's growth for a balance last
     * assessed at the event before; with c1 unmeasured (no one ran) its
     * events are skipped, and the balance must accrue from t = 0. */
    const char *json =
        "{\"name\": \"t\", \"currency\": \"USD\","
        " \"stages\": [{\"name\": \"s\", \"duration\": 2, \"cohorts\": ["
        "   {\"size\": 100, \"entry\": 0, \"enrolment\": 1},"
        "   {\"size\": 100, \"entry\": 1, \"enrolment\": 1}]}],"
        " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
        "   \"baseline\": 0.5, \"effect\": {\"prior\": 0}, \"evaluation\": {\"design\": \"validated_count\"}}],"
        " \"contract\": {\"payments\": [{\"outcome\": \"o\", \"type\": \"savings_share\","
        "   \"value\": 130, \"share\": 0.95, \"share_after\": 0.4,"
        "   \"until_repaid\": {\"amount\": 20000, \"rate\": 0.10}, \"installments\": 2,"
        "   \"interval\": 1}]}}";
    scenario *sc = must_load_string(json);
    contract_plan *plan = contract_plan_new(sc);
    cr_assert_eq(plan->n_events, 4);
    double pay[4];
    /* Both assessed. t=1: 22,000 owed, 12,350 paid, 9,650 left; t=2 (c1):
     * 10,615 owed < 12,350: 10,615 + 0.4 (13,000 - 10,615 / 0.95); then
     * nothing owed: 40% of 13,000 at t = 2 (c2) and t = 3. */
    cohort_obs both[2] = {{100, 100, 0, 0}, {100, 100, 0, 0}};
    settle_all(sc, plan, both, pay);
    cr_assert_float_eq(pay[0], 12350, 1e-9);
    cr_assert_float_eq(pay[1], 10615 + 0.4 * (13000 - 10615 / 0.95), 1e-6);
    cr_assert_float_eq(pay[2], 5200, 1e-9);
    cr_assert_float_eq(pay[3], 5200, 1e-9);
    /* c1 skipped. t=2 (c2): 20,000 x 1.1^2 = 24,200 owed, 12,350 paid,
     * 11,850 left; t=3: 13,035 owed >= 12,350: 12,350 again. (The plan's
     * growth, for a balance as of t = 2, the event before, would leave
     * 20,000 owed at t = 2, then 7,650 x 1.1 = 8,415 at t = 3.) */
    cohort_obs skip[2] = {{0, 0, 0, 0}, {100, 100, 0, 0}};
    settle_all(sc, plan, skip, pay);
    cr_assert_float_eq(pay[0], 0, 0);
    cr_assert_float_eq(pay[1], 0, 0);
    cr_assert_float_eq(pay[2], 12350, 1e-9);
    cr_assert_float_eq(pay[3], 12350, 1e-9);
    contract_plan_free(plan);
    scenario_free(sc);
}

Test(settle, installments_repeat_the_amount_within_the_rule_cap) {
    /* 6 units x 100 = 600 a year for 3 years, capped at 1,500 in all. */
    scenario *sc = one_cohort("{\"outcome\": \"o\", \"type\": \"per_unit\", \"price\": 100,"
                              " \"installments\": 3, \"interval\": 0.5, \"cap\": 1500}", "");
    double pay[4], by[4];
    cr_assert_eq(settle_one(sc, 56, 50, HUGE_VAL, pay, by), 3);
    cr_assert_float_eq(pay[0], 600, 1e-9);
    cr_assert_float_eq(pay[1], 600, 1e-9);
    cr_assert_float_eq(pay[2], 300, 1e-9);
    scenario_free(sc);
}

Test(settle, payers_split_each_payment_within_their_own_caps) {
    /* 1,000 due; the ministry pays 70%, the fund 30% up to 200. */
    scenario *sc = one_cohort("{\"outcome\": \"o\", \"type\": \"fixed\", \"amount\": 1000,"
                              " \"trigger\": 0}",
                              "\"payers\": [{\"name\": \"ministry\", \"share\": 0.7},"
                              " {\"name\": \"fund\", \"share\": 0.3, \"cap\": 200}],");
    double pay[4], by[4];
    settle_one(sc, 55, 50, HUGE_VAL, pay, by);
    cr_assert_float_eq(by[0], 700, 1e-9);
    cr_assert_float_eq(by[1], 200, 1e-9);
    cr_assert_float_eq(pay[0], 900, 1e-9);
    scenario_free(sc);
}

Test(settle, outcome_cap_bounds_all_rules_on_that_outcome) {
    scenario *sc = one_cohort("{\"name\": \"a\", \"outcome\": \"o\", \"type\": \"fixed\","
                              " \"amount\": 700, \"trigger\": 0},"
                              "{\"name\": \"b\", \"outcome\": \"o\", \"type\": \"fixed\","
                              " \"amount\": 700, \"trigger\": 0}",
                              "\"outcome_caps\": {\"o\": 1000},");
    double pay[4], by[4];
    settle_one(sc, 55, 50, HUGE_VAL, pay, by);
    cr_assert_float_eq(pay[0] + pay[1], 1000, 1e-9);
    scenario_free(sc);
}

Test(settle, nothing_is_paid_after_the_programme_stops) {
    /* Enrolled and measured at t = 0, paid at 0.5: a failure at 0.3 stops it. */
    scenario *sc = one_cohort("{\"outcome\": \"o\", \"type\": \"fixed\", \"amount\": 1000,"
                              " \"trigger\": 0, \"lag\": 0.5}", "");
    double pay[4], by[4];
    settle_one(sc, 55, 50, 0.3, pay, by);
    cr_assert_float_eq(pay[0], 0, 0);
    settle_one(sc, 55, 50, 0.6, pay, by);
    cr_assert_float_eq(pay[0], 1000, 0);
    scenario_free(sc);
}

Test(settle, validated_counts_pay_for_outcomes_achieved_with_no_counterfactual) {
    /* The Utah shape: 110 at-risk children, 1 used special education: 109
     * outcomes "achieved" at 2,578 = 281,002, whatever would have happened
     * without the programme. */
    const char *json =
        "{\"name\": \"t\", \"currency\": \"USD\","
        " \"stages\": [{\"name\": \"s\", \"duration\": 1, \"cohorts\": [{\"size\": 110}]}],"
        " \"outcomes\": [{\"name\": \"sped\", \"kind\": \"rate\", \"direction\": \"lower_is_better\","
        "   \"baseline\": 0.3, \"effect\": {\"prior\": 0.5},"
        "   \"evaluation\": {\"design\": \"validated_count\"}}],"
        " \"contract\": {\"payments\": [{\"outcome\": \"sped\", \"type\": \"per_outcome\","
        "   \"price\": 2578}]}}";
    scenario *sc = must_load_string(json);
    contract_plan *plan = contract_plan_new(sc);
    cohort_obs obs = {110, 1, 0, 0};
    double pay[2];
    settle_all(sc, plan, &obs, pay);
    cr_assert_float_eq(pay[0], 109 * 2578.0, 1e-6);
    contract_plan_free(plan);
    scenario_free(sc);
}

Test(settle, a_stage_true_up_nets_only_that_stages_cohort_payments) {
    /* Two stages of one cohort each; a cohort rule pays 100 a unit over a
     * 10% trigger; a stage rule for stage "b" pays 100 a unit pooled over b's
     * cohorts with a true-up. Stage a's cohort payment must not be netted. */
    const char *json =
        "{\"name\": \"t\", \"currency\": \"USD\","
        " \"stages\": [{\"name\": \"a\", \"duration\": 1, \"cohorts\": [{\"size\": 100}]},"
        "   {\"name\": \"b\", \"start\": 1, \"duration\": 1, \"cohorts\": [{\"size\": 100, \"entry\": 1}]}],"
        " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
        "   \"baseline\": 0.5, \"effect\": {\"prior\": 0.1},"
        "   \"evaluation\": {\"design\": \"rct\", \"comparison_size\": 100}}],"
        " \"contract\": {\"payments\": ["
        "   {\"name\": \"cohort\", \"outcome\": \"o\", \"type\": \"per_unit\", \"price\": 100, \"trigger\": 0.1},"
        "   {\"name\": \"stage b\", \"outcome\": \"o\", \"type\": \"per_unit\", \"price\": 100,"
        "    \"scope\": \"stage\", \"stage\": \"b\", \"true_up\": true}]}}";
    scenario *sc = must_load_string(json);
    contract_plan *plan = contract_plan_new(sc);
    cr_assert_eq(plan->n_events, 3);
    /* a: 60 vs 50 (20%): 1,000 by the cohort rule. b: 54 vs 50 (8%): no
     * cohort payment; the stage rule pays 4 x 100 = 400 for b alone. */
    cohort_obs obs[2] = {{100, 60, 100, 50}, {100, 54, 100, 50}};
    double pay[3];
    settle_all(sc, plan, obs, pay);
    double by_rule[2] = {0, 0};
    for (size_t k = 0; k < plan->n_events; k++) by_rule[plan->events[k].rule] += pay[k];
    cr_assert_float_eq(by_rule[0], 1000, 1e-9);
    cr_assert_float_eq(by_rule[1], 400, 1e-9);
    contract_plan_free(plan);
    scenario_free(sc);
}

Test(settle, a_cohort_that_did_not_run_is_neither_paid_nor_pooled) {
    scenario *sc = load_two_cohorts("", "1e12");
    contract_plan *plan = contract_plan_new(sc);
    /* Cohort 2 never ran; the pool is cohort 1 alone: 12% fall, 186 units,
     * already paid by the cohort rule; the true-up adds nothing. */
    cohort_obs obs[2] = {{1000, 1364, 10000, 15500}, {0, 0, 0, 0}};
    double pay[3];
    settle_all(sc, plan, obs, pay);
    cr_assert_float_eq(pay[0], 186000, 1e-6);
    cr_assert_float_eq(pay[1], 0, 0);
    cr_assert_float_eq(pay[2], 0, 0);
    contract_plan_free(plan);
    scenario_free(sc);
}

Test(settle, a_savings_balance_accrues_no_interest_before_it_starts) {
    /* 100 achieved a year, all of it paid (share 1, then 0) until 250 is
     * repaid; the balance accrues 10% a year only from year 5. Installments
     * at t = 1..5: 100, 100, then the 50 left; nothing after. */
    const char *json =
        "{\"name\": \"t\", \"currency\": \"USD\","
        " \"stages\": [{\"name\": \"s\", \"duration\": 1, \"cohorts\": [{\"size\": 100}]}],"
        " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
        "   \"baseline\": 0.5, \"effect\": {\"prior\": 0}, \"observation_lag\": 1,"
        "   \"evaluation\": {\"design\": \"validated_count\"}}],"
        " \"contract\": {\"payments\": [{\"outcome\": \"o\", \"type\": \"savings_share\","
        "   \"value\": 1, \"share\": 1, \"share_after\": 0,"
        "   \"until_repaid\": {\"amount\": 250, \"rate\": 0.10, \"from\": 5},"
        "   \"installments\": 5, \"interval\": 1}]}}";
    scenario *sc = must_load_string(json);
    contract_plan *plan = contract_plan_new(sc);
    cohort_obs obs = {100, 100, 0, 0};
    double pay[5];
    settle_all(sc, plan, &obs, pay);
    cr_assert_float_eq(pay[0], 100, 1e-9);
    cr_assert_float_eq(pay[1], 100, 1e-9);
    cr_assert_float_eq(pay[2], 50, 1e-9);
    cr_assert_float_eq(pay[3], 0, 0);
    cr_assert_float_eq(pay[4], 0, 0);
    contract_plan_free(plan);
    scenario_free(sc);
}

Test(settle, a_capped_savings_payment_repays_only_what_it_paid) {
    /* Savings 10,000 a year (100 units x 100), 95% until 12,000 is repaid,
     * then 40%; at most 9,000 a cohort payment. Year 1: 9,500 capped to
     * 9,000 -- the balance falls by 9,000 to 3,000 (not by 9,500).
     * Year 2: 3,000 at 95% uses 3,157.89 of the savings; 40% of the other
     * 6,842.11 is 2,736.84; 5,736.84 in all. Total 14,736.84. */
    const char *json =
        "{\"name\": \"t\", \"currency\": \"USD\","
        " \"stages\": [{\"name\": \"s\", \"duration\": 1, \"cohorts\": [{\"size\": 100}]}],"
        " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
        "   \"baseline\": 0.5, \"effect\": {\"prior\": 0}, \"evaluation\": {\"design\": \"validated_count\"}}],"
        " \"contract\": {\"payments\": [{\"outcome\": \"o\", \"type\": \"savings_share\","
        "   \"value\": 100, \"share\": 0.95, \"share_after\": 0.4, \"until_repaid\": {\"amount\": 12000},"
        "   \"installments\": 2, \"cap_per_cohort\": 9000}]}}";
    scenario *sc = must_load_string(json);
    contract_plan *plan = contract_plan_new(sc);
    cohort_obs obs = {100, 100, 0, 0};
    double pay[2];
    settle_all(sc, plan, &obs, pay);
    cr_assert_float_eq(pay[0], 9000, 1e-9);
    cr_assert_float_eq(pay[1], 3000 + 0.4 * (10000 - 3000 / 0.95), 1e-9);
    cr_assert_float_eq(pay[0] + pay[1], 14736.842105, 1e-5);
    contract_plan_free(plan);
    scenario_free(sc);
}

Test(settle, return_bands_repay_the_principal_with_the_band_return_newpin_shape) {
    /* Principal 1,000 from t = 0, paid at t = 1 (measured at 0, lag 1):
     * below 5% nothing; from 5% the principal at 3% a year; from 15% at 10%. */
    scenario *sc = one_cohort("{\"outcome\": \"o\", \"type\": \"tiered\", \"principal\": 1000,"
                              " \"lag\": 1, \"bands\": ["
                              " {\"from\": 0.05, \"return\": 0.03},"
                              " {\"from\": 0.15, \"return\": 0.10}]}", "");
    double pay[4], by[4];
    settle_one(sc, 52, 50, HUGE_VAL, pay, by); /* 4% */
    cr_assert_float_eq(pay[0], 0, 0);
    settle_one(sc, 55, 50, HUGE_VAL, pay, by); /* 10% */
    cr_assert_float_eq(pay[0], 1030, 1e-9);
    settle_one(sc, 60, 50, HUGE_VAL, pay, by); /* 20% */
    cr_assert_float_eq(pay[0], 1100, 1e-9);
    scenario_free(sc);
}
