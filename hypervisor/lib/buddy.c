/*
 * Binary buddy allocator with all bookkeeping outside the managed memory.
 *
 * Metadata (buddy_meta_size bytes, 9 per page):
 *   links[npages]  next/prev page index, meaningful for the head page of a
 *                  free block: one doubly linked list per order, so a buddy
 *                  is unlinked in O(1) when it merges;
 *   state[npages]  per page: HEAD_FREE or HEAD_ALLOC plus the block's order,
 *                  set only on the first page of a block (0 elsewhere).
 * Page indices are relative to b->base; buddies are computed on absolute
 * frame numbers so that blocks are naturally aligned in physical memory.
 */
#include <lib/buddy.h>

#define PAGE_SHIFT 12
#define NIL 0xffffffffu

#define ST_ORDER_MASK 0x1f
#define ST_FREE 0x40  /* first page of a free block */
#define ST_ALLOC 0x80 /* first page of a block handed out by buddy_alloc */

_Static_assert(BUDDY_MAX_ORDER <= ST_ORDER_MASK, "order must fit in the state byte");

struct link {
    uint32_t next;
    uint32_t prev;
};

static struct link *links(const struct buddy *b)
{
    return b->meta;
}

static uint8_t *states(const struct buddy *b)
{
    return (uint8_t *)b->meta + b->npages * sizeof(struct link);
}

static uint64_t base_pfn(const struct buddy *b)
{
    return b->base >> PAGE_SHIFT;
}

size_t buddy_meta_size(size_t npages)
{
    return npages * (sizeof(struct link) + 1);
}

static void list_push(struct buddy *b, uint32_t idx, unsigned int order)
{
    struct link *l = links(b);
    uint32_t head = b->free_head[order];

    l[idx].prev = NIL;
    l[idx].next = head;
    if (head != NIL)
        l[head].prev = idx;
    b->free_head[order] = idx;
    states(b)[idx] = (uint8_t)(ST_FREE | order);
}

static void list_remove(struct buddy *b, uint32_t idx, unsigned int order)
{
    struct link *l = links(b);

    if (l[idx].prev != NIL)
        l[l[idx].prev].next = l[idx].next;
    else
        b->free_head[order] = l[idx].next;
    if (l[idx].next != NIL)
        l[l[idx].next].prev = l[idx].prev;
    states(b)[idx] = 0;
}

int buddy_init(struct buddy *b, uint64_t base, size_t npages, void *meta)
{
    uint8_t *st;

    if (!b || !meta || base == 0 || (base & ((1u << PAGE_SHIFT) - 1)) || npages == 0 ||
        npages >= NIL)
        return -1;
    b->base = base;
    b->npages = npages;
    b->nfree = 0;
    b->nbad = 0;
    b->meta = meta;
    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++)
        b->free_head[o] = NIL;
    st = states(b);
    for (size_t i = 0; i < npages; i++)
        st[i] = 0;
    return 0;
}

/* Insert block [idx, idx + 2^order) as free, merging with free buddies first. */
static void free_block(struct buddy *b, size_t idx, unsigned int order)
{
    uint64_t pfn = base_pfn(b) + idx;
    uint8_t *st = states(b);

    b->nfree += (size_t)1 << order;
    while (order < BUDDY_MAX_ORDER) {
        uint64_t buddy_pfn = pfn ^ (1ULL << order);
        uint64_t bidx = buddy_pfn - base_pfn(b);

        /* A buddy below base wraps to a huge index, so one compare covers both ends. */
        if (bidx >= b->npages || st[bidx] != (ST_FREE | order))
            break;
        list_remove(b, (uint32_t)bidx, order);
        pfn &= ~(1ULL << order);
        order++;
    }
    list_push(b, (uint32_t)(pfn - base_pfn(b)), order);
}

/* Largest order such that a block at pfn is aligned and ends by end_pfn. */
static unsigned int fit_order(uint64_t pfn, uint64_t end_pfn)
{
    unsigned int order = 0;

    while (order < BUDDY_MAX_ORDER && !(pfn & (1ULL << order)) && pfn + (2ULL << order) <= end_pfn)
        order++;
    return order;
}

void buddy_add_range(struct buddy *b, uint64_t pa, size_t npages)
{
    uint64_t lo = base_pfn(b), hi = base_pfn(b) + b->npages;
    uint64_t pfn = pa >> PAGE_SHIFT, end = pfn + npages;

    if (pfn < lo)
        pfn = lo;
    if (end > hi || end < pfn)
        end = hi;
    while (pfn < end) {
        unsigned int order = fit_order(pfn, end);

        free_block(b, (size_t)(pfn - lo), order);
        pfn += 1ULL << order;
    }
}

uint64_t buddy_alloc(struct buddy *b, unsigned int order)
{
    unsigned int o = order;
    uint32_t idx;

    if (order > BUDDY_MAX_ORDER)
        return 0;
    while (o <= BUDDY_MAX_ORDER && b->free_head[o] == NIL)
        o++;
    if (o > BUDDY_MAX_ORDER)
        return 0;
    idx = b->free_head[o];
    list_remove(b, idx, o);
    /* Split: keep the lower half, give the upper half back at each step. */
    while (o > order) {
        o--;
        list_push(b, idx + (1u << o), o);
    }
    states(b)[idx] = (uint8_t)(ST_ALLOC | order);
    b->nfree -= (size_t)1 << order;
    return b->base + ((uint64_t)idx << PAGE_SHIFT);
}

void buddy_free(struct buddy *b, uint64_t pa, unsigned int order)
{
    uint64_t idx = (pa - b->base) >> PAGE_SHIFT;

    if (pa < b->base || (pa & ((1u << PAGE_SHIFT) - 1)) || idx >= b->npages ||
        order > BUDDY_MAX_ORDER || states(b)[idx] != (ST_ALLOC | order)) {
        b->nbad++;
        return;
    }
    states(b)[idx] = 0;
    free_block(b, (size_t)idx, order);
}

size_t buddy_free_pages(const struct buddy *b)
{
    return b->nfree;
}

/* Checks one free block: alignment, bounds, no other head inside, merge complete. */
static bool check_block(const struct buddy *b, uint32_t idx, unsigned int order)
{
    const uint8_t *st = states(b);
    uint64_t pfn = base_pfn(b) + idx;
    uint64_t size = 1ULL << order;
    uint64_t bidx = (pfn ^ size) - base_pfn(b);

    if ((pfn & (size - 1)) || idx + size > b->npages || st[idx] != (ST_FREE | order))
        return false;
    for (uint64_t i = 1; i < size; i++) {
        if (st[idx + i])
            return false;
    }
    /* Coalescing is complete: a free block's buddy is never free at the same order. */
    return order == BUDDY_MAX_ORDER || bidx >= b->npages || st[bidx] != (ST_FREE | order);
}

bool buddy_check(const struct buddy *b)
{
    const struct link *l = links(b);
    const uint8_t *st = states(b);
    size_t pages = 0, heads = 0, listed = 0;

    if (b->nbad)
        return false;
    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++) {
        uint32_t prev = NIL;

        for (uint32_t idx = b->free_head[o]; idx != NIL; idx = l[idx].next) {
            /* More entries than pages means a cycle. */
            if (idx >= b->npages || l[idx].prev != prev || ++listed > b->npages ||
                !check_block(b, idx, o))
                return false;
            pages += (size_t)1 << o;
            prev = idx;
        }
    }
    /* Every free head is on a list (none lost), and the count matches. */
    for (size_t i = 0; i < b->npages; i++)
        heads += (st[i] & ST_FREE) != 0;
    return heads == listed && pages == b->nfree;
}
