/*
 * Device tree for a domU, as Xen 4.17 dom0less generates it (see the shared
 * Xen ARM ABI notes, shared/docs/xen-arm-abi.md §2.2; node names, reg and
 * interrupt values are Xen's guest memory map): root, chosen, cpus, psci,
 * memory, GIC, timer, optional vpl011 and, only for Xen-enhanced domains, the
 * hypervisor node.
 */
#ifndef CLOISON_GUESTDT_H
#define CLOISON_GUESTDT_H

#include <cloison/types.h>

/* Guest-physical addresses and interrupts the tree advertises (arch-arm.h). */
#define GUESTDT_GIC_PHANDLE 65000
#define GUESTDT_GICD_BASE 0x03001000ULL
#define GUESTDT_GICV2_GICD_SIZE 0x1000ULL
#define GUESTDT_GICV2_GICC_BASE 0x03002000ULL
#define GUESTDT_GICV2_GICC_SIZE 0x2000ULL
#define GUESTDT_GICV3_GICD_SIZE 0x10000ULL
#define GUESTDT_GICV3_GICR_BASE 0x03020000ULL
#define GUESTDT_GICV3_GICR_SIZE 0x01000000ULL /* one region for vCPUs 0..127 */
#define GUESTDT_VPL011_BASE 0x22000000ULL
#define GUESTDT_VPL011_SIZE 0x1000ULL
#define GUESTDT_VPL011_SPI 32
#define GUESTDT_GNTTAB_BASE 0x38000000ULL
#define GUESTDT_GNTTAB_SIZE 0x01000000ULL
#define GUESTDT_EVTCHN_PPI 31
#define GUESTDT_MAX_VCPUS 128
/* Enough for every node above with GUESTDT_MAX_VCPUS and 512-byte bootargs. */
#define GUESTDT_SIZE (64 * 1024)

struct guestdt_params {
    unsigned int gic_version;           /* 2 or 3 */
    unsigned int nr_vcpus;              /* 1..GUESTDT_MAX_VCPUS */
    uint64_t ram_base, ram_size;        /* bank 0; size > 0 */
    uint64_t ram1_base, ram1_size;      /* bank 1; size 0 = none */
    const char *bootargs;               /* NULL or "" = none */
    uint64_t initrd_start, initrd_size; /* IPA; size 0 = none */
    bool vpl011;
    bool hypervisor_node; /* xen,enhanced */
    uint32_t timer_freq;  /* 0 = omit clock-frequency */
    /* AArch32 domain: cpus "arm,cortex-a15" without enable-method (PSCI from
     * the psci node), timer "arm,armv7-timer" (as Xen 4.17). */
    bool aarch32;
};

/*
 * Build the tree into buf (size bytes, 8-byte aligned: libfdt stores header
 * words directly). Returns 0, -FDT_ERR_BADVALUE for parameters outside the
 * ranges above, -FDT_ERR_ALIGNMENT for a misaligned buf, or another negative
 * libfdt error (-FDT_ERR_NOSPACE: buf too small).
 */
int guestdt_build(void *buf, size_t size, const struct guestdt_params *p);

#endif
