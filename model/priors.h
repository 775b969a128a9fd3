/* priors.h -- the prior library: named priors calibrated on a record of
 * real deals (priors/indigo.json, the INDIGO impact bond dataset), which a
 * scenario uses by name in any prior field:
 *
 *     "prior": {"from": "indigo:achieved_vs_target:employment"}
 *     "volume": {"from": "indigo:referral_volume"}
 *     "prior": {"from": "indigo:achieved_vs_target", "scale": 0.15, "shift": -0.03}
 *
 * A library entry holds the record's figures (its quartiles and sample
 * size), the distribution fitted to them and how it was fitted. With
 * "scale" k (> 0) and "shift" s the draw is s + k x X, X drawn from the
 * library's prior (a lognormal cannot be shifted).
 *
 * The library is compiled into the binary from priors/indigo.json (the
 * Makefile generates build/prior_library.c), so loading a scenario never
 * reads a file and the core keeps no state; `make install` installs the same
 * file beside the scenario library for people to read. Names are
 * "LIBRARY:ENTRY"; the only library is "indigo".
 */
#ifndef SIB_PRIORS_H
#define SIB_PRIORS_H

#include <stddef.h>

#include "error.h"
#include "scenario.h"

#define PRIOR_NAME_MAX 80

/* What the record says about one entry: NaN where it gives no figure. */
typedef struct prior_record {
    char name[PRIOR_NAME_MAX]; /* full name, "indigo:referral_volume" */
    char what[300];            /* what is measured, for people */
    char unit[80];
    double n; /* sample size (projects or metrics) */
    double min, p10, q1, median, q3, p90, max;
    prior p; /* the fitted prior (slot unused) */
} prior_record;

/* The JSON text of the compiled-in library (priors/indigo.json). */
const char *prior_library_text(void);

/* Look up the entry `name` ("indigo:ENTRY") in the compiled-in library.
 * SIB_OK and *out filled, or SIB_EINVAL with err's message naming the
 * nearest names ("did you mean ...") and the pointer left empty. */
int prior_library_find(const char *name, prior_record *out, sib_error *err);

/* How many entries the library has, and the full name of entry i (into
 * buf, size bytes); returns 0 when i is past the end. */
size_t prior_library_count(void);
int prior_library_name(size_t i, char *buf, size_t size);

#endif
