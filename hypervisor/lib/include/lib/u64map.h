/*
 * A hash map from 64-bit keys to 64-bit values: open addressing with linear
 * probing and backward-shift deletion (no tombstones, so lookups stay short
 * however many deletions happen). Grows by doubling at 3/4 load and shrinks
 * back when it empties, so an unused map costs no heap at all. Keys are page
 * or frame numbers; U64MAP_EMPTY is not a valid key.
 *
 * Storage comes from the heap the map was given at init (lib/ stays
 * freestanding: the hypervisor's is core/mm.c's xzalloc/xfree, the unit
 * tests' their own). Not thread-safe: callers hold their own lock.
 */
#ifndef LIB_U64MAP_H
#define LIB_U64MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define U64MAP_EMPTY UINT64_MAX

/* Where a map's storage comes from: zeroed memory (NULL if none), and its
 * release (free(NULL) must be harmless). */
struct u64map_heap {
    void *(*zalloc)(size_t size);
    void (*free)(void *p);
};

struct u64map {
    const struct u64map_heap *heap;
    uint64_t *keys; /* cap slots, U64MAP_EMPTY = free; NULL when cap == 0 */
    uint64_t *vals;
    size_t cap; /* 0 or a power of two */
    size_t n;
};

/* An empty map on heap h (costs no storage until the first put). A map with
 * no heap (all zero) works but stays empty: puts fail. */
#define U64MAP_INIT(h)        \
    {                         \
        (h), NULL, NULL, 0, 0 \
    }

/* Insert or replace. False (map unchanged) when out of memory or the key is
 * U64MAP_EMPTY. */
bool u64map_put(struct u64map *m, uint64_t key, uint64_t val);
/* The value of key in *val (val may be NULL); false if absent. */
bool u64map_get(const struct u64map *m, uint64_t key, uint64_t *val);
/* Remove key, its value in *val (val may be NULL); false if absent. */
bool u64map_del(struct u64map *m, uint64_t key, uint64_t *val);
/* fn(key, value, ctx) for every entry, in no particular order; fn must not
 * change the map (teardown: visit all, then u64map_free). */
void u64map_for_each(const struct u64map *m, void (*fn)(uint64_t key, uint64_t val, void *ctx),
                     void *ctx);
/* Drop everything and the storage (the map stays usable, on its heap). */
void u64map_free(struct u64map *m);

static inline size_t u64map_count(const struct u64map *m)
{
    return m->n;
}

#endif
