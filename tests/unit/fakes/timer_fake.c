/* The counter and EL2 timers under core/timer.c: see fakes/timer_fake.h. */
#include <string.h>
#include <cloison/arch.h>
#include <core/timer.h>
#include "timer_fake.h"

uint64_t fake_counter;
_Thread_local unsigned int fake_cpu;
uint64_t fake_hyptimer[MAX_PCPUS];
unsigned int fake_hyptimer_writes[MAX_PCPUS];
struct pcpu pcpus[MAX_PCPUS];
unsigned int nr_pcpus = 2;
_Thread_local void *fake_cpu_local = &pcpus[0];

void fake_set_cpu(unsigned int cpu)
{
    pcpus[cpu].id = cpu;
    fake_cpu = cpu;
    fake_cpu_local = &pcpus[cpu];
}

void fake_timer_reset(void)
{
    fake_counter = 0;
    fake_set_cpu(0);
    for (unsigned int i = 0; i < MAX_PCPUS; i++)
        fake_hyptimer[i] = FAKE_HYPTIMER_OFF;
    memset(fake_hyptimer_writes, 0, sizeof(fake_hyptimer_writes));
}

uint64_t arch_counter(void)
{
    return fake_counter;
}

uint64_t arch_counter_freq(void)
{
    return FAKE_TIMER_FREQ;
}

/* Each pCPU programs only its own timer. */
void hyptimer_program(uint64_t cval)
{
    fake_hyptimer[fake_cpu] = cval;
    fake_hyptimer_writes[fake_cpu]++;
}

void hyptimer_stop(void)
{
    fake_hyptimer[fake_cpu] = FAKE_HYPTIMER_OFF;
    fake_hyptimer_writes[fake_cpu]++;
}
