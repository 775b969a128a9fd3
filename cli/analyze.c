/* analyze.c -- the analysis commands: sweep, tornado, solve, converge and
 * pilot-value. Each calls sim/analysis.c and renders what it returns, as a
 * table with a terminal chart, CSV or JSON. Output is built in memory and
 * then written to stdout or, with --out, atomically to a file. */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../sim/analysis.h"
#include "../present/format.h"
#include "options.h"
#include "output.h"
#include "progress.h"

enum { EXIT_RUN = 1, EXIT_INPUT = 2 };

/* ------------------------------------------------------------- plumbing */

/* Write buf to stdout, or atomically to --out, with its provenance (output.h). */
static int emit(const run_opts *o, const char *buf, size_t len) {
    return output_emit_doc(o->out, o->fmt, &o->prov, buf, len) == 0 ? 0 : EXIT_RUN;
}

/* Report err (the loader's or the engine's) and choose the exit status. */
static int fail(const sib_error *err) {
    char buf[1200];
    fprintf(stderr, "%s\n", sib_error_format(err, buf, sizeof buf));
    return err->code == SIB_EINVAL || err->code == SIB_ESYNTAX ? EXIT_INPUT : EXIT_RUN;
}

static analysis_base base_of(const run_opts *o, const char *text, const char *name) {
    analysis_base b = {.text = text,
                       .name = name,
                       .paths = o->have_paths ? o->paths : 0,
                       .threads = (unsigned)o->threads,
                       .have_seed = o->have_seed,
                       .seed = o->seed};
    return b;
}

/* The default metric: the first investor tranche's IRR of the expected
 * cash flows (a deal memo's "expected return") when the scenario has
 * investors, else the commissioner's outcome payments. */
static const char *default_metric(const char *text, const char *name, char *buf, size_t size) {
    sib_error err;
    scenario *sc = scenario_load_string(text, name, &err);
    snprintf(buf, size, "commissioner/payments.total");
    if (sc == NULL) return buf;
    for (size_t f = 0; f < sc->n_financing; f++)
        if (sc->financing[f].n_tranches > 0) {
            snprintf(buf, size, "%s/%s.pooled_irr", sc->financing[f].name,
                     sc->financing[f].tranches[0].name);
            break;
        }
    scenario_free(sc);
    return buf;
}

static const char *metric_of(const run_opts *o, const char *text, const char *name, char *buf,
                             size_t size) {
    return o->metric ? o->metric : default_metric(text, name, buf, size);
}

/* A value in the metric's unit (a short form of the report's). */
static const char *show(char *buf, size_t size, const engine *e, size_t i, const char *currency,
                        double x) {
    const metric_info *m = engine_metric(e, i);
    if (isnan(x)) snprintf(buf, size, "n/a");
    else if (m->kind == METRIC_INDICATOR || m->unit == UNIT_SHARE || m->unit == UNIT_RATE)
        snprintf(buf, size, "%.2f%%", 100 * x);
    else if (m->unit == UNIT_MONEY) present_money(buf, size, currency, x);
    else if (m->unit == UNIT_MULTIPLE) snprintf(buf, size, "%.3fx", x);
    else snprintf(buf, size, "%.4g", x);
    return buf;
}

static void bar(FILE *out, double frac, int width) {
    int n = (int)lround(frac * width);
    if (n < 0) n = 0;
    if (n > width) n = width;
    for (int i = 0; i < n; i++) fputc('#', out);
}

/* ----------------------------------------------------------------- sweep */

typedef struct sweep_ud {
    FILE *out;
    const run_opts *o;
    const char *metric;
    char currency[8];
    /* table: the chosen metric per point, drawn when the sweep ends */
    double x[1001][2], y[1001], se[1001];
    size_t n;
    size_t index;
    const engine *last;
    sib_error *err;
    int first;
} sweep_ud;

static int sweep_point(const double *x, size_t n_params, const engine *e, void *v) {
    sweep_ud *u = v;
    metric_choice m;
    if (analysis_choose(e, u->metric, &m, u->err) != SIB_OK) return 1;
    u->index = m.index;
    if (u->o->fmt == FORMAT_TABLE) {
        if (u->n < 1001) {
            u->x[u->n][0] = x[0];
            u->x[u->n][1] = n_params > 1 ? x[1] : 0;
            u->y[u->n] = analysis_value(e, &m, &u->se[u->n]);
            u->n++;
        }
        return 0;
    }
    /* CSV and JSON: every metric at every point. */
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        const metric_info *mi = engine_metric(e, i);
        stats_summary s;
        engine_summary(e, i, &s);
        double vals[] = {s.mean, s.se, s.p05, s.p50, s.p95};
        if (u->o->fmt == FORMAT_CSV) {
            fprintf(u->out, "%.17g,", x[0]);
            if (n_params > 1) fprintf(u->out, "%.17g", x[1]);
            fputc(',', u->out);
            present_csv_field(u->out, mi->group);
            fputc(',', u->out);
            present_csv_field(u->out, mi->key);
            for (size_t k = 0; k < 5; k++) present_csv_number(u->out, vals[k]);
            fputc('\n', u->out);
        } else {
            fprintf(u->out, "%s\n    {\"x\": [%.17g", u->first ? "" : ",", x[0]);
            if (n_params > 1) fprintf(u->out, ", %.17g", x[1]);
            fputs("], \"group\": ", u->out);
            present_json_string(u->out, mi->group);
            fputs(", \"key\": ", u->out);
            present_json_string(u->out, mi->key);
            const char *names[] = {"mean", "se", "p05", "p50", "p95"};
            for (size_t k = 0; k < 5; k++) {
                fprintf(u->out, ", \"%s\": ", names[k]);
                present_json_number(u->out, vals[k]);
            }
            if (!isfinite(s.mean))
                fputs(", \"note\": \"undefined in every future at this point\"", u->out);
            fputc('}', u->out);
            u->first = 0;
        }
    }
    return 0;
}

int cmd_sweep_text(const run_opts *o, const char *text, const char *name) {
    if (o->n_params == 0) {
        fprintf(stderr, "sibsim: sweep: expected --param POINTER with --from, --to (and --steps)\n");
        return EXIT_INPUT;
    }
    for (int k = 0; k < o->n_params; k++)
        if (!o->have_from[k] || !o->have_to[k]) {
            fprintf(stderr, "sibsim: sweep: --param %s needs --from and --to\n", o->param[k]);
            return EXIT_INPUT;
        }
    char mbuf[512];
    sib_error err;
    sib_error_clear(&err);
    analysis_base b = base_of(o, text, name);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (out == NULL) return EXIT_RUN;
    sweep_ud *u = calloc(1, sizeof *u);
    if (u == NULL) {
        fclose(out);
        free(buf);
        return EXIT_RUN;
    }
    u->out = out;
    u->o = o;
    u->metric = metric_of(o, text, name, mbuf, sizeof mbuf);
    u->err = &err;
    u->first = 1;
    scenario *sc = scenario_load_string(text, name, &err);
    if (sc != NULL) snprintf(u->currency, sizeof u->currency, "%s", sc->currency);
    if (o->fmt == FORMAT_CSV)
        fprintf(out, "x1,x2,group,key,mean,se,p05,p50,p95\n");
    else if (o->fmt == FORMAT_JSON)
    {
        fputs("{\"params\": [", out);
        for (int k = 0; k < o->n_params; k++) {
            if (k) fputs(", ", out);
            present_json_string(out, o->param[k]);
        }
        fputs("], \"points\": [", out);
    }
    const char *ptrs[2] = {o->param[0], o->param[1]};
    int rc = sc ? analysis_sweep(&b, ptrs, o->from, o->to, o->steps, (size_t)o->n_params,
                                 sweep_point, u, &err)
                : err.code;
    int status = 0;
    if (rc != SIB_OK) {
        status = fail(&err);
    } else if (o->fmt == FORMAT_JSON) {
        fprintf(out, "\n]}\n");
    } else if (o->fmt == FORMAT_TABLE) {
        /* The chosen metric against the parameter(s), with a bar chart. */
        double lo = HUGE_VAL, hi = -HUGE_VAL;
        for (size_t i = 0; i < u->n; i++)
            if (isfinite(u->y[i])) {
                lo = fmin(lo, u->y[i]);
                hi = fmax(hi, u->y[i]);
            }
        fprintf(out, "Sweep of %s", o->param[0]);
        if (o->n_params > 1) fprintf(out, " and %s", o->param[1]);
        fprintf(out, " on common random numbers (seed %llu, %llu paths a point)\n",
                (unsigned long long)(o->have_seed ? o->seed : (sc ? sc->sim.seed : 0)),
                (unsigned long long)(o->have_paths ? o->paths : (sc ? sc->sim.paths : 0)));
        fprintf(out, "metric: %s\n\n", u->metric);
        fprintf(out, "  %14s", "x1");
        if (o->n_params > 1) fprintf(out, " %14s", "x2");
        present_col(out, "value", 12);
        present_col(out, "± SE", 12);
        fputc('\n', out);
        /* Values are shown in the metric's unit; the engine of the last point
         * is gone, so the unit is taken from a fresh compile. */
        engine *e = sc ? engine_new(sc, &err) : NULL;
        for (size_t i = 0; i < u->n; i++) {
            char v[48], se[48];
            if (e) {
                show(v, sizeof v, e, u->index, u->currency, u->y[i]);
                show(se, sizeof se, e, u->index, u->currency, u->se[i]);
            } else {
                snprintf(v, sizeof v, "%.4g", u->y[i]);
                snprintf(se, sizeof se, "%.2g", u->se[i]);
            }
            char pm[64] = "";
            if (!isnan(u->se[i])) snprintf(pm, sizeof pm, "±%s", se);
            fprintf(out, "  %14.6g", u->x[i][0]);
            if (o->n_params > 1) fprintf(out, " %14.6g", u->x[i][1]);
            present_col(out, v, 12);
            present_col(out, pm, 12);
            fputs("  |", out);
            if (hi > lo && isfinite(u->y[i])) bar(out, (u->y[i] - lo) / (hi - lo), 40);
            fputc('\n', out);
        }
        engine_free(e);
    }
    scenario_free(sc);
    fclose(out);
    if (status == 0) status = emit(o, buf, len);
    free(buf);
    free(u);
    return status;
}

/* --------------------------------------------------------------- tornado */

int cmd_tornado_text(const run_opts *o, const char *text, const char *name) {
    char mbuf[512];
    const char *metric = metric_of(o, text, name, mbuf, sizeof mbuf);
    analysis_base b = base_of(o, text, name);
    if (!o->have_paths) b.paths = OPT_ANALYSIS_PATHS; /* two runs an input: keep it interactive */
    sib_error err;
    sib_error_clear(&err);
    tornado_bar bars[256];
    size_t n = 0;
    double base = NAN;
    int rc = analysis_tornado(&b, metric, o->pct, bars, 256, &n, &base, &err);
    if (rc != SIB_OK) return fail(&err);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (out == NULL) return EXIT_RUN;
    if (o->fmt == FORMAT_CSV) {
        fprintf(out, "pointer,kind,low,high,metric_low,metric_high,swing\n");
        for (size_t i = 0; i < n; i++) {
            present_csv_field(out, bars[i].pointer);
            fprintf(out, ",%s", bars[i].is_input ? "input" : "term");
            const double v[] = {bars[i].low, bars[i].high, bars[i].metric_low, bars[i].metric_high,
                                bars[i].swing};
            for (size_t k = 0; k < 5; k++) present_csv_number(out, v[k]);
            fputc('\n', out);
        }
    } else if (o->fmt == FORMAT_JSON) {
        fputs("{\"metric\": ", out);
        present_json_string(out, metric);
        fputs(", \"base\": ", out);
        present_json_number(out, base);
        if (!isfinite(base)) fputs(", \"note\": \"the metric is undefined with nothing moved\"", out);
        fputs(", \"bars\": [", out);
        for (size_t i = 0; i < n; i++) {
            fprintf(out, "%s\n  {\"pointer\": ", i ? "," : "");
            present_json_string(out, bars[i].pointer);
            fprintf(out, ", \"kind\": \"%s\"", bars[i].is_input ? "input" : "term");
            const char *names[] = {"low", "high", "metric_low", "metric_high", "swing"};
            const double v[] = {bars[i].low, bars[i].high, bars[i].metric_low, bars[i].metric_high,
                                bars[i].swing};
            for (size_t k = 0; k < 5; k++) {
                fprintf(out, ", \"%s\": ", names[k]);
                present_json_number(out, v[k]);
            }
            fputc('}', out);
        }
        fprintf(out, "\n]}\n");
    } else {
        fprintf(out, "Tornado of %s: %.6g with nothing moved\n", metric, base);
        fprintf(out, "uncertain inputs at their 10th and 90th percentiles; terms %g%% down and up;\n"
                     "%llu paths a run on common random numbers\n\n",
                100 * o->pct, (unsigned long long)b.paths);
        double top = n ? bars[0].swing : 0;
        for (size_t i = 0; i < n; i++) {
            fprintf(out, "  %-44.44s %10.4g .. %-10.4g %9.4g |", bars[i].pointer,
                    bars[i].metric_low, bars[i].metric_high, bars[i].swing);
            if (top > 0) bar(out, bars[i].swing / top, 30);
            fprintf(out, "\n  %-44s (%s %.4g .. %.4g)\n", "", bars[i].is_input ? "P10/P90:" : "moved to:",
                    bars[i].low, bars[i].high);
        }
    }
    fclose(out);
    int status = emit(o, buf, len);
    free(buf);
    return status;
}

/* ----------------------------------------------------------------- solve */

/* Whether the scenario loads with every --param set to x. */
static int loads_at(const run_opts *o, const char *text, const char *name, double x) {
    scenario_override ov[OPT_MAX_PARAMS];
    for (int k = 0; k < o->n_params; k++) ov[k] = (scenario_override){o->param[k], x};
    sib_error err;
    scenario *sc = scenario_load_string_with(text, name, ov, (size_t)o->n_params, &err);
    scenario_free(sc);
    return sc != NULL;
}

/* A default end of solve's range pulled back inside what the scenario
 * accepts: when `end` is refused (past a field's bound, e.g. a return cap of
 * 1.3 > 1), bisect between `now`, which loads, and `end` to within a
 * millionth of their gap, and return the last value that loads. */
static double default_end_within_bounds(const run_opts *o, const char *text, const char *name,
                                        double now, double end) {
    if (loads_at(o, text, name, end)) return end;
    double good = now, bad = end;
    while (fabs(bad - good) > 1e-6 * fabs(end - now)) {
        double mid = 0.5 * (good + bad);
        if (loads_at(o, text, name, mid)) good = mid;
        else bad = mid;
    }
    return good;
}

int cmd_solve_text(const run_opts *o, const char *text, const char *name) {
    if (o->n_params < 1 || o->target == NULL) {
        fprintf(stderr, "sibsim: solve: expected --param POINTER (several move together) and "
                        "--target METRIC=VALUE\n");
        return EXIT_INPUT;
    }
    char metric[512];
    const char *eq = strrchr(o->target, '=');
    double target;
    if (eq == NULL || eq == o->target || sscanf(eq + 1, "%lf", &target) != 1) {
        fprintf(stderr, "sibsim: solve: --target: expected METRIC=VALUE (e.g. irr=0.07), found '%s'\n",
                o->target);
        return EXIT_INPUT;
    }
    snprintf(metric, sizeof metric, "%.*s", (int)(eq - o->target), o->target);
    sib_error err;
    sib_error_clear(&err);
    /* The range: --from and --to given after any of the linked --param
     * pointers (they all take the same value). */
    int rk = 0;
    for (int k = 0; k < o->n_params; k++)
        if (o->have_from[k] || o->have_to[k]) rk = k;
    double lo = o->from[rk], hi = o->to[rk];
    if (!o->have_from[rk] || !o->have_to[rk]) {
        /* Default range: a tenth to ten times the current value, within the
         * field's bounds. */
        double now;
        if (scenario_number_at(text, o->param[0], &now, &err) != SIB_OK) {
            snprintf(err.file, sizeof err.file, "%s", name);
            return fail(&err);
        }
        if (!o->have_from[rk])
            lo = default_end_within_bounds(o, text, name, now, now > 0 ? now / 10 : now * 10);
        if (!o->have_to[rk])
            hi = default_end_within_bounds(o, text, name, now, now > 0 ? now * 10 : now / 10);
        if (lo == hi) {
            fprintf(stderr, "sibsim: solve: %s is 0 now: give the range with --from and --to\n",
                    o->param[0]);
            return EXIT_INPUT;
        }
    }
    analysis_base b = base_of(o, text, name);
    if (!o->have_paths) b.paths = OPT_ANALYSIS_PATHS;
    solve_result r;
    double xtol = 1e-6 * fmax(fabs(lo), fabs(hi));
    int rc = analysis_solve(&b, o->param, (size_t)o->n_params, lo, hi, metric, target, xtol,
                            &r, &err);
    if (rc != SIB_OK) return fail(&err);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (out == NULL) return EXIT_RUN;
    /* The parameters, joined: "/a = /b" when several move together. */
    char params[1200] = "";
    for (int k = 0; k < o->n_params; k++) {
        size_t used = strlen(params);
        snprintf(params + used, sizeof params - used, "%s%s", k ? " = " : "", o->param[k]);
    }
    if (o->fmt == FORMAT_JSON) {
        /* Not found: no value, no metric there (null, with the reason);
         * a quantile has no SE estimated (null). */
        fputs("{\"param\": ", out);
        present_json_string(out, o->param[0]);
        fputs(", \"params\": [", out);
        for (int k = 0; k < o->n_params; k++) {
            if (k) fputs(", ", out);
            present_json_string(out, o->param[k]);
        }
        fputs("], \"metric\": ", out);
        present_json_string(out, metric);
        fprintf(out, ", \"target\": %.17g, \"found\": %s, \"flat\": %s, \"value\": ", target,
                r.found ? "true" : "false", r.flat == 2 ? "true" : "false");
        present_json_number(out, r.found ? r.value : NAN);
        fputs(", \"metric_value\": ", out);
        present_json_number(out, r.found ? r.metric : NAN);
        fputs(", \"se\": ", out);
        present_json_number(out, r.found ? r.se : NAN);
        fprintf(out, ", \"bracket\": [%.17g, %.17g], \"iterations\": %d", r.lo, r.hi,
                r.iterations);
        if (!r.found)
            fprintf(out, ", \"note\": \"%s\", \"metric_at_ends\": [%.17g, %.17g]",
                    r.flat ? "the metric does not move in the range (a cap or trigger holds it)"
                           : "no value in the range reaches the target",
                    r.f_lo + target, r.f_hi + target);
        fputs("}\n", out);
    } else if (o->fmt == FORMAT_CSV) {
        fputs("param,metric,target,found,value,metric_value,se,lo,hi,iterations\n", out);
        present_csv_field(out, params);
        fputc(',', out);
        present_csv_field(out, metric);
        fprintf(out, ",%.17g,%d", target, r.found);
        present_csv_number(out, r.found ? r.value : NAN);
        present_csv_number(out, r.found ? r.metric : NAN);
        present_csv_number(out, r.found ? r.se : NAN);
        fprintf(out, ",%.17g,%.17g,%d\n", r.lo, r.hi, r.iterations);
    } else if (r.found) {
        fprintf(out, "%s = %.8g gives %s = %.6g (target %.6g)", params, r.value, metric,
                r.metric, target);
        if (!isnan(r.se)) fprintf(out, ", SE %.2g", r.se);
        fprintf(out, "\n  Brent's method on common random numbers: %d iterations, final bracket "
                     "[%.8g, %.8g]; %llu paths a run\n",
                r.iterations, r.lo, r.hi, (unsigned long long)b.paths);
    }
    fclose(out);
    int status = 0;
    if (!r.found && r.flat == 2) {
        fprintf(stderr,
                "sibsim: solve: %s does not move when %s goes from %g to %g: it is %.6g at both "
                "ends and in the middle. A cap or a trigger holds it there (or the parameter does "
                "not reach it): the target %g is out of reach by this term alone.\n",
                metric, params, lo, hi, r.f_lo + target, target);
        status = EXIT_RUN;
    } else if (!r.found && r.flat == 1) {
        double mid = 0.5 * (lo + hi);
        int at_hi = r.f_mid == r.f_hi;
        fprintf(stderr,
                "sibsim: solve: no value of %s in [%g, %g] gives %s = %g: it is %.6g at %g and "
                "%.6g at %g, and it stops moving between %g and %g (exactly %.6g at both): a cap "
                "or a trigger holds it there, so a wider range will not reach the target.\n",
                params, lo, hi, metric, target, r.f_lo + target, lo, r.f_hi + target, hi,
                at_hi ? mid : lo, at_hi ? hi : mid, r.f_mid + target);
        status = EXIT_RUN;
    } else if (!r.found) {
        fprintf(stderr,
                "sibsim: solve: no value of %s in [%g, %g] gives %s = %g: it is %.6g at %g and "
                "%.6g at %g. Widen the range with --from/--to, or the target may be out of reach.\n",
                params, lo, hi, metric, target, r.f_lo + target, lo, r.f_hi + target, hi);
        status = EXIT_RUN;
    }
    if (status == 0 || len > 0) {
        int st2 = emit(o, buf, len);
        if (status == 0) status = st2;
    }
    free(buf);
    return status;
}

/* -------------------------------------------------------------- converge */

typedef struct conv_ud {
    FILE *out;
    const char *metric;
    const run_opts *o;
    int rows;
} conv_ud;

static int conv_step(uint64_t paths, const engine *e, void *v) {
    conv_ud *u = v;
    metric_choice m;
    sib_error err;
    if (analysis_choose(e, u->metric, &m, &err) != SIB_OK) return 1;
    double se, x = analysis_value(e, &m, &se);
    if (u->o->fmt == FORMAT_CSV) {
        fprintf(u->out, "%llu", (unsigned long long)paths);
        present_csv_number(u->out, x);
        present_csv_number(u->out, se);
        fputc('\n', u->out);
    } else if (u->o->fmt == FORMAT_JSON) {
        fprintf(u->out, "%s\n  {\"paths\": %llu, \"estimate\": ", u->rows ? "," : "",
                (unsigned long long)paths);
        present_json_number(u->out, x);
        fputs(", \"se\": ", u->out);
        present_json_number(u->out, se);
        fputc('}', u->out);
    } else {
        fprintf(u->out, "  %12llu %16.8g %14.4g\n", (unsigned long long)paths, x, se);
    }
    u->rows++;
    return 0;
}

int cmd_converge_text(const run_opts *o, const char *text, const char *name) {
    char mbuf[512];
    const char *metric = metric_of(o, text, name, mbuf, sizeof mbuf);
    analysis_base b = base_of(o, text, name);
    uint64_t max = o->have_paths ? o->paths : OPT_CONVERGE_PATHS;
    double precision = o->have_precision ? o->precision : 0;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (out == NULL) return EXIT_RUN;
    conv_ud u = {out, metric, o, 0};
    if (o->have_precision && strchr(metric, ':') != NULL && strstr(metric, ":mean") == NULL) {
        fprintf(stderr, "sibsim: converge: --precision is a standard error, estimated for a mean "
                        "only; drop it, or converge on the mean of %.*s\n",
                (int)(strchr(metric, ':') - metric), metric);
        fclose(out);
        free(buf);
        return EXIT_INPUT;
    }
    if (o->fmt == FORMAT_CSV) fprintf(out, "paths,estimate,se\n");
    else if (o->fmt == FORMAT_JSON) {
        fputs("{\"metric\": ", out);
        present_json_string(out, metric);
        fputs(", \"steps\": [", out);
    }
    else fprintf(out, "Convergence of %s (paths double; each estimate includes the last)\n"
                      "  %12s %16s %14s\n", metric, "paths", "estimate", "SE");
    sib_error err;
    sib_error_clear(&err);
    uint64_t done;
    int reached;
    int rc = analysis_converge(&b, metric, precision, max, conv_step, &u, &done, &reached, &err);
    if (rc == SIB_OK && o->fmt == FORMAT_JSON)
        fprintf(out, "\n], \"paths\": %llu, \"reached\": %s}\n", (unsigned long long)done,
                reached ? "true" : "false");
    else if (rc == SIB_OK && o->fmt != FORMAT_CSV) {
        if (!o->have_precision) fprintf(out, "  (no --precision: ran to %llu paths)\n", (unsigned long long)done);
        else if (reached) fprintf(out, "  precision %g reached at %llu paths\n", precision, (unsigned long long)done);
        else fprintf(out, "  precision %g NOT reached by %llu paths: raise --paths\n", precision,
                     (unsigned long long)done);
    }
    fclose(out);
    int status = rc == SIB_OK ? emit(o, buf, len) : fail(&err);
    free(buf);
    return status;
}

/* ---------------------------------------------------- value of the pilot */

int cmd_pilot_text(const run_opts *o, const char *text, const char *name) {
    analysis_base b = base_of(o, text, name);
    sib_error err;
    sib_error_clear(&err);
    analysis_run r;
    scenario *committed;
    double t0 = progress_now();
    int rc = analysis_pilot_value(&b, &r, &committed, &err);
    if (rc != SIB_OK) return fail(&err);
    double seconds = progress_now() - t0;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (out == NULL) return EXIT_RUN;
    report_run rr = {.scenario_file = name,
                     .scenario_b = r.sc,
                     .threads = (unsigned)o->threads,
                     .seconds = seconds};
    if (o->fmt == FORMAT_TABLE) {
        fprintf(out, "Value of the pilot's information: every stage committed up front (A) against\n"
                     "later stages gated on measured results as written (B), on common random\n"
                     "numbers. B - A is what the gates are worth: costs avoided when results are\n"
                     "poor, outcomes forgone when a good programme is stopped.\n\n");
        /* The headline: for each structure, the expected value of the gate. */
        for (size_t f = 0; f < r.sc->n_financing; f++) {
            const char *g = r.sc->financing[f].name;
            const char *keys[] = {"net_value", "commissioner.pv"};
            for (size_t k = 0; k < 2; k++) {
                size_t i = engine_find_metric(r.e, g, keys[k]);
                if (i == (size_t)-1 || engine_metric(r.e, i)->diff == SIZE_MAX) continue;
                stats_summary d;
                engine_summary(r.e, engine_metric(r.e, i)->diff, &d);
                if (d.n == 0) continue;
                char v[48], se[48];
                fprintf(out, "  %s, %s: gating changes it by %s (SE %s)\n", g,
                        k == 0 ? "net value" : "commissioner's cost (PV)",
                        present_money(v, sizeof v, r.sc->currency, d.mean),
                        present_money(se, sizeof se, r.sc->currency, d.se));
            }
        }
        fputc('\n', out);
    }
    int wr = report_write(out, o->fmt, committed, r.e, &rr);
    fclose(out);
    int status = wr == 0 ? emit(o, buf, len) : EXIT_RUN;
    free(buf);
    engine_free(r.e);
    scenario_free(r.sc);
    scenario_free(committed);
    return status;
}
