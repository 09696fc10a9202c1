/* Xen guest ABI: XENVER_* (Xen 4.17 public/version.h). */
#ifndef PUBLIC_VERSION_H
#define PUBLIC_VERSION_H

#include <stdint.h>

#define XENVER_version 0
#define XENVER_extraversion 1
#define XENVER_compile_info 2
#define XENVER_capabilities 3
#define XENVER_changeset 4
#define XENVER_platform_parameters 5
#define XENVER_get_features 6
#define XENVER_pagesize 7
#define XENVER_guest_handle 8
#define XENVER_commandline 9
#define XENVER_build_id 10

typedef char xen_extraversion_t[16];
typedef char xen_capabilities_info_t[1024];
typedef char xen_changeset_info_t[64];
typedef char xen_commandline_t[1024];

struct xen_compile_info {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};
_Static_assert(sizeof(struct xen_compile_info) == 144, "xen_compile_info layout");

struct xen_platform_parameters {
    uint64_t virt_start; /* xen_ulong_t */
};
_Static_assert(sizeof(struct xen_platform_parameters) == 8, "platform_parameters layout");

struct xen_feature_info {
    uint32_t submap_idx;
    uint32_t submap;
};
_Static_assert(sizeof(struct xen_feature_info) == 8, "xen_feature_info layout");

/* XENFEAT_* bit numbers */
#define XENFEAT_writable_page_tables 0
#define XENFEAT_auto_translated_physmap 2
#define XENFEAT_supervisor_mode_kernel 3
#define XENFEAT_hvm_callback_vector 8
#define XENFEAT_hvm_safe_pvclock 9
#define XENFEAT_dom0 11
#define XENFEAT_memory_op_vnode_supported 13
#define XENFEAT_ARM_SMCCC_supported 14
#define XENFEAT_not_direct_mapped 16
#define XENFEAT_direct_mapped 17

#endif
