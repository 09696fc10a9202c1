/*
 * Xen guest ABI, ARM specifics (Xen 4.17 public/arch-arm.h and the ARM view
 * of public/xen.h): vcpu_info and shared_info. The same layouts serve arm32
 * and arm64 guests (xen_ulong_t is 64-bit on both).
 */
#ifndef PUBLIC_ARCH_ARM_H
#define PUBLIC_ARCH_ARM_H

#include <stddef.h>
#include <stdint.h>

/* Xen/ARM never fills it: guests use the architected counter. */
struct vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    uint8_t flags;
    uint8_t pad1[2];
};
_Static_assert(sizeof(struct vcpu_time_info) == 32, "vcpu_time_info layout");

/* 48 bytes on ARM: no evtchn_upcall_mask (masking is PSTATE.I / the GIC). */
struct vcpu_info {
    uint8_t evtchn_upcall_pending;
    uint8_t pad0[7];
    uint64_t evtchn_pending_sel; /* xen_ulong_t: bit w = word w of evtchn_pending */
    struct vcpu_time_info time;
};
_Static_assert(sizeof(struct vcpu_info) == 48, "vcpu_info layout");
_Static_assert(offsetof(struct vcpu_info, evtchn_pending_sel) == 8, "vcpu_info layout");
_Static_assert(offsetof(struct vcpu_info, time) == 16, "vcpu_info layout");

#define XEN_LEGACY_MAX_VCPUS 1
#define XEN_2L_NR_WORDS 64 /* 64 x 64 = 4096 ports in the 2-level ABI */

struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    uint64_t evtchn_pending[XEN_2L_NR_WORDS];
    uint64_t evtchn_mask[XEN_2L_NR_WORDS];
    uint32_t wc_version; /* odd while the wallclock is being rewritten */
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
};
_Static_assert(sizeof(struct shared_info) == 1088, "shared_info layout");
_Static_assert(offsetof(struct shared_info, evtchn_pending) == 48, "shared_info layout");
_Static_assert(offsetof(struct shared_info, evtchn_mask) == 560, "shared_info layout");
_Static_assert(offsetof(struct shared_info, wc_version) == 1072, "shared_info layout");
_Static_assert(offsetof(struct shared_info, wc_sec_hi) == 1084, "shared_info layout");

/* domU guest-physical map (the DT is authoritative; these are Xen's values). */
#define GUEST_GNTTAB_BASE 0x38000000ULL
#define GUEST_GNTTAB_SIZE 0x01000000ULL
#define GUEST_MAGIC_BASE 0x39000000ULL
#define GUEST_EVTCHN_PPI 31

#endif
