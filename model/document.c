/* document.c -- the editable JSON document behind the terminal UI. Part of
 * the scenario loader's JSON side (with loader.c, the only files that know
 * cJSON). See document.h. */
#include "document.h"
#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json_internal.h"

struct scenario_doc {
    cJSON *root;
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
    doc->root = cJSON_ParseWithOpts(text, NULL, 1);
    if (doc->root == NULL) {
        json_syntax_error(text, err);
        free(doc);
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
    free(doc);
}

scenario_doc *scenario_doc_copy(const scenario_doc *doc) {
    scenario_doc *c = calloc(1, sizeof *c);
    if (c == NULL) return NULL;
    memcpy(c->name, doc->name, sizeof c->name);
    c->root = cJSON_Duplicate(doc->root, 1);
    if (c->root == NULL) {
        free(c);
        return NULL;
    }
    return c;
}

/* cJSON indents with tabs, and puts one after each key's colon: make them
 * two spaces and one space, as people write JSON. */
char *scenario_doc_text(const scenario_doc *doc) {
    char *raw = cJSON_Print(doc->root);
    if (raw == NULL) return NULL;
    size_t tabs = 0, n = 0;
    for (; raw[n]; n++) tabs += raw[n] == '\t';
    char *out = malloc(n + tabs + 2);
    if (out == NULL) {
        cJSON_free(raw);
        return NULL;
    }
    size_t j = 0;
    int at_line_start = 1;
    for (size_t i = 0; i < n; i++) {
        if (raw[i] == '\t') { /* indentation: two spaces; after "key": one */
            out[j++] = ' ';
            if (at_line_start) out[j++] = ' ';
            continue;
        }
        at_line_start = raw[i] == '\n';
        out[j++] = raw[i];
    }
    out[j++] = '\n';
    out[j] = '\0';
    cJSON_free(raw);
    return out;
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
static void pointer_append(char *buf, size_t size, const char *token) {
    size_t len = strlen(buf);
    if (len + 1 < size) buf[len++] = '/';
    for (const char *p = token; *p && len + 2 < size; p++) {
        if (*p == '~' || *p == '/') {
            buf[len++] = '~';
            buf[len++] = *p == '~' ? '0' : '1';
        } else {
            buf[len++] = *p;
        }
    }
    buf[len] = '\0';
}

typedef struct walk_state {
    doc_node *nodes;
    size_t max, n;
} walk_state;

static void walk(const cJSON *node, const char *pointer, const char *key, int depth,
                 walk_state *w) {
    if (w->n < w->max) {
        doc_node *d = &w->nodes[w->n];
        memset(d, 0, sizeof *d);
        snprintf(d->pointer, sizeof d->pointer, "%s", pointer);
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
        if (cJSON_IsString(node)) snprintf(d->text, sizeof d->text, "%s", node->valuestring);
        d->children = (cJSON_IsObject(node) || cJSON_IsArray(node)) ? cJSON_GetArraySize(node) : 0;
    }
    w->n++;
    if (!cJSON_IsObject(node) && !cJSON_IsArray(node)) return;
    int i = 0;
    for (const cJSON *c = node->child; c; c = c->next, i++) {
        char ptr[256], k[96];
        snprintf(ptr, sizeof ptr, "%s", pointer);
        if (cJSON_IsObject(node)) {
            pointer_append(ptr, sizeof ptr, c->string);
            snprintf(k, sizeof k, "%s", c->string);
        } else {
            char idx[24];
            snprintf(idx, sizeof idx, "%d", i);
            pointer_append(ptr, sizeof ptr, idx);
            snprintf(k, sizeof k, "[%d]", i);
        }
        walk(c, ptr, k, depth + 1, w);
    }
}

size_t scenario_doc_nodes(const scenario_doc *doc, doc_node *nodes, size_t max) {
    walk_state w = {nodes, max, 0};
    /* The root itself is not shown: its members are the top of the tree. */
    int i = 0;
    for (const cJSON *c = doc->root->child; c; c = c->next, i++) {
        char ptr[256] = "";
        char k[96];
        if (cJSON_IsObject(doc->root)) {
            pointer_append(ptr, sizeof ptr, c->string);
            snprintf(k, sizeof k, "%s", c->string);
        } else {
            snprintf(ptr, sizeof ptr, "/%d", i);
            snprintf(k, sizeof k, "[%d]", i);
        }
        walk(c, ptr, k, 0, &w);
    }
    return w.n;
}

/* Replace the node at pointer with item (which the document then owns). */
static int replace_at(scenario_doc *doc, const char *pointer, cJSON *item, int allow_object,
                      sib_error *err) {
    if (item == NULL) return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    cJSON *node = json_pointer_resolve(doc->root, pointer, 0, err);
    if (node == NULL) {
        cJSON_Delete(item);
        return err->code;
    }
    if (cJSON_IsArray(node) || (cJSON_IsObject(node) && !allow_object)) {
        cJSON_Delete(item);
        return sib_error_set(err, SIB_EINVAL, pointer, "a whole object or array cannot be set "
                                                       "to one value here");
    }
    char parent_ptr[256];
    const char *slash = strrchr(pointer, '/');
    snprintf(parent_ptr, sizeof parent_ptr, "%.*s", (int)(slash - pointer), pointer);
    cJSON *parent = parent_ptr[0] ? json_pointer_resolve(doc->root, parent_ptr, 0, err) : doc->root;
    if (parent == NULL) {
        cJSON_Delete(item);
        return err->code;
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
    return replace_at(doc, pointer, cJSON_CreateString(value), 0, err);
}

int scenario_doc_set_bool(scenario_doc *doc, const char *pointer, bool value, sib_error *err) {
    return replace_at(doc, pointer, cJSON_CreateBool(value), 0, err);
}

int scenario_doc_save(const scenario_doc *doc, const char *path, sib_error *err) {
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
    free(text);
    free(target);
    free(bak);
    return rc;
}
