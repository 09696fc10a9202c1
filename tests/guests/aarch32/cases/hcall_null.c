/*
 * hcall_null (AArch32): tests/guests/cases/hcall_null.c for a 32-bit domain,
 * the round-trip cost of xen_version(XENVER_version) through HVC #0xEA1 with
 * the number in r12, in the same keys (bench/aarch32.py reads them beside the
 * 64-bit figure). ticks/per_call_milli are CNTVCT counts.
 */
#include "guest32.h"

GUEST32_NAME("hcall_null");

#define CALLS 100000

void test_main(void)
{
    long first = xen_hypercall(HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);

    if (first < 0 || (first >> 16) == 0)
        test_fail("xen_version ret=%ld", first);
    uint64_t t0 = cntvct();
    for (unsigned int i = 0; i < CALLS; i++) {
        long v = xen_hypercall(HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
        if (v != first)
            test_fail("call %u returned %ld, first returned %ld", i, v, first);
    }
    uint64_t ticks = cntvct() - t0;
    test_pass("calls=%d version=%ld.%ld ticks=%llu per_call_milli=%llu cntfrq=%u", CALLS,
              first >> 16, first & 0xffff, (unsigned long long)ticks,
              (unsigned long long)(ticks * 1000 / CALLS), cntfrq());
}
