/* test_outcome_terms.c -- the outcome and evaluation terms: an outcome's
 * own eligible population, overdispersed counts, repeated measurement,
 * difference in differences, blended and switching designs and a stage's
 * own design (docs/scenario-format.md#outcomes, docs/model.md).
 *
 * The statistical tests draw many futures of a small scenario through the
 * engine's own path (path_simulate, white-box: the measurement table of
 * each future is read directly) and compare the sample mean, variance and
 * lag-1 correlation with the formula, within a stated number of standard
 * errors at a fixed seed:
 *   a mean          SE = s / sqrt(N)
 *   a variance      SE = sqrt((m4 - s^4) / N)   (m4 the 4th central moment)
 *   a correlation   SE = (1 - r^2) / sqrt(N)    (normal approximation)
 * Every expected value is worked out by hand in the comments; none is
 * copied from the program's output. Each test fails without its term: the
 * formula it checks is not the one the draw had before (a Poisson variance
 * instead of a negative binomial's, independent measurements instead of
 * correlated ones, one design's variance instead of a blend's). The
 * loader's messages are asserted in full, as `sibsim validate
 * tests/bad/NAME` prints them. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

#include "../model/contract.h"
#include "../sim/engine_internal.h"
#include "../sim/sample.h"
#include "../sim/warnings.h"
#include "helpers.h"
#include "loader_helpers.h"

static void setup(void) { gsl_set_error_handler_off(); }
TestSuite(outcome_terms, .init = setup);

/* ---------------------------------------------------------------- helpers */

/* The text of a one-stage scenario, all cohorts entering at 0 and enrolling
 * at once (enrolment 0), with the outcome object OUTCOME (named 'y'), a
 * payment on it and cohorts COHORTS. */
static const char *one_stage(const char *cohorts, const char *outcome_text, const char *payment) {
    static char buf[8192];
    snprintf(buf, sizeof buf,
             "{ 'name': 't', 'currency': 'EUR', 'simulation': { 'seed': 7 },\n"
             "  'stages': [ { 'name': 's', 'duration': 10, 'cohorts': [ %s ] } ],\n"
             "  'outcomes': [ { 'name': 'y', %s } ],\n"
             "  'contract': { 'payments': [ %s ] } }",
             cohorts, outcome_text, payment);
    return buf;
}

#define ANY_PAYMENT "{ 'outcome': 'y', 'type': 'fixed', 'amount': 1, 'trigger': -1e9 }"

/* A scenario's engine and one worker that draws futures from fixed seeds. */
typedef struct sim {
    scenario *sc;
    engine *e;
    worker *w;
} sim;

static sim sim_new(scenario *sc, unsigned long seed) {
    sim s = {sc, must_engine(sc), NULL};
    s.w = worker_new(s.e);
    cr_assert_not_null(s.w);
    gsl_rng_set(s.w->rng, seed);
    gsl_rng_set(s.w->rin, seed + 1);
    return s;
}

static void sim_free(sim *s) {
    worker_free(s->w);
    engine_free(s->e);
    scenario_free(s->sc);
}

/* The measurement of outcome o, measurement m (-1: every one pooled), of
 * flat cohort c in the future just drawn. */
static cohort_obs obs_of(const sim *s, size_t o, int m, size_t c) {
    return s->w->obs[scenario_obs_row(s->sc, o, m) * s->e->n_cohorts + c];
}

/* Running moments of up to 8 series, and the cross products of neighbours. */
typedef struct moments {
    size_t n, k;
    double sum[8], sq[8], cube[8], quad[8], cross[8], cross2[8];
} moments;

static void add(moments *m, const double *x) {
    m->n++;
    for (size_t i = 0; i < m->k; i++) {
        m->sum[i] += x[i];
        m->sq[i] += x[i] * x[i];
        m->cube[i] += x[i] * x[i] * x[i];
        m->quad[i] += x[i] * x[i] * x[i] * x[i];
        if (i + 1 < m->k) m->cross[i] += x[i] * x[i + 1];
        if (i + 2 < m->k) m->cross2[i] += x[i] * x[i + 2];
    }
}

static double mean(const moments *m, size_t i) { return m->sum[i] / (double)m->n; }

static double var(const moments *m, size_t i) {
    double mu = mean(m, i);
    return m->sq[i] / (double)m->n - mu * mu;
}

/* The standard error of the sample variance: sqrt((m4 - s^4) / N), m4 the
 * 4th central moment, from the raw moments. */
static double var_se(const moments *m, size_t i) {
    double N = (double)m->n, mu = mean(m, i);
    double e2 = m->sq[i] / N, e3 = m->cube[i] / N, e4 = m->quad[i] / N;
    double m4 = e4 - 4 * mu * e3 + 6 * mu * mu * e2 - 3 * mu * mu * mu * mu;
    double v = var(m, i);
    return sqrt(fmax(m4 - v * v, 0) / N);
}

/* The sample correlation of series i and i + lag (lag 1 or 2). */
static double corr(const moments *m, size_t i, int lag) {
    size_t j = i + (size_t)lag;
    double N = (double)m->n, c = (lag == 1 ? m->cross[i] : m->cross2[i]) / N;
    return (c - mean(m, i) * mean(m, j)) / sqrt(var(m, i) * var(m, j));
}

#define PATHS 20000
#define K_SE 4.0 /* every statistical check: within 4 standard errors */

static void expect_mean(const moments *m, size_t i, double want, const char *what) {
    double se = sqrt(var(m, i) / (double)m->n);
    cr_assert(fabs(mean(m, i) - want) <= K_SE * se, "%s: mean %.6g, expected %.6g (SE %.3g)", what,
              mean(m, i), want, se);
}

static void expect_var(const moments *m, size_t i, double want, const char *what) {
    double se = var_se(m, i);
    cr_assert(fabs(var(m, i) - want) <= K_SE * se, "%s: variance %.6g, expected %.6g (SE %.3g)",
              what, var(m, i), want, se);
}

static void expect_corr(const moments *m, size_t i, int lag, double want, const char *what) {
    double se = (1 - want * want) / sqrt((double)m->n);
    double r = corr(m, i, lag);
    cr_assert(fabs(r - want) <= K_SE * se, "%s: lag-%d correlation %.5f, expected %.5f (SE %.4f)",
              what, lag, r, want, se);
}

/* ------------------------------------------------ population per outcome */

/* docs/model.md, "Populations per outcome": an outcome is measured on
 * round(n x share) of a cohort's n participants, and a comparison ratio
 * applies to that group. 1,000 participants, a share of 0.3: 300 measured,
 * 300 compared; the other outcome, with no population, all 1,000. */
Test(outcome_terms, an_outcome_is_measured_on_its_eligible_share_of_the_cohort) {
    scenario *sc = must_load_quoted(
        "{ 'name': 't', 'currency': 'EUR',\n"
        "  'stages': [ { 'name': 's', 'duration': 2, 'cohorts': [ { 'size': 1000 } ] } ],\n"
        "  'outcomes': [\n"
        "    { 'name': 'girls', 'kind': 'rate', 'direction': 'higher_is_better', 'baseline': 0.4,\n"
        "      'effect': { 'scale': 'absolute', 'prior': 0.1 }, 'population': { 'share': 0.3 },\n"
        "      'evaluation': { 'design': 'rct', 'comparison_ratio': 1 } },\n"
        "    { 'name': 'all', 'kind': 'rate', 'direction': 'higher_is_better', 'baseline': 0.4,\n"
        "      'effect': { 'scale': 'absolute', 'prior': 0.1 },\n"
        "      'evaluation': { 'design': 'rct', 'comparison_ratio': 1 } } ],\n"
        "  'contract': { 'payments': [ { 'outcome': 'girls', 'type': 'per_unit', 'price': 1 } ] } "
        "}");
    cr_assert_float_eq(sc->outcomes[0].population.a, 0.3, 0);
    cr_assert_eq(sc->outcomes[1].population.slot, SIZE_MAX, "no population: no input");
    sim s = sim_new(sc, 11);
    path_simulate(s.e, s.w);
    cohort_obs g = obs_of(&s, 0, -1, 0), a = obs_of(&s, 1, -1, 0);
    cr_assert_float_eq(g.n_t, 300, 0);
    cr_assert_float_eq(g.n_c, 300, 0, "the comparison ratio applies to the eligible group");
    cr_assert_float_eq(a.n_t, 1000, 0);
    cr_assert_float_eq(s.w->participants, 1000, 0, "participants are the whole cohort");
    /* True outcomes are counted on the eligible: 300 x 0.1 = 30 girls. */
    cr_assert_float_eq(s.w->cohort_true[0 * s.e->n_cohorts + 0], 30, 1e-9);
    sim_free(&s);
}

/* A share drawn from a prior: round(1,000 x share) in each future, the
 * share uniform on [0.2, 0.4]: mean 300 (within 4 SE), and always within
 * [200, 400]. */
Test(outcome_terms, an_eligible_share_can_be_uncertain) {
    scenario *sc = must_load_quoted(
        one_stage("{ 'size': 1000 }",
                  "'kind': 'rate', 'direction': 'higher_is_better', 'baseline': 0.4, "
                  "'effect': { 'prior': 0 }, 'evaluation': { 'design': 'validated_count' }, "
                  "'population': { 'share': { 'dist': 'uniform', 'min': 0.2, 'max': 0.4 } }",
                  ANY_PAYMENT));
    cr_assert_eq(sc->n_inputs, 2);
    cr_assert_str_eq(sc->inputs[1].pointer, "/outcomes/0/population/share");
    sim s = sim_new(sc, 5);
    moments m = {.k = 1};
    for (int i = 0; i < 2000; i++) {
        path_simulate(s.e, s.w);
        double n = obs_of(&s, 0, -1, 0).n_t;
        cr_assert(n >= 200 && n <= 400 && n == round(n), "n %g", n);
        add(&m, &n);
    }
    expect_mean(&m, 0, 300, "eligible group");
    sim_free(&s);
}

/* ---------------------------------------------------- overdispersed counts */

/* sample_negbin(shape r, mean m): mean m, variance m + m^2 / r. At r = 3,
 * m = 10: variance 10 + 100 / 3 = 43.333 (a Poisson's would be 10). */
Test(outcome_terms, the_negative_binomial_sampler_has_its_mean_and_variance) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 2024);
    moments m = {.k = 1};
    for (int i = 0; i < 200000; i++) {
        double x = sample_negbin(r, 3, 10);
        cr_assert(x >= 0 && x == floor(x));
        add(&m, &x);
    }
    expect_mean(&m, 0, 10, "NB(3, 10)");
    expect_var(&m, 0, 10 + 100.0 / 3, "NB(3, 10)");
    cr_assert_float_eq(sample_negbin(r, 3, 0), 0, 0);
    gsl_rng_free(r);
}

/* A cohort of 100 with 2 events each on average and dispersion k = 0.5:
 * the total is NB(shape 100 x 0.5 = 50, mean 200), variance
 *     n mu + n mu^2 / k = 200 + 100 x 4 / 0.5 = 1,000,
 * five times the Poisson variance of 200 it had without the term. The
 * comparison group of 400 (ratio 4): mean 800, variance 800 + 400 x 4 /
 * 0.5 = 4,000. */
Test(outcome_terms, an_overdispersed_count_has_the_negative_binomial_variance) {
    scenario *sc = must_load_quoted(one_stage(
        "{ 'size': 100 }",
        "'kind': 'count', 'direction': 'lower_is_better', 'baseline': 2, 'dispersion': 0.5, "
        "'effect': { 'prior': 0 }, 'evaluation': { 'design': 'rct', 'comparison_ratio': 4 }",
        "{ 'outcome': 'y', 'type': 'per_unit', 'price': 1 }"));
    cr_assert_float_eq(sc->outcomes[0].dispersion, 0.5, 0);
    sim s = sim_new(sc, 99);
    moments m = {.k = 2};
    for (int i = 0; i < PATHS; i++) {
        path_simulate(s.e, s.w);
        cohort_obs ob = obs_of(&s, 0, -1, 0);
        double x[2] = {ob.sum_t, ob.sum_c};
        add(&m, x);
    }
    expect_mean(&m, 0, 200, "treated events");
    expect_var(&m, 0, 1000, "treated events");
    expect_mean(&m, 1, 800, "comparison events");
    expect_var(&m, 1, 4000, "comparison events");
    sim_free(&s);
}

/* ---------------------------------------------------- repeated measurement */

/* docs/model.md, "Repeated measurement". A rate: each person a two-state
 * Markov chain, P(yes | yes) = p + rho (1 - p), P(yes | no) = p (1 - rho).
 * 1,000 people, p = 0.3, rho = 0.6, five yearly measurements: every total
 * Binomial(1,000, 0.3) at the margin (mean 300, variance 210), and the
 * totals' correlation rho at lag 1 and rho^2 = 0.36 at lag 2 (independent
 * measurements, as before the term, would give 0 and 0). */
Test(outcome_terms, a_rate_measured_every_year_is_a_markov_chain_with_binomial_margins) {
    scenario *sc = must_load_quoted(
        one_stage("{ 'size': 1000 }",
                  "'kind': 'rate', 'direction': 'higher_is_better', 'baseline': 0.3, "
                  "'effect': { 'prior': 0 }, "
                  "'evaluation': { 'design': 'validated_count' }, 'observation_lag': 1, "
                  "'measured': { 'times': 5, 'every': 1, 'correlation': 0.6 }",
                  ANY_PAYMENT));
    cr_assert_eq(sc->outcomes[0].times, 5);
    cr_assert_eq(sc->n_obs_rows, 1 + 5);
    sim s = sim_new(sc, 1);
    moments m = {.k = 5};
    for (int i = 0; i < PATHS; i++) {
        path_simulate(s.e, s.w);
        double x[5], total = 0;
        for (int k = 0; k < 5; k++) {
            cohort_obs ob = obs_of(&s, 0, k, 0);
            cr_assert_float_eq(ob.n_t, 1000, 0);
            x[k] = ob.sum_t;
            total += x[k];
        }
        /* The outcome's own row pools the five: 5,000 person-years. */
        cohort_obs all = obs_of(&s, 0, -1, 0);
        cr_assert_float_eq(all.n_t, 5000, 0);
        cr_assert_float_eq(all.sum_t, total, 0);
        add(&m, x);
    }
    for (size_t k = 0; k < 5; k++) {
        expect_mean(&m, k, 300, "people with the event");
        expect_var(&m, k, 210, "people with the event");
    }
    for (size_t k = 0; k < 4; k++) expect_corr(&m, k, 1, 0.6, "rate");
    for (size_t k = 0; k < 3; k++) expect_corr(&m, k, 2, 0.36, "rate");
    sim_free(&s);
}

/* A count: a persistent Poisson(rho mu) part and a fresh Poisson((1 - rho)
 * mu) part a person. 200 people, mu = 1.5, rho = 0.4: each total Poisson
 * (mean = variance = 300), correlation 0.4 at every lag. */
Test(outcome_terms, a_count_measured_every_year_shares_a_persistent_poisson_part) {
    scenario *sc =
        must_load_quoted(one_stage("{ 'size': 200 }",
                                   "'kind': 'count', 'direction': 'higher_is_better', 'baseline': "
                                   "1.5, 'effect': { 'prior': 0 }, "
                                   "'evaluation': { 'design': 'validated_count' }, "
                                   "'measured': { 'times': 3, 'correlation': 0.4 }",
                                   ANY_PAYMENT));
    cr_assert_float_eq(sc->outcomes[0].every, 1, 0, "every defaults to a year");
    sim s = sim_new(sc, 3);
    moments m = {.k = 3};
    for (int i = 0; i < PATHS; i++) {
        path_simulate(s.e, s.w);
        double x[3];
        for (int k = 0; k < 3; k++) x[k] = obs_of(&s, 0, k, 0).sum_t;
        add(&m, x);
    }
    for (size_t k = 0; k < 3; k++) {
        expect_mean(&m, k, 300, "events");
        expect_var(&m, k, 300, "events");
    }
    expect_corr(&m, 0, 1, 0.4, "count");
    expect_corr(&m, 1, 1, 0.4, "count");
    expect_corr(&m, 0, 2, 0.4, "count (every lag)");
    sim_free(&s);
}

/* The same with dispersion k = 2: NB(shape rho n k, mean rho n mu) + NB(
 * shape (1 - rho) n k, mean (1 - rho) n mu) is NB(n k, n mu): mean 300,
 * variance 300 + 200 x 2.25 / 2 = 525; correlation 0.4. */
Test(outcome_terms, an_overdispersed_count_measured_every_year_keeps_its_margins) {
    scenario *sc = must_load_quoted(one_stage(
        "{ 'size': 200 }",
        "'kind': 'count', 'direction': 'higher_is_better', 'baseline': 1.5, 'dispersion': 2, "
        "'effect': { 'prior': 0 }, 'evaluation': { 'design': 'validated_count' }, "
        "'measured': { 'times': 2, 'correlation': 0.4 }",
        ANY_PAYMENT));
    sim s = sim_new(sc, 4);
    moments m = {.k = 2};
    for (int i = 0; i < PATHS; i++) {
        path_simulate(s.e, s.w);
        double x[2] = {obs_of(&s, 0, 0, 0).sum_t, obs_of(&s, 0, 1, 0).sum_t};
        add(&m, x);
    }
    for (size_t k = 0; k < 2; k++) {
        expect_mean(&m, k, 300, "events");
        expect_var(&m, k, 525, "events");
    }
    expect_corr(&m, 0, 1, 0.4, "overdispersed count");
    sim_free(&s);
}

/* A score: the cohort mean is mu + sd / sqrt(n) (sqrt(rho) U + sqrt(1 -
 * rho) V_m). 400 people, mu = 10, sd = 3, rho = 0.7: each mean has
 * variance 9 / 400 = 0.0225, correlation 0.7. The comparison group (an
 * RCT of 100) is followed too: variance 9 / 100 = 0.09, correlation 0.7. */
Test(outcome_terms, a_score_measured_every_year_has_correlated_normal_means) {
    scenario *sc = must_load_quoted(
        one_stage("{ 'size': 400 }",
                  "'kind': 'continuous', 'direction': 'higher_is_better', 'baseline': 10, 'sd': 3, "
                  "'effect': { 'scale': 'absolute', 'prior': 0 }, "
                  "'evaluation': { 'design': 'rct', 'comparison_size': 100 }, "
                  "'measured': { 'times': 2, 'every': 0.5, 'correlation': 0.7 }",
                  ANY_PAYMENT));
    sim s = sim_new(sc, 8);
    moments m = {.k = 4};
    for (int i = 0; i < PATHS; i++) {
        path_simulate(s.e, s.w);
        cohort_obs a = obs_of(&s, 0, 0, 0), b = obs_of(&s, 0, 1, 0);
        cr_assert_float_eq(a.n_c, 100, 0, "one design: the comparison group as drawn");
        double x[4] = {a.sum_t / 400, b.sum_t / 400, a.sum_c / 100, b.sum_c / 100};
        add(&m, x);
    }
    expect_mean(&m, 0, 10, "treated mean");
    expect_var(&m, 0, 0.0225, "treated mean");
    expect_var(&m, 1, 0.0225, "treated mean");
    expect_corr(&m, 0, 1, 0.7, "treated score");
    expect_var(&m, 2, 0.09, "comparison mean");
    expect_corr(&m, 2, 1, 0.7, "comparison score");
    sim_free(&s);
}

/* The contract plan: a cohort rule on an outcome measured three times is
 * assessed at each measurement, on that measurement's row; a pooled rule
 * once, at the last measurement, on every measurement pooled. The cohort
 * enrols over [0, 1), is measured at 1 + 1 = 2, 3 and 4, and paid 0.25
 * later. Per outcome achieved at 10 each: 30, 40 and 50 girls enrolled give
 * 300, 400 and 500; a true-up over the programme, 10 x 120 = 1,200 less the
 * 1,200 already paid, nothing. */
Test(outcome_terms, a_cohort_rule_pays_at_each_measurement_on_its_result) {
    scenario *sc = must_load_quoted(
        "{ 'name': 't', 'currency': 'EUR',\n"
        "  'stages': [ { 'name': 's', 'duration': 2, 'cohorts': [ { 'size': 100, "
        "'enrolment': 1 } ] } ],\n"
        "  'outcomes': [ { 'name': 'y', 'kind': 'rate', 'direction': 'higher_is_better',\n"
        "      'baseline': 0.3, 'effect': { 'prior': 0 }, 'observation_lag': 1,\n"
        "      'evaluation': { 'design': 'validated_count' },\n"
        "      'measured': { 'times': 3, 'every': 1, 'correlation': 0.5 } } ],\n"
        "  'contract': { 'payments': [\n"
        "    { 'name': 'yearly', 'outcome': 'y', 'type': 'per_outcome', 'price': 10, 'lag': "
        "0.25 },\n"
        "    { 'name': 'true-up', 'outcome': 'y', 'type': 'per_outcome', 'price': 10,\n"
        "      'scope': 'programme', 'true_up': true, 'lag': 0.5 } ] } }");
    contract_plan *plan = contract_plan_new(sc);
    cr_assert_eq(plan->n_events, 4);
    const double when[4] = {2.25, 3.25, 4.25, 4.5};
    const int which[4] = {0, 1, 2, -1};
    for (size_t k = 0; k < 4; k++) {
        cr_assert_float_eq(plan->events[k].time, when[k], 1e-12);
        cr_assert_eq(plan->events[k].measurement, which[k]);
    }
    cr_assert_float_eq(scenario_measure_time(sc, 0, 0, 0), 4, 1e-12, "measured in full at 4");
    cohort_obs obs[4] = {{300, 120, 0, 0}, {100, 30, 0, 0}, {100, 40, 0, 0}, {100, 50, 0, 0}};
    cr_assert_eq(scenario_obs_rows(sc), 4);
    double pay[4], paid_by[1], scratch[64];
    cr_assert_leq(contract_scratch_size(sc), 64);
    contract_settle(sc, plan, obs, HUGE_VAL, pay, paid_by, NULL, scratch);
    cr_assert_float_eq(pay[0], 300, 1e-9);
    cr_assert_float_eq(pay[1], 400, 1e-9);
    cr_assert_float_eq(pay[2], 500, 1e-9);
    cr_assert_float_eq(pay[3], 0, 1e-9);
    contract_plan_free(plan);
    scenario_free(sc);
}

/* True outcomes are counted per measurement (person-years): a fall of 0.1
 * x 0.3 = 0.03 a year for 100 people over 3 measurements is 9; their value
 * at 1,000 each is discounted from each date (2, 3, 4 at 3.5%): 3,000 x
 * (1.035^-2 + 1.035^-3 + 1.035^-4) = 3,000 x (0.933511 + 0.901943 +
 * 0.871442) = 8,120.69. */
Test(outcome_terms, true_outcomes_of_a_repeated_outcome_are_person_years) {
    scenario *sc = must_load_quoted(
        "{ 'name': 't', 'currency': 'EUR',\n"
        "  'stages': [ { 'name': 's', 'duration': 2, 'cohorts': [ { 'size': 100, 'enrolment': 1 } "
        "] } ],\n"
        "  'outcomes': [ { 'name': 'y', 'kind': 'rate', 'direction': 'lower_is_better',\n"
        "      'baseline': 0.3, 'effect': { 'prior': 0.1 }, 'observation_lag': 1, 'value': 1000,\n"
        "      'evaluation': { 'design': 'rct', 'comparison_ratio': 1 },\n"
        "      'measured': { 'times': 3, 'every': 1, 'correlation': 0.5 } } ],\n"
        "  'contract': { 'payments': [ { 'outcome': 'y', 'type': 'per_unit', 'price': 1 } ] } }");
    engine *e = must_engine(sc);
    double *v = calloc(engine_metric_count(e), sizeof *v);
    sib_error err;
    cr_assert_eq(engine_expected_ledger(e, NULL, v, NULL, &err), SIB_OK);
    cr_assert_float_eq(v[engine_find_metric(e, "programme", "outcomes.true.y")], 9, 1e-9);
    double pv = 3000 * (pow(1.035, -2) + pow(1.035, -3) + pow(1.035, -4));
    cr_assert_float_eq(v[engine_find_metric(e, "programme", "outcomes.value")], pv, 1e-6);
    cr_assert_float_eq(pv, 8120.69, 0.01);
    /* Measured = expected: 9 units of improvement over the 300 person-years,
     * and the pooled effect 0.1. */
    cr_assert_float_eq(v[engine_find_metric(e, "programme", "outcomes.measured.y")], 9, 1e-9);
    cr_assert_float_eq(v[engine_find_metric(e, "programme", "effect.measured.y")], 0.1, 1e-12);
    free(v);
    engine_free(e);
    scenario_free(sc);
}

/* ------------------------------------------------ designs that change */

/* A blend: 0.8 x an RCT of 400 + 0.2 x an RCT of 100, on a score (sd 2)
 * of 400 treated people, absolute scale, true effect 0.5. The measured
 * effect y_t - (0.8 y_1 + 0.2 y_2) has mean 0.5 and variance
 *     sd^2 / n + 0.8^2 sd^2 / n_1 + 0.2^2 sd^2 / n_2
 *     = 4 / 400 + 0.64 x 4 / 400 + 0.04 x 4 / 100 = 0.01 + 0.0064 + 0.0016
 *     = 0.018,
 * not the 0.02 of the first RCT alone. */
Test(outcome_terms, a_blend_is_the_weighted_sum_of_its_designs_estimates) {
    scenario *sc = must_load_quoted(one_stage(
        "{ 'size': 400 }",
        "'kind': 'continuous', 'direction': 'higher_is_better', 'baseline': 10, 'sd': 2, "
        "'effect': { 'scale': 'absolute', 'prior': 0.5 }, "
        "'evaluation': { 'blend': [ { 'weight': 0.8, 'design': 'rct', 'comparison_size': 400 }, "
        "                           { 'weight': 0.2, 'design': 'rct', 'comparison_size': 100 } ] }",
        ANY_PAYMENT));
    const evaluation *ev = &sc->outcomes[0].eval;
    cr_assert_eq(ev->design, EVAL_BLEND);
    cr_assert_eq(ev->n_blend, 2);
    cr_assert_float_eq(ev->blend[1].weight, 0.2, 0);
    cr_assert(sc->outcomes[0].composite);
    sim s = sim_new(sc, 21);
    moments m = {.k = 1};
    for (int i = 0; i < PATHS; i++) {
        path_simulate(s.e, s.w);
        cohort_obs ob = obs_of(&s, 0, -1, 0);
        cr_assert_float_eq(ob.n_c, 400, 0, "a blend's comparison: a mean over the treated size");
        double x = contract_effect(&sc->outcomes[0], ob.sum_t / ob.n_t, ob.sum_c / ob.n_c);
        add(&m, &x);
    }
    expect_mean(&m, 0, 0.5, "blended effect");
    expect_var(&m, 0, 0.018, "blended effect");
    sim_free(&s);
}

/* On the relative scale, in the expected case (measured = expected): a
 * rate where lower is better, baseline 0.4, a true fall of 25% (treated
 * 0.3); 0.8 x an RCT (its comparison at 0.4: effect 0.25) + 0.2 x a
 * difference in differences whose comparison group departs from parallel
 * trends by +10% (counterfactual 0.4 + 0.44 - 0.4 = 0.44: effect (0.44 -
 * 0.3) / 0.44 = 0.318182). Blended effect 0.8 x 0.25 + 0.2 x 0.318182 =
 * 0.263636; the comparison mean that gives it is the weighted harmonic
 * mean 1 / (0.8 / 0.4 + 0.2 / 0.44) = 0.407407, so 1,000 people's units
 * of improvement are 1,000 x (0.407407 - 0.3) = 107.407. */
Test(outcome_terms, a_relative_blend_weights_the_effects_through_a_harmonic_mean) {
    scenario *sc = must_load_quoted(one_stage(
        "{ 'size': 1000 }",
        "'kind': 'rate', 'direction': 'lower_is_better', 'baseline': 0.4, "
        "'effect': { 'prior': 0.25 }, "
        "'evaluation': { 'blend': [ { 'weight': 0.8, 'design': 'rct', 'comparison_ratio': 1 }, "
        "    { 'weight': 0.2, 'design': 'difference_in_differences', 'comparison_ratio': 2, "
        "      'deviation': 0.1 } ] }",
        ANY_PAYMENT));
    engine *e = must_engine(sc);
    double *v = calloc(engine_metric_count(e), sizeof *v);
    sib_error err;
    cr_assert_eq(engine_expected_ledger(e, NULL, v, NULL, &err), SIB_OK);
    double eff = 0.8 * 0.25 + 0.2 * (0.44 - 0.3) / 0.44;
    cr_assert_float_eq(eff, 0.263636, 1e-6);
    cr_assert_float_eq(v[engine_find_metric(e, "programme", "effect.measured.y")], eff, 1e-12);
    double yc = 1 / (0.8 / 0.4 + 0.2 / 0.44);
    cr_assert_float_eq(v[engine_find_metric(e, "programme", "outcomes.measured.y")],
                       1000 * (yc - 0.3), 1e-9);
    cr_assert_float_eq(1000 * (yc - 0.3), 107.407, 1e-3);
    free(v);
    engine_free(e);
    scenario_free(sc);
}

/* A difference in differences on a rate where higher is better: 1,000
 * treated at 0.5 (baseline 0.4, +0.1), the treated group before and a
 * comparison group of 1,000 before at 0.4, after at 0.4 x 1.05 = 0.42 (a
 * 5% departure from parallel trends). Measured effect y_t - (y_t,before +
 * y_c,after - y_c,before): mean 0.5 - 0.42 = 0.08 (= e - deviation x b),
 * variance (0.25 + 0.24 + 0.2436 + 0.24) / 1,000 = 0.0009736. */
Test(outcome_terms, a_difference_in_differences_has_four_groups_of_noise) {
    scenario *sc = must_load_quoted(
        one_stage("{ 'size': 1000 }",
                  "'kind': 'rate', 'direction': 'higher_is_better', 'baseline': 0.4, "
                  "'effect': { 'scale': 'absolute', 'prior': 0.1 }, "
                  "'evaluation': { 'design': 'difference_in_differences', 'comparison_size': 1000, "
                  "                'deviation': 0.05 }",
                  ANY_PAYMENT));
    cr_assert_eq(sc->outcomes[0].eval.design, EVAL_DID);
    cr_assert_str_eq(sc->inputs[1].pointer, "/outcomes/0/evaluation/deviation");
    sim s = sim_new(sc, 31);
    moments m = {.k = 1};
    for (int i = 0; i < PATHS; i++) {
        path_simulate(s.e, s.w);
        cohort_obs ob = obs_of(&s, 0, -1, 0);
        double x = contract_effect(&sc->outcomes[0], ob.sum_t / ob.n_t, ob.sum_c / ob.n_c);
        add(&m, &x);
    }
    expect_mean(&m, 0, 0.08, "DiD effect");
    expect_var(&m, 0, 0.0009736, "DiD effect");
    sim_free(&s);
}

/* A switch: a fixed counterfactual (historical) for what is measured
 * before year 2, then a randomised comparison group. Cohort 1 is measured
 * at 0 + 1 = 1: its comparison mean is the baseline, 0.4, in every future;
 * cohort 2 at 2 + 1 = 3: a group of 500 around 0.4 (variance 0.24 / 500 =
 * 0.00048). */
Test(outcome_terms, a_switch_changes_the_design_from_its_date) {
    scenario *sc = must_load_quoted(
        one_stage("{ 'size': 500 }, { 'size': 500, 'entry': 2 }",
                  "'kind': 'rate', 'direction': 'lower_is_better', 'baseline': 0.4, 'effect': { "
                  "'prior': 0.2 }, "
                  "'observation_lag': 1, 'evaluation': { 'design': 'historical', "
                  "  'switch': { 'at': 2, 'to': { 'design': 'rct', 'comparison_ratio': 1 } } }",
                  ANY_PAYMENT));
    const evaluation *ev = &sc->outcomes[0].eval;
    cr_assert(ev->has_switch);
    cr_assert_float_eq(ev->switch_at, 2, 0);
    cr_assert_eq(ev->switch_to->design, EVAL_RCT);
    cr_assert_eq(evaluation_at(ev, 1.999), ev);
    cr_assert_eq(evaluation_at(ev, 2), ev->switch_to);
    sim s = sim_new(sc, 41);
    moments m = {.k = 1};
    for (int i = 0; i < PATHS; i++) {
        path_simulate(s.e, s.w);
        cohort_obs a = obs_of(&s, 0, -1, 0), b = obs_of(&s, 0, -1, 1);
        cr_assert_float_eq(a.sum_c / a.n_c, 0.4, 1e-15);
        double y = b.sum_c / b.n_c;
        add(&m, &y);
    }
    expect_mean(&m, 0, 0.4, "comparison after the switch");
    expect_var(&m, 0, 0.00048, "comparison after the switch");
    sim_free(&s);
}

/* A stage's own design: the pilot is randomised (the outcome's design), the
 * scale-up compared with the historical baseline. Pooled over both (each
 * cohort's comparison carried as a mean over its treated group), the
 * programme's comparison mean is (300 y_pilot + 1000 x 0.4) / 1300. */
Test(outcome_terms, a_stage_can_have_its_own_design) {
    scenario *sc = must_load_quoted(
        "{ 'name': 't', 'currency': 'EUR',\n"
        "  'stages': [ { 'name': 'pilot', 'duration': 2, 'cohorts': [ { 'size': 300 } ] },\n"
        "              { 'name': 'scale', 'start': 2, 'duration': 2, 'cohorts': [ { 'size': "
        "1000 } ],\n"
        "                'evaluation': { 'y': { 'design': 'historical' } } } ],\n"
        "  'outcomes': [ { 'name': 'y', 'kind': 'rate', 'direction': 'lower_is_better',\n"
        "      'baseline': 0.4, 'effect': { 'prior': 0.2 }, 'observation_lag': 1,\n"
        "      'evaluation': { 'design': 'rct', 'comparison_ratio': 1 } } ],\n"
        "  'contract': { 'payments': [ { 'outcome': 'y', 'type': 'per_unit', 'price': 1,\n"
        "      'scope': 'programme' } ] } }");
    cr_assert(sc->stages[1].eval_given[0]);
    cr_assert_eq(scenario_evaluation(sc, 1, 0)->design, EVAL_HISTORICAL);
    cr_assert_eq(scenario_evaluation(sc, 0, 0)->design, EVAL_RCT);
    sim s = sim_new(sc, 51);
    int varied = 0;
    for (int i = 0; i < 200; i++) {
        path_simulate(s.e, s.w);
        cohort_obs p = obs_of(&s, 0, -1, 0), q = obs_of(&s, 0, -1, 1);
        cr_assert_float_eq(q.sum_c / q.n_c, 0.4, 1e-15, "the scale-up's baseline");
        cr_assert_float_eq(p.n_c, 300, 0);
        varied |= p.sum_c / p.n_c != 0.4;
    }
    cr_assert(varied, "the pilot's comparison group is drawn");
    sim_free(&s);
}

/* A switch between two measurements of a repeated outcome: measurements 0
 * and 1 (at 1 and 2) before the switch at 2.5 compare with the baseline;
 * 2 and 3 (at 3 and 4) with a randomised group, followed from the switch. */
Test(outcome_terms, a_switch_can_fall_between_measurements) {
    scenario *sc = must_load_quoted(
        one_stage("{ 'size': 400 }",
                  "'kind': 'rate', 'direction': 'lower_is_better', 'baseline': 0.4, 'effect': { "
                  "'prior': 0.2 }, "
                  "'observation_lag': 1, 'measured': { 'times': 4, 'correlation': 0.5 }, "
                  "'evaluation': { 'design': 'historical', "
                  "  'switch': { 'at': 2.5, 'to': { 'design': 'rct', 'comparison_ratio': 1 } } }",
                  ANY_PAYMENT));
    sim s = sim_new(sc, 61);
    int varied = 0;
    for (int i = 0; i < 200; i++) {
        path_simulate(s.e, s.w);
        for (int k = 0; k < 2; k++) {
            cohort_obs ob = obs_of(&s, 0, k, 0);
            cr_assert_float_eq(ob.sum_c / ob.n_c, 0.4, 1e-15);
        }
        varied |= obs_of(&s, 0, 2, 0).sum_c / 400 != 0.4;
    }
    cr_assert(varied);
    sim_free(&s);
}

/* ------------------------------------------------ common random numbers */

/* A term that draws nothing new leaves every future as it was: one
 * measurement written out ('measured': {'times': 1}) is the scenario
 * without it, metric by metric, to the last bit. */
Test(outcome_terms, measured_once_is_bit_identical_to_no_measured_field) {
    const char *text = "'kind': 'count', 'direction': 'lower_is_better', 'baseline': 1.5, "
                       "'effect': { 'prior': { 'dist': 'normal', 'mean': 0.1, 'sd': 0.05 } }, "
                       "'evaluation': { 'design': 'matched', 'comparison_ratio': 2 }%s";
    char a[1024], b[1024];
    snprintf(a, sizeof a, text, "");
    snprintf(b, sizeof b, text, ", 'measured': { 'times': 1 }");
    scenario *sa = must_load_quoted(
        one_stage("{ 'size': 300 }", a, "{ 'outcome': 'y', 'type': 'per_unit', 'price': 5 }"));
    scenario *sb = must_load_quoted(
        one_stage("{ 'size': 300 }", b, "{ 'outcome': 'y', 'type': 'per_unit', 'price': 5 }"));
    engine *ea = must_engine(sa), *eb = must_engine(sb);
    must_run_on(ea, 5000, 2);
    must_run_on(eb, 5000, 1);
    cr_assert_eq(engine_metric_count(ea), engine_metric_count(eb));
    for (size_t i = 0; i < engine_metric_count(ea); i++) {
        stats_summary x, y;
        engine_summary(ea, i, &x);
        engine_summary(eb, i, &y);
        cr_assert(memcmp(&x.mean, &y.mean, sizeof x.mean) == 0 || (isnan(x.mean) && isnan(y.mean)),
                  "%s/%s", engine_metric(ea, i)->group, engine_metric(ea, i)->key);
    }
    engine_free(ea);
    engine_free(eb);
    scenario_free(sa);
    scenario_free(sb);
}

/* The terms at the edges of their ranges keep every draw finite: 10^9
 * people with 10^9 events each, the smallest dispersion (0.001: a gamma of
 * shape 10^6 and scale 10^12 a group), 100 measurements, a blend whose
 * comparison groups are 100 times the treated group and whose DiD departs
 * from parallel trends by its largest deviation (10). */
Test(outcome_terms, the_terms_at_their_bounds_draw_finite_numbers) {
    scenario *sc = must_load_quoted(one_stage(
        "{ 'size': 1000000000 }",
        "'kind': 'count', 'direction': 'higher_is_better', 'baseline': 1e9, 'dispersion': 0.001, "
        "'effect': { 'scale': 'absolute', 'prior': 0 }, "
        "'measured': { 'times': 100, 'every': 0.5, 'correlation': 1 }, "
        "'population': { 'share': 1 }, "
        "'evaluation': { 'blend': [ { 'weight': 0.5, 'design': 'rct', 'comparison_ratio': 100 }, "
        "  { 'weight': 0.5, 'design': 'difference_in_differences', 'comparison_ratio': 100, "
        "    'deviation': 10 } ] }",
        "{ 'outcome': 'y', 'type': 'per_unit', 'price': 1e15 }"));
    sim s = sim_new(sc, 77);
    for (int i = 0; i < 3; i++) {
        path_simulate(s.e, s.w);
        for (int m = -1; m < 100; m++) {
            cohort_obs ob = obs_of(&s, 0, m, 0);
            cr_assert(isfinite(ob.n_t) && isfinite(ob.sum_t) && isfinite(ob.n_c) &&
                          isfinite(ob.sum_c),
                      "measurement %d: %g %g %g %g", m, ob.n_t, ob.sum_t, ob.n_c, ob.sum_c);
        }
    }
    sim_free(&s);
}

/* ------------------------------------------------------------- backtests */

/* A realised record names the measurement: measurement 1 of the cohort
 * (the second year), 30 of 100 enrolled, paid per outcome at 10: 300, on
 * the second assessment only (the first has no result: not measured). */
Test(outcome_terms, a_realised_result_names_its_measurement) {
    scenario *sc = must_load_quoted(
        "{ 'name': 't', 'currency': 'EUR',\n"
        "  'stages': [ { 'name': 's', 'duration': 2, 'cohorts': [ { 'name': 'c', 'size': 100 } ] } "
        "],\n"
        "  'outcomes': [ { 'name': 'y', 'kind': 'rate', 'direction': 'higher_is_better',\n"
        "      'baseline': 0.3, 'effect': { 'prior': 0 }, 'observation_lag': 1,\n"
        "      'evaluation': { 'design': 'validated_count' },\n"
        "      'measured': { 'times': 2, 'correlation': 0.5 } } ],\n"
        "  'contract': { 'payments': [ { 'name': 'p', 'outcome': 'y', 'type': 'per_outcome',\n"
        "      'price': 10 } ] },\n"
        "  'realised': { 'results': [ { 'cohort': 'c', 'measurement': 1,\n"
        "      'treated': { 'size': 100, 'total': 30 } } ] } }");
    cr_assert_eq(sc->realised.results[0].measurement, 1);
    engine *e = must_engine(sc);
    double *v = calloc(engine_metric_count(e), sizeof *v);
    sib_error err;
    cr_assert_eq(engine_realised_ledger(e, &sc->realised, NULL, v, NULL, &err), SIB_OK);
    cr_assert_float_eq(v[engine_find_metric(e, "commissioner", "payments.total")], 300, 1e-9);
    free(v);
    engine_free(e);
    scenario_free(sc);
}

/* ---------------------------------------------------------------- warnings */

/* The reach of a blend, of a switch and of an overdispersed count: a
 * trigger far beyond it still warns, one within it does not. */
Test(outcome_terms, a_far_trigger_on_the_new_designs_still_warns) {
    const char *blend =
        "'kind': 'rate', 'direction': 'lower_is_better', 'baseline': 0.4, "
        "'effect': { 'prior': { 'dist': 'normal', 'mean': 0.1, 'sd': 0.05 } }, "
        "'evaluation': { 'blend': [ { 'weight': 0.8, 'design': 'rct', 'comparison_ratio': 1 }, "
        "  { 'weight': 0.2, 'design': 'difference_in_differences', 'comparison_ratio': 1 } ] }";
    const char *swtch = "'kind': 'rate', 'direction': 'lower_is_better', 'baseline': 0.4, "
                        "'effect': { 'prior': { 'dist': 'normal', 'mean': 0.1, 'sd': 0.05 } }, "
                        "'evaluation': { 'design': 'historical', 'switch': { 'at': 1, "
                        "  'to': { 'design': 'matched', 'comparison_ratio': 1, 'bias': 0.05 } } }";
    const char *outcomes[] = {blend, swtch};
    sib_warning w[8];
    for (int i = 0; i < 2; i++) {
        scenario *far =
            must_load_quoted(one_stage("{ 'size': 1000 }", outcomes[i],
                                       "{ 'outcome': 'y', 'type': 'per_unit', 'price': 1, "
                                       "'trigger': 0.9 }"));
        cr_assert_eq(scenario_warnings(far, w, 8), 1, "case %d", i);
        cr_assert_str_eq(w[0].pointer, "/contract/payments/0/trigger");
        cr_assert(strstr(w[0].message, "is never reached") != NULL, "%s", w[0].message);
        scenario_free(far);
        scenario *near =
            must_load_quoted(one_stage("{ 'size': 1000 }", outcomes[i],
                                       "{ 'outcome': 'y', 'type': 'per_unit', 'price': 1, "
                                       "'trigger': 0.15 }"));
        cr_assert_eq(scenario_warnings(near, w, 8), 0, "case %d: %s", i, w[0].message);
        scenario_free(near);
    }
}

/* Overdispersion widens the reach: 100 people, 2 events each, a relative
 * fall with prior normal(0.1, 0.05) (0.1st and 99.9th percentiles -0.05451
 * and 0.25451), a comparison group of 100. The person variance is taken at
 * its largest corner, the treated mean 2 x 1.05451 = 2.10902. Poisson:
 * se = sqrt(2.10902 x (1/100 + 1/100)) / 2 = 0.10269, reach 0.25451 + 4 x
 * 0.10269 = 0.665, so a trigger of 0.7 is never reached. With dispersion
 * 0.5 the variance is 2.10902 + 2.10902^2 / 0.5 = 11.005: se = 0.23457,
 * reach past 1 (so 1): 0.7 can be met, and there is no warning. */
Test(outcome_terms, overdispersion_widens_the_reach_of_a_measured_effect) {
    const char *fmt = "'kind': 'count', 'direction': 'lower_is_better', 'baseline': 2%s, "
                      "'effect': { 'prior': { 'dist': 'normal', 'mean': 0.1, 'sd': 0.05 } }, "
                      "'evaluation': { 'design': 'rct', 'comparison_size': 100 }";
    const char *pay = "{ 'outcome': 'y', 'type': 'per_unit', 'price': 1, 'trigger': 0.7 }";
    char poisson[512], nb[512];
    snprintf(poisson, sizeof poisson, fmt, "");
    snprintf(nb, sizeof nb, fmt, ", 'dispersion': 0.5");
    sib_warning w[4];
    scenario *a = must_load_quoted(one_stage("{ 'size': 100 }", poisson, pay));
    cr_assert_eq(scenario_warnings(a, w, 4), 1);
    cr_assert(strstr(w[0].message, "at most about 0.665") != NULL, "%s", w[0].message);
    scenario_free(a);
    scenario *b = must_load_quoted(one_stage("{ 'size': 100 }", nb, pay));
    cr_assert_eq(scenario_warnings(b, w, 4), 0, "%s", w[0].message);
    scenario_free(b);
}

/* ------------------------------------------------------ bad scenarios */

/* Each file of tests/bad/ is refused with this message, as `sibsim
 * validate` prints it: the JSON Pointer, what was expected, what was found. */
static const struct {
    const char *file, *pointer, *message;
} BAD[] = {
    {"population-share-in-percent.json", "/outcomes/0/population/share",
     "tests/bad/population-share-in-percent.json: /outcomes/0/population/share: expected "
     "a number in [0, 1], found 30: a rate or share is a fraction, did you mean 0.3 (30%)?"},
    {"population-unknown-field.json", "/outcomes/0/population/size",
     "tests/bad/population-unknown-field.json: /outcomes/0/population/size: unknown field "
     "\"size\" (expected one of: share)"},
    {"dispersion-on-rate.json", "/outcomes/0/dispersion",
     "tests/bad/dispersion-on-rate.json: /outcomes/0/dispersion: \"dispersion\" applies "
     "only to kind \"count\" (a rate's spread follows from its mean, a score's is its "
     "\"sd\")"},
    {"dispersion-zero.json", "/outcomes/0/dispersion",
     "tests/bad/dispersion-zero.json: /outcomes/0/dispersion: expected a number in [0.001, "
     "1e+09], found 0"},
    {"measured-without-correlation.json", "/outcomes/0/measured/correlation",
     "tests/bad/measured-without-correlation.json: /outcomes/0/measured/correlation: "
     "required field is missing"},
    {"measured-past-fifty-years.json", "/outcomes/0/measured/times",
     "tests/bad/measured-past-fifty-years.json: /outcomes/0/measured/times: expected the "
     "last measurement at most 50 years after enrolment ends, found 60 (observation_lag "
     "10 + (times - 1) 10 x every 5)"},
    {"measured-with-drift.json", "/outcomes/0/measured/times",
     "tests/bad/measured-with-drift.json: /outcomes/0/measured/times: expected one "
     "measurement of an outcome whose counterfactual drifts (its historical design's "
     "trend and volatility move each measurement's mean), found 3: measure once, or leave "
     "out trend and volatility"},
    {"measured-times-zero.json", "/outcomes/0/measured/times",
     "tests/bad/measured-times-zero.json: /outcomes/0/measured/times: expected a whole "
     "number in [1, 100], found 0"},
    {"measured-correlation-above-one.json", "/outcomes/0/measured/correlation",
     "tests/bad/measured-correlation-above-one.json: /outcomes/0/measured/correlation: "
     "expected a number in [0, 1], found 1.2"},
    {"blend-weights-not-one.json", "/outcomes/0/evaluation/blend",
     "tests/bad/blend-weights-not-one.json: /outcomes/0/evaluation/blend: expected "
     "weights that add up to 1, found 0.8 + 0.3 = 1.1"},
    {"blend-of-one-design.json", "/outcomes/0/evaluation/blend",
     "tests/bad/blend-of-one-design.json: /outcomes/0/evaluation/blend: expected two or "
     "more designs to weight together, found an array of 1 element"},
    {"blend-with-validated-count.json", "/outcomes/0/evaluation/blend/1/design",
     "tests/bad/blend-with-validated-count.json: /outcomes/0/evaluation/blend/1/design: "
     "expected a design that estimates an effect (\"rct\", \"matched\", \"historical\", "
     "\"difference_in_differences\"), found \"validated_count\": a blend weights effects, "
     "and validated counts estimate none"},
    {"blend-with-clusters.json", "/outcomes/0/evaluation/blend/0/clusters",
     "tests/bad/blend-with-clusters.json: /outcomes/0/evaluation/blend/0/clusters: a "
     "blend's designs share one treated group, drawn without clusters: clusters cannot be "
     "given per design (use one clustered design)"},
    {"blend-and-design.json", "/outcomes/0/evaluation",
     "tests/bad/blend-and-design.json: /outcomes/0/evaluation: expected \"design\" (one "
     "design) or \"blend\" (designs weighted together), found both"},
    {"blend-member-without-weight.json", "/outcomes/0/evaluation/blend/0/weight",
     "tests/bad/blend-member-without-weight.json: /outcomes/0/evaluation/blend/0/weight: "
     "required field is missing"},
    {"switch-without-to.json", "/outcomes/0/evaluation/switch/to",
     "tests/bad/switch-without-to.json: /outcomes/0/evaluation/switch/to: required field "
     "is missing"},
    {"switch-in-a-switch.json", "/outcomes/0/evaluation/switch/to/switch",
     "tests/bad/switch-in-a-switch.json: /outcomes/0/evaluation/switch/to/switch: unknown "
     "field \"switch\" (expected one of: design, comparison_size, comparison_ratio, "
     "clusters, bias)"},
    {"switch-to-validated-count.json", "/outcomes/0/evaluation/switch/to/design",
     "tests/bad/switch-to-validated-count.json: /outcomes/0/evaluation/switch/to/design: "
     "expected a design that compares, as before the switch, found validated counts "
     "(outcomes achieved): one outcome is measured one way; use two outcomes"},
    {"trend-after-a-switch.json", "/outcomes/0/evaluation/switch/to/trend",
     "tests/bad/trend-after-a-switch.json: /outcomes/0/evaluation/switch/to/trend: "
     "\"trend\" and \"volatility\" say how the outcome's true counterfactual drifts, one "
     "drift per outcome: give them on the outcome's own historical design; here the "
     "historical baseline is fixed"},
    {"bias-on-difference-in-differences.json", "/outcomes/0/evaluation/bias",
     "tests/bad/bias-on-difference-in-differences.json: /outcomes/0/evaluation/bias: "
     "unknown field \"bias\" (expected one of: design, comparison_size, comparison_ratio, "
     "clusters, deviation, switch)"},
    {"stage-evaluation-unknown-outcome.json", "/stages/0/evaluation/reoffending",
     "tests/bad/stage-evaluation-unknown-outcome.json: /stages/0/evaluation/reoffending: "
     "expected the name of an outcome (\"reconvictions\"), found \"reoffending\""},
    {"stage-evaluation-mixes-validated-count.json", "/stages/0/evaluation/reconvictions/design",
     "tests/bad/stage-evaluation-mixes-validated-count.json: "
     "/stages/0/evaluation/reconvictions/design: expected a design that compares, as "
     "outcome \"reconvictions\"'s own evaluation, found validated counts (outcomes "
     "achieved): one outcome is measured one way; use another outcome for this stage"},
    {"realised-measurement-out-of-range.json", "/realised/results/0/measurement",
     "tests/bad/realised-measurement-out-of-range.json: /realised/results/0/measurement: "
     "expected a whole number in [0, 1], found 2"},
};

Test(outcome_terms, every_bad_use_of_the_terms_is_refused_with_its_message) {
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        sib_error err = load_bad(BAD[i].file);
        expect_invalid(&err, BAD[i].pointer, BAD[i].message);
    }
}
