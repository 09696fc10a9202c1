/*
 * The exception vectors' C handlers (see cloison/entry.h). Until the trap
 * layer registers its own, any exit is a Cloison bug.
 */
#include <cloison/entry.h>
#include <cloison/printk.h>

static void no_guest_exit(struct guest_regs *regs)
{
    (void)regs;
    panic("guest exit before the trap handlers were registered");
}

static void no_hyp_irq(void)
{
    panic("interrupt before the trap handlers were registered");
}

/* Read by vectors.S (ENTRY_* offsets from asm-offsets). */
struct entry_handlers entry_handlers = {
    .guest_sync = no_guest_exit,
    .guest_irq = no_guest_exit,
    .guest_serror = no_guest_exit,
    .hyp_irq = no_hyp_irq,
};

void entry_set_handlers(const struct entry_handlers *h)
{
    entry_handlers = *h;
}
