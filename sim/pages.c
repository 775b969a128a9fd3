/* pages.c -- large buffers on huge pages, kept for reuse. See pages.h.
 *
 * Hand-written: glibc's malloc neither aligns to a huge page on its own nor
 * keeps a freed buffer of megabytes (it returns one above its threshold to
 * the kernel, whose next touch faults again), and no library at hand does
 * both. */
#define _DEFAULT_SOURCE /* MADV_HUGEPAGE (Linux) */
#include "pages.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)
#define KEPT 4 /* buffers kept: a process runs few engines at once (the TUI: two) */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    void *p;
    size_t bytes;
} kept[KEPT];

void *pages_alloc(size_t bytes) {
    if (bytes == 0) bytes = 1;
    /* The smallest kept buffer that is large enough. */
    pthread_mutex_lock(&lock);
    int best = -1;
    for (int i = 0; i < KEPT; i++)
        if (kept[i].p != NULL && kept[i].bytes >= bytes &&
            (best < 0 || kept[i].bytes < kept[best].bytes))
            best = i;
    void *mem = NULL;
    if (best >= 0) {
        mem = kept[best].p;
        kept[best].p = NULL;
    }
    pthread_mutex_unlock(&lock);
    if (mem != NULL) return mem;
    /* Whole huge pages: the kernel backs an aligned 2 MB range with one. */
    const size_t size = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    if (posix_memalign(&mem, HUGE_PAGE, size) != 0) return NULL;
#ifdef MADV_HUGEPAGE
    (void)madvise(mem, size, MADV_HUGEPAGE);
#endif
    return mem;
}

void pages_free(void *p, size_t bytes) {
    if (p == NULL) return;
    if (bytes == 0) bytes = 1;
    const size_t size = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    /* Keep it in an empty place, or in place of the smallest kept buffer
     * when it is larger; free what is left over. */
    pthread_mutex_lock(&lock);
    int at = -1;
    for (int i = 0; i < KEPT && at < 0; i++)
        if (kept[i].p == NULL) at = i;
    if (at < 0)
        for (int i = 0; i < KEPT; i++)
            if (kept[i].bytes < size && (at < 0 || kept[i].bytes < kept[at].bytes)) at = i;
    void *drop = p;
    if (at >= 0) {
        drop = kept[at].p;
        kept[at].p = p;
        kept[at].bytes = size;
    }
    pthread_mutex_unlock(&lock);
    free(drop);
}
