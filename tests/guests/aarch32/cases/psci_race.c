/*
 * psci_race (AArch32): tests/guests/cases/psci_race.c for a 32-bit domain:
 * vCPUs racing PSCI CPU_ON (SMC32 ids over HVC #0) and CPU_OFF of each
 * other, run with 4 vCPUs on 2 pCPUs so a CPU_ON often lands while its
 * target is still switching out of its CPU_OFF, and two vCPUs CPU_ON one
 * target at once. Half the starts ask for T32 (entry address | 1).
 *
 * vCPU 0 CPU_ONs random targets among 1..n-1 for 2 s; each started vCPU
 * checks how it was started (SVC mode, IRQ/FIQ/async aborts masked, the
 * instruction set asked for, r0 the context id naming it), CPU_ONs a few
 * random others, then CPU_OFFs. Every CPU_ON result must be SUCCESS,
 * ALREADY_ON or ON_PENDING. Once all but vCPU 0 are off, each target must
 * have started exactly as often as a CPU_ON of it succeeded. No atomics
 * (the MMU is off): every counter has one writer, a vCPU or its starter's row.
 */
#include "guest32.h"

GUEST32_NAME("psci_race");

#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)
#define CTX_MAGIC 0xC0DE0000u
#define CTX_T32 0x80u
#define ONS_PER_LIFE 4
#define N GUEST32_MAX_CPUS

struct row { /* written by one starter only */
    volatile uint32_t succ[N], already, pending, bad_rc;
    volatile int32_t first_bad_rc;
} __attribute__((aligned(64)));
static struct row rows[N];
static volatile uint32_t boots[N], exits[N], bad_entry[N], t32_starts[N];
static volatile uint32_t first_bad_cpsr, first_bad_ctx, first_bad_self;
volatile uint32_t t32_entered[N]; /* T32_MARK written by thumb_entry */
#define T32_MARK 0x7432u
static volatile bool stop;
static unsigned int ncpu;

/* A T32 entry: marks that it ran in T32 (MRS reads the T bit as 0; decoded
 * as A32 these words would not store the mark), then the same secondary path
 * in A32. */
void thumb_entry(void);
#ifdef __thumb__
#define ISA_BACK ".thumb\n"
#else
#define ISA_BACK ".arm\n"
#endif
__asm__(".pushsection .text\n"
        ".syntax unified\n"
        ".thumb\n"
        ".globl thumb_entry\n"
        ".type thumb_entry, %function\n"
        "thumb_entry:\n"
        "    movw r2, #0x7432\n"
        "    mrc p15, 0, r3, c0, c0, 5\n"
        "    and r3, r3, #3\n"
        "    ldr r1, =t32_entered\n"
        "    str r2, [r1, r3, lsl #2]\n"
        "    dsb\n"
        "    ldr r1, =secondary_entry\n"
        "    bx r1\n"
        ".ltorg\n"
        ".popsection\n" ISA_BACK);

static uint32_t next_rand(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void dmb(void)
{
    __asm__ volatile("dmb" ::: "memory");
}

static void start_one(unsigned int self, uint32_t *s)
{
    unsigned int t = 1 + next_rand(s) % (ncpu - 1);
    if (t == self)
        return;
    bool thumb = next_rand(s) & 1;
    uint32_t entry = thumb ? (uint32_t)thumb_entry | 1 : (uint32_t)secondary_entry;
    uint32_t ctx = CTX_MAGIC | self << 8 | (thumb ? CTX_T32 : 0) | t;
    long rc = smccc_hvc(PSCI_CPU_ON, t, entry, ctx);
    struct row *r = &rows[self];
    if (rc == 0)
        r->succ[t]++;
    else if (rc == PSCI_ALREADY_ON)
        r->already++;
    else if (rc == PSCI_ON_PENDING)
        r->pending++;
    else {
        r->first_bad_rc = (int32_t)rc;
        r->bad_rc++;
    }
    dmb();
}

/* From the library's secondary path (start.S): ctx = r0 at entry, cpsr = the
 * CPSR secondary_entry saw (after thumb_entry's BX for a T32 start). */
void test_secondary(unsigned int ctx, uint32_t cpsr)
{
    unsigned int self = MRC(0, 0, 0, 5) & (N - 1);
    /* SVC, A/I/F masked; the BX of a T32 start leaves T clear. */
    bool t32 = t32_entered[self] == T32_MARK;
    t32_entered[self] = 0;
    if ((ctx & 0xffff0000u) != CTX_MAGIC || (ctx & 0xf) != self || (cpsr & 0x1ff) != 0x1d3 ||
        t32 != !!(ctx & CTX_T32)) {
        first_bad_cpsr = cpsr, first_bad_ctx = ctx, first_bad_self = self;
        bad_entry[self]++;
    }
    t32_starts[self] += !!(ctx & CTX_T32);
    boots[self]++;
    dmb();
    uint32_t s = (uint32_t)cntvct() ^ ctx ^ 0x9E3779B9u;
    if (!s)
        s = 1;
    for (unsigned int i = 0; i < ONS_PER_LIFE && !stop; i++)
        start_one(self, &s);
    exits[self]++;
    dmb();
}

static bool settled(void)
{
    for (unsigned int t = 1; t < ncpu; t++)
        if (smccc_hvc(PSCI_AFFINITY_INFO, t, 0, 0) != 1 || boots[t] != exits[t])
            return false;
    return true;
}

void test_main(void)
{
    ncpu = 0;
    while (ncpu < N && (ncpu == 0 || smccc_hvc(PSCI_AFFINITY_INFO, ncpu, 0, 0) >= 0))
        ncpu++;
    if (ncpu < 3)
        test_fail("needs 3 or more vCPUs, found %u", ncpu);
    uint32_t s = (uint32_t)cntvct() | 1;
    uint64_t freq = cntfrq(), t0 = cntvct();
    while (cntvct() - t0 < 2 * freq)
        start_one(0, &s);
    stop = true;
    dmb();
    uint64_t w0 = cntvct(), calm = 0;
    for (;;) {
        if (cntvct() - w0 > 5 * freq)
            test_fail("vCPUs did not settle in 5 s");
        if (!settled())
            calm = 0;
        else if (!calm)
            calm = cntvct();
        else if (cntvct() - calm > freq / 50)
            break; /* settled for 20 ms */
    }
    uint32_t starts = 0, t32 = 0, already = 0, pending = 0, bad_rc = 0, bad = 0;
    int32_t first_rc = 0;
    for (unsigned int t = 1; t < ncpu; t++) {
        uint32_t succ = 0;
        for (unsigned int r = 0; r < ncpu; r++)
            succ += rows[r].succ[t];
        if (succ != boots[t])
            test_fail("vCPU %u: %u CPU_ONs succeeded, %u starts", t, succ, boots[t]);
        starts += boots[t], t32 += t32_starts[t], bad += bad_entry[t];
    }
    for (unsigned int r = 0; r < ncpu; r++) {
        already += rows[r].already, pending += rows[r].pending, bad_rc += rows[r].bad_rc;
        if (rows[r].bad_rc)
            first_rc = rows[r].first_bad_rc;
    }
    if (bad_rc)
        test_fail("%u CPU_ONs returned neither SUCCESS, ALREADY_ON nor ON_PENDING (one: %d)",
                  bad_rc, (int)first_rc);
    if (bad)
        test_fail("%u starts with a wrong context id or CPSR (one: vCPU %u ctx 0x%x CPSR 0x%x)",
                  bad, first_bad_self, first_bad_ctx, first_bad_cpsr);
    if (starts < 50 || t32 == 0)
        test_fail("only %u starts, %u of them T32", starts, t32);
    test_pass("vcpus=%u starts=%u t32=%u already_on=%u on_pending=%u", ncpu, starts, t32, already,
              pending);
}
