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
 *
 * Text from the input (a string's value, an unknown field's name, a JSON
 * Pointer, a file name) reaches a terminal only made visible, as
 * sib_visible() below writes it: sib_error_set() keeps the pointer and the
 * message in that form, sib_error_format() renders the file, the pointer
 * and the message so, and every cut of them falls between two characters.
 * So an input cannot clear the screen, recolour it or forge a line of
 * output by escape sequences or newlines in its strings.
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

/* Fill err (if not NULL) with code, pointer and a printf-style message,
 * both made visible (sib_visible) and cut, when too long for their fields,
 * between two characters. The file is left as it is (the loader sets it
 * once). Returns code so that callers can write
 * `return sib_error_set(err, SIB_EINVAL, ptr, "...")`. */
int sib_error_set(sib_error *err, int code, const char *pointer, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Render err in the one-line form above into buf (always NUL-terminated
 * when size > 0): the file, the pointer and the message made visible
 * (sib_visible: the file is often set without sib_error_set), cut between
 * two characters when buf is too small. Returns buf. */
const char *sib_error_format(const sib_error *err, char *buf, size_t size);

/* ---------------------------------------------------- text from the input */

/* Copy src into dst (size bytes; NUL-terminated when size > 0) with every
 * control character made visible, for a message, a table or a screen:
 *
 *     tab, newline, carriage return       \t  \n  \r
 *     another C0 control (U+0000-U+001F)  \x and two hex digits: ESC is \x1b
 *     DEL (U+007F)                        \x7f
 *     a C1 control (U+0080-U+009F)        \u and four hex digits: \u009b
 *     a byte that is not part of          \x and its two hex digits: \xff
 *     well-formed UTF-8 (RFC 3629)
 *
 * Everything else, a backslash included, is copied as it is: the visible
 * form is for people to read, not to decode, and text already visible is
 * left unchanged (so that it may be made visible twice). A copy too long
 * for dst is cut before the first character or escape that does not fit
 * (never within one), without a marker: a caller that shows cuts adds its
 * own. dst and src must not overlap. Returns dst. */
const char *sib_visible(char *dst, size_t size, const char *src);

/* The length of the longest prefix of s, of at most max bytes, that does
 * not end within a UTF-8 character: strlen(s) when that is no more than max
 * and s ends in a whole character, else less by the bytes of the character
 * that would be cut in two (or that s itself ends in the middle of: a
 * buffer snprintf filled to the brim is made whole by
 * `buf[sib_utf8_cut(buf, sizeof buf)] = '\0'`). For "%.*s" with a precision
 * on text from the input. */
size_t sib_utf8_cut(const char *s, size_t max);

#endif
