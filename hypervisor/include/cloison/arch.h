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
/* Clean [p, p + len) to the point of coherency (the guest may start with
 * its caches off), then invalidate every I-cache (code Cloison loaded). */
void arch_dcache_clean_range(const void *p, size_t len);
void arch_icache_invalidate_all(void);
/* Clean and invalidate [p, p + len) to the point of coherency: what another
 * agent wrote through a cacheable mapping reaches memory, and no stale line
 * is left for when the guest turns its caches on (XEN_DOMCTL_cacheflush). */
void arch_dcache_clean_inval_range(const void *p, size_t len);
/* Zero [p, p + len), whole pages of normal memory: by cache-block zeroing
 * (DC ZVA) where the CPU allows it, one instruction per block instead of
 * eight stores (a domain's RAM at build time: 256 MiB is 32 M stores). */
void arch_zero_pages(void *p, size_t len);
/* Order earlier stores before later ones as other CPUs see them (a guest
 * reading a seqlock-style record Cloison updates). */
void arch_smp_wmb(void);
/* The host physical address a guest VA of the current vCPU maps to, through
 * its stage 1 and stage 2, for a read or a write; 0 if none. */
paddr_t arch_guest_va_to_pa(vaddr_t va, bool write);
/* Its IPA, through stage 1 only (*ok false if stage 1 does not map it). */
ipa_t arch_guest_va_to_ipa(vaddr_t va, bool write, bool *ok);
/* This pCPU's EL2 physical timer (CNTHP), Cloison's own time source:
 * interrupt at cval (CNTPCT terms), or never. */
void hyptimer_program(uint64_t cval);
void hyptimer_stop(void);
__noreturn void arch_halt(void); /* stop this CPU for good */
/* Inside a loop waiting for another CPU: a hint that lets that CPU run
 * where they share a core (SMT, or QEMU's one TCG thread for every vCPU,
 * as under -icount, where a plain spin holds the thread to its budget). */
void arch_cpu_relax(void);
/* pcpus[id] (index, trap stack), TPIDR_EL2 and FP access, before anything. */
void cpu_early_init(unsigned int id);
/* Power on the CPU with this MPIDR as pCPU id: it runs fn(id) on its own
 * stack, MMU off, IRQs masked (fn never returns). Returns the firmware's
 * CPU_ON result (0 = started). */
int64_t cpu_start(uint64_t mpidr, unsigned int id, void (*fn)(unsigned int id));
/* Trap configuration for running guests, on each pCPU; the boot CPU's first
 * call reads what the CPU has. wfx_native (vwfi=native): WFI/WFE do not trap. */
void cpu_init_el2(bool wfx_native);
#endif
