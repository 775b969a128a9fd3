/* fuzz_document.c -- the terminal UI's editable document, edited at random.
 *
 * What it attacks: model/document.c and the writer behind a save
 * (model/file.c). The bytes before the first NUL are parsed as a document
 * (any JSON, not only scenarios); the bytes after it choose a few edits --
 * a number, a string or a boolean set at a node of the tree view
 * (scenario_doc_nodes), with numbers that are NaN, infinite or huge and
 * strings with quotes, control bytes and bytes that are not UTF-8. Without
 * a NUL the edits come from a hash of the text, so every input edits.
 * Then the document is rendered, parsed again, compiled, saved to a
 * temporary file and read back.
 *
 * What "wrong" means, besides a crash, a sanitizer report, a leak or a
 * hang: the rendered text does not parse; the re-parsed document renders
 * to a different text (a save and a reopen would change the file); a copy
 * renders differently; the file a save wrote is not byte for byte the
 * text; an edit at a node the tree view listed fails for a reason other
 * than the node's kind or a pointer the view had to shorten; compiling the
 * document and loading its text disagree.
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include "fuzz.h"

#include <unistd.h>

#include "../../model/document.h"
#include "../../model/file.h"
#include "../../model/json_internal.h"
#include "../../model/scenario.h"

#define TEXT_CAP (256u << 10)
#define MAX_EDITS 6

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[256], path[300];

/* A directory of our own for the saves: on tmpfs when there is one (a save
 * syncs the file, which on a disk costs milliseconds). */
static void make_dir(void) {
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/sibsim-fuzz-doc.XXXXXX", base ? base : "/tmp");
    if (mkdtemp(dir) == NULL) {
        perror("fuzz_document: mkdtemp");
        abort();
    }
    snprintf(path, sizeof path, "%s/scenario.json", dir);
}

static void remove_dir(void) {
    char bak[320];
    snprintf(bak, sizeof bak, "%s.bak", path);
    unlink(path);
    unlink(bak);
    rmdir(dir);
}

/* FNV-1a: edits for inputs that carry none. */
static uint64_t hash(const uint8_t *p, size_t n) {
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211u;
    return h;
}

static int same_scenario(const scenario *a, const scenario *b) {
    if ((a == NULL) != (b == NULL)) return 0;
    if (a == NULL) return 1;
    return a->n_stages == b->n_stages && a->n_outcomes == b->n_outcomes &&
           a->n_inputs == b->n_inputs && a->n_financing == b->n_financing &&
           a->contract.n_rules == b->contract.n_rules && a->n_cases == b->n_cases &&
           strcmp(a->name, b->name) == 0;
}

/* Whether an object of the document repeats a member name (JSON allows
 * it, the loader refuses it; a pointer then reaches the first). The tree
 * is rebuilt from the view's depths; member names are compared as the
 * view keeps them (shortened to 95 bytes), so a long name may count as
 * repeated when it is not: that only makes the checks below skip more. */
typedef struct sibling {
    size_t parent;
    const char *key;
} sibling;
static int cmp_sibling(const void *a, const void *b) {
    const sibling *x = a, *y = b;
    if (x->parent != y->parent) return x->parent < y->parent ? -1 : 1;
    return strcmp(x->key, y->key);
}
static int repeated_names(const doc_node *nodes, size_t n) {
    sibling *sib = malloc((n ? n : 1) * sizeof *sib);
    size_t *last = malloc((n + 2) * sizeof *last); /* last node seen at each depth */
    int dup = 1; /* out of memory: assume the worst, check nothing */
    if (sib != NULL && last != NULL) {
        for (size_t i = 0; i < n; i++) {
            size_t d = (size_t)nodes[i].depth;
            sib[i].parent = d == 0 ? SIZE_MAX : last[d - 1];
            sib[i].key = nodes[i].key;
            last[d] = i;
        }
        qsort(sib, n, sizeof *sib, cmp_sibling);
        dup = 0;
        for (size_t i = 1; i < n && !dup; i++) dup = cmp_sibling(&sib[i - 1], &sib[i]) == 0;
    }
    free(last);
    free(sib);
    return dup;
}

/* The view of doc (the caller frees it) and its size. */
static doc_node *view(const scenario_doc *doc, size_t *n) {
    *n = scenario_doc_nodes(doc, NULL, 0);
    doc_node *nodes = malloc((*n ? *n : 1) * sizeof *nodes);
    if (nodes != NULL) scenario_doc_nodes(doc, nodes, *n);
    return nodes;
}

static void edit(scenario_doc *doc, int dups, fuzz_bytes *b) {
    size_t cap = 4096;
    doc_node *nodes = malloc(cap * sizeof *nodes);
    if (nodes == NULL) return;
    size_t n = scenario_doc_nodes(doc, nodes, cap);
    if (n > cap) n = cap;
    if (n == 0) {
        free(nodes);
        return;
    }
    unsigned what = fuzz_byte(b);
    size_t at = ((size_t)fuzz_byte(b) << 8 | fuzz_byte(b)) % n;
    const doc_node *d = &nodes[at];
    sib_error err;
    int rc, not_utf8 = 0;
    switch (what % 3) {
    case 0: rc = scenario_doc_set_number(doc, d->pointer, fuzz_number(b, d->number), &err); break;
    case 1: {
        char s[64];
        size_t len = fuzz_byte(b) % sizeof s;
        for (size_t i = 0; i < len; i++) s[i] = (char)(fuzz_byte(b) | 1); /* no NUL */
        s[len] = '\0';
        const char *why;
        not_utf8 = json_utf8_invalid(s, &why) != SIZE_MAX; /* refused: a file holds UTF-8 */
        rc = scenario_doc_set_string(doc, d->pointer, s, &err);
        break;
    }
    default: rc = scenario_doc_set_bool(doc, d->pointer, what & 0x80, &err); break;
    }
    /* A node whose pointer does not fit doc_node.pointer is listed without
     * one (pointer_cut), and a member whose name repeats is reached by its
     * first name only: an edit there may fail. Otherwise only arrays and
     * (for strings and booleans) objects refuse a value. */
    int shortened = d->pointer_cut;
    int container = d->kind == DOC_ARRAY || (d->kind == DOC_OBJECT && what % 3 != 0);
    if (rc != SIB_OK) {
        FUZZ_REQUIRE(err.code == rc && err.message[0] != '\0', "edit refused without a reason");
        FUZZ_REQUIRE(shortened || container || dups || not_utf8,
                     "an edit of %s (kind %d) at a node the view lists failed: %s", d->pointer,
                     (int)d->kind, err.message);
    }
    free(nodes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_once();
    if (dir[0] == '\0') {
        make_dir();
        atexit(remove_dir);
    }
    const uint8_t *nul = memchr(data, 0, size);
    size_t text_len = nul ? (size_t)(nul - data) : size;
    char *text = fuzz_text(data, text_len, TEXT_CAP);
    if (text == NULL) return 0;
    uint8_t hashed[2 * MAX_EDITS * 12];
    fuzz_bytes b;
    if (nul != NULL) {
        b = (fuzz_bytes){nul + 1, size - text_len - 1, 0};
    } else {
        uint64_t h = hash(data, size);
        for (size_t i = 0; i < sizeof hashed; i++) {
            h = h * 6364136223846793005u + 1442695040888963407u;
            hashed[i] = (uint8_t)(h >> 56);
        }
        b = (fuzz_bytes){hashed, sizeof hashed, 0};
    }
    sib_error err;
    scenario_doc *doc = scenario_doc_new(text, "fuzz.json", &err);
    if (doc == NULL) {
        FUZZ_REQUIRE(err.code != SIB_OK && err.message[0] != '\0', "refused without a reason");
        free(text);
        return 0;
    }
    unsigned edits = fuzz_byte(&b) % (MAX_EDITS + 1);
    size_t n0;
    doc_node *v0 = view(doc, &n0);
    int dups = v0 == NULL || repeated_names(v0, n0);
    free(v0);
    for (unsigned k = 0; k < edits && fuzz_left(&b) > 0; k++) edit(doc, dups, &b);

    /* Render, parse again, render: the same text. */
    char *t1 = scenario_doc_text(doc);
    FUZZ_REQUIRE(t1 != NULL, "no text");
    scenario_doc *again = scenario_doc_new(t1, "again.json", &err);
    FUZZ_REQUIRE(again != NULL, "the rendered document does not parse: %s at %d:%d\n%s",
                 err.message, err.line, err.col, t1);
    char *t2 = scenario_doc_text(again);
    FUZZ_REQUIRE(t2 != NULL && strcmp(t1, t2) == 0,
                 "rendered, parsed and rendered again, the text changed:\n%s\n----\n%s", t1,
                 t2 ? t2 : "(null)");
    /* Every number the view lists under a pointer is what that pointer
     * reaches: what the TUI edits is what it shows. A node whose pointer is
     * too long is listed without one (pointer_cut), never under a cut
     * pointer that names another node (the defect
     * fuzz_document-long-pointer-wrong-node, fixed). */
    size_t n2;
    doc_node *v2 = view(again, &n2);
    if (v2 != NULL && !repeated_names(v2, n2)) {
        for (size_t i = 0; i < n2; i++) {
            if (v2[i].kind != DOC_NUMBER) continue;
            if (v2[i].pointer_cut) continue;
            double x = 0;
            int rc = scenario_number_at(t1, v2[i].pointer, &x, &err);
            FUZZ_REQUIRE(rc == SIB_OK && memcmp(&x, &v2[i].number, sizeof x) == 0,
                         "the view lists %.17g at \"%s\" (key \"%s\", depth %d), which "
                         "reaches %s %.17g", v2[i].number, v2[i].pointer, v2[i].key,
                         v2[i].depth, rc == SIB_OK ? "the number" : err.message, x);
        }
    }
    free(v2);

    scenario_doc *copy = scenario_doc_copy(doc);
    FUZZ_REQUIRE(copy != NULL, "no copy");
    char *t3 = scenario_doc_text(copy);
    FUZZ_REQUIRE(t3 != NULL && strcmp(t1, t3) == 0, "a copy renders differently");

    /* Compiling the document is loading its text. */
    sib_error e1, e2;
    scenario *s1 = scenario_doc_compile(doc, &e1);
    scenario *s2 = scenario_load_string(t1, "fuzz.json", &e2);
    FUZZ_REQUIRE(same_scenario(s1, s2), "compile and load disagree");
    if (s1 == NULL)
        FUZZ_REQUIRE(e1.code == e2.code && strcmp(e1.message, e2.message) == 0 &&
                         strcmp(e1.pointer, e2.pointer) == 0,
                     "compile: %s %s; load: %s %s", e1.pointer, e1.message, e2.pointer,
                     e2.message);

    /* Save through the writer and read back: the same bytes, and a reopen
     * of the file renders the same text. */
    int rc = scenario_doc_save(again, path, NULL, &err);
    FUZZ_REQUIRE(rc == SIB_OK, "save: %s", err.message);
    char *back = sib_file_read(path, &err);
    FUZZ_REQUIRE(back != NULL && strcmp(back, t1) == 0, "the saved file is not the text");
    scenario_doc *reopened = scenario_doc_new(back, path, &err);
    FUZZ_REQUIRE(reopened != NULL, "the saved file does not parse");
    char *t4 = scenario_doc_text(reopened);
    FUZZ_REQUIRE(t4 != NULL && strcmp(t1, t4) == 0, "the reopened file renders differently");

    free(t4);
    scenario_doc_free(reopened);
    free(back);
    scenario_free(s1);
    scenario_free(s2);
    free(t3);
    scenario_doc_free(copy);
    free(t2);
    scenario_doc_free(again);
    free(t1);
    scenario_doc_free(doc);
    free(text);
    return 0;
}
