/*
 * A pool of 4 KiB pages set aside for one user (a domain's stage-2 tables),
 * with the semantics of Xen 4.17's Arm P2M pool (p2m_set_allocation): the pool has a
 * size, pages in use count towards it, taking a page from an empty pool
 * fails instead of reaching for more memory, and the size changes only
 * when its owner says so: growing takes pages from the source, shrinking
 * gives back free pool pages and fails when the pages it would give back
 * are in use.
 *
 * An elastic pool (a domain being built, or dom0, whose P2M pages Xen takes
 * from the heap) takes a page from the source whenever it is empty; its size
 * follows what it holds.
 *
 * A pool may also hold fewer pages than its size (pagepool_set_size_lazy):
 * the rest is taken from the source when first needed, never beyond the
 * size, so a domain pays for tables it may never use only once it uses them
 * (Cloison's default pool; sizes asked for explicitly are held in full).
 *
 * Free pages are chained through their first word: no storage beyond the
 * pages themselves. Not thread-safe: the owner's lock covers it.
 */
#ifndef LIB_PAGEPOOL_H
#define LIB_PAGEPOOL_H

#include <stdbool.h>
#include <stddef.h>

#define PAGEPOOL_PAGE_SIZE 4096

/* Results of pagepool_resize(). */
enum pagepool_rc {
    PAGEPOOL_DONE = 0,
    PAGEPOOL_NOMEM = -1, /* the source has no page, or no free pool page to give back */
    PAGEPOOL_AGAIN = -2, /* the step budget ran out first: call again to go on */
};

struct pagepool_source {
    void *(*get)(void *ctx);            /* one page, NULL if none */
    void (*put)(void *ctx, void *page); /* give one back */
    void *ctx;
};

struct pagepool {
    void *free;   /* chain of free pages */
    size_t total; /* pages the pool holds: free ones and those in use */
    size_t nfree;
    size_t size; /* its size: total <= size, the rest taken on demand */
    bool elastic;
    const struct pagepool_source *src;
};

void pagepool_init(struct pagepool *pp, const struct pagepool_source *src, bool elastic);
/* A zeroed page, or NULL when the pool is empty (an elastic pool first asks
 * its source). */
void *pagepool_take(struct pagepool *pp);
/* A page taken from this pool comes back (any content). */
void pagepool_give(struct pagepool *pp, void *page);
/*
 * Make the pool hold `pages` pages, moving at most *budget pages (decremented
 * as they move; NULL = no limit). Growth stops at the first page the source
 * refuses (the pages gained so far stay); shrinking stops when no free page is
 * left (Xen: "P2M freelist is empty"). Either way PAGEPOOL_NOMEM, with the
 * pool as large as it got. An elastic pool becomes fixed.
 */
enum pagepool_rc pagepool_resize(struct pagepool *pp, size_t pages, size_t *budget);
/*
 * Make the pool's size `pages` without taking any page now: it keeps what it
 * holds (giving free pages back while it holds more than that) and takes
 * the rest from the source on demand. PAGEPOOL_NOMEM (size unchanged) if it
 * holds more pages in use than that. An elastic pool becomes fixed.
 */
enum pagepool_rc pagepool_set_size_lazy(struct pagepool *pp, size_t pages);
/* Its size: pages held, or for a fixed pool what it may hold. */
static inline size_t pagepool_size(const struct pagepool *pp)
{
    return pp->elastic ? pp->total : pp->size;
}
/* Every free page back to the source: for the owner's teardown, after every
 * page in use came back. Returns how many pages are still in use (0). */
size_t pagepool_drain(struct pagepool *pp);

static inline size_t pagepool_used(const struct pagepool *pp)
{
    return pp->total - pp->nfree;
}

#endif
