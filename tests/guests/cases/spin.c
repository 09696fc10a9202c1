/*
 * spin: announce, then spin forever with interrupts masked on every vCPU the
 * domain has (a CPU hog for isolation tests; with N vCPUs, the hostile
 * neighbour of tests/integration/test_sched_latency.py). vCPU 0 starts the
 * others with PSCI CPU_ON; each masks its interrupts and never traps again.
 */
#include "guest.h"

const char test_name[] = "spin";

static void spin_forever(void)
{
    irq_disable();
    for (;;)
        __asm__ volatile("" ::: "memory");
}

void test_secondary(uint64_t context_id)
{
    (void)context_id;
    spin_forever();
}

void test_main(void)
{
    unsigned started = 1;
    for (unsigned i = 1; i < plat.cpu_count; i++)
        if (psci_call(PSCI_CPU_ON64, plat.cpu_mpidr[i], (uintptr_t)secondary_entry, i) == 0)
            started++;
    test_run("spinning with interrupts masked vcpus=%u", started);
    spin_forever();
}
