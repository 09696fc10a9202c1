/*
 * lib/heap.c over a host page provider that tracks every page it hands out:
 * many sizes, alignment, no overlap (patterns written then verified), the
 * byte count back to 0, pages returned, and provider exhaustion.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include <lib/heap.h>
#define TEST_RNG_SEED 0x2545F4914F6CDD1DULL
#include "test_rng.h"

#define PG 4096u

struct provider {
    size_t pages_out; /* pages currently handed to the heap */
    size_t limit;     /* refuse allocations beyond this many pages */
};

static void *prov_alloc(void *ctx, unsigned int order)
{
    struct provider *p = ctx;
    void *m;

    if (p->pages_out + ((size_t)1 << order) > p->limit)
        return NULL;
    m = aligned_alloc(PG, (size_t)PG << order);
    if (m) {
        memset(m, 0xCD, (size_t)PG << order); /* garbage: the heap must not expect zeros */
        p->pages_out += (size_t)1 << order;
    }
    return m;
}

static void prov_free(void *ctx, void *m, unsigned int order)
{
    struct provider *p = ctx;

    p->pages_out -= (size_t)1 << order;
    free(m);
}

static struct heap *make_heap(struct provider *p, size_t limit)
{
    struct heap_pages hp = {prov_alloc, prov_free, p};

    p->pages_out = 0;
    p->limit = limit;
    return heap_create(&hp);
}

struct obj {
    unsigned char *p;
    size_t size;
    unsigned char tag;
};

static bool pattern_ok(const struct obj *o)
{
    for (size_t i = 0; i < o->size; i++) {
        if (o->p[i] != (unsigned char)(o->tag + i))
            return false;
    }
    return true;
}

static size_t random_size(void)
{
    switch (rnd() % 4) {
    case 0:
        return 1 + rnd() % 16;
    case 1:
        return 1 + rnd() % 256;
    case 2:
        return 1 + rnd() % 2048;
    default:
        return 1 + rnd() % 20000;
    }
}

TEST(sizes_alignment_no_overlap)
{
    struct provider prov;
    struct heap *h = make_heap(&prov, 1u << 20);
    struct obj *objs = calloc(3000, sizeof(*objs));
    size_t n = 0, expect_min = 0;

    REQUIRE(h);
    for (int step = 0; step < 30000; step++) {
        if (n < 3000 && (n == 0 || rnd() % 100 < 60)) {
            struct obj *o = &objs[n];

            o->size = random_size();
            o->p = heap_alloc(h, o->size);
            REQUIRE(o->p);
            CHECK_EQ((uintptr_t)o->p % 16, 0);
            if (o->size > 2048)
                CHECK_EQ((uintptr_t)o->p % PG, 0);
            o->tag = (unsigned char)rnd();
            for (size_t i = 0; i < o->size; i++)
                o->p[i] = (unsigned char)(o->tag + i);
            n++;
        } else {
            size_t k = rnd() % n;

            if (!pattern_ok(&objs[k]))
                HARNESS_FAIL("object %p size %zu overwritten", (void *)objs[k].p, objs[k].size);
            heap_free(h, objs[k].p);
            objs[k] = objs[--n];
        }
        /* What the heap says it holds is what the provider handed it. */
        CHECK_EQ(heap_pages_held(h), prov.pages_out);
    }
    for (size_t i = 0; i < n; i++)
        expect_min += objs[i].size;
    CHECK(heap_bytes_in_use(h) >= expect_min);
    for (size_t i = 0; i < n; i++) {
        if (!pattern_ok(&objs[i]))
            HARNESS_FAIL("object %p size %zu overwritten", (void *)objs[i].p, objs[i].size);
        heap_free(h, objs[i].p);
    }
    CHECK_EQ(heap_bytes_in_use(h), 0);
    /*
     * Only the heap page, the table (which never shrinks: ~2000 pages in use
     * at the peak need 4096 entries = 16 pages) and at most one cached slab
     * per class remain.
     */
    CHECK(prov.pages_out <= 1 + 16 + 8);
    CHECK_EQ(heap_pages_held(h), prov.pages_out);
    heap_destroy(h);
    CHECK_EQ(prov.pages_out, 0);
    free(objs);
}

TEST(exact_accounting)
{
    struct provider prov;
    struct heap *h = make_heap(&prov, 1024);
    void *a, *b, *c;

    REQUIRE(h);
    CHECK(heap_alloc(h, 0) == NULL);
    a = heap_alloc(h, 1);
    b = heap_alloc(h, 17);
    c = heap_alloc(h, 3000);
    REQUIRE(a && b && c);
    CHECK_EQ(heap_bytes_in_use(h), 16 + 32 + 4096);
    CHECK_EQ(heap_pages_held(h), prov.pages_out);
    CHECK((uintptr_t)c % PG == 0);
    heap_free(h, b);
    CHECK_EQ(heap_bytes_in_use(h), 16 + 4096);
    heap_free(h, (char *)c + 16); /* not an allocation: ignored */
    heap_free(h, (char *)a + 8);  /* not an object boundary: ignored */
    CHECK_EQ(heap_bytes_in_use(h), 16 + 4096);
    heap_free(h, c);
    heap_free(h, a);
    heap_free(h, NULL);
    CHECK_EQ(heap_bytes_in_use(h), 0);
    CHECK_EQ(heap_pages_held(h), prov.pages_out);
    heap_destroy(h);
}

TEST(zalloc_zeroes)
{
    struct provider prov;
    struct heap *h = make_heap(&prov, 1024);
    unsigned char *p, *q;

    REQUIRE(h);
    p = heap_alloc(h, 100);
    REQUIRE(p);
    memset(p, 0xFF, 100);
    heap_free(h, p);
    q = heap_zalloc(h, 100);
    REQUIRE(q);
    for (int i = 0; i < 100; i++)
        CHECK_EQ(q[i], 0);
    heap_free(h, q);
    q = heap_zalloc(h, 9000);
    REQUIRE(q);
    CHECK_EQ(q[8999], 0);
    heap_free(h, q);
    heap_destroy(h);
}

TEST(pages_return_to_provider)
{
    struct provider prov;
    struct heap *h = make_heap(&prov, 4096);
    void *ptrs[2000];
    size_t base;

    REQUIRE(h);
    base = prov.pages_out;
    for (int i = 0; i < 2000; i++) {
        ptrs[i] = heap_alloc(h, 64);
        REQUIRE(ptrs[i]);
    }
    CHECK(prov.pages_out >= base + 2000 * 64 / PG);
    for (int i = 0; i < 2000; i++)
        heap_free(h, ptrs[i]);
    /* The table may have grown; one empty slab may stay cached. */
    CHECK(prov.pages_out <= base + 1 + 2);
    CHECK_EQ(heap_bytes_in_use(h), 0);
    heap_destroy(h);
}

TEST(provider_exhaustion)
{
    struct provider prov;
    struct heap *h = make_heap(&prov, 8);
    void *p;
    int got = 0;

    REQUIRE(h);
    CHECK(heap_alloc(h, 64 * PG) == NULL);
    while ((p = heap_alloc(h, 2048)) != NULL)
        got++;
    CHECK(got >= 2 * 5); /* heap page and table use 2 of the 8 pages */
    CHECK(heap_alloc(h, 16) == NULL);
    CHECK_EQ(heap_bytes_in_use(h), (size_t)got * 2048);
    heap_destroy(h); /* live objects included */
    CHECK_EQ(prov.pages_out, 0);
}
