/*
 * The composition root's wiring: core names none of the layers above it;
 * what they attach to every domain is registered here, once at boot.
 *
 * Domain parts, in the order they are built (core tears them down in the
 * reverse order, then frees the vCPUs, stage 2 and RAM):
 *   console log  first built, last freed: everything after may still log
 *   vGIC         after the vCPUs; emulated devices and the Xen interface
 *                raise interrupts through it
 *   vPL011
 *   Xen          its event channels unbind peers before the devices and
 *                the vGIC they deliver into go (xen/xen_part.c)
 *
 * Lifecycle listeners: the console ends a dying domain's partial line before
 * the shutdown is logged; the Xen interface raises VIRQ_DOM_EXC.
 */
#include <boot/compose.h>
#include <console/console.h>
#include <core/domain.h>
#include <core/domain_event.h>
#include <vdev/vgic.h>
#include <vdev/vpl011.h>
#include <xen/xen_part.h>

static const struct domain_part parts[] = {
    {"console log", console_log_init, NULL, console_log_free},
    {"vGIC", vgic_part_init, NULL, vgic_domain_destroy},
    {"vPL011", vpl011_domain_init, NULL, vpl011_domain_destroy},
    {"Xen interface", xen_part_init, xen_part_start, xen_part_destroy},
};

void compose_layers(void)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(parts); i++)
        domain_register_part(&parts[i]);
    domain_add_event_listener(console_domain_event);
    domain_add_event_listener(xen_domain_event);
}
