/* fan.c -- the commissioner's outlay step by step across futures, for fan
 * charts. See fan.h.
 *
 * The futures are replayed block by block exactly as engine.c's runner
 * simulates them: block k's two generators are seeded from (seed, k) by
 * engine_seed_worker, and the block's paths are simulated one after another
 * (path_simulate settles each into the worker's ledger; the metrics and
 * their IRRs are not needed, which makes this pass cheaper than the run).
 * tests/test_fan.c checks that the steps' means add up to the run's own
 * commissioner.total, which would fail at once if the seeding drifted.
 *
 * Determinism: blocks are simulated in chunks, each thread taking its own
 * blocks of the chunk into their own buffers; once the chunk is done the
 * blocks are added to the accumulators in block order, so the values reach
 * every accumulator in path order whatever the number of threads.
 */
#include "fan.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "sample.h"

void fan_steps(const double *flow, size_t periods, size_t step_periods, double *out) {
    if (step_periods == 0) step_periods = 1;
    const size_t n = (periods + step_periods - 1) / step_periods;
    for (size_t k = 0; k < n; k++) out[k] = 0;
    for (size_t t = 0; t < periods; t++) out[t / step_periods] += flow[t];
}

void fan_free(fan *f) {
    if (f == NULL) return;
    free(f->band);
    free(f);
}

/* One chunk of blocks: what the threads share. */
typedef struct fan_job {
    const engine *e;
    uint64_t paths;  /* the run's total */
    uint64_t first;  /* the chunk's first block */
    size_t n_blocks; /* blocks in the chunk */
    unsigned threads;
    size_t width; /* doubles a path's row holds: n_fin * n_steps */
    size_t n_steps, step_periods;
    double *slots;        /* [n_blocks][ENGINE_BLOCK_PATHS][width] */
    uint32_t *slot_paths; /* [n_blocks] paths in each block */
} fan_job;

typedef struct fan_thread {
    fan_job *job;
    worker *w;
    unsigned index;
} fan_thread;

/* Simulate the blocks index, index + threads, ... of the chunk. */
static void *fan_work(void *arg) {
    fan_thread *th = arg;
    fan_job *j = th->job;
    const engine *e = j->e;
    worker *w = th->w;
    const size_t T = e->periods, n_fin = e->sc->n_financing;
    for (size_t b = th->index; b < j->n_blocks; b += j->threads) {
        const uint64_t k = j->first + b, start = k * ENGINE_BLOCK_PATHS;
        const uint64_t n =
            j->paths - start < ENGINE_BLOCK_PATHS ? j->paths - start : ENGINE_BLOCK_PATHS;
        engine_seed_worker(e, w, k); /* the run's own streams for block k */
        double *buf = j->slots + b * ENGINE_BLOCK_PATHS * j->width;
        for (uint64_t p = 0; p < n; p++) {
            path_simulate(e, w);
            double *row = buf + p * j->width;
            for (size_t f = 0; f < n_fin; f++)
                fan_steps(w->L->fin[f].commissioner, T, j->step_periods, row + f * j->n_steps);
        }
        j->slot_paths[b] = (uint32_t)n;
    }
    return NULL;
}

/* Run one chunk on every thread (the caller's included). A thread that
 * cannot be started has its blocks done by the caller's, so the chunk is
 * always complete. */
static void fan_chunk(fan_job *j, fan_thread *th) {
    pthread_t tid[64];
    unsigned started = 0;
    for (unsigned i = 1; i < j->threads; i++) {
        if (pthread_create(&tid[started], NULL, fan_work, &th[i]) != 0) break;
        started++;
    }
    fan_work(&th[0]);
    for (unsigned i = 0; i < started; i++) pthread_join(tid[i], NULL);
    /* Threads that did not start: their blocks, here. */
    for (unsigned i = 1 + started; i < j->threads; i++) fan_work(&th[i]);
}

int fan_commissioner(const engine *e, uint64_t paths, size_t step_periods, unsigned threads,
                     fan **out, sib_error *err) {
    *out = NULL;
    if (paths == 0 || step_periods == 0)
        return sib_error_set(err, SIB_EINVAL, NULL,
                             "a fan needs at least one path and one period a step");
    if (e->twin != NULL)
        return sib_error_set(err, SIB_EINVAL, NULL,
                             "a fan is drawn for one scenario, not a comparison");
    if (threads == 0) threads = 1;
    if (threads > 64) threads = 64;
    const size_t n_fin = e->sc->n_financing, T = e->periods;
    const size_t n_steps = (T + step_periods - 1) / step_periods, cells = n_fin * n_steps;

    fan *f = calloc(1, sizeof *f);
    stats_acc **acc = calloc(cells + 1, sizeof *acc);
    worker *w[64] = {0};
    fan_thread th[64];
    fan_job job = {.e = e,
                   .paths = paths,
                   .threads = threads,
                   .width = cells,
                   .n_steps = n_steps,
                   .step_periods = step_periods};
    const size_t chunk = 2 * (size_t)threads;
    job.slots = malloc((chunk * ENGINE_BLOCK_PATHS * cells + 1) * sizeof *job.slots);
    job.slot_paths = calloc(chunk, sizeof *job.slot_paths);
    int ok = f != NULL && acc != NULL && job.slots != NULL && job.slot_paths != NULL;
    if (ok) f->band = calloc(cells + 1, sizeof *f->band);
    ok = ok && f->band != NULL;
    for (size_t c = 0; ok && c < cells; c++) ok = (acc[c] = stats_acc_new()) != NULL;
    for (unsigned i = 0; ok && i < threads; i++) {
        ok = (w[i] = worker_new(e)) != NULL;
        th[i] = (fan_thread){.job = &job, .w = w[i], .index = i};
    }

    const uint64_t blocks = (paths + ENGINE_BLOCK_PATHS - 1) / ENGINE_BLOCK_PATHS;
    for (uint64_t b0 = 0; ok && b0 < blocks; b0 += chunk) {
        job.first = b0;
        job.n_blocks = blocks - b0 < chunk ? (size_t)(blocks - b0) : chunk;
        fan_chunk(&job, th);
        /* Commit in block order: each accumulator over the block's paths. */
        for (size_t b = 0; ok && b < job.n_blocks; b++) {
            const double *buf = job.slots + b * ENGINE_BLOCK_PATHS * cells;
            for (size_t c = 0; ok && c < cells; c++)
                ok = stats_acc_add_block(acc[c], buf + c, job.slot_paths[b], cells) == 0;
        }
    }

    if (ok) {
        f->n_fin = n_fin;
        f->n_steps = n_steps;
        f->step_periods = step_periods;
        f->paths = paths;
        for (size_t c = 0; c < cells; c++) {
            stats_summary s;
            stats_acc_summary(acc[c], &s);
            f->band[c] = (fan_band){.mean = s.mean,
                                    .p05 = s.p05,
                                    .p25 = s.p25,
                                    .p50 = s.p50,
                                    .p75 = s.p75,
                                    .p95 = s.p95,
                                    .min = s.min,
                                    .max = s.max};
        }
    }
    for (unsigned i = 0; i < threads; i++) worker_free(w[i]);
    for (size_t c = 0; acc != NULL && c < cells; c++) stats_acc_free(acc[c]);
    free(acc);
    free(job.slots);
    free(job.slot_paths);
    if (!ok) {
        fan_free(f);
        return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory for the outlay's fan");
    }
    *out = f;
    return SIB_OK;
}
