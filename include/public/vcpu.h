/* Xen guest ABI: vcpu_op (Xen 4.17 public/vcpu.h). */
#ifndef PUBLIC_VCPU_H
#define PUBLIC_VCPU_H

#include <stddef.h>
#include <stdint.h>

#define VCPUOP_initialise 0
#define VCPUOP_up 1
#define VCPUOP_down 2
#define VCPUOP_is_up 3
#define VCPUOP_get_runstate_info 4
#define VCPUOP_register_runstate_memory_area 5
#define VCPUOP_register_vcpu_info 10

#define RUNSTATE_running 0
#define RUNSTATE_runnable 1
#define RUNSTATE_blocked 2
#define RUNSTATE_offline 3

struct vcpu_runstate_info {
    int32_t state;
    uint32_t pad;
    uint64_t state_entry_time; /* ns; bit 63 = update in progress */
    uint64_t time[4];          /* cumulative ns per RUNSTATE_* */
};
_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "runstate layout");
_Static_assert(offsetof(struct vcpu_runstate_info, time) == 16, "runstate layout");

#define XEN_RUNSTATE_UPDATE (1ULL << 63)

struct vcpu_register_runstate_memory_area {
    uint64_t addr; /* guest virtual address of a vcpu_runstate_info */
};
_Static_assert(sizeof(struct vcpu_register_runstate_memory_area) == 8, "runstate area layout");

struct vcpu_register_vcpu_info {
    uint64_t mfn; /* a GFN on ARM */
    uint32_t offset;
    uint32_t rsvd;
};
_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16, "register_vcpu_info layout");

/* vm_assist */
#define VMASST_CMD_enable 0
#define VMASST_CMD_disable 1
#define VMASST_TYPE_runstate_update_flag 5

#endif
