/*
 * The host interrupt controller front: picks the GIC driver from the device
 * tree and forwards the irqchip_*() calls to it; takes physical interrupts
 * and hands each to the handler registered for it (arch/arm64/irq.c).
 */
#include <libfdt.h>

#include <cloison/errno.h>
#include <drivers/irqchip.h>
#include <cloison/percpu.h>
#include <cloison/printk.h>

#include "gic.h"

static const struct {
    const char *compatible;
    const struct gic_driver *driver;
} irqchip_compat[] = {
    {"arm,gic-v3", &gicv3_driver},
    {"arm,gic-400", &gicv2_driver},
    {"arm,cortex-a15-gic", &gicv2_driver},
    {"arm,cortex-a9-gic", &gicv2_driver},
};

static const struct gic_driver *irqchip_drv;
static struct irqchip_info irqchip_hw;

const struct gic_driver *irqchip_driver(void)
{
    return irqchip_drv;
}

int gic_dt_reg(const void *fdt, int node, int index, paddr_t *base, size_t *size)
{
    int parent = fdt_parent_offset(fdt, node), len;
    int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent);
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

    if (!reg || ac < 1 || ac > 2 || sc < 0 || sc > 2 || index < 0)
        return -1;
    int cells = ac + sc;
    if ((index + 1) * cells * 4 > len)
        return -1;
    reg += index * cells;
    uint64_t b = 0, s = 0;
    for (int i = 0; i < ac; i++)
        b = b << 32 | fdt32_to_cpu(reg[i]);
    for (int i = 0; i < sc; i++)
        s = s << 32 | fdt32_to_cpu(reg[ac + i]);
    *base = b;
    *size = s;
    return 0;
}

int irqchip_init(const void *fdt)
{
    for (size_t i = 0; i < ARRAY_SIZE(irqchip_compat); i++) {
        int node = fdt_node_offset_by_compatible(fdt, -1, irqchip_compat[i].compatible);
        if (node < 0)
            continue;
        const struct gic_driver *drv = irqchip_compat[i].driver;
        if (drv->init(fdt, node, &irqchip_hw) < 0) {
            printk("irqchip: %s (%s) not usable: bad or unmappable reg", drv->name,
                   irqchip_compat[i].compatible);
            return -ENODEV;
        }
        irqchip_drv = drv;
        if (irqchip_hw.version == GIC_V3)
            printk("irqchip: %s GICD %lx GICR %lx, %u IRQs, %u LRs", drv->name,
                   irqchip_hw.gicd_base, irqchip_hw.gicr_base, irqchip_hw.nr_irqs,
                   irqchip_hw.nr_lrs);
        else
            printk("irqchip: %s GICD %lx GICC %lx GICH %lx GICV %lx, %u IRQs, %u LRs", drv->name,
                   irqchip_hw.gicd_base, irqchip_hw.gicc_base, irqchip_hw.gich_base,
                   irqchip_hw.gicv_base, irqchip_hw.nr_irqs, irqchip_hw.nr_lrs);
        return 0;
    }
    printk("irqchip: no supported GIC in the device tree");
    return -ENODEV;
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
