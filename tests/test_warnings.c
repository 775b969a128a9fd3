/* test_warnings.c -- sim/warnings.h: likely mistakes in scenarios that load.
 *
 * Each check is shown to fire on a scenario written to trigger it, with its
 * exact JSON Pointer and a key phrase of its message, and not to fire once
 * the value is corrected. The bases are the two complete scenarios of the
 * documentation: the minimal example of docs/scenario-format.md and the
 * gated pilot and scale-up of docs/model.md, which give no warning. The
 * library (every scenarios/NAME.json) gives none either.
 *
 * The JSON below is written with single quotes for readability; they are
 * turned into double quotes before loading (no name here has an
 * apostrophe). */
#include <criterion/criterion.h>
#include <glob.h>
#include <gsl/gsl_errno.h>
#include <string.h>

#include "../sim/warnings.h"
#include "helpers.h"

static void setup(void) { gsl_set_error_handler_off(); }
TestSuite(warnings, .init = setup);

/* ------------------------------------------------------------------ bases */

/* docs/scenario-format.md, "A complete minimal example". Planned cost:
 * 50,000 + 500 x 1,500 = 800,000. Measured at t = 2. */
static const char MINIMAL[] =
    "{ 'sibsim': 1, 'name': 'Reoffending pilot, one cohort', 'currency': 'GBP',\n"
    "  'stages': [ { 'name': 'pilot', 'duration': 2,\n"
    "                'costs': { 'setup': 50000, 'per_participant': 1500 },\n"
    "                'cohorts': [ { 'size': 500, 'enrolment': 1 } ] } ],\n"
    "  'outcomes': [ { 'name': 'reconvictions', 'kind': 'count', 'direction': 'lower_is_better',\n"
    "                  'baseline': 1.5,\n"
    "                  'effect': { 'prior': { 'dist': 'normal', 'mean': 0.10, 'sd': 0.05 } },\n"
    "                  'evaluation': { 'design': 'rct', 'comparison_size': 500 },\n"
    "                  'observation_lag': 1 } ],\n"
    "  'contract': { 'payments': [\n"
    "      { 'outcome': 'reconvictions', 'type': 'per_unit', 'price': 8000, 'trigger': 0.05 } ] },\n"
    "  'financing': [ { 'name': 'SIB', 'type': 'sib', 'tranches': [ { 'commitment': 1000000 } ] } ]\n"
    "}\n";

/* docs/model.md, "Worked example: a gated pilot and scale-up". The pilot
 * (planned 700,000) is measured at 1.5 and paid at 1.75; the scale-up
 * (planned 3,200,000) starts at 2, its waves are measured at 3.5 and 5 and
 * paid at 3.75 and 5.25. */
static const char GATED[] =
    "{ 'sibsim': 1, 'name': 'Gated pilot and scale-up', 'currency': 'GBP',\n"
    "  'simulation': { 'seed': 42 },\n"
    "  'stages': [\n"
    "    { 'name': 'pilot', 'duration': 2,\n"
    "      'costs': { 'setup': 100000, 'fixed_per_year': 150000, 'per_participant': 1000 },\n"
    "      'cohorts': [ { 'size': 300, 'enrolment': 1 } ] },\n"
    "    { 'name': 'scale_up', 'start': 2, 'duration': 3,\n"
    "      'costs': { 'fixed_per_year': 400000, 'per_participant': 1000 },\n"
    "      'effect_multiplier': { 'dist': 'triangular', 'min': 0.5, 'mode': 0.8, 'max': 1.0 },\n"
    "      'gate': { 'after': 'pilot', 'outcome': 'reoffending', 'min_effect': 0.05, "
    "'probability': 0.9 },\n"
    "      'cohorts': [ { 'name': 'wave 1', 'size': 1000, 'entry': 2, 'enrolment': 1 },\n"
    "                   { 'name': 'wave 2', 'size': 1000, 'entry': 3.5, 'enrolment': 1 } ] } ],\n"
    "  'outcomes': [ { 'name': 'reoffending', 'kind': 'rate', 'direction': 'lower_is_better',\n"
    "                  'baseline': 0.45,\n"
    "                  'effect': { 'prior': { 'dist': 'normal', 'mean': 0.10, 'sd': 0.08 } },\n"
    "                  'evaluation': { 'design': 'rct', 'comparison_ratio': 1 },\n"
    "                  'observation_lag': 0.5 } ],\n"
    "  'contract': { 'payments': [\n"
    "      { 'name': 'per reoffender avoided', 'outcome': 'reoffending', 'type': 'per_unit',\n"
    "        'price': 40000, 'trigger': 0.05, 'lag': 0.25 } ] },\n"
    "  'financing': [ { 'name': 'SIB', 'type': 'sib', 'tranches': [ { 'commitment': 5000000 } ] } ]\n"
    "}\n";

/* Strings spliced into the bases. */
#define MIN_PAYMENT "{ 'outcome': 'reconvictions', 'type': 'per_unit', 'price': 8000, 'trigger': 0.05 }"
#define MIN_TRANCHES "'tranches': [ { 'commitment': 1000000 } ]"
#define MIN_EVAL "'evaluation': { 'design': 'rct', 'comparison_size': 500 }"
#define MIN_EFFECT "'effect': { 'prior': { 'dist': 'normal', 'mean': 0.10, 'sd': 0.05 } }"
#define GATE_RULE "'min_effect': 0.05, 'probability': 0.9"
#define GATED_PAYMENT "'price': 40000, 'trigger': 0.05, 'lag': 0.25 }"
#define GATED_FINANCING "'financing': [ { 'name': 'SIB', 'type': 'sib', 'tranches': [ { 'commitment': 5000000 } ] } ]"

/* ---------------------------------------------------------------- helpers */

#define MAX_W 32

static scenario *variant(const char *base, const char *from, const char *to) {
    return must_load_quoted(text_edit(base, from, to));
}

static scenario *base(const char *b) { return must_load_quoted(b); }

/* The loader refuses base with `from` made `to`, at pointer, with phrase
 * in its message: what the bounds stop never reaches the warnings. */
static void expect_refused(const char *base, const char *from, const char *to,
                           const char *pointer, const char *phrase) {
    const char *json = double_quoted(text_edit(base, from, to));
    sib_error err;
    scenario *sc = scenario_load_string(json, "<test>", &err);
    cr_assert_null(sc, "loaded: %s", to);
    cr_assert_str_eq(err.pointer, pointer);
    cr_assert_not_null(strstr(err.message, phrase), "\"%s\" not in: %s", phrase, err.message);
}

typedef struct found {
    sib_warning w[MAX_W];
    size_t n;
} found;

static found warnings_of(const scenario *sc) {
    found f;
    memset(&f, 0, sizeof f);
    f.n = scenario_warnings(sc, f.w, MAX_W);
    cr_assert_leq(f.n, MAX_W);
    for (size_t i = 0; i < f.n; i++) {
        /* Never cut: every message fits its buffer with room to spare. */
        cr_assert_lt(strlen(f.w[i].message), sizeof f.w[i].message - 1, "cut: %s", f.w[i].message);
        cr_assert_gt(strlen(f.w[i].message), 0);
    }
    return f;
}

static const char *listing(const found *f) {
    static char buf[MAX_W * 700];
    buf[0] = '\0';
    for (size_t i = 0; i < f->n; i++) {
        strcat(buf, "\n  ");
        strcat(buf, f->w[i].pointer);
        strcat(buf, ": ");
        strcat(buf, f->w[i].message);
    }
    return f->n ? buf : " none";
}

/* The scenario warns exactly once: at pointer, with phrase in the message.
 * Frees sc. */
static void expect_one(scenario *sc, const char *pointer, const char *phrase) {
    found f = warnings_of(sc);
    cr_assert_eq(f.n, 1, "expected one warning at %s, found %zu:%s", pointer, f.n, listing(&f));
    cr_assert_str_eq(f.w[0].pointer, pointer, "warning at the wrong field:%s", listing(&f));
    cr_assert_not_null(strstr(f.w[0].message, phrase), "\"%s\" not in:%s", phrase, listing(&f));
    scenario_free(sc);
}

/* The scenario warns at pointer (among others), with phrase. Frees sc. */
static void expect_at(scenario *sc, const char *pointer, const char *phrase) {
    found f = warnings_of(sc);
    for (size_t i = 0; i < f.n; i++)
        if (strcmp(f.w[i].pointer, pointer) == 0 && strstr(f.w[i].message, phrase) != NULL) {
            scenario_free(sc);
            return;
        }
    cr_assert_fail("no warning at %s with \"%s\"; found:%s", pointer, phrase, listing(&f));
}

/* The scenario gives no warning. Frees sc. */
static void expect_none(scenario *sc) {
    found f = warnings_of(sc);
    cr_assert_eq(f.n, 0, "expected no warning, found:%s", listing(&f));
    scenario_free(sc);
}

/* The whole message, for the checks whose wording the docs quote. */
static void expect_exactly(scenario *sc, const char *pointer, const char *message) {
    found f = warnings_of(sc);
    cr_assert_eq(f.n, 1, "expected one warning, found %zu:%s", f.n, listing(&f));
    cr_assert_str_eq(f.w[0].pointer, pointer);
    cr_assert_str_eq(f.w[0].message, message);
    scenario_free(sc);
}

/* ------------------------------------------------------------ the library */

Test(warnings, the_library_gives_no_warning) {
    glob_t g;
    cr_assert_eq(glob(SIBSIM_SOURCE_DIR "/scenarios/*.json", 0, NULL, &g), 0);
    cr_assert_geq(g.gl_pathc, 7);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *rel = g.gl_pathv[i] + strlen(SIBSIM_SOURCE_DIR) + 1;
        scenario *sc = must_load_repo_file(rel);
        found f = warnings_of(sc);
        cr_expect_eq(f.n, 0, "%s warns:%s", rel, listing(&f));
        scenario_free(sc);
    }
    globfree(&g);
}

Test(warnings, the_documentation_examples_give_no_warning) {
    expect_none(base(MINIMAL));
    expect_none(base(GATED));
}

/* -------------------------------------------------------------------- API */

Test(warnings, returns_how_many_there_are_and_fills_only_max) {
    /* Three warnings: a return cap, a discount rate, a maturity. */
    scenario *sc = variant(MINIMAL, MIN_TRANCHES,
                           "'tranches': [ { 'commitment': 1000000, 'return_cap': 1, "
                           "'discount_rate': 1, 'maturity': 1 } ]");
    sib_warning w[3];
    cr_assert_eq(scenario_warnings(sc, NULL, 0), 3);
    memset(w, 'x', sizeof w);
    cr_assert_eq(scenario_warnings(sc, w, 1), 3);
    cr_assert_str_eq(w[0].pointer, "/financing/0/tranches/0/return_cap");
    cr_assert_eq(w[1].pointer[0], 'x', "wrote past max");
    cr_assert_eq(scenario_warnings(sc, w, 3), 3);
    cr_assert_str_eq(w[0].pointer, "/financing/0/tranches/0/return_cap");
    cr_assert_str_eq(w[1].pointer, "/financing/0/tranches/0/discount_rate");
    cr_assert_str_eq(w[2].pointer, "/financing/0/tranches/0/maturity");
    /* Pure: the same answer again. */
    sib_warning again[3];
    cr_assert_eq(scenario_warnings(sc, again, 3), 3);
    for (size_t i = 0; i < 3; i++) cr_assert_str_eq(again[i].message, w[i].message);
    scenario_free(sc);
}

/* ------------------------------------------------- effects written in percent */

Test(warnings, a_relative_fall_above_one_is_refused_as_a_percentage) {
    /* An outcome that falls cannot fall by more than 100%: the loader's
     * bound stops 15, and its message asks the warning's question. */
    expect_refused(MINIMAL, "'mean': 0.10", "'mean': 15", "/outcomes/0/effect/prior/mean",
                   "expected a number in [-10, 1], found 15: a rate or share is a fraction, "
                   "did you mean 0.15 (15%)?");
    expect_none(variant(MINIMAL, "'mean': 0.10", "'mean': 0.15"));
}

Test(warnings, a_fixed_or_other_relative_effect_prior_points_at_the_prior) {
    /* A count where higher is better has no upper bound on its relative
     * effect, so a bare 3 (a 300% rise) loads. */
    const char *higher = text_edit(MINIMAL, "'lower_is_better'", "'higher_is_better'");
    expect_one(variant(higher, MIN_EFFECT, "'effect': { 'prior': 3 }"), "/outcomes/0/effect/prior",
               "a relative effect of 3 is a 300% change: did you mean 0.03 (3%)?");
    expect_none(variant(higher, MIN_EFFECT, "'effect': { 'prior': 0.03 }"));
    /* Other kinds: the prior's mean, (0 + 0.5 + 20) / 3. */
    expect_one(variant(higher, MIN_EFFECT,
                       "'effect': { 'prior': { 'dist': 'triangular', 'min': 0, 'mode': 0.5, "
                       "'max': 20 } }"),
               "/outcomes/0/effect/prior", "a relative effect prior with mean 6.83333");
    expect_none(variant(higher, MIN_EFFECT,
                        "'effect': { 'prior': { 'dist': 'triangular', 'min': 0, 'mode': 0.05, "
                        "'max': 0.2 } }"));
}

/* --------------------------------------------------- stage priors in percent */

Test(warnings, an_overrun_is_a_multiplier) {
    expect_one(variant(MINIMAL, "'setup': 50000,", "'setup': 50000, 'overrun': 20,"),
               "/stages/0/costs/overrun", "did you mean 1.2 (20% over)?");
    expect_one(variant(MINIMAL, "'setup': 50000,",
                       "'setup': 50000, 'overrun': { 'dist': 'normal', 'mean': 0.2, 'sd': 0.05 },"),
               "/stages/0/costs/overrun/mean", "(20% of plan)");
    expect_none(variant(MINIMAL, "'setup': 50000,", "'setup': 50000, 'overrun': 1.2,"));
}

/* A prior cut by its bounds is warned about on the mean of what is drawn, not
 * on the mean of the uncut law. Lognormal(3, 0.5) has mean exp(3.125) = 22.76;
 * capped at 25 its mean is E[min(X, 25)] = exp(mu + s^2/2) Phi((ln 25 - mu -
 * s^2)/s) + 25 (1 - Phi((ln 25 - mu)/s)) = 19.0847 (by hand, with erf). Capped
 * at 1.5, its mean is at most 1.5: no warning at all. */
Test(warnings, a_bounded_prior_is_judged_on_the_mean_it_draws) {
    expect_one(variant(MINIMAL, "'setup': 50000,",
                       "'setup': 50000, 'overrun': { 'dist': 'lognormal', 'mu': 3, 'sigma': 0.5, "
                       "'upper': 25 },"),
               "/stages/0/costs/overrun", "an overrun prior with mean 19.0847 ");
    expect_none(variant(MINIMAL, "'setup': 50000,",
                        "'setup': 50000, 'overrun': { 'dist': 'lognormal', 'mu': 3, 'sigma': 0.5, "
                        "'upper': 1.5 },"));
}

Test(warnings, a_volume_or_multiplier_above_two_looks_like_a_percentage) {
    expect_one(variant(MINIMAL, "'duration': 2,", "'duration': 2, 'volume': 5,"), "/stages/0/volume",
               "enrols 5 times the planned participants");
    expect_none(variant(MINIMAL, "'duration': 2,", "'duration': 2, 'volume': 0.9,"));
    expect_one(variant(MINIMAL, "'duration': 2,", "'duration': 2, 'effect_multiplier': 7,"),
               "/stages/0/effect_multiplier", "7 times the programme's");
    expect_none(variant(MINIMAL, "'duration': 2,", "'duration': 2, 'effect_multiplier': 0.7,"));
}

/* A hazard h a year fails within a year with probability 1 - e^-h:
 * 1 - e^-6.5 = 0.998497 and 1 - e^-0.065 = 0.062933 (by hand). */
Test(warnings, a_failure_hazard_of_one_or_more_a_year_is_a_percentage) {
    expect_one(variant(MINIMAL, "'duration': 2,", "'duration': 2, 'failure_hazard': 6.5,"),
               "/stages/0/failure_hazard",
               "a failure hazard of 6.5 a year fails the programme within a year of running with "
               "probability 99.8%: a hazard is failures a year (0.065 is a 6.29% chance a year): "
               "did you mean 0.065?");
    expect_none(variant(MINIMAL, "'duration': 2,", "'duration': 2, 'failure_hazard': 0.065,"));
    expect_none(variant(MINIMAL, "'duration': 2,", "'duration': 2, 'failure_hazard': 0.99,"));
}

/* Times are in years: 12 or more that is a whole number of dozens reads as
 * months (24 months = 2 years, 12 = 1, 36 = 3: by hand). 7 (the longest
 * in the library), 30 (not a number of years a month count gives in
 * dozens) and 6 are left alone. */
Test(warnings, a_time_in_dozens_of_years_was_probably_written_in_months) {
    expect_exactly(variant(MINIMAL, "'duration': 2,", "'duration': 24,"), "/stages/0/duration",
                   "a duration of 24 years: times are in years: was it written in months (2 "
                   "years)?");
    expect_exactly(variant(MINIMAL, "'observation_lag': 1", "'observation_lag': 12"),
                   "/outcomes/0/observation_lag",
                   "an observation lag of 12 years: times are in years: was it written in months "
                   "(1 year)?");
    expect_at(variant(MINIMAL, "'trigger': 0.05", "'trigger': 0.05, 'lag': 36"),
              "/contract/payments/0/lag",
              "a lag of 36 years: times are in years: was it written "
              "in months (3 years)?");
    expect_none(variant(MINIMAL, "'duration': 2,", "'duration': 7,"));
    expect_none(variant(MINIMAL, "'duration': 2,", "'duration': 30,"));
    expect_none(variant(MINIMAL, "'observation_lag': 1", "'observation_lag': 6"));
}

Test(warnings, a_tiny_cohort_was_probably_written_in_thousands) {
    expect_one(variant(MINIMAL, "'size': 500", "'size': 5"), "/stages/0/cohorts/0/size",
               "a cohort of 5 people is too small");
    expect_none(variant(MINIMAL, "'size': 500", "'size': 10"));
}

/* ------------------------------------------------ evaluation terms in percent */

Test(warnings, a_matched_bias_of_one_or_more_is_a_percentage) {
    expect_one(variant(MINIMAL, MIN_EVAL,
                       "'evaluation': { 'design': 'matched', 'comparison_size': 500, 'bias': 5 }"),
               "/outcomes/0/evaluation/bias", "did you mean 0.05 (5%)?");
    expect_none(variant(MINIMAL, MIN_EVAL,
                        "'evaluation': { 'design': 'matched', 'comparison_size': 500, 'bias': 0.05 }"));
}

Test(warnings, a_historical_drift_of_half_the_baseline_a_year_is_a_percentage) {
    scenario *sc = variant(MINIMAL, MIN_EVAL,
                           "'evaluation': { 'design': 'historical', 'trend': -0.5, 'volatility': 0.5 }");
    found f = warnings_of(sc);
    cr_assert_eq(f.n, 2, "%s", listing(&f));
    cr_assert_str_eq(f.w[0].pointer, "/outcomes/0/evaluation/trend");
    cr_assert_not_null(strstr(f.w[0].message, "did you mean -0.005 (-0.5%)?"), "%s", listing(&f));
    cr_assert_str_eq(f.w[1].pointer, "/outcomes/0/evaluation/volatility");
    cr_assert_not_null(strstr(f.w[1].message, "did you mean 0.005 (0.5%)?"), "%s", listing(&f));
    scenario_free(sc);
    expect_none(variant(MINIMAL, MIN_EVAL,
                        "'evaluation': { 'design': 'historical', 'trend': -0.005, "
                        "'volatility': 0.005 }"));
}

/* ------------------------------------------------ annual rates of 100% or more */

Test(warnings, a_return_cap_of_one_is_a_hundred_percent_a_year) {
    expect_exactly(variant(MINIMAL, MIN_TRANCHES,
                           "'tranches': [ { 'commitment': 1000000, 'return_cap': 1 } ]"),
                   "/financing/0/tranches/0/return_cap",
                   "a return cap of 1 is 100% a year: did you mean 0.01 (1%)?");
    /* Above 1 the loader refuses it, asking the same question. */
    expect_refused(MINIMAL, MIN_TRANCHES, "'tranches': [ { 'commitment': 1000000, 'return_cap': 8 } ]",
                   "/financing/0/tranches/0/return_cap", "did you mean 0.08 (8%)?");
    expect_none(variant(MINIMAL, MIN_TRANCHES,
                        "'tranches': [ { 'commitment': 1000000, 'return_cap': 0.08 } ]"));
}

Test(warnings, a_coupon_of_one_is_a_hundred_percent_a_year) {
    expect_one(variant(MINIMAL, MIN_TRANCHES, "'tranches': [ { 'commitment': 1000000, 'coupon': 1 } ]"),
               "/financing/0/tranches/0/coupon", "a coupon of 1 is 100% a year: did you mean 0.01");
    expect_none(variant(MINIMAL, MIN_TRANCHES,
                        "'tranches': [ { 'commitment': 1000000, 'coupon': 0.99 } ]"));
}

Test(warnings, discount_rates_of_one_are_percentages) {
    /* The simulation's rate is every tranche's default: warned once, there. */
    expect_one(variant(MINIMAL, "'currency': 'GBP',",
                       "'currency': 'GBP', 'simulation': { 'discount_rate': 1 },"),
               "/simulation/discount_rate", "a discount rate of 1 is 100% a year");
    expect_one(variant(MINIMAL, MIN_TRANCHES,
                       "'tranches': [ { 'commitment': 1000000, 'discount_rate': 1 } ]"),
               "/financing/0/tranches/0/discount_rate", "did you mean 0.01 (1%)?");
    expect_none(variant(MINIMAL, MIN_TRANCHES,
                        "'tranches': [ { 'commitment': 1000000, 'discount_rate': 0.1 } ]"));
    expect_none(variant(MINIMAL, "'currency': 'GBP',",
                        "'currency': 'GBP', 'simulation': { 'discount_rate': 0.1 },"));
}

Test(warnings, other_annual_rates_of_one_or_more) {
    /* A cost of capital and a band's return are bounded at 0.5 a year:
     * the loader refuses 1 and 3 and asks the question itself. */
    expect_refused(GATED, GATED_FINANCING,
                   "'financing': [ { 'name': 'PbR', 'type': 'pbr', 'cost_of_capital': 1 } ]",
                   "/financing/0/cost_of_capital", "did you mean 0.01 (1%)?");
    expect_none(variant(GATED, GATED_FINANCING,
                        "'financing': [ { 'name': 'PbR', 'type': 'pbr', 'cost_of_capital': 0.1 } ]"));
    expect_one(variant(GATED, GATED_FINANCING,
                       "'financing': [ { 'name': 'FfS', 'type': 'fee_for_service', 'margin': 5 } ]"),
               "/financing/0/margin", "a margin of 5 is 500% on top of costs: did you mean 0.05");
    expect_none(variant(GATED, GATED_FINANCING,
                        "'financing': [ { 'name': 'FfS', 'type': 'fee_for_service', 'margin': 0.05 } ]"));
    expect_one(variant(GATED, "'tranches': [ { 'commitment': 5000000 } ]",
                       "'tranches': [ { 'commitment': 5000000 } ], 'guarantees': [ { 'tranche': "
                       "'investors', 'kind': 'first_loss', 'amount': 100000, 'fee': 1 } ]"),
               "/financing/0/guarantees/0/fee", "a guarantee fee of 1 is 100% a year");
    expect_none(variant(GATED, "'tranches': [ { 'commitment': 5000000 } ]",
                        "'tranches': [ { 'commitment': 5000000 } ], 'guarantees': [ { 'tranche': "
                        "'investors', 'kind': 'first_loss', 'amount': 100000, 'fee': 0.01 } ]"));
    expect_refused(GATED, GATED_PAYMENT,
                   "'price': 40000, 'trigger': 0.05, 'lag': 0.25 }, { 'name': 'bands', 'outcome': "
                   "'reoffending', 'type': 'tiered', 'scope': 'programme', 'principal': 100000, "
                   "'bands': [ { 'from': 0.05, 'return': 3 } ] }",
                   "/contract/payments/1/bands/0/return", "did you mean 0.03 (3%)?");
    expect_none(variant(GATED, GATED_PAYMENT,
                        "'price': 40000, 'trigger': 0.05, 'lag': 0.25 }, { 'name': 'bands', "
                        "'outcome': 'reoffending', 'type': 'tiered', 'scope': 'programme', "
                        "'principal': 100000, 'bands': [ { 'from': 0.05, 'return': 0.03 } ] }"));
    expect_one(variant(GATED, GATED_PAYMENT,
                       "'price': 40000, 'trigger': 0.05, 'lag': 0.25 }, { 'name': 'savings', "
                       "'outcome': 'reoffending', 'type': 'savings_share', 'value': 1000, 'share': 0.9, "
                       "'share_after': 0.4, 'until_repaid': { 'amount': 100000, 'rate': 1 } }"),
               "/contract/payments/1/until_repaid/rate", "an interest rate of 1 is 100% a year");
    expect_none(variant(GATED, GATED_PAYMENT,
                        "'price': 40000, 'trigger': 0.05, 'lag': 0.25 }, { 'name': 'savings', "
                        "'outcome': 'reoffending', 'type': 'savings_share', 'value': 1000, "
                        "'share': 0.9, 'share_after': 0.4, "
                        "'until_repaid': { 'amount': 100000, 'rate': 0.05 } }"));
}

/* --------------------------------------------------- commitment and cost */

Test(warnings, a_bond_that_commits_less_than_its_planned_cost) {
    expect_one(variant(MINIMAL, MIN_TRANCHES, "'tranches': [ { 'commitment': 500000 } ]"),
               "/financing/0/tranches/0/commitment",
               "the tranches commit GBP 500,000, less than the planned cost they fund, GBP 800,000 "
               "(the delivery of every stage as planned): GBP 300,000 would be unfunded and fall "
               "on the provider");
    expect_none(variant(MINIMAL, MIN_TRANCHES, "'tranches': [ { 'commitment': 800000 } ]"));
    /* Several tranches: the pointer is the array. */
    expect_one(variant(MINIMAL, MIN_TRANCHES,
                       "'tranches': [ { 'name': 'a', 'commitment': 400000 }, "
                       "{ 'name': 'b', 'commitment': 300000 } ]"),
               "/financing/0/tranches", "the tranches commit GBP 700,000");
    /* Recycling outcome payments may fund the rest on purpose. */
    expect_none(variant(MINIMAL, MIN_TRANCHES,
                        "'tranches': [ { 'commitment': 500000 } ], 'recycle': true"));
}

Test(warnings, the_fees_are_part_of_what_a_bond_funds) {
    /* 800,000 of delivery, 150,000 + 2 years x 30,000 of fees = 1,010,000. */
    const char *fees = "'tranches': [ { 'commitment': 1000000 } ], "
                       "'fees': { 'setup': 150000, 'per_year': 30000 }";
    expect_one(variant(MINIMAL, MIN_TRANCHES, fees), "/financing/0/tranches/0/commitment",
               "GBP 1,010,000 (delivery GBP 800,000 of every stage, fees GBP 210,000): GBP 10,000");
    expect_none(variant(MINIMAL, MIN_TRANCHES,
                        "'tranches': [ { 'commitment': 1010000 } ], "
                        "'fees': { 'setup': 150000, 'per_year': 30000 }"));
}

Test(warnings, a_bond_in_a_blend_funds_the_stages_the_blend_gives_it) {
    /* The SIB funds the scale-up alone: 3,200,000. */
    const char *blend =
        "'financing': [ { 'name': 'grant', 'type': 'grant' },\n"
        "  { 'name': 'SIB', 'type': 'sib', 'tranches': [ { 'commitment': %s } ] },\n"
        "  { 'name': 'staged', 'type': 'by_stage', 'stages': { 'pilot': 'grant', 'scale_up': 'SIB' } } ]";
    char text[512];
    snprintf(text, sizeof text, blend, "3000000");
    expect_one(variant(GATED, GATED_FINANCING, text), "/financing/1/tranches/0/commitment",
               "GBP 3,200,000 (the delivery of the stages blend \"staged\" gives it as planned)");
    snprintf(text, sizeof text, blend, "3200000");
    expect_none(variant(GATED, GATED_FINANCING, text));
}

/* -------------------------------------------------- thresholds out of reach */

Test(warnings, a_trigger_in_percent_is_never_reached) {
    expect_one(variant(MINIMAL, "'trigger': 0.05", "'trigger': 10"), "/contract/payments/0/trigger",
               "a trigger of 10 is never reached");
    expect_at(variant(MINIMAL, "'trigger': 0.05", "'trigger': 10"), "/contract/payments/0/trigger",
              "so this rule never pays: did you mean 0.1 (10%)?");
    expect_none(variant(MINIMAL, "'trigger': 0.05", "'trigger': 0.1"));
}

Test(warnings, a_trigger_beyond_the_prior_and_the_noise_is_never_reached) {
    /* Effect N(0.10, 0.05): 99.9th percentile 0.255. 500 vs 500 people at 1.5
     * events each: a relative standard error of about 0.052, four of which
     * take the reach to about 0.46. */
    scenario *sc = variant(MINIMAL, "'trigger': 0.05", "'trigger': 0.5");
    found f = warnings_of(sc);
    cr_assert_eq(f.n, 1, "%s", listing(&f));
    cr_assert_str_eq(f.w[0].pointer, "/contract/payments/0/trigger");
    cr_assert_not_null(strstr(f.w[0].message, "the effect prior's 99.9th percentile, 0.255"), "%s",
                       listing(&f));
    cr_assert_null(strstr(f.w[0].message, "did you mean"), "no percent reading of 0.5");
    scenario_free(sc);
    /* 0.4 is out of the prior's reach but within its noise: no warning. */
    expect_none(variant(MINIMAL, "'trigger': 0.05", "'trigger': 0.4"));
}

Test(warnings, a_validated_share_never_exceeds_one) {
    /* Validated counts: the measured "effect" is the share achieving the
     * outcome, which is at most 1, however wide the prior and the noise. */
    const char *validated = text_edit(
        text_edit(text_edit(MINIMAL, "'kind': 'count', 'direction': 'lower_is_better'",
                            "'kind': 'rate', 'direction': 'higher_is_better'"),
                  "'baseline': 1.5,", "'baseline': 0.4,"),
        MIN_EFFECT ",\n                  " MIN_EVAL,
        "'effect': { 'scale': 'absolute', 'prior': { 'dist': 'normal', 'mean': 0.5, 'sd': 0.1 } }, "
        "'evaluation': { 'design': 'validated_count' }");
    validated = text_edit(validated, MIN_PAYMENT,
                          "{ 'outcome': 'reconvictions', 'type': 'fixed', 'amount': 100000, "
                          "'trigger': 0.8 }");
    expect_none(must_load_quoted(validated));
    expect_one(variant(validated, "'trigger': 0.8", "'trigger': 1.2"), "/contract/payments/0/trigger",
               "a trigger of 1.2 is never reached: the measured effect is at most about 1 (");
}

Test(warnings, a_gate_min_effect_that_is_never_or_always_met) {
    expect_one(variant(GATED, GATE_RULE, "'min_effect': 5, 'probability': 0.9"),
               "/stages/1/gate/min_effect",
               "is never reached: the measured effect pooled over stage \"pilot\"");
    expect_at(variant(GATED, GATE_RULE, "'min_effect': 5, 'probability': 0.9"),
              "/stages/1/gate/min_effect", "so this stage never runs: did you mean 0.05 (5%)?");
    expect_one(variant(GATED, GATE_RULE, "'min_effect': -10, 'probability': 0.9"),
               "/stages/1/gate/min_effect", "a min_effect of -10 is always met");
    expect_at(variant(GATED, GATE_RULE, "'min_effect': -0.6, 'probability': 0.9"),
              "/stages/1/gate/min_effect", "never stops this stage: did you mean 0.6?");
    expect_none(variant(GATED, GATE_RULE, "'min_effect': 0.3, 'probability': 0.9"));
    expect_none(variant(GATED, GATE_RULE, "'min_effect': -0.2, 'probability': 0.9"));
}

Test(warnings, a_linear_floor_or_ceiling_out_of_reach) {
    expect_one(variant(MINIMAL, MIN_PAYMENT,
                       "{ 'outcome': 'reconvictions', 'type': 'linear', 'amount': 100000, "
                       "'floor': 5, 'ceiling': 10 }"),
               "/contract/payments/0/floor", "a floor of 5 is never passed");
    expect_one(variant(MINIMAL, MIN_PAYMENT,
                       "{ 'outcome': 'reconvictions', 'type': 'linear', 'amount': 100000, "
                       "'floor': 0.05, 'ceiling': 10 }"),
               "/contract/payments/0/ceiling", "never pays its full amount: did you mean 0.1 (10%)?");
    expect_none(variant(MINIMAL, MIN_PAYMENT,
                        "{ 'outcome': 'reconvictions', 'type': 'linear', 'amount': 100000, "
                        "'floor': 0.05, 'ceiling': 0.1 }"));
}

Test(warnings, a_tiered_band_out_of_reach) {
    expect_one(variant(MINIMAL, MIN_PAYMENT,
                       "{ 'outcome': 'reconvictions', 'type': 'tiered', 'scope': 'programme', "
                       "'bands': [ { 'from': 5, 'amount': 100000 } ] }"),
               "/contract/payments/0/bands/0/from", "the first band, from 5, is never reached");
    expect_one(variant(MINIMAL, MIN_PAYMENT,
                       "{ 'outcome': 'reconvictions', 'type': 'tiered', 'scope': 'programme', "
                       "'bands': [ { 'from': 0.05, 'amount': 100000 }, { 'from': 15, 'amount': "
                       "200000 }, { 'from': 20, 'amount': 300000 } ] }"),
               "/contract/payments/0/bands/1/from", "band 1, from 15, and every band above it");
    expect_none(variant(MINIMAL, MIN_PAYMENT,
                        "{ 'outcome': 'reconvictions', 'type': 'tiered', 'scope': 'programme', "
                        "'bands': [ { 'from': 0.05, 'amount': 100000 }, { 'from': 0.15, 'amount': "
                        "200000 } ] }"));
}

/* ------------------------------------------------ caps below one payment */

Test(warnings, a_rule_cap_below_one_payment) {
    expect_one(variant(MINIMAL, "'trigger': 0.05", "'trigger': 0.05, 'cap_per_cohort': 5000"),
               "/contract/payments/0/cap_per_cohort",
               "a cap of GBP 5,000 per cohort is below one unit's price (GBP 8,000)");
    expect_none(variant(MINIMAL, "'trigger': 0.05", "'trigger': 0.05, 'cap_per_cohort': 500000"));
    expect_one(variant(MINIMAL, "'trigger': 0.05", "'trigger': 0.05, 'cap': 5000"),
               "/contract/payments/0/cap", "a cap of GBP 5,000 on this rule is below one unit's price");
    expect_none(variant(MINIMAL, "'trigger': 0.05", "'trigger': 0.05, 'cap': 500000"));
    expect_one(variant(MINIMAL, MIN_PAYMENT,
                       "{ 'outcome': 'reconvictions', 'type': 'fixed', 'amount': 100000, "
                       "'trigger': 0.05, 'cap_per_cohort': 100 }"),
               "/contract/payments/0/cap_per_cohort", "is below its amount (GBP 100,000)");
    expect_none(variant(MINIMAL, MIN_PAYMENT,
                        "{ 'outcome': 'reconvictions', 'type': 'fixed', 'amount': 100000, "
                        "'trigger': 0.05, 'cap_per_cohort': 100000 }"));
}

Test(warnings, contract_outcome_and_payer_caps_below_one_payment) {
    expect_one(variant(MINIMAL, "'contract': {", "'contract': { 'cap': 3.4,"), "/contract/cap",
               "a cap of GBP 3.40 on all outcome payments is below the smallest single payment "
               "(GBP 8,000, one unit's price of payment \"payment 1\")");
    expect_none(variant(MINIMAL, "'contract': {", "'contract': { 'cap': 3400000,"));
    expect_one(variant(MINIMAL, "'contract': {",
                       "'contract': { 'outcome_caps': { 'reconvictions': 100 },"),
               "/contract/outcome_caps/reconvictions", "a cap of GBP 100 on outcome \"reconvictions\"");
    expect_none(variant(MINIMAL, "'contract': {",
                        "'contract': { 'outcome_caps': { 'reconvictions': 100000 },"));
    expect_one(variant(MINIMAL, "'contract': {",
                       "'contract': { 'payers': [ { 'name': 'a', 'share': 0.5, 'cap': 1000 }, "
                       "{ 'name': 'b', 'share': 0.5 } ],"),
               "/contract/payers/0/cap", "below its share of the smallest single payment (GBP 4,000)");
    expect_none(variant(MINIMAL, "'contract': {",
                        "'contract': { 'payers': [ { 'name': 'a', 'share': 0.5, 'cap': 4000 }, "
                        "{ 'name': 'b', 'share': 0.5 } ],"));
}

Test(warnings, an_outcome_cap_pointer_escapes_the_name) {
    scenario *sc = variant(MINIMAL, "'contract': {", "'contract': { 'outcome_caps': { 'reconvictions': 1 },");
    /* RFC 6901: a "/" in the name is "~1", a "~" is "~0". */
    snprintf(sc->outcomes[0].name, sizeof sc->outcomes[0].name, "re/con~victions");
    expect_one(sc, "/contract/outcome_caps/re~1con~0victions", "on outcome \"re/con~victions\"");
}

/* A name from the scenario reaches the warning made visible (sib_visible), as
 * it does an error: an escape sequence or a newline in an outcome's name can
 * neither recolour the terminal nor forge a line of output when the CLI or
 * the TUI shows the warning. In the pointer too (RFC 6901 escapes "/" and
 * "~" only). */
Test(warnings, a_name_with_control_characters_is_made_visible) {
    scenario *sc = variant(MINIMAL, "'contract': {", "'contract': { 'outcome_caps': { 'reconvictions': 1 },");
    snprintf(sc->outcomes[0].name, sizeof sc->outcomes[0].name, "re\x1b[2Jcon\nvictions");
    expect_one(sc, "/contract/outcome_caps/re\\x1b[2Jcon\\nvictions",
               "on outcome \"re\\x1b[2Jcon\\nvictions\"");
}

/* --------------------------------------------------------------- gates */

Test(warnings, a_gate_that_nobody_commissions) {
    expect_one(variant(GATED, GATE_RULE, "'min_effect': 0.05, 'probability': 0"),
               "/stages/1/gate/probability", "a commissioning probability of 0");
    expect_none(variant(GATED, GATE_RULE, "'min_effect': 0.05, 'probability': 0.1"));
}

Test(warnings, a_min_paid_that_no_payment_can_meet) {
    const char *paid = text_edit(GATED, "'outcome': 'reoffending', " GATE_RULE,
                                 "'min_paid': 100000, 'probability': 0.9");
    expect_none(must_load_quoted(paid));
    /* The pilot is measured at 1.5: a lag of 0.75 pays it at 2.25, after the
     * scale-up's start at 2. */
    expect_one(variant(paid, "'lag': 0.25", "'lag': 0.75"), "/stages/1/gate/min_paid",
               "a min_paid of GBP 100,000 counts payments for stage \"pilot\" due by this stage's "
               "start (t = 2), but the first of them falls due at t = 2.25: the gate never opens");
    /* A pooled payment over every stage is not a payment for the pilot. */
    expect_one(variant(paid, "'type': 'per_unit',", "'type': 'per_unit', 'scope': 'programme',"),
               "/stages/1/gate/min_paid", "no payment rule pays for its cohorts alone");
    /* (A cap under a tenth of the 5m the tranches commit is a warning of
     * its own, check_payable's: these caps are above it.) */
    const char *million = text_edit(paid, "'min_paid': 100000", "'min_paid': 1000000");
    expect_one(
        variant(million, "'contract': {", "'contract': { 'cap': 600000,"),
        "/stages/1/gate/min_paid",
        "is more than the contract's cap on all payments (GBP 600,000): the gate never opens");
    expect_none(variant(million, "'contract': {", "'contract': { 'cap': 1000000,"));
}

/* ------------------------------------------- what the contract can pay */

/* A price written in thousands: the most the outcome payments can reach
 * (generously: every participant, a count's mean at 3 times its baseline,
 * a rate's at 1 a person) under a tenth of what the tranches commit.
 * MINIMAL by hand: 500 people x 3 x 1.5 events = 2,250 units; its tranche
 * commits 1,000,000, a tenth of it 100,000. */
Test(warnings, a_price_in_thousands) {
    const char *p = "'price': 8000";
    expect_none(variant(MINIMAL, p, "'price': 45")); /* 45 x 2,250 = 101,250 */
    /* 44 x 2,250 = 99,000 */
    expect_exactly(variant(MINIMAL, p, "'price': 44"), "/contract/payments/0/price",
                   "the outcome payments can come to at most about GBP 99,000 (every participant, "
                   "at the plausible most, on every rule), under a tenth of the GBP 1,000,000 the "
                   "tranches commit: were the prices or amounts written in thousands?");
    expect_one(variant(MINIMAL, p, "'price': 8"), "/contract/payments/0/price",
               "at most about GBP 18,000 (every"); /* 8 x 2,250 */
    /* The volume prior at its 99.9th percentile: uniform(0.5, 2) gives
     * 0.5 + 0.999 x 1.5 = 1.9985, so 999.25 people and 4,496.6 units:
     * at 40 a unit, 179,865, no warning; without it 40 x 2,250 = 90,000. */
    expect_one(variant(MINIMAL, p, "'price': 40"), "/contract/payments/0/price",
               "about GBP 90,000 (");
    expect_none(
        variant(text_edit(MINIMAL, "'cohorts'",
                          "'volume': { 'dist': 'uniform', 'min': 0.5, 'max': 2 }, 'cohorts'"),
                p, "'price': 40"));
    /* A fixed amount: once per cohort and measurement. */
    const char *fixed =
        "{ 'outcome': 'reconvictions', 'type': 'fixed', 'amount': %s, 'trigger': 0.05 }";
    char f1[200], f2[200];
    snprintf(f1, sizeof f1, fixed, "100000");
    snprintf(f2, sizeof f2, fixed, "90");
    expect_none(variant(MINIMAL, MIN_PAYMENT, f1));
    expect_one(variant(MINIMAL, MIN_PAYMENT, f2), "/contract/payments/0/amount", "about GBP 90 (");
    /* A rate: at most one unit a person. GATED: 300 + 1,000 + 1,000 people;
     * a tenth of 5,000,000 is 500,000: 217 x 2,300 = 499,100 warns, 218 x
     * 2,300 = 501,400 does not. */
    expect_one(variant(GATED, "'price': 40000", "'price': 217"), "/contract/payments/0/price",
               "about GBP 500,000 (every participant");
    expect_none(variant(GATED, "'price': 40000", "'price': 218"));
}

/* A cap written in thousands, the contract's or a rule's, where no single
 * payment is above it (that has its own warning). */
Test(warnings, a_cap_under_a_tenth_of_the_capital) {
    expect_one(variant(MINIMAL, "'contract': {", "'contract': { 'cap': 50000,"), "/contract/cap",
               "a cap of GBP 50,000 on all outcome payments is under a tenth of the GBP 1,000,000 "
               "the tranches commit");
    expect_none(variant(MINIMAL, "'contract': {", "'contract': { 'cap': 100000,"));
    expect_one(variant(MINIMAL, "'trigger': 0.05", "'trigger': 0.05, 'cap': 50000"),
               "/contract/payments/0/cap",
               "with the payments' own caps, the outcome payments can come to at most about GBP "
               "50,000, under a tenth of the GBP 1,000,000");
    expect_none(variant(MINIMAL, "'trigger': 0.05", "'trigger': 0.05, 'cap': 100000"));
}

/* ------------------------------------------------------------ true-ups */

#define TRUE_UP(lag)                                                                               \
    "{ 'name': 'true-up', 'outcome': 'reoffending', 'type': 'per_unit', 'scope': 'programme', "    \
    "'price': 40000, 'trigger': 0.05, 'true_up': true, 'lag': " lag " }"

Test(warnings, a_true_up_paid_before_what_it_nets_off) {
    /* The cohort rule pays wave 2 at 5 + 0.25; the true-up at 5 + lag. */
    expect_one(variant(GATED, GATED_PAYMENT, GATED_PAYMENT ", " TRUE_UP("0")),
               "/contract/payments/1/lag",
               "this true-up is paid at t = 5, but payment \"per reoffender avoided\" pays for the "
               "same cohorts until t = 5.25");
    expect_at(variant(GATED, GATED_PAYMENT, GATED_PAYMENT ", " TRUE_UP("0")),
              "/contract/payments/1/lag", "give it a lag of at least 0.25");
    expect_none(variant(GATED, GATED_PAYMENT, GATED_PAYMENT ", " TRUE_UP("0.25")));
    /* On the same date, listed first: settled first. */
    expect_one(variant(GATED, "'payments': [", "'payments': [ " TRUE_UP("0.25") ","),
               "/contract/payments/0/lag", "which is listed after it");
}

/* Installments repeat an amount: a true-up paid twice pays its balance
 * (the pooled amount less the cohort payments) twice. */
Test(warnings, a_true_up_paid_in_installments) {
    expect_one(variant(GATED, GATED_PAYMENT,
                       GATED_PAYMENT ", " TRUE_UP("0.25, 'installments': 3, 'interval': 0.5")),
               "/contract/payments/1/installments",
               "this true-up is paid 3 times, 0.5 years apart, and each installment pays its "
               "pooled amount again less all that the narrower rules paid: the balance is paid 3 "
               "times");
    expect_none(variant(GATED, GATED_PAYMENT,
                        GATED_PAYMENT ", " TRUE_UP("0.25, 'installments': 1")));
    /* A pooled rule that is not a true-up repeats its amount on purpose. */
    expect_none(variant(text_edit(GATED, GATED_PAYMENT,
                                  GATED_PAYMENT ", " TRUE_UP("0.25, 'installments': 3")),
                        "'true_up': true", "'true_up': false"));
}

/* ------------------------------------------------------------ maturity */

Test(warnings, a_tranche_that_matures_before_any_payment) {
    /* The minimal example is measured, and paid, at t = 2. */
    expect_one(variant(MINIMAL, MIN_TRANCHES,
                       "'tranches': [ { 'commitment': 1000000, 'maturity': 1.5 } ]"),
               "/financing/0/tranches/0/maturity",
               "the tranche matures at t = 1.5, before any outcome payment can fall due (the first "
               "at t = 2)");
    expect_none(variant(MINIMAL, MIN_TRANCHES,
                        "'tranches': [ { 'commitment': 1000000, 'maturity': 2 } ]"));
}

/* ------------------------------------------------------ the documentation */

/* The "pointer: message" of sc's only warning is a line of the Warnings
 * section's example in docs/scenario-format.md, word for word. */
static void documented(const char *doc, scenario *sc) {
    found f = warnings_of(sc);
    cr_assert_eq(f.n, 1, "%s", listing(&f));
    char line[700];
    snprintf(line, sizeof line, "\n%s: %s\n", f.w[0].pointer, f.w[0].message);
    cr_assert_not_null(strstr(doc, line), "docs/scenario-format.md does not show:%s", line);
    scenario_free(sc);
}

Test(warnings, the_documented_examples_are_what_the_checks_say) {
    char *doc = repo_text("docs/scenario-format.md");
    const char *start = strstr(doc, "\n## Warnings\n");
    cr_assert_not_null(start, "no Warnings section");
    documented(start, variant(MINIMAL, MIN_TRANCHES,
                              "'tranches': [ { 'commitment': 1000000, 'return_cap': 1 } ]"));
    documented(start, variant(MINIMAL, "'setup': 50000,", "'setup': 50000, 'overrun': 20,"));
    documented(start, variant(MINIMAL, "'trigger': 0.05", "'trigger': 10"));
    documented(start, variant(MINIMAL, MIN_TRANCHES, "'tranches': [ { 'commitment': 500000 } ]"));
    documented(start, variant(MINIMAL, "'contract': {", "'contract': { 'cap': 3.4,"));
    documented(start, variant(text_edit(GATED, "'outcome': 'reoffending', " GATE_RULE,
                                        "'min_paid': 100000, 'probability': 0.9"),
                              "'lag': 0.25", "'lag': 0.75"));
    free(doc);
}

/* ------------------------------------------------ the terms of issue 12 */

Test(warnings, a_fixed_coupon_or_a_hurdle_of_one_is_a_hundred_percent_a_year) {
    expect_one(variant(MINIMAL, MIN_TRANCHES,
                       "'tranches': [ { 'commitment': 1000000, "
                       "'fixed_coupon': { 'rate': 1, 'until': 2 } } ]"),
               "/financing/0/tranches/0/fixed_coupon/rate",
               "a fixed coupon of 1 is 100% a year: did you mean 0.01 (1%)?");
    expect_none(variant(MINIMAL, MIN_TRANCHES,
                        "'tranches': [ { 'commitment': 1000000, "
                        "'fixed_coupon': { 'rate': 0.05, 'until': 2 } } ]"));
    expect_one(variant(MINIMAL, MIN_TRANCHES,
                       "'tranches': [ { 'commitment': 1000000, 'redemption': [ { 'at': 1, "
                       "'share_returned': 0.75, 'if_irr_below': 1 } ] } ]"),
               "/financing/0/tranches/0/redemption/0/if_irr_below",
               "a hurdle rate of 1 is 100% a year");
    expect_none(variant(MINIMAL, MIN_TRANCHES,
                        "'tranches': [ { 'commitment': 1000000, 'redemption': [ { 'at': 1, "
                        "'share_returned': 0.75, 'if_irr_below': 0.05 } ] } ]"));
}

Test(warnings, a_redemption_after_the_maturity_is_never_exercised) {
    expect_exactly(variant(MINIMAL, MIN_TRANCHES,
                           "'tranches': [ { 'commitment': 1000000, 'maturity': 3, 'redemption': "
                           "[ { 'at': 2, 'share_returned': 0.75 }, { 'after': 4, "
                           "'share_returned': 0.5 } ] } ]"),
                   "/financing/0/tranches/0/redemption/1/after",
                   "the investors can redeem only up to the tranche's maturity (t = 3), so a "
                   "redemption after t = 4 is never exercised");
    expect_none(variant(MINIMAL, MIN_TRANCHES,
                        "'tranches': [ { 'commitment': 1000000, 'maturity': 3, 'redemption': "
                        "[ { 'at': 2, 'share_returned': 0.75 }, { 'after': 2, "
                        "'share_returned': 0.5 } ] } ]"));
}

Test(warnings, a_payment_no_tranche_is_repaid_from_is_all_surplus) {
    const char *two = text_edit(MINIMAL, MIN_PAYMENT,
                                MIN_PAYMENT ", { 'name': 'bonus', 'outcome': 'reconvictions', "
                                            "'type': 'fixed', 'amount': 1000, 'trigger': 0.1 }");
    expect_exactly(variant(two, MIN_TRANCHES,
                           "'tranches': [ { 'name': 'a', 'commitment': 600000, 'repaid_from': "
                           "[ 'payment 1' ] }, { 'name': 'b', 'commitment': 400000, "
                           "'repaid_from': [ 'payment 1' ] } ]"),
                   "/financing/0/tranches",
                   "no tranche is repaid from payment \"bonus\": all it pays is surplus, returned "
                   "to the payers (or shared with the provider); name it in a tranche's "
                   "\"repaid_from\"");
    /* A tranche without repaid_from takes every payment: no warning. */
    expect_none(variant(two, MIN_TRANCHES,
                        "'tranches': [ { 'name': 'a', 'commitment': 600000, 'repaid_from': "
                        "[ 'payment 1' ] }, { 'name': 'b', 'commitment': 400000 } ]"));
    expect_none(variant(two, MIN_TRANCHES,
                        "'tranches': [ { 'name': 'a', 'commitment': 600000, 'repaid_from': "
                        "[ 'payment 1' ] }, { 'name': 'b', 'commitment': 400000, "
                        "'repaid_from': [ 'bonus' ] } ]"));
}
