/* lib/idtab.h: ids to pointers, O(1) in the number of ids taken. */
#include <string.h>
#include <lib/idtab.h>

static inline uint64_t bit(uint32_t n)
{
    return 1ULL << (n % 64);
}

void idtab_init(struct idtab *t, uint32_t limit, const struct idtab_heap *h)
{
    memset(t, 0, sizeof(*t));
    t->heap = h;
    t->limit = limit < IDTAB_MAX ? limit : IDTAB_MAX;
    /* Ids past the limit count as used, so searches never return them. */
    for (uint32_t id = t->limit; id < IDTAB_MAX; id++)
        t->used[id / 64] |= bit(id);
    for (uint32_t w = 0; w < IDTAB_WORDS; w++)
        if (t->used[w] == ~0ULL)
            t->used_full[w / 64] |= bit(w);
}

/* The lowest word index >= w whose summary bit is (set == true) set, or
 * clear; IDTAB_WORDS if none. At most IDTAB_SUMMARY summary words read. */
static uint32_t next_word(const uint64_t *summary, uint32_t w, int want_set)
{
    for (uint32_t s = w / 64; s < IDTAB_SUMMARY; s++) {
        uint64_t bits = want_set ? summary[s] : ~summary[s];
        if (s == w / 64)
            bits &= ~0ULL << (w % 64);
        if (bits)
            return s * 64 + (uint32_t)__builtin_ctzll(bits);
    }
    return IDTAB_WORDS;
}

/* The lowest free id in [from, IDTAB_MAX), or IDTAB_MAX. */
static uint32_t find_free(const struct idtab *t, uint32_t from)
{
    if (from >= IDTAB_MAX)
        return IDTAB_MAX;
    uint32_t w = from / 64;
    uint64_t free = ~t->used[w] & (~0ULL << (from % 64));
    if (free)
        return w * 64 + (uint32_t)__builtin_ctzll(free);
    w = next_word(t->used_full, w + 1, 0);
    if (w >= IDTAB_WORDS)
        return IDTAB_MAX;
    return w * 64 + (uint32_t)__builtin_ctzll(~t->used[w]);
}

static int mark_used(struct idtab *t, uint32_t id)
{
    uint32_t l = id / IDTAB_LEAF;
    if (!t->leaves[l]) {
        t->leaves[l] =
            t->heap && t->heap->zalloc ? t->heap->zalloc(IDTAB_LEAF * sizeof(void *)) : NULL;
        if (!t->leaves[l])
            return IDTAB_NOMEM;
    }
    t->leaf_ids[l]++;
    t->used[id / 64] |= bit(id);
    if (t->used[id / 64] == ~0ULL)
        t->used_full[id / 64 / 64] |= bit(id / 64);
    t->nr_used++;
    return (int)id;
}

int idtab_alloc(struct idtab *t, uint32_t first)
{
    if (first >= t->limit)
        return IDTAB_FULL;
    uint32_t from = t->rover < first || t->rover >= t->limit ? first : t->rover;
    uint32_t id = find_free(t, from);
    if (id >= t->limit)
        id = find_free(t, first);
    if (id >= t->limit)
        return IDTAB_FULL;
    int rc = mark_used(t, id);
    if (rc >= 0)
        t->rover = id + 1 < t->limit ? id + 1 : first;
    return rc;
}

int idtab_take(struct idtab *t, uint32_t id)
{
    if (id >= t->limit || (t->used[id / 64] & bit(id)))
        return IDTAB_FULL;
    return mark_used(t, id);
}

void idtab_publish(struct idtab *t, uint32_t id, void *p)
{
    if (id >= t->limit || !(t->used[id / 64] & bit(id)))
        return;
    t->leaves[id / IDTAB_LEAF][id % IDTAB_LEAF] = p;
    if (p) {
        t->published[id / 64] |= bit(id);
        t->published_any[id / 64 / 64] |= bit(id / 64);
    } else {
        t->published[id / 64] &= ~bit(id);
        if (!t->published[id / 64])
            t->published_any[id / 64 / 64] &= ~bit(id / 64);
    }
}

void idtab_free(struct idtab *t, uint32_t id)
{
    if (id >= t->limit || !(t->used[id / 64] & bit(id)))
        return;
    idtab_publish(t, id, NULL);
    t->used[id / 64] &= ~bit(id);
    t->used_full[id / 64 / 64] &= ~bit(id / 64);
    t->nr_used--;
    uint32_t l = id / IDTAB_LEAF;
    if (--t->leaf_ids[l] == 0) {
        if (t->heap && t->heap->free)
            t->heap->free(t->leaves[l]);
        t->leaves[l] = NULL;
    }
}

void *idtab_get(const struct idtab *t, uint32_t id)
{
    if (id >= t->limit || !(t->published[id / 64] & bit(id)))
        return NULL;
    return t->leaves[id / IDTAB_LEAF][id % IDTAB_LEAF];
}

int idtab_next(const struct idtab *t, uint32_t min)
{
    if (min >= t->limit)
        return -1;
    uint32_t w = min / 64;
    uint64_t bits = t->published[w] & (~0ULL << (min % 64));
    if (!bits) {
        w = next_word(t->published_any, w + 1, 1);
        if (w >= IDTAB_WORDS)
            return -1;
        bits = t->published[w];
    }
    return (int)(w * 64 + (uint32_t)__builtin_ctzll(bits));
}
