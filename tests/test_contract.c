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
    contract_settle(sc, plan, obs, HUGE_VAL, pay, paid_by, scratch);
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
