/*
 * tput: the CPU-bound witness of bench/scale.py. Computes in fixed work units
 * without a break (no timer of its own, no trap) and every report_s seconds
 * of its virtual counter prints how many units it finished per second: its
 * share of a pCPU among however many runnable domains, less what switching
 * between them (VMID rollovers included) costs. Runs until powered off.
 * Bootargs "report_s=N": the window, longer than a round of every runnable
 * domain's slice, or a window may hold none of the witness's slices.
 */
#include "guest.h"

const char test_name[] = "tput";

#define UNIT 1000

void test_main(void)
{
    uint64_t freq = cntfrq(), mark = cntvct(), units = 0;
    uint64_t report_s = bootarg_uint("report_s", 5);
    test_run("computing report_s=%llu", (unsigned long long)report_s);
    for (;;) {
        volatile uint64_t s = 0; /* volatile: the loop stays real work */
        for (uint64_t i = 0; i < UNIT; i++)
            s += i * i;
        units++;
        uint64_t now = cntvct();
        if (now - mark >= report_s * freq) {
            test_run("units_per_s=%llu", (unsigned long long)(units * freq / (now - mark)));
            units = 0;
            mark = now;
        }
    }
}
