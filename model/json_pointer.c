/* json_pointer.c -- JSON Pointers (RFC 6901): decoding, resolution in a
 * cJSON tree, and setting a number at a pointer (the overrides of sweeps,
 * solvers and named cases). See json_internal.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_internal.h"

/* ---------------------------------------------------------------- tokens */

/* Decode one reference token of a JSON Pointer (RFC 6901 section 4): "~1"
 * is '/', "~0" is '~'. Returns the length consumed from p (up to the next
 * '/' or the end); out receives the decoded token. */
size_t json_pointer_token(const char *p, char *out, size_t size) {
    size_t i = 0, n = 0;
    while (p[i] && p[i] != '/') {
        char ch = p[i];
        if (ch == '~' && (p[i + 1] == '0' || p[i + 1] == '1')) {
            ch = p[i + 1] == '0' ? '~' : '/';
            i++;
        }
        if (n + 1 < size) out[n++] = ch;
        i++;
    }
    out[n] = '\0';
    return i;
}

/* Resolve pointer in root. With `create`, a missing last member of an
 * object is added (as null) for the caller to set; *parent and *key then
 * say where. Returns the node, or NULL with err filled. */
cJSON *json_pointer_resolve(cJSON *root, const char *pointer, int create, sib_error *err) {
    if (pointer[0] != '/') {
        sib_error_set(err, SIB_EINVAL, pointer, "expected a JSON Pointer starting with '/'");
        return NULL;
    }
    cJSON *node = root;
    const char *p = pointer;
    char token[256], where[256];
    while (*p == '/') {
        p++;
        size_t used = json_pointer_token(p, token, sizeof token);
        snprintf(where, sizeof where, "%.*s", (int)(p + used - pointer), pointer);
        cJSON *next = NULL;
        if (cJSON_IsObject(node)) {
            next = cJSON_GetObjectItemCaseSensitive(node, token);
            if (next == NULL && create && p[used] == '\0') {
                next = cJSON_CreateNull();
                if (next == NULL || !cJSON_AddItemToObject(node, token, next)) {
                    sib_error_set(err, SIB_ENOMEM, where, "out of memory");
                    return NULL;
                }
            }
            if (next == NULL) {
                sib_error_set(err, SIB_EINVAL, where, "no such field in the scenario");
                return NULL;
            }
        } else if (cJSON_IsArray(node)) {
            char *end;
            long idx = strtol(token, &end, 10);
            int size = cJSON_GetArraySize(node);
            if (*token == '\0' || *end != '\0' || idx < 0 || idx >= size) {
                sib_error_set(err, SIB_EINVAL, where,
                              "expected an index of the array (0 to %d), found \"%s\"", size - 1,
                              token);
                return NULL;
            }
            next = cJSON_GetArrayItem(node, (int)idx);
        } else {
            sib_error_set(err, SIB_EINVAL, where, "cannot go inside a value that is neither an "
                                                  "object nor an array");
            return NULL;
        }
        node = next;
        p += used;
    }
    return node;
}

/* Replace node, found at pointer in root, by the number value (keeping its
 * member name). SIB_OK, or err filled. */
int json_set_number(cJSON *root, cJSON *node, const char *pointer, double value,
                    sib_error *err) {
    cJSON *num = cJSON_CreateNumber(value);
    if (num == NULL) return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    /* ReplaceItemViaPointer does not carry the member's name over: give the
     * number its key. */
    if (node->string != NULL && (num->string = strdup(node->string)) == NULL) {
        cJSON_Delete(num);
        return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    }
    cJSON *parent = root;
    char pp[512];
    const char *slash = strrchr(pointer, '/');
    snprintf(pp, sizeof pp, "%.*s", (int)(slash - pointer), pointer);
    if (pp[0] != '\0') parent = json_pointer_resolve(root, pp, 0, err);
    if (parent == NULL || !cJSON_ReplaceItemViaPointer(parent, node, num)) {
        cJSON_Delete(num);
        if (parent != NULL) sib_error_set(err, SIB_EINVAL, pointer, "cannot be set");
        return err->code;
    }
    return SIB_OK;
}
