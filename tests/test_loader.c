/* test_loader.c -- the scenario loader: good scenarios compile to the right
 * values, and every bad one is refused with a message a user can act on.
 *
 * Each bad scenario is a small file under tests/bad/, named for what is wrong
 * with it; most are a valid minimal scenario with a single change. The tests
 * assert the whole message exactly as `sibsim validate tests/bad/NAME` prints
 * it (file, line and column or JSON Pointer, what was expected, what was
 * found), so a change of wording is a deliberate change to these tests.
 * Named cases and the realised record are tested in test_loader_realised.c,
 * strict JSON in test_json_syntax.c, pointers in test_json_pointer.c and the
 * bounds of every number in test_loader_bounds.c. The programme model's
 * terms, duplicates and correlations, guarantees, tranche maturity and
 * text from the input made visible are tested in test_loader_terms.c.
 */
#include <criterion/criterion.h>
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../model/error.h"
#include "../model/scenario.h"
#include "loader_helpers.h"

/* ------------------------------------------------------- good scenarios */

Test(loader, every_scenario_in_the_library_loads) {
    glob_t g;
    cr_assert_eq(glob(SIBSIM_SOURCE_DIR "/scenarios/*.json", 0, NULL, &g), 0,
                 "no scenarios/*.json under %s", SIBSIM_SOURCE_DIR);
    cr_assert_geq(g.gl_pathc, 1);
    for (size_t i = 0; i < g.gl_pathc; i++) scenario_free(load_good(g.gl_pathv[i]));
    globfree(&g);
}

Test(loader, peterborough_has_one_stage_with_two_cohorts_of_a_thousand) {
    scenario *sc = load_good(PETERBOROUGH);
    cr_assert_str_eq(sc->name, "Peterborough prison SIB (UK, 2010-2017), as it ran: two cohorts");
    cr_assert_str_eq(sc->currency, "GBP");
    cr_assert_eq(sc->n_stages, 1);
    const stage *st = &sc->stages[0];
    cr_assert_str_eq(st->name, "delivery");
    cr_assert_float_eq(st->start, 0.0, TOL);
    cr_assert_float_eq(st->duration, 3.75, TOL);
    cr_assert_float_eq(st->fixed_per_year, 700000.0, TOL);
    cr_assert_float_eq(st->setup_cost, 0.0, TOL, "absent costs default to zero");
    cr_assert_float_eq(st->per_participant, 0.0, TOL);
    cr_assert_eq(st->n_cohorts, 2);
    cr_assert_str_eq(st->cohorts[0].name, "cohort 1");
    cr_assert_float_eq(st->cohorts[0].size, 1000.0, TOL);
    cr_assert_float_eq(st->cohorts[0].entry, 0.0, TOL);
    cr_assert_float_eq(st->cohorts[0].enrolment, 1.75, TOL);
    cr_assert_str_eq(st->cohorts[1].name, "cohort 2");
    cr_assert_float_eq(st->cohorts[1].size, 1000.0, TOL);
    cr_assert_float_eq(st->cohorts[1].entry, 1.75, TOL);
    cr_assert_float_eq(st->cohorts[1].enrolment, 2.0, TOL);
    cr_assert_float_eq(scenario_participants(sc), 2000.0, TOL);
    scenario_free(sc);
}

Test(loader, peterborough_measures_reconviction_events_against_ten_matched_controls_each) {
    scenario *sc = load_good(PETERBOROUGH);
    cr_assert_eq(sc->n_outcomes, 1);
    const outcome *o = &sc->outcomes[0];
    cr_assert_str_eq(o->name, "reconviction_events");
    cr_assert_eq(o->kind, OUTCOME_COUNT);
    cr_assert_eq(o->direction, DIRECTION_LOWER_IS_BETTER);
    cr_assert_float_eq(o->baseline, 1.55, TOL);
    cr_assert_eq(o->scale, EFFECT_RELATIVE);
    cr_assert_eq(o->effect.kind, PRIOR_NORMAL);
    cr_assert_float_eq(o->effect.a, 0.09, TOL, "mean");
    cr_assert_float_eq(o->effect.b, 0.05, TOL, "sd");
    cr_assert_float_eq(o->effect.lo, -0.5, TOL);
    cr_assert_float_eq(o->effect.hi, 0.6, TOL);
    cr_assert_eq(o->eval.design, EVAL_MATCHED);
    cr_assert_float_eq(o->eval.comparison_ratio, 10.0, TOL);
    cr_assert_float_eq(o->eval.comparison_size, 0.0, TOL, "only the ratio is given");
    cr_assert_float_eq(o->eval.bias.a, 0.0, TOL);
    cr_assert_float_eq(o->observation_lag, 1.5, TOL);
    scenario_free(sc);
}

Test(loader, peterborough_pays_each_cohort_per_event_above_a_ten_percent_trigger) {
    scenario *sc = load_good(PETERBOROUGH);
    cr_assert_eq(sc->contract.n_rules, 2);
    const payment_rule *r = &sc->contract.rules[0];
    cr_assert_str_eq(r->name, "cohort trigger");
    cr_assert_eq(r->outcome, 0);
    cr_assert_eq(r->type, PAY_PER_UNIT);
    cr_assert_eq(r->scope, SCOPE_COHORT);
    cr_assert_float_eq(r->price, 11000.0, TOL);
    cr_assert(r->has_trigger);
    cr_assert_float_eq(r->trigger, 0.10, TOL);
    cr_assert_not(r->true_up);
    cr_assert_float_eq(r->cap_per_cohort, 1700000.0, TOL);
    cr_assert(isinf(r->cap) && r->cap > 0, "an absent cap is no cap");
    cr_assert_float_eq(r->lag, 0.75, TOL);
    cr_assert(isinf(sc->contract.cap) && sc->contract.cap > 0);
    scenario_free(sc);
}

Test(loader, peterborough_trues_up_the_programme_above_seven_and_a_half_percent) {
    scenario *sc = load_good(PETERBOROUGH);
    const payment_rule *r = &sc->contract.rules[1];
    cr_assert_str_eq(r->name, "final true-up");
    cr_assert_eq(r->outcome, 0);
    cr_assert_eq(r->type, PAY_PER_UNIT);
    cr_assert_eq(r->scope, SCOPE_PROGRAMME);
    cr_assert_float_eq(r->price, 11000.0, TOL);
    cr_assert(r->has_trigger);
    cr_assert_float_eq(r->trigger, 0.075, TOL);
    cr_assert(r->true_up);
    cr_assert_float_eq(r->cap, 3400000.0, TOL);
    cr_assert(isinf(r->cap_per_cohort) && r->cap_per_cohort > 0);
    cr_assert_float_eq(r->lag, 1.5, TOL);
    scenario_free(sc);
}

Test(loader, peterborough_caps_the_investors_return_at_thirteen_percent) {
    scenario *sc = load_good(PETERBOROUGH);
    cr_assert_eq(sc->n_financing, 1);
    const financing *f = &sc->financing[0];
    cr_assert_str_eq(f->name, "Peterborough SIB");
    cr_assert_eq(f->type, FIN_SIB);
    cr_assert_eq(f->n_tranches, 1);
    const tranche *t = &f->tranches[0];
    cr_assert_str_eq(t->name, "17 trusts and foundations");
    cr_assert_float_eq(t->commitment, 5000000.0, TOL);
    cr_assert(t->has_return_cap);
    cr_assert_float_eq(t->return_cap, 0.13, TOL);
    cr_assert_float_eq(t->discount_rate, 0.035, TOL,
                       "a tranche without its own rate uses the simulation's");
    scenario_free(sc);
}

Test(loader, peterborough_simulation_settings_are_read_as_written) {
    scenario *sc = load_good(PETERBOROUGH);
    cr_assert_eq(sc->sim.paths, 100000);
    cr_assert_eq(sc->sim.seed, 20100909);
    cr_assert_str_eq(sc->sim.rng, "mt19937");
    cr_assert_eq(sc->sim.periods_per_year, 4);
    cr_assert_float_eq(sc->sim.discount_rate, 0.035, TOL);
    cr_assert(strncmp(sc->description, "The first social impact bond,", 29) == 0);
    scenario_free(sc);
}

Test(loader, a_minimal_scenario_takes_the_defaults_for_every_optional_field) {
    sib_error err;
    scenario *sc = scenario_load_string(minimal(""), "minimal.json", &err);
    cr_assert_not_null(sc, "%s", err.message);
    cr_assert_str_eq(sc->description, "");
    cr_assert_eq(sc->sim.paths, 100000);
    cr_assert_eq(sc->sim.seed, 1);
    cr_assert_str_eq(sc->sim.rng, "mt19937");
    cr_assert_eq(sc->sim.periods_per_year, 4);
    cr_assert_float_eq(sc->sim.discount_rate, 0.035, TOL);
    const stage *st = &sc->stages[0];
    cr_assert_float_eq(st->setup_cost + st->fixed_per_year + st->per_participant, 0.0, TOL);
    cr_assert_str_eq(st->cohorts[0].name, "cohort 1");
    cr_assert_float_eq(st->cohorts[0].entry, 1.0, TOL, "a cohort enters when its stage starts");
    cr_assert_float_eq(st->cohorts[0].enrolment, 0.0, TOL);
    const outcome *o = &sc->outcomes[0];
    cr_assert_eq(o->scale, EFFECT_RELATIVE);
    cr_assert_eq(o->effect.kind, PRIOR_FIXED, "a bare number is a fixed prior");
    cr_assert_float_eq(o->effect.a, 0.05, TOL);
    cr_assert_float_eq(o->eval.bias.a, 0.0, TOL);
    cr_assert_float_eq(o->observation_lag, 0.0, TOL);
    const payment_rule *r = &sc->contract.rules[0];
    cr_assert_str_eq(r->name, "payment 1");
    cr_assert_eq(r->scope, SCOPE_COHORT);
    cr_assert_not(r->has_trigger);
    cr_assert_not(r->true_up);
    cr_assert(isinf(r->cap) && isinf(r->cap_per_cohort) && isinf(sc->contract.cap));
    cr_assert_float_eq(r->lag, 0.0, TOL);
    cr_assert_eq(sc->n_financing, 0);
    scenario_free(sc);
}

/* ---------------------------------------------------- JSON syntax errors */
/* cJSON only says that a text failed to parse, sometimes one byte late; the
 * loader's own syntax checker places the error on the offending byte and
 * says what was expected there. */

Test(loader, a_trailing_comma_in_an_array_is_a_syntax_error_at_the_bracket) {
    sib_error err = load_bad("syntax-trailing-comma-in-array.json");
    expect_syntax(&err, 5, 70,
                  "tests/bad/syntax-trailing-comma-in-array.json:5:70: syntax error: "
                  "expected a value after ',' (JSON allows no trailing comma), found ']'");
}

Test(loader, a_trailing_comma_in_an_object_is_a_syntax_error_at_the_brace) {
    sib_error err = load_bad("syntax-trailing-comma.json");
    expect_syntax(&err, 19, 3,
                  "tests/bad/syntax-trailing-comma.json:19:3: syntax error: "
                  "expected a field name after ',' (JSON allows no trailing comma), found '}'");
}

Test(loader, a_trailing_comma_on_one_line_is_placed_at_the_brace) {
    sib_error err;
    cr_assert_null(scenario_load_string("{\"a\": 1,}", "v.json", &err));
    char buf[1200];
    cr_assert_str_eq(sib_error_format(&err, buf, sizeof buf),
                     "v.json:1:9: syntax error: expected a field name after ',' (JSON allows no "
                     "trailing comma), found '}'");
}

/* "size": 1,000 -- a number with a thousands separator. The checker used
 * to say "expected a field name in double quotes, found '0'" at the comma's
 * next character; it now names the mistake at the number's first digit,
 * and in an array too ("[1,000]" was "no leading zeros, found '000'"). */
Test(loader, a_thousands_separator_is_a_syntax_error_at_the_number) {
    sib_error err = load_bad("syntax-thousands-separator.json");
    expect_syntax(&err, 5, 64,
                  "tests/bad/syntax-thousands-separator.json:5:64: syntax error: JSON numbers "
                  "have no thousands separators (write 1000), found '1,000'");
    char buf[1200];
    cr_assert_null(scenario_load_string("{\"range\": [0, -1,500,000.5]}", "v.json", &err));
    cr_assert_str_eq(sib_error_format(&err, buf, sizeof buf),
                     "v.json:1:15: syntax error: JSON numbers have no thousands separators "
                     "(write -1500000.5), found '-1,500,000.5'");
    /* Not a separator: two digits after the comma, or a decimal before it. */
    cr_assert_null(scenario_load_string("{\"a\": 1,00}", "v.json", &err));
    cr_assert_str_eq(sib_error_format(&err, buf, sizeof buf),
                     "v.json:1:9: syntax error: expected a field name in double quotes, found "
                     "'0'");
    cr_assert_null(scenario_load_string("[0.5,000]", "v.json", &err));
    cr_assert_str_eq(sib_error_format(&err, buf, sizeof buf),
                     "v.json:1:6: syntax error: JSON numbers have no leading zeros, found '000'");
}

Test(loader, a_missing_brace_is_an_unexpected_end_of_file) {
    sib_error err = load_bad("syntax-unexpected-end.json");
    expect_syntax(&err, 20, 1,
                  "tests/bad/syntax-unexpected-end.json:20:1: syntax error: "
                  "expected ',' or '}' after a field's value, found the end of the file");
}

Test(loader, an_unclosed_string_is_reported_where_its_line_ends) {
    sib_error err = load_bad("syntax-unclosed-string.json");
    expect_syntax(&err, 2, 15,
                  "tests/bad/syntax-unclosed-string.json:2:15: syntax error: "
                  "expected the closing '\"' of a string on the same line, found the end of the "
                  "line");
}

Test(loader, a_comment_after_a_value_is_a_syntax_error_at_the_slash) {
    sib_error err = load_bad("syntax-comment.json");
    expect_syntax(&err, 5, 73,
                  "tests/bad/syntax-comment.json:5:73: syntax error: "
                  "JSON allows no comments, found '//'");
}

Test(loader, a_comment_where_a_name_belongs_is_a_syntax_error_at_the_slash) {
    sib_error err = load_bad("syntax-comment-before-a-name.json");
    expect_syntax(&err, 4, 3,
                  "tests/bad/syntax-comment-before-a-name.json:4:3: syntax error: "
                  "JSON allows no comments, found '//'");
}

Test(loader, an_unquoted_name_is_a_syntax_error_at_its_first_letter) {
    sib_error err = load_bad("syntax-unquoted-key.json");
    expect_syntax(&err, 3, 3,
                  "tests/bad/syntax-unquoted-key.json:3:3: syntax error: "
                  "expected a field name in double quotes, found 'c'");
}

Test(loader, a_missing_comma_is_a_syntax_error_at_the_next_name) {
    sib_error err = load_bad("syntax-missing-comma.json");
    expect_syntax(&err, 3, 3,
                  "tests/bad/syntax-missing-comma.json:3:3: syntax error: "
                  "expected ',' or '}' after a field's value, found '\"'");
}

Test(loader, an_empty_file_says_it_is_empty) {
    sib_error err = load_bad("empty.json");
    expect_syntax(&err, 1, 1,
                  "tests/bad/empty.json:1:1: syntax error: "
                  "expected a JSON object (the file is empty), found the end of the file");
}

Test(loader, text_after_the_scenario_is_a_syntax_error) {
    sib_error err;
    cr_assert_null(scenario_load_string("{}\n}", "v.json", &err));
    char buf[1200];
    cr_assert_str_eq(sib_error_format(&err, buf, sizeof buf),
                     "v.json:2:1: syntax error: expected the end of the file after the "
                     "scenario's closing '}', found '}'");
}

Test(loader, a_bad_escape_and_a_bad_number_are_syntax_errors) {
    sib_error err;
    char buf[1200];
    cr_assert_null(scenario_load_string("{\"a\": \"x\\q\"}", "v.json", &err));
    cr_assert_str_eq(sib_error_format(&err, buf, sizeof buf),
                     "v.json:1:10: syntax error: expected an escape (\\\" \\\\ \\/ \\b \\f \\n "
                     "\\r \\t or \\uXXXX), found 'q'");
    cr_assert_null(scenario_load_string("{\"a\": -}", "v.json", &err));
    cr_assert_str_eq(sib_error_format(&err, buf, sizeof buf),
                     "v.json:1:8: syntax error: expected a digit after '-', found '}'");
}

Test(loader, a_document_that_is_not_an_object_is_refused_whole) {
    sib_error err;
    char buf[1200];
    cr_assert_null(scenario_load_string("[]", "v.json", &err));
    cr_assert_eq(err.code, SIB_EINVAL);
    cr_assert_str_eq(err.pointer, "");
    cr_assert_str_eq(sib_error_format(&err, buf, sizeof buf),
                     "v.json: expected the scenario to be a JSON object, found an array of 0 "
                     "elements");
}

/* --------------------------------------------- unknown and duplicate keys */

Test(loader, an_unknown_top_level_field_is_an_error_listing_the_valid_ones) {
    sib_error err = load_bad("unknown-top-level-field.json");
    expect_invalid(&err, "/notes",
                   "tests/bad/unknown-top-level-field.json: /notes: unknown field \"notes\" "
                   "(expected one of: $schema, sibsim, name, description, currency, simulation, "
                   "stages, outcomes, contract, financing, correlations, cases, realised, sources, "
                   "assumptions)");
}

Test(loader, an_unknown_field_in_a_cohort_is_an_error_naming_its_pointer) {
    sib_error err = load_bad("unknown-field-in-cohort.json");
    expect_invalid(&err, "/stages/0/cohorts/0/colour",
                   "tests/bad/unknown-field-in-cohort.json: /stages/0/cohorts/0/colour: "
                   "unknown field \"colour\" (expected one of: name, size, entry, enrolment)");
}

Test(loader, an_unknown_field_in_a_prior_lists_the_fields_of_its_distribution) {
    sib_error err = load_bad("unknown-field-in-prior.json");
    expect_invalid(&err, "/outcomes/0/effect/prior/min",
                   "tests/bad/unknown-field-in-prior.json: /outcomes/0/effect/prior/min: "
                   "unknown field \"min\" (expected one of: dist, mean, sd, lower, upper)");
}

Test(loader, a_term_of_another_payment_type_is_an_error_naming_the_type) {
    sib_error err = load_bad("unknown-field-in-payment.json");
    expect_invalid(&err, "/contract/payments/0/ceiling",
                   "tests/bad/unknown-field-in-payment.json: /contract/payments/0/ceiling: "
                   "\"ceiling\" does not apply to a payment of type \"per_unit\" (its terms: "
                   "price)");
}

Test(loader, an_unknown_field_in_a_payment_lists_the_fields_of_its_type) {
    sib_error err;
    const char *json =
        "{\"name\": \"t\", \"currency\": \"GBP\","
        " \"stages\": [{\"name\": \"s\", \"duration\": 1, \"cohorts\": [{\"size\": 10}]}],"
        " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
        "   \"baseline\": 0.5, \"effect\": {\"prior\": 0.1},"
        "   \"evaluation\": {\"design\": \"rct\", \"comparison_size\": 10}}],"
        " \"contract\": {\"payments\": [{\"outcome\": \"o\", \"type\": \"fixed\", \"amount\": 1,"
        "   \"trigger\": 0, \"prise\": 3}]}}";
    cr_assert_null(scenario_load_string(json, "v.json", &err));
    char buf[1200];
    cr_assert_str_eq(sib_error_format(&err, buf, sizeof buf),
                     "v.json: /contract/payments/0/prise: unknown field \"prise\" (expected one "
                     "of: name, outcome, type, scope, stage, trigger, true_up, cap, lag, "
                     "cap_per_cohort, installments, interval, payers, amount)");
}

Test(loader, a_key_given_twice_is_an_error_at_its_second_occurrence) {
    sib_error err = load_bad("duplicate-key.json");
    expect_invalid(&err, "/outcomes/0/baseline",
                   "tests/bad/duplicate-key.json: /outcomes/0/baseline: "
                   "duplicate field \"baseline\"");
}

/* ------------------------------------------------------ missing fields */

Test(loader, a_scenario_without_a_name_is_refused) {
    sib_error err = load_bad("missing-name.json");
    expect_invalid(&err, "/name", "tests/bad/missing-name.json: /name: required field is missing");
}

Test(loader, a_scenario_without_a_currency_is_refused) {
    sib_error err = load_bad("missing-currency.json");
    expect_invalid(&err, "/currency",
                   "tests/bad/missing-currency.json: /currency: required field is missing");
}

Test(loader, a_scenario_without_stages_is_refused) {
    sib_error err = load_bad("missing-stages.json");
    expect_invalid(&err, "/stages",
                   "tests/bad/missing-stages.json: /stages: required field is missing");
}

Test(loader, a_scenario_without_outcomes_is_refused) {
    sib_error err = load_bad("missing-outcomes.json");
    expect_invalid(&err, "/outcomes",
                   "tests/bad/missing-outcomes.json: /outcomes: required field is missing");
}

Test(loader, a_scenario_without_a_contract_is_refused) {
    sib_error err = load_bad("missing-contract.json");
    expect_invalid(&err, "/contract",
                   "tests/bad/missing-contract.json: /contract: required field is missing");
}

Test(loader, a_cohort_without_a_size_is_refused) {
    sib_error err = load_bad("missing-cohort-size.json");
    expect_invalid(&err, "/stages/0/cohorts/0/size",
                   "tests/bad/missing-cohort-size.json: /stages/0/cohorts/0/size: "
                   "required field is missing");
}

Test(loader, a_per_unit_payment_without_a_price_is_refused) {
    sib_error err = load_bad("missing-payment-price.json");
    expect_invalid(&err, "/contract/payments/0/price",
                   "tests/bad/missing-payment-price.json: /contract/payments/0/price: "
                   "required field is missing");
}

/* ------------------------------------------------- wrong type and range */

Test(loader, a_string_where_a_number_belongs_is_refused_showing_the_string) {
    sib_error err = load_bad("string-where-number.json");
    expect_invalid(&err, "/contract/payments/0/price",
                   "tests/bad/string-where-number.json: /contract/payments/0/price: "
                   "expected a number in [0, 1e+15], found the string \"1000\"");
}

/* A count's baseline must be > 0: a string there gets the same range as a
 * zero does. */
Test(loader, a_string_where_a_positive_number_belongs_states_the_range_rightly) {
    sib_error err = load_bad("string-where-positive-number.json");
    expect_invalid(&err, "/outcomes/0/baseline",
                   "tests/bad/string-where-positive-number.json: /outcomes/0/baseline: "
                   "expected a number in (0, 1e+09], found the string \"1.5\"");
}

Test(loader, a_negative_cohort_size_is_out_of_range) {
    sib_error err = load_bad("negative-cohort-size.json");
    expect_invalid(&err, "/stages/0/cohorts/0/size",
                   "tests/bad/negative-cohort-size.json: /stages/0/cohorts/0/size: "
                   "expected a whole number in [1, 1000000000], found -100");
}

Test(loader, zero_paths_is_out_of_range) {
    sib_error err = load_bad("zero-paths.json");
    expect_invalid(&err, "/simulation/paths",
                   "tests/bad/zero-paths.json: /simulation/paths: "
                   "expected a whole number in [1, 1000000000000], found 0");
}

Test(loader, a_rate_baseline_above_one_is_not_a_share) {
    sib_error err = load_bad("rate-baseline-above-one.json");
    expect_invalid(&err, "/outcomes/0/baseline",
                   "tests/bad/rate-baseline-above-one.json: /outcomes/0/baseline: "
                   "expected a share strictly between 0 and 1, found 1.5");
}

/* A rate's baseline written in percent is asked about, as a share past
 * its bound is (a baseline of 1.5, above, is left without the question:
 * from 1 to 2 it is more likely a count's mean given kind "rate"). Before
 * the fix the message stopped at "found 25". */
Test(loader, a_rate_baseline_written_in_percent_asks_for_the_fraction) {
    sib_error err = load_bad("rate-baseline-in-percent.json");
    expect_invalid(&err, "/outcomes/0/baseline",
                   "tests/bad/rate-baseline-in-percent.json: /outcomes/0/baseline: "
                   "expected a share strictly between 0 and 1, found 25: a rate or share is a "
                   "fraction, did you mean 0.25 (25%)?");
}

/* A blend's weight is a share in (0, 1]: 80 for 80% is asked about like
 * any share. Before the fix the message stopped at "found 80". */
Test(loader, a_blend_weight_written_in_percent_asks_for_the_fraction) {
    sib_error err = load_bad("blend-weight-in-percent.json");
    expect_invalid(&err, "/outcomes/0/evaluation/blend/0/weight",
                   "tests/bad/blend-weight-in-percent.json: /outcomes/0/evaluation/blend/0/weight: "
                   "expected a number in (0, 1], found 80: a rate or share is a fraction, "
                   "did you mean 0.8 (80%)?");
}

/* "10%" in quotes: the range of a trigger ([-1e+09, 1e+09]) does not say
 * how to write 10%, and a user who wrote 10 would get a trigger that never
 * pays. The message asks for the fraction; before the fix it stopped at
 * 'found the string "10%"'. A quoted plain number keeps its message
 * (string-where-number.json), and a time is never read as a percentage. */
Test(loader, a_percentage_in_quotes_asks_for_the_fraction) {
    sib_error err = load_bad("trigger-written-as-a-percent-string.json");
    expect_invalid(&err, "/contract/payments/0/trigger",
                   "tests/bad/trigger-written-as-a-percent-string.json: "
                   "/contract/payments/0/trigger: expected a number in [-1e+09, 1e+09], found "
                   "the string \"10%\": a rate or share is a fraction, written as a number "
                   "without quotes, did you mean 0.1 (10%)?");
    expect_refused(minimal_plus(", \"simulation\": {\"discount_rate\": \" 3.5 % \"}"),
                   "/simulation/discount_rate",
                   "found the string \" 3.5 % \": a rate or "
                   "share is a fraction, written as a number without quotes, did you mean "
                   "0.035 (3.5%)?");
    sib_error e2;
    cr_assert_null(scenario_load_string(minimal(", \"entry\": \"50%\""), "<test>", &e2));
    cr_assert_str_eq(e2.pointer, "/stages/0/cohorts/0/entry");
    cr_assert_str_eq(e2.message, "expected a number in [1, 3], found the string \"50%\"");
}

Test(loader, a_relative_fall_of_more_than_all_of_the_outcome_is_refused) {
    sib_error err = load_bad("relative-effect-above-one.json");
    expect_invalid(&err, "/outcomes/0/effect/prior",
                   "tests/bad/relative-effect-above-one.json: /outcomes/0/effect/prior: "
                   "expected a number in [-10, 1], found 1.2");
}

Test(loader, a_currency_in_lower_case_is_not_an_iso_code) {
    sib_error err = load_bad("currency-not-capitals.json");
    expect_invalid(&err, "/currency",
                   "tests/bad/currency-not-capitals.json: /currency: expected a three-letter "
                   "ISO 4217 code such as \"GBP\", found the string \"gbp\"");
}

/* ---------------------------------------------------- bad enum values */

Test(loader, an_unknown_outcome_kind_lists_the_kinds) {
    sib_error err = load_bad("bad-kind.json");
    expect_invalid(
        &err, "/outcomes/0/kind",
        "tests/bad/bad-kind.json: /outcomes/0/kind: "
        "expected one of \"rate\", \"count\", \"continuous\", found the string \"counts\"");
}

Test(loader, an_unknown_direction_lists_the_directions) {
    sib_error err = load_bad("bad-direction.json");
    expect_invalid(&err, "/outcomes/0/direction",
                   "tests/bad/bad-direction.json: /outcomes/0/direction: expected one of "
                   "\"lower_is_better\", \"higher_is_better\", found the string \"down\"");
}

Test(loader, an_unknown_distribution_lists_the_distributions) {
    sib_error err = load_bad("bad-dist.json");
    expect_invalid(&err, "/outcomes/0/effect/prior/dist",
                   "tests/bad/bad-dist.json: /outcomes/0/effect/prior/dist: expected one of "
                   "\"fixed\", \"normal\", \"uniform\", \"beta\", \"lognormal\", "
                   "\"triangular\", found the string \"gaussian\"");
}

Test(loader, an_unknown_evaluation_design_lists_the_designs) {
    sib_error err = load_bad("bad-design.json");
    expect_invalid(&err, "/outcomes/0/evaluation/design",
                   "tests/bad/bad-design.json: /outcomes/0/evaluation/design: expected one of "
                   "\"rct\", \"matched\", \"historical\", \"validated_count\", "
                   "\"difference_in_differences\", found the string \"quasi-experimental\"");
}

Test(loader, an_unknown_payment_scope_lists_the_scopes) {
    sib_error err = load_bad("bad-scope.json");
    expect_invalid(&err, "/contract/payments/0/scope",
                   "tests/bad/bad-scope.json: /contract/payments/0/scope: expected one of "
                   "\"cohort\", \"stage\", \"programme\", found the string \"programmes\"");
}

Test(loader, an_unknown_payment_type_lists_the_types) {
    sib_error err = load_bad("bad-payment-type.json");
    expect_invalid(&err, "/contract/payments/0/type",
                   "tests/bad/bad-payment-type.json: /contract/payments/0/type: expected one of "
                   "\"per_unit\", \"per_outcome\", \"fixed\", \"linear\", \"tiered\", "
                   "\"savings_share\", found the string \"per-unit\"");
}

/* -------------------------------------- cross references and field rules */

Test(loader, a_payment_naming_an_unknown_outcome_lists_the_outcomes) {
    sib_error err = load_bad("payment-names-unknown-outcome.json");
    expect_invalid(&err, "/contract/payments/0/outcome",
                   "tests/bad/payment-names-unknown-outcome.json: /contract/payments/0/outcome: "
                   "expected the name of an outcome (\"reconvictions\"), found \"reconviction\"");
}

Test(loader, two_outcomes_with_one_name_are_refused_pointing_at_both) {
    sib_error err = load_bad("duplicate-outcome-name.json");
    expect_invalid(&err, "/outcomes/1/name",
                   "tests/bad/duplicate-outcome-name.json: /outcomes/1/name: "
                   "duplicate outcome name \"reconvictions\" (also /outcomes/0)");
}

Test(loader, two_stages_with_one_name_are_refused_pointing_at_both) {
    sib_error err = load_bad("duplicate-stage-name.json");
    expect_invalid(&err, "/stages/1/name",
                   "tests/bad/duplicate-stage-name.json: /stages/1/name: "
                   "duplicate stage name \"delivery\" (also /stages/0)");
}

/* The other cohort is named by its full pointer, as for stages and payments. */
Test(loader, two_cohorts_with_one_name_are_refused_pointing_at_both) {
    sib_error err = load_bad("duplicate-cohort-name.json");
    expect_invalid(&err, "/stages/0/cohorts/1/name",
                   "tests/bad/duplicate-cohort-name.json: /stages/0/cohorts/1/name: "
                   "duplicate cohort name \"A\" (also /stages/0/cohorts/0)");
}

Test(loader, two_payments_with_one_name_are_refused_pointing_at_both) {
    sib_error err = load_bad("duplicate-payment-name.json");
    expect_invalid(&err, "/contract/payments/1/name",
                   "tests/bad/duplicate-payment-name.json: /contract/payments/1/name: "
                   "duplicate payment name \"bonus\" (also /contract/payments/0)");
}

Test(loader, stages_out_of_order_are_refused_naming_the_earlier_stage) {
    sib_error err = load_bad("stages-out-of-order.json");
    expect_invalid(&err, "/stages/1/start",
                   "tests/bad/stages-out-of-order.json: /stages/1/start: expected stages in "
                   "order of start; this stage starts at 0, before /stages/0 at 2");
}

Test(loader, a_cohort_entering_after_its_stage_ends_is_refused) {
    sib_error err = load_bad("cohort-entry-outside-stage.json");
    expect_invalid(&err, "/stages/0/cohorts/0/entry",
                   "tests/bad/cohort-entry-outside-stage.json: /stages/0/cohorts/0/entry: "
                   "expected a number in [0, 2], found 3");
}

Test(loader, an_evaluation_with_both_comparison_size_and_ratio_is_refused) {
    sib_error err = load_bad("comparison-size-and-ratio.json");
    expect_invalid(&err, "/outcomes/0/evaluation",
                   "tests/bad/comparison-size-and-ratio.json: /outcomes/0/evaluation: "
                   "expected exactly one of \"comparison_size\" (people per cohort) or "
                   "\"comparison_ratio\" (comparison people per treated person), found both");
}

Test(loader, an_evaluation_with_neither_comparison_size_nor_ratio_is_refused) {
    sib_error err = load_bad("comparison-size-nor-ratio.json");
    expect_invalid(&err, "/outcomes/0/evaluation",
                   "tests/bad/comparison-size-nor-ratio.json: /outcomes/0/evaluation: "
                   "expected exactly one of \"comparison_size\" (people per cohort) or "
                   "\"comparison_ratio\" (comparison people per treated person), found neither");
}

Test(loader, a_bias_on_a_randomised_trial_is_refused) {
    sib_error err = load_bad("bias-on-rct.json");
    expect_invalid(&err, "/outcomes/0/evaluation/bias",
                   "tests/bad/bias-on-rct.json: /outcomes/0/evaluation/bias: \"bias\" applies "
                   "only to design \"matched\" (a randomised comparison group is unbiased)");
}

Test(loader, a_true_up_on_a_cohort_rule_is_refused) {
    sib_error err = load_bad("true-up-on-cohort-rule.json");
    expect_invalid(&err, "/contract/payments/0/true_up",
                   "tests/bad/true-up-on-cohort-rule.json: /contract/payments/0/true_up: "
                   "\"true_up\" applies only to scopes \"stage\" and \"programme\" (it nets "
                   "off what narrower payments already paid)");
}

Test(loader, a_fixed_payment_without_a_trigger_is_refused) {
    sib_error err = load_bad("fixed-payment-without-trigger.json");
    expect_invalid(&err, "/contract/payments/0/trigger",
                   "tests/bad/fixed-payment-without-trigger.json: /contract/payments/0/trigger: "
                   "required field is missing (a fixed payment is paid when its trigger is met)");
}

Test(loader, a_price_on_a_fixed_payment_is_refused_suggesting_amount) {
    sib_error err = load_bad("price-on-fixed-payment.json");
    expect_invalid(&err, "/contract/payments/0/price",
                   "tests/bad/price-on-fixed-payment.json: /contract/payments/0/price: "
                   "\"price\" does not apply to a payment of type \"fixed\" (its terms: amount)");
}

Test(loader, a_tranche_with_a_coupon_and_a_return_cap_is_refused) {
    sib_error err = load_bad("coupon-and-return-cap.json");
    expect_invalid(&err, "/financing/0/tranches/0/return_cap",
                   "tests/bad/coupon-and-return-cap.json: /financing/0/tranches/0/return_cap: "
                   "a tranche has a \"coupon\" (what it is owed) or a \"return_cap\" (the most "
                   "it can earn), not both");
}

/* ------------------------------------------------ files, names, pointers */

Test(loader, a_file_that_does_not_exist_is_an_io_error_naming_the_file) {
    cr_assert_eq(chdir(SIBSIM_SOURCE_DIR), 0);
    sib_error err;
    cr_assert_null(scenario_load_file("tests/bad/no-such-file.json", &err));
    cr_assert_eq(err.code, SIB_EIO);
    cr_assert_eq(err.line, 0);
    cr_assert_str_eq(err.pointer, "");
    char buf[1200];
    cr_assert_str_eq(sib_error_format(&err, buf, sizeof buf),
                     "tests/bad/no-such-file.json: cannot open: No such file or directory");
}

Test(loader, a_scenario_loaded_from_a_string_is_named_in_messages_as_the_caller_says) {
    sib_error err;
    cr_assert_null(scenario_load_string(minimal(", \"colour\": \"blue\""), "<pasted>", &err));
    char buf[1200];
    cr_assert_str_eq(err.file, "<pasted>");
    cr_assert_str_eq(sib_error_format(&err, buf, sizeof buf),
                     "<pasted>: /stages/0/cohorts/0/colour: unknown field \"colour\" "
                     "(expected one of: name, size, entry, enrolment)");
}

Test(loader, a_syntax_error_in_a_string_is_named_and_placed_as_in_a_file) {
    sib_error err;
    cr_assert_null(scenario_load_string("{\n  \"name\": \"x\"\n  \"currency\": \"GBP\"\n}\n",
                                        "<pasted>", &err));
    char buf[1200];
    cr_assert_str_eq(sib_error_format(&err, buf, sizeof buf),
                     "<pasted>:3:3: syntax error: expected ',' or '}' after a field's value, "
                     "found '\"'");
}

Test(loader, a_slash_in_a_field_name_is_escaped_as_tilde_one_in_the_pointer) {
    sib_error err;
    cr_assert_null(scenario_load_string(minimal(", \"a/b\": 1"), "<test>", &err));
    cr_assert_str_eq(err.pointer, "/stages/0/cohorts/0/a~1b");
}

Test(loader, a_tilde_in_a_field_name_is_escaped_as_tilde_zero_in_the_pointer) {
    sib_error err;
    cr_assert_null(scenario_load_string(minimal(", \"~x/\": 1"), "<test>", &err));
    cr_assert_str_eq(err.pointer, "/stages/0/cohorts/0/~0x~1");
    char buf[1200];
    cr_assert_str_eq(sib_error_format(&err, buf, sizeof buf),
                     "<test>: /stages/0/cohorts/0/~0x~1: unknown field \"~x/\" "
                     "(expected one of: name, size, entry, enrolment)");
}

Test(loader, a_long_string_found_in_an_error_is_cut_at_forty_characters) {
    sib_error err;
    cr_assert_null(scenario_load_string(
        minimal(", \"entry\": \"as soon as the stage starts, or a bit later\""), "<test>", &err));
    cr_assert_str_eq(err.pointer, "/stages/0/cohorts/0/entry");
    cr_assert_str_eq(err.message, "expected a number in [1, 3], found the string "
                                  "\"as soon as the stage starts, or a bit la...\"");
}

Test(loader, loading_without_an_error_struct_still_returns_null) {
    cr_assert_null(scenario_load_string("{", "<test>", NULL));
    cr_assert_null(scenario_load_file(SIBSIM_SOURCE_DIR "/tests/bad/no-such-file.json", NULL));
}

Test(loader, freeing_null_is_a_no_op) { scenario_free(NULL); }
