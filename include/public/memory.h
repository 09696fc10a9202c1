/* Xen guest ABI: memory_op (Xen 4.17 public/memory.h). */
#ifndef PUBLIC_MEMORY_H
#define PUBLIC_MEMORY_H

#include <stddef.h>
#include <stdint.h>

#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_maximum_ram_page 2
#define XENMEM_current_reservation 3
#define XENMEM_maximum_reservation 4
#define XENMEM_populate_physmap 6
#define XENMEM_add_to_physmap 7
#define XENMEM_memory_map 9
#define XENMEM_machine_memory_map 10
#define XENMEM_maximum_gpfn 14
#define XENMEM_remove_from_physmap 15
#define XENMEM_get_sharing_freed_pages 18
#define XENMEM_get_sharing_shared_pages 19
#define XENMEM_add_to_physmap_batch 23
#define XENMEM_claim_pages 24
#define XENMEM_get_vnumainfo 26
#define XENMEM_acquire_resource 28

/* cmd bits [63:6] carry a continuation's start extent. */
#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK ((1U << MEMOP_EXTENT_SHIFT) - 1)

struct xen_memory_reservation {
    uint64_t extent_start; /* guest handle: array of xen_pfn_t */
    uint64_t nr_extents;
    uint32_t extent_order;
    uint32_t mem_flags;
    uint16_t domid;
    uint16_t pad[3];
};
_Static_assert(sizeof(struct xen_memory_reservation) == 32, "memory_reservation layout");
_Static_assert(offsetof(struct xen_memory_reservation, domid) == 24, "memory_reservation layout");

#define XENMAPSPACE_shared_info 0
#define XENMAPSPACE_grant_table 1
#define XENMAPSPACE_gmfn 2
#define XENMAPSPACE_gmfn_range 3
#define XENMAPSPACE_gmfn_foreign 4
#define XENMAPSPACE_dev_mmio 5

struct xen_add_to_physmap {
    uint16_t domid;
    uint16_t size; /* gmfn_range only */
    uint32_t space;
    uint64_t idx;
    uint64_t gpfn;
};
_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "add_to_physmap layout");
_Static_assert(offsetof(struct xen_add_to_physmap, gpfn) == 16, "add_to_physmap layout");

struct xen_remove_from_physmap {
    uint16_t domid;
    uint16_t pad[3];
    uint64_t gpfn;
};
_Static_assert(sizeof(struct xen_remove_from_physmap) == 16, "remove_from_physmap layout");

/* maximum_gpfn, current/maximum_reservation take a domid_t. */
struct xen_memory_domid {
    uint16_t domid;
};

struct xen_add_to_physmap_batch {
    uint16_t domid;
    uint16_t space;
    uint16_t size;
    uint16_t foreign_domid;
    uint64_t idxs;  /* handle: xen_ulong_t[size] */
    uint64_t gpfns; /* handle: xen_pfn_t[size] */
    uint64_t errs;  /* handle: int[size] OUT */
};
_Static_assert(sizeof(struct xen_add_to_physmap_batch) == 32, "add_to_physmap_batch layout");

/*
 * acquire_resource (28): map frames of a resource of another domain at the
 * caller's GFNs (frame_list IN), or with frame_list NULL and nr_frames 0,
 * learn the resource's size (nr_frames OUT).
 */
#define XENMEM_resource_ioreq_server 0
#define XENMEM_resource_grant_table 1
#define XENMEM_resource_vmtrace_buf 2
#define XENMEM_resource_grant_table_id_shared 0
#define XENMEM_resource_grant_table_id_status 1
struct xen_mem_acquire_resource {
    uint16_t domid;
    uint16_t type; /* XENMEM_resource_* */
    uint32_t id;
    uint32_t nr_frames;
    uint32_t pad;        /* must be 0 */
    uint64_t frame;      /* the first frame of the resource wanted */
    uint64_t frame_list; /* guest handle: xen_pfn_t[nr_frames] */
};
_Static_assert(sizeof(struct xen_mem_acquire_resource) == 32, "acquire_resource layout");
_Static_assert(offsetof(struct xen_mem_acquire_resource, frame) == 16, "acquire_resource layout");
_Static_assert(offsetof(struct xen_mem_acquire_resource, frame_list) == 24,
               "acquire_resource layout");

#endif
