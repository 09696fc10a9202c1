/*
 * Xen guest ABI: grant tables, version 1 (Xen 4.17 public/grant_table.h, the
 * part ARM implements; transcribed from the documented ABI). Shared by the
 * hypervisor, the test guests and tools. Little-endian.
 */
#ifndef PUBLIC_GRANT_TABLE_H
#define PUBLIC_GRANT_TABLE_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;

/* One v1 entry: the granter writes frame and domid, then flags. */
struct grant_entry_v1 {
    uint16_t flags;
    uint16_t domid; /* the domain allowed to use the grant */
    uint32_t frame; /* GFN of the granting domain */
};
_Static_assert(sizeof(struct grant_entry_v1) == 8, "grant_entry_v1 layout");
_Static_assert(offsetof(struct grant_entry_v1, frame) == 4, "grant_entry_v1 layout");

#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE 0
#define GNTTAB_RESERVED_XENSTORE 1

#define GTF_invalid 0
#define GTF_permit_access 1
#define GTF_accept_transfer 2
#define GTF_transitive 3
#define GTF_type_mask 3
#define GTF_readonly (1U << 2)
#define GTF_reading (1U << 3)
#define GTF_writing (1U << 4)
#define GTF_PWT (1U << 5)
#define GTF_PCD (1U << 6)
#define GTF_PAT (1U << 7)
#define GTF_sub_page (1U << 8)

#define GNTTABOP_map_grant_ref 0
#define GNTTABOP_unmap_grant_ref 1
#define GNTTABOP_setup_table 2
#define GNTTABOP_dump_table 3
#define GNTTABOP_transfer 4
#define GNTTABOP_copy 5
#define GNTTABOP_query_size 6
#define GNTTABOP_unmap_and_replace 7
#define GNTTABOP_set_version 8
#define GNTTABOP_get_status_frames 9
#define GNTTABOP_get_version 10
#define GNTTABOP_swap_grant_ref 11
#define GNTTABOP_cache_flush 12

/* cmd bits above 11 carry a continuation argument (cache_flush only). */
#define GNTTABOP_CONTINUATION_ARG_SHIFT 12
#define GNTTABOP_CMD_MASK ((1U << GNTTABOP_CONTINUATION_ARG_SHIFT) - 1)

#define GNTMAP_device_map (1U << 0)
#define GNTMAP_host_map (1U << 1)
#define GNTMAP_readonly (1U << 2)
#define GNTMAP_application_map (1U << 3)
#define GNTMAP_contains_pte (1U << 4)

#define GNTST_okay 0
#define GNTST_general_error (-1)
#define GNTST_bad_domain (-2)
#define GNTST_bad_gntref (-3)
#define GNTST_bad_handle (-4)
#define GNTST_bad_virt_addr (-5)
#define GNTST_bad_dev_addr (-6)
#define GNTST_no_device_space (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page (-9)
#define GNTST_bad_copy_arg (-10)
#define GNTST_address_too_big (-11)
#define GNTST_eagain (-12)
#define GNTST_no_space (-13)

struct gnttab_map_grant_ref {
    uint64_t host_addr; /* ARM: an IPA of the caller */
    uint32_t flags;
    grant_ref_t ref;
    uint16_t dom;
    int16_t status;        /* OUT */
    grant_handle_t handle; /* OUT */
    uint64_t dev_bus_addr; /* OUT: host physical address */
};
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32, "map_grant_ref layout");
_Static_assert(offsetof(struct gnttab_map_grant_ref, dom) == 16, "map_grant_ref layout");
_Static_assert(offsetof(struct gnttab_map_grant_ref, status) == 18, "map_grant_ref layout");
_Static_assert(offsetof(struct gnttab_map_grant_ref, handle) == 20, "map_grant_ref layout");
_Static_assert(offsetof(struct gnttab_map_grant_ref, dev_bus_addr) == 24, "map_grant_ref layout");

struct gnttab_unmap_grant_ref {
    uint64_t host_addr;
    uint64_t dev_bus_addr;
    grant_handle_t handle;
    int16_t status; /* OUT */
};
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24, "unmap_grant_ref layout");
_Static_assert(offsetof(struct gnttab_unmap_grant_ref, handle) == 16, "unmap_grant_ref layout");
_Static_assert(offsetof(struct gnttab_unmap_grant_ref, status) == 20, "unmap_grant_ref layout");

struct gnttab_setup_table {
    uint16_t dom;
    uint32_t nr_frames;
    int16_t status;      /* OUT */
    uint64_t frame_list; /* handle: xen_pfn_t[nr_frames] OUT */
};
_Static_assert(sizeof(struct gnttab_setup_table) == 24, "setup_table layout");
_Static_assert(offsetof(struct gnttab_setup_table, nr_frames) == 4, "setup_table layout");
_Static_assert(offsetof(struct gnttab_setup_table, status) == 8, "setup_table layout");
_Static_assert(offsetof(struct gnttab_setup_table, frame_list) == 16, "setup_table layout");

struct gnttab_transfer {
    uint64_t mfn;
    uint16_t domid;
    grant_ref_t ref;
    int16_t status; /* OUT */
};
_Static_assert(sizeof(struct gnttab_transfer) == 24, "transfer layout");
_Static_assert(offsetof(struct gnttab_transfer, status) == 16, "transfer layout");

struct gnttab_copy_ptr {
    union {
        grant_ref_t ref;
        uint64_t gmfn;
    } u;
    uint16_t domid;
    uint16_t offset;
};
_Static_assert(sizeof(struct gnttab_copy_ptr) == 16, "copy_ptr layout");

#define GNTCOPY_source_gref (1U << 0)
#define GNTCOPY_dest_gref (1U << 1)

struct gnttab_copy {
    struct gnttab_copy_ptr source;
    struct gnttab_copy_ptr dest;
    uint16_t len;
    uint16_t flags;
    int16_t status; /* OUT */
};
_Static_assert(sizeof(struct gnttab_copy) == 40, "copy layout");
_Static_assert(offsetof(struct gnttab_copy, dest) == 16, "copy layout");
_Static_assert(offsetof(struct gnttab_copy, len) == 32, "copy layout");
_Static_assert(offsetof(struct gnttab_copy, flags) == 34, "copy layout");
_Static_assert(offsetof(struct gnttab_copy, status) == 36, "copy layout");

struct gnttab_query_size {
    uint16_t dom;
    uint32_t nr_frames;     /* OUT */
    uint32_t max_nr_frames; /* OUT */
    int16_t status;         /* OUT */
};
_Static_assert(sizeof(struct gnttab_query_size) == 16, "query_size layout");
_Static_assert(offsetof(struct gnttab_query_size, nr_frames) == 4, "query_size layout");
_Static_assert(offsetof(struct gnttab_query_size, max_nr_frames) == 8, "query_size layout");
_Static_assert(offsetof(struct gnttab_query_size, status) == 12, "query_size layout");

struct gnttab_unmap_and_replace {
    uint64_t host_addr;
    uint64_t new_addr;
    grant_handle_t handle;
    int16_t status; /* OUT */
};
_Static_assert(sizeof(struct gnttab_unmap_and_replace) == 24, "unmap_and_replace layout");
_Static_assert(offsetof(struct gnttab_unmap_and_replace, status) == 20, "unmap_and_replace");

struct gnttab_set_version {
    uint32_t version; /* IN/OUT */
};
_Static_assert(sizeof(struct gnttab_set_version) == 4, "set_version layout");

struct gnttab_get_status_frames {
    uint32_t nr_frames;
    uint16_t dom;
    int16_t status;      /* OUT */
    uint64_t frame_list; /* handle: uint64_t[nr_frames] OUT */
};
_Static_assert(sizeof(struct gnttab_get_status_frames) == 16, "get_status_frames layout");
_Static_assert(offsetof(struct gnttab_get_status_frames, status) == 6, "get_status_frames");

struct gnttab_get_version {
    uint16_t dom;
    uint16_t pad;
    uint32_t version; /* OUT */
};
_Static_assert(sizeof(struct gnttab_get_version) == 8, "get_version layout");

struct gnttab_swap_grant_ref {
    grant_ref_t ref_a;
    grant_ref_t ref_b;
    int16_t status; /* OUT */
};
_Static_assert(sizeof(struct gnttab_swap_grant_ref) == 12, "swap_grant_ref layout");

#define GNTTAB_CACHE_CLEAN (1U << 0)
#define GNTTAB_CACHE_INVAL (1U << 1)
#define GNTTAB_CACHE_SOURCE_GREF (1U << 31)

struct gnttab_cache_flush {
    union {
        uint64_t dev_bus_addr;
        grant_ref_t ref;
    } a;
    uint16_t offset;
    uint16_t length;
    uint32_t op;
};
_Static_assert(sizeof(struct gnttab_cache_flush) == 16, "cache_flush layout");
_Static_assert(offsetof(struct gnttab_cache_flush, offset) == 8, "cache_flush layout");
_Static_assert(offsetof(struct gnttab_cache_flush, op) == 12, "cache_flush layout");

/* XENMEM_add_to_physmap idx bit selecting a v2 status frame. */
#define XENMAPIDX_grant_table_status 0x80000000U

#endif
