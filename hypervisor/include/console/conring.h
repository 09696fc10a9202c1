/*
 * The hypervisor's log ring (console/conring.c), Xen's "conring": every line
 * printk sends out is also kept here, the oldest bytes overwritten, for the
 * control domain to read back (SYSCTL readconsole: xl dmesg). Positions are
 * free-running byte counts (they wrap at 2^32), as Xen's.
 */
#ifndef CONSOLE_CONRING_H
#define CONSOLE_CONRING_H

#include <cloison/types.h>

#define CONRING_SIZE 16384u /* a power of two */

/* Append len bytes (printk, holding console_lock). */
void conring_put(const char *s, size_t len);
/* Where a read starts and ends now: *c the oldest byte kept, or `index` if
 * `incremental` and index lies after it and at most at the end; *p the end. */
void conring_span(bool incremental, uint32_t index, uint32_t *c, uint32_t *p);
/* n bytes (n <= CONRING_SIZE) from position c: what the ring holds there
 * now (newer bytes if they were overwritten since the span was taken). */
void conring_copy(uint32_t c, char *buf, uint32_t n);
/* A read from a span ending at p stopped at c: drop everything before c
 * (everything before p - CONRING_SIZE, if more than the ring was read past). */
void conring_clear(uint32_t c, uint32_t p);

#endif
