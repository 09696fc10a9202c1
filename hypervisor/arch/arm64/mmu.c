/*
 * EL2 stage-1 translation: Cloison maps RAM 1:1 (VA == PA).
 *
 * Two phases. mmu_early_enable() runs before anything reads the device tree:
 * a single level-1 table of 1 GiB blocks (low 1 GiB device, the rest normal
 * memory) so that C and libfdt run with caches and unaligned-tolerant normal
 * memory. mmu_final() then builds the real tables once RAM is known: RAM
 * read-write never-executable, the image's text read-only+executable, rodata
 * read-only, data/bss read-write; devices nGnRE; nothing else mapped, and
 * nothing at all in the first 64 KiB (MMU_NULL_GUARD). SCTLR_EL2.WXN
 * then forbids any writable+executable mapping.
 *
 * VA space: T0SZ = 25 (39 bits, 512 GiB), walks start at level 1.
 */
#include <cloison/mm.h>
#include <cloison/printk.h>
#include <cloison/spinlock.h>
#include <asm/pgtable.h>
#include <asm/sysreg.h>
#include <asm/mmu.h>
#include <string.h>

#define TCR_EL2_RES1 (BIT(31) | BIT(23))
#define TCR_T0SZ(x) ((uint64_t)(x))
#define TCR_IRGN0_WBWA (1UL << 8)
#define TCR_ORGN0_WBWA (1UL << 10)
#define TCR_SH0_INNER (3UL << 12)
#define TCR_TG0_4K (0UL << 14)
#define TCR_PS_SHIFT 16

#define SCTLR_M BIT(0)
#define SCTLR_A BIT(1)
#define SCTLR_C BIT(2)
#define SCTLR_SA BIT(3)
#define SCTLR_I BIT(12)
#define SCTLR_WXN BIT(19)
#define SCTLR_EL2_RES1 ((3UL << 28) | (3UL << 22) | BIT(18) | BIT(16) | BIT(11) | (3UL << 4))

#define VA_BITS 39

extern char _head[], _etext[], _erodata[], _end[];

static uint64_t early_l1[PT_ENTRIES] __aligned(4096);
static uint64_t *final_l1;
static const struct mem_range *final_ram; /* the RAM banks mmu_final() mapped */
static unsigned int final_nr_ram;
static spinlock_t map_lock = SPINLOCK_INIT;

static uint64_t tcr_value(void)
{
    uint64_t pa_range = read_sysreg(id_aa64mmfr0_el1) & 0xf;
    if (pa_range > 5)
        pa_range = 5; /* 48 bits is plenty for a 39-bit VA identity map */
    return TCR_EL2_RES1 | TCR_T0SZ(64 - VA_BITS) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER |
           TCR_TG0_4K | (pa_range << TCR_PS_SHIFT);
}

static uint64_t block_attrs(enum map_type t)
{
    uint64_t a = PTE_VALID | PTE_AF;
    switch (t) {
    case MAP_DEVICE:
        return a | S1_ATTRIDX(MAIR_IDX_DEVICE_nGnRE) | S1_XN;
    case MAP_TEXT:
        return a | PTE_SH_INNER | S1_ATTRIDX(MAIR_IDX_NORMAL) | S1_AP_RO;
    case MAP_RODATA:
        return a | PTE_SH_INNER | S1_ATTRIDX(MAIR_IDX_NORMAL) | S1_AP_RO | S1_XN;
    case MAP_RW:
    default:
        return a | PTE_SH_INNER | S1_ATTRIDX(MAIR_IDX_NORMAL) | S1_XN;
    }
}

void mmu_early_enable(void)
{
    /* Boot CPU only builds the table; every CPU loads it in mmu_load(). */
    early_l1[0] = 0 | PTE_VALID | PTE_AF | S1_ATTRIDX(MAIR_IDX_DEVICE_nGnRE) | S1_XN;
    for (unsigned int i = 1; i < 256; i++)
        early_l1[i] =
            ((uint64_t)i << 30) | PTE_VALID | PTE_AF | PTE_SH_INNER | S1_ATTRIDX(MAIR_IDX_NORMAL);
    mmu_load(early_l1, false);
}

void mmu_load(uint64_t *root, bool wxn)
{
    dsb(ish);
    write_sysreg(mair_el2, MAIR_VALUE);
    write_sysreg(tcr_el2, tcr_value());
    write_sysreg(ttbr0_el2, virt_to_phys(root));
    isb();
    __asm__ volatile("tlbi alle2" ::: "memory");
    dsb(ish);
    isb();
    uint64_t sctlr = SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I;
    if (wxn)
        sctlr |= SCTLR_WXN;
    write_sysreg(sctlr_el2, sctlr);
    isb();
}

static uint64_t *alloc_table(void)
{
    paddr_t pa = page_alloc(0);
    return pa ? phys_to_virt(pa) : NULL;
}

/* Map [va, va+size) -> same PA with the given type, using the largest blocks
 * alignment allows; existing block mappings are split on demand. False when
 * no page is left for a table (what was mapped so far stays). */
static bool map_range(uint64_t *l1, uint64_t va, uint64_t size, enum map_type t)
{
    uint64_t end = va + size;
    uint64_t attrs = block_attrs(t);
    while (va < end) {
        uint64_t *table = l1;
        for (unsigned int level = 1;; level++) {
            uint64_t idx = (va >> LEVEL_SHIFT(level)) & (PT_ENTRIES - 1);
            uint64_t bsize = LEVEL_SIZE(level);
            if (level == 3) {
                table[idx] = va | attrs | PTE_PAGE;
                va += bsize;
                break;
            }
            if (IS_ALIGNED(va, bsize) && end - va >= bsize && level >= 1 &&
                !(table[idx] & PTE_VALID && table[idx] & PTE_TABLE)) {
                table[idx] = va | attrs; /* block */
                va += bsize;
                break;
            }
            uint64_t e = table[idx];
            if (!(e & PTE_VALID) || !(e & PTE_TABLE)) {
                uint64_t *next = alloc_table();
                if (!next)
                    return false;
                if (e & PTE_VALID) { /* split an existing block, keeping its attributes */
                    uint64_t sub = LEVEL_SIZE(level + 1);
                    uint64_t base = e & PTE_ADDR_MASK & ~(bsize - 1);
                    uint64_t battr = e & ~PTE_ADDR_MASK;
                    for (unsigned int i = 0; i < PT_ENTRIES; i++)
                        next[i] = (base + i * sub) | battr | (level + 1 == 3 ? PTE_PAGE : 0);
                }
                dsb(ishst);
                table[idx] = virt_to_phys(next) | PTE_VALID | PTE_TABLE;
                e = table[idx];
            }
            table = phys_to_virt(e & PTE_ADDR_MASK);
        }
    }
    return true;
}

/* The final tables at boot: mm_start_allocators() leaves MM_BOOT_MIN_FREE
 * free, far more than they take, so running out is a Cloison bug. */
static void map_boot(uint64_t va, uint64_t size, enum map_type t)
{
    if (!map_range(final_l1, va, size, t))
        panic("mmu: out of memory for EL2 page tables");
}

/* Above the low 1 GiB the early map holds as devices, below the 256 GiB it
 * ends at (and far below VA_BITS). */
void mmu_ram_window(paddr_t *start, paddr_t *end)
{
    *start = MMU_LOW_DEVICE_END;
    *end = 256 * SZ_1G;
}

void mmu_final(const struct mem_range *ram, unsigned int nr_ram)
{
    final_ram = ram;
    final_nr_ram = nr_ram;
    final_l1 = alloc_table();
    if (!final_l1)
        panic("mmu: out of memory for EL2 page tables");
    map_boot(MMU_NULL_GUARD, MMU_LOW_DEVICE_END - MMU_NULL_GUARD, MAP_DEVICE);
    for (unsigned int i = 0; i < nr_ram; i++)
        map_boot(ram[i].start, ram[i].size, MAP_RW);
    uint64_t head = (uint64_t)_head, etext = (uint64_t)_etext, erodata = (uint64_t)_erodata;
    map_boot(head, etext - head, MAP_TEXT);
    map_boot(etext, erodata - etext, MAP_RODATA);
    map_boot(erodata, ALIGN_UP((uint64_t)_end, PAGE_SIZE) - erodata, MAP_RW);
    mmu_load(final_l1, true);
}

void mmu_secondary_enable(void)
{
    mmu_load(final_l1 ? final_l1 : early_l1, final_l1 != NULL);
}

/* RAM mapped as a device too would give it two memory types (and a device
 * frame placed on RAM by a bad tree would have its "registers" written). */
bool mmu_overlaps_ram(paddr_t pa, uint64_t size)
{
    for (unsigned int i = 0; i < final_nr_ram; i++)
        if (pa < final_ram[i].start + final_ram[i].size && pa + size > final_ram[i].start)
            return true;
    return false;
}

void *ioremap(paddr_t pa, size_t size)
{
    if (!size || pa + size < pa || mmu_overlaps_ram(pa, size))
        return NULL;
    /* Everything below 1 GiB but the NULL guard is already mapped as device
     * memory. */
    if (pa >= MMU_NULL_GUARD && pa + size <= MMU_LOW_DEVICE_END)
        return phys_to_virt(pa);
    if (!final_l1 || pa + size > (1UL << VA_BITS))
        return NULL;
    spin_lock(&map_lock);
    bool mapped = map_range(final_l1, ALIGN_DOWN(pa, PAGE_SIZE),
                            ALIGN_UP(pa + size, PAGE_SIZE) - ALIGN_DOWN(pa, PAGE_SIZE), MAP_DEVICE);
    dsb(ishst);
    __asm__ volatile("tlbi alle2is" ::: "memory");
    dsb(ish);
    isb();
    spin_unlock(&map_lock);
    return mapped ? phys_to_virt(pa) : NULL;
}
