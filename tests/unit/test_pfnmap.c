/* lib/pfnmap.c against a model: random increments and decrements over frame
 * numbers spread across the whole 36-bit range and clustered in one leaf;
 * leaves freed when they empty, nothing leaked, allocation failure and the
 * count limit leave the map unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include "harness.h"
#include <lib/pfnmap.h>
#define TEST_RNG_SEED 0x6A09E667F3BCC909ULL
#include "test_rng.h"

static int fail_after = -1; /* allocations left before test_zalloc fails; -1 = never */
static long live;           /* allocations not freed */

static void *test_zalloc(size_t size)
{
    if (fail_after == 0)
        return NULL;
    if (fail_after > 0)
        fail_after--;
    live++;
    return calloc(1, size);
}

static void test_free(void *p)
{
    live -= p != NULL;
    free(p);
}

static const struct pfnmap_heap heap = {test_zalloc, test_free};

#define NKEYS 64

TEST(matches_a_model)
{
    struct pfnmap m = PFNMAP_INIT(&heap);
    uint64_t keys[NKEYS];
    unsigned int model[NKEYS] = {0};
    for (int i = 0; i < NKEYS; i++) /* half anywhere, half in one 2 MiB region */
        keys[i] = i % 2 ? rnd() & ((1ULL << PFNMAP_PFN_BITS) - 1) : 0x12345600ULL + (uint64_t)i;
    keys[1] = 0;
    keys[3] = (1ULL << PFNMAP_PFN_BITS) - 1;
    for (int step = 0; step < 200000; step++) {
        int k = (int)(rnd() % NKEYS);
        if (rnd() % 3) {
            CHECK(pfnmap_inc(&m, keys[k]));
            model[k]++;
        } else {
            CHECK_EQ(pfnmap_dec(&m, keys[k]), model[k] > 0);
            model[k] -= model[k] > 0;
        }
        int c = (int)(rnd() % NKEYS);
        CHECK_EQ(pfnmap_get(&m, keys[c]), model[c]);
    }
    for (int k = 0; k < NKEYS; k++)
        while (model[k]--)
            CHECK(pfnmap_dec(&m, keys[k]));
    /* Every leaf went when it emptied: only the pointer levels are left. */
    CHECK_EQ(pfnmap_get(&m, keys[0]), 0);
    pfnmap_free(&m);
    CHECK_EQ(live, 0);
    CHECK(m.root == NULL);
}

TEST(limits_leave_the_map_unchanged)
{
    struct pfnmap m = PFNMAP_INIT(&heap);
    CHECK(!pfnmap_inc(&m, 1ULL << PFNMAP_PFN_BITS));
    CHECK(!pfnmap_dec(&m, 42));
    CHECK_EQ(pfnmap_get(&m, 42), 0);
    CHECK_EQ(live, 0); /* a miss allocates nothing */
    for (unsigned int i = 0; i < PFNMAP_COUNT_MAX; i++)
        CHECK(pfnmap_inc(&m, 42));
    CHECK(!pfnmap_inc(&m, 42));
    CHECK_EQ(pfnmap_get(&m, 42), PFNMAP_COUNT_MAX);
    /* Out of memory for a new leaf: nothing counted. */
    fail_after = 0;
    CHECK(!pfnmap_inc(&m, 1ULL << 20));
    fail_after = -1;
    CHECK_EQ(pfnmap_get(&m, 1ULL << 20), 0);
    CHECK(pfnmap_inc(&m, 1ULL << 20));
    CHECK_EQ(pfnmap_get(&m, 1ULL << 20), 1);
    pfnmap_free(&m);
    CHECK_EQ(live, 0);
    CHECK(pfnmap_inc(&m, 7)); /* usable again after free */
    pfnmap_free(&m);
    CHECK_EQ(live, 0);
}
