/* progress.c -- the stderr progress bar. See progress.h. */
#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "../present/format.h"

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

/* The columns of the terminal on stderr, 80 when it does not say. */
static int columns(void) {
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 80;
}

/* "\r", then "ESC[K" (erase to the end of the line), which clears what a
 * longer line before left, however long: writing spaces over it left the
 * end of a line longer than the spaces ("... left"). */
#define LINE_START "\r\033[K"

int progress_update(uint64_t done, uint64_t total, void *ud) {
    progress *p = ud;
    if (!p->enabled) return 0;
    double now = progress_now();
    if (now - p->start < 1.0 || (now - p->last < 0.1 && done < total)) return 0;
    p->last = now;
    double frac = total ? (double)done / (double)total : 1.0;
    char bar[31], line[256];
    int width = 30, fill = (int)(frac * width);
    for (int i = 0; i < width; i++) bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    double eta = frac > 0 ? (now - p->start) * (1 - frac) / frac : 0;
    char nd[32], nt[32];
    snprintf(line, sizeof line, "  [%s] %3.0f%%  %s/%s paths  %.1f s, about %.0f s left", bar,
             100 * frac, present_count(nd, sizeof nd, (unsigned long long)done),
             present_count(nt, sizeof nt, (unsigned long long)total), now - p->start, eta);
    /* Within the line (the text is ASCII: a byte a column), one column to
     * spare: a line as wide as the terminal wraps, and "\r" then goes back
     * to the start of its second half only, leaving the first on screen. */
    size_t room = (size_t)columns() - 1, n = strlen(line);
    if (n > room) n = room;
    fprintf(stderr, LINE_START "%.*s", (int)n, line);
    fflush(stderr);
    p->drawn = 1;
    return 0;
}

void progress_end(progress *p) {
    if (p->drawn) {
        fputs(LINE_START, stderr);
        fflush(stderr);
    }
    p->drawn = 0;
}
