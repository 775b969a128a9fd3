/* indigo_cmd.h -- `sibsim import indigo` and `sibsim calibrate`
 * (cli/indigo_cmd.c). Front-end only. */
#ifndef SIB_INDIGO_CMD_H
#define SIB_INDIGO_CMD_H

#include "../model/scenario.h"
#include "options.h"

/* import indigo RECORD [--id ID] [-o FILE]: o->files are "indigo" and the
 * record. Returns the exit status (2: bad usage or a malformed record). */
int cmd_import(const run_opts *o);

/* calibrate: run sc (loaded from shown) and set it beside the INDIGO
 * record. Returns the exit status. */
int cmd_calibrate(const run_opts *o, scenario *sc, const char *shown);

#endif
