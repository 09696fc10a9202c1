/*
 * A domain's RAM, allocated when it is created, in 4 KiB multiples: 2 MiB
 * chunks where possible (mapped with stage-2 blocks), smaller powers of two
 * for the rest (mapped with pages), bank 0 first, then bank 1, at Xen's domU
 * addresses. dom0's direct-mapped RAM is its builder's (boot/dom0_build.c);
 * both are freed here. A toolstack domain's RAM comes extent by extent
 * (domain_ram_populate) wherever the toolstack puts it, until it starts.
 */
#include <cloison/arch.h>
#include <string.h>
#include <core/domain.h>
#include <core/domain_ram.h>
#include <cloison/errno.h>
#include <core/foreign_map.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>

#define CHUNK_ORDER 9 /* 2 MiB */

unsigned int domain_ram_chunk_order(ipa_t ipa, uint64_t bytes)
{
    unsigned int order = CHUNK_ORDER;
    while (order && ((PAGE_SIZE << order) > bytes || (ipa & ((PAGE_SIZE << order) - 1))))
        order--;
    return order;
}

size_t domain_ram_chunk_count(ipa_t ipa, uint64_t bytes)
{
    size_t n = 0;
    for (uint64_t done = 0; done < bytes; n++)
        done += PAGE_SIZE << domain_ram_chunk_order(ipa + done, bytes - done);
    return n;
}

static int reserve_chunk(struct domain *d);

/*
 * Back [ipa, ipa + bytes) with pages as their last owner left them, mapped
 * lazily (P2M_RAM_LAZY: each block is zeroed when first used, by the guest
 * or by the hypervisor on its behalf): 2 MiB chunks (stage-2 blocks) while
 * they fit, the rest in the fewest naturally aligned powers of two (1.5 MiB
 * is 1 MiB + 512 KiB: two list entries, one level-3 table). A chunk the
 * allocator cannot give whole (fragmented memory) is taken in halves.
 */
static int alloc_bank(struct domain *d, ipa_t ipa, uint64_t bytes)
{
    uint64_t done = 0;
    while (done < bytes) {
        unsigned int order = domain_ram_chunk_order(ipa + done, bytes - done);
        /* Never into the hypervisor's reserve (cloison/mm.h). */
        paddr_t pa = page_alloc_guest_lazy(order);
        while (!pa && order)
            pa = page_alloc_guest_lazy(--order);
        if (!pa)
            return -ENOMEM;
        if (reserve_chunk(d) != 0) { /* only after a fallback: the list was sized */
            page_free(pa, order);
            return -ENOMEM;
        }
        d->ram_chunks[d->nr_ram_chunks++] = (struct ram_chunk){ipa + done, pa, order};
        if (p2m_map(&d->p2m, ipa + done, pa, PAGE_SIZE << order, P2M_RAM_LAZY) != 0)
            return -ENOMEM;
        done += PAGE_SIZE << order;
    }
    return 0;
}

/* Bank 0 takes the first 3 GiB, bank 1 the rest (Xen's domU layout). */
int domain_alloc_ram(struct domain *d, uint64_t bytes)
{
    uint64_t bank0 = MIN(bytes, GUEST_RAM0_MAX), bank1 = bytes - bank0;
    if (bank1 > GUEST_RAM1_MAX || (bytes & (PAGE_SIZE - 1)))
        return -EINVAL;
    /* The list holds exactly the chunks the layout splits into; it grows
     * only if memory is too fragmented for them. */
    size_t cap =
        domain_ram_chunk_count(d->ram_base, bank0) + domain_ram_chunk_count(GUEST_RAM1_BASE, bank1);
    d->ram_chunks = xzalloc_guest((cap ? cap : 1) * sizeof(struct ram_chunk));
    if (!d->ram_chunks)
        return -ENOMEM;
    d->ram_chunks_cap = cap ? cap : 1;
    int rc = alloc_bank(d, d->ram_base, bank0);
    if (!rc && bank1)
        rc = alloc_bank(d, GUEST_RAM1_BASE, bank1);
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

/* Room for one more chunk (ram_lock held): doubling, so a domain populated
 * page by page costs O(n) copies in all. */
static int reserve_chunk(struct domain *d)
{
    if (d->nr_ram_chunks < d->ram_chunks_cap)
        return 0;
    size_t cap = d->ram_chunks_cap ? d->ram_chunks_cap * 2 : 16;
    struct ram_chunk *n = xzalloc_guest(cap * sizeof(*n));
    if (!n)
        return -ENOMEM;
    if (d->nr_ram_chunks)
        memcpy(n, d->ram_chunks, d->nr_ram_chunks * sizeof(*n));
    xfree(d->ram_chunks);
    d->ram_chunks = n;
    d->ram_chunks_cap = cap;
    return 0;
}

/* Insert c in IPA order (ram_lock held, room reserved, no overlap). */
static void insert_chunk(struct domain *d, struct ram_chunk c)
{
    size_t i = d->nr_ram_chunks;
    while (i && d->ram_chunks[i - 1].ipa > c.ipa) {
        d->ram_chunks[i] = d->ram_chunks[i - 1];
        i--;
    }
    d->ram_chunks[i] = c;
    d->nr_ram_chunks++;
}

int domain_ram_populate(struct domain *d, uint64_t gfn, unsigned int order)
{
    uint64_t n = 1ULL << order;
    ipa_t ipa = gfn << PAGE_SHIFT;
    paddr_t cur;
    enum p2m_type t;
    if (order > CHUNK_ORDER || (gfn & (n - 1)) || !domain_gfn_valid(d, gfn + n - 1) ||
        domain_mmio_overlaps(d, ipa, PAGE_SIZE << order))
        return -EINVAL;
    spin_lock(&d->ram_lock);
    int rc = 0;
    if (d->ram_sealed)
        rc = -EPERM;
    else if (domain_ram_pages(d) + n > domain_max_pages(d))
        rc = -ENOMEM; /* Xen's max_pages check: the toolstack set it (max_mem) */
    else if ((rc = reserve_chunk(d)) == 0)
        for (uint64_t i = 0; i < n && !rc; i++)
            if (p2m_lookup(&d->p2m, ipa + (i << PAGE_SHIFT), &cur, &t))
                rc = -EINVAL; /* something is there already */
    paddr_t pa = rc ? 0 : page_alloc_guest(order);
    if (!rc && !pa)
        rc = -ENOMEM;
    if (!rc) {
        /* A fresh page as far as the guest knows, in memory (caches off). */
        memset(phys_to_virt(pa), 0, PAGE_SIZE << order);
        arch_dcache_clean_range(phys_to_virt(pa), PAGE_SIZE << order);
        /* Mapped first, then listed: until listed it is nobody's own RAM,
         * so no foreign mapping can reference it before it is complete. */
        rc = p2m_map(&d->p2m, ipa, pa, PAGE_SIZE << order, P2M_RAM);
        if (rc) { /* out of stage-2 tables part way: undo what it mapped */
            for (uint64_t i = 0; i < n; i++)
                if (p2m_lookup(&d->p2m, ipa + (i << PAGE_SHIFT), &cur, &t))
                    p2m_clear_page(&d->p2m, ipa + (i << PAGE_SHIFT));
            page_free(pa, order);
        }
    }
    if (!rc) {
        insert_chunk(d, (struct ram_chunk){ipa, pa, order});
        d->ram_size += PAGE_SIZE << order;
    }
    spin_unlock(&d->ram_lock);
    return rc;
}

int domain_ram_seal(struct domain *d)
{
    spin_lock(&d->ram_lock);
    int rc = d->ram_sealed ? 0 : domain_ram_index(d);
    if (!rc)
        __atomic_store_n(&d->ram_sealed, true, __ATOMIC_RELEASE);
    spin_unlock(&d->ram_lock);
    return rc;
}

void domain_free_ram(struct domain *d)
{
    d->ram_chunks_cap = 0;
    foreign_release_chunks(d->id, d->ram_chunks, d->nr_ram_chunks);
    xfree(d->ram_chunks);
    xfree(d->ram_by_pa);
    d->ram_chunks = NULL;
    d->ram_by_pa = NULL;
    d->nr_ram_chunks = 0;
}
