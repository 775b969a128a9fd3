/* test_fin_terms.c -- the financing terms of issue 12, by hand: tranches
 * repaid from given payments, fixed coupons, investor redemptions and
 * return bands paid as interest. Each test's flows and IRRs are worked out
 * in its comment from the formulas of docs/model.md ("Tranches tied to
 * payments, fixed coupons and redemptions"); none is copied from the
 * program. Then: the general waterfall against the fast one, the loader's
 * fields and refusals, the warnings, and the terms through the engine (the
 * ledger against the metrics, and the same results on any thread count). */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../model/contract.h"
#include "../model/finance.h"
#include "../model/financing.h"
#include "../model/ledger.h"
#include "../sim/engine.h"
#include "../sim/warnings.h"
#include "helpers.h"
#include "loader_helpers.h"

static void setup(void) { gsl_set_error_handler_off(); }
TestSuite(fin_terms, .init = setup);

/* ------------------------------------------------------------- helpers */

/* A plain tranche: equity unless rate >= 0 (a coupon). */
static tranche plain(const char *name, double commitment, int priority, double rate) {
    tranche t = {.commitment = commitment, .priority = priority, .discount_rate = 0.05};
    snprintf(t.name, sizeof t.name, "%s", name);
    if (rate >= 0) {
        t.has_coupon = true;
        t.coupon = rate;
    }
    return t;
}

static financing bond(tranche *t, size_t n) {
    financing f;
    memset(&f, 0, sizeof f);
    snprintf(f.name, sizeof f.name, "bond");
    f.type = FIN_SIB;
    f.tranches = t;
    f.n_tranches = n;
    return f;
}

static void assert_row(const double *got, const double *want, size_t n, const char *what) {
    for (size_t t = 0; t < n; t++)
        cr_assert_float_eq(got[t], want[t], 1e-9, "%s, period %zu: %.12g, by hand %.12g", what, t,
                           got[t], want[t]);
}

/* --------------------------------------------- tranches repaid from rules */

/* Two classes, as the Benevolent Society bond's P and E: P (75, priority 1,
 * a 10% coupon) is repaid only from payment A, E (25, priority 2, equity)
 * only from payment B. Yearly grid, 4 periods; 100 of costs at t = 0 drawn
 * pro rata to the commitments: P 75, E 25.
 *   A pays 90.75 at t = 2 and 10 at t = 3; B pays 5 at t = 1 and 30 at t = 2.
 *   t = 1: B's 5 goes down E's waterfall only: E is owed 25, receives 5
 *          (principal), owed 20. (Shared, it would go to P, priority 1.)
 *   t = 2: A first (contract order): P is owed 75 x 1.1^2 = 90.75 and
 *          receives it all: principal 75, return 15.75. Then B's 30: E is
 *          owed 20 and receives it, then as E's equity the other 10: E's
 *          principal 20, return 10.
 *   t = 3: A's 10: P is owed nothing more, and A repays no one else: all
 *          of it is surplus, returned to the commissioner. (Shared, equity
 *          E would take it.)
 * P's flows -75, 0, 90.75, 0: IRR 10% (75 x 1.1^2 = 90.75).
 * E's flows -25, 5, 30, 0: at 20%, -25 + 5 / 1.2 + 30 / 1.44 = -25 + 4.1667
 * + 20.8333 = 0: IRR 20%. Commissioner: 0, 5, 120.75, 0 (10 paid, 10 back). */
Test(fin_terms, each_payment_repays_only_the_tranches_tied_to_it) {
    size_t from_a[] = {0}, from_b[] = {1};
    tranche t[2] = {plain("P", 75, 1, 0.10), plain("E", 25, 2, -1)};
    t[0].repaid_from = from_a, t[0].n_repaid_from = 1;
    t[1].repaid_from = from_b, t[1].n_repaid_from = 1;
    financing f = bond(t, 2);
    double costs[4] = {100, 0, 0, 0};
    double rules[8] = {0, 0, 90.75, 10, /* A */ 0, 5, 30, 0 /* B */};
    double pay[4] = {0, 5, 120.75, 10};
    fin_result *r = fin_ws_new(&f, 4, 1);
    cr_assert(r->by_rule && r->has_terms && r->n_rules == 2);
    fin_run_rules(&f, costs, pay, rules, 4, 3, r);
    assert_row(r->investor, (double[]){-75, 0, 90.75, 0}, 4, "P's flows");
    assert_row(r->investor + 4, (double[]){-25, 5, 30, 0}, 4, "E's flows");
    assert_row(r->principal, (double[]){0, 0, 75, 0}, 4, "P's principal");
    assert_row(r->ret, (double[]){0, 0, 15.75, 0}, 4, "P's return");
    assert_row(r->principal + 4, (double[]){0, 5, 20, 0}, 4, "E's principal");
    assert_row(r->ret + 4, (double[]){0, 0, 10, 0}, 4, "E's return");
    assert_row(r->returned, (double[]){0, 0, 0, 10}, 4, "surplus returned");
    assert_row(r->commissioner, (double[]){0, 5, 120.75, 0}, 4, "commissioner");
    double irr;
    cr_assert_eq(finance_irr(r->investor, 4, 1, &irr), IRR_OK);
    cr_assert_float_eq(irr, 0.10, 1e-10);
    cr_assert_eq(finance_irr(r->investor + 4, 4, 1, &irr), IRR_OK);
    cr_assert_float_eq(irr, 0.20, 1e-10);
    fin_ws_free(r);
}

/* Two tranches of one priority, each owed its 50 (a coupon of 0): T1 is
 * repaid from A only, T2 from every payment. In period 1, A pays 60 and B
 * 40, taken in contract order:
 *   A's 60: T1 and T2 are both eligible, owed 50 each: 30 each.
 *   B's 40: only T2, owed 20: 20, and 20 of surplus.
 * T1 30, T2 50, surplus 20. (B before A would give T2 40, then A 60 pro
 * rata to 50 and 10: T1 50, T2 10: both repaid in full, no surplus; the
 * whole 100 shared would do the same.) */
Test(fin_terms, payments_in_one_period_are_taken_in_contract_order) {
    size_t from_a[] = {0};
    tranche t[2] = {plain("T1", 50, 1, 0), plain("T2", 50, 1, 0)};
    t[0].repaid_from = from_a, t[0].n_repaid_from = 1;
    contract c = {.n_rules = 2};
    payment_rule rl[2];
    memset(rl, 0, sizeof rl);
    c.rules = rl;
    financing f = bond(t, 2);
    double costs[2] = {100, 0}, rules[4] = {0, 60, 0, 40}, pay[2] = {0, 100};
    fin_result *r = fin_ws_new_for(&f, &c, 2, 1);
    fin_run_rules(&f, costs, pay, rules, 2, 1, r);
    cr_assert_float_eq(r->investor[1], 30, 1e-12);
    cr_assert_float_eq(r->investor[2 + 1], 50, 1e-12);
    cr_assert_float_eq(r->returned_total, 20, 1e-12);
    cr_assert_float_eq(r->commissioner[1], 80, 1e-12);
    fin_ws_free(r);
}

/* ------------------------------------------------------- fixed coupons */

/* Newpin's floor: 5% a year for the first three years, paid by the
 * commissioner, then a return from outcomes. 1000 drawn at t = 0, yearly
 * grid; a fixed coupon of 0.05 until 3 and a return cap of 5%; an outcome
 * payment of 2000 at t = 5.
 *   coupons: 0.05 / 1 x 1000 = 50 at t = 1, 2, 3 (for years 1 to 3).
 *   owed from outcomes: 1000, accruing only from t = 3: 1000 x 1.05^2 =
 *   1102.5 at t = 5: principal 1000, return 102.5; 897.5 returned.
 * Flows -1000, 50, 50, 50, 0, 1102.5: at 5%, 50/1.05 + 50/1.05^2 +
 * 50/1.05^3 + 1102.5/1.05^5 = 47.619 + 45.351 + 43.192 + 863.838 = 1000:
 * IRR 5%, as a 5% bond's. Commissioner: 50, 50, 50 and 2000 - 897.5 =
 * 1102.5: 1252.5 in all. */
Test(fin_terms, a_fixed_coupon_pays_its_rate_whatever_the_outcomes) {
    tranche t = plain("investors", 1000, 1, -1);
    t.has_return_cap = true;
    t.return_cap = 0.05;
    t.has_fixed_coupon = true;
    t.fixed = (fixed_coupon){.rate = 0.05, .until = 3, .paid_by = "commissioner"};
    financing f = bond(&t, 1);
    double costs[6] = {1000}, pay[6] = {0, 0, 0, 0, 0, 2000};
    fin_result *r = fin_ws_new(&f, 6, 1);
    cr_assert(r->has_terms && !r->by_rule);
    fin_run(&f, costs, pay, 6, 5, r);
    assert_row(r->coupon, (double[]){0, 50, 50, 50, 0, 0}, 6, "fixed coupon");
    assert_row(r->investor, (double[]){-1000, 50, 50, 50, 0, 1102.5}, 6, "investors");
    assert_row(r->principal, (double[]){0, 0, 0, 0, 0, 1000}, 6, "principal");
    assert_row(r->ret, (double[]){0, 0, 0, 0, 0, 102.5}, 6, "return from outcomes");
    assert_row(r->commissioner, (double[]){0, 50, 50, 50, 0, 1102.5}, 6, "commissioner");
    cr_assert_float_eq(r->tranche[0].coupon, 150, 1e-9);
    cr_assert_float_eq(r->tranche[0].received, 1102.5, 1e-9);
    cr_assert_float_eq(r->returned_total, 897.5, 1e-9);
    double irr;
    cr_assert_eq(finance_irr(r->investor, 6, 1, &irr), IRR_OK);
    cr_assert_float_eq(irr, 0.05, 1e-10);
    fin_ws_free(r);
}

/* The interest of the window is the coupon's: what is owed from outcomes
 * accrues from `until`. The same bond with a 10% cap is owed 1000 x 1.1^2
 * = 1210 at t = 5 (years 4 and 5), not 1000 x 1.1^5 = 1610.51. */
Test(fin_terms, what_is_owed_from_outcomes_accrues_only_after_the_fixed_coupon) {
    tranche t = plain("investors", 1000, 1, -1);
    t.has_return_cap = true;
    t.return_cap = 0.10;
    t.has_fixed_coupon = true;
    t.fixed = (fixed_coupon){.rate = 0.05, .until = 3, .paid_by = "commissioner"};
    financing f = bond(&t, 1);
    double costs[6] = {1000}, pay[6] = {0, 0, 0, 0, 0, 2000};
    fin_result *r = fin_ws_new(&f, 6, 1);
    fin_run(&f, costs, pay, 6, 5, r);
    cr_assert_float_eq(r->investor[5], 1210, 1e-9);
    cr_assert_float_eq(r->returned_total, 790, 1e-9);
    fin_ws_free(r);
}

/* On a quarterly grid the coupon is rate / 4 of the principal outstanding
 * at the end of each quarter, paid at the start of the next. 1000 drawn at
 * t = 0, an equity tranche, a coupon of 0.08 until 1 (quarters 0-3, paid in
 * periods 1-4), and 400 paid at period 2 (principal first: 600 left).
 *   period 1: 0.02 x 1000 = 20 (quarter 0)   period 2: 0.02 x 1000 = 20
 *   period 3: 0.02 x 600 = 12 (the 400 came back at the start of quarter 2)
 *   period 4: 0.02 x 600 = 12                period 5: none (after until)
 * 64 in all. */
Test(fin_terms, a_fixed_coupon_is_paid_in_arrears_on_the_principal_outstanding) {
    tranche t = plain("investors", 1000, 1, -1);
    t.has_fixed_coupon = true;
    t.fixed = (fixed_coupon){.rate = 0.08, .until = 1, .paid_by = "commissioner"};
    financing f = bond(&t, 1);
    double costs[6] = {1000}, pay[6] = {0, 0, 400, 0, 0, 0};
    fin_result *r = fin_ws_new(&f, 6, 4);
    fin_run(&f, costs, pay, 6, 5, r);
    assert_row(r->coupon, (double[]){0, 20, 20, 12, 12, 0}, 6, "fixed coupon");
    assert_row(r->investor, (double[]){-1000, 20, 420, 12, 12, 0}, 6, "investors");
    cr_assert_float_eq(r->tranche[0].coupon, 64, 1e-9);
    fin_ws_free(r);
}

/* --------------------------------------------------------- redemptions */

static void set_redemption(tranche *t, size_t i, int after, double at, double share, double h) {
    redemption *x = &t->redemptions[i];
    *x = (redemption){.after = after, .at = at, .share_returned = share, .has_irr_below = h >= 0,
                      .irr_below = h >= 0 ? h : 0, .paid_by = "commissioner"};
    if (t->n_redemptions < i + 1) t->n_redemptions = i + 1;
}

/* 1000 drawn at t = 0 and nothing back by year 4: the IRR to date, the
 * principal counted at par, is 0% < 3% (the hurdle value at 3%:
 * -1000 x 1.03^4 + 1000 = -125.5 < 0), so the investors redeem at 4 and
 * the commissioner pays 0.75 x 1000 = 750. The 250 left is written off and
 * the 500 paid at t = 6 goes to no one: it is surplus.
 * Flows -1000, 0, 0, 0, 750: IRR 0.75^(1/4) - 1 = -6.9395%. */
Test(fin_terms, a_redemption_returns_its_share_and_ends_the_tranche) {
    tranche t = plain("investors", 1000, 1, -1);
    set_redemption(&t, 0, 0, 4, 0.75, 0.03);
    financing f = bond(&t, 1);
    double costs[8] = {1000}, pay[8] = {0, 0, 0, 0, 0, 0, 500, 0};
    fin_result *r = fin_ws_new(&f, 8, 1);
    fin_run(&f, costs, pay, 8, 7, r);
    assert_row(r->redeem, (double[]){0, 0, 0, 0, 750, 0, 0, 0}, 8, "redemption");
    assert_row(r->investor, (double[]){-1000, 0, 0, 0, 750, 0, 0, 0}, 8, "investors");
    assert_row(r->commissioner, (double[]){0, 0, 0, 0, 750, 0, 0, 0}, 8, "commissioner");
    cr_assert_eq(r->redeemed_at[0], 4);
    cr_assert_float_eq(r->tranche[0].redeemed, 750, 1e-9);
    cr_assert_float_eq(r->tranche[0].received, 0, 1e-12);
    cr_assert_float_eq(r->returned_total, 500, 1e-9);
    double irr;
    cr_assert_eq(finance_irr(r->investor, 8, 1, &irr), IRR_OK);
    cr_assert_float_eq(irr, pow(0.75, 0.25) - 1, 1e-10);
    fin_ws_free(r);
}

/* Newpin's dates: 75% at year 4, 50% after, exercised when the IRR to date
 * is below 4%. A fixed coupon of 5% until 4 pays 50 at t = 1 .. 4 on 1000
 * drawn at t = 0, then nothing comes. The hurdle value at 4% (flows
 * compounded at 4% to the date, plus the principal at par):
 *   t = 4: -1000 x 1.04^4 + 50 (1.04^3 + 1.04^2 + 1.04 + 1) + 1000
 *        = -1169.85856 + 212.3232 + 1000 = 42.46 >= 0: held (5% > 4%);
 *   t = 5: (-1169.85856 + 212.3232) x 1.04 + 1000 = 4.16 >= 0: held;
 *   t = 6: -957.53536 x 1.04^2 + 1000 = -35.67 < 0: redeemed, under the
 *          "after" date: 0.5 x 1000 = 500.
 * Flows -1000, 50, 50, 50, 50, 0, 500; the IRR solves
 * -1000 + 50 (v + v^2 + v^3 + v^4) + 500 v^6 = 0, v = 1 / (1 + r): by
 * bisection of that polynomial, r = -6.76133%. */
Test(fin_terms, a_redemption_waits_until_the_irr_to_date_falls_below_its_rate) {
    tranche t = plain("investors", 1000, 1, -1);
    t.has_fixed_coupon = true;
    t.fixed = (fixed_coupon){.rate = 0.05, .until = 4, .paid_by = "commissioner"};
    set_redemption(&t, 0, 0, 4, 0.75, 0.04);
    set_redemption(&t, 1, 1, 4, 0.50, 0.04);
    financing f = bond(&t, 1);
    double costs[8] = {1000}, pay[8] = {0};
    fin_result *r = fin_ws_new(&f, 8, 1);
    fin_run(&f, costs, pay, 8, 7, r);
    cr_assert_eq(r->redeemed_at[0], 6);
    assert_row(r->investor, (double[]){-1000, 50, 50, 50, 50, 0, 500, 0}, 8, "investors");
    double irr;
    cr_assert_eq(finance_irr(r->investor, 8, 1, &irr), IRR_OK);
    cr_assert_float_eq(irr, -0.0676133, 1e-6);
    fin_ws_free(r);
}

/* Without a hurdle the investors redeem on the first date. A (150) redeems
 * at t = 1, returning all (share 1) of its 50 drawn; B (150) is left. The
 * 100 of costs at t = 2 are then drawn from B alone (A's undrawn 100 is
 * cancelled), where pro rata to the undrawn commitments they would have
 * been 50 and 50. */
Test(fin_terms, a_redeemed_tranche_leaves_its_undrawn_commitment_to_the_others) {
    tranche t[2] = {plain("A", 150, 1, -1), plain("B", 150, 1, -1)};
    set_redemption(&t[0], 0, 0, 1, 1.0, -1);
    financing f = bond(t, 2);
    double costs[4] = {100, 0, 100, 0}, pay[4] = {0};
    fin_result *r = fin_ws_new(&f, 4, 1);
    fin_run(&f, costs, pay, 4, 3, r);
    assert_row(r->draw, (double[]){50, 0, 0, 0}, 4, "A's draws");
    assert_row(r->draw + 4, (double[]){50, 0, 100, 0}, 4, "B's draws");
    assert_row(r->redeem, (double[]){0, 50, 0, 0}, 4, "A's redemption");
    cr_assert_float_eq(r->unfunded_total, 0, 1e-12);
    fin_ws_free(r);
}

/* -------------------------------------------- return bands as interest */

/* A payment that pays interest is the tranche's return, not its principal.
 * Rule 0 pays interest (75 at t = 1, 30 at t = 2), rule 1 the principal
 * (1000 at t = 3), to an equity tranche of 1000 drawn at t = 0. Booked:
 * return 75 and 30, principal 1000 at t = 3 (principal first, the rule
 * would book 75 and 30 as principal, and 895 + 105 at t = 3). */
Test(fin_terms, interest_paid_from_outcomes_is_booked_as_return) {
    tranche t = plain("investors", 1000, 1, -1);
    payment_rule rl[2];
    memset(rl, 0, sizeof rl);
    rl[0].return_as_interest = true;
    contract c = {.rules = rl, .n_rules = 2};
    financing f = bond(&t, 1);
    double costs[4] = {1000}, rules[8] = {0, 75, 30, 0, 0, 0, 0, 1000};
    double pay[4] = {0, 75, 30, 1000};
    fin_result *r = fin_ws_new_for(&f, &c, 4, 1);
    cr_assert(r->by_rule);
    fin_run_rules(&f, costs, pay, rules, 4, 3, r);
    assert_row(r->principal, (double[]){0, 0, 0, 1000}, 4, "principal");
    assert_row(r->ret, (double[]){0, 75, 30, 0}, 4, "return");
    cr_assert_float_eq(r->tranche[0].repaid, 1000, 1e-9);
    cr_assert_float_eq(r->tranche[0].received, 1105, 1e-9);
    fin_ws_free(r);
}

/* contract_band_return: with the principal, 1000 at 7.5% from t = 0 paid
 * at t = 2 is 1000 x 1.075^2 = 1155.625; as interest since t = 1, 1000 x
 * 0.075 x (2 - 1) = 75, and for half a year 37.5. */
Test(fin_terms, a_return_band_pays_the_principal_grown_or_the_interest_since_the_last_assessment) {
    payment_rule rule;
    memset(&rule, 0, sizeof rule);
    rule.principal = 1000;
    cr_assert_float_eq(contract_band_return(&rule, 0.075, 2, 1), 1155.625, 1e-9);
    rule.return_as_interest = true;
    cr_assert_float_eq(contract_band_return(&rule, 0.075, 2, 1), 75, 1e-9);
    cr_assert_float_eq(contract_band_return(&rule, 0.075, 2, 1.5), 37.5, 1e-9);
    cr_assert_float_eq(contract_band_return(&rule, 0.075, 1, 1.5), 0, 1e-12);
}
