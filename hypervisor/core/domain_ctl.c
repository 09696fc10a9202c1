/*
 * The toolstack's pause, unpause (a toolstack domain's first unpause starts
 * it) and max_mem on one domain; moved out of core/domain.c, whose
 * lifecycle they only use.
 */
#include <core/domain.h>
#include <core/domain_ram.h>
#include <cloison/arch.h>
#include <cloison/errno.h>
#include <cloison/printk.h>
#include <core/sched.h>
#include <core/vcpu.h>

#include "domain_hooks.h"

int domain_ctl_pause(struct domain *d, const struct domain *caller)
{
    if (d == caller)
        return -EINVAL;
    spin_lock(&d->lock);
    int rc = d->state != DOM_RUNNING ? -EINVAL : d->ctl_pauses >= 255 ? -EOVERFLOW : 0;
    bool first = !rc && d->ctl_pauses++ == 0;
    spin_unlock(&d->lock);
    if (first)
        for (unsigned int i = 0; i < d->nr_vcpus; i++)
            sched_pause_vcpu(d->vcpus[i]);
    /* Synchronous, as Xen's: off every pCPU on return (a later pause
     * waits as well, for the first one's vCPUs still switching out). */
    if (!rc)
        for (unsigned int i = 0; i < d->nr_vcpus; i++)
            sched_wait_unloaded(d->vcpus[i]);
    return rc;
}

/* A toolstack domain's first unpause starts it: its RAM is final, the
 * parts start (no lock held), its virtual counter starts now. */
static int start_toolstack_domain(struct domain *d)
{
    int rc = domain_ram_seal(d);
    if (rc)
        return rc;
    domain_parts_start(d);
    d->cntvoff = arch_counter();
    printk("d%u: started by the toolstack: %lu KiB RAM, %u vCPU%s", d->id, domain_ram_pages(d) * 4,
           d->nr_vcpus, d->nr_vcpus > 1 ? "s" : "");
    return 0;
}

/* Toolstack operations on one domain are serialised by the domctl lock
 * (xen/hc_domctl.c), so the start below cannot race another unpause. */
int domain_ctl_unpause(struct domain *d, const struct domain *caller)
{
    if (d == caller)
        return -EINVAL;
    spin_lock(&d->lock);
    int rc = d->ctl_pauses == 0 ? -EINVAL : 0;
    bool start = !rc && d->ctl_pauses == 1 && !d->started;
    spin_unlock(&d->lock);
    if (start && (rc = start_toolstack_domain(d)) != 0)
        return rc;
    spin_lock(&d->lock);
    if (start)
        d->started = true;
    bool last = --d->ctl_pauses == 0;
    spin_unlock(&d->lock);
    if (last)
        for (unsigned int i = 0; i < d->nr_vcpus; i++)
            sched_unpause_vcpu(d->vcpus[i]);
    return rc;
}

void domain_set_max_pages(struct domain *d, uint64_t pages)
{
    __atomic_store_n(&d->max_pages, pages, __ATOMIC_RELAXED);
    __atomic_store_n(&d->max_pages_set, true, __ATOMIC_RELEASE);
}

uint64_t domain_max_pages(const struct domain *d)
{
    if (__atomic_load_n(&d->max_pages_set, __ATOMIC_ACQUIRE))
        return __atomic_load_n(&d->max_pages, __ATOMIC_RELAXED);
    return domain_ram_pages(d);
}
