/* model.h -- the terminal UI's screen model: everything about what the
 * screen shows that can be computed without a terminal. Pure functions, no
 * curses (the unit tests link this file alone): the key map and its help,
 * the layout for a terminal size, scrolling, nudging a number, the edit
 * line, a bracketed paste, what a typed value means, fitting text to the
 * screen without cutting a number, and binning a distribution into
 * histogram bars.
 */
#ifndef SIB_TUI_MODEL_H
#define SIB_TUI_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "../model/document.h"
#include "../sim/stats.h"

/* Every key action, with its keys as shown in help and what it does. The
 * one table drives both the key map (tui_action_for_key) and the help
 * screen, so they cannot drift apart (the tig pattern). */
#define TUI_ACTIONS(X)                                                                             \
    X(ACT_UP, "Up k", "move up the parameter tree")                                                \
    X(ACT_DOWN, "Down j", "move down the parameter tree")                                          \
    X(ACT_PAGE_UP, "PgUp", "a page up")                                                            \
    X(ACT_PAGE_DOWN, "PgDn", "a page down")                                                        \
    X(ACT_HOME, "Home g", "to the first field")                                                    \
    X(ACT_END, "End G", "to the last field")                                                       \
    X(ACT_INC, "+ =", "nudge the number up by 1%")                                                 \
    X(ACT_DEC, "-", "nudge the number down by 1%")                                                 \
    X(ACT_INC_BIG, "] l Right", "nudge the number up by 10%")                                      \
    X(ACT_DEC_BIG, "[ h Left", "nudge the number down by 10%")                                     \
    X(ACT_EDIT, "Enter e", "type a new value for the field")                                       \
    X(ACT_TOGGLE, "Space", "toggle true/false")                                                    \
    X(ACT_UNDO, "u", "undo the last edit")                                                         \
    X(ACT_REDO, "r Ctrl-R", "redo")                                                                \
    X(ACT_FIND, "/", "find a field by name or path")                                               \
    X(ACT_FIND_NEXT, "n", "find the next match")                                                   \
    X(ACT_VIEW_NEXT, "Tab", "next results view")                                                   \
    X(ACT_VIEW_RESULTS, "1", "view: financing structures side by side")                            \
    X(ACT_VIEW_HISTOGRAM, "2", "view: histogram of a distribution")                                \
    X(ACT_VIEW_FUNNEL, "3", "view: stage funnel")                                                  \
    X(ACT_VIEW_TORNADO, "4", "view: tornado (press t to compute)")                                 \
    X(ACT_VIEW_COMPARE, "5", "view: before / after the edits, on common random numbers")           \
    X(ACT_SCROLL_DOWN, "J", "scroll the results pane down (when it does not fit)")                 \
    X(ACT_SCROLL_UP, "K", "scroll the results pane up")                                            \
    X(ACT_METRIC_NEXT, "m", "histogram: next metric")                                              \
    X(ACT_TORNADO, "t", "compute the tornado for the histogram's metric")                          \
    X(ACT_SAVE, "s", "save (asks first if the file changed on disk or is read-only)")              \
    X(ACT_SAVE_AS, "S", "save as a new file")                                                      \
    X(ACT_WARNINGS, "w", "show the scenario's warnings (likely mistakes), one by one")             \
    X(ACT_NOTES, "i",                                                                              \
      "what the field rests on: the sources and assumptions the scenario states for it (fields "   \
      "marked (i))")                                                                               \
    X(ACT_HELP, "?", "show or hide this help")                                                     \
    X(ACT_QUIT, "q", "quit (asks first when there are unsaved edits)")

typedef enum {
    ACT_NONE = 0,
#define TUI_ENUM(name, keys, help) name,
    TUI_ACTIONS(TUI_ENUM)
#undef TUI_ENUM
        ACT_COUNT
} tui_action;

/* Key codes the model knows without curses: curses passes its KEY_* codes
 * through tui_action_for_key as `special` values the front end translates
 * first (see tui.c). */
enum {
    TUI_KEY_UP = 0x1001,
    TUI_KEY_DOWN,
    TUI_KEY_LEFT,
    TUI_KEY_RIGHT,
    TUI_KEY_PAGE_UP,
    TUI_KEY_PAGE_DOWN,
    TUI_KEY_HOME,
    TUI_KEY_END,
    TUI_KEY_ENTER
};

/* The action for a key (a character or a TUI_KEY_*), or ACT_NONE. */
tui_action tui_action_for_key(int key);

/* The keys and help text of action a, from the table. */
const char *tui_action_keys(tui_action a);
const char *tui_action_help(tui_action a);

/* Where things go on a rows x cols screen: the parameter tree on the left,
 * the results on the right, a message line and a status line at the
 * bottom. Below 80 x 24 the layout still fits (narrower panes), and
 * too_small is set when nothing useful fits (under 40 x 10). */
typedef struct tui_rect {
    int y, x, h, w;
} tui_rect;

typedef struct tui_layout {
    tui_rect tree, results, message, status;
    int too_small;
} tui_layout;

void tui_layout_for(int rows, int cols, tui_layout *out);

/* While the terminal is too small (too_small), the screen shows only a
 * notice (tui_too_small_notice) and keys do nothing, since what they would
 * act on cannot be seen (u would undo edits out of sight; q with unsaved
 * edits would ask a question that cannot be drawn): the action for a key
 * is ACT_NONE, except q when nothing is unsaved (dirty = 0), which quits.
 * A signal (Ctrl-C) is no key and acts as ever. */
tui_action tui_action_too_small(int key, int dirty);

/* The notice: with asking set, a prompt or a question is open (the
 * recovery offer, a value being typed, "unsaved edits: ..."); it is not
 * drawn over the notice, every key but a resize is ignored (q too: it
 * would be typed), and it comes back as it was once the terminal is large
 * enough. Else whether q quits (dirty = 0) or there are unsaved edits. */
const char *tui_too_small_notice(int dirty, int asking);

/* The first row to show so that row `cursor` is visible in a window of
 * `height` rows that showed from `top` (the view scrolls only when the
 * cursor leaves it). */
int tui_scroll(int cursor, int top, int height, int total);

/* A scroll position kept in range: the first of `total` rows shown in a
 * window of `height` rows, at least 0 and at most total - height (0 when
 * everything fits). */
int tui_clamp_scroll(int top, int height, int total);

/* A number nudged by a relative step: value + |value| x step, for step >
 * 0 up (towards +infinity, a negative number too), < 0 down, rounded to
 * 12 significant digits (so that 0.1 nudged up by 10% is 0.11, not
 * 0.11000000000000001); zero moves to +-step (so a 0 can be nudged off).
 * `whole`, for a field that takes only whole numbers: rounded to a whole
 * number that moves by at least 1 (4 up by 1% is 5), and a zero moves to
 * +-1. Never a negative zero: a result of zero is +0. */
double tui_nudge(double value, double step, int whole);

/* ----------------------------------------------------------- the edit line
 *
 * The line a value is typed on: any length, UTF-8, a cursor that moves by
 * characters, and a window of the screen's width that scrolls to keep the
 * cursor in view. Columns are display columns (wcwidth): a Chinese
 * character or an emoji takes two, so the line never runs past its row. */
typedef struct tui_line {
    char *text; /* NUL-terminated */
    size_t len, cap;
    size_t cursor; /* a byte offset, at the start of a character */
    size_t scroll; /* the byte offset of the first character shown */
} tui_line;

typedef enum {
    TUI_LINE_LEFT,
    TUI_LINE_RIGHT,
    TUI_LINE_HOME,
    TUI_LINE_END,
    TUI_LINE_BACKSPACE, /* the character before the cursor */
    TUI_LINE_DELETE,    /* the character under the cursor */
    TUI_LINE_CLEAR,     /* the whole line */
    TUI_LINE_KILL_END   /* from the cursor to the end */
} tui_line_op;

/* Start the line with text, the cursor at its end. 0, or -1 when out of
 * memory (the line is then empty). A zeroed tui_line is an empty line. */
int tui_line_set(tui_line *l, const char *text);
void tui_line_free(tui_line *l);

/* Insert n bytes at the cursor (a character typed or pasted); -1 when out
 * of memory. */
int tui_line_insert(tui_line *l, const char *bytes, size_t n);
void tui_line_edit(tui_line *l, tui_line_op op);

/* Show the line in `width` columns: scroll so that the cursor is in view
 * (and the window is full when the text allows), then the bytes to draw,
 * [*first, *first + *bytes), and the cursor's column in the window. */
void tui_line_view(tui_line *l, int width, size_t *first, size_t *bytes, int *cursor_col);

/* The n bytes of s as the edit line draws them, into buf: each control
 * character (C0, DEL, C1) replaced by one that shows it in one column --
 * its Unicode control picture (a line feed as U+240A) in a UTF-8 locale
 * (unicode = 1), else "?" -- and everything else as it is. A string field
 * may hold a line feed or a tab (a description, a note); drawn as they are,
 * a line feed ends the message line and writes over the status line. A
 * control character takes one column, as tui_line_view counts, so the
 * cursor stays on its character. buf needs 3 x n + 1 bytes; a longer result is cut between
 * characters. Returns buf. */
const char *tui_line_shown(char *buf, size_t size, const char *s, size_t n, int unicode);

/* The UTF-8 bytes of code point cp in out (up to 4); how many, 0 for a
 * code point that is not a character (a surrogate, > U+10FFFF). */
size_t tui_utf8_encode(unsigned long cp, char out[4]);

/* ------------------------------------------------------ a bracketed paste
 *
 * The terminal sends pasted text between ESC[200~ and ESC[201~ (bracketed
 * paste, which the UI turns on): the text is read whole and never taken
 * as keys, so that a pasted line feed cannot accept a prompt, nor pasted
 * letters edit, save or quit. */

/* The most a paste keeps: more is dropped (and said so), however long the
 * paste, so that it cannot exhaust memory. */
#define TUI_PASTE_MAX 65536

typedef struct tui_paste {
    char *text; /* NUL-terminated once anything is added; NULL when empty */
    size_t len, cap;
    int cut; /* characters were dropped: past TUI_PASTE_MAX, or out of memory */
} tui_paste;

/* Add one character, its n bytes (1 to 4), to the paste: whole, or not at
 * all (cut set) when the paste would then hold more than TUI_PASTE_MAX
 * bytes or memory runs out, nor once cut is set, so that what is kept is
 * the paste's start. A zeroed tui_paste is an empty paste. */
void tui_paste_add(tui_paste *p, const char *bytes, size_t n);
void tui_paste_free(tui_paste *p);

/* The n bytes of s, a paste, made into text for the one-line edit line,
 * in place; returns the new length (s is NUL-terminated at it when n >
 * 0). Line breaks at the end are dropped (a copied line or spreadsheet
 * cell ends in one that is not part of the value: "15000\n" is 15000);
 * every other control character (C0, DEL, C1), a tab or a line break
 * within the text too, becomes a space, a CR LF pair one space. Nothing
 * else is dropped: a paragraph pasted into a description keeps every
 * word, where cutting at the first line break would lose the rest without
 * a word; and a number with a break in it ("12\n345") is refused by the
 * field's check, to be put right, rather than taken as its first line. */
size_t tui_paste_line(char *s, size_t n);

/* --------------------------------------------------------- typing a value */

/* The text the edit line starts with for field n: a number in the
 * shortest form that reads back to the same double (doc_number_text), a
 * string whole, "true" or "false". The caller frees it; NULL when out of
 * memory or for an object or array. */
char *tui_value_text(const doc_node *n);

/* What a typed text means for field n: */
typedef enum {
    TUI_VALUE_SAME, /* the value it has: no edit */
    TUI_VALUE_NEW,  /* a new value, in *number, *boolean or the text itself */
    TUI_VALUE_BAD   /* refused, with the reason in why */
} tui_value_verdict;

/* A number is read with a point whatever the locale (doc_number_parse),
 * a negative zero ("-0", "-0.0") as 0, the value a person means by it (and
 * over a zero of either sign, no edit: the file's own -0.0 accepted as
 * shown stays); a true/false field takes "true" or "false" only; a string
 * takes the text as it is. */
tui_value_verdict tui_read_value(const doc_node *n, const char *text, double *number, bool *boolean,
                                 char *why, size_t size);

/* ------------------------------------------------- fitting text to the screen
 *
 * Text that does not fit is never cut so that it reads as something else
 * (1.25 as "1", 1700000 as "170000"): a value is shown whole, or ends in a
 * marker that says it is cut -- "…" in a UTF-8 locale (unicode = 1), ">"
 * at the end or "<" at the start otherwise. Widths are display columns
 * (present_width). */

/* One row of the parameter tree, in at most `cols` columns, into buf: the
 * key indented by 2 x depth, ": ", the value and the suffix (" (i)" or "").
 * When the row does not fit and the value must be read whole (whole = 1: a
 * number, true/false, "{5}", "[2]"), the key is shortened first (to one
 * character and the marker at the least), then the suffix is left out, and
 * only then is the value cut, ending in the marker. A value that may be cut
 * (whole = 0: a string) keeps the key and the suffix and is cut, ending in
 * the marker; the suffix goes when the value would keep too little. Returns
 * buf. */
const char *tui_tree_row(char *buf, size_t size, int depth, const char *key, const char *value,
                         const char *suffix, int whole, int cols, int unicode);

/* Text in at most `cols` columns, into buf (a message, a note, a title, a
 * label): whole when it fits, else cut ending in the marker. A word (a run
 * of characters other than spaces) that the cut would split and that holds
 * a digit is left out whole, the marker after the space before it, so that
 * no number is shown in part ("About GBP …", not "About GBP 1."); only a
 * first word is cut inside. Returns buf. */
const char *tui_fit(char *buf, size_t size, const char *s, int cols, int unicode);

/* s in at most `cols` columns, into buf: whole when it fits, else its
 * start and its end with the marker between them ("Roca PF…pact Fund"),
 * the start one column longer when the columns are odd. Returns buf. */
const char *tui_fit_middle(char *buf, size_t size, const char *s, int cols, int unicode);

/* A title, head + whose + measure ("Tornado of " "Roca PFS capital/GS
 * Social Impact Fund" ".irr"), over one or two lines of at most `cols`
 * columns, into l1 and l2 (each `size` bytes), so that the measure stays
 * whole: on one line when it fits; else word-wrapped over two when they
 * hold it all; else the measure ends the second line and whose it is is
 * cut in its middle (tui_fit_middle): after the head on the first line,
 * the measure alone on the second, when 16 columns of it fit there; else
 * the head alone on the first line (cut from the right if need be) and
 * whose and the measure on the second. A measure wider than the pane is
 * cut from the right. Returns the lines used, l2 "" when 1. */
int tui_title_lines(char *l1, char *l2, size_t size, const char *head, const char *whose,
                    const char *measure, int cols, int unicode);

/* A field's name as present_term_name gives it ('cost overrun of stage
 * "pilot"') in at most `cols` columns, into buf, shortened so that names
 * cut to the same width still differ: whole when it fits; else, in turn,
 * the kind of thing named before the first quoted name is left out, the
 * marker in its place ('cost overrun… "pilot"'); what follows that name
 * (' of "SIB"') goes, a marker after the closing quote; the field's words
 * are cut (tui_fit, 8 columns kept at the least); and last the quoted name
 * is cut in its middle, keeping its start, its end and both quotes
 * ('price… "impleme…utcomes"'). A name without a quote is cut from the
 * right (tui_fit). Returns buf. */
const char *tui_term_label(char *buf, size_t size, const char *label, int cols, int unicode);

/* 1 when a tornado's names do not tell its rows apart in a column of
 * `cols` columns, so that each should have a row of its own above its
 * bar: the column is narrower than TUI_TORNADO_NAME_MIN, or two of the
 * n names that differ read alike there (tui_term_label). At 40 columns
 * the column is 8 wide and every row read 'true ef…' or 'commitm…'. */
#define TUI_TORNADO_NAME_MIN 16
int tui_tornado_stacked(const char *const *names, size_t n, int cols, int unicode);

/* The last row of a view taller than its pane, into buf: "-- WHAT
 * FIRST-LAST of TOTAL: J down, K up --" (what: "rows", "bars"); when
 * wider than `cols`, "WHAT FIRST-LAST of TOTAL", which is cut from the
 * right if still too wide (at 40 columns the total was cut: "-- rows
 * 1-19 of …"). Returns buf. */
const char *tui_more_line(char *buf, size_t size, const char *what, int first, int last, int total,
                          int cols, int unicode);

/* The status line in at most `cols` columns, into buf:
 *
 *     " RUN  |  FILE FLAGS  |  HINT"
 *
 * RUN is the run's n_run items two spaces apart (the paths, the seconds,
 * the seed, the SE: the most wanted first); FLAGS the flags, each with a
 * leading space (" [edited] [2 warnings: w]"), or "". The flags are always
 * shown whole, when the line can hold them at all. What gives way to them,
 * in turn: the hint, whose items (two spaces apart) are left out whole from
 * the last, with the "  |  " before them when none fits; the file name, shortened from
 * the left after the marker to TUI_STATUS_FILE_MIN columns; the run's
 * items, left out whole from the last; then the rest of the file name.
 * Returns buf. */
#define TUI_STATUS_FILE_MIN 16
const char *tui_status_line(char *buf, size_t size, const char *const *run, int n_run,
                            const char *file, const char *flags, const char *hint, int cols,
                            int unicode);

/* The status line's run item for the Monte Carlo SE of the headline, the
 * mean IRR of one tranche, into buf: "SE(mean IRR, WHOSE) SE" (whose: the
 * tranche's name, "STRUCTURE: tranche" when there are several structures;
 * se: the SE as written). A bare "SE(mean IRR) 0.41%" did not say whose
 * IRR it was. When the item is wider than `cols`, the name is cut ending
 * in the marker; when not even one character of it and the marker fit,
 * the item is "SE(mean IRR) SE", which may still be wider than cols (the
 * status line then leaves it out whole). Returns buf. */
const char *tui_se_item(char *buf, size_t size, const char *whose, const char *se, int cols,
                        int unicode);

/* The columns the SE item (tui_se_item) is given: `cols`, the room the
 * status line leaves it with the file name whole, or, when the tranche's
 * name would keep fewer than TUI_SE_NAME_MIN columns there (or its width,
 * if less), as much more as that takes, up to `more`, the room with the
 * file name shortened as far as the line shortens it: at 110 columns,
 * "SE(mean IRR, 17 …)" beside a whole "scenarios/peterborough.json" said
 * little. */
#define TUI_SE_NAME_MIN 12
int tui_se_room(const char *whose, const char *se, int cols, int more);

/* Labels along one line of `cols` columns (a histogram's axis), laid out
 * in the order given, the first ones winning: label k, len[k] columns
 * wide, goes at column want[k], moved left as far as it must to end
 * within the line; it is left out (at[k] = -1) when it would then begin
 * before column 0, or come within `gap` columns of a label laid out
 * before it. A label is never cut. */
void tui_place_labels(int n, const int *want, const int *len, int cols, int gap, int *at);

/* The n items in at most `cols` columns, into buf: two spaces apart when
 * they fit so, else one space apart; when even so they do not fit, as
 * many of the first items as fit, each whole (the rest are left out).
 * Returns buf. */
const char *tui_join_fit(char *buf, size_t size, const char *const *items, int n, int cols);

/* Bin the distribution in acc into `bins` equal bins over [lo, hi]
 * (counts[b] = number of values, as fractions of all defined values).
 * Values outside the range go to the end bins. */
void tui_histogram(const stats_acc *acc, double lo, double hi, int bins, double *frac);

/* Bar heights in cells (0..height) for fractions, the largest filling
 * the height. */
void tui_bar_heights(const double *frac, int bins, int height, int *cells);

/* Column heights in eighths of a cell (0..8 x height) for fractions, the
 * largest filling the height: for columns drawn in Unicode blocks, whose
 * top cell is filled in eighths (present_vcell). A non-empty bin has at
 * least one eighth. */
void tui_bar_eighths(const double *frac, int bins, int height, int *eighths);

/* The bin of value x over [lo, hi] in `bins` bins (clamped), for marking
 * percentiles under a histogram. */
int tui_bin_of(double x, double lo, double hi, int bins);

#endif
