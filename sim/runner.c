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
 *
 * A future is drawn (path_draw) then settled (path_settle). A family of
 * engines (engine_run_family) draws each future once and settles it on
 * each; a run alone may record each future's draw into an engine_draws,
 * or settle the futures one recorded (engine_run_recorded); a compare
 * engine whose second scenario draws as the first settles the first's
 * futures for it. Each gives every engine the results it has alone.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "pages.h"
#include "sample.h"

/* ------------------------------------------------------------ the runner */

/* The cluster this process belongs to (engine_use_cluster); NULL: alone. */
static const engine_cluster *cluster;

void engine_use_cluster(const engine_cluster *c) { cluster = c && c->size > 1 ? c : NULL; }

int engine_cluster_rank(void) { return cluster ? cluster->rank : 0; }

int engine_in_cluster(void) { return cluster != NULL; }

/* One engine of a run, and where its values sit in a block's buffers. A
 * run has one member (engine_run: its twin, in a compare engine, rides in
 * its rows), or several that settle the same futures (engine_run_family).
 * A block's buffer holds its members' blocks one after the other, each a
 * row of `part` doubles a path: the member's metric values (its twin's and
 * the differences included), its IRR statuses (its twin's after) and, when
 * observed, its inputs. (Apart, each member's values of a metric are as
 * close together as in a run of its own: the merge reads them a column at
 * a time.) */
typedef struct member {
    engine *e;
    size_t at;    /* where the member's block starts in a block's buffer */
    size_t aux;   /* its IRR statuses, in a row */
    size_t in_at; /* its inputs, in a row (= part when not observed) */
    size_t part;  /* doubles of its row */
    size_t flows; /* where its flow sums start in a block's */
    size_t chunk; /* its first chunk of a merge job (help_commit) */
} member;

/* engine.h's recording of futures: the shape of the engines it is for,
 * and path_draw_doubles doubles a future. */
struct engine_draws {
    const gsl_rng_type *rng_type;
    uint64_t seed;
    size_t n_inputs, n_stages, n_cohorts, n_outcomes, rows;
    size_t width;      /* doubles a future */
    uint64_t paths;    /* futures it has room for */
    uint64_t recorded; /* futures recorded (0: none yet) */
    double *buf;       /* [paths * width] */
};

typedef struct run {
    engine *e; /* the first member's: the one that draws, observes and counts */
    engine_draws *draws; /* a run alone: where to record its futures, or replay them from */
    int replay;          /* ... replay them (else record) */
    member *m; /* [n_m] */
    size_t n_m;
    uint64_t total;      /* target paths */
    uint64_t next_block; /* next block of this process to hand out */
    uint64_t commit;     /* next block to commit (alone) */
    uint64_t end_block;  /* one past the last block */
    /* This process's blocks: first, first + stride, ... (alone: every block).
     * A block's slot is its place in that sequence, modulo the window. */
    uint64_t first, stride;
    uint64_t released;    /* blocks of this process whose slots are free again */
    unsigned window;      /* reorder slots */
    size_t width;         /* doubles a path holds, over the members (one member: its row,
                             as engine.h's engine_paths_fn has it) */
    size_t flows;         /* doubles of a block's flow sums, each member's (A's then B's) */
    size_t chunks;        /* chunks of a merge job, over every member */
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
        size_t k = 0;
        while (k + 1 < r->n_m && c >= r->m[k + 1].chunk) k++;
        const member *m = &r->m[k];
        engine *e = m->e;
        const size_t lo = (c - m->chunk) * COMMIT_CHUNK;
        const size_t end = lo + COMMIT_CHUNK < e->n_per_path ? lo + COMMIT_CHUNK : e->n_per_path;
        for (size_t q = lo; q < end; q++) {
            size_t i = e->per_path[q];
            if (e->follows[i] == SIZE_MAX)
                stats_acc_add_block(e->acc[i], buf + m->at + i, n, m->part);
        }
        pthread_mutex_lock(&r->lock);
        if (++r->job_done == r->job_chunks) pthread_cond_broadcast(&r->cond);
        pthread_mutex_unlock(&r->lock);
    }
}

/* ------------------------------------------------------ metrics that follow
 *
 * Some metrics take the same value as an earlier one in every future: the
 * commissioner's outlay and the outcome payments, a lone tranche's receipts
 * and both, a comparison's B and A where B does not differ. Adding such a
 * metric to a sketch of its own is a tenth or more of a merge (the sketch's
 * buckets are memory far apart). So a metric whose values in a run's first
 * block are, bit for bit, an earlier metric's, and not all one value (those
 * cost little), "follows" it: its accumulator takes no values while the two
 * stay equal, block by block; when a block first differs, it takes a copy of
 * the other's accumulator as it was before that block, and goes on alone;
 * at the end of the run (settle_followers) it takes the copy. It then holds
 * what adding its own values would have given, to the bit: the same values
 * in the same order. Only a run from the first path is followed (an
 * extension's accumulators already differ or not, and the test would have to
 * compare them), and only within one engine. */

/* Whether the values of metrics i and j in a block (n rows of `stride`
 * doubles from row) are the same bits, path by path. */
static int same_column(const double *row, size_t i, size_t j, uint32_t n, size_t stride) {
    for (uint32_t k = 0; k < n; k++, row += stride) {
        uint64_t a, b;
        memcpy(&a, row + i, sizeof a);
        memcpy(&b, row + j, sizeof b);
        if (a != b) return 0;
    }
    return 1;
}

/* Whether metric j's values in a block are one value, bit for bit. */
static int one_value(const double *row, size_t j, uint32_t n, size_t stride) {
    uint64_t a, b;
    memcpy(&a, row + j, sizeof a);
    for (uint32_t k = 1; k < n; k++) {
        memcpy(&b, row + (size_t)k * stride + j, sizeof b);
        if (a != b) return 0;
    }
    return 1;
}

/* Before block `first` is merged: in a run's first block, find what each
 * metric follows; in a later one, let go the metrics that part from what
 * they followed, each with a copy of its accumulator. Called by the
 * committer alone, before the block's chunks are shared out. Returns 0, or
 * -1 when out of memory for a copy. */
static int follow_block(run *r, const double *buf, uint64_t first, uint32_t n) {
    for (size_t mi = 0; mi < r->n_m; mi++) {
        const member *m = &r->m[mi];
        engine *e = m->e;
        const double *row = buf + m->at;
        for (size_t q = 0; q < e->n_per_path; q++) {
            const size_t j = e->per_path[q], i = e->follows[j];
            if (first == 0) {
                if (one_value(row, j, n, m->part)) continue;
                for (size_t p = 0; p < q && e->follows[j] == SIZE_MAX; p++) {
                    const size_t h = e->per_path[p];
                    if (e->follows[h] == SIZE_MAX && same_column(row, h, j, n, m->part))
                        e->follows[j] = h;
                }
            } else if (i != SIZE_MAX && !same_column(row, i, j, n, m->part)) {
                e->follows[j] = SIZE_MAX;
                if (stats_acc_copy(e->acc[j], e->acc[i]) != 0) return -1;
            }
        }
    }
    return 0;
}

/* At the end of a run: every metric still following another takes a copy
 * of its accumulator. Returns 0, or -1 when out of memory for a copy. */
static int settle_followers(run *r) {
    int rc = 0;
    for (size_t mi = 0; mi < r->n_m; mi++) {
        engine *e = r->m[mi].e;
        for (size_t q = 0; q < e->n_per_path; q++) {
            const size_t j = e->per_path[q], i = e->follows[j];
            if (i == SIZE_MAX) continue;
            e->follows[j] = SIZE_MAX;
            if (stats_acc_copy(e->acc[j], e->acc[i]) != 0) rc = -1;
        }
    }
    return rc;
}

/* A merge job has chunks left to take (called with the lock held). */
static int job_open(const run *r) { return r->job_next < r->job_chunks; }

/* Merge one block into the accumulators, in path order. Called without the
 * lock, by one thread at a time (the committer). */
static void commit_block(run *r, const double *buf, const double *flows, uint64_t first,
                         uint32_t n) {
    /* Metric by metric, each over the block's paths in path order: the
     * same values in the same order as path by path, with one accumulator
     * in cache at a time. The metrics are shared out in chunks with the
     * workers that have no block to simulate (at the end of a run, or when
     * the window waits for this merge): the merge is the one serial part of
     * a run, and a run of a few blocks (the TUI's first estimate) spends
     * half its time in it. */
    if (follow_block(r, buf, first, n) != 0) {
        pthread_mutex_lock(&r->lock);
        r->failed = 1;
        pthread_mutex_unlock(&r->lock);
    }
    pthread_mutex_lock(&r->lock);
    r->job_buf = buf;
    r->job_n = n;
    r->job_next = r->job_done = 0;
    r->job_chunks = r->chunks;
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
    help_commit(r);
    pthread_mutex_lock(&r->lock);
    while (r->job_done < r->job_chunks) pthread_cond_wait(&r->cond, &r->lock);
    r->job_chunks = r->job_next = r->job_done = 0;
    pthread_mutex_unlock(&r->lock);
    for (size_t mi = 0; mi < r->n_m; mi++) {
        const member *m = &r->m[mi];
        engine *e = m->e, *t = e->twin;
        const double *part = buf + m->at, *f = flows + m->flows;
        for (uint32_t j = 0; j < n; j++) {
            const double *st = part + (size_t)j * m->part + m->aux;
            for (engine *x = e; x; x = x->twin) {
                for (size_t U = 0; U < x->n_units; U++) {
                    size_t s = (size_t)st[U];
                    if (s < IRR_STATUSES) x->irr_status[U * IRR_STATUSES + s]++;
                }
                st += x->n_units;
            }
            e->batch_n[(first + j) % ENGINE_BATCHES]++;
        }
        metrics_commit_ratios(e, part, m->part, first, n);
        if (t) metrics_commit_ratios(t, part + e->n_own, m->part, first, n);
        if (t) metrics_commit_ratio_pairs(e, part, m->part, n);
        size_t na = e->n_units * ENGINE_BATCHES * e->periods;
        for (size_t k = 0; k < na; k++) e->flow_sums[k] += f[k];
        if (t)
            for (size_t k = 0; k < t->n_units * ENGINE_BATCHES * t->periods; k++)
                t->flow_sums[k] += f[na + k];
    }
}

/* Count a committed block's paths as done, in every member. */
static void count_done(run *r, uint32_t n) {
    for (size_t mi = 0; mi < r->n_m; mi++) r->m[mi].e->done += n;
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
        count_done(r, n);
        r->slot_paths[s] = 0;
        r->commit++;
        r->released++;
        if (stop) r->cancelled = 1;
        if (r->progress && !r->cancelled && r->progress(e->done, r->total, r->ud)) r->cancelled = 1;
        pthread_cond_broadcast(&r->cond);
    }
    r->committing = 0;
}

/* Simulate block k into its slot: each future drawn once by the first
 * member (path_draw) and settled by every member on that draw; a compare
 * engine's twin simulates its own on the same streams. */
static void simulate_block(run *r, worker **w, worker *w2, double *tmp, uint64_t k) {
    engine *e = r->e;
    uint64_t first = k * ENGINE_BLOCK_PATHS;
    uint64_t n = block_paths(r, k);
    double *buf = r->slots + slot_of(r, k) * ENGINE_BLOCK_PATHS * r->width;
    double *flows = r->slot_flows + slot_of(r, k) * r->flows;
    memset(flows, 0, r->flows * sizeof *flows);
    double *flows_b = flows + e->n_units * ENGINE_BATCHES * e->periods;
    /* A replay draws nothing, nor does a twin that settles A's futures. */
    if (!r->replay) engine_seed_worker(e, w[0], k);
    if (w2 && !e->twin_shares) engine_seed_worker(e, w2, k); /* the twin on A's streams */
    for (uint64_t j = 0; j < n; j++) {
        double *rec = r->draws ? r->draws->buf + (first + j) * r->draws->width : NULL;
        if (r->replay) {
            path_load_draw(e, w[0], rec);
        } else {
            path_draw(e, w[0]);
            if (rec) path_save_draw(e, w[0], rec);
        }
        for (size_t mi = 0; mi < r->n_m; mi++) {
            const member *m = &r->m[mi];
            double *part = buf + m->at + j * m->part;
            if (mi > 0) path_take_draws(m->e, w[mi], w[0]);
            path_settle(m->e, w[mi]);
            metrics_of_path(m->e, w[mi], part);
            metrics_add_flows(m->e, w[mi], first + j, flows + m->flows);
            memcpy(part + m->aux, w[mi]->irr_status, m->e->n_units * sizeof *part);
            if (m->part > m->in_at)
                memcpy(part + m->in_at, w[mi]->x, m->e->sc->n_inputs * sizeof *part);
        }
        if (w2) { /* a compare engine: one member */
            const member *m = &r->m[0];
            double *row = buf + j * m->part;
            const size_t nt = e->twin->n_metrics;
            if (e->twin_shares) {
                path_take_draws(e->twin, w2, w[0]);
                path_settle(e->twin, w2);
            } else {
                path_simulate(e->twin, w2);
            }
            metrics_of_path(e->twin, w2, tmp);
            metrics_add_flows(e->twin, w2, first + j, flows_b);
            memcpy(row + e->n_own, tmp, nt * sizeof *tmp);
            for (size_t d = 0; d < e->n_diff; d++)
                row[e->n_own + nt + d] = tmp[e->diff_twin[d]] - row[e->diff_own[d]];
            memcpy(row + m->aux + e->n_units, w2->irr_status, e->twin->n_units * sizeof *row);
            if (m->part > m->in_at)
                memcpy(row + m->in_at + e->sc->n_inputs, w2->x,
                       e->twin->sc->n_inputs * sizeof *row);
        }
    }
}

static void *run_worker(void *arg) {
    run *r = arg;
    engine *e = r->e;
    worker **w = calloc(r->n_m, sizeof *w);
    int ok = w != NULL;
    for (size_t mi = 0; ok && mi < r->n_m; mi++) ok = (w[mi] = worker_new(r->m[mi].e)) != NULL;
    worker *w2 = e->twin ? worker_new(e->twin) : NULL;
    double *tmp = e->twin ? calloc(e->twin->n_metrics + 1, sizeof *tmp) : NULL;
    pthread_mutex_lock(&r->lock);
    if (!ok || (e->twin && (w2 == NULL || tmp == NULL))) r->failed = 1;
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
        simulate_block(r, w, w2, tmp, k);
        pthread_mutex_lock(&r->lock);
        r->slot_paths[slot_of(r, k)] = block_paths(r, k);
        if (cluster == NULL) commit_ready(r); /* in a cluster, the main thread hands blocks on */
        pthread_cond_broadcast(&r->cond);
    }
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
    for (size_t mi = 0; w && mi < r->n_m; mi++) worker_free(w[mi]);
    free(w);
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
        count_done(r, n);
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

/* Run the members m[0..n_m) (their layouts not yet set) to total_paths
 * paths: engine_run with one, engine_run_family with several,
 * engine_run_recorded with one and draws to record (replay 0) or replay. */
static int run_members(member *m, size_t n_m, uint64_t total_paths, unsigned threads,
                       engine_progress_fn progress, void *ud, engine_draws *draws,
                       int replay, sib_error *err) {
    engine *e = m[0].e;
    if (total_paths <= e->done) return SIB_OK;
    if (e->done % ENGINE_BLOCK_PATHS != 0)
        return sib_error_set(err, SIB_EINVAL, NULL,
                             "cannot extend a run of %llu paths: extensions need whole blocks "
                             "of %u paths",
                             (unsigned long long)e->done, ENGINE_BLOCK_PATHS);
    if (threads == 0) threads = 1;
    const uint64_t b0 = e->done / ENGINE_BLOCK_PATHS;
    const uint64_t stride = cluster ? (uint64_t)cluster->size : 1;
    const uint64_t rank = cluster ? (uint64_t)cluster->rank : 0;
    const uint64_t first =
        b0 + (rank + stride - b0 % stride) % stride; /* first k >= b0, k % stride == rank */
    run r = {.e = e,
             .draws = draws,
             .replay = replay,
             .m = m,
             .n_m = n_m,
             .total = total_paths,
             .next_block = first,
             .commit = b0,
             .end_block = (total_paths + ENGINE_BLOCK_PATHS - 1) / ENGINE_BLOCK_PATHS,
             .first = first,
             .stride = stride,
             /* A family's blocks are n_m times wider: a slot fewer. */
             .window = n_m > 1 ? threads + 1 : 2 * threads + 2,
             .progress = progress,
             .ud = ud};
    for (size_t k = 0; k < n_m; k++) {
        const engine *x = m[k].e, *t = x->twin;
        size_t units = x->n_units + (t ? t->n_units : 0);
        /* In a cluster, rows always carry the inputs: every process must
         * lay rows out alike, and only process 0 observes them. */
        size_t inputs = x->observe || cluster ? x->sc->n_inputs + (t ? t->sc->n_inputs : 0) : 0;
        m[k].at = r.width * ENGINE_BLOCK_PATHS;
        m[k].aux = x->n_metrics;
        m[k].in_at = x->n_metrics + units;
        m[k].part = x->n_metrics + units + inputs;
        m[k].flows = r.flows;
        m[k].chunk = r.chunks;
        r.width += m[k].part;
        r.flows += (x->n_units * x->periods + (t ? t->n_units * t->periods : 0)) * ENGINE_BATCHES;
        r.chunks += (x->n_per_path + COMMIT_CHUNK - 1) / COMMIT_CHUNK;
    }
    /* Megabytes written once a block (a comparison of Massachusetts: 2.8 MB
     * a slot): on huge pages, where the kernel offers them, and kept for the
     * process's next run (pages.h). */
    const size_t slot_bytes = (size_t)r.window * ENGINE_BLOCK_PATHS * r.width * sizeof *r.slots;
    r.slots = pages_alloc(slot_bytes);
    r.slot_flows = malloc(((size_t)r.window * r.flows + 1) * sizeof *r.slot_flows);
    r.slot_paths = calloc(r.window, sizeof *r.slot_paths);
    if (r.slots == NULL || r.slot_flows == NULL || r.slot_paths == NULL) {
        pages_free(r.slots, slot_bytes);
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

    if (settle_followers(&r) != 0 && rc == SIB_OK)
        rc = sib_error_set(err, SIB_ENOMEM, NULL, "out of memory for a metric's statistics");
    pthread_mutex_destroy(&r.lock);
    pthread_cond_destroy(&r.cond);
    pages_free(r.slots, slot_bytes);
    free(r.slot_flows);
    free(r.slot_paths);
    if (cluster) {
        /* A process that cannot go on ends the whole cluster run: the
         * others would wait for it for ever. (A family does not run in a
         * cluster: engine_run_family.) */
        if (rc != SIB_OK) cluster->fail(cluster->ud, err->message, 1);
        return cluster_share(e, err);
    }
    if (rc != SIB_OK) return rc;
    if (r.failed) return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory in a worker thread");
    if (r.cancelled) return sib_error_set(err, SIB_ECANCEL, NULL, "run cancelled");
    return SIB_OK;
}

int engine_run(engine *e, uint64_t total_paths, unsigned threads, engine_progress_fn progress,
               void *ud, sib_error *err) {
    member m = {.e = e};
    return run_members(&m, 1, total_paths, threads, progress, ud, NULL, 0, err);
}

int engine_run_family(engine *const *es, size_t n, uint64_t total_paths, unsigned threads,
                      sib_error *err) {
    if (n == 0) return SIB_OK;
    if (cluster)
        return sib_error_set(err, SIB_EINVAL, NULL, "a family of runs does not run in a cluster");
    const engine *a = es[0];
    const scenario *sa = a->sc;
    for (size_t k = 0; k < n; k++) {
        const engine *x = es[k];
        const scenario *sx = x->sc;
        if (x->twin || x->observe)
            return sib_error_set(err, SIB_EINVAL, NULL,
                                 "a family's engines neither compare nor stream their paths");
        if (x->done != a->done || x->rng_type != a->rng_type || sx->sim.seed != sa->sim.seed ||
            sx->n_inputs != sa->n_inputs || sx->n_stages != sa->n_stages ||
            x->n_cohorts != a->n_cohorts || sx->n_outcomes != sa->n_outcomes ||
            scenario_obs_rows(sx) != scenario_obs_rows(sa))
            return sib_error_set(err, SIB_EINVAL, NULL,
                                 "engine %zu of a family is not of the first's shape (paths done, "
                                 "generator, seed, inputs, stages, cohorts and outcomes)",
                                 k);
    }
    member *m = calloc(n, sizeof *m);
    if (m == NULL) return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory for a family");
    for (size_t k = 0; k < n; k++) m[k].e = es[k];
    int rc = run_members(m, n, total_paths, threads, NULL, NULL, NULL, 0, err);
    free(m);
    return rc;
}

engine_draws *engine_draws_new(const engine *e, uint64_t paths, size_t max_bytes) {
    const size_t width = path_draw_doubles(e);
    if (paths == 0 || paths > max_bytes / sizeof(double) / width) return NULL;
    engine_draws *d = calloc(1, sizeof *d);
    if (d == NULL) return NULL;
    const scenario *sc = e->sc;
    *d = (engine_draws){.rng_type = e->rng_type,
                        .seed = sc->sim.seed,
                        .n_inputs = sc->n_inputs,
                        .n_stages = sc->n_stages,
                        .n_cohorts = e->n_cohorts,
                        .n_outcomes = sc->n_outcomes,
                        .rows = scenario_obs_rows(sc),
                        .width = width,
                        .paths = paths,
                        .buf = malloc((size_t)paths * width * sizeof(double))};
    if (d->buf == NULL) {
        free(d);
        return NULL;
    }
    return d;
}

void engine_draws_free(engine_draws *d) {
    if (d == NULL) return;
    free(d->buf);
    free(d);
}

int engine_run_recorded(engine *e, engine_draws *d, uint64_t total_paths, unsigned threads,
                        sib_error *err) {
    const scenario *sc = e->sc;
    const int replay = d->recorded > 0;
    if (cluster)
        return sib_error_set(err, SIB_EINVAL, NULL, "recorded futures do not run in a cluster");
    if (e->twin || e->observe || e->done != 0)
        return sib_error_set(err, SIB_EINVAL, NULL,
                             "a run on recorded futures starts afresh, neither comparing nor "
                             "streaming its paths");
    if (d->rng_type != e->rng_type || d->seed != sc->sim.seed || d->n_inputs != sc->n_inputs ||
        d->n_stages != sc->n_stages || d->n_cohorts != e->n_cohorts ||
        d->n_outcomes != sc->n_outcomes || d->rows != scenario_obs_rows(sc))
        return sib_error_set(err, SIB_EINVAL, NULL,
                             "the recorded futures are not of this engine's shape (generator, "
                             "seed, inputs, stages, cohorts and outcomes)");
    if (total_paths > (replay ? d->recorded : d->paths))
        return sib_error_set(err, SIB_EINVAL, NULL, "%llu futures asked of a recording of %llu",
                             (unsigned long long)total_paths,
                             (unsigned long long)(replay ? d->recorded : d->paths));
    member m = {.e = e};
    int rc = run_members(&m, 1, total_paths, threads, NULL, NULL, d, replay, err);
    if (!replay) d->recorded = rc == SIB_OK ? total_paths : 0;
    return rc;
}
