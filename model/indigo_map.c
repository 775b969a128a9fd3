/* indigo_map.c -- the sections of the INDIGO mapping (indigo.c) that
 * work on the record's outcome metrics: the metrics with their prices and
 * results, the outcomes and payment rules they become, the reconciliation
 * of the payments made, and the realised record for backtest. indigo.c's
 * map_record calls them in its order, between its own sections, through
 * the map_context of indigo_internal.h; the metrics are theirs alone.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indigo_internal.h"

#define DEADWEIGHT 0.2      /* ASSUMED: share of the target met without the programme */
#define PAID_TOLERANCE 0.05 /* price x achieved vs payments made */
/* Outcomes targeted per participant, at most: the effect drawn reaches 3
 * times it (indigo:achieved_vs_target within [0, 3]), and a scenario's
 * outcomes per participant are at most 1e9 (the loader's bound). */
#define TARGET_PER_USER_MAX 1e8

/* An outcome metric of the record: a metric, its price and its result. */
struct metric {
    const char *rid; /* the record's id (the record's string), or NULL */
    char id[80];     /* the outcome's name: rid cut to 60 bytes, told apart when cut alike */
    double target;   /* outcomes targeted */
    int target_sourced;
    double price; /* per outcome */
    int price_sourced;
    double max_paid; /* the pricing's maximum, or NAN */
    int price_row;   /* the row of /outcome_pricings that priced it, or -1 */
    double achieved; /* the result used, or NAN */
    int achieved_final;
    double latest_end;      /* the end of the period of the result used */
    const char *definition; /* the record's, or NULL */
};

#define DEFINITION_SHOWN 600 /* bytes of a definition an assumption quotes */

/* Find the metric whose record id is id among ms (n of them): the whole
 * id is compared, not the name it is cut to. */
static metric *find_metric(metric *ms, size_t n, const char *id) {
    for (size_t i = 0; i < n; i++)
        if (ms[i].rid != NULL && strcmp(ms[i].rid, id) == 0) return &ms[i];
    return NULL;
}

/* Whether a metric among ms (n of them) has the outcome name name. */
static int name_used(const metric *ms, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(ms[i].id, name) == 0) return 1;
    return 0;
}

/* The outcome metric (among ms, n of them) that row names by its
 * outcome_metric_id; NULL, the row noted as not used ("WHAT for no listed
 * outcome metric"), when it names none of them. */
static metric *row_metric(mapper *m, const cJSON *row, const char *ptr, metric *ms, size_t n,
                          const char *what) {
    const char *mid = im_text(m, row, ptr, "outcome_metric_id");
    metric *mt = mid ? find_metric(ms, n, mid) : NULL;
    if (mt == NULL)
        im_note(m, INDIGO_SKIPPED, ptr, "%s for no listed outcome metric: not used", what);
    return mt;
}

/* ------------------------------------------- metrics, prices, results
 * Reads the rows of /outcome_metrics, /outcome_pricings and /results,
 * with the users and the cap. Writes nothing into the tree. Leaves the
 * metrics (a synthetic one, "outcomes", when the record lists none), each
 * with its target, its price (an unpriced metric's share of what the
 * priced ones leave of the cap), its maximum and its result, and the
 * priced maximum and unpriced target that the prices' notes quote. */
int indigo_map_metrics(mapper *m, map_context *ctx) {
    const cJSON *rec = m->rec;
    char ptr[256];
    int rc;
    const double users = ctx->users, cap = ctx->cap;
    size_t n_metrics = 0;
    const cJSON *om = im_rows(rec, "outcome_metrics"), *it;
    size_t max_metrics = om ? (size_t)cJSON_GetArraySize(om) : 0;
    metric *ms = calloc(max_metrics + 1, sizeof *ms);
    if (ms == NULL) return sib_error_set(m->err, SIB_ENOMEM, "", "out of memory");
    ctx->metrics = ms;
    int i = 0;
    cJSON_ArrayForEach(it, om) {
        int row = i++;
        char bptr[64];
        if (im_row_withheld(m, it, "outcome_metrics", row, bptr, sizeof bptr)) continue;
        const cJSON *idv = cJSON_GetObjectItemCaseSensitive(it, "id");
        if (cJSON_IsObject(idv)) idv = cJSON_GetObjectItemCaseSensitive(idv, "value");
        metric *mt = &ms[n_metrics];
        char fallback[32];
        snprintf(fallback, sizeof fallback, "metric %d", row + 1);
        mt->rid = cJSON_IsString(idv) && idv->valuestring[0] ? idv->valuestring : NULL;
        if (mt->rid && find_metric(ms, n_metrics, mt->rid)) {
            char cut[64];
            im_cut(cut, sizeof cut, mt->rid, 60);
            im_note(m, INDIGO_SKIPPED, bptr, "a second metric with id \"%s%s\": not used", cut,
                    strcmp(cut, mt->rid) ? "..." : "");
            continue;
        }
        /* The outcome's name: the id cut to 60 bytes (a scenario's names
         * hold 79, and the rule's is "pay NAME"), its row added when
         * another metric's is the same. */
        im_cut(mt->id, sizeof mt->id, mt->rid ? mt->rid : fallback, 60);
        const size_t len = strlen(mt->id);
        for (int k = 0; name_used(ms, n_metrics, mt->id) && k < 1000; k++)
            snprintf(mt->id + len, sizeof mt->id - len, k ? " (%d-%d)" : " (%d)", row + 1, k);
        if (mt->rid && strcmp(mt->id, mt->rid) != 0 && len < strlen(mt->rid))
            im_note(m, INDIGO_WARNING, bptr,
                    "an id of %zu bytes, more than the 60 a name of the import keeps (a "
                    "scenario's names hold 79): the outcome is named \"%s\"",
                    strlen(mt->rid), mt->id);
        mt->definition = im_text(m, it, bptr, "definition");
        double target;
        rc = im_num(m, it, bptr, "targeted_number_of_service_users_or_beneficiaries_total", 0,
                    PEOPLE_MAX, "a number of outcomes", &target);
        if (rc < 0) return m->err->code;
        if (rc > 0 && target > TARGET_PER_USER_MAX * users) {
            char tptr[256];
            snprintf(tptr, sizeof tptr,
                     "%s/targeted_number_of_service_users_or_beneficiaries_total/value", bptr);
            if (!m->lenient)
                return sib_error_set(m->err, SIB_EINVAL, tptr,
                                     "expected a targeted number of outcomes of at most %g per "
                                     "service user (%.0f users: at most %g), found %.17g",
                                     TARGET_PER_USER_MAX, users, TARGET_PER_USER_MAX * users,
                                     target);
            im_note(m, INDIGO_SKIPPED, tptr,
                    "malformed, not used: expected at most %g outcomes per service user (%.0f "
                    "users), found %.17g",
                    TARGET_PER_USER_MAX, users, target);
            rc = 0;
        }
        mt->target = rc > 0 && target > 0 ? target : users;
        mt->target_sourced = rc > 0 && target > 0;
        mt->price = NAN;
        mt->max_paid = NAN;
        mt->price_row = -1;
        mt->achieved = NAN;
        n_metrics++;
    }
    const cJSON *opr = im_rows(rec, "outcome_pricings");
    i = 0;
    cJSON_ArrayForEach(it, opr) {
        int row = i++;
        char bptr[64];
        if (im_row_withheld(m, it, "outcome_pricings", row, bptr, sizeof bptr)) continue;
        metric *mt = row_metric(m, it, bptr, ms, n_metrics, "a price");
        if (mt == NULL) continue;
        /* One price a metric: a rule pays one price per outcome. A second
         * row (a tier, another payer's price) is not used, and said: the
         * last row silently replaced the first. */
        if (mt->price_row >= 0) {
            im_note(m, INDIGO_WARNING, bptr,
                    "a second price for the outcome metric %s: not used (a payment rule pays one "
                    "price per outcome; /outcome_pricings/%d, the first, is used)",
                    mt->id, mt->price_row);
            continue;
        }
        char pc_ptr[256];
        const cJSON *pcv = im_leaf(m, it, bptr, "currency", pc_ptr, NULL);
        char pc_code[4];
        const char *pc = pcv != NULL && im_currency(m, pcv, pc_ptr, pc_code) ? pc_code : NULL;
        if (pcv != NULL && pc == NULL)
            im_note(m, INDIGO_WARNING, pc_ptr, "not a currency code: the scenario's is assumed");
        double price, mx;
        int a = im_num(m, it, bptr, "price_per_unit/amount", 0, MONEY_MAX, "a price", &price);
        int b = a < 0 ? 0
                      : im_num(m, it, bptr, "maximum_price_if_all_targets_achieved/amount", 0,
                               MONEY_MAX, "an amount", &mx);
        if (a < 0 || b < 0) return m->err->code;
        if (pc && strcmp(pc, m->currency) != 0) {
            double usd;
            int u = strcmp(m->currency, "USD") == 0
                        ? im_num(m, it, bptr, "price_per_unit/amount_usd", 0, MONEY_MAX, "a price",
                                 &usd)
                        : 0;
            if (u < 0) return m->err->code;
            if (u > 0)
                price = usd, a = 1, b = 0;
            else {
                im_note(m, INDIGO_SKIPPED, bptr, "priced in %s, not %s: not used", pc, m->currency);
                continue;
            }
        }
        if (a > 0) mt->price = price, mt->price_sourced = 1;
        if (b > 0) mt->max_paid = mx;
        if (a > 0 || b > 0) mt->price_row = row;
    }
    const cJSON *res = im_rows(rec, "results");
    i = 0;
    cJSON_ArrayForEach(it, res) {
        int row = i++;
        char bptr[64];
        if (im_row_withheld(m, it, "results", row, bptr, sizeof bptr)) continue;
        metric *mt = row_metric(m, it, bptr, ms, n_metrics, "a result");
        if (mt == NULL) continue;
        const char *rtype = im_text(m, it, bptr, "result_type");
        int final = rtype && strcmp(rtype, "Final") == 0;
        double pend = 0;
        char s[32];
        rc = im_date(m, it, bptr, "period/end_date", &pend, s, sizeof s);
        if (rc == 0) rc = im_date(m, it, bptr, "period/end", &pend, s, sizeof s);
        if (rc < 0) return m->err->code;
        const cJSON *av = im_leaf(m, it, bptr, "outcomes_achieved", ptr, NULL);
        double a;
        if (av == NULL) continue;
        int counted = cJSON_IsNumber(av)   ? (a = av->valuedouble, 1)
                      : cJSON_IsString(av) ? indigo_parse_number(av->valuestring, &a) == 0
                                           : 0;
        if (!counted || !(a >= 0 && a <= PEOPLE_MAX)) {
            im_note(m, INDIGO_SKIPPED, ptr,
                    "outcomes achieved is not a count from 0 to 1e9: not used");
            continue;
        }
        /* The final result, else the latest interim one. */
        if (isnan(mt->achieved) || (final && !mt->achieved_final) ||
            (final == mt->achieved_final && pend >= mt->latest_end)) {
            mt->achieved = a;
            mt->achieved_final = final;
            mt->latest_end = pend;
        }
    }
    int synthetic = n_metrics == 0;
    if (synthetic) {
        snprintf(ms[0].id, sizeof ms[0].id, "outcomes");
        ms[0].target = users;
        ms[0].price = NAN;
        ms[0].max_paid = NAN;
        ms[0].price_row = -1;
        ms[0].achieved = NAN;
        n_metrics = 1;
    }
    /* Unpriced metrics share what the priced ones leave of the cap. */
    double priced_max = 0, unpriced_target = 0;
    size_t n_unpriced = 0;
    for (size_t k = 0; k < n_metrics; k++) {
        if (isfinite(ms[k].price))
            priced_max += ms[k].price * ms[k].target;
        else
            unpriced_target += ms[k].target, n_unpriced++;
    }
    for (size_t k = 0; k < n_metrics; k++)
        if (!isfinite(ms[k].price)) {
            double left_cap = cap - priced_max;
            ms[k].price = left_cap > 0 && unpriced_target > 0 ? left_cap / unpriced_target : 0;
        }
    if (n_unpriced < n_metrics && priced_max > cap * (1 + CAP_TOLERANCE))
        im_note(
            m, INDIGO_WARNING, "/outcome_pricings",
            "price x target over the metrics adds up to %.0f, more than the cap of %.0f: the cap "
            "binds (targets are not payable events one for one)",
            priced_max, cap);
    ctx->n_metrics = n_metrics;
    ctx->synthetic = synthetic;
    ctx->priced_max = priced_max;
    ctx->unpriced_target = unpriced_target;
    return SIB_OK;
}

/* ------------------------------------------------ outcomes and rules
 * Reads the metrics, the users, the sector's slug and the cap. Writes
 * "outcomes" (one per metric, its effect drawn from the INDIGO record's
 * achieved / target) and the contract's payment rules (one per metric,
 * paid per outcome) and cap, then puts the contract in its place as
 * "contract". Leaves nothing new. */
void indigo_map_outcomes(mapper *m, cJSON *sc, const map_context *ctx) {
    char ptrbuf[256];
    const metric *ms = ctx->metrics;
    const size_t n_metrics = ctx->n_metrics;
    const int synthetic = ctx->synthetic;
    const double users = ctx->users, cap = ctx->cap;
    const double priced_max = ctx->priced_max, unpriced_target = ctx->unpriced_target;
    const char *slug = ctx->sector_slug, *cap_status = ctx->cap_status;
    cJSON *contract = ctx->contract;
    cJSON *outcomes = cJSON_AddArrayToObject(sc, "outcomes");
    cJSON *payments = cJSON_AddArrayToObject(contract, "payments");
    char from[96];
    snprintf(from, sizeof from, "indigo:achieved_vs_target%s%s", slug ? ":" : "", slug ? slug : "");
    for (size_t k = 0; k < n_metrics; k++) {
        const metric *mt = &ms[k];
        double s = mt->target / users; /* outcomes targeted per participant */
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", mt->id);
        cJSON_AddStringToObject(o, "kind", "count");
        cJSON_AddStringToObject(o, "direction", "higher_is_better");
        cJSON_AddNumberToObject(o, "baseline", DEADWEIGHT * s);
        cJSON *eff = cJSON_AddObjectToObject(o, "effect");
        cJSON_AddStringToObject(eff, "scale", "absolute");
        cJSON *pr = cJSON_AddObjectToObject(eff, "prior");
        cJSON_AddStringToObject(pr, "from", from);
        cJSON_AddNumberToObject(pr, "scale", s);
        cJSON_AddNumberToObject(pr, "shift", -DEADWEIGHT * s);
        cJSON *ev = cJSON_AddObjectToObject(o, "evaluation");
        cJSON_AddStringToObject(ev, "design", "validated_count");
        cJSON_AddItemToArray(outcomes, o);
        snprintf(ptrbuf, sizeof ptrbuf, "/outcomes/%zu/name", k);
        if (synthetic)
            im_assume(
                m, ptrbuf, "assumed", SRC_NONE,
                "The record lists no outcome metric: one outcome per targeted user, paid on a "
                "rate card.");
        else {
            char def[DEFINITION_SHOWN + 1];
            im_cut(def, sizeof def, mt->definition ? mt->definition : "(no definition given)",
                   DEFINITION_SHOWN);
            im_assume(m, ptrbuf, "sourced", SRC_RECORD, "Outcome metric %s of the record: %s%s",
                      mt->id, def,
                      mt->definition && strlen(mt->definition) > strlen(def)
                          ? " [...] (the whole definition is in the record)"
                          : "");
        }
        snprintf(ptrbuf, sizeof ptrbuf, "/outcomes/%zu/baseline", k);
        im_assume(m, ptrbuf, "assumed", SRC_NONE,
                  "Counted outcomes per participant without the programme: %.0f%% of the target "
                  "(%.4g per participant). INDIGO has no counterfactual: ASSUMED, replace with the "
                  "evaluation's.",
                  DEADWEIGHT * 100, DEADWEIGHT * s);
        snprintf(ptrbuf, sizeof ptrbuf, "/outcomes/%zu/effect/prior", k);
        im_assume(
            m, ptrbuf, mt->target_sourced ? "inferred" : "assumed", SRC_LIBRARY,
            "Outcomes achieved per participant = target per participant (%.0f / %.0f = %.4g) x "
            "achieved / target, drawn from %s (INDIGO completed projects: median 0.95, IQR "
            "0.61-1.16, n = 52 metrics; biased towards published successes), less the "
            "baseline.%s",
            mt->target, users, s, from,
            slug ? " The library has no sector breakdown: the sector's name stands for the "
                   "pooled figure."
                 : "");
        snprintf(ptrbuf, sizeof ptrbuf, "/outcomes/%zu/evaluation", k);
        im_assume(m, ptrbuf, "assumed", SRC_NONE,
                  "Outcomes are counted and paid on a rate card (validated counts, no comparison "
                  "group): the usual design of an INDIGO outcome contract.");
        cJSON *r = cJSON_CreateObject();
        char rname[80];
        snprintf(rname, sizeof rname, "pay %.72s", mt->id);
        cJSON_AddStringToObject(r, "name", rname);
        cJSON_AddStringToObject(r, "outcome", mt->id);
        cJSON_AddStringToObject(r, "type", "per_outcome");
        cJSON_AddNumberToObject(r, "price", im_cents(mt->price));
        if (isfinite(mt->max_paid)) cJSON_AddNumberToObject(r, "cap", mt->max_paid);
        cJSON_AddItemToArray(payments, r);
        snprintf(ptrbuf, sizeof ptrbuf, "/contract/payments/%zu/price", k);
        if (mt->price_sourced)
            im_assume(m, ptrbuf, "sourced", SRC_RECORD,
                      "Price per outcome of metric %s "
                      "(INDIGO /outcome_pricings).",
                      mt->id);
        else
            im_assume(
                m, ptrbuf, "inferred", SRC_RECORD,
                "No price in the record: what the priced metrics leave of the cap, spread over "
                "the unpriced metrics' targets (%.0f over %.0f outcomes).",
                fmax(cap - priced_max, 0), unpriced_target);
        if (isfinite(mt->max_paid)) {
            snprintf(ptrbuf, sizeof ptrbuf, "/contract/payments/%zu/cap", k);
            im_assume(m, ptrbuf, "sourced", SRC_RECORD,
                      "Maximum price if all targets are achieved, metric %s.", mt->id);
        }
    }
    cJSON_AddNumberToObject(contract, "cap", cap);
    cJSON_AddItemToObject(sc, "contract", cJSON_DetachItemFromObjectCaseSensitive(sc, "_contract"));
    im_assume(m, "/contract/cap", cap_status, cap_status[0] == 'a' ? SRC_LIBRARY : SRC_RECORD, "%s",
              ctx->cap_note);
}

/* ----------------------------------------- reconciliation of payments
 * Reads the payments made (the project's total, else the payers' totals,
 * else the rows of /outcome_payments marked "Actual") and the metrics'
 * results and prices. Writes nothing into the tree; warns when price x
 * outcomes achieved does not reconcile with the payments made. Leaves the
 * payments made, which figure they are, and how many metrics have a
 * result. */
int indigo_map_reconciliation(mapper *m, map_context *ctx) {
    const cJSON *rec = m->rec;
    const char *how;
    const metric *ms = ctx->metrics;
    const size_t n_metrics = ctx->n_metrics;
    const double cap = ctx->cap;
    double made = NAN;
    const char *made_src = NULL;
    if (im_money(m, rec, "", "overall_project_finance/total_outcome_payments_made", 0, &made,
                 &how) < 0)
        return m->err->code;
    if (isfinite(made))
        made_src = "total outcome payments made";
    else if (ctx->any_payer_paid)
        made = ctx->paid_by_payers, made_src = "the payers' total outcome payments";
    else {
        const cJSON *opm = im_rows(rec, "outcome_payments"), *it;
        double sum = 0;
        int any = 0;
        int i = 0;
        cJSON_ArrayForEach(it, opm) {
            int row = i++;
            char bptr[64];
            if (im_row_withheld(m, it, "outcome_payments", row, bptr, sizeof bptr)) continue;
            const char *type = im_text(m, it, bptr, "type");
            if (!type || strcmp(type, "Actual") != 0) continue;
            double x;
            int mr = im_money(m, it, bptr, "money", 0, &x, &how);
            if (mr < 0) return m->err->code;
            if (mr > 0) sum += x, any = 1;
        }
        if (any) made = sum, made_src = "the actual outcome payments";
    }
    double earned = 0;
    int n_achieved = 0;
    for (size_t k = 0; k < n_metrics; k++)
        if (isfinite(ms[k].achieved)) {
            earned += ms[k].price * ms[k].achieved;
            n_achieved++;
        }
    if (n_achieved > 0 && isfinite(made) &&
        fabs(fmin(earned, cap) - made) > PAID_TOLERANCE * fmax(made, 1))
        im_note(m, INDIGO_WARNING, "/results",
                "price x outcomes achieved adds up to %.0f%s, but %s come to %.0f: the record does "
                "not reconcile (a result may be interim, a price may have changed)",
                earned, earned > cap ? " (above the cap)" : "", made_src, made);
    ctx->made = made;
    ctx->made_src = made_src;
    ctx->n_achieved = n_achieved;
    return SIB_OK;
}
/* ------------------------------------------------- realised record
 * Reads the metrics' results, the cohorts (their number, step and planned
 * sizes), the planned and actual durations, the actual users, whether the
 * project is complete and the payments made. Writes "realised" when some
 * metric has a count of outcomes achieved (and the metrics are the
 * record's): the results split over the cohorts that entered before any
 * early stop, and the payments made as the figure to reproduce; sets
 * imp->has_realised. Leaves nothing new. */
void indigo_map_realised(mapper *m, cJSON *sc, const map_context *ctx) {
    indigo_import *imp = m->imp;
    const metric *ms = ctx->metrics;
    const size_t n_metrics = ctx->n_metrics;
    const int n_achieved = ctx->n_achieved, nc = ctx->n_cohorts;
    const double actual = ctx->actual_duration, duration = ctx->duration;
    const double step_us = ctx->cohort_step_us, actual_users = ctx->actual_users;
    const double made = ctx->made;
    const double *sizes = ctx->cohort_sizes;
    if (n_achieved > 0 && !ctx->synthetic) {
        cJSON *real = cJSON_CreateObject();
        const int stopped = isfinite(actual) && actual > 0 && actual < duration * 0.95;
        /* The cohorts that entered before the stop (the loader refuses a
         * result for one entering at or after it: nobody was enrolled
         * then); the outcomes and the people are theirs, split in
         * proportion to their planned sizes. */
        int entered = nc;
        while (stopped && entered > 1 && (entered - 1) * step_us / 1e6 >= actual) entered--;
        char before[64] = "";
        if (entered < nc)
            snprintf(before, sizeof before, " that entered before it stopped (%d of %d)", entered,
                     nc);
        char rdesc[600];
        snprintf(rdesc, sizeof rdesc,
                 "Results of the INDIGO record (%s): outcomes achieved per metric, split over the "
                 "cohorts%s in proportion to their planned size%s. Metrics without a count are "
                 "recorded as achieving nothing.",
                 ctx->complete ? "a completed project" : "interim: the project is not complete",
                 before,
                 isfinite(actual_users) ? ", the people measured scaled by actual / targeted users"
                                        : "");
        cJSON_AddStringToObject(real, "description", rdesc);
        cJSON *rst = cJSON_AddArrayToObject(real, "stages");
        cJSON_AddItemToArray(rst, cJSON_CreateString("service"));
        if (stopped) cJSON_AddNumberToObject(real, "stopped", actual);
        double planned = 0;
        for (int c = 0; c < entered; c++) planned += sizes[c];
        cJSON *rres = cJSON_AddArrayToObject(real, "results");
        double scale_n = isfinite(actual_users) && actual_users > 0 ? actual_users / planned : 1;
        for (size_t k = 0; k < n_metrics; k++) {
            if (!isfinite(ms[k].achieved)) continue;
            for (int c = 0; c < entered; c++) {
                cJSON *r = cJSON_CreateObject();
                char cname[32];
                snprintf(cname, sizeof cname, "cohort %d", c + 1);
                cJSON_AddStringToObject(r, "cohort", cname);
                cJSON_AddStringToObject(r, "outcome", ms[k].id);
                cJSON *tr = cJSON_AddObjectToObject(r, "treated");
                cJSON_AddNumberToObject(tr, "size", fmax(sizes[c] * scale_n, 1));
                cJSON_AddNumberToObject(tr, "total", ms[k].achieved * sizes[c] / planned);
                cJSON_AddItemToArray(rres, r);
            }
        }
        if (isfinite(made)) {
            cJSON *rep = cJSON_AddArrayToObject(real, "reported");
            cJSON *f = cJSON_CreateObject();
            char what[160];
            snprintf(what, sizeof what, "outcome payments made (%s)", ctx->made_src);
            cJSON_AddStringToObject(f, "what", what);
            cJSON_AddStringToObject(f, "flow", "contract/payments.total");
            cJSON_AddNumberToObject(f, "value", made);
            cJSON_AddNumberToObject(f, "tolerance", fmax(PAID_TOLERANCE * made, 1));
            cJSON_AddStringToObject(f, "source", "INDIGO record");
            cJSON_AddItemToArray(rep, f);
        }
        cJSON_AddItemToObject(sc, "realised", real);
        imp->has_realised = 1;
        im_assume(m, "/realised", "inferred", SRC_RECORD,
                  "The record's results (%d metric%s with a count of outcomes achieved)%s.",
                  n_achieved, n_achieved == 1 ? "" : "s",
                  isfinite(made) ? ", with the payments made as the figure to reproduce" : "");
    }
}
