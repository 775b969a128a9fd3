/* test_financing.c -- the single-tranche SIB waterfall, by hand. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../model/finance.h"
#include "../model/financing.h"

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

static financing plain(financing_type type) {
    financing f;
    memset(&f, 0, sizeof f);
    f.type = type;
    snprintf(f.name, sizeof f.name, "test");
    return f;
}

static tranche make(const char *name, double commitment, int priority) {
    tranche t;
    memset(&t, 0, sizeof t);
    snprintf(t.name, sizeof t.name, "%s", name);
    t.commitment = commitment;
    t.priority = priority;
    return t;
}

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
    guarantee g = {.name = "Bloomberg", .tranche = 0, .kind = GUARANTEE_PRO_RATA, .share = 5.0 / 6.0, .max = 7.2e6};
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
