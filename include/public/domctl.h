/*
 * Xen toolstack ABI: domctl (hypercall 36), Xen 4.17 public/domctl.h at
 * interface version 0x15, the parts Cloison serves. Layouts as Xen 4.17's
 * headers compile for arm64 (handles 8 bytes, 64-bit fields 8-aligned);
 * docs: shared/docs/xen-toolstack-abi.md §2.3 and §4.1.
 */
#ifndef PUBLIC_DOMCTL_H
#define PUBLIC_DOMCTL_H

#include <stddef.h>
#include <stdint.h>

#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015

#define XEN_DOMCTL_createdomain 1
#define XEN_DOMCTL_destroydomain 2
#define XEN_DOMCTL_pausedomain 3
#define XEN_DOMCTL_unpausedomain 4
#define XEN_DOMCTL_getdomaininfo 5

/* The arm part of the domain configuration (4.17: no sve_vl yet). */
struct xen_arch_domainconfig {
    uint8_t gic_version;
    uint8_t pad;
    uint16_t tee_type;
    uint32_t nr_spis;
    uint32_t clock_frequency;
};
_Static_assert(sizeof(struct xen_arch_domainconfig) == 12, "arch_domainconfig layout");

/* getdomaininfo flags: bits 0..8, the shutdown code in bits 16..23. */
#define XEN_DOMINF_dying (1u << 0)
#define XEN_DOMINF_hvm_guest (1u << 1)
#define XEN_DOMINF_shutdown (1u << 2)
#define XEN_DOMINF_paused (1u << 3)
#define XEN_DOMINF_blocked (1u << 4)
#define XEN_DOMINF_running (1u << 5)
#define XEN_DOMINF_debugged (1u << 6)
#define XEN_DOMINF_xs_domain (1u << 7)
#define XEN_DOMINF_hap (1u << 8)
#define XEN_DOMINF_shutdownshift 16
#define XEN_DOMINF_shutdownmask 255
#define XEN_INVALID_MAX_VCPU_ID (~0u)

struct xen_domctl_getdomaininfo {
    uint16_t domain;
    uint16_t pad0;
    uint32_t flags;
    uint64_t tot_pages;
    uint64_t max_pages;
    uint64_t outstanding_pages;
    uint64_t shr_pages;
    uint64_t paged_pages;
    uint64_t shared_info_frame;
    uint64_t cpu_time; /* ns */
    uint32_t nr_online_vcpus;
    uint32_t max_vcpu_id;
    uint32_t ssidref;
    uint8_t handle[16];
    uint32_t cpupool;
    uint8_t gpaddr_bits;
    uint8_t pad2[7];
    struct xen_arch_domainconfig arch_config;
};
_Static_assert(sizeof(struct xen_domctl_getdomaininfo) == 120, "getdomaininfo layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, flags) == 4, "getdomaininfo layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, tot_pages) == 8, "getdomaininfo layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, shared_info_frame) == 48,
               "getdomaininfo layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, cpu_time) == 56, "getdomaininfo layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, nr_online_vcpus) == 64,
               "getdomaininfo layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, handle) == 76, "getdomaininfo layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, cpupool) == 92, "getdomaininfo layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, gpaddr_bits) == 96,
               "getdomaininfo layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, arch_config) == 104,
               "getdomaininfo layout");

struct xen_domctl {
    uint32_t cmd;
    uint32_t interface_version; /* XEN_DOMCTL_INTERFACE_VERSION */
    uint16_t domain;
    uint16_t _pad[3];
    union {
        struct xen_domctl_getdomaininfo getdomaininfo;
        uint8_t pad[128];
        uint64_t align; /* the union is 8-aligned: uint64_aligned_t members */
    } u;
};
_Static_assert(sizeof(struct xen_domctl) == 144, "xen_domctl layout");
_Static_assert(offsetof(struct xen_domctl, domain) == 8, "xen_domctl layout");
_Static_assert(offsetof(struct xen_domctl, u) == 16, "xen_domctl layout");

#endif
