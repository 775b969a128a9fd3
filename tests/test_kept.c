/* test_kept.c -- a ledger's kept financing results (model/ledger.c,
 * ledger_finance): a future whose costs, payments, settlement and
 * termination are, bit for bit, those of one of the last LEDGER_KEEP
 * distinct inputs takes that set's results instead of running the
 * structures again, and its units' IRRs and NPVs with them (sim/metrics.c).
 * Two workers simulate the same futures on the same streams, one keeping
 * results, the other running every structure every time (ledger_keep 0):
 * every structure's results and every metric must be the same bits. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/engine_internal.h"
#include "helpers.h"

static void setup(void) { gsl_set_error_handler_off(); }
TestSuite(kept, .init = setup);

static int same_bytes(const void *a, const void *b, size_t n) { return memcmp(a, b, n) == 0; }

/* Whether two runs of a structure hold the same results, array for array. */
static int same_result(const financing *f, const fin_result *a, const fin_result *b) {
    const size_t K = f->n_tranches, G = f->n_guarantees;
    return same_bytes(a->block, b->block, a->block_len * sizeof *a->block) &&
           same_bytes(a->tranche, b->tranche, K * sizeof *a->tranche) &&
           same_bytes(a->guarantor, b->guarantor, G * sizeof *a->guarantor) &&
           same_bytes(a->guarantor_fees, b->guarantor_fees, G * sizeof *a->guarantor_fees) &&
           same_bytes(a->redeemed_at, b->redeemed_at, K * sizeof *a->redeemed_at) &&
           same_bytes(&a->unfunded_total, &b->unfunded_total, sizeof(double)) &&
           same_bytes(&a->returned_total, &b->returned_total, sizeof(double)) &&
           same_bytes(&a->to_provider_total, &b->to_provider_total, sizeof(double)) &&
           same_bytes(&a->provider_surplus, &b->provider_surplus, sizeof(double)) &&
           same_bytes(&a->peak_capital, &b->peak_capital, sizeof(double)) && a->settle == b->settle;
}

/* Simulate three blocks of futures of `text` on a worker that keeps
 * results and on one that runs them every time; compare each future's
 * structures and metrics. *taken: futures that took kept results. */
static void assert_kept_as_run(const char *text, size_t *taken, size_t *paths) {
    scenario *sc = must_load_string(text);
    engine *e = must_engine(sc);
    worker *wa = worker_new(e), *wb = worker_new(e);
    cr_assert(wa && wb);
    ledger_keep(wb->L, 0);
    double *va = calloc(e->n_metrics + 1, sizeof *va), *vb = calloc(e->n_metrics + 1, sizeof *vb);
    cr_assert(va && vb);
    *taken = *paths = 0;
    for (uint64_t k = 0; k < 3; k++) {
        engine_seed_worker(e, wa, k);
        engine_seed_worker(e, wb, k);
        for (size_t j = 0; j < ENGINE_BLOCK_PATHS; j++, ++*paths) {
            const uint64_t hits = wa->L->hits;
            path_simulate(e, wa);
            path_simulate(e, wb);
            *taken += wa->L->hits > hits;
            metrics_of_path(e, wa, va);
            metrics_of_path(e, wb, vb);
            for (size_t f = 0; f < sc->n_financing; f++) {
                const ledger_structure *a = &wa->L->fin[f], *b = &wb->L->fin[f];
                cr_assert(same_bytes(a->commissioner, b->commissioner,
                                     e->periods * sizeof *a->commissioner),
                          "block %llu, path %zu: the commissioner's outlay differs",
                          (unsigned long long)k, j);
                for (size_t p = 0; p < a->n_parts; p++)
                    cr_assert(same_result(&sc->financing[a->part[p]], a->run[p], b->run[p]),
                              "block %llu, path %zu, structure %zu: not the results run afresh",
                              (unsigned long long)k, j, f);
            }
            for (size_t i = 0; i < e->n_metrics; i++)
                cr_assert(same_bytes(&va[i], &vb[i], sizeof va[i]),
                          "block %llu, path %zu: metric %s is %.17g, run afresh %.17g",
                          (unsigned long long)k, j, e->metrics[i].key, va[i], vb[i]);
            cr_assert(
                same_bytes(wa->irr_status, wb->irr_status, e->n_units * sizeof *wa->irr_status));
        }
    }
    cr_assert_eq(wb->L->hits, 0, "the reference took kept results");
    free(va);
    free(vb);
    worker_free(wa);
    worker_free(wb);
    engine_free(e);
    scenario_free(sc);
}

/* The default scenario (futures that pay nothing, or every cap: most
 * repeat), Rikers (a guarantee; eight distinct sets of inputs in all), the
 * Benevolent Society's bond (terms: a coupon floor, rules that repay)
 * and the regional template (a blend by stage, gates). */
Test(kept, a_future_that_takes_kept_results_has_those_run_afresh) {
    const struct {
        const char *file;
        double least; /* the share of futures that must take kept results */
    } deals[] = {{"scenarios/peterborough.json", 0.6},
                 {"scenarios/rikers-island.json", 0.9},
                 {"scenarios/benevolent-society-social-benefit-bond.json", 0.3},
                 {"scenarios/regional-pilot-to-scale.json", 0}};
    for (size_t d = 0; d < sizeof deals / sizeof deals[0]; d++) {
        char *text = repo_text(deals[d].file);
        size_t taken, paths;
        assert_kept_as_run(text, &taken, &paths);
        cr_assert((double)taken >= deals[d].least * (double)paths, "%s: %zu of %zu taken",
                  deals[d].file, taken, paths);
        free(text);
    }
}

/* Futures whose costs and payments repeat while what else the structures
 * read does not: delivery ends at 1.5 years (or at an operational
 * failure), the commissioner may terminate at 2.5, owing half the
 * principal outstanding, which changes neither line; the contract rarely
 * pays (a 20% trigger on a 10% effect). A set taken for the same lines but
 * another termination shows here; then, on one ledger, the same lines with
 * another settlement period (a guarantee is called at settlement). */
Test(kept, a_future_takes_kept_results_only_for_the_same_settlement_and_termination) {
    const char *text =
        "{\"name\": \"k\", \"currency\": \"GBP\", \"simulation\": {\"seed\": 11},"
        " \"stages\": [{\"name\": \"pilot\", \"duration\": 1.5, \"failure_hazard\": 0.2,"
        "     \"costs\": {\"fixed_per_year\": 100000, \"per_participant\": 900},"
        "     \"cohorts\": [{\"size\": 200, \"enrolment\": 1}, {\"size\": 200, \"entry\": 0.5, "
        "\"enrolment\": 1}]}],"
        " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": \"lower_is_better\","
        "   \"baseline\": 0.5, \"effect\": {\"prior\": {\"dist\": \"normal\", \"mean\": 0.1, "
        "\"sd\": 0.08}},"
        "   \"evaluation\": {\"design\": \"rct\", \"comparison_size\": 200}, \"observation_lag\": "
        "0.5}],"
        " \"contract\": {\"payments\": [{\"outcome\": \"o\", \"type\": \"per_unit\", \"price\": "
        "2000, \"trigger\": 0.2, \"cap\": 30000}],"
        "   \"termination\": {\"at\": [2.5], \"probability\": 0.4,"
        "     \"pays\": {\"principal_outstanding\": 0.5}}},"
        " \"financing\": [{\"name\": \"SIB\", \"type\": \"sib\","
        "   \"tranches\": [{\"name\": \"i\", \"commitment\": 2000000, \"coupon\": 0.06}],"
        "   \"guarantees\": [{\"tranche\": \"i\", \"kind\": \"first_loss\", \"amount\": 50000}]}]}";
    size_t taken, paths;
    assert_kept_as_run(text, &taken, &paths);
    cr_assert(taken > paths / 4, "%zu of %zu taken: the test tests little", taken, paths);

    scenario *sc = must_load_string(text);
    engine *e = must_engine(sc);
    worker *w = worker_new(e);
    cr_assert_not_null(w);
    engine_seed_worker(e, w, 0);
    path_simulate(e, w);
    ledger *l = w->L;
    const fin_result *r = l->fin[0].run[0];
    const size_t settle = l->settle, other = settle > 2 ? settle - 2 : settle + 1;
    cr_assert(other < e->periods);
    const double called = r->guarantor[0];
    cr_assert_eq(ledger_finance(l, other), 0, "another settlement: run again");
    cr_assert_eq(l->fin[0].run[0]->settle, other);
    cr_assert_eq(ledger_finance(l, settle), 1, "the first settlement: its set taken again");
    cr_assert_eq(l->fin[0].run[0]->settle, settle);
    cr_assert(same_bytes(&l->fin[0].run[0]->guarantor[0], &called, sizeof called));
    const size_t term = l->term_period;
    l->term_period = term == SIZE_MAX ? 8 : SIZE_MAX;
    cr_assert_eq(ledger_finance(l, settle), 0, "another termination: run again");
    l->term_period = term;
    cr_assert_eq(ledger_finance(l, settle), 1);
    worker_free(w);
    engine_free(e);
    scenario_free(sc);
}
