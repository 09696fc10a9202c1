/*
 * What the null policy (lib/sched_null.c) shows beyond struct sched_policy:
 * which item owns each pCPU and which items wait for one, in order, for
 * the toolstack (xl vcpu-list) and the scheduler debug key. Read under the
 * pool's lock, as every policy call.
 */
#ifndef LIB_SCHED_NULL_H
#define LIB_SCHED_NULL_H

#include <lib/sched_policy.h>

/* The item that owns pCPU `cpu`, NULL if it is free (or out of range). */
struct sched_item *sched_null_owner(const struct sched_pool_state *p, unsigned int cpu);
/* The wait list, oldest first: for (it = first(p); it; it = next(it)). */
struct sched_item *sched_null_first_waiting(const struct sched_pool_state *p);
struct sched_item *sched_null_next_waiting(const struct sched_item *it);
/* The pCPU `it` owns, SCHED_NO_CPU while it waits, before its first wake,
 * or in no null pool. */
int sched_null_cpu_of(const struct sched_item *it);

#endif
