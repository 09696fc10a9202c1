/*
 * The scheduling policies Cloison has, by Xen's name and id (sched= on the
 * command line, cpupool-sched in the device tree, the toolstack's sched_id).
 *
 * A policy whose file is not linked in is simply absent: the references
 * are weak, so a policy is added by adding its file to lib/ (null,
 * ARINC 653) and nothing here changes.
 */
#include <lib/sched_policy.h>
#include <string.h>

extern const struct sched_policy sched_null __attribute__((weak));
extern const struct sched_policy sched_arinc653 __attribute__((weak));

static const struct sched_policy *const policies[] = {&sched_credit2, &sched_null, &sched_arinc653};

const struct sched_policy *sched_policy_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++)
        if (policies[i] && !strcmp(policies[i]->name, name))
            return policies[i];
    return NULL;
}

const struct sched_policy *sched_policy_by_id(unsigned int xen_id)
{
    for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++)
        if (policies[i] && policies[i]->xen_id == xen_id)
            return policies[i];
    return NULL;
}
