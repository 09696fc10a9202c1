/*
 * shared_info and vcpu_info placement (XENMEM_add_to_physmap shared_info,
 * XENMEM_remove_from_physmap, VCPUOP_register_vcpu_info), with Xen 4.17's
 * checks and error codes.
 */
#include <cloison/assert.h>
#include <core/domain.h>
#include <core/domain_ram.h>
#include <cloison/errno.h>
#include <core/foreign_map.h>
#include <xen/evtchn.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <xen/shared_info.h>
#include <core/vcpu.h>
#include <xen/xen_domain.h>
#include <xen/xen_memory.h>
#include <string.h>

static int map_shared_info_locked(struct domain *d, uint64_t gfn)
{
    struct xen_dom *x = d->xen;
    ASSERT_HELD(&x->mem_lock);
    /* Never outside the IPA space, over an emulated window or a device
     * frame (the GICv2 virtual CPU interface). */
    if (!domain_gfn_mappable(d, gfn))
        return -EINVAL;
    /* One mapping at a time: the guest removes the old one first (Xen). */
    if (x->shinfo_gfn != GFN_INVALID)
        return -EBUSY;
    int rc = p2m_set_page(&d->p2m, gfn << PAGE_SHIFT, virt_to_phys(x->shinfo), P2M_RAM);
    if (!rc) {
        x->shinfo_gfn = gfn;
        xen_note_mapped_gfn(d, gfn); /* a foreign map may note one at once */
    }
    return rc;
}

/* Under mem_lock: two vCPUs mapping it at once get one mapping and -EBUSY. */
int xen_map_shared_info(struct domain *d, uint64_t gfn)
{
    spin_lock(&d->xen->mem_lock);
    int rc = map_shared_info_locked(d, gfn);
    spin_unlock(&d->xen->mem_lock);
    return rc;
}

int xen_remove_from_physmap_locked(struct domain *d, uint64_t gfn)
{
    struct xen_dom *x = d->xen;
    paddr_t pa;
    enum p2m_type t;
    int rc;
    ASSERT_HELD(&x->mem_lock);
    if (foreign_unmap_gfn(d, gfn, &rc))
        return rc; /* a page of another domain: drops its reference too */
    if (!domain_gfn_valid(d, gfn) || !p2m_lookup(&d->p2m, gfn << PAGE_SHIFT, &pa, &t) ||
        t != P2M_RAM)
        return -ENOENT;
    rc = p2m_clear_page(&d->p2m, gfn << PAGE_SHIFT);
    if (!rc && gfn == x->shinfo_gfn)
        x->shinfo_gfn = GFN_INVALID;
    return rc;
}

int xen_remove_from_physmap(struct domain *d, uint64_t gfn)
{
    spin_lock(&d->xen->mem_lock);
    int rc = xen_remove_from_physmap_locked(d, gfn);
    spin_unlock(&d->xen->mem_lock);
    return rc;
}

/* Once per vCPU, decided under mem_lock: of two vCPUs registering the same
 * vCPU's area at once, one succeeds and the other gets -EINVAL. */
static int register_vcpu_info_locked(struct vcpu *caller, unsigned int vcpu, uint64_t gfn,
                                     uint32_t offset)
{
    struct domain *d = caller->domain;
    struct xen_dom *x = d->xen;
    paddr_t pa;
    ASSERT_HELD(&x->mem_lock);
    if (x->vcpu[vcpu].vi)
        return -EINVAL; /* once per vCPU */
    /* The caller's own vCPU, or one that is not running. */
    if (d->vcpus[vcpu] != caller && d->vcpus[vcpu]->state != VCPU_OFF)
        return -EINVAL;
    /* The hypervisor writes into it from now on: only the domain's own RAM,
     * never a page mapped from another domain that could be freed first. */
    if (!domain_gfn_valid(d, gfn) || !domain_own_ram_page(d, gfn, &pa, NULL))
        return -EINVAL;
    struct vcpu_info *nvi = phys_to_virt((pa & PAGE_MASK) + offset);
    struct vcpu_info *old = xen_vcpu_info(x, vcpu);
    if (old == &x->dummy_vi)
        memset(nvi, 0, sizeof(*nvi));
    else
        memcpy(nvi, old, sizeof(*nvi));
    x->vcpu[vcpu].vi_gfn = gfn;
    __atomic_store_n(&x->vcpu[vcpu].vi, nvi, __ATOMIC_SEQ_CST);
    return 0;
}

int xen_register_vcpu_info(struct vcpu *caller, unsigned int vcpu, uint64_t gfn, uint32_t offset)
{
    struct xen_dom *x = caller->domain->xen;
    if (offset > PAGE_SIZE - sizeof(struct vcpu_info) || (offset & 7))
        return -ENXIO;
    spin_lock(&x->mem_lock);
    int rc = register_vcpu_info_locked(caller, vcpu, gfn, offset);
    spin_unlock(&x->mem_lock);
    /* Events may have gone to the old place: make the guest rescan all. */
    if (!rc)
        evtchn_2l_kick_all(x, vcpu);
    return rc;
}
