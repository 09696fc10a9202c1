/*
 * smp: PSCI CPU_ON (SMC32 function id, over HVC #0) starts every other
 * vCPU in SVC mode at an A32 entry with its context id in r0; each reports
 * in and turns itself off (CPU_OFF); CPU_ON of a vCPU that does not exist is
 * INVALID_PARAMETERS.
 */
#include "guest32.h"

GUEST32_NAME("smp");

static volatile uint32_t seen[GUEST32_MAX_CPUS];

void test_secondary(unsigned int cpu, uint32_t cpsr)
{
    uint32_t mpidr = MRC(0, 0, 0, 5);
    seen[cpu & 3] = 0x100 | ((mpidr & 0xff) << 16) | (cpsr & 0xff);
    __asm__ volatile("dsb" ::: "memory");
}

void test_main(void)
{
    unsigned int n = 1;

    for (unsigned int cpu = 1; cpu < GUEST32_MAX_CPUS; cpu++) {
        long rc = smccc_hvc(PSCI_CPU_ON, cpu, (uint32_t)secondary_entry, cpu);
        if (rc == PSCI_INVALID_PARAMETERS)
            break;
        if (rc != 0)
            test_fail("CPU_ON %u returned %ld", cpu, rc);
        n++;
    }
    uint64_t end = cntvct() + (uint64_t)cntfrq() * 10;
    for (unsigned int cpu = 1; cpu < n; cpu++) {
        while (!seen[cpu])
            if (cntvct() > end)
                test_fail("cpu %u never reported", cpu);
        uint32_t s = seen[cpu];
        if ((s & 0x1f) != 0x13 || (s & 0x20) || ((s >> 16) & 0xff) != cpu)
            test_fail("cpu %u: cpsr 0x%x mpidr aff0 %u", cpu, s & 0xff, (s >> 16) & 0xff);
    }
    if (n < 2)
        test_fail("only one vCPU");
    test_pass("cpus=%u", n);
}
