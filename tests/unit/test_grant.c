/*
 * Grant tables against a fake stage 2 and allocator: frames and growth, map
 * and unmap between two domains with the GTF flags, status codes, copy, and
 * lifetimes (a granter destroyed while mapped becomes a zombie that keeps
 * exactly the pinned RAM chunk until the last unmap), and which per-domain
 * locks each operation takes (two domains': lower domain id first).
 */
#include "harness.h"
#include <stdlib.h>
#include <core/domain.h>
#include <core/domain_ram.h>
#include <xen/grant.h>
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include "fakes/p2m_fake.h"
#include "fakes/lock_fake.h"
#include "../../hypervisor/xen/grant_priv.h" /* which lock is whose */
#include <public/xen.h>

/* ---- fakes: allocator, locks, stage 2 in fakes/p2m_fake.c ---- */
static struct domain *doms[4];
struct domain *domain_by_id(uint16_t id)
{
    return id < 4 ? doms[id] : NULL;
}

/* References taken and not yet put back: a grant op gives back what it took. */
static int refs_out;
struct domain *domain_get(uint16_t id)
{
    struct domain *d = domain_by_id(id);
    refs_out += d != NULL;
    return d;
}

void domain_put(struct domain *d)
{
    (void)d;
    refs_out--;
}

/* A domain with two 4-page RAM chunks at IPA 0x40000000, and a grant table. */
static struct domain *mkdom(uint16_t id)
{
    struct domain *d = fake_ram_domain(id);
    if (gnttab_domain_init(d) != 0)
        abort();
    doms[id] = d;
    return d;
}

static void destroy(struct domain *d)
{
    gnttab_domain_destroy(d);
    for (size_t i = 0; i < d->nr_ram_chunks; i++)
        page_free(d->ram_chunks[i].pa, d->ram_chunks[i].order);
    free(d->ram_chunks);
    free(d->ram_by_pa);
    doms[d->id] = NULL;
    free(d);
}

static struct grant_entry_v1 *table(struct domain *d)
{
    uint64_t fl[1];
    struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 1};
    gnttab_setup_table(d, &st, fl);
    paddr_t pa;
    enum p2m_type t;
    if (fl[0] == GNTTAB_GFN_INVALID || !p2m_lookup(&d->p2m, fl[0] << PAGE_SHIFT, &pa, &t))
        return NULL;
    return (struct grant_entry_v1 *)(uintptr_t)pa;
}

static int16_t map(struct domain *d, uint16_t dom, grant_ref_t ref, uint32_t flags, ipa_t at,
                   grant_handle_t *h)
{
    struct gnttab_map_grant_ref op = {.host_addr = at, .flags = flags, .ref = ref, .dom = dom};
    gnttab_map_ref(d, &op);
    if (h)
        *h = op.handle;
    return op.status;
}

TEST(frames_grow_and_stay_put)
{
    struct domain *a = mkdom(1);
    struct gnttab_query_size q = {.dom = DOMID_SELF};
    gnttab_query_size(a, &q);
    CHECK_EQ(q.status, GNTST_okay);
    CHECK_EQ(q.nr_frames, 1);
    CHECK_EQ(q.max_nr_frames, 64);
    CHECK_EQ(gnttab_map_frame(a, 0, 0x38000), 0);
    CHECK_EQ(gnttab_map_frame(a, 0, 0x38000), -EBUSY);
    CHECK_EQ(gnttab_map_frame(a, 0, 0x38005), -EBUSY);
    CHECK_EQ(gnttab_map_frame(a, 64, 0x38040), -EINVAL);
    CHECK_EQ(gnttab_map_frame(a, 0x80000000UL, 0x38040), -EINVAL);
    CHECK_EQ(gnttab_map_frame(a, 3, 0x38003), 0);
    gnttab_query_size(a, &q);
    CHECK_EQ(q.nr_frames, 4);
    /* The guest put something else over frame 0: it may be mapped again. */
    p2m_set_page(&a->p2m, 0x38000ULL << 12, 0x1234000, P2M_RAM);
    CHECK_EQ(gnttab_map_frame(a, 0, 0x38001), 0);
    q.dom = 3; /* nobody */
    gnttab_query_size(a, &q);
    CHECK_EQ(q.status, GNTST_bad_domain);
    destroy(a);
}

TEST(map_unmap_between_domains)
{
    struct domain *a = mkdom(1), *b = mkdom(2);
    gnttab_map_frame(a, 0, 0x38000);
    struct grant_entry_v1 *g = table(a);
    REQUIRE(g);
    g[8] = (struct grant_entry_v1){GTF_permit_access, 2, 0x40001};
    grant_handle_t h;
    CHECK_EQ(map(b, 1, 8, GNTMAP_host_map, 0x50000000, &h), GNTST_okay);
    CHECK_EQ(g[8].flags, GTF_permit_access | GTF_reading | GTF_writing);
    paddr_t pa;
    enum p2m_type t;
    CHECK(p2m_lookup(&b->p2m, 0x50000000, &pa, &t));
    CHECK_EQ(pa, a->ram_chunks[0].pa + PAGE_SIZE);
    /* Errors in Xen's order. */
    CHECK_EQ(map(b, 1, 8, 0, 0x50001000, NULL), GNTST_bad_gntref);
    CHECK_EQ(map(b, DOMID_SELF, 8, GNTMAP_host_map, 0x50001000, NULL), GNTST_bad_domain);
    CHECK_EQ(map(b, 1, 512, GNTMAP_host_map, 0x50001000, NULL), GNTST_bad_gntref);
    CHECK_EQ(map(a, 1, 8, GNTMAP_host_map, 0x50001000, NULL),
             GNTST_general_error); /* pinned by d2 */
    g[9] = (struct grant_entry_v1){GTF_permit_access, 2, 0x90000};
    CHECK_EQ(map(b, 1, 9, GNTMAP_host_map, 0x50001000, NULL), GNTST_bad_page);
    CHECK_EQ(g[9].flags, GTF_permit_access);
    g[10] = (struct grant_entry_v1){GTF_permit_access, 2, 0x38000}; /* its own grant frame */
    CHECK_EQ(map(b, 1, 10, GNTMAP_host_map | GNTMAP_readonly, 0x50002000, &h), GNTST_okay);
    CHECK_EQ(gnttab_unmap_ref(b, 0x50002000, 0, 0, h), GNTST_okay);
    CHECK_EQ(gnttab_unmap_ref(b, 0x50000000, 0, 0, 99), GNTST_bad_handle);
    CHECK_EQ(gnttab_unmap_ref(b, 0x50001000, 0, 0, 0), GNTST_general_error); /* wrong place */
    CHECK_EQ(gnttab_unmap_ref(b, 0x50000000, 0, 0, 0), GNTST_okay);
    CHECK_EQ(g[8].flags, GTF_permit_access);
    CHECK(!p2m_lookup(&b->p2m, 0x50000000, &pa, &t));
    destroy(b);
    destroy(a);
}

TEST(granter_destroyed_while_mapped_becomes_zombie)
{
    struct domain *a = mkdom(1), *b = mkdom(2);
    gnttab_map_frame(a, 0, 0x38000);
    struct grant_entry_v1 *g = table(a);
    REQUIRE(g);
    g[8] = (struct grant_entry_v1){GTF_permit_access, 2, 0x40005}; /* in chunk 1 */
    grant_handle_t h;
    CHECK_EQ(map(b, 1, 8, GNTMAP_host_map, 0x50000000, &h), GNTST_okay);
    paddr_t chunk1 = a->ram_chunks[1].pa;
    int before = fake_pages_freed;
    destroy(a); /* frees chunk 0 (by the zombie) only; chunk 1 is kept */
    CHECK_EQ(fake_pages_freed - before, 1);
    /* The mapper still sees the page, and cannot map new grants of a dead domain. */
    CHECK_EQ(map(b, 1, 8, GNTMAP_host_map, 0x50001000, NULL), GNTST_bad_domain);
    before = fake_pages_freed;
    CHECK_EQ(gnttab_unmap_ref(b, 0x50000000, 0, 0, h), GNTST_okay);
    CHECK_EQ(fake_pages_freed - before, 2); /* the table's frame, then the kept chunk */
    CHECK_EQ(fake_last_freed, chunk1);
    destroy(b);
}

TEST(mapper_destroyed_releases_pins)
{
    struct domain *a = mkdom(1), *b = mkdom(2);
    gnttab_map_frame(a, 0, 0x38000);
    struct grant_entry_v1 *g = table(a);
    REQUIRE(g);
    g[8] = (struct grant_entry_v1){GTF_permit_access, 2, 0x40000};
    CHECK_EQ(map(b, 1, 8, GNTMAP_host_map | GNTMAP_readonly, 0x50000000, NULL), GNTST_okay);
    CHECK_EQ(g[8].flags, GTF_permit_access | GTF_reading);
    destroy(b);
    CHECK_EQ(g[8].flags, GTF_permit_access);
    destroy(a);
}

TEST(copy_checks)
{
    struct domain *a = mkdom(1);
    gnttab_map_frame(a, 0, 0x38000);
    struct grant_entry_v1 *g = table(a);
    REQUIRE(g);
    g[8] = (struct grant_entry_v1){GTF_permit_access, 1, 0x40002};
    char *src = (char *)(uintptr_t)a->ram_chunks[0].pa, *dst = src + 2 * PAGE_SIZE;
    strcpy(src + 10, "granted");
    struct gnttab_copy c = {.len = 8, .flags = GNTCOPY_dest_gref};
    c.source.u.gmfn = 0x40000;
    c.source.domid = DOMID_SELF;
    c.source.offset = 10;
    c.dest.u.ref = 8;
    c.dest.domid = 1;
    c.dest.offset = 100;
    gnttab_copy(a, &c);
    CHECK_EQ(c.status, GNTST_okay);
    CHECK_STR_EQ(dst + 100, "granted");
    CHECK_EQ(g[8].flags, GTF_permit_access);
    c.dest.offset = 4090;
    gnttab_copy(a, &c);
    CHECK_EQ(c.status, GNTST_bad_copy_arg);
    c.dest.offset = 0;
    c.source.domid = 1; /* a frame by number needs DOMID_SELF */
    gnttab_copy(a, &c);
    CHECK_EQ(c.status, GNTST_permission_denied);
    c.source.domid = DOMID_SELF;
    c.source.u.gmfn = 0x38000; /* own grant frame: allowed */
    gnttab_copy(a, &c);
    CHECK_EQ(c.status, GNTST_okay);
    c.source.u.gmfn = ~0ULL;
    gnttab_copy(a, &c);
    CHECK_EQ(c.status, GNTST_bad_page);
    destroy(a);
}

static int flush(struct domain *d, paddr_t pa)
{
    struct gnttab_cache_flush cf = {.offset = 0, .length = 64, .op = GNTTAB_CACHE_CLEAN};
    cf.a.dev_bus_addr = pa;
    return gnttab_cache_flush(d, &cf);
}

/* cache_flush accepts the caller's own RAM and grant frames and the pages
 * it maps through grants, for as long as one mapping of the page remains;
 * anything else is -EINVAL (Xen 4.17's outcome for a page nobody granted). */
TEST(cache_flush_owned_or_mapped_pages_only)
{
    struct domain *a = mkdom(1), *b = mkdom(2);
    gnttab_map_frame(a, 0, 0x38000);
    struct grant_entry_v1 *g = table(a);
    REQUIRE(g);
    paddr_t page = a->ram_chunks[1].pa + 2 * PAGE_SIZE;
    CHECK_EQ(flush(a, page), 0);                  /* its own RAM */
    CHECK_EQ(flush(a, (paddr_t)(uintptr_t)g), 0); /* its own grant frame */
    CHECK_EQ(flush(b, page), -EINVAL);            /* someone else's page */
    CHECK_EQ(flush(b, b->ram_chunks[0].pa), 0);
    g[8] = (struct grant_entry_v1){GTF_permit_access, 2, 0x40006};
    g[9] = (struct grant_entry_v1){GTF_permit_access, 2, 0x40006}; /* the same page */
    grant_handle_t h1, h2, h3;
    CHECK_EQ(map(b, 1, 8, GNTMAP_host_map, 0x50000000, &h1), GNTST_okay);
    CHECK_EQ(map(b, 1, 8, GNTMAP_host_map | GNTMAP_readonly, 0x50001000, &h2), GNTST_okay);
    CHECK_EQ(map(b, 1, 9, GNTMAP_host_map, 0x50002000, &h3), GNTST_okay);
    CHECK_EQ(flush(b, page), 0);
    CHECK_EQ(flush(b, page + PAGE_SIZE), -EINVAL); /* the next page is not granted */
    CHECK_EQ(gnttab_unmap_ref(b, 0x50000000, 0, 0, h1), GNTST_okay);
    CHECK_EQ(gnttab_unmap_ref(b, 0x50002000, 0, 0, h3), GNTST_okay);
    CHECK_EQ(flush(b, page), 0); /* the read-only mapping remains */
    CHECK_EQ(gnttab_unmap_ref(b, 0x50001000, 0, 0, h2), GNTST_okay);
    CHECK_EQ(flush(b, page), -EINVAL);
    /* A failed map leaves nothing behind. */
    fake_set_page_fails = true;
    CHECK_EQ(map(b, 1, 8, GNTMAP_host_map, 0x50000000, NULL), GNTST_general_error);
    fake_set_page_fails = false;
    CHECK_EQ(flush(b, page), -EINVAL);
    CHECK_EQ(g[8].flags, GTF_permit_access);
    CHECK_EQ(map(b, 1, 8, GNTMAP_host_map, 0x50000000, NULL), GNTST_okay);
    destroy(b); /* its mappings go with it, counts and all (ASan: no leak) */
    CHECK_EQ(g[8].flags, GTF_permit_access);
    destroy(a);
}

/* Every lock taken while the hook is set, in order. */
static spinlock_t *taken[32];
static unsigned int nr_taken;
static void record(spinlock_t *l)
{
    if (nr_taken < 32)
        taken[nr_taken++] = l;
}

static void start_recording(void)
{
    nr_taken = 0;
    fake_lock_hook = record;
}

static unsigned int index_in(const spinlock_t *l)
{
    for (unsigned int i = 0; i < nr_taken; i++)
        if (taken[i] == l)
            return i;
    return ~0u;
}

static bool lock_of(const spinlock_t *l, const struct domain *d)
{
    return l == &d->gnttab->lock || l == &d->gnttab->maptrack_lock;
}

/* A copy between two grants of other domains locks those two tables only,
 * the lower domain id first whichever is the source; the caller's table is
 * not touched, and every domain reference is given back. */
TEST(copy_locks_its_two_sides_lower_id_first)
{
    struct domain *a = mkdom(1), *b = mkdom(2), *c = mkdom(3);
    gnttab_map_frame(a, 0, 0x38000);
    gnttab_map_frame(b, 0, 0x38000);
    struct grant_entry_v1 *ga = table(a), *gb = table(b);
    REQUIRE(ga && gb);
    ga[8] = (struct grant_entry_v1){GTF_permit_access, 3, 0x40001};
    gb[8] = (struct grant_entry_v1){GTF_permit_access, 3, 0x40002};
    strcpy((char *)(uintptr_t)a->ram_chunks[0].pa + PAGE_SIZE, "from a");
    struct gnttab_copy op = {.len = 7, .flags = GNTCOPY_source_gref | GNTCOPY_dest_gref};
    op.source.u.ref = op.dest.u.ref = 8;
    for (int dir = 0; dir < 2; dir++) {
        op.source.domid = dir ? 2 : 1;
        op.dest.domid = dir ? 1 : 2;
        start_recording();
        gnttab_copy(c, &op);
        fake_lock_hook = NULL;
        CHECK_EQ(op.status, GNTST_okay);
        CHECK_EQ(nr_taken, 2);
        CHECK(taken[0] == &a->gnttab->lock && taken[1] == &b->gnttab->lock);
        CHECK_EQ(fake_locks_held, 0);
        CHECK_EQ(refs_out, 0);
    }
    CHECK_STR_EQ((char *)(uintptr_t)a->ram_chunks[0].pa + PAGE_SIZE, "from a");
    CHECK_EQ(ga[8].flags, GTF_permit_access);
    CHECK_EQ(gb[8].flags, GTF_permit_access);
    destroy(c);
    destroy(b);
    destroy(a);
}

/* Map and unmap: the mapper's handles, then the granter's table; nothing of
 * an unrelated domain, and the same for a mapping of a zombie. */
TEST(map_unmap_take_mapper_then_granter_only)
{
    struct domain *a = mkdom(1), *b = mkdom(2), *c = mkdom(3);
    gnttab_map_frame(a, 0, 0x38000);
    struct grant_entry_v1 *g = table(a);
    REQUIRE(g);
    g[8] = (struct grant_entry_v1){GTF_permit_access, 2, 0x40001};
    grant_handle_t h;
    start_recording();
    CHECK_EQ(map(b, 1, 8, GNTMAP_host_map, 0x50000000, &h), GNTST_okay);
    fake_lock_hook = NULL;
    CHECK(nr_taken >= 2 && taken[0] == &b->gnttab->maptrack_lock);
    CHECK(index_in(&a->gnttab->lock) == 1);
    for (unsigned int i = 0; i < nr_taken; i++)
        CHECK(!lock_of(taken[i], c));
    CHECK_EQ(refs_out, 0);
    destroy(a); /* a zombie now: b's unmap frees it, after unlocking */
    start_recording();
    CHECK_EQ(gnttab_unmap_ref(b, 0x50000000, 0, 0, h), GNTST_okay);
    fake_lock_hook = NULL;
    CHECK(nr_taken >= 2 && taken[0] == &b->gnttab->maptrack_lock);
    for (unsigned int i = 0; i < nr_taken; i++)
        CHECK(!lock_of(taken[i], c));
    CHECK_EQ(fake_locks_held, 0);
    destroy(c);
    destroy(b);
}
