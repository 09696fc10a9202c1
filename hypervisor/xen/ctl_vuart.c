/*
 * XEN_DOMCTL_vuart_op (81), as Xen 4.17's arm domctl handler and its
 * `domain_vpl011_init` with a backend domain: libxl's step for
 * `vuart = "sbsa_uart"` (xen-toolstack-abi.md §3.4 D23). INIT gives a domain
 * that has not started yet an SBSA UART at 0x22000000 (SPI 32) whose FIFOs
 * are the two halves of a xencons_interface in the guest's own page `gfn`
 * (populated by the toolstack, the magic page 0x39003), and an event
 * channel of the domain, unbound for `console_domid`, whose number is
 * returned: xenconsoled maps the page (foreign mapping), binds the channel
 * and serves the ring as it serves a PV console's.
 *
 * The UART is vdev/vpl011.c's; this file owns the channel. The guest's DR
 * accesses notify the backend through vuart_kick (registered with the UART:
 * vdev sits below xen), and the backend's sends on its end come here
 * (vuart_event, evtchn.c's backend call) and go down to the UART.
 *
 * Checks in Xen's order: pad, cmd (-EINVAL), creation finished (-EPERM),
 * type (-EOPNOTSUPP), then a second INIT (-EINVAL), a gfn that is not the
 * domain's own RAM (-EINVAL, as prepare_ring_for_helper), the channel's
 * error. On failure nothing is left behind.
 */
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <core/domain.h>
#include <core/domain_ram.h>
#include <vdev/vpl011.h>
#include <xen/evtchn.h>
#include <xen/xen_domain.h>
#include "ctl.h"

/* The guest wrote DR: tell the backend (nothing while it has not bound). */
static void vuart_kick(struct domain *d, uint32_t port)
{
    if (d->xen)
        evtchn_notify_peer(d->xen, port);
}

/* The backend sent on its end: it moved data in the ring. */
static void vuart_event(struct domain *d, uint32_t port)
{
    (void)port;
    vpl011_backend_event(d);
}

static int vuart_init(struct domain *d, uint64_t gfn, uint16_t console_domid, uint32_t *evtchn)
{
    paddr_t pa;
    if (!d->xen)
        return -EINVAL; /* no event channels (not a toolstack domain) */
    if (d->vuart)
        return -EINVAL;
    /* Its own RAM: never MMIO or another domain's page, and it stays the
     * domain's until the domain is freed (ballooning only unmaps it), after
     * the UART. */
    if (!domain_gfn_valid(d, gfn) || !domain_own_ram_page(d, gfn, &pa, NULL))
        return -EINVAL;
    uint32_t port;
    int rc = evtchn_alloc_backend_port(d->xen, console_domid, vuart_event, &port);
    if (rc)
        return rc;
    rc = vpl011_backend_init(d, phys_to_virt(pa), vuart_kick, port);
    if (rc) {
        evtchn_free_backend_port(d->xen, port);
        return rc;
    }
    *evtchn = port;
    return 0;
}

int64_t domctl_vuart_op(struct vcpu *v, struct xen_domctl *op, struct domain *d, bool *copyback)
{
    (void)v;
    struct xen_domctl_vuart_op *u = &op->u.vuart_op;
    if (u->pad[0] || u->pad[1])
        return -EINVAL;
    if (u->cmd != XEN_DOMCTL_VUART_OP_INIT)
        return -EINVAL;
    /* Creation finished at the first unpause (domctls are serialised, so
     * it cannot happen meanwhile); a boot domain started long ago. */
    if (d->started)
        return -EPERM;
    if (u->type != XEN_DOMCTL_VUART_TYPE_VPL011)
        return -EOPNOTSUPP;
    int rc = vuart_init(d, u->gfn, u->console_domid, &u->evtchn);
    if (!rc)
        *copyback = true;
    return rc;
}
