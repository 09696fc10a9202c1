/*
 * Guest virtual address translation for hypercall arguments: the CPU walks
 * the guest's own stage-1 and stage-2 tables (AT S12E1R/W) in the current
 * vCPU's context, so Cloison never parses guest page tables itself.
 */
#include <cloison/arch.h>
#include <asm/sysreg.h>

#define PAR_F BIT(0)
#define PAR_PA_MASK 0x0000fffffffff000UL

/* One AT walk of va in the current vCPU's context, through both stages or
 * stage 1 only; its PAR_EL1. PAR_EL1 is guest state: saved and restored
 * around the walk. */
static uint64_t walk_par(vaddr_t va, bool write, bool stage2)
{
    uint64_t saved = read_sysreg(par_el1);
    if (stage2 && write)
        __asm__ volatile("at s12e1w, %0" : : "r"(va));
    else if (stage2)
        __asm__ volatile("at s12e1r, %0" : : "r"(va));
    else if (write)
        __asm__ volatile("at s1e1w, %0" : : "r"(va));
    else
        __asm__ volatile("at s1e1r, %0" : : "r"(va));
    isb();
    uint64_t par = read_sysreg(par_el1);
    write_sysreg(par_el1, saved);
    return par;
}

paddr_t arch_guest_va_to_pa(vaddr_t va, bool write)
{
    uint64_t par = walk_par(va, write, true);
    if (par & PAR_F)
        return 0;
    return (par & PAR_PA_MASK) | (va & (PAGE_SIZE - 1));
}

/* Stage 1 only: the IPA, for a walk that stage 2 refused. */
ipa_t arch_guest_va_to_ipa(vaddr_t va, bool write, bool *ok)
{
    uint64_t par = walk_par(va, write, false);
    *ok = !(par & PAR_F);
    return (par & PAR_PA_MASK) | (va & (PAGE_SIZE - 1));
}
