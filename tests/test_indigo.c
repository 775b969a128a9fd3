/* test_indigo.c -- importing INDIGO records (model/indigo.c,
 * model/indigo_csv.c): dates and amounts, the mapping of the hand-written
 * records of tests/indigo/ against values computed by hand, PRIVATE and
 * DISPUTED values, reconciliation warnings, malformed fields, the CSV
 * export, and import -> load -> run round trips. Edited records (no fixed
 * caps, the project's investor terms, a maximum return of 1, partial
 * payers, blank cells, cohorts and users) are in test_indigo_terms.c; the
 * helpers both share are in indigo_helpers.h. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/indigo.h"
#include "helpers.h"
#include "indigo_helpers.h"

/* ----------------------------------------------------------------- helpers */

static indigo_import *must_import(const char *rel, int provenance) {
    char *text = repo_text(rel);
    indigo_options opt = {.provenance = provenance};
    indigo_import *imp = NULL;
    sib_error err;
    int rc = indigo_import_record(text, rel, &opt, &imp, &err);
    free(text);
    if (rc != SIB_OK) {
        char buf[1200];
        cr_assert_fail("%s does not import: %s", rel, sib_error_format(&err, buf, sizeof buf));
    }
    return imp;
}

static indigo_import *must_import_csv(const char *id, int provenance) {
    indigo_options opt = {.provenance = provenance};
    indigo_import *imp = NULL;
    sib_error err;
    int rc = indigo_import_csv(SIBSIM_SOURCE_DIR "/tests/indigo/csv", id, &opt, &imp, &err);
    if (rc != SIB_OK) {
        char buf[1200];
        cr_assert_fail("csv %s does not import: %s", id, sib_error_format(&err, buf, sizeof buf));
    }
    return imp;
}

/* ------------------------------------------------------- dates, numbers */

Test(indigo, dates_read_as_decimal_years) {
    double y;
    cr_assert_eq(indigo_parse_date("2019", &y), 0);
    cr_assert_float_eq(y, 2019.5, 1e-12);
    cr_assert_eq(indigo_parse_date("2019-04", &y), 0);
    cr_assert_float_eq(y, 2019.25, 1e-12);
    cr_assert_eq(indigo_parse_date("2020-03-01", &y), 0); /* day 61 of a leap year */
    cr_assert_float_eq(y, 2020 + 60.0 / 366, 1e-12);
    cr_assert_eq(indigo_parse_date("2021-12-31", &y), 0);
    cr_assert_float_eq(y, 2021 + 364.0 / 365, 1e-12);
}

Test(indigo, impossible_dates_are_refused) {
    double y;
    const char *bad[] = {"2018-13", "2019-02-29", "2019-00",    "19-01",     "2019/01",
                         "2019-1",  "",           "2019-04-31", "2019-04-1x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(indigo_parse_date(bad[i], &y), -1, "%s", bad[i]);
}

Test(indigo, amounts_are_plain_numbers) {
    double x;
    cr_assert_eq(indigo_parse_number(" 1200.5 ", &x), 0);
    cr_assert_float_eq(x, 1200.5, 1e-12);
    cr_assert_eq(indigo_parse_number("1e6", &x), 0);
    const char *bad[] = {"1,200", "£5", "5k", "inf", "nan", "0x10", "", "  "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(indigo_parse_number(bad[i], &x), -1, "%s", bad[i]);
}

/* ------------------------------------------------------- the full record */

Test(indigo, full_record_maps_timing_and_cohorts) {
    indigo_import *imp = must_import("tests/indigo/full.json", 1);
    cr_assert_str_eq(imp->id, "INDIGO-POJ-9001");
    cr_assert_str_eq(imp->name, "Test Employment Outcomes Partnership");
    EQ(imp, "/stages/0/duration", 3.0);       /* 2019-04 to 2022-04 */
    EQ(imp, "/stages/0/cohorts", 6);          /* half-year cohorts */
    EQ(imp, "/stages/0/cohorts/5/size", 100); /* 600 / 6 */
    EQ(imp, "/stages/0/cohorts/5/entry", 2.5);
    EQ(imp, "/stages/0/cohorts/5/enrolment", 0.5);
    EQ(imp, "/stages/0/costs/fixed_per_year", 333333.33); /* 1m over 3 years, to the cent */
    EQ(imp, "/stages/0/failure_hazard", 0.065);
    cr_assert_eq(imp->mostly_assumed, 0);
    cr_assert_eq(count_notes(imp, INDIGO_WARNING, NULL), 0, "the full record reconciles");
    indigo_import_free(imp);
}

/* Service dates whose end is not after their start are not a duration:
 * the import says so (a warning at the end date) and takes the next
 * source of the duration, here the 36 months the record also gives; with
 * nothing else, the library's median, whose note does not claim that the
 * record gave no dates. */
Test(indigo, an_end_not_after_the_start_is_a_warning) {
    char *text = repo_text("tests/indigo/full.json");
    const char *edited = text_edit(text,
                                   "\"anticipated_end_date_of_service_provision\": {\n"
                                   "        \"value\": \"2022-04\"",
                                   "\"anticipated_end_date_of_service_provision\": {\n"
                                   "        \"value\": \"2018-04\"");
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(indigo_import_record(edited, "<t>", NULL, &imp, &err), SIB_OK, "%s", err.message);
    cr_assert_eq(count_notes(imp, INDIGO_WARNING,
                             "/data/dates/anticipated_end_date_of_service_provision/value"),
                 1);
    EQ(imp, "/stages/0/duration", 36 / 12.0);
    indigo_import_free(imp);

    static const char same[] =
        "{\"name\": \"n\", \"dates\": {"
        "\"start_date_of_service_provision\": {\"value\": \"2019-04\"},"
        "\"anticipated_end_date_of_service_provision\": {\"value\": \"2019-04\"},"
        "\"actual_end_date_of_service_provision\": {\"value\": \"2019-01\"}}}";
    cr_assert_eq(indigo_import_record(same, "<t>", NULL, &imp, &err), SIB_OK, "%s", err.message);
    cr_assert_eq(
        count_notes(imp, INDIGO_WARNING, "/dates/anticipated_end_date_of_service_provision/value"),
        1);
    cr_assert_eq(
        count_notes(imp, INDIGO_WARNING, "/dates/actual_end_date_of_service_provision/value"), 1);
    cr_assert_null(strstr(imp->scenario, "gives no service dates"));
    indigo_import_free(imp);
    free(text);
}

Test(indigo, full_record_maps_money) {
    indigo_import *imp = must_import("tests/indigo/full.json", 1);
    char *cur = text_at(imp, "/currency");
    cr_assert_str_eq(cur, "GBP");
    free(cur);
    EQ(imp, "/contract/cap", 2400000);
    EQ(imp, "/contract/payers/0/share", 1600000.0 / 2400000);
    EQ(imp, "/contract/payers/1/share", 800000.0 / 2400000);
    EQ(imp, "/contract/payers/0/cap", 1600000);
    EQ(imp, "/contract/payers/1/cap", 800000);
    EQ(imp, "/contract/payments/0/price", 1000);
    EQ(imp, "/contract/payments/1/price", 3000);
    EQ(imp, "/contract/payments/2/price", 6000);
    EQ(imp, "/contract/payments/2/cap", 900000);
    /* outcomes: baseline 20% of the target per participant, the prior
     * target/participant x achieved/target, shifted down by the baseline */
    EQ(imp, "/outcomes/1/baseline", 0.2 * 300 / 600);
    EQ(imp, "/outcomes/1/effect/prior/scale", 0.5);
    EQ(imp, "/outcomes/1/effect/prior/shift", -0.1);
    char *from = text_at(imp, "/outcomes/0/effect/prior/from");
    cr_assert_str_eq(from, "indigo:achieved_vs_target:employment");
    free(from);
    /* tranches: debt 8% (written in percent), equity 12% with 50% protection */
    EQ(imp, "/financing/0/tranches/0/commitment", 700000);
    EQ(imp, "/financing/0/tranches/0/return_cap", 0.08);
    EQ(imp, "/financing/0/tranches/1/return_cap", 0.12);
    char *kind = text_at(imp, "/financing/0/tranches/1/kind");
    cr_assert_str_eq(kind, "subordinated");
    free(kind);
    EQ(imp, "/financing/0/guarantees/0/share", 0.5);
    EQ(imp, "/financing/0/guarantees/0/max", 150000);
    indigo_import_free(imp);
}

Test(indigo, full_record_results_become_a_realised_record) {
    indigo_import *imp = must_import("tests/indigo/full.json", 1);
    cr_assert(imp->has_realised);
    /* 18 results: 3 metrics x 6 cohorts; the final count, not the interim one */
    EQ(imp, "/realised/results", 18);
    EQ(imp, "/realised/results/0/treated/total", 540.0 / 6);
    EQ(imp, "/realised/results/0/treated/size", 100 * 540.0 / 600);
    EQ(imp, "/realised/results/6/treated/total", 280.0 / 6);
    EQ(imp, "/realised/reported/0/value", 2100000);
    EQ(imp, "/realised/reported/0/tolerance", 105000);
    indigo_import_free(imp);
}

Test(indigo, every_field_filled_has_an_assumption) {
    indigo_import *imp = must_import("tests/indigo/full.json", 1);
    cJSON *root = cJSON_Parse(imp->scenario);
    const cJSON *as = cJSON_GetObjectItemCaseSensitive(root, "assumptions"), *a;
    cr_assert_eq((size_t)cJSON_GetArraySize(as), imp->n_sourced + imp->n_inferred + imp->n_assumed);
    cJSON_ArrayForEach(a, as) {
        const char *p = cJSON_GetObjectItemCaseSensitive(a, "pointer")->valuestring;
        const char *st = cJSON_GetObjectItemCaseSensitive(a, "status")->valuestring;
        cr_assert(strcmp(st, "sourced") == 0 || strcmp(st, "inferred") == 0 ||
                  strcmp(st, "assumed") == 0);
        cr_assert(strcmp(st, "sourced") != 0 || cJSON_GetObjectItemCaseSensitive(a, "source"),
                  "%s: a sourced assumption cites its source", p);
    }
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "sources")), 2);
    cJSON_Delete(root);
    indigo_import_free(imp);
}

/* ------------------------------------------- sparse, withheld, malformed */

Test(indigo, sparse_record_runs_and_says_it_is_mostly_assumed) {
    indigo_import *imp = must_import("tests/indigo/sparse.json", 1);
    cr_assert(imp->mostly_assumed);
    EQ(imp, "/stages/0/duration", 3.33);      /* the record's median */
    EQ(imp, "/stages/0/cohorts", 7);          /* ceil(3.33 / 0.5) */
    EQ(imp, "/contract/cap", 2000000 * 1.57); /* the USD median of cap / capital */
    EQ(imp, "/contract/payments/0/price", 2000000 * 1.57 / 250); /* the cap over 250 users */
    double total = 0;
    for (int k = 0; k < 7; k++) {
        char p[64];
        snprintf(p, sizeof p, "/stages/0/cohorts/%d/size", k);
        total += at(imp, p);
    }
    cr_assert_float_eq(total, 250, 1e-9);
    char *d = text_at(imp, "/description");
    cr_assert(strncmp(d, "MOSTLY ASSUMED", 14) == 0);
    free(d);
    scenario *sc = must_load_string(imp->scenario);
    engine *e = must_engine(sc);
    sib_error err;
    cr_assert_eq(engine_run(e, 2048, 2, NULL, NULL, &err), SIB_OK);
    engine_free(e);
    scenario_free(sc);
    indigo_import_free(imp);
}

Test(indigo, private_and_disputed_values_are_skipped_and_listed) {
    indigo_import *imp = must_import("tests/indigo/private.json", 0);
    cr_assert_eq(count_notes(imp, INDIGO_SKIPPED, "/data/investments/1"), 1);
    cr_assert_eq(count_notes(imp, INDIGO_SKIPPED, "/data/outcome_pricings/2"), 1);
    cr_assert_geq(count_notes(imp, INDIGO_SKIPPED,
                              "/data/overall_project_finance/maximum_potential_outcome_payment_v2/"
                              "amount/value"),
                  1);
    cr_assert_geq(count_notes(imp, INDIGO_SKIPPED,
                              "/data/service_and_beneficiaries/"
                              "actual_number_service_users_or_beneficiaries_total/value"),
                  1);
    EQ(imp, "/financing/0/tranches", 1);         /* the private investment is left out */
    EQ(imp, "/contract/cap", 1600000 + 1000000); /* the disputed cap: the commitments */
    /* the private price: what the priced metrics leave of the cap over its target */
    EQ(imp, "/contract/payments/2/price", (2600000.0 - 600 * 1000 - 300 * 3000) / 150);
    /* price x achieved, 540k + 840k + 130 x 7,333.33, is not the 1.5m paid (pointers
     * within the API's wrapper start /data) */
    cr_assert_eq(count_notes(imp, INDIGO_WARNING, "/data/results"), 1);
    indigo_import_free(imp);
}

Test(indigo, a_cap_unlike_the_commitments_is_a_warning) {
    const char *rec =
        "{\"overall_project_finance\": {\"maximum_potential_outcome_payment_v2\": "
        "{\"currency\": {\"value\": \"GBP\"}, \"amount\": {\"value\": 1000000}}},"
        " \"outcome_payment_commitments\": [{\"organisation_id\": {\"value\": \"A\"}, "
        "\"maximum_potential_outcome_payment\": {\"currency\": {\"value\": \"GBP\"}, "
        "\"amount\": {\"value\": 900000}}}]}";
    indigo_import *imp;
    sib_error err;
    indigo_options opt = {.provenance = 0};
    cr_assert_eq(indigo_import_record(rec, "<t>", &opt, &imp, &err), SIB_OK, "%s", err.message);
    cr_assert_eq(count_notes(imp, INDIGO_WARNING,
                             "/overall_project_finance/maximum_potential_outcome_payment_v2/"
                             "amount/value"),
                 1);
    EQ(imp, "/contract/cap", 1000000); /* the project's cap binds */
    indigo_import_free(imp);
}

Test(indigo, malformed_date_names_its_pointer) {
    char *text = repo_text("tests/indigo/bad-date.json");
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(indigo_import_record(text, "bad-date.json", NULL, &imp, &err), SIB_EINVAL);
    cr_assert_null(imp);
    cr_assert_str_eq(err.pointer, "/dates/start_date_of_service_provision/value");
    cr_assert(strstr(err.message, "\"2018-13\"") != NULL, "%s", err.message);
    free(text);
}

Test(indigo, malformed_amount_names_its_pointer) {
    char *text = repo_text("tests/indigo/bad-amount.json");
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(indigo_import_record(text, "bad-amount.json", NULL, &imp, &err), SIB_EINVAL);
    cr_assert_str_eq(err.pointer,
                     "/overall_project_finance/total_investment_commitment/amount/exact/value");
    cr_assert(strstr(err.message, "\"1,200,000\"") != NULL, "%s", err.message);
    free(text);
}

Test(indigo, an_error_in_a_wrapped_record_points_into_data) {
    indigo_import *imp = NULL;
    sib_error err;
    const char *rec = "{\"id\": \"X\", \"data\": {\"dates\": "
                      "{\"start_date_of_service_provision\": {\"value\": \"2019-02-30\"}}}}";
    cr_assert_eq(indigo_import_record(rec, "w.json", NULL, &imp, &err), SIB_EINVAL);
    cr_assert_str_eq(err.pointer, "/data/dates/start_date_of_service_provision/value");
}

Test(indigo, a_malformed_currency_names_its_pointer) {
    indigo_import *imp = NULL;
    sib_error err;
    const char *rec = "{\"overall_project_finance\": {\"total_investment_commitment\": "
                      "{\"currency\": {\"value\": \"12%\"}, \"amount\": {\"exact\": "
                      "{\"value\": 5}}}}}";
    cr_assert_eq(indigo_import_record(rec, "c.json", NULL, &imp, &err), SIB_EINVAL);
    cr_assert_str_eq(err.pointer,
                     "/overall_project_finance/total_investment_commitment/currency/value");
}

Test(indigo, rows_that_are_not_objects_are_skipped) {
    indigo_import *imp = NULL;
    sib_error err;
    indigo_options opt = {.provenance = 1};
    cr_assert_eq(indigo_import_record("{\"outcome_metrics\": [1, \"x\"], \"investments\": {}}",
                                      "r.json", &opt, &imp, &err),
                 SIB_OK, "%s", err.message);
    cr_assert_eq(count_notes(imp, INDIGO_SKIPPED, "/outcome_metrics/1"), 1);
    EQ(imp, "/outcomes", 1); /* one outcome per user, as for a record without metrics */
    scenario *sc = must_load_string(imp->scenario);
    scenario_free(sc);
    indigo_import_free(imp);
}

/* text with every `from` replaced by `to` (malloc'd). */
static char *replace_all(const char *text, const char *from, const char *to) {
    size_t n = 0, lf = strlen(from), lt = strlen(to);
    for (const char *p = strstr(text, from); p; p = strstr(p + lf, from)) n++;
    char *out = malloc(strlen(text) + n * lt + 1), *o = out;
    cr_assert_not_null(out);
    for (const char *p = text, *q; *p; p = q + lf) {
        if ((q = strstr(p, from)) == NULL) {
            strcpy(o, p);
            return out;
        }
        memcpy(o, p, (size_t)(q - p));
        o += q - p;
        memcpy(o, to, lt);
        o += lt;
    }
    *o = '\0';
    return out;
}

/* private.json with its PRIVATE marks written as `mark` instead, imported. */
static indigo_import *import_private_as(const char *mark) {
    char *text = repo_text("tests/indigo/private.json");
    char *edited = replace_all(text, "\"status\": \"PRIVATE\"", mark);
    indigo_options opt = {.provenance = 0};
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(indigo_import_record(edited, "p.json", &opt, &imp, &err), SIB_OK, "%s",
                 err.message);
    free(edited);
    free(text);
    return imp;
}

/* A value marked in a case or a word the standard does not write is not
 * taken as public: "Private" is PRIVATE, and "CONFIDENTIAL" or a number
 * withholds too (the import used such values, a confidential investment
 * among the tranches). */
Test(indigo, a_status_other_than_public_withholds_the_value) {
    indigo_import *as_written = import_private_as("\"status\": \"PRIVATE\"");
    EQ(as_written, "/financing/0/tranches", 1); /* the private investment is left out */
    const char *marks[] = {"\"status\": \"Private\"", "\"status\": \" private \"",
                           "\"status\": \"CONFIDENTIAL\"", "\"status\": 3"};
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
        indigo_import *imp = import_private_as(marks[i]);
        cr_assert_str_eq(imp->scenario, as_written->scenario, "%s", marks[i]);
        cr_assert_eq(count_notes(imp, INDIGO_SKIPPED, "/data/investments/1"), 1, "%s", marks[i]);
        indigo_import_free(imp);
    }
    indigo_import *conf = import_private_as("\"status\": \"CONFIDENTIAL\"");
    int said = 0;
    for (size_t i = 0; i < conf->n_notes; i++)
        said += strcmp(conf->notes[i].pointer, "/data/investments/1") == 0 &&
                strstr(conf->notes[i].text, "\"CONFIDENTIAL\", not PUBLIC") != NULL;
    cr_assert_eq(said, 1);
    indigo_import_free(conf);
    /* PUBLIC in another case, and a blank status, are public. */
    indigo_import *pub = import_private_as("\"status\": \"public\"");
    EQ(pub, "/financing/0/tranches", 2);
    indigo_import_free(pub);
    indigo_import *blank = import_private_as("\"status\": \" \"");
    EQ(blank, "/financing/0/tranches", 2);
    indigo_import_free(blank);
    indigo_import_free(as_written);
}

/* A section, or a value's parts, of the wrong type is an error at its
 * pointer: it was read as absent, and the scenario made from defaults
 * (a record's dates as an array gave the library's duration, marked
 * "assumed"). With --lenient it is listed once and read as absent. */
Test(indigo, a_section_of_the_wrong_type_is_an_error_at_its_pointer) {
    const struct {
        const char *rec, *pointer, *found;
    } cases[] = {
        {"{\"dates\": [1, 2], \"investments\": []}", "/dates", "an array"},
        {"{\"dates\": \"2019\"}", "/dates", "\"2019\""},
        {"{\"service_and_beneficiaries\": 5, \"investments\": []}", "/service_and_beneficiaries",
         "5"},
        {"{\"investments\": {\"0\": {}}}", "/investments", "an object"},
        {"{\"outcome_metrics\": 7}", "/outcome_metrics", "7"},
        {"{\"investments\": [{\"investment_commitment\": 500000}]}",
         "/investments/0/investment_commitment", "500000"},
        {"{\"overall_project_finance\": {\"total_investment_commitment\": [5]}}",
         "/overall_project_finance/total_investment_commitment", "an array"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        indigo_import *imp = NULL;
        sib_error err;
        indigo_options strict = {.provenance = 0};
        cr_assert_eq(indigo_import_record(cases[i].rec, "r.json", &strict, &imp, &err), SIB_EINVAL,
                     "%s", cases[i].rec);
        cr_assert_null(imp);
        cr_assert_str_eq(err.pointer, cases[i].pointer);
        cr_assert_not_null(strstr(err.message, cases[i].found), "%s", err.message);
        indigo_options lenient = {.provenance = 0, .lenient = 1};
        cr_assert_eq(indigo_import_record(cases[i].rec, "r.json", &lenient, &imp, &err), SIB_OK,
                     "%s: %s", cases[i].rec, err.message);
        cr_assert_eq(count_notes(imp, INDIGO_SKIPPED, cases[i].pointer), 1, "%s", cases[i].rec);
        indigo_import_free(imp);
    }
}

Test(indigo, lenient_leaves_malformed_values_out_and_lists_them) {
    char *text = repo_text("tests/indigo/bad-amount.json");
    indigo_options opt = {.provenance = 1, .lenient = 1};
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(indigo_import_record(text, "bad-amount.json", &opt, &imp, &err), SIB_OK, "%s",
                 err.message);
    cr_assert_eq(count_notes(imp, INDIGO_SKIPPED,
                             "/overall_project_finance/total_investment_commitment/amount/exact/"
                             "value"),
                 1);
    /* the amount left out, the USD figure of the same commitment is used */
    EQ(imp, "/financing/0/tranches/0/commitment", 2000000);
    indigo_import_free(imp);
    free(text);
}

Test(indigo, a_currency_in_words_and_a_bare_symbol) {
    const char *rec =
        "{\"overall_project_finance\": {\"total_investment_commitment\": {\"currency\": "
        "{\"value\": \"Japanese Yen\"}, \"amount\": {\"exact\": {\"value\": 100000000}}},"
        " \"total_outcome_payments_made\": {\"currency\": {\"value\": \" jpy \"}, "
        "\"amount\": {\"value\": \"$\"}}}}";
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(indigo_import_record(rec, "y.json", NULL, &imp, &err), SIB_OK, "%s", err.message);
    char *cur = text_at(imp, "/currency");
    cr_assert_str_eq(cur, "JPY");
    free(cur);
    EQ(imp, "/financing/0/tranches/0/commitment", 1e8);
    cr_assert_eq(count_notes(imp, INDIGO_WARNING,
                             "/overall_project_finance/total_investment_commitment/currency/value"),
                 1);
    cr_assert_eq(count_notes(imp, INDIGO_SKIPPED,
                             "/overall_project_finance/total_outcome_payments_made/amount/value"),
                 1);
    indigo_import_free(imp);
}

Test(indigo, a_syntax_error_has_line_and_column) {
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(indigo_import_record("{\n  \"name\": ,\n}", "r.json", NULL, &imp, &err),
                 SIB_ESYNTAX);
    cr_assert_eq(err.line, 2);
}

/* A JSON file that is not an INDIGO record -- a sibsim scenario given by
 * mistake, an unrelated object -- has none of the standard's fields: the
 * import refuses it rather than write a scenario of defaults alone. A
 * record whose only field is withheld is a record, imported as sparse. */
Test(indigo, a_file_with_none_of_the_standards_fields_is_refused) {
    const char *not_records[] = {"{\"name\": \"A scenario\", \"stages\": [], \"outcomes\": []}",
                                 "{}", "{\"id\": \"INDIGO-POJ-0001\", \"data\": {\"nmae\": 1}}"};
    for (size_t i = 0; i < 3; i++) {
        indigo_import *imp = NULL;
        sib_error err;
        cr_assert_eq(indigo_import_record(not_records[i], "x.json", NULL, &imp, &err), SIB_EINVAL,
                     "%s", not_records[i]);
        cr_assert_null(imp);
        cr_assert(strstr(err.message, "expected an INDIGO project record") != NULL, "%s",
                  err.message);
    }
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(
        indigo_import_record("{\"name\": \"n\", \"dates\": {\"start_date_of_service_"
                             "provision\": {\"value\": \"2019\", \"status\": \"PRIVATE\"}}}",
                             "x.json", NULL, &imp, &err),
        SIB_OK, "%s", err.message);
    cr_assert(imp->mostly_assumed);
    indigo_import_free(imp);
}

/* ---------------------------------------------------------- CSV export */

Test(indigo, csv_export_gives_the_project) {
    indigo_import *imp = must_import_csv("INDIGO-POJ-9101", 1);
    cr_assert_str_eq(imp->name, "CSV Test Youth Employability Bond");
    char *cur = text_at(imp, "/currency");
    cr_assert_str_eq(cur, "EUR");
    free(cur);
    EQ(imp, "/stages/0/costs/fixed_per_year",
       round(1000000 / (35.0 / 12) * 100) / 100);                /* midpoint of 0.8m and 1.2m */
    EQ(imp, "/stages/0/duration", round(35.0 / 12 * 1e6) / 1e6); /* 2019-01 to 2021-12 */
    EQ(imp, "/contract/cap", 1500000);
    EQ(imp, "/financing/0/tranches", 2); /* the third investment has no amount */
    EQ(imp, "/financing/0/tranches/1/commitment", 400000);
    EQ(imp, "/financing/0/tranches/1/return_cap", 0.066);
    EQ(imp, "/contract/payments/1/price", 3000);
    EQ(imp, "/realised/results", 2 * 6);
    indigo_import_free(imp);
}

Test(indigo, csv_error_names_file_row_and_column) {
    indigo_import *imp = NULL;
    sib_error err;
    cr_assert_eq(indigo_import_csv(SIBSIM_SOURCE_DIR "/tests/indigo/csv/original_projects.csv",
                                   "INDIGO-POJ-9102", NULL, &imp, &err),
                 SIB_EINVAL);
    cr_assert_str_eq(err.pointer, "/dates/start_date_of_service_provision/value");
    cr_assert(strstr(err.message, "original_projects.csv, row 3") != NULL, "%s", err.message);
    cr_assert_eq(indigo_import_csv(SIBSIM_SOURCE_DIR "/tests/indigo/csv", "INDIGO-POJ-0404", NULL,
                                   &imp, &err),
                 SIB_EINVAL);
}

/* A quoted field that is never closed is placed where its quote opens:
 * a line break quoted in an earlier row puts it on a later line of the
 * text than its row's number. */
Test(indigo, csv_an_unclosed_quote_is_placed_at_its_line_and_column) {
    indigo_import *imp;
    sib_error err;
    int rc = import_export("ID,Impact Bond Name - (Value),Stage of Development - (Value)\n"
                           "INDIGO-POJ-0001,\"A name, over\ntwo lines\",Complete\n"
                           "INDIGO-POJ-0002,Caf\xc3\xa9 bond,\"Compl\n",
                           NULL, "INDIGO-POJ-0001", &imp, &err);
    cr_assert_eq(rc, SIB_ESYNTAX);
    /* Line 1 the titles, lines 2-3 the first project, line 4 the second:
     * "INDIGO-POJ-0002,Café bond," is 26 characters, the quote the 27th. */
    cr_assert_eq(err.line, 4, "line %d: %s", err.line, err.message);
    cr_assert_eq(err.col, 27, "col %d: %s", err.col, err.message);
    cr_assert(strstr(err.file, "original_projects.csv") != NULL, "%s", err.file);
}

/* The key columns are found by their titles, wherever they are: a table
 * saved again from a spreadsheet may have them last. A table without its
 * key is an error at its first row, never a table silently left out. */
Test(indigo, csv_key_columns_are_found_by_their_titles) {
    static const char projects[] =
        "Impact Bond Name - (Value),Overall project finance - Total investment commitment - "
        "Currency - (Value),ID\n"
        "Keyed Last,GBP,INDIGO-POJ-0007\n";
    static const char investments[] =
        "Id,Organisation ID - (Value),Investment Commitment - Currency - (Value),"
        "Investment Commitment - Amount - Exact - (Value),Project ID\n"
        "investment1,INDIGO-ORG-0001,GBP,250000,INDIGO-POJ-0008\n"
        "investment1,INDIGO-ORG-0002,GBP,400000,INDIGO-POJ-0007\n"
        "investment2,INDIGO-ORG-0003,GBP,100000, INDIGO-POJ-0007 \n";
    indigo_import *imp;
    sib_error err;
    int rc = import_export(projects, investments, "INDIGO-POJ-0007", &imp, &err);
    cr_assert_eq(rc, SIB_OK, "%s", err.message);
    cr_assert_str_eq(imp->name, "Keyed Last");
    EQ(imp, "/financing/0/tranches", 2); /* the project's two investments, not the other's */
    EQ(imp, "/financing/0/tranches/0/commitment", 400000);
    EQ(imp, "/financing/0/tranches/1/commitment", 100000);
    indigo_import_free(imp);

    rc = import_export(projects,
                       "Id,Investment Commitment - Amount - Exact - (Value)\ninvestment1,400000\n",
                       "INDIGO-POJ-0007", &imp, &err);
    cr_assert_eq(rc, SIB_EINVAL);
    cr_assert(strstr(err.file, "original_projects_investments.csv") != NULL, "%s", err.file);
    cr_assert_eq(err.line, 1);
    cr_assert(strstr(err.message, "\"Project ID\"") != NULL, "%s", err.message);
    cr_assert(strstr(err.message, "found 2 columns, the first \"Id\"") != NULL, "%s", err.message);

    /* A malformed value of the investments table is an error about that
     * table: the message began with the projects table's name, the right
     * one only in a parenthesis at its end. */
    rc = import_export(projects,
                       "Id,Investment Commitment - Amount - Exact - (Value),Project ID\n"
                       "investment1,abc,INDIGO-POJ-0007\n",
                       "INDIGO-POJ-0007", &imp, &err);
    cr_assert_eq(rc, SIB_EINVAL);
    const char *slash = strrchr(err.file, '/');
    cr_assert_str_eq(slash ? slash + 1 : err.file, "original_projects_investments.csv", "%s",
                     err.file);
    cr_assert(strncmp(err.file, "/tmp/sibsim-indigo-", 19) == 0, "%s", err.file); /* beside it */
    cr_assert(strstr(err.message, "row 2, column") != NULL, "%s", err.message);

    /* A table of a project's elements given as the projects table: its
     * "Id" is an element's own id, not the projects' "ID". */
    rc = import_export(investments, NULL, "INDIGO-POJ-0007", &imp, &err);
    cr_assert_eq(rc, SIB_EINVAL);
    cr_assert(strstr(err.message, "\"ID\" (the projects' ids), found 5 columns") != NULL, "%s",
              err.message);

    rc = import_export("Impact Bond Name - (Value)\nNo Key\n", NULL, "INDIGO-POJ-0007", &imp, &err);
    cr_assert_eq(rc, SIB_EINVAL);
    cr_assert(strstr(err.message, "\"ID\"") != NULL, "%s", err.message);
}

/* A value in a cell past the last column title is an error naming the
 * file, the row and the value: it was dropped without a word, and it most
 * often is a comma left out of its quotes, which also moves the row's later
 * values under the wrong titles. Empty trailing cells (a spreadsheet's
 * trailing commas) are nothing to read, and another project's rows are not
 * read at all. */
Test(indigo, csv_a_value_past_the_last_title_is_an_error) {
    static const char projects[] = "ID,Impact Bond Name - (Value),Stage of Development - (Value)\n"
                                   "INDIGO-POJ-0001,Bond, Two,Complete\n"
                                   "INDIGO-POJ-0002,Trailing,Complete,,\n"
                                   "INDIGO-POJ-0003,Other,Complete,stray\n";
    char dir[] = "/tmp/sibsim-indigo-XXXXXX";
    write_export(dir, projects,
                 "Id,Investment Commitment - Amount - Exact - (Value),Project ID\n"
                 "investment1,250000,INDIGO-POJ-0002\n"
                 "investment2,1,000,INDIGO-POJ-0002\n");
    indigo_import *imp = NULL;
    sib_error err;
    int rc = indigo_import_csv(dir, "INDIGO-POJ-0001", NULL, &imp, &err);
    cr_assert_eq(rc, SIB_EINVAL);
    cr_assert(strstr(err.file, "original_projects.csv") != NULL, "%s", err.file);
    cr_assert(strstr(err.message, "row 2 has a value in cell 4, past the 3 column titles") != NULL,
              "%s", err.message);
    cr_assert(strstr(err.message, "found \"Complete\"") != NULL, "%s", err.message);
    /* Project 2: its own row ends in empty cells (fine), but its second
     * investment's "1,000" is two cells. */
    rc = indigo_import_csv(dir, "INDIGO-POJ-0002", NULL, &imp, &err);
    cr_assert_eq(rc, SIB_EINVAL, "%s", err.message);
    cr_assert(strstr(err.file, "original_projects_investments.csv") != NULL, "%s", err.file);
    cr_assert(strstr(err.message, "row 3 has a value in cell 4") != NULL, "%s", err.message);
    cr_assert(strstr(err.message, "found \"INDIGO-POJ-0002\"") != NULL, "%s", err.message);
    remove_export(dir);
}

/* ----------------------------------------------------------- round trips */

Test(indigo, imported_scenarios_load_compile_and_run) {
    const char *recs[] = {"tests/indigo/full.json", "tests/indigo/sparse.json",
                          "tests/indigo/private.json"};
    for (size_t i = 0; i < 4; i++) {
        indigo_import *imp =
            i < 3 ? must_import(recs[i], 1) : must_import_csv("INDIGO-POJ-9101", 1);
        scenario *sc = must_load_string(imp->scenario);
        engine *e = must_engine(sc);
        sib_error err;
        cr_assert_eq(engine_run(e, 2048, 2, NULL, NULL, &err), SIB_OK);
        engine_free(e);
        scenario_free(sc);
        indigo_import_free(imp);
    }
}

/* INDIGO's free text may hold line breaks and stray control characters,
 * which a scenario's names refuse (they would split a table's row, or be
 * taken by a terminal as a command): the import makes each a space, and
 * the scenario it writes loads. */
Test(indigo, control_characters_in_the_record_become_spaces) {
    char *text = repo_text("tests/indigo/sparse.json");
    const char *from = "Sparse Test Project";
    char *at = strstr(text, from);
    cr_assert_not_null(at);
    char rec[8192];
    snprintf(rec, sizeof rec, "%.*sSparse\\nTest\\u0085Project\\u001b[2J\\r%s", (int)(at - text),
             text, at + strlen(from));
    free(text);
    indigo_import *imp = NULL;
    sib_error err;
    indigo_options opt = {.provenance = 0};
    cr_assert_eq(indigo_import_record(rec, "<t>", &opt, &imp, &err), SIB_OK, "%s", err.message);
    scenario *sc = scenario_load_string(imp->scenario, "imported.json", &err);
    cr_assert_not_null(sc, "the import loads: %s", err.message);
    cr_assert(strncmp(sc->name, "Sparse Test Project [2J ", 24) == 0, "%s", sc->name);
    scenario_free(sc);
    indigo_import_free(imp);
}
