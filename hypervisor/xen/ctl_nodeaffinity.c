/*
 * DOMCTL setnodeaffinity (68): the NUMA nodes a domain's memory should come
 * from. Cloison, like Xen/ARM 4.17, has one node (0): the map must contain
 * it (Xen: "being disjoint with the system is just wrong", -EINVAL); it is
 * kept and changes nothing else. libxl sends it while building a domain and
 * ignores the answer.
 */
#include <cloison/errno.h>
#include <core/domain.h>
#include "ctl.h"

#define CTL_NR_NODES 1 /* Xen/ARM without NUMA: MAX_NUMNODES */

int64_t domctl_setnodeaffinity(struct vcpu *v, struct xen_domctl *op, struct domain *d,
                               bool *copyback)
{
    (void)copyback;
    uint64_t nodes;
    int rc = ctl_get_mask(v, &op->u.nodeaffinity.nodemap, &nodes, CTL_NR_NODES);
    if (rc)
        return rc;
    if (!(nodes & 1))
        return -EINVAL; /* no online node in it */
    d->node_affinity = nodes;
    return 0;
}
