/*
 * split_race: every vCPU writes into the same untouched 2 MiB block at the
 * same moment, block after block, so several vCPUs take the first-touch
 * stage-2 fault of one lazy block together. One of them readies it under the
 * p2m lock (zeroes it and, on QEMU's board, splits it into pages: cloison/
 * p2m.h), the others wait for the lock, find it mapped and retry.
 * vCPU i owns the pages p of a block with p % N == i (N vCPUs) and writes a
 * tag into the first word of each, starting at page i, so the first writes
 * of all vCPUs land at once in pages next to each other. When all are done,
 * vCPU 0 reads every word of every block: each page holds its owner's tag
 * and zeros elsewhere. A write lost to zeroing that came after it, a fault
 * turned into an abort (any exception is a FAIL, lib/trap.c) or a stale word
 * left by the pages' previous owner all fail.
 */
#include "guest.h"

const char test_name[] = "split_race";

#define BLOCK (2ULL << 20)
#define PAGE 4096ULL
#define WAIT_S 10

extern char _end[];

static volatile unsigned long go;   /* the round under way (1-based); 0 = none */
static volatile unsigned long done; /* vCPUs that finished the current round */
static volatile unsigned long up;   /* secondaries started */
static uint64_t first_block;
static unsigned nr_cpus;

static uint64_t tag(uint64_t block, uint64_t page, unsigned cpu)
{
    return 0x5e11000000000000ULL | block << 24 | page << 8 | cpu;
}

static void wait_for(volatile unsigned long *v, unsigned long want, const char *what)
{
    uint64_t t0 = cntvct();
    while (__atomic_load_n(v, __ATOMIC_ACQUIRE) < want) {
        cpu_relax();
        if (cntvct() - t0 > WAIT_S * cntfrq())
            test_fail("%s: %lu of %lu after %d s", what, *v, want, WAIT_S);
    }
}

/* This vCPU's pages of block r (0-based), its first write the block's page cpu. */
static void write_block(unsigned long r, unsigned cpu)
{
    uint64_t base = first_block + r * BLOCK;
    for (uint64_t p = cpu; p < BLOCK / PAGE; p += nr_cpus)
        *(volatile uint64_t *)(uintptr_t)(base + p * PAGE) = tag(r, p, cpu);
    __atomic_fetch_add(&done, 1, __ATOMIC_ACQ_REL);
}

void test_secondary(uint64_t cpu)
{
    __atomic_fetch_add(&up, 1, __ATOMIC_ACQ_REL);
    for (unsigned long r = 1;; r++) {
        while (__atomic_load_n(&go, __ATOMIC_ACQUIRE) < r)
            ;
        write_block(r - 1, (unsigned)cpu);
    }
}

/* Block r as the vCPUs left it: 0 if right, else the first bad address. */
static uint64_t check_block(unsigned long r)
{
    uint64_t base = first_block + r * BLOCK;
    for (uint64_t p = 0; p < BLOCK / PAGE; p++) {
        const volatile uint64_t *w = (const volatile uint64_t *)(uintptr_t)(base + p * PAGE);
        if (w[0] != tag(r, p, (unsigned)(p % nr_cpus)))
            return (uintptr_t)w;
        for (unsigned i = 1; i < PAGE / 8; i++)
            if (w[i])
                return (uintptr_t)&w[i];
    }
    return 0;
}

void test_main(void)
{
    nr_cpus = plat.cpu_count;
    if (nr_cpus < 2)
        test_fail("needs 2 vCPUs or more, DT has %u", nr_cpus);
    first_block = ((uintptr_t)_end + BLOCK - 1) & ~(BLOCK - 1);
    uint64_t end = (plat.ram_base + plat.ram_size) & ~(BLOCK - 1);
    /* The builder wrote the DTB (at the top of RAM): stop below its block. */
    uint64_t dtb = (uintptr_t)boot_fdt & ~(BLOCK - 1);
    if (dtb >= first_block && dtb < end)
        end = dtb;
    unsigned long blocks = (unsigned long)((end - first_block) / BLOCK);
    if (end < first_block || blocks < 2)
        test_fail("fewer than 2 untouched blocks (ram 0x%llx+0x%llx)",
                  (unsigned long long)plat.ram_base, (unsigned long long)plat.ram_size);
    for (unsigned c = 1; c < nr_cpus; c++) {
        long rc = psci_call(PSCI_CPU_ON64, plat.cpu_mpidr[c], (uintptr_t)secondary_entry, c);
        if (rc != 0)
            test_fail("CPU_ON(%u) ret=%ld", c, rc);
    }
    wait_for(&up, nr_cpus - 1, "vCPUs started");
    for (unsigned long r = 1; r <= blocks; r++) {
        __atomic_store_n(&go, r, __ATOMIC_RELEASE);
        write_block(r - 1, 0);
        wait_for(&done, r * nr_cpus, "vCPUs done with the block");
    }
    for (unsigned long r = 0; r < blocks; r++) {
        uint64_t bad = check_block(r);
        if (bad)
            test_fail("block %lu: word at 0x%llx is 0x%llx", r, (unsigned long long)bad,
                      (unsigned long long)*(volatile uint64_t *)(uintptr_t)bad);
    }
    test_pass("blocks=%lu vcpus=%u", blocks, nr_cpus);
}
