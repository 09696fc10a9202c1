/*
 * hcall: the Xen hypercall ABI for AArch32 (HVC #0xEA1, number in r12,
 * arguments r0-r4, 32-bit pointers): xen_version many times, an unknown
 * number (-ENOSYS), PSCI_VERSION over HVC #0 and over SMC #0.
 */
#include "guest32.h"

GUEST32_NAME("hcall");

#define CALLS 20000

void test_main(void)
{
    long first = xen_hypercall(HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);

    if (first < 0 || (first >> 16) != 4)
        test_fail("xen_version ret=0x%lx", first);
    uint64_t t0 = cntvct();
    for (unsigned int i = 0; i < CALLS; i++) {
        long v = xen_hypercall(HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
        if (v != first)
            test_fail("call %u returned %ld, first returned %ld", i, v, first);
    }
    uint64_t ticks = cntvct() - t0;
    long nosys = xen_hypercall(63, 0, 0, 0, 0, 0);
    if (nosys != -XEN_ENOSYS)
        test_fail("hypercall 63 returned %ld, want -ENOSYS", nosys);
    long psci = smccc_hvc(PSCI_VERSION, 0, 0, 0);
    long psci_smc = smc32(PSCI_VERSION, 0, 0, 0);
    if (psci < 0x10000 || psci != psci_smc)
        test_fail("PSCI_VERSION hvc=0x%lx smc=0x%lx", psci, psci_smc);
    test_pass("calls=%d version=%ld.%ld ticks=%llu psci=0x%lx", CALLS, first >> 16, first & 0xffff,
              (unsigned long long)ticks, psci);
}
