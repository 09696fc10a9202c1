/*
 * DOMCTL getvcpuinfo (14), what xl vcpu-list shows per vCPU: online (not
 * off; a vCPU killed by the domain's shutdown stays online, as getdomaininfo
 * counts it), blocked (waiting for an interrupt), running (on a pCPU now),
 * the time it has run (ns, the slice under way included) and the pCPU it is
 * on or last ran on. That is always a pCPU of the domain's pool, as Xen's
 * v->processor is: a vCPU that has not run there yet (a null pool's waiting
 * vCPU, a domain just moved) reports the lowest pCPU of the pool in its hard
 * affinity (Xen's null pick_res takes any of those). A vCPU index beyond the
 * domain's: -EINVAL; one not created: -ESRCH (Xen's order). The fields are
 * snapshots, read without locks.
 */
#include <cloison/arch.h>
#include <cloison/errno.h>
#include <core/domain.h>
#include <core/sched.h>
#include <core/vcpu.h>
#include "ctl.h"

static uint64_t ticks_to_ns(uint64_t ticks)
{
    uint64_t f = arch_counter_freq();
    return (ticks / f) * 1000000000ULL + (ticks % f) * 1000000000ULL / f;
}

uint64_t ctl_vcpu_ticks(const struct vcpu *v)
{
    uint64_t ticks = __atomic_load_n(&v->runtime, __ATOMIC_RELAXED);
    uint64_t since = __atomic_load_n(&v->slice_start, __ATOMIC_RELAXED), now = arch_counter();
    if (__atomic_load_n(&v->loaded, __ATOMIC_RELAXED) && now > since)
        ticks += now - since;
    return ticks;
}

static uint32_t shown_cpu(const struct domain *d, const struct vcpu *t)
{
    uint32_t cpu = __atomic_load_n(&t->pcpu, __ATOMIC_RELAXED);
    uint64_t pool = sched_domain_cpus(d);
    if (cpu < 64 && (pool & (1ULL << cpu)))
        return cpu;
    uint64_t m = pool & __atomic_load_n(&t->hard_affinity, __ATOMIC_RELAXED);
    m = m ? m : pool;
    return m ? (uint32_t)__builtin_ctzll(m) : cpu;
}

int64_t domctl_getvcpuinfo(struct vcpu *v, struct xen_domctl *op, struct domain *d, bool *copyback)
{
    (void)v;
    struct xen_domctl_getvcpuinfo *g = &op->u.getvcpuinfo;
    if (g->vcpu >= d->nr_vcpus)
        return -EINVAL;
    const struct vcpu *t = d->vcpus[g->vcpu];
    if (!t)
        return -ESRCH;
    enum vcpu_state st = __atomic_load_n(&t->state, __ATOMIC_RELAXED);
    bool loaded = __atomic_load_n(&t->loaded, __ATOMIC_RELAXED);
    uint64_t ticks = ctl_vcpu_ticks(t);
    g->online = st != VCPU_OFF;
    g->blocked = st == VCPU_BLOCKED;
    g->running = loaded;
    g->cpu_time = ticks_to_ns(ticks);
    g->cpu = shown_cpu(d, t);
    *copyback = true;
    return 0;
}
