/* finance.c -- IRR, NPV and money multiple of periodic cash flows.
 *
 * The IRR is the hot spot here: it runs once per simulated path per party.
 * Rather than solve NPV(r) = 0 in r, which overflows for long flows at rates
 * near -100%, it solves in x = ln(1 + r) (per period). With v = e^-x,
 *
 *     f(x) = sum_{t=0}^{m-1} g_t v^t                       for x >= 0
 *     h(x) = f(x) * e^{x (m-1)} = sum_t g_t w^{m-1-t}     for x <  0, w = e^x
 *
 * both evaluated by Horner's rule in a variable of modulus <= 1, so nothing
 * overflows; f and h have the same sign and the same roots. By Descartes'
 * rule of signs a flow sequence with one sign change has exactly one root
 * v > 0, hence one x. With more sign changes there may be several; we scan
 * for them rather than return whichever root a solver happens to find.
 */
#include "finance.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdlib.h>

struct irr_solver {
    gsl_root_fsolver *brent;
};

/* The flows being solved, with leading and trailing zeros trimmed. */
typedef struct {
    const double *g;
    size_t m;
} poly;

/* Sign-preserving NPV in x = ln(1 + r); see the file comment. */
static double npv_x(double x, void *params) {
    const poly *p = params;
    double acc = 0;
    if (x >= 0) {
        double v = exp(-x);
        for (size_t t = p->m; t-- > 0;) acc = acc * v + p->g[t];
    } else {
        double w = exp(x);
        for (size_t t = 0; t < p->m; t++) acc = acc * w + p->g[t];
    }
    return acc;
}

irr_solver *irr_solver_new(void) {
    irr_solver *s = malloc(sizeof *s);
    if (s == NULL) return NULL;
    s->brent = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (s->brent == NULL) {
        free(s);
        return NULL;
    }
    return s;
}

void irr_solver_free(irr_solver *s) {
    if (s == NULL) return;
    gsl_root_fsolver_free(s->brent);
    free(s);
}

/* Polish a root of npv_x in [lo, hi] (which must straddle zero) with Brent's
 * method. Returns 0 and *x on success. */
static int brent(irr_solver *s, poly *p, double lo, double hi, double *x) {
    gsl_function F = {.function = npv_x, .params = p};
    if (gsl_root_fsolver_set(s->brent, &F, lo, hi) != GSL_SUCCESS) return -1;
    for (int iter = 0; iter < 200; iter++) {
        if (gsl_root_fsolver_iterate(s->brent) != GSL_SUCCESS) return -1;
        double a = gsl_root_fsolver_x_lower(s->brent), b = gsl_root_fsolver_x_upper(s->brent);
        if (gsl_root_test_interval(a, b, 1e-13, 0) == GSL_SUCCESS) {
            *x = gsl_root_fsolver_root(s->brent);
            return 0;
        }
    }
    return -1;
}

static int sign(double v) { return (v > 0) - (v < 0); }

irr_status irr_solve(irr_solver *s, const double *flows, size_t n, int periods_per_year,
                     double *annual_rate) {
    *annual_rate = NAN;
    size_t first = n, last = 0;
    double in = 0, out = 0, t_in = 0, t_out = 0;
    int changes = 0, prev = 0;
    for (size_t t = 0; t < n; t++) {
        double c = flows[t];
        if (c == 0) continue;
        if (first == n) first = t;
        last = t;
        if (c > 0) {
            in += c;
            t_in += c * (double)t;
        } else {
            out -= c;
            t_out -= c * (double)t;
        }
        if (prev != 0 && sign(c) != prev) changes++;
        prev = sign(c);
    }
    if (first == n) return IRR_NO_FLOWS;
    if (in == 0) {
        *annual_rate = -1.0;
        return IRR_TOTAL_LOSS;
    }
    if (out == 0) return IRR_NO_SIGN_CHANGE;

    poly p = {.g = flows + first, .m = last - first + 1};
    double x = 0;
    if (changes == 1) {
        /* Start from the money multiple spread over the time between the
         * centres of mass of outflows and inflows: (in/out)^(1/D) = 1 + r. */
        double dur = fabs(t_in / in - t_out / out);
        double guess = dur > 0 ? log(in / out) / dur : 0;
        double lo = guess - 0.01, hi = guess + 0.01;
        double flo = npv_x(lo, &p), fhi = npv_x(hi, &p);
        for (int k = 0; sign(flo) == sign(fhi) && k < 64; k++) {
            double w = hi - lo;
            lo -= w;
            hi += w;
            flo = npv_x(lo, &p);
            fhi = npv_x(hi, &p);
        }
        if (flo == 0) x = lo;
        else if (fhi == 0) x = hi;
        else if (sign(flo) == sign(fhi) || brent(s, &p, lo, hi, &x) != 0)
            return IRR_NO_CONVERGENCE;
    } else {
        /* Several sign changes: scan x for every sign change of NPV on a
         * grid from r = -99.99% to r = +1e6% a period (x in [-9.21, 9.21]),
         * 320 steps of 0.058 in x (a period's rate changes by under 6% a
         * step): roots closer than that would be missed, which real cash
         * flows do not produce. Interleaved draws and repayments make this
         * case common in a waterfall, so the grid is kept coarse. */
        const int N = 320;
        const double xlo = log(1e-4), xhi = log(1e4);
        int roots = 0;
        double prev_x = xlo, prev_f = npv_x(xlo, &p);
        for (int i = 1; i <= N; i++) {
            double xi = xlo + (xhi - xlo) * i / N, fi = npv_x(xi, &p);
            if (prev_f == 0 || sign(prev_f) != sign(fi)) {
                if (fi == 0 && i < N) {
                    prev_x = xi;
                    prev_f = fi;
                    continue; /* counted at the next step, as prev_f == 0 */
                }
                roots++;
                if (roots > 1) return IRR_MULTIPLE;
                if (prev_f == 0) x = prev_x;
                else if (brent(s, &p, prev_x, xi, &x) != 0) return IRR_NO_CONVERGENCE;
            }
            prev_x = xi;
            prev_f = fi;
        }
        if (roots == 0) return IRR_NO_ROOT;
    }
    /* Annualise: (1 + r_period)^p - 1 = e^{x p} - 1. */
    *annual_rate = expm1(x * periods_per_year);
    return IRR_OK;
}

irr_status finance_irr(const double *flows, size_t n, int periods_per_year, double *annual_rate) {
    irr_solver *s = irr_solver_new();
    if (s == NULL) {
        *annual_rate = NAN;
        return IRR_NO_CONVERGENCE;
    }
    irr_status st = irr_solve(s, flows, n, periods_per_year, annual_rate);
    irr_solver_free(s);
    return st;
}

double finance_npv(const double *flows, size_t n, int periods_per_year, double d) {
    /* v = (1 + d)^(-1/p) is one period's discount factor; Horner from the end. */
    double v = pow(1.0 + d, -1.0 / periods_per_year), acc = 0;
    for (size_t t = n; t-- > 0;) acc = acc * v + flows[t];
    return acc;
}
