/* Guest virtual address copies for hypercalls (see xen/guest_copy.h). */
#include <core/domain.h>
#include <core/domain_ram.h>
#include <cloison/arch.h>
#include <cloison/errno.h>
#include <xen/guest_copy.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <core/vcpu.h>
#include <string.h>

/* The page must be RAM of the calling domain (never MMIO such as GICV). */
static bool owns(const struct domain *d, paddr_t pa)
{
    return domain_ram_chunk_of_pa(d, pa) != NULL;
}

/*
 * The walk through the guest's stage 1 and stage 2. A failure may be a
 * break-before-make under way on another pCPU (a block split by the guest's
 * other vCPU mapping a grant or ballooning): its entries are invalid from the
 * break to the make, so the walk is retried once with changes held off. The
 * guest's own accesses get the same retry (trap/traps.c, s2_fault_resolved).
 * Or the page is RAM not yet zeroed (P2M_RAM_LAZY: the guest never touched
 * it): stage 1 alone gives its IPA, and p2m_lookup() readies it.
 */
static paddr_t walk(struct vcpu *v, vaddr_t gva, bool write)
{
    paddr_t pa = arch_guest_va_to_pa(gva, write);
    if (pa)
        return pa;
    p2m_hold(&v->domain->p2m);
    pa = arch_guest_va_to_pa(gva, write);
    p2m_release(&v->domain->p2m);
    bool ok;
    ipa_t ipa = pa ? 0 : arch_guest_va_to_ipa(gva, write, &ok);
    enum p2m_type t;
    if (!pa && ok && p2m_lookup(&v->domain->p2m, ipa & PAGE_MASK, &pa, &t))
        pa = arch_guest_va_to_pa(gva, write);
    return pa;
}

static int copy(struct vcpu *v, vaddr_t gva, void *hbuf, size_t len, bool to_guest)
{
    uint8_t *h = hbuf;
    while (len) {
        size_t n = MIN(len, PAGE_SIZE - (gva & (PAGE_SIZE - 1)));
        paddr_t pa = walk(v, gva, to_guest);
        if (!pa || !owns(v->domain, pa))
            return -EFAULT;
        if (to_guest)
            memcpy(phys_to_virt(pa), h, n);
        else
            memcpy(h, phys_to_virt(pa), n);
        gva += n;
        h += n;
        len -= n;
    }
    return 0;
}

int copy_from_guest(struct vcpu *v, void *dst, vaddr_t src, size_t len)
{
    return copy(v, src, dst, len, false);
}

int copy_to_guest(struct vcpu *v, vaddr_t dst, const void *src, size_t len)
{
    return copy(v, dst, (void *)src, len, true);
}
