/*
 * Xen guest ABI: hypercall numbers and basic types (Xen 4.17 public/xen.h,
 * transcribed from the documented ABI). Shared by the hypervisor, test
 * guests and tools. Little-endian; xen_ulong_t is 64-bit on arm32 and arm64.
 */
#ifndef PUBLIC_XEN_H
#define PUBLIC_XEN_H

#include <stdint.h>

typedef uint64_t xen_ulong_t;
typedef uint64_t xen_pfn_t;
typedef uint16_t domid_t;

#define __HYPERVISOR_sched_op_compat 6
#define __HYPERVISOR_platform_op 7
#define __HYPERVISOR_memory_op 12
#define __HYPERVISOR_multicall 13
#define __HYPERVISOR_event_channel_op_compat 16
#define __HYPERVISOR_xen_version 17
#define __HYPERVISOR_console_io 18
#define __HYPERVISOR_physdev_op_compat 19
#define __HYPERVISOR_grant_table_op 20
#define __HYPERVISOR_vm_assist 21
#define __HYPERVISOR_vcpu_op 24
#define __HYPERVISOR_xsm_op 27
#define __HYPERVISOR_sched_op 29
#define __HYPERVISOR_event_channel_op 32
#define __HYPERVISOR_physdev_op 33
#define __HYPERVISOR_hvm_op 34
#define __HYPERVISOR_sysctl 35
#define __HYPERVISOR_domctl 36
#define __HYPERVISOR_argo_op 39
#define __HYPERVISOR_dm_op 41
#define __HYPERVISOR_hypfs_op 42
#define XEN_NR_HYPERCALLS 64

#define CONSOLEIO_write 0
#define CONSOLEIO_read 1

#define DOMID_FIRST_RESERVED 0x7FF0
#define DOMID_SELF 0x7FF0
#define DOMID_IO 0x7FF1
#define DOMID_XEN 0x7FF2
#define DOMID_INVALID 0x7FF4

/* A CPU or node bitmap in guest memory (domctl, sysctl): bit i of byte
 * i / 8, LSB first. */
struct xenctl_bitmap {
    uint64_t bitmap; /* guest handle: uint8_t array */
    uint32_t nr_bits;
    uint32_t pad;
};
_Static_assert(sizeof(struct xenctl_bitmap) == 16, "xenctl_bitmap layout");

/* One call of a multicall (13): results are written back into `result`. */
struct multicall_entry {
    uint64_t op;
    uint64_t result;
    uint64_t args[6];
};
_Static_assert(sizeof(struct multicall_entry) == 64, "multicall_entry layout");
_Static_assert(__builtin_offsetof(struct multicall_entry, result) == 8, "multicall_entry layout");
_Static_assert(__builtin_offsetof(struct multicall_entry, args) == 16, "multicall_entry layout");

#endif
