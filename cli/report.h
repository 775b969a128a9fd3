/* report.h -- rendering a finished run as a table, JSON or CSV.
 *
 * The front end's only job after a run: read the engine's metrics and
 * accumulators and print them. cJSON is not used here (it belongs to the
 * scenario loader); the JSON writer is a small escaper over stdio.
 */
#ifndef SIB_REPORT_H
#define SIB_REPORT_H

#include <stdio.h>

#include "../model/scenario.h"
#include "../sim/engine.h"

typedef enum { FORMAT_TABLE, FORMAT_JSON, FORMAT_CSV } report_format;

/* What the report says about the run itself. */
typedef struct report_run {
    const char *scenario_file; /* path, or "<built-in>" */
    const char *case_name;      /* run --case: the named case applied, else NULL (compare
                                   names its cases in the scenarios' names) */
    const scenario *scenario_b; /* compare: the second scenario, else NULL */
    const size_t *pair;         /* compare: B's structure for each of A's (engine.h) ... */
    const pair_how *how;        /* ... and why; NULL when not reported */
    unsigned threads;
    double seconds;
    int width;                  /* table: columns (present/text.h), 0 = no limit */
    int seed_given;             /* compare: the seed is --seed's, not A's own */
} report_run;

/* Write the results of e (compiled from sc) to out in the given format.
 * Returns 0, or -1 when writing failed (errno set by stdio). */
int report_write(FILE *out, report_format fmt, const scenario *sc, const engine *e,
                 const report_run *run);

#endif
