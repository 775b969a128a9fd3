/* paper.h -- the committee paper: one finished run of a scenario written
 * as a self-contained HTML page (html.h) with inline SVG charts (chart.h).
 *
 * The page is what a finance officer circulates to a committee: the
 * scenario's purpose, sources and key inputs; the financing structures
 * side by side with the investor metrics of every tranche (the numbers and
 * labels `sibsim run` reports); each tranche's distribution of returns;
 * the commissioner's outlay year by year as a fan chart; the stage funnel;
 * a tornado of the inputs and terms that move the expected return most;
 * money paid for nothing and outcomes never paid for; and what is needed
 * to reproduce every number. docs/report.md says how to read each part.
 *
 * Everything on the page is computed before paper_write is called -- the
 * run (an engine), the outlay's fan (sim/fan.h), the expected case's
 * outlay, the tornado (sim/analysis.h) -- and passed in a struct paper:
 * this module formats, it never simulates. A part that was not computed
 * (no investors, a tornado that failed) is not left blank: the page says
 * why in one line. The page holds no date, time or thread count, so the
 * same scenario, seed and paths give the same bytes.
 */
#ifndef SIB_PAPER_H
#define SIB_PAPER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../model/scenario.h"
#include "../sim/analysis.h"
#include "../sim/engine.h"
#include "../sim/fan.h"

/* The tornado on the page: either its bars, or why there are none. */
typedef struct paper_tornado {
    const char *why;          /* not NULL: it was not drawn, and this says why (one line) */
    const char *metric;       /* GROUP/KEY of the metric it moves */
    int metric_given;         /* 1: --metric chose it (the page's command then names it) */
    const char *metric_label; /* that metric as people read it */
    metric_unit unit;
    double base;             /* the metric with nothing moved */
    const tornado_bar *bars; /* largest swing first */
    size_t n_bars;
    uint64_t paths; /* paths a run */
    double pct;     /* how far terms were moved (0.1 = 10%) */
} paper_tornado;

typedef struct paper {
    const scenario *sc;
    const engine *e;           /* the finished run of sc */
    const char *scenario_file; /* as shown: a path, or "<built-in ...>" */
    uint64_t text_hash;        /* scenario_doc_hash of the scenario's text: the
                                  fingerprint run's provenance shows too */
    const char *version;       /* sibsim's version */
    /* The commissioner's outlay, year by year: */
    const fan *fan; /* NULL: fan_why says why */
    const char *fan_why;
    const double *expected; /* [n_fin * fan->n_steps] the expected case's outlay a
                               step (engine_expected_ledger, fan_steps), or NULL */
    paper_tornado tornado;
} paper;

/* Write the page to out. Returns 0, or -1 when writing failed (ferror) or
 * there was no memory for the list of tranches. */
int paper_write(FILE *out, const paper *p);


/* ------------------------------------------------- what the scenario says */

/* The scenario's own sources (a numbered list, linked) and assumptions
 * (a table: the field as present_term_name names it, its value, its basis
 * -- sourced, inferred, assumed or unverified --, the note, and the
 * sources it cites by number), from its "sources" and "assumptions"; then
 * the sources its realised record cites (/realised/sources), as a list.
 * Nothing when it has none. Returns the number of items written. */
size_t paper_provenance(FILE *out, const scenario *sc);

#endif
