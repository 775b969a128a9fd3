/* json_pointer.c -- JSON Pointers (RFC 6901): decoding, resolution in a
 * cJSON tree, and setting a number at a pointer (the overrides of sweeps,
 * solvers and named cases). See json_internal.h.
 *
 * Pointers of any length are resolved: tokens are decoded into a buffer as
 * long as the pointer, and a node's parent is found on the way down rather
 * than by resolving a cut copy of the pointer again. (A fixed 512-byte copy
 * once resolved a long pointer's parent to an ancestor, and the replaced
 * node was freed while its real parent still linked it.) Only the pointer
 * shown in an error is shortened, to fit sib_error's field.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_internal.h"

/* ----------------------------------------------------------------- errors */

void json_pointer_for_error(const char *pointer, size_t len, char *buf, size_t size) {
    if (len < size) {
        snprintf(buf, size, "%.*s", (int)len, pointer);
        return;
    }
    /* The start says where the pointer goes, the end what it names: keep
     * both, whole UTF-8 characters only. */
    size_t keep = (size - 4) / 2, head = keep, tail = len - keep;
    while (head > 0 && (pointer[head] & 0xC0) == 0x80) head--;
    while (tail < len && (pointer[tail] & 0xC0) == 0x80) tail++;
    snprintf(buf, size, "%.*s...%.*s", (int)head, pointer, (int)(len - tail), pointer + tail);
}

/* Fill err at the first len bytes of pointer (shortened to fit). */
static void error_at(sib_error *err, int code, const char *pointer, size_t len, const char *fmt,
                     ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
static void error_at(sib_error *err, int code, const char *pointer, size_t len, const char *fmt,
                     ...) {
    char where[sizeof err->pointer], msg[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_pointer_for_error(pointer, len, where, sizeof where);
    sib_error_set(err, code, where, "%s", msg);
}

/* A token for a message: quoted, cut at 40 bytes. */
static void quote_token(const char *token, char *buf, size_t size) {
    size_t n = strlen(token), cut = n > 40 ? 40 : n;
    while (cut < n && cut > 0 && (token[cut] & 0xC0) == 0x80) cut--;
    snprintf(buf, size, "\"%.*s%s\"", (int)cut, token, cut < n ? "..." : "");
}

/* ---------------------------------------------------------------- tokens */

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

/* Decode the token at p into out (room for strlen(p) + 1 bytes), refusing
 * a '~' not followed by '0' or '1'. The length consumed, or SIZE_MAX with
 * *bad at the offending '~'. */
static size_t decode_token(const char *p, char *out, size_t *bad) {
    size_t i = 0, n = 0;
    while (p[i] && p[i] != '/') {
        char ch = p[i];
        if (ch == '~') {
            if (p[i + 1] != '0' && p[i + 1] != '1') {
                *bad = i;
                return SIZE_MAX;
            }
            ch = p[i + 1] == '0' ? '~' : '/';
            i++;
        }
        out[n++] = ch;
        i++;
    }
    out[n] = '\0';
    return i;
}

/* An array index as RFC 6901 writes it: "0", or digits without a leading
 * zero; nothing else (no sign, space or "-"). *idx < size on success. */
static int array_index(const char *token, int size, int *idx) {
    if (token[0] == '\0' || (token[0] == '0' && token[1] != '\0')) return 0;
    long v = 0;
    for (const char *q = token; *q; q++) {
        if (*q < '0' || *q > '9') return 0;
        v = v * 10 + (*q - '0');
        if (v >= size) return 0; /* also stops before any overflow */
    }
    *idx = (int)v;
    return 1;
}

/* ------------------------------------------------------------ resolution */

cJSON *json_pointer_resolve_parent(cJSON *root, const char *pointer, int create,
                                   cJSON **parent, sib_error *err) {
    if (parent != NULL) *parent = NULL;
    if (pointer[0] != '/') {
        error_at(err, SIB_EINVAL, pointer, strlen(pointer),
                 "expected a JSON Pointer starting with '/'");
        return NULL;
    }
    char *token = malloc(strlen(pointer) + 1);
    if (token == NULL) {
        error_at(err, SIB_ENOMEM, pointer, strlen(pointer), "out of memory");
        return NULL;
    }
    cJSON *node = root, *up = NULL;
    const char *p = pointer;
    while (node != NULL && *p == '/') {
        p++;
        size_t bad = 0, used = decode_token(p, token, &bad);
        if (used == SIZE_MAX) {
            error_at(err, SIB_EINVAL, pointer, (size_t)(p - pointer) + strcspn(p, "/"),
                     "expected \"~0\" (for '~') or \"~1\" (for '/') after '~' in a JSON "
                     "Pointer, found \"~%.1s\"",
                     p[bad + 1] ? p + bad + 1 : "");
            node = NULL;
            break;
        }
        size_t where = (size_t)(p + used - pointer);
        cJSON *next = NULL;
        if (cJSON_IsObject(node)) {
            next = cJSON_GetObjectItemCaseSensitive(node, token);
            if (next == NULL && create) {
                /* The last member as null, a missing object on the way as
                 * an empty object: "/simulation/discount_rate" sets the
                 * rate of a scenario that leaves "simulation" out. */
                next = p[used] == '\0' ? cJSON_CreateNull() : cJSON_CreateObject();
                if (next == NULL || !cJSON_AddItemToObject(node, token, next)) {
                    cJSON_Delete(next);
                    error_at(err, SIB_ENOMEM, pointer, where, "out of memory");
                    node = NULL;
                    break;
                }
            }
            if (next == NULL)
                error_at(err, SIB_EINVAL, pointer, where, "no such field in the scenario");
        } else if (cJSON_IsArray(node)) {
            int size = cJSON_GetArraySize(node), idx;
            if (array_index(token, size, &idx)) {
                next = cJSON_GetArrayItem(node, idx);
            } else {
                /* The token quoted for the error alone: formatted at every
                 * step, it was a twentieth of loading a scenario. */
                char shown[64];
                quote_token(token, shown, sizeof shown);
                if (token[0] != '\0' && strspn(token, "0123456789") == strlen(token) &&
                    (token[0] != '0' || token[1] == '\0'))
                    error_at(err, SIB_EINVAL, pointer, where,
                             "expected an index of the array (0 to %d), found %s", size - 1, shown);
                else
                    error_at(err, SIB_EINVAL, pointer, where,
                             "expected an index of the array (0 to %d), written in digits "
                             "without a leading zero, found %s",
                             size - 1, shown);
            }
        } else {
            error_at(err, SIB_EINVAL, pointer, where,
                     "cannot go inside a value that is neither an object nor an array");
        }
        up = node;
        node = next;
        p += used;
    }
    free(token);
    if (node != NULL && parent != NULL) *parent = up;
    return node;
}

cJSON *json_pointer_resolve(cJSON *root, const char *pointer, int create, sib_error *err) {
    return json_pointer_resolve_parent(root, pointer, create, NULL, err);
}

/* ---------------------------------------------------------------- setting */

int json_set_number(cJSON *root, cJSON *node, const char *pointer, double value,
                    sib_error *err) {
    cJSON *parent = NULL, *found = json_pointer_resolve_parent(root, pointer, 0, &parent, err);
    if (found == NULL) return err->code;
    if (found != node || parent == NULL) { /* not where the caller found it */
        error_at(err, SIB_EINVAL, pointer, strlen(pointer), "cannot be set");
        return err->code;
    }
    cJSON *num = cJSON_CreateNumber(value);
    if (num == NULL) return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    /* ReplaceItemViaPointer does not carry the member's name over: give the
     * number its key. */
    if (node->string != NULL && (num->string = strdup(node->string)) == NULL) {
        cJSON_Delete(num);
        return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    }
    if (!cJSON_ReplaceItemViaPointer(parent, node, num)) {
        cJSON_Delete(num);
        error_at(err, SIB_EINVAL, pointer, strlen(pointer), "cannot be set");
        return err->code;
    }
    return SIB_OK;
}
