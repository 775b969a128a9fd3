/* finance.h -- returns on a stream of periodic cash flows: IRR and NPV.
 *
 * Flows are indexed by period t = 0, 1, ..., n-1 on a grid of
 * periods_per_year periods a year; negative = money paid out by the party,
 * positive = money received. Rates are annual and compounded:
 *
 *     NPV(d) = sum_t  c_t * (1 + d)^(-t / p)          (p = periods per year)
 *     IRR    = the annual d with NPV(d) = 0
 *
 * (A tranche's money multiple is what it got back over what it drew, taken
 * from the waterfall's totals: see financing.h.)
 *
 * The IRR solver works in x = ln(1 + r_period), where NPV becomes the
 * polynomial sum_t c_t v^t in v = e^-x, evaluated by Horner's rule. It brackets
 * a root starting from the money multiple spread over the flows' duration,
 * then polishes with GSL's Brent solver to an interval |dx| < 1e-13 (a rate
 * accurate to well under 1e-10). An IRR is reported only when it is meaningful; see
 * irr_status.
 */
#ifndef SIB_FINANCE_H
#define SIB_FINANCE_H

#include <stddef.h>

typedef enum {
    IRR_OK = 0,         /* one root: *rate is the IRR */
    IRR_TOTAL_LOSS,     /* money went out and nothing came back: *rate = -1 (-100%) */
    IRR_NO_FLOWS,       /* every flow is zero: undefined */
    IRR_NO_SIGN_CHANGE, /* only inflows: undefined */
    IRR_MULTIPLE,       /* flows change sign more than once and NPV has several roots */
    IRR_NO_CONVERGENCE, /* the solver failed (should not happen; reported, not hidden) */
    IRR_NO_ROOT         /* flows change sign more than once and no rate makes NPV zero
                           (e.g. money back, then more lost): undefined */
} irr_status;

/* A reusable IRR solver (it owns a GSL root-finding workspace). One per
 * thread: a solver is not safe to share. */
typedef struct irr_solver irr_solver;

/* Allocate a solver; NULL when out of memory. Free with irr_solver_free. */
irr_solver *irr_solver_new(void);

/* Free a solver. NULL is a no-op. */
void irr_solver_free(irr_solver *s);

/* Solve for the annual IRR of flows[0..n-1] on a grid of periods_per_year.
 * On IRR_OK and IRR_TOTAL_LOSS *annual_rate is set; on every other status it
 * is set to NaN. The flows may be of either sign pattern; with more than one
 * sign change the function scans NPV for every root on the rates from -99.99%
 * to +1e6% a period and reports IRR_MULTIPLE when there is more than one. */
irr_status irr_solve(irr_solver *s, const double *flows, size_t n, int periods_per_year,
                     double *annual_rate);

/* As irr_solve, with a temporary solver (for tests and one-off calls). */
irr_status finance_irr(const double *flows, size_t n, int periods_per_year, double *annual_rate);

/* Net present value at time 0 of flows[0..n-1] at annual rate d (> -1). */
double finance_npv(const double *flows, size_t n, int periods_per_year, double d);

/* The same with one period's discount factor v = (1 + d)^(-1/p) given:
 * sum_t flows[t] v^t, for callers that discount many flows at one rate. */
double finance_npv_at(const double *flows, size_t n, double v);

/* finance_npv_at for k flows of n periods at once: out[j] = sum_t
 * flows[j][t] v[j]^t, for j < k. Each by the same operations in the same
 * order as finance_npv_at, so to the bit its result. */
void finance_npv_at_many(const double *const *flows, const double *v, size_t k, size_t n,
                         double *out);

#endif
