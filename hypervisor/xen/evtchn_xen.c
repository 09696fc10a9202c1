/*
 * The hypervisor's own ends of event channels (see xen/evtchn.h), built on
 * evtchn.c's port table (evtchn_priv.h):
 *  - ports a guest signals a backend inside Cloison on (the PV console's),
 *    raised by that backend;
 *  - a backend's end of a channel to another domain (Xen's Xen-attached
 *    unbound channels: the vPL011 ring's), which that domain binds; its
 *    sends are turned into calls of the backend by evtchn_send().
 */
#include <cloison/errno.h>
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

/* The backends owning ends of channels to other domains, numbered from 1
 * on first use and never renumbered: a port names its backend in 4 bits.
 * A slot is claimed with a compare-and-swap and never changes afterwards,
 * so it is read without a lock. */
static evtchn_xen_notify_fn backends[EVTCHN_MAX_BACKENDS + 1];

evtchn_xen_notify_fn evtchn_backend_fn(unsigned int n)
{
    return n <= EVTCHN_MAX_BACKENDS ? __atomic_load_n(&backends[n], __ATOMIC_ACQUIRE) : NULL;
}

/* fn's number, given one if it has none; -ENOSPC when all are taken. */
static int backend_number(evtchn_xen_notify_fn fn)
{
    for (unsigned int i = 1; i <= EVTCHN_MAX_BACKENDS; i++) {
        evtchn_xen_notify_fn cur = NULL;
        if (__atomic_compare_exchange_n(&backends[i], &cur, fn, false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE) ||
            cur == fn)
            return (int)i;
    }
    return -ENOSPC;
}

int evtchn_alloc_backend_port(struct xen_dom *x, uint16_t remote, evtchn_xen_notify_fn notify,
                              uint32_t *port)
{
    int rc = notify ? backend_number(notify) : -EINVAL;
    if (rc < 0)
        return rc;
    unsigned int backend = (unsigned int)rc;
    evtchn_lock_table(x);
    rc = x->evtchn_dead ? -ESRCH : evtchn_get_free_port(x, port);
    if (!rc) {
        /* As alloc_unbound: `remote` need not exist yet. */
        struct evtchn *c = evtchn_take_port(x, *port, ECS_UNBOUND, 0);
        c->remote_domid = remote;
        c->backend = backend & EVTCHN_MAX_BACKENDS;
    }
    evtchn_unlock_table(x);
    return rc;
}

void evtchn_notify_peer(struct xen_dom *x, uint32_t port)
{
    spin_lock(&x->evtchn_lock);
    if (evtchn_port_valid(x, port)) {
        const struct evtchn *c = evtchn_chan(x, port);
        if (c->backend && c->state == ECS_INTERDOMAIN)
            evtchn_deliver(c->remote, c->remote_port);
    }
    spin_unlock(&x->evtchn_lock);
}

void evtchn_free_backend_port(struct xen_dom *x, uint32_t port)
{
    struct xen_dom *r = evtchn_lock_with_peer(x, port);
    if (evtchn_port_valid(x, port) && evtchn_chan(x, port)->backend)
        evtchn_unbind_locked(x, port);
    evtchn_unlock_with_peer(x, r);
}

void evtchn_raise(struct xen_dom *x, uint32_t port)
{
    spin_lock(&x->pending_lock);
    if (evtchn_port_valid(x, port) && evtchn_chan(x, port)->state == ECS_XEN)
        evtchn_set_pending(x, port);
    spin_unlock(&x->pending_lock);
}
