/*
 * A table of small integer ids (domain ids: Xen's space is 0..0x7fef) to
 * pointers, for any number of entries in O(1) per operation:
 *  - allocation from a rover (increasing ids, wrapping, as Xen hands out
 *    domids) or of one id asked for, over a bitmap of ids in use with a
 *    summary bitmap of its full words, so a search reads at most a few words
 *    whatever the number of ids taken;
 *  - lookup through a two-level table: leaves of IDTAB_LEAF pointers are
 *    allocated with their first id and freed with their last, so an empty
 *    table holds no heap and memory comes back exactly;
 *  - the next id at or above a given one that holds a pointer (ordered walks,
 *    e.g. getdomaininfolist), over a bitmap of published ids with a summary
 *    of its non-empty words.
 * An id is allocated first and published (given its pointer) later, so a
 * half-built object holds its id without being found. Storage comes from the
 * heap given at init (lib/ stays freestanding). Not thread-safe: callers hold
 * their own lock. Pure logic: unit-tested on the host.
 */
#ifndef LIB_IDTAB_H
#define LIB_IDTAB_H

#include <stddef.h>
#include <stdint.h>

#define IDTAB_MAX 32768u /* ids below this at most */
#define IDTAB_LEAF 256u  /* pointers per leaf */
#define IDTAB_WORDS (IDTAB_MAX / 64)
#define IDTAB_SUMMARY (IDTAB_WORDS / 64)

#define IDTAB_FULL (-1)  /* no id left (or the id asked for is taken / out of range) */
#define IDTAB_NOMEM (-2) /* no memory for the id's leaf */

struct idtab_heap {
    void *(*zalloc)(size_t size); /* zeroed, NULL if none */
    void (*free)(void *p);
};

struct idtab {
    const struct idtab_heap *heap;
    uint32_t limit; /* ids 0..limit-1 */
    uint32_t rover; /* where the next search starts */
    uint32_t nr_used;
    uint64_t used[IDTAB_WORDS];
    uint64_t used_full[IDTAB_SUMMARY]; /* bit w: used[w] is all ones */
    uint64_t published[IDTAB_WORDS];
    uint64_t published_any[IDTAB_SUMMARY]; /* bit w: published[w] is not zero */
    void **leaves[IDTAB_MAX / IDTAB_LEAF];
    uint16_t leaf_ids[IDTAB_MAX / IDTAB_LEAF]; /* ids allocated in each leaf */
};

/* An empty table of ids 0..limit-1 (limit <= IDTAB_MAX) on heap h. */
void idtab_init(struct idtab *t, uint32_t limit, const struct idtab_heap *h);
/* The first free id at or after the rover in [first, limit), wrapping round
 * to first; the rover then moves past it. IDTAB_FULL or IDTAB_NOMEM. */
int idtab_alloc(struct idtab *t, uint32_t first);
/* Allocate exactly id: IDTAB_FULL if taken or out of range, IDTAB_NOMEM. */
int idtab_take(struct idtab *t, uint32_t id);
/* Give an allocated id its pointer (NULL: unpublish). */
void idtab_publish(struct idtab *t, uint32_t id, void *p);
/* Release an allocated id (unpublished first if needed). */
void idtab_free(struct idtab *t, uint32_t id);
/* The pointer published for id, or NULL. */
void *idtab_get(const struct idtab *t, uint32_t id);
/* The lowest published id >= min, or -1. */
int idtab_next(const struct idtab *t, uint32_t min);

static inline uint32_t idtab_count(const struct idtab *t)
{
    return t->nr_used;
}

#endif
