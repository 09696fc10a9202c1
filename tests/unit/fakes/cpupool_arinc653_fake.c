/*
 * core/cpupool.h's ARINC 653 schedule calls for the hypercall world, whose
 * one fake pool is credit2 (fakes/ctl_fake.c): no pool is an arinc653 one
 * (-EINVAL). The schedule op itself is tested on a pool of its own
 * (tests/unit/test_ctl_arinc653.c).
 */
#include <cloison/errno.h>
#include <core/cpupool.h>

int cpupool_arinc653_put(struct cpupool *p, const struct arinc653_schedule *s)
{
    (void)p;
    (void)s;
    return -EINVAL;
}

int cpupool_arinc653_get(struct cpupool *p, struct arinc653_schedule *s)
{
    (void)p;
    (void)s;
    return -EINVAL;
}
