/* analyze.c -- the analysis commands: sweep, tornado, solve, converge and
 * pilot-value. Each calls sim/analysis.c and renders what it returns, as a
 * table with a terminal chart, CSV or JSON. Output is built in memory and
 * then written to stdout or, with --out, atomically to a file.
 *
 * Tables speak the reader's language: a term by its name as well as its
 * pointer (`price of payment "final true-up"`, present/term.h), values in
 * their units (money in the scenario's currency, percentages, multiples),
 * laid out for the chosen width (present/table.h). */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../present/format.h"
#include "../present/table.h"
#include "../present/term.h"
#include "../present/text.h"
#include "../sim/analysis.h"
#include "../sim/warnings.h"
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

/* What a table says of the chosen metric: its label and its unit; and, for
 * CSV and JSON, what the name resolved to (analysis_choose): the metric's
 * group, key, label and unit as `run` names them, and the statistic. */
typedef struct shown_metric {
    char label[400];
    metric_unit unit; /* a probability is a share */
    int known;        /* the metric was found (else values are plain numbers) */
    char group[SCENARIO_NAME_MAX];
    char key[2 * SCENARIO_NAME_MAX + 40];
    char mlabel[2 * SCENARIO_NAME_MAX + 80]; /* the metric's own label, as in run */
    metric_unit run_unit;                    /* its unit as run's CSV and JSON give it */
    stat_kind stat;
} shown_metric;

/* The label and unit of metric `spec` in the scenario's text (compiled,
 * not run), and what it resolved to. */
static shown_metric metric_shown(const char *text, const char *name, const char *spec) {
    shown_metric sm = {.label = "", .unit = UNIT_COUNT, .known = 0};
    sib_error err;
    scenario *sc = scenario_load_string(text, name, &err);
    engine *e = sc ? engine_new(sc, &err) : NULL;
    metric_choice m;
    if (e && analysis_choose(e, spec, &m, &err) == SIB_OK) {
        const metric_info *mi = engine_metric(e, m.index);
        snprintf(sm.label, sizeof sm.label, "%s: %s", mi->group, mi->label);
        sm.unit = mi->kind == METRIC_INDICATOR ? UNIT_SHARE : mi->unit;
        sm.known = 1;
        snprintf(sm.group, sizeof sm.group, "%s", mi->group);
        snprintf(sm.key, sizeof sm.key, "%s", mi->key);
        snprintf(sm.mlabel, sizeof sm.mlabel, "%s", mi->label);
        sm.run_unit = mi->unit;
        sm.stat = m.stat;
    }
    engine_free(e);
    scenario_free(sc);
    return sm;
}

/* A statistic by the name a metric's suffix gives it (the median as p50). */
static const char *stat_word(stat_kind s) {
    switch (s) {
    case STAT_MEAN: return "mean";
    case STAT_P05: return "p05";
    case STAT_P25: return "p25";
    case STAT_P50: return "p50";
    case STAT_P75: return "p75";
    case STAT_P95: return "p95";
    case STAT_SD: return "sd";
    }
    return "?";
}

/* JSON: `, "metric_resolved": {"group": G, "key": K, "label": L, "unit": U,
 * "stat": S}` -- what the metric named as typed ("metric") resolved to, so
 * that a reader need not resolve "irr" again; null when it resolved to
 * nothing (not reached: the analysis fails first). */
static void json_metric_resolved(FILE *out, const shown_metric *sm) {
    fputs(", \"metric_resolved\": ", out);
    if (!sm->known) {
        fputs("null", out);
        return;
    }
    fputs("{\"group\": ", out);
    present_json_string(out, sm->group);
    fputs(", \"key\": ", out);
    present_json_string(out, sm->key);
    fputs(", \"label\": ", out);
    present_json_string(out, sm->mlabel);
    fprintf(out, ", \"unit\": \"%s\", \"stat\": \"%s\"}", present_unit_name(sm->run_unit),
            stat_word(sm->stat));
}

/* CSV: the columns after a "metric" column that say what it resolved to,
 * and their fields on a row (each with its leading comma; empty when the
 * metric resolved to nothing). */
#define CSV_METRIC_RESOLVED "metric_group,metric_key,metric_unit,metric_stat"
static void csv_metric_resolved(FILE *out, const shown_metric *sm) {
    fputc(',', out);
    if (sm->known) present_csv_field(out, sm->group);
    fputc(',', out);
    if (sm->known) present_csv_field(out, sm->key);
    fprintf(out, ",%s,%s", sm->known ? present_unit_name(sm->run_unit) : "",
            sm->known ? stat_word(sm->stat) : "");
}

/* A value of the metric in its unit, a little more precise than a run's
 * report (analyses compare close values): "-6.81%", "0.770x", "£2.02m". */
static const char *show(char *buf, size_t size, const shown_metric *sm, const char *currency,
                        double x) {
    if (isnan(x)) snprintf(buf, size, "n/a");
    else if (!sm->known) snprintf(buf, size, "%.6g", x);
    else if (sm->unit == UNIT_SHARE || sm->unit == UNIT_RATE) snprintf(buf, size, "%.2f%%", 100 * x);
    else if (sm->unit == UNIT_MONEY) present_money(buf, size, currency, x);
    else if (sm->unit == UNIT_MULTIPLE) snprintf(buf, size, "%.3fx", x);
    else snprintf(buf, size, "%.4g", x);
    return buf;
}

/* A difference of two values of the metric (a tornado's swing): as show,
 * but in percentage points for shares and rates ("12.34 pp"). */
static const char *show_change(char *buf, size_t size, const shown_metric *sm,
                               const char *currency, double x) {
    if (sm->known && !isnan(x) && (sm->unit == UNIT_SHARE || sm->unit == UNIT_RATE))
        snprintf(buf, size, "%.2f pp", 100 * x);
    else show(buf, size, sm, currency, x);
    return buf;
}

/* A standard error: "±" and the value in the metric's unit; "" for NaN. */
static const char *show_se(char *buf, size_t size, const shown_metric *sm, const char *currency,
                           double x) {
    char v[48];
    if (isnan(x)) snprintf(buf, size, "%s", "");
    else snprintf(buf, size, "±%s", show(v, sizeof v, sm, currency, x));
    return buf;
}

/* A term for people: its name from the scenario, then its pointer, as
 * `price of payment "final true-up" (/contract/payments/1/price)`. */
static const char *term_title(char *buf, size_t size, const scenario *sc, const char *pointer) {
    char name[600];
    present_term_name(name, sizeof name, sc, pointer);
    if (strcmp(name, pointer) == 0) snprintf(buf, size, "%s", pointer);
    else snprintf(buf, size, "%s (%s)", name, pointer);
    return buf;
}

/* The last field of a pointer, in words, for a column's header. */
static const char *term_field(char *buf, size_t size, const char *pointer) {
    const char *slash = strrchr(pointer, '/');
    snprintf(buf, size, "%s", slash ? slash + 1 : pointer);
    for (char *c = buf; *c; c++)
        if (*c == '_') *c = ' ';
    return buf;
}

/* Whether every --param is a term an analysis may move: not the seed nor
 * the number of paths, which say how every run is made (--seed, --paths).
 * Moved, they would give each point its own futures, or none another, under
 * a header that names one seed and one number of paths. Prints why and
 * returns EXIT_INPUT, or 0. */
static int params_are_terms(const run_opts *o, const char *name) {
    for (int k = 0; k < o->n_params; k++) {
        const char *p = o->param[k];
        if (strcmp(p, "/simulation/seed") != 0 && strcmp(p, "/simulation/paths") != 0) continue;
        fprintf(stderr, "%s: %s: the seed and the paths are how every run is made, not terms to "
                        "move: every run of an analysis has one seed and one number of futures "
                        "(--seed, --paths); see another seed's futures with `run --seed S`, and "
                        "the paths an estimate needs with `converge`\n", name, p);
        return EXIT_INPUT;
    }
    return 0;
}

/* The scenario's own warnings, as written (printed once, before the
 * analysis, by main.c): the first 64. */
typedef struct warn_base {
    sib_warning w[64];
    size_t n;
} warn_base;

static void warn_base_of(const char *text, const char *name, warn_base *wb) {
    sib_error err;
    scenario *base = scenario_load_string(text, name, &err);
    wb->n = base ? scenario_warnings(base, wb->w, 64) : 0;
    if (wb->n > 64) wb->n = 64;
    scenario_free(base);
}

/* The warnings (likely mistakes, sim/warnings.h) of the scenario with
 * every pointer set to its value x[k] that the scenario as written (wb)
 * does not have: printed on stderr, at most `room` of them, as "NAME: at
 * POINTER = VALUE[, ...]: POINTER: warning: MESSAGE". Returns how many
 * there are, printed or not. */
static size_t warn_at(const char *text, const char *name, const warn_base *wb,
                      const char *const *pointers, const double *x, size_t n, size_t room) {
    sib_error err;
    scenario_override ov[OPT_MAX_PARAMS];
    if (n > OPT_MAX_PARAMS) n = OPT_MAX_PARAMS;
    for (size_t k = 0; k < n; k++) ov[k] = (scenario_override){pointers[k], x[k]};
    scenario *sc = scenario_load_string_with(text, name, ov, n, &err);
    const sib_warning *had = wb->w;
    const size_t n_had = wb->n;
    sib_warning w[64];
    size_t n_w = sc ? scenario_warnings(sc, w, 64) : 0, found = 0;
    if (n_w > 64) n_w = 64;
    for (size_t i = 0; i < n_w; i++) {
        int old = 0;
        for (size_t j = 0; j < n_had && !old; j++)
            old = strcmp(w[i].pointer, had[j].pointer) == 0 &&
                  strcmp(w[i].message, had[j].message) == 0;
        if (old || found++ >= room) continue;
        fprintf(stderr, "%s: at ", name);
        for (size_t k = 0; k < n; k++)
            fprintf(stderr, "%s%s = %.8g", k ? ", " : "", pointers[k], x[k]);
        fprintf(stderr, ": %s: warning: %s\n", w[i].pointer, w[i].message);
    }
    scenario_free(sc);
    return found;
}

/* With --strict, n warnings at an analysis' points (warn_at) are errors,
 * as the scenario's own are (main.c): said, and EXIT_INPUT; 0 otherwise. */
static int strict_points(const run_opts *o, size_t n) {
    if (n == 0 || !o->strict) return 0;
    fprintf(stderr, "sibsim: %zu warning%s treated as error%s (--strict)\n", n, n == 1 ? "" : "s",
            n == 1 ? "" : "s");
    return EXIT_INPUT;
}

/* The warnings of a sweep's points that the scenario as written does not
 * have (warn_at): the first WARN_SHOWN, then how many more. Each point is
 * loaded once more (some 0.4 ms), so a grid of more than WARN_GRID points
 * is looked at on a sub-grid of at most WARN_GRID spread over its whole
 * range, both ends of each parameter included (likely mistakes begin past
 * a value of a term: the first WARN_GRID points in grid order would see
 * only the first values of the first parameter), and the note says so.
 * Returns how many warnings there are. */
#define WARN_SHOWN 8
#define WARN_GRID 10000

/* Index j of m spread evenly over 0 .. steps - 1, both ends included. */
static size_t spread_index(size_t j, size_t m, size_t steps) {
    return m < 2 ? 0 : (size_t)((double)j * (double)(steps - 1) / (double)(m - 1) + 0.5);
}

static size_t warn_sweep(const run_opts *o, const char *text, const char *name) {
    const size_t n0 = (size_t)o->steps[0], n1 = o->n_params > 1 ? (size_t)o->steps[1] : 1;
    /* The sub-grid m0 x m1: the whole grid when it fits; else the second
     * parameter's values, up to 100 of them, and as many of the first's
     * as then fit (steps are at most 1,000, so at least 10). */
    size_t m0 = n0, m1 = n1, found = 0;
    if (n0 * n1 > WARN_GRID) {
        m1 = n1 < 100 ? n1 : 100;
        m0 = WARN_GRID / m1 < n0 ? WARN_GRID / m1 : n0;
    }
    const char *ptrs[2] = {o->param[0], o->param[1]};
    warn_base wb;
    warn_base_of(text, name, &wb);
    for (size_t j0 = 0; j0 < m0; j0++)
        for (size_t j1 = 0; j1 < m1; j1++) {
            const size_t i = spread_index(j0, m0, n0) * n1 + spread_index(j1, m1, n1);
            double x[2] = {0, 0};
            analysis_sweep_values(o->from, o->to, o->steps, (size_t)o->n_params, i, x);
            found += warn_at(text, name, &wb, ptrs, x, (size_t)o->n_params,
                             found < WARN_SHOWN ? WARN_SHOWN - found : 0);
        }
    if (found > WARN_SHOWN)
        fprintf(stderr, "%s: and %zu more warnings at other points of the sweep\n", name,
                found - WARN_SHOWN);
    if (m0 * m1 < n0 * n1) {
        char looked[32], all[32];
        present_count(looked, sizeof looked, (unsigned long long)(m0 * m1));
        present_count(all, sizeof all, (unsigned long long)(n0 * n1));
        fprintf(stderr, "%s: note: likely mistakes looked for at %s of the sweep's %s points, "
                "spread over the whole grid\n", name, looked, all);
    }
    return found;
}

/* ----------------------------------------------------------------- sweep */

typedef struct sweep_ud {
    FILE *out;
    const run_opts *o;
    const char *metric;
    /* table: the chosen metric per point, drawn when the sweep ends */
    double x[1001][2], y[1001], se[1001];
    size_t n;
    const engine *last;
    sib_error *err;
    int first;
} sweep_ud;

static int sweep_point(const double *x, size_t n_params, const engine *e, void *v) {
    sweep_ud *u = v;
    metric_choice m;
    if (analysis_choose(e, u->metric, &m, u->err) != SIB_OK) return 1;
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
            present_number(u->out, x[0]); /* the sweep's points are finite */
            fputc(',', u->out);
            if (n_params > 1) present_number(u->out, x[1]);
            fputc(',', u->out);
            present_csv_field(u->out, mi->group);
            fputc(',', u->out);
            present_csv_field(u->out, mi->key);
            for (size_t k = 0; k < 5; k++) present_csv_number(u->out, vals[k]);
            fputc('\n', u->out);
        } else {
            fprintf(u->out, "%s\n    {\"x\": [", u->first ? "" : ",");
            present_json_number(u->out, x[0]);
            if (n_params > 1) {
                fputs(", ", u->out);
                present_json_number(u->out, x[1]);
            }
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

/* The labels of n points of a parameter, x[0], x[stride], ..., into
 * labels[i] (64 bytes each): as a table shows a term (present_term_value,
 * "10.66%", "£11k") when that tells every two different points apart; else
 * with the digits of a solved value (present_term_exact, "10.665%",
 * "£11,001.00"); else as the field's own number, with as many digits as
 * that takes. A grid fine enough to round two points alike reads so. */
static void point_labels(char (*labels)[64], const double *x, size_t stride, size_t n,
                         const char *currency, term_unit unit) {
    for (int pass = 0; pass < 13; pass++) {
        for (size_t i = 0; i < n; i++) {
            const double xi = x[i * stride];
            if (pass == 0)
                present_term_value(labels[i], 64, currency, unit, xi);
            else if (pass == 1)
                present_term_exact(labels[i], 64, currency, unit, xi);
            else
                snprintf(labels[i], 64, "%.*g", pass + 5, xi); /* 7 to 17 digits */
        }
        int alike = 0;
        for (size_t i = 0; i < n && !alike; i++)
            for (size_t j = i + 1; j < n && !alike; j++)
                alike = x[i * stride] != x[j * stride] && strcmp(labels[i], labels[j]) == 0;
        if (!alike) return;
    }
}

/* The chosen metric over the grid: one parameter as rows with the value,
 * its SE and a bar scaled from the smallest value (no bar) to the largest;
 * two parameters as a grid, the first down, the second across. */
static void sweep_table(FILE *out, const run_opts *o, const sweep_ud *u, const scenario *sc,
                        const char *text, const char *name) {
    const int width = o->width;
    const shown_metric sm = metric_shown(text, name, u->metric);
    char line[2048], t1[900], t2[900];
    double lo = HUGE_VAL, hi = -HUGE_VAL, se_lo = HUGE_VAL, se_hi = -HUGE_VAL;
    for (size_t i = 0; i < u->n; i++) {
        if (isfinite(u->y[i])) lo = fmin(lo, u->y[i]), hi = fmax(hi, u->y[i]);
        if (isfinite(u->se[i])) se_lo = fmin(se_lo, u->se[i]), se_hi = fmax(se_hi, u->se[i]);
    }
    term_title(t1, sizeof t1, sc, o->param[0]);
    if (o->n_params > 1) term_title(t2, sizeof t2, sc, o->param[1]);
    snprintf(line, sizeof line, "Sweep of %s%s%s on common random numbers (seed %llu, %llu paths a point)",
             t1, o->n_params > 1 ? " and " : "", o->n_params > 1 ? t2 : "",
             (unsigned long long)(o->have_seed ? o->seed : sc->sim.seed),
             (unsigned long long)(o->have_paths ? o->paths : sc->sim.paths));
    present_wrap(out, line, 0, 2, width);
    snprintf(line, sizeof line, "metric: %s%s%s%s", u->metric, sm.known ? " (" : "", sm.label,
             sm.known ? ")" : "");
    present_wrap(out, line, 0, 2, width);
    fputc('\n', out);
    term_unit x1 = present_term_unit(sc, o->param[0]);
    char v[64], se[64], h1[64];
    if (o->n_params == 1) {
        const char *heads[] = {term_field(h1, sizeof h1, o->param[0]), "value", "± SE"};
        present_table *t = present_table_new(3, heads, NULL);
        if (t == NULL) return;
        present_table_col_min(t, 8);
        char(*xs)[64] = malloc((u->n ? u->n : 1) * sizeof *xs);
        if (xs == NULL) {
            present_table_free(t);
            return;
        }
        point_labels(xs, &u->x[0][0], 2, u->n, sc->currency, x1);
        for (size_t i = 0; i < u->n; i++) {
            const char *cells[] = {xs[i], show(v, sizeof v, &sm, sc->currency, u->y[i]),
                                   show_se(se, sizeof se, &sm, sc->currency, u->se[i])};
            double frac = hi > lo && isfinite(u->y[i]) ? (u->y[i] - lo) / (hi - lo) : 0;
            present_table_row(t, 0, "", cells, frac);
        }
        present_table_print(out, t, width, present_unicode());
        present_table_free(t);
        free(xs);
        return;
    }
    /* A grid: rows are the first parameter's points, columns the second's
     * (the second varies fastest: point i * steps2 + j). */
    term_unit x2 = present_term_unit(sc, o->param[1]);
    size_t rows = (size_t)o->steps[0], cols = (size_t)o->steps[1];
    char n1[600], n2[600];
    snprintf(line, sizeof line, "rows: %s; columns: %s", present_term_name(n1, sizeof n1, sc, o->param[0]),
             present_term_name(n2, sizeof n2, sc, o->param[1]));
    present_wrap(out, line, 2, 4, width);
    char **heads = calloc(cols + 1, sizeof *heads), **cells = calloc(cols + 1, sizeof *cells);
    /* The rows' and the columns' labels: the points of the first parameter
     * are every cols-th, those of the second the first cols. */
    const size_t n_rows = (u->n + cols - 1) / cols, n_cols = u->n < cols ? u->n : cols;
    char(*xr)[64] = malloc((n_rows ? n_rows : 1) * sizeof *xr);
    char(*xc)[64] = malloc((n_cols ? n_cols : 1) * sizeof *xc);
    present_table *t = NULL;
    if (heads && cells && xr && xc) {
        point_labels(xr, &u->x[0][0], 2 * cols, n_rows, sc->currency, x1);
        point_labels(xc, &u->x[0][1], 2, n_cols, sc->currency, x2);
        for (size_t j = 0; j < cols; j++) {
            heads[j] = malloc(64);
            cells[j] = malloc(64);
            if (heads[j]) snprintf(heads[j], 64, "%s", j < n_cols ? xc[j] : "");
        }
        t = present_table_new(cols, (const char *const *)heads, NULL);
    }
    for (size_t i = 0; t && i < rows && i * cols < u->n; i++) {
        const char *x = xr[i];
        for (size_t j = 0; j < cols; j++) {
            size_t k = i * cols + j;
            if (cells[j] == NULL) continue;
            if (k < u->n) show(cells[j], 64, &sm, sc->currency, u->y[k]);
            else cells[j][0] = '\0';
        }
        present_table_row(t, 0, x, (const char *const *)cells, -1);
    }
    if (t) {
        present_table_col_min(t, 8);
        present_table_print(out, t, width, present_unicode());
    }
    present_table_free(t);
    for (size_t j = 0; j < cols; j++) {
        if (heads) free(heads[j]);
        if (cells) free(cells[j]);
    }
    free(heads);
    free(cells);
    free(xr);
    free(xc);
    if (se_lo <= se_hi) {
        char a[64], b[64];
        snprintf(line, sizeof line, "standard error of each point's mean: %s to %s",
                 show_se(a, sizeof a, &sm, sc->currency, se_lo), show_se(b, sizeof b, &sm, sc->currency, se_hi));
        fputc('\n', out);
        present_wrap(out, line, 0, 2, width);
    }
    if (u->n < rows * cols) {
        char count[32];
        snprintf(line, sizeof line, "(the table holds the first %s points: the whole grid is in "
                 "--format csv or json)", present_count(count, sizeof count, u->n));
        present_wrap(out, line, 0, 2, width);
    }
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
    if (params_are_terms(o, name)) return EXIT_INPUT;
    if (strict_points(o, warn_sweep(o, text, name)) != 0) return EXIT_INPUT;
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
    if (o->fmt == FORMAT_TABLE) b.only = u->metric; /* the table reads it alone */
    u->err = &err;
    u->first = 1;
    scenario *sc = scenario_load_string(text, name, &err);
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
        sweep_table(out, o, u, sc, text, name);
    }
    scenario_free(sc);
    fclose(out);
    if (status == 0) status = emit(o, buf, len);
    free(buf);
    free(u);
    return status;
}

/* --------------------------------------------------------------- tornado */

/* The bars, widest swing first: each input or term by name, the metric at
 * its low and high value, the swing and a bar scaled to the widest; under
 * each, its pointer and the values it was moved to, in their units. */
static void tornado_table(FILE *out, const run_opts *o, const char *text, const char *name,
                          const char *metric, uint64_t paths, const tornado_bar *bars, size_t n,
                          double base) {
    const int width = o->width;
    const shown_metric sm = metric_shown(text, name, metric);
    sib_error err;
    scenario *sc = scenario_load_string(text, name, &err);
    const char *cur = sc ? sc->currency : "";
    char line[1400], v[64], lo[64], hi[64];
    snprintf(line, sizeof line, "Tornado of %s%s%s%s: %s with nothing moved", metric,
             sm.known ? " (" : "", sm.label, sm.known ? ")" : "", show(v, sizeof v, &sm, cur, base));
    present_wrap(out, line, 0, 2, width);
    snprintf(line, sizeof line, "uncertain inputs at their 10th and 90th percentiles; terms %g%% down "
             "and up; %llu paths a run on common random numbers", 100 * o->pct,
             (unsigned long long)paths);
    present_wrap(out, line, 0, 2, width);
    fputc('\n', out);
    const char *heads[] = {"at low", "at high", "swing"};
    present_table *t = present_table_new(3, heads, NULL);
    if (t == NULL) {
        scenario_free(sc);
        return;
    }
    present_table_col_min(t, 8);
    double top = n && isfinite(bars[0].swing) ? bars[0].swing : 0;
    for (size_t i = 0; i < n; i++) {
        char label[600], sw[64];
        present_term_name(label, sizeof label, sc, bars[i].pointer);
        const char *cells[] = {show(lo, sizeof lo, &sm, cur, bars[i].metric_low),
                               show(hi, sizeof hi, &sm, cur, bars[i].metric_high),
                               show_change(sw, sizeof sw, &sm, cur, bars[i].swing)};
        present_table_row(t, 0, label, cells,
                          top > 0 && isfinite(bars[i].swing) ? bars[i].swing / top : 0);
        term_unit tu = present_term_unit(sc, bars[i].pointer);
        snprintf(line, sizeof line, "%.600s %s %s .. %s", bars[i].pointer,
                 bars[i].is_input ? "at P10/P90:" : "moved to:",
                 present_term_value(lo, sizeof lo, cur, tu, bars[i].low),
                 present_term_value(hi, sizeof hi, cur, tu, bars[i].high));
        present_table_text(t, 2, 4, line);
    }
    present_table_print(out, t, width, present_unicode());
    present_table_free(t);
    scenario_free(sc);
}

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
    /* What a term's move would warn of, as `run` would (an input moved to
     * its P10 or P90 stays within its prior): the first WARN_SHOWN. */
    warn_base wb;
    warn_base_of(text, name, &wb);
    size_t found = 0;
    for (size_t i = 0; i < n; i++) {
        if (bars[i].is_input) continue;
        const char *ptr = bars[i].pointer;
        const double ends[2] = {bars[i].low, bars[i].high};
        for (int k = 0; k < 2; k++)
            found += warn_at(text, name, &wb, &ptr, &ends[k], 1,
                             found < WARN_SHOWN ? WARN_SHOWN - found : 0);
    }
    if (found > WARN_SHOWN)
        fprintf(stderr, "%s: and %zu more warnings at other moves of the tornado\n", name,
                found - WARN_SHOWN);
    if (strict_points(o, found) != 0) return EXIT_INPUT;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (out == NULL) return EXIT_RUN;
    if (o->fmt == FORMAT_CSV) {
        /* The metric on every row, as converge's CSV gives it: as named and
         * as resolved. */
        const shown_metric sm = metric_shown(text, name, metric);
        fprintf(out, "pointer,kind,low,high,metric_low,metric_high,swing,metric," CSV_METRIC_RESOLVED
                     "\n");
        for (size_t i = 0; i < n; i++) {
            present_csv_field(out, bars[i].pointer);
            fprintf(out, ",%s", bars[i].is_input ? "input" : "term");
            const double v[] = {bars[i].low, bars[i].high, bars[i].metric_low, bars[i].metric_high,
                                bars[i].swing};
            for (size_t k = 0; k < 5; k++) present_csv_number(out, v[k]);
            fputc(',', out);
            present_csv_field(out, metric);
            csv_metric_resolved(out, &sm);
            fputc('\n', out);
        }
    } else if (o->fmt == FORMAT_JSON) {
        const shown_metric sm = metric_shown(text, name, metric);
        fputs("{\"metric\": ", out);
        present_json_string(out, metric);
        json_metric_resolved(out, &sm);
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
        tornado_table(out, o, text, name, metric, b.paths, bars, n, base);
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

/* The terms solved for, by name and pointer, joined by " = " when several
 * move together. */
static const char *solve_names(char *buf, size_t size, const run_opts *o, const scenario *sc) {
    buf[0] = '\0';
    for (int k = 0; k < o->n_params; k++) {
        char one[900];
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s%s", k ? " = " : "",
                 term_title(one, sizeof one, sc, o->param[k]));
    }
    return buf;
}

/* The value found: the terms by name with the value in their unit, what
 * the metric is there against the target, the value with every digit by
 * pointer (to copy into the scenario), and how it was found. */
static void solve_table(FILE *out, const run_opts *o, const shown_metric *sm, const scenario *sc,
                        const char *params, const char *metric, double target,
                        const solve_result *r, uint64_t paths) {
    const char *cur = sc ? sc->currency : "";
    term_unit tu = present_term_unit(sc, o->param[0]);
    char line[4096], names[2400], v[64], m[64], tg[64], se[64], lo[64], hi[64];
    names[0] = '\0';
    for (int k = 0; k < o->n_params; k++) {
        char one[600];
        size_t used = strlen(names);
        snprintf(names + used, sizeof names - used, "%s%s", k ? " = " : "",
                 present_term_name(one, sizeof one, sc, o->param[k]));
    }
    snprintf(line, sizeof line, "%s = %s gives %s = %s (target %s)%s%s", names,
             present_term_exact(v, sizeof v, cur, tu, r->value), metric,
             show(m, sizeof m, sm, cur, r->metric), show(tg, sizeof tg, sm, cur, target),
             isnan(r->se) ? "" : ", SE ", show_se(se, sizeof se, sm, cur, r->se));
    present_wrap(out, line, 0, 2, o->width);
    snprintf(line, sizeof line, "%s = %.8g", params, r->value);
    present_wrap(out, line, 2, 4, o->width);
    snprintf(line, sizeof line, "Brent's method on common random numbers: %d iterations, final "
             "bracket [%s, %s]; %llu paths a run", r->iterations,
             present_term_exact(lo, sizeof lo, cur, tu, r->lo),
             present_term_exact(hi, sizeof hi, cur, tu, r->hi), (unsigned long long)paths);
    present_wrap(out, line, 2, 4, o->width);
}

int cmd_solve_text(const run_opts *o, const char *text, const char *name) {
    if (o->n_params < 1 || o->target == NULL) {
        fprintf(stderr, "sibsim: solve: expected --param POINTER (several move together) and "
                        "--target METRIC=VALUE\n");
        return EXIT_INPUT;
    }
    char metric[512];
    const char *eq = strrchr(o->target, '=');
    double target = NAN;
    /* The value whole and finite, as --from and --to: "0.8x", " 0.8",
     * "nan", "inf" and "1e400" are refused, never read as 0.8 or as a
     * target no metric equals. */
    if (eq == NULL || eq == o->target || options_parse_number(eq + 1, &target) != 0) {
        fprintf(stderr, "sibsim: solve: --target: expected METRIC=VALUE with a finite number "
                        "(e.g. irr=0.07), found '%s'\n",
                o->target);
        return EXIT_INPUT;
    }
    snprintf(metric, sizeof metric, "%.*s", (int)(eq - o->target), o->target);
    if (params_are_terms(o, name)) return EXIT_INPUT;
    sib_error err;
    sib_error_clear(&err);
    /* The range: --from and --to, each given once after any of the linked
     * --param pointers (they all take the same value; options.c). */
    double lo = 0, hi = 0;
    int have_lo = 0, have_hi = 0;
    for (int k = 0; k < o->n_params; k++) {
        if (o->have_from[k]) lo = o->from[k], have_lo = 1;
        if (o->have_to[k]) hi = o->to[k], have_hi = 1;
    }
    if (!have_lo || !have_hi) {
        /* Default range: a tenth to ten times the current value, within the
         * field's bounds. */
        double now;
        if (scenario_number_at(text, o->param[0], &now, &err) != SIB_OK) {
            /* No number there (a field left at its default, a prior): the
             * default range, around the current value, has no centre. */
            snprintf(err.file, sizeof err.file, "%s", name);
            int status = fail(&err);
            if (strcmp(err.pointer, o->param[0]) == 0)
                fprintf(stderr, "sibsim: solve: %s has no number in the scenario to search "
                                "around: give the range with --from and --to\n", o->param[0]);
            return status;
        }
        if (!have_lo)
            lo = default_end_within_bounds(o, text, name, now, now > 0 ? now / 10 : now * 10);
        if (!have_hi)
            hi = default_end_within_bounds(o, text, name, now, now > 0 ? now * 10 : now / 10);
        if (lo == hi) {
            if (now == 0)
                fprintf(stderr, "sibsim: solve: %s is 0 now: give the range with --from and --to\n",
                        o->param[0]);
            else
                fprintf(stderr, "sibsim: solve: the range [%.8g, %.8g] is empty: give both ends "
                                "with --from and --to\n", lo, hi);
            return EXIT_INPUT;
        }
    } else if (lo == hi) {
        fprintf(stderr, "sibsim: solve: --from and --to are the same value (%.8g): give a range to "
                        "search\nTry 'sibsim help solve'.\n", lo);
        return EXIT_INPUT;
    }
    /* A range is a range whichever end is given first (sweep, whose grid
     * has an order, takes it in the order given). */
    if (lo > hi) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    analysis_base b = base_of(o, text, name);
    if (!o->have_paths) b.paths = OPT_ANALYSIS_PATHS;
    solve_result r;
    double xtol = 1e-6 * fmax(fabs(lo), fabs(hi));
    int rc = analysis_solve(&b, o->param, (size_t)o->n_params, lo, hi, metric, target, xtol,
                            &r, &err);
    if (rc != SIB_OK) return fail(&err);
    if (r.found) { /* what the value found would warn of, as `run` would */
        double xs[OPT_MAX_PARAMS];
        for (int k = 0; k < o->n_params && k < OPT_MAX_PARAMS; k++) xs[k] = r.value;
        warn_base wb;
        warn_base_of(text, name, &wb);
        if (strict_points(o, warn_at(text, name, &wb, o->param, xs, (size_t)o->n_params, 64)))
            return EXIT_INPUT;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (out == NULL) return EXIT_RUN;
    const shown_metric sm = metric_shown(text, name, metric);
    scenario *sc = scenario_load_string(text, name, &err);
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
        json_metric_resolved(out, &sm);
        fputs(", \"target\": ", out);
        present_json_number(out, target);
        fprintf(out, ", \"found\": %s, \"flat\": %s, \"value\": ", r.found ? "true" : "false",
                r.flat == 2 ? "true" : "false");
        present_json_number(out, r.found ? r.value : NAN);
        fputs(", \"metric_value\": ", out);
        present_json_number(out, r.found ? r.metric : NAN);
        fputs(", \"se\": ", out);
        present_json_number(out, r.found ? r.se : NAN);
        fputs(", \"bracket\": [", out);
        present_json_number(out, r.lo);
        fputs(", ", out);
        present_json_number(out, r.hi);
        fprintf(out, "], \"iterations\": %d", r.iterations);
        if (!r.found) {
            fprintf(out, ", \"note\": \"%s\", \"metric_at_ends\": [",
                    r.jump ? "the metric jumps past the target: no value in the range gives it"
                    : r.flat == 2
                        ? "the metric does not move in the range (a cap or trigger holds it)"
                    : r.flat ? "the metric stops moving within the range (a cap or trigger holds "
                               "it): a wider range will not reach the target"
                             : "no value in the range reaches the target");
            present_json_number(out, r.f_lo + target);
            fputs(", ", out);
            present_json_number(out, r.f_hi + target);
            fputc(']', out);
        }
        if (r.jump) {
            fputs(", \"jump_at\": ", out);
            present_json_number(out, r.value);
            fputs(", \"metric_across_jump\": [", out);
            present_json_number(out, r.f_jump_lo + target);
            fputs(", ", out);
            present_json_number(out, r.f_jump_hi + target);
            fputc(']', out);
        }
        fputs("}\n", out);
    } else if (o->fmt == FORMAT_CSV) {
        fputs(
            "param,metric,target,found,value,metric_value,se,lo,hi,iterations," CSV_METRIC_RESOLVED
            "\n",
            out);
        present_csv_field(out, params);
        fputc(',', out);
        present_csv_field(out, metric);
        present_csv_number(out, target);
        fprintf(out, ",%d", r.found);
        present_csv_number(out, r.found ? r.value : NAN);
        present_csv_number(out, r.found ? r.metric : NAN);
        present_csv_number(out, r.found ? r.se : NAN);
        present_csv_number(out, r.lo);
        present_csv_number(out, r.hi);
        fprintf(out, ",%d", r.iterations);
        csv_metric_resolved(out, &sm);
        fputc('\n', out);
    } else if (r.found) {
        solve_table(out, o, &sm, sc, params, metric, target, &r, b.paths);
    }
    fclose(out);
    int status = 0;
    /* Not found: why, with the term and the metric in their units. */
    const char *cur = sc ? sc->currency : "";
    term_unit tu = present_term_unit(sc, o->param[0]);
    char names[2400], vlo[64], vhi[64], vmid[64], flo[64], fhi[64], fmid[64], tg[64];
    solve_names(names, sizeof names, o, sc);
    present_term_value(vlo, sizeof vlo, cur, tu, lo);
    present_term_value(vhi, sizeof vhi, cur, tu, hi);
    show(flo, sizeof flo, &sm, cur, r.f_lo + target);
    show(fhi, sizeof fhi, &sm, cur, r.f_hi + target);
    show(fmid, sizeof fmid, &sm, cur, r.f_mid + target);
    show(tg, sizeof tg, &sm, cur, target);
    if (r.jump) {
        char vat[64], jlo[64], jhi[64];
        fprintf(stderr,
                "sibsim: solve: no value of %s in [%s, %s] gives %s = %s: it jumps past the target "
                "at %s, from %s to %s, with no value between: on these futures the metric steps "
                "there by more than its Monte Carlo noise (a term that moves every future at once, "
                "such as a lag by whole periods). Choose a target on one side of the jump.\n",
                names, vlo, vhi, metric, tg, present_term_exact(vat, sizeof vat, cur, tu, r.value),
                show(jlo, sizeof jlo, &sm, cur, r.f_jump_lo + target),
                show(jhi, sizeof jhi, &sm, cur, r.f_jump_hi + target));
        status = EXIT_RUN;
    } else if (!r.found && r.flat == 2) {
        fprintf(stderr,
                "sibsim: solve: %s does not move when %s goes from %s to %s: it is %s at both "
                "ends and in the middle. A cap or a trigger holds it there (or the parameter does "
                "not reach it): the target %s is out of reach by this term alone.\n",
                metric, names, vlo, vhi, flo, tg);
        status = EXIT_RUN;
    } else if (!r.found && r.flat == 1) {
        int at_hi = r.f_mid == r.f_hi;
        present_term_value(vmid, sizeof vmid, cur, tu, 0.5 * (lo + hi));
        fprintf(stderr,
                "sibsim: solve: no value of %s in [%s, %s] gives %s = %s: it is %s at %s and "
                "%s at %s, and it stops moving between %s and %s (exactly %s at both): a cap "
                "or a trigger holds it there, so a wider range will not reach the target.\n",
                names, vlo, vhi, metric, tg, flo, vlo, fhi, vhi, at_hi ? vmid : vlo,
                at_hi ? vhi : vmid, fmid);
        status = EXIT_RUN;
    } else if (!r.found) {
        fprintf(stderr,
                "sibsim: solve: no value of %s in [%s, %s] gives %s = %s: it is %s at %s and "
                "%s at %s. Widen the range with --from/--to, or the target may be out of reach.\n",
                names, vlo, vhi, metric, tg, flo, vlo, fhi, vhi);
        status = EXIT_RUN;
    }
    if (status == 0 || len > 0) {
        int st2 = emit(o, buf, len);
        if (status == 0) status = st2;
    }
    free(buf);
    scenario_free(sc);
    return status;
}

/* -------------------------------------------------------------- converge */

typedef struct conv_ud {
    FILE *out;
    const char *metric;
    const run_opts *o;
    int rows;
    present_table *t;   /* table: the steps, printed when the run ends */
    shown_metric sm;
    char currency[8];
    double last_se;
    int undefined; /* the last estimate is undefined: no future defines the metric */
} conv_ud;

/* An estimate with the digits a convergence table needs: money to the
 * unit with thousands separators, a rate or share to a thousandth of a
 * percent, a multiple to five decimals. */
static const char *precise(char *buf, size_t size, const shown_metric *sm, const char *currency,
                           double x, int se) {
    char v[64];
    if (isnan(x)) snprintf(v, sizeof v, "n/a");
    else if (!sm->known) snprintf(v, sizeof v, se ? "%.4g" : "%.8g", x);
    else if (sm->unit == UNIT_MONEY) {
        present_money_exact(v, sizeof v, currency, x);
        char *dot = strrchr(v, '.');
        if (dot) *dot = '\0'; /* whole units */
    } else if (sm->unit == UNIT_SHARE || sm->unit == UNIT_RATE)
        snprintf(v, sizeof v, "%.*f%%", se ? 4 : 3, 100 * x);
    else if (sm->unit == UNIT_MULTIPLE) snprintf(v, sizeof v, "%.5fx", x);
    else snprintf(v, sizeof v, se ? "%.4g" : "%.8g", x);
    snprintf(buf, size, "%s%.60s", se && !isnan(x) ? "±" : "", v);
    return buf;
}

static int conv_step(uint64_t paths, const engine *e, void *v) {
    conv_ud *u = v;
    metric_choice m;
    sib_error err;
    if (analysis_choose(e, u->metric, &m, &err) != SIB_OK) return 1;
    double se, x = analysis_value(e, &m, &se);
    u->undefined = isnan(x);
    if (u->o->fmt == FORMAT_CSV) {
        fprintf(u->out, "%llu", (unsigned long long)paths);
        present_csv_number(u->out, x);
        present_csv_number(u->out, se);
        fputc(',', u->out);
        present_csv_field(u->out, u->metric);
        csv_metric_resolved(u->out, &u->sm);
        fputc('\n', u->out);
    } else if (u->o->fmt == FORMAT_JSON) {
        fprintf(u->out, "%s\n  {\"paths\": %llu, \"estimate\": ", u->rows ? "," : "",
                (unsigned long long)paths);
        present_json_number(u->out, x);
        fputs(", \"se\": ", u->out);
        present_json_number(u->out, se);
        fputc('}', u->out);
    } else if (u->t) {
        char n[32], xv[64], sv[64];
        const char *cells[] = {present_count(n, sizeof n, paths),
                               precise(xv, sizeof xv, &u->sm, u->currency, x, 0),
                               precise(sv, sizeof sv, &u->sm, u->currency, se, 1)};
        present_table_row(u->t, 0, "", cells, -1);
        u->last_se = se;
    }
    u->rows++;
    return 0;
}

/* The ':' of a statistic other than the mean that ends metric, as
 * analysis_choose reads it (the last ':' followed by p05, p25, median, p50,
 * p75, p95 or sd), or NULL. Any other colon belongs to the name: a blend's
 * parts are keyed "part: tranche.moic". */
static const char *quantile_suffix(const char *metric) {
    static const char *const stats[] = {"p05", "p25", "median", "p50", "p75", "p95", "sd"};
    const char *colon = strrchr(metric, ':');
    if (colon == NULL) return NULL;
    for (size_t k = 0; k < sizeof stats / sizeof stats[0]; k++)
        if (strcmp(colon + 1, stats[k]) == 0) return colon;
    return NULL;
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
    conv_ud u = {.out = out, .metric = metric, .o = o, .last_se = NAN};
    const char *stat = quantile_suffix(metric);
    if (o->have_precision && stat != NULL) {
        fprintf(stderr, "sibsim: converge: --precision is a standard error, estimated for a mean "
                        "only; drop it, or converge on the mean of %.*s\n",
                (int)(stat - metric), metric);
        fclose(out);
        free(buf);
        return EXIT_INPUT;
    }
    u.sm = metric_shown(text, name, metric);
    if (o->fmt == FORMAT_CSV)
        fprintf(out, "paths,estimate,se,metric," CSV_METRIC_RESOLVED "\n");
    else if (o->fmt == FORMAT_JSON) {
        fputs("{\"metric\": ", out);
        present_json_string(out, metric);
        json_metric_resolved(out, &u.sm);
        fputs(", \"steps\": [", out);
    } else {
        sib_error lerr;
        scenario *sc = scenario_load_string(text, name, &lerr);
        snprintf(u.currency, sizeof u.currency, "%s", sc ? sc->currency : "");
        scenario_free(sc);
        char line[1000];
        snprintf(line, sizeof line, "Convergence of %s%s%s%s (paths double; each estimate includes "
                 "the last)", metric, u.sm.known ? " (" : "", u.sm.label, u.sm.known ? ")" : "");
        present_wrap(out, line, 0, 2, o->width);
        u.t = present_table_new(3, (const char *[]){"paths", "estimate", "SE"}, NULL);
        if (u.t) present_table_col_min(u.t, 10);
    }
    sib_error err;
    sib_error_clear(&err);
    uint64_t done;
    int reached;
    int rc = analysis_converge(&b, metric, precision, max, conv_step, &u, &done, &reached, &err);
    if (rc == SIB_OK && o->fmt == FORMAT_JSON)
        fprintf(out, "\n], \"paths\": %llu, \"reached\": %s}\n", (unsigned long long)done,
                reached ? "true" : "false");
    else if (rc == SIB_OK && o->fmt != FORMAT_CSV) {
        char n[32];
        present_count(n, sizeof n, done);
        if (u.t) present_table_print(out, u.t, o->width, present_unicode());
        if (u.undefined) {
            char line[800];
            snprintf(line, sizeof line, "%.500s is undefined in %s%s %s run: no number of paths "
                     "gives it an estimate", metric, done == 1 ? "the " : "every one of the ", n,
                     done == 1 ? "future" : "futures");
            present_wrap(out, line, 2, 4, o->width);
        } else {
            const char *paths = done == 1 ? "path" : "paths";
            if (!o->have_precision) fprintf(out, "  (no --precision: ran to %s %s)\n", n, paths);
            else if (reached)
                fprintf(out, "  precision %g reached at %s %s\n", precision, n, paths);
            else
                fprintf(out, "  precision %g NOT reached by %s %s: raise --paths\n", precision, n,
                        paths);
        }
    }
    present_table_free(u.t);
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
                     .seconds = seconds,
                     .width = o->width,
                     .seed_given = o->have_seed};
    if (o->fmt == FORMAT_TABLE) {
        present_wrap(out, "Value of the pilot's information: every stage committed up front (A) "
                     "against later stages gated on measured results as written (B), on common "
                     "random numbers. B - A is what the gates are worth: costs avoided when "
                     "results are poor, outcomes forgone when a good programme is stopped.",
                     0, 0, o->width > 0 ? o->width : PRESENT_COMPACT);
        fputc('\n', out);
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
                char v[48], se[48], line[400];
                snprintf(line, sizeof line, "%s, %s: gating changes it by %s (SE %s)", g,
                         k == 0 ? "net value" : "commissioner's cost (PV)",
                         present_money(v, sizeof v, r.sc->currency, d.mean),
                         present_money(se, sizeof se, r.sc->currency, d.se));
                present_wrap(out, line, 2, 4, o->width);
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
