/* A domain's emulated MMIO windows: see core/domain_mmio.h. */
#include <cloison/errno.h>
#include <core/domain.h>
#include <core/domain_mmio.h>

static bool overlaps(const struct mmio_window *w, ipa_t base, uint64_t size)
{
    return base < w->base + w->size && w->base < base + size;
}

int domain_mmio_add(struct domain *d, ipa_t base, uint64_t size, mmio_handler_fn fn, void *opaque)
{
    struct domain_mmio *m = &d->mmio;
    if (!size || base + size < base || !fn)
        return -EINVAL;
    for (unsigned int i = 0; i < m->nr; i++)
        if (overlaps(&m->w[i], base, size))
            return -EINVAL;
    if (m->nr == DOMAIN_MMIO_WINDOWS)
        return -ENOSPC;
    m->w[m->nr++] = (struct mmio_window){base, size, fn, opaque};
    return 0;
}

void domain_mmio_remove(struct domain *d, mmio_handler_fn fn, const void *opaque)
{
    struct domain_mmio *m = &d->mmio;
    unsigned int kept = 0;
    for (unsigned int i = 0; i < m->nr; i++)
        if (m->w[i].fn != fn || m->w[i].opaque != opaque)
            m->w[kept++] = m->w[i];
    m->nr = kept;
}

bool domain_mmio_overlaps(const struct domain *d, ipa_t base, uint64_t size)
{
    const struct domain_mmio *m = &d->mmio;
    for (unsigned int i = 0; i < m->nr; i++)
        if (overlaps(&m->w[i], base, size))
            return true;
    return false;
}

const struct mmio_window *domain_mmio_find(const struct domain *d, ipa_t ipa)
{
    const struct domain_mmio *m = &d->mmio;
    for (unsigned int i = 0; i < m->nr; i++)
        if (ipa - m->w[i].base < m->w[i].size)
            return &m->w[i];
    return NULL;
}
