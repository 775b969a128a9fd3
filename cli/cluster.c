/* cluster.c -- the engine's cluster over MPI. See cluster.h and
 * docs/cluster.md.
 *
 * Blocks travel from each process to process 0 on one tag, in the order
 * each process simulates them; MPI keeps the messages of one sender to one
 * receiver in order, so process 0 receives block k from process k % size
 * exactly when it asks for it. The state after a run goes from process 0
 * to every other by MPI_Bcast, its length first. */
#include "cluster.h"

#ifndef SIBSIM_MPI

void cluster_start(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
}
int cluster_rank(void) { return 0; }
int cluster_size(void) { return 1; }
int cluster_finish(int status) { return status; }

#else

#include <fcntl.h>
#include <limits.h>
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../sim/engine.h"

#define BLOCK_TAG 17

static int rank, size = 1, started;
static int real_stderr = -1; /* a process other than 0: its own standard error ... */
static FILE *said;           /* ... and what it wrote meanwhile, kept back */
static engine_cluster mpi;

/* MPI counts in int: send and receive in pieces below INT_MAX bytes. */
#define PIECE ((size_t)1 << 30)

/* Wait for a request without spinning: Open MPI's blocking calls poll at
 * full speed, and the time a process waits for a block is time its worker
 * threads need the core for. A block takes about a millisecond to
 * simulate, so a look every 100 us costs nothing noticeable. */
static int wait_for(MPI_Request *req, MPI_Status *st) {
    const struct timespec nap = {0, 100 * 1000};
    for (;;) {
        int done = 0;
        if (MPI_Test(req, &done, st) != MPI_SUCCESS) return -1;
        if (done) return 0;
        nanosleep(&nap, NULL);
    }
}

static int mpi_send(void *ud, uint64_t block, const void *data, size_t bytes) {
    (void)ud;
    (void)block;
    const char *p = data;
    do {
        size_t n = bytes < PIECE ? bytes : PIECE;
        MPI_Request req;
        if (MPI_Isend(p, (int)n, MPI_BYTE, 0, BLOCK_TAG, MPI_COMM_WORLD, &req) != MPI_SUCCESS ||
            wait_for(&req, MPI_STATUS_IGNORE) != 0)
            return -1;
        p += n;
        bytes -= n;
    } while (bytes > 0);
    return 0;
}

static int mpi_recv(void *ud, uint64_t block, int from, void *data, size_t bytes) {
    (void)ud;
    (void)block;
    char *p = data;
    do {
        size_t n = bytes < PIECE ? bytes : PIECE;
        MPI_Status st;
        MPI_Request req;
        int got = 0;
        if (MPI_Irecv(p, (int)n, MPI_BYTE, from, BLOCK_TAG, MPI_COMM_WORLD, &req) != MPI_SUCCESS ||
            wait_for(&req, &st) != 0 || MPI_Get_count(&st, MPI_BYTE, &got) != MPI_SUCCESS ||
            (size_t)got != n)
            return -1;
        p += n;
        bytes -= n;
    } while (bytes > 0);
    return 0;
}

static int mpi_bcast(void *ud, unsigned char **data, size_t *len) {
    (void)ud;
    uint64_t n = rank == 0 ? *len : 0;
    MPI_Request req;
    if (MPI_Ibcast(&n, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD, &req) != MPI_SUCCESS ||
        wait_for(&req, MPI_STATUS_IGNORE) != 0)
        return -1;
    if (rank != 0) {
        if ((*data = malloc(n ? n : 1)) == NULL) return -1;
        *len = n;
    }
    unsigned char *p = *data;
    while (n > 0) {
        size_t k = n < PIECE ? n : PIECE;
        if (MPI_Ibcast(p, (int)k, MPI_BYTE, 0, MPI_COMM_WORLD, &req) != MPI_SUCCESS ||
            wait_for(&req, MPI_STATUS_IGNORE) != 0)
            return -1;
        p += k;
        n -= k;
    }
    return 0;
}

/* Write text on this process's own standard error. */
static void tell(const char *text, size_t n) {
    int fd = real_stderr >= 0 ? real_stderr : STDERR_FILENO;
    while (n > 0) {
        ssize_t w = write(fd, text, n);
        if (w <= 0) return;
        text += w;
        n -= (size_t)w;
    }
}

/* What a process other than 0 wrote on standard error, now shown, each
 * line marked with the process. */
static void tell_said(void) {
    if (said == NULL) return;
    fflush(stderr);
    rewind(said);
    char line[1024], head[48];
    int h = snprintf(head, sizeof head, "[process %d] ", rank);
    while (fgets(line, sizeof line, said) != NULL) {
        tell(head, (size_t)h);
        tell(line, strlen(line));
    }
}

/* End every process with status (does not return). */
static void end_all(int status) {
    MPI_Abort(MPI_COMM_WORLD, status ? status : 1);
    _exit(status ? status : 1);
}

static void mpi_fail(void *ud, const char *message, int status) {
    (void)ud;
    char line[700];
    int n = snprintf(line, sizeof line, "sibsim: process %d of %d: %s\n", rank, size, message);
    if (n > 0) tell(line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    end_all(status);
}

void cluster_start(int *argc, char ***argv) {
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) return;
    started = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (size < 2) return;
    mpi = (engine_cluster){.rank = rank,
                           .size = size,
                           .send = mpi_send,
                           .recv = mpi_recv,
                           .bcast = mpi_bcast,
                           .fail = mpi_fail};
    engine_use_cluster(&mpi);
    if (rank != 0) {
        /* Process 0 says what every process would say; what another writes
         * on standard error is kept back, to be shown only if it fails on
         * its own (cluster_finish). */
        fflush(stdout);
        fflush(stderr);
        real_stderr = dup(STDERR_FILENO);
        said = tmpfile();
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, STDOUT_FILENO);
            close(null);
        }
        if (said != NULL) dup2(fileno(said), STDERR_FILENO);
    }
}

int cluster_rank(void) { return rank; }
int cluster_size(void) { return size; }

/* How long a process that failed waits for the others to finish too
 * before it concludes that they are waiting for it. */
#define FINISH_WAIT_SECONDS 10.0

int cluster_finish(int status) {
    if (!started) return status;
    if (size < 2) {
        MPI_Finalize();
        return status;
    }
    /* Every process ends with the worst status of all. Most failures are
     * everyone's (a scenario that does not load), and then every process
     * gets here and they agree. A failure of one process alone (it could
     * not read a file the others could) leaves the others waiting for its
     * blocks: after FINISH_WAIT_SECONDS it says what happened and ends
     * them all. */
    int worst = status, done = 0;
    MPI_Request req;
    MPI_Iallreduce(&status, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD, &req);
    const struct timespec tick = {0, 10 * 1000 * 1000};
    for (double waited = 0; !done; waited += 0.01) {
        MPI_Test(&req, &done, MPI_STATUS_IGNORE);
        if (done) break;
        if (status != 0 && waited > FINISH_WAIT_SECONDS) {
            tell_said();
            end_all(status);
        }
        nanosleep(&tick, NULL);
    }
    if (said != NULL) fclose(said);
    MPI_Finalize();
    return worst;
}

#endif
