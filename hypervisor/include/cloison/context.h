/* vCPU EL1 state switch (arch/arm64/context.c). */
#ifndef CLOISON_CONTEXT_H
#define CLOISON_CONTEXT_H
#include <cloison/types.h>
struct vcpu;
void context_save(struct vcpu *v);
void context_load(struct vcpu *v);
uint64_t context_vtimer_deadline(const struct vcpu *v);
/* The running vCPU's virtual timer fired: mask its output (CNTV_CTL.IMASK)
 * until the guest reprograms it. */
void context_vtimer_mask(void);
#endif
