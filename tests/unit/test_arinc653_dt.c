/*
 * arinc653_dt_parse() (boot/arinc653_dt.c) on the pool nodes of
 * tests/unit/data/arinc653.dts: a good schedule read whole, the default
 * when neither property is there, and each mistake refused with a message
 * naming the node; arinc653_dt_schedule() naming domains by id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include <boot/arinc653_dt.h>
#include "harness.h"
#include "test_files.h"

static void *fdt;
static struct arinc653_dt dt;

static int parse(const char *node)
{
    if (!fdt)
        fdt = test_file_load("arinc653.dtb"); /* kept for every test */
    if (!fdt)
        return -100;
    char path[64];
    snprintf(path, sizeof(path), "/chosen/%s", node);
    test_msgs_clear();
    return arinc653_dt_parse(fdt, fdt_path_offset(fdt, path), &dt, test_msgs_collect);
}

static uint32_t phandle_of(const char *path)
{
    return fdt_get_phandle(fdt, fdt_path_offset(fdt, path));
}

TEST(a_good_schedule_is_read_whole)
{
    CHECK_EQ(parse("good"), 1);
    CHECK_EQ(test_msg_count, 0);
    CHECK_EQ(dt.major_frame_ns, 10000000);
    CHECK_EQ(dt.nr_windows, 3);
    CHECK_EQ(dt.windows[0].dom_phandle, phandle_of("/chosen/domU1"));
    CHECK_EQ(dt.windows[1].dom_phandle, phandle_of("/chosen/domU2"));
    CHECK_EQ(dt.windows[1].vcpu, 1);
    CHECK_EQ(dt.windows[1].runtime_ns, 3000000);
    CHECK_EQ(dt.windows[2].runtime_ns, 5000000); /* filling the frame exactly is allowed */
}

static uint32_t fake_domid(uint32_t phandle, void *ctx)
{
    (void)ctx;
    return phandle == phandle_of("/chosen/domU1") ? 7 : 9;
}

TEST(the_schedule_names_domains_by_id_and_passes_xen_rules)
{
    static struct arinc653_schedule s;
    REQUIRE(parse("good") == 1);
    arinc653_dt_schedule(&dt, fake_domid, NULL, &s);
    CHECK_EQ(s.major_frame, 10000000);
    CHECK_EQ(s.nr_windows, 3);
    CHECK_EQ(s.windows[0].domid, 7);
    CHECK_EQ(s.windows[1].domid, 9);
    CHECK_EQ(s.windows[1].vcpu_id, 1);
    CHECK(sched_arinc653_valid(&s));
}

TEST(neither_property_means_the_default_schedule)
{
    CHECK_EQ(parse("none"), 0);
    CHECK_EQ(test_msg_count, 0);
}

TEST(one_property_without_the_other_is_refused)
{
    CHECK_EQ(parse("half"), -1);
    CHECK(
        test_msgs_said_both("arinc653: /chosen/half: ", "without cloison,arinc653-major-frame-us"));
    CHECK_EQ(parse("half2"), -1);
    CHECK(test_msgs_said_both("/chosen/half2", "without cloison,arinc653-schedule"));
}

TEST(bad_shapes_are_refused_naming_the_node)
{
    CHECK_EQ(parse("zero"), -1);
    CHECK(test_msgs_said_both("/chosen/zero", "major-frame-us: 0"));
    CHECK_EQ(parse("ragged"), -1);
    CHECK(test_msgs_said_both("/chosen/ragged", "not <domain vcpu runtime-us> triples"));
    CHECK_EQ(parse("empty"), -1);
    CHECK(test_msgs_said_both("/chosen/empty", "triples"));
    CHECK_EQ(parse("over"), -1);
    CHECK(test_msgs_said_both("/chosen/over", "1001 us, more than the major frame (1000 us)"));
}

TEST(every_bad_window_is_reported)
{
    CHECK_EQ(parse("wrong"), -1);
    CHECK(test_msgs_said_both("window 0", "is not a /chosen xen,domain node"));
    CHECK(test_msgs_said_both("window 1", "domain domU1 is not in this pool"));
    CHECK(test_msgs_said_both("window 2", "domain domU3 has no vCPU 4 (cpus = 1)"));
    CHECK(test_msgs_said_both("window 3", "runtime 0"));
    CHECK_EQ(test_msg_count, 4);
}
