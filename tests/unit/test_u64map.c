/* lib/u64map.c against an array model: random puts/deletes on a small key
 * space (long probe runs, wrap-around, shrinking), allocation failure. */
#include <stdint.h>
#include <stdlib.h>
#include "harness.h"
#include <lib/u64map.h>
#define TEST_RNG_SEED 0x2545F4914F6CDD1DULL
#include "test_rng.h"

static int fail_after = -1; /* allocations left before test_zalloc fails; -1 = never */

static void *test_zalloc(size_t size)
{
    if (fail_after == 0)
        return NULL;
    if (fail_after > 0)
        fail_after--;
    return calloc(1, size);
}

static void test_free(void *p)
{
    free(p);
}

static const struct u64map_heap heap = {test_zalloc, test_free};

TEST(empty_map_costs_nothing)
{
    struct u64map m = U64MAP_INIT(&heap);
    CHECK(!u64map_get(&m, 5, NULL));
    CHECK(!u64map_del(&m, 5, NULL));
    CHECK(u64map_put(&m, 5, 50));
    CHECK(m.cap > 0);
    CHECK(u64map_del(&m, 5, NULL));
    CHECK_EQ(m.cap, 0);
    CHECK(m.keys == NULL);
}

TEST(put_get_replace_delete)
{
    struct u64map m = U64MAP_INIT(&heap);
    uint64_t v = 0;
    CHECK(!u64map_put(&m, U64MAP_EMPTY, 1));
    CHECK(u64map_put(&m, 0, 7));
    CHECK(u64map_put(&m, 0, 8));
    CHECK_EQ(u64map_count(&m), 1);
    CHECK(u64map_get(&m, 0, &v));
    CHECK_EQ(v, 8);
    CHECK(!u64map_get(&m, U64MAP_EMPTY, &v));
    CHECK(u64map_del(&m, 0, &v));
    CHECK_EQ(v, 8);
    CHECK(!u64map_get(&m, 0, NULL));
    u64map_free(&m);
}

#define KEYS 512

static void sum_values(uint64_t key, uint64_t val, void *ctx)
{
    *(uint64_t *)ctx += key ^ val;
}

TEST(random_against_model)
{
    struct u64map m = U64MAP_INIT(&heap);
    uint64_t model[KEYS];
    bool present[KEYS] = {false};
    size_t n = 0;
    for (int round = 0; round < 200000; round++) {
        /* Keys sharing low bits and high bits, so runs collide and wrap. */
        unsigned int k = (unsigned int)(rnd() % KEYS);
        uint64_t key = ((uint64_t)k << 40) | (k & 7);
        uint64_t r = rnd();
        /* Phases that fill up and drain, so the table grows and shrinks. */
        bool filling = (round / 5000) % 2 == 0;
        if (r % 4 != 0 ? filling : !filling) {
            CHECK(u64map_put(&m, key, r));
            n += !present[k];
            present[k] = true;
            model[k] = r;
        } else {
            uint64_t v = 0;
            bool had = u64map_del(&m, key, &v);
            CHECK_EQ(had, present[k]);
            if (had)
                CHECK_EQ(v, model[k]);
            n -= present[k];
            present[k] = false;
        }
        CHECK_EQ(u64map_count(&m), n);
        if (round % 997 == 0) {
            uint64_t want = 0, got = 0;
            for (unsigned int i = 0; i < KEYS; i++) {
                uint64_t v = 0, key_i = ((uint64_t)i << 40) | (i & 7);
                CHECK_EQ(u64map_get(&m, key_i, &v), present[i]);
                if (present[i]) {
                    CHECK_EQ(v, model[i]);
                    want += key_i ^ model[i];
                }
            }
            u64map_for_each(&m, sum_values, &got);
            CHECK_EQ(got, want);
            CHECK(m.cap == 0 || (m.n * 4 <= m.cap * 3));
        }
    }
    u64map_free(&m);
}

TEST(out_of_memory_leaves_map_intact)
{
    struct u64map m = U64MAP_INIT(&heap);
    uint64_t i;
    for (i = 0; i < 12; i++) /* 12 of 16 slots: the next put must grow */
        CHECK(u64map_put(&m, i, i * 10));
    fail_after = 1; /* keys array allocates, values array fails */
    CHECK(!u64map_put(&m, 100, 1));
    fail_after = -1;
    CHECK_EQ(u64map_count(&m), 12);
    for (i = 0; i < 12; i++) {
        uint64_t v = 0;
        CHECK(u64map_get(&m, i, &v));
        CHECK_EQ(v, i * 10);
    }
    CHECK(!u64map_get(&m, 100, NULL));
    /* Replacing an existing key needs no memory. */
    fail_after = 0;
    CHECK(u64map_put(&m, 3, 33));
    fail_after = -1;
    u64map_free(&m);
}

TEST(map_without_heap_stays_empty)
{
    struct u64map m = {0}; /* e.g. inside a zeroed structure, never given a heap */
    CHECK(!u64map_put(&m, 5, 50));
    CHECK(!u64map_get(&m, 5, NULL));
    CHECK(!u64map_del(&m, 5, NULL));
    u64map_free(&m); /* harmless */
    CHECK(m.heap == NULL && m.keys == NULL && m.cap == 0);
    m.heap = &heap;
    CHECK(u64map_put(&m, 5, 50));
    u64map_free(&m);
    CHECK(m.heap == &heap && m.keys == NULL);
}
