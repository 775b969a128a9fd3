/* sources.h -- a scenario's sources and assumptions as `sibsim validate
 * --verbose` prints them: each source with its address and note, and each
 * assumption beside its field's value, with its status and the sources it
 * cites. Front-end only; the TUI and the report read the same structs
 * (model/scenario.h: sc->sources, sc->assumptions, scenario_assumptions_at).
 */
#ifndef SIB_SOURCES_H
#define SIB_SOURCES_H

#include <stdio.h>

#include "../model/scenario.h"

/* Print sc's sources and assumptions to out, indented under the `validate`
 * line, notes wrapped to 100 columns; "no sources" / "no assumptions" when
 * the scenario has none. */
void sources_print(FILE *out, const scenario *sc);

#endif
