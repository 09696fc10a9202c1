/*
 * Host interrupt controller (the physical GIC), as Cloison drives it.
 * Implemented by drivers/gic-v3.c and drivers/gic-v2.c behind one front
 * (drivers/irqchip.c picks the driver from the device tree).
 *
 * Cloison runs the GIC with EOImode 0 (EOI = priority drop + deactivate) for
 * its own interrupts and for passed-through SPIs alike (those are masked with
 * irqchip_disable() until the guest is done: vdev/vgic-hw.c). All physical
 * interrupts are Group 1 non-secure.
 */
#ifndef CLOISON_IRQCHIP_H
#define CLOISON_IRQCHIP_H

#include <cloison/irq.h> /* the INTIDs Cloison uses, and their handlers */
#include <cloison/types.h>

enum gic_version { GIC_V2 = 2, GIC_V3 = 3 };

#define IRQ_SPURIOUS 1023

struct irqchip_info {
    enum gic_version version;
    paddr_t gicd_base; /* distributor */
    paddr_t gicr_base; /* v3: first redistributor region */
    paddr_t gicc_base; /* v2: CPU interface */
    paddr_t gich_base; /* v2: virtual interface control */
    paddr_t gicv_base; /* v2: virtual CPU interface (mapped as guest GICC) */
    size_t gicv_size;
    unsigned int nr_lrs;   /* list registers per CPU */
    unsigned int nr_irqs;  /* INTIDs supported by the distributor (32..1020) */
    unsigned int pri_bits; /* virtual priority bits (ICH_VTR_EL2.PRIbits+1, 5 on v2) */
};

/* Boot CPU: find the GIC in the host DT, map it, reset the distributor.
 * Returns 0, or a negative errno after printing why. */
int irqchip_init(const void *fdt);
/* Every pCPU (boot CPU included, after irqchip_init): redistributor / CPU
 * interface on, the EL2 virtual interface enabled with empty LRs, and
 * Cloison's SGIs and PPIs enabled on this pCPU. */
void irqchip_cpu_init(unsigned int cpu);
/* Exception entry: acknowledge, dispatch (cloison/irq.h) and EOI until
 * nothing is pending (at most a bounded batch). An INTID without a handler
 * is reported and disabled. */
void irqchip_handle_all(void);
const struct irqchip_info *irqchip_info(void);

uint32_t irqchip_ack(void);       /* INTID of the highest pending, or 1023 */
void irqchip_eoi(uint32_t intid); /* priority drop + deactivate */
/* Sets the trigger type (SPIs; only while disabled), then enables. PPIs: on
 * the calling CPU. */
void irqchip_enable(uint32_t intid, bool level);
void irqchip_disable(uint32_t intid);
void irqchip_send_sgi(unsigned int cpu, unsigned int sgi); /* cpu = pCPU index */
/* Deliver SPI intid to pCPU cpu from now on (passthrough follows its vCPU). */
void irqchip_set_target(uint32_t intid, unsigned int cpu);

#endif
