/*
 * bbm_race: vCPU 0 gives back the last page of each 2 MiB block of RAM above
 * the image (XENMEM_decrease_reservation: the hypervisor splits the block's
 * stage-2 entry with break-before-make) and takes it back (populate_physmap),
 * while vCPU 1 writes and reads the block's other pages without pause. During
 * the break, vCPU 1's accesses take stage-2 translation faults on an IPA that
 * is mapped again by the time the hypervisor looks: they must be retried,
 * never turned into an abort (Xen: p2m_resolve_translation_fault). Any
 * exception vCPU 1 sees is a FAIL (lib/trap.c). Reports the blocks split and
 * vCPU 1's sweeps over them. `rounds=N` repeats the walk over the blocks
 * (after the first, only single-page entries change).
 */
#include "xen_guest.h"

const char test_name[] = "bbm_race";

#define BLOCK (2ULL << 20)
#define PAGES_PER_BLOCK (BLOCK / 4096)

extern char _end[];

static volatile uint64_t target; /* the block vCPU 1 works on; 0 = none yet */
static volatile uint64_t sweeps; /* vCPU 1's passes over the target block */
static volatile bool stop, started;

static long balloon(unsigned op, uint64_t gfn)
{
    struct xen_memory_reservation r = {
        .extent_start = (uintptr_t)&gfn, .nr_extents = 1, .extent_order = 0, .domid = DOMID_SELF};
    return memory_op(op, &r);
}

/* Every page of the block but the last (the one vCPU 0 gives back): write a
 * tag, read it back. */
static void sweep(uint64_t base, uint64_t tag)
{
    for (uint64_t p = 0; p < PAGES_PER_BLOCK - 1; p++) {
        volatile uint64_t *w = (volatile uint64_t *)(base + p * 4096 + (tag & 0x1f8));
        *w = tag + p;
        if (*w != tag + p)
            test_fail("page 0x%llx lost a write", (unsigned long long)(base + p * 4096));
    }
}

void test_secondary(uint64_t context_id)
{
    (void)context_id;
    __atomic_store_n(&started, true, __ATOMIC_RELEASE);
    for (uint64_t n = 1; !__atomic_load_n(&stop, __ATOMIC_ACQUIRE); n++) {
        uint64_t base = __atomic_load_n(&target, __ATOMIC_ACQUIRE);
        if (!base)
            continue;
        sweep(base, n << 9);
        __atomic_store_n(&sweeps, sweeps + 1, __ATOMIC_RELEASE);
    }
    while (1) /* vCPU 0 reports and powers the domain off */
        __asm__ volatile("wfi");
}

static void wait_sweeps(uint64_t since, uint64_t n)
{
    uint64_t t0 = cntvct();
    while (__atomic_load_n(&sweeps, __ATOMIC_ACQUIRE) < since + n)
        if (cntvct() - t0 > 10 * cntfrq())
            test_fail("vCPU 1 stopped sweeping (sweeps=%llu)", (unsigned long long)sweeps);
}

void test_main(void)
{
    if (plat.cpu_count < 2)
        test_fail("needs 2 vCPUs, DT has %u", plat.cpu_count);
    uint64_t first = ((uintptr_t)_end + BLOCK - 1) & ~(BLOCK - 1);
    uint64_t end = (plat.ram_base + plat.ram_size) & ~(BLOCK - 1);
    if (first + BLOCK > end)
        test_fail("no whole 2 MiB block above the image (ram 0x%llx+0x%llx)",
                  (unsigned long long)plat.ram_base, (unsigned long long)plat.ram_size);
    long rc = psci_call(PSCI_CPU_ON64, plat.cpu_mpidr[1], (uintptr_t)secondary_entry, 0);
    if (rc != 0)
        test_fail("CPU_ON ret=%ld", rc);
    while (!__atomic_load_n(&started, __ATOMIC_ACQUIRE))
        ;
    unsigned long rounds = bootarg_uint("rounds", 2), blocks = 0;
    for (unsigned long r = 0; r < rounds; r++)
        for (uint64_t base = first; base < end; base += BLOCK, blocks++) {
            uint64_t gfn = (base + BLOCK - 4096) >> 12;
            __atomic_store_n(&target, base, __ATOMIC_RELEASE);
            uint64_t s = __atomic_load_n(&sweeps, __ATOMIC_ACQUIRE);
            wait_sweeps(s, 2); /* vCPU 1 is inside this block */
            if ((rc = balloon(XENMEM_decrease_reservation, gfn)) != 1)
                test_fail("decrease_reservation of gfn 0x%llx ret=%ld", (unsigned long long)gfn,
                          rc);
            if ((rc = balloon(XENMEM_populate_physmap, gfn)) != 1)
                test_fail("populate_physmap of gfn 0x%llx ret=%ld", (unsigned long long)gfn, rc);
            wait_sweeps(__atomic_load_n(&sweeps, __ATOMIC_ACQUIRE), 1);
        }
    __atomic_store_n(&stop, true, __ATOMIC_RELEASE);
    test_pass("blocks=%lu", blocks);
}
