/*
 * Core's domain lifecycle under the toolstack's domctls (core/domain.c,
 * core/domain_ram_alloc.c, core/sched.c), for the hypercall world: domains
 * come from fake_domain(), pauses are a count, populate maps fresh pages.
 * What the decoders asked for is left in fake_ctl for the tests.
 */
#include <stdlib.h>
#include <string.h>
#include <cloison/arch.h>
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <core/cpupool.h>
#include <core/domain.h>
#include <core/domain_ram.h>
#include <core/sched.h>
#include <core/vcpu.h>
#include <asm/cpu.h>
#include <drivers/irqchip.h>
#include "hypercall_fake.h"
#include "cpupool_fake.h"
#include "p2m_fake.h"

struct fake_ctl fake_ctl;

const struct irqchip_info *irqchip_info(void)
{
    static const struct irqchip_info gic = {.version = GIC_V3};
    return &gic;
}

struct domain *domain_create(const struct domain_cfg *cfg)
{
    uint16_t id = cfg->domid;
    for (uint16_t i = 1; !id && i < FAKE_P2M_DOMS; i++)
        if (!fake_dom(i))
            id = i;
    if (!id || fake_dom(id))
        return NULL;
    struct domain *d = fake_domain(id, FAKE_XEN, cfg->vcpus);
    d->cfg = *cfg;
    d->shutdown_reason = SHUTDOWN_REASON_UNSET;
    d->max_pages_set = true;
    fake_ctl.created++;
    fake_dom_pool[id] = 0; /* core makes every domain in Pool-0 */
    return d;
}

void domain_discard(struct domain *d)
{
    fake_ctl.discarded++;
    fake_domain_free(d);
}

void domain_publish_paused(struct domain *d)
{
    d->ctl_pauses = 1;
}

int domain_ctl_pause(struct domain *d, const struct domain *caller)
{
    if (d == caller || d->state != DOM_RUNNING)
        return -EINVAL;
    if (d->ctl_pauses >= 255)
        return -EOVERFLOW;
    d->ctl_pauses++;
    return 0;
}

int domain_ctl_unpause(struct domain *d, const struct domain *caller)
{
    if (d == caller || !d->ctl_pauses)
        return -EINVAL;
    if (--d->ctl_pauses == 0)
        d->started = true;
    return 0;
}

int domain_ctl_destroy(struct domain *d, const struct domain *caller)
{
    if (d == caller)
        return -EINVAL;
    d->state = DOM_DYING;
    d->ctl_destroyed = true;
    return 0;
}

void domain_set_max_pages(struct domain *d, uint64_t pages)
{
    d->max_pages = pages;
    d->max_pages_set = true;
}

uint64_t domain_max_pages(const struct domain *d)
{
    return d->max_pages_set ? d->max_pages : domain_ram_pages(d);
}

int domain_ram_populate(struct domain *d, uint64_t gfn, unsigned int order)
{
    (void)d, (void)gfn, (void)order;
    fake_ctl.populated++;
    return -ENOMEM;
}

void arch_vcpu_reset(struct vcpu_arch *a, unsigned int id, uint64_t pc, uint64_t x0)
{
    (void)id;
    memset(a, 0, sizeof(*a));
    a->regs.elr = pc;
    a->regs.x[0] = x0;
}

void sched_set_online(struct vcpu *v, bool online)
{
    v->state = online ? VCPU_RUNNABLE : VCPU_OFF;
}

void arch_dcache_clean_inval_range(const void *p, size_t len)
{
    (void)p;
    fake_ctl.flushed_bytes += len;
}

void arch_icache_invalidate_all(void)
{
    fake_ctl.icache_flushes++;
}

/* The host CPU's features the control interface asks about (arch/arm64/cpu.c):
 * tests may clear el1_aarch32 to see a CPU without 32-bit guests. */
struct cpu_caps cpu_caps = {.el1_aarch32 = true};

/* Scheduler parameters (core/sched.c): weight and cap kept in the domain as
 * the framework does (the pools: fakes/cpupool_fake.c). */
int sched_set_dom_params(struct domain *d, uint16_t weight, uint16_t cap)
{
    d->sched.weight = weight;
    d->sched.cap = cap;
    return 0;
}
