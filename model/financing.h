/* financing.h -- who fronts the money: the cash flows of a financing structure.
 *
 * Given one simulated future's delivery costs and outcome payments on the
 * period grid (p periods a year), a structure produces every party's cash
 * flows: the commissioner's, the provider's, each investor tranche's and each
 * guarantor's. All structures of a scenario are fed the same futures, so
 * their differences are not Monte Carlo noise.
 *
 *   grant            commissioner_t = cost_t                       provider: 0
 *   fee_for_service  commissioner_t = cost_t (1 + margin)          provider: margin x cost_t
 *   pbr              commissioner_t = f cost_t + payment_t         (f = fee share, a hybrid)
 *                    provider_t     = -cost_t + f cost_t + payment_t, financed at its
 *                    cost of capital k: working capital W_t = W_{t-1} (1 + k)^(1/p)
 *                    + provider_t; surplus = W_T (1 + k)^(-T/p) (its NPV at k);
 *                    peak working capital = max_t (-W_t).
 *   sib, outcomes_fund, dib (investors front the money):
 *     need_t   = cost_t + fees_t  (set-up fees at t = 0, yearly fees over delivery)
 *                less what a recycling reserve holds;
 *     draws    pro rata to each tranche's undrawn commitment; what no commitment
 *              covers is "unfunded" and falls on the provider;
 *     owed_k   accrues at the tranche's coupon (or return cap):
 *              B_k,t = B_k,t-1 (1 + r_k)^(1/p) + draw_k,t ; a tranche with neither
 *              is owed its principal and shares what is left over (equity);
 *     payments (after the reserve, when recycling) go down the waterfall: tranches
 *              in order of priority, pro rata within a priority, each up to what
 *              it is owed; then the equity tranches, pro rata to what they drew;
 *              anything left is surplus: provider_share to the provider, the rest
 *              returned to the commissioner (commissioner_t = payment_t - returned_t);
 *     guarantees at the end: guarantor pays min(share x principal lost, max) to
 *              the tranche (principal lost = drawn - received, if positive).
 *
 * A structure keeps no state between calls: fin_run() is pure given its inputs.
 */
#ifndef SIB_FINANCING_H
#define SIB_FINANCING_H

#include <stddef.h>

#include "scenario.h"

/* Totals of one tranche over one future. */
typedef struct tranche_result {
    double drawn, received, guaranteed; /* received excludes the guarantee */
} tranche_result;

/* The cash flows of one structure over one future. Arrays are owned by the
 * workspace (fin_ws_new) and overwritten by each fin_run. */
typedef struct fin_result {
    double *commissioner;   /* [n] commissioner's outflow per period (+ = paid) */
    double *provider;       /* [n] provider's net flow per period */
    double *investor;       /* [n_tranches * n] each tranche's net flow: investor[k * n + t] */
    tranche_result *tranche;/* [n_tranches] */
    double *guarantor;      /* [n_guarantees] paid by each guarantor */
    double unfunded;        /* costs no commitment covered (borne by the provider) */
    double returned;        /* surplus returned to the commissioner */
    double to_provider;     /* surplus shared with the provider */
    double provider_surplus;/* PBR: NPV at the cost of capital; others: nominal total */
    double peak_capital;    /* PBR: largest working capital; SIB: largest capital outstanding */
    /* Invariants of the structure, computed once by fin_ws_new: */
    int ppy;
    double *growth;         /* [n_tranches] one period's accrual of what is owed */
    int *equity;            /* [n_tranches] 1: no coupon nor cap, shares the residual */
    int *prios;             /* distinct priorities, increasing */
    size_t n_prios;
} fin_result;

/* A workspace for structure f on grids of n periods, p a year. NULL when
 * out of memory. Free with fin_ws_free. */
fin_result *fin_ws_new(const financing *f, size_t n, int periods_per_year);
void fin_ws_free(fin_result *r);

/* Run structure f (not FIN_BY_STAGE: its parts are run one by one) on the
 * costs and payments of one future (n periods) into r, a workspace made by
 * fin_ws_new for f, n and the same periods a year. */
void fin_run(const financing *f, const double *costs, const double *payments, size_t n,
             fin_result *r);

/* Single-tranche convenience kept for tests and simple callers: runs a SIB
 * with just tranche tr and writes the investor's net flows. */
typedef struct sib_totals {
    double drawn, received, unfunded, surplus;
} sib_totals;
sib_totals financing_sib_flows(const tranche *tr, int periods_per_year, const double *costs,
                               const double *payments, size_t n, double *investor);

#endif
