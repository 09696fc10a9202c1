/*
 * Stage-1 identity map with 1 GiB blocks: guest RAM is Normal write-back,
 * everything else Device-nGnRnE, except one gigabyte left unmapped so
 * hypercalls can be handed a pointer that does not translate.
 * Why an MMU at all: with it off every data access is Device memory, where
 * libfdt's (compiler-merged) unaligned loads fault and exclusives are not
 * guaranteed.
 */
#include "guest.h"

#define L1_ENTRIES 512   /* T0SZ = 25: 39-bit VA, walk starts at level 1 */
#define BLK_VALID 0x1ull /* block descriptor at level 1 */
#define BLK_ATTR(i) ((uint64_t)(i) << 2)
#define BLK_SH_IS (3ull << 8)
#define BLK_AF (1ull << 10)
#define BLK_XN (3ull << 53)  /* PXN | UXN */
#define MAIR_VALUE 0xff00ull /* attr0 Device-nGnRnE, attr1 Normal WB RW-alloc */

static uint64_t l1_table[L1_ENTRIES] __attribute__((aligned(4096)));
static volatile bool table_ready;

/*
 * Normal memory = the gigabyte holding this image. Guests get far less than
 * 1 GiB of RAM, and both hypervisors put the DTB near the kernel, so this
 * covers everything the guest touches and lets the MMU go on before the DT
 * is parsed.
 */
static void build_table(void)
{
    uint64_t ram_blk = (uintptr_t)l1_table >> 30;

    for (uint64_t i = 0; i < L1_ENTRIES; i++) {
        uint64_t pa = i << 30;

        if (pa == GUEST_UNMAPPED_VA)
            l1_table[i] = 0;
        else if (i == ram_blk)
            l1_table[i] = pa | BLK_VALID | BLK_ATTR(1) | BLK_SH_IS | BLK_AF;
        else
            l1_table[i] = pa | BLK_VALID | BLK_ATTR(0) | BLK_AF | BLK_XN;
    }
    dsb_sy();
    table_ready = true;
}

void mmu_enable(void)
{
    /* The boot vCPU builds the table; secondaries start after it did. */
    if (!table_ready)
        build_table();
    write_sysreg(mair_el1, MAIR_VALUE);
    /* T0SZ=25, IRGN0/ORGN0 write-back, SH0 inner, TG0 4K, EPD1 (no TTBR1), IPS 40 bits. */
    write_sysreg(tcr_el1,
                 25ull | (1ull << 8) | (1ull << 10) | (3ull << 12) | (1ull << 23) | (2ull << 32));
    write_sysreg(ttbr0_el1, (uintptr_t)l1_table);
    isb();
    __asm__ volatile("tlbi vmalle1\n dsb nsh\n isb" ::: "memory");
    uint64_t sctlr = read_sysreg(sctlr_el1);
    sctlr |= (1u << 0) | (1u << 2) | (1u << 12); /* M, C, I */
    sctlr &= ~(uint64_t)(1u << 1);               /* A: unaligned Normal accesses allowed */
    write_sysreg(sctlr_el1, sctlr);
    isb();
}

/*
 * Make one 2 MiB block of the first gigabyte (otherwise Device memory) Normal
 * write-back: Xen's grant-table window (0x38000000) and magic pages
 * (0x39000000) must be mapped cacheable, as the ABI requires of every page
 * shared with the hypervisor. The gigabyte is split into a level-2 table the
 * first time (break-before-make on the live entry).
 */
static uint64_t l2_low[L1_ENTRIES] __attribute__((aligned(4096)));

void mmu_map_normal_2m(uint64_t pa)
{
    if (!(l1_table[0] & 2)) {
        for (uint64_t i = 0; i < L1_ENTRIES; i++)
            l2_low[i] = (i << 21) | BLK_VALID | BLK_ATTR(0) | BLK_AF | BLK_XN;
        dsb_sy();
        l1_table[0] = 0;
        __asm__ volatile("dsb sy\n tlbi vmalle1\n dsb sy\n isb" ::: "memory");
        l1_table[0] = (uintptr_t)l2_low | 3; /* table descriptor */
        dsb_sy();
    }
    l2_low[(pa >> 21) & (L1_ENTRIES - 1)] =
        (pa & ~((1ull << 21) - 1)) | BLK_VALID | BLK_ATTR(1) | BLK_SH_IS | BLK_AF | BLK_XN;
    __asm__ volatile("dsb sy\n tlbi vmalle1\n dsb sy\n isb" ::: "memory");
}
