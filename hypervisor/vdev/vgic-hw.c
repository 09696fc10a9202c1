/*
 * Physical SPI passthrough: a device's SPI given to the domain that owns the
 * device (dom0) is forwarded as the virtual SPI of the same INTID.
 *
 * Mechanism ("mask, inject, unmask on completion", not hardware-linked LRs):
 *  - routing registers the SPI's handler (cloison/irq.h), released with the
 *    routing when the domain goes;
 *  - the physical SPI fires at EL2 (HCR_EL2.IMO); vgic_hw_irq() masks it at
 *    the physical distributor and makes the virtual SPI pending; the core
 *    then EOIs it (EOImode 0: priority drop + deactivate), which is safe for
 *    a level line still held high because the SPI is masked;
 *  - the flush writes the virtual SPI into an LR with the EOI maintenance
 *    bit, so the guest's deactivation exits to EL2 at once;
 *  - once the guest has neither a pending nor an active copy left (acked and
 *    deactivated, or cleared it through ICPENDR), vgic_hw_update_locked()
 *    unmasks the physical SPI. A level line still high fires again; an edge
 *    that came while masked was latched by the physical GIC and fires then.
 * This keeps Cloison's own interrupts in EOImode 0, works alike on GICv2 and
 * GICv3, and never lets a guest deactivate a physical interrupt directly.
 * The cost is one maintenance exit per forwarded interrupt.
 *
 * The physical SPI is unmasked only while the guest has the virtual one
 * enabled, and its trigger type follows the guest's GICD_ICFGR (Linux writes
 * what the device tree says the device does). The physical SPI is targeted
 * at the pCPU of the vCPU the guest's IROUTER/ITARGETSR names, so a device's
 * interrupts land where its owner runs, never on pCPUs given to other
 * domains (a storm from dom0's devices cannot steal another domain's time).
 *
 * Locks: vgic_hw_lock (the owner table) is held across the kick so the owner
 * cannot be freed under us (lock order: cloison/spinlock.h).
 */
#include <core/domain.h>
#include <cloison/errno.h>
#include <cloison/irq.h>
#include <drivers/irqchip.h>
#include <cloison/spinlock.h>

#include "vgic-priv.h"

#define VGIC_HW_MAX_INTID 1020U

static struct domain *vgic_hw_owner[VGIC_HW_MAX_INTID];
static spinlock_t vgic_hw_lock = SPINLOCK_INIT;

/* The registered handler: the owner is looked up under vgic_hw_lock, so a
 * call racing the release finds none and does nothing. */
static void vgic_hw_fired(uint32_t intid, void *data)
{
    (void)data;
    vgic_hw_irq(intid);
}

void vgic_hw_update_locked(struct vgic_irq *irq)
{
    if (!irq->hw)
        return;
    /* Completed: nothing of it left pending, active or in an LR. */
    if (irq->hw_inflight && !irq->in_lr && !irq->active && !vgic_irq_pending_state(irq))
        irq->hw_inflight = false;
    bool want = irq->enabled && !irq->hw_inflight;
    if (want == irq->hw_enabled)
        return;
    irq->hw_enabled = want;
    if (want)
        irqchip_enable(irq->intid, irq->config == 0); /* config written while masked */
    else
        irqchip_disable(irq->intid);
}

void vgic_hw_reconfig_locked(struct vgic_irq *irq)
{
    /* The trigger type may only change while the SPI is disabled. */
    if (!irq->hw || !irq->hw_enabled)
        return;
    irqchip_disable(irq->intid);
    irqchip_enable(irq->intid, irq->config == 0);
}

void vgic_hw_retarget_locked(struct vgic_irq *irq, unsigned int pcpu)
{
    /* Changes when the guest re-routes, or when the vCPU it targets moved
     * to another pCPU (hard affinity): the next update after the move, at
     * the latest when the SPI next fires, follows it. */
    if (irq->hw_pcpu == (int16_t)pcpu)
        return;
    irq->hw_pcpu = (int16_t)pcpu;
    irqchip_set_target(irq->intid, pcpu);
}

int vgic_route_spi(struct domain *d, uint32_t intid)
{
    struct vgic_dist *dist = d->vgic;
    int rc = 0;

    if (!dist || intid < VGIC_NR_PRIVATE || intid >= VGIC_HW_MAX_INTID ||
        intid >= irqchip_info()->nr_irqs || intid >= dist->nr_intids)
        return -EINVAL;
    uint64_t flags = spin_lock_irqsave(&vgic_hw_lock);
    if (vgic_hw_owner[intid] && vgic_hw_owner[intid] != d) {
        rc = -EBUSY;
    } else if (!vgic_hw_owner[intid] && (rc = irq_set_handler(intid, vgic_hw_fired, NULL)) == 0) {
        struct vgic_irq *irq = vgic_get_irq(dist, NULL, intid);
        uint64_t f2 = spin_lock_irqsave(&dist->lock);
        irq->hw = true;
        irq->hw_inflight = false;
        irq->hw_enabled = false;
        irq->hw_pcpu = -1;      /* the vGIC update below targets its vCPU's pCPU */
        irqchip_disable(intid); /* until the guest enables its virtual SPI */
        uint32_t kick = 0;      /* nothing is pending yet: no vCPU to kick */
        vgic_irq_update_locked(dist, irq, &kick);
        (void)kick;
        spin_unlock_irqrestore(&dist->lock, f2);
        vgic_hw_owner[intid] = d;
    }
    spin_unlock_irqrestore(&vgic_hw_lock, flags);
    return rc;
}

bool vgic_hw_irq(uint32_t intid)
{
    uint32_t kick = 0;

    if (intid < VGIC_NR_PRIVATE || intid >= VGIC_HW_MAX_INTID)
        return false;
    uint64_t flags = spin_lock_irqsave(&vgic_hw_lock);
    struct domain *d = vgic_hw_owner[intid];
    if (!d) {
        spin_unlock_irqrestore(&vgic_hw_lock, flags);
        return false;
    }
    struct vgic_dist *dist = d->vgic;
    struct vgic_irq *irq = vgic_get_irq(dist, NULL, intid);
    uint64_t f2 = spin_lock_irqsave(&dist->lock);
    /* Masked even if we thought it was: a signal racing our last mask must
     * not re-fire before the guest has handled this one. */
    irqchip_disable(intid);
    irq->hw_enabled = false;
    irq->hw_inflight = true;
    vgic_irq_set_pending_locked(dist, irq, true, &kick);
    spin_unlock_irqrestore(&dist->lock, f2);
    vgic_kick_mask(d, kick);
    spin_unlock_irqrestore(&vgic_hw_lock, flags);
    return true;
}

void vgic_hw_release(struct domain *d)
{
    uint64_t flags = spin_lock_irqsave(&vgic_hw_lock);
    for (uint32_t intid = VGIC_NR_PRIVATE; intid < VGIC_HW_MAX_INTID; intid++) {
        if (vgic_hw_owner[intid] != d)
            continue;
        irqchip_disable(intid);
        irq_clear_handler(intid);
        vgic_hw_owner[intid] = NULL;
    }
    spin_unlock_irqrestore(&vgic_hw_lock, flags);
}
