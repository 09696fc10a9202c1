/*
 * domctl (36): the toolstack's per-domain operations, Xen 4.17's envelope
 * (do_domctl) in Xen's order: the whole struct copied in once (-EFAULT),
 * interface version 0x15 exactly (-EACCES: libxc then says "rebuild the
 * user-space tool set"), the named domain (-ESRCH; none for createdomain;
 * for getdomaininfo the first domain at or after the id: -EINVAL for a
 * reserved id, -ESRCH if none follows, as Xen 4.17 answers even a domU),
 * then the caller must be the control domain (Xen's dummy XSM policy:
 * -EPERM), then
 * the command from the table (-ENOSYS if Cloison does not serve it). The
 * reply is copied back when the command says so (Xen's `copyback`: most only
 * on success, scheduler_op even on failure).
 *
 * Commands run one at a time under domctl_lock, as Xen serialises them:
 * the lifecycle of a domain (create, pause, start, destroy) and its settings
 * are sequences of checks and changes no two toolstack calls may interleave.
 * Like Xen's, the lock is only ever tried: a command that finds it held
 * becomes a continuation and is issued again, so no pCPU spins on it while
 * another runs a long command. It is the outermost lock (cloison/spinlock.h)
 * and is not held across continuations: a long command (cacheflush of a large
 * range, a P2M pool grown in steps) does a bounded part, and returns
 * CTL_CONTINUE; the request, as the command updated it, is written back and
 * the call continues.
 */
#include <cloison/spinlock.h>
#include <cloison/errno.h>
#include <core/domain.h>
#include <core/vcpu.h>
#include <xen/guest_copy.h>
#include <public/xen.h>
#include "ctl.h"
#include "hypercall.h"

spinlock_t ctl_domctl_lock = SPINLOCK_INIT;

static domctl_fn *const domctl_ops[] = {
    [XEN_DOMCTL_createdomain] = domctl_createdomain,
    [XEN_DOMCTL_destroydomain] = domctl_destroydomain,
    [XEN_DOMCTL_pausedomain] = domctl_pausedomain,
    [XEN_DOMCTL_unpausedomain] = domctl_unpausedomain,
    [XEN_DOMCTL_getdomaininfo] = domctl_getdomaininfo,
    [XEN_DOMCTL_max_mem] = domctl_max_mem,
    [XEN_DOMCTL_setvcpucontext] = domctl_setvcpucontext,
    [XEN_DOMCTL_max_vcpus] = domctl_max_vcpus,
    [XEN_DOMCTL_cacheflush] = domctl_cacheflush,
    [XEN_DOMCTL_vuart_op] = domctl_vuart_op,
    [XEN_DOMCTL_setvcpuaffinity] = domctl_vcpuaffinity,
    [XEN_DOMCTL_getvcpuinfo] = domctl_getvcpuinfo,
    [XEN_DOMCTL_scheduler_op] = domctl_scheduler_op,
    [XEN_DOMCTL_setdomainhandle] = domctl_setdomainhandle,
    [XEN_DOMCTL_getvcpuaffinity] = domctl_vcpuaffinity,
    [XEN_DOMCTL_set_address_size] = domctl_set_address_size,
    [XEN_DOMCTL_setnodeaffinity] = domctl_setnodeaffinity,
    [XEN_DOMCTL_get_paging_mempool_size] = domctl_paging_mempool,
    [XEN_DOMCTL_set_paging_mempool_size] = domctl_paging_mempool,
};

/* *busy: the domctl lock is held elsewhere (nothing was done). */
static int64_t dispatch(struct vcpu *v, struct xen_domctl *op, struct domain *d, bool *copyback,
                        bool *busy)
{
    if (!v->domain->is_privileged)
        return -EPERM;
    domctl_fn *fn = op->cmd < ARRAY_SIZE(domctl_ops) ? domctl_ops[op->cmd] : NULL;
    if (!fn)
        return -ENOSYS;
    if (!spin_trylock(&ctl_domctl_lock)) {
        *busy = true;
        return 0;
    }
    int64_t rc = fn(v, op, d, copyback);
    spin_unlock(&ctl_domctl_lock);
    return rc;
}

/* The domain a command acts on, referenced; Xen's rcu_lock_domain_by_id,
 * where reserved ids (DOMID_SELF too) name none. */
static int64_t lookup(const struct xen_domctl *op, struct domain **d)
{
    if (op->cmd == XEN_DOMCTL_createdomain)
        return 0;
    if (op->cmd == XEN_DOMCTL_getdomaininfo && op->domain >= DOMID_FIRST_RESERVED)
        return -EINVAL;
    if (op->cmd == XEN_DOMCTL_getdomaininfo)
        *d = domain_get_next(op->domain);
    else
        *d = op->domain < DOMID_FIRST_RESERVED ? domain_get(op->domain) : NULL;
    return *d ? 0 : -ESRCH;
}

int64_t do_domctl(struct vcpu *v, uint64_t arg, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    (void)a1, (void)a2, (void)a3, (void)a4;
    struct xen_domctl op;
    if (copy_from_guest(v, &op, arg, sizeof(op)))
        return -EFAULT;
    if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
        return -EACCES;
    struct domain *d = NULL;
    int64_t rc = lookup(&op, &d);
    if (rc)
        return rc;
    bool copyback = false, busy = false;
    rc = dispatch(v, &op, d, &copyback, &busy);
    if (d)
        domain_put(d);
    /* Xen's hypercall_create_continuation(__HYPERVISOR_domctl, "h", u_domctl). */
    if (busy)
        return hypercall_continue(v, arg, 0, 0, 0, 0);
    if (rc == CTL_CONTINUE) {
        if (copy_to_guest(v, arg, &op, sizeof(op)))
            return -EFAULT;
        return hypercall_continue(v, arg, 0, 0, 0, 0);
    }
    if (copyback && copy_to_guest(v, arg, &op, sizeof(op)))
        rc = -EFAULT;
    return rc;
}
