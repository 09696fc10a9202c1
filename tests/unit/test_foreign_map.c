/*
 * core/foreign_map.c: a page the control domain maps stays allocated while
 * mapped, whoever is destroyed first, and is freed exactly once afterwards.
 * Fakes: a stage 2 per domain as a small table, page_free counting frees.
 */
#include "harness.h"
#include <stdlib.h>
#include <string.h>
#include <cloison/domain.h>
#include <cloison/domain_build.h>
#include <cloison/errno.h>
#include <cloison/foreign_map.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <cloison/printk.h>
#include <cloison/shared_info.h>
#include <cloison/spinlock.h>

/* ---- fakes ---- */
#define MAXMAP 64
struct fmap {
    ipa_t ipa[MAXMAP];
    paddr_t pa[MAXMAP];
    int n;
};
static struct fmap maps[4];
static int pages_freed, set_page_fails;

paddr_t page_alloc(unsigned int order)
{
    void *p = aligned_alloc(PAGE_SIZE, PAGE_SIZE << order);
    memset(p, 0, PAGE_SIZE << order);
    return (paddr_t)(uintptr_t)p;
}
void page_free(paddr_t pa, unsigned int order)
{
    (void)order;
    pages_freed++;
    free((void *)(uintptr_t)pa);
}
void *xzalloc(size_t size)
{
    return calloc(1, size);
}
void xfree(void *p)
{
    free(p);
}
void spin_lock(spinlock_t *l)
{
    l->val++;
}
void spin_unlock(spinlock_t *l)
{
    l->val--;
}
void printk(const char *fmt, ...)
{
    (void)fmt;
}
bool xen_gfn_in_ipa_space(uint64_t gfn)
{
    return gfn < (1ULL << 28);
}
int p2m_set_page(struct p2m *p, ipa_t ipa, paddr_t pa, enum p2m_type t)
{
    (void)t;
    struct fmap *m = &maps[p->root];
    if (set_page_fails)
        return -ENOMEM;
    for (int i = 0; i < m->n; i++)
        if (m->ipa[i] == ipa) {
            m->pa[i] = pa;
            return 0;
        }
    m->ipa[m->n] = ipa;
    m->pa[m->n++] = pa;
    return 0;
}
int p2m_clear_page(struct p2m *p, ipa_t ipa)
{
    struct fmap *m = &maps[p->root];
    for (int i = 0; i < m->n; i++)
        if (m->ipa[i] == ipa)
            m->pa[i] = 0;
    return 0;
}
bool p2m_lookup(struct p2m *p, ipa_t ipa, paddr_t *pa, enum p2m_type *t)
{
    struct fmap *m = &maps[p->root];
    for (int i = 0; i < m->n; i++)
        if (m->ipa[i] == (ipa & PAGE_MASK) && m->pa[i]) {
            *pa = m->pa[i];
            *t = P2M_RAM;
            return true;
        }
    return false;
}

/* A domain with two 4-page RAM chunks at IPA 0x40000000 (GFN 0x40000). */
#define RAM_GFN 0x40000ULL
static struct domain *mkdom(uint16_t id)
{
    struct domain *d = calloc(1, sizeof(*d));
    d->id = id;
    d->p2m.root = id;
    d->is_privileged = id == 0;
    maps[id].n = 0;
    d->ram_chunks = calloc(2, sizeof(struct ram_chunk));
    d->nr_ram_chunks = 2;
    for (int c = 0; c < 2; c++) {
        d->ram_chunks[c] = (struct ram_chunk){(RAM_GFN + c * 4) << PAGE_SHIFT, page_alloc(2), 2};
        for (int i = 0; i < 4; i++)
            p2m_set_page(&d->p2m, d->ram_chunks[c].ipa + i * PAGE_SIZE,
                         d->ram_chunks[c].pa + i * PAGE_SIZE, P2M_RAM);
    }
    return d;
}

/* The order core/domain.c tears down in: stage 2, own mappings, RAM. */
static void destroy(struct domain *d)
{
    foreign_domain_destroy(d);
    foreign_release_chunks(d->id, d->ram_chunks, d->nr_ram_chunks);
    free(d->ram_chunks);
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
    CHECK_EQ(foreign_map_page(dom0, du, RAM_GFN + 5, HOLE_GFN), 0);
    CHECK_EQ(mapped(dom0, HOLE_GFN), du->ram_chunks[1].pa + PAGE_SIZE);
    CHECK_STR_EQ((char *)(uintptr_t)mapped(dom0, HOLE_GFN), "hello");
    int rc = 1;
    CHECK(foreign_unmap_gfn(dom0, HOLE_GFN, &rc));
    CHECK_EQ(rc, 0);
    CHECK_EQ(mapped(dom0, HOLE_GFN), 0);
    CHECK(!foreign_unmap_gfn(dom0, HOLE_GFN, &rc)); /* not foreign any more */
    pages_freed = 0;
    destroy(du);
    CHECK_EQ(pages_freed, 2); /* nothing held: both chunks go at once */
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
    pages_freed = 0;
    destroy(du);
    CHECK_EQ(pages_freed, 1); /* chunk 0 only */
    CHECK_STR_EQ((char *)(uintptr_t)mapped(dom0, HOLE_GFN), "still here");
    int rc;
    CHECK(foreign_unmap_gfn(dom0, HOLE_GFN, &rc));
    CHECK_EQ(pages_freed, 1); /* the other mapping still holds it */
    CHECK(foreign_unmap_gfn(dom0, HOLE_GFN + 1, &rc));
    CHECK_EQ(pages_freed, 2);
    destroy(dom0);
    CHECK_EQ(pages_freed, 4);
}

TEST(mapper_destroyed_drops_its_references)
{
    struct domain *dom0 = mkdom(0), *du = mkdom(1);
    CHECK_EQ(foreign_map_page(dom0, du, RAM_GFN, HOLE_GFN), 0);
    CHECK_EQ(foreign_map_page(dom0, du, RAM_GFN + 4, HOLE_GFN + 1), 0);
    pages_freed = 0;
    destroy(du); /* both chunks mapped: both kept */
    CHECK_EQ(pages_freed, 0);
    destroy(dom0); /* its two chunks, then the two orphans */
    CHECK_EQ(pages_freed, 4);
}

TEST(remapping_a_gfn_moves_the_reference)
{
    struct domain *dom0 = mkdom(0), *du = mkdom(1);
    CHECK_EQ(foreign_map_page(dom0, du, RAM_GFN, HOLE_GFN), 0);
    CHECK_EQ(foreign_map_page(dom0, du, RAM_GFN + 4, HOLE_GFN), 0); /* over the first */
    CHECK_EQ(mapped(dom0, HOLE_GFN), du->ram_chunks[1].pa);
    pages_freed = 0;
    destroy(du);
    CHECK_EQ(pages_freed, 1); /* chunk 0 is no longer mapped anywhere */
    int rc;
    CHECK(foreign_unmap_gfn(dom0, HOLE_GFN, &rc));
    CHECK_EQ(pages_freed, 2);
    destroy(dom0);
}

TEST(failed_stage2_update_takes_no_reference)
{
    struct domain *dom0 = mkdom(0), *du = mkdom(1);
    set_page_fails = 1;
    CHECK_EQ(foreign_map_page(dom0, du, RAM_GFN, HOLE_GFN), -ENOMEM);
    set_page_fails = 0;
    int rc;
    CHECK(!foreign_unmap_gfn(dom0, HOLE_GFN, &rc));
    pages_freed = 0;
    destroy(du);
    CHECK_EQ(pages_freed, 2);
    /* A failed remap leaves the previous mapping and its reference. */
    struct domain *du2 = mkdom(2);
    CHECK_EQ(foreign_map_page(dom0, du2, RAM_GFN, HOLE_GFN), 0);
    set_page_fails = 1;
    CHECK_EQ(foreign_map_page(dom0, du2, RAM_GFN + 4, HOLE_GFN), -ENOMEM);
    set_page_fails = 0;
    CHECK_EQ(mapped(dom0, HOLE_GFN), du2->ram_chunks[0].pa);
    pages_freed = 0;
    destroy(du2);
    CHECK_EQ(pages_freed, 1);
    destroy(dom0);
    CHECK_EQ(pages_freed, 4);
}
