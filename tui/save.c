/* save.c -- saving in the terminal UI: save and save as through the one
 * writer (model/file.h, via scenario_doc_save), the questions asked first
 * (the file changed on disk, read-only, another file's name), reload, and
 * recovery: the unsaved edits kept on disk as they are made, in a recovery
 * file this session holds the lock of, and offered again at the next open
 * once the session that made them has ended (a signal, a crash, a kill).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../model/file.h"
#include "app.h"

/* ---------------------------------------------------------------- saving */

/* Hand the document as saved or reloaded to the simulation as the new
 * "before", and itself as the "after". */
static void new_baseline(app *a) {
    sib_error err;
    scenario *base = scenario_doc_compile(a->doc, &err), *now_sc = scenario_doc_compile(a->doc, &err);
    if (base != NULL && now_sc != NULL) {
        pthread_mutex_lock(&a->lock);
        scenario_free(a->pending_original);
        a->pending_original = base;
        pthread_mutex_unlock(&a->lock);
        app_restart(a, now_sc);
    } else {
        scenario_free(base);
        scenario_free(now_sc);
    }
}

const char *app_recovery_key(const app *a) {
    if (a->path != NULL) return a->path;
    return a->library_key;
}

const char *app_reopen_name(const app *a, char *buf, size_t size) {
    if (a->path != NULL) return sib_visible(buf, size, a->path);
    if (a->library != NULL) {
        char vis[300];
        snprintf(buf, size, "the library's %s", sib_visible(vis, sizeof vis, a->library));
        return buf;
    }
    snprintf(buf, size, "the built-in scenario");
    return buf;
}

/* Give up the lock of this session's recovery file (the file itself is
 * left as it is) and forget the file. */
static void let_go(app *a) {
    if (a->recovery_lock >= 0 && a->recovery_in_use != NULL) {
        char *lp = scenario_doc_recovery_lock(a->recovery_in_use);
        sib_file_unlock(a->recovery_lock, lp);
        free(lp);
    }
    a->recovery_lock = -1;
    free(a->recovery_in_use);
    a->recovery_in_use = NULL;
    a->recovery_own = 0;
    free(a->kept_text);
    a->kept_text = NULL;
    app_crash_note(a, NULL);
}

/* This session's recovery file has served once its edits are saved,
 * knowingly dropped or undone. */
void app_drop_recovery(app *a) {
    if (a->recovery_in_use == NULL) return;
    unlink(a->recovery_in_use);
    let_go(a);
}

void app_release_recovery(app *a) { let_go(a); }

void app_keep_as_you_go(app *a) {
    if (!a->dirty) {
        /* Every edit undone: the file this session made holds nothing the
         * scenario's file does not. Edits taken up at open stay in theirs
         * until they are saved or dropped (u brings them back). */
        if (a->recovery_own) app_drop_recovery(a);
        return;
    }
    char *text = scenario_doc_text(a->doc);
    if (text == NULL) return;
    if (a->kept_text != NULL && strcmp(text, a->kept_text) == 0) {
        free(text);
        return;
    }
    sib_error err;
    sib_error_clear(&err);
    int rc = SIB_OK;
    if (a->recovery_in_use == NULL) {
        char *slot = NULL;
        int lock = -1;
        rc = scenario_doc_claim_recovery(app_recovery_key(a), &slot, &lock, &err);
        if (rc == SIB_OK) {
            a->recovery_in_use = slot;
            a->recovery_lock = lock;
            a->recovery_own = 1;
        }
    }
    if (rc == SIB_OK)
        rc = sib_file_write_like(a->recovery_in_use, a->path, text, strlen(text), &err);
    if (rc != SIB_OK) {
        free(text);
        if (!a->keep_failed) {
            char buf[700];
            sib_error_format(&err, buf, sizeof buf);
            app_say(a, 1, "unsaved edits not kept on disk as you go (s saves them): %.*s",
                    APP_CUT(buf, 440));
            a->keep_failed = 1;
        }
        return;
    }
    free(a->kept_text);
    a->kept_text = text;
    a->keep_failed = 0;
    app_crash_note(a, a->recovery_in_use);
}

/* Write the document to path (no questions). From then on s saves there. */
static int save_file(app *a, const char *path) {
    sib_error err;
    uint64_t hash = 0;
    if (scenario_doc_save(a->doc, path, &hash, &err) != SIB_OK) {
        char buf[700];
        sib_error_format(&err, buf, sizeof buf);
        app_say(a, 1, "not saved: %.*s", APP_CUT(buf, 490));
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
    app_mark_saved(a);
    /* Every version of the session's scenario is now this file's: an
     * edit undone back to one, then refused, named the old file. */
    scenario_doc_set_name(a->doc, path);
    for (int i = 0; i < a->n_undo; i++) scenario_doc_set_name(a->undo[i], path);
    for (int i = 0; i < a->n_redo; i++) scenario_doc_set_name(a->redo[i], path);
    app_drop_recovery(a);
    new_baseline(a);
    /* The writer removed the ones over SIB_FILE_STALE_SECONDS old. */
    a->stale_temps = sib_file_stale_temps(a->path, 0, NULL, 0);
    app_say(a, 0, "saved %.*s", APP_CUT(path, 480));
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
        app_say(a, 1, "not reloaded: %.*s", APP_CUT(buf, 480));
        scenario_doc_free(doc);
        free(text);
        return;
    }
    scenario_free(sc);
    a->disk_hash = scenario_doc_hash(text, strlen(text));
    a->disk_known = 1;
    a->disk_event = "reloaded";
    free(text);
    app_push_document(a, doc);
    app_mark_saved(a);
    new_baseline(a);
    app_say(a, 0, "reloaded %.*s (u brings your edits back)", APP_CUT(a->shown, 400));
}

/* What Esc at a question of app_save_checked says: nothing was written,
 * and nothing was lost either ("not saved" alone read as the edits gone). */
#define NOT_SAVED_KEPT "not saved: your edits are kept"

/* Ask for a name and save there. */
int app_save_as(app *a) {
    /* A library scenario is offered under its own name, here. */
    char offer[320];
    snprintf(offer, sizeof offer, "%s.json", a->library ? a->library : "scenario");
    char *name = app_prompt(a, "save as:", a->path ? a->path : offer);
    int ok = 0;
    /* Enter on an empty line saved nothing without a word (and q, y left
     * the session open as if nothing had been asked); so did Esc, which
     * after "save and quit" left it unclear whether anything was saved. */
    if (name == NULL)
        app_say(a, 0, "%s", a->dirty ? NOT_SAVED_KEPT : "not saved");
    else if (name[0] == '\0')
        app_say(a, 1, "%s", "not saved: expected a file name, found an empty line");
    else
        ok = app_save_checked(a, name);
    free(name);
    return ok;
}

/* Save to path, but ask first when that would lose something: the file
 * changed on disk since it was opened, reloaded or last saved (someone
 * else's edit); the file is read-only; or "save as" names another file
 * that exists. Returns 1 when saved. */
int app_save_checked(app *a, const char *path) {
    char q[900];
    /* A directory is no file to save to: "the file exists: o overwrite"
     * asked whether to replace it, to fail only after the answer. */
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        char vis[420];
        app_say(a, 1, "not saved: expected a file name, found the directory %s", sib_visible(vis, sizeof vis, path));
        return 0;
    }
    int same = a->path && (strcmp(path, a->path) == 0 || sib_file_same(path, a->path));
    if (same && a->disk_known && scenario_doc_disk_check(path, a->disk_hash) == DOC_DISK_CHANGED) {
        /* Each question names its keys before the file: at 80 columns a
         * long path would push them off the line. */
        snprintf(q, sizeof q, "changed on disk since %s: o overwrite, a save as, r reload, Esc "
                 "cancel (%.*s)", a->disk_event, APP_CUT(path, 400));
        switch (app_choose(a, q, "oar")) {
        case 'o': break;
        case 'a': return app_save_as(a);
        case 'r': reload(a); return 0;
        default: app_say(a, 0, "%s", NOT_SAVED_KEPT); return 0;
        }
    } else if (!same && access(path, F_OK) == 0) {
        snprintf(q, sizeof q, "the file exists: o overwrite, Esc cancel (%.*s)",
                 APP_CUT(path, 400));
        if (app_choose(a, q, "o") != 'o') {
            app_say(a, 0, "%s", NOT_SAVED_KEPT);
            return 0;
        }
    }
    if (scenario_doc_read_only(path)) {
        snprintf(q, sizeof q, "read-only: o overwrite anyway, a save as, Esc cancel (%.*s)",
                 APP_CUT(path, 400));
        switch (app_choose(a, q, "oa")) {
        case 'o': break;
        case 'a': return app_save_as(a);
        default: app_say(a, 0, "%s", NOT_SAVED_KEPT); return 0;
        }
    }
    return save_file(a, path);
}

/* -------------------------------------------------------------- recovery */

/* Offer the recovery file rp (of several, `which` says which: "" or
 * " (2 of 3)"): use its edits (the file as it is goes on the undo stack),
 * discard them, or leave the choice for later. Returns 1 when they were
 * taken up (rp is then a->recovery_in_use's, not the caller's to free). */
static int offer_one(app *a, char *rp, int lock, const char *which) {
    struct stat rs, fs;
    if (stat(rp, &rs) != 0) return 0;
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
        snprintf(q, sizeof q,
                 "unsaved edits that do not load: d discard, Esc keep them (of %.*s%s; %.*s: "
                 "%.*s)",
                 APP_CUT(a->shown, 300), which, APP_CUT(rp, 400), APP_CUT(buf, 500));
        if (app_choose(a, q, "d") == 'd') {
            unlink(rp);
            app_say(a, 0, "discarded %.*s", APP_CUT(rp, 480));
        }
        scenario_doc_free(doc);
        return 0;
    }
    snprintf(q, sizeof q,
             "unsaved edits from %s: u use, d discard, Esc later (of %.*s%s%s; in %.*s)", when,
             APP_CUT(a->shown, 300), which, newer ? "; the file is newer" : "", APP_CUT(rp, 400));
    switch (app_choose(a, q, "ud")) {
    case 'u':
        app_push_document(a, doc);
        app_restart(a, sc);
        a->recovery_in_use = rp;
        a->recovery_lock = lock;
        a->recovery_own = 0;
        /* Already kept there: not written again (its time says when). */
        free(a->kept_text);
        a->kept_text = scenario_doc_text(a->doc);
        app_crash_note(a, rp);
        app_say(a, 0, "recovered the unsaved edits of %.*s (u undoes them; %s until they are saved)",
            APP_CUT(a->shown, 300), "kept in the recovery file");
        return 1;
    case 'd':
        unlink(rp);
        app_say(a, 0, "discarded the unsaved edits in %.*s", APP_CUT(rp, 480));
        break;
    default:
        app_say(a, 0, "the unsaved edits stay in %.*s", APP_CUT(rp, 480));
        break;
    }
    scenario_free(sc);
    scenario_doc_free(doc);
    return 0;
}

/* At open: the recovery files left by sessions that ended with unsaved
 * edits (stopped by a signal, crashed, killed), each with the scenario's
 * unsaved edits of one session (they never replace one another:
 * scenario_doc_claim_recovery), oldest slot first. Each is offered until
 * one is taken up; those after it wait for the next open, and the message
 * says so. A recovery file whose lock is held is a session still running
 * on the scenario: not offered (its edits are its own), but said. */
void app_offer_recovery(app *a) {
    char reopen[400];
    char *found[SCENARIO_DOC_RECOVERY_SLOTS];
    int locks[SCENARIO_DOC_RECOVERY_SLOTS];
    size_t n = 0, live = 0;
    char live_one[600] = "";
    struct stat st;
    for (unsigned k = 0; k < SCENARIO_DOC_RECOVERY_SLOTS; k++) {
        char *rp = scenario_doc_recovery_slot(app_recovery_key(a), k);
        if (rp == NULL || lstat(rp, &st) != 0) {
            free(rp);
            continue;
        }
        char *lp = scenario_doc_recovery_lock(rp);
        int fd = lp ? sib_file_lock(lp) : -1;
        if (fd < 0 && errno == EWOULDBLOCK) {
            if (live++ == 0) snprintf(live_one, sizeof live_one, "%s", rp);
            free(rp);
        } else { /* ended; or no lock can be made here (then as before locks) */
            found[n] = rp;
            locks[n++] = fd;
        }
        free(lp);
    }
    size_t taken = n;
    for (size_t i = 0; i < n && taken == n; i++) {
        char which[48] = "";
        if (n > 1) snprintf(which, sizeof which, " (%zu of %zu)", i + 1, n);
        if (offer_one(a, found[i], locks[i], which)) taken = i; /* found[i] is a->recovery_in_use */
    }
    for (size_t j = 0; j < n; j++) {
        if (j == taken || locks[j] < 0) continue;
        char *lp = scenario_doc_recovery_lock(found[j]);
        sib_file_unlock(locks[j], lp);
        free(lp);
    }
    /* Taken up with others still waiting (left for later, or not offered
     * yet): say so, as they are offered only at the next open. */
    size_t waiting = 0, left = 0;
    const char *one = NULL, *first_left = NULL;
    for (size_t j = 0; j < n; j++) {
        if (stat(found[j], &st) != 0) continue;
        if (taken == n && left++ == 0) first_left = found[j];
        if (taken == n || j == taken) continue;
        if (waiting++ == 0) one = found[j];
    }
    if (left > 1)
        /* Every set left for later: the last offer's message named its own
         * file alone, as if the others were gone. */
        app_say(a, 0,
                "%zu sets of unsaved edits of %.*s stay, in %.*s and beside it, to be offered "
                "at the next open",
                left, APP_CUT(a->shown, 300), APP_CUT(first_left, 300));
    else if (waiting > 0)
        app_say(a, 0,
                "recovered the unsaved edits of %.*s (u undoes them); %zu more set%s of "
                "unsaved edits wait%s, in %.*s%s, to be offered at the next open",
                APP_CUT(a->shown, 300), waiting, waiting == 1 ? "" : "s", waiting == 1 ? "s" : "",
                APP_CUT(one, 300),
                waiting > 1 ? " and beside it" : "");
    else if (live > 0 && a->path != NULL)
        /* Two sessions on one file: each save replaces the other's. */
        app_say(a, 1,
                "%.*s is open in %s sibsim session%s as well (%s unsaved edits are kept in "
                "%.*s%s): the last to save replaces the other's file",
                APP_CUT(a->shown, 200), live == 1 ? "another" : "other", live == 1 ? "" : "s",
                live == 1 ? "its" : "their", APP_CUT(live_one, 250),
                live > 1 ? " and beside it" : "");
    else if (live > 0)
        /* The built-in (or a library) scenario has no file to save over:
         * only the recovery files, in the directory both started in, are
         * shared. */
        app_say(a, 1,
                "%s is being edited in %s sibsim session%s started in this "
                "directory as well (%s unsaved edits are kept in %.*s%s)",
                app_reopen_name(a, reopen, sizeof reopen), live == 1 ? "another" : "other",
                live == 1 ? "" : "s", live == 1 ? "its" : "their", APP_CUT(live_one, 250),
                live > 1 ? " and beside it" : "");
    for (size_t j = 0; j < n; j++)
        if (j != taken) free(found[j]);
}

/* At open: temporary files of a save that was killed before it finished
 * (the file itself is whole: the save renames only a complete file). */
void app_report_stale_temps(app *a) {
    if (a->path == NULL) return;
    char names[1024];
    size_t n = sib_file_stale_temps(a->path, 0, names, sizeof names);
    a->stale_temps = n;
    if (n == 0) return;
    for (char *p = names; *p; p++)
        if (*p == '\n') *p = ' ';
    char earlier[sizeof a->message];
    snprintf(earlier, sizeof earlier, "%s", a->message);
    app_say(a, 1,
            "%zu temporary file%s left by a killed save: %.*s (the next save removes those over %d "
            "min old)%s%.*s",
            n, n == 1 ? "" : "s", APP_CUT(names, 300), SIB_FILE_STALE_SECONDS / 60,
            earlier[0] ? "  |  " : "", APP_CUT(earlier, 150));
}

/* Stopped by a signal with unsaved edits (the terminal is restored): what
 * is unsaved goes to the recovery file, through the one writer (atomic,
 * beside the scenario), and stderr says where. */
void app_keep_edits(app *a, const char *name) {
    sib_error werr;
    char *rp = NULL;
    if (scenario_doc_save_recovery(a->doc, app_recovery_key(a), a->recovery_in_use, &rp, &werr) ==
        SIB_OK) {
        /* The paths made visible, as every message is: a file name may
         * hold control characters, and an escape sequence in it printed
         * raw acts on the terminal (recolours, moves, retitles) instead
         * of showing where the edits are. */
        char vis_rp[4 * PATH_MAX + 1], vis_path[4 * PATH_MAX + 1]; /* \x1b: 4 bytes a byte */
        fprintf(stderr, "sibsim: %s: unsaved edits kept in %s (open %s again to recover them)\n",
                name, sib_visible(vis_rp, sizeof vis_rp, rp),
                app_reopen_name(a, vis_path, sizeof vis_path));
        /* This session's file, if it had one, is the one just written: it
         * stays for the next open, its lock given up. */
        let_go(a);
    } else {
        char buf[1200];
        fprintf(stderr, "sibsim: %s: the unsaved edits could not be kept: %s\n", name,
                sib_error_format(&werr, buf, sizeof buf));
    }
    free(rp);
}
