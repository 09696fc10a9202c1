/*
 * smp: PSCI CPU_ON of vCPU 1 with a context id. vCPU 1 records its MPIDR and
 * the x0 it started with; both must match. Also: CPU_ON of an MPIDR with no
 * vCPU -> INVALID_PARAMETERS, CPU_ON of a running vCPU -> ALREADY_ON, and
 * AFFINITY_INFO reports vCPU 1 ON, then OFF after it calls CPU_OFF.
 */
#include "guest.h"

const char test_name[] = "smp";

#define CONTEXT_ID 0x5eed0000cafe1234ull
#define MPIDR_AFF 0xff00ffffffull

static volatile uint64_t seen_mpidr, seen_ctx;
static volatile bool started, may_stop;

void test_secondary(uint64_t context_id)
{
    seen_mpidr = read_sysreg(mpidr_el1);
    seen_ctx = context_id;
    __atomic_store_n(&started, true, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&may_stop, __ATOMIC_ACQUIRE))
        ;
    /* Returning makes guest_secondary call PSCI CPU_OFF. */
}

static void wait_for(volatile bool *flag, const char *what)
{
    uint64_t t0 = cntvct();

    while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE))
        if (cntvct() - t0 > 5 * cntfrq())
            test_fail("timeout waiting for %s", what);
}

void test_main(void)
{
    if (plat.cpu_count < 2)
        test_fail("needs 2 vCPUs, DT has %u", plat.cpu_count);
    uint64_t target = plat.cpu_mpidr[1];
    long rc = psci_call(PSCI_CPU_ON64, target, (uintptr_t)secondary_entry, CONTEXT_ID);

    if (rc != 0)
        test_fail("CPU_ON(0x%llx) ret=%ld", (unsigned long long)target, rc);
    wait_for(&started, "vCPU 1");
    if ((seen_mpidr & MPIDR_AFF) != target)
        test_fail("vCPU 1 mpidr=0x%llx expected affinity 0x%llx", (unsigned long long)seen_mpidr,
                  (unsigned long long)target);
    if (seen_ctx != CONTEXT_ID)
        test_fail("vCPU 1 context=0x%llx expected 0x%llx", (unsigned long long)seen_ctx,
                  CONTEXT_ID);
    long again = psci_call(PSCI_CPU_ON64, target, (uintptr_t)secondary_entry, 0);
    long bogus = psci_call(PSCI_CPU_ON64, 0xf0f, (uintptr_t)secondary_entry, 0);
    long aff_on = psci_call(PSCI_AFFINITY_INFO64, target, 0, 0);

    __atomic_store_n(&may_stop, true, __ATOMIC_RELEASE);
    long aff_off = 0;
    for (uint64_t t0 = cntvct(); cntvct() - t0 < 5 * cntfrq();)
        if ((aff_off = psci_call(PSCI_AFFINITY_INFO64, target, 0, 0)) == 1)
            break;
    if (again != PSCI_ALREADY_ON)
        test_fail("CPU_ON of running vCPU ret=%ld expected=%d", again, PSCI_ALREADY_ON);
    if (bogus != PSCI_INVALID_PARAMETERS)
        test_fail("CPU_ON of mpidr 0xf0f ret=%ld expected=%d", bogus, PSCI_INVALID_PARAMETERS);
    if (aff_on != 0 || aff_off != 1)
        test_fail("AFFINITY_INFO on=%ld off=%ld expected 0 then 1", aff_on, aff_off);
    test_pass("mpidr=0x%llx context=0x%llx already_on=%ld invalid=%ld affinity=on,off",
              (unsigned long long)(seen_mpidr & MPIDR_AFF), (unsigned long long)seen_ctx, again,
              bogus);
}
