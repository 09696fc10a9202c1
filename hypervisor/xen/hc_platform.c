/*
 * platform_op: the control domain's platform interface. Xen/ARM serves only
 * XENPF_settime64 (Linux dom0 sets the wallclock with it at boot and every 11
 * minutes); we follow Xen 4.17's order of checks: -EFAULT reading the
 * argument, -EACCES on an interface version mismatch, -EPERM for anyone but
 * the control domain, then -ENOSYS for sub-ops it does not implement.
 */
#include <core/domain.h>
#include <cloison/errno.h>
#include <xen/guest_copy.h>
#include <core/vcpu.h>
#include <xen/wallclock.h>
#include <public/platform.h>
#include "hypercall.h"

int64_t do_platform_op(struct vcpu *v, uint64_t arg, uint64_t a1, uint64_t a2, uint64_t a3,
                       uint64_t a4)
{
    (void)a1, (void)a2, (void)a3, (void)a4;
    struct xen_platform_op op;
    /* The whole structure, as Xen copies it, whatever the sub-op uses. */
    if (copy_from_guest(v, &op, arg, sizeof(op)))
        return -EFAULT;
    if (op.interface_version != XENPF_INTERFACE_VERSION)
        return -EACCES;
    if (!v->domain->is_privileged)
        return -EPERM;
    switch (op.cmd) {
    case XENPF_settime64:
        if (op.u.settime64.mbz)
            return -EINVAL;
        wallclock_settime(v->domain, op.u.settime64.secs, op.u.settime64.nsecs,
                          op.u.settime64.system_time);
        return 0;
    default:
        return -ENOSYS;
    }
}
