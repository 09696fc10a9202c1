/*
 * A hash map from 64-bit keys to 64-bit values: open addressing with linear
 * probing and backward-shift deletion (no tombstones, so lookups stay short
 * however many deletions happen). Grows by doubling at 3/4 load and shrinks
 * back when it empties, so an unused map costs no heap at all. Keys are page
 * or frame numbers; U64MAP_EMPTY is not a valid key.
 *
 * Storage comes from the hypervisor heap (xzalloc/xfree, provided by
 * core/mm.c in the hypervisor and by the unit tests on the host). Not
 * thread-safe: callers hold their own lock.
 */
#ifndef LIB_U64MAP_H
#define LIB_U64MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define U64MAP_EMPTY UINT64_MAX

/* The heap this map lives on (core/mm.c; the unit tests' own on the host). */
void *xzalloc(size_t size);
void xfree(void *p);

struct u64map {
    uint64_t *keys; /* cap slots, U64MAP_EMPTY = free; NULL when cap == 0 */
    uint64_t *vals;
    size_t cap; /* 0 or a power of two */
    size_t n;
};

#define U64MAP_INIT      \
    {                    \
        NULL, NULL, 0, 0 \
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
/* Drop everything and the storage. */
void u64map_free(struct u64map *m);

static inline size_t u64map_count(const struct u64map *m)
{
    return m->n;
}

#endif
