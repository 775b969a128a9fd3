/* loader_financing.c -- the scenario's "/financing": structures of every
 * type, tranches, guarantees, fees and blends by stage. See
 * loader_internal.h and docs/scenario-format.md#financing.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "financing.h"
#include "loader_internal.h"

/* -------------------------------------------------------------- financing */

static const char *const tranche_kind_names[] = {"senior", "subordinated", "deferred_fee",
                                                 "recoverable_grant", NULL};

/* "paid_by" of a fixed coupon or a redemption: "commissioner" (the default:
 * the structure's public side) or the name of a payer of the contract. */
static int read_paid_by(ctx *c, const cJSON *v, const scenario *sc, char *out, size_t size) {
    if (read_string(c, v, "paid_by", "commissioner", out, size)) return c->err->code;
    if (strcmp(out, "commissioner") == 0) return SIB_OK;
    size_t p;
    FIND_NAME(sc->contract.payers, sc->contract.n_payers, out, p);
    if (p != SIZE_MAX) return SIB_OK;
    char list[300];
    size_t len = 0;
    list[0] = '\0';
    for (size_t k = 0; k < sc->contract.n_payers && len + 2 < sizeof list; k++)
        if (strcmp(sc->contract.payers[k].name, "commissioner") != 0)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s\"%s\"", len ? ", " : "",
                                    sc->contract.payers[k].name);
    ctx_push(c, "paid_by");
    if (len == 0)
        return fail(c,
                    "expected \"commissioner\" (the contract names no other payer), found "
                    "\"%s\"",
                    out);
    return fail(c,
                "expected \"commissioner\" or the name of a payer of the contract (%s), "
                "found \"%s\"",
                list, out);
}

/* "repaid_from": the names of the payment rules whose payments repay the
 * tranche, each a rule of the contract, each once; stored in contract
 * order (the order the waterfall takes them in). */
static int read_repaid_from(ctx *c, const cJSON *v, const scenario *sc, tranche *t) {
    const cJSON *arr;
    size_t n;
    if (read_array(c, v, "repaid_from", 0, &arr, &n)) return c->err->code;
    if (arr == NULL) return SIB_OK;
    const size_t nr = sc->contract.n_rules;
    unsigned char *seen = xcalloc(c, nr, 1);
    if (seen == NULL) return SIB_ENOMEM;
    size_t s1 = ctx_push(c, "repaid_from"), i = 0;
    int rc = SIB_OK;
    char list[300];
    for (const cJSON *e = arr->child; e && rc == SIB_OK; e = e->next, i++) {
        size_t s2 = ctx_push_index(c, i), r = SIZE_MAX;
        if (cJSON_IsString(e)) FIND_NAME(sc->contract.rules, nr, e->valuestring, r);
        if (r == SIZE_MAX) {
            LIST_NAMES(sc->contract.rules, nr, list);
            rc = cJSON_IsString(e)
                     ? fail(c,
                            "expected the name of a payment rule of the contract (%s), found "
                            "\"%s\"",
                            list, e->valuestring)
                     : fail_expected(c, e, "the name of a payment rule of the contract (%s)", list);
        } else if (seen[r]) {
            rc = fail(c, "payment \"%s\" is listed twice", e->valuestring);
        } else {
            seen[r] = 1;
        }
        ctx_pop(c, s2);
    }
    if (rc == SIB_OK) {
        t->repaid_from = xcalloc(c, n, sizeof *t->repaid_from);
        if (t->repaid_from == NULL) rc = SIB_ENOMEM;
        for (size_t r = 0; r < nr && rc == SIB_OK; r++)
            if (seen[r]) t->repaid_from[t->n_repaid_from++] = r;
        ctx_pop(c, s1);
    }
    free(seen);
    return rc;
}

/* "fixed_coupon": {"rate", "until", "paid_by"}. */
static int read_fixed_coupon(ctx *c, const cJSON *v, const scenario *sc, tranche *t) {
    static const char *const keys[] = {"rate", "until", "paid_by", NULL};
    const cJSON *fc = member(v, "fixed_coupon");
    t->has_fixed_coupon = fc != NULL;
    if (fc == NULL) return SIB_OK;
    size_t s1 = ctx_push(c, "fixed_coupon");
    if (!cJSON_IsObject(fc))
        return fail_expected(c, fc, "an object with \"rate\", \"until\" and \"paid_by\"");
    if (check_object(c, fc, keys) || read_number(c, fc, "rate", 1, 0, 0, 1, &t->fixed.rate) ||
        read_positive(c, fc, "until", 1, 0, 200, &t->fixed.until) ||
        read_paid_by(c, fc, sc, t->fixed.paid_by, sizeof t->fixed.paid_by))
        return c->err->code;
    ctx_pop(c, s1);
    return SIB_OK;
}

/* "redemption": [{"at" | "after", "share_returned", "if_irr_below", "paid_by"}, ...]. */
static int read_redemption(ctx *c, const cJSON *v, const scenario *sc, tranche *t) {
    static const char *const keys[] = {"at",           "after",   "share_returned",
                                       "if_irr_below", "paid_by", NULL};
    const cJSON *arr;
    size_t n;
    if (read_array(c, v, "redemption", 0, &arr, &n)) return c->err->code;
    if (arr == NULL) return SIB_OK;
    size_t s1 = ctx_push(c, "redemption");
    if (n > TRANCHE_MAX_REDEMPTIONS)
        return fail_expected(c, arr, "at most %d redemption dates", TRANCHE_MAX_REDEMPTIONS);
    size_t i = 0;
    for (const cJSON *e = arr->child; e; e = e->next, i++) {
        redemption *x = &t->redemptions[i];
        size_t s2 = ctx_push_index(c, i);
        if (check_object(c, e, keys)) return c->err->code;
        x->after = member(e, "after") != NULL;
        if (x->after == (member(e, "at") != NULL))
            return fail(c, "expected exactly one of \"at\" (the investors may redeem on that "
                           "date) or \"after\" (in any period after it)");
        x->has_irr_below = member(e, "if_irr_below") != NULL;
        if (read_number(c, e, x->after ? "after" : "at", 1, 0, 0, 200, &x->at) ||
            read_number(c, e, "share_returned", 1, 0, 0, 1, &x->share_returned) ||
            read_number(c, e, "if_irr_below", 0, 0, 0, 1, &x->irr_below) ||
            read_paid_by(c, e, sc, x->paid_by, sizeof x->paid_by))
            return c->err->code;
        ctx_pop(c, s2);
    }
    t->n_redemptions = n;
    ctx_pop(c, s1);
    return SIB_OK;
}

static int read_tranche(ctx *c, const cJSON *v, const scenario *sc, tranche *t) {
    static const char *const keys[] = {"name",        "kind",         "commitment",    "priority",
                                       "coupon",      "return_cap",   "discount_rate", "maturity",
                                       "repaid_from", "fixed_coupon", "redemption",    NULL};
    int kind;
    double priority;
    t->has_return_cap = member(v, "return_cap") != NULL;
    t->has_coupon = member(v, "coupon") != NULL;
    t->has_maturity = member(v, "maturity") != NULL;
    if (check_object(c, v, keys) || read_string(c, v, "name", "investors", t->name, sizeof t->name) ||
        read_enum(c, v, "kind", tranche_kind_names, TRANCHE_SENIOR, &kind) ||
        read_positive(c, v, "commitment", 1, 0, LOADER_MONEY_MAX, &t->commitment))
        return c->err->code;
    t->kind = (tranche_kind)kind;
    /* Seniority by kind: senior, subordinated, deferred fees, recoverable grants. */
    if (read_integer(c, v, "priority", 0, 1 + kind, 1, 100, &priority) ||
        read_number(c, v, "coupon", 0, 0, 0, 1, &t->coupon) ||
        read_number(c, v, "return_cap", 0, HUGE_VAL, 0, 1, &t->return_cap) ||
        read_number(c, v, "discount_rate", 0, sc->sim.discount_rate, -0.1, 1, &t->discount_rate) ||
        read_time(c, v, "maturity", 0, 0, 0, 200, &t->maturity))
        return c->err->code;
    t->priority = (int)priority;
    if (t->has_coupon && t->has_return_cap) {
        ctx_push(c, "return_cap");
        return fail(c, "a tranche has a \"coupon\" (what it is owed) or a \"return_cap\" (the most "
                       "it can earn), not both");
    }
    if (read_repaid_from(c, v, sc, t) || read_fixed_coupon(c, v, sc, t) ||
        read_redemption(c, v, sc, t))
        return c->err->code;
    return SIB_OK;
}

/* The fields of each financing type, beyond name and type. */
static const char *const *fin_fields(financing_type t) {
    static const char *const none[] = {NULL};
    static const char *const ffs[] = {"margin", NULL};
    static const char *const pbr[] = {"fee_share", "cost_of_capital", NULL};
    static const char *const sib[] = {"tranches", "guarantees", "fees", "provider_share",
                                      "recycle", NULL};
    static const char *const by_stage[] = {"stages", NULL};
    switch (t) {
    case FIN_GRANT: return none;
    case FIN_FEE_FOR_SERVICE: return ffs;
    case FIN_PBR: return pbr;
    case FIN_SIB:
    case FIN_OUTCOMES_FUND:
    case FIN_DIB: return sib;
    case FIN_BY_STAGE: return by_stage;
    }
    return none;
}

static const char *const guarantee_kind_names[] = {"first_loss", "pro_rata", NULL};
static const char *const fee_payer_names[] = {"tranche", "commissioner", NULL};

/* A guarantee's terms after its name and tranche: "kind" (required), the
 * kind's own terms, and an optional fee. A term of the other kind gets a
 * message that names the kind it belongs to, since the two are easy to mix
 * up: the Rikers Island sources speak of "75% first-loss cover", which only
 * a pro-rata share reproduces (see its scenario). */
static int read_guarantee_terms(ctx *c, const cJSON *g, guarantee *gu) {
    if (member(g, "kind") == NULL)
        return fail(c, "missing field \"kind\": expected \"first_loss\" (the guarantor pays the "
                       "first \"amount\" of the loss) or \"pro_rata\" (a \"share\" of each "
                       "loss, up to \"max\")");
    int kind;
    if (read_enum(c, g, "kind", guarantee_kind_names, -1, &kind)) return c->err->code;
    gu->kind = (guarantee_kind)kind;
    if (gu->kind == GUARANTEE_FIRST_LOSS) {
        static const char *const theirs[] = {"share", "max", NULL};
        for (const char *const *k = theirs; *k; k++)
            if (member(g, *k) != NULL) {
                ctx_push(c, *k);
                return fail(c, "\"%s\" belongs to kind \"pro_rata\" (a \"share\" of each loss, "
                               "up to \"max\"); a \"first_loss\" guarantee pays the first "
                               "\"amount\" of the loss",
                            *k);
            }
        if (read_positive(c, g, "amount", 1, 0, LOADER_MONEY_MAX, &gu->amount))
            return c->err->code;
        /* min(1 x L, amount) = min(L, amount): code that reads only share
         * and max computes first-loss cover rightly too. */
        gu->share = 1;
        gu->max = gu->amount;
    } else {
        if (member(g, "amount") != NULL) {
            ctx_push(c, "amount");
            return fail(c, "\"amount\" belongs to kind \"first_loss\" (the guarantor pays the "
                           "first \"amount\" of the loss); a \"pro_rata\" guarantee takes "
                           "\"share\" and \"max\"");
        }
        const cJSON *sh = member(g, "share");
        if (sh != NULL && cJSON_IsNumber(sh) && sh->valuedouble <= 0) {
            ctx_push(c, "share");
            return fail_expected(c, sh, "a number in (0, 1] (a share of each loss)");
        }
        if (read_number(c, g, "share", 1, 0, 0, 1, &gu->share) ||
            read_positive(c, g, "max", 0, HUGE_VAL, LOADER_MONEY_MAX, &gu->max))
            return c->err->code;
        gu->amount = 0;
    }
    /* "fee_paid_by" is refused only when "fee" is absent, not when it is 0:
     * a sweep of the fee passes through 0. */
    int paid_by;
    if (read_number(c, g, "fee", 0, 0, 0, 1, &gu->fee)) return c->err->code;
    if (member(g, "fee_paid_by") != NULL && member(g, "fee") == NULL) {
        ctx_push(c, "fee_paid_by");
        return fail(c, "\"fee_paid_by\" needs a \"fee\" (the annual rate paid for the cover); "
                       "this guarantee has none");
    }
    if (read_enum(c, g, "fee_paid_by", fee_payer_names, FEE_PAID_BY_TRANCHE, &paid_by))
        return c->err->code;
    gu->fee_paid_by = (fee_payer)paid_by;
    return SIB_OK;
}

/* The index of a payment rule that pays its return as interest, or SIZE_MAX. */
static size_t interest_rule(const scenario *sc) {
    for (size_t r = 0; r < sc->contract.n_rules; r++)
        if (sc->contract.rules[r].return_as_interest) return r;
    return SIZE_MAX;
}

/* A recycling reserve pools every rule's payments while delivery goes on:
 * which rule paid what is lost, so it cannot feed tranches repaid from
 * given rules, nor tell interest ("return_paid": "as_interest") from
 * principal. The error is at "recycle", after the walk has read it. */
static int check_recycle(ctx *c, const scenario *sc, const financing *f) {
    for (size_t k = 0; k < f->n_tranches; k++)
        if (f->tranches[k].n_repaid_from > 0) {
            ctx_push(c, "recycle");
            return fail(c,
                        "a recycling reserve pools every payment's money, so it cannot repay "
                        "tranche \"%s\" from given payments (\"repaid_from\"): leave out "
                        "\"recycle\" or \"repaid_from\"",
                        f->tranches[k].name);
        }
    size_t r = interest_rule(sc);
    if (r != SIZE_MAX) {
        ctx_push(c, "recycle");
        return fail(c,
                    "a recycling reserve pools every payment's money, so it cannot tell the "
                    "interest that payment \"%s\" pays (\"return_paid\": \"as_interest\") "
                    "from principal: leave out \"recycle\"",
                    sc->contract.rules[r].name);
    }
    return SIB_OK;
}

static int read_sib_terms(ctx *c, const cJSON *it, scenario *sc, financing *f) {
    static const char *const k_guar[] = {"name", "tranche", "kind", "amount", "share",
                                         "max",  "fee",     "fee_paid_by", NULL};
    static const char *const k_fees[] = {"setup", "per_year", NULL};
    const cJSON *tr;
    if (read_array(c, it, "tranches", 1, &tr, &f->n_tranches)) return c->err->code;
    if (f->n_tranches > FINANCING_MAX_TRANCHES) {
        f->n_tranches = 0; /* nothing allocated yet */
        ctx_push(c, "tranches");
        return fail_expected(c, tr, "at most %d tranches", FINANCING_MAX_TRANCHES);
    }
    f->tranches = xcalloc(c, f->n_tranches, sizeof *f->tranches);
    if (f->tranches == NULL) return SIB_ENOMEM;
    size_t s3 = ctx_push(c, "tranches");
    size_t k = 0;
    for (const cJSON *t = tr->child; t; t = t->next, k++) {
        size_t s4 = ctx_push_index(c, k);
        if (read_tranche(c, t, sc, &f->tranches[k])) return c->err->code;
        for (size_t j = 0; j < k; j++)
            if (strcmp(f->tranches[j].name, f->tranches[k].name) == 0) {
                ctx_push(c, "name");
                return fail(c, "duplicate tranche name \"%s\" (also %.*s/%zu)",
                            f->tranches[k].name, (int)s4, c->ptr, j);
            }
        ctx_pop(c, s4);
    }
    ctx_pop(c, s3);
    const cJSON *gv;
    if (read_array(c, it, "guarantees", 0, &gv, &f->n_guarantees)) return c->err->code;
    if (gv != NULL) {
        f->guarantees = xcalloc(c, f->n_guarantees, sizeof *f->guarantees);
        if (f->guarantees == NULL) return SIB_ENOMEM;
        size_t s5 = ctx_push(c, "guarantees");
        k = 0;
        for (const cJSON *g = gv->child; g; g = g->next, k++) {
            guarantee *gu = &f->guarantees[k];
            char tname[SCENARIO_NAME_MAX], list[300];
            size_t s6 = ctx_push_index(c, k);
            if (check_object(c, g, k_guar) ||
                read_string(c, g, "name", "guarantor", gu->name, sizeof gu->name) ||
                read_string(c, g, "tranche", NULL, tname, sizeof tname))
                return c->err->code;
            FIND_NAME(f->tranches, f->n_tranches, tname, gu->tranche);
            if (gu->tranche == SIZE_MAX) {
                ctx_push(c, "tranche");
                LIST_NAMES(f->tranches, f->n_tranches, list);
                return fail(c, "expected the name of a tranche (%s), found \"%s\"", list, tname);
            }
            if (f->tranches[gu->tranche].n_redemptions > 0) {
                ctx_push(c, "tranche");
                return fail(c,
                            "tranche \"%s\" has a \"redemption\" option: a guarantee covers a "
                            "loss of capital the investors did not choose, and a redemption "
                            "gives up capital by choice; a tranche cannot have both",
                            tname);
            }
            if (read_guarantee_terms(c, g, gu)) return c->err->code;
            for (size_t j = 0; j < k; j++)
                if (strcmp(f->guarantees[j].name, gu->name) == 0) {
                    ctx_push(c, "name");
                    return fail(c, "duplicate guarantee name \"%s\" (also %.*s/%zu): name each "
                                   "guarantor",
                                gu->name, (int)s6, c->ptr, j);
                }
            ctx_pop(c, s6);
        }
        ctx_pop(c, s5);
    }
    const cJSON *fees = member(it, "fees");
    if (fees != NULL) {
        size_t s7 = ctx_push(c, "fees");
        if (check_object(c, fees, k_fees) ||
            read_number(c, fees, "setup", 0, 0, 0, LOADER_MONEY_MAX, &f->setup_fees) ||
            read_number(c, fees, "per_year", 0, 0, 0, LOADER_MONEY_MAX, &f->fees_per_year))
            return c->err->code;
        ctx_pop(c, s7);
    }
    if (read_number(c, it, "provider_share", 0, 0, 0, 1, &f->provider_share) ||
        read_bool(c, it, "recycle", 0, &f->recycle))
        return c->err->code;
    return f->recycle ? check_recycle(c, sc, f) : SIB_OK;
}

/* "stages": {"stage name": "structure name", ...}, every stage named once;
 * the parts must be structures of other types, defined in the same list. */
static int read_by_stage(ctx *c, const cJSON *it, scenario *sc, size_t self) {
    financing *f = &sc->financing[self];
    const cJSON *m = member(it, "stages");
    size_t s1 = ctx_push(c, "stages");
    if (m == NULL) return fail(c, "required field is missing");
    if (!cJSON_IsObject(m)) return fail_expected(c, m, "an object of stage name: structure name");
    f->stage_part = xcalloc(c, sc->n_stages, sizeof *f->stage_part);
    if (f->stage_part == NULL) return SIB_ENOMEM;
    for (size_t s = 0; s < sc->n_stages; s++) f->stage_part[s] = SIZE_MAX;
    char list[300];
    for (const cJSON *e = m->child; e; e = e->next) {
        size_t st;
        FIND_NAME(sc->stages, sc->n_stages, e->string, st);
        size_t s2 = ctx_push(c, e->string);
        for (const cJSON *prev = m->child; prev != e; prev = prev->next)
            if (strcmp(prev->string, e->string) == 0)
                return fail(c, "duplicate field \"%s\"", e->string);
        if (st == SIZE_MAX) {
            LIST_NAMES(sc->stages, sc->n_stages, list);
            return fail(c, "expected the name of a stage (%s), found \"%s\"", list, e->string);
        }
        if (!cJSON_IsString(e)) return fail_expected(c, e, "the name of a financing structure");
        size_t part;
        FIND_NAME(sc->financing, sc->n_financing, e->valuestring, part);
        if (part == SIZE_MAX || part == self) {
            LIST_NAMES(sc->financing, sc->n_financing, list);
            return fail(c, "expected the name of another financing structure (%s), found \"%s\"",
                        list, e->valuestring);
        }
        f->stage_part[st] = part;
        ctx_pop(c, s2);
    }
    for (size_t s = 0; s < sc->n_stages; s++)
        if (f->stage_part[s] == SIZE_MAX)
            return fail(c, "stage \"%s\" has no structure: name one for every stage",
                        sc->stages[s].name);
    ctx_pop(c, s1);
    return SIB_OK;
}

int read_financing(ctx *c, const cJSON *root, scenario *sc) {
    const cJSON *arr;
    if (read_array(c, root, "financing", 0, &arr, &sc->n_financing)) return c->err->code;
    if (arr == NULL) return SIB_OK;
    sc->financing = xcalloc(c, sc->n_financing, sizeof *sc->financing);
    if (sc->financing == NULL) return SIB_ENOMEM;
    size_t s1 = ctx_push(c, "financing");
    /* Names first: a by_stage structure may name one defined after it. */
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        financing *f = &sc->financing[i];
        size_t s2 = ctx_push_index(c, i);
        if (!cJSON_IsObject(it)) return fail_expected(c, it, "an object");
        if (read_string(c, it, "name", NULL, f->name, sizeof f->name)) return c->err->code;
        if (strcmp(f->name, "programme") == 0 || strcmp(f->name, "commissioner") == 0) {
            ctx_push(c, "name");
            return fail(c, "\"%s\" is reserved for the report's own group; choose another name",
                        f->name);
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(sc->financing[j].name, f->name) == 0) {
                ctx_push(c, "name");
                return fail(c, "duplicate financing name \"%s\" (also /financing/%zu)", f->name, j);
            }
        ctx_pop(c, s2);
    }
    i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        financing *f = &sc->financing[i];
        size_t s2 = ctx_push_index(c, i);
        int type;
        if (read_enum(c, it, "type", financing_type_keys, -1, &type)) return c->err->code;
        f->type = (financing_type)type;
        const char *keys[16];
        size_t nk = 0;
        keys[nk++] = "name";
        keys[nk++] = "type";
        for (const char *const *k = fin_fields(f->type); *k; k++) keys[nk++] = *k;
        keys[nk] = NULL;
        if (check_object(c, it, keys)) return c->err->code;
        switch (f->type) {
        case FIN_GRANT: break;
        case FIN_FEE_FOR_SERVICE:
            if (read_number(c, it, "margin", 0, 0, 0, 10, &f->margin)) return c->err->code;
            break;
        case FIN_PBR:
            if (read_number(c, it, "fee_share", 0, 0, 0, 1, &f->fee_share) ||
                read_number(c, it, "cost_of_capital", 0, 0.08, -0.1, 0.5, &f->cost_of_capital))
                return c->err->code;
            break;
        case FIN_SIB:
        case FIN_OUTCOMES_FUND:
        case FIN_DIB:
            if (read_sib_terms(c, it, sc, f)) return c->err->code;
            break;
        case FIN_BY_STAGE:
            if (read_by_stage(c, it, sc, i)) return c->err->code;
            break;
        }
        ctx_pop(c, s2);
    }
    /* A blend's parts must be plain structures, and run on the payments
     * earned by their stages alone: a blend splits pooled payments among
     * stages by participants, not payment by payment, so a part cannot
     * have tranches repaid from given payments, nor tell interest from
     * principal when a rule pays its return as interest. */
    for (i = 0; i < sc->n_financing; i++) {
        const financing *f = &sc->financing[i];
        if (f->type != FIN_BY_STAGE) continue;
        for (size_t s = 0; s < sc->n_stages; s++) {
            const size_t pi = f->stage_part[s];
            const financing *part = &sc->financing[pi];
            int tied = 0;
            size_t k;
            for (k = 0; financing_is_bond(part->type) && k < part->n_tranches && !tied; k++)
                tied = part->tranches[k].n_repaid_from > 0;
            size_t ir = financing_is_bond(part->type) ? interest_rule(sc) : SIZE_MAX;
            if (part->type != FIN_BY_STAGE && !tied && ir == SIZE_MAX) continue;
            ctx_push_index(c, i);
            ctx_push(c, "stages");
            ctx_push(c, sc->stages[s].name);
            if (part->type == FIN_BY_STAGE)
                return fail(c,
                            "\"%s\" is itself by stage: a stage's structure must be a grant, "
                            "fee_for_service, pbr, sib, outcomes_fund or dib",
                            part->name);
            if (tied)
                return fail(c,
                            "\"%s\" repays tranche \"%s\" from given payments "
                            "(/financing/%zu/tranches/%zu/repaid_from), and a blend by stage "
                            "splits the payments among its parts by stage, not payment by "
                            "payment: finance every stage with \"%s\", or leave out "
                            "\"repaid_from\"",
                            part->name, part->tranches[k - 1].name, pi, k - 1, part->name);
            return fail(c,
                        "\"%s\" is a bond, and payment \"%s\" pays interest "
                        "(\"return_paid\": \"as_interest\"), which a blend by stage, "
                        "splitting the payments among its parts by stage, cannot tell from "
                        "principal: finance every stage with \"%s\"",
                        part->name, sc->contract.rules[ir].name, part->name);
        }
    }
    ctx_pop(c, s1);
    return SIB_OK;
}

