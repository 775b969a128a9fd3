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

/* The classes of the test above when the period-2 payments hold 20 that no
 * rule paid (a suspension's fixed payment or a termination payment: no
 * rule's row has it). Those 20 go down the whole waterfall, after the
 * rules' own: P is repaid in full by A (90.75), E is owed nothing more
 * after B's 30 (its equity took the last 10), so the 20 is E's too, as
 * equity: E's flows -25, 5, 50, 0. Without this, the 20 vanished: no tranche
 * got it and no surplus was returned, so the commissioner's outlay and the
 * investors' receipts no longer added up. */
Test(fin_terms, a_payment_no_rule_made_goes_down_the_whole_waterfall) {
    size_t from_a[] = {0}, from_b[] = {1};
    tranche t[2] = {plain("P", 75, 1, 0.10), plain("E", 25, 2, -1)};
    t[0].repaid_from = from_a, t[0].n_repaid_from = 1;
    t[1].repaid_from = from_b, t[1].n_repaid_from = 1;
    financing f = bond(t, 2);
    double costs[4] = {100, 0, 0, 0};
    double rules[8] = {0, 0, 90.75, 10, /* A */ 0, 5, 30, 0 /* B */};
    double pay[4] = {0, 5, 140.75, 10};
    fin_result *r = fin_ws_new(&f, 4, 1);
    fin_run_rules(&f, costs, pay, rules, 4, 3, r);
    assert_row(r->investor, (double[]){-75, 0, 90.75, 0}, 4, "P's flows");
    assert_row(r->investor + 4, (double[]){-25, 5, 50, 0}, 4, "E's flows");
    assert_row(r->returned, (double[]){0, 0, 0, 10}, 4, "surplus returned");
    assert_row(r->commissioner, (double[]){0, 5, 140.75, 0}, 4, "commissioner");
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
    *x = (redemption){.after = after,
                      .at = at,
                      .share_returned = share,
                      .has_irr_below = h >= 0,
                      .irr_below = h >= 0 ? h : 0,
                      .paid_by = "commissioner"};
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

/* ------------------------------------- the general waterfall, the fast one */

/* A term that changes nothing sends a structure down run_sib_terms; its
 * flows must then be run_sib's, bit for bit: the general waterfall is the
 * fast one plus the terms. A redemption with a hurdle of 0% never holds
 * (the hurdle value at 0% is the return received so far, never below 0),
 * so a structure with one is the structure without it. Three tranches (two
 * priorities, a coupon, a cap, equity), fees, a provider share, a guarantee
 * with a fee, with and without recycling, on pseudo-random quarterly costs
 * and payments. */
static double lcg(unsigned long *s) {
    *s = *s * 6364136223846793005UL + 1442695040888963407UL;
    return (double)(*s >> 11) / 9007199254740992.0;
}

/* The check above for nt tranches (3: senior with a coupon, capped
 * mezzanine, junior equity, the guarantee on the junior; 2: the senior and
 * the mezzanine, guaranteed; 1: the senior alone, guaranteed -- the one-
 * and two-tranche copies of the fast waterfall). */
static void fast_and_general_agree(size_t nt) {
    enum { N = 40 };
    for (int recycle = 0; recycle < 2; recycle++)
        for (unsigned long seed = 1; seed <= 20; seed++) {
            tranche t[3] = {plain("senior", 600, 1, 0.06), plain("mezz", 300, 2, -1),
                            plain("junior", 200, 3, -1)};
            t[1].has_return_cap = true;
            t[1].return_cap = 0.12;
            guarantee g = {.name = "g",
                           .tranche = nt - 1,
                           .kind = GUARANTEE_PRO_RATA,
                           .share = 0.5,
                           .max = 80,
                           .fee = 0.02};
            financing f = bond(t, nt);
            f.guarantees = &g;
            f.n_guarantees = 1;
            f.setup_fees = 20;
            f.fees_per_year = 8;
            f.provider_share = 0.3;
            f.recycle = recycle;
            double costs[N] = {0}, pay[N] = {0};
            unsigned long s = seed;
            for (size_t q = 0; q < N; q++) {
                if (q < 16) costs[q] = lcg(&s) < 0.8 ? 60 * lcg(&s) : 0;
                if (q > 6 && lcg(&s) < 0.3) pay[q] = 400 * lcg(&s);
            }
            fin_result *fast = fin_ws_new(&f, N, 4);
            cr_assert(!fast->has_terms);
            fin_run(&f, costs, pay, N, N - 3, fast);
            tranche t2[3] = {t[0], t[1], t[2]};
            set_redemption(&t2[nt == 1 ? 0 : 1], 0, 1, 0, 0.5, 0.0);
            financing f2 = f;
            f2.tranches = t2;
            fin_result *gen = fin_ws_new(&f2, N, 4);
            cr_assert(gen->has_terms);
            fin_run(&f2, costs, pay, N, N - 3, gen);
            cr_assert_eq(gen->redeemed_at[nt == 1 ? 0 : 1], SIZE_MAX);
            /* Every array of the fast one's block, as bits. */
            cr_assert_eq(memcmp(fast->block, gen->block, fast->block_len * sizeof *fast->block), 0,
                         "%zu tranches, seed %lu, recycle %d: the flows differ", nt, seed, recycle);
            for (size_t k = 0; k < nt; k++)
                cr_assert_eq(memcmp(&fast->tranche[k], &gen->tranche[k], sizeof fast->tranche[k]),
                             0, "seed %lu: tranche %zu's totals differ", seed, k);
            cr_assert(fast->peak_capital == gen->peak_capital &&
                      fast->returned_total == gen->returned_total &&
                      fast->to_provider_total == gen->to_provider_total &&
                      fast->unfunded_total == gen->unfunded_total &&
                      fast->guarantor[0] == gen->guarantor[0] &&
                      fast->guarantor_fees[0] == gen->guarantor_fees[0]);
            fin_ws_free(fast);
            fin_ws_free(gen);
        }
}

Test(fin_terms, a_structure_whose_terms_change_nothing_has_the_fast_paths_flows_bit_for_bit) {
    fast_and_general_agree(3);
}

Test(fin_terms, one_and_two_tranche_structures_have_the_general_paths_flows_bit_for_bit) {
    fast_and_general_agree(1);
    fast_and_general_agree(2);
}

/* Tying every tranche to every payment is the shared waterfall: each
 * payment in turn, pro rata to what is owed, leaves what is owed in the same
 * proportions, so the flows agree up to rounding. */
Test(fin_terms, tranches_tied_to_every_payment_are_repaid_as_by_the_shared_waterfall) {
    enum { N = 40 };
    for (unsigned long seed = 1; seed <= 20; seed++) {
        tranche t[3] = {plain("senior", 600, 1, 0.06), plain("mezz", 300, 1, 0.03),
                        plain("junior", 200, 2, -1)};
        financing f = bond(t, 3);
        double costs[N] = {0}, rules[2 * N] = {0}, pay[N] = {0};
        unsigned long s = seed;
        for (size_t q = 0; q < N; q++) {
            if (q < 16) costs[q] = 60 * lcg(&s);
            if (q > 6 && lcg(&s) < 0.4) rules[q] = 300 * lcg(&s);
            if (q > 6 && lcg(&s) < 0.4) rules[N + q] = 300 * lcg(&s);
            pay[q] = rules[q] + rules[N + q];
        }
        fin_result *fast = fin_ws_new(&f, N, 4);
        fin_run(&f, costs, pay, N, N - 1, fast);
        size_t both[] = {0, 1};
        for (size_t k = 0; k < 3; k++) t[k].repaid_from = both, t[k].n_repaid_from = 2;
        fin_result *gen = fin_ws_new(&f, N, 4);
        cr_assert(gen->by_rule);
        fin_run_rules(&f, costs, pay, rules, N, N - 1, gen);
        for (size_t i = 0; i < fast->block_len; i++)
            cr_assert_float_eq(gen->block[i], fast->block[i], 1e-9 * (1 + fabs(fast->block[i])),
                               "seed %lu, element %zu", seed, i);
        fin_ws_free(fast);
        fin_ws_free(gen);
    }
}

/* -------------------------------------------------- through the engine */

/* tests/json/fin-terms.json (also run by tests/e2e/fin_terms.sh): three
 * yearly cohorts (one a stage) of a rate outcome counted by
 * validated counts; the stages' effect multipliers 1, 0.5 and 0 make the
 * expected case's counted shares 0.6, 0.55 and 0.5. The contract pays
 * yearly interest on a principal of 1000 by return bands (7.5% from 0.595,
 * 3% from 0.545) and the principal itself at the end. Three bonds of 1000
 * drawn at t = 0: "floor" (a 5% fixed coupon for the first year and a
 * redemption at year 2 below 6%), "put" (the same, below 8%), and
 * "classes" (P, 750, repaid from the principal; E, 250, from the
 * interest). */
static scenario *terms_with(const scenario_override *ov, size_t n_ov, sib_error *err) {
    char *text = repo_text("tests/json/fin-terms.json");
    scenario *sc = scenario_load_string_with(text, "fin-terms.json", ov, n_ov, err);
    free(text);
    return sc;
}

static scenario *load_terms(void) {
    sib_error err;
    scenario *sc = terms_with(NULL, 0, &err);
    if (sc == NULL) cr_assert_fail("tests/json/fin-terms.json does not load: %s", err.message);
    return sc;
}

/* The expected case, by hand.
 * Contract: interest 1000 x 0.075 x (1 - 0) = 75 at t = 1 (0.6 >= 0.595),
 *   1000 x 0.03 x (2 - 1) = 30 at t = 2 (0.55), nothing at t = 3 (0.5 <
 *   0.545); the principal 1000 at t = 3 (pooled 0.55 >= 0).
 * floor: the coupon 0.05 x 1000 = 50 at t = 1, interest 75 and 30 booked as
 *   return. At t = 2 the hurdle value at 6% is -1000 x 1.06^2 + 125 x 1.06
 *   + 30 + 1000 = 38.9 >= 0: held. At t = 3 the principal: 1000 (owed 895
 *   by priority, 105 as equity), all of it principal. Flows -1000, 125,
 *   30, 1000; the IRR solves -1000 + 125 v + 30 v^2 + 1000 v^3 = 0: by
 *   bisection, 5.38615%. Multiple (105 + 50 + 1000) / 1000 = 1.155.
 *   Commissioner 0, 125, 30, 1000.
 * put: at 8%, -1000 x 1.08^2 + 125 x 1.08 + 30 + 1000 = -1.4 < 0: redeemed
 *   at t = 2 for 750; the principal's 1000 at t = 3 is surplus, returned.
 *   Flows -1000, 125, 780: v = (-125 + sqrt(125^2 + 4 x 780 x 1000)) /
 *   1560 = 1.054980, IRR 1 / v - 1 = -5.2115%. Multiple 0.905, loss 95.
 *   Commissioner 0, 125, 780, 0: 905.
 * classes: P 750 and E 250 drawn. E takes the interest, 75 and 30, as
 *   return; P the principal's 750, and 250 is returned. P: -750, 0, 0, 750
 *   (IRR 0); E: -250, 75, 30: v = (-75 + sqrt(75^2 + 4 x 30 x 250)) / 60
 *   = 1.895769, IRR -47.2508%, loss 145. Commissioner 0, 75, 30, 750. */
Test(fin_terms, the_terms_of_a_newpin_shaped_deal_in_the_expected_case) {
    scenario *sc = load_terms();
    engine *e = must_engine(sc);
    ledger *l = engine_ledger_new(e);
    double v[512];
    cr_assert(engine_metric_count(e) <= 512);
    sib_error err;
    cr_assert_eq(engine_expected_ledger(e, l, v, NULL, &err), SIB_OK);
    cr_assert_eq(l->periods, 4);
    assert_row(must_ledger_line(l, "contract", "payment.interest").flow, (double[]){0, 75, 30, 0},
               4, "interest");
    assert_row(must_ledger_line(l, "contract", "payment.principal").flow, (double[]){0, 0, 0, 1000},
               4, "principal");
    /* floor */
    assert_row(must_ledger_line(l, "floor", "investors.fixed_coupon").flow, (double[]){0, 50, 0, 0},
               4, "coupon");
    assert_row(must_ledger_line(l, "floor", "commissioner.fixed_coupon.investors").flow,
               (double[]){0, 50, 0, 0}, 4, "coupon paid");
    assert_row(must_ledger_line(l, "floor", "investors.return").flow, (double[]){0, 75, 30, 0}, 4,
               "return");
    assert_row(must_ledger_line(l, "floor", "investors.principal").flow, (double[]){0, 0, 0, 1000},
               4, "principal");
    assert_row(must_ledger_line(l, "floor", "investors.redemption").flow, (double[]){0, 0, 0, 0}, 4,
               "redemption");
    assert_row(must_ledger_line(l, "floor", "investors.net").flow, (double[]){-1000, 125, 30, 1000},
               4, "net");
    assert_row(must_ledger_line(l, "floor", "commissioner.net").flow, (double[]){0, 125, 30, 1000},
               4, "comm");
    cr_assert_float_eq(must_metric_value(e, v, "floor", "investors.irr"), 0.0538615, 1e-6);
    cr_assert_float_eq(must_metric_value(e, v, "floor", "investors.moic"), 1.155, 1e-12);
    cr_assert_float_eq(must_metric_value(e, v, "floor", "investors.fixed_coupon"), 50, 1e-9);
    cr_assert_float_eq(must_metric_value(e, v, "floor", "investors.received"), 1105, 1e-9);
    cr_assert_float_eq(must_metric_value(e, v, "floor", "investors.p_redeemed"), 0, 0);
    cr_assert_float_eq(must_metric_value(e, v, "floor", "commissioner.total"), 1155, 1e-9);
    /* put */
    assert_row(must_ledger_line(l, "put", "investors.redemption").flow, (double[]){0, 0, 750, 0}, 4,
               "redemption");
    assert_row(must_ledger_line(l, "put", "commissioner.redemption.investors").flow,
               (double[]){0, 0, 750, 0}, 4, "redemption paid");
    assert_row(must_ledger_line(l, "put", "commissioner.returned").flow, (double[]){0, 0, 0, 1000},
               4, "returned");
    assert_row(must_ledger_line(l, "put", "investors.net").flow, (double[]){-1000, 125, 780, 0}, 4,
               "net");
    cr_assert_float_eq(must_metric_value(e, v, "put", "investors.irr"), -0.052115197, 1e-8);
    cr_assert_float_eq(must_metric_value(e, v, "put", "investors.moic"), 0.905, 1e-12);
    cr_assert_float_eq(must_metric_value(e, v, "put", "investors.loss"), 95, 1e-9);
    cr_assert_float_eq(must_metric_value(e, v, "put", "investors.redeemed"), 750, 1e-9);
    cr_assert_float_eq(must_metric_value(e, v, "put", "investors.p_redeemed"), 1, 0);
    cr_assert_float_eq(must_metric_value(e, v, "put", "commissioner.total"), 905, 1e-9);
    /* classes */
    assert_row(must_ledger_line(l, "classes", "E.return").flow, (double[]){0, 75, 30, 0}, 4,
               "E's return");
    assert_row(must_ledger_line(l, "classes", "E.principal").flow, (double[]){0, 0, 0, 0}, 4,
               "E's principal");
    assert_row(must_ledger_line(l, "classes", "P.principal").flow, (double[]){0, 0, 0, 750}, 4,
               "P's principal");
    assert_row(must_ledger_line(l, "classes", "commissioner.returned").flow,
               (double[]){0, 0, 0, 250}, 4, "back");
    cr_assert_float_eq(must_metric_value(e, v, "classes", "P.irr"), 0, 1e-10);
    cr_assert_float_eq(must_metric_value(e, v, "classes", "E.irr"), -0.47250828, 1e-7);
    cr_assert_float_eq(must_metric_value(e, v, "classes", "E.loss"), 145, 1e-9);
    cr_assert_float_eq(must_metric_value(e, v, "classes", "commissioner.total"), 855, 1e-9);
    ledger_free(l);
    engine_free(e);
    scenario_free(sc);
}

/* Over simulated futures: each future's metrics are its ledger's totals
 * (the coupon and redemption lines against their metrics), the expected
 * multiple counts the coupons and redemptions, and a run gives the same
 * results on one thread as on two. */
Test(fin_terms, the_terms_metrics_are_their_ledger_lines_on_every_thread_count) {
    scenario *sc = load_terms();
    engine *e1 = must_engine(sc), *e2 = must_engine(sc);
    must_run_on(e1, 3000, 1);
    must_run_on(e2, 3000, 2);
    for (size_t i = 0; i < engine_metric_count(e1); i++) {
        stats_summary a, b;
        engine_summary(e1, i, &a);
        engine_summary(e2, i, &b);
        cr_assert(memcmp(&a.mean, &b.mean, sizeof a.mean) == 0 && a.n == b.n,
                  "%s differs between 1 and 2 threads", engine_metric(e1, i)->key);
    }
    stats_summary got = summary_of(e1, "put", "investors.expected_moic");
    double back = summary_of(e1, "put", "investors.received").mean +
                  summary_of(e1, "put", "investors.fixed_coupon").mean +
                  summary_of(e1, "put", "investors.redeemed").mean;
    cr_assert_float_eq(got.mean, back / summary_of(e1, "put", "investors.drawn").mean, 1e-12);
    double p = summary_of(e1, "put", "investors.p_redeemed").mean;
    cr_assert(p > 0.05 && p < 0.95, "P(redeemed) = %g: the test needs futures of both kinds", p);
    /* Path by path: the lines' totals are the metrics. */
    ledger *l = engine_ledger_new(e1);
    double v[512];
    sib_error err;
    for (uint64_t path = 0; path < 40; path++) {
        cr_assert_eq(engine_path_ledger(e1, path, l, v, NULL, &err), SIB_OK);
        const char *g[] = {"floor", "put"};
        for (int k = 0; k < 2; k++) {
            double c = 0, x = 0;
            const double *fc = must_ledger_line(l, g[k], "investors.fixed_coupon").flow,
                         *rd = must_ledger_line(l, g[k], "investors.redemption").flow;
            for (size_t t = 0; t < l->periods; t++) c += fc[t], x += rd[t];
            cr_assert_float_eq(c, must_metric_value(e1, v, g[k], "investors.fixed_coupon"), 1e-9);
            cr_assert_float_eq(x, must_metric_value(e1, v, g[k], "investors.redeemed"), 1e-9);
            cr_assert_eq(must_metric_value(e1, v, g[k], "investors.p_redeemed"), x > 0);
        }
    }
    ledger_free(l);
    engine_free(e1);
    engine_free(e2);
    scenario_free(sc);
}

/* ------------------------------------------------------------- loader */

/* Every term read as written: repaid_from in contract order (whatever the
 * order written), a fixed coupon's default payer, a redemption's date
 * kinds, hurdles and payers, and a rule's return paid as interest. */
Test(fin_terms, the_loader_reads_every_term_as_written) {
    scenario *sc = load_terms();
    const tranche *t = &sc->financing[0].tranches[0];
    cr_assert(t->has_fixed_coupon);
    cr_assert_float_eq(t->fixed.rate, 0.05, 0);
    cr_assert_float_eq(t->fixed.until, 1, 0);
    cr_assert_str_eq(t->fixed.paid_by, "commissioner", "the default payer");
    cr_assert_eq(t->n_redemptions, 1);
    cr_assert_not(t->redemptions[0].after);
    cr_assert_float_eq(t->redemptions[0].at, 2, 0);
    cr_assert_float_eq(t->redemptions[0].share_returned, 0.75, 0);
    cr_assert(t->redemptions[0].has_irr_below);
    cr_assert_float_eq(t->redemptions[0].irr_below, 0.06, 0);
    cr_assert_eq(t->n_repaid_from, 0);
    const tranche *p = &sc->financing[2].tranches[0], *e = &sc->financing[2].tranches[1];
    cr_assert_eq(p->n_repaid_from, 1);
    cr_assert_eq(p->repaid_from[0], 1, "\"principal\" is the contract's second rule");
    cr_assert_eq(e->n_repaid_from, 1);
    cr_assert_eq(e->repaid_from[0], 0);
    cr_assert(sc->contract.rules[0].return_as_interest);
    cr_assert_not(sc->contract.rules[1].return_as_interest);
    scenario_free(sc);

    static const char *more =
        "{\"name\": \"m\", \"currency\": \"GBP\","
        " \"stages\": [{\"name\": \"s\", \"duration\": 2, \"cohorts\": [{\"size\": 100}]}],"
        " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
        "   \"baseline\": 0.5, \"effect\": {\"prior\": 0.1},"
        "   \"evaluation\": {\"design\": \"rct\", \"comparison_size\": 100}}],"
        " \"contract\": {\"payments\": ["
        "   {\"name\": \"a\", \"outcome\": \"o\", \"type\": \"per_unit\", \"price\": 10},"
        "   {\"name\": \"b\", \"outcome\": \"o\", \"type\": \"per_unit\", \"price\": 10},"
        "   {\"name\": \"c\", \"outcome\": \"o\", \"type\": \"per_unit\", \"price\": 10}],"
        "  \"payers\": [{\"name\": \"Treasury\", \"share\": 0.5}, {\"name\": \"FACS\", \"share\": "
        "0.5}]},"
        " \"financing\": [{\"name\": \"S\", \"type\": \"sib\", \"tranches\": [{\"commitment\": 100,"
        "   \"repaid_from\": [\"c\", \"a\"],"
        "   \"fixed_coupon\": {\"rate\": 0.05, \"until\": 3, \"paid_by\": \"Treasury\"},"
        "   \"redemption\": [{\"at\": 4, \"share_returned\": 0.75},"
        "                  {\"after\": 4, \"share_returned\": 0.5, \"paid_by\": \"FACS\"}]}]}]}";
    sc = must_load_string(more);
    t = &sc->financing[0].tranches[0];
    cr_assert_eq(t->n_repaid_from, 2);
    cr_assert(t->repaid_from[0] == 0 && t->repaid_from[1] == 2, "in contract order");
    cr_assert_str_eq(t->fixed.paid_by, "Treasury");
    cr_assert_eq(t->n_redemptions, 2);
    cr_assert_not(t->redemptions[0].has_irr_below, "without a hurdle: always exercised");
    cr_assert_str_eq(t->redemptions[0].paid_by, "commissioner");
    cr_assert(t->redemptions[1].after);
    cr_assert_float_eq(t->redemptions[1].at, 4, 0);
    cr_assert_str_eq(t->redemptions[1].paid_by, "FACS");
    cr_assert_not(sc->contract.rules[0].return_as_interest, "with_principal by default");
    scenario_free(sc);
}

/* Each refusal of the new fields, as `sibsim validate` prints it. */
Test(fin_terms, every_bad_term_is_refused_with_its_pointer_and_what_was_expected) {
    static const struct {
        const char *file, *pointer, *message;
    } bad[] = {
        {"fixed-coupon-rate-in-percent.json", "/financing/0/tranches/0/fixed_coupon/rate",
         "tests/bad/fixed-coupon-rate-in-percent.json: "
         "/financing/0/tranches/0/fixed_coupon/rate: expected a number in [0, 1], found "
         "5: a rate or share is a fraction, did you mean 0.05 (5%)?"},
        {"fixed-coupon-typo.json", "/financing/0/tranches/0/fixed_coupon/untill",
         "tests/bad/fixed-coupon-typo.json: /financing/0/tranches/0/fixed_coupon/untill: "
         "unknown field \"untill\": did you mean \"until\"? (expected one of: rate, until, paid_by)"},
        {"fixed-coupon-unknown-payer.json", "/financing/0/tranches/0/fixed_coupon/paid_by",
         "tests/bad/fixed-coupon-unknown-payer.json: "
         "/financing/0/tranches/0/fixed_coupon/paid_by: expected \"commissioner\" (the "
         "contract names no other payer), found \"ministry\""},
        {"fixed-coupon-until-zero.json", "/financing/0/tranches/0/fixed_coupon/until",
         "tests/bad/fixed-coupon-until-zero.json: "
         "/financing/0/tranches/0/fixed_coupon/until: expected a number in (0, 200], "
         "found 0"},
        {"fixed-coupon-without-until.json", "/financing/0/tranches/0/fixed_coupon/until",
         "tests/bad/fixed-coupon-without-until.json: "
         "/financing/0/tranches/0/fixed_coupon/until: required field is missing"},
        {"redemption-at-and-after.json", "/financing/0/tranches/1/redemption/1",
         "tests/bad/redemption-at-and-after.json: /financing/0/tranches/1/redemption/1: "
         "expected exactly one of \"at\" (the investors may redeem on that date) or "
         "\"after\" (in any period after it)"},
        {"redemption-nine-dates.json", "/financing/0/tranches/1/redemption",
         "tests/bad/redemption-nine-dates.json: /financing/0/tranches/1/redemption: "
         "expected at most 8 redemption dates, found an array of 9 elements"},
        {"redemption-not-an-array.json", "/financing/0/tranches/1/redemption",
         "tests/bad/redemption-not-an-array.json: /financing/0/tranches/1/redemption: "
         "expected a non-empty array, found an object"},
        {"redemption-on-a-guaranteed-tranche.json", "/financing/0/guarantees/0/tranche",
         "tests/bad/redemption-on-a-guaranteed-tranche.json: "
         "/financing/0/guarantees/0/tranche: tranche \"junior\" has a \"redemption\" option: "
         "a guarantee covers a loss of capital the investors did not choose, and a "
         "redemption gives up capital by choice; a tranche cannot have both"},
        {"redemption-share-above-one.json", "/financing/0/tranches/1/redemption/0/share_returned",
         "tests/bad/redemption-share-above-one.json: "
         "/financing/0/tranches/1/redemption/0/share_returned: expected a number in [0, "
         "1], found 75: a rate or share is a fraction, did you mean 0.75 (75%)?"},
        {"redemption-unknown-payer.json", "/financing/0/tranches/1/redemption/0/paid_by",
         "tests/bad/redemption-unknown-payer.json: "
         "/financing/0/tranches/1/redemption/0/paid_by: expected \"commissioner\" or the "
         "name of a payer of the contract (\"Ministry of Justice\", \"Big Lottery Fund\"), "
         "found \"Ministry\""},
        {"redemption-without-a-date.json", "/financing/0/tranches/1/redemption/0",
         "tests/bad/redemption-without-a-date.json: "
         "/financing/0/tranches/1/redemption/0: expected exactly one of \"at\" (the "
         "investors may redeem on that date) or \"after\" (in any period after it)"},
        {"repaid-from-in-a-blend.json", "/financing/2/stages/scale",
         "tests/bad/repaid-from-in-a-blend.json: /financing/2/stages/scale: \"SIB\" repays "
         "tranche \"junior\" from given payments (/financing/1/tranches/1/repaid_from), "
         "and a blend by stage splits the payments among its parts by stage, not payment "
         "by payment: finance every stage with \"SIB\", or leave out \"repaid_from\""},
        {"repaid-from-not-a-name.json", "/financing/0/tranches/0/repaid_from/0",
         "tests/bad/repaid-from-not-a-name.json: /financing/0/tranches/0/repaid_from/0: "
         "expected the name of a payment rule of the contract (\"cohort payment\", \"final "
         "payment\"), found 1"},
        {"repaid-from-twice.json", "/financing/0/tranches/0/repaid_from/2",
         "tests/bad/repaid-from-twice.json: /financing/0/tranches/0/repaid_from/2: "
         "payment \"final payment\" is listed twice"},
        {"repaid-from-unknown-payment.json", "/financing/0/tranches/0/repaid_from/0",
         "tests/bad/repaid-from-unknown-payment.json: "
         "/financing/0/tranches/0/repaid_from/0: expected the name of a payment rule of "
         "the contract (\"cohort payment\", \"final payment\"), found \"final paymnet\""},
        {"repaid-from-with-recycle.json", "/financing/0/recycle",
         "tests/bad/repaid-from-with-recycle.json: /financing/0/recycle: a recycling "
         "reserve pools every payment's money, so it cannot repay tranche \"senior\" from "
         "given payments (\"repaid_from\"): leave out \"recycle\" or \"repaid_from\""},
        {"return-paid-as-interest-in-a-blend.json", "/financing/2/stages/scale",
         "tests/bad/return-paid-as-interest-in-a-blend.json: /financing/2/stages/scale: "
         "\"SIB\" is a bond, and payment \"interest\" pays interest (\"return_paid\": "
         "\"as_interest\"), which a blend by stage, splitting the payments among its parts "
         "by stage, cannot tell from principal: finance every stage with \"SIB\""},
        {"return-paid-as-interest-with-recycle.json", "/financing/0/recycle",
         "tests/bad/return-paid-as-interest-with-recycle.json: /financing/0/recycle: a "
         "recycling reserve pools every payment's money, so it cannot tell the interest "
         "that payment \"interest\" pays (\"return_paid\": \"as_interest\") from principal: "
         "leave out \"recycle\""},
        {"return-paid-negative-interest.json", "/contract/payments/1/bands/0/return",
         "tests/bad/return-paid-negative-interest.json: "
         "/contract/payments/1/bands/0/return: expected an interest rate in [0, 0.5] "
         "(\"return_paid\" is \"as_interest\", and interest is not negative: protect capital "
         "with the rule that repays the principal, or a guarantee), found -0.5"},
        {"return-paid-unknown-mode.json", "/contract/payments/1/return_paid",
         "tests/bad/return-paid-unknown-mode.json: /contract/payments/1/return_paid: "
         "expected one of \"with_principal\", \"as_interest\", found the string \"yearly\""},
        {"return-paid-without-a-return-band.json", "/contract/payments/1/return_paid",
         "tests/bad/return-paid-without-a-return-band.json: "
         "/contract/payments/1/return_paid: \"as_interest\" pays a band's \"return\" as "
         "interest on the principal, and no band of this rule has a \"return\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sib_error err = load_bad(bad[i].file);
        expect_invalid(&err, bad[i].pointer, bad[i].message);
    }
}

/* ------------------------------------------------ the documentation */

/* The n-th ```json block after `heading` in docs/scenario-format.md, into
 * buf. */
static void doc_block(const char *doc, const char *heading, int nth, char *buf, size_t size) {
    const char *at = strstr(doc, heading);
    cr_assert_not_null(at, "docs/scenario-format.md has no \"%s\"", heading);
    for (int i = 0; i <= nth; i++) {
        at = strstr(at, "```json\n");
        cr_assert_not_null(at, "block %d after \"%s\" is missing", nth, heading);
        at += 8;
    }
    const char *end = strstr(at, "```");
    cr_assert_not_null(end);
    size_t len = (size_t)(end - at);
    cr_assert_lt(len, size);
    memcpy(buf, at, len);
    buf[len] = '\0';
}

/* The examples of docs/scenario-format.md's "Tranches tied to payments,
 * fixed coupons and redemptions" and "Return bands paid as yearly interest"
 * load as written (in a programme of one stage and one outcome) and run. */
Test(fin_terms, the_documentations_examples_load_and_run) {
    char *doc = repo_text("docs/scenario-format.md");
    static char classes[4096], tranche_text[1024], redemption_text[1024], rules[4096], json[16384];
    doc_block(doc, "### Tranches tied to payments, fixed coupons and redemptions", 0, classes,
              sizeof classes);
    doc_block(doc, "### Tranches tied to payments, fixed coupons and redemptions", 1, tranche_text,
              sizeof tranche_text);
    doc_block(doc, "### Tranches tied to payments, fixed coupons and redemptions", 2,
              redemption_text, sizeof redemption_text);
    doc_block(doc, "**Return bands paid as yearly interest**", 0, rules, sizeof rules);
    free(doc);
    static const char programme[] =
        "{\"name\": \"doc\", \"currency\": \"AUD\", \"simulation\": {\"periods_per_year\": 1},"
        " \"stages\": [{\"name\": \"delivery\", \"duration\": 5,"
        "   \"costs\": {\"fixed_per_year\": 1400000},"
        "   \"cohorts\": [{\"name\": \"y1\", \"size\": 100, \"enrolment\": 1},"
        "                 {\"name\": \"y2\", \"size\": 100, \"entry\": 1, \"enrolment\": 1},"
        "                 {\"name\": \"y3\", \"size\": 100, \"entry\": 2, \"enrolment\": 1},"
        "                 {\"name\": \"y4\", \"size\": 100, \"entry\": 3, \"enrolment\": 1}]}],"
        " \"outcomes\": [{\"name\": \"%s\", \"kind\": \"rate\", \"direction\": "
        "\"higher_is_better\","
        "   \"baseline\": 0.3, \"effect\": {\"scale\": \"absolute\", \"prior\": "
        "   {\"dist\": \"normal\", \"mean\": 0.3, \"sd\": 0.1}},"
        "   \"evaluation\": {\"design\": \"validated_count\"}}],";
    /* The Benevolent Society's classes: contract and financing as written. */
    int w = snprintf(json, sizeof json, programme, "performance");
    snprintf(json + w, sizeof json - (size_t)w, "%s}", classes);
    scenario *sc = must_load_string(json);
    cr_assert_eq(sc->financing[0].tranches[0].n_repaid_from, 1);
    engine *e = must_engine(sc);
    must_run_on(e, 2000, 2);
    engine_free(e);
    scenario_free(sc);
    /* Newpin's tranche with its redemption dates, and its two rules. */
    char *close = strrchr(tranche_text, '}');
    cr_assert_not_null(close);
    *close = '\0';
    w = snprintf(json, sizeof json, programme, "restoration");
    snprintf(json + w, sizeof json - (size_t)w,
             " \"contract\": {\"payments\": [%s]},"
             " \"financing\": [{\"name\": \"SBB\", \"type\": \"sib\", \"tranches\": [%s, %s}]}]}",
             rules, tranche_text, redemption_text);
    sc = must_load_string(json);
    const tranche *t = &sc->financing[0].tranches[0];
    cr_assert(t->has_fixed_coupon && t->n_redemptions == 2);
    cr_assert(sc->contract.rules[0].return_as_interest);
    e = must_engine(sc);
    must_run_on(e, 2000, 2);
    cr_assert_gt(summary_of(e, "SBB", "investors.fixed_coupon").mean, 0);
    engine_free(e);
    scenario_free(sc);
}

/* ------------------------------------------------------------- bounds */

/* Every new number is bounded (the house rule that keeps every sum of a run
 * finite): just inside its range it loads, just outside it is refused at
 * its pointer. At the extremes -- a coupon of 100% a year for 200 years on
 * the largest commitment, a hurdle of 100% -- every metric of a run is
 * finite or undefined, never infinite. */
Test(fin_terms, the_new_numbers_are_bounded_and_a_run_at_their_extremes_stays_finite) {
    static const struct {
        const char *pointer;
        double inside, outside;
    } cases[] = {
        {"/financing/0/tranches/0/fixed_coupon/rate", 1, 1.0000001},
        {"/financing/0/tranches/0/fixed_coupon/rate", 0, -1e-9},
        {"/financing/0/tranches/0/fixed_coupon/until", 200, 200.001},
        {"/financing/0/tranches/0/fixed_coupon/until", 1e-9, 0},
        {"/financing/0/tranches/0/redemption/0/at", 200, 200.001},
        {"/financing/0/tranches/0/redemption/0/at", 0, -1e-9},
        {"/financing/0/tranches/0/redemption/0/share_returned", 1, 1.0000001},
        {"/financing/0/tranches/0/redemption/0/share_returned", 0, -1e-9},
        {"/financing/0/tranches/0/redemption/0/if_irr_below", 1, 1.0000001},
        {"/financing/0/tranches/0/redemption/0/if_irr_below", 0, -1e-9},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sib_error err;
        scenario_override ov = {cases[i].pointer, cases[i].inside};
        scenario *sc = terms_with(&ov, 1, &err);
        cr_assert_not_null(sc, "%s = %g: %s", cases[i].pointer, cases[i].inside, err.message);
        scenario_free(sc);
        ov.value = cases[i].outside;
        sc = terms_with(&ov, 1, &err);
        cr_assert_null(sc, "%s = %g loads", cases[i].pointer, cases[i].outside);
        cr_assert_str_eq(err.pointer, cases[i].pointer);
    }
    scenario_override ext[] = {
        {"/financing/0/tranches/0/commitment", 1e15},
        {"/stages/0/costs/setup", 1e15},
        {"/financing/0/tranches/0/fixed_coupon/rate", 1},
        {"/financing/0/tranches/0/fixed_coupon/until", 200},
        {"/financing/0/tranches/0/redemption/0/if_irr_below", 1},
        {"/financing/1/tranches/0/fixed_coupon/until", 200},
    };
    sib_error err;
    scenario *sc = terms_with(ext, 6, &err);
    cr_assert_not_null(sc, "%s", err.message);
    engine *e = must_engine(sc);
    must_run_on(e, 500, 2);
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        stats_summary x;
        engine_summary(e, i, &x);
        cr_assert(!isinf(x.mean) && !isinf(x.se), "%s: %g", engine_metric(e, i)->key, x.mean);
    }
    engine_free(e);
    scenario_free(sc);
}
