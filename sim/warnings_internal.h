/* warnings_internal.h -- what the checks of sim/warnings.c and
 * sim/warnings_money.c share: the sink a check writes its warnings to, the
 * formatters of their messages, and the money checks warnings.c runs.
 * Internal to the warnings, not part of sim/'s interface (warnings.h is). */
#ifndef SIB_WARNINGS_INTERNAL_H
#define SIB_WARNINGS_INTERNAL_H

#include <stddef.h>

#include "../model/scenario.h"
#include "warnings.h"

/* A cohort of fewer than 10 people cannot be measured: was it written in
 * thousands? */
#define COHORT_SMALL 10.0

/* Where the checks write: out[0 .. max) of the caller's array, n counting
 * every warning found, kept or not. */
typedef struct wn_sink {
    const scenario *sc;
    sib_warning *out;
    size_t max, n;
} wn_sink;

/* Add a warning about the field at pointer: both made visible
 * (sib_visible), the message cut between two characters when too long. */
void wn_warn(wn_sink *w, const char *pointer, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* An amount of money as "GBP 1,234,567" (cents only when there are any).
 * Returns buf. */
const char *wn_money(char *buf, size_t size, const scenario *sc, double x);

/* A member name as a JSON Pointer writes it (RFC 6901: "~" as "~0", "/"
 * as "~1"), into buf. */
void wn_escape_member(char *buf, size_t size, const char *name);

/* Whether a financing type raises investors' capital: sib, outcomes_fund
 * or dib. */
int wn_bond_like(financing_type t);

/* The smallest single payment rule r makes when it pays; *what names it
 * (warnings_money.c). */
double wn_unit_payment(const payment_rule *r, const char **what);

/* A cap on all payments, an outcome's or a payer's below the smallest
 * single payment it caps (warnings_money.c). */
void wn_check_contract_caps(wn_sink *w);

/* Outcome payments that cannot come to a tenth of the capital committed:
 * prices, amounts or caps written in thousands (warnings_money.c). */
void wn_check_payable(wn_sink *w);

#endif
