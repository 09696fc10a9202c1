/*
 * Exceptions injected into an AArch32 EL1, taken as the CPU would take
 * them (Arm ARM, AArch32 exception entry): the target mode's banked LR
 * (x20 LR_abt, x22 LR_und) gets the return address, its SPSR the
 * interrupted CPSR, the fault registers the syndrome, and the guest resumes
 * at its vector in ARM or Thumb state as SCTLR.TE says, IRQs masked (and
 * asynchronous aborts for an abort). QEMU's TCG does not load the current
 * mode's SPSR from SPSR_<mode> on a return to AArch32: context_entry() does
 * it there (lib/a32_spsr.c), so the handler reads the SPSR written here, as
 * on real CPUs. A guest faulting inside its own vectors
 * cannot make progress and is crashed instead of looping for ever.
 */
#include <core/domain.h>
#include <core/vcpu.h>
#include <trap/aarch32.h>
#include <trap/traps.h>
#include <cloison/context.h>
#include <asm/sysreg.h>

#define SCTLR_V (1UL << 13)  /* high vectors */
#define SCTLR_EE (1UL << 25) /* exceptions taken big-endian */
#define SCTLR_TE (1UL << 30) /* exceptions taken in T32 */
#define TTBCR_EAE (1UL << 31)
#define VEC_UNDEF 0x04
#define VEC_PABT 0x0c
#define VEC_DABT 0x10
#define X_LR_ABT 20
#define X_LR_UND 22
/* Fault status of a synchronous external abort: long-descriptor format
 * (LPAE bit set) or short-descriptor FS = 0b01000. */
#define FSR_LPAE (1UL << 9)
#define FSR_LD_EXT_ABORT 0x10
#define FSR_SD_EXT_ABORT 0x08

static bool enter(struct vcpu *v, unsigned int mode, unsigned int vec, unsigned int lr_x,
                  uint64_t lr, uint64_t *spsr_out)
{
    uint64_t sctlr = read_sysreg(sctlr_el1);
    uint64_t base = (sctlr & SCTLR_V) ? 0xffff0000UL : (read_sysreg(vbar_el1) & 0xffffffe0UL);
    uint64_t cpsr = v->arch.regs.spsr, pc = v->arch.regs.elr;

    /* The live SPSR of the mode left into its bank; the entry loads the new
     * mode's (on CPUs that hold it apart: QEMU's TCG). */
    context_a32_mode_change(&v->arch);
    if (pc >= base && pc < base + 0x20 && (cpsr & PSR32_MODE_MASK) != PSR32_MODE_USR) {
        domain_crash(v->domain, "fault inside its exception vectors, pc", pc);
        return false;
    }
    *spsr_out = cpsr;
    v->arch.regs.x[lr_x] = lr & 0xffffffffUL;
    uint64_t new = (cpsr & ~(PSR32_MODE_MASK | PSR32_T | PSR32_E | (3UL << PSR32_IT_LO_SHIFT) |
                             (0x3fUL << PSR32_IT_HI_SHIFT) | (1UL << 24))) |
                   mode | PSR32_I | ((sctlr & SCTLR_TE) ? PSR32_T : 0) |
                   ((sctlr & SCTLR_EE) ? PSR32_E : 0);
    if (mode == PSR32_MODE_ABT)
        new |= PSR32_A;
    v->arch.regs.spsr = new;
    v->arch.regs.elr = base + vec;
    return true;
}

void inject32_undef(struct vcpu *v)
{
    uint64_t spsr;
    /* LR_und: the instruction + 4 (A32) or + 2 (T32), as the CPU sets it. */
    uint64_t lr = v->arch.regs.elr + ((v->arch.regs.spsr & PSR32_T) ? 2 : 4);
    if (enter(v, PSR32_MODE_UND, VEC_UNDEF, X_LR_UND, lr, &spsr))
        write_sysreg(spsr_und, spsr);
}

void inject32_abort(struct vcpu *v, uint64_t far, bool instr)
{
    bool lpae = read_sysreg(tcr_el1) & TTBCR_EAE;
    uint64_t fsr = lpae ? (FSR_LPAE | FSR_LD_EXT_ABORT) : FSR_SD_EXT_ABORT;
    uint64_t spsr;
    /* LR_abt: the instruction + 4 (prefetch abort) or + 8 (data abort). */
    uint64_t lr = v->arch.regs.elr + (instr ? 4 : 8);
    uint64_t far_el1 = read_sysreg(far_el1);

    if (!enter(v, PSR32_MODE_ABT, instr ? VEC_PABT : VEC_DABT, X_LR_ABT, lr, &spsr))
        return;
    write_sysreg(spsr_abt, spsr);
    /* DFAR is FAR_EL1[31:0], IFAR FAR_EL1[63:32]; DFSR is ESR_EL1, IFSR IFSR32_EL2. */
    if (instr) {
        write_sysreg(ifsr32_el2, fsr);
        write_sysreg(far_el1, (far_el1 & 0xffffffffUL) | (far << 32));
    } else {
        write_sysreg(esr_el1, fsr);
        write_sysreg(far_el1, (far_el1 & ~0xffffffffUL) | (far & 0xffffffffUL));
    }
}
