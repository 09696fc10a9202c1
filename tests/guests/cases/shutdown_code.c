/*
 * shutdown_code: Xen's rule for the reason a shutdown acts on (issue 9,
 * finding 5). The first reason given, by SCHEDOP_shutdown_code or by a
 * shutdown, is latched; later ones change nothing. Meant to run with
 * on_reboot = "restart" and on_poweroff / on_crash = "destroy", many boots
 * in a row (tests/integration/test_shutdown.py).
 *
 * vCPU 0 starts vCPU 1, latches "reboot" with SCHEDOP_shutdown_code, then
 * both vCPUs at once: vCPU 0 shuts the domain down for "poweroff" while
 * vCPU 1 sets the code "crash" and shuts it down for "crash". Whatever the
 * interleaving, the hypervisor must act on "reboot" (restart it): the test
 * fails on any other action. One RUN line per boot.
 */
#include "guest.h"

const char test_name[] = "shutdown_code";

#define SCHEDOP_shutdown_code 5
#define SHUTDOWN_crash 3

static volatile bool ready, go;

/* A shutdown that returns 0 lost the race to the other vCPU's (the domain is
 * already going down, as on Xen): wait to be stopped. */
static void shutdown_for(uint32_t reason);

/* The argument on the caller's own stack: two vCPUs call at once. */
static long sched_op_reason(unsigned cmd, uint32_t reason)
{
    volatile uint32_t arg = reason; /* struct sched_shutdown */
    return xen_hypercall(HYPERVISOR_sched_op, cmd, (uintptr_t)&arg, 0, 0, 0);
}

static void shutdown_for(uint32_t reason)
{
    long rc = sched_op_reason(SCHEDOP_shutdown, reason);
    if (rc != 0)
        test_fail("SCHEDOP_shutdown(%u) rc=%ld", reason, rc);
    irq_disable();
    for (;;)
        wfi();
}

void test_secondary(uint64_t context_id)
{
    (void)context_id;
    __atomic_store_n(&ready, true, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
        ;
    long rc = sched_op_reason(SCHEDOP_shutdown_code, SHUTDOWN_crash);
    if (rc != 0)
        test_fail("vCPU 1: shutdown_code(crash) rc=%ld", rc);
    shutdown_for(SHUTDOWN_crash);
}

void test_main(void)
{
    if (plat.cpu_count < 2)
        test_fail("needs 2 vCPUs, DT has %u", plat.cpu_count);
    test_run("boot code=reboot then poweroff (v0) and crash (v1)");
    long rc = psci_call(PSCI_CPU_ON64, plat.cpu_mpidr[1], (uintptr_t)secondary_entry, 0);
    if (rc != 0)
        test_fail("CPU_ON ret=%ld", rc);
    uint64_t t0 = cntvct();
    while (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE))
        if (cntvct() - t0 > 5 * cntfrq())
            test_fail("vCPU 1 did not start in 5 s");
    rc = sched_op_reason(SCHEDOP_shutdown_code, SHUTDOWN_reboot);
    if (rc != 0)
        test_fail("shutdown_code(reboot) rc=%ld", rc);
    __atomic_store_n(&go, true, __ATOMIC_RELEASE);
    shutdown_for(SHUTDOWN_poweroff);
}
