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
#include "xen.h"

#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015

#define XEN_DOMCTL_createdomain 1
#define XEN_DOMCTL_destroydomain 2
#define XEN_DOMCTL_pausedomain 3
#define XEN_DOMCTL_unpausedomain 4
#define XEN_DOMCTL_getdomaininfo 5
#define XEN_DOMCTL_setvcpuaffinity 9
#define XEN_DOMCTL_max_mem 11
#define XEN_DOMCTL_setvcpucontext 12
#define XEN_DOMCTL_getvcpuinfo 14
#define XEN_DOMCTL_max_vcpus 15
#define XEN_DOMCTL_scheduler_op 16
#define XEN_DOMCTL_setdomainhandle 17
#define XEN_DOMCTL_getvcpuaffinity 25
#define XEN_DOMCTL_set_address_size 35
#define XEN_DOMCTL_get_address_size 36
#define XEN_DOMCTL_setnodeaffinity 68
#define XEN_DOMCTL_cacheflush 71
#define XEN_DOMCTL_vuart_op 81
#define XEN_DOMCTL_get_paging_mempool_size 85
#define XEN_DOMCTL_set_paging_mempool_size 86

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

/* createdomain flags (XEN_DOMCTL_CDF_*) and grant options. */
#define XEN_DOMCTL_CDF_hvm (1u << 0)
#define XEN_DOMCTL_CDF_hap (1u << 1)
#define XEN_DOMCTL_CDF_s3_integrity (1u << 2)
#define XEN_DOMCTL_CDF_oos_off (1u << 3)
#define XEN_DOMCTL_CDF_xs_domain (1u << 4)
#define XEN_DOMCTL_CDF_iommu (1u << 5)
#define XEN_DOMCTL_CDF_nested_virt (1u << 6)
#define XEN_DOMCTL_CDF_vpmu (1u << 7)
#define XEN_DOMCTL_CDF_MAX XEN_DOMCTL_CDF_vpmu
#define XEN_DOMCTL_GRANT_version_mask 0xfu
#define XEN_DOMCTL_CONFIG_GIC_NATIVE 0
#define XEN_DOMCTL_CONFIG_GIC_V2 1
#define XEN_DOMCTL_CONFIG_GIC_V3 2
#define XEN_DOMCTL_CONFIG_TEE_NONE 0

struct xen_domctl_createdomain {
    uint32_t ssidref;
    uint8_t handle[16];
    uint32_t flags;
    uint32_t iommu_opts;
    uint32_t max_vcpus;
    uint32_t max_evtchn_port;
    int32_t max_grant_frames;
    int32_t max_maptrack_frames;
    uint32_t grant_opts;
    uint32_t vmtrace_size;
    uint32_t cpupool_id;
    struct xen_arch_domainconfig arch;
};
_Static_assert(sizeof(struct xen_domctl_createdomain) == 68, "createdomain layout");
_Static_assert(offsetof(struct xen_domctl_createdomain, flags) == 20, "createdomain layout");
_Static_assert(offsetof(struct xen_domctl_createdomain, cpupool_id) == 52, "createdomain layout");
_Static_assert(offsetof(struct xen_domctl_createdomain, arch) == 56, "createdomain layout");

struct xen_domctl_max_mem {
    uint64_t max_memkb;
};
struct xen_domctl_max_vcpus {
    uint32_t max;
};
struct xen_domctl_cacheflush {
    uint64_t start_pfn, nr_pfns;
};
/* vuart_op: an emulated SBSA UART whose backend is a domain (xenconsoled),
 * behind a xencons_interface ring in the guest's page `gfn`. */
#define XEN_DOMCTL_VUART_OP_INIT 0
#define XEN_DOMCTL_VUART_TYPE_VPL011 0
struct xen_domctl_vuart_op {
    uint32_t cmd;           /* XEN_DOMCTL_VUART_OP_* */
    uint32_t type;          /* XEN_DOMCTL_VUART_TYPE_* */
    uint64_t gfn;           /* IN: the ring's page */
    uint16_t console_domid; /* IN: the backend's domain */
    uint8_t pad[2];
    uint32_t evtchn; /* OUT: the guest's port, unbound for console_domid */
};
_Static_assert(sizeof(struct xen_domctl_vuart_op) == 24, "vuart_op layout");
_Static_assert(offsetof(struct xen_domctl_vuart_op, console_domid) == 16, "vuart_op layout");
_Static_assert(offsetof(struct xen_domctl_vuart_op, evtchn) == 20, "vuart_op layout");

/* setvcpucontext: the vCPU and a guest handle to its vcpu_guest_context. */
struct xen_domctl_vcpucontext {
    uint32_t vcpu;
    uint32_t pad;
    uint64_t ctxt;
};

/* public/arch-arm.h's vcpu_guest_context (352 bytes on arm64). */
#define VGCF_online (1u << 0)
struct vcpu_guest_core_regs {
    uint64_t x[31]; /* x0..x30 */
    uint64_t pc64;
    uint32_t cpsr, pad0;
    uint64_t spsr_el1;
    uint32_t spsr_fiq, spsr_irq, spsr_und, spsr_abt;
    uint64_t sp_el0, sp_el1, elr_el1;
};
struct vcpu_guest_context {
    uint32_t flags, pad;
    struct vcpu_guest_core_regs user_regs;
    uint64_t sctlr, ttbcr, ttbr0, ttbr1;
};
_Static_assert(sizeof(struct vcpu_guest_context) == 352, "vcpu_guest_context layout");
_Static_assert(offsetof(struct vcpu_guest_context, user_regs) == 8, "vcpu_guest_context layout");
_Static_assert(offsetof(struct vcpu_guest_context, user_regs.pc64) == 256, "vcpu_guest_context");
_Static_assert(offsetof(struct vcpu_guest_context, user_regs.cpsr) == 264, "vcpu_guest_context");
_Static_assert(offsetof(struct vcpu_guest_context, user_regs.spsr_fiq) == 280,
               "vcpu_guest_context");
_Static_assert(offsetof(struct vcpu_guest_context, user_regs.elr_el1) == 312, "vcpu_guest_context");
_Static_assert(offsetof(struct vcpu_guest_context, sctlr) == 320, "vcpu_guest_context layout");

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

/* getvcpuinfo (14): one vCPU's state; vcpu IN, the rest OUT. */
struct xen_domctl_getvcpuinfo {
    uint32_t vcpu;
    uint8_t online;  /* not down */
    uint8_t blocked; /* waiting for an event */
    uint8_t running; /* on a pCPU now */
    uint8_t pad;
    uint64_t cpu_time; /* ns run */
    uint32_t cpu;      /* the pCPU it is on */
    uint32_t pad2;
};
_Static_assert(sizeof(struct xen_domctl_getvcpuinfo) == 24, "getvcpuinfo layout");
_Static_assert(offsetof(struct xen_domctl_getvcpuinfo, cpu_time) == 8, "getvcpuinfo layout");
_Static_assert(offsetof(struct xen_domctl_getvcpuinfo, cpu) == 16, "getvcpuinfo layout");

/* setvcpuaffinity (9) / getvcpuaffinity (25): a vCPU's hard and soft maps. */
#define XEN_VCPUAFFINITY_HARD (1u << 0)
#define XEN_VCPUAFFINITY_SOFT (1u << 1)
#define XEN_VCPUAFFINITY_FORCE (1u << 2)
struct xen_domctl_vcpuaffinity {
    uint32_t vcpu;
    uint32_t flags; /* XEN_VCPUAFFINITY_* */
    struct xenctl_bitmap cpumap_hard;
    struct xenctl_bitmap cpumap_soft;
};
_Static_assert(sizeof(struct xen_domctl_vcpuaffinity) == 40, "vcpuaffinity layout");
_Static_assert(offsetof(struct xen_domctl_vcpuaffinity, cpumap_soft) == 24, "vcpuaffinity layout");

/* scheduler_op (16): a domain's parameters under its pool's scheduler. */
#define XEN_DOMCTL_SCHEDOP_putinfo 0
#define XEN_DOMCTL_SCHEDOP_getinfo 1
#define XEN_DOMCTL_SCHEDOP_putvcpuinfo 2
#define XEN_DOMCTL_SCHEDOP_getvcpuinfo 3
struct xen_domctl_sched_credit2 {
    uint16_t weight;
    uint16_t cap; /* % of one pCPU, 0 = none */
};
struct xen_domctl_scheduler_op {
    uint32_t sched_id; /* XEN_SCHEDULER_* (sysctl.h) */
    uint32_t cmd;      /* XEN_DOMCTL_SCHEDOP_* */
    union {
        struct xen_domctl_sched_credit2 credit2;
        uint8_t pad[16]; /* rtds: 12 bytes; per-vCPU ops: a handle and a count */
        uint64_t align;
    } u;
};
_Static_assert(sizeof(struct xen_domctl_scheduler_op) == 24, "domctl scheduler_op layout");
_Static_assert(offsetof(struct xen_domctl_scheduler_op, u) == 8, "domctl scheduler_op layout");

/* setdomainhandle (17): the toolstack's 16-byte handle (the domain's UUID). */
struct xen_domctl_setdomainhandle {
    uint8_t handle[16];
};

/* setnodeaffinity (68): the NUMA nodes the domain's memory should come from. */
struct xen_domctl_nodeaffinity {
    struct xenctl_bitmap nodemap;
};
_Static_assert(sizeof(struct xen_domctl_nodeaffinity) == 16, "nodeaffinity layout");

/* set_address_size (35) / get_address_size (36): 64 (AArch64) or 32. */
struct xen_domctl_address_size {
    uint32_t size;
};

/* get/set_paging_mempool_size (85/86): bytes of the domain's stage-2 pool. */
struct xen_domctl_paging_mempool {
    uint64_t size;
};

struct xen_domctl {
    uint32_t cmd;
    uint32_t interface_version; /* XEN_DOMCTL_INTERFACE_VERSION */
    uint16_t domain;
    uint16_t _pad[3];
    union {
        struct xen_domctl_getdomaininfo getdomaininfo;
        struct xen_domctl_createdomain createdomain;
        struct xen_domctl_max_mem max_mem;
        struct xen_domctl_max_vcpus max_vcpus;
        struct xen_domctl_cacheflush cacheflush;
        struct xen_domctl_vcpucontext vcpucontext;
        struct xen_domctl_vuart_op vuart_op;
        struct xen_domctl_getvcpuinfo getvcpuinfo;
        struct xen_domctl_vcpuaffinity vcpuaffinity;
        struct xen_domctl_scheduler_op scheduler_op;
        struct xen_domctl_setdomainhandle setdomainhandle;
        struct xen_domctl_nodeaffinity nodeaffinity;
        struct xen_domctl_address_size address_size;
        struct xen_domctl_paging_mempool paging_mempool;
        uint8_t pad[128];
        uint64_t align; /* the union is 8-aligned: uint64_aligned_t members */
    } u;
};
_Static_assert(sizeof(struct xen_domctl) == 144, "xen_domctl layout");
_Static_assert(offsetof(struct xen_domctl, domain) == 8, "xen_domctl layout");
_Static_assert(offsetof(struct xen_domctl, u) == 16, "xen_domctl layout");

#endif
