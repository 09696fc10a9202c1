/* dom0's device tree: derived from QEMU virt's real trees (see test_dom0_dt.mk). */
#include <libfdt.h>
#include <stdlib.h>

#include "harness.h"
#include "test_files.h"
#include <boot/dom0_dt.h>

static struct dom0_dt_params params(void)
{
    struct dom0_dt_params p = {
        .nr_vcpus = 2,
        .nr_banks = 2,
        .bank_base = {0x60000000, 0x80000000},
        .bank_size = {0x10000000, 0x10000000},
        .bootargs = "console=hvc0 root=/dev/vda",
        .initrd_start = 0x68000000,
        .initrd_size = 0x100000,
        .gnttab_base = 0x40200000,
        .gnttab_size = 0x40000,
        .evtchn_ppi = 31,
        .hv_uart = 0x09000000,
    };
    return p;
}

static int count_compatible(const void *fdt, const char *compat)
{
    int n = 0, node = -1;
    while ((node = fdt_node_offset_by_compatible(fdt, node, compat)) >= 0)
        n++;
    return n;
}

static void mmio_cb(void *ctx, uint64_t base, uint64_t size)
{
    uint64_t *seen = ctx;
    if (base == 0x0a000000 && size)
        seen[0]++; /* a virtio-mmio transport */
    if (base == 0x09000000)
        seen[1]++; /* Cloison's UART must not be passed through */
    if (base >= 0x40000000 && base < 0x80000000 && base != 0x3eff0000)
        seen[2]++; /* nothing in RAM, not even the grant window (Cloison's image) */
}

static void v2m_cb(void *ctx, const struct dom0_v2m *f)
{
    *(struct dom0_v2m *)ctx = *f;
}

static void count_cb(void *ctx, uint32_t intid)
{
    unsigned int *n = ctx;
    if (intid >= 32 && intid < 1020)
        (*n)++;
}

static void check_tree(const char *name, bool v3)
{
    void *host = test_file_load(name), *out = calloc(1, TEST_FILE_MAX);
    struct dom0_dt_params p = params();
    REQUIRE(host && out);
    CHECK_EQ(dom0_dt_build(host, out, TEST_FILE_MAX, &p), 0);
    CHECK_EQ(fdt_check_full(out, fdt_totalsize(out)), 0);

    /* /chosen: dom0's command line and initrd; Cloison's modules and domains gone. */
    int chosen = fdt_path_offset(out, "/chosen");
    REQUIRE(chosen >= 0);
    CHECK_STR_EQ(fdt_getprop(out, chosen, "bootargs", NULL), "console=hvc0 root=/dev/vda");
    CHECK(fdt_getprop(out, chosen, "xen,xen-bootargs", NULL) == NULL);
    CHECK(fdt_getprop(out, chosen, "stdout-path", NULL) == NULL);
    const void *start = fdt_getprop(out, chosen, "linux,initrd-start", NULL);
    const void *end = fdt_getprop(out, chosen, "linux,initrd-end", NULL);
    REQUIRE(start && end);
    CHECK_EQ(fdt64_ld(start), 0x68000000ULL);
    CHECK_EQ(fdt64_ld(end), 0x68100000ULL);
    CHECK_EQ(count_compatible(out, "multiboot,module"), 0);
    CHECK_EQ(count_compatible(out, "xen,domain"), 0);

    /* Owned by Cloison: its UART, PSCI (rebuilt), PMU (PPI), memory (rebuilt). */
    CHECK_EQ(fdt_path_offset(out, "/pl011@9000000"), -FDT_ERR_NOTFOUND);
    CHECK_EQ(count_compatible(out, "arm,armv8-pmuv3"), 0);
    CHECK_EQ(count_compatible(out, "arm,psci-0.2"), 1);
    const char *method = fdt_getprop(out, fdt_path_offset(out, "/psci"), "method", NULL);
    CHECK_STR_EQ(method, "hvc");

    /* Devices stay: virtio-mmio, PCIe, RTC, fw_cfg, GPIO. */
    CHECK(count_compatible(out, "virtio,mmio") >= 1);
    CHECK_EQ(count_compatible(out, "pci-host-ecam-generic"), 1);
    CHECK_EQ(count_compatible(out, "arm,pl031"), 1);
    CHECK_EQ(count_compatible(out, "qemu,fw-cfg-mmio"), 1);
    CHECK_EQ(count_compatible(out, "arm,pl061"), 1);

    /* cpus, memory, hypervisor. */
    int cpus = fdt_path_offset(out, "/cpus");
    REQUIRE(cpus >= 0);
    CHECK(fdt_subnode_offset(out, cpus, "cpu@0") >= 0);
    CHECK(fdt_subnode_offset(out, cpus, "cpu@1") >= 0);
    CHECK_EQ(fdt_subnode_offset(out, cpus, "cpu@2"), -FDT_ERR_NOTFOUND);
    int mem = fdt_path_offset(out, "/memory@60000000");
    REQUIRE(mem >= 0);
    int len;
    const fdt32_t *reg = fdt_getprop(out, mem, "reg", &len);
    CHECK_EQ(len, 32);
    CHECK_EQ(fdt32_to_cpu(reg[5]), 0x80000000U);
    int hv = fdt_path_offset(out, "/hypervisor");
    REQUIRE(hv >= 0);
    CHECK_EQ(fdt_node_check_compatible(out, hv, "xen,xen"), 0);
    CHECK_STR_EQ(fdt_getprop(out, hv, "compatible", NULL), "xen,xen-4.17");
    const fdt32_t *irq = fdt_getprop(out, hv, "interrupts", &len);
    REQUIRE(irq && len == 12);
    CHECK_EQ(fdt32_to_cpu(irq[0]), 1U);
    CHECK_EQ(fdt32_to_cpu(irq[1]), 15U);

    /* GIC: keeps its phandle; no virtualisation frames, no ITS, no maintenance IRQ; a
     * GICv2m frame stays (dom0 gets it, for MSIs). */
    int gic = fdt_node_offset_by_compatible(out, -1, v3 ? "arm,gic-v3" : "arm,cortex-a15-gic");
    REQUIRE(gic >= 0);
    CHECK(fdt_get_phandle(out, gic) != 0);
    CHECK(fdt_getprop(out, gic, "interrupts", NULL) == NULL);
    fdt_getprop(out, gic, "reg", &len);
    CHECK_EQ(len, 2 * 16);
    CHECK_EQ(count_compatible(out, "arm,gic-v3-its"), 0);
    CHECK_EQ(count_compatible(out, "arm,gic-v2m-frame"), v3 ? 0 : 1);
    struct dom0_v2m frame = {0};
    CHECK_EQ(dom0_dt_for_each_v2m(out, v2m_cb, &frame), v3 ? 0 : 1);
    if (!v3) { /* QEMU's frame, SPIs left to MSI_TYPER */
        CHECK_EQ(frame.base, 0x8020000ULL);
        CHECK_EQ(frame.size, 0x1000ULL);
        CHECK_EQ(frame.nr_spis, 0U);
    }

    /* QEMU's PCIe bridge: 4 slots x 4 pins in its interrupt-map, all SPIs. */
    unsigned int spis = 0;
    CHECK_EQ(dom0_dt_for_each_map_spi(out, count_cb, &spis), 16);
    CHECK_EQ(spis, 16);

    /* MMIO handed to dom0: devices yes, Cloison's UART and RAM no. */
    uint64_t seen[3] = {0, 0, 0};
    CHECK(dom0_dt_for_each_mmio(out, mmio_cb, seen) > 30);
    CHECK_EQ(seen[0], 1ULL);
    CHECK_EQ(seen[1], 0ULL);
    CHECK_EQ(seen[2], 0ULL);
    /* The highest is QEMU's high PCIe window, 512 GiB + 512 GiB: dom0's
     * direct map fits a 40-bit IPA space (boot/setup.c). The host's tree
     * reaches as far (Cloison's UART, the one device dropped, is low). */
    CHECK_EQ(dom0_dt_mmio_top(out), 1ULL << 40);
    CHECK_EQ(dom0_dt_mmio_top(host), 1ULL << 40);
    free(host);
    free(out);
}

TEST(gicv3_host)
{
    check_tree("virt-gicv3-boot.dtb", true);
}

TEST(gicv2_host)
{
    check_tree("virt-gicv2-boot.dtb", false);
}

/* A range reaching past 2^64 saturates instead of wrapping to a low top. */
TEST(mmio_top_saturates)
{
    char fdt[1024];
    REQUIRE(fdt_create_empty_tree(fdt, sizeof(fdt)) == 0);
    fdt_setprop_u32(fdt, 0, "#address-cells", 2);
    fdt_setprop_u32(fdt, 0, "#size-cells", 2);
    CHECK_EQ(dom0_dt_mmio_top(fdt), 0ULL);
    int dev = fdt_add_subnode(fdt, 0, "dev@ffffffffffff0000");
    REQUIRE(dev >= 0);
    fdt_setprop_u64(fdt, dev, "reg", 0xffffffffffff0000ULL);
    fdt_appendprop_u64(fdt, dev, "reg", 0x20000);
    CHECK_EQ(dom0_dt_mmio_top(fdt), UINT64_MAX);
}

TEST(bad_params_rejected)
{
    void *host = test_file_load("virt-gicv3-boot.dtb"), *out = calloc(1, TEST_FILE_MAX);
    struct dom0_dt_params p = params();
    REQUIRE(host && out);
    p.nr_banks = 0;
    CHECK(dom0_dt_build(host, out, TEST_FILE_MAX, &p) < 0);
    p = params();
    p.evtchn_ppi = 40;
    CHECK(dom0_dt_build(host, out, TEST_FILE_MAX, &p) < 0);
    p = params();
    CHECK(dom0_dt_build(host, out, 1024, &p) < 0); /* too small */
    memset(host, 0, 64);                           /* not a device tree */
    CHECK(dom0_dt_build(host, out, TEST_FILE_MAX, &p) < 0);
    free(host);
    free(out);
}

/* An interrupt-map whose parent claims 2^32 - 1 address cells: the walk
 * used to wrap its index and never end. */
TEST(interrupt_map_with_absurd_cells_ends)
{
    void *host = test_file_load("virt-gicv3-boot.dtb");
    REQUIRE(host);
    REQUIRE(fdt_open_into(host, host, TEST_FILE_MAX) == 0);
    int gic = fdt_node_offset_by_compatible(host, -1, "arm,gic-v3");
    REQUIRE(gic >= 0);
    REQUIRE(fdt_setprop_u32(host, gic, "#address-cells", 0xffffffffU) == 0);
    unsigned int spis = 0;
    CHECK_EQ(dom0_dt_for_each_map_spi(host, count_cb, &spis), 0);
    REQUIRE(fdt_setprop_u32(host, gic, "#address-cells", 2) == 0);
    int pci = fdt_node_offset_by_compatible(host, -1, "pci-host-ecam-generic");
    REQUIRE(pci >= 0);
    REQUIRE(fdt_setprop_u32(host, pci, "#interrupt-cells", 0xfffffffeU) == 0);
    CHECK_EQ(dom0_dt_for_each_map_spi(host, count_cb, &spis), 0);
    free(host);
}

/* Thousands of dom0less domains under /chosen: every one is deleted from
 * dom0's tree in one pass (each deletion used to restart the walk). */
TEST(thousands_of_domain_nodes)
{
    void *host = test_file_load("virt-gicv3-boot.dtb"), *out = calloc(1, 4 * TEST_FILE_MAX);
    struct dom0_dt_params p = params();
    REQUIRE(host && out);
    void *big = calloc(1, 4 * TEST_FILE_MAX);
    REQUIRE(big && fdt_open_into(host, big, 4 * TEST_FILE_MAX) == 0);
    int chosen = fdt_path_offset(big, "/chosen");
    REQUIRE(chosen >= 0);
    for (int i = 0; i < 3000; i++) {
        char name[32];
        snprintf(name, sizeof(name), "guest%d", i);
        int d = fdt_add_subnode(big, chosen, name);
        REQUIRE(d >= 0);
        REQUIRE(fdt_setprop_string(big, d, "compatible", "xen,domain") == 0);
        int m = fdt_add_subnode(big, d, "module@50000000");
        REQUIRE(m >= 0);
        REQUIRE(fdt_setprop_string(big, m, "compatible", "multiboot,kernel") == 0);
        chosen = fdt_path_offset(big, "/chosen");
    }
    CHECK_EQ(dom0_dt_build(big, out, 4 * TEST_FILE_MAX, &p), 0);
    CHECK_EQ(count_compatible(out, "xen,domain"), 0);
    CHECK_EQ(count_compatible(out, "multiboot,kernel"), 0);
    CHECK(fdt_path_offset(out, "/chosen") >= 0);
    CHECK(fdt_totalsize(out) < TEST_FILE_MAX / 8);
    free(big);
    free(host);
    free(out);
}
