/*
 * balloon_race: two vCPUs balloon the same pages out and in at once (issue 9,
 * finding 5: the balloon count was updated without a lock, so a page given
 * back or taken by both vCPUs at once was counted twice). Run on -smp 2
 * (tests/integration/test_balloon_race.py).
 *
 * For `ms=N` milliseconds (default 1500) both vCPUs give back
 * (decrease_reservation) and take again (populate_physmap) random pages of
 * one shared pool of 64, one to four consecutive extents per call, and count
 * the extents each call says it did. The pages are never touched while in
 * play. Then vCPU 0 checks, exactly: current_reservation = the start minus
 * (given back - taken again); populating every pool page takes back exactly
 * that many; current_reservation is back to its start; every pool page is
 * RAM that holds what is written to it.
 */
#include "xen_guest.h"

const char test_name[] = "balloon_race";

#define POOL 64

/* The pool fills a 2 MiB block of its own: the first page given back splits
 * the hypervisor's 2 MiB stage-2 block, and nothing else of this guest (code,
 * stacks) may be in it while it is split (issue 9, finding 4, is about
 * vCPUs touching a block under a split; this case is not). */
static uint64_t pool[512][512] __attribute__((aligned(2 << 20)));
static unsigned long given[2], taken[2], calls[2];
static volatile bool go, done1;
static uint64_t run_ticks;

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static uint64_t gfn_of(unsigned i)
{
    return (uintptr_t)pool[i] >> 12;
}

/* One call on n consecutive pool pages from i: the extents it did. */
static long resv(unsigned op, unsigned i, unsigned n)
{
    uint64_t gfns[4];
    for (unsigned k = 0; k < n; k++)
        gfns[k] = gfn_of((i + k) % POOL);
    struct xen_memory_reservation r = {
        .extent_start = (uintptr_t)gfns, .nr_extents = n, .extent_order = 0, .domid = DOMID_SELF};
    return memory_op(op, &r);
}

static long cur_resv(void)
{
    uint16_t dom = DOMID_SELF;
    return memory_op(XENMEM_current_reservation, &dom);
}

static void balloon(unsigned self)
{
    uint64_t s = (cntvct() + self) * 0x9E3779B97F4A7C15ULL | 1;
    for (uint64_t t0 = cntvct(); cntvct() - t0 < run_ticks;) {
        uint64_t r = next_rand(&s);
        unsigned i = (unsigned)(r % POOL), n = 1 + (unsigned)((r >> 8) % 4);
        bool out = (r >> 16) & 1;
        long did = resv(out ? XENMEM_decrease_reservation : XENMEM_populate_physmap, i, n);
        if (did < 0 || did > (long)n)
            test_fail("vCPU %u: %s of %u extents returned %ld", self, out ? "decrease" : "populate",
                      n, did);
        if (out)
            given[self] += (unsigned long)did;
        else
            taken[self] += (unsigned long)did;
        calls[self]++;
    }
}

void test_secondary(uint64_t context_id)
{
    (void)context_id;
    while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
        ;
    balloon(1);
    __atomic_store_n(&done1, true, __ATOMIC_RELEASE);
    for (;;)
        wfi();
}

void test_main(void)
{
    if (plat.cpu_count < 2)
        test_fail("needs 2 vCPUs, DT has %u", plat.cpu_count);
    run_ticks = cntfrq() / 1000 * bootarg_uint("ms", 1500);
    long start = cur_resv();
    if (start <= 0)
        test_fail("current_reservation=%ld", start);
    long rc = psci_call(PSCI_CPU_ON64, plat.cpu_mpidr[1], (uintptr_t)secondary_entry, 0);
    if (rc != 0)
        test_fail("CPU_ON ret=%ld", rc);
    __atomic_store_n(&go, true, __ATOMIC_RELEASE);
    balloon(0);
    for (uint64_t t0 = cntvct(); !__atomic_load_n(&done1, __ATOMIC_ACQUIRE);)
        if (cntvct() - t0 > 10 * cntfrq())
            test_fail("vCPU 1 did not finish");
    long out = (long)(given[0] + given[1]) - (long)(taken[0] + taken[1]);
    long cur = cur_resv();
    if (out < 0 || out > POOL || cur != start - out)
        test_fail("current_reservation=%ld expected=%ld (start %ld, given %lu, taken %lu)", cur,
                  start - out, start, given[0] + given[1], taken[0] + taken[1]);
    long back = 0;
    for (unsigned i = 0; i < POOL; i++)
        back += resv(XENMEM_populate_physmap, i, 1);
    if (back != out || cur_resv() != start)
        test_fail("populating the pool took %ld pages back, expected %ld; current_reservation "
                  "%ld, at start %ld",
                  back, out, cur_resv(), start);
    for (unsigned i = 0; i < POOL; i++) {
        volatile uint64_t *p = pool[i];
        p[i] = 0x5eed0000 + i;
        if (p[i] != 0x5eed0000 + i)
            test_fail("pool page %u does not hold data", i);
    }
    test_pass("calls=%lu given=%lu taken=%lu out_at_end=%ld", calls[0] + calls[1],
              given[0] + given[1], taken[0] + taken[1], out);
}
