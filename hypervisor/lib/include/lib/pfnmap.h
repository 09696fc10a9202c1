/*
 * A sparse count per page frame number: a radix tree of fixed depth, like a
 * page table (three levels of 512 pointers, then leaves of 512 16-bit
 * counts), over frame numbers below 2^36 (48-bit physical addresses). Every
 * operation walks the same four levels whatever the map holds — no hashing,
 * no rehash, no scan — and allocates at most one node per level, so it has a
 * small fixed bound (used where a guest's request must stay O(1): the pages
 * a domain maps through grants). A leaf is freed when its last count drops
 * to 0; the pointer levels only with the map.
 *
 * Storage comes from the heap the map was given (lib/ stays freestanding).
 * Not thread-safe: callers hold their own lock.
 */
#ifndef LIB_PFNMAP_H
#define LIB_PFNMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PFNMAP_PFN_BITS 36
#define PFNMAP_COUNT_MAX UINT16_MAX

struct pfnmap_heap {
    void *(*zalloc)(size_t size); /* zeroed memory, NULL if none */
    void (*free)(void *p);
};

struct pfnmap {
    const struct pfnmap_heap *heap;
    void *root; /* NULL until the first count */
};

#define PFNMAP_INIT(h) \
    {                  \
        (h), NULL      \
    }

/* Count pfn once more. False (map unchanged): out of memory, pfn too large,
 * or its count is at PFNMAP_COUNT_MAX. */
bool pfnmap_inc(struct pfnmap *m, uint64_t pfn);
/* Count pfn once less; false (unchanged) if its count is 0. */
bool pfnmap_dec(struct pfnmap *m, uint64_t pfn);
/* How many times pfn is counted now. */
unsigned int pfnmap_get(const struct pfnmap *m, uint64_t pfn);
/* Drop everything (the map stays usable). */
void pfnmap_free(struct pfnmap *m);

#endif
