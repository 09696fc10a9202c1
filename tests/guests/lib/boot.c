/* C side of guest start-up: bring up MMU, DT, console and GIC, then run the case. */
#include "guest.h"

uint8_t guest_stacks[GUEST_MAX_CPUS << GUEST_STACK_SHIFT] __attribute__((aligned(16)));

void guest_boot(const void *fdt);
void guest_secondary(uint64_t context_id);

const void *boot_fdt;

void guest_boot(const void *fdt)
{
    int err;

    boot_fdt = fdt;
    /* MMU first: libfdt makes unaligned loads, which fault on Device memory. */
    mmu_enable();
    err = dt_parse(fdt);
    console_init();
    if (err)
        test_fail("dt_parse error=%d", err);
    if (gic_init())
        test_fail("no usable GIC in the DT (version=%d)", plat.gic_version);
    test_main();
    test_fail("test_main returned");
}

void guest_secondary(uint64_t context_id)
{
    mmu_enable();
    if (gic_cpu_init())
        test_fail("secondary GIC init failed");
    test_secondary(context_id);
    /* A case that returns from test_secondary wants the vCPU off. */
    psci_call(PSCI_CPU_OFF, 0, 0, 0);
    for (;;)
        wfi();
}

__attribute__((weak)) void test_secondary(uint64_t context_id)
{
    test_fail("unexpected secondary vCPU start, context=0x%llx", (unsigned long long)context_id);
}
