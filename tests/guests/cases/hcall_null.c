/*
 * hcall_null: round-trip cost of the cheapest hypercall, xen_version(XENVER_version).
 * ticks/per_call_milli are CNTVCT counts (volatile); calls/version are checked.
 */
#include "guest.h"

const char test_name[] = "hcall_null";

#define CALLS 100000

void test_main(void)
{
    long first = xen_hypercall(HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);

    if (first < 0 || (first >> 16) == 0)
        test_fail("xen_version ret=%ld", first);
    uint64_t t0 = cntvct();
    for (unsigned i = 0; i < CALLS; i++) {
        long v = xen_hypercall(HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
        if (v != first)
            test_fail("call %u returned %ld, first returned %ld", i, v, first);
    }
    uint64_t ticks = cntvct() - t0;
    test_pass("calls=%d version=%ld.%ld ticks=%llu per_call_milli=%llu cntfrq=%llu", CALLS,
              first >> 16, first & 0xffff, (unsigned long long)ticks,
              (unsigned long long)(ticks * 1000 / CALLS), (unsigned long long)cntfrq());
}
