/* runner.c -- the parallel block runner: engine_run.
 *
 * A run's paths are cut into blocks of ENGINE_BLOCK_PATHS; block k draws
 * from generators seeded from (seed, k) (engine_seed_worker), whichever
 * thread or process simulates it. Worker threads claim blocks and fill a
 * window of slots; blocks are merged into the accumulators strictly in
 * block order (commit_block), so a run is bit-identical whatever the
 * number of threads. In a cluster run (engine_use_cluster) each process
 * simulates the blocks k with k % size == rank, and process 0 merges every
 * block in order -- its own from the window, the others' as they arrive --
 * so the result is the one process's, for any number of processes; then
 * every process loads process 0's state (state.c), so that what comes next
 * (an analysis choosing its next point) is the same everywhere.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "sample.h"

/* ------------------------------------------------------------ the runner */

typedef struct run {
    engine *e;
    uint64_t total;      /* target paths */
    uint64_t next_block; /* next block to hand out */
    uint64_t commit;     /* next block to commit */
    uint64_t end_block;  /* one past the last block */
    unsigned window;     /* reorder slots */
    size_t width;        /* doubles a path's row holds (engine.h, engine_paths_fn) */
    size_t aux;          /* offset of the IRR statuses in a row */
    size_t in_at;        /* offset of the inputs in a row (when observed) */
    size_t flows;        /* doubles of a block's flow sums, A's then B's */
    double *slots;       /* window * ENGINE_BLOCK_PATHS * width values */
    double *slot_flows;  /* window * flows values */
    uint32_t *slot_paths; /* paths in the slot's block; 0 = not ready */
    engine_progress_fn progress;
    void *ud;
    int cancelled, failed;
    int committing; /* a thread is merging blocks into the accumulators */
    pthread_mutex_t lock;
    pthread_cond_t cond;
} run;

/* Merge one block into the accumulators, in path order. */
static void commit_block(run *r, const double *buf, const double *flows, uint64_t first,
                         uint32_t n) {
    engine *e = r->e, *t = e->twin;
    /* Metric by metric, each over the block's paths in path order: the
     * same values in the same order as path by path, with one accumulator
     * in cache at a time. */
    for (size_t q = 0; q < e->n_per_path; q++) {
        size_t i = e->per_path[q];
        stats_acc_add_block(e->acc[i], buf + i, n, r->width);
    }
    for (uint32_t j = 0; j < n; j++) {
        const double *row = buf + (size_t)j * r->width;
        const double *st = row + r->aux;
        for (engine *x = e; x; x = x->twin) {
            for (size_t U = 0; U < x->n_units; U++) {
                size_t s = (size_t)st[U];
                if (s < IRR_STATUSES) x->irr_status[U * IRR_STATUSES + s]++;
            }
            st += x->n_units;
        }
        e->batch_n[(first + j) % ENGINE_BATCHES]++;
    }
    metrics_commit_ratios(e, buf, r->width, first, n);
    if (t) metrics_commit_ratios(t, buf + e->n_own, r->width, first, n);
    size_t na = e->n_units * ENGINE_BATCHES * e->periods;
    for (size_t k = 0; k < na; k++) e->flow_sums[k] += flows[k];
    if (t)
        for (size_t k = 0; k < t->n_units * ENGINE_BATCHES * t->periods; k++)
            t->flow_sums[k] += flows[na + k];
}

/* Commit every ready block at the head of the window, in block order.
 * Called with the lock held; returns with it held. One thread at a time is
 * the committer: it merges a block into the accumulators with the lock
 * released, so that the other workers can hand in and claim blocks
 * meanwhile (the merge is the one serial part of a run). */
static void commit_ready(run *r) {
    engine *e = r->e;
    if (r->committing) return; /* the committer will find our block too */
    r->committing = 1;
    while (!r->cancelled && r->commit < r->end_block &&
           r->slot_paths[r->commit % r->window] != 0) {
        size_t s = r->commit % r->window;
        uint32_t n = r->slot_paths[s];
        const double *buf = r->slots + s * ENGINE_BLOCK_PATHS * r->width;
        uint64_t first = r->commit * ENGINE_BLOCK_PATHS;
        pthread_mutex_unlock(&r->lock);
        commit_block(r, buf, r->slot_flows + s * r->flows, first, n);
        int stop = e->observe && e->observe(first, n, buf, r->width, e->observe_ud);
        pthread_mutex_lock(&r->lock);
        e->done += n;
        r->slot_paths[s] = 0;
        r->commit++;
        if (stop) r->cancelled = 1;
        if (r->progress && !r->cancelled && r->progress(e->done, r->total, r->ud))
            r->cancelled = 1;
        pthread_cond_broadcast(&r->cond);
    }
    r->committing = 0;
}

static void *run_worker(void *arg) {
    run *r = arg;
    engine *e = r->e;
    worker *w = worker_new(e);
    worker *w2 = e->twin ? worker_new(e->twin) : NULL;
    double *tmp = e->twin ? calloc(e->twin->n_metrics + 1, sizeof *tmp) : NULL;
    pthread_mutex_lock(&r->lock);
    if (w == NULL || (e->twin && (w2 == NULL || tmp == NULL))) r->failed = 1;
    for (;;) {
        while (!r->cancelled && !r->failed && r->next_block < r->end_block &&
               r->next_block >= r->commit + r->window)
            pthread_cond_wait(&r->cond, &r->lock);
        if (r->cancelled || r->failed || r->next_block >= r->end_block) break;
        uint64_t k = r->next_block++;
        pthread_mutex_unlock(&r->lock);

        uint64_t first = k * ENGINE_BLOCK_PATHS;
        uint64_t n = r->total - first < ENGINE_BLOCK_PATHS ? r->total - first : ENGINE_BLOCK_PATHS;
        double *buf = r->slots + (k % r->window) * ENGINE_BLOCK_PATHS * r->width;
        double *flows = r->slot_flows + (k % r->window) * r->flows;
        memset(flows, 0, r->flows * sizeof *flows);
        double *flows_b = flows + e->n_units * ENGINE_BATCHES * e->periods;
        engine_seed_worker(e, w, k);
        if (w2) engine_seed_worker(e, w2, k); /* the twin on A's streams: common random numbers */
        for (uint64_t j = 0; j < n; j++) {
            double *row = buf + j * r->width;
            path_simulate(e, w);
            metrics_of_path(e, w, row);
            metrics_add_flows(e, w, first + j, flows);
            double *aux = row + r->aux;
            memcpy(aux, w->irr_status, e->n_units * sizeof *aux);
            if (e->observe)
                memcpy(row + r->in_at, w->x, e->sc->n_inputs * sizeof *row);
            if (w2) {
                const size_t nt = e->twin->n_metrics;
                path_simulate(e->twin, w2);
                metrics_of_path(e->twin, w2, tmp);
                metrics_add_flows(e->twin, w2, first + j, flows_b);
                memcpy(row + e->n_own, tmp, nt * sizeof *tmp);
                for (size_t d = 0; d < e->n_diff; d++)
                    row[e->n_own + nt + d] = tmp[e->diff_twin[d]] - row[e->diff_own[d]];
                memcpy(aux + e->n_units, w2->irr_status, e->twin->n_units * sizeof *aux);
                if (e->observe)
                    memcpy(row + r->in_at + e->sc->n_inputs, w2->x,
                           e->twin->sc->n_inputs * sizeof *row);
            }
        }

        pthread_mutex_lock(&r->lock);
        r->slot_paths[k % r->window] = (uint32_t)n;
        commit_ready(r);
        pthread_cond_broadcast(&r->cond);
    }
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
    worker_free(w);
    worker_free(w2);
    free(tmp);
    return NULL;
}

int engine_run(engine *e, uint64_t total_paths, unsigned threads, engine_progress_fn progress,
               void *ud, sib_error *err) {
    if (total_paths <= e->done) return SIB_OK;
    if (e->done % ENGINE_BLOCK_PATHS != 0)
        return sib_error_set(err, SIB_EINVAL, NULL,
                             "cannot extend a run of %llu paths: extensions need whole blocks "
                             "of %u paths",
                             (unsigned long long)e->done, ENGINE_BLOCK_PATHS);
    if (threads == 0) threads = 1;
    const engine *t = e->twin;
    size_t units = e->n_units + (t ? t->n_units : 0);
    size_t inputs = e->observe ? e->sc->n_inputs + (t ? t->sc->n_inputs : 0) : 0;
    run r = {.e = e,
             .total = total_paths,
             .next_block = e->done / ENGINE_BLOCK_PATHS,
             .commit = e->done / ENGINE_BLOCK_PATHS,
             .end_block = (total_paths + ENGINE_BLOCK_PATHS - 1) / ENGINE_BLOCK_PATHS,
             .window = 2 * threads + 2,
             .aux = e->n_metrics,
             .in_at = e->n_metrics + units,
             .width = e->n_metrics + units + inputs,
             .flows = (e->n_units * e->periods + (t ? t->n_units * t->periods : 0)) *
                      ENGINE_BATCHES,
             .progress = progress,
             .ud = ud};
    r.slots = malloc((size_t)r.window * ENGINE_BLOCK_PATHS * r.width * sizeof *r.slots);
    r.slot_flows = malloc(((size_t)r.window * r.flows + 1) * sizeof *r.slot_flows);
    r.slot_paths = calloc(r.window, sizeof *r.slot_paths);
    if (r.slots == NULL || r.slot_flows == NULL || r.slot_paths == NULL) {
        free(r.slots);
        free(r.slot_flows);
        free(r.slot_paths);
        return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory for the run's buffers");
    }
    pthread_mutex_init(&r.lock, NULL);
    pthread_cond_init(&r.cond, NULL);

    pthread_t *tid = calloc(threads, sizeof *tid);
    unsigned started = 0;
    if (tid != NULL)
        for (; started + 1 < threads; started++)
            if (pthread_create(&tid[started], NULL, run_worker, &r) != 0) break;
    run_worker(&r); /* the calling thread works too */
    for (unsigned i = 0; i < started; i++) pthread_join(tid[i], NULL);
    free(tid);

    pthread_mutex_destroy(&r.lock);
    pthread_cond_destroy(&r.cond);
    free(r.slots);
    free(r.slot_flows);
    free(r.slot_paths);
    if (r.failed) return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory in a worker thread");
    if (r.cancelled) return sib_error_set(err, SIB_ECANCEL, NULL, "run cancelled");
    return SIB_OK;
}
