/* cashflows_internal.h -- what the ledger commands share: cli/cashflows.c
 * (`cashflows`, and the ledger's table, CSV and JSON) and cli/backtest.c
 * (`backtest`). Internal to those two files. */
#ifndef SIB_CASHFLOWS_INTERNAL_H
#define SIB_CASHFLOWS_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include "../model/ledger.h"
#include "../model/scenario.h"
#include "../sim/engine.h"

enum { EXIT_RUN = 1, EXIT_INPUT = 2 };

/* Which future a ledger shows, for its heading. */
typedef struct future {
    const char *kind; /* "path", "expected", "case", "backtest" */
    unsigned long long path;
    const char *case_name;
} future;

/* Compile sc and settle one future of the kind fu into l and values. */
typedef struct settled {
    engine *e;
    ledger *l;
    double *values, *inputs;
    ledger_line *lines;
    size_t n_lines;
} settled;

/* Print a line of text wrapped to the width, continuation lines indented
 * by two more. */
void cashflows_text(FILE *out, int indent, int width, const char *s);

/* The ledger of future fu as a table: a row a line, a column a period (or
 * a year), the total first; the columns that do not fit the width run on
 * in blocks, the labels repeated. */
void cashflows_ledger_table(FILE *out, const scenario *sc, const future *fu, const ledger *l,
                            const ledger_line *lines, size_t n_lines, int annual, int width);

/* The per-future metrics of values (engine_metric_count doubles), headed
 * by which future fu is: one future's values, not means over futures. */
void cashflows_metrics_table(FILE *out, const scenario *sc, const future *fu, const engine *e,
                             const double *values, int width);

/* The uncertain inputs of this future, by name and pointer, in their
 * units (the exact numbers are in --format json). A backtest lists those
 * it uses (inputs[i] not NaN, engine_realised_ledger) and says how many
 * others it does not. */
void cashflows_inputs_table(FILE *out, const scenario *sc, const double *inputs, const future *fu,
                         int width);

/* The uncertain inputs of this future in JSON: each one's pointer, its
 * name as the table gives it, and its value (null for one a backtest does
 * not use). */
void cashflows_json_inputs(FILE *out, const scenario *sc, const double *inputs);

/* One CSV for both commands: a row per uncertain input ("input", its
 * value as the total), per ledger line ("line", its flows in the period
 * columns), per metric of the future ("metric", its value as the total)
 * and, in a backtest, per reported figure ("reported"). */
void cashflows_csv_header(FILE *out, const ledger *l, int annual);

/* A row per uncertain input of this future (section "input"), as the
 * table lists them: its pointer as the key, its name as the label and the
 * value used as the total (empty for one a backtest does not use). */
void cashflows_csv_inputs(FILE *out, const scenario *sc, const ledger *l, int annual,
                          const double *inputs);

void cashflows_csv_lines(FILE *out, const ledger *l, const ledger_line *lines, size_t n, int annual);

/* Empty period columns, so that every row has the header's columns. */
void cashflows_csv_pad(FILE *out, const ledger *l, int annual);

void cashflows_csv_metrics(FILE *out, const engine *e, const ledger *l, int annual,
                        const double *values);

void cashflows_json_ledger(FILE *out, const scenario *sc, const ledger *l, const ledger_line *lines,
                        size_t n, int annual);

void cashflows_json_metrics(FILE *out, const engine *e, const double *values);

void cashflows_settled_free(settled *s);

int cashflows_settle(const scenario *sc, const char *name, const future *fu, settled *s);

#endif
