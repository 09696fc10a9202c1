/*
 * SYSCTL cpupool_op (18): the toolstack's CPU pools (xl cpupool-*), Xen
 * 4.17's cpupool_do_sysctl over core/cpupool.h, each sub-op's checks in
 * Xen's order and with its error codes. The request was copied in whole by
 * the envelope; it is checked, then acted on, and copied back on success.
 *
 *   CREATE 1     id (or PAR_ANY: one above the highest), sched_id:
 *                2 x pCPUs pools already -ENOSPC, id taken -EEXIST,
 *                no such scheduler -ENOENT; OUT the pool's id
 *   DESTROY 2    no such pool -ENOENT, domains or pCPUs in it -EBUSY
 *   INFO 3       the first pool with id >= cpupool_id, else -ENOENT (which
 *                ends the toolstack's loops); OUT id, sched_id, n_dom, map
 *   ADDCPU 4     no such pool -ENOENT; cpu PAR_ANY: the first free pCPU,
 *                none -ENODEV; past the pCPUs -EINVAL; offline or not
 *                free -ENODEV
 *   RMCPU 5      no such pool -ENOENT; cpu PAR_ANY: the pool's last; past
 *                the pCPUs -EINVAL; the boot pCPU from Pool-0 or an offline
 *                one -EINVAL; not in the pool -EADDRNOTAVAIL; the last pCPU
 *                of a pool with domains -EBUSY
 *   MOVEDOMAIN 6 no such domain -ESRCH, the caller itself -EPERM, a domain
 *                in no pool -EINVAL, already there 0, no such pool or one
 *                without pCPUs -ENOENT
 *   FREEINFO 7   OUT the map of online pCPUs in no pool
 *   other        -ENOSYS
 *
 * The envelope (hc_sysctl.c) runs this under the domctl lock, which orders
 * it with createdomain's placement and keeps a pool found here alive until
 * the sub-op is done (only DESTROY frees one).
 */
#include <cloison/errno.h>
#include <cloison/percpu.h>
#include <core/cpupool.h>
#include <core/domain.h>
#include <core/sched.h>
#include <core/vcpu.h>
#include <public/sysctl.h>
#include "ctl.h"

/* pCPUs the toolstack can name (Xen's nr_cpu_ids). */
static unsigned int nr_cpu_ids(void)
{
    return MIN(nr_pcpus, (unsigned int)SCHED_MAX_CPUS);
}

static bool cpu_online(unsigned int cpu)
{
    return cpu < nr_cpu_ids() && __atomic_load_n(&pcpus[cpu].online, __ATOMIC_ACQUIRE);
}

uint32_t ctl_domain_pool_id(const struct domain *d)
{
    const struct cpupool *p = domain_cpupool(d);
    return p ? cpupool_id(p) : CTL_POOL_NONE;
}

/* How many pools there are, and the id Xen gives PAR_ANY: one above the
 * highest, or (that being past the id space) the first gap from 0. Pools
 * are few (at most 2 x the pCPUs). */
static unsigned int pools(uint32_t *any)
{
    unsigned int n = 0;
    uint32_t last = 0, gap = CPUPOOL_ID_ANY;
    for (struct cpupool *p = cpupool_first_from(0); p; p = cpupool_first_from(last + 1)) {
        uint32_t id = cpupool_id(p);
        if (gap == CPUPOOL_ID_ANY && id != (n ? last + 1 : 0))
            gap = n ? last + 1 : 0;
        last = id;
        n++;
        if (id >= CPUPOOL_ID_ANY - 1)
            break; /* last + 1 would be PAR_ANY itself, or wrap */
    }
    *any = last < CPUPOOL_ID_ANY - 1 ? last + 1 : gap;
    return n;
}

static int op_create(struct xen_sysctl_cpupool_op *c)
{
    uint32_t any;
    if (pools(&any) >= 2 * nr_cpu_ids())
        return -ENOSPC;
    uint32_t id = c->cpupool_id == XEN_SYSCTL_CPUPOOL_PAR_ANY ? any : c->cpupool_id;
    if (cpupool_by_id(id))
        return -EEXIST;
    const struct sched_policy *pol = sched_policy_by_id(c->sched_id);
    if (!pol)
        return -ENOENT;
    struct cpupool *p;
    int rc = cpupool_create(id, pol, &p);
    if (!rc)
        c->cpupool_id = cpupool_id(p);
    return rc;
}

static int op_destroy(struct xen_sysctl_cpupool_op *c)
{
    struct cpupool *p = cpupool_by_id(c->cpupool_id);
    if (!p)
        return -ENOENT;
    /* Pool-0 always holds the boot pCPU: -EBUSY, Xen's answer, before the
     * interface's -EINVAL for it. */
    if (cpupool_nr_domains(p) || cpupool_cpus(p))
        return -EBUSY;
    return cpupool_destroy(p);
}

static int op_info(struct vcpu *v, struct xen_sysctl_cpupool_op *c)
{
    struct cpupool *p = cpupool_first_from(c->cpupool_id);
    if (!p)
        return -ENOENT;
    c->cpupool_id = cpupool_id(p);
    c->sched_id = cpupool_policy(p)->xen_id;
    c->n_dom = cpupool_nr_domains(p);
    return ctl_put_mask(v, &c->cpumap, cpupool_cpus(p), nr_cpu_ids());
}

static int op_addcpu(struct xen_sysctl_cpupool_op *c)
{
    struct cpupool *p = cpupool_by_id(c->cpupool_id);
    uint32_t cpu = c->cpu;
    if (!p)
        return -ENOENT;
    uint64_t free = cpupool_free_cpus();
    if (cpu == XEN_SYSCTL_CPUPOOL_PAR_ANY) {
        if (!free)
            return -ENODEV;
        cpu = (uint32_t)__builtin_ctzll(free);
    }
    if (cpu >= nr_cpu_ids())
        return -EINVAL;
    if (!cpu_online(cpu) || !(free & (1ULL << cpu)))
        return -ENODEV;
    return cpupool_assign_cpu(p, cpu);
}

static int op_rmcpu(struct xen_sysctl_cpupool_op *c)
{
    struct cpupool *p = cpupool_by_id(c->cpupool_id);
    uint32_t cpu = c->cpu;
    if (!p)
        return -ENOENT;
    uint64_t cpus = cpupool_cpus(p);
    if (cpu == XEN_SYSCTL_CPUPOOL_PAR_ANY) /* Xen's cpumask_last: none is past the end */
        cpu = cpus ? 63u - (uint32_t)__builtin_clzll(cpus) : nr_cpu_ids();
    if (cpu >= nr_cpu_ids())
        return -EINVAL;
    if ((cpupool_id(p) == 0 && cpu == 0) || !cpu_online(cpu))
        return -EINVAL; /* the boot pCPU stays in Pool-0 */
    if (!(cpus & (1ULL << cpu)))
        return -EADDRNOTAVAIL;
    return cpupool_unassign_cpu(p, cpu);
}

static int op_movedomain(struct vcpu *v, struct xen_sysctl_cpupool_op *c)
{
    /* Xen's rcu_lock_remote_domain_by_id: reserved ids name no domain. */
    struct domain *d = c->domid < DOMID_FIRST_RESERVED ? domain_get((uint16_t)c->domid) : NULL;
    int rc;
    if (!d)
        return -ESRCH;
    uint32_t now = ctl_domain_pool_id(d);
    struct cpupool *to = cpupool_by_id(c->cpupool_id);
    if (d == v->domain)
        rc = -EPERM;
    else if (now == CTL_POOL_NONE)
        rc = -EINVAL;
    else if (now == c->cpupool_id)
        rc = 0;
    else if (!to || !cpupool_cpus(to))
        rc = -ENOENT;
    else
        rc = cpupool_move_domain(d, to);
    domain_put(d);
    return rc;
}

int64_t sysctl_cpupool_op(struct vcpu *v, struct xen_sysctl *op, bool *copyback)
{
    struct xen_sysctl_cpupool_op *c = &op->u.cpupool_op;
    int rc;
    switch (c->op) {
    case XEN_SYSCTL_CPUPOOL_OP_CREATE:
        rc = op_create(c);
        break;
    case XEN_SYSCTL_CPUPOOL_OP_DESTROY:
        rc = op_destroy(c);
        break;
    case XEN_SYSCTL_CPUPOOL_OP_INFO:
        rc = op_info(v, c);
        break;
    case XEN_SYSCTL_CPUPOOL_OP_ADDCPU:
        rc = op_addcpu(c);
        break;
    case XEN_SYSCTL_CPUPOOL_OP_RMCPU:
        rc = op_rmcpu(c);
        break;
    case XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN:
        rc = op_movedomain(v, c);
        break;
    case XEN_SYSCTL_CPUPOOL_OP_FREEINFO:
        rc = ctl_put_mask(v, &c->cpumap, cpupool_free_cpus(), nr_cpu_ids());
        break;
    default:
        return -ENOSYS;
    }
    *copyback = rc == 0;
    return rc;
}
