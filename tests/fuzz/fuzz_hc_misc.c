/*
 * libFuzzer: the small families: sched_op, vcpu_op, hvm_op, console_io (with
 * console input typed for dom0), xen_version, platform_op, physdev_op,
 * vm_assist, the control interface (multicall, domctl, sysctl, xsm_op), and
 * any hypercall number at all.
 * Records, world and invariants: tests/fuzz/hc_fuzz.h.
 */
#include "hc_fuzz.h"

static const uint16_t table[] = {__HYPERVISOR_sched_op,
                                 __HYPERVISOR_vcpu_op,
                                 __HYPERVISOR_hvm_op,
                                 __HYPERVISOR_console_io,
                                 __HYPERVISOR_xen_version,
                                 __HYPERVISOR_platform_op,
                                 __HYPERVISOR_physdev_op,
                                 __HYPERVISOR_vm_assist,
                                 ACT_TYPE,
                                 ACT_ANY,
                                 ACT_DESTROY,
                                 __HYPERVISOR_multicall,
                                 __HYPERVISOR_domctl,
                                 __HYPERVISOR_sysctl,
                                 __HYPERVISOR_xsm_op};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return hc_fuzz_run(data, size, table, sizeof(table) / sizeof(table[0]));
}
