/*
 * libFuzzer: grant_table_op from four domains, beside memory_op (which maps the
 * grant frames and unmaps what they map), with granters and mappers torn
 * down while grants are mapped.
 * Records, world and invariants: tests/fuzz/hc_fuzz.h.
 */
#include "hc_fuzz.h"

static const uint16_t table[] = {__HYPERVISOR_grant_table_op, __HYPERVISOR_grant_table_op,
                                 __HYPERVISOR_grant_table_op, __HYPERVISOR_grant_table_op,
                                 __HYPERVISOR_grant_table_op, __HYPERVISOR_memory_op,
                                 __HYPERVISOR_memory_op,      ACT_DESTROY};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return hc_fuzz_run(data, size, table, sizeof(table) / sizeof(table[0]));
}
