/*
 * Sizing a domain's P2M pool (its stage-2 tables, cloison/p2m.h) once its
 * layout is mapped: RAM, the GICv2 CPU interface, the PV console page.
 *
 * Xen 4.17 sizes a dom0less domU's pool, when "xen,domain-p2m-mem-mb" is
 * absent, as libxl does: 1 MiB per vCPU plus one page per MiB of RAM,
 * rounded up to a MiB (its domain_p2m_pages()) -- 2 MiB for a
 * 1-vCPU 4 MiB domain, reserved whether used or not. Cloison's default is
 * what the layout actually used (the pool is elastic while the domain is
 * built, so this is exact: root, the tables over RAM and device windows)
 * plus headroom for the mappings a Xen-enhanced domain makes at run time:
 *  - one page per 2 MiB block of RAM: ballooning, or a shared_info or grant
 *    frame placed inside RAM, splits a block into one level-3 table, and a
 *    block can be split only once, so this bounds every split (Xen charges
 *    one page per MiB for the same);
 *  - P2M_FIXED_HEADROOM pages for mappings outside RAM: the grant frames in
 *    their region (Linux maps them together at 0x38000000: one level-3
 *    table beside the PV console's) and a shared_info page or grant mapping
 *    put in a gigabyte of its own (a level-2 and a level-3 table).
 * A plain domain makes no stage-2 change after boot: no headroom, except
 * with RAM blocks split into pages at first touch (P2M_GRANULE_TOUCH, the
 * default on QEMU's virt board): there every domain may take one page per
 * 2 MiB block for that (the same table a later split would use). The
 * property, and later the toolstack (XEN_DOMCTL_set_paging_mempool_size),
 * can give more. Dom0's pool stays elastic, as Xen takes the hardware
 * domain's P2M pages from the heap.
 */
#include <core/domain.h>
#include <core/domain_p2m.h>
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <cloison/printk.h>

#define P2M_FIXED_HEADROOM 2
#define BLOCK_SHIFT 21 /* 2 MiB */

size_t domain_p2m_headroom(const struct domain *d)
{
    uint64_t ram = d->ram_size + d->ram1_size;
    size_t blocks = (size_t)((ram + (1ULL << BLOCK_SHIFT) - 1) >> BLOCK_SHIFT);
    if (d->xen_enhanced)
        return blocks + P2M_FIXED_HEADROOM;
    return p2m_granule() == P2M_GRANULE_TOUCH ? blocks : 0;
}

int domain_set_paging_mempool_size(struct domain *d, uint64_t bytes, size_t *budget)
{
    if (bytes & (PAGE_SIZE - 1))
        return -EINVAL; /* Xen: a non page-sized request */
    if (d->is_privileged)
        return 0; /* the hardware domain's P2M pages come from the heap */
    return p2m_set_paging_mempool_size(&d->p2m, bytes, budget);
}

uint64_t domain_get_paging_mempool_size(struct domain *d)
{
    return p2m_get_paging_mempool_size(&d->p2m);
}

int domain_p2m_pool_init(struct domain *d)
{
    size_t used = p2m_pool_used(&d->p2m), pages;
    if (d->cfg.is_dom0)
        return 0;
    if (d->cfg.p2m_mem_mb) {
        pages = (size_t)d->cfg.p2m_mem_mb << (20 - PAGE_SHIFT);
        if (pages < used) {
            printk("%s: property 'xen,domain-p2m-mem-mb' (%u MiB) is less than the %lu KiB "
                   "its stage-2 tables need for its layout",
                   d->name, d->cfg.p2m_mem_mb, (uint64_t)used * 4);
            return -EINVAL;
        }
    } else {
        pages = used + domain_p2m_headroom(d);
    }
    /* The default's headroom is taken when first needed (it may never be);
     * a size asked for is held in full, as Xen holds it. */
    int rc = d->cfg.p2m_mem_mb ? p2m_pool_set_pages(&d->p2m, pages, NULL)
                               : p2m_pool_set_size_lazy(&d->p2m, pages);
    if (rc)
        printk("%s: no memory for a P2M pool of %lu KiB (%lu KiB free, %lu KiB kept for Cloison)",
               d->name, (uint64_t)pages * 4, (uint64_t)mm_free_pages() * 4,
               (uint64_t)mm_reserve_pages() * 4);
    return rc;
}
