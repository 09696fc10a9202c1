/*
 * What core/sched.c and core/cpupool.c share about pools (private to core/).
 *
 * Locks: pools_lock (cpupool.c) serialises changes to the set of pools and
 * to their pCPUs and domains; under it, a pool's lock guards its policy
 * state, the scheduling state of its vCPUs (state, pause count, item) and
 * which vCPU each of its pCPUs runs. Two pool locks: the lower id first.
 */
#ifndef CORE_SCHED_POOL_H
#define CORE_SCHED_POOL_H

#include <cloison/spinlock.h>
#include <core/cpupool.h>
#include <lib/sched_policy.h>

#define CPUPOOL_MAX 16

struct cpupool {
    uint32_t id;
    bool used;
    spinlock_t lock;
    const struct sched_policy *pol;
    unsigned int nr_domains; /* domains created in it (atomic) */
    struct sched_pool_state st;
};

extern struct cpupool cpupools[CPUPOOL_MAX];
extern spinlock_t pools_lock;

uint64_t sched_now_ns(void);
/* Kick every pCPU in mask (this one only marked: it passes through the
 * scheduler on its way out anyway). */
void sched_kick_mask(uint64_t mask);
/* Put a new pool to use (pools_lock held). */
void sched_pool_setup(struct cpupool *p, uint32_t id, const struct sched_policy *pol);
/* Every vCPU of d changes pool: paused and off every pCPU (the caller
 * waited), both pools' locks held. */
void sched_move_domain_locked(struct domain *d, struct cpupool *from, struct cpupool *to);

#endif
