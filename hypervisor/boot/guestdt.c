/*
 * A domU's device tree, written front to back with libfdt's sequential-write
 * API: nothing is ever moved, so the cost is one pass and the failure mode is
 * a clean -FDT_ERR_NOSPACE.
 *
 * Node order, names and values follow Xen 4.17's dom0less builder (with
 * libxl's root model/compatible), so a guest that boots on Xen finds the same
 * platform here. Root #address-cells = #size-cells = 2 throughout.
 */
#include <string.h>
#include <libfdt.h>
#include <lib/printf.h>
#include <boot/guestdt.h>

#define TRY(x)           \
    do {                 \
        int err_ = (x);  \
        if (err_)        \
            return err_; \
    } while (0)

/* GIC interrupt specifier <type number flags>. Xen describes its virtual
 * PPIs level-low to all CPUs (0xf08), SPIs level-high (0xf04). */
#define IRQ_PPI 1
#define IRQ_SPI 0
#define IRQ_PPI_FLAGS 0xf08
#define IRQ_SPI_FLAGS 0xf04

struct range {
    uint64_t base, size;
};

/* reg with 2 address + 2 size cells per range. */
static int prop_reg(void *fdt, const struct range *r, unsigned int n)
{
    fdt64_t cells[4];

    if (n > ARRAY_SIZE(cells) / 2)
        return -FDT_ERR_INTERNAL;
    for (unsigned int i = 0; i < n; i++) {
        cells[2 * i] = cpu_to_fdt64(r[i].base);
        cells[2 * i + 1] = cpu_to_fdt64(r[i].size);
    }
    return fdt_property(fdt, "reg", cells, (int)(n * 2 * sizeof(cells[0])));
}

static int prop_irqs(void *fdt, const uint32_t (*irq)[3], unsigned int n)
{
    fdt32_t cells[9];

    if (n * 3 > ARRAY_SIZE(cells))
        return -FDT_ERR_INTERNAL;
    for (unsigned int i = 0; i < n * 3; i++)
        cells[i] = cpu_to_fdt32(irq[i / 3][i % 3]);
    return fdt_property(fdt, "interrupts", cells, (int)(n * 3 * sizeof(cells[0])));
}

/* String lists are NUL-separated; sizeof includes the final NUL. */
#define prop_strings(fdt, name, lit) fdt_property(fdt, name, lit, sizeof(lit))

static int begin_node_at(void *fdt, const char *name, uint64_t unit)
{
    char buf[48];

    snprintf(buf, sizeof(buf), "%s@%llx", name, (unsigned long long)unit);
    return fdt_begin_node(fdt, buf);
}

static int make_root_props(void *fdt)
{
    TRY(fdt_property_string(fdt, "model", "XENVM-4.17"));
    TRY(prop_strings(fdt, "compatible", "xen,xenvm-4.17\0xen,xenvm"));
    TRY(fdt_property_cell(fdt, "interrupt-parent", GUESTDT_GIC_PHANDLE));
    TRY(fdt_property_cell(fdt, "#address-cells", 2));
    return fdt_property_cell(fdt, "#size-cells", 2);
}

static int make_chosen(void *fdt, const struct guestdt_params *p)
{
    TRY(fdt_begin_node(fdt, "chosen"));
    if (p->bootargs && p->bootargs[0])
        TRY(fdt_property_string(fdt, "bootargs", p->bootargs));
    if (p->initrd_size) {
        TRY(fdt_property_u64(fdt, "linux,initrd-start", p->initrd_start));
        TRY(fdt_property_u64(fdt, "linux,initrd-end", p->initrd_start + p->initrd_size));
    }
    return fdt_end_node(fdt);
}

/* MPIDR affinity of vCPU n: 16 per Aff0 cluster (GICv3 target lists). */
static uint32_t vcpu_affinity(unsigned int n)
{
    return ((n >> 4) << 8) | (n & 0xf);
}

static int make_cpus(void *fdt, unsigned int nr_vcpus, bool aarch32)
{
    TRY(fdt_begin_node(fdt, "cpus"));
    TRY(fdt_property_cell(fdt, "#address-cells", 1));
    TRY(fdt_property_cell(fdt, "#size-cells", 0));
    for (unsigned int n = 0; n < nr_vcpus; n++) {
        TRY(begin_node_at(fdt, "cpu", vcpu_affinity(n)));
        TRY(fdt_property_string(fdt, "device_type", "cpu"));
        TRY(fdt_property_string(fdt, "compatible", aarch32 ? "arm,cortex-a15" : "arm,armv8"));
        if (!aarch32)
            TRY(fdt_property_string(fdt, "enable-method", "psci"));
        TRY(fdt_property_cell(fdt, "reg", vcpu_affinity(n)));
        TRY(fdt_end_node(fdt));
    }
    return fdt_end_node(fdt);
}

static int make_psci(void *fdt)
{
    TRY(fdt_begin_node(fdt, "psci"));
    TRY(prop_strings(fdt, "compatible", "arm,psci-1.0\0arm,psci-0.2\0arm,psci"));
    TRY(fdt_property_string(fdt, "method", "hvc"));
    /* PSCI 0.1 function IDs, for guests that only know the "arm,psci" binding. */
    TRY(fdt_property_cell(fdt, "cpu_off", 1));
    TRY(fdt_property_cell(fdt, "cpu_on", 2));
    return fdt_end_node(fdt);
}

/* One memory node per populated bank, as libxl does. */
static int make_memory_bank(void *fdt, uint64_t base, uint64_t size)
{
    struct range r = {base, size};

    TRY(begin_node_at(fdt, "memory", base));
    TRY(fdt_property_string(fdt, "device_type", "memory"));
    TRY(prop_reg(fdt, &r, 1));
    return fdt_end_node(fdt);
}

static int make_memory(void *fdt, const struct guestdt_params *p)
{
    TRY(make_memory_bank(fdt, p->ram_base, p->ram_size));
    if (p->ram1_size)
        TRY(make_memory_bank(fdt, p->ram1_base, p->ram1_size));
    return 0;
}

static int make_gic(void *fdt, unsigned int version)
{
    static const struct range v2[] = {
        {GUESTDT_GICD_BASE, GUESTDT_GICV2_GICD_SIZE},
        {GUESTDT_GICV2_GICC_BASE, GUESTDT_GICV2_GICC_SIZE},
    };
    static const struct range v3[] = {
        {GUESTDT_GICD_BASE, GUESTDT_GICV3_GICD_SIZE},
        {GUESTDT_GICV3_GICR_BASE, GUESTDT_GICV3_GICR_SIZE},
    };

    TRY(begin_node_at(fdt, "interrupt-controller", GUESTDT_GICD_BASE));
    TRY(fdt_property_cell(fdt, "#address-cells", 0));
    TRY(fdt_property_cell(fdt, "#interrupt-cells", 3));
    TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
    if (version == 3) {
        TRY(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
        TRY(fdt_property_cell(fdt, "#redistributor-regions", 1));
        TRY(prop_reg(fdt, v3, 2));
    } else {
        /* What Xen's dom0less writes for a GICv2 guest (libxl writes a15/a9). */
        TRY(fdt_property_string(fdt, "compatible", "arm,gic-400"));
        TRY(prop_reg(fdt, v2, 2));
    }
    TRY(fdt_property_cell(fdt, "linux,phandle", GUESTDT_GIC_PHANDLE));
    TRY(fdt_property_cell(fdt, "phandle", GUESTDT_GIC_PHANDLE));
    return fdt_end_node(fdt);
}

static int make_timer(void *fdt, uint32_t freq, bool aarch32)
{
    /* Secure phys (29), non-secure phys (30), virtual (27): no hyp timer. */
    static const uint32_t irqs[3][3] = {
        {IRQ_PPI, 13, IRQ_PPI_FLAGS},
        {IRQ_PPI, 14, IRQ_PPI_FLAGS},
        {IRQ_PPI, 11, IRQ_PPI_FLAGS},
    };

    TRY(fdt_begin_node(fdt, "timer"));
    TRY(fdt_property_string(fdt, "compatible", aarch32 ? "arm,armv7-timer" : "arm,armv8-timer"));
    TRY(prop_irqs(fdt, irqs, 3));
    TRY(fdt_property_cell(fdt, "interrupt-parent", GUESTDT_GIC_PHANDLE));
    /* CNTFRQ_EL0 cannot be trapped; the guest gets the host's value. */
    if (freq)
        TRY(fdt_property_cell(fdt, "clock-frequency", freq));
    return fdt_end_node(fdt);
}

static int make_vpl011(void *fdt)
{
    static const struct range r = {GUESTDT_VPL011_BASE, GUESTDT_VPL011_SIZE};
    static const uint32_t irq[1][3] = {{IRQ_SPI, GUESTDT_VPL011_SPI - 32, IRQ_SPI_FLAGS}};

    TRY(begin_node_at(fdt, "sbsa-uart", GUESTDT_VPL011_BASE));
    TRY(fdt_property_string(fdt, "compatible", "arm,sbsa-uart"));
    TRY(prop_reg(fdt, &r, 1));
    TRY(prop_irqs(fdt, irq, 1));
    TRY(fdt_property_cell(fdt, "interrupt-parent", GUESTDT_GIC_PHANDLE));
    TRY(fdt_property_cell(fdt, "current-speed", 115200));
    return fdt_end_node(fdt);
}

/* Linux requires the name "hypervisor" exactly (no unit address) and the
 * version in the first compatible string. */
static int make_hypervisor(void *fdt)
{
    static const struct range gnttab = {GUESTDT_GNTTAB_BASE, GUESTDT_GNTTAB_SIZE};
    static const uint32_t irq[1][3] = {{IRQ_PPI, GUESTDT_EVTCHN_PPI - 16, IRQ_PPI_FLAGS}};

    TRY(fdt_begin_node(fdt, "hypervisor"));
    TRY(prop_strings(fdt, "compatible", "xen,xen-4.17\0xen,xen"));
    TRY(prop_reg(fdt, &gnttab, 1));
    TRY(prop_irqs(fdt, irq, 1));
    TRY(fdt_property_cell(fdt, "interrupt-parent", GUESTDT_GIC_PHANDLE));
    return fdt_end_node(fdt);
}

static bool params_valid(const struct guestdt_params *p)
{
    if (p->gic_version != 2 && p->gic_version != 3)
        return false;
    if (p->nr_vcpus < 1 || p->nr_vcpus > GUESTDT_MAX_VCPUS)
        return false;
    if (p->ram1_size && p->ram1_base + p->ram1_size < p->ram1_base)
        return false;
    if (p->ram_size == 0 || p->ram_base + p->ram_size < p->ram_base)
        return false;
    return p->initrd_start + p->initrd_size >= p->initrd_start;
}

int guestdt_build(void *buf, size_t size, const struct guestdt_params *p)
{
    if (!params_valid(p))
        return -FDT_ERR_BADVALUE;
    if (!IS_ALIGNED((uintptr_t)buf, 8))
        return -FDT_ERR_ALIGNMENT;
    if (size > INT32_MAX)
        size = INT32_MAX;

    TRY(fdt_create(buf, (int)size));
    TRY(fdt_finish_reservemap(buf));
    TRY(fdt_begin_node(buf, ""));
    TRY(make_root_props(buf));
    TRY(make_chosen(buf, p));
    TRY(make_cpus(buf, p->nr_vcpus, p->aarch32));
    TRY(make_psci(buf));
    TRY(make_memory(buf, p));
    TRY(make_gic(buf, p->gic_version));
    TRY(make_timer(buf, p->timer_freq, p->aarch32));
    if (p->vpl011)
        TRY(make_vpl011(buf));
    if (p->hypervisor_node)
        TRY(make_hypervisor(buf));
    TRY(fdt_end_node(buf));
    return fdt_finish(buf);
}
