/*
 * dom0's device tree (see boot/dom0_dt.h). Works on a copy of the host
 * tree opened into a larger buffer, deleting in one pass: a deletion moves
 * only what follows the deleted node, so the walk goes on from the node
 * before it (a tree with thousands of dom0less domains under /chosen costs
 * one pass, not one per deletion).
 */
#include <cloison/fdt_cells.h>
#include <boot/dom0_dt.h>
#include <libfdt.h>
#include <lib/printf.h>
#include <string.h>

#define TRY(x)           \
    do {                 \
        int err_ = (x);  \
        if (err_ < 0)    \
            return err_; \
    } while (0)

#define PPI_FLAGS_LEVEL_LOW 0xf08

static const char *const dropped_compatibles[] = {
    "xen,xen",
    "arm,psci",
    "arm,psci-0.2",
    "arm,psci-1.0",
    "arm,armv8-pmuv3",
    "arm,cortex-a15-pmu",
    "arm,cortex-a7-pmu",
    "arm,cortex-a53-edac",
    "arm,armv7-timer-mem",
    "arm,gic-v3-its", /* no ITS emulation yet: dom0's PCI falls back to INTx */
};

static const char *const chosen_props_dropped[] = {
    "xen,xen-bootargs",          "xen,dom0-bootargs",        "bootargs",
    "linux,initrd-start",        "linux,initrd-end",         "stdout-path",
    "linux,uefi-system-table",   "linux,uefi-mmap-start",    "linux,uefi-mmap-size",
    "linux,uefi-mmap-desc-size", "linux,uefi-mmap-desc-ver",
};

static bool is_interrupt_controller(const void *fdt, int node)
{
    return fdt_getprop(fdt, node, "interrupt-controller", NULL) != NULL;
}

static bool is_timer(const void *fdt, int node)
{
    return !fdt_node_check_compatible(fdt, node, "arm,armv8-timer") ||
           !fdt_node_check_compatible(fdt, node, "arm,armv7-timer");
}

/* A device whose interrupts include a PPI cannot be passed through. */
static bool uses_ppi(const void *fdt, int node)
{
    int len;
    const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);
    if (!irq || is_interrupt_controller(fdt, node) || is_timer(fdt, node))
        return false;
    for (int i = 0; i + 3 <= len / 4; i += 3)
        if (fdt32_to_cpu(irq[i]) == 1)
            return true;
    return false;
}

static bool is_memory(const void *fdt, int node)
{
    const char *t = fdt_getprop(fdt, node, "device_type", NULL);
    return t && !strcmp(t, "memory");
}

static bool is_hv_uart(const void *fdt, int node, int parent, uint64_t base)
{
    int len;
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
    int ac = parent >= 0 ? fdt_address_cells(fdt, parent) : 2;
    return reg && ac >= 1 && ac <= 2 && len >= 4 * ac && fdt_read_cells(reg, ac) == base &&
           fdt_getprop(fdt, node, "interrupts", NULL);
}

static bool dropped(const void *fdt, int node, int parent, const struct dom0_dt_params *p)
{
    const char *name = fdt_get_name(fdt, node, NULL);
    if (name && (!strcmp(name, "cpus") || !strcmp(name, "hypervisor")))
        return parent == 0;
    for (size_t i = 0; i < sizeof(dropped_compatibles) / sizeof(dropped_compatibles[0]); i++)
        if (!fdt_node_check_compatible(fdt, node, dropped_compatibles[i]))
            return true;
    return is_memory(fdt, node) || uses_ppi(fdt, node) || is_hv_uart(fdt, node, parent, p->hv_uart);
}

/* Boot modules and dom0less domains are Cloison's wherever they sit (Xen
 * drops them anywhere too). */
static bool is_boot_description(const void *fdt, int node)
{
    return !fdt_node_check_compatible(fdt, node, "multiboot,module") ||
           !fdt_node_check_compatible(fdt, node, "xen,multiboot-module") ||
           !fdt_node_check_compatible(fdt, node, "xen,domain");
}

/* The walk keeps each depth's current node (the tree is at most
 * FDT_VALIDATE_MAX_DEPTH deep: fdt_validate()), so a node's parent is known
 * without libfdt's walk from the root. Ancestors precede the node, so a
 * deletion never moves them. */
#define WALK_MAX_DEPTH 64

static int delete_nodes(void *fdt, const struct dom0_dt_params *p)
{
    int stack[WALK_MAX_DEPTH] = {0}, prev = 0, prev_depth = 0;
    int node, depth = 0;
    while ((node = fdt_next_node(fdt, prev, &depth)) >= 0 && depth > 0) {
        if (depth >= WALK_MAX_DEPTH)
            return -FDT_ERR_BADSTRUCTURE;
        int parent = stack[depth - 1];
        if (dropped(fdt, node, parent, p) || is_boot_description(fdt, node)) {
            TRY(fdt_del_node(fdt, node));
            depth = prev_depth; /* next: what followed the deleted subtree */
            continue;
        }
        stack[depth] = node;
        prev = node;
        prev_depth = depth;
    }
    return node == -FDT_ERR_NOTFOUND || node >= 0 ? 0 : node;
}

static int fix_chosen(void *fdt, const struct dom0_dt_params *p)
{
    int chosen = fdt_path_offset(fdt, "/chosen");
    if (chosen < 0)
        TRY(chosen = fdt_add_subnode(fdt, 0, "chosen"));
    for (size_t i = 0; i < sizeof(chosen_props_dropped) / sizeof(chosen_props_dropped[0]); i++) {
        fdt_delprop(fdt, chosen, chosen_props_dropped[i]);
        chosen = fdt_path_offset(fdt, "/chosen");
    }
    if (p->bootargs && p->bootargs[0])
        TRY(fdt_setprop_string(fdt, chosen, "bootargs", p->bootargs));
    if (p->initrd_size) {
        TRY(fdt_setprop_u64(fdt, chosen, "linux,initrd-start", p->initrd_start));
        TRY(fdt_setprop_u64(fdt, chosen, "linux,initrd-end", p->initrd_start + p->initrd_size));
    }
    return 0;
}

/* GIC: keep only the distributor + CPU interface (v2) or + redistributors
 * (v3) in reg, drop the maintenance interrupt (it belongs to EL2). */
static int fix_gic(void *fdt, uint32_t *phandle)
{
    int gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
    bool v3 = gic >= 0;
    if (!v3)
        gic = fdt_node_offset_by_compatible(fdt, -1, "arm,cortex-a15-gic");
    if (gic < 0)
        gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-400");
    if (gic < 0)
        return -FDT_ERR_NOTFOUND;
    *phandle = fdt_get_phandle(fdt, gic);
    int len, parent = fdt_parent_offset(fdt, gic);
    int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent);
    const fdt32_t *reg = fdt_getprop(fdt, gic, "reg", &len);
    if (!reg || ac < 1 || sc < 1)
        return -FDT_ERR_BADVALUE;
    int entry = 4 * (ac + sc);
    int keep = 2 * entry; /* GICD + GICC, or GICD + one redistributor region */
    if (v3) {
        int nlen;
        const fdt32_t *nr = fdt_getprop(fdt, gic, "#redistributor-regions", &nlen);
        uint32_t regions = nr && nlen == 4 ? fdt32_ld(nr) : 1;
        if (regions < 1 || regions > 8)
            return -FDT_ERR_BADVALUE; /* irqchip refused it already: never here */
        keep = entry * (1 + (int)regions);
    }
    if (len > keep) {
        fdt32_t copy[64];
        if (keep > (int)sizeof(copy))
            return -FDT_ERR_BADVALUE;
        memcpy(copy, reg, (size_t)keep);
        TRY(fdt_setprop(fdt, gic, "reg", copy, keep));
    }
    gic = fdt_node_offset_by_phandle(fdt, *phandle);
    fdt_delprop(fdt, gic, "interrupts");
    return 0;
}

static int add_cpus(void *fdt, unsigned int n)
{
    int cpus;
    TRY(cpus = fdt_add_subnode(fdt, 0, "cpus"));
    TRY(fdt_setprop_u32(fdt, cpus, "#address-cells", 1));
    TRY(fdt_setprop_u32(fdt, cpus, "#size-cells", 0));
    for (unsigned int i = n; i-- > 0;) { /* add_subnode prepends: go backwards */
        char name[16];
        uint32_t mpidr = ((i >> 4) << 8) | (i & 0xf);
        snprintf(name, sizeof(name), "cpu@%x", mpidr);
        int cpu;
        TRY(cpu = fdt_add_subnode(fdt, cpus, name));
        TRY(fdt_setprop_string(fdt, cpu, "device_type", "cpu"));
        TRY(fdt_setprop_string(fdt, cpu, "compatible", "arm,armv8"));
        TRY(fdt_setprop_string(fdt, cpu, "enable-method", "psci"));
        TRY(fdt_setprop_u32(fdt, cpu, "reg", mpidr));
        cpus = fdt_path_offset(fdt, "/cpus");
    }
    return 0;
}

static int add_psci(void *fdt)
{
    static const char compat[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";
    int psci;
    TRY(psci = fdt_add_subnode(fdt, 0, "psci"));
    TRY(fdt_setprop(fdt, psci, "compatible", compat, sizeof(compat)));
    TRY(fdt_setprop_string(fdt, psci, "method", "hvc"));
    TRY(fdt_setprop_u32(fdt, psci, "cpu_off", 1));
    TRY(fdt_setprop_u32(fdt, psci, "cpu_on", 2));
    return 0;
}

/* One memory node listing every bank (root #address/#size-cells are 2). */
static int add_memory(void *fdt, const struct dom0_dt_params *p)
{
    fdt32_t reg[DOM0_MAX_BANKS * 4];
    char name[32];
    int k = 0;
    snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)p->bank_base[0]);
    for (unsigned int i = 0; i < p->nr_banks; i++) {
        reg[k++] = cpu_to_fdt32((uint32_t)(p->bank_base[i] >> 32));
        reg[k++] = cpu_to_fdt32((uint32_t)p->bank_base[i]);
        reg[k++] = cpu_to_fdt32((uint32_t)(p->bank_size[i] >> 32));
        reg[k++] = cpu_to_fdt32((uint32_t)p->bank_size[i]);
    }
    int mem;
    TRY(mem = fdt_add_subnode(fdt, 0, name));
    TRY(fdt_setprop_string(fdt, mem, "device_type", "memory"));
    TRY(fdt_setprop(fdt, mem, "reg", reg, (int)(k * sizeof(fdt32_t))));
    return 0;
}

static int add_hypervisor(void *fdt, const struct dom0_dt_params *p, uint32_t gic_phandle)
{
    static const char compat[] = "xen,xen-4.17\0xen,xen";
    fdt32_t reg[4] = {
        cpu_to_fdt32((uint32_t)(p->gnttab_base >> 32)), cpu_to_fdt32((uint32_t)p->gnttab_base),
        cpu_to_fdt32((uint32_t)(p->gnttab_size >> 32)), cpu_to_fdt32((uint32_t)p->gnttab_size)};
    fdt32_t irq[3] = {cpu_to_fdt32(1), cpu_to_fdt32(p->evtchn_ppi - 16),
                      cpu_to_fdt32(PPI_FLAGS_LEVEL_LOW)};
    int hv;
    TRY(hv = fdt_add_subnode(fdt, 0, "hypervisor"));
    TRY(fdt_setprop(fdt, hv, "compatible", compat, sizeof(compat)));
    TRY(fdt_setprop(fdt, hv, "reg", reg, sizeof(reg)));
    TRY(fdt_setprop(fdt, hv, "interrupts", irq, sizeof(irq)));
    if (gic_phandle)
        TRY(fdt_setprop_u32(fdt, hv, "interrupt-parent", gic_phandle));
    return 0;
}

int dom0_dt_build(const void *host, void *buf, size_t size, const struct dom0_dt_params *p)
{
    uint32_t gic_phandle = 0;
    if (!p->nr_banks || p->nr_banks > DOM0_MAX_BANKS || !p->nr_vcpus || p->evtchn_ppi < 16 ||
        p->evtchn_ppi > 31 || size > 0x7fffffff)
        return -FDT_ERR_BADVALUE;
    TRY(fdt_check_header(host));
    TRY(fdt_open_into(host, buf, (int)size));
    TRY(delete_nodes(buf, p));
    TRY(fix_chosen(buf, p));
    TRY(fix_gic(buf, &gic_phandle));
    TRY(add_cpus(buf, p->nr_vcpus));
    TRY(add_psci(buf));
    TRY(add_memory(buf, p));
    TRY(add_hypervisor(buf, p, gic_phandle));
    return fdt_pack(buf);
}

static void for_each_reg(const void *fdt, int node, int ac, int sc,
                         void (*fn)(void *ctx, uint64_t base, uint64_t size), void *ctx, int *n)
{
    int len;
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
    if (!reg || ac < 1 || ac > 2 || sc < 1 || sc > 2)
        return;
    for (int i = 0; i + ac + sc <= len / 4; i += ac + sc) {
        uint64_t size = fdt_read_cells(reg + i + ac, sc);
        if (size) {
            fn(ctx, fdt_read_cells(reg + i, ac), size);
            (*n)++;
        }
    }
}

/* The parent side of a bus's ranges: <child-addr parent-addr size> triples. */
static void for_each_range(const void *fdt, int node, int pac,
                           void (*fn)(void *ctx, uint64_t base, uint64_t size), void *ctx, int *n)
{
    int len, cac = fdt_address_cells(fdt, node), csc = fdt_size_cells(fdt, node);
    const fdt32_t *r = fdt_getprop(fdt, node, "ranges", &len);
    if (!r || len == 0 || cac < 1 || cac > 3 || csc < 1 || csc > 2 || pac < 1 || pac > 2)
        return;
    int entry = cac + pac + csc;
    for (int i = 0; i + entry <= len / 4; i += entry) {
        uint64_t size = fdt_read_cells(r + i + cac + pac, csc);
        if (size) {
            fn(ctx, fdt_read_cells(r + i + cac, pac), size);
            (*n)++;
        }
    }
}

int dom0_dt_for_each_mmio(const void *fdt, void (*fn)(void *ctx, uint64_t base, uint64_t size),
                          void *ctx)
{
    int n = 0, node, ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);
    fdt_for_each_subnode(node, fdt, 0)
    {
        const char *status = fdt_getprop(fdt, node, "status", NULL);
        /* The hypervisor node's reg is the grant window over Cloison's own image. */
        if (is_memory(fdt, node) || is_interrupt_controller(fdt, node) ||
            !fdt_node_check_compatible(fdt, node, "xen,xen") ||
            (status && strcmp(status, "okay") && strcmp(status, "ok")))
            continue;
        for_each_reg(fdt, node, ac, sc, fn, ctx, &n);
        for_each_range(fdt, node, ac, fn, ctx, &n);
        /* Children of a bus with empty ranges use the root's address space. */
        int len;
        if (fdt_getprop(fdt, node, "ranges", &len) && len == 0) {
            int child;
            fdt_for_each_subnode(child, fdt, node) for_each_reg(
                fdt, child, fdt_address_cells(fdt, node), fdt_size_cells(fdt, node), fn, ctx, &n);
        }
    }
    return n;
}

static void note_end(void *ctx, uint64_t base, uint64_t size)
{
    uint64_t *top = ctx, end = base + size < base ? UINT64_MAX : base + size;
    *top = MAX(*top, end);
}

uint64_t dom0_dt_mmio_top(const void *fdt)
{
    uint64_t top = 0;
    dom0_dt_for_each_mmio(fdt, note_end, &top);
    return top;
}

int dom0_dt_for_each_spi(const void *fdt, void (*fn)(void *ctx, uint32_t intid), void *ctx)
{
    int n = 0, node = 0, depth = 0;
    while ((node = fdt_next_node(fdt, node, &depth)) >= 0 && depth > 0) {
        int len;
        const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);
        if (!irq || is_interrupt_controller(fdt, node))
            continue;
        for (int i = 0; i + 3 <= len / 4; i += 3) {
            if (fdt32_to_cpu(irq[i]) == 0) { /* SPI */
                fn(ctx, fdt32_to_cpu(irq[i + 1]) + 32);
                n++;
            }
        }
    }
    return n;
}

static uint32_t dt_u32(const void *fdt, int node, const char *name, uint32_t dflt)
{
    int len;
    const fdt32_t *p = fdt_getprop(fdt, node, name, &len);
    return p && len == 4 ? fdt32_ld(p) : dflt;
}

/* Cell counts an interrupt-map entry may use: more than this is a broken
 * tree, and stops the walk (an unbounded count wrapped the index, and the
 * walk never ended). */
#define MAP_MAX_CELLS 4

int dom0_dt_for_each_map_spi(const void *fdt, void (*fn)(void *ctx, uint32_t intid), void *ctx)
{
    int node = -1, n = 0;
    while ((node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "pci", 4)) >= 0) {
        int len;
        const fdt32_t *map = fdt_getprop(fdt, node, "interrupt-map", &len);
        if (!map)
            continue;
        uint32_t ncells = (uint32_t)len / 4, i = 0;
        uint32_t cac = dt_u32(fdt, node, "#address-cells", 3);
        uint32_t cic = dt_u32(fdt, node, "#interrupt-cells", 1);
        if (cac > MAP_MAX_CELLS || cic > MAP_MAX_CELLS)
            continue;
        uint32_t child = cac + cic;
        while (i + child + 1 <= ncells) {
            int parent = fdt_node_offset_by_phandle(fdt, fdt32_ld(map + i + child));
            if (parent < 0 || !fdt_getprop(fdt, parent, "interrupt-controller", NULL))
                break; /* an entry we cannot size ends the walk */
            uint32_t pac = dt_u32(fdt, parent, "#address-cells", 0);
            uint32_t pic = dt_u32(fdt, parent, "#interrupt-cells", 0);
            if (pac > MAP_MAX_CELLS || pic > MAP_MAX_CELLS)
                break;
            const fdt32_t *spec = map + i + child + 1 + pac;
            i += child + 1 + pac + pic;
            if (pic == 3 && i <= ncells && fdt32_ld(spec) == 0 && fdt32_ld(spec + 1) < 988) {
                fn(ctx, fdt32_ld(spec + 1) + 32);
                n++;
            }
        }
    }
    return n;
}

/*
 * GICv2m frames stay in dom0's tree, as on Xen: the frame is passed through
 * and the SPIs it raises are routed to dom0, so dom0's PCI devices get MSIs
 * (a device's write to MSI_SETSPI_NS raises the SPI it names). They are
 * children of the GIC node, in the root's address space when the GIC's
 * `ranges` is empty (QEMU, and the boards Xen supports); other layouts are
 * skipped.
 */
int dom0_dt_for_each_v2m(const void *fdt, void (*fn)(void *ctx, const struct dom0_v2m *f),
                         void *ctx)
{
    int n = 0, node = -1;
    while ((node = fdt_node_offset_by_compatible(fdt, node, "arm,gic-v2m-frame")) >= 0) {
        int parent = fdt_parent_offset(fdt, node), len;
        if (parent < 0 || !fdt_getprop(fdt, parent, "ranges", &len) || len != 0)
            continue;
        int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent);
        const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
        if (!reg || ac < 1 || ac > 2 || sc < 1 || sc > 2 || len < 4 * (ac + sc))
            continue;
        struct dom0_v2m f = {.base = fdt_read_cells(reg, ac), .size = fdt_read_cells(reg + ac, sc)};
        const fdt32_t *b = fdt_getprop(fdt, node, "arm,msi-base-spi", &len);
        const fdt32_t *c = b && len == 4 ? fdt_getprop(fdt, node, "arm,msi-num-spis", &len) : NULL;
        if (c && len == 4) { /* overrides MSI_TYPER, as in Linux */
            f.base_spi = fdt32_to_cpu(*b);
            f.nr_spis = fdt32_to_cpu(*c);
        }
        fn(ctx, &f);
        n++;
    }
    return n;
}
