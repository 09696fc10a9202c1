/*
 * Scheduler parameters, as Xen 4.17's credit2 (the scheduler Cloison reports
 * for pool 0, CTL_SCHED_ID) keeps them. They are kept and reported only:
 * Cloison's scheduler does not yet weigh or cap domains (SUPPORT.md).
 *
 * DOMCTL scheduler_op (16), Xen's sched_adjust + csched2_dom_cntl: another
 * scheduler's id -EINVAL; a command other than put/get(vcpu)info -EINVAL;
 * credit2 has no per-vCPU parameters (-EINVAL); getinfo: weight (default
 * 256) and cap (default 0: none); putinfo: a weight of 0 keeps the weight, a
 * cap of 0 removes the cap, a cap above 100 x the domain's vCPUs is -EINVAL
 * (after a new weight was taken, as Xen). The request is copied back even on
 * failure (Xen's copyback).
 *
 * SYSCTL scheduler_op (19), Xen's sched_adjust_global + csched2_sys_cntl:
 * command not put/getinfo -EINVAL, no such pool -ESRCH, another scheduler
 * -EINVAL; the pool's rate limit (default 1000 us, Xen's): putinfo takes 0
 * (none) or 100..500000 us (else -EINVAL), both return the value in force.
 */
#include <cloison/errno.h>
#include <core/domain.h>
#include "ctl.h"

#define CREDIT2_DEFAULT_WEIGHT 256
#define DEFAULT_RATELIMIT_US 1000 /* Xen's sched_ratelimit_us */

static uint32_t ratelimit_us = DEFAULT_RATELIMIT_US; /* changed under sysctl only: atomics */

static int dom_cntl(struct xen_domctl_scheduler_op *s, struct domain *d)
{
    struct xen_domctl_sched_credit2 *p = &s->u.credit2;
    if (s->cmd == XEN_DOMCTL_SCHEDOP_getinfo) {
        p->weight = d->sched_weight ? d->sched_weight : CREDIT2_DEFAULT_WEIGHT;
        p->cap = d->sched_cap;
        return 0;
    }
    if (s->cmd != XEN_DOMCTL_SCHEDOP_putinfo)
        return -EINVAL; /* put/getvcpuinfo: credit2 has none */
    if (p->weight)
        d->sched_weight = p->weight;
    if (p->cap > 100 * d->nr_vcpus)
        return -EINVAL;
    d->sched_cap = p->cap;
    return 0;
}

int64_t domctl_scheduler_op(struct vcpu *v, struct xen_domctl *op, struct domain *d, bool *copyback)
{
    (void)v;
    struct xen_domctl_scheduler_op *s = &op->u.scheduler_op;
    *copyback = true;
    if (s->sched_id != CTL_SCHED_ID)
        return -EINVAL;
    if (s->cmd > XEN_DOMCTL_SCHEDOP_getvcpuinfo)
        return -EINVAL;
    return dom_cntl(s, d);
}

int64_t sysctl_scheduler_op(struct vcpu *v, struct xen_sysctl *op, bool *copyback)
{
    (void)v;
    struct xen_sysctl_scheduler_op *s = &op->u.scheduler_op;
    uint32_t *r = &s->u.sched_credit2.ratelimit_us;
    if (s->cmd != XEN_SYSCTL_SCHEDOP_putinfo && s->cmd != XEN_SYSCTL_SCHEDOP_getinfo)
        return -EINVAL;
    if (s->cpupool_id != 0)
        return -ESRCH;
    if (s->sched_id != CTL_SCHED_ID)
        return -EINVAL;
    if (s->cmd == XEN_SYSCTL_SCHEDOP_putinfo) {
        if (*r && (*r > XEN_SYSCTL_SCHED_RATELIMIT_MAX || *r < XEN_SYSCTL_SCHED_RATELIMIT_MIN))
            return -EINVAL;
        __atomic_store_n(&ratelimit_us, *r, __ATOMIC_RELAXED);
    }
    *r = __atomic_load_n(&ratelimit_us, __ATOMIC_RELAXED);
    *copyback = true;
    return 0;
}
