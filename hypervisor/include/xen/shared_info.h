/* shared_info / vcpu_info placement in guest memory (xen/shared_info.c). */
#ifndef CLOISON_SHARED_INFO_H
#define CLOISON_SHARED_INFO_H
#include <cloison/types.h>
struct domain;
struct vcpu;

/* XENMAPSPACE_shared_info: map the page at gfn; -EBUSY if mapped elsewhere. */
int xen_map_shared_info(struct domain *d, uint64_t gfn);
/* XENMEM_remove_from_physmap: -ENOENT when nothing removable is there. Takes
 * the domain's mem_lock; the _locked form is for callers holding it. */
int xen_remove_from_physmap(struct domain *d, uint64_t gfn);
int xen_remove_from_physmap_locked(struct domain *d, uint64_t gfn);
/* VCPUOP_register_vcpu_info for vCPU `vcpu` of the caller's domain. */
int xen_register_vcpu_info(struct vcpu *caller, unsigned int vcpu, uint64_t gfn, uint32_t offset);
#endif
