/*
 * memory_op: add_to_physmap (shared_info, grant table frames) and its batch
 * form (also foreign pages, for the control domain: another domain's RAM or
 * grant frames), remove_from_physmap, acquire_resource (hc_acquire_resource.c),
 * the reservation operations (which return a count of extents done, never an
 * error), and the reservation/maximum_gpfn queries. Xen's checks, in Xen's
 * order; the work is in xen/shared_info.c, xen/xen_memory.c and
 * core/foreign_map.c. Every domain looked up by id is referenced until the
 * operation ends (domain_get/put), so a concurrent teardown waits for it.
 */
#include <core/domain.h>
#include <cloison/errno.h>
#include <core/foreign_map.h>
#include <xen/grant.h>
#include <xen/guest_copy.h>
#include <xen/shared_info.h>
#include <core/vcpu.h>
#include <xen/xen_domain.h>
#include <xen/xen_memory.h>
#include <public/memory.h>
#include <public/xen.h>
#include "hypercall.h"
#include <xen/target_domain.h>

#define DOMU_MAX_ORDER 9 /* largest extent a domU may ask for (Xen/ARM) */
/* Extents (or batch entries) done per call; the rest is a continuation, with
 * the next extent in cmd's upper bits as on Xen. Bounds the time one call
 * keeps the pCPU (an extent may be 512 pages). */
#define EXTENTS_PER_CALL 64
#define PAGES_PER_CALL 4096 /* 16 MiB zeroed (populate) before a continuation */

/* rcu_lock_domain_by_any_id + XSM_TARGET, on a domain with the Xen interface. */
static struct domain *target(struct vcpu *v, uint16_t domid, int *rc)
{
    return target_domain_get(v, domid, TARGET_SELF_ID | TARGET_XEN, rc);
}

/* The domain an add_to_physmap acts on, after Xen's xatp_permission_check:
 * target()'s checks, then device memory only for dom0 into itself (-EACCES). */
static struct domain *physmap_target(struct vcpu *v, uint16_t domid, unsigned int space, int *rc)
{
    struct domain *d = target(v, domid, rc);
    if (d && space == XENMAPSPACE_dev_mmio && (!v->domain->is_privileged || d != v->domain)) {
        domain_put(d);
        *rc = -EACCES;
        return NULL;
    }
    return d;
}

static int64_t put_rc(struct domain *d, int64_t rc)
{
    domain_put(d);
    return rc;
}

/*
 * XENMAPSPACE_gmfn_foreign, Xen's get_pg_owner + xsm_map_gmfn_foreign: d
 * (which gets the mapping) must be the control domain, the owner another
 * domain. DOMID_IO/DOMID_XEN pages are not offered (-ESRCH).
 */
static int map_foreign(struct vcpu *v, struct domain *d, uint16_t foreign, uint64_t idx,
                       uint64_t gfn)
{
    if (foreign == v->domain->id)
        return -ESRCH; /* "cannot specify itself as foreign domain" */
    int rc;
    struct domain *od = target_domain_get(v, foreign, TARGET_SELF_ID | TARGET_ANY_CALLER, &rc);
    if (!od)
        return rc;
    if (od == d)
        rc = -EINVAL;
    else if (!d->is_privileged)
        rc = -EPERM;
    else {
        /* Against a decrease_reservation of the same GFN on another vCPU. */
        /* od's RAM, or one of its grant frames by the GFN od mapped it at
         * (libxenguest seeds a new domain's grant table this way when
         * acquire_resource is refused: Xen maps any page od owns). */
        paddr_t frame;
        spin_lock(&d->xen->mem_lock);
        rc = foreign_map_page(d, od, idx, gfn);
        if (rc == -EINVAL && gnttab_frame_at(od, idx, &frame))
            rc = foreign_map_frame(d, od, frame, gfn);
        spin_unlock(&d->xen->mem_lock);
        if (rc == 0)
            xen_note_mapped_gfn(d, gfn);
    }
    domain_put(od);
    return rc;
}

/* Xen/ARM's xenmem_add_to_physmap_one. */
static int add_one(struct vcpu *v, struct domain *d, unsigned int space, uint16_t foreign,
                   uint64_t idx, uint64_t gfn)
{
    switch (space) {
    case XENMAPSPACE_shared_info:
        return idx != 0 ? -EINVAL : xen_map_shared_info(d, gfn);
    case XENMAPSPACE_grant_table:
        return gnttab_map_frame(d, idx, gfn);
    case XENMAPSPACE_gmfn_foreign:
        return map_foreign(v, d, foreign, idx, gfn);
    default:
        return -ENOSYS; /* gmfn, gmfn_range: not on ARM; dev_mmio: not offered */
    }
}

static int64_t add_to_physmap(struct vcpu *v, uint64_t start, uint64_t arg)
{
    struct xen_add_to_physmap a;
    int rc;
    if (start > UINT16_MAX)
        return -EDOM;
    if (copy_from_guest(v, &a, arg, sizeof(a)))
        return -EFAULT;
    if (a.space == XENMAPSPACE_gmfn_foreign)
        return -ENOSYS; /* foreign pages only through the batch form */
    struct domain *d = physmap_target(v, a.domid, a.space, &rc);
    if (!d)
        return rc;
    return put_rc(d, add_one(v, d, a.space, 0, a.idx, a.gpfn));
}

/*
 * One result per page in errs[]; the call itself fails only for the request
 * as a whole (bad header, bad handles). Resumes from `start` (the extent in
 * cmd's upper bits), which its own continuations use too, so its range is
 * checked.
 */
static int64_t add_to_physmap_batch(struct vcpu *v, uint64_t start, uint64_t arg)
{
    struct xen_add_to_physmap_batch b;
    int rc;
    if (start > UINT16_MAX)
        return -EDOM;
    if (copy_from_guest(v, &b, arg, sizeof(b)))
        return -EFAULT;
    if (b.space == XENMAPSPACE_gmfn_range)
        return -EOPNOTSUPP;
    struct domain *d = physmap_target(v, b.domid, b.space, &rc);
    if (!d)
        return rc;
    if (b.size < start)
        return put_rc(d, -EILSEQ);
    if (b.size == start)
        return put_rc(d, start ? -EILSEQ : 0);
    /* Never device memory in a batch. (Xen 4.17 does not check that other
     * spaces leave foreign_domid zero; neither does Cloison.) */
    if (b.space == XENMAPSPACE_dev_mmio)
        return put_rc(d, -EOPNOTSUPP);
    for (uint64_t i = start; i < b.size; i++) {
        if (i - start == EXTENTS_PER_CALL) {
            domain_put(d);
            return hypercall_continue(v, XENMEM_add_to_physmap_batch | (i << MEMOP_EXTENT_SHIFT),
                                      arg, 0, 0, 0);
        }
        uint64_t idx, gfn;
        if (copy_from_guest(v, &idx, b.idxs + i * sizeof(idx), sizeof(idx)) ||
            copy_from_guest(v, &gfn, b.gpfns + i * sizeof(gfn), sizeof(gfn)))
            return put_rc(d, -EFAULT);
        int32_t err = add_one(v, d, b.space, b.foreign_domid, idx, gfn);
        if (copy_to_guest(v, b.errs + i * sizeof(err), &err, sizeof(err)))
            return put_rc(d, -EFAULT);
    }
    return put_rc(d, 0);
}

static int64_t remove_from_physmap(struct vcpu *v, uint64_t start, uint64_t arg)
{
    struct xen_remove_from_physmap r;
    int rc;
    if (start)
        return -EINVAL;
    if (copy_from_guest(v, &r, arg, sizeof(r)))
        return -EFAULT;
    struct domain *d = target(v, r.domid, &rc);
    if (!d)
        return rc;
    return put_rc(d, xen_remove_from_physmap(d, r.gpfn));
}

/* Errors stop the loop; the result is the number of extents done. */
static int64_t reservation(struct vcpu *v, uint64_t op, uint64_t start, uint64_t arg)
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
    uint64_t i, pages = 0;
    for (i = start; i < r.nr_extents; i++) {
        /* Bounded work per call: extents, and pages zeroed or given back. */
        if (i - start == EXTENTS_PER_CALL || pages >= PAGES_PER_CALL) {
            domain_put(d);
            return hypercall_continue(v, op | (i << MEMOP_EXTENT_SHIFT), arg, 0, 0, 0);
        }
        uint64_t gfn = 0;
        if (op != XENMEM_increase_reservation &&
            copy_from_guest(v, &gfn, r.extent_start + i * sizeof(gfn), sizeof(gfn)))
            break;
        if (op == XENMEM_decrease_reservation)
            rc = xen_decrease_extent(d, gfn, r.extent_order);
        else if (op == XENMEM_populate_physmap)
            rc = xen_populate_extent(d, gfn, r.extent_order);
        else
            rc = xen_increase_extent(d, r.extent_order);
        if (rc)
            break;
        pages += 1ULL << r.extent_order;
    }
    domain_put(d);
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
    return d ? put_rc(d, (int64_t)fn(d)) : rc;
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
        return reservation(v, op, start, arg);
    case XENMEM_decrease_reservation:
        return reservation(v, op, start, arg);
    case XENMEM_populate_physmap:
        return reservation(v, op, start, arg);
    case XENMEM_current_reservation:
        return query(v, arg, xen_tot_pages);
    case XENMEM_maximum_reservation:
        return query(v, arg, xen_max_pages);
    case XENMEM_maximum_gpfn:
        return query(v, arg, xen_max_gpfn);
    case XENMEM_add_to_physmap:
        return add_to_physmap(v, start, arg);
    case XENMEM_add_to_physmap_batch:
        return add_to_physmap_batch(v, start, arg);
    case XENMEM_remove_from_physmap:
        return remove_from_physmap(v, start, arg);
    case XENMEM_acquire_resource:
        return xen_acquire_resource(v, start, arg);
    case XENMEM_get_sharing_freed_pages:
    case XENMEM_get_sharing_shared_pages:
        return 0; /* Xen/ARM: no memory sharing, for any caller (xl info needs >= 0) */
    default:
        return -ENOSYS; /* memory_map and the rest are not on ARM */
    }
}
