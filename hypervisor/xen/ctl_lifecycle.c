/*
 * The toolstack's domain lifecycle (Xen 4.17 domctls, libxl's order):
 * createdomain (paused, no RAM, vCPUs down), max_vcpus, max_mem,
 * pausedomain / unpausedomain (the first unpause starts a new domain),
 * destroydomain. The domain itself lives in core (core/domain.c); this file
 * checks the toolstack's arguments as Xen does and translates.
 *
 * Error codes follow Xen 4.17's sanitise_domain_config and
 * arch_sanitise_domain_config (xen-toolstack-abi.md §4.1.2).
 */
#include <cloison/errno.h>
#include <core/cpupool.h>
#include <core/domain.h>
#include <core/domain_cfg.h>
#include <core/vcpu.h>
#include <drivers/irqchip.h>
#include <xen/xen_domain.h>
#include <public/xen.h>
#include <string.h>
#include "ctl.h"

#define ALL_CDF                                                                 \
    (XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap | XEN_DOMCTL_CDF_s3_integrity |    \
     XEN_DOMCTL_CDF_oos_off | XEN_DOMCTL_CDF_xs_domain | XEN_DOMCTL_CDF_iommu | \
     XEN_DOMCTL_CDF_nested_virt | XEN_DOMCTL_CDF_vpmu)
#define DEFAULT_GRANT_FRAMES 64
#define DEFAULT_MAPTRACK_FRAMES 1024
#define MAX_SPIS 988 /* INTIDs 32..1019 */

/* Xen's version number for the host GIC (1 = v2, 2 = v3). */
static uint8_t host_gic(void)
{
    return irqchip_info()->version == GIC_V3 ? XEN_DOMCTL_CONFIG_GIC_V3 : XEN_DOMCTL_CONFIG_GIC_V2;
}

/* sanitise_domain_config: the common checks, in Xen's order. */
static int check_common(const struct xen_domctl_createdomain *c)
{
    if (c->flags & ~ALL_CDF)
        return -EINVAL;
    /* ARM guests are HVM containers with HAP; Cloison has no IOMMU and
     * offers no vPMU, so those flags ask for what is not there. */
    if ((c->flags & ~(XEN_DOMCTL_CDF_iommu | XEN_DOMCTL_CDF_vpmu)) !=
        (XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap))
        return -EINVAL;
    if (c->flags & (XEN_DOMCTL_CDF_iommu | XEN_DOMCTL_CDF_vpmu))
        return -EINVAL;
    if (c->iommu_opts)
        return -EINVAL;
    if (c->max_vcpus < 1 || c->vmtrace_size)
        return -EINVAL;
    if (c->max_grant_frames != -1 &&
        (c->max_grant_frames < 1 || c->max_grant_frames > DEFAULT_GRANT_FRAMES))
        return -EINVAL;
    if (c->max_maptrack_frames != -1 &&
        (c->max_maptrack_frames < 0 || c->max_maptrack_frames > DEFAULT_MAPTRACK_FRAMES))
        return -EINVAL;
    uint32_t gver = c->grant_opts & XEN_DOMCTL_GRANT_version_mask;
    if ((c->grant_opts & ~XEN_DOMCTL_GRANT_version_mask) || gver != 1)
        return -EINVAL; /* version 0, or v2 (Cloison serves v1 only, as PHYSCAP says) */
    return 0;
}

/* arch_sanitise_domain_config. */
static int check_arch(struct xen_domctl_createdomain *c)
{
    if (c->max_vcpus > DOMAIN_MAX_VCPUS)
        return -EINVAL;
    if (c->arch.gic_version == XEN_DOMCTL_CONFIG_GIC_NATIVE)
        c->arch.gic_version = host_gic();
    else if (c->arch.gic_version != host_gic())
        return -EOPNOTSUPP;
    if (c->arch.tee_type != XEN_DOMCTL_CONFIG_TEE_NONE)
        return -EINVAL;
    if (c->arch.nr_spis > MAX_SPIS)
        return -EINVAL;
    return 0;
}

/* sched_init_domain's cpupool_add_domain: no such pool -ESRCH, a pool
 * without pCPUs -ENODEV (checked before the domain exists; the domctl lock
 * keeps the pool as it is until the domain is in it). */
static int check_pool(uint32_t id, struct cpupool **pool)
{
    *pool = cpupool_by_id(id);
    if (!*pool)
        return -ESRCH;
    return cpupool_cpus(*pool) ? 0 : -ENODEV;
}

int64_t domctl_createdomain(struct vcpu *v, struct xen_domctl *op, struct domain *unused,
                            bool *copyback)
{
    (void)v, (void)unused;
    struct xen_domctl_createdomain *c = &op->u.createdomain;
    int rc = check_common(c);
    if (!rc)
        rc = check_arch(c);
    if (rc)
        return rc;
    struct cpupool *pool;
    struct domain_cfg cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.toolstack = true;
    /* An id in 1..0x7FEF is asked for; anything else (libxl sends 0xFFFF)
     * takes the rover's next, as Xen. */
    if (op->domain > 0 && op->domain < DOMID_FIRST_RESERVED) {
        struct domain *old = domain_get(op->domain);
        if (old) {
            domain_put(old);
            return -EEXIST;
        }
        cfg.domid = op->domain;
    }
    if ((rc = check_pool(c->cpupool_id, &pool)) != 0)
        return rc;
    cfg.cpupool_id = c->cpupool_id;
    cfg.vcpus = c->max_vcpus;
    cfg.enhanced = XEN_ENHANCED_ENABLED;
    uint64_t ports = (uint64_t)c->max_evtchn_port + 1;
    cfg.event_channels = (uint32_t)MIN(ports, (uint64_t)DOMCFG_MAX_EVENT_CHANNELS);
    cfg.nr_spis = ALIGN_UP(c->arch.nr_spis, 32);
    struct domain *d = domain_create(&cfg);
    if (!d)
        return -ENOMEM;
    if (pool != cpupool0() && (rc = cpupool_move_domain(d, pool)) != 0) {
        domain_discard(d);
        return rc;
    }
    domain_publish_paused(d);
    op->domain = d->id;
    c->arch.clock_frequency = 0; /* the host's timer node gives none: the guest reads CNTFRQ */
    *copyback = true;
    return 0;
}

int64_t domctl_destroydomain(struct vcpu *v, struct xen_domctl *op, struct domain *d,
                             bool *copyback)
{
    (void)op, (void)copyback;
    return domain_ctl_destroy(d, v->domain);
}

int64_t domctl_pausedomain(struct vcpu *v, struct xen_domctl *op, struct domain *d, bool *copyback)
{
    (void)op, (void)copyback;
    return domain_ctl_pause(d, v->domain);
}

int64_t domctl_unpausedomain(struct vcpu *v, struct xen_domctl *op, struct domain *d,
                             bool *copyback)
{
    (void)op, (void)copyback;
    return domain_ctl_unpause(d, v->domain);
}

/* The vCPUs exist from createdomain (its max_vcpus): this only confirms. */
int64_t domctl_max_vcpus(struct vcpu *v, struct xen_domctl *op, struct domain *d, bool *copyback)
{
    (void)copyback;
    if (d == v->domain || op->u.max_vcpus.max != d->nr_vcpus)
        return -EINVAL;
    return 0;
}

int64_t domctl_max_mem(struct vcpu *v, struct xen_domctl *op, struct domain *d, bool *copyback)
{
    (void)v, (void)copyback;
    /* Xen: max_pages = KiB / 4, no other check; may be below what the
     * domain has (then it cannot grow). */
    domain_set_max_pages(d, op->u.max_mem.max_memkb >> (PAGE_SHIFT - 10));
    return 0;
}
