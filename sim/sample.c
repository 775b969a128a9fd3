/* sample.c -- the engine's draws: GSL's, and hand-written binomial and Poisson. See sample.h. */
#include "sample.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "../model/num.h"
#include "rng.h"

/* Beta(a, b)'s u-quantile, 0 < u < 1. GSL's gsl_cdf_beta_Pinv first (the
 * draws of every shape it serves stay as they were). It gives NaN for
 * shapes far from 1 -- Beta(0.05, 3) at u = 0.1, Beta(10^4, 10^4) beyond
 * its 1st and 99th percentiles, Beta(0.001, 0.001) almost everywhere --
 * and a NaN clamped became the prior's lower bound: -1000% for an effect.
 * Then GSL's CDF, which holds at every shape the loader allows (0.001 to
 * 10^5), is inverted by bisection over the doubles of [0, 1] in their
 * order, which is that of their bit patterns: the least x with P(x) >= u,
 * exact to the double, in about 62 evaluations (10 us) -- subnormal
 * quantiles included, which a bisection of [0, 1] by halves would need a
 * thousand steps to reach. Hand-written because GSL has no other inverse. */
static double beta_quantile(double u, double a, double b) {
    const double x = gsl_cdf_beta_Pinv(u, a, b);
    if (x >= 0 && x <= 1) return x;
    const double one = 1;
    uint64_t lo = 0, hi; /* P(lo) < u <= P(hi), as bit patterns */
    memcpy(&hi, &one, sizeof hi);
    while (hi - lo > 1) {
        const uint64_t mid = lo + (hi - lo) / 2;
        double m;
        memcpy(&m, &mid, sizeof m);
        if (gsl_cdf_beta_P(m, a, b) >= u) hi = mid;
        else lo = mid;
    }
    double q;
    memcpy(&q, &hi, sizeof q);
    return q;
}

double sample_prior_quantile(const prior *p, double u) {
    double x = 0;
    u = num_min(num_max(u, 1e-15), 1 - 1e-15);
    switch (p->kind) {
    case PRIOR_FIXED: return p->a;
    case PRIOR_NORMAL: x = p->a + gsl_cdf_gaussian_Pinv(u, p->b); break;
    case PRIOR_UNIFORM: x = p->a + (p->b - p->a) * u; break;
    case PRIOR_BETA: x = p->c + (p->d - p->c) * beta_quantile(u, p->a, p->b); break;
    case PRIOR_LOGNORMAL: x = gsl_cdf_lognormal_Pinv(u, p->a, p->b); break;
    case PRIOR_TRIANGULAR: {
        /* GSL has no triangular distribution: invert its CDF,
         *   F(b) = (b - a) / (c - a);
         *   u < F(b): a + sqrt(u (c - a)(b - a));  else c - sqrt((1 - u)(c - a)(c - b)). */
        double a = p->a, b = p->b, c = p->c;
        if (c <= a) return a;
        double f = (b - a) / (c - a);
        x = (u < f) ? a + sqrt(u * (c - a) * (b - a)) : c - sqrt((1 - u) * (c - a) * (c - b));
        break;
    }
    }
    return num_min(num_max(x, p->lo), p->hi);
}

/* The mean of a prior before its bounds are applied is prior_mean's. A
 * bound moves it by what the draws beyond it give up: a draw below lo
 * counts as lo, one above hi as hi, so
 *   E[clamp(X, lo, hi)] = E[X] + E[(lo - X)+] - E[(X - hi)+].
 * prior_below(p, l) = E[(l - X)+] and prior_above(p, h) = E[(X - h)+] are
 * the partial expectations of each kind, in closed form (the "call and
 * put" integrals of its distribution): exact, where a numerical integral
 * of the quantile would be within a tolerance. A bound beyond the support
 * (or none) gives 0, so that a prior its bounds never cut keeps
 * prior_mean's value to the bit. */

/* E[(l - Z)+] for Z standard normal: l Phi(l) + phi(l). */
static double normal_below(double l) { return l * gsl_cdf_ugaussian_P(l) + gsl_ran_ugaussian_pdf(l); }

/* E[(y - Y)+] for Y ~ Beta(a, b) on [0, 1], with
 *   E[Y; Y < y] = a / (a + b) I_y(a + 1, b)   (I the regularised incomplete beta). */
static double beta_below(double a, double b, double y) {
    if (y <= 0) return 0;
    if (y >= 1) return y - a / (a + b);
    return y * gsl_cdf_beta_P(y, a, b) - a / (a + b) * gsl_cdf_beta_P(y, a + 1, b);
}

/* E[(l - X)+] for X triangular on [a, c] with mode m, as the integral of
 * its CDF up to l:
 *   l <= m:  (l - a)^3 / (3 (c - a)(m - a));
 *   m < l <= c: (m - a)^2 / (3 (c - a)) + (l - m) - ((c - m)^3 - (c - l)^3) / (3 (c - a)(c - m));
 *   beyond c: its value at c plus (l - c). */
static double triangular_below(double a, double m, double c, double l) {
    if (l <= a || c <= a) return l <= a ? 0 : l - a;
    if (l <= m) return (l - a) * (l - a) * (l - a) / (3 * (c - a) * (m - a));
    const double at_m = (m - a) * (m - a) / (3 * (c - a));
    if (l >= c) return at_m + (c - m) - (c - m) * (c - m) / (3 * (c - a)) + (l - c);
    return at_m + (l - m) - ((c - m) * (c - m) * (c - m) - (c - l) * (c - l) * (c - l)) /
                                (3 * (c - a) * (c - m));
}

/* E[(l - X)+]. */
static double prior_below(const prior *p, double l) {
    if (l == -HUGE_VAL) return 0;
    switch (p->kind) {
    case PRIOR_FIXED: return l > p->a ? l - p->a : 0;
    case PRIOR_NORMAL: return p->b * normal_below((l - p->a) / p->b);
    case PRIOR_UNIFORM: {
        const double a = p->a, b = p->b;
        if (l <= a) return 0;
        if (l >= b) return l - 0.5 * (a + b);
        return (l - a) * (l - a) / (2 * (b - a));
    }
    case PRIOR_BETA: return (p->d - p->c) * beta_below(p->a, p->b, (l - p->c) / (p->d - p->c));
    case PRIOR_LOGNORMAL: {
        /* X = exp(N(mu, s^2)): E[X; X < l] = exp(mu + s^2 / 2) Phi((ln l - mu - s^2) / s). */
        if (l <= 0) return 0;
        const double mu = p->a, s = p->b, z = (log(l) - mu) / s;
        return l * gsl_cdf_ugaussian_P(z) - exp(mu + 0.5 * s * s) * gsl_cdf_ugaussian_P(z - s);
    }
    case PRIOR_TRIANGULAR: return triangular_below(p->a, p->b, p->c, l);
    }
    return NAN;
}

/* E[(X - h)+]. */
static double prior_above(const prior *p, double h) {
    if (h == HUGE_VAL) return 0;
    switch (p->kind) {
    case PRIOR_FIXED: return p->a > h ? p->a - h : 0;
    case PRIOR_NORMAL: return p->b * normal_below((p->a - h) / p->b); /* Z -> -Z */
    case PRIOR_UNIFORM: {
        const double a = p->a, b = p->b;
        if (h >= b) return 0;
        if (h <= a) return 0.5 * (a + b) - h;
        return (b - h) * (b - h) / (2 * (b - a));
    }
    case PRIOR_BETA: /* Y -> 1 - Y is Beta(b, a) */
        return (p->d - p->c) * beta_below(p->b, p->a, (p->d - h) / (p->d - p->c));
    case PRIOR_LOGNORMAL: {
        /* E[X; X > h] = exp(mu + s^2 / 2) Q((ln h - mu - s^2) / s), Q = 1 - Phi. */
        const double mu = p->a, s = p->b, m = exp(mu + 0.5 * s * s);
        if (h <= 0) return m - h;
        const double z = (log(h) - mu) / s;
        return m * gsl_cdf_ugaussian_Q(z - s) - h * gsl_cdf_ugaussian_Q(z);
    }
    case PRIOR_TRIANGULAR: /* X -> -X is triangular on [-c, -a] with mode -m */
        return triangular_below(-p->c, -p->b, -p->a, -h);
    }
    return NAN;
}

/* A prior of zero width: every draw is one value. */
static int prior_degenerate(const prior *p) {
    switch (p->kind) {
    case PRIOR_FIXED: return 1;
    case PRIOR_NORMAL:
    case PRIOR_LOGNORMAL: return !(p->b > 0);
    case PRIOR_UNIFORM: return !(p->b > p->a);
    case PRIOR_BETA: return !(p->d > p->c);
    case PRIOR_TRIANGULAR: return !(p->c > p->a);
    }
    return 1;
}

double sample_prior_mean(const prior *p) {
    if (prior_degenerate(p)) return num_min(num_max(prior_mean(p), p->lo), p->hi);
    const double below = prior_below(p, p->lo), above = prior_above(p, p->hi);
    if (below == 0 && above == 0) return prior_mean(p);
    return prior_mean(p) + below - above;
}

/* Stirling's series for lgamma(z) without its leading terms,
 *   1/(12 z) - 1/(360 z^3) + 1/(1260 z^5) - 1/(1680 z^7),
 * whose error is below the first term left out, 1/(1188 z^9) <= 1.1e-15 at
 * z >= 21 (Abramowitz & Stegun 6.1.41). */
static double stirling_series(double z) {
    const double r = 1 / z, r2 = r * r;
    return r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680))));
}

/* log(k!) for a whole k >= 0. From k = 20 on, Stirling's series for
 * lgamma(z), z = k + 1:
 *   (z - 1/2) ln z - z + ln(2 pi)/2 + stirling_series(z):
 * with the rounding of the sum, a few units in the last place -- one log
 * and a few multiplications, against GSL's general lgamma. Below, GSL's.
 * Hand-written because the Poisson sampler asks it in every rejection test. */
double sample_log_factorial(double k) {
    if (k < 20) return gsl_sf_lngamma(k + 1);
    const double z = k + 1;
    return (z - 0.5) * log(z) - z + 0.91893853320467274178 + stirling_series(z);
}

/* ------------------------------------------------------------- binomial
 * Hand-written because GSL's gsl_ran_binomial was the largest cost of the
 * rate outcomes: a scenario draws dozens of binomials a path, each with its
 * own (n, p). GSL's inversion (for means below 14) raises q to the n-th
 * power in gsl_pow_uint, whose branches on the bits of n mispredict when n
 * changes, and divides at every step; its BTPE (above) is long. Measured
 * here, a draw through sample_binomial against gsl_ran_binomial: 23 ns
 * against 33 at n = 30, p = 0.15; 52 against 75 at n = 180, p = 0.4; over
 * the (n, p) that utah-preschool asks, 27 against 51. Both samplers below
 * are exact: inversion sums the pmf itself, and BTRD's acceptance test is
 * the pmf's own ratio (tests/test_sample.c checks the distribution against
 * GSL's pmf on both sides of the switch, flipped and not). Each works on
 * the rarer side, p <= 1/2; sample_binomial flips. */

/* Inversion below this mean n p, BTRD from it: inversion's search takes
 * about n p steps, and is the faster up to a mean of about 30 (measured
 * here: 31 ns against BTRD's 63 at a mean of 15, 44 against 54 at 30;
 * BTRD's own bound is n p >= 10). */
#define BINOMIAL_INVERT_BELOW 30

/* Inversion searches k = 0 .. min(n, BINV_LAST). With n p < 30,
 *   P(X > 128) <= C(n, 129) p^129 <= (n p)^129 / 129! < 30^129 / 129! < 1e-28,
 * far below the 2^-53 resolution of a uniform, so that stopping there and
 * drawing again (as when rounding leaves u beyond the summed mass) changes
 * no probability a double can hold. binv_recip[k] = 1/(k + 1), so that a
 * step multiplies instead of dividing. */
#define BINV_LAST 128
#define RECIP4(k) 1.0 / (k), 1.0 / ((k) + 1), 1.0 / ((k) + 2), 1.0 / ((k) + 3)
#define RECIP16(k) RECIP4(k), RECIP4((k) + 4), RECIP4((k) + 8), RECIP4((k) + 12)
static const double binv_recip[BINV_LAST] = {
    RECIP16(1),  RECIP16(17), RECIP16(33), RECIP16(49),
    RECIP16(65), RECIP16(81), RECIP16(97), RECIP16(113),
};
#undef RECIP16
#undef RECIP4

/* x^m for a whole m < 256, by eight squarings. Each bit of m picks its
 * factor (1 or x) from a two-entry table rather than through a branch:
 * with n changing from draw to draw, branches on its bits are mispredicted
 * (gsl_pow_uint's are, at ~15 ns a draw). */
static double pow_below_256(double x, unsigned m) {
    double y = 1;
    for (int bit = 0; bit < 8; bit++, m >>= 1) {
        const double factor[2] = {1, x};
        y *= factor[m & 1];
        x *= x;
    }
    return y;
}

/* Binomial(n, p), p <= 1/2, n p < BINOMIAL_INVERT_BELOW, by inversion: sequential search of
 * the CDF from 0 with the pmf's recurrence (Kachitvichyanukul & Schmeiser,
 * "Binomial random variate generation", Comm. ACM 31 (1988) 216-222, BINV),
 *   f(0) = q^n,   f(k + 1) = f(k) (n - k) s / (k + 1),   s = p / q,
 *   X = the least k with u < F(k) = f(0) + ... + f(k)
 *     = the number of k with F(k) <= u,
 * one uniform a draw (a second only if u is within rounding, ~1e-15, of 1).
 * q^n by eight squarings below 256 trials: the rounding of q = 1 - p
 * (2^-53) then grows to at most 255 x 2^-53 = 3e-14 in q^n. From 256 on,
 * exp(n log1p(-p)), which keeps p's digits at any n.
 * The first BINV_BLOCK steps are taken whatever u, and X counted as the
 * second form: no branch, where a search that stops at X mispredicts its
 * exit once a draw (~13 ns measured here, as much as the twelve steps).
 * X > 12 (1 draw in 700 at n = 100, p = 0.05; 1 in 5 at p = 0.099; most
 * draws near a mean of 30) goes on one step at a time. */
#define BINV_BLOCK 12
#define BINV_STEP(j) (f *= (n - (j)) * s * binv_recip[j], cdf += f, x += u >= cdf)
static double binomial_inversion(gsl_rng *r, double p, double n) {
    const double q = 1 - p, s = p / q;
    const double f0 = n < 256 ? pow_below_256(q, (unsigned)n) : exp(n * log1p(-p));
    const int last = n < BINV_LAST ? (int)n : BINV_LAST;
    for (;;) {
        const double u = rng_uniform(r);
        double f = f0, cdf = f0; /* f(k), F(k) */
        int x = u >= cdf;
        /* F(1) .. F(12); past n, f is 0 and F stays F(n). */
        BINV_STEP(0), BINV_STEP(1), BINV_STEP(2), BINV_STEP(3), BINV_STEP(4), BINV_STEP(5);
        BINV_STEP(6), BINV_STEP(7), BINV_STEP(8), BINV_STEP(9), BINV_STEP(10), BINV_STEP(11);
        if (u < cdf) return x; /* cdf = F(12) */
        for (int k = BINV_BLOCK; k < last; k++) {
            f *= (n - k) * s * binv_recip[k];
            cdf += f;
            if (u < cdf) return k + 1;
        }
        /* u beyond the mass summed: draw again */
    }
}
#undef BINV_STEP

/* The Stirling correction fc(k) = ln k! - ln(2 pi)/2 - (k + 1/2) ln(k + 1)
 * + (k + 1): stirling_series(k + 1) from k = 20 (within 1.1e-15), and
 * below, this table (ln k! to 40 digits, rounded to double). */
static double stirling_correction(double k) {
    static const double fc[20] = {
        0.08106146679532726,  0.0413406959554093,    0.02767792568499834,  0.020790672103765093,
        0.016644691189821193, 0.013876128823070748,  0.01189670994589177,  0.010411265261972096,
        0.009255462182712733, 0.00833056343336287,   0.007573675487951841, 0.00694284010720953,
        0.006408994188004207, 0.0059513701127588475, 0.005554733551962801, 0.0052076559196096404,
        0.004901395948434738, 0.004629153749334028,  0.004385560249232324, 0.004166319691996922,
    };
    return k < 20 ? fc[(int)k] : stirling_series(k + 1);
}

/* Binomial(n, p), p <= 1/2, n p >= BINOMIAL_INVERT_BELOW, by transformed
 * rejection with decomposition, "BTRD" (W. Hoermann, "The generation of binomial random
 * variates", Journal of Statistical Computation and Simulation 46 (1993)
 * 101-110), the binomial sibling of PTRS below. A uniform u in (-1/2, 1/2)
 * is carried to the count k = floor(G(u)),
 *   G(u) = (2a / us + b) u + c,   us = 1/2 - |u|,   G'(u) = a / us^2 + b,
 * and (u, v), v uniform in (0, 1), accepted when v alpha / G'(u) <= f(k) / f(m),
 * m the mode: as G' integrates to 1 over the u that give k, each k is then
 * drawn with probability proportional to f(k). The decomposition: the
 * rectangle |u| <= 0.43, v <= v_r lies under f, so the draws that land in
 * it -- 0.86 v_r of them: 46% at the smallest n p q, 15, 59% at 46, up to
 * 79% -- take one uniform and no test. That, and the hat alpha / G' above
 * f, are the paper's; we also checked both numerically, on a grid of n from
 * 20 to 4e9 and p from 1e-8 to 1/2 with n p >= 10 (margins of 0.5% or more
 * in log f).
 * Here v is kept in units of v_r (w = v / v_r), so that step 1 needs no
 * division of its own. */
static double binomial_btrd(gsl_rng *r, double p, double n) {
    const double q = 1 - p, npq = n * p * q, spq = sqrt(npq);
    const double b = 1.15 + 2.53 * spq;
    const double a = -0.0873 + 0.0248 * b + 0.01 * p;
    const double c = n * p + 0.5;
    const double inv_vr = b / (0.92 * b - 4.2); /* 1 / v_r,  v_r = 0.92 - 4.2 / b */
    for (;;) {
        /* 1. w = v / v_r; below 0.86 it also gives u, inside the rectangle. */
        double w = rng_uniform(r) * inv_vr, u;
        if (w <= 0.86) {
            u = w - 0.43;
            return floor((2 * a / (0.5 - fabs(u)) + b) * u + c);
        }
        /* 2. Otherwise a point uniform on the rest of the square: above v_r
         * (w kept, u fresh), or below it with 0.43 < |u| < 1/2 (u from w,
         * w fresh). */
        if (w >= 1) {
            u = rng_uniform(r) - 0.5;
        } else {
            u = w - 0.93;             /* in (-0.07, 0.07) */
            u = copysign(0.5, u) - u; /* |u| in (0.43, 0.5) */
            w = rng_uniform(r);
        }
        /* 3.0 The count, and v = w v_r alpha / G'(u), so that the test is
         * v <= f(k) / f(m), with alpha = (2.83 + 5.1 / b) spq. */
        const double us = 0.5 - fabs(u), inv_us = 1 / us;
        const double k = floor((2 * a * inv_us + b) * u + c);
        if (k < 0 || k > n) continue;
        double v = w * (2.83 + 5.1 / b) * spq / (inv_vr * (a * inv_us * inv_us + b));
        const double m = floor((n + 1) * p); /* the mode */
        const double s = p / q;              /* f(i) / f(i - 1) = (n - i + 1) s / i */
        const double km = fabs(k - m);
        if (km <= 15) {
            /* 3.1 Near the mode, f(k) / f(m) from the recurrence, as a
             * product over m < i <= k of (n - i + 1) s (num) over one of i
             * (den); for k < m the inverse, over k < i <= m. Fifteen
             * factors at most, each at most (n + 1) s <= 2^32: no overflow,
             * and no division (the paper divides at each factor). */
            double num = 1, den = 1;
            for (double i = m + 1; i <= k; i++) {
                num *= (n - i + 1) * s;
                den *= i;
            }
            for (double i = k + 1; i <= m; i++) {
                num *= i;
                den *= (n - i + 1) * s;
            }
            if (v * den <= num) return k;
            continue;
        }
        /* 3.2 Farther, in logs, first the squeeze
         *   |ln(f(k) / f(m)) - t| <= rho,   t = -km^2 / (2 npq),
         *   rho = km/npq (((km/3 + 0.625) km + 1/6) / npq + 1/2),
         * which Kachitvichyanukul & Schmeiser (above) prove for
         * km < npq/2 - 1 and their BTPE uses only there. BTRD as published
         * applies it at every km > 15, where it fails in the far lower tail
         * when p is small: at n p = 40, p = 1e-8, it would draw 0 with
         * probability 7e-17 instead of 4e-18. Beyond the bound, the exact
         * test at once. */
        v = log(v);
        if (km < npq / 2 - 1) {
            const double rho = km / npq * (((km / 3 + 0.625) * km + 1.0 / 6) / npq + 0.5);
            const double t = -km * km / (2 * npq);
            if (v < t - rho) return k;
            if (v > t + rho) continue;
        }
        /* 3.3-3.4 The exact test, ln(f(k) / f(m)) with ln j! = ln(2 pi)/2 +
         * (j + 1/2) ln(j + 1) - (j + 1) + fc(j), n_m = n - m + 1 and
         * n_k = n - k + 1:
         *   (m + 1/2) ln((m + 1) / (s n_m)) + (n + 1) ln(n_m / n_k)
         *   + (k + 1/2) ln(n_k s / (k + 1)) + fc(m) + fc(n - m) - fc(k) - fc(n - k),
         * the paper's form, with ln(n_m / n_k) as log1p((k - m) / n_k). Its
         * terms are logs of ratios near 1 and corrections below 0.09, where
         * sample_log_factorial's four log-factorials would each be of size
         * n ln n: against 40-digit arithmetic, 7e-11 off at a million trials
         * and p = 0.3 (1e-14 when p is 1e-4) where the log-factorials are
         * 2e-9 off. */
        const double n_m = n - m + 1, n_k = n - k + 1;
        const double log_ratio =
            (m + 0.5) * log((m + 1) / (s * n_m)) + (n + 1) * log1p((k - m) / n_k) +
            (k + 0.5) * log(n_k * s / (k + 1)) + stirling_correction(m) +
            stirling_correction(n - m) - stirling_correction(k) - stirling_correction(n - k);
        if (v <= log_ratio) return k;
    }
}

/* Beyond UINT_MAX trials (GSL's limit, which sample_binomial keeps; a volume
 * or a comparison ratio far past any programme: fuzz_engine found 3e37
 * people) the binomial is drawn from its limits, which are exact to many
 * digits at such sizes: the rarer side's count is Poisson when its mean is
 * under 1,000 (its probability is then below 2.4e-7, so the Poisson's
 * variance is the binomial's), normal with the binomial's variance
 * otherwise; rounded, within [0, n]. */
static double binomial_large(gsl_rng *r, double prob, double n) {
    const double q = fmin(prob, 1 - prob), mean = n * q;
    double x = mean < 1000 ? sample_poisson(r, mean)
                           : round(mean + sqrt(mean * (1 - q)) * gsl_ran_gaussian_ziggurat(r, 1.0));
    x = fmin(fmax(x, 0.0), n);
    return prob <= 0.5 ? x : n - x;
}

double sample_binomial(gsl_rng *r, double prob, double n) {
    /* The common case first, in one test (false for a NaN): a probability
     * strictly between 0 and 1 and from 1 to UINT_MAX whole trials. */
    if (prob > 0 && prob < 1 && n >= 1 && n < (double)UINT_MAX + 1) {
        n = floor(n); /* trials are whole people */
        /* The rarer side; 1 - prob is exact above 1/2. */
        const double p = prob <= 0.5 ? prob : 1 - prob;
        const double x = n * p < BINOMIAL_INVERT_BELOW ? binomial_inversion(r, p, n)
                                                       : binomial_btrd(r, p, n);
        return prob <= 0.5 ? x : n - x;
    }
    /* NaN first: every comparison with NaN is false, and a sampler would
     * draw for ever (as GSL's did). */
    if (isnan(prob) || isnan(n)) return NAN;
    if (prob <= 0 || n <= 0) return 0;
    if (prob >= 1 || isinf(n)) return n;
    /* Left: fewer than one trial, or more than UINT_MAX. */
    n = floor(n);
    return n > (double)UINT_MAX ? binomial_large(r, prob, n) : 0;
}

/* Poisson by transformed rejection with squeeze, "PTRS" (W. Hoermann, "The
 * transformed rejection method for generating Poisson random variables",
 * Insurance: Mathematics and Economics 12 (1993) 39-45), for mu >= 10.
 * Hand-written because GSL's gsl_ran_poisson draws through gamma variates and
 * costs 400-500 ns at the means a cohort produces (1,000 people x 1.55
 * events = 1,550; ten controls each = 15,500), about half of a path's time;
 * PTRS costs a few tens of ns with about 1.2 uniforms per draw. Exact: the
 * acceptance test compares with the Poisson log-probability itself
 * (tests/test_sample.c checks the distribution against GSL's pmf). */
static double poisson_ptrs(gsl_rng *r, double mu) {
    const double smu = sqrt(mu);
    const double b = 0.931 + 2.53 * smu;
    const double a = -0.059 + 0.02483 * b;
    const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
    const double v_r = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
        double u = rng_uniform(r) - 0.5;
        double v = rng_uniform_pos(r);
        double us = 0.5 - fabs(u);
        double k = floor((2 * a / us + b) * u + mu + 0.43);
        if (us >= 0.07 && v <= v_r) return k; /* the squeeze: accept at once */
        if (k < 0 || (us < 0.013 && v > us)) continue;
        /* Accept when log(v alpha^-1 / (a / us^2 + b)) <= log f(k), with
         * log f(k) = -mu + k log(mu) - log(k!): the paper's three logs of
         * the left side taken as one; log(mu) only here, as most draws are
         * accepted by the squeeze above. */
        if (log(v * inv_alpha / (a / (us * us) + b)) <= -mu + k * log(mu) - sample_log_factorial(k))
            return k;
    }
}

double sample_poisson(gsl_rng *r, double mu) {
    if (mu <= 0) return 0;
    if (mu >= 10) return poisson_ptrs(r, mu);
    return (double)gsl_ran_poisson(r, mu);
}

/* Negative binomial as a gamma mixture of Poissons: if lambda ~ Gamma(r,
 * m / r) (mean m, variance m^2 / r) and X | lambda ~ Poisson(lambda), then
 * X is negative binomial with mean m and variance m + m^2 / r (e.g.
 * Cameron & Trivedi, Regression Analysis of Count Data, 2nd ed., 2013,
 * section 4.2.2). The gamma draw is GSL's (Marsaglia & Tsang); the Poisson
 * draw is PTRS above, far faster than GSL's own negative binomial, which
 * draws its Poisson through gamma variates. */
double sample_negbin(gsl_rng *r, double shape, double mean) {
    if (!(mean > 0) || !(shape > 0)) return 0;
    return sample_poisson(r, gsl_ran_gamma(r, shape, mean / shape));
}

/* SplitMix64's output function (Steele, Lea & Flood 2014): a bijection on
 * 64-bit words with good avalanche, the standard way to derive seeds. */
static uint64_t mix64(uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* MurmurHash3's 32-bit finaliser: a bijection on 32-bit words. */
static uint32_t mix32(uint32_t h) {
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

/* GSL's generators take an unsigned long seed and most (mt19937, taus2,
 * ranlxd) use only its low 32 bits: random 32-bit seeds would collide
 * between blocks of one run (a birthday problem: likely beyond ~100,000
 * blocks). So the block number is added to a 32-bit base derived from the
 * scenario seed and passed through a bijection: the first 2^32 blocks of a
 * run get distinct seeds, hence distinct streams. The high word carries the
 * rest of the mixing for generators that use 64 bits. */
uint64_t sample_block_seed(uint64_t seed, uint64_t block) {
    uint64_t m = mix64(seed);
    uint32_t low = mix32((uint32_t)m + (uint32_t)block);
    uint64_t high = mix64(m ^ (block >> 32)) & 0xffffffff00000000ULL;
    return high | low;
}

/* Whether r's next numbers are a stream: eight uniforms, drawn from a
 * copy (r is left as it is), in [0, 1) and not all one value. NaN-safe;
 * 1 when there is no memory for the copy (nothing can be told then). */
static int draws_a_stream(const gsl_rng *r) {
    gsl_rng *c = gsl_rng_clone(r);
    if (c == NULL) return 1;
    const double u0 = gsl_rng_uniform(c);
    int ok = u0 >= 0 && u0 < 1, varied = 0;
    for (int i = 0; ok && i < 7; i++) {
        const double u = gsl_rng_uniform(c);
        ok = u >= 0 && u < 1;
        varied |= u != u0;
    }
    gsl_rng_free(c);
    return ok && varied;
}

/* The seeding written by hand: GSL documents a generator's seed as any
 * unsigned long, but some of its generators cannot take some seeds, and
 * GSL neither says which nor refuses them (but for ran0's one). Measured on
 * GSL 2.7 over every type it has (tests/test_rng.c): a seed whose low 32
 * bits are 0 and high ones not, or 2^31, leaves about twenty generators
 * (gfsr4, ranlxs0-2, taus, tt800, cmrg, mrg, ...) all zeros -- the
 * recurrences that fill their state from the seed stay at 0, or at 2^31,
 * there -- so they draw one value for ever; and minstd, ran0, ran1 and
 * ran2 keep a state below 2^31 - 1, so that a larger seed gave uniforms
 * of some 8e9 (minstd, ran0) or an index out of their shuffle table
 * (ran1, ran2: a crash in GSL). */
void sample_rng_seed(gsl_rng *r, uint64_t seed) {
    const gsl_rng_type *t = r->type;
    /* mt19937 fills its state by a recurrence with no fixed point, from
     * any seed: its runs are as ever, and no copy is made. */
    if (t == &rng_mt19937 || t == gsl_rng_mt19937) {
        gsl_rng_set(r, (unsigned long)seed);
        return;
    }
    const int narrow =
        t == gsl_rng_minstd || t == gsl_rng_ran0 || t == gsl_rng_ran1 || t == gsl_rng_ran2;
    for (uint64_t k = 0;; k++) {
        /* The seed itself first; a seed the generator cannot take is
         * replaced by the next of a fixed sequence after it, so that a
         * block's stream is still one function of (seed, block). */
        uint64_t s = k == 0 ? seed : mix64(seed + k);
        if (narrow) s = (s & 0xffffffffu) % 2147483647u;
        /* A seed the generator refuses (ran0's 123459876) leaves its state
         * as it was: cleared first, it is all zeros and fails the test
         * below, where it would have been the last block's. */
        memset(r->state, 0, t->size);
        gsl_rng_set(r, (unsigned long)s);
        if (k == 15 || draws_a_stream(r)) return;
    }
}

const gsl_rng_type *sample_rng_type(const char *name) {
    if (strcmp(name, rng_mt19937.name) == 0) return &rng_mt19937; /* GSL's, inline: rng.h */
    for (const gsl_rng_type **t = gsl_rng_types_setup(); *t != NULL; t++)
        if (strcmp((*t)->name, name) == 0) return *t;
    return NULL;
}
