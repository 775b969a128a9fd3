/* edit.c -- the terminal UI's model of the scenario: the document being
 * edited, its undo and redo stacks, and an edit's way in -- compiled by the
 * loader and checked by the engine before it replaces the document, so that
 * a refused value never reaches the simulation or the file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

/* ------------------------------------------------------------- the model */

void app_refresh_nodes(app *a) {
    size_t n = scenario_doc_nodes(a->doc, a->nodes, a->cap_nodes);
    if (n > a->cap_nodes) {
        /* More fields than the array holds: grow it, with room to spare. */
        size_t cap = n + n / 4;
        doc_node *more =
            cap <= SIZE_MAX / sizeof *more ? realloc(a->nodes, cap * sizeof *more) : NULL;
        if (more != NULL) {
            a->nodes = more;
            a->cap_nodes = cap;
            n = scenario_doc_nodes(a->doc, a->nodes, a->cap_nodes);
        }
    }
    a->nodes_cut = n > a->cap_nodes;
    if (a->nodes_cut) {
        app_say(a, 1, "out of memory: the tree shows the first %zu of the %zu fields", a->cap_nodes,
                n);
        n = a->cap_nodes;
    }
    a->n_nodes = n;
    if (a->cursor >= (int)a->n_nodes) a->cursor = (int)a->n_nodes - 1;
    if (a->cursor < 0) a->cursor = 0;
}

void app_free_notes(app *a) {
    for (size_t i = 0; i < a->n_notes; i++) {
        free(a->note_ptr[i]);
        free(a->note_text[i]);
    }
    free(a->note_ptr);
    free(a->note_text);
    a->note_ptr = a->note_text = NULL;
    a->n_notes = 0;
}

void app_take_notes(app *a, const scenario *sc) {
    size_t n = sc->n_assumptions, k = 0;
    char **ptr = calloc(n + 1, sizeof *ptr), **text = calloc(n + 1, sizeof *text);
    int bad = ptr == NULL || text == NULL;
    for (size_t i = 0; i < n && !bad; i++) {
        const char *pointer = sc->assumptions[i].pointer;
        size_t first = 0;
        while (first < i && strcmp(sc->assumptions[first].pointer, pointer) != 0) first++;
        if (first < i) continue; /* the pointer's note is written already */
        /* Every assumption on this pointer, in file order. */
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (f == NULL) {
            bad = 1;
            break;
        }
        for (size_t j = i; j < n; j++) {
            const scenario_assumption *as = &sc->assumptions[j];
            if (strcmp(as->pointer, pointer) != 0) continue;
            fprintf(f, "%s%s: %s", j > i ? "  |  " : "", assumption_status_name(as->status),
                    as->note);
            for (size_t c = 0; c < as->n_sources; c++)
                fprintf(f, "%s%s%s", c ? "; " : " (sources: ", sc->sources[as->sources[c]].title,
                        c + 1 == as->n_sources ? ")" : "");
        }
        bad |= fclose(f) != 0 || buf == NULL;
        text[k] = buf;
        ptr[k] = strdup(pointer);
        bad |= ptr[k++] == NULL;
    }
    if (bad) {
        for (size_t i = 0; i < k; i++) {
            free(ptr[i]);
            free(text[i]);
        }
        free(ptr);
        free(text);
        return;
    }
    app_free_notes(a);
    a->note_ptr = ptr;
    a->note_text = text;
    a->n_notes = k;
}

const char *app_note_of(const app *a, const char *pointer) {
    for (size_t i = 0; i < a->n_notes; i++)
        if (strcmp(a->note_ptr[i], pointer) == 0) return a->note_text[i];
    return NULL;
}

/* Edited = the document differs from what was last loaded or saved (so
 * undoing every edit is clean again). */
static void update_dirty(app *a) {
    char *text = scenario_doc_text(a->doc);
    a->dirty = text == NULL || a->saved_text == NULL || strcmp(text, a->saved_text) != 0;
    free(text);
}

void app_mark_saved(app *a) {
    free(a->saved_text);
    a->saved_text = scenario_doc_text(a->doc);
    a->dirty = 0;
}

/* Make doc the current document, the current one going on the undo stack
 * (the oldest is dropped past MAX_UNDO) and what could be redone cleared. */
void app_push_document(app *a, scenario_doc *doc) {
    if (a->n_undo == MAX_UNDO) {
        scenario_doc_free(a->undo[0]);
        memmove(a->undo, a->undo + 1, (MAX_UNDO - 1) * sizeof *a->undo);
        a->n_undo--;
    }
    a->undo[a->n_undo++] = a->doc;
    while (a->n_redo > 0) scenario_doc_free(a->redo[--a->n_redo]);
    a->doc = doc;
    update_dirty(a);
    app_refresh_nodes(a);
}

/* Apply an edit made to a copy of the document: compile it; if the loader
 * refuses it, keep the old document and show the loader's message; else
 * push the old one on the undo stack and restart the simulation. */
/* The scenario of document d, or NULL with err filled when the loader or
 * the engine refuses it. What only the engine checks (the generator's
 * name, the size of the cash-flow grid, the correlations) is checked too,
 * so that a refused edit never reaches the simulation or the file. */
static scenario *compile_checked(const app *a, const scenario_doc *d, sib_error *err) {
    scenario *sc = scenario_doc_compile(d, err);
    if (sc == NULL) return NULL;
    sib_error_clear(err);
    snprintf(err->file, sizeof err->file, "%.*s", APP_CUT(a->shown, 255));
    engine *probe = engine_new(sc, err);
    if (probe == NULL) {
        scenario_free(sc);
        return NULL;
    }
    engine_free(probe);
    return sc;
}

/* Whether the document with the number at pointer set to value is a
 * scenario the session would take (nothing is said or changed). */
static int number_taken(const app *a, const char *pointer, double value) {
    scenario_doc *copy = scenario_doc_copy(a->doc);
    sib_error err;
    if (copy == NULL) return 0;
    scenario *sc = scenario_doc_set_number(copy, pointer, value, &err) == SIB_OK
                       ? compile_checked(a, copy, &err)
                       : NULL;
    int taken = sc != NULL;
    scenario_doc_free(copy);
    scenario_free(sc);
    return taken;
}

void app_commit_edit(app *a, scenario_doc *edited) {
    /* A value set to what it was is no edit: nothing to undo, nothing to
     * simulate again. */
    char *before = scenario_doc_text(a->doc), *after = scenario_doc_text(edited);
    int same = before && after && strcmp(before, after) == 0;
    free(before);
    free(after);
    if (same) {
        app_say(a, 0, "%s", "unchanged");
        scenario_doc_free(edited);
        return;
    }
    sib_error err;
    scenario *sc = compile_checked(a, edited, &err);
    if (sc == NULL) {
        char buf[700];
        sib_error_format(&err, buf, sizeof buf);
        app_say(a, 1, "refused: %.*s", APP_CUT(buf, 490));
        scenario_doc_free(edited);
        return;
    }
    app_push_document(a, edited);
    a->message[0] = '\0';
    app_restart(a, sc);
}

void app_set_number(app *a, const char *pointer, double value) {
    scenario_doc *copy = scenario_doc_copy(a->doc);
    sib_error err;
    if (copy == NULL) return;
    if (scenario_doc_set_number(copy, pointer, value, &err) != SIB_OK) {
        app_say(a, 1, "%s", err.message);
        scenario_doc_free(copy);
        return;
    }
    app_commit_edit(a, copy);
}

void app_nudge(app *a, const char *pointer, double from, double step) {
    /* The step itself, unless the field takes only whole numbers (a seed, a
     * size) and refuses it: then the whole step. Whether a field is whole
     * is the loader's to say, not the value's: a probability of 1 nudged
     * down is 0.99, a cohort of 186 up is 188. If neither is taken, the
     * refusal of the step itself is what the person is told. */
    double to = tui_nudge(from, step, 0);
    if (!number_taken(a, pointer, to)) {
        double whole = tui_nudge(from, step, 1);
        if (whole != to && number_taken(a, pointer, whole)) to = whole;
    }
    app_set_number(a, pointer, to);
}

/* Undo (dir = -1) or redo (+1): swap documents between the stacks. */
void app_history(app *a, int dir) {
    scenario_doc **from = dir < 0 ? a->undo : a->redo, **to = dir < 0 ? a->redo : a->undo;
    int *nf = dir < 0 ? &a->n_undo : &a->n_redo, *nt = dir < 0 ? &a->n_redo : &a->n_undo;
    if (*nf == 0) {
        app_say(a, 0, "%s", dir < 0 ? "nothing to undo" : "nothing to redo");
        return;
    }
    scenario_doc *doc = from[--*nf];
    sib_error err;
    scenario *sc = scenario_doc_compile(doc, &err);
    if (sc == NULL) { /* cannot happen: only valid documents are kept */
        from[(*nf)++] = doc;
        return;
    }
    if (*nt < MAX_UNDO)
        to[(*nt)++] = a->doc;
    else
        scenario_doc_free(a->doc);
    a->doc = doc;
    update_dirty(a);
    app_refresh_nodes(a);
    app_restart(a, sc);
    app_say(a, 0, "%s", dir < 0 ? "undone" : "redone");
}
