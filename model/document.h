/* document.h -- a scenario as an editable JSON document.
 *
 * The terminal UI edits the scenario a person wrote, not the compiled
 * structs: a document keeps every field in its order, so that saving writes
 * back the same file with only the edited values changed. The document is a
 * cJSON tree behind an opaque handle (cJSON stays in model/), addressed by
 * JSON Pointer; scenario_doc_compile() runs the ordinary loader on it, so an
 * edit is accepted only when the whole scenario is still valid, with the
 * loader's message when it is not.
 *
 * Ownership: scenario_doc_new() returns a document freed with
 * scenario_doc_free(); strings returned by scenario_doc_text() are the
 * caller's to free().
 */
#ifndef SIB_DOCUMENT_H
#define SIB_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>

#include "scenario.h"

typedef struct scenario_doc scenario_doc;

typedef enum {
    DOC_OBJECT,
    DOC_ARRAY,
    DOC_NUMBER,
    DOC_STRING,
    DOC_BOOL,
    DOC_NULL
} doc_kind;

/* One node of the document in display order (depth-first, fields in file
 * order): what a tree view shows. */
typedef struct doc_node {
    char pointer[256]; /* "" for the root */
    char key[96];      /* member name, or "[i]" for an array element */
    int depth;         /* 0 for the root's members */
    doc_kind kind;
    double number;     /* DOC_NUMBER */
    bool boolean;      /* DOC_BOOL */
    char text[160];    /* DOC_STRING (truncated for display) */
    int children;      /* DOC_OBJECT, DOC_ARRAY */
} doc_node;

/* Parse text (name is used in messages). NULL with err filled on a syntax
 * error or out of memory. The text need not be a valid scenario. */
scenario_doc *scenario_doc_new(const char *text, const char *name, sib_error *err);

/* The file name used in messages (after "save as"). */
void scenario_doc_set_name(scenario_doc *doc, const char *name);

/* Free a document. NULL is a no-op. */
void scenario_doc_free(scenario_doc *doc);

/* A deep copy (for undo, or a "before" to compare with). */
scenario_doc *scenario_doc_copy(const scenario_doc *doc);

/* The document as JSON text, indented by two spaces, fields in order. */
char *scenario_doc_text(const scenario_doc *doc);

/* Compile the document into a scenario with the ordinary loader. */
scenario *scenario_doc_compile(const scenario_doc *doc, sib_error *err);

/* Every node in display order into nodes (up to max); returns how many
 * there are (which may exceed max). */
size_t scenario_doc_nodes(const scenario_doc *doc, doc_node *nodes, size_t max);

/* Set the value at pointer: a number, a string or a boolean. The node must
 * exist and hold a scalar (a number may replace a number or a prior's
 * distribution object). The document is changed even when the result is not
 * a valid scenario: compile it to check, and undo with a copy. */
int scenario_doc_set_number(scenario_doc *doc, const char *pointer, double value, sib_error *err);
int scenario_doc_set_string(scenario_doc *doc, const char *pointer, const char *value,
                            sib_error *err);
int scenario_doc_set_bool(scenario_doc *doc, const char *pointer, bool value, sib_error *err);

/* Write the document to path atomically: a temporary file in the same
 * directory, flushed and renamed over path; when path existed, its previous
 * content is kept as path.bak. SIB_EIO with err filled on failure (the old
 * file is then untouched). */
int scenario_doc_save(const scenario_doc *doc, const char *path, sib_error *err);

#endif
