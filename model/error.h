/* error.h -- errors as values.
 *
 * Every fallible function below the front ends returns a status (0 = ok) and,
 * when it fails, fills a caller-supplied sib_error. Nothing in model/ or sim/
 * prints, exits or aborts; the front end decides how to show the message.
 *
 * A scenario error carries where it happened: the file, and either the line
 * and column of a JSON syntax error or the JSON Pointer (RFC 6901) of the
 * field whose meaning is wrong. sib_error_format() renders the conventional
 * one-line form:
 *
 *     file:LINE:COL: message                 (syntax)
 *     file: /json/pointer: message           (meaning)
 *     file: message                          (I/O)
 */
#ifndef SIB_ERROR_H
#define SIB_ERROR_H

#include <stddef.h>

enum {
    SIB_OK = 0,
    SIB_EIO = 1,      /* a file could not be read or written */
    SIB_ESYNTAX = 2,  /* the text is not valid JSON */
    SIB_EINVAL = 3,   /* valid JSON, but a field is missing, unknown or out of range */
    SIB_ENOMEM = 4,   /* an allocation failed */
    SIB_ENUMERIC = 5, /* a numerical routine failed (e.g. a matrix not positive definite) */
    SIB_ECANCEL = 6   /* a run was cancelled by its progress callback */
};

typedef struct sib_error {
    int code;           /* one of SIB_E*; SIB_OK when nothing went wrong */
    char file[256];     /* the file the error is about, "" when none */
    int line, col;      /* 1-based position of a syntax error, 0 otherwise */
    char pointer[256];  /* JSON Pointer of the field, "" when none */
    char message[512];  /* what was expected and what was found */
} sib_error;

/* Reset an error to "no error". Safe on NULL. */
void sib_error_clear(sib_error *err);

/* Fill err (if not NULL) with code, pointer and a printf-style message.
 * The file is left as it is (the loader sets it once). Returns code so that
 * callers can write `return sib_error_set(err, SIB_EINVAL, ptr, "...")`. */
int sib_error_set(sib_error *err, int code, const char *pointer, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Render err in the one-line form above into buf (always NUL-terminated).
 * Returns buf. */
const char *sib_error_format(const sib_error *err, char *buf, size_t size);

#endif
