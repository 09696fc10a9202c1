/*
 * timer: the virtual timer (direct, CP15 c14 c3) and the EL1 physical timer
 * through its CP15 encodings (CNTP_TVAL/CTL by MCR/MRC, CNTP_CVAL by MCRR:
 * trapped and emulated by the hypervisor): both fire after their deadline.
 */
#include "guest32.h"

GUEST32_NAME("timer");

#define CTL_ENABLE 1u
#define CTL_IMASK 2u
#define CTL_ISTATUS 4u

/* Ticks from t0 (read before the timer was set) until ISTATUS. */
static uint64_t wait_istatus(bool phys, uint64_t t0, uint64_t limit)
{
    for (;;) {
        uint32_t ctl = phys ? MRC(0, 14, 2, 1) : MRC(0, 14, 3, 1);
        if (ctl & CTL_ISTATUS)
            return cntvct() - t0;
        if (cntvct() - t0 > limit)
            test_fail("%s timer never fired (ctl 0x%x)", phys ? "physical" : "virtual", ctl);
    }
}

void test_main(void)
{
    uint32_t freq = cntfrq();
    uint32_t ten_ms = freq / 100;

    if (freq == 0)
        test_fail("CNTFRQ is 0");
    uint64_t t0 = cntvct();
    MCR(0, 14, 3, 0, ten_ms); /* CNTV_TVAL */
    MCR(0, 14, 3, 1, CTL_ENABLE | CTL_IMASK);
    isb();
    uint64_t v = wait_istatus(false, t0, (uint64_t)freq * 5);
    MCR(0, 14, 3, 1, 0);

    t0 = cntvct();
    MCR(0, 14, 2, 0, ten_ms); /* CNTP_TVAL: trapped */
    MCR(0, 14, 2, 1, CTL_ENABLE | CTL_IMASK);
    isb();
    uint64_t p = wait_istatus(true, t0, (uint64_t)freq * 5);
    int32_t tval = (int32_t)MRC(0, 14, 2, 0);
    MCR(0, 14, 2, 1, 0);
    if (v < ten_ms || p < ten_ms)
        test_fail("fired early: virtual %llu physical %llu ticks, want >= %u",
                  (unsigned long long)v, (unsigned long long)p, ten_ms);
    if (tval > 0)
        test_fail("CNTP_TVAL %d after expiry, want <= 0", tval);
    /* CNTP_CVAL by MCRR/MRRC: what is written reads back. */
    uint64_t cval = cntvct() + 0x123456789ull, back;
    uint32_t lo, hi;
    __asm__ volatile("mcrr p15, 2, %0, %1, c14" ::"r"((uint32_t)cval), "r"((uint32_t)(cval >> 32)));
    __asm__ volatile("mrrc p15, 2, %0, %1, c14" : "=r"(lo), "=r"(hi));
    back = ((uint64_t)hi << 32) | lo;
    if (back != cval)
        test_fail("CNTP_CVAL wrote 0x%llx read 0x%llx", (unsigned long long)cval,
                  (unsigned long long)back);
    test_pass("virtual=%llu physical=%llu ticks freq=%u", (unsigned long long)v,
              (unsigned long long)p, freq);
}
