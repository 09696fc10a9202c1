/* dom0less_parse() and dom0less_hv_bootargs() on trees from tests/unit/data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include <core/domain_cfg.h>
#include "harness.h"
#include "test_files.h"

#define MAX_DOMAINS 64
static struct domain_cfg cfg[MAX_DOMAINS];

static int parse(const void *fdt, int max)
{
    test_msgs_clear();
    memset(cfg, 0xa5, sizeof(cfg));
    return dom0less_parse(fdt, cfg, max, test_msgs_collect);
}

TEST(good_domains_all_fields)
{
    void *fdt = test_dtb_load("dom0less_good.dtb");

    REQUIRE(fdt);
    REQUIRE(parse(fdt, MAX_DOMAINS) == 6);

    CHECK_STR_EQ(cfg[0].name, "domU1");
    CHECK_EQ(cfg[0].memory_kib, 131072);
    CHECK_EQ(cfg[0].vcpus, 2);
    CHECK(cfg[0].vpl011);
    CHECK_EQ(cfg[0].enhanced, XEN_ENHANCED_NONE);
    CHECK_EQ(cfg[0].event_channels, 0); /* not given: the default */
    CHECK_EQ(cfg[0].kernel.start, 0x4a000000);
    CHECK_EQ(cfg[0].kernel.size, 0xffffff);
    CHECK_EQ(cfg[0].ramdisk.start, 0x4b000000);
    CHECK_EQ(cfg[0].ramdisk.size, 0x800000);
    CHECK_STR_EQ(cfg[0].bootargs, "console=ttyAMA0 init=/bin/sh");

    CHECK_STR_EQ(cfg[1].name, "domU2");
    CHECK_EQ(cfg[1].memory_kib, 65536);
    CHECK_EQ(cfg[1].vcpus, 1);
    CHECK(!cfg[1].vpl011);
    CHECK_EQ(cfg[1].enhanced, XEN_ENHANCED_NO_XENSTORE);
    CHECK_EQ(cfg[1].kernel.start, 0x4c000000);
    CHECK_EQ(cfg[1].kernel.size, 0x200000);
    CHECK_EQ(cfg[1].ramdisk.size, 0);
    CHECK_STR_EQ(cfg[1].bootargs, "");

    CHECK_STR_EQ(cfg[2].name, "domU3");
    CHECK_EQ(cfg[2].memory_kib, 0x40000);
    CHECK_EQ(cfg[2].vcpus, 8);
    CHECK_EQ(cfg[2].enhanced, XEN_ENHANCED_ENABLED);
    CHECK_EQ(cfg[2].event_channels, 8192);
    CHECK_EQ(cfg[2].p2m_mem_mb, 3);
    CHECK_EQ(cfg[1].p2m_mem_mb, 0); /* not given: the default */
    CHECK_EQ(cfg[2].kernel.start, 0x120000000ULL);
    CHECK_EQ(cfg[2].kernel.size, 0x3000000);
    CHECK_EQ(cfg[2].ramdisk.start, 0x150000000ULL);
    CHECK_EQ(cfg[2].ramdisk.size, 0x1000);
    CHECK_STR_EQ(cfg[2].bootargs, "from-ramdisk");

    CHECK_STR_EQ(cfg[3].name, "domU4");
    CHECK_EQ(cfg[3].memory_kib, 2048);
    CHECK_EQ(cfg[3].enhanced, XEN_ENHANCED_NONE);

    CHECK_STR_EQ(cfg[4].name, "domU5");
    CHECK_EQ(cfg[4].enhanced, XEN_ENHANCED_NONE);
    CHECK_EQ(cfg[4].kernel.start, 0x4e000000);
    CHECK_STR_EQ(cfg[4].bootargs, "");

    CHECK_STR_EQ(cfg[5].name, "domU6");
    CHECK_EQ(cfg[5].enhanced, XEN_ENHANCED_ENABLED);
    free(fdt);
}

TEST(good_domains_warnings)
{
    void *fdt = test_dtb_load("dom0less_good.dtb");

    REQUIRE(fdt);
    parse(fdt, MAX_DOMAINS);
    /* Only domU5 deserves remarks. */
    for (int i = 0; i < test_msg_count; i++)
        CHECK(strstr(test_msgs[i], "dom0less: /chosen/domU5"));
    CHECK(test_msgs_said_both("/chosen/domU5: property 'xen,enhanced'", "bogus"));
    CHECK(test_msgs_said("/chosen/domU5: property 'direct-map' not supported"));
    CHECK(test_msgs_said_both("/chosen/domU5: property 'bootargs' not supported", "kernel module"));
    CHECK(test_msgs_said_both("/chosen/domU5: property '#address-cells' missing", "using 2"));
    CHECK(test_msgs_said_both("/chosen/domU5: property '#size-cells' missing", "using 2"));
    CHECK(test_msgs_said_both("/chosen/domU5/module@4f000000: property 'compatible'", "ignored"));
    CHECK(!test_msgs_said("skipped"));
    free(fdt);
}

TEST(too_many_domains)
{
    void *fdt = test_dtb_load("dom0less_good.dtb");

    REQUIRE(fdt);
    CHECK_EQ(parse(fdt, 2), 2);
    CHECK_STR_EQ(cfg[0].name, "domU1");
    CHECK_STR_EQ(cfg[1].name, "domU2");
    CHECK(test_msgs_said("/chosen/domU3: too many domains (at most 2)"));
    CHECK(test_msgs_said("/chosen/domU6: too many domains"));
    CHECK_EQ(parse(fdt, 0), 0);
    free(fdt);
}

static const struct {
    const char *node, *needle;
} bad_cases[] = {
    {"nomem", "property 'memory' missing"},
    {"memlen", "property 'memory' must be 1 or 2 cells"},
    {"memalign", "property 'memory' (65537 KiB) is not a multiple of 4 KiB"},
    {"memsmall", "property 'memory' (64 KiB) outside"},
    {"memhuge", "property 'memory' (4294967296 KiB) outside"},
    {"memkernel", "property 'memory' (2048 KiB) smaller than kernel"},
    {"nocpus", "property 'cpus' missing"},
    {"cpus0", "property 'cpus' (0) outside 1..8"},
    {"cpus9", "property 'cpus' (9) outside 1..8"},
    {"cpuslen", "property 'cpus' must be one cell"},
    {"nokernel", "no module compatible \"multiboot,kernel\""},
    {"ramdiskonly", "\"multiboot,ramdisk\" module without a \"multiboot,kernel\""},
    {"twokernels/k2", "second \"multiboot,kernel\" module"},
    {"tworamdisks/r2", "second \"multiboot,ramdisk\" module"},
    {"kernsize0/k", "property 'reg' gives size 0"},
    {"noreg/k", "property 'reg' missing"},
    {"regshort/k", "property 'reg' has 12 bytes, expected a multiple of 16"},
    {"regwrap/k", "property 'reg' range 0xfffffffffffff000 + 0x2000 wraps"},
    {"cells3", "property '#address-cells' = 3 not supported"},
    {"cellslen", "property '#size-cells' must be one cell"},
    {"argsnotstr/k", "property 'bootargs' is not a NUL-terminated string"},
    {"evchan0", "property 'cloison,event-channels' (0) outside 1..131072"},
    {"evchanbig", "property 'cloison,event-channels' (131073) outside 1..131072"},
    {"evchanlen", "property 'cloison,event-channels' must be one cell, has 8 bytes"},
    {"evchanempty", "property 'cloison,event-channels' must be one cell, has 0 bytes"},
    {"p2mmem0", "property 'xen,domain-p2m-mem-mb' is 0"},
    {"p2mmemlen", "property 'xen,domain-p2m-mem-mb' must be one cell (MiB), has 8 bytes"},
    {"this-node-name-is-far-too-long-for-cloison", "node name longer than 31"},
};

TEST(bad_domains_skipped_good_kept)
{
    void *fdt = test_dtb_load("dom0less_bad.dtb");
    char path[128];

    REQUIRE(fdt);
    REQUIRE(parse(fdt, MAX_DOMAINS) == 2);
    CHECK_STR_EQ(cfg[0].name, "good1");
    CHECK_STR_EQ(cfg[1].name, "good2");
    CHECK_EQ(cfg[1].vcpus, 3);
    CHECK_EQ(cfg[1].kernel.start, 0x60000000);
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        snprintf(path, sizeof(path), "dom0less: /chosen/%s: %s", bad_cases[i].node,
                 bad_cases[i].needle);
        if (!test_msgs_said(path))
            HARNESS_FAIL("no message \"%s\"", path);
        /* The domain part of the path, for the "skipped" line. */
        snprintf(path, sizeof(path), "/chosen/%s", bad_cases[i].node);
        if (strchr(path + 8, '/'))
            *strchr(path + 8, '/') = '\0';
        if (!test_msgs_said_both(path, "domain skipped"))
            HARNESS_FAIL("%s not reported as skipped", path);
    }
    CHECK(!test_msgs_said("/chosen/good"));
    free(fdt);
}

/* Mutations of the good tree with libfdt. */
TEST(bootargs_too_long)
{
    void *fdt = test_dtb_load("dom0less_good.dtb");
    char longargs[600];
    int node;

    REQUIRE(fdt);
    memset(longargs, 'x', sizeof(longargs) - 1);
    longargs[sizeof(longargs) - 1] = '\0';
    node = fdt_path_offset(fdt, "/chosen/domU1/module@4a000000");
    REQUIRE(node >= 0);
    REQUIRE(fdt_setprop_string(fdt, node, "bootargs", longargs) == 0);
    CHECK_EQ(parse(fdt, MAX_DOMAINS), 5);
    CHECK(test_msgs_said_both("/chosen/domU1/module@4a000000: property 'bootargs' is 599 bytes",
                              NULL));

    /* 511 characters is the most that fits. */
    longargs[DOMCFG_BOOTARGS_LEN - 1] = '\0';
    node = fdt_path_offset(fdt, "/chosen/domU1/module@4a000000");
    REQUIRE(fdt_setprop_string(fdt, node, "bootargs", longargs) == 0);
    CHECK_EQ(parse(fdt, MAX_DOMAINS), 6);
    CHECK_EQ(strlen(cfg[0].bootargs), DOMCFG_BOOTARGS_LEN - 1);
    free(fdt);
}

TEST(enhanced_not_a_string)
{
    void *fdt = test_dtb_load("dom0less_good.dtb");
    int node;

    REQUIRE(fdt);
    node = fdt_path_offset(fdt, "/chosen/domU1");
    REQUIRE(fdt_setprop(fdt, node, "xen,enhanced", "ab", 2) == 0);
    CHECK_EQ(parse(fdt, MAX_DOMAINS), 6);
    CHECK_EQ(cfg[0].enhanced, XEN_ENHANCED_ENABLED);
    CHECK(test_msgs_said("/chosen/domU1: property 'xen,enhanced' is not a string"));
    free(fdt);
}

TEST(shutdown_actions)
{
    void *fdt = test_dtb_load("dom0less_good.dtb");
    int node;

    REQUIRE(fdt);
    /* Defaults: destroy for every reason, as Xen does without a toolstack. */
    CHECK_EQ(parse(fdt, MAX_DOMAINS), 6);
    CHECK_EQ(cfg[0].on_poweroff, ACTION_DESTROY);
    CHECK_EQ(cfg[0].on_reboot, ACTION_DESTROY);
    CHECK_EQ(cfg[0].on_crash, ACTION_DESTROY);

    node = fdt_path_offset(fdt, "/chosen/domU1");
    REQUIRE(fdt_setprop_string(fdt, node, "on_reboot", "restart") == 0);
    node = fdt_path_offset(fdt, "/chosen/domU1");
    REQUIRE(fdt_setprop_string(fdt, node, "on_crash", "preserve") == 0);
    CHECK_EQ(parse(fdt, MAX_DOMAINS), 6);
    CHECK_EQ(cfg[0].on_reboot, ACTION_RESTART);
    CHECK_EQ(cfg[0].on_crash, ACTION_PRESERVE);
    CHECK_EQ(cfg[0].on_poweroff, ACTION_DESTROY);

    /* A bad value names the property and skips the domain. */
    node = fdt_path_offset(fdt, "/chosen/domU2");
    REQUIRE(fdt_setprop_string(fdt, node, "on_poweroff", "explode") == 0);
    CHECK_EQ(parse(fdt, MAX_DOMAINS), 5);
    CHECK(test_msgs_said("/chosen/domU2: property 'on_poweroff' must be"));
    CHECK(test_msgs_said("/chosen/domU2: domain skipped"));
    free(fdt);
}

TEST(event_channels_bounds_and_plain_vm)
{
    void *fdt = test_dtb_load("dom0less_good.dtb");
    int node;

    REQUIRE(fdt);
    /* 1 and 2^17 (the FIFO ABI's whole space) are the extremes. */
    node = fdt_path_offset(fdt, "/chosen/domU2");
    REQUIRE(fdt_setprop_u32(fdt, node, "cloison,event-channels", 1) == 0);
    node = fdt_path_offset(fdt, "/chosen/domU6");
    REQUIRE(fdt_setprop_u32(fdt, node, "cloison,event-channels", 131072) == 0);
    CHECK_EQ(parse(fdt, MAX_DOMAINS), 6);
    CHECK_EQ(cfg[1].event_channels, 1);
    CHECK_EQ(cfg[5].event_channels, 131072);
    CHECK(!test_msgs_said("cloison,event-channels"));
    /* A plain VM has no event channels: kept, with a warning. */
    node = fdt_path_offset(fdt, "/chosen/domU1");
    REQUIRE(fdt_setprop_u32(fdt, node, "cloison,event-channels", 64) == 0);
    CHECK_EQ(parse(fdt, MAX_DOMAINS), 6);
    CHECK_EQ(cfg[0].event_channels, 64);
    CHECK(test_msgs_said_both("/chosen/domU1: property 'cloison,event-channels' ignored without",
                              NULL));
    CHECK(!test_msgs_said("skipped"));
    free(fdt);
}

TEST(no_chosen_bad_header_null_report)
{
    char buf[256];
    void *fdt = test_dtb_load("dom0less_good.dtb");

    REQUIRE(fdt_create_empty_tree(buf, sizeof(buf)) == 0);
    CHECK_EQ(parse(buf, MAX_DOMAINS), 0);
    memset(buf, 0, sizeof(buf));
    CHECK(parse(buf, MAX_DOMAINS) < 0);
    CHECK(dom0less_hv_bootargs(buf) == NULL);
    /* Without a report callback the parse still works. */
    REQUIRE(fdt);
    CHECK_EQ(dom0less_parse(fdt, cfg, MAX_DOMAINS, NULL), 6);
    free(fdt);
}

/* A /chosen built from the given properties (name, value pairs, NULL-ended)
 * and an optional dom0 module (compatible list, bootargs or NULL). */
static void build_chosen(void *buf, const char *const *props, const char *mod_compat,
                         size_t compat_len, const char *mod_args)
{
    fdt_create(buf, 4096);
    fdt_finish_reservemap(buf);
    fdt_begin_node(buf, "");
    fdt_begin_node(buf, "chosen");
    for (; props && props[0]; props += 2)
        fdt_property_string(buf, props[0], props[1]);
    if (mod_compat) {
        fdt_begin_node(buf, "module@40000000");
        fdt_property(buf, "compatible", mod_compat, (int)compat_len);
        if (mod_args)
            fdt_property_string(buf, "bootargs", mod_args);
        fdt_end_node(buf);
    }
    fdt_end_node(buf);
    fdt_end_node(buf);
    fdt_finish(buf);
}

#define KERNEL_COMPAT "multiboot,kernel\0multiboot,module"
#define LEGACY_COMPAT "multiboot,module"
#define RAMDISK_COMPAT "multiboot,ramdisk\0multiboot,module"

static const char *hv(const char *const *props, const char *compat, size_t clen, const char *args)
{
    static _Alignas(8) char buf[4096];

    build_chosen(buf, props, compat, clen, args);
    return dom0less_hv_bootargs(buf);
}

TEST(hv_bootargs_rules)
{
    static const char *const xen_and_bootargs[] = {"xen,xen-bootargs", "XEN", "bootargs", "B",
                                                   NULL};
    static const char *const dom0_and_bootargs[] = {"xen,dom0-bootargs", "D0", "bootargs", "B",
                                                    NULL};
    static const char *const only_bootargs[] = {"bootargs", "B", NULL};
    const char *s;

    s = hv(xen_and_bootargs, NULL, 0, NULL);
    CHECK(s && !strcmp(s, "XEN"));
    s = hv(dom0_and_bootargs, NULL, 0, NULL);
    CHECK(s && !strcmp(s, "B"));
    /* bootargs alone is dom0's. */
    CHECK(hv(only_bootargs, NULL, 0, NULL) == NULL);
    CHECK(hv(only_bootargs, KERNEL_COMPAT, sizeof(KERNEL_COMPAT), NULL) == NULL);
    CHECK(hv(only_bootargs, KERNEL_COMPAT, sizeof(KERNEL_COMPAT), "") == NULL);
    /* ... unless the dom0 kernel carries its own command line. */
    s = hv(only_bootargs, KERNEL_COMPAT, sizeof(KERNEL_COMPAT), "root=/dev/vda");
    CHECK(s && !strcmp(s, "B"));
    /* The first untyped module is the kernel (Xen's legacy rule)... */
    s = hv(only_bootargs, LEGACY_COMPAT, sizeof(LEGACY_COMPAT), "root=/dev/vda");
    CHECK(s && !strcmp(s, "B"));
    /* ... a ramdisk's bootargs do not count. */
    CHECK(hv(only_bootargs, RAMDISK_COMPAT, sizeof(RAMDISK_COMPAT), "x") == NULL);
    CHECK(hv(NULL, NULL, 0, NULL) == NULL);
}

TEST(hv_bootargs_from_good_tree)
{
    void *fdt = test_dtb_load("dom0less_good.dtb");
    const char *s;

    REQUIRE(fdt);
    s = dom0less_hv_bootargs(fdt);
    CHECK(s && !strcmp(s, "console=dtuart loglvl=all"));
    free(fdt);
}
