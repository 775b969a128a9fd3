/* json_internal.h -- what the JSON side of model/ (the loader's files,
 * json_check.c, json_pointer.c, document.c) shares. Not for use outside
 * model/: cJSON stays here. */
#ifndef SIB_JSON_INTERNAL_H
#define SIB_JSON_INTERNAL_H

#include <cjson/cJSON.h>

#include "error.h"

/* Fill err with the line, column and reason of the first JSON syntax error
 * in text (call it when cJSON could not parse text). */
void json_syntax_error(const char *text, sib_error *err);

/* The node at JSON Pointer `pointer` (RFC 6901) in root. With create, a
 * missing last member of an existing object is added as null. NULL with err
 * filled (SIB_EINVAL and the pointer) when there is no such node. */
cJSON *json_pointer_resolve(cJSON *root, const char *pointer, int create, sib_error *err);

/* Decode one reference token of a JSON Pointer (RFC 6901 section 4): "~1"
 * is '/', "~0" is '~'. Returns the length consumed from p (up to the next
 * '/' or the end); out (size bytes) receives the decoded token. */
size_t json_pointer_token(const char *p, char *out, size_t size);

/* Replace node, found at pointer in root, by the number value (keeping its
 * member name). SIB_OK, or err filled. */
int json_set_number(cJSON *root, cJSON *node, const char *pointer, double value,
                    sib_error *err);

#endif
