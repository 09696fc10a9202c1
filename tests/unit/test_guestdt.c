/* guestdt_build(): every node and property a domU relies on, read back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <libfdt.h>
#include <boot/guestdt.h>
#include "harness.h"

static _Alignas(8) unsigned char buf[GUESTDT_SIZE];

static struct guestdt_params base(unsigned int gic, unsigned int vcpus, bool hyp)
{
    return (struct guestdt_params){
        .gic_version = gic,
        .nr_vcpus = vcpus,
        .ram_base = 0x40000000,
        .ram_size = 0x8000000,
        .bootargs = "console=hvc0",
        .initrd_start = 0x48000000,
        .initrd_size = 0x1000,
        .vpl011 = true,
        .hypervisor_node = hyp,
        .timer_freq = 62500000,
    };
}

/* Property bytes equal to the given 32-bit cells. */
static bool cells_eq(const char *path, const char *prop, const uint32_t *want, int n)
{
    int node = fdt_path_offset(buf, path), len;
    const fdt32_t *p = node >= 0 ? fdt_getprop(buf, node, prop, &len) : NULL;

    if (!p || len != n * 4)
        return false;
    for (int i = 0; i < n; i++)
        if (fdt32_ld(p + i) != want[i])
            return false;
    return true;
}

static bool str_eq(const char *path, const char *prop, const char *want, int want_len)
{
    int node = fdt_path_offset(buf, path), len;
    const char *p = node >= 0 ? fdt_getprop(buf, node, prop, &len) : NULL;

    return p && len == want_len && !memcmp(p, want, (size_t)len);
}
#define STR_EQ(path, prop, lit) str_eq(path, prop, lit, (int)sizeof(lit))
#define CELLS_EQ(path, prop, ...)                         \
    cells_eq(path, prop, (const uint32_t[]){__VA_ARGS__}, \
             (int)(sizeof((const uint32_t[]){__VA_ARGS__}) / 4))

static void check_common(const struct guestdt_params *p)
{
    char path[64];

    CHECK_EQ(fdt_check_full(buf, sizeof(buf)), 0);
    CHECK(STR_EQ("/", "model", "XENVM-4.17"));
    CHECK(STR_EQ("/", "compatible", "xen,xenvm-4.17\0xen,xenvm"));
    CHECK(CELLS_EQ("/", "interrupt-parent", 65000));
    CHECK(CELLS_EQ("/", "#address-cells", 2));
    CHECK(CELLS_EQ("/", "#size-cells", 2));

    CHECK(str_eq("/chosen", "bootargs", p->bootargs, (int)strlen(p->bootargs) + 1));
    CHECK(CELLS_EQ("/chosen", "linux,initrd-start", 0, 0x48000000));
    CHECK(CELLS_EQ("/chosen", "linux,initrd-end", 0, 0x48001000));

    CHECK(CELLS_EQ("/cpus", "#address-cells", 1));
    CHECK(CELLS_EQ("/cpus", "#size-cells", 0));
    for (unsigned int n = 0; n < p->nr_vcpus; n++) {
        uint32_t aff = ((n >> 4) << 8) | (n & 0xf);

        snprintf(path, sizeof(path), "/cpus/cpu@%x", aff);
        CHECK(CELLS_EQ(path, "reg", aff));
        CHECK(STR_EQ(path, "device_type", "cpu"));
        CHECK(STR_EQ(path, "compatible", "arm,armv8"));
        CHECK(STR_EQ(path, "enable-method", "psci"));
    }
    snprintf(path, sizeof(path), "/cpus/cpu@%x", p->nr_vcpus);
    CHECK(fdt_path_offset(buf, path) < 0);

    CHECK(STR_EQ("/psci", "compatible", "arm,psci-1.0\0arm,psci-0.2\0arm,psci"));
    CHECK(STR_EQ("/psci", "method", "hvc"));
    CHECK(CELLS_EQ("/psci", "cpu_off", 1));
    CHECK(CELLS_EQ("/psci", "cpu_on", 2));

    CHECK(STR_EQ("/memory@40000000", "device_type", "memory"));
    CHECK(CELLS_EQ("/memory@40000000", "reg", 0, 0x40000000, 0, 0x8000000));

    CHECK(CELLS_EQ("/interrupt-controller@3001000", "phandle", 65000));
    CHECK(CELLS_EQ("/interrupt-controller@3001000", "linux,phandle", 65000));
    CHECK(CELLS_EQ("/interrupt-controller@3001000", "#interrupt-cells", 3));
    CHECK(CELLS_EQ("/interrupt-controller@3001000", "#address-cells", 0));
    CHECK(str_eq("/interrupt-controller@3001000", "interrupt-controller", "", 0));
    CHECK_EQ(fdt_node_offset_by_phandle(buf, 65000),
             fdt_path_offset(buf, "/interrupt-controller@3001000"));

    CHECK(STR_EQ("/timer", "compatible", "arm,armv8-timer"));
    CHECK(CELLS_EQ("/timer", "interrupts", 1, 13, 0xf08, 1, 14, 0xf08, 1, 11, 0xf08));
    CHECK(CELLS_EQ("/timer", "clock-frequency", 62500000));

    CHECK(STR_EQ("/sbsa-uart@22000000", "compatible", "arm,sbsa-uart"));
    CHECK(CELLS_EQ("/sbsa-uart@22000000", "reg", 0, 0x22000000, 0, 0x1000));
    CHECK(CELLS_EQ("/sbsa-uart@22000000", "interrupts", 0, 0, 0xf04));
    CHECK(CELLS_EQ("/sbsa-uart@22000000", "current-speed", 115200));

    if (p->hypervisor_node) {
        CHECK(STR_EQ("/hypervisor", "compatible", "xen,xen-4.17\0xen,xen"));
        CHECK(CELLS_EQ("/hypervisor", "reg", 0, 0x38000000, 0, 0x01000000));
        CHECK(CELLS_EQ("/hypervisor", "interrupts", 1, 15, 0xf08));
    } else {
        CHECK(fdt_path_offset(buf, "/hypervisor") < 0);
    }
}

TEST(gicv3_8_vcpus_hypervisor)
{
    struct guestdt_params p = base(3, 8, true);

    REQUIRE(guestdt_build(buf, sizeof(buf), &p) == 0);
    check_common(&p);
    CHECK(STR_EQ("/interrupt-controller@3001000", "compatible", "arm,gic-v3"));
    CHECK(CELLS_EQ("/interrupt-controller@3001000", "#redistributor-regions", 1));
    CHECK(CELLS_EQ("/interrupt-controller@3001000", "reg", 0, 0x03001000, 0, 0x10000, 0, 0x03020000,
                   0, 0x01000000));
}

TEST(gicv2_1_vcpu_plain)
{
    struct guestdt_params p = base(2, 1, false);

    REQUIRE(guestdt_build(buf, sizeof(buf), &p) == 0);
    check_common(&p);
    CHECK(STR_EQ("/interrupt-controller@3001000", "compatible", "arm,gic-400"));
    CHECK(CELLS_EQ("/interrupt-controller@3001000", "reg", 0, 0x03001000, 0, 0x1000, 0, 0x03002000,
                   0, 0x2000));
}

TEST(optional_parts_absent)
{
    struct guestdt_params p = base(3, 1, false);

    p.bootargs = "";
    p.initrd_size = 0;
    p.vpl011 = false;
    p.timer_freq = 0;
    REQUIRE(guestdt_build(buf, sizeof(buf), &p) == 0);
    CHECK(fdt_getprop(buf, fdt_path_offset(buf, "/chosen"), "bootargs", NULL) == NULL);
    CHECK(fdt_getprop(buf, fdt_path_offset(buf, "/chosen"), "linux,initrd-start", NULL) == NULL);
    CHECK(fdt_path_offset(buf, "/sbsa-uart@22000000") < 0);
    CHECK(fdt_getprop(buf, fdt_path_offset(buf, "/timer"), "clock-frequency", NULL) == NULL);
    p.bootargs = NULL;
    CHECK_EQ(guestdt_build(buf, sizeof(buf), &p), 0);
}

TEST(many_vcpus_affinity_and_size)
{
    struct guestdt_params p = base(3, GUESTDT_MAX_VCPUS, true);
    char args[512];

    memset(args, 'a', sizeof(args) - 1);
    args[sizeof(args) - 1] = '\0';
    p.bootargs = args;
    REQUIRE(guestdt_build(buf, sizeof(buf), &p) == 0);
    check_common(&p);
    /* vCPU 17 = Aff1 1, Aff0 1. */
    CHECK(CELLS_EQ("/cpus/cpu@101", "reg", 0x101));
    CHECK(fdt_totalsize(buf) < GUESTDT_SIZE);
}

TEST(bad_params_and_small_buffer)
{
    struct guestdt_params p = base(3, 1, true);

    p.gic_version = 4;
    CHECK_EQ(guestdt_build(buf, sizeof(buf), &p), -FDT_ERR_BADVALUE);
    p = base(3, 0, true);
    CHECK_EQ(guestdt_build(buf, sizeof(buf), &p), -FDT_ERR_BADVALUE);
    p = base(3, GUESTDT_MAX_VCPUS + 1, true);
    CHECK_EQ(guestdt_build(buf, sizeof(buf), &p), -FDT_ERR_BADVALUE);
    p = base(2, 1, true);
    p.ram_size = 0;
    CHECK_EQ(guestdt_build(buf, sizeof(buf), &p), -FDT_ERR_BADVALUE);
    p = base(2, 1, true);
    CHECK_EQ(guestdt_build(buf + 4, sizeof(buf) - 4, &p), -FDT_ERR_ALIGNMENT);
    CHECK_EQ(guestdt_build(buf, 256, &p), -FDT_ERR_NOSPACE);
}

/* dtc must accept what guests will parse. */
TEST(dtc_accepts_output)
{
    struct guestdt_params p = base(3, 8, true);
    char path[256], cmd[600];
    FILE *f;

    REQUIRE(guestdt_build(buf, sizeof(buf), &p) == 0);
    mkdir(UNIT_OUT_DIR, 0755);
    snprintf(path, sizeof(path), "%s/guestdt_v3.dtb", UNIT_OUT_DIR);
    f = fopen(path, "wb");
    REQUIRE(f);
    CHECK_EQ(fwrite(buf, 1, fdt_totalsize(buf), f), fdt_totalsize(buf));
    fclose(f);
    snprintf(cmd, sizeof(cmd), "dtc -q -I dtb -O dts -o /dev/null %s", path);
    CHECK_EQ(system(cmd), 0);
}
