/* pages.h -- large buffers on huge pages where the kernel offers them.
 *
 * A buffer of megabytes that a run writes once a block and reads (the
 * block rows of runner.c, the sketch's slabs of stats.c) costs a page fault
 * a 4 KB page on its first touch. On a virtual machine a fault can cost ten
 * microseconds or more, which made most of the time of a short run (the
 * TUI's first estimate). Such a buffer is better aligned to 2 MB and
 * advised onto huge pages: a fault a 2 MB, not five hundred; and, freed,
 * kept for the next run of the process (a sweep runs an engine a point),
 * whose first touches would otherwise fault again. */
#ifndef SIBSIM_PAGES_H
#define SIBSIM_PAGES_H

#include <stddef.h>

/* A buffer of at least `bytes` bytes, aligned to 2 MB and advised onto
 * huge pages (Linux's MADV_HUGEPAGE; advice only: where it is refused, or
 * elsewhere, the buffer is an ordinary one): one that pages_free kept when
 * one is large enough, else a new one. Its contents are undefined, as
 * malloc's. NULL when out of memory. Thread-safe. */
void *pages_alloc(size_t bytes);

/* Give back a buffer of pages_alloc, of the size asked for then. It is kept
 * for a later pages_alloc (the few largest; the others are freed). NULL is
 * a no-op. Thread-safe. */
void pages_free(void *p, size_t bytes);

#endif
