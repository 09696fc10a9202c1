/*
 * worker: a healthy guest that computes while taking 100 Hz timer ticks, used
 * beside faulty or hogging guests. Each round's sum of squares is checked
 * against the closed form; PASS after 50 ticks (0.5 s) with every round right.
 * Bootargs "ticks=N" make it work longer (a neighbour for long scenarios).
 */
#include "guest.h"

const char test_name[] = "worker";

#define HZ 100
#define DEFAULT_TICKS 50
#define N 200000ull /* N(N-1)(2N-1) stays below 2^64 */

static uint64_t period, next;
static volatile unsigned ticks;

static void on_tick(unsigned intid)
{
    ticks++;
    next += period;
    vtimer_arm_at(next);
}

static uint64_t sum_squares(void)
{
    volatile uint64_t s = 0; /* volatile: keep the loop as real work */

    for (uint64_t i = 0; i < N; i++)
        s += i * i;
    return s;
}

void test_main(void)
{
    uint64_t expect = N * (N - 1) * (2 * N - 1) / 6;
    uint64_t freq = cntfrq();
    unsigned rounds = 0;
    unsigned want = (unsigned)bootarg_uint("ticks", DEFAULT_TICKS);
    /* 30 s, or three times the run asked for: others may share the pCPU. */
    uint64_t limit = (want / HZ * 3 > 30 ? want / HZ * 3 : 30) * freq;

    period = freq / HZ;
    irq_register(VTIMER_PPI, on_tick);
    gic_enable_ppi(VTIMER_PPI);
    uint64_t t0 = cntvct();
    next = t0 + period;
    vtimer_arm_at(next);
    irq_enable();
    while (ticks < want) {
        uint64_t got = sum_squares();
        if (got != expect)
            test_fail("round %u sum=0x%llx expected=0x%llx", rounds, (unsigned long long)got,
                      (unsigned long long)expect);
        rounds++;
        if (cntvct() - t0 > limit)
            test_fail("only %u ticks in %llu s (rounds=%u)", ticks,
                      (unsigned long long)(limit / freq), rounds);
    }
    irq_disable();
    vtimer_stop();
    test_pass("sums=ok ticks=%u rounds=%u", ticks, rounds);
}
