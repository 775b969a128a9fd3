/* tui.c -- the ncurses front end's loop: read a key with a timeout,
 * dispatch it, redraw when something changed (the ncdu/htop shape), at most
 * ten times a second for results arriving from the simulation thread
 * (sim.c); the terminal's modes (bracketed paste on while the UI has the
 * screen, Ctrl-Z, a crash); and tui_main, which opens the scenario, starts
 * the thread, runs the loop, keeps the unsaved edits on disk after every
 * key (save.c) and, when a signal ends the session, writes them once more.
 */
#include "tui.h"

#include <curses.h>
#include <gsl/gsl_errno.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "app.h"

/* SIGHUP, SIGTERM or SIGINT: the handler only records which (it is all an
 * async-signal-safe handler may do); the loop sees it within a tenth of a
 * second (every key read times out after 100 ms) and does the work:
 * restore the terminal, keep unsaved edits in the recovery file, exit. */
volatile sig_atomic_t tui_got_signal;
static void on_signal(int sig) { tui_got_signal = sig; }

/* ------------------------------------------------------ bracketed paste
 *
 * With bracketed paste on, the terminal sends pasted text between
 * ESC[200~ and ESC[201~, which the key reader (input.c) takes as text,
 * never as keys. It is on while the UI has the screen, and off whenever
 * the terminal goes back to a shell: at the end, on Ctrl-Z, and on a
 * crash, lest the shell's programs receive the markers around a paste. */

static volatile sig_atomic_t paste_on; /* ESC[?2004h sent, not yet undone */

/* Turn bracketed paste on or off: written straight to the terminal (a
 * mode, which curses's own output does not touch), as write(2) is safe in
 * a signal handler too. */
static void paste_mode(int on) {
    static const char enable[] = "\033[?2004h", disable[] = "\033[?2004l";
    ssize_t w = on ? write(STDOUT_FILENO, enable, sizeof enable - 1)
                   : write(STDOUT_FILENO, disable, sizeof disable - 1);
    (void)w; /* nothing to be done about a terminal that cannot be written */
    paste_on = on;
}

/* ----------------------------------------------------------- a crash
 *
 * A crash (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) gives the shell its
 * terminal back and says where the unsaved edits are (app_keep_as_you_go
 * has kept them on disk already), then lets the signal do what it did
 * before (the default, or a sanitizer's report): once the handler returns,
 * a fault happens again, and a signal raised here is delivered. Only
 * async-signal-safe calls: the terminal's modes as the shell had them
 * (tcsetattr) and the strings that leave curses's screen, both read at
 * start (endwin is not safe in a handler); the message, written by the UI
 * thread into a buffer whose flag is down while it changes. */
static const int crashes[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
static struct sigaction crash_was[sizeof crashes / sizeof crashes[0]];
static struct termios shell_modes;
static int shell_modes_known;
static char leave_screen[256]; /* rmkx, rmcup, cnorm, sgr0: as endwin leaves it */
static size_t leave_len;
static char crash_text[8 * PATH_MAX + 200];
static size_t crash_len;
static volatile sig_atomic_t crash_ready;

static void on_crash(int sig) {
    if (paste_on) paste_mode(0);
    ssize_t w = 0;
    if (leave_len) w = write(STDOUT_FILENO, leave_screen, leave_len);
    if (shell_modes_known) tcsetattr(STDIN_FILENO, TCSANOW, &shell_modes);
    if (crash_ready && crash_len) w = write(STDERR_FILENO, crash_text, crash_len);
    (void)w; /* nothing more to be done about a terminal that cannot be written */
    for (size_t i = 0; i < sizeof crashes / sizeof crashes[0]; i++)
        if (crashes[i] == sig) sigaction(sig, &crash_was[i], NULL);
    raise(sig); /* delivered once the handler returns (a fault, or a kill) */
}

void app_crash_note(const app *a, const char *rp) {
    crash_ready = 0;
    crash_len = 0;
    if (rp != NULL) {
        char vis_rp[4 * PATH_MAX + 1], vis_path[4 * PATH_MAX + 1];
        int n = snprintf(crash_text, sizeof crash_text,
                         "sibsim: crashed: the unsaved edits are kept in %s (open %s again to "
                         "recover them)\n",
                         sib_visible(vis_rp, sizeof vis_rp, rp),
                         app_reopen_name(a, vis_path, sizeof vis_path));
        crash_len = n < 0 ? 0 : (size_t)n < sizeof crash_text ? (size_t)n : sizeof crash_text - 1;
    }
    crash_ready = 1;
}

/* What endwin sends to leave the screen, read from the terminal's
 * description once curses has it (a capability it lacks is skipped). */
static void note_leave_screen(void) {
    static const char *const caps[] = {"rmkx", "rmcup", "cnorm", "sgr0"};
    leave_len = 0;
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        const char *v = tigetstr(caps[i]);
        if (v == NULL || v == (char *)-1) continue;
        size_t n = strlen(v);
        if (leave_len + n > sizeof leave_screen) break;
        memcpy(leave_screen + leave_len, v, n);
        leave_len += n;
    }
}

/* Ctrl-Z: the handler records it; the key reader suspends (app_suspend). */
volatile sig_atomic_t tui_got_suspend;
static void on_suspend(int sig) {
    (void)sig;
    tui_got_suspend = 1;
}
static struct sigaction suspend_action;

void app_suspend(void) {
    int had_paste = paste_on;
    if (had_paste) paste_mode(0);
    endwin();
    /* Stop as Ctrl-Z stops a program that does not catch it, until fg. */
    signal(SIGTSTP, SIG_DFL);
    raise(SIGTSTP);
    sigaction(SIGTSTP, &suspend_action, NULL);
    /* The terminal may have been resized while stopped: no SIGWINCH came. */
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
        (ws.ws_row != LINES || ws.ws_col != COLS))
        resizeterm(ws.ws_row, ws.ws_col);
    clearok(curscr, TRUE); /* the shell wrote over the screen */
    refresh();
    if (had_paste) paste_mode(1);
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

/* Show view v, from its top. */
static void show_view(app *a, view v) {
    if (a->v != v) a->rscroll = 0;
    a->v = v;
}

/* A key while the help is shown: the arrows, PgUp/PgDn, Home and End
 * scroll it (draw keeps it in range); ?, Esc and q close it. */
static void help_key(app *a, int ch, const tui_layout *lo) {
    int page = lo->tree.h - 3 > 1 ? lo->tree.h - 3 : 1;
    switch (tui_action_for_key(translate(ch))) {
    case ACT_UP: a->help_top--; break;
    case ACT_DOWN: a->help_top++; break;
    case ACT_PAGE_UP: a->help_top -= page; break;
    case ACT_PAGE_DOWN: a->help_top += page; break;
    case ACT_HOME: a->help_top = 0; break;
    case ACT_END: a->help_top = 1 << 20; break;
    case ACT_HELP:
    case ACT_NOTES:
    case ACT_QUIT: a->help = 0; break;
    default:
        if (ch == 27) a->help = 0; /* Esc */
        break;
    }
    if (a->help_top < 0) a->help_top = 0;
}

/* Returns 1 to quit. */
static int handle(app *a, tui_action act, const tui_layout *lo) {
    const doc_node *n = a->cursor < (int)a->n_nodes ? &a->nodes[a->cursor] : NULL;
    const int was = a->cursor;
    const int moves = act == ACT_UP || act == ACT_DOWN || act == ACT_PAGE_UP ||
                      act == ACT_PAGE_DOWN || act == ACT_HOME || act == ACT_END;
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
            app_say(a, 0, "%s", "only numbers can be nudged (Enter to type a value)");
            break;
        }
        if (n->pointer_cut) {
            app_say(a, 1, "%s", POINTER_TOO_LONG);
            break;
        }
        double step = (act == ACT_INC || act == ACT_DEC) ? 0.01 : 0.10;
        if (act == ACT_DEC || act == ACT_DEC_BIG) step = -step;
        char ptr[256];
        snprintf(ptr, sizeof ptr, "%s", n->pointer);
        app_nudge(a, ptr, n->number, step);
        break;
    }
    case ACT_TOGGLE: {
        if (n == NULL || n->kind != DOC_BOOL) {
            app_say(a, 0, "%s", "space toggles true/false fields");
            break;
        }
        if (n->pointer_cut) {
            app_say(a, 1, "%s", POINTER_TOO_LONG);
            break;
        }
        scenario_doc *copy = scenario_doc_copy(a->doc);
        sib_error err;
        if (copy && scenario_doc_set_bool(copy, n->pointer, !n->boolean, &err) == SIB_OK)
            app_commit_edit(a, copy);
        else
            scenario_doc_free(copy);
        break;
    }
    case ACT_EDIT: {
        if (n == NULL || n->kind == DOC_OBJECT || n->kind == DOC_ARRAY) {
            app_say(a, 0, "%s",
                    "choose a value to edit (objects and arrays are edited field by field)");
            break;
        }
        if (n->pointer_cut) {
            app_say(a, 1, "%s", POINTER_TOO_LONG);
            break;
        }
        char *init = tui_value_text(n), ptr[256], q[300];
        snprintf(ptr, sizeof ptr, "%s", n->pointer);
        snprintf(q, sizeof q, "%s =", n->key);
        char *typed = init ? app_prompt(a, q, init) : NULL;
        free(init);
        if (typed == NULL) break;
        double number = 0;
        bool boolean = false;
        char why[300];
        tui_value_verdict v = tui_read_value(n, typed, &number, &boolean, why, sizeof why);
        if (v == TUI_VALUE_BAD)
            app_say(a, 1, "refused: %s", why);
        else if (v == TUI_VALUE_SAME)
            app_say(a, 0, "%s", "unchanged");
        else {
            scenario_doc *copy = scenario_doc_copy(a->doc);
            sib_error err;
            int rc = SIB_ENOMEM;
            if (copy == NULL)
                sib_error_set(&err, SIB_ENOMEM, NULL, "out of memory");
            else if (n->kind == DOC_NUMBER)
                rc = scenario_doc_set_number(copy, ptr, number, &err);
            else if (n->kind == DOC_BOOL)
                rc = scenario_doc_set_bool(copy, ptr, boolean, &err);
            else
                rc = scenario_doc_set_string(copy, ptr, typed, &err);
            if (rc != SIB_OK) {
                app_say(a, 1, "refused: %.*s", APP_CUT(err.message, 490));
                scenario_doc_free(copy);
            } else {
                app_commit_edit(a, copy);
                /* The edit's own message (none, once taken) would hide that
                 * the value taken is not all that was pasted. */
                if (a->paste_cut && (a->message[0] == '\0' || !a->message_is_error)) {
                    char said[sizeof a->message];
                    snprintf(said, sizeof said, "%s", a->message[0] ? a->message : "edited");
                    app_say(a, 1,
                            "%.400s: a paste was cut to its first %d KiB (the rest was left out)",
                            said, TUI_PASTE_MAX / 1024);
                }
            }
        }
        free(typed);
        break;
    }
    case ACT_UNDO: app_history(a, -1); break;
    case ACT_REDO: app_history(a, +1); break;
    case ACT_FIND: {
        char *f = app_prompt(a, "find:", "");
        if (f && f[0]) {
            snprintf(a->find, sizeof a->find, "%.*s", APP_CUT(f, 127));
            app_find_next(a);
        }
        free(f);
        break;
    }
    case ACT_FIND_NEXT: app_find_next(a); break;
    case ACT_VIEW_NEXT: show_view(a, (view)((a->v + 1) % VIEW_COUNT)); break;
    case ACT_VIEW_RESULTS: show_view(a, VIEW_RESULTS); break;
    case ACT_VIEW_HISTOGRAM: show_view(a, VIEW_HISTOGRAM); break;
    case ACT_VIEW_FUNNEL: show_view(a, VIEW_FUNNEL); break;
    case ACT_VIEW_TORNADO: show_view(a, VIEW_TORNADO); break;
    case ACT_VIEW_COMPARE: show_view(a, VIEW_COMPARE); break;
    case ACT_SCROLL_DOWN: a->rscroll += lo->results.h / 2; break; /* draw keeps it in range */
    case ACT_SCROLL_UP:
        a->rscroll = a->rscroll > lo->results.h / 2 ? a->rscroll - lo->results.h / 2 : 0;
        break;
    case ACT_METRIC_NEXT:
        pthread_mutex_lock(&a->lock);
        a->hist_choice++;
        pthread_mutex_unlock(&a->lock);
        /* The next snapshot bins the new metric; restart so that it comes now. */
        {
            sib_error err;
            scenario *sc = scenario_doc_compile(a->doc, &err);
            if (sc) app_restart(a, sc);
        }
        show_view(a, VIEW_HISTOGRAM);
        break;
    case ACT_TORNADO: {
        pthread_mutex_lock(&a->lock);
        /* The histogram's metric, named GROUP/KEY for the analysis: the one
         * chosen now (m), not the last one a batch drew, since a batch m
         * started may not have finished (and t cancels it). */
        const char *label = NULL;
        size_t h = app_hist_metric(&a->snap, a->hist_choice);
        if (h != SIZE_MAX) {
            const metric_info *mi = &a->snap.m[h].info;
            snprintf(a->tornado_metric, sizeof a->tornado_metric, "%s/%s", mi->group, mi->key);
            /* A tranche's (or guarantee's) key is "[PART: ]TRANCHE.MEASURE". */
            const char *dot = strrchr(mi->key, '.');
            a->tornado_measure = strlen(mi->group) + 1;
            if ((mi->tranche != SIZE_MAX || mi->guarantee != SIZE_MAX) && dot != NULL)
                a->tornado_measure += (size_t)(dot - mi->key);
            if (a->tornado_measure > strlen(a->tornado_metric))
                a->tornado_measure = strlen(a->tornado_metric);
            a->tornado_unit = mi->kind == METRIC_INDICATOR ? UNIT_SHARE : (int)mi->unit;
            label = a->tornado_metric;
        }
        if (label == NULL) {
            snprintf(a->tornado_metric, sizeof a->tornado_metric, "commissioner/payments.total");
            a->tornado_measure = strlen("commissioner/");
            a->tornado_unit = UNIT_MONEY;
        }
        free(a->tornado_text);
        a->tornado_text = scenario_doc_text(a->doc);
        free(a->tornado_of);
        a->tornado_of = a->tornado_text ? strdup(a->tornado_text) : NULL;
        /* The terms are named from the scenario as it is now. */
        sib_error err;
        scenario_free(a->tornado_sc);
        a->tornado_sc = scenario_doc_compile(a->doc, &err);
        a->tornado_request = 1;
        pthread_cond_signal(&a->cond);
        pthread_mutex_unlock(&a->lock);
        show_view(a, VIEW_TORNADO);
        break;
    }
    case ACT_SAVE:
        if (a->path)
            app_save_checked(a, a->path);
        else
            app_save_as(a);
        break;
    case ACT_SAVE_AS: app_save_as(a); break;
    case ACT_HELP:
        a->help = !a->help;
        a->help_top = 0;
        break;
    case ACT_WARNINGS:
        app_show_warning(a, a->message[0] ? a->warning_shown + 1 : a->warning_shown);
        break;
    case ACT_NOTES: {
        const char *ptr = a->cursor < (int)a->n_nodes ? a->nodes[a->cursor].pointer : "";
        if (app_note_of(a, ptr) != NULL) {
            a->help = 2; /* the note view, drawn and scrolled as the help */
            a->help_top = 0;
        } else {
            app_say(
                a, 0,
                "the scenario states no source or assumption for %s (fields marked (i) have some)",
                ptr[0] ? ptr : "the whole scenario");
        }
        break;
    }
    case ACT_QUIT: {
        if (!a->dirty) return 1;
        char *answer =
            app_prompt(a, "unsaved edits: y save and quit, n quit without saving, Esc stay:", "");
        int quit = 0;
        /* y or n (yes, no; any case); anything else says so, where it
         * returned to the session without a word, as if q had not been
         * pressed. Enter on an empty line stays, as Esc does. */
        const char *ans = answer ? answer : "";
        while (*ans == ' ') ans++;
        size_t len = strlen(ans);
        while (len > 0 && ans[len - 1] == ' ') len--;
        int no = (len == 1 && (ans[0] == 'n' || ans[0] == 'N')) ||
                 (len == 2 && strncasecmp(ans, "no", 2) == 0);
        int yes = (len == 1 && (ans[0] == 'y' || ans[0] == 'Y')) ||
                  (len == 3 && strncasecmp(ans, "yes", 3) == 0);
        if (no) {
            app_drop_recovery(a); /* the edits it held are knowingly dropped */
            quit = 1;
        } else if (yes) {
            quit = a->path ? app_save_checked(a, a->path) : app_save_as(a);
        } else if (answer && len > 0) {
            char vis[120];
            snprintf(vis, sizeof vis, "%.*s", (int)sib_utf8_cut(ans, len < 100 ? len : 100), ans);
            char shown[480];
            app_say(
                a, 1,
                "not quitting: expected y (save and quit) or n (quit without saving), found \"%s\"",
                sib_visible(shown, sizeof shown, vis));
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
    /* The message line shows the field under the cursor: a message about
     * another field (a refusal, "nothing to redo", the paste hint) goes
     * when the cursor leaves it, rather than stand beside the new one. */
    if (moves && a->cursor != was) a->message[0] = '\0';
    return 0;
}

int tui_main(const char *text, const char *path, const char *shown, const char *library,
             unsigned threads) {
    gsl_set_error_handler_off();
    app *a = calloc(1, sizeof *a);
    if (a == NULL) return 1;
    a->path = path ? strdup(path) : NULL;
    if (library != NULL) {
        a->library = strdup(library);
        size_t n = strlen(library) + sizeof "sibsim-library-";
        if ((a->library_key = malloc(n)) != NULL)
            snprintf(a->library_key, n, "sibsim-library-%s", library);
        if (a->library == NULL || a->library_key == NULL) {
            free(a->library);
            free(a->library_key);
            free(a->path);
            free(a);
            return 1;
        }
    }
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
    a->cap_nodes = a->nodes ? MAX_NODES : 0;
    if (a->doc == NULL || a->original == NULL || a->nodes == NULL || (path && a->path == NULL)) {
        char buf[1200];
        fprintf(stderr, "%s\n", sib_error_format(&err, buf, sizeof buf));
        scenario_doc_free(a->doc);
        scenario_free(a->original);
        free(a->nodes);
        free(a->path);
        free(a->library);
        free(a->library_key);
        free(a);
        return 2;
    }
    snprintf(a->currency, sizeof a->currency, "%s", a->original->currency);
    a->recovery_lock = -1;
    app_mark_saved(a);
    app_refresh_nodes(a);
    pthread_mutex_init(&a->lock, NULL);
    pthread_cond_init(&a->cond, NULL);
    scenario *first = scenario_doc_compile(a->doc, &err);
    app_restart(a, first);

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
    /* Ctrl-Z too, unless it is ignored (a shell without job control):
     * ncurses's own suspend knows nothing of bracketed paste. */
    struct sigaction tstp_was;
    memset(&suspend_action, 0, sizeof suspend_action);
    suspend_action.sa_handler = on_suspend;
    sigemptyset(&suspend_action.sa_mask);
    if (sigaction(SIGTSTP, NULL, &tstp_was) == 0 && tstp_was.sa_handler != SIG_IGN) {
        sigaction(SIGTSTP, &suspend_action, NULL);
        sigaddset(&block, SIGTSTP);
    }
    pthread_sigmask(SIG_BLOCK, &block, &old_mask);
    int started = pthread_create(&a->thread, NULL, app_sim_thread, a) == 0;
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    if (!started) {
        fprintf(stderr, "sibsim: cannot start the simulation thread\n");
        return 1;
    }

    setlocale(LC_ALL, "");
    shell_modes_known = tcgetattr(STDIN_FILENO, &shell_modes) == 0;
    initscr();
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    set_escdelay(50); /* Esc cancels at once, not after a second */
    curs_set(0);
    timeout(100);
    note_leave_screen();
    struct sigaction crash;
    memset(&crash, 0, sizeof crash);
    crash.sa_handler = on_crash;
    sigemptyset(&crash.sa_mask);
    for (size_t i = 0; i < sizeof crashes / sizeof crashes[0]; i++)
        sigaction(crashes[i], &crash, &crash_was[i]);
    /* Bracketed paste, when its markers can be told from keys. */
    if (app_keys_init()) paste_mode(1);
    app_colour_init();
    app_draw(a);
    app_offer_recovery(a);
    app_report_stale_temps(a);
    double last_draw = 0;
    int need = 1;
    while (!tui_got_signal) {
        pthread_mutex_lock(&a->lock);
        if (a->changed) need = 1;
        a->changed = 0;
        pthread_mutex_unlock(&a->lock);
        /* Redraw when something changed, at most ten times a second for
         * results arriving from the simulation. */
        if (need && app_now() - last_draw >= 0.1) {
            app_draw(a);
            last_draw = app_now();
            need = 0;
        }
        wint_t wc;
        tui_paste paste = {0};
        app_read r = app_read_key(&wc, &paste);
        if (r == APP_READ_NONE) continue;
        tui_paste_free(&paste);
        if (r == APP_READ_KEY && wc == KEY_RESIZE) {
            need = 1;
            last_draw = 0;
            continue;
        }
        int rows, cols;
        getmaxyx(stdscr, rows, cols);
        tui_layout lo;
        tui_layout_for(rows, cols, &lo);
        if (r == APP_READ_PASTE) {
            /* Outside a prompt a paste is no keys: its letters would edit,
             * save or quit. Said once the screen can show it. */
            if (!lo.too_small)
                app_say(a, 0, "%s",
                        "a paste is not taken as keys: to paste a value, press Enter "
                        "(or e) on the field and paste into its edit line");
            need = 1;
            last_draw = 0;
            continue;
        }
        /* A key code or a character; a character beyond ASCII is no key
         * (and would read as a key code: U+0102 is KEY_DOWN). */
        int ch = r == APP_READ_KEY ? (int)wc : wc < 128 ? (int)wc : 0;
        if (lo.too_small) {
            /* Nothing but the notice shows: keys wait for a larger terminal. */
            if (tui_action_too_small(translate(ch), a->dirty) == ACT_QUIT) break;
            continue;
        }
        int done = 0;
        if (a->help)
            help_key(a, ch, &lo);
        else
            done = handle(a, tui_action_for_key(translate(ch)), &lo);
        /* Quitting kept or dropped the edits; else they go to disk now. */
        if (done) break;
        app_keep_as_you_go(a);
        need = 1;
        last_draw = 0;
    }
    if (paste_on) paste_mode(0);
    endwin();
    /* From here a crash has no screen to leave, and says nothing. */
    leave_len = 0;
    shell_modes_known = 0;

    /* Stopped by a signal: what is unsaved goes to the recovery file,
     * through the one writer (atomic, beside the scenario). */
    int status = 0;
    if (tui_got_signal) {
        int sig = tui_got_signal;
        const char *name = sig == SIGHUP ? "SIGHUP" : sig == SIGTERM ? "SIGTERM" : "SIGINT";
        status = 128 + sig;
        if (a->dirty) app_keep_edits(a, name);
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
    free(a->tornado_of);
    scenario_free(a->tornado_sc);
    while (a->n_undo) scenario_doc_free(a->undo[--a->n_undo]);
    while (a->n_redo) scenario_doc_free(a->redo[--a->n_redo]);
    scenario_doc_free(a->doc);
    free(a->saved_text);
    app_free_notes(a);
    free(a->nodes);
    free(a->path);
    app_release_recovery(a);
    free(a->library);
    free(a->library_key);
    free(a);
    return status;
}
