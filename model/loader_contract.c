/* loader_contract.c -- the scenario's "/contract": payment rules of every
 * type, their bands, the payers and the caps. See loader_internal.h and
 * docs/scenario-format.md#contract.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader_internal.h"

/* --------------------------------------------------------------- contract */

static const char *const pay_type_names[] = {"per_unit", "per_outcome", "fixed", "linear",
                                             "tiered", "savings_share", NULL};
static const char *const scope_names[] = {"cohort", "stage", "programme", NULL};
static const char *const basis_names[] = {"improvement", "achieved", NULL};

/* The fields each payment type takes, beyond the common ones. */
static const char *const *type_fields(payment_type t) {
    static const char *const per_unit[] = {"price", NULL};
    static const char *const per_outcome[] = {"price", NULL};
    static const char *const fixed[] = {"amount", NULL};
    static const char *const linear[] = {"amount", "floor", "ceiling", NULL};
    static const char *const tiered[] = {"bands",          "basis",       "principal",
                                         "principal_from", "return_paid", NULL};
    static const char *const savings[] = {"value", "share", "share_after", "until_repaid",
                                          "basis", NULL};
    switch (t) {
    case PAY_PER_UNIT: return per_unit;
    case PAY_PER_OUTCOME: return per_outcome;
    case PAY_FIXED: return fixed;
    case PAY_LINEAR: return linear;
    case PAY_TIERED: return tiered;
    case PAY_SAVINGS: return savings;
    }
    return per_unit;
}

static int read_bands(ctx *c, const cJSON *v, payment_rule *r) {
    static const char *const keys[] = {"from", "amount", "price", "return", NULL};
    const cJSON *arr;
    if (read_array(c, v, "bands", 1, &arr, &r->n_bands)) return c->err->code;
    r->bands = xcalloc(c, r->n_bands, sizeof *r->bands);
    if (r->bands == NULL) return SIB_ENOMEM;
    size_t s1 = ctx_push(c, "bands");
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        band *b = &r->bands[i];
        size_t s2 = ctx_push_index(c, i);
        double lo = i ? r->bands[i - 1].from : -LOADER_MEASURE_MAX;
        if (check_object(c, it, keys) ||
            read_number(c, it, "from", 1, 0, lo, LOADER_MEASURE_MAX, &b->from))
            return c->err->code;
        if (i > 0 && b->from == lo) {
            ctx_push(c, "from");
            return fail(c, "expected bands in increasing order of \"from\", found %g twice", lo);
        }
        int given = (member(it, "amount") != NULL) + (member(it, "price") != NULL) +
                    (member(it, "return") != NULL);
        if (given != 1)
            return fail(c, "expected exactly one of \"amount\" (paid when the band is reached), "
                           "\"price\" (per unit, in this band) or \"return\" (the annual "
                           "return paid on the rule's principal)");
        b->per_unit = member(it, "price") != NULL;
        b->has_return = member(it, "return") != NULL;
        /* A return compounds over up to 500 years: at most 50% a year. */
        if (b->per_unit ? read_number(c, it, "price", 1, 0, 0, LOADER_MONEY_MAX, &b->price)
            : b->has_return ? read_number(c, it, "return", 1, 0, -1, 0.5, &b->ret)
                            : read_number(c, it, "amount", 1, 0, 0, LOADER_MONEY_MAX, &b->amount))
            return c->err->code;
        ctx_pop(c, s2);
    }
    ctx_pop(c, s1);
    return SIB_OK;
}

/* The index of the contract's payer named `name` at key `key` of v (read
 * as a required string), or an error listing the payers. */
static int read_payer_name(ctx *c, const cJSON *v, const char *key, const contract *k,
                           size_t *out) {
    char name[SCENARIO_NAME_MAX], list[300];
    if (read_string(c, v, key, NULL, name, sizeof name)) return c->err->code;
    FIND_NAME(k->payers, k->n_payers, name, *out);
    if (*out != SIZE_MAX) return SIB_OK;
    ctx_push(c, key);
    LIST_NAMES(k->payers, k->n_payers, list);
    return fail(c, "expected the name of one of the contract's payers (%s), found \"%s\"", list,
                name);
}

/* A rule's own payers: "payers": [{"payer": NAME, "share": x}, ...], each a
 * payer of the contract named once, the shares summing to 1. Absent: the
 * rule keeps the contract's shares (r->payer_share stays NULL). */
static int read_rule_payers(ctx *c, const cJSON *v, const contract *k, size_t index,
                            payment_rule *r) {
    static const char *const keys[] = {"payer", "share", NULL};
    const cJSON *arr;
    size_t n;
    if (read_array(c, v, "payers", 0, &arr, &n)) return c->err->code;
    if (arr == NULL) {
        if (k->has_shares) return SIB_OK;
        ctx_push(c, "payers");
        return fail(c, "required field is missing (the contract's payers give no shares, so each "
                       "payment rule names its own)");
    }
    r->payer_share = xcalloc(c, k->n_payers, sizeof *r->payer_share);
    size_t *at = xcalloc(c, k->n_payers, sizeof *at); /* 1 + the element naming each payer */
    if (r->payer_share == NULL || at == NULL) {
        free(at);
        return SIB_ENOMEM;
    }
    size_t s1 = ctx_push(c, "payers");
    double total = 0;
    size_t i = 0;
    int rc = SIB_OK;
    for (const cJSON *it = arr->child; it && rc == SIB_OK; it = it->next, i++) {
        size_t s2 = ctx_push_index(c, i), p;
        double share;
        if (check_object(c, it, keys) || read_payer_name(c, it, "payer", k, &p)) {
            rc = c->err->code;
            break;
        }
        if (at[p] != 0) {
            ctx_push(c, "payer");
            rc = fail(
                c, "duplicate payer \"%s\" in this rule (also /contract/payments/%zu/payers/%zu)",
                k->payers[p].name, index, at[p] - 1);
            break;
        }
        at[p] = i + 1;
        if (read_number(c, it, "share", 1, 0, 0, 1, &share)) {
            rc = c->err->code;
            break;
        }
        r->payer_share[p] = share;
        total += share;
        ctx_pop(c, s2);
    }
    free(at);
    if (rc != SIB_OK) return rc;
    if (fabs(total - 1) > 1e-9) return fail(c, "expected shares that sum to 1, found %g", total);
    ctx_pop(c, s1);
    return SIB_OK;
}

/* "return_paid" of a tiered rule: "with_principal" (the default: a return
 * band pays the principal grown at its rate to the payment date) or
 * "as_interest" (it pays the interest on the principal at its rate for the
 * time since the rule's previous assessment; the principal itself is repaid
 * by another rule). Interest cannot be negative, so "as_interest" refuses a
 * negative band return; and it needs a return band to apply to. */
static int read_return_paid(ctx *c, const cJSON *v, payment_rule *r, int returns) {
    static const char *const names[] = {"with_principal", "as_interest", NULL};
    int mode;
    if (read_enum(c, v, "return_paid", names, 0, &mode)) return c->err->code;
    r->return_as_interest = mode == 1;
    if (!r->return_as_interest) return SIB_OK;
    if (!returns) {
        ctx_push(c, "return_paid");
        return fail(c, "\"as_interest\" pays a band's \"return\" as interest on the principal, "
                       "and no band of this rule has a \"return\"");
    }
    for (size_t b = 0; b < r->n_bands; b++)
        if (r->bands[b].has_return && r->bands[b].ret < 0) {
            ctx_push(c, "bands");
            ctx_push_index(c, b);
            ctx_push(c, "return");
            return fail(c,
                        "expected an interest rate in [0, 0.5] (\"return_paid\" is "
                        "\"as_interest\", and interest is not negative: protect capital "
                        "with the rule that repays the principal, or a guarantee), found %g",
                        r->bands[b].ret);
        }
    return SIB_OK;
}

static int read_rule(ctx *c, const cJSON *v, const scenario *sc, size_t index, double def_lag,
                     payment_rule *r) {
    static const char *const common[] = {
        "name", "outcome", "type",           "scope",        "stage",    "trigger", "true_up",
        "cap",  "lag",     "cap_per_cohort", "installments", "interval", "payers",  NULL};
    char def[SCENARIO_NAME_MAX], oname[SCENARIO_NAME_MAX], list[300];
    snprintf(def, sizeof def, "payment %zu", index + 1);
    int type, scope;
    if (!cJSON_IsObject(v)) return fail_expected(c, v, "an object");
    if (read_enum(c, v, "type", pay_type_names, -1, &type)) return c->err->code;
    r->type = (payment_type)type;
    /* Allowed keys: the common ones and the type's own. */
    const char *keys[32];
    size_t nk = 0;
    for (const char *const *k = common; *k; k++) keys[nk++] = *k;
    for (const char *const *k = type_fields(r->type); *k; k++) keys[nk++] = *k;
    keys[nk] = NULL;
    /* A term of another payment type gets a pointed message, not just
     * "unknown field": e.g. a price on a fixed payment. */
    for (const cJSON *it = v->child; it != NULL; it = it->next) {
        int mine = 0;
        for (size_t k = 0; k < nk; k++) mine |= strcmp(keys[k], it->string) == 0;
        if (mine) continue;
        for (int t = 0; pay_type_names[t]; t++)
            for (const char *const *k = type_fields((payment_type)t); *k; k++)
                if (strcmp(*k, it->string) == 0) {
                    char terms[200] = "";
                    size_t tl = 0;
                    for (const char *const *own = type_fields(r->type); *own && tl + 2 < sizeof terms; own++)
                        tl += (size_t)snprintf(terms + tl, sizeof terms - tl, "%s%s",
                                               tl ? ", " : "", *own);
                    ctx_push(c, it->string);
                    return fail(c, "\"%s\" does not apply to a payment of type \"%s\" (its "
                                   "terms: %s)",
                                it->string, pay_type_names[type], terms);
                }
    }
    if (check_object(c, v, keys) || read_string(c, v, "name", def, r->name, sizeof r->name) ||
        read_string(c, v, "outcome", NULL, oname, sizeof oname) ||
        read_enum(c, v, "scope", scope_names, 0, &scope))
        return c->err->code;
    r->scope = (payment_scope)scope;
    FIND_NAME(sc->outcomes, sc->n_outcomes, oname, r->outcome);
    if (r->outcome == SIZE_MAX) {
        ctx_push(c, "outcome");
        LIST_NAMES(sc->outcomes, sc->n_outcomes, list);
        return fail(c, "expected the name of an outcome (%s), found \"%s\"", list, oname);
    }
    const outcome *o = &sc->outcomes[r->outcome];
    r->stage = SIZE_MAX;
    if (member(v, "stage") != NULL) {
        char sname[SCENARIO_NAME_MAX];
        if (read_string(c, v, "stage", NULL, sname, sizeof sname)) return c->err->code;
        FIND_NAME(sc->stages, sc->n_stages, sname, r->stage);
        if (r->stage == SIZE_MAX) {
            ctx_push(c, "stage");
            LIST_NAMES(sc->stages, sc->n_stages, list);
            return fail(c, "expected the name of a stage (%s), found \"%s\"", list, sname);
        }
    } else if (r->scope == SCOPE_STAGE) {
        ctx_push(c, "stage");
        return fail(c, "required field is missing (scope \"stage\" pools one stage's cohorts)");
    }

    /* The type's own terms. */
    const double M = LOADER_MONEY_MAX, X = LOADER_MEASURE_MAX;
    /* per_unit pays on improvement and per_outcome on achievement, always;
     * tiered and savings_share default to improvement where there is a
     * counterfactual and achievement where there is none. */
    int basis = (r->type == PAY_PER_OUTCOME ||
                 (r->type != PAY_PER_UNIT && o->eval.design == EVAL_VALIDATED))
                    ? BASIS_ACHIEVED
                    : BASIS_IMPROVEMENT;
    switch (r->type) {
    case PAY_PER_UNIT:
    case PAY_PER_OUTCOME:
        if (read_number(c, v, "price", 1, 0, 0, M, &r->price)) return c->err->code;
        break;
    case PAY_FIXED:
        if (read_number(c, v, "amount", 1, 0, 0, M, &r->amount)) return c->err->code;
        if (member(v, "trigger") == NULL) {
            ctx_push(c, "trigger");
            return fail(c, "required field is missing (a fixed payment is paid when its "
                           "trigger is met)");
        }
        break;
    case PAY_LINEAR:
        if (read_number(c, v, "amount", 1, 0, 0, M, &r->amount) ||
            read_number(c, v, "floor", 1, 0, -X, X, &r->floor))
            return c->err->code;
        if (member(v, "ceiling") != NULL && cJSON_IsNumber(member(v, "ceiling")) &&
            member(v, "ceiling")->valuedouble <= r->floor) {
            ctx_push(c, "ceiling");
            return fail_expected(c, member(v, "ceiling"), "a number > the floor (%g)", r->floor);
        }
        if (read_number(c, v, "ceiling", 1, 0, -X, X, &r->ceiling)) return c->err->code;
        break;
    case PAY_TIERED: {
        if (read_bands(c, v, r) || read_enum(c, v, "basis", basis_names, basis, &basis))
            return c->err->code;
        int returns = 0;
        for (size_t b = 0; b < r->n_bands; b++) returns |= r->bands[b].has_return;
        if (returns && member(v, "principal") == NULL) {
            ctx_push(c, "principal");
            return fail(c, "required field is missing (bands with a \"return\" pay it on this "
                           "principal)");
        }
        if (read_number(c, v, "principal", 0, 0, 0, M, &r->principal) ||
            read_time(c, v, "principal_from", 0, 0, 0, 200, &r->principal_from) ||
            read_return_paid(c, v, r, returns))
            return c->err->code;
        break;
    }
    case PAY_SAVINGS: {
        static const char *const k_until[] = {"amount", "rate", "from", NULL};
        if (read_number(c, v, "value", 1, 0, 0, M, &r->value) ||
            read_number(c, v, "share", 1, 0, 0, 1, &r->share) ||
            read_number(c, v, "share_after", 0, r->share, 0, 1, &r->share_after) ||
            read_enum(c, v, "basis", basis_names, basis, &basis))
            return c->err->code;
        const cJSON *u = member(v, "until_repaid");
        if (u != NULL) {
            size_t s2 = ctx_push(c, "until_repaid");
            if (check_object(c, u, k_until) ||
                read_number(c, u, "amount", 1, 0, 0, M, &r->owed) ||
                read_number(c, u, "rate", 0, 0, -0.99, 1, &r->owed_rate) ||
                read_time(c, u, "from", 0, 0, 0, 200, &r->owed_from))
                return c->err->code;
            ctx_pop(c, s2);
        } else if (member(v, "share_after") != NULL) {
            ctx_push(c, "share_after");
            return fail(c, "\"share_after\" needs \"until_repaid\" (the balance after which "
                           "the share changes)");
        }
        break;
    }
    }
    r->basis = (payment_basis)basis;
    /* Units matter to per-unit prices, per-unit bands and savings; fixed and
     * linear payments look at the measured effect only. */
    int uses_units = r->type == PAY_PER_UNIT || r->type == PAY_PER_OUTCOME ||
                     r->type == PAY_SAVINGS;
    for (size_t b = 0; b < r->n_bands; b++) uses_units |= r->bands[b].per_unit;
    if (uses_units && r->basis == BASIS_IMPROVEMENT && o->eval.design == EVAL_VALIDATED) {
        ctx_push(c, "type");
        return fail(c, "payment on improvement needs a counterfactual, but outcome \"%s\" is "
                       "evaluated by validated counts; pay per outcome achieved instead",
                    o->name);
    }
    if (uses_units && r->basis == BASIS_ACHIEVED &&
        (o->kind == OUTCOME_CONTINUOUS ||
         (o->kind == OUTCOME_COUNT && o->direction == DIRECTION_LOWER_IS_BETTER))) {
        ctx_push(c, "type");
        return fail(c, "outcomes achieved are countable only for a rate, or a count where "
                       "higher is better; outcome \"%s\" is neither",
                    o->name);
    }
    r->has_trigger = member(v, "trigger") != NULL;
    double installments;
    if (read_number(c, v, "trigger", 0, 0, -X, X, &r->trigger) ||
        read_bool(c, v, "true_up", 0, &r->true_up))
        return c->err->code;
    if (r->true_up && r->scope == SCOPE_COHORT) {
        ctx_push(c, "true_up");
        return fail(c, "\"true_up\" applies only to scopes \"stage\" and \"programme\" (it nets "
                       "off what narrower payments already paid)");
    }
    if (member(v, "cap_per_cohort") != NULL && r->scope != SCOPE_COHORT) {
        ctx_push(c, "cap_per_cohort");
        return fail(c, "\"cap_per_cohort\" applies only to scope \"cohort\"");
    }
    /* An absent cap is none (HUGE_VAL); a cap that is given is money. */
    if (read_number(c, v, "cap_per_cohort", 0, HUGE_VAL, 0, M, &r->cap_per_cohort) ||
        read_number(c, v, "cap", 0, HUGE_VAL, 0, M, &r->cap) ||
        read_time(c, v, "lag", 0, def_lag, 0, 50, &r->lag) ||
        read_integer(c, v, "installments", 0, 1, 1, 100, &installments) ||
        read_positive(c, v, "interval", 0, 1, 100, &r->interval))
        return c->err->code;
    r->installments = (int)installments;
    /* The last installment falls at most 100 years after the first, so that
     * no payment date passes 500 years (loader_internal.h). */
    if ((installments - 1) * r->interval > 100) {
        ctx_push(c, "interval");
        return fail(c, "expected installments spread over at most 100 years, found (%d - 1) x "
                       "%g = %g years",
                    r->installments, r->interval, (installments - 1) * r->interval);
    }
    return read_rule_payers(c, v, &sc->contract, index, r);
}

static int read_payers(ctx *c, const cJSON *v, contract *k) {
    static const char *const keys[] = {"name", "share", "cap", NULL};
    const cJSON *arr;
    if (read_array(c, v, "payers", 0, &arr, &k->n_payers)) return c->err->code;
    if (arr == NULL) {
        k->n_payers = 1;
        k->payers = xcalloc(c, 1, sizeof *k->payers);
        if (k->payers == NULL) return SIB_ENOMEM;
        snprintf(k->payers[0].name, sizeof k->payers[0].name, "commissioner");
        k->payers[0].share = 1;
        k->payers[0].cap = HUGE_VAL;
        k->has_shares = true;
        return SIB_OK;
    }
    k->payers = xcalloc(c, k->n_payers, sizeof *k->payers);
    if (k->payers == NULL) return SIB_ENOMEM;
    size_t s1 = ctx_push(c, "payers");
    double total = 0;
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        payer *p = &k->payers[i];
        size_t s2 = ctx_push_index(c, i);
        /* Shares are given by every payer, or by none (then each rule
         * names its own payers): the first payer decides. */
        if (i == 0) k->has_shares = member(it, "share") != NULL;
        if (check_object(c, it, keys) || read_string(c, it, "name", NULL, p->name, sizeof p->name))
            return c->err->code;
        if (k->has_shares && member(it, "share") == NULL) {
            ctx_push(c, "share");
            return fail(c, "required field is missing (/contract/payers/0 gives a share: give "
                           "every payer one, or none when each payment rule names its own payers)");
        }
        if (!k->has_shares && member(it, "share") != NULL) {
            ctx_push(c, "share");
            return fail(c, "/contract/payers/0 gives no share: give every payer a share, or none "
                           "(then each payment rule names its own payers)");
        }
        if (read_number(c, it, "share", k->has_shares, 0, 0, 1, &p->share) ||
            read_number(c, it, "cap", 0, HUGE_VAL, 0, LOADER_MONEY_MAX, &p->cap))
            return c->err->code;
        for (size_t j = 0; j < i; j++)
            if (strcmp(k->payers[j].name, p->name) == 0) {
                ctx_push(c, "name");
                return fail(c, "duplicate payer name \"%s\" (also /contract/payers/%zu)", p->name,
                            j);
            }
        total += p->share;
        ctx_pop(c, s2);
    }
    if (k->has_shares && fabs(total - 1) > 1e-9)
        return fail(c, "expected shares that sum to 1, found %g", total);
    ctx_pop(c, s1);
    return SIB_OK;
}

/* ----------------------------------------------------------- suspensions */

static const char *const suspension_kinds[] = {"holiday", "fixed", NULL};

/* The terms each kind of suspension takes, beyond from, to and kind. */
static const char *const *suspension_fields(suspension_kind k) {
    static const char *const holiday[] = {"payments", NULL};
    static const char *const fixed[] = {"amount_per_year", "payer", "replaces", NULL};
    return k == SUSPEND_HOLIDAY ? holiday : fixed;
}

static int read_suspension(ctx *c, const cJSON *v, const scenario *sc, size_t i, suspension *x) {
    static const char *const deferred_names[] = {"deferred", "cancelled", NULL};
    static const char *const replaces_names[] = {"payments_due", "measurements", NULL};
    const contract *k = &sc->contract;
    int kind, choice;
    if (!cJSON_IsObject(v)) return fail_expected(c, v, "an object");
    if (read_enum(c, v, "kind", suspension_kinds, -1, &kind)) return c->err->code;
    x->kind = (suspension_kind)kind;
    const char *keys[8];
    size_t nk = 0;
    keys[nk++] = "from";
    keys[nk++] = "to";
    keys[nk++] = "kind";
    for (const char *const *f = suspension_fields(x->kind); *f; f++) keys[nk++] = *f;
    keys[nk] = NULL;
    /* A term of the other kind gets a pointed message. */
    for (const char *const *f =
             suspension_fields(x->kind == SUSPEND_HOLIDAY ? SUSPEND_FIXED : SUSPEND_HOLIDAY);
         *f; f++)
        if (member(v, *f) != NULL) {
            ctx_push(c, *f);
            return fail(
                c, "\"%s\" applies only to a suspension of kind \"%s\" (%s)", *f,
                suspension_kinds[x->kind == SUSPEND_HOLIDAY ? SUSPEND_FIXED : SUSPEND_HOLIDAY],
                x->kind == SUSPEND_HOLIDAY
                    ? "a holiday pays nothing in its window: it defers or cancels"
                    : "a fixed window replaces the payments: none is deferred");
        }
    if (check_object(c, v, keys) || read_time(c, v, "from", 1, 0, 0, LOADER_TIME_MAX, &x->from))
        return c->err->code;
    const cJSON *to = member(v, "to");
    if (to != NULL && cJSON_IsNumber(to) && to->valuedouble <= x->from) {
        ctx_push(c, "to");
        return fail_expected(c, to, "a number > from (%g): the window is [from, to)", x->from);
    }
    if (read_time(c, v, "to", 1, 0, 0, LOADER_TIME_MAX, &x->to)) return c->err->code;
    if (i > 0 && x->from < k->suspensions[i - 1].to - 1e-9) {
        ctx_push(c, "from");
        return fail(c,
                    "expected windows in order of time that do not overlap: this one starts at "
                    "t = %g, before /contract/suspensions/%zu ends (t = %g)",
                    x->from, i - 1, k->suspensions[i - 1].to);
    }
    if (x->kind == SUSPEND_HOLIDAY) {
        if (read_enum(c, v, "payments", deferred_names, 0, &choice)) return c->err->code;
        x->cancel = choice == 1;
        return SIB_OK;
    }
    if (read_number(c, v, "amount_per_year", 1, 0, 0, LOADER_MONEY_MAX, &x->per_year) ||
        read_enum(c, v, "replaces", replaces_names, 0, &choice))
        return c->err->code;
    x->on_measurements = choice == 1;
    if (member(v, "payer") != NULL) {
        size_t p;
        if (read_payer_name(c, v, "payer", k, &p)) return c->err->code;
        x->payer_share = xcalloc(c, k->n_payers, sizeof *x->payer_share);
        if (x->payer_share == NULL) return SIB_ENOMEM;
        x->payer_share[p] = 1;
    } else if (!k->has_shares) {
        ctx_push(c, "payer");
        return fail(c, "required field is missing (the contract's payers give no shares: name "
                       "the payer of the fixed payments)");
    }
    return SIB_OK;
}

static int read_suspensions(ctx *c, const cJSON *v, scenario *sc) {
    const cJSON *arr;
    contract *k = &sc->contract;
    if (read_array(c, v, "suspensions", 0, &arr, &k->n_suspensions)) return c->err->code;
    if (arr == NULL) return SIB_OK;
    k->suspensions = xcalloc(c, k->n_suspensions, sizeof *k->suspensions);
    if (k->suspensions == NULL) return SIB_ENOMEM;
    size_t s1 = ctx_push(c, "suspensions"), i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        size_t s2 = ctx_push_index(c, i);
        if (read_suspension(c, it, sc, i, &k->suspensions[i])) return c->err->code;
        ctx_pop(c, s2);
    }
    ctx_pop(c, s1);
    return SIB_OK;
}

/* ----------------------------------------------------------- termination */

#define OVER_ALL "cohorts measured by then"

/* The earliest measurement of outcome o among the cohorts of stage s (every
 * stage: s = SIZE_MAX): a cohort's first, when it is measured several
 * times. */
static double first_measured(const scenario *sc, size_t o, size_t s) {
    double t = HUGE_VAL;
    for (size_t q = 0; q < sc->n_stages; q++)
        if (s == SIZE_MAX || s == q)
            for (size_t k = 0; k < sc->stages[q].n_cohorts; k++)
                t = fmin(t, scenario_measurement_time(sc, q, k, o, 0));
    return t;
}

/* "if": {"outcome": NAME, "measured_below": x, "over": "stage NAME" |
 * "cohorts measured by then"}: results must be measured by the last date. */
static int read_termination_rule(ctx *c, const cJSON *v, const scenario *sc, termination *tm) {
    static const char *const keys[] = {"outcome", "measured_below", "over", NULL};
    char oname[SCENARIO_NAME_MAX], over[SCENARIO_NAME_MAX + 8], list[300];
    size_t s1 = ctx_push(c, "if");
    if (!cJSON_IsObject(v)) return fail_expected(c, v, "an object");
    if (check_object(c, v, keys) || read_string(c, v, "outcome", NULL, oname, sizeof oname))
        return c->err->code;
    FIND_NAME(sc->outcomes, sc->n_outcomes, oname, tm->outcome);
    if (tm->outcome == SIZE_MAX) {
        ctx_push(c, "outcome");
        LIST_NAMES(sc->outcomes, sc->n_outcomes, list);
        return fail(c, "expected the name of an outcome (%s), found \"%s\"", list, oname);
    }
    if (read_number(c, v, "measured_below", 1, 0, -LOADER_MEASURE_MAX, LOADER_MEASURE_MAX,
                    &tm->below) ||
        read_string(c, v, "over", OVER_ALL, over, sizeof over))
        return c->err->code;
    tm->over_stage = SIZE_MAX;
    if (strcmp(over, OVER_ALL) != 0) {
        if (strncmp(over, "stage ", 6) == 0)
            FIND_NAME(sc->stages, sc->n_stages, over + 6, tm->over_stage);
        if (tm->over_stage == SIZE_MAX) {
            ctx_push(c, "over");
            LIST_NAMES(sc->stages, sc->n_stages, list);
            return fail_expected(c, member(v, "over"),
                                 "\"" OVER_ALL "\" or \"stage NAME\" with NAME one of %s", list);
        }
    }
    double last = tm->at[tm->n_at - 1], first = first_measured(sc, tm->outcome, tm->over_stage);
    if (first > last + 1e-9) {
        if (tm->over_stage != SIZE_MAX) {
            ctx_push(c, "over");
            return fail(c,
                        "the rule needs \"%s\" results of stage \"%s\", first measured at "
                        "t = %g, but the last termination date is t = %g: it could never hold",
                        oname, sc->stages[tm->over_stage].name, first, last);
        }
        ctx_push(c, "outcome");
        return fail(c,
                    "no cohort is measured on \"%s\" by the last termination date (t = %g; the "
                    "first is measured at t = %g): the rule could never hold",
                    oname, last, first);
    }
    ctx_pop(c, s1);
    return SIB_OK;
}

/* "pays": "nothing" | "principal_outstanding" | {"amount": x} |
 * {"principal_outstanding": share}. */
static int read_termination_pays(ctx *c, const cJSON *v, termination *tm) {
    static const char *const keys[] = {"amount", "principal_outstanding", NULL};
    const char *what = "\"nothing\", \"principal_outstanding\", {\"amount\": SUM} or "
                       "{\"principal_outstanding\": SHARE}";
    tm->pays = TERM_PAYS_NOTHING;
    tm->amount = 0;
    if (v == NULL) return SIB_OK;
    size_t s1 = ctx_push(c, "pays");
    if (cJSON_IsString(v)) {
        if (strcmp(v->valuestring, "nothing") == 0) {
        } else if (strcmp(v->valuestring, "principal_outstanding") == 0) {
            tm->pays = TERM_PAYS_PRINCIPAL;
            tm->amount = 1;
        } else {
            return fail_expected(c, v, "%s", what);
        }
        ctx_pop(c, s1);
        return SIB_OK;
    }
    if (!cJSON_IsObject(v)) return fail_expected(c, v, "%s", what);
    if (check_object(c, v, keys)) return c->err->code;
    int has_amount = member(v, "amount") != NULL,
        has_share = member(v, "principal_outstanding") != NULL;
    if (has_amount + has_share != 1)
        return fail(c, "expected exactly one of \"amount\" (a sum, paid on termination) or "
                       "\"principal_outstanding\" (the share of the principal outstanding paid)");
    tm->pays = has_amount ? TERM_PAYS_AMOUNT : TERM_PAYS_PRINCIPAL;
    if (has_amount ? read_number(c, v, "amount", 1, 0, 0, LOADER_MONEY_MAX, &tm->amount)
                   : read_number(c, v, "principal_outstanding", 1, 0, 0, 1, &tm->amount))
        return c->err->code;
    ctx_pop(c, s1);
    return SIB_OK;
}

static int read_termination(ctx *c, const cJSON *root, scenario *sc) {
    static const char *const keys[] = {"at", "if", "probability", "pays", NULL};
    const cJSON *v = member(root, "termination");
    termination *tm = &sc->contract.termination;
    if (v == NULL) return SIB_OK;
    size_t s1 = ctx_push(c, "termination");
    if (!cJSON_IsObject(v)) return fail_expected(c, v, "an object");
    const cJSON *arr;
    size_t n;
    if (check_object(c, v, keys) || read_array(c, v, "at", 1, &arr, &n)) return c->err->code;
    size_t s2 = ctx_push(c, "at");
    if (n > TERMINATION_MAX_DATES)
        return fail_expected(c, arr, "at most %d termination dates", TERMINATION_MAX_DATES);
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        size_t s3 = ctx_push_index(c, i);
        if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble) || it->valuedouble < 0 ||
            it->valuedouble > LOADER_TIME_MAX)
            return fail_expected(c, it, "a number in [0, %g]", LOADER_TIME_MAX);
        if (i > 0 && !(it->valuedouble > tm->at[i - 1]))
            return fail_expected(c, it, "dates in increasing order, after %g", tm->at[i - 1]);
        tm->at[i] = it->valuedouble;
        ctx_pop(c, s3);
    }
    tm->n_at = n;
    ctx_pop(c, s2);
    tm->has_rule = member(v, "if") != NULL;
    tm->outcome = SIZE_MAX;
    tm->over_stage = SIZE_MAX;
    if ((tm->has_rule && read_termination_rule(c, member(v, "if"), sc, tm)) ||
        read_number(c, v, "probability", 0, 1, 0, 1, &tm->probability) ||
        read_termination_pays(c, member(v, "pays"), tm))
        return c->err->code;
    tm->present = true;
    ctx_pop(c, s1);
    return SIB_OK;
}

/* -------------------------------------------------------------- contract */

int read_contract(ctx *c, const cJSON *root, scenario *sc) {
    static const char *const keys[] = {"payments",     "cap",         "lag",         "payers",
                                       "outcome_caps", "suspensions", "termination", NULL};
    const cJSON *v = member(root, "contract");
    size_t saved = ctx_push(c, "contract");
    if (v == NULL) return fail(c, "required field is missing");
    double lag;
    if (check_object(c, v, keys) ||
        read_number(c, v, "cap", 0, HUGE_VAL, 0, LOADER_MONEY_MAX, &sc->contract.cap) ||
        read_time(c, v, "lag", 0, 0, 0, 50, &lag) || read_payers(c, v, &sc->contract))
        return c->err->code;
    sc->contract.outcome_cap = xcalloc(c, sc->n_outcomes, sizeof *sc->contract.outcome_cap);
    if (sc->contract.outcome_cap == NULL) return SIB_ENOMEM;
    for (size_t o = 0; o < sc->n_outcomes; o++) sc->contract.outcome_cap[o] = HUGE_VAL;
    const cJSON *oc = member(v, "outcome_caps");
    if (oc != NULL) {
        size_t s1 = ctx_push(c, "outcome_caps");
        if (!cJSON_IsObject(oc)) return fail_expected(c, oc, "an object of outcome name: cap");
        for (const cJSON *it = oc->child; it; it = it->next) {
            size_t o;
            for (const cJSON *prev = oc->child; prev != it; prev = prev->next)
                if (strcmp(prev->string, it->string) == 0) {
                    ctx_push(c, it->string);
                    return fail(c, "duplicate field \"%s\"", it->string);
                }
            FIND_NAME(sc->outcomes, sc->n_outcomes, it->string, o);
            if (o == SIZE_MAX) {
                char list[300];
                ctx_push(c, it->string);
                LIST_NAMES(sc->outcomes, sc->n_outcomes, list);
                return fail(c, "expected the name of an outcome (%s), found \"%s\"", list,
                            it->string);
            }
            if (read_number(c, oc, it->string, 1, 0, 0, LOADER_MONEY_MAX,
                            &sc->contract.outcome_cap[o]))
                return c->err->code;
        }
        ctx_pop(c, s1);
    }
    const cJSON *arr;
    if (read_array(c, v, "payments", 1, &arr, &sc->contract.n_rules)) return c->err->code;
    sc->contract.rules = xcalloc(c, sc->contract.n_rules, sizeof *sc->contract.rules);
    if (sc->contract.rules == NULL) return SIB_ENOMEM;
    size_t s1 = ctx_push(c, "payments");
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        size_t s2 = ctx_push_index(c, i);
        if (read_rule(c, it, sc, i, lag, &sc->contract.rules[i])) return c->err->code;
        for (size_t j = 0; j < i; j++)
            if (strcmp(sc->contract.rules[j].name, sc->contract.rules[i].name) == 0) {
                ctx_push(c, "name");
                return fail(c, "duplicate payment name \"%s\" (also /contract/payments/%zu)",
                            sc->contract.rules[i].name, j);
            }
        ctx_pop(c, s2);
    }
    ctx_pop(c, s1);
    /* After the payments: both name payers, outcomes and stages. */
    if (read_suspensions(c, v, sc) || read_termination(c, v, sc)) return c->err->code;
    ctx_pop(c, saved);
    return SIB_OK;
}

