/* lib/pagepool.c (Xen's P2M pool: fixed size, resize up and down, the
 * error when shrinking below what is in use) and lib/s2pt.c over it: tables
 * only from the pool, -ENOMEM when it is empty, empty tables back in the
 * pool, nothing allocated to clear what is not mapped, every page back. */
#include <stdint.h>
#include <stdlib.h>
#include "harness.h"
#include <lib/pagepool.h>
#include <lib/s2pt.h>

static long live;     /* pages the source handed out, not yet back */
static long src_left; /* pages the source may still hand out; < 0: no limit */
static int flushes;

static void *src_get(void *ctx)
{
    (void)ctx;
    if (src_left == 0)
        return NULL;
    if (src_left > 0)
        src_left--;
    live++;
    return aligned_alloc(PAGEPOOL_PAGE_SIZE, PAGEPOOL_PAGE_SIZE);
}

static void src_put(void *ctx, void *page)
{
    (void)ctx;
    live--;
    if (src_left >= 0)
        src_left++;
    free(page);
}

static const struct pagepool_source source = {src_get, src_put, NULL};

TEST(resize_grow_shrink)
{
    struct pagepool pp;
    live = 0;
    src_left = -1;
    pagepool_init(&pp, &source, false);
    CHECK(pagepool_take(&pp) == NULL); /* a fixed pool of 0 pages gives nothing */
    CHECK_EQ(pagepool_resize(&pp, 8, NULL), PAGEPOOL_DONE);
    CHECK_EQ(pp.total, 8);
    CHECK_EQ(live, 8);
    void *a = pagepool_take(&pp), *b = pagepool_take(&pp);
    CHECK(a && b && a != b);
    CHECK_EQ(pagepool_used(&pp), 2);
    /* Shrinking below what is in use: Xen's -ENOMEM once the free pages are gone. */
    CHECK_EQ(pagepool_resize(&pp, 1, NULL), PAGEPOOL_NOMEM);
    CHECK_EQ(pp.total, 2);
    CHECK_EQ(pp.nfree, 0);
    CHECK_EQ(live, 2);
    pagepool_give(&pp, a);
    CHECK_EQ(pagepool_resize(&pp, 1, NULL), PAGEPOOL_DONE);
    CHECK_EQ(pp.total, 1);
    pagepool_give(&pp, b);
    CHECK_EQ(pagepool_drain(&pp), 0);
    CHECK_EQ(live, 0);
}

TEST(resize_budget_and_source_failure)
{
    struct pagepool pp;
    live = 0;
    src_left = 5;
    pagepool_init(&pp, &source, false);
    size_t budget = 3;
    CHECK_EQ(pagepool_resize(&pp, 4, &budget), PAGEPOOL_AGAIN);
    CHECK_EQ(pp.total, 3);
    CHECK_EQ(budget, 0);
    CHECK_EQ(pagepool_resize(&pp, 10, NULL), PAGEPOOL_NOMEM); /* source has 2 more */
    CHECK_EQ(pp.total, 5);
    CHECK_EQ(pagepool_resize(&pp, 0, NULL), PAGEPOOL_DONE);
    CHECK_EQ(live, 0);
}

/* A lazy size: built elastic, fixed at a size above what it holds, the rest
 * taken from the source only when a table needs it and never beyond the
 * size; the size reads back as set; a held resize fills it; drain returns
 * everything taken. */
TEST(lazy_size_takes_on_demand_up_to_the_size)
{
    struct pagepool pp;
    live = 0;
    src_left = -1;
    pagepool_init(&pp, &source, true);
    void *a = pagepool_take(&pp), *b = pagepool_take(&pp);
    pagepool_give(&pp, b); /* one free page left from the build */
    CHECK_EQ(pagepool_set_size_lazy(&pp, 4), PAGEPOOL_DONE);
    CHECK(!pp.elastic);
    CHECK_EQ(pagepool_size(&pp), 4);
    CHECK_EQ(pp.total, 2);
    CHECK_EQ(live, 2);
    void *c = pagepool_take(&pp), *d = pagepool_take(&pp), *e = pagepool_take(&pp);
    CHECK(c && d && e);
    CHECK_EQ(live, 4);
    CHECK(pagepool_take(&pp) == NULL); /* the size is the limit */
    CHECK_EQ(live, 4);
    /* Below what is in use: refused, size unchanged. */
    CHECK_EQ(pagepool_set_size_lazy(&pp, 3), PAGEPOOL_NOMEM);
    CHECK_EQ(pagepool_size(&pp), 4);
    pagepool_give(&pp, e);
    pagepool_give(&pp, d);
    CHECK_EQ(pagepool_set_size_lazy(&pp, 3), PAGEPOOL_DONE); /* a free page goes back */
    CHECK_EQ(pp.total, 3);
    CHECK_EQ(live, 3);
    /* The source runs dry: the pool fails before its size. */
    src_left = 0;
    CHECK_EQ(pagepool_set_size_lazy(&pp, 6), PAGEPOOL_DONE);
    void *f = pagepool_take(&pp);
    CHECK(f != NULL); /* the free page it holds */
    CHECK(pagepool_take(&pp) == NULL);
    /* Held in full when asked (the toolstack's size): every page now. */
    src_left = -1;
    CHECK_EQ(pagepool_resize(&pp, 6, NULL), PAGEPOOL_DONE);
    CHECK_EQ(pp.total, 6);
    CHECK_EQ(pagepool_size(&pp), 6);
    pagepool_give(&pp, a);
    pagepool_give(&pp, c);
    pagepool_give(&pp, f);
    CHECK_EQ(pagepool_drain(&pp), 0);
    CHECK_EQ(live, 0);
}

TEST(elastic_then_fixed)
{
    struct pagepool pp;
    live = 0;
    src_left = -1;
    pagepool_init(&pp, &source, true);
    void *a = pagepool_take(&pp);
    CHECK(a != NULL);
    CHECK_EQ(pp.total, 1);
    CHECK(((unsigned char *)a)[100] == 0);
    CHECK_EQ(pagepool_resize(&pp, 3, NULL), PAGEPOOL_DONE); /* now fixed at 3 */
    CHECK(!pp.elastic);
    void *b = pagepool_take(&pp), *c = pagepool_take(&pp);
    CHECK(b && c);
    CHECK(pagepool_take(&pp) == NULL);
    pagepool_give(&pp, a);
    pagepool_give(&pp, b);
    pagepool_give(&pp, c);
    pagepool_drain(&pp);
    CHECK_EQ(live, 0);
}

/* Stage-2 tables over a pool. */
static struct pagepool tpool;
static void *t_alloc(void *ctx)
{
    (void)ctx;
    return pagepool_take(&tpool);
}
static void t_free(void *ctx, void *p)
{
    (void)ctx;
    pagepool_give(&tpool, p);
}
static void t_publish(void *ctx)
{
    (void)ctx;
}
static void t_flush(void *ctx)
{
    (void)ctx;
    flushes++;
}
static const struct s2pt_ops tops = {t_alloc, t_free, t_publish, t_flush, NULL};

#define ATTRS 0x4c0ULL /* AF | AP R/W: any attribute bits */
#define RAM_IPA 0x40000000ULL

static uint64_t root[2 * S2PT_ENTRIES] __attribute__((aligned(8192)));

static struct s2pt new_tables(size_t pool_pages)
{
    live = 0;
    src_left = -1;
    flushes = 0;
    memset(root, 0, sizeof(root));
    pagepool_init(&tpool, &source, false);
    CHECK_EQ(pagepool_resize(&tpool, pool_pages, NULL), PAGEPOOL_DONE);
    /* 40-bit IPA: two concatenated level-1 root pages. */
    return (struct s2pt){root, 1, 2 * S2PT_ENTRIES, &tops, 0};
}

static void done_tables(struct s2pt *t)
{
    s2pt_free_tables(t);
    CHECK_EQ(t->tables, 0);
    CHECK_EQ(pagepool_used(&tpool), 0);
    pagepool_drain(&tpool);
    CHECK_EQ(live, 0);
}

static uint64_t pa_of(struct s2pt *t, uint64_t ipa)
{
    uint64_t d;
    unsigned int l;
    if (!s2pt_lookup(t, ipa, &d, &l))
        return 0;
    uint64_t bsize = S2PT_LEVEL_SIZE(l);
    return (d & S2PT_ADDR_MASK & ~(bsize - 1)) | (ipa & (bsize - 1));
}

TEST(s2pt_blocks_and_lookup)
{
    struct s2pt t = new_tables(4);
    /* 4 MiB of RAM: two 2 MiB blocks under one level-2 table. */
    CHECK_EQ(s2pt_map(&t, RAM_IPA, 0x80000000ULL, 4 << 20, ATTRS, false), S2PT_OK);
    CHECK_EQ(t.tables, 1);
    CHECK_EQ(pa_of(&t, RAM_IPA + 0x301000), 0x80301000ULL);
    CHECK_EQ(pa_of(&t, RAM_IPA + (4 << 20)), 0);
    CHECK_EQ(s2pt_map(&t, RAM_IPA, 0x90000000ULL, 2 << 20, ATTRS, false), S2PT_EXISTS);
    done_tables(&t);
}

TEST(s2pt_pages_only_makes_no_block)
{
    /* The same 4 MiB as level-3 pages: a level-2 table and two level-3
     * tables, every page its own entry, lookups unchanged. */
    struct s2pt t = new_tables(3);
    CHECK_EQ(s2pt_map(&t, RAM_IPA, 0x80000000ULL, 4 << 20, ATTRS, true), S2PT_OK);
    CHECK_EQ(t.tables, 3);
    CHECK_EQ(pagepool_used(&tpool), 3);
    for (uint64_t off = 0; off < (4 << 20); off += 0x1000) {
        uint64_t d;
        unsigned int l;
        CHECK(s2pt_lookup(&t, RAM_IPA + off, &d, &l));
        CHECK_EQ(l, 3);
        CHECK_EQ(pa_of(&t, RAM_IPA + off + 0x123), 0x80000123ULL + off);
    }
    CHECK_EQ(pa_of(&t, RAM_IPA + (4 << 20)), 0);
    /* A 1 GiB-aligned gigabyte would be one level-1 block otherwise: it needs
     * 1 + 512 tables, more than the pool holds, and says so. */
    CHECK_EQ(s2pt_map(&t, 2ULL << 30, 2ULL << 30, 1ULL << 30, ATTRS, true), S2PT_NOMEM);
    /* A page in the middle changes as with blocks, with no split. */
    flushes = 0;
    CHECK_EQ(s2pt_clear_page(&t, RAM_IPA + 0x3000), S2PT_OK);
    CHECK_EQ(flushes, 1);
    CHECK_EQ(t.tables, 3);
    CHECK_EQ(pa_of(&t, RAM_IPA + 0x3000), 0);
    CHECK_EQ(pa_of(&t, RAM_IPA + 0x4000), 0x80004000ULL);
    done_tables(&t);
}

TEST(s2pt_clear_unmapped_allocates_nothing)
{
    struct s2pt t = new_tables(0); /* an empty pool: any allocation would fail */
    for (uint64_t g = 0; g < 64; g++)
        CHECK_EQ(s2pt_clear_page(&t, (g << 30) + (g << 12)), S2PT_OK);
    CHECK_EQ(t.tables, 0);
    CHECK_EQ(flushes, 0);
    done_tables(&t);
}

TEST(s2pt_scattered_pages_bounded_then_freed)
{
    /* The XSA-409 pattern: single pages at scattered addresses, each in a
     * gigabyte of its own, cost a level-2 and a level-3 table each. */
    struct s2pt t = new_tables(9);
    int mapped = 0;
    for (uint64_t g = 16; g < 64; g++) {
        int rc = s2pt_set_page(&t, (g << 30) + 0x5000, (0x7000000ULL + (g << 12)) | ATTRS);
        if (rc == S2PT_NOMEM)
            break;
        CHECK_EQ(rc, S2PT_OK);
        mapped++;
    }
    CHECK_EQ(mapped, 4);   /* 9 pages: 4 x 2, the ninth cannot make a pair */
    CHECK_EQ(t.tables, 8); /* the failed one left no empty table */
    CHECK_EQ(pagepool_used(&tpool), 8);
    for (uint64_t g = 16; g < 16 + 4; g++) {
        CHECK_EQ(pa_of(&t, (g << 30) + 0x5000), 0x7000000ULL + (g << 12));
        CHECK_EQ(s2pt_clear_page(&t, (g << 30) + 0x5000), S2PT_OK);
        CHECK_EQ(pa_of(&t, (g << 30) + 0x5000), 0);
    }
    CHECK_EQ(t.tables, 0); /* every emptied table went back */
    CHECK_EQ(pagepool_used(&tpool), 0);
    /* ... and the same can be done again, as often as wanted. */
    for (int round = 0; round < 3; round++) {
        for (uint64_t g = 100; g < 104; g++)
            CHECK_EQ(s2pt_set_page(&t, g << 30, (g << 12) | ATTRS), S2PT_OK);
        CHECK_EQ(s2pt_set_page(&t, 200ULL << 30, ATTRS), S2PT_NOMEM);
        for (uint64_t g = 100; g < 104; g++)
            CHECK_EQ(s2pt_clear_page(&t, g << 30), S2PT_OK);
        CHECK_EQ(pagepool_used(&tpool), 0);
    }
    done_tables(&t);
}

TEST(s2pt_table_kept_while_a_neighbour_maps)
{
    struct s2pt t = new_tables(8);
    uint64_t a = 5ULL << 30, b = a + 0x1000, c = a + (2 << 20); /* c: another L3 table */
    CHECK_EQ(s2pt_set_page(&t, a, 0x1000 | ATTRS), S2PT_OK);
    CHECK_EQ(s2pt_set_page(&t, b, 0x2000 | ATTRS), S2PT_OK);
    CHECK_EQ(s2pt_set_page(&t, c, 0x3000 | ATTRS), S2PT_OK);
    CHECK_EQ(t.tables, 3);
    CHECK_EQ(s2pt_clear_page(&t, a), S2PT_OK);
    CHECK_EQ(t.tables, 3);
    CHECK_EQ(pa_of(&t, b), 0x2000);
    CHECK_EQ(s2pt_clear_page(&t, b), S2PT_OK);
    CHECK_EQ(t.tables, 2); /* b's level-3 table went, the level-2 one holds c */
    CHECK_EQ(pa_of(&t, c), 0x3000);
    flushes = 0;
    CHECK_EQ(s2pt_clear_page(&t, c), S2PT_OK);
    CHECK_EQ(t.tables, 0);
    CHECK_EQ(flushes, 3); /* the page, then each table's link: before its page is reused */
    done_tables(&t);
}

TEST(s2pt_split_block_and_restore)
{
    struct s2pt t = new_tables(3);
    CHECK_EQ(s2pt_map(&t, RAM_IPA, 0x80000000ULL, 4 << 20, ATTRS, false), S2PT_OK);
    /* Ballooning one page out of a 2 MiB block: split into a level-3 table. */
    CHECK_EQ(s2pt_clear_page(&t, RAM_IPA + 0x3000), S2PT_OK);
    CHECK_EQ(t.tables, 2);
    CHECK_EQ(pa_of(&t, RAM_IPA + 0x3000), 0);
    CHECK_EQ(pa_of(&t, RAM_IPA + 0x4000), 0x80004000ULL);
    CHECK_EQ(pa_of(&t, RAM_IPA + 0x1ff000), 0x801ff000ULL);
    uint64_t d;
    unsigned int l;
    CHECK(s2pt_lookup(&t, RAM_IPA + 0x4000, &d, &l) && l == 3 && (d & ATTRS) == ATTRS);
    CHECK_EQ(s2pt_set_page(&t, RAM_IPA + 0x3000, 0x80003000ULL | ATTRS), S2PT_OK);
    CHECK_EQ(pa_of(&t, RAM_IPA + 0x3000), 0x80003000ULL);
    /* Splitting the other block needs the third page; a fourth split fails cleanly. */
    CHECK_EQ(s2pt_clear_page(&t, RAM_IPA + (2 << 20)), S2PT_OK);
    CHECK_EQ(s2pt_set_page(&t, 9ULL << 30, ATTRS), S2PT_NOMEM);
    CHECK_EQ(t.tables, 3);
    done_tables(&t);
}

/* Lazy RAM (P2M_RAM_LAZY): entries the CPU faults on, which map their
 * address for everything else until made valid one block at a time. */
TEST(s2pt_lazy_entries_map_until_made_valid)
{
    struct s2pt t = new_tables(5);
    CHECK_EQ(s2pt_map(&t, RAM_IPA, 0x80000000ULL, 4 << 20, ATTRS | S2PT_LAZY, false), S2PT_OK);
    uint64_t d;
    unsigned int l;
    /* Found, lazy, invalid to the CPU; the table holding only lazy blocks lives. */
    CHECK(s2pt_lookup(&t, RAM_IPA + 0x5000, &d, &l) && l == 2);
    CHECK((d & S2PT_LAZY) && !(d & S2PT_VALID) && (d & ATTRS) == ATTRS);
    CHECK_EQ(pa_of(&t, RAM_IPA + 0x205123), 0x80205123ULL);
    CHECK_EQ(t.tables, 1);
    /* Nothing maps over it. */
    CHECK_EQ(s2pt_map(&t, RAM_IPA, 0x90000000ULL, 2 << 20, ATTRS, false), S2PT_EXISTS);
    /* Made valid: that block only, no flush (no TLB held an invalid entry). */
    flushes = 0;
    CHECK(s2pt_make_valid(&t, RAM_IPA + 0x1000, false));
    CHECK(s2pt_lookup(&t, RAM_IPA, &d, &l) && (d & S2PT_VALID) && !(d & S2PT_LAZY));
    CHECK(s2pt_lookup(&t, RAM_IPA + (2 << 20), &d, &l) && (d & S2PT_LAZY));
    CHECK(!s2pt_make_valid(&t, RAM_IPA + 0x1000, false));    /* already */
    CHECK(!s2pt_make_valid(&t, RAM_IPA + (8 << 20), false)); /* nothing there */
    CHECK_EQ(flushes, 0);
    /* A page out of the lazy block: split into lazy pages, the rest kept. */
    CHECK_EQ(s2pt_clear_page(&t, RAM_IPA + (2 << 20) + 0x3000), S2PT_OK);
    CHECK_EQ(flushes, 0);
    CHECK_EQ(t.tables, 2);
    CHECK_EQ(pa_of(&t, RAM_IPA + (2 << 20) + 0x3000), 0);
    CHECK(s2pt_lookup(&t, RAM_IPA + (2 << 20) + 0x4000, &d, &l) && l == 3);
    CHECK((d & S2PT_LAZY) && !(d & S2PT_VALID));
    CHECK_EQ(pa_of(&t, RAM_IPA + (2 << 20) + 0x4abc), 0x80204abcULL);
    /* Made valid page by page now, and a page set over a lazy one needs no flush. */
    CHECK(s2pt_make_valid(&t, RAM_IPA + (2 << 20) + 0x4000, false));
    CHECK(s2pt_lookup(&t, RAM_IPA + (2 << 20) + 0x4000, &d, &l) && (d & S2PT_VALID) && l == 3);
    CHECK(s2pt_lookup(&t, RAM_IPA + (2 << 20) + 0x5000, &d, &l) && (d & S2PT_LAZY));
    CHECK_EQ(s2pt_set_page(&t, RAM_IPA + (2 << 20) + 0x6000, 0x70000000ULL | ATTRS), S2PT_OK);
    CHECK_EQ(flushes, 0);
    CHECK_EQ(pa_of(&t, RAM_IPA + (2 << 20) + 0x6000), 0x70000000ULL);
    /* No lazy block above 2 MiB: a gigabyte is 512 of them, in one more table. */
    CHECK_EQ(s2pt_map(&t, 4ULL << 30, 4ULL << 30, 1ULL << 30, ATTRS | S2PT_LAZY, false), S2PT_OK);
    CHECK(s2pt_lookup(&t, (4ULL << 30) + (5 << 20), &d, &l) && l == 2 && (d & S2PT_LAZY));
    CHECK_EQ(t.tables, 3);
    /* Pages only: lazy level-3 entries, one each. */
    CHECK_EQ(s2pt_map(&t, 3ULL << 30, 0xa0000000ULL, 8 << 12, ATTRS | S2PT_LAZY, true), S2PT_OK);
    CHECK(s2pt_lookup(&t, (3ULL << 30) + 0x7000, &d, &l) && l == 3 && (d & S2PT_LAZY));
    CHECK(s2pt_make_valid(&t, (3ULL << 30) + 0x7000, false));
    CHECK(s2pt_lookup(&t, (3ULL << 30) + 0x6000, &d, &l) && (d & S2PT_LAZY));
    done_tables(&t);
}

/* Split at first touch (P2M_GRANULE_TOUCH): a lazy 2 MiB block becomes a
 * table of valid pages over the same memory, or stays a block, made valid,
 * when there is no table to be had. */
TEST(s2pt_lazy_block_made_valid_as_pages)
{
    struct s2pt t = new_tables(2);
    CHECK_EQ(s2pt_map(&t, RAM_IPA, 0x80000000ULL, 6 << 20, ATTRS | S2PT_LAZY, false), S2PT_OK);
    CHECK_EQ(t.tables, 1);
    flushes = 0;
    CHECK(s2pt_make_valid(&t, RAM_IPA + (2 << 20) + 0x5000, true));
    CHECK_EQ(t.tables, 2);
    uint64_t d;
    unsigned int l;
    for (uint64_t off = 0; off < (2 << 20); off += 0x1000) {
        uint64_t ipa = RAM_IPA + (2 << 20) + off;
        if (!s2pt_lookup(&t, ipa, &d, &l) || l != 3 || !(d & S2PT_VALID) || (d & S2PT_LAZY) ||
            (d & ATTRS) != ATTRS || (d & S2PT_ADDR_MASK) != 0x80200000ULL + off) {
            HARNESS_FAIL("page at +0x%llx: level %u desc 0x%llx", (unsigned long long)off, l,
                         (unsigned long long)d);
            return;
        }
    }
    CHECK_EQ(flushes, 0); /* the lazy entry was invalid: nothing to break */
    /* The blocks beside it stay lazy blocks. */
    CHECK(s2pt_lookup(&t, RAM_IPA, &d, &l) && l == 2 && (d & S2PT_LAZY));
    CHECK(!s2pt_make_valid(&t, RAM_IPA + (2 << 20), true)); /* already */
    /* The pool is dry: the next block is made valid whole. */
    CHECK(s2pt_make_valid(&t, RAM_IPA + 0x1000, true));
    CHECK(s2pt_lookup(&t, RAM_IPA + 0x1000, &d, &l) && l == 2 && (d & S2PT_VALID));
    CHECK(!(d & S2PT_LAZY));
    CHECK_EQ(t.tables, 2);
    /* Ballooning a page out of the split block needs no new table. */
    CHECK_EQ(s2pt_clear_page(&t, RAM_IPA + (2 << 20) + 0x3000), S2PT_OK);
    CHECK_EQ(pa_of(&t, RAM_IPA + (2 << 20) + 0x3000), 0);
    CHECK_EQ(pa_of(&t, RAM_IPA + (2 << 20) + 0x4000), 0x80204000ULL);
    CHECK_EQ(t.tables, 2);
    done_tables(&t);
}

/*
 * Random sets and clears against a model, in a pool small enough to run
 * dry: after every operation each address maps what the model says, a
 * refused operation changed nothing, and the tables linked are exactly
 * those the live mappings need (one level-2 table per gigabyte and one
 * level-3 table per 2 MiB region holding a mapping, plus the RAM's level-2
 * table and one level-3 table per RAM block split so far): nothing empty
 * is kept, nothing leaks.
 */
#define TEST_RNG_SEED 0x3C6EF372FE94F82BULL
#include "test_rng.h"

#define GIBS 4    /* scattered gigabytes 2..5 */
#define REGIONS 4 /* 2 MiB regions in each */
#define PAGES 8   /* pages used in each region */
#define SLOTS (GIBS * REGIONS * PAGES)
#define RAM_SLOTS (2 * PAGES) /* 8 pages in each of the two RAM blocks */

static uint64_t slot_ipa(unsigned s)
{
    if (s >= SLOTS) { /* RAM: blocks at RAM_IPA, RAM_IPA + 2 MiB */
        unsigned r = s - SLOTS;
        return RAM_IPA + ((uint64_t)(r / PAGES) << 21) + ((uint64_t)(r % PAGES) * 7 << 12);
    }
    unsigned g = s / (REGIONS * PAGES), r = s / PAGES % REGIONS, p = s % PAGES;
    return ((2ULL + g) << 30) + ((uint64_t)r << 21) + ((uint64_t)p * 3 << 12);
}

static size_t expected_tables(const uint64_t *model, const bool *split)
{
    size_t n = 1 + split[0] + split[1];
    for (unsigned g = 0; g < GIBS; g++) {
        bool any_g = false;
        for (unsigned r = 0; r < REGIONS; r++) {
            bool any_r = false;
            for (unsigned p = 0; p < PAGES; p++)
                any_r |= model[(g * REGIONS + r) * PAGES + p] != 0;
            n += any_r;
            any_g |= any_r;
        }
        n += any_g;
    }
    return n;
}

TEST(s2pt_random_against_a_model)
{
    struct s2pt t = new_tables(12);
    uint64_t model[SLOTS + RAM_SLOTS] = {0};
    bool split[2] = {false, false};
    CHECK_EQ(s2pt_map(&t, RAM_IPA, 0x80000000ULL, 4 << 20, ATTRS, false), S2PT_OK);
    for (unsigned s = SLOTS; s < SLOTS + RAM_SLOTS; s++)
        model[s] = 0x80000000ULL + (slot_ipa(s) - RAM_IPA);
    unsigned refused = 0;
    for (int op = 0; op < 20000; op++) {
        unsigned s = (unsigned)(rnd() % (SLOTS + RAM_SLOTS));
        uint64_t ipa = slot_ipa(s);
        int rc;
        uint64_t pa = 0;
        if (rnd() % 2) {
            pa = (rnd() % 0xfffff + 1) << 12; /* never 0: the model's "unmapped" */
            rc = s2pt_set_page(&t, ipa, pa | ATTRS);
        } else {
            rc = s2pt_clear_page(&t, ipa);
        }
        CHECK(rc == S2PT_OK || rc == S2PT_NOMEM);
        if (rc == S2PT_OK) {
            model[s] = pa;
            if (s >= SLOTS)
                split[(s - SLOTS) / PAGES] = true;
        }
        refused += rc != S2PT_OK;
        for (unsigned k = 0; k < SLOTS + RAM_SLOTS; k++)
            if (pa_of(&t, slot_ipa(k)) != model[k])
                HARNESS_FAIL("op %d: slot %u maps 0x%llx, model 0x%llx", op, k,
                             (unsigned long long)pa_of(&t, slot_ipa(k)),
                             (unsigned long long)model[k]);
        if (t.tables != expected_tables(model, split) || t.tables != pagepool_used(&tpool)) {
            HARNESS_FAIL("op %d: %zu tables, %zu pool pages used, %zu needed", op, t.tables,
                         pagepool_used(&tpool), expected_tables(model, split));
            break;
        }
    }
    CHECK(refused > 100); /* the pool did run dry, often */
    for (unsigned s = 0; s < SLOTS; s++)
        CHECK_EQ(s2pt_clear_page(&t, slot_ipa(s)), S2PT_OK);
    CHECK_EQ(t.tables, 1 + split[0] + split[1]);
    done_tables(&t);
}
