/* output.c -- the command line's side of the one writer. See output.h. */
#include "output.h"

#include <stdlib.h>
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
