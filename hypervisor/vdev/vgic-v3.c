/*
 * GICv3 front-end of the vGIC: the emulated distributor and redistributors
 * (register tables), ICH_LR<n>_EL2 encoding, SPI routing by affinity, and
 * the trapped SGI-generation system registers. The guest's CPU interface is
 * the hardware ICV_* registers (ICH_HCR_EL2.En), never emulated here.
 *
 * The guest sees a GIC with a single security state (GICD_CTLR.DS = 1),
 * affinity routing always on (ARE RAO/WI) and no LPIs or ITS.
 */
#include <core/domain.h>
#include <core/vcpu.h>

#include "vgic-priv.h"

/* ---- list registers (ICH_LR<n>_EL2) ---- */

#define ICH_LR_EOI BIT(41) /* with HW = 0 */
#define ICH_LR_PRIORITY_SHIFT 48
#define ICH_LR_GROUP BIT(60)
#define ICH_LR_PENDING BIT(62)
#define ICH_LR_ACTIVE BIT(63)

static uint64_t vgic_v3_lr_encode(const struct vgic_lr *lr)
{
    uint64_t raw = lr->intid | (uint64_t)lr->priority << ICH_LR_PRIORITY_SHIFT;

    if (lr->eoi_maint)
        raw |= ICH_LR_EOI;
    if (lr->group)
        raw |= ICH_LR_GROUP;
    if (lr->pending)
        raw |= ICH_LR_PENDING;
    if (lr->active)
        raw |= ICH_LR_ACTIVE;
    return raw;
}

static void vgic_v3_lr_decode(uint64_t raw, struct vgic_lr *lr)
{
    *lr = (struct vgic_lr){
        .intid = (uint32_t)raw,
        .priority = (uint8_t)(raw >> ICH_LR_PRIORITY_SHIFT),
        .group = (raw & ICH_LR_GROUP) != 0,
        .eoi_maint = (raw & ICH_LR_EOI) != 0,
        .pending = (raw & ICH_LR_PENDING) != 0,
        .active = (raw & ICH_LR_ACTIVE) != 0,
    };
}

/* ---- routing ---- */

/* Aff3 [39:32], Aff2..Aff0 [23:0]: the same places in MPIDR and IROUTER. */
#define VGIC_V3_AFF_MASK 0xff00ffffffULL
#define GICD_IROUTER_IRM BIT(31)
#define GICD_IROUTER_MASK (VGIC_V3_AFF_MASK | GICD_IROUTER_IRM)

static int vgic_v3_spi_target(const struct vgic_dist *dist, const struct vgic_irq *irq)
{
    ASSERT_HELD(&dist->lock);
    unsigned int nr = dist->d->nr_vcpus;

    if (irq->route & GICD_IROUTER_IRM)
        return nr ? 0 : -1; /* "any PE": vCPU 0 is as good as any */
    for (unsigned int i = 0; i < nr; i++)
        if ((vcpu_mpidr(i) & VGIC_V3_AFF_MASK) == (irq->route & VGIC_V3_AFF_MASK))
            return (int)i;
    return -1;
}

/* ---- distributor ---- */

#define GICD_CTLR_ARE BIT(4)
#define GICD_CTLR_DS BIT(6)
#define GICD_TYPER_IDBITS (9U << 19) /* 10 INTID bits */
#define GIC_PIDR2_V3 0x3bU           /* ArchRev 3 in [7:4] */

static uint64_t vgic_v3_ctlr_read(struct vgic_mmio_ctx *c, uint32_t off, unsigned int size)
{
    return c->dist->ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
}

static void vgic_v3_ctlr_write(struct vgic_mmio_ctx *c, uint32_t off, unsigned int size,
                               uint64_t val)
{
    c->dist->ctlr = (uint32_t)val & (VGIC_CTLR_ENGRP0 | VGIC_CTLR_ENGRP1);
    vgic_update_all_locked(c->dist, &c->kick);
}

static uint64_t vgic_v3_typer_read(struct vgic_mmio_ctx *c, uint32_t off, unsigned int size)
{
    return (c->dist->nr_spis / 32U) | GICD_TYPER_IDBITS;
}

static uint64_t vgic_v3_iidr_read(struct vgic_mmio_ctx *c, uint32_t off, unsigned int size)
{
    return VGIC_IIDR;
}

static uint64_t vgic_v3_pidr2_read(struct vgic_mmio_ctx *c, uint32_t off, unsigned int size)
{
    return GIC_PIDR2_V3;
}

/* GICD_IROUTER<n>: 64 bits per SPI at 0x6000 + 8n, 32-bit halves allowed. */
static uint64_t vgic_v3_irouter_read(struct vgic_mmio_ctx *c, uint32_t off, unsigned int size)
{
    struct vgic_irq *irq = vgic_get_irq(c->dist, NULL, off / 8);

    if (!irq || irq->intid < VGIC_NR_PRIVATE)
        return 0;
    if (size == 8)
        return irq->route;
    return (uint32_t)(irq->route >> ((off & 4) * 8));
}

static void vgic_v3_irouter_write(struct vgic_mmio_ctx *c, uint32_t off, unsigned int size,
                                  uint64_t val)
{
    struct vgic_irq *irq = vgic_get_irq(c->dist, NULL, off / 8);
    uint64_t route;

    if (!irq || irq->intid < VGIC_NR_PRIVATE)
        return;
    if (size == 8) {
        route = val;
    } else {
        unsigned int shift = (off & 4) * 8;
        route = (irq->route & ~(0xffffffffULL << shift)) | (val & 0xffffffffULL) << shift;
    }
    irq->route = route & GICD_IROUTER_MASK;
    vgic_irq_update_locked(c->dist, irq, &c->kick);
}

#define VGIC_REG(off, len_, sizes_, rd, wr)                                            \
    {                                                                                  \
        .offset = (off), .len = (len_), .sizes = (sizes_), .read = (rd), .write = (wr) \
    }

static const struct vgic_reg vgic_v3_gicd_regs[] = {
    VGIC_REG(0x0000, 4, VGIC_SZ_32, vgic_v3_ctlr_read, vgic_v3_ctlr_write), /* CTLR */
    VGIC_REG(0x0004, 4, VGIC_SZ_32, vgic_v3_typer_read, vgic_mmio_wi),      /* TYPER */
    VGIC_REG(0x0008, 4, VGIC_SZ_32, vgic_v3_iidr_read, vgic_mmio_wi),       /* IIDR */
    VGIC_REG(0x6000, 0x2000, VGIC_SZ_32 | VGIC_SZ_64, vgic_v3_irouter_read,
             vgic_v3_irouter_write),                                   /* IROUTER */
    VGIC_REG(0xffe8, 4, VGIC_SZ_32, vgic_v3_pidr2_read, vgic_mmio_wi), /* PIDR2 */
};

/* ---- redistributor, RD_base frame (c->priv is the frame's vCPU) ---- */

#define GICR_TYPER_LAST BIT(4)
#define GICR_WAKER_PS BIT(1) /* ProcessorSleep */
#define GICR_WAKER_CA BIT(2) /* ChildrenAsleep */

static uint64_t vgic_v3_gicr_typer_read(struct vgic_mmio_ctx *c, uint32_t off, unsigned int size)
{
    struct vcpu *t = c->priv;
    uint64_t mpidr = vcpu_mpidr(t->id);
    /* Affinity value: Aff3.Aff2.Aff1.Aff0 packed in [63:32]. */
    uint64_t aff = ((mpidr >> 8) & 0xff000000ULL) | (mpidr & 0xffffffULL);
    uint64_t typer = aff << 32 | (uint64_t)t->id << 8;

    if (t->id + 1 == c->dist->d->nr_vcpus)
        typer |= GICR_TYPER_LAST;
    return size == 8 ? typer : (uint32_t)(typer >> (off * 8));
}

static uint64_t vgic_v3_gicr_waker_read(struct vgic_mmio_ctx *c, uint32_t off, unsigned int size)
{
    /* Asleep children follow ProcessorSleep at once: nothing to quiesce. */
    return (c->priv->vgic->gicr_waker & GICR_WAKER_PS) ? GICR_WAKER_PS | GICR_WAKER_CA : 0;
}

static void vgic_v3_gicr_waker_write(struct vgic_mmio_ctx *c, uint32_t off, unsigned int size,
                                     uint64_t val)
{
    c->priv->vgic->gicr_waker = (uint32_t)val & GICR_WAKER_PS;
}

static const struct vgic_reg vgic_v3_gicr_regs[] = {
    VGIC_REG(0x0000, 4, VGIC_SZ_32, vgic_mmio_raz, vgic_mmio_wi),     /* CTLR: no LPIs */
    VGIC_REG(0x0004, 4, VGIC_SZ_32, vgic_v3_iidr_read, vgic_mmio_wi), /* IIDR */
    VGIC_REG(0x0008, 8, VGIC_SZ_32 | VGIC_SZ_64, vgic_v3_gicr_typer_read, vgic_mmio_wi), /* TYPER */
    VGIC_REG(0x0014, 4, VGIC_SZ_32, vgic_v3_gicr_waker_read, vgic_v3_gicr_waker_write),  /* WAKER */
    VGIC_REG(0xffe8, 4, VGIC_SZ_32, vgic_v3_pidr2_read, vgic_mmio_wi),                   /* PIDR2 */
};

#define GICR_SGI_FRAME 0x10000U

static enum mmio_result vgic_v3_mmio(struct vcpu *v, ipa_t addr, unsigned int size, bool write,
                                     uint64_t *val)
{
    struct vgic_dist *dist = v->domain->vgic;
    struct vgic_mmio_ctx c = {.dist = dist, .v = v};
    struct vgic_reg_table tables[2] = {{vgic_v3_gicd_regs, ARRAY_SIZE(vgic_v3_gicd_regs)},
                                       vgic_mmio_common};
    ipa_t off = addr - dist->gicd_base; /* wraps to huge below the base */

    if (off < VGIC_V3_GICD_SIZE) {
        c.spis = true; /* ARE: INTIDs 0..31 live in the redistributors (RAZ/WI here) */
        return vgic_mmio_access(&c, tables, 2, (uint32_t)off, size, write, val);
    }
    off = addr - dist->gicr_base;
    if (off >= (ipa_t)v->domain->nr_vcpus * VGIC_V3_GICR_STRIDE)
        return MMIO_UNHANDLED;
    c.priv = v->domain->vcpus[off / VGIC_V3_GICR_STRIDE];
    off %= VGIC_V3_GICR_STRIDE;
    if (off < GICR_SGI_FRAME) {
        struct vgic_reg_table rd = {vgic_v3_gicr_regs, ARRAY_SIZE(vgic_v3_gicr_regs)};
        return vgic_mmio_access(&c, &rd, 1, (uint32_t)off, size, write, val);
    }
    /* SGI_base: the distributor's per-interrupt registers for INTIDs 0..31. */
    return vgic_mmio_access(&c, &vgic_mmio_common, 1, (uint32_t)(off - GICR_SGI_FRAME), size, write,
                            val);
}

/* ---- trapped system registers (EC 0x18) ---- */

/* ISS fields Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], CRm [4:1]. */
#define VGIC_ISS(op0, op1, crn, crm, op2)                                    \
    ((uint32_t)(op0) << 20 | (uint32_t)(op2) << 17 | (uint32_t)(op1) << 14 | \
     (uint32_t)(crn) << 10 | (uint32_t)(crm) << 1)
#define VGIC_ISS_MASK VGIC_ISS(3, 7, 15, 15, 7)

#define ICC_SGIR_IRM BIT(40)

/* vCPUs an ICC_SGI*R_EL1 value names: Aff3.Aff2.Aff1 + RS + TargetList, or
 * everyone but the sender with IRM. */
static uint32_t vgic_v3_sgi_targets(struct vcpu *src, uint64_t val)
{
    uint64_t want =
        ((val >> 48) & 0xff) << 32 | ((val >> 32) & 0xff) << 16 | ((val >> 16) & 0xff) << 8;
    unsigned int rs = (val >> 44) & 0xf;
    uint32_t mask = 0;

    for (unsigned int i = 0; i < src->domain->nr_vcpus; i++) {
        uint64_t mpidr = vcpu_mpidr(i);
        unsigned int aff0 = mpidr & 0xff;
        if (val & ICC_SGIR_IRM) {
            if (i != src->id)
                mask |= 1U << i;
        } else if ((mpidr & 0xff00ffff00ULL) == want && (aff0 >> 4) == rs &&
                   (val & BIT(aff0 & 0xf))) {
            mask |= 1U << i;
        }
    }
    return mask;
}

static void vgic_v3_send_sgi(struct vcpu *src, uint64_t val, uint8_t group)
{
    struct vgic_dist *dist = src->domain->vgic;
    uint32_t sgi = (val >> 24) & 0xf, targets = vgic_v3_sgi_targets(src, val), kick = 0;

    uint64_t flags = spin_lock_irqsave(&dist->lock);
    /* An SGI register only raises SGIs configured in its group. */
    for (unsigned int i = 0; i < src->domain->nr_vcpus; i++)
        if (src->domain->vcpus[i]->vgic->priv[sgi].group != group)
            targets &= ~(1U << i);
    vgic_send_sgi_locked(dist, src, targets, sgi, &kick);
    spin_unlock_irqrestore(&dist->lock, flags);
    vgic_kick_mask(src->domain, kick);
}

static const struct {
    uint32_t iss;
    uint8_t group;
} vgic_v3_sgi_regs[] = {
    {VGIC_ISS(3, 0, 12, 11, 5), 1}, /* ICC_SGI1R_EL1 */
    {VGIC_ISS(3, 0, 12, 11, 6), 0}, /* ICC_ASGI1R_EL1: the other group, with DS = 1 */
    {VGIC_ISS(3, 0, 12, 11, 7), 0}, /* ICC_SGI0R_EL1 */
};

static bool vgic_v3_sysreg(struct vcpu *v, uint32_t iss, uint64_t *val, bool write)
{
    for (size_t i = 0; i < ARRAY_SIZE(vgic_v3_sgi_regs); i++) {
        if ((iss & VGIC_ISS_MASK) != vgic_v3_sgi_regs[i].iss)
            continue;
        if (write)
            vgic_v3_send_sgi(v, *val, vgic_v3_sgi_regs[i].group);
        else
            *val = 0; /* write-only registers */
        return true;
    }
    return false;
}

const struct vgic_ops vgic_v3_ops = {
    .version = GIC_V3,
    .reset_group = 1,
    .lr_encode = vgic_v3_lr_encode,
    .lr_decode = vgic_v3_lr_decode,
    .spi_target = vgic_v3_spi_target,
    .mmio = vgic_v3_mmio,
    .sysreg = vgic_v3_sysreg,
};
