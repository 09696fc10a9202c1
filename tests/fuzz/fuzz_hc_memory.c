/*
 * libFuzzer: memory_op from four domains (shared_info and grant frames, foreign
 * mappings, ballooning, queries), beside grant_table_op and event_channel_op
 * (FIFO pages and grants in RAM that is then ballooned or remapped), with
 * owners and mappers torn down.
 * Records, world and invariants: tests/fuzz/hc_fuzz.h.
 */
#include "hc_fuzz.h"

static const uint16_t table[] = {__HYPERVISOR_memory_op,        __HYPERVISOR_memory_op,
                                 __HYPERVISOR_memory_op,        __HYPERVISOR_memory_op,
                                 __HYPERVISOR_memory_op,        __HYPERVISOR_grant_table_op,
                                 __HYPERVISOR_event_channel_op, ACT_DESTROY};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return hc_fuzz_run(data, size, table, sizeof(table) / sizeof(table[0]));
}
