/* app.h -- what the files of the terminal UI share, and nothing outside
 * tui/ includes: the app (the document and its history, what is shown, the
 * simulation thread's hand-over), the snapshot of results the simulation
 * publishes, and the functions one file of tui/ calls in another.
 *
 *   sim.c    the simulation thread: batches, snapshots, the tornado
 *   edit.c   the model: the document, edits, undo and redo
 *   input.c  keys (a paste read whole) and the message line: messages,
 *            prompts, questions, find
 *   save.c   saving: save, save as, conflicts, reload, recovery
 *   draw.c   drawing: the tree, the results pane, help, the status line
 *   views.c  the five views of the results pane
 *   tui.c    the loop: keys to actions; the terminal's modes (bracketed
 *            paste, Ctrl-Z); and tui_main
 *
 * The screen model without curses (keys, layout, histograms, the edit
 * line) is model.h; it is unit-tested.
 */
#ifndef SIB_TUI_APP_H
#define SIB_TUI_APP_H

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <wchar.h>

#include "../model/document.h"
#include "../sim/analysis.h"
#include "../sim/engine.h"
#include "../sim/warnings.h"
#include "model.h"

#define HBINS 48
/* The tree's first allocation; it grows to hold every field. */
#define MAX_NODES 4096
#define MAX_UNDO 128
#define MAX_BARS 64
#define MAX_WARNINGS 32
/* A field whose JSON Pointer is longer than doc_node.pointer holds. */
#define POINTER_TOO_LONG "this field's path is over 255 bytes long: edit it in a text editor"

/* The two arguments of "%.*s" for s cut to at most n bytes between two
 * characters (sib_utf8_cut): a "%.480s" cut could split a UTF-8
 * character, leaving a broken byte at the end of a message. s is
 * evaluated twice. */
#define APP_CUT(s, n) (int)sib_utf8_cut((s), (n)), (s)

typedef enum {
    VIEW_RESULTS,
    VIEW_HISTOGRAM,
    VIEW_FUNNEL,
    VIEW_TORNADO,
    VIEW_COMPARE,
    VIEW_COUNT
} view;

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
    /* Where in hist_label its measure begins ("IRR, future by future"
     * after "STRUCTURE: TRANCHE "; the label after "GROUP: " otherwise):
     * the part of the title that a narrow pane keeps whole. */
    size_t hist_measure;
    int hist_unit;
    double hist_p05, hist_p50, hist_p95;
    uint64_t hist_n, hist_undefined; /* the futures with a value, and those without */
    /* The currency each run's money is in: the scenario as edited's
     * ("after", and every view but the before column), and the one as
     * loaded or last saved ("before"). After an edit of /currency the
     * before column is still the old run's figures, in the old currency. */
    char currency[8], currency_before[8];
} snapshot;

typedef struct app {
    /* The document and its editing history. */
    char *path; /* where s saves; NULL for the built-in scenario or a library one */
    /* A library scenario opened by its name ("sibsim tui utah-preschool"),
     * until saved: the library's file is not the user's to save over (a
     * shared or installed copy, the deal as sourced), so it is treated as
     * the built-in scenario is -- s asks for a name, offering NAME.json here
     * -- and its unsaved edits are kept in .sibsim-library-NAME.sibsim-recover
     * in the current directory. The name, or NULL. */
    char *library;
    char *library_key; /* "sibsim-library-NAME" (app_recovery_key), or NULL */
    char shown[512];
    uint64_t disk_hash;     /* the content of path when last read or written */
    int disk_known;         /* disk_hash is that of path */
    const char *disk_event; /* how disk_hash was had: "opened", "reloaded", "last saved" */
    /* Recovery: the unsaved edits are kept on disk as they are made
     * (app_keep_as_you_go), so that a crash or a kill loses none. */
    char *recovery_in_use; /* this session's recovery file: taken up at open, or claimed */
    int recovery_lock;     /* its lock, held while the session runs (-1: none) */
    int recovery_own;      /* claimed by this session (not edits taken up at open) */
    char *kept_text;       /* the document as last written there (NULL: nothing yet) */
    int keep_failed;       /* a write there failed, and the session has said so */
    size_t stale_temps;    /* temporaries of killed saves beside path */
    /* Likely mistakes in the scenario being simulated (sim/warnings.h). */
    sib_warning warnings[MAX_WARNINGS];
    size_t n_warnings, warning_shown;
    scenario_doc *doc;
    scenario_doc *undo[MAX_UNDO], *redo[MAX_UNDO];
    int n_undo, n_redo, dirty;
    char *saved_text; /* the document as last loaded or saved */
    doc_node *nodes;
    size_t n_nodes;
    size_t cap_nodes; /* nodes' allocation (grown to hold the whole tree) */
    int nodes_cut;    /* out of memory: the tree shows only the first cap_nodes */
    int cursor, top;
    /* What is shown. */
    view v;
    int help, hist_choice;
    int help_top; /* the first help line shown */
    int asking;   /* a prompt or question is open in the message line */
    int paste_cut; /* the last prompt's paste was cut (TUI_PASTE_MAX) */
    int rscroll;  /* the results pane's rows hidden above (not the title) */
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
    scenario *original;         /* A: as loaded or last saved (the simulation thread's) */
    scenario *pending_original; /* the next baseline, after a save */
    scenario *pending;          /* B: the newest edited scenario, handed over */
    snapshot snap;
    int tornado_request, tornado_running, tornado_generation;
    char *tornado_text;
    char *tornado_of; /* the document as it was when t was pressed (UI thread's):
                         the view says when the edits have moved on since */
    char tornado_metric[400];
    /* Where in tornado_metric ("GROUP/KEY") its measure begins: ".irr"
     * after a tranche's name, the key whole otherwise. A title too long
     * for the pane keeps it whole. */
    size_t tornado_measure;
    tornado_bar bars[MAX_BARS];
    size_t n_bars;
    double tornado_base;
    char tornado_error[512];
    scenario *tornado_sc; /* the scenario the tornado ran on: names its terms */
    int tornado_unit;     /* the metric's unit (metric_unit) */
    int changed;          /* something new to draw */
    /* What the fields rest on: the scenario's assumptions, one text per
     * annotated pointer (app_take_notes), for the tree's marks and the
     * note view (help == 2). Owned by the UI thread. */
    char **note_ptr, **note_text;
    size_t n_notes;
} app;

/* ------------------------------------------------------------ sim.c */

/* Monotonic seconds. */
double app_now(void);

/* The simulation thread (pthread_create's start routine; arg: the app):
 * runs the scenario handed over by app_restart in doubling batches and
 * publishes a snapshot after each, runs a requested tornado, and returns
 * once a->quit is set. */
void *app_sim_thread(void *arg);

/* The metric the histogram shows for choice number `choice` (a->hist_choice),
 * as an index into s->m, or SIZE_MAX when s has none: the same choice as
 * the simulation thread bins, so that t names the metric m chose even
 * before a batch has drawn it. */
size_t app_hist_metric(const snapshot *s, int choice);

/* Hand sc to the simulation thread (which owns it from then on); its
 * warnings are listed, and a new one is shown at once. */
void app_restart(app *a, scenario *sc);

/* ----------------------------------------------------------- edit.c */

/* The tree's rows from the document, every field (the array grows to hold
 * them; out of memory, the first ones and a message saying so); the cursor
 * kept on a row. */
void app_refresh_nodes(app *a);

/* Take the assumptions of sc (the scenario being handed to the simulation)
 * as the fields' notes: for each annotated pointer one text, each of its
 * assumptions as "basis: note (sources: title; title)", separated by
 * "  |  " (the note view breaks the lines there). Keeps the old notes
 * when out of memory. */
void app_take_notes(app *a, const scenario *sc);

/* The note of the field at pointer, or NULL when the scenario states none. */
const char *app_note_of(const app *a, const char *pointer);

/* Free the notes. */
void app_free_notes(app *a);

/* The document as it is now counts as saved (not edited). */
void app_mark_saved(app *a);

/* Make doc the current document; the current one goes on the undo stack. */
void app_push_document(app *a, scenario_doc *doc);

/* Apply an edit made to a copy of the document (which this takes): the
 * loader and the engine check it; refused, the message line says why. */
void app_commit_edit(app *a, scenario_doc *edited);

/* Set the number at pointer, as an edit. */
void app_set_number(app *a, const char *pointer, double value);

/* Nudge the number at pointer, now `from`, by the relative step (ACT_INC
 * and the like): to tui_nudge(from, step, 0), or in a field that takes
 * only whole numbers (one that refuses that) to tui_nudge(from, step, 1).
 * Through app_set_number. */
void app_nudge(app *a, const char *pointer, double from, double step);

/* Undo (dir = -1) or redo (+1). */
void app_history(app *a, int dir);

/* ---------------------------------------------------------- input.c */

/* SIGHUP, SIGTERM or SIGINT received (set by the handler in tui.c). */
extern volatile sig_atomic_t tui_got_signal;

/* Bind the markers of a bracketed paste, ESC[200~ and ESC[201~, to key
 * codes of their own (after initscr and keypad), so that they arrive as
 * one key each instead of an Esc that cancels a prompt and characters
 * that act as keys. 1 when bound: bracketed paste may then be turned on. */
int app_keys_init(void);

/* What app_read_key read. */
typedef enum { APP_READ_NONE, APP_READ_CHAR, APP_READ_KEY, APP_READ_PASTE } app_read;

/* Read a key, waiting up to the key time-out (100 ms): a character
 * (APP_READ_CHAR, in *wc), a curses key code (APP_READ_KEY, *wc: a KEY_*),
 * or nothing (APP_READ_NONE: the time-out, or a signal). A bracketed paste
 * is read whole into *paste (APP_READ_PASTE; the caller frees it with
 * tui_paste_free), up to its end marker, or until no input has come for a
 * second should the marker never come, so that it cannot hang the UI;
 * none of it is a key. A suspend (Ctrl-Z) asked for since the last read
 * is done here (app_suspend), and reads as KEY_RESIZE: the screen is then
 * to be drawn again. */
app_read app_read_key(wint_t *wc, tui_paste *paste);

/* Set the message line (error: shown as an error). */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void app_say(app *a, int error, const char *fmt, ...);

/* The message line shows warning i of the scenario simulated now. */
void app_show_warning(app *a, size_t i);

/* Read a line in the message area, starting with `initial`: the text (the
 * caller frees it), or NULL when cancelled. */
char *app_prompt(app *a, const char *question, const char *initial);

/* Ask and wait for one of `keys`: that key, or 0 for Esc. */
int app_choose(app *a, const char *question, const char *keys);

/* Move the cursor to the next field matching a->find. */
void app_find_next(app *a);

/* ------------------------------------------------------------ tui.c */

/* Ctrl-Z (SIGTSTP) received (set by the handler in tui.c; app_read_key
 * acts on it). */
extern volatile sig_atomic_t tui_got_suspend;

/* Suspend the session for Ctrl-Z: bracketed paste off and the terminal
 * restored, the process stopped until it is continued (fg), then the
 * screen taken back, bracketed paste on again and the screen to be drawn
 * whole at the next refresh (at the terminal's size by then). */
void app_suspend(void);

/* ----------------------------------------------------------- save.c */

/* What the recovery files of the session's scenario are named after: its
 * file, "sibsim-library-NAME" for a library scenario opened by name, NULL
 * for the built-in one (scenario_doc_recovery_slot). */
const char *app_recovery_key(const app *a);

/* The scenario as a message names what to open again: its file (made
 * visible), "the built-in scenario" or "the library's NAME", into buf. */
const char *app_reopen_name(const app *a, char *buf, size_t size);

/* Save to path, asking first when that would lose something. 1 if saved. */
int app_save_checked(app *a, const char *path);

/* Ask for a name and save there. 1 if saved. */
int app_save_as(app *a);

/* Delete this session's recovery file and give up its lock (the edits
 * it held are saved, knowingly dropped, or undone). */
void app_drop_recovery(app *a);

/* After every key: keep the unsaved edits in this session's recovery file
 * when the document changed since they were last kept (claiming a slot
 * the first time), through the one writer, so that a crash, kill -9 or a
 * power cut loses none; once every edit is undone, the file this session
 * made is removed. A write that fails is said once, as a warning. */
void app_keep_as_you_go(app *a);

/* The session's end: give up the recovery file's lock (the file stays
 * when it holds edits). */
void app_release_recovery(app *a);

/* Tell the crash handler (tui.c) where the unsaved edits are now kept:
 * rp, or NULL when nothing is unsaved. */
void app_crash_note(const app *a, const char *rp);

/* At open: offer the edits of a recovery file; name left-over temporaries. */
void app_offer_recovery(app *a);
void app_report_stale_temps(app *a);

/* Stopped by signal `name` with unsaved edits: write them to the recovery
 * file and say where on stderr (the terminal is restored already). */
void app_keep_edits(app *a, const char *name);

/* ----------------------------------------------------------- draw.c */

/* Choose colour or monochrome (after initscr). */
void app_colour_init(void);

/* Draw the whole screen: the tree, the results pane (or the help over
 * both), the message line and the status line. */
void app_draw(app *a);

/* How a pane's text is drawn. */
enum { PANE_PLAIN = 0, PANE_BOLD = 1, PANE_BAR = 2 /* green with colour */ };

/* A view drawn into the results pane. Row 0 is its title and stays; the
 * rows below scroll by a->rscroll when the view is taller than the pane
 * (J and K), the last screen row then saying so. A first pass with `dry`
 * set draws nothing and counts the rows. */
typedef struct pane {
    tui_rect r;
    int scroll; /* rows hidden above (below the title) */
    int body;   /* rows shown below the title */
    int rows;   /* rows written: the view's height */
    int head;   /* rows of the title, which do not scroll (1 unless set) */
    /* From view row `item` on, `items` things of `per` rows each (a
     * tornado's name on a row of its own above its bar: 2), called `what`
     * ("bars"): when per > 1 the view scrolls by whole things, one is
     * shown whole or not at all, and the last row counts them, not rows.
     * 0 unless set. */
    int item, per, items;
    const char *what;
    int dry;
} pane;

/* The screen row of the view's row `row`, or -1 when it is not shown. */
int pane_y(pane *p, int row);

/* s at the view's row and column, cut to w display columns. */
void pane_put(pane *p, int row, int col, int w, const char *s, int how);

/* The view's title, in bold on row 0. */
void pane_title(pane *p, const char *s);

/* The view's title, `full`, over as many rows as it needs (two at the
 * most), word-wrapped; when two do not hold it, `brief`, said in fewer
 * words, the second row ending in the marker if need be. Both rows stay
 * when the view scrolls. Returns the rows taken (1 or 2): the view's rows
 * start that much lower. */
int pane_heading(pane *p, const char *full, const char *brief);

/* Title rows l1 and, when not "", l2 (tui_title_lines): both stay when the
 * view scrolls. Returns the rows taken. */
int pane_title2(pane *p, const char *l1, const char *l2);

/* 1 when charts are drawn in Unicode blocks (a UTF-8 locale). */
int app_unicode(void);

/* ---------------------------------------------------------- views.c */

/* The financing structures of the edited scenario in s (the groups with
 * what the commissioner pays), at most `most` of them into groups;
 * returns how many were written. */
size_t app_structures(const snapshot *s, const char **groups, size_t most);

/* The five views of the results pane, drawn from the snapshot (and, for
 * the tornado, the app's bars) under the app's lock. */
void view_results(app *a, const snapshot *s, pane *p);
void view_histogram(app *a, const snapshot *s, pane *p);
void view_funnel(app *a, const snapshot *s, pane *p);
void view_tornado(app *a, pane *p);
void view_compare(app *a, const snapshot *s, pane *p);

#endif
