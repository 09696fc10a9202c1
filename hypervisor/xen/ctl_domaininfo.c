/*
 * What the toolstack sees of a domain (Xen's getdomaininfo): DOMCTL
 * getdomaininfo (one domain, "the first at or after this id") and SYSCTL
 * getdomaininfolist (all of them from an id on, in increasing id order),
 * which xl list, xenconsoled, oxenstored and the xl monitor walk.
 *
 * Cloison's states in Xen's terms: a domain that shut down and is being
 * destroyed (its on_* policy) is `shutdown` and `dying`; one preserved is
 * `shutdown`; the shutdown code is the latched reason, ~0 until one is given
 * (Xen's SHUTDOWN_CODE_INVALID, so bits 16..31 are all ones before); one
 * the toolstack destroyed without a shutdown is only `dying`. A vCPU is
 * online unless off (PSCI): a killed one stays online, neither blocked nor
 * running, like Xen's vCPUs paused for shutdown. `paused` is the toolstack's
 * pause count (pausedomain; 1 from createdomain to the first unpause).
 */
#include <cloison/arch.h>
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <core/domain.h>
#include <core/domain_ram.h>
#include <core/vcpu.h>
#include <xen/guest_copy.h>
#include <xen/xen_domain.h>
#include <xen/xen_memory.h>
#include <public/xen.h>
#include <string.h>
#include "ctl.h"

static uint64_t ticks_to_ns(uint64_t ticks)
{
    uint64_t f = arch_counter_freq();
    return (ticks / f) * 1000000000ULL + (ticks % f) * 1000000000ULL / f;
}

/* Flags from the vCPUs: blocked only if every online vCPU is, running if
 * any is on a pCPU; *online counts them. */
static uint32_t vcpu_flags(const struct domain *d, struct xen_domctl_getdomaininfo *info)
{
    uint32_t flags = XEN_DOMINF_blocked;
    uint64_t ticks = 0;
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        const struct vcpu *v = d->vcpus[i];
        if (!v)
            continue;
        /* Unlocked snapshots: the answer is stale as soon as it is sent. */
        enum vcpu_state st = __atomic_load_n(&v->state, __ATOMIC_RELAXED);
        ticks += ctl_vcpu_ticks(v);
        info->max_vcpu_id = i;
        if (st == VCPU_OFF)
            continue;
        if (st != VCPU_BLOCKED)
            flags &= ~XEN_DOMINF_blocked;
        if (__atomic_load_n(&v->loaded, __ATOMIC_RELAXED))
            flags |= XEN_DOMINF_running;
        info->nr_online_vcpus++;
    }
    info->cpu_time = ticks_to_ns(ticks);
    return info->nr_online_vcpus ? flags : 0;
}

uint64_t ctl_tot_pages(const struct domain *d)
{
    return d->xen ? xen_tot_pages(d) : domain_ram_pages(d);
}

void ctl_domain_info(const struct domain *d, struct xen_domctl_getdomaininfo *info)
{
    memset(info, 0, sizeof(*info));
    info->domain = d->id;
    info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
    uint32_t flags = vcpu_flags(d, info);
    enum domain_state st = __atomic_load_n(&d->state, __ATOMIC_ACQUIRE);
    shutdown_reason_t reason = __atomic_load_n(&d->shutdown_reason, __ATOMIC_RELAXED);
    flags |= XEN_DOMINF_hvm_guest | XEN_DOMINF_hap; /* every ARM guest */
    if (st != DOM_RUNNING && reason != SHUTDOWN_REASON_UNSET)
        flags |= XEN_DOMINF_shutdown;
    if (__atomic_load_n(&d->ctl_pauses, __ATOMIC_RELAXED))
        flags |= XEN_DOMINF_paused;
    if (st == DOM_DYING)
        flags |= XEN_DOMINF_dying;
    info->flags = flags | (uint32_t)(reason << XEN_DOMINF_shutdownshift);
    info->tot_pages = ctl_tot_pages(d);
    info->max_pages = domain_max_pages(d);
    if (d->xen && d->xen->shinfo) /* Xen/ARM: the machine frame */
        info->shared_info_frame = virt_to_phys(d->xen->shinfo) >> PAGE_SHIFT;
    memcpy(info->handle, d->handle, sizeof(info->handle));
    info->cpupool = ctl_domain_pool_id(d);
    info->gpaddr_bits = (uint8_t)p2m_ipa_bits();
}

/* d: the first domain at or after the id asked for (the envelope found it). */
int64_t domctl_getdomaininfo(struct vcpu *v, struct xen_domctl *op, struct domain *d,
                             bool *copyback)
{
    (void)v;
    ctl_domain_info(d, &op->u.getdomaininfo);
    op->domain = op->u.getdomaininfo.domain;
    *copyback = true;
    return 0;
}

/* One entry per domain from first_domain on, at most max_domains; the walk
 * ends with the domains. Each step finds the next listed id in O(1)
 * (core's id table, lib/idtab), so a list of N domains costs O(N). */
int64_t sysctl_getdomaininfolist(struct vcpu *v, struct xen_sysctl *op, bool *copyback)
{
    struct xen_sysctl_getdomaininfolist *l = &op->u.getdomaininfolist;
    struct xen_domctl_getdomaininfo info;
    uint32_t n = 0;
    uint16_t next = l->first_domain;
    while (n < l->max_domains && next < DOMID_FIRST_RESERVED) {
        struct domain *d = domain_get_next(next);
        if (!d)
            break;
        ctl_domain_info(d, &info);
        next = (uint16_t)(d->id + 1);
        domain_put(d);
        if (copy_to_guest(v, l->buffer + (uint64_t)n * sizeof(info), &info, sizeof(info)))
            return -EFAULT;
        n++;
    }
    l->num_domains = n;
    *copyback = true;
    return 0;
}
