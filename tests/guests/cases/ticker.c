/*
 * ticker: one of thousands of small domains sharing a machine
 * (tests/integration/test_scale.py, bench/scale.py). Its virtual timer ticks
 * every PERIOD_S seconds; each tick makes a hypercall (xen_version), and
 * every LINE_EVERY ticks the guest prints a RUN line with the ticks it saw,
 * so a starved domain shows as one whose lines stop or fall behind. After
 * LIFE_TICKS ticks of its own, and once the machine's physical counter has
 * passed `until=S` seconds (bootargs; 0 by default), it passes (with the
 * seconds it lived since its first line, `life_s`) and powers off, which lets the test check that every domain's memory comes back. The
 * common deadline keeps all domains alive together however long the boot
 * of the last one takes (the physical counter is the machine's, not the
 * domain's: CNTHCTL_EL2.EL1PCTEN lets guests read it).
 *
 * A tick handled late (thousands of vCPUs on a few pCPUs) re-arms the timer a
 * period from now, not from the missed deadline: an overloaded machine sees
 * fewer ticks, never a burst of catch-up ones from every domain at once.
 */
#include "guest.h"

const char test_name[] = "ticker";

#define PERIOD_S 4
#define LINE_EVERY 2
#define LIFE_TICKS 8

static uint64_t period, next, until;
static volatile unsigned ticks, hypercalls;

static void on_tick(unsigned intid)
{
    (void)intid;
    ticks++;
    if (xen_hypercall(HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0) > 0)
        hypercalls++;
    next += period;
    uint64_t now = cntvct();
    if (next < now)
        next = now + period;
    vtimer_arm_at(next);
}

void test_main(void)
{
    period = PERIOD_S * cntfrq();
    until = bootarg_uint("until", 0) * cntfrq();
    irq_register(VTIMER_PPI, on_tick);
    gic_enable_ppi(VTIMER_PPI);
    test_run("ticking");
    uint64_t born = cntvct();
    next = born + period;
    vtimer_arm_at(next);
    irq_enable();
    unsigned shown = 0;
    while (ticks < LIFE_TICKS || read_sysreg(cntpct_el0) < until) {
        wfi();
        unsigned t = ticks;
        if (t / LINE_EVERY != shown / LINE_EVERY) {
            shown = t;
            test_run("ticks=%u", t);
        }
    }
    irq_disable();
    if (hypercalls != ticks)
        test_fail("ticks=%u hypercalls=%u", ticks, hypercalls);
    else /* life_s: its own count of its life, which console lag cannot stretch */
        test_pass("ticks=%u life_s=%llu", ticks,
                  (unsigned long long)((cntvct() - born) / cntfrq()));
}
