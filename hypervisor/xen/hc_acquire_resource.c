/*
 * XENMEM_acquire_resource (memory_op 28): the control domain maps frames of
 * another domain's resource at GFNs of its own, which is how Linux's privcmd
 * (IOCTL_PRIVCMD_MMAP_RESOURCE) lets libxenguest seed a new domain's grant
 * table. Only the grant table's shared frames (type 1, id 0) exist here, as
 * on Xen/ARM 4.17 without v2, ioreq servers or vmtrace buffers.
 *
 * Xen 4.17's acquire_resource, in its order: pad not 0 -EINVAL; frame or
 * frame + nr_frames beyond 32 bits -EINVAL; the target: none (DOMID_SELF
 * included) -ESRCH, the caller itself -EPERM, a caller that is not the
 * control domain -EPERM (XSM_DM_PRIV); the resource's size: 0 (a grant
 * status table, an ioreq server, a vmtrace buffer, a grant id other than
 * 0/1) -EINVAL, and for an unknown type Xen's resource_max_frames() returns
 * -EOPNOTSUPP as an unsigned size, which a size query (frame_list NULL,
 * nr_frames 0) hands back as it is; a NULL list with nr_frames -EINVAL;
 * then nr_frames 0 or beyond a continuation's reach -EINVAL, an unknown type
 * -EOPNOTSUPP, frames past the table's maximum -EINVAL (the table grows to
 * hold them otherwise). Each frame is mapped at the caller's GFN from
 * frame_list like a foreign page, holding a reference on it
 * (core/foreign_map.c), so a frame stays allocated while mapped even if its
 * domain is destroyed; the kernel unmaps it with remove_from_physmap. A
 * failure after the first frame is -EIO. 32 frames per step, the rest a
 * continuation with the next frame in cmd's upper bits, as Xen's.
 */
#include <cloison/errno.h>
#include <core/domain.h>
#include <core/foreign_map.h>
#include <core/vcpu.h>
#include <xen/grant.h>
#include <xen/guest_copy.h>
#include <xen/target_domain.h>
#include <xen/xen_domain.h>
#include <xen/xen_memory.h>
#include <public/memory.h>
#include <public/xen.h>
#include "hypercall.h"

#define FRAMES_PER_STEP 32
#define EOPNOTSUPP_SIZE ((uint32_t)-EOPNOTSUPP) /* Xen's size for an unknown type */

/* Xen's resource_max_frames: 0 when the resource does not exist (a plain
 * VM, without the Xen interface, has no grant table here). */
static uint32_t max_frames(const struct domain *d, const struct xen_mem_acquire_resource *r)
{
    switch (r->type) {
    case XENMEM_resource_grant_table:
        return r->id == XENMEM_resource_grant_table_id_shared && d->gnttab ? GNTTAB_MAX_FRAMES : 0;
    case XENMEM_resource_ioreq_server: /* none on ARM without IOREQ_SERVER */
    case XENMEM_resource_vmtrace_buf:  /* no vmtrace on ARM */
        return 0;
    default:
        return EOPNOTSUPP_SIZE;
    }
}

/* Map frames [frame, frame + n) of d's grant table at the GFNs in list. */
static int map_step(struct vcpu *v, struct domain *d, uint64_t frame, uint32_t n, uint64_t list)
{
    paddr_t pa[FRAMES_PER_STEP];
    uint64_t gfn[FRAMES_PER_STEP];
    for (uint32_t i = 0; i < n; i++)
        if (gnttab_shared_frame(d, frame + i, &pa[i]))
            return -EINVAL; /* Xen checks the last frame first: nothing mapped */
    if (copy_from_guest(v, gfn, list, n * sizeof(gfn[0])))
        return -EFAULT;
    struct domain *cur = v->domain;
    for (uint32_t i = 0; i < n; i++) {
        /* Against a decrease_reservation of the same GFN on another vCPU. */
        spin_lock(&cur->xen->mem_lock);
        int rc = foreign_map_frame(cur, d, pa[i], gfn[i]);
        spin_unlock(&cur->xen->mem_lock);
        if (rc)
            return i ? -EIO : rc;
        xen_note_mapped_gfn(cur, gfn[i]);
    }
    return 0;
}

static int64_t acquire(struct vcpu *v, struct domain *d, struct xen_mem_acquire_resource *r,
                       uint64_t start, uint64_t arg)
{
    uint32_t size = max_frames(d, r);
    if (!size)
        return -EINVAL;
    if (!r->frame_list) {
        if (r->nr_frames || start)
            return -EINVAL;
        r->nr_frames = size; /* only this field is written back */
        return copy_to_guest(v, arg + offsetof(struct xen_mem_acquire_resource, nr_frames),
                             &r->nr_frames, sizeof(r->nr_frames))
                   ? -EFAULT
                   : 0;
    }
    if (start >= r->nr_frames || r->nr_frames > (UINT32_MAX >> MEMOP_EXTENT_SHIFT))
        return -EINVAL;
    if (r->type != XENMEM_resource_grant_table)
        return -EOPNOTSUPP;
    uint32_t n = MIN(r->nr_frames - (uint32_t)start, (uint32_t)FRAMES_PER_STEP);
    int rc = map_step(v, d, r->frame + start, n, r->frame_list + start * sizeof(uint64_t));
    if (rc || start + n == r->nr_frames)
        return rc;
    return hypercall_continue(v, XENMEM_acquire_resource | ((start + n) << MEMOP_EXTENT_SHIFT), arg,
                              0, 0, 0);
}

int64_t xen_acquire_resource(struct vcpu *v, uint64_t start, uint64_t arg)
{
    struct xen_mem_acquire_resource r;
    int rc;
    if (copy_from_guest(v, &r, arg, sizeof(r)))
        return -EFAULT;
    if (r.pad)
        return -EINVAL;
    if ((r.frame >> 32) || ((r.frame + r.nr_frames) >> 32))
        return -EINVAL;
    /* rcu_lock_remote_domain_by_id: DOMID_SELF names no domain here. */
    struct domain *d = target_domain_get(v, r.domid, TARGET_CONTROL, &rc);
    if (d == v->domain)
        rc = -EPERM; /* "remote": never the caller itself */
    int64_t ret = rc ? rc : acquire(v, d, &r, start, arg);
    if (d)
        domain_put(d);
    return ret;
}
