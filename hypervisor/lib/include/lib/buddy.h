/*
 * Buddy allocator for physical pages (4 KiB), one instance per RAM range.
 *
 * The allocator never touches the memory it manages: all bookkeeping lives in
 * a caller-provided metadata array (buddy_meta_size(npages) bytes), so it is
 * safe for guest RAM, and it runs unchanged in host unit tests on fake
 * addresses. Not thread-safe: callers hold their own lock.
 *
 * Blocks are naturally aligned in the physical address space (a block of
 * order k starts on a 2^k-page boundary), whatever the range's own base, so
 * stage-2 and EL2 mappings can use block entries. A free that does not match
 * a live allocation (wrong address or order, double free) changes nothing and
 * is counted in nbad, which buddy_check() reports.
 */
#ifndef LIB_BUDDY_H
#define LIB_BUDDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BUDDY_MAX_ORDER 18 /* largest block: 2^18 pages = 1 GiB */

struct buddy {
    uint64_t base;                           /* physical address of page 0, 4 KiB aligned */
    size_t npages;                           /* pages covered (free or not) */
    size_t nfree;                            /* pages currently free */
    void *meta;                              /* per-page bookkeeping, private */
    size_t nbad;                             /* rejected frees (caller bugs) */
    uint32_t free_head[BUDDY_MAX_ORDER + 1]; /* private */
};

/* Bytes of metadata needed for npages pages. */
size_t buddy_meta_size(size_t npages);
/*
 * Start with every page allocated (reserved); 0 or -1 on bad arguments (base
 * 0 or unaligned, since 0 means failure to buddy_alloc; npages 0 or >= 2^32).
 */
int buddy_init(struct buddy *b, uint64_t base, size_t npages, void *meta);
/*
 * Give pages [pa, pa + npages*4K) to the allocator (coalescing as it goes).
 * The part of the range outside the instance is ignored; each page may be given once.
 */
void buddy_add_range(struct buddy *b, uint64_t pa, size_t npages);
/* Allocate 2^order contiguous, naturally aligned pages; returns 0 when none. */
uint64_t buddy_alloc(struct buddy *b, unsigned int order);
/* Free a block previously returned by buddy_alloc with the same order. */
void buddy_free(struct buddy *b, uint64_t pa, unsigned int order);
/* Pages currently free. */
size_t buddy_free_pages(const struct buddy *b);
/* Internal consistency check for tests: true if all invariants hold. */
bool buddy_check(const struct buddy *b);

#endif
