/* analysis.c -- sweeps, tornado, solve, convergence and the value of the
 * pilot, as runs of one scenario text with overrides on a common seed. The
 * contracts are in analysis.h. */
#include "analysis.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/suggest.h"
#include "sample.h"

/* ------------------------------------------------------- choosing metrics */

static const struct {
    const char *name;
    stat_kind stat;
} stat_names[] = {{"mean", STAT_MEAN}, {"p05", STAT_P05},   {"p25", STAT_P25}, {"median", STAT_P50},
                  {"p50", STAT_P50},   {"p75", STAT_P75},   {"p95", STAT_P95}, {"sd", STAT_SD}};

/* The metric that `name` is probably a typo of, as "GROUP/KEY" (which
 * names one metric whatever the others are) into buf. Name is compared
 * with each own metric's "GROUP/KEY" when it has a '/', else with its KEY
 * and the KEY's end after its last '.' ("irr"), as analysis_choose reads
 * them (of several metrics with the end nearest, the first). 0 when none
 * is near (sib_suggest's rule) or the candidates cannot be listed. */
static int metric_near(const engine *e, const char *name, char *buf, size_t size) {
    enum { SLOT = 3 * SCENARIO_NAME_MAX + 48 }; /* a group, '/', a key */
    const size_t n = engine_metric_count(e);
    const int whole = strchr(name, '/') != NULL;
    const char **list = calloc(2 * n + 1, sizeof *list);
    size_t *index = calloc(2 * n + 1, sizeof *index);
    char *names = calloc(n + 1, SLOT);
    size_t k = 0;
    int found = 0;
    if (list != NULL && index != NULL && names != NULL) {
        for (size_t i = 0; i < n; i++) {
            const metric_info *m = engine_metric(e, i);
            if (m->role != ROLE_OWN) continue;
            char *slot = names + i * SLOT;
            snprintf(slot, SLOT, "%s%s%s", whole ? m->group : "", whole ? "/" : "", m->key);
            index[k] = i;
            list[k++] = slot;
            const char *end = strrchr(m->key, '.');
            if (!whole && end != NULL) {
                index[k] = i;
                list[k++] = end + 1;
            }
        }
        const char *best = sib_suggest(name, list);
        for (size_t j = 0; best != NULL && j < k; j++)
            if (list[j] == best) {
                const metric_info *m = engine_metric(e, index[j]);
                snprintf(buf, size, "%s/%s", m->group, m->key);
                found = 1;
                break;
            }
    }
    free(list);
    free(index);
    free(names);
    return found;
}

int analysis_choose(const engine *e, const char *spec, metric_choice *out, sib_error *err) {
    char name[256];
    snprintf(name, sizeof name, "%s", spec);
    out->stat = STAT_MEAN;
    /* A trailing ":STAT" names a statistic; any other colon belongs to the
     * name (a blend's parts are keyed "part: tranche.irr"). */
    char *colon = strrchr(name, ':');
    if (colon != NULL)
        for (size_t k = 0; k < sizeof stat_names / sizeof stat_names[0]; k++)
            if (strcmp(colon + 1, stat_names[k].name) == 0) {
                out->stat = stat_names[k].stat;
                *colon = '\0';
                break;
            }
    /* "GROUP/KEY" exactly; else KEY exactly; else a KEY ending in ".NAME"
     * or equal to NAME's end. Own metrics only (a compare engine's twins
     * and differences are chosen through their own). */
    size_t found = (size_t)-1, matches = 0;
    /* The candidates named in the message, each whole; those that would
     * not fit are counted (unlisted). 360 bytes leave room in the error's
     * 512 for the rest of the sentence and a long NAME. */
    char candidates[360] = "";
    size_t clen = 0, unlisted = 0;
    for (int pass = 0; pass < 3 && matches == 0; pass++)
        for (size_t i = 0; i < engine_metric_count(e); i++) {
            const metric_info *m = engine_metric(e, i);
            if (m->role != ROLE_OWN) continue;
            char full[512];
            snprintf(full, sizeof full, "%s/%s", m->group, m->key);
            size_t kl = strlen(m->key), nl = strlen(name);
            int hit = pass == 0   ? strcmp(full, name) == 0
                      : pass == 1 ? strcmp(m->key, name) == 0
                                  : (kl > nl && strcmp(m->key + kl - nl, name) == 0 &&
                                     m->key[kl - nl - 1] == '.');
            if (!hit) continue;
            matches++;
            found = i;
            const size_t need = (clen ? 2 : 0) + strlen(full) + 2;
            if (unlisted == 0 && clen + need < sizeof candidates)
                clen += (size_t)snprintf(candidates + clen, sizeof candidates - clen, "%s\"%s\"",
                                         clen ? ", " : "", full);
            else
                unlisted++;
        }
    if (matches == 1) {
        out->index = found;
        metric_kind k = engine_metric(e, found)->kind;
        if (out->stat != STAT_MEAN && (k == METRIC_RATIO || k == METRIC_POOLED_IRR))
            return sib_error_set(err, SIB_EINVAL, NULL,
                                 "metric \"%s\" is one number over every future (%s), with no "
                                 "distribution: drop the \":%s\"",
                                 name, k == METRIC_RATIO ? "a ratio of expectations"
                                                         : "the IRR of the expected cash flows",
                                 colon ? colon + 1 : "");
        return SIB_OK;
    }
    if (matches == 0 && colon != NULL && out->stat == STAT_MEAN && colon[1] != '\0') {
        /* "irr:p99": a metric, then a statistic there is not. */
        char metric[256];
        snprintf(metric, sizeof metric, "%.*s", (int)(colon - name), name);
        metric_choice whole;
        sib_error ignored;
        if (analysis_choose(e, metric, &whole, &ignored) == SIB_OK)
            return sib_error_set(err, SIB_EINVAL, NULL,
                                 "no statistic \"%s\" of metric \"%s\": name one of :mean, :p05, "
                                 ":p25, :median (or :p50), :p75, :p95, :sd",
                                 colon + 1, metric);
    }
    if (matches == 0) {
        char near[512];
        if (metric_near(e, name, near, sizeof near))
            return sib_error_set(err, SIB_EINVAL, NULL,
                                 "no metric \"%s\"; did you mean \"%s\"? (the keys are in "
                                 "`sibsim run --format csv`)",
                                 name, near);
        return sib_error_set(err, SIB_EINVAL, NULL,
                             "no metric \"%s\": name one as GROUP/KEY (see the keys in "
                             "`sibsim run --format csv`), e.g. \"commissioner/payments.total\"",
                             name);
    }
    char more[48] = "";
    if (unlisted > 0) snprintf(more, sizeof more, " and %zu more", unlisted);
    return sib_error_set(err, SIB_EINVAL, NULL,
                         "metric \"%.60s\" is ambiguous; name one of %s%s", name,
                         candidates, more);
}

double analysis_value(const engine *e, const metric_choice *m, double *se) {
    stats_summary s;
    engine_summary(e, m->index, &s);
    if (se) *se = m->stat == STAT_MEAN ? s.se : NAN;
    switch (m->stat) {
    case STAT_MEAN: return s.mean;
    case STAT_P05: return s.p05;
    case STAT_P25: return s.p25;
    case STAT_P50: return s.p50;
    case STAT_P75: return s.p75;
    case STAT_P95: return s.p95;
    case STAT_SD: return s.sd;
    }
    return NAN;
}

/* ------------------------------------------------------------------ runs */

/* The scenario with overrides as every run of b takes it: b's paths and
 * seed when b sets them. NULL, with err filled, when it does not load. */
static scenario *load_for(const analysis_base *b, const scenario_override *ov, size_t n_ov,
                          sib_error *err) {
    scenario *sc = scenario_load_string_with(b->text, b->name, ov, n_ov, err);
    if (sc == NULL) return NULL;
    if (b->paths) sc->sim.paths = b->paths;
    if (b->have_seed) sc->sim.seed = b->seed;
    return sc;
}

/* Whether a run of sc may settle the futures a run of base draws: the two
 * draw them alike (engine_scenarios_draw_alike: they differ only in their
 * contracts, financing, planned costs or names) on the same seed,
 * generator and number of paths. */
static int draws_as(const scenario *base, const scenario *sc) {
    return base != NULL && sc != NULL && engine_scenarios_draw_alike(base, sc) &&
           sc->sim.seed == base->sim.seed && sc->sim.paths == base->sim.paths &&
           strcmp(sc->sim.rng, base->sim.rng) == 0;
}

/* Compile the scenario with overrides into a new engine, keeping what
 * b->only says, without running it. */
static int open_run(const analysis_base *b, const scenario_override *ov, size_t n_ov,
                    analysis_run *out, sib_error *err) {
    out->e = NULL;
    if ((out->sc = load_for(b, ov, n_ov, err)) == NULL) return err->code;
    out->e = engine_new(out->sc, err);
    if (out->e == NULL) {
        analysis_free_run(out);
        return err->code;
    }
    int rc = SIB_OK;
    if (b->only != NULL) {
        metric_choice m;
        rc = analysis_choose(out->e, b->only, &m, err);
        if (rc == SIB_OK) rc = engine_keep_only(out->e, &m.index, 1, err);
    }
    if (rc != SIB_OK) analysis_free_run(out);
    return rc;
}

int analysis_run_with(const analysis_base *b, const scenario_override *ov, size_t n_ov,
                      analysis_run *out, sib_error *err) {
    int rc = open_run(b, ov, n_ov, out, err);
    if (rc != SIB_OK) return rc;
    rc = engine_run(out->e, out->sc->sim.paths, b->threads, NULL, NULL, err);
    if (rc != SIB_OK) analysis_free_run(out);
    return rc;
}

void analysis_free_run(analysis_run *r) {
    engine_free(r->e);
    scenario_free(r->sc);
    r->e = NULL;
    r->sc = NULL;
}

/* ---------------------------------------------------- runs side by side */

/* Independent runs on the same seed (a sweep's points, a tornado's moves),
 * run i with the overrides spec(i) writes (at most EACH_MAX_OV; returns
 * how many). done(i, ...) is called for i = 0, 1, ... in order, from the
 * calling thread, with the run's status, its engine (NULL when it failed)
 * and its error; it returns 0 to go on, EACH_ENOUGH to end with SIB_OK, or
 * a code to end with. spec is called from any thread, and must give run i
 * the same overrides every time.
 *
 * Runs whose scenarios draw their futures as the scenario without
 * overrides does (draws_as: overrides of terms of the contract or the
 * financing, or of planned costs) settle futures drawn once, every run's
 * results those it would have alone. When run 0 is one of them, it runs first, on every thread,
 * and records its futures (engine_draws, within draws_max); every
 * other such run then settles them again. When they do not fit, consecutive
 * such runs go as families of at most EACH_FAMILY (engine_run_family),
 * each future drawn once a family. */
#define EACH_MAX_OV 2
#define EACH_ENOUGH (-1)
#define EACH_FAMILY 4

/* The memory runs may keep recorded futures in (analysis_base.draws_max). */
static size_t draws_max(const analysis_base *b) {
    return b->draws_max ? b->draws_max : ANALYSIS_DRAWS_MAX;
}
typedef size_t (*each_spec_fn)(size_t i, scenario_override *ov, void *ud);
typedef int (*each_done_fn)(size_t i, int rc, const engine *e, const sib_error *err, void *ud);

typedef struct each_slot {
    analysis_run r;
    sib_error err;
    int rc;
    int ready; /* the run is done (r and rc hold it) */
} each_slot;

typedef struct each_pool {
    analysis_base b; /* the caller's, with each run's share of the threads */
    each_spec_fn spec;
    void *ud;
    const size_t *end; /* [i] for the first run i of a family: one past its last */
    const unsigned char *alike; /* [i] run i draws as the scenario without overrides */
    engine_draws *draws;        /* run 0's futures, or NULL */
    size_t total, window;
    size_t next;     /* the next run to take (the first of a family) */
    size_t reported; /* runs handed to done (their slots are free) */
    int stop;        /* no more runs to take */
    each_slot *slot; /* run i in slot[i % window] */
    pthread_mutex_t lock;
    pthread_cond_t cond;
} each_pool;

/* Runs i .. end - 1, into their slots: one run alone (settling draws'
 * futures when it draws as they were drawn, alike[i]), or several that
 * draw alike as a family. A run the loader refuses is left out of its
 * family. */
static void each_family(const analysis_base *b, each_spec_fn spec, void *ud, size_t i, size_t end,
                        each_slot *slot, size_t window, engine_draws *draws,
                        const unsigned char *alike) {
    engine *es[EACH_FAMILY];
    size_t n = 0;
    uint64_t paths = 0;
    for (size_t k = i; k < end; k++) {
        each_slot *sl = &slot[k % window];
        scenario_override ov[EACH_MAX_OV];
        size_t n_ov = spec(k, ov, ud);
        sib_error_clear(&sl->err);
        if (end - i == 1 && !(draws && alike[k])) {
            sl->rc = analysis_run_with(b, ov, n_ov, &sl->r, &sl->err);
            return;
        }
        if ((sl->rc = open_run(b, ov, n_ov, &sl->r, &sl->err)) != SIB_OK) continue;
        paths = sl->r.sc->sim.paths;
        if (end - i > 1) {
            es[n++] = sl->r.e;
            continue;
        }
        sl->rc = engine_run_recorded(sl->r.e, draws, paths, b->threads, &sl->err);
        if (sl->rc != SIB_OK) analysis_free_run(&sl->r);
    }
    if (n == 0) return;
    sib_error err;
    sib_error_clear(&err);
    int rc = engine_run_family(es, n, paths, b->threads, &err);
    if (rc == SIB_OK) return;
    for (size_t k = i; k < end; k++) {
        each_slot *sl = &slot[k % window];
        if (sl->rc != SIB_OK) continue;
        analysis_free_run(&sl->r);
        sl->rc = rc;
        sl->err = err;
    }
}

static void *each_worker(void *arg) {
    each_pool *P = arg;
    pthread_mutex_lock(&P->lock);
    for (;;) {
        while (!P->stop && P->next < P->total && P->end[P->next] > P->reported + P->window)
            pthread_cond_wait(&P->cond, &P->lock);
        if (P->stop || P->next >= P->total) break;
        const size_t i = P->next, end = P->end[i];
        P->next = end;
        pthread_mutex_unlock(&P->lock);
        each_family(&P->b, P->spec, P->ud, i, end, P->slot, P->window, P->draws, P->alike);
        pthread_mutex_lock(&P->lock);
        for (size_t k = i; k < end; k++) P->slot[k % P->window].ready = 1;
        pthread_cond_broadcast(&P->cond);
    }
    pthread_mutex_unlock(&P->lock);
    return NULL;
}

/* Whether each run draws its futures as the scenario without overrides
 * does (draws_as): alike[i]. Each run's scenario is loaded here once more
 * (a fraction of a millisecond). None does in a cluster, where every run
 * goes alone. */
static void each_alike(const analysis_base *b, size_t total, each_spec_fn spec, void *ud,
                       unsigned char *alike) {
    sib_error err;
    scenario *base = engine_in_cluster() ? NULL : load_for(b, NULL, 0, &err);
    for (size_t i = 0; base != NULL && i < total; i++) {
        scenario_override ov[EACH_MAX_OV];
        size_t n = spec(i, ov, ud);
        scenario *sc = load_for(b, ov, n, &err);
        alike[i] = (unsigned char)draws_as(base, sc);
        scenario_free(sc);
    }
    scenario_free(base);
}

/* The families of runs from..total - 1: end[i] for the first run i of each.
 * Consecutive runs that draw alike go together, EACH_FAMILY at most, in
 * even sizes that give each of `width` workers the same number of
 * families; with draws, and for the others, each run goes alone. */
static void each_families(size_t from, size_t total, size_t width, const unsigned char *alike,
                          int draws, size_t *end) {
    const size_t n = total - from;
    const size_t rounds = (n + width * EACH_FAMILY - 1) / (width * EACH_FAMILY);
    const size_t most = rounds ? (n + width * rounds - 1) / (width * rounds) : 1;
    for (size_t i = from; i < total;) {
        size_t j = i;
        while (!draws && j < total && j - i < most && alike[j]) j++;
        end[i] = j > i ? j : i + 1;
        i = end[i];
    }
}

/* Run 0 alone on every thread into sl, recording its futures when they
 * fit; the recording, or NULL (run 0 failed, or its futures are too many). */
static engine_draws *each_record(const analysis_base *b, each_spec_fn spec, void *ud,
                                 each_slot *sl) {
    scenario_override ov[EACH_MAX_OV];
    size_t n = spec(0, ov, ud);
    sib_error_clear(&sl->err);
    if ((sl->rc = open_run(b, ov, n, &sl->r, &sl->err)) != SIB_OK) return NULL;
    const uint64_t paths = sl->r.sc->sim.paths;
    engine_draws *d = engine_draws_new(sl->r.e, paths, draws_max(b));
    sl->rc = d ? engine_run_recorded(sl->r.e, d, paths, b->threads, &sl->err)
               : engine_run(sl->r.e, paths, b->threads, NULL, NULL, &sl->err);
    if (sl->rc != SIB_OK) {
        analysis_free_run(&sl->r);
        engine_draws_free(d);
        return NULL;
    }
    return d;
}

/* What run_each holds throughout: its plan and the recording. */
static void each_free(size_t *end, unsigned char *alike, engine_draws *draws) {
    free(end);
    free(alike);
    engine_draws_free(draws);
}

/* With several threads the runs go side by side, each family on one thread
 * (or its share when there are more threads than runs), a worker taking
 * the next as soon as it finishes one: every core simulates throughout,
 * whereas one run at a time on every thread merges its blocks on one thread
 * and leaves cores idle at its end. A run's results do not depend on its
 * thread count, nor on its family. A cluster runs one at a time, each
 * alone: its processes must run the same engines in the same order. */
static int run_each(const analysis_base *b, size_t total, each_spec_fn spec, each_done_fn done,
                    void *ud, sib_error *err) {
    size_t width = b->threads > 1 && !engine_in_cluster() ? b->threads : 1;
    if (width > total) width = total;
    if (width == 0) width = 1;
    size_t *end = calloc(total + 1, sizeof *end);
    unsigned char *alike = calloc(total + 1, 1);
    if (end == NULL || alike == NULL) {
        free(end);
        free(alike);
        return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory for runs");
    }
    each_alike(b, total, spec, ud, alike);
    /* Run 0 first, recording its futures, when others would replay them. */
    each_slot first = {.rc = SIB_OK};
    size_t from = 0;
    engine_draws *draws = NULL;
    if (total > 1 && alike[0]) {
        draws = each_record(b, spec, ud, &first);
        from = 1;
    }
    each_families(from, total, width, alike, draws != NULL, end);
    if (width <= 1) {
        each_slot slot[EACH_FAMILY];
        int rc = 0;
        if (from) {
            rc = done(0, first.rc, first.rc == SIB_OK ? first.r.e : NULL, &first.err, ud);
            if (first.rc == SIB_OK) analysis_free_run(&first.r);
        }
        for (size_t i = from; i < total && rc == 0; i = end[i]) {
            each_family(b, spec, ud, i, end[i], slot, EACH_FAMILY, draws, alike);
            for (size_t k = i; k < end[i]; k++) {
                each_slot *sl = &slot[k % EACH_FAMILY];
                if (rc == 0) rc = done(k, sl->rc, sl->rc == SIB_OK ? sl->r.e : NULL, &sl->err, ud);
                if (sl->rc == SIB_OK) analysis_free_run(&sl->r);
            }
        }
        each_free(end, alike, draws);
        return rc == EACH_ENOUGH ? SIB_OK : rc;
    }
    each_pool P = {.b = *b,
                   .spec = spec,
                   .ud = ud,
                   .end = end,
                   .alike = alike,
                   .draws = draws,
                   .total = total,
                   .next = from,
                   .window = (width + 1) * EACH_FAMILY};
    P.b.threads = b->threads / (unsigned)width;
    P.slot = calloc(P.window, sizeof *P.slot);
    pthread_t *tid = calloc(width, sizeof *tid);
    int *started = calloc(width, sizeof *started);
    if (P.slot == NULL || tid == NULL || started == NULL) {
        free(P.slot);
        free(tid);
        free(started);
        if (from && first.rc == SIB_OK) analysis_free_run(&first.r);
        each_free(end, alike, draws);
        return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory for side-by-side runs");
    }
    if (from) { /* run 0, done: reported first */
        P.slot[0] = first;
        P.slot[0].ready = 1;
    }
    pthread_mutex_init(&P.lock, NULL);
    pthread_cond_init(&P.cond, NULL);
    size_t running = 0;
    for (size_t w = 0; w < width; w++)
        running += (size_t)(started[w] = pthread_create(&tid[w], NULL, each_worker, &P) == 0);
    int rc = running ? 0 : sib_error_set(err, SIB_ENOMEM, NULL, "cannot start threads");
    pthread_mutex_lock(&P.lock);
    while (rc == 0 && P.reported < total) {
        each_slot *sl = &P.slot[P.reported % P.window];
        while (!sl->ready) pthread_cond_wait(&P.cond, &P.lock);
        pthread_mutex_unlock(&P.lock);
        rc = done(P.reported, sl->rc, sl->rc == SIB_OK ? sl->r.e : NULL, &sl->err, ud);
        if (sl->rc == SIB_OK) analysis_free_run(&sl->r);
        pthread_mutex_lock(&P.lock);
        sl->ready = 0;
        P.reported++;
        if (rc != 0) P.stop = 1;
        pthread_cond_broadcast(&P.cond);
    }
    pthread_mutex_unlock(&P.lock);
    for (size_t w = 0; w < width; w++)
        if (started[w]) pthread_join(tid[w], NULL);
    /* After a stop: the runs done and not reported. */
    for (size_t k = 0; k < P.window; k++)
        if (P.slot[k].ready && P.slot[k].rc == SIB_OK) analysis_free_run(&P.slot[k].r);
    pthread_mutex_destroy(&P.lock);
    pthread_cond_destroy(&P.cond);
    free(P.slot);
    free(tid);
    free(started);
    each_free(end, alike, draws);
    return rc == EACH_ENOUGH ? SIB_OK : rc;
}

/* ----------------------------------------------------------------- sweep */

typedef struct sweep_ctx {
    const char *const *pointers;
    const double *from, *to;
    const int *steps;
    size_t n_params;
    sweep_fn fn;
    void *ud;
    sib_error *err;
} sweep_ctx;

void analysis_sweep_values(const double *from, const double *to, const int *steps,
                           size_t n_params, size_t i, double *x) {
    const size_t n1 = n_params > 1 ? (size_t)steps[1] : 1;
    const int idx[2] = {(int)(i / n1), (int)(i % n1)};
    for (size_t k = 0; k < n_params && k < 2; k++)
        x[k] = steps[k] > 1 ? from[k] + (to[k] - from[k]) * idx[k] / (steps[k] - 1) : from[k];
}

/* Point i's values x and overrides ov (analysis_sweep_values). */
static size_t sweep_point(const sweep_ctx *c, size_t i, double *x, scenario_override *ov) {
    analysis_sweep_values(c->from, c->to, c->steps, c->n_params, i, x);
    for (size_t k = 0; ov && k < c->n_params; k++)
        ov[k] = (scenario_override){c->pointers[k], x[k]};
    return c->n_params;
}

static size_t sweep_spec(size_t i, scenario_override *ov, void *ud) {
    double x[2];
    return sweep_point(ud, i, x, ov);
}

static int sweep_done(size_t i, int rc, const engine *e, const sib_error *err, void *ud) {
    sweep_ctx *c = ud;
    if (rc != SIB_OK) {
        *c->err = *err;
        return rc;
    }
    double x[2];
    sweep_point(c, i, x, NULL);
    return c->fn(x, c->n_params, e, c->ud) ? SIB_ECANCEL : 0;
}

int analysis_sweep(const analysis_base *b, const char *const *pointers, const double *from,
                   const double *to, const int *steps, size_t n_params, sweep_fn fn, void *ud,
                   sib_error *err) {
    if (n_params < 1 || n_params > 2)
        return sib_error_set(err, SIB_EINVAL, NULL, "a sweep takes one or two parameters");
    /* One term twice: the second's value would override the first's at
     * every point, and the first's values would label the same run. */
    if (n_params == 2 && strcmp(pointers[0], pointers[1]) == 0)
        return sib_error_set(err, SIB_EINVAL, pointers[0],
                             "the same term given twice as --param: sweep two different terms, "
                             "or one");
    sweep_ctx c = {pointers, from, to, steps, n_params, fn, ud, err};
    const size_t total = (size_t)steps[0] * (n_params > 1 ? (size_t)steps[1] : 1);
    return run_each(b, total, sweep_spec, sweep_done, &c, err);
}

/* --------------------------------------------------------------- tornado */

/* The terms a tornado moves by +- pct: every number of the contract and the
 * financing that a negotiator could change, and the planned costs. */
typedef struct term {
    char pointer[256];
    double value;
} term;

static size_t list_terms(const scenario *sc, term *t, size_t max) {
    size_t n = 0;
#define ADD(val, ...)                                                        \
    do {                                                                     \
        if (n < max && isfinite(val) && (val) != 0) {                        \
            snprintf(t[n].pointer, sizeof t[n].pointer, __VA_ARGS__);        \
            t[n].value = (val);                                              \
            n++;                                                             \
        }                                                                    \
    } while (0)
    for (size_t r = 0; r < sc->contract.n_rules; r++) {
        const payment_rule *p = &sc->contract.rules[r];
        if (p->type == PAY_PER_UNIT || p->type == PAY_PER_OUTCOME)
            ADD(p->price, "/contract/payments/%zu/price", r);
        if (p->type == PAY_FIXED || p->type == PAY_LINEAR)
            ADD(p->amount, "/contract/payments/%zu/amount", r);
        if (p->type == PAY_SAVINGS) {
            ADD(p->value, "/contract/payments/%zu/value", r);
            ADD(p->share, "/contract/payments/%zu/share", r);
        }
        if (p->has_trigger) ADD(p->trigger, "/contract/payments/%zu/trigger", r);
        ADD(p->cap, "/contract/payments/%zu/cap", r);
        if (p->scope == SCOPE_COHORT) ADD(p->cap_per_cohort, "/contract/payments/%zu/cap_per_cohort", r);
    }
    ADD(sc->contract.cap, "/contract/cap");
    for (size_t s = 0; s < sc->n_stages; s++) {
        const stage *st = &sc->stages[s];
        ADD(st->setup_cost, "/stages/%zu/costs/setup", s);
        ADD(st->fixed_per_year, "/stages/%zu/costs/fixed_per_year", s);
        ADD(st->per_participant, "/stages/%zu/costs/per_participant", s);
    }
    for (size_t f = 0; f < sc->n_financing; f++) {
        const financing *fin = &sc->financing[f];
        for (size_t k = 0; k < fin->n_tranches; k++) {
            const tranche *tr = &fin->tranches[k];
            ADD(tr->commitment, "/financing/%zu/tranches/%zu/commitment", f, k);
            if (tr->has_coupon) ADD(tr->coupon, "/financing/%zu/tranches/%zu/coupon", f, k);
            if (tr->has_return_cap)
                ADD(tr->return_cap, "/financing/%zu/tranches/%zu/return_cap", f, k);
        }
    }
#undef ADD
    return n;
}

/* Widest swing first; a swing that is undefined (NaN: the metric is
 * undefined at an end) after every defined one; then by pointer. */
static int bar_cmp(const void *a, const void *b) {
    const tornado_bar *x = a, *y = b;
    if (isnan(x->swing) != isnan(y->swing)) return isnan(x->swing) ? 1 : -1;
    if (!isnan(x->swing) && x->swing != y->swing) return x->swing > y->swing ? -1 : 1;
    return strcmp(x->pointer, y->pointer);
}

/* The metric at one override, its standard error (NaN but for a mean) and
 * *scale, the standard error of the metric's mean whatever the statistic
 * chosen (the size of its Monte Carlo noise). With base (the scenario
 * without overrides), when the run's scenario draws as base does: on
 * *draws' futures, or, when *draws is NULL, recording its own into a new
 * *draws (left NULL when too large). */
static int metric_at(const analysis_base *b, const scenario_override *ov, size_t n_ov,
                     const char *metric, const scenario *base, engine_draws **draws,
                     double *value, double *se, double *scale, sib_error *err) {
    analysis_run r;
    int rc = open_run(b, ov, n_ov, &r, err);
    if (rc != SIB_OK) return rc;
    const int alike = draws_as(base, r.sc);
    if (alike && *draws == NULL) *draws = engine_draws_new(r.e, r.sc->sim.paths, draws_max(b));
    rc = alike && *draws ? engine_run_recorded(r.e, *draws, r.sc->sim.paths, b->threads, err)
                         : engine_run(r.e, r.sc->sim.paths, b->threads, NULL, NULL, err);
    if (rc != SIB_OK) {
        analysis_free_run(&r);
        return rc;
    }
    metric_choice m;
    rc = analysis_choose(r.e, metric, &m, err);
    if (rc == SIB_OK) {
        *value = analysis_value(r.e, &m, se);
        stats_summary sm;
        engine_summary(r.e, m.index, &sm);
        *scale = sm.se;
    }
    analysis_free_run(&r);
    return rc;
}

/* A tornado's runs: 0 the scenario as it is, then each candidate bar's
 * low (2k + 1) and high (2k + 2) value. */
typedef struct tornado_ctx {
    const char *metric;
    tornado_bar *cand; /* inputs first, then terms */
    size_t n_inputs, n_cand;
    tornado_bar *bars;
    size_t n; /* bars recorded */
    double *base;
    double low; /* the metric at the current candidate's low value */
    int low_rc; /* ... and how its run went */
    sib_error low_err;
    sib_error *err;
} tornado_ctx;

static size_t tornado_spec(size_t i, scenario_override *ov, void *ud) {
    const tornado_ctx *c = ud;
    if (i == 0) return 0;
    const tornado_bar *bar = &c->cand[(i - 1) / 2];
    ov[0] = (scenario_override){bar->pointer, i % 2 ? bar->low : bar->high};
    return 1;
}

/* The chosen metric of a run that went well; a failure's code otherwise. */
static int tornado_value(const tornado_ctx *c, int rc, const engine *e, const sib_error *err,
                         double *v, sib_error *out) {
    if (rc != SIB_OK) {
        *out = *err;
        return rc;
    }
    metric_choice m;
    rc = analysis_choose(e, c->metric, &m, out);
    if (rc == SIB_OK) *v = analysis_value(e, &m, NULL);
    return rc;
}

static int tornado_done(size_t i, int rc, const engine *e, const sib_error *err, void *ud) {
    tornado_ctx *c = ud;
    if (i == 0) {
        rc = tornado_value(c, rc, e, err, c->base, c->err);
        return rc == SIB_OK && c->n_cand == 0 ? EACH_ENOUGH : rc;
    }
    const size_t k = (i - 1) / 2;
    if (i % 2) { /* the low value: kept until the high one is in */
        c->low_rc = tornado_value(c, rc, e, err, &c->low, &c->low_err);
        return 0;
    }
    double high = NAN;
    sib_error high_err;
    int high_rc = tornado_value(c, rc, e, err, &high, &high_err);
    int bad = c->low_rc != SIB_OK ? c->low_rc : high_rc;
    const sib_error *why = c->low_rc != SIB_OK ? &c->low_err : &high_err;
    if (bad != SIB_OK) {
        /* A moved term the loader refuses (a share pushed past 1) is left
         * out; anything else ends the tornado. */
        if (k >= c->n_inputs && bad == SIB_EINVAL) return k + 1 == c->n_cand ? EACH_ENOUGH : 0;
        *c->err = *why;
        return bad;
    }
    tornado_bar *bar = &c->bars[c->n++];
    *bar = c->cand[k];
    bar->metric_low = c->low;
    bar->metric_high = high;
    return k + 1 == c->n_cand ? EACH_ENOUGH : 0;
}

/* The tornado's moves of sc into cand (room for sc->n_inputs + TORNADO_TERMS
 * bars): uncertain inputs, at their 10th and 90th percentiles; then terms,
 * +- pct. Returns their number. */
#define TORNADO_TERMS 128
static size_t tornado_moves(const scenario *sc, double pct, tornado_bar *cand) {
    term terms[TORNADO_TERMS];
    size_t nt = list_terms(sc, terms, TORNADO_TERMS);
    size_t n = 0;
    for (size_t i = 0; i < sc->n_inputs; i++) {
        const prior *p = sc->inputs[i].p;
        if (p->kind == PRIOR_FIXED) continue;
        tornado_bar *bar = &cand[n++];
        snprintf(bar->pointer, sizeof bar->pointer, "%.255s", sc->inputs[i].pointer);
        bar->is_input = 1;
        bar->low = sample_prior_quantile(p, 0.10);
        bar->high = sample_prior_quantile(p, 0.90);
        bar->metric_low = bar->metric_high = bar->swing = NAN;
    }
    for (size_t i = 0; i < nt; i++) {
        tornado_bar *bar = &cand[n++];
        snprintf(bar->pointer, sizeof bar->pointer, "%.255s", terms[i].pointer);
        bar->is_input = 0;
        /* pct of its size down and up: the low value is the lower, for a
         * term below zero too (a trigger of -10 goes to -11 .. -9). */
        const double v = terms[i].value, d = fabs(v) * pct;
        bar->low = v - d;
        bar->high = v + d;
        bar->metric_low = bar->metric_high = bar->swing = NAN;
    }
    return n;
}

int analysis_tornado_moves(const analysis_base *b, double pct, tornado_bar **moves, size_t *n,
                           sib_error *err) {
    *moves = NULL;
    *n = 0;
    scenario *sc = scenario_load_string(b->text, b->name, err);
    if (sc == NULL) return err->code;
    *moves = calloc(sc->n_inputs + TORNADO_TERMS + 1, sizeof **moves);
    if (*moves == NULL) {
        scenario_free(sc);
        return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory for a tornado");
    }
    *n = tornado_moves(sc, pct, *moves);
    scenario_free(sc);
    return SIB_OK;
}

int analysis_tornado(const analysis_base *b, const char *metric, double pct, tornado_bar *bars,
                     size_t max_bars, size_t *n_bars, double *base, sib_error *err) {
    *n_bars = 0;
    /* Every move is run, and the widest max_bars kept. */
    tornado_bar *cand;
    size_t n, ni = 0;
    int mrc = analysis_tornado_moves(b, pct, &cand, &n, err);
    if (mrc != SIB_OK) return mrc;
    while (ni < n && cand[ni].is_input) ni++; /* the inputs come first */
    tornado_bar *all = calloc(n + 1, sizeof *all); /* every bar, before the widest are kept */
    if (all == NULL) {
        free(cand);
        return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory for a tornado");
    }
    tornado_ctx c = {.metric = metric,
                     .cand = cand,
                     .n_inputs = ni,
                     .n_cand = n,
                     .bars = all,
                     .base = base,
                     .err = err};
    analysis_base one = *b; /* each run reads the metric alone */
    one.only = metric;
    int rc = run_each(&one, 1 + 2 * n, tornado_spec, tornado_done, &c, err);
    free(cand);
    if (rc != SIB_OK) {
        free(all);
        return rc;
    }
    n = c.n;
    for (size_t i = 0; i < n; i++) {
        /* Undefined at either end: no swing (NaN), never a made-up 0. */
        all[i].swing = fabs(all[i].metric_high - all[i].metric_low);
    }
    qsort(all, n, sizeof *all, bar_cmp);
    if (n > max_bars) n = max_bars;
    memcpy(bars, all, n * sizeof *bars);
    free(all);
    *n_bars = n;
    return SIB_OK;
}

/* ----------------------------------------------------------------- solve */

typedef struct solve_ctx {
    const analysis_base *b;
    const char *const *pointers;
    size_t n_pointers;
    const char *metric;
    double target;
    double last_se;
    double last_scale; /* the SE of the metric's mean at the last run (metric_at) */
    sib_error *err;
    int failed;
    /* The scenario without overrides (NULL in a cluster), and the futures
     * recorded by the first run that draws as it does, settled again by
     * each such run after (engine_draws). */
    const scenario *base;
    engine_draws *draws;
    /* The last SOLVE_SEEN values x run, with f(x) and the run's last_se
     * and last_scale: a run at the same x gives the same (one seed, the
     * same futures), so solve_jump's look at the final bracket's ends,
     * which the search has run, runs nothing. */
#define SOLVE_SEEN 8
    double seen_x[SOLVE_SEEN], seen_f[SOLVE_SEEN], seen_se[SOLVE_SEEN], seen_scale[SOLVE_SEEN];
    size_t n_seen;
} solve_ctx;

/* metric(x) - target, by a run at the common seed. NaN stops the solver. */
static double solve_f(double x, void *params) {
    solve_ctx *c = params;
    for (size_t k = 0; k < c->n_seen && k < SOLVE_SEEN; k++)
        if (c->seen_x[k] == x) {
            c->last_se = c->seen_se[k];
            c->last_scale = c->seen_scale[k];
            return c->seen_f[k];
        }
    scenario_override ov[16];
    size_t n = c->n_pointers < 16 ? c->n_pointers : 16;
    for (size_t k = 0; k < n; k++) ov[k] = (scenario_override){c->pointers[k], x};
    double v, se, scale;
    if (metric_at(c->b, ov, n, c->metric, c->base, &c->draws, &v, &se, &scale, c->err) !=
        SIB_OK) {
        c->failed = 1;
        return NAN;
    }
    c->last_se = se;
    c->last_scale = scale;
    const size_t k = c->n_seen++ % SOLVE_SEEN;
    c->seen_x[k] = x;
    c->seen_f[k] = v - c->target;
    c->seen_se[k] = se;
    c->seen_scale[k] = scale;
    return v - c->target;
}

/* Whether the final bracket of a search that converged holds a root or a
 * jump past the target: the metric at its two ends differs by more than
 * its Monte Carlo noise at the root (the standard error of its mean, for
 * a quantile too; 0 when not estimated) and a thousandth of its change
 * over the whole range. A continuous metric changes by about a millionth
 * of the range across the bracket; a step of one future's worth, or of
 * noise drawn anew when a prior moves, is within the noise; a term that
 * moves every future at once (a lag by whole periods) is neither. Called
 * right after the run at the root (c->last_scale is its noise); change is
 * the metric's change over the range searched. */
static int solve_jump(solve_ctx *c, double change, solve_result *out) {
    const double noise = c->last_scale;
    const double f_lo = solve_f(out->lo, c);
    if (c->failed) return c->err->code;
    const double f_hi = solve_f(out->hi, c);
    if (c->failed) return c->err->code;
    const double d = fabs(f_hi - f_lo);
    const double tol = fmax(isfinite(noise) ? noise : 0, 1e-3 * change);
    if (d > tol && (f_lo > 0) != (f_hi > 0)) {
        out->found = 0;
        out->jump = 1;
        out->f_jump_lo = f_lo;
        out->f_jump_hi = f_hi;
    }
    return SIB_OK;
}

/* Brent's method on [lo, hi], where metric - target changes sign: the
 * root into out (value, metric, se, the final bracket, iterations, found),
 * then the look for a jump (solve_jump, change the metric's change over
 * the range). */
static int solve_brent(solve_ctx *c, double lo, double hi, double xtol, double change,
                       solve_result *out) {
    sib_error *err = c->err;
    const double target = c->target;
    out->lo = lo;
    out->hi = hi;
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (s == NULL) return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    gsl_function F = {.function = solve_f, .params = c};
    int rc = SIB_OK;
    int st0 = gsl_root_fsolver_set(s, &F, lo, hi);
    if (st0 != GSL_SUCCESS) {
        rc = c->failed ? err->code
                       : sib_error_set(err, SIB_ENUMERIC, NULL, "the solver could not start: %s",
                                       gsl_strerror(st0));
    } else {
        for (int it = 1; it <= 100; it++) {
            int st = gsl_root_fsolver_iterate(s);
            out->iterations = it;
            if (c->failed) {
                rc = err->code;
                break;
            }
            if (st != GSL_SUCCESS) {
                rc = sib_error_set(err, SIB_ENUMERIC, NULL, "the solver failed: %s", gsl_strerror(st));
                break;
            }
            out->lo = gsl_root_fsolver_x_lower(s);
            out->hi = gsl_root_fsolver_x_upper(s);
            if (gsl_root_test_interval(out->lo, out->hi, xtol, 0) == GSL_SUCCESS) break;
        }
    }
    if (rc == SIB_OK) {
        out->value = gsl_root_fsolver_root(s);
        double f = solve_f(out->value, c);
        if (c->failed) rc = err->code;
        out->metric = f + target;
        out->se = c->last_se;
        out->found = 1;
    }
    gsl_root_fsolver_free(s);
    if (rc == SIB_OK) rc = solve_jump(c, change, out);
    return rc;
}

/* analysis_solve's search, with c set up. */
static int solve_in(solve_ctx *c, double lo, double hi, double xtol, solve_result *out) {
    sib_error *err = c->err;
    const double target = c->target;
    out->lo = lo;
    out->hi = hi;
    out->f_lo = solve_f(lo, c);
    if (c->failed) return err->code;
    const double se_lo = c->last_se; /* each end's own, for a root there */
    out->f_hi = solve_f(hi, c);
    if (c->failed) return err->code;
    const double se_hi = c->last_se;
    if (isnan(out->f_lo) || isnan(out->f_hi))
        return sib_error_set(err, SIB_EINVAL, NULL,
                             "metric \"%s\" is undefined at %s %.8g: no future defines it "
                             "there, so solve cannot tell where it crosses the target",
                             c->metric, isnan(out->f_lo) ? "the low end of the range," :
                                                           "the high end of the range,",
                             isnan(out->f_lo) ? lo : hi);
    if (out->f_lo == 0 || out->f_hi == 0) {
        /* The target met at an end: that end, its own SE (not the last
         * run's, the other end's), and a bracket that is the end alone. */
        out->value = out->f_lo == 0 ? lo : hi;
        out->found = 1;
        out->metric = target;
        out->se = out->f_lo == 0 ? se_lo : se_hi;
        out->lo = out->hi = out->value;
        return SIB_OK;
    }
    if ((out->f_lo > 0) == (out->f_hi > 0)) {
        /* Not bracketed: found = 0. Under common random numbers a metric
         * that a cap or trigger holds still is exactly equal at every
         * point: say so, rather than suggest a wider range. */
        const double x_mid = 0.5 * (lo + hi);
        double mid = solve_f(x_mid, c);
        if (c->failed) return err->code;
        const double se_mid = c->last_se;
        out->f_mid = mid;
        if (mid == 0) { /* the target met exactly in the middle */
            out->value = out->lo = out->hi = x_mid;
            out->found = 1;
            out->metric = target;
            out->se = se_mid;
            return SIB_OK;
        }
        if ((mid > 0) != (out->f_lo > 0)) {
            /* The ends on one side, the middle on the other: the metric
             * rises and falls over the range (a gate's threshold: too low
             * scales up weak programmes, too high stops good ones) and
             * crosses the target in each half. Both are answers. */
            const double change = fmax(fabs(mid - out->f_lo), fabs(mid - out->f_hi));
            solve_result upper = *out;
            int rc = solve_brent(c, x_mid, hi, xtol, change, &upper);
            if (rc != SIB_OK) return rc;
            const double f_lo = out->f_lo, f_hi = out->f_hi;
            rc = solve_brent(c, lo, x_mid, xtol, change, out);
            out->f_lo = f_lo; /* at the range's ends, as when not found */
            out->f_hi = f_hi;
            if (rc == SIB_OK && !out->found && upper.found) {
                /* The lower half closed on a jump: the upper crossing is
                 * the answer, and the jump the other. */
                solve_result lower = *out;
                *out = upper;
                upper = lower;
            }
            out->f_lo = f_lo;
            out->f_hi = f_hi;
            out->twice = 1;
            out->found2 = upper.found;
            out->value2 = upper.value;
            out->metric2 = upper.metric;
            out->se2 = upper.se;
            return rc;
        }
        out->flat = mid == out->f_lo && mid == out->f_hi ? 2 : (mid == out->f_lo || mid == out->f_hi);
        /* Past which end the target may lie: the end where |metric -
         * target| is smaller, unless the metric is held still there (the
         * middle equals it). Held at the FARTHER end only, it still moves
         * at the nearer one, toward the target: a cap at the top of a price
         * range does not put a target below the bottom out of reach. */
        const double near_lo = fabs(out->f_lo), near_hi = fabs(out->f_hi);
        if (out->flat != 2 && near_lo != near_hi) {
            const int lo_nearer = near_lo < near_hi;
            const int held = lo_nearer ? mid == out->f_lo : mid == out->f_hi;
            out->widen = held ? 0 : lo_nearer ? -1 : 1;
        }
        return SIB_OK;
    }

    return solve_brent(c, lo, hi, xtol, fabs(out->f_hi - out->f_lo), out);
}

int analysis_solve(const analysis_base *b, const char *const *pointers, size_t n_pointers,
                   double lo, double hi, const char *metric, double target, double xtol,
                   solve_result *out, sib_error *err) {
    memset(out, 0, sizeof *out);
    if (n_pointers == 0 || n_pointers > 16)
        return sib_error_set(err, SIB_EINVAL, NULL, "solve moves 1 to 16 parameters together");
    /* One term twice is a slip (another term was meant), as in a sweep. */
    for (size_t i = 1; i < n_pointers; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(pointers[i], pointers[j]) == 0) {
                if (err != NULL && b->name != NULL)
                    snprintf(err->file, sizeof err->file, "%s", b->name);
                return sib_error_set(err, SIB_EINVAL, pointers[i],
                                     "the same term given twice as --param: solve moves "
                                     "different terms together, each once");
            }
    analysis_base one = *b; /* each run reads the metric alone */
    one.only = metric;
    if (lo > hi) { /* the same range, its ends in order (Brent's method wants lo < hi) */
        double t = lo;
        lo = hi;
        hi = t;
    }
    solve_ctx c = {.b = &one,
                   .pointers = pointers,
                   .n_pointers = n_pointers,
                   .metric = metric,
                   .target = target,
                   .last_se = NAN,
                   .last_scale = NAN,
                   .err = err};
    /* Terms that leave the draws alike (draws_as, value by value): the
     * first run records its futures and the others settle them again,
     * each run's figures those it has alone. Not in a cluster, whose
     * processes each hold their own share. */
    sib_error ignored;
    scenario *base = engine_in_cluster() ? NULL : load_for(&one, NULL, 0, &ignored);
    c.base = base;
    int rc = solve_in(&c, lo, hi, xtol, out);
    engine_draws_free(c.draws);
    scenario_free(base);
    return rc;
}

/* -------------------------------------------------------------- converge */

int analysis_converge(const analysis_base *b, const char *metric, double precision,
                      uint64_t max_paths, converge_fn fn, void *ud, uint64_t *paths_out,
                      int *reached, sib_error *err) {
    *reached = 0;
    *paths_out = 0;
    scenario *sc = scenario_load_string(b->text, b->name, err);
    if (sc == NULL) return err->code;
    if (b->have_seed) sc->sim.seed = b->seed;
    engine *e = engine_new(sc, err);
    int rc = e ? SIB_OK : err->code;
    metric_choice m;
    if (rc == SIB_OK) rc = analysis_choose(e, metric, &m, err);
    if (rc == SIB_OK) rc = engine_keep_only(e, &m.index, 1, err); /* fn reads it alone */
    /* 1024, 2048, ... paths, the last capped at max_paths: every run but
     * the last ends on a whole block, so each extends the one before. */
    for (uint64_t n = ENGINE_BLOCK_PATHS; rc == SIB_OK; n *= 2) {
        if (n > max_paths) n = max_paths;
        if ((rc = engine_run(e, n, b->threads, NULL, NULL, err)) != SIB_OK) break;
        *paths_out = n;
        double se;
        analysis_value(e, &m, &se);
        if (fn && fn(n, e, ud)) break;
        if (!isnan(se) && se <= precision) {
            *reached = 1;
            break;
        }
        if (n >= max_paths) break;
    }
    engine_free(e);
    scenario_free(sc);
    return rc;
}

/* ---------------------------------------------------- value of the pilot */

int analysis_pilot_value(const analysis_base *b, analysis_run *out, scenario **committed,
                         sib_error *err) {
    out->sc = NULL;
    out->e = NULL;
    *committed = NULL;
    scenario *gated = scenario_load_string(b->text, b->name, err);
    if (gated == NULL) return err->code;
    scenario *all = scenario_load_string(b->text, b->name, err);
    if (all == NULL) {
        scenario_free(gated);
        return err->code;
    }
    /* Name the two plainly: reports show them as A and B. */
    char *renamed = malloc(strlen(all->name) + 40);
    if (renamed != NULL) {
        sprintf(renamed, "%s, every stage committed up front", all->name);
        free(all->name);
        all->name = renamed;
    }
    int gates = 0;
    for (size_t s = 0; s < all->n_stages; s++) {
        gates += all->stages[s].gate.present;
        all->stages[s].gate.present = false; /* everything commissioned up front */
    }
    if (!gates) {
        scenario_free(gated);
        scenario_free(all);
        return sib_error_set(err, SIB_EINVAL, "/stages",
                             "no stage has a gate: there is no decision for the pilot to inform");
    }
    scenario *both[2] = {all, gated};
    for (int k = 0; k < 2; k++) {
        if (b->paths) both[k]->sim.paths = b->paths;
        if (b->have_seed) both[k]->sim.seed = b->seed;
    }
    engine *e = engine_new_compare(all, gated, NULL, err);
    int rc = e ? engine_run(e, all->sim.paths, b->threads, NULL, NULL, err) : err->code;
    if (rc != SIB_OK) {
        engine_free(e);
        scenario_free(gated);
        scenario_free(all);
        return rc;
    }
    out->sc = gated;
    out->e = e;
    *committed = all;
    return SIB_OK;
}
