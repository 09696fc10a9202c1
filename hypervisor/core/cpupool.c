/*
 * CPU pools (core/cpupool.h): creation, destruction, pCPUs in and out, and
 * domains between pools. Every change is made under pools_lock, which
 * serialises them (they are rare: boot and the toolstack); the scheduling
 * state they touch is under the pools' own locks (core/sched.c).
 *
 * A pCPU leaving a pool leaves it on itself (core/sched.c's pick): it is
 * taken out of the pool's cpus and marked leaving here, then kicked, and
 * this waits for it unless it is this very pCPU (a toolstack call on the
 * pCPU it removes), which leaves at the end of the hypercall.
 */
#include <cloison/arch.h>
#include <cloison/errno.h>
#include <cloison/percpu.h>
#include <core/cpupool.h>
#include <core/domain.h>
#include <core/sched.h>
#include <core/vcpu.h>
#include "sched_pool.h"

static bool cpu_online(unsigned int cpu)
{
    return cpu < nr_pcpus && __atomic_load_n(&pcpus[cpu].online, __ATOMIC_ACQUIRE);
}

static struct cpupool *find_locked(uint32_t id)
{
    for (unsigned int i = 0; i < CPUPOOL_MAX; i++)
        if (cpupools[i].used && cpupools[i].id == id)
            return &cpupools[i];
    return NULL;
}

int cpupool_create(uint32_t id, const struct sched_policy *pol, struct cpupool **out)
{
    int rc = 0;
    spin_lock(&pools_lock);
    if (id == CPUPOOL_ID_ANY)
        for (id = 0; find_locked(id); id++)
            ;
    struct cpupool *slot = NULL;
    for (unsigned int i = 0; i < CPUPOOL_MAX && !slot; i++)
        if (!cpupools[i].used)
            slot = &cpupools[i];
    if (find_locked(id))
        rc = -EEXIST;
    else if (!slot)
        rc = -ENOMEM;
    else
        sched_pool_setup(slot, id, pol);
    spin_unlock(&pools_lock);
    if (!rc && out)
        *out = slot;
    return rc;
}

int cpupool_destroy(struct cpupool *p)
{
    if (p == &cpupools[0])
        return -EINVAL;
    int rc = 0;
    spin_lock(&pools_lock);
    if (__atomic_load_n(&p->nr_domains, __ATOMIC_RELAXED) || p->st.cpus)
        rc = -EBUSY;
    for (unsigned int c = 0; c < nr_pcpus && !rc; c++)
        if (__atomic_load_n(&pcpus[c].pool, __ATOMIC_ACQUIRE) == p)
            rc = -EBUSY; /* a pCPU told to leave it has not yet */
    if (!rc)
        p->used = false;
    spin_unlock(&pools_lock);
    return rc;
}

/* Wait until pCPU cpu has left the pool it was told to leave. Never under
 * pools_lock: that pCPU may be spinning for it in a hypercall of its own
 * (cpupool_by_id from any sysctl), and would never reach its scheduler
 * (found by test_dom0_poolrace: every dom0 vCPU stuck for good). */
static void wait_left(unsigned int cpu)
{
    while (__atomic_load_n(&pcpus[cpu].pool, __ATOMIC_ACQUIRE))
        arch_cpu_relax(); /* it passes through its scheduler at its next exit: bounded */
}

int cpupool_assign_cpu(struct cpupool *p, unsigned int cpu)
{
    if (!cpu_online(cpu))
        return -EINVAL;
    int rc = 0;
    uint64_t kick = 0;
    spin_lock(&pools_lock);
    if (__atomic_load_n(&pcpus[cpu].pool, __ATOMIC_ACQUIRE)) {
        rc = -EBUSY;
    } else {
        uint64_t f = spin_lock_irqsave(&p->lock);
        p->st.cpus |= 1ULL << cpu;
        p->pol->cpu_add(&p->st, cpu, sched_now_ns(), &kick);
        __atomic_store_n(&pcpus[cpu].pool, p, __ATOMIC_RELEASE);
        spin_unlock_irqrestore(&p->lock, f);
    }
    spin_unlock(&pools_lock);
    sched_kick_mask(kick | (rc ? 0 : 1ULL << cpu));
    return rc;
}

/* Xen's cpu_disable_scheduler: a vCPU of p pinned only to pCPUs p no longer
 * has (cpu was the last) may run on any of them (or it would never run:
 * the null policy would keep it waiting). Checked again under each vCPU's
 * pool lock, so a domain moved meanwhile is left alone. */
static void break_affinities(struct cpupool *p, unsigned int cpu)
{
    for (struct domain *d = domain_get_next(0); d;) {
        uint16_t id = d->id;
        if (__atomic_load_n(&d->pool, __ATOMIC_ACQUIRE) == p)
            sched_break_affinity(d, p, cpu);
        domain_put(d);
        d = domain_get_next((uint16_t)(id + 1));
    }
}

int cpupool_unassign_cpu(struct cpupool *p, unsigned int cpu)
{
    if (cpu >= MAX_PCPUS)
        return -EINVAL;
    int rc = 0;
    spin_lock(&pools_lock);
    uint64_t bit = 1ULL << cpu;
    if (__atomic_load_n(&pcpus[cpu].pool, __ATOMIC_ACQUIRE) != p || !(p->st.cpus & bit)) {
        rc = -EINVAL;
    } else if (p->st.cpus == bit && __atomic_load_n(&p->nr_domains, __ATOMIC_RELAXED)) {
        rc = -EBUSY; /* its domains would have nowhere to run */
    } else {
        uint64_t f = spin_lock_irqsave(&p->lock);
        p->st.cpus &= ~bit;
        pcpus[cpu].leaving = true;
        spin_unlock_irqrestore(&p->lock, f);
        sched_resched_cpu(cpu);
    }
    spin_unlock(&pools_lock);
    /* Until it has left, it is in no pool's mask and still not free:
     * assign sees it busy, destroy keeps p. */
    if (!rc && cpu != this_cpu_id())
        wait_left(cpu);
    if (!rc)
        break_affinities(p, cpu);
    return rc;
}

int cpupool_move_domain(struct domain *d, struct cpupool *to)
{
    struct vcpu *self = this_pcpu()->current;
    if (self && self->domain == d)
        return -EBUSY; /* it would wait for itself to stop */
    spin_lock(&pools_lock);
    bool pointless = !to->st.cpus || d->pool == to || !d->pool;
    int early = to->st.cpus ? 0 : -EBUSY;
    spin_unlock(&pools_lock);
    if (pointless)
        return early; /* the answers below, without pausing anyone */
    /* Off every pCPU first (paused: the policy lets go of them), waiting
     * for their pCPUs outside pools_lock (see wait_left), then moved under
     * both pool locks, the lower id first, with the pools checked again. */
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        sched_pause_vcpu(d->vcpus[i]);
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        sched_wait_unloaded(d->vcpus[i]);
    spin_lock(&pools_lock);
    struct cpupool *from = d->pool;
    int rc = 0;
    if (!to->used || !to->st.cpus)
        rc = -EBUSY;
    if (rc || from == to || !from) {
        spin_unlock(&pools_lock);
        for (unsigned int i = 0; i < d->nr_vcpus; i++)
            sched_unpause_vcpu(d->vcpus[i]);
        return rc;
    }
    struct cpupool *a = from->id < to->id ? from : to, *b = a == from ? to : from;
    uint64_t f = spin_lock_irqsave(&a->lock);
    spin_lock(&b->lock);
    sched_move_domain_locked(d, from, to);
    uint64_t kick = from->st.kick | to->st.kick;
    from->st.kick = to->st.kick = 0;
    spin_unlock(&b->lock);
    spin_unlock_irqrestore(&a->lock, f);
    spin_unlock(&pools_lock);
    sched_kick_mask(kick);
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        sched_unpause_vcpu(d->vcpus[i]);
    return 0;
}

struct cpupool *cpupool_by_id(uint32_t id)
{
    spin_lock(&pools_lock);
    struct cpupool *p = find_locked(id);
    spin_unlock(&pools_lock);
    return p;
}

struct cpupool *cpupool_first_from(uint32_t id)
{
    struct cpupool *best = NULL;
    spin_lock(&pools_lock);
    for (unsigned int i = 0; i < CPUPOOL_MAX; i++) {
        struct cpupool *p = &cpupools[i];
        if (p->used && p->id >= id && (!best || p->id < best->id))
            best = p;
    }
    spin_unlock(&pools_lock);
    return best;
}

struct cpupool *cpupool0(void)
{
    return &cpupools[0];
}

uint32_t cpupool_id(const struct cpupool *p)
{
    return p->id;
}

const struct sched_policy *cpupool_policy(const struct cpupool *p)
{
    return p->pol;
}

uint64_t cpupool_cpus(const struct cpupool *p)
{
    return __atomic_load_n(&p->st.cpus, __ATOMIC_RELAXED);
}

unsigned int cpupool_nr_domains(const struct cpupool *p)
{
    return __atomic_load_n(&p->nr_domains, __ATOMIC_RELAXED);
}

uint64_t cpupool_free_cpus(void)
{
    uint64_t m = 0;
    for (unsigned int c = 0; c < nr_pcpus; c++)
        if (cpu_online(c) && !__atomic_load_n(&pcpus[c].pool, __ATOMIC_ACQUIRE))
            m |= 1ULL << c;
    return m;
}

int cpupool_get_ratelimit(struct cpupool *p, uint32_t *us)
{
    if (p->pol != &sched_credit2)
        return -EINVAL;
    uint64_t f = spin_lock_irqsave(&p->lock);
    *us = (uint32_t)(p->st.u.credit2.ratelimit_ns / 1000);
    spin_unlock_irqrestore(&p->lock, f);
    return 0;
}

int cpupool_set_ratelimit(struct cpupool *p, uint32_t us)
{
    if (p->pol != &sched_credit2)
        return -EINVAL;
    uint64_t f = spin_lock_irqsave(&p->lock);
    p->st.u.credit2.ratelimit_ns = (uint64_t)us * 1000;
    spin_unlock_irqrestore(&p->lock, f);
    return 0;
}
