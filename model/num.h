/* num.h -- fmax and fmin, inline.
 *
 * GCC never inlines C's fmax and fmin (it must keep their NaN rules, which
 * SSE's maxsd does not follow), so each is a call into libm; on the
 * engine's paths they ran some 40 times a future. These give exactly what
 * glibc's give: a NaN argument yields the other argument, and equal
 * arguments (-0 and +0 included) yield the first. */
#ifndef SIB_NUM_H
#define SIB_NUM_H

static inline double num_max(double a, double b) { return (a >= b || b != b) ? a : b; }
static inline double num_min(double a, double b) { return (a <= b || b != b) ? a : b; }

#endif
