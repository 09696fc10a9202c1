/*
 * Scheduler parameters, as Xen 4.17's credit2 takes them, enforced by the
 * domain's pool's policy (core/sched.c, lib/sched_credit2.c).
 *
 * DOMCTL scheduler_op (16), Xen's sched_adjust + csched2_dom_cntl: a
 * sched_id other than the domain's pool's -EINVAL; a command other than
 * put/get(vcpu)info -EINVAL; credit2 has no per-vCPU parameters (-EINVAL);
 * getinfo: weight (default 256) and cap (default 0: none); putinfo: a
 * weight of 0 keeps the weight, a cap of 0 removes the cap, a cap above
 * 100 x the domain's vCPUs is -EINVAL (after a new weight was taken, as
 * Xen). The request is copied back even on failure (Xen's copyback).
 *
 * SYSCTL scheduler_op (19), Xen's sched_adjust_global + csched2_sys_cntl:
 * command not put/getinfo -EINVAL, no such pool -ESRCH, a scheduler other
 * than the pool's -EINVAL; credit2's rate limit of that pool (default 1000
 * us, Xen's): putinfo takes 0 (none) or 100..500000 us (else -EINVAL), both
 * return the value in force. An arinc653 pool's schedule goes to
 * ctl_sched_arinc653.c. A null or arinc653 domain, and a null pool, have
 * no parameters: 0 once sched_id matches (Xen's sched_adjust_dom and
 * sched_adjust_cpupool with no hook).
 */
#include <cloison/errno.h>
#include <core/cpupool.h>
#include <core/domain.h>
#include <core/sched.h>
#include "ctl.h"

static int dom_cntl(struct xen_domctl_scheduler_op *s, struct domain *d)
{
    struct xen_domctl_sched_credit2 *p = &s->u.credit2;
    if (s->cmd == XEN_DOMCTL_SCHEDOP_getinfo) {
        p->weight = d->sched.weight ? d->sched.weight : SCHED_DEFAULT_WEIGHT;
        p->cap = d->sched.cap;
        return 0;
    }
    if (s->cmd != XEN_DOMCTL_SCHEDOP_putinfo)
        return -EINVAL; /* put/getvcpuinfo: credit2 has none */
    uint16_t weight = p->weight ? p->weight : d->sched.weight;
    if (p->cap > 100 * d->nr_vcpus) {
        sched_set_dom_params(d, weight, d->sched.cap); /* the weight is taken */
        return -EINVAL;
    }
    return sched_set_dom_params(d, weight, (uint16_t)p->cap);
}

int64_t domctl_scheduler_op(struct vcpu *v, struct xen_domctl *op, struct domain *d, bool *copyback)
{
    (void)v;
    struct xen_domctl_scheduler_op *s = &op->u.scheduler_op;
    *copyback = true;
    struct cpupool *pool = domain_cpupool(d);
    if (!pool || s->sched_id != cpupool_policy(pool)->xen_id)
        return -EINVAL;
    if (s->cmd > XEN_DOMCTL_SCHEDOP_getvcpuinfo)
        return -EINVAL;
    if (s->sched_id != XEN_SCHEDULER_CREDIT2)
        return 0; /* null and ARINC 653 have no per-domain parameters: Xen answers 0 */
    return dom_cntl(s, d);
}

int64_t sysctl_scheduler_op(struct vcpu *v, struct xen_sysctl *op, bool *copyback)
{
    struct xen_sysctl_scheduler_op *s = &op->u.scheduler_op;
    uint32_t *r = &s->u.sched_credit2.ratelimit_us;
    if (s->cmd != XEN_SYSCTL_SCHEDOP_putinfo && s->cmd != XEN_SYSCTL_SCHEDOP_getinfo)
        return -EINVAL;
    struct cpupool *pool = cpupool_by_id(s->cpupool_id);
    if (!pool)
        return -ESRCH;
    if (s->sched_id != cpupool_policy(pool)->xen_id)
        return -EINVAL;
    if (s->sched_id == XEN_SCHEDULER_ARINC653)
        return sysctl_arinc653_op(v, s, pool); /* nothing in *op changes */
    if (s->sched_id != XEN_SCHEDULER_CREDIT2)
        return 0; /* null has no pool parameters: Xen answers 0 */
    if (s->cmd == XEN_SYSCTL_SCHEDOP_putinfo) {
        if (*r && (*r > XEN_SYSCTL_SCHED_RATELIMIT_MAX || *r < XEN_SYSCTL_SCHED_RATELIMIT_MIN))
            return -EINVAL;
        cpupool_set_ratelimit(pool, *r);
    }
    cpupool_get_ratelimit(pool, r);
    *copyback = true;
    return 0;
}
