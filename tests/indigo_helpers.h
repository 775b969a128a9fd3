/* indigo_helpers.h -- what the INDIGO import's test files (test_indigo.c,
 * test_indigo_terms.c) share: reading a number, a text or the notes of an
 * imported scenario, and writing a CSV export to a temporary directory. */
#ifndef SIB_TEST_INDIGO_HELPERS_H
#define SIB_TEST_INDIGO_HELPERS_H

#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../model/indigo.h"
#include "../model/json_internal.h"

/* The node at JSON Pointer p in root, or NULL when there is none (the
 * loader's own resolver, json_pointer_resolve). */
static inline const cJSON *node_at(cJSON *root, const char *p) {
    sib_error err;
    return root == NULL ? NULL : json_pointer_resolve(root, p, 0, &err);
}

/* The number at pointer p of the imported scenario (an array: its length;
 * NaN when there is no number there). */
static inline double at(const indigo_import *imp, const char *p) {
    cJSON *root = cJSON_Parse(imp->scenario);
    cr_assert(root != NULL);
    const cJSON *node = node_at(root, p);
    double x = cJSON_IsNumber(node)  ? node->valuedouble
               : cJSON_IsArray(node) ? (double)cJSON_GetArraySize(node)
                                     : NAN;
    cJSON_Delete(root);
    return x;
}

/* The text at pointer p of the imported scenario ("" when there is no
 * string there); the caller frees it. */
static inline char *text_at(const indigo_import *imp, const char *p) {
    cJSON *root = cJSON_Parse(imp->scenario);
    const cJSON *node = node_at(root, p);
    char *out = strdup(cJSON_IsString(node) ? node->valuestring : "");
    cJSON_Delete(root);
    return out;
}

/* How many notes of the import are of kind `kind`, at `pointer` (NULL:
 * anywhere). */
static inline size_t count_notes(const indigo_import *imp, indigo_note_kind kind,
                                 const char *pointer) {
    size_t n = 0;
    for (size_t i = 0; i < imp->n_notes; i++)
        n += imp->notes[i].kind == kind &&
             (pointer == NULL || strcmp(imp->notes[i].pointer, pointer) == 0);
    return n;
}

/* The number at pointer p is x, to a millionth of it (or of 1). */
static inline void eq(const indigo_import *imp, const char *p, double x) {
    double got = at(imp, p);
    cr_assert_float_eq(got, x, 1e-6 * fmax(1, fabs(x)), "%s = %.17g, expected %.17g", p, got, x);
}
#define EQ(imp, p, x) eq(imp, p, (double)(x))

/* A directory of the CSV export in a fresh temporary directory: the
 * projects table, and (when not NULL) the investments table. The
 * caller removes it with remove_export. */
static inline void write_export(char *dir, const char *projects, const char *investments) {
    cr_assert_not_null(mkdtemp(dir));
    const char *names[2] = {"original_projects.csv", "original_projects_investments.csv"};
    const char *texts[2] = {projects, investments};
    for (int i = 0; i < 2; i++) {
        if (texts[i] == NULL) continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "wb");
        cr_assert_not_null(f);
        fputs(texts[i], f);
        cr_assert_eq(fclose(f), 0);
    }
}

static inline void remove_export(const char *dir) {
    const char *names[2] = {"original_projects.csv", "original_projects_investments.csv"};
    for (int i = 0; i < 2; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        remove(path);
    }
    rmdir(dir);
}

/* Import project id from a CSV export of the projects table (and, when
 * not NULL, the investments table), written to a fresh temporary
 * directory and removed again: indigo_import_csv's status, *imp and *err
 * as it leaves them. */
static inline int import_export(const char *projects, const char *investments, const char *id,
                                indigo_import **imp, sib_error *err) {
    char dir[] = "/tmp/sibsim-indigo-XXXXXX";
    write_export(dir, projects, investments);
    *imp = NULL;
    int rc = indigo_import_csv(dir, id, NULL, imp, err);
    remove_export(dir);
    return rc;
}

#endif
