/* test_financing.c -- the single-tranche SIB waterfall, by hand. */
#include <criterion/criterion.h>
#include <math.h>

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
