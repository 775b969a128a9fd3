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
 * The document also keeps the text it was read from. Its text
 * (scenario_doc_text, and so a save) is that text with only the values that
 * differ replaced: indentation, spacing, compact lines, the way a number is
 * written (0.10, 2.0, 1e6) and the escapes in a string all stay as they
 * were, and an unedited document gives back its text byte for byte.
 *
 * Ownership: scenario_doc_new() returns a document freed with
 * scenario_doc_free(); strings returned by scenario_doc_text() and
 * scenario_doc_recovery_path() are the caller's to free().
 */
#ifndef SIB_DOCUMENT_H
#define SIB_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
    char pointer[256]; /* "" for the root, and when pointer_cut */
    bool pointer_cut;  /* the node's pointer is longer than 255 bytes: the node is
                          shown but has no pointer, so it cannot be edited here */
    char key[96];      /* member name, or "[i]" for an array element */
    int depth;         /* 0 for the root's members */
    doc_kind kind;
    double number;     /* DOC_NUMBER */
    bool boolean;      /* DOC_BOOL */
    const char *text;  /* DOC_STRING: the whole string, borrowed from the
                          document (valid until it is changed or freed);
                          "" for other kinds */
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

/* The document as JSON text: the text it was read from, with only the
 * values that differ from it written anew (a number in the shortest form
 * that reads back to the same double, a string escaped as JSON). */
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

/* Numbers as the UI shows, reads and writes them, whatever the locale
 * (LC_NUMERIC may say a comma; JSON and the edit line use a point).
 *
 * doc_number_text: the shortest text that reads back to the same double: a
 * whole number below 1e17 in plain digits (1234567890123), anything else in
 * the fewest significant digits of %g that read back exactly (0.1, 0.075),
 * its exponent without a plus or a leading zero (1e-7, 1.5e20). Returns
 * buf.
 *
 * doc_number_parse: a number as a person types it: optional spaces, a sign,
 * digits with a decimal point, an exponent (12000, -0.5, .25, 1e6). 0 and
 * *out on success; -1 for anything else (an empty line, a comma, a hex
 * number, inf, nan, and a number a double does not hold as typed: beyond
 * about 1.8e308, not 0 but read as 0, a whole number beyond 2^53 read as
 * another).
 *
 * doc_number_read: doc_number_parse, and when it refuses a number a double
 * does not hold, why (size bytes) says so and what it would be read as
 * (else why is empty: not a number at all). */
char *doc_number_text(double x, char *buf, size_t size);
int doc_number_parse(const char *text, double *out);
int doc_number_read(const char *text, double *out, char *why, size_t size);

/* Write the document to path atomically: a temporary file in the same
 * directory, flushed and renamed over path; when path existed, its previous
 * content is kept as path.bak. SIB_EIO with err filled on failure (the old
 * file is then untouched). On success *hash (when not NULL) is the content
 * hash of what was written, for scenario_doc_disk_check. The save itself
 * asks nothing: the caller checks first for a file changed on disk
 * (scenario_doc_disk_check) or read-only (scenario_doc_read_only). */
int scenario_doc_save(const scenario_doc *doc, const char *path, uint64_t *hash, sib_error *err);

/* The content hash of a file's text: 64-bit FNV-1a. */
uint64_t scenario_doc_hash(const char *text, size_t len);

/* What is at path now, against the hash of its content when it was last
 * read or written. */
typedef enum {
    DOC_DISK_SAME,    /* the same content */
    DOC_DISK_CHANGED, /* another content: someone changed it since */
    DOC_DISK_MISSING, /* no file there now */
    DOC_DISK_UNKNOWN  /* not a regular file (a FIFO, a device), or unreadable */
} doc_disk_state;

doc_disk_state scenario_doc_disk_check(const char *path, uint64_t hash);

/* Whether the file at path exists and is read-only: we may not write it,
 * or nobody may (no write permission bit at all, which root would
 * otherwise ignore). A save replaces a file by renaming a new one over it,
 * which the directory's permission allows whatever the file's own, so the
 * caller asks this first. A missing file, a FIFO or a device is not
 * read-only here (the writer says when it cannot write them). */
bool scenario_doc_read_only(const char *path);

/* Where the unsaved edits of the scenario at path are kept when the UI is
 * stopped by a signal: ".NAME.sibsim-recover" beside the file (beside the
 * end of its symbolic links), a hidden name that no scenario list or
 * `*.json` picks up and that names the file it belongs to. path NULL (the
 * built-in scenario): ".sibsim-builtin.sibsim-recover" in the current
 * directory. NULL when out of memory. The first of the slots below. */
char *scenario_doc_recovery_path(const char *path);

/* Recovery files never replace one another: a session stopped by a signal
 * while an earlier session's recovery file waits (its edits left for
 * later) writes the next slot. Slot 0 is scenario_doc_recovery_path, slot
 * k > 0 the same name with "-(k + 1)" after it (".pb.json.sibsim-recover-2");
 * at most SCENARIO_DOC_RECOVERY_SLOTS of them. NULL when out of memory. */
#define SCENARIO_DOC_RECOVERY_SLOTS 20
char *scenario_doc_recovery_slot(const char *path, unsigned k);

/* The lock of recovery file rp (slot path + ".lock"): held, through
 * sib_file_lock, by the session that keeps its unsaved edits in rp while it
 * runs. A recovery file whose lock is held belongs to a session still
 * running; one whose lock is free was left by a session that ended (stopped
 * by a signal, crashed, killed). The caller frees the result; NULL when out
 * of memory. */
char *scenario_doc_recovery_lock(const char *rp);

/* Claim a recovery slot of the scenario at path for this session: the first
 * slot no file occupies whose lock no running session holds. On SIB_OK
 * *slot is its path (the caller's to free) and *lock its lock's descriptor,
 * held until sib_file_unlock(*lock, scenario_doc_recovery_lock(*slot)), or
 * -1 when no lock can be made there (a file system without flock): the
 * slot is then claimed by its file alone. SIB_EIO when every slot is
 * taken. */
int scenario_doc_claim_recovery(const char *path, char **slot, int *lock, sib_error *err);

/* Write the document's text, the unsaved edits of the scenario at path, to
 * a recovery file, through the file writer (atomic, no .bak), with the
 * permissions of the scenario's file (it holds the same data): to in_use
 * when it is not NULL (a recovery file this session took up or claimed:
 * these edits include its own), else to a slot claimed for the write
 * (scenario_doc_claim_recovery, its lock given up once written) -- never
 * over a recovery file of another session. On SIB_OK *written (when
 * written is not NULL) is the path written, the caller's to free. SIB_EIO
 * when every slot is taken. */
int scenario_doc_save_recovery(const scenario_doc *doc, const char *path, const char *in_use,
                               char **written, sib_error *err);

#endif
