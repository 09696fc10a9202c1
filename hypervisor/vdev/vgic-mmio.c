/*
 * Register-table walker for the vGIC frames, and the per-interrupt
 * registers the GICv2 and GICv3 distributors (and the v3 redistributor SGI
 * frame, which has the same offsets for INTIDs 0..31) share.
 *
 * Guest-chosen offsets only ever select a table entry or fall through to
 * RAZ/WI; guest-chosen INTIDs come from the offset and go through
 * vgic_mmio_irq(), which returns NULL for anything the frame does not show.
 */
#include <core/domain.h>
#include <core/vcpu.h>

#include "vgic-priv.h"

/* The interrupt intid in this frame, or NULL (RAZ/WI). */
static struct vgic_irq *vgic_mmio_irq(struct vgic_mmio_ctx *c, uint32_t intid)
{
    if (intid < VGIC_NR_PRIVATE)
        return c->priv ? vgic_get_irq(c->dist, c->priv, intid) : NULL;
    return c->spis ? vgic_get_irq(c->dist, NULL, intid) : NULL;
}

static void vgic_mmio_changed(struct vgic_mmio_ctx *c, struct vgic_irq *irq)
{
    vgic_irq_update_locked(c->dist, irq, &c->kick);
}

uint64_t vgic_mmio_raz(struct vgic_mmio_ctx *c, uint32_t off, unsigned int size)
{
    return 0;
}

void vgic_mmio_wi(struct vgic_mmio_ctx *c, uint32_t off, unsigned int size, uint64_t val)
{
}

/* ---- per-interrupt fields ---- */

static uint32_t vgic_get_group(struct vgic_mmio_ctx *c, struct vgic_irq *irq)
{
    return irq->group;
}

static void vgic_set_group(struct vgic_mmio_ctx *c, struct vgic_irq *irq, uint32_t f)
{
    irq->group = (uint8_t)(f & 1);
    vgic_mmio_changed(c, irq);
}

static uint32_t vgic_get_enable(struct vgic_mmio_ctx *c, struct vgic_irq *irq)
{
    return irq->enabled;
}

static void vgic_set_enable(struct vgic_mmio_ctx *c, struct vgic_irq *irq, uint32_t f)
{
    if (f) {
        irq->enabled = true;
        vgic_mmio_changed(c, irq);
    }
}

/* A disabled interrupt leaves the LRs at the next flush. */
static void vgic_clear_enable(struct vgic_mmio_ctx *c, struct vgic_irq *irq, uint32_t f)
{
    if (f) {
        irq->enabled = false;
        vgic_hw_update_locked(irq); /* a passed-through SPI is masked at once */
    }
}

static uint32_t vgic_get_pending(struct vgic_mmio_ctx *c, struct vgic_irq *irq)
{
    return vgic_irq_pending_state(irq);
}

static void vgic_set_pending(struct vgic_mmio_ctx *c, struct vgic_irq *irq, uint32_t f)
{
    /* GICv2 SGIs need a sender: only GICD_SGIR/SPENDSGIR make them pending. */
    if (!f || (c->dist->ops->version == GIC_V2 && irq->intid < VGIC_NR_SGIS))
        return;
    vgic_irq_set_pending_locked(c->dist, irq, true, &c->kick);
}

static void vgic_clear_pending(struct vgic_mmio_ctx *c, struct vgic_irq *irq, uint32_t f)
{
    if (f)
        vgic_irq_set_pending_locked(c->dist, irq, false, &c->kick);
}

static uint32_t vgic_get_active(struct vgic_mmio_ctx *c, struct vgic_irq *irq)
{
    return irq->active;
}

static void vgic_set_active(struct vgic_mmio_ctx *c, struct vgic_irq *irq, uint32_t f)
{
    if (f) {
        irq->active = true;
        vgic_mmio_changed(c, irq);
    }
}

static void vgic_clear_active(struct vgic_mmio_ctx *c, struct vgic_irq *irq, uint32_t f)
{
    if (f) {
        irq->active = false;
        vgic_mmio_changed(c, irq);
    }
}

static uint32_t vgic_get_priority(struct vgic_mmio_ctx *c, struct vgic_irq *irq)
{
    return irq->priority;
}

/* Unimplemented low bits read as zero, which is how guests count them. */
static void vgic_set_priority(struct vgic_mmio_ctx *c, struct vgic_irq *irq, uint32_t f)
{
    irq->priority = (uint8_t)(f & c->dist->pri_mask);
}

static uint32_t vgic_get_config(struct vgic_mmio_ctx *c, struct vgic_irq *irq)
{
    return (uint32_t)irq->config << 1;
}

/* SGIs are always edge-triggered (read-only). */
static void vgic_set_config(struct vgic_mmio_ctx *c, struct vgic_irq *irq, uint32_t f)
{
    if (irq->intid < VGIC_NR_SGIS)
        return;
    irq->config = (uint8_t)((f >> 1) & 1);
    vgic_hw_reconfig_locked(irq);
}

#define VGIC_IRQ_REG(off, len_, bits_, sizes_, get_, set_)                                 \
    {                                                                                      \
        .offset = (off), .len = (len_), .bits = (bits_), .sizes = (sizes_), .get = (get_), \
        .set = (set_)                                                                      \
    }

static const struct vgic_reg vgic_common_regs[] = {
    VGIC_IRQ_REG(0x080, 0x80, 1, VGIC_SZ_32, vgic_get_group, vgic_set_group),       /* IGROUPR */
    VGIC_IRQ_REG(0x100, 0x80, 1, VGIC_SZ_32, vgic_get_enable, vgic_set_enable),     /* ISENABLER */
    VGIC_IRQ_REG(0x180, 0x80, 1, VGIC_SZ_32, vgic_get_enable, vgic_clear_enable),   /* ICENABLER */
    VGIC_IRQ_REG(0x200, 0x80, 1, VGIC_SZ_32, vgic_get_pending, vgic_set_pending),   /* ISPENDR */
    VGIC_IRQ_REG(0x280, 0x80, 1, VGIC_SZ_32, vgic_get_pending, vgic_clear_pending), /* ICPENDR */
    VGIC_IRQ_REG(0x300, 0x80, 1, VGIC_SZ_32, vgic_get_active, vgic_set_active),     /* ISACTIVER */
    VGIC_IRQ_REG(0x380, 0x80, 1, VGIC_SZ_32, vgic_get_active, vgic_clear_active),   /* ICACTIVER */
    VGIC_IRQ_REG(0x400, 0x400, 8, VGIC_SZ_8 | VGIC_SZ_32, vgic_get_priority,
                 vgic_set_priority),                                             /* IPRIORITYR */
    VGIC_IRQ_REG(0xc00, 0x100, 2, VGIC_SZ_32, vgic_get_config, vgic_set_config), /* ICFGR */
};

const struct vgic_reg_table vgic_mmio_common = {vgic_common_regs, ARRAY_SIZE(vgic_common_regs)};

/* ---- the walker ---- */

static const struct vgic_reg *vgic_mmio_find(const struct vgic_reg_table *tables, size_t nr,
                                             uint32_t off)
{
    for (size_t t = 0; t < nr; t++)
        for (size_t i = 0; i < tables[t].count; i++) {
            const struct vgic_reg *r = &tables[t].regs[i];
            if (off >= r->offset && off - r->offset < r->len)
                return r;
        }
    return NULL;
}

/* One access to a per-interrupt array, split into fields of r->bits. */
static uint64_t vgic_mmio_fields(struct vgic_mmio_ctx *c, const struct vgic_reg *r, uint32_t off,
                                 unsigned int size, bool write, uint64_t val)
{
    uint32_t first = (off - r->offset) * 8U / r->bits;
    unsigned int count = size * 8U / r->bits;
    uint32_t mask = (uint32_t)((1ULL << r->bits) - 1);
    uint64_t out = 0;

    for (unsigned int i = 0; i < count; i++) {
        struct vgic_irq *irq = vgic_mmio_irq(c, first + i);
        unsigned int shift = i * r->bits;
        if (!irq)
            continue;
        if (write)
            r->set(c, irq, (uint32_t)(val >> shift) & mask);
        else
            out |= (uint64_t)(r->get(c, irq) & mask) << shift;
    }
    return out;
}

enum mmio_result vgic_mmio_access(struct vgic_mmio_ctx *c, const struct vgic_reg_table *tables,
                                  size_t nr_tables, uint32_t off, unsigned int size, bool write,
                                  uint64_t *val)
{
    const struct vgic_reg *r;

    if ((size != 1 && size != 2 && size != 4 && size != 8) || (off & (size - 1)))
        return MMIO_ABORT;
    r = vgic_mmio_find(tables, nr_tables, off);
    if (!r) {
        if (!write)
            *val = 0; /* reserved or unimplemented: RAZ/WI */
        return MMIO_HANDLED;
    }
    if (!(r->sizes & BIT(__builtin_ctz(size))))
        return MMIO_ABORT;

    uint64_t in = write ? *val : 0, out = 0;
    uint64_t flags = spin_lock_irqsave(&c->dist->lock);
    if (r->bits)
        out = vgic_mmio_fields(c, r, off, size, write, in);
    else if (write)
        r->write(c, off - r->offset, size, in);
    else
        out = r->read(c, off - r->offset, size);
    spin_unlock_irqrestore(&c->dist->lock, flags);

    if (!write)
        *val = out;
    vgic_kick_mask(c->dist->d, c->kick);
    return MMIO_HANDLED;
}
