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
#include "xen.h"

#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015

#define XEN_SYSCTL_readconsole 1
#define XEN_SYSCTL_physinfo 3
#define XEN_SYSCTL_sched_id 4
#define XEN_SYSCTL_getdomaininfolist 6
#define XEN_SYSCTL_cputopoinfo 16
#define XEN_SYSCTL_numainfo 17
#define XEN_SYSCTL_cpupool_op 18
#define XEN_SYSCTL_scheduler_op 19
#define XEN_SYSCTL_pcitopoinfo 22

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
#define XEN_SYSCTL_CPUPOOL_PAR_ANY 0xFFFFFFFFu /* cpupool_id (create), cpu (add/remove) */

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

/* cputopoinfo: one entry per CPU; ~0 in every field for an absent one. */
#define XEN_INVALID_CORE_ID (~0u)
#define XEN_INVALID_SOCKET_ID (~0u)
#define XEN_INVALID_NODE_ID (~0u)
struct xen_sysctl_cputopo {
    uint32_t core;
    uint32_t socket;
    uint32_t node;
};
_Static_assert(sizeof(struct xen_sysctl_cputopo) == 12, "cputopo layout");

struct xen_sysctl_cputopoinfo {
    uint32_t num_cpus; /* IN: entries the array holds; OUT: CPUs the host has */
    uint32_t pad;
    uint64_t cputopo; /* guest handle: xen_sysctl_cputopo array, NULL = count only */
};
_Static_assert(sizeof(struct xen_sysctl_cputopoinfo) == 16, "cputopoinfo layout");

/* numainfo: per node its memory (bytes) and an n x n distance matrix. */
#define XEN_INVALID_MEM_SZ (~0ULL)
#define XEN_INVALID_NODE_DIST (~0u)
struct xen_sysctl_meminfo {
    uint64_t memsize;
    uint64_t memfree;
};
_Static_assert(sizeof(struct xen_sysctl_meminfo) == 16, "meminfo layout");

struct xen_sysctl_numainfo {
    uint32_t num_nodes; /* IN: nodes the arrays hold; OUT: nodes the host has */
    uint32_t pad;
    uint64_t meminfo;  /* guest handle: xen_sysctl_meminfo array */
    uint64_t distance; /* guest handle: uint32_t[num_nodes * num_nodes] */
};
_Static_assert(sizeof(struct xen_sysctl_numainfo) == 24, "numainfo layout");
_Static_assert(offsetof(struct xen_sysctl_numainfo, distance) == 16, "numainfo layout");

/* scheduler_op: a pool's scheduler-wide parameters (credit2: the rate limit). */
#define XEN_SYSCTL_SCHEDOP_putinfo 0
#define XEN_SYSCTL_SCHEDOP_getinfo 1
#define XEN_SYSCTL_SCHED_RATELIMIT_MAX 500000
#define XEN_SYSCTL_SCHED_RATELIMIT_MIN 100
struct xen_sysctl_credit2_schedule {
    uint32_t ratelimit_us;
};
/* arinc653: the schedule, through a guest handle (Xen's
 * xen_sysctl_arinc653_schedule); runtimes and the major frame in ns. */
#define ARINC653_MAX_DOMAINS_PER_SCHEDULE 64
struct xen_sysctl_arinc653_entry {
    uint8_t dom_handle[16]; /* the domain's handle (UUID) */
    uint32_t vcpu_id;
    uint32_t pad;
    uint64_t runtime;
};
_Static_assert(sizeof(struct xen_sysctl_arinc653_entry) == 32, "arinc653 entry layout");
_Static_assert(offsetof(struct xen_sysctl_arinc653_entry, runtime) == 24, "arinc653 entry layout");
struct xen_sysctl_arinc653_schedule {
    uint64_t major_frame;
    uint8_t num_sched_entries;
    uint8_t pad[7];
    struct xen_sysctl_arinc653_entry sched_entries[ARINC653_MAX_DOMAINS_PER_SCHEDULE];
};
_Static_assert(sizeof(struct xen_sysctl_arinc653_schedule) == 2064, "arinc653 schedule layout");
_Static_assert(offsetof(struct xen_sysctl_arinc653_schedule, sched_entries) == 16,
               "arinc653 schedule layout");
struct xen_sysctl_sched_arinc653 {
    uint64_t schedule; /* guest handle: xen_sysctl_arinc653_schedule */
};
struct xen_sysctl_scheduler_op {
    uint32_t cpupool_id;
    uint32_t sched_id; /* XEN_SCHEDULER_* */
    uint32_t cmd;      /* XEN_SYSCTL_SCHEDOP_* */
    uint32_t pad;
    union {
        struct xen_sysctl_credit2_schedule sched_credit2;
        struct xen_sysctl_sched_arinc653 sched_arinc653;
        uint8_t pad[16]; /* credit's is 12 bytes, arinc653's a handle */
        uint64_t align;
    } u;
};
_Static_assert(sizeof(struct xen_sysctl_scheduler_op) == 32, "sysctl scheduler_op layout");
_Static_assert(offsetof(struct xen_sysctl_scheduler_op, u) == 16, "sysctl scheduler_op layout");

struct xen_sysctl {
    uint32_t cmd;
    uint32_t interface_version; /* XEN_SYSCTL_INTERFACE_VERSION */
    union {
        struct xen_sysctl_readconsole readconsole;
        struct xen_sysctl_physinfo physinfo;
        struct xen_sysctl_sched_id sched_id;
        struct xen_sysctl_getdomaininfolist getdomaininfolist;
        struct xen_sysctl_cpupool_op cpupool_op;
        struct xen_sysctl_cputopoinfo cputopoinfo;
        struct xen_sysctl_numainfo numainfo;
        struct xen_sysctl_scheduler_op scheduler_op;
        uint8_t pad[128];
    } u;
};
_Static_assert(sizeof(struct xen_sysctl) == 136, "xen_sysctl layout");
_Static_assert(offsetof(struct xen_sysctl, u) == 8, "xen_sysctl layout");

#endif
