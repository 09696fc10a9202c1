/*
 * lib/idtab.c: domain ids to domains. Allocation order (a rover, wrapping,
 * never an id in use), explicit ids, publish/lookup, ordered walks, leaves
 * allocated and freed with their ids (memory back exactly), and a random
 * model check against a plain array.
 */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include <lib/idtab.h>
#define TEST_RNG_SEED 0x9E3779B97F4A7C15ULL
#include "test_rng.h"

#define LIMIT 0x7FF0u /* Xen's DOMID_FIRST_RESERVED */

static long live_leaves;
static int fail_allocs; /* > 0: fail that many allocations */

static void *zalloc(size_t n)
{
    if (fail_allocs > 0) {
        fail_allocs--;
        return NULL;
    }
    live_leaves++;
    return calloc(1, n);
}

static void release(void *p)
{
    if (p)
        live_leaves--;
    free(p);
}

static const struct idtab_heap heap = {zalloc, release};
static struct idtab t; /* large: static */

TEST(rover_hands_out_increasing_ids_and_wraps)
{
    idtab_init(&t, LIMIT, &heap);
    for (uint32_t i = 1; i < 100; i++)
        CHECK_EQ(idtab_alloc(&t, 1), i);
    idtab_free(&t, 5);
    /* Freed ids are not reused until the rover wraps. */
    CHECK_EQ(idtab_alloc(&t, 1), 100);
    for (uint32_t i = 101; i < LIMIT; i++)
        CHECK_EQ(idtab_alloc(&t, 1), i);
    CHECK_EQ(idtab_alloc(&t, 1), 5); /* wrapped: the only free one */
    CHECK_EQ(idtab_alloc(&t, 1), IDTAB_FULL);
    CHECK_EQ(idtab_count(&t), LIMIT - 1);
    CHECK_EQ(idtab_take(&t, 0), 0); /* dom0's, asked for */
    CHECK_EQ(idtab_take(&t, 0), IDTAB_FULL);
    CHECK_EQ(idtab_take(&t, LIMIT), IDTAB_FULL);
    for (uint32_t i = 0; i < LIMIT; i++)
        idtab_free(&t, i);
    CHECK_EQ(idtab_count(&t), 0);
    CHECK_EQ(live_leaves, 0);
}

TEST(publish_lookup_and_ordered_walk)
{
    static int objs[LIMIT];
    idtab_init(&t, LIMIT, &heap);
    CHECK_EQ(idtab_take(&t, 7), 7);
    CHECK(idtab_get(&t, 7) == NULL); /* allocated, not published */
    CHECK_EQ(idtab_next(&t, 0), -1);
    idtab_publish(&t, 7, &objs[7]);
    CHECK(idtab_get(&t, 7) == &objs[7]);
    CHECK_EQ(idtab_take(&t, 30000), 30000);
    idtab_publish(&t, 30000, &objs[30000]);
    CHECK_EQ(idtab_next(&t, 0), 7);
    CHECK_EQ(idtab_next(&t, 7), 7);
    CHECK_EQ(idtab_next(&t, 8), 30000);
    CHECK_EQ(idtab_next(&t, 30001), -1);
    CHECK_EQ(idtab_next(&t, LIMIT + 5), -1);
    idtab_publish(&t, 12, &objs[12]); /* not allocated: ignored */
    CHECK(idtab_get(&t, 12) == NULL);
    idtab_free(&t, 7); /* unpublishes */
    CHECK(idtab_get(&t, 7) == NULL);
    CHECK_EQ(idtab_next(&t, 0), 30000);
    idtab_free(&t, 30000);
    CHECK_EQ(live_leaves, 0);
    CHECK(idtab_get(&t, LIMIT) == NULL);
}

TEST(out_of_memory_for_a_leaf_changes_nothing)
{
    idtab_init(&t, LIMIT, &heap);
    fail_allocs = 1;
    CHECK_EQ(idtab_alloc(&t, 1), IDTAB_NOMEM);
    CHECK_EQ(idtab_count(&t), 0);
    CHECK_EQ(idtab_alloc(&t, 1), 1); /* the same id, memory back */
    CHECK_EQ(idtab_alloc(&t, 1), 2); /* same leaf: no allocation */
    fail_allocs = 1;
    CHECK_EQ(idtab_take(&t, 1000), IDTAB_NOMEM);
    CHECK_EQ(idtab_take(&t, 1000), 1000);
    fail_allocs = 0;
    idtab_free(&t, 1);
    idtab_free(&t, 2);
    idtab_free(&t, 1000);
    idtab_free(&t, 1000); /* twice: harmless */
    CHECK_EQ(live_leaves, 0);
}

TEST(no_heap_allocates_nothing)
{
    idtab_init(&t, LIMIT, NULL);
    CHECK_EQ(idtab_alloc(&t, 1), IDTAB_NOMEM);
}

TEST(small_limit_never_exceeded)
{
    idtab_init(&t, 70, &heap);
    for (uint32_t i = 1; i < 70; i++)
        CHECK_EQ(idtab_alloc(&t, 1), i);
    CHECK_EQ(idtab_alloc(&t, 1), IDTAB_FULL);
    CHECK_EQ(idtab_alloc(&t, 70), IDTAB_FULL);
    for (uint32_t i = 1; i < 70; i++)
        idtab_free(&t, i);
    CHECK_EQ(live_leaves, 0);
}

TEST(random_against_a_model)
{
    static void *model[LIMIT];
    static int objs[LIMIT];
    static unsigned char used[LIMIT];
    memset(model, 0, sizeof(model));
    memset(used, 0, sizeof(used));
    idtab_init(&t, LIMIT, &heap);
    uint32_t rover = 1, n = 0;
    for (int step = 0; step < 400000; step++) {
        uint32_t r = (uint32_t)rnd();
        uint32_t id = 1 + r % (LIMIT - 1);
        switch (r >> 28) {
        case 0 ... 6: { /* allocate: the model's rover rule */
            int got = idtab_alloc(&t, 1);
            uint32_t want = rover;
            while (want < LIMIT && used[want])
                want++;
            if (want >= LIMIT)
                for (want = 1; want < LIMIT && used[want]; want++)
                    ;
            if (want >= LIMIT) {
                CHECK_EQ(got, IDTAB_FULL);
                break;
            }
            CHECK_EQ(got, want);
            used[want] = 1;
            n++;
            rover = want + 1 < LIMIT ? want + 1 : 1;
            break;
        }
        case 7 ... 9:
            if (used[id]) {
                idtab_publish(&t, id, &objs[id]);
                model[id] = &objs[id];
            }
            break;
        default:
            if (used[id]) {
                idtab_free(&t, id);
                used[id] = 0;
                model[id] = NULL;
                n--;
            }
            break;
        }
        CHECK(idtab_get(&t, id) == model[id]);
        if (step % 997 == 0) {
            uint32_t from = r % LIMIT, want = from;
            while (want < LIMIT && !model[want])
                want++;
            CHECK_EQ(idtab_next(&t, from), want < LIMIT ? (int)want : -1);
        }
    }
    CHECK_EQ(idtab_count(&t), n);
    for (uint32_t i = 0; i < LIMIT; i++)
        idtab_free(&t, i);
    CHECK_EQ(live_leaves, 0);
}
