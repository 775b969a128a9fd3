/* indigo_csv.c -- one project of the INDIGO database's flat CSV export read
 * into the standard's JSON shape, then mapped as a JSON record is
 * (indigo.h).
 *
 * The export (as the GO Lab data store writes it) is one file per table:
 * original_projects.csv has a row per project, its first column "ID"; each
 * array of a project is original_projects_<array>.csv with a row per
 * element, its first column "Project ID". A column's title is the field's
 * path of titles joined by " - ", ending " - (Value)" for a value
 * ("Dates - Start date of service provision - (Value)"). A title becomes a
 * path by turning each part into the schema's key (lower case, words
 * joined by '_': "dates/start_date_of_service_provision"), with a few
 * titles whose key is not their words (ALIASES below). The export holds
 * public values only, so no value carries a status. Every leaf remembers
 * its file, row and column for an error message.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "file.h"
#include "indigo_internal.h"
#include "json_internal.h"
#include "suggest.h"

/* The arrays read from their tables, when the files are there. */
static const char *const ARRAYS[] = {"investments",
                                     "outcome_metrics",
                                     "outcome_pricings",
                                     "outcome_payment_commitments",
                                     "results",
                                     "outcome_payments",
                                     NULL};

/* Keys whose title is not their words: {key from the title, schema key}. */
static const char *const ALIASES[][2] = {
    {"impact_bond_name", "name"},
    {"stage_of_development", "stage_development"},
    {"maximum_potential_outcome_payment", "maximum_potential_outcome_payment_v2"},
    {"targeted_number_of_unique_service_users_or_beneficiaries_total",
     "targeted_number_service_users_or_beneficiaries_total"},
    {"actual_number_of_unique_service_users_or_beneficiaries_engaged_total",
     "actual_number_service_users_or_beneficiaries_total"},
    {"outcome_definition", "definition"},
    {"start", "start_date"},
    {"end", "end_date"},
};

/* ------------------------------------------------------------------ CSV */

typedef struct csv {
    char ***rows; /* rows[r][c], each a heap string */
    size_t *n_cols;
    size_t n_rows;
} csv;

static void csv_free(csv *t) {
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t c = 0; c < t->n_cols[r]; c++) free(t->rows[r][c]);
        free(t->rows[r]);
    }
    free(t->rows);
    free(t->n_cols);
    memset(t, 0, sizeof *t);
}

/* Parse RFC 4180 text: fields separated by commas, rows by CRLF or LF,
 * quoted fields with "" for a quote. Returns 0, or -1 (out of memory; or
 * an unterminated quote: *row receives its row, *line and *col where the
 * quote opens in the text, which a quoted line break makes differ from
 * the row). */
static int csv_parse(const char *s, csv *t, size_t *row, int *line, int *col) {
    memset(t, 0, sizeof *t);
    size_t cap_rows = 0;
    if (strncmp(s, "\xEF\xBB\xBF", 3) == 0) s += 3; /* a byte order mark */
    const char *body = s;                           /* lines and columns count from here */
    while (*s) {
        if (t->n_rows == cap_rows) {
            cap_rows = cap_rows ? 2 * cap_rows : 64;
            char ***r = realloc(t->rows, cap_rows * sizeof *r);
            size_t *nc = realloc(t->n_cols, cap_rows * sizeof *nc);
            if (r) t->rows = r;
            if (nc) t->n_cols = nc;
            if (!r || !nc) return -1;
        }
        char **fields = NULL;
        size_t nf = 0, capf = 0;
        for (;;) {
            size_t cap = 64, len = 0;
            char *f = malloc(cap);
            if (f == NULL) return -1;
            if (*s == '"') {
                const char *quote = s++;
                for (;;) {
                    if (*s == '\0') {
                        free(f);
                        for (size_t k = 0; k < nf; k++) free(fields[k]);
                        free(fields);
                        *row = t->n_rows + 1;
                        json_line_col(body, (size_t)(quote - body), line, col);
                        return -1;
                    }
                    if (*s == '"' && s[1] == '"')
                        s++;
                    else if (*s == '"') {
                        s++;
                        break;
                    }
                    if (len + 2 > cap) {
                        char *g = realloc(f, cap *= 2);
                        if (g == NULL) return free(f), -1;
                        f = g;
                    }
                    f[len++] = *s++;
                }
            }
            while (*s && *s != ',' && *s != '\n' && *s != '\r') {
                if (len + 2 > cap) {
                    char *g = realloc(f, cap *= 2);
                    if (g == NULL) return free(f), -1;
                    f = g;
                }
                f[len++] = *s++;
            }
            f[len] = '\0';
            if (nf == capf) {
                capf = capf ? 2 * capf : 16;
                char **g = realloc(fields, capf * sizeof *g);
                if (g == NULL) return free(f), -1;
                fields = g;
            }
            fields[nf++] = f;
            if (*s == ',') {
                s++;
                continue;
            }
            if (*s == '\r') s++;
            if (*s == '\n') s++;
            break;
        }
        t->rows[t->n_rows] = fields;
        t->n_cols[t->n_rows++] = nf;
    }
    return 0;
}

/* ---------------------------------------------------------- titles, paths */

/* The schema key of one part of a title. */
static void title_key(const char *part, size_t len, char *out, size_t size) {
    size_t j = 0;
    int sep = 0;
    for (size_t i = 0; i < len && j + 2 < size; i++) {
        unsigned char ch = (unsigned char)part[i];
        if (isalnum(ch)) {
            if (sep && j > 0) out[j++] = '_';
            out[j++] = (char)tolower(ch);
            sep = 0;
        } else if (ch != '\'') {
            sep = 1;
        }
    }
    out[j] = '\0';
    for (size_t a = 0; a < sizeof ALIASES / sizeof ALIASES[0]; a++)
        if (strcmp(out, ALIASES[a][0]) == 0) snprintf(out, size, "%s", ALIASES[a][1]);
}

/* Add the value of one cell at the path its title gives under obj. Cells
 * that are not values (sources, notes) are left out. */
static int add_cell(cJSON *obj, const char *title, const char *value, const char *origin) {
    static const char suffix[] = " - (Value)";
    size_t n = strlen(title);
    int is_value = n >= sizeof suffix - 1 && strcmp(title + n - (sizeof suffix - 1), suffix) == 0;
    if (is_value)
        n -= sizeof suffix - 1;
    else if (strcmp(title, "Id") != 0 && strcmp(title, "ID") != 0)
        return 0; /* "(Source ID's)", "Sources", "Notes", ... */
    cJSON *node = obj;
    const char *p = title, *end = title + n;
    while (p < end) {
        const char *dash = strstr(p, " - ");
        size_t len = dash && dash < end ? (size_t)(dash - p) : (size_t)(end - p);
        char key[160];
        title_key(p, len, key, sizeof key);
        p += len + (dash && dash < end ? 3 : 0);
        if (key[0] == '\0') continue;
        int last = p >= end;
        cJSON *child = cJSON_GetObjectItemCaseSensitive(node, key);
        if (child == NULL) {
            child = cJSON_AddObjectToObject(node, key);
            if (child == NULL) return -1;
        }
        if (last) {
            cJSON_DeleteItemFromObjectCaseSensitive(child, "value");
            if (!cJSON_AddStringToObject(child, "value", value) ||
                !cJSON_AddStringToObject(child, INDIGO_ORIGIN_KEY, origin))
                return -1;
        }
        node = child;
    }
    return 0;
}

/* cell without the blanks around it: its start, and its length in *n. */
static const char *cell_trimmed(const char *cell, size_t *n) {
    while (isspace((unsigned char)*cell)) cell++;
    *n = strlen(cell);
    while (*n > 0 && isspace((unsigned char)cell[*n - 1])) (*n)--;
    return cell;
}

/* Whether cell, blanks around it aside, is text. */
static int cell_is(const char *cell, const char *text) {
    size_t n;
    cell = cell_trimmed(cell, &n);
    return n == strlen(text) && strncmp(cell, text, n) == 0;
}

/* The column of table t titled key ("ID", "Project ID"; blanks around it
 * allowed, but not another case: "Id" is an element's own id), or
 * SIZE_MAX when its first row has none. A table saved again from a
 * spreadsheet may have its columns in another order. */
static size_t key_column(const csv *t, const char *key) {
    for (size_t c = 0; t->n_rows > 0 && c < t->n_cols[0]; c++)
        if (cell_is(t->rows[0][c], key)) return c;
    return SIZE_MAX;
}

/* The rows of table t whose column k (its key_column) is id, added to obj
 * (the project) or as objects of array arr. Returns how many; -1 when out
 * of memory; -2 when such a row, or a row with id in another column, has a
 * value in a cell past the last column title, with err set (file `path`): a
 * value that no title names cannot be read, and is most often a comma of a
 * value left out of its quotes, which shifts the row's later cells under
 * the wrong titles (its key among them). */
static int add_rows(const csv *t, size_t k, const char *path, const char *file, const char *id,
                    cJSON *obj, cJSON *arr, sib_error *err) {
    int found = 0;
    if (t->n_rows == 0) return 0;
    char **head = t->rows[0];
    for (size_t r = 1; r < t->n_rows; r++) {
        /* A row with a value past the titles, and id in any of its cells:
         * its key may have moved out of column k. */
        size_t extra = t->n_cols[0];
        while (extra < t->n_cols[r] && t->rows[r][extra][0] == '\0') extra++;
        int mine = t->n_cols[r] > k && cell_is(t->rows[r][k], id);
        for (size_t c = 0; c < t->n_cols[r] && extra < t->n_cols[r] && !mine; c++)
            mine = cell_is(t->rows[r][c], id);
        if (!mine) continue;
        if (extra < t->n_cols[r]) {
            const char *v = t->rows[r][extra];
            snprintf(err->file, sizeof err->file, "%.255s", path);
            sib_error_set(err, SIB_EINVAL, "",
                          "row %zu has a value in cell %zu, past the %zu column titles of the "
                          "first row: expected at most %zu cells, found \"%.*s\" (a value with "
                          "a comma that is not in double quotes?)",
                          r + 1, extra + 1, t->n_cols[0], t->n_cols[0], (int)sib_utf8_cut(v, 60),
                          v);
            return -2;
        }
        found++;
        cJSON *target = obj;
        if (arr) {
            target = cJSON_CreateObject();
            if (target == NULL) return -1;
            cJSON_AddItemToArray(arr, target);
        }
        for (size_t c = 0; c < t->n_cols[r] && c < t->n_cols[0]; c++) {
            if (c == k || t->rows[r][c][0] == '\0') continue;
            char origin[400];
            snprintf(origin, sizeof origin, "%s, row %zu, column \"%.200s\"", file, r + 1, head[c]);
            if (add_cell(target, head[c], t->rows[r][c], origin) != 0) return -1;
        }
    }
    return found;
}

/* Whether two rows of the projects table t have id in their key column
 * k: SIB_EINVAL with err set (file path) naming the first two rows, as
 * read together their cells would be merged, a later row's over an
 * earlier one's; else SIB_OK. */
static int one_project_row(const csv *t, size_t k, const char *path, const char *id,
                           sib_error *err) {
    size_t first = 0;
    for (size_t r = 1; r < t->n_rows; r++) {
        if (!(t->n_cols[r] > k && cell_is(t->rows[r][k], id))) continue;
        if (first == 0) {
            first = r;
            continue;
        }
        snprintf(err->file, sizeof err->file, "%.255s", path);
        sib_error_set(err, SIB_EINVAL, "",
                      "expected one row with the ID \"%.*s\", found rows %zu and %zu (a project "
                      "listed twice: keep the row to import and remove the other)",
                      (int)sib_utf8_cut(id, 80), id, first + 1, r + 1);
        return err->code;
    }
    return SIB_OK;
}

/* The error for a table of the export without its key column: at its
 * first row, saying which title was expected and what the row holds. */
static int no_key_column(const csv *t, const char *path, const char *key, const char *what,
                         sib_error *err) {
    char found[160];
    if (t->n_rows == 0)
        snprintf(found, sizeof found, "%s", "an empty file");
    else
        snprintf(found, sizeof found, "%zu column%s, the first \"%.80s\"", t->n_cols[0],
                 t->n_cols[0] == 1 ? "" : "s", t->rows[0][0]);
    snprintf(err->file, sizeof err->file, "%.255s", path);
    sib_error_set(err, SIB_EINVAL, "",
                  "expected a first row of column titles with \"%s\" (%s), found %s", key, what,
                  found);
    err->line = 1;
    err->col = 1;
    return err->code;
}

/* ----------------------------------------------------------------- import */

static int read_table(const char *path, csv *t, sib_error *err) {
    char *text = sib_file_read(path, err);
    if (text == NULL) return -1;
    /* Every value goes into a JSON scenario: the text must be UTF-8. */
    const char *why;
    size_t bad = json_utf8_invalid(text, &why);
    if (bad != SIZE_MAX) {
        int line = 1, col = 1;
        for (size_t i = 0; i < bad; i++) {
            if (text[i] == '\n')
                line++, col = 1;
            else if (((unsigned char)text[i] & 0xC0) != 0x80)
                col++;
        }
        free(text);
        sib_error_set(err, SIB_ESYNTAX, "", "expected UTF-8 text (save the export as UTF-8): %s",
                      why);
        err->line = line;
        err->col = col;
        return -1;
    }
    size_t row = 0;
    int line = 0, col = 0;
    int rc = csv_parse(text, t, &row, &line, &col);
    free(text);
    if (rc != 0) {
        csv_free(t);
        if (row > 0) {
            sib_error_set(err, SIB_ESYNTAX, "",
                          "a quoted field (of row %zu) opens here and is never closed: expected "
                          "its closing '\"', found the end of the file",
                          row);
            err->line = line;
            err->col = col;
        } else
            sib_error_set(err, SIB_ENOMEM, "", "out of memory");
        return -1;
    }
    return 0;
}

int indigo_import_csv(const char *path, const char *id, const indigo_options *opt,
                      indigo_import **out, sib_error *err) {
    *out = NULL;
    sib_error_clear(err);
    char dir[4096], projects[4200];
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        snprintf(dir, sizeof dir, "%s", path);
        snprintf(projects, sizeof projects, "%s/original_projects.csv", path);
    } else {
        snprintf(projects, sizeof projects, "%s", path);
        const char *slash = strrchr(path, '/');
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
    }
    csv t;
    if (read_table(projects, &t, err) != 0) return err->code;
    cJSON *rec = cJSON_CreateObject();
    if (rec == NULL) {
        csv_free(&t);
        return sib_error_set(err, SIB_ENOMEM, "", "out of memory");
    }
    const char *base = strrchr(projects, '/') ? strrchr(projects, '/') + 1 : projects;
    size_t key = key_column(&t, "ID");
    if (key == SIZE_MAX) {
        no_key_column(&t, projects, "ID", "the projects' ids", err);
        csv_free(&t);
        cJSON_Delete(rec);
        return err->code;
    }
    if (one_project_row(&t, key, projects, id, err) != SIB_OK) {
        csv_free(&t);
        cJSON_Delete(rec);
        return err->code;
    }
    int found = add_rows(&t, key, projects, base, id, rec, NULL, err);
    /* An id not found: the one meant, when an id of the column is a
     * single edit away (a digit dropped or swapped), or none but the case
     * (the nearest; of equals, the first). Ids differ from one another by
     * a digit or two, so nothing farther is offered as meant. */
    char meant[96] = "";
    size_t nearest = 2;
    for (size_t r = 1; found == 0 && nearest > 0 && r < t.n_rows; r++) {
        if (t.n_cols[r] <= key) continue;
        size_t n;
        const char *cell = cell_trimmed(t.rows[r][key], &n);
        char trimmed[96];
        snprintf(trimmed, sizeof trimmed, "%.*s", (int)(n < sizeof trimmed ? n : 0), cell);
        const size_t d =
            trimmed[0] && strcmp(trimmed, id) != 0 ? sib_edit_distance(trimmed, id) : 2;
        if (d < nearest) {
            nearest = d;
            snprintf(meant, sizeof meant, "%s", trimmed);
        }
    }
    csv_free(&t);
    if (found == -2) {
        cJSON_Delete(rec);
        return err->code;
    }
    if (found <= 0) {
        cJSON_Delete(rec);
        snprintf(err->file, sizeof err->file, "%.255s", projects);
        if (found < 0) return sib_error_set(err, SIB_ENOMEM, "", "out of memory");
        if (meant[0] != '\0')
            return sib_error_set(err, SIB_EINVAL, "",
                                 "no project \"%s\" in its ID column; did you mean \"%s\"?", id,
                                 meant);
        return sib_error_set(err, SIB_EINVAL, "",
                             "no project \"%s\" in its ID column (ids look like INDIGO-POJ-0001)",
                             id);
    }
    for (const char *const *a = ARRAYS; *a; a++) {
        char file[4400], shown[200];
        snprintf(file, sizeof file, "%s/original_projects_%s.csv", dir, *a);
        snprintf(shown, sizeof shown, "original_projects_%s.csv", *a);
        if (stat(file, &sb) != 0) continue;
        if (read_table(file, &t, err) != 0) {
            cJSON_Delete(rec);
            return err->code;
        }
        key = key_column(&t, "Project ID");
        if (key == SIZE_MAX && t.n_rows > 0) {
            no_key_column(&t, file, "Project ID", "the project of each row", err);
            csv_free(&t);
            cJSON_Delete(rec);
            return err->code;
        }
        cJSON *arr = cJSON_CreateArray();
        int n = arr == NULL       ? -1
                : key == SIZE_MAX ? 0
                                  : add_rows(&t, key, file, shown, id, NULL, arr, err);
        csv_free(&t);
        if (n == -2) {
            cJSON_Delete(arr);
            cJSON_Delete(rec);
            return err->code;
        }
        if (n < 0) {
            cJSON_Delete(arr);
            cJSON_Delete(rec);
            return sib_error_set(err, SIB_ENOMEM, "", "out of memory");
        }
        if (n > 0)
            cJSON_AddItemToObject(rec, *a, arr);
        else
            cJSON_Delete(arr);
    }
    im_printable_tree(rec);
    int rc = indigo_map(rec, projects, id, opt, out, err);
    cJSON_Delete(rec);
    return rc;
}
