/*
 * Host GICv3 driver: distributor and redistributors by MMIO, the CPU
 * interface and the virtual interface (ICH_*_EL2) by system registers.
 *
 * Every physical interrupt is Group 1 non-secure, priority GIC_DEFAULT_PRIO,
 * SPIs routed to the boot CPU; EOImode 0 (EOIR drops priority and
 * deactivates). The SPIs of devices passed through to a guest stay so: the
 * vGIC masks one while the guest handles it (vdev/vgic-hw.c).
 */
#include <cloison/mm.h>
#include <cloison/percpu.h>
#include <cloison/printk.h>
#include <cloison/spinlock.h>
#include <asm/sysreg.h>

#include "gic.h"

#define GICD_CTLR_ENGRP0 BIT(0) /* EnableGrp1 in the NS view of a DS=0 GIC */
#define GICD_CTLR_ENGRP1 BIT(1) /* EnableGrp1A, or EnableGrp1 with DS=1 */
#define GICD_CTLR_ARE BIT(4)
#define GICD_CTLR_RWP BIT(31)
#define GICD_IROUTER 0x6000

#define GICR_CTLR 0x0000
#define GICR_CTLR_RWP BIT(3)
#define GICR_TYPER 0x0008
#define GICR_TYPER_VLPIS BIT(1)
#define GICR_TYPER_LAST BIT(4)
#define GICR_WAKER 0x0014
#define GICR_WAKER_PS BIT(1)
#define GICR_WAKER_CA BIT(2)
#define GICR_SGI_BASE 0x10000
#define GICR_ICFGR1 (GICD_ICFGR + 4)

#define GICV3_MAX_RDIST_REGIONS GIC_DT_MAX_RDIST_REGIONS
#define GICV3_POLL_LIMIT 1000000

/* ICC/ICH registers by encoding, so any assembler accepts them. */
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define ICC_SRE_EL2 S3_4_C12_C9_5
#define ICH_HCR_EL2 S3_4_C12_C11_0
#define ICH_VTR_EL2 S3_4_C12_C11_1
#define ICH_VMCR_EL2 S3_4_C12_C11_7

/* ICC_SRE_EL2: system registers at EL2, IRQ/FIQ bypass off, EL1 may use them. */
#define ICC_SRE_EL2_VALUE (BIT(0) | BIT(1) | BIT(2) | BIT(3))

static struct {
    uintptr_t gicd;
    struct {
        uintptr_t base;
        size_t size;
    } rdist_region[GICV3_MAX_RDIST_REGIONS];
    unsigned int nr_rdist_regions;
    uintptr_t rdist[MAX_PCPUS]; /* this CPU's RD_base */
    uint64_t mpidr[MAX_PCPUS];
    unsigned int nr_irqs, nr_lrs, nr_apr;
    spinlock_t lock; /* read-modify-write of shared GICD registers */
} gicv3;

/* Affinity as GICR_TYPER[63:32] packs it: Aff3.Aff2.Aff1.Aff0. */
static uint32_t gicv3_mpidr_to_aff(uint64_t mpidr)
{
    return (uint32_t)(((mpidr >> 8) & 0xff000000U) | (mpidr & 0xffffffU));
}

static void gicv3_poll_clear(uintptr_t reg, uint32_t bit, const char *what)
{
    for (unsigned int i = 0; i < GICV3_POLL_LIMIT; i++)
        if (!(gic_read32(reg) & bit))
            return;
    printk("gicv3: timeout waiting for %s", what);
}

static void gicv3_dist_wait(void)
{
    gicv3_poll_clear(gicv3.gicd + GICD_CTLR, GICD_CTLR_RWP, "GICD_CTLR.RWP");
}

/* ---- distributor ---- */

static void gicv3_dist_reset(void)
{
    uintptr_t d = gicv3.gicd;
    uint64_t route = read_sysreg(mpidr_el1) & 0xff00ffffffULL;

    gic_write32(d + GICD_CTLR, 0);
    gicv3_dist_wait();
    for (unsigned int i = 32; i < gicv3.nr_irqs; i += 32) {
        gic_write32(d + GICD_IGROUPR + i / 8, ~0U);
        gic_write32(d + GICD_ICENABLER + i / 8, ~0U);
        gic_write32(d + GICD_ICPENDR + i / 8, ~0U);
        gic_write32(d + GICD_ICACTIVER + i / 8, ~0U);
    }
    for (unsigned int i = 32; i < gicv3.nr_irqs; i += 4)
        gic_write32(d + GICD_IPRIORITYR + i, GIC_PRIO_X4);
    for (unsigned int i = 32; i < gicv3.nr_irqs; i += 16)
        gic_write32(d + GICD_ICFGR + i / 4, 0); /* level */
    gicv3_dist_wait();
    /* IROUTER means something only with ARE set. */
    gic_write32(d + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENGRP1 | GICD_CTLR_ENGRP0);
    gicv3_dist_wait();
    for (unsigned int i = 32; i < gicv3.nr_irqs; i++)
        gic_write64(d + GICD_IROUTER + i * 8, route);
}

static int gicv3_init(const struct gic_dt *dt, struct irqchip_info *info)
{
    const struct gic_dt_region *gicd = &dt->region[GIC_DT_GICD];
    unsigned int nr_regions = dt->nr_regions - 1;

    if (!(gicv3.gicd = (uintptr_t)ioremap(gicd->base, gicd->size)))
        return -1;
    info->gicd_base = gicd->base;
    for (unsigned int r = 0; r < nr_regions; r++) {
        const struct gic_dt_region *reg = &dt->region[GIC_DT_GICR0 + r];
        void *va = ioremap(reg->base, reg->size);
        if (!va)
            return -1;
        if (r == 0)
            info->gicr_base = reg->base;
        gicv3.rdist_region[r].base = (uintptr_t)va;
        gicv3.rdist_region[r].size = reg->size;
    }
    gicv3.nr_rdist_regions = nr_regions;
    gicv3.lock = (spinlock_t)SPINLOCK_INIT;
    gicv3.nr_irqs = MIN(GICD_TYPER_LINES(gic_read32(gicv3.gicd + GICD_TYPER)), 1020U);

    /* EL2 needs the system-register interface before touching ICH_*. */
    write_sysreg(ICC_SRE_EL2, ICC_SRE_EL2_VALUE);
    isb();
    uint64_t vtr = read_sysreg(ICH_VTR_EL2);
    unsigned int pre_bits = ((vtr >> 26) & 7) + 1;
    gicv3.nr_lrs = MIN((unsigned int)(vtr & 0x1f) + 1, 16U);
    gicv3.nr_apr = pre_bits >= 7 ? 4 : pre_bits == 6 ? 2 : 1; /* 32 levels per APR */

    info->version = GIC_V3;
    info->nr_irqs = gicv3.nr_irqs;
    info->nr_lrs = gicv3.nr_lrs;
    info->pri_bits = ((vtr >> 29) & 7) + 1;
    gicv3_dist_reset();
    return 0;
}

/* ---- redistributor and CPU interface ---- */

static uintptr_t gicv3_find_rdist(uint64_t mpidr)
{
    uint32_t aff = gicv3_mpidr_to_aff(mpidr);

    for (unsigned int r = 0; r < gicv3.nr_rdist_regions; r++) {
        uintptr_t base = gicv3.rdist_region[r].base, end = base + gicv3.rdist_region[r].size;
        while (base + 2 * GICR_SGI_BASE <= end) {
            uint64_t typer = gic_read64(base + GICR_TYPER);
            if ((uint32_t)(typer >> 32) == aff)
                return base;
            if (typer & GICR_TYPER_LAST)
                break;
            /* GICv4 redistributors add two frames for vLPIs. */
            base += (typer & GICR_TYPER_VLPIS) ? 4 * GICR_SGI_BASE : 2 * GICR_SGI_BASE;
        }
    }
    return 0;
}

static void gicv3_rdist_init(uintptr_t rd)
{
    uintptr_t sgi = rd + GICR_SGI_BASE;

    gic_write32(rd + GICR_WAKER, gic_read32(rd + GICR_WAKER) & ~GICR_WAKER_PS);
    gicv3_poll_clear(rd + GICR_WAKER, GICR_WAKER_CA, "GICR_WAKER.ChildrenAsleep");
    gic_write32(sgi + GICD_IGROUPR, ~0U);
    gic_write32(sgi + GICD_ICENABLER, ~0U); /* the core enables what it uses */
    gic_write32(sgi + GICD_ICPENDR, ~0U);
    gic_write32(sgi + GICD_ICACTIVER, ~0U);
    for (unsigned int i = 0; i < 32; i += 4)
        gic_write32(sgi + GICD_IPRIORITYR + i, GIC_PRIO_X4);
    gic_write32(sgi + GICR_ICFGR1, 0); /* PPIs level */
    gicv3_poll_clear(rd + GICR_CTLR, GICR_CTLR_RWP, "GICR_CTLR.RWP");
}

static void gicv3_vif_reset(void);

static void gicv3_cpu_init(unsigned int cpu)
{
    uint64_t mpidr = read_sysreg(mpidr_el1);
    uintptr_t rd = gicv3_find_rdist(mpidr);

    gicv3.mpidr[cpu] = mpidr;
    if (!rd) {
        printk("gicv3: no redistributor for pCPU%u (MPIDR %lx)", cpu, mpidr);
        return;
    }
    gicv3.rdist[cpu] = rd;
    gicv3_rdist_init(rd);

    write_sysreg(ICC_SRE_EL2, ICC_SRE_EL2_VALUE);
    isb();
    write_sysreg(ICC_PMR_EL1, 0xff);
    write_sysreg(ICC_BPR1_EL1, 0);
    write_sysreg(ICC_CTLR_EL1, 0); /* EOImode 0 */
    write_sysreg(ICC_IGRPEN1_EL1, 1);
    isb();
    gicv3_vif_reset();
}

static uint32_t gicv3_ack(void)
{
    uint32_t intid = (uint32_t)read_sysreg(ICC_IAR1_EL1) & 0xffffff;
    /* Reads of the interrupt's device state must not pass the acknowledge. */
    dsb(sy);
    return intid;
}

static void gicv3_eoi(uint32_t intid)
{
    write_sysreg(ICC_EOIR1_EL1, intid);
    isb();
}

/* INTIDs 0..31 are in this CPU's redistributor SGI frame, SPIs in the GICD. */
static uintptr_t gicv3_irq_frame(uint32_t intid)
{
    return intid < 32 ? gicv3.rdist[this_cpu_id()] + GICR_SGI_BASE : gicv3.gicd;
}

static void gicv3_enable(uint32_t intid, bool level)
{
    uintptr_t f = gicv3_irq_frame(intid);

    if (intid >= gicv3.nr_irqs || f == GICR_SGI_BASE) /* (no redistributor found) */
        return;
    if (intid >= 16) {
        uintptr_t cfg = f + GICD_ICFGR + (intid / 16) * 4;
        uint32_t bit = 2U << ((intid % 16) * 2);
        uint64_t flags = spin_lock_irqsave(&gicv3.lock);
        uint32_t v = gic_read32(cfg);
        gic_write32(cfg, level ? v & ~bit : v | bit);
        spin_unlock_irqrestore(&gicv3.lock, flags);
    }
    gic_write32(f + GICD_ISENABLER + (intid / 32) * 4, 1U << (intid % 32));
}

static void gicv3_set_target(uint32_t intid, unsigned int cpu)
{
    if (intid < 32 || intid >= gicv3.nr_irqs || cpu >= MAX_PCPUS || !gicv3.mpidr[cpu])
        return;
    gic_write64(gicv3.gicd + GICD_IROUTER + intid * 8, gicv3.mpidr[cpu] & 0xff00ffffffULL);
}

static void gicv3_disable(uint32_t intid)
{
    uintptr_t f = gicv3_irq_frame(intid);

    if (intid >= gicv3.nr_irqs || f == GICR_SGI_BASE)
        return;
    gic_write32(f + GICD_ICENABLER + (intid / 32) * 4, 1U << (intid % 32));
    if (intid < 32)
        gicv3_poll_clear(gicv3.rdist[this_cpu_id()] + GICR_CTLR, GICR_CTLR_RWP, "GICR RWP");
    else
        gicv3_dist_wait();
}

static void gicv3_send_sgi(unsigned int cpu, unsigned int sgi)
{
    if (cpu >= MAX_PCPUS)
        return;
    /* Aff3 [55:48], Aff2 [39:32], Aff1 [23:16], RS [47:44] + TargetList bit for Aff0. */
    uint64_t mpidr = gicv3.mpidr[cpu];
    uint64_t aff0 = mpidr & 0xff;
    uint64_t val = ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 |
                   ((mpidr >> 8) & 0xff) << 16 | (aff0 >> 4) << 44 | (uint64_t)(sgi & 0xf) << 24 |
                   BIT(aff0 & 0xf);
    dsb(ishst); /* the mailbox the SGI announces is visible first */
    write_sysreg(ICC_SGI1R_EL1, val);
    isb();
}

/* ---- virtual interface (ICH_*_EL2) ---- */

/* ICH_LR<n>_EL2 is encoded in the instruction: one accessor per register. */
#define GICV3_LR(n, crm, op2)                        \
    static uint64_t gicv3_lr_rd##n(void)             \
    {                                                \
        return read_sysreg(S3_4_C12_C##crm##_##op2); \
    }                                                \
    static void gicv3_lr_wr##n(uint64_t v)           \
    {                                                \
        write_sysreg(S3_4_C12_C##crm##_##op2, v);    \
    }
/* clang-format off */
GICV3_LR(0, 12, 0)
GICV3_LR(1, 12, 1)
GICV3_LR(2, 12, 2)
GICV3_LR(3, 12, 3)
GICV3_LR(4, 12, 4)
GICV3_LR(5, 12, 5)
GICV3_LR(6, 12, 6)
GICV3_LR(7, 12, 7)
GICV3_LR(8, 13, 0)
GICV3_LR(9, 13, 1)
GICV3_LR(10, 13, 2)
GICV3_LR(11, 13, 3)
GICV3_LR(12, 13, 4)
GICV3_LR(13, 13, 5)
GICV3_LR(14, 13, 6)
GICV3_LR(15, 13, 7)
/* clang-format on */

static uint64_t (*const gicv3_lr_read_fn[16])(void) = {
    gicv3_lr_rd0,  gicv3_lr_rd1,  gicv3_lr_rd2,  gicv3_lr_rd3,  gicv3_lr_rd4,  gicv3_lr_rd5,
    gicv3_lr_rd6,  gicv3_lr_rd7,  gicv3_lr_rd8,  gicv3_lr_rd9,  gicv3_lr_rd10, gicv3_lr_rd11,
    gicv3_lr_rd12, gicv3_lr_rd13, gicv3_lr_rd14, gicv3_lr_rd15,
};
static void (*const gicv3_lr_write_fn[16])(uint64_t) = {
    gicv3_lr_wr0,  gicv3_lr_wr1,  gicv3_lr_wr2,  gicv3_lr_wr3,  gicv3_lr_wr4,  gicv3_lr_wr5,
    gicv3_lr_wr6,  gicv3_lr_wr7,  gicv3_lr_wr8,  gicv3_lr_wr9,  gicv3_lr_wr10, gicv3_lr_wr11,
    gicv3_lr_wr12, gicv3_lr_wr13, gicv3_lr_wr14, gicv3_lr_wr15,
};

/* ICH_AP0R<n>_EL2 / ICH_AP1R<n>_EL2, likewise. */
#define GICV3_APR(g, n, crm)                                 \
    static uint32_t gicv3_ap##g##r_rd##n(void)               \
    {                                                        \
        return (uint32_t)read_sysreg(S3_4_C12_C##crm##_##n); \
    }                                                        \
    static void gicv3_ap##g##r_wr##n(uint32_t v)             \
    {                                                        \
        write_sysreg(S3_4_C12_C##crm##_##n, v);              \
    }
/* clang-format off */
GICV3_APR(0, 0, 8)
GICV3_APR(0, 1, 8)
GICV3_APR(0, 2, 8)
GICV3_APR(0, 3, 8)
GICV3_APR(1, 0, 9)
GICV3_APR(1, 1, 9)
GICV3_APR(1, 2, 9)
GICV3_APR(1, 3, 9)
/* clang-format on */

static uint32_t (*const gicv3_apr_read_fn[2][4])(void) = {
    {gicv3_ap0r_rd0, gicv3_ap0r_rd1, gicv3_ap0r_rd2, gicv3_ap0r_rd3},
    {gicv3_ap1r_rd0, gicv3_ap1r_rd1, gicv3_ap1r_rd2, gicv3_ap1r_rd3},
};
static void (*const gicv3_apr_write_fn[2][4])(uint32_t) = {
    {gicv3_ap0r_wr0, gicv3_ap0r_wr1, gicv3_ap0r_wr2, gicv3_ap0r_wr3},
    {gicv3_ap1r_wr0, gicv3_ap1r_wr1, gicv3_ap1r_wr2, gicv3_ap1r_wr3},
};

static uint64_t gicv3_read_lr(unsigned int n)
{
    return n < gicv3.nr_lrs ? gicv3_lr_read_fn[n]() : 0;
}

static void gicv3_write_lr(unsigned int n, uint64_t val)
{
    if (n < gicv3.nr_lrs)
        gicv3_lr_write_fn[n](val);
}

static void gicv3_write_hcr(uint32_t val)
{
    write_sysreg(ICH_HCR_EL2, val);
    isb();
}

static uint32_t gicv3_read_vmcr(void)
{
    return (uint32_t)read_sysreg(ICH_VMCR_EL2);
}

static void gicv3_write_vmcr(uint32_t val)
{
    write_sysreg(ICH_VMCR_EL2, val);
}

static void gicv3_save_apr(uint32_t apr0[4], uint32_t apr1[4])
{
    for (unsigned int n = 0; n < gicv3.nr_apr; n++) {
        apr0[n] = gicv3_apr_read_fn[0][n]();
        apr1[n] = gicv3_apr_read_fn[1][n]();
    }
}

static void gicv3_restore_apr(const uint32_t apr0[4], const uint32_t apr1[4])
{
    for (unsigned int n = 0; n < gicv3.nr_apr; n++) {
        gicv3_apr_write_fn[0][n](apr0[n]);
        gicv3_apr_write_fn[1][n](apr1[n]);
    }
}

/* Empty LRs, no active priorities, interface on: what vgic_sync() leaves. */
static void gicv3_vif_reset(void)
{
    static const uint32_t zero[4];

    for (unsigned int n = 0; n < gicv3.nr_lrs; n++)
        gicv3_write_lr(n, 0);
    gicv3_restore_apr(zero, zero);
    gicv3_write_vmcr(0);
    gicv3_write_hcr(BIT(0));
}

const struct gic_driver gicv3_driver = {
    .name = "GICv3",
    .init = gicv3_init,
    .cpu_init = gicv3_cpu_init,
    .ack = gicv3_ack,
    .eoi = gicv3_eoi,
    .enable = gicv3_enable,
    .disable = gicv3_disable,
    .send_sgi = gicv3_send_sgi,
    .set_target = gicv3_set_target,
    .read_lr = gicv3_read_lr,
    .write_lr = gicv3_write_lr,
    .write_hcr = gicv3_write_hcr,
    .read_vmcr = gicv3_read_vmcr,
    .write_vmcr = gicv3_write_vmcr,
    .save_apr = gicv3_save_apr,
    .restore_apr = gicv3_restore_apr,
};
