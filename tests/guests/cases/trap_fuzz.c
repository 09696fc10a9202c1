/*
 * trap_fuzz: random accesses to everything Cloison emulates for a guest, the
 * other half of its attack surface after hypercalls (hcall_fuzz):
 *  - MMIO: random offsets, widths (8..64 bits, and LDP/STP pairs, which give
 *    the hypervisor no instruction syndrome), alignments and values into the
 *    emulated GIC distributor and redistributors (or CPU interface), the
 *    vPL011, and holes of the IPA space (trap_fuzz_gen.h, shared with the
 *    AArch32 twin);
 *  - system registers: MRS/MSR with random encodings (op0 2 and 3), built at
 *    run time, including the GIC's ICC_* registers (SGIs to random targets),
 *    timers, debug, ID and unallocated encodings.
 * Every access may fault (an injected abort or UNDEF is a fine answer): each
 * runs under trap_expect. The hypervisor must stay up; the test checks a
 * neighbour keeps running. Left out are only writes that break this guest
 * itself (its MMU, vectors, stack pointer selection, exception state, DAIF)
 * and bytes written to the UART's data register. Fixed seed.
 */
#include "guest.h"
#define TEST_RNG_SEED 0x7A4B3C2D1E0F1234ULL
#include "test_rng.h"
#include "trap_fuzz_gen.h"

const char test_name[] = "trap_fuzz";

#define MMIO_OPS 20000
#define SYSREG_OPS 20000

/* ---- MMIO ---- */

/* The emulated devices from the DT, and holes below RAM and far above it. */
static void layout(struct tf_layout *l)
{
    uint64_t cpus = plat.cpu_count ? plat.cpu_count : 1;
    *l = (struct tf_layout){
        .gicd = {plat.gicd, 0x10000},
        .hole = {{0x10000000, 0x10000000}, {0x900000000ULL, 0x1000}},
    };
    if (plat.gic_version == 3)
        l->gicr = (struct tf_window){plat.gicr, 0x20000 * cpus};
    else
        l->gicc = (struct tf_window){plat.gicc, 0x2000};
    if (plat.uart)
        l->uart = (struct tf_window){plat.uart, 0x1000};
}

static void mmio_op(uint64_t a, uint64_t v)
{
    switch (rnd() % 10) {
    case 0:
        __asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
        break;
    case 1:
        __asm__ volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
        break;
    case 2:
        __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
        break;
    case 3:
        __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
        break;
    case 4:
        __asm__ volatile("strb %w0, [%1]" : : "r"(v), "r"(a) : "memory");
        break;
    case 5:
        __asm__ volatile("strh %w0, [%1]" : : "r"(v), "r"(a) : "memory");
        break;
    case 6:
        __asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(a) : "memory");
        break;
    case 7:
        __asm__ volatile("str %0, [%1]" : : "r"(v), "r"(a) : "memory");
        break;
    case 8: {
        uint64_t w = 0;
        __asm__ volatile("ldp %0, %1, [%2]" : "=r"(v), "=r"(w) : "r"(a) : "memory");
        break;
    }
    default:
        __asm__ volatile("stp %0, %0, [%1]" : : "r"(v), "r"(a) : "memory");
        break;
    }
}

/* ---- system registers ---- */

/* Writes that would only break this guest, not test the hypervisor. */
static bool self_harm(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2)
{
    if (op0 != 3)
        return false;
    if (op1 == 0 && (crn == 1 || crn == 2 || crn == 4 || crn == 10))
        return true; /* SCTLR/CPACR, TTBRs/TCR, SPSR/ELR/SP_EL0/SPSel/PMR, MAIR */
    if (op1 == 0 && crn == 12 && crm == 0)
        return true; /* VBAR_EL1 */
    if (op1 == 3 && crn == 4)
        return true; /* NZCV, DAIF, FPCR, ... */
    (void)op2;
    return false;
}

/* MRS/MSR x0 followed by RET, written here and run: the encoding is random. */
static uint32_t code[2] __attribute__((aligned(64)));

static struct trap_record rec; /* one per access: re-armed each time */

static bool sysreg_op(void)
{
    unsigned op0 = 2 + (unsigned)(rnd() % 2), op1 = rnd() % 8, crn = rnd() % 16, crm = rnd() % 16,
             op2 = rnd() % 8;
    /* Half the time, a group Cloison handles (most random encodings are
     * unallocated and only test the UNDEF path). */
    static const uint8_t groups[][4] = {
        /* op0, op1, CRn, CRm (op2 random) */
        {3, 0, 12, 8}, {3, 0, 12, 9}, {3, 0, 12, 11}, {3, 0, 12, 12}, /* ICC_* */
        {3, 3, 14, 0}, {3, 3, 14, 2}, {3, 3, 14, 3},  {3, 0, 14, 1},  /* timers */
        {2, 0, 0, 0},  {2, 0, 0, 1},  {2, 0, 0, 2},   {2, 0, 1, 0},   /* debug */
        {2, 0, 1, 3},  {3, 0, 0, 1},  {3, 0, 0, 4},   {3, 0, 0, 7},   /* OS lock, IDs */
        {3, 3, 9, 12}, {3, 3, 9, 13}, {3, 0, 9, 14},  {3, 0, 10, 4},  /* PMU, LOR */
        {3, 0, 5, 3},  {3, 0, 1, 0},  {3, 0, 15, 0},  {3, 1, 15, 0},  /* RAS, ACTLR, IMPDEF */
    };
    if (rnd() % 2) {
        const uint8_t *g = groups[rnd() % (sizeof(groups) / sizeof(groups[0]))];
        op0 = g[0], op1 = g[1], crn = g[2], crm = g[3];
    }
    bool write = rnd() % 2;
    if (write && self_harm(op0, op1, crn, crm, op2))
        write = false;
    code[0] = (write ? 0xD5100000u : 0xD5300000u) | (op0 - 2) << 19 | op1 << 16 | crn << 12 |
              crm << 8 | op2 << 5; /* Rt = x0 */
    code[1] = 0xD65F03C0u;         /* ret */
    uintptr_t p = (uintptr_t)code;
    __asm__ volatile("dc cvau, %0\n dsb ish\n ic ivau, %0\n dsb ish\n isb" : : "r"(p) : "memory");
    trap_expect(&rec);
    register uint64_t x0 __asm__("x0") = rnd();
    __asm__ volatile("blr %1" : "+r"(x0) : "r"(p) : "x30", "memory");
    return rec.taken;
}

void test_main(void)
{
    irq_disable(); /* whatever this enables stays pending */
    unsigned mmio_faults = 0, undefs = 0;
    struct tf_layout l;
    layout(&l);
    for (unsigned i = 0; i < MMIO_OPS; i++) {
        enum tf_kind kind;
        uint64_t a = tf_mmio_target(&l, &kind);
        trap_expect(&rec);
        mmio_op(a, rnd());
        mmio_faults += rec.taken;
    }
    test_run("mmio=%u faults=%u", MMIO_OPS, mmio_faults);
    for (unsigned i = 0; i < SYSREG_OPS; i++)
        undefs += sysreg_op();
    test_pass("mmio=%u mmio_faults=%u sysregs=%u undefs=%u", MMIO_OPS, mmio_faults, SYSREG_OPS,
              undefs);
}
