/* test_loader_realised.c -- the loader's two sections that are more than
 * values: named cases (each compiles, errors at the member of "set" that
 * caused them) and the realised record (resolved against the scenario's
 * stages, cohorts and outcomes, also from a file of its own). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../model/error.h"
#include "../model/scenario.h"
#include "loader_helpers.h"

/* ----------------------------------------------------------- named cases */

Test(loader, cases_are_read_with_their_overrides_and_found_by_name) {
    scenario *sc = must_load(minimal_plus(
        ", \"cases\": [{\"name\": \"downside\", \"description\": \"half the effect, a lower "
        "price\", \"set\": {\"/outcomes/0/effect/prior\": 0.025, \"/contract/payments/0/price\": "
        "400}}, {\"name\": \"upside\", \"set\": {\"/contract/payments/0/price\": 600}}]"));
    cr_assert_eq(sc->n_cases, 2);
    const scenario_case *k = &sc->cases[0];
    cr_assert_str_eq(k->name, "downside");
    cr_assert_str_eq(k->description, "half the effect, a lower price");
    cr_assert_eq(k->n_set, 2);
    cr_assert_str_eq(k->set[0].pointer, "/outcomes/0/effect/prior");
    cr_assert_float_eq(k->set[0].value, 0.025, TOL);
    cr_assert_str_eq(k->set[1].pointer, "/contract/payments/0/price");
    cr_assert_float_eq(k->set[1].value, 400.0, TOL);
    cr_assert_str_eq(sc->cases[1].description, "", "no description is the empty string");
    cr_assert_eq(scenario_find_case(sc, "upside"), 1);
    cr_assert_eq(scenario_find_case(sc, "downside"), 0);
    cr_assert_eq(scenario_find_case(sc, "base"), SIZE_MAX);
    /* A case changes nothing until it is applied. */
    cr_assert_float_eq(sc->contract.rules[0].price, 500.0, TOL);
    cr_assert_float_eq(sc->outcomes[0].effect.a, 0.05, TOL);
    scenario_free(sc);
}

Test(loader, a_case_applies_though_another_sets_a_field_inside_what_it_replaces) {
    /* Regression: "no effect" makes the prior a number, "optimistic" sets
     * the prior's mean; each holds on the file, but applying the first
     * compiled the second again on top of it and failed ("cannot go inside
     * a value that is neither an object nor an array"), as did a sweep of
     * the prior. */
    char text[8192];
    snprintf(text, sizeof text, "%s",
             minimal_plus(", \"cases\": [{\"name\": \"no effect\", \"set\": "
                          "{\"/outcomes/0/effect/prior\": 0}}, {\"name\": \"optimistic\", "
                          "\"set\": {\"/outcomes/0/effect/prior/mean\": 0.15}}]"));
    char *at = strstr(text, "{\"prior\": 0.05}");
    cr_assert_not_null(at);
    const char normal[] = "{\"prior\": {\"dist\": \"normal\", \"mean\": 0.05, \"sd\": 0.02}}";
    char rest[8192];
    snprintf(rest, sizeof rest, "%s", at + strlen("{\"prior\": 0.05}"));
    snprintf(at, sizeof text - (size_t)(at - text), "%s%s", normal, rest);
    scenario *sc = must_load(text);
    cr_assert_eq(sc->n_cases, 2);
    scenario_free(sc);
    const scenario_override none = {"/outcomes/0/effect/prior", 0},
                            opt = {"/outcomes/0/effect/prior/mean", 0.15};
    sib_error err;
    char buf[1200];
    sc = scenario_load_string_with(text, "<test>", &none, 1, &err);
    cr_assert_not_null(sc, "%s", sib_error_format(&err, buf, sizeof buf));
    cr_assert_float_eq(sc->outcomes[0].effect.a, 0, TOL);
    cr_assert_eq(sc->n_cases, 2, "its cases are still read");
    scenario_free(sc);
    sc = scenario_load_string_with(text, "<test>", &opt, 1, &err);
    cr_assert_not_null(sc, "%s", sib_error_format(&err, buf, sizeof buf));
    cr_assert_float_eq(sc->outcomes[0].effect.a, 0.15, TOL);
    scenario_free(sc);
}

Test(loader, a_scenario_without_cases_has_none) {
    scenario *sc = must_load(minimal(""));
    cr_assert_eq(sc->n_cases, 0);
    cr_assert_eq(scenario_find_case(sc, "base"), SIZE_MAX);
    scenario_free(sc);
}

Test(loader, a_case_may_fix_a_prior_and_add_a_term_the_file_leaves_out) {
    /* As an override: a distribution becomes a number, and a missing last
     * member (here a trigger) is added. */
    scenario *sc = must_load(
        minimal_plus(", \"cases\": [{\"name\": \"as realised\", \"set\": "
                     "{\"/stages/0/volume\": 0.8, \"/contract/payments/0/trigger\": 0.1}}]"));
    cr_assert_eq(sc->cases[0].n_set, 2);
    cr_assert_not(sc->contract.rules[0].has_trigger);
    scenario_free(sc);
}

Test(loader, a_case_whose_value_is_out_of_range_is_refused_at_its_set_member) {
    sib_error err = load_bad("case-value-out-of-range.json");
    expect_invalid(&err, "/cases/1/set/~1contract~1payments~10~1price",
                   "tests/bad/case-value-out-of-range.json: "
                   "/cases/1/set/~1contract~1payments~10~1price: with case \"downside\", "
                   "/contract/payments/0/price: expected a number in [0, 1e+15], found -1000");
}

Test(loader, a_case_that_fixes_an_effect_beyond_its_bounds_is_refused) {
    expect_refused(minimal_plus(", \"cases\": [{\"name\": \"dream\", \"set\": "
                                "{\"/outcomes/0/effect/prior\": 5}}]"),
                   "/cases/0/set/~1outcomes~10~1effect~1prior",
                   "with case \"dream\", /outcomes/0/effect/prior: expected a number in "
                   "[-10, 1.5], found 5");
}

Test(loader, a_case_that_sets_a_prior_parameter_is_refused_at_that_member) {
    char text[8192];
    snprintf(text, sizeof text, "%s",
             minimal_plus(", \"cases\": [{\"name\": \"wild\", \"set\": "
                          "{\"/contract/payments/0/price\": 10, "
                          "\"/outcomes/0/effect/prior/sd\": -1}}]"));
    char *at = strstr(text, "\"prior\": 0.05");
    cr_assert_not_null(at);
    /* Make the effect a distribution: "prior": {"dist": "normal", ...}. */
    char fixed[16384];
    snprintf(fixed, sizeof fixed, "%.*s\"prior\": {\"dist\": \"normal\", \"mean\": 0.05, "
                                  "\"sd\": 0.02}%s",
             (int)(at - text), text, at + strlen("\"prior\": 0.05"));
    expect_refused(fixed, "/cases/0/set/~1outcomes~10~1effect~1prior~1sd",
                   "with case \"wild\", /outcomes/0/effect/prior/sd: expected a number in [0, "
                   "11.5], found -1");
}

Test(loader, a_case_with_a_term_the_scenario_does_not_have_is_refused) {
    expect_refused(minimal_plus(", \"cases\": [{\"name\": \"typo\", \"set\": "
                                "{\"/contract/payments/0/prise\": 3}}]"),
                   "/cases/0/set/~1contract~1payments~10~1prise",
                   "with case \"typo\", /contract/payments/0/prise: unknown field \"prise\"");
}

Test(loader, a_case_that_breaks_another_field_is_refused_at_its_set) {
    /* Shortening the stage leaves the cohort's entry outside it: with two
     * members set, neither is the field refused, so the error is at "set";
     * with one, it is that member. */
    expect_refused(minimal_with(", \"entry\": 2.5",
                                ", \"cases\": [{\"name\": \"short\", \"set\": "
                                "{\"/stages/0/duration\": 1, \"/contract/payments/0/price\": 9}}]"),
                   "/cases/0/set",
                   "with case \"short\", /stages/0/cohorts/0/entry: expected a number in [1, 2], "
                   "found 2.5");
    expect_refused(minimal_with(", \"entry\": 2.5",
                                ", \"cases\": [{\"name\": \"short\", \"set\": "
                                "{\"/stages/0/duration\": 1}}]"),
                   "/cases/0/set/~1stages~10~1duration",
                   "with case \"short\", /stages/0/cohorts/0/entry");
}

Test(loader, a_case_pointer_that_leads_nowhere_is_refused_at_its_set_member) {
    sib_error err = load_bad("case-pointer-to-nothing.json");
    expect_invalid(&err, "/cases/0/set/~1contract~1payments~19~1price",
                   "tests/bad/case-pointer-to-nothing.json: "
                   "/cases/0/set/~1contract~1payments~19~1price: expected the pointer of a "
                   "number or a prior in the scenario; at /contract/payments/9: expected an "
                   "index of the array (0 to 0), found \"9\"");
    /* A missing object on the way is added, as for an override: a name
     * there that the scenario has no field of is refused as unknown. */
    expect_refused(minimal_plus(", \"cases\": [{\"name\": \"x\", \"set\": "
                                "{\"/stages/0/cots/setup\": 1}}]"),
                   "/cases/0/set/~1stages~10~1cots~1setup", "unknown field \"cots\"");
}

Test(loader, a_case_pointer_to_something_other_than_a_number_or_a_prior_is_refused) {
    sib_error err = load_bad("case-pointer-to-a-name.json");
    expect_invalid(&err, "/cases/0/set/~1stages~10~1name",
                   "tests/bad/case-pointer-to-a-name.json: /cases/0/set/~1stages~10~1name: "
                   "expected the pointer of a number or a prior (a distribution object) in the "
                   "scenario, found the string \"pilot\" at /stages/0/name");
    expect_refused(minimal_plus(", \"cases\": [{\"name\": \"x\", \"set\": {\"/contract\": 1}}]"),
                   "/cases/0/set/~1contract", "found an object at /contract");
    expect_refused(minimal_plus(", \"cases\": [{\"name\": \"x\", \"set\": "
                                "{\"/contract/payments\": 1}}]"),
                   "/cases/0/set/~1contract~1payments",
                   "found an array of 1 element at /contract/payments");
}

Test(loader, a_case_cannot_set_cases_the_record_the_format_version_sources_or_assumptions) {
    sib_error err = load_bad("case-sets-realised.json");
    expect_invalid(&err, "/cases/0/set/~1realised~1stopped",
                   "tests/bad/case-sets-realised.json: /cases/0/set/~1realised~1stopped: "
                   "expected a pointer to a term of the scenario, outside /cases, /realised, "
                   "/sibsim, /sources and /assumptions, found \"/realised/stopped\"");
    const char *outside = "outside /cases, /realised, /sibsim, /sources and /assumptions";
    expect_refused(minimal_plus(", \"cases\": [{\"name\": \"x\", \"set\": {\"/sibsim\": 1}}]"),
                   "/cases/0/set/~1sibsim", outside);
    expect_refused(minimal_plus(", \"cases\": [{\"name\": \"x\", \"set\": "
                                "{\"/cases/0/set/~1sibsim\": 1}}]"),
                   "/cases/0/set/~1cases~10~1set~1~01sibsim", outside);
    /* An assumption's source is a number, but not a term of the deal. */
    expect_refused(minimal_plus(", \"cases\": [{\"name\": \"x\", \"set\": "
                                "{\"/assumptions/0/source\": 1}}], \"sources\": [{\"title\": "
                                "\"a\"}, {\"title\": \"b\"}], \"assumptions\": [{\"pointer\": "
                                "\"/name\", \"note\": \"n\", \"source\": 0}]"),
                   "/cases/0/set/~1assumptions~10~1source", outside);
    expect_refused(minimal_plus(", \"cases\": [{\"name\": \"x\", \"set\": "
                                "{\"/sources/0\": 1}}], \"sources\": [{\"title\": \"a\"}]"),
                   "/cases/0/set/~1sources~10", outside);
}

Test(loader, a_case_sets_numbers_at_json_pointers) {
    expect_refused(minimal_plus(", \"cases\": [{\"name\": \"x\", \"set\": "
                                "{\"contract/payments/0/price\": 1}}]"),
                   "/cases/0/set/contract~1payments~10~1price",
                   "expected a JSON Pointer starting with '/'");
    expect_refused(minimal_plus(", \"cases\": [{\"name\": \"x\", \"set\": "
                                "{\"/contract/payments/0/price\": \"600\"}}]"),
                   "/cases/0/set/~1contract~1payments~10~1price",
                   "expected a number, found the string \"600\"");
}

Test(loader, a_case_has_a_unique_name_and_sets_something) {
    sib_error err = load_bad("duplicate-case-name.json");
    expect_invalid(&err, "/cases/1/name",
                   "tests/bad/duplicate-case-name.json: /cases/1/name: duplicate case name "
                   "\"downside\" (also /cases/0)");
    expect_refused(minimal_plus(", \"cases\": [{\"set\": {\"/contract/payments/0/price\": 1}}]"),
                   "/cases/0/name", "required field is missing");
    expect_refused(minimal_plus(", \"cases\": [{\"name\": \"\", \"set\": {}}]"), "/cases/0/name",
                   "expected a non-empty string");
    expect_refused(minimal_plus(", \"cases\": [{\"name\": \"x\"}]"), "/cases/0/set",
                   "required field is missing");
    expect_refused(minimal_plus(", \"cases\": [{\"name\": \"x\", \"set\": {}}]"), "/cases/0/set",
                   "expected at least one field to set");
    expect_refused(minimal_plus(", \"cases\": [{\"name\": \"x\", \"set\": {}, \"when\": 1}]"),
                   "/cases/0/when", "unknown field \"when\" (expected one of: name, "
                                    "description, set)");
    expect_refused(minimal_plus(", \"cases\": []"), "/cases", "expected a non-empty array");
}

/* ------------------------------------------------------- realised record */

/* Three stages (cohort "A" in two of them) and three outcomes, one for
 * each way of measuring: a historical baseline (a count, lower is better),
 * a matched comparison group sized by a ratio (a rate on an absolute
 * scale) and validated counts (a rate). The %s takes top-level members. */
static const char record_fmt[] =
    "{\"name\": \"record\", \"currency\": \"USD\","
    " \"stages\": [{\"name\": \"pilot\", \"duration\": 1, \"cohorts\": [{\"name\": \"A\", "
    "\"size\": 100}]},"
    "  {\"name\": \"scale\", \"start\": 1, \"duration\": 2, \"cohorts\": [{\"name\": \"A\", "
    "\"size\": 300}, {\"name\": \"B\", \"size\": 300, \"entry\": 2}]},"
    "  {\"name\": \"final\", \"start\": 3, \"duration\": 1, \"cohorts\": [{\"name\": \"C\", "
    "\"size\": 100}]}],"
    " \"outcomes\": [{\"name\": \"bed_days\", \"kind\": \"count\", \"direction\": "
    "\"lower_is_better\", \"baseline\": 60, \"effect\": {\"prior\": 0.08}, \"evaluation\": "
    "{\"design\": \"historical\"}},"
    "  {\"name\": \"employed\", \"kind\": \"rate\", \"direction\": \"higher_is_better\", "
    "\"baseline\": 0.3, \"effect\": {\"scale\": \"absolute\", \"prior\": 0.05}, \"evaluation\": "
    "{\"design\": \"matched\", \"comparison_ratio\": 2}},"
    "  {\"name\": \"enrolled\", \"kind\": \"rate\", \"direction\": \"higher_is_better\", "
    "\"baseline\": 0.5, \"effect\": {\"prior\": 0.1}, \"evaluation\": {\"design\": "
    "\"validated_count\"}}],"
    " \"contract\": {\"payments\": [{\"outcome\": \"bed_days\", \"type\": \"per_unit\", "
    "\"price\": 10}]}%s}";

/* The record scenario with "realised": REALISED. */
static const char *with_record(const char *realised_json) {
    static char buf[8192];
    char extra[4096];
    snprintf(extra, sizeof extra, ", \"realised\": %s", realised_json);
    snprintf(buf, sizeof buf, record_fmt, extra);
    return buf;
}

Test(loader, a_scenario_without_a_record_has_none) {
    scenario *sc = must_load(minimal(""));
    cr_assert_not(sc->realised.present);
    cr_assert_eq(sc->realised.n_results, 0);
    cr_assert(isinf(sc->realised.stopped));
    scenario_free(sc);
}

Test(loader, a_measured_treated_and_comparison_group_are_read_as_totals) {
    scenario *sc = must_load(minimal_plus(
        ", \"realised\": {\"results\": [{\"cohort\": \"cohort 1\", \"note\": \"report, table 3\","
        " \"treated\": {\"size\": 98, \"mean\": 0.46}, \"comparison\": {\"size\": 100, "
        "\"total\": 41}}]}"));
    const realised *r = &sc->realised;
    cr_assert(r->present);
    cr_assert_str_eq(r->description, "");
    cr_assert_eq(r->n_sources, 0);
    cr_assert(isinf(r->stopped) && r->stopped > 0, "a programme that did not stop ran to its end");
    cr_assert_eq(r->n_results, 1);
    cr_assert_eq(r->results[0].cohort, 0);
    cr_assert_eq(r->results[0].outcome, 0, "the only outcome need not be named");
    cr_assert_float_eq(r->results[0].n_t, 98.0, TOL);
    cr_assert_float_eq(r->results[0].sum_t, 98 * 0.46, 1e-9, "total = mean x size");
    cr_assert_float_eq(r->results[0].n_c, 100.0, TOL);
    cr_assert_float_eq(r->results[0].sum_c, 41.0, TOL);
    cr_assert(r->stage_ran[0]);
    cr_assert_eq(r->n_reported, 0);
    scenario_free(sc);
}

Test(loader, a_measured_effect_in_a_randomised_trial_becomes_the_groups_it_implies) {
    /* Rate 0.4, relative effect 10%, higher is better: the treated mean is
     * 0.44; the comparison is the evaluation's 100 people at the baseline. */
    scenario *sc = must_load(minimal_plus(", \"realised\": {\"results\": [{\"cohort\": \"cohort "
                                          "1\", \"effect\": 0.1, \"size\": 90}]}"));
    const realised_result *r = &sc->realised.results[0];
    cr_assert_float_eq(r->n_t, 90.0, TOL);
    cr_assert_float_eq(r->sum_t, 90 * 0.44, 1e-9);
    cr_assert_float_eq(r->n_c, 100.0, TOL);
    cr_assert_float_eq(r->sum_c, 40.0, 1e-9);
    scenario_free(sc);
}

Test(loader, a_measured_effect_against_a_matched_group_sized_by_ratio) {
    /* Absolute effect 0.05 on a rate of 0.3: treated mean 0.35; comparison
     * round(2 x 250) = 500 people at 0.3. Cohort B is flat cohort 2. */
    scenario *sc = must_load(with_record(
        "{\"results\": [{\"cohort\": \"B\", \"outcome\": \"employed\", \"effect\": 0.05, "
        "\"size\": 250}]}"));
    const realised_result *r = &sc->realised.results[0];
    cr_assert_eq(r->cohort, 2);
    cr_assert_eq(r->outcome, 1);
    cr_assert_float_eq(r->sum_t, 250 * 0.35, 1e-9);
    cr_assert_float_eq(r->n_c, 500.0, TOL);
    cr_assert_float_eq(r->sum_c, 150.0, 1e-9);
    scenario_free(sc);
}

Test(loader, a_historical_design_compares_with_the_fixed_baseline) {
    scenario *sc = must_load(with_record(
        "{\"results\": ["
        " {\"cohort\": \"B\", \"outcome\": \"bed_days\", \"effect\": 0.1, \"size\": 280},"
        " {\"stage\": \"pilot\", \"cohort\": \"A\", \"outcome\": \"bed_days\","
        "  \"treated\": {\"size\": 100, \"total\": 5900}},"
        " {\"stage\": \"scale\", \"cohort\": \"A\", \"outcome\": \"bed_days\","
        "  \"treated\": {\"size\": 290, \"mean\": 58}, \"comparison\": {\"size\": 500, "
        "\"mean\": 61}}]}"));
    const realised_result *r = sc->realised.results;
    cr_assert_eq(sc->realised.n_results, 3);
    /* A 10% fall of 60 bed days is 54 a person, against the baseline. */
    cr_assert_float_eq(r[0].sum_t, 280 * 54.0, 1e-9);
    cr_assert_float_eq(r[0].n_c, 1.0, TOL);
    cr_assert_float_eq(r[0].sum_c, 60.0, TOL);
    cr_assert_eq(r[1].cohort, 0);
    cr_assert_float_eq(r[1].sum_t, 5900.0, TOL);
    cr_assert_float_eq(r[1].n_c, 1.0, TOL, "no comparison given: the fixed baseline");
    cr_assert_float_eq(r[1].sum_c, 60.0, TOL);
    cr_assert_eq(r[2].cohort, 1);
    cr_assert_float_eq(r[2].n_c, 500.0, TOL, "a comparison given is used as measured");
    cr_assert_float_eq(r[2].sum_c, 500 * 61.0, 1e-9);
    scenario_free(sc);
}

Test(loader, a_validated_count_has_no_comparison_group) {
    scenario *sc = must_load(with_record(
        "{\"results\": [{\"cohort\": \"C\", \"outcome\": \"enrolled\", \"treated\": "
        "{\"size\": 100, \"total\": 62}}]}"));
    const realised_result *r = &sc->realised.results[0];
    cr_assert_eq(r->cohort, 3);
    cr_assert_eq(r->outcome, 2);
    cr_assert_float_eq(r->sum_t, 62.0, TOL);
    cr_assert_float_eq(r->n_c, 0.0, TOL);
    cr_assert_float_eq(r->sum_c, 0.0, TOL);
    scenario_free(sc);
}

Test(loader, the_stages_that_ran_default_to_those_up_to_the_last_result) {
    scenario *sc = must_load(with_record(
        "{\"results\": [{\"cohort\": \"B\", \"outcome\": \"bed_days\", \"effect\": 0, "
        "\"size\": 1}]}"));
    cr_assert(sc->realised.stage_ran[0], "stages run in order: the pilot ran before the scale");
    cr_assert(sc->realised.stage_ran[1]);
    cr_assert_not(sc->realised.stage_ran[2]);
    scenario_free(sc);
    sc = must_load(with_record("{\"results\": []}"));
    cr_assert(sc->realised.present);
    cr_assert_eq(sc->realised.n_results, 0);
    for (size_t s = 0; s < 3; s++) cr_assert_not(sc->realised.stage_ran[s]);
    scenario_free(sc);
}

Test(loader, a_record_lists_its_sources_the_stages_that_ran_and_when_it_stopped) {
    scenario *sc = must_load(with_record(
        "{\"description\": \"ended after the scale-up\", \"sources\": [\"report 2015\", "
        "\"news 2015-08-07\"], \"stages\": [\"pilot\", \"scale\"], \"stopped\": 2.5, "
        "\"results\": []}"));
    const realised *r = &sc->realised;
    cr_assert_str_eq(r->description, "ended after the scale-up");
    cr_assert_eq(r->n_sources, 2);
    cr_assert_str_eq(r->sources[1], "news 2015-08-07");
    cr_assert(r->stage_ran[0] && r->stage_ran[1] && !r->stage_ran[2]);
    cr_assert_float_eq(r->stopped, 2.5, TOL);
    scenario_free(sc);
}

Test(loader, reported_figures_are_read_with_their_ranges) {
    char long_what[400];
    memset(long_what, 'w', sizeof long_what - 1);
    long_what[sizeof long_what - 1] = '\0';
    char rec[2048];
    snprintf(rec, sizeof rec,
             "{\"results\": [], \"reported\": ["
             " {\"what\": \"investor multiple\", \"metric\": \"SIB/senior.moic\", \"value\": 0.83,"
             "  \"tolerance\": 0.005, \"source\": \"news\"},"
             " {\"what\": \"%s\", \"flow\": \"commissioner/paid\", \"by\": 3, \"value\": 0,"
             "  \"range\": [0, 1000]}]}",
             long_what);
    scenario *sc = must_load(with_record(rec));
    const realised_figure *f = sc->realised.reported;
    cr_assert_eq(sc->realised.n_reported, 2);
    cr_assert_str_eq(f[0].what, "investor multiple");
    cr_assert_str_eq(f[0].name, "SIB/senior.moic");
    cr_assert_not(f[0].is_flow);
    cr_assert_not(f[0].has_by);
    cr_assert_float_eq(f[0].value, 0.83, TOL);
    cr_assert_float_eq(f[0].lo, 0.825, 1e-12);
    cr_assert_float_eq(f[0].hi, 0.835, 1e-12);
    cr_assert_str_eq(f[0].source, "news");
    cr_assert_eq(strlen(f[1].what), sizeof f[1].what - 1, "a long label is cut, not refused");
    cr_assert(f[1].is_flow);
    cr_assert(f[1].has_by);
    cr_assert_float_eq(f[1].by, 3.0, TOL);
    cr_assert_float_eq(f[1].lo, 0.0, TOL);
    cr_assert_float_eq(f[1].hi, 1000.0, TOL);
    cr_assert_str_eq(f[1].source, "");
    scenario_free(sc);
}

/* Refusals: each at its own field. */

Test(loader, a_result_for_a_stage_that_did_not_run_is_refused) {
    sib_error err = load_bad("realised-result-for-stage-not-run.json");
    expect_invalid(&err, "/realised/results/1/cohort",
                   "tests/bad/realised-result-for-stage-not-run.json: "
                   "/realised/results/1/cohort: cohort \"cohort 1\" is of stage \"scale\", "
                   "which did not run (it is not in /realised/stages)");
}

Test(loader, a_stage_cannot_run_without_the_stages_before_it) {
    sib_error err = load_bad("realised-stage-out-of-order.json");
    expect_invalid(&err, "/realised/stages/0",
                   "tests/bad/realised-stage-out-of-order.json: /realised/stages/0: stage "
                   "\"scale\" cannot have run without the earlier stage \"pilot\" (stages run "
                   "in order): list it too");
    expect_refused(with_record("{\"stages\": [\"pilot\", \"scale-up\"], \"results\": []}"),
                   "/realised/stages/1",
                   "expected the name of a stage (\"pilot\", \"scale\", \"final\"), found "
                   "\"scale-up\"");
    expect_refused(with_record("{\"stages\": [\"pilot\", \"pilot\"], \"results\": []}"),
                   "/realised/stages/1", "stage \"pilot\" is listed twice");
}

Test(loader, a_cohort_name_in_two_stages_needs_its_stage) {
    sib_error err = load_bad("realised-ambiguous-cohort.json");
    expect_invalid(&err, "/realised/results/0/stage",
                   "tests/bad/realised-ambiguous-cohort.json: /realised/results/0/stage: "
                   "required field is missing: cohort \"cohort 1\" is in stages \"pilot\", "
                   "\"scale\"; name the stage");
}

Test(loader, a_result_names_a_cohort_and_an_outcome_of_the_scenario) {
    expect_refused(with_record("{\"results\": [{\"cohort\": \"D\", \"outcome\": \"bed_days\", "
                               "\"effect\": 0, \"size\": 1}]}"),
                   "/realised/results/0/cohort",
                   "expected the name of a cohort (\"A\" of \"pilot\", \"A\" of \"scale\", \"B\" "
                   "of \"scale\", \"C\" of \"final\"), found \"D\"");
    expect_refused(with_record("{\"results\": [{\"stage\": \"pilot\", \"cohort\": \"B\", "
                               "\"outcome\": \"bed_days\", \"effect\": 0, \"size\": 1}]}"),
                   "/realised/results/0/cohort",
                   "expected the name of a cohort of stage \"pilot\" (\"A\"), found \"B\"");
    expect_refused(with_record("{\"results\": [{\"stage\": \"pilots\", \"cohort\": \"A\", "
                               "\"outcome\": \"bed_days\", \"effect\": 0, \"size\": 1}]}"),
                   "/realised/results/0/stage", "expected the name of a stage");
    expect_refused(with_record("{\"results\": [{\"cohort\": \"B\", \"effect\": 0, "
                               "\"size\": 1}]}"),
                   "/realised/results/0/outcome",
                   "required field is missing: the scenario has several outcomes "
                   "(\"bed_days\", \"employed\", \"enrolled\")");
    expect_refused(with_record("{\"results\": [{\"cohort\": \"B\", \"outcome\": \"jobs\", "
                               "\"effect\": 0, \"size\": 1}]}"),
                   "/realised/results/0/outcome", "expected the name of an outcome");
}

Test(loader, a_cohort_measured_twice_on_one_outcome_is_refused) {
    sib_error err = load_bad("realised-duplicate-result.json");
    expect_invalid(&err, "/realised/results/1",
                   "tests/bad/realised-duplicate-result.json: /realised/results/1: cohort "
                   "\"cohort 1\" of stage \"pilot\" on outcome \"reconvictions\" is already "
                   "given by /realised/results/0");
}

Test(loader, a_comparison_group_design_needs_the_comparison_measured) {
    sib_error err = load_bad("realised-comparison-missing.json");
    expect_invalid(&err, "/realised/results/0/comparison",
                   "tests/bad/realised-comparison-missing.json: "
                   "/realised/results/0/comparison: required field is missing (outcome "
                   "\"reconvictions\" is measured against a randomised comparison group)");
}

Test(loader, validated_counts_take_the_treated_group_only) {
    sib_error err = load_bad("realised-effect-on-validated-count.json");
    expect_invalid(&err, "/realised/results/0/effect",
                   "tests/bad/realised-effect-on-validated-count.json: "
                   "/realised/results/0/effect: outcome \"enrolled\" is evaluated by validated "
                   "counts, with no comparison group: give \"treated\" (the size and the total "
                   "or mean of the outcome counted)");
    expect_refused(with_record("{\"results\": [{\"cohort\": \"C\", \"outcome\": \"enrolled\", "
                               "\"treated\": {\"size\": 100, \"total\": 62}, \"comparison\": "
                               "{\"size\": 100, \"total\": 50}}]}"),
                   "/realised/results/0/comparison", "give \"treated\"");
}

Test(loader, a_result_gives_the_groups_or_the_effect_not_both) {
    expect_refused(with_record("{\"results\": [{\"cohort\": \"B\", \"outcome\": \"bed_days\"}]}"),
                   "/realised/results/0",
                   "expected \"treated\" (the groups as measured) or \"effect\" (the measured "
                   "effect, with \"size\"), found neither");
    expect_refused(with_record("{\"results\": [{\"cohort\": \"B\", \"outcome\": \"bed_days\", "
                               "\"treated\": {\"size\": 1, \"mean\": 1}, \"effect\": 0.1, "
                               "\"size\": 1}]}"),
                   "/realised/results/0", "found both");
    expect_refused(with_record("{\"results\": [{\"cohort\": \"B\", \"outcome\": \"bed_days\", "
                               "\"treated\": {\"size\": 1, \"mean\": 1}, \"size\": 1}]}"),
                   "/realised/results/0/size", "\"size\" goes with \"effect\"");
    expect_refused(with_record("{\"results\": [{\"cohort\": \"B\", \"outcome\": \"bed_days\", "
                               "\"effect\": 0.1, \"size\": 1, \"comparison\": {\"size\": 1, "
                               "\"mean\": 1}}]}"),
                   "/realised/results/0/comparison", "\"comparison\" goes with \"treated\"");
    expect_refused(with_record("{\"results\": [{\"cohort\": \"B\", \"outcome\": \"bed_days\", "
                               "\"effect\": 0.1}]}"),
                   "/realised/results/0/size", "required field is missing");
    expect_refused(with_record("{\"results\": [{\"cohort\": \"B\", \"outcome\": \"bed_days\", "
                               "\"effect\": 0.1, \"size\": 1, \"colour\": 1}]}"),
                   "/realised/results/0/colour", "unknown field \"colour\"");
}

Test(loader, measured_groups_are_checked_against_their_outcome) {
    expect_refused(with_record("{\"results\": [{\"cohort\": \"C\", \"outcome\": \"enrolled\", "
                               "\"treated\": {\"size\": 100, \"mean\": 1.2}}]}"),
                   "/realised/results/0/treated/mean", "expected a number in [0, 1], found 1.2");
    expect_refused(with_record("{\"results\": [{\"cohort\": \"C\", \"outcome\": \"enrolled\", "
                               "\"treated\": {\"size\": 100, \"total\": 120}}]}"),
                   "/realised/results/0/treated/total",
                   "expected a number in [0, 100], found 120");
    expect_refused(with_record("{\"results\": [{\"cohort\": \"C\", \"outcome\": \"bed_days\", "
                               "\"treated\": {\"size\": 100, \"mean\": -1}}]}"),
                   "/realised/results/0/treated/mean", "expected a number in [0, 1e+09], found -1");
    expect_refused(with_record("{\"results\": [{\"cohort\": \"C\", \"outcome\": \"bed_days\", "
                               "\"treated\": {\"size\": 0, \"total\": 1}}]}"),
                   "/realised/results/0/treated/size", "expected a number in (0, 1e+09], found 0");
    expect_refused(with_record("{\"results\": [{\"cohort\": \"C\", \"outcome\": \"bed_days\", "
                               "\"treated\": {\"size\": 10, \"total\": 1, \"mean\": 0.1}}]}"),
                   "/realised/results/0/treated",
                   "expected exactly one of \"mean\" (per person) or \"total\" (over the "
                   "group), found both");
    expect_refused(with_record("{\"results\": [{\"cohort\": \"B\", \"outcome\": \"employed\", "
                               "\"treated\": {\"size\": 10, \"mean\": 0.5}, \"comparison\": "
                               "{\"size\": 10}}]}"),
                   "/realised/results/0/comparison", "found neither");
}

Test(loader, a_record_needs_its_results_and_says_when_it_stopped_in_years) {
    expect_refused(with_record("{}"), "/realised/results", "required field is missing");
    expect_refused(with_record("{\"results\": {}}"), "/realised/results",
                   "expected an array of results (it may be empty), found an object");
    expect_refused(with_record("{\"results\": [], \"stopped\": -1}"), "/realised/stopped",
                   "expected a number in [0, 500], found -1");
    expect_refused(with_record("{\"results\": [], \"sources\": [\"\"]}"), "/realised/sources/0",
                   "expected a non-empty string");
    expect_refused(with_record("{\"results\": [], \"notes\": \"x\"}"), "/realised/notes",
                   "unknown field \"notes\" (expected one of: description, sources, stages, "
                   "stopped, results, reported)");
    expect_refused(with_record("[]"), "/realised", "expected an object, found an array");
}

Test(loader, a_reported_figure_needs_a_tolerance_or_a_range) {
    sib_error err = load_bad("realised-figure-without-tolerance.json");
    expect_invalid(&err, "/realised/reported/0",
                   "tests/bad/realised-figure-without-tolerance.json: /realised/reported/0: a "
                   "reported figure is rounded: give \"tolerance\" (value +- tolerance) or "
                   "\"range\" ([lo, hi])");
    expect_refused(with_record("{\"results\": [], \"reported\": [{\"what\": \"x\", \"metric\": "
                               "\"a/b\", \"value\": 1, \"tolerance\": 0.1, \"range\": [0, 2]}]}"),
                   "/realised/reported/0",
                   "expected one of \"tolerance\" or \"range\", found both");
    expect_refused(with_record("{\"results\": [], \"reported\": [{\"what\": \"x\", \"metric\": "
                               "\"a/b\", \"value\": 1, \"range\": [2, 1]}]}"),
                   "/realised/reported/0/range", "expected lo <= hi, found [2, 1]");
    expect_refused(with_record("{\"results\": [], \"reported\": [{\"what\": \"x\", \"metric\": "
                               "\"a/b\", \"value\": 1, \"tolerance\": -0.1}]}"),
                   "/realised/reported/0/tolerance",
                   "expected a number in [0, 1e+15], found -0.1");
}

Test(loader, a_reported_figure_names_one_metric_or_ledger_line) {
    expect_refused(with_record("{\"results\": [], \"reported\": [{\"what\": \"x\", \"value\": 1, "
                               "\"tolerance\": 0}]}"),
                   "/realised/reported/0", "expected exactly one of \"metric\"");
    expect_refused(with_record("{\"results\": [], \"reported\": [{\"what\": \"x\", \"metric\": "
                               "\"a/b\", \"flow\": \"a/b\", \"value\": 1, \"tolerance\": 0}]}"),
                   "/realised/reported/0", "found both");
    expect_refused(with_record("{\"results\": [], \"reported\": [{\"what\": \"x\", \"metric\": "
                               "\"irr\", \"value\": 1, \"tolerance\": 0}]}"),
                   "/realised/reported/0/metric",
                   "expected \"GROUP/KEY\" (a group and a key joined by '/'), found the string "
                   "\"irr\"");
    expect_refused(with_record("{\"results\": [], \"reported\": [{\"what\": \"x\", \"metric\": "
                               "\"a/b\", \"by\": 3, \"value\": 1, \"tolerance\": 0}]}"),
                   "/realised/reported/0/by", "\"by\" goes only with \"flow\"");
    expect_refused(with_record("{\"results\": [], \"reported\": [{\"metric\": \"a/b\", "
                               "\"value\": 1, \"tolerance\": 0}]}"),
                   "/realised/reported/0/what", "required field is missing");
    expect_refused(with_record("{\"results\": [], \"reported\": [{\"what\": \"x\", \"metric\": "
                               "\"a/b\", \"tolerance\": 0}]}"),
                   "/realised/reported/0/value", "required field is missing");
    char name[300], rec[1024]; /* "g/kkk...": 299 characters */
    memset(name, 'k', sizeof name - 1);
    name[0] = 'g';
    name[1] = '/';
    name[sizeof name - 1] = '\0';
    snprintf(rec, sizeof rec,
             "{\"results\": [], \"reported\": [{\"what\": \"x\", \"flow\": \"%s\", \"value\": 1, "
             "\"tolerance\": 0}]}",
             name);
    expect_refused(with_record(rec), "/realised/reported/0/flow",
                   "expected a GROUP/KEY of at most 255 characters");
}

/* ------------------------------------------------- a record from a file */

/* Write text to a new file in a fresh temporary directory; returns its
 * path (a static buffer). */
static const char *temp_file(const char *name, const char *text) {
    static char path[512];
    char dir[] = "/tmp/sibsim-test-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void remove_temp_file(const char *path) {
    char dir[512];
    snprintf(dir, sizeof dir, "%s", path);
    remove(path);
    *strrchr(dir, '/') = '\0';
    rmdir(dir);
}

Test(loader, a_record_file_replaces_the_scenarios_record) {
    scenario *sc = must_load(with_record(
        "{\"description\": \"from the scenario\", \"results\": [{\"cohort\": \"B\", \"outcome\": "
        "\"bed_days\", \"effect\": 0.1, \"size\": 280}]}"));
    const char *path = temp_file("record.json",
                                 "{\n"
                                 "  \"description\": \"from the file\",\n"
                                 "  \"stages\": [\"pilot\"],\n"
                                 "  \"stopped\": 1.5,\n"
                                 "  \"results\": [\n"
                                 "    {\"stage\": \"pilot\", \"cohort\": \"A\", \"outcome\": "
                                 "\"enrolled\",\n"
                                 "     \"treated\": {\"size\": 90, \"mean\": 0.5}}\n"
                                 "  ]\n"
                                 "}\n");
    sib_error err;
    int rc = scenario_load_realised_file(sc, path, &err);
    char buf[1200];
    cr_assert_eq(rc, SIB_OK, "%s", sib_error_format(&err, buf, sizeof buf));
    const realised *r = &sc->realised;
    cr_assert(r->present);
    cr_assert_str_eq(r->description, "from the file");
    cr_assert_float_eq(r->stopped, 1.5, TOL);
    cr_assert(r->stage_ran[0] && !r->stage_ran[1] && !r->stage_ran[2]);
    cr_assert_eq(r->n_results, 1);
    cr_assert_eq(r->results[0].cohort, 0);
    cr_assert_eq(r->results[0].outcome, 2);
    cr_assert_float_eq(r->results[0].sum_t, 45.0, TOL);
    remove_temp_file(path);
    scenario_free(sc);
}

Test(loader, errors_in_a_record_file_point_into_the_file_and_leave_the_record_alone) {
    scenario *sc = must_load(with_record("{\"description\": \"kept\", \"results\": []}"));
    const char *path = temp_file("bad-record.json",
                                 "{\"results\": [{\"cohort\": \"B\", \"outcome\": \"bed_days\", "
                                 "\"treated\": {\"size\": 0, \"total\": 1}}]}");
    sib_error err;
    cr_assert_eq(scenario_load_realised_file(sc, path, &err), SIB_EINVAL);
    cr_assert_str_eq(err.file, path);
    cr_assert_str_eq(err.pointer, "/results/0/treated/size");
    cr_assert_str_eq(err.message, "expected a number in (0, 1e+09], found 0");
    cr_assert_str_eq(sc->realised.description, "kept");
    remove_temp_file(path);

    path = temp_file("out-of-order.json", "{\"stages\": [\"scale\"], \"results\": []}");
    cr_assert_eq(scenario_load_realised_file(sc, path, &err), SIB_EINVAL);
    cr_assert_str_eq(err.pointer, "/stages/0");
    remove_temp_file(path);

    path = temp_file("not-run.json",
                     "{\"stages\": [\"pilot\"], \"results\": [{\"cohort\": \"B\", "
                     "\"outcome\": \"bed_days\", \"effect\": 0.1, \"size\": 1}]}");
    cr_assert_eq(scenario_load_realised_file(sc, path, &err), SIB_EINVAL);
    cr_assert_str_eq(err.pointer, "/results/0/cohort");
    cr_assert_str_eq(err.message, "cohort \"B\" is of stage \"scale\", which did not run (it is "
                                  "not in /stages)");
    remove_temp_file(path);
    cr_assert_str_eq(sc->realised.description, "kept");
    scenario_free(sc);
}

/* The record's scenario: "pilot" runs [0, 1) (cohort A enters at 0),
 * "scale" starts at 1 (its A at 1, B at 2), "final" at 3 (C at 3). The
 * engine runs no stage that starts at or after the record's stop, and
 * enrols nobody at or after it: a record saying otherwise contradicts
 * itself, and is refused where it says so. */
Test(loader, a_stage_or_cohort_that_starts_at_or_after_the_stop_cannot_have_run) {
    expect_refused(with_record("{\"stages\": [\"pilot\", \"scale\", \"final\"], \"stopped\": 3, "
                               "\"results\": []}"),
                   "/realised/stages/2",
                   "expected a stage that started before the programme stopped at 3 years "
                   "(/realised/stopped), found \"final\", which starts at 3 years: it cannot "
                   "have run");
    expect_refused(with_record("{\"stages\": [\"pilot\", \"scale\"], \"stopped\": 0.5, "
                               "\"results\": []}"),
                   "/realised/stages/1", "found \"scale\", which starts at 1 years");
    /* Without a list, the stage of a result ran: its cohort is refused. */
    expect_refused(with_record("{\"stopped\": 2.5, \"results\": [{\"cohort\": \"C\", "
                               "\"outcome\": \"bed_days\", \"effect\": 0, \"size\": 10}]}"),
                   "/realised/results/0/cohort",
                   "expected a cohort that entered before the programme stopped at 2.5 years "
                   "(/realised/stopped), found \"C\" of stage \"final\", which starts at 3 years: "
                   "it cannot have run, nor been measured");
    /* A cohort of a stage that started, entering at or after the stop. */
    expect_refused(with_record("{\"stages\": [\"pilot\", \"scale\"], \"stopped\": 2, "
                               "\"results\": [{\"cohort\": \"B\", \"outcome\": \"bed_days\", "
                               "\"effect\": 0, \"size\": 10}]}"),
                   "/realised/results/0/cohort",
                   "expected a cohort that entered before the programme stopped at 2 years "
                   "(/realised/stopped), found \"B\" of stage \"scale\", which enters at 2 years: "
                   "nobody was enrolled in it to be measured");
    /* Just before: the stage and the cohort ran. */
    scenario *sc = must_load(with_record(
        "{\"stages\": [\"pilot\", \"scale\", \"final\"], \"stopped\": 3.01, \"results\": "
        "[{\"cohort\": \"B\", \"outcome\": \"bed_days\", \"effect\": 0, \"size\": 10}]}"));
    cr_assert(sc->realised.stage_ran[2]);
    scenario_free(sc);
    sc = must_load(with_record("{\"stopped\": 2.01, \"results\": [{\"cohort\": \"B\", "
                               "\"outcome\": \"bed_days\", \"effect\": 0, \"size\": 10}]}"));
    cr_assert(sc->realised.stage_ran[1] && !sc->realised.stage_ran[2]);
    scenario_free(sc);
    /* In a file of its own, the pointers are the file's. */
    sc = must_load(with_record("{\"results\": []}"));
    const char *path = temp_file("stopped.json", "{\"stages\": [\"pilot\", \"scale\", "
                                                 "\"final\"], \"stopped\": 2, \"results\": []}");
    sib_error err;
    cr_assert_eq(scenario_load_realised_file(sc, path, &err), SIB_EINVAL);
    cr_assert_str_eq(err.pointer, "/stages/2");
    cr_assert_str_eq(err.message, "expected a stage that started before the programme stopped "
                                  "at 2 years (/stopped), found \"final\", which starts at 3 "
                                  "years: it cannot have run");
    remove_temp_file(path);
    scenario_free(sc);
}

Test(loader, a_record_file_that_is_not_json_is_a_syntax_error_at_its_line_and_column) {
    scenario *sc = must_load(minimal(""));
    const char *path = temp_file("syntax.json", "{\n  \"results\": [,]\n}\n");
    sib_error err;
    cr_assert_eq(scenario_load_realised_file(sc, path, &err), SIB_ESYNTAX);
    char buf[1200], expected[1200];
    snprintf(expected, sizeof expected,
             "%s:2:15: syntax error: expected a value (an object, array, string, number, true, "
             "false or null), found ','",
             path);
    cr_assert_str_eq(sib_error_format(&err, buf, sizeof buf), expected);
    cr_assert_not(sc->realised.present);
    remove_temp_file(path);

    path = temp_file("array.json", "[]");
    cr_assert_eq(scenario_load_realised_file(sc, path, &err), SIB_EINVAL);
    cr_assert_str_eq(err.message,
                     "expected the realised record to be a JSON object, found an array of 0 "
                     "elements");
    remove_temp_file(path);
    cr_assert_eq(scenario_load_realised_file(sc, "/nonexistent/record.json", &err), SIB_EIO);
    cr_assert_eq(scenario_load_realised_file(sc, "/nonexistent/record.json", NULL), SIB_EIO);
    scenario_free(sc);
}

/* A reported figure's label, its GROUP/KEY, its source and the record's
 * sources are printed in backtest's tables: no control character (a line
 * feed would split a row, an escape reach the terminal). */
Test(loader, a_reported_figures_text_holds_no_control_character) {
    expect_refused(with_record("{\"results\": [], \"reported\": [{\"what\": \"a\\nb\", \"metric\": "
                               "\"a/b\", \"value\": 1, \"tolerance\": 0}]}"),
                   "/realised/reported/0/what",
                   "found U+000A (a line feed) at character 2");
    expect_refused(with_record("{\"results\": [], \"reported\": [{\"what\": \"x\", \"metric\": "
                               "\"a/\\u001b[2J\", \"value\": 1, \"tolerance\": 0}]}"),
                   "/realised/reported/0/metric", "found U+001B (an escape) at character 3");
    expect_refused(with_record("{\"results\": [], \"reported\": [{\"what\": \"x\", \"metric\": "
                               "\"a/b\", \"value\": 1, \"tolerance\": 0, \"source\": \"p.\\t4\"}]}"),
                   "/realised/reported/0/source", "found U+0009 (a tab) at character 3");
    expect_refused(with_record("{\"results\": [], \"sources\": [\"ok\", \"x\\u0085\"]}"),
                   "/realised/sources/1", "found U+0085 at character 2");
}

/* Whether s is well-formed UTF-8 (no cut character). */
static int utf8_whole(const char *s) {
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        int n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2
                                                    : (*p & 0xF8) == 0xF0 ? 3 : -1;
        if (n < 0) return 0;
        p++;
        for (int i = 0; i < n; i++, p++)
            if ((*p & 0xC0) != 0x80) return 0;
    }
    return 1;
}

/* A figure's label and source are text for people, cut to their buffers
 * (160 and 256 bytes) rather than refused: cut where a word ends, never in
 * a number or a character, with "..." to say so. */
Test(loader, a_reported_figures_long_text_is_cut_at_a_word_and_says_so) {
    char json[2048], what[300] = "", source[300] = "";
    for (int i = 0; i < 34; i++) strcat(what, "figure ");  /* 238 bytes */
    strcat(what, "USD 238,000 estimate");                  /* 258: three too many */
    for (int i = 0; i < 251; i++) strcat(source, "a");
    strcat(source, "\xc3\xa9 tail"); /* U+00E9 in bytes 251 and 252 */
    snprintf(json, sizeof json,
             "{\"results\": [], \"reported\": [{\"what\": \"%s\", \"metric\": \"a/b\", "
             "\"value\": 1, \"tolerance\": 0, \"source\": \"%s\"}]}",
             what, source);
    scenario *sc = must_load(with_record(json));
    const realised_figure *f = &sc->realised.reported[0];
    /* 252 bytes leave room for "...": the last whole word within them ends
     * at byte 249, after "238,000"; "es" is dropped. */
    char want[300] = "";
    for (int i = 0; i < 34; i++) strcat(want, "figure ");
    strcat(want, "USD 238,000...");
    cr_assert_str_eq(f->what, want);
    /* No space in the last 252 bytes' second half: cut at the character
     * before the one that does not fit, U+00E9 starting at byte 251. */
    char want_source[300] = "";
    for (int i = 0; i < 251; i++) strcat(want_source, "a");
    strcat(want_source, "...");
    cr_assert_str_eq(f->source, want_source);
    cr_assert(utf8_whole(f->what) && utf8_whole(f->source));
    scenario_free(sc);
    /* Text that fits is kept whole. */
    sc = must_load(with_record("{\"results\": [], \"reported\": [{\"what\": \"caf\xc3\xa9\", "
                               "\"metric\": \"a/b\", \"value\": 1, \"tolerance\": 0}]}"));
    cr_assert_str_eq(sc->realised.reported[0].what, "caf\xc3\xa9");
    scenario_free(sc);
}

/* A range that is not two numbers lo <= hi holding the reported value is
 * refused saying what is wrong with it, at the element to blame. */
Test(loader, a_reported_figures_range_is_refused_saying_what_is_wrong) {
    const char *fmt = "{\"results\": [], \"reported\": [{\"what\": \"x\", \"metric\": \"a/b\", "
                      "\"value\": %s, \"range\": %s}]}";
    char json[512];
    snprintf(json, sizeof json, fmt, "1.5", "[2, 1]");
    expect_refused(with_record(json), "/realised/reported/0/range",
                   "expected lo <= hi, found [2, 1]");
    snprintf(json, sizeof json, fmt, "1", "[0, \"a\"]");
    expect_refused(with_record(json), "/realised/reported/0/range/1",
                   "expected a number in [-1e+15, 1e+15], found the string \"a\"");
    snprintf(json, sizeof json, fmt, "1", "[-2e15, 2]");
    expect_refused(with_record(json), "/realised/reported/0/range/0",
                   "expected a number in [-1e+15, 1e+15], found -2e+15");
    snprintf(json, sizeof json, fmt, "1", "[1]");
    expect_refused(with_record(json), "/realised/reported/0/range",
                   "expected [lo, hi]: two numbers in [-1e+15, 1e+15] with lo <= hi, found an "
                   "array of 1 element");
    /* The reported value reproduces itself: a range without it is a slip. */
    snprintf(json, sizeof json, fmt, "5", "[100, 200]");
    expect_refused(with_record(json), "/realised/reported/0/range",
                   "expected a range that holds the reported value 5, found [100, 200]");
    snprintf(json, sizeof json, fmt, "100", "[100, 200]");
    scenario *sc = must_load(with_record(json));
    cr_assert_eq(sc->realised.reported[0].lo, 100);
    cr_assert_eq(sc->realised.reported[0].hi, 200);
    scenario_free(sc);
}

/* A measured effect is one the outcome can take, as its prior: a count
 * cannot fall by more than all of it (a relative effect of 1: bed days
 * from 60 to 0), a rate of 0.3 cannot rise by more than 0.7. An effect of
 * 20 typed for 20% was settled as a fall to nothing, without a word. */
Test(loader, a_measured_effect_the_outcome_cannot_take_is_refused) {
    expect_refused(with_record("{\"results\": [{\"cohort\": \"B\", \"outcome\": \"bed_days\", "
                               "\"effect\": 20, \"size\": 280}]}"),
                   "/realised/results/0/effect",
                   "expected an effect outcome \"bed_days\" can take (relative: 0.2 is 20%, "
                   "1 all of it), in [-10, 1] as its prior, found 20");
    expect_refused(with_record("{\"results\": [{\"cohort\": \"B\", \"outcome\": \"employed\", "
                               "\"effect\": 0.8, \"size\": 250}]}"),
                   "/realised/results/0/effect", "in [-1e+09, 0.7] as its prior, found 0.8");
    scenario *sc = must_load(with_record(
        "{\"results\": [{\"cohort\": \"B\", \"outcome\": \"bed_days\", \"effect\": 1, "
        "\"size\": 280}, {\"cohort\": \"B\", \"outcome\": \"employed\", \"effect\": 0.7, "
        "\"size\": 250}]}"));
    cr_assert_float_eq(sc->realised.results[0].sum_t, 0.0, 1e-9);       /* all gone */
    cr_assert_float_eq(sc->realised.results[1].sum_t, 250 * 1.0, 1e-9); /* 0.3 + 0.7 */
    scenario_free(sc);
}
