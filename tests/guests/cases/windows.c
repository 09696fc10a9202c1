/*
 * windows: when does this vCPU run? (tests/integration/test_sched_arinc653.py)
 * Reads the virtual counter back to back, interrupts masked, for `ms`
 * milliseconds of counter time (default 1500). A gap between two reads
 * longer than `gap_us` (default 2000) ends a run; the next read starts the
 * next one. Shorter gaps (the host not running QEMU's thread, the
 * hypervisor's own interrupts) stay inside a run. PASS
 * with the number of whole runs seen (the first and the last may be cut),
 * the median run length and the median time from one run's start to the
 * next, in microseconds: under an ARINC 653 schedule, the window's runtime
 * and the major frame.
 */
#include "guest.h"

const char test_name[] = "windows";

#define MAX_RUNS 512

static uint64_t starts[MAX_RUNS], lens[MAX_RUNS];

static uint64_t median(uint64_t *v, unsigned int n)
{
    for (unsigned int i = 1; i < n; i++) /* insertion sort: n is small */
        for (unsigned int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint64_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return n ? v[n / 2] : 0;
}

void test_main(void)
{
    uint64_t f = cntfrq(), ms = bootarg_uint("ms", 1500);
    uint64_t gap = bootarg_uint("gap_us", 2000) * f / 1000000;
    unsigned int n = 0;
    irq_disable();
    test_run("measuring ms=%llu", (unsigned long long)ms);
    uint64_t t0 = cntvct(), end = t0 + ms * f / 1000, run = t0, prev = t0;
    for (uint64_t now = t0; now < end; prev = now) {
        now = cntvct();
        if (now - prev > gap) {
            if (n < MAX_RUNS) {
                starts[n] = run;
                lens[n++] = prev - run;
            }
            run = now;
        }
    }
    if (bootarg_uint("trace", 0))
        for (unsigned int i = 0; i < n && i < 40; i++)
            test_run("run %u at %llu us for %llu us", i,
                     (unsigned long long)((starts[i] - t0) * 1000000 / f),
                     (unsigned long long)(lens[i] * 1000000 / f));
    /* Runs 1..n-1 are whole (run 0 began before the measurement). */
    static uint64_t periods[MAX_RUNS], whole[MAX_RUNS];
    unsigned int np = 0, nw = 0;
    for (unsigned int i = 1; i < n; i++) {
        whole[nw++] = lens[i] * 1000000 / f;
        if (i + 1 < n)
            periods[np++] = (starts[i + 1] - starts[i]) * 1000000 / f;
    }
    test_pass("runs=%u run_us=%llu period_us=%llu", nw, (unsigned long long)median(whole, nw),
              (unsigned long long)median(periods, np));
}
