/* output.h -- the one way the command line writes a file.
 *
 * Every command's output (a report, a sweep, a ledger, a paths file) goes
 * to stdout, or with --out to a file written atomically: a temporary file
 * beside it ("FILE.tmp.XXXXXX", with the permissions the file has or a new
 * one would get), flushed to disk and renamed over FILE only when complete.
 * A reader never sees half a report, and a failed run never destroys the
 * old file. Front-end only.
 */
#ifndef SIB_OUTPUT_H
#define SIB_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

typedef struct output {
    FILE *f;        /* write here */
    char *path;     /* the destination, NULL for stdout */
    char *tmp;      /* the temporary file */
} output;

/* Open an output for path (NULL: stdout). Returns 0, or -1 after printing
 * why to stderr. */
int output_open(output *o, const char *path);

/* Finish: flush, sync and rename into place (or flush stdout). Returns 0,
 * or -1 after printing the real cause to stderr (the old file is intact). */
int output_commit(output *o);

/* Give up: remove the temporary file. */
void output_abort(output *o);

/* Write len bytes of buf to path (NULL: stdout) through an output. Returns
 * 0 or -1 (after a message). */
int output_emit(const char *path, const char *buf, size_t len);

#endif
