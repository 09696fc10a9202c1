/*
 * Bitmaps over arrays of uint64_t words: bit n lives in word n / 64, bit n % 64.
 * Used for identifier allocation (VMIDs, event-channel ports). Callers size the
 * array with BITMAP_WORDS(nbits) and keep bits past nbits clear. Not atomic:
 * callers hold their own lock.
 */
#ifndef LIB_BITMAP_H
#define LIB_BITMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BITMAP_WORD_BITS 64
#define BITMAP_WORDS(nbits) (((nbits) + BITMAP_WORD_BITS - 1) / BITMAP_WORD_BITS)

static inline void bitmap_set(uint64_t *map, size_t bit)
{
    map[bit / BITMAP_WORD_BITS] |= 1ULL << (bit % BITMAP_WORD_BITS);
}

static inline void bitmap_clear(uint64_t *map, size_t bit)
{
    map[bit / BITMAP_WORD_BITS] &= ~(1ULL << (bit % BITMAP_WORD_BITS));
}

static inline bool bitmap_test(const uint64_t *map, size_t bit)
{
    return (map[bit / BITMAP_WORD_BITS] >> (bit % BITMAP_WORD_BITS)) & 1;
}

/* Clear all nbits bits (and the unused tail of the last word). */
void bitmap_zero(uint64_t *map, size_t nbits);
/* Lowest clear bit at or after start, below nbits; nbits if there is none. */
size_t bitmap_find_next_zero(const uint64_t *map, size_t nbits, size_t start);
/* Lowest set bit at or after start, below nbits; nbits if there is none. */
size_t bitmap_find_next_set(const uint64_t *map, size_t nbits, size_t start);
/* Shorthands for start = 0. */
size_t bitmap_find_first_zero(const uint64_t *map, size_t nbits);
size_t bitmap_find_first_set(const uint64_t *map, size_t nbits);
/* Number of set bits below nbits. */
size_t bitmap_weight(const uint64_t *map, size_t nbits);

#endif
