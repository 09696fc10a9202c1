/*
 * foreign_target: the domain whose RAM dom0 maps (tests/integration/
 * test_dom0_foreign.py, dom0 running tests/dom0/xen_foreign.c). One page holds
 * "CLOISON-FOREIGN <its gfn in hex>"; the guest prints that GFN, then waits
 * (timer interrupts + WFI, so it leaves the pCPU to dom0) for dom0 to write
 * "DOM0-WAS-HERE" at offset 2048 of the same page. PASS then powers this
 * domain off, which destroys it while dom0 still has the page mapped.
 * The stage-1 map is the identity (lib/mmu.c), so a buffer's VA is its IPA.
 */
#include <lib/printf.h>

#include "guest.h"

const char test_name[] = "foreign_target";

#define PAGE 4096u
#define REPLY_OFFSET 2048u
#define REPLY "DOM0-WAS-HERE"
#define POLL_HZ 20
/* dom0 boots Debian's kernel under TCG meanwhile: minutes, not seconds. */
#define WAIT_SECONDS 600

static volatile char page[PAGE] __attribute__((aligned(PAGE)));
static volatile unsigned ticks;
static uint64_t period, next;

/* Periodic: always re-armed here, so a tick just before the WFI is never lost. */
static void on_tick(unsigned intid)
{
    ticks++;
    next += period;
    vtimer_arm_at(next);
}

/* Read through volatile: the page is written by another domain. */
static bool reply_seen(void)
{
    for (size_t i = 0; i < sizeof(REPLY); i++) /* with its NUL */
        if (page[REPLY_OFFSET + i] != REPLY[i])
            return false;
    return true;
}

void test_main(void)
{
    uint64_t gfn = (uintptr_t)page / PAGE;
    char text[64];

    int n = snprintf(text, sizeof(text), "CLOISON-FOREIGN %llx", (unsigned long long)gfn);
    for (int i = 0; i <= n; i++) /* with its NUL */
        page[i] = text[i];
    dsb_sy();
    test_run("gfn=0x%llx", (unsigned long long)gfn);

    uint64_t freq = cntfrq(), t0 = cntvct();
    period = freq / POLL_HZ;
    next = t0 + period;
    irq_register(VTIMER_PPI, on_tick);
    gic_enable_ppi(VTIMER_PPI);
    vtimer_arm_at(next);
    irq_enable();
    while (!reply_seen()) {
        if (cntvct() - t0 > WAIT_SECONDS * freq)
            test_fail("no reply at offset %u within %u s (ticks=%u)", REPLY_OFFSET, WAIT_SECONDS,
                      ticks);
        wfi();
    }
    irq_disable();
    vtimer_stop();
    /* dom0 wrote only at REPLY_OFFSET: our own string must be untouched. */
    for (int i = 0; i <= n; i++)
        if (page[i] != text[i])
            test_fail("own string changed at offset %d", i);
    test_pass("reply=" REPLY);
}
