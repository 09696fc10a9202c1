/* lib/sort.c: heapsort against sorted-order and permutation checks on random,
 * sorted, reversed and constant inputs of every small length, and structs
 * sorted by one field. */
#include <stdint.h>
#include <stdlib.h>
#include "harness.h"
#include <lib/sort.h>
#define TEST_RNG_SEED 0x9E3779B97F4A7C15ULL
#include "test_rng.h"

static bool less_u64(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    return *(const uint64_t *)a < *(const uint64_t *)b;
}

/* Sorted, and the same multiset as before (sum and xor of squares). */
static void check_sorted(uint64_t *v, size_t n)
{
    uint64_t sum = 0, x = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i], x ^= v[i] * v[i];
    heap_sort(v, n, sizeof(*v), less_u64, NULL);
    uint64_t sum2 = 0, x2 = 0;
    for (size_t i = 0; i < n; i++) {
        sum2 += v[i], x2 ^= v[i] * v[i];
        if (i)
            CHECK(v[i - 1] <= v[i]);
    }
    CHECK_EQ(sum, sum2);
    CHECK_EQ(x, x2);
}

TEST(every_length_and_order)
{
    uint64_t v[300];
    for (size_t n = 0; n <= 300; n++) {
        for (size_t i = 0; i < n; i++)
            v[i] = rnd() % (n / 2 + 1); /* duplicates */
        check_sorted(v, n);
        check_sorted(v, n); /* already sorted */
        for (size_t i = 0; i < n; i++)
            v[i] = n - i;
        check_sorted(v, n);
        for (size_t i = 0; i < n; i++)
            v[i] = 7;
        check_sorted(v, n);
    }
}

struct rec {
    uint32_t key;
    uint32_t tag;
    uint64_t pad[2];
};

static bool less_rec(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    return ((const struct rec *)a)->key < ((const struct rec *)b)->key;
}

TEST(structs_move_whole)
{
    struct rec r[1000];
    for (uint32_t i = 0; i < 1000; i++)
        r[i] = (struct rec){(uint32_t)(rnd() % 100000), i, {i, ~(uint64_t)i}};
    heap_sort(r, 1000, sizeof(r[0]), less_rec, NULL);
    for (uint32_t i = 0; i < 1000; i++) {
        CHECK(i == 0 || r[i - 1].key <= r[i].key);
        CHECK_EQ(r[i].pad[0], r[i].tag);
        CHECK_EQ(r[i].pad[1], ~(uint64_t)r[i].tag);
    }
}
