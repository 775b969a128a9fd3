/* output.c -- the command line's side of the one writer. See output.h. */
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A failure to write standard output has been reported: the check at the
 * end (output_close_stdout) does not report it twice. */
static int stdout_said;
/* The errno of a failed output_flush_stdout: a failed flush empties the
 * buffer, and the flush at the end would no longer know the cause. */
static int stdout_cause;

/* Report a failure of the writer to path (NULL: standard output). */
static void report(const sib_error *err, int to_stdout) {
    char buf[1200];
    sib_error named = *err;
    if (to_stdout) {
        stdout_said = 1;
        if (named.file[0] == '\0') snprintf(named.file, sizeof named.file, "standard output");
    }
    fprintf(stderr, "sibsim: %s\n", sib_error_format(&named, buf, sizeof buf));
}

int output_open(output *o, const char *path) {
    memset(o, 0, sizeof *o);
    sib_error err;
    if (sib_writer_open(path, &o->w, &err) != SIB_OK) {
        report(&err, path == NULL);
        return -1;
    }
    o->f = sib_writer_stream(o->w);
    o->is_stdout = path == NULL;
    return 0;
}

int output_check(const char *path) {
    sib_error err;
    if (sib_file_can_write(path, &err) != SIB_OK) {
        report(&err, 0);
        return -1;
    }
    return 0;
}

int output_commit(output *o) {
    sib_error err;
    int rc = sib_writer_commit(o->w, &err);
    const int to_stdout = o->is_stdout;
    memset(o, 0, sizeof *o);
    if (rc != SIB_OK) {
        report(&err, to_stdout);
        return -1;
    }
    return 0;
}

void output_abort(output *o) {
    sib_writer_abort(o->w);
    memset(o, 0, sizeof *o);
}

void output_fail(output *o, const char *what, int errnum) {
    if (o->is_stdout) stdout_said = 1;
    fprintf(stderr, "sibsim: %s: %s\n", what, errnum ? strerror(errnum) : "a write failed");
    output_abort(o);
}

int output_emit(const char *path, const char *buf, size_t len) {
    sib_error err;
    if (sib_file_write(path, buf, len, &err) != SIB_OK) {
        report(&err, path == NULL);
        return -1;
    }
    return 0;
}

int output_emit_doc(const char *path, report_format fmt, const provenance *p, const char *buf,
                    size_t len) {
    if (fmt == FORMAT_TABLE) return output_emit(path, buf, len);
    char *doc = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&doc, &n);
    if (f == NULL) {
        fprintf(stderr, "sibsim: cannot write the output: out of memory\n");
        return -1;
    }
    int rc = fmt == FORMAT_JSON ? provenance_add_json(f, p, buf, len)
                                : provenance_add_csv(f, p, buf, len);
    if (fclose(f) != 0 || rc != 0) {
        /* A JSON output that is not an object, or an empty CSV output, is a
         * bug of the command that wrote it: say so rather than write it
         * without its provenance. */
        fprintf(stderr, "sibsim: internal error: the %s output has no place for its provenance\n",
                fmt == FORMAT_JSON ? "JSON" : "CSV");
        free(doc);
        return -1;
    }
    rc = output_emit(path, doc, n);
    free(doc);
    return rc;
}

int output_flush_stdout(void) {
    errno = 0;
    if (fflush(stdout) == 0) return 0;
    if (stdout_cause == 0) stdout_cause = errno;
    return -1;
}

int output_close_stdout(int status) {
    /* As GNU's close_stdout: the flush gives the cause of a failure
     * (ENOSPC, EPIPE with SIGPIPE ignored, EBADF when stdout was closed
     * and written to); fclose's EBADF alone is a stdout closed before the
     * start and never written to. */
    int failed = ferror(stdout) != 0, cause = stdout_cause;
    errno = 0;
    if (fflush(stdout) != 0) {
        failed = 1;
        if (cause == 0) cause = errno;
    }
    errno = 0;
    if (fclose(stdout) != 0 && !failed && errno != EBADF) {
        failed = 1;
        cause = errno;
    }
    if (!failed) return status;
    if (!stdout_said)
        fprintf(stderr, "sibsim: writing standard output: %s\n",
                cause ? strerror(cause) : "a write failed, its cause not known");
    return status == 0 ? 1 : status;
}
