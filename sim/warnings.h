/* warnings.h -- likely mistakes in a scenario that loads.
 *
 * The loader refuses what cannot be meant (a negative size, a share above 1,
 * a gate that reads the future). A warning is the other kind of mistake:
 * a scenario that is valid but is probably not what its author meant -- a
 * relative effect written in percent (15 for 0.15), a return cap of 8 (800%
 * a year), a trigger that no plausible measured effect reaches, a cap below
 * a single payment, a bond that commits less than the delivery it funds.
 * docs/scenario-format.md#warnings lists every check, its threshold and
 * what it means; the thresholds are also stated beside each check in
 * warnings.c and warnings_money.c.
 *
 * Why in sim/ and not model/: several checks compare a threshold with the
 * quantiles of a prior (the effect prior's 99.9th percentile, a stage's
 * engagement and multiplier at their 0.1st and 99.9th), and the quantiles
 * are sample_prior_quantile() in sim/sample.c, built on GSL's inverse CDFs.
 * model/ may not include sim/, and moving the quantile function into model/
 * would change files this module does not own; so the module lives here,
 * where sim/ may include model/. It uses nothing else of the engine: no
 * random numbers, no paths, no engine_new.
 *
 * Pure: no printing, no allocation, no global state (GSL's error handler
 * should be off, as for any use of GSL; see engine.h). The front ends print
 * the warnings (validate and run on stderr; --strict makes them errors).
 */
#ifndef SIB_WARNINGS_H
#define SIB_WARNINGS_H

#include <stddef.h>

#include "../model/scenario.h"

/* One warning: the JSON Pointer (RFC 6901) of the field it is about, as the
 * loader's errors give it (/outcomes/0/effect/prior/mean,
 * /contract/payments/2/trigger, /financing/1/tranches/0/return_cap), and
 * what is probably meant, in one line without the pointer. Both are always
 * NUL-terminated (cut if too long). */
typedef struct sib_warning {
    char pointer[256];
    char message[400];
} sib_warning;

/* The warnings of a scenario that loaded: fills out[0 .. max-1] with the
 * first max of them, in a fixed order (simulation, stages, outcomes,
 * contract, financing; within each, in the order of the file), and returns
 * how many there are in all, which may be more than max (as snprintf does).
 * out may be NULL when max is 0. */
size_t scenario_warnings(const scenario *sc, sib_warning *out, size_t max);

#endif
