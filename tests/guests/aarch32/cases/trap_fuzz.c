/*
 * trap_fuzz (AArch32): tests/guests/cases/trap_fuzz.c for a 32-bit domain,
 * on every vCPU at once. Each access is one instruction built at run time in
 * this vCPU's code buffer (A32, or T32 in the T32 build) and run there, so
 * the encodings are random:
 *  - CP15/CP14 MRC/MCR and MRRC/MCRR with random opc1/CRn/CRm/opc2 (half the
 *    time in a group Cloison serves: timers, ICC_*, PMU, debug, IDs, IMPDEF,
 *    set/way), conditional ones under random flags (a failing condition must
 *    leave the registers alone), VMRS/VMSR, WFE, WFI whose condition fails,
 *    HVC and SMC with random immediates and function ids, UDF, LDC/STC to
 *    CP14, MCR2 (A32);
 *  - MMIO of every size (LDR/STR B/H/SB/SH/word, the 16-bit T32 forms) and
 *    forms that give the hypervisor no syndrome and must not be emulated
 *    (LDRD/STRD, LDM/STM, post-indexed), into the vGIC, the vPL011 and holes
 *    (trap_fuzz_gen.h, the same aim as the 64-bit guest).
 * Any fault is a fine answer except where the architecture says what comes:
 * a hole aborts, a no-syndrome access to a device aborts, UDF is UNDEFINED.
 * First, a WFI with the virtual timer armed must come back. Left out are
 * writes that only break this guest (SCTLR, CPACR, VBAR), the UART's data
 * register, PSCI and Xen calls (their own fuzzers). Fixed seeds per vCPU.
 */
#include <string.h>

#include "guest32.h"

GUEST32_NAME("trap_fuzz");

static uint64_t rng_state[GUEST32_MAX_CPUS];
static unsigned int this_cpu(void)
{
    return MRC(0, 0, 0, 5) & (GUEST32_MAX_CPUS - 1); /* MPIDR.Aff0 */
}
#define TEST_RNG_STATE rng_state[this_cpu()]
#include "test_rng.h"
#include "trap_fuzz_gen.h"

#ifndef OPS
#define OPS 20000
#endif

#ifdef __thumb__
#define THUMB 1u
#define FROM_CPSR 0x1f3u /* SVC, I and F masked, T */
#else
#define THUMB 0u
#define FROM_CPSR 0x1d3u
#endif

#define GICD 0x03001000u
#define GICC 0x03002000u
#define GICR 0x03020000u
#define PPI_VTIMER 27

/* ---- what the device tree says (a byte search: no DT parser here) ---- */

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned int dt_count(const char *s)
{
    const uint8_t *dt = (const uint8_t *)boot_state.r2;
    uint32_t size = be32(dt + 4);
    size_t n = strlen(s);
    unsigned int c = 0;
    /* Byte by byte: with the MMU off RAM is Device memory, no unaligned loads. */
    for (uint32_t i = 0; i + n <= size; i++) {
        size_t k = 0;
        while (k < n && dt[i + k] == (uint8_t)s[k])
            k++;
        c += k == n;
    }
    return c;
}

static int gic_version;
static unsigned int ncpus;

/* ---- the code buffer ---- */

/*
 * One page per vCPU, code and all: no other vCPU writes to or runs code from
 * the page holding a vCPU's buffer. With the buffers of two vCPUs in one
 * page, QEMU 7.2's multi-threaded TCG now and then (5 runs in 265 on a
 * loaded host, 2026-12-05) kept running a stale translation of a buffer
 * whatever was written into it after, until the end of the run: the same
 * instruction answered every access (a UDF aborted, an access to a hole did
 * not), while the guest read the new instruction back from memory and
 * running it again gave the same stale answer. Not seen with one page per
 * vCPU (0 in 200) nor under single-threaded TCG (0 in 130). Real CPUs need
 * only the ICIALLU below.
 */
struct cpu_state {
    /* A32: insn, bx lr. T32: IT or NOP, hw1, hw2 (or 16-bit insn, NOP), bx lr. */
    uint32_t code[4] __attribute__((aligned(16)));
    volatile bool armed;
    volatile unsigned int taken; /* kind + 1 of the exception taken, 0: none */
    volatile uint32_t spsr;      /* its SPSR (stale under QEMU when injected from EL2) */
    unsigned int undefs, aborts, bad;
    unsigned int cond_fail, mmio, hole, nosyn;
    volatile bool done;
} __attribute__((aligned(4096)));
static struct cpu_state cpus[GUEST32_MAX_CPUS];

static uint32_t resume_addr(struct cpu_state *c)
{
    return (uint32_t)c->code + (THUMB ? 6 : 4);
}

/* An exception from the buffer resumes at its "bx lr", in this build's state. */
static bool hook(enum trap_kind kind, struct frame32 *f)
{
    struct cpu_state *c = &cpus[this_cpu()];
    uint32_t from = (uint32_t)c->code;
    uint32_t at = f->lr - (kind == T_UNDEF ? (THUMB ? 2 : 4) : 8);
    if (!c->armed || at < from || at >= from + 16 || (kind != T_UNDEF && kind != T_DABT))
        return false;
    c->taken = (unsigned int)kind + 1;
    c->spsr = f->spsr;
    f->lr = resume_addr(c);
    f->spsr = (f->spsr & 0xf0000000u) | FROM_CPSR;
    return true;
}

static void flush_code(struct cpu_state *c)
{
    __asm__ volatile("dsb" ::: "memory");
    MCR(0, 7, 5, 0, 0); /* ICIALLU */
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    (void)c;
}

/* The instruction in c->code: a32 = the A32 form (cond AL); t32 = hw1 << 16 |
 * hw2, or a 16-bit hw in the low half with t16. */
static void put(struct cpu_state *c, uint32_t a32, uint32_t t32, bool t16, unsigned int cond)
{
#ifdef __thumb__
    uint16_t *h = (uint16_t *)c->code;
    (void)a32;
    h[0] = cond < 14 ? (uint16_t)(0xbf08u | cond << 4) : 0xbf00u; /* IT<cond> or NOP */
    if (t16) {
        h[1] = (uint16_t)t32;
        h[2] = 0xbf00u;
    } else {
        h[1] = (uint16_t)(t32 >> 16);
        h[2] = (uint16_t)t32;
    }
    h[3] = 0x4770u; /* bx lr */
#else
    (void)t32, (void)t16;
    c->code[0] = (a32 & 0x0fffffffu) | (cond & 15u) << 28;
    c->code[1] = 0xe12fff1eu; /* bx lr */
#endif
    flush_code(c);
}

struct regs {
    uint32_t r[4];
};

/* Run the buffer with r0-r3 and the flags given; returns the kind + 1 of an
 * exception taken, 0 for none. */
static unsigned int run(struct cpu_state *c, struct regs *io, uint32_t nzcv)
{
    register uint32_t r0 __asm__("r0") = io->r[0];
    register uint32_t r1 __asm__("r1") = io->r[1];
    register uint32_t r2 __asm__("r2") = io->r[2];
    register uint32_t r3 __asm__("r3") = io->r[3];
    uint32_t target = (uint32_t)c->code | THUMB;

    c->taken = 0;
    c->armed = true;
    __asm__ volatile("msr APSR_nzcvq, %4\n\tblx %5"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
                     : "r"(nzcv), "r"(target)
                     : "r12", "lr", "cc", "memory");
    c->armed = false;
    io->r[0] = r0, io->r[1] = r1, io->r[2] = r2, io->r[3] = r3;
    return c->taken;
}

static bool cond_passes(unsigned int cond, uint32_t f)
{
    bool n = f >> 31 & 1, z = f >> 30 & 1, cy = f >> 29 & 1, v = f >> 28 & 1, r;
    switch (cond >> 1) {
    case 0:
        r = z;
        break;
    case 1:
        r = cy;
        break;
    case 2:
        r = n;
        break;
    case 3:
        r = v;
        break;
    case 4:
        r = cy && !z;
        break;
    case 5:
        r = n == v;
        break;
    case 6:
        r = !z && n == v;
        break;
    default:
        return true;
    }
    return cond & 1 ? !r : r;
}

/* ---- coprocessor and system instructions ---- */

/* MCR writes that only break this guest. */
static bool self_harm(unsigned int cp, unsigned int opc1, unsigned int crn, unsigned int crm,
                      unsigned int opc2)
{
    if (cp != 15 || opc1 != 0)
        return false;
    if (crn == 1 && crm == 0 && (opc2 == 0 || opc2 == 2))
        return true;                           /* SCTLR (MMU, TE, vectors), CPACR */
    return crn == 12 && crm == 0 && opc2 == 0; /* VBAR */
}

static uint32_t smccc_fid(void)
{
    uint32_t fid = (uint32_t)rnd();
    if ((fid & 0x3f000000u) == 0x04000000u)
        fid ^= 0x01000000u; /* not the standard service (PSCI): SYSTEM_OFF, CPU_OFF */
    return fid;
}

static void sys_op(struct cpu_state *c)
{
    static const uint8_t groups[][4] = {
        /* cp, opc1, CRn, CRm (opc2 random) */
        {15, 0, 14, 2},  {15, 0, 14, 3},
        {15, 0, 14, 1},  {15, 0, 14, 0}, /* timers */
        {15, 0, 12, 12}, {15, 0, 12, 8},
        {15, 0, 4, 6},   {15, 0, 12, 11}, /* ICC_* */
        {15, 0, 9, 12},  {15, 0, 9, 13},
        {15, 0, 9, 14},  {15, 0, 0, 1}, /* PMU, IDs */
        {15, 0, 0, 2},   {15, 1, 0, 0},
        {15, 0, 1, 0},   {15, 0, 15, 0}, /* CCSIDR, ACTLR, IMPDEF */
        {15, 0, 7, 6},   {15, 0, 7, 10},
        {15, 0, 7, 14},  {15, 0, 10, 2}, /* set/way, MAIR */
        {14, 0, 0, 0},   {14, 0, 0, 2},
        {14, 0, 1, 0},   {14, 0, 0, 7}, /* debug */
        {14, 0, 1, 3},   {14, 0, 7, 14},
        {14, 7, 0, 0},   {14, 6, 0, 0}, /* OS lock, Jazelle, ThumbEE */
    };
    struct regs io = {{(uint32_t)rnd(), (uint32_t)rnd(), 0, 0}};
    struct regs before = io;
    uint32_t nzcv = (uint32_t)rnd() & 0xf0000000u;
    unsigned int cond = rnd() % 2 ? 14 : (unsigned int)(rnd() % 15);
    unsigned int cp = rnd() % 2 ? 15 : 14, opc1 = rnd() % 8, crn = rnd() % 16, crm = rnd() % 16,
                 opc2 = rnd() % 8;
    bool check_regs = true, must_undef = false;
    uint32_t a32, t32;
    bool t16 = false;

    if (rnd() % 2) {
        const uint8_t *g = groups[rnd() % (sizeof(groups) / sizeof(groups[0]))];
        cp = g[0], opc1 = g[1], crn = g[2], crm = g[3];
    }
    switch (rnd() % 16) {
    default: { /* MRC/MCR, Rt = r0 */
        bool read = rnd() % 2 || self_harm(cp, opc1, crn, crm, opc2);
        a32 =
            0x0e000010u | opc1 << 21 | (uint32_t)read << 20 | crn << 16 | cp << 8 | opc2 << 5 | crm;
        t32 =
            0xee000010u | opc1 << 21 | (uint32_t)read << 20 | crn << 16 | cp << 8 | opc2 << 5 | crm;
        break;
    }
    case 8:
    case 9: { /* MRRC/MCRR, Rt = r0, Rt2 = r1; opc1 4 bits */
        static const uint8_t crm64[] = {2, 7, 12, 14, 15, 1, 4, 9};
        bool read = rnd() % 2;
        unsigned int o = rnd() % 16, m = rnd() % 2 ? crm64[rnd() % 8] : rnd() % 16;
        a32 = 0x0c400000u | (uint32_t)read << 20 | 1u << 16 | cp << 8 | o << 4 | m;
        t32 = 0xec400000u | (uint32_t)read << 20 | 1u << 16 | cp << 8 | o << 4 | m;
        break;
    }
    case 10: { /* VMRS/VMSR r0, <reg>: FPSID, FPSCR, MVFR2/1/0, FPEXC, others */
        unsigned int reg = rnd() % 16;
        bool read = rnd() % 4 != 0 || reg == 8; /* FPEXC stays as it is */
        a32 = (read ? 0x0ef00a10u : 0x0ee00a10u) | reg << 16;
        t32 = (read ? 0xeef00a10u : 0xeee00a10u) | reg << 16;
        break;
    }
    case 11: /* WFE (a yield), or WFI whose condition fails (else it could sleep) */
        if (rnd() % 2) {
            a32 = 0x0320f002u, t32 = 0xbf20u, t16 = true;
        } else {
            a32 = 0x0320f003u, t32 = 0xbf30u, t16 = true;
            if (cond == 14 || cond_passes(cond, nzcv))
                cond = 0, nzcv = 0; /* EQ with Z clear */
        }
        break;
    case 12: { /* HVC/SMC (always unconditional): random immediates and SMCCC ids */
        uint32_t imm = (uint32_t)rnd() & 0xffff;
        cond = 14;
        io.r[0] = smccc_fid();
        check_regs = false;
        if (rnd() % 2) {
            if (imm == 0xea1)
                imm = 0; /* Xen calls are hcall_fuzz's */
            a32 = 0x01400070u | (imm >> 4) << 8 | (imm & 15);
            t32 = 0xf7e08000u | (imm >> 12) << 16 | (imm & 0xfff);
        } else {
            a32 = 0x01600070u | (imm & 15);
            t32 = 0xf7f08000u | (imm & 15) << 16;
        }
        break;
    }
    case 13: { /* UDF: always UNDEFINED */
        uint32_t imm = (uint32_t)rnd() & 0xffff;
        cond = 14;
        a32 = 0x07f000f0u | (imm >> 4) << 8 | (imm & 15);
        if (rnd() % 2) {
            t32 = 0xde00u | (imm & 0xff);
            t16 = true;
        } else {
            t32 = 0xf7f0a000u | (imm >> 12) << 16 | (imm & 0xfff);
        }
        must_undef = true;
        break;
    }
    case 14: { /* LDC/STC p14 (DBGDTRRX/TX and others) [r1], r1 = a word of scratch */
        static uint32_t word[GUEST32_MAX_CPUS];
        bool load = rnd() % 2;
        unsigned int crd = rnd() % 2 ? 5 : rnd() % 16;
        io.r[1] = before.r[1] = (uint32_t)&word[this_cpu()];
        a32 = 0x0d810e00u | (uint32_t)load << 20 | crd << 12;
        t32 = 0xed810e00u | (uint32_t)load << 20 | crd << 12;
        break;
    }
    case 15: /* MCR2/MRC2 (A32 cond 1111) and CDP to cp14/cp15: UNDEFINED space */
        a32 = 0x0e000000u | opc1 << 20 | crn << 16 | cp << 8 | opc2 << 5 | crm;
        t32 = 0xee000000u | opc1 << 20 | crn << 16 | cp << 8 | opc2 << 5 | crm;
        if (!THUMB && rnd() % 2) {
            a32 = 0x0e000010u | opc1 << 21 | 1u << 20 | crn << 16 | cp << 8 | opc2 << 5 | crm;
            cond = 15;
        }
        break;
    }
    put(c, a32, t32, t16, cond);
    unsigned int t = run(c, &io, nzcv);
    c->undefs += t == T_UNDEF + 1;
    c->aborts += t == T_DABT + 1;
    if (must_undef && t != T_UNDEF + 1 && c->bad++ < 4)
        gprintf("TEST %s RUN cpu%u: UDF 0x%x took %u, not UNDEF\n", test_name, this_cpu(),
                THUMB ? t32 : a32, t);
    if (cond < 14 && !cond_passes(cond, nzcv)) {
        c->cond_fail++;
        /* Not executed: no register written. (An UNDEFINED encoding may still
         * UNDEF: the architecture leaves that to the implementation.) */
        if (check_regs && (io.r[0] != before.r[0] || io.r[1] != before.r[1]) && c->bad++ < 4)
            gprintf("TEST %s RUN cpu%u: 0x%x with cond %u failing wrote r0/r1\n", test_name,
                    this_cpu(), THUMB ? t32 : a32, cond);
    }
}

/* ---- MMIO ---- */

static void mmio_op(struct cpu_state *c, const struct tf_layout *l)
{
    /* A32 form (cond AL), T32 form, 16-bit T32, access size, has a syndrome.
     * Data in r0 (r2/r3 for pairs), address in r1. */
    static const struct {
        uint32_t a32, t32;
        uint8_t t16, size, syndrome;
    } ops[] = {
        {0x05910000u, 0xf8d10000u, 0, 4, 1}, /* LDR r0, [r1] */
        {0x05810000u, 0xf8c10000u, 0, 4, 1}, /* STR */
        {0x05d10000u, 0xf8910000u, 0, 1, 1}, /* LDRB */
        {0x05c10000u, 0xf8810000u, 0, 1, 1}, /* STRB */
        {0x01d100b0u, 0xf8b10000u, 0, 2, 1}, /* LDRH */
        {0x01c100b0u, 0xf8a10000u, 0, 2, 1}, /* STRH */
        {0x01d100f0u, 0xf9b10000u, 0, 2, 1}, /* LDRSH */
        {0x01d100d0u, 0xf9910000u, 0, 1, 1}, /* LDRSB */
        {0x05910000u, 0x6808u, 1, 4, 1},     /* LDR (T32 16-bit) */
        {0x05810000u, 0x6008u, 1, 4, 1},     /* STR (T32 16-bit) */
        {0x01d100b0u, 0x8808u, 1, 2, 1},     /* LDRH (T32 16-bit) */
        {0x05c10000u, 0x7008u, 1, 1, 1},     /* STRB (T32 16-bit) */
        {0x01c120d0u, 0xe9d12300u, 0, 8, 0}, /* LDRD r2, r3, [r1] */
        {0x01c120f0u, 0xe9c12300u, 0, 8, 0}, /* STRD r2, r3, [r1] */
        {0x0891000cu, 0xe891000cu, 0, 8, 0}, /* LDM r1, {r2, r3} */
        {0x0881000cu, 0xe881000cu, 0, 8, 0}, /* STM r1, {r2, r3} */
        {0x04910004u, 0xf8510b04u, 0, 4, 0}, /* LDR r0, [r1], #4 (writeback) */
        {0x04810004u, 0xf8410b04u, 0, 4, 0}, /* STR r0, [r1], #4 */
    };
    unsigned int k = rnd() % (sizeof(ops) / sizeof(ops[0]));
    enum tf_kind kind;
    uint32_t a = (uint32_t)tf_mmio_target(l, &kind);
    if (rnd() % 4)
        a &= ~(uint32_t)(ops[k].size > 4 ? 3 : ops[k].size - 1); /* mostly aligned */
    struct regs io = {{(uint32_t)rnd(), a, (uint32_t)rnd(), (uint32_t)rnd()}};

    put(c, ops[k].a32, ops[k].t32, ops[k].t16, 14);
    unsigned int t = run(c, &io, 0);
    c->mmio++;
    c->aborts += t == T_DABT + 1;
    c->undefs += t == T_UNDEF + 1;
    /* Emulated devices refuse what they cannot decode; GICv2's CPU interface
     * is not emulated (mapped), anything goes there. */
    bool emulated = kind == TF_GIC || kind == TF_UART;
    bool must_abort = kind == TF_HOLE || (emulated && !ops[k].syndrome);
    c->hole += kind == TF_HOLE;
    c->nosyn += emulated && !ops[k].syndrome;
    if (must_abort && t != T_DABT + 1 && c->bad++ < 4)
        gprintf("TEST %s RUN cpu%u: %s 0x%x at 0x%x took %u (spsr 0x%x), not an abort\n", test_name,
                this_cpu(), kind == TF_HOLE ? "hole" : "no-syndrome access",
                THUMB ? ops[k].t32 : ops[k].a32, a, t, c->spsr);
}

static void layout(struct tf_layout *l)
{
    *l = (struct tf_layout){
        .gicd = {GICD, gic_version == 3 ? 0x10000 : 0x1000},
        .uart = {VPL011, 0x1000},
        .hole = {{0x10000000u, 0x10000000u}, {0xf0000000u, 0x1000}},
    };
    if (gic_version == 3)
        l->gicr = (struct tf_window){GICR, 0x20000u * ncpus};
    else
        l->gicc = (struct tf_window){GICC, 0x2000};
}

static void fuzz(unsigned int cpu)
{
    struct cpu_state *c = &cpus[cpu];
    struct tf_layout l;
    layout(&l);
    for (unsigned int i = 0; i < OPS; i++) {
        if (rnd() % 2)
            mmio_op(c, &l);
        else
            sys_op(c);
        if (cpu == 0 && (i + 1) % 5000 == 0)
            test_run("ops=%u", i + 1);
    }
    __asm__ volatile("dsb" ::: "memory");
    c->done = true;
}

/* ---- WFI with the virtual timer armed comes back ---- */

static void wfi_wakes(void)
{
    if (gic_version == 3) {
        mmio_write32(GICD, 0x13);                                  /* ARE, Grp1NS, Grp0 */
        mmio_write32(GICR + 0x14, mmio_read32(GICR + 0x14) & ~2u); /* WAKER */
        mmio_write32(GICR + 0x10000 + 0x100, 1u << PPI_VTIMER);    /* ISENABLER0 */
        MCR(0, 4, 6, 0, 0xff);                                     /* ICC_PMR */
        MCR(0, 12, 12, 7, 1);                                      /* ICC_IGRPEN1 */
    } else {
        mmio_write32(GICD, 1);
        mmio_write32(GICD + 0x100, 1u << PPI_VTIMER);
        mmio_write32(GICC + 4, 0xff); /* PMR */
        mmio_write32(GICC, 1);
    }
    uint64_t t0 = cntvct();
    MCR(0, 14, 3, 0, cntfrq() / 1000); /* CNTV_TVAL: 1 ms */
    MCR(0, 14, 3, 1, 1);               /* enabled, not masked; CPSR.I masks it */
    isb();
    /* WFI may come back early (the architecture allows it): again until the
     * timer fires. One that never comes back is the failure (the test's
     * timeout). */
    uint32_t ctl;
    unsigned int wakes = 0;
    do {
        __asm__ volatile("dsb\n\twfi" ::: "memory");
        wakes++;
        ctl = MRC(0, 14, 3, 1);
    } while (!(ctl & 4) && cntvct() - t0 < (uint64_t)cntfrq() * 2);
    MCR(0, 14, 3, 1, 2); /* masked */
    if (!(ctl & 4))
        test_fail("the virtual timer never fired (ctl 0x%x, %u WFIs)", ctl, wakes);
}

void test_secondary(unsigned int cpu, uint32_t cpsr)
{
    (void)cpsr;
    fuzz(cpu);
}

void test_main(void)
{
    gic_version = dt_count("arm,gic-v3") ? 3 : 2;
    ncpus = dt_count("cpu@");
    if (ncpus < 1 || ncpus > GUEST32_MAX_CPUS)
        ncpus = 1;
    for (unsigned int i = 0; i < GUEST32_MAX_CPUS; i++)
        rng_state[i] = 0x7A4B3C2D1E0F1234ULL + 0x9E3779B97F4A7C15ULL * i;
    trap_hook = hook;
    wfi_wakes();
    for (unsigned int cpu = 1; cpu < ncpus; cpu++)
        if (smccc_hvc(PSCI_CPU_ON, cpu, (uint32_t)secondary_entry, cpu) != 0)
            test_fail("CPU_ON %u", cpu);
    fuzz(0);
    uint64_t end = cntvct() + (uint64_t)cntfrq() * 120;
    for (unsigned int cpu = 1; cpu < ncpus; cpu++)
        while (!cpus[cpu].done)
            if (cntvct() > end)
                test_fail("cpu %u never finished", cpu);
    unsigned int u = 0, ab = 0, bad = 0, cf = 0, mm = 0, ho = 0, ns = 0;
    for (unsigned int cpu = 0; cpu < ncpus; cpu++) {
        struct cpu_state *c = &cpus[cpu];
        u += c->undefs, ab += c->aborts, bad += c->bad, cf += c->cond_fail;
        mm += c->mmio, ho += c->hole, ns += c->nosyn;
    }
    if (bad)
        test_fail("%u accesses answered against the architecture", bad);
    test_pass("cpus=%u gic=%d ops=%u mmio=%u holes=%u nosyndrome=%u undefs=%u aborts=%u "
              "cond_failed=%u",
              ncpus, gic_version, OPS * ncpus, mm, ho, ns, u, ab, cf);
}
