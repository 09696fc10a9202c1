/*
 * ptimer: the EL1 physical timer (CNTP_*, PPI 30), which hypervisors emulate.
 * Phase 1: 50 interrupts at 100 Hz on absolute CVAL deadlines. Phase 2: 50
 * more, each programmed as a relative TVAL of one period. Every interrupt
 * must arrive no earlier than its deadline (CNTPCT), with CNTP_CTL.ISTATUS
 * set; a TVAL read back after programming must lie within one period; the
 * CVAL phase must take at most 1 s (0.5 s of deadlines + emulation slack).
 * The guest waits in WFI, so the interrupt must also wake a blocked vCPU.
 */
#include "guest.h"

const char test_name[] = "ptimer";

#define PTIMER_PPI 30
#define HZ 100
#define PER_PHASE 50
#define CTL_ENABLE 1u
#define CTL_IMASK 2u
#define CTL_ISTATUS 4u

static uint64_t period, start;
static uint64_t deadline; /* of the interrupt we wait for */
static volatile unsigned count;
static volatile unsigned early, no_istatus, bad_tval;
static volatile uint64_t worst_late;

static inline uint64_t cntpct(void)
{
    isb();
    return read_sysreg(cntpct_el0);
}

static void arm_cval(uint64_t cval)
{
    deadline = cval;
    write_sysreg(cntp_cval_el0, cval);
    write_sysreg(cntp_ctl_el0, CTL_ENABLE);
    isb();
}

static void arm_tval(uint32_t ticks)
{
    uint64_t before = cntpct();

    write_sysreg(cntp_tval_el0, ticks);
    write_sysreg(cntp_ctl_el0, CTL_ENABLE);
    isb();
    deadline = before + ticks; /* at the earliest: the count was >= before */
    uint64_t tval = read_sysreg(cntp_tval_el0);
    bool expired = read_sysreg(cntp_ctl_el0) & CTL_ISTATUS; /* then TVAL is negative */
    if (!expired && (tval == 0 || tval > ticks))            /* counts down from at most ticks */
        bad_tval++;
}

static void stop(void)
{
    write_sysreg(cntp_ctl_el0, CTL_IMASK);
    isb();
}

static void on_tick(unsigned intid)
{
    uint64_t now = cntpct();

    if (!(read_sysreg(cntp_ctl_el0) & CTL_ISTATUS))
        no_istatus++;
    if (now < deadline)
        early++;
    else if (now - deadline > worst_late)
        worst_late = now - deadline;
    count++;
    if (count < PER_PHASE)
        arm_cval(start + (uint64_t)(count + 1) * period);
    else if (count < 2 * PER_PHASE)
        arm_tval((uint32_t)period);
    else
        stop();
}

void test_main(void)
{
    uint64_t freq = cntfrq();

    if (!freq)
        test_fail("CNTFRQ_EL0 is 0");
    period = freq / HZ;
    irq_register(PTIMER_PPI, on_tick);
    gic_enable_ppi(PTIMER_PPI);
    start = cntpct();
    arm_cval(start + period);
    irq_enable();
    uint64_t cval_done = 0;
    while (count < 2 * PER_PHASE && cntpct() - start < 5 * freq) {
        wfi();
        if (!cval_done && count >= PER_PHASE)
            cval_done = cntpct();
    }
    irq_disable();
    uint64_t elapsed = cntpct() - start;
    unsigned long long ms = elapsed * 1000 / freq;

    if (count != 2 * PER_PHASE)
        test_fail("ticks=%u expected=%d in %llu ms", count, 2 * PER_PHASE, ms);
    if (early)
        test_fail("early=%u interrupts before their deadline", early);
    if (no_istatus)
        test_fail("istatus_missing=%u", no_istatus);
    if (bad_tval)
        test_fail("bad_tval=%u TVAL read back outside (0, period]", bad_tval);
    if (cval_done - start > freq)
        test_fail("cval phase took %llu ms",
                  (unsigned long long)((cval_done - start) * 1000 / freq));
    test_pass("ticks=%u hz=%d early=0 istatus=1 tval_ok=1 elapsed_ms=%llu worst_late_ms=%llu",
              count, HZ, ms, (unsigned long long)(worst_late * 1000 / freq));
}
