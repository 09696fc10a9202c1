/* Guest virtual address copies for hypercalls (see xen/guest_copy.h). */
#include <core/domain.h>
#include <core/domain_ram.h>
#include <cloison/arch.h>
#include <cloison/errno.h>
#include <xen/guest_copy.h>
#include <cloison/mm.h>
#include <core/vcpu.h>
#include <string.h>

/* The page must be RAM of the calling domain (never MMIO such as GICV). */
static bool owns(const struct domain *d, paddr_t pa)
{
    return domain_ram_chunk_of_pa(d, pa) != NULL;
}

static int copy(struct vcpu *v, vaddr_t gva, void *hbuf, size_t len, bool to_guest)
{
    uint8_t *h = hbuf;
    while (len) {
        size_t n = MIN(len, PAGE_SIZE - (gva & (PAGE_SIZE - 1)));
        paddr_t pa = arch_guest_va_to_pa(gva, to_guest);
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
