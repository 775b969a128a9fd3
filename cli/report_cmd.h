/* report_cmd.h -- `sibsim report`: the committee paper, one self-contained
 * HTML file (present/paper.h). Front-end only. */
#ifndef SIB_REPORT_CMD_H
#define SIB_REPORT_CMD_H

#include "options.h"

/* Run the scenario in text (name: the file shown in messages and on the
 * page), compute everything the paper shows and write it to stdout or
 * o->out. Returns the exit status: 0; 1 when the run or the output failed;
 * 2 for bad input (a scenario that does not load, a --metric that names no
 * metric). */
int cmd_report_text(const run_opts *o, const char *text, const char *name);

#endif
