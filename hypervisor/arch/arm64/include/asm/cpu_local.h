/*
 * The running pCPU's own data: TPIDR_EL2 holds a pointer to it, set once by
 * cpu_early_init, so reaching it costs one register read and no lookup.
 */
#ifndef ASM_CPU_LOCAL_H
#define ASM_CPU_LOCAL_H

static inline void *arch_cpu_local(void)
{
    void *p;
    __asm__ volatile("mrs %0, tpidr_el2" : "=r"(p));
    return p;
}

#endif
