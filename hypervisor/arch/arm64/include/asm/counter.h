/*
 * The system counter read in place: arch_counter() (cloison/arch.h) without
 * the call, for the few places on every exit (the EL2 stretch statistic)
 * where the call would cost a stack frame in an otherwise leaf function.
 */
#ifndef ASM_COUNTER_H
#define ASM_COUNTER_H
#include <cloison/types.h>

static inline uint64_t arch_counter_inline(void)
{
    uint64_t t;
    /* The ISB keeps the read from being taken early, as cntpct() does. */
    __asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(t) : : "memory");
    return t;
}

#endif
