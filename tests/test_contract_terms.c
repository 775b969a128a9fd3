/* test_contract_terms.c -- the contract terms of issue 12: a payer per
 * payment rule, suspensions of the outcome payments (a holiday that defers
 * or cancels them, a window of fixed payments that replaces them), and early
 * termination by the commissioner (on results to date or at will, with what
 * is owed on termination).
 *
 * Every amount asserted is worked out by hand in the comment above it, from
 * the scenario's terms and docs/model.md's formulas, payer by payer and
 * period by period (a quarterly grid: period p covers [p/4, (p+1)/4)); none
 * is copied from the program's output. The expected case makes every
 * measurement its expectation, so these scenarios settle exactly. Each of
 * these tests fails without its term: the loader refuses the term's fields
 * as unknown.
 *
 * Then: the loader's refusals of bad terms (tests/bad/, whole messages),
 * the bounds of the new numbers, the warnings for likely mistakes, and the
 * engine's common random numbers (a termination draws from its own stream
 * and a future it does not end is the future without it, bit for bit). */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../model/contract.h"
#include "../model/ledger.h"
#include "../sim/warnings.h"
#include "helpers.h"
#include "loader_helpers.h"

static void setup(void) { gsl_set_error_handler_off(); }
TestSuite(contract_terms, .init = setup);

/* ---------------------------------------------------------------- helpers */

/* The expected case of sc: its engine, ledger and metric values. */
typedef struct future {
    scenario *sc;
    engine *e;
    ledger *l;
    double *v;
} future;

static future expected_case(scenario *sc) {
    future f = {.sc = sc, .e = must_engine(sc)};
    f.l = engine_ledger_new(f.e);
    f.v = calloc(engine_metric_count(f.e), sizeof *f.v);
    cr_assert(f.l != NULL && f.v != NULL);
    sib_error err;
    cr_assert_eq(engine_expected_ledger(f.e, f.l, f.v, NULL, &err), SIB_OK, "%s", err.message);
    return f;
}

static void future_free(future *f) {
    free(f->v);
    ledger_free(f->l);
    engine_free(f->e);
    scenario_free(f->sc);
}

/* Line group/key holds exactly the amounts `at` gives for the listed
 * periods, and 0 in every other period. */
typedef struct amount_at {
    size_t period;
    double amount;
} amount_at;

static void assert_line(const ledger *l, const char *group, const char *key, const amount_at *at,
                        size_t n) {
    const double *x = must_ledger_line(l, group, key).flow;
    for (size_t t = 0; t < l->periods; t++) {
        double want = 0;
        for (size_t i = 0; i < n; i++)
            if (at[i].period == t) want = at[i].amount;
        cr_assert_float_eq(x[t], want, 1e-6, "%s/%s, period %zu: %.10g, by hand %.10g", group, key,
                           t, x[t], want);
    }
}
#define LINE(l, group, key, ...)                                                                   \
    do {                                                                                           \
        const amount_at at_[] = {__VA_ARGS__};                                                     \
        assert_line(l, group, key, at_, sizeof at_ / sizeof at_[0]);                               \
    } while (0)

static double metric(const future *f, const char *group, const char *key) {
    return must_metric_value(f->e, f->v, group, key);
}

/* ------------------------------------------------------- a payer per rule */

/* Two outcomes counted with no counterfactual, two payers. Job: 30% + 20
 * points = 50 of each cohort of 100 in work, measured 0.5 years after
 * entry; health: 20% + 10 points = 30 of 100, measured after 1 year. The
 * cohorts enter at 0 and 1 (all at once). */
#define PAYERS_SCENARIO                                                                            \
    "{ 'name': 'payers per rule', 'currency': 'GBP',\n"                                            \
    "  'stages': [ { 'name': 'delivery', 'duration': 2,\n"                                         \
    "      'cohorts': [ { 'name': 'c1', 'size': 100 }, { 'name': 'c2', 'size': 100, 'entry': 1 } " \
    "] } ],\n"                                                                                     \
    "  'outcomes': [\n"                                                                            \
    "    { 'name': 'job', 'kind': 'rate', 'direction': 'higher_is_better', 'baseline': 0.3,\n"     \
    "      'effect': { 'scale': 'absolute', 'prior': 0.2 },\n"                                     \
    "      'evaluation': { 'design': 'validated_count' }, 'observation_lag': 0.5 },\n"             \
    "    { 'name': 'health', 'kind': 'rate', 'direction': 'higher_is_better', 'baseline': 0.2,\n"  \
    "      'effect': { 'scale': 'absolute', 'prior': 0.1 },\n"                                     \
    "      'evaluation': { 'design': 'validated_count' }, 'observation_lag': 1 } ],\n"             \
    "  'contract': {\n"                                                                            \
    "    'payers': [ { 'name': 'DCMS', 'share': 0.5 }, { 'name': 'council', 'share': 0.5, 'cap': " \
    "9000 } ],\n"                                                                                  \
    "    'payments': [\n"                                                                          \
    "      { 'name': 'jobs', 'outcome': 'job', 'type': 'per_outcome', 'price': 100,\n"             \
    "        'payers': [ { 'payer': 'DCMS', 'share': 0.6 }, { 'payer': 'council', 'share': 0.4 } " \
    "] },\n"                                                                                       \
    "      { 'name': 'health', 'outcome': 'health', 'type': 'per_outcome', 'price': 200,\n"        \
    "        'payers': [ { 'payer': 'council', 'share': 1 } ] },\n"                                \
    "      { 'name': 'bonus', 'outcome': 'job', 'type': 'fixed', 'amount': 1000, 'trigger': 0,\n"  \
    "        'scope': 'programme' } ] },\n"                                                        \
    "  'financing': [ { 'name': 'grant', 'type': 'grant' } ] }\n"

Test(contract_terms, each_rule_is_split_by_its_own_payers_and_every_cap_applies_across_rules) {
    future f = expected_case(must_load_quoted(PAYERS_SCENARIO));
    const contract *k = &f.sc->contract;
    cr_assert(k->has_shares);
    cr_assert_float_eq(k->rules[0].payer_share[0], 0.6, 0);
    cr_assert_float_eq(k->rules[0].payer_share[1], 0.4, 0);
    cr_assert_float_eq(k->rules[1].payer_share[0], 0, 0);
    cr_assert_float_eq(k->rules[1].payer_share[1], 1, 0);
    cr_assert_null(k->rules[2].payer_share, "no payers of its own: the contract's shares");
    /* Settled in date order (then by rule):
     *   t = 0.5 (period 2)  jobs c1: 50 x 100 = 5,000: DCMS 0.6 = 3,000, council 0.4 = 2,000;
     *   t = 1.0 (period 4)  health c1: 30 x 200 = 6,000, all council: 8,000 so far;
     *   t = 1.5 (period 6)  jobs c2: 5,000: DCMS 3,000, council min(2,000, 9,000 - 8,000)
     *                       = 1,000 (its cap), paid 4,000;
     *                       bonus (programme, the last job measurement, 1.5): 1,000 at the
     *                       contract's shares: DCMS 500, council min(500, 0) = 0: paid 500;
     *   t = 2.0 (period 8)  health c2: 6,000, all council, which is at its cap: 0.
     * DCMS 3,000 + 3,000 + 500 = 6,500; council 2,000 + 6,000 + 1,000 = 9,000 (its cap);
     * rules: jobs 9,000, health 6,000, bonus 500; 15,500 in all. */
    LINE(f.l, "contract", "payer.DCMS", {2, 3000}, {6, 3500});
    LINE(f.l, "contract", "payer.council", {2, 2000}, {4, 6000}, {6, 1000});
    LINE(f.l, "contract", "payment.jobs", {2, 5000}, {6, 4000});
    LINE(f.l, "contract", "payment.health", {4, 6000});
    LINE(f.l, "contract", "payment.bonus", {6, 500});
    LINE(f.l, "contract", "payments.total", {2, 5000}, {4, 6000}, {6, 4500});
    cr_assert_float_eq(metric(&f, "commissioner", "payments.payer.DCMS"), 6500, 1e-6);
    cr_assert_float_eq(metric(&f, "commissioner", "payments.payer.council"), 9000, 1e-6);
    cr_assert_float_eq(metric(&f, "commissioner", "payments.total"), 15500, 1e-6);
    future_free(&f);
}

Test(contract_terms, payers_without_shares_leave_the_split_to_each_rule) {
    /* No contract shares: every rule names its payers. DCMS pays the jobs,
     * the council the health outcome and the bonus, with no cap now:
     * DCMS 5,000 at 0.5 and 1.5; the council 6,000 at 1.0 and 2.0 and the
     * 1,000 bonus at 1.5. */
    const char *text =
        text_edit(PAYERS_SCENARIO,
                  "{ 'name': 'DCMS', 'share': 0.5 }, { 'name': 'council', 'share': 0.5, "
                  "'cap': 9000 }",
                  "{ 'name': 'DCMS' }, { 'name': 'council' }");
    text =
        text_edit(text, "{ 'payer': 'DCMS', 'share': 0.6 }, { 'payer': 'council', 'share': 0.4 }",
                  "{ 'payer': 'DCMS', 'share': 1 }");
    text = text_edit(text, "'scope': 'programme' }",
                     "'scope': 'programme', 'payers': [ { 'payer': 'council', 'share': 1 } ] }");
    future f = expected_case(must_load_quoted(text));
    cr_assert(!f.sc->contract.has_shares);
    cr_assert_float_eq(f.sc->contract.payers[0].share, 0, 0);
    LINE(f.l, "contract", "payer.DCMS", {2, 5000}, {6, 5000});
    LINE(f.l, "contract", "payer.council", {4, 6000}, {6, 1000}, {8, 6000});
    future_free(&f);
}

/* ------------------------------------------------------------ suspensions */

/* Four cohorts of 100 entering at 0, 1, 2 and 3, each with 50 in work (30%
 * + 20 points) measured a year later, at 1, 2, 3 and 4. "jobs" pays 50 x
 * 100 = 5,000 a cohort 0.25 years after; "sustained" pays 50 x 20 = 1,000
 * at the measurement and again 0.5 years later. The contract caps all
 * payments at 20,000; the payers share 80/20. */
#define SUSPENSIONS_SCENARIO                                                                       \
    "{ 'name': 'suspensions', 'currency': 'GBP',\n"                                                \
    "  'stages': [ { 'name': 'delivery', 'duration': 4,\n"                                         \
    "      'cohorts': [ { 'name': 'c1', 'size': 100 }, { 'name': 'c2', 'size': 100, 'entry': 1 "   \
    "},\n"                                                                                         \
    "                   { 'name': 'c3', 'size': 100, 'entry': 2 }, { 'name': 'c4', 'size': 100, "  \
    "'entry': 3 } ] } ],\n"                                                                        \
    "  'outcomes': [ { 'name': 'job', 'kind': 'rate', 'direction': 'higher_is_better', "           \
    "'baseline': 0.3,\n"                                                                           \
    "      'effect': { 'scale': 'absolute', 'prior': 0.2 },\n"                                     \
    "      'evaluation': { 'design': 'validated_count' }, 'observation_lag': 1 } ],\n"             \
    "  'contract': { 'cap': 20000,\n"                                                              \
    "    'payers': [ { 'name': 'ministry', 'share': 0.8 }, { 'name': 'fund', 'share': 0.2 } ],\n"  \
    "    'payments': [\n"                                                                          \
    "      { 'name': 'jobs', 'outcome': 'job', 'type': 'per_outcome', 'price': 100, 'lag': 0.25 "  \
    "},\n"                                                                                         \
    "      { 'name': 'sustained', 'outcome': 'job', 'type': 'per_outcome', 'price': 20,\n"         \
    "        'installments': 2, 'interval': 0.5 } ],\n"                                            \
    "    'suspensions': [\n"                                                                       \
    "      { 'from': 2, 'to': 2.5, 'kind': 'holiday' },\n"                                         \
    "      { 'from': 3, 'to': 3.5, 'kind': 'fixed', 'amount_per_year': 4000, 'payer': 'fund' },\n" \
    "      { 'from': 4, 'to': 4.25, 'kind': 'holiday', 'payments': 'cancelled' } ] },\n"           \
    "  'financing': [ { 'name': 'grant', 'type': 'grant' } ] }\n"

/* The assessments each cohort's result enters, after the suspensions,
 * by the dates in the comment of the test below: every one, those
 * cancelled or replaced too (dated when they fall due, and which
 * suspension drops them), a deferred one at the holiday's end. A backtest
 * accounts for each: c3's "sustained" installment 0 (due 3.0) and "jobs"
 * (3.25) are replaced by the fixed window [3, 3.5), suspension 1; c4's
 * "sustained" installment 0 (4.0) is cancelled by the holiday [4, 4.25),
 * suspension 2. */
Test(contract_terms, a_results_assessments_include_those_cancelled_and_date_the_deferred) {
    scenario *sc = must_load_quoted(SUSPENSIONS_SCENARIO);
    contract_plan *plan = contract_plan_new(sc);
    cr_assert_not_null(plan);
    size_t idx[8];
    const double want[4][3] = {
        {1.0, 1.25, 1.5}, {2.5, 2.5, 2.5}, {3.0, 3.25, 3.5}, {4.0, 4.25, 4.5}};
    const double due[4][3] = {
        {1.0, 1.25, 1.5}, {2.0, 2.25, 2.5}, {3.0, 3.25, 3.5}, {4.0, 4.25, 4.5}};
    const size_t none = SIZE_MAX,
                 by[4][3] = {{none, none, none}, {none, none, none}, {1, 1, none}, {2, none, none}};
    for (size_t c = 0; c < 4; c++) {
        size_t n = contract_assessments_of(sc, plan, c, 0, 0, idx, 8);
        cr_assert_eq(n, 3, "cohort %zu: %zu", c + 1, n);
        for (size_t i = 0; i < n; i++) {
            const pay_event *ev = &plan->events[idx[i]];
            cr_assert_float_eq(ev->time, want[c][i], 1e-12, "c%zu %zu", c + 1, i);
            cr_assert_float_eq(ev->due, due[c][i], 1e-12, "c%zu %zu", c + 1, i);
            cr_assert_eq(ev->cancelled, by[c][i] != none, "c%zu %zu", c + 1, i);
            cr_assert_eq(contract_cancelled_by(&sc->contract, ev->due, ev->measured), by[c][i],
                         "c%zu %zu", c + 1, i);
        }
    }
    contract_plan_free(plan);
    scenario_free(sc);
}

/* A payment deferred to a holiday's end that falls in the next window is
 * subject to it: two holidays back to back, [2, 2.5) and [2.5, 3), pay
 * what falls due in either at 3 (an extended holiday); a cancelling
 * holiday from 2.5 cancels what the first deferred to 2.5; a fixed window
 * from 2.5 replaces it. The deferred payment was paid at 2.5, in the
 * second window. */
#define TWO_WINDOWS(second)                                                                        \
    text_edit(SUSPENSIONS_SCENARIO,                                                                \
              "{ 'from': 3, 'to': 3.5, 'kind': 'fixed', 'amount_per_year': 4000, 'payer': 'fund' " \
              "},\n      { 'from': 4, 'to': 4.25, 'kind': 'holiday', 'payments': 'cancelled' } ]",   \
              "{ 'from': 2.5, 'to': 3, " second " } ]")

Test(contract_terms, a_deferred_payment_falls_under_the_window_after_its_holiday) {
    scenario *sc = must_load_quoted(TWO_WINDOWS("'kind': 'holiday'"));
    const contract *k = &sc->contract;
    cr_assert_eq(k->n_suspensions, 2);
    /* due 2 and 2.25 (the first holiday), 2.5 (the second): all paid at 3 */
    cr_assert_float_eq(contract_paid_date(k, 2.0, 1.0), 3.0, 0);
    cr_assert_float_eq(contract_paid_date(k, 2.25, 2.0), 3.0, 0);
    cr_assert_float_eq(contract_paid_date(k, 2.5, 2.0), 3.0, 0);
    cr_assert_float_eq(contract_paid_date(k, 1.5, 1.0), 1.5, 0);
    cr_assert_float_eq(contract_paid_date(k, 3.0, 2.0), 3.0, 0);
    scenario_free(sc);

    sc = must_load_quoted(TWO_WINDOWS("'kind': 'holiday', 'payments': 'cancelled'"));
    k = &sc->contract;
    cr_assert_eq(contract_paid_date(k, 2.0, 1.0), HUGE_VAL);
    cr_assert_eq(contract_cancelled_by(k, 2.0, 1.0), 1);
    cr_assert_eq(contract_cancelled_by(k, 2.5, 2.0), 1);
    cr_assert_eq(contract_cancelled_by(k, 1.5, 1.0), SIZE_MAX);
    scenario_free(sc);

    sc = must_load_quoted(TWO_WINDOWS("'kind': 'fixed', 'amount_per_year': 4000"));
    k = &sc->contract;
    cr_assert_eq(contract_paid_date(k, 2.25, 2.0), HUGE_VAL);
    cr_assert_eq(contract_cancelled_by(k, 2.25, 2.0), 1);
    scenario_free(sc);
}

Test(contract_terms, a_holiday_defers_a_fixed_window_replaces_and_a_cancelled_holiday_drops) {
    future f = expected_case(must_load_quoted(SUSPENSIONS_SCENARIO));
    const contract *k = &f.sc->contract;
    cr_assert_eq(k->n_suspensions, 3);
    cr_assert(!k->suspensions[0].cancel && k->suspensions[2].cancel);
    cr_assert_eq(k->suspensions[1].kind, SUSPEND_FIXED);
    cr_assert(!k->suspensions[1].on_measurements);
    /* Due dates and what the windows do to them:
     *   c1: sustained 1.0, 1.5; jobs 1.25                    paid as due
     *   c2: sustained 2.0 (holiday [2, 2.5): deferred to 2.5), 2.5 (not in it: 2.5 is
     *       the window's end); jobs 2.25 (deferred to 2.5)
     *   c3: sustained 3.0 (fixed [3, 3.5): replaced), 3.5 (paid); jobs 3.25 (replaced)
     *   c4: sustained 4.0 (cancelling holiday [4, 4.25): dropped), 4.5; jobs 4.25
     * and the fixed window pays 4,000 a year x 0.25 = 1,000 in each of periods 12 and
     * 13, all by the fund. Settled in date order against the 20,000 cap:
     *   p4 1,000 + p5 5,000 + p6 1,000 + p10 (1,000 + 5,000 + 1,000) + p12 1,000
     *   + p13 1,000 + p14 1,000 = 17,000; p17 jobs c4: min(5,000, 3,000) = 3,000;
     *   p18 sustained c4: 0 (the cap is reached).
     * Payers: rules at 80/20, fixed windows to the fund:
     *   ministry p4 800, p5 4,000, p6 800, p10 5,600, p14 800, p17 2,400 = 14,400
     *   fund     p4 200, p5 1,000, p6 200, p10 1,400, p12 1,000, p13 1,000, p14 200,
     *            p17 600 = 5,600 */
    LINE(f.l, "contract", "payment.jobs", {5, 5000}, {10, 5000}, {17, 3000});
    LINE(f.l, "contract", "payment.sustained", {4, 1000}, {6, 1000}, {10, 2000}, {14, 1000});
    LINE(f.l, "contract", "suspension.fixed", {12, 1000}, {13, 1000});
    LINE(f.l, "contract", "payer.ministry", {4, 800}, {5, 4000}, {6, 800}, {10, 5600}, {14, 800},
         {17, 2400});
    LINE(f.l, "contract", "payer.fund", {4, 200}, {5, 1000}, {6, 200}, {10, 1400}, {12, 1000},
         {13, 1000}, {14, 200}, {17, 600});
    LINE(f.l, "contract", "payments.total", {4, 1000}, {5, 5000}, {6, 1000}, {10, 7000}, {12, 1000},
         {13, 1000}, {14, 1000}, {17, 3000});
    cr_assert_float_eq(metric(&f, "commissioner", "payments.total"), 20000, 1e-6);
    cr_assert_float_eq(metric(&f, "commissioner", "payments.rule.jobs"), 13000, 1e-6);
    cr_assert_float_eq(metric(&f, "commissioner", "payments.rule.sustained"), 5000, 1e-6);
    /* The grant's commissioner pays no outcome payments, the ledger's
     * outcome payments are the contract's: 20,000 with the fixed ones. */
    future_free(&f);
}

Test(contract_terms, the_plan_dates_deferred_payments_at_the_end_of_their_holiday) {
    scenario *sc = must_load_quoted(SUSPENSIONS_SCENARIO);
    contract_plan *plan = contract_plan_new(sc);
    cr_assert_not_null(plan);
    /* 4 jobs + 8 sustained assessments; settled in the order (paid, due, rule). */
    cr_assert_eq(plan->n_events, 12);
    const double paid[12] = {1.0, 1.25, 1.5, 2.5, 2.5, 2.5, 3.0, 3.25, 3.5, 4.0, 4.25, 4.5};
    const double due[12] = {1.0, 1.25, 1.5, 2.0, 2.25, 2.5, 3.0, 3.25, 3.5, 4.0, 4.25, 4.5};
    const int gone[12] = {0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0};
    for (size_t i = 0; i < 12; i++) {
        cr_assert_float_eq(plan->events[i].time, paid[i], 1e-12, "event %zu", i);
        cr_assert_float_eq(plan->events[i].due, due[i], 1e-12, "event %zu", i);
        cr_assert_eq(plan->events[i].cancelled, gone[i], "event %zu", i);
    }
    /* The fixed window [3, 3.5): periods 12 and 13, a quarter each. */
    cr_assert_eq(plan->n_fixed, 2);
    cr_assert_eq(plan->fixed[0].period, 12);
    cr_assert_float_eq(plan->fixed[0].from, 3.0, 0);
    cr_assert_float_eq(plan->fixed[0].to, 3.25, 0);
    cr_assert_eq(plan->fixed[1].period, 13);
    cr_assert_float_eq(plan->fixed[1].to, 3.5, 0);
    contract_plan_free(plan);
    scenario_free(sc);
}

Test(contract_terms, contract_paid_date_by_hand) {
    /* A deferring holiday [2, 2.5), a fixed window [3, 3.5) replacing the
     * measurements made in it, a cancelling holiday [4, 4.25). */
    scenario *sc = must_load_quoted(
        "{ 'name': 'dates', 'currency': 'GBP',\n"
        "  'stages': [ { 'name': 's', 'duration': 1, 'cohorts': [ { 'size': 10 } ] } ],\n"
        "  'outcomes': [ { 'name': 'o', 'kind': 'rate', 'direction': 'higher_is_better', "
        "'baseline': 0.3,\n"
        "      'effect': { 'prior': 0.1 }, 'evaluation': { 'design': 'validated_count' } } ],\n"
        "  'contract': { 'payments': [ { 'outcome': 'o', 'type': 'per_outcome', 'price': 1 } ],\n"
        "    'suspensions': [ { 'from': 2, 'to': 2.5, 'kind': 'holiday' },\n"
        "      { 'from': 3, 'to': 3.5, 'kind': 'fixed', 'amount_per_year': 1, 'replaces': "
        "'measurements' },\n"
        "      { 'from': 4, 'to': 4.25, 'kind': 'holiday', 'payments': 'cancelled' } ] } }\n");
    const contract *k = &sc->contract;
    cr_assert_float_eq(contract_paid_date(k, 1.99, 1.0), 1.99, 0, "before every window");
    cr_assert_float_eq(contract_paid_date(k, 2.0, 1.0), 2.5, 0, "deferred from the window's start");
    cr_assert_float_eq(contract_paid_date(k, 2.25, 2.0), 2.5, 0, "deferred");
    cr_assert_float_eq(contract_paid_date(k, 2.5, 2.0), 2.5, 0, "the window's end is not in it");
    cr_assert(contract_paid_date(k, 3.9, 3.2) == HUGE_VAL, "measured in the fixed window");
    cr_assert_float_eq(contract_paid_date(k, 3.2, 2.9), 3.2, 0,
                       "due in the fixed window, measured before: it replaces measurements");
    cr_assert(contract_paid_date(k, 4.1, 2.9) == HUGE_VAL, "a cancelling holiday");
    cr_assert_float_eq(contract_paid_date(k, 4.25, 2.9), 4.25, 0, "after the holiday");
    /* Which suspension drops each one that is not paid: the fixed window
     * (1) and the cancelling holiday (2); none for one paid, deferred or
     * not. */
    cr_assert_eq(contract_cancelled_by(k, 1.99, 1.0), SIZE_MAX, "before every window");
    cr_assert_eq(contract_cancelled_by(k, 2.25, 2.0), SIZE_MAX, "deferred, not cancelled");
    cr_assert_eq(contract_cancelled_by(k, 3.9, 3.2), 1, "measured in the fixed window");
    cr_assert_eq(contract_cancelled_by(k, 3.2, 2.9), SIZE_MAX, "due in it, measured before");
    cr_assert_eq(contract_cancelled_by(k, 4.1, 2.9), 2, "the cancelling holiday");
    cr_assert_eq(contract_cancelled_by(k, 4.25, 2.9), SIZE_MAX, "after the holiday");
    scenario_free(sc);
}

Test(contract_terms, a_deferred_payment_is_the_amount_due_at_its_own_date) {
    /* A band returning its principal of 1,000 at 10% a year, assessed on
     * the cohort measured at 1 + 1 = 2 and due at 2.25, deferred by the
     * holiday [2, 2.5) to 2.5: it pays 1,000 x 1.1^2.25, the amount due at
     * 2.25 (exp(2.25 ln 1.1) = exp(0.2144479) = 1.2391776), not 1.1^2.5 =
     * 1.2690587: a holiday adds no interest. */
    scenario *sc = must_load_quoted(
        "{ 'name': 'deferred band', 'currency': 'GBP',\n"
        "  'stages': [ { 'name': 's', 'duration': 1, 'cohorts': [ { 'size': 100, 'entry': 1 } ] } "
        "],\n"
        "  'outcomes': [ { 'name': 'o', 'kind': 'rate', 'direction': 'higher_is_better', "
        "'baseline': 0.3,\n"
        "      'effect': { 'scale': 'absolute', 'prior': 0.1 }, 'evaluation': { 'design': "
        "'validated_count' },\n"
        "      'observation_lag': 1 } ],\n"
        "  'contract': { 'payments': [ { 'outcome': 'o', 'type': 'tiered', 'scope': 'programme',\n"
        "      'principal': 1000, 'lag': 0.25, 'bands': [ { 'from': 0, 'return': 0.1 } ] } ],\n"
        "    'suspensions': [ { 'from': 2, 'to': 2.5, 'kind': 'holiday' } ] } }\n");
    contract_plan *plan = contract_plan_new(sc);
    cr_assert_eq(plan->n_events, 1);
    cr_assert_float_eq(plan->events[0].due, 2.25, 1e-12);
    cr_assert_float_eq(plan->events[0].time, 2.5, 0);
    cr_assert_eq(plan->events[0].period, 10);
    cohort_obs obs[1] = {{100, 40, 0, 0}}; /* 40 of 100 achieved */
    double pay[1], paid_by[1], scratch[64];
    cr_assert(contract_scratch_size(sc) <= 64);
    contract_settle(sc, plan, obs, HUGE_VAL, pay, paid_by, NULL, scratch);
    cr_assert_float_eq(pay[0], 1239.1775637921791, 1e-9, "%.10f", pay[0]);
    contract_plan_free(plan);
    scenario_free(sc);
}

/* ------------------------------------------------------------ termination */

/* Three cohorts of 100 enrolling over [0, 1), [1, 2) and [2, 3), measured
 * 0.5 years after their enrolment ends (1.5, 2.5, 3.5) against 100 controls
 * with a 50% reoffending rate, paid 1,000 per reoffender avoided 0.25 years
 * later. Delivery costs 120,000 a year, 30,000 a quarter. The true fall is
 * 4%: treated 0.5 x 0.96 = 0.48, so 2 reoffenders avoided a cohort. The
 * commissioner may end the programme at 2 years if the fall measured by
 * then is below 5%. */
#define TERMINATION_SCENARIO                                                                       \
    "{ 'name': 'termination', 'currency': 'GBP',\n"                                                \
    "  'stages': [ { 'name': 'delivery', 'duration': 3, 'costs': { 'fixed_per_year': 120000 },\n"  \
    "      'cohorts': [ { 'name': 'c1', 'size': 100, 'enrolment': 1 },\n"                          \
    "                   { 'name': 'c2', 'size': 100, 'entry': 1, 'enrolment': 1 },\n"              \
    "                   { 'name': 'c3', 'size': 100, 'entry': 2, 'enrolment': 1 } ] } ],\n"        \
    "  'outcomes': [ { 'name': 'reoffending', 'kind': 'rate', 'direction': 'lower_is_better',\n"   \
    "      'baseline': 0.5, 'effect': { 'prior': 0.04 },\n"                                        \
    "      'evaluation': { 'design': 'rct', 'comparison_size': 100 }, 'observation_lag': 0.5 } "   \
    "],\n"                                                                                         \
    "  'contract': {\n"                                                                            \
    "    'payments': [ { 'name': 'per reoffender', 'outcome': 'reoffending', 'type': "             \
    "'per_unit',\n"                                                                                \
    "                    'price': 1000, 'lag': 0.25 } ],\n"                                        \
    "    'termination': { 'at': [2], 'if': { 'outcome': 'reoffending', 'measured_below': 0.05 "    \
    "},\n"                                                                                         \
    "                     'pays': 'principal_outstanding' } },\n"                                  \
    "  'financing': [ { 'name': 'SIB', 'type': 'sib',\n"                                           \
    "                   'tranches': [ { 'name': 'investors', 'commitment': 1000000, 'coupon': "    \
    "0.08 } ] },\n"                                                                                \
    "                 { 'name': 'PbR', 'type': 'pbr' }, { 'name': 'grant', 'type': 'grant' } ] "   \
    "}\n"

Test(contract_terms, a_termination_stops_delivery_and_later_measurements_and_pays_the_principal) {
    future f = expected_case(must_load_quoted(TERMINATION_SCENARIO));
    const termination *tm = &f.sc->contract.termination;
    cr_assert(tm->present && tm->has_rule);
    cr_assert_eq(tm->n_at, 1);
    cr_assert_eq(tm->over_stage, SIZE_MAX);
    cr_assert_float_eq(tm->probability, 1, 0);
    cr_assert_eq(tm->pays, TERM_PAYS_PRINCIPAL);
    cr_assert_float_eq(tm->amount, 1, 0);
    /* At 2 years the fall measured by then is cohort 1's (measured at 1.5):
     * (0.50 - 0.48) / 0.50 = 4% < 5%: terminated. Delivery stops: 30,000 in
     * each of periods 0-7 (240,000); cohort 2 finished enrolling at 2.0
     * (100 people), cohort 3 never starts (0): 200 participants. */
    cr_assert_float_eq(metric(&f, "programme", "terminated"), 1, 0);
    LINE(f.l, "programme", "cost.total", {0, 30000}, {1, 30000}, {2, 30000}, {3, 30000}, {4, 30000},
         {5, 30000}, {6, 30000}, {7, 30000});
    cr_assert_float_eq(metric(&f, "programme", "participants"), 200, 0);
    /* Only cohort 1 is measured by then: 100 x (0.50 - 0.48) = 2 reoffenders
     * avoided, 2,000 at 1.75 (period 7). Cohort 2 (measured at 2.5) is not
     * measured, nor paid. The termination payment is not an outcome
     * payment: the contract's total is 2,000. */
    LINE(f.l, "contract", "payment.per reoffender", {7, 2000});
    cr_assert_float_eq(metric(&f, "commissioner", "payments.total"), 2000, 1e-9);
    cr_assert_float_eq(metric(&f, "programme", "outcomes.measured.reoffending"), 2, 1e-9);
    /* The SIB: 240,000 drawn in periods 0-7; the 2,000 of period 7 repays
     * principal first; at the end of period 8 (the termination, t = 2)
     * 240,000 - 2,000 = 238,000 is outstanding, and the commissioner pays
     * it then, down the waterfall: all of it to the one tranche (owed its
     * principal and 8% a year, more than 238,000), all of it principal.
     * The investors get back exactly what they put in: a multiple of 1 and,
     * -30,000 x 7, -28,000, +238,000 adding up to 0, an IRR of 0. */
    LINE(f.l, "SIB", "commissioner.termination", {8, 238000});
    LINE(f.l, "SIB", "investors.principal", {7, 2000}, {8, 238000});
    LINE(f.l, "SIB", "investors.return", );
    cr_assert_float_eq(metric(&f, "SIB", "commissioner.total"), 240000, 1e-6);
    cr_assert_float_eq(metric(&f, "SIB", "investors.moic"), 1, 1e-12);
    cr_assert_float_eq(metric(&f, "SIB", "investors.irr"), 0, 1e-9);
    /* PbR: the provider fronted 240,000 and recovered 2,000: 238,000 owed. */
    LINE(f.l, "PbR", "commissioner.termination", {8, 238000});
    LINE(f.l, "PbR", "provider.net", {0, -30000}, {1, -30000}, {2, -30000}, {3, -30000},
         {4, -30000}, {5, -30000}, {6, -30000}, {7, -28000}, {8, 238000});
    /* A grant paid the costs as they fell due: nothing is owed. */
    LINE(f.l, "grant", "commissioner.termination", );
    cr_assert_float_eq(metric(&f, "grant", "commissioner.total"), 240000, 1e-6);
    future_free(&f);
}

Test(contract_terms, a_termination_pays_a_sum_or_nothing_and_a_kept_programme_runs_on) {
    /* A sum: 50,000 at period 8 to the SIB (down its waterfall: principal)
     * and to the PbR provider, none under the grant. */
    future f = expected_case(must_load_quoted(text_edit(
        TERMINATION_SCENARIO, "'pays': 'principal_outstanding'", "'pays': { 'amount': 50000 }")));
    LINE(f.l, "SIB", "commissioner.termination", {8, 50000});
    LINE(f.l, "SIB", "investors.principal", {7, 2000}, {8, 50000});
    LINE(f.l, "PbR", "commissioner.termination", {8, 50000});
    LINE(f.l, "grant", "commissioner.termination", );
    cr_assert_float_eq(metric(&f, "SIB", "commissioner.total"), 52000, 1e-6);
    future_free(&f);
    /* Nothing: the investors keep the 2,000 and lose 238,000. */
    f = expected_case(must_load_quoted(
        text_edit(TERMINATION_SCENARIO, "'pays': 'principal_outstanding'", "'pays': 'nothing'")));
    LINE(f.l, "SIB", "commissioner.termination", );
    cr_assert_float_eq(metric(&f, "SIB", "investors.loss"), 238000, 1e-6);
    future_free(&f);
    /* A true fall of 10% measures 10% >= 5%: no termination. Three cohorts
     * of 100, 5 reoffenders avoided each: 5,000 at 1.75, 2.75 and 3.75
     * (periods 7, 11, 15); 360,000 of costs over periods 0-11. */
    f = expected_case(
        must_load_quoted(text_edit(TERMINATION_SCENARIO, "'prior': 0.04", "'prior': 0.1")));
    cr_assert_float_eq(metric(&f, "programme", "terminated"), 0, 0);
    LINE(f.l, "contract", "payment.per reoffender", {7, 5000}, {11, 5000}, {15, 5000});
    cr_assert_float_eq(metric(&f, "programme", "cost.delivery"), 360000, 1e-6);
    LINE(f.l, "SIB", "commissioner.termination", );
    future_free(&f);
}

Test(contract_terms, a_share_of_the_principal_and_a_termination_over_one_stage) {
    /* Two thirds of the principal outstanding: 2/3 x 238,000 = 158,666.67;
     * the rule over stage "delivery" pools the same cohort. */
    future f = expected_case(must_load_quoted(text_edit(
        text_edit(TERMINATION_SCENARIO, "'pays': 'principal_outstanding'",
                  "'pays': { 'principal_outstanding': 0.6666666666666666 }"),
        "'measured_below': 0.05 }", "'measured_below': 0.05, 'over': 'stage delivery' }")));
    cr_assert_eq(f.sc->contract.termination.over_stage, 0);
    LINE(f.l, "SIB", "commissioner.termination", {8, 238000 * 0.6666666666666666});
    LINE(f.l, "PbR", "commissioner.termination", {8, 238000 * 0.6666666666666666});
    future_free(&f);
}

Test(contract_terms, a_fixed_window_stops_paying_at_a_termination) {
    /* A fixed window [1.5, 2.5) of 8,000 a year: 2,000 a quarter in periods
     * 6 and 7, in place of cohort 1's 2,000 due at 1.75, which it replaces
     * (the measurement at 1.5, 4% < 5%, still decides the termination). The
     * termination at 2 ends the window, so periods 8 and 9 pay nothing. The
     * SIB has then drawn 240,000 and been repaid 2,000 + 2,000: 236,000 is
     * owed at period 8. */
    future f = expected_case(must_load_quoted(
        text_edit(TERMINATION_SCENARIO, "'pays': 'principal_outstanding' }",
                  "'pays': 'principal_outstanding' },\n"
                  "    'suspensions': [ { 'from': 1.5, 'to': 2.5, 'kind': 'fixed', "
                  "'amount_per_year': 8000 } ]")));
    LINE(f.l, "contract", "suspension.fixed", {6, 2000}, {7, 2000});
    LINE(f.l, "contract", "payment.per reoffender", );
    LINE(f.l, "contract", "payments.total", {6, 2000}, {7, 2000});
    LINE(f.l, "SIB", "commissioner.termination", {8, 236000});
    LINE(f.l, "SIB", "investors.principal", {6, 2000}, {7, 2000}, {8, 236000});
    cr_assert_float_eq(metric(&f, "SIB", "commissioner.total"), 240000, 1e-6);
    future_free(&f);
}

Test(contract_terms, at_will_termination_happens_with_its_probability) {
    /* No rule: at 2 years the commissioner ends the programme with
     * probability 0.3. Over 20,000 futures the share terminated is within 4
     * standard errors (sqrt(0.3 x 0.7 / 20,000) = 0.0032) of 0.3. */
    scenario *sc = must_load_quoted(text_edit(
        TERMINATION_SCENARIO, "'if': { 'outcome': 'reoffending', 'measured_below': 0.05 },",
        "'probability': 0.3,"));
    cr_assert(!sc->contract.termination.has_rule);
    engine *e = must_engine(sc);
    must_run_on(e, 20000, 2);
    stats_summary t = summary_of(e, "programme", "terminated");
    cr_assert(fabs(t.mean - 0.3) < 4 * 0.0032, "P(terminated) %.4f", t.mean);
    /* Costs: 240,000 when terminated, 360,000 otherwise: the mean is
     * 360,000 - 120,000 x P(terminated), exactly, path by path. */
    stats_summary c = summary_of(e, "programme", "cost.delivery");
    cr_assert_float_eq(c.mean, 360000 - 120000 * t.mean, 1e-6);
    engine_free(e);
    scenario_free(sc);
}

/* A termination and an outcome measured every year (the terms of the
 * contract and of the outcomes together). One cohort of 100 enrolling over
 * [0, 1), its reoffending rate (0.3 without the programme, true fall 0.1
 * absolute: 0.2) measured against 100 controls at 1 + 1 = 2, 3 and 4 years;
 * 1,000 per reoffender avoided a year, 0.25 years after each measurement:
 * 100 x 0.1 = 10 avoided, 10,000 at 2.25, 3.25 and 4.25 (periods 9, 13, 17
 * on the quarterly grid). The commissioner terminates at 3.5 if the fall
 * measured by then is below 0.2: by 3.5 the measurements at 2 and 3 are
 * made, their pooled fall (6 + 6 - 4 - 4) / 200 = 0.1 < 0.2, so it ends
 * there. The measurements made by 3.5 are kept and paid (periods 9 and 13);
 * the one at 4 is dropped (nothing for period 17), and the measured
 * outcomes are the two kept: 20 reoffenders avoided. Pooled over the three
 * measurements, or over only the last, the rule would read the wrong
 * evidence; with a threshold of 0.05 the fall of 0.1 keeps the programme
 * and all three are paid. */
#define REPEATED_TERMINATION                                                                       \
    "{ 'name': 'repeated', 'currency': 'GBP',\n"                                                   \
    "  'stages': [ { 'name': 'delivery', 'duration': 1, 'costs': { 'fixed_per_year': 40000 },\n"   \
    "      'cohorts': [ { 'name': 'c1', 'size': 100, 'enrolment': 1 } ] } ],\n"                    \
    "  'outcomes': [ { 'name': 'reoffending', 'kind': 'rate', 'direction': 'lower_is_better',\n"   \
    "      'baseline': 0.3, 'effect': { 'scale': 'absolute', 'prior': 0.1 },\n"                    \
    "      'evaluation': { 'design': 'rct', 'comparison_size': 100 }, 'observation_lag': 1,\n"     \
    "      'measured': { 'times': 3, 'every': 1, 'correlation': 0.5 } } ],\n"                      \
    "  'contract': {\n"                                                                            \
    "    'payments': [ { 'name': 'per reoffender', 'outcome': 'reoffending', 'type': "             \
    "'per_unit',\n"                                                                                \
    "                    'price': 1000, 'lag': 0.25 } ],\n"                                        \
    "    'termination': { 'at': [3.5], 'if': { 'outcome': 'reoffending', 'measured_below': 0.2 "   \
    "},\n"                                                                                         \
    "                     'pays': 'nothing' } },\n"                                                \
    "  'financing': [ { 'name': 'grant', 'type': 'grant' } ] }\n"

Test(contract_terms, a_termination_keeps_the_measurements_made_by_its_date) {
    future f = expected_case(must_load_quoted(REPEATED_TERMINATION));
    cr_assert_float_eq(metric(&f, "programme", "terminated"), 1, 0);
    LINE(f.l, "contract", "payment.per reoffender", {9, 10000}, {13, 10000});
    cr_assert_float_eq(metric(&f, "commissioner", "payments.total"), 20000, 1e-6);
    cr_assert_float_eq(metric(&f, "programme", "outcomes.measured.reoffending"), 20, 1e-9);
    future_free(&f);
    f = expected_case(must_load_quoted(
        text_edit(REPEATED_TERMINATION, "'measured_below': 0.2", "'measured_below': 0.05")));
    cr_assert_float_eq(metric(&f, "programme", "terminated"), 0, 0);
    LINE(f.l, "contract", "payment.per reoffender", {9, 10000}, {13, 10000}, {17, 10000});
    future_free(&f);
}

/* ---------------------------------------------------- common random numbers */

/* The metric values of path k of sc's run. */
static double *path_values(const engine *e, uint64_t k) {
    double *v = calloc(engine_metric_count(e), sizeof *v);
    sib_error err;
    cr_assert_eq(engine_path_ledger(e, k, NULL, v, NULL, &err), SIB_OK, "%s", err.message);
    return v;
}

/* Every path of `with` that its termination did not end has, metric by
 * metric, exactly the values of the same path of `without`; returns how
 * many paths it ended, of n. */
static size_t same_unless_terminated(const scenario *with, const scenario *without, uint64_t n) {
    engine *a = must_engine(with), *b = must_engine(without);
    size_t ended = 0, ti = engine_find_metric(a, "programme", "terminated");
    cr_assert_neq(ti, (size_t)-1);
    for (uint64_t k = 0; k < n; k++) {
        double *va = path_values(a, k), *vb = path_values(b, k);
        if (va[ti] != 0) {
            ended++;
        } else {
            for (size_t i = 0; i < engine_metric_count(b); i++) {
                const metric_info *m = engine_metric(b, i);
                size_t j = engine_find_metric(a, m->group, m->key);
                cr_assert_neq(j, (size_t)-1, "%s/%s", m->group, m->key);
                cr_assert(memcmp(&va[j], &vb[i], sizeof(double)) == 0 ||
                              (isnan(va[j]) && isnan(vb[i])),
                          "path %llu, %s/%s: %.17g with the termination, %.17g without",
                          (unsigned long long)k, m->group, m->key, va[j], vb[i]);
            }
        }
        free(va);
        free(vb);
    }
    engine_free(a);
    engine_free(b);
    return ended;
}

#define NO_TERMINATION(text)                                                                       \
    text_edit(text,                                                                                \
              ",\n    'termination': { 'at': [2], 'if': { 'outcome': 'reoffending', "              \
              "'measured_below': 0.05 },\n                     'pays': 'principal_outstanding' }", \
              "")

Test(contract_terms, a_termination_shifts_no_draw_of_the_futures_it_does_not_end) {
    /* An uncertain effect, so that the rule holds in some futures only. */
    const char *text = text_edit(TERMINATION_SCENARIO, "'prior': 0.04",
                                 "'prior': { 'dist': 'normal', 'mean': 0.08, 'sd': 0.06 }");
    scenario *with = must_load_quoted(text), *without = must_load_quoted(NO_TERMINATION(text));
    cr_assert(!without->contract.termination.present);
    size_t ended = same_unless_terminated(with, without, 120);
    cr_assert(ended > 5 && ended < 115, "%zu of 120 ended", ended);
    scenario_free(with);
    scenario_free(without);
    /* At will, with its own stream: the same. */
    text = text_edit(TERMINATION_SCENARIO,
                     "'if': { 'outcome': 'reoffending', 'measured_below': 0.05 },",
                     "'probability': 0.4,");
    with = must_load_quoted(text);
    without = must_load_quoted(
        text_edit(TERMINATION_SCENARIO,
                  ",\n    'termination': { 'at': [2], 'if': { 'outcome': 'reoffending', "
                  "'measured_below': 0.05 },\n                     'pays': "
                  "'principal_outstanding' }",
                  ""));
    ended = same_unless_terminated(with, without, 120);
    cr_assert(ended > 20 && ended < 80, "%zu of 120 ended", ended);
    scenario_free(with);
    scenario_free(without);
}

Test(contract_terms, a_term_that_never_acts_leaves_every_result_as_it_was) {
    /* A termination that never happens (probability 0) and a holiday in
     * which nothing falls due change no statistic of any metric the two
     * runs share, to the bit. */
    const char *base = text_edit(TERMINATION_SCENARIO, "'prior': 0.04",
                                 "'prior': { 'dist': 'normal', 'mean': 0.08, 'sd': 0.06 }");
    const char *never =
        text_edit(base, "'pays': 'principal_outstanding' }",
                  "'pays': 'principal_outstanding', 'probability': 0 },\n"
                  "    'suspensions': [ { 'from': 0.25, 'to': 0.5, 'kind': 'holiday' } ]");
    scenario *a = must_load_quoted(never), *b = must_load_quoted(NO_TERMINATION(base));
    engine *ea = must_engine(a), *eb = must_engine(b);
    must_run_on(ea, 3000, 2);
    must_run_on(eb, 3000, 2);
    for (size_t i = 0; i < engine_metric_count(eb); i++) {
        const metric_info *m = engine_metric(eb, i);
        size_t j = engine_find_metric(ea, m->group, m->key);
        stats_summary x, y;
        engine_summary(ea, j, &x);
        engine_summary(eb, i, &y);
        double xs[] = {x.mean, x.sd, x.min, x.max, x.p05, x.p50, x.p95};
        double ys[] = {y.mean, y.sd, y.min, y.max, y.p05, y.p50, y.p95};
        for (size_t q = 0; q < sizeof xs / sizeof xs[0]; q++)
            cr_assert(memcmp(&xs[q], &ys[q], sizeof(double)) == 0 || (isnan(xs[q]) && isnan(ys[q])),
                      "%s/%s statistic %zu: %.17g, %.17g", m->group, m->key, q, xs[q], ys[q]);
    }
    engine_free(ea);
    engine_free(eb);
    scenario_free(a);
    scenario_free(b);
}

Test(contract_terms, results_with_every_term_do_not_depend_on_the_thread_count) {
    const char *text = text_edit(TERMINATION_SCENARIO, "'prior': 0.04",
                                 "'prior': { 'dist': 'normal', 'mean': 0.08, 'sd': 0.06 }");
    text = text_edit(text, "'pays': 'principal_outstanding' }",
                     "'pays': 'principal_outstanding', 'probability': 0.7 },\n"
                     "    'suspensions': [ { 'from': 1.5, 'to': 2, 'kind': 'holiday' },\n"
                     "      { 'from': 2.5, 'to': 3, 'kind': 'fixed', 'amount_per_year': 8000 } ]");
    scenario *sc = must_load_quoted(text);
    engine *one = must_engine(sc), *two = must_engine(sc);
    must_run_on(one, 5000, 1);
    must_run_on(two, 5000, 2);
    for (size_t i = 0; i < engine_metric_count(one); i++) {
        stats_summary x, y;
        engine_summary(one, i, &x);
        engine_summary(two, i, &y);
        cr_assert(memcmp(&x.mean, &y.mean, sizeof(double)) == 0 || (isnan(x.mean) && isnan(y.mean)),
                  "%s", engine_metric(one, i)->key);
        cr_assert(memcmp(&x.p50, &y.p50, sizeof(double)) == 0 || (isnan(x.p50) && isnan(y.p50)),
                  "%s", engine_metric(one, i)->key);
    }
    engine_free(one);
    engine_free(two);
    scenario_free(sc);
}

/* --------------------------------------------------------- bad terms */

/* Each file of tests/bad/ is a valid scenario with one bad term, refused
 * with the whole message `sibsim validate` prints. */
typedef struct bad_case {
    const char *file, *pointer, *message;
} bad_case;

static const bad_case bad_terms[] = {
    {"rule-payer-unknown.json", "/contract/payments/0/payers/0/payer",
     "expected the name of one of the contract's payers (\"DCMS\", \"council\"), found \"DMCS\""},
    {"rule-payer-twice.json", "/contract/payments/0/payers/1/payer",
     "duplicate payer \"DCMS\" in this rule (also /contract/payments/0/payers/0)"},
    {"rule-payer-shares-not-one.json", "/contract/payments/0/payers",
     "expected shares that sum to 1, found 0.9"},
    {"rule-payer-unknown-field.json", "/contract/payments/0/payers/0/name",
     "unknown field \"name\" (expected one of: payer, share)"},
    {"rule-without-payers-when-the-contract-has-no-shares.json", "/contract/payments/1/payers",
     "required field is missing (the contract's payers give no shares, so each payment rule "
     "names its own)"},
    {"payer-share-given-by-some.json", "/contract/payers/1/share",
     "required field is missing (/contract/payers/0 gives a share: give every payer one, or none "
     "when each payment rule names its own payers)"},
    {"suspension-bad-kind.json", "/contract/suspensions/0/kind",
     "expected one of \"holiday\", \"fixed\", found the string \"pause\""},
    {"suspension-ends-before-it-starts.json", "/contract/suspensions/0/to",
     "expected a number > from (3): the window is [from, to), found 2.5"},
    {"suspensions-overlap.json", "/contract/suspensions/1/from",
     "expected windows in order of time that do not overlap: this one starts at t = 3.25, before "
     "/contract/suspensions/0 ends (t = 3.5)"},
    {"holiday-with-an-amount.json", "/contract/suspensions/0/amount_per_year",
     "\"amount_per_year\" applies only to a suspension of kind \"fixed\" (a holiday pays nothing "
     "in its window: it defers or cancels)"},
    {"fixed-suspension-without-amount.json", "/contract/suspensions/0/amount_per_year",
     "required field is missing"},
    {"fixed-suspension-unknown-payer.json", "/contract/suspensions/0/payer",
     "expected the name of one of the contract's payers (\"commissioner\"), found \"DCMS\""},
    {"termination-dates-out-of-order.json", "/contract/termination/at/1",
     "expected dates in increasing order, after 3, found 2"},
    {"termination-over-unknown-stage.json", "/contract/termination/if/over",
     "expected \"cohorts measured by then\" or \"stage NAME\" with NAME one of \"pilot\", "
     "\"scale\", found the string \"stage scale-up\""},
    {"termination-before-any-result.json", "/contract/termination/if/outcome",
     "no cohort is measured on \"reconvictions\" by the last termination date (t = 0.5; the "
     "first is measured at t = 1): the rule could never hold"},
    {"termination-before-the-stage-results.json", "/contract/termination/if/over",
     "the rule needs \"reconvictions\" results of stage \"scale\", first measured at t = 3, but "
     "the last termination date is t = 2.5: it could never hold"},
    {"termination-pays-unknown.json", "/contract/termination/pays",
     "expected \"nothing\", \"principal_outstanding\", {\"amount\": SUM} or "
     "{\"principal_outstanding\": SHARE}, found the string \"principal\""},
    {"termination-pays-two-things.json", "/contract/termination/pays",
     "expected exactly one of \"amount\" (a sum, paid on termination) or "
     "\"principal_outstanding\" (the share of the principal outstanding paid)"},
    {"termination-unknown-field.json", "/contract/termination/when",
     "unknown field \"when\" (expected one of: at, if, probability, pays)"},
    {"termination-probability-in-percent.json", "/contract/termination/probability",
     "expected a number in [0, 1], found 50: a rate or share is a fraction, did you mean 0.5 "
     "(50%)?"},
    {"termination-unknown-outcome.json", "/contract/termination/if/outcome",
     "expected the name of an outcome (\"reconvictions\"), found \"reconviction\""},
};

Test(contract_terms, every_bad_term_is_refused_at_its_pointer_with_what_was_expected) {
    for (size_t i = 0; i < sizeof bad_terms / sizeof bad_terms[0]; i++) {
        const bad_case *b = &bad_terms[i];
        sib_error err = load_bad(b->file);
        char whole[1200];
        snprintf(whole, sizeof whole, "tests/bad/%s: %s: %s", b->file, b->pointer, b->message);
        expect_invalid(&err, b->pointer, whole);
    }
}

/* --------------------------------------------------------------- bounds */

typedef struct bound {
    const char *pointer;
    double inside, outside;
    const char *message;
} bound;

Test(contract_terms, every_new_number_is_bounded) {
    /* The suspensions scenario with a termination: each number just inside
     * its range loads, just outside it is refused at its pointer. */
    const char *text = text_edit(
        SUSPENSIONS_SCENARIO, "'payments': 'cancelled' } ] },",
        "'payments': 'cancelled' } ],\n"
        "    'termination': { 'at': [1.5, 3], 'probability': 0.5,\n"
        "      'if': { 'outcome': 'job', 'measured_below': 0.2 }, 'pays': { 'amount': 100 } } },");
    const char *json = double_quoted(text);
    const bound cases[] = {
        {"/contract/suspensions/2/to", 500, 500.5, "expected a number in [0, 500], found 500.5"},
        {"/contract/suspensions/0/from", 0, -0.25, "expected a number in [0, 500], found -0.25"},
        {"/contract/suspensions/1/amount_per_year", 1e15, 1.01e15,
         "expected a number in [0, 1e+15], found 1.01e+15"},
        {"/contract/termination/at/1", 500, 500.5, "expected a number in [0, 500], found 500.5"},
        {"/contract/termination/if/measured_below", -1e9, -1.01e9,
         "expected a number in [-1e+09, 1e+09], found -1010000000"},
        {"/contract/termination/probability", 1, 1.01, "expected a number in [0, 1], found 1.01"},
        {"/contract/termination/pays/amount", 1e15, 1.01e15,
         "expected a number in [0, 1e+15], found 1.01e+15"},
        {"/contract/payers/0/share", 0.8, -0.1, "expected a number in [0, 1], found -0.1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sib_error err;
        scenario_override in = {cases[i].pointer, cases[i].inside};
        scenario *sc = scenario_load_string_with(json, "b.json", &in, 1, &err);
        cr_expect_not_null(sc, "%s = %g should load: %s: %s", cases[i].pointer, cases[i].inside,
                           err.pointer, err.message);
        scenario_free(sc);
        scenario_override out = {cases[i].pointer, cases[i].outside};
        sc = scenario_load_string_with(json, "b.json", &out, 1, &err);
        cr_expect_null(sc, "%s = %g loads", cases[i].pointer, cases[i].outside);
        scenario_free(sc);
        cr_expect_str_eq(err.pointer, cases[i].pointer);
        cr_expect_str_eq(err.message, cases[i].message, "%s", cases[i].pointer);
    }
}

/* ------------------------------------------------------------- warnings */

/* The warnings of sc (freed): exactly one, at pointer, containing phrase;
 * or none when pointer is NULL. */
static void expect_warning(scenario *sc, const char *pointer, const char *phrase) {
    sib_warning w[16];
    size_t n = scenario_warnings(sc, w, 16);
    if (pointer == NULL) {
        cr_assert_eq(n, 0, "%zu warnings, the first at %s: %s", n, n ? w[0].pointer : "",
                     n ? w[0].message : "");
    } else {
        cr_assert_eq(n, 1, "%zu warnings%s%s", n, n ? ", the first: " : "", n ? w[0].message : "");
        cr_assert_str_eq(w[0].pointer, pointer);
        cr_assert_not_null(strstr(w[0].message, phrase), "%s", w[0].message);
    }
    scenario_free(sc);
}

Test(contract_terms, the_scenarios_of_these_tests_warn_of_nothing) {
    expect_warning(must_load_quoted(PAYERS_SCENARIO), NULL, NULL);
    expect_warning(must_load_quoted(SUSPENSIONS_SCENARIO), NULL, NULL);
    expect_warning(must_load_quoted(TERMINATION_SCENARIO), NULL, NULL);
}

Test(contract_terms, a_payer_with_no_share_anywhere_pays_nothing) {
    /* The council's rule shares made 0 and its bonus share given to DCMS. */
    const char *text = text_edit(PAYERS_SCENARIO, "{ 'payer': 'council', 'share': 1 }",
                                 "{ 'payer': 'DCMS', 'share': 1 }");
    text =
        text_edit(text, "{ 'payer': 'DCMS', 'share': 0.6 }, { 'payer': 'council', 'share': 0.4 }",
                  "{ 'payer': 'DCMS', 'share': 1 }");
    text = text_edit(text, "{ 'name': 'DCMS', 'share': 0.5 }, { 'name': 'council', 'share': 0.5,",
                     "{ 'name': 'DCMS', 'share': 1 }, { 'name': 'council', 'share': 0,");
    expect_warning(must_load_quoted(text), "/contract/payers/1",
                   "payer \"council\" has no share in any payment rule (nor any fixed payment): it "
                   "never pays anything");
}

Test(contract_terms, a_holiday_in_which_nothing_falls_due) {
    /* Nothing falls due in [0.5, 0.75): the first payment is at 1.0. */
    expect_warning(must_load_quoted(text_edit(SUSPENSIONS_SCENARIO,
                                              "{ 'from': 2, 'to': 2.5, 'kind': 'holiday' }",
                                              "{ 'from': 0.5, 'to': 0.75, 'kind': 'holiday' }")),
                   "/contract/suspensions/0",
                   "no outcome payment falls due in this holiday's window [0.5, 0.75): it defers "
                   "nothing");
}

/* Nothing falls due in [2.4, 2.45), but the holiday [2, 2.4) before it
 * defers the payments due at 2 and 2.25 to 2.4, where the second holiday
 * defers them again, to 2.45: it does defer something, and is not warned
 * of (it was). */
Test(contract_terms, a_holiday_fed_by_the_holiday_before_it_is_not_empty) {
    const char *text = text_edit(SUSPENSIONS_SCENARIO, "{ 'from': 2, 'to': 2.5, 'kind': 'holiday' }",
                                 "{ 'from': 2, 'to': 2.4, 'kind': 'holiday' }, "
                                 "{ 'from': 2.4, 'to': 2.45, 'kind': 'holiday' }");
    scenario *sc = must_load_quoted(text);
    cr_assert_float_eq(contract_paid_date(&sc->contract, 2.0, 1.0), 2.45, 0);
    scenario_free(sc);
    expect_warning(must_load_quoted(text), NULL, NULL);
    /* Cancelling, the first hands nothing on: the second is empty. */
    expect_warning(must_load_quoted(text_edit(text, "{ 'from': 2, 'to': 2.4, 'kind': 'holiday' }",
                                              "{ 'from': 2, 'to': 2.4, 'kind': 'holiday', "
                                              "'payments': 'cancelled' }")),
                   "/contract/suspensions/1",
                   "no outcome payment falls due in this holiday's window [2.4, 2.45)");
}

Test(contract_terms, a_termination_that_never_or_always_holds) {
    expect_warning(
        must_load_quoted(text_edit(TERMINATION_SCENARIO, "'pays': 'principal_outstanding' }",
                                   "'pays': 'principal_outstanding', 'probability': 0 }")),
        "/contract/termination/probability",
        "a termination probability of 0: the commissioner never terminates");
    /* The fixed true fall of 4% on 100 treated and 100 controls at a 50%
     * rate: the measured fall has a standard error of sqrt(0.48 x 0.52 /
     * 100 + 0.25 / 100) / 0.5 = 0.1413 (the larger variance, 0.25, on both
     * sides in the check: 0.1414); four of them put it within about
     * 0.04 +- 0.566, from -0.526 to 0.606. A threshold of -0.6 is never
     * reached; 5 (5% written in percent) is always. */
    expect_warning(must_load_quoted(text_edit(TERMINATION_SCENARIO, "'measured_below': 0.05",
                                              "'measured_below': -0.6")),
                   "/contract/termination/if/measured_below",
                   "a measured_below of -0.6 never holds");
    expect_warning(must_load_quoted(text_edit(TERMINATION_SCENARIO, "'measured_below': 0.05",
                                              "'measured_below': 5")),
                   "/contract/termination/if/measured_below",
                   "a measured_below of 5 always holds: the measured effect by the termination "
                   "dates is at most about 0.606");
    expect_warning(must_load_quoted(text_edit(TERMINATION_SCENARIO, "'measured_below': 0.05",
                                              "'measured_below': 0.5")),
                   NULL, NULL);
}

Test(contract_terms, a_gate_on_payments_reads_the_date_a_holiday_defers_them_to) {
    /* The gated example of docs/model.md: the pilot is measured at 1.5 and
     * paid at 1.75, before the scale-up's start at 2; a holiday [1.5, 2.5)
     * defers that payment to 2.5, after the start: min_paid never opens. */
    const char *gated =
        "{ 'name': 'gated', 'currency': 'GBP',\n"
        "  'stages': [\n"
        "    { 'name': 'pilot', 'duration': 2, 'costs': { 'fixed_per_year': 100000 },\n"
        "      'cohorts': [ { 'size': 300, 'enrolment': 1 } ] },\n"
        "    { 'name': 'scale_up', 'start': 2, 'duration': 3, 'costs': { 'fixed_per_year': 100000 "
        "},\n"
        "      'gate': { 'after': 'pilot', 'min_paid': 100000 },\n"
        "      'cohorts': [ { 'size': 1000, 'entry': 2, 'enrolment': 1 } ] } ],\n"
        "  'outcomes': [ { 'name': 'reoffending', 'kind': 'rate', 'direction': 'lower_is_better',\n"
        "      'baseline': 0.45, 'effect': { 'prior': 0.1 },\n"
        "      'evaluation': { 'design': 'rct', 'comparison_ratio': 1 }, 'observation_lag': 0.5 } "
        "],\n"
        "  'contract': { 'payments': [ { 'outcome': 'reoffending', 'type': 'per_unit',\n"
        "      'price': 40000, 'lag': 0.25 } ] },\n"
        "  'financing': [ { 'name': 'grant', 'type': 'grant' } ] }\n";
    expect_warning(must_load_quoted(gated), NULL, NULL);
    expect_warning(must_load_quoted(text_edit(
                       gated, "'lag': 0.25 } ] },",
                       "'lag': 0.25 } ],\n"
                       "    'suspensions': [ { 'from': 1.5, 'to': 2.5, 'kind': 'holiday' } ] },")),
                   "/stages/1/gate/min_paid", "but the first of them falls due at t = 2.5");
}
