/* calibrate.h -- a scenario's simulated futures set beside the INDIGO
 * record: outcome payments over the cap, investors repaid, duration and
 * early ends, computed from a real run of the engine (`sibsim calibrate`).
 *
 * The record's own figures come from the prior library (model/priors.h);
 * this module only measures the scenario. No printing.
 */
#ifndef SIB_CALIBRATE_H
#define SIB_CALIBRATE_H

#include <stdint.h>

#include "../model/error.h"
#include "../model/scenario.h"

#define CALIBRATE_MAX_PATHS 1000000u

/* Quantiles (inclusive interpolation, as the record's) of one quantity. */
typedef struct calibrate_dist {
    double p10, q1, median, q3, p90, mean;
    uint64_t n; /* futures it is over */
} calibrate_dist;

typedef struct calibrate_tranche {
    char name[2 * SCENARIO_NAME_MAX + 4]; /* "STRUCTURE/TRANCHE" */
    double p_full, p_full_se;             /* P(full repayment), over every future */
    double p_full_drawn;                  /* ... given capital was drawn */
    double p_loss;                        /* P(loss), over every future */
} calibrate_tranche;

typedef struct calibrate_result {
    uint64_t paths;
    /* Outcome payments over the cap of each future: the contract's cap, or
     * (without one) the sum of the caps of the rules whose stage ran and
     * what the fixed windows pay at most; within the payers' caps together. */
    int has_cap;       /* 0: some rule has no cap, and neither the contract nor every payer */
    double cap_fixed;  /* the contract's cap (within the payers'), or NAN when it depends on
                          the stages run */
    double payers_cap; /* the sum of the payers' caps, or NAN when one is uncapped */
    int true_up_once; /* without it: a programme true-up and the rules it nets off
                         count once, as the larger of its cap and theirs */
    calibrate_dist paid_over_cap;
    double p_paid_90, p_paid_80; /* P(paid >= 90% / 80% of the cap) */
    /* Investors: every tranche of every financing structure, however many
     * (allocated: calibrate_result_free). */
    calibrate_tranche *tranche;
    size_t n_tranches;
    /* Duration: the planned service years of the stages a future runs
     * (first start to the last stage's end), and P(operational failure). */
    calibrate_dist service_years;
    double p_failed, p_failed_se;
} calibrate_result;

/* Run sc for `paths` futures (at most CALIBRATE_MAX_PATHS) on `threads`
 * threads and fill *out. SIB_OK, or err filled (engine errors as
 * engine_new gives them; SIB_ENOMEM). The same scenario, seed and paths
 * give the same result whatever the threads. */
int calibrate_run(const scenario *sc, uint64_t paths, unsigned threads, calibrate_result *out,
                  sib_error *err);

/* Free what calibrate_run allocated in *r (after success or failure). */
void calibrate_result_free(calibrate_result *r);

#endif
