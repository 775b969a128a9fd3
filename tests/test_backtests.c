/* test_backtests.c -- the real deals of the scenario library settled on
 * the realised record of their scenario: Peterborough, Rikers Island,
 * Educate Girls, Utah, Newpin and the Benevolent Society bond, every figure
 * the record reports set beside the model's.
 * Every expected number is worked out by hand in the comments, from the
 * sourced facts (docs/deals.md) and the ASSUMED terms stated in each
 * scenario's description; none is copied from the program's output. The
 * rest of the real-deal tests are in test_deals.c, which declares the suite
 * `deals` and its fixture (Criterion joins tests to their suite by name, so
 * its .init runs for the tests here too).
 *
 * No test here runs random paths: each settles one deterministic case (the
 * realised record, or the expected case). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/contract.h"
#include "../model/ledger.h"
#include "../sim/engine.h"
#include "helpers.h"

/* ---------------------------------------------------------------- helpers */

/* Make a prior a fixed value (keeping its input slot: the engine then draws
 * exactly that value on every path, through the copula too). */
static void fix_prior(prior *p, double value) {
    p->kind = PRIOR_FIXED;
    p->a = value;
}

/* ------------------------------------------------------------ backtests */

/* Each deal settled on the realised record of its scenario
 * (engine_realised_ledger): the record's measurements, the stages it says
 * ran, its stop, every other input at its mean. Every number asserted is
 * worked out by hand below, from the record and the scenario's terms; then
 * every figure the record reports is set beside the model's. */

typedef struct backtest {
    scenario *sc;
    engine *e;
    ledger *l;
    double *v;          /* engine_metric_count values */
    ledger_line *lines; /* every line of the ledger */
    size_t n_lines;
} backtest;

/* Settle the scenario's own record, or `rec` when it is not NULL. */
static backtest must_backtest_with(scenario *sc, const realised *rec) {
    backtest b = {.sc = sc};
    cr_assert(sc->realised.present, "the scenario has no realised record");
    b.e = must_engine(sc);
    b.l = engine_ledger_new(b.e);
    b.v = calloc(engine_metric_count(b.e), sizeof *b.v);
    cr_assert(b.l != NULL && b.v != NULL);
    sib_error err;
    int rc = engine_realised_ledger(b.e, rec ? rec : &sc->realised, b.l, b.v, NULL, &err);
    cr_assert_eq(rc, SIB_OK, "engine_realised_ledger: %s", err.message);
    b.n_lines = ledger_lines(b.l, NULL, 0);
    b.lines = calloc(b.n_lines, sizeof *b.lines);
    cr_assert(b.lines != NULL);
    cr_assert_eq(ledger_lines(b.l, b.lines, b.n_lines), b.n_lines);
    return b;
}

static backtest must_backtest(const char *rel) {
    return must_backtest_with(must_load_repo_file(rel), NULL);
}

/* Free the backtest's engine and ledger (not its scenario). */
static void backtest_free_run(backtest *b) {
    free(b->lines);
    free(b->v);
    ledger_free(b->l);
    engine_free(b->e);
    b->lines = NULL, b->v = NULL, b->l = NULL, b->e = NULL;
}

static void backtest_free(backtest *b) {
    backtest_free_run(b);
    scenario_free(b->sc);
}

/* Split "GROUP/KEY" at its first '/'. */
static void split_name(const char *name, char *group, size_t gsize, const char **key) {
    const char *slash = strchr(name, '/');
    cr_assert(slash != NULL, "%s is not GROUP/KEY", name);
    snprintf(group, gsize, "%.*s", (int)(slash - name), name);
    *key = slash + 1;
}

/* The backtest's value of metric group/key. */
static double bt_metric(const backtest *b, const char *group, const char *key) {
    size_t i = engine_find_metric(b->e, group, key);
    cr_assert(i != (size_t)-1, "no metric %s/%s", group, key);
    return b->v[i];
}

static const ledger_line *bt_line(const backtest *b, const char *group, const char *key) {
    for (size_t i = 0; i < b->n_lines; i++)
        if (strcmp(b->lines[i].group, group) == 0 && strcmp(b->lines[i].key, key) == 0)
            return &b->lines[i];
    cr_assert_fail("no ledger line %s/%s", group, key);
    return NULL;
}

/* A line's amount (what was paid, drawn or received, before the sign of
 * the party's side), up to and including the period of time `by` (years;
 * HUGE_VAL: the whole horizon): what a reported `flow` figure is compared
 * with. */
static double bt_flow(const backtest *b, const char *group, const char *key, double by) {
    size_t upto = by == HUGE_VAL ? b->l->periods : scenario_period_in(b->sc, b->l->periods, by);
    return ledger_line_amount(b->l, bt_line(b, group, key), upto);
}

/* A line's shown amount in period t: + what its party receives, - what it
 * pays (a tranche's draws are shown negative, its receipts positive; an
 * outcome payment negative, as its payer pays it). */
static double bt_at(const backtest *b, const char *group, const char *key, size_t t) {
    const ledger_line *x = bt_line(b, group, key);
    cr_assert(t < b->l->periods);
    return x->sign * x->flow[t];
}

/* The model's value of reported figure f. */
static double figure_value(const backtest *b, const realised_figure *f) {
    char group[SCENARIO_NAME_MAX];
    const char *key;
    split_name(f->name, group, sizeof group, &key);
    if (f->is_flow) return bt_flow(b, group, key, f->has_by ? f->by : HUGE_VAL);
    return bt_metric(b, group, key);
}

/* Every figure the record reports is reproduced within its range, except
 * those whose `what` begins with one of `misses` (NULL-terminated), which
 * must NOT be: a miss is documented in the record and asserted, not hidden. */
static void assert_reported(const backtest *b, const char *const *misses) {
    const realised *rec = &b->sc->realised;
    cr_assert_gt(rec->n_reported, 0);
    size_t missed = 0, expected = 0;
    for (size_t m = 0; misses && misses[m]; m++) expected++;
    for (size_t i = 0; i < rec->n_reported; i++) {
        const realised_figure *f = &rec->reported[i];
        double x = figure_value(b, f), slack = 1e-9 * fmax(1.0, fabs(f->value));
        int inside = x >= f->lo - slack && x <= f->hi + slack;
        int miss = 0;
        for (size_t m = 0; misses && misses[m]; m++)
            miss |= strncmp(f->what, misses[m], strlen(misses[m])) == 0;
        if (miss) {
            missed++;
            cr_assert(!inside, "%s: %s = %.6g is now within [%.6g, %.6g]: update the record",
                      f->what, f->name, x, f->lo, f->hi);
        } else {
            cr_assert(inside, "%s: %s = %.6g, reported %.6g, range [%.6g, %.6g]", f->what, f->name,
                      x, f->value, f->lo, f->hi);
        }
    }
    cr_assert_eq(missed, expected, "every expected miss names a reported figure");
}

/* docs/deals.md, Peterborough. The record: cohort 1, 1,420 events among
 * 1,000 offenders against 15,500 among 10,000 controls (142 vs 155 per
 * 100); cohort 2 INFERRED from the pooled 9%: 1,401 against 15,500. */
Test(deals, peterborough_backtest_pays_once_in_2017_at_just_over_3pct) {
    backtest b = must_backtest("scenarios/peterborough.json");
    const scenario *sc = b.sc;
    const char *F = "Peterborough SIB", *I = "17 trusts and foundations";
    char key[128];
    cr_assert_eq(sc->realised.n_results, 2);
    cr_assert(sc->realised.stage_ran[0]);
    cr_assert(sc->realised.stopped == HUGE_VAL, "ran to its end");
    /* Measured: cohort 1 (1.55 - 1.42) / 1.55 = 8.39% < 10%; cohort 2
     * (1.55 - 1.401) / 1.55 = 9.61% < 10%: no cohort payment. Pooled:
     * treated 2,821 / 2,000 = 1.4105 against 31,000 / 20,000 = 1.55, a fall
     * of 0.1395 / 1.55 = 9% >= 7.5%; units 2,000 x 0.1395 = 279 events. */
    cr_assert_float_eq(bt_metric(&b, "programme", "effect.measured.reconviction_events"), 0.09,
                       1e-12);
    cr_assert_float_eq(bt_metric(&b, "programme", "outcomes.measured.reconviction_events"), 279,
                       1e-9);
    cr_assert(isnan(bt_metric(&b, "programme", "effect.true.reconviction_events")),
              "the truth is not in a record");
    /* Paid: the final true-up, 279 x GBP 11,000 = 3,069,000 (under its 3.4m
     * cap, less 0 paid by the cohort rule), at the last measurement 2 +
     * 1.75 + 1.5 = 5.25 years plus the 1.5-year lag = 6.75 years, period 27
     * (June 2017). The cohort rule's assessments (periods 16 and 24) pay 0. */
    cr_assert_float_eq(bt_flow(&b, "contract", "payment.cohort trigger", HUGE_VAL), 0, 0);
    cr_assert_float_eq(bt_flow(&b, "contract", "payment.final true-up", HUGE_VAL), 3069000, 1e-6);
    cr_assert_float_eq(bt_at(&b, "contract", "payment.final true-up", 27), -3069000, 1e-6);
    cr_assert_float_eq(bt_metric(&b, "commissioner", "payments.total"), 3069000, 1e-6);
    /* Costs: GBP 700,000 a year over 3.75 years = 2,625,000, 175,000 in
     * each of the periods 0-14, all drawn from the one tranche (its draws
     * are shown as paid out, -175,000). */
    for (size_t t = 0; t < 15; t++) {
        snprintf(key, sizeof key, "%s.drawn", I);
        cr_assert_float_eq(bt_at(&b, F, key, t), -175000, 1e-6, "period %zu", t);
    }
    snprintf(key, sizeof key, "%s.drawn", I);
    cr_assert_float_eq(bt_metric(&b, F, key), 2625000, 1e-6);
    /* Received: all of the 3,069,000 (what the 13% cap allows is far more:
     * the draws' mean date is 1.75 years, 1.13^5 x 2.625m = 4.8m by 6.75
     * years): 2,625,000 of principal and 444,000 of return; no loss, no
     * surplus, so the commissioner pays exactly the 3,069,000. */
    snprintf(key, sizeof key, "%s.received", I);
    cr_assert_float_eq(bt_metric(&b, F, key), 3069000, 1e-6);
    snprintf(key, sizeof key, "%s.principal", I);
    cr_assert_float_eq(bt_flow(&b, F, key, HUGE_VAL), 2625000, 1e-6);
    snprintf(key, sizeof key, "%s.return", I);
    cr_assert_float_eq(bt_flow(&b, F, key, HUGE_VAL), 444000, 1e-6);
    snprintf(key, sizeof key, "%s.loss", I);
    cr_assert_float_eq(bt_metric(&b, F, key), 0, 0);
    cr_assert_float_eq(bt_metric(&b, F, "returned"), 0, 1e-9);
    cr_assert_float_eq(bt_metric(&b, F, "commissioner.total"), 3069000, 1e-6);
    /* IRR: -175,000 in periods 0-14, +3,069,000 in period 27. At r =
     * 3.1631% a year, v = 1.031631^(-1/4) = 0.9922450: the draws are worth
     * 175,000 x (1 - v^15) / (1 - v) = 175,000 x 14.21246 = 2,487,180 and
     * the payment 3,069,000 x v^27 = 2,487,180: r is the IRR, "just over
     * 3% a year". The multiple is 3,069,000 / 2,625,000 = 1.16914. */
    snprintf(key, sizeof key, "%s.irr", I);
    cr_assert_float_eq(bt_metric(&b, F, key), 0.0316310, 1e-6, "IRR %.7f", bt_metric(&b, F, key));
    snprintf(key, sizeof key, "%s.moic", I);
    cr_assert_float_eq(bt_metric(&b, F, key), 3069000.0 / 2625000.0, 1e-12);
    assert_reported(&b, NULL);
    backtest_free(&b);
}

/* docs/deals.md, Rikers Island. The record: no fall in bed days for the
 * 2013 admissions (effect 0, 3,000 adolescents against the fixed baseline),
 * only "years 1-3" ran, and the programme stopped at 3.0 years. The
 * scenario's termination clause (at 3.0 years, if the fall measured by then
 * is below 8.5%) ends it at the same date. */
Test(deals, rikers_backtest_goldman_lends_7_2m_recovers_6m_and_the_city_pays_nothing) {
    backtest b = must_backtest("scenarios/rikers-island.json");
    const scenario *sc = b.sc;
    const char *F = "ABLE loan";
    cr_assert(sc->realised.stage_ran[0] && !sc->realised.stage_ran[1]);
    cr_assert_float_eq(sc->realised.stopped, 3.0, 0);
    /* Measured: 180,000 bed days (3,000 x 60) against the baseline of 60
     * each: a fall of 0, below the 8.5% first tier: nothing is paid. */
    cr_assert_float_eq(bt_metric(&b, "programme", "effect.measured.recidivism_bed_days"), 0, 1e-12);
    cr_assert_float_eq(bt_metric(&b, "commissioner", "payments.total"), 0, 0);
    cr_assert_float_eq(bt_flow(&b, "contract", "payment.rate card", HUGE_VAL), 0, 0);
    cr_assert_float_eq(bt_metric(&b, "programme", "stages.reached"), 1, 0);
    cr_assert_float_eq(bt_metric(&b, "programme", "stage.year 4.reached"), 0, 0);
    /* The clause on the record's result: 0 < 8.5% at 3.0 years, terminated. */
    cr_assert_float_eq(bt_metric(&b, "programme", "terminated"), 1, 0);
    /* Costs: USD 2.4m a year over [0, 3): 600,000 in each of the periods
     * 0-11, USD 7.2m, all drawn from Goldman's USD 9.6m commitment. */
    for (size_t t = 0; t < 12; t++)
        cr_assert_float_eq(bt_at(&b, F, "Goldman Sachs.drawn", t), -600000, 1e-6, "period %zu", t);
    cr_assert_float_eq(bt_metric(&b, "programme", "cost.delivery"), 7.2e6, 1e-6);
    cr_assert_float_eq(bt_metric(&b, F, "Goldman Sachs.drawn"), 7.2e6, 1e-6);
    cr_assert_float_eq(bt_metric(&b, F, "Goldman Sachs.received"), 0, 0);
    /* The guarantee: called at the stop, 3.0 years (period 12), on the
     * 7.2m lost: min(5/6 x 7.2m, 7.2m) = USD 6.0m. Goldman's loss 1.2m, its
     * multiple 6.0 / 7.2 = 0.8333. */
    cr_assert_float_eq(bt_metric(&b, F, "guarantor.Bloomberg Philanthropies.paid"), 6.0e6, 1e-6);
    cr_assert_float_eq(bt_metric(&b, F, "Goldman Sachs.guaranteed"), 6.0e6, 1e-6);
    cr_assert_float_eq(bt_at(&b, F, "Goldman Sachs.guarantee", 12), 6.0e6, 1e-6);
    cr_assert_float_eq(bt_at(&b, F, "guarantor.Bloomberg Philanthropies.calls", 12), -6.0e6, 1e-6);
    cr_assert_float_eq(bt_metric(&b, F, "Goldman Sachs.loss"), 1.2e6, 1e-6);
    cr_assert_float_eq(bt_metric(&b, F, "Goldman Sachs.moic"), 6.0 / 7.2, 1e-12);
    cr_assert_float_eq(bt_metric(&b, F, "commissioner.total"), 0, 0);
    /* IRR: -600,000 in periods 0-11, +6.0m in period 12. At r = -10.8846%
     * a year, v = 0.891154^(-1/4) = 1.0292285, v^12 = 1.412999 and
     * sum_{t<12} v^t = (v^12 - 1) / (v - 1) = 14.12999: the draws are worth
     * 600,000 x 14.12999 = 8,477,994 and the call 6.0m x 1.412999 =
     * 8,477,994 (the same). */
    cr_assert_float_eq(bt_metric(&b, F, "Goldman Sachs.irr"), -0.1088461, 1e-6, "IRR %.7f",
                       bt_metric(&b, F, "Goldman Sachs.irr"));
    assert_reported(&b, NULL);
    backtest_free_run(&b);

    /* Without the record's stop, the termination clause alone stops the
     * programme at 3.0 years: the same 7.2m drawn, nothing paid, the
     * guarantee called at period 12 for 6.0m, the same IRR. */
    realised no_stop = sc->realised;
    no_stop.stopped = HUGE_VAL;
    b = must_backtest_with(b.sc, &no_stop);
    cr_assert_float_eq(bt_metric(&b, "programme", "terminated"), 1, 0);
    cr_assert_float_eq(bt_metric(&b, "commissioner", "payments.total"), 0, 0);
    cr_assert_float_eq(bt_metric(&b, F, "Goldman Sachs.drawn"), 7.2e6, 1e-6);
    cr_assert_float_eq(bt_at(&b, F, "Goldman Sachs.guarantee", 12), 6.0e6, 1e-6);
    cr_assert_float_eq(bt_metric(&b, F, "Goldman Sachs.loss"), 1.2e6, 1e-6);
    cr_assert_float_eq(bt_metric(&b, F, "Goldman Sachs.irr"), -0.1088461, 1e-6);
    assert_reported(&b, NULL);
    backtest_free_run(&b);

    /* Without the stop and without the clause, the measured 0 alone also
     * pays nothing and leaves the same 7.2m, 6.0m and 1.2m; but the rate
     * card, pooled over the programme, is dated by the plan at the last
     * planned measurement (the year-4 cohort's: 3 + 1 + 1.5 = 5.5 years,
     * paid at 6.0), so the loss is settled and the guarantee called only at
     * 6.0 years, period 24 -- three years after the deal ended. The IRR
     * then: -600,000 in periods 0-11, +6.0m in period 24: -3.8775% a year. */
    b.sc->contract.termination.present = false;
    b = must_backtest_with(b.sc, &no_stop);
    cr_assert_float_eq(bt_metric(&b, "commissioner", "payments.total"), 0, 0);
    cr_assert_float_eq(bt_metric(&b, F, "Goldman Sachs.drawn"), 7.2e6, 1e-6);
    cr_assert_float_eq(bt_metric(&b, F, "guarantor.Bloomberg Philanthropies.paid"), 6.0e6, 1e-6);
    cr_assert_float_eq(bt_at(&b, F, "Goldman Sachs.guarantee", 24), 6.0e6, 1e-6);
    cr_assert_float_eq(bt_metric(&b, F, "Goldman Sachs.loss"), 1.2e6, 1e-6);
    cr_assert_float_eq(bt_metric(&b, F, "Goldman Sachs.irr"), -0.0387750, 1e-6);
    assert_reported(&b, NULL);
    backtest_free(&b);
}

/* docs/deals.md, Educate Girls. The record: learning +0.8 levels (160% of
 * the ASSUMED +0.5 target) for 7,300 children against as many controls;
 * 768 of 835 eligible girls enrolled (92%, 116% of the 79.3% target). */
Test(deals, educate_girls_backtest_pays_422k_and_the_investor_15pct) {
    backtest b = must_backtest("scenarios/educate-girls-dib.json");
    const char *F = "Educate Girls DIB", *I = "UBS Optimus Foundation";
    char key[128];
    /* Measured: learning (1.5 + 0.8) - 1.5 = 0.8 levels; enrolment, with no
     * comparison, the share achieved: 768 / 835 = 0.9197605. */
    cr_assert_float_eq(bt_metric(&b, "programme", "effect.measured.learning"), 0.8, 1e-12);
    cr_assert_float_eq(bt_metric(&b, "programme", "effect.measured.enrolment"), 768.0 / 835.0,
                       1e-12);
    /* Paid, both at 0 + 0 + 3 = 3 years (period 12): learning 337,600 x
     * clamp(0.8 / 0.5) = 337,600; enrolment 84,400 x clamp(0.91976 /
     * 0.793 = 1.1598) = 84,400; 422,000 in all, exactly the cap. */
    cr_assert_float_eq(bt_at(&b, "contract", "payment.learning (80%)", 12), -337600, 1e-6);
    cr_assert_float_eq(bt_at(&b, "contract", "payment.enrolment (20%)", 12), -84400, 1e-6);
    cr_assert_float_eq(bt_flow(&b, "contract", "payments.total", HUGE_VAL), 422000, 1e-6);
    cr_assert_float_eq(bt_at(&b, "contract", "payer.CIFF", 12), -422000, 1e-6);
    /* The investor: 270,000 drawn at period 0 (the set-up cost); owed
     * 270,000 x 1.15^3 = 410,636.25 at period 12, which it receives:
     * 270,000 of principal, 140,636.25 of return, an IRR of exactly 15%.
     * The other 422,000 - 410,636.25 = 11,363.75 is returned to CIFF, who
     * so pays 410,636.25 net. */
    snprintf(key, sizeof key, "%s.drawn", I);
    cr_assert_float_eq(bt_at(&b, F, key, 0), -270000, 1e-6);
    cr_assert_float_eq(bt_metric(&b, F, key), 270000, 1e-6);
    snprintf(key, sizeof key, "%s.received", I);
    cr_assert_float_eq(bt_metric(&b, F, key), 410636.25, 1e-6);
    snprintf(key, sizeof key, "%s.principal", I);
    cr_assert_float_eq(bt_at(&b, F, key, 12), 270000, 1e-6);
    snprintf(key, sizeof key, "%s.return", I);
    cr_assert_float_eq(bt_at(&b, F, key, 12), 140636.25, 1e-6);
    cr_assert_float_eq(bt_metric(&b, F, "returned"), 11363.75, 1e-6);
    cr_assert_float_eq(bt_metric(&b, F, "commissioner.total"), 410636.25, 1e-6);
    snprintf(key, sizeof key, "%s.irr", I);
    cr_assert_float_eq(bt_metric(&b, F, key), 0.15, 1e-9, "IRR %.10f", bt_metric(&b, F, key));
    snprintf(key, sizeof key, "%s.loss", I);
    cr_assert_float_eq(bt_metric(&b, F, key), 0, 0);
    /* Reported: the 422,000, the 15% IRR and the capital are reproduced,
     * and the return of USD 144,085 within the timing the record states:
     * 15% on 270,000 paid a quarter either side of 3 years is
     * 270,000 x (1.15^2.75 - 1) = 126,738 to 270,000 x (1.15^3.25 - 1) =
     * 155,234; the model's 140,636.25 is 3,448.75 short of the figure (on
     * 270,000 over exactly 3 years, 144,085 is 15.3% a year: the sources
     * round the 15% and the 3 years). */
    assert_reported(&b, NULL);
    backtest_free(&b);
}

/* docs/deals.md, Utah. The record: cohort 1's kindergarten year only, 1 of
 * 110 at-risk children in special education; its later school years and
 * the later cohorts ran but their results are not in the record, so they
 * are not measured and earn nothing. */
Test(deals, utah_backtest_pays_267k_by_october_2015) {
    backtest b = must_backtest("scenarios/utah-preschool.json");
    const char *F = "Utah preschool SIB";
    cr_assert_eq(b.sc->realised.n_results, 1);
    cr_assert_eq(b.sc->realised.results[0].measurement, 0, "the kindergarten year");
    cr_assert(b.sc->realised.stage_ran[0]);
    /* Measured (no comparison): the share without special education,
     * 109 / 110 = 0.990909; outcomes achieved 109. */
    cr_assert_float_eq(bt_metric(&b, "programme", "effect.measured.special_education"),
                       109.0 / 110.0, 1e-12);
    cr_assert_float_eq(bt_metric(&b, "programme", "outcomes.measured.special_education"), 109,
                       1e-9);
    /* Paid: savings 109 x USD 2,578 = 281,002; 95% of it = 266,951.90
     * (the owed balance, USD 7m, is far above it), in October 2015: cohort 1
     * is first measured at 0 + 1 + 1 = 2 years and paid 0.17 years later,
     * period 8. By 2.17 years (up to the end of its quarter, period 8):
     * 266,951.90, within USD 500 of the reported USD 267k; by 1.99 years
     * (period 7) nothing. Its later years (measured at 3, ..., 8) and
     * cohorts 2-5 have no result: nothing more is paid. */
    const double inst = 0.95 * 109 * 2578;
    cr_assert_float_eq(inst, 266951.90, 1e-6);
    cr_assert_float_eq(bt_flow(&b, "contract", "payments.total", 2.17), inst, 1e-6);
    cr_assert_float_eq(bt_flow(&b, "contract", "payments.total", 1.99), 0, 0);
    for (size_t t = 0; t < b.l->periods; t++) {
        double expect = t == 8 ? -inst : 0; /* paid by the payer */
        cr_assert_float_eq(bt_at(&b, "contract", "payment.savings share", t), expect, 1e-6,
                           "period %zu", t);
    }
    cr_assert_float_eq(bt_metric(&b, "commissioner", "payments.total"), inst, 1e-6);
    /* Costs: USD 1.4m a year for 5 years, 350,000 a quarter, drawn pro rata
     * to the commitments: Goldman 4.6 / 7 x 350,000 = 230,000 and Pritzker
     * 120,000 a quarter; USD 4.6m and 2.4m in all. */
    cr_assert_float_eq(bt_at(&b, F, "Goldman Sachs.drawn", 0), -230000, 1e-6);
    cr_assert_float_eq(bt_at(&b, F, "J.B. Pritzker.drawn", 19), -120000, 1e-6);
    cr_assert_float_eq(bt_metric(&b, F, "Goldman Sachs.drawn"), 4.6e6, 1e-6);
    cr_assert_float_eq(bt_metric(&b, F, "J.B. Pritzker.drawn"), 2.4e6, 1e-6);
    /* The senior tranche receives the 266,951.90, all of it principal (far
     * less than it is owed); the subordinated one nothing. These are NOT the
     * deal's figures: the record holds none of the later payments. Goldman's
     * flows on this ledger are -230,000 in periods 0-19 and +266,951.90 in
     * period 8, net +36,951.90 there. They have no IRR: for a quarterly
     * discount factor d > 0, d^7 + d^9 >= 2 d^8 (AM-GM), so the draws of
     * periods 7 and 9 alone, 230,000 (d^7 + d^9) >= 460,000 d^8, outweigh
     * the net receipt 36,951.90 d^8, and the NPV is negative at every rate.
     * The subordinated tranche puts money in and gets nothing back: -100%. */
    cr_assert_float_eq(bt_metric(&b, F, "Goldman Sachs.received"), inst, 1e-6);
    cr_assert_float_eq(bt_flow(&b, F, "Goldman Sachs.principal", HUGE_VAL), inst, 1e-6);
    cr_assert_float_eq(bt_metric(&b, F, "J.B. Pritzker.received"), 0, 0);
    cr_assert(isnan(bt_metric(&b, F, "Goldman Sachs.irr")), "no IRR");
    cr_assert_float_eq(bt_metric(&b, F, "J.B. Pritzker.irr"), -1, 0);
    assert_reported(&b, NULL);
    backtest_free(&b);
}

/* Regression: a backtest's cohort size was taken from the first result
 * the record lists for the cohort, so listing Educate Girls' enrolment
 * (835 eligible girls) before learning (7,300 children) made the cohort
 * 835 participants. The cohort that ran is the largest group measured in
 * it, whatever the order. */
Test(deals, a_backtest_cohort_is_its_largest_measured_group_in_any_order) {
    scenario *sc = must_load_repo_file("scenarios/educate-girls-dib.json");
    realised *rec = &sc->realised;
    cr_assert_eq(rec->n_results, 2);
    for (int order = 0; order < 2; order++) {
        if (order == 1) { /* the same record, its results listed the other way round */
            realised_result t = rec->results[0];
            rec->results[0] = rec->results[1];
            rec->results[1] = t;
        }
        engine *e = must_engine(sc);
        ledger *l = engine_ledger_new(e);
        double v[512];
        cr_assert(engine_metric_count(e) <= 512);
        sib_error err;
        cr_assert_eq(engine_realised_ledger(e, rec, l, v, NULL, &err), SIB_OK, "%s", err.message);
        size_t i = engine_find_metric(e, "programme", "participants");
        cr_assert_float_eq(v[i], 7300, 0, "order %d: %g participants", order, v[i]);
        ledger_free(l);
        engine_free(e);
    }
    scenario_free(sc);
}

/* ------------------------------------------------ the NSW bonds of 2013 */

/* The expected case of the scenario (every input at its mean, measured as
 * expected), in the backtest's shape, so that bt_* read it. */
static backtest must_expected(scenario *sc) {
    backtest b = {.sc = sc};
    b.e = must_engine(sc);
    b.l = engine_ledger_new(b.e);
    b.v = calloc(engine_metric_count(b.e), sizeof *b.v);
    cr_assert(b.l != NULL && b.v != NULL);
    sib_error err;
    cr_assert_eq(engine_expected_ledger(b.e, b.l, b.v, NULL, &err), SIB_OK, "%s", err.message);
    b.n_lines = ledger_lines(b.l, NULL, 0);
    b.lines = calloc(b.n_lines, sizeof *b.lines);
    cr_assert(b.lines != NULL);
    cr_assert_eq(ledger_lines(b.l, b.lines, b.n_lines), b.n_lines);
    return b;
}

/* docs/deals.md, Newpin. The record: the restoration rates certified for
 * years 1-3 (60%, 61.6% and 61% cumulative, on 47, 114 and 213 exits),
 * against the fixed 25% of those years; years 4-7 not found (not made).
 * Quarterly grid, time 0 = 1 July 2013; A$7m drawn at period 0. */
Test(deals, newpin_backtest_year_1_pays_7_5pct_and_years_2_and_3_are_missed) {
    backtest b = must_backtest("scenarios/newpin-social-benefit-bond.json");
    const char *F = "Newpin SBB";
    /* Measured, net of the fixed 25%: 0.60 - 0.25 = 0.35 (the 60-65% band,
     * 35 points), 0.616 - 0.25 = 0.366, 0.61 - 0.25 = 0.36: each year in the
     * band that pays 7.5%. Pooled (person-years): (0.6 x 47 + 0.616 x 114 +
     * 0.61 x 213) / 374 = 228.354 / 374 = 0.6105722, less 0.25 = 0.3605722. */
    cr_assert_float_eq(bt_metric(&b, "programme", "effect.measured.restoration"), 0.3605722, 1e-7);
    /* Year 1's interest: the floor, 5% / 4 x A$7m = A$87,500 a quarter,
     * paid in arrears in periods 1-4 (A$350,000 by t = 1), and the rule
     * "interest over 5%" at the 60% rate: A$7m x (7.5% - 5%) x (1 - 0) =
     * A$175,000 at t = 1 (period 4). Together A$525,000 = 7.5% of A$7m: the
     * floor does not bind. The same 175,000 at t = 2 and 3 (periods 8, 12):
     * 61.6% and 61% are in the same band. "interest to 5%" runs from 3
     * years: it pays nothing for years 1-3, and years 4-7 have no result. */
    for (size_t t = 0; t < b.l->periods; t++) {
        double over = (t == 4 || t == 8 || t == 12) ? -175000 : 0;
        cr_assert_float_eq(bt_at(&b, "contract", "payment.interest over 5%", t), over, 1e-6,
                           "period %zu", t);
        cr_assert_float_eq(bt_at(&b, "contract", "payment.interest to 5%", t), 0, 0);
        double coupon = (t >= 1 && t <= 12) ? 87500 : 0;
        cr_assert_float_eq(bt_at(&b, F, "investors.fixed_coupon", t), coupon, 1e-6, "period %zu",
                           t);
    }
    cr_assert_float_eq(bt_flow(&b, F, "investors.fixed_coupon", 1.0) +
                           bt_flow(&b, F, "investors.return", 1.0),
                       0.075 * 7e6, 1e-6, "year 1: 7.5%% of A$7m");
    cr_assert_float_eq(bt_flow(&b, F, "investors.fixed_coupon", HUGE_VAL), 1050000, 1e-6);
    cr_assert_float_eq(bt_flow(&b, F, "investors.return", HUGE_VAL), 525000, 1e-6);
    /* The principal, pooled over the three measurements: 0.3606 >= 0.30
     * (a 55% rate): A$7m at 7 + 0.25 = 7.25 years, period 29 (a model
     * figure: the record has no later year). */
    cr_assert_float_eq(bt_at(&b, "contract", "payment.principal", 29), -7e6, 1e-6);
    cr_assert_float_eq(bt_flow(&b, "contract", "payment.principal", HUGE_VAL), 7e6, 1e-6);
    /* No redemption. At t = 4 (period 16) the hurdle value at 4%, the flows
     * compounded quarterly to period 16 plus the A$7m at par: -7m x 1.04^4 +
     * 87,500 x sum_{k=1..12} 1.04^((16-k)/4) + 175,000 x (1.04^3 + 1.04^2 +
     * 1.04) + 7m = +532,288 >= 0: held. After 4 at 3%, nothing more comes
     * until period 29; the value falls to +230,885 at period 28 and is never
     * below 0: held. */
    cr_assert_float_eq(bt_metric(&b, F, "investors.redeemed"), 0, 0);
    cr_assert_float_eq(bt_metric(&b, F, "investors.p_redeemed"), 0, 0);
    /* The investors on this ledger: -7m; 1.05m of floor, 525,000 of
     * interest and 7m of principal: a multiple of 8.575 / 7 = 1.225, an IRR
     * (bisection of the quarterly flows by hand) of 3.34960%. Not the
     * deal's: years 4-7 are missing from the record. */
    cr_assert_float_eq(bt_metric(&b, F, "investors.moic"), 1.225, 1e-12);
    cr_assert_float_eq(bt_metric(&b, F, "investors.irr"), 0.0334960, 1e-6);
    /* Reported: year 1's floor and interest, and the floor over three
     * years, are reproduced; the interest above the floor by years 2 and 3
     * (8.9% and 12.15% paid) is not: the band table pays 7.5%. */
    static const char *const misses[] = {"interest above the floor by year 2",
                                         "interest above the floor by year 3", NULL};
    assert_reported(&b, misses);
    backtest_free(&b);
}

/* The floor binds and years 4-7 pay the band alone. Newpin's expected case
 * at a true net effect of 32 points (a 57% restoration rate, the 55-60%
 * band, 3%), measured as expected against 25% in years 1-3 and against the
 * live group at its mean (bias 0: 25%) in years 4-7.
 *   years 1-3: "interest over 5%" pays nothing (0.32 < 0.35): the floor,
 *     A$87,500 a quarter, is all the interest, 5% rather than 3%;
 *   years 4-7: no floor; "interest to 5%" pays the 3% band, A$7m x 0.03 x 1
 *     = A$210,000 at t = 4, 5, 6, 7 (periods 16, 20, 24, 28; its first
 *     year runs from principal_from, 3);
 *   the principal: pooled 0.32 >= 0.30: A$7m at 7.25 (period 29).
 * No redemption: at period 16 the hurdle value at 4% is -7m x 1.04^4 +
 * 87,500 x sum_{k=1..12} 1.04^((16-k)/4) + 210,000 + 7m = +174,157 >= 0
 * (5%, 5%, 5%, 3% is above 4%); after it, at 3%, the least is +311,520.
 * Multiple (1.05m + 840,000 + 7m) / 7m = 1.27; IRR by bisection 3.83570%. */
Test(deals, newpin_at_57pct_the_floor_binds_then_the_3pct_band_is_paid) {
    scenario *sc = must_load_repo_file("scenarios/newpin-social-benefit-bond.json");
    fix_prior(&sc->outcomes[0].effect, 0.32);
    backtest b = must_expected(sc);
    const char *F = "Newpin SBB";
    for (size_t t = 0; t < b.l->periods; t++) {
        cr_assert_float_eq(bt_at(&b, "contract", "payment.interest over 5%", t), 0, 0);
        double due = (t == 16 || t == 20 || t == 24 || t == 28) ? -210000 : 0;
        cr_assert_float_eq(bt_at(&b, "contract", "payment.interest to 5%", t), due, 1e-6,
                           "period %zu", t);
    }
    cr_assert_float_eq(bt_at(&b, "contract", "payment.principal", 29), -7e6, 1e-6);
    cr_assert_float_eq(bt_metric(&b, F, "investors.fixed_coupon"), 1050000, 1e-6);
    cr_assert_float_eq(bt_metric(&b, F, "investors.redeemed"), 0, 0);
    cr_assert_float_eq(bt_metric(&b, F, "investors.moic"), 8.89e6 / 7e6, 1e-12);
    cr_assert_float_eq(bt_metric(&b, F, "investors.irr"), 0.0383570, 1e-6);
    backtest_free(&b);
}

/* Below 55% the investors redeem at four years. Net effect 27 points (a
 * 52% rate): no band in any year, so the investors get the floor alone,
 * A$87,500 a quarter in periods 1-12, and nothing in year 4. At period 16
 * the hurdle value at 4%: -7m x 1.04^4 + 87,500 x sum_{k=1..12}
 * 1.04^((16-k)/4) + 7m = -35,843 < 0 (5%, 5%, 5%, 0 is below 4%):
 * redeemed, the NSW Government paying 75% of the A$7m outstanding, A$5.25m,
 * at period 16. The principal rule (pooled 0.27 < 0.30) pays the protected
 * half, A$3.5m, at 7.25 years: the tranche is gone, so all of it is
 * returned. Investors: -7m, 1.05m, 5.25m: a multiple of 0.9, an IRR by
 * bisection of -2.87082%. */
Test(deals, newpin_below_55pct_the_investors_redeem_at_four_years_for_75pct) {
    scenario *sc = must_load_repo_file("scenarios/newpin-social-benefit-bond.json");
    fix_prior(&sc->outcomes[0].effect, 0.27);
    backtest b = must_expected(sc);
    const char *F = "Newpin SBB";
    cr_assert_float_eq(bt_flow(&b, "contract", "payment.interest over 5%", HUGE_VAL), 0, 0);
    cr_assert_float_eq(bt_flow(&b, "contract", "payment.interest to 5%", HUGE_VAL), 0, 0);
    cr_assert_float_eq(bt_at(&b, "contract", "payment.principal", 29), -3.5e6, 1e-6);
    cr_assert_float_eq(bt_at(&b, F, "investors.redemption", 16), 5.25e6, 1e-6);
    cr_assert_float_eq(bt_at(&b, F, "commissioner.redemption.investors", 16), -5.25e6, 1e-6);
    cr_assert_float_eq(bt_metric(&b, F, "investors.redeemed"), 5.25e6, 1e-6);
    cr_assert_float_eq(bt_metric(&b, F, "returned"), 3.5e6, 1e-6);
    cr_assert_float_eq(bt_metric(&b, F, "investors.moic"), 0.9, 1e-12);
    cr_assert_float_eq(bt_metric(&b, F, "investors.irr"), -0.0287082, 1e-6);
    backtest_free(&b);
}

/* docs/deals.md, Benevolent Society. The record: the Performance
 * Percentage of 24% published for June 2017, entered for each of the four
 * cohorts as if it had held to maturity. Both classes paid in at t = 0
 * (P A$7.5m, E A$2.5m, pro rata to their commitments), both schedules
 * assessed once, pooled, at the last cohort's measurement, 2.75 + 2 + 0.25
 * = 5 years (period 20), paid then (lag 0). */
Test(deals, benevolent_backtest_pays_p_7pct_and_e_15pct_at_pp_24pct) {
    backtest b = must_backtest("scenarios/benevolent-society-social-benefit-bond.json");
    const char *F = "Benevolent SBB";
    /* If the schedules pass through the observed points, 24% pays P 7% and
     * E 15% a year, compounded over the 5 years:
     *   P: 7,500,000 x 1.07^5 = 7,500,000 x 1.4025517 = 10,519,137.98;
     *   E: 2,500,000 x 1.15^5 = 2,500,000 x 2.0113572 =  5,028,392.97.
     * Each class takes its own schedule's payment and nothing of the other's. */
    const double p = 7.5e6 * pow(1.07, 5), e = 2.5e6 * pow(1.15, 5);
    cr_assert_float_eq(p, 10519137.98, 0.01);
    cr_assert_float_eq(e, 5028392.97, 0.01);
    cr_assert_float_eq(bt_at(&b, "contract", "payment.class P schedule", 20), -p, 1e-4);
    cr_assert_float_eq(bt_at(&b, "contract", "payment.class E schedule", 20), -e, 1e-4);
    cr_assert_float_eq(bt_at(&b, F, "class P.drawn", 0), -7.5e6, 1e-6);
    cr_assert_float_eq(bt_at(&b, F, "class E.drawn", 0), -2.5e6, 1e-6);
    cr_assert_float_eq(bt_metric(&b, F, "class P.received"), p, 1e-4);
    cr_assert_float_eq(bt_metric(&b, F, "class E.received"), e, 1e-4);
    cr_assert_float_eq(bt_metric(&b, F, "returned"), 0, 1e-4);
    /* P's flows -7.5m at period 0 and p at period 20 (5 years): IRR 7%; E's
     * likewise 15%; multiples 1.07^5 = 1.4025517 and 1.15^5 = 2.0113572. */
    cr_assert_float_eq(bt_metric(&b, F, "class P.irr"), 0.07, 1e-9);
    cr_assert_float_eq(bt_metric(&b, F, "class E.irr"), 0.15, 1e-9);
    cr_assert_float_eq(bt_metric(&b, F, "class P.moic"), pow(1.07, 5), 1e-9);
    cr_assert_float_eq(bt_metric(&b, F, "class E.moic"), pow(1.15, 5), 1e-9);
    assert_reported(&b, NULL);
    backtest_free(&b);
}

/* The two classes at the other points of their schedules, in the expected
 * case: at 19% (June 2016) P 7,500,000 x 1.06^5 = 10,036,691.83 and E
 * 2,500,000 x 1.105^5 = 4,118,616.91; below the 5% threshold (3%) P gets
 * its A$7.5m back and nothing more (its band of return 0), E nothing: it
 * loses all its A$2.5m (IRR -100%). And at exactly 24% -- the expected case
 * of a true effect of 0.24, whose measured effect, (1.5 - 1.5 x 0.76) /
 * 1.5 in binary, falls a rounding step below the band written 0.24 -- the
 * 24% band is reached (regression: it paid the 23% band's P 6.8% and E
 * 14.1%, 7,500,000 x 1.068^5 = 10,421,195). */
Test(deals, benevolent_each_class_is_paid_its_own_schedule_at_19pct_24pct_and_below_5pct) {
    static const struct {
        double pp, p, e;
    } at[] = {{0.19, 10036691.832, 4118616.9149},
              {0.24, 10519137.98025, 5028392.96875},
              {0.03, 7500000, 0}};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        scenario *sc = must_load_repo_file("scenarios/benevolent-society-social-benefit-bond.json");
        fix_prior(&sc->outcomes[0].effect, at[i].pp);
        backtest b = must_expected(sc);
        const char *F = "Benevolent SBB";
        cr_assert_float_eq(bt_flow(&b, "contract", "payment.class P schedule", HUGE_VAL), at[i].p,
                           1e-3, "PP %g: P", at[i].pp);
        cr_assert_float_eq(bt_flow(&b, "contract", "payment.class E schedule", HUGE_VAL), at[i].e,
                           1e-3, "PP %g: E", at[i].pp);
        cr_assert_float_eq(bt_metric(&b, F, "class P.received"), at[i].p, 1e-3);
        cr_assert_float_eq(bt_metric(&b, F, "class E.received"), at[i].e, 1e-3);
        if (at[i].e == 0) {
            cr_assert_float_eq(bt_metric(&b, F, "class E.loss"), 2.5e6, 1e-6);
            cr_assert_float_eq(bt_metric(&b, F, "class E.irr"), -1, 0);
            cr_assert_float_eq(bt_metric(&b, F, "class P.irr"), 0, 1e-9);
        }
        backtest_free(&b);
    }
}

/* contract_reaches: a threshold written in decimal is reached by an effect
 * computed in binary that is a rounding step below it, and not by one
 * really below it. */
Test(deals, a_measured_effect_a_rounding_step_below_a_threshold_reaches_it) {
    double below = nextafter(0.24, 0);
    cr_assert(below < 0.24);
    cr_assert(contract_reaches(below, 0.24));
    cr_assert(contract_reaches(0.24, 0.24));
    cr_assert_not(contract_reaches(0.2399999, 0.24));
    cr_assert(contract_reaches(-10, -10));
    cr_assert_not(contract_reaches(NAN, 0.1));
    cr_assert_not(contract_reaches(-HUGE_VAL, -1e9));
}
