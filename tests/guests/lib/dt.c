/* Read what the guests need from their device tree with libfdt. */
#include <libfdt.h>

#include <stdlib.h>

#include "guest.h"

struct platform plat;
static const char *bootargs; /* /chosen/bootargs in the DT, or NULL */

unsigned long bootarg_uint(const char *key, unsigned long dflt)
{
    size_t n = strlen(key);

    for (const char *p = bootargs; p && *p;) {
        while (*p == ' ')
            p++;
        if (strncmp(p, key, n) == 0 && p[n] == '=')
            return strtoul(p + n + 1, NULL, 0);
        while (*p && *p != ' ')
            p++;
    }
    return dflt;
}

/* Read cell-encoded value number idx (each 'cells' cells wide) of prop. */
static uint64_t read_cells(const fdt32_t *p, int cells)
{
    uint64_t v = 0;

    for (int i = 0; i < cells; i++)
        v = (v << 32) | fdt32_to_cpu(p[i]);
    return v;
}

/* reg entry idx of node: address and size, using the parent's cell counts. */
static int read_reg(const void *fdt, int node, int idx, uint64_t *addr, uint64_t *size)
{
    int parent = fdt_parent_offset(fdt, node);
    int ac = fdt_address_cells(fdt, parent);
    int sc = fdt_size_cells(fdt, parent);
    int len;
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

    if (!reg || ac < 1 || ac > 2 || sc < 0 || sc > 2)
        return -1;
    if (len < (idx + 1) * (ac + sc) * 4)
        return -1;
    reg += idx * (ac + sc);
    *addr = read_cells(reg, ac);
    *size = sc ? read_cells(reg + ac, sc) : 0;
    return 0;
}

static void parse_gic(const void *fdt)
{
    uint64_t size;
    int node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");

    if (node >= 0 && !read_reg(fdt, node, 0, &plat.gicd, &size) &&
        !read_reg(fdt, node, 1, &plat.gicr, &size)) {
        plat.gic_version = 3;
        return;
    }
    node = fdt_node_offset_by_compatible(fdt, -1, "arm,cortex-a15-gic");
    if (node < 0)
        node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-400");
    if (node >= 0 && !read_reg(fdt, node, 0, &plat.gicd, &size) &&
        !read_reg(fdt, node, 1, &plat.gicc, &size))
        plat.gic_version = 2;
}

static void parse_cpus(const void *fdt)
{
    int cpus = fdt_path_offset(fdt, "/cpus");
    int node;

    if (cpus < 0)
        return;
    fdt_for_each_subnode(node, fdt, cpus)
    {
        const char *type = fdt_getprop(fdt, node, "device_type", NULL);
        uint64_t mpidr, unused;

        if (!type || strcmp(type, "cpu") != 0 || read_reg(fdt, node, 0, &mpidr, &unused))
            continue;
        if (plat.cpu_count < sizeof(plat.cpu_mpidr) / sizeof(plat.cpu_mpidr[0]))
            plat.cpu_mpidr[plat.cpu_count] = mpidr;
        plat.cpu_count++;
    }
}

static void parse_memory(const void *fdt)
{
    int node;

    /* The first memory node is RAM bank 0, where the guest image lives. */
    for (node = fdt_next_node(fdt, -1, NULL); node >= 0; node = fdt_next_node(fdt, node, NULL)) {
        const char *type = fdt_getprop(fdt, node, "device_type", NULL);

        if (type && strcmp(type, "memory") == 0 &&
            !read_reg(fdt, node, 0, &plat.ram_base, &plat.ram_size) && plat.ram_size)
            return;
    }
}

int dt_parse(const void *fdt)
{
    uint64_t size;
    int node;

    if (fdt_check_header(fdt))
        return -1;
    parse_memory(fdt);
    parse_cpus(fdt);
    parse_gic(fdt);
    node = fdt_node_offset_by_compatible(fdt, -1, "arm,sbsa-uart");
    if (node >= 0)
        read_reg(fdt, node, 0, &plat.uart, &size);
    node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
    if (node >= 0) {
        const char *method = fdt_getprop(fdt, node, "method", NULL);

        plat.psci_smc = method && strcmp(method, "smc") == 0;
    }
    plat.xen_node = fdt_node_offset_by_compatible(fdt, -1, "xen,xen") >= 0;
    node = fdt_path_offset(fdt, "/chosen");
    if (node >= 0)
        bootargs = fdt_getprop(fdt, node, "bootargs", NULL); /* the DT stays where it is */
    if (!plat.ram_size)
        return -2;
    if (!plat.cpu_count)
        return -3;
    return 0;
}
