/*
 * core/domain.c and what it builds (domain_hooks.c, domain_ram*.c, vcpu.c):
 * creation with the registered parts and its unwinding at any failure, a
 * domU's RAM and lookups in it, dom0, domain ids. Every allocation is
 * counted: a domain gone leaves the heap, the pages and the stage-2 tables
 * as they were (domain_world.h). Lifecycle: test_domain_life.c.
 */
#include "harness.h"
#include <cloison/errno.h>
#include <cloison/p2m.h>
#include <core/cpupool.h>
#include <core/domain.h>
#include <core/sched.h>
#include <core/domain_p2m.h>
#include <core/domain_ram.h>
#include <core/footprint.h>
#include <core/vcpu.h>
#include <public/xen.h>
#include "domain_world.h"
#include "fakes/lock_fake.h"
#include "fakes/p2m_fake.h"
#include "fakes/sched_fake.h"
#include "fakes/timer_fake.h"

TEST(parts_built_in_order_and_torn_down_in_reverse)
{
    setup(true);
    struct domain_cfg c = cfg("guest", 4096, 2);
    struct domain *d = domain_create(&c);
    REQUIRE(d);
    CHECK_STR_EQ(trace, "+a +b +c ");
    CHECK_STR_EQ(d->name, "guest");
    CHECK_EQ(d->state, DOM_RUNNING);
    CHECK(!d->is_privileged);
    CHECK_EQ(d->nr_vcpus, 2);
    for (unsigned int i = 0; i < 2; i++) {
        CHECK_EQ(d->vcpus[i]->id, i);
        CHECK_EQ(d->vcpus[i]->state, VCPU_OFF);
        CHECK(!d->vcpus[i]->placed);
    }
    CHECK_EQ(d->ram_size, 4 * MIB);
    CHECK_EQ(fake_pages_live - pages0, (long)(4 * MIB / PAGE_SIZE));
    CHECK(!domain_by_id(d->id)); /* not listed before it starts */
    CHECK_EQ(domain_count(), 0);

    fake_counter = 12345;
    domain_start(d, 0x40080000, 0x48000000);
    CHECK_STR_EQ(trace, "+a +b +c sa sc ");
    CHECK_EQ(d->cntvoff, 12345);
    CHECK(domain_by_id(d->id) == d);
    CHECK_EQ(domain_count(), 1);
    CHECK(d->vcpus[0]->placed && d->vcpus[1]->placed);
    CHECK(domain_cpupool(d) == cpupool0());
    CHECK_EQ(d->sched.nr_items, 2);
    CHECK_EQ(cpupool_nr_domains(cpupool0()), 1);
    struct vcpu *v0 = d->vcpus[0], *v1 = d->vcpus[1];
    CHECK_EQ(v0->state, VCPU_RUNNABLE); /* vCPU 0 boots, the others wait for PSCI */
    CHECK_EQ(v1->state, VCPU_OFF);
    CHECK_EQ(v0->arch.regs.elr, 0x40080000);
    CHECK_EQ(v0->arch.regs.x[0], 0x48000000);
    CHECK(fake_sched_pass(v0->pcpu) == v0);
    fake_set_cpu(v0->pcpu);
    CHECK(current_vcpu() == v0);
    fake_set_cpu(0);

    trace[0] = 0;
    uint16_t id = d->id;
    domain_shutdown(d, SHUTDOWN_poweroff);
    char want[64];
    snprintf(want, sizeof(want), "1S%u 2S%u 1D%u 2D%u ", id, id, id, id);
    CHECK_STR_EQ(trace, want);
    CHECK_EQ(d->state, DOM_DYING);
    CHECK_EQ(v0->state, VCPU_DEAD);
    CHECK_EQ(v1->state, VCPU_DEAD);
    trace[0] = 0;
    pass_all();
    snprintf(want, sizeof(want), "-c -b -a 1X%u 2X%u ", id, id);
    CHECK_STR_EQ(trace, want);
    CHECK_EQ(cpupool_nr_domains(cpupool0()), 0);
    CHECK(fake_power_offs > 0); /* it was the only one */
    CHECK(all_freed());
    CHECK(!part_bad);
}

/* A part that fails: the ones that ran are undone, last first, the failed
 * one included; the later ones never run; vCPUs, RAM and id go too. */
TEST(a_failing_part_unwinds_exactly_the_parts_that_ran)
{
    setup(true);
    struct domain_cfg c = cfg("broken", 4096, 2);
    static const struct {
        char fail;
        const char *trace;
    } cases[] = {
        {'a', "+a -a "},
        {'b', "+a +b -b -a "},
        {'c', "+a +b +c -c -b -a "},
    };
    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        trace[0] = 0;
        fail_part = cases[i].fail;
        CHECK(!domain_create(&c));
        CHECK_STR_EQ(trace, cases[i].trace);
        CHECK(all_freed());
    }
    CHECK_EQ(domain_count(), 0);
    CHECK(!part_bad);
}

/* Every allocation domain_create() makes, failing in turn: each failure
 * leaves nothing behind, and no part runs before the RAM and vCPUs exist. */
TEST(an_allocation_failure_anywhere_unwinds_everything)
{
    setup(true);
    struct domain_cfg c = cfg("tight", 4104, 3); /* two 2 MiB chunks and one of two pages */
    unsigned int *fail_in[] = {&fake_heap_fail_in, &fake_page_fail_in};
    unsigned int *failed[] = {&fake_heap_failed, &fake_page_failed};
    unsigned int points[2] = {0, 0};
    for (unsigned int k = 0; k < 2; k++) {
        for (unsigned int n = 1; n < 100; n++) {
            trace[0] = 0;
            *failed[k] = 0;
            *fail_in[k] = n;
            struct domain *d = domain_create(&c);
            *fail_in[k] = 0;
            if (!*failed[k]) { /* past the last allocation */
                CHECK(d);
                if (d)
                    domain_discard(d);
                break;
            }
            points[k]++;
            CHECK(!d);
            CHECK_STR_EQ(trace, "");
            CHECK(all_freed());
            if (d)
                domain_discard(d);
        }
    }
    /* The domain, the leaf of the id table its id falls in, its chunk table
     * and their host-address index, three vCPUs; three chunks (each failure
     * tried in smaller halves too, which fail as well). */
    CHECK_EQ(points[0], 7);
    CHECK_EQ(points[1], 3);
    /* More than the guest RAM banks hold: refused before anything. */
    c.memory_kib = (GUEST_RAM0_MAX + GUEST_RAM1_MAX) / 1024 + 4;
    trace[0] = 0;
    CHECK(!domain_create(&c));
    CHECK(all_freed());
    CHECK_STR_EQ(trace, "");
    CHECK_EQ(domain_count(), 0);
}

/* A domU's RAM: 2 MiB chunks in IPA order from bank 0, the fewest aligned
 * powers of two for the rest, or single pages when no larger block is
 * left; lookups by IPA. */
TEST(domain_ram_chunks_and_lookups)
{
    setup(true);
    struct domain_cfg c = cfg("ram", 4096 + 5, 1); /* rounded up to two pages */
    struct domain *d = domain_create(&c);
    REQUIRE(d);
    CHECK_EQ(d->ram_base, GUEST_RAM0_BASE);
    CHECK_EQ(d->ram_size, 4 * MIB + 2 * PAGE_SIZE);
    CHECK_EQ(d->ram1_size, 0);
    REQUIRE(d->nr_ram_chunks == 3);
    static const unsigned int orders[] = {9, 9, 1};
    ipa_t ipa = GUEST_RAM0_BASE;
    for (unsigned int i = 0; i < 3; i++) {
        CHECK_EQ(d->ram_chunks[i].ipa, ipa);
        CHECK_EQ(d->ram_chunks[i].order, orders[i]);
        ipa += PAGE_SIZE << orders[i];
    }
    CHECK_EQ(fake_pages_live - pages0, 1024 + 2);
    CHECK(domain_ram_chunk(d, GUEST_RAM0_BASE) == &d->ram_chunks[0]);
    CHECK(domain_ram_chunk(d, GUEST_RAM0_BASE + CHUNK - 1) == &d->ram_chunks[0]);
    CHECK(domain_ram_chunk(d, GUEST_RAM0_BASE + CHUNK) == &d->ram_chunks[1]);
    CHECK(domain_ram_chunk(d, GUEST_RAM0_BASE + 2 * CHUNK + PAGE_SIZE) == &d->ram_chunks[2]);
    CHECK(!domain_ram_chunk(d, GUEST_RAM0_BASE + 2 * CHUNK + 2 * PAGE_SIZE));
    CHECK(!domain_ram_chunk(d, GUEST_RAM0_BASE - 1));

    /* Its own page: the host address behind a GFN, through its stage 2. */
    uint64_t gfn = (GUEST_RAM0_BASE + CHUNK + 3 * PAGE_SIZE) >> PAGE_SHIFT;
    paddr_t pa = 0;
    struct ram_chunk ch = {0, 0, 0};
    CHECK(domain_own_ram_page(d, gfn, &pa, &ch));
    CHECK(ch.ipa == d->ram_chunks[1].ipa && ch.pa == d->ram_chunks[1].pa);
    CHECK_EQ(pa, d->ram_chunks[1].pa + 3 * PAGE_SIZE);
    CHECK(!domain_own_ram_page(d, (GUEST_RAM0_BASE >> PAGE_SHIFT) - 1, NULL, NULL));
    CHECK(!domain_own_ram_page(d, (GUEST_RAM0_BASE + 2 * CHUNK + 2 * PAGE_SIZE) >> PAGE_SHIFT, NULL,
                               NULL));
    CHECK(!domain_own_ram_page(d, 1ULL << (64 - PAGE_SHIFT), NULL, NULL));
    /* A GFN of its RAM now mapping another page (a foreign mapping over it):
     * not its own any more. */
    CHECK_EQ(p2m_set_page(&d->p2m, gfn << PAGE_SHIFT, d->ram_chunks[0].pa, P2M_RAM), 0);
    CHECK(!domain_own_ram_page(d, gfn, NULL, NULL));
    CHECK(domain_gfn_valid(d, (1ULL << (FAKE_IPA_BITS - PAGE_SHIFT)) - 1));
    CHECK(!domain_gfn_valid(d, 1ULL << (FAKE_IPA_BITS - PAGE_SHIFT)));
    domain_discard(d);
    CHECK(all_freed());

    /* No 2 MiB block free: page by page, still in order. */
    fake_page_max_order = 0;
    c.memory_kib = 2048;
    d = domain_create(&c);
    REQUIRE(d);
    CHECK_EQ(d->nr_ram_chunks, 512);
    CHECK_EQ(fake_pages_live - pages0, 512);
    CHECK(domain_ram_chunk(d, GUEST_RAM0_BASE + 300 * PAGE_SIZE + 5) == &d->ram_chunks[300]);
    CHECK(domain_own_ram_page(d, (GUEST_RAM0_BASE >> PAGE_SHIFT) + 511, &pa, NULL));
    CHECK_EQ(pa, d->ram_chunks[511].pa);
    domain_discard(d);
    CHECK(all_freed());

    /* The chunk table is sized for the layout and grows when memory is
     * fragmented: 8 MiB in single pages. */
    c.memory_kib = 8192;
    d = domain_create(&c);
    REQUIRE(d);
    CHECK_EQ(d->nr_ram_chunks, 2048);
    CHECK(domain_ram_chunk(d, GUEST_RAM0_BASE + 8 * MIB - 1) == &d->ram_chunks[2047]);
    domain_discard(d);
    CHECK(all_freed());
    fake_page_max_order = 64;
}

/* The 'm' key's breakdown: each creation step's allocations under its name
 * (the fake heap counts objects, one "byte" each; guest RAM left out), the
 * parts by their registered names, kept for the last domain created. */
TEST(footprint_of_the_last_domain_by_step)
{
    setup(true);
    struct domain_cfg c = cfg("fp", 4096 + 8, 3);
    struct domain *d = domain_create(&c);
    REQUIRE(d);
    fake_printk_log[0] = 0;
    footprint_print_last();
    char want[64];
    /* domain_id: the id table's leaf, with the first of its 256 ids. */
    snprintf(want, sizeof(want), "footprint d%u: 7 B at creation: domain=1 domain_id=1 ", d->id);
    CHECK(strstr(fake_printk_log, want));
    CHECK(strstr(fake_printk_log, " ram_list+tables=2 vcpus=3 a=0 b=0 c=0 p2m_pool=0 ."));
    struct footprint f;
    footprint_begin(&f);
    void *p = xzalloc(10);
    paddr_t pg = page_alloc(1);
    footprint_mark(&f, "x", 0);
    footprint_mark(&f, "nothing", 0);
    footprint_mark(&f, "rest", 2 * PAGE_SIZE);
    CHECK_EQ(f.nr, 3);
    CHECK_EQ(f.step[0].bytes, 1 + 2 * (int64_t)PAGE_SIZE);
    CHECK_EQ(f.step[1].bytes, 0);
    CHECK_EQ(f.step[2].bytes, -2 * (int64_t)PAGE_SIZE); /* excluded, none allocated */
    CHECK_EQ(footprint_total(&f), 1);
    xfree(p);
    page_free(pg, 1);
    domain_discard(d);
    CHECK(all_freed());
}

/* How a bank splits into chunks: 2 MiB blocks where aligned, then the
 * largest aligned power of two that fits (pure). */
TEST(ram_chunk_orders_for_any_multiple_of_4k)
{
    const ipa_t b = GUEST_RAM0_BASE;
    CHECK_EQ(domain_ram_chunk_order(b, 2 * MIB), 9);
    CHECK_EQ(domain_ram_chunk_order(b, 4 * MIB), 9);
    CHECK_EQ(domain_ram_chunk_order(b, MIB), 8);
    CHECK_EQ(domain_ram_chunk_order(b, MIB + 512 * 1024), 8);
    CHECK_EQ(domain_ram_chunk_order(b + MIB, 512 * 1024), 7);
    CHECK_EQ(domain_ram_chunk_order(b, PAGE_SIZE), 0);
    CHECK_EQ(domain_ram_chunk_order(b + PAGE_SIZE, 4 * MIB), 0); /* alignment rules */
    CHECK_EQ(domain_ram_chunk_order(b + 2 * PAGE_SIZE, 4 * MIB), 1);
    CHECK_EQ(domain_ram_chunk_count(b, 0), 0);
    CHECK_EQ(domain_ram_chunk_count(b, MIB), 1);
    CHECK_EQ(domain_ram_chunk_count(b, MIB + 512 * 1024), 2);
    CHECK_EQ(domain_ram_chunk_count(b, 2 * MIB + PAGE_SIZE), 2);
    CHECK_EQ(domain_ram_chunk_count(b, 2 * MIB - PAGE_SIZE), 9); /* 1M+512K+...+4K */
    CHECK_EQ(domain_ram_chunk_count(b, 64 * MIB), 32);
    /* Any size: the chunks tile it exactly, each aligned to its size. */
    for (uint64_t pages = 1; pages < 2048; pages += 7) {
        uint64_t bytes = pages * PAGE_SIZE, done = 0;
        size_t n = 0;
        while (done < bytes) {
            unsigned int o = domain_ram_chunk_order(b + done, bytes - done);
            CHECK_EQ((b + done) & ((PAGE_SIZE << o) - 1), 0);
            CHECK(done + (PAGE_SIZE << o) <= bytes);
            done += PAGE_SIZE << o;
            n++;
        }
        CHECK_EQ(n, domain_ram_chunk_count(b, bytes));
    }
}

/* Unikernel-sized domains: 1 MiB, 1.5 MiB and 2 MiB + 4 KiB get exactly
 * their RAM, mapped at its IPAs, in as few chunks as the layout allows, and
 * give every byte back. */
TEST(small_domains_in_4k_multiples)
{
    setup(true);
    static const struct {
        uint64_t kib;
        size_t chunks;
    } cases[] = {{1024, 1}, {1536, 2}, {2052, 2}, {128, 1}, {132, 2}};
    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        struct domain_cfg c = cfg("small", cases[i].kib, 1);
        struct domain *d = domain_create(&c);
        REQUIRE(d);
        CHECK_EQ(d->ram_size, cases[i].kib * 1024);
        CHECK_EQ(d->nr_ram_chunks, cases[i].chunks);
        CHECK_EQ((uint64_t)(fake_pages_live - pages0), cases[i].kib / 4);
        for (uint64_t off = 0; off < cases[i].kib * 1024; off += PAGE_SIZE) {
            paddr_t pa;
            enum p2m_type t;
            const struct ram_chunk *ch = domain_ram_chunk(d, GUEST_RAM0_BASE + off);
            REQUIRE(ch);
            CHECK(p2m_lookup(&d->p2m, GUEST_RAM0_BASE + off, &pa, &t) && t == P2M_RAM);
            CHECK_EQ(pa & PAGE_MASK, ch->pa + (GUEST_RAM0_BASE + off - ch->ipa));
        }
        CHECK(!domain_ram_chunk(d, GUEST_RAM0_BASE + cases[i].kib * 1024));
        domain_discard(d);
        CHECK(all_freed());
    }
}

/* A toolstack domain: no RAM at creation; populate_physmap adds 2 MiB or
 * 4 KiB extents anywhere in its IPA space, kept in IPA order, up to
 * max_pages, until it is sealed (its first unpause). */
TEST(toolstack_domain_ram_grows_until_sealed)
{
    setup(true);
    struct domain_cfg c = cfg("", 0, 2);
    c.toolstack = true;
    struct domain *d = domain_create(&c);
    REQUIRE(d);
    CHECK(d->name[0] == 'd' && d->nr_vcpus == 2 && d->nr_ram_chunks == 0);
    const uint64_t ram = GUEST_RAM0_BASE >> PAGE_SHIFT, magic = 0x39000;
    CHECK_EQ(domain_ram_populate(d, ram, 9), -ENOMEM); /* max_pages 0 until max_mem */
    domain_set_max_pages(d, 512 + 2);
    uint64_t cleaned = fake_dcache_cleaned;
    CHECK_EQ(domain_ram_populate(d, ram, 9), 0);
    CHECK_EQ(fake_dcache_cleaned - cleaned, 2 * MIB);            /* zeroed pages reach memory */
    CHECK_EQ(domain_ram_populate(d, ram + 1, 0), -EINVAL);       /* already RAM */
    CHECK_EQ(domain_ram_populate(d, ram + 512 + 1, 9), -EINVAL); /* misaligned */
    CHECK_EQ(domain_ram_populate(d, magic + 1, 0), 0);           /* below: inserted in order */
    CHECK_EQ(domain_ram_populate(d, magic, 0), 0);
    CHECK_EQ(domain_ram_populate(d, magic + 2, 0), -ENOMEM); /* max_pages reached */
    REQUIRE(d->nr_ram_chunks == 3);
    CHECK_EQ(d->ram_chunks[0].ipa, magic << PAGE_SHIFT);
    CHECK_EQ(d->ram_chunks[1].ipa, (magic + 1) << PAGE_SHIFT);
    CHECK_EQ(d->ram_chunks[2].ipa, GUEST_RAM0_BASE);
    CHECK_EQ(domain_ram_pages(d), 514);
    CHECK_EQ(domain_ram_top_gfn(d), ram + 511);
    paddr_t pa;
    struct ram_chunk ch;
    CHECK(domain_own_ram_page(d, magic + 1, &pa, &ch)); /* while still growing */
    CHECK_EQ(pa, d->ram_chunks[1].pa);
    CHECK(!d->ram_by_pa); /* no host-address index before it starts: a scan */
    CHECK(domain_ram_chunk_of_pa(d, pa) == &d->ram_chunks[1]);
    CHECK(!domain_ram_chunk_of_pa(d, 0));
    CHECK_EQ(domain_ram_seal(d), 0);
    CHECK(domain_ram_chunk_of_pa(d, pa) == &d->ram_chunks[1]);
    domain_set_max_pages(d, 4096);
    CHECK_EQ(domain_ram_populate(d, ram + 512, 0), -EPERM);
    domain_discard(d);
    CHECK(all_freed());
}

TEST(dom0_is_domain_0_and_its_builder_owns_its_ram)
{
    setup(true);
    struct domain_cfg c = cfg("dom0", 65536, 1);
    c.is_dom0 = true;
    struct domain *d = domain_create(&c);
    REQUIRE(d);
    CHECK_EQ(d->id, 0);
    CHECK(d->is_privileged);
    CHECK_EQ(d->nr_ram_chunks, 0);
    CHECK_EQ(fake_pages_live, pages0);
    /* A domU meanwhile gets an id of its own. */
    struct domain_cfg cu = cfg("domU", 4096, 1);
    struct domain *u = domain_create(&cu);
    REQUIRE(u);
    CHECK(u->id > 0 && u->id < DOMID_FIRST_RESERVED);
    CHECK(!u->is_privileged);
    domain_discard(u);
    domain_discard(d);
    CHECK(all_freed());
}

/* The P2M pool: xen,domain-p2m-mem-mb when given (refused, naming the
 * property, when less than the layout's tables), else the layout's tables
 * plus headroom for a Xen-enhanced domain (and for every domain whose
 * blocks split at first touch); dom0's is left elastic. */
TEST(p2m_pool_sized_from_layout_or_property)
{
    setup(true);
    fake_p2m_layout_pages = 3;
    struct domain_cfg c = cfg("plain", 4096, 1);
    struct domain *d = domain_create(&c);
    REQUIRE(d);
    CHECK_EQ(fake_p2m_pool_set, 3); /* a plain VM changes nothing at run time */
    domain_discard(d);
    /* ... unless its RAM blocks become pages at first touch (QEMU's board). */
    fake_p2m_granule = P2M_GRANULE_TOUCH;
    REQUIRE((d = domain_create(&c)));
    CHECK_EQ(fake_p2m_pool_set, 3 + 2); /* a level-3 table per 2 MiB block */
    domain_discard(d);
    fake_p2m_granule = P2M_GRANULE_BLOCKS;
    c.enhanced = XEN_ENHANCED_NO_XENSTORE;
    REQUIRE((d = domain_create(&c)));
    CHECK_EQ(fake_p2m_pool_set, 3 + 2 + 2); /* two 2 MiB blocks, two outside RAM */
    domain_discard(d);
    c.p2m_mem_mb = 2;
    REQUIRE((d = domain_create(&c)));
    CHECK_EQ(fake_p2m_pool_set, 512);
    domain_discard(d);
    fake_p2m_layout_pages = 300;
    c.p2m_mem_mb = 1;
    fake_printk_log[0] = 0;
    CHECK(!domain_create(&c));
    CHECK(strstr(fake_printk_log, "plain: property 'xen,domain-p2m-mem-mb' (1 MiB) is less than "
                                  "the 1200 KiB its stage-2 tables need for its layout\n"));
    CHECK(strstr(fake_printk_log, "plain: domain not created"));
    CHECK(all_freed());
    /* The toolstack's resize (XEN_DOMCTL_set_paging_mempool_size). */
    fake_p2m_layout_pages = 3;
    c.p2m_mem_mb = 0;
    REQUIRE((d = domain_create(&c)));
    CHECK_EQ(domain_set_paging_mempool_size(d, 4097, NULL), -EINVAL);
    CHECK_EQ(domain_set_paging_mempool_size(d, 2 * 4096, NULL), -ENOMEM); /* below what is used */
    CHECK_EQ(domain_set_paging_mempool_size(d, 64 * 4096, NULL), 0);
    CHECK_EQ(domain_get_paging_mempool_size(d), 64 * 4096);
    domain_discard(d);
    fake_p2m_pool_set = 0;
    c.is_dom0 = true;
    REQUIRE((d = domain_create(&c)));
    CHECK_EQ(fake_p2m_pool_set, 0);
    CHECK_EQ(domain_set_paging_mempool_size(d, 4096, NULL), 0); /* no effect: dom0 uses the heap */
    CHECK_EQ(fake_p2m_pool_set, 0);
    domain_discard(d);
    fake_p2m_layout_pages = 1;
    CHECK(all_freed());
}

static uint16_t create_discard(const struct domain_cfg *c)
{
    struct domain *d = domain_create(c);
    if (!d)
        return 0xFFFF;
    uint16_t id = d->id;
    domain_discard(d);
    trace[0] = 0;
    return id;
}

/* Ids held by live domains while the rover goes round. */
static uint16_t held[3];
static bool is_held(unsigned int id)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(held); i++)
        if (held[i] == id)
            return true;
    return false;
}

/* The free id the rover gives after `id` (wrapping to 1). */
static uint16_t next_free(unsigned int id)
{
    do
        id = id + 1 < DOMID_FIRST_RESERVED ? id + 1 : 1;
    while (is_held(id));
    return (uint16_t)id;
}

/* Create and discard domains up to id `last`: each gets the next free id. */
static bool rover_to(uint16_t from, uint16_t last, const struct domain_cfg *c)
{
    for (uint16_t id = from; id != last;) {
        uint16_t want = next_free(id), got = create_discard(c);
        if (got != want) {
            CHECK_EQ(got, want);
            return false;
        }
        id = got;
    }
    return true;
}

/* Ids go up one by one, a freed id is not reused before the rover wraps,
 * and the wrap stays below DOMID_FIRST_RESERVED and skips ids in use, also
 * when every id from the rover to the top is taken. Goes round twice. */
TEST(domain_ids_rover_reuse_and_wrap)
{
    setup(true);
    struct domain_cfg c = cfg("id", 0, 1);
    struct domain *a = domain_create(&c), *b = domain_create(&c), *e = domain_create(&c);
    REQUIRE(a && b && e);
    uint16_t k = a->id;
    CHECK(k >= 1);
    CHECK_EQ(b->id, k + 1);
    CHECK_EQ(e->id, k + 2);
    domain_discard(b);
    uint16_t next = create_discard(&c);
    CHECK_EQ(next, k + 3); /* not k + 1: the rover goes on */
    held[0] = k;
    held[1] = (uint16_t)(k + 2);
    held[2] = 0;

    /* To the top, whose id stays taken; then from the bottom again. */
    REQUIRE(rover_to(next, DOMID_FIRST_RESERVED - 2, &c));
    struct domain *top = domain_create(&c);
    REQUIRE(top);
    CHECK_EQ(top->id, DOMID_FIRST_RESERVED - 1);
    held[2] = top->id;
    uint16_t first = create_discard(&c);
    CHECK_EQ(first, next_free(0));
    /* Round again to just below the top: nothing is free from there up. */
    REQUIRE(rover_to(first, DOMID_FIRST_RESERVED - 2, &c));
    CHECK_EQ(create_discard(&c), next_free(0));
    domain_discard(top);
    domain_discard(a);
    domain_discard(e);
    CHECK(all_freed());
}

static unsigned int visited;
static void visit(struct domain *d)
{
    (void)d;
    visited++;
    if (!fake_locks_held)
        bad("for_each ran its function without the list lock");
}

TEST(for_each_and_count_see_the_started_domains)
{
    setup(true);
    struct domain_cfg c = cfg("many", 4096, 1);
    struct domain *d[3];
    for (int i = 0; i < 3; i++)
        d[i] = start(&c);
    struct domain *unstarted = domain_create(&c);
    REQUIRE(d[0] && d[1] && d[2] && unstarted);
    CHECK_EQ(domain_count(), 3);
    visited = 0;
    domain_for_each(visit);
    CHECK_EQ(visited, 3);
    domain_discard(unstarted);
    for (int i = 0; i < 3; i++)
        CHECK(destroy(d[i]));
    CHECK_EQ(domain_count(), 0);
    CHECK(all_freed());
    CHECK(!part_bad);
}
