/* test_loader_terms.c -- the loader on the programme model's terms: gates,
 * payer shares, payment rules and their bands, correlations, duplicates,
 * guarantees and tranche maturity, each read to the right values or refused
 * with the whole message `sibsim validate tests/bad/NAME` prints; then text
 * from the input made visible in messages (sib_visible, sib_utf8_cut,
 * sib_error_set and sib_error_format) and a zero written with a minus sign.
 * The rest of the loader's tests are in test_loader.c. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/error.h"
#include "../model/scenario.h"
#include "helpers.h"
#include "loader_helpers.h"

/* ------------------------------------------- the programme model's terms */

Test(loader, a_gate_on_the_first_stage_is_refused) {
    sib_error err = load_bad("gate-on-first-stage.json");
    expect_invalid(&err, "/stages/0/gate",
                   "tests/bad/gate-on-first-stage.json: /stages/0/gate: the first stage "
                   "cannot have a gate (there are no earlier results)");
}

Test(loader, a_gate_after_an_unknown_stage_lists_the_earlier_stages) {
    sib_error err = load_bad("gate-after-unknown-stage.json");
    expect_invalid(&err, "/stages/1/gate/after",
                   "tests/bad/gate-after-unknown-stage.json: /stages/1/gate/after: "
                   "expected the name of an earlier stage (\"pilot\"), found \"pilots\"");
}

Test(loader, a_gate_on_results_not_yet_measured_is_refused_with_both_dates) {
    sib_error err = load_bad("gate-before-results.json");
    expect_invalid(&err, "/stages/1/gate/outcome",
                   "tests/bad/gate-before-results.json: /stages/1/gate/outcome: the gate "
                   "needs \"reconvictions\" results of stage \"pilot\", measured at 2 "
                   "years, but this stage starts at 1.5");
}

Test(loader, payer_shares_must_sum_to_one) {
    sib_error err = load_bad("payer-shares-not-one.json");
    expect_invalid(&err, "/contract/payers",
                   "tests/bad/payer-shares-not-one.json: /contract/payers: expected shares "
                   "that sum to 1, found 0.9");
}

Test(loader, a_second_share_needs_a_balance_to_repay) {
    sib_error err = load_bad("share-after-without-balance.json");
    expect_invalid(&err, "/contract/payments/0/share_after",
                   "tests/bad/share-after-without-balance.json: "
                   "/contract/payments/0/share_after: \"share_after\" needs "
                   "\"until_repaid\" (the balance after which the share changes)");
}

Test(loader, paying_on_improvement_needs_a_counterfactual) {
    sib_error err = load_bad("improvement-on-validated-count.json");
    expect_invalid(&err, "/contract/payments/0/type",
                   "tests/bad/improvement-on-validated-count.json: "
                   "/contract/payments/0/type: payment on improvement needs a "
                   "counterfactual, but outcome \"reconvictions\" is evaluated by "
                   "validated counts; pay per outcome achieved instead");
}

Test(loader, outcomes_achieved_of_a_count_that_should_fall_are_refused) {
    sib_error err = load_bad("achieved-count-lower-is-better.json");
    expect_invalid(&err, "/contract/payments/0/type",
                   "tests/bad/achieved-count-lower-is-better.json: "
                   "/contract/payments/0/type: outcomes achieved are countable only for a "
                   "rate, or a count where higher is better; outcome \"reconvictions\" is "
                   "neither");
}

Test(loader, an_sd_on_a_count_is_refused) {
    sib_error err = load_bad("sd-on-count.json");
    expect_invalid(&err, "/outcomes/0/sd",
                   "tests/bad/sd-on-count.json: /outcomes/0/sd: \"sd\" applies only to "
                   "kind \"continuous\" (the spread of a rate or a count follows from its "
                   "mean)");
}

Test(loader, bands_must_rise) {
    sib_error err = load_bad("bands-out-of-order.json");
    expect_invalid(&err, "/contract/payments/0/bands/1/from",
                   "tests/bad/bands-out-of-order.json: /contract/payments/0/bands/1/from: "
                   "expected a number in [0.1, 1e+09], found 0.05");
}

Test(loader, a_band_has_one_of_an_amount_a_price_or_a_return) {
    sib_error err = load_bad("band-with-amount-and-price.json");
    expect_invalid(&err, "/contract/payments/0/bands/0",
                   "tests/bad/band-with-amount-and-price.json: "
                   "/contract/payments/0/bands/0: expected exactly one of \"amount\" (paid "
                   "when the band is reached), \"price\" (per unit, in this band) or "
                   "\"return\" (the annual return paid on the rule's principal)");
}

Test(loader, a_stage_scope_names_its_stage) {
    sib_error err = load_bad("stage-scope-without-stage.json");
    expect_invalid(&err, "/contract/payments/0/stage",
                   "tests/bad/stage-scope-without-stage.json: /contract/payments/0/stage: "
                   "required field is missing (scope \"stage\" pools one stage's cohorts)");
}

Test(loader, a_correlation_names_inputs_by_their_pointers) {
    sib_error err = load_bad("correlation-unknown-pointer.json");
    expect_invalid(&err, "/correlations/0/between/1",
                   "tests/bad/correlation-unknown-pointer.json: /correlations/0/between/1: "
                   "expected the pointer of an uncertain input (/outcomes/0/effect/prior), "
                   "found \"/stages/1/volume\"");
}

Test(loader, a_linear_ceiling_must_exceed_its_floor) {
    sib_error err = load_bad("linear-ceiling-below-floor.json");
    expect_invalid(&err, "/contract/payments/0/ceiling",
                   "tests/bad/linear-ceiling-below-floor.json: "
                   "/contract/payments/0/ceiling: expected a number > the floor (0.1), "
                   "found 0.05");
}

Test(loader, a_financing_structure_cannot_take_a_report_group_name) {
    sib_error err = load_bad("reserved-financing-name.json");
    expect_invalid(&err, "/financing/0/name",
                   "tests/bad/reserved-financing-name.json: /financing/0/name: "
                   "\"commissioner\" is reserved for the report's own group; choose "
                   "another name");
}

/* ------------------------------------------- duplicates and correlations */

Test(loader, an_outcome_capped_twice_is_refused) {
    sib_error err = load_bad("duplicate-outcome-cap.json");
    expect_invalid(&err, "/contract/outcome_caps/o",
                   "tests/bad/duplicate-outcome-cap.json: /contract/outcome_caps/o: duplicate "
                   "field \"o\"");
}

Test(loader, a_stage_named_twice_in_a_blend_is_refused) {
    sib_error err = load_bad("duplicate-stage-in-blend.json");
    expect_invalid(&err, "/financing/0/stages/pilot",
                   "tests/bad/duplicate-stage-in-blend.json: /financing/0/stages/pilot: "
                   "duplicate field \"pilot\"");
}

Test(loader, two_guarantors_need_two_names) {
    sib_error err = load_bad("duplicate-guarantee-name.json");
    expect_invalid(&err, "/financing/0/guarantees/1/name",
                   "tests/bad/duplicate-guarantee-name.json: /financing/0/guarantees/1/name: "
                   "duplicate guarantee name \"guarantor\" (also /financing/0/guarantees/0): "
                   "name each guarantor");
}

Test(loader, a_correlation_of_one_is_refused_as_one_input) {
    sib_error err = load_bad("correlation-of-one.json");
    expect_invalid(&err, "/correlations/0/rho",
                   "tests/bad/correlation-of-one.json: /correlations/0/rho: expected a "
                   "correlation strictly between -1 and 1 (two inputs correlated at +-1 are one "
                   "input: use one prior), found 1");
}

Test(loader, validated_counts_of_a_count_that_should_fall_are_refused) {
    /* A count where lower is better has nothing "achieved" to count: its
     * level rises as results worsen, so no rule could read it rightly. */
    const char *json =
        "{\"name\": \"t\", \"currency\": \"USD\","
        " \"stages\": [{\"name\": \"s\", \"duration\": 1, \"cohorts\": [{\"size\": 10}]}],"
        " \"outcomes\": [{\"name\": \"o\", \"kind\": \"count\", \"direction\": \"lower_is_better\","
        "   \"baseline\": 2, \"effect\": {\"prior\": 0.1}, \"evaluation\": {\"design\": "
        "\"validated_count\"}}],"
        " \"contract\": {\"payments\": [{\"outcome\": \"o\", \"type\": \"fixed\", \"amount\": 5,"
        "   \"trigger\": -100}]}}";
    sib_error err;
    cr_assert_null(scenario_load_string(json, "v.json", &err));
    char buf[1200];
    cr_assert_str_eq(sib_error_format(&err, buf, sizeof buf),
                     "v.json: /outcomes/0/evaluation/design: validated counts count outcomes "
                     "achieved, and a count where lower is better has none to count (its level "
                     "rises as results worsen): use \"rct\", \"matched\" or \"historical\"");
}

Test(loader, a_term_of_another_type_lists_all_of_this_types_terms) {
    sib_error err;
    const char *json =
        "{\"name\": \"t\", \"currency\": \"USD\","
        " \"stages\": [{\"name\": \"s\", \"duration\": 1, \"cohorts\": [{\"size\": 10}]}],"
        " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
        "   \"baseline\": 0.5, \"effect\": {\"prior\": 0.1}, \"evaluation\": {\"design\": "
        "\"validated_count\"}}],"
        " \"contract\": {\"payments\": [{\"outcome\": \"o\", \"type\": \"savings_share\", "
        "\"value\": 1,"
        "   \"share\": 0.9, \"amount\": 3}]}}";
    cr_assert_null(scenario_load_string(json, "v.json", &err));
    char buf[1200];
    cr_assert_str_eq(sib_error_format(&err, buf, sizeof buf),
                     "v.json: /contract/payments/0/amount: \"amount\" does not apply to a payment "
                     "of type \"savings_share\" (its terms: value, share, share_after, "
                     "until_repaid, basis)");
}

/* ------------------------------------------------ more top-level sections */

/* A SIB of one tranche ("senior", with tranche_extra) and the guarantees
 * `guarantees` (a JSON array, or "" for none), after the minimal scenario. */
static const char *with_sib(const char *tranche_extra, const char *guarantees) {
    char extra[2048];
    snprintf(extra, sizeof extra,
             ", \"financing\": [{\"name\": \"SIB\", \"type\": \"sib\", \"tranches\": "
             "[{\"name\": \"senior\", \"commitment\": 1000000%s}]%s%s}]",
             tranche_extra, guarantees[0] ? ", \"guarantees\": " : "", guarantees);
    return minimal_plus(extra);
}

/* ------------------------------------------------------------ guarantees */

Test(loader, a_first_loss_guarantee_pays_the_first_amount_of_the_loss) {
    scenario *sc = must_load(with_sib("", "[{\"name\": \"city\", \"tranche\": \"senior\", "
                                          "\"kind\": \"first_loss\", \"amount\": 250000}]"));
    cr_assert_eq(sc->financing[0].n_guarantees, 1);
    const guarantee *g = &sc->financing[0].guarantees[0];
    cr_assert_str_eq(g->name, "city");
    cr_assert_eq(g->tranche, 0);
    cr_assert_eq(g->kind, GUARANTEE_FIRST_LOSS);
    cr_assert_float_eq(g->amount, 250000.0, TOL);
    /* min(1 x loss, amount): code that reads share and max alone agrees. */
    cr_assert_float_eq(g->share, 1.0, TOL);
    cr_assert_float_eq(g->max, 250000.0, TOL);
    cr_assert_float_eq(g->fee, 0.0, TOL, "no fee unless one is given");
    cr_assert_eq(g->fee_paid_by, FEE_PAID_BY_TRANCHE);
    scenario_free(sc);
}

Test(loader, a_pro_rata_guarantee_pays_a_share_of_each_loss_up_to_its_max) {
    scenario *sc = must_load(with_sib("", "[{\"tranche\": \"senior\", \"kind\": \"pro_rata\", "
                                          "\"share\": 0.75, \"max\": 600000, \"fee\": 0.01, "
                                          "\"fee_paid_by\": \"commissioner\"}]"));
    const guarantee *g = &sc->financing[0].guarantees[0];
    cr_assert_str_eq(g->name, "guarantor");
    cr_assert_eq(g->kind, GUARANTEE_PRO_RATA);
    cr_assert_float_eq(g->share, 0.75, TOL);
    cr_assert_float_eq(g->max, 600000.0, TOL);
    cr_assert_float_eq(g->amount, 0.0, TOL);
    cr_assert_float_eq(g->fee, 0.01, TOL);
    cr_assert_eq(g->fee_paid_by, FEE_PAID_BY_COMMISSIONER);
    scenario_free(sc);
}

Test(loader, a_pro_rata_guarantee_without_a_max_has_none) {
    scenario *sc = must_load(with_sib("", "[{\"tranche\": \"senior\", \"kind\": \"pro_rata\", "
                                          "\"share\": 1, \"fee\": 0.02}]"));
    const guarantee *g = &sc->financing[0].guarantees[0];
    cr_assert(isinf(g->max) && g->max > 0);
    cr_assert_eq(g->fee_paid_by, FEE_PAID_BY_TRANCHE, "the tranche pays the fee by default");
    scenario_free(sc);
}

Test(loader, rikers_bloomberg_covers_five_sixths_of_each_loss_up_to_7_2m) {
    scenario *sc = load_good(SIBSIM_SOURCE_DIR "/scenarios/rikers-island.json");
    const guarantee *g = &sc->financing[0].guarantees[0];
    cr_assert_str_eq(g->name, "Bloomberg Philanthropies");
    cr_assert_eq(g->kind, GUARANTEE_PRO_RATA);
    cr_assert_float_eq(g->share, 5.0 / 6.0, 1e-9);
    cr_assert_float_eq(g->max, 7.2e6, TOL);
    /* Why pro rata, beside the field it justifies. */
    size_t idx[2];
    cr_assert_eq(scenario_assumptions_at(sc, "/financing/0/guarantees/0/kind", idx, 2), 1);
    cr_assert_not_null(strstr(sc->assumptions[idx[0]].note, "Pro-rata cover, not first-loss"));
    scenario_free(sc);
}

Test(loader, a_guarantee_without_a_kind_explains_both_kinds) {
    sib_error err = load_bad("guarantee-without-kind.json");
    expect_invalid(&err, "/financing/0/guarantees/0",
                   "tests/bad/guarantee-without-kind.json: /financing/0/guarantees/0: missing "
                   "field \"kind\": expected \"first_loss\" (the guarantor pays the first "
                   "\"amount\" of the loss) or \"pro_rata\" (a \"share\" of each loss, up to "
                   "\"max\")");
}

Test(loader, an_unknown_guarantee_kind_lists_the_kinds) {
    expect_refused(with_sib("", "[{\"tranche\": \"senior\", \"kind\": \"senior\"}]"),
                   "/financing/0/guarantees/0/kind",
                   "expected one of \"first_loss\", \"pro_rata\", found the string \"senior\"");
}

Test(loader, a_share_on_a_first_loss_guarantee_belongs_to_pro_rata) {
    sib_error err = load_bad("first-loss-with-share.json");
    expect_invalid(&err, "/financing/0/guarantees/0/share",
                   "tests/bad/first-loss-with-share.json: /financing/0/guarantees/0/share: "
                   "\"share\" belongs to kind \"pro_rata\" (a \"share\" of each loss, up to "
                   "\"max\"); a \"first_loss\" guarantee pays the first \"amount\" of the loss");
}

Test(loader, a_max_on_a_first_loss_guarantee_belongs_to_pro_rata) {
    expect_refused(with_sib("", "[{\"tranche\": \"senior\", \"kind\": \"first_loss\", "
                                "\"amount\": 5, \"max\": 5}]"),
                   "/financing/0/guarantees/0/max", "\"max\" belongs to kind \"pro_rata\"");
}

Test(loader, an_amount_on_a_pro_rata_guarantee_belongs_to_first_loss) {
    sib_error err = load_bad("pro-rata-with-amount.json");
    expect_invalid(&err, "/financing/0/guarantees/0/amount",
                   "tests/bad/pro-rata-with-amount.json: /financing/0/guarantees/0/amount: "
                   "\"amount\" belongs to kind \"first_loss\" (the guarantor pays the first "
                   "\"amount\" of the loss); a \"pro_rata\" guarantee takes \"share\" and "
                   "\"max\"");
}

Test(loader, a_first_loss_guarantee_needs_a_positive_amount) {
    expect_refused(with_sib("", "[{\"tranche\": \"senior\", \"kind\": \"first_loss\"}]"),
                   "/financing/0/guarantees/0/amount", "required field is missing");
    expect_refused(with_sib("", "[{\"tranche\": \"senior\", \"kind\": \"first_loss\", "
                                "\"amount\": 0}]"),
                   "/financing/0/guarantees/0/amount", "expected a number in (0, 1e+15], found 0");
}

Test(loader, a_pro_rata_share_is_above_zero_and_at_most_one) {
    expect_refused(with_sib("", "[{\"tranche\": \"senior\", \"kind\": \"pro_rata\"}]"),
                   "/financing/0/guarantees/0/share", "required field is missing");
    expect_refused(with_sib("", "[{\"tranche\": \"senior\", \"kind\": \"pro_rata\", "
                                "\"share\": 0}]"),
                   "/financing/0/guarantees/0/share",
                   "expected a number in (0, 1] (a share of each loss), found 0");
    expect_refused(with_sib("", "[{\"tranche\": \"senior\", \"kind\": \"pro_rata\", "
                                "\"share\": 1.2}]"),
                   "/financing/0/guarantees/0/share", "expected a number in [0, 1], found 1.2");
    expect_refused(with_sib("", "[{\"tranche\": \"senior\", \"kind\": \"pro_rata\", "
                                "\"share\": 0.5, \"max\": 0}]"),
                   "/financing/0/guarantees/0/max", "expected a number in (0, 1e+15], found 0");
}

Test(loader, a_guarantee_fee_is_an_annual_rate_in_zero_to_one) {
    expect_refused(with_sib("", "[{\"tranche\": \"senior\", \"kind\": \"pro_rata\", "
                                "\"share\": 0.5, \"fee\": 1.5}]"),
                   "/financing/0/guarantees/0/fee", "expected a number in [0, 1], found 1.5");
}

Test(loader, who_pays_a_fee_needs_a_fee) {
    sib_error err = load_bad("fee-paid-by-without-fee.json");
    expect_invalid(&err, "/financing/0/guarantees/0/fee_paid_by",
                   "tests/bad/fee-paid-by-without-fee.json: "
                   "/financing/0/guarantees/0/fee_paid_by: \"fee_paid_by\" needs a \"fee\" "
                   "(the annual rate paid for the cover); this guarantee has none");
    expect_refused(with_sib("", "[{\"tranche\": \"senior\", \"kind\": \"pro_rata\", "
                                "\"share\": 0.5, \"fee\": 0.01, \"fee_paid_by\": \"investor\"}]"),
                   "/financing/0/guarantees/0/fee_paid_by",
                   "expected one of \"tranche\", \"commissioner\", found the string \"investor\"");
}

Test(loader, a_fee_of_zero_may_still_say_who_pays_it) {
    /* A sweep of the fee passes through 0: that must load. */
    scenario *sc = must_load(with_sib("", "[{\"tranche\": \"senior\", \"kind\": \"pro_rata\", "
                                          "\"share\": 0.5, \"fee\": 0, "
                                          "\"fee_paid_by\": \"commissioner\"}]"));
    cr_assert_eq(sc->financing[0].guarantees[0].fee_paid_by, FEE_PAID_BY_COMMISSIONER);
    scenario_free(sc);
}

/* ----------------------------------------------------- tranche maturity */

Test(loader, a_tranche_matures_when_it_says_and_otherwise_has_no_maturity) {
    scenario *sc = must_load(with_sib(", \"maturity\": 7.5", ""));
    cr_assert(sc->financing[0].tranches[0].has_maturity);
    cr_assert_float_eq(sc->financing[0].tranches[0].maturity, 7.5, TOL);
    scenario_free(sc);
    sc = must_load(with_sib("", ""));
    cr_assert_not(sc->financing[0].tranches[0].has_maturity);
    scenario_free(sc);
}

Test(loader, a_maturity_beyond_two_hundred_years_is_refused) {
    sib_error err = load_bad("maturity-out-of-range.json");
    expect_invalid(&err, "/financing/0/tranches/0/maturity",
                   "tests/bad/maturity-out-of-range.json: /financing/0/tranches/0/maturity: "
                   "expected a number in [0, 200], found 250");
}

/* ------------------------------------------ text from the input, made visible */

/* The convention of error.h, written out by hand: ESC as \x1b, the three
 * common controls by letter, DEL, a C1 control (U+009B, a one-character
 * CSI) as \u009b and a stray byte as \x and its hex; the rest as it is. */
Test(visible, control_characters_are_escaped_and_the_rest_kept) {
    char buf[128];
    cr_assert_str_eq(sib_visible(buf, sizeof buf, "a\x1b[2Jb"), "a\\x1b[2Jb");
    cr_assert_str_eq(sib_visible(buf, sizeof buf, "x\ty\nz\r"), "x\\ty\\nz\\r");
    cr_assert_str_eq(sib_visible(buf, sizeof buf, "del\x7f nul\x01"), "del\\x7f nul\\x01");
    cr_assert_str_eq(sib_visible(buf, sizeof buf,
                                 "c1\xc2\x9b"
                                 "31m"),
                     "c1\\u009b31m");
    cr_assert_str_eq(sib_visible(buf, sizeof buf, "bad\xff\xe5"), "bad\\xff\\xe5");
    cr_assert_str_eq(sib_visible(buf, sizeof buf, "Évaluation — 北京 \\n"),
                     "Évaluation — 北京 \\n");
}

/* Too long for the buffer: cut before the character or escape that does
 * not fit, never within it. */
Test(visible, a_cut_never_splits_a_character_or_an_escape) {
    char buf[8];
    cr_assert_str_eq(sib_visible(buf, sizeof buf, "abcde北京"), "abcde");
    cr_assert_str_eq(sib_visible(buf, sizeof buf, "abcd\x1b"), "abcd");
    cr_assert_str_eq(sib_visible(buf, 1, "abc"), "");
}

Test(visible, utf8_cut_backs_off_to_a_character_boundary) {
    const char *s = "ab北京"; /* 2 + 3 + 3 bytes */
    cr_assert_eq(sib_utf8_cut(s, 100), 8);
    cr_assert_eq(sib_utf8_cut(s, 8), 8);
    cr_assert_eq(sib_utf8_cut(s, 7), 5);
    cr_assert_eq(sib_utf8_cut(s, 4), 2);
    cr_assert_eq(sib_utf8_cut(s, 2), 2);
    cr_assert_eq(sib_utf8_cut("ab\xe5\x8c", 100), 2); /* ends in part of 北 */
}

/* sib_error_set keeps the pointer and the message visible; a message too
 * long for its field ends on a whole character. */
Test(visible, an_error_is_set_visible_and_cut_between_characters) {
    sib_error err;
    sib_error_clear(&err);
    sib_error_set(&err, SIB_EINVAL, "/a\x1b[2J", "found \"%s\"", "x\ny");
    cr_assert_str_eq(err.pointer, "/a\\x1b[2J");
    cr_assert_str_eq(err.message, "found \"x\\ny\"");
    char long_text[1200] = "";
    for (int i = 0; i < 200; i++) strcat(long_text, "京");
    sib_error_set(&err, SIB_EINVAL, "", "a%s", long_text);
    /* 511 bytes of room: "a" and 170 whole characters of three bytes. */
    cr_assert_eq(strlen(err.message), 1 + 3 * 170);
    cr_assert_eq(sib_utf8_cut(err.message, sizeof err.message), strlen(err.message));
}

/* The file is set without sib_error_set (by the loader, and by the front
 * ends): sib_error_format makes it visible, and cuts its result between
 * characters. */
Test(visible, a_formatted_error_shows_the_file_visible_and_cuts_whole) {
    sib_error err;
    sib_error_clear(&err);
    sib_error_set(&err, SIB_EIO, "", "cannot read");
    snprintf(err.file, sizeof err.file, "evil\x1b]0;title\x07.json");
    char buf[200];
    cr_assert_str_eq(sib_error_format(&err, buf, sizeof buf),
                     "evil\\x1b]0;title\\x07.json: cannot read");
    snprintf(err.file, sizeof err.file, "北京.json");
    char small[6];
    cr_assert_str_eq(sib_error_format(&err, small, sizeof small), "北");
}

/* An unknown field named with an escape sequence, and a string value with
 * one: the message names both, made visible. */
Test(visible, an_unknown_field_and_a_string_value_are_shown_visible) {
    sib_error err;
    scenario *sc = scenario_load_string(minimal(", \"bogus\\u001b[2J\": 1"), "<test>", &err);
    cr_assert_null(sc);
    cr_assert_str_eq(err.pointer, "/stages/0/cohorts/0/bogus\\x1b[2J");
    cr_assert_not_null(strstr(err.message, "unknown field \"bogus\\x1b[2J\""), "%s", err.message);
    cr_assert_null(strchr(err.message, '\x1b'));
    expect_refused(
        minimal_plus(", \"financing\": [{\"name\": \"f\", \"type\": \"pay\\u001b[31m\\nbr\"}]"),
        "/financing/0/type", "found the string \"pay\\x1b[31m\\nbr\"");
}

/* A string quoted in a message is cut at 40 bytes, between characters:
 * "Évaluation — 北京" repeated puts a character of 北京 across byte 40. */
Test(visible, a_quoted_string_is_cut_between_characters) {
    /* É(2) valuation(9) ' '(1) —(3) ' '(1) 北(3) 京(3) = 22 bytes; twice is
     * 44: the cut at 40 falls in the second 北 (bytes 38-40), kept out. */
    expect_refused(minimal_plus(", \"financing\": [{\"name\": \"f\", \"type\": \"Évaluation — "
                                "北京Évaluation — 北京\"}]"),
                   "/financing/0/type", "found the string \"Évaluation — 北京Évaluation — ...\"");
}

Test(loader, a_zero_written_with_a_minus_sign_is_read_as_zero) {
    /* -0 is a double of its own: read as a rate it was printed "-0% a
     * year" and "PV at -0.0%". Every number reads as +0, from the file and
     * from an override alike. */
    char *base = repo_text("scenarios/peterborough.json");
    const char *text =
        text_edit(text_edit(base, "\"discount_rate\": 0.035", "\"discount_rate\": -0"),
                  "\"lag\": 0.75", "\"lag\": -0.0e3");
    sib_error err;
    scenario *sc = scenario_load_string(text, "m0.json", &err);
    cr_assert_not_null(sc, "%s", err.message);
    cr_assert_eq(sc->sim.discount_rate, 0.0);
    cr_assert_not(signbit(sc->sim.discount_rate), "the simulation's rate is +0");
    cr_assert_not(signbit(sc->contract.rules[0].lag), "a payment's lag is +0");
    cr_assert_not(signbit(sc->financing[0].tranches[0].discount_rate),
                  "a tranche without its own rate takes the simulation's +0");
    scenario_free(sc);
    scenario_override ov = {.pointer = "/simulation/discount_rate", .value = -0.0};
    sc = scenario_load_string_with(base, "p.json", &ov, 1, &err);
    cr_assert_not_null(sc, "%s", err.message);
    cr_assert_not(signbit(sc->sim.discount_rate), "an override of -0 is +0");
    scenario_free(sc);
    free(base);
}
