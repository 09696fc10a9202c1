/*
 * vGIC state core, shared by the GICv2 and GICv3 front-ends: per-interrupt
 * state, routing, SGIs, and the per-vCPU pending lists.
 *
 * Model: an interrupt that must reach a vCPU (pending and enabled, or active)
 * sits on that vCPU's pending list. Before the guest runs, vgic_flush()
 * (vgic-lr.c) writes the best ones into the list registers; after it exits,
 * vgic_sync() folds what the guest did with them back into this state.
 *
 * Lock: dist->lock covers everything here for the whole domain (see vgic.h).
 * Functions named *_locked expect it held; they collect the vCPUs to kick in
 * a mask that the caller passes to vgic_kick_mask() after unlocking, because
 * vcpu_kick() takes the run-queue lock, which is outside ours.
 */
#include <core/domain.h>
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <cloison/printk.h>
#include <core/vcpu.h>

#include "vgic-priv.h"

/* ICFGR encoding of the config field. */
#define VGIC_CONFIG_LEVEL 0
#define VGIC_CONFIG_EDGE 1

static bool vgic_is_v2(const struct vgic_dist *dist)
{
    return dist->ops->version == GIC_V2;
}

struct vgic_irq *vgic_get_irq(struct vgic_dist *dist, struct vcpu *v, uint32_t intid)
{
    if (intid < VGIC_NR_PRIVATE)
        return v ? &v->vgic->priv[intid] : NULL;
    if (intid < dist->nr_intids)
        return &dist->spis[intid - VGIC_NR_PRIVATE];
    return NULL;
}

/* The vCPU id the interrupt belongs to now, or -1 when it has no valid target. */
static int vgic_irq_target(const struct vgic_dist *dist, const struct vgic_irq *irq)
{
    if (irq->intid < VGIC_NR_PRIVATE)
        return (int)irq->route;
    return dist->ops->spi_target(dist, irq);
}

/* The input asks for delivery: latched edge, or a level line held high. */
static bool vgic_irq_wants(const struct vgic_irq *irq)
{
    return irq->pending || (irq->config == VGIC_CONFIG_LEVEL && irq->line_level);
}

static bool vgic_group_enabled(const struct vgic_dist *dist, const struct vgic_irq *irq)
{
    return dist->ctlr & (irq->group ? VGIC_CTLR_ENGRP1 : VGIC_CTLR_ENGRP0);
}

bool vgic_irq_can_signal(const struct vgic_dist *dist, const struct vgic_irq *irq)
{
    return irq->enabled && vgic_group_enabled(dist, irq) && vgic_irq_wants(irq);
}

/* Must be in an LR: signalled pending, or active (so the guest can EOI it). */
static bool vgic_irq_deliverable(const struct vgic_dist *dist, const struct vgic_irq *irq)
{
    return irq->active || vgic_irq_can_signal(dist, irq);
}

bool vgic_irq_pending_state(const struct vgic_irq *irq)
{
    return vgic_irq_wants(irq) || (irq->in_lr && irq->lr_latch);
}

static void vgic_list_add(struct vcpu *t, struct vgic_irq *irq)
{
    irq->next_pending = t->vgic->pending_head;
    t->vgic->pending_head = irq;
    irq->list_vcpu = (int8_t)t->id;
}

static void vgic_list_del(struct vcpu *t, struct vgic_irq *irq)
{
    for (struct vgic_irq **pp = &t->vgic->pending_head; *pp; pp = &(*pp)->next_pending) {
        if (*pp == irq) {
            *pp = irq->next_pending;
            break;
        }
    }
    irq->next_pending = NULL;
    irq->list_vcpu = -1;
}

void vgic_irq_update_locked(struct vgic_dist *dist, struct vgic_irq *irq, uint32_t *kick)
{
    ASSERT_HELD(&dist->lock);
    struct domain *d = dist->d;
    int t = vgic_irq_target(dist, irq);

    if (irq->hw && t >= 0)
        vgic_hw_retarget_locked(irq, d->vcpus[t]->pcpu);
    vgic_hw_update_locked(irq);
    /* Re-routed: move it, unless the old target's LRs still hold it (its
     * sync will call us again) or the guest there has it active. */
    if (irq->list_vcpu >= 0 && irq->list_vcpu != t && !irq->in_lr && !irq->active)
        vgic_list_del(d->vcpus[irq->list_vcpu], irq);
    if (!vgic_irq_deliverable(dist, irq))
        return; /* a stale list entry is dropped by the next flush */
    if (irq->list_vcpu < 0) {
        if (t < 0)
            return; /* no target yet: queued when the guest routes it */
        vgic_list_add(d->vcpus[t], irq);
    }
    *kick |= 1U << irq->list_vcpu;
}

void vgic_update_all_locked(struct vgic_dist *dist, uint32_t *kick)
{
    ASSERT_HELD(&dist->lock);
    struct domain *d = dist->d;

    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        for (unsigned int n = 0; n < VGIC_NR_PRIVATE; n++)
            vgic_irq_update_locked(dist, &d->vcpus[i]->vgic->priv[n], kick);
    for (unsigned int n = 0; n < dist->nr_spis; n++)
        if (n + VGIC_NR_PRIVATE < dist->nr_intids)
            vgic_irq_update_locked(dist, &dist->spis[n], kick);
}

void vgic_irq_set_pending_locked(struct vgic_dist *dist, struct vgic_irq *irq, bool pend,
                                 uint32_t *kick)
{
    ASSERT_HELD(&dist->lock);
    irq->pending = pend;
    if (!pend) {
        /* Also forget the copy in a running vCPU's LR, so its sync does not
         * latch it again (the guest may still see it once: a benign race). */
        irq->source_mask = 0;
        irq->lr_latch = false;
    }
    vgic_irq_update_locked(dist, irq, kick);
}

void vgic_send_sgi_locked(struct vgic_dist *dist, struct vcpu *src, uint32_t targets, uint32_t sgi,
                          uint32_t *kick)
{
    ASSERT_HELD(&dist->lock);
    struct domain *d = dist->d;

    if (sgi >= VGIC_NR_SGIS)
        return;
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        if (!(targets & (1U << i)))
            continue;
        struct vgic_irq *irq = &d->vcpus[i]->vgic->priv[sgi];
        if (vgic_is_v2(dist))
            irq->source_mask |= (uint8_t)(1U << src->id); /* v2 LRs carry the sender */
        irq->pending = true;
        vgic_irq_update_locked(dist, irq, kick);
    }
}

void vgic_kick_mask(struct domain *d, uint32_t mask)
{
    if (!mask)
        return; /* the common case, on every exit */
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *t = d->vcpus[i];
        if (!(mask & (1U << i)))
            continue;
        /* The running vCPU of this pCPU is flushed before it re-enters. */
        if (t == current_vcpu() && t->state != VCPU_BLOCKED)
            continue;
        vcpu_kick(t);
    }
}

void vgic_inject(struct vcpu *v, uint32_t intid)
{
    struct vgic_dist *dist = v->domain->vgic;
    struct vgic_irq *irq = vgic_get_irq(dist, v, intid);
    uint32_t kick = 0;

    if (!irq)
        return;
    uint64_t flags = spin_lock_irqsave(&dist->lock);
    if (intid < VGIC_NR_SGIS)
        vgic_send_sgi_locked(dist, v, 1U << v->id, intid, &kick);
    else
        vgic_irq_set_pending_locked(dist, irq, true, &kick);
    spin_unlock_irqrestore(&dist->lock, flags);
    vgic_kick_mask(v->domain, kick);
}

void vgic_set_level(struct vcpu *v, uint32_t intid, bool level)
{
    struct vgic_dist *dist = v->domain->vgic;
    struct vgic_irq *irq = vgic_get_irq(dist, v, intid);
    uint32_t kick = 0;

    if (!irq || intid < VGIC_NR_SGIS)
        return;
    uint64_t flags = spin_lock_irqsave(&dist->lock);
    irq->line_level = level;
    vgic_irq_update_locked(dist, irq, &kick);
    spin_unlock_irqrestore(&dist->lock, flags);
    vgic_kick_mask(v->domain, kick);
}

bool vgic_vcpu_pending(struct vcpu *v)
{
    struct vgic_dist *dist = v->domain->vgic;
    bool found = false;

    uint64_t flags = spin_lock_irqsave(&dist->lock);
    for (struct vgic_irq *irq = v->vgic->pending_head; irq && !found; irq = irq->next_pending)
        found = irq->enabled && vgic_group_enabled(dist, irq) && vgic_irq_pending_state(irq);
    spin_unlock_irqrestore(&dist->lock, flags);
    return found;
}

/* Reset state of one interrupt (GIC architecture reset, as guests expect). */
static void vgic_irq_reset(struct vgic_dist *dist, struct vgic_irq *irq, uint32_t intid)
{
    *irq = (struct vgic_irq){
        .intid = intid,
        .config = intid < VGIC_NR_SGIS ? VGIC_CONFIG_EDGE : VGIC_CONFIG_LEVEL,
        .group = dist->ops->reset_group,
        .list_vcpu = -1,
    };
}

/* The vGIC's emulated frames (distributor; v3 redistributors, one per
 * vCPU): the front-end tells them apart by address. */
static enum mmio_result vgic_window(struct vcpu *v, ipa_t ipa, unsigned int size, bool write,
                                    uint64_t *val, void *opaque)
{
    (void)opaque;
    return vgic_mmio(v, ipa, size, write, val);
}

static int vgic_add_windows(struct domain *d)
{
    struct vgic_dist *dist = d->vgic;
    bool v2 = vgic_is_v2(dist);
    int rc = domain_mmio_add(d, dist->gicd_base, v2 ? VGIC_V2_GICD_SIZE : VGIC_V3_GICD_SIZE,
                             vgic_window, dist);
    /* GICv2's CPU interface is the hardware GICV, mapped in stage 2. */
    if (!rc && !v2 && d->nr_vcpus)
        rc = domain_mmio_add(d, dist->gicr_base, (uint64_t)d->nr_vcpus * VGIC_V3_GICR_STRIDE,
                             vgic_window, dist);
    if (rc)
        domain_mmio_remove(d, vgic_window, dist);
    return rc;
}

int vgic_domain_init(struct domain *d, unsigned int nr_spis)
{
    const struct irqchip_info *hw = irqchip_info();

    /* dom0 owns the host's devices: its vGIC has every SPI the host GIC has,
     * so their INTIDs can be passed through unchanged. */
    if (d->is_privileged && hw->nr_irqs > VGIC_NR_PRIVATE)
        nr_spis = MAX(nr_spis, hw->nr_irqs - VGIC_NR_PRIVATE);
    /* ITLinesNumber counts 32 at a time; INTIDs 1020+ are special. */
    unsigned int spis = ALIGN_UP(MIN(nr_spis, VGIC_MAX_SPIS), 32U);
    unsigned int pri_bits = hw->pri_bits >= 4 && hw->pri_bits <= 8 ? hw->pri_bits : 5;
    struct vgic_dist *dist = xzalloc(sizeof(*dist) + spis * sizeof(struct vgic_irq));

    if (!dist)
        return -ENOMEM;
    if (d->nr_vcpus && !(dist->cpus = xzalloc(d->nr_vcpus * sizeof(struct vgic_cpu)))) {
        xfree(dist);
        return -ENOMEM;
    }
    dist->lock = (spinlock_t)SPINLOCK_INIT;
    dist->d = d;
    dist->ops = hw->version == GIC_V3 ? &vgic_v3_ops : &vgic_v2_ops;
    dist->gicd_base = VGIC_GICD_BASE;
    dist->gicr_base = VGIC_V3_GICR_BASE;
    dist->pri_mask = (uint8_t)(0xffU << (8 - pri_bits));
    dist->nr_spis = spis;
    dist->nr_intids = MIN(VGIC_NR_PRIVATE + spis, 1020U);
    for (unsigned int n = 0; n < spis; n++) {
        vgic_irq_reset(dist, &dist->spis[n], VGIC_NR_PRIVATE + n);
        /* v2 ITARGETSR resets UNKNOWN; vCPU 0 lets a guest that never sets it work. */
        dist->spis[n].route = vgic_is_v2(dist) ? 1 : 0;
    }
    d->vgic = dist;
    int rc = vgic_add_windows(d);
    if (rc) {
        d->vgic = NULL;
        xfree(dist);
    }
    return rc;
}

int vgic_domain_set_base(struct domain *d, ipa_t gicd, ipa_t gicr)
{
    domain_mmio_remove(d, vgic_window, d->vgic);
    d->vgic->gicd_base = gicd;
    d->vgic->gicr_base = gicr;
    /* Only the vGIC's windows exist yet (set before any other device's), but
     * the host's addresses come from the boot tree: its redistributors for
     * dom0's vCPUs may run into its distributor. */
    return vgic_add_windows(d);
}

void vgic_domain_destroy(struct domain *d)
{
    if (!d->vgic)
        return;
    domain_mmio_remove(d, vgic_window, d->vgic);
    vgic_hw_release(d);
    xfree(d->vgic->cpus);
    xfree(d->vgic);
    d->vgic = NULL;
}

void vgic_vcpu_init(struct vcpu *v)
{
    struct vgic_cpu *vc = &v->domain->vgic->cpus[v->id];

    v->vgic = vc;
    *vc = (struct vgic_cpu){
        .hcr = 0, .gicr_waker = BIT(1), /* ProcessorSleep: the guest wakes its redistributor */
    };
    for (uint32_t n = 0; n < VGIC_NR_PRIVATE; n++) {
        vgic_irq_reset(v->domain->vgic, &vc->priv[n], n);
        vc->priv[n].route = v->id;
    }
}

enum mmio_result vgic_mmio(struct vcpu *v, ipa_t addr, unsigned int size, bool write, uint64_t *val)
{
    return v->domain->vgic->ops->mmio(v, addr, size, write, val);
}

bool vgic_sysreg(struct vcpu *v, uint32_t iss, uint64_t *val, bool write)
{
    return v->domain->vgic->ops->sysreg(v, iss, val, write);
}
