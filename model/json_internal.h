/* json_internal.h -- what the JSON side of model/ (the loader's files,
 * json_check.c, json_pointer.c, document.c) shares. Not for use outside
 * model/: cJSON stays here. */
#ifndef SIB_JSON_INTERNAL_H
#define SIB_JSON_INTERNAL_H

#include <cjson/cJSON.h>

#include "error.h"

/* Check that text is one JSON text as RFC 8259 defines it, and as sibsim
 * reads it (no \u0000, numbers of at most 63 characters, at most 1000
 * levels of nesting, no byte order mark). SIB_OK, or SIB_ESYNTAX with
 * err's line, column (in characters) and message saying what was expected
 * and what was found at the first offending character. err->file is left
 * as it is. */
int json_check(const char *text, sib_error *err);

/* Parse text with cJSON after json_check: the only way sibsim should parse
 * JSON, since cJSON alone accepts what RFC 8259 refuses (leading zeros,
 * raw control characters, invalid UTF-8) and cuts strings short at \u0000.
 * name, when not NULL, becomes err->file. A text longer than SIB_FILE_MAX
 * (16 MiB) is refused as sib_file_read refuses such a file (SIB_EIO).
 * Returns the tree (free with cJSON_Delete), or NULL with err filled. */
cJSON *json_parse_checked(const char *text, const char *name, sib_error *err);

/* The byte offset of the first character of s (NUL-terminated) that is not
 * well-formed UTF-8 (RFC 3629: no overlong form, no surrogate, nothing
 * beyond U+10FFFF), with *why saying what is wrong; SIZE_MAX when s is all
 * UTF-8. The same rule as the checker's for strings in a file. */
size_t json_utf8_invalid(const char *s, const char **why);

/* Line and column (1-based) of byte offset pos in text, as an editor
 * numbers them: a new line after LF, after CRLF (one line end, not two) and
 * after a CR alone; one column per character, so UTF-8 continuation bytes
 * (10xxxxxx) are not counted. */
void json_line_col(const char *text, size_t pos, int *line, int *col);

/* Fill err with the line, column and reason of the first JSON syntax error
 * in text, as json_check does (for a caller whose cJSON parse failed). */
void json_syntax_error(const char *text, sib_error *err);

/* strtod in the C locale: a JSON number's point is read as the decimal
 * point whatever LC_NUMERIC says (the calling thread alone switches locale,
 * for the call). */
double json_strtod(const char *text, char **end);

/* snprintf("%.*g", precision, x), or "%.*f" when fixed, in the C locale:
 * a point, whatever LC_NUMERIC says. */
void json_format_number(char *buf, size_t size, int precision, double x, int fixed);

/* Every number -0 in the tree at node (written -0, -0.0, -0e5, or set by an
 * override) made 0. Zero has two signs in a double, and a -0 read as a rate
 * was printed "-0% a year"; a scenario's numbers mean the same with either
 * sign, so the loader reads none but +0. (The document keeps -0 as typed:
 * the file is the user's.) */
void json_unsign_zeros(cJSON *node);

/* Whether the number written tok (len bytes, a JSON number or a number as
 * a person types one) reads as the number it writes, to a double's
 * precision. *out is what it reads as. 0, or -1 with why (size bytes)
 * saying what was expected and what it would be read as, when it is
 *   beyond the largest double (about 1.8e308): read as infinity;
 *   not 0 but below the smallest (about 4.9e-324): read as 0;
 *   a whole number written in digits alone, beyond 2^53, that a double
 *   cannot hold exactly: read as another whole number.
 * Every other number reads as the double nearest to it, as any decimal
 * does (0.1): that is the precision of every number in sibsim. The loader
 * (through json_check) and the TUI (doc_number_read) refuse the same. */
int json_number_held(const char *tok, size_t len, double *out, char *why, size_t size);

/* The node at JSON Pointer `pointer` (RFC 6901, any length) in root. With
 * create, a missing last member of an object is added as null, and a
 * missing member on the way to it as an empty object (never an array's
 * element).
 * NULL with err filled (SIB_EINVAL and the pointer up to the token that
 * fails) when there is no such node, when a '~' is not followed by '0' or
 * '1', or when an array's token is not an index written as RFC 6901 writes
 * one ("0", or digits without a leading zero) within the array. */
cJSON *json_pointer_resolve(cJSON *root, const char *pointer, int create, sib_error *err);

/* As json_pointer_resolve; *parent (parent may be NULL) receives the object
 * or array that holds the node, found on the way down, so that a caller
 * replacing the node never has to resolve a cut copy of the pointer. */
cJSON *json_pointer_resolve_parent(cJSON *root, const char *pointer, int create,
                                   cJSON **parent, sib_error *err);

/* The first len bytes of pointer as an error shows them in buf (size
 * bytes, e.g. sizeof err->pointer): whole when they fit, else the start,
 * "..." and the end. */
void json_pointer_for_error(const char *pointer, size_t len, char *buf, size_t size);

/* Decode one reference token of a JSON Pointer (RFC 6901 section 4): "~1"
 * is '/', "~0" is '~'. Returns the length consumed from p (up to the next
 * '/' or the end); out (size bytes) receives the decoded token. */
size_t json_pointer_token(const char *p, char *out, size_t size);

/* Replace node, found at pointer in root, by the number value (keeping its
 * member name). SIB_OK, or err filled (SIB_EINVAL when node is not the node
 * at pointer, or is the root). */
int json_set_number(cJSON *root, cJSON *node, const char *pointer, double value,
                    sib_error *err);

#endif
