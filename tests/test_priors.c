/* test_priors.c -- the INDIGO prior library (model/priors.c): its entries
 * restate the record's figures (checked against the quantiles of the fitted
 * distributions, computed independently with GSL), a scenario's
 * {"from": ...} priors (scale, shift, errors naming the nearest names), and
 * `calibrate`'s comparison (sim/calibrate.c) against the engine's own
 * metrics on the same futures. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

#include "../model/indigo.h"
#include "../model/priors.h"
#include "../sim/calibrate.h"
#include "helpers.h"

static prior_record must_find(const char *name) {
    prior_record r;
    sib_error err;
    cr_assert_eq(prior_library_find(name, &r, &err), SIB_OK, "%s: %s", name, err.message);
    return r;
}

/* ----------------------------------------------------------- the library */

Test(priors, referral_volume_reproduces_the_record_p10) {
    prior_record r = must_find("indigo:referral_volume");
    cr_assert_eq(r.p.kind, PRIOR_NORMAL);
    cr_assert_float_eq(r.median, 1.0, 1e-12);
    cr_assert_float_eq(r.n, 48, 0);
    /* the fitted normal's 10th percentile: 1 + 0.27 z(0.1) = 0.654 vs 0.65 */
    double p10 = r.p.a + r.p.b * gsl_cdf_ugaussian_Pinv(0.10);
    cr_assert_float_eq(p10, r.p10, 0.005, "fitted P10 %g, record %g", p10, r.p10);
    cr_assert_float_eq(r.p.hi, 1.0, 0);
}

Test(priors, achieved_vs_target_sd_gives_the_record_iqr) {
    prior_record r = must_find("indigo:achieved_vs_target");
    double z = gsl_cdf_ugaussian_Pinv(0.75);
    /* the record's quartiles are skewed (0.61, 0.95, 1.16): the normal keeps
     * the median and the width of the interquartile range */
    cr_assert_float_eq(2 * r.p.b * z, r.q3 - r.q1, 0.002, "fitted IQR");
    cr_assert_float_eq(r.p.a, r.median, 1e-12);
}

Test(priors, lognormal_entries_have_the_record_median_and_iqr) {
    const char *names[] = {"indigo:outcome_value_per_user", "indigo:targeted_users",
                           "indigo:price_per_outcome_gbp", "indigo:cap_over_capital:GBP"};
    for (size_t i = 0; i < 4; i++) {
        prior_record r = must_find(names[i]);
        cr_assert_eq(r.p.kind, PRIOR_LOGNORMAL, "%s", names[i]);
        cr_assert_float_eq(exp(r.p.a), r.median, 0.002 * r.median, "%s median", names[i]);
        double q1 = gsl_cdf_lognormal_Pinv(0.25, r.p.a, r.p.b);
        double q3 = gsl_cdf_lognormal_Pinv(0.75, r.p.a, r.p.b);
        /* a lognormal has one spread: the fitted IQR's ratio is the record's */
        cr_assert_float_eq(q3 / q1, r.q3 / r.q1, 0.01 * r.q3 / r.q1, "%s IQR ratio", names[i]);
    }
}

Test(priors, early_termination_hazard_stops_ten_percent_by_the_p10) {
    prior_record r = must_find("indigo:early_termination_hazard");
    cr_assert_eq(r.p.kind, PRIOR_FIXED);
    /* 1 - exp(-h x 0.45 x 3.58) = 0.10 */
    cr_assert_float_eq(1 - exp(-r.p.a * 0.45 * 3.58), 0.10, 0.002);
}

Test(priors, sector_names_are_the_pooled_figure) {
    prior_record a = must_find("indigo:achieved_vs_target");
    prior_record b = must_find("indigo:achieved_vs_target:employment");
    cr_assert_float_eq(a.p.a, b.p.a, 0);
    cr_assert_float_eq(a.p.b, b.p.b, 0);
    cr_assert_gt(prior_library_count(), 20);
    char name[PRIOR_NAME_MAX];
    cr_assert(prior_library_name(0, name, sizeof name));
    cr_assert_str_eq(name, "indigo:referral_volume");
}

Test(priors, an_unknown_name_lists_the_nearest) {
    prior_record r;
    sib_error err;
    cr_assert_eq(prior_library_find("indigo:achieved_vs_target:employmnt", &r, &err), SIB_EINVAL);
    cr_assert(strstr(err.message, "\"indigo:achieved_vs_target:employment\"") != NULL, "%s",
              err.message);
}

/* --------------------------------------------------- "from" in scenarios */

/* A small scenario whose stage volume and effect prior are given. */
static scenario *load_with(const char *volume, const char *effect, sib_error *err) {
    char text[3000];
    snprintf(text, sizeof text,
             "{\"name\": \"t\", \"currency\": \"GBP\", \"simulation\": {\"paths\": 2048},"
             " \"stages\": [{\"name\": \"s\", \"duration\": 2, \"volume\": %s,"
             "   \"cohorts\": [{\"size\": 100}]}],"
             " \"outcomes\": [{\"name\": \"o\", \"kind\": \"count\", \"direction\": "
             "\"higher_is_better\", \"baseline\": 0.1, \"effect\": {\"scale\": \"absolute\", "
             "\"prior\": %s}, \"evaluation\": {\"design\": \"validated_count\"}}],"
             " \"contract\": {\"payments\": [{\"outcome\": \"o\", \"type\": \"per_outcome\", "
             "\"price\": 100}]}}",
             volume, effect);
    return scenario_load_string(text, "<t>", err);
}

Test(priors, a_prior_from_the_library_is_its_distribution) {
    sib_error err;
    scenario *sc = load_with("{\"from\": \"indigo:referral_volume\"}", "0.1", &err);
    cr_assert_not_null(sc, "%s: %s", err.pointer, err.message);
    const prior *v = &sc->stages[0].volume;
    cr_assert_eq(v->kind, PRIOR_NORMAL);
    cr_assert_float_eq(v->a, 1.0, 0);
    cr_assert_float_eq(v->b, 0.27, 0);
    cr_assert_float_eq(v->lo, 0.4, 0);
    cr_assert_float_eq(v->hi, 1.0, 0);
    cr_assert_str_eq(sc->inputs[1].pointer, "/stages/0/volume"); /* an input like any prior */
    scenario_free(sc);
}

Test(priors, scale_and_shift_move_the_distribution) {
    sib_error err;
    scenario *sc = load_with(
        "1", "{\"from\": \"indigo:achieved_vs_target\", \"scale\": 0.5, \"shift\": -0.1}", &err);
    cr_assert_not_null(sc, "%s: %s", err.pointer, err.message);
    const prior *e = &sc->outcomes[0].effect;
    cr_assert_eq(e->kind, PRIOR_NORMAL);
    cr_assert_float_eq(e->a, -0.1 + 0.5 * 0.95, 1e-12);
    cr_assert_float_eq(e->b, 0.5 * 0.4077, 1e-12);
    cr_assert_float_eq(e->lo, -0.1, 1e-12);           /* -0.1 + 0.5 x 0 */
    cr_assert_float_eq(e->hi, -0.1 + 0.5 * 3, 1e-12); /* -0.1 + 0.5 x 3 */
    scenario_free(sc);
    /* a lognormal is scaled through mu: exp(mu + ln k) = k exp(mu) */
    sc = load_with("1", "{\"from\": \"indigo:capital\", \"scale\": 1e-7}", &err);
    cr_assert_not_null(sc, "%s: %s", err.pointer, err.message);
    cr_assert_float_eq(exp(sc->outcomes[0].effect.a), 0.136, 1e-3);
    scenario_free(sc);
}

Test(priors, an_unknown_library_prior_is_an_error_at_from) {
    sib_error err;
    scenario *sc = load_with("{\"from\": \"indigo:referal_volume\"}", "0.1", &err);
    cr_assert_null(sc);
    cr_assert_str_eq(err.pointer, "/stages/0/volume/from");
    cr_assert(strstr(err.message, "\"indigo:referral_volume\"") != NULL, "%s", err.message);
}

Test(priors, a_shifted_lognormal_and_unknown_keys_are_refused) {
    sib_error err;
    cr_assert_null(load_with("1", "{\"from\": \"indigo:capital\", \"shift\": 1}", &err));
    cr_assert(strstr(err.message, "cannot be shifted") != NULL, "%s", err.message);
    cr_assert_null(load_with("{\"from\": \"indigo:referral_volume\", \"mean\": 1}", "0.1", &err));
    cr_assert_str_eq(err.pointer, "/stages/0/volume/mean");
    /* a library prior moved outside the field's bounds: a volume is at most 10 */
    cr_assert_null(
        load_with("{\"from\": \"indigo:achieved_vs_target\", \"scale\": 5}", "0.1", &err));
    cr_assert_str_eq(err.pointer, "/stages/0/volume");
    cr_assert(strstr(err.message, "does not fit here") != NULL, "%s", err.message);
}

/* ------------------------------------------------------------ calibrate */

Test(calibrate, payments_over_a_fixed_cap_match_the_engine) {
    char *text = repo_text("tests/indigo/full.json");
    indigo_options opt = {.provenance = 0};
    indigo_import *imp;
    sib_error err;
    cr_assert_eq(indigo_import_record(text, "full.json", &opt, &imp, &err), SIB_OK);
    free(text);
    scenario *sc = must_load_string(imp->scenario);
    calibrate_result r;
    cr_assert_eq(calibrate_run(sc, 4096, 2, &r, &err), SIB_OK, "%s", err.message);
    cr_assert_eq(r.paths, 4096);
    cr_assert(r.has_cap);
    cr_assert_float_eq(r.cap_fixed, 2400000, 0);
    /* the same futures through the engine alone */
    engine *e = must_engine(sc);
    cr_assert_eq(engine_run(e, 4096, 1, NULL, NULL, &err), SIB_OK);
    stats_summary s;
    engine_summary(e, engine_find_metric(e, "commissioner", "payments.total"), &s);
    cr_assert_float_eq(r.paid_over_cap.mean * 2400000, s.mean, 1e-6 * s.mean);
    engine_summary(e, engine_find_metric(e, "programme", "failed"), &s);
    cr_assert_float_eq(r.p_failed, s.mean, 1e-12);
    cr_assert_eq(r.n_tranches, 2);
    engine_summary(e, engine_find_metric(e, "impact bond", "INDIGO-ORG-9201.full_repayment"), &s);
    cr_assert_float_eq(r.tranche[0].p_full, s.mean, 1e-12);
    cr_assert_str_eq(r.tranche[0].name, "impact bond/INDIGO-ORG-9201");
    cr_assert(r.paid_over_cap.q1 <= r.paid_over_cap.median &&
              r.paid_over_cap.median <= r.paid_over_cap.q3);
    cr_assert_float_eq(r.service_years.median, 3.0, 1e-12);
    calibrate_result_free(&r);
    engine_free(e);
    scenario_free(sc);
    indigo_import_free(imp);
}

Test(calibrate, the_regional_template_is_set_beside_the_record) {
    scenario *sc = must_load_repo_file("scenarios/regional-pilot-to-scale.json");
    calibrate_result r;
    sib_error err;
    cr_assert_eq(calibrate_run(sc, 4096, 2, &r, &err), SIB_OK, "%s", err.message);
    /* no contract cap: each future's cap is the caps of the stages it ran */
    cr_assert(isnan(r.cap_fixed));
    cr_assert(r.has_cap);
    cr_assert_eq(r.paid_over_cap.n, 4096);
    /* the stages end at 2, 5 and 9 years: every quantile is one of them */
    const double q[5] = {r.service_years.p10, r.service_years.q1, r.service_years.median,
                         r.service_years.q3, r.service_years.p90};
    for (int i = 0; i < 5; i++)
        cr_assert(q[i] == 2 || q[i] == 5 || q[i] == 9 || (q[i] > 2 && q[i] < 9), "quantile %d = %g",
                  i, q[i]);
    cr_assert(r.p_paid_90 >= 0 && r.p_paid_90 <= r.p_paid_80 && r.p_paid_80 <= 1);
    cr_assert_geq(r.n_tranches, 1);
    calibrate_result_free(&r);
    scenario_free(sc);
}

/* A scenario of nine structures of two tranches each: calibrate gives every
 * one of the 18 tranches, in order (it kept 16 and dropped the last
 * structure's two without a word), each with the P(full repayment) the
 * engine gives it on the same futures. */
Test(calibrate, every_tranche_of_every_structure_is_given) {
    char text[8192];
    size_t len = (size_t)snprintf(
        text, sizeof text,
        "{\"name\": \"many tranches\", \"currency\": \"EUR\", \"stages\": [{\"name\": \"s\", "
        "\"duration\": 1, \"cohorts\": [{\"size\": 10}]}], \"outcomes\": [{\"name\": \"o\", "
        "\"kind\": \"rate\", \"direction\": \"lower_is_better\", \"baseline\": 0.5, \"effect\": "
        "{\"prior\": 0.1}, \"evaluation\": {\"design\": \"historical\"}}], \"contract\": "
        "{\"payments\": [{\"outcome\": \"o\", \"type\": \"per_unit\", \"price\": 100}]}, "
        "\"financing\": [");
    for (int k = 0; k < 9; k++)
        len += (size_t)snprintf(
            text + len, sizeof text - len,
            "%s{\"name\": \"SIB %d\", \"type\": \"sib\", \"tranches\": [{\"name\": \"senior\", "
            "\"commitment\": 200, \"return_cap\": 0.05, \"priority\": 1}, {\"name\": \"junior\", "
            "\"commitment\": 200, \"return_cap\": 0.1, \"priority\": 2}]}",
            k ? ", " : "", k);
    snprintf(text + len, sizeof text - len, "]}");
    scenario *sc = must_load_string(text);
    calibrate_result r;
    sib_error err;
    cr_assert_eq(calibrate_run(sc, 2048, 2, &r, &err), SIB_OK, "%s", err.message);
    cr_assert_eq(r.n_tranches, 18);
    engine *e = must_engine(sc);
    cr_assert_eq(engine_run(e, 2048, 1, NULL, NULL, &err), SIB_OK);
    for (int k = 0; k < 9; k++)
        for (int t = 0; t < 2; t++) {
            const char *tname = t ? "junior" : "senior";
            char name[64], group[16], key[64];
            snprintf(name, sizeof name, "SIB %d/%s", k, tname);
            snprintf(group, sizeof group, "SIB %d", k);
            snprintf(key, sizeof key, "%s.full_repayment", tname);
            cr_assert_str_eq(r.tranche[2 * k + t].name, name);
            stats_summary s;
            engine_summary(e, engine_find_metric(e, group, key), &s);
            cr_assert_float_eq(r.tranche[2 * k + t].p_full, s.mean, 1e-12, "%s", name);
        }
    engine_free(e);
    calibrate_result_free(&r);
    scenario_free(sc);
}

/* Peterborough's final true-up pays the pooled assessment, capped at
 * £3.4m, less what the cohort rule (2 cohorts x £1.7m at most) already
 * paid: the two together never pay more than max(3.4m, 2 x 1.7m) = £3.4m,
 * the most any future can be paid. calibrate counted 1.7m x 2 + 3.4m =
 * £6.8m, so that no future could pass 50% of its "cap". */
Test(calibrate, a_true_up_and_the_rules_it_nets_off_share_its_cap) {
    scenario *sc = must_load_repo_file("scenarios/peterborough.json");
    calibrate_result r;
    sib_error err;
    cr_assert_eq(calibrate_run(sc, 4096, 2, &r, &err), SIB_OK, "%s", err.message);
    const double cap = fmax(3400000, 2 * 1700000);
    cr_assert_eq(r.paid_over_cap.n, 4096);
    engine *e = must_engine(sc);
    cr_assert_eq(engine_run(e, 4096, 1, NULL, NULL, &err), SIB_OK);
    stats_summary s;
    engine_summary(e, engine_find_metric(e, "commissioner", "payments.total"), &s);
    cr_assert_float_eq(r.paid_over_cap.mean * cap, s.mean, 1e-9 * s.mean);
    cr_assert_float_eq(s.max / cap, 1.0, 1e-9, "the most a future is paid is the cap: %g", s.max);
    cr_assert_gt(r.p_paid_90, 0);
    engine_free(e);
    calibrate_result_free(&r);
    scenario_free(sc);
}

/* Peterborough with one payer capped at £2m: no future is paid more than
 * the payer's cap (model/contract.c: each payer's part is within its cap),
 * so the cap of every future is min(£3.4m, £2m) = £2m. calibrate left the
 * payers out and set every future against £3.4m. The same with the rules
 * uncapped: the payer's cap alone still caps every future (it had none). */
Test(calibrate, the_payers_caps_together_cap_a_future) {
    char *text = repo_text("scenarios/peterborough.json");
    const char *at = strstr(text, "\"contract\": {");
    cr_assert_not_null(at);
    const char *moj = "\"contract\": {\"payers\": [{\"name\": \"MoJ\", \"share\": 1, "
                        "\"cap\": 2000000}], ";
    size_t head = (size_t)(at - text), len = strlen(text) + strlen(moj) + 1;
    char *capped = malloc(len);
    cr_assert_not_null(capped);
    snprintf(capped, len, "%.*s%s%s", (int)head, text, moj, at + strlen("\"contract\": {"));
    free(text);
    scenario *sc = must_load_string(capped);
    calibrate_result r;
    sib_error err;
    cr_assert_eq(calibrate_run(sc, 4096, 2, &r, &err), SIB_OK, "%s", err.message);
    const double cap = fmin(fmax(3400000, 2 * 1700000), 2000000);
    cr_assert_float_eq(r.payers_cap, 2000000, 0);
    cr_assert_eq(r.paid_over_cap.n, 4096);
    engine *e = must_engine(sc);
    cr_assert_eq(engine_run(e, 4096, 1, NULL, NULL, &err), SIB_OK);
    stats_summary s;
    engine_summary(e, engine_find_metric(e, "commissioner", "payments.total"), &s);
    cr_assert_float_eq(r.paid_over_cap.mean * cap, s.mean, 1e-9 * s.mean);
    cr_assert_leq(s.max, cap * (1 + 1e-12), "a future paid %g, above the payer's cap", s.max);
    cr_assert_float_eq(s.max / cap, 1.0, 1e-9, "the most a future is paid is the payer's cap");
    engine_free(e);
    calibrate_result_free(&r);
    scenario_free(sc);

    /* Every rule uncapped: only the payer's cap is left. */
    sc = must_load_string(capped);
    for (size_t k = 0; k < sc->contract.n_rules; k++) {
        sc->contract.rules[k].cap = HUGE_VAL;
        sc->contract.rules[k].cap_per_cohort = HUGE_VAL;
    }
    cr_assert_eq(calibrate_run(sc, 2048, 2, &r, &err), SIB_OK, "%s", err.message);
    cr_assert(r.has_cap, "the payer's cap caps every future");
    cr_assert_eq(r.paid_over_cap.n, 2048);
    cr_assert_leq(r.paid_over_cap.p90, 1 + 1e-12);
    calibrate_result_free(&r);
    scenario_free(sc);
    free(capped);
}

/* Without a contract cap, a future's cap is its rules' caps plus what the
 * fixed windows pay at most: one cohort of 100, 50 in work, paid 100 each
 * within the rule's cap of 4,000, and a fixed window of half a year at
 * 4,000 a year (2,000): every future is paid 4,000 + 2,000 = 6,000, all of
 * its cap. calibrate left the window out, so that a future was paid 150%
 * of its "cap" of 4,000. */
Test(calibrate, a_fixed_window_counts_in_a_future_s_cap) {
    scenario *sc = must_load_quoted(
        "{ 'name': 'fixed window', 'currency': 'GBP',"
        "  'stages': [ { 'name': 'delivery', 'duration': 2, 'cohorts': [ { 'size': 100 } ] } ],"
        "  'outcomes': [ { 'name': 'job', 'kind': 'rate', 'direction': 'higher_is_better',"
        "      'baseline': 0.3, 'effect': { 'scale': 'absolute', 'prior': 0.2 },"
        "      'evaluation': { 'design': 'validated_count' }, 'observation_lag': 1 } ],"
        "  'contract': { 'payments': [ { 'name': 'jobs', 'outcome': 'job', 'type': 'per_outcome',"
        "      'price': 100, 'cap': 4000 } ],"
        "    'suspensions': [ { 'from': 0.5, 'to': 1, 'kind': 'fixed', 'amount_per_year': 4000 } ] },"
        "  'financing': [ { 'name': 'grant', 'type': 'grant' } ] }");
    calibrate_result r;
    sib_error err;
    cr_assert_eq(calibrate_run(sc, 1024, 2, &r, &err), SIB_OK, "%s", err.message);
    cr_assert(isnan(r.cap_fixed) && isnan(r.payers_cap));
    cr_assert_eq(r.paid_over_cap.n, 1024);
    engine *e = must_engine(sc);
    cr_assert_eq(engine_run(e, 1024, 1, NULL, NULL, &err), SIB_OK);
    stats_summary s;
    engine_summary(e, engine_find_metric(e, "commissioner", "payments.total"), &s);
    cr_assert_float_eq(s.max, 6000, 1e-6, "the window and the capped rule: %g", s.max);
    cr_assert_float_eq(r.paid_over_cap.mean * 6000, s.mean, 1e-9 * s.mean);
    cr_assert_leq(r.paid_over_cap.p90, 1 + 1e-12);
    engine_free(e);
    calibrate_result_free(&r);
    scenario_free(sc);
}
