/*
 * yield: SCHEDOP_yield round trips for the context-switch figure of
 * bench/sched.py. Two of these share one pCPU: each yield hands the pCPU to
 * the other domain, which yields back, so one call of either spans two
 * switches between domains and two yield hypercalls. Alone, a yield is the
 * hypercall and the scheduler's decision with no switch. Half the pair's
 * figure less the lone one is the cost of a switch (under -icount:
 * instructions; bench/yieldswitch.py).
 * Bootargs n=N (default 20000). Reports per_yield_milli (CNTVCT ticks per
 * yield, x1000) and cntfrq.
 */
#include "guest.h"

const char test_name[] = "yield";

#define SCHEDOP_yield 0

void test_main(void)
{
    uint64_t n = bootarg_uint("n", 20000);
    test_run("yielding n=%llu", (unsigned long long)n);
    /* A first yield lines the two domains up. */
    xen_hypercall(HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0, 0, 0);
    uint64_t t0 = cntvct();
    for (uint64_t i = 0; i < n; i++) {
        long rc = xen_hypercall(HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0, 0, 0);
        if (rc != 0)
            test_fail("yield ret=%ld", rc);
    }
    uint64_t ticks = cntvct() - t0;
    test_pass("yields=%llu per_yield_milli=%llu cntfrq=%llu", (unsigned long long)n,
              (unsigned long long)(ticks * 1000 / n), (unsigned long long)cntfrq());
}
