/*
 * A domain's RAM, allocated when it is created: 2 MiB chunks where possible
 * (mapped with stage-2 blocks), bank 0 first, then bank 1, at Xen's domU
 * addresses. dom0's direct-mapped RAM is its builder's (boot/dom0_build.c);
 * both are freed here.
 */
#include <core/domain.h>
#include <core/domain_ram.h>
#include <cloison/errno.h>
#include <core/foreign_map.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>

#define CHUNK_ORDER 9 /* 2 MiB */

/* Back [ipa, ipa + bytes) with fresh pages, 2 MiB at a time where possible. */
static int alloc_bank(struct domain *d, ipa_t ipa, uint64_t bytes, size_t max_chunks)
{
    uint64_t done = 0;
    while (done < bytes) {
        unsigned int order = (bytes - done >= (PAGE_SIZE << CHUNK_ORDER)) ? CHUNK_ORDER : 0;
        /* Never into the hypervisor's reserve (cloison/mm.h). */
        paddr_t pa = page_alloc_guest(order);
        if (!pa && order) {
            order = 0;
            pa = page_alloc_guest(0);
        }
        if (!pa)
            return -ENOMEM;
        if (d->nr_ram_chunks == max_chunks) {
            page_free(pa, order);
            return -ENOMEM;
        }
        d->ram_chunks[d->nr_ram_chunks++] = (struct ram_chunk){ipa + done, pa, order};
        if (p2m_map(&d->p2m, ipa + done, pa, PAGE_SIZE << order, P2M_RAM) != 0)
            return -ENOMEM;
        done += PAGE_SIZE << order;
    }
    return 0;
}

/* Bank 0 takes the first 3 GiB, bank 1 the rest (Xen's domU layout). */
int domain_alloc_ram(struct domain *d, uint64_t bytes)
{
    uint64_t bank0 = MIN(bytes, GUEST_RAM0_MAX), bank1 = bytes - bank0;
    if (bank1 > GUEST_RAM1_MAX)
        return -EINVAL;
    /* Worst case every 2 MiB chunk falls back to single pages: count both. */
    size_t max_chunks = (size_t)(bytes >> (PAGE_SHIFT + CHUNK_ORDER)) + 1024;
    d->ram_chunks = xzalloc(max_chunks * sizeof(struct ram_chunk));
    if (!d->ram_chunks)
        return -ENOMEM;
    int rc = alloc_bank(d, d->ram_base, bank0, max_chunks);
    if (!rc && bank1)
        rc = alloc_bank(d, GUEST_RAM1_BASE, bank1, max_chunks);
    if (!rc)
        rc = domain_ram_index(d);
    if (rc) {
        domain_free_ram(d);
        return rc;
    }
    d->ram_size = bank0;
    d->ram1_size = bank1;
    return 0;
}

void domain_free_ram(struct domain *d)
{
    foreign_release_chunks(d->id, d->ram_chunks, d->nr_ram_chunks);
    xfree(d->ram_chunks);
    xfree(d->ram_by_pa);
    d->ram_chunks = NULL;
    d->ram_by_pa = NULL;
    d->nr_ram_chunks = 0;
}
