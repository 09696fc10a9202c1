/*
 * timer: 100 virtual-timer interrupts at 100 Hz, programmed as absolute
 * deadlines (CVAL) so lateness does not accumulate. PASS requires that no
 * interrupt arrives before its deadline, and that all 100 arrive within 1.5 s
 * of CNTVCT time: the last deadline is at 1 s, and QEMU's counter follows the
 * host clock, so a loaded host makes every hypervisor late (worst lateness is
 * reported for the record).
 */
#include "guest.h"

const char test_name[] = "timer";

#define HZ 100
#define TICKS 100

static uint64_t period, start;
static volatile unsigned count;
static volatile uint64_t early, worst_late;

static void on_tick(unsigned intid)
{
    uint64_t now = cntvct();
    uint64_t deadline = start + (uint64_t)(count + 1) * period;

    if (now < deadline)
        early++;
    else if (now - deadline > worst_late)
        worst_late = now - deadline;
    count++;
    if (count < TICKS)
        vtimer_arm_at(deadline + period);
    else
        vtimer_stop();
}

void test_main(void)
{
    uint64_t freq = cntfrq();

    if (!freq)
        test_fail("CNTFRQ_EL0 is 0");
    period = freq / HZ;
    irq_register(VTIMER_PPI, on_tick);
    gic_enable_ppi(VTIMER_PPI);
    start = cntvct();
    vtimer_arm_at(start + period);
    irq_enable();
    /* Give up after 5 s of counter time: a missing interrupt must not hang. */
    while (count < TICKS && cntvct() - start < 5 * freq)
        wfi();
    irq_disable();
    uint64_t elapsed = cntvct() - start;
    uint64_t late_ms = worst_late * 1000 / freq;

    if (count != TICKS)
        test_fail("ticks=%u expected=%d in %llu ms", count, TICKS,
                  (unsigned long long)(elapsed * 1000 / freq));
    if (early)
        test_fail("early=%llu interrupts before their deadline", (unsigned long long)early);
    /* The last deadline is exactly 1 s; allow 500 ms of emulation lateness. */
    if (elapsed > freq + freq / 2)
        test_fail("ticks=%u took %llu ms", count, (unsigned long long)(elapsed * 1000 / freq));
    test_pass("ticks=%u hz=%d early=0 elapsed_ms=%llu worst_late_ms=%llu", count, HZ,
              (unsigned long long)(elapsed * 1000 / freq), (unsigned long long)late_ms);
}
