/* Per-pCPU EL2 setup (declared in cloison/arch.h) and what the host CPU has. */
#ifndef ASM_CPU_H
#define ASM_CPU_H
#include <cloison/arch.h>

/* What the host CPU implements that changes how Cloison configures EL2
 * (read once by the boot CPU's cpu_init_el2(); Cloison assumes symmetric
 * CPUs). */
struct cpu_caps {
    bool pauth;       /* any of FEAT_PAuth: keys switched, HCR_EL2.API/APK set */
    bool lor;         /* FEAT_LOR: HCR_EL2.TLOR */
    bool ras;         /* FEAT_RAS: HCR_EL2.TERR */
    bool amu;         /* FEAT_AMUv1: CPTR_EL2.TAM */
    bool hcx;         /* FEAT_HCX: HCRX_EL2 must be written */
    bool fgt;         /* FEAT_FGT: the HFG*TR_EL2/HDFG*TR_EL2 traps must be written */
    bool spe;         /* FEAT_SPE: MDCR_EL2.TPMS */
    bool trf;         /* FEAT_TRF: MDCR_EL2.TTRF */
    bool pmu;         /* PMUv3: PMCR_EL0 readable (MDCR_EL2.HPMN) */
    bool el1_aarch32; /* ID_AA64PFR0_EL1.EL1 = 2: 32-bit (zImage) guests can run */
};
extern struct cpu_caps cpu_caps;
#endif
