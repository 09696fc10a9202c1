/*
 * psci_race: vCPUs racing PSCI CPU_ON / CPU_OFF of each other (issue 9,
 * finding 5). Run with 4 vCPUs on -smp 2 (tests/integration/test_psci_race.py),
 * so a CPU_ON often lands while its target is still switching out of its
 * CPU_OFF on the other pCPU, and two vCPUs CPU_ON the same target at once.
 *
 * vCPU 0 never stops: for `ms=N` milliseconds (default 2000) it CPU_ONs random
 * targets among vCPUs 1..n-1. Each started vCPU checks how it was started
 * (MMU off at its first instruction, x0 the context id naming it), CPU_ONs a
 * few random others itself, then CPU_OFFs. Every CPU_ON result must be
 * SUCCESS, ALREADY_ON or ON_PENDING; CPU_OFF must not return. Once vCPU 0
 * stops and every other vCPU is off again, each target must have been
 * started exactly as often as a CPU_ON of it succeeded (two CPU_ONs that
 * both succeed for one start show as more successes than starts).
 */
#include "guest.h"

const char test_name[] = "psci_race";

#define PSCI_ON_PENDING (-5)
#define CTX_MAGIC 0xC0DE0000u
#define ONS_PER_LIFE 4

static volatile uint64_t entry_sctlr[GUEST_MAX_CPUS]; /* written by race_entry, MMU off */
static unsigned long succ[GUEST_MAX_CPUS], boots[GUEST_MAX_CPUS], exits[GUEST_MAX_CPUS];
static unsigned long already, pending, bad_rc, bad_ctx, bad_sctlr;
static volatile long first_bad_rc;
static volatile bool stop;
static unsigned ncpu;

/* The first instructions of a started vCPU: record SCTLR_EL1 before anything
 * changes it, then the library's secondary entry (MMU on, stack, GIC). */
void race_entry(void);
__asm__(".pushsection .text\n"
        ".globl race_entry\n"
        "race_entry:\n"
        "    mrs x1, sctlr_el1\n"
        "    mrs x2, mpidr_el1\n"
        "    and x2, x2, #3\n"
        "    adrp x3, entry_sctlr\n"
        "    add x3, x3, :lo12:entry_sctlr\n"
        "    str x1, [x3, x2, lsl #3]\n"
        "    dsb sy\n"
        "    b secondary_entry\n"
        ".popsection\n");

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void inc(unsigned long *c)
{
    __atomic_fetch_add(c, 1, __ATOMIC_SEQ_CST);
}

static unsigned long get(const unsigned long *c)
{
    return __atomic_load_n(c, __ATOMIC_SEQ_CST);
}

/* CPU_ON of a random vCPU in 1..ncpu-1 other than self; checks the result. */
static void start_one(unsigned self, uint64_t *s)
{
    unsigned t = 1 + (unsigned)(next_rand(s) % (ncpu - 1));
    if (t == self)
        return;
    long rc = psci_call(PSCI_CPU_ON64, plat.cpu_mpidr[t], (uintptr_t)race_entry,
                        CTX_MAGIC | self << 8 | t);
    if (rc == 0)
        inc(&succ[t]);
    else if (rc == PSCI_ALREADY_ON)
        inc(&already);
    else if (rc == PSCI_ON_PENDING)
        inc(&pending);
    else {
        first_bad_rc = rc;
        inc(&bad_rc);
    }
}

void test_secondary(uint64_t context_id)
{
    unsigned self = (unsigned)(read_sysreg(mpidr_el1) & 3);
    if (entry_sctlr[self] & 1)
        inc(&bad_sctlr); /* started with its old MMU state */
    if ((context_id & ~0xffffULL) != CTX_MAGIC || (context_id & 0xff) != self)
        inc(&bad_ctx);
    inc(&boots[self]);
    uint64_t s = (cntvct() ^ context_id) * 0x9E3779B97F4A7C15ULL | 1;
    for (unsigned i = 0; i < ONS_PER_LIFE && !__atomic_load_n(&stop, __ATOMIC_SEQ_CST); i++)
        start_one(self, &s);
    inc(&exits[self]);
    long rc = psci_call(PSCI_CPU_OFF, 0, 0, 0);
    test_fail("CPU_OFF of vCPU %u returned %ld", self, rc);
}

/* Every vCPU but 0 off, and everything started has run and left. */
static bool settled(void)
{
    for (unsigned t = 1; t < ncpu; t++)
        if (psci_call(PSCI_AFFINITY_INFO64, plat.cpu_mpidr[t], 0, 0) != 1 ||
            get(&boots[t]) != get(&exits[t]))
            return false;
    return true;
}

static void wait_settled(void)
{
    uint64_t freq = cntfrq(), t0 = cntvct(), calm = 0;
    while (cntvct() - t0 < 5 * freq) {
        if (!settled())
            calm = 0;
        else if (!calm)
            calm = cntvct();
        else if (cntvct() - calm > freq / 50)
            return; /* settled for 20 ms */
    }
    test_fail("vCPUs did not settle in 5 s");
}

void test_main(void)
{
    ncpu = plat.cpu_count < GUEST_MAX_CPUS ? plat.cpu_count : GUEST_MAX_CPUS;
    if (ncpu < 3)
        test_fail("needs 3 or more vCPUs, DT has %u", plat.cpu_count);
    uint64_t s = cntvct() * 0x9E3779B97F4A7C15ULL | 1;
    uint64_t run = cntfrq() / 1000 * bootarg_uint("ms", 2000);
    for (uint64_t t0 = cntvct(); cntvct() - t0 < run;)
        start_one(0, &s);
    __atomic_store_n(&stop, true, __ATOMIC_SEQ_CST);
    wait_settled();
    unsigned long starts = 0;
    for (unsigned t = 1; t < ncpu; t++) {
        if (get(&succ[t]) != get(&boots[t]))
            test_fail("vCPU %u: %lu CPU_ONs succeeded, %lu starts", t, get(&succ[t]),
                      get(&boots[t]));
        starts += get(&boots[t]);
    }
    if (bad_rc)
        test_fail("%lu CPU_ONs returned neither SUCCESS, ALREADY_ON nor ON_PENDING (first %ld)",
                  bad_rc, first_bad_rc);
    if (bad_sctlr || bad_ctx)
        test_fail("starts with the MMU on: %lu, with a wrong context id: %lu", bad_sctlr, bad_ctx);
    if (starts < 50)
        test_fail("only %lu starts", starts);
    test_pass("vcpus=%u starts=%lu already_on=%lu on_pending=%lu", ncpu, starts, already, pending);
}
