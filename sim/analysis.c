/* analysis.c -- what every analysis runs on: choosing a metric, runs of
 * one scenario text with overrides on a common seed, and many such runs
 * side by side (analysis_internal.h); and the analyses that are little
 * more than that: sweeps, convergence and the value of the pilot. The
 * tornado is in tornado.c, solving for a term in solve.c; the contracts
 * are in analysis.h. */
#include "analysis.h"
#include "analysis_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/suggest.h"

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

scenario *an_load_for(const analysis_base *b, const scenario_override *ov, size_t n_ov,
                      sib_error *err) {
    scenario *sc = scenario_load_string_with(b->text, b->name, ov, n_ov, err);
    if (sc == NULL) return NULL;
    if (b->paths) sc->sim.paths = b->paths;
    if (b->have_seed) sc->sim.seed = b->seed;
    return sc;
}

int an_draws_as(const scenario *base, const scenario *sc) {
    return base != NULL && sc != NULL && engine_scenarios_draw_alike(base, sc) &&
           sc->sim.seed == base->sim.seed && sc->sim.paths == base->sim.paths &&
           strcmp(sc->sim.rng, base->sim.rng) == 0;
}

int an_open_run(const analysis_base *b, const scenario_override *ov, size_t n_ov, analysis_run *out,
                sib_error *err) {
    out->e = NULL;
    if ((out->sc = an_load_for(b, ov, n_ov, err)) == NULL) return err->code;
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
    int rc = an_open_run(b, ov, n_ov, out, err);
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

/* an_run_each's families: at most this many runs a family. */
#define EACH_FAMILY 4

size_t an_draws_max(const analysis_base *b) {
    return b->draws_max ? b->draws_max : ANALYSIS_DRAWS_MAX;
}

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
        if ((sl->rc = an_open_run(b, ov, n_ov, &sl->r, &sl->err)) != SIB_OK) continue;
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
 * does (an_draws_as): alike[i]. Each run's scenario is loaded here once more
 * (a fraction of a millisecond). None does in a cluster, where every run
 * goes alone. */
static void each_alike(const analysis_base *b, size_t total, each_spec_fn spec, void *ud,
                       unsigned char *alike) {
    sib_error err;
    scenario *base = engine_in_cluster() ? NULL : an_load_for(b, NULL, 0, &err);
    for (size_t i = 0; base != NULL && i < total; i++) {
        scenario_override ov[EACH_MAX_OV];
        size_t n = spec(i, ov, ud);
        scenario *sc = an_load_for(b, ov, n, &err);
        alike[i] = (unsigned char)an_draws_as(base, sc);
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
    if ((sl->rc = an_open_run(b, ov, n, &sl->r, &sl->err)) != SIB_OK) return NULL;
    const uint64_t paths = sl->r.sc->sim.paths;
    engine_draws *d = engine_draws_new(sl->r.e, paths, an_draws_max(b));
    sl->rc = d ? engine_run_recorded(sl->r.e, d, paths, b->threads, &sl->err)
               : engine_run(sl->r.e, paths, b->threads, NULL, NULL, &sl->err);
    if (sl->rc != SIB_OK) {
        analysis_free_run(&sl->r);
        engine_draws_free(d);
        return NULL;
    }
    return d;
}

/* What an_run_each holds throughout: its plan and the recording. */
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
int an_run_each(const analysis_base *b, size_t total, each_spec_fn spec, each_done_fn done,
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
    return an_run_each(b, total, sweep_spec, sweep_done, &c, err);
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
