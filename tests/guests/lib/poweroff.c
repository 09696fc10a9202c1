/* The end of a 64-bit guest's life (report.h), and libfdt's stack guard. */
#include "guest.h"

void domain_poweroff(void)
{
    long rc = sched_shutdown(SHUTDOWN_poweroff);

    /* Still here: the hypervisor refused. Say so, then stop this vCPU. */
    gprintf("TEST %s FAIL poweroff returned %ld\n", test_name, rc);
    irq_disable();
    for (;;)
        wfi();
}

/* libfdt.a is built with -fstack-protector: give it the two symbols it needs. */
uintptr_t __stack_chk_guard = 0x5a17c0de5a17c0deull;
void __stack_chk_fail(void);
void __stack_chk_fail(void)
{
    test_fail("stack smashing detected");
}
