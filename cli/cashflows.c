/* cashflows.c -- the ledger commands: `cashflows` shows one future's cash
 * flows for every party, period by period, with totals and that future's
 * metrics; `backtest` (backtest.c) settles the contract on a deal's
 * realised record and sets the figures the record reports beside the
 * model's. Both render the same ledger (model/ledger.h) the metrics are
 * computed from, with the functions here (cashflows_internal.h), as a
 * table, CSV (one row a line, one column a period: what an analyst pastes
 * beside a spreadsheet) or JSON.
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
#include "cashflows_internal.h"

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

/* Which one future a ledger is, for its headings: "the expected case",
 * "the expected case of case \"no effect\"", "future 7 of the run", "the
 * backtest". The expected case is every input at its mean, not the mean
 * of each period over futures (the expected cash flows `run` takes an IRR
 * of), so the headings name the future rather than leave "expected" to
 * be read as a mean. Returns buf. */
static const char *future_title(char *buf, size_t size, const future *fu) {
    if (strcmp(fu->kind, "path") == 0)
        snprintf(buf, size, "future %llu of the run", fu->path);
    else if (strcmp(fu->kind, "backtest") == 0)
        snprintf(buf, size, "the backtest");
    else if (fu->case_name)
        snprintf(buf, size, "the expected case of case \"%s\"", fu->case_name);
    else
        snprintf(buf, size, "the expected case");
    return buf;
}

/* Print a line of text wrapped to the width, continuation lines indented
 * by two more. */
void cashflows_text(FILE *out, int indent, int width, const char *s) {
    present_wrap(out, s, indent, indent + 2, width);
}

/* The ledger of future fu as a table: a row a line, a column a period (or
 * a year), the total first; the columns that do not fit the width run on
 * in blocks, the labels repeated. */
void cashflows_ledger_table(FILE *out, const scenario *sc, const future *fu, const ledger *l,
                            const ledger_line *lines, size_t n_lines, int annual, int width) {
    columns c = columns_of(l, annual);
    char line[800], which[SCENARIO_NAME_MAX + 60];
    /* The legend says what each mark means: a minus sign is paid and a
     * lone "-" is zero (amount()); which dates a column holds -- period t
     * is [t/ppy, (t+1)/ppy) (ledger.h), so a payment due at the end of a
     * year is in the next year's column, which a reader reconciling "year
     * 1" with a year's payments must know; and why a total can be a unit
     * off the sum of its cells, each of which is rounded on its own. */
    char first[40], second[40];
    column_name(first, sizeof first, &c, 0);
    column_name(second, sizeof second, &c, 1);
    const double step = (double)c.per / c.ppy; /* years a column spans */
    snprintf(line, sizeof line, "Cash flows of %s, one future, in %s %s, from the side of whoever "
             "pays or receives: "
             "-700 is paid, 700 received and a lone - zero; lines that are zero throughout are "
             "left out (--format csv has them all). A column holds what falls due from its "
             "start up to the next one's (%s: from 0 up to, not including, %g year%s), so what "
             "falls due at %g year%s is in %s. Each amount is rounded to a whole unit on its "
             "own, so a total can differ by a unit or two from the sum of its rounded cells.",
             future_title(which, sizeof which, fu), sc->currency,
             annual ? "by year" : c.ppy == 4 ? "by quarter" : c.ppy == 12 ? "by month"
                                 : c.ppy == 1 ? "by year" : "by period",
             first, step, step == 1 ? "" : "s", step, step == 1 ? "" : "s", second);
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

/* Metric m's label for one future's value. A run's labels name
 * statistics over futures -- "P(loss), over every future" is the share of
 * futures with a loss, "IRR, future by future" the spread of each future's
 * IRR -- but a ledger is one future: its indicator is a yes or no, so
 * "P(X)" becomes the question "X?" ("Goldman Sachs P(loss), over every
 * future" -> "Goldman Sachs loss?", "P(reaches pilot)" -> "Reaches
 * pilot?"), and the phrases about futures go ("IRR, future by future" ->
 * "IRR"). Shared by the table, CSV and JSON, so that all three say the
 * same. Returns buf. */
static const char *one_future_label(char *buf, size_t size, const metric_info *m) {
    static const char *const over[] = {", over every future", ", future by future"};
    char s[sizeof m->label + 8];
    snprintf(s, sizeof s, "%s", m->label);
    for (size_t i = 0; i < sizeof over / sizeof over[0]; i++) {
        char *at = strstr(s, over[i]);
        if (at) memmove(at, at + strlen(over[i]), strlen(at + strlen(over[i])) + 1);
    }
    /* The last "P(": a tranche's or stage's name before it may hold one. */
    char *p = NULL;
    for (char *q = s; m->kind == METRIC_INDICATOR && (q = strstr(q, "P(")) != NULL; q++) p = q;
    char *close = p ? strchr(p, ')') : NULL;
    if (p == NULL || close == NULL || close[1] != '\0') {
        snprintf(buf, size, "%s", s);
        return buf;
    }
    *close = '\0';
    snprintf(buf, size, "%.*s%s?", (int)(p - s), s, p + 2);
    if (p == s && buf[0] >= 'a' && buf[0] <= 'z') buf[0] = (char)(buf[0] - 'a' + 'A');
    return buf;
}

/* The per-future metrics of values (engine_metric_count doubles), headed
 * by which future fu is: one future's values, not means over futures. */
void cashflows_metrics_table(FILE *out, const scenario *sc, const future *fu, const engine *e,
                             const double *values, int width) {
    char which[SCENARIO_NAME_MAX + 60], head[SCENARIO_NAME_MAX + 200];
    snprintf(head, sizeof head, "Metrics of %s, computed from the ledger above: one future's "
             "values, not means over futures (`sibsim run` gives those)",
             future_title(which, sizeof which, fu));
    fputc('\n', out);
    cashflows_text(out, 0, width, head);
    present_table *t = present_table_new(1, NULL, NULL);
    if (t == NULL) return;
    present_table_label_width(t, 58);
    present_table_col_min(t, 14);
    const char *group = "";
    char buf[48];
    int undefined = 0;
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        const metric_info *m = engine_metric(e, i);
        if (m->role != ROLE_OWN || (m->kind != METRIC_VALUE && m->kind != METRIC_INDICATOR))
            continue;
        /* A structure's cost per true outcome is undefined in every
         * future of a scenario with several outcomes (bed days and jobs do
         * not add up): left out, as `run`'s table leaves it out, not an
         * "n/a" the note below would explain as no true outcome. CSV and
         * JSON keep it, empty. */
        if (sc->n_outcomes > 1 && m->fin != SIZE_MAX &&
            strcmp(m->key, "commissioner.cost_per_true_outcome.per_future") == 0)
            continue;
        if (strcmp(group, m->group) != 0) {
            group = m->group;
            present_table_text(t, 0, 2, group);
        }
        metric_unit unit = m->kind == METRIC_INDICATOR ? UNIT_SHARE : m->unit;
        double x = values[i];
        undefined |= isnan(x);
        /* Money in full, as in the ledger, but a zero is 0 here, as a
         * count's is: a lone "-" in a column of values would read as a
         * missing one beside "n/a". */
        if (m->kind == METRIC_INDICATOR && !isnan(x)) snprintf(buf, sizeof buf, x ? "yes" : "no");
        else if (unit == UNIT_MONEY && !isnan(x) && fabs(x) < 0.5) snprintf(buf, sizeof buf, "0");
        else if (unit == UNIT_MONEY && !isnan(x)) amount(buf, sizeof buf, x);
        else present_value(buf, sizeof buf, sc->currency, unit, x);
        const char *cells[] = {buf};
        char label[sizeof m->label + 8];
        present_table_row(t, 2, one_future_label(label, sizeof label, m), cells, -1);
    }
    present_table_print(out, t, width, present_unicode());
    present_table_free(t);
    if (undefined)
        cashflows_text(out, 0, width,
                       "n/a: no value in this future: a ratio with nothing to divide by (an IRR "
                       "or a multiple with nothing drawn, or no rate that gives a zero NPV; a "
                       "cost per outcome with no true outcome), a value the scenario does not "
                       "set (what the outcomes are worth), or in a backtest what needs the true "
                       "effect, which the record does not give.");
}

/* The uncertain inputs of this future, by name and pointer, in their
 * units (the exact numbers are in --format json). A backtest lists those
 * it uses (inputs[i] not NaN, engine_realised_ledger) and says how many
 * others it does not. */
void cashflows_inputs_table(FILE *out, const scenario *sc, const double *inputs, const future *fu,
                         int width) {
    if (sc->n_inputs == 0) return;
    const int backtest = strcmp(fu->kind, "backtest") == 0;
    size_t unused = 0;
    for (size_t i = 0; i < sc->n_inputs; i++) unused += backtest && isnan(inputs[i]);
    fprintf(out, "\nUncertain inputs %s%s\n",
            backtest ? "the record does not fix" : "in this future",
            strcmp(fu->kind, "path") == 0 ? " (its draws)" : " (each at its mean as drawn)");
    if (unused == sc->n_inputs) {
        char line[200];
        if (unused == 1)
            snprintf(line, sizeof line, "none: the record's measurements stand for the scenario's "
                     "one uncertain input, or its stage did not run");
        else
            snprintf(line, sizeof line, "none: the record's measurements stand for the scenario's "
                     "%zu uncertain inputs, or their stage did not run", unused);
        cashflows_text(out, 2, width, line);
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
        cashflows_text(out, 2, width, line);
    }
}

/* The uncertain inputs of this future in JSON: each one's pointer, its
 * name as the table gives it, and its value (null for one a backtest does
 * not use). */
void cashflows_json_inputs(FILE *out, const scenario *sc, const double *inputs) {
    fprintf(out, "\"inputs\": [");
    for (size_t i = 0; i < sc->n_inputs; i++) {
        char name[600];
        fprintf(out, "%s{\"pointer\": ", i ? ", " : "");
        present_json_string(out, sc->inputs[i].pointer);
        fprintf(out, ", \"name\": ");
        present_json_string(out, present_term_name(name, sizeof name, sc, sc->inputs[i].pointer));
        fprintf(out, ", \"value\": ");
        present_json_number(out, inputs[i]);
        fputc('}', out);
    }
    fprintf(out, "],\n");
}

static void future_heading(FILE *out, const scenario *sc, const char *name, const future *fu,
                           int width) {
    char line[1400];
    cashflows_text(out, 0, width, sc->name);
    snprintf(line, sizeof line, "scenario: %s", name);
    cashflows_text(out, 2, width, line);
    if (strcmp(fu->kind, "path") == 0) {
        snprintf(line, sizeof line, "future %llu of the run with seed %llu and generator %s: the "
                 "path `sibsim run` simulates as path %llu", fu->path,
                 (unsigned long long)sc->sim.seed, sc->sim.rng, fu->path);
        cashflows_text(out, 2, width, line);
    } else if (strcmp(fu->kind, "backtest") != 0) {
        snprintf(line, sizeof line, "the expected case%s%s%s: every uncertain input at its mean, "
                 "measured = expected (no sampling noise), no operational failure, a stage "
                 "commissioned when its gate holds and its probability is at least 1/2",
                 fu->case_name ? " of case \"" : "", fu->case_name ? fu->case_name : "",
                 fu->case_name ? "\"" : "");
        cashflows_text(out, 2, width, line);
    }
}

/* ---------------------------------------------------------- CSV, JSON */

/* One CSV for both commands: a row per uncertain input ("input", its
 * value as the total), per ledger line ("line", its flows in the period
 * columns), per metric of the future ("metric", its value as the total)
 * and, in a backtest, per reported figure ("reported"). */
void cashflows_csv_header(FILE *out, const ledger *l, int annual) {
    columns c = columns_of(l, annual);
    fputs("section,group,party,key,label,total,reported,lo,hi,reproduced", out);
    char buf[64];
    for (size_t k = 0; k < c.n; k++) {
        column_name(buf, sizeof buf, &c, k);
        fprintf(out, ",%s", buf);
    }
    fputc('\n', out);
}

/* A row per uncertain input of this future (section "input"), as the
 * table lists them: its pointer as the key, its name as the label and the
 * value used as the total (empty for one a backtest does not use). */
void cashflows_csv_inputs(FILE *out, const scenario *sc, const ledger *l, int annual,
                          const double *inputs) {
    for (size_t i = 0; i < sc->n_inputs; i++) {
        char name[600];
        fputs("input,,,", out);
        present_csv_field(out, sc->inputs[i].pointer);
        fputc(',', out);
        present_csv_field(out, present_term_name(name, sizeof name, sc, sc->inputs[i].pointer));
        present_csv_number(out, inputs[i]);
        fputs(",,,,", out);
        cashflows_csv_pad(out, l, annual);
    }
}

void cashflows_csv_lines(FILE *out, const ledger *l, const ledger_line *lines, size_t n, int annual) {
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
void cashflows_csv_pad(FILE *out, const ledger *l, int annual) {
    columns c = columns_of(l, annual);
    for (size_t k = 0; k < c.n; k++) fputc(',', out);
    fputc('\n', out);
}

void cashflows_csv_metrics(FILE *out, const engine *e, const ledger *l, int annual,
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
        char label[sizeof m->label + 8];
        present_csv_field(out, one_future_label(label, sizeof label, m));
        present_csv_number(out, values[i]);
        fputs(",,,,", out);
        cashflows_csv_pad(out, l, annual);
    }
}

void cashflows_json_ledger(FILE *out, const scenario *sc, const ledger *l, const ledger_line *lines,
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

void cashflows_json_metrics(FILE *out, const engine *e, const double *values) {
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
        char label[sizeof m->label + 8];
        present_json_string(out, one_future_label(label, sizeof label, m));
        fprintf(out, ", \"value\": ");
        present_json_number(out, values[i]);
        fputc('}', out);
        first = 0;
    }
    fputs("\n  ]", out);
}

/* ------------------------------------------------------------ commands */

void cashflows_settled_free(settled *s) {
    ledger_free(s->l);
    engine_free(s->e);
    free(s->values);
    free(s->inputs);
    free(s->lines);
}

int cashflows_settle(const scenario *sc, const char *name, const future *fu, settled *s) {
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
    int status = cashflows_settle(sc, name, &fu, &s);
    if (status != 0) {
        cashflows_settled_free(&s);
        return status;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (out == NULL) {
        cashflows_settled_free(&s);
        return EXIT_RUN;
    }
    if (o->fmt == FORMAT_TABLE) {
        future_heading(out, sc, name, &fu, o->width);
        cashflows_inputs_table(out, sc, s.inputs, &fu, o->width);
        cashflows_ledger_table(out, sc, &fu, s.l, s.lines, s.n_lines, o->annual, o->width);
        cashflows_metrics_table(out, sc, &fu, s.e, s.values, o->width);
    } else if (o->fmt == FORMAT_CSV) {
        cashflows_csv_header(out, s.l, o->annual);
        cashflows_csv_inputs(out, sc, s.l, o->annual, s.inputs);
        cashflows_csv_lines(out, s.l, s.lines, s.n_lines, o->annual);
        cashflows_csv_metrics(out, s.e, s.l, o->annual, s.values);
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
        cashflows_json_inputs(out, sc, s.inputs);
        cashflows_json_ledger(out, sc, s.l, s.lines, s.n_lines, o->annual);
        cashflows_json_metrics(out, s.e, s.values);
        fprintf(out, "\n}\n");
    }
    fclose(out);
    status = output_emit_doc(o->out, o->fmt, &o->prov, buf, len) == 0 ? 0 : EXIT_RUN;
    free(buf);
    cashflows_settled_free(&s);
    return status;
}
