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
    uint32_t *index = xzalloc((d->nr_ram_chunks ? d->nr_ram_chunks : 1) * sizeof(uint32_t));
    if (!index)
        return -ENOMEM;
    for (size_t i = 0; i < d->nr_ram_chunks; i++)
        index[i] = (uint32_t)i;
    heap_sort(index, d->nr_ram_chunks, sizeof(uint32_t), pa_before, d->ram_chunks);
    xfree(d->ram_by_pa); /* built once, before anything reads it */
    __atomic_store_n(&d->ram_by_pa, index, __ATOMIC_RELEASE);
    return 0;
}

const struct ram_chunk *domain_ram_chunk_of_pa(const struct domain *d, paddr_t pa)
{
    const uint32_t *index = __atomic_load_n(&d->ram_by_pa, __ATOMIC_ACQUIRE);
    if (!index) {
        /* A toolstack domain that never started has no index: its only
         * callers then are its teardown (grants others still map), when it
         * no longer grows, so a scan is enough. */
        for (size_t i = 0; i < d->nr_ram_chunks; i++) {
            const struct ram_chunk *c = &d->ram_chunks[i];
            if (pa >= c->pa && pa < c->pa + (PAGE_SIZE << c->order))
                return c;
        }
        return NULL;
    }
    size_t lo = 0, hi = d->nr_ram_chunks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct ram_chunk *c = &d->ram_chunks[index[mid]];
        if (pa < c->pa)
            hi = mid;
        else if (pa >= c->pa + (PAGE_SIZE << c->order))
            lo = mid + 1;
        else
            return c;
    }
    return NULL;
}

bool domain_own_ram_page(struct domain *d, uint64_t gfn, paddr_t *pa, struct ram_chunk *c)
{
    paddr_t mapped;
    enum p2m_type t;
    if (gfn >= (1ULL << (64 - PAGE_SHIFT)) ||
        !p2m_lookup(&d->p2m, gfn << PAGE_SHIFT, &mapped, &t) || t != P2M_RAM)
        return false;
    ipa_t ipa = gfn << PAGE_SHIFT;
    /* A toolstack may still be populating it: the chunks may move. */
    bool growing = !__atomic_load_n(&d->ram_sealed, __ATOMIC_ACQUIRE);
    if (growing)
        spin_lock(&d->ram_lock);
    const struct ram_chunk *ch = domain_ram_chunk(d, ipa);
    struct ram_chunk copy = ch ? *ch : (struct ram_chunk){0, 0, 0};
    if (growing)
        spin_unlock(&d->ram_lock);
    mapped &= PAGE_MASK;
    if (!ch || copy.pa + (ipa - copy.ipa) != mapped)
        return false;
    if (pa)
        *pa = mapped;
    if (c)
        *c = copy;
    return true;
}

uint64_t domain_ram_pages(const struct domain *d)
{
    return (d->ram_size + d->ram1_size) >> PAGE_SHIFT;
}

uint64_t domain_ram_top_gfn(const struct domain *d)
{
    if (!d->nr_ram_chunks)
        return 0;
    const struct ram_chunk *last = &d->ram_chunks[d->nr_ram_chunks - 1];
    return ((last->ipa + (PAGE_SIZE << last->order)) >> PAGE_SHIFT) - 1;
}
