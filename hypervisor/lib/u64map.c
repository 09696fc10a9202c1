/* lib/u64map.h: open addressing, linear probing, backward-shift deletion. */
#include <string.h>
#include <lib/u64map.h>

#define MIN_CAP 16

static size_t slot_of(uint64_t key, size_t cap)
{
    /* Fibonacci hashing: frame numbers are sequential, the multiply spreads them. */
    return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 32) & (cap - 1);
}

/* The slot holding key, or the free slot where it would go. */
static size_t find(const struct u64map *m, uint64_t key)
{
    size_t i = slot_of(key, m->cap);
    while (m->keys[i] != U64MAP_EMPTY && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    return i;
}

/* Move everything into fresh storage of new_cap slots (0 = free it all). */
static bool resize(struct u64map *m, size_t new_cap)
{
    uint64_t *keys = NULL, *vals = NULL;
    if (new_cap && !m->heap)
        return false; /* a map given no heap cannot grow */
    if (new_cap) {
        keys = m->heap->zalloc(new_cap * sizeof(*keys));
        vals = m->heap->zalloc(new_cap * sizeof(*vals));
        if (!keys || !vals) {
            m->heap->free(keys);
            m->heap->free(vals);
            return false;
        }
        memset(keys, 0xff, new_cap * sizeof(*keys)); /* all U64MAP_EMPTY */
    }
    struct u64map old = *m;
    m->keys = keys;
    m->vals = vals;
    m->cap = new_cap;
    for (size_t i = 0; i < old.cap && new_cap; i++) {
        if (old.keys[i] == U64MAP_EMPTY)
            continue;
        size_t j = find(m, old.keys[i]);
        m->keys[j] = old.keys[i];
        m->vals[j] = old.vals[i];
    }
    m->heap->free(old.keys);
    m->heap->free(old.vals);
    return true;
}

/* The slot holding key in *i; false if key is absent (or not a valid key). */
static bool locate(const struct u64map *m, uint64_t key, size_t *i)
{
    if (!m->cap || key == U64MAP_EMPTY)
        return false;
    *i = find(m, key);
    return m->keys[*i] == key;
}

bool u64map_put(struct u64map *m, uint64_t key, uint64_t val)
{
    if (key == U64MAP_EMPTY)
        return false;
    size_t i;
    if (locate(m, key, &i)) {
        m->vals[i] = val;
        return true;
    }
    /* Keep the load at most 3/4 so probe runs stay short. */
    if ((m->n + 1) * 4 > m->cap * 3 && !resize(m, m->cap ? m->cap * 2 : MIN_CAP))
        return false;
    i = find(m, key);
    m->keys[i] = key;
    m->vals[i] = val;
    m->n++;
    return true;
}

bool u64map_get(const struct u64map *m, uint64_t key, uint64_t *val)
{
    size_t i;
    if (!locate(m, key, &i))
        return false;
    if (val)
        *val = m->vals[i];
    return true;
}

/* Empty slot i, pulling back later entries of the run that would no longer
 * be found past the hole (Knuth's algorithm R). */
static void remove_slot(struct u64map *m, size_t i)
{
    size_t mask = m->cap - 1, j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (m->keys[j] == U64MAP_EMPTY)
            break;
        size_t home = slot_of(m->keys[j], m->cap);
        /* Entry j may move to i unless its home lies cyclically in (i, j]. */
        bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (stays)
            continue;
        m->keys[i] = m->keys[j];
        m->vals[i] = m->vals[j];
        i = j;
    }
    m->keys[i] = U64MAP_EMPTY;
    m->n--;
    /* Give memory back: all of it when empty, half when at 1/8 load. */
    if (m->n == 0)
        resize(m, 0);
    else if (m->cap > MIN_CAP && m->n * 8 < m->cap)
        resize(m, m->cap / 2); /* failure keeps the larger table: still correct */
}

bool u64map_del(struct u64map *m, uint64_t key, uint64_t *val)
{
    size_t i;
    if (!locate(m, key, &i))
        return false;
    if (val)
        *val = m->vals[i];
    remove_slot(m, i);
    return true;
}

void u64map_for_each(const struct u64map *m, void (*fn)(uint64_t key, uint64_t val, void *ctx),
                     void *ctx)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i] != U64MAP_EMPTY)
            fn(m->keys[i], m->vals[i], ctx);
}

void u64map_free(struct u64map *m)
{
    if (m->cap) {
        m->heap->free(m->keys);
        m->heap->free(m->vals);
    }
    *m = (struct u64map)U64MAP_INIT(m->heap);
}
