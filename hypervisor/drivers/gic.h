/*
 * Private to the host GIC drivers: the operations irqchip.c dispatches to,
 * and small helpers both drivers use.
 */
#ifndef DRIVERS_GIC_H
#define DRIVERS_GIC_H

#include <drivers/gic_dt.h>
#include <drivers/irqchip.h>
#include <cloison/types.h>

struct gic_driver {
    const char *name;
    /* Boot CPU: map the frames the tree gave (checked by gic_dt_probe) and
     * reset the distributor, fill *info; -1 if a frame cannot be mapped. */
    int (*init)(const struct gic_dt *dt, struct irqchip_info *info);
    void (*cpu_init)(unsigned int cpu);
    uint32_t (*ack)(void);
    void (*eoi)(uint32_t intid);
    void (*enable)(uint32_t intid, bool level);
    void (*disable)(uint32_t intid);
    void (*send_sgi)(unsigned int cpu, unsigned int sgi);
    void (*set_target)(uint32_t intid, unsigned int cpu); /* an SPI's pCPU */
    /* The virtual interface of the calling pCPU (see drivers/gic_vif.h). */
    uint64_t (*read_lr)(unsigned int n);
    void (*write_lr)(unsigned int n, uint64_t val);
    void (*write_hcr)(uint32_t val);
    uint32_t (*read_vmcr)(void);
    void (*write_vmcr)(uint32_t val);
    void (*save_apr)(uint32_t apr0[4], uint32_t apr1[4]);
    void (*restore_apr)(const uint32_t apr0[4], const uint32_t apr1[4]);
};

extern const struct gic_driver gicv3_driver, gicv2_driver;

/* The driver irqchip_init() chose (NULL before). */
const struct gic_driver *irqchip_driver(void);

/* Device register access: the mapping is Device-nGnRE, so accesses to one
 * GIC frame stay in program order; volatile keeps the compiler from merging. */
static inline uint32_t gic_read32(uintptr_t addr)
{
    return *(volatile uint32_t *)addr;
}
static inline void gic_write32(uintptr_t addr, uint32_t v)
{
    *(volatile uint32_t *)addr = v;
}
static inline uint64_t gic_read64(uintptr_t addr)
{
    return *(volatile uint64_t *)addr;
}
static inline void gic_write64(uintptr_t addr, uint64_t v)
{
    *(volatile uint64_t *)addr = v;
}

/* Distributor registers GICv2 and GICv3 place alike (and the v3
 * redistributor SGI frame for INTIDs 0..31). */
#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ICPENDR 0x280
#define GICD_ICACTIVER 0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICD_TYPER_LINES(t) ((((t)&0x1fU) + 1) * 32)

/* Default priority of every physical interrupt: one level for all, in the
 * middle of the range, so PMR 0xff lets them through. */
#define GIC_DEFAULT_PRIO 0xa0U
#define GIC_PRIO_X4 0xa0a0a0a0U

#endif
