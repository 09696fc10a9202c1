/*
 * The host interrupt controller front: picks the GIC driver from the device
 * tree and forwards the irqchip_*() calls to it; takes physical interrupts
 * and hands each to the handler registered for it (arch/arm64/irq.c).
 */
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <drivers/irqchip.h>
#include <cloison/percpu.h>
#include <cloison/printk.h>

#include "gic.h"

static const struct gic_driver *irqchip_drv;
static struct irqchip_info irqchip_hw;

const struct gic_driver *irqchip_driver(void)
{
    return irqchip_drv;
}

static void report(const char *msg)
{
    printk("%s", msg);
}

/* No frame may be RAM: the driver writes to it as a device, and on GICv2
 * every domU gets the GICV frame mapped as its GICC. */
static bool frames_clear_of_ram(const struct gic_dt *dt)
{
    for (unsigned int i = 0; i < dt->nr_regions; i++) {
        if (mmu_overlaps_ram(dt->region[i].base, dt->region[i].size)) {
            printk("irqchip: %s: property 'reg' entry %u (0x%lx + 0x%lx) overlaps RAM",
                   dt->compatible, i, dt->region[i].base, dt->region[i].size);
            return false;
        }
    }
    return true;
}

int irqchip_init(const void *fdt)
{
    struct gic_dt dt;
    if (gic_dt_probe(fdt, &dt, report) != 0 || !frames_clear_of_ram(&dt))
        return -ENODEV;
    const struct gic_driver *drv = dt.version == 3 ? &gicv3_driver : &gicv2_driver;
    if (drv->init(&dt, &irqchip_hw) < 0) {
        printk("irqchip: %s (%s) not usable: a frame cannot be mapped", drv->name, dt.compatible);
        return -ENODEV;
    }
    irqchip_drv = drv;
    if (irqchip_hw.version == GIC_V3)
        printk("irqchip: %s GICD %lx GICR %lx, %u IRQs, %u LRs", drv->name, irqchip_hw.gicd_base,
               irqchip_hw.gicr_base, irqchip_hw.nr_irqs, irqchip_hw.nr_lrs);
    else
        printk("irqchip: %s GICD %lx GICC %lx GICH %lx GICV %lx, %u IRQs, %u LRs", drv->name,
               irqchip_hw.gicd_base, irqchip_hw.gicc_base, irqchip_hw.gich_base,
               irqchip_hw.gicv_base, irqchip_hw.nr_irqs, irqchip_hw.nr_lrs);
    return 0;
}

void irqchip_cpu_init(unsigned int cpu)
{
    irqchip_drv->cpu_init(cpu);
    irqchip_drv->enable(IRQ_SGI_KICK, false);
    irqchip_drv->enable(IRQ_SGI_CALL, false);
    irqchip_drv->enable(IRQ_PPI_MAINT, true);
    irqchip_drv->enable(IRQ_PPI_HYPTIMER, true);
    irqchip_drv->enable(IRQ_PPI_VTIMER, true);
}

void irqchip_handle_all(void)
{
    for (int budget = 64; budget > 0; budget--) {
        uint32_t intid = irqchip_drv->ack();
        if (intid >= IRQ_SPURIOUS)
            return;
        if (!irq_dispatch(intid)) {
            printk("irq: unexpected interrupt %u on pCPU%u, disabled", intid, this_cpu_id());
            irqchip_drv->disable(intid);
        }
        irqchip_drv->eoi(intid);
    }
}

const struct irqchip_info *irqchip_info(void)
{
    return &irqchip_hw;
}

uint32_t irqchip_ack(void)
{
    return irqchip_drv->ack();
}

void irqchip_eoi(uint32_t intid)
{
    irqchip_drv->eoi(intid);
}

void irqchip_enable(uint32_t intid, bool level)
{
    irqchip_drv->enable(intid, level);
}

void irqchip_disable(uint32_t intid)
{
    irqchip_drv->disable(intid);
}

void irqchip_set_target(uint32_t intid, unsigned int cpu)
{
    irqchip_drv->set_target(intid, cpu);
}

void irqchip_send_sgi(unsigned int cpu, unsigned int sgi)
{
    irqchip_drv->send_sgi(cpu, sgi);
}
