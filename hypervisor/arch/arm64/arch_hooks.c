/* arm64 implementation of cloison/arch.h. */
#include <cloison/arch.h>
#include <asm/sysreg.h>

uint64_t arch_counter(void)
{
    return cntpct();
}
uint64_t arch_counter_freq(void)
{
    return read_sysreg(cntfrq_el0);
}
uint64_t arch_irq_save(void)
{
    return local_irq_save();
}
void arch_irq_restore(uint64_t flags)
{
    local_irq_restore(flags);
}
uint64_t arch_cpu_mpidr(void)
{
    return read_sysreg(mpidr_el1) & 0xff00ffffffUL;
}

void arch_smp_wmb(void)
{
    dmb(ishst);
}

void arch_cpu_relax(void)
{
    __asm__ volatile("yield" ::: "memory");
}

__noreturn void arch_halt(void)
{
    local_irq_disable();
    for (;;)
        wfe();
}

/*
 * Called with IRQs masked after the caller found nothing to do. WFI wakes on
 * a pending interrupt even while PSTATE.I masks it, so sleeping first and
 * unmasking afterwards cannot lose a wake-up that arrives between the
 * caller's check and the WFI (unmasking first would let the handler run
 * before the WFI, which would then sleep with the work already queued).
 */
void arch_idle_wait(void)
{
    wfi();
    local_irq_enable();
    isb();
    local_irq_disable();
}
