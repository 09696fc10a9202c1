/*
 * Which pages of a RAM bank may hold data written since the host booted
 * (one bit per page, set = "used"), so that with Xen's bootscrub=false a
 * domain's RAM can be handed out as the machine left it: pages never given
 * to anyone since boot are not zeroed, everything else is. Under QEMU the
 * untouched pages are zero and not even backed by the host yet; zeroing a
 * 256 MiB domain's RAM costs its build the host's page faults for all of it.
 *
 * Lock-free: bits are set with atomic read-modify-writes, so allocations of
 * different pages sharing a word need no lock.
 */
#ifndef LIB_SCRUBMAP_H
#define LIB_SCRUBMAP_H

#include <stddef.h>
#include <stdint.h>

/* Bytes of bitmap for npages (a multiple of 8); all clear = all untouched. */
size_t scrubmap_bytes(size_t npages);
/*
 * Pages [first, first + n) are being handed out: each marked used is reported
 * to zero(ctx, page, count) in maximal runs, then every one is marked used.
 * Returns how many pages were reported.
 */
size_t scrubmap_take(uint64_t *bits, size_t first, size_t n,
                     void (*zero)(void *ctx, size_t page, size_t count), void *ctx);
/* Mark [first, first + n) used without reporting (memory zeroed anyway). */
void scrubmap_mark(uint64_t *bits, size_t first, size_t n);

#endif
