/*
 * latency: how long this vCPU is kept off its pCPU (tests/integration/
 * test_sched_latency.py, bench/sched.py). Two modes (bootargs):
 *
 *  mode 0 (default), "poll": reads the virtual counter back to back for `ms`
 *   milliseconds of counter time (default 5000), interrupts masked, no trap
 *   of its own. A gap between two reads longer than THRESH_US is time the
 *   vCPU did not run (another vCPU had the pCPU, the hypervisor kept it, or
 *   the host did not run QEMU's thread): the sum is `lost_us`, the longest
 *   `worst_gap_us`. Each millisecond window of the measurement keeps the
 *   longest gap that touched it; `p99_ms_worst_us` is the 99th percentile of
 *   those (a gap spanning windows counts in each).
 *
 *  mode 1, "timer" (bootargs timer=1): the virtual timer is programmed for a
 *   deadline every `period_us` (default 1000) on absolute CVAL values, the
 *   vCPU waits in WFI between them. Lateness = counter at the handler's
 *   first instruction - deadline: `worst_late_us`, `p99_late_us`, and
 *   `misses` (lateness over `margin_us`, default 1000, or a deadline passed
 *   without an interrupt of its own).
 *
 * `wait_ms=N` waits N ms (WFE) before measuring: time for a toolstack to attach
 * to its console (bench/sched.py's run-time pool).
 *
 * Both print `RUN measuring ...` before measuring and at the end `end_us=`
 * (the physical counter in microseconds; QEMU derives it from the host's
 * clock) and `window_us` (the measured span, ending there): the test maps the window onto host time and compares the lost time
 * with the time the host did not run QEMU's vCPU thread (the method is in
 * tests/integration/schedmeasure.py). PASS always; the tests judge.
 */
#include "guest.h"

const char test_name[] = "latency";

#define THRESH_US 10
#define MAX_SLOTS 120000 /* 2 minutes of 1 ms windows, or of 1 ms deadlines */

static uint32_t slot[MAX_SLOTS]; /* poll: worst gap per window; timer: lateness */
static uint64_t freq, voff;

static uint64_t pct_of(uint64_t vct)
{
    return vct + voff;
}

static void poll_mode(uint64_t ms)
{
    uint64_t tick_ms = freq / 1000, thresh = THRESH_US * freq / 1000000;
    uint64_t nwin = ms < MAX_SLOTS ? ms : MAX_SLOTS;
    uint64_t worst = 0, lost = 0, gaps = 0, samples = 0;

    irq_disable();
    test_run("measuring mode=poll ms=%llu thresh_us=%d start_us=%llu", (unsigned long long)nwin,
             THRESH_US, (unsigned long long)ticks_to_us(pct_of(cntvct())));
    /* After the line (console time is not lost time); the exact start is
     * end_us - window_us. */
    uint64_t start = cntvct(), end = start + nwin * tick_ms, prev = start;
    for (uint64_t now = start; now < end; prev = now) {
        now = cntvct();
        uint64_t gap = now - prev;
        uint64_t w = (now - start) / tick_ms;
        samples++;
        if (gap <= thresh) {
            if (w < nwin && gap > slot[w])
                slot[w] = (uint32_t)gap;
            continue;
        }
        lost += gap;
        gaps++;
        if (gap > worst)
            worst = gap;
        uint32_t g = gap > UINT32_MAX ? UINT32_MAX : (uint32_t)gap;
        for (uint64_t i = (prev - start) / tick_ms; i <= w && i < nwin; i++)
            if (g > slot[i])
                slot[i] = g;
    }
    uint64_t stop = prev;
    uint32_t p99 = stats_quantile(slot, nwin, 990);
    test_pass("mode=poll ms=%llu worst_gap_us=%llu p99_ms_worst_us=%llu lost_us=%llu "
              "gaps=%llu samples=%llu window_us=%llu end_us=%llu",
              (unsigned long long)nwin, (unsigned long long)ticks_to_us(worst),
              (unsigned long long)ticks_to_us(p99), (unsigned long long)ticks_to_us(lost),
              (unsigned long long)gaps, (unsigned long long)samples,
              (unsigned long long)ticks_to_us(stop - start),
              (unsigned long long)ticks_to_us(pct_of(stop)));
}

static uint64_t margin;
static struct deadlines clock;
static volatile uint64_t handled, misses, worst_late;

static void on_deadline(unsigned intid)
{
    (void)intid;
    uint64_t passed, late = deadlines_hit(&clock, cntvct(), &passed);
    if (handled < MAX_SLOTS)
        slot[handled] = late > UINT32_MAX ? UINT32_MAX : (uint32_t)late;
    handled++;
    if (late > worst_late)
        worst_late = late;
    misses += (late > margin) + passed;
}

static void timer_mode(uint64_t ms)
{
    uint64_t period_us = bootarg_uint("period_us", 1000);
    uint64_t margin_us = bootarg_uint("margin_us", 1000);
    margin = margin_us * freq / 1000000;
    irq_register(VTIMER_PPI, on_deadline);
    gic_enable_ppi(VTIMER_PPI);
    test_run("measuring mode=timer ms=%llu period_us=%llu margin_us=%llu start_us=%llu",
             (unsigned long long)ms, (unsigned long long)period_us, (unsigned long long)margin_us,
             (unsigned long long)ticks_to_us(pct_of(cntvct())));
    uint64_t start = cntvct(), end = start + ms * (freq / 1000);
    deadlines_start(&clock, period_us * freq / 1000000);
    irq_enable();
    while (cntvct() < end)
        wfi();
    irq_disable();
    vtimer_stop();
    uint64_t stop = cntvct(), n = handled < MAX_SLOTS ? handled : MAX_SLOTS;
    uint32_t p99 = stats_quantile(slot, n, 990);
    test_pass("mode=timer ms=%llu period_us=%llu margin_us=%llu deadlines=%llu misses=%llu "
              "worst_late_us=%llu p99_late_us=%llu window_us=%llu end_us=%llu",
              (unsigned long long)ms, (unsigned long long)period_us, (unsigned long long)margin_us,
              (unsigned long long)handled, (unsigned long long)misses,
              (unsigned long long)ticks_to_us(worst_late), (unsigned long long)ticks_to_us(p99),
              (unsigned long long)ticks_to_us(stop - start),
              (unsigned long long)ticks_to_us(pct_of(stop)));
}

void test_main(void)
{
    freq = cntfrq();
    isb();
    voff = read_sysreg(cntpct_el0) - read_sysreg(cntvct_el0);
    uint64_t ms = bootarg_uint("ms", 5000), wait_ms = bootarg_uint("wait_ms", 0);
    if (wait_ms) {
        /* Idle first (a toolstack attaches to its console meanwhile). */
        test_run("waiting ms=%llu", (unsigned long long)wait_ms);
        uint64_t until = cntvct() + wait_ms * (freq / 1000);
        while (cntvct() < until)
            __asm__ volatile("wfe" ::: "memory");
    }
    if (bootarg_uint("timer", 0))
        timer_mode(ms);
    else
        poll_mode(ms);
}
