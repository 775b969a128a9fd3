/* financing.c -- the single-tranche SIB waterfall. Formulas in financing.h. */
#include "financing.h"

#include <math.h>

sib_totals financing_sib_flows(const tranche *tr, int periods_per_year, const double *costs,
                               const double *payments, size_t n, double *investor) {
    sib_totals tot = {0, 0, 0, 0};
    /* Growth of the capped balance over one period: (1 + c)^(1/p). */
    double growth = tr->has_return_cap ? pow(1.0 + tr->return_cap, 1.0 / periods_per_year) : 1.0;
    double owed = 0; /* B_t: what the investor is owed at the capped return */
    for (size_t t = 0; t < n; t++) {
        double draw = fmin(costs[t], fmax(tr->commitment - tot.drawn, 0.0));
        tot.drawn += draw;
        tot.unfunded += costs[t] - draw;
        double receipt = tot.drawn > 0 ? payments[t] : 0.0;
        if (tr->has_return_cap) {
            owed = owed * growth + draw;
            receipt = fmin(receipt, owed);
            owed -= receipt;
        }
        tot.received += receipt;
        tot.surplus += payments[t] - receipt;
        investor[t] = receipt - draw;
    }
    return tot;
}
