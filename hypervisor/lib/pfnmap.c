/* Page frame counts in a fixed-depth radix tree (see lib/pfnmap.h). */
#include <lib/pfnmap.h>

#define FANOUT_BITS 9
#define FANOUT (1u << FANOUT_BITS)
#define INNER_LEVELS 3 /* pointer levels above the leaves: 3 * 9 + 9 = 36 bits */

struct inner {
    void *child[FANOUT]; /* one page: pointer levels carry no header */
};

struct leaf {
    uint32_t used; /* non-zero counts: the leaf is freed at 0 */
    uint16_t count[FANOUT];
};

_Static_assert(INNER_LEVELS *FANOUT_BITS + FANOUT_BITS == PFNMAP_PFN_BITS, "levels cover pfns");

static unsigned int index_at(uint64_t pfn, unsigned int level)
{
    /* level 0 is the root; level INNER_LEVELS indexes the leaf's counts */
    return (unsigned int)(pfn >> ((INNER_LEVELS - level) * FANOUT_BITS)) & (FANOUT - 1);
}

/* The slot of the leaf pointer for pfn, allocating inner levels if `make`;
 * NULL if missing (or out of memory). */
static void **leaf_slot(const struct pfnmap *m, void **root, uint64_t pfn, bool make)
{
    void **slot = root;
    for (unsigned int level = 0; level < INNER_LEVELS; level++) {
        if (!*slot) {
            if (!make || !(*slot = m->heap->zalloc(sizeof(struct inner))))
                return NULL;
        }
        slot = &((struct inner *)*slot)->child[index_at(pfn, level)];
    }
    return slot;
}

bool pfnmap_inc(struct pfnmap *m, uint64_t pfn)
{
    if (pfn >> PFNMAP_PFN_BITS)
        return false;
    void **slot = leaf_slot(m, &m->root, pfn, true);
    if (!slot)
        return false;
    if (!*slot && !(*slot = m->heap->zalloc(sizeof(struct leaf))))
        return false;
    struct leaf *l = *slot;
    uint16_t *c = &l->count[index_at(pfn, INNER_LEVELS)];
    if (*c == PFNMAP_COUNT_MAX)
        return false;
    l->used += *c == 0;
    (*c)++;
    return true;
}

bool pfnmap_dec(struct pfnmap *m, uint64_t pfn)
{
    void **slot = pfn >> PFNMAP_PFN_BITS ? NULL : leaf_slot(m, &m->root, pfn, false);
    struct leaf *l = slot ? *slot : NULL;
    uint16_t *c = l ? &l->count[index_at(pfn, INNER_LEVELS)] : NULL;
    if (!c || *c == 0)
        return false;
    if (--*c == 0 && --l->used == 0) {
        m->heap->free(l);
        *slot = NULL;
    }
    return true;
}

unsigned int pfnmap_get(const struct pfnmap *m, uint64_t pfn)
{
    void *root = m->root;
    void **slot = pfn >> PFNMAP_PFN_BITS ? NULL : leaf_slot(m, &root, pfn, false);
    const struct leaf *l = slot ? *slot : NULL;
    return l ? l->count[index_at(pfn, INNER_LEVELS)] : 0;
}

static void free_level(const struct pfnmap *m, void *node, unsigned int level)
{
    if (!node)
        return;
    if (level < INNER_LEVELS)
        for (unsigned int i = 0; i < FANOUT; i++)
            free_level(m, ((struct inner *)node)->child[i], level + 1);
    m->heap->free(node);
}

void pfnmap_free(struct pfnmap *m)
{
    free_level(m, m->root, 0);
    m->root = NULL;
}
