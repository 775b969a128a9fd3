/* options.h -- the options shared by the commands that run simulations, and
 * the analysis commands (cli/analyze.c). Front-end only. */
#ifndef SIB_OPTIONS_H
#define SIB_OPTIONS_H

#include "report.h"

/* Options shared by the commands that run simulations. */
typedef struct run_opts {
    const char *files[2];
    int n_files;
    const char *out;
    unsigned long long paths, seed, threads;
    int have_paths, have_seed, quiet;
    report_format fmt;
    /* Analyses: up to two parameters, each with its range. */
    const char *param[2];
    double from[2], to[2];
    int steps[2], have_from[2], have_to[2];
    int n_params;
    const char *metric, *target;
    double pct, precision;
    int have_precision;
    int other_options; /* options given other than --threads and --help */
} run_opts;


/* The analysis commands: each takes the parsed options and the scenario's
 * JSON text (name: the file shown in messages) and returns an exit status. */
int cmd_sweep_text(const run_opts *o, const char *text, const char *name);
int cmd_tornado_text(const run_opts *o, const char *text, const char *name);
int cmd_solve_text(const run_opts *o, const char *text, const char *name);
int cmd_converge_text(const run_opts *o, const char *text, const char *name);
int cmd_pilot_text(const run_opts *o, const char *text, const char *name);

#endif
