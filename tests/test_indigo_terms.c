/* test_indigo_terms.c -- importing INDIGO records edited from the
 * hand-written full record of tests/indigo/ (model/indigo.c,
 * model/indigo_csv.c): no fixed caps on the record (payers, investments,
 * tranches, cohorts, metrics, ids and names past any old limit), the
 * project's investor terms, a maximum return of 1, payers that give only
 * some sums, cells of blanks, and cohorts that add up to the targeted
 * users. The rest of the import's tests (dates and amounts, the full,
 * sparse and withheld records, the CSV export, round trips) are in
 * test_indigo.c; the helpers both share are in indigo_helpers.h. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/indigo.h"
#include "helpers.h"
#include "indigo_helpers.h"

/* ------------------------------------------- no fixed caps on the record */

/* The full record with its "data" changed by edit, imported: SIB_OK and
 * *out, or the error in *err. */
static int import_edited(void (*edit)(cJSON *data), indigo_import **out, sib_error *err) {
    char *text = repo_text("tests/indigo/full.json");
    cJSON *root = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(root);
    edit(cJSON_GetObjectItemCaseSensitive(root, "data"));
    char *edited = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    indigo_options opt = {.provenance = 1};
    int rc = indigo_import_record(edited, "<edited>", &opt, out, err);
    free(edited);
    return rc;
}

static cJSON *gbp(double amount) {
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(cJSON_AddObjectToObject(m, "currency"), "value", "GBP");
    cJSON_AddNumberToObject(cJSON_AddObjectToObject(m, "amount"), "value", amount);
    return m;
}

/* 70 outcome payers, 60 committing 30,000 and 10 committing 60,000. */
static void seventy_payers(cJSON *data) {
    cJSON *rows = cJSON_CreateArray();
    for (int k = 0; k < 70; k++) {
        cJSON *r = cJSON_CreateObject();
        char org[32];
        snprintf(org, sizeof org, "INDIGO-ORG-P%03d", k + 1);
        cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "organisation_id"), "value", org);
        cJSON_AddItemToObject(r, "maximum_potential_outcome_payment", gbp(k < 60 ? 30000 : 60000));
        cJSON_AddItemToArray(rows, r);
    }
    cJSON_ReplaceItemInObjectCaseSensitive(data, "outcome_payment_commitments", rows);
}

/* Payers 65 onwards were dropped without a word: their commitments left
 * the scenario, and the cap warning quoted the 64 kept. Every payer is
 * kept now, with its commitment as its cap. */
Test(indigo, more_than_64_outcome_payers_are_all_kept) {
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(import_edited(seventy_payers, &imp, &err), SIB_OK, "%s", err.message);
    EQ(imp, "/contract/payers", 70);
    EQ(imp, "/contract/payers/69/cap", 60000);
    char *name = text_at(imp, "/contract/payers/69/name");
    cr_assert_str_eq(name, "INDIGO-ORG-P070");
    free(name);
    double caps = 0;
    for (int k = 0; k < 70; k++) {
        char p[64];
        snprintf(p, sizeof p, "/contract/payers/%d/cap", k);
        caps += at(imp, p);
    }
    cr_assert_float_eq(caps, 2400000, 1e-6);
    cr_assert_eq(count_notes(imp, INDIGO_WARNING, NULL), 0, "the commitments add up to the cap");
    scenario *sc = must_load_string(imp->scenario);
    cr_assert_eq(sc->contract.n_payers, 70);
    scenario_free(sc);
    indigo_import_free(imp);
}

/* Two organisations whose ids agree in their first 60 bytes (a name of
 * the scenario holds fewer than 80) are two payers, not one: each named,
 * the second told apart by its row, and the cut said. */
static void two_long_payer_ids(cJSON *data) {
    cJSON *rows = cJSON_GetObjectItemCaseSensitive(data, "outcome_payment_commitments");
    const char *ids[2] = {"Department for Work and Pensions, Outcomes Fund for Young People: "
                          "first round",
                          "Department for Work and Pensions, Outcomes Fund for Young People: "
                          "second round"};
    for (int k = 0; k < 2; k++) {
        cJSON *org =
            cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(rows, k), "organisation_id");
        cJSON_ReplaceItemInObjectCaseSensitive(org, "value", cJSON_CreateString(ids[k]));
    }
}

Test(indigo, payers_whose_long_ids_agree_in_60_bytes_stay_two) {
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(import_edited(two_long_payer_ids, &imp, &err), SIB_OK, "%s", err.message);
    EQ(imp, "/contract/payers", 2);
    EQ(imp, "/contract/payers/0/cap", 1600000);
    EQ(imp, "/contract/payers/1/cap", 800000);
    cr_assert_eq(count_notes(imp, INDIGO_WARNING,
                             "/data/outcome_payment_commitments/1/organisation_id/value"),
                 1, "the cut name is said");
    scenario *sc = must_load_string(imp->scenario);
    scenario_free(sc);
    indigo_import_free(imp);
}

/* An investment row: a commitment in GBP, and a type, a maximum return
 * (an IRR, as a fraction) and a maximum loss (a share of principal) where
 * given (NULL, or below 0: not given). */
static cJSON *investment_row(const char *org, double amount, const char *type, double ret,
                             double loss) {
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "organisation_id"), "value", org);
    cJSON *c = cJSON_AddObjectToObject(r, "investment_commitment");
    cJSON_AddStringToObject(cJSON_AddObjectToObject(c, "currency"), "value", "GBP");
    cJSON_AddNumberToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(c, "amount"), "exact"),
                            "value", amount);
    if (type) cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "investment_type"), "value", type);
    if (ret >= 0) {
        cJSON_AddNumberToObject(cJSON_AddObjectToObject(r, "maximum_potential_return"), "value",
                                ret);
        cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "maximum_potential_return_type"),
                                "value", "IRR");
    }
    if (loss >= 0)
        cJSON_AddNumberToObject(cJSON_AddObjectToObject(r, "maximum_potential_loss"), "value",
                                loss);
    return r;
}

/* 20 investments of 50,000 on 17 different terms: the first 16 each with
 * its own maximum return (1% to 16%), the last four at 30%. */
static void twenty_investments(cJSON *data) {
    cJSON *rows = cJSON_CreateArray();
    for (int k = 0; k < 20; k++) {
        char org[32];
        snprintf(org, sizeof org, "INDIGO-ORG-I%03d", k + 1);
        cJSON_AddItemToArray(
            rows, investment_row(org, 50000, "Debt", k < 16 ? 0.01 * (k + 1) : 0.30, -1));
    }
    cJSON_ReplaceItemInObjectCaseSensitive(data, "investments", rows);
}

/* A structure holds at most 16 tranches. Investments on the same terms
 * are merged into one; a record whose investments are on more than 16
 * different terms is legal, and refused as bad input (exit 2) where the
 * 17th terms start, with the limit and the counts, not made into a
 * scenario that does not load (the "defect of the importer", exit 1). */
Test(indigo, investments_on_more_than_16_terms_are_refused_with_the_limit_and_the_counts) {
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(import_edited(twenty_investments, &imp, &err), SIB_EINVAL, "%s", err.message);
    cr_assert_null(imp);
    cr_assert_str_eq(err.pointer, "/data/investments/16");
    cr_assert(strstr(err.message, "at most 16 tranches") != NULL, "%s", err.message);
    cr_assert(strstr(err.message, "found 20 investments") != NULL, "%s", err.message);
    cr_assert(strstr(err.message, "on 17 different terms") != NULL, "%s", err.message);
}

/* 18 investments of 50,000: ten senior (debt, an 8% IRR cap, half of each
 * loss covered) and eight subordinated (equity, a 12% cap). */
static void eighteen_investments(cJSON *data) {
    cJSON *rows = cJSON_CreateArray();
    for (int k = 0; k < 18; k++) {
        char org[32];
        snprintf(org, sizeof org, "INDIGO-ORG-J%03d", k + 1);
        cJSON_AddItemToArray(rows, k < 10 ? investment_row(org, 50000, "Debt", 0.08, 0.5)
                                          : investment_row(org, 50000, "Equity", 0.12, -1));
    }
    cJSON_ReplaceItemInObjectCaseSensitive(data, "investments", rows);
}

/* The same two groups merged by hand: 10 x 50,000 and 8 x 50,000. */
static void two_investments(cJSON *data) {
    cJSON *rows = cJSON_CreateArray();
    cJSON_AddItemToArray(rows, investment_row("DEBT", 500000, "Debt", 0.08, 0.5));
    cJSON_AddItemToArray(rows, investment_row("EQUITY", 400000, "Equity", 0.12, -1));
    cJSON_ReplaceItemInObjectCaseSensitive(data, "investments", rows);
}

/* Mean of a tranche's metric in a run of 4,000 futures of the import. */
static double tranche_mean(const indigo_import *imp, const char *tname, const char *what) {
    scenario *sc = must_load_string(imp->scenario);
    engine *e = must_engine(sc);
    must_run_on(e, 4000, 2);
    char key[256];
    snprintf(key, sizeof key, "%s.%s", tname, what);
    const double x = summary_of(e, "impact bond", key).mean;
    engine_free(e);
    scenario_free(sc);
    return x;
}

/* More investments than a structure holds tranches, on two terms, become
 * two tranches of their summed commitments (worked out here: 10 x 50,000
 * and 8 x 50,000; the cover, half of each loss up to half the
 * commitment, 250,000), with a warning, and the same financing as the
 * record merged by hand: the same figures to the last bit at a seed. */
Test(indigo, investments_on_the_same_terms_past_16_are_merged_into_one_tranche) {
    indigo_import *imp = NULL, *hand = NULL;
    sib_error err;
    cr_assert_eq(import_edited(eighteen_investments, &imp, &err), SIB_OK, "%s", err.message);
    cr_assert_eq(import_edited(two_investments, &hand, &err), SIB_OK, "%s", err.message);
    char *name0 = text_at(imp, "/financing/0/tranches/0/name");
    char *name1 = text_at(imp, "/financing/0/tranches/1/name");
    cr_assert_str_eq(name0, "10 senior investors");
    cr_assert_str_eq(name1, "8 subordinated investors");
    EQ(imp, "/financing/0/tranches/0/commitment", 500000);
    EQ(imp, "/financing/0/tranches/1/commitment", 400000);
    EQ(imp, "/financing/0/tranches/0/return_cap", 0.08);
    EQ(imp, "/financing/0/tranches/1/return_cap", 0.12);
    EQ(imp, "/financing/0/guarantees/0/share", 0.5);
    EQ(imp, "/financing/0/guarantees/0/max", 250000);
    cr_assert(isnan(at(imp, "/financing/0/tranches/2/commitment")), "two tranches only");
    size_t said = 0;
    for (size_t i = 0; i < imp->n_notes; i++)
        said += imp->notes[i].kind == INDIGO_WARNING &&
                strcmp(imp->notes[i].pointer, "/data/investments") == 0 &&
                strstr(imp->notes[i].text, "18 investments with a public commitment") != NULL &&
                strstr(imp->notes[i].text, "merged into one tranche each, 2 in all") != NULL;
    cr_assert_eq(said, 1, "the merge is said once");
    /* Every member's fields are read (and listed as used). */
    cr_assert_eq(
        count_notes(imp, INDIGO_USED, "/data/investments/17/maximum_potential_return/value"), 1);
    const char *what[] = {"moic", "irr", "received", "loss"};
    for (size_t k = 0; k < 4; k++) {
        cr_assert_eq(tranche_mean(imp, name0, what[k]), tranche_mean(hand, "DEBT", what[k]), "%s",
                     what[k]);
        cr_assert_eq(tranche_mean(imp, name1, what[k]), tranche_mean(hand, "EQUITY", what[k]), "%s",
                     what[k]);
    }
    free(name0);
    free(name1);
    indigo_import_free(imp);
    indigo_import_free(hand);
}

/* Why the merge is exact: investors on the same terms, as tranches of
 * their own side by side (100,000, 200,000 and 300,000), each get the
 * money multiple of the one tranche of their sum, and what it receives in
 * the shares 1/6, 2/6 and 3/6 of their commitments. */
static void three_on_one_terms(cJSON *data) {
    cJSON *rows = cJSON_CreateArray();
    cJSON_AddItemToArray(rows, investment_row("A", 100000, "Debt", 0.08, 0.5));
    cJSON_AddItemToArray(rows, investment_row("B", 200000, "Debt", 0.08, 0.5));
    cJSON_AddItemToArray(rows, investment_row("C", 300000, "Debt", 0.08, 0.5));
    cJSON_ReplaceItemInObjectCaseSensitive(data, "investments", rows);
}

static void one_of_their_sum(cJSON *data) {
    cJSON *rows = cJSON_CreateArray();
    cJSON_AddItemToArray(rows, investment_row("ALL", 600000, "Debt", 0.08, 0.5));
    cJSON_ReplaceItemInObjectCaseSensitive(data, "investments", rows);
}

Test(indigo, investors_on_the_same_terms_are_paid_as_shares_of_one_tranche) {
    indigo_import *three = NULL, *one = NULL;
    sib_error err;
    cr_assert_eq(import_edited(three_on_one_terms, &three, &err), SIB_OK, "%s", err.message);
    cr_assert_eq(import_edited(one_of_their_sum, &one, &err), SIB_OK, "%s", err.message);
    const double moic = tranche_mean(one, "ALL", "moic"),
                 got = tranche_mean(one, "ALL", "received");
    cr_assert(got > 0, "the test tests nothing: nothing received");
    const char *name[3] = {"A", "B", "C"};
    for (int k = 0; k < 3; k++) {
        cr_assert_float_eq(tranche_mean(three, name[k], "moic"), moic, 1e-12 * moic, "%s", name[k]);
        cr_assert_float_eq(tranche_mean(three, name[k], "received"), got * (k + 1) / 6.0,
                           1e-9 * got, "%s", name[k]);
    }
    indigo_import_free(three);
    indigo_import_free(one);
}

/* A service of 30 years: 60 cohorts of half a year, as the assumption
 * says (they were cut to 40 of 0.75 years). */
static void thirty_years(cJSON *data) {
    cJSON *dates = cJSON_GetObjectItemCaseSensitive(data, "dates");
    cJSON_DeleteItemFromObjectCaseSensitive(dates, "actual_end_date_of_service_provision");
    cJSON_DeleteItemFromObjectCaseSensitive(dates, "anticipated_duration_of_service_provision");
    cJSON *end =
        cJSON_GetObjectItemCaseSensitive(dates, "anticipated_end_date_of_service_provision");
    cJSON_ReplaceItemInObjectCaseSensitive(end, "value", cJSON_CreateString("2049-04"));
}

Test(indigo, a_long_service_keeps_cohorts_of_half_a_year) {
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(import_edited(thirty_years, &imp, &err), SIB_OK, "%s", err.message);
    EQ(imp, "/stages/0/duration", 30);
    EQ(imp, "/stages/0/cohorts", 60);
    EQ(imp, "/stages/0/cohorts/1/entry", 0.5);
    EQ(imp, "/stages/0/cohorts/59/size", 10); /* 600 / 60 */
    scenario *sc = must_load_string(imp->scenario);
    scenario_free(sc);
    indigo_import_free(imp);
}

/* A service of 130 years is cut to the import's 100, and said. */
static void a_century_and_more(cJSON *data) {
    thirty_years(data);
    cJSON *end = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(data, "dates"),
                                                  "anticipated_end_date_of_service_provision");
    cJSON_ReplaceItemInObjectCaseSensitive(end, "value", cJSON_CreateString("2149-04"));
}

Test(indigo, a_service_over_100_years_is_cut_with_a_warning) {
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(import_edited(a_century_and_more, &imp, &err), SIB_OK, "%s", err.message);
    EQ(imp, "/stages/0/duration", 100);
    EQ(imp, "/stages/0/cohorts", 200);
    cr_assert_eq(count_notes(imp, INDIGO_WARNING, "/data/dates"), 1);
    indigo_import_free(imp);
}

/* Two outcome metrics whose ids agree in their first 60 bytes. The second
 * was dropped as "a second metric with the same id", and the prices and
 * results of both, naming their whole id, found no metric. */
static void two_long_metric_ids(cJSON *data) {
    static const char *const ids[] = {
        "Participant engaged in the programme and an action plan agreed: first year",
        "Participant engaged in the programme and an action plan agreed: second year"};
    const char *const keys[] = {"outcome_metrics", "outcome_pricings", "results"};
    for (int a = 0; a < 3; a++) {
        cJSON *rows = cJSON_GetObjectItemCaseSensitive(data, keys[a]);
        for (int k = 0; k < 2; k++) {
            cJSON *row = cJSON_GetArrayItem(rows, a == 2 ? k + 1 : k);
            if (a == 0)
                cJSON_ReplaceItemInObjectCaseSensitive(row, "id", cJSON_CreateString(ids[k]));
            else
                cJSON_ReplaceItemInObjectCaseSensitive(
                    cJSON_GetObjectItemCaseSensitive(row, "outcome_metric_id"), "value",
                    cJSON_CreateString(ids[k]));
        }
    }
    /* The first result of the first metric names it too. */
    cJSON_ReplaceItemInObjectCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(
            cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(data, "results"), 0),
            "outcome_metric_id"),
        "value", cJSON_CreateString(ids[0]));
}

Test(indigo, metrics_whose_long_ids_agree_in_60_bytes_stay_two_with_their_prices) {
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(import_edited(two_long_metric_ids, &imp, &err), SIB_OK, "%s", err.message);
    EQ(imp, "/outcomes", 3);
    EQ(imp, "/contract/payments/0/price", 1000);
    EQ(imp, "/contract/payments/1/price", 3000);
    char *a = text_at(imp, "/outcomes/0/name"), *b = text_at(imp, "/outcomes/1/name");
    cr_assert_str_neq(a, b);
    free(a);
    free(b);
    cr_assert_eq(count_notes(imp, INDIGO_SKIPPED, "/data/outcome_metrics/1"), 0);
    cr_assert_eq(count_notes(imp, INDIGO_WARNING, "/data/outcome_metrics/1"), 1,
                 "the cut name is said");
    scenario *sc = must_load_string(imp->scenario);
    scenario_free(sc);
    indigo_import_free(imp);
}

/* An Interim commitment beside its organisation's Overall one: the fixture's
 * payer INDIGO-ORG-9101 commits 1,600,000 Overall, and a row for its first
 * year's outcomes says 400,000 Interim. The standard's Overall row is the
 * whole project, which holds the year: the two were added (2,000,000), so
 * that the payers' commitments (2,800,000) no longer matched the project's
 * cap (2,400,000) and the payer's share of each payment rose from 2/3 to
 * 5/7. A payer with Interim rows alone adds them (two years: 1,000,000 and
 * 1,400,000 stand for INDIGO-ORG-9102's 2,400,000 in the next test). */
static void interim_beside_overall(cJSON *data) {
    cJSON *rows = cJSON_GetObjectItemCaseSensitive(data, "outcome_payment_commitments");
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "organisation_id"), "value",
                            "INDIGO-ORG-9101");
    cJSON_AddItemToObject(r, "maximum_potential_outcome_payment", gbp(400000));
    cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "result_type"), "value", " interim ");
    cJSON_AddStringToObject(r, "status", "PUBLIC");
    cJSON_AddItemToArray(rows, r);
}

Test(indigo, an_interim_commitment_is_not_added_to_its_organisations_overall_one) {
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(import_edited(interim_beside_overall, &imp, &err), SIB_OK, "%s", err.message);
    EQ(imp, "/contract/payers", 2);
    EQ(imp, "/contract/payers/0/cap", 1600000);
    EQ(imp, "/contract/payers/1/cap", 800000);
    cr_assert_float_eq(at(imp, "/contract/payers/0/share"), 2.0 / 3, 1e-12);
    cr_assert_eq(count_notes(imp, INDIGO_WARNING, NULL), 0, "the commitments add up to the cap");
    cr_assert_eq(count_notes(imp, INDIGO_SKIPPED, "/data/outcome_payment_commitments/2"), 1,
                 "the Interim row is said to be left out");
    indigo_import_free(imp);
}

static void interim_rows_alone(cJSON *data) {
    cJSON *rows = cJSON_GetObjectItemCaseSensitive(data, "outcome_payment_commitments");
    cJSON *second = cJSON_GetArrayItem(rows, 1);
    cJSON_ReplaceItemInObjectCaseSensitive(second, "maximum_potential_outcome_payment",
                                           gbp(1000000));
    cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(second, "result_type"),
                                           "value", cJSON_CreateString("Interim"));
    cJSON *r = cJSON_Duplicate(second, 1);
    cJSON_ReplaceItemInObjectCaseSensitive(r, "maximum_potential_outcome_payment", gbp(1400000));
    cJSON_AddItemToArray(rows, r);
    /* The first payer's Overall row gives way, so that 9102 carries the cap. */
    cJSON_DeleteItemFromArray(rows, 0);
}

Test(indigo, interim_commitments_alone_add_up) {
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(import_edited(interim_rows_alone, &imp, &err), SIB_OK, "%s", err.message);
    EQ(imp, "/contract/payers", 1);
    EQ(imp, "/contract/payers/0/cap", 2400000);
    cr_assert_eq(count_notes(imp, INDIGO_WARNING, NULL), 0, "the commitments add up to the cap");
    indigo_import_free(imp);
}

/* 260 metrics; the last has two interim results, the later (2021: 50)
 * listed before the earlier (2020: 10). The latest interim result is the
 * one used, for the 257th metric and on as for the first 256 (whose
 * dates alone were kept: after them the last row listed won). */
static void many_metrics(cJSON *data) {
    cJSON *ms = cJSON_CreateArray(), *res = cJSON_CreateArray();
    for (int k = 0; k < 260; k++) {
        cJSON *mt = cJSON_CreateObject();
        char id[32];
        snprintf(id, sizeof id, "m%d", k + 1);
        cJSON_AddStringToObject(mt, "id", id);
        cJSON_AddItemToArray(ms, mt);
    }
    for (int k = 0; k < 2; k++) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "outcome_metric_id"), "value", "m260");
        cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "result_type"), "value", "Interim");
        cJSON_AddStringToObject(
            cJSON_AddObjectToObject(cJSON_AddObjectToObject(r, "period"), "end_date"), "value",
            k ? "2020-04" : "2021-04");
        cJSON_AddNumberToObject(cJSON_AddObjectToObject(r, "outcomes_achieved"), "value",
                                k ? 10 : 50);
        cJSON_AddItemToArray(res, r);
    }
    cJSON_ReplaceItemInObjectCaseSensitive(data, "outcome_metrics", ms);
    cJSON_ReplaceItemInObjectCaseSensitive(data, "results", res);
    cJSON_DeleteItemFromObjectCaseSensitive(data, "outcome_pricings");
}

Test(indigo, the_latest_interim_result_is_used_for_every_metric) {
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(import_edited(many_metrics, &imp, &err), SIB_OK, "%s", err.message);
    cJSON *root = cJSON_Parse(imp->scenario);
    const cJSON *r, *rs = cJSON_GetObjectItemCaseSensitive(
                        cJSON_GetObjectItemCaseSensitive(root, "realised"), "results");
    double total = 0;
    cJSON_ArrayForEach(r, rs) {
        cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(r, "outcome")->valuestring, "m260");
        total += cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r, "treated"),
                                                  "total")
                     ->valuedouble;
    }
    cr_assert_float_eq(total, 50, 1e-9, "the 2021 result, 50: found %g", total);
    cJSON_Delete(root);
    indigo_import_free(imp);
}

/* An id of 100 characters: kept whole (it was cut to 63 bytes), in the
 * import and in the scenario's name. */
#define LONG_ID                                                                                    \
    "INDIGO-POJ-9001-a-project-id-of-ninety-nine-characters-that-a-sixty-four-byte-buffer-would-"  \
    "cut-"                                                                                         \
    "short"

Test(indigo, a_long_project_id_is_kept_whole) {
    char *text = repo_text("tests/indigo/full.json");
    cJSON *root = cJSON_Parse(text);
    free(text);
    cJSON_ReplaceItemInObjectCaseSensitive(root, "id", cJSON_CreateString(LONG_ID));
    char *edited = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    indigo_import *imp = NULL;
    sib_error err;
    indigo_options opt = {.provenance = 1};
    cr_assert_eq(indigo_import_record(edited, "<t>", &opt, &imp, &err), SIB_OK, "%s", err.message);
    free(edited);
    cr_assert_gt(strlen(LONG_ID), 64);
    cr_assert_str_eq(imp->id, LONG_ID);
    char *name = text_at(imp, "/name");
    cr_assert(strstr(name, "(" LONG_ID ")") != NULL, "%s", name);
    free(name);
    scenario *sc = must_load_string(imp->scenario);
    scenario_free(sc);
    indigo_import_free(imp);
}

/* A maximum return longer than a percentage is written: not read from its
 * first 63 bytes (here "0.05" and blanks) as if they were all of it. */
static void long_return(cJSON *data) {
    cJSON *inv = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(data, "investments"), 0);
    char v[128];
    snprintf(v, sizeof v, "0.05%70s", "bp");
    cJSON_ReplaceItemInObjectCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(inv, "maximum_potential_return"), "value",
        cJSON_CreateString(v));
}

Test(indigo, a_long_maximum_return_is_not_read_from_its_start) {
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(import_edited(long_return, &imp, &err), SIB_OK, "%s", err.message);
    cr_assert(isnan(at(imp, "/financing/0/tranches/0/return_cap")), "no cap from a cut value");
    cr_assert_eq(
        count_notes(imp, INDIGO_SKIPPED, "/data/investments/0/maximum_potential_return/value"), 1);
    indigo_import_free(imp);
}

/* A project's name longer than the 255 bytes the import keeps is cut, and
 * the cut is said (a warning at the name). */
static void long_name(cJSON *data) {
    char v[400];
    memset(v, 'x', 300);
    v[300] = '\0';
    cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(data, "name"), "value",
                                           cJSON_CreateString(v));
}

Test(indigo, a_name_cut_to_255_bytes_is_said) {
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(import_edited(long_name, &imp, &err), SIB_OK, "%s", err.message);
    cr_assert_eq(strlen(imp->name), 255);
    cr_assert_eq(count_notes(imp, INDIGO_WARNING, "/data/name/value"), 1);
    indigo_import_free(imp);
}

/* -------------------------------------------- the project's investor terms */

/* /overall_project_finance gives a maximum return and loss "for each
 * investor, if different": an investment whose row gives none takes the
 * project's. They were dropped without a word when the record had
 * investments (the project's loss always), leaving the tranches uncapped
 * and unprotected. */
static void project_terms_only_for_the_first(cJSON *data) {
    cJSON *inv0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(data, "investments"), 0);
    cJSON_DeleteItemFromObjectCaseSensitive(inv0, "maximum_potential_return");
    cJSON_DeleteItemFromObjectCaseSensitive(inv0, "maximum_potential_return_type");
    cJSON_DeleteItemFromObjectCaseSensitive(inv0, "maximum_potential_loss");
    cJSON *opf = cJSON_GetObjectItemCaseSensitive(data, "overall_project_finance");
    cJSON_AddStringToObject(cJSON_AddObjectToObject(opf, "maximum_potential_loss"), "value", "20%");
}

Test(indigo, the_projects_return_and_loss_apply_to_investments_that_give_none) {
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(import_edited(project_terms_only_for_the_first, &imp, &err), SIB_OK, "%s",
                 err.message);
    /* investment 1 (700,000) gives none: the project's IRR of 0.1 and loss
     * of 20%, pro-rata cover of 80% up to 0.8 x 700,000 = 560,000 */
    EQ(imp, "/financing/0/tranches/0/return_cap", 0.1);
    EQ(imp, "/financing/0/guarantees/0/share", 0.8);
    EQ(imp, "/financing/0/guarantees/0/max", 560000);
    /* investment 2 keeps its own: 12%, and 50% cover up to 150,000 */
    EQ(imp, "/financing/0/tranches/1/return_cap", 0.12);
    EQ(imp, "/financing/0/guarantees/1/share", 0.5);
    EQ(imp, "/financing/0/guarantees/1/max", 150000);
    cr_assert_eq(
        count_notes(imp, INDIGO_USED, "/data/overall_project_finance/maximum_potential_loss/value"),
        1);
    scenario *sc = scenario_load_string(imp->scenario, "imported.json", &err);
    cr_assert_not_null(sc, "%s", err.message);
    scenario_free(sc);
    indigo_import_free(imp);
}

static void no_investments_project_loss(cJSON *data) {
    cJSON_DeleteItemFromObjectCaseSensitive(data, "investments");
    cJSON *opf = cJSON_GetObjectItemCaseSensitive(data, "overall_project_finance");
    cJSON_AddStringToObject(cJSON_AddObjectToObject(opf, "maximum_potential_loss"), "value",
                            "0.25");
}

Test(indigo, the_one_tranche_of_the_capital_takes_the_projects_loss) {
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(import_edited(no_investments_project_loss, &imp, &err), SIB_OK, "%s", err.message);
    /* capital 1,000,000; loss 25%: cover of 75% up to 750,000; IRR 10% */
    EQ(imp, "/financing/0/tranches/0/commitment", 1000000);
    EQ(imp, "/financing/0/tranches/0/return_cap", 0.1);
    EQ(imp, "/financing/0/guarantees/0/share", 0.75);
    EQ(imp, "/financing/0/guarantees/0/max", 750000);
    indigo_import_free(imp);
}

/* --------------------------------------------- a maximum return of 1 */

/* A bare 1 is 1% written in percent or 100% written as a fraction. The
 * import reads it as the fraction, 100% a year, as it reads any bare number
 * up to 1 (and as the INDIGO export writes shares): it did so without a
 * word; it now says so at the value's pointer, with what it read. */
static const char *return_written;
static void return_as_written(cJSON *data) {
    cJSON *inv = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(data, "investments"), 0);
    cJSON *leaf = cJSON_GetObjectItemCaseSensitive(inv, "maximum_potential_return");
    cJSON *v = return_written[0] == '#' ? cJSON_CreateNumber(atof(return_written + 1))
                                        : cJSON_CreateString(return_written);
    cJSON_ReplaceItemInObjectCaseSensitive(leaf, "value", v);
}

/* The text of the one warning at pointer p, or NULL when there is none. */
static const char *warning_at(const indigo_import *imp, const char *p) {
    const char *text = NULL;
    for (size_t i = 0; i < imp->n_notes; i++)
        if (imp->notes[i].kind == INDIGO_WARNING && strcmp(imp->notes[i].pointer, p) == 0) {
            cr_assert_null(text, "two warnings at %s", p);
            text = imp->notes[i].text;
        }
    return text;
}

Test(indigo, a_maximum_return_of_a_bare_1_is_read_as_100_percent_with_a_warning) {
    static const char ptr[] = "/data/investments/0/maximum_potential_return/value";
    /* written as, the cap read, and whether it is said to be ambiguous */
    static const struct {
        const char *written;
        double cap;
        const char *said; /* the value as the warning quotes it, or NULL: none */
    } cases[] = {
        {"#1", 1, "a maximum return of 1 is read as 100% a year"},
        {"1", 1, "a maximum return of \"1\" is read as 100% a year"},
        {" 1.0 ", 1, "a maximum return of \" 1.0 \" is read as 100% a year"},
        {"1%", 0.01, NULL},
        {"100%", 1, NULL},
        {"#0.01", 0.01, NULL},
        {"#8", 0.08, NULL},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        indigo_import *imp = NULL;
        sib_error err;
        return_written = cases[k].written;
        cr_assert_eq(import_edited(return_as_written, &imp, &err), SIB_OK, "%s", err.message);
        EQ(imp, "/financing/0/tranches/0/return_cap", cases[k].cap);
        const char *w = warning_at(imp, ptr);
        if (cases[k].said == NULL)
            cr_assert_null(w, "%s: %s", cases[k].written, w);
        else {
            cr_assert_not_null(w, "%s: no warning", cases[k].written);
            cr_assert(strstr(w, cases[k].said) != NULL, "%s", w);
            cr_assert(strstr(w, "if 1% was meant, write 0.01 or \"1%\"") != NULL, "%s", w);
        }
        indigo_import_free(imp);
    }
}

/* In the CSV export, the warning names the cell: file, row and column. */
Test(indigo, csv_a_maximum_return_of_1_is_said_with_its_row_and_column) {
    static const char projects[] =
        "ID,Impact Bond Name - (Value),Overall project finance - Total investment commitment - "
        "Currency - (Value)\n"
        "INDIGO-POJ-0007,One Percent Or All,GBP\n";
    static const char investments[] =
        "Project ID,Id,Investment Commitment - Currency - (Value),"
        "Investment Commitment - Amount - Exact - (Value),Maximum Potential Return Type - (Value),"
        "Maximum Potential Return - (Value)\n"
        "INDIGO-POJ-0007,investment1,GBP,400000,IRR,0.066\n"
        "INDIGO-POJ-0007,investment2,GBP,100000,IRR,1\n";
    indigo_import *imp;
    sib_error err;
    int rc = import_export(projects, investments, "INDIGO-POJ-0007", &imp, &err);
    cr_assert_eq(rc, SIB_OK, "%s", err.message);
    EQ(imp, "/financing/0/tranches/0/return_cap", 0.066);
    EQ(imp, "/financing/0/tranches/1/return_cap", 1);
    cr_assert_null(warning_at(imp, "/investments/0/maximum_potential_return/value"));
    const char *w = warning_at(imp, "/investments/1/maximum_potential_return/value");
    cr_assert_not_null(w);
    cr_assert(strstr(w, "a maximum return of \"1\" (original_projects_investments.csv, row 3, "
                        "column \"Maximum Potential Return - (Value)\") is read as 100% a year") !=
                  NULL,
              "%s", w);
    indigo_import_free(imp);
}

/* ---------------------------------------- payers that give only some sums */

/* Without a project cap, the sum of the commitments of the payers that
 * give one is not the cap when another payer gives none: it was taken as
 * the cap ("the sum of the outcome payers' maximum commitments"), which
 * understated it. Likewise one payer's total paid stood for the
 * project's payments made, which backtest then failed to reproduce. */
static void one_payer_silent(cJSON *data) {
    cJSON *opf = cJSON_GetObjectItemCaseSensitive(data, "overall_project_finance");
    cJSON_DeleteItemFromObjectCaseSensitive(opf, "maximum_potential_outcome_payment_v2");
    cJSON_DeleteItemFromObjectCaseSensitive(opf, "total_outcome_payments_made");
    cJSON *p1 = cJSON_GetArrayItem(
        cJSON_GetObjectItemCaseSensitive(data, "outcome_payment_commitments"), 1);
    cJSON_DeleteItemFromObjectCaseSensitive(p1, "maximum_potential_outcome_payment");
    cJSON_DeleteItemFromObjectCaseSensitive(p1, "total_outcome_payments");
}

Test(indigo, payers_that_give_only_some_commitments_do_not_make_the_cap) {
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(import_edited(one_payer_silent, &imp, &err), SIB_OK, "%s", err.message);
    /* capital GBP 1,000,000 x 4.17 (the median cap / capital in pounds) =
     * 4,170,000, above the one known commitment of 1,600,000 */
    EQ(imp, "/contract/cap", 4170000);
    /* payer 1 alone paid 1,400,000: not the project's payments made */
    cr_assert(isnan(at(imp, "/realised/reported")), "no payments made to reproduce");
    cr_assert_eq(count_notes(imp, INDIGO_WARNING, "/data/outcome_payment_commitments"), 2);
    indigo_import_free(imp);
}

/* With the known commitments above the default, they are the cap. */
static void one_payer_silent_one_large(cJSON *data) {
    one_payer_silent(data);
    cJSON *p0 = cJSON_GetArrayItem(
        cJSON_GetObjectItemCaseSensitive(data, "outcome_payment_commitments"), 0);
    cJSON_ReplaceItemInObjectCaseSensitive(p0, "maximum_potential_outcome_payment", gbp(5000000));
}

Test(indigo, the_known_commitments_are_the_least_the_cap_can_be) {
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(import_edited(one_payer_silent_one_large, &imp, &err), SIB_OK, "%s", err.message);
    EQ(imp, "/contract/cap", 5000000); /* max(4,170,000, 5,000,000) */
    indigo_import_free(imp);
}

/* ---------------------------------------------------- cells of blanks */

/* A cell holding only blanks looks empty in a spreadsheet, and is read as
 * empty: it stopped the import as a malformed number or date (exit 2),
 * and a name of blanks named the scenario "  , imported from INDIGO". */
Test(indigo, a_value_of_blanks_only_is_absent) {
    static const char projects[] =
        "ID,Impact Bond Name - (Value),Dates - Start date of service provision - (Value),"
        "Overall project finance - Total investment commitment - Currency - (Value),"
        "Overall project finance - Total investment commitment - Amount - Exact - (Value),"
        "Service and beneficiaries - Targeted number of unique service users or beneficiaries "
        "(total) - (Value)\r\n"
        "INDIGO-POJ-0001,  ,\t, USD ,500000,  \r\n";
    indigo_import *imp;
    sib_error err;
    int rc = import_export(projects, NULL, "INDIGO-POJ-0001", &imp, &err);
    cr_assert_eq(rc, SIB_OK, "%s", err.message);
    cr_assert_str_eq(imp->name, "an INDIGO project");
    /* no users: the record's median, 431; no dates: 3.33 years */
    EQ(imp, "/stages/0/duration", 3.33);
    double users = 0;
    for (int k = 0; k < (int)at(imp, "/stages/0/cohorts"); k++) {
        char p[64];
        snprintf(p, sizeof p, "/stages/0/cohorts/%d/size", k);
        users += at(imp, p);
    }
    cr_assert_float_eq(users, 431, 1e-9);
    EQ(imp, "/financing/0/tranches/0/commitment", 500000);
    indigo_import_free(imp);
}

/* ------------------------------------------------ cohorts add up to users */

/* Cohorts of users / nc, rounded, with the rest in the last: when the
 * rounding took every user before the last cohort, it was given one
 * person more than the record has (18 users in 7 cohorts: 6 x 3 + 1 =
 * 19; 11 users: 6 x 2 + 1 = 13). */
Test(indigo, the_cohorts_add_up_to_the_targeted_users) {
    const double users[] = {18, 11, 8, 431};
    /* by hand, 3.33 years in 7 cohorts: 18 -> 6 x floor(18 / 7) = 12 and
     * 6; 11 -> 6 x 1 and 5; 8 -> 6 x 1 and 2; 431 -> 6 x 62 and 59 */
    const double each[] = {2, 1, 1, 62}, last[] = {6, 5, 2, 59};
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
        char rec[256];
        snprintf(rec, sizeof rec,
                 "{\"service_and_beneficiaries\": "
                 "{\"targeted_number_service_users_or_beneficiaries_total\": {\"value\": %g}}}",
                 users[i]);
        indigo_import *imp = NULL;
        sib_error err;
        cr_assert_eq(indigo_import_record(rec, "<t>", NULL, &imp, &err), SIB_OK, "%s", err.message);
        EQ(imp, "/stages/0/cohorts", 7);
        double sum = 0;
        for (int k = 0; k < 7; k++) {
            char p[64];
            snprintf(p, sizeof p, "/stages/0/cohorts/%d/size", k);
            EQ(imp, p, k < 6 ? each[i] : last[i]);
            sum += at(imp, p);
        }
        cr_assert_float_eq(sum, users[i], 1e-9, "%g users, %g in the cohorts", users[i], sum);
        indigo_import_free(imp);
    }
}

/* A metric's target of more than 1e8 outcomes per service user made an
 * effect prior the loader refuses (its draw reaches 3 x target / users,
 * above the 1e9 a scenario allows): the import said "the scenario made
 * from the record does not load (a defect of the importer)" and exited 1.
 * It is bad input, at the target's pointer (exit 2); --lenient leaves it
 * out. */
Test(indigo, a_target_of_more_than_1e8_outcomes_per_user_is_refused_at_its_pointer) {
    static const char rec[] =
        "{\"service_and_beneficiaries\": "
        "{\"targeted_number_service_users_or_beneficiaries_total\": {\"value\": 2}},"
        " \"outcome_metrics\": [{\"id\": \"m\", "
        "\"targeted_number_of_service_users_or_beneficiaries_total\": {\"value\": 1e9}}]}";
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(indigo_import_record(rec, "<t>", NULL, &imp, &err), SIB_EINVAL);
    cr_assert_str_eq(err.pointer,
                     "/outcome_metrics/0/targeted_number_of_service_users_or_beneficiaries_total/"
                     "value");
    cr_assert(strstr(err.message, "at most 2e+08), found 1000000000") != NULL, "%s", err.message);
    indigo_options lenient = {.provenance = 1, .lenient = 1};
    cr_assert_eq(indigo_import_record(rec, "<t>", &lenient, &imp, &err), SIB_OK, "%s", err.message);
    EQ(imp, "/outcomes/0/effect/prior/scale", 1); /* the target left out: one per user */
    scenario *sc = scenario_load_string(imp->scenario, "imported.json", &err);
    cr_assert_not_null(sc, "%s", err.message);
    scenario_free(sc);
    indigo_import_free(imp);
}

/* A project listed twice in original_projects.csv was read as one row,
 * the later row's cells written over the earlier's: two projects' figures
 * merged (the first's currency with the second's capital) without a word.
 * It is refused, naming both rows. */
Test(indigo, csv_a_project_listed_twice_is_refused_naming_both_rows) {
    static const char projects[] =
        "ID,Impact Bond Name - (Value),"
        "Overall project finance - Total investment commitment - Currency - (Value),"
        "Overall project finance - Total investment commitment - Amount - Exact - (Value)\n"
        "INDIGO-POJ-0001,First,USD,500000\n"
        "INDIGO-POJ-0002,Other,GBP,100000\n"
        "INDIGO-POJ-0001,Second,,900000\n";
    char dir[] = "/tmp/sibsim-indigo-XXXXXX";
    write_export(dir, projects, NULL);
    indigo_import *imp = NULL;
    sib_error err;
    int rc = indigo_import_csv(dir, "INDIGO-POJ-0001", NULL, &imp, &err);
    cr_assert_eq(rc, SIB_EINVAL);
    cr_assert_null(imp);
    cr_assert(strstr(err.file, "original_projects.csv") != NULL, "%s", err.file);
    cr_assert(strstr(err.message, "one row with the ID \"INDIGO-POJ-0001\", found rows 2 and 4") !=
                  NULL,
              "%s", err.message);
    /* the other project, listed once, imports */
    rc = indigo_import_csv(dir, "INDIGO-POJ-0002", NULL, &imp, &err);
    remove_export(dir);
    cr_assert_eq(rc, SIB_OK, "%s", err.message);
    EQ(imp, "/financing/0/tranches/0/commitment", 100000);
    indigo_import_free(imp);
}

/* A number out of range is quoted as the record writes it: 1200.1 was
 * "found 1200.0999999999999", 1e300 "found 1.0000000000000001e+300". */
Test(indigo, a_number_out_of_range_is_quoted_as_written) {
    static const char *recs[][2] = {
        {"{\"dates\": {\"anticipated_duration_of_service_provision\": {\"value\": 1200.1}}}",
         "from 0 to 1200, found 1200.1"},
        {"{\"overall_project_finance\": {\"maximum_potential_outcome_payment_v2\": "
         "{\"currency\": {\"value\": \"USD\"}, \"amount\": {\"value\": 1e300}}}}",
         "from 0 to 1e+15, found 1e+300"}};
    for (size_t i = 0; i < 2; i++) {
        indigo_import *imp = NULL;
        sib_error err;
        cr_assert_eq(indigo_import_record(recs[i][0], "<t>", NULL, &imp, &err), SIB_EINVAL);
        cr_assert(strstr(err.message, recs[i][1]) != NULL, "%s", err.message);
    }
}

/* Blanks around a date are allowed, as around a number or a currency: a
 * spreadsheet's "2019-04 " stopped the import (exit 2). */
Test(indigo, blanks_around_a_date_are_allowed) {
    static const char rec[] =
        "{\"dates\": {\"start_date_of_service_provision\": {\"value\": \" 2019-04 \"},"
        " \"anticipated_end_date_of_service_provision\": {\"value\": \"2022-04 \"}}}";
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(indigo_import_record(rec, "<t>", NULL, &imp, &err), SIB_OK, "%s", err.message);
    EQ(imp, "/stages/0/duration", 3); /* 2022.25 - 2019.25 */
    indigo_import_free(imp);
    double y;
    cr_assert_eq(indigo_parse_date(" 2019-04", &y), -1); /* the parser itself stays strict */
}

/* Two prices for one outcome metric: the last row replaced the first
 * without a word (both listed as used). A rule pays one price: the first
 * row's is used, the second is a warning at its row. */
Test(indigo, a_second_price_for_a_metric_is_a_warning_not_a_silent_replacement) {
    static const char rec[] =
        "{\"service_and_beneficiaries\": "
        "{\"targeted_number_service_users_or_beneficiaries_total\": {\"value\": 100}},"
        " \"outcome_metrics\": [{\"id\": \"m\", "
        "\"targeted_number_of_service_users_or_beneficiaries_total\": {\"value\": 100}}],"
        " \"outcome_pricings\": ["
        "{\"outcome_metric_id\": {\"value\": \"m\"}, \"price_per_unit\": {\"amount\": {\"value\": "
        "1000}}, \"maximum_price_if_all_targets_achieved\": {\"amount\": {\"value\": 100000}}},"
        "{\"outcome_metric_id\": {\"value\": \"m\"}, \"price_per_unit\": {\"amount\": {\"value\": "
        "3000}}, \"maximum_price_if_all_targets_achieved\": {\"amount\": {\"value\": 300000}}}]}";
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(indigo_import_record(rec, "<t>", NULL, &imp, &err), SIB_OK, "%s", err.message);
    EQ(imp, "/contract/payments/0/price", 1000);
    EQ(imp, "/contract/payments/0/cap", 100000);
    cr_assert_eq(count_notes(imp, INDIGO_WARNING, "/outcome_pricings/1"), 1);
    cr_assert_eq(count_notes(imp, INDIGO_USED, "/outcome_pricings/1/price_per_unit/amount/value"),
                 0);
    indigo_import_free(imp);
}
