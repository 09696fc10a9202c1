/*
 * The composition root's wiring: core names none of the layers above it;
 * what they attach to every domain is registered here, once at boot.
 *
 * Domain parts, in the order they are built (core tears them down in the
 * reverse order, then frees the vCPUs, stage 2 and RAM):
 *   console log  first built, last freed: everything after may still log
 *   vGIC         after the vCPUs; emulated devices and the Xen interface
 *                raise interrupts through it
 *   EL1 physical timer  its vCPU timers, initialised before the domain runs
 *                (core kills them and waits for their callbacks before any
 *                part is torn down)
 *   vPL011
 *   Xen          its event channels unbind peers before the devices and
 *                the vGIC they deliver into go (xen/xen_part.c)
 *
 * Lifecycle listeners: the console ends a dying domain's partial line before
 * the shutdown is logged; the Xen interface raises VIRQ_DOM_EXC.
 *
 * The scheduler: before a pCPU enters a guest (or idles), dying domains are
 * reaped, then the Xen upcall line is brought level with the guest's
 * pending flag, then the vGIC fills the list registers (which must see the
 * upcall). The vGIC also saves and restores its interface with the vCPU's
 * registers and answers whether an interrupt would end a WFI.
 */
#include <boot/compose.h>
#include <console/console.h>
#include <core/domain.h>
#include <core/domain_event.h>
#include <core/sched.h>
#include <drivers/irqchip.h>
#include <trap/vptimer.h>
#include <vdev/vgic.h>
#include <vdev/vpl011.h>
#include <xen/xen_domain.h>
#include <xen/xen_part.h>

static const struct domain_part parts[] = {
    {"console log", console_log_init, NULL, console_log_free, NULL, NULL},
    {"vGIC", vgic_part_init, NULL, vgic_domain_destroy, NULL, vgic_dump_vcpu},
    {"EL1 physical timer", vptimer_domain_init, NULL, NULL, NULL, NULL},
    {"vPL011", vpl011_domain_init, NULL, vpl011_domain_destroy, NULL, NULL},
    {"Xen interface", xen_part_init, xen_part_start, xen_part_destroy, xen_part_in_use,
     xen_vcpu_dump},
};

static void reap(struct vcpu *next)
{
    domain_reap(next);
}

static void xen_upcall(struct vcpu *next)
{
    if (next)
        xen_vcpu_before_entry(next); /* upcall line, runstate area */
}

static void vgic_entry(struct vcpu *next)
{
    if (next)
        vgic_flush(next);
}

static void vgic_vtimer(struct vcpu *v)
{
    vgic_inject(v, IRQ_PPI_VTIMER);
}

static const struct sched_vcpu_ops vcpu_ops = {
    .switch_out = vgic_save,
    .switch_in = vgic_restore,
    .irq_pending = vgic_vcpu_pending,
    .vtimer_fired = vgic_vtimer,
};

void compose_layers(void)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(parts); i++)
        domain_register_part(&parts[i]);
    domain_add_event_listener(console_domain_event);
    domain_add_event_listener(xen_domain_event);
    sched_set_vcpu_ops(&vcpu_ops);
    sched_add_entry_hook(reap);
    sched_add_entry_hook(xen_upcall);
    sched_add_entry_hook(vgic_entry);
}
