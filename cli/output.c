/* output.c -- the command line's side of the one writer. See output.h. */
#include "output.h"

#include <string.h>

static void report(const sib_error *err) {
    char buf[1200];
    fprintf(stderr, "sibsim: %s\n", sib_error_format(err, buf, sizeof buf));
}

int output_open(output *o, const char *path) {
    memset(o, 0, sizeof *o);
    sib_error err;
    if (sib_writer_open(path, &o->w, &err) != SIB_OK) {
        report(&err);
        return -1;
    }
    o->f = sib_writer_stream(o->w);
    return 0;
}

int output_commit(output *o) {
    sib_error err;
    int rc = sib_writer_commit(o->w, &err);
    memset(o, 0, sizeof *o);
    if (rc != SIB_OK) {
        report(&err);
        return -1;
    }
    return 0;
}

void output_abort(output *o) {
    sib_writer_abort(o->w);
    memset(o, 0, sizeof *o);
}

int output_emit(const char *path, const char *buf, size_t len) {
    sib_error err;
    if (sib_file_write(path, buf, len, &err) != SIB_OK) {
        report(&err);
        return -1;
    }
    return 0;
}
