/*
 * The host's topology as Xen 4.17 on ARM reports it (xl info -n, and libxl's
 * NUMA placement while it builds a domain, which fails the build if numainfo
 * fails).
 *
 * SYSCTL cputopoinfo (16): with a NULL array, the number of CPUs (the
 * highest present + 1); else one entry per CPU up to the array's size, core
 * 0, socket 0, node 0 each (Xen/ARM does not read the topology: its
 * cpu_to_core/cpu_to_socket are 0), and the count written back if it
 * differs from the caller's.
 *
 * SYSCTL numainfo (17): one node. With both arrays NULL, the count; else, up
 * to the caller's count, node 0's memory (bytes spanned by RAM, bytes free
 * for domains) and its distance to itself (20, Xen/ARM's), the count written
 * back if it differs. A copy fault ends the walk with -EFAULT (what was
 * written stays).
 */
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <cloison/percpu.h>
#include <xen/guest_copy.h>
#include <public/sysctl.h>
#include "ctl.h"

#define CTL_NR_NODES 1
#define NODE_DISTANCE 20 /* Xen/ARM without NUMA: __node_distance() */

int64_t sysctl_cputopoinfo(struct vcpu *v, struct xen_sysctl *op, bool *copyback)
{
    struct xen_sysctl_cputopoinfo *ti = &op->u.cputopoinfo;
    uint32_t n = nr_pcpus, i = n;
    if (ti->cputopo) {
        n = MIN(n, ti->num_cpus);
        const struct xen_sysctl_cputopo topo = {0, 0, 0}; /* every CPU present */
        for (i = 0; i < n; i++)
            if (copy_to_guest(v, ti->cputopo + (uint64_t)i * sizeof(topo), &topo, sizeof(topo)))
                return -EFAULT;
    }
    ti->num_cpus = i;
    *copyback = true;
    return 0;
}

/* Node 0: the RAM the banks span (holes included) and what domains may still take. */
static struct xen_sysctl_meminfo node0(void)
{
    const struct mem_range *banks;
    unsigned int nb = mm_ram_banks(&banks);
    uint64_t lo = UINT64_MAX, hi = 0;
    for (unsigned int i = 0; i < nb; i++) {
        lo = MIN(lo, banks[i].start);
        hi = MAX(hi, banks[i].start + banks[i].size);
    }
    size_t free = mm_free_pages(), reserve = mm_reserve_pages();
    struct xen_sysctl_meminfo m = {
        .memsize = hi > lo ? hi - lo : 0,
        .memfree = (uint64_t)(free > reserve ? free - reserve : 0) << PAGE_SHIFT,
    };
    return m;
}

int64_t sysctl_numainfo(struct vcpu *v, struct xen_sysctl *op, bool *copyback)
{
    struct xen_sysctl_numainfo *ni = &op->u.numainfo;
    uint32_t n = CTL_NR_NODES, i = n;
    if (ni->meminfo || ni->distance) {
        n = MIN(n, ni->num_nodes);
        for (i = 0; i < n; i++) { /* node i = 0 only */
            struct xen_sysctl_meminfo m = node0();
            uint32_t dist = NODE_DISTANCE;
            if (ni->meminfo && copy_to_guest(v, ni->meminfo, &m, sizeof(m)))
                return -EFAULT;
            if (ni->distance && copy_to_guest(v, ni->distance, &dist, sizeof(dist)))
                return -EFAULT;
        }
    }
    ni->num_nodes = i;
    *copyback = true;
    return 0;
}
