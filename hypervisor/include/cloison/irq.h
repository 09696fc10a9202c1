/*
 * Physical interrupts at EL2: which code handles which INTID.
 *
 * The owner of an interrupt registers its handler at init: core/timer.c the
 * hypervisor timer, console input the UART's receive SPI, the vGIC the
 * maintenance PPI and every SPI it passes through to a domain (at run time,
 * released with the routing), the virtual-timer forwarding its PPI. The
 * interrupt controller driver (drivers/irqchip.c) acknowledges, calls
 * irq_dispatch() and EOIs; an INTID nobody registered is reported and
 * disabled there.
 *
 * The table is one slot per INTID, so a dispatch is one indexed load and an
 * indirect call. Handlers run on the pCPU that took the interrupt with IRQs
 * masked. A handler cleared on one pCPU may still be running (or about to
 * run, with its data) on another: an owner whose data can go away checks it
 * under its own lock (vgic-hw.c does).
 */
#ifndef CLOISON_IRQ_H
#define CLOISON_IRQ_H
#include <cloison/types.h>

/* Physical interrupt numbers Cloison itself uses (architected PPIs on virt). */
#define IRQ_SGI_KICK 0      /* "re-run your scheduler" between pCPUs */
#define IRQ_SGI_CALL 1      /* "run your mailbox" between pCPUs */
#define IRQ_PPI_MAINT 25    /* GIC virtual interface maintenance */
#define IRQ_PPI_HYPTIMER 26 /* CNTHP: Cloison's scheduler / timer queue */
#define IRQ_PPI_VTIMER 27   /* guest virtual timer while a guest runs */
#define IRQ_PPI_PTIMER 30   /* EL1 physical timer */
#define IRQ_NR 1020         /* INTIDs 0..1019 (SGIs, PPIs, SPIs) can be handled */

typedef void (*irq_handler_fn)(uint32_t intid, void *data);

/* fn(intid, data) handles intid from now on. 0, -EINVAL (no such INTID, or
 * fn NULL) or -EBUSY (another handler has it). Any time, any pCPU. */
int irq_set_handler(uint32_t intid, irq_handler_fn fn, void *data);
/* intid has no handler from now on (it is then reported as unexpected). */
void irq_clear_handler(uint32_t intid);
/* Run intid's handler; false if it has none. For the interrupt controller. */
bool irq_dispatch(uint32_t intid);
/* fn(intid) sees every interrupt dispatched, before its handler (the trap
 * layer's counts by INTID); boot, once. */
typedef void (*irq_observer_fn)(uint32_t intid);
void irq_set_observer(irq_observer_fn fn);
#endif
