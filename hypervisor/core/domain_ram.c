/*
 * Which host pages are a domain's own RAM. Anything that keeps a pointer into
 * guest memory beyond one hypercall (event words, vcpu_info, grants, foreign
 * mappings) must point into RAM the domain owns, never into a page it only
 * maps from someone else, which could be freed under the hypervisor's feet.
 */
#include <core/domain.h>
#include <core/domain_ram.h>
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <lib/sort.h>

/* Every domain has the host's IPA size today; a domain whose stage 2 is
 * narrower (a 32-bit guest's) would answer from its own here. */
bool domain_gfn_valid(const struct domain *d, uint64_t gfn)
{
    (void)d;
    return gfn < (1ULL << (p2m_ipa_bits() - PAGE_SHIFT));
}

bool domain_gfn_mappable(struct domain *d, uint64_t gfn)
{
    paddr_t pa;
    enum p2m_type t;
    if (!domain_gfn_valid(d, gfn) || domain_mmio_overlaps(d, gfn << PAGE_SHIFT, PAGE_SIZE))
        return false;
    return !p2m_lookup(&d->p2m, gfn << PAGE_SHIFT, &pa, &t) || t != P2M_DEVICE;
}

const struct ram_chunk *domain_ram_chunk(const struct domain *d, ipa_t ipa)
{
    size_t lo = 0, hi = d->nr_ram_chunks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct ram_chunk *c = &d->ram_chunks[mid];
        if (ipa < c->ipa)
            hi = mid;
        else if (ipa >= c->ipa + (PAGE_SIZE << c->order))
            lo = mid + 1;
        else
            return c;
    }
    return NULL;
}

static bool pa_before(const void *a, const void *b, void *ctx)
{
    const struct ram_chunk *c = ctx;
    return c[*(const uint32_t *)a].pa < c[*(const uint32_t *)b].pa;
}

int domain_ram_index(struct domain *d)
{
    xfree(d->ram_by_pa);
    d->ram_by_pa = xzalloc((d->nr_ram_chunks ? d->nr_ram_chunks : 1) * sizeof(uint32_t));
    if (!d->ram_by_pa)
        return -ENOMEM;
    for (size_t i = 0; i < d->nr_ram_chunks; i++)
        d->ram_by_pa[i] = (uint32_t)i;
    heap_sort(d->ram_by_pa, d->nr_ram_chunks, sizeof(uint32_t), pa_before, d->ram_chunks);
    return 0;
}

const struct ram_chunk *domain_ram_chunk_of_pa(const struct domain *d, paddr_t pa)
{
    size_t lo = 0, hi = d->ram_by_pa ? d->nr_ram_chunks : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct ram_chunk *c = &d->ram_chunks[d->ram_by_pa[mid]];
        if (pa < c->pa)
            hi = mid;
        else if (pa >= c->pa + (PAGE_SIZE << c->order))
            lo = mid + 1;
        else
            return c;
    }
    return NULL;
}

bool domain_own_ram_page(struct domain *d, uint64_t gfn, paddr_t *pa, const struct ram_chunk **c)
{
    paddr_t mapped;
    enum p2m_type t;
    if (gfn >= (1ULL << (64 - PAGE_SHIFT)) ||
        !p2m_lookup(&d->p2m, gfn << PAGE_SHIFT, &mapped, &t) || t != P2M_RAM)
        return false;
    ipa_t ipa = gfn << PAGE_SHIFT;
    const struct ram_chunk *ch = domain_ram_chunk(d, ipa);
    mapped &= PAGE_MASK;
    if (!ch || ch->pa + (ipa - ch->ipa) != mapped)
        return false;
    if (pa)
        *pa = mapped;
    if (c)
        *c = ch;
    return true;
}
