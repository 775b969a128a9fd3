/* test_analysis.c -- sweeps, tornado, solve, convergence and the value of
 * the pilot, on scenarios whose answers are known. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/analysis.h"
#include "helpers.h"

static void setup(void) { gsl_set_error_handler_off(); }
TestSuite(analysis, .init = setup);

/* A sweep's points in the order the callback saw them: each point's
 * parameters and its mean commissioner payments; the callback stops the
 * sweep after stop_after points (never when 0). */
typedef struct {
    double x[64][2], y[64];
    size_t n, stop_after;
} collected;

static int collect(const double *x, size_t n_params, const engine *e, void *ud) {
    collected *c = ud;
    metric_choice m;
    sib_error err;
    cr_assert_eq(analysis_choose(e, "commissioner/payments.total", &m, &err), SIB_OK);
    c->x[c->n][0] = x[0];
    c->x[c->n][1] = n_params > 1 ? x[1] : NAN;
    c->y[c->n] = analysis_value(e, &m, NULL);
    return ++c->n == c->stop_after;
}

Test(analysis, a_dearer_true_up_never_lowers_what_the_commissioner_pays) {
    /* On common random numbers every path pays at least as much at a higher
     * price, so the mean rises (weakly) point by point. */
    char *text = repo_text("scenarios/peterborough.json");
    analysis_base b = {.text = text, .name = "peterborough", .paths = 4096, .threads = 2};
    const char *ptr[1] = {"/contract/payments/1/price"};
    double from = 5000, to = 20000;
    int steps = 7;
    collected c = {.n = 0};
    sib_error err;
    cr_assert_eq(analysis_sweep(&b, ptr, &from, &to, &steps, 1, collect, &c, &err), SIB_OK,
                 "%s", err.message);
    cr_assert_eq(c.n, 7);
    for (size_t i = 1; i < c.n; i++)
        cr_assert(c.y[i] >= c.y[i - 1], "point %zu: %.2f < %.2f", i, c.y[i], c.y[i - 1]);
    cr_assert(c.y[6] > c.y[0]);
    free(text);
}

Test(analysis, a_bad_pointer_is_refused_with_its_pointer) {
    char *text = repo_text("scenarios/peterborough.json");
    analysis_base b = {.text = text, .name = "peterborough", .paths = 1024, .threads = 1};
    const char *ptr[1] = {"/contract/payments/7/price"};
    double from = 1, to = 2;
    int steps = 2;
    collected c = {.n = 0};
    sib_error err;
    cr_assert_eq(analysis_sweep(&b, ptr, &from, &to, &steps, 1, collect, &c, &err), SIB_EINVAL);
    cr_assert_str_eq(err.pointer, "/contract/payments/7");
    free(text);
}

/* The same term as both parameters of a sweep: the second's value would
 * override the first's at every point, so the rows, labelled with the
 * first's values, would all be the same run. Refused, naming the term. */
Test(analysis, a_sweep_of_one_term_twice_is_refused) {
    char *text = repo_text("scenarios/peterborough.json");
    analysis_base b = {.text = text, .name = "peterborough", .paths = 1024, .threads = 1};
    const char *ptr[2] = {"/contract/payments/0/trigger", "/contract/payments/0/trigger"};
    double from[2] = {0.05, 0.08}, to[2] = {0.15, 0.12};
    int steps[2] = {2, 2};
    collected c = {.n = 0};
    sib_error err;
    cr_assert_eq(analysis_sweep(&b, ptr, from, to, steps, 2, collect, &c, &err), SIB_EINVAL);
    cr_assert_eq(c.n, 0, "no point is run");
    cr_assert_str_eq(err.pointer, "/contract/payments/0/trigger");
    free(text);
}

/* A solve given one term twice, among others: a slip, refused naming the
 * term, as a sweep's (it ran, moving the term once). */
Test(analysis, a_solve_of_one_term_twice_is_refused) {
    char *text = repo_text("scenarios/peterborough.json");
    analysis_base b = {.text = text, .name = "peterborough", .paths = 1024, .threads = 1};
    const char *ptr[3] = {"/contract/payments/0/price", "/contract/payments/1/price",
                          "/contract/payments/0/price"};
    solve_result r;
    sib_error err;
    cr_assert_eq(analysis_solve(&b, ptr, 3, 1000, 20000, "pooled_irr", 0.02, 1, &r, &err),
                 SIB_EINVAL);
    cr_assert_str_eq(err.pointer, "/contract/payments/0/price");
    cr_assert(strstr(err.message, "given twice") != NULL, "%s", err.message);
    free(text);
}

/* Points run side by side on several threads, yet the callback sees them in
 * grid order (the second parameter fastest) with each point's result that
 * of a run alone: the same bits on 1, 2, 3 and 16 threads. A stop from
 * the callback ends the sweep at that point. */
Test(analysis, a_sweep_on_several_threads_reports_the_grid_in_order_with_the_same_results) {
    char *text = repo_text("scenarios/peterborough.json");
    const char *ptr[2] = {"/contract/payments/1/price", "/contract/cap"};
    double from[2] = {5000, 4e6}, to[2] = {20000, 8e6};
    int steps[2] = {5, 3};
    collected one = {.n = 0};
    const unsigned threads[] = {1, 2, 3, 16};
    for (size_t k = 0; k < sizeof threads / sizeof threads[0]; k++) {
        analysis_base b = {
            .text = text, .name = "peterborough", .paths = 3000, .threads = threads[k]};
        collected c = {.n = 0};
        sib_error err;
        cr_assert_eq(analysis_sweep(&b, ptr, from, to, steps, 2, collect, &c, &err), SIB_OK, "%s",
                     err.message);
        cr_assert_eq(c.n, 15);
        for (size_t i = 0; i < c.n; i++) {
            /* Point i is (price index i / 3, cap index i % 3). */
            cr_assert_eq(c.x[i][0], 5000 + 15000.0 * (double)(i / 3) / 4, "point %zu", i);
            cr_assert_eq(c.x[i][1], 4e6 + 4e6 * (double)(i % 3) / 2, "point %zu", i);
        }
        if (k == 0) {
            one = c;
            continue;
        }
        cr_assert_eq(memcmp(c.y, one.y, sizeof c.y), 0, "%u threads: a point's result differs",
                     threads[k]);
        /* Stopped by the callback after 4 points. */
        collected s = {.n = 0, .stop_after = 4};
        cr_assert_eq(analysis_sweep(&b, ptr, from, to, steps, 2, collect, &s, &err), SIB_ECANCEL);
        cr_assert_eq(s.n, 4);
        cr_assert_eq(memcmp(s.y, one.y, 4 * sizeof *s.y), 0);
    }
    free(text);
}

/* A point the loader refuses ends the sweep with its error, after the
 * points before it, on one thread or several. */
Test(analysis, a_refused_point_ends_a_sweep_on_several_threads_with_its_error) {
    char *text = repo_text("scenarios/peterborough.json");
    const char *ptr[1] = {"/contract/payments/1/price"};
    double from = 20000, to = -10000;
    int steps = 4; /* 20000, 10000, 0, -10000: the last is refused */
    for (unsigned threads = 1; threads <= 4; threads++) {
        analysis_base b = {.text = text, .name = "peterborough", .paths = 1024, .threads = threads};
        collected c = {.n = 0};
        sib_error err;
        cr_assert_eq(analysis_sweep(&b, &ptr[0], &from, &to, &steps, 1, collect, &c, &err),
                     SIB_EINVAL, "%u threads", threads);
        cr_assert_eq(c.n, 3, "%u threads: %zu points reported", threads, c.n);
        cr_assert_str_eq(err.pointer, "/contract/payments/1/price");
    }
    free(text);
}

/* One payment A at year 3 (yearly grid) for 1,000,000 spent at the start:
 * the investors' IRR is (A / 1e6)^(1/3) - 1 in every path. */
static const char *bullet =
    "{\"name\": \"bullet\", \"currency\": \"GBP\","
    " \"simulation\": {\"periods_per_year\": 1, \"seed\": 2},"
    " \"stages\": [{\"name\": \"s\", \"duration\": 1, \"costs\": {\"setup\": 1000000},"
    "   \"cohorts\": [{\"size\": 100}]}],"
    " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
    "   \"baseline\": 0.5, \"effect\": {\"prior\": 0}, \"evaluation\": {\"design\": \"validated_count\"}}],"
    " \"contract\": {\"payments\": [{\"outcome\": \"o\", \"type\": \"fixed\", \"amount\": 1500000,"
    "   \"trigger\": -10, \"lag\": 3}]},"
    " \"financing\": [{\"name\": \"SIB\", \"type\": \"sib\","
    "   \"tranches\": [{\"name\": \"inv\", \"commitment\": 2000000}]}]}";

Test(analysis, solve_recovers_the_payment_that_gives_investors_seven_percent) {
    /* A = 1e6 x 1.07^3 = 1,225,043. */
    analysis_base b = {.text = bullet, .name = "bullet", .paths = 1024, .threads = 1};
    solve_result r;
    sib_error err;
    const char *amount[] = {"/contract/payments/0/amount"};
    cr_assert_eq(analysis_solve(&b, amount, 1, 1e6, 2e6, "irr", 0.07, 1e-3, &r, &err), SIB_OK,
                 "%s", err.message);
    cr_assert(r.found);
    cr_assert_float_eq(r.value, 1e6 * pow(1.07, 3), 0.01);
    cr_assert_float_eq(r.metric, 0.07, 1e-8);
    cr_assert(r.iterations > 0 && r.iterations < 60);
}

Test(analysis, solve_says_when_the_range_cannot_reach_the_target) {
    analysis_base b = {.text = bullet, .name = "bullet", .paths = 1024, .threads = 1};
    solve_result r;
    sib_error err;
    /* At most 1.1e6 at year 3: about 3.2% a year; 7% is out of reach. */
    const char *amount[] = {"/contract/payments/0/amount"};
    cr_assert_eq(analysis_solve(&b, amount, 1, 1e6, 1.1e6, "irr", 0.07, 1e-3, &r, &err), SIB_OK);
    cr_assert_not(r.found);
    cr_assert_not(r.flat, "the IRR moves with the payment: the range is too narrow, not flat");
    cr_assert(r.f_lo < 0 && r.f_hi < 0);
}

/* Two fixed payments of the same amount X at year 3, linked terms: the IRR
 * is (2X / 1e6)^(1/3) - 1, so 7% needs X = 1e6 x 1.07^3 / 2 = 612,521.5. */
static const char *two_payments =
    "{\"name\": \"linked\", \"currency\": \"GBP\","
    " \"simulation\": {\"periods_per_year\": 1, \"seed\": 2},"
    " \"stages\": [{\"name\": \"s\", \"duration\": 1, \"costs\": {\"setup\": 1000000},"
    "   \"cohorts\": [{\"size\": 100}]}],"
    " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
    "   \"baseline\": 0.5, \"effect\": {\"prior\": 0}, \"evaluation\": {\"design\": \"validated_count\"}}],"
    " \"contract\": {\"cap\": 1300000, \"payments\": ["
    "   {\"name\": \"a\", \"outcome\": \"o\", \"type\": \"fixed\", \"amount\": 500000, \"trigger\": -10, \"lag\": 3},"
    "   {\"name\": \"b\", \"outcome\": \"o\", \"type\": \"fixed\", \"amount\": 500000, \"trigger\": -10, \"lag\": 3}]},"
    " \"financing\": [{\"name\": \"SIB\", \"type\": \"sib\","
    "   \"tranches\": [{\"name\": \"inv\", \"commitment\": 2000000}]}]}";

Test(analysis, solve_moves_linked_terms_together) {
    analysis_base b = {.text = two_payments, .name = "linked", .paths = 1024, .threads = 1};
    const char *both[] = {"/contract/payments/0/amount", "/contract/payments/1/amount"};
    solve_result r;
    sib_error err;
    cr_assert_eq(analysis_solve(&b, both, 2, 4e5, 6.4e5, "pooled_irr", 0.07, 1e-3, &r, &err),
                 SIB_OK, "%s", err.message);
    cr_assert(r.found);
    cr_assert_float_eq(r.value, 1e6 * pow(1.07, 3) / 2, 0.01);
    /* Moving one of them alone needs X = 1e6 x 1.07^3 - 500,000 = 725,043. */
    cr_assert_eq(analysis_solve(&b, both, 1, 5e5, 8e5, "pooled_irr", 0.07, 1e-3, &r, &err), SIB_OK);
    cr_assert(r.found);
    cr_assert_float_eq(r.value, 1e6 * pow(1.07, 3) - 5e5, 0.01);
}

Test(analysis, solve_says_when_a_cap_holds_the_metric_still) {
    /* The contract's cap of 1.3m binds once 2X > 1.3m: from X = 7e5 to 9e5
     * the investors always get 1.3m, an IRR of 1.3^(1/3) - 1 = 9.14%, at
     * both ends and in the middle; 12% is out of reach by this term. */
    analysis_base b = {.text = two_payments, .name = "linked", .paths = 1024, .threads = 1};
    const char *both[] = {"/contract/payments/0/amount", "/contract/payments/1/amount"};
    solve_result r;
    sib_error err;
    cr_assert_eq(analysis_solve(&b, both, 2, 7e5, 9e5, "pooled_irr", 0.12, 1e-3, &r, &err), SIB_OK);
    cr_assert_not(r.found);
    cr_assert_eq(r.flat, 2);
    cr_assert_float_eq(r.f_lo + 0.12, pow(1.3, 1.0 / 3) - 1, 1e-9);
    /* From X = 5e5 to 9e5 it moves until 2X reaches the cap at X = 6.5e5:
     * the middle (7e5) and the top give the same capped IRR. */
    cr_assert_eq(analysis_solve(&b, both, 2, 5e5, 9e5, "pooled_irr", 0.12, 1e-3, &r, &err), SIB_OK);
    cr_assert_not(r.found);
    cr_assert_eq(r.flat, 1);
    cr_assert(r.f_lo < r.f_hi && r.f_mid == r.f_hi);
}

/* A cap that holds the metric still at the end of the range FARTHER from
 * the target does not put the target out of reach: the metric still moves
 * at the other end, toward it. With X from 5e5 to 9e5 the IRR is 0% at
 * 5e5 and the capped 9.14% from 6.5e5 on (the middle, 7e5, too); -5% lies
 * below both, nearer the low end, where (2X / 1e6)^(1/3) - 1 = -5% at
 * X = 0.95^3 x 1e6 / 2 = 428,687.5. So solve must say that a range reaching
 * below 5e5 may reach it (widen = -1), not that the cap puts it out of
 * reach, and the wider range finds it. With the target above (12%), the cap
 * holds the end nearer the target, and nothing past either end helps
 * (widen = 0). A metric that moves throughout (the bullet's IRR, 3.2% at
 * 1.1e6 against 7%) is nearer the target at the high end (widen = 1). */
Test(analysis, solve_says_which_end_a_wider_range_may_reach_the_target_past) {
    analysis_base b = {.text = two_payments, .name = "linked", .paths = 1024, .threads = 1};
    const char *both[] = {"/contract/payments/0/amount", "/contract/payments/1/amount"};
    solve_result r;
    sib_error err;
    cr_assert_eq(analysis_solve(&b, both, 2, 5e5, 9e5, "pooled_irr", -0.05, 1e-3, &r, &err),
                 SIB_OK, "%s", err.message);
    cr_assert_not(r.found);
    cr_assert_eq(r.flat, 1, "the cap holds it still from the middle to the high end");
    cr_assert_float_eq(r.f_lo + -0.05, 0, 1e-9);
    cr_assert_float_eq(r.f_hi + -0.05, pow(1.3, 1.0 / 3) - 1, 1e-9);
    cr_assert_eq(r.widen, -1, "the metric is nearest the target at the low end, and moves there");
    cr_assert_eq(analysis_solve(&b, both, 2, 4e5, 9e5, "pooled_irr", -0.05, 1e-3, &r, &err),
                 SIB_OK, "%s", err.message);
    cr_assert(r.found, "the wider range reaches the target");
    cr_assert_float_eq(r.value, pow(0.95, 3) * 1e6 / 2, 0.01);

    cr_assert_eq(analysis_solve(&b, both, 2, 5e5, 9e5, "pooled_irr", 0.12, 1e-3, &r, &err), SIB_OK);
    cr_assert_not(r.found);
    cr_assert_eq(r.flat, 1);
    cr_assert_eq(r.widen, 0, "the cap holds the end nearer the target: no wider range helps");

    analysis_base bb = {.text = bullet, .name = "bullet", .paths = 1024, .threads = 1};
    const char *amount[] = {"/contract/payments/0/amount"};
    cr_assert_eq(analysis_solve(&bb, amount, 1, 1e6, 1.1e6, "irr", 0.07, 1e-3, &r, &err), SIB_OK);
    cr_assert_not(r.found);
    cr_assert_eq(r.widen, 1, "nearer the target at the high end, 1.1e6");
}

/* A target the metric meets exactly at an end of the range: at a price of
 * 0 in both of Peterborough's rules nothing is ever paid, so the investors'
 * multiple is 0 in every future, and its standard error 0. The answer is
 * that end, with ITS standard error (not that of the other end, run last),
 * and a bracket that is that end alone. */
Test(analysis, a_root_at_an_end_of_the_range_has_that_end_s_standard_error) {
    char *text = repo_text("scenarios/peterborough.json");
    analysis_base b = {.text = text, .name = "peterborough", .paths = 2048, .threads = 1};
    const char *both[] = {"/contract/payments/0/price", "/contract/payments/1/price"};
    solve_result r;
    sib_error err;
    cr_assert_eq(analysis_solve(&b, both, 2, 0, 20000, "moic", 0, 1e-3, &r, &err), SIB_OK, "%s",
                 err.message);
    cr_assert(r.found);
    cr_assert_eq(r.value, 0);
    cr_assert_eq(r.metric, 0);
    cr_assert_eq(r.se, 0, "every future's multiple is 0 at a price of 0: SE %g", r.se);
    cr_assert_eq(r.lo, 0);
    cr_assert_eq(r.hi, 0, "the bracket is the end found, not the whole range: [%g, %g]", r.lo,
                 r.hi);
    free(text);
}

/* A metric that rises and falls over the range crosses a target between
 * its ends twice, though the ends are on the same side of it: the regional
 * template's net value under a grant, against the implementation gate's
 * threshold, is below 380k at a threshold of 0 (weak programmes scaled up)
 * and at 0.3 (good ones stopped), and above it at 0.15. Those three values
 * are run here on their own (analysis_run_with); solve must find a
 * threshold in each half where the net value is the target, not report
 * that no value in [0, 0.3] gives it. */
static double grant_net_value_at(const analysis_base *b, double x) {
    scenario_override ov = {"/stages/1/gate/min_effect", x};
    analysis_run r;
    sib_error err;
    cr_assert_eq(analysis_run_with(b, &ov, 1, &r, &err), SIB_OK, "%s", err.message);
    metric_choice m;
    cr_assert_eq(analysis_choose(r.e, "grant/net_value", &m, &err), SIB_OK, "%s", err.message);
    const double v = analysis_value(r.e, &m, NULL);
    analysis_free_run(&r);
    return v;
}

Test(analysis, solve_finds_both_crossings_of_a_metric_that_rises_and_falls) {
    char *text = repo_text("scenarios/regional-pilot-to-scale.json");
    analysis_base b = {.text = text, .name = "regional", .paths = 4096, .threads = 2};
    const double target = 380000;
    const double at0 = grant_net_value_at(&b, 0), at15 = grant_net_value_at(&b, 0.15),
                 at30 = grant_net_value_at(&b, 0.3);
    cr_assert(at0 < target && at15 > target && at30 < target,
              "the premise: %.0f, %.0f, %.0f against %.0f", at0, at15, at30, target);
    const char *threshold[] = {"/stages/1/gate/min_effect"};
    solve_result r;
    sib_error err;
    cr_assert_eq(analysis_solve(&b, threshold, 1, 0, 0.3, "grant/net_value", target, 1e-7, &r, &err),
                 SIB_OK, "%s", err.message);
    cr_assert(r.found, "the net value crosses 380k twice in [0, 0.3]");
    cr_assert(r.twice);
    cr_assert(r.value > 0 && r.value < 0.15, "the first crossing, in the lower half: %g", r.value);
    cr_assert(r.value2 > 0.15 && r.value2 < 0.3, "the second, in the upper half: %g", r.value2);
    /* The metric there, run on its own: the target, within a step of one
     * future's worth (the net value moves in steps as the threshold passes
     * each future's measured effect) -- far less than its SE. */
    cr_assert(fabs(grant_net_value_at(&b, r.value) - target) < 0.5 * r.se, "at %g", r.value);
    cr_assert(fabs(grant_net_value_at(&b, r.value2) - target) < 0.5 * r.se2, "at %g", r.value2);
    cr_assert(r.se > 0 && r.se2 > 0);
    free(text);
}

/* A payment's lag moves it by whole periods (a year here): the IRR of
 * 1.5m three years after 1m is 1.5^(1/3) - 1 = 14.47%, four years after
 * 1.5^(1/4) - 1 = 10.67%, and no lag gives 12%. Brent's method closes in on
 * the jump between them; that is no root, and solve must not report one
 * whose metric is 2.5 points off the target. */
Test(analysis, solve_does_not_take_a_jump_past_the_target_for_a_root) {
    analysis_base b = {.text = bullet, .name = "bullet", .paths = 1024, .threads = 1};
    const char *lag[] = {"/contract/payments/0/lag"};
    solve_result r;
    sib_error err;
    cr_assert_eq(analysis_solve(&b, lag, 1, 2, 4, "pooled_irr", 0.12, 2e-6, &r, &err), SIB_OK,
                 "%s", err.message);
    cr_assert_not(r.found, "found %g giving %g", r.value, r.metric);
    cr_assert(r.jump);
    /* The metric on either side of the jump: the IRRs at three and four
     * years, less the target. */
    const double below = fmax(r.f_jump_lo, r.f_jump_hi) + 0.12,
                 above = fmin(r.f_jump_lo, r.f_jump_hi) + 0.12;
    cr_assert_float_eq(below, pow(1.5, 1.0 / 3) - 1, 1e-9);
    cr_assert_float_eq(above, pow(1.5, 1.0 / 4) - 1, 1e-9);
    cr_assert(r.value >= 2 && r.value <= 4);
}

/* A metric no future defines at an end (Peterborough values no outcome:
 * its net value is never defined) stops the solve with a message that
 * names the metric and the end. */
Test(analysis, solve_names_the_metric_undefined_at_an_end) {
    char *text = repo_text("scenarios/peterborough.json");
    analysis_base b = {.text = text, .name = "peterborough", .paths = 1024, .threads = 1};
    const char *price[] = {"/contract/payments/1/price"};
    solve_result r;
    sib_error err;
    cr_assert_eq(analysis_solve(&b, price, 1, 5000, 20000, "net_value", 0, 1e-3, &r, &err),
                 SIB_EINVAL);
    cr_assert(strstr(err.message, "\"net_value\"") != NULL, "%s", err.message);
    cr_assert(strstr(err.message, "5000") != NULL, "%s", err.message);
    free(text);
}

Test(analysis, an_aggregate_has_no_quantiles_to_choose) {
    scenario *sc = must_load_string(two_payments);
    engine *e = must_engine(sc);
    metric_choice m;
    sib_error err;
    cr_assert_eq(analysis_choose(e, "pooled_irr:p95", &m, &err), SIB_EINVAL);
    cr_assert(strstr(err.message, "no distribution") != NULL, "%s", err.message);
    cr_assert_eq(analysis_choose(e, "pooled_irr", &m, &err), SIB_OK);
    cr_assert_eq(analysis_choose(e, "irr:p95", &m, &err), SIB_OK);
    engine_free(e);
    scenario_free(sc);
}

/* A statistic that does not exist, after a metric that does, is named as
 * such with the statistics there are, not as a metric that does not exist. */
Test(analysis, an_unknown_statistic_is_named_with_those_there_are) {
    scenario *sc = must_load_string(two_payments);
    engine *e = must_engine(sc);
    metric_choice m;
    sib_error err;
    cr_assert_eq(analysis_choose(e, "irr:p99", &m, &err), SIB_EINVAL);
    cr_assert(strstr(err.message, "no statistic \"p99\"") != NULL, "%s", err.message);
    cr_assert(strstr(err.message, ":p95") != NULL, "%s", err.message);
    cr_assert_eq(analysis_choose(e, "nonsense:p99", &m, &err), SIB_EINVAL);
    cr_assert(strstr(err.message, "no metric \"nonsense:p99\"") != NULL, "%s", err.message);
    engine_free(e);
    scenario_free(sc);
}

/* A metric misspelt is answered with the one meant, always as GROUP/KEY
 * (which names it alone); a name near none gets the general advice. The
 * metrics expected are the commissioner's and a tranche's own, named here
 * from the scenario's text, not from the program's output. */
Test(analysis, a_misspelt_metric_suggests_the_one_meant) {
    scenario *sc = must_load_string(two_payments);
    engine *e = must_engine(sc);
    metric_choice m;
    sib_error err;
    cr_assert_eq(analysis_choose(e, "commisioner/payments.total", &m, &err), SIB_EINVAL);
    cr_assert(strstr(err.message, "did you mean \"commissioner/payments.total\"?") != NULL, "%s",
              err.message);
    cr_assert_eq(analysis_choose(e, "payment.total", &m, &err), SIB_EINVAL);
    cr_assert(strstr(err.message, "did you mean \"commissioner/payments.total\"?") != NULL, "%s",
              err.message);
    /* The end of a key ("pooled_irr" of "TRANCHE.pooled_irr"), misspelt. */
    cr_assert_eq(analysis_choose(e, "pooled_irrr", &m, &err), SIB_EINVAL);
    cr_assert(strstr(err.message, ".pooled_irr\"?") != NULL, "%s", err.message);
    cr_assert_eq(analysis_choose(e, "zzzz", &m, &err), SIB_EINVAL);
    cr_assert(strstr(err.message, "did you mean") == NULL, "%s", err.message);
    cr_assert(strstr(err.message, "name one as GROUP/KEY") != NULL, "%s", err.message);
    engine_free(e);
    scenario_free(sc);
}

/* An ambiguous metric names its candidates whole, as many as the message
 * holds, and says how many more there are: sixteen tranches' IRRs (each
 * "SIB/investor number NN of a rather long list of investors.irr", 61
 * characters) ran past the list's 600 bytes and the message's 512, cut
 * inside a name. */
Test(analysis, an_ambiguous_metric_lists_whole_candidates_and_counts_the_rest) {
    char tranches[4096] = "";
    for (int i = 0; i < 16; i++)
        snprintf(tranches + strlen(tranches), sizeof tranches - strlen(tranches),
                 "%s{\"name\": \"investor number %02d of a rather long list of investors\", "
                 "\"commitment\": 100000}",
                 i ? ", " : "", i);
    scenario *sc = must_load_string(
        text_edit(two_payments, "{\"name\": \"inv\", \"commitment\": 2000000}", tranches));
    engine *e = must_engine(sc);
    metric_choice m;
    sib_error err;
    cr_assert_eq(analysis_choose(e, "irr", &m, &err), SIB_EINVAL);
    cr_assert(strstr(err.message, "is ambiguous") != NULL, "%s", err.message);
    /* Every name listed is whole: the names listed, k of them, are
     * investors 00 .. k-1, and "and N more" says 16 - k. */
    int k = 0;
    char want[128];
    for (;; k++) {
        snprintf(want, sizeof want,
                 "\"SIB/investor number %02d of a rather long list of investors.irr\"", k);
        if (strstr(err.message, want) == NULL) break;
    }
    cr_assert(k >= 3 && k < 16, "%d listed: %s", k, err.message);
    snprintf(want, sizeof want, " and %d more", 16 - k);
    cr_assert(strstr(err.message, want) != NULL, "%s", err.message);
    cr_assert_lt(strlen(err.message), sizeof err.message - 1, "the message was cut: %s",
                 err.message);
    engine_free(e);
    scenario_free(sc);
}

/* The tornado tests' scenario: a wide prior on the effect, N(0.2, 0.1), a
 * narrow one on volume, U(0.98, 1.02), and one price, 100. */
static const char tornado_json[] =
    "{\"name\": \"t\", \"currency\": \"USD\", \"simulation\": {\"seed\": 4},"
    " \"stages\": [{\"name\": \"s\", \"duration\": 1, \"cohorts\": [{\"size\": 1000}],"
    "   \"volume\": {\"dist\": \"uniform\", \"min\": 0.98, \"max\": 1.02}}],"
    " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
    "   \"baseline\": 0.4, \"effect\": {\"prior\": {\"dist\": \"normal\", \"mean\": 0.2, \"sd\": 0.1}},"
    "   \"evaluation\": {\"design\": \"rct\", \"comparison_size\": 1000}}],"
    " \"contract\": {\"payments\": [{\"outcome\": \"o\", \"type\": \"per_unit\", \"price\": 100}]}}";

Test(analysis, tornado_ranks_the_dominant_input_first) {
    /* A wide prior on the effect and a narrow one on volume: the effect
     * moves the payments far more. */
    analysis_base b = {.text = tornado_json, .name = "t", .paths = 2048, .threads = 2};
    tornado_bar bars[16];
    size_t n;
    double base;
    sib_error err;
    cr_assert_eq(analysis_tornado(&b, "commissioner/payments.total", 0.1, bars, 16, &n, &base, &err),
                 SIB_OK, "%s", err.message);
    cr_assert(n >= 3); /* two inputs and the price */
    cr_assert_str_eq(bars[0].pointer, "/outcomes/0/effect/prior");
    cr_assert(bars[0].is_input);
    /* P10 and P90 of N(0.2, 0.1): 0.2 -+ 1.2816 x 0.1. */
    cr_assert_float_eq(bars[0].low, 0.2 - 0.128155, 1e-5);
    cr_assert_float_eq(bars[0].high, 0.2 + 0.128155, 1e-5);
    for (size_t i = 1; i < n; i++) cr_assert(bars[i].swing <= bars[i - 1].swing);
}

/* The tornado's moves, known before any run (analysis_tornado_moves):
 * the effect prior at P10/P90 of N(0.2, 0.1), 0.2 -+ 1.2816 x 0.1, the
 * volume at P10/P90 of U(0.98, 1.02), 0.984 and 1.016, and the price of
 * 100 moved 10% down and up, 90 and 110, by hand; and every bar the
 * tornado then draws is one of them, with the same values. */
Test(analysis, a_tornado_s_moves_are_known_before_its_runs) {
    analysis_base b = {.text = tornado_json, .name = "t", .paths = 1024, .threads = 2};
    tornado_bar *moves, bars[16];
    size_t n_moves = 0, n = 0;
    double base;
    sib_error err;
    cr_assert_eq(analysis_tornado_moves(&b, 0.1, &moves, &n_moves, &err), SIB_OK, "%s", err.message);
    cr_assert_geq(n_moves, 3);
    int effect = 0, volume = 0, price = 0;
    for (size_t i = 0; i < n_moves; i++) {
        cr_assert(isnan(moves[i].metric_low) && isnan(moves[i].swing));
        if (strcmp(moves[i].pointer, "/outcomes/0/effect/prior") == 0) {
            effect = moves[i].is_input;
            cr_assert_float_eq(moves[i].low, 0.2 - 0.128155, 1e-5);
            cr_assert_float_eq(moves[i].high, 0.2 + 0.128155, 1e-5);
        } else if (strcmp(moves[i].pointer, "/stages/0/volume") == 0) {
            volume = moves[i].is_input;
            cr_assert_float_eq(moves[i].low, 0.984, 1e-12);
            cr_assert_float_eq(moves[i].high, 1.016, 1e-12);
        } else if (strcmp(moves[i].pointer, "/contract/payments/0/price") == 0) {
            price = !moves[i].is_input;
            cr_assert_float_eq(moves[i].low, 90, 1e-9);
            cr_assert_float_eq(moves[i].high, 110, 1e-9);
        }
    }
    cr_assert(effect && volume && price);
    cr_assert_eq(analysis_tornado(&b, "commissioner/payments.total", 0.1, bars, 16, &n, &base, &err),
                 SIB_OK, "%s", err.message);
    for (size_t k = 0; k < n; k++) {
        size_t i = 0;
        while (i < n_moves && strcmp(moves[i].pointer, bars[k].pointer) != 0) i++;
        cr_assert_lt(i, n_moves, "bar %s is not a move", bars[k].pointer);
        cr_assert(moves[i].low == bars[k].low && moves[i].high == bars[k].high &&
                  moves[i].is_input == bars[k].is_input);
    }
    free(moves);
}

/* A tornado's runs go side by side on several threads and give the same
 * bars as on one; a term the loader refuses when moved (a savings share of
 * 0.6 pushed 90% up, past 1) is left out, and the bars stop at max_bars. */
Test(analysis, a_tornado_on_several_threads_is_the_tornado_on_one) {
    const char *json =
        "{\"name\": \"t\", \"currency\": \"USD\", \"simulation\": {\"seed\": 4},"
        " \"stages\": [{\"name\": \"s\", \"duration\": 1, \"cohorts\": [{\"size\": 1000}],"
        "   \"volume\": {\"dist\": \"uniform\", \"min\": 0.9, \"max\": 1.1},"
        "   \"costs\": {\"per_participant\": 1000}}],"
        " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
        "   \"baseline\": 0.4, \"effect\": {\"prior\": {\"dist\": \"normal\", \"mean\": 0.2, "
        "\"sd\": 0.1}},"
        "   \"evaluation\": {\"design\": \"rct\", \"comparison_size\": 1000}}],"
        " \"contract\": {\"payments\": [{\"outcome\": \"o\", \"type\": \"savings_share\", "
        "\"value\": 500,"
        "   \"share\": 0.6}, {\"outcome\": \"o\", \"type\": \"per_unit\", \"price\": 100}]}}";
    tornado_bar one[16], many[16];
    size_t n1, n3;
    double base1, base3;
    sib_error err;
    analysis_base b = {.text = json, .name = "t", .paths = 2048, .threads = 1};
    cr_assert_eq(
        analysis_tornado(&b, "commissioner/payments.total", 0.9, one, 16, &n1, &base1, &err),
        SIB_OK, "%s", err.message);
    b.threads = 3;
    cr_assert_eq(
        analysis_tornado(&b, "commissioner/payments.total", 0.9, many, 16, &n3, &base3, &err),
        SIB_OK, "%s", err.message);
    cr_assert_eq(n1, n3);
    cr_assert_eq(base1, base3);
    for (size_t i = 0; i < n1; i++) {
        cr_assert_str_eq(one[i].pointer, many[i].pointer);
        cr_assert(one[i].metric_low == many[i].metric_low &&
                      one[i].metric_high == many[i].metric_high,
                  "bar %zu", i);
        cr_assert_str_neq(one[i].pointer, "/contract/payments/0/share", "the refused term is in");
    }
    /* Two inputs, the savings value and the price (per_participant too). */
    cr_assert(n1 >= 4, "%zu bars", n1);
    /* Moved 10%, the share is a bar. */
    cr_assert_eq(
        analysis_tornado(&b, "commissioner/payments.total", 0.1, many, 16, &n3, &base3, &err),
        SIB_OK);
    int share = 0;
    for (size_t i = 0; i < n3; i++) share |= !strcmp(many[i].pointer, "/contract/payments/0/share");
    cr_assert(share);
    /* At most two bars: the two widest of them all, whether inputs or
     * terms, as the full tornado ranks them. */
    cr_assert_eq(
        analysis_tornado(&b, "commissioner/payments.total", 0.9, many, 2, &n3, &base3, &err),
        SIB_OK);
    cr_assert_eq(n3, 2);
    for (size_t i = 0; i < 2; i++) {
        cr_assert_str_eq(many[i].pointer, one[i].pointer, "bar %zu", i);
        cr_assert(many[i].swing == one[i].swing);
    }
}

/* Keeping fewer bars than there are inputs and terms keeps the widest:
 * the price moved by half moves the payments far more than a volume
 * within 1% does, so a tornado of one bar is the price's, not the first
 * input listed. */
Test(analysis, a_tornado_of_few_bars_keeps_the_widest) {
    const char *json =
        "{\"name\": \"t\", \"currency\": \"USD\", \"simulation\": {\"seed\": 4},"
        " \"stages\": [{\"name\": \"s\", \"duration\": 1, \"cohorts\": [{\"size\": 1000}],"
        "   \"volume\": {\"dist\": \"uniform\", \"min\": 0.99, \"max\": 1.01}}],"
        " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
        "   \"baseline\": 0.4, \"effect\": {\"prior\": 0.2},"
        "   \"evaluation\": {\"design\": \"rct\", \"comparison_size\": 1000}}],"
        " \"contract\": {\"payments\": [{\"outcome\": \"o\", \"type\": \"per_unit\", \"price\": 100}]}}";
    analysis_base b = {.text = json, .name = "t", .paths = 1024, .threads = 1};
    tornado_bar all[8], one[1];
    size_t n_all, n_one;
    double base;
    sib_error err;
    cr_assert_eq(analysis_tornado(&b, "commissioner/payments.total", 0.5, all, 8, &n_all, &base,
                                  &err),
                 SIB_OK, "%s", err.message);
    cr_assert_eq(n_all, 2, "the volume prior and the price");
    /* Volume within 1% against a price moved by half: the price is wider. */
    cr_assert_str_eq(all[0].pointer, "/contract/payments/0/price");
    cr_assert_eq(analysis_tornado(&b, "commissioner/payments.total", 0.5, one, 1, &n_one, &base,
                                  &err),
                 SIB_OK, "%s", err.message);
    cr_assert_eq(n_one, 1);
    cr_assert_str_eq(one[0].pointer, "/contract/payments/0/price");
}

/* A term below zero (ICRC's trigger of -10 people a staff member, a fall
 * it tolerates) moved 10% down and up goes to -11 and -9: its low value is
 * the lower, as for every other bar, so "at low" is the metric there. */
Test(analysis, a_negative_term_is_moved_to_a_low_value_below_its_high_one) {
    char *text = repo_text("scenarios/icrc-humanitarian-impact-bond.json");
    analysis_base b = {.text = text, .name = "icrc", .paths = 1024, .threads = 2};
    tornado_bar bars[64];
    size_t n;
    double base;
    sib_error err;
    cr_assert_eq(analysis_tornado(&b, "commissioner/payments.total", 0.1, bars, 64, &n, &base, &err),
                 SIB_OK, "%s", err.message);
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
        cr_assert(bars[i].low < bars[i].high, "%s: low %g, high %g", bars[i].pointer, bars[i].low,
                  bars[i].high);
        if (strcmp(bars[i].pointer, "/contract/payments/0/trigger") == 0) {
            cr_assert_float_eq(bars[i].low, -11, 1e-9);
            cr_assert_float_eq(bars[i].high, -9, 1e-9);
            seen = 1;
        }
    }
    cr_assert(seen, "the trigger of -10 is a bar");
    free(text);
}

/* A metric undefined in every future (Peterborough values no outcome, so
 * its net value is never defined) has no swing: NaN, never a made-up 0
 * that ranks it as a term that does not matter. */
Test(analysis, a_tornado_of_an_undefined_metric_has_no_swing) {
    char *text = repo_text("scenarios/peterborough.json");
    analysis_base b = {.text = text, .name = "peterborough", .paths = 1024, .threads = 2};
    tornado_bar bars[64];
    size_t n;
    double base;
    sib_error err;
    cr_assert_eq(analysis_tornado(&b, "Peterborough SIB/net_value", 0.1, bars, 64, &n, &base, &err),
                 SIB_OK, "%s", err.message);
    cr_assert(isnan(base));
    cr_assert(n > 0);
    for (size_t i = 0; i < n; i++)
        cr_assert(isnan(bars[i].swing), "%s: swing %g", bars[i].pointer, bars[i].swing);
    free(text);
}

static int count_steps(uint64_t paths, const engine *e, void *ud) {
    (void)e;
    uint64_t *last = ud;
    cr_assert(paths == 2 * *last || *last == 0, "paths double: %llu after %llu",
              (unsigned long long)paths, (unsigned long long)*last);
    *last = paths;
    return 0;
}

Test(analysis, convergence_stops_when_the_standard_error_is_small_enough) {
    char *text = repo_text("scenarios/peterborough.json");
    analysis_base b = {.text = text, .name = "peterborough", .threads = 2};
    uint64_t last = 0, done;
    int reached;
    sib_error err;
    /* The IRR's sd is about 0.5: an SE of 0.02 needs ~ (0.5 / 0.02)^2 = 625
     * paths, 0.005 about 10,000 -- reached at 16,384. */
    cr_assert_eq(analysis_converge(&b, "irr", 0.005, 1 << 20, count_steps, &last, &done, &reached,
                                   &err),
                 SIB_OK, "%s", err.message);
    cr_assert(reached);
    cr_assert(done >= 8192 && done <= 32768, "done at %llu", (unsigned long long)done);
    free(text);
}

Test(analysis, the_pilot_value_compares_gated_with_committed_on_common_futures) {
    const char *json =
        "{\"name\": \"gated\", \"currency\": \"EUR\", \"simulation\": {\"seed\": 3},"
        " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": \"lower_is_better\","
        "   \"baseline\": 0.5, \"effect\": {\"prior\": {\"dist\": \"normal\", \"mean\": 0.05, \"sd\": 0.1}},"
        "   \"observation_lag\": 0.5, \"evaluation\": {\"design\": \"rct\", \"comparison_size\": 300}}],"
        " \"stages\": [{\"name\": \"pilot\", \"duration\": 1, \"costs\": {\"fixed_per_year\": 100000},"
        "   \"cohorts\": [{\"size\": 300}]},"
        "  {\"name\": \"scale\", \"start\": 1, \"duration\": 2, \"costs\": {\"fixed_per_year\": 2000000},"
        "   \"gate\": {\"outcome\": \"o\", \"min_effect\": 0.05},"
        "   \"cohorts\": [{\"size\": 4000, \"entry\": 1}]}],"
        " \"contract\": {\"payments\": [{\"outcome\": \"o\", \"type\": \"per_unit\", \"price\": 1}]},"
        " \"financing\": [{\"name\": \"grant\", \"type\": \"grant\"}]}";
    analysis_base b = {.text = json, .name = "gated", .paths = 8192, .threads = 2};
    analysis_run r;
    scenario *committed;
    sib_error err;
    cr_assert_eq(analysis_pilot_value(&b, &r, &committed, &err), SIB_OK, "%s", err.message);
    size_t i = engine_find_metric(r.e, "programme", "stage.scale.reached");
    stats_summary a, g;
    engine_summary(r.e, i, &a);
    engine_summary(r.e, engine_metric(r.e, i)->twin, &g);
    cr_assert_float_eq(a.mean, 1.0, 0, "committed: the scale-up always runs");
    cr_assert(g.mean > 0.2 && g.mean < 0.8, "gated: P(scale) %.3f", g.mean);
    /* The grant's cost falls by the scale-up's 4m in the futures it is stopped. */
    size_t c = engine_find_metric(r.e, "grant", "commissioner.total");
    stats_summary d;
    engine_summary(r.e, engine_metric(r.e, c)->diff, &d);
    cr_assert_float_eq(d.mean, -4e6 * (1 - g.mean), 1e-6 * 4e6);
    engine_free(r.e);
    scenario_free(r.sc);
    scenario_free(committed);
}

Test(analysis, a_scenario_without_gates_has_no_pilot_value_to_compute) {
    analysis_base b = {.text = bullet, .name = "bullet", .paths = 1024, .threads = 1};
    analysis_run r;
    scenario *committed;
    sib_error err;
    cr_assert_eq(analysis_pilot_value(&b, &r, &committed, &err), SIB_EINVAL);
    cr_assert_str_eq(err.pointer, "/stages");
}

/* Every statistic of s and t, bit for bit (NaN matching NaN). */
static void assert_same_summary(const stats_summary *s, const stats_summary *t, const char *what) {
    const double a[] = {s->mean, s->se,  s->sd,  s->min, s->p05,
                        s->p25,  s->p50, s->p75, s->p95, s->max};
    const double b[] = {t->mean, t->se,  t->sd,  t->min, t->p05,
                        t->p25,  t->p50, t->p75, t->p95, t->max};
    cr_assert_eq(s->n, t->n, "%s: n %llu against %llu", what, (unsigned long long)s->n,
                 (unsigned long long)t->n);
    for (size_t k = 0; k < sizeof a / sizeof a[0]; k++)
        cr_assert(memcmp(&a[k], &b[k], sizeof a[k]) == 0 || (isnan(a[k]) && isnan(b[k])),
                  "%s: statistic %zu is %.17g kept alone, %.17g with every metric", what, k, a[k],
                  b[k]);
}

/* A run that keeps one metric's distribution (engine_keep_only, as a
 * tornado, a solve and a sweep's table do) gives that metric, and every
 * aggregate, exactly as a run that keeps them all; the other per-path
 * metrics are empty. */
Test(analysis, a_run_that_keeps_one_metric_gives_it_as_a_run_that_keeps_all) {
    char *text = repo_text("scenarios/peterborough.json");
    analysis_base all = {.text = text, .name = "peterborough", .paths = 5000, .threads = 2};
    const char *kept[] = {"commissioner/payments.total",
                          "Peterborough SIB/17 trusts and foundations.irr",
                          "Peterborough SIB/17 trusts and foundations.p_loss_given_drawn"};
    analysis_run full, one;
    sib_error err;
    cr_assert_eq(analysis_run_with(&all, NULL, 0, &full, &err), SIB_OK, "%s", err.message);
    for (size_t k = 0; k < sizeof kept / sizeof kept[0]; k++) {
        analysis_base b = all;
        b.only = kept[k];
        cr_assert_eq(analysis_run_with(&b, NULL, 0, &one, &err), SIB_OK, "%s", err.message);
        metric_choice m;
        cr_assert_eq(analysis_choose(one.e, kept[k], &m, &err), SIB_OK);
        stats_summary s, t;
        engine_summary(one.e, m.index, &s);
        engine_summary(full.e, m.index, &t);
        assert_same_summary(&s, &t, kept[k]);
        /* The pooled IRR is an aggregate: kept whatever. */
        size_t pooled =
            engine_find_metric(one.e, "Peterborough SIB", "17 trusts and foundations.pooled_irr");
        cr_assert_neq(pooled, (size_t)-1);
        engine_summary(one.e, pooled, &s);
        engine_summary(full.e, pooled, &t);
        assert_same_summary(&s, &t, "the pooled IRR");
        /* Another per-path metric: not kept, empty. */
        size_t other = engine_find_metric(one.e, "commissioner", "payments.pv");
        cr_assert_neq(other, (size_t)-1);
        engine_summary(one.e, other, &s);
        cr_assert_eq(s.n, 0);
        cr_assert(isnan(s.mean));
        engine_summary(full.e, other, &t);
        cr_assert_eq(t.n, 5000);
        analysis_free_run(&one);
    }
    /* A metric that is not there: the run is refused with analysis_choose's
     * message, before anything is simulated. */
    analysis_base bad = all;
    bad.only = "nonsense";
    cr_assert_eq(analysis_run_with(&bad, NULL, 0, &one, &err), SIB_EINVAL);
    cr_assert(strstr(err.message, "no metric \"nonsense\"") != NULL, "%s", err.message);
    size_t far = engine_metric_count(full.e);
    cr_assert_eq(engine_keep_only(full.e, &far, 1, &err), SIB_EINVAL);
    analysis_free_run(&full);
    free(text);
}
