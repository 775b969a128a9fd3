/* test_ledger.c -- one future's ledger reconciled by hand, line by line and
 * period by period, and its totals against the metrics: one source of
 * truth, as an analyst would check a spreadsheet. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>

#include "../model/finance.h"
#include "../model/ledger.h"
#include "../sim/engine.h"
#include "../sim/sample.h"
#include "helpers.h"

static void setup(void) { gsl_set_error_handler_off(); }
TestSuite(ledger, .init = setup);

/* The amounts of a line, period by period, against the hand figures. */
static void assert_flows(const ledger *l, const char *group, const char *key,
                         const double *expect) {
    ledger_line x = must_ledger_line(l, group, key);
    for (size_t t = 0; t < l->periods; t++)
        cr_assert_float_eq(x.flow[t], expect[t], 1e-9, "%s/%s, period %zu: %.12g, by hand %.12g",
                           group, key, t, x.flow[t], expect[t]);
}

/* The sum of a line's amounts (flow, not the shown sign). */
static double sum_of(const ledger *l, const char *group, const char *key) {
    ledger_line x = must_ledger_line(l, group, key);
    double s = 0;
    for (size_t t = 0; t < l->periods; t++) s += x.flow[t];
    return s;
}

/* A pilot and a scale-up on a quarterly grid, two payment rules, two
 * payers, a grant, a SIB with a senior and a junior tranche, each
 * guaranteed, and a blend of the two (the grant for the pilot, the SIB for
 * the scale-up). The expected case takes the uniform effect at its mean 0.1
 * and the uniform volume at its mean 1, and every count at its
 * expectation. */
static const char *ledger_json =
    "{\"name\": \"ledger\", \"currency\": \"GBP\", \"simulation\": {\"seed\": 17},"
    " \"stages\": ["
    "   {\"name\": \"pilot\", \"duration\": 1,"
    "    \"costs\": {\"setup\": 40, \"fixed_per_year\": 80, \"per_participant\": 1},"
    "    \"volume\": {\"dist\": \"uniform\", \"min\": 0.5, \"max\": 1.5},"
    "    \"cohorts\": [{\"size\": 100, \"enrolment\": 0.5}]},"
    "   {\"name\": \"scale\", \"start\": 1, \"duration\": 1,"
    "    \"costs\": {\"fixed_per_year\": 40, \"per_participant\": 0.5},"
    "    \"cohorts\": [{\"size\": 100, \"entry\": 1}]}],"
    " \"outcomes\": [{\"name\": \"job\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
    "   \"baseline\": 0.4, \"observation_lag\": 1,"
    "   \"effect\": {\"scale\": \"absolute\", \"prior\": {\"dist\": \"uniform\", \"min\": 0.05, \"max\": 0.15}},"
    "   \"evaluation\": {\"design\": \"validated_count\"}}],"
    " \"contract\": {\"payments\": ["
    "   {\"name\": \"a\", \"outcome\": \"job\", \"type\": \"per_outcome\", \"price\": 2, \"lag\": 0.25},"
    "   {\"name\": \"b\", \"outcome\": \"job\", \"type\": \"fixed\", \"amount\": 30, \"trigger\": 0.45,"
    "    \"scope\": \"programme\", \"lag\": 0.5}],"
    "  \"payers\": [{\"name\": \"city\", \"share\": 0.75}, {\"name\": \"fund\", \"share\": 0.25}]},"
    " \"financing\": ["
    "   {\"name\": \"G\", \"type\": \"grant\"},"
    "   {\"name\": \"S\", \"type\": \"sib\","
    "    \"tranches\": [{\"name\": \"senior\", \"commitment\": 300, \"coupon\": 0},"
    "                   {\"name\": \"junior\", \"kind\": \"subordinated\", \"commitment\": 100}],"
    "    \"guarantees\": ["
    "      {\"name\": \"backstop\", \"tranche\": \"junior\", \"kind\": \"first_loss\", \"amount\": 50,"
    "       \"fee\": 0.1, \"fee_paid_by\": \"commissioner\"},"
    "      {\"name\": \"wrap\", \"tranche\": \"senior\", \"kind\": \"pro_rata\", \"share\": 0.4,"
    "       \"max\": 100, \"fee\": 0.02}]},"
    "   {\"name\": \"B\", \"type\": \"by_stage\", \"stages\": {\"pilot\": \"G\", \"scale\": \"S\"}}]}";

/* The hand figures of the expected case (T = 11 quarters, 0 .. 2.5 years).
 *
 * Grid: the latest date is rule b's payment at 2.5 years: 2.5 x 4 + 1 = 11.
 * Costs. Pilot: setup 40 in period 0; fixed 80 a year over [0, 1): 20 in
 *   each of periods 0-3; 100 people (100 x volume 1) at 1 each over the
 *   enrolment [0, 0.5): 50 in periods 0 and 1. So 110, 70, 20, 20 = 220.
 *   Scale: fixed 40 a year over [1, 2): 10 in periods 4-7; 100 people at
 *   0.5 with no enrolment period: 50 at entry (period 4). So 60, 10, 10,
 *   10 = 90. Every stage: 310.
 * Outcomes: treated rate 0.4 + 0.1 = 0.5, so 50 of each cohort of 100 are
 *   counted. Rule a pays 2 x 50 = 100 a cohort: the pilot's cohort is
 *   counted at 0 + 0.5 + 1 = 1.5 and paid at 1.75 (period 7), the
 *   scale-up's at 1 + 0 + 1 = 2 and paid at 2.25 (period 9). Rule b pools
 *   both: 100 / 200 = 0.5 >= 0.45, pays 30 when the last cohort is counted
 *   (2.0) plus 0.5: 2.5 (period 10). Payments 230: the city 3/4 (75, 75,
 *   22.5 = 172.5), the fund 1/4 (25, 25, 7.5 = 57.5).
 * Settlement: both stages ran (the last ends at 2); the last contract event
 *   is rule b's at 2.5: period 10.
 * SIB. Draws are pro rata to the undrawn commitments, 300 : 100, a ratio
 *   every draw keeps: the senior draws 3/4 of each cost (82.5, 52.5, 15, 15,
 *   45, 7.5, 7.5, 7.5 = 232.5), the junior 1/4 (27.5, 17.5, 5, 5, 15, 2.5,
 *   2.5, 2.5 = 77.5). The senior (priority 1, a coupon of 0: owed what it
 *   drew) takes every payment: 100 at 7, 100 at 9, 30 at 10, all of it
 *   principal: 230 of 232.5, 2.5 lost. The junior (equity) gets nothing:
 *   77.5 lost.
 *   backstop: first loss 50 on the junior: min(77.5, 50) = 50 in period 10;
 *   its fee 10% a year on 50: 1.25 a quarter in periods 0-9 (from the
 *   junior's first draw until the call): 12.5, paid by the commissioner.
 *   wrap: 40% of the senior's loss up to 100: 0.4 x 2.5 = 1 in period 10;
 *   its cover min(100, 0.4 x 300) = 100 at 2% a year: 0.5 a quarter in
 *   periods 0-9, 5 in all, paid by the senior.
 *   Senior, net: -82.5 - 0.5 = -83, -53, -15.5, -15.5, -45.5, -8, -8,
 *   100 - 7.5 - 0.5 = 92, -0.5, 99.5, 30 + 1 = 31: -6.5 in all.
 *   Junior, net: minus its draws, then +50 in period 10: -27.5.
 *   Commissioner: the payments plus the backstop's fee: 1.25 in 0-6 and 8,
 *   101.25 in 7 and 9, 30 in 10: 242.5. Nothing is returned: the junior
 *   is equity. */
static const double COSTS_PILOT[11] = {110, 70, 20, 20, 0, 0, 0, 0, 0, 0, 0};
static const double COSTS_SCALE[11] = {0, 0, 0, 0, 60, 10, 10, 10, 0, 0, 0};
static const double COSTS[11] = {110, 70, 20, 20, 60, 10, 10, 10, 0, 0, 0};
static const double PAY_A[11] = {0, 0, 0, 0, 0, 0, 0, 100, 0, 100, 0};
static const double PAY_B[11] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 30};
static const double PAY[11] = {0, 0, 0, 0, 0, 0, 0, 100, 0, 100, 30};
static const double CITY[11] = {0, 0, 0, 0, 0, 0, 0, 75, 0, 75, 22.5};
static const double FUND[11] = {0, 0, 0, 0, 0, 0, 0, 25, 0, 25, 7.5};
static const double SENIOR_DRAWN[11] = {82.5, 52.5, 15, 15, 45, 7.5, 7.5, 7.5, 0, 0, 0};
static const double SENIOR_PRINCIPAL[11] = {0, 0, 0, 0, 0, 0, 0, 100, 0, 100, 30};
static const double SENIOR_GUAR[11] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
static const double SENIOR_FEES[11] = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0};
static const double SENIOR_NET[11] = {-83, -53, -15.5, -15.5, -45.5, -8, -8, 92, -0.5, 99.5, 31};
static const double JUNIOR_DRAWN[11] = {27.5, 17.5, 5, 5, 15, 2.5, 2.5, 2.5, 0, 0, 0};
static const double JUNIOR_GUAR[11] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 50};
static const double JUNIOR_NET[11] = {-27.5, -17.5, -5, -5, -15, -2.5, -2.5, -2.5, 0, 0, 50};
static const double BACKSTOP_FEES[11] = {1.25, 1.25, 1.25, 1.25, 1.25, 1.25, 1.25, 1.25, 1.25, 1.25, 0};
static const double COMMISSIONER[11] = {1.25, 1.25, 1.25,   1.25, 1.25, 1.25,
                                        1.25, 101.25, 1.25, 101.25, 30};
static const double ZERO[11] = {0};
static const double ZERO21[21] = {0};

Test(ledger, the_expected_case_reconciles_with_the_hand_figures_line_by_line) {
    scenario *sc = must_load_string(ledger_json);
    engine *e = must_engine(sc);
    cr_assert_eq(engine_periods(e), 11);
    ledger *l = engine_ledger_new(e);
    sib_error err;
    cr_assert_eq(engine_expected_ledger(e, l, NULL, NULL, &err), SIB_OK, "%s", err.message);
    cr_assert_eq(l->periods, 11);
    cr_assert_eq(l->settle, 10);
    /* The programme and the contract. */
    assert_flows(l, "programme", "cost.pilot", COSTS_PILOT);
    assert_flows(l, "programme", "cost.scale", COSTS_SCALE);
    assert_flows(l, "programme", "cost.total", COSTS);
    assert_flows(l, "contract", "payment.a", PAY_A);
    assert_flows(l, "contract", "payment.b", PAY_B);
    assert_flows(l, "contract", "payer.city", CITY);
    assert_flows(l, "contract", "payer.fund", FUND);
    assert_flows(l, "contract", "payments.total", PAY);
    /* The grant pays the costs as they fall due. */
    assert_flows(l, "G", "commissioner.costs", COSTS);
    assert_flows(l, "G", "commissioner.net", COSTS);
    /* The SIB, party by party. */
    assert_flows(l, "S", "commissioner.payments", PAY);
    assert_flows(l, "S", "commissioner.returned", ZERO);
    assert_flows(l, "S", "commissioner.guarantee_fees", BACKSTOP_FEES);
    assert_flows(l, "S", "commissioner.net", COMMISSIONER);
    assert_flows(l, "S", "provider.funded", COSTS);
    assert_flows(l, "S", "provider.costs", COSTS);
    assert_flows(l, "S", "provider.surplus", ZERO);
    assert_flows(l, "S", "provider.net", ZERO);
    assert_flows(l, "S", "fees", ZERO);
    assert_flows(l, "S", "senior.drawn", SENIOR_DRAWN);
    assert_flows(l, "S", "senior.principal", SENIOR_PRINCIPAL);
    assert_flows(l, "S", "senior.return", ZERO);
    assert_flows(l, "S", "senior.guarantee", SENIOR_GUAR);
    assert_flows(l, "S", "senior.guarantee_fees", SENIOR_FEES);
    assert_flows(l, "S", "senior.net", SENIOR_NET);
    assert_flows(l, "S", "junior.drawn", JUNIOR_DRAWN);
    assert_flows(l, "S", "junior.principal", ZERO);
    assert_flows(l, "S", "junior.return", ZERO);
    assert_flows(l, "S", "junior.guarantee", JUNIOR_GUAR);
    assert_flows(l, "S", "junior.guarantee_fees", ZERO);
    assert_flows(l, "S", "junior.net", JUNIOR_NET);
    assert_flows(l, "S", "guarantor.backstop.fees", BACKSTOP_FEES);
    assert_flows(l, "S", "guarantor.backstop.calls", JUNIOR_GUAR);
    assert_flows(l, "S", "guarantor.wrap.fees", SENIOR_FEES);
    assert_flows(l, "S", "guarantor.wrap.calls", SENIOR_GUAR);
    ledger_free(l);
    engine_free(e);
    scenario_free(sc);
}

Test(ledger, a_lines_shown_total_takes_its_sign_and_can_stop_at_a_date) {
    scenario *sc = must_load_string(ledger_json);
    engine *e = must_engine(sc);
    ledger *l = engine_ledger_new(e);
    sib_error err;
    cr_assert_eq(engine_expected_ledger(e, l, NULL, NULL, &err), SIB_OK);
    /* Paid (sign -1): the senior's draws show as -232.5; received (+1): its
     * principal as +230; the commissioner's net outlay as -242.5. */
    ledger_line d = must_ledger_line(l, "S", "senior.drawn");
    cr_assert_eq(d.sign, -1);
    cr_assert_float_eq(ledger_line_total(l, &d, SIZE_MAX), -232.5, 1e-9);
    ledger_line p = must_ledger_line(l, "S", "senior.principal");
    cr_assert_eq(p.sign, 1);
    cr_assert_float_eq(ledger_line_total(l, &p, SIZE_MAX), 230, 1e-9);
    ledger_line c = must_ledger_line(l, "S", "commissioner.net");
    cr_assert(c.net && c.sign == -1);
    cr_assert_float_eq(ledger_line_total(l, &c, SIZE_MAX), -242.5, 1e-9);
    /* Up to 2 years (period 8): the city has paid only its 75 of period 7;
     * a payer pays (sign -1), and the line's amount is what it paid. */
    ledger_line city = must_ledger_line(l, "contract", "payer.city");
    cr_assert_eq(city.sign, -1);
    cr_assert_float_eq(ledger_line_total(l, &city, 8), -75, 1e-9);
    cr_assert_float_eq(ledger_line_total(l, &city, 9), -150, 1e-9);
    cr_assert_float_eq(ledger_line_amount(l, &city, 8), 75, 1e-9);
    ledger_free(l);
    engine_free(e);
    scenario_free(sc);
}

Test(ledger, the_expected_cases_metrics_are_the_totals_of_its_lines) {
    scenario *sc = must_load_string(ledger_json);
    engine *e = must_engine(sc);
    ledger *l = engine_ledger_new(e);
    size_t m = engine_metric_count(e);
    double *v = calloc(m, sizeof *v), x[2];
    sib_error err;
    cr_assert_eq(engine_expected_ledger(e, l, v, x, &err), SIB_OK);
    /* The inputs at their means: effect (0.05 + 0.15) / 2, volume (0.5 + 1.5) / 2. */
    cr_assert_float_eq(x[0], 0.1, 1e-15);
    cr_assert_float_eq(x[1], 1.0, 0);
#define M(g, k) must_metric_value(e, v, g, k)
    /* By hand (see the figures above), and the same from the lines. */
    cr_assert_float_eq(M("programme", "cost.delivery"), 310, 1e-9);
    cr_assert_float_eq(M("programme", "participants"), 200, 0);
    cr_assert_float_eq(M("programme", "stages.reached"), 2, 0);
    cr_assert_float_eq(M("programme", "cost.delivery"), sum_of(l, "programme", "cost.total"), 1e-9);
    cr_assert_float_eq(M("commissioner", "payments.total"), 230, 1e-9);
    cr_assert_float_eq(M("commissioner", "payments.total"), sum_of(l, "contract", "payments.total"), 1e-9);
    cr_assert_float_eq(M("commissioner", "payments.rule.a"), 200, 1e-9);
    cr_assert_float_eq(M("commissioner", "payments.rule.a"), sum_of(l, "contract", "payment.a"), 1e-9);
    cr_assert_float_eq(M("commissioner", "payments.rule.b"), 30, 1e-9);
    cr_assert_float_eq(M("commissioner", "payments.payer.city"), 172.5, 1e-9);
    cr_assert_float_eq(M("commissioner", "payments.payer.city"), sum_of(l, "contract", "payer.city"), 1e-9);
    cr_assert_float_eq(M("commissioner", "payments.payer.fund"), 57.5, 1e-9);
    cr_assert_float_eq(M("commissioner", "payments.payer.fund"), sum_of(l, "contract", "payer.fund"), 1e-9);
    /* True outcomes: 2 cohorts x 100 x 0.1 = 20; validated counts paid for
     * 100 achieved. Cost per true outcome, this future: 230 / 20 = 11.5. */
    cr_assert_float_eq(M("programme", "outcomes.true.job"), 20, 1e-9);
    cr_assert_float_eq(M("commissioner", "cost_per_true_outcome.per_future.job"), 11.5, 1e-9);
    /* The grant: 310; the SIB: 242.5 (230 + 12.5 of fees), per true
     * outcome 242.5 / 20 = 12.125. */
    cr_assert_float_eq(M("G", "commissioner.total"), 310, 1e-9);
    cr_assert_float_eq(M("G", "commissioner.total"), sum_of(l, "G", "commissioner.net"), 1e-9);
    cr_assert_float_eq(M("S", "commissioner.total"), 242.5, 1e-9);
    cr_assert_float_eq(M("S", "commissioner.total"), sum_of(l, "S", "commissioner.net"), 1e-9);
    cr_assert_float_eq(M("S", "commissioner.cost_per_true_outcome.per_future"), 12.125, 1e-9);
    /* Its PV at 3.5% a year, by hand from the outlay above. */
    double pv = 0;
    for (size_t t = 0; t < 11; t++) pv += COMMISSIONER[t] * pow(1.035, -(double)t / 4);
    cr_assert_float_eq(M("S", "commissioner.pv"), pv, 1e-9);
    /* Largest outlay in four consecutive quarters: 7-10, 101.25 + 1.25 +
     * 101.25 + 30 = 233.75. */
    cr_assert_float_eq(M("S", "commissioner.max_annual"), 233.75, 1e-9);
    /* Capital outstanding peaks at the 300 drawn by period 6 (period 7
     * draws 10 and is repaid 100). */
    cr_assert_float_eq(M("S", "peak_capital"), 300, 1e-9);
    cr_assert_float_eq(M("S", "unfunded"), 0, 0);
    cr_assert_float_eq(M("S", "returned"), 0, 0);
    /* The senior: drew 232.5, received 230, guaranteed 1, paid 5 of fees;
     * multiple (230 + 1) / (232.5 + 5) = 0.97263; loss 237.5 - 231 = 6.5. */
    cr_assert_float_eq(M("S", "senior.drawn"), 232.5, 1e-9);
    cr_assert_float_eq(M("S", "senior.drawn"), sum_of(l, "S", "senior.drawn"), 1e-9);
    cr_assert_float_eq(M("S", "senior.received"), 230, 1e-9);
    cr_assert_float_eq(M("S", "senior.received"),
                       sum_of(l, "S", "senior.principal") + sum_of(l, "S", "senior.return"), 1e-9);
    cr_assert_float_eq(M("S", "senior.guaranteed"), 1, 1e-9);
    cr_assert_float_eq(M("S", "senior.guaranteed"), sum_of(l, "S", "senior.guarantee"), 1e-9);
    cr_assert_float_eq(M("S", "senior.guarantee_fees"), 5, 1e-9);
    cr_assert_float_eq(M("S", "senior.guarantee_fees"), sum_of(l, "S", "senior.guarantee_fees"), 1e-9);
    cr_assert_float_eq(M("S", "senior.moic"), 231 / 237.5, 1e-12);
    cr_assert_float_eq(M("S", "senior.loss"), 6.5, 1e-9);
    cr_assert_float_eq(M("S", "senior.loss"), -sum_of(l, "S", "senior.net"), 1e-9);
    cr_assert_float_eq(M("S", "senior.p_loss"), 1, 0);
    cr_assert_float_eq(M("S", "senior.full_repayment"), 0, 0);
    cr_assert_float_eq(M("S", "senior.drawn_any"), 1, 0);
    double npv = finance_npv(SENIOR_NET, 11, 4, 0.035);
    cr_assert_float_eq(M("S", "senior.npv"), npv, 1e-9);
    /* The junior: drew 77.5, received nothing, recovered 50: 50 / 77.5. */
    cr_assert_float_eq(M("S", "junior.drawn"), 77.5, 1e-9);
    cr_assert_float_eq(M("S", "junior.drawn"), sum_of(l, "S", "junior.drawn"), 1e-9);
    cr_assert_float_eq(M("S", "junior.received"), 0, 0);
    cr_assert_float_eq(M("S", "junior.guaranteed"), 50, 1e-9);
    cr_assert_float_eq(M("S", "junior.moic"), 50 / 77.5, 1e-12);
    cr_assert_float_eq(M("S", "junior.loss"), 27.5, 1e-9);
    /* The guarantors: paid and earned, as their lines say. */
    cr_assert_float_eq(M("S", "guarantor.backstop.paid"), 50, 1e-9);
    cr_assert_float_eq(M("S", "guarantor.backstop.paid"), sum_of(l, "S", "guarantor.backstop.calls"), 1e-9);
    cr_assert_float_eq(M("S", "guarantor.backstop.fees"), 12.5, 1e-9);
    cr_assert_float_eq(M("S", "guarantor.backstop.fees"), sum_of(l, "S", "guarantor.backstop.fees"), 1e-9);
    cr_assert_float_eq(M("S", "guarantor.wrap.paid"), 1, 1e-9);
    cr_assert_float_eq(M("S", "guarantor.wrap.paid"), sum_of(l, "S", "guarantor.wrap.calls"), 1e-9);
    cr_assert_float_eq(M("S", "guarantor.wrap.fees"), 5, 1e-9);
    /* Aggregates have no value in one future. */
    cr_assert(isnan(M("S", "senior.pooled_irr")) && isnan(M("S", "senior.expected_moic")));
#undef M
    free(v);
    ledger_free(l);
    engine_free(e);
    scenario_free(sc);
}

Test(ledger, every_simulated_futures_metrics_are_the_totals_of_its_lines) {
    /* Random futures of the same scenario (effect, volume and counts
     * drawn): whatever the figures, each metric is its lines' total, and
     * the money balances: what the investors drew is what delivery cost,
     * less what no commitment covered. */
    scenario *sc = must_load_string(ledger_json);
    engine *e = must_engine(sc);
    ledger *l = engine_ledger_new(e);
    size_t m = engine_metric_count(e);
    double *v = calloc(m, sizeof *v);
    sib_error err;
    for (uint64_t p = 0; p < 6; p++) {
        cr_assert_eq(engine_path_ledger(e, p, l, v, NULL, &err), SIB_OK);
#define M(g, k) must_metric_value(e, v, g, k)
        double drawn = sum_of(l, "S", "senior.drawn") + sum_of(l, "S", "junior.drawn");
        cr_assert_float_eq(drawn + M("S", "unfunded"), sum_of(l, "programme", "cost.total"), 1e-9);
        cr_assert_float_eq(M("programme", "cost.delivery"), sum_of(l, "programme", "cost.total"), 1e-9);
        cr_assert_float_eq(M("commissioner", "payments.total"),
                           sum_of(l, "contract", "payments.total"), 1e-9);
        cr_assert_float_eq(M("commissioner", "payments.total"),
                           sum_of(l, "contract", "payment.a") + sum_of(l, "contract", "payment.b"), 1e-9);
        cr_assert_float_eq(M("commissioner", "payments.total"),
                           sum_of(l, "contract", "payer.city") + sum_of(l, "contract", "payer.fund"), 1e-9);
        cr_assert_float_eq(M("S", "commissioner.total"), sum_of(l, "S", "commissioner.net"), 1e-9);
        cr_assert_float_eq(M("S", "commissioner.total"),
                           sum_of(l, "S", "commissioner.payments") - sum_of(l, "S", "commissioner.returned") +
                               sum_of(l, "S", "commissioner.guarantee_fees"), 1e-9);
        const char *tr[2] = {"senior", "junior"};
        for (int k = 0; k < 2; k++) {
            char key[64], key2[64];
            snprintf(key, sizeof key, "%s.drawn", tr[k]);
            cr_assert_float_eq(M("S", key), sum_of(l, "S", key), 1e-9);
            snprintf(key, sizeof key, "%s.received", tr[k]);
            snprintf(key2, sizeof key2, "%s.principal", tr[k]);
            double principal = sum_of(l, "S", key2);
            snprintf(key2, sizeof key2, "%s.return", tr[k]);
            cr_assert_float_eq(M("S", key), principal + sum_of(l, "S", key2), 1e-9);
            /* Principal first: never more principal back than was drawn. */
            snprintf(key2, sizeof key2, "%s.drawn", tr[k]);
            cr_assert(principal <= sum_of(l, "S", key2) + 1e-9);
            snprintf(key, sizeof key, "%s.guaranteed", tr[k]);
            snprintf(key2, sizeof key2, "%s.guarantee", tr[k]);
            cr_assert_float_eq(M("S", key), sum_of(l, "S", key2), 1e-9);
            /* The net line is receipts less draws and fees. */
            snprintf(key, sizeof key, "%s.net", tr[k]);
            double net = sum_of(l, "S", key);
            snprintf(key, sizeof key, "%s.received", tr[k]);
            snprintf(key2, sizeof key2, "%s.guaranteed", tr[k]);
            double back = M("S", key) + M("S", key2);
            snprintf(key, sizeof key, "%s.drawn", tr[k]);
            snprintf(key2, sizeof key2, "%s.guarantee_fees", tr[k]);
            cr_assert_float_eq(net, back - M("S", key) - M("S", key2), 1e-9);
        }
        cr_assert_float_eq(M("S", "guarantor.backstop.paid"),
                           sum_of(l, "S", "guarantor.backstop.calls"), 1e-9);
        cr_assert_float_eq(M("S", "guarantor.wrap.paid"), sum_of(l, "S", "guarantor.wrap.calls"), 1e-9);
        cr_assert_float_eq(M("S", "guarantor.backstop.fees"),
                           sum_of(l, "S", "guarantor.backstop.fees"), 1e-9);
        cr_assert_float_eq(M("G", "commissioner.total"), sum_of(l, "G", "commissioner.net"), 1e-9);
#undef M
    }
    free(v);
    ledger_free(l);
    engine_free(e);
    scenario_free(sc);
}

/* The blend B: the grant G pays the pilot's costs (110, 70, 20, 20); the
 * SIB S runs on the scale-up's costs alone (60, 10, 10, 10 in periods 4-7:
 * 90) and the payments its cohort earned: rule a's 100 in period 9, and
 * half of rule b's pooled 30 (100 of the 200 people pooled were the
 * scale-up's): 15 in period 10. The pilot's own 100 (period 7) and other
 * 15 go to the grant's part, which pays costs, not outcomes.
 *   Draws 3 : 1 again: the senior 45, 7.5, 7.5, 7.5 = 67.5; the junior 15,
 *   2.5, 2.5, 2.5 = 22.5. Period 9: the senior takes its 67.5 (principal),
 *   the junior the other 32.5: 22.5 principal and 10 of residual; period
 *   10: the junior (equity) takes the 15 as return. No loss: no call.
 *   Fees from each tranche's first draw (period 4) to the call (10):
 *   backstop 1.25 in periods 4-9 (7.5, the commissioner's), wrap 0.5 in
 *   periods 4-9 (3, the senior's).
 *   The blend's commissioner: the pilot's costs, then 1.25 in 4-8, 101.25
 *   in 9 and 15 in 10: 220 + 115 + 7.5 = 342.5. */
Test(ledger, a_blend_runs_each_part_on_its_own_stages_and_sums_the_commissioner) {
    static const double PART_COSTS[11] = {0, 0, 0, 0, 60, 10, 10, 10, 0, 0, 0};
    static const double PART_PAY[11] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 15};
    static const double SENIOR_DRAWN_B[11] = {0, 0, 0, 0, 45, 7.5, 7.5, 7.5, 0, 0, 0};
    static const double SENIOR_PRINCIPAL_B[11] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 67.5, 0};
    static const double SENIOR_NET_B[11] = {0, 0, 0, 0, -45.5, -8, -8, -8, -0.5, 67, 0};
    static const double JUNIOR_PRINCIPAL_B[11] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 22.5, 0};
    static const double JUNIOR_RETURN_B[11] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 15};
    static const double JUNIOR_NET_B[11] = {0, 0, 0, 0, -15, -2.5, -2.5, -2.5, 0, 32.5, 15};
    static const double BLEND[11] = {110, 70, 20, 20, 1.25, 1.25, 1.25, 1.25, 1.25, 101.25, 15};
    scenario *sc = must_load_string(ledger_json);
    engine *e = must_engine(sc);
    ledger *l = engine_ledger_new(e);
    size_t m = engine_metric_count(e);
    double *v = calloc(m, sizeof *v);
    sib_error err;
    cr_assert_eq(engine_expected_ledger(e, l, v, NULL, &err), SIB_OK);
    assert_flows(l, "B", "G: commissioner.net", COSTS_PILOT);
    assert_flows(l, "B", "S: provider.costs", PART_COSTS);
    assert_flows(l, "B", "S: commissioner.payments", PART_PAY);
    assert_flows(l, "B", "S: senior.drawn", SENIOR_DRAWN_B);
    assert_flows(l, "B", "S: senior.principal", SENIOR_PRINCIPAL_B);
    assert_flows(l, "B", "S: senior.return", ZERO);
    assert_flows(l, "B", "S: senior.net", SENIOR_NET_B);
    assert_flows(l, "B", "S: junior.principal", JUNIOR_PRINCIPAL_B);
    assert_flows(l, "B", "S: junior.return", JUNIOR_RETURN_B);
    assert_flows(l, "B", "S: junior.net", JUNIOR_NET_B);
    assert_flows(l, "B", "S: junior.guarantee", ZERO);
    assert_flows(l, "B", "commissioner.net", BLEND);
#define M(g, k) must_metric_value(e, v, g, k)
    cr_assert_float_eq(M("B", "commissioner.total"), 342.5, 1e-9);
    cr_assert_float_eq(M("B", "commissioner.total"), sum_of(l, "B", "commissioner.net"), 1e-9);
    cr_assert_float_eq(M("B", "S: senior.drawn"), 67.5, 1e-9);
    cr_assert_float_eq(M("B", "S: senior.guarantee_fees"), 3, 1e-9);
    cr_assert_float_eq(M("B", "S: senior.p_loss"), 1, 0, "its fees are not repaid: 67.5 of 70.5");
    cr_assert_float_eq(M("B", "S: junior.received"), 47.5, 1e-9);
    cr_assert_float_eq(M("B", "S: junior.moic"), 47.5 / 22.5, 1e-12);
    cr_assert_float_eq(M("B", "S: junior.full_repayment"), 1, 0);
    cr_assert_float_eq(M("B", "guarantor.backstop.paid"), 0, 0);
    cr_assert_float_eq(M("B", "guarantor.backstop.fees"), 7.5, 1e-9);
    cr_assert_float_eq(M("B", "guarantor.wrap.fees"), 3, 1e-9);
#undef M
    free(v);
    ledger_free(l);
    engine_free(e);
    scenario_free(sc);
}

/* A four-year programme (fixed costs 100 a year, quarterly) whose one
 * cohort is counted at 5 years; a SIB whose one tranche has a 50% pro-rata
 * guarantee. The realised record says it stopped at 1.5 years. */
static const char *stopped_json =
    "{\"name\": \"stopped\", \"currency\": \"USD\", \"simulation\": {\"seed\": 3},"
    " \"stages\": [{\"name\": \"a\", \"duration\": 4, \"costs\": {\"fixed_per_year\": 100},"
    "   \"cohorts\": [{\"size\": 100, \"enrolment\": 1}]}],"
    " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
    "   \"baseline\": 0.5, \"effect\": {\"prior\": 0.1}, \"observation_lag\": 4,"
    "   \"evaluation\": {\"design\": \"validated_count\"}}],"
    " \"contract\": {\"payments\": [{\"outcome\": \"o\", \"type\": \"per_outcome\", \"price\": 10}]},"
    " \"financing\": [{\"name\": \"S\", \"type\": \"sib\","
    "   \"tranches\": [{\"name\": \"inv\", \"commitment\": 1000}],"
    "   \"guarantees\": [{\"name\": \"half\", \"tranche\": \"inv\", \"kind\": \"pro_rata\", \"share\": 0.5}]}],"
    " \"realised\": {\"stages\": [\"a\"], \"stopped\": 1.5, \"results\": []}}";

Test(ledger, a_backtest_that_stopped_at_one_and_a_half_years_is_settled_then) {
    /* By hand: costs run over [0, 1.5): 25 a quarter in periods 0-5, 150
     * drawn. The cohort's count at 5 years falls after the stop: nothing
     * is paid. The settlement is the stop, 1.5 years: period 6 (not the
     * grid's last, 20, where the count would have been paid). The
     * guarantee pays half of the 150 lost there: 75. */
    scenario *sc = must_load_string(stopped_json);
    engine *e = must_engine(sc);
    cr_assert_eq(engine_periods(e), 21);
    ledger *l = engine_ledger_new(e);
    double *v = calloc(engine_metric_count(e), sizeof *v);
    sib_error err;
    cr_assert_eq(engine_realised_ledger(e, &sc->realised, l, v, NULL, &err), SIB_OK, "%s",
                 err.message);
    double drawn[21] = {25, 25, 25, 25, 25, 25}, guar[21] = {0};
    guar[6] = 75;
    assert_flows(l, "programme", "cost.total", drawn);
    assert_flows(l, "contract", "payments.total", ZERO21);
    cr_assert_eq(l->settle, 6);
    assert_flows(l, "S", "inv.drawn", drawn);
    assert_flows(l, "S", "inv.guarantee", guar);
    cr_assert_float_eq(must_metric_value(e, v, "S", "inv.moic"), 0.5, 1e-12);
    cr_assert_float_eq(must_metric_value(e, v, "S", "guarantor.half.paid"), 75, 1e-9);
    /* The same programme run to its end: costs 25 a quarter for 4 years
     * (400), the count at 5 years paid in period 20, the settlement too. */
    cr_assert_eq(engine_expected_ledger(e, l, v, NULL, &err), SIB_OK);
    cr_assert_eq(l->settle, 20);
    cr_assert_float_eq(must_metric_value(e, v, "S", "inv.drawn"), 400, 1e-9);
    free(v);
    ledger_free(l);
    engine_free(e);
    scenario_free(sc);
}

/* Three stages, each uncertain in its own way; the record says a and b
 * ran, with a result for cohort a1 (90 people) and b1 (80), and none for
 * a2. A backtest reads a's overrun and volume (a2's people are its plan
 * times the volume), b's overrun, and nothing else: b's volume (its one
 * cohort is measured), c's overrun (c did not run), the effect and the
 * engagement (the record's measurements stand for them). a's volume is a
 * normal whose mean, 1, lies above its clamp, 0.9. */
static const char *inputs_json =
    "{'name': 'inputs', 'currency': 'USD', 'simulation': {'seed': 3},"
    " 'stages': ["
    "  {'name': 'a', 'duration': 2,"
    "   'volume': {'dist': 'normal', 'mean': 1, 'sd': 0.3, 'lower': 0.4, 'upper': 0.9},"
    "   'engagement': {'dist': 'beta', 'alpha': 8, 'beta': 2},"
    "   'costs': {'fixed_per_year': 100, 'per_participant': 1,"
    "    'overrun': {'dist': 'lognormal', 'mu': 0.1, 'sigma': 0.2, 'lower': 0.5, 'upper': 3}},"
    "   'cohorts': [{'name': 'a1', 'size': 100, 'enrolment': 1},"
    "               {'name': 'a2', 'size': 200, 'entry': 1, 'enrolment': 1}]},"
    "  {'name': 'b', 'start': 2, 'duration': 2,"
    "   'volume': {'dist': 'uniform', 'min': 0.5, 'max': 1},"
    "   'costs': {'fixed_per_year': 100, 'per_participant': 1,"
    "    'overrun': {'dist': 'triangular', 'min': 0.9, 'mode': 1, 'max': 1.5}},"
    "   'cohorts': [{'name': 'b1', 'size': 100, 'entry': 2, 'enrolment': 1}]},"
    "  {'name': 'c', 'start': 4, 'duration': 1,"
    "   'costs': {'fixed_per_year': 100, 'overrun': {'dist': 'uniform', 'min': 1, 'max': 2}},"
    "   'cohorts': [{'name': 'c1', 'size': 100, 'entry': 4, 'enrolment': 1}]}],"
    " 'outcomes': [{'name': 'o', 'kind': 'rate', 'direction': 'higher_is_better',"
    "   'baseline': 0.5, 'effect': {'prior': {'dist': 'normal', 'mean': 0.1, 'sd': 0.05}},"
    "   'observation_lag': 0.5, 'evaluation': {'design': 'validated_count'}}],"
    " 'contract': {'payments': [{'outcome': 'o', 'type': 'per_outcome', 'price': 10}]},"
    " 'financing': [{'name': 'S', 'type': 'sib',"
    "   'tranches': [{'name': 'inv', 'commitment': 10000}]}],"
    " 'realised': {'stages': ['a', 'b'], 'results': ["
    "   {'cohort': 'a1', 'treated': {'size': 90, 'total': 60}},"
    "   {'cohort': 'b1', 'treated': {'size': 80, 'total': 50}}]}}";

/* The index of the input at pointer p of sc. */
static size_t input_at(const scenario *sc, const char *p) {
    size_t i = scenario_find_input(sc, p);
    cr_assert_lt(i, sc->n_inputs, "no input %s", p);
    return i;
}

Test(ledger, a_backtest_gives_the_values_it_uses_for_the_inputs_the_record_does_not_fix) {
    scenario *sc = must_load_quoted(inputs_json);
    cr_assert_eq(sc->n_inputs, 7);
    engine *e = must_engine(sc);
    ledger *l = engine_ledger_new(e);
    double *v = calloc(engine_metric_count(e), sizeof *v), x[7];
    sib_error err;
    cr_assert_eq(engine_realised_ledger(e, &sc->realised, l, v, x, &err), SIB_OK, "%s",
                 err.message);
    /* Each input's mean as drawn, its bounds applied: a triangular's
     * (min + mode + max) / 3 (its bounds cut nothing); the clamped lognormal
     * and normal by a midpoint rule of 2,000,000 steps over +-12 sd of
     * E[clamp(X, lower, upper)], in Python (independent of sample.c's
     * closed forms). The normal(1, 0.3) in [0.4, 0.9] is 0.826, not the
     * 0.9 its mean would be clamped to; the lognormal's bounds cut 1e-6. */
    const double over_a = 1.1274976135755, over_b = (0.9 + 1 + 1.5) / 3, vol_a = 0.8262763764946;
    cr_assert_float_eq(x[input_at(sc, "/stages/0/costs/overrun")], over_a, 1e-9);
    cr_assert_float_eq(x[input_at(sc, "/stages/0/volume")], vol_a, 1e-9);
    cr_assert_float_eq(x[input_at(sc, "/stages/1/costs/overrun")], over_b, 1e-12);
    const char *unused[] = {"/stages/0/engagement", "/stages/1/volume", "/stages/2/costs/overrun",
                            "/outcomes/0/effect/prior"};
    for (size_t k = 0; k < 4; k++)
        cr_assert(isnan(x[input_at(sc, unused[k])]), "%s: %g, not NaN", unused[k],
                  x[input_at(sc, unused[k])]);
    /* They are the values the ledger was made with: a's costs are its
     * overrun times 100 a year for 2 years and 1 a person, a1's 90 measured
     * and a2's round(200 x 0.9); b's its overrun times 200 and b1's 80. */
    const double a = over_a * (200 + 90 + round(200 * vol_a)), b = over_b * (200 + 80);
    cr_assert_float_eq(sum_of(l, "programme", "cost.total"), a + b, 1e-9);
    cr_assert_float_eq(must_metric_value(e, v, "programme", "participants"),
                       90 + round(200 * vol_a) + 80, 1e-9);
    free(v);
    ledger_free(l);
    engine_free(e);
    scenario_free(sc);
}

/* The settled backtest of text with the input at pointer p fixed at value
 * (p NULL: as written): its ledger's lines' amounts, then its metric values,
 * into out (at most max doubles); the count. */
static size_t backtest_numbers(const char *text, const char *p, double value, double *out,
                               size_t max) {
    sib_error err;
    scenario_override ov = {p, value};
    scenario *sc = scenario_load_string_with(text, "<test>", &ov, p ? 1 : 0, &err);
    cr_assert_not_null(sc, "%s = %g: %s", p ? p : "-", value, err.message);
    engine *e = must_engine(sc);
    ledger *l = engine_ledger_new(e);
    double *v = calloc(engine_metric_count(e), sizeof *v);
    cr_assert_eq(engine_realised_ledger(e, &sc->realised, l, v, NULL, &err), SIB_OK);
    size_t n = 0, nl = ledger_lines(l, NULL, 0);
    ledger_line *lines = calloc(nl + 1, sizeof *lines);
    ledger_lines(l, lines, nl);
    for (size_t i = 0; i < nl; i++)
        for (size_t t = 0; t < l->periods && n < max; t++) out[n++] = lines[i].flow[t];
    for (size_t i = 0; i < engine_metric_count(e) && n < max; i++) out[n++] = v[i];
    free(lines);
    free(v);
    ledger_free(l);
    engine_free(e);
    scenario_free(sc);
    return n;
}

static void inputs_not_used_change_nothing(const char *json, int stopped);

Test(ledger, an_input_a_backtest_does_not_use_changes_nothing_in_it) {
    /* Each input fixed at another value (its prior's 25th percentile): the
     * backtest is the same to the last bit for an input it says it does
     * not use (NaN), and not the same for one it uses. As written, and
     * stopped at 1 year: a2, entering then, has no one (a's volume is not
     * used), and b, starting after, does not run (nor is it in the record:
     * a record that says a stage starting after its stop ran, or measured
     * one of its cohorts, is refused). */
    for (int stopped = 0; stopped < 2; stopped++) {
        const char *text = double_quoted(inputs_json);
        if (stopped) {
            text = text_edit(text, "\"realised\": {\"stages\": [\"a\", \"b\"]",
                             "\"realised\": {\"stopped\": 1, \"stages\": [\"a\"]");
            text = text_edit(text, ",   {\"cohort\": \"b1\", \"treated\": {\"size\": 80, "
                                   "\"total\": 50}}", "");
        }
        char json[16384];
        snprintf(json, sizeof json, "%s", text);
        inputs_not_used_change_nothing(json, stopped);
    }
}

/* The check of an_input_a_backtest_does_not_use_changes_nothing_in_it on
 * the scenario json; with `stopped`, a's overrun alone is used. */
static void inputs_not_used_change_nothing(const char *json, int stopped) {
    scenario *sc = must_load_string(json);
    engine *e = must_engine(sc);
    double x[7];
    sib_error err;
    cr_assert_eq(engine_realised_ledger(e, &sc->realised, NULL, NULL, x, &err), SIB_OK);
    size_t used = 0;
    for (size_t i = 0; i < sc->n_inputs; i++) used += isnan(x[i]) ? 0u : 1u;
    cr_assert_eq(used, stopped ? 1u : 3u);
    enum { MAX = 8192 };
    static double base[MAX], moved[MAX];
    size_t n = backtest_numbers(json, NULL, 0, base, MAX);
    cr_assert_lt(n, MAX);
    for (size_t i = 0; i < sc->n_inputs; i++) {
        const char *p = sc->inputs[i].pointer;
        const double q = sample_prior_quantile(sc->inputs[i].p, 0.25);
        cr_assert_neq(q, prior_mean(sc->inputs[i].p), "%s", p);
        size_t m = backtest_numbers(json, p, q, moved, MAX);
        cr_assert_eq(m, n, "%s", p);
        int same = 1;
        for (size_t k = 0; k < n; k++)
            same &= memcmp(&base[k], &moved[k], sizeof base[k]) == 0 ||
                    (isnan(base[k]) && isnan(moved[k]));
        if (isnan(x[i]))
            cr_assert(same, "%s is not used, but fixing it at %g changes the backtest", p, q);
        else
            cr_assert(!same, "%s is used (%g), but fixing it at %g changes nothing", p, x[i], q);
    }
    engine_free(e);
    scenario_free(sc);
}
