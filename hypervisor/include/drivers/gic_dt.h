/*
 * The host GIC as the boot device tree describes it (drivers/gic_dt.c): the
 * first node of a supported compatible, its register frames from reg (in
 * its parent's #address-cells/#size-cells), checked for count, size and
 * alignment before any driver maps or touches them. Pure: host-fuzzed.
 */
#ifndef CLOISON_GIC_DT_H
#define CLOISON_GIC_DT_H

#include <cloison/types.h>

#define GIC_DT_MAX_RDIST_REGIONS 8 /* more are reported and not used */
#define GIC_DT_MAX_REGIONS (1 + GIC_DT_MAX_RDIST_REGIONS)

/* Frames: v2 GICD, GICC, GICH, GICV; v3 GICD, then the redistributor regions. */
enum { GIC_DT_GICD = 0, GIC_DT_GICC = 1, GIC_DT_GICH = 2, GIC_DT_GICV = 3, GIC_DT_GICR0 = 1 };

struct gic_dt {
    unsigned int version; /* 2 or 3 */
    int node;
    const char *compatible;
    unsigned int nr_regions; /* v2: 4; v3: 1 + redistributor regions */
    struct gic_dt_region {
        paddr_t base;
        uint64_t size;
    } region[GIC_DT_MAX_REGIONS];
};

/*
 * 0 with *out filled, or -1 after report(msg) said why ("irqchip: <node>:
 * property '<name>' ..."), when no node of a supported compatible exists or
 * the first one's frames cannot be used. report may be NULL.
 */
int gic_dt_probe(const void *fdt, struct gic_dt *out, void (*report)(const char *msg));

#endif
