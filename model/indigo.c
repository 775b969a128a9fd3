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
#define DEFAULT_DURATION 3.33      /* duration_years: median, years */
#define DEFAULT_USERS 431.0        /* targeted_users: median */
#define DEFAULT_CAPITAL_USD 1.36e6 /* capital: median, USD */
#define DEFAULT_CAP_RATIO 1.86     /* cap_over_capital: median */
#define DEFAULT_HAZARD 0.065       /* early_termination_hazard */
#define COHORT_YEARS 0.5           /* first payment a median 6 months after the start */
#define MAX_DURATION 100           /* years of service: a record's longer one is cut, and said */

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

/* A percentage written as a fraction (0.066) or in percent (6.6, "6.6%"):
 * the fraction, or -1 when s is not such a number. A bare number above 1
 * is in percent, one up to 1 a fraction: a bare 1 is 100% (bare_one). */
static double fraction_of(const cJSON *v) {
    double x;
    if (cJSON_IsNumber(v))
        x = v->valuedouble;
    else if (cJSON_IsString(v)) {
        char buf[64];
        /* Longer is no percentage (and, cut, could read as one). */
        if (strlen(v->valuestring) >= sizeof buf) return -1;
        snprintf(buf, sizeof buf, "%s", v->valuestring);
        char *pct = strchr(buf, '%');
        if (pct) *pct = '\0';
        if (indigo_parse_number(buf, &x) != 0 || (pct && pct[1] != '\0')) return -1;
        if (pct) return x >= 0 && x <= 100 ? x / 100 : -1;
    } else
        return -1;
    if (x > 1) x /= 100; /* a bare number above 1 is in percent */
    return x >= 0 && x <= 1 ? x : -1;
}

/* Whether v is a bare 1 (1, 1.0, "1", " 1 "): 1% written in percent or
 * 100% written as a fraction, which fraction_of reads as the fraction
 * (100%), as the INDIGO export writes shares (0.066 for 6.6%, 1 for a
 * whole loss). Not "1%" nor "100%", which say which they are. */
static int bare_one(const cJSON *v) {
    double x;
    if (cJSON_IsNumber(v)) return v->valuedouble == 1;
    return cJSON_IsString(v) && strlen(v->valuestring) < 64 &&
           strchr(v->valuestring, '%') == NULL && indigo_parse_number(v->valuestring, &x) == 0 &&
           x == 1;
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
static int unique_name(const cJSON *arr, const char *src, int row, char *buf, size_t size) {
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

/* ------------------------------------------------------ investor terms */

/* The investor's terms at base (pointer bptr): prefix "" for an
 * investment's row, "overall_project_finance/" for the project's. A
 * maximum return is an annual cap when its type is an IRR or an average
 * annual return, or not given (fraction_of: 8, 0.08 and "8%" are 8%); a
 * maximum loss is a share of principal. A given value that is neither is
 * noted as not used, and its has_ flag still set: an investment's own
 * value, usable or not, is its term, never replaced by the project's. */
static void read_terms(mapper *m, const cJSON *base, const char *bptr, const char *prefix,
                       investor_terms *t) {
    char path[96], ptr[256];
    memset(t, 0, sizeof *t);
    snprintf(path, sizeof path, "%smaximum_potential_return_type", prefix);
    t->rtype = im_text(m, base, bptr, path);
    snprintf(path, sizeof path, "%smaximum_potential_return", prefix);
    const cJSON *leaf;
    const cJSON *rv = im_leaf(m, base, bptr, path, ptr, &leaf);
    if (rv != NULL) {
        t->has_return = 1;
        t->ret = fraction_of(rv);
        if (t->rtype && strcmp(t->rtype, "IRR") != 0 &&
            strcmp(t->rtype, "Average annual return") != 0)
            t->ret = -1;
        if (t->ret < 0)
            im_note(m, INDIGO_SKIPPED, ptr,
                    "a maximum return that is not an annual rate sibsim can cap: not used");
        else if (bare_one(rv)) {
            /* 1% in percent or 100% as a fraction: read as the fraction, as
             * any bare number up to 1 is, and said, with where it is. */
            const cJSON *o = cJSON_IsObject(leaf)
                                 ? cJSON_GetObjectItemCaseSensitive(leaf, INDIGO_ORIGIN_KEY)
                                 : NULL;
            char cut[64] = "";
            if (cJSON_IsString(rv)) im_cut(cut, sizeof cut, rv->valuestring, 60);
            im_note(m, INDIGO_WARNING, ptr,
                    "a maximum return of %s%s%s%s%s%s is read as 100%% a year (a bare number up "
                    "to 1 is a fraction, as the INDIGO export writes them), not 1%%: if 1%% was "
                    "meant, write 0.01 or \"1%%\"",
                    cJSON_IsString(rv) ? "\"" : "", cJSON_IsString(rv) ? cut : "1",
                    cJSON_IsString(rv) ? "\"" : "", cJSON_IsString(o) ? " (" : "",
                    cJSON_IsString(o) ? o->valuestring : "", cJSON_IsString(o) ? ")" : "");
        }
    }
    snprintf(path, sizeof path, "%smaximum_potential_loss", prefix);
    const cJSON *lv = im_leaf(m, base, bptr, path, ptr, NULL);
    if (lv != NULL) {
        t->has_loss = 1;
        t->loss = fraction_of(lv);
        if (t->loss < 0)
            im_note(m, INDIGO_SKIPPED, ptr,
                    "a maximum loss that is not a share of principal: not used");
    }
}

/* The project's terms (/overall_project_finance), read the first time a
 * tranche needs them, so that the report lists them as used only then. */
static const investor_terms *project_terms(mapper *m, map_context *ctx) {
    if (!ctx->project_read) {
        read_terms(m, m->rec, "", "overall_project_finance/", &ctx->project);
        ctx->project_read = 1;
    }
    return &ctx->project;
}

/* The annual return cap a term gives, or -1 when it gives none that
 * sibsim can cap (none given, or not an annual rate). */
static double return_cap_of(const investor_terms *t) {
    return t->has_return && t->ret >= 0 ? t->ret : -1;
}

/* The maximum loss, a share of principal below 100%, that a term gives
 * (the rest of each loss is covered), or -1 when it gives none. */
static double loss_cap_of(const investor_terms *t) {
    return t->has_loss && t->loss >= 0 && t->loss < 1 - 1e-9 ? t->loss : -1;
}

/* Write tranche k's terms (t, named tname, committing commit, from row
 * `row` of /investments, or -1 for the one tranche standing for the
 * capital): its own (own), else the project's, which the standard gives
 * for every investor whose row gives none. The maximum return becomes the
 * tranche's return_cap; a maximum loss below 100% of principal a pro-rata
 * guarantee of the rest of each loss, added to guarantees. Each written
 * with its assumption, naming whose term it is. */
static void apply_terms(mapper *m, map_context *ctx, cJSON *t, cJSON *guarantees, size_t k, int row,
                        const char *tname, double commit, const investor_terms *own) {
    char ptrbuf[256];
    const investor_terms *ret = own, *loss = own;
    if (!own->has_return || !own->has_loss) {
        const investor_terms *proj = project_terms(m, ctx);
        if (!own->has_return) ret = proj;
        if (!own->has_loss) loss = proj;
    }
    const char *whose_ret = row < 0      ? "of the project (/overall_project_finance)"
                            : ret == own ? "of the investment"
                                         : "of the project (/overall_project_finance), given for "
                                           "every investor whose row gives none";
    if (return_cap_of(ret) >= 0) {
        cJSON_AddNumberToObject(t, "return_cap", ret->ret);
        snprintf(ptrbuf, sizeof ptrbuf, "/financing/0/tranches/%zu/return_cap", k);
        im_assume(m, ptrbuf, "sourced", SRC_RECORD,
                  "Maximum potential return (%s) %s, as an annual cap.",
                  ret->rtype ? ret->rtype : "type not given", whose_ret);
    }
    if (loss_cap_of(loss) >= 0) {
        const double l = loss->loss;
        cJSON *g = cJSON_CreateObject();
        char gname[SCENARIO_NAME_MAX], gsrc[SCENARIO_NAME_MAX + 16];
        snprintf(gsrc, sizeof gsrc, "protection of %s", tname);
        unique_name(guarantees, gsrc, row >= 0 ? row : 0, gname, sizeof gname);
        cJSON_AddStringToObject(g, "name", gname);
        cJSON_AddStringToObject(g, "tranche", tname);
        cJSON_AddStringToObject(g, "kind", "pro_rata");
        cJSON_AddNumberToObject(g, "share", 1 - l);
        cJSON_AddNumberToObject(g, "max", im_cents((1 - l) * commit));
        cJSON_AddItemToArray(guarantees, g);
        snprintf(ptrbuf, sizeof ptrbuf, "/financing/0/guarantees/%d",
                 cJSON_GetArraySize(guarantees) - 1);
        im_assume(m, ptrbuf, "inferred", SRC_RECORD,
                  "Maximum potential loss %.0f%% of principal (%s), written as pro-rata cover of "
                  "%.0f%% of each loss: exact for a total loss, kinder to investors for a "
                  "partial one (sibsim has no loss floor).",
                  l * 100,
                  row < 0       ? "the project's"
                  : loss == own ? "the investment's"
                                : "the project's, given for every investor whose row gives none",
                  (1 - l) * 100);
    }
}

/* ------------------------------------------------------ merged tranches
 * A sibsim structure holds at most FINANCING_MAX_TRANCHES tranches; a few
 * INDIGO projects list more investments than that (most list one to four).
 * Investments of the same seniority and the same maximum return and loss
 * then go into one tranche of their summed commitment. That is exact, not
 * an approximation: a tranche draws pro rata to what each of its investors
 * has not drawn and repays pro rata to what each is owed (docs/model.md), so
 * investors on the same terms are paid their shares of one tranche as they
 * would be paid as tranches of their own, side by side; a cover of a share
 * of each loss up to that share of the commitment adds up the same way. */

typedef struct merge_group {
    int senior;        /* the kind: senior (1) or subordinated (0) */
    double ret, loss;  /* the terms in force, -1 where none applies */
    size_t count;      /* investments in it */
    double commit;     /* their summed commitment */
    int emitted;       /* its tranche has been written */
    char members[900]; /* "/investments/0, /investments/3, ..." */
} merge_group;

typedef struct merge_plan {
    size_t n_public;     /* investments with a public commitment */
    size_t n_groups;     /* groups of the same terms, in order of first member */
    int *group_of;       /* [row]: its group, or -1 when not a tranche */
    merge_group *groups; /* [n_groups] */
} merge_plan;

/* Whether an investment of this investment_type (NULL: none given) is
 * subordinated: equity is; debt, a combination or no type are senior
 * (INDIGO does not record seniority). */
static int subordinated(const char *type) { return type != NULL && strcmp(type, "Equity") == 0; }

/* The terms in force of one investment, as apply_terms reads them: its
 * own, else the project's; -1 where none applies. */
static void terms_in_force(const investor_terms *own, const investor_terms *proj, double *ret,
                           double *loss) {
    *ret = return_cap_of(own->has_return ? own : proj);
    *loss = loss_cap_of(own->has_loss ? own : proj);
}

/* Read the public investments of `inv` quietly (the notes their reading
 * makes are dropped: map_capital reads them again, in order) and, when
 * there are more than a structure holds, group them by their terms into
 * plan. Returns 0, or -1 after an error (malformed: the error map_capital
 * would give) or when out of memory. */
static int plan_merge(mapper *m, const cJSON *inv, merge_plan *plan) {
    memset(plan, 0, sizeof *plan);
    const size_t rows = (size_t)cJSON_GetArraySize(inv), notes = m->imp->n_notes;
    plan->group_of = malloc((rows + 1) * sizeof *plan->group_of);
    plan->groups = calloc(rows + 1, sizeof *plan->groups);
    if (plan->group_of == NULL || plan->groups == NULL) {
        sib_error_set(m->err, SIB_ENOMEM, NULL, "out of memory");
        return -1;
    }
    investor_terms proj;
    read_terms(m, m->rec, "", "overall_project_finance/", &proj);
    const cJSON *it;
    int row = 0, failed = 0;
    cJSON_ArrayForEach(it, inv) {
        const int r = row++;
        plan->group_of[r] = -1;
        char bptr[64];
        double commit;
        const char *chow;
        if (im_row_withheld(m, it, "investments", r, bptr, sizeof bptr)) continue;
        const int rc = im_money(m, it, bptr, "investment_commitment", 1, &commit, &chow);
        if (rc < 0) {
            failed = 1;
            break;
        }
        if (rc == 0 || commit <= 0) continue;
        plan->n_public++;
        const char *type = im_text(m, it, bptr, "investment_type");
        investor_terms own;
        read_terms(m, it, bptr, "", &own);
        merge_group key = {.senior = !subordinated(type)};
        terms_in_force(&own, &proj, &key.ret, &key.loss);
        size_t g = 0;
        while (g < plan->n_groups &&
               !(plan->groups[g].senior == key.senior && plan->groups[g].ret == key.ret &&
                 plan->groups[g].loss == key.loss))
            g++;
        merge_group *grp = &plan->groups[g];
        if (g == plan->n_groups) {
            *grp = key;
            plan->n_groups++;
        }
        grp->count++;
        grp->commit += commit;
        const size_t used = strlen(grp->members);
        if (used + strlen(bptr) + 8 < sizeof grp->members)
            snprintf(grp->members + used, sizeof grp->members - used, "%s%s", used ? ", " : "",
                     bptr);
        else if (used + 6 < sizeof grp->members && strcmp(grp->members + used - 3, "...") != 0)
            snprintf(grp->members + used, sizeof grp->members - used, ", ...");
        plan->group_of[r] = (int)g;
    }
    m->imp->n_notes = notes; /* read again, in order, by map_capital */
    return failed ? -1 : 0;
}

static void plan_free(merge_plan *plan) {
    free(plan->group_of);
    free(plan->groups);
}

/* ------------------------------------------------------------ capital
 * Reads /overall_project_finance/total_investment_commitment and the rows
 * of /investments, with the project's maximum return and loss for an
 * investment that gives none (apply_terms). Writes each public investment
 * as a tranche (name, kind, commitment, return_cap) and each maximum loss
 * below 100% as a guarantee,
 * held in the scenario under the working names "_tranches" and
 * "_guarantees" (the scenario owns them whatever error comes first) until
 * the financing section puts them in place. Leaves the capital with its
 * status and note, the tranches and how many the investments gave. */
static int map_capital(mapper *m, cJSON *sc, map_context *ctx) {
    const cJSON *rec = m->rec;
    char ptrbuf[256];
    int rc;
    double capital = NAN;
    const char *cap_how = NULL;
    if ((rc = im_money(m, rec, "", "overall_project_finance/total_investment_commitment", 1,
                       &capital, &cap_how)) < 0)
        return m->err->code;

    /* investments -> tranches (read now: their sum is a fallback capital) */
    /* Built before their place in the scenario: held in sc under working
     * names until then, so that sc owns them whatever error comes first. */
    cJSON *tranches = cJSON_AddArrayToObject(sc, "_tranches");
    cJSON *guarantees = cJSON_AddArrayToObject(sc, "_guarantees");
    double tranche_sum = 0;
    size_t n_tranches = 0;
    const cJSON *inv = im_rows(rec, "investments"), *it;
    /* More investments than a structure holds tranches: those on the same
     * terms are merged (plan_merge); more groups than that are refused,
     * naming where the first group over the limit starts, not cut to fit. */
    merge_plan plan;
    if (plan_merge(m, inv, &plan) != 0) {
        plan_free(&plan);
        return m->err->code;
    }
    const int merging = plan.n_public > FINANCING_MAX_TRANCHES;
    if (merging && plan.n_groups > FINANCING_MAX_TRANCHES) {
        char over[64] = "", over_origin[300] = "";
        int r = 0;
        cJSON_ArrayForEach(it, inv) {
            if (plan.group_of[r] == FINANCING_MAX_TRANCHES) {
                snprintf(over, sizeof over, "/investments/%d", r);
                im_row_origin(it, over_origin, sizeof over_origin);
                break;
            }
            r++;
        }
        sib_error_set(m->err, SIB_EINVAL, over,
                      "expected at most %d tranches (a sibsim financing structure holds no "
                      "more), found %zu investments with a public commitment on %zu different "
                      "terms (seniority, maximum return, maximum loss), after those on the same "
                      "terms were merged into one tranche; the %dth terms start here%s%s%s: the "
                      "record cannot be imported as it stands (merge investments into one, by "
                      "investor or by type, and import again)",
                      FINANCING_MAX_TRANCHES, plan.n_public, plan.n_groups,
                      FINANCING_MAX_TRANCHES + 1, over_origin[0] ? " (" : "", over_origin,
                      over_origin[0] ? ")" : "");
        plan_free(&plan);
        return m->err->code;
    }
    if (merging)
        im_note(m, INDIGO_WARNING, "/investments",
                "%zu investments with a public commitment, more than the %d tranches a "
                "structure holds: those on the same terms (seniority, maximum return, maximum "
                "loss) are merged into one tranche each, %zu in all, which pays each investor "
                "its share exactly",
                plan.n_public, FINANCING_MAX_TRANCHES, plan.n_groups);
    int i = 0;
    ctx->tranches = tranches;
    cJSON_ArrayForEach(it, inv) {
        int row = i++;
        char bptr[64];
        if (im_row_withheld(m, it, "investments", row, bptr, sizeof bptr)) continue;
        double commit;
        const char *chow;
        if ((rc = im_money(m, it, bptr, "investment_commitment", 1, &commit, &chow)) < 0) {
            plan_free(&plan);
            return m->err->code;
        }
        if (rc == 0 || commit <= 0) {
            im_note(m, INDIGO_SKIPPED, bptr, "no public commitment amount: not a tranche");
            continue;
        }
        const char *org = im_text(m, it, bptr, "organisation_id");
        const cJSON *idv = cJSON_GetObjectItemCaseSensitive(it, "id");
        /* The group this investment is merged into, when merging: NULL
         * when it is a tranche of its own. */
        merge_group *grp = merging && plan.groups[plan.group_of[row]].count > 1
                               ? &plan.groups[plan.group_of[row]]
                               : NULL;
        tranche_sum += commit;
        if (grp != NULL && grp->emitted) {
            /* Its group's tranche is written: its terms are read, as every
             * member's are, for the record of the fields used. */
            investor_terms own;
            (void)im_text(m, it, bptr, "investment_type");
            read_terms(m, it, bptr, "", &own);
            continue;
        }
        char tname[SCENARIO_NAME_MAX], fallback[32];
        snprintf(fallback, sizeof fallback, "investor %zu", n_tranches + 1);
        const char *type = im_text(m, it, bptr, "investment_type");
        const char *kind = subordinated(type) ? "subordinated" : "senior";
        char merged[SCENARIO_NAME_MAX];
        if (grp != NULL) snprintf(merged, sizeof merged, "%zu %s investors", grp->count, kind);
        /* Names are unique within a structure. */
        if (unique_name(tranches,
                        grp != NULL           ? merged
                        : org                 ? org
                        : cJSON_IsString(idv) ? idv->valuestring
                                              : fallback,
                        row, tname, sizeof tname) &&
            grp == NULL) {
            snprintf(ptrbuf, sizeof ptrbuf, "%s/%s", bptr, org ? "organisation_id/value" : "id");
            im_note(m, INDIGO_WARNING, ptrbuf,
                    "an id of %zu bytes, more than the 60 a name of the import keeps (a "
                    "scenario's names hold 79): the tranche is named \"%s\"",
                    strlen(org ? org : idv->valuestring), tname);
        }
        cJSON *t = cJSON_CreateObject();
        cJSON_AddStringToObject(t, "name", tname);
        cJSON_AddStringToObject(t, "kind", kind);
        cJSON_AddNumberToObject(t, "commitment", grp != NULL ? grp->commit : commit);
        cJSON_AddItemToArray(tranches, t);
        size_t k = n_tranches++;
        snprintf(ptrbuf, sizeof ptrbuf, "/financing/0/tranches/%zu/commitment", k);
        if (grp != NULL) {
            grp->emitted = 1;
            im_assume(m, ptrbuf, "sourced", SRC_RECORD,
                      "The summed commitments of %zu investments on the same terms (%s, the "
                      "same maximum return and loss; INDIGO %s), merged into one tranche as the "
                      "record lists more investments than a structure holds tranches (%d): a "
                      "tranche draws and repays pro rata, so each investor gets its share "
                      "exactly as a tranche of its own would.",
                      grp->count, kind, grp->members, FINANCING_MAX_TRANCHES);
        } else
            im_assume(m, ptrbuf, "sourced", SRC_RECORD,
                      "Investment commitment of %s (INDIGO %s, %s).", tname, bptr, chow);
        snprintf(ptrbuf, sizeof ptrbuf, "/financing/0/tranches/%zu/kind", k);
        if (grp != NULL)
            /* (the members' types may differ, debt and a combination both
             * being senior: the first one's is not quoted as theirs) */
            im_assume(m, ptrbuf, type ? "inferred" : "assumed", type ? SRC_RECORD : SRC_NONE,
                      "The investments' types: equity is read as subordinated, debt and "
                      "combinations as senior, no type as senior (INDIGO does not record "
                      "seniority).");
        else
            im_assume(m, ptrbuf, type ? "inferred" : "assumed", type ? SRC_RECORD : SRC_NONE,
                      type ? "Investment type \"%s\": equity is read as subordinated, debt and "
                             "combinations as senior (INDIGO does not record seniority)."
                           : "%sNo investment type: senior assumed.",
                      type ? type : "");
        investor_terms own;
        read_terms(m, it, bptr, "", &own);
        apply_terms(m, ctx, t, guarantees, k, row, tname, grp != NULL ? grp->commit : commit, &own);
    }
    plan_free(&plan);
    if (isfinite(capital) && capital <= 0) {
        im_note(m, INDIGO_WARNING, "/overall_project_finance/total_investment_commitment",
                "a total investment commitment of 0: not used (a tranche commits more than 0)");
        capital = NAN;
    }
    const char *capital_status = "sourced";
    char *capital_note = ctx->capital_note;
    const size_t capital_note_size = sizeof ctx->capital_note;
    if (isfinite(capital)) {
        snprintf(capital_note, capital_note_size,
                 "the total investment commitment (INDIGO /overall_project_finance, %s)", cap_how);
        if (n_tranches > 0 && fabs(tranche_sum - capital) > CAP_TOLERANCE * capital)
            im_note(m, INDIGO_WARNING, "/investments",
                    "the investments add up to %.0f, the total investment commitment is %.0f",
                    tranche_sum, capital);
    } else if (n_tranches > 0) {
        capital = tranche_sum;
        capital_status = "inferred";
        snprintf(capital_note, capital_note_size, "the sum of the investments' commitments");
    } else {
        capital = DEFAULT_CAPITAL_USD;
        capital_status = "assumed";
        snprintf(capital_note, capital_note_size,
                 "the record gives no capital: the record's median capital raised, USD 1.36m "
                 "(indigo:capital, n = 263)%s",
                 strcmp(m->currency, "USD") ? ", taken as the same number in this currency" : "");
    }
    ctx->capital = capital;
    ctx->capital_status = capital_status;
    ctx->n_tranches = n_tranches;
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
            if (unique_name(payers, org ? org : fallback, row, pname, sizeof pname)) {
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

/* ---------------------------------------------------------- financing
 * Reads the tranches and the capital (and, when the investments gave no
 * tranche, the project's maximum return and loss, apply_terms). Writes
 * "financing": one impact bond holding the tranches (one, "investors",
 * committing the capital, on the project's terms, when the investments
 * gave none) and the guarantees, moved from their working names. Leaves
 * the project's terms read. */
static void map_financing(mapper *m, cJSON *sc, map_context *ctx) {
    const double capital = ctx->capital;
    const char *capital_status = ctx->capital_status;
    cJSON *tranches = ctx->tranches;
    cJSON *fin = cJSON_AddArrayToObject(sc, "financing");
    cJSON *sib = cJSON_CreateObject();
    cJSON_AddStringToObject(sib, "name", "impact bond");
    cJSON_AddStringToObject(sib, "type", "sib");
    if (ctx->n_tranches == 0) {
        cJSON *t = cJSON_CreateObject();
        cJSON_AddStringToObject(t, "name", "investors");
        cJSON_AddNumberToObject(t, "commitment", capital);
        cJSON_AddItemToArray(tranches, t);
        im_assume(m, "/financing/0/tranches/0/commitment", capital_status,
                  capital_status[0] == 'a' ? SRC_LIBRARY : SRC_RECORD, "The capital: %s.",
                  ctx->capital_note);
        const investor_terms none = {0};
        apply_terms(m, ctx, t, cJSON_GetObjectItemCaseSensitive(sc, "_guarantees"), 0, -1,
                    "investors", capital, &none);
    }
    cJSON_AddItemToObject(sib, "tranches",
                          cJSON_DetachItemFromObjectCaseSensitive(sc, "_tranches"));
    cJSON *guarantees = cJSON_DetachItemFromObjectCaseSensitive(sc, "_guarantees");
    if (cJSON_GetArraySize(guarantees) > 0)
        cJSON_AddItemToObject(sib, "guarantees", guarantees);
    else
        cJSON_Delete(guarantees);
    cJSON_AddItemToArray(fin, sib);
    im_assume(m, "/financing/0/type", "assumed", SRC_NONE,
              "An impact bond: investors front the delivery cost and are repaid from the outcome "
              "payments (INDIGO has no SIB / DIB flag).");
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

/* The mapping proper: everything but the wrapper. The sections run in
 * the order of the scenario's dependencies, each leaving in ctx what later
 * ones need (indigo_internal.h); the first error stops the mapping (sc
 * still owns what was built). The sections on the outcome metrics --
 * metrics, prices and results; outcomes and rules; reconciliation of
 * payments; the realised record -- are in indigo_map.c. */
static int map_record(mapper *m, cJSON *sc) {
    map_context ctx = {0};
    int rc;
    map_identity(m, sc, &ctx);
    if ((rc = map_timing(m, &ctx)) == SIB_OK && (rc = map_people(m, &ctx)) == SIB_OK &&
        (rc = map_capital(m, sc, &ctx)) == SIB_OK && (rc = map_stage(m, sc, &ctx)) == SIB_OK &&
        (rc = map_payers(m, sc, &ctx)) == SIB_OK && (rc = indigo_map_metrics(m, &ctx)) == SIB_OK) {
        indigo_map_outcomes(m, sc, &ctx);
        if ((rc = indigo_map_reconciliation(m, &ctx)) == SIB_OK) {
            map_financing(m, sc, &ctx);
            indigo_map_realised(m, sc, &ctx);
            map_description(m, &ctx);
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
