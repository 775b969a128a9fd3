/* test_finance.c -- IRR and NPV on hand-computed flows. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

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

Test(npv, many_flows_at_once_are_each_their_own_npv_to_the_bit) {
    /* Up to 19 flows (every lane count and a second group of eight), of
     * 1 to 57 periods, each at its own rate: each NPV is finance_npv_at's
     * to the bit, and within 1e-12 of the sum of the discounted flows
     * written out term by term (v^t by pow, in long double). */
    enum { K = 19, N = 60 };
    static double flow[K][N];
    const double *flows[K];
    double v[K], out[K];
    unsigned x = 12345;
    for (size_t j = 0; j < K; j++) {
        for (size_t t = 0; t < N; t++) {
            x = x * 1103515245u + 12345u;
            flow[j][t] = ((double)(x >> 8) / 16777216.0 - 0.4) * 1e6;
        }
        flows[j] = flow[j];
        v[j] = 1 / (1 + 0.002 * (double)(j + 1)); /* 0.2% to 3.8% a period */
    }
    for (size_t k = 1; k <= K; k++)
        for (size_t n = 1; n <= N; n += 14) { /* 1, 15, 29, 43, 57 */
            for (size_t j = 0; j < K; j++) out[j] = -1;
            finance_npv_at_many(flows, v, k, n, out);
            for (size_t j = 0; j < k; j++) {
                cr_assert(out[j] == finance_npv_at(flows[j], n, v[j]), "k %zu n %zu lane %zu", k, n,
                          j);
                long double sum = 0, mag = 0;
                for (size_t t = 0; t < n; t++) {
                    sum += (long double)flows[j][t] * powl(v[j], (long double)t);
                    mag += fabsl((long double)flows[j][t]);
                }
                cr_assert(fabsl(out[j] - sum) <= 1e-12L * mag, "k %zu n %zu lane %zu", k, n, j);
            }
            for (size_t j = k; j < K; j++) cr_assert(out[j] == -1, "lane %zu written", j);
        }
}

/* ------------------------------------------------ properties on random flows */

#include <gsl/gsl_rng.h>

/* NPV in x = ln(1 + per-period rate), scaled so that it never overflows:
 * the sign is all the grid needs. */
static double npv_sign_at(const double *c, size_t n, double x) {
    double acc = 0;
    if (x >= 0) {
        double v = exp(-x);
        for (size_t t = n; t-- > 0;) acc = acc * v + c[t];
    } else {
        double w = exp(x);
        for (size_t t = 0; t < n; t++) acc = acc * w + c[t];
    }
    return acc;
}

/* Roots of NPV for rates from -99.99% to +999,900% a period, counted as
 * sign changes on a grid of 4,001 points: an independent count to hold
 * the solver's verdict against. */
static int grid_roots(const double *c, size_t n) {
    int roots = 0, prev = 0;
    for (int i = 0; i <= 4000; i++) {
        double x = -9.21 + 18.42 * i / 4000.0, f = npv_sign_at(c, n, x);
        int s = (f > 0) - (f < 0);
        if (s == 0) continue;
        if (prev != 0 && s != prev) roots++;
        prev = s;
    }
    return roots;
}

/* Flows shaped like a waterfall's: draws over the first periods, payments
 * later, sometimes interleaved (a payment while draws go on), sometimes
 * money lost after money came back. */
static size_t random_flows(gsl_rng *r, double *c) {
    size_t n = 8 + gsl_rng_uniform_int(r, 32);
    size_t draws = 1 + gsl_rng_uniform_int(r, n / 2);
    for (size_t t = 0; t < n; t++) c[t] = 0;
    for (size_t t = 0; t < draws; t++) c[t] = -(10 + 90 * gsl_rng_uniform(r));
    int k = (int)gsl_rng_uniform_int(r, 4);
    for (int j = 0; j <= k; j++) {
        size_t t = 1 + gsl_rng_uniform_int(r, n - 1);
        c[t] += 400 * gsl_rng_uniform(r) * (gsl_rng_uniform(r) < 0.85 ? 1 : -1);
    }
    return n;
}

Test(irr, a_root_found_on_random_flows_has_zero_npv_and_is_the_only_one) {
    /* 3,000 random waterfall-shaped flows. Whatever the solver says, an
     * independent fine grid agrees: one IRR -> exactly one sign change of
     * NPV and |NPV(r)| ~ 0; several IRRs -> more than one; no root -> none
     * on the grid. */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 20261129);
    irr_solver *s = irr_solver_new();
    double c[64];
    int ok = 0, several = 0;
    for (int trial = 0; trial < 3000; trial++) {
        size_t n = random_flows(r, c);
        double rate;
        irr_status st = irr_solve(s, c, n, 4, &rate);
        int g = grid_roots(c, n);
        if (st == IRR_OK) {
            ok++;
            cr_assert_eq(g, 1, "trial %d: the solver found %g, the grid %d roots", trial, rate, g);
            /* NPV at the root, against the size of its terms there, in the
             * same overflow-free scaling (x = ln(1 + per-period rate)). */
            double x = log1p(rate) / 4, scale = 0, abs_c[64];
            for (size_t t = 0; t < n; t++) abs_c[t] = fabs(c[t]);
            scale = npv_sign_at(abs_c, n, x);
            double npv = npv_sign_at(c, n, x);
            cr_assert(fabs(npv) <= 1e-9 * scale, "trial %d: NPV(%g) = %g of %g", trial, rate, npv,
                      scale);
        } else if (st == IRR_MULTIPLE) {
            several++;
            cr_assert_geq(g, 2, "trial %d: several roots said, the grid has %d", trial, g);
        } else if (st == IRR_NO_ROOT) {
            cr_assert_eq(g, 0, "trial %d: no root said, the grid has %d", trial, g);
        } else {
            cr_assert(st == IRR_TOTAL_LOSS || st == IRR_NO_SIGN_CHANGE, "trial %d: status %d",
                      trial, (int)st);
        }
    }
    cr_assert(ok > 2000 && several > 0, "%d solved, %d with several roots", ok, several);
    irr_solver_free(s);
    gsl_rng_free(r);
}

Test(irr, a_solver_used_again_answers_as_a_fresh_one) {
    /* A solver keeps the scan's grid from one flow to the next (built the
     * first time it scans each span of rates). Over 3,000 random flows,
     * some scanned on each span, one solver used throughout must give each
     * flow the status and the rate, to the bit, of a solver made for it. */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 20261130);
    irr_solver *s = irr_solver_new();
    double c[64];
    for (int trial = 0; trial < 3000; trial++) {
        size_t n = random_flows(r, c);
        double kept, fresh;
        irr_status a = irr_solve(s, c, n, 4, &kept), b = finance_irr(c, n, 4, &fresh);
        cr_assert_eq(a, b, "trial %d: status %d against %d", trial, (int)a, (int)b);
        cr_assert(memcmp(&kept, &fresh, sizeof kept) == 0, "trial %d: %.17g against %.17g", trial,
                  kept, fresh);
    }
    irr_solver_free(s);
    gsl_rng_free(r);
}

Test(irr, flows_built_around_a_known_rate_give_it_back) {
    /* Choose r, draw random flows for every period but the last, and set
     * the last so that NPV(r) = 0: c_n = -(sum_t c_t v^t) / v^n with
     * v = (1 + r)^(-1/p). When that rate is the only root (the grid
     * says), the solver must return it. */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    double c[64];
    int checked = 0;
    for (int trial = 0; trial < 2000; trial++) {
        size_t n = random_flows(r, c);
        double want = -0.5 + 1.5 * gsl_rng_uniform(r); /* -50% .. +100% a year */
        double v = pow(1 + want, -1.0 / 4), pv = 0;
        for (size_t t = 0; t + 1 < n; t++) pv += c[t] * pow(v, (double)t);
        c[n - 1] = -pv / pow(v, (double)(n - 1));
        if (grid_roots(c, n) != 1) continue;
        double got;
        cr_assert_eq(finance_irr(c, n, 4, &got), IRR_OK, "trial %d", trial);
        cr_assert_float_eq(got, want, 1e-9 * (1 + fabs(want)), "trial %d: %.12g vs %.12g", trial,
                           got, want);
        checked++;
    }
    cr_assert_gt(checked, 1000);
    gsl_rng_free(r);
}

Test(irr, interleaved_flows_with_one_root_are_proved_unique_without_a_scan) {
    /* -100, +60, -50, +120: three sign changes, so Descartes allows three
     * roots; the cumulative flows -100, -40, -90, +30 change sign once and
     * the flows' sums from the end, +120, +70, +130, +30, never: exactly
     * one root, with r > 0. By hand: NPV(v) = -100 + 60 v - 50 v^2 + 120 v^3
     * has its root at v = 0.898264... (r = 11.3258% a period). */
    double flows[] = {-100, 60, -50, 120};
    double r;
    cr_assert_eq(finance_irr(flows, 4, 1, &r), IRR_OK);
    cr_assert_float_eq(finance_npv(flows, 4, 1, r), 0.0, 1e-9);
    double v = 1 / (1 + r);
    cr_assert_float_eq(-100 + 60 * v - 50 * v * v + 120 * v * v * v, 0.0, 1e-9);
    cr_assert(r > 0.10 && r < 0.12, "%g", r);
}

Test(irr, interleaved_flows_are_proved_unique_at_their_own_rate) {
    /* -100, +120, -100, +150, +150: the cumulative flows -100, 20, -80, 70,
     * 220 change sign three times, so the bounds at r = 0 allow three roots
     * with r > 0. At the root itself the investor's balance (the flows'
     * present values summed) stays below zero until the end -- -100,
     * -23.3, -64.2, -25.0 -- so it is the only one. The root, found apart
     * from sibsim by bisection on the quartic
     * -100 + 120 v - 100 v^2 + 150 v^3 + 150 v^4: v = 0.63901692097518,
     * r = 56.4903788%. */
    double flows[] = {-100, 120, -100, 150, 150};
    double r;
    cr_assert_eq(finance_irr(flows, 5, 1, &r), IRR_OK);
    cr_assert_float_eq(r, 1 / 0.63901692097518 - 1, 1e-11);
}

Test(irr, two_roots_at_rates_near_minus_100_percent_are_found_by_the_scan) {
    /* Both roots below r = 0, so that only the scan of that side can tell:
     * 24 - 11 v + v^2 = (v - 3)(v - 8), r = -66.7% and -87.5% a period; and
     * 100 - 52 v + v^2 = (v - 2)(v - 50), r = -50% and -98%. The flows sum
     * to 14 and 49, the cumulative flows from the start never change sign
     * and those from the end twice: the scan runs, within Fujiwara's bound
     * on v (2 max(11, 12^(1/2)) = 22 and 2 max(52, 50^(1/2)) = 104), which
     * holds both roots. */
    double a[] = {24, -11, 1}, b[] = {100, -52, 1}, r;
    cr_assert_eq(finance_irr(a, 3, 1, &r), IRR_MULTIPLE);
    cr_assert_eq(finance_irr(b, 3, 1, &r), IRR_MULTIPLE);
    /* For contrast, one root there: (v - 50)(v + 1) = v^2 - 49 v - 50 has
     * v = 50 alone (r = -98%), and it is found. */
    double c[] = {-50, -49, 1};
    cr_assert_eq(finance_irr(c, 3, 1, &r), IRR_OK);
    cr_assert_float_eq(r, 1.0 / 50 - 1, 1e-12);
}

Test(irr, roots_on_both_sides_of_zero_are_several) {
    /* -100, +250, -140: the flows sum to +10 but start and end negative, so
     * NPV changes sign once at a rate below 0 and once above:
     * 140 v^2 - 250 v + 100 = 0 at v = (250 -+ sqrt(6,500)) / 280, i.e.
     * r = +65.3% and r = -15.3%. */
    double flows[] = {-100, 250, -140};
    double r;
    cr_assert_eq(finance_irr(flows, 3, 1, &r), IRR_MULTIPLE);
    cr_assert(isnan(r));
}
