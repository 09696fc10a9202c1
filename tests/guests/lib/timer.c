/* EL1 virtual timer (CNTV_*), delivered as PPI 27. */
#include "guest.h"

#define CNTV_CTL_ENABLE (1u << 0)
#define CNTV_CTL_IMASK (1u << 1)

void vtimer_arm_at(uint64_t cval)
{
    write_sysreg(cntv_cval_el0, cval);
    write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
    isb();
}

void vtimer_stop(void)
{
    write_sysreg(cntv_ctl_el0, CNTV_CTL_IMASK);
    isb();
}

void deadlines_start(struct deadlines *d, uint64_t period)
{
    d->period = period;
    d->next = cntvct() + period;
    vtimer_arm_at(d->next);
}

uint64_t deadlines_hit(struct deadlines *d, uint64_t now, uint64_t *passed)
{
    uint64_t late = now - d->next;
    *passed = 0;
    for (d->next += d->period; d->next <= now; d->next += d->period)
        (*passed)++;
    vtimer_arm_at(d->next);
    return late;
}
