/* A table of pools behind core/cpupool.h (see cpupool_fake.h). */
#include <string.h>
#include <cloison/errno.h>
#include <cloison/percpu.h>
#include <core/domain.h>
#include <core/sched.h>
#include <public/sysctl.h>
#include "cpupool_fake.h"

struct cpupool {
    bool used;
    uint32_t id;
    const struct sched_policy *pol;
    uint64_t cpus;
    uint32_t ratelimit_us;
};

const struct sched_policy fake_policy_credit2 = {.name = "credit2",
                                                 .xen_id = XEN_SCHEDULER_CREDIT2};
const struct sched_policy fake_policy_null = {.name = "null", .xen_id = XEN_SCHEDULER_NULL};

uint32_t fake_dom_pool[FAKE_P2M_DOMS];
struct fake_pool_calls fake_pool_calls;
static struct cpupool pools[FAKE_POOLS];
static bool ready;

static uint64_t online(void)
{
    uint64_t m = 0;
    for (unsigned int i = 0; i < nr_pcpus; i++)
        if (pcpus[i].online)
            m |= 1ULL << i;
    return m;
}

void fake_cpupool_reset(void)
{
    memset(pools, 0, sizeof(pools));
    memset(fake_dom_pool, 0, sizeof(fake_dom_pool));
    memset(&fake_pool_calls, 0, sizeof(fake_pool_calls));
    pools[0] = (struct cpupool){true, 0, &fake_policy_credit2, online(), 1000};
    ready = true;
}

static void init(void)
{
    if (!ready)
        fake_cpupool_reset();
}

const struct sched_policy *sched_policy_by_name(const char *name)
{
    if (!strcmp(name, "credit2"))
        return &fake_policy_credit2;
    return !strcmp(name, "null") ? &fake_policy_null : NULL;
}

const struct sched_policy *sched_policy_by_id(unsigned int xen_id)
{
    if (xen_id == XEN_SCHEDULER_CREDIT2)
        return &fake_policy_credit2;
    return xen_id == XEN_SCHEDULER_NULL ? &fake_policy_null : NULL;
}

struct cpupool *cpupool_first_from(uint32_t id)
{
    init();
    struct cpupool *best = NULL;
    for (unsigned int i = 0; i < FAKE_POOLS; i++)
        if (pools[i].used && pools[i].id >= id && (!best || pools[i].id < best->id))
            best = &pools[i];
    return best;
}

struct cpupool *cpupool_by_id(uint32_t id)
{
    struct cpupool *p = cpupool_first_from(id);
    return p && p->id == id ? p : NULL;
}

struct cpupool *cpupool0(void)
{
    return cpupool_by_id(0);
}

int cpupool_create(uint32_t id, const struct sched_policy *pol, struct cpupool **out)
{
    init();
    fake_pool_calls.create++;
    if (id == CPUPOOL_ID_ANY) { /* Xen: the last id + 1 */
        id = 0;
        for (unsigned int i = 0; i < FAKE_POOLS; i++)
            if (pools[i].used && pools[i].id + 1 > id)
                id = pools[i].id + 1;
    }
    if (cpupool_by_id(id))
        return -EEXIST;
    for (unsigned int i = 0; i < FAKE_POOLS; i++) {
        if (pools[i].used)
            continue;
        pools[i] = (struct cpupool){true, id, pol, 0, 1000};
        *out = &pools[i];
        return 0;
    }
    return -ENOMEM;
}

int cpupool_destroy(struct cpupool *p)
{
    fake_pool_calls.destroy++;
    if (p->id == 0)
        return -EINVAL;
    if (p->cpus || cpupool_nr_domains(p))
        return -EBUSY;
    p->used = false;
    return 0;
}

int cpupool_assign_cpu(struct cpupool *p, unsigned int cpu)
{
    fake_pool_calls.assign++;
    if (cpu >= nr_pcpus || !pcpus[cpu].online)
        return -EINVAL;
    if (!(cpupool_free_cpus() & (1ULL << cpu)))
        return -EBUSY;
    p->cpus |= 1ULL << cpu;
    return 0;
}

int cpupool_unassign_cpu(struct cpupool *p, unsigned int cpu)
{
    fake_pool_calls.unassign++;
    if (cpu >= 64 || !(p->cpus & (1ULL << cpu)))
        return -EINVAL;
    if (p->cpus == 1ULL << cpu && cpupool_nr_domains(p))
        return -EBUSY;
    p->cpus &= ~(1ULL << cpu);
    return 0;
}

int cpupool_move_domain(struct domain *d, struct cpupool *to)
{
    fake_pool_calls.move++;
    if (fake_dom_pool[d->id] == to->id)
        return 0;
    if (!to->cpus)
        return -EBUSY;
    fake_dom_pool[d->id] = to->id;
    return 0;
}

uint32_t cpupool_id(const struct cpupool *p)
{
    return p->id;
}

const struct sched_policy *cpupool_policy(const struct cpupool *p)
{
    return p->pol;
}

/* core/sched.c's rule over the table: the online pCPUs of the domain's pool. */
uint64_t sched_domain_cpus(const struct domain *d)
{
    const struct cpupool *p = cpupool_by_id(fake_dom_pool[d->id]);
    return p ? p->cpus & online() : 0;
}

uint64_t cpupool_cpus(const struct cpupool *p)
{
    return p->cpus;
}

unsigned int cpupool_nr_domains(const struct cpupool *p)
{
    unsigned int n = 0;
    for (uint16_t i = 0; i < FAKE_P2M_DOMS; i++)
        n += fake_dom(i) && fake_dom_pool[i] == p->id;
    return n;
}

uint64_t cpupool_free_cpus(void)
{
    init();
    uint64_t used = 0;
    for (unsigned int i = 0; i < FAKE_POOLS; i++)
        if (pools[i].used)
            used |= pools[i].cpus;
    return online() & ~used;
}

struct cpupool *domain_cpupool(const struct domain *d)
{
    init();
    return fake_dom_pool[d->id] == CTL_FAKE_POOL_NONE ? NULL : cpupool_by_id(fake_dom_pool[d->id]);
}

int cpupool_get_ratelimit(struct cpupool *p, uint32_t *us)
{
    if (p->pol != &fake_policy_credit2)
        return -EINVAL;
    *us = p->ratelimit_us;
    return 0;
}

int cpupool_set_ratelimit(struct cpupool *p, uint32_t us)
{
    if (p->pol != &fake_policy_credit2)
        return -EINVAL;
    p->ratelimit_us = us;
    return 0;
}
