/*
 * shutdown_race: one vCPU powers the domain off while the other is in the
 * middle of timer traps. Meant to run with on_poweroff = "restart", hundreds
 * of boots in a row (tests/integration/test_lifetime.py).
 *
 * vCPU 1 loops on writes of CNTP_TVAL_EL0 and CNTP_CTL_EL0 (each one a trap
 * that re-arms the hypervisor's software timer for the emulated EL1 physical
 * timer), half with deadlines short enough that the timer's callback runs at
 * once, half with deadlines that outlive the domain; every other round it
 * also arms the virtual timer and waits in WFI, so the hypervisor turns its
 * virtual timer into a software timer on its pCPU while it is descheduled,
 * and switches it out and in again.
 *
 * vCPU 0 starts vCPU 1, arms its own physical timer far ahead, waits a
 * random 0-3 ms (seeded from the physical counter: different on every boot),
 * then aims: two times in three it waits until vCPU 1 says it is about to
 * trap (a CNTP write, or a WFI), adds a random 0-20 us, and powers the
 * domain off, so the shutdown lands while vCPU 1's trap or switch is under
 * way on the other pCPU; otherwise it powers off at once.
 *
 * One RUN line per boot; nothing else unless something goes wrong (an
 * unexpected exception or interrupt is a FAIL line). The domain never gives
 * a verdict of its own: the test counts boots and watches the hypervisor.
 */
#include "guest.h"

const char test_name[] = "shutdown_race";

#define PTIMER_PPI 30
#define CTL_ENABLE 1u
#define CTL_IMASK 2u
#define MAX_DELAY_US 3000 /* bootargs "max_delay_us=N" to change */
#define MAX_JITTER_US 20

enum { AT_NOTHING, AT_CNTP, AT_WFI }; /* what vCPU 1 is about to do */

static volatile bool started;
static volatile unsigned at; /* AT_* */

static uint64_t cntpct(void)
{
    isb();
    return read_sysreg(cntpct_el0);
}

/* xorshift64 on a caller's state: each vCPU keeps its own. */
static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static uint64_t seed_from_counter(uint64_t salt)
{
    uint64_t s = cntpct() * 0x9E3779B97F4A7C15ULL ^ salt;
    return s ? s : 1;
}

static void on_ptimer(unsigned intid)
{
    (void)intid;
    write_sysreg(cntp_ctl_el0, CTL_IMASK);
    isb();
}

static void on_vtimer(unsigned intid)
{
    (void)intid;
    vtimer_stop();
}

static void say(unsigned what)
{
    __atomic_store_n(&at, what, __ATOMIC_SEQ_CST);
}

void test_secondary(uint64_t context_id)
{
    uint64_t s = seed_from_counter(context_id);
    uint64_t ms = cntfrq() / 1000;

    gic_enable_ppi(PTIMER_PPI);
    gic_enable_ppi(VTIMER_PPI);
    __atomic_store_n(&started, true, __ATOMIC_RELEASE);
    irq_enable();
    for (unsigned i = 0;; i++) {
        uint64_t r = next_rand(&s);
        /* Half the deadlines expire at once (the callback runs), half
         * outlive the domain (the timer is still queued when it dies). */
        uint64_t tval = r & 1 ? 1 + (r >> 8) % 2000 : ms + (r >> 8) % (50 * ms);
        say(AT_CNTP);
        write_sysreg(cntp_tval_el0, tval);
        write_sysreg(cntp_ctl_el0, CTL_ENABLE);
        isb();
        say(AT_NOTHING);
        if (i % 2)
            continue;
        /* Blocked with both timers armed, or only the virtual one. */
        if (r & 2) {
            write_sysreg(cntp_ctl_el0, CTL_IMASK);
            isb();
        }
        vtimer_arm_at(cntvct() + 1 + (r >> 32) % (r & 4 ? 5 * ms : 5000));
        say(AT_WFI);
        wfi();
        say(AT_NOTHING);
    }
}

static void spin_us(uint64_t us)
{
    uint64_t t0 = cntvct(), wait = cntfrq() / 1000000 * us;
    while (cntvct() - t0 < wait)
        ;
}

void test_main(void)
{
    if (plat.cpu_count < 2)
        test_fail("needs 2 vCPUs, DT has %u", plat.cpu_count);
    uint64_t s = seed_from_counter(0x5eed);
    uint64_t freq = cntfrq();
    uint64_t max_us = bootarg_uint("max_delay_us", MAX_DELAY_US);
    uint64_t delay_us = next_rand(&s) % (max_us ? max_us : 1);
    unsigned aim = (unsigned)(next_rand(&s) % 3); /* AT_NOTHING: no aiming */

    irq_register(PTIMER_PPI, on_ptimer);
    irq_register(VTIMER_PPI, on_vtimer);
    test_run("boot delay_us=%llu aim=%u", (unsigned long long)delay_us, aim);
    long rc = psci_call(PSCI_CPU_ON64, plat.cpu_mpidr[1], (uintptr_t)secondary_entry, s);
    if (rc != 0)
        test_fail("CPU_ON ret=%ld", rc);
    for (uint64_t t0 = cntvct(); !__atomic_load_n(&started, __ATOMIC_ACQUIRE);)
        if (cntvct() - t0 > 5 * freq)
            test_fail("vCPU 1 did not start in 5 s");
    /* This vCPU dies with its own software timer armed, too. */
    write_sysreg(cntp_tval_el0, (uint32_t)freq);
    write_sysreg(cntp_ctl_el0, CTL_ENABLE);
    isb();
    spin_us(delay_us);
    if (aim != AT_NOTHING) {
        /* vCPU 1 may be descheduled for a while: give up after 100 ms. */
        for (uint64_t t0 = cntvct(); cntvct() - t0 < freq / 10;)
            if (__atomic_load_n(&at, __ATOMIC_SEQ_CST) == aim)
                break;
        spin_us(next_rand(&s) % MAX_JITTER_US);
    }
    domain_poweroff();
}
