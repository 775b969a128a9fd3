/* test_family.c -- a future drawn once and settled many times (sim/path.c's
 * path_draw and path_settle), for scenarios that differ only in terms that
 * leave the draws alike (engine_scenarios_draw_alike):
 * families of runs (engine_run_family), recorded futures replayed
 * (engine_run_recorded) by sweeps, tornados and solves, comparisons whose
 * second scenario settles the first's futures; and a settled future's
 * delivery costs kept for the next when they are the same. Every run's
 * results must be those of the run alone, to the bit: the whole accumulated
 * state (engine_state_save: every metric's accumulator, the sums behind the
 * aggregates, the IRR counts) is compared byte for byte. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/analysis.h"
#include "../sim/engine_internal.h"
#include "helpers.h"

static void setup(void) { gsl_set_error_handler_off(); }
TestSuite(family, .init = setup);

static scenario *load_with(const char *text, const char *pointer, double value) {
    scenario_override ov = {pointer, value};
    sib_error err;
    scenario *sc = scenario_load_string_with(text, "<test>", &ov, 1, &err);
    cr_assert_not_null(sc, "%s = %g: %s", pointer, value, err.message);
    return sc;
}

/* Run the scenario text at each value of pointer as a family on `threads`
 * threads, and each alone on one, and compare their states byte for byte.
 * The first value is the one the family draws with. */
static void assert_family_as_alone(const char *text, const char *pointer, const double *values,
                                   size_t n, uint64_t paths, unsigned threads) {
    scenario *sc[8];
    engine *fam[8];
    cr_assert(n <= 8);
    for (size_t k = 0; k < n; k++) {
        sc[k] = load_with(text, pointer, values[k]);
        cr_assert(engine_scenarios_draw_alike(sc[0], sc[k]), "%s", pointer);
        fam[k] = must_engine(sc[k]);
    }
    sib_error err;
    cr_assert_eq(engine_run_family(fam, n, paths, threads, &err), SIB_OK, "%s", err.message);
    for (size_t k = 0; k < n; k++) {
        engine *alone = must_engine(sc[k]);
        must_run_on(alone, paths, 1);
        cr_assert_eq(engine_paths_done(fam[k]), paths);
        cr_assert(same_state(alone, fam[k]),
                  "%s = %g on %u threads: a member's results differ from its run alone", pointer,
                  values[k], threads);
        engine_free(alone);
    }
    for (size_t k = 0; k < n; k++) {
        engine_free(fam[k]);
        scenario_free(sc[k]);
    }
}

/* Terms of the contract and of the financing, and planned costs, over the
 * library's deals: the default (a count outcome against a matched group),
 * Massachusetts (three outcomes, an RCT and a DiD blended, seven tranches),
 * Utah (a savings rule), the regional template (gates on measured effects,
 * three stages, several structures). 3,000 paths: two whole blocks and a
 * partial one. */
Test(family, each_member_of_a_family_has_the_results_of_its_run_alone) {
    static const struct {
        const char *file, *pointer;
        double values[3];
    } cases[] = {
        {"scenarios/peterborough.json", "/contract/payments/1/price", {5000, 12000, 20000}},
        {"scenarios/peterborough.json", "/contract/cap", {8e6, 2e6, 4e6}},
        {"scenarios/peterborough.json", "/financing/0/tranches/0/commitment", {5e6, 3e6, 8e6}},
        {"scenarios/massachusetts-juvenile-justice.json",
         "/contract/payments/0/price",
         {195.55, 100, 300}},
        {"scenarios/massachusetts-juvenile-justice.json",
         "/financing/0/tranches/0/coupon",
         {0.05, 0, 0.09}},
        {"scenarios/massachusetts-juvenile-justice.json",
         "/stages/0/costs/fixed_per_year",
         {3108571, 2e6, 4e6}},
        {"scenarios/utah-preschool.json", "/contract/payments/0/value", {2578, 1500, 4000}},
        {"scenarios/regional-pilot-to-scale.json", "/contract/cap", {5e6, 1e6, 2e7}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char *text = repo_text(cases[c].file);
        assert_family_as_alone(text, cases[c].pointer, cases[c].values, 3, 3000, c % 2 ? 2 : 1);
        free(text);
    }
}

/* A termination by the commissioner at 2 years when the fall measured by
 * then is below 5% (and then with probability 0.7, from its own stream),
 * an uncertain effect, and a suspension: the family settles the cut-short
 * futures as each run alone does, whatever is paid on a termination. */
static const char *terminating =
    "{\"name\": \"t\", \"currency\": \"GBP\", \"simulation\": {\"seed\": 11},"
    " \"stages\": [{\"name\": \"delivery\", \"duration\": 3, \"costs\": {\"fixed_per_year\": "
    "120000},"
    "   \"cohorts\": [{\"name\": \"c1\", \"size\": 100, \"enrolment\": 1},"
    "                {\"name\": \"c2\", \"size\": 100, \"entry\": 1, \"enrolment\": 1},"
    "                {\"name\": \"c3\", \"size\": 100, \"entry\": 2, \"enrolment\": 1}]}],"
    " \"outcomes\": [{\"name\": \"reoffending\", \"kind\": \"rate\", \"direction\": "
    "\"lower_is_better\","
    "   \"baseline\": 0.5, \"effect\": {\"prior\": {\"dist\": \"normal\", \"mean\": 0.06, \"sd\": "
    "0.05}},"
    "   \"evaluation\": {\"design\": \"rct\", \"comparison_size\": 100}, \"observation_lag\": "
    "0.5}],"
    " \"contract\": {\"payments\": [{\"name\": \"per reoffender\", \"outcome\": \"reoffending\","
    "     \"type\": \"per_unit\", \"price\": 1000, \"lag\": 0.25}],"
    "   \"suspensions\": [{\"from\": 2.5, \"to\": 3, \"kind\": \"holiday\"}],"
    "   \"termination\": {\"at\": [2], \"probability\": 0.7,"
    "     \"if\": {\"outcome\": \"reoffending\", \"measured_below\": 0.05},"
    "     \"pays\": {\"amount\": 50000}}},"
    " \"financing\": [{\"name\": \"SIB\", \"type\": \"sib\","
    "   \"tranches\": [{\"name\": \"investors\", \"commitment\": 1000000, \"coupon\": 0.08}]},"
    "   {\"name\": \"PbR\", \"type\": \"pbr\"}]}";

Test(family, a_family_settles_terminated_and_suspended_futures_as_each_run_alone) {
    const double price[] = {1000, 400, 2500, 0};
    assert_family_as_alone(terminating, "/contract/payments/0/price", price, 4, 3000, 2);
    const double paid[] = {50000, 0, 200000};
    assert_family_as_alone(terminating, "/contract/termination/pays/amount", paid, 1, 3000, 1);
    const double coupon[] = {0.08, 0.02, 0.15};
    assert_family_as_alone(terminating, "/financing/0/tranches/0/coupon", coupon, 3, 3000, 3);
}

/* Engines of another shape, a comparison, or paths done apart are refused:
 * a family could not share their draws. */
Test(family, a_family_refuses_engines_that_cannot_share_draws) {
    scenario *a = must_load_repo_file("scenarios/peterborough.json");
    scenario *b = must_load_repo_file("scenarios/massachusetts-juvenile-justice.json");
    engine *ea = must_engine(a), *eb = must_engine(b);
    engine *two[2] = {ea, eb};
    sib_error err;
    cr_assert_eq(engine_run_family(two, 2, 1024, 1, &err), SIB_EINVAL);
    cr_assert(strstr(err.message, "engine 1 of a family") != NULL, "%s", err.message);
    /* The same scenario on another seed draws other futures. */
    scenario *c = must_load_repo_file("scenarios/peterborough.json");
    c->sim.seed += 1;
    engine *ec = must_engine(c);
    engine *seeds[2] = {ea, ec};
    cr_assert_eq(engine_run_family(seeds, 2, 1024, 1, &err), SIB_EINVAL);
    /* Paths done apart. */
    engine *ed = must_engine(a);
    must_run_on(ed, 1024, 1);
    engine *done[2] = {ea, ed};
    cr_assert_eq(engine_run_family(done, 2, 2048, 1, &err), SIB_EINVAL);
    /* A comparison. */
    engine *cmp = engine_new_compare(a, a, NULL, &err);
    cr_assert_not_null(cmp);
    engine *with_twin[2] = {cmp, ea};
    cr_assert_eq(engine_run_family(with_twin, 2, 1024, 1, &err), SIB_EINVAL);
    cr_assert_eq(engine_paths_done(ea), 0);
    /* A family of one is a run. */
    cr_assert_eq(engine_run_family(&ea, 1, 2048, 2, &err), SIB_OK, "%s", err.message);
    engine *alone = must_engine(a);
    must_run_on(alone, 2048, 1);
    cr_assert(same_state(alone, ea));
    engine_free(alone);
    engine_free(cmp);
    engine_free(ed);
    engine_free(ec);
    engine_free(ea);
    engine_free(eb);
    scenario_free(a);
    scenario_free(b);
    scenario_free(c);
}

/* A sweep's points settle the futures its first point recorded, or, when
 * they do not fit (draws_max 1 byte), run in families; a sweep of an
 * outcome's baseline, or of the seed (the same draws, other streams), can
 * do neither. Whichever way, each point's state is that of the point's run
 * alone. */
typedef struct {
    unsigned char *state[16];
    size_t len[16], n;
} states;

static int keep_state(const double *x, size_t n_params, const engine *e, void *ud) {
    (void)x;
    (void)n_params;
    states *s = ud;
    s->state[s->n] = state_of(e, &s->len[s->n]);
    s->n++;
    return 0;
}

Test(family, a_sweep_on_shared_draws_gives_each_point_its_run_alone) {
    char *text = repo_text("scenarios/massachusetts-juvenile-justice.json");
    static const struct {
        const char *pointer;
        double from, to;
    } sweeps[] = {{"/contract/payments/2/price", 20000, 60000},
                  {"/contract/payments/2/price", 20000, 60000},
                  {"/outcomes/1/baseline", 0.2, 0.3},
                  {"/simulation/seed", 1, 7}};
    for (size_t k = 0; k < 4; k++) {
        for (unsigned threads = 1; threads <= 3; threads += 2) {
            analysis_base b = {.text = text,
                               .name = "ma",
                               .paths = 2048,
                               .threads = threads,
                               .draws_max = k == 1 ? 1 : 0};
            const char *ptr[1] = {sweeps[k].pointer};
            int steps = 7;
            states s = {.n = 0};
            sib_error err;
            cr_assert_eq(analysis_sweep(&b, ptr, &sweeps[k].from, &sweeps[k].to, &steps, 1,
                                        keep_state, &s, &err),
                         SIB_OK, "%s", err.message);
            cr_assert_eq(s.n, 7);
            for (size_t i = 0; i < s.n; i++) {
                double x = sweeps[k].from + (sweeps[k].to - sweeps[k].from) * (double)i / 6;
                scenario_override ov = {sweeps[k].pointer, x};
                analysis_base one = b;
                one.threads = 1;
                analysis_run r;
                cr_assert_eq(analysis_run_with(&one, &ov, 1, &r, &err), SIB_OK, "%s", err.message);
                size_t len;
                unsigned char *alone = state_of(r.e, &len);
                cr_assert(len == s.len[i] && memcmp(alone, s.state[i], len) == 0,
                          "%s, point %zu on %u threads: not its run alone", sweeps[k].pointer, i,
                          threads);
                free(alone);
                free(s.state[i]);
                analysis_free_run(&r);
            }
        }
    }
    free(text);
}

/* A future whose delivery costs are the last one's keeps them on the
 * ledger (path_settle): its ledger must be, line by line and to the bit,
 * the one worked out afresh. Two workers on the same streams, the second
 * made to work its costs out every time, over futures whose costs vary
 * (an overrun and a volume drawn, operational failure, a gate, a
 * termination) and over the default scenario's, whose costs never do. */
static void assert_costs_as_afresh(const char *text, size_t *reused, size_t *paths) {
    scenario *sc = must_load_string(text);
    engine *e = must_engine(sc);
    worker *wa = worker_new(e), *wb = worker_new(e);
    cr_assert(wa && wb);
    double *last = calloc(wa->costs_key_len, sizeof *last);
    *reused = *paths = 0;
    for (uint64_t k = 0; k < 3; k++) {
        engine_seed_worker(e, wa, k);
        engine_seed_worker(e, wb, k);
        for (size_t j = 0; j < ENGINE_BLOCK_PATHS; j++) {
            wb->costs_valid = 0;
            path_simulate(e, wa);
            path_simulate(e, wb);
            cr_assert(memcmp(wa->L->lines, wb->L->lines, wa->L->lines_len * sizeof(double)) == 0,
                      "block %llu, path %zu: the ledger differs from one worked out afresh",
                      (unsigned long long)k, j);
            cr_assert(memcmp(&wa->participants, &wb->participants, sizeof(double)) == 0);
            for (size_t f = 0; f < sc->n_financing; f++)
                cr_assert(memcmp(wa->L->fin[f].commissioner, wb->L->fin[f].commissioner,
                                 e->periods * sizeof(double)) == 0);
            *reused += (*paths)++ > 0 &&
                       memcmp(last, wa->costs_key, wa->costs_key_len * sizeof *last) == 0;
            memcpy(last, wa->costs_key, wa->costs_key_len * sizeof *last);
        }
    }
    free(last);
    worker_free(wa);
    worker_free(wb);
    engine_free(e);
    scenario_free(sc);
}

Test(family, a_future_keeps_the_last_ones_costs_only_when_they_are_the_same) {
    const char *varying =
        "{\"name\": \"v\", \"currency\": \"GBP\", \"simulation\": {\"seed\": 5},"
        " \"stages\": [{\"name\": \"pilot\", \"duration\": 2, \"failure_hazard\": 0.15,"
        "     \"costs\": {\"setup\": 50000, \"fixed_per_year\": 100000, \"per_participant\": 900,"
        "       \"overrun\": {\"dist\": \"triangular\", \"min\": 0.9, \"mode\": 1, \"max\": 1.6}},"
        "     \"volume\": {\"dist\": \"uniform\", \"min\": 0.7, \"max\": 1.1},"
        "     \"cohorts\": [{\"size\": 200, \"enrolment\": 1}, {\"size\": 200, \"entry\": 1, "
        "\"enrolment\": 1}]},"
        "   {\"name\": \"scale\", \"start\": 3, \"duration\": 2,"
        "     \"gate\": {\"outcome\": \"o\", \"min_effect\": 0.05, \"probability\": 0.8},"
        "     \"costs\": {\"fixed_per_year\": 300000, \"per_participant\": 700},"
        "     \"cohorts\": [{\"size\": 600, \"entry\": 3, \"enrolment\": 1.5}]}],"
        " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": \"lower_is_better\","
        "   \"baseline\": 0.5, \"effect\": {\"prior\": {\"dist\": \"normal\", \"mean\": 0.1, "
        "\"sd\": 0.08}},"
        "   \"evaluation\": {\"design\": \"rct\", \"comparison_size\": 200}, \"observation_lag\": "
        "0.5}],"
        " \"contract\": {\"payments\": [{\"outcome\": \"o\", \"type\": \"per_unit\", \"price\": "
        "2000}],"
        "   \"termination\": {\"at\": [4], \"probability\": 0.5}},"
        " \"financing\": [{\"name\": \"SIB\", \"type\": \"sib\","
        "   \"tranches\": [{\"name\": \"i\", \"commitment\": 2000000, \"coupon\": 0.06}]}]}";
    size_t reused, paths;
    assert_costs_as_afresh(varying, &reused, &paths);
    /* Every future's overrun and volume differ: no two in a row cost the same. */
    cr_assert_eq(reused, 0, "%zu of %zu", reused, paths);
    /* Without the overrun and the volume, futures cost the same unless a
     * failure, the gate or the termination cuts them short. */
    char *plain = strdup(varying);
    char *o = strstr(plain, ",       \"overrun\"");
    char *v = strstr(plain, "     \"volume\"");
    cr_assert(o && v);
    memmove(o, strstr(o, "}}") + 1, strlen(strstr(o, "}}") + 1) + 1);
    v = strstr(plain, "     \"volume\"");
    memmove(v, strstr(v, "},") + 2, strlen(strstr(v, "},") + 2) + 1);
    assert_costs_as_afresh(plain, &reused, &paths);
    cr_assert(reused > paths / 10 && reused < paths - paths / 10, "%zu of %zu", reused, paths);
    free(plain);
    char *text = repo_text("scenarios/peterborough.json");
    assert_costs_as_afresh(text, &reused, &paths);
    cr_assert_eq(reused, paths - 1, "the default's costs never vary");
    free(text);
}

/* Recorded futures (engine_run_recorded): a run records the futures it
 * draws, and runs of scenarios that draw alike settle them again; each
 * run's state is that of the run alone, byte for byte. */
Test(family, runs_on_recorded_futures_have_the_results_of_runs_alone) {
    char *text = repo_text("scenarios/massachusetts-juvenile-justice.json");
    const char *pointer = "/financing/0/tranches/1/coupon";
    const double values[] = {0.02, 0.08, 0};
    engine_draws *d = NULL;
    for (size_t k = 0; k < 3; k++) {
        scenario *sc = load_with(text, pointer, values[k]);
        engine *e = must_engine(sc), *alone = must_engine(sc);
        if (d == NULL) {
            d = engine_draws_new(e, 3000, (size_t)64 << 20);
            cr_assert_not_null(d);
        }
        sib_error err;
        cr_assert_eq(engine_run_recorded(e, d, 3000, (unsigned)k + 1, &err), SIB_OK, "%s",
                     err.message);
        must_run_on(alone, 3000, 1);
        cr_assert(same_state(alone, e), "coupon %g (%s): not the run alone", values[k],
                  k ? "replayed" : "recorded");
        /* Fewer futures than were recorded: the first of them. */
        if (k == 2) {
            engine *part = must_engine(sc), *part_alone = must_engine(sc);
            cr_assert_eq(engine_run_recorded(part, d, 1500, 2, &err), SIB_OK, "%s", err.message);
            must_run_on(part_alone, 1500, 2);
            cr_assert(same_state(part_alone, part));
            engine_free(part);
            engine_free(part_alone);
        }
        engine_free(e);
        engine_free(alone);
        scenario_free(sc);
    }
    /* More than were recorded, paths done already, another shape, a
     * comparison: refused. Too large a recording is not made. */
    scenario *sc = load_with(text, pointer, 0.02);
    engine *e = must_engine(sc);
    sib_error err;
    cr_assert_eq(engine_run_recorded(e, d, 3001, 1, &err), SIB_EINVAL);
    must_run_on(e, 1024, 1);
    cr_assert_eq(engine_run_recorded(e, d, 2048, 1, &err), SIB_EINVAL);
    scenario *other = must_load_repo_file("scenarios/peterborough.json");
    engine *eo = must_engine(other);
    cr_assert_eq(engine_run_recorded(eo, d, 1024, 1, &err), SIB_EINVAL);
    cr_assert(strstr(err.message, "shape") != NULL, "%s", err.message);
    engine *cmp = engine_new_compare(sc, sc, NULL, &err);
    cr_assert_eq(engine_run_recorded(cmp, d, 1024, 1, &err), SIB_EINVAL);
    cr_assert_null(engine_draws_new(eo, 1000000, 1000));
    engine_free(cmp);
    engine_free(eo);
    engine_free(e);
    scenario_free(other);
    scenario_free(sc);
    engine_draws_free(d);
    free(text);
}

/* A solve of a term that leaves the draws alike records its first run's
 * futures and settles them again at each value it tries: the metric it
 * reports at the value found, and at the ends of its range, must be those
 * of runs alone there. */
Test(family, a_solve_on_recorded_futures_reports_what_runs_alone_give) {
    char *text = repo_text("scenarios/utah-preschool.json");
    analysis_base b = {.text = text, .name = "utah", .paths = 4096, .threads = 2};
    const char *ptr[1] = {"/contract/payments/0/value"};
    const char *metric = "Goldman Sachs.irr";
    solve_result r;
    sib_error err;
    cr_assert_eq(analysis_solve(&b, ptr, 1, 1000, 6000, metric, 0.03, 1e-6, &r, &err), SIB_OK,
                 "%s", err.message);
    cr_assert(r.found);
    cr_assert(r.iterations > 3);
    /* As the solve computes them: f = metric - target, and the metric
     * reported at the value found f + target. */
    const double t = 0.03, at[3] = {r.value, 1000, 6000};
    for (size_t k = 0; k < 3; k++) {
        scenario_override ov = {ptr[0], at[k]};
        analysis_base one = b;
        one.only = metric;
        analysis_run run;
        cr_assert_eq(analysis_run_with(&one, &ov, 1, &run, &err), SIB_OK, "%s", err.message);
        metric_choice m;
        cr_assert_eq(analysis_choose(run.e, metric, &m, &err), SIB_OK);
        const double f = analysis_value(run.e, &m, NULL) - t;
        const double got = k == 0 ? f + t : f, want = k == 0 ? r.metric : k == 1 ? r.f_lo : r.f_hi;
        cr_assert(memcmp(&got, &want, sizeof got) == 0, "at %.17g: %.17g alone, %.17g in the solve",
                  at[k], got, want);
        analysis_free_run(&run);
    }
    free(text);
}

/* A tornado's base run records its futures; its moved terms settle them
 * again and its moved inputs run alone. Every bar is what runs alone at
 * the bar's two values give, and the same bars come whether the futures
 * are recorded, shared in families (draws_max 1 byte), or on one thread. */
Test(family, a_tornado_on_shared_draws_gives_the_bars_of_runs_alone) {
    char *text = repo_text("scenarios/regional-pilot-to-scale.json");
    const char *metric = "commissioner/payments.total";
    tornado_bar bars[3][64];
    size_t nb[3];
    double base[3];
    for (int k = 0; k < 3; k++) {
        analysis_base b = {.text = text,
                           .name = "regional",
                           .paths = 2048,
                           .threads = k == 2 ? 1 : 3,
                           .draws_max = k == 1 ? 1 : 0};
        sib_error err;
        cr_assert_eq(analysis_tornado(&b, metric, 0.2, bars[k], 64, &nb[k], &base[k], &err),
                     SIB_OK, "%s", err.message);
        cr_assert(nb[k] > 10);
        if (k > 0) {
            cr_assert_eq(nb[k], nb[0]);
            cr_assert(memcmp(bars[k], bars[0], nb[0] * sizeof bars[0][0]) == 0, "run %d", k);
            cr_assert(memcmp(&base[k], &base[0], sizeof base[0]) == 0);
        }
    }
    /* The bars against runs alone: an input's and the terms'. */
    size_t checked_terms = 0, checked_inputs = 0;
    for (size_t i = 0; i < nb[0] && checked_terms + checked_inputs < 6; i++) {
        const tornado_bar *bar = &bars[0][i];
        if (bar->is_input ? checked_inputs >= 2 : checked_terms >= 4) continue;
        const double x[2] = {bar->low, bar->high}, want[2] = {bar->metric_low, bar->metric_high};
        for (int j = 0; j < 2; j++) {
            analysis_base one = {.text = text, .name = "regional", .paths = 2048, .threads = 1};
            scenario_override ov = {bar->pointer, x[j]};
            analysis_run r;
            sib_error err;
            cr_assert_eq(analysis_run_with(&one, &ov, 1, &r, &err), SIB_OK, "%s", err.message);
            metric_choice m;
            cr_assert_eq(analysis_choose(r.e, metric, &m, &err), SIB_OK);
            double v = analysis_value(r.e, &m, NULL);
            cr_assert(memcmp(&v, &want[j], sizeof v) == 0, "%s = %g: %.17g alone, %.17g in the bar",
                      bar->pointer, x[j], v, want[j]);
            analysis_free_run(&r);
        }
        if (bar->is_input)
            checked_inputs++;
        else
            checked_terms++;
    }
    cr_assert(checked_terms == 4 && checked_inputs == 2);
    free(text);
}

/* engine_scenarios_draw_alike, field by field: every field that drawing a
 * future reads makes two scenarios draw apart when changed, and the
 * others -- names, planned costs, the contract, the financing, what a
 * termination pays, the seed (B runs on A's streams) -- do not. */
#define APART(field, value)                                                                        \
    do {                                                                                           \
        __typeof__(field) saved_ = (field);                                                        \
        (field) = (value);                                                                         \
        cr_assert(!engine_scenarios_draw_alike(a, b), "%s changed: still alike", #field);          \
        (field) = saved_;                                                                          \
        cr_assert(engine_scenarios_draw_alike(a, b), "%s restored: apart", #field);                \
    } while (0)
#define ALIKE(field, value)                                                                        \
    do {                                                                                           \
        __typeof__(field) saved_ = (field);                                                        \
        (field) = (value);                                                                         \
        cr_assert(engine_scenarios_draw_alike(a, b), "%s changed: apart", #field);                 \
        (field) = saved_;                                                                          \
    } while (0)

Test(family, scenarios_draw_alike_unless_what_a_future_draws_differs) {
    scenario *a = must_load_repo_file("scenarios/regional-pilot-to-scale.json");
    scenario *b = must_load_repo_file("scenarios/regional-pilot-to-scale.json");
    cr_assert(engine_scenarios_draw_alike(a, b));
    cr_assert(a->n_correlations > 0 && b->stages[1].gate.present);
    APART(b->sim.discount_rate, 0.05);
    APART(b->sim.periods_per_year, 12);
    APART(b->stages[0].start, 0.5);
    APART(b->stages[0].duration, 9);
    APART(b->stages[0].failure_hazard, 0.3);
    APART(b->stages[0].overrun.b, 0.77);
    APART(b->stages[0].volume.a, 0.5);
    APART(b->stages[0].engagement.a, 0.5);
    APART(b->stages[0].effect_multiplier.a, 0.5);
    APART(b->stages[0].cohorts[0].size, 7);
    APART(b->stages[0].cohorts[0].entry, 0.25);
    APART(b->stages[0].cohorts[0].enrolment, 0.1);
    APART(b->stages[1].gate.min_effect, 0.9);
    APART(b->stages[1].gate.probability, 0.1);
    APART(b->stages[1].gate.present, false);
    APART(b->stages[1].gate.has_min_paid, true);
    APART(b->outcomes[0].baseline, 0.01);
    APART(b->outcomes[0].effect.a, 0.33);
    APART(b->outcomes[0].effect.kind, PRIOR_FIXED);
    APART(b->outcomes[0].effect.lo, -0.01);
    APART(b->outcomes[0].eval.design, EVAL_VALIDATED);
    APART(b->outcomes[0].eval.comparison_ratio, 3);
    APART(b->outcomes[0].observation_lag, 4);
    APART(b->outcomes[0].value, 123);
    APART(b->outcomes[0].dispersion, 2);
    APART(b->outcomes[0].direction, DIRECTION_HIGHER_IS_BETTER);
    APART(b->correlations[0].rho, 0.01);
    APART(b->inputs[0].pointer[1], 'x');
    ALIKE(b->sim.seed, 1);
    ALIKE(b->stages[0].setup_cost, 1);
    ALIKE(b->stages[0].fixed_per_year, 1);
    ALIKE(b->stages[0].per_participant, 1);
    ALIKE(b->stages[0].name[0], 'x');
    ALIKE(b->stages[0].cohorts[0].name[0], 'x');
    ALIKE(b->outcomes[0].name[0], 'x');
    ALIKE(b->contract.rules[0].price, 1);
    ALIKE(b->financing[2].tranches[0].coupon, 0.2);
    scenario_free(a);
    scenario_free(b);
    /* A blend, a termination and a switch. */
    a = must_load_repo_file("scenarios/massachusetts-juvenile-justice.json");
    b = must_load_repo_file("scenarios/massachusetts-juvenile-justice.json");
    cr_assert(b->outcomes[0].eval.n_blend == 2);
    APART(b->outcomes[0].eval.blend[1].deviation.b, 0.5);
    APART(b->outcomes[0].eval.blend[0].weight, 0.7);
    APART(b->outcomes[0].eval.blend[0].comparison_ratio, 1);
    scenario_free(a);
    scenario_free(b);
    a = must_load_string(terminating);
    b = must_load_string(terminating);
    APART(b->contract.termination.at[0], 2.5);
    APART(b->contract.termination.probability, 0.2);
    APART(b->contract.termination.below, 0.2);
    APART(b->contract.termination.present, false);
    ALIKE(b->contract.termination.amount, 1);
    ALIKE(b->contract.suspensions[0].to, 2.75);
    scenario_free(a);
    scenario_free(b);
    const char *switching =
        "{\"name\": \"s\", \"currency\": \"EUR\","
        " \"stages\": [{\"name\": \"d\", \"duration\": 3, \"cohorts\": [{\"size\": 100},"
        "   {\"size\": 100, \"entry\": 2}]}],"
        " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
        "   \"baseline\": 0.3, \"effect\": {\"scale\": \"absolute\", \"prior\": 0.1},"
        "   \"evaluation\": {\"design\": \"historical\","
        "     \"switch\": {\"at\": 2, \"to\": {\"design\": \"rct\", \"comparison_ratio\": 1}}}}],"
        " \"contract\": {\"payments\": [{\"outcome\": \"o\", \"type\": \"per_unit\", \"price\": 1}]}}";
    a = must_load_string(switching);
    b = must_load_string(switching);
    cr_assert(b->outcomes[0].eval.has_switch);
    APART(b->outcomes[0].eval.switch_at, 1.5);
    APART(b->outcomes[0].eval.switch_to->comparison_ratio, 2);
    scenario_free(a);
    scenario_free(b);
}

/* A comparison of two scenarios that draw alike settles A's futures for B;
 * its whole state is that of the same comparison drawing B's futures
 * again (on A's streams), on one thread and on three. */
Test(family, a_comparison_that_draws_alike_settles_as_one_that_draws_again) {
    scenario *a = must_load_repo_file("scenarios/massachusetts-juvenile-justice.json");
    scenario *b = must_load_repo_file("scenarios/massachusetts-juvenile-justice.json");
    b->financing[0].tranches[0].coupon = 0.07;
    b->contract.rules[1].price *= 1.3;
    b->stages[0].fixed_per_year *= 0.9;
    for (unsigned threads = 1; threads <= 3; threads += 2) {
        sib_error err;
        engine *shared = engine_new_compare(a, b, NULL, &err);
        engine *drawn = engine_new_compare(a, b, NULL, &err);
        cr_assert(shared && drawn);
        cr_assert(shared->twin_shares, "these draw alike");
        drawn->twin_shares = 0; /* as before: B draws its own */
        must_run_on(shared, 3000, threads);
        must_run_on(drawn, 3000, threads);
        cr_assert(same_state(shared, drawn), "%u threads: the comparisons differ", threads);
        engine_free(shared);
        engine_free(drawn);
    }
    /* A changed effect: B draws its own. */
    b->outcomes[0].effect.a += 0.05;
    sib_error err;
    engine *apart = engine_new_compare(a, b, NULL, &err);
    cr_assert_not_null(apart);
    cr_assert(!apart->twin_shares);
    engine_free(apart);
    scenario_free(a);
    scenario_free(b);
}

/* Over every numeric field the library's scenarios cite a source or an
 * assumption for, moved by 1%: a term of the contract (but for the
 * termination clause, what it pays excepted) or of the financing, or a
 * stage's planned cost, leaves a scenario drawing alike (none of the
 * library's gates waits on payments made); an outcome's field, a cohort's
 * or a stage's timing sets it apart. */
static int term_of_settling(const char *p) {
    static const char *const costs[] = {"/costs/setup", "/costs/fixed_per_year",
                                        "/costs/per_participant"};
    if (strncmp(p, "/financing/", 11) == 0) return 1;
    if (strncmp(p, "/contract/", 10) == 0)
        return strncmp(p, "/contract/termination", 21) != 0 ||
               strncmp(p, "/contract/termination/pays", 26) == 0;
    for (size_t k = 0; strncmp(p, "/stages/", 8) == 0 && k < 3; k++) {
        const char *at = strstr(p, costs[k]);
        if (at != NULL && at[strlen(costs[k])] == 0) return 1;
    }
    return 0;
}

Test(family, the_library_draws_alike_under_its_terms_and_apart_under_its_outcomes) {
    size_t n_files;
    const char *const *files = library_scenarios(&n_files);
    size_t alike = 0, apart = 0;
    for (size_t f = 0; f < n_files; f++) {
        char *text = repo_text(files[f]);
        scenario *sc = must_load_string(text);
        for (size_t i = 0; i < sc->n_assumptions; i++) {
            const scenario_assumption *as = &sc->assumptions[i];
            char *end = NULL;
            const double v = strtod(as->value, &end);
            if (end == as->value || *end != 0) continue; /* not a plain number */
            scenario_override ov = {as->pointer, v * 1.01 + (v == 0 ? 0.01 : 0)};
            sib_error err;
            scenario *moved = scenario_load_string_with(text, "<test>", &ov, 1, &err);
            if (moved == NULL) continue; /* refused: out of its range */
            const int by_field = engine_scenarios_draw_alike(sc, moved);
            if (term_of_settling(as->pointer)) {
                cr_assert(by_field, "%s %s: a term, apart field by field", files[f], as->pointer);
                alike++;
            } else if (strncmp(as->pointer, "/outcomes/", 10) == 0 ||
                       strstr(as->pointer, "/start") || strstr(as->pointer, "/duration") ||
                       strstr(as->pointer, "/cohorts/")) {
                cr_assert(!by_field, "%s %s: a draw, alike field by field", files[f], as->pointer);
                apart++;
            }
            scenario_free(moved);
        }
        scenario_free(sc);
        free(text);
    }
    cr_assert(alike >= 15 && apart >= 15, "%zu alike and %zu apart checked", alike, apart);
}
