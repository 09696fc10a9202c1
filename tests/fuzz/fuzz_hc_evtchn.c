/*
 * libFuzzer: event_channel_op from four domains, beside sched_op (poll reads
 * port state) and vcpu_op (a moved vcpu_info), with domains torn down
 * while their ports are bound.
 * Records, world and invariants: tests/fuzz/hc_fuzz.h.
 */
#include "hc_fuzz.h"

static const uint16_t table[] = {__HYPERVISOR_event_channel_op, __HYPERVISOR_event_channel_op,
                                 __HYPERVISOR_event_channel_op, __HYPERVISOR_event_channel_op,
                                 __HYPERVISOR_event_channel_op, __HYPERVISOR_sched_op,
                                 __HYPERVISOR_vcpu_op,          ACT_DESTROY};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return hc_fuzz_run(data, size, table, sizeof(table) / sizeof(table[0]));
}
