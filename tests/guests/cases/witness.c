/*
 * witness: the neighbour of an EL2-hold guest (hold_*.c) on a shared pCPU.
 * Reads the virtual counter in a tight loop for MEASURE_S seconds of counter
 * time and reports the longest gap between two consecutive reads: time this
 * vCPU did not run, because the pCPU ran another vCPU or stayed in the
 * hypervisor. No traps, no interrupts of its own: every gap is someone
 * else's. PASS always (the integration test judges the figure):
 * worst_gap_us, and samples (how many reads, a sanity check).
 */
#include "guest.h"

const char test_name[] = "witness";

#define MEASURE_S 3

void test_main(void)
{
    uint64_t freq = cntfrq(), start = cntvct(), end = start + MEASURE_S * freq;
    uint64_t prev = start, worst = 0, samples = 0, over_1ms = 0;
    test_run("measuring seconds=%d", MEASURE_S);
    for (uint64_t now = start; now < end; prev = now) {
        now = cntvct();
        uint64_t gap = now - prev;
        samples++;
        if (gap > worst)
            worst = gap;
        if (gap > freq / 1000)
            over_1ms++;
    }
    test_pass("worst_gap_us=%llu samples=%llu gaps_over_1ms=%llu",
              (unsigned long long)(worst * 1000000 / freq), (unsigned long long)samples,
              (unsigned long long)over_1ms);
}
