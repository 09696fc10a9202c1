/*
 * exhaust_console: floods HYPERVISOR_console_io from 2 vCPUs for `flood_ms`
 * of counter time (default 1500) (tests/integration/test_exhaustion.py).
 * Each line is "TEST exhaust_console RUN flood v<vCPU> <n> xxx...", 200 bytes,
 * numbered, so the test can count what got through against the rate limit;
 * console_io must return 0 (Xen's) for every write, shown or dropped. Then a
 * quiet 300 ms (the rate limit's bucket refills) and
 * PASS lines=L bytes=B elapsed_ms=T (then power-off: the test restarts the
 * domain, whose flood must be limited the same way).
 */
#include "guest.h"
#include <lib/printf.h>

const char test_name[] = "exhaust_console";

#define LINE 200

static volatile bool go, done[2];
static volatile uint64_t end_at;
static volatile uint64_t lines[2];

static void flood(unsigned me)
{
    char buf[LINE + 1];
    uint64_t n = 0;
    while (cntvct() < end_at) {
        int len = snprintf(buf, sizeof(buf), "TEST %s RUN flood v%u %llu ", test_name, me,
                           (unsigned long long)n);
        while (len < LINE - 1)
            buf[len++] = 'x';
        buf[len++] = '\n';
        long rc = console_io_write(buf, (size_t)len);
        if (rc != 0)
            test_fail("console_io returned %ld on line %llu of v%u", rc, (unsigned long long)n, me);
        n++;
    }
    lines[me] = n;
    __atomic_store_n(&done[me], true, __ATOMIC_RELEASE);
}

void test_secondary(uint64_t context_id)
{
    (void)context_id;
    while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
        ;
    flood(1);
}

static void wait_ms(uint64_t ms)
{
    uint64_t end = cntvct() + cntfrq() / 1000 * ms;
    while (cntvct() < end)
        ;
}

void test_main(void)
{
    if (plat.cpu_count < 2)
        test_fail("needs 2 vCPUs, DT has %u", plat.cpu_count);
    long rc = psci_call(PSCI_CPU_ON64, plat.cpu_mpidr[1], (uintptr_t)secondary_entry, 0);
    if (rc != 0)
        test_fail("CPU_ON ret=%ld", rc);
    uint64_t t0 = cntvct();
    end_at = t0 + cntfrq() / 1000 * bootarg_uint("flood_ms", 1500);
    __atomic_store_n(&go, true, __ATOMIC_RELEASE);
    flood(0);
    while (!__atomic_load_n(&done[1], __ATOMIC_ACQUIRE))
        ;
    uint64_t elapsed_ms = (cntvct() - t0) * 1000 / cntfrq();
    wait_ms(300);
    uint64_t n = lines[0] + lines[1];
    test_pass("lines=%llu bytes=%llu elapsed_ms=%llu", (unsigned long long)n,
              (unsigned long long)n * LINE, (unsigned long long)elapsed_ms);
}
