/*
 * The architectural state of a vCPU: what the trap entry saves and the
 * context switch swaps. struct vcpu embeds it first, so the trap entry
 * (vectors.S) finds the register block at the vCPU's own address.
 */
#ifndef ASM_VCPU_ARCH_H
#define ASM_VCPU_ARCH_H

#include <cloison/types.h>

/* Saved by the exception entry on every trap from the guest (vectors.S). */
struct guest_regs {
    uint64_t x[31];
    uint64_t elr;  /* ELR_EL2: guest PC */
    uint64_t spsr; /* SPSR_EL2: guest PSTATE */
};

/* EL1/EL0 system registers switched when a pCPU changes vCPU. */
struct el1_sysregs {
    uint64_t sctlr, cpacr, ttbr0, ttbr1, tcr, mair, amair;
    uint64_t vbar, contextidr, tpidr_el0, tpidrro_el0, tpidr_el1;
    uint64_t sp_el0, sp_el1, elr_el1, spsr_el1, esr, far, afsr0, afsr1;
    uint64_t par, cntkctl, csselr, mdscr;
    uint64_t cntv_ctl, cntv_cval;
    uint64_t vmpidr;
    /* PAuth keys APIA, APIB, APDA, APDB, APGA (lo, hi), when the CPU has them */
    uint64_t pauth_keys[10];
    bool os_unlocked; /* emulated OS lock (OSLAR_EL1): starts locked */
};

/* AArch32 EL1 state with no AArch64 EL1 register to live in (switched only
 * for AArch32 vCPUs: these registers do not exist without AArch32 at EL1).
 * The banked r8_fiq..LR_und are in guest_regs.x (the architecture's map). */
struct el1_sysregs32 {
    uint64_t dacr, ifsr, fpexc;
    uint64_t spsr_abt, spsr_und, spsr_irq, spsr_fiq;
};

struct fp_regs {
    __uint128_t q[32];
    uint64_t fpsr, fpcr;
};

struct vcpu_arch {
    struct guest_regs regs; /* first: vectors.S stores here */
    struct el1_sysregs sys;
    struct fp_regs fp;
    struct el1_sysregs32 sys32;
    /* EL1 is AArch32 (HCR_EL2.RW clear while it runs): set by the domain
     * builder from its kernel (a zImage), kept across resets. */
    bool aarch32;
    /* Whose live SPSR a pCPU holds (arch/arm64/context.c, lib/a32_spsr.c):
     * given at an entry that loaded it, 0 once EL2 changed the state. */
    uint64_t spsr_token;
};

/* The architectural boot state of vCPU `id`: pc, x0, EL1h with interrupts
 * masked, MMU and caches off (Linux's arm64 boot protocol, PSCI CPU_ON). An
 * AArch32 vCPU starts in SVC mode, A32 or (pc bit 0 set) T32 at pc & ~1. */
void arch_vcpu_reset(struct vcpu_arch *a, unsigned int id, uint64_t pc, uint64_t x0);
/* The boot vCPU's state for its kernel: arm64 x0 = dtb; AArch32 (Linux's ARM
 * boot protocol) r0 = 0, r1 = ~0 (no machine id: DT boot), r2 = dtb. */
void arch_vcpu_boot(struct vcpu_arch *a, unsigned int id, uint64_t pc, uint64_t dtb);
/* The MPIDR vCPU `id` reads (Aff0 = id % 16, Aff1 = id / 16). */
uint64_t vcpu_mpidr(unsigned int id);

#endif
