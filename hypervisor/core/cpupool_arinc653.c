/*
 * An arinc653 pool's schedule (core/cpupool.h): lib/sched_arinc653.c under
 * the pool's lock with the time now, then the kicks it asked for (the
 * schedule's pCPU starts the new major frame at once).
 */
#include <cloison/errno.h>
#include <core/cpupool.h>
#include <lib/sched_arinc653.h>
#include "sched_pool.h"

int cpupool_arinc653_put(struct cpupool *p, const struct arinc653_schedule *s)
{
    if (p->pol != &sched_arinc653)
        return -EINVAL;
    uint64_t kick = 0;
    uint64_t f = spin_lock_irqsave(&p->lock);
    bool ok = sched_arinc653_set(&p->st, s, sched_now_ns(), &kick);
    spin_unlock_irqrestore(&p->lock, f);
    if (!ok)
        return -EINVAL;
    sched_kick_mask(kick);
    return 0;
}

int cpupool_arinc653_get(struct cpupool *p, struct arinc653_schedule *s)
{
    if (p->pol != &sched_arinc653)
        return -EINVAL;
    uint64_t f = spin_lock_irqsave(&p->lock);
    sched_arinc653_get(&p->st, s);
    spin_unlock_irqrestore(&p->lock, f);
    return 0;
}
