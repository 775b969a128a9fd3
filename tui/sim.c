/* sim.c -- the simulation thread of the terminal UI. It always runs a
 * compare engine: A is the scenario as loaded (or last saved), B as edited,
 * on common random numbers; the views show B, and the "before / after" view
 * both with their paired difference. Each batch doubles the paths (a first
 * estimate from ~2,000 paths within milliseconds) up to the scenario's own
 * number, and publishes a snapshot the UI draws from; an edit cancels the
 * batch under way and starts again. A tornado, when asked for, runs here
 * too, the live simulation waiting for it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"

double app_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* --------------------------------------------------------- the simulation */

/* The metric the histogram shows, by its choice number: investor IRR and
 * multiple of each structure's first tranche, then what each structure
 * costs the commissioner, then the contract's payments. Returns the index
 * of the metric in e (ROLE_TWIN: the edited scenario), or SIZE_MAX. */
static size_t pick_metric(size_t count, const metric_info *(*at)(const void *, size_t),
                          const void *from, int choice) {
    size_t found[64], n = 0;
    /* In this order: every IRR, every multiple, what each structure costs,
     * what the contract pays. */
    static const char *const ends[] = {".irr", ".moic", "commissioner.total", "payments.total"};
    for (size_t k = 0; k < 4; k++)
        for (size_t i = 0; i < count && n < 64; i++) {
            const metric_info *m = at(from, i);
            size_t kl = strlen(m->key), el = strlen(ends[k]);
            if (m->role == ROLE_TWIN && kl >= el && strcmp(m->key + kl - el, ends[k]) == 0 &&
                (k < 2 || kl == el))
                found[n++] = i;
        }
    if (n == 0) return SIZE_MAX;
    return found[(size_t)choice % n];
}

static const metric_info *engine_at(const void *e, size_t i) { return engine_metric(e, i); }
static const metric_info *snap_at(const void *s, size_t i) {
    return &((const snapshot *)s)->m[i].info;
}

static size_t hist_metric(const engine *e, int choice) {
    return pick_metric(engine_metric_count(e), engine_at, e, choice);
}

size_t app_hist_metric(const snapshot *s, int choice) {
    return pick_metric(s->n, snap_at, s, choice);
}

/* Build a snapshot of e's results (e is not running): the compare engine
 * of `before` (as loaded or last saved) and `after` (as edited). */
static void take_snapshot(const engine *e, const scenario *before, const scenario *after,
                          int generation, uint64_t target, double t0, int choice, snapshot *s) {
    s->generation = generation;
    snprintf(s->currency, sizeof s->currency, "%s", after->currency);
    snprintf(s->currency_before, sizeof s->currency_before, "%s", before->currency);
    s->paths = engine_paths_done(e);
    s->target = target;
    s->seconds = app_now() - t0;
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
        s->hist_measure = strlen(m->group) + 2;
        /* A tranche's metric is labelled "TRANCHE MEASURE", its key
         * "[PART: ]TRANCHE.MEASURE_KEY": the measure follows the name. */
        const char *dot = strrchr(m->key, '.'), *tn = m->key;
        if ((m->tranche != SIZE_MAX || m->guarantee != SIZE_MAX) && dot != NULL) {
            size_t n = (size_t)(dot - tn);
            const char *part = strstr(tn, ": ");
            if (part != NULL && part < dot && strncmp(m->label, tn, n) != 0) {
                n -= (size_t)(part + 2 - tn);
                tn = part + 2;
            }
            if (strncmp(m->label, tn, n) == 0 && m->label[n] == ' ' &&
                s->hist_measure + n + 1 < strlen(s->hist_label))
                s->hist_measure += n + 1;
        }
        if (s->hist_measure > strlen(s->hist_label)) s->hist_measure = strlen(s->hist_label);
        s->hist_unit = m->unit;
        s->hist_lo = sum.min;
        s->hist_hi = sum.max;
        s->hist_p05 = sum.p05;
        s->hist_p50 = sum.p50;
        s->hist_p95 = sum.p95;
        s->hist_n = sum.n;
        s->hist_undefined = sum.undefined;
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
    int rc =
        text ? analysis_tornado(&b, metric, 0.10, bars, MAX_BARS, &n, &base, &err) : SIB_EINVAL;
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

void *app_sim_thread(void *arg) {
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
            t0 = app_now();
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
            /* a->original is the simulation thread's: no lock to read it. */
            take_snapshot(e, a->original, current, generation, target, t0, choice, &s);
            if (st == SIB_OK)
                publish(a, &s);
            else
                free(s.m);
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

/* Hand sc to the simulation thread (which owns it from then on). Its
 * warnings are listed first; a warning the previous scenario did not have
 * -- an edit that looks like a mistake -- is shown at once, unless the
 * message line already says something. */
void app_restart(app *a, scenario *sc) {
    if (sc != NULL) {
        /* Money is shown in the scenario's currency as edited, not as
         * last saved (an edit of /currency to EUR showed euros as pounds). */
        snprintf(a->currency, sizeof a->currency, "%s", sc->currency);
        app_take_notes(a, sc);
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
            if (!seen) app_show_warning(a, i);
        }
    }
    pthread_mutex_lock(&a->lock);
    scenario_free(a->pending);
    a->pending = sc;
    a->generation++;
    pthread_cond_signal(&a->cond);
    pthread_mutex_unlock(&a->lock);
}
