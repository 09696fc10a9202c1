/*
 * lib/rangeset.c: merging, exact insertion, removal and lookups, then random
 * operations checked against a byte map of a small address space.
 */
#include <stdint.h>
#include <string.h>
#include "harness.h"
#include <lib/rangeset.h>
#define TEST_RNG_SEED 0x9E3779B97F4A7C15ULL
#include "test_rng.h"

TEST(add_merges_overlapping_and_touching)
{
    struct range st[4];
    struct rangeset s;

    rangeset_init(&s, st, 4);
    CHECK_EQ(rangeset_add(&s, 100, 200), RANGESET_ADDED);
    CHECK_EQ(rangeset_add(&s, 100, 200), RANGESET_ADDED); /* a duplicate costs nothing */
    CHECK_EQ(s.nr, 1);
    CHECK_EQ(rangeset_add(&s, 200, 300), RANGESET_ADDED); /* touching */
    CHECK_EQ(s.nr, 1);
    CHECK_EQ(s.r[0].end, 300);
    CHECK_EQ(rangeset_add(&s, 400, 500), RANGESET_ADDED);
    CHECK_EQ(rangeset_add(&s, 10, 20), RANGESET_ADDED);
    CHECK_EQ(rangeset_add(&s, 600, 700), RANGESET_ADDED);
    CHECK_EQ(s.nr, 4);
    CHECK_EQ(rangeset_add(&s, 800, 900), RANGESET_FULL);
    CHECK_EQ(rangeset_add(&s, 150, 450), RANGESET_ADDED); /* merges two, frees a slot */
    CHECK_EQ(s.nr, 3);
    CHECK_EQ(s.r[1].start, 100);
    CHECK_EQ(s.r[1].end, 500);
    CHECK_EQ(rangeset_add(&s, 5, 5), RANGESET_EMPTY);
    CHECK_EQ(rangeset_add(&s, 0, 1000), RANGESET_ADDED);
    CHECK_EQ(s.nr, 1);
    CHECK(rangeset_check(&s, true));
}

TEST(add_at_the_top_of_the_address_space)
{
    struct range st[2];
    struct rangeset s;

    rangeset_init(&s, st, 2);
    CHECK_EQ(range_end(UINT64_MAX - 10, 100), UINT64_MAX);
    CHECK_EQ(rangeset_add(&s, UINT64_MAX - 4096, UINT64_MAX), RANGESET_ADDED);
    CHECK_EQ(rangeset_add(&s, 0, 4096), RANGESET_ADDED);
    CHECK(rangeset_covers(&s, UINT64_MAX - 1, UINT64_MAX));
    CHECK(rangeset_first_overlap(&s, 0, 1) == &s.r[0]);
    CHECK(rangeset_check(&s, true));
}

TEST(insert_keeps_ranges_exact)
{
    struct range st[3], c;
    struct rangeset s;

    rangeset_init(&s, st, 3);
    CHECK_EQ(rangeset_insert(&s, 100, 200, &c), RANGESET_ADDED);
    CHECK_EQ(rangeset_insert(&s, 200, 300, &c), RANGESET_ADDED); /* touching stays apart */
    CHECK_EQ(s.nr, 2);
    CHECK_EQ(rangeset_insert(&s, 100, 200, &c), RANGESET_EXISTS);
    CHECK_EQ(rangeset_insert(&s, 100, 150, &c), RANGESET_OVERLAP);
    CHECK_EQ(c.start, 100);
    CHECK_EQ(rangeset_insert(&s, 150, 250, &c), RANGESET_OVERLAP);
    CHECK_EQ(c.start, 100); /* the lowest it collides with */
    CHECK_EQ(rangeset_insert(&s, 250, 260, &c), RANGESET_OVERLAP);
    CHECK_EQ(c.start, 200);
    CHECK_EQ(rangeset_insert(&s, 0, 100, &c), RANGESET_ADDED);
    CHECK_EQ(rangeset_insert(&s, 300, 301, &c), RANGESET_FULL);
    CHECK(rangeset_find(&s, 200, 300) == &s.r[2]);
    CHECK(rangeset_find(&s, 200, 299) == NULL);
    CHECK(rangeset_covers(&s, 50, 250)); /* across touching ranges */
    CHECK(rangeset_check(&s, false));
    CHECK(!rangeset_check(&s, true));
}

TEST(remove_splits_and_trims)
{
    struct range st[3];
    struct rangeset s;

    rangeset_init(&s, st, 3);
    rangeset_add(&s, 0, 100);
    rangeset_add(&s, 200, 300);
    CHECK(rangeset_remove(&s, 40, 60)); /* split */
    CHECK_EQ(s.nr, 3);
    CHECK(!rangeset_remove(&s, 220, 230)); /* would need a fourth slot */
    CHECK_EQ(s.nr, 3);
    CHECK(rangeset_remove(&s, 50, 250)); /* drops one, trims another */
    CHECK_EQ(s.nr, 2);
    CHECK_EQ(s.r[0].end, 40);
    CHECK_EQ(s.r[1].start, 250);
    CHECK(rangeset_remove(&s, 0, 1000));
    CHECK_EQ(s.nr, 0);
}

TEST(lookups_on_holes)
{
    struct range st[4];
    struct rangeset s;

    rangeset_init(&s, st, 4);
    CHECK(!rangeset_covers(&s, 0, 1));
    CHECK(rangeset_first_overlap(&s, 0, 10) == NULL);
    rangeset_add(&s, 10, 20);
    rangeset_add(&s, 30, 40);
    CHECK(!rangeset_covers(&s, 15, 35));
    CHECK(!rangeset_covers(&s, 5, 15));
    CHECK(rangeset_covers(&s, 10, 20));
    CHECK(!rangeset_covers(&s, 10, 10));
    CHECK(rangeset_first_overlap(&s, 20, 30) == NULL);
    CHECK(rangeset_first_overlap(&s, 19, 31) == &s.r[0]);
}

#define SPACE 256
#define CAP 12

/* Random adds, inserts and removes over [0, SPACE), each checked against a
 * byte map (merged set) or an owner map (exact set). */
TEST(random_against_a_map)
{
    for (int round = 0; round < 200; round++) {
        struct range st[CAP];
        struct rangeset s;
        unsigned char map[SPACE] = {0};
        bool merged = round % 2 == 0;

        rangeset_init(&s, st, CAP);
        for (int op = 0; op < 200; op++) {
            uint64_t a = rnd() % SPACE, b = a + 1 + rnd() % 24;
            if (b > SPACE)
                b = SPACE;
            struct rangeset before = s;
            struct range saved[CAP];
            memcpy(saved, st, sizeof(saved));
            if (merged && rnd() % 4 == 0) {
                if (rangeset_remove(&s, a, b))
                    memset(map + a, 0, b - a);
                else
                    CHECK(s.nr == before.nr && !memcmp(saved, st, sizeof(saved)));
            } else if (merged) {
                if (rangeset_add(&s, a, b) == RANGESET_ADDED)
                    memset(map + a, 1, b - a);
                else
                    CHECK(s.nr == before.nr && s.nr == CAP);
            } else {
                bool clash = false;
                for (uint64_t x = a; x < b; x++)
                    clash |= map[x] != 0;
                enum rangeset_result r = rangeset_insert(&s, a, b, NULL);
                if (r == RANGESET_ADDED) {
                    CHECK(!clash);
                    memset(map + a, 1, b - a);
                } else {
                    CHECK(clash || r == RANGESET_FULL);
                }
            }
            REQUIRE(rangeset_check(&s, merged));
            /* Every byte is covered exactly when the map says so. */
            for (uint64_t x = 0; x < SPACE; x++)
                REQUIRE(rangeset_covers(&s, x, x + 1) == (map[x] != 0));
        }
    }
}
