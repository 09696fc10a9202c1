/*
 * The hypervisor's own ends of event channels (see xen/evtchn.h): ports a
 * guest signals a backend inside Cloison on (the PV console's), raised by
 * that backend. Built on evtchn.c's port table (evtchn_priv.h).
 */
#include <xen/evtchn.h>
#include <cloison/spinlock.h>
#include <xen/xen_domain.h>
#include "evtchn_priv.h"

int evtchn_xen_port(struct xen_dom *x, evtchn_xen_notify_fn notify, uint32_t *port)
{
    evtchn_lock_table(x);
    int rc = evtchn_get_free_port(x, port);
    if (!rc)
        evtchn_take_port(x, *port, ECS_XEN, 0)->xen_notify = notify;
    evtchn_unlock_table(x);
    return rc;
}

void evtchn_raise(struct xen_dom *x, uint32_t port)
{
    spin_lock(&x->pending_lock);
    if (evtchn_port_valid(x, port) && evtchn_chan(x, port)->state == ECS_XEN)
        evtchn_set_pending(x, port);
    spin_unlock(&x->pending_lock);
}
