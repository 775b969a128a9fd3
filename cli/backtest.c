/* backtest.c -- `backtest`: the contract settled on a deal's realised
 * record (what its evaluation measured, which stages ran, when it
 * stopped), every financing structure run on it, and the figures the
 * record reports set beside the model's; each result followed into the
 * payments it enters, and why any is not paid. The ledger is rendered as
 * `cashflows` renders it (cashflows_internal.h). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/contract.h"
#include "../model/ledger.h"
#include "../present/format.h"
#include "../present/table.h"
#include "../present/term.h"
#include "../present/text.h"
#include "../sim/engine.h"
#include "options.h"
#include "output.h"
#include "cashflows_internal.h"

/* ------------------------------------------------------------ backtest */

/* The model's value of reported figure f: a metric of the backtest, or a
 * ledger line's total up to its date, with the group and key of what it
 * matched (a group's name may hold a '/'). -1 when its name matches
 * nothing; -2 when it names a statistic over every future (a ratio of
 * expectations, the IRR of the expected cash flows), which one future
 * does not have. */
static int figure_value(const settled *s, const scenario *sc, const realised_figure *f,
                        double *value, metric_unit *unit, const char **group, const char **key) {
    *unit = UNIT_MONEY;
    if (f->is_flow) {
        size_t upto = SIZE_MAX;
        if (f->has_by) upto = scenario_period_in(sc, s->l->periods, f->by);
        for (size_t i = 0; i < s->n_lines; i++) {
            char full[600];
            snprintf(full, sizeof full, "%s/%s", s->lines[i].group, s->lines[i].key);
            if (strcmp(full, f->name) == 0) {
                *value = ledger_line_amount(s->l, &s->lines[i], upto);
                *group = s->lines[i].group;
                *key = s->lines[i].key;
                return 0;
            }
        }
        return -1;
    }
    for (size_t i = 0; i < engine_metric_count(s->e); i++) {
        const metric_info *m = engine_metric(s->e, i);
        char full[600];
        snprintf(full, sizeof full, "%s/%s", m->group, m->key);
        if (m->role == ROLE_OWN && strcmp(full, f->name) == 0 &&
            (m->kind == METRIC_VALUE || m->kind == METRIC_INDICATOR)) {
            *value = s->values[i];
            *unit = m->kind == METRIC_INDICATOR ? UNIT_SHARE : m->unit;
            *group = m->group;
            *key = m->key;
            return 0;
        }
    }
    for (size_t i = 0; i < engine_metric_count(s->e); i++) {
        const metric_info *m = engine_metric(s->e, i);
        char full[600];
        snprintf(full, sizeof full, "%s/%s", m->group, m->key);
        if (m->role == ROLE_OWN && strcmp(full, f->name) == 0) return -2;
    }
    return -1;
}

/* x in unit with d decimals into buf: money in full with thousands
 * separators and the currency's symbol ("$7,200,000", "AUD 349,999.50"),
 * rates and shares as percentages, multiples as "1.25x", counts grouped
 * as money is ("2,000"); "n/a" for NaN. */
static void figure_text(char *buf, size_t size, const char *currency, metric_unit unit, double x,
                        int d) {
    if (isnan(x)) {
        snprintf(buf, size, "n/a");
        return;
    }
    switch (unit) {
    case UNIT_MONEY: {
        /* Rounded to d decimals first, then written to the penny: the
         * digits cut off are zeros. */
        const double scale = pow(10, d);
        present_money_exact(buf, size, currency, round(x * scale) / scale);
        size_t n = strlen(buf), cut = d == 0 ? 3 : (size_t)(2 - d);
        if (fabs(x) < 1e15 && n > cut) buf[n - cut] = '\0'; /* not "USD 1.2e+15" */
        return;
    }
    case UNIT_RATE:
    case UNIT_SHARE: snprintf(buf, size, "%.*f%%", d, 100 * x + 0.0); return;
    case UNIT_MULTIPLE: snprintf(buf, size, "%.*fx", d, x + 0.0); return;
    case UNIT_COUNT: present_fixed_grouped(buf, size, d, x); return;
    }
}

/* A reported figure's model value, reported value and range, each into
 * its buffer (v, rv, lo, hi), with the fewest decimals that set apart the
 * model's value from each bound, and one bound from the other, whenever
 * they differ: the verdict, reproduced or not, can then be read off the
 * figures, which three significant figures could not ("model AUD 350k,
 * range AUD 350k .. AUD 350k" for 350,000 +- 1; "7.0% .. 7.1%" for 7% +-
 * 0.05%). Money is whole units unless that is not enough, and then to the
 * penny; rates and shares from one decimal of a percent. */
static void figure_texts(char (*out)[48], const char *currency, metric_unit unit, const double *x) {
    const int from = unit == UNIT_MONEY ? 0 : unit == UNIT_MULTIPLE ? 2 : unit == UNIT_COUNT ? 0 : 1;
    const int to = unit == UNIT_MONEY ? 2 : 6;
    static const int pairs[][2] = {{0, 2}, {0, 3}, {2, 3}}; /* model-lo, model-hi, lo-hi */
    for (int d = from; d <= to; d++) {
        for (int i = 0; i < 4; i++) figure_text(out[i], sizeof out[i], currency, unit, x[i], d);
        int apart = 1;
        for (size_t p = 0; p < sizeof pairs / sizeof pairs[0]; p++) {
            const int a = pairs[p][0], b = pairs[p][1];
            if (x[a] != x[b] && strcmp(out[a], out[b]) == 0) apart = 0;
        }
        if (apart) return;
    }
}

/* The result of the record for measurement m of cohort c (flat index) on
 * outcome o; NULL when it has none. */
static const realised_result *result_of(const realised *r, size_t c, size_t o, int m) {
    for (size_t k = 0; k < r->n_results; k++)
        if (r->results[k].cohort == c && r->results[k].outcome == o &&
            r->results[k].measurement == m)
            return &r->results[k];
    return NULL;
}

/* When result x of the record was measured (years): its cohort's
 * measurement (x->measurement) of its outcome. */
static double result_time(const scenario *sc, const realised_result *x) {
    size_t st = 0, c = x->cohort;
    while (c >= sc->stages[st].n_cohorts) c -= sc->stages[st++].n_cohorts;
    return scenario_measurement_time(sc, st, c, x->outcome, x->measurement);
}

/* Whether result x was measured after the record's stop. Nothing that
 * falls due after the stop is paid, and every payment on a measurement
 * falls due at or after it (its lag, its installments, a deferral: later
 * still; a pooled assessment at or after its last cohort's measurement);
 * a termination, which comes no later than the stop, drops what is measured
 * after it: so nothing is paid on such a result (sim/path.c, contract.h).
 * The complement of what unmeasured() counts as due. */
static int after_stop(const scenario *sc, const realised *r, const realised_result *x) {
    return result_time(sc, x) > r->stopped;
}

/* How the backtest's future applies the record's stop to one assessment
 * (sim/path.c, contract.h): nothing falling due after the stop is paid;
 * but when the contract's termination clause ended that future (term, no
 * later than the stop; HUGE_VAL when it did not), the stop is lifted and
 * an assessment is paid at its date, even after the stop, when it is
 * measured by then, and not at all when measured after it. Whether ev
 * pays nothing for that reason, whatever was measured. */
static int cut_by_stop(const pay_event *ev, const realised *r, double term) {
    if (term < HUGE_VAL) return ev->measured > term + 1e-9; /* the contract's tolerance */
    return ev->time > r->stopped;
}

/* What becomes of an assessment a result enters, in the backtest's future:
 * cancelled or replaced by a suspension (the suspension's index: it would
 * never pay, stop or not, so that reason comes first), else left unpaid by
 * the stop (FATE_CUT, cut_by_stop), else paid as the settlement finds
 * (FATE_PAID). */
#define FATE_PAID SIZE_MAX
#define FATE_CUT (SIZE_MAX - 1)
static size_t fate_of(const scenario *sc, const pay_event *ev, const realised *r, double term) {
    if (ev->cancelled) {
        const size_t by = contract_cancelled_by(&sc->contract, ev->due, ev->measured);
        if (by < sc->contract.n_suspensions) return by;
    }
    return cut_by_stop(ev, r, term) ? FATE_CUT : FATE_PAID;
}

/* What suspension i does to the payments it holds, for a note: "cancelled
 * by the holiday /contract/suspensions/0 [from 2 to 3 years)", "replaced by
 * the fixed payments of /contract/suspensions/1 [from 3 to 3.5 years)", or
 * for a fixed window replacing measurements "... for what is measured in
 * [from 3 to 3.5 years)". Suspensions have no names: the pointer is the
 * scenario's. */
static void suspension_phrase(char *buf, size_t size, const contract *k, size_t i) {
    const suspension *s = &k->suspensions[i];
    if (s->kind == SUSPEND_HOLIDAY)
        snprintf(buf, size,
                 "cancelled by the holiday /contract/suspensions/%zu [from %g to %g years)", i,
                 s->from, s->to);
    else
        snprintf(buf, size,
                 "replaced by the fixed payments of /contract/suspensions/%zu %s[from %g "
                 "to %g years)",
                 i, s->on_measurements ? "for what is measured in " : "", s->from, s->to);
}

/* Append to buf (size bytes in all), from its length at, the text of
 * printf format fmt; returns the new length (at most size - 1). */
static size_t append(char *buf, size_t size, size_t at, const char *fmt, ...) {
    if (at + 1 >= size) return at;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + at, size - at, fmt, ap);
    va_end(ap);
    return w < 0 || (size_t)w >= size - at ? size - 1 : at + (size_t)w;
}

/* The word for a duration of x years: "1 year", "0.5 years". */
static const char *yr(double x) { return x == 1 ? "year" : "years"; }

/* The same for a date already written, "1" or "4 to 6.75": a range is
 * plural. */
static const char *yrs(const char *written) { return strcmp(written, "1") == 0 ? "year" : "years"; }

/* The installments inst[0..n) of one rule (sorted, distinct), paid at
 * date[0..n), for a note: into ins " installment 2" or " installments 1 to
 * 3" (consecutive), or as a list of their consecutive runs, " installments
 * 1 and 3", " installments 0 to 1 and 3" (a range stands only for
 * installments all there); into dates the dates the same way, "4.6 to 5",
 * "4 and 5", "3.5 to 4 and 5" -- or one date when they are all one. */
static void installments_text(char *ins, size_t isize, char *dates, size_t dsize, const int *inst,
                              const double *date, size_t n) {
    size_t runs = 0;
    for (size_t i = 0; i < n; i++) runs += i == 0 || inst[i] != inst[i - 1] + 1;
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (size_t i = 0; i < n; i++) {
        lo = fmin(lo, date[i]);
        hi = fmax(hi, date[i]);
    }
    size_t at = 0, dt = 0, run = 0;
    ins[0] = dates[0] = '\0';
    if (n > 1)
        at = append(ins, isize, at, " installments ");
    else
        at = append(ins, isize, at, " installment ");
    for (size_t i = 0; i < n;) {
        size_t j = i; /* the run i..j */
        double d0 = date[i], d1 = date[i];
        while (j + 1 < n && inst[j + 1] == inst[j] + 1) {
            j++;
            d0 = fmin(d0, date[j]);
            d1 = fmax(d1, date[j]);
        }
        const char *sep = run == 0 ? "" : run + 1 == runs ? " and " : ", ";
        if (j > i)
            at = append(ins, isize, at, "%s%d to %d", sep, inst[i], inst[j]);
        else
            at = append(ins, isize, at, "%s%d", sep, inst[i]);
        if (lo == hi)
            dt = run == 0 ? append(dates, dsize, dt, "%g", lo) : dt;
        else if (d0 != d1)
            dt = append(dates, dsize, dt, "%s%g to %g", sep, d0, d1);
        else
            dt = append(dates, dsize, dt, "%s%g", sep, d0);
        run++;
        i = j + 1;
    }
}

/* Append to line (size bytes in all), from its length at, which of the
 * assessments idx[0..n) of a result have fate f (fate[i], dated date[i]):
 * by rule, in the order the plan first has them (one rule gives a result
 * one assessment: its installments, installments_text's), "\"final
 * true-up\" (pooled) at 6.75 years", "\"cohort trigger\" installments 1 to
 * 3 at 4.6 to 5 years", "\"cohort trigger\" installments 1 and 3 at 4 and 5
 * years" (word before the dates: "at", "due at"). Returns the line's new
 * length. */
static size_t which_note(char *line, size_t size, size_t at, const scenario *sc,
                         const contract_plan *plan, const size_t *idx, const size_t *fate,
                         const double *date, size_t n, size_t f, const char *word) {
    int first = 1;
    int *inst = malloc((n + 1) * sizeof *inst);
    double *when = malloc((n + 1) * sizeof *when);
    if (inst == NULL || when == NULL) {
        free(inst);
        free(when);
        return at;
    }
    for (size_t i = 0; i < n && at + 1 < size; i++) {
        const pay_event *ev = &plan->events[idx[i]];
        if (fate[i] != f) continue;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = plan->events[idx[j]].rule == ev->rule && fate[j] == f;
        if (seen) continue;
        /* The rule's installments with this fate, sorted by number. */
        size_t k = 0;
        for (size_t j = i; j < n; j++) {
            const pay_event *e2 = &plan->events[idx[j]];
            if (e2->rule != ev->rule || fate[j] != f) continue;
            size_t p = k++;
            for (; p > 0 && inst[p - 1] > e2->installment; p--) {
                inst[p] = inst[p - 1];
                when[p] = when[p - 1];
            }
            inst[p] = e2->installment;
            when[p] = date[j];
        }
        const payment_rule *rule = &sc->contract.rules[ev->rule];
        char ins[256], dates[256];
        installments_text(ins, sizeof ins, dates, sizeof dates, inst, when, k);
        if (rule->installments <= 1) ins[0] = '\0';
        at = append(line, size, at, "%s \"%s\"%s%s %s %s %s", first ? "" : ",", rule->name,
                    ev->cohort == CONTRACT_POOLED ? " (pooled)" : "", ins, word, dates,
                    yrs(dates));
        first = 0;
    }
    free(inst);
    free(when);
    return at;
}

/* Append to line (size bytes in all) which of the payments result x would
 * trigger pay nothing, and why: of the assessments it enters under the
 * contract's terms (contract_assessments_of: its cohort's, each
 * installment, after any deferral, and those of the pools that hold it),
 * each dated by the plan, not by what the settlement paid, and each given
 * one reason (fate_of): a suspension cancels or replaces it (dated when it
 * falls due), or else the record's stop leaves it unpaid (cut_by_stop).
 * Nothing when neither drops any, and nothing for a result measured after the stop
 * (its own note says so). The stop's, for all of them: "its payment would
 * fall due at T years, after the programme stopped at S years: nothing is
 * paid on it"; a suspension's, for all of them: "its payment due at T years
 * is cancelled by the holiday /contract/suspensions/0 [from A to B years):
 * nothing is paid on it"; otherwise, for each suspension and then the stop,
 * how many of how many, and which (rule, pooled, installments, dates),
 * ending "nothing is paid on it" when that is all of them. After a
 * termination the stop's dates are those assessed. */
static void cut_note(char *line, size_t size, const scenario *sc, const contract_plan *plan,
                     const realised *r, double term, const realised_result *x) {
    size_t at = strlen(line);
    if (after_stop(sc, r, x) || at + 1 >= size) return;
    size_t *idx = malloc((plan->n_events + 1) * sizeof *idx);
    size_t *fate = malloc((plan->n_events + 1) * sizeof *fate);
    double *date = malloc((plan->n_events + 1) * sizeof *date);
    if (idx == NULL || fate == NULL || date == NULL) {
        free(idx);
        free(fate);
        free(date);
        return;
    }
    const size_t n = contract_assessments_of(sc, plan, x->cohort, x->outcome, x->measurement, idx,
                                             plan->n_events);
    const int terminated = term < HUGE_VAL;
    size_t cut = 0, gone = 0, by = FATE_PAID;
    int several = 0; /* more than one suspension cancels some */
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (size_t i = 0; i < n; i++) {
        const pay_event *ev = &plan->events[idx[i]];
        fate[i] = fate_of(sc, ev, r, term);
        date[i] = fate[i] == FATE_CUT && terminated ? ev->measured
                  : fate[i] == FATE_CUT             ? ev->time
                                                    : ev->due;
        if (fate[i] == FATE_PAID) continue;
        lo = fmin(lo, date[i]);
        hi = fmax(hi, date[i]);
        if (fate[i] == FATE_CUT) {
            cut++;
            continue;
        }
        gone++;
        several |= by != FATE_PAID && by != fate[i];
        by = fate[i];
    }
    char why[120], dates[64], what[200];
    const double end = terminated ? term : r->stopped;
    snprintf(why, sizeof why, terminated ? "after the programme was terminated at %g %s"
                                         : "after the programme stopped at %g %s",
             end, yr(end));
    const char *when = terminated ? "would be assessed" : "would fall due";
    if (lo == hi) snprintf(dates, sizeof dates, "%g", lo);
    else snprintf(dates, sizeof dates, "%g to %g", lo, hi);
    if (cut + gone == 0) {
        /* every one is paid */
    } else if (cut == n) {
        if (n == 1)
            snprintf(line + at, size - at,
                     "; its payment %s at %s %s, %s: nothing is paid on it", when, dates,
                     yrs(dates), why);
        else
            snprintf(line + at, size - at, "; its %zu payments %s at %s %s, %s: nothing is paid "
                     "on it", n, when, dates, yrs(dates), why);
    } else if (gone == n && !several) {
        suspension_phrase(what, sizeof what, &sc->contract, by);
        if (n == 1)
            snprintf(line + at, size - at,
                     "; its payment due at %s %s is %s: nothing is paid on it", dates,
                     yrs(dates), what);
        else
            snprintf(line + at, size - at,
                     "; its %zu payments due at %s %s are %s: nothing is paid on it",
                     n, dates, yrs(dates), what);
    } else {
        for (size_t s = 0; s < sc->contract.n_suspensions && at + 1 < size; s++) {
            size_t k = 0;
            for (size_t i = 0; i < n; i++) k += fate[i] == s;
            if (k == 0) continue;
            suspension_phrase(what, sizeof what, &sc->contract, s);
            int w = snprintf(line + at, size - at, "; %zu of its %zu payments %s %s:", k, n,
                             k == 1 ? "is" : "are", what);
            at = w < 0 || (size_t)w >= size - at ? size - 1 : at + (size_t)w;
            at = which_note(line, size, at, sc, plan, idx, fate, date, n, s, "due at");
        }
        if (cut > 0 && at + 1 < size) {
            int w = snprintf(line + at, size - at,
                             "; %zu of its %zu payments %s %s and %s not paid:", cut, n,
                             when, why, cut == 1 ? "is" : "are");
            at = w < 0 || (size_t)w >= size - at ? size - 1 : at + (size_t)w;
            at = which_note(line, size, at, sc, plan, idx, fate, date, n, FATE_CUT, "at");
        }
        if (cut + gone == n && at + 1 < size)
            snprintf(line + at, size - at, "; nothing is paid on it");
    }
    free(idx);
    free(fate);
    free(date);
}

/* Whether measurement m of cohort c of stage st on outcome o was due --
 * its stage ran, the programme had not stopped by then -- and the record
 * has no result for it: counted as not made. */
static int unmeasured(const scenario *sc, const realised *r, size_t st, size_t c, size_t flat,
                      size_t o, int m) {
    return r->stage_ran[st] && result_of(r, flat, o, m) == NULL &&
           scenario_measurement_time(sc, st, c, o, m) <= r->stopped;
}

/* A group's size or a count achieved, as people read it: whole numbers
 * with thousands separators ("1,500,000", where %g wrote "1.5e+06"), a
 * fraction to six figures below a million, and from there whole. */
static const char *count_text(char *buf, size_t size, double x) {
    if (isfinite(x) && (x == floor(x) || fabs(x) >= 1e6)) present_whole(buf, size, x);
    else snprintf(buf, size, "%.6g", x);
    return buf;
}

/* What the record measured, cohort by cohort, and each measurement due
 * that it has no result for, by runs ("measurements 3 to 6 at 4 to 7
 * years": nothing is paid on them). An outcome measured several times
 * numbers its measurements from 0, as the record does. */
static void measured_table(FILE *out, const scenario *sc, const realised *r,
                           const contract_plan *plan, double term, int width) {
    fprintf(out, "\nWhat was measured (the record)\n");
    char line[2400];
    size_t flat = 0;
    for (size_t st = 0; st < sc->n_stages; st++)
        for (size_t c = 0; c < sc->stages[st].n_cohorts; c++, flat++)
            for (size_t o = 0; o < sc->n_outcomes; o++) {
                const outcome *oc = &sc->outcomes[o];
                const int times = oc->times > 1 ? oc->times : 1;
                for (int m = 0; m < times; m++) {
                    const realised_result *x = result_of(r, flat, o, m);
                    int m2 = m;
                    if (x == NULL) {
                        if (!unmeasured(sc, r, st, c, flat, o, m)) continue;
                        while (m2 + 1 < times && unmeasured(sc, r, st, c, flat, o, m2 + 1)) m2++;
                    }
                    int n = snprintf(line, sizeof line, "%s / %s / %s", sc->stages[st].name,
                                     sc->stages[st].cohorts[c].name, oc->name);
                    if (times > 1 && m2 > m)
                        n += snprintf(line + n, sizeof line - (size_t)n,
                                      ", measurements %d to %d at %g to %g years", m, m2,
                                      scenario_measurement_time(sc, st, c, o, m),
                                      scenario_measurement_time(sc, st, c, o, m2));
                    else if (times > 1)
                        n += snprintf(line + n, sizeof line - (size_t)n,
                                      ", measurement %d at %g %s", m,
                                      scenario_measurement_time(sc, st, c, o, m),
                                      yr(scenario_measurement_time(sc, st, c, o, m)));
                    size_t at = n < 0 ? 0 : (size_t)n >= sizeof line ? sizeof line - 1 : (size_t)n;
                    if (x == NULL) {
                        snprintf(line + at, sizeof line - at, ": no result, counted as not "
                                 "measured (nothing paid on %s)", m2 > m ? "them" : "it");
                        cashflows_text(out, 2, width, line);
                        m = m2;
                        continue;
                    }
                    char treated[40], compared[40], got[40];
                    at += (size_t)snprintf(line + at, sizeof line - at, ": treated %s, mean %.6g",
                                           count_text(treated, sizeof treated, x->n_t),
                                           x->n_t > 0 ? x->sum_t / x->n_t : NAN);
                    if (at >= sizeof line) at = sizeof line - 1;
                    if (x->n_c > 0) {
                        double eff = contract_effect(oc, x->sum_t / x->n_t, x->sum_c / x->n_c);
                        snprintf(line + at, sizeof line - at,
                                 "; comparison %s, mean %.6g; measured effect %.4g%s",
                                 count_text(compared, sizeof compared, x->n_c), x->sum_c / x->n_c,
                                 oc->scale == EFFECT_RELATIVE ? 100 * eff : eff,
                                 oc->scale == EFFECT_RELATIVE ? "%" : "");
                    } else {
                        snprintf(line + at, sizeof line - at,
                                 "; no comparison group (validated counts): %s achieved",
                                 count_text(got, sizeof got,
                                            contract_achieved(oc, x->sum_t / x->n_t, x->n_t)));
                    }
                    /* Listed as measured, but it can pay nothing: say so
                     * (its date is on the line already when it is one of
                     * several measurements). */
                    at = strlen(line);
                    if (after_stop(sc, r, x) && times > 1)
                        snprintf(line + at, sizeof line - at, "; after the programme stopped at "
                                 "%g %s: nothing is paid on it", r->stopped, yr(r->stopped));
                    else if (after_stop(sc, r, x))
                        snprintf(line + at, sizeof line - at, "; measured at %g %s, after the "
                                 "programme stopped at %g %s: nothing is paid on it",
                                 result_time(sc, x), yr(result_time(sc, x)), r->stopped,
                                 yr(r->stopped));
                    else
                        cut_note(line, sizeof line, sc, plan, r, term, x);
                    cashflows_text(out, 2, width, line);
                }
            }
    /* "stages that ran: pilot, implementation; the programme stopped at 3
     * years": the names by commas, the stop (when the record has one)
     * after a semicolon, and nothing dangling when it has none. */
    size_t n = append(line, sizeof line, 0, "stages that ran:"), ran = 0;
    for (size_t st = 0; st < sc->n_stages; st++)
        if (r->stage_ran[st])
            n = append(line, sizeof line, n, "%s %s", ran++ ? "," : "", sc->stages[st].name);
    if (ran == 0) n = append(line, sizeof line, n, " none");
    if (r->stopped < HUGE_VAL)
        append(line, sizeof line, n, "; the programme stopped at %g %s", r->stopped, yr(r->stopped));
    cashflows_text(out, 2, width, line);
}

/* What was measured, as measured_table shows it: the stages that ran and
 * each result, its groups' sizes and totals in the contract's units (the
 * comparison null for validated counts), when it was measured (years),
 * whether that is after the record's stop (nothing is paid on it), and the
 * assessments it enters (cut_note's), each with its dates, whether a
 * suspension cancels or replaces it and which (its index in
 * /contract/suspensions, else null), and whether the stop leaves it unpaid
 * (cut_by_stop; false for a cancelled one, as fate_of gives one reason). */
static void json_measured(FILE *out, const scenario *sc, const realised *r,
                          const contract_plan *plan, double term) {
    size_t *idx = malloc((plan->n_events + 1) * sizeof *idx);
    fprintf(out, ",\n     \"stages\": [");
    int first = 1;
    for (size_t st = 0; st < sc->n_stages; st++)
        if (r->stage_ran[st]) {
            if (!first) fputs(", ", out);
            present_json_string(out, sc->stages[st].name);
            first = 0;
        }
    fprintf(out, "],\n     \"results\": [");
    for (size_t k = 0; k < r->n_results; k++) {
        const realised_result *x = &r->results[k];
        size_t st = 0, c = x->cohort;
        while (c >= sc->stages[st].n_cohorts) c -= sc->stages[st++].n_cohorts;
        fprintf(out, "%s\n       {\"stage\": ", k ? "," : "");
        present_json_string(out, sc->stages[st].name);
        fprintf(out, ", \"cohort\": ");
        present_json_string(out, sc->stages[st].cohorts[c].name);
        fprintf(out, ", \"outcome\": ");
        present_json_string(out, sc->outcomes[x->outcome].name);
        fprintf(out, ", \"measurement\": %d, \"treated\": {\"size\": ", x->measurement);
        present_json_number(out, x->n_t);
        fprintf(out, ", \"total\": ");
        present_json_number(out, x->sum_t);
        fprintf(out, "}, \"comparison\": ");
        if (x->n_c > 0) {
            fprintf(out, "{\"size\": ");
            present_json_number(out, x->n_c);
            fprintf(out, ", \"total\": ");
            present_json_number(out, x->sum_c);
            fputc('}', out);
        } else {
            fputs("null", out);
        }
        fprintf(out, ", \"measured_at\": ");
        present_json_number(out, result_time(sc, x));
        fprintf(out, ", \"after_stop\": %s, \"payments\": [",
                after_stop(sc, r, x) ? "true" : "false");
        const size_t n = idx == NULL ? 0
                                     : contract_assessments_of(sc, plan, x->cohort, x->outcome,
                                                               x->measurement, idx, plan->n_events);
        for (size_t i = 0; i < n; i++) {
            const pay_event *ev = &plan->events[idx[i]];
            fprintf(out, "%s{\"rule\": ", i ? ", " : "");
            present_json_string(out, sc->contract.rules[ev->rule].name);
            fprintf(out, ", \"pooled\": %s, \"installment\": %d, \"assessed_at\": ",
                    ev->cohort == CONTRACT_POOLED ? "true" : "false", ev->installment);
            present_json_number(out, ev->measured);
            fprintf(out, ", \"due\": ");
            present_json_number(out, ev->time);
            /* One reason each, as the note gives it (fate_of): a
             * cancelled one is not also after the stop. */
            const size_t f = fate_of(sc, ev, r, term);
            fprintf(out, ", \"cancelled\": %s, \"suspension\": ", f < FATE_CUT ? "true" : "false");
            if (f < FATE_CUT)
                fprintf(out, "%zu", f);
            else
                fputs("null", out);
            fprintf(out, ", \"after_stop\": %s}", f == FATE_CUT ? "true" : "false");
        }
        fputs("]}", out);
    }
    fputs("]", out);
    free(idx);
}

int cmd_backtest(const run_opts *o, scenario *sc, const char *name) {
    sib_error err;
    char ebuf[1200];
    if (o->realised != NULL && scenario_load_realised_file(sc, o->realised, &err) != SIB_OK) {
        fprintf(stderr, "%s\n", sib_error_format(&err, ebuf, sizeof ebuf));
        return EXIT_INPUT;
    }
    if (!sc->realised.present) {
        fprintf(stderr, "sibsim: %s: the scenario has no realised record: add a \"realised\" "
                        "section (docs/scenario-format.md) or give --realised FILE\n",
                name);
        return EXIT_INPUT;
    }
    const realised *r = &sc->realised;
    const char *rec_name = o->realised ? o->realised : name;
    const char *prefix = o->realised ? "" : "/realised";
    future fu = {.kind = "backtest"};
    settled s;
    int status = cashflows_settle(sc, name, &fu, &s);
    if (status != 0) {
        cashflows_settled_free(&s);
        return status;
    }
    char *buf = NULL;
    size_t len = 0;
    contract_plan *plan = NULL;
    double *model = calloc(r->n_reported + 1, sizeof *model);
    metric_unit *units = calloc(r->n_reported + 1, sizeof *units);
    const char **groups = calloc(r->n_reported + 1, sizeof *groups);
    const char **keys = calloc(r->n_reported + 1, sizeof *keys);
    int missed = 0;
    for (size_t k = 0; model && units && groups && keys && k < r->n_reported; k++) {
        const realised_figure *f = &r->reported[k];
        const int found = figure_value(&s, sc, f, &model[k], &units[k], &groups[k], &keys[k]);
        /* What is expected, and where the names a figure can take are
         * listed: `cashflows --format csv` has exactly one future's lines
         * and metrics; `run`'s also has statistics over every future,
         * which a backtest, one future, has no value of. */
        if (found == -2) {
            fprintf(stderr, "sibsim: %s: %s/reported/%zu/metric: \"%s\" is a statistic over every "
                            "future, not one future's value, and a backtest is one future: "
                            "expected GROUP/KEY of a metric of section \"metric\" in `sibsim "
                            "cashflows --format csv`\n",
                    rec_name, prefix, k, f->name);
            status = EXIT_INPUT;
        } else if (found != 0) {
            fprintf(stderr, "sibsim: %s: %s/reported/%zu/%s: expected GROUP/KEY of a %s of section "
                            "\"%s\" in `sibsim cashflows --format csv`, found \"%s\", which names "
                            "none\n",
                    rec_name, prefix, k, f->is_flow ? "flow" : "metric",
                    f->is_flow ? "ledger line" : "metric", f->is_flow ? "line" : "metric", f->name);
            status = EXIT_INPUT;
        } else if (!(model[k] >= f->lo && model[k] <= f->hi)) {
            missed++;
        }
    }
    if (model == NULL || units == NULL || groups == NULL || keys == NULL) status = EXIT_RUN;
    if (status != 0) goto done;
    /* The contract's assessments, dated by its terms, for what the stop
     * leaves unpaid of each result. */
    plan = contract_plan_new(sc);
    FILE *out = plan == NULL ? NULL : open_memstream(&buf, &len);
    if (out == NULL) {
        status = EXIT_RUN;
        goto done;
    }
    if (o->fmt == FORMAT_TABLE) {
        const int width = o->width;
        char line[2400];
        snprintf(line, sizeof line, "Backtest: %s", sc->name);
        cashflows_text(out, 0, width, line);
        snprintf(line, sizeof line, "scenario: %s", name);
        cashflows_text(out, 2, width, line);
        if (o->realised) {
            snprintf(line, sizeof line, "record: %s", o->realised);
            cashflows_text(out, 2, width, line);
        }
        if (r->description[0]) cashflows_text(out, 2, width, r->description);
        for (size_t i = 0; i < r->n_sources; i++) {
            snprintf(line, sizeof line, "source: %s", r->sources[i]);
            cashflows_text(out, 2, width, line);
        }
        cashflows_text(out, 2, width, "The contract settled on the record's measurements; every other input "
                            "at its mean.");
        measured_table(out, sc, r, plan, s.l->term_at, width);
        cashflows_inputs_table(out, sc, s.inputs, &fu, width);
        fprintf(out, "\nWhat the record reports, beside the model\n");
        if (r->n_reported == 0) cashflows_text(out, 2, width, "none: the record reports no figure");
        for (size_t k = 0; k < r->n_reported; k++) {
            const realised_figure *f = &r->reported[k];
            int ok = model[k] >= f->lo && model[k] <= f->hi;
            const double x[4] = {model[k], f->value, f->lo, f->hi};
            char fig[4][48];
            figure_texts(fig, sc->currency, units[k], x);
            if (f->has_by) snprintf(line, sizeof line, "%s (by %g %s)", f->what, f->by, yr(f->by));
            else snprintf(line, sizeof line, "%s", f->what);
            cashflows_text(out, 2, width, line);
            snprintf(line, sizeof line, "model %s, reported %s, range %s .. %s: %s", fig[0],
                     fig[1], fig[2], fig[3], ok ? "reproduced" : "NOT REPRODUCED");
            cashflows_text(out, 6, width, line);
            if (f->source[0]) {
                snprintf(line, sizeof line, "source: %s", f->source);
                cashflows_text(out, 6, width, line);
            }
        }
        cashflows_ledger_table(out, sc, &fu, s.l, s.lines, s.n_lines, o->annual, width);
        cashflows_metrics_table(out, sc, &fu, s.e, s.values, width);
    } else if (o->fmt == FORMAT_CSV) {
        cashflows_csv_header(out, s.l, o->annual);
        cashflows_csv_inputs(out, sc, s.l, o->annual, s.inputs);
        for (size_t k = 0; k < r->n_reported; k++) {
            const realised_figure *f = &r->reported[k];
            fputs("reported,", out);
            present_csv_field(out, groups[k]);
            fputs(f->is_flow ? ",flow," : ",metric,", out);
            present_csv_field(out, keys[k]);
            fputc(',', out);
            /* As the table words it: a flow's total up to a date says so. */
            char what[sizeof f->what + 40];
            if (f->has_by) snprintf(what, sizeof what, "%s (by %g %s)", f->what, f->by, yr(f->by));
            else snprintf(what, sizeof what, "%s", f->what);
            present_csv_field(out, what);
            present_csv_number(out, model[k]);
            present_csv_number(out, f->value);
            present_csv_number(out, f->lo);
            present_csv_number(out, f->hi);
            fprintf(out, ",%s", model[k] >= f->lo && model[k] <= f->hi ? "yes" : "no");
            cashflows_csv_pad(out, s.l, o->annual);
        }
        cashflows_csv_lines(out, s.l, s.lines, s.n_lines, o->annual);
        cashflows_csv_metrics(out, s.e, s.l, o->annual, s.values);
    } else {
        fprintf(out, "{\n  \"scenario\": ");
        present_json_string(out, sc->name);
        fprintf(out, ",\n  \"record\": {\"description\": ");
        present_json_string(out, r->description);
        fprintf(out, ", \"sources\": [");
        for (size_t i = 0; i < r->n_sources; i++) {
            if (i) fputs(", ", out);
            present_json_string(out, r->sources[i]);
        }
        fprintf(out, "], \"stopped\": ");
        present_json_number(out, r->stopped);
        json_measured(out, sc, r, plan, s.l->term_at);
        fprintf(out, "},\n  \"reported\": [");
        for (size_t k = 0; k < r->n_reported; k++) {
            const realised_figure *f = &r->reported[k];
            fprintf(out, "%s\n    {\"what\": ", k ? "," : "");
            present_json_string(out, f->what);
            fprintf(out, ", \"%s\": ", f->is_flow ? "flow" : "metric");
            present_json_string(out, f->name);
            if (f->has_by) {
                fprintf(out, ", \"by\": ");
                present_json_number(out, f->by);
            }
            const struct {
                const char *k;
                double v;
            } num[] = {{"model", model[k]}, {"reported", f->value}, {"lo", f->lo}, {"hi", f->hi}};
            for (size_t j = 0; j < sizeof num / sizeof num[0]; j++) {
                fprintf(out, ", \"%s\": ", num[j].k);
                present_json_number(out, num[j].v);
            }
            fprintf(out, ", \"reproduced\": %s}",
                    model[k] >= f->lo && model[k] <= f->hi ? "true" : "false");
        }
        fprintf(out, "\n  ],\n  ");
        cashflows_json_inputs(out, sc, s.inputs);
        cashflows_json_ledger(out, sc, s.l, s.lines, s.n_lines, o->annual);
        cashflows_json_metrics(out, s.e, s.values);
        fprintf(out, "\n}\n");
    }
    fclose(out);
    status = output_emit_doc(o->out, o->fmt, &o->prov, buf, len) == 0 ? 0 : EXIT_RUN;
    if (status == 0 && missed) {
        /* Which, by pointer, with the model's value against the range in
         * the figure's own digits: the table may have gone to a file. */
        fprintf(stderr, "sibsim: backtest: %d reported figure%s not reproduced within %s stated "
                        "range:",
                missed, missed == 1 ? " is" : "s are", missed == 1 ? "its" : "their");
        int listed = 0;
        for (size_t k = 0; k < r->n_reported; k++) {
            const realised_figure *f = &r->reported[k];
            if (model[k] >= f->lo && model[k] <= f->hi) continue;
            const double x[4] = {model[k], f->value, f->lo, f->hi};
            char fig[4][48];
            figure_texts(fig, sc->currency, units[k], x);
            fprintf(stderr, "%s %s: %s/reported/%zu (%s): model %s, range %s .. %s",
                    listed++ ? ";" : "", rec_name, prefix, k, f->name, fig[0], fig[2], fig[3]);
        }
        fputc('\n', stderr);
        status = EXIT_RUN;
    }
done:
    free(buf);
    contract_plan_free(plan);
    free(model);
    free(units);
    free(groups);
    free(keys);
    cashflows_settled_free(&s);
    return status;
}
