/*
 * DOMCTL setvcpuaffinity (9) / getvcpuaffinity (25): a vCPU's hard affinity
 * (the pCPUs it may run on; core/sched.c moves it into a new one, which is
 * what xl vcpu-pin does) and soft affinity (where it would rather run: kept
 * and reported, not used to place). Xen 4.17's vcpu_affinity_domctl, in its
 * order: vCPU index beyond the domain's -EINVAL, vCPU not created -ESRCH, no
 * flags or a NULL map for a flag given -EINVAL. set: the hard map must hold
 * an online pCPU of the domain's pool (-EINVAL, nothing changed; an online
 * pCPU of another pool does not count); each map given is written back as
 * the scheduler will use it (hard: and the pool's online pCPUs; soft: and
 * those and the hard map); a soft map that cannot be read puts
 * the hard map back. get: the maps as set. As on Xen, a later map's result
 * replaces an earlier one's, so the call's result is the last map's. FORCE
 * (undo a guest's temporary pin) has nothing to undo here.
 */
#include <cloison/errno.h>
#include <cloison/percpu.h>
#include <core/domain.h>
#include <core/sched.h>
#include <core/vcpu.h>
#include "ctl.h"

static bool params_invalid(const struct xen_domctl_vcpuaffinity *a)
{
    return !a->flags || ((a->flags & XEN_VCPUAFFINITY_HARD) && !a->cpumap_hard.bitmap) ||
           ((a->flags & XEN_VCPUAFFINITY_SOFT) && !a->cpumap_soft.bitmap);
}

static int get_maps(struct vcpu *v, struct xen_domctl_vcpuaffinity *a, const struct vcpu *t)
{
    int rc = 0;
    if (a->flags & XEN_VCPUAFFINITY_HARD)
        rc = ctl_put_mask(v, &a->cpumap_hard, t->hard_affinity, nr_pcpus);
    if (a->flags & XEN_VCPUAFFINITY_SOFT)
        rc = ctl_put_mask(v, &a->cpumap_soft, t->soft_affinity, nr_pcpus);
    return rc;
}

static int set_maps(struct vcpu *v, struct xen_domctl_vcpuaffinity *a, struct vcpu *t)
{
    /* Xen's cpupool_domain_master_cpumask: the online pCPUs of t's pool. */
    uint64_t online = sched_domain_cpus(t->domain), old_hard = t->hard_affinity, mask;
    int rc = 0;
    if (a->flags & XEN_VCPUAFFINITY_HARD) {
        rc = ctl_get_mask(v, &a->cpumap_hard, &mask, nr_pcpus);
        if (!rc)
            rc = sched_set_hard_affinity(t, mask);
        if (rc)
            return rc;
        rc = ctl_put_mask(v, &a->cpumap_hard, online & t->hard_affinity, nr_pcpus);
    }
    if (a->flags & XEN_VCPUAFFINITY_SOFT) {
        rc = ctl_get_mask(v, &a->cpumap_soft, &mask, nr_pcpus);
        if (rc) {
            if (a->flags & XEN_VCPUAFFINITY_HARD)
                sched_set_hard_affinity(t, old_hard);
            return rc;
        }
        sched_set_soft_affinity(t, mask);
        rc = ctl_put_mask(v, &a->cpumap_soft, mask & online & t->hard_affinity, nr_pcpus);
    }
    return rc;
}

int64_t domctl_vcpuaffinity(struct vcpu *v, struct xen_domctl *op, struct domain *d, bool *copyback)
{
    (void)copyback; /* the maps go back through their own handles */
    struct xen_domctl_vcpuaffinity *a = &op->u.vcpuaffinity;
    if (a->vcpu >= d->nr_vcpus)
        return -EINVAL;
    struct vcpu *t = d->vcpus[a->vcpu];
    if (!t)
        return -ESRCH;
    if (params_invalid(a))
        return -EINVAL;
    return op->cmd == XEN_DOMCTL_setvcpuaffinity ? set_maps(v, a, t) : get_maps(v, a, t);
}
