/* cashflows.c -- the ledger commands: `cashflows` shows one future's cash
 * flows for every party, period by period, with totals and that future's
 * metrics; `backtest` settles the contract on a deal's realised record and
 * sets the figures the record reports beside the model's. Both render the
 * same ledger (model/ledger.h) the metrics are computed from, as a table,
 * CSV (one row a line, one column a period: what an analyst pastes beside a
 * spreadsheet) or JSON.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/contract.h"
#include "../model/ledger.h"
#include "../present/format.h"
#include "../present/table.h"
#include "../present/term.h"
#include "../present/text.h"
#include "../sim/engine.h"
#include "options.h"
#include "output.h"

enum { EXIT_RUN = 1, EXIT_INPUT = 2 };

/* Which future a ledger shows, for its heading. */
typedef struct future {
    const char *kind; /* "path", "expected", "case", "backtest" */
    unsigned long long path;
    const char *case_name;
} future;

/* The ledger's columns: periods, or years (--annual). */
typedef struct columns {
    size_t n, per;   /* columns, and periods in each */
    int ppy;
} columns;

static columns columns_of(const ledger *l, int annual) {
    columns c = {.per = annual ? (size_t)l->ppy : 1, .ppy = l->ppy};
    c.n = (l->periods + c.per - 1) / c.per;
    return c;
}

/* The shown value of line x in column k. */
static double cell(const ledger *l, const ledger_line *x, const columns *c, size_t k) {
    double s = 0;
    for (size_t t = k * c->per; t < (k + 1) * c->per && t < l->periods; t++) s += x->flow[t];
    return x->sign * s + 0.0; /* + 0.0: a paid zero is 0, not -0 */
}

/* "1.Q2": year 1, second quarter; "year 3" for annual columns. */
static void column_name(char *buf, size_t size, const columns *c, size_t k) {
    if (c->per > 1 || c->ppy == 1) {
        snprintf(buf, size, "year %zu", k + 1);
        return;
    }
    size_t year = k / (size_t)c->ppy + 1, sub = k % (size_t)c->ppy + 1;
    const char *tag = c->ppy == 4 ? "Q" : c->ppy == 2 ? "H" : c->ppy == 12 ? "M" : "P";
    snprintf(buf, size, "%zu.%s%zu", year, tag, sub);
}

/* An amount in full, with thousands separators: a ledger is reconciled
 * by hand, so it is not rounded to three figures; "-" for zero. */
static const char *amount(char *buf, size_t size, double x) {
    if (fabs(x) < 0.5) {
        snprintf(buf, size, "-");
        return buf;
    }
    char digits[40];
    present_count(digits, sizeof digits, (unsigned long long)llround(fabs(x)));
    snprintf(buf, size, "%s%s", x < 0 ? "-" : "", digits);
    return buf;
}

static int all_zero(const ledger *l, const ledger_line *x) {
    for (size_t t = 0; t < l->periods; t++)
        if (x->flow[t] != 0) return 0;
    return 1;
}

static const char *group_title(const scenario *sc, const char *group, char *buf, size_t size) {
    if (strcmp(group, "programme") == 0) return "Programme: delivery costs";
    if (strcmp(group, "contract") == 0) return "Contract: outcome payments";
    snprintf(buf, size, "Financing structure: %s", group);
    (void)sc;
    return buf;
}

/* -------------------------------------------------------------- table */

/* Print a line of text wrapped to the width, continuation lines indented
 * by two more. */
static void text(FILE *out, int indent, int width, const char *s) {
    present_wrap(out, s, indent, indent + 2, width);
}

/* The ledger as a table: a row a line, a column a period (or a year),
 * the total first; the columns that do not fit the width run on in blocks,
 * the labels repeated. */
static void ledger_table(FILE *out, const scenario *sc, const ledger *l, const ledger_line *lines,
                         size_t n_lines, int annual, int width) {
    columns c = columns_of(l, annual);
    char line[400];
    snprintf(line, sizeof line, "Cash flows in %s, %s: - paid, + received, from the side of whoever "
             "pays or receives; lines that are zero throughout are left out (--format csv has "
             "them all)", sc->currency,
             annual ? "by year" : c.ppy == 4 ? "by quarter" : c.ppy == 12 ? "by month"
                                 : c.ppy == 1 ? "by year" : "by period");
    fputc('\n', out);
    present_wrap(out, line, 0, 0, width > 0 ? width : PRESENT_DEFAULT);
    fputc('\n', out);
    size_t nc = c.n + 1;
    char **heads = calloc(nc + 1, sizeof *heads), (*cells)[40] = calloc(nc + 1, sizeof *cells);
    const char **cp = calloc(nc + 1, sizeof *cp);
    present_table *t = NULL;
    if (heads && cells && cp) {
        heads[0] = strdup("total");
        for (size_t k = 0; k < c.n; k++) {
            char buf[64];
            column_name(buf, sizeof buf, &c, k);
            heads[k + 1] = strdup(buf);
        }
        t = present_table_new(nc, (const char *const *)heads, NULL);
    }
    if (t) {
        present_table_col_min(t, 11);
        present_table_label_min(t, 36);
        char title[SCENARIO_NAME_MAX + 40];
        const char *group = "", *party = "";
        for (size_t i = 0; i < n_lines; i++) {
            const ledger_line *x = &lines[i];
            if (!x->net && all_zero(l, x)) continue;
            if (strcmp(group, x->group) != 0) {
                group = x->group;
                party = "";
                present_table_text(t, 0, 2, group_title(sc, group, title, sizeof title));
            }
            int sub = strcmp(x->group, "programme") != 0 && strcmp(x->group, "contract") != 0;
            if (sub && strcmp(party, x->party) != 0) {
                party = x->party;
                present_table_text(t, 2, 4, party);
            }
            amount(cells[0], sizeof cells[0], ledger_line_total(l, x, SIZE_MAX));
            cp[0] = cells[0];
            for (size_t k = 0; k < c.n; k++) {
                amount(cells[k + 1], sizeof cells[k + 1], cell(l, x, &c, k));
                cp[k + 1] = cells[k + 1];
            }
            present_table_row(t, sub ? 4 : 2, x->label, cp, -1);
        }
        present_table_print(out, t, width, present_unicode());
    }
    present_table_free(t);
    for (size_t k = 0; heads && k < nc; k++) free(heads[k]);
    free(heads);
    free(cells);
    free(cp);
}

/* The per-future metrics of values (engine_metric_count doubles). */
static void metrics_table(FILE *out, const scenario *sc, const engine *e, const double *values,
                          int width) {
    fprintf(out, "\nMetrics of this future (computed from the ledger above)\n");
    present_table *t = present_table_new(1, NULL, NULL);
    if (t == NULL) return;
    present_table_label_width(t, 58);
    present_table_col_min(t, 14);
    const char *group = "";
    char buf[48];
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        const metric_info *m = engine_metric(e, i);
        if (m->role != ROLE_OWN || (m->kind != METRIC_VALUE && m->kind != METRIC_INDICATOR))
            continue;
        if (strcmp(group, m->group) != 0) {
            group = m->group;
            present_table_text(t, 0, 2, group);
        }
        metric_unit unit = m->kind == METRIC_INDICATOR ? UNIT_SHARE : m->unit;
        double x = values[i];
        if (m->kind == METRIC_INDICATOR && !isnan(x)) snprintf(buf, sizeof buf, x ? "yes" : "no");
        else if (unit == UNIT_MONEY && !isnan(x)) amount(buf, sizeof buf, x);
        else present_value(buf, sizeof buf, sc->currency, unit, x);
        const char *cells[] = {buf};
        present_table_row(t, 2, m->label, cells, -1);
    }
    present_table_print(out, t, width, present_unicode());
    present_table_free(t);
}

/* The uncertain inputs of this future, by name and pointer, in their
 * units (the exact numbers are in --format json). A backtest lists those
 * it uses (inputs[i] not NaN, engine_realised_ledger) and says how many
 * others it does not. */
static void inputs_table(FILE *out, const scenario *sc, const double *inputs, const future *fu,
                         int width) {
    if (sc->n_inputs == 0) return;
    const int backtest = strcmp(fu->kind, "backtest") == 0;
    size_t unused = 0;
    for (size_t i = 0; i < sc->n_inputs; i++) unused += backtest && isnan(inputs[i]);
    fprintf(out, "\nUncertain inputs %s%s\n",
            backtest ? "the record does not fix" : "in this future",
            strcmp(fu->kind, "path") == 0 ? " (its draws)" : " (their means, clamped to bounds)");
    if (unused == sc->n_inputs) {
        char line[200];
        if (unused == 1)
            snprintf(line, sizeof line, "none: the record's measurements stand for the scenario's "
                     "one uncertain input, or its stage did not run");
        else
            snprintf(line, sizeof line, "none: the record's measurements stand for the scenario's "
                     "%zu uncertain inputs, or their stage did not run", unused);
        text(out, 2, width, line);
        return;
    }
    present_table *t = present_table_new(1, NULL, NULL);
    if (t == NULL) return;
    present_table_col_min(t, 14);
    for (size_t i = 0; i < sc->n_inputs; i++) {
        if (backtest && isnan(inputs[i])) continue;
        char name[600], label[900], v[64];
        const char *p = sc->inputs[i].pointer;
        present_term_name(name, sizeof name, sc, p);
        if (strcmp(name, p) == 0) snprintf(label, sizeof label, "%s", p);
        else snprintf(label, sizeof label, "%s (%s)", name, p);
        const char *cells[] = {present_term_exact(v, sizeof v, sc->currency,
                                                  present_term_unit(sc, p), inputs[i])};
        present_table_row(t, 0, label, cells, -1);
    }
    present_table_print(out, t, width, present_unicode());
    present_table_free(t);
    if (unused > 0) {
        char line[200];
        snprintf(line, sizeof line, "%zu other%s not used: the record's measurements stand for "
                 "%s, or %s stage did not run", unused, unused == 1 ? " is" : "s are",
                 unused == 1 ? "it" : "them", unused == 1 ? "its" : "their");
        text(out, 2, width, line);
    }
}

/* The uncertain inputs of this future in JSON: each one's pointer and
 * value (null for one a backtest does not use). */
static void json_inputs(FILE *out, const scenario *sc, const double *inputs) {
    fprintf(out, "\"inputs\": [");
    for (size_t i = 0; i < sc->n_inputs; i++) {
        fprintf(out, "%s{\"pointer\": ", i ? ", " : "");
        present_json_string(out, sc->inputs[i].pointer);
        fprintf(out, ", \"value\": ");
        present_json_number(out, inputs[i]);
        fputc('}', out);
    }
    fprintf(out, "],\n");
}

static void future_heading(FILE *out, const scenario *sc, const char *name, const future *fu,
                           int width) {
    char line[1400];
    text(out, 0, width, sc->name);
    snprintf(line, sizeof line, "scenario: %s", name);
    text(out, 2, width, line);
    if (strcmp(fu->kind, "path") == 0) {
        snprintf(line, sizeof line, "future %llu of the run with seed %llu and generator %s: the "
                 "path `sibsim run` simulates as path %llu", fu->path,
                 (unsigned long long)sc->sim.seed, sc->sim.rng, fu->path);
        text(out, 2, width, line);
    } else if (strcmp(fu->kind, "backtest") != 0) {
        snprintf(line, sizeof line, "the expected case%s%s%s: every uncertain input at its mean, "
                 "measured = expected (no sampling noise), no operational failure, a stage "
                 "commissioned when its gate holds and its probability is at least 1/2",
                 fu->case_name ? " of case \"" : "", fu->case_name ? fu->case_name : "",
                 fu->case_name ? "\"" : "");
        text(out, 2, width, line);
    }
}

/* ---------------------------------------------------------- CSV, JSON */

/* One CSV for both commands: a row per ledger line (section "line", its
 * flows in the period columns), per metric of the future ("metric", its
 * value as the total) and, in a backtest, per reported figure ("reported"). */
static void csv_header(FILE *out, const ledger *l, int annual) {
    columns c = columns_of(l, annual);
    fputs("section,group,party,key,label,total,reported,lo,hi,reproduced", out);
    char buf[64];
    for (size_t k = 0; k < c.n; k++) {
        column_name(buf, sizeof buf, &c, k);
        fprintf(out, ",%s", buf);
    }
    fputc('\n', out);
}

static void csv_lines(FILE *out, const ledger *l, const ledger_line *lines, size_t n, int annual) {
    columns c = columns_of(l, annual);
    for (size_t i = 0; i < n; i++) {
        const ledger_line *x = &lines[i];
        fputs("line,", out);
        present_csv_field(out, x->group);
        fputc(',', out);
        present_csv_field(out, x->party);
        fputc(',', out);
        present_csv_field(out, x->key);
        fputc(',', out);
        present_csv_field(out, x->label);
        present_csv_number(out, ledger_line_total(l, x, SIZE_MAX));
        fputs(",,,,", out);
        for (size_t k = 0; k < c.n; k++) present_csv_number(out, cell(l, x, &c, k));
        fputc('\n', out);
    }
}

/* Empty period columns, so that every row has the header's columns. */
static void csv_pad(FILE *out, const ledger *l, int annual) {
    columns c = columns_of(l, annual);
    for (size_t k = 0; k < c.n; k++) fputc(',', out);
    fputc('\n', out);
}

static void csv_metrics(FILE *out, const engine *e, const ledger *l, int annual,
                        const double *values) {
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        const metric_info *m = engine_metric(e, i);
        if (m->role != ROLE_OWN || (m->kind != METRIC_VALUE && m->kind != METRIC_INDICATOR))
            continue;
        fputs("metric,", out);
        present_csv_field(out, m->group);
        fputc(',', out);
        fputc(',', out);
        present_csv_field(out, m->key);
        fputc(',', out);
        present_csv_field(out, m->label);
        present_csv_number(out, values[i]);
        fputs(",,,,", out);
        csv_pad(out, l, annual);
    }
}

static void json_ledger(FILE *out, const scenario *sc, const ledger *l, const ledger_line *lines,
                        size_t n, int annual) {
    columns c = columns_of(l, annual);
    fprintf(out, "  \"currency\": ");
    present_json_string(out, sc->currency);
    fprintf(out, ",\n  \"periods_per_year\": %d, \"columns\": [", annual ? 1 : l->ppy);
    char buf[64];
    for (size_t k = 0; k < c.n; k++) {
        column_name(buf, sizeof buf, &c, k);
        fprintf(out, "%s", k ? ", " : "");
        present_json_string(out, buf);
    }
    /* The column that holds the settlement: a year with --annual. */
    fprintf(out, "],\n  \"settlement_period\": %zu,\n  \"lines\": [", l->settle / c.per);
    for (size_t i = 0; i < n; i++) {
        const ledger_line *x = &lines[i];
        fprintf(out, "%s\n    {\"group\": ", i ? "," : "");
        present_json_string(out, x->group);
        fprintf(out, ", \"party\": ");
        present_json_string(out, x->party);
        fprintf(out, ", \"key\": ");
        present_json_string(out, x->key);
        fprintf(out, ", \"label\": ");
        present_json_string(out, x->label);
        fprintf(out, ", \"net\": %s, \"total\": ", x->net ? "true" : "false");
        present_json_number(out, ledger_line_total(l, x, SIZE_MAX));
        fprintf(out, ",\n     \"flows\": [");
        for (size_t k = 0; k < c.n; k++) {
            if (k) fputs(", ", out);
            present_json_number(out, cell(l, x, &c, k));
        }
        fputs("]}", out);
    }
    fputs("\n  ]", out);
}

static void json_metrics(FILE *out, const engine *e, const double *values) {
    fprintf(out, ",\n  \"metrics\": [");
    int first = 1;
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        const metric_info *m = engine_metric(e, i);
        if (m->role != ROLE_OWN || (m->kind != METRIC_VALUE && m->kind != METRIC_INDICATOR))
            continue;
        fprintf(out, "%s\n    {\"group\": ", first ? "" : ",");
        present_json_string(out, m->group);
        fprintf(out, ", \"key\": ");
        present_json_string(out, m->key);
        fprintf(out, ", \"label\": ");
        present_json_string(out, m->label);
        fprintf(out, ", \"value\": ");
        present_json_number(out, values[i]);
        fputc('}', out);
        first = 0;
    }
    fputs("\n  ]", out);
}

/* ------------------------------------------------------------ commands */

/* Compile sc and settle one future of the kind fu into l and values. */
typedef struct settled {
    engine *e;
    ledger *l;
    double *values, *inputs;
    ledger_line *lines;
    size_t n_lines;
} settled;

static void settled_free(settled *s) {
    ledger_free(s->l);
    engine_free(s->e);
    free(s->values);
    free(s->inputs);
    free(s->lines);
}

static int settle(const scenario *sc, const char *name, const future *fu, settled *s) {
    memset(s, 0, sizeof *s);
    sib_error err;
    sib_error_clear(&err);
    snprintf(err.file, sizeof err.file, "%s", name);
    char buf[1200];
    s->e = engine_new(sc, &err);
    if (s->e == NULL) {
        fprintf(stderr, "%s\n", sib_error_format(&err, buf, sizeof buf));
        return err.code == SIB_EINVAL ? EXIT_INPUT : EXIT_RUN;
    }
    s->l = engine_ledger_new(s->e);
    s->values = calloc(engine_metric_count(s->e) + 1, sizeof *s->values);
    s->inputs = calloc(sc->n_inputs + 1, sizeof *s->inputs);
    if (!s->l || !s->values || !s->inputs) {
        fprintf(stderr, "sibsim: out of memory\n");
        return EXIT_RUN;
    }
    int rc;
    if (strcmp(fu->kind, "path") == 0)
        rc = engine_path_ledger(s->e, fu->path, s->l, s->values, s->inputs, &err);
    else if (strcmp(fu->kind, "backtest") == 0)
        rc = engine_realised_ledger(s->e, &sc->realised, s->l, s->values, s->inputs, &err);
    else
        rc = engine_expected_ledger(s->e, s->l, s->values, s->inputs, &err);
    if (rc != SIB_OK) {
        fprintf(stderr, "%s\n", sib_error_format(&err, buf, sizeof buf));
        return err.code == SIB_EINVAL ? EXIT_INPUT : EXIT_RUN;
    }
    /* Every line, however many structures and tranches: count them, then
     * fill them in. */
    s->n_lines = ledger_lines(s->l, NULL, 0);
    s->lines = calloc(s->n_lines + 1, sizeof *s->lines);
    if (s->lines == NULL) {
        fprintf(stderr, "sibsim: out of memory\n");
        return EXIT_RUN;
    }
    ledger_lines(s->l, s->lines, s->n_lines);
    return 0;
}

int cmd_cashflows(const run_opts *o, const scenario *sc, const char *name) {
    future fu = {.kind = o->have_path ? "path" : o->n_cases ? "case" : "expected",
                 .path = o->path,
                 .case_name = o->n_cases ? o->cases[0] : NULL};
    settled s;
    int status = settle(sc, name, &fu, &s);
    if (status != 0) {
        settled_free(&s);
        return status;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (out == NULL) {
        settled_free(&s);
        return EXIT_RUN;
    }
    if (o->fmt == FORMAT_TABLE) {
        future_heading(out, sc, name, &fu, o->width);
        inputs_table(out, sc, s.inputs, &fu, o->width);
        ledger_table(out, sc, s.l, s.lines, s.n_lines, o->annual, o->width);
        metrics_table(out, sc, s.e, s.values, o->width);
    } else if (o->fmt == FORMAT_CSV) {
        csv_header(out, s.l, o->annual);
        csv_lines(out, s.l, s.lines, s.n_lines, o->annual);
        csv_metrics(out, s.e, s.l, o->annual, s.values);
    } else {
        fprintf(out, "{\n  \"scenario\": ");
        present_json_string(out, sc->name);
        fprintf(out, ",\n  \"future\": {\"kind\": \"%s\"", fu.kind);
        if (o->have_path)
            fprintf(out, ", \"path\": %llu, \"seed\": %llu, \"rng\": \"%s\"", fu.path,
                    (unsigned long long)sc->sim.seed, sc->sim.rng);
        if (fu.case_name) {
            fprintf(out, ", \"case\": ");
            present_json_string(out, fu.case_name);
        }
        fprintf(out, "},\n  ");
        json_inputs(out, sc, s.inputs);
        json_ledger(out, sc, s.l, s.lines, s.n_lines, o->annual);
        json_metrics(out, s.e, s.values);
        fprintf(out, "\n}\n");
    }
    fclose(out);
    status = output_emit_doc(o->out, o->fmt, &o->prov, buf, len) == 0 ? 0 : EXIT_RUN;
    free(buf);
    settled_free(&s);
    return status;
}

/* ------------------------------------------------------------ backtest */

/* The model's value of reported figure f: a metric of the backtest, or a
 * ledger line's total up to its date, with the group and key of what it
 * matched (a group's name may hold a '/'). -1 when its name matches
 * nothing. */
static int figure_value(const settled *s, const scenario *sc, const realised_figure *f,
                        double *value, metric_unit *unit, const char **group, const char **key) {
    *unit = UNIT_MONEY;
    if (f->is_flow) {
        size_t upto = SIZE_MAX;
        if (f->has_by) upto = scenario_period_in(sc, s->l->periods, f->by);
        for (size_t i = 0; i < s->n_lines; i++) {
            char full[600];
            snprintf(full, sizeof full, "%s/%s", s->lines[i].group, s->lines[i].key);
            if (strcmp(full, f->name) == 0) {
                *value = ledger_line_amount(s->l, &s->lines[i], upto);
                *group = s->lines[i].group;
                *key = s->lines[i].key;
                return 0;
            }
        }
        return -1;
    }
    for (size_t i = 0; i < engine_metric_count(s->e); i++) {
        const metric_info *m = engine_metric(s->e, i);
        char full[600];
        snprintf(full, sizeof full, "%s/%s", m->group, m->key);
        if (m->role == ROLE_OWN && strcmp(full, f->name) == 0 &&
            (m->kind == METRIC_VALUE || m->kind == METRIC_INDICATOR)) {
            *value = s->values[i];
            *unit = m->kind == METRIC_INDICATOR ? UNIT_SHARE : m->unit;
            *group = m->group;
            *key = m->key;
            return 0;
        }
    }
    return -1;
}

/* The result of the record for measurement m of cohort c (flat index) on
 * outcome o; NULL when it has none. */
static const realised_result *result_of(const realised *r, size_t c, size_t o, int m) {
    for (size_t k = 0; k < r->n_results; k++)
        if (r->results[k].cohort == c && r->results[k].outcome == o &&
            r->results[k].measurement == m)
            return &r->results[k];
    return NULL;
}

/* When result x of the record was measured (years): its cohort's
 * measurement (x->measurement) of its outcome. */
static double result_time(const scenario *sc, const realised_result *x) {
    size_t st = 0, c = x->cohort;
    while (c >= sc->stages[st].n_cohorts) c -= sc->stages[st++].n_cohorts;
    return scenario_measurement_time(sc, st, c, x->outcome, x->measurement);
}

/* Whether result x was measured after the record's stop. Nothing that
 * falls due after the stop is paid, and every payment on a measurement
 * falls due at or after it (its lag, its installments, a deferral: later
 * still; a pooled assessment at or after its last cohort's measurement);
 * a termination, which comes no later than the stop, drops what is measured
 * after it: so nothing is paid on such a result (sim/path.c, contract.h).
 * The complement of what unmeasured() counts as due. */
static int after_stop(const scenario *sc, const realised *r, const realised_result *x) {
    return result_time(sc, x) > r->stopped;
}

/* How the backtest's future applies the record's stop to one assessment
 * (sim/path.c, contract.h): nothing falling due after the stop is paid;
 * but when the contract's termination clause ended that future (term, no
 * later than the stop; HUGE_VAL when it did not), the stop is lifted and
 * an assessment is paid at its date, even after the stop, when it is
 * measured by then, and not at all when measured after it. Whether ev
 * pays nothing for that reason, whatever was measured. */
static int cut_by_stop(const pay_event *ev, const realised *r, double term) {
    if (term < HUGE_VAL) return ev->measured > term + 1e-9; /* the contract's tolerance */
    return ev->time > r->stopped;
}

/* What becomes of an assessment a result enters, in the backtest's future:
 * cancelled or replaced by a suspension (the suspension's index: it would
 * never pay, stop or not, so that reason comes first), else left unpaid by
 * the stop (FATE_CUT, cut_by_stop), else paid as the settlement finds
 * (FATE_PAID). */
#define FATE_PAID SIZE_MAX
#define FATE_CUT (SIZE_MAX - 1)
static size_t fate_of(const scenario *sc, const pay_event *ev, const realised *r, double term) {
    if (ev->cancelled) {
        const size_t by = contract_cancelled_by(&sc->contract, ev->due, ev->measured);
        if (by < sc->contract.n_suspensions) return by;
    }
    return cut_by_stop(ev, r, term) ? FATE_CUT : FATE_PAID;
}

/* What suspension i does to the payments it holds, for a note: "cancelled
 * by the holiday /contract/suspensions/0 [from 2 to 3 years)", "replaced by
 * the fixed payments of /contract/suspensions/1 [from 3 to 3.5 years)", or
 * for a fixed window replacing measurements "... for what is measured in
 * [from 3 to 3.5 years)". Suspensions have no names: the pointer is the
 * scenario's. */
static void suspension_phrase(char *buf, size_t size, const contract *k, size_t i) {
    const suspension *s = &k->suspensions[i];
    if (s->kind == SUSPEND_HOLIDAY)
        snprintf(buf, size,
                 "cancelled by the holiday /contract/suspensions/%zu [from %g to %g years)", i,
                 s->from, s->to);
    else
        snprintf(buf, size,
                 "replaced by the fixed payments of /contract/suspensions/%zu %s[from %g "
                 "to %g years)",
                 i, s->on_measurements ? "for what is measured in " : "", s->from, s->to);
}

/* Append to buf (size bytes in all), from its length at, the text of
 * printf format fmt; returns the new length (at most size - 1). */
static size_t append(char *buf, size_t size, size_t at, const char *fmt, ...) {
    if (at + 1 >= size) return at;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + at, size - at, fmt, ap);
    va_end(ap);
    return w < 0 || (size_t)w >= size - at ? size - 1 : at + (size_t)w;
}

/* The installments inst[0..n) of one rule (sorted, distinct), paid at
 * date[0..n), for a note: into ins " installment 2" or " installments 1 to
 * 3" (consecutive), or as a list of their consecutive runs, " installments
 * 1 and 3", " installments 0 to 1 and 3" (a range stands only for
 * installments all there); into dates the dates the same way, "4.6 to 5",
 * "4 and 5", "3.5 to 4 and 5" -- or one date when they are all one. */
static void installments_text(char *ins, size_t isize, char *dates, size_t dsize, const int *inst,
                              const double *date, size_t n) {
    size_t runs = 0;
    for (size_t i = 0; i < n; i++) runs += i == 0 || inst[i] != inst[i - 1] + 1;
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (size_t i = 0; i < n; i++) {
        lo = fmin(lo, date[i]);
        hi = fmax(hi, date[i]);
    }
    size_t at = 0, dt = 0, run = 0;
    ins[0] = dates[0] = '\0';
    if (n > 1)
        at = append(ins, isize, at, " installments ");
    else
        at = append(ins, isize, at, " installment ");
    for (size_t i = 0; i < n;) {
        size_t j = i; /* the run i..j */
        double d0 = date[i], d1 = date[i];
        while (j + 1 < n && inst[j + 1] == inst[j] + 1) {
            j++;
            d0 = fmin(d0, date[j]);
            d1 = fmax(d1, date[j]);
        }
        const char *sep = run == 0 ? "" : run + 1 == runs ? " and " : ", ";
        if (j > i)
            at = append(ins, isize, at, "%s%d to %d", sep, inst[i], inst[j]);
        else
            at = append(ins, isize, at, "%s%d", sep, inst[i]);
        if (lo == hi)
            dt = run == 0 ? append(dates, dsize, dt, "%g", lo) : dt;
        else if (d0 != d1)
            dt = append(dates, dsize, dt, "%s%g to %g", sep, d0, d1);
        else
            dt = append(dates, dsize, dt, "%s%g", sep, d0);
        run++;
        i = j + 1;
    }
}

/* Append to line (size bytes in all), from its length at, which of the
 * assessments idx[0..n) of a result have fate f (fate[i], dated date[i]):
 * by rule, in the order the plan first has them (one rule gives a result
 * one assessment: its installments, installments_text's), "\"final
 * true-up\" (pooled) at 6.75 years", "\"cohort trigger\" installments 1 to
 * 3 at 4.6 to 5 years", "\"cohort trigger\" installments 1 and 3 at 4 and 5
 * years" (word before the dates: "at", "due at"). Returns the line's new
 * length. */
static size_t which_note(char *line, size_t size, size_t at, const scenario *sc,
                         const contract_plan *plan, const size_t *idx, const size_t *fate,
                         const double *date, size_t n, size_t f, const char *word) {
    int first = 1;
    int *inst = malloc((n + 1) * sizeof *inst);
    double *when = malloc((n + 1) * sizeof *when);
    if (inst == NULL || when == NULL) {
        free(inst);
        free(when);
        return at;
    }
    for (size_t i = 0; i < n && at + 1 < size; i++) {
        const pay_event *ev = &plan->events[idx[i]];
        if (fate[i] != f) continue;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = plan->events[idx[j]].rule == ev->rule && fate[j] == f;
        if (seen) continue;
        /* The rule's installments with this fate, sorted by number. */
        size_t k = 0;
        for (size_t j = i; j < n; j++) {
            const pay_event *e2 = &plan->events[idx[j]];
            if (e2->rule != ev->rule || fate[j] != f) continue;
            size_t p = k++;
            for (; p > 0 && inst[p - 1] > e2->installment; p--) {
                inst[p] = inst[p - 1];
                when[p] = when[p - 1];
            }
            inst[p] = e2->installment;
            when[p] = date[j];
        }
        const payment_rule *rule = &sc->contract.rules[ev->rule];
        char ins[256], dates[256];
        installments_text(ins, sizeof ins, dates, sizeof dates, inst, when, k);
        if (rule->installments <= 1) ins[0] = '\0';
        at = append(line, size, at, "%s \"%s\"%s%s %s %s years", first ? "" : ",", rule->name,
                    ev->cohort == CONTRACT_POOLED ? " (pooled)" : "", ins, word, dates);
        first = 0;
    }
    free(inst);
    free(when);
    return at;
}

/* Append to line (size bytes in all) which of the payments result x would
 * trigger pay nothing, and why: of the assessments it enters under the
 * contract's terms (contract_assessments_of: its cohort's, each
 * installment, after any deferral, and those of the pools that hold it),
 * each dated by the plan, not by what the settlement paid, and each given
 * one reason (fate_of): a suspension cancels or replaces it (dated when it
 * falls due), or else the record's stop leaves it unpaid (cut_by_stop).
 * Nothing when neither drops any, and nothing for a result measured after the stop
 * (its own note says so). The stop's, for all of them: "its payment would
 * fall due at T years, after the programme stopped at S years: nothing is
 * paid on it"; a suspension's, for all of them: "its payment due at T years
 * is cancelled by the holiday /contract/suspensions/0 [from A to B years):
 * nothing is paid on it"; otherwise, for each suspension and then the stop,
 * how many of how many, and which (rule, pooled, installments, dates),
 * ending "nothing is paid on it" when that is all of them. After a
 * termination the stop's dates are those assessed. */
static void cut_note(char *line, size_t size, const scenario *sc, const contract_plan *plan,
                     const realised *r, double term, const realised_result *x) {
    size_t at = strlen(line);
    if (after_stop(sc, r, x) || at + 1 >= size) return;
    size_t *idx = malloc((plan->n_events + 1) * sizeof *idx);
    size_t *fate = malloc((plan->n_events + 1) * sizeof *fate);
    double *date = malloc((plan->n_events + 1) * sizeof *date);
    if (idx == NULL || fate == NULL || date == NULL) {
        free(idx);
        free(fate);
        free(date);
        return;
    }
    const size_t n = contract_assessments_of(sc, plan, x->cohort, x->outcome, x->measurement, idx,
                                             plan->n_events);
    const int terminated = term < HUGE_VAL;
    size_t cut = 0, gone = 0, by = FATE_PAID;
    int several = 0; /* more than one suspension cancels some */
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (size_t i = 0; i < n; i++) {
        const pay_event *ev = &plan->events[idx[i]];
        fate[i] = fate_of(sc, ev, r, term);
        date[i] = fate[i] == FATE_CUT && terminated ? ev->measured
                  : fate[i] == FATE_CUT             ? ev->time
                                                    : ev->due;
        if (fate[i] == FATE_PAID) continue;
        lo = fmin(lo, date[i]);
        hi = fmax(hi, date[i]);
        if (fate[i] == FATE_CUT) {
            cut++;
            continue;
        }
        gone++;
        several |= by != FATE_PAID && by != fate[i];
        by = fate[i];
    }
    char why[120], dates[64], what[200];
    snprintf(why, sizeof why, terminated ? "after the programme was terminated at %g years"
                                         : "after the programme stopped at %g years",
             terminated ? term : r->stopped);
    const char *when = terminated ? "would be assessed" : "would fall due";
    if (lo == hi) snprintf(dates, sizeof dates, "%g", lo);
    else snprintf(dates, sizeof dates, "%g to %g", lo, hi);
    if (cut + gone == 0) {
        /* every one is paid */
    } else if (cut == n) {
        if (n == 1)
            snprintf(line + at, size - at,
                     "; its payment %s at %s years, %s: nothing is paid on it", when, dates, why);
        else
            snprintf(line + at, size - at, "; its %zu payments %s at %s years, %s: nothing is paid "
                     "on it", n, when, dates, why);
    } else if (gone == n && !several) {
        suspension_phrase(what, sizeof what, &sc->contract, by);
        if (n == 1)
            snprintf(line + at, size - at,
                     "; its payment due at %s years is %s: nothing is paid on it", dates,
                     what);
        else
            snprintf(line + at, size - at,
                     "; its %zu payments due at %s years are %s: nothing is paid on it",
                     n, dates, what);
    } else {
        for (size_t s = 0; s < sc->contract.n_suspensions && at + 1 < size; s++) {
            size_t k = 0;
            for (size_t i = 0; i < n; i++) k += fate[i] == s;
            if (k == 0) continue;
            suspension_phrase(what, sizeof what, &sc->contract, s);
            int w = snprintf(line + at, size - at, "; %zu of its %zu payments %s %s:", k, n,
                             k == 1 ? "is" : "are", what);
            at = w < 0 || (size_t)w >= size - at ? size - 1 : at + (size_t)w;
            at = which_note(line, size, at, sc, plan, idx, fate, date, n, s, "due at");
        }
        if (cut > 0 && at + 1 < size) {
            int w = snprintf(line + at, size - at,
                             "; %zu of its %zu payments %s %s and %s not paid:", cut, n,
                             when, why, cut == 1 ? "is" : "are");
            at = w < 0 || (size_t)w >= size - at ? size - 1 : at + (size_t)w;
            at = which_note(line, size, at, sc, plan, idx, fate, date, n, FATE_CUT, "at");
        }
        if (cut + gone == n && at + 1 < size)
            snprintf(line + at, size - at, "; nothing is paid on it");
    }
    free(idx);
    free(fate);
    free(date);
}

/* Whether measurement m of cohort c of stage st on outcome o was due --
 * its stage ran, the programme had not stopped by then -- and the record
 * has no result for it: counted as not made. */
static int unmeasured(const scenario *sc, const realised *r, size_t st, size_t c, size_t flat,
                      size_t o, int m) {
    return r->stage_ran[st] && result_of(r, flat, o, m) == NULL &&
           scenario_measurement_time(sc, st, c, o, m) <= r->stopped;
}

/* What the record measured, cohort by cohort, and each measurement due
 * that it has no result for, by runs ("measurements 3 to 6 at 4 to 7
 * years": nothing is paid on them). An outcome measured several times
 * numbers its measurements from 0, as the record does. */
static void measured_table(FILE *out, const scenario *sc, const realised *r,
                           const contract_plan *plan, double term, int width) {
    fprintf(out, "\nWhat was measured (the record)\n");
    char line[2400];
    size_t flat = 0;
    for (size_t st = 0; st < sc->n_stages; st++)
        for (size_t c = 0; c < sc->stages[st].n_cohorts; c++, flat++)
            for (size_t o = 0; o < sc->n_outcomes; o++) {
                const outcome *oc = &sc->outcomes[o];
                const int times = oc->times > 1 ? oc->times : 1;
                for (int m = 0; m < times; m++) {
                    const realised_result *x = result_of(r, flat, o, m);
                    int m2 = m;
                    if (x == NULL) {
                        if (!unmeasured(sc, r, st, c, flat, o, m)) continue;
                        while (m2 + 1 < times && unmeasured(sc, r, st, c, flat, o, m2 + 1)) m2++;
                    }
                    int n = snprintf(line, sizeof line, "%s / %s / %s", sc->stages[st].name,
                                     sc->stages[st].cohorts[c].name, oc->name);
                    if (times > 1 && m2 > m)
                        n += snprintf(line + n, sizeof line - (size_t)n,
                                      ", measurements %d to %d at %g to %g years", m, m2,
                                      scenario_measurement_time(sc, st, c, o, m),
                                      scenario_measurement_time(sc, st, c, o, m2));
                    else if (times > 1)
                        n += snprintf(line + n, sizeof line - (size_t)n,
                                      ", measurement %d at %g years", m,
                                      scenario_measurement_time(sc, st, c, o, m));
                    size_t at = n < 0 ? 0 : (size_t)n >= sizeof line ? sizeof line - 1 : (size_t)n;
                    if (x == NULL) {
                        snprintf(line + at, sizeof line - at, ": no result, counted as not "
                                 "measured (nothing paid on %s)", m2 > m ? "them" : "it");
                        text(out, 2, width, line);
                        m = m2;
                        continue;
                    }
                    at += (size_t)snprintf(line + at, sizeof line - at, ": treated %g, mean %.6g",
                                           x->n_t, x->n_t > 0 ? x->sum_t / x->n_t : NAN);
                    if (at >= sizeof line) at = sizeof line - 1;
                    if (x->n_c > 0) {
                        double eff = contract_effect(oc, x->sum_t / x->n_t, x->sum_c / x->n_c);
                        snprintf(line + at, sizeof line - at,
                                 "; comparison %g, mean %.6g; measured effect %.4g%s", x->n_c,
                                 x->sum_c / x->n_c, oc->scale == EFFECT_RELATIVE ? 100 * eff : eff,
                                 oc->scale == EFFECT_RELATIVE ? "%" : "");
                    } else {
                        snprintf(line + at, sizeof line - at,
                                 "; no comparison group (validated counts): %.6g achieved",
                                 contract_achieved(oc, x->sum_t / x->n_t, x->n_t));
                    }
                    /* Listed as measured, but it can pay nothing: say so
                     * (its date is on the line already when it is one of
                     * several measurements). */
                    at = strlen(line);
                    if (after_stop(sc, r, x) && times > 1)
                        snprintf(line + at, sizeof line - at, "; after the programme stopped at "
                                 "%g years: nothing is paid on it", r->stopped);
                    else if (after_stop(sc, r, x))
                        snprintf(line + at, sizeof line - at, "; measured at %g years, after the "
                                 "programme stopped at %g years: nothing is paid on it",
                                 result_time(sc, x), r->stopped);
                    else
                        cut_note(line, sizeof line, sc, plan, r, term, x);
                    text(out, 2, width, line);
                }
            }
    size_t n = (size_t)snprintf(line, sizeof line, "stages that ran:"), ran = 0;
    for (size_t st = 0; st < sc->n_stages && n < sizeof line; st++)
        if (r->stage_ran[st]) {
            n += (size_t)snprintf(line + n, sizeof line - n, " %s;", sc->stages[st].name);
            ran++;
        }
    if (ran == 0 && n < sizeof line) n += (size_t)snprintf(line + n, sizeof line - n, " none;");
    if (r->stopped < HUGE_VAL && n < sizeof line)
        snprintf(line + n, sizeof line - n, " the programme stopped at %g years", r->stopped);
    text(out, 2, width, line);
}

/* What was measured, as measured_table shows it: the stages that ran and
 * each result, its groups' sizes and totals in the contract's units (the
 * comparison null for validated counts), when it was measured (years),
 * whether that is after the record's stop (nothing is paid on it), and the
 * assessments it enters (cut_note's), each with its dates, whether a
 * suspension cancels or replaces it and which (its index in
 * /contract/suspensions, else null), and whether the stop leaves it unpaid
 * (cut_by_stop; false for a cancelled one, as fate_of gives one reason). */
static void json_measured(FILE *out, const scenario *sc, const realised *r,
                          const contract_plan *plan, double term) {
    size_t *idx = malloc((plan->n_events + 1) * sizeof *idx);
    fprintf(out, ",\n     \"stages\": [");
    int first = 1;
    for (size_t st = 0; st < sc->n_stages; st++)
        if (r->stage_ran[st]) {
            if (!first) fputs(", ", out);
            present_json_string(out, sc->stages[st].name);
            first = 0;
        }
    fprintf(out, "],\n     \"results\": [");
    for (size_t k = 0; k < r->n_results; k++) {
        const realised_result *x = &r->results[k];
        size_t st = 0, c = x->cohort;
        while (c >= sc->stages[st].n_cohorts) c -= sc->stages[st++].n_cohorts;
        fprintf(out, "%s\n       {\"stage\": ", k ? "," : "");
        present_json_string(out, sc->stages[st].name);
        fprintf(out, ", \"cohort\": ");
        present_json_string(out, sc->stages[st].cohorts[c].name);
        fprintf(out, ", \"outcome\": ");
        present_json_string(out, sc->outcomes[x->outcome].name);
        fprintf(out, ", \"measurement\": %d, \"treated\": {\"size\": ", x->measurement);
        present_json_number(out, x->n_t);
        fprintf(out, ", \"total\": ");
        present_json_number(out, x->sum_t);
        fprintf(out, "}, \"comparison\": ");
        if (x->n_c > 0) {
            fprintf(out, "{\"size\": ");
            present_json_number(out, x->n_c);
            fprintf(out, ", \"total\": ");
            present_json_number(out, x->sum_c);
            fputc('}', out);
        } else {
            fputs("null", out);
        }
        fprintf(out, ", \"measured_at\": ");
        present_json_number(out, result_time(sc, x));
        fprintf(out, ", \"after_stop\": %s, \"payments\": [",
                after_stop(sc, r, x) ? "true" : "false");
        const size_t n = idx == NULL ? 0
                                     : contract_assessments_of(sc, plan, x->cohort, x->outcome,
                                                               x->measurement, idx, plan->n_events);
        for (size_t i = 0; i < n; i++) {
            const pay_event *ev = &plan->events[idx[i]];
            fprintf(out, "%s{\"rule\": ", i ? ", " : "");
            present_json_string(out, sc->contract.rules[ev->rule].name);
            fprintf(out, ", \"pooled\": %s, \"installment\": %d, \"assessed_at\": ",
                    ev->cohort == CONTRACT_POOLED ? "true" : "false", ev->installment);
            present_json_number(out, ev->measured);
            fprintf(out, ", \"due\": ");
            present_json_number(out, ev->time);
            /* One reason each, as the note gives it (fate_of): a
             * cancelled one is not also after the stop. */
            const size_t f = fate_of(sc, ev, r, term);
            fprintf(out, ", \"cancelled\": %s, \"suspension\": ", f < FATE_CUT ? "true" : "false");
            if (f < FATE_CUT)
                fprintf(out, "%zu", f);
            else
                fputs("null", out);
            fprintf(out, ", \"after_stop\": %s}", f == FATE_CUT ? "true" : "false");
        }
        fputs("]}", out);
    }
    fputs("]", out);
    free(idx);
}

int cmd_backtest(const run_opts *o, scenario *sc, const char *name) {
    sib_error err;
    char ebuf[1200];
    if (o->realised != NULL && scenario_load_realised_file(sc, o->realised, &err) != SIB_OK) {
        fprintf(stderr, "%s\n", sib_error_format(&err, ebuf, sizeof ebuf));
        return EXIT_INPUT;
    }
    if (!sc->realised.present) {
        fprintf(stderr, "sibsim: %s: the scenario has no realised record: add a \"realised\" "
                        "section (docs/scenario-format.md) or give --realised FILE\n",
                name);
        return EXIT_INPUT;
    }
    const realised *r = &sc->realised;
    const char *rec_name = o->realised ? o->realised : name;
    const char *prefix = o->realised ? "" : "/realised";
    future fu = {.kind = "backtest"};
    settled s;
    int status = settle(sc, name, &fu, &s);
    if (status != 0) {
        settled_free(&s);
        return status;
    }
    double *model = calloc(r->n_reported + 1, sizeof *model);
    metric_unit *units = calloc(r->n_reported + 1, sizeof *units);
    const char **groups = calloc(r->n_reported + 1, sizeof *groups);
    const char **keys = calloc(r->n_reported + 1, sizeof *keys);
    int missed = 0;
    for (size_t k = 0; model && units && groups && keys && k < r->n_reported; k++) {
        const realised_figure *f = &r->reported[k];
        if (figure_value(&s, sc, f, &model[k], &units[k], &groups[k], &keys[k]) != 0) {
            fprintf(stderr, "sibsim: %s: %s/reported/%zu/%s: no %s \"%s\" (GROUP/KEY as in "
                            "`sibsim %s --format csv`)\n",
                    rec_name, prefix, k, f->is_flow ? "flow" : "metric",
                    f->is_flow ? "ledger line" : "per-future metric", f->name,
                    f->is_flow ? "cashflows" : "run");
            status = EXIT_INPUT;
        } else if (!(model[k] >= f->lo && model[k] <= f->hi)) {
            missed++;
        }
    }
    if (model == NULL || units == NULL || groups == NULL || keys == NULL) status = EXIT_RUN;
    if (status != 0) {
        free(model);
        free(units);
        free(groups);
        free(keys);
        settled_free(&s);
        return status;
    }
    char *buf = NULL;
    size_t len = 0;
    /* The contract's assessments, dated by its terms, for what the stop
     * leaves unpaid of each result. */
    contract_plan *plan = contract_plan_new(sc);
    FILE *out = plan == NULL ? NULL : open_memstream(&buf, &len);
    if (out == NULL) {
        contract_plan_free(plan);
        free(model);
        free(units);
        free(groups);
        free(keys);
        settled_free(&s);
        return EXIT_RUN;
    }
    char v[48], rv[48], lo[48], hi[48];
    if (o->fmt == FORMAT_TABLE) {
        const int width = o->width;
        char line[2400];
        snprintf(line, sizeof line, "Backtest: %s", sc->name);
        text(out, 0, width, line);
        snprintf(line, sizeof line, "scenario: %s", name);
        text(out, 2, width, line);
        if (o->realised) {
            snprintf(line, sizeof line, "record: %s", o->realised);
            text(out, 2, width, line);
        }
        if (r->description[0]) text(out, 2, width, r->description);
        for (size_t i = 0; i < r->n_sources; i++) {
            snprintf(line, sizeof line, "source: %s", r->sources[i]);
            text(out, 2, width, line);
        }
        text(out, 2, width, "The contract settled on the record's measurements; every other input "
                            "at its mean.");
        measured_table(out, sc, r, plan, s.l->term_at, width);
        inputs_table(out, sc, s.inputs, &fu, width);
        fprintf(out, "\nWhat the record reports, beside the model\n");
        if (r->n_reported == 0) text(out, 2, width, "none: the record reports no figure");
        for (size_t k = 0; k < r->n_reported; k++) {
            const realised_figure *f = &r->reported[k];
            int ok = model[k] >= f->lo && model[k] <= f->hi;
            present_value(v, sizeof v, sc->currency, units[k], model[k]);
            present_value(rv, sizeof rv, sc->currency, units[k], f->value);
            present_value(lo, sizeof lo, sc->currency, units[k], f->lo);
            present_value(hi, sizeof hi, sc->currency, units[k], f->hi);
            if (f->has_by) snprintf(line, sizeof line, "%s (by %g years)", f->what, f->by);
            else snprintf(line, sizeof line, "%s", f->what);
            text(out, 2, width, line);
            snprintf(line, sizeof line, "model %s, reported %s, range %s .. %s: %s", v, rv, lo, hi,
                     ok ? "reproduced" : "NOT REPRODUCED");
            text(out, 6, width, line);
            if (f->source[0]) {
                snprintf(line, sizeof line, "source: %s", f->source);
                text(out, 6, width, line);
            }
        }
        ledger_table(out, sc, s.l, s.lines, s.n_lines, o->annual, width);
        metrics_table(out, sc, s.e, s.values, width);
    } else if (o->fmt == FORMAT_CSV) {
        csv_header(out, s.l, o->annual);
        for (size_t k = 0; k < r->n_reported; k++) {
            const realised_figure *f = &r->reported[k];
            fputs("reported,", out);
            present_csv_field(out, groups[k]);
            fputs(f->is_flow ? ",flow," : ",metric,", out);
            present_csv_field(out, keys[k]);
            fputc(',', out);
            present_csv_field(out, f->what);
            present_csv_number(out, model[k]);
            present_csv_number(out, f->value);
            present_csv_number(out, f->lo);
            present_csv_number(out, f->hi);
            fprintf(out, ",%s", model[k] >= f->lo && model[k] <= f->hi ? "yes" : "no");
            csv_pad(out, s.l, o->annual);
        }
        csv_lines(out, s.l, s.lines, s.n_lines, o->annual);
        csv_metrics(out, s.e, s.l, o->annual, s.values);
    } else {
        fprintf(out, "{\n  \"scenario\": ");
        present_json_string(out, sc->name);
        fprintf(out, ",\n  \"record\": {\"description\": ");
        present_json_string(out, r->description);
        fprintf(out, ", \"sources\": [");
        for (size_t i = 0; i < r->n_sources; i++) {
            if (i) fputs(", ", out);
            present_json_string(out, r->sources[i]);
        }
        fprintf(out, "], \"stopped\": ");
        present_json_number(out, r->stopped);
        json_measured(out, sc, r, plan, s.l->term_at);
        fprintf(out, "},\n  \"reported\": [");
        for (size_t k = 0; k < r->n_reported; k++) {
            const realised_figure *f = &r->reported[k];
            fprintf(out, "%s\n    {\"what\": ", k ? "," : "");
            present_json_string(out, f->what);
            fprintf(out, ", \"%s\": ", f->is_flow ? "flow" : "metric");
            present_json_string(out, f->name);
            if (f->has_by) {
                fprintf(out, ", \"by\": ");
                present_json_number(out, f->by);
            }
            const struct {
                const char *k;
                double v;
            } num[] = {{"model", model[k]}, {"reported", f->value}, {"lo", f->lo}, {"hi", f->hi}};
            for (size_t j = 0; j < sizeof num / sizeof num[0]; j++) {
                fprintf(out, ", \"%s\": ", num[j].k);
                present_json_number(out, num[j].v);
            }
            fprintf(out, ", \"reproduced\": %s}",
                    model[k] >= f->lo && model[k] <= f->hi ? "true" : "false");
        }
        fprintf(out, "\n  ],\n  ");
        json_inputs(out, sc, s.inputs);
        json_ledger(out, sc, s.l, s.lines, s.n_lines, o->annual);
        json_metrics(out, s.e, s.values);
        fprintf(out, "\n}\n");
    }
    fclose(out);
    status = output_emit_doc(o->out, o->fmt, &o->prov, buf, len) == 0 ? 0 : EXIT_RUN;
    if (status == 0 && missed) {
        fprintf(stderr, "sibsim: backtest: %d reported figure%s not reproduced within %s stated "
                        "range\n",
                missed, missed == 1 ? " is" : "s are", missed == 1 ? "its" : "their");
        status = EXIT_RUN;
    }
    free(buf);
    contract_plan_free(plan);
    free(model);
    free(units);
    free(groups);
    free(keys);
    settled_free(&s);
    return status;
}
