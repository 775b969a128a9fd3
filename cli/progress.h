/* progress.h -- a progress bar on stderr for runs longer than about a second.
 * Shown only when stderr is a terminal; cleared when the run ends. */
#ifndef SIB_PROGRESS_H
#define SIB_PROGRESS_H

#include <stdint.h>

typedef struct progress {
    int enabled;     /* stderr is a terminal and the user did not ask for quiet */
    double start;    /* monotonic seconds at the start of the run */
    double last;     /* when the bar was last drawn */
    int drawn;       /* something is on the line that must be cleared */
} progress;

/* Monotonic time in seconds. */
double progress_now(void);

/* Start a progress display; enabled only when stderr is a terminal. */
void progress_begin(progress *p, int quiet);

/* An engine_progress_fn: draws at most ten times a second, after the first
 * second. Never cancels. */
int progress_update(uint64_t done, uint64_t total, void *ud);

/* Clear the bar. */
void progress_end(progress *p);

#endif
