/* fakes/p2m_fake.h: allocator, heap, printk and stage 2 on the host. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <core/domain.h>
#include <core/domain_ram.h>
#include <cloison/arch.h>
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <cloison/printk.h>
#include <xen/shared_info.h>
#include "p2m_fake.h"

/* Enough for the hypercall fuzzers' mappings; a full table answers -ENOMEM,
 * as the real stage 2 does when it cannot allocate a table page. */
#define MAXMAP 512
/* Tables 0..FAKE_P2M_DOMS-1 are fake_ram_domain()'s (root = its id), the
 * others p2m_init()'s. */
#define FAKE_P2M_TABLES (FAKE_P2M_DOMS + 12)
struct frange { /* one p2m_map() call */
    ipa_t ipa;
    paddr_t pa;
    uint64_t size;
};
struct fmap {
    ipa_t ipa[MAXMAP];
    paddr_t pa[MAXMAP]; /* 0 = cleared */
    int n;
    struct frange *ranges;
    size_t nr_ranges;
    bool in_use; /* handed out by p2m_init() */
};
static struct fmap maps[FAKE_P2M_TABLES];

int fake_pages_freed;
paddr_t fake_last_freed;
bool fake_set_page_fails;
long fake_heap_live, fake_pages_live;
unsigned int fake_p2m_live;
unsigned int fake_heap_fail_in, fake_page_fail_in;
unsigned int fake_heap_failed, fake_page_failed;
unsigned int fake_page_max_order = 64;
void (*fake_before_free)(void *p);

/* Counts calls down to the first that fails; from there on, all fail. */
static bool fail_now(unsigned int *in, unsigned int *failed)
{
    if (*in == 0)
        return false;
    if (*in > 1) {
        --*in;
        return false;
    }
    ++*failed;
    return true;
}

paddr_t page_alloc(unsigned int order)
{
    if (order > fake_page_max_order || fail_now(&fake_page_fail_in, &fake_page_failed))
        return 0;
    void *p = aligned_alloc(PAGE_SIZE, PAGE_SIZE << order);
    memset(p, 0, PAGE_SIZE << order);
    fake_pages_live += 1L << order;
    return (paddr_t)(uintptr_t)p;
}
/* No hypervisor reserve on the host: the fake allocator's limits are the tests'. */
paddr_t page_alloc_guest(unsigned int order)
{
    return page_alloc(order);
}
/* What a last owner left: a pattern, so a builder that forgets to zero them
 * before the guest starts shows. */
paddr_t page_alloc_guest_lazy(unsigned int order)
{
    paddr_t pa = page_alloc(order);
    if (pa)
        memset((void *)(uintptr_t)pa, 0xa5, PAGE_SIZE << order);
    return pa;
}

void arch_zero_pages(void *p, size_t len)
{
    memset(p, 0, len);
}

void page_ready_guest(paddr_t pa, unsigned int order)
{
    memset((void *)(uintptr_t)pa, 0, PAGE_SIZE << order);
}

size_t mm_reserve_pages(void)
{
    return 0;
}

void page_free(paddr_t pa, unsigned int order)
{
    fake_pages_freed++;
    fake_pages_live -= 1L << order;
    fake_last_freed = pa;
    free((void *)(uintptr_t)pa);
}
void *xzalloc(size_t size)
{
    if (fail_now(&fake_heap_fail_in, &fake_heap_failed))
        return NULL;
    void *p = calloc(1, size);
    fake_heap_live += p != NULL;
    return p;
}
/* No hypervisor reserve on the host: the same fake heap and its failures. */
void *xzalloc_guest(size_t size)
{
    return xzalloc(size);
}
void xfree(void *p)
{
    if (!p)
        return;
    if (fake_before_free)
        fake_before_free(p);
    fake_heap_live--;
    free(p);
}
size_t mm_free_pages(void)
{
    return 0x10000 - (size_t)fake_pages_live;
}
void mm_usage(struct mm_usage *u)
{
    *u = (struct mm_usage){.free_pages = mm_free_pages(), .heap_bytes = (size_t)fake_heap_live};
}
char fake_printk_log[1024];
void printk(const char *fmt, ...)
{
    size_t n = strlen(fake_printk_log);
    va_list ap;
    va_start(ap, fmt);
    if (n + 2 < sizeof(fake_printk_log)) {
        vsnprintf(fake_printk_log + n, sizeof(fake_printk_log) - n - 1, fmt, ap);
        strcat(fake_printk_log, "\n");
    }
    va_end(ap);
}
enum p2m_granule fake_p2m_granule = P2M_GRANULE_BLOCKS;

enum p2m_granule p2m_granule(void)
{
    return fake_p2m_granule;
}

unsigned int p2m_ipa_bits(void)
{
    return FAKE_IPA_BITS; /* cortex-a57's */
}

void (*fake_p2m_change_hook)(struct p2m *p, ipa_t ipa);

int p2m_set_page(struct p2m *p, ipa_t ipa, paddr_t pa, enum p2m_type t)
{
    (void)t;
    if (fake_p2m_change_hook)
        fake_p2m_change_hook(p, ipa);
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
    if (fake_p2m_change_hook)
        fake_p2m_change_hook(p, ipa);
    struct fmap *m = &maps[p->root];
    for (int i = 0; i < m->n; i++)
        if (m->ipa[i] == ipa)
            m->pa[i] = 0;
    return 0;
}
/* The fake's changes are never half done: nothing to hold off. */
void p2m_hold(struct p2m *p)
{
    (void)p;
}
void p2m_release(struct p2m *p)
{
    (void)p;
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
    for (size_t i = 0; i < m->nr_ranges; i++) {
        const struct frange *r = &m->ranges[i];
        if (ipa >= r->ipa && ipa - r->ipa < r->size) {
            *pa = r->pa + ((ipa - r->ipa) & PAGE_MASK);
            *t = P2M_RAM;
            return true;
        }
    }
    return false;
}

int p2m_init(struct p2m *p)
{
    for (unsigned int i = FAKE_P2M_DOMS; i < FAKE_P2M_TABLES; i++) {
        if (maps[i].in_use)
            continue;
        maps[i].in_use = true;
        maps[i].n = 0;
        p->root = i;
        fake_p2m_live++;
        return 0;
    }
    return -ENOMEM;
}

/* The fake has no tables: its layout uses what the test says, the pool is
 * whatever was last set. */
size_t fake_p2m_layout_pages = 1, fake_p2m_pool_set;
size_t p2m_pool_pages(struct p2m *p)
{
    (void)p;
    return fake_p2m_pool_set;
}

size_t p2m_pool_used(struct p2m *p)
{
    (void)p;
    return fake_p2m_layout_pages;
}

int p2m_set_paging_mempool_size(struct p2m *p, uint64_t bytes, size_t *budget)
{
    return p2m_pool_set_pages(p, bytes >> PAGE_SHIFT, budget);
}

uint64_t p2m_get_paging_mempool_size(struct p2m *p)
{
    return (uint64_t)p2m_pool_pages(p) << PAGE_SHIFT;
}

/* A page per step, as the real pool: with a budget, at most that many
 * steps, then -EAGAIN with the pool part of the way. */
int p2m_pool_set_pages(struct p2m *p, size_t pages, size_t *budget)
{
    (void)p;
    if (pages < fake_p2m_layout_pages)
        return -ENOMEM;
    size_t have = fake_p2m_pool_set, steps = pages > have ? pages - have : have - pages;
    if (budget && steps > *budget) {
        fake_p2m_pool_set = pages > have ? have + *budget : have - *budget;
        *budget = 0;
        return -EAGAIN;
    }
    if (budget)
        *budget -= steps;
    fake_p2m_pool_set = pages;
    return 0;
}

/* The fake holds no pages: a lazy size is just a size. */
size_t fake_p2m_lazy_sets;
int p2m_pool_set_size_lazy(struct p2m *p, size_t pages)
{
    (void)p;
    if (pages < fake_p2m_layout_pages)
        return -ENOMEM;
    fake_p2m_pool_set = pages;
    fake_p2m_lazy_sets++;
    return 0;
}

/* Ranges, not pages: a domain's RAM is 2 MiB chunks. p2m_set_page and
 * p2m_clear_page see only page entries. */
int p2m_map(struct p2m *p, ipa_t ipa, paddr_t pa, uint64_t size, enum p2m_type t)
{
    (void)t;
    struct fmap *m = &maps[p->root];
    struct frange *r = realloc(m->ranges, (m->nr_ranges + 1) * sizeof(*r));
    if (!r)
        abort();
    m->ranges = r;
    r[m->nr_ranges++] = (struct frange){ipa, pa, size};
    return 0;
}

/* Like the real one, nothing for a domain whose p2m_init never ran. */
void p2m_destroy(struct p2m *p)
{
    if (p->root < FAKE_P2M_DOMS || !maps[p->root].in_use)
        return;
    struct fmap *m = &maps[p->root];
    free(m->ranges);
    m->ranges = NULL;
    m->nr_ranges = 0;
    m->n = 0;
    m->in_use = false;
    fake_p2m_live--;
    p->root = 0;
}

unsigned long p2m_vmid_rollovers(void)
{
    return 0;
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
    if (domain_ram_index(d) != 0)
        abort();
    d->ram_sealed = true; /* built whole, as a boot domain */
    return d;
}

/* Cache maintenance has nothing to do on the host; the bytes it was asked
 * to clean are counted, so tests see that fresh guest pages were cleaned. */
uint64_t fake_dcache_cleaned;
void arch_dcache_clean_range(const void *p, size_t len)
{
    (void)p;
    fake_dcache_cleaned += len;
}
