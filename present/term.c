/* term.c -- a scenario's fields named and valued for people. See term.h.
 *
 * A pointer is read as an owner (a payment rule, a stage, a cohort, an
 * outcome, a structure, a tranche, ...), found in the scenario by its
 * index, and a field of that owner, named from a short dictionary of the
 * format's field names: "price of payment \"final true-up\"".
 */
#include "term.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

#define MAX_SEGMENTS 12
#define SEGMENT_MAX 96

/* ----------------------------------------------------------- the pointer */

typedef struct parsed {
    char s[MAX_SEGMENTS][SEGMENT_MAX];
    int n;
} parsed;

/* Split an RFC 6901 pointer into its unescaped segments (~1 is '/', ~0 is
 * '~'). -1 when it is not a pointer or too long to name. */
static int parse(const char *pointer, parsed *p) {
    p->n = 0;
    if (pointer == NULL || pointer[0] != '/') return -1;
    for (const char *c = pointer; *c == '/';) {
        if (p->n == MAX_SEGMENTS) return -1;
        char *out = p->s[p->n++];
        size_t k = 0;
        for (c++; *c && *c != '/'; c++) {
            char ch = *c;
            if (ch == '~' && (c[1] == '0' || c[1] == '1')) ch = *++c == '1' ? '/' : '~';
            if (k + 1 >= SEGMENT_MAX) return -1;
            out[k++] = ch;
        }
        out[k] = '\0';
    }
    return 0;
}

/* Segment i as an array index below n: the index, or -1. */
static long index_at(const parsed *p, int i, size_t n) {
    if (i >= p->n || p->s[i][0] < '0' || p->s[i][0] > '9') return -1;
    if (p->s[i][0] == '0' && p->s[i][1] != '\0') return -1; /* "01" is no index */
    char *end;
    unsigned long v = strtoul(p->s[i], &end, 10);
    if (*end != '\0' || v >= n) return -1;
    return (long)v;
}

static int is(const parsed *p, int i, const char *s) { return i < p->n && strcmp(p->s[i], s) == 0; }

/* ------------------------------------------------------------ the words */

/* The priors of the format, and how a field of theirs is named. */
static const struct {
    const char *field, *name;
} priors[] = {{"prior", "true effect"},         {"bias", "evaluation bias"},
              {"trend", "baseline trend"},      {"overrun", "cost overrun"},
              {"volume", "volume"},             {"engagement", "engagement"},
              {"effect_multiplier", "effect multiplier"}};

static const char *prior_name(const char *field) {
    for (size_t k = 0; k < sizeof priors / sizeof priors[0]; k++)
        if (strcmp(priors[k].field, field) == 0) return priors[k].name;
    return NULL;
}

/* A distribution's parameters (docs/scenario-format.md#priors). */
static const struct {
    const char *field, *name;
} params[] = {{"mean", "mean"},        {"sd", "standard deviation"}, {"lower", "lower bound"},
              {"upper", "upper bound"}, {"min", "minimum"},          {"max", "maximum"},
              {"mode", "mode"},         {"alpha", "alpha"},           {"beta", "beta"},
              {"mu", "mu"},             {"sigma", "sigma"},           {"value", "value"},
              {"dist", "distribution"}};

static const char *param_name(const char *field) {
    for (size_t k = 0; k < sizeof params / sizeof params[0]; k++)
        if (strcmp(params[k].field, field) == 0) return params[k].name;
    return NULL;
}

/* Field names that read better in words; the rest lose their underscores. */
static const struct {
    const char *field, *name;
} words[] = {{"cap_per_cohort", "cap per cohort"},
             {"share_after", "share once repaid"},
             {"principal_from", "principal's start"},
             {"setup", "set-up cost"},
             {"fixed_per_year", "fixed cost a year"},
             {"per_participant", "cost per participant"},
             {"per_year", "fee a year"},
             {"failure_hazard", "failure hazard"},
             {"min_effect", "minimum measured effect"},
             {"min_paid", "minimum paid"},
             {"probability", "commissioning probability"},
             {"comparison_size", "comparison group size"},
             {"comparison_ratio", "comparison ratio"},
             {"observation_lag", "observation lag"},
             {"return_cap", "return cap"},
             {"discount_rate", "discount rate"},
             {"fee_share", "fee share"},
             {"cost_of_capital", "cost of capital"},
             {"provider_share", "provider's share of a surplus"},
             {"periods_per_year", "periods a year"},
             {"lag", "payment lag"},
             {"icc", "intra-cluster correlation"},
             {"measured_below", "threshold"},
             {"pays", "what is paid"}};

static void field_words(char *buf, size_t size, const char *field) {
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
        if (strcmp(words[k].field, field) == 0) {
            snprintf(buf, size, "%s", words[k].name);
            return;
        }
    snprintf(buf, size, "%s", field);
    for (char *c = buf; *c; c++)
        if (*c == '_') *c = ' ';
}

/* The field's words from segment `from` on, before `owner`: a prior and its
 * parameter ("mean of the true effect on outcome "x""), the fees of a
 * structure ("set-up fee"), or the fields' words joined. */
static void phrase(char *buf, size_t size, const parsed *p, int from, const char *owner) {
    char what[200] = "";
    const char *link = " of ";
    int n = p->n - from;
    const char *last = n > 0 ? p->s[p->n - 1] : "";
    /* A prior (effect/prior, costs/overrun, evaluation/bias, ...), maybe with
     * one of its parameters after it. */
    int pi = -1;
    for (int i = from; i < p->n; i++)
        if (prior_name(p->s[i]) && (i == p->n - 1 || (i == p->n - 2 && param_name(last)))) pi = i;
    if (pi >= 0) {
        const char *pn = prior_name(p->s[pi]);
        if (strcmp(p->s[pi], "prior") == 0) link = " on ";
        if (pi == p->n - 2) snprintf(what, sizeof what, "%s of the %s", param_name(last), pn);
        else snprintf(what, sizeof what, "%s", pn);
    } else if (n == 2 && strcmp(p->s[from], "fees") == 0 && strcmp(last, "setup") == 0) {
        snprintf(what, sizeof what, "set-up fee");
    } else if (n == 2 && strcmp(p->s[from], "until_repaid") == 0) {
        char f[64];
        field_words(f, sizeof f, last);
        snprintf(what, sizeof what, "%s of the balance owed",
                 strcmp(last, "from") == 0 ? "start" : strcmp(last, "rate") == 0 ? "rate" : f);
    } else {
        /* The fields' words, the containers dropped ("costs", "evaluation",
         * "clusters" read as "cluster ..."). */
        for (int i = from; i < p->n; i++) {
            if (strcmp(p->s[i], "costs") == 0 || strcmp(p->s[i], "evaluation") == 0 ||
                strcmp(p->s[i], "fees") == 0 || strcmp(p->s[i], "gate") == 0 ||
                strcmp(p->s[i], "if") == 0)
                continue;
            char f[64];
            if (strcmp(p->s[i], "clusters") == 0) snprintf(f, sizeof f, "cluster");
            else field_words(f, sizeof f, p->s[i]);
            size_t used = strlen(what);
            snprintf(what + used, sizeof what - used, "%s%s", used ? " " : "", f);
        }
    }
    if (what[0] == '\0') snprintf(buf, size, "%s", owner);
    else snprintf(buf, size, "%s%s%s", what, link, owner);
}

/* ----------------------------------------------------------------- names */

const char *present_term_name(char *buf, size_t size, const scenario *sc, const char *pointer) {
    parsed p;
    char owner[3 * SCENARIO_NAME_MAX + 64];
    int from = -1;
    long i, j;
    snprintf(buf, size, "%s", pointer ? pointer : "");
    if (sc == NULL || parse(pointer, &p) != 0 || p.n == 0) return buf;
    /* A whole list, or the scenario's top-level parts. */
    static const struct {
        const char *a, *b, *name;
    } lists[] = {
        {"stages", NULL, "the stages"},
        {"outcomes", NULL, "the outcomes"},
        {"financing", NULL, "the financing structures"},
        {"correlations", NULL, "the correlations"},
        {"cases", NULL, "the named cases"},
        {"contract", NULL, "the contract"},
        {"simulation", NULL, "the simulation"},
        {"contract", "payments", "the payment rules"},
        {"contract", "payers", "the payers"},
        {"contract", "suspensions", "the contract's suspensions"},
    };
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++)
        if ((size_t)p.n == (lists[k].b ? 2u : 1u) && is(&p, 0, lists[k].a) &&
            (lists[k].b == NULL || is(&p, 1, lists[k].b))) {
            snprintf(buf, size, "%s", lists[k].name);
            return buf;
        }
    if (is(&p, 0, "contract")) {
        const contract *c = &sc->contract;
        if (is(&p, 1, "payments") && (i = index_at(&p, 2, c->n_rules)) >= 0) {
            const payment_rule *r = &c->rules[i];
            from = 3;
            snprintf(owner, sizeof owner, "payment \"%s\"", r->name);
            if (is(&p, 3, "bands") && (j = index_at(&p, 4, r->n_bands)) >= 0) {
                snprintf(owner, sizeof owner, "band %ld of payment \"%s\"", j + 1, r->name);
                from = 5;
            }
        } else if (is(&p, 1, "payers") && (i = index_at(&p, 2, c->n_payers)) >= 0) {
            snprintf(owner, sizeof owner, "payer \"%s\"", c->payers[i].name);
            from = 3;
        } else if (is(&p, 1, "outcome_caps") && p.n == 3) {
            snprintf(buf, size, "cap on the payments for outcome \"%s\"", p.s[2]);
            return buf;
        } else if (is(&p, 1, "suspensions") && (i = index_at(&p, 2, c->n_suspensions)) >= 0) {
            snprintf(owner, sizeof owner, "suspension %ld of the contract", i + 1);
            from = 3;
        } else if (is(&p, 1, "termination") && p.n > 2) {
            snprintf(owner, sizeof owner, "the termination clause");
            from = 2;
        } else if (p.n >= 2 && !is(&p, 1, "payments") && !is(&p, 1, "payers") &&
                   !is(&p, 1, "suspensions")) {
            snprintf(owner, sizeof owner, "the contract");
            from = 1;
        }
    } else if (is(&p, 0, "stages") && (i = index_at(&p, 1, sc->n_stages)) >= 0) {
        const stage *st = &sc->stages[i];
        snprintf(owner, sizeof owner, "stage \"%s\"", st->name);
        from = 2;
        if (is(&p, 2, "cohorts") && (j = index_at(&p, 3, st->n_cohorts)) >= 0) {
            snprintf(owner, sizeof owner, "cohort \"%s\" of stage \"%s\"", st->cohorts[j].name,
                     st->name);
            from = 4;
        } else if (is(&p, 2, "cohorts") && p.n == 3) {
            snprintf(buf, size, "the cohorts of stage \"%s\"", st->name);
            return buf;
        } else if (is(&p, 2, "cohorts")) {
            from = -1;
        } else if (is(&p, 2, "gate")) {
            snprintf(owner, sizeof owner, "the gate of stage \"%s\"", st->name);
            from = 3;
        }
    } else if (is(&p, 0, "outcomes") && (i = index_at(&p, 1, sc->n_outcomes)) >= 0) {
        snprintf(owner, sizeof owner, "outcome \"%s\"", sc->outcomes[i].name);
        from = 2;
        if (is(&p, 2, "effect") && p.n == 3) from = -1; /* the effect object */
    } else if (is(&p, 0, "financing") && (i = index_at(&p, 1, sc->n_financing)) >= 0) {
        const financing *f = &sc->financing[i];
        char of[SCENARIO_NAME_MAX + 16] = "";
        if (sc->n_financing > 1) snprintf(of, sizeof of, " of \"%s\"", f->name);
        snprintf(owner, sizeof owner, p.n == 2 ? "structure \"%s\"" : "\"%s\"", f->name);
        from = 2;
        if (is(&p, 2, "tranches") && (j = index_at(&p, 3, f->n_tranches)) >= 0) {
            snprintf(owner, sizeof owner, "tranche \"%s\"%s", f->tranches[j].name, of);
            from = 4;
        } else if (is(&p, 2, "guarantees") && (j = index_at(&p, 3, f->n_guarantees)) >= 0) {
            snprintf(owner, sizeof owner, "guarantee \"%s\"%s", f->guarantees[j].name, of);
            from = 4;
        } else if ((is(&p, 2, "tranches") || is(&p, 2, "guarantees")) && p.n == 3) {
            snprintf(buf, size, "the %s of structure \"%s\"", p.s[2], f->name);
            return buf;
        } else if (is(&p, 2, "tranches") || is(&p, 2, "guarantees")) {
            from = -1;
        }
    } else if (is(&p, 0, "simulation") && p.n == 2) {
        snprintf(owner, sizeof owner, "the simulation");
        from = 1;
    }
    if (from < 0 || from > p.n) return buf; /* named by its pointer */
    if (from == p.n) { /* the whole stage, cohort, outcome, rule, structure, ... */
        snprintf(buf, size, "%s", owner);
        return buf;
    }
    phrase(buf, size, &p, from, owner);
    return buf;
}

/* ----------------------------------------------------------------- units */

/* The unit of a field on an outcome's effect scale: a percentage when the
 * effect is relative (0.1 = 10%) or the outcome a rate (0.05 = 5 points). */
static term_unit effect_unit(const scenario *sc, size_t k) {
    if (k >= sc->n_outcomes) return TERM_NUMBER;
    const outcome *o = &sc->outcomes[k];
    return o->scale == EFFECT_RELATIVE || o->kind == OUTCOME_RATE ? TERM_SHARE : TERM_NUMBER;
}

static int any_of(const char *s, const char *const *list) {
    for (; *list; list++)
        if (strcmp(s, *list) == 0) return 1;
    return 0;
}

term_unit present_term_unit(const scenario *sc, const char *pointer) {
    parsed p;
    if (sc == NULL || parse(pointer, &p) != 0 || p.n == 0) return TERM_NUMBER;
    const char *last = p.s[p.n - 1];
    long i, j;
    /* A prior, or a parameter of one: the unit of what it draws. */
    int pi = -1;
    for (int k = 0; k < p.n; k++)
        if (prior_name(p.s[k]) && (k == p.n - 1 || (k == p.n - 2 && param_name(last)))) pi = k;
    if (pi >= 0) {
        const char *pr = p.s[pi];
        if (pi == p.n - 2 && any_of(last, (const char *const[]){"alpha", "beta", "mu", "sigma", NULL}))
            return TERM_NUMBER;
        if (strcmp(pr, "prior") == 0) {
            i = index_at(&p, 1, sc->n_outcomes);
            return is(&p, 0, "outcomes") && i >= 0 ? effect_unit(sc, (size_t)i) : TERM_NUMBER;
        }
        if (any_of(pr, (const char *const[]){"bias", "trend", "engagement", NULL})) return TERM_SHARE;
        return TERM_FACTOR;
    }
    /* On an outcome's effect scale: a rule's trigger, floor, ceiling and
     * bands, a gate's minimum effect. */
    if (is(&p, 0, "contract") && is(&p, 1, "payments") &&
        (i = index_at(&p, 2, sc->contract.n_rules)) >= 0 &&
        (any_of(last, (const char *const[]){"trigger", "floor", "ceiling", NULL}) ||
         (is(&p, 3, "bands") && strcmp(last, "from") == 0)))
        return effect_unit(sc, sc->contract.rules[i].outcome);
    if (is(&p, 0, "stages") && is(&p, 2, "gate") && strcmp(last, "min_effect") == 0 &&
        (i = index_at(&p, 1, sc->n_stages)) >= 0)
        return effect_unit(sc, sc->stages[i].gate.outcome);
    if (is(&p, 0, "outcomes") && strcmp(last, "baseline") == 0 &&
        (j = index_at(&p, 1, sc->n_outcomes)) >= 0)
        return sc->outcomes[j].kind == OUTCOME_RATE ? TERM_SHARE : TERM_NUMBER;
    if (is(&p, 0, "contract") && is(&p, 1, "outcome_caps")) return TERM_MONEY;
    if (is(&p, 0, "contract") && is(&p, 3, "until_repaid"))
        return strcmp(last, "amount") == 0 ? TERM_MONEY
               : strcmp(last, "rate") == 0 ? TERM_SHARE
                                           : TERM_YEARS;
    if (is(&p, 2, "guarantees") && any_of(last, (const char *const[]){"amount", "max", NULL}))
        return TERM_MONEY;
    if (is(&p, 2, "guarantees") && any_of(last, (const char *const[]){"share", "fee", NULL}))
        return TERM_SHARE;
    static const char *const money[] = {"price",     "amount",         "cap",        "cap_per_cohort",
                                        "principal", "value",          "commitment", "setup",
                                        "fixed_per_year", "per_participant", "per_year", "min_paid",
                                        NULL};
    static const char *const share[] = {"share",         "share_after", "fee_share",  "margin",
                                        "provider_share", "probability", "coupon",     "return_cap",
                                        "discount_rate", "cost_of_capital", "return",  "rho",
                                        "icc",           "volatility",  NULL};
    static const char *const years[] = {"lag",   "interval", "principal_from", "start",
                                        "duration", "entry", "enrolment",      "observation_lag",
                                        "maturity", "stopped", "by",            NULL};
    static const char *const count[] = {"size",        "comparison_size", "paths", "seed",
                                        "installments", "periods_per_year", "priority", NULL};
    if (any_of(last, money)) return TERM_MONEY;
    if (any_of(last, share)) return TERM_SHARE;
    if (any_of(last, years)) return TERM_YEARS;
    if (any_of(last, count)) return TERM_COUNT;
    if (strcmp(last, "comparison_ratio") == 0) return TERM_FACTOR;
    return TERM_NUMBER;
}

/* ---------------------------------------------------------------- values */

/* %.Ng without a trailing "-0" for a value that rounds to zero. */
/* x to `digits` significant digits; from 10^digits up (where %g turns to
 * an exponent: a trigger of -100 read "-1e+04%") to 10^15, the whole
 * number, grouped ("-10,000%"): no digit it keeps is one %g would drop. */
static void number(char *buf, size_t size, int digits, double x, const char *suffix) {
    if (fabs(x) < 5e-13) x = 0;
    if (fabs(x) >= pow(10, digits) && fabs(x) < 1e15) {
        char whole[48];
        present_whole(whole, sizeof whole, x);
        snprintf(buf, size, "%s%s", whole, suffix);
        return;
    }
    snprintf(buf, size, "%.*g%s", digits, x, suffix);
}

const char *present_term_value(char *buf, size_t size, const char *currency, term_unit u, double x) {
    if (isnan(x)) {
        snprintf(buf, size, "n/a");
        return buf;
    }
    switch (u) {
    case TERM_MONEY: return present_money(buf, size, currency, x);
    case TERM_SHARE: number(buf, size, 4, 100 * x, "%"); break;
    case TERM_FACTOR: number(buf, size, 4, x, "x"); break;
    case TERM_YEARS: number(buf, size, 4, x, fabs(x) == 1 ? " year" : " years"); break;
    case TERM_COUNT:
        if (x == floor(x) && fabs(x) < 1e15) {
            char digits[40];
            present_count(digits, sizeof digits, (unsigned long long)fabs(x));
            snprintf(buf, size, "%s%s", x < 0 ? "-" : "", digits);
        } else {
            number(buf, size, 4, x, "");
        }
        break;
    case TERM_NUMBER: number(buf, size, 4, x, ""); break;
    }
    return buf;
}

const char *present_term_exact(char *buf, size_t size, const char *currency, term_unit u, double x) {
    if (isnan(x)) {
        snprintf(buf, size, "n/a");
        return buf;
    }
    switch (u) {
    case TERM_MONEY: return present_money_exact(buf, size, currency, x);
    case TERM_SHARE: number(buf, size, 6, 100 * x, "%"); break;
    case TERM_FACTOR: number(buf, size, 6, x, "x"); break;
    case TERM_YEARS: number(buf, size, 6, x, fabs(x) == 1 ? " year" : " years"); break;
    case TERM_COUNT:
    case TERM_NUMBER: number(buf, size, 8, x, ""); break;
    }
    return buf;
}
