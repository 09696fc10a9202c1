/*
 * The Xen interface as one part of a domain, in core's table of domain parts
 * (registered by boot/compose.c). One part rather than four because its
 * teardown is not the reverse of its construction: the event channels are
 * set up first (the PV console's port lives in them) but also torn down
 * first, so that no peer delivers into anything freed after them; then the
 * grant table (before core frees the p2m and RAM: other domains may map its
 * pages), then the consoles.
 */
#include <core/domain.h>
#include <xen/dom0_console.h>
#include <xen/evtchn.h>
#include <xen/grant.h>
#include <xen/pvconsole.h>
#include <xen/xen_domain.h>
#include <xen/xen_part.h>
#include <public/xen.h>

int xen_part_init(struct domain *d)
{
    /* A grant table only for domains with the Xen interface (others cannot
     * use one: 14 KiB saved per plain domain). */
    if (!d->xen_enhanced)
        return 0;
    int rc = xen_domain_init(d);
    if (!rc)
        rc = gnttab_domain_init(d);
    if (!rc)
        rc = pvconsole_domain_init(d);
    return rc;
}

void xen_part_start(struct domain *d)
{
    pvconsole_domain_start(d);
    dom0_console_init(d);
}

void xen_part_destroy(struct domain *d)
{
    xen_domain_destroy(d);
    gnttab_domain_destroy(d);
    dom0_console_destroy(d);
    pvconsole_domain_destroy(d);
}

bool xen_part_in_use(const struct domain *d)
{
    return gnttab_mapped_by_others(d);
}

void xen_domain_event(enum domain_event ev, uint16_t domid, struct domain *d)
{
    /* As Xen: xenstored and xl watch VIRQ_DOM_EXC; a domain that shut down
     * raises it, one the toolstack destroys raises it (domain_kill reaching
     * "dead": xenstored and xenconsoled then see it dying and unmap its
     * pages, which it waits for) and again once it is gone for good. */
    if (ev == DOMAIN_SHUT_DOWN || ev == DOMAIN_KILLED || ev == DOMAIN_DESTROYED)
        evtchn_send_global_virq(VIRQ_DOM_EXC);
}
