/* Guest trap handling helpers shared by trap/ and xen/. */
#ifndef CLOISON_TRAPS_H
#define CLOISON_TRAPS_H
#include <cloison/types.h>
struct vcpu;

/* Boot CPU, once, before any guest runs or the idle loop opens IRQs:
 * register the exception vectors' C handlers (cloison/entry.h). */
void traps_init(void);
/* Boot CPU, once, after irqchip_init() and its cpu_init_el2(): read the
 * host's ID registers and build the guests' view of them. */
void idregs_init(void);

/* A stage-2 data abort at ipa inside one of the domain's emulated MMIO
 * windows: emulated (or an abort injected). false: no window holds ipa. */
bool mmio_dispatch(struct vcpu *v, uint64_t esr, uint64_t ipa);
/* EC 0x18: a trapped system register access. */
void trap_sysreg(struct vcpu *v, uint64_t esr);

/* Skip the trapped instruction (ESR.IL says 2 or 4 bytes). */
void advance_pc(struct vcpu *v, uint64_t esr);
/* Inject exceptions into the current vCPU's EL1 (its state is live). */
void inject_undef(struct vcpu *v);
void inject_dabt(struct vcpu *v, uint64_t far);
void inject_pabt(struct vcpu *v, uint64_t far);
/* Read/write guest register n (31 = xzr). */
uint64_t guest_reg(const struct vcpu *v, unsigned int n);
void set_guest_reg(struct vcpu *v, unsigned int n, uint64_t val);
#endif
