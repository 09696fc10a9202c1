/*
 * The vGIC as a part of every domain (core's table of domain parts,
 * registered by boot/compose.c): the distributor, each vCPU's interface and,
 * on a GICv2 host, the virtual CPU interface mapped where the guest expects
 * its GICC.
 */
#include <core/domain.h>
#include <core/vcpu.h>
#include <cloison/p2m.h>
#include <cloison/printk.h>
#include <cloison/spinlock.h>
#include <lib/printf.h>
#include <drivers/irqchip.h>
#include <vdev/vgic.h>

#include "vgic-priv.h"

/* dom0 sees the host's GIC addresses, domUs Xen's guest layout. */
static void gic_layout(const struct domain *d, ipa_t *gicd, ipa_t *gicr, ipa_t *gicc)
{
    const struct irqchip_info *gic = irqchip_info();
    if (d->is_privileged) {
        *gicd = gic->gicd_base;
        *gicr = gic->gicr_base;
        *gicc = gic->gicc_base;
    } else {
        *gicd = VGIC_GICD_BASE;
        *gicr = VGIC_V3_GICR_BASE;
        *gicc = VGIC_V2_GICC_BASE;
    }
}

int vgic_part_init(struct domain *d)
{
    /* 32 SPIs unless the toolstack asked for more (createdomain's nr_spis). */
    int rc = vgic_domain_init(d, d->cfg.nr_spis ? d->cfg.nr_spis : 32);
    if (rc)
        return rc;
    ipa_t gicd, gicr, gicc;
    gic_layout(d, &gicd, &gicr, &gicc);
    if (d->is_privileged && (rc = vgic_domain_set_base(d, gicd, gicr)) != 0) {
        printk("d%u: the host GIC's distributor and redistributors for %u vCPUs overlap", d->id,
               d->nr_vcpus);
        return rc;
    }
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        vgic_vcpu_init(d->vcpus[i]);
    if (irqchip_info()->version == GIC_V2)
        return p2m_map(&d->p2m, gicc, irqchip_info()->gicv_base,
                       MIN(irqchip_info()->gicv_size, (size_t)VGIC_V2_GICC_SIZE), P2M_DEVICE);
    return 0;
}

void vgic_dump_vcpu(struct vcpu *v)
{
    struct vgic_dist *dist = v->domain->vgic;
    if (!dist || !v->vgic)
        return;
    /* Each listed interrupt: e enabled, p latched pending, l line high,
     * a active, r in a list register at the last flush. */
    char buf[160] = "";
    size_t n = 0, listed = 0, shown = 0;
    uint64_t flags = spin_lock_irqsave(&dist->lock);
    for (struct vgic_irq *irq = v->vgic->pending_head; irq; irq = irq->next_pending, listed++) {
        if (n + 16 >= sizeof(buf))
            continue; /* counted, not shown: an entry takes at most 11 */
        n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %u:%s%s%s%s%s", irq->intid,
                              irq->enabled ? "e" : "", irq->pending ? "p" : "",
                              irq->line_level ? "l" : "", irq->active ? "a" : "",
                              irq->in_lr ? "r" : "");
        shown++;
    }
    unsigned int lrs = v->vgic->lr_used;
    spin_unlock_irqrestore(&dist->lock, flags);
    buf[n] = 0;
    printk("    vGIC: %u LRs used, %lu listed:%s%s", lrs, (unsigned long)listed,
           listed ? buf : " none", shown < listed ? " ..." : "");
}
