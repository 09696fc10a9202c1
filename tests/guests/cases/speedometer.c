/*
 * speedometer: the critical periodic task of the isolation scenario
 * (tests/integration/test_sched_latency.py, `make run DEMO=speedometer`).
 *
 * A deadline every `period_ms` (bootargs, default 10) on absolute virtual
 * timer values; the interrupt handler "samples the wheel" and is late by
 * (counter at its first instruction - deadline). Lateness over `margin_us`
 * (default 2000), or a deadline that passed with no interrupt of its own, is
 * a missed deadline. Between deadlines the vCPU computes (reads the counter
 * back to back with interrupts enabled, as latency.c's poll mode), so it
 * never idles: QEMU's thread for its pCPU is always runnable, and any time
 * the host did not run that thread is visible from the host (the test's
 * correction, tests/integration/schedmeasure.py). Gaps over 10 us in that
 * loop are time lost (`lost_us`).
 *
 * Every second (of deadlines) one line:
 *   TEST speedometer RUN sec=N kmh=K deadlines=D missed=M worst_late_us=W
 *       lost_us=L total_missed=T end_us=P
 * (this second's figures; kmh is a made-up speed profile for the demo). With
 * `seconds=S` it passes after S seconds with the totals; 0 (default) runs for
 * ever.
 */
#include "guest.h"

const char test_name[] = "speedometer";

#define THRESH_US 10

static uint64_t freq, voff, margin, per_sec;
static struct deadlines clock;
static volatile uint64_t deadlines, missed, worst_late, sec_missed, sec_deadlines;
static volatile bool report_due;

static void on_deadline(unsigned intid)
{
    (void)intid;
    uint64_t passed, late = deadlines_hit(&clock, cntvct(), &passed);
    deadlines += 1 + passed;
    sec_deadlines += 1 + passed;
    if (late > worst_late)
        worst_late = late;
    sec_missed += (late > margin) + passed;
    if (sec_deadlines >= per_sec)
        report_due = true;
}

/* A speed that rises to 130 km/h and back every minute: something to watch. */
static unsigned kmh_at(uint64_t sec)
{
    unsigned t = (unsigned)(sec % 60);
    return t < 30 ? t * 130 / 30 : (60 - t) * 130 / 30;
}

void test_main(void)
{
    freq = cntfrq();
    isb();
    voff = read_sysreg(cntpct_el0) - read_sysreg(cntvct_el0);
    uint64_t period_ms = bootarg_uint("period_ms", 10);
    uint64_t margin_us = bootarg_uint("margin_us", 2000);
    uint64_t seconds = bootarg_uint("seconds", 0);
    if (period_ms == 0 || period_ms > 1000)
        test_fail("period_ms=%llu (1..1000)", (unsigned long long)period_ms);
    margin = margin_us * freq / 1000000;
    per_sec = 1000 / period_ms;
    uint64_t thresh = THRESH_US * freq / 1000000;
    uint64_t total_missed = 0, worst_ever = 0, lost = 0, lost_total = 0;

    irq_register(VTIMER_PPI, on_deadline);
    gic_enable_ppi(VTIMER_PPI);
    test_run("driving period_ms=%llu margin_us=%llu seconds=%llu", (unsigned long long)period_ms,
             (unsigned long long)margin_us, (unsigned long long)seconds);
    deadlines_start(&clock, period_ms * freq / 1000);
    uint64_t prev = cntvct();
    irq_enable();
    for (uint64_t sec = 1;;) {
        uint64_t now = cntvct(), gap = now - prev;
        prev = now;
        if (gap > thresh)
            lost += gap;
        if (!report_due)
            continue;
        irq_disable();
        uint64_t d = sec_deadlines, m = sec_missed, w = worst_late;
        sec_deadlines = sec_missed = worst_late = 0;
        report_due = false;
        irq_enable();
        total_missed += m;
        if (w > worst_ever)
            worst_ever = w;
        lost_total += lost;
        test_run("sec=%llu kmh=%u deadlines=%llu missed=%llu worst_late_us=%llu lost_us=%llu "
                 "total_missed=%llu end_us=%llu",
                 (unsigned long long)sec, kmh_at(sec), (unsigned long long)d, (unsigned long long)m,
                 (unsigned long long)ticks_to_us(w), (unsigned long long)ticks_to_us(lost),
                 (unsigned long long)total_missed, (unsigned long long)ticks_to_us(now + voff));
        lost = 0;
        if (seconds && sec >= seconds) {
            irq_disable();
            vtimer_stop();
            test_pass("seconds=%llu deadlines=%llu missed=%llu worst_late_us=%llu lost_us=%llu",
                      (unsigned long long)sec, (unsigned long long)deadlines,
                      (unsigned long long)total_missed, (unsigned long long)ticks_to_us(worst_ever),
                      (unsigned long long)ticks_to_us(lost_total));
        }
        sec++;
        prev = cntvct(); /* the line's console time is not lost time */
    }
}
