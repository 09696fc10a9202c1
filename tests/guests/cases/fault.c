/*
 * fault: a load from an IPA that is neither RAM nor a device must come back
 * as a synchronous data abort injected into this guest (EC 0x25, FAR = address).
 */
#include "guest.h"

const char test_name[] = "fault";

void test_main(void)
{
    struct trap_record rec;

    test_run("reading ipa=0x%llx", (unsigned long long)GUEST_HOLE_IPA);
    trap_expect(&rec);
    (void)mmio_read32(GUEST_HOLE_IPA);
    if (!rec.taken)
        test_fail("no exception from a load at 0x%llx", (unsigned long long)GUEST_HOLE_IPA);
    if (ESR_EC(rec.esr) != 0x25)
        test_fail("esr_ec=0x%llx expected=0x25 esr=0x%llx", (unsigned long long)ESR_EC(rec.esr),
                  (unsigned long long)rec.esr);
    if (rec.far != GUEST_HOLE_IPA)
        test_fail("far=0x%llx expected=0x%llx", (unsigned long long)rec.far,
                  (unsigned long long)GUEST_HOLE_IPA);
    test_pass("esr_ec=0x25 far=0x%llx", (unsigned long long)rec.far);
}
