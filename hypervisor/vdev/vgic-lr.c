/*
 * List-register management: move interrupts between a vCPU's pending list
 * and the hardware LRs of the pCPU it runs on.
 *
 * Every exit folds all LRs back (vgic_sync) and every entry rewrites them
 * from the list (vgic_flush), so between the two the hardware LRs are empty
 * and the state in struct vgic_irq is the whole truth: a vCPU can move to
 * another pCPU, or be switched out, with no LR contents to carry.
 *
 * When more interrupts wait than there are LRs, the flush asks for a
 * maintenance interrupt: underflow (HCR.UIE, 0 or 1 LRs left valid) when
 * all LRs are in use, so the guest's EOIs make room; "no pending" (HCR.NPIE)
 * when the leftover is a GICv2 SGI from a second sender, which can only be
 * presented once the first copy was acknowledged (and, while that copy is
 * active, LR EOI maintenance). The sync rewrites the LRs and clears both
 * enables, so the (level) maintenance interrupt drops before the core EOIs it.
 */
#include <core/domain.h>
#include <cloison/irq.h>
#include <cloison/printk.h>
#include <drivers/gic_vif.h>
#include <core/vcpu.h>

#include "vgic-priv.h"

static void vgic_set_hcr(struct vgic_cpu *vc, uint32_t hcr)
{
    if (vc->hcr != hcr) {
        gic_vif_write_hcr(hcr);
        vc->hcr = hcr;
    }
}

/* LR order: active first (the guest must be able to EOI them), then by
 * priority, then by INTID so the result does not depend on list order. */
static bool vgic_lr_before(const struct vgic_irq *a, const struct vgic_irq *b)
{
    if (a->active != b->active)
        return a->active;
    if (a->priority != b->priority)
        return a->priority < b->priority;
    return a->intid < b->intid;
}

/* Drop list entries with nothing to deliver and move re-routed SPIs. */
static void vgic_prune_locked(struct vgic_dist *dist, struct vcpu *v, uint32_t *kick)
{
    ASSERT_HELD(&dist->lock);
    struct vgic_irq **pp = &v->vgic->pending_head;
    struct vgic_irq *irq;

    while ((irq = *pp)) {
        bool keep = irq->active || vgic_irq_can_signal(dist, irq);
        bool moved = irq->intid >= VGIC_NR_PRIVATE && !irq->active &&
                     dist->ops->spi_target(dist, irq) != (int)v->id;
        if (keep && !moved) {
            pp = &irq->next_pending;
            continue;
        }
        *pp = irq->next_pending;
        irq->next_pending = NULL;
        irq->list_vcpu = -1;
        if (keep)
            vgic_irq_update_locked(dist, irq, kick); /* onto its new target's list */
    }
}

/* The best list entry not yet in an LR, or NULL. */
static struct vgic_irq *vgic_pick_locked(struct vgic_cpu *vc)
{
    struct vgic_irq *best = NULL;

    for (struct vgic_irq *irq = vc->pending_head; irq; irq = irq->next_pending)
        if (!irq->in_lr && (!best || vgic_lr_before(irq, best)))
            best = irq;
    return best;
}

static bool vgic_is_v2_sgi(const struct vgic_dist *dist, const struct vgic_irq *irq)
{
    return dist->ops->version == GIC_V2 && irq->intid < VGIC_NR_SGIS;
}

/* A GICv2 SGI is tracked per sender, and the guest's EOI names the sender:
 * while one copy is active, the LR carries only that copy, and the next
 * sender waits for its deactivation (LR EOI maintenance). */
static bool vgic_fill_v2_sgi(struct vgic_dist *dist, struct vgic_irq *irq, struct vgic_lr *lr)
{
    if (irq->active) {
        lr->source = irq->active_source;
        lr->eoi_maint = irq->source_mask != 0;
        return false;
    }
    if (!vgic_irq_can_signal(dist, irq))
        return false;
    lr->pending = true;
    lr->source = irq->source_mask ? (uint8_t)__builtin_ctz(irq->source_mask) : 0;
    irq->source_mask &= (uint8_t) ~(1U << lr->source);
    irq->lr_latch = true;
    irq->pending = irq->source_mask != 0;
    return irq->pending; /* the next sender once this one is acknowledged */
}

/*
 * An SPI re-routed while the guest here has it active: a new pending state
 * belongs to its new target (the GIC signals an active interrupt again only
 * once it is deactivated, and then to the target it has by then). It stays
 * pending in the distributor, and the LR asks for an exit at deactivation,
 * whose sync moves it (vgic_irq_update_locked).
 */
static bool vgic_moved_while_active(const struct vgic_dist *dist, const struct vcpu *v,
                                    const struct vgic_irq *irq)
{
    return irq->intid >= VGIC_NR_PRIVATE && irq->active &&
           dist->ops->spi_target(dist, irq) != (int)v->id;
}

/* Write irq into LR n. Its pending latch moves into the LR (a new injection
 * while it sits there latches again). Returns true if more of it waits
 * behind this LR (a GICv2 SGI from another sender). */
static bool vgic_fill_lr(struct vgic_dist *dist, struct vcpu *v, unsigned int n,
                         struct vgic_irq *irq)
{
    struct vgic_lr lr = {
        .intid = irq->intid,
        .priority = irq->priority,
        .group = irq->group,
        .active = irq->active,
        /* A forwarded physical SPI is unmasked when the guest deactivates it:
         * exit at once then, not at the next unrelated exit. */
        .eoi_maint = irq->hw,
    };
    bool more = false;

    if (vgic_is_v2_sgi(dist, irq)) {
        more = vgic_fill_v2_sgi(dist, irq, &lr);
    } else if (vgic_moved_while_active(dist, v, irq)) {
        lr.eoi_maint = true;
    } else if (vgic_irq_can_signal(dist, irq)) {
        lr.pending = true;
        irq->lr_latch = irq->pending;
        irq->pending = false;
    }
    irq->in_lr = true;
    v->vgic->lr_intid[n] = irq->intid;
    gic_vif_write_lr(n, dist->ops->lr_encode(&lr));
    return more;
}

void vgic_flush(struct vcpu *v)
{
    struct vgic_dist *dist = v->domain->vgic;
    struct vgic_cpu *vc = v->vgic;
    unsigned int used = 0;
    bool leftover = false;
    uint32_t kick = 0, hcr = GIC_VIF_HCR_EN;
    struct vgic_irq *irq;

    /* Racy peek: an injection after it kicks this vCPU, which exits again. */
    if (!READ_ONCE(vc->pending_head)) {
        vgic_set_hcr(vc, hcr);
        return;
    }
    unsigned int nr_lrs = MIN(gic_vif_nr_lrs(), (unsigned int)VGIC_MAX_LRS);
    uint64_t flags = spin_lock_irqsave(&dist->lock);
    vgic_prune_locked(dist, v, &kick);
    while ((irq = vgic_pick_locked(vc))) {
        if (used == nr_lrs) {
            leftover = true;
            break;
        }
        leftover |= vgic_fill_lr(dist, v, used++, irq);
    }
    vc->lr_used = (uint8_t)used;
    spin_unlock_irqrestore(&dist->lock, flags);

    if (leftover)
        hcr |= (used == nr_lrs && used >= 2) ? GIC_VIF_HCR_UIE : GIC_VIF_HCR_NPIE;
    vgic_set_hcr(vc, hcr);
    vgic_kick_mask(v->domain, kick);
}

/* What the guest did with one LR: acknowledged (pending -> active),
 * deactivated (-> invalid), or nothing yet. */
static void vgic_fold_lr(struct vgic_dist *dist, struct vgic_irq *irq, const struct vgic_lr *lr)
{
    bool v2_sgi = vgic_is_v2_sgi(dist, irq);

    irq->in_lr = false;
    irq->active = lr->active;
    if (lr->active && v2_sgi)
        irq->active_source = lr->source & 7;
    if (lr->pending && irq->lr_latch) {
        if (v2_sgi)
            irq->source_mask |= (uint8_t)(1U << (lr->source & 7));
        irq->pending = true;
    }
    irq->lr_latch = false;
}

void vgic_sync(struct vcpu *v)
{
    struct vgic_dist *dist = v->domain->vgic;
    struct vgic_cpu *vc = v->vgic;
    uint32_t kick = 0;

    if (vc->lr_used) {
        uint64_t flags = spin_lock_irqsave(&dist->lock);
        for (unsigned int n = 0; n < vc->lr_used; n++) {
            struct vgic_lr lr;
            /* The INTID comes from our record, never from the guest-writable LR. */
            struct vgic_irq *irq = vgic_get_irq(dist, v, vc->lr_intid[n]);

            dist->ops->lr_decode(gic_vif_read_lr(n), &lr);
            gic_vif_write_lr(n, 0);
            if (!irq)
                continue;
            vgic_fold_lr(dist, irq, &lr);
            vgic_irq_update_locked(dist, irq, &kick); /* an SPI may have moved */
        }
        vc->lr_used = 0;
        spin_unlock_irqrestore(&dist->lock, flags);
    }
    vgic_set_hcr(vc, GIC_VIF_HCR_EN);
    vgic_kick_mask(v->domain, kick);
}

void vgic_save(struct vcpu *v)
{
    v->vgic->vmcr = gic_vif_read_vmcr();
    gic_vif_save_apr(v->vgic->apr0, v->vgic->apr1);
}

void vgic_restore(struct vcpu *v)
{
    gic_vif_write_vmcr(v->vgic->vmcr);
    gic_vif_restore_apr(v->vgic->apr0, v->vgic->apr1);
}

/* The exit that brought us here already ran vgic_sync(), which folded the
 * LRs and cleared UIE/NPIE, and vgic_flush() will refill: nothing is left to
 * do but let the core EOI the (now deasserted) interrupt. */
static void vgic_maintenance(uint32_t intid, void *data)
{
    (void)intid;
    (void)data;
}

void vgic_init(void)
{
    if (irq_set_handler(IRQ_PPI_MAINT, vgic_maintenance, NULL) != 0)
        panic("vgic: PPI %u taken", IRQ_PPI_MAINT);
}
