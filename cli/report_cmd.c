/* report_cmd.c -- `sibsim report [SCENARIO] [-o report.html]`: the
 * committee paper.
 *
 * Everything the page shows is computed here, then written by
 * present/paper.c: the run itself (the scenario's paths, or --paths), the
 * commissioner's outlay year by year across the run's futures
 * (sim/fan.h), the expected case's outlay (engine_expected_ledger), and a
 * tornado of the metric of `sibsim tornado` (--metric to choose another)
 * on fewer paths a run, since it makes two runs per input and term. The
 * page goes through the one writer (cli/output.h). No date, time or
 * thread count reaches it, so the output is the same for any --threads.
 */
#include "report_cmd.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/document.h"
#include "../model/ledger.h"
#include "../present/paper.h"
#include "../sim/analysis.h"
#include "../sim/engine.h"
#include "../sim/fan.h"
#include "output.h"
#include "progress.h"

#ifndef SIBSIM_VERSION
#define SIBSIM_VERSION "dev"
#endif

enum { EXIT_RUN = 1, EXIT_INPUT = 2 };

/* The tornado's runs: at most this many paths each (two runs an input and
 * a term); fewer when the report itself runs fewer. */
#define REPORT_TORNADO_PATHS 20000u
#define REPORT_MAX_BARS 256

static int fail(const sib_error *err) {
    char buf[1200];
    fprintf(stderr, "%s\n", sib_error_format(err, buf, sizeof buf));
    return err->code == SIB_EINVAL || err->code == SIB_ESYNTAX ? EXIT_INPUT : EXIT_RUN;
}

/* The metric the tornado moves: --metric, or, as `sibsim tornado` does,
 * the first tranche's IRR of the expected cash flows, else the
 * commissioner's outcome payments. */
static const char *tornado_metric(const run_opts *o, const scenario *sc, char *buf, size_t size) {
    if (o->metric) return o->metric;
    snprintf(buf, size, "commissioner/payments.total");
    for (size_t f = 0; f < sc->n_financing; f++)
        if (sc->financing[f].n_tranches > 0) {
            snprintf(buf, size, "%s/%s.pooled_irr", sc->financing[f].name,
                     sc->financing[f].tranches[0].name);
            break;
        }
    return buf;
}

/* The expected case's outlay of every structure, step by step; NULL when
 * it cannot be computed (the page then draws no expected-case line). */
static double *expected_outlay(const engine *e, const scenario *sc, const fan *fn) {
    struct ledger *l = engine_ledger_new(e);
    double *x = calloc(sc->n_financing * fn->n_steps + 1, sizeof *x);
    sib_error err;
    if (l == NULL || x == NULL || engine_expected_ledger(e, l, NULL, NULL, &err) != SIB_OK) {
        ledger_free(l);
        free(x);
        return NULL;
    }
    for (size_t f = 0; f < sc->n_financing; f++)
        fan_steps(l->fin[f].commissioner, l->periods, fn->step_periods, x + f * fn->n_steps);
    ledger_free(l);
    return x;
}

int cmd_report_text(const run_opts *o, const char *text, const char *name) {
    sib_error err;
    sib_error_clear(&err);
    scenario *sc = scenario_load_string(text, name, &err);
    if (sc == NULL) return fail(&err);
    if (o->have_paths) sc->sim.paths = o->paths;
    if (o->have_seed) sc->sim.seed = o->seed;
    snprintf(err.file, sizeof err.file, "%s", name);
    engine *e = engine_new(sc, &err);
    if (e == NULL) {
        int status = fail(&err);
        scenario_free(sc);
        return status;
    }
    /* The tornado's metric is checked before anything runs. */
    char mbuf[512], label[1024];
    const char *metric = tornado_metric(o, sc, mbuf, sizeof mbuf);
    metric_choice choice;
    if (analysis_choose(e, metric, &choice, &err) != SIB_OK) {
        engine_free(e);
        scenario_free(sc);
        return options_value_refused("report", "metric", name, err.message);
    }
    const metric_info *mi = engine_metric(e, choice.index);
    /* "Outcome payments, 95th percentile (commissioner)": the statistic
     * after a comma, so that only the owner is in parentheses. */
    static const char *const stat_words[] = {"",
                                             ", mean",
                                             ", 5th percentile",
                                             ", 25th percentile",
                                             ", median",
                                             ", 75th percentile",
                                             ", 95th percentile",
                                             ", standard deviation"};
    const char *what = mi->label;
    char owner[2 * SCENARIO_NAME_MAX + 40];
    if (mi->tranche != SIZE_MAX && mi->stem[0] != '\0') {
        /* A tranche's label starts with its name: "T IRR of the ..." ->
         * "IRR of the ..., T (structure)". */
        size_t n = strlen(mi->key) - strlen(mi->stem) - 1;
        snprintf(owner, sizeof owner, "%.*s, %s", (int)n, mi->key, mi->group);
        const char *colon = strstr(mi->key, ": ");
        const char *tname = colon && (size_t)(colon - mi->key) < n ? colon + 2 : mi->key;
        size_t tn = n - (size_t)(tname - mi->key);
        if (strncmp(what, tname, tn) == 0 && what[tn] == ' ') what += tn + 1;
    } else {
        snprintf(owner, sizeof owner, "%s", mi->group);
    }
    snprintf(label, sizeof label, "%s%s (%s)", what,
             stat_words[choice.stat == STAT_MEAN ? 0 : (size_t)choice.stat + 1], owner);
    progress pr;
    progress_begin(&pr, o->quiet);
    int rc = engine_run(e, sc->sim.paths, (unsigned)o->threads, progress_update, &pr, &err);
    progress_end(&pr);
    if (rc != SIB_OK) {
        fprintf(stderr, "sibsim: report: run failed: %s\n", err.message);
        engine_free(e);
        scenario_free(sc);
        return EXIT_RUN;
    }

    paper p = {.sc = sc,
               .e = e,
               .scenario_file = name,
               .text_hash = scenario_doc_hash(text, strlen(text)),
               .version = SIBSIM_VERSION};

    /* The outlay year by year, over the same futures. */
    fan *fn = NULL;
    char fan_why[700];
    const int ppy = sc->sim.periods_per_year > 0 ? sc->sim.periods_per_year : 1;
    if (fan_commissioner(e, sc->sim.paths, (size_t)ppy, (unsigned)o->threads, &fn, &err) !=
        SIB_OK) {
        snprintf(fan_why, sizeof fan_why, "The yearly outlay could not be computed: %s.",
                 err.message);
        p.fan_why = fan_why;
    }
    double *expected = fn ? expected_outlay(e, sc, fn) : NULL;
    p.fan = fn;
    p.expected = expected;

    /* The tornado, on fewer paths a run. */
    tornado_bar *bars = calloc(REPORT_MAX_BARS, sizeof *bars);
    size_t n_bars = 0;
    double base = NAN;
    char tornado_why[1400];
    analysis_base b = {.text = text,
                       .name = name,
                       .paths = sc->sim.paths < REPORT_TORNADO_PATHS ? sc->sim.paths
                                                                     : REPORT_TORNADO_PATHS,
                       .threads = (unsigned)o->threads,
                       .have_seed = 1,
                       .seed = sc->sim.seed};
    p.tornado = (paper_tornado){.metric = metric,
                                .metric_given = o->metric != NULL,
                                .metric_label = label,
                                .unit = mi->kind == METRIC_INDICATOR ? UNIT_SHARE : mi->unit,
                                .paths = b.paths,
                                .pct = o->pct};
    if (bars == NULL) {
        p.tornado.why = "The tornado was not run: out of memory.";
    } else if (analysis_tornado(&b, metric, o->pct, bars, REPORT_MAX_BARS, &n_bars, &base, &err) !=
               SIB_OK) {
        char msg[1200];
        snprintf(tornado_why, sizeof tornado_why, "The tornado could not be run: %s",
                 sib_error_format(&err, msg, sizeof msg));
        p.tornado.why = tornado_why;
    } else {
        p.tornado.bars = bars;
        p.tornado.n_bars = n_bars < REPORT_MAX_BARS ? n_bars : REPORT_MAX_BARS;
        p.tornado.base = base;
    }

    int status = 0;
    output out;
    if (output_open(&out, o->out) != 0) {
        status = EXIT_RUN;
    } else if (paper_write(out.f, &p) != 0) {
        output_fail(&out, "report: cannot write the report", errno);
        status = EXIT_RUN;
    } else if (output_commit(&out) != 0) {
        status = EXIT_RUN;
    }
    free(bars);
    free(expected);
    fan_free(fn);
    engine_free(e);
    scenario_free(sc);
    return status;
}
