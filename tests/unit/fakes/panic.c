/*
 * Host unit tests and fuzzers: panic() (so also a failed ASSERT) prints its
 * message and aborts, which the harness, ASan and libFuzzer all report.
 * Linked into every host test binary by tests/unit/build.mk.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <cloison/printk.h>

void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("PANIC: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}
