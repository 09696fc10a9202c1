/*
 * GICv2 front-end of the vGIC: the emulated distributor (register table),
 * GICH_LR<n> encoding and SPI routing by CPU target mask. The guest's CPU
 * interface is the hardware GICV frame, mapped by the core as its GICC.
 *
 * The guest sees a GICv2 without the Security Extensions: GICD_CTLR bit 0
 * enables Group 0 (where Linux leaves everything), bit 1 Group 1. Private
 * interrupts are banked: a vCPU's GICD accesses show its own INTIDs 0..31.
 */
#include <core/domain.h>
#include <core/vcpu.h>

#include "vgic-priv.h"

/* ---- list registers (GICH_LR<n>) ---- */

#define GICH_LR_CPUID_SHIFT 10
#define GICH_LR_EOI BIT(19)
#define GICH_LR_PRIORITY_SHIFT 23 /* 5 bits: priority[7:3] */
#define GICH_LR_PENDING BIT(28)
#define GICH_LR_ACTIVE BIT(29)
#define GICH_LR_GRP1 BIT(30)

static uint64_t vgic_v2_lr_encode(const struct vgic_lr *lr)
{
    uint32_t raw = (lr->intid & 0x3ffU) | (uint32_t)(lr->priority >> 3) << GICH_LR_PRIORITY_SHIFT;

    if (lr->intid < VGIC_NR_SGIS)
        raw |= (uint32_t)(lr->source & 7) << GICH_LR_CPUID_SHIFT;
    if (lr->eoi_maint)
        raw |= GICH_LR_EOI;
    if (lr->group)
        raw |= GICH_LR_GRP1;
    if (lr->pending)
        raw |= GICH_LR_PENDING;
    if (lr->active)
        raw |= GICH_LR_ACTIVE;
    return raw;
}

static void vgic_v2_lr_decode(uint64_t raw, struct vgic_lr *lr)
{
    *lr = (struct vgic_lr){
        .intid = raw & 0x3ff,
        .source = (raw >> GICH_LR_CPUID_SHIFT) & 7,
        .priority = (uint8_t)(((raw >> GICH_LR_PRIORITY_SHIFT) & 0x1f) << 3),
        .group = (raw & GICH_LR_GRP1) != 0,
        .eoi_maint = (raw & GICH_LR_EOI) != 0,
        .pending = (raw & GICH_LR_PENDING) != 0,
        .active = (raw & GICH_LR_ACTIVE) != 0,
    };
}

/* ---- routing ---- */

static uint32_t vgic_v2_cpu_mask(const struct vgic_dist *dist)
{
    return (1U << dist->d->nr_vcpus) - 1;
}

/* A 1-of-N SPI goes to the lowest-numbered CPU of its target list. */
static int vgic_v2_spi_target(const struct vgic_dist *dist, const struct vgic_irq *irq)
{
    ASSERT_HELD(&dist->lock);
    uint32_t mask = (uint32_t)irq->route & vgic_v2_cpu_mask(dist);

    return mask ? __builtin_ctz(mask) : -1;
}

/* ---- distributor ---- */

#define GIC_PIDR2_V2 0x2bU /* ArchRev 2 in [7:4] */

static uint64_t vgic_v2_ctlr_read(struct vgic_mmio_ctx *c, uint32_t off, unsigned int size)
{
    return c->dist->ctlr;
}

static void vgic_v2_ctlr_write(struct vgic_mmio_ctx *c, uint32_t off, unsigned int size,
                               uint64_t val)
{
    c->dist->ctlr = (uint32_t)val & (VGIC_CTLR_ENGRP0 | VGIC_CTLR_ENGRP1);
    vgic_update_all_locked(c->dist, &c->kick);
}

static uint64_t vgic_v2_typer_read(struct vgic_mmio_ctx *c, uint32_t off, unsigned int size)
{
    /* ITLinesNumber [4:0], CPUNumber [7:5] */
    return (c->dist->nr_spis / 32U) | (c->dist->d->nr_vcpus - 1) << 5;
}

static uint64_t vgic_v2_iidr_read(struct vgic_mmio_ctx *c, uint32_t off, unsigned int size)
{
    return VGIC_IIDR;
}

static uint64_t vgic_v2_pidr2_read(struct vgic_mmio_ctx *c, uint32_t off, unsigned int size)
{
    return GIC_PIDR2_V2;
}

/* GICD_ITARGETSR: for INTIDs 0..31 it reads as the accessing CPU (RO). */
static uint32_t vgic_v2_get_target(struct vgic_mmio_ctx *c, struct vgic_irq *irq)
{
    if (irq->intid < VGIC_NR_PRIVATE)
        return 1U << c->v->id;
    return (uint32_t)irq->route;
}

static void vgic_v2_set_target(struct vgic_mmio_ctx *c, struct vgic_irq *irq, uint32_t f)
{
    if (irq->intid < VGIC_NR_PRIVATE)
        return;
    irq->route = f & vgic_v2_cpu_mask(c->dist);
    vgic_irq_update_locked(c->dist, irq, &c->kick);
}

#define GICD_SGIR_FILTER_LIST 0
#define GICD_SGIR_FILTER_OTHERS 1
#define GICD_SGIR_FILTER_SELF 2

static void vgic_v2_sgir_write(struct vgic_mmio_ctx *c, uint32_t off, unsigned int size,
                               uint64_t val)
{
    uint32_t targets, self = 1U << c->v->id;

    switch ((val >> 24) & 3) {
    case GICD_SGIR_FILTER_LIST:
        targets = (val >> 16) & 0xff;
        break;
    case GICD_SGIR_FILTER_OTHERS:
        targets = vgic_v2_cpu_mask(c->dist) & ~self;
        break;
    case GICD_SGIR_FILTER_SELF:
        targets = self;
        break;
    default:
        return; /* reserved filter: no SGI */
    }
    vgic_send_sgi_locked(c->dist, c->v, targets & vgic_v2_cpu_mask(c->dist), val & 0xf, &c->kick);
}

#define VGIC_REG(off, len_, sizes_, rd, wr)                                            \
    {                                                                                  \
        .offset = (off), .len = (len_), .sizes = (sizes_), .read = (rd), .write = (wr) \
    }

static const struct vgic_reg vgic_v2_gicd_regs[] = {
    VGIC_REG(0x000, 4, VGIC_SZ_32, vgic_v2_ctlr_read, vgic_v2_ctlr_write), /* CTLR */
    VGIC_REG(0x004, 4, VGIC_SZ_32, vgic_v2_typer_read, vgic_mmio_wi),      /* TYPER */
    VGIC_REG(0x008, 4, VGIC_SZ_32, vgic_v2_iidr_read, vgic_mmio_wi),       /* IIDR */
    {.offset = 0x800,
     .len = 0x400,
     .bits = 8,
     .sizes = VGIC_SZ_8 | VGIC_SZ_32,
     .get = vgic_v2_get_target,
     .set = vgic_v2_set_target},                                       /* ITARGETSR */
    VGIC_REG(0xf00, 4, VGIC_SZ_32, vgic_mmio_raz, vgic_v2_sgir_write), /* SGIR */
    /* CPENDSGIR/SPENDSGIR (0xf10..0xf2f) are RAZ/WI: not in the table. */
    VGIC_REG(0xfe8, 4, VGIC_SZ_32, vgic_v2_pidr2_read, vgic_mmio_wi), /* PIDR2 */
};

static enum mmio_result vgic_v2_mmio(struct vcpu *v, ipa_t addr, unsigned int size, bool write,
                                     uint64_t *val)
{
    struct vgic_dist *dist = v->domain->vgic;
    struct vgic_mmio_ctx c = {.dist = dist, .v = v, .priv = v, .spis = true};
    struct vgic_reg_table tables[2] = {{vgic_v2_gicd_regs, ARRAY_SIZE(vgic_v2_gicd_regs)},
                                       vgic_mmio_common};
    ipa_t off = addr - dist->gicd_base; /* wraps to huge below the base */

    if (off >= VGIC_V2_GICD_SIZE)
        return MMIO_UNHANDLED; /* GICC is the hardware GICV, mapped in stage-2 */
    return vgic_mmio_access(&c, tables, 2, (uint32_t)off, size, write, val);
}

static bool vgic_v2_sysreg(struct vcpu *v, uint32_t iss, uint64_t *val, bool write)
{
    return false; /* a GICv2 guest has no GIC system registers */
}

const struct vgic_ops vgic_v2_ops = {
    .version = GIC_V2,
    .reset_group = 0,
    .lr_encode = vgic_v2_lr_encode,
    .lr_decode = vgic_v2_lr_decode,
    .spi_target = vgic_v2_spi_target,
    .mmio = vgic_v2_mmio,
    .sysreg = vgic_v2_sysreg,
};
