/* Physical interrupt handling and trapped-access dispatch at EL2. */
#ifndef CLOISON_IRQ_H
#define CLOISON_IRQ_H
#include <cloison/types.h>
struct vcpu;
void irq_cpu_init(void);   /* enable Cloison's PPIs/SGIs on this pCPU */
void irq_handle_all(void); /* ack/dispatch/EOI until nothing is pending */
/* Emulated MMIO (vGIC frames, ...): true if the access was handled. */
bool mmio_dispatch(struct vcpu *v, uint64_t esr, uint64_t ipa);
void trap_sysreg(struct vcpu *v, uint64_t esr);
#endif
