/* input.c -- the terminal UI's input and message line: reading a key (a
 * bracketed paste read whole, as text), messages, a prompt for a value or
 * a name (the edit line of model.h, drawn here), a question answered by
 * one key, and finding a field.
 */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../present/text.h"
#include "app.h"

/* -------------------------------------------------------------- messages */

/* Set the message line. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void app_say(app *a, int error, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->message, sizeof a->message, fmt, ap);
    va_end(ap);
    /* A message longer than the line's buffer was cut at its last byte,
     * perhaps inside a character: made whole, between two characters. */
    a->message[sib_utf8_cut(a->message, sizeof a->message - 1)] = '\0';
    a->message_is_error = error;
}

/* The message line shows warning i of the scenario simulated now. */
void app_show_warning(app *a, size_t i) {
    size_t n = a->n_warnings < MAX_WARNINGS ? a->n_warnings : MAX_WARNINGS;
    if (n == 0) {
        app_say(a, 0, "%s", "no warnings: nothing in the scenario looks like a likely mistake");
        return;
    }
    a->warning_shown = i % n;
    app_say(a, 0, "warning %zu of %zu: %s: %s%s", a->warning_shown + 1, a->n_warnings,
        a->warnings[a->warning_shown].pointer, a->warnings[a->warning_shown].message,
        a->n_warnings > 1 ? "  (w: next)" : "");
}

/* ------------------------------------------------------------------ keys */

/* The key codes a bracketed paste's markers are bound to (app_keys_init),
 * or -1 when they are not. */
static int paste_begin = -1, paste_end = -1;

/* A code of its own for the key sequence seq: the one the terminal's
 * description binds it to already, or one no key of it uses (ncurses
 * numbers the terminal's extended keys from KEY_MAX + 1 up). -1 if none. */
static int bind_key(const char *seq, int not) {
    int code = key_defined(seq);
    if (code > 0) return code;
    for (code = KEY_MAX + 256; code < KEY_MAX + 4096; code++)
        if (code != not && !has_key(code) && define_key(seq, code) == OK) return code;
    return -1;
}

int app_keys_init(void) {
    paste_begin = bind_key("\033[200~", -1);
    paste_end = paste_begin < 0 ? -1 : bind_key("\033[201~", paste_begin);
    return paste_begin >= 0 && paste_end >= 0;
}

/* A second without input ends a paste whose end marker never came. */
#define PASTE_IDLE_SECONDS 1.0

/* The rest of a bracketed paste, after its begin marker, into p: up to
 * its end marker, a second without input, or a signal. A key code inside
 * it (the terminal's sequence for a key, pasted) is no text and is left
 * out, but for KEY_ENTER, a line break. */
static void read_paste(tui_paste *p) {
    double last = app_now();
    while (!tui_got_signal) {
        wint_t wc;
        int r = get_wch(&wc);
        if (r == ERR) {
            if (app_now() - last >= PASTE_IDLE_SECONDS) break;
            continue;
        }
        last = app_now();
        if (r == KEY_CODE_YES) {
            if ((int)wc == paste_end) break;
            if (wc == KEY_ENTER) tui_paste_add(p, "\n", 1);
            continue;
        }
        char u[4];
        tui_paste_add(p, u, tui_utf8_encode((unsigned long)wc, u));
    }
}

app_read app_read_key(wint_t *wc, tui_paste *paste) {
    if (tui_got_suspend) {
        tui_got_suspend = 0;
        app_suspend();
        *wc = KEY_RESIZE;
        return APP_READ_KEY;
    }
    int r = get_wch(wc);
    if (r == ERR) return APP_READ_NONE;
    if (r != KEY_CODE_YES) return APP_READ_CHAR;
    if (paste_begin >= 0 && (int)*wc == paste_begin) {
        read_paste(paste);
        return APP_READ_PASTE;
    }
    /* An end marker without its beginning (one cut off by a time-out)
     * is nothing. */
    return paste_end >= 0 && (int)*wc == paste_end ? APP_READ_NONE : APP_READ_KEY;
}

/* ----------------------------------------------------------------- input */

static void current_layout(tui_layout *lo) {
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    tui_layout_for(rows, cols, lo);
}

/* The question in bold at the start of the message line, cut to leave
 * `room` columns (ending in the marker, never in part of a number:
 * tui_fit); returns the column after it. */
static int draw_question(const tui_layout *lo, const char *question, int room) {
    char vis[2000], q[2000]; /* a file name in it may hold control characters */
    tui_fit(q, sizeof q, sib_visible(vis, sizeof vis, question), lo->message.w - room, app_unicode());
    move(lo->message.y, 0);
    clrtoeol();
    attron(A_BOLD);
    addstr(q);
    attroff(A_BOLD);
    return present_width(q) + 1;
}

/* The message goes when a prompt or question opens in its line: one wider
 * than the screen goes on over the rows above (app_draw), and stayed there
 * over the panes while the prompt was answered. */
static void clear_message(app *a) {
    if (a->message[0] == '\0') return;
    a->message[0] = '\0';
    app_draw(a);
}

/* A question too wide to leave `room` columns beside it on the message
 * line: its first lines go on the rows above (up to three, over the
 * panes, as a long message goes), word-wrapped, so that the keys it
 * names are not cut ("unsaved edits: y save and q..." at 40 columns).
 * Returns what is left of it for the message line itself. */
static const char *question_above(const tui_layout *lo, const char *question, int room, char *vis,
                                  size_t size) {
    sib_visible(vis, size, question);
    if (present_width(vis) <= lo->message.w - room) return vis;
    const char *at[4], *next, *q = vis;
    int n = 0;
    while (*q && n < 4) {
        at[n++] = q;
        present_line(q, lo->message.w, &next);
        q = next;
    }
    /* Lines past the fourth stay on the last, which draw_question cuts. */
    const int above = n - 1 < lo->message.y ? n - 1 : lo->message.y;
    attron(A_BOLD);
    for (int k = 0; k < above; k++) {
        const int y = lo->message.y - above + k;
        present_line(at[k], lo->message.w, &next);
        move(y, 0);
        clrtoeol();
        addnstr(at[k], (int)(next - at[k]));
    }
    attroff(A_BOLD);
    return at[above];
}

/* While the terminal is too small, only the notice shows (app_draw): an
 * open prompt or question is not drawn over it and waits, as it is, for
 * the terminal to grow. Reads one key (or times out); every key but a
 * resize is ignored, as in the main loop (tui.c). *waiting: the notice is
 * drawn already (the caller clears it while the terminal is large). */
static void wait_while_too_small(app *a, int *waiting) {
    curs_set(0);
    if (!*waiting) app_draw(a); /* the notice says the question waits */
    *waiting = 1;
    wint_t wc;
    tui_paste paste = {0};
    app_read r = app_read_key(&wc, &paste);
    tui_paste_free(&paste); /* a paste is ignored as the keys are */
    if (r == APP_READ_KEY && wc == KEY_RESIZE) app_draw(a);
}

/* Read a line in the message area, starting with `initial`: Enter
 * accepts, Esc cancels; while the terminal is too small, it waits. The
 * line holds any length and scrolls to keep the cursor in view (tui_line
 * in model.c). Returns the text (the caller frees it), or NULL when
 * cancelled (or a signal came). */
char *app_prompt(app *a, const char *question, const char *initial) {
    tui_line line = {0};
    if (tui_line_set(&line, initial ? initial : "") != 0) {
        tui_line_free(&line);
        app_say(a, 1, "%s", "out of memory");
        return NULL;
    }
    char *result = NULL;
    int done = 0, was_asking = a->asking, waiting = 0, cut = 0;
    a->asking = 1;
    clear_message(a);
    while (!done && !tui_got_signal) {
        tui_layout lo;
        current_layout(&lo);
        if (lo.too_small) {
            wait_while_too_small(a, &waiting);
            continue;
        }
        waiting = 0;
        curs_set(1);
        char qvis[2000];
        int x = draw_question(&lo, question_above(&lo, question, 12, qvis, sizeof qvis), 12);
        size_t first, bytes;
        int col;
        tui_line_view(&line, lo.message.w - x, &first, &bytes, &col);
        /* Control characters (a description's line feeds) drawn as they
         * are would end the line and write over the status line: each is
         * shown in one column instead, so the cursor stays put. */
        char *shown = malloc(3 * bytes + 1);
        if (shown != NULL) {
            mvaddstr(lo.message.y, x, tui_line_shown(shown, 3 * bytes + 1, line.text + first, bytes, app_unicode()));
            free(shown);
        }
        move(lo.message.y, x + col);
        refresh();
        wint_t wc;
        tui_paste paste = {0};
        app_read r = app_read_key(&wc, &paste);
        if (r == APP_READ_NONE) continue;
        if (r == APP_READ_PASTE) {
            /* Pasted text goes in at the cursor, as one line: a line feed
             * in it accepted the prompt, and what followed acted as keys
             * (tui_paste_line says what becomes of its breaks). It never
             * accepts or cancels. */
            size_t n = tui_paste_line(paste.text, paste.len);
            if (n > 0 && tui_line_insert(&line, paste.text, n) != 0) paste.cut = 1;
            if (paste.cut) beep();
            cut |= paste.cut;
            tui_paste_free(&paste);
            continue;
        }
        if (r == APP_READ_KEY) {
            switch (wc) {
            case KEY_ENTER: done = 1, result = strdup(line.text); break;
            case KEY_LEFT: tui_line_edit(&line, TUI_LINE_LEFT); break;
            case KEY_RIGHT: tui_line_edit(&line, TUI_LINE_RIGHT); break;
            case KEY_HOME: tui_line_edit(&line, TUI_LINE_HOME); break;
            case KEY_END: tui_line_edit(&line, TUI_LINE_END); break;
            case KEY_BACKSPACE: tui_line_edit(&line, TUI_LINE_BACKSPACE); break;
            case KEY_DC: tui_line_edit(&line, TUI_LINE_DELETE); break;
            case KEY_RESIZE: app_draw(a); break;
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
                if (n > 0 && tui_line_insert(&line, u, n) != 0) app_say(a, 1, "%s", "out of memory");
            }
        }
    }
    tui_line_free(&line);
    curs_set(0);
    a->asking = was_asking;
    a->message[0] = '\0';
    a->paste_cut = cut;
    if (cut)
        app_say(a, 1, "a paste was cut to its first %d KiB (the rest was left out)",
                TUI_PASTE_MAX / 1024);
    return tui_got_signal ? (free(result), NULL) : result;
}

/* Ask in the message line and wait for one of the keys in `keys` (while
 * the terminal is too small, it waits): returns that key, or 0 for Esc (or
 * when a signal came). */
int app_choose(app *a, const char *question, const char *keys) {
    int answer = 0, was_asking = a->asking, waiting = 0;
    a->asking = 1;
    clear_message(a);
    while (!tui_got_signal) {
        tui_layout lo;
        current_layout(&lo);
        if (lo.too_small) {
            wait_while_too_small(a, &waiting);
            continue;
        }
        waiting = 0;
        char vis[2000];
        if (present_width(sib_visible(vis, sizeof vis, question)) <= lo.message.w) {
            draw_question(&lo, question, 0);
            refresh();
        } else {
            /* Wider than the line: over the rows above it, as a long
             * message goes (app_draw), so that the keys after the first
             * are not cut off ("unsaved edits: y save and q..." at 40
             * columns). */
            snprintf(a->message, sizeof a->message, "%s", question);
            a->message[sib_utf8_cut(a->message, sizeof a->message - 1)] = '\0';
            a->message_is_error = 0;
            app_draw(a);
        }
        wint_t wc;
        tui_paste paste = {0};
        app_read r = app_read_key(&wc, &paste);
        tui_paste_free(&paste); /* a paste answers nothing: its letters are no keys */
        if (r == APP_READ_KEY && wc == KEY_RESIZE) {
            app_draw(a);
            continue;
        }
        if (r != APP_READ_CHAR) continue;
        if (wc == 27) break;
        if (wc > 0 && wc < 128 && strchr(keys, (int)wc)) {
            answer = (int)wc;
            break;
        }
    }
    a->asking = was_asking;
    a->message[0] = '\0';
    return tui_got_signal ? 0 : answer;
}

/* Find the next node (after the cursor, wrapping) whose key or pointer
 * contains the search text. */
void app_find_next(app *a) {
    if (a->find[0] == '\0') { /* n before any / did nothing, without a word */
        app_say(a, 0, "%s", "nothing to find yet: / finds a field by name or path, then n the next");
        return;
    }
    if (a->n_nodes == 0) return;
    for (size_t k = 1; k <= a->n_nodes; k++) {
        size_t i = ((size_t)a->cursor + k) % a->n_nodes;
        if (strstr(a->nodes[i].key, a->find) || strstr(a->nodes[i].pointer, a->find)) {
            a->cursor = (int)i;
            return;
        }
    }
    app_say(a, 0, "no field matches \"%s\"", a->find);
}

