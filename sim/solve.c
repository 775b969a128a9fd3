/* solve.c -- solving for a term: the value of one or more terms, moved
 * together, at which a metric meets a target, by Brent's method on runs at
 * the common seed, each run's Monte Carlo noise kept in view. The contract
 * is in analysis.h. */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "analysis_internal.h"

/* The metric at one override, its standard error (NaN but for a mean) and
 * *scale, the standard error of the metric's mean whatever the statistic
 * chosen (the size of its Monte Carlo noise). With base (the scenario
 * without overrides), when the run's scenario draws as base does: on
 * *draws' futures, or, when *draws is NULL, recording its own into a new
 * *draws (left NULL when too large). */
static int metric_at(const analysis_base *b, const scenario_override *ov, size_t n_ov,
                     const char *metric, const scenario *base, engine_draws **draws, double *value,
                     double *se, double *scale, sib_error *err) {
    analysis_run r;
    int rc = an_open_run(b, ov, n_ov, &r, err);
    if (rc != SIB_OK) return rc;
    const int alike = an_draws_as(base, r.sc);
    if (alike && *draws == NULL) *draws = engine_draws_new(r.e, r.sc->sim.paths, an_draws_max(b));
    rc = alike && *draws ? engine_run_recorded(r.e, *draws, r.sc->sim.paths, b->threads, err)
                         : engine_run(r.e, r.sc->sim.paths, b->threads, NULL, NULL, err);
    if (rc != SIB_OK) {
        analysis_free_run(&r);
        return rc;
    }
    metric_choice m;
    rc = analysis_choose(r.e, metric, &m, err);
    if (rc == SIB_OK) {
        *value = analysis_value(r.e, &m, se);
        stats_summary sm;
        engine_summary(r.e, m.index, &sm);
        *scale = sm.se;
    }
    analysis_free_run(&r);
    return rc;
}

typedef struct solve_ctx {
    const analysis_base *b;
    const char *const *pointers;
    size_t n_pointers;
    const char *metric;
    double target;
    double last_se;
    double last_scale; /* the SE of the metric's mean at the last run (metric_at) */
    sib_error *err;
    int failed;
    /* The scenario without overrides (NULL in a cluster), and the futures
     * recorded by the first run that draws as it does, settled again by
     * each such run after (engine_draws). */
    const scenario *base;
    engine_draws *draws;
    /* The last SOLVE_SEEN values x run, with f(x) and the run's last_se
     * and last_scale: a run at the same x gives the same (one seed, the
     * same futures), so solve_jump's look at the final bracket's ends,
     * which the search has run, runs nothing. */
#define SOLVE_SEEN 8
    double seen_x[SOLVE_SEEN], seen_f[SOLVE_SEEN], seen_se[SOLVE_SEEN], seen_scale[SOLVE_SEEN];
    size_t n_seen;
} solve_ctx;

/* metric(x) - target, by a run at the common seed. NaN stops the solver. */
static double solve_f(double x, void *params) {
    solve_ctx *c = params;
    for (size_t k = 0; k < c->n_seen && k < SOLVE_SEEN; k++)
        if (c->seen_x[k] == x) {
            c->last_se = c->seen_se[k];
            c->last_scale = c->seen_scale[k];
            return c->seen_f[k];
        }
    scenario_override ov[16];
    size_t n = c->n_pointers < 16 ? c->n_pointers : 16;
    for (size_t k = 0; k < n; k++) ov[k] = (scenario_override){c->pointers[k], x};
    double v, se, scale;
    if (metric_at(c->b, ov, n, c->metric, c->base, &c->draws, &v, &se, &scale, c->err) != SIB_OK) {
        c->failed = 1;
        return NAN;
    }
    c->last_se = se;
    c->last_scale = scale;
    const size_t k = c->n_seen++ % SOLVE_SEEN;
    c->seen_x[k] = x;
    c->seen_f[k] = v - c->target;
    c->seen_se[k] = se;
    c->seen_scale[k] = scale;
    return v - c->target;
}

/* Whether the final bracket of a search that converged holds a root or a
 * jump past the target: the metric at its two ends differs by more than
 * its Monte Carlo noise at the root (the standard error of its mean, for
 * a quantile too; 0 when not estimated) and a thousandth of its change
 * over the whole range. A continuous metric changes by about a millionth
 * of the range across the bracket; a step of one future's worth, or of
 * noise drawn anew when a prior moves, is within the noise; a term that
 * moves every future at once (a lag by whole periods) is neither. Called
 * right after the run at the root (c->last_scale is its noise); change is
 * the metric's change over the range searched. */
static int solve_jump(solve_ctx *c, double change, solve_result *out) {
    const double noise = c->last_scale;
    const double f_lo = solve_f(out->lo, c);
    if (c->failed) return c->err->code;
    const double f_hi = solve_f(out->hi, c);
    if (c->failed) return c->err->code;
    const double d = fabs(f_hi - f_lo);
    const double tol = fmax(isfinite(noise) ? noise : 0, 1e-3 * change);
    if (d > tol && (f_lo > 0) != (f_hi > 0)) {
        out->found = 0;
        out->jump = 1;
        out->f_jump_lo = f_lo;
        out->f_jump_hi = f_hi;
    }
    return SIB_OK;
}

/* Brent's method on [lo, hi], where metric - target changes sign: the
 * root into out (value, metric, se, the final bracket, iterations, found),
 * then the look for a jump (solve_jump, change the metric's change over
 * the range). */
static int solve_brent(solve_ctx *c, double lo, double hi, double xtol, double change,
                       solve_result *out) {
    sib_error *err = c->err;
    const double target = c->target;
    out->lo = lo;
    out->hi = hi;
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (s == NULL) return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    gsl_function F = {.function = solve_f, .params = c};
    int rc = SIB_OK;
    int st0 = gsl_root_fsolver_set(s, &F, lo, hi);
    if (st0 != GSL_SUCCESS) {
        rc = c->failed ? err->code
                       : sib_error_set(err, SIB_ENUMERIC, NULL, "the solver could not start: %s",
                                       gsl_strerror(st0));
    } else {
        for (int it = 1; it <= 100; it++) {
            int st = gsl_root_fsolver_iterate(s);
            out->iterations = it;
            if (c->failed) {
                rc = err->code;
                break;
            }
            if (st != GSL_SUCCESS) {
                rc = sib_error_set(err, SIB_ENUMERIC, NULL, "the solver failed: %s",
                                   gsl_strerror(st));
                break;
            }
            out->lo = gsl_root_fsolver_x_lower(s);
            out->hi = gsl_root_fsolver_x_upper(s);
            if (gsl_root_test_interval(out->lo, out->hi, xtol, 0) == GSL_SUCCESS) break;
        }
    }
    if (rc == SIB_OK) {
        out->value = gsl_root_fsolver_root(s);
        double f = solve_f(out->value, c);
        if (c->failed) rc = err->code;
        out->metric = f + target;
        out->se = c->last_se;
        out->found = 1;
    }
    gsl_root_fsolver_free(s);
    if (rc == SIB_OK) rc = solve_jump(c, change, out);
    return rc;
}

/* analysis_solve's search, with c set up. */
static int solve_in(solve_ctx *c, double lo, double hi, double xtol, solve_result *out) {
    sib_error *err = c->err;
    const double target = c->target;
    out->lo = lo;
    out->hi = hi;
    out->f_lo = solve_f(lo, c);
    if (c->failed) return err->code;
    const double se_lo = c->last_se; /* each end's own, for a root there */
    out->f_hi = solve_f(hi, c);
    if (c->failed) return err->code;
    const double se_hi = c->last_se;
    if (isnan(out->f_lo) || isnan(out->f_hi))
        return sib_error_set(err, SIB_EINVAL, NULL,
                             "metric \"%s\" is undefined at %s %.8g: no future defines it "
                             "there, so solve cannot tell where it crosses the target",
                             c->metric,
                             isnan(out->f_lo) ? "the low end of the range,"
                                              : "the high end of the range,",
                             isnan(out->f_lo) ? lo : hi);
    if (out->f_lo == 0 || out->f_hi == 0) {
        /* The target met at an end: that end, its own SE (not the last
         * run's, the other end's), and a bracket that is the end alone. */
        out->value = out->f_lo == 0 ? lo : hi;
        out->found = 1;
        out->metric = target;
        out->se = out->f_lo == 0 ? se_lo : se_hi;
        out->lo = out->hi = out->value;
        return SIB_OK;
    }
    if ((out->f_lo > 0) == (out->f_hi > 0)) {
        /* Not bracketed: found = 0. Under common random numbers a metric
         * that a cap or trigger holds still is exactly equal at every
         * point: say so, rather than suggest a wider range. */
        const double x_mid = 0.5 * (lo + hi);
        double mid = solve_f(x_mid, c);
        if (c->failed) return err->code;
        const double se_mid = c->last_se;
        out->f_mid = mid;
        if (mid == 0) { /* the target met exactly in the middle */
            out->value = out->lo = out->hi = x_mid;
            out->found = 1;
            out->metric = target;
            out->se = se_mid;
            return SIB_OK;
        }
        if ((mid > 0) != (out->f_lo > 0)) {
            /* The ends on one side, the middle on the other: the metric
             * rises and falls over the range (a gate's threshold: too low
             * scales up weak programmes, too high stops good ones) and
             * crosses the target in each half. Both are answers. */
            const double change = fmax(fabs(mid - out->f_lo), fabs(mid - out->f_hi));
            solve_result upper = *out;
            int rc = solve_brent(c, x_mid, hi, xtol, change, &upper);
            if (rc != SIB_OK) return rc;
            const double f_lo = out->f_lo, f_hi = out->f_hi;
            rc = solve_brent(c, lo, x_mid, xtol, change, out);
            out->f_lo = f_lo; /* at the range's ends, as when not found */
            out->f_hi = f_hi;
            if (rc == SIB_OK && !out->found && upper.found) {
                /* The lower half closed on a jump: the upper crossing is
                 * the answer, and the jump the other. */
                solve_result lower = *out;
                *out = upper;
                upper = lower;
            }
            out->f_lo = f_lo;
            out->f_hi = f_hi;
            out->twice = 1;
            out->found2 = upper.found;
            out->value2 = upper.value;
            out->metric2 = upper.metric;
            out->se2 = upper.se;
            return rc;
        }
        out->flat =
            mid == out->f_lo && mid == out->f_hi ? 2 : (mid == out->f_lo || mid == out->f_hi);
        /* Past which end the target may lie: the end where |metric -
         * target| is smaller, unless the metric is held still there (the
         * middle equals it). Held at the FARTHER end only, it still moves
         * at the nearer one, toward the target: a cap at the top of a price
         * range does not put a target below the bottom out of reach. */
        const double near_lo = fabs(out->f_lo), near_hi = fabs(out->f_hi);
        if (out->flat != 2 && near_lo != near_hi) {
            const int lo_nearer = near_lo < near_hi;
            const int held = lo_nearer ? mid == out->f_lo : mid == out->f_hi;
            out->widen = held ? 0 : lo_nearer ? -1 : 1;
        }
        return SIB_OK;
    }

    return solve_brent(c, lo, hi, xtol, fabs(out->f_hi - out->f_lo), out);
}

int analysis_solve(const analysis_base *b, const char *const *pointers, size_t n_pointers,
                   double lo, double hi, const char *metric, double target, double xtol,
                   solve_result *out, sib_error *err) {
    memset(out, 0, sizeof *out);
    if (n_pointers == 0 || n_pointers > 16)
        return sib_error_set(err, SIB_EINVAL, NULL, "solve moves 1 to 16 parameters together");
    /* One term twice is a slip (another term was meant), as in a sweep. */
    for (size_t i = 1; i < n_pointers; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(pointers[i], pointers[j]) == 0) {
                if (err != NULL && b->name != NULL)
                    snprintf(err->file, sizeof err->file, "%s", b->name);
                return sib_error_set(err, SIB_EINVAL, pointers[i],
                                     "the same term given twice as --param: solve moves "
                                     "different terms together, each once");
            }
    analysis_base one = *b; /* each run reads the metric alone */
    one.only = metric;
    if (lo > hi) { /* the same range, its ends in order (Brent's method wants lo < hi) */
        double t = lo;
        lo = hi;
        hi = t;
    }
    solve_ctx c = {.b = &one,
                   .pointers = pointers,
                   .n_pointers = n_pointers,
                   .metric = metric,
                   .target = target,
                   .last_se = NAN,
                   .last_scale = NAN,
                   .err = err};
    /* Terms that leave the draws alike (an_draws_as, value by value): the
     * first run records its futures and the others settle them again,
     * each run's figures those it has alone. Not in a cluster, whose
     * processes each hold their own share. */
    sib_error ignored;
    scenario *base = engine_in_cluster() ? NULL : an_load_for(&one, NULL, 0, &ignored);
    c.base = base;
    int rc = solve_in(&c, lo, hi, xtol, out);
    engine_draws_free(c.draws);
    scenario_free(base);
    return rc;
}
