/* test_loader_bounds.c -- every money, people, measure, time and rate field
 * is bounded, so that no sum of a run can overflow: a report once printed
 * "£infbn" for a price of 1e308 that the loader had accepted.
 *
 * tests/json/every-bounded-field.json writes every bounded field; each case
 * below moves one field, by override, just inside its range (the scenario
 * loads) and just outside it (refused at the field's pointer with the range
 * in the message). The bounds are in model/loader_internal.h and in
 * docs/scenario-format.md. A last test runs a scenario with every field at
 * its extreme and finds every metric finite.
 */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/error.h"
#include "../model/file.h"
#include "../model/scenario.h"
#include "../sim/engine.h"
#include "../sim/warnings.h"

#ifndef SIBSIM_SOURCE_DIR
#define SIBSIM_SOURCE_DIR "."
#endif

typedef struct bound_case {
    const char *pointer;
    double inside, outside;
    const char *message; /* the refusal of outside, at pointer */
} bound_case;

static char *base_text(void) {
    sib_error err;
    char *text = sib_file_read(SIBSIM_SOURCE_DIR "/tests/json/every-bounded-field.json", &err);
    cr_assert_not_null(text, "%s", err.message);
    return text;
}

static void expect_bounds(const bound_case *cases, size_t n) {
    char *text = base_text();
    for (size_t i = 0; i < n; i++) {
        sib_error err;
        scenario_override in = {cases[i].pointer, cases[i].inside};
        scenario *sc = scenario_load_string_with(text, "b.json", &in, 1, &err);
        cr_expect_not_null(sc, "%s = %g should load: %s: %s", cases[i].pointer, cases[i].inside,
                           err.pointer, err.message);
        scenario_free(sc);
        scenario_override out = {cases[i].pointer, cases[i].outside};
        sc = scenario_load_string_with(text, "b.json", &out, 1, &err);
        if (sc != NULL) {
            scenario_free(sc);
            cr_expect_fail("%s = %g loads, but should be refused", cases[i].pointer,
                           cases[i].outside);
            continue;
        }
        cr_expect_eq(err.code, SIB_EINVAL, "%s", cases[i].pointer);
        cr_expect_str_eq(err.pointer, cases[i].pointer);
        cr_expect_str_eq(err.message, cases[i].message, "%s", cases[i].pointer);
    }
    free(text);
}

#define MONEY "expected a number in [0, 1e+15], found 1.000001e+15"
#define MONEY_POSITIVE "expected a number in (0, 1e+15], found 1.000001e+15"

/* Money: at most 1e15 (a thousand times the largest deal on record). */
Test(loader_bounds, money_fields_are_at_most_1e15) {
    static const bound_case cases[] = {
        {"/stages/0/costs/setup", 1e15, 1.000001e15, MONEY},
        {"/stages/0/costs/fixed_per_year", 1e15, 1.000001e15, MONEY},
        {"/stages/0/costs/per_participant", 1e15, 1.000001e15, MONEY},
        {"/stages/1/gate/min_paid", 1e15, 1.000001e15, MONEY},
        {"/outcomes/0/value", 1e15, 1.000001e15, MONEY},
        {"/contract/cap", 1e15, 1.000001e15, MONEY},
        {"/contract/outcome_caps/employed", 1e15, 1.000001e15, MONEY},
        {"/contract/payers/0/cap", 1e15, 1.000001e15, MONEY},
        {"/contract/payments/0/price", 1e15, 1.000001e15, MONEY},
        {"/contract/payments/0/cap", 1e15, 1.000001e15, MONEY},
        {"/contract/payments/0/cap_per_cohort", 1e15, 1.000001e15, MONEY},
        {"/contract/payments/1/amount", 1e15, 1.000001e15, MONEY},
        {"/contract/payments/2/amount", 1e15, 1.000001e15, MONEY},
        {"/contract/payments/3/principal", 1e15, 1.000001e15, MONEY},
        {"/contract/payments/3/bands/0/amount", 1e15, 1.000001e15, MONEY},
        {"/contract/payments/3/bands/1/price", 1e15, 1.000001e15, MONEY},
        {"/contract/payments/4/value", 1e15, 1.000001e15, MONEY},
        {"/contract/payments/4/until_repaid/amount", 1e15, 1.000001e15, MONEY},
        {"/financing/0/tranches/0/commitment", 1e15, 1.000001e15, MONEY_POSITIVE},
        {"/financing/0/guarantees/0/amount", 1e15, 1.000001e15, MONEY_POSITIVE},
        {"/financing/0/guarantees/1/max", 1e15, 1.000001e15, MONEY_POSITIVE},
        {"/financing/0/fees/setup", 1e15, 1.000001e15, MONEY},
        {"/financing/0/fees/per_year", 1e15, 1.000001e15, MONEY},
        {"/realised/reported/0/tolerance", 1e15, 1.000001e15, MONEY},
        {"/realised/reported/0/value", -1e15, -1.000001e15,
         "expected a number in [-1e+15, 1e+15], found -1.000001e+15"},
        /* the defect as it was found: a price of 1e308 */
        {"/contract/payments/0/price", 0, 1e308, "expected a number in [0, 1e+15], found 1e+308"},
    };
    expect_bounds(cases, sizeof cases / sizeof cases[0]);
}

Test(loader_bounds, a_reported_range_is_within_the_money_bound) {
    char *text = base_text();
    sib_error err;
    scenario_override out = {"/realised/reported/1/range/1", 1.000001e15};
    cr_assert_null(scenario_load_string_with(text, "b.json", &out, 1, &err));
    cr_assert_str_eq(err.pointer, "/realised/reported/1/range/1");
    cr_assert_str_eq(err.message, "expected a number in [-1e+15, 1e+15], found 1.000001e+15");
    scenario_override in = {"/realised/reported/1/range/1", 1e15};
    scenario *sc = scenario_load_string_with(text, "b.json", &in, 1, &err);
    cr_assert_not_null(sc, "%s: %s", err.pointer, err.message);
    scenario_free(sc);
    free(text);
}

/* People: at most 1e9 in a group. */
Test(loader_bounds, group_sizes_are_at_most_1e9_people) {
    static const bound_case cases[] = {
        {"/stages/0/cohorts/0/size", 1e9, 1e9 + 1,
         "expected a whole number in [1, 1000000000], found 1000000001"},
        {"/outcomes/0/evaluation/comparison_size", 1e9, 1e9 + 1,
         "expected a whole number in [1, 1000000000], found 1000000001"},
        {"/realised/results/0/treated/size", 1e9, 1.000001e9,
         "expected a number in (0, 1e+09], found 1000001000"},
        {"/realised/results/0/comparison/size", 1e9, 1.000001e9,
         "expected a number in (0, 1e+09], found 1000001000"},
        {"/realised/results/1/size", 1e9, 1.000001e9,
         "expected a number in (0, 1e+09], found 1000001000"},
        {"/outcomes/1/evaluation/comparison_ratio", 100, 100.5,
         "expected a number in (0, 100], found 100.5"},
    };
    expect_bounds(cases, sizeof cases / sizeof cases[0]);
}

#define MEASURE "expected a number in [-1e+09, 1e+09], found 1000001000"

/* An outcome's own units and effect scale: at most 1e9 in magnitude. */
Test(loader_bounds, baselines_sds_effects_and_triggers_are_at_most_1e9) {
    static const bound_case cases[] = {
        {"/outcomes/1/baseline", 1e9, 1.000001e9,
         "expected a number in (0, 1e+09], found 1000001000"},
        {"/outcomes/2/baseline", 1e9, 1.000001e9, MEASURE},
        {"/outcomes/2/baseline", -1e9, -1.000001e9,
         "expected a number in [-1e+09, 1e+09], found -1000001000"},
        {"/outcomes/2/sd", 1e9, 1.000001e9,
         "expected a number in (0, 1e+09], found 1000001000"},
        {"/outcomes/2/effect/prior", 1e9, 1.000001e9, MEASURE},
        {"/stages/1/gate/min_effect", 1e9, 1.000001e9, MEASURE},
        {"/contract/payments/0/trigger", 1e9, 1.000001e9, MEASURE},
        {"/contract/payments/2/floor", -1e9, -1.000001e9,
         "expected a number in [-1e+09, 1e+09], found -1000001000"},
        {"/contract/payments/2/ceiling", 1e9, 1.000001e9, MEASURE},
        {"/contract/payments/3/bands/2/from", 1e9, 1.000001e9,
         "expected a number in [0.1, 1e+09], found 1000001000"},
        {"/realised/results/1/effect", 1e9, 1.000001e9, MEASURE},
        {"/realised/results/0/comparison/mean", 1, 1.01,
         "expected a number in [0, 1], found 1.01"},
    };
    expect_bounds(cases, sizeof cases / sizeof cases[0]);
}

/* Times: no date passes 500 years. */
Test(loader_bounds, durations_intervals_and_dates_are_bounded) {
    static const bound_case cases[] = {
        {"/stages/0/duration", 100, 100.5, "expected a number in (0, 100], found 100.5"},
        {"/contract/payments/0/interval", 100, 100.5,
         "expected a number in (0, 100], found 100.5"},
        {"/realised/stopped", 500, 500.5, "expected a number in [0, 500], found 500.5"},
        {"/realised/reported/0/by", 500, 500.5, "expected a number in [0, 500], found 500.5"},
    };
    expect_bounds(cases, sizeof cases / sizeof cases[0]);
}

/* Installments repeat for at most 100 years: 11 a decade apart fit, 11
 * ten and a half years apart (105 years) do not. */
Test(loader_bounds, installments_span_at_most_a_hundred_years) {
    char *text = base_text();
    sib_error err;
    scenario_override ok[] = {{"/contract/payments/0/installments", 11},
                              {"/contract/payments/0/interval", 10}};
    scenario *sc = scenario_load_string_with(text, "b.json", ok, 2, &err);
    cr_assert_not_null(sc, "%s: %s", err.pointer, err.message);
    scenario_free(sc);
    scenario_override bad[] = {{"/contract/payments/0/installments", 11},
                               {"/contract/payments/0/interval", 10.5}};
    cr_assert_null(scenario_load_string_with(text, "b.json", bad, 2, &err));
    cr_assert_str_eq(err.pointer, "/contract/payments/0/interval");
    cr_assert_str_eq(err.message, "expected installments spread over at most 100 years, found "
                                  "(11 - 1) x 10.5 = 105 years");
    free(text);
}

/* Rates that compound over up to 500 years. */
Test(loader_bounds, compounding_rates_keep_five_hundred_years_finite) {
    static const bound_case cases[] = {
        {"/simulation/discount_rate", -0.1, -0.11, "expected a number in [-0.1, 1], found -0.11"},
        {"/financing/0/tranches/1/discount_rate", -0.1, -0.11,
         "expected a number in [-0.1, 1], found -0.11"},
        {"/financing/1/cost_of_capital", -0.1, -0.11,
         "expected a number in [-0.1, 0.5], found -0.11"},
        {"/financing/1/cost_of_capital", 0.5, 0.51,
         "expected a number in [-0.1, 0.5], found 0.51"},
        {"/financing/0/tranches/1/return_cap", 1, 1.01, "expected a number in [0, 1], found 1.01"},
        {"/financing/0/tranches/0/coupon", 1, 1.01, "expected a number in [0, 1], found 1.01"},
        {"/contract/payments/3/bands/2/return", 0.5, 0.51,
         "expected a number in [-1, 0.5], found 0.51"},
        {"/contract/payments/4/until_repaid/rate", 1, 1.01,
         "expected a number in [-0.99, 1], found 1.01"},
    };
    expect_bounds(cases, sizeof cases / sizeof cases[0]);
}

/* A prior's parameters: a normal's mean within the field's bounds and its
 * sd at most their width; a lognormal's mu and sigma so that its mean
 * exp(mu + sigma^2 / 2) is finite; a beta's shapes from 0.001 to 1e5. */
Test(loader_bounds, prior_parameters_are_bounded) {
    static const bound_case cases[] = {
        /* volume: [0, 10] */
        {"/stages/0/volume/mean", 10, 10.01, "expected a number in [0, 10], found 10.01"},
        {"/stages/0/volume/sd", 10, 10.01, "expected a number in [0, 10], found 10.01"},
        /* a relative fall of a count: [-10, 1] */
        {"/outcomes/1/effect/prior/mean", 1, 1.01, "expected a number in [-10, 1], found 1.01"},
        {"/outcomes/1/effect/prior/sd", 11, 11.01, "expected a number in [0, 11], found 11.01"},
        {"/stages/0/costs/overrun/mu", 50, 50.01, "expected a number in [-50, 50], found 50.01"},
        {"/stages/0/costs/overrun/mu", -50, -50.01, "expected a number in [-50, 50], found -50.01"},
        {"/stages/0/costs/overrun/sigma", 5, 5.01, "expected a number in [0, 5], found 5.01"},
        {"/stages/0/engagement/alpha", 1e5, 100001,
         "expected a number in [0.001, 100000], found 100001"},
        {"/stages/0/engagement/beta", 1e5, 100001,
         "expected a number in [0.001, 100000], found 100001"},
        {"/stages/0/engagement/alpha", 0.001, 0.00099,
         "expected a number in [0.001, 100000], found 0.00099"},
        {"/stages/0/engagement/beta", 0.001, 5e-324,
         "expected a number in [0.001, 100000], found 4.940656458e-324"},
    };
    expect_bounds(cases, sizeof cases / sizeof cases[0]);
}

/* A beta prior at its bounds is drawn, and its warnings are looked for, in
 * bounded time: GSL's beta quantile, through which the engine draws and the
 * warnings find a prior's range, never returned for Beta(8e5, 8e5) at
 * u = 0.5 nor for a subnormal shape (5e-324), both once accepted (1e6 and
 * "> 0" were the bounds), so `validate` and `run` hung. */
static void quiet_gsl(void) { gsl_set_error_handler_off(); }

Test(loader_bounds, a_beta_prior_at_its_bounds_is_drawn_in_bounded_time, .init = quiet_gsl,
     .timeout = 60) {
    static const char *const shapes[][2] = {
        {"100000", "100000"}, {"0.001", "0.001"}, {"0.001", "100000"}, {"100000", "0.001"}};
    char *text = base_text();
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        scenario_override ov[2] = {{"/stages/0/engagement/alpha", atof(shapes[i][0])},
                                   {"/stages/0/engagement/beta", atof(shapes[i][1])}};
        sib_error err;
        scenario *sc = scenario_load_string_with(text, "b.json", ov, 2, &err);
        cr_assert_not_null(sc, "Beta(%s, %s): %s: %s", shapes[i][0], shapes[i][1], err.pointer,
                           err.message);
        sib_warning w[64];
        scenario_warnings(sc, w, 64);
        engine *e = engine_new(sc, &err);
        cr_assert_not_null(e, "%s", err.message);
        cr_assert_eq(engine_run(e, 2048, 2, NULL, NULL, &err), SIB_OK, "%s", err.message);
        engine_free(e);
        scenario_free(sc);
    }
    free(text);
}

/* ------------------------------------------------ every field at its extreme */

/* Every field at the end of its range that makes a run's sums largest: a
 * stage from 200 to 300 years, a billion people with a count of a billion
 * events each raised up to a billion-fold, prices, costs and values of
 * 1e15, a discount rate of -0.1, payments to 500 years, a return band of
 * 50% a year on 1e15 from year 0 (reached in about half of the futures, so
 * that the largest flows vary and their squares are summed), the largest
 * coupon, return cap, cost of capital and guarantee fee. */
static const char extreme[] =
    "{\"name\": \"extreme\", \"currency\": \"EUR\",\n"
    " \"simulation\": {\"paths\": 64, \"discount_rate\": -0.1, \"periods_per_year\": 1},\n"
    " \"stages\": [{\"name\": \"s\", \"start\": 200, \"duration\": 100,\n"
    "   \"costs\": {\"setup\": 1e15, \"fixed_per_year\": 1e15, \"per_participant\": 1e15,\n"
    "             \"overrun\": 100},\n"
    "   \"cohorts\": [{\"size\": 1e9, \"entry\": 200, \"enrolment\": 100}]}],\n"
    " \"outcomes\": [{\"name\": \"o\", \"kind\": \"count\", \"direction\": \"higher_is_better\",\n"
    "   \"baseline\": 1e9, \"effect\": {\"prior\": {\"dist\": \"uniform\", \"min\": 0, \"max\": "
    "1e9}},\n"
    "   \"value\": 1e15, \"observation_lag\": 50,\n"
    "   \"evaluation\": {\"design\": \"rct\", \"comparison_size\": 1e9}}],\n"
    " \"contract\": {\"payments\": [\n"
    "   {\"name\": \"unit\", \"outcome\": \"o\", \"type\": \"per_unit\", \"price\": 1e15,\n"
    "    \"lag\": 50, \"installments\": 11, \"interval\": 10},\n"
    "   {\"name\": \"bands\", \"outcome\": \"o\", \"type\": \"tiered\", \"principal\": 1e15,\n"
    "    \"lag\": 50, \"installments\": 11, \"interval\": 10,\n"
    "    \"bands\": [{\"from\": -1e9, \"amount\": 0}, {\"from\": 5e8, \"return\": 0.5}]}]},\n"
    " \"financing\": [\n"
    "   {\"name\": \"bond\", \"type\": \"sib\", \"tranches\": [{\"name\": \"t\", \"commitment\": "
    "1e15,\n"
    "     \"coupon\": 1, \"discount_rate\": -0.1}],\n"
    "    \"guarantees\": [{\"tranche\": \"t\", \"kind\": \"first_loss\", \"amount\": 1e15, "
    "\"fee\": 1}],\n"
    "    \"fees\": {\"setup\": 1e15, \"per_year\": 1e15}},\n"
    "   {\"name\": \"capped\", \"type\": \"sib\", \"tranches\": [{\"name\": \"t\", "
    "\"commitment\": 1e15,\n"
    "     \"return_cap\": 1}]},\n"
    "   {\"name\": \"pbr\", \"type\": \"pbr\", \"cost_of_capital\": 0.5},\n"
    "   {\"name\": \"pbr low\", \"type\": \"pbr\", \"cost_of_capital\": -0.1},\n"
    "   {\"name\": \"fees\", \"type\": \"fee_for_service\", \"margin\": 10}]}\n";

Test(loader_bounds, a_scenario_at_every_extreme_runs_with_every_metric_finite, .timeout = 120) {
    sib_error err;
    scenario *sc = scenario_load_string(extreme, "extreme.json", &err);
    cr_assert_not_null(sc, "%s: %s", err.pointer, err.message);
    cr_assert_float_eq(scenario_horizon(sc), 500.0, 1e-9, "payments run to 500 years");
    engine *e = engine_new(sc, &err);
    cr_assert_not_null(e, "%s", err.message);
    cr_assert_eq(engine_run(e, 64, 2, NULL, NULL, &err), SIB_OK, "%s", err.message);
    size_t defined = 0;
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        stats_summary s;
        engine_summary(e, i, &s);
        const metric_info *m = engine_metric(e, i);
        if (s.n == 0) continue; /* never defined (an IRR without a sign change) */
        defined++;
        /* A ratio or a pooled IRR is one number with its SE: its other
         * statistics are NaN by design. Nothing may be infinite. */
        static const char *const names[] = {"mean", "sd", "se", "min", "max", "p05", "p50",
                                            "p95"};
        double v[] = {s.mean, s.sd, s.se, s.min, s.max, s.p05, s.p50, s.p95};
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
            cr_expect(!isinf(v[k]), "%s/%s: %s is %g", m->group, m->key, names[k], v[k]);
        /* An overflow in the sums of squares shows as an sd of 0 (or NaN)
         * for values that differ. */
        if (m->kind == METRIC_VALUE || m->kind == METRIC_INDICATOR) {
            cr_expect(isfinite(s.mean) && isfinite(s.sd), "%s/%s: mean %g, sd %g", m->group,
                      m->key, s.mean, s.sd);
            cr_expect(s.min <= s.mean && s.mean <= s.max, "%s/%s: mean %g outside [%g, %g]",
                      m->group, m->key, s.mean, s.min, s.max);
            cr_expect(s.max == s.min || s.sd > 0, "%s/%s: values from %g to %g, but sd %g",
                      m->group, m->key, s.min, s.max, s.sd);
        }
    }
    cr_assert_gt(defined, 10);
    engine_free(e);
    scenario_free(sc);
}

/* A time past a bound of 1 or less is not a percentage: a cohort entering
 * at 3 in a stage of one year from 0 is refused with its range alone (the
 * bound comes from the stage, not from a fraction). A share past its bound
 * is still asked whether a percentage was meant (test_contract_terms.c:
 * a termination's probability of 50). Before the fix the entry's message
 * ended "a rate or share is a fraction, did you mean 0.03 (3%)?". */
Test(loader_bounds, a_time_past_a_small_bound_is_not_taken_for_a_percentage) {
    static const char *const text =
        "{\"name\": \"t\", \"currency\": \"GBP\","
        " \"stages\": [{\"name\": \"s\", \"duration\": 1,"
        "   \"cohorts\": [{\"size\": 10, \"entry\": 3, \"enrolment\": 0}]}],"
        " \"outcomes\": [{\"name\": \"y\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
        "   \"baseline\": 0.3, \"effect\": {\"scale\": \"absolute\", \"prior\": 0.1},"
        "   \"evaluation\": {\"design\": \"validated_count\"}}],"
        " \"contract\": {\"payments\": [{\"outcome\": \"y\", \"type\": \"per_outcome\","
        " \"price\": 1}]}}";
    sib_error err;
    scenario *sc = scenario_load_string(text, "t.json", &err);
    cr_assert_null(sc);
    cr_assert_str_eq(err.pointer, "/stages/0/cohorts/0/entry");
    cr_assert_str_eq(err.message, "expected a number in [0, 1], found 3");
}
