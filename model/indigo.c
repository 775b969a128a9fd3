/* indigo.c -- an INDIGO project record mapped into a sibsim scenario
 * (indigo.h; docs/indigo.md is the field-by-field account for people).
 *
 * The mapping reads the record through im_leaf() (indigo_read.c), which
 * returns a field's value only when it is public and notes every field
 * used or skipped.
 * It builds the scenario as a JSON tree, writing beside every field it
 * fills an assumption that says where the value came from: "sourced" (the
 * record's value), "inferred" (arithmetic on the record's values) or
 * "assumed" (a default, from the INDIGO prior library where it has one).
 * The scenario is not compiled here: the caller loads the text as any
 * scenario is loaded, so the loader stays the only judge of a scenario.
 *
 * This file holds the mapping's own sections (identity and sector,
 * timing, people, stage, payers and the cap, description), map_record
 * that runs every section in order, and the wrapper (indigo_map,
 * indigo_import_record). The sections on the capital stack are in
 * indigo_capital.c, those on the outcome metrics in indigo_map.c.
 */
#include "indigo.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "indigo_internal.h"
#include "json_internal.h"
#include "scenario.h"

/* Defaults, each restating a figure of priors/indigo.json (docs/indigo.md). */
#define DEFAULT_DURATION 3.33  /* duration_years: median, years */
#define DEFAULT_USERS 431.0    /* targeted_users: median */
#define DEFAULT_CAP_RATIO 1.86 /* cap_over_capital: median */
#define DEFAULT_HAZARD 0.065   /* early_termination_hazard */
#define COHORT_YEARS 0.5       /* first payment a median 6 months after the start */
#define MAX_DURATION 100       /* years of service: a record's longer one is cut, and said */

/* ----------------------------------------------------------- the mapping */

/* A name for the scenario: printable, at most size - 1 bytes, not empty. */
static void clean_name(const char *s, const char *fallback, char *buf, size_t size) {
    size_t j = 0;
    for (; s && *s && j + 1 < size; s++) buf[j++] = (unsigned char)*s < 0x20 ? ' ' : *s;
    /* Do not cut a UTF-8 character in two. */
    while (j > 0 && ((unsigned char)buf[j - 1] & 0xC0) == 0x80 && s && *s) j--;
    if (j > 0 && ((unsigned char)buf[j - 1] & 0xC0) == 0xC0 && s && *s) j--;
    buf[j] = '\0';
    if (j == 0) snprintf(buf, size, "%s", fallback);
}

static const char *sector_slug(const char *sector) {
    static const char *const map[][2] = {
        {"Employment and training", "employment"},
        {"Child and family welfare", "child_and_family_welfare"},
        {"Health", "health"},
        {"Homelessness", "homelessness"},
        {"Education", "education"},
        {"Criminal justice", "criminal_justice"},
        {"Agriculture and environment", "agriculture_and_environment"},
        {"Poverty reduction", "poverty_reduction"}};
    for (size_t i = 0; sector && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(sector, map[i][0]) == 0) return map[i][1];
    return NULL;
}

/* The scenario's currency, into m->currency: the capital's, else the
 * cap's, else the first investment's or commitment's, else USD (assumed).
 * Returns whether the record gave it. */
static int pick_currency(mapper *m) {
    static const char *const paths[] = {
        "overall_project_finance/total_investment_commitment/currency",
        "overall_project_finance/maximum_potential_outcome_payment_v2/currency"};
    char ptr[256];
    for (size_t i = 0; i < 2; i++) {
        const cJSON *v = im_leaf(m, m->rec, "", paths[i], ptr, NULL);
        if (im_currency(m, v, NULL, m->currency)) return 1;
    }
    static const char *const arrays[][2] = {
        {"investments", "investment_commitment/currency"},
        {"outcome_payment_commitments", "maximum_potential_outcome_payment/currency"}};
    for (size_t k = 0; k < 2; k++) {
        const cJSON *arr = im_rows(m->rec, arrays[k][0]), *it;
        int i = 0;
        char bptr[64];
        cJSON_ArrayForEach(it, arr) {
            snprintf(bptr, sizeof bptr, "/%s/%d", arrays[k][0], i++);
            if (!cJSON_IsObject(it) || im_withheld(it, &(const char *){NULL})) continue;
            const cJSON *v = im_leaf(m, it, bptr, arrays[k][1], ptr, NULL);
            if (im_currency(m, v, NULL, m->currency)) return 1;
        }
    }
    memcpy(m->currency, "USD", 4);
    return 0;
}

/* Whether an object of arr has the "name" name. */
static int name_taken(const cJSON *arr, const char *name) {
    for (const cJSON *o = arr ? arr->child : NULL; o; o = o->next) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "name");
        if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0) return 1;
    }
    return 0;
}

/* A name, made of src, for what row `row` of the record adds to arr:
 * src cut to 60 bytes (a scenario's names hold at most 79), followed by
 * " (N)", N = row + 1, when an object of arr has that name already (two
 * organisations whose ids agree in their first 60 bytes stay two). buf
 * holds at least 80 bytes. Returns whether src was cut. */
int im_unique_name(const cJSON *arr, const char *src, int row, char *buf, size_t size) {
    im_cut(buf, size, src, 60);
    const int cut = strcmp(buf, src) != 0;
    const size_t len = strlen(buf);
    for (int k = 0; name_taken(arr, buf) && k < 1000; k++) {
        if (k == 0)
            snprintf(buf + len, size - len, " (%d)", row + 1);
        else
            snprintf(buf + len, size - len, " (%d-%d)", row + 1, k);
    }
    return cut;
}

/* The id to show where a text has room for max bytes of it: the id, or
 * its first max bytes and "..." (the scenario's name holds it whole).
 * Returns buf (at least max + 4 bytes). */
static const char *shown_id(char *buf, size_t size, const char *id, size_t max) {
    im_cut(buf, size, id, max);
    if (strcmp(buf, id) != 0) strcat(buf, "...");
    return buf;
}

/* Add "name": string to obj and return obj (for chaining). */
static cJSON *add_str(cJSON *obj, const char *key, const char *s) {
    cJSON_AddStringToObject(obj, key, s);
    return obj;
}

/* ---------------------------------------------------- identity, sector
 * Reads the record's name, stage, sector and currency (pick_currency) and
 * imp->id (set by indigo_map); writes imp->name, and the scenario's "sibsim",
 * "name", an empty "description", "currency" and "simulation". Leaves the
 * stage, the sector and its slug, whether the project is complete, and
 * the description (filled last, when the assumptions are counted). */
static void map_identity(mapper *m, cJSON *sc, map_context *ctx) {
    indigo_import *imp = m->imp;
    const cJSON *rec = m->rec;
    const char *name = im_text(m, rec, "", "name");
    clean_name(name, "an INDIGO project", imp->name, sizeof imp->name);
    if (name && strlen(name) >= sizeof imp->name)
        im_note(m, INDIGO_WARNING, "/name/value",
                "a name of %zu bytes, more than the %zu the import keeps: the scenario is named "
                "by its start",
                strlen(name), sizeof imp->name - 1);
    const char *stage_dev = im_text(m, rec, "", "stage_development");
    const char *sector = im_text(m, rec, "", "purpose_and_classifications/policy_sector");
    const char *slug = sector_slug(sector);
    int complete = stage_dev && (strcmp(stage_dev, "Complete") == 0 ||
                                 strcmp(stage_dev, "Service delivery complete") == 0);
    int cur_from_record;
    cur_from_record = pick_currency(m);

    /* The name holds the whole id, however long (the loader sets no limit). */
    const char *fmt = "%s%s%s%s, imported from INDIGO";
    const char *open = imp->id[0] ? " (" : "", *close = imp->id[0] ? ")" : "";
    int n = snprintf(NULL, 0, fmt, imp->name, open, imp->id, close);
    char *title = n < 0 ? NULL : malloc((size_t)n + 1);
    if (title != NULL) snprintf(title, (size_t)n + 1, fmt, imp->name, open, imp->id, close);
    m->oom |= title == NULL;
    cJSON_AddNumberToObject(sc, "sibsim", 1);
    cJSON_AddStringToObject(sc, "name", title ? title : imp->name);
    free(title);
    cJSON *description = cJSON_AddStringToObject(sc, "description", "");
    cJSON_AddStringToObject(sc, "currency", m->currency);
    im_assume(m, "/currency", cur_from_record ? "sourced" : "assumed",
              cur_from_record ? SRC_RECORD : SRC_NONE,
              cur_from_record
                  ? "The currency of the record's capital (or cap, or first investment)."
                  : "The record gives no currency: US dollars assumed.");
    cJSON *sim = cJSON_AddObjectToObject(sc, "simulation");
    cJSON_AddNumberToObject(sim, "paths", 20000);
    cJSON_AddNumberToObject(sim, "seed", 1);
    cJSON_AddNumberToObject(sim, "periods_per_year", 4);
    im_assume(m, "/simulation/paths", "assumed", SRC_NONE,
              "20,000 futures: enough for a first look (sibsim run --paths to change).");
    ctx->stage = stage_dev;
    ctx->sector = sector;
    ctx->sector_slug = slug;
    ctx->complete = complete;
    ctx->description = description;
}

/* ------------------------------------------------------------- timing
 * Reads /dates: the start, the anticipated and actual ends and durations.
 * Writes nothing into the tree (the stage section does); notes the dates
 * it cannot use. Leaves the start (and its text), the planned duration
 * with its status, source and note, and the actual duration (the realised
 * record's stop). */
static int map_timing(mapper *m, map_context *ctx) {
    const cJSON *rec = m->rec;
    int rc;
    double start = NAN, end = NAN, months = NAN, aend = NAN, amonths = NAN;
    char start_s[32] = "", end_s[32] = "", aend_s[32] = "";
    if ((rc = im_date(m, rec, "", "dates/start_date_of_service_provision", &start, start_s,
                      sizeof start_s)) < 0 ||
        (rc = im_date(m, rec, "", "dates/anticipated_end_date_of_service_provision", &end, end_s,
                      sizeof end_s)) < 0 ||
        (rc = im_date(m, rec, "", "dates/actual_end_date_of_service_provision", &aend, aend_s,
                      sizeof aend_s)) < 0 ||
        im_num(m, rec, "", "dates/anticipated_duration_of_service_provision", 0, 1200,
               "a duration in months", &months) < 0 ||
        im_num(m, rec, "", "dates/actual_duration_of_service_provision", 0, 1200,
               "a duration in months", &amonths) < 0)
        return m->err->code;
    /* An end that is not after the start is no duration: said, and the
     * next source of the duration used. */
    const int end_early = isfinite(start) && isfinite(end) && !(end - start > 0.05);
    const int aend_early = isfinite(start) && isfinite(aend) && !(aend - start > 0.05);
    if (end_early)
        im_note(m, INDIGO_WARNING, "/dates/anticipated_end_date_of_service_provision/value",
                "the anticipated end, %s, is not after the start of service provision, %s "
                "(or within days of it): these dates are not used",
                end_s, start_s);
    if (aend_early)
        im_note(m, INDIGO_WARNING, "/dates/actual_end_date_of_service_provision/value",
                "the actual end, %s, is not after the start of service provision, %s (or "
                "within days of it): these dates are not used",
                aend_s, start_s);
    double duration;
    const char *dur_status = "inferred";
    int dur_source = SRC_RECORD;
    char *dur_note = ctx->duration_note;
    const size_t dur_note_size = sizeof ctx->duration_note;
    if (isfinite(start) && isfinite(end) && end - start > 0.05) {
        duration = end - start;
        snprintf(dur_note, dur_note_size,
                 "Anticipated service: %s to %s (INDIGO /dates), %.2f years.", start_s, end_s,
                 duration);
        if (isfinite(months) && fabs(months / 12 - duration) > 0.25)
            im_note(m, INDIGO_WARNING, "/dates/anticipated_duration_of_service_provision/value",
                    "the anticipated duration, %g months, disagrees with the dates (%.1f months): "
                    "the dates are used",
                    months, duration * 12);
    } else if (isfinite(months) && months > 0.6) {
        duration = months / 12;
        snprintf(dur_note, dur_note_size, "Anticipated duration of service provision: %g months.",
                 months);
    } else if (isfinite(start) && isfinite(aend) && aend - start > 0.05) {
        duration = aend - start;
        snprintf(dur_note, dur_note_size,
                 "No anticipated end: the actual service, %s to %s, taken as the plan.", start_s,
                 aend_s);
    } else if (isfinite(amonths) && amonths > 0.6) {
        duration = amonths / 12;
        snprintf(dur_note, dur_note_size,
                 "No anticipated duration: the actual duration, %g months, taken as the plan.",
                 amonths);
    } else {
        duration = DEFAULT_DURATION;
        dur_status = "assumed";
        dur_source = SRC_LIBRARY;
        snprintf(dur_note, dur_note_size,
                 "The record gives no usable service dates or duration: the median duration "
                 "of service provision in the INDIGO record, 3.33 years "
                 "(indigo:duration_years, n = 179).");
        if (isfinite(start) && !isfinite(end) && !isfinite(aend))
            im_note(m, INDIGO_WARNING, "/dates",
                    "the record gives the start of service provision, %s, and no end date or "
                    "duration: the record's median, 3.33 years, is used",
                    start_s);
        else if (!isfinite(start) && (isfinite(end) || isfinite(aend)))
            im_note(m, INDIGO_WARNING, "/dates",
                    "the record gives an end of service provision, %s, and no start date or "
                    "duration: the record's median, 3.33 years, is used",
                    isfinite(end) ? end_s : aend_s);
    }
    if (duration > MAX_DURATION) {
        im_note(m, INDIGO_WARNING, "/dates",
                "the service lasts %.1f years by the record, more than the %d a scenario of the "
                "import may last: the first %d years are simulated",
                duration, MAX_DURATION, MAX_DURATION);
        duration = MAX_DURATION;
    }
    /* Times in whole micro-years, so that the file's decimals are exact
     * enough for the loader's checks (a cohort ends within its stage). */
    duration = round(duration * 1e6) / 1e6;
    /* The planned stop, against the actual one (a realised record's "stopped"). */
    double actual = isfinite(start) && isfinite(aend) ? aend - start
                    : isfinite(amonths)               ? amonths / 12
                                                      : NAN;
    ctx->start = start;
    memcpy(ctx->start_text, start_s, sizeof ctx->start_text);
    ctx->duration = duration;
    ctx->duration_status = dur_status;
    ctx->duration_source = dur_source;
    ctx->actual_duration = actual;
    return SIB_OK;
}

/* ------------------------------------------------------------- people
 * Reads /service_and_beneficiaries: the targeted and the actual users.
 * Writes nothing into the tree (the stage section writes the cohorts).
 * Leaves the users planned (rounded), the actual users, and the planned
 * users' status and note. */
static int map_people(mapper *m, map_context *ctx) {
    const cJSON *rec = m->rec;
    double users = NAN, actual_users = NAN;
    static const char target_path[] =
        "service_and_beneficiaries/targeted_number_service_users_or_beneficiaries_total";
    if (im_num(m, rec, "", target_path, 0, PEOPLE_MAX, "a number of people", &users) < 0 ||
        im_num(m, rec, "",
               "service_and_beneficiaries/actual_number_service_users_or_beneficiaries_total", 0,
               PEOPLE_MAX, "a number of people", &actual_users) < 0)
        return m->err->code;
    /* A target of 0 people is how some records leave the target out (a
     * project that served people has a target): read as not given, with a
     * warning, as a commitment of 0 is. A fraction of one person is
     * malformed: read again from 1, so that it is refused as any value out
     * of its range is. */
    if (users == 0) {
        im_note(m, INDIGO_WARNING,
                "/service_and_beneficiaries/"
                "targeted_number_service_users_or_beneficiaries_total/value",
                "a targeted number of 0 service users: not used (read as not given)");
        users = NAN;
    } else if (users < 1 &&
               im_num(m, rec, "", target_path, 1, PEOPLE_MAX, "a number of people", &users) < 0)
        return m->err->code;
    const char *users_status = "sourced";
    char *users_note = ctx->users_note;
    const size_t users_note_size = sizeof ctx->users_note;
    if (isfinite(users)) {
        snprintf(users_note, users_note_size,
                 "Targeted service users: %.0f (INDIGO "
                 "/service_and_beneficiaries), split into cohorts of half a year.",
                 users);
    } else if (isfinite(actual_users) && actual_users >= 1) {
        users = actual_users;
        users_status = "inferred";
        snprintf(users_note, users_note_size,
                 "No target: the %.0f service users actually engaged taken as the plan.", users);
    } else {
        users = DEFAULT_USERS;
        users_status = "assumed";
        snprintf(users_note, users_note_size,
                 "The record gives no number of service users: the record's median of targeted "
                 "users, 431 (indigo:targeted_users, n = 227).");
    }
    users = round(users);
    ctx->users = users;
    ctx->actual_users = actual_users;
    ctx->users_status = users_status;
    return SIB_OK;
}

/* ------------------------------------------------------------ stage
 * Reads what timing, people and capital left. Writes "stages": the one
 * stage, "service", with its start, duration, costs (the capital spread
 * over the service years), volume, failure hazard and cohorts of half a
 * year. Leaves the number of cohorts, their step and their planned sizes
 * (the realised record splits results over them). */
static int map_stage(mapper *m, cJSON *sc, map_context *ctx) {
    const double start = ctx->start, duration = ctx->duration, users = ctx->users;
    const double capital = ctx->capital;
    const char *start_s = ctx->start_text, *users_status = ctx->users_status;
    cJSON *stages = cJSON_AddArrayToObject(sc, "stages");
    cJSON *st = cJSON_CreateObject();
    cJSON_AddItemToArray(stages, st);
    cJSON_AddStringToObject(st, "name", "service");
    cJSON_AddNumberToObject(st, "start", 0);
    cJSON_AddNumberToObject(st, "duration", duration);
    im_assume(m, "/stages/0/start", isfinite(start) ? "sourced" : "assumed",
              isfinite(start) ? SRC_RECORD : SRC_NONE,
              isfinite(start)
                  ? "Time 0 is the start of service provision, %s."
                  : "%sTime 0 is the start of service provision (no date in the record).",
              isfinite(start) ? start_s : "");
    im_assume(m, "/stages/0/duration", ctx->duration_status, ctx->duration_source, "%s",
              ctx->duration_note);
    cJSON *costs = cJSON_AddObjectToObject(st, "costs");
    cJSON_AddNumberToObject(costs, "fixed_per_year", im_cents(capital / duration));
    im_assume(m, "/stages/0/costs/fixed_per_year", "assumed", SRC_NONE,
              "INDIGO records no delivery cost: the capital (%.0f: %s) is taken as the whole cost, "
              "spread evenly over the service years. In UK deals investors fund recycled working "
              "capital, so the real cost is often higher.",
              capital, ctx->capital_note);
    cJSON *vol = cJSON_AddObjectToObject(st, "volume");
    cJSON_AddStringToObject(vol, "from", "indigo:referral_volume");
    im_assume(m, "/stages/0/volume", "assumed", SRC_LIBRARY,
              "Referral volume, actual / targeted users, from the INDIGO record (median 1.00, P10 "
              "0.65, n = 48): indigo:referral_volume.");
    cJSON_AddNumberToObject(st, "failure_hazard", DEFAULT_HAZARD);
    im_assume(m, "/stages/0/failure_hazard", "assumed", SRC_LIBRARY,
              "Early termination: 0.065 a year, indigo:early_termination_hazard (10%% of projects "
              "stop before 0.45 of their planned duration).");
    cJSON *cohorts = cJSON_AddArrayToObject(st, "cohorts");
    int nc = (int)ceil(duration / COHORT_YEARS - 1e-9);
    if (nc < 1) nc = 1;
    if ((double)nc > users) nc = (int)users;
    double step_us = floor(duration * 1e6 / nc);
    /* The last cohort ends within the stage, as the loader checks it. */
    while (step_us > 1 && step_us / 1e6 > duration - (nc - 1) * step_us / 1e6) step_us -= 1;
    double step = step_us / 1e6, left = users;
    double *sizes = calloc((size_t)nc, sizeof *sizes);
    if (sizes == NULL) return sib_error_set(m->err, SIB_ENOMEM, "", "out of memory");
    ctx->cohort_sizes = sizes;
    /* Every cohort but the last holds users / nc, rounded; the last the
     * rest, so that they add up to the users. When the rounding leaves the
     * last fewer than one (18 users in 7 cohorts: 6 x 3 = 18), they hold
     * floor(users / nc) instead: (nc - 1) floor(users / nc) <= users - 1,
     * as users >= nc. */
    double each = round(users / nc);
    if ((nc - 1) * each > users - 1) each = floor(users / nc);
    for (int k = 0; k < nc; k++) {
        double size = k == nc - 1 ? left : each;
        left -= size;
        sizes[k] = size;
        cJSON *co = cJSON_CreateObject();
        char cname[32];
        snprintf(cname, sizeof cname, "cohort %d", k + 1);
        cJSON_AddStringToObject(co, "name", cname);
        cJSON_AddNumberToObject(co, "size", size);
        cJSON_AddNumberToObject(co, "entry", k * step_us / 1e6);
        cJSON_AddNumberToObject(co, "enrolment", step);
        cJSON_AddItemToArray(cohorts, co);
    }
    im_assume(m, "/stages/0/cohorts", users_status[0] == 's' ? "inferred" : users_status,
              users_status[0] == 'a' ? SRC_LIBRARY : SRC_RECORD,
              "%s %d cohorts enrolling one after another over the service years (half a year each: "
              "the INDIGO record's first outcome payment comes a median 6 months after the start).",
              ctx->users_note, nc);
    ctx->n_cohorts = nc;
    ctx->cohort_step_us = step_us;
    return SIB_OK;
}

/* ---------------------------------------- interim and overall commitments
 * The standard's result_type says whether a commitment row is "Interim"
 * (one performance period, such as the outcomes of year 1) or "Overall"
 * (the whole project, as it stands when the project is finished). An
 * organisation's Overall row therefore already holds its Interim ones:
 * adding them would count its commitment (and its payments) twice. So an
 * Interim row counts only when its organisation has no public row that is
 * not Interim (Overall, or a row that does not say, read as the whole);
 * Interim rows alone add up, as the periods they stand for do. */

/* The text of row's field key ({"value": ...} or bare), or NULL when it is
 * absent, blank or withheld: read without a note, for the pass that only
 * looks ahead (map_payers reads and notes what it uses). */
static const char *row_text(const cJSON *row, const char *key) {
    const cJSON *node = cJSON_GetObjectItemCaseSensitive(row, key), *v = node;
    const char *status;
    if (node == NULL || im_withheld(node, &status)) return NULL;
    if (cJSON_IsObject(node)) v = cJSON_GetObjectItemCaseSensitive(node, "value");
    if (!cJSON_IsString(v)) return NULL;
    const char *t = v->valuestring;
    while (*t == ' ' || *t == '\t') t++;
    return *t ? v->valuestring : NULL;
}

/* Whether a result_type's text is "Interim", whatever its case and the
 * blanks around it. */
static int is_interim(const char *type) {
    if (type == NULL) return 0;
    while (*type == ' ' || *type == '\t') type++;
    size_t n = strlen(type);
    while (n > 0 && (type[n - 1] == ' ' || type[n - 1] == '\t')) n--;
    return n == 7 && strncasecmp(type, "interim", 7) == 0;
}

/* Whether organisation org has a public row of the commitments opc that
 * is not Interim. */
static int has_whole_row(const cJSON *opc, const char *org) {
    const cJSON *it;
    const char *status;
    if (org == NULL) return 0;
    cJSON_ArrayForEach(it, opc) {
        if (!cJSON_IsObject(it) || im_withheld(it, &status)) continue;
        const char *o = row_text(it, "organisation_id");
        if (o && strcmp(o, org) == 0 && !is_interim(row_text(it, "result_type"))) return 1;
    }
    return 0;
}

/* ----------------------------------------------- payers and the cap
 * Reads the rows of /outcome_payment_commitments and the project's
 * maximum outcome payment, with the capital for a cap the record does not
 * give. Writes the contract, held in the scenario as "_contract" until the
 * outcomes section puts it in place, with its payers (one per
 * organisation, each with its share and, when every commitment has an
 * amount, its cap). Leaves the contract, the cap with its status and note
 * (the contract's "cap" is written with the payment rules), and what the
 * payers say they paid. */
static int map_payers(mapper *m, cJSON *sc, map_context *ctx) {
    const cJSON *rec = m->rec;
    char ptrbuf[256];
    const char *how;
    const double capital = ctx->capital;
    cJSON *ctr = cJSON_AddObjectToObject(sc, "_contract");
    cJSON *payers = cJSON_AddArrayToObject(ctr, "payers");
    double commit_sum = 0, paid_by_payers = 0;
    int all_capped = 1, n_payers = 0, any_paid = 0;
    /* Public rows, and those of them giving a commitment and a total paid:
     * a sum over some rows only is not the project's (a lower bound). */
    int n_public = 0, n_capped = 0, n_paid = 0;
    const cJSON *opc = im_rows(rec, "outcome_payment_commitments"), *it;
    /* Each payer's commitments and organisation, as many as the record
     * has rows: no payer is left out however many there are. */
    const size_t n_rows = opc ? (size_t)cJSON_GetArraySize(opc) : 0;
    double *pcap = calloc(n_rows + 1, sizeof *pcap);
    const char **porg = calloc(n_rows + 1, sizeof *porg);
    if (pcap == NULL || porg == NULL) {
        free(pcap);
        free(porg);
        return sib_error_set(m->err, SIB_ENOMEM, "", "out of memory");
    }
    int i = 0;
    ctx->contract = ctr;
    cJSON_ArrayForEach(it, opc) {
        int row = i++;
        char bptr[64];
        if (im_row_withheld(m, it, "outcome_payment_commitments", row, bptr, sizeof bptr)) continue;
        const char *org = im_text(m, it, bptr, "organisation_id");
        if (is_interim(im_text(m, it, bptr, "result_type")) && has_whole_row(opc, org)) {
            im_note(m, INDIGO_SKIPPED, bptr,
                    "an Interim commitment of %s, not added: its row for the whole project "
                    "(Overall) already holds it",
                    org);
            continue;
        }
        double c = NAN, paid = NAN;
        int crc = im_money(m, it, bptr, "maximum_potential_outcome_payment", 0, &c, &how);
        int prc = crc < 0 ? -1 : im_money(m, it, bptr, "total_outcome_payments", 0, &paid, &how);
        if (prc == 0) prc = im_money(m, it, bptr, "total_outcome_payments_made", 0, &paid, &how);
        if (prc < 0) {
            free(pcap);
            free(porg);
            return m->err->code;
        }
        n_public++;
        if (prc > 0) paid_by_payers += paid, n_paid++;
        /* One payer per organisation (the whole id compared, not the name
         * it is cut to): an interim and an overall commitment add up. */
        int pi = -1;
        for (int q = 0; org && q < n_payers; q++)
            if (porg[q] && strcmp(porg[q], org) == 0) {
                pi = q;
                break;
            }
        if (pi < 0) {
            char pname[SCENARIO_NAME_MAX], fallback[32];
            snprintf(fallback, sizeof fallback, "outcome payer %d", row + 1);
            if (im_unique_name(payers, org ? org : fallback, row, pname, sizeof pname)) {
                snprintf(ptrbuf, sizeof ptrbuf, "%s/organisation_id/value", bptr);
                im_note(m, INDIGO_WARNING, ptrbuf,
                        "an organisation id of %zu bytes, more than the 60 a name of the import "
                        "keeps (a scenario's names hold 79): the payer is named \"%s\"",
                        strlen(org), pname);
            }
            cJSON_AddItemToArray(payers, add_str(cJSON_CreateObject(), "name", pname));
            pi = n_payers++;
            porg[pi] = org;
        }
        if (isfinite(c)) {
            pcap[pi] += c;
            commit_sum += c;
            n_capped++;
        } else
            all_capped = 0;
    }
    free(porg);
    /* The payers' payments stand for the project's only when every payer
     * row gives its own: the others' would be counted as nothing. */
    any_paid = n_paid > 0 && n_paid == n_public;
    if (n_paid > 0 && n_paid < n_public)
        im_note(m, INDIGO_WARNING, "/outcome_payment_commitments",
                "outcome payer rows with their total outcome payments: %d of %d, %.0f together, "
                "not the project's payments made, which are not taken from them",
                n_paid, n_public, paid_by_payers);
    double cap = NAN;
    const char *cap_src = NULL;
    if (im_money(m, rec, "", "overall_project_finance/maximum_potential_outcome_payment_v2", 0,
                 &cap, &how) < 0) {
        free(pcap);
        return m->err->code;
    }
    const char *cap_status = "sourced";
    char *cap_note = ctx->cap_note;
    const size_t cap_note_size = sizeof ctx->cap_note;
    if (isfinite(cap) && cap > 0) {
        cap_src = "the maximum potential outcome payment (INDIGO /overall_project_finance)";
        /* With some commitments unknown, their sum is only a lower bound. */
        if (commit_sum > 0 && (all_capped ? fabs(commit_sum - cap) > CAP_TOLERANCE * cap
                                          : commit_sum > (1 + CAP_TOLERANCE) * cap))
            im_note(m, INDIGO_WARNING,
                    "/overall_project_finance/maximum_potential_outcome_payment_v2/amount/value",
                    "the project's cap, %.0f, is not the sum of the payers' commitments, %.0f "
                    "(%.1f%% apart): the project's cap is used and binds",
                    cap, commit_sum, 100 * fabs(commit_sum - cap) / cap);
        snprintf(cap_note, cap_note_size, "The contract's cap: %s.", cap_src);
    } else if (commit_sum > 0 && all_capped) {
        cap = commit_sum;
        cap_status = "inferred";
        snprintf(cap_note, cap_note_size,
                 "The contract's cap: the sum of the outcome payers' maximum commitments.");
    } else {
        double ratio = strcmp(m->currency, "GBP") == 0   ? 4.17
                       : strcmp(m->currency, "USD") == 0 ? 1.57
                       : strcmp(m->currency, "EUR") == 0 ? 1.0
                                                         : DEFAULT_CAP_RATIO;
        /* cap = capital x the median cap / capital; with some payers'
         * commitments known, never below their sum: the cap covers them. */
        cap = fmax(capital * ratio, commit_sum);
        cap_status = "assumed";
        char known[200] = "";
        if (commit_sum > 0)
            snprintf(known, sizeof known,
                     " Outcome payer rows with a maximum commitment: %d of %d, %.0f together; "
                     "the cap is at least that, %s.",
                     n_capped, n_public, commit_sum,
                     commit_sum > capital * ratio ? "which is used" : "which the default exceeds");
        snprintf(cap_note, cap_note_size,
                 "The record gives no cap%s: capital x %.2f, the INDIGO median of cap / capital "
                 "for %s (indigo:cap_over_capital%s%s).%s",
                 commit_sum > 0 ? " and not every payer's commitment" : "", ratio,
                 ratio == DEFAULT_CAP_RATIO ? "all projects" : m->currency,
                 ratio == DEFAULT_CAP_RATIO ? "" : ":",
                 ratio == DEFAULT_CAP_RATIO ? "" : m->currency, known);
        if (commit_sum > 0)
            im_note(m, INDIGO_WARNING, "/outcome_payment_commitments",
                    "outcome payer rows with a maximum commitment: %d of %d, %.0f together, not "
                    "the project's cap, which is assumed (%.0f)",
                    n_capped, n_public, commit_sum, cap);
    }
    if (n_payers == 0) {
        cJSON *p = add_str(cJSON_CreateObject(), "name", "outcome payer");
        cJSON_AddNumberToObject(p, "share", 1);
        cJSON_AddItemToArray(payers, p);
        im_assume(m, "/contract/payers/0", "assumed", SRC_NONE,
                  "The record names no outcome payer: one payer, paying everything.");
    } else {
        double given = 0;
        int k = 0;
        for (cJSON *p = payers->child; p; p = p->next, k++) {
            double share = all_capped && commit_sum > 0 ? pcap[k] / commit_sum : 1.0 / n_payers;
            if (k == n_payers - 1) share = 1 - given;
            if (share < 0) share = 0;
            given += share;
            cJSON_AddNumberToObject(p, "share", share);
            if (all_capped) cJSON_AddNumberToObject(p, "cap", pcap[k]);
            snprintf(ptrbuf, sizeof ptrbuf, "/contract/payers/%d", k);
            im_assume(m, ptrbuf, all_capped ? "inferred" : "assumed", SRC_RECORD,
                      all_capped
                          ? "Outcome payer of the record (/outcome_payment_commitments), capped "
                            "at its maximum commitment; it pays its commitment's share of "
                            "every payment (INDIGO does not record the split)."
                          : "Outcome payer of the record: not every commitment has an amount, "
                            "so the payers are assumed to share every payment equally.");
        }
    }
    free(pcap);
    ctx->cap = cap;
    ctx->cap_status = cap_status;
    ctx->paid_by_payers = paid_by_payers;
    ctx->any_payer_paid = any_paid;
    return SIB_OK;
}

/* --------------------------------------------------------- description
 * Reads the import's counts of sourced, inferred and assumed fields (every
 * assumption is written by now), the sector and the stage. Sets
 * imp->mostly_assumed and writes the scenario's "description". */
static void map_description(mapper *m, const map_context *ctx) {
    indigo_import *imp = m->imp;
    const char *sector = ctx->sector, *stage_dev = ctx->stage;
    imp->mostly_assumed = imp->n_assumed > imp->n_sourced + imp->n_inferred;
    char desc[1600], sector_cut[64], stage_cut[64], id_cut[88];
    im_cut(sector_cut, sizeof sector_cut, sector ? sector : "not given", 60);
    im_cut(stage_cut, sizeof stage_cut, stage_dev ? stage_dev : "not given", 60);
    snprintf(desc, sizeof desc,
             "%sImported by `sibsim import indigo` from the INDIGO impact bond record%s%s "
             "(Government Outcomes Lab, University of Oxford). Sector: %s; stage: %s. What the "
             "record gives is mapped; every other field is a default calibrated on the INDIGO "
             "record (priors/indigo.json: small, UK-heavy samples biased towards published "
             "successes) or assumed, and \"assumptions\" lists each field with where it came from "
             "(%zu sourced, %zu inferred, %zu assumed). Delivery costs are not in INDIGO: the "
             "capital stands for them. See docs/indigo.md.",
             imp->mostly_assumed ? "MOSTLY ASSUMED: the record is sparse, and most of this "
                                   "scenario is defaults, not the deal. "
                                 : "",
             imp->id[0] ? " " : "", shown_id(id_cut, sizeof id_cut, imp->id, 80), sector_cut,
             stage_cut, imp->n_sourced, imp->n_inferred, imp->n_assumed);
    cJSON_SetValuestring(ctx->description, desc);
}

/* The lists of rows the mapping reads are arrays (or {}, empty; null is
 * absent). A list of another type is an error at its pointer, or with
 * --lenient listed and read as absent -- never taken silently as a record
 * without it, which would fill the scenario from defaults. (A section
 * that should be an object, such as dates, is found by im_leaf when a
 * field of it is read.) */
static int check_sections(mapper *m) {
    static const char *const rows[] = {"investments",      "outcome_metrics",
                                       "outcome_pricings", "outcome_payment_commitments",
                                       "results",          "outcome_payments"};
    char ptr[96];
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(m->rec, rows[i]);
        snprintf(ptr, sizeof ptr, "/%s", rows[i]);
        /* {} holds no rows: what some writers make of an empty list. */
        const int empty = cJSON_IsObject(a) && a->child == NULL;
        if (a && !cJSON_IsNull(a) && !cJSON_IsArray(a) && !empty &&
            im_bad_shape(m, ptr, a, "an array of rows") != 0)
            return SIB_EINVAL;
    }
    return SIB_OK;
}

/* rc of a step of the mapping, or the error of a section or a value's
 * parts of the wrong type met in it (im_bad_shape), which stands. */
static int step(const mapper *m, int rc) { return m->shape_bad ? SIB_EINVAL : rc; }

/* The mapping proper: everything but the wrapper. The sections run in
 * the order of the scenario's dependencies, each leaving in ctx what later
 * ones need (indigo_internal.h); the first error stops the mapping (sc
 * still owns what was built). The sections on the capital stack --
 * investor terms, merged tranches, capital; financing -- are in
 * indigo_capital.c; those on the outcome metrics -- metrics, prices and
 * results; outcomes and rules; reconciliation of payments; the realised
 * record -- are in indigo_map.c. */
static int map_record(mapper *m, cJSON *sc) {
    map_context ctx = {0};
    int rc;
    if ((rc = check_sections(m)) != SIB_OK) return rc;
    map_identity(m, sc, &ctx);
    if ((rc = step(m, SIB_OK)) == SIB_OK && (rc = step(m, map_timing(m, &ctx))) == SIB_OK &&
        (rc = step(m, map_people(m, &ctx))) == SIB_OK &&
        (rc = step(m, indigo_map_capital(m, sc, &ctx))) == SIB_OK &&
        (rc = step(m, map_stage(m, sc, &ctx))) == SIB_OK &&
        (rc = step(m, map_payers(m, sc, &ctx))) == SIB_OK &&
        (rc = step(m, indigo_map_metrics(m, &ctx))) == SIB_OK) {
        indigo_map_outcomes(m, sc, &ctx);
        if ((rc = step(m, SIB_OK)) == SIB_OK &&
            (rc = step(m, indigo_map_reconciliation(m, &ctx))) == SIB_OK) {
            indigo_map_financing(m, sc, &ctx);
            indigo_map_realised(m, sc, &ctx);
            map_description(m, &ctx);
            rc = step(m, SIB_OK);
        }
    }
    free(ctx.cohort_sizes);
    free(ctx.metrics);
    return rc;
}

/* cJSON's text with its tabs turned into two spaces of indentation, and
 * one space after a colon. */
static char *print_tree(const cJSON *tree) {
    char *raw = cJSON_Print(tree);
    if (raw == NULL) return NULL;
    size_t tabs = 0, n = strlen(raw);
    for (size_t i = 0; i < n; i++) tabs += raw[i] == '\t';
    char *out = malloc(n + tabs + 2);
    if (out != NULL) {
        size_t j = 0;
        int line_start = 1;
        for (size_t i = 0; i < n; i++) {
            if (raw[i] == '\t') { /* indentation: two spaces; after a colon: one */
                out[j++] = ' ';
                if (line_start) out[j++] = ' ';
                continue;
            }
            line_start = raw[i] == '\n';
            out[j++] = raw[i];
        }
        out[j++] = '\n';
        out[j] = '\0';
    }
    free(raw);
    return out;
}

/* Whether rec has a member of the standard's project that a sibsim
 * scenario or an unrelated object does not ("name", "description" and
 * "sources" are everyone's). A JSON file without one is not an INDIGO
 * record, however sparse: a scenario given by mistake, another export. */
static int has_a_section(const cJSON *rec) {
    static const char *const sections[] = {"stage_development",
                                           "dates",
                                           "purpose_and_classifications",
                                           "overall_project_finance",
                                           "service_and_beneficiaries",
                                           "outcome_payment_commitments",
                                           "investments",
                                           "outcome_metrics",
                                           "outcome_pricings",
                                           "results",
                                           "outcome_payments",
                                           "outcome_payment_plans",
                                           "transactions",
                                           "intermediary_services",
                                           "service_provisions",
                                           "technical_assistances",
                                           "delivery_locations",
                                           "documents",
                                           "grants",
                                           NULL};
    for (const char *const *k = sections; *k; k++)
        if (cJSON_GetObjectItemCaseSensitive(rec, *k) != NULL) return 1;
    return 0;
}

/* The error for such a record: what the standard's fields are, and the
 * members the object has instead. */
static int not_a_record(const cJSON *rec, sib_error *err) {
    char found[200] = "", *w = found;
    size_t k = 0;
    for (const cJSON *c = rec->child; c != NULL && k < 6; c = c->next, k++) {
        size_t left = sizeof found - (size_t)(w - found);
        int n = snprintf(w, left, "%s\"%.30s\"", k ? ", " : "", c->string ? c->string : "");
        if (n < 0 || (size_t)n >= left) break;
        w += n;
    }
    im_utf8_trim(found);
    const int more = cJSON_GetArraySize(rec) > 6;
    return sib_error_set(err, SIB_EINVAL, "",
                         "expected an INDIGO project record, with fields of the standard such as "
                         "\"dates\", \"overall_project_finance\", \"service_and_beneficiaries\", "
                         "\"investments\" or \"outcome_metrics\"; found none%s%s%s",
                         k ? " among its members " : " (an empty object)", found,
                         more ? ", ..." : "");
}

int indigo_map(const cJSON *rec, const char *name, const char *id, const indigo_options *opt,
               indigo_import **out, sib_error *err) {
    *out = NULL;
    sib_error_clear(err);
    if (err) snprintf(err->file, sizeof err->file, "%s", name ? name : "");
    indigo_options defaults = {.provenance = 1};
    if (opt == NULL) opt = &defaults;
    if (!cJSON_IsObject(rec))
        return sib_error_set(err, SIB_EINVAL, "", "expected an INDIGO project record (an object)");
    indigo_import *imp = calloc(1, sizeof *imp);
    cJSON *sc = cJSON_CreateObject(), *assumptions = cJSON_CreateArray();
    if (imp == NULL || sc == NULL || assumptions == NULL) {
        free(imp);
        cJSON_Delete(sc);
        cJSON_Delete(assumptions);
        return sib_error_set(err, SIB_ENOMEM, "", "out of memory");
    }
    imp->id = strdup(id ? id : "");
    if (imp->id == NULL) {
        free(imp);
        cJSON_Delete(sc);
        cJSON_Delete(assumptions);
        return sib_error_set(err, SIB_ENOMEM, "", "out of memory");
    }
    mapper m = {
        .imp = imp, .err = err, .rec = rec, .assumptions = assumptions, .lenient = opt->lenient};
    int rc = map_record(&m, sc);
    if (rc == SIB_OK && m.oom) rc = sib_error_set(err, SIB_ENOMEM, "", "out of memory");
    if (rc == SIB_OK && opt->provenance) {
        cJSON *sources = cJSON_AddArrayToObject(sc, "sources");
        cJSON *s0 = cJSON_CreateObject();
        char t[400], name_cut[160];
        /* A source's title is at most 200 characters: the name is cut at 120 bytes. */
        im_cut(name_cut, sizeof name_cut, imp->name, 120);
        char id_cut[48];
        snprintf(t, sizeof t, "INDIGO impact bond record%s%s: %s", imp->id[0] ? " " : "",
                 shown_id(id_cut, sizeof id_cut, imp->id, 40), name_cut);
        cJSON_AddStringToObject(s0, "title", t);
        cJSON_AddStringToObject(s0, "url", "https://golab-indigo-data-store.herokuapp.com/");
        cJSON_AddStringToObject(s0, "note",
                                "Government Outcomes Lab, University of Oxford - INDIGO Impact "
                                "Bond Dataset; public values only.");
        cJSON_AddItemToArray(sources, s0);
        cJSON *s1 = cJSON_CreateObject();
        cJSON_AddStringToObject(s1, "title",
                                "sibsim prior library priors/indigo.json: INDIGO aggregates, "
                                "export of 20 May 2025");
        cJSON_AddStringToObject(s1, "note",
                                "Small, UK-heavy samples biased towards published successes; see "
                                "docs/indigo.md and docs/calibration.md.");
        cJSON_AddItemToArray(sources, s1);
        cJSON_AddItemToObject(sc, "assumptions", assumptions);
        assumptions = NULL;
    }
    cJSON_Delete(assumptions);
    if (rc == SIB_OK) {
        imp->scenario = print_tree(sc);
        if (imp->scenario == NULL) rc = sib_error_set(err, SIB_ENOMEM, "", "out of memory");
    }
    cJSON_Delete(sc);
    if (rc != SIB_OK) {
        indigo_import_free(imp);
        return rc;
    }
    *out = imp;
    return SIB_OK;
}

int indigo_import_record(const char *text, const char *name, const indigo_options *opt,
                         indigo_import **out, sib_error *err) {
    *out = NULL;
    cJSON *root = json_parse_checked(text, name, err);
    if (root == NULL) return err->code;
    /* The API's wrapper: {"id": ..., "data": {...}} (or under "project"). */
    const cJSON *rec = root, *idv = NULL;
    const cJSON *proj = cJSON_GetObjectItemCaseSensitive(root, "project");
    if (cJSON_IsObject(proj)) rec = proj;
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(rec, "data");
    idv = cJSON_GetObjectItemCaseSensitive(rec, "id");
    if (cJSON_IsObject(data)) rec = data;
    if (!cJSON_IsString(idv)) idv = cJSON_GetObjectItemCaseSensitive(rec, "id");
    if (cJSON_IsObject(idv)) idv = cJSON_GetObjectItemCaseSensitive(idv, "value");
    /* The mapping's pointers are the record's: within a wrapper, say where
     * the record is in the file. */
    const char *prefix = rec == root           ? ""
                         : rec == proj         ? "/project"
                         : rec == data && proj ? "/project/data"
                                               : "/data";
    if (cJSON_IsObject(rec) && !has_a_section(rec)) {
        sib_error_clear(err);
        snprintf(err->file, sizeof err->file, "%s", name ? name : "");
        int rc = not_a_record(rec, err);
        snprintf(err->pointer, sizeof err->pointer, "%s", prefix);
        cJSON_Delete(root);
        return rc;
    }
    im_printable_tree(root);
    int rc = indigo_map(rec, name, cJSON_IsString(idv) ? idv->valuestring : NULL, opt, out, err);
    if (prefix[0]) {
        char buf[sizeof err->pointer + 16];
        if (rc != SIB_OK && err->pointer[0] == '/') {
            snprintf(buf, sizeof buf, "%s%s", prefix, err->pointer);
            snprintf(err->pointer, sizeof err->pointer, "%.255s", buf);
        }
        for (size_t i = 0; rc == SIB_OK && i < (*out)->n_notes; i++) {
            indigo_note *n = &(*out)->notes[i];
            if (n->pointer[0] != '/') continue;
            snprintf(buf, sizeof buf, "%s%s", prefix, n->pointer);
            snprintf(n->pointer, sizeof n->pointer, "%.255s", buf);
        }
    }
    cJSON_Delete(root);
    return rc;
}

void indigo_import_free(indigo_import *imp) {
    if (imp == NULL) return;
    free(imp->scenario);
    free(imp->id);
    free(imp->notes);
    free(imp);
}
