/* finance.c -- IRR and NPV of periodic cash flows.
 *
 * The IRR is the hot spot here: it runs once per simulated path per party.
 * Rather than solve NPV(r) = 0 in r, which overflows for long flows at rates
 * near -100%, it solves in x = ln(1 + r) (per period). With v = e^-x,
 *
 *     f(x) = sum_{t=0}^{m-1} g_t v^t                       for x >= 0
 *     h(x) = f(x) * e^{x (m-1)} = sum_t g_t w^{m-1-t}     for x <  0, w = e^x
 *
 * both evaluated by Horner's rule in a variable of modulus <= 1, so nothing
 * overflows; f and h have the same sign and the same roots.
 *
 * How many roots? Before solving anything the flows must be shown to have
 * exactly one IRR in (-100%, inf), i.e. one root v > 0 of P(v) = sum g_t v^t:
 *   - Descartes' rule of signs: at most as many positive roots as sign
 *     changes of g_t; one sign change, exactly one root.
 *   - For interleaved flows (draws, repayments, draws again), the
 *     cumulative flows bound the roots on each side of v = 1 (r = 0):
 *     P(v) / (1 - v) = sum_t A_t v^t with A_t = g_0 + ... + g_t (and A_t =
 *     A_last beyond), a power series converging on (0, 1), so by Descartes'
 *     rule for power series the roots with r > 0 are at most the sign
 *     changes of A_0..A_last (Norstrom's criterion); with u = 1/v the same
 *     argument on the flows reversed bounds the roots with r < 0 by the sign
 *     changes of the cumulative flows from the end. With A_last = 0, r = 0
 *     is a root too. When these bounds add up to one and P changes sign
 *     between v -> 0 and v -> inf, the root is unique.
 * A unique root is then found by Newton's method on f (value and derivative
 * in one Horner pass) from the money multiple spread over the flows'
 * duration, safeguarded by a bracket whose one end is free: f(0) is the sum
 * of the flows. Only when neither bound proves uniqueness are the rates
 * scanned for every root, and several roots are reported as such.
 */
#include "finance.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdlib.h>

/* The scan's grid (irr_solve): x_i = xlo + (xhi - xlo) i / N, i = 0..N, on
 * one of three spans -- rates below zero only, above zero only, or both --
 * and at each point the multiplier u_i = e^-|x_i| that npv_x_d would take
 * an exp for (v = e^-x for x >= 0, w = e^x below). The grid is the same
 * for every flow scanned, so the multipliers are computed once a solver,
 * the first time it scans that span, and reused across tranches and
 * futures: the same numbers, without an exp a point. */
#define SCAN_STEP 0.0576 /* in x: a period's rate changes by under 6% a step */
#define SCAN_POINTS 321  /* N + 1 on the widest span, ln 1e-4 to ln 1e4: ceil(18.42 / step) + 1 */
typedef struct {
    int n; /* N; 0 until built */
    double u[SCAN_POINTS];
} scan_grid;

struct irr_solver {
    gsl_root_fsolver *brent;
    scan_grid grid[3]; /* [0] x < 0 only, [1] x > 0 only, [2] both */
};

/* The flows being solved, with leading and trailing zeros trimmed. */
typedef struct {
    const double *g;
    size_t m;
} poly;

static int sign(double v) { return (v > 0) - (v < 0); }
/* min and max of two numbers that are never NaN, without libm's calls. */
static double lesser(double a, double b) { return a < b ? a : b; }
static double greater(double a, double b) { return a > b ? a : b; }

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

/* f (or h for x < 0) and its derivative in x, in one Horner pass each,
 * with the multiplier u = e^-x (fwd: x >= 0) or e^x given:
 *   x >= 0: f = P(v), v = u, df/dx = -v P'(v);
 *   x <  0: h = Q(w), w = u, dh/dx =  w Q'(w),  Q(w) = sum_t g_t w^(m-1-t). */
static double npv_u_d(int fwd, double u, const poly *p, double *d) {
    double acc = 0, dacc = 0;
    if (fwd) {
        const double v = u;
        for (size_t t = p->m; t-- > 0;) {
            dacc = dacc * v + acc;
            acc = acc * v + p->g[t];
        }
        *d = -v * dacc;
    } else {
        const double w = u;
        for (size_t t = 0; t < p->m; t++) {
            dacc = dacc * w + acc;
            acc = acc * w + p->g[t];
        }
        *d = w * dacc;
    }
    return acc;
}

/* npv_u_d at x, its multiplier from x: v = e^-x or w = e^x. */
static double npv_x_d(double x, const poly *p, double *d) {
    return npv_u_d(x >= 0, exp(x >= 0 ? -x : x), p, d);
}

/* f (or h), f' and f'' in x, in one pass.
 *   x >= 0: f = P(v), v = e^-x, f' = -v P'(v), f'' = v P'(v) + v^2 P''(v);
 *   x <  0: h = Q(w), w = e^x,  h' =  w Q'(w), h'' = w Q'(w) + w^2 Q''(w).
 * The polynomial A(u) = sum_k a_k u^k (a_k = g_k for P, g_(m-1-k) for Q) is
 * split by the parity of k: A(u) = E(y) + u O(y), y = u^2, each half by
 * Horner's rule in y with its value and first two derivatives (e0, e1 =
 * E', e2 = E''/2, and o0, o1, o2 the same for O). Six chains of half the
 * length run side by side, so a pass waits on half as many dependent
 * multiply-adds as Horner's rule in u (this runs about twice a path per
 * tranche). From y' = 2u:
 *   A   = e0 + u o0
 *   A'  = o0 + 2u (e1 + u o1)
 *   A'' = 2 e1 + 6u o1 + 8u^2 (e2 + u o2). */
static double npv_x_d2(double x, const poly *p, double *d, double *d2) {
    const int fwd = x >= 0;
    const double u = exp(fwd ? -x : x), y = u * u;
    const size_t m = p->m, half = (m + 1) / 2;
    double e0 = 0, e1 = 0, e2 = 0, o0 = 0, o1 = 0, o2 = 0;
    for (size_t j = half; j-- > 0;) {
        const size_t k = 2 * j; /* a_k and a_(k+1); a_m = 0 when m is odd */
        const double ae = p->g[fwd ? k : m - 1 - k];
        const double ao = k + 1 < m ? p->g[fwd ? k + 1 : m - 2 - k] : 0;
        e2 = e2 * y + e1;
        e1 = e1 * y + e0;
        e0 = e0 * y + ae;
        o2 = o2 * y + o1;
        o1 = o1 * y + o0;
        o0 = o0 * y + ao;
    }
    const double a0 = e0 + u * o0;
    const double a1 = o0 + 2 * u * (e1 + u * o1);
    const double a2 = 2 * e1 + 6 * u * o1 + 8 * y * (e2 + u * o2);
    *d = fwd ? -u * a1 : u * a1;
    *d2 = u * a1 + y * a2;
    return a0;
}

/* The unique root of f in the open interval between 0 and `far` (|far| >
 * 0), where f(0) = sum has sign s0 and f has the other sign somewhere
 * before far if the root exists. Halley's method (cubic: from the money
 * multiple's guess, two or three passes) from x0, safeguarded by a bracket
 * -- a step that leaves it or does not halve the last bisects instead (the
 * classic "rtsafe", with Halley for Newton; written here because GSL's
 * derivative solvers keep no bracket). The far end is evaluated only if a
 * bisection needs it; a far end with f still of sign s0 means no root
 * within reach (returns -1). Stops after a Halley step below 1e-10 in x,
 * whose error is then of the order of its cube, or when the bracket is
 * under 1e-14; returns 0 and *x. */
static int halley(const poly *p, double sum, double far, double x0, double *x) {
    const int s0 = sign(sum);
    /* a: the end with sign s0 (0 at first), b: the other (far, unproved). */
    double a = 0, b = far;
    int b_known = 0;
    double xr = (x0 > lesser(a, b) && x0 < greater(a, b)) ? x0 : copysign(0.01, far);
    double dx_old = fabs(b - a), dx = dx_old;
    for (int iter = 0; iter < 200; iter++) {
        double d, d2, f = npv_x_d2(xr, p, &d, &d2);
        if (f == 0) {
            *x = xr;
            return 0;
        }
        if (sign(f) == s0) a = xr;
        else b = xr, b_known = 1;
        /* Halley: x - 2 f f' / (2 f'^2 - f f''); Newton when that
         * denominator is not of f'^2's sign. */
        double den = 2 * d * d - f * d2;
        double step = den > 0 ? 2 * f * d / den : d != 0 ? f / d : HUGE_VAL;
        double next = xr - step;
        int inside = next > lesser(a, b) && next < greater(a, b);
        if (!inside || fabs(2 * step) > dx_old) {
            if (!b_known) {
                /* A bisection needs a true bracket: prove the far end. */
                if (sign(npv_x(far, (void *)p)) == s0) return -1;
                b_known = 1;
            }
            dx_old = dx;
            dx = 0.5 * fabs(b - a);
            next = 0.5 * (a + b);
            if (dx < 1e-14) {
                *x = next;
                return 0;
            }
        } else {
            dx_old = dx;
            dx = fabs(step);
            if (dx < 1e-10) {
                *x = next;
                return 0;
            }
        }
        xr = next;
    }
    return -1;
}

/* The log of Fujiwara's bound on the roots of a polynomial (M. Fujiwara,
 * "Ueber die obere Schranke des absoluten Betrages der Wurzeln einer
 * algebraischen Gleichung", Tohoku Mathematical Journal 10 (1916) 167-171):
 * every root z of a_n z^n + ... + a_1 z + a_0 (a_n != 0) has
 *   |z| <= 2 max(|a_(n-1) / a_n|, |a_(n-2) / a_n|^(1/2), ...,
 *                |a_1 / a_n|^(1/(n-1)), |a_0 / (2 a_n)|^(1/n)).
 * Here a_i = g_i (rev = 0: P(v), roots v = e^-x) or a_i = g_(n-i) (rev = 1:
 * the flows reversed, roots w = 1/v = e^x), n = m - 1. In logs, so that no
 * ratio overflows; a zero coefficient adds nothing. */
static double fujiwara_log_bound(const poly *p, int rev) {
    const size_t n = p->m - 1;
    const double lead = log(fabs(p->g[rev ? 0 : n]));
    double best = -HUGE_VAL;
    for (size_t k = 1; k <= n; k++) {
        const double a = p->g[rev ? k : n - k]; /* a_(n-k) */
        if (a == 0) continue;
        double l = log(fabs(a)) - lead - (k == n ? log(2.0) : 0);
        best = greater(best, l / (double)k);
    }
    return log(2.0) + best;
}

/* Bounds on the roots v > 0 of sum g_t v^t from the cumulative flows (see
 * the file comment): *fwd bounds those with r > 0 (sign changes of the
 * sums from the start), *bwd those with r < 0 (from the end). */
static void root_bounds(const poly *p, int *fwd, int *bwd) {
    int pf = 0, pb = 0;
    double a = 0, b = 0;
    *fwd = *bwd = 0;
    for (size_t t = 0; t < p->m; t++) {
        a += p->g[t];
        b += p->g[p->m - 1 - t];
        int sa = sign(a), sb = sign(b);
        if (sa != 0) {
            if (pf != 0 && sa != pf) ++*fwd;
            pf = sa;
        }
        if (sb != 0) {
            if (pb != 0 && sb != pb) ++*bwd;
            pb = sb;
        }
    }
}

/* Whether the root x of f (or h) is provably the only IRR. With v = e^-x
 * the flows' present values at that rate, g'_t = g_t v^t, sum to zero, so
 * (as for r = 0 in the file comment) P(v v') = (1 - v') sum_{t<M} A_t v'^t
 * with A_t = g'_0 + ... + g'_t: every other positive root is a root of
 * that polynomial, which has none when A_0..A_{M-1} keep one sign
 * (Descartes' rule). The same holds for the sums from the end, B_M..B_1.
 * This is the "pure investment" test of the project balance at the IRR:
 * never ahead until the end. Only signs matter, so each sum is computed
 * in the scaling that cannot overflow (present values where v <= 1,
 * balances carried forward at e^x < 1 otherwise). A sum within the error
 * that x's own tolerance (1e-10) and rounding allow of zero is no proof.
 * Cost: two passes over the flows, against a scan's hundreds. */
static int certified_unique(const poly *p, double x) {
    const size_t M = p->m - 1;
    const double tol = 1e-10 * (double)p->m + 1e-13;
    const double u = exp(-fabs(x)); /* the multiplier < 1 of either recursion */
    int ok = 1;
    /* Forward: A_t = A_{t-1} + g_t u^t (x >= 0), or the balance
     * F_t = F_{t-1} u + g_t = A_t e^{x t} (x < 0). */
    double acc = 0, mag = 0, fac = 1;
    const int s0 = sign(p->g[0]);
    for (size_t t = 0; t < M && ok; t++) {
        if (x >= 0) {
            acc += p->g[t] * fac;
            mag += fabs(p->g[t]) * fac;
            fac *= u;
        } else {
            acc = acc * u + p->g[t];
            mag = mag * u + fabs(p->g[t]);
        }
        ok = sign(acc) == s0 && fabs(acc) > tol * mag;
    }
    if (ok) return 1;
    /* Backward: B_t = g_t + u B_{t+1} = sum_{s>=t} g_s v^(s-t) (x >= 0), or
     * sum_{s>=t} g_s e^{x (M-s)} (x < 0). */
    const int sM = sign(p->g[M]);
    acc = mag = 0;
    fac = 1;
    ok = 1;
    for (size_t t = M; t >= 1 && ok; t--) {
        if (x >= 0) {
            acc = acc * u + p->g[t];
            mag = mag * u + fabs(p->g[t]);
        } else {
            acc += p->g[t] * fac;
            mag += fabs(p->g[t]) * fac;
            fac *= u;
        }
        ok = sign(acc) == sM && fabs(acc) > tol * mag;
    }
    return ok;
}

irr_solver *irr_solver_new(void) {
    irr_solver *s = malloc(sizeof *s);
    if (s == NULL) return NULL;
    s->brent = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (s->brent == NULL) {
        free(s);
        return NULL;
    }
    for (int g = 0; g < 3; g++) s->grid[g].n = 0;
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

/* The multipliers of the scan's grid on span g from xlo to xhi in N steps,
 * built on first use. */
static const double *scan_grid_of(irr_solver *s, int g, double xlo, double xhi, int N) {
    scan_grid *G = &s->grid[g];
    if (G->n != N) {
        for (int i = 0; i <= N; i++) {
            const double x = xlo + (xhi - xlo) * i / N; /* as the scan computes it */
            G->u[i] = exp(x >= 0 ? -x : x);
        }
        G->n = N;
    }
    return G->u;
}

irr_status irr_solve(irr_solver *s, const double *flows, size_t n, int periods_per_year,
                     double *annual_rate) {
    *annual_rate = NAN;
    size_t first = 0, last = n;
    while (first < n && flows[first] == 0) first++;
    if (first == n) return IRR_NO_FLOWS;
    while (flows[last - 1] == 0) last--;
    last--;
    /* Money in and out, their centres in time, and the sign changes, over
     * the flows between the first and the last that is not zero. Without a
     * branch on the data: a flow adds 0 to the sums of the other sign (the
     * same sums to the bit), and a zero flow leaves the last sign as it was. */
    double in = 0, out = 0, t_in = 0, t_out = 0;
    int changes = 0, prev = sign(flows[first]);
    for (size_t t = first; t <= last; t++) {
        const double c = flows[t], up = c > 0 ? c : 0, down = c < 0 ? -c : 0;
        in += up;
        t_in += up * (double)t;
        out += down;
        t_out += down * (double)t;
        const int sc = sign(c);
        changes += sc != 0 && sc != prev;
        prev = sc != 0 ? sc : prev;
    }
    if (in == 0) {
        *annual_rate = -1.0;
        return IRR_TOTAL_LOSS;
    }
    if (out == 0) return IRR_NO_SIGN_CHANGE;

    poly p = {.g = flows + first, .m = last - first + 1};
    double x = 0;
    int fwd = 1, bwd = 0;
    if (changes != 1) root_bounds(&p, &fwd, &bwd);
    /* P(v) -> g_0 as v -> 0 (x -> inf) and takes the sign of the last flow
     * as v -> inf (x -> -inf); f(0) is the sum of the flows. */
    const int s_inf = sign(p.g[0]), s_minf = sign(p.g[p.m - 1]);
    const double sum = in - out;
    /* Start from the money multiple spread over the time between the
     * centres of mass of outflows and inflows: (in/out)^(1/D) = 1 + r. */
    const double dur = fabs(t_in / in - t_out / out);
    const double guess = dur > 0 ? log(in / out) / dur : 0;
    const double far = 9.21; /* |x| for rates of -99.99% and +999,900% a period */
    /* An odd number of roots where f changes sign between x = 0 and an end. */
    const int odd_right = sum != 0 && sign(sum) != s_inf, odd_left = sum != 0 && sign(sum) != s_minf;
    int solved = 0;
    /* With A_last = sum = 0, r = 0 is a root too. */
    if (changes == 1 || fwd + bwd + (sum == 0) <= 1) {
        /* At most one root: none when f does not change sign between the
         * ends; r = 0 when the flows sum to zero. */
        if (s_inf == s_minf) return IRR_NO_ROOT;
        if (sum == 0) {
            *annual_rate = 0;
            return IRR_OK;
        }
        /* The root is on the side of x = 0 where f has the sign of the
         * far end opposite to the sum's: 0 < x when f(+inf) has s_inf. */
        if (halley(&p, sum, odd_right ? far : -far, guess, &x) != 0) return IRR_NO_CONVERGENCE;
        solved = 1;
    } else if (odd_right && odd_left) {
        /* f changes sign on both sides of r = 0: a root on each. */
        return IRR_MULTIPLE;
    } else if (odd_right || odd_left || sum == 0) {
        /* Interleaved flows the bounds at r = 0 leave open: find the root
         * the signs promise (r = 0 itself when the flows sum to zero), then
         * try to prove it the only one at its own rate. */
        if (sum != 0 && halley(&p, sum, odd_right ? far : -far, guess, &x) != 0)
            return IRR_NO_CONVERGENCE;
        solved = certified_unique(&p, x);
    }
    if (!solved) {
        /* Uniqueness not proved: scan x for every root of NPV, on the side
         * of r = 0 where the cumulative flows allow one (fwd: r > 0, bwd:
         * r < 0), on a grid from r = -99.99% to r = +1e6% a period (x in
         * [-9.21, 9.21]) of steps of 0.058 in x (a period's rate changes by
         * under 6% a step). A sign change of NPV in a step is a root; a
         * sign change of its derivative without one is an extremum, where
         * two roots closer than a step may hide: it is located by
         * bisection on the derivative and NPV's sign there decides. */
        const double xlo = bwd > 0 ? log(1e-4) : 0, xhi = fwd > 0 ? log(1e4) : 0;
        const int N = (int)ceil((xhi - xlo) / SCAN_STEP);
        /* fwd + bwd >= 1 here (else the first branch above ran), and N + 1
         * is at most SCAN_POINTS. */
        const double *u = scan_grid_of(s, (bwd > 0) + 2 * (fwd > 0) - 1, xlo, xhi, N);
        /* Only the part of the grid where roots can be: x >= -log B_v and
         * x <= log B_w, the Fujiwara bounds on the roots v and w = 1/v
         * (widened by 1% and two grid steps). The grid is the same, so a
         * scan of the part sees what a scan of the whole would: about 12
         * points of the 160 on a side for the flows of a bond, instead of
         * all. */
        int i0 = 0, i1 = N;
        if (bwd > 0) {
            double from = -(fujiwara_log_bound(&p, 0) + 0.01);
            i0 = (int)lesser(greater(floor((from - xlo) / (xhi - xlo) * N) - 2, 0), N);
        }
        if (fwd > 0) {
            double to = fujiwara_log_bound(&p, 1) + 0.01;
            i1 = (int)greater(lesser(ceil((to - xlo) / (xhi - xlo) * N) + 2, N), i0);
        }
        int roots = 0;
        double prev_x = i0 == 0 ? xlo : xlo + (xhi - xlo) * i0 / N, prev_d,
               prev_f = npv_u_d(prev_x >= 0, u[i0], &p, &prev_d);
        for (int i = i0 + 1; i <= i1; i++) {
            double xi = xlo + (xhi - xlo) * i / N, di, fi = npv_u_d(xi >= 0, u[i], &p, &di);
            if (prev_f == 0 || sign(prev_f) != sign(fi)) {
                if (fi == 0 && i < N) {
                    prev_x = xi;
                    prev_f = fi;
                    prev_d = di;
                    continue; /* counted at the next step, as prev_f == 0 */
                }
                roots++;
                if (roots > 1) return IRR_MULTIPLE;
                if (prev_f == 0) x = prev_x;
                else if (brent(s, &p, prev_x, xi, &x) != 0) return IRR_NO_CONVERGENCE;
            } else if (sign(prev_d) != sign(di) && sign(prev_d) != 0 && sign(di) != 0) {
                /* An extremum in the step: bisect on the derivative. */
                double a0 = prev_x, b0 = xi, fa_d = prev_d, fm = prev_f;
                for (int k = 0; k < 60; k++) {
                    double m = 0.5 * (a0 + b0), dm;
                    fm = npv_x_d(m, &p, &dm);
                    if (sign(fm) != sign(fi)) break; /* dipped through zero */
                    if (sign(dm) == sign(fa_d)) a0 = m, fa_d = dm;
                    else b0 = m;
                }
                if (sign(fm) != sign(fi)) return IRR_MULTIPLE; /* two roots in one step */
            }
            prev_x = xi;
            prev_f = fi;
            prev_d = di;
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
    /* v = (1 + d)^(-1/p) is one period's discount factor. */
    return finance_npv_at(flows, n, pow(1.0 + d, -1.0 / periods_per_year));
}

double finance_npv_at(const double *flows, size_t n, double v) {
    double acc = 0;
    for (size_t t = n; t-- > 0;) acc = acc * v + flows[t]; /* Horner from the end */
    return acc;
}

/* Horner's rule is a chain of dependent multiply-adds, each waiting on the
 * last: one flow at a time, a bond's tranches took their NPVs one after the
 * other (seven chains of some forty periods a future on Massachusetts).
 * Chains side by side keep the processor's multipliers and adders busy.
 * npv_lanes runs L <= NPV_LANES_MAX chains (L a constant where it is inlined); a chain
 * missing from the last group runs on the first's flows at v = 0 and is
 * not stored. Written by hand: no library evaluates several polynomials
 * side by side. */
#define NPV_LANES_MAX 8
static inline __attribute__((always_inline)) void
npv_lanes(const double *const *flows, const double *v, size_t k, size_t n, double *out,
          const size_t L) {
    for (size_t j0 = 0; j0 < k; j0 += L) {
        const size_t lanes = k - j0 < L ? k - j0 : L;
        const double *f[NPV_LANES_MAX];
        double vv[NPV_LANES_MAX], acc[NPV_LANES_MAX];
        for (size_t j = 0; j < L; j++) {
            f[j] = flows[j0 + (j < lanes ? j : 0)];
            vv[j] = j < lanes ? v[j0 + j] : 0;
            acc[j] = 0;
        }
        for (size_t t = n; t-- > 0;)
            for (size_t j = 0; j < L; j++) acc[j] = acc[j] * vv[j] + f[j][t];
        for (size_t j = 0; j < lanes; j++) out[j0 + j] = acc[j];
    }
}

void finance_npv_at_many(const double *const *flows, const double *v, size_t k, size_t n,
                         double *out) {
    /* As many lanes as flows, up to eight: padding lanes cost as much as
     * real ones (a bond of one tranche is most bonds). */
    if (k == 1) out[0] = finance_npv_at(flows[0], n, v[0]);
    else if (k == 2) npv_lanes(flows, v, k, n, out, 2);
    else if (k <= 4) npv_lanes(flows, v, k, n, out, 4);
    else npv_lanes(flows, v, k, n, out, NPV_LANES_MAX);
}
