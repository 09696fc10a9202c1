/*
 * Verdict lines ("TEST <case> PASS|FAIL|RUN ..."), shared by the 64-bit and
 * the AArch32 guest libraries (report.h): each gives console_write() and
 * domain_poweroff().
 */
#include <stdarg.h>
#include <lib/printf.h>

#include "report.h"

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
