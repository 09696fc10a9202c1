/*
 * SYSCTL scheduler_op (19) on an arinc653 pool: the pool's schedule, in
 * Xen's struct xen_sysctl_arinc653_schedule through the guest handle in
 * u.sched_arinc653 (Xen's a653sched_adjust_global). The dispatcher
 * (ctl_sched.c) has checked the pool (-ESRCH) and that sched_id is its
 * scheduler (-EINVAL).
 *
 * putinfo: the whole structure copied in first (-EFAULT, as Xen's single
 * copy of all 64 entries), then checked against Xen's rules (-EINVAL:
 * major frame 0, 0 or more than 64 entries, a runtime of 0, runtimes adding
 * up past the major frame), then put in force at once, every window naming
 * its domain by handle. getinfo: the schedule in force, the structure
 * filled as Xen fills it (every byte it does not set is 0xff) and copied
 * out whole (-EFAULT). Another command: -EINVAL.
 *
 * The schedule is 2.5 KiB: it lives on the heap for the call, not on the
 * hypercall stack (-ENOMEM if none).
 */
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <core/cpupool.h>
#include <lib/sched_arinc653.h>
#include <string.h>
#include <xen/guest_copy.h>
#include "ctl.h"

#define ENTRY_AT(h, i)                                                    \
    ((h) + offsetof(struct xen_sysctl_arinc653_schedule, sched_entries) + \
     (uint64_t)(i) * sizeof(struct xen_sysctl_arinc653_entry))

static int copy_in(struct vcpu *v, uint64_t h, struct arinc653_schedule *s)
{
    struct xen_sysctl_arinc653_schedule head;
    struct xen_sysctl_arinc653_entry e;
    size_t head_len = offsetof(struct xen_sysctl_arinc653_schedule, sched_entries);
    if (copy_from_guest(v, &head, h, head_len))
        return -EFAULT;
    s->major_frame = head.major_frame;
    s->nr_windows = head.num_sched_entries;
    for (unsigned int i = 0; i < ARINC653_MAX_DOMAINS_PER_SCHEDULE; i++) {
        if (copy_from_guest(v, &e, ENTRY_AT(h, i), sizeof(e)))
            return -EFAULT;
        struct arinc653_window *w = &s->windows[i];
        memcpy(w->dom_handle, e.dom_handle, sizeof(w->dom_handle));
        w->vcpu_id = e.vcpu_id;
        w->runtime = e.runtime;
        w->domid = ARINC653_BY_HANDLE;
    }
    return 0;
}

static int copy_out(struct vcpu *v, uint64_t h, const struct arinc653_schedule *s)
{
    struct xen_sysctl_arinc653_schedule head;
    struct xen_sysctl_arinc653_entry e;
    size_t head_len = offsetof(struct xen_sysctl_arinc653_schedule, sched_entries);
    memset(&head, 0xff, head_len);
    head.major_frame = s->major_frame;
    head.num_sched_entries = (uint8_t)s->nr_windows;
    if (copy_to_guest(v, h, &head, head_len))
        return -EFAULT;
    for (unsigned int i = 0; i < ARINC653_MAX_DOMAINS_PER_SCHEDULE; i++) {
        memset(&e, 0xff, sizeof(e));
        if (i < s->nr_windows) {
            memcpy(e.dom_handle, s->windows[i].dom_handle, sizeof(e.dom_handle));
            e.vcpu_id = s->windows[i].vcpu_id;
            e.runtime = s->windows[i].runtime;
        }
        if (copy_to_guest(v, ENTRY_AT(h, i), &e, sizeof(e)))
            return -EFAULT;
    }
    return 0;
}

int64_t sysctl_arinc653_op(struct vcpu *v, struct xen_sysctl_scheduler_op *op, struct cpupool *p)
{
    uint64_t h = op->u.sched_arinc653.schedule;
    if (op->cmd != XEN_SYSCTL_SCHEDOP_putinfo && op->cmd != XEN_SYSCTL_SCHEDOP_getinfo)
        return -EINVAL;
    struct arinc653_schedule *s = xzalloc(sizeof(*s));
    if (!s)
        return -ENOMEM;
    int rc;
    if (op->cmd == XEN_SYSCTL_SCHEDOP_putinfo) {
        rc = copy_in(v, h, s);
        if (!rc)
            rc = sched_arinc653_valid(s) ? cpupool_arinc653_put(p, s) : -EINVAL;
    } else {
        rc = cpupool_arinc653_get(p, s);
        if (!rc)
            rc = copy_out(v, h, s);
    }
    xfree(s);
    return rc;
}
