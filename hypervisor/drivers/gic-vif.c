/* The GIC virtual interface of this pCPU, through the driver irqchip_init()
 * chose; see drivers/gic_vif.h. */
#include <drivers/gic_vif.h>
#include <drivers/irqchip.h>

#include "gic.h"

unsigned int gic_vif_nr_lrs(void)
{
    return irqchip_info()->nr_lrs;
}

uint64_t gic_vif_read_lr(unsigned int n)
{
    return irqchip_driver()->read_lr(n);
}

void gic_vif_write_lr(unsigned int n, uint64_t val)
{
    irqchip_driver()->write_lr(n, val);
}

void gic_vif_write_hcr(uint32_t val)
{
    irqchip_driver()->write_hcr(val);
}

uint32_t gic_vif_read_vmcr(void)
{
    return irqchip_driver()->read_vmcr();
}

void gic_vif_write_vmcr(uint32_t val)
{
    irqchip_driver()->write_vmcr(val);
}

void gic_vif_save_apr(uint32_t apr0[4], uint32_t apr1[4])
{
    irqchip_driver()->save_apr(apr0, apr1);
}

void gic_vif_restore_apr(const uint32_t apr0[4], const uint32_t apr1[4])
{
    irqchip_driver()->restore_apr(apr0, apr1);
}
