/*
 * Cache maintenance for memory Cloison writes on a guest's behalf (kernel
 * images, device trees, pages it zeroes): the guest starts with its MMU and
 * caches off, so what Cloison wrote must reach the point of coherency, and
 * instructions it loaded must not be served from a stale I-cache.
 */
#include <cloison/arch.h>
#include <string.h>
#include <asm/sysreg.h>

#define DCZID_DZP BIT(4) /* DC ZVA prohibited */

/* The smallest D-cache line of any cache level (CTR_EL0.DminLine, log2 of
 * words): stepping by it never skips a line, whatever the CPU. */
static uint64_t dcache_line(void)
{
    return 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
}

void arch_dcache_clean_range(const void *p, size_t len)
{
    uint64_t line = dcache_line();
    uint64_t a = (uint64_t)(uintptr_t)p & ~(line - 1);
    for (; a < (uint64_t)(uintptr_t)p + len; a += line)
        __asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
    dsb(ish);
}

void arch_dcache_clean_inval_range(const void *p, size_t len)
{
    uint64_t line = dcache_line();
    uint64_t a = (uint64_t)(uintptr_t)p & ~(line - 1);
    for (; a < (uint64_t)(uintptr_t)p + len; a += line)
        __asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
    dsb(ish);
}

void arch_icache_invalidate_all(void)
{
    __asm__ volatile("ic ialluis" ::: "memory");
    dsb(ish);
    isb();
}

/* DCZID_EL0.BS is the block's log2 in words (at most 2 KiB), so any whole
 * page is whole blocks; memset where DC ZVA is prohibited. */
void arch_zero_pages(void *p, size_t len)
{
    uint64_t dczid = read_sysreg(dczid_el0);
    if (dczid & DCZID_DZP) {
        memset(p, 0, len);
        return;
    }
    uint64_t block = 4UL << (dczid & 0xf);
    for (uint64_t a = (uint64_t)(uintptr_t)p; a < (uint64_t)(uintptr_t)p + len; a += block)
        __asm__ volatile("dc zva, %0" : : "r"(a) : "memory");
}
