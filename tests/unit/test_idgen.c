/*
 * lib/idgen.c under a TLB model: many more address spaces than ids, random
 * entries on several pCPUs, spaces dying and new ones appearing. The safety
 * property: a pCPU never runs a space with an id whose TLB entries (since the
 * last flush) belong to another space. Liveness: every entry gets an id.
 */
#include <string.h>
#include "harness.h"
#include <lib/bitmap.h>
#include <lib/idgen.h>
#define TEST_RNG_SEED 0x853C49E6748FEA9BULL
#include "test_rng.h"

#define BITS 4
#define IDS (1U << BITS)
#define CPUS 4
#define SPACES 40
#define NONE (-1)

static struct idgen g;
static int tlb_owner[IDS]; /* space whose entries the TLBs may hold for an id */
static int flushes;

static void flush_all(void)
{
    for (unsigned int i = 0; i < IDS; i++)
        tlb_owner[i] = NONE;
    flushes++;
}

static void enter(unsigned int cpu, uint64_t *tag)
{
    if (!idgen_enter_fast(&g, cpu, tag))
        idgen_enter_slow(&g, cpu, tag);
}

TEST(first_entries_take_distinct_ids_without_flush)
{
    idgen_init(&g, BITS, CPUS, flush_all);
    flushes = 0;
    uint64_t tags[IDS - 1] = {0};
    for (unsigned int s = 0; s < IDS - 1; s++) {
        enter(s % CPUS, &tags[s]);
        CHECK(idgen_id(&g, tags[s]) != 0);
        for (unsigned int t = 0; t < s; t++)
            CHECK(idgen_id(&g, tags[s]) != idgen_id(&g, tags[t]));
    }
    CHECK_EQ(flushes, 0);
    /* Re-entry keeps the tag (fast path). */
    uint64_t before = tags[3];
    CHECK(idgen_enter_fast(&g, 1, &tags[3]));
    CHECK_EQ(tags[3], before);
    /* One more space than ids: a rollover, one flush. */
    uint64_t extra = 0;
    enter(0, &extra);
    CHECK_EQ(flushes, 1);
    CHECK(idgen_current(&g, extra));
    CHECK(!idgen_current(&g, tags[0]) || tags[0] == extra);
}

TEST(random_schedule_never_shares_an_id_across_spaces)
{
    idgen_init(&g, BITS, CPUS, flush_all);
    flushes = 0;
    for (unsigned int i = 0; i < IDS; i++)
        tlb_owner[i] = NONE;
    uint64_t tags[SPACES] = {0};
    int running[CPUS];
    for (unsigned int c = 0; c < CPUS; c++)
        running[c] = NONE;
    for (int step = 0; step < 300000; step++) {
        unsigned int cpu = (unsigned int)(rnd() % CPUS);
        int s = (int)(rnd() % SPACES);
        bool elsewhere = false;
        for (unsigned int c = 0; c < CPUS; c++)
            elsewhere |= c != cpu && running[c] == s;
        if (rnd() % 50 == 0 && !elsewhere && running[cpu] != s) {
            /* Space s dies (nobody runs it): its entries are flushed, its id
             * released, and a new space takes its slot. */
            if (tags[s] && tlb_owner[idgen_id(&g, tags[s])] == s)
                tlb_owner[idgen_id(&g, tags[s])] = NONE;
            idgen_release(&g, tags[s]);
            tags[s] = 0;
            continue;
        }
        enter(cpu, &tags[s]);
        uint32_t id = idgen_id(&g, tags[s]);
        CHECK(id != 0);
        CHECK(idgen_current(&g, tags[s]));
        /* Safety: the id's cached entries, if any, are this space's. */
        if (tlb_owner[id] != NONE && tlb_owner[id] != s)
            HARNESS_FAIL("step %d: space %d got id %u still cached for space %d", step, s, id,
                         tlb_owner[id]);
        /* No other pCPU runs another space with this id right now. */
        for (unsigned int c = 0; c < CPUS; c++)
            if (c != cpu && running[c] != NONE && running[c] != s &&
                idgen_id(&g, tags[running[c]]) == id && idgen_current(&g, tags[running[c]]))
                HARNESS_FAIL("step %d: id %u on cpus %u and %u", step, id, cpu, c);
        tlb_owner[id] = s;
        running[cpu] = s;
    }
    CHECK(flushes > 0);
    CHECK(g.rollovers == (unsigned long)flushes);
}

TEST(release_of_a_running_or_old_tag_keeps_the_id)
{
    idgen_init(&g, BITS, CPUS, flush_all);
    uint64_t a = 0, b = 0;
    enter(0, &a);
    idgen_release(&g, a); /* still active on cpu 0: stays taken */
    CHECK(bitmap_test(g.map, idgen_id(&g, a)));
    enter(1, &b);
    CHECK(idgen_id(&g, a) != idgen_id(&g, b));
    enter(0, &b); /* cpu 0 moves on; a is now unused */
    idgen_release(&g, a);
    CHECK(!bitmap_test(g.map, idgen_id(&g, a)));
    idgen_release(&g, 0); /* never entered: nothing to do */
    CHECK(bitmap_test(g.map, 0));
}
