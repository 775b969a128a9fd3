/* warnings.c -- likely mistakes in a scenario that loads. See warnings.h
 * for why this lives in sim/, and docs/scenario-format.md#warnings for the
 * list as users read it. Every threshold is a named constant below (or in
 * warnings_reach.h, the few the reach shares), with its reason; a check
 * that needs a heuristic states it where it is made.
 *
 * How far a measured effect can reach (what a trigger, a band, a linear
 * floor or ceiling, or a gate's min_effect is compared with) is worked out
 * in warnings_reach.c; the checks of amounts of money (caps below a
 * payment, payments that cannot repay a tenth of the capital) are in
 * warnings_money.c, with their thresholds; what the two files share is in
 * warnings_internal.h. */
#include "warnings.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../model/contract.h"
#include "../model/error.h"
#include "sample.h"
#include "warnings_internal.h"
#include "warnings_reach.h"

/* ------------------------------------------------------------ thresholds */

/* An annual rate (coupon, return cap, discount rate, cost of capital,
 * interest on a balance, a band's return, a guarantee fee) of 1 or more is
 * 100% a year or more: almost surely a percentage written as a number
 * (8 for 8%). The loader already refuses most such values (a coupon above
 * 1); this catches what it lets through. */
#define RATE_PERCENT 1.0
/* A fee-for-service margin of 1 or more is 100% on top of costs. */
#define MARGIN_PERCENT 1.0
/* A matched comparison group's relative bias of 1 or more doubles its
 * mean: almost surely 5 for 0.05. */
#define BIAS_PERCENT 1.0
/* A historical trend of 50% of the baseline a year, or a volatility of 50%
 * per sqrt(year): almost surely 0.5 for 0.5%. */
#define DRIFT_PERCENT 0.5
/* A cost overrun is a multiplier (1.2 = 20% over plan): 3 or more, or
 * below 0.5, is almost surely an overrun written as a percentage (20) or as
 * a fraction of the plan (0.2). */
#define OVERRUN_HIGH 3.0
#define OVERRUN_LOW 0.5
/* Volume is actual / planned participants, the effect multiplier a factor
 * on the programme's effect: more than 2 (double the plan, double the
 * effect) is more likely a percentage. */
#define FACTOR_HIGH 2.0
/* A failure hazard is failures a year: 1 fails a running stage within a
 * year with probability 1 - e^-1 = 63%, which no programme is planned on;
 * it is almost surely a percentage (6.5 for 0.065, a 6.3% chance a
 * year). */
#define HAZARD_PERCENT 1.0

/* Times are in years. A time of 12 years or more that is a whole number
 * of dozens (12, 24, 36, ...) is most likely months: the longest stage,
 * lag or enrolment of the library's real deals is 7 years, and a service
 * planned on 24 months is written "24" by a spreadsheet in months. */
#define MONTHS_LIKELY 12.0

/* ------------------------------------------------------------------ sink */

/* The pointer and the message made visible (sib_visible), as sib_error_set
 * keeps an error's: the names quoted in a message and the pointers built
 * from them are the scenario's text, and the front ends print both as they
 * are. A message too long for its field is cut between two characters. */
void wn_warn(wn_sink *w, const char *pointer, const char *fmt, ...) {
    if (w->n < w->max) {
        sib_warning *x = &w->out[w->n];
        sib_visible(x->pointer, sizeof x->pointer, pointer);
        /* Twice the field: a visible form is never shorter than its text, so
         * what vsnprintf cuts here is cut again, whole, by sib_visible. */
        char raw[2 * sizeof x->message];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(raw, sizeof raw, fmt, ap);
        va_end(ap);
        sib_visible(x->message, sizeof x->message, raw);
    }
    w->n++;
}

/* An amount of money as "GBP 1,234,567" (cents only when there are any). */
const char *wn_money(char *buf, size_t size, const scenario *sc, double x) {
    if (!isfinite(x) || fabs(x) >= 1e15) {
        snprintf(buf, size, "%s %.6g", sc->currency, x);
        return buf;
    }
    long long cents = llround(fabs(x) * 100.0);
    long long whole = cents / 100, frac = cents % 100;
    char digits[32], grouped[48];
    int nd = snprintf(digits, sizeof digits, "%lld", whole);
    size_t k = 0;
    for (int i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0) grouped[k++] = ',';
        grouped[k++] = digits[i];
    }
    grouped[k] = '\0';
    if (frac != 0)
        snprintf(buf, size, "%s %s%s.%02lld", sc->currency, x < 0 ? "-" : "", grouped, frac);
    else
        snprintf(buf, size, "%s %s%s", sc->currency, x < 0 ? "-" : "", grouped);
    return buf;
}

/* RFC 6901: "~" is written "~0" and "/" "~1" in a pointer's member name. */
void wn_escape_member(char *buf, size_t size, const char *name) {
    size_t k = 0;
    for (const char *p = name; *p != '\0' && k + 3 < size; p++) {
        if (*p == '~' || *p == '/') {
            buf[k++] = '~';
            buf[k++] = *p == '~' ? '0' : '1';
        } else {
            buf[k++] = *p;
        }
    }
    buf[k] = '\0';
}

/* The field a prior's warning points at, and the value to show: a fixed
 * value or a normal's mean is the number written (the prior itself, or its
 * "mean"); for other kinds the message speaks of the prior's mean and
 * points at the prior. That mean is the mean of what the engine draws,
 * after the prior's "lower" and "upper" cut it (sample_prior_mean): a
 * lognormal capped at 1.5 never draws an overrun of 20, whatever its uncut
 * mean. Sets *written to say which. */
static double prior_centre(const prior *p, const char *base, char *ptr, size_t size,
                           int *written) {
    *written = 1;
    if (p->kind == PRIOR_NORMAL) {
        snprintf(ptr, size, "%s/mean", base);
        return p->a;
    }
    snprintf(ptr, size, "%s", base);
    if (p->kind == PRIOR_FIXED) return p->a;
    *written = 0;
    return sample_prior_mean(p);
}

/* -------------------------------------------------- percentages and rates */

/* An annual rate of RATE_PERCENT or more. */
static void check_rate(wn_sink *w, const char *ptr, const char *what, double v) {
    if (!(v >= RATE_PERCENT)) return;
    wn_warn(w, ptr, "%s of %g is %g%% a year: did you mean %g (%g%%)?", what, v, v * 100, v / 100,
            v);
}

static void check_simulation(wn_sink *w) {
    check_rate(w, "/simulation/discount_rate", "a discount rate", w->sc->sim.discount_rate);
}

/* --------------------------------------------------------------- stages */

static void check_stage_priors(wn_sink *w, size_t s) {
    const stage *st = &w->sc->stages[s];
    char base[128], ptr[256];
    int written;

    snprintf(base, sizeof base, "/stages/%zu/costs/overrun", s);
    double v = prior_centre(&st->overrun, base, ptr, sizeof ptr, &written);
    const char *what = written ? "an overrun of" : "an overrun prior with mean";
    if (v >= OVERRUN_HIGH)
        wn_warn(w, ptr,
                "%s %g multiplies the stage's costs by %g: an overrun is a multiplier (1.2 is 20%% "
                "over plan): did you mean %g (%g%% over)?",
                what, v, v, 1 + v / 100, v);
    else if (v < OVERRUN_LOW)
        wn_warn(
            w, ptr,
            "%s %g multiplies the stage's costs by %g (%g%% of plan): an overrun is a multiplier "
            "(1.2 is 20%% over plan): did you mean %g (%g%% over)?",
            what, v, v, v * 100, 1 + v, v * 100);

    snprintf(base, sizeof base, "/stages/%zu/volume", s);
    v = prior_centre(&st->volume, base, ptr, sizeof ptr, &written);
    if (v > FACTOR_HIGH)
        wn_warn(
            w, ptr,
            "%s %g enrols %g times the planned participants (volume is actual / planned: 0.9 is a "
            "10%% shortfall): was a percentage meant?",
            written ? "a volume of" : "a volume prior with mean", v, v);

    snprintf(base, sizeof base, "/stages/%zu/effect_multiplier", s);
    v = prior_centre(&st->effect_multiplier, base, ptr, sizeof ptr, &written);
    if (fabs(v) > FACTOR_HIGH)
        wn_warn(w, ptr,
                "%s %g makes this stage's effect %g times the programme's: was a percentage meant "
                "(0.7 is 70%%)?",
                written ? "an effect multiplier of" : "an effect multiplier prior with mean", v, v);
}

/* A failure hazard h a year fails a running stage within a year with
 * probability 1 - e^-h (model.md, operational failure). */
static void check_hazard(wn_sink *w, size_t s) {
    const double h = w->sc->stages[s].failure_hazard;
    if (!(h >= HAZARD_PERCENT)) return;
    char ptr[64];
    snprintf(ptr, sizeof ptr, "/stages/%zu/failure_hazard", s);
    wn_warn(w, ptr,
            "a failure hazard of %g a year fails the programme within a year of running with "
            "probability %.3g%%: a hazard is failures a year (%g is a %.3g%% chance a year): did "
            "you mean %g?",
            h, 100 * -expm1(-h), h / 100, 100 * -expm1(-h / 100), h / 100);
}

/* A time in years (what: "a duration", "a lag") at ptr that reads as
 * months (MONTHS_LIKELY). */
static void check_years(wn_sink *w, const char *ptr, const char *what, double years) {
    if (!(years >= MONTHS_LIKELY) || fmod(years, 12) != 0) return;
    wn_warn(w, ptr, "%s of %g years: times are in years: was it written in months (%g year%s)?",
            what, years, years / 12, years == 12 ? "" : "s");
}

/* Every time of the scenario that a month count would be written in: a
 * stage's duration, a cohort's enrolment, an outcome's observation lag, a
 * payment's lag and the interval of its installments. */
static void check_times(wn_sink *w) {
    const scenario *sc = w->sc;
    char ptr[256];
    for (size_t s = 0; s < sc->n_stages; s++) {
        snprintf(ptr, sizeof ptr, "/stages/%zu/duration", s);
        check_years(w, ptr, "a duration", sc->stages[s].duration);
        for (size_t c = 0; c < sc->stages[s].n_cohorts; c++) {
            snprintf(ptr, sizeof ptr, "/stages/%zu/cohorts/%zu/enrolment", s, c);
            check_years(w, ptr, "an enrolment", sc->stages[s].cohorts[c].enrolment);
        }
    }
    for (size_t o = 0; o < sc->n_outcomes; o++) {
        snprintf(ptr, sizeof ptr, "/outcomes/%zu/observation_lag", o);
        check_years(w, ptr, "an observation lag", sc->outcomes[o].observation_lag);
    }
    for (size_t i = 0; i < sc->contract.n_rules; i++) {
        const payment_rule *r = &sc->contract.rules[i];
        snprintf(ptr, sizeof ptr, "/contract/payments/%zu/lag", i);
        check_years(w, ptr, "a lag", r->lag);
        if (r->installments > 1) {
            snprintf(ptr, sizeof ptr, "/contract/payments/%zu/interval", i);
            check_years(w, ptr, "an interval", r->interval);
        }
    }
}

static void check_cohorts(wn_sink *w, size_t s) {
    const stage *st = &w->sc->stages[s];
    char ptr[256];
    for (size_t c = 0; c < st->n_cohorts; c++) {
        if (!(st->cohorts[c].size < COHORT_SMALL)) continue;
        snprintf(ptr, sizeof ptr, "/stages/%zu/cohorts/%zu/size", s, c);
        wn_warn(w, ptr,
                "a cohort of %g %s is too small to measure an effect on: was the size written in "
                "thousands?",
                st->cohorts[c].size, st->cohorts[c].size == 1 ? "person" : "people");
    }
}

/* The date the first installment of rule r's assessment measured at t is
 * paid that a suspension does not cancel (a holiday may defer it),
 * HUGE_VAL when every one is cancelled (contract_paid_date). */
static double first_paid(const scenario *sc, const payment_rule *r, double t) {
    double best = HUGE_VAL;
    for (int k = 0; k < r->installments; k++)
        best = fmin(best, contract_paid_date(&sc->contract, t + r->lag + k * r->interval, t));
    return best;
}

/* The date the last installment so paid is, -HUGE_VAL when none is. */
static double last_paid(const scenario *sc, const payment_rule *r, double t) {
    double last = -HUGE_VAL;
    for (int k = 0; k < r->installments; k++) {
        double d = contract_paid_date(&sc->contract, t + r->lag + k * r->interval, t);
        if (d < HUGE_VAL) last = fmax(last, d);
    }
    return last;
}

/* The earliest date a payment for stage a's cohorts can fall due (the
 * payments a gate's min_paid counts), after any suspension, HUGE_VAL when
 * no rule pays for them alone. */
static double earliest_due(const scenario *sc, size_t a) {
    const stage *st = &sc->stages[a];
    double best = HUGE_VAL;
    for (size_t i = 0; i < sc->contract.n_rules; i++) {
        const payment_rule *r = &sc->contract.rules[i];
        double last = -HUGE_VAL;
        const int times = sc->outcomes[r->outcome].times > 1 ? sc->outcomes[r->outcome].times : 1;
        for (size_t c = 0; c < st->n_cohorts; c++)
            last = fmax(last, scenario_measure_time(sc, a, c, r->outcome));
        if (r->scope == SCOPE_COHORT && (r->stage == SIZE_MAX || r->stage == a)) {
            /* a cohort is paid from its first measurement */
            for (size_t c = 0; c < st->n_cohorts; c++)
                for (int m = 0; m < times; m++)
                    best =
                        fmin(best,
                             first_paid(sc, r, scenario_measurement_time(sc, a, c, r->outcome, m)));
        } else if (r->scope != SCOPE_COHORT && r->stage == a) {
            best = fmin(best, first_paid(sc, r, last));
        }
    }
    return best;
}

static void check_gate(wn_sink *w, size_t s) {
    const scenario *sc = w->sc;
    const stage *st = &sc->stages[s];
    const gate *g = &st->gate;
    if (!g->present) return;
    char ptr[256], hint[200], rb[300], m1[64], m2[64];
    const char *after = sc->stages[g->stage].name;

    if (g->probability <= 0) {
        snprintf(ptr, sizeof ptr, "/stages/%zu/gate/probability", s);
        wn_warn(
            w, ptr,
            "a commissioning probability of 0: this stage, and every stage after it, never runs: "
            "did you mean 1?");
    }

    if (g->outcome != SIZE_MAX) {
        const outcome *oc = &sc->outcomes[g->outcome];
        unsigned char pool[MAX_STAGES] = {0};
        pool[g->stage] = 1;
        reach r = wn_pool_reach(sc, g->outcome, pool);
        snprintf(ptr, sizeof ptr, "/stages/%zu/gate/min_effect", s);
        if (g->min_effect > r.hi) {
            wn_warn(
                w, ptr,
                "a min_effect of %g is never reached: the measured effect pooled over stage \"%s\" "
                "is %s, so this stage never runs%s",
                g->min_effect, after, wn_reach_above(rb, sizeof rb, &r),
                wn_percent_hint(hint, sizeof hint, oc, g->min_effect));
        } else if (g->min_effect <= r.lo) {
            hint[0] = '\0';
            if (g->min_effect < 0 && -g->min_effect > r.lo && -g->min_effect <= r.hi)
                snprintf(hint, sizeof hint, ": did you mean %g?", -g->min_effect);
            wn_warn(
                w, ptr,
                "a min_effect of %g is always met: the measured effect pooled over stage \"%s\" is "
                "at least about %.3g (the effect prior's 0.1st percentile, %.3g, with "
                "engagement, multipliers, bias and 4 standard errors of noise), so the rule on "
                "results never stops this stage%s",
                g->min_effect, after, r.lo, r.e_lo, hint);
        }
    }

    if (g->has_min_paid && g->min_paid > 0) {
        snprintf(ptr, sizeof ptr, "/stages/%zu/gate/min_paid", s);
        double due = earliest_due(sc, g->stage);
        if (due == HUGE_VAL)
            wn_warn(w, ptr,
                    "a min_paid of %s counts payments for stage \"%s\" alone, but no payment rule "
                    "pays for its cohorts alone (a pooled rule over every stage does not count): "
                    "the gate never opens",
                    wn_money(m1, sizeof m1, sc, g->min_paid), after);
        else if (due > st->start + EPS_T)
            wn_warn(w, ptr,
                    "a min_paid of %s counts payments for stage \"%s\" due by this stage's start "
                    "(t = %g), but the first of them falls due at t = %g: the gate never opens; "
                    "shorten the payment's lag or start the stage later",
                    wn_money(m1, sizeof m1, sc, g->min_paid), after, st->start, due);
        else if (g->min_paid > sc->contract.cap)
            wn_warn(
                w, ptr,
                "a min_paid of %s is more than the contract's cap on all payments (%s): the gate "
                "never opens",
                wn_money(m1, sizeof m1, sc, g->min_paid),
                wn_money(m2, sizeof m2, sc, sc->contract.cap));
    }
}

/* ------------------------------------------------------------- outcomes */

static void check_outcome(wn_sink *w, size_t o) {
    const outcome *oc = &w->sc->outcomes[o];
    char base[128], ptr[256];
    int written;

    snprintf(base, sizeof base, "/outcomes/%zu/effect/prior", o);
    if (oc->scale == EFFECT_RELATIVE) {
        double v = prior_centre(&oc->effect, base, ptr, sizeof ptr, &written);
        if (v > EFFECT_PERCENT)
            wn_warn(w, ptr, "%s %g is a %g%% change: did you mean %g (%g%%)?",
                    written ? "a relative effect of" : "a relative effect prior with mean", v,
                    v * 100, v / 100, v);
    }

    const evaluation *ev = &oc->eval;
    if (ev->design == EVAL_MATCHED) {
        snprintf(base, sizeof base, "/outcomes/%zu/evaluation/bias", o);
        double v = prior_centre(&ev->bias, base, ptr, sizeof ptr, &written);
        if (v >= BIAS_PERCENT)
            wn_warn(w, ptr,
                    "%s %g makes the comparison group's mean %g times the counterfactual: did you "
                    "mean %g (%g%%)?",
                    written ? "a bias of" : "a bias prior with mean", v, 1 + v, v / 100, v);
    }
    if (ev->design == EVAL_HISTORICAL) {
        snprintf(base, sizeof base, "/outcomes/%zu/evaluation/trend", o);
        double v = prior_centre(&ev->trend, base, ptr, sizeof ptr, &written);
        if (fabs(v) >= DRIFT_PERCENT)
            wn_warn(
                w, ptr,
                "%s %g moves the counterfactual by %g%% of the baseline a year: did you mean %g "
                "(%g%%)?",
                written ? "a trend of" : "a trend prior with mean", v, v * 100, v / 100, v);
        if (ev->volatility >= DRIFT_PERCENT) {
            snprintf(ptr, sizeof ptr, "/outcomes/%zu/evaluation/volatility", o);
            wn_warn(w, ptr,
                    "a volatility of %g is %g%% of the baseline per square root of a year: did you "
                    "mean %g (%g%%)?",
                    ev->volatility, ev->volatility * 100, ev->volatility / 100, ev->volatility);
        }
    }
}

/* ------------------------------------------------------------- contract */

static void check_rule_thresholds(wn_sink *w, size_t i) {
    const scenario *sc = w->sc;
    const payment_rule *r = &sc->contract.rules[i];
    const outcome *oc = &sc->outcomes[r->outcome];
    char ptr[256], hint[200], rb[300];
    int needs = r->has_trigger || r->type == PAY_LINEAR || r->type == PAY_TIERED;
    if (!needs) return;
    reach re = wn_rule_reach(sc, r);

    if (r->has_trigger && r->trigger > re.hi) {
        snprintf(ptr, sizeof ptr, "/contract/payments/%zu/trigger", i);
        wn_warn(w, ptr,
                "a trigger of %g is never reached: the measured effect is %s, so this rule "
                "never pays%s",
                r->trigger, wn_reach_above(rb, sizeof rb, &re),
                wn_percent_hint(hint, sizeof hint, oc, r->trigger));
    }
    if (r->type == PAY_LINEAR) {
        if (r->floor >= re.hi) {
            snprintf(ptr, sizeof ptr, "/contract/payments/%zu/floor", i);
            wn_warn(w, ptr,
                    "a floor of %g is never passed: the measured effect is %s, so this rule "
                    "never pays%s",
                    r->floor, wn_reach_above(rb, sizeof rb, &re),
                    wn_percent_hint(hint, sizeof hint, oc, r->floor));
        } else if (r->ceiling > re.hi) {
            snprintf(ptr, sizeof ptr, "/contract/payments/%zu/ceiling", i);
            wn_warn(w, ptr,
                    "a ceiling of %g is never reached: the measured effect is %s, so this "
                    "rule never pays its full amount%s",
                    r->ceiling, wn_reach_above(rb, sizeof rb, &re),
                    wn_percent_hint(hint, sizeof hint, oc, r->ceiling));
        }
    }
    if (r->type == PAY_TIERED) {
        for (size_t b = 0; b < r->n_bands; b++) {
            if (!(r->bands[b].from > re.hi)) continue;
            snprintf(ptr, sizeof ptr, "/contract/payments/%zu/bands/%zu/from", i, b);
            if (b == 0)
                wn_warn(w, ptr,
                        "the first band, from %g, is never reached: the measured effect is "
                        "%s, so this rule never pays%s",
                        r->bands[b].from, wn_reach_above(rb, sizeof rb, &re),
                        wn_percent_hint(hint, sizeof hint, oc, r->bands[b].from));
            else
                wn_warn(w, ptr,
                        "band %zu, from %g, and every band above it are never reached: the "
                        "measured effect is %s%s",
                        b, r->bands[b].from, wn_reach_above(rb, sizeof rb, &re),
                        wn_percent_hint(hint, sizeof hint, oc, r->bands[b].from));
            break;
        }
    }
}

static void check_rule_rates_and_caps(wn_sink *w, size_t i) {
    const scenario *sc = w->sc;
    const payment_rule *r = &sc->contract.rules[i];
    char ptr[256], m1[64], m2[64];
    if (r->type == PAY_SAVINGS && r->owed > 0) {
        snprintf(ptr, sizeof ptr, "/contract/payments/%zu/until_repaid/rate", i);
        check_rate(w, ptr, "an interest rate", r->owed_rate);
    }
    if (r->type == PAY_TIERED)
        for (size_t b = 0; b < r->n_bands; b++)
            if (r->bands[b].has_return) {
                snprintf(ptr, sizeof ptr, "/contract/payments/%zu/bands/%zu/return", i, b);
                check_rate(w, ptr, "a return", r->bands[b].ret);
            }

    const char *what = "";
    double unit = wn_unit_payment(r, &what);
    if (!(unit > 0)) return;
    if (r->scope == SCOPE_COHORT && r->cap_per_cohort < unit) {
        snprintf(ptr, sizeof ptr, "/contract/payments/%zu/cap_per_cohort", i);
        wn_warn(
            w, ptr,
            "a cap of %s per cohort is below %s (%s), so every cohort's payment is cut to it: was "
            "it written in thousands or millions?",
            wn_money(m1, sizeof m1, sc, r->cap_per_cohort), what,
            wn_money(m2, sizeof m2, sc, unit));
    }
    if (r->cap < unit) {
        snprintf(ptr, sizeof ptr, "/contract/payments/%zu/cap", i);
        wn_warn(w, ptr,
                "a cap of %s on this rule is below %s (%s), so it never pays even one payment in "
                "full: was it written in thousands or millions?",
                wn_money(m1, sizeof m1, sc, r->cap), what, wn_money(m2, sizeof m2, sc, unit));
    }
}

/* When a pooled assessment of outcome o over the stages with in_pool[] is
 * measured: the last of their cohorts' measurement dates (the plan's). */
static double pooled_date(const scenario *sc, size_t o, const unsigned char *in_pool) {
    double last = -HUGE_VAL;
    for (size_t s = 0; s < sc->n_stages && s < MAX_STAGES; s++)
        if (in_pool[s])
            for (size_t c = 0; c < sc->stages[s].n_cohorts; c++)
                last = fmax(last, scenario_measure_time(sc, s, c, o));
    return last;
}

/* A true-up nets off only the narrower payments settled before it (by
 * date, then by position): one paid earlier than a payment it should net
 * off pays for the same outcomes twice. */
static void check_true_up(wn_sink *w, size_t i) {
    const scenario *sc = w->sc;
    const payment_rule *R = &sc->contract.rules[i];
    if (!R->true_up || R->scope == SCOPE_COHORT) return;
    char ptr[256];
    /* Installments repeat an amount (contract.h): each of a true-up's nets
     * off all the narrower payments again, so its balance is paid again. */
    if (R->installments > 1) {
        snprintf(ptr, sizeof ptr, "/contract/payments/%zu/installments", i);
        wn_warn(
            w, ptr,
            "this true-up is paid %d times, %g year%s apart, and each installment pays its pooled "
            "amount again less all that the narrower rules paid: the balance is paid %d times "
            "(within the rule's cap), where a true-up settles once: give it 1 installment "
            "(installments repeat an amount, they do not split it)",
            R->installments, R->interval, R->interval == 1 ? "" : "s", R->installments);
    }
    unsigned char pool[MAX_STAGES] = {0};
    for (size_t s = 0; s < sc->n_stages && s < MAX_STAGES; s++)
        pool[s] = (R->scope == SCOPE_STAGE) ? (R->stage == s) : (R->stage == SIZE_MAX || R->stage == s);
    /* Dates as paid, after the suspensions (a deferred payment is paid at
     * its holiday's end, a cancelled one never). */
    double measured = pooled_date(sc, R->outcome, pool);
    double paid = contract_paid_date(&sc->contract, measured + R->lag, measured);
    if (paid == HUGE_VAL) return;

    double latest = -HUGE_VAL;
    size_t who = SIZE_MAX;
    for (size_t k = 0; k < sc->contract.n_rules; k++) {
        const payment_rule *N = &sc->contract.rules[k];
        if (k == i || N->outcome != R->outcome) continue;
        double d = -HUGE_VAL;
        if (N->scope == SCOPE_COHORT) {
            for (size_t s = 0; s < sc->n_stages && s < MAX_STAGES; s++) {
                if (!pool[s] || (N->stage != SIZE_MAX && N->stage != s)) continue;
                for (size_t c = 0; c < sc->stages[s].n_cohorts; c++)
                    d = fmax(d, last_paid(sc, N, scenario_measure_time(sc, s, c, N->outcome)));
            }
        } else if (N->scope == SCOPE_STAGE && R->scope == SCOPE_PROGRAMME && N->stage < MAX_STAGES &&
                   pool[N->stage]) {
            unsigned char one[MAX_STAGES] = {0};
            one[N->stage] = 1;
            d = last_paid(sc, N, pooled_date(sc, N->outcome, one));
        }
        if (d == -HUGE_VAL) continue;
        int late = d > paid + EPS_T || (fabs(d - paid) <= EPS_T && k > i);
        if (late && d > latest) {
            latest = d;
            who = k;
        }
    }
    if (who == SIZE_MAX) return;
    snprintf(ptr, sizeof ptr, "/contract/payments/%zu/lag", i);
    if (latest > paid + EPS_T)
        wn_warn(
            w, ptr,
            "this true-up is paid at t = %g, but payment \"%s\" pays for the same cohorts until "
            "t = %g: a true-up nets off only payments settled before it, so it pays for those "
            "outcomes again: give it a lag of at least %g",
            paid, sc->contract.rules[who].name, latest, latest - measured);
    else
        wn_warn(
            w, ptr,
            "this true-up is paid at t = %g, the date of payment \"%s\", which is listed after "
            "it and so settled after it: the true-up does not net it off: list the true-up last "
            "or give it a longer lag",
            paid, sc->contract.rules[who].name);
}

/* -------------------------------------------------------- contract terms */

/* Whether an installment of rule r's assessment measured at t falls due in
 * [from, to) (by the plan, before any suspension). */
static int due_in(const payment_rule *r, double t, double from, double to) {
    for (int k = 0; k < r->installments; k++) {
        double d = t + r->lag + k * r->interval;
        if (d >= from - EPS_T && d < to - EPS_T) return 1;
    }
    return 0;
}

/* Whether any assessment of any rule falls due in [from, to). */
static int any_due_in(const scenario *sc, double from, double to) {
    for (size_t i = 0; i < sc->contract.n_rules; i++) {
        const payment_rule *r = &sc->contract.rules[i];
        unsigned char pool[MAX_STAGES] = {0};
        for (size_t s = 0; s < sc->n_stages && s < MAX_STAGES; s++) {
            pool[s] =
                r->scope == SCOPE_STAGE ? r->stage == s : (r->stage == SIZE_MAX || r->stage == s);
            if (r->scope != SCOPE_COHORT || !pool[s]) continue;
            for (size_t c = 0; c < sc->stages[s].n_cohorts; c++)
                if (due_in(r, scenario_measure_time(sc, s, c, r->outcome), from, to)) return 1;
        }
        if (r->scope != SCOPE_COHORT && due_in(r, pooled_date(sc, r->outcome, pool), from, to))
            return 1;
    }
    return 0;
}

/* The reach of the measured effect a termination rule compares with: the
 * cohorts of its stage (or of every stage) measured by its last date, with
 * the group of the first date that has any (the smallest, the noisiest). */
static reach termination_reach(const scenario *sc, const termination *tm, double *first_date) {
    size_t st[MAX_STAGES], nst = 0;
    double t_lo = HUGE_VAL, t_hi = -HUGE_VAL, last = tm->at[tm->n_at - 1];
    const size_t o = tm->outcome;
    for (size_t s = 0; s < sc->n_stages && s < MAX_STAGES; s++) {
        if (tm->over_stage != SIZE_MAX && tm->over_stage != s) continue;
        int any = 0;
        for (size_t c = 0; c < sc->stages[s].n_cohorts; c++) {
            double t = scenario_measurement_time(sc, s, c, o, 0); /* its first */
            if (t > last + EPS_T) continue;
            t_lo = fmin(t_lo, t);
            t_hi = fmax(t_hi, t);
            any = 1;
        }
        if (any) st[nst++] = s;
    }
    *first_date = HUGE_VAL;
    for (size_t k = 0; k < tm->n_at && *first_date == HUGE_VAL; k++)
        if (tm->at[k] >= t_lo - EPS_T) *first_date = tm->at[k];
    if (nst == 0) return (reach){-HUGE_VAL, HUGE_VAL, -HUGE_VAL, HUGE_VAL};
    /* Each cohort measured by the first date on its own (the noisiest), by
     * its stage's evaluation: the union is at least as wide as the pooled
     * group's reach, so a warning from it holds for the pool too. */
    reach r = {HUGE_VAL, -HUGE_VAL, HUGE_VAL, -HUGE_VAL};
    for (size_t i = 0; i < nst; i++)
        for (size_t c = 0; c < sc->stages[st[i]].n_cohorts; c++)
            if (scenario_measurement_time(sc, st[i], c, o, 0) <= *first_date + EPS_T) {
                group gr = {
                    .sized = st[i], .cohort = c, .st = st, .nst = nst, .t_lo = t_lo, .t_hi = t_hi};
                r = wn_reach_union(r, wn_measure_reach(sc, o, scenario_evaluation(sc, st[i], o), &gr));
            }
    return r;
}

static void check_contract_terms(wn_sink *w) {
    const scenario *sc = w->sc;
    const contract *k = &sc->contract;
    char ptr[256], hint[200], rb[300];
    /* A payer with no share of anything pays nothing. */
    for (size_t p = 0; p < k->n_payers && k->n_payers > 1; p++) {
        double most = 0;
        for (size_t i = 0; i < k->n_rules; i++)
            most = fmax(most,
                        k->rules[i].payer_share ? k->rules[i].payer_share[p] : k->payers[p].share);
        for (size_t i = 0; i < k->n_suspensions; i++)
            if (k->suspensions[i].kind == SUSPEND_FIXED)
                most = fmax(most, k->suspensions[i].payer_share ? k->suspensions[i].payer_share[p]
                                                                : k->payers[p].share);
        if (most > 0) continue;
        snprintf(ptr, sizeof ptr, "/contract/payers/%zu", p);
        wn_warn(w, ptr,
                "payer \"%s\" has no share in any payment rule (nor any fixed payment): it never "
                "pays anything: give it a share in a rule's \"payers\", or leave it out",
                k->payers[p].name);
    }
    /* A holiday in which nothing falls due defers nothing -- unless a
     * deferring holiday ending where it starts hands it what it deferred
     * (contract_paid_date): `fed` says the previous window did. */
    int fed = 0;
    for (size_t i = 0; i < k->n_suspensions; i++) {
        const suspension *x = &k->suspensions[i];
        const suspension *prev = i ? &k->suspensions[i - 1] : NULL;
        int handed = prev && fed && prev->kind == SUSPEND_HOLIDAY && !prev->cancel &&
                     fabs(prev->to - x->from) <= EPS_T;
        fed = any_due_in(sc, x->from, x->to) || handed;
        if (x->kind != SUSPEND_HOLIDAY || fed) continue;
        snprintf(ptr, sizeof ptr, "/contract/suspensions/%zu", i);
        wn_warn(
            w, ptr,
            "no outcome payment falls due in this holiday's window [%g, %g): it %s nothing: are "
            "its dates years from the programme's start?",
            x->from, x->to, x->cancel ? "cancels" : "defers");
    }
    const termination *tm = &k->termination;
    if (!tm->present) return;
    if (tm->probability <= 0)
        wn_warn(
            w, "/contract/termination/probability",
            "a termination probability of 0: the commissioner never terminates: did you mean 1?");
    if (!tm->has_rule) return;
    double first = HUGE_VAL;
    const outcome *oc = &sc->outcomes[tm->outcome];
    reach r = termination_reach(sc, tm, &first);
    if (tm->below <= r.lo) {
        wn_warn(
            w, "/contract/termination/if/measured_below",
            "a measured_below of %g never holds: the measured effect by the termination dates "
            "is at least about %.3g (the effect prior's 0.1st percentile, %.3g, with engagement, "
            "multipliers, bias and 4 standard errors of noise), so the commissioner never "
            "terminates on results",
            tm->below, r.lo, r.e_lo);
    } else if (tm->below > r.hi) {
        wn_warn(
            w, "/contract/termination/if/measured_below",
            "a measured_below of %g always holds: the measured effect by the termination dates is "
            "%s, so the programme ends at t = %g in every future where the commissioner "
            "terminates%s",
            tm->below, wn_reach_above(rb, sizeof rb, &r), first,
            wn_percent_hint(hint, sizeof hint, oc, tm->below));
    }
}

/* ------------------------------------------------------------ financing */

int wn_bond_like(financing_type t) {
    return t == FIN_SIB || t == FIN_OUTCOMES_FUND || t == FIN_DIB;
}

static double stage_cost(const stage *st) {
    double n = 0;
    for (size_t c = 0; c < st->n_cohorts; c++) n += st->cohorts[c].size;
    return st->setup_cost + st->fixed_per_year * st->duration + st->per_participant * n;
}

/* Planned delivery cost of the stages with mine[s], and the bond's fees
 * over them: the set-up fee, and the yearly fee from the first of those
 * stages with a cost to the end of the last (model.md: from the first
 * period with a delivery cost, a blend's part from its stage's start). */
static void planned_need(const scenario *sc, const financing *f, const unsigned char *mine,
                         double *cost, double *fees) {
    double t0 = HUGE_VAL, t1 = -HUGE_VAL;
    *cost = 0;
    for (size_t s = 0; s < sc->n_stages && s < MAX_STAGES; s++) {
        if (!mine[s]) continue;
        double c = stage_cost(&sc->stages[s]);
        if (c <= 0) continue;
        *cost += c;
        t0 = fmin(t0, sc->stages[s].start);
        t1 = fmax(t1, sc->stages[s].start + sc->stages[s].duration);
    }
    *fees = *cost > 0 ? f->setup_fees + f->fees_per_year * (t1 - t0) : 0;
}

/* The earliest date any outcome payment can fall due, after the
 * suspensions: an assessment's (deferred by a holiday, or not at all when
 * cancelled) or a fixed window's first payment. */
static double first_payment(const scenario *sc) {
    double best = HUGE_VAL;
    for (size_t i = 0; i < sc->contract.n_rules; i++) {
        const payment_rule *r = &sc->contract.rules[i];
        unsigned char pool[MAX_STAGES] = {0};
        for (size_t s = 0; s < sc->n_stages && s < MAX_STAGES; s++)
            pool[s] = (r->stage == SIZE_MAX || r->stage == s);
        if (r->scope != SCOPE_COHORT) {
            best = fmin(best, first_paid(sc, r, pooled_date(sc, r->outcome, pool)));
            continue;
        }
        const int times = sc->outcomes[r->outcome].times > 1 ? sc->outcomes[r->outcome].times : 1;
        for (size_t s = 0; s < sc->n_stages && s < MAX_STAGES; s++)
            if (pool[s])
                for (size_t c = 0; c < sc->stages[s].n_cohorts; c++)
                    for (int m = 0; m < times; m++)
                        best = fmin(
                            best,
                            first_paid(sc, r, scenario_measurement_time(sc, s, c, r->outcome, m)));
    }
    for (size_t k = 0; k < sc->contract.n_suspensions; k++)
        if (sc->contract.suspensions[k].kind == SUSPEND_FIXED &&
            sc->contract.suspensions[k].per_year > 0)
            best = fmin(best, sc->contract.suspensions[k].from);
    return best;
}

static void check_commitment(wn_sink *w, size_t fi) {
    const scenario *sc = w->sc;
    const financing *f = &sc->financing[fi];
    if (!wn_bond_like(f->type) || f->recycle || f->n_tranches == 0) return;
    unsigned char mine[MAX_STAGES];
    double cost = 0, fees = 0;
    size_t blend = SIZE_MAX;
    /* Named by blends: the stages the blend that needs most gives it. */
    for (size_t b = 0; b < sc->n_financing; b++) {
        const financing *x = &sc->financing[b];
        if (x->type != FIN_BY_STAGE || x->stage_part == NULL) continue;
        unsigned char m[MAX_STAGES] = {0};
        int any = 0;
        for (size_t s = 0; s < sc->n_stages && s < MAX_STAGES; s++)
            if (x->stage_part[s] == fi) {
                m[s] = 1;
                any = 1;
            }
        if (!any) continue;
        double c, fe;
        planned_need(sc, f, m, &c, &fe);
        if (blend == SIZE_MAX || c + fe > cost + fees) {
            blend = b;
            cost = c;
            fees = fe;
            memcpy(mine, m, sizeof mine);
        }
    }
    if (blend == SIZE_MAX) {
        memset(mine, 1, sizeof mine);
        planned_need(sc, f, mine, &cost, &fees);
    }
    double commit = 0;
    for (size_t t = 0; t < f->n_tranches; t++) commit += f->tranches[t].commitment;
    double need = cost + fees, gap = need - commit;
    if (!(gap > fmax(1.0, 1e-9 * need))) return;

    char ptr[256], m1[64], m2[64], m3[64], m4[64], m5[64], whose[160];
    if (f->n_tranches == 1) snprintf(ptr, sizeof ptr, "/financing/%zu/tranches/0/commitment", fi);
    else snprintf(ptr, sizeof ptr, "/financing/%zu/tranches", fi);
    if (blend == SIZE_MAX) snprintf(whose, sizeof whose, "every stage");
    else snprintf(whose, sizeof whose, "the stages blend \"%s\" gives it", sc->financing[blend].name);
    char parts[300];
    if (fees > 0)
        snprintf(parts, sizeof parts, "delivery %s of %s, fees %s",
                 wn_money(m3, sizeof m3, sc, cost), whose, wn_money(m4, sizeof m4, sc, fees));
    else
        snprintf(parts, sizeof parts, "the delivery of %s as planned", whose);
    wn_warn(w, ptr,
            "the tranches commit %s, less than the planned cost they fund, %s (%s): %s would be "
            "unfunded and fall on the provider",
            wn_money(m1, sizeof m1, sc, commit), wn_money(m2, sizeof m2, sc, need), parts,
            wn_money(m5, sizeof m5, sc, gap));
}

/* When some tranche is repaid from given payments, a payment that no
 * tranche is repaid from only ever makes surplus: every tranche without
 * "repaid_from" is repaid from every payment, so this happens when all of
 * them list their payments and none lists this one. */
static void check_tied(wn_sink *w, size_t fi) {
    const scenario *sc = w->sc;
    const financing *f = &sc->financing[fi];
    size_t tied = SIZE_MAX;
    for (size_t t = 0; t < f->n_tranches; t++) {
        if (f->tranches[t].n_repaid_from == 0) return; /* it is repaid from everything */
        if (tied == SIZE_MAX) tied = t;
    }
    if (tied == SIZE_MAX) return;
    for (size_t r = 0; r < sc->contract.n_rules; r++) {
        int listed = 0;
        for (size_t t = 0; t < f->n_tranches && !listed; t++)
            for (size_t i = 0; i < f->tranches[t].n_repaid_from; i++)
                listed |= f->tranches[t].repaid_from[i] == r;
        if (listed) continue;
        char ptr[256];
        snprintf(ptr, sizeof ptr, "/financing/%zu/tranches", fi);
        wn_warn(w, ptr,
                "no tranche is repaid from payment \"%s\": all it pays is surplus, returned to the "
                "payers (or shared with the provider); name it in a tranche's \"repaid_from\"",
                sc->contract.rules[r].name);
    }
}

static void check_financing(wn_sink *w, size_t fi) {
    const scenario *sc = w->sc;
    const financing *f = &sc->financing[fi];
    char ptr[256];
    if (f->type == FIN_FEE_FOR_SERVICE && f->margin >= MARGIN_PERCENT) {
        snprintf(ptr, sizeof ptr, "/financing/%zu/margin", fi);
        wn_warn(w, ptr, "a margin of %g is %g%% on top of costs: did you mean %g (%g%%)?",
                f->margin, f->margin * 100, f->margin / 100, f->margin);
    }
    if (f->type == FIN_PBR) {
        snprintf(ptr, sizeof ptr, "/financing/%zu/cost_of_capital", fi);
        check_rate(w, ptr, "a cost of capital", f->cost_of_capital);
    }
    if (!wn_bond_like(f->type)) return;
    double first = first_payment(sc);
    for (size_t t = 0; t < f->n_tranches; t++) {
        const tranche *x = &f->tranches[t];
        if (x->has_coupon) {
            snprintf(ptr, sizeof ptr, "/financing/%zu/tranches/%zu/coupon", fi, t);
            check_rate(w, ptr, "a coupon", x->coupon);
        }
        if (x->has_return_cap) {
            snprintf(ptr, sizeof ptr, "/financing/%zu/tranches/%zu/return_cap", fi, t);
            check_rate(w, ptr, "a return cap", x->return_cap);
        }
        /* A tranche's rate defaults to the simulation's: warned there. */
        if (x->discount_rate != sc->sim.discount_rate) {
            snprintf(ptr, sizeof ptr, "/financing/%zu/tranches/%zu/discount_rate", fi, t);
            check_rate(w, ptr, "a discount rate", x->discount_rate);
        }
        if (x->has_fixed_coupon) {
            snprintf(ptr, sizeof ptr, "/financing/%zu/tranches/%zu/fixed_coupon/rate", fi, t);
            check_rate(w, ptr, "a fixed coupon", x->fixed.rate);
        }
        for (size_t i = 0; i < x->n_redemptions; i++) {
            const redemption *rd = &x->redemptions[i];
            if (rd->has_irr_below) {
                snprintf(ptr, sizeof ptr, "/financing/%zu/tranches/%zu/redemption/%zu/if_irr_below",
                         fi, t, i);
                check_rate(w, ptr, "a hurdle rate", rd->irr_below);
            }
            /* A date after the maturity is never tested: the tranche's loss
             * is settled at its maturity. */
            if (x->has_maturity && rd->at > x->maturity + EPS_T) {
                snprintf(ptr, sizeof ptr, "/financing/%zu/tranches/%zu/redemption/%zu/%s", fi, t, i,
                         rd->after ? "after" : "at");
                wn_warn(w, ptr,
                        "the investors can redeem only up to the tranche's maturity (t = %g), so a "
                        "redemption %s t = %g is never exercised",
                        x->maturity, rd->after ? "after" : "at", rd->at);
            }
        }
        if (x->has_maturity && x->maturity + EPS_T < first) {
            snprintf(ptr, sizeof ptr, "/financing/%zu/tranches/%zu/maturity", fi, t);
            wn_warn(w, ptr,
                    "the tranche matures at t = %g, before any outcome payment can fall due (the "
                    "first at t = %g): its loss is settled, and its guarantees called, on all it "
                    "drew: is the maturity counted from the programme's start?",
                    x->maturity, first);
        }
    }
    check_tied(w, fi);
    for (size_t g = 0; g < f->n_guarantees; g++)
        if (f->guarantees[g].fee > 0) {
            snprintf(ptr, sizeof ptr, "/financing/%zu/guarantees/%zu/fee", fi, g);
            check_rate(w, ptr, "a guarantee fee", f->guarantees[g].fee);
        }
    check_commitment(w, fi);
}

/* ------------------------------------------------------------------ all */

size_t scenario_warnings(const scenario *sc, sib_warning *out, size_t max) {
    wn_sink w = {sc, out, out == NULL ? 0 : max, 0};
    check_simulation(&w);
    check_times(&w);
    for (size_t s = 0; s < sc->n_stages; s++) {
        check_stage_priors(&w, s);
        check_hazard(&w, s);
        check_cohorts(&w, s);
        check_gate(&w, s);
    }
    for (size_t o = 0; o < sc->n_outcomes; o++) check_outcome(&w, o);
    for (size_t i = 0; i < sc->contract.n_rules; i++) {
        check_rule_thresholds(&w, i);
        check_rule_rates_and_caps(&w, i);
        check_true_up(&w, i);
    }
    wn_check_contract_caps(&w);
    wn_check_payable(&w);
    check_contract_terms(&w);
    for (size_t f = 0; f < sc->n_financing; f++) check_financing(&w, f);
    return w.n;
}
