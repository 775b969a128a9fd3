/* test_state.c -- an engine's state saved and loaded: a run stopped, saved,
 * loaded into a new engine and continued is the run that never stopped, to
 * the bit. */
#include <criterion/criterion.h>
#include <string.h>

#include "../sim/engine.h"
#include "helpers.h"

/* Every number a report reads from e, as one byte string to compare. */
static void fingerprint(const engine *e, double *out, size_t max, size_t *n) {
    size_t k = 0;
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        stats_summary s;
        engine_summary(e, i, &s);
        const double v[] = {(double)s.n, (double)s.undefined, s.mean, s.sd, s.se, s.min, s.max,
                            s.p05, s.p25, s.p50, s.p75, s.p95, engine_worst_mean(e, i, 0.05)};
        for (size_t j = 0; j < sizeof v / sizeof *v && k < max; j++) out[k++] = v[j];
        irr_counts c;
        if (engine_irr_counts(e, i, &c) == SIB_OK && k + 2 < max) {
            out[k++] = (double)c.defined;
            out[k++] = (double)c.total_loss;
        }
    }
    *n = k;
}

static void assert_same(const engine *a, const engine *b) {
    static double x[40000], y[40000];
    size_t nx, ny;
    fingerprint(a, x, 40000, &nx);
    fingerprint(b, y, 40000, &ny);
    cr_assert_eq(nx, ny);
    cr_assert_gt(nx, 100);
    for (size_t i = 0; i < nx; i++)
        cr_assert(memcmp(&x[i], &y[i], sizeof x[i]) == 0, "number %zu: %.17g vs %.17g", i, x[i],
                  y[i]);
    cr_assert_eq(engine_paths_done(a), engine_paths_done(b));
}

static void stopped_saved_continued(scenario *sa, scenario *sb) {
    sib_error err;
    engine *whole = sb ? engine_new_compare(sa, sb, NULL, &err) : engine_new(sa, &err);
    cr_assert_not_null(whole, "%s", err.message);
    must_run_on(whole, 5000, 2);

    engine *first = sb ? engine_new_compare(sa, sb, NULL, &err) : engine_new(sa, &err);
    must_run_on(first, 3072, 1);
    unsigned char *buf;
    size_t len;
    cr_assert_eq(engine_state_save(first, &buf, &len, &err), SIB_OK);
    engine_free(first);

    engine *again = sb ? engine_new_compare(sa, sb, NULL, &err) : engine_new(sa, &err);
    cr_assert_eq(engine_state_load(again, buf, len, &err), SIB_OK, "%s", err.message);
    cr_assert_eq(engine_paths_done(again), 3072);
    must_run_on(again, 5000, 3);
    assert_same(whole, again);

    /* Saved again, the state is the same bytes as the whole run's. */
    unsigned char *b1, *b2;
    size_t l1, l2;
    cr_assert_eq(engine_state_save(whole, &b1, &l1, &err), SIB_OK);
    cr_assert_eq(engine_state_save(again, &b2, &l2, &err), SIB_OK);
    cr_assert_eq(l1, l2);
    size_t at = 0;
    while (at < l1 && b1[at] == b2[at]) at++;
    cr_assert_eq(at, l1, "the saved states differ from byte %zu of %zu", at, l1);
    free(b1);
    free(b2);
    free(buf);
    engine_free(whole);
    engine_free(again);
}

Test(state, a_run_stopped_saved_and_continued_is_the_run_that_never_stopped) {
    scenario *sc = must_load_repo_file("scenarios/massachusetts-juvenile-justice.json");
    stopped_saved_continued(sc, NULL);
    scenario_free(sc);
}

Test(state, so_is_a_comparison) {
    scenario *a = must_load_repo_file("scenarios/peterborough.json");
    scenario *b = must_load_repo_file("scenarios/peterborough.json");
    stopped_saved_continued(a, b);
    scenario_free(a);
    scenario_free(b);
}

Test(state, damaged_or_foreign_bytes_are_refused_and_leave_the_engine_empty) {
    scenario *pb = must_load_repo_file("scenarios/peterborough.json");
    scenario *ma = must_load_repo_file("scenarios/massachusetts-juvenile-justice.json");
    engine *e = must_engine(pb);
    must_run_on(e, 2048, 1);
    sib_error err;
    unsigned char *buf;
    size_t len;
    cr_assert_eq(engine_state_save(e, &buf, &len, &err), SIB_OK);

    engine *f = must_engine(pb);
    buf[len / 2] ^= 1; /* one bit flipped */
    cr_assert_eq(engine_state_load(f, buf, len, &err), SIB_EINVAL);
    cr_assert_not_null(strstr(err.message, "checksum"), "%s", err.message);
    cr_assert_eq(engine_paths_done(f), 0);
    buf[len / 2] ^= 1;
    cr_assert_eq(engine_state_load(f, buf, len - 9, &err), SIB_EINVAL);
    cr_assert_eq(engine_state_load(f, (const unsigned char *)"SIBSTATE", 8, &err), SIB_EINVAL);

    engine *g = must_engine(ma);
    cr_assert_eq(engine_state_load(g, buf, len, &err), SIB_EINVAL);
    cr_assert_not_null(strstr(err.message, "does not fit"), "%s", err.message);
    cr_assert_eq(engine_paths_done(g), 0);

    cr_assert_eq(engine_state_load(f, buf, len, &err), SIB_OK);
    cr_assert_eq(engine_paths_done(f), 2048);
    free(buf);
    engine_free(e);
    engine_free(f);
    engine_free(g);
    scenario_free(pb);
    scenario_free(ma);
}
