/*
 * Xen toolstack ABI: sysctl (hypercall 35), Xen 4.17 public/sysctl.h at
 * interface version 0x15, the parts Cloison serves. Layouts as Xen 4.17's
 * headers compile for arm64; docs: shared/docs/xen-toolstack-abi.md §2.3
 * and §4.2.
 */
#ifndef PUBLIC_SYSCTL_H
#define PUBLIC_SYSCTL_H

#include <stddef.h>
#include <stdint.h>

#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015

#define XEN_SYSCTL_readconsole 1
#define XEN_SYSCTL_physinfo 3
#define XEN_SYSCTL_sched_id 4
#define XEN_SYSCTL_getdomaininfolist 6
#define XEN_SYSCTL_cpupool_op 18

/* A CPU or node bitmap in guest memory: bit i of byte i / 8, LSB first. */
struct xenctl_bitmap {
    uint64_t bitmap; /* guest handle: uint8_t array */
    uint32_t nr_bits;
    uint32_t pad;
};
_Static_assert(sizeof(struct xenctl_bitmap) == 16, "xenctl_bitmap layout");

struct xen_sysctl_readconsole {
    uint8_t clear;       /* IN: drop what was read */
    uint8_t incremental; /* IN: start at index */
    uint8_t pad0, pad1;
    uint32_t index;  /* IN: start (incremental); OUT: where the read ended */
    uint64_t buffer; /* guest handle: char array */
    uint32_t count;  /* IN: buffer size; OUT: bytes written */
    uint32_t pad2;
};
_Static_assert(sizeof(struct xen_sysctl_readconsole) == 24, "readconsole layout");
_Static_assert(offsetof(struct xen_sysctl_readconsole, index) == 4, "readconsole layout");
_Static_assert(offsetof(struct xen_sysctl_readconsole, buffer) == 8, "readconsole layout");
_Static_assert(offsetof(struct xen_sysctl_readconsole, count) == 16, "readconsole layout");

#define XEN_SYSCTL_PHYSCAP_hvm (1u << 0)
#define XEN_SYSCTL_PHYSCAP_pv (1u << 1)
#define XEN_SYSCTL_PHYSCAP_directio (1u << 2)
#define XEN_SYSCTL_PHYSCAP_hap (1u << 3)
#define XEN_SYSCTL_PHYSCAP_shadow (1u << 4)
#define XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share (1u << 5)
#define XEN_SYSCTL_PHYSCAP_vmtrace (1u << 6)
#define XEN_SYSCTL_PHYSCAP_vpmu (1u << 7)
#define XEN_SYSCTL_PHYSCAP_gnttab_v1 (1u << 8)
#define XEN_SYSCTL_PHYSCAP_gnttab_v2 (1u << 9)

struct xen_sysctl_physinfo {
    uint32_t threads_per_core;
    uint32_t cores_per_socket;
    uint32_t nr_cpus;
    uint32_t max_cpu_id;
    uint32_t nr_nodes;
    uint32_t max_node_id;
    uint32_t cpu_khz;
    uint32_t capabilities; /* XEN_SYSCTL_PHYSCAP_* */
    uint32_t arch_capabilities;
    uint32_t pad;
    uint64_t total_pages;
    uint64_t free_pages;
    uint64_t scrub_pages;
    uint64_t outstanding_pages;
    uint64_t max_mfn;
    uint32_t hw_cap[8];
};
_Static_assert(sizeof(struct xen_sysctl_physinfo) == 112, "physinfo layout");
_Static_assert(offsetof(struct xen_sysctl_physinfo, capabilities) == 28, "physinfo layout");
_Static_assert(offsetof(struct xen_sysctl_physinfo, total_pages) == 40, "physinfo layout");
_Static_assert(offsetof(struct xen_sysctl_physinfo, max_mfn) == 72, "physinfo layout");
_Static_assert(offsetof(struct xen_sysctl_physinfo, hw_cap) == 80, "physinfo layout");

/* Scheduler ids (XEN_SCHEDULER_*, public/domctl.h). */
#define XEN_SCHEDULER_CREDIT 5
#define XEN_SCHEDULER_CREDIT2 6
#define XEN_SCHEDULER_ARINC653 7
#define XEN_SCHEDULER_RTDS 8
#define XEN_SCHEDULER_NULL 9

struct xen_sysctl_sched_id {
    uint32_t sched_id; /* OUT */
};
_Static_assert(sizeof(struct xen_sysctl_sched_id) == 4, "sched_id layout");

struct xen_sysctl_getdomaininfolist {
    uint16_t first_domain;
    uint16_t pad0;
    uint32_t max_domains;
    uint64_t buffer;      /* guest handle: xen_domctl_getdomaininfo array */
    uint32_t num_domains; /* OUT */
    uint32_t pad1;
};
_Static_assert(sizeof(struct xen_sysctl_getdomaininfolist) == 24, "getdomaininfolist layout");
_Static_assert(offsetof(struct xen_sysctl_getdomaininfolist, max_domains) == 4,
               "getdomaininfolist layout");
_Static_assert(offsetof(struct xen_sysctl_getdomaininfolist, buffer) == 8,
               "getdomaininfolist layout");
_Static_assert(offsetof(struct xen_sysctl_getdomaininfolist, num_domains) == 16,
               "getdomaininfolist layout");

#define XEN_SYSCTL_CPUPOOL_OP_CREATE 1
#define XEN_SYSCTL_CPUPOOL_OP_DESTROY 2
#define XEN_SYSCTL_CPUPOOL_OP_INFO 3
#define XEN_SYSCTL_CPUPOOL_OP_ADDCPU 4
#define XEN_SYSCTL_CPUPOOL_OP_RMCPU 5
#define XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN 6
#define XEN_SYSCTL_CPUPOOL_OP_FREEINFO 7

struct xen_sysctl_cpupool_op {
    uint32_t op;
    uint32_t cpupool_id; /* IN/OUT */
    uint32_t sched_id;   /* IN (create) / OUT (info) */
    uint32_t domid;
    uint32_t cpu;
    uint32_t n_dom; /* OUT (info) */
    struct xenctl_bitmap cpumap;
};
_Static_assert(sizeof(struct xen_sysctl_cpupool_op) == 40, "cpupool_op layout");
_Static_assert(offsetof(struct xen_sysctl_cpupool_op, n_dom) == 20, "cpupool_op layout");
_Static_assert(offsetof(struct xen_sysctl_cpupool_op, cpumap) == 24, "cpupool_op layout");

struct xen_sysctl {
    uint32_t cmd;
    uint32_t interface_version; /* XEN_SYSCTL_INTERFACE_VERSION */
    union {
        struct xen_sysctl_readconsole readconsole;
        struct xen_sysctl_physinfo physinfo;
        struct xen_sysctl_sched_id sched_id;
        struct xen_sysctl_getdomaininfolist getdomaininfolist;
        struct xen_sysctl_cpupool_op cpupool_op;
        uint8_t pad[128];
    } u;
};
_Static_assert(sizeof(struct xen_sysctl) == 136, "xen_sysctl layout");
_Static_assert(offsetof(struct xen_sysctl, u) == 8, "xen_sysctl layout");

#endif
