/*
 * sched_op: yield, block, shutdown (and shutdown_code, which ARM guests use
 * to record a reason before a shutdown), poll, and remote_shutdown for the
 * control domain. Checks and error codes follow Xen 4.17's do_sched_op.
 */
#include <core/domain.h>
#include <cloison/errno.h>
#include <xen/evtchn.h>
#include <xen/guest_copy.h>
#include <xen/pvconsole.h>
#include <core/sched.h>
#include <core/vcpu.h>
#include <xen/xen_domain.h>
#include <public/sched.h>
#include <public/xen.h>
#include "hypercall.h"
#include <xen/target_domain.h>

#define POLL_MAX_PORTS 128 /* Xen's "fairly arbitrary limit" */

/*
 * Xen returns 0 as soon as one port is pending or the vCPU has events to
 * take, and may return 0 early whenever the vCPU is woken: callers loop.
 * Cloison blocks only when a wake-up is certain to come through the upcall
 * (no timeout, every port unmasked); otherwise it yields and returns 0,
 * which is a legal early return. Masked ports and timeouts therefore poll by
 * yielding rather than sleeping (no per-vCPU poll timer yet).
 */
static int64_t sched_poll(struct vcpu *v, uint64_t arg)
{
    struct sched_poll p;
    uint32_t ports[POLL_MAX_PORTS];
    struct xen_dom *x = v->domain->xen;
    if (copy_from_guest(v, &p, arg, sizeof(p)))
        return -EFAULT;
    if (p.nr_ports > POLL_MAX_PORTS)
        return -EINVAL;
    if (p.nr_ports && copy_from_guest(v, ports, p.ports, p.nr_ports * sizeof(uint32_t)))
        return -EFAULT;
    if (!x)
        return -ENOSYS; /* not reached: only Xen-enhanced domains get here */
    struct vcpu_info *vi = xen_vcpu_info(x, v->id);
    bool any_masked = false;
    if (__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST))
        return 0;
    for (uint32_t i = 0; i < p.nr_ports; i++) {
        if (ports[i] >= x->max_ports)
            return -EINVAL;
        unsigned int st = evtchn_port_flags(x, ports[i]); /* 2-level or FIFO */
        if (st & EVTCHN_PORT_PENDING)
            return 0;
        any_masked |= st & EVTCHN_PORT_MASKED;
    }
    if (p.timeout == 0 && !any_masked)
        vcpu_block(v);
    else
        vcpu_yield(v);
    return 0;
}

/* Xen: -ESRCH for no such domain (DOMID_SELF included), then -EPERM unless
 * the caller is the control domain. */
static int64_t sched_remote_shutdown(struct vcpu *v, uint64_t arg)
{
    struct sched_remote_shutdown rs;
    if (copy_from_guest(v, &rs, arg, sizeof(rs)))
        return -EFAULT;
    int rc;
    struct domain *d = target_domain_get(v, rs.domain_id, TARGET_CONTROL, &rc);
    if (!d)
        return rc;
    if (rs.reason > SHUTDOWN_MAX)
        rc = -EINVAL; /* as SCHEDOP_shutdown here */
    else
        domain_shutdown(d, rs.reason);
    domain_put(d);
    return rc;
}

int64_t do_sched_op(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t a2, uint64_t a3,
                    uint64_t a4)
{
    (void)a2, (void)a3, (void)a4;
    struct sched_shutdown sd;
    switch ((uint32_t)cmd) { /* an int in Xen's prototype: upper bits ignored */
    case SCHEDOP_yield:
        pvconsole_poll(v->domain); /* a guest with a full console ring yields until drained */
        vcpu_yield(v);
        return 0;
    case SCHEDOP_block:
        vcpu_block(v);
        return 0;
    case SCHEDOP_shutdown:
        if (copy_from_guest(v, &sd, arg, sizeof(sd)))
            return -EFAULT;
        if (sd.reason > SHUTDOWN_MAX)
            return -EINVAL;
        domain_shutdown(v->domain, sd.reason);
        return 0;
    case SCHEDOP_shutdown_code:
        if (copy_from_guest(v, &sd, arg, sizeof(sd)))
            return -EFAULT;
        if (sd.reason > SHUTDOWN_MAX)
            return -EINVAL;
        domain_set_shutdown_code(v->domain, sd.reason); /* latched: the first one wins */
        return 0;
    case SCHEDOP_poll:
        return sched_poll(v, arg);
    case SCHEDOP_remote_shutdown:
        return sched_remote_shutdown(v, arg);
    default:
        /* SCHEDOP_watchdog: no per-domain watchdog timers yet. -ENOSYS makes
         * Linux's xen_wdt decline to probe instead of trusting a watchdog
         * that would never fire. */
        return -ENOSYS;
    }
}
