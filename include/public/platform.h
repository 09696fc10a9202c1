/* Xen guest ABI: platform_op, the control domain's hardware/time interface
 * (Xen 4.17 public/platform.h; only what Cloison serves). */
#ifndef PUBLIC_PLATFORM_H
#define PUBLIC_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#define XENPF_INTERFACE_VERSION 0x03000001

#define XENPF_settime64 62

/* Set the wallclock: `secs`.`nsecs` since the epoch was the time when the
 * caller's system time read `system_time` (ns). */
struct xenpf_settime64 {
    uint64_t secs;
    uint32_t nsecs;
    uint32_t mbz; /* must be zero */
    uint64_t system_time;
};

struct xen_platform_op {
    uint32_t cmd;
    uint32_t interface_version; /* XENPF_INTERFACE_VERSION */
    union {
        struct xenpf_settime64 settime64;
        uint8_t pad[128];
    } u;
};

_Static_assert(sizeof(struct xenpf_settime64) == 24, "xenpf_settime64 layout");
_Static_assert(offsetof(struct xenpf_settime64, system_time) == 16, "xenpf_settime64 layout");
_Static_assert(sizeof(struct xen_platform_op) == 136, "xen_platform_op layout");
_Static_assert(offsetof(struct xen_platform_op, u) == 8, "xen_platform_op layout");

#endif
