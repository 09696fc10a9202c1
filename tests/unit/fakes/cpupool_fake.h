/*
 * core/cpupool.h for the hypercall world (fakes/cpupool_fake.c): pools in a
 * small table keeping the interface's contract (ids, pCPU ownership,
 * domains per pool, its error codes), policies credit2 and null by Xen's
 * ids, credit2's rate limit per pool. Pool 0 (credit2) holds every online
 * pCPU after a reset; a domain is in the pool fake_dom_pool[] says (0 for a
 * new one). The calls made are counted for the tests.
 */
#ifndef TESTS_UNIT_FAKES_CPUPOOL_FAKE_H
#define TESTS_UNIT_FAKES_CPUPOOL_FAKE_H

#include <core/cpupool.h>
#include "hypercall_fake.h"

#define FAKE_POOLS 16

/* A domain's pool id; CTL_FAKE_POOL_NONE: in none (domain_cpupool NULL). */
#define CTL_FAKE_POOL_NONE 0xffffffffU
extern uint32_t fake_dom_pool[FAKE_P2M_DOMS];
extern const struct sched_policy fake_policy_credit2, fake_policy_null;

struct fake_pool_calls {
    unsigned int create, destroy, assign, unassign, move;
};
extern struct fake_pool_calls fake_pool_calls;

/* Pool 0 of every online pCPU, no other pool, every domain in pool 0. */
void fake_cpupool_reset(void);

#endif
