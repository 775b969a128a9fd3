/* financing.h -- who fronts the money: cash flows of a financing structure.
 *
 * Given the delivery costs falling due and the outcome payments made in each
 * period of one simulated future, a structure produces each party's cash
 * flows on the same grid. This version implements a social impact bond with
 * one tranche of committed capital:
 *
 *   draw_t     = min(cost_t, commitment - drawn so far)    (capital is drawn
 *                as delivery costs fall due; what the commitment cannot cover
 *                is "unfunded" and falls on the provider)
 *   receipt_t  = payment_t                                 (no return cap), or
 *              = min(payment_t, B_t)                       (return cap c), where
 *   B_t        = B_{t-1} (1 + c)^(1/p) + draw_t - receipt_t
 *                is what the investor is owed at the capped return: receipts
 *                beyond it would lift the IRR above c, so they are "surplus".
 *                Until something has been drawn, every payment is surplus:
 *                investors are paid only on capital they put in.
 *   investor_t = receipt_t - draw_t
 *
 * The surplus stays with the bond's vehicle (in practice shared with the
 * provider or returned; the sharing arrives with the financing structures),
 * and the commissioner's reported payments include it: it is what the
 * commissioner paid. Unfunded costs fall on the provider.
 *
 * With the cap, the investor's IRR can never exceed c: B accrues at exactly c.
 */
#ifndef SIB_FINANCING_H
#define SIB_FINANCING_H

#include <stddef.h>

#include "scenario.h"

typedef struct sib_totals {
    double drawn;    /* capital drawn over the life of the bond */
    double received; /* outcome payments passed to the investor */
    double unfunded; /* delivery costs beyond the commitment */
    double surplus;  /* outcome payments withheld by the return cap */
} sib_totals;

/* Cash flows of a single-tranche SIB over n periods (p a year). costs and
 * payments are inputs; investor (n values) receives the investor's net flow
 * per period. Returns the totals. Pure. */
sib_totals financing_sib_flows(const tranche *tr, int periods_per_year, const double *costs,
                               const double *payments, size_t n, double *investor);

#endif
