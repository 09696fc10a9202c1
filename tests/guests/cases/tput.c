/*
 * tput: the CPU-bound witness of bench/scale.py. Computes in fixed work units
 * without a break (no timer of its own, no trap) and every REPORT_S seconds
 * of its virtual counter prints how many units it finished per second: its
 * share of a pCPU among however many runnable domains, less what switching
 * between them (VMID rollovers included) costs. Runs until powered off.
 */
#include "guest.h"

const char test_name[] = "tput";

#define REPORT_S 5
#define UNIT 1000

void test_main(void)
{
    uint64_t freq = cntfrq(), start = cntvct(), mark = start, units = 0;
    test_run("computing report_s=%d", REPORT_S);
    for (;;) {
        volatile uint64_t s = 0; /* volatile: the loop stays real work */
        for (uint64_t i = 0; i < UNIT; i++)
            s += i * i;
        units++;
        uint64_t now = cntvct();
        if (now - mark >= REPORT_S * freq) {
            test_run("units_per_s=%llu", (unsigned long long)(units * freq / (now - mark)));
            units = 0;
            mark = now;
        }
    }
}
