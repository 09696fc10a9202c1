/*
 * Sets of address ranges in a caller-provided array, kept sorted by start:
 * what physical memory holds at boot (RAM banks, reservations, boot modules).
 *
 * A range is [start, end) with start < end; a range that would run past
 * 2^64 ends at UINT64_MAX instead (its last byte is never a page anyway).
 * Two kinds of insertion:
 *  - rangeset_add() merges the new range with every range it overlaps or
 *    touches, so N descriptions of the same memory cost one slot;
 *  - rangeset_insert() keeps ranges exactly as given and refuses a range
 *    that overlaps a different one (an identical one is found, not added).
 * A full array refuses a range that needs a new slot and changes nothing.
 * Lookups are binary searches; insertions move the tail, O(n).
 * Pure logic, no locking: unit-tested and fuzzed on the host.
 */
#ifndef LIB_RANGESET_H
#define LIB_RANGESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct range {
    uint64_t start, end; /* [start, end) */
};

struct rangeset {
    struct range *r; /* r[0..nr-1], sorted by start */
    unsigned int nr, cap;
};

/* The end of a range of size bytes at start, saturated at UINT64_MAX. */
static inline uint64_t range_end(uint64_t start, uint64_t size)
{
    return start + size < start ? UINT64_MAX : start + size;
}

void rangeset_init(struct rangeset *s, struct range *storage, unsigned int cap);

enum rangeset_result {
    RANGESET_ADDED = 0,
    RANGESET_EXISTS,  /* rangeset_insert: this exact range is already there */
    RANGESET_OVERLAP, /* rangeset_insert: overlaps a different range (*conflict) */
    RANGESET_FULL,    /* no free slot */
    RANGESET_EMPTY,   /* start >= end: nothing to add */
};

/* Add [start, end), merging with the ranges it overlaps or touches. */
enum rangeset_result rangeset_add(struct rangeset *s, uint64_t start, uint64_t end);
/* Add [start, end) as it is; conflict (may be NULL) receives the range an
 * OVERLAP result collides with (the lowest one). */
enum rangeset_result rangeset_insert(struct rangeset *s, uint64_t start, uint64_t end,
                                     struct range *conflict);
/* Remove [start, end) from every range (splitting one if needed); false if a
 * split needed a slot the array does not have (nothing changed then). */
bool rangeset_remove(struct rangeset *s, uint64_t start, uint64_t end);

/* The lowest range overlapping [start, end), or NULL. */
const struct range *rangeset_first_overlap(const struct rangeset *s, uint64_t start, uint64_t end);
/* Is [start, end) inside the union of the ranges (it may span touching ones)? */
bool rangeset_covers(const struct rangeset *s, uint64_t start, uint64_t end);
/* The range equal to [start, end), or NULL. */
const struct range *rangeset_find(const struct rangeset *s, uint64_t start, uint64_t end);

/* Sorted, each range non-empty, and (merged == true) none overlapping or
 * touching the next / (false) none overlapping the next. For tests. */
bool rangeset_check(const struct rangeset *s, bool merged);

#endif
