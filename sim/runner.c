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

/* The cluster this process belongs to (engine_use_cluster); NULL: alone. */
static const engine_cluster *cluster;

void engine_use_cluster(const engine_cluster *c) { cluster = c && c->size > 1 ? c : NULL; }

int engine_cluster_rank(void) { return cluster ? cluster->rank : 0; }

int engine_in_cluster(void) { return cluster != NULL; }

typedef struct run {
    engine *e;
    uint64_t total;      /* target paths */
    uint64_t next_block; /* next block of this process to hand out */
    uint64_t commit;     /* next block to commit (alone) */
    uint64_t end_block;  /* one past the last block */
    /* This process's blocks: first, first + stride, ... (alone: every block).
     * A block's slot is its place in that sequence, modulo the window. */
    uint64_t first, stride;
    uint64_t released;    /* blocks of this process whose slots are free again */
    unsigned window;      /* reorder slots */
    size_t width;         /* doubles a path's row holds (engine.h, engine_paths_fn) */
    size_t aux;           /* offset of the IRR statuses in a row */
    size_t in_at;         /* offset of the inputs in a row (when observed) */
    size_t flows;         /* doubles of a block's flow sums, A's then B's */
    double *slots;        /* window * ENGINE_BLOCK_PATHS * width values */
    double *slot_flows;   /* window * flows values */
    uint32_t *slot_paths; /* paths in the slot's block; 0 = not ready */
    engine_progress_fn progress;
    void *ud;
    int cancelled, failed;
    int committing; /* a thread is merging blocks into the accumulators */
    /* The block being merged, shared out in chunks of metrics (commit_block):
     * the committer and any worker with nothing to simulate take chunks
     * until none is left. No job when job_chunks is 0. */
    const double *job_buf;
    uint32_t job_n;
    size_t job_next, job_done, job_chunks;
    pthread_mutex_t lock;
    pthread_cond_t cond;
} run;

static size_t slot_of(const run *r, uint64_t k) {
    return (size_t)(((k - r->first) / r->stride) % r->window);
}

/* Paths in block k. */
static uint32_t block_paths(const run *r, uint64_t k) {
    uint64_t first = k * ENGINE_BLOCK_PATHS;
    return (uint32_t)(r->total - first < ENGINE_BLOCK_PATHS ? r->total - first
                                                            : ENGINE_BLOCK_PATHS);
}

/* Metrics a chunk of a merge holds: enough that taking one (under the
 * lock) costs little beside adding 1,024 values to each. */
#define COMMIT_CHUNK 8

/* Take chunks of the current merge job and add them, until none is left.
 * Called without the lock. Each metric is one accumulator, filled by one
 * thread with the block's values in path order, so a merge shared out this
 * way leaves every accumulator as one thread would have: results do not
 * depend on who helped. */
static void help_commit(run *r) {
    engine *e = r->e;
    for (;;) {
        pthread_mutex_lock(&r->lock);
        if (r->job_next >= r->job_chunks) {
            pthread_mutex_unlock(&r->lock);
            return;
        }
        const size_t c = r->job_next++;
        const double *buf = r->job_buf;
        const uint32_t n = r->job_n;
        pthread_mutex_unlock(&r->lock);
        const size_t end = (c + 1) * COMMIT_CHUNK < e->n_per_path ? (c + 1) * COMMIT_CHUNK
                                                                  : e->n_per_path;
        for (size_t q = c * COMMIT_CHUNK; q < end; q++) {
            size_t i = e->per_path[q];
            stats_acc_add_block(e->acc[i], buf + i, n, r->width);
        }
        pthread_mutex_lock(&r->lock);
        if (++r->job_done == r->job_chunks) pthread_cond_broadcast(&r->cond);
        pthread_mutex_unlock(&r->lock);
    }
}

/* A merge job has chunks left to take (called with the lock held). */
static int job_open(const run *r) { return r->job_next < r->job_chunks; }

/* Merge one block into the accumulators, in path order. Called without the
 * lock, by one thread at a time (the committer). */
static void commit_block(run *r, const double *buf, const double *flows, uint64_t first,
                         uint32_t n) {
    engine *e = r->e, *t = e->twin;
    /* Metric by metric, each over the block's paths in path order: the
     * same values in the same order as path by path, with one accumulator
     * in cache at a time. The metrics are shared out in chunks with the
     * workers that have no block to simulate (at the end of a run, or when
     * the window waits for this merge): the merge is the one serial part of
     * a run, and a run of a few blocks (the TUI's first estimate) spends
     * half its time in it. */
    pthread_mutex_lock(&r->lock);
    r->job_buf = buf;
    r->job_n = n;
    r->job_next = r->job_done = 0;
    r->job_chunks = (e->n_per_path + COMMIT_CHUNK - 1) / COMMIT_CHUNK;
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
    help_commit(r);
    pthread_mutex_lock(&r->lock);
    while (r->job_done < r->job_chunks) pthread_cond_wait(&r->cond, &r->lock);
    r->job_chunks = r->job_next = r->job_done = 0;
    pthread_mutex_unlock(&r->lock);
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
    while (!r->cancelled && r->commit < r->end_block && r->slot_paths[slot_of(r, r->commit)] != 0) {
        size_t s = slot_of(r, r->commit);
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
        r->released++;
        if (stop) r->cancelled = 1;
        if (r->progress && !r->cancelled && r->progress(e->done, r->total, r->ud)) r->cancelled = 1;
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
        /* Nothing to simulate -- the window waits for merges, or every
         * block is handed out -- but a merge to help with: help. Alone,
         * wait so until every block is merged (in a cluster the main
         * thread merges, and waits for no one). */
        const int window_full =
            r->next_block < r->end_block &&
            (r->next_block - r->first) / r->stride >= r->released + r->window;
        const int idle = window_full || (r->next_block >= r->end_block && cluster == NULL &&
                                         r->commit < r->end_block);
        if (!r->cancelled && !r->failed && idle) {
            if (job_open(r)) {
                pthread_mutex_unlock(&r->lock);
                help_commit(r);
                pthread_mutex_lock(&r->lock);
            } else {
                pthread_cond_wait(&r->cond, &r->lock);
            }
            continue;
        }
        if (r->cancelled || r->failed || r->next_block >= r->end_block) break;
        uint64_t k = r->next_block;
        r->next_block += r->stride;
        pthread_mutex_unlock(&r->lock);

        uint64_t first = k * ENGINE_BLOCK_PATHS;
        uint64_t n = block_paths(r, k);
        double *buf = r->slots + slot_of(r, k) * ENGINE_BLOCK_PATHS * r->width;
        double *flows = r->slot_flows + slot_of(r, k) * r->flows;
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
            if (r->width > r->in_at) memcpy(row + r->in_at, w->x, e->sc->n_inputs * sizeof *row);
            if (w2) {
                const size_t nt = e->twin->n_metrics;
                path_simulate(e->twin, w2);
                metrics_of_path(e->twin, w2, tmp);
                metrics_add_flows(e->twin, w2, first + j, flows_b);
                memcpy(row + e->n_own, tmp, nt * sizeof *tmp);
                for (size_t d = 0; d < e->n_diff; d++)
                    row[e->n_own + nt + d] = tmp[e->diff_twin[d]] - row[e->diff_own[d]];
                memcpy(aux + e->n_units, w2->irr_status, e->twin->n_units * sizeof *aux);
                if (r->width > r->in_at)
                    memcpy(row + r->in_at + e->sc->n_inputs, w2->x,
                           e->twin->sc->n_inputs * sizeof *row);
            }
        }

        pthread_mutex_lock(&r->lock);
        r->slot_paths[slot_of(r, k)] = (uint32_t)n;
        if (cluster == NULL) commit_ready(r); /* in a cluster, the main thread hands blocks on */
        pthread_cond_broadcast(&r->cond);
    }
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
    worker_free(w);
    worker_free(w2);
    free(tmp);
    return NULL;
}

/* Wait (under the lock) until block k of this process is in its slot. */
static int wait_ready(run *r, uint64_t k) {
    pthread_mutex_lock(&r->lock);
    while (!r->failed && r->slot_paths[slot_of(r, k)] == 0) pthread_cond_wait(&r->cond, &r->lock);
    int ok = !r->failed;
    pthread_mutex_unlock(&r->lock);
    return ok;
}

/* Free block k's slot for the workers. */
static void release(run *r, uint64_t k) {
    pthread_mutex_lock(&r->lock);
    r->slot_paths[slot_of(r, k)] = 0;
    r->released++;
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
}

/* A process of a cluster run, on its main thread while the workers
 * simulate: process 0 merges every block in block order, its own from the
 * window and the others' as they arrive; another process sends its blocks
 * to process 0 in its own order (rows, then flow sums). Returns SIB_OK, or
 * an error after which the cluster cannot go on (its fail ends every
 * process). */
static int cluster_loop(run *r, sib_error *err) {
    const engine_cluster *c = cluster;
    engine *e = r->e;
    const size_t row_bytes = r->width * sizeof(double), flow_bytes = r->flows * sizeof(double);
    if (c->rank != 0) {
        for (uint64_t k = r->first; k < r->end_block; k += r->stride) {
            if (!wait_ready(r, k))
                return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory in a worker thread");
            const size_t s = slot_of(r, k);
            const uint32_t n = r->slot_paths[s];
            if (c->send(c->ud, k, r->slots + s * ENGINE_BLOCK_PATHS * r->width, n * row_bytes) !=
                    0 ||
                c->send(c->ud, k, r->slot_flows + s * r->flows, flow_bytes) != 0)
                return sib_error_set(err, SIB_EIO, NULL, "cannot send block %llu to process 0",
                                     (unsigned long long)k);
            release(r, k);
        }
        return SIB_OK;
    }
    double *rows = malloc(ENGINE_BLOCK_PATHS * row_bytes + 1), *flows = malloc(flow_bytes + 1);
    int rc = SIB_OK;
    if (rows == NULL || flows == NULL)
        rc = sib_error_set(err, SIB_ENOMEM, NULL, "out of memory for a block");
    for (uint64_t k = r->e->done / ENGINE_BLOCK_PATHS; rc == SIB_OK && k < r->end_block; k++) {
        const uint32_t n = block_paths(r, k);
        const int from = (int)(k % (uint64_t)c->size);
        const double *b = rows, *f = flows;
        if (from == 0) {
            if (!wait_ready(r, k)) {
                rc = sib_error_set(err, SIB_ENOMEM, NULL, "out of memory in a worker thread");
                break;
            }
            b = r->slots + slot_of(r, k) * ENGINE_BLOCK_PATHS * r->width;
            f = r->slot_flows + slot_of(r, k) * r->flows;
        } else if (c->recv(c->ud, k, from, rows, n * row_bytes) != 0 ||
                   c->recv(c->ud, k, from, flows, flow_bytes) != 0) {
            rc = sib_error_set(err, SIB_EIO, NULL, "cannot receive block %llu from process %d",
                               (unsigned long long)k, from);
            break;
        }
        const uint64_t first = k * ENGINE_BLOCK_PATHS;
        commit_block(r, b, f, first, n);
        int stop = e->observe && e->observe(first, n, b, r->width, e->observe_ud);
        e->done += n;
        if (stop || (r->progress && r->progress(e->done, r->total, r->ud)))
            rc = sib_error_set(err, SIB_ECANCEL, NULL, "run cancelled");
        if (from == 0) release(r, k);
    }
    free(rows);
    free(flows);
    return rc;
}

/* Every process of a cluster takes process 0's state (state.c), so that
 * each holds the whole run. */
static int cluster_share(engine *e, sib_error *err) {
    const engine_cluster *c = cluster;
    unsigned char *buf = NULL;
    size_t len = 0;
    if (c->rank == 0 && engine_state_save(e, &buf, &len, err) != SIB_OK) return err->code;
    int rc = c->bcast(c->ud, &buf, &len) != 0
                 ? sib_error_set(err, SIB_EIO, NULL, "cannot share the run's state")
             : c->rank == 0 ? SIB_OK
                            : engine_state_load(e, buf, len, err);
    free(buf);
    return rc;
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
    /* In a cluster, rows always carry the inputs: every process must lay
     * rows out alike, and only process 0 observes them. */
    size_t inputs = e->observe || cluster ? e->sc->n_inputs + (t ? t->sc->n_inputs : 0) : 0;
    const uint64_t b0 = e->done / ENGINE_BLOCK_PATHS;
    const uint64_t stride = cluster ? (uint64_t)cluster->size : 1;
    const uint64_t rank = cluster ? (uint64_t)cluster->rank : 0;
    const uint64_t first =
        b0 + (rank + stride - b0 % stride) % stride; /* first k >= b0, k % stride == rank */
    run r = {.e = e,
             .total = total_paths,
             .next_block = first,
             .commit = b0,
             .end_block = (total_paths + ENGINE_BLOCK_PATHS - 1) / ENGINE_BLOCK_PATHS,
             .first = first,
             .stride = stride,
             .window = 2 * threads + 2,
             .aux = e->n_metrics,
             .in_at = e->n_metrics + units,
             .width = e->n_metrics + units + inputs,
             .flows =
                 (e->n_units * e->periods + (t ? t->n_units * t->periods : 0)) * ENGINE_BATCHES,
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

    /* Alone, the calling thread is one of the workers; in a cluster it
     * hands blocks on (cluster_loop) while `threads` workers simulate. */
    const unsigned spawn = cluster ? threads : threads - 1;
    pthread_t *tid = calloc(threads, sizeof *tid);
    unsigned started = 0;
    if (tid != NULL)
        for (; started < spawn; started++)
            if (pthread_create(&tid[started], NULL, run_worker, &r) != 0) break;
    int rc = SIB_OK;
    if (cluster == NULL) {
        run_worker(&r);
    } else if (started == 0) {
        pthread_mutex_lock(&r.lock);
        r.failed = 1;
        pthread_mutex_unlock(&r.lock);
        rc = sib_error_set(err, SIB_ENOMEM, NULL, "cannot start a worker thread");
    } else {
        rc = cluster_loop(&r, err);
        if (rc != SIB_OK) {
            pthread_mutex_lock(&r.lock);
            r.cancelled = 1;
            pthread_cond_broadcast(&r.cond);
            pthread_mutex_unlock(&r.lock);
        }
    }
    for (unsigned i = 0; i < started; i++) pthread_join(tid[i], NULL);
    free(tid);

    pthread_mutex_destroy(&r.lock);
    pthread_cond_destroy(&r.cond);
    free(r.slots);
    free(r.slot_flows);
    free(r.slot_paths);
    if (cluster) {
        /* A process that cannot go on ends the whole cluster run: the
         * others would wait for it for ever. */
        if (rc != SIB_OK) cluster->fail(cluster->ud, err->message, 1);
        return cluster_share(e, err);
    }
    if (r.failed) return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory in a worker thread");
    if (r.cancelled) return sib_error_set(err, SIB_ECANCEL, NULL, "run cancelled");
    return SIB_OK;
}
