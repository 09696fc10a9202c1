/*
 * asm/counter.h for host builds: the counter is the fakes' arch_counter()
 * (the time a test sets), not a CNTPCT read.
 */
#ifndef ASM_COUNTER_H
#define ASM_COUNTER_H
#include <cloison/types.h>

uint64_t arch_counter(void);

static inline uint64_t arch_counter_inline(void)
{
    return arch_counter();
}

#endif
