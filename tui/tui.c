/* tui.c -- the ncurses front end: one loop that reads keys with a timeout,
 * dispatches them, and redraws when something changed (the ncdu/htop
 * shape), and one simulation thread that runs the current scenario in
 * growing batches and publishes snapshots of the results.
 *
 * The simulation always runs a compare engine: A is the scenario as loaded,
 * B as edited, on common random numbers. The views show B; the "before /
 * after" view shows both with their paired difference.
 */
#include "tui.h"

#include <curses.h>
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../present/format.h"
#include "../model/document.h"
#include "../model/file.h"
#include "../sim/analysis.h"
#include "../sim/engine.h"
#include "../sim/warnings.h"
#include "model.h"

#define HBINS 48
#define MAX_NODES 4096
#define MAX_UNDO 128
#define MAX_BARS 64
#define MAX_WARNINGS 32
/* A field whose JSON Pointer is longer than doc_node.pointer holds. */
#define POINTER_TOO_LONG \
    "this field's path is over 255 bytes long: edit it in a text editor"

typedef enum { VIEW_RESULTS, VIEW_HISTOGRAM, VIEW_FUNNEL, VIEW_TORNADO, VIEW_COMPARE, VIEW_COUNT } view;

/* A published copy of the results: the UI reads it, the simulation thread
 * replaces it, under the app's lock. */
typedef struct snap_metric {
    metric_info info;
    stats_summary s;
} snap_metric;

typedef struct snapshot {
    int generation;
    uint64_t paths, target;
    double seconds;
    size_t n;
    snap_metric *m; /* all metrics of the compare engine */
    double hist[HBINS], hist_lo, hist_hi;
    char hist_label[400];
    int hist_unit;
    double hist_p05, hist_p50, hist_p95;
} snapshot;

typedef struct app {
    /* The document and its editing history. */
    char *path;              /* where s saves; NULL for the built-in scenario */
    char shown[512];
    uint64_t disk_hash;      /* the content of path when last read or written */
    int disk_known;          /* disk_hash is that of path */
    const char *disk_event;  /* how disk_hash was had: "opened", "reloaded", "last saved" */
    char *recovery_in_use;   /* the recovery file whose edits were taken up */
    size_t stale_temps;      /* temporaries of killed saves beside path */
    /* Likely mistakes in the scenario being simulated (sim/warnings.h). */
    sib_warning warnings[MAX_WARNINGS];
    size_t n_warnings, warning_shown;
    scenario_doc *doc;
    scenario_doc *undo[MAX_UNDO], *redo[MAX_UNDO];
    int n_undo, n_redo, dirty;
    char *saved_text;        /* the document as last loaded or saved */
    doc_node *nodes;
    size_t n_nodes;
    int cursor, top;
    /* What is shown. */
    view v;
    int help, hist_choice;
    char find[128];
    char message[512];
    int message_is_error;
    char currency[8];
    unsigned threads;
    /* The simulation thread and what it shares with the UI. */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int generation, quit;
    scenario *original;      /* A: as loaded or last saved (the simulation thread's) */
    scenario *pending_original; /* the next baseline, after a save */
    scenario *pending;       /* B: the newest edited scenario, handed over */
    snapshot snap;
    int tornado_request, tornado_running, tornado_generation;
    char *tornado_text;
    char tornado_metric[400];
    tornado_bar bars[MAX_BARS];
    size_t n_bars;
    double tornado_base;
    char tornado_error[512];
    int changed;             /* something new to draw */
} app;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* --------------------------------------------------------- the simulation */

/* The metric the histogram shows, by its choice number: investor IRR and
 * multiple of each structure's first tranche, then what each structure
 * costs the commissioner, then the contract's payments. Returns the index
 * of the metric in e (ROLE_TWIN: the edited scenario), or SIZE_MAX. */
static size_t hist_metric(const engine *e, int choice) {
    size_t found[64], n = 0;
    /* In this order: every IRR, every multiple, what each structure costs,
     * what the contract pays. */
    static const char *const ends[] = {".irr", ".moic", "commissioner.total", "payments.total"};
    for (size_t k = 0; k < 4; k++)
        for (size_t i = 0; i < engine_metric_count(e) && n < 64; i++) {
            const metric_info *m = engine_metric(e, i);
            size_t kl = strlen(m->key), el = strlen(ends[k]);
            if (m->role == ROLE_TWIN && kl >= el && strcmp(m->key + kl - el, ends[k]) == 0 &&
                (k < 2 || kl == el))
                found[n++] = i;
        }
    if (n == 0) return SIZE_MAX;
    return found[(size_t)choice % n];
}

/* Build a snapshot of e's results (e is not running). */
static void take_snapshot(const engine *e, int generation, uint64_t target, double t0,
                          int choice, snapshot *s) {
    s->generation = generation;
    s->paths = engine_paths_done(e);
    s->target = target;
    s->seconds = now() - t0;
    s->n = engine_metric_count(e);
    s->m = calloc(s->n, sizeof *s->m);
    if (s->m == NULL) s->n = 0;
    for (size_t i = 0; i < s->n; i++) {
        s->m[i].info = *engine_metric(e, i);
        engine_summary(e, i, &s->m[i].s);
    }
    size_t h = hist_metric(e, choice);
    s->hist_label[0] = '\0';
    if (h != SIZE_MAX) {
        const metric_info *m = engine_metric(e, h);
        stats_summary sum;
        engine_summary(e, h, &sum);
        snprintf(s->hist_label, sizeof s->hist_label, "%s: %s", m->group, m->label);
        s->hist_unit = m->unit;
        s->hist_lo = sum.min;
        s->hist_hi = sum.max;
        s->hist_p05 = sum.p05;
        s->hist_p50 = sum.p50;
        s->hist_p95 = sum.p95;
        tui_histogram(engine_stats(e, h), s->hist_lo, s->hist_hi, HBINS, s->hist);
    }
}

static void publish(app *a, snapshot *s) {
    pthread_mutex_lock(&a->lock);
    free(a->snap.m);
    a->snap = *s;
    a->changed = 1;
    pthread_mutex_unlock(&a->lock);
}

typedef struct run_ctx {
    app *a;
    int generation;
} run_ctx;

/* Cancel a batch as soon as the scenario changes, a tornado is asked for,
 * or the UI quits. */
static int keep_going(uint64_t done, uint64_t total, void *ud) {
    (void)done;
    (void)total;
    run_ctx *c = ud;
    return c->a->generation != c->generation || c->a->quit || c->a->tornado_request;
}

static void run_tornado(app *a) {
    pthread_mutex_lock(&a->lock);
    char *text = a->tornado_text;
    a->tornado_text = NULL;
    char metric[400];
    snprintf(metric, sizeof metric, "%s", a->tornado_metric);
    a->tornado_request = 0;
    a->tornado_running = 1;
    a->changed = 1;
    pthread_mutex_unlock(&a->lock);
    analysis_base b = {.text = text, .name = a->shown, .paths = 4096, .threads = a->threads};
    tornado_bar bars[MAX_BARS];
    size_t n = 0;
    double base = NAN;
    sib_error err;
    sib_error_clear(&err);
    int rc = text ? analysis_tornado(&b, metric, 0.10, bars, MAX_BARS, &n, &base, &err) : SIB_EINVAL;
    pthread_mutex_lock(&a->lock);
    a->tornado_running = 0;
    a->n_bars = rc == SIB_OK ? n : 0;
    memcpy(a->bars, bars, n * sizeof *bars);
    a->tornado_base = base;
    a->tornado_error[0] = '\0';
    if (rc != SIB_OK) sib_error_format(&err, a->tornado_error, sizeof a->tornado_error);
    a->changed = 1;
    pthread_mutex_unlock(&a->lock);
    free(text);
}

static void *sim_thread(void *arg) {
    app *a = arg;
    scenario *current = NULL;
    engine *e = NULL;
    int generation = -1;
    uint64_t target = 0, max = 0;
    double t0 = 0;
    pthread_mutex_lock(&a->lock);
    for (;;) {
        if (a->quit) break;
        if (a->tornado_request) {
            pthread_mutex_unlock(&a->lock);
            run_tornado(a);
            pthread_mutex_lock(&a->lock);
            continue;
        }
        if (a->pending != NULL) { /* a new scenario: start again */
            scenario *next = a->pending;
            a->pending = NULL;
            generation = a->generation;
            engine_free(e); /* before the baseline it points to may go */
            e = NULL;
            pthread_mutex_unlock(&a->lock);
            scenario_free(current);
            current = next;
            /* A newer baseline ("before") after a save. */
            pthread_mutex_lock(&a->lock);
            if (a->pending_original != NULL) {
                scenario_free(a->original);
                a->original = a->pending_original;
                a->pending_original = NULL;
            }
            /* One seed and generator for before and after (common random
             * numbers): the edited ones, so that editing them draws new
             * futures. */
            a->original->sim.seed = next->sim.seed;
            snprintf(a->original->sim.rng, sizeof a->original->sim.rng, "%s", next->sim.rng);
            pthread_mutex_unlock(&a->lock);
            sib_error err;
            e = engine_new_compare(a->original, current, NULL, &err);
            max = current->sim.paths;
            target = ENGINE_BLOCK_PATHS * 2;
            t0 = now();
            pthread_mutex_lock(&a->lock);
            if (e == NULL) {
                sib_error_format(&err, a->message, sizeof a->message);
                a->message_is_error = 1;
                a->changed = 1;
            }
            continue;
        }
        if (e == NULL || engine_paths_done(e) >= max) { /* nothing to do: wait */
            pthread_cond_wait(&a->cond, &a->lock);
            continue;
        }
        /* One batch: double the paths (first ~2,000 for an estimate within
         * milliseconds), up to the scenario's own number. */
        int choice = a->hist_choice;
        pthread_mutex_unlock(&a->lock);
        if (target > max) target = max;
        run_ctx rc = {a, generation};
        sib_error err;
        int st = engine_run(e, target, a->threads, keep_going, &rc, &err);
        if (st == SIB_OK || st == SIB_ECANCEL) {
            snapshot s;
            memset(&s, 0, sizeof s);
            take_snapshot(e, generation, target, t0, choice, &s);
            if (st == SIB_OK) publish(a, &s);
            else free(s.m);
        }
        if (st == SIB_ECANCEL) {
            /* The batch was cut short: its prefix is kept, but extending it
             * needs whole blocks, so a partial run restarts the batch. */
            if (engine_paths_done(e) % ENGINE_BLOCK_PATHS != 0) engine_reset(e);
        } else {
            target *= 2;
        }
        pthread_mutex_lock(&a->lock);
    }
    pthread_mutex_unlock(&a->lock);
    engine_free(e);
    scenario_free(current);
    return NULL;
}

/* Hand a newly compiled scenario to the simulation thread. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void say(app *a, int error, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->message, sizeof a->message, fmt, ap);
    va_end(ap);
    a->message_is_error = error;
}

/* The message line shows warning i of the scenario simulated now. */
static void show_warning(app *a, size_t i) {
    size_t n = a->n_warnings < MAX_WARNINGS ? a->n_warnings : MAX_WARNINGS;
    if (n == 0) {
        say(a, 0, "%s", "no warnings: nothing in the scenario looks like a likely mistake");
        return;
    }
    a->warning_shown = i % n;
    say(a, 0, "warning %zu of %zu: %s: %s%s", a->warning_shown + 1, a->n_warnings,
        a->warnings[a->warning_shown].pointer, a->warnings[a->warning_shown].message,
        a->n_warnings > 1 ? "  (w: next)" : "");
}

/* Hand sc to the simulation thread (which owns it from then on). Its
 * warnings are listed first; a warning the previous scenario did not have
 * -- an edit that looks like a mistake -- is shown at once, unless the
 * message line already says something. */
static void restart(app *a, scenario *sc) {
    if (sc != NULL) {
        sib_warning was[MAX_WARNINGS];
        size_t n_was = a->n_warnings < MAX_WARNINGS ? a->n_warnings : MAX_WARNINGS;
        memcpy(was, a->warnings, n_was * sizeof *was);
        a->n_warnings = scenario_warnings(sc, a->warnings, MAX_WARNINGS);
        size_t n = a->n_warnings < MAX_WARNINGS ? a->n_warnings : MAX_WARNINGS;
        for (size_t i = 0; i < n && a->message[0] == '\0'; i++) {
            int seen = 0;
            for (size_t j = 0; j < n_was && !seen; j++)
                seen = strcmp(was[j].pointer, a->warnings[i].pointer) == 0 &&
                       strcmp(was[j].message, a->warnings[i].message) == 0;
            if (!seen) show_warning(a, i);
        }
    }
    pthread_mutex_lock(&a->lock);
    scenario_free(a->pending);
    a->pending = sc;
    a->generation++;
    pthread_cond_signal(&a->cond);
    pthread_mutex_unlock(&a->lock);
}

/* ------------------------------------------------------------- the model */

static void refresh_nodes(app *a) {
    a->n_nodes = scenario_doc_nodes(a->doc, a->nodes, MAX_NODES);
    if (a->n_nodes > MAX_NODES) a->n_nodes = MAX_NODES;
    if (a->cursor >= (int)a->n_nodes) a->cursor = (int)a->n_nodes - 1;
    if (a->cursor < 0) a->cursor = 0;
}

/* Edited = the document differs from what was last loaded or saved (so
 * undoing every edit is clean again). */
static void update_dirty(app *a) {
    char *text = scenario_doc_text(a->doc);
    a->dirty = text == NULL || a->saved_text == NULL || strcmp(text, a->saved_text) != 0;
    free(text);
}

static void mark_saved(app *a) {
    free(a->saved_text);
    a->saved_text = scenario_doc_text(a->doc);
    a->dirty = 0;
}


/* Make doc the current document, the current one going on the undo stack
 * (the oldest is dropped past MAX_UNDO) and what could be redone cleared. */
static void push_document(app *a, scenario_doc *doc) {
    if (a->n_undo == MAX_UNDO) {
        scenario_doc_free(a->undo[0]);
        memmove(a->undo, a->undo + 1, (MAX_UNDO - 1) * sizeof *a->undo);
        a->n_undo--;
    }
    a->undo[a->n_undo++] = a->doc;
    while (a->n_redo > 0) scenario_doc_free(a->redo[--a->n_redo]);
    a->doc = doc;
    update_dirty(a);
    refresh_nodes(a);
}

/* Apply an edit made to a copy of the document: compile it; if the loader
 * refuses it, keep the old document and show the loader's message; else
 * push the old one on the undo stack and restart the simulation. */
static void commit_edit(app *a, scenario_doc *edited) {
    /* A value set to what it was is no edit: nothing to undo, nothing to
     * simulate again. */
    char *before = scenario_doc_text(a->doc), *after = scenario_doc_text(edited);
    int same = before && after && strcmp(before, after) == 0;
    free(before);
    free(after);
    if (same) {
        say(a, 0, "%s", "unchanged");
        scenario_doc_free(edited);
        return;
    }
    sib_error err;
    scenario *sc = scenario_doc_compile(edited, &err);
    if (sc != NULL) {
        /* What only the engine checks (the generator's name, the size of
         * the cash-flow grid, the correlations) is checked now too, so that
         * a refused edit never reaches the simulation or the file. */
        sib_error_clear(&err);
        snprintf(err.file, sizeof err.file, "%.255s", a->shown);
        engine *probe = engine_new(sc, &err);
        if (probe == NULL) {
            scenario_free(sc);
            sc = NULL;
        }
        engine_free(probe);
    }
    if (sc == NULL) {
        char buf[700];
        sib_error_format(&err, buf, sizeof buf);
        say(a, 1, "refused: %.490s", buf);
        scenario_doc_free(edited);
        return;
    }
    push_document(a, edited);
    a->message[0] = '\0';
    restart(a, sc);
}

static void set_number(app *a, const char *pointer, double value) {
    scenario_doc *copy = scenario_doc_copy(a->doc);
    sib_error err;
    if (copy == NULL) return;
    if (scenario_doc_set_number(copy, pointer, value, &err) != SIB_OK) {
        say(a, 1, "%s", err.message);
        scenario_doc_free(copy);
        return;
    }
    commit_edit(a, copy);
}

/* Undo (dir = -1) or redo (+1): swap documents between the stacks. */
static void history(app *a, int dir) {
    scenario_doc **from = dir < 0 ? a->undo : a->redo, **to = dir < 0 ? a->redo : a->undo;
    int *nf = dir < 0 ? &a->n_undo : &a->n_redo, *nt = dir < 0 ? &a->n_redo : &a->n_undo;
    if (*nf == 0) {
        say(a, 0, "%s", dir < 0 ? "nothing to undo" : "nothing to redo");
        return;
    }
    scenario_doc *doc = from[--*nf];
    sib_error err;
    scenario *sc = scenario_doc_compile(doc, &err);
    if (sc == NULL) { /* cannot happen: only valid documents are kept */
        from[(*nf)++] = doc;
        return;
    }
    if (*nt < MAX_UNDO) to[(*nt)++] = a->doc;
    else scenario_doc_free(a->doc);
    a->doc = doc;
    update_dirty(a);
    refresh_nodes(a);
    restart(a, sc);
    say(a, 0, "%s", dir < 0 ? "undone" : "redone");
}

/* ----------------------------------------------------------------- input */

/* SIGHUP, SIGTERM or SIGINT: the handler only records which (it is all an
 * async-signal-safe handler may do); the loop sees it within a tenth of a
 * second (every key read times out after 100 ms) and does the work:
 * restore the terminal, keep unsaved edits in the recovery file, exit. */
static volatile sig_atomic_t got_signal;
static void on_signal(int sig) { got_signal = sig; }

static void draw(app *a);

static void current_layout(tui_layout *lo) {
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    tui_layout_for(rows, cols, lo);
}

/* The question in bold at the start of the message line, cut to leave
 * `room` columns; returns the column after it. */
static int draw_question(const tui_layout *lo, const char *question, int room) {
    int qw = (int)strlen(question), max = lo->message.w - room;
    if (qw > max) qw = max > 0 ? max : 0;
    move(lo->message.y, 0);
    clrtoeol();
    attron(A_BOLD);
    addnstr(question, qw);
    attroff(A_BOLD);
    return qw + 1;
}

/* Read a line in the message area, starting with `initial`: Enter
 * accepts, Esc cancels. The line holds any length and scrolls to keep the
 * cursor in view (tui_line in model.c). Returns the text (the caller frees
 * it), or NULL when cancelled (or a signal came). */
static char *prompt(app *a, const char *question, const char *initial) {
    tui_line line = {0};
    if (tui_line_set(&line, initial ? initial : "") != 0) {
        tui_line_free(&line);
        say(a, 1, "%s", "out of memory");
        return NULL;
    }
    curs_set(1);
    char *result = NULL;
    int done = 0;
    while (!done && !got_signal) {
        tui_layout lo;
        current_layout(&lo);
        int x = draw_question(&lo, question, 12);
        size_t first, bytes;
        int col;
        tui_line_view(&line, lo.message.w - x, &first, &bytes, &col);
        mvaddnstr(lo.message.y, x, line.text + first, (int)bytes);
        move(lo.message.y, x + col);
        refresh();
        wint_t wc;
        int r = get_wch(&wc);
        if (r == ERR) continue;
        if (r == KEY_CODE_YES) {
            switch (wc) {
            case KEY_ENTER: done = 1, result = strdup(line.text); break;
            case KEY_LEFT: tui_line_edit(&line, TUI_LINE_LEFT); break;
            case KEY_RIGHT: tui_line_edit(&line, TUI_LINE_RIGHT); break;
            case KEY_HOME: tui_line_edit(&line, TUI_LINE_HOME); break;
            case KEY_END: tui_line_edit(&line, TUI_LINE_END); break;
            case KEY_BACKSPACE: tui_line_edit(&line, TUI_LINE_BACKSPACE); break;
            case KEY_DC: tui_line_edit(&line, TUI_LINE_DELETE); break;
            case KEY_RESIZE: draw(a); break;
            default: break;
            }
            continue;
        }
        switch (wc) {
        case '\n':
        case '\r': done = 1, result = strdup(line.text); break;
        case 27: done = 1; break;                                  /* Esc */
        case 21: tui_line_edit(&line, TUI_LINE_CLEAR); break;      /* Ctrl-U */
        case 11: tui_line_edit(&line, TUI_LINE_KILL_END); break;   /* Ctrl-K */
        case 1: tui_line_edit(&line, TUI_LINE_HOME); break;        /* Ctrl-A */
        case 5: tui_line_edit(&line, TUI_LINE_END); break;         /* Ctrl-E */
        case 2: tui_line_edit(&line, TUI_LINE_LEFT); break;        /* Ctrl-B */
        case 6: tui_line_edit(&line, TUI_LINE_RIGHT); break;       /* Ctrl-F */
        case 4: tui_line_edit(&line, TUI_LINE_DELETE); break;      /* Ctrl-D */
        case 8:
        case 127: tui_line_edit(&line, TUI_LINE_BACKSPACE); break;
        default:
            if (wc >= ' ') {
                char u[4];
                size_t n = tui_utf8_encode((unsigned long)wc, u);
                if (n > 0 && tui_line_insert(&line, u, n) != 0) say(a, 1, "%s", "out of memory");
            }
        }
    }
    tui_line_free(&line);
    curs_set(0);
    a->message[0] = '\0';
    return got_signal ? (free(result), NULL) : result;
}

/* Ask in the message line and wait for one of the keys in `keys`: returns
 * that key, or 0 for Esc (or when a signal came). */
static int choose(app *a, const char *question, const char *keys) {
    int answer = 0;
    while (!got_signal) {
        tui_layout lo;
        current_layout(&lo);
        draw_question(&lo, question, 0);
        refresh();
        int ch = getch();
        if (ch == ERR) continue;
        if (ch == KEY_RESIZE) {
            draw(a);
            continue;
        }
        if (ch == 27) break;
        if (ch > 0 && ch < 128 && strchr(keys, ch)) {
            answer = ch;
            break;
        }
    }
    a->message[0] = '\0';
    return got_signal ? 0 : answer;
}

/* Find the next node (after the cursor, wrapping) whose key or pointer
 * contains the search text. */
static void find_next(app *a) {
    if (a->find[0] == '\0' || a->n_nodes == 0) return;
    for (size_t k = 1; k <= a->n_nodes; k++) {
        size_t i = ((size_t)a->cursor + k) % a->n_nodes;
        if (strstr(a->nodes[i].key, a->find) || strstr(a->nodes[i].pointer, a->find)) {
            a->cursor = (int)i;
            return;
        }
    }
    say(a, 0, "no field matches \"%s\"", a->find);
}

/* ---------------------------------------------------------------- saving */

/* Hand the document as saved or reloaded to the simulation as the new
 * "before", and itself as the "after". */
static void new_baseline(app *a) {
    sib_error err;
    scenario *base = scenario_doc_compile(a->doc, &err), *now_sc = scenario_doc_compile(a->doc, &err);
    if (base != NULL && now_sc != NULL) {
        snprintf(a->currency, sizeof a->currency, "%s", base->currency);
        pthread_mutex_lock(&a->lock);
        scenario_free(a->pending_original);
        a->pending_original = base;
        pthread_mutex_unlock(&a->lock);
        restart(a, now_sc);
    } else {
        scenario_free(base);
        scenario_free(now_sc);
    }
}

/* The recovery file whose edits were taken up has served once they are
 * saved or knowingly dropped. */
static void drop_recovery(app *a) {
    if (a->recovery_in_use == NULL) return;
    unlink(a->recovery_in_use);
    free(a->recovery_in_use);
    a->recovery_in_use = NULL;
}

/* Write the document to path (no questions). From then on s saves there. */
static int save_file(app *a, const char *path) {
    sib_error err;
    uint64_t hash = 0;
    if (scenario_doc_save(a->doc, path, &hash, &err) != SIB_OK) {
        char buf[700];
        sib_error_format(&err, buf, sizeof buf);
        say(a, 1, "not saved: %.490s", buf);
        return 0;
    }
    if (a->path == NULL || strcmp(a->path, path) != 0) {
        char *copy = strdup(path);
        if (copy != NULL) {
            free(a->path);
            a->path = copy;
            snprintf(a->shown, sizeof a->shown, "%s", path);
        }
    }
    a->disk_hash = hash;
    a->disk_known = strcmp(a->path, path) == 0;
    a->disk_event = "last saved";
    mark_saved(a);
    scenario_doc_set_name(a->doc, path);
    drop_recovery(a);
    new_baseline(a);
    /* The writer removed the ones over SIB_FILE_STALE_SECONDS old. */
    a->stale_temps = sib_file_stale_temps(a->path, 0, NULL, 0);
    say(a, 0, "saved %.480s", path);
    return 1;
}

/* Read the file again, dropping the edits onto the undo stack (u brings
 * them back). */
static void reload(app *a) {
    sib_error err;
    sib_error_clear(&err);
    char *text = a->path ? sib_file_read(a->path, &err) : NULL;
    scenario_doc *doc = text ? scenario_doc_new(text, a->shown, &err) : NULL;
    scenario *sc = doc ? scenario_doc_compile(doc, &err) : NULL;
    if (sc == NULL) {
        char buf[700];
        sib_error_format(&err, buf, sizeof buf);
        say(a, 1, "not reloaded: %.480s", buf);
        scenario_doc_free(doc);
        free(text);
        return;
    }
    scenario_free(sc);
    a->disk_hash = scenario_doc_hash(text, strlen(text));
    a->disk_known = 1;
    a->disk_event = "reloaded";
    free(text);
    push_document(a, doc);
    mark_saved(a);
    new_baseline(a);
    say(a, 0, "reloaded %.400s (u brings your edits back)", a->shown);
}

static int save_checked(app *a, const char *path);

/* Ask for a name and save there. */
static int save_as(app *a) {
    char *name = prompt(a, "save as:", a->path ? a->path : "scenario.json");
    int ok = name && name[0] ? save_checked(a, name) : 0;
    free(name);
    return ok;
}

/* Save to path, but ask first when that would lose something: the file
 * changed on disk since it was opened, reloaded or last saved (someone
 * else's edit); the file is read-only; or "save as" names another file
 * that exists. Returns 1 when saved. */
static int save_checked(app *a, const char *path) {
    char q[900];
    int same = a->path && (strcmp(path, a->path) == 0 || sib_file_same(path, a->path));
    if (same && a->disk_known && scenario_doc_disk_check(path, a->disk_hash) == DOC_DISK_CHANGED) {
        snprintf(q, sizeof q, "%.400s changed on disk: o overwrite, a save as, r reload, Esc cancel "
                 "(since %s)", path, a->disk_event);
        switch (choose(a, q, "oar")) {
        case 'o': break;
        case 'a': return save_as(a);
        case 'r': reload(a); return 0;
        default: say(a, 0, "%s", "not saved"); return 0;
        }
    } else if (!same && access(path, F_OK) == 0) {
        snprintf(q, sizeof q, "%.400s exists: o overwrite, Esc cancel", path);
        if (choose(a, q, "o") != 'o') {
            say(a, 0, "%s", "not saved");
            return 0;
        }
    }
    if (scenario_doc_read_only(path)) {
        snprintf(q, sizeof q, "%.400s is read-only: o overwrite anyway, a save as, Esc cancel", path);
        switch (choose(a, q, "oa")) {
        case 'o': break;
        case 'a': return save_as(a);
        default: say(a, 0, "%s", "not saved"); return 0;
        }
    }
    return save_file(a, path);
}

/* ---------------------------------------------------------------- drawing */

static int use_colour;

static void put_clipped(int y, int x, int w, const char *s) {
    if (w <= 0) return;
    mvaddnstr(y, x, s, w);
}

static void draw_tree(app *a, const tui_rect *r) {
    a->top = tui_scroll(a->cursor, a->top, r->h, (int)a->n_nodes);
    for (int row = 0; row < r->h; row++) {
        int i = a->top + row;
        move(r->y + row, r->x);
        for (int k = 0; k < r->w; k++) addch(' ');
        if (i >= (int)a->n_nodes) continue;
        const doc_node *n = &a->nodes[i];
        char line[1024], val[420];
        switch (n->kind) {
        case DOC_OBJECT: snprintf(val, sizeof val, "{%d}", n->children); break;
        case DOC_ARRAY: snprintf(val, sizeof val, "[%d]", n->children); break;
        case DOC_NUMBER: doc_number_text(n->number, val, sizeof val); break;
        case DOC_STRING: snprintf(val, sizeof val, "\"%.400s\"", n->text); break;
        case DOC_BOOL: snprintf(val, sizeof val, "%s", n->boolean ? "true" : "false"); break;
        case DOC_NULL: snprintf(val, sizeof val, "null"); break;
        }
        snprintf(line, sizeof line, "%*s%s: %s", 2 * n->depth, "", n->key, val);
        if (i == a->cursor) attron(A_REVERSE);
        else if (n->kind == DOC_NUMBER && use_colour) attron(COLOR_PAIR(1));
        put_clipped(r->y + row, r->x, r->w, line);
        attroff(A_REVERSE);
        if (use_colour) attroff(COLOR_PAIR(1));
    }
    /* The separator. */
    for (int row = 0; row < r->h; row++) mvaddch(r->y + row, r->x + r->w, ACS_VLINE);
}

static const snap_metric *find_snap(const snapshot *s, metric_role role, const char *group,
                                    const char *key) {
    for (size_t i = 0; i < s->n; i++)
        if (s->m[i].info.role == role && strcmp(s->m[i].info.group, group) == 0 &&
            strcmp(s->m[i].info.key, key) == 0)
            return &s->m[i];
    return NULL;
}

static const char *value_text(char *buf, size_t size, const app *a, const snap_metric *m, double x) {
    if (m == NULL) {
        if (size) buf[0] = '\0';
        return buf;
    }
    metric_unit u = m->info.kind == METRIC_INDICATOR ? UNIT_SHARE : m->info.unit;
    return present_value(buf, size, a->currency, u, x);
}

static void title(const tui_rect *r, int row, const char *text) {
    attron(A_BOLD);
    put_clipped(r->y + row, r->x, r->w, text);
    attroff(A_BOLD);
}

/* Structures side by side: the mean of each key measure (edited scenario). */
static void draw_results(app *a, const snapshot *s, const tui_rect *r) {
    title(r, 0, "Financing structures compared (means over the same futures)");
    /* The structures: the groups of ROLE_TWIN metrics that have commissioner.total. */
    const char *groups[8];
    size_t ng = 0;
    for (size_t i = 0; i < s->n && ng < 8; i++)
        if (s->m[i].info.role == ROLE_TWIN && strcmp(s->m[i].info.key, "commissioner.total") == 0)
            groups[ng++] = s->m[i].info.group;
    /* Labels give way to columns on a narrow screen: each column needs 8
     * characters for a value like "-€12.5m". */
    int row = 2, lw = ng ? r->w - (int)ng * 9 : 26;
    if (lw > 26) lw = 26;
    if (lw < 12) lw = 12;
    int cw = ng ? (r->w - lw) / (int)ng : 0;
    if (cw > 16) cw = 16;
    if (cw < 8 && ng > 0) { /* show the structures that fit */
        ng = (size_t)((r->w - lw) / 8);
        cw = 8;
    }
    if (ng == 0) {
        put_clipped(r->y + row, r->x, r->w, "No financing structure: see the contract's payments.");
        row += 2;
    } else {
        move(r->y + row, r->x + lw);
        for (size_t g = 0; g < ng; g++) {
            char h[32];
            snprintf(h, sizeof h, "%*.*s", cw - 1, cw - 1, groups[g]);
            attron(A_BOLD);
            put_clipped(r->y + row, r->x + lw + (int)g * cw, cw, h);
            attroff(A_BOLD);
        }
        row++;
        static const struct {
            const char *key, *label;
        } rows[] = {{"commissioner.total", "Commissioner pays"},
                    {"commissioner.pv", "  present value"},
                    {"commissioner.cost_per_true_outcome", "Cost per true outcome"},
                    {"commissioner.spent_without_effect", "Spent, nothing improved"},
                    {"net_value", "Net value"},
                    {"provider.surplus", "Provider surplus"},
                    {"provider.p_loss", "P(provider loss)"}};
        for (size_t k = 0; k < sizeof rows / sizeof rows[0] && row < r->h; k++) {
            char lab[64];
            snprintf(lab, sizeof lab, "%.*s", lw - 1, rows[k].label);
            put_clipped(r->y + row, r->x, lw, lab);
            for (size_t g = 0; g < ng; g++) {
                const snap_metric *m = find_snap(s, ROLE_TWIN, groups[g], rows[k].key);
                char v[48], cell[48];
                value_text(v, sizeof v, a, m, m ? m->s.mean : NAN);
                snprintf(cell, sizeof cell, "%*s", cw - 1, m && m->s.n ? v : "-");
                put_clipped(r->y + row, r->x + lw + (int)g * cw, cw, cell);
            }
            row++;
        }
        row++;
        /* Investors: every tranche's IRR of the expected cash flows (the
         * deal memo's expected return), the mean of each future's IRR,
         * P(loss) given capital was drawn, and the expected multiple. */
        title(r, row++, "Investors (IRR of expected flows, mean IRR, P(loss | drawn), E multiple)");
        for (size_t i = 0; i < s->n && row < r->h; i++) {
            const snap_metric *m = &s->m[i];
            size_t kl = strlen(m->info.key);
            if (m->info.role != ROLE_TWIN || kl < 4 || strcmp(m->info.key + kl - 4, ".irr") != 0)
                continue;
            char stem[300], k1[320], k2[320], k3[320], line[400], v0[48], v1[48], v2[48], v3[48];
            snprintf(stem, sizeof stem, "%.*s", (int)(kl - 4), m->info.key);
            snprintf(k1, sizeof k1, "%s.pooled_irr", stem);
            snprintf(k2, sizeof k2, "%s.p_loss_given_drawn", stem);
            snprintf(k3, sizeof k3, "%s.expected_moic", stem);
            const snap_metric *po = find_snap(s, ROLE_TWIN, m->info.group, k1);
            const snap_metric *pl = find_snap(s, ROLE_TWIN, m->info.group, k2);
            const snap_metric *mo = find_snap(s, ROLE_TWIN, m->info.group, k3);
            snprintf(line, sizeof line, "%s%s%-.24s  %s  mean %s  P(loss) %s  %s",
                     ng > 1 ? m->info.group : "", ng > 1 ? ": " : "", stem,
                     value_text(v0, sizeof v0, a, po, po ? po->s.mean : NAN),
                     value_text(v1, sizeof v1, a, m, m->s.mean),
                     value_text(v2, sizeof v2, a, pl, pl ? pl->s.mean : NAN),
                     value_text(v3, sizeof v3, a, mo, mo ? mo->s.mean : NAN));
            put_clipped(r->y + row++, r->x, r->w, line);
        }
    }
    row++;
    const snap_metric *p = find_snap(s, ROLE_TWIN, "commissioner", "payments.total");
    const snap_metric *any = find_snap(s, ROLE_TWIN, "commissioner", "payments.any");
    if (p && row < r->h) {
        char v1[48], v2[48], v3[48], line[300];
        snprintf(line, sizeof line, "Outcome payments %s (p95 %s), P(any) %s",
                 value_text(v1, sizeof v1, a, p, p->s.mean), value_text(v2, sizeof v2, a, p, p->s.p95),
                 value_text(v3, sizeof v3, a, any, any ? any->s.mean : NAN));
        put_clipped(r->y + row, r->x, r->w, line);
    }
}

static void draw_histogram(app *a, const snapshot *s, const tui_rect *r) {
    char line[460];
    snprintf(line, sizeof line, "(m: next metric)  %s", s->hist_label[0] ? s->hist_label : "no distribution");
    title(r, 0, line);
    if (s->hist_label[0] == '\0' || r->h < 8) return;
    int height = r->h - 6, bins = HBINS;
    if (bins > r->w - 2) bins = r->w - 2;
    /* Re-bin to the width available: the snapshot's bins, merged. */
    double frac[HBINS];
    int per = (HBINS + bins - 1) / bins, nb = (HBINS + per - 1) / per;
    for (int b = 0; b < nb; b++) {
        frac[b] = 0;
        for (int k = b * per; k < (b + 1) * per && k < HBINS; k++) frac[b] += s->hist[k];
    }
    int cells[HBINS];
    tui_bar_heights(frac, nb, height, cells);
    int cw = (r->w - 2) / nb;
    if (cw < 1) cw = 1;
    for (int b = 0; b < nb; b++)
        for (int h = 0; h < cells[b]; h++)
            for (int c = 0; c < cw - (cw > 1); c++)
                mvaddch(r->y + 1 + height - h, r->x + 1 + b * cw + c, (chtype)'#' | (use_colour ? COLOR_PAIR(2) : 0));
    /* Percentiles under the axis: a caret at each, named on the next line
     * where the names do not collide. */
    int axis = r->y + 2 + height;
    const double q[3] = {s->hist_p05, s->hist_p50, s->hist_p95};
    const char *qn[3] = {"p5", "p50", "p95"};
    int next_free = 0;
    for (int k = 0; k < 3; k++) {
        int b = tui_bin_of(q[k], s->hist_lo, s->hist_hi, nb), x = 1 + b * cw;
        mvaddch(axis, r->x + x, '^');
        if (x >= next_free) {
            put_clipped(axis + 1, r->x + x, 4, qn[k]);
            next_free = x + 4;
        }
    }
    char lo[48], hi[48], v[3][48];
    present_value(lo, sizeof lo, a->currency, (metric_unit)s->hist_unit, s->hist_lo);
    present_value(hi, sizeof hi, a->currency, (metric_unit)s->hist_unit, s->hist_hi);
    for (int k = 0; k < 3; k++) present_value(v[k], sizeof v[k], a->currency, (metric_unit)s->hist_unit, q[k]);
    snprintf(line, sizeof line, "%s .. %s   p5 %s  median %s  p95 %s", lo, hi, v[0], v[1], v[2]);
    put_clipped(r->y + r->h - 1, r->x, r->w, line);
}

static void draw_funnel(app *a, const snapshot *s, const tui_rect *r) {
    title(r, 0, "Stage funnel: share of futures reaching each stage");
    int row = 2, lw = 24;
    for (size_t i = 0; i < s->n && row < r->h - 3; i++) {
        const snap_metric *m = &s->m[i];
        if (m->info.role != ROLE_TWIN || strncmp(m->info.key, "stage.", 6) != 0) continue;
        char line[300];
        snprintf(line, sizeof line, "%-.*s", lw - 1, m->info.label);
        put_clipped(r->y + row, r->x, lw, line);
        int w = (int)lround(m->s.mean * (r->w - lw - 8));
        for (int k = 0; k < w; k++) mvaddch(r->y + row, r->x + lw + k, (chtype)'#' | (use_colour ? COLOR_PAIR(2) : 0));
        snprintf(line, sizeof line, " %.1f%%", 100 * m->s.mean);
        put_clipped(r->y + row, r->x + lw + w, 8, line);
        row += 2;
    }
    const char *keys[] = {"participants", "cost.delivery", "failed"};
    for (size_t k = 0; k < 3 && row < r->h; k++) {
        const snap_metric *m = find_snap(s, ROLE_TWIN, "programme", keys[k]);
        if (m == NULL) continue;
        char v[48], line[300];
        snprintf(line, sizeof line, "%-24s %s", m->info.label, value_text(v, sizeof v, a, m, m->s.mean));
        put_clipped(r->y + row++, r->x, r->w, line);
    }
}

static void draw_tornado(app *a, const tui_rect *r) {
    char line[460];
    snprintf(line, sizeof line, "Tornado of %s", a->tornado_metric[0] ? a->tornado_metric : "(press t)");
    title(r, 0, line);
    if (a->tornado_running) {
        put_clipped(r->y + 2, r->x, r->w, "computing: two runs of 4,096 paths per input and term ...");
        return;
    }
    if (a->tornado_error[0]) {
        put_clipped(r->y + 2, r->x, r->w, a->tornado_error);
        return;
    }
    if (a->n_bars == 0) {
        put_clipped(r->y + 2, r->x, r->w,
                    "Press t to rank the inputs (at P10/P90) and terms (+-10%) by how far they move "
                    "the histogram's metric.");
        return;
    }
    snprintf(line, sizeof line, "base %.4g; inputs at P10/P90, terms +-10%%", a->tornado_base);
    put_clipped(r->y + 1, r->x, r->w, line);
    double top = a->bars[0].swing;
    int lw = r->w / 2, row = 3;
    for (size_t i = 0; i < a->n_bars && row < r->h; i++, row++) {
        snprintf(line, sizeof line, "%-.*s", lw - 1, a->bars[i].pointer);
        put_clipped(r->y + row, r->x, lw, line);
        int w = top > 0 ? (int)lround(a->bars[i].swing / top * (r->w - lw - 12)) : 0;
        for (int k = 0; k < w; k++) mvaddch(r->y + row, r->x + lw + k, (chtype)'#' | (use_colour ? COLOR_PAIR(2) : 0));
        snprintf(line, sizeof line, " %.3g", a->bars[i].swing);
        put_clipped(r->y + row, r->x + lw + w, 12, line);
    }
}

static void draw_compare(app *a, const snapshot *s, const tui_rect *r) {
    title(r, 0, "Before / after your edits, on common random numbers");
    if (!a->dirty) {
        put_clipped(r->y + 2, r->x, r->w,
                    "No edits yet: change a value and this view shows what it changed.");
        return;
    }
    char line[500];
    int lw = r->w - 43;
    if (lw < 12) lw = 12;
    if (lw > 40) lw = 40;
    snprintf(line, sizeof line, "%-*s %10s %10s %10s %9s", lw, "", "before", "after", "change", "+- SE");
    put_clipped(r->y + 1, r->x, r->w, line);
    int row = 2;
    for (size_t i = 0; i < s->n && row < r->h; i++) {
        const snap_metric *m = &s->m[i];
        if (m->info.role != ROLE_OWN || m->info.diff == SIZE_MAX || m->info.diff >= s->n) continue;
        const snap_metric *b = &s->m[m->info.twin], *d = &s->m[m->info.diff];
        if (m->s.n == 0 && b->s.n == 0) continue;
        /* Only what changed: a difference below a millionth of the values
         * is rounding, not a change. */
        double scale = fmax(fabs(m->s.mean), fabs(b->s.mean));
        if (!(fabs(d->s.mean) > 1e-6 * scale || d->s.sd > 1e-6 * scale)) continue;
        char v1[48], v2[48], v3[48], v4[48], lab[48];
        snprintf(lab, sizeof lab, "%.*s", lw, m->info.label);
        snprintf(line, sizeof line, "%-*s %10s %10s %10s %9s", lw, lab,
                 value_text(v1, sizeof v1, a, m, m->s.mean), value_text(v2, sizeof v2, a, b, b->s.mean),
                 value_text(v3, sizeof v3, a, m, d->s.mean), value_text(v4, sizeof v4, a, m, d->s.se));
        put_clipped(r->y + row++, r->x, r->w, line);
    }
    if (row == 2) put_clipped(r->y + row, r->x, r->w, "Your edits change none of these measures.");
}

static void draw_help(const tui_rect *r) {
    title(r, 0, "Keys (press ? to close)");
    for (int act = 1; act < ACT_COUNT && act + 1 < r->h; act++) {
        char line[200];
        snprintf(line, sizeof line, "%-12s %s", tui_action_keys((tui_action)act),
                 tui_action_help((tui_action)act));
        put_clipped(r->y + act + 1, r->x, r->w, line);
    }
}

static void draw(app *a) {
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    tui_layout lo;
    tui_layout_for(rows, cols, &lo);
    erase();
    if (lo.too_small) {
        mvaddstr(0, 0, "sibsim: the terminal is too small (40 x 10 at least)");
        refresh();
        return;
    }
    draw_tree(a, &lo.tree);
    pthread_mutex_lock(&a->lock);
    snapshot s = a->snap; /* drawn under the lock: the arrays stay ours */
    const tui_rect *r = &lo.results;
    if (a->help) draw_help(r);
    else if (s.n == 0) put_clipped(r->y, r->x, r->w, "simulating ...");
    else switch (a->v) {
        case VIEW_RESULTS: draw_results(a, &s, r); break;
        case VIEW_HISTOGRAM: draw_histogram(a, &s, r); break;
        case VIEW_FUNNEL: draw_funnel(a, &s, r); break;
        case VIEW_TORNADO: draw_tornado(a, r); break;
        case VIEW_COMPARE: draw_compare(a, &s, r); break;
        case VIEW_COUNT: break;
        }
    /* Status: paths, seed, the SE of the headline, the file. */
    const snap_metric *h = NULL;
    for (size_t i = 0; i < s.n && h == NULL; i++) {
        size_t kl = strlen(s.m[i].info.key);
        if (s.m[i].info.role == ROLE_TWIN && kl > 4 && strcmp(s.m[i].info.key + kl - 4, ".irr") == 0)
            h = &s.m[i];
    }
    char status[1200], se[48] = "";
    if (h) present_value(se, sizeof se, a->currency, UNIT_RATE, h->s.se);
    char temps[64] = "", warns[64] = "";
    if (a->stale_temps)
        snprintf(temps, sizeof temps, " [%zu temp file%s left]", a->stale_temps, a->stale_temps == 1 ? "" : "s");
    if (a->n_warnings)
        snprintf(warns, sizeof warns, " [%zu warning%s: w]", a->n_warnings, a->n_warnings == 1 ? "" : "s");
    snprintf(status, sizeof status, " %llu/%llu paths  %.2f s  seed %llu%s%s  |  %.400s%s%s%s  |  ? help  q quit",
             (unsigned long long)s.paths, (unsigned long long)s.target, s.seconds,
             (unsigned long long)a->original->sim.seed, h ? "  SE(IRR) " : "", se, a->shown,
             a->dirty ? " [edited]" : "", warns, temps);
    pthread_mutex_unlock(&a->lock);
    attron(A_REVERSE);
    move(lo.status.y, 0);
    for (int k = 0; k < cols; k++) addch(' ');
    put_clipped(lo.status.y, 0, cols, status);
    attroff(A_REVERSE);
    if (a->message[0]) {
        if (a->message_is_error) attron(use_colour ? COLOR_PAIR(3) : A_BOLD);
        put_clipped(lo.message.y, 0, cols, a->message);
        attroff(use_colour ? COLOR_PAIR(3) : A_BOLD);
    } else if (a->cursor < (int)a->n_nodes) {
        put_clipped(lo.message.y, 0, cols, a->nodes[a->cursor].pointer);
    }
    refresh();
}

/* ------------------------------------------------------------- the loop */

static int translate(int ch) {
    switch (ch) {
    case KEY_UP: return TUI_KEY_UP;
    case KEY_DOWN: return TUI_KEY_DOWN;
    case KEY_LEFT: return TUI_KEY_LEFT;
    case KEY_RIGHT: return TUI_KEY_RIGHT;
    case KEY_PPAGE: return TUI_KEY_PAGE_UP;
    case KEY_NPAGE: return TUI_KEY_PAGE_DOWN;
    case KEY_HOME: return TUI_KEY_HOME;
    case KEY_END: return TUI_KEY_END;
    case KEY_ENTER:
    case '\n':
    case '\r': return TUI_KEY_ENTER;
    default: return ch;
    }
}

/* Returns 1 to quit. */
static int handle(app *a, tui_action act, const tui_layout *lo) {
    const doc_node *n = a->cursor < (int)a->n_nodes ? &a->nodes[a->cursor] : NULL;
    switch (act) {
    case ACT_UP: a->cursor--; break;
    case ACT_DOWN: a->cursor++; break;
    case ACT_PAGE_UP: a->cursor -= lo->tree.h; break;
    case ACT_PAGE_DOWN: a->cursor += lo->tree.h; break;
    case ACT_HOME: a->cursor = 0; break;
    case ACT_END: a->cursor = (int)a->n_nodes - 1; break;
    case ACT_INC:
    case ACT_DEC:
    case ACT_INC_BIG:
    case ACT_DEC_BIG: {
        if (n == NULL || n->kind != DOC_NUMBER) {
            say(a, 0, "%s", "only numbers can be nudged (Enter to type a value)");
            break;
        }
        if (n->pointer_cut) {
            say(a, 1, "%s", POINTER_TOO_LONG);
            break;
        }
        double step = (act == ACT_INC || act == ACT_DEC) ? 0.01 : 0.10;
        if (act == ACT_DEC || act == ACT_DEC_BIG) step = -step;
        char ptr[256];
        snprintf(ptr, sizeof ptr, "%s", n->pointer);
        set_number(a, ptr, tui_nudge(n->number, step));
        break;
    }
    case ACT_TOGGLE: {
        if (n == NULL || n->kind != DOC_BOOL) {
            say(a, 0, "%s", "space toggles true/false fields");
            break;
        }
        if (n->pointer_cut) {
            say(a, 1, "%s", POINTER_TOO_LONG);
            break;
        }
        scenario_doc *copy = scenario_doc_copy(a->doc);
        sib_error err;
        if (copy && scenario_doc_set_bool(copy, n->pointer, !n->boolean, &err) == SIB_OK)
            commit_edit(a, copy);
        else scenario_doc_free(copy);
        break;
    }
    case ACT_EDIT: {
        if (n == NULL || n->kind == DOC_OBJECT || n->kind == DOC_ARRAY) {
            say(a, 0, "%s", "choose a value to edit (objects and arrays are edited field by field)");
            break;
        }
        if (n->pointer_cut) {
            say(a, 1, "%s", POINTER_TOO_LONG);
            break;
        }
        char *init = tui_value_text(n), ptr[256], q[300];
        snprintf(ptr, sizeof ptr, "%s", n->pointer);
        snprintf(q, sizeof q, "%s =", n->key);
        char *typed = init ? prompt(a, q, init) : NULL;
        free(init);
        if (typed == NULL) break;
        double number = 0;
        bool boolean = false;
        char why[300];
        tui_value_verdict v = tui_read_value(n, typed, &number, &boolean, why, sizeof why);
        if (v == TUI_VALUE_BAD) say(a, 1, "refused: %s", why);
        else if (v == TUI_VALUE_SAME) say(a, 0, "%s", "unchanged");
        else {
            scenario_doc *copy = scenario_doc_copy(a->doc);
            sib_error err;
            int rc = SIB_ENOMEM;
            if (copy == NULL) sib_error_set(&err, SIB_ENOMEM, NULL, "out of memory");
            else if (n->kind == DOC_NUMBER) rc = scenario_doc_set_number(copy, ptr, number, &err);
            else if (n->kind == DOC_BOOL) rc = scenario_doc_set_bool(copy, ptr, boolean, &err);
            else rc = scenario_doc_set_string(copy, ptr, typed, &err);
            if (rc != SIB_OK) {
                say(a, 1, "refused: %.490s", err.message);
                scenario_doc_free(copy);
            } else {
                commit_edit(a, copy);
            }
        }
        free(typed);
        break;
    }
    case ACT_UNDO: history(a, -1); break;
    case ACT_REDO: history(a, +1); break;
    case ACT_FIND: {
        char *f = prompt(a, "find:", "");
        if (f && f[0]) {
            snprintf(a->find, sizeof a->find, "%.127s", f);
            find_next(a);
        }
        free(f);
        break;
    }
    case ACT_FIND_NEXT: find_next(a); break;
    case ACT_VIEW_NEXT: a->v = (view)((a->v + 1) % VIEW_COUNT); break;
    case ACT_VIEW_RESULTS: a->v = VIEW_RESULTS; break;
    case ACT_VIEW_HISTOGRAM: a->v = VIEW_HISTOGRAM; break;
    case ACT_VIEW_FUNNEL: a->v = VIEW_FUNNEL; break;
    case ACT_VIEW_TORNADO: a->v = VIEW_TORNADO; break;
    case ACT_VIEW_COMPARE: a->v = VIEW_COMPARE; break;
    case ACT_METRIC_NEXT:
        pthread_mutex_lock(&a->lock);
        a->hist_choice++;
        pthread_mutex_unlock(&a->lock);
        /* The next snapshot bins the new metric; restart so that it comes now. */
        {
            sib_error err;
            scenario *sc = scenario_doc_compile(a->doc, &err);
            if (sc) restart(a, sc);
        }
        a->v = VIEW_HISTOGRAM;
        break;
    case ACT_TORNADO: {
        pthread_mutex_lock(&a->lock);
        /* The histogram's metric, named GROUP/KEY for the analysis. */
        const char *label = NULL;
        for (size_t i = 0; i < a->snap.n; i++) {
            char full[400];
            snprintf(full, sizeof full, "%s: %s", a->snap.m[i].info.group, a->snap.m[i].info.label);
            if (a->snap.m[i].info.role == ROLE_TWIN && strcmp(full, a->snap.hist_label) == 0) {
                snprintf(a->tornado_metric, sizeof a->tornado_metric, "%s/%s",
                         a->snap.m[i].info.group, a->snap.m[i].info.key);
                label = a->tornado_metric;
            }
        }
        if (label == NULL) snprintf(a->tornado_metric, sizeof a->tornado_metric, "commissioner/payments.total");
        free(a->tornado_text);
        a->tornado_text = scenario_doc_text(a->doc);
        a->tornado_request = 1;
        pthread_cond_signal(&a->cond);
        pthread_mutex_unlock(&a->lock);
        a->v = VIEW_TORNADO;
        break;
    }
    case ACT_SAVE:
        if (a->path) save_checked(a, a->path);
        else save_as(a);
        break;
    case ACT_SAVE_AS: save_as(a); break;
    case ACT_HELP: a->help = !a->help; break;
    case ACT_WARNINGS: show_warning(a, a->message[0] ? a->warning_shown + 1 : a->warning_shown); break;
    case ACT_QUIT: {
        if (!a->dirty) return 1;
        char *answer = prompt(a, "unsaved edits: y save and quit, n quit without saving, Esc stay:", "");
        int quit = 0;
        if (answer && answer[0] == 'n') {
            drop_recovery(a); /* the edits it held are knowingly dropped */
            quit = 1;
        } else if (answer && answer[0] == 'y') {
            quit = a->path ? save_checked(a, a->path) : save_as(a);
        }
        free(answer);
        if (quit) return 1;
        break;
    }
    case ACT_NONE:
    case ACT_COUNT: break;
    }
    if (a->cursor >= (int)a->n_nodes) a->cursor = (int)a->n_nodes - 1;
    if (a->cursor < 0) a->cursor = 0;
    return 0;
}

/* At open: a recovery file left by a session stopped by a signal, with the
 * scenario's unsaved edits. Offer them: use them (the file as it is goes on
 * the undo stack), discard them, or leave the choice for later. */
static void offer_recovery(app *a) {
    char *rp = scenario_doc_recovery_path(a->path);
    struct stat rs, fs;
    if (rp == NULL || stat(rp, &rs) != 0) {
        free(rp);
        return;
    }
    sib_error err;
    sib_error_clear(&err);
    char *text = sib_file_read(rp, &err);
    scenario_doc *doc = text ? scenario_doc_new(text, a->shown, &err) : NULL;
    scenario *sc = doc ? scenario_doc_compile(doc, &err) : NULL;
    free(text);
    char when[64] = "", q[1600];
    struct tm tm;
    if (localtime_r(&rs.st_mtime, &tm)) strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
    int newer = a->path && stat(a->path, &fs) == 0 && fs.st_mtime > rs.st_mtime;
    if (sc == NULL) {
        char buf[700];
        sib_error_format(&err, buf, sizeof buf);
        snprintf(q, sizeof q, "unsaved edits of %.300s do not load: d discard, Esc keep them (%.400s: %.500s)",
                 a->shown, rp, buf);
        if (choose(a, q, "d") == 'd') {
            unlink(rp);
            say(a, 0, "discarded %.480s", rp);
        }
        scenario_doc_free(doc);
        free(rp);
        return;
    }
    snprintf(q, sizeof q, "unsaved edits of %.300s from %s: u use, d discard, Esc later%s (in %.400s)",
             a->shown, when, newer ? "; the file is newer" : "", rp);
    switch (choose(a, q, "ud")) {
    case 'u':
        push_document(a, doc);
        restart(a, sc);
        a->recovery_in_use = rp;
        say(a, 0, "recovered the unsaved edits of %.300s (u undoes them; %s until they are saved)",
            a->shown, "kept in the recovery file");
        return;
    case 'd':
        unlink(rp);
        say(a, 0, "discarded the unsaved edits in %.480s", rp);
        break;
    default:
        say(a, 0, "the unsaved edits stay in %.480s", rp);
        break;
    }
    scenario_free(sc);
    scenario_doc_free(doc);
    free(rp);
}

/* At open: temporary files of a save that was killed before it finished
 * (the file itself is whole: the save renames only a complete file). */
static void report_stale_temps(app *a) {
    if (a->path == NULL) return;
    char names[1024];
    size_t n = sib_file_stale_temps(a->path, 0, names, sizeof names);
    a->stale_temps = n;
    if (n == 0) return;
    for (char *p = names; *p; p++)
        if (*p == '\n') *p = ' ';
    char earlier[sizeof a->message];
    snprintf(earlier, sizeof earlier, "%s", a->message);
    say(a, 1, "%zu temporary file%s left by a killed save: %.300s (the next save removes those over %d min old)%s%.150s",
        n, n == 1 ? "" : "s", names, SIB_FILE_STALE_SECONDS / 60, earlier[0] ? "  |  " : "", earlier);
}

int tui_main(const char *text, const char *path, const char *shown, unsigned threads) {
    gsl_set_error_handler_off();
    app *a = calloc(1, sizeof *a);
    if (a == NULL) return 1;
    a->path = path ? strdup(path) : NULL;
    a->threads = threads ? threads : 1;
    snprintf(a->shown, sizeof a->shown, "%s", shown);
    /* What the file held when read: a save first checks it still does. */
    a->disk_known = path != NULL;
    a->disk_event = "opened";
    a->disk_hash = scenario_doc_hash(text, strlen(text));
    sib_error err;
    a->doc = scenario_doc_new(text, shown, &err);
    a->original = a->doc ? scenario_doc_compile(a->doc, &err) : NULL;
    a->nodes = calloc(MAX_NODES, sizeof *a->nodes);
    if (a->doc == NULL || a->original == NULL || a->nodes == NULL || (path && a->path == NULL)) {
        char buf[1200];
        fprintf(stderr, "%s\n", sib_error_format(&err, buf, sizeof buf));
        scenario_doc_free(a->doc);
        scenario_free(a->original);
        free(a->nodes);
        free(a->path);
        free(a);
        return 2;
    }
    snprintf(a->currency, sizeof a->currency, "%s", a->original->currency);
    mark_saved(a);
    refresh_nodes(a);
    pthread_mutex_init(&a->lock, NULL);
    pthread_cond_init(&a->cond, NULL);
    scenario *first = scenario_doc_compile(a->doc, &err);
    restart(a, first);

    /* The signals that end a session: a handler that sets a flag, installed
     * before initscr (so that ncurses keeps its hands off them), and
     * blocked in the simulation thread (and the workers it starts), so
     * that they interrupt the UI's key read. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    const int stops[] = {SIGHUP, SIGTERM, SIGINT};
    sigset_t block, old_mask;
    sigemptyset(&block);
    for (size_t i = 0; i < 3; i++) {
        sigaction(stops[i], &sa, NULL);
        sigaddset(&block, stops[i]);
    }
    pthread_sigmask(SIG_BLOCK, &block, &old_mask);
    int started = pthread_create(&a->thread, NULL, sim_thread, a) == 0;
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    if (!started) {
        fprintf(stderr, "sibsim: cannot start the simulation thread\n");
        return 1;
    }

    setlocale(LC_ALL, "");
    initscr();
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    set_escdelay(50); /* Esc cancels at once, not after a second */
    curs_set(0);
    timeout(100);
    /* Colour only when the terminal has it and NO_COLOR is not set to a
     * non-empty value (https://no-color.org): otherwise bold, reverse and '#'. */
    use_colour = has_colors() && (getenv("NO_COLOR") == NULL || *getenv("NO_COLOR") == '\0');
    if (use_colour) {
        start_color();
        use_default_colors();
        init_pair(1, COLOR_CYAN, -1);
        init_pair(2, COLOR_GREEN, -1);
        init_pair(3, COLOR_RED, -1);
    }
    draw(a);
    offer_recovery(a);
    report_stale_temps(a);
    double last_draw = 0;
    int need = 1;
    while (!got_signal) {
        pthread_mutex_lock(&a->lock);
        if (a->changed) need = 1;
        a->changed = 0;
        pthread_mutex_unlock(&a->lock);
        /* Redraw when something changed, at most ten times a second for
         * results arriving from the simulation. */
        if (need && now() - last_draw >= 0.1) {
            draw(a);
            last_draw = now();
            need = 0;
        }
        int ch = getch();
        if (ch == ERR) continue;
        if (ch == KEY_RESIZE) {
            need = 1;
            last_draw = 0;
            continue;
        }
        int rows, cols;
        getmaxyx(stdscr, rows, cols);
        tui_layout lo;
        tui_layout_for(rows, cols, &lo);
        if (handle(a, tui_action_for_key(translate(ch)), &lo)) break;
        need = 1;
        last_draw = 0;
    }
    endwin();

    /* Stopped by a signal: what is unsaved goes to the recovery file,
     * through the one writer (atomic, beside the scenario). */
    int status = 0;
    if (got_signal) {
        int sig = got_signal;
        const char *name = sig == SIGHUP ? "SIGHUP" : sig == SIGTERM ? "SIGTERM" : "SIGINT";
        status = 128 + sig;
        if (a->dirty) {
            char *rp = scenario_doc_recovery_path(a->path);
            sib_error werr;
            if (scenario_doc_save_recovery(a->doc, a->path, &werr) == SIB_OK) {
                fprintf(stderr, "sibsim: %s: unsaved edits kept in %s (open %s again to recover them)\n",
                        name, rp ? rp : "the recovery file", a->path ? a->path : "the built-in scenario");
                /* Written anew: a file taken up at open is this one. */
                free(a->recovery_in_use);
                a->recovery_in_use = NULL;
            } else {
                char buf[1200];
                fprintf(stderr, "sibsim: %s: the unsaved edits could not be kept: %s\n", name,
                        sib_error_format(&werr, buf, sizeof buf));
            }
            free(rp);
        }
        /* The edits are safe: a second signal ends the process at once,
         * should the simulation thread take a moment to stop. */
        for (size_t i = 0; i < 3; i++) signal(stops[i], SIG_DFL);
    }

    pthread_mutex_lock(&a->lock);
    a->quit = 1;
    pthread_cond_signal(&a->cond);
    pthread_mutex_unlock(&a->lock);
    pthread_join(a->thread, NULL);
    pthread_mutex_destroy(&a->lock);
    pthread_cond_destroy(&a->cond);
    free(a->snap.m);
    scenario_free(a->pending);
    scenario_free(a->pending_original);
    scenario_free(a->original);
    free(a->tornado_text);
    while (a->n_undo) scenario_doc_free(a->undo[--a->n_undo]);
    while (a->n_redo) scenario_doc_free(a->redo[--a->n_redo]);
    scenario_doc_free(a->doc);
    free(a->saved_text);
    free(a->nodes);
    free(a->path);
    free(a->recovery_in_use);
    free(a);
    return status;
}
