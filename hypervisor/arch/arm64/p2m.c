/* Stage-2 page tables and VMIDs (see cloison/p2m.h). */
#include <cloison/arch.h>
#include <cloison/assert.h>
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <cloison/printk.h>
#include <asm/pgtable.h>
#include <asm/sysreg.h>
#include <cloison/percpu.h>
#include <lib/idgen.h>
#include <lib/pagepool.h>
#include <lib/s2pt.h>
#include <string.h>

#define VTCR_RES1 BIT(31)
#define VTCR_VS BIT(19)

struct ipa_config {
    unsigned int pa_bits, t0sz, sl0, start_level, root_order;
};

/* One row per ID_AA64MMFR0_EL1.PARange value. */
static const struct ipa_config ipa_configs[] = {
    {32, 32, 1, 1, 0}, {36, 28, 1, 1, 0}, {40, 24, 1, 1, 1},
    {42, 22, 1, 1, 3}, {44, 20, 2, 0, 0}, {48, 16, 2, 0, 0},
};

static const struct ipa_config *cfg;
static uint64_t vtcr;
static enum p2m_granule granule; /* the p2m_pages option (cloison/p2m.h) */
static unsigned int vmid_bits;
/* VMIDs by generation: any number of domains on 8-bit VMID hardware. The
 * lock covers the allocator's slow path and every VMID-targeted TLB flush, so
 * a flush never races a domain changing VMID. */
static struct idgen vmids;
static spinlock_t vmid_lock = SPINLOCK_INIT;

/* Rollover: stale entries of every recycled VMID go, on every pCPU. */
static void flush_all_vmids(void)
{
    dsb(ishst);
    __asm__ volatile("tlbi alle1is" ::: "memory");
    __asm__ volatile("ic ialluis" ::: "memory");
    dsb(ish);
    isb();
}

/* The smallest row at least ipa_bits wide whose root is at most two pages
 * (a domain's footprint), or the CPU's own row hw. */
static unsigned int ipa_row_for(unsigned int hw, unsigned int ipa_bits)
{
    for (unsigned int r = 0; r < hw; r++)
        if (ipa_configs[r].pa_bits >= ipa_bits && ipa_configs[r].root_order <= 1)
            return r;
    return hw;
}

void p2m_arch_init(unsigned int vmid_bits_cap, unsigned int ipa_bits, enum p2m_granule g)
{
    granule = g;
    uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1);
    uint64_t mmfr1 = read_sysreg(id_aa64mmfr1_el1);
    unsigned int pa_range = mmfr0 & 0xf;
    if (pa_range >= ARRAY_SIZE(ipa_configs))
        pa_range = ARRAY_SIZE(ipa_configs) - 1; /* 52-bit needs LPA2: stay at 48 */
    /* VTCR.PS stays the CPU's: the IPA space shrinks, not what it maps to. */
    cfg = &ipa_configs[ipa_row_for(pa_range, ipa_bits)];
    unsigned int hw_bits = ((mmfr1 >> 4) & 0xf) == 2 ? 16 : 8;
    vtcr = VTCR_RES1 | cfg->t0sz | ((uint64_t)cfg->sl0 << 6) | (1UL << 8) | (1UL << 10) |
           (3UL << 12) | ((uint64_t)pa_range << 16) | (hw_bits == 16 ? VTCR_VS : 0);
    /* A cap needs more VMIDs than pCPUs (each pCPU may keep one across a
     * rollover): at least 4 bits. */
    vmid_bits = vmid_bits_cap ? MIN(MAX(vmid_bits_cap, 4U), hw_bits) : hw_bits;
    idgen_init(&vmids, vmid_bits, MAX_PCPUS, flush_all_vmids);
}

enum p2m_granule p2m_granule(void)
{
    return granule;
}

unsigned long p2m_vmid_rollovers(void)
{
    return vmids.rollovers;
}

unsigned int p2m_ipa_bits(void)
{
    return cfg->pa_bits;
}
unsigned int p2m_vmid_bits(void)
{
    return vmid_bits;
}

void p2m_cpu_init(void)
{
    write_sysreg(vtcr_el2, vtcr);
    isb();
}

/* The pool's pages come from the heap, above the hypervisor's reserve. */
static void *pool_get(void *ctx)
{
    (void)ctx;
    paddr_t pa = page_alloc_guest(0);
    return pa ? phys_to_virt(pa) : NULL;
}

static void pool_put(void *ctx, void *page)
{
    (void)ctx;
    page_free(virt_to_phys(page), 0);
}

static const struct pagepool_source pool_source = {pool_get, pool_put, NULL};

static void *pt_alloc(void *ctx)
{
    return pagepool_take(&((struct p2m *)ctx)->pool);
}

static void pt_free(void *ctx, void *table)
{
    pagepool_give(&((struct p2m *)ctx)->pool, table);
}

static void pt_publish(void *ctx)
{
    (void)ctx;
    dsb(ishst);
}

static void flush_vmid(const struct p2m *p);

static void pt_flush(void *ctx)
{
    flush_vmid(ctx);
}

int p2m_init(struct p2m *p)
{
    p->root = page_alloc_guest(cfg->root_order);
    if (!p->root)
        return -ENOMEM;
    p->vmid_tag = 0; /* a VMID comes with the first entry */
    p->root_pages = 1U << cfg->root_order;
    p->lock = (spinlock_t)SPINLOCK_INIT;
    /* Elastic while the domain is built: its size is fixed once its layout
     * is mapped (p2m_pool_set_pages), or never for dom0 (as on Xen). */
    pagepool_init(&p->pool, &pool_source, true);
    p->ops = (struct s2pt_ops){pt_alloc, pt_free, pt_publish, pt_flush, p};
    p->pt = (struct s2pt){phys_to_virt(p->root), cfg->start_level,
                          (size_t)PT_ENTRIES << cfg->root_order, &p->ops, 0};
    return 0;
}

void p2m_hold(struct p2m *p)
{
    spin_lock(&p->lock);
}

void p2m_release(struct p2m *p)
{
    spin_unlock(&p->lock);
}

size_t p2m_pool_pages(struct p2m *p)
{
    spin_lock(&p->lock);
    size_t n = p->root_pages + pagepool_size(&p->pool);
    spin_unlock(&p->lock);
    return n;
}

size_t p2m_pool_used(struct p2m *p)
{
    spin_lock(&p->lock);
    size_t n = p->root_pages + pagepool_used(&p->pool);
    spin_unlock(&p->lock);
    return n;
}

int p2m_pool_set_pages(struct p2m *p, size_t pages, size_t *budget)
{
    if (pages < p->root_pages)
        return -ENOMEM; /* the root is in use for the domain's whole life */
    spin_lock(&p->lock);
    enum pagepool_rc rc = pagepool_resize(&p->pool, pages - p->root_pages, budget);
    spin_unlock(&p->lock);
    return rc == PAGEPOOL_DONE ? 0 : rc == PAGEPOOL_AGAIN ? -EAGAIN : -ENOMEM;
}

int p2m_pool_set_size_lazy(struct p2m *p, size_t pages)
{
    if (pages < p->root_pages)
        return -ENOMEM;
    spin_lock(&p->lock);
    enum pagepool_rc rc = pagepool_set_size_lazy(&p->pool, pages - p->root_pages);
    spin_unlock(&p->lock);
    return rc == PAGEPOOL_DONE ? 0 : -ENOMEM;
}

int p2m_set_paging_mempool_size(struct p2m *p, uint64_t bytes, size_t *budget)
{
    if (bytes & (PAGE_SIZE - 1))
        return -EINVAL; /* Xen: a non page-sized request */
    return p2m_pool_set_pages(p, bytes >> PAGE_SHIFT, budget);
}

uint64_t p2m_get_paging_mempool_size(struct p2m *p)
{
    return (uint64_t)p2m_pool_pages(p) << PAGE_SHIFT;
}

static uint64_t vttbr_of(const struct p2m *p, uint64_t tag)
{
    return p->root | ((uint64_t)idgen_id(&vmids, tag) << 48);
}

void p2m_enter(struct p2m *p, unsigned int cpu)
{
    /* VTTBR_EL2 holds the tag active on this pCPU (flushes restore it): it is
     * rewritten only when the tag entered differs, nearly never between
     * vCPUs of one domain. */
    uint64_t was = __atomic_load_n(&vmids.active[cpu], __ATOMIC_ACQUIRE);
    if (!idgen_enter_fast(&vmids, cpu, &p->vmid_tag)) {
        spin_lock(&vmid_lock);
        idgen_enter_slow(&vmids, cpu, &p->vmid_tag);
        spin_unlock(&vmid_lock);
    }
    uint64_t tag = __atomic_load_n(&p->vmid_tag, __ATOMIC_ACQUIRE);
    if (tag != was) {
        write_sysreg(vttbr_el2, vttbr_of(p, tag));
        isb();
    }
}

static uint64_t s2_attrs(enum p2m_type t)
{
    uint64_t a = PTE_VALID | PTE_AF | S2_AP_R | (t == P2M_RAM_RO ? 0 : S2_AP_W);
    if (t == P2M_DEVICE)
        return a | S2_MEMATTR_DEVICE_nGnRE | S2_XN;
    return a | S2_MEMATTR_NORMAL_WB | PTE_SH_INNER | (t == P2M_RAM_LAZY ? S2PT_LAZY : 0);
}

/*
 * Invalidate p's TLB entries on every pCPU. Under vmid_lock, so p cannot
 * change VMID meanwhile; a VMID of an older generation has nothing left to
 * flush (the rollover flushed everything, and p gets a new one on entry).
 */
static void flush_vmid(const struct p2m *p)
{
    uint64_t f = local_irq_save();
    spin_lock(&vmid_lock);
    uint64_t tag = __atomic_load_n(&p->vmid_tag, __ATOMIC_ACQUIRE);
    if (!tag || !idgen_current(&vmids, tag)) {
        spin_unlock(&vmid_lock);
        local_irq_restore(f);
        return;
    }
    uint64_t vttbr = vttbr_of(p, tag), old = read_sysreg(vttbr_el2);
    write_sysreg(vttbr_el2, vttbr);
    isb();
    __asm__ volatile("tlbi vmalls12e1is" ::: "memory");
    dsb(ish);
    isb();
    write_sysreg(vttbr_el2, old);
    isb();
    spin_unlock(&vmid_lock);
    local_irq_restore(f);
}

static int errno_of(int rc)
{
    return rc == S2PT_OK ? 0 : rc == S2PT_NOMEM ? -ENOMEM : -EEXIST;
}

int p2m_map(struct p2m *p, ipa_t ipa, paddr_t pa, uint64_t size, enum p2m_type t)
{
    if (!IS_ALIGNED(ipa | pa | size, PAGE_SIZE) || ipa + size < ipa ||
        ipa + size > (1UL << cfg->pa_bits))
        return -EINVAL;
    spin_lock(&p->lock);
    /* p2m_pages is for RAM, which the guest's TLB maintenance is about;
     * device windows keep their blocks: dom0's include PCIe's (512 GiB on
     * QEMU virt), which in pages would take the heap and seconds to map. */
    int rc = s2pt_map(&p->pt, ipa, pa, size, s2_attrs(t) & ~(PTE_VALID | PTE_TABLE),
                      granule == P2M_GRANULE_PAGES && t != P2M_DEVICE);
    spin_unlock(&p->lock);
    return errno_of(rc);
}

/*
 * Live single-page changes use break-before-make with a whole-VMID TLB flush
 * (lib/s2pt.c calls pt_flush): rare (add_to_physmap and friends), so a
 * whole-VMID flush is simpler than tracking which IPAs a block covered.
 * Tables come from the domain's pool only: an empty pool is -ENOMEM for
 * the guest, never memory of anyone else.
 */
int p2m_set_page(struct p2m *p, ipa_t ipa, paddr_t pa, enum p2m_type t)
{
    if (!IS_ALIGNED(ipa | pa, PAGE_SIZE) || ipa >= (1UL << cfg->pa_bits))
        return -EINVAL;
    spin_lock(&p->lock);
    int rc = s2pt_set_page(&p->pt, ipa, pa | (s2_attrs(t) & ~(PTE_VALID | PTE_PAGE)));
    spin_unlock(&p->lock);
    return errno_of(rc);
}

int p2m_clear_page(struct p2m *p, ipa_t ipa)
{
    if (!IS_ALIGNED(ipa, PAGE_SIZE) || ipa >= (1UL << cfg->pa_bits))
        return -EINVAL;
    spin_lock(&p->lock);
    int rc = s2pt_clear_page(&p->pt, ipa);
    spin_unlock(&p->lock);
    return errno_of(rc);
}

/* The lazy entry at level over base, found for ipa, readied and made valid
 * (lock held): zeroed, or filled whole from fill; either way in memory, not
 * only in the cache, since the guest may first read it with its MMU and
 * caches off. */
static void ready_lazy(struct p2m *p, ipa_t ipa, paddr_t base, unsigned int level, const void *fill)
{
    unsigned int order = (unsigned int)(LEVEL_SHIFT(level) - PAGE_SHIFT);
    if (fill) {
        memcpy(phys_to_virt(base), fill, LEVEL_SIZE(level));
        page_ready_guest_filled(base, order);
    } else {
        page_ready_guest(base, order);
    }
    arch_dcache_clean_range(phys_to_virt(base), LEVEL_SIZE(level));
    s2pt_make_valid(&p->pt, ipa, granule == P2M_GRANULE_TOUCH);
}

bool p2m_lookup(struct p2m *p, ipa_t ipa, paddr_t *pa, enum p2m_type *t)
{
    if (ipa >= (1UL << cfg->pa_bits))
        return false;
    uint64_t e = 0;
    unsigned int level = 0;
    spin_lock(&p->lock);
    bool found = s2pt_lookup(&p->pt, ipa, &e, &level);
    uint64_t bsize = found ? LEVEL_SIZE(level) : 0, base = e & PTE_ADDR_MASK & ~(bsize - 1);
    if (found && (e & S2PT_LAZY)) {
        ready_lazy(p, ipa, base, level, NULL);
    }
    spin_unlock(&p->lock);
    if (found) {
        *pa = base | (ipa & (bsize - 1));
        *t = (e & S2_XN) ? P2M_DEVICE : P2M_RAM;
    }
    return found;
}

uint64_t p2m_fill_lazy(struct p2m *p, ipa_t ipa, const void *src, uint64_t len)
{
    if (ipa >= (1UL << cfg->pa_bits))
        return 0;
    uint64_t e = 0, bsize = 0;
    unsigned int level = 0;
    spin_lock(&p->lock);
    if (s2pt_lookup(&p->pt, ipa, &e, &level) && (e & S2PT_LAZY)) {
        bsize = LEVEL_SIZE(level);
        if ((ipa & (bsize - 1)) || len < bsize) {
            bsize = 0;
        } else {
            ready_lazy(p, ipa, e & PTE_ADDR_MASK, level, src);
        }
    }
    spin_unlock(&p->lock);
    return bsize;
}

void p2m_destroy(struct p2m *p)
{
    if (!p->root)
        return;
    flush_vmid(p);
    s2pt_free_tables(&p->pt);
    size_t left = pagepool_drain(&p->pool);
    ASSERT(left == 0); /* every table came back to the pool */
    page_free(p->root, cfg->root_order);
    p->root = 0;
    uint64_t f = local_irq_save();
    spin_lock(&vmid_lock);
    idgen_release(&vmids, p->vmid_tag);
    spin_unlock(&vmid_lock);
    local_irq_restore(f);
}
