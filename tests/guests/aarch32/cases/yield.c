/*
 * yield (AArch32): tests/guests/cases/yield.c for a 32-bit domain,
 * SCHEDOP_yield through HVC #0xEA1 with the number in r12, in the same keys.
 * Two of these on one pCPU hand it to each other, so one yield spans two
 * switches between AArch32 domains (each needing the EL1 trampoline that
 * carries QEMU's live SPSR, docs/DESIGN.md); alone, a yield switches nothing.
 * pair / 2 - alone is the cost of a switch (bench/yieldswitch.py). The 32-bit
 * library reads no bootargs: YIELDS is fixed, the 64-bit guest's default.
 * per_yield_milli is in CNTVCT ticks (x1000).
 */
#include "guest32.h"

GUEST32_NAME("yield");

#define SCHEDOP_yield 0
#define YIELDS 20000

void test_main(void)
{
    test_run("yielding n=%d", YIELDS);
    /* A first yield lines the two domains up. */
    xen_hypercall(HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0, 0, 0);
    uint64_t t0 = cntvct();
    for (unsigned int i = 0; i < YIELDS; i++) {
        long rc = xen_hypercall(HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0, 0, 0);
        if (rc != 0)
            test_fail("yield %u ret=%ld", i, rc);
    }
    uint64_t ticks = cntvct() - t0;
    test_pass("yields=%d per_yield_milli=%llu cntfrq=%u", YIELDS,
              (unsigned long long)(ticks * 1000 / YIELDS), cntfrq());
}
