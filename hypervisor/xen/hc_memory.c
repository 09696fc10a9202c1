/*
 * memory_op: add_to_physmap (shared_info, grant table frames),
 * remove_from_physmap, the reservation operations (which return a count of
 * extents done, never an error), and the reservation/maximum_gpfn queries.
 * Xen's checks, in Xen's order; the work is in core/shared_info.c and
 * core/xen_memory.c.
 */
#include <cloison/domain.h>
#include <cloison/errno.h>
#include <cloison/grant.h>
#include <cloison/guest_copy.h>
#include <cloison/shared_info.h>
#include <cloison/vcpu.h>
#include <cloison/xen_domain.h>
#include <cloison/xen_memory.h>
#include <public/memory.h>
#include <public/xen.h>
#include "hypercall.h"

#define DOMU_MAX_ORDER 9 /* largest extent a domU may ask for (Xen/ARM) */

/* rcu_lock_domain_by_any_id + XSM_TARGET: NULL with *rc = -ESRCH / -EPERM. */
static struct domain *target(struct vcpu *v, uint16_t domid, int *rc)
{
    struct domain *t = domid == DOMID_SELF ? v->domain : domain_by_id(domid);
    *rc = 0;
    if (!t || !t->xen)
        *rc = -ESRCH;
    else if (t != v->domain && !v->domain->is_privileged)
        *rc = -EPERM;
    return *rc ? NULL : t;
}

static int64_t add_to_physmap(struct vcpu *v, uint64_t arg)
{
    struct xen_add_to_physmap a;
    int rc;
    if (copy_from_guest(v, &a, arg, sizeof(a)))
        return -EFAULT;
    struct domain *d = target(v, a.domid, &rc);
    if (!d)
        return rc;
    switch (a.space) {
    case XENMAPSPACE_shared_info:
        return a.idx != 0 ? -EINVAL : xen_map_shared_info(d, a.gpfn);
    case XENMAPSPACE_grant_table:
        return gnttab_map_frame(d, a.idx, a.gpfn);
    case XENMAPSPACE_gmfn_foreign: /* batch only */
        return -EINVAL;
    default:
        return -ENOSYS;
    }
}

static int64_t remove_from_physmap(struct vcpu *v, uint64_t arg)
{
    struct xen_remove_from_physmap r;
    int rc;
    if (copy_from_guest(v, &r, arg, sizeof(r)))
        return -EFAULT;
    struct domain *d = target(v, r.domid, &rc);
    return d ? xen_remove_from_physmap(d, r.gpfn) : rc;
}

enum resv_op { RESV_INCREASE, RESV_DECREASE, RESV_POPULATE };

/* Errors stop the loop; the result is the number of extents done. */
static int64_t reservation(struct vcpu *v, enum resv_op op, uint64_t start, uint64_t arg)
{
    struct xen_memory_reservation r;
    int rc;
    if (copy_from_guest(v, &r, arg, sizeof(r)))
        return (int64_t)start;
    if (r.nr_extents > (UINT32_MAX >> MEMOP_EXTENT_SHIFT) || start >= r.nr_extents ||
        r.extent_order > DOMU_MAX_ORDER)
        return (int64_t)start;
    struct domain *d = target(v, r.domid, &rc);
    if (!d)
        return (int64_t)start;
    uint64_t i;
    for (i = start; i < r.nr_extents; i++) {
        uint64_t gfn = 0;
        if (op != RESV_INCREASE &&
            copy_from_guest(v, &gfn, r.extent_start + i * sizeof(gfn), sizeof(gfn)))
            break;
        if (op == RESV_DECREASE)
            rc = xen_decrease_extent(d, gfn, r.extent_order);
        else if (op == RESV_POPULATE)
            rc = xen_populate_extent(d, gfn, r.extent_order);
        else
            rc = xen_increase_extent(d, r.extent_order);
        if (rc)
            break;
    }
    return (int64_t)i;
}

/* current_reservation, maximum_reservation, maximum_gpfn: arg -> domid_t. */
static int64_t query(struct vcpu *v, uint64_t arg, uint64_t (*fn)(const struct domain *))
{
    uint16_t domid;
    int rc;
    if (copy_from_guest(v, &domid, arg, sizeof(domid)))
        return -EFAULT;
    struct domain *d = target(v, domid, &rc);
    return d ? (int64_t)fn(d) : rc;
}

int64_t do_memory_op(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t a2, uint64_t a3,
                     uint64_t a4)
{
    (void)a2, (void)a3, (void)a4;
    uint64_t op = cmd & MEMOP_CMD_MASK, start = cmd >> MEMOP_EXTENT_SHIFT;
    if (!v->domain->xen)
        return -ENOSYS;
    switch (op) {
    case XENMEM_increase_reservation:
        return reservation(v, RESV_INCREASE, start, arg);
    case XENMEM_decrease_reservation:
        return reservation(v, RESV_DECREASE, start, arg);
    case XENMEM_populate_physmap:
        return reservation(v, RESV_POPULATE, start, arg);
    case XENMEM_current_reservation:
        return query(v, arg, xen_tot_pages);
    case XENMEM_maximum_reservation:
        return query(v, arg, xen_max_pages);
    case XENMEM_maximum_gpfn:
        return query(v, arg, xen_max_gpfn);
    case XENMEM_add_to_physmap:
        return add_to_physmap(v, arg);
    case XENMEM_remove_from_physmap:
        return remove_from_physmap(v, arg);
    default:
        return -ENOSYS; /* memory_map and the rest are not on ARM */
    }
}
