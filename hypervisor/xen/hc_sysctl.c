/*
 * sysctl (35): the toolstack's host-wide operations, Xen 4.17's envelope
 * (do_sysctl) in Xen's order: the whole struct copied in once (-EFAULT),
 * interface version 0x15 exactly (-EACCES), the caller must be the control
 * domain (Xen's dummy XSM policy: -EPERM), then the command from the table
 * (-ENOSYS if Cloison does not serve it). The reply is copied back whole,
 * only on success. Every command here is bounded; the only state one changes
 * is the scheduler's rate limit, the log ring's start (readconsole clear)
 * and the CPU pools (cpupool_op). cpupool_op runs under the domctl lock, as
 * createdomain's choice of a pool does: the pools a command found stay as
 * they were until it is done. Like the domctl envelope, the lock is only
 * tried: held elsewhere, the call is issued again (Xen's sysctl_lock is
 * taken the same way).
 */
#include <cloison/errno.h>
#include <cloison/spinlock.h>
#include <core/cpupool.h>
#include <core/domain.h>
#include <core/vcpu.h>
#include <xen/guest_copy.h>
#include "ctl.h"
#include "hypercall.h"

static int64_t sched_id(struct vcpu *v, struct xen_sysctl *op, bool *copyback)
{
    (void)v;
    op->u.sched_id.sched_id = cpupool_policy(cpupool0())->xen_id; /* Xen: the default's */
    *copyback = true;
    return 0;
}

static sysctl_fn *const sysctl_ops[] = {
    [XEN_SYSCTL_readconsole] = sysctl_readconsole,
    [XEN_SYSCTL_physinfo] = sysctl_physinfo,
    [XEN_SYSCTL_sched_id] = sched_id,
    [XEN_SYSCTL_getdomaininfolist] = sysctl_getdomaininfolist,
    [XEN_SYSCTL_cputopoinfo] = sysctl_cputopoinfo,
    [XEN_SYSCTL_numainfo] = sysctl_numainfo,
    [XEN_SYSCTL_cpupool_op] = sysctl_cpupool_op,
    [XEN_SYSCTL_scheduler_op] = sysctl_scheduler_op,
    /* pcitopoinfo (22): -ENOSYS, as Xen/ARM answers (it has no PCI topology) */
};

int64_t do_sysctl(struct vcpu *v, uint64_t arg, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    (void)a1, (void)a2, (void)a3, (void)a4;
    struct xen_sysctl op;
    if (copy_from_guest(v, &op, arg, sizeof(op)))
        return -EFAULT;
    if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
        return -EACCES;
    if (!v->domain->is_privileged)
        return -EPERM;
    sysctl_fn *fn = op.cmd < ARRAY_SIZE(sysctl_ops) ? sysctl_ops[op.cmd] : NULL;
    if (!fn)
        return -ENOSYS;
    bool copyback = false, locked = op.cmd == XEN_SYSCTL_cpupool_op;
    if (locked && !spin_trylock(&ctl_domctl_lock))
        return hypercall_continue(v, arg, 0, 0, 0, 0);
    int64_t rc = fn(v, &op, &copyback);
    if (locked)
        spin_unlock(&ctl_domctl_lock);
    if (rc == 0 && copyback && copy_to_guest(v, arg, &op, sizeof(op)))
        rc = -EFAULT;
    return rc;
}
