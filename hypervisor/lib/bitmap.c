/*
 * Bitmap searches, a word at a time: a search for a zero inverts each word so
 * both searches reduce to "lowest set bit of a word".
 */
#include <lib/bitmap.h>

void bitmap_zero(uint64_t *map, size_t nbits)
{
    for (size_t i = 0; i < BITMAP_WORDS(nbits); i++)
        map[i] = 0;
}

/* Bits of word `word` that lie in [start, nbits), in word position. */
static uint64_t range_mask(size_t word, size_t start, size_t nbits)
{
    size_t lo = word * BITMAP_WORD_BITS;
    uint64_t mask = ~0ULL;

    if (start > lo)
        mask &= ~0ULL << (start - lo);
    if (nbits - lo < BITMAP_WORD_BITS)
        mask &= (1ULL << (nbits - lo)) - 1;
    return mask;
}

/* invert = ~0 finds zeros, 0 finds ones. */
static size_t find_next(const uint64_t *map, size_t nbits, size_t start, uint64_t invert)
{
    if (start >= nbits)
        return nbits;
    for (size_t w = start / BITMAP_WORD_BITS; w < BITMAP_WORDS(nbits); w++) {
        uint64_t bits = (map[w] ^ invert) & range_mask(w, start, nbits);

        if (bits)
            return w * BITMAP_WORD_BITS + (size_t)__builtin_ctzll(bits);
    }
    return nbits;
}

size_t bitmap_find_next_zero(const uint64_t *map, size_t nbits, size_t start)
{
    return find_next(map, nbits, start, ~0ULL);
}

size_t bitmap_find_next_set(const uint64_t *map, size_t nbits, size_t start)
{
    return find_next(map, nbits, start, 0);
}

size_t bitmap_find_first_zero(const uint64_t *map, size_t nbits)
{
    return find_next(map, nbits, 0, ~0ULL);
}

size_t bitmap_find_first_set(const uint64_t *map, size_t nbits)
{
    return find_next(map, nbits, 0, 0);
}

size_t bitmap_weight(const uint64_t *map, size_t nbits)
{
    size_t count = 0;

    for (size_t w = 0; w < BITMAP_WORDS(nbits); w++)
        count += (size_t)__builtin_popcountll(map[w] & range_mask(w, 0, nbits));
    return count;
}
