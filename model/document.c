/* document.c -- the editable JSON document behind the terminal UI. Part of
 * the scenario loader's JSON side (with loader.c, the only files that know
 * cJSON). See document.h. */
#include "document.h"
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bytes.h"
#include "json_internal.h"

struct scenario_doc {
    cJSON *root;
    char *source; /* the text it was read from: the layout of its text */
    char name[256];
};

scenario_doc *scenario_doc_new(const char *text, const char *name, sib_error *err) {
    sib_error local;
    if (err == NULL) err = &local;
    sib_error_clear(err);
    snprintf(err->file, sizeof err->file, "%s", name ? name : "<scenario>");
    scenario_doc *doc = calloc(1, sizeof *doc);
    if (doc == NULL) {
        sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
        return NULL;
    }
    snprintf(doc->name, sizeof doc->name, "%s", name ? name : "<scenario>");
    /* Strictly (RFC 8259), as the loader reads: the TUI must not accept
     * what `sibsim run` then refuses, nor cut a string at \u0000. */
    doc->root = json_parse_checked(text, NULL, err);
    if (doc->root == NULL) {
        free(doc);
        return NULL;
    }
    if ((doc->source = strdup(text)) == NULL) {
        cJSON_Delete(doc->root);
        free(doc);
        sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
        return NULL;
    }
    return doc;
}

void scenario_doc_set_name(scenario_doc *doc, const char *name) {
    snprintf(doc->name, sizeof doc->name, "%s", name);
}

void scenario_doc_free(scenario_doc *doc) {
    if (doc == NULL) return;
    cJSON_Delete(doc->root);
    free(doc->source);
    free(doc);
}

scenario_doc *scenario_doc_copy(const scenario_doc *doc) {
    scenario_doc *c = calloc(1, sizeof *c);
    if (c == NULL) return NULL;
    memcpy(c->name, doc->name, sizeof c->name);
    c->root = cJSON_Duplicate(doc->root, 1);
    c->source = doc->source ? strdup(doc->source) : NULL;
    if (c->root == NULL || (doc->source && c->source == NULL)) {
        cJSON_Delete(c->root);
        free(c->source);
        free(c);
        return NULL;
    }
    return c;
}

/* ------------------------------------------------------------ numbers */

char *doc_number_text(double x, char *buf, size_t size) {
    if (size == 0) return buf;
    if (!isfinite(x)) { /* JSON has no such number; never in a document */
        snprintf(buf, size, "null");
        return buf;
    }
    if (x == trunc(x) && fabs(x) < 1e17) {
        json_format_number(buf, size, 0, x, 1);
        return buf;
    }
    for (int p = 1; p <= 17; p++) {
        json_format_number(buf, size, p, x, 0);
        char *end;
        if (json_strtod(buf, &end) == x) break;
    }
    /* %g's exponent has a sign and two digits at least (1e-07, 1e+20);
     * JSON needs neither the plus nor the zero: 1e-7, 1e20. */
    char *e = strchr(buf, 'e');
    if (e != NULL) {
        char *from = e + 1, *to = e + 1;
        if (*from == '+')
            from++;
        else if (*from == '-')
            *to++ = *from++;
        while (*from == '0' && from[1] != '\0') from++;
        memmove(to, from, strlen(from) + 1);
    }
    return buf;
}

int doc_number_parse(const char *text, double *out) {
    char why[8];
    return doc_number_read(text, out, why, sizeof why);
}

int doc_number_read(const char *text, double *out, char *why, size_t size) {
    if (size) why[0] = '\0';
    while (*text == ' ') text++;
    size_t n = strlen(text);
    while (n > 0 && text[n - 1] == ' ') n--;
    if (n == 0 || n > 100) return -1;
    char buf[128];
    memcpy(buf, text, n);
    buf[n] = '\0';
    /* Digits, a point, a sign, an exponent: nothing else (strtod would also
     * take hex, inf, nan and the locale's own decimal comma). */
    int digits = 0;
    for (size_t i = 0; i < n; i++) {
        if (buf[i] >= '0' && buf[i] <= '9') digits = 1;
        else if (!strchr("+-.eE", buf[i])) return -1;
    }
    if (!digits) return -1;
    char *end;
    (void)json_strtod(buf, &end);
    if (end == buf || *end != '\0') return -1;
    /* A number a double does not hold as typed is refused as the loader
     * refuses it in a file, with the reason. */
    double v;
    if (json_number_held(buf, n, &v, why, size) != 0) return -1;
    *out = v;
    return 0;
}

/* ------------------------------------------------------------ the text */

/* A growing output buffer. */
typedef struct out_buf {
    char *s;
    size_t len, cap;
    int failed;
} out_buf;

static void put(out_buf *o, const char *p, size_t n) {
    if (o->failed) return;
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 4096;
        while (cap < o->len + n + 1) cap *= 2;
        char *s = realloc(o->s, cap);
        if (s == NULL) {
            o->failed = 1;
            return;
        }
        o->s = s;
        o->cap = cap;
    }
    memcpy(o->s + o->len, p, n);
    o->len += n;
    o->s[o->len] = '\0';
}

static void puts_(out_buf *o, const char *s) { put(o, s, strlen(s)); }

/* cJSON indents with tabs, and puts one after each key's colon: make them
 * two spaces and one space, as people write JSON; every line after the
 * first is indented by `indent` more (the column the value starts in). */
static void put_printed(out_buf *o, const char *raw, size_t indent) {
    int at_line_start = 0;
    for (const char *p = raw; *p; p++) {
        if (*p == '\t') { /* indentation: two spaces; after "key": one */
            puts_(o, at_line_start ? "  " : " ");
            continue;
        }
        put(o, p, 1);
        at_line_start = *p == '\n';
        if (at_line_start)
            for (size_t k = 0; k < indent; k++) put(o, " ", 1);
    }
}

/* A value written anew: a number in its shortest form, anything else as
 * cJSON prints it (indented like the line it starts on). */
static void put_value(out_buf *o, const cJSON *node) {
    if (cJSON_IsNumber(node)) {
        char num[64];
        puts_(o, doc_number_text(node->valuedouble, num, sizeof num));
        return;
    }
    char *raw = cJSON_Print(node);
    if (raw == NULL) {
        o->failed = 1;
        return;
    }
    size_t indent = 0; /* the indentation of the line the value is on */
    for (size_t k = o->len; k > 0 && o->s[k - 1] != '\n'; k--)
        indent = o->s[k - 1] == ' ' ? indent + 1 : 0;
    put_printed(o, raw, indent);
    cJSON_free(raw);
}

/* Scanning the source text, which cJSON has parsed (so it is well formed). */
static const char *skip_ws(const char *p) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    return p;
}

static const char *string_end(const char *p) { /* p at the opening quote */
    for (p++; *p && *p != '"'; p++)
        if (*p == '\\' && p[1]) p++;
    return *p ? p + 1 : p;
}

static const char *value_end(const char *p) {
    if (*p == '"') return string_end(p);
    if (*p == '{' || *p == '[') {
        int depth = 0;
        while (*p) {
            if (*p == '"') {
                p = string_end(p);
                continue;
            }
            if (*p == '{' || *p == '[') depth++;
            else if ((*p == '}' || *p == ']') && --depth == 0) return p + 1;
            p++;
        }
        return p;
    }
    while (*p && strchr("+-.0123456789eEtrufalsn", *p)) p++; /* a number or a literal */
    return p;
}

/* The JSON value in [p, end) read on its own (the caller deletes it). */
static cJSON *parse_span(const char *p, const char *end) {
    return cJSON_ParseWithLength(p, (size_t)(end - p));
}

/* Whether the source scalar in [p, end) is the value node holds: the same
 * double (and sign), the same string, the same boolean, or both null. */
static int same_scalar(const char *p, const char *end, const cJSON *node) {
    cJSON *src = parse_span(p, end);
    int same = 0;
    if (src == NULL) return 0;
    if (cJSON_IsNumber(src) && cJSON_IsNumber(node))
        same = src->valuedouble == node->valuedouble &&
               signbit(src->valuedouble) == signbit(node->valuedouble);
    else if (cJSON_IsString(src) && cJSON_IsString(node))
        same = strcmp(src->valuestring, node->valuestring) == 0;
    else if (cJSON_IsBool(src) && cJSON_IsBool(node))
        same = cJSON_IsTrue(src) == cJSON_IsTrue(node);
    else if (cJSON_IsNull(src) && cJSON_IsNull(node))
        same = 1;
    cJSON_Delete(src);
    return same;
}

/* Past the separator before the next member or element of a compound
 * value (q just after its opening bracket or after the previous value), to
 * the start of the member's key (object) or of the element (array). */
static const char *next_item(const char *q) {
    q = skip_ws(q);
    if (*q == ',') q = skip_ws(q + 1);
    return q;
}

/* Whether the compound source value at p has node's members (same names,
 * same order) or node's number of elements. */
static int same_shape(const char *p, const cJSON *node) {
    int object = *p == '{';
    const char *q = p + 1;
    const cJSON *c = node->child;
    for (;; c = c->next) {
        q = next_item(q);
        if (*q == '}' || *q == ']') return c == NULL;
        if (c == NULL) return 0;
        if (object) {
            const char *key_end = string_end(q);
            cJSON *key = parse_span(q, key_end);
            int same = key && cJSON_IsString(key) && c->string && strcmp(key->valuestring, c->string) == 0;
            cJSON_Delete(key);
            if (!same) return 0;
            q = skip_ws(skip_ws(key_end) + 1); /* past the colon */
        }
        q = value_end(q);
    }
}

/* Write node in the layout of the source value at p; returns the end of
 * that source value. What is the same is copied from the source; a value
 * that differs is written anew; an object whose members or an array whose
 * elements differ is written anew whole. */
static const char *emit(out_buf *o, const cJSON *node, const char *p) {
    const char *end = value_end(p);
    int compound = *p == '{' || *p == '[';
    if (compound && (*p == '{' ? cJSON_IsObject(node) : cJSON_IsArray(node)) && same_shape(p, node)) {
        const char *q = p + 1;
        put(o, p, 1);
        for (const cJSON *c = node->child; c; c = c->next) {
            const char *v = next_item(q);
            if (*p == '{') v = skip_ws(skip_ws(string_end(v)) + 1);
            put(o, q, (size_t)(v - q)); /* separator, spacing, key, colon */
            q = emit(o, c, v);
        }
        put(o, q, (size_t)(end - q)); /* spacing and the closing bracket */
    } else if (!compound && same_scalar(p, end, node)) {
        put(o, p, (size_t)(end - p));
    } else {
        put_value(o, node);
    }
    return end;
}

char *scenario_doc_text(const scenario_doc *doc) {
    out_buf o = {0};
    if (doc->source != NULL) {
        const char *start = skip_ws(doc->source);
        put(&o, doc->source, (size_t)(start - doc->source));
        const char *rest = emit(&o, doc->root, start);
        puts_(&o, rest); /* what follows the value: spacing, the last newline */
    } else {
        put_value(&o, doc->root);
        puts_(&o, "\n");
    }
    if (o.failed || o.s == NULL) {
        free(o.s);
        return NULL;
    }
    return o.s;
}

scenario *scenario_doc_compile(const scenario_doc *doc, sib_error *err) {
    char *text = scenario_doc_text(doc);
    if (text == NULL) {
        sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
        return NULL;
    }
    scenario *sc = scenario_load_string(text, doc->name, err);
    free(text);
    return sc;
}

/* Append "/token" (escaped) to a pointer of length len in buf. */
/* pointer + "/" + token escaped as RFC 6901 escapes it ("~0", "~1"), in a
 * new string (the caller frees it; NULL when out of memory). */
static char *pointer_join(const char *pointer, const char *token) {
    size_t len = strlen(pointer), extra = 0;
    for (const char *p = token; *p; p++) extra += (*p == '~' || *p == '/') ? 2 : 1;
    char *out = malloc(len + extra + 2);
    if (out == NULL) return NULL;
    memcpy(out, pointer, len);
    out[len++] = '/';
    for (const char *p = token; *p; p++) {
        if (*p == '~' || *p == '/') {
            out[len++] = '~';
            out[len++] = *p == '~' ? '0' : '1';
        } else {
            out[len++] = *p;
        }
    }
    out[len] = '\0';
    return out;
}

typedef struct walk_state {
    doc_node *nodes;
    size_t max, n;
} walk_state;

/* pointer is the node's whole pointer, of any length; a node whose pointer
 * does not fit doc_node.pointer is listed with pointer_cut (never a cut
 * pointer, which would name another node). */
static void walk(const cJSON *node, const char *pointer, const char *key, int depth,
                 walk_state *w) {
    if (w->n < w->max) {
        doc_node *d = &w->nodes[w->n];
        memset(d, 0, sizeof *d);
        if (strlen(pointer) < sizeof d->pointer) snprintf(d->pointer, sizeof d->pointer, "%s", pointer);
        else d->pointer_cut = true;
        snprintf(d->key, sizeof d->key, "%s", key);
        d->depth = depth;
        if (cJSON_IsObject(node)) d->kind = DOC_OBJECT;
        else if (cJSON_IsArray(node)) d->kind = DOC_ARRAY;
        else if (cJSON_IsNumber(node)) d->kind = DOC_NUMBER;
        else if (cJSON_IsString(node)) d->kind = DOC_STRING;
        else if (cJSON_IsBool(node)) d->kind = DOC_BOOL;
        else d->kind = DOC_NULL;
        d->number = cJSON_IsNumber(node) ? node->valuedouble : 0;
        d->boolean = cJSON_IsTrue(node);
        d->text = cJSON_IsString(node) ? node->valuestring : "";
        d->children = (cJSON_IsObject(node) || cJSON_IsArray(node)) ? cJSON_GetArraySize(node) : 0;
    }
    w->n++;
    if (!cJSON_IsObject(node) && !cJSON_IsArray(node)) return;
    int i = 0;
    for (const cJSON *c = node->child; c; c = c->next, i++) {
        char k[96], idx[24];
        snprintf(idx, sizeof idx, "%d", i);
        if (cJSON_IsObject(node)) snprintf(k, sizeof k, "%s", c->string);
        else snprintf(k, sizeof k, "[%d]", i);
        char *ptr = pointer_join(pointer, cJSON_IsObject(node) ? c->string : idx);
        if (ptr == NULL) return; /* out of memory: the rest is not listed */
        walk(c, ptr, k, depth + 1, w);
        free(ptr);
    }
}

size_t scenario_doc_nodes(const scenario_doc *doc, doc_node *nodes, size_t max) {
    walk_state w = {nodes, max, 0};
    /* The root itself is not shown: its members are the top of the tree. */
    int i = 0;
    for (const cJSON *c = doc->root->child; c; c = c->next, i++) {
        char k[96], idx[24];
        snprintf(idx, sizeof idx, "%d", i);
        if (cJSON_IsObject(doc->root)) snprintf(k, sizeof k, "%s", c->string);
        else snprintf(k, sizeof k, "[%d]", i);
        char *ptr = pointer_join("", cJSON_IsObject(doc->root) ? c->string : idx);
        if (ptr == NULL) break;
        walk(c, ptr, k, 0, &w);
        free(ptr);
    }
    return w.n;
}

/* Replace the node at pointer with item (which the document then owns). */
static int replace_at(scenario_doc *doc, const char *pointer, cJSON *item, int allow_object,
                      sib_error *err) {
    if (item == NULL) return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    cJSON *parent = NULL;
    cJSON *node = json_pointer_resolve_parent(doc->root, pointer, 0, &parent, err);
    if (node == NULL) {
        cJSON_Delete(item);
        return err->code;
    }
    if (cJSON_IsArray(node) || (cJSON_IsObject(node) && !allow_object)) {
        cJSON_Delete(item);
        return sib_error_set(err, SIB_EINVAL, pointer, "a whole object or array cannot be set "
                                                       "to one value here");
    }
    if (parent == NULL) { /* the root itself */
        cJSON_Delete(item);
        return sib_error_set(err, SIB_EINVAL, pointer, "the whole document cannot be set to one "
                                                       "value");
    }
    /* ReplaceItemViaPointer does not carry the member's name over. */
    if (node->string != NULL && (item->string = strdup(node->string)) == NULL) {
        cJSON_Delete(item);
        return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    }
    if (!cJSON_ReplaceItemViaPointer(parent, node, item)) {
        cJSON_Delete(item);
        return sib_error_set(err, SIB_EINVAL, pointer, "cannot be set");
    }
    return SIB_OK;
}

int scenario_doc_set_number(scenario_doc *doc, const char *pointer, double value, sib_error *err) {
    return replace_at(doc, pointer, cJSON_CreateNumber(value), 1, err);
}

int scenario_doc_set_string(scenario_doc *doc, const char *pointer, const char *value,
                            sib_error *err) {
    /* A document holds only what a file may: a string that is not UTF-8
     * would be saved as a file that no longer loads. */
    const char *why = "";
    size_t bad = json_utf8_invalid(value, &why);
    if (bad != SIZE_MAX)
        return sib_error_set(err, SIB_EINVAL, pointer,
                             "expected UTF-8 text, found the byte 0x%02x (%s) at byte %zu",
                             (unsigned)(unsigned char)value[bad], why, bad + 1);
    return replace_at(doc, pointer, cJSON_CreateString(value), 0, err);
}

int scenario_doc_set_bool(scenario_doc *doc, const char *pointer, bool value, sib_error *err) {
    return replace_at(doc, pointer, cJSON_CreateBool(value), 0, err);
}

int scenario_doc_save(const scenario_doc *doc, const char *path, uint64_t *hash, sib_error *err) {
    sib_error_clear(err);
    snprintf(err->file, sizeof err->file, "%s", path);
    char *text = scenario_doc_text(doc);
    char *target = sib_file_target(path); /* a symbolic link's target is what is saved */
    char *bak = target ? malloc(strlen(target) + 8) : NULL;
    if (text == NULL || bak == NULL) {
        free(text);
        free(target);
        free(bak);
        return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    }
    snprintf(bak, strlen(target) + 8, "%s.bak", target);
    int rc = SIB_OK;
    struct stat st;
    if (stat(target, &st) == 0 && S_ISREG(st.st_mode)) {
        /* Keep the previous file as .bak: a hard link keeps it whole while
         * the writer's rename replaces the name atomically. */
        unlink(bak);
        if (link(target, bak) != 0)
            rc = sib_error_set(err, SIB_EIO, NULL, "cannot keep a backup as %s: %s", bak,
                               strerror(errno));
    }
    if (rc == SIB_OK) rc = sib_file_write(path, text, strlen(text), err);
    if (rc == SIB_OK && hash) *hash = scenario_doc_hash(text, strlen(text));
    free(text);
    free(target);
    free(bak);
    return rc;
}

/* FNV-1a 64 (model/bytes.h): the question is only "is this the content
 * we read or wrote?", against accidental change by another program or
 * person, not an attacker. */
uint64_t scenario_doc_hash(const char *text, size_t len) { return bytes_fnv1a64(text, len); }

doc_disk_state scenario_doc_disk_check(const char *path, uint64_t hash) {
    struct stat st;
    if (stat(path, &st) != 0) return errno == ENOENT ? DOC_DISK_MISSING : DOC_DISK_UNKNOWN;
    if (!S_ISREG(st.st_mode)) return DOC_DISK_UNKNOWN; /* a FIFO is not read to compare */
    sib_error err;
    char *text = sib_file_read(path, &err);
    if (text == NULL) return DOC_DISK_UNKNOWN;
    doc_disk_state s = scenario_doc_hash(text, strlen(text)) == hash ? DOC_DISK_SAME : DOC_DISK_CHANGED;
    free(text);
    return s;
}

bool scenario_doc_read_only(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return false;
    if ((st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0) return true;
    return faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) != 0;
}

char *scenario_doc_recovery_path(const char *path) { return scenario_doc_recovery_slot(path, 0); }

char *scenario_doc_recovery_slot(const char *path, unsigned k) {
    static const char tag[] = ".sibsim-recover";
    char num[16] = "";
    if (k > 0) snprintf(num, sizeof num, "-%u", k + 1);
    if (path == NULL) {
        size_t n = sizeof ".sibsim-builtin" + sizeof tag + sizeof num;
        char *out = malloc(n);
        if (out != NULL) snprintf(out, n, ".sibsim-builtin%s%s", tag, num);
        return out;
    }
    char *target = sib_file_target(path);
    if (target == NULL) return NULL;
    const char *slash = strrchr(target, '/');
    size_t dir = slash ? (size_t)(slash - target) + 1 : 0; /* with the slash */
    size_t n = strlen(target) + sizeof tag + sizeof num + 2;
    char *out = malloc(n);
    if (out != NULL) snprintf(out, n, "%.*s.%s%s%s", (int)dir, target, target + dir, tag, num);
    free(target);
    return out;
}

char *scenario_doc_recovery_lock(const char *rp) {
    size_t n = strlen(rp) + sizeof ".lock";
    char *out = malloc(n);
    if (out != NULL) snprintf(out, n, "%s.lock", rp);
    return out;
}

int scenario_doc_claim_recovery(const char *path, char **slot, int *lock, sib_error *err) {
    sib_error_clear(err);
    *slot = NULL;
    *lock = -1;
    for (unsigned k = 0; k < SCENARIO_DOC_RECOVERY_SLOTS; k++) {
        char *where = scenario_doc_recovery_slot(path, k);
        char *lp = where ? scenario_doc_recovery_lock(where) : NULL;
        if (lp == NULL) {
            free(where);
            return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
        }
        /* A lock that cannot be made at all (a file system without
         * flock, a directory in the way) is no reason to lose the edits:
         * the slot is then judged by its file alone, as before locks, and
         * claimed without one (*lock = -1). */
        int fd = sib_file_lock(lp);
        const int busy = fd < 0 && errno == EWOULDBLOCK;
        struct stat st;
        if (!busy && lstat(where, &st) != 0) { /* a slot of our own */
            free(lp);
            *slot = where;
            *lock = fd;
            return SIB_OK;
        }
        /* Held by a running session, or edits left by one that ended. */
        if (fd >= 0) sib_file_unlock(fd, lp);
        free(lp);
        free(where);
    }
    return sib_error_set(err, SIB_EIO, NULL,
                         "%u recovery files of %s are waiting already: open the scenario to use "
                         "or discard them",
                         SCENARIO_DOC_RECOVERY_SLOTS, path ? path : "the built-in scenario");
}

int scenario_doc_save_recovery(const scenario_doc *doc, const char *path, const char *in_use,
                               char **written, sib_error *err) {
    sib_error_clear(err);
    if (written != NULL) *written = NULL;
    char *where = NULL;
    int lock = -1;
    if (in_use != NULL) where = strdup(in_use);
    else if (scenario_doc_claim_recovery(path, &where, &lock, err) != SIB_OK) return err->code;
    char *text = scenario_doc_text(doc);
    int rc = where && text ? sib_file_write_like(where, path, text, strlen(text), err)
                           : sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    if (lock >= 0) {
        char *lp = scenario_doc_recovery_lock(where);
        sib_file_unlock(lock, lp);
        free(lp);
    }
    if (rc == SIB_OK && written != NULL) {
        *written = where;
        where = NULL;
    }
    free(where);
    free(text);
    return rc;
}
