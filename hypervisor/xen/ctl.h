/*
 * Private to hypervisor/xen/: the toolstack control interface (domctl,
 * sysctl). Each sub-op is a function in a table of hc_domctl.c or
 * hc_sysctl.c, called after the envelope's checks with the request copied
 * in whole; it fills the reply in place and says whether the envelope copies
 * it back (Xen copies back only for the commands that return something: a
 * domctl whenever the command says so, scheduler_op even when it fails; a
 * sysctl only on success).
 */
#ifndef XEN_CTL_H
#define XEN_CTL_H

#include <cloison/types.h>
#include <cloison/spinlock.h>
#include <public/domctl.h>
#include <public/sysctl.h>

struct domain;
struct vcpu;

/* Held across every domctl command (xen/hc_domctl.c), only ever tried. */
extern spinlock_t ctl_domctl_lock;

/* The id of d's pool (Xen's cpupool_get_id), CTL_POOL_NONE while it is in
 * none (ctl_cpupool.c). */
#define CTL_POOL_NONE 0xffffffffU
uint32_t ctl_domain_pool_id(const struct domain *d);

/* d as getdomaininfo describes it (Xen's getdomaininfo()), every field
 * written (padding zeroed); d referenced by the caller. */
void ctl_domain_info(const struct domain *d, struct xen_domctl_getdomaininfo *info);

/* Write an nbits-bit map (bytes, LSB first) to the guest's xenctl_bitmap as
 * Xen's bitmap_to_xenctl_bitmap: the bytes both sides hold, then zeroes up
 * to the guest's size. 0, -EFAULT, or -EINVAL for a guest map larger than
 * CTL_BITMAP_MAX_BITS (bounded work; libxc sends max_cpu_id + 1). */
#define CTL_BITMAP_MAX_BITS 32768u
int ctl_put_bitmap(struct vcpu *v, const struct xenctl_bitmap *b, const uint8_t *bytes,
                   unsigned int nbits);

/* Counter ticks v has run: its past slices and, while it is on a pCPU, the
 * one under way (Xen's vcpu_runstate_get), so a vCPU that runs alone and is
 * never switched out still shows its time growing. Unlocked: a statistic. */
uint64_t ctl_vcpu_ticks(const struct vcpu *v);

/* A domctl handler's "not finished": the envelope copies the request (as the
 * handler updated it) back to the caller and re-issues the call. */
#define CTL_CONTINUE 1

/* Pages d owns, as getdomaininfo's tot_pages reports them. */
uint64_t ctl_tot_pages(const struct domain *d);

/* Read a guest's xenctl_bitmap into a mask of nbits (<= 64) bits as Xen's
 * xenctl_bitmap_to_bitmap: the bytes both sides hold, the guest's bits past
 * its nr_bits cleared, whole bytes kept. 0 or -EFAULT. */
int ctl_get_mask(struct vcpu *v, const struct xenctl_bitmap *b, uint64_t *mask, unsigned int nbits);
/* Write mask's first nbits bits (the rest of its last byte clear), as
 * ctl_put_bitmap. */
int ctl_put_mask(struct vcpu *v, const struct xenctl_bitmap *b, uint64_t mask, unsigned int nbits);

/* Sub-ops. d: the domain named by xen_domctl.domain (for getdomaininfo the
 * first at or after it), referenced by the envelope, which holds the domctl
 * lock across each. CTL_CONTINUE: the envelope copies the request back and
 * issues the call again. */
typedef int64_t domctl_fn(struct vcpu *v, struct xen_domctl *op, struct domain *d, bool *copyback);
domctl_fn domctl_getdomaininfo;
domctl_fn domctl_createdomain;
domctl_fn domctl_destroydomain;
domctl_fn domctl_pausedomain;
domctl_fn domctl_unpausedomain;
domctl_fn domctl_max_vcpus;
domctl_fn domctl_max_mem;
domctl_fn domctl_setvcpucontext;
domctl_fn domctl_cacheflush;
domctl_fn domctl_vuart_op;
domctl_fn domctl_getvcpuinfo;      /* ctl_vcpuinfo.c */
domctl_fn domctl_vcpuaffinity;     /* ctl_affinity.c: set and get */
domctl_fn domctl_scheduler_op;     /* ctl_sched.c */
domctl_fn domctl_setdomainhandle;  /* ctl_handle.c */
domctl_fn domctl_setnodeaffinity;  /* ctl_nodeaffinity.c */
domctl_fn domctl_set_address_size; /* ctl_address_size.c */
domctl_fn domctl_paging_mempool;   /* ctl_paging_pool.c: get and set */

typedef int64_t sysctl_fn(struct vcpu *v, struct xen_sysctl *op, bool *copyback);
sysctl_fn sysctl_readconsole;  /* ctl_readconsole.c */
sysctl_fn sysctl_cputopoinfo;  /* ctl_topology.c */
sysctl_fn sysctl_numainfo;     /* ctl_topology.c */
sysctl_fn sysctl_scheduler_op; /* ctl_sched.c */
/* scheduler_op on an arinc653 pool, for ctl_sched.c's dispatch
 * (ctl_sched_arinc653.c). */
struct cpupool;
int64_t sysctl_arinc653_op(struct vcpu *v, struct xen_sysctl_scheduler_op *op, struct cpupool *p);
int64_t sysctl_getdomaininfolist(struct vcpu *v, struct xen_sysctl *op, bool *copyback);
int64_t sysctl_physinfo(struct vcpu *v, struct xen_sysctl *op, bool *copyback);
int64_t sysctl_cpupool_op(struct vcpu *v, struct xen_sysctl *op, bool *copyback);

#endif
