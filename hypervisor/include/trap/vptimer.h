/*
 * The emulated EL1 physical timer (trap/vptimer.c); its register accesses
 * come through the sysreg table (asm/vsysreg.h).
 */
#ifndef CLOISON_TRAP_VPTIMER_H
#define CLOISON_TRAP_VPTIMER_H

struct domain;

/* Domain part: every vCPU's software timer, before the domain runs (no
 * destroy: core kills and waits for every vCPU timer, core/sched.h). */
int vptimer_domain_init(struct domain *d);

#endif
