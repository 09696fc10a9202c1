/*
 * Ballooning a domain's RAM (XENMEM_decrease_reservation / populate_physmap /
 * increase_reservation), one extent at a time so the hypercall can return
 * the exact count done, as Xen does.
 *
 * RAM pages keep their host backing while ballooned out: the 2 MiB chunks
 * they belong to are only freed with the domain. A populate brings back the
 * original page, zeroed. So a domain can only populate GFNs of its own RAM
 * banks, and only as many pages as it gave back (Xen's max_pages limit).
 */
#include <cloison/assert.h>
#include <core/domain.h>
#include <core/domain_ram.h>
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <xen/shared_info.h>
#include <xen/xen_domain.h>
#include <xen/xen_memory.h>
#include <string.h>

/* The host page backing RAM at gfn when the domain was built. */
static bool original_page(const struct domain *d, uint64_t gfn, paddr_t *pa)
{
    ipa_t ipa = gfn << PAGE_SHIFT;
    const struct ram_chunk *c = gfn >> (64 - PAGE_SHIFT) ? NULL : domain_ram_chunk(d, ipa);
    if (c)
        *pa = c->pa + (ipa - c->ipa);
    return c != NULL;
}

/*
 * Each extent is checked and changed under the domain's mem_lock, with its
 * count: two vCPUs ballooning the same GFNs at once give back or take each
 * page once, and released_pages always says how many are out.
 */
int xen_decrease_extent(struct domain *d, uint64_t gfn, unsigned int order)
{
    struct xen_dom *x = d->xen;
    uint64_t n = 1ULL << order;
    int rc = 0;
    spin_lock(&x->mem_lock);
    for (uint64_t i = 0; i < n && !rc; i++) {
        /* Only the domain's own pages count as given back (it may populate
         * that many again); a page it maps from elsewhere is just unmapped. */
        bool own = domain_own_ram_page(d, gfn + i, NULL, NULL);
        /* Anything but a present RAM page (e.g. a hole) fails the extent. */
        if (xen_remove_from_physmap_locked(d, gfn + i))
            rc = -EINVAL;
        else
            x->released_pages += own;
    }
    spin_unlock(&x->mem_lock);
    return rc;
}

static int populate_locked(struct domain *d, uint64_t gfn, uint64_t n)
{
    struct xen_dom *x = d->xen;
    paddr_t pa, cur;
    enum p2m_type t;
    ASSERT_HELD(&x->mem_lock);
    if (x->released_pages < n || !domain_gfn_valid(d, gfn + n - 1))
        return -ENOMEM;
    for (uint64_t i = 0; i < n; i++)
        if (!original_page(d, gfn + i, &pa) ||
            p2m_lookup(&d->p2m, (gfn + i) << PAGE_SHIFT, &cur, &t))
            return -EINVAL;
    for (uint64_t i = 0; i < n; i++) {
        original_page(d, gfn + i, &pa);
        memset(phys_to_virt(pa), 0, PAGE_SIZE); /* a fresh page, as far as the guest knows */
        int rc = p2m_set_page(&d->p2m, (gfn + i) << PAGE_SHIFT, pa, P2M_RAM);
        if (rc)
            return rc;
        x->released_pages--;
    }
    return 0;
}

int xen_populate_extent(struct domain *d, uint64_t gfn, unsigned int order)
{
    /* A toolstack domain being built: its RAM is allocated now. */
    if (!__atomic_load_n(&d->ram_sealed, __ATOMIC_ACQUIRE))
        return domain_ram_populate(d, gfn, order);
    spin_lock(&d->xen->mem_lock);
    int rc = populate_locked(d, gfn, 1ULL << order);
    spin_unlock(&d->xen->mem_lock);
    return rc;
}

int xen_increase_extent(struct domain *d, unsigned int order)
{
    struct xen_dom *x = d->xen;
    int rc = 0;
    /* Translated guests get no GFN back from this: it only raises tot_pages. */
    spin_lock(&x->mem_lock);
    if (x->released_pages < (1ULL << order))
        rc = -ENOMEM;
    else
        x->released_pages -= 1ULL << order;
    spin_unlock(&x->mem_lock);
    return rc;
}

uint64_t xen_tot_pages(const struct domain *d)
{
    uint64_t released = __atomic_load_n(&d->xen->released_pages, __ATOMIC_RELAXED);
    return ((d->ram_size + d->ram1_size) >> PAGE_SHIFT) - released;
}

uint64_t xen_max_pages(const struct domain *d)
{
    return domain_max_pages(d);
}

/* XENMEM_maximum_gpfn counts what was mapped above RAM; several vCPUs may map
 * at once (shared_info, foreign pages), so the maximum only ever grows, by
 * compare-and-swap. */
void xen_note_mapped_gfn(struct domain *d, uint64_t gfn)
{
    if (!d->xen)
        return;
    uint64_t cur = __atomic_load_n(&d->xen->max_mapped_gfn, __ATOMIC_RELAXED);
    while (gfn > cur && !__atomic_compare_exchange_n(&d->xen->max_mapped_gfn, &cur, gfn, true,
                                                     __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;
}

uint64_t xen_max_gpfn(const struct domain *d)
{
    uint64_t g = domain_ram_top_gfn(d);
    return MAX(g, __atomic_load_n(&d->xen->max_mapped_gfn, __ATOMIC_RELAXED));
}
