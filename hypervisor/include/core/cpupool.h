/*
 * CPU pools: a partition of the pCPUs, each part with its own scheduling
 * policy (lib/sched_policy.h) and its own domains. A domain runs only on
 * its pool's pCPUs; a pCPU is in at most one pool (or free). Pool 0 holds
 * the boot pCPU. Every pCPU comes up in pool 0; the device tree's pools
 * then take theirs, with Xen's ids (boot/cpupool_dt.c: the pCPUs no pool
 * node claims form one more pool, which is pool 0 only if the boot pCPU is
 * among them).
 *
 * Boot-time pools come from the device tree (Xen's xen,cpupool binding,
 * boot/), run-time ones from the toolstack (SYSCTL cpupool_op, xen/). Both
 * go through this interface, implemented beside the scheduler (core/), which
 * serialises every change.
 */
#ifndef CLOISON_CORE_CPUPOOL_H
#define CLOISON_CORE_CPUPOOL_H

#include <cloison/types.h>
#include <lib/sched_policy.h>

struct cpupool;
struct domain;

#define CPUPOOL_ID_ANY 0xffffffffU /* Xen's XEN_SYSCTL_CPUPOOL_PAR_ANY: the lowest free id */

/* A new pool with no pCPU and no domain. 0; -EEXIST (id taken), -ENOMEM. */
int cpupool_create(uint32_t id, const struct sched_policy *pol, struct cpupool **out);
/* 0; -EBUSY while it has domains or pCPUs; pool 0 -EINVAL. */
int cpupool_destroy(struct cpupool *p);
/* A free pCPU joins p. 0; -EBUSY if it is in a pool, -EINVAL if offline. */
int cpupool_assign_cpu(struct cpupool *p, unsigned int cpu);
/* A pCPU of p becomes free, its vCPUs moved to the pool's other pCPUs
 * first. 0; -EBUSY (last pCPU of a pool with domains), -EINVAL (not in p). */
int cpupool_unassign_cpu(struct cpupool *p, unsigned int cpu);
/* Every vCPU of d leaves its pool for `to` (running ones at their next
 * switch). 0; -EBUSY (to has no pCPU). */
int cpupool_move_domain(struct domain *d, struct cpupool *to);

struct cpupool *cpupool_by_id(uint32_t id);      /* NULL if none */
struct cpupool *cpupool_first_from(uint32_t id); /* lowest id >= id, NULL if none (SYSCTL INFO) */
struct cpupool *cpupool0(void);
uint32_t cpupool_id(const struct cpupool *p);
const struct sched_policy *cpupool_policy(const struct cpupool *p);
uint64_t cpupool_cpus(const struct cpupool *p);
unsigned int cpupool_nr_domains(const struct cpupool *p);
uint64_t cpupool_free_cpus(void); /* online pCPUs in no pool */

/* An arinc653 pool's schedule (lib/sched_arinc653.h), under the pool's lock.
 * put: s in force at once (a new major frame starts now); -EINVAL if s
 * breaks Xen's rules or p is not an arinc653 pool. get: 0, or -EINVAL. */
struct arinc653_schedule;

/* Each null pool's pCPU owners and the vCPUs waiting for one, in order
 * (printk, for the debug key 'r'). */
void cpupool_dump_null(void);
int cpupool_arinc653_put(struct cpupool *p, const struct arinc653_schedule *s);
int cpupool_arinc653_get(struct cpupool *p, struct arinc653_schedule *s);
/* credit2's rate limit in the pool (SYSCTL scheduler_op), in us: 0 = none.
 * -EINVAL if p's policy has none. */
int cpupool_get_ratelimit(struct cpupool *p, uint32_t *us);
int cpupool_set_ratelimit(struct cpupool *p, uint32_t us);
/* The pool a domain is in (core/sched.h): domain_cpupool(d). */

#endif
