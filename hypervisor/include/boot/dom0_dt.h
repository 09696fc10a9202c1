/*
 * dom0's device tree, derived from the host's as Xen does (the shared Xen ARM
 * ABI notes, shared/docs/xen-arm-abi.md §2.3): host devices stay (they are passed through), while
 * what Cloison owns or virtualises is removed or rebuilt: boot modules and
 * dom0less domains under /chosen, memory, cpus, psci, PMU, Cloison's own UART,
 * nodes using PPIs, the GIC's virtualisation frames and the GICv3 ITS. The
 * hypervisor node, psci, cpus and memory are added for dom0.
 */
#ifndef CLOISON_DOM0_DT_H
#define CLOISON_DOM0_DT_H

#include <cloison/types.h>

#define DOM0_MAX_BANKS 8

struct dom0_dt_params {
    unsigned int nr_vcpus;
    unsigned int nr_banks;
    uint64_t bank_base[DOM0_MAX_BANKS], bank_size[DOM0_MAX_BANKS];
    const char *bootargs;               /* NULL or "" = none */
    uint64_t initrd_start, initrd_size; /* size 0 = none */
    uint64_t gnttab_base, gnttab_size;  /* grant window (host PA space dom0 never sees as RAM) */
    uint32_t evtchn_ppi;                /* upcall PPI INTID (16..31) */
    uint64_t hv_uart;                   /* MMIO base of Cloison's own UART, removed */
};

/* Build into buf (size bytes, 8-byte aligned). 0 or a negative libfdt error. */
int dom0_dt_build(const void *host, void *buf, size_t size, const struct dom0_dt_params *p);

/* Call fn(base, size) for every MMIO range dom0's tree describes (reg of each
 * device node at the root or under simple buses, and the parent side of each
 * bus's ranges, e.g. PCIe windows and ECAM). Returns the number of ranges. */
int dom0_dt_for_each_mmio(const void *fdt, void (*fn)(void *ctx, uint64_t base, uint64_t size),
                          void *ctx);

/* The end of the highest of those ranges (saturating at 2^64 - 1), 0 if
 * none: how far dom0's direct map of the host's devices reaches. */
uint64_t dom0_dt_mmio_top(const void *fdt);

/* A GICv2m MSI frame dom0 gets: its MMIO, and the SPIs it raises when the
 * tree says (arm,msi-base-spi / arm,msi-num-spis); nr_spis 0 = ask the
 * frame's MSI_TYPER register. */
struct dom0_v2m {
    uint64_t base, size;
    uint32_t base_spi, nr_spis;
};
int dom0_dt_for_each_v2m(const void *fdt, void (*fn)(void *ctx, const struct dom0_v2m *f),
                         void *ctx);

/* Call fn(spi_intid) for every SPI a device node in dom0's tree uses. */
int dom0_dt_for_each_spi(const void *fdt, void (*fn)(void *ctx, uint32_t intid), void *ctx);

/* Call fn(spi_intid) for the SPIs a PCIe host bridge's INTx lines use: its
 * interrupt-map entries (child unit address, child specifier, parent
 * phandle, parent unit address, parent specifier) whose parent is a 3-cell
 * GIC specifier of type SPI. Returns how many. */
int dom0_dt_for_each_map_spi(const void *fdt, void (*fn)(void *ctx, uint32_t intid), void *ctx);

#endif
