/*
 * The clock under core/timer.c for host tests (fakes/timer_fake.c): a
 * counter the test sets, each pCPU's EL2 timer as the value last programmed,
 * and the pCPU the code believes it runs on (fakes/arch/asm/cpu_local.h),
 * one per host thread, so threads can play pCPUs at once (with
 * fakes/lock_threads.c); panic() aborts the test (fakes/panic.c).
 */
#ifndef TESTS_UNIT_FAKES_TIMER_FAKE_H
#define TESTS_UNIT_FAKES_TIMER_FAKE_H

#include <cloison/percpu.h>
#include <cloison/types.h>

#define FAKE_TIMER_FREQ 62500000ULL /* arch_counter_freq(): QEMU virt's 62.5 MHz */
#define FAKE_HYPTIMER_OFF UINT64_MAX

extern uint64_t fake_counter;                        /* arch_counter() */
extern _Thread_local unsigned int fake_cpu;          /* this_cpu_id(), per thread */
extern uint64_t fake_hyptimer[MAX_PCPUS];            /* CVAL programmed, or FAKE_HYPTIMER_OFF */
extern unsigned int fake_hyptimer_writes[MAX_PCPUS]; /* program + stop calls */

/* Counter 0, pCPU 0, every EL2 timer off. */
void fake_timer_reset(void);
/* From now on the code on this thread runs on pCPU cpu. */
void fake_set_cpu(unsigned int cpu);

#endif
