/*
 * Per-pCPU EL2 configuration: what guests may touch directly and what traps.
 *  - HCR_EL2: stage 2 on; IRQ/FIQ/SError routed to EL2 (virtual ones go to the
 *    guest); WFI/WFE, SMC, IMPDEF registers and set/way cache ops trap; the
 *    ID registers (TID3), REVIDR/AIDR (TID1) and ACTLR_EL1 (TACR) trap so
 *    guests see the sanitised values of idregs.c; LORegion registers (TLOR)
 *    and RAS error records (TERR) trap where the CPU has them. Cache
 *    geometry (TID2) does not trap: CSSELR_EL1 is switched with the vCPU,
 *    so CCSIDR/CLIDR are the real, consistent values, and trapping would
 *    make every CTR_EL0 read (kernel cache maintenance, user space) exit.
 *    With PAuth, API/APK let guests use it directly (keys: context.c).
 *  - MDCR_EL2: debug, PMU (and SPE, trace filter where present) registers
 *    trap, so a guest cannot observe or program host-wide counters and
 *    breakpoints (vdebug.c, sysreg_trap.c).
 *  - CPTR_EL2: FP/SIMD used directly by guests (switched eagerly); SVE, SME
 *    (TSM is RES1 without FEAT_SME), trace and AMU trap.
 *  - CNTHCTL_EL2: guests read the physical counter; the EL1 physical timer
 *    traps and is emulated (vptimer.c); guests' own clock is the virtual
 *    timer, CNTVOFF giving each domain its time.
 *  - FEAT_HCX / FEAT_FGT: HCRX_EL2 and the fine-grained trap registers reset
 *    to UNKNOWN values, so they are zeroed: no extra enables for guests, no
 *    fine-grained traps except the "n"-polarity ones for features guests do
 *    not have (TPIDR2_EL0, SMPRI_EL1, ACCDATA_EL1...), which then trap.
 */
#include <cloison/host_psci.h>
#include <cloison/percpu.h>
#include <asm/boot.h>
#include <asm/cpu.h>
#include <asm/sysreg.h>

#define HCR_TID1 BIT(16)
#define HCR_TID3 BIT(18)
#define HCR_TLOR BIT(35)
#define HCR_TERR BIT(36)
#define HCR_APK BIT(40)
#define HCR_API BIT(41)

#define HCR_GUEST                                                                                  \
    (HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS | HCR_TSC | HCR_TIDCP | \
     HCR_TSW | HCR_RW | HCR_TID1 | HCR_TID3 | HCR_TACR)

#define MDCR_TPMCR BIT(5)
#define MDCR_TPM BIT(6)
#define MDCR_TDA BIT(9)
#define MDCR_TDOSA BIT(10)
#define MDCR_TDRA BIT(11)
#define MDCR_TPMS BIT(14)
#define MDCR_TTRF BIT(19)

#define CPTR_EL2_RES1 0x000032ffUL /* bits 13:12, 9, 7:0 */
#define CPTR_TZ BIT(8)
#define CPTR_TTA BIT(20)
#define CPTR_TAM BIT(30)

#define CNTHCTL_EL1PCTEN BIT(0)

/* A 4-bit ID register field. */
#define F(shift) (0xfUL << (shift))
#define FIELD(val, shift) (((val) >> (shift)) & 0xf)

_Static_assert(BOOT_STACKS == MAX_PCPUS, "one boot stack per pCPU");

struct pcpu pcpus[MAX_PCPUS];
unsigned int nr_pcpus = 1;
struct cpu_caps cpu_caps;

extern char boot_stacks[], secondary_entry[]; /* boot.S */
/* What each secondary runs once on its stack (read by boot.S, MMU off). */
void (*secondary_fn[MAX_PCPUS])(unsigned int id);

void cpu_early_init(unsigned int id)
{
    pcpus[id].id = id;
    pcpus[id].stack_top = (uint64_t)(boot_stacks + (id + 1) * BOOT_STACK_SIZE);
    write_sysreg(tpidr_el2, &pcpus[id]);
    /* FP/SIMD must be usable at EL2 before libfdt runs (it uses SIMD). */
    write_sysreg(cptr_el2, CPTR_EL2_RES1 | CPTR_TZ | CPTR_TTA);
    isb();
}

int64_t cpu_start(uint64_t mpidr, unsigned int id, void (*fn)(unsigned int id))
{
    secondary_fn[id] = fn;
    /* The new CPU reads it with its MMU and caches off: make it reach memory. */
    arch_dcache_clean_range(&secondary_fn[id], sizeof(secondary_fn[id]));
    return host_psci_cpu_on(mpidr, (paddr_t)secondary_entry, id);
}

static void detect_caps(void)
{
    uint64_t pfr0 = read_sysreg(s3_0_c0_c4_0), dfr0 = read_sysreg(s3_0_c0_c5_0);
    uint64_t isar1 = read_sysreg(s3_0_c0_c6_1), isar2 = read_sysreg(s3_0_c0_c6_2);
    uint64_t mmfr0 = read_sysreg(s3_0_c0_c7_0), mmfr1 = read_sysreg(s3_0_c0_c7_1);

    /* APA, API, GPA, GPI; APA3, GPA3 */
    cpu_caps.pauth = (isar1 & (F(4) | F(8) | F(24) | F(28))) || (isar2 & (F(8) | F(12)));
    cpu_caps.lor = FIELD(mmfr1, 16) != 0;
    cpu_caps.hcx = FIELD(mmfr1, 40) != 0;
    cpu_caps.fgt = FIELD(mmfr0, 56) != 0;
    cpu_caps.ras = FIELD(pfr0, 28) != 0;
    cpu_caps.amu = FIELD(pfr0, 44) != 0;
    cpu_caps.spe = FIELD(dfr0, 32) != 0;
    cpu_caps.trf = FIELD(dfr0, 40) != 0;
    /* PMUVer 0 = none, 0xf = IMPLEMENTATION DEFINED (not PMUv3) */
    cpu_caps.pmu = FIELD(dfr0, 8) != 0 && FIELD(dfr0, 8) != 0xf;
    cpu_caps.el1_aarch32 = FIELD(pfr0, 4) == 2;
}

/* Bits that are RES0 on CPUs without the feature are set only with it. */
static uint64_t hcr_guest(bool wfx_native)
{
    uint64_t hcr = HCR_GUEST;
    if (cpu_caps.lor)
        hcr |= HCR_TLOR;
    if (cpu_caps.ras)
        hcr |= HCR_TERR;
    if (cpu_caps.pauth)
        hcr |= HCR_API | HCR_APK;
    /* WFI blocks the vCPU and WFE yields its pCPU, unless vwfi=native (Xen's
     * option): then both run in the guest, which keeps its pCPU while it
     * waits (lowest wake-up latency for a pCPU given to one vCPU). */
    if (!wfx_native)
        hcr |= HCR_TWI | HCR_TWE;
    return hcr;
}

static uint64_t mdcr_guest(void)
{
    uint64_t mdcr = MDCR_TPM | MDCR_TPMCR | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA;
    if (cpu_caps.pmu) /* HPMN: all counters belong to EL1 ranges (they trap anyway) */
        mdcr |= (read_sysreg(pmcr_el0) >> 11) & 0x1f;
    if (cpu_caps.spe)
        mdcr |= MDCR_TPMS;
    if (cpu_caps.trf)
        mdcr |= MDCR_TTRF;
    return mdcr;
}

static void zero_fine_grained_traps(void)
{
    if (cpu_caps.hcx)
        write_sysreg(s3_4_c1_c2_2, 0); /* HCRX_EL2 */
    if (cpu_caps.fgt) {
        write_sysreg(s3_4_c1_c1_4, 0); /* HFGRTR_EL2 */
        write_sysreg(s3_4_c1_c1_5, 0); /* HFGWTR_EL2 */
        write_sysreg(s3_4_c1_c1_6, 0); /* HFGITR_EL2 */
        write_sysreg(s3_4_c3_c1_4, 0); /* HDFGRTR_EL2 */
        write_sysreg(s3_4_c3_c1_5, 0); /* HDFGWTR_EL2 */
        /* HAFGRTR_EL2 (AMUv1p1) is left alone: CPTR_EL2.TAM traps all of AMU. */
    }
}

void cpu_init_el2(bool wfx_native)
{
    static bool caps_read;
    if (!caps_read) { /* boot CPU, first: the rest below depends on cpu_caps */
        detect_caps();
        caps_read = true;
    }
    write_sysreg(hcr_el2, hcr_guest(wfx_native));
    write_sysreg(mdcr_el2, mdcr_guest());
    write_sysreg(cptr_el2, CPTR_EL2_RES1 | CPTR_TZ | CPTR_TTA | (cpu_caps.amu ? CPTR_TAM : 0));
    zero_fine_grained_traps();
    write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN);
    write_sysreg(cntvoff_el2, 0);
    write_sysreg(hstr_el2, 0);
    write_sysreg(vpidr_el2, read_sysreg(midr_el1));
    write_sysreg(cnthp_ctl_el2, BIT(1)); /* masked until the scheduler arms it */
    isb();
}
