/* format.h -- numbers, money and columns as people read them.
 *
 * Presentation shared by the command line (cli/) and the terminal UI
 * (tui/): money compactly with its currency's symbol, rates and shares as
 * percentages, multiples as "1.25x", counts with thousands separators, and
 * columns aligned by characters rather than bytes. Pure functions over
 * caller-supplied buffers; no curses, no state.
 */
#ifndef SIB_FORMAT_H
#define SIB_FORMAT_H

#include <stddef.h>
#include <stdio.h>

#include "../sim/engine.h"

/* Format x in a metric's unit: money compactly with its symbol, rates and
 * shares as percentages, multiples as "1.25x", counts of 100 and more whole
 * with thousands separators ("2,000"), smaller ones in three figures; "n/a"
 * for NaN. Returns buf. */
const char *present_value(char *buf, size_t size, const char *currency, metric_unit unit,
                          double x);

/* Format an amount of money compactly with the currency's symbol
 * ("£1.25m", "$512k", "CHF 3.20bn", "£840tn"; from a thousand trillion
 * on, "£2.0e15"): never wider than "£999.99bn" and a sign. Returns buf. */
const char *present_money(char *buf, size_t size, const char *currency, double x);

/* An amount of money in full, to the penny, with thousands separators
 * ("£11,734.49", "-CHF 1,200.00"): a value solved for. Returns buf. */
const char *present_money_exact(char *buf, size_t size, const char *currency, double x);

/* The symbol an amount in this currency is written with ("£" for GBP, "$"
 * for USD, "€" for EUR), or NULL when amounts are written with the ISO code
 * and a space ("CHF 3.2m"): for axis labels that choose their own digits. */
const char *present_currency_symbol(const char *currency);

/* A financing type in words: "payment by results", "social impact bond". */
const char *present_financing_type(financing_type t);

/* A standard error: "±" and the value in its unit, one more digit for
 * shares, rates and multiples; "" for NaN. Returns buf. */
const char *present_se(char *buf, size_t size, const char *currency, metric_unit unit, double x);

/* x written as printf's "%.*f" writes it with `decimals` decimals, then
 * `suffix` ("%", " pp", "x"), except that a value that rounds to zero has
 * no minus sign: "0.0 pp", never "-0.0 pp", which reads as a fall where
 * there is none. x is the number as shown (a rate times 100 for "%").
 * Returns buf. */
const char *present_fixed(char *buf, size_t size, int decimals, double x, const char *suffix);

/* A difference of two values in one unit (B - A, a tornado's swing): as
 * present_value, except that a difference of two rates or shares is in
 * percentage points ("2.7 pp", "-42.1 pp"), never "%", which reads as a
 * relative change. Returns buf. */
const char *present_change(char *buf, size_t size, const char *currency, metric_unit unit,
                           double x);

/* The standard error of such a difference: "±0.43 pp" for rates and
 * shares, else as present_se. Returns buf. */
const char *present_change_se(char *buf, size_t size, const char *currency, metric_unit unit,
                              double x);

/* An amount written beside its standard error se: compact, as
 * present_money, while the SE is half a unit of the currency or more, or
 * the amount is a thousand or more (written in k, m, bn); below, in the
 * decimals present_se writes that SE with, so that the amount is not
 * rounded more coarsely than its own uncertainty ("€0.83 (SE €0.09)", not
 * "€1 (SE €0.09)", and "-€0.04", not "€0"). Returns buf. */
const char *present_money_beside_se(char *buf, size_t size, const char *currency, double x,
                                    double se);

/* An SE of present_se or present_change_se without its "±", for a place
 * whose label already says it is one (a column headed "+- SE", the TUI's
 * "SE(IRR)"): a pointer into se, past the sign. */
const char *present_se_unsigned(const char *se);

/* A unit as the CSV and JSON give it: "money", "annual_rate", "share",
 * "multiple", "count". */
const char *present_unit_name(metric_unit u);

/* A count with thousands separators: 100000 -> "100,000". Returns buf. */
const char *present_count(char *buf, size_t size, unsigned long long n);

/* x with `decimals` decimals as printf's "%.*f" writes it, its whole part
 * with thousands separators: 1999.5 -> "1,999.5" (a minus sign kept on a
 * value that rounds to zero from below, as printf keeps it); past 10^15
 * in three significant figures. Returns buf. */
const char *present_fixed_grouped(char *buf, size_t size, int decimals, double x);

/* x rounded to a whole number, with thousands separators: -1234.4 ->
 * "-1,234", -0.2 -> "0"; "n/a" for NaN; past 10^18 in three significant
 * figures. For counts held as doubles (participants, outcomes). Returns
 * buf. */
const char *present_whole(char *buf, size_t size, double x);

/* Print s right-aligned in a column of `width` display columns after a
 * space (present_width: "£", "€" and "±" are several bytes, one column). */
void present_col(FILE *out, const char *s, int width);

/* A CSV field (RFC 4180): as it is, or in double quotes with quotes
 * doubled when it holds a comma, a quote or a newline. */
void present_csv_field(FILE *out, const char *s);

/* A finite number with every digit, "%.17g", and a zero as "0", never
 * "-0": what present_csv_number and present_json_number write, for a
 * field of its own (the first of a CSV line). */
void present_number(FILE *out, double x);

/* A number for CSV: ",%.17g" (a zero as ",0", never ",-0"), or a bare ","
 * when it is not finite (an empty field). */
void present_csv_number(FILE *out, double x);

/* A JSON string, escaped (RFC 8259). */
void present_json_string(FILE *out, const char *s);

/* A JSON number with every digit (%.17g; a zero as 0, never -0), or null
 * when not finite. */
void present_json_number(FILE *out, double x);

#endif
