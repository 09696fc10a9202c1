/*
 * The ID registers guests read (trapped by HCR_EL2.TID3 and TID1), built
 * once at boot from the boot CPU's values.
 *
 * The AArch64 registers are an allow-list: a field is passed through only if
 * Cloison lets the guest use that feature as the hardware provides it, so a
 * field the architecture adds later reads as 0 (absent) instead of
 * advertising something nobody virtualises. Hidden, with the reason:
 *  - SVE, SME: their state (Z/P/ZA registers, ZCR/SMCR) is not switched;
 *    CPTR_EL2.TZ/TSM trap them.
 *  - MTE: tags are not switched and stage 2 has no tagged memory.
 *  - PMU, SPE, trace, TRBE, BRBE: trapped by MDCR_EL2/CPTR_EL2, read as zero.
 *    With PMUVer = 0 Linux neither probes the PMU nor writes PMUSERENR_EL0.
 *  - Debug: DebugVer is v8.0 and DoubleLock "not implemented", matching what
 *    vdebug.c emulates (OSDLR_EL1 RAZ/WI; the breakpoint registers RAZ/WI).
 *  - EL2, nested virtualisation, stage-2 and EL2-only features (VH, VMID
 *    bits, FGT, HCX, EVT, FWB, XNX, TWED): the guest has no EL2.
 *  - RAS, AMU, MPAM, TME, RME, SEL2, NMI, LS64, MOPS, WFxT: need EL2 support
 *    (HCRX enables, error records, counters, partitions) that Cloison lacks.
 *  - CSV2 above 1: CSV2_2/CSV2_1p2 give EL1 SCXTNUM_ELx, which trap while
 *    HCR_EL2.EnSCXT is 0.
 * PAuth is passed through: Cloison switches the keys (context.c) and sets
 * HCR_EL2.API/APK. LORegions stay visible: LORID_EL1 reads 0 (no regions).
 * The AArch32 registers (EL0 compat) pass through except the same features.
 * Unallocated encodings in the ID space read as zero, as the architecture
 * defines them. Limitation: asymmetric CPUs would need a per-field minimum
 * over all pCPUs; the boot CPU is taken as representative.
 */
#include <drivers/irqchip.h>
#include <cloison/printk.h>
#include <trap/traps.h>
#include <asm/cpu.h>
#include <asm/sysreg.h>
#include <asm/vsysreg.h>

#define F(shift) (0xfUL << (shift))
#define FIELD(val, shift) (((val) >> (shift)) & 0xf)

/* A field kept from the host but capped at a maximum value. */
struct idcap {
    uint8_t shift, max;
};

struct iddesc {
    uint8_t crm, op2;       /* op0=3, op1=0, CRn=0 */
    uint64_t (*host)(void); /* reads the host register at EL2 */
    uint64_t keep;          /* fields passed through */
    uint64_t force;         /* fixed field values (outside keep) */
    struct idcap cap[2];    /* {0, 0} = unused */
};

/* host_<crm>_<op2>(): the boot CPU's register. The trailing assertion only
 * makes each use a declaration that ends in ';'. */
#define HOST(crm, op2)                              \
    static uint64_t host_##crm##_##op2(void)        \
    {                                               \
        return read_sysreg(s3_0_c0_c##crm##_##op2); \
    }                                               \
    _Static_assert((crm) >= 1 && (crm) <= 7, "ID space")

/* AArch32: ID_PFR0/1, ID_DFR0, ID_MMFR0..3; ID_ISAR0..5, ID_MMFR4, ID_ISAR6;
 * MVFR0..2, ID_PFR2, ID_MMFR5. AArch64: PFR0/1, DFR0, ISAR0..2, MMFR0..2. */
HOST(1, 0);
HOST(1, 1);
HOST(1, 2);
HOST(1, 4);
HOST(1, 5);
HOST(1, 6);
HOST(1, 7);
HOST(2, 0);
HOST(2, 1);
HOST(2, 2);
HOST(2, 3);
HOST(2, 4);
HOST(2, 5);
HOST(2, 6);
HOST(2, 7);
HOST(3, 0);
HOST(3, 1);
HOST(3, 2);
HOST(3, 4);
HOST(3, 6);
HOST(4, 0);
HOST(4, 1);
HOST(5, 0);
HOST(6, 0);
HOST(6, 1);
HOST(6, 2);
HOST(7, 0);
HOST(7, 1);
HOST(7, 2);

#define ALL (~0UL)
#define GIC_SHIFT_64 24 /* ID_AA64PFR0_EL1.GIC */
#define GIC_SHIFT_32 28 /* ID_PFR1_EL1.GIC */
#define NOCAP    \
    {            \
        {        \
            0, 0 \
        }        \
    }

/* clang-format off: one register per line reads better than the wrapped form */
static const struct iddesc descs[] = {
    /* ID_PFR0_EL1: no RAS, no AMU */
    {1, 0, host_1_0, ALL & ~(F(28) | F(20)), 0, NOCAP},
    /* ID_PFR1_EL1: no Virtualization, Virt_frac; GIC set at init */
    {1, 1, host_1_1, ALL & ~(F(12) | F(24) | F(GIC_SHIFT_32)), 0, NOCAP},
    /* ID_DFR0_EL1: CopDbg (capped at v8.0), CopSDbg, MMapDbg, MProfDbg; no PMU, no trace */
    {1, 2, host_1_2, F(0) | F(4) | F(8) | F(20), 0, {{0, 6}}},
    /* ID_MMFR0..3_EL1; ID_ISAR0..5_EL1, ID_MMFR4_EL1, ID_ISAR6_EL1; MVFR0..2_EL1 */
    {1, 4, host_1_4, ALL, 0, NOCAP},
    {1, 5, host_1_5, ALL, 0, NOCAP},
    {1, 6, host_1_6, ALL, 0, NOCAP},
    {1, 7, host_1_7, ALL, 0, NOCAP},
    {2, 0, host_2_0, ALL, 0, NOCAP},
    {2, 1, host_2_1, ALL, 0, NOCAP},
    {2, 2, host_2_2, ALL, 0, NOCAP},
    {2, 3, host_2_3, ALL, 0, NOCAP},
    {2, 4, host_2_4, ALL, 0, NOCAP},
    {2, 5, host_2_5, ALL, 0, NOCAP},
    {2, 6, host_2_6, ALL, 0, NOCAP},
    {2, 7, host_2_7, ALL, 0, NOCAP},
    {3, 0, host_3_0, ALL, 0, NOCAP},
    {3, 1, host_3_1, ALL, 0, NOCAP},
    {3, 2, host_3_2, ALL, 0, NOCAP},
    /* ID_PFR2_EL1: CSV3, SSBS (no RAS_frac) */
    {3, 4, host_3_4, F(0) | F(4), 0, NOCAP},
    /* ID_MMFR5_EL1: ETS */
    {3, 6, host_3_6, F(0), 0, NOCAP},
    /* ID_AA64PFR0_EL1: EL0, EL1 (AArch64 only, HCR_EL2.RW), EL3, FP, AdvSIMD, DIT,
     * CSV2 (<= 1), CSV3. EL2 absent; GIC set at init. */
    {4,
     0,
     host_4_0,
     F(0) | F(4) | F(12) | F(16) | F(20) | F(48) | F(56) | F(60),
     0,
     {{56, 1}, {4, 1}}},
    /* ID_AA64PFR1_EL1: BT, SSBS, CSV2_frac (<= 1) */
    {4, 1, host_4_1, F(0) | F(4) | F(32), 0, {{32, 1}}},
    /* ID_AA64DFR0_EL1: BRPs, WRPs, CTX_CMPs; DebugVer v8.0 (6), DoubleLock absent (0xf) */
    {5, 0, host_5_0, F(12) | F(20) | F(28), (6UL << 0) | (0xfUL << 36), NOCAP},
    /* ID_AA64ISAR0_EL1: every instruction set extension except TME */
    {6, 0, host_6_0, ALL & ~F(24), 0, NOCAP},
    /* ID_AA64ISAR1_EL1: all but LS64 (needs HCRX_EL2 enables) */
    {6, 1, host_6_1, ALL & ~F(60), 0, NOCAP},
    /* ID_AA64ISAR2_EL1: RPRES, GPA3, APA3, BC, PAC_frac, CLRBHB */
    {6, 2, host_6_2, F(4) | F(8) | F(12) | F(20) | F(24) | F(28), 0, NOCAP},
    /* ID_AA64MMFR0_EL1: PARange, ASIDBits, BigEnd, SNSMem, BigEndEL0, TGran16/64/4,
     * ExS, ECV (<= 1: CNTPOFF is an EL2 feature) */
    {7,
     0,
     host_7_0,
     F(0) | F(4) | F(8) | F(12) | F(16) | F(20) | F(24) | F(28) | F(44) | F(60),
     0,
     {{60, 1}}},
    /* ID_AA64MMFR1_EL1: HAFDBS, HPDS, LO, PAN, SpecSEI, ETS, AFP, nTLBPA, ECBHB */
    {7, 1, host_7_1, F(0) | F(12) | F(16) | F(20) | F(24) | F(36) | F(44) | F(48) | F(60), 0,
     NOCAP},
    /* ID_AA64MMFR2_EL1: CnP, UAO, LSM, IESB, VARange, CCIDX, ST, AT, IDS, TTL, BBM, E0PD */
    {7, 2, host_7_2,
     F(0) | F(4) | F(8) | F(12) | F(16) | F(20) | F(28) | F(32) | F(36) | F(48) | F(52) | F(60), 0,
     NOCAP},
};
/* clang-format on */

/* Guest view of the ID space: CRm 1..7 x op2 0..7; everything else RAZ. */
static uint64_t guest_id[7][8];
static uint64_t host_revidr, host_aidr, host_actlr;

static uint64_t sanitise(const struct iddesc *d, uint64_t host)
{
    uint64_t val = (host & d->keep) | d->force;
    for (unsigned int i = 0; i < 2; i++) {
        const struct idcap *c = &d->cap[i];
        if (c->shift == 0 && c->max == 0)
            continue;
        if (FIELD(val, c->shift) > c->max)
            val = (val & ~F(c->shift)) | ((uint64_t)c->max << c->shift);
    }
    return val;
}

void idregs_init(void)
{
    for (size_t i = 0; i < sizeof(descs) / sizeof(descs[0]); i++) {
        const struct iddesc *d = &descs[i];
        guest_id[d->crm - 1][d->op2] = sanitise(d, d->host());
    }
    /* The guest's GIC has a system-register CPU interface only on GICv3. */
    if (irqchip_info()->version == GIC_V3) {
        guest_id[4 - 1][0] |= 1UL << GIC_SHIFT_64;
        guest_id[1 - 1][1] |= 1UL << GIC_SHIFT_32;
    }
    host_revidr = read_sysreg(revidr_el1);
    host_aidr = read_sysreg(aidr_el1);
    host_actlr = read_sysreg(actlr_el1);

    uint64_t pfr0 = host_4_0(), pfr1 = host_4_1(), dfr0 = host_5_0();
    printk("cpu: guests get PAuth %s; hidden from them: SVE %lu, SME %lu, MTE %lu, PMU %lu, "
           "RAS %lu, AMU %lu, FGT %u, HCX %u",
           cpu_caps.pauth ? "(keys switched)" : "(absent)", FIELD(pfr0, 32), FIELD(pfr1, 24),
           FIELD(pfr1, 8), FIELD(dfr0, 8), FIELD(pfr0, 28), FIELD(pfr0, 44), cpu_caps.fgt,
           cpu_caps.hcx);
}

uint64_t idregs_host_actlr(void)
{
    return host_actlr;
}

/* Every register here is read-only: a write is undefined. */
bool idregs_access(struct vcpu *v, struct sysreg_access *a)
{
    (void)v;
    if (a->write)
        return false;
    unsigned int op1 = SYSREG_OP1(a->key), crm = SYSREG_CRM(a->key), op2 = SYSREG_OP2(a->key);
    if (a->key == SYSREG(3, 0, 0, 0, 6))
        a->val = host_revidr;
    else if (a->key == SYSREG(3, 1, 0, 0, 7))
        a->val = host_aidr;
    else if (op1 == 0 && SYSREG_CRN(a->key) == 0 && crm >= 1 && crm <= 7)
        a->val = guest_id[crm - 1][op2];
    else
        return false;
    return true;
}
