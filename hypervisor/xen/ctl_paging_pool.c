/*
 * DOMCTL get_paging_mempool_size (85) / set_paging_mempool_size (86): the
 * bytes of a domain's stage-2 table pool (core/domain_p2m.c), which libxl
 * sets (its shadow_memkb) while building a domain. A size that is not a
 * whole number of pages: -EINVAL; no memory: -ENOMEM (the pool keeps what
 * it reached, as Xen's). Growing or shrinking moves a bounded number of
 * pages per call; the rest is a continuation (CTL_CONTINUE, Xen's
 * -ERESTART), so a big pool never holds a pCPU long.
 */
#include <cloison/errno.h>
#include <core/domain.h>
#include <core/domain_p2m.h>
#include "ctl.h"

#define PAGES_PER_CALL 256

int64_t domctl_paging_mempool(struct vcpu *v, struct xen_domctl *op, struct domain *d,
                              bool *copyback)
{
    (void)v;
    if (op->cmd == XEN_DOMCTL_get_paging_mempool_size) {
        op->u.paging_mempool.size = domain_get_paging_mempool_size(d);
        *copyback = true;
        return 0;
    }
    size_t budget = PAGES_PER_CALL;
    int rc = domain_set_paging_mempool_size(d, op->u.paging_mempool.size, &budget);
    return rc == -EAGAIN ? CTL_CONTINUE : rc;
}
