/* warnings_money.c -- the warnings about amounts of money in a contract
 * (warnings_internal.h): a cap below the single payment it caps, and
 * outcome payments that cannot come to a tenth of the capital a bond's
 * tranches commit -- a price, an amount or a cap written in thousands.
 * Split from sim/warnings.c, which runs them with its other checks; the
 * thresholds are here, with their reasons, and listed in
 * docs/scenario-format.md#warnings. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "sample.h"
#include "warnings_internal.h"

/* ------------------------------------------------------------ thresholds */

/* A bond whose outcome payments cannot come to a tenth of the capital its
 * tranches commit, in any future, loses its investors nine tenths or more
 * every time (but for a guarantee): no deal is struck so, and a price or amount written in
 * thousands (700 for 700,000, or 0.7 for 700) does it. The most paid is
 * bounded generously (wn_check_payable), so that only such a slip, a
 * thousandfold, is caught, never a deal that is merely poor. */
#define PAYABLE_SHARE 0.1
/* A count outcome's group mean (events a person) is taken to reach at
 * most this many times its baseline, and a score's at most its baseline
 * and this many standard deviations: beyond any assessed group's mean (a
 * group of 10 or more), as the bound is meant to be. By this bound the
 * library's deals can pay 1.4 (the ICRC bond: fixed amounts that at best
 * repay the capital and a return) to 41 times (Peterborough) what their
 * tranches commit: any deal's best case repays its capital. */
#define MEAN_REACH 3.0

/* ------------------------------------------------------- single payments */

/* The smallest single payment a rule makes when it pays: its fixed or full
 * linear amount, one unit's price, its smallest band (amount or price per
 * unit), or the share of one unit's savings. 0 when there is none to speak
 * of (a price of 0, or only return bands). *what names it. */
double wn_unit_payment(const payment_rule *r, const char **what) {
    switch (r->type) {
    case PAY_PER_UNIT:
    case PAY_PER_OUTCOME: *what = "one unit's price"; return r->price;
    case PAY_FIXED: *what = "its amount"; return r->amount;
    case PAY_LINEAR: *what = "its full amount"; return r->amount;
    case PAY_TIERED: {
        double best = 0;
        *what = "its smallest band's payment";
        for (size_t b = 0; b < r->n_bands; b++) {
            const band *x = &r->bands[b];
            if (x->has_return) continue;
            double v = x->per_unit ? x->price : x->amount;
            if (v > 0 && (best == 0 || v < best)) best = v;
        }
        return best;
    }
    case PAY_SAVINGS:
        *what = "the share of one unit's savings";
        return r->value * (r->owed > 0 ? r->share : r->share_after);
    }
    return 0;
}

void wn_check_contract_caps(wn_sink *w) {
    const scenario *sc = w->sc;
    const contract *k = &sc->contract;
    char ptr[256], name[200], m1[64], m2[64];
    double smallest = HUGE_VAL;
    size_t at = SIZE_MAX;
    const char *what = "";
    for (size_t i = 0; i < k->n_rules; i++) {
        const char *wh = "";
        double u = wn_unit_payment(&k->rules[i], &wh);
        if (u > 0 && u < smallest) {
            smallest = u;
            at = i;
            what = wh;
        }
    }
    if (at == SIZE_MAX) return;
    if (k->cap < smallest)
        wn_warn(
            w, "/contract/cap",
            "a cap of %s on all outcome payments is below the smallest single payment (%s, %s of "
            "payment \"%s\"): was it written in thousands or millions?",
            wn_money(m1, sizeof m1, sc, k->cap), wn_money(m2, sizeof m2, sc, smallest), what,
            k->rules[at].name);
    for (size_t o = 0; o < sc->n_outcomes; o++) {
        double cap = k->outcome_cap[o], small = HUGE_VAL;
        size_t ra = SIZE_MAX;
        for (size_t i = 0; i < k->n_rules; i++) {
            const char *wh = "";
            double u = wn_unit_payment(&k->rules[i], &wh);
            if (k->rules[i].outcome == o && u > 0 && u < small) {
                small = u;
                ra = i;
                what = wh;
            }
        }
        if (ra == SIZE_MAX || !(cap < small)) continue;
        wn_escape_member(name, sizeof name, sc->outcomes[o].name);
        snprintf(ptr, sizeof ptr, "/contract/outcome_caps/%s", name);
        wn_warn(
            w, ptr,
            "a cap of %s on outcome \"%s\" is below the smallest single payment on it (%s, %s of "
            "payment \"%s\"): was it written in thousands or millions?",
            wn_money(m1, sizeof m1, sc, cap), sc->outcomes[o].name,
            wn_money(m2, sizeof m2, sc, small), what, k->rules[ra].name);
    }
    for (size_t p = 0; p < k->n_payers; p++) {
        const payer *py = &k->payers[p];
        double part = py->share * smallest;
        if (!(part > 0) || !(py->cap < part)) continue;
        snprintf(ptr, sizeof ptr, "/contract/payers/%zu/cap", p);
        wn_warn(
            w, ptr,
            "a cap of %s on payer \"%s\" is below its share of the smallest single payment (%s): "
            "was it written in thousands or millions?",
            wn_money(m1, sizeof m1, sc, py->cap), py->name, wn_money(m2, sizeof m2, sc, part));
    }
}

/* ------------------------------------------------ what the contract pays */

/* The most one person can count for in units of outcome o, generously: a
 * rate's improvement or achievement is at most 1 a person; a count's at
 * most MEAN_REACH times its baseline (units are n (y_c - y_t) or n y_t,
 * and neither mean falls below 0); a score's at most its size and
 * MEAN_REACH standard deviations. */
static double units_per_person(const outcome *o) {
    switch (o->kind) {
    case OUTCOME_RATE: return 1.0;
    case OUTCOME_COUNT: return MEAN_REACH * fabs(o->baseline);
    case OUTCOME_CONTINUOUS: return fabs(o->baseline) + MEAN_REACH * o->sd;
    }
    return HUGE_VAL;
}

/* The most rule r can pay over the programme, before its own cap: its
 * units bounded by every planned participant of the stages it covers at
 * the volume prior's 99.9th percentile, each counting units_per_person, at
 * each of the outcome's measurements; an amount once per cohort (or pool)
 * and measurement; each installment paying it again. HUGE_VAL when a band
 * returns capital (bounded by the capital, not by outcomes). */
static double rule_most(const scenario *sc, const payment_rule *r) {
    const outcome *o = &sc->outcomes[r->outcome];
    const double times = o->times > 1 ? o->times : 1;
    double people = 0, assessments = 0;
    for (size_t s = 0; s < sc->n_stages; s++) {
        if (r->stage != SIZE_MAX && r->stage != s) continue;
        const stage *st = &sc->stages[s];
        double planned = 0;
        for (size_t c = 0; c < st->n_cohorts; c++) planned += st->cohorts[c].size;
        people += planned * fmax(sample_prior_quantile(&st->volume, 0.999), 1.0);
        assessments += r->scope == SCOPE_COHORT ? (double)st->n_cohorts : 1.0;
    }
    const double units = people * units_per_person(o) * times;
    double each = 0; /* a unit's payment, or an assessment's amount */
    int per_unit = 1;
    switch (r->type) {
    case PAY_PER_UNIT:
    case PAY_PER_OUTCOME: each = r->price; break;
    case PAY_FIXED:
    case PAY_LINEAR:
        each = r->amount;
        per_unit = 0;
        break;
    case PAY_TIERED:
        for (size_t b = 0; b < r->n_bands; b++) {
            const band *x = &r->bands[b];
            if (x->has_return) return HUGE_VAL;
            /* A band paying a price and another an amount: the larger of
             * the two totals (units x price, assessments x amount). */
            double total = x->per_unit ? x->price * units : x->amount * assessments * times;
            each = fmax(each, total);
        }
        return each * (r->installments > 1 ? r->installments : 1);
    case PAY_SAVINGS: each = r->value * fmax(r->share, r->share_after); break;
    }
    double most = per_unit ? each * units : each * assessments * times;
    return most * (r->installments > 1 ? r->installments : 1);
}

/* x > 0 to two significant figures (592,664.84 -> 590,000). */
static double round_sig2(double x) {
    const double p = pow(10.0, floor(log10(x)) - 1);
    return round(x / p) * p;
}

/* A price or amount written in thousands: see PAYABLE_SHARE. Compared
 * with the largest capital any bond-like structure's tranches commit. A
 * contract cap below the smallest single payment is said already
 * (wn_check_contract_caps), and not again here. */
void wn_check_payable(wn_sink *w) {
    const scenario *sc = w->sc;
    const contract *k = &sc->contract;
    double commit = 0;
    for (size_t f = 0; f < sc->n_financing; f++) {
        const financing *fin = &sc->financing[f];
        if (!wn_bond_like(fin->type)) continue;
        double c = 0;
        for (size_t t = 0; t < fin->n_tranches; t++) c += fin->tranches[t].commitment;
        commit = fmax(commit, c);
    }
    if (!(commit > 0) || k->n_rules == 0) return;
    /* Cohorts written in thousands have their own warning (warnings.c). */
    for (size_t s = 0; s < sc->n_stages; s++)
        for (size_t c = 0; c < sc->stages[s].n_cohorts; c++)
            if (sc->stages[s].cohorts[c].size < COHORT_SMALL) return;
    double uncapped = 0, capped = 0, largest = -1;
    size_t at = 0, binding = SIZE_MAX;
    for (size_t i = 0; i < k->n_rules; i++) {
        const double most = rule_most(sc, &k->rules[i]);
        if (most == HUGE_VAL) return;
        uncapped += most;
        capped += fmin(most, k->rules[i].cap);
        if (most > largest) {
            largest = most;
            at = i;
        }
        if (k->rules[i].cap < most && binding == SIZE_MAX) binding = i;
    }
    /* Nothing payable at all (every price 0) is no slip of units. */
    if (!(uncapped > 0)) return;
    const double need = PAYABLE_SHARE * commit;
    char ptr[256], m1[64], m2[64];
    const payment_rule *r = &k->rules[at];
    /* "about": the bound to two significant figures. */
    const double shown = round_sig2(uncapped), shown_capped = capped > 0 ? round_sig2(capped) : 0;
    if (uncapped < need) {
        const char *field = r->type == PAY_FIXED || r->type == PAY_LINEAR ? "amount"
                            : r->type == PAY_SAVINGS                      ? "value"
                            : r->type == PAY_TIERED                       ? "bands"
                                                                          : "price";
        snprintf(ptr, sizeof ptr, "/contract/payments/%zu/%s", at, field);
        wn_warn(w, ptr,
                "the outcome payments can come to at most about %s (every participant, at the "
                "plausible most, on every rule), under a tenth of the %s the tranches commit: were "
                "the prices or amounts written in thousands?",
                wn_money(m1, sizeof m1, sc, shown), wn_money(m2, sizeof m2, sc, commit));
    } else if (capped < need && binding != SIZE_MAX) {
        /* A rule's cap below one of its own payments is said already. */
        const char *wh;
        if (k->rules[binding].cap < wn_unit_payment(&k->rules[binding], &wh)) return;
        snprintf(ptr, sizeof ptr, "/contract/payments/%zu/cap", binding);
        wn_warn(
            w, ptr,
            "with the payments' own caps, the outcome payments can come to at most about %s, under "
            "a tenth of the %s the tranches commit: was a cap written in thousands or millions?",
            wn_money(m1, sizeof m1, sc, shown_capped), wn_money(m2, sizeof m2, sc, commit));
    } else if (k->cap < need) {
        for (size_t i = 0; i < k->n_rules; i++) {
            const char *wh;
            const double u = wn_unit_payment(&k->rules[i], &wh);
            if (u > 0 && k->cap < u) return;
        }
        wn_warn(w, "/contract/cap",
                "a cap of %s on all outcome payments is under a tenth of the %s the tranches "
                "commit: was it written in thousands or millions?",
                wn_money(m1, sizeof m1, sc, k->cap), wn_money(m2, sizeof m2, sc, commit));
    }
}
