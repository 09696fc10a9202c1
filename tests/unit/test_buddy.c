/*
 * lib/buddy.c: random alloc/free sequences against a shadow page map, with
 * buddy_check() after every step; exhaustion; coalescing back to full blocks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include <lib/buddy.h>
#define TEST_RNG_SEED 88172645463325252ULL
#include "test_rng.h"

#define PG 4096ULL

struct fixture {
    struct buddy b;
    void *meta;
    size_t npages;
    uint64_t base;
    int *owner; /* shadow: allocation id per page, 0 = not allocated by us */
};

static void setup(struct fixture *f, uint64_t base, size_t npages)
{
    f->npages = npages;
    f->base = base;
    f->meta = malloc(buddy_meta_size(npages));
    f->owner = calloc(npages, sizeof(int));
    CHECK_EQ(buddy_init(&f->b, base, npages, f->meta), 0);
}

static void teardown(struct fixture *f)
{
    free(f->meta);
    free(f->owner);
}

TEST(init_rejects_bad_arguments)
{
    struct buddy b;
    char meta[64];

    CHECK_EQ(buddy_init(&b, 0, 4, meta), -1);
    CHECK_EQ(buddy_init(&b, 0x1001, 4, meta), -1);
    CHECK_EQ(buddy_init(&b, 0x1000, 0, meta), -1);
    CHECK_EQ(buddy_init(&b, 0x1000, 4, NULL), -1);
    CHECK_EQ(buddy_init(&b, 0x1000, 4, meta), 0);
    CHECK_EQ(buddy_free_pages(&b), 0); /* everything starts reserved */
    CHECK_EQ(buddy_alloc(&b, 0), 0);
    CHECK(buddy_check(&b));
}

TEST(add_range_builds_aligned_blocks)
{
    struct fixture f;

    /* Base 3 pages past a 1 GiB boundary: blocks must align to physical addresses. */
    setup(&f, 0x40000000ULL + 3 * PG, 1100);
    buddy_add_range(&f.b, f.base, 1100);
    CHECK_EQ(buddy_free_pages(&f.b), 1100);
    CHECK(buddy_check(&f.b));
    /* Pages 3..1102 past the boundary: the only 512-page block is 512..1023. */
    CHECK_EQ(buddy_alloc(&f.b, 9), 0x40000000ULL + 512 * PG);
    CHECK_EQ(buddy_alloc(&f.b, 9), 0);
    CHECK(buddy_check(&f.b));
    teardown(&f);
}

TEST(add_range_clips_to_instance)
{
    struct fixture f;

    setup(&f, 0x80000000ULL, 64);
    buddy_add_range(&f.b, 0x80000000ULL - 16 * PG, 32); /* half below base */
    CHECK_EQ(buddy_free_pages(&f.b), 16);
    buddy_add_range(&f.b, 0x80000000ULL + 48 * PG, 1000); /* runs past the end */
    CHECK_EQ(buddy_free_pages(&f.b), 32);
    CHECK(buddy_check(&f.b));
    teardown(&f);
}

TEST(exhaustion_then_coalesce_to_full)
{
    struct fixture f;
    uint64_t *got = malloc(4096 * sizeof(uint64_t));
    size_t n = 0;
    uint64_t pa;

    setup(&f, 0x100000000ULL, 4096);
    buddy_add_range(&f.b, f.base, 4096);
    while ((pa = buddy_alloc(&f.b, 0)) != 0) {
        REQUIRE(n < 4096);
        got[n++] = pa;
    }
    CHECK_EQ(n, 4096);
    CHECK_EQ(buddy_free_pages(&f.b), 0);
    CHECK(buddy_check(&f.b));
    /* Free in a scrambled order; everything must merge back into 4096/2^12 block. */
    for (size_t i = 0; i < n; i++) {
        size_t j = i + rnd() % (n - i);
        uint64_t t = got[i];

        got[i] = got[j];
        got[j] = t;
        buddy_free(&f.b, got[i], 0);
    }
    CHECK_EQ(buddy_free_pages(&f.b), 4096);
    CHECK(buddy_check(&f.b));
    CHECK_EQ(buddy_alloc(&f.b, 12), f.base);
    free(got);
    teardown(&f);
}

TEST(bad_frees_are_rejected_and_reported)
{
    struct fixture f;
    uint64_t pa;

    setup(&f, 0x40000000ULL, 64);
    buddy_add_range(&f.b, f.base, 64);
    pa = buddy_alloc(&f.b, 2);
    buddy_free(&f.b, pa, 1); /* wrong order */
    CHECK_EQ(f.b.nbad, 1);
    CHECK_EQ(buddy_free_pages(&f.b), 60);
    buddy_free(&f.b, pa, 2);
    buddy_free(&f.b, pa, 2);                 /* double free */
    buddy_free(&f.b, f.base + 1000 * PG, 0); /* outside */
    CHECK_EQ(f.b.nbad, 3);
    CHECK_EQ(buddy_free_pages(&f.b), 64);
    CHECK(!buddy_check(&f.b)); /* check reports rejected frees */
    teardown(&f);
}

struct live {
    uint64_t pa;
    unsigned int order;
};

/* Random mixes of orders against the shadow map; holes of reserved pages inside. */
TEST(random_sequences_match_shadow)
{
    struct fixture f;
    struct live *live = malloc(6000 * sizeof(*live));
    size_t nlive = 0, added;
    int id = 0;

    setup(&f, 0x40000000ULL + 5 * PG, 3000);
    buddy_add_range(&f.b, f.base, 1200);
    buddy_add_range(&f.b, f.base + 1300 * PG, 1700); /* pages 1200..1299 stay reserved */
    added = 2900;
    CHECK_EQ(buddy_free_pages(&f.b), added);
    for (int step = 0; step < 20000; step++) {
        bool do_alloc = nlive == 0 || (rnd() % 100) < 55;

        if (do_alloc) {
            unsigned int order = (unsigned int)(rnd() % 100 < 70 ? rnd() % 3 : rnd() % 9);
            uint64_t pa = buddy_alloc(&f.b, order);
            size_t first, n = (size_t)1 << order;

            if (!pa)
                continue;
            CHECK_EQ(pa % (PG << order), 0); /* natural alignment */
            REQUIRE(pa >= f.base && (pa - f.base) / PG + n <= f.npages);
            first = (size_t)((pa - f.base) / PG);
            id++;
            for (size_t i = 0; i < n; i++) {
                if (f.owner[first + i] != 0 || (first + i >= 1200 && first + i < 1300))
                    HARNESS_FAIL("step %d: page %zu handed out twice or reserved", step, first + i);
                f.owner[first + i] = id;
            }
            live[nlive].pa = pa;
            live[nlive++].order = order;
        } else {
            size_t k = rnd() % nlive;
            size_t first = (size_t)((live[k].pa - f.base) / PG);

            for (size_t i = 0; i < ((size_t)1 << live[k].order); i++)
                f.owner[first + i] = 0;
            buddy_free(&f.b, live[k].pa, live[k].order);
            live[k] = live[--nlive];
        }
        if (step % 50 == 0 && !buddy_check(&f.b)) {
            HARNESS_FAIL("buddy_check failed at step %d", step);
            break;
        }
    }
    {
        size_t used = 0;

        for (size_t i = 0; i < nlive; i++)
            used += (size_t)1 << live[i].order;
        CHECK_EQ(buddy_free_pages(&f.b), added - used);
    }
    while (nlive) {
        nlive--;
        buddy_free(&f.b, live[nlive].pa, live[nlive].order);
    }
    CHECK_EQ(buddy_free_pages(&f.b), added);
    CHECK(buddy_check(&f.b));
    free(live);
    teardown(&f);
}

/* buddy_check must notice corrupted metadata, or the tests above prove nothing. */
TEST(check_detects_corruption)
{
    struct fixture f;
    uint8_t *state;

    setup(&f, 0x40000000ULL, 16);
    buddy_add_range(&f.b, f.base, 16);
    CHECK(buddy_check(&f.b));
    f.b.nfree++;
    CHECK(!buddy_check(&f.b));
    f.b.nfree--;
    /* State bytes follow the 8-byte links (see buddy.c): mark a page inside the block free. */
    state = (uint8_t *)f.meta + 16 * 8;
    state[3] = 0x40;
    CHECK(!buddy_check(&f.b));
    teardown(&f);
}
