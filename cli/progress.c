/* progress.c -- the stderr progress bar. See progress.h. */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

double progress_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void progress_begin(progress *p, int quiet) {
    p->enabled = !quiet && isatty(STDERR_FILENO);
    p->start = p->last = progress_now();
    p->drawn = 0;
}

int progress_update(uint64_t done, uint64_t total, void *ud) {
    progress *p = ud;
    if (!p->enabled) return 0;
    double now = progress_now();
    if (now - p->start < 1.0 || (now - p->last < 0.1 && done < total)) return 0;
    p->last = now;
    double frac = total ? (double)done / (double)total : 1.0;
    int width = 30, fill = (int)(frac * width);
    double eta = frac > 0 ? (now - p->start) * (1 - frac) / frac : 0;
    fprintf(stderr, "\r  [");
    for (int i = 0; i < width; i++) fputc(i < fill ? '#' : '.', stderr);
    fprintf(stderr, "] %3.0f%%  %llu/%llu paths  %.1f s, about %.0f s left ", 100 * frac,
            (unsigned long long)done, (unsigned long long)total, now - p->start, eta);
    fflush(stderr);
    p->drawn = 1;
    return 0;
}

void progress_end(progress *p) {
    if (p->drawn) fprintf(stderr, "\r%*s\r", 79, "");
    p->drawn = 0;
}
