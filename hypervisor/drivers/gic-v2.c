/*
 * Host GICv2 driver (GIC-400 / Cortex-A15 GIC): distributor, CPU interface
 * (GICC) and virtual interface control (GICH), all by MMIO. The virtual CPU
 * interface (GICV) is only reported: the core maps it as the guests' GICC.
 *
 * Every physical interrupt stays in Group 0, signalled as IRQ (GICC_CTLR
 * FIQEn clear), priority GIC_DEFAULT_PRIO, SPIs targeted at the boot CPU.
 */
#include <cloison/mm.h>
#include <cloison/percpu.h>
#include <cloison/printk.h>
#include <cloison/spinlock.h>
#include <asm/sysreg.h>

#include "gic.h"

#define GICD_SGIR 0xf00
#define GICD_CTLR_ENABLE BIT(0)

#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_BPR 0x08
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10
#define GICC_CTLR_ENABLE BIT(0)

#define GICH_HCR 0x000
#define GICH_VTR 0x004
#define GICH_VMCR 0x008
#define GICH_APR 0x0f0
#define GICH_LR(n) (0x100 + 4 * (n))

static struct {
    uintptr_t gicd, gicc, gich;
    uint8_t cpu_mask[MAX_PCPUS];  /* GICD_ITARGETSR bit of each pCPU */
    uint32_t last_iar[MAX_PCPUS]; /* SGIs need their source CPU back on EOI */
    unsigned int nr_irqs, nr_lrs;
    spinlock_t lock; /* read-modify-write of GICD_ICFGR */
} gicv2;

/* ITARGETSR0..7 read as the reading CPU's own bit (0 on a uniprocessor GIC). */
static uint8_t gicv2_own_mask(void)
{
    uint8_t mask = (uint8_t)gic_read32(gicv2.gicd + GICD_ITARGETSR);
    return mask ? mask : 1;
}

static void gicv2_dist_reset(void)
{
    uintptr_t d = gicv2.gicd;
    uint32_t target = gicv2_own_mask() * 0x01010101U;

    gic_write32(d + GICD_CTLR, 0);
    for (unsigned int i = 32; i < gicv2.nr_irqs; i += 32) {
        gic_write32(d + GICD_ICENABLER + i / 8, ~0U);
        gic_write32(d + GICD_ICPENDR + i / 8, ~0U);
        gic_write32(d + GICD_ICACTIVER + i / 8, ~0U);
    }
    for (unsigned int i = 32; i < gicv2.nr_irqs; i += 4) {
        gic_write32(d + GICD_IPRIORITYR + i, GIC_PRIO_X4);
        gic_write32(d + GICD_ITARGETSR + i, target);
    }
    for (unsigned int i = 32; i < gicv2.nr_irqs; i += 16)
        gic_write32(d + GICD_ICFGR + i / 4, 0); /* level */
    gic_write32(d + GICD_CTLR, GICD_CTLR_ENABLE);
}

static uintptr_t gicv2_map(const struct gic_dt *dt, unsigned int frame, paddr_t *base)
{
    *base = dt->region[frame].base;
    return (uintptr_t)ioremap(dt->region[frame].base, dt->region[frame].size);
}

static int gicv2_init(const struct gic_dt *dt, struct irqchip_info *info)
{
    if (!(gicv2.gicd = gicv2_map(dt, GIC_DT_GICD, &info->gicd_base)) ||
        !(gicv2.gicc = gicv2_map(dt, GIC_DT_GICC, &info->gicc_base)) ||
        !(gicv2.gich = gicv2_map(dt, GIC_DT_GICH, &info->gich_base)))
        return -1;
    info->gicv_base = dt->region[GIC_DT_GICV].base;
    /* Guests see an 8 KiB GICC; a larger GICV window holds nothing more. */
    info->gicv_size = dt->region[GIC_DT_GICV].size;

    gicv2.lock = (spinlock_t)SPINLOCK_INIT;
    gicv2.nr_irqs = MIN(GICD_TYPER_LINES(gic_read32(gicv2.gicd + GICD_TYPER)), 1020U);
    uint32_t vtr = gic_read32(gicv2.gich + GICH_VTR);
    gicv2.nr_lrs = MIN((vtr & 0x3f) + 1, 16U);

    info->version = GIC_V2;
    info->nr_irqs = gicv2.nr_irqs;
    info->nr_lrs = gicv2.nr_lrs;
    info->pri_bits = ((vtr >> 29) & 7) + 1;
    gicv2_dist_reset();
    return 0;
}

static void gicv2_vif_reset(void);

static void gicv2_cpu_init(unsigned int cpu)
{
    uintptr_t d = gicv2.gicd;

    if (cpu >= MAX_PCPUS)
        return;
    gicv2.cpu_mask[cpu] = gicv2_own_mask();
    gic_write32(d + GICD_ICENABLER, ~0U); /* banked: this CPU's SGIs and PPIs */
    gic_write32(d + GICD_ICACTIVER, ~0U);
    for (unsigned int i = 0; i < 32; i += 4)
        gic_write32(d + GICD_IPRIORITYR + i, GIC_PRIO_X4);
    gic_write32(gicv2.gicc + GICC_PMR, 0xff);
    gic_write32(gicv2.gicc + GICC_BPR, 0);
    gic_write32(gicv2.gicc + GICC_CTLR, GICC_CTLR_ENABLE); /* EOImode 0 */
    gicv2_vif_reset();
}

static uint32_t gicv2_ack(void)
{
    uint32_t iar = gic_read32(gicv2.gicc + GICC_IAR);

    gicv2.last_iar[this_cpu_id()] = iar;
    dsb(sy);
    return iar & 0x3ff;
}

static void gicv2_eoi(uint32_t intid)
{
    uint32_t iar = gicv2.last_iar[this_cpu_id()];

    /* EOIR must repeat the IAR value, CPUID of an SGI included. */
    gic_write32(gicv2.gicc + GICC_EOIR, (iar & 0x3ff) == intid ? iar : intid);
}

static void gicv2_enable(uint32_t intid, bool level)
{
    if (intid >= gicv2.nr_irqs)
        return;
    if (intid >= 32) { /* PPI configuration is fixed on GIC-400 */
        uintptr_t cfg = gicv2.gicd + GICD_ICFGR + (intid / 16) * 4;
        uint32_t bit = 2U << ((intid % 16) * 2);
        uint64_t flags = spin_lock_irqsave(&gicv2.lock);
        uint32_t v = gic_read32(cfg);
        gic_write32(cfg, level ? v & ~bit : v | bit);
        spin_unlock_irqrestore(&gicv2.lock, flags);
    }
    gic_write32(gicv2.gicd + GICD_ISENABLER + (intid / 32) * 4, 1U << (intid % 32));
}

static void gicv2_disable(uint32_t intid)
{
    if (intid < gicv2.nr_irqs)
        gic_write32(gicv2.gicd + GICD_ICENABLER + (intid / 32) * 4, 1U << (intid % 32));
}

static void gicv2_set_target(uint32_t intid, unsigned int cpu)
{
    if (intid < 32 || intid >= gicv2.nr_irqs || cpu >= MAX_PCPUS || !gicv2.cpu_mask[cpu])
        return;
    uintptr_t reg = gicv2.gicd + GICD_ITARGETSR + (intid & ~3U);
    unsigned int shift = (intid % 4) * 8;
    uint64_t flags = spin_lock_irqsave(&gicv2.lock);
    uint32_t v = gic_read32(reg) & ~(0xffU << shift);
    gic_write32(reg, v | (uint32_t)gicv2.cpu_mask[cpu] << shift);
    spin_unlock_irqrestore(&gicv2.lock, flags);
}

static void gicv2_send_sgi(unsigned int cpu, unsigned int sgi)
{
    if (cpu >= MAX_PCPUS)
        return;
    dsb(ishst); /* the mailbox the SGI announces is visible first */
    gic_write32(gicv2.gicd + GICD_SGIR, (uint32_t)gicv2.cpu_mask[cpu] << 16 | (sgi & 0xf));
}

/* ---- virtual interface (GICH) ---- */

static uint64_t gicv2_read_lr(unsigned int n)
{
    return n < gicv2.nr_lrs ? gic_read32(gicv2.gich + GICH_LR(n)) : 0;
}

static void gicv2_write_lr(unsigned int n, uint64_t val)
{
    if (n < gicv2.nr_lrs)
        gic_write32(gicv2.gich + GICH_LR(n), (uint32_t)val);
}

static void gicv2_write_hcr(uint32_t val)
{
    gic_write32(gicv2.gich + GICH_HCR, val);
}

static uint32_t gicv2_read_vmcr(void)
{
    return gic_read32(gicv2.gich + GICH_VMCR);
}

static void gicv2_write_vmcr(uint32_t val)
{
    gic_write32(gicv2.gich + GICH_VMCR, val);
}

static void gicv2_save_apr(uint32_t apr0[4], uint32_t apr1[4])
{
    apr0[0] = gic_read32(gicv2.gich + GICH_APR);
}

static void gicv2_restore_apr(const uint32_t apr0[4], const uint32_t apr1[4])
{
    gic_write32(gicv2.gich + GICH_APR, apr0[0]);
}

/* Empty LRs, no active priorities, interface on: what vgic_sync() leaves. */
static void gicv2_vif_reset(void)
{
    for (unsigned int n = 0; n < gicv2.nr_lrs; n++)
        gicv2_write_lr(n, 0);
    gic_write32(gicv2.gich + GICH_APR, 0);
    gicv2_write_vmcr(0);
    gicv2_write_hcr(BIT(0));
}

const struct gic_driver gicv2_driver = {
    .name = "GICv2",
    .init = gicv2_init,
    .cpu_init = gicv2_cpu_init,
    .ack = gicv2_ack,
    .eoi = gicv2_eoi,
    .enable = gicv2_enable,
    .disable = gicv2_disable,
    .send_sgi = gicv2_send_sgi,
    .set_target = gicv2_set_target,
    .read_lr = gicv2_read_lr,
    .write_lr = gicv2_write_lr,
    .write_hcr = gicv2_write_hcr,
    .read_vmcr = gicv2_read_vmcr,
    .write_vmcr = gicv2_write_vmcr,
    .save_apr = gicv2_save_apr,
    .restore_apr = gicv2_restore_apr,
};
