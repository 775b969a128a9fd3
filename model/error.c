/* error.c -- filling and rendering sib_error values. See error.h. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sib_error_clear(sib_error *err) {
    if (err == NULL) return;
    memset(err, 0, sizeof *err);
}

int sib_error_set(sib_error *err, int code, const char *pointer, const char *fmt, ...) {
    if (err == NULL) return code;
    err->code = code;
    snprintf(err->pointer, sizeof err->pointer, "%s", pointer ? pointer : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

const char *sib_error_format(const sib_error *err, char *buf, size_t size) {
    if (size == 0) return buf;
    if (err == NULL || err->code == SIB_OK) {
        snprintf(buf, size, "no error");
        return buf;
    }
    const char *file = err->file[0] ? err->file : "<scenario>";
    if (err->line > 0)
        snprintf(buf, size, "%s:%d:%d: %s", file, err->line, err->col, err->message);
    else if (err->pointer[0])
        snprintf(buf, size, "%s: %s: %s", file, err->pointer, err->message);
    else if (err->file[0])
        snprintf(buf, size, "%s: %s", file, err->message);
    else
        snprintf(buf, size, "%s", err->message);
    return buf;
}
