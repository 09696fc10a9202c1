/*
 * core/foreign_map.c: a page the control domain maps stays allocated while
 * mapped, whoever is destroyed first, and is freed exactly once afterwards.
 * Fakes (fakes/p2m_fake.c): a stage 2 per domain as a small table,
 * page_free counting frees.
 */
#include "harness.h"
#include <stdlib.h>
#include <string.h>
#include <core/domain.h>
#include <core/domain_ram.h>
#include <cloison/errno.h>
#include <core/foreign_map.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include "fakes/p2m_fake.h"

/* ---- fakes: allocator, locks, stage 2 in fakes/p2m_fake.c ---- */
#define RAM_GFN FAKE_RAM_GFN
static struct domain *mkdom(uint16_t id)
{
    struct domain *d = fake_ram_domain(id);
    d->is_privileged = id == 0;
    return d;
}

/* The order core/domain.c tears down in: stage 2, own mappings, RAM. */
static void destroy(struct domain *d)
{
    foreign_domain_destroy(d);
    foreign_release_chunks(d->id, d->ram_chunks, d->nr_ram_chunks);
    free(d->ram_chunks);
    free(d->ram_by_pa);
    free(d);
}

static paddr_t mapped(struct domain *d, uint64_t gfn)
{
    paddr_t pa = 0;
    enum p2m_type t;
    return p2m_lookup(&d->p2m, gfn << PAGE_SHIFT, &pa, &t) ? pa : 0;
}

#define HOLE_GFN 0x80000ULL /* where dom0 maps (a ballooned-out GFN) */

TEST(map_shows_the_owners_page)
{
    struct domain *dom0 = mkdom(0), *du = mkdom(1);
    strcpy((char *)(uintptr_t)du->ram_chunks[1].pa + PAGE_SIZE, "hello");
    CHECK(!foreign_domain_pinned(1));
    CHECK_EQ(foreign_map_page(dom0, du, RAM_GFN + 5, HOLE_GFN), 0);
    CHECK(foreign_domain_pinned(1) && !foreign_domain_pinned(0)); /* du's page is held */
    CHECK_EQ(mapped(dom0, HOLE_GFN), du->ram_chunks[1].pa + PAGE_SIZE);
    CHECK_STR_EQ((char *)(uintptr_t)mapped(dom0, HOLE_GFN), "hello");
    int rc = 1;
    CHECK(foreign_unmap_gfn(dom0, HOLE_GFN, &rc));
    CHECK_EQ(rc, 0);
    CHECK(!foreign_domain_pinned(1));
    CHECK_EQ(mapped(dom0, HOLE_GFN), 0);
    CHECK(!foreign_unmap_gfn(dom0, HOLE_GFN, &rc)); /* not foreign any more */
    fake_pages_freed = 0;
    destroy(du);
    CHECK_EQ(fake_pages_freed, 2); /* nothing held: both chunks go at once */
    destroy(dom0);
}

TEST(only_the_owners_own_ram)
{
    struct domain *dom0 = mkdom(0), *du = mkdom(1), *other = mkdom(2);
    CHECK_EQ(foreign_map_page(dom0, du, RAM_GFN + 8, HOLE_GFN), -EINVAL); /* hole */
    CHECK_EQ(foreign_map_page(dom0, du, ~0ULL, HOLE_GFN), -EINVAL);
    CHECK_EQ(foreign_map_page(dom0, du, RAM_GFN, 1ULL << 40), -EINVAL); /* beyond the IPA space */
    /* A page du maps from elsewhere is not du's to hand on. */
    p2m_set_page(&du->p2m, (RAM_GFN + 2) << PAGE_SHIFT, other->ram_chunks[0].pa, P2M_RAM);
    CHECK_EQ(foreign_map_page(dom0, du, RAM_GFN + 2, HOLE_GFN), -EINVAL);
    CHECK_EQ(mapped(dom0, HOLE_GFN), 0);
    destroy(other);
    destroy(du);
    destroy(dom0);
}

TEST(owner_destroyed_first_keeps_mapped_chunk_until_unmap)
{
    struct domain *dom0 = mkdom(0), *du = mkdom(1);
    paddr_t chunk1 = du->ram_chunks[1].pa;
    strcpy((char *)(uintptr_t)chunk1, "still here");
    CHECK_EQ(foreign_map_page(dom0, du, RAM_GFN + 4, HOLE_GFN), 0);
    CHECK_EQ(foreign_map_page(dom0, du, RAM_GFN + 6, HOLE_GFN + 1), 0); /* same chunk twice */
    CHECK(foreign_domain_pinned(1));
    fake_pages_freed = 0;
    destroy(du);
    CHECK_EQ(fake_pages_freed, 1);    /* chunk 0 only */
    CHECK(!foreign_domain_pinned(1)); /* an orphan is no longer counted as du's */
    CHECK_STR_EQ((char *)(uintptr_t)mapped(dom0, HOLE_GFN), "still here");
    int rc;
    CHECK(foreign_unmap_gfn(dom0, HOLE_GFN, &rc));
    CHECK_EQ(fake_pages_freed, 1); /* the other mapping still holds it */
    CHECK(foreign_unmap_gfn(dom0, HOLE_GFN + 1, &rc));
    CHECK_EQ(fake_pages_freed, 2);
    destroy(dom0);
    CHECK_EQ(fake_pages_freed, 4);
}

TEST(mapper_destroyed_drops_its_references)
{
    struct domain *dom0 = mkdom(0), *du = mkdom(1);
    CHECK_EQ(foreign_map_page(dom0, du, RAM_GFN, HOLE_GFN), 0);
    CHECK_EQ(foreign_map_page(dom0, du, RAM_GFN + 4, HOLE_GFN + 1), 0);
    fake_pages_freed = 0;
    destroy(du); /* both chunks mapped: both kept */
    CHECK_EQ(fake_pages_freed, 0);
    destroy(dom0); /* its two chunks, then the two orphans */
    CHECK_EQ(fake_pages_freed, 4);
}

TEST(remapping_a_gfn_moves_the_reference)
{
    struct domain *dom0 = mkdom(0), *du = mkdom(1);
    CHECK_EQ(foreign_map_page(dom0, du, RAM_GFN, HOLE_GFN), 0);
    CHECK_EQ(foreign_map_page(dom0, du, RAM_GFN + 4, HOLE_GFN), 0); /* over the first */
    CHECK_EQ(mapped(dom0, HOLE_GFN), du->ram_chunks[1].pa);
    fake_pages_freed = 0;
    destroy(du);
    CHECK_EQ(fake_pages_freed, 1); /* chunk 0 is no longer mapped anywhere */
    int rc;
    CHECK(foreign_unmap_gfn(dom0, HOLE_GFN, &rc));
    CHECK_EQ(fake_pages_freed, 2);
    destroy(dom0);
}

TEST(failed_stage2_update_takes_no_reference)
{
    struct domain *dom0 = mkdom(0), *du = mkdom(1);
    fake_set_page_fails = 1;
    CHECK_EQ(foreign_map_page(dom0, du, RAM_GFN, HOLE_GFN), -ENOMEM);
    fake_set_page_fails = 0;
    int rc;
    CHECK(!foreign_unmap_gfn(dom0, HOLE_GFN, &rc));
    fake_pages_freed = 0;
    destroy(du);
    CHECK_EQ(fake_pages_freed, 2);
    /* A failed remap leaves the previous mapping and its reference. */
    struct domain *du2 = mkdom(2);
    CHECK_EQ(foreign_map_page(dom0, du2, RAM_GFN, HOLE_GFN), 0);
    fake_set_page_fails = 1;
    CHECK_EQ(foreign_map_page(dom0, du2, RAM_GFN + 4, HOLE_GFN), -ENOMEM);
    fake_set_page_fails = 0;
    CHECK_EQ(mapped(dom0, HOLE_GFN), du2->ram_chunks[0].pa);
    fake_pages_freed = 0;
    destroy(du2);
    CHECK_EQ(fake_pages_freed, 1);
    destroy(dom0);
    CHECK_EQ(fake_pages_freed, 4);
}
