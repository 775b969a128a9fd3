/* test_fan.c -- the commissioner's outlay step by step across futures
 * (sim/fan.h): the run's own futures, whatever the threads. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>

#include "../sim/fan.h"
#include "helpers.h"

static void setup(void) { gsl_set_error_handler_off(); }
TestSuite(fan, .init = setup);

static fan *must_fan(const engine *e, uint64_t paths, size_t step, unsigned threads) {
    fan *f = NULL;
    sib_error err;
    int rc = fan_commissioner(e, paths, step, threads, &f, &err);
    if (rc != SIB_OK) cr_assert_fail("fan_commissioner: %s", err.message);
    return f;
}

Test(fan, steps_add_up_the_periods_they_cover) {
    const double flow[7] = {1, 2, 3, 4, 5, 6, 7};
    double out[4];
    fan_steps(flow, 7, 2, out);
    cr_assert_float_eq(out[0], 3, 1e-12);
    cr_assert_float_eq(out[1], 7, 1e-12);
    cr_assert_float_eq(out[2], 11, 1e-12);
    cr_assert_float_eq(out[3], 7, 1e-12, "the last step is shorter");
    fan_steps(flow, 3, 0, out); /* 0 periods a step counts as 1 */
    cr_assert_float_eq(out[2], 3, 1e-12);
}

/* Every structure's yearly means add up to the run's mean of what the
 * commissioner pays: the fan replays exactly the run's futures (a drift in
 * the seeding would move the sum by far more than rounding). */
static void means_add_up(const char *file, uint64_t paths) {
    scenario *sc = must_load_repo_file(file);
    engine *e = must_engine(sc);
    must_run_on(e, paths, 2);
    fan *f = must_fan(e, paths, (size_t)sc->sim.periods_per_year, 2);
    cr_assert_eq(f->n_fin, sc->n_financing);
    cr_assert_eq(f->paths, paths);
    cr_assert_eq(f->n_steps, (engine_periods(e) + 3) / 4);
    for (size_t k = 0; k < sc->n_financing; k++) {
        double sum = 0;
        for (size_t y = 0; y < f->n_steps; y++) sum += f->band[k * f->n_steps + y].mean;
        stats_summary s = summary_of(e, sc->financing[k].name, "commissioner.total");
        cr_assert_float_eq(sum, s.mean, 1e-9 * fmax(1, fabs(s.mean)),
                           "%s, %s: the years add up to %.10g, the run's mean is %.10g", file,
                           sc->financing[k].name, sum, s.mean);
    }
    fan_free(f);
    engine_free(e);
    scenario_free(sc);
}

Test(fan, the_years_add_up_to_the_runs_mean_outlay) {
    means_add_up("scenarios/peterborough.json", 3000);
    /* Four structures, a blend by stage, gates, and a last block that is
     * not full. */
    means_add_up("scenarios/regional-pilot-to-scale.json", 2100);
}

Test(fan, a_grants_outlay_is_the_fixed_delivery_cost_of_each_year) {
    /* Peterborough under a grant: GBP 0.7m a year for 3.75 years, no cost
     * uncertainty: every future pays 0.7m in each of years 1 to 3 and
     * 0.525m in year 4, so every percentile is that figure. */
    char *text = repo_text("scenarios/peterborough.json");
    /* The scenario with a grant after its SIB: structure 1. */
    const char *grant = ", { \"name\": \"grant\", \"type\": \"grant\" }";
    char *at = strstr(text, "\"financing\"");
    cr_assert_not_null(at);
    int depth = 0;
    char *end = strchr(at, '[');
    for (; *end; end++) {
        if (*end == '[') depth++;
        if (*end == ']' && --depth == 0) break;
    }
    size_t head = (size_t)(end - text);
    char *json = malloc(strlen(text) + strlen(grant) + 1);
    memcpy(json, text, head);
    strcpy(json + head, grant);
    strcat(json, end);
    scenario *sc = must_load_string(json);
    engine *e = must_engine(sc);
    must_run_on(e, 2048, 1);
    fan *f = must_fan(e, 2048, 4, 1);
    cr_assert_eq(f->n_fin, 2);
    const double want[4] = {700000, 700000, 700000, 525000};
    for (size_t y = 0; y < 4; y++) {
        const fan_band *b = &f->band[f->n_steps + y];
        const double v[7] = {b->mean, b->p05, b->p25, b->p50, b->p75, b->p95, b->max};
        for (size_t k = 0; k < 7; k++)
            cr_assert_float_eq(v[k], want[y], 1e-6, "year %zu: %.10g, not %.10g", y + 1, v[k],
                               want[y]);
    }
    for (size_t y = 4; y < f->n_steps; y++)
        cr_assert_float_eq(f->band[f->n_steps + y].p95, 0, 1e-9);
    fan_free(f);
    engine_free(e);
    scenario_free(sc);
    free(json);
    free(text);
}

Test(fan, the_bands_are_the_same_whatever_the_threads) {
    scenario *sc = must_load_repo_file("scenarios/regional-pilot-to-scale.json");
    engine *e = must_engine(sc);
    fan *one = must_fan(e, 5000, 4, 1), *three = must_fan(e, 5000, 4, 3);
    cr_assert_eq(one->n_steps, three->n_steps);
    cr_assert_eq(memcmp(one->band, three->band, one->n_fin * one->n_steps * sizeof *one->band), 0,
                 "bit-identical bands on 1 and 3 threads");
    fan_free(one);
    fan_free(three);
    engine_free(e);
    scenario_free(sc);
}

Test(fan, percentiles_are_in_order_within_the_range) {
    scenario *sc = must_load_repo_file("scenarios/regional-pilot-to-scale.json");
    engine *e = must_engine(sc);
    fan *f = must_fan(e, 3000, 4, 2);
    for (size_t c = 0; c < f->n_fin * f->n_steps; c++) {
        const fan_band *b = &f->band[c];
        const double v[7] = {b->min, b->p05, b->p25, b->p50, b->p75, b->p95, b->max};
        for (size_t k = 1; k < 7; k++)
            cr_assert(v[k - 1] <= v[k] + 1e-9 * fabs(v[k]), "cell %zu", c);
        cr_assert(b->mean >= b->min - 1e-6 && b->mean <= b->max + 1e-6);
    }
    fan_free(f);
    engine_free(e);
    scenario_free(sc);
}

Test(fan, what_cannot_be_a_fan_is_refused) {
    scenario *a = must_load_repo_file("scenarios/peterborough.json");
    engine *e = must_engine(a);
    fan *f = (fan *)1;
    sib_error err;
    cr_assert_eq(fan_commissioner(e, 0, 4, 1, &f, &err), SIB_EINVAL);
    cr_assert_null(f);
    cr_assert_eq(fan_commissioner(e, 10, 0, 1, &f, &err), SIB_EINVAL);
    engine *c = engine_new_compare(a, a, NULL, &err);
    cr_assert_not_null(c);
    cr_assert_eq(fan_commissioner(c, 10, 4, 1, &f, &err), SIB_EINVAL);
    cr_assert_null(f);
    fan_free(NULL);
    engine_free(c);
    engine_free(e);
    scenario_free(a);
}
