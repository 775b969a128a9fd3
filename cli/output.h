/* output.h -- the command line's side of the one writer (model/file.h):
 * every command's output (a report, a sweep, a ledger, a paths file) goes
 * to stdout, or with --out to a file written by the writer's rules (atomic
 * for a regular file, following a symbolic link, in place for a FIFO or a
 * device), and a failure is reported on stderr with its real cause.
 * Front-end only.
 */
#ifndef SIB_OUTPUT_H
#define SIB_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "../model/file.h"
#include "provenance.h"
#include "report.h"

typedef struct output {
    FILE *f;       /* write here */
    sib_writer *w;
    int is_stdout; /* f is standard output */
} output;

/* Open an output for path (NULL: stdout). Returns 0, or -1 after printing
 * why to stderr. */
int output_open(output *o, const char *path);

/* Whether path (NULL: stdout) can be written now, before the work that
 * fills it (sib_file_can_write): 0, or -1 after the message output_open
 * would print ("cannot create a file in DIR: No such file or directory"). */
int output_check(const char *path);

/* Finish (flush, sync, rename into place). Returns 0, or -1 after printing
 * the real cause to stderr (the old file is intact). */
int output_commit(output *o);

/* Give up: the old file stays as it was. */
void output_abort(output *o);

/* Give up after a write to o->f failed with errno errnum (0: not known):
 * print "sibsim: what: CAUSE" on stderr, then output_abort. */
void output_fail(output *o, const char *what, int errnum);

/* Write len bytes of buf to path (NULL: stdout). Returns 0 or -1 (after a
 * message). */
int output_emit(const char *path, const char *buf, size_t len);

/* Write the document buf, a command's whole output in format fmt, as
 * output_emit does: a JSON or CSV document with the provenance p added
 * (provenance.h), a table as it is. Returns 0 or -1 (after a message). */
int output_emit_doc(const char *path, report_format fmt, const provenance *p, const char *buf,
                    size_t len);

/* Flush standard output now (a command does, to put its lines before a
 * message on stderr). Returns 0, or -1 when it failed: output_close_stdout
 * then reports it with its cause. */
int output_flush_stdout(void);

/* The end of every command, when nothing more will be written: flush and
 * close standard output. When that fails, or an earlier write to it did,
 * the cause is printed on stderr ("sibsim: writing standard output: No
 * space left on device") unless a message of the functions above already
 * gave it, and a status of 0 becomes 1: a command whose output was lost
 * never reports success. A standard output closed before the start that
 * nothing was written to is no failure. Returns the status to exit with. */
int output_close_stdout(int status);

#endif
