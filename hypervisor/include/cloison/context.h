/* vCPU EL1 state switch (arch/arm64/context.c). */
#ifndef CLOISON_CONTEXT_H
#define CLOISON_CONTEXT_H
#include <cloison/types.h>
struct vcpu_arch;
struct p2m;
void context_save(struct vcpu_arch *a);
/* Load a vCPU of the domain whose stage 2 is p2m and whose virtual counter
 * is offset by cntvoff. */
void context_load(struct vcpu_arch *a, struct p2m *p2m, uint64_t cntvoff);
/* The last step before the loaded vCPU enters the guest (after anything EL2
 * changes in its registers): an AArch32 vCPU's live SPSR of its current mode
 * in place on CPUs that hold it apart from SPSR_<mode> (QEMU's TCG). */
void context_entry(struct vcpu_arch *a);
/* EL2 is about to change the loaded AArch32 vCPU's mode or banked SPSRs (an
 * injected exception): its live SPSR back into its bank first. */
void context_a32_mode_change(struct vcpu_arch *a);
/* Drop this pCPU's TLB entries (stage 1 and 2) of the VMID just loaded:
 * for a vCPU that ran elsewhere since it last ran here. */
void context_tlb_flush_local(void);
/* Virtual timer deadline of a saved vCPU in CNTPCT terms (0: never). */
uint64_t context_vtimer_deadline(const struct vcpu_arch *a, uint64_t cntvoff);
/* The same for a saved vCPU whose timer fired while it was descheduled. */
void context_vtimer_mask_saved(struct vcpu_arch *a);
/* The running vCPU's virtual timer fired: mask its output (CNTV_CTL.IMASK)
 * until the guest reprograms it. */
void context_vtimer_mask(void);
#endif
