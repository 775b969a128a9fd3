/* test_financing.c -- the financing structures by hand: the SIB waterfall,
 * guarantees (kinds, call dates, fees) and principal-first repayment, with
 * fin_run on hand-made flows and through the engine on small scenarios.
 * That every party's lines reconcile (to its net line, and to the delivery
 * costs), with the tests that follow, and tranches paid alike are in
 * test_fin_lines.c; the helpers the two files share are in
 * financing_helpers.h. */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../model/finance.h"
#include "../model/financing.h"
#include "financing_helpers.h"
#include "helpers.h"

static tranche make_tranche(double commitment, double cap) {
    tranche t = {.name = "investors", .commitment = commitment, .discount_rate = 0.05};
    if (cap >= 0) {
        t.has_return_cap = true;
        t.return_cap = cap;
    }
    return t;
}

Test(sib, capital_is_drawn_as_costs_fall_due_and_payments_pass_through) {
    tranche t = make_tranche(1000, -1);
    double costs[] = {100, 100, 0, 0}, pay[] = {0, 0, 0, 250}, inv[4];
    sib_totals s = financing_sib_flows(&t, 1, costs, pay, 4, inv);
    cr_assert_float_eq(inv[0], -100, 1e-12);
    cr_assert_float_eq(inv[1], -100, 1e-12);
    cr_assert_float_eq(inv[2], 0, 1e-12);
    cr_assert_float_eq(inv[3], 250, 1e-12);
    cr_assert_float_eq(s.drawn, 200, 1e-12);
    cr_assert_float_eq(s.received, 250, 1e-12);
    cr_assert_float_eq(s.unfunded, 0, 1e-12);
    cr_assert_float_eq(s.surplus, 0, 1e-12);
}

Test(sib, costs_beyond_the_commitment_are_unfunded) {
    tranche t = make_tranche(150, -1);
    double costs[] = {100, 100, 100}, pay[] = {0, 0, 0}, inv[3];
    sib_totals s = financing_sib_flows(&t, 1, costs, pay, 3, inv);
    cr_assert_float_eq(inv[0], -100, 1e-12);
    cr_assert_float_eq(inv[1], -50, 1e-12);
    cr_assert_float_eq(inv[2], 0, 1e-12);
    cr_assert_float_eq(s.drawn, 150, 1e-12);
    cr_assert_float_eq(s.unfunded, 150, 1e-12);
}

Test(sib, return_cap_withholds_what_would_lift_the_irr_above_it) {
    /* 100 drawn at t=0, cap 10% a year: owed 110 at t=1, 121 at t=2. A
     * payment of 200 at t=2 passes 121 and withholds 79. */
    tranche t = make_tranche(1000, 0.10);
    double costs[] = {100, 0, 0}, pay[] = {0, 0, 200}, inv[3];
    sib_totals s = financing_sib_flows(&t, 1, costs, pay, 3, inv);
    cr_assert_float_eq(inv[2], 121, 1e-9);
    cr_assert_float_eq(s.surplus, 79, 1e-9);
    double r;
    cr_assert_eq(finance_irr(inv, 3, 1, &r), IRR_OK);
    cr_assert_float_eq(r, 0.10, 1e-10);
}

Test(sib, return_cap_does_not_bind_below_it) {
    tranche t = make_tranche(1000, 0.10);
    /* Quarterly: owed 100 * 1.1^(1/2) = 104.88 at t=2, 50 paid; then
     * 54.88 * 1.1^(1/2) = 57.56 at t=4 > 55: nothing withheld. */
    double costs[] = {100, 0, 0, 0, 0}, pay[] = {0, 0, 50, 0, 55}, inv[5];
    sib_totals s = financing_sib_flows(&t, 4, costs, pay, 5, inv);
    cr_assert_float_eq(s.received, 105, 1e-12);
    cr_assert_float_eq(s.surplus, 0, 1e-12);
}

Test(sib, capped_balance_accrues_quarterly_at_the_annual_rate) {
    /* Quarterly grid: 100 drawn, cap 21% a year; after 8 quarters the owed
     * balance is 100 * 1.21^2 = 146.41. */
    tranche t = make_tranche(1000, 0.21);
    double costs[9] = {100}, pay[9] = {0, 0, 0, 0, 0, 0, 0, 0, 1000}, inv[9];
    sib_totals s = financing_sib_flows(&t, 4, costs, pay, 9, inv);
    cr_assert_float_eq(s.received, 146.41, 1e-9);
    cr_assert_float_eq(s.surplus, 1000 - 146.41, 1e-9);
}

/* ---------------------------------------------- every structure, by hand */

Test(structures, a_grant_pays_costs_as_they_fall_due) {
    financing f = plain(FIN_GRANT);
    double costs[] = {100, 50, 0}, pay[] = {0, 0, 500};
    fin_result *r = fin_ws_new(&f, 3, 1);
    fin_run(&f, costs, pay, 3, 3 - 1, r);
    cr_assert_float_eq(r->commissioner[0], 100, 0);
    cr_assert_float_eq(r->commissioner[1], 50, 0);
    cr_assert_float_eq(r->commissioner[2], 0, 0, "a grant pays for delivery, not outcomes");
    cr_assert_float_eq(r->provider_surplus, 0, 0);
    fin_ws_free(r);
}

Test(structures, fee_for_service_adds_the_margin) {
    financing f = plain(FIN_FEE_FOR_SERVICE);
    f.margin = 0.1;
    double costs[] = {100, 50}, pay[] = {0, 0};
    fin_result *r = fin_ws_new(&f, 2, 1);
    fin_run(&f, costs, pay, 2, 2 - 1, r);
    cr_assert_float_eq(r->commissioner[0] + r->commissioner[1], 165, 1e-12);
    cr_assert_float_eq(r->provider_surplus, 15, 1e-12);
    fin_ws_free(r);
}

Test(structures, pbr_provider_carries_working_capital_at_its_cost) {
    /* Costs 100, 100; a 20% fee; 250 paid by results at t = 3; 10% a year.
     * Provider: -80, -80, 0, +250. Working capital: -80; -80 x 1.1 - 80 =
     * -168; -184.8; -203.28 + 250 = 46.72; its NPV 46.72 / 1.1^3 = 35.101. */
    financing f = plain(FIN_PBR);
    f.fee_share = 0.2;
    f.cost_of_capital = 0.10;
    double costs[] = {100, 100, 0, 0}, pay[] = {0, 0, 0, 250};
    fin_result *r = fin_ws_new(&f, 4, 1);
    fin_run(&f, costs, pay, 4, 4 - 1, r);
    cr_assert_float_eq(r->commissioner[0], 20, 1e-12);
    cr_assert_float_eq(r->commissioner[3], 250, 1e-12);
    cr_assert_float_eq(r->peak_capital, 184.8, 1e-9);
    cr_assert_float_eq(r->provider_surplus, 46.72 / 1.331, 1e-9);
    fin_ws_free(r);
}

/* A senior tranche (5% coupon, priority 1) and a junior one (equity,
 * priority 2) of 100 each fund costs of 100 a year for two years; `paid`
 * arrives at t = 2. The caller frees the result. */
static fin_result *senior_junior(double paid) {
    static tranche t[2];
    t[0] = make("senior", 100, 1);
    t[1] = make("junior", 100, 2);
    t[0].has_coupon = true;
    t[0].coupon = 0.05;
    financing f = plain(FIN_SIB);
    f.tranches = t;
    f.n_tranches = 2;
    double costs[] = {100, 100, 0}, pay[] = {0, 0, paid};
    fin_result *r = fin_ws_new(&f, 3, 1);
    fin_run(&f, costs, pay, 3, 3 - 1, r);
    return r;
}

Test(structures, senior_tranche_is_repaid_with_its_coupon_before_the_junior) {
    /* Draws are pro rata to undrawn commitments: 50 + 50 each year. At t = 2,
     * 300 is paid: the senior is owed (50 x 1.05 + 50) x 1.05 = 107.625 and
     * takes it first; the junior then takes its 100 of principal and the
     * remaining 92.375. */
    fin_result *r = senior_junior(300);
    cr_assert_float_eq(r->tranche[0].drawn, 100, 1e-12);
    cr_assert_float_eq(r->tranche[1].drawn, 100, 1e-12);
    cr_assert_float_eq(r->tranche[0].received, 107.625, 1e-9);
    cr_assert_float_eq(r->tranche[1].received, 192.375, 1e-9);
    double irr;
    cr_assert_eq(finance_irr(r->investor, 3, 1, &irr), IRR_OK);
    cr_assert_float_eq(irr, 0.05, 1e-10);
    fin_ws_free(r);
}

Test(structures, a_short_payment_leaves_the_junior_with_the_loss) {
    /* The same stack, 120 paid: the senior takes its 107.625, the junior 12.375. */
    fin_result *r = senior_junior(120);
    cr_assert_float_eq(r->tranche[0].received, 107.625, 1e-9);
    cr_assert_float_eq(r->tranche[1].received, 12.375, 1e-9);
    fin_ws_free(r);
}

Test(structures, rikers_guarantee_covers_six_of_seven_point_two_million_lost) {
    /* $9.6m committed, $7.2m drawn over three years, nothing paid. The
     * guarantee covers 5/6 of the principal lost up to $7.2m (75% of the
     * loan): 5/6 x 7.2 = 6.0 recovered, 1.2 lost -- as happened. Fully
     * drawn, it would cover min(5/6 x 9.6, 7.2) = 7.2, the 75%. */
    financing f = plain(FIN_SIB);
    tranche t = make("Goldman Sachs", 9.6e6, 1);
    guarantee g = {.name = "Bloomberg",
                   .tranche = 0,
                   .kind = GUARANTEE_PRO_RATA,
                   .share = 5.0 / 6.0,
                   .max = 7.2e6};
    f.tranches = &t;
    f.n_tranches = 1;
    f.guarantees = &g;
    f.n_guarantees = 1;
    double costs[] = {2.4e6, 2.4e6, 2.4e6, 0}, pay[4] = {0};
    fin_result *r = fin_ws_new(&f, 4, 1);
    fin_run(&f, costs, pay, 4, 4 - 1, r);
    cr_assert_float_eq(r->tranche[0].drawn, 7.2e6, 1e-3);
    cr_assert_float_eq(r->guarantor[0], 6.0e6, 1e-3);
    cr_assert_float_eq(r->tranche[0].drawn - r->tranche[0].guaranteed, 1.2e6, 1e-3);
    double full[] = {2.4e6, 2.4e6, 2.4e6, 2.4e6};
    fin_run(&f, full, pay, 4, 4 - 1, r);
    cr_assert_float_eq(r->guarantor[0], 7.2e6, 1e-3);
    fin_ws_free(r);
}

Test(structures, surplus_above_the_cap_is_shared_with_the_provider_and_returned) {
    /* 100 drawn, capped at 10%: 121 owed at t = 2 of the 200 paid; the 79
     * surplus is halved: 39.5 to the provider, 39.5 back to the payer. */
    financing f = plain(FIN_SIB);
    tranche t = make("investors", 1000, 1);
    t.has_return_cap = true;
    t.return_cap = 0.10;
    f.tranches = &t;
    f.n_tranches = 1;
    f.provider_share = 0.5;
    double costs[] = {100, 0, 0}, pay[] = {0, 0, 200};
    fin_result *r = fin_ws_new(&f, 3, 1);
    fin_run(&f, costs, pay, 3, 3 - 1, r);
    cr_assert_float_eq(r->tranche[0].received, 121, 1e-9);
    cr_assert_float_eq(r->to_provider_total, 39.5, 1e-9);
    cr_assert_float_eq(r->returned_total, 39.5, 1e-9);
    cr_assert_float_eq(r->commissioner[2], 160.5, 1e-9);
    fin_ws_free(r);
}

Test(structures, recycled_payments_fund_later_costs_instead_of_new_capital) {
    /* Costs 100 a year for three years; 150 paid at t = 1 goes to the
     * reserve and funds t = 2's 100; the 50 left is released to the
     * investors when delivery ends. Drawn 200, not 300. */
    financing f = plain(FIN_SIB);
    tranche t = make("investors", 1000, 1);
    f.tranches = &t;
    f.n_tranches = 1;
    f.recycle = true;
    double costs[] = {100, 100, 100}, pay[] = {0, 150, 0};
    fin_result *r = fin_ws_new(&f, 3, 1);
    fin_run(&f, costs, pay, 3, 3 - 1, r);
    cr_assert_float_eq(r->tranche[0].drawn, 200, 1e-9);
    cr_assert_float_eq(r->tranche[0].received, 50, 1e-9);
    fin_ws_free(r);
}

Test(structures, fees_are_funded_by_the_investors) {
    /* Set-up fees 10 at t = 0 and 4 a year while delivery lasts (t = 0, 1). */
    financing f = plain(FIN_SIB);
    tranche t = make("investors", 1000, 1);
    f.tranches = &t;
    f.n_tranches = 1;
    f.setup_fees = 10;
    f.fees_per_year = 4;
    double costs[] = {100, 100, 0}, pay[] = {0, 0, 0};
    fin_result *r = fin_ws_new(&f, 3, 1);
    fin_run(&f, costs, pay, 3, 3 - 1, r);
    cr_assert_float_eq(r->tranche[0].drawn, 218, 1e-9);
    fin_ws_free(r);
}

Test(structures, an_outcomes_fund_and_a_dib_flow_as_a_bond_does) {
    /* The difference is who pays the outcomes (the contract's payers), not
     * the cash flows of the structure: same investors' flows as a SIB. */
    tranche t = make("investors", 1000, 1);
    t.has_return_cap = true;
    t.return_cap = 0.15;
    double costs[] = {100, 100, 0, 0}, pay[] = {0, 0, 0, 300};
    financing_type types[3] = {FIN_SIB, FIN_OUTCOMES_FUND, FIN_DIB};
    double received[3];
    for (int k = 0; k < 3; k++) {
        financing f = plain(types[k]);
        f.tranches = &t;
        f.n_tranches = 1;
        fin_result *r = fin_ws_new(&f, 4, 1);
        fin_run(&f, costs, pay, 4, 4 - 1, r);
        received[k] = r->tranche[0].received;
        fin_ws_free(r);
    }
    /* 100 x 1.15^3 + 100 x 1.15^2 = 152.0875 + 132.25 = 284.3375 owed at t = 3. */
    cr_assert_float_eq(received[0], 284.3375, 1e-9);
    cr_assert_float_eq(received[1], received[0], 0);
    cr_assert_float_eq(received[2], received[0], 0);
}

/* ------------------------------------------------------------ guarantees */

/* A bond of one equity tranche "investors" (commitment 100) and the
 * guarantees g[0..ng-1] on it. */
static financing bond_with(tranche *t, guarantee *g, size_t ng) {
    financing f = plain(FIN_SIB);
    *t = make("investors", 100, 1);
    f.tranches = t;
    f.n_tranches = 1;
    f.guarantees = g;
    f.n_guarantees = ng;
    return f;
}

/* 100 drawn at t = 0, 60 paid at t = 2 (yearly grid, settlement at t = 2):
 * the principal lost is L = 100 - 60 = 40. Returns what guarantee 0 paid
 * and checks where its money went. */
static double called_on_a_40_loss(guarantee *g, size_t ng, double *second) {
    tranche t;
    financing f = bond_with(&t, g, ng);
    double costs[] = {100, 0, 0}, pay[] = {0, 0, 60};
    fin_result *r = fin_ws_new(&f, 3, 1);
    fin_run(&f, costs, pay, 3, 2, r);
    cr_assert_float_eq(r->tranche[0].drawn, 100, 1e-12);
    cr_assert_float_eq(r->tranche[0].repaid, 60, 1e-12);
    double paid = r->guarantor[0], total = 0;
    for (size_t k = 0; k < ng; k++) total += r->guarantor[k];
    /* Every call lands in the settlement period, on the tranche's
     * guarantee line and in its net flow: 60 + calls at t = 2. */
    cr_assert_float_eq(r->guar[2], total, 1e-12);
    cr_assert_float_eq(r->guar[0] + r->guar[1], 0, 0);
    cr_assert_float_eq(r->investor[2], 60 + total, 1e-12);
    cr_assert_float_eq(r->gcall[0 * 3 + 2], paid, 1e-12);
    cr_assert_float_eq(r->tranche[0].guaranteed, total, 1e-12);
    if (second) *second = ng > 1 ? r->guarantor[1] : 0;
    fin_ws_free(r);
    return paid;
}

Test(guarantees, first_loss_cover_pays_the_first_30_of_a_40_loss) {
    guarantee g = first_loss("fl", 30);
    /* min(L, amount) = min(40, 30) = 30 */
    cr_assert_float_eq(called_on_a_40_loss(&g, 1, NULL), 30, 1e-12);
}

Test(guarantees, first_loss_cover_larger_than_the_loss_pays_the_whole_loss) {
    guarantee g = first_loss("fl", 50);
    /* min(40, 50) = 40: the investor is made whole */
    cr_assert_float_eq(called_on_a_40_loss(&g, 1, NULL), 40, 1e-12);
}

Test(guarantees, pro_rata_cover_of_half_pays_20_of_a_40_loss) {
    guarantee g = pro_rata("pr", 0.5, HUGE_VAL);
    /* min(share L, max) = min(0.5 x 40, inf) = 20 */
    cr_assert_float_eq(called_on_a_40_loss(&g, 1, NULL), 20, 1e-12);
}

Test(guarantees, pro_rata_cover_stops_at_its_max_of_15) {
    guarantee g = pro_rata("pr", 0.5, 15);
    /* min(0.5 x 40, 15) = 15 */
    cr_assert_float_eq(called_on_a_40_loss(&g, 1, NULL), 15, 1e-12);
}

Test(guarantees, a_second_guarantee_covers_what_the_first_left) {
    /* First loss 30 first: L = 40 -> pays 30; the pro-rata 50% sees
     * L = 40 - 30 = 10 and pays 5. Total 35. */
    guarantee g[2] = {first_loss("fl", 30), pro_rata("pr", 0.5, HUGE_VAL)};
    double second;
    cr_assert_float_eq(called_on_a_40_loss(g, 2, &second), 30, 1e-12);
    cr_assert_float_eq(second, 5, 1e-12);
    /* The other order: pro rata 50% pays 20, then the first loss sees
     * L = 40 - 20 = 20 < 30 and pays 20: the investor is whole (40). */
    guarantee h[2] = {pro_rata("pr", 0.5, HUGE_VAL), first_loss("fl", 30)};
    cr_assert_float_eq(called_on_a_40_loss(h, 2, &second), 20, 1e-12);
    cr_assert_float_eq(second, 20, 1e-12);
}

Test(guarantees, no_loss_calls_no_guarantee) {
    /* 100 drawn, 130 paid back: repaid 100 of principal, L = 0. */
    tranche t;
    guarantee g[2] = {first_loss("fl", 30), pro_rata("pr", 0.5, HUGE_VAL)};
    financing f = bond_with(&t, g, 2);
    double costs[] = {100, 0, 0}, pay[] = {0, 0, 130};
    fin_result *r = fin_ws_new(&f, 3, 1);
    fin_run(&f, costs, pay, 3, 2, r);
    cr_assert_float_eq(r->guarantor[0], 0, 0);
    cr_assert_float_eq(r->guarantor[1], 0, 0);
    cr_assert_float_eq(r->tranche[0].guaranteed, 0, 0);
    fin_ws_free(r);
}

/* ------------------------------------------------------ the call date */

Test(guarantees, a_pro_rata_call_at_two_years_gives_minus_29_29_percent_not_minus_100) {
    /* Quarterly grid of 9 periods (0 .. 2 years). 100 drawn at t = 0, no
     * outcome payment, settlement at 2 years (period 8): the 50% guarantee
     * pays 50 in period 8, not in the period of the last draw. Flows -100
     * at 0 and +50 at 2 years: (1 + r)^2 = 0.5, r = 0.5^(1/2) - 1 =
     * -0.292893; the multiple 50 / 100 = 0.50x. Had the 50 been paid in
     * period 0, the flows would be -50 and nothing: a total loss, -100%. */
    tranche t;
    guarantee g = pro_rata("half", 0.5, HUGE_VAL);
    financing f = bond_with(&t, &g, 1);
    double costs[9] = {100}, pay[9] = {0};
    fin_result *r = fin_ws_new(&f, 9, 4);
    fin_run(&f, costs, pay, 9, 8, r);
    for (size_t k = 0; k < 8; k++) cr_assert_float_eq(r->guar[k], 0, 0, "period %zu", k);
    cr_assert_float_eq(r->guar[8], 50, 1e-12);
    cr_assert_float_eq(r->investor[0], -100, 1e-12);
    cr_assert_float_eq(r->investor[8], 50, 1e-12);
    double irr;
    cr_assert_eq(finance_irr(r->investor, 9, 4, &irr), IRR_OK);
    cr_assert_float_eq(irr, sqrt(0.5) - 1, 1e-9, "IRR %.6f", irr);
    const tranche_result *tr = &r->tranche[0];
    cr_assert_float_eq((tr->received + tr->guaranteed) / (tr->drawn + tr->fees), 0.5, 1e-12);
    fin_ws_free(r);
}

Test(guarantees, a_tranche_with_a_one_year_maturity_is_called_in_period_ppy) {
    /* The same loss with maturity 1 year on a quarterly grid: the call is in
     * period 4 x 1 = 4, whatever the settlement (8). IRR: (1 + r) = 0.5,
     * r = -50%. */
    tranche t;
    guarantee g = pro_rata("half", 0.5, HUGE_VAL);
    financing f = bond_with(&t, &g, 1);
    t.has_maturity = true;
    t.maturity = 1;
    double costs[9] = {100}, pay[9] = {0};
    fin_result *r = fin_ws_new(&f, 9, 4);
    fin_run(&f, costs, pay, 9, 8, r);
    cr_assert_float_eq(r->guar[4], 50, 1e-12);
    cr_assert_float_eq(r->guar[8], 0, 0);
    cr_assert_float_eq(r->gcall[4], 50, 1e-12);
    double irr;
    cr_assert_eq(finance_irr(r->investor, 9, 4, &irr), IRR_OK);
    cr_assert_float_eq(irr, -0.5, 1e-9, "IRR %.6f", irr);
    fin_ws_free(r);
}

Test(guarantees, a_maturity_call_counts_only_what_was_repaid_by_then) {
    /* 100 drawn at t = 0; 60 paid in period 6 (1.5 years); maturity 1 year
     * (period 4): at the call nothing is repaid yet, L = 100, the 50% cover
     * pays 50 in period 4. The 60 still arrives in period 6. */
    tranche t;
    guarantee g = pro_rata("half", 0.5, HUGE_VAL);
    financing f = bond_with(&t, &g, 1);
    t.has_maturity = true;
    t.maturity = 1;
    double costs[9] = {100}, pay[9] = {0, 0, 0, 0, 0, 0, 60, 0, 0};
    fin_result *r = fin_ws_new(&f, 9, 4);
    fin_run(&f, costs, pay, 9, 8, r);
    cr_assert_float_eq(r->guar[4], 50, 1e-12);
    cr_assert_float_eq(r->principal[6], 60, 1e-12);
    cr_assert_float_eq(r->tranche[0].guaranteed, 50, 1e-12);
    fin_ws_free(r);
}

/* ---------------------------------------------------- guarantee fees */

Test(guarantees, a_fee_paid_by_the_tranche_runs_from_its_first_draw_until_the_call) {
    /* Quarterly, 8 periods; 50 drawn in periods 1 and 2, nothing paid,
     * settlement in period 6. First-loss cover 40 at 10% a year: a fee of
     * 0.10 / 4 x 40 = 1.0 a period in periods 1 .. 5 (from the first draw,
     * not the call period): 5.0 in all. The call pays min(100, 40) = 40 in
     * period 6. Net: -51, -51, -1, -1, -1, +40; nothing in periods 0 and 7. */
    tranche t;
    guarantee g = first_loss("fl", 40);
    g.fee = 0.10;
    g.fee_paid_by = FEE_PAID_BY_TRANCHE;
    financing f = bond_with(&t, &g, 1);
    double costs[8] = {0, 50, 50}, pay[8] = {0};
    fin_result *r = fin_ws_new(&f, 8, 4);
    fin_run(&f, costs, pay, 8, 6, r);
    const double fee[8] = {0, 1, 1, 1, 1, 1, 0, 0};
    const double net[8] = {0, -51, -51, -1, -1, -1, 40, 0};
    for (size_t k = 0; k < 8; k++) {
        cr_assert_float_eq(r->gfee[k], fee[k], 1e-12, "tranche's fee, period %zu", k);
        cr_assert_float_eq(r->gfee_in[k], fee[k], 1e-12, "guarantor's fee, period %zu", k);
        cr_assert_float_eq(r->comm_fee[k], 0, 0, "the commissioner pays none");
        cr_assert_float_eq(r->investor[k], net[k], 1e-12, "net, period %zu", k);
        cr_assert_float_eq(r->commissioner[k], 0, 0);
    }
    cr_assert_float_eq(r->tranche[0].fees, 5, 1e-12);
    cr_assert_float_eq(r->guarantor_fees[0], 5, 1e-12);
    cr_assert_float_eq(r->guarantor[0], 40, 1e-12);
    /* The multiple counts the fees in: (0 + 40) / (100 + 5). */
    const tranche_result *tr = &r->tranche[0];
    cr_assert_float_eq((tr->received + tr->guaranteed) / (tr->drawn + tr->fees), 40.0 / 105, 1e-12);
    fin_ws_free(r);
}

Test(guarantees, a_fee_paid_by_the_commissioner_is_on_the_commissioners_outlay) {
    /* The same draws, 30 paid in period 7; pro-rata 50% up to 30 of a 100
     * commitment: cover min(30, 0.5 x 100) = 30, fee 20% a year: 0.20 / 4 x
     * 30 = 1.5 a period in periods 1 .. 5, paid by the commissioner, whose
     * outlay is then 1.5 in periods 1 .. 5 and 30 in period 7: 37.5. The
     * tranche pays no fee. The call at 6 is on L = 100 (the 30 comes
     * later): min(50, 30) = 30. */
    tranche t;
    guarantee g = pro_rata("pr", 0.5, 30);
    g.fee = 0.20;
    g.fee_paid_by = FEE_PAID_BY_COMMISSIONER;
    financing f = bond_with(&t, &g, 1);
    double costs[8] = {0, 50, 50}, pay[8] = {0, 0, 0, 0, 0, 0, 0, 30};
    fin_result *r = fin_ws_new(&f, 8, 4);
    fin_run(&f, costs, pay, 8, 6, r);
    const double fee[8] = {0, 1.5, 1.5, 1.5, 1.5, 1.5, 0, 0};
    const double outlay[8] = {0, 1.5, 1.5, 1.5, 1.5, 1.5, 0, 30};
    double total = 0;
    for (size_t k = 0; k < 8; k++) {
        cr_assert_float_eq(r->comm_fee[k], fee[k], 1e-12, "period %zu", k);
        cr_assert_float_eq(r->gfee_in[k], fee[k], 1e-12, "period %zu", k);
        cr_assert_float_eq(r->gfee[k], 0, 0, "the tranche pays none");
        cr_assert_float_eq(r->commissioner[k], outlay[k], 1e-12, "period %zu", k);
        total += r->commissioner[k];
    }
    cr_assert_float_eq(total, 37.5, 1e-12);
    cr_assert_float_eq(r->tranche[0].fees, 0, 0);
    cr_assert_float_eq(r->guarantor_fees[0], 7.5, 1e-12);
    cr_assert_float_eq(r->guarantor[0], 30, 1e-12);
    cr_assert_float_eq(r->investor[6], 30, 1e-12);
    cr_assert_float_eq(r->investor[7], 30, 1e-12);
    fin_ws_free(r);
}

Test(guarantees, a_pro_rata_fee_is_on_share_times_commitment_when_below_the_max) {
    /* Share 25% of a 100 commitment, max 60: cover min(60, 25) = 25; 4% a
     * year on a yearly grid: 1.0 a year in periods 0 and 1, the call at 2. */
    tranche t;
    guarantee g = pro_rata("pr", 0.25, 60);
    g.fee = 0.04;
    financing f = bond_with(&t, &g, 1);
    double costs[] = {100, 0, 0}, pay[] = {0, 0, 0};
    fin_result *r = fin_ws_new(&f, 3, 1);
    fin_run(&f, costs, pay, 3, 2, r);
    cr_assert_float_eq(r->cover[0], 25, 1e-12);
    cr_assert_float_eq(r->gfee[0], 1, 1e-12);
    cr_assert_float_eq(r->gfee[1], 1, 1e-12);
    cr_assert_float_eq(r->gfee[2], 0, 0);
    cr_assert_float_eq(r->guarantor[0], 25, 1e-12); /* 0.25 x 100 */
    fin_ws_free(r);
}

/* ---------------------------------------------------- principal first */

Test(principal_first, a_capped_tranche_repaid_121_on_100_shows_principal_100_and_return_21) {
    /* 100 drawn at t = 0, cap 10%: owed 121 at t = 2 of the 200 paid. */
    financing f = plain(FIN_SIB);
    tranche t = make("investors", 1000, 1);
    t.has_return_cap = true;
    t.return_cap = 0.10;
    f.tranches = &t;
    f.n_tranches = 1;
    double costs[] = {100, 0, 0}, pay[] = {0, 0, 200};
    fin_result *r = fin_ws_new(&f, 3, 1);
    fin_run(&f, costs, pay, 3, 2, r);
    cr_assert_float_eq(r->draw[0], 100, 1e-12);
    cr_assert_float_eq(r->principal[2], 100, 1e-9);
    cr_assert_float_eq(r->ret[2], 21, 1e-9);
    cr_assert_float_eq(r->tranche[0].repaid, 100, 1e-9);
    cr_assert_float_eq(r->tranche[0].received, 121, 1e-9);
    cr_assert_float_eq(r->returned[2], 79, 1e-9);
    fin_ws_free(r);
}

Test(principal_first, two_payments_repay_principal_before_any_return) {
    /* 100 drawn at t = 0, cap 10%, 50 paid at t = 1 and 200 at t = 2.
     * t = 1: owed 110, paid 50, all principal (100 outstanding): principal
     * 50, return 0; owed 60. t = 2: owed 66: principal 50, return 16. */
    financing f = plain(FIN_SIB);
    tranche t = make("investors", 1000, 1);
    t.has_return_cap = true;
    t.return_cap = 0.10;
    f.tranches = &t;
    f.n_tranches = 1;
    double costs[] = {100, 0, 0}, pay[] = {0, 50, 200};
    fin_result *r = fin_ws_new(&f, 3, 1);
    fin_run(&f, costs, pay, 3, 2, r);
    cr_assert_float_eq(r->principal[1], 50, 1e-9);
    cr_assert_float_eq(r->ret[1], 0, 1e-9);
    cr_assert_float_eq(r->principal[2], 50, 1e-9);
    cr_assert_float_eq(r->ret[2], 16, 1e-9);
    cr_assert_float_eq(r->tranche[0].received, 116, 1e-9);
    fin_ws_free(r);
}

Test(principal_first, an_equity_tranches_residual_shows_as_return) {
    /* The senior/junior stack paid 300: the junior (equity) drew 100 and
     * receives 192.375: principal 100, residual return 92.375. The senior
     * drew 100 and receives 107.625: principal 100, coupon 7.625. */
    fin_result *r = senior_junior(300);
    const size_t n = 3;
    cr_assert(r->equity[1] && !r->equity[0]);
    cr_assert_float_eq(r->principal[0 * n + 2], 100, 1e-9);
    cr_assert_float_eq(r->ret[0 * n + 2], 7.625, 1e-9);
    cr_assert_float_eq(r->principal[1 * n + 2], 100, 1e-9);
    cr_assert_float_eq(r->ret[1 * n + 2], 92.375, 1e-9);
    /* Net flows: draws of 50 + 50 a year each, then the receipts. */
    cr_assert_float_eq(r->investor[1 * n + 0], -50, 1e-12);
    cr_assert_float_eq(r->investor[1 * n + 2], 192.375, 1e-9);
    fin_ws_free(r);
}

Test(principal_first, a_short_payment_is_all_principal) {
    /* Paid 120: the senior's 107.625 is 100 principal and 7.625 coupon;
     * the junior's 12.375 is all principal (87.625 lost), no return. */
    fin_result *r = senior_junior(120);
    const size_t n = 3;
    cr_assert_float_eq(r->principal[1 * n + 2], 12.375, 1e-9);
    cr_assert_float_eq(r->ret[1 * n + 2], 0, 1e-12);
    cr_assert_float_eq(r->tranche[1].repaid, 12.375, 1e-9);
    fin_ws_free(r);
}

/* ------------------------------------------- guarantees through the engine */

static void quiet_gsl(void) { gsl_set_error_handler_off(); }

/* One stage costing 100 at t = 0 (yearly grid), 100 people whose outcome
 * (a rate, higher is better, baseline 0.7, no effect) is counted at t = 1
 * and paid 1 each: X ~ Binomial(100, 0.7) paid at t = 1, which is also the
 * final settlement. One equity tranche of 100 and the guarantee `g` (a JSON
 * object, or "" for none). Its loss of principal is L = 100 - X, about 30
 * and below 50 but with probability P(X < 50) ~ 1e-5. */
static scenario *cover_scenario(const char *g) {
    char json[2048];
    snprintf(
        json, sizeof json,
        "{\"name\": \"cover\", \"currency\": \"EUR\","
        " \"simulation\": {\"seed\": 13, \"periods_per_year\": 1},"
        " \"stages\": [{\"name\": \"s\", \"duration\": 1, \"costs\": {\"setup\": 100},"
        "   \"cohorts\": [{\"size\": 100}]}],"
        " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
        "   \"baseline\": 0.7, \"effect\": {\"prior\": 0}, \"observation_lag\": 1,"
        "   \"evaluation\": {\"design\": \"validated_count\"}}],"
        " \"contract\": {\"payments\": [{\"outcome\": \"o\", \"type\": \"per_outcome\", \"price\": "
        "1}]},"
        " \"financing\": [{\"name\": \"S\", \"type\": \"sib\","
        "   \"tranches\": [{\"name\": \"inv\", \"commitment\": 100}]%s%s%s}]}",
        g[0] ? ", \"guarantees\": [" : "", g, g[0] ? "]" : "");
    return must_load_string(json);
}

Test(guarantees, first_loss_cover_of_half_the_commitment_leaves_a_smaller_loss_whole,
     .init = quiet_gsl) {
    /* The old defect: a guarantee documented as first loss behaved as a
     * share of each loss. First-loss cover of 50 (half the commitment) pays
     * the whole of any loss below 50, so the investor is whole in every
     * future but those with X < 50 (probability ~ 1e-5): P(loss) ~ 0.
     * Pro-rata cover of 50% pays half of each loss: back = X + (100 - X) / 2
     * = 50 + X / 2 < 100 whenever X < 100 (P(X = 100) = 0.7^100): P(loss) = 1,
     * as without any guarantee. */
    const char *kinds[3] = {
        "{\"name\": \"g\", \"tranche\": \"inv\", \"kind\": \"first_loss\", \"amount\": 50}",
        "{\"name\": \"g\", \"tranche\": \"inv\", \"kind\": \"pro_rata\", \"share\": 0.5}", ""};
    double p_loss[3], guaranteed[3], se[3], moic[3], moic_se[3];
    for (int k = 0; k < 3; k++) {
        scenario *sc = cover_scenario(kinds[k]);
        engine *e = must_engine(sc);
        must_run_on(e, 4096, 2);
        p_loss[k] = summary_of(e, "S", "inv.p_loss").mean;
        stats_summary g = summary_of(e, "S", "inv.guaranteed");
        guaranteed[k] = g.mean;
        se[k] = g.se;
        stats_summary m = summary_of(e, "S", "inv.expected_moic");
        moic[k] = m.mean;
        moic_se[k] = m.se;
        engine_free(e);
        scenario_free(sc);
    }
    cr_assert(p_loss[0] < 0.001, "first loss: P(loss) %.4f", p_loss[0]);
    cr_assert_float_eq(p_loss[1], 1.0, 0, "pro rata: P(loss) %.4f", p_loss[1]);
    cr_assert_float_eq(p_loss[2], 1.0, 0, "no guarantee: P(loss) %.4f", p_loss[2]);
    /* E[guaranteed]: first loss E[100 - X] = 100 - 70 = 30; pro rata half
     * of that, 15; none 0. Within 4 SE. */
    cr_assert(fabs(guaranteed[0] - 30) < 4 * se[0], "first loss pays %.3f +- %.3f", guaranteed[0],
              se[0]);
    cr_assert(fabs(guaranteed[1] - 15) < 4 * se[1], "pro rata pays %.3f +- %.3f", guaranteed[1],
              se[1]);
    cr_assert_float_eq(guaranteed[2], 0, 0);
    /* E[back] / E[in]: first loss (X + 100 - X) / 100 = 1 in every future
     * with X >= 50 (so its SE is ~0); pro rata E[50 + X / 2] / 100 = 0.85. */
    cr_assert_float_eq(moic[0], 1.0, 1e-3, "first loss multiple %.5f", moic[0]);
    cr_assert(fabs(moic[1] - 0.85) < 4 * moic_se[1], "pro rata multiple %.4f +- %.4f", moic[1],
              moic_se[1]);
}

Test(guarantees, the_engine_calls_the_guarantee_at_the_final_settlement_of_each_future,
     .init = quiet_gsl) {
    /* By hand: the grid runs to the latest planned date, b's payment at 4
     * years: 4 x 4 + 1 = 17 quarters. In every future only stage a runs
     * (until 0.25); its cohort's last contract event is at 0 + 0 + 2 = 2
     * years. Final settlement: max(0.25, 2) = 2 years, period 8 -- not the
     * grid's end (period 16), nor period 0 of the last draw. The investor:
     * -100 at 0, +50 (half the loss of 100) at 2 years: IRR 0.5^(1/2) - 1 =
     * -29.29% in every future (settled at 4 years it would be 0.5^(1/4) - 1
     * = -15.9%; in period 0, -100%); multiple 0.50x. */
    scenario *sc = no_payment_scenario("");
    engine *e = must_engine(sc);
    cr_assert_eq(engine_periods(e), 17);
    must_run_on(e, 2048, 2);
    const double irr = sqrt(0.5) - 1;
    stats_summary s = summary_of(e, "S", "inv.irr");
    cr_assert_eq(s.n, 2048);
    cr_assert_float_eq(s.min, irr, 1e-9, "IRR %.6f", s.min);
    cr_assert_float_eq(s.max, irr, 1e-9, "IRR %.6f", s.max);
    cr_assert_float_eq(summary_of(e, "S", "inv.pooled_irr").mean, irr, 1e-9);
    cr_assert_float_eq(summary_of(e, "S", "inv.moic").mean, 0.5, 1e-12);
    cr_assert_float_eq(summary_of(e, "S", "inv.expected_moic").mean, 0.5, 1e-12);
    cr_assert_float_eq(summary_of(e, "S", "guarantor.half.paid").mean, 50, 1e-9);
    irr_counts c;
    cr_assert_eq(engine_irr_counts(e, engine_find_metric(e, "S", "inv.irr"), &c), SIB_OK);
    cr_assert_eq(c.defined, 2048);
    cr_assert_eq(c.total_loss, 0, "a guarantee paid with the draw made it a total loss");
    /* The ledger of a path says where: 50 in period 8 and nowhere else. */
    ledger *l = engine_ledger_new(e);
    sib_error err;
    cr_assert_eq(engine_path_ledger(e, 7, l, NULL, NULL, &err), SIB_OK);
    cr_assert_eq(l->settle, 8);
    const fin_result *r = l->fin[0].run[0];
    for (size_t t = 0; t < 17; t++)
        cr_assert_float_eq(r->guar[t], t == 8 ? 50 : 0, 1e-12, "period %zu", t);
    ledger_free(l);
    engine_free(e);
    scenario_free(sc);
}

Test(guarantees, the_engine_calls_a_guarantee_at_the_tranches_maturity, .init = quiet_gsl) {
    /* The same future with the tranche maturing at 1 year: the call is in
     * period 4 x 1 = 4: -100 at 0, +50 at 1 year, IRR -50%. */
    scenario *sc = no_payment_scenario(", \"maturity\": 1");
    engine *e = must_engine(sc);
    must_run_on(e, 1024, 1);
    stats_summary s = summary_of(e, "S", "inv.irr");
    cr_assert_float_eq(s.min, -0.5, 1e-9, "IRR %.6f", s.min);
    cr_assert_float_eq(s.max, -0.5, 1e-9, "IRR %.6f", s.max);
    ledger *l = engine_ledger_new(e);
    sib_error err;
    cr_assert_eq(engine_expected_ledger(e, l, NULL, NULL, &err), SIB_OK);
    cr_assert_float_eq(l->fin[0].run[0]->guar[4], 50, 1e-12);
    ledger_free(l);
    engine_free(e);
    scenario_free(sc);
}
