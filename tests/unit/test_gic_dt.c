/*
 * drivers/gic_dt.c: QEMU virt's GICv3 and GICv2 nodes as QEMU writes them,
 * then one bad property at a time, each refused with a message naming the
 * node and property.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "test_files.h"
#include <drivers/gic_dt.h>

/* A test tree, opened with room to edit it in place. */
static void *load_tree(const char *name)
{
    void *buf = test_file_load(name);
    if (buf && fdt_open_into(buf, buf, TEST_FILE_MAX) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static int probe(const void *fdt, struct gic_dt *dt)
{
    test_msgs_clear();
    return gic_dt_probe(fdt, dt, test_msgs_collect);
}

static int intc(void *fdt)
{
    return fdt_path_offset(fdt, "/intc@8000000");
}

TEST(qemu_gicv3)
{
    struct gic_dt dt;
    void *fdt = load_tree("virt-gicv3-boot.dtb");
    REQUIRE(fdt);
    REQUIRE(probe(fdt, &dt) == 0);
    CHECK_EQ(test_msg_count, 0);
    CHECK_EQ(dt.version, 3);
    CHECK_EQ(dt.nr_regions, 2);
    CHECK_EQ(dt.region[GIC_DT_GICD].base, 0x8000000);
    CHECK_EQ(dt.region[GIC_DT_GICR0].base, 0x80a0000);
    CHECK_EQ(dt.region[GIC_DT_GICR0].size, 0xf60000);
    free(fdt);
}

TEST(qemu_gicv2)
{
    struct gic_dt dt;
    void *fdt = load_tree("virt-gicv2-boot.dtb");
    REQUIRE(fdt);
    REQUIRE(probe(fdt, &dt) == 0);
    CHECK_EQ(dt.version, 2);
    CHECK_EQ(dt.nr_regions, 4);
    CHECK_EQ(dt.region[GIC_DT_GICH].base, 0x8030000);
    CHECK_EQ(dt.region[GIC_DT_GICV].base, 0x8040000);
    CHECK_STR_EQ(dt.compatible, "arm,cortex-a15-gic");
    free(fdt);
}

static void set_u32(void *fdt, int node, const char *prop, uint32_t v)
{
    REQUIRE(fdt_setprop_u32(fdt, node, prop, v) == 0);
}

TEST(bad_gicv3_nodes)
{
    struct gic_dt dt;
    void *fdt = load_tree("virt-gicv3-boot.dtb");
    REQUIRE(fdt);
    set_u32(fdt, intc(fdt), "#redistributor-regions", 0);
    CHECK_EQ(probe(fdt, &dt), -1);
    CHECK(test_msgs_said("irqchip: /intc@8000000: property '#redistributor-regions' is 0"));
    set_u32(fdt, intc(fdt), "#redistributor-regions", 2); /* reg has one */
    CHECK_EQ(probe(fdt, &dt), -1);
    CHECK(test_msgs_said("property 'reg' has 2 entries, the GICv3 needs 3"));
    set_u32(fdt, intc(fdt), "#redistributor-regions", 100);
    CHECK_EQ(probe(fdt, &dt), -1);
    CHECK(test_msgs_said("only the first 8 are used"));
    set_u32(fdt, intc(fdt), "#redistributor-regions", 1);
    const fdt32_t small[] = {0, cpu_to_fdt32(0x8000000), 0, cpu_to_fdt32(0x1000),
                             0, cpu_to_fdt32(0x80a0000), 0, cpu_to_fdt32(0xf60000)};
    REQUIRE(fdt_setprop(fdt, intc(fdt), "reg", small, sizeof(small)) == 0);
    CHECK_EQ(probe(fdt, &dt), -1);
    CHECK(test_msgs_said("property 'reg' entry 0 (GICD, 0x1000 bytes) smaller than 0x10000"));
    const fdt32_t odd[] = {0, cpu_to_fdt32(0x8000800), 0, cpu_to_fdt32(0x10000),
                           0, cpu_to_fdt32(0x80a0000), 0, cpu_to_fdt32(0xf60000)};
    REQUIRE(fdt_setprop(fdt, intc(fdt), "reg", odd, sizeof(odd)) == 0);
    CHECK_EQ(probe(fdt, &dt), -1);
    CHECK(test_msgs_said("not page aligned"));
    const fdt32_t wrap[] = {0xffffffff, cpu_to_fdt32(0xffff0000), 0, cpu_to_fdt32(0x20000),
                            0,          cpu_to_fdt32(0x80a0000),  0, cpu_to_fdt32(0xf60000)};
    REQUIRE(fdt_setprop(fdt, intc(fdt), "reg", wrap, sizeof(wrap)) == 0);
    CHECK_EQ(probe(fdt, &dt), -1);
    CHECK(test_msgs_said("wraps"));
    REQUIRE(fdt_setprop(fdt, intc(fdt), "reg", small, 6) == 0);
    CHECK_EQ(probe(fdt, &dt), -1);
    CHECK(test_msgs_said("property 'reg' has 0 entries"));
    free(fdt);
}

TEST(overlapping_frames)
{
    struct gic_dt dt;
    void *fdt = load_tree("virt-gicv3-boot.dtb");
    REQUIRE(fdt);
    const fdt32_t reg[] = {0, cpu_to_fdt32(0x8000000), 0, cpu_to_fdt32(0x10000),
                           0, cpu_to_fdt32(0x8000000), 0, cpu_to_fdt32(0x20000)};
    REQUIRE(fdt_setprop(fdt, intc(fdt), "reg", reg, sizeof(reg)) == 0);
    CHECK_EQ(probe(fdt, &dt), -1);
    CHECK(test_msgs_said("property 'reg' entries 0 and 1 overlap"));
    free(fdt);
}

TEST(bad_parent_cells)
{
    struct gic_dt dt;
    void *fdt = load_tree("virt-gicv3-boot.dtb");
    REQUIRE(fdt);
    set_u32(fdt, 0, "#address-cells", 3);
    CHECK_EQ(probe(fdt, &dt), -1);
    CHECK(test_msgs_said(
        "irqchip: /intc@8000000: parent's property '#address-cells' = 3 not supported"));
    set_u32(fdt, 0, "#address-cells", 2);
    set_u32(fdt, 0, "#size-cells", 0);
    CHECK_EQ(probe(fdt, &dt), -1);
    CHECK(test_msgs_said("parent's property '#size-cells' = 0 not supported"));
    free(fdt);
}

TEST(gicv2_frames_too_small)
{
    struct gic_dt dt;
    void *fdt = load_tree("virt-gicv2-boot.dtb");
    REQUIRE(fdt);
    const fdt32_t reg[] = {0, cpu_to_fdt32(0x8000000), 0, cpu_to_fdt32(0x10000),
                           0, cpu_to_fdt32(0x8010000), 0, cpu_to_fdt32(0x10000),
                           0, cpu_to_fdt32(0x8030000), 0, cpu_to_fdt32(0x10000),
                           0, cpu_to_fdt32(0x8040000), 0, cpu_to_fdt32(0x1000)};
    REQUIRE(fdt_setprop(fdt, intc(fdt), "reg", reg, sizeof(reg)) == 0);
    CHECK_EQ(probe(fdt, &dt), -1);
    CHECK(test_msgs_said("property 'reg' entry 3 (GICV, 0x1000 bytes) smaller than 0x2000"));
    REQUIRE(fdt_setprop(fdt, intc(fdt), "reg", reg, 3 * 16) == 0);
    CHECK_EQ(probe(fdt, &dt), -1);
    CHECK(test_msgs_said("property 'reg' has 3 entries, the GICv2 needs 4"));
    free(fdt);
}

TEST(no_gic)
{
    struct gic_dt dt;
    void *fdt = load_tree("virt-gicv3-boot.dtb");
    REQUIRE(fdt);
    REQUIRE(fdt_setprop_string(fdt, intc(fdt), "compatible", "vendor,other-irqchip") == 0);
    CHECK_EQ(probe(fdt, &dt), -1);
    CHECK(test_msgs_said("irqchip: /: no node compatible \"arm,gic-v3\""));
    free(fdt);
}
