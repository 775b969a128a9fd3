/* indigo_capital.c -- the sections of the INDIGO mapping (indigo.c) on
 * the capital stack: the investors' terms (maximum return and loss), the
 * tranches the investments become (merged by their terms when there are
 * more than a structure holds), the capital, and the financing structure
 * that holds the tranches and the guarantees. indigo.c's map_record calls
 * them in its order, between its own sections, through the map_context of
 * indigo_internal.h; indigo.c gives the mapping's overview.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indigo_internal.h"
#include "scenario.h"

/* The default capital, restating a figure of priors/indigo.json (docs/indigo.md). */
#define DEFAULT_CAPITAL_USD 1.36e6 /* capital: median, USD */

/* ------------------------------------------------------ investor terms */

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
        im_unique_name(guarantees, gsrc, row >= 0 ? row : 0, gname, sizeof gname);
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
 * makes are dropped: indigo_map_capital reads them again, in order) and,
 * when there are more than a structure holds, group them by their terms
 * into plan. Returns 0, or -1 after an error (malformed: the error
 * indigo_map_capital would give) or when out of memory. */
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
    m->imp->n_notes = notes; /* read again, in order, by indigo_map_capital */
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
int indigo_map_capital(mapper *m, cJSON *sc, map_context *ctx) {
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
        if (im_unique_name(tranches,
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

/* ---------------------------------------------------------- financing
 * Reads the tranches and the capital (and, when the investments gave no
 * tranche, the project's maximum return and loss, apply_terms). Writes
 * "financing": one impact bond holding the tranches (one, "investors",
 * committing the capital, on the project's terms, when the investments
 * gave none) and the guarantees, moved from their working names. Leaves
 * the project's terms read. */
void indigo_map_financing(mapper *m, cJSON *sc, map_context *ctx) {
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
