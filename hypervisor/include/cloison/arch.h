/*
 * The few CPU operations arch-neutral code needs, implemented per
 * architecture (arch/arm64/arch_hooks.c). core/ reaches the CPU only
 * through these and the other hooks declared in include/cloison/.
 */
#ifndef CLOISON_ARCH_H
#define CLOISON_ARCH_H
#include <cloison/types.h>

uint64_t arch_counter(void);      /* the system counter (CNTPCT) */
uint64_t arch_counter_freq(void); /* its frequency in Hz */
uint64_t arch_irq_save(void);     /* mask IRQs, return the previous state */
void arch_irq_restore(uint64_t flags);
/* Idle until an interrupt arrives: IRQs are opened only inside. */
void arch_idle_wait(void);
uint64_t arch_cpu_mpidr(void);
struct fp_regs;
/* Debian's libfdt uses FP/SIMD registers: callers that may hold a vCPU's FP
 * state in the registers save and restore around it. */
void arch_fp_save(struct fp_regs *fp);
void arch_fp_restore(const struct fp_regs *fp);
__noreturn void arch_halt(void);      /* stop this CPU for good */
void cpu_early_init(unsigned int id); /* TPIDR_EL2 and FP access, before anything */
void cpu_init_el2(void);              /* trap configuration for running guests */
#endif
