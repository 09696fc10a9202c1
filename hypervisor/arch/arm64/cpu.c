/*
 * Per-pCPU EL2 configuration: what guests may touch directly and what traps.
 *  - HCR_EL2: stage 2 on; IRQ/FIQ/SError routed to EL2 (virtual ones go to the
 *    guest); WFI/WFE, SMC, IMPDEF registers and set/way cache ops trap.
 *  - MDCR_EL2: debug and PMU registers trap (read as zero for guests), so a
 *    guest cannot observe or program host-wide counters and breakpoints.
 *  - CPTR_EL2: FP/SIMD used directly by guests (switched eagerly), SVE and
 *    trace trap.
 *  - CNTHCTL_EL2: guests read the physical counter; the EL1 physical timer
 *    traps (guests use the virtual timer; CNTVOFF gives each domain its time).
 */
#include <cloison/percpu.h>
#include <asm/cpu.h>
#include <asm/sysreg.h>

#define HCR_GUEST                                                                                \
    (HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS | HCR_TWI | HCR_TWE | \
     HCR_TSC | HCR_TIDCP | HCR_TSW | HCR_RW)

#define MDCR_TPMCR BIT(5)
#define MDCR_TPM BIT(6)
#define MDCR_TDA BIT(9)
#define MDCR_TDOSA BIT(10)
#define MDCR_TDRA BIT(11)

#define CPTR_EL2_RES1 0x000032ffUL /* bits 13:12, 9, 7:0 */
#define CPTR_TZ BIT(8)
#define CPTR_TTA BIT(20)

#define CNTHCTL_EL1PCTEN BIT(0)

struct pcpu pcpus[MAX_PCPUS];
unsigned int nr_pcpus = 1;

void cpu_early_init(unsigned int id)
{
    write_sysreg(tpidr_el2, &pcpus[id]);
    /* FP/SIMD must be usable at EL2 before libfdt runs (it uses SIMD). */
    write_sysreg(cptr_el2, CPTR_EL2_RES1 | CPTR_TZ | CPTR_TTA);
    isb();
}

void cpu_init_el2(void)
{
    uint64_t pmcr_n = (read_sysreg(pmcr_el0) >> 11) & 0x1f;
    write_sysreg(hcr_el2, HCR_GUEST);
    write_sysreg(mdcr_el2, MDCR_TPM | MDCR_TPMCR | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA | pmcr_n);
    write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN);
    write_sysreg(cntvoff_el2, 0);
    write_sysreg(hstr_el2, 0);
    write_sysreg(vpidr_el2, read_sysreg(midr_el1));
    write_sysreg(cnthp_ctl_el2, BIT(1)); /* masked until the scheduler arms it */
    isb();
}
