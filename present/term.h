/* term.h -- a scenario's fields named and valued for people.
 *
 * The analyses address a term by JSON Pointer (RFC 6901), which is exact
 * but unreadable in a table: /contract/payments/1/price is, to a reader,
 * the price of the payment rule named "final true-up". These functions
 * name a pointer from the scenario it points into, and give the unit of
 * its value (from the field reference, docs/scenario-format.md), so that a
 * sweep's grid, a tornado's bars and a solved value are shown as money,
 * percentages, years or multiples.
 *
 * Pure functions; the scenario is read, never written.
 */
#ifndef SIB_PRESENT_TERM_H
#define SIB_PRESENT_TERM_H

#include <stddef.h>

#include "../model/scenario.h"

/* The unit of a scenario field's value. */
typedef enum {
    TERM_NUMBER, /* a plain number (a hazard, a score, a distribution's shape) */
    TERM_MONEY,  /* in the scenario's currency */
    TERM_SHARE,  /* a fraction shown as a percentage: a rate, a share, a trigger on a
                    relative scale, a probability */
    TERM_COUNT,  /* a whole number: people, paths */
    TERM_YEARS,  /* a time or a lag */
    TERM_FACTOR  /* a multiplier: an overrun, a volume, an effect multiplier */
} term_unit;

/* The name of the field at `pointer` in sc, for people, into buf:
 *   /contract/payments/1/price       price of payment "final true-up"
 *   /stages/0/costs/fixed_per_year   fixed cost a year of stage "delivery"
 *   /outcomes/0/effect/prior         true effect on outcome "reconviction_events"
 *   /outcomes/0/effect/prior/mean    mean of the true effect on outcome "..."
 *   /financing/0/tranches/0/coupon   coupon of tranche "senior" (of "SIB" when the
 *                                    scenario has several structures)
 * A field the scenario does not have (an index out of range) or a pointer
 * outside the known sections is named by the pointer itself. Returns buf. */
const char *present_term_name(char *buf, size_t size, const scenario *sc, const char *pointer);

/* The unit of the number at `pointer` in sc (a field on "the outcome's
 * effect scale" is a percentage when the effect is relative or the outcome
 * a rate, else a plain number). TERM_NUMBER when unknown. */
term_unit present_term_unit(const scenario *sc, const char *pointer);

/* x in unit u, as a table shows it: money compactly ("£630k"), a share to
 * four figures ("6.75%"), "2.5 years", "1.2x", a count with thousands
 * separators. Returns buf. */
const char *present_term_value(char *buf, size_t size, const char *currency, term_unit u, double x);

/* x in unit u with the digits a solved value needs: money to the penny
 * with thousands separators ("£11,734.49"), six figures otherwise
 * ("7.51234%"). Returns buf. */
const char *present_term_exact(char *buf, size_t size, const char *currency, term_unit u, double x);

#endif
