/*
 * The C side of the EL2 exception vectors (arch/arm64/vectors.S), which the
 * trap layer registers at boot (trap/traps.c), as Linux's set_handle_irq():
 * the vectors reach it through this table, one load and an indirect branch,
 * and arch names nothing above it.
 *
 * A guest exit has saved the guest's registers into *regs (the current
 * vCPU's) and runs on the pCPU's fresh stack; its handler never returns but
 * ends in return_to_guest() (arch/arm64/guest_entry.S) for whichever vCPU
 * runs next. hyp_irq is an interrupt taken while Cloison itself runs (the
 * idle loop) and returns.
 */
#ifndef CLOISON_ENTRY_H
#define CLOISON_ENTRY_H
#include <cloison/types.h>

struct guest_regs;

struct entry_handlers {
    void (*guest_sync)(struct guest_regs *regs); /* trap (ESR_EL2 says which) */
    void (*guest_irq)(struct guest_regs *regs);  /* IRQ or FIQ */
    void (*guest_serror)(struct guest_regs *regs);
    void (*hyp_irq)(void);
};

/* Boot CPU, once, before any guest runs or the idle loop opens IRQs. */
void entry_set_handlers(const struct entry_handlers *h);

/* Load regs (a vCPU's) and eret into the guest, on the pCPU's fresh stack. */
__noreturn void return_to_guest(struct guest_regs *regs);
#endif
