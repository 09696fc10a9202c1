/*
 * idle: a domain that stays up without using its pCPU: one RUN line, then
 * WFI forever with the virtual timer waking it once a second. Keeps a machine
 * running (Cloison powers off when no domain is left) beside domains that
 * come and go.
 */
#include "guest.h"

const char test_name[] = "idle";

static uint64_t period, next;

static void on_tick(unsigned intid)
{
    (void)intid;
    next += period;
    vtimer_arm_at(next);
}

void test_main(void)
{
    period = cntfrq();
    irq_register(VTIMER_PPI, on_tick);
    gic_enable_ppi(VTIMER_PPI);
    test_run("waiting");
    next = cntvct() + period;
    vtimer_arm_at(next);
    irq_enable();
    for (;;)
        wfi();
}
