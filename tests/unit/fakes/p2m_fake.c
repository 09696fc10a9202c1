/* fakes/p2m_fake.h: allocator, heap, printk and stage 2 on the host. */
#include <stdlib.h>
#include <string.h>
#include <core/domain.h>
#include <core/domain_ram.h>
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <cloison/printk.h>
#include <xen/shared_info.h>
#include "p2m_fake.h"

/* Enough for the hypercall fuzzers' mappings; a full table answers -ENOMEM,
 * as the real stage 2 does when it cannot allocate a table page. */
#define MAXMAP 512
struct fmap {
    ipa_t ipa[MAXMAP];
    paddr_t pa[MAXMAP]; /* 0 = cleared */
    int n;
};
static struct fmap maps[FAKE_P2M_DOMS];

int fake_pages_freed;
paddr_t fake_last_freed;
bool fake_set_page_fails;

paddr_t page_alloc(unsigned int order)
{
    void *p = aligned_alloc(PAGE_SIZE, PAGE_SIZE << order);
    memset(p, 0, PAGE_SIZE << order);
    return (paddr_t)(uintptr_t)p;
}
void page_free(paddr_t pa, unsigned int order)
{
    (void)order;
    fake_pages_freed++;
    fake_last_freed = pa;
    free((void *)(uintptr_t)pa);
}
void *xzalloc(size_t size)
{
    return calloc(1, size);
}
void xfree(void *p)
{
    free(p);
}
void printk(const char *fmt, ...)
{
    (void)fmt;
}
unsigned int p2m_ipa_bits(void)
{
    return FAKE_IPA_BITS; /* cortex-a57's */
}

int p2m_set_page(struct p2m *p, ipa_t ipa, paddr_t pa, enum p2m_type t)
{
    (void)t;
    struct fmap *m = &maps[p->root];
    if (fake_set_page_fails)
        return -ENOMEM;
    if (ipa >= (1ULL << FAKE_IPA_BITS))
        return -EINVAL;
    for (int i = 0; i < m->n; i++)
        if (m->ipa[i] == ipa) {
            m->pa[i] = pa;
            return 0;
        }
    if (m->n == MAXMAP)
        return -ENOMEM;
    m->ipa[m->n] = ipa;
    m->pa[m->n++] = pa;
    return 0;
}
int p2m_clear_page(struct p2m *p, ipa_t ipa)
{
    struct fmap *m = &maps[p->root];
    for (int i = 0; i < m->n; i++)
        if (m->ipa[i] == ipa)
            m->pa[i] = 0;
    return 0;
}
bool p2m_lookup(struct p2m *p, ipa_t ipa, paddr_t *pa, enum p2m_type *t)
{
    struct fmap *m = &maps[p->root];
    for (int i = 0; i < m->n; i++)
        if (m->ipa[i] == (ipa & PAGE_MASK) && m->pa[i]) {
            *pa = m->pa[i];
            *t = P2M_RAM;
            return true;
        }
    return false;
}

struct domain *fake_ram_domain(uint16_t id)
{
    if (id >= FAKE_P2M_DOMS)
        abort();
    struct domain *d = calloc(1, sizeof(*d));
    d->id = id;
    d->p2m.root = id;
    maps[id].n = 0;
    d->ram_chunks = calloc(2, sizeof(struct ram_chunk));
    d->nr_ram_chunks = 2;
    for (int c = 0; c < 2; c++) {
        d->ram_chunks[c] =
            (struct ram_chunk){(FAKE_RAM_GFN + c * 4) << PAGE_SHIFT, page_alloc(2), 2};
        for (int i = 0; i < 4; i++)
            p2m_set_page(&d->p2m, d->ram_chunks[c].ipa + i * PAGE_SIZE,
                         d->ram_chunks[c].pa + i * PAGE_SIZE, P2M_RAM);
    }
    return d;
}
