/* Verdict lines ("TEST <case> PASS|FAIL|RUN ...") and the end of a guest's life. */
#include <stdarg.h>
#include <lib/printf.h>

#include "guest.h"

static void verdict(const char *status, const char *fmt, va_list ap)
{
    char buf[200];

    vsnprintf(buf, sizeof(buf), fmt, ap);
    /* One console_write per line so lines from two vCPUs never interleave. */
    char line[256];
    int n = snprintf(line, sizeof(line), "TEST %s %s %s\n", test_name, status, buf);

    if (n > 0)
        console_write(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

void domain_poweroff(void)
{
    long rc = sched_shutdown(SHUTDOWN_poweroff);

    /* Still here: the hypervisor refused. Say so, then stop this vCPU. */
    gprintf("TEST %s FAIL poweroff returned %ld\n", test_name, rc);
    irq_disable();
    for (;;)
        wfi();
}

void test_pass(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    verdict("PASS", fmt, ap);
    va_end(ap);
    domain_poweroff();
}

void test_fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    verdict("FAIL", fmt, ap);
    va_end(ap);
    domain_poweroff();
}

void test_run(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    verdict("RUN", fmt, ap);
    va_end(ap);
}

/* libfdt.a is built with -fstack-protector: give it the two symbols it needs. */
uintptr_t __stack_chk_guard = 0x5a17c0de5a17c0deull;
void __stack_chk_fail(void);
void __stack_chk_fail(void)
{
    test_fail("stack smashing detected");
}
