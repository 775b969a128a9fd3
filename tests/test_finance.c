/* test_finance.c -- IRR and NPV on hand-computed flows. */
#include <criterion/criterion.h>
#include <math.h>

#include "../model/finance.h"

#define TOL 1e-10

Test(irr, flat_ten_percent_bond_returns_ten_percent) {
    double flows[] = {-100, 10, 10, 110};
    double r;
    cr_assert_eq(finance_irr(flows, 4, 1, &r), IRR_OK);
    cr_assert_float_eq(r, 0.10, TOL);
}

Test(irr, quarterly_flows_are_annualised_by_compounding) {
    /* 100 out, 110 back four quarters later: 10% a year; per quarter
     * 1.1^(1/4) - 1, compounded back to 10%. */
    double flows[] = {-100, 0, 0, 0, 110};
    double r;
    cr_assert_eq(finance_irr(flows, 5, 4, &r), IRR_OK);
    cr_assert_float_eq(r, 0.10, TOL);
}

Test(irr, leading_and_trailing_zeros_do_not_change_the_rate) {
    double flows[] = {0, 0, -100, 0, 0, 0, 0, 121, 0, 0};
    double r;
    cr_assert_eq(finance_irr(flows, 10, 2, &r), IRR_OK);
    /* 121/100 over 5 half-years: (1.21)^(2/5) - 1 a year. */
    cr_assert_float_eq(r, pow(1.21, 0.4) - 1, TOL);
}

Test(irr, two_year_loss_of_half_is_minus_29_percent) {
    double flows[] = {-100, 0, 50};
    double r;
    cr_assert_eq(finance_irr(flows, 3, 1, &r), IRR_OK);
    cr_assert_float_eq(r, sqrt(0.5) - 1, TOL);
}

Test(irr, annuity_against_closed_form) {
    /* Pay 1000, receive 300 a year for 5 years: the rate r solves
     * 1000 = 300 (1 - (1+r)^-5) / r. Check by substituting the answer. */
    double flows[] = {-1000, 300, 300, 300, 300, 300};
    double r;
    cr_assert_eq(finance_irr(flows, 6, 1, &r), IRR_OK);
    cr_assert_float_eq(300 * (1 - pow(1 + r, -5)) / r, 1000.0, 1e-7);
    cr_assert_float_eq(r, 0.152382, 1e-6); /* tables: 15.24% */
}

Test(irr, very_high_and_very_low_returns_are_found) {
    double up[] = {-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1e6}; /* x1e6 in 10 years */
    double down[] = {-1e6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    double r;
    cr_assert_eq(finance_irr(up, 11, 1, &r), IRR_OK);
    cr_assert_float_eq(r, pow(1e6, 0.1) - 1, 1e-9);
    cr_assert_eq(finance_irr(down, 11, 1, &r), IRR_OK);
    cr_assert_float_eq(r, pow(1e-6, 0.1) - 1, 1e-9);
}

Test(irr, nothing_back_is_a_total_loss_of_minus_100_percent) {
    double flows[] = {-100, -50, 0, 0};
    double r;
    cr_assert_eq(finance_irr(flows, 4, 4, &r), IRR_TOTAL_LOSS);
    cr_assert_float_eq(r, -1.0, 0);
}

Test(irr, all_zero_flows_are_undefined) {
    double flows[] = {0, 0, 0};
    double r = 0;
    cr_assert_eq(finance_irr(flows, 3, 4, &r), IRR_NO_FLOWS);
    cr_assert(isnan(r));
    cr_assert_eq(finance_irr(flows, 0, 4, &r), IRR_NO_FLOWS);
}

Test(irr, only_inflows_have_no_sign_change) {
    double flows[] = {0, 10, 20};
    double r = 0;
    cr_assert_eq(finance_irr(flows, 3, 1, &r), IRR_NO_SIGN_CHANGE);
    cr_assert(isnan(r));
}

Test(irr, two_roots_are_reported_as_multiple_not_guessed) {
    /* -100 + 230 v - 132 v^2 = 0 has v = 1/1.1 and v = 1/1.2: IRRs of 10%
     * and 20%. Neither is "the" IRR. */
    double flows[] = {-100, 230, -132};
    double r = 0;
    cr_assert_eq(finance_irr(flows, 3, 1, &r), IRR_MULTIPLE);
    cr_assert(isnan(r));
}

Test(irr, several_sign_changes_with_one_root_are_solved) {
    /* -100, +50, -10, +80: three sign changes; NPV(r) decreases through
     * one root (checked by substitution and by the closed form's sign). */
    double flows[] = {-100, 50, -10, 80};
    double r;
    cr_assert_eq(finance_irr(flows, 4, 1, &r), IRR_OK);
    cr_assert_float_eq(finance_npv(flows, 4, 1, r), 0.0, 1e-8);
    cr_assert(r > 0.05 && r < 0.15);
}

Test(irr, negative_npv_everywhere_has_no_root) {
    /* +10, -100, +10: NPV = 10 - 100 v + 10 v^2 < 0 only between its roots;
     * pick flows whose NPV never reaches zero for v > 0: 10 - 30 v + 30 v^2 > 0. */
    double flows[] = {10, -30, 30};
    double r = 0;
    cr_assert_eq(finance_irr(flows, 3, 1, &r), IRR_NO_ROOT);
    cr_assert(isnan(r));
}

Test(irr, solver_is_reusable_across_calls) {
    irr_solver *s = irr_solver_new();
    cr_assert_not_null(s);
    double a[] = {-100, 110}, b[] = {-100, 0, 144};
    double r;
    cr_assert_eq(irr_solve(s, a, 2, 1, &r), IRR_OK);
    cr_assert_float_eq(r, 0.10, TOL);
    cr_assert_eq(irr_solve(s, b, 3, 1, &r), IRR_OK);
    cr_assert_float_eq(r, 0.20, TOL);
    irr_solver_free(s);
    irr_solver_free(NULL);
}

Test(npv, discounts_by_compounded_annual_rate) {
    double flows[] = {-100, 0, 0, 0, 110};
    cr_assert_float_eq(finance_npv(flows, 5, 4, 0.10), 0.0, 1e-9);
    double one[] = {0, 0, 0, 0, 0, 0, 0, 0, 100}; /* 100 in two years, quarterly grid */
    cr_assert_float_eq(finance_npv(one, 9, 4, 0.05), 100 / 1.1025, 1e-9);
    cr_assert_float_eq(finance_npv(one, 9, 4, 0.0), 100.0, 1e-12);
}
