/* Stage-2 page tables and VMIDs (see cloison/p2m.h). */
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <cloison/printk.h>
#include <asm/pgtable.h>
#include <asm/sysreg.h>
#include <cloison/percpu.h>
#include <lib/idgen.h>

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

void p2m_arch_init(unsigned int vmid_bits_cap)
{
    uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1);
    uint64_t mmfr1 = read_sysreg(id_aa64mmfr1_el1);
    unsigned int pa_range = mmfr0 & 0xf;
    if (pa_range >= ARRAY_SIZE(ipa_configs))
        pa_range = ARRAY_SIZE(ipa_configs) - 1; /* 52-bit needs LPA2: stay at 48 */
    cfg = &ipa_configs[pa_range];
    unsigned int hw_bits = ((mmfr1 >> 4) & 0xf) == 2 ? 16 : 8;
    vtcr = VTCR_RES1 | cfg->t0sz | ((uint64_t)cfg->sl0 << 6) | (1UL << 8) | (1UL << 10) |
           (3UL << 12) | ((uint64_t)pa_range << 16) | (hw_bits == 16 ? VTCR_VS : 0);
    /* A cap needs more VMIDs than pCPUs (each pCPU may keep one across a
     * rollover): at least 4 bits. */
    vmid_bits = vmid_bits_cap ? MIN(MAX(vmid_bits_cap, 4U), hw_bits) : hw_bits;
    idgen_init(&vmids, vmid_bits, MAX_PCPUS, flush_all_vmids);
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

int p2m_init(struct p2m *p)
{
    p->root = page_alloc(cfg->root_order);
    if (!p->root)
        return -ENOMEM;
    p->vmid_tag = 0; /* a VMID comes with the first entry */
    p->table_pages = 1UL << cfg->root_order;
    p->lock = (spinlock_t)SPINLOCK_INIT;
    return 0;
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
    return a | S2_MEMATTR_NORMAL_WB | PTE_SH_INNER;
}

static uint64_t index_at(ipa_t ipa, unsigned int level)
{
    uint64_t idx = ipa >> LEVEL_SHIFT(level);
    return level == cfg->start_level ? idx : (idx & (PT_ENTRIES - 1));
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

/* Map the largest block that fits at ipa; returns its size, or 0 with *rc set. */
static uint64_t map_one(struct p2m *p, ipa_t ipa, paddr_t pa, uint64_t size, uint64_t attrs,
                        int *rc)
{
    uint64_t *table = phys_to_virt(p->root);
    for (unsigned int level = cfg->start_level;; level++) {
        uint64_t *e = &table[index_at(ipa, level)];
        uint64_t bsize = LEVEL_SIZE(level);
        if (level == 3) {
            *e = pa | attrs | PTE_PAGE;
            return bsize;
        }
        if (level >= 1 && IS_ALIGNED(ipa | pa, bsize) && size >= bsize && !(*e & PTE_VALID)) {
            *e = pa | attrs; /* block */
            return bsize;
        }
        if (!(*e & PTE_VALID)) {
            paddr_t next = page_alloc(0);
            if (!next) {
                *rc = -ENOMEM;
                return 0;
            }
            p->table_pages++;
            dsb(ishst);
            *e = next | PTE_VALID | PTE_TABLE;
        } else if (!(*e & PTE_TABLE)) {
            *rc = -EEXIST; /* already mapped by a block */
            return 0;
        }
        table = phys_to_virt(*e & PTE_ADDR_MASK);
    }
}

int p2m_map(struct p2m *p, ipa_t ipa, paddr_t pa, uint64_t size, enum p2m_type t)
{
    if (!IS_ALIGNED(ipa | pa | size, PAGE_SIZE) || ipa + size < ipa ||
        ipa + size > (1UL << cfg->pa_bits))
        return -EINVAL;
    uint64_t attrs = s2_attrs(t);
    int rc = 0;
    spin_lock(&p->lock);
    while (size) {
        uint64_t step = map_one(p, ipa, pa, size, attrs, &rc);
        if (!step)
            break;
        ipa += step;
        pa += step;
        size -= step;
    }
    dsb(ishst);
    spin_unlock(&p->lock);
    return rc;
}

/* Free a table and every table below it (mapped pages belong to the domain). */
static void free_table_pages(paddr_t table, unsigned int level, size_t entries, unsigned int order)
{
    uint64_t *t = phys_to_virt(table);
    if (level < 3)
        for (size_t i = 0; i < entries; i++)
            if ((t[i] & PTE_VALID) && (t[i] & PTE_TABLE))
                free_table_pages(t[i] & PTE_ADDR_MASK, level + 1, PT_ENTRIES, 0);
    page_free(table, order);
}

/*
 * Break-before-make for a live entry: invalidate, flush every TLB entry of
 * this VMID on every pCPU (vCPUs of the domain may run elsewhere), then write
 * the new value. Rare (add_to_physmap and friends), so a whole-VMID flush is
 * simpler than tracking which IPAs a block covered.
 */
static void bbm_write(struct p2m *p, uint64_t *e, uint64_t val)
{
    if (*e & PTE_VALID) {
        WRITE_ONCE(*e, 0);
        dsb(ishst);
        flush_vmid(p);
    }
    WRITE_ONCE(*e, val);
    dsb(ishst);
}

/* The level-3 entry for ipa, creating tables and splitting blocks on the way. */
static uint64_t *leaf_entry(struct p2m *p, ipa_t ipa, int *rc)
{
    uint64_t *table = phys_to_virt(p->root);
    for (unsigned int level = cfg->start_level; level < 3; level++) {
        uint64_t *e = &table[index_at(ipa, level)];
        if (!(*e & PTE_VALID) || !(*e & PTE_TABLE)) {
            paddr_t next = page_alloc(0);
            if (!next) {
                *rc = -ENOMEM;
                return NULL;
            }
            p->table_pages++;
            if (*e & PTE_VALID) { /* a block: the new table repeats it, finer */
                uint64_t *t = phys_to_virt(next), sub = LEVEL_SIZE(level + 1);
                uint64_t base = *e & PTE_ADDR_MASK & ~(LEVEL_SIZE(level) - 1);
                uint64_t attrs = *e & ~PTE_ADDR_MASK;
                for (unsigned int i = 0; i < PT_ENTRIES; i++)
                    t[i] = (base + i * sub) | attrs | (level + 1 == 3 ? PTE_PAGE : 0);
            }
            dsb(ishst);
            bbm_write(p, e, next | PTE_VALID | PTE_TABLE);
        }
        table = phys_to_virt(*e & PTE_ADDR_MASK);
    }
    return &table[index_at(ipa, 3)];
}

int p2m_set_page(struct p2m *p, ipa_t ipa, paddr_t pa, enum p2m_type t)
{
    if (!IS_ALIGNED(ipa | pa, PAGE_SIZE) || ipa >= (1UL << cfg->pa_bits))
        return -EINVAL;
    int rc = 0;
    spin_lock(&p->lock);
    uint64_t *e = leaf_entry(p, ipa, &rc);
    if (e)
        bbm_write(p, e, pa | s2_attrs(t) | PTE_PAGE);
    spin_unlock(&p->lock);
    return rc;
}

int p2m_clear_page(struct p2m *p, ipa_t ipa)
{
    if (!IS_ALIGNED(ipa, PAGE_SIZE) || ipa >= (1UL << cfg->pa_bits))
        return -EINVAL;
    int rc = 0;
    spin_lock(&p->lock);
    uint64_t *e = leaf_entry(p, ipa, &rc);
    if (e)
        bbm_write(p, e, 0);
    spin_unlock(&p->lock);
    return rc;
}

bool p2m_lookup(struct p2m *p, ipa_t ipa, paddr_t *pa, enum p2m_type *t)
{
    if (ipa >= (1UL << cfg->pa_bits))
        return false;
    bool found = false;
    spin_lock(&p->lock);
    uint64_t *table = phys_to_virt(p->root);
    for (unsigned int level = cfg->start_level; level <= 3; level++) {
        uint64_t e = table[index_at(ipa, level)];
        if (!(e & PTE_VALID))
            break;
        if (level < 3 && (e & PTE_TABLE)) {
            table = phys_to_virt(e & PTE_ADDR_MASK);
            continue;
        }
        uint64_t bsize = LEVEL_SIZE(level);
        *pa = (e & PTE_ADDR_MASK & ~(bsize - 1)) | (ipa & (bsize - 1));
        *t = (e & S2_XN) ? P2M_DEVICE : P2M_RAM;
        found = true;
        break;
    }
    spin_unlock(&p->lock);
    return found;
}

void p2m_destroy(struct p2m *p)
{
    if (!p->root)
        return;
    flush_vmid(p);
    size_t root_entries = (PT_ENTRIES << cfg->root_order);
    free_table_pages(p->root, cfg->start_level, root_entries, cfg->root_order);
    p->root = 0;
    uint64_t f = local_irq_save();
    spin_lock(&vmid_lock);
    idgen_release(&vmids, p->vmid_tag);
    spin_unlock(&vmid_lock);
    local_irq_restore(f);
}
