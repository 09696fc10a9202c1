/*
 * DOMCTL setdomainhandle (17): the toolstack's 16-byte handle for a domain
 * (libxl's UUID; xen-init-dom0 gives dom0 one when asked), kept with the
 * domain and reported by getdomaininfo. Xen just copies it.
 */
#include <core/domain.h>
#include <string.h>
#include "ctl.h"

int64_t domctl_setdomainhandle(struct vcpu *v, struct xen_domctl *op, struct domain *d,
                               bool *copyback)
{
    (void)v, (void)copyback;
    _Static_assert(sizeof(d->handle) == sizeof(op->u.setdomainhandle.handle), "16 bytes");
    /* Read without a lock by getdomaininfolist: a reader racing this sees
     * old and new bytes mixed, as on Xen. */
    memcpy(d->handle, op->u.setdomainhandle.handle, sizeof(d->handle));
    return 0;
}
