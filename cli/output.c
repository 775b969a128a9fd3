/* output.c -- atomic file output for every command. See output.h. */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* mkstemp, fchmod */
#endif
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../model/scenario.h"

int output_open(output *o, const char *path) {
    memset(o, 0, sizeof *o);
    if (path == NULL) {
        o->f = stdout;
        return 0;
    }
    size_t n = strlen(path);
    o->path = strdup(path);
    o->tmp = malloc(n + 16);
    if (o->path == NULL || o->tmp == NULL) {
        fprintf(stderr, "sibsim: %s: out of memory\n", path);
        output_abort(o);
        return -1;
    }
    snprintf(o->tmp, n + 16, "%s.tmp.XXXXXX", path);
    mode_t mode = (mode_t)scenario_file_mode(path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        fprintf(stderr, "sibsim: %s: cannot create a temporary file: %s\n", path, strerror(errno));
        free(o->tmp);
        o->tmp = NULL;
        output_abort(o);
        return -1;
    }
    (void)fchmod(fd, mode); /* not mkstemp's 0600 */
    o->f = fdopen(fd, "w");
    if (o->f == NULL) {
        fprintf(stderr, "sibsim: %s: %s\n", path, strerror(errno));
        close(fd);
        output_abort(o);
        return -1;
    }
    return 0;
}

int output_commit(output *o) {
    if (o->path == NULL) {
        int bad = ferror(stdout) || fflush(stdout) != 0;
        if (bad) fprintf(stderr, "sibsim: cannot write the output: %s\n", strerror(errno));
        return bad ? -1 : 0;
    }
    int err = 0;
    if (ferror(o->f)) err = errno ? errno : EIO;
    if (!err && fflush(o->f) != 0) err = errno;
    if (!err && fsync(fileno(o->f)) != 0) err = errno;
    if (fclose(o->f) != 0 && !err) err = errno;
    o->f = NULL;
    if (!err && rename(o->tmp, o->path) != 0) err = errno;
    if (err) {
        fprintf(stderr, "sibsim: %s: cannot write: %s\n", o->path, strerror(err));
        output_abort(o);
        return -1;
    }
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof *o);
    return 0;
}

void output_abort(output *o) {
    if (o->f != NULL && o->f != stdout) fclose(o->f);
    if (o->tmp != NULL) unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof *o);
}

int output_emit(const char *path, const char *buf, size_t len) {
    output o;
    if (output_open(&o, path) != 0) return -1;
    if (len > 0 && fwrite(buf, 1, len, o.f) != len) {
        int err = errno;
        fprintf(stderr, "sibsim: %s: cannot write: %s\n", path ? path : "stdout", strerror(err));
        if (path) output_abort(&o);
        return -1;
    }
    return output_commit(&o);
}
