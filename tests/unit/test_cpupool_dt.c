/*
 * Boot-time cpupools from the device tree (boot/cpupool_dt.c): Xen's ids
 * (tree order, leftovers in one more pool, the boot pCPU's pool swapped
 * into Pool-0), every refusal reported naming its node, domain-cpupool.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include <boot/cpupool_dt.h>
#include "harness.h"
#include "test_files.h"

static bool known(const char *name)
{
    return !strcmp(name, "credit2") || !strcmp(name, "null") || !strcmp(name, "arinc653");
}

/* The tree's cpus at pCPUs 0..3, in the order CPU bring-up found them. */
static const uint64_t mpidr[] = {0x0, 0x1, 0x100, 0x101};
static struct cpupool_dt_host host = {mpidr, 4, 0xf, 0, known, NULL};
static struct cpupool_dt t;

static int parse(const void *fdt)
{
    test_msgs_clear();
    memset(&t, 0xa5, sizeof(t));
    return cpupool_dt_parse(fdt, &host, &t, NULL, NULL, test_msgs_collect);
}

static const char *node_name(const void *fdt, int node)
{
    return node < 0 ? "-" : fdt_get_name(fdt, node, NULL);
}

TEST(xens_ids_boot_pool_swapped_leftovers_pooled)
{
    void *fdt = test_dtb_load("cpupool_good.dtb");
    REQUIRE(fdt);
    host.online = 0xf;
    host.boot_cpu = 0;
    REQUIRE(parse(fdt) == 3);
    CHECK_EQ(test_msg_count, 0);
    /* cpupool_b holds the boot pCPU: Pool-0; cpupool_a takes its id 1. */
    CHECK_EQ(t.pool[0].id, 0);
    CHECK_STR_EQ(node_name(fdt, t.pool[0].node), "cpupool_b");
    CHECK_EQ(t.pool[0].cpus, 0x1);
    CHECK_STR_EQ(t.pool[0].sched, "credit2");
    CHECK_EQ(t.pool[1].id, 1);
    CHECK_STR_EQ(node_name(fdt, t.pool[1].node), "cpupool_a");
    CHECK_EQ(t.pool[1].cpus, 0xc);
    CHECK_STR_EQ(t.pool[1].sched, "null");
    /* pCPU1, in no pool: a pool of its own, the next id, the default scheduler. */
    CHECK_EQ(t.pool[2].id, 2);
    CHECK_EQ(t.pool[2].node, -1);
    CHECK_EQ(t.pool[2].cpus, 0x2);
    CHECK(t.pool[2].sched == NULL);
    CHECK_EQ(t.pool[2].phandle, 0);
    /* domain-cpupool's phandles find them. */
    CHECK_EQ(cpupool_dt_check_domains(fdt, &t, test_msgs_collect), 0);
    CHECK_EQ(test_msg_count, 0);
    int d1 = fdt_path_offset(fdt, "/chosen/domU1");
    const fdt32_t *ph = fdt_getprop(fdt, d1, "domain-cpupool", NULL);
    REQUIRE(ph);
    const struct cpupool_dt_pool *p = cpupool_dt_by_phandle(&t, fdt32_to_cpu(*ph));
    REQUIRE(p);
    CHECK_EQ(p->id, 1);
    CHECK(cpupool_dt_by_phandle(&t, 0) == NULL);
    CHECK(cpupool_dt_by_phandle(&t, 0x4242) == NULL);
    free(fdt);
}

TEST(boot_cpu_elsewhere_moves_pool0)
{
    void *fdt = test_dtb_load("cpupool_good.dtb");
    REQUIRE(fdt);
    /* Booted on pCPU2 (cpupool_a): it is Pool-0, the others keep tree order. */
    host.boot_cpu = 2;
    host.online = 0xf;
    REQUIRE(parse(fdt) == 3);
    CHECK_STR_EQ(node_name(fdt, t.pool[0].node), "cpupool_a");
    CHECK_EQ(t.pool[0].id, 0);
    CHECK_STR_EQ(node_name(fdt, t.pool[1].node), "cpupool_b");
    CHECK_EQ(t.pool[1].id, 1);
    CHECK_EQ(t.pool[2].node, -1);
    /* Booted on pCPU1, in no pool: the leftovers' pool is Pool-0. */
    host.boot_cpu = 1;
    REQUIRE(parse(fdt) == 3);
    CHECK_EQ(t.pool[0].node, -1);
    CHECK_EQ(t.pool[0].cpus, 0x2);
    CHECK_EQ(t.pool[0].id, 0);
    CHECK_STR_EQ(node_name(fdt, t.pool[1].node), "cpupool_b");
    CHECK_EQ(t.pool[1].id, 1);
    CHECK_STR_EQ(node_name(fdt, t.pool[2].node), "cpupool_a");
    CHECK_EQ(t.pool[2].id, 2);
    /* Every pCPU claimed: no leftovers' pool. */
    host.boot_cpu = 0;
    host.online = 0xd;
    REQUIRE(parse(fdt) == 2);
    CHECK_EQ(t.pool[0].cpus | t.pool[1].cpus, 0xd);
    host.online = 0xf;
    free(fdt);
}

TEST(no_pool_nodes_one_pool_of_every_online_cpu)
{
    void *fdt = test_dtb_load("dom0less_good.dtb");
    REQUIRE(fdt);
    host.online = 0xb;
    REQUIRE(parse(fdt) == 1);
    CHECK_EQ(t.pool[0].id, 0);
    CHECK_EQ(t.pool[0].cpus, 0xb);
    CHECK_EQ(t.pool[0].node, -1);
    CHECK(t.pool[0].sched == NULL);
    CHECK_EQ(test_msg_count, 0);
    CHECK_EQ(cpupool_dt_check_domains(fdt, &t, test_msgs_collect), 0);
    host.online = 0xf;
    free(fdt);
}

TEST(each_bad_pool_refused_naming_its_node)
{
    void *fdt = test_dtb_load("cpupool_bad.dtb");
    REQUIRE(fdt);
    host.online = 0x7; /* pCPU3 (c3) did not come up */
    host.boot_cpu = 0;
    CHECK_EQ(parse(fdt), -1);
    CHECK(test_msgs_said_both("cpupool: /chosen/p_empty: ", "'cpupool-cpus' is empty"));
    CHECK(test_msgs_said_both("cpupool: /chosen/p_missing: ", "'cpupool-cpus' missing"));
    CHECK(test_msgs_said_both("cpupool: /chosen/p_sched: ", "\"bogus\": no such scheduler"));
    CHECK(test_msgs_said_both("/chosen/p_dup: ",
                              "cpupool-cpus[1]: pCPU0 is already in pool node 'p_sched'"));
    CHECK(
        test_msgs_said_both("/chosen/p_self: ", "cpupool-cpus[1]: pCPU2 is already in this pool"));
    CHECK(test_msgs_said_both("/chosen/p_notcpu: ",
                              "node 'interrupt-controller@8000000' is not a cpu node"));
    CHECK(test_msgs_said_both("/chosen/p_nonode: ", "phandle 0x999 names no node"));
    CHECK(test_msgs_said_both("/chosen/p_offline: ", "'cpu@101' is pCPU3, which is not online"));
    CHECK(test_msgs_said_both("/chosen/p_absent: ",
                              "'cpu@200' (MPIDR 0x200) is not a pCPU Cloison brought up"));
    CHECK(test_msgs_said_both("/chosen/p_odd: ", "has 2 bytes, not whole phandles"));
    CHECK(test_msgs_said_both("/chosen/p_schedtype: ", "'cpupool-sched' is not a scheduler name"));
    CHECK(test_msgs_said_both("/chosen/p_schedtype: ", "pCPU1 is already in pool node 'p_dup'"));
    CHECK_EQ(test_msg_count, 12);
    host.online = 0xf;
    free(fdt);
}

TEST(domains_naming_no_pool_refused)
{
    void *fdt = test_dtb_load("cpupool_baddom.dtb");
    REQUIRE(fdt);
    REQUIRE(parse(fdt) == 2);
    CHECK_EQ(cpupool_dt_check_domains(fdt, &t, test_msgs_collect), -1);
    CHECK(test_msgs_said_both("cpupool: /chosen/d_gic: ",
                              "names 'interrupt-controller@8000000', not a xen,cpupool"));
    CHECK(test_msgs_said_both("/chosen/d_nonode: ", "phandle 0x777 names no node"));
    CHECK(test_msgs_said_both("/chosen/d_len: ", "must be one phandle, has 8 bytes"));
    CHECK(!test_msgs_said("d_good"));
    CHECK(!test_msgs_said("other"));
    CHECK_EQ(test_msg_count, 3);
    free(fdt);
}

/* Two pool nodes with one phandle (libfdt finds the first, dtc refuses
 * such a source, an overlay merge can make one): a domain naming it would
 * land in the first pool, so the tree is refused naming the second node. */
TEST(pools_sharing_a_phandle_refused)
{
    void *fdt = test_dtb_load("cpupool_good.dtb");
    REQUIRE(fdt);
    int a = fdt_path_offset(fdt, "/chosen/cpupool_a");
    uint32_t ph = fdt_get_phandle(fdt, a);
    REQUIRE(ph != 0);
    REQUIRE(fdt_setprop_u32(fdt, fdt_path_offset(fdt, "/chosen/cpupool_b"), "phandle", ph) == 0);
    CHECK_EQ(parse(fdt), -1);
    CHECK(test_msgs_said_both("cpupool: /chosen/cpupool_b: ", "is also cpupool_a's"));
    CHECK_EQ(test_msg_count, 1);
    /* ~0 is no phandle a node may have. */
    REQUIRE(fdt_setprop_u32(fdt, fdt_path_offset(fdt, "/chosen/cpupool_b"), "phandle", ~0U) == 0);
    CHECK_EQ(parse(fdt), -1);
    CHECK(test_msgs_said_both("/chosen/cpupool_b: ", "phandle 0xffffffff is reserved"));
    CHECK_EQ(test_msg_count, 1);
    free(fdt);
}

/* The leftovers' pool has no node: a domain cannot name it by phandle. */
TEST(phandle_of_the_leftovers_pool_is_none)
{
    struct cpupool_dt x = {.nr = 1};
    x.pool[0].node = -1;
    x.pool[0].phandle = 0;
    CHECK(cpupool_dt_by_phandle(&x, 0) == NULL);
}

static int hook_calls;
static bool refuse_hook(const void *fdt, int node, struct cpupool_dt_pool *pool,
                        void (*report)(const char *msg), void *cookie)
{
    (void)fdt, (void)node, (void)report;
    hook_calls++;
    pool->sched_params = cookie;
    return *(bool *)cookie;
}

/* The ARINC 653 hook sees only arinc653 pools, and its refusal refuses. */
TEST(arinc653_hook)
{
    void *fdt = test_dtb_load("cpupool_good.dtb");
    REQUIRE(fdt);
    bool yes = true;
    hook_calls = 0;
    CHECK_EQ(cpupool_dt_parse(fdt, &host, &t, refuse_hook, &yes, test_msgs_collect), 3);
    CHECK_EQ(hook_calls, 0); /* null and credit2 pools only */
    /* Make cpupool_a an arinc653 pool. */
    int a = fdt_path_offset(fdt, "/chosen/cpupool_a");
    REQUIRE(fdt_setprop_string(fdt, a, "cpupool-sched", "arinc653") == 0);
    CHECK_EQ(cpupool_dt_parse(fdt, &host, &t, refuse_hook, &yes, test_msgs_collect), 3);
    CHECK_EQ(hook_calls, 1);
    CHECK(t.pool[1].sched_params == &yes);
    bool no = false;
    CHECK_EQ(cpupool_dt_parse(fdt, &host, &t, refuse_hook, &no, test_msgs_collect), -1);
    CHECK_EQ(hook_calls, 2);
    free(fdt);
}

/* A node without cpupool-sched has the default scheduler: with sched=arinc653
 * its schedule is read too (Pool-0 by sched= alone). */
TEST(arinc653_hook_for_the_default_scheduler)
{
    void *big = test_dtb_load("cpupool_good.dtb");
    REQUIRE(big);
    REQUIRE(fdt_delprop(big, fdt_path_offset(big, "/chosen/cpupool_b"), "cpupool-sched") == 0);
    bool yes = true;
    hook_calls = 0;
    CHECK_EQ(cpupool_dt_parse(big, &host, &t, refuse_hook, &yes, test_msgs_collect), 3);
    CHECK_EQ(hook_calls, 0); /* the default is credit2 */
    struct cpupool_dt_host h = host;
    h.default_sched = "arinc653";
    CHECK_EQ(cpupool_dt_parse(big, &h, &t, refuse_hook, &yes, test_msgs_collect), 3);
    CHECK_EQ(hook_calls, 1);
    CHECK(t.pool[0].sched_params == &yes); /* cpupool_b holds the boot pCPU */
    CHECK(t.pool[0].sched == NULL);
    free(big);
}

/* A schedule on a pool that is not arinc653 would never be in force: refused,
 * naming the node and the property. */
TEST(arinc653_schedule_on_another_scheduler_refused)
{
    void *big = test_dtb_load("cpupool_good.dtb");
    REQUIRE(big);
    int a = fdt_path_offset(big, "/chosen/cpupool_a");
    REQUIRE(fdt_setprop_u32(big, a, "cloison,arinc653-major-frame-us", 10000) == 0);
    test_msgs_clear();
    CHECK_EQ(cpupool_dt_parse(big, &host, &t, NULL, NULL, test_msgs_collect), -1);
    CHECK(test_msgs_said_both("/chosen/cpupool_a",
                              "'cloison,arinc653-major-frame-us' on a pool whose "
                              "scheduler is null, not arinc653"));
    /* The same pool made arinc653: no complaint from the pools' parser. */
    REQUIRE(fdt_setprop_string(big, a, "cpupool-sched", "arinc653") == 0);
    CHECK_EQ(cpupool_dt_parse(big, &host, &t, NULL, NULL, test_msgs_collect), 3);
    free(big);
}

/* Pool-0's scheduler, read before the other pCPUs are up. */
TEST(boot_pcpu_pool_scheduler)
{
    void *fdt = test_dtb_load("cpupool_good.dtb");
    REQUIRE(fdt);
    const char *s = cpupool_dt_boot_sched(fdt, 0x0);
    REQUIRE(s);
    CHECK_STR_EQ(s, "credit2");                 /* cpupool_b holds cpu@0 */
    s = cpupool_dt_boot_sched(fdt, 0x80000101); /* MPIDR's RES1 bit 31 ignored */
    REQUIRE(s);
    CHECK_STR_EQ(s, "null");
    CHECK(cpupool_dt_boot_sched(fdt, 0x1) == NULL); /* in no pool node */
    CHECK(cpupool_dt_boot_sched(fdt, 0x200) == NULL);
    free(fdt);
    fdt = test_dtb_load("dom0less_good.dtb");
    REQUIRE(fdt);
    CHECK(cpupool_dt_boot_sched(fdt, 0x0) == NULL);
    free(fdt);
}

TEST(unusable_input)
{
    char junk[64] = {0};
    CHECK(cpupool_dt_parse(junk, &host, &t, NULL, NULL, test_msgs_collect) < -1);
    void *fdt = test_dtb_load("cpupool_good.dtb");
    REQUIRE(fdt);
    struct cpupool_dt_host h = host;
    h.boot_cpu = 4;
    CHECK(cpupool_dt_parse(fdt, &h, &t, NULL, NULL, test_msgs_collect) < -1);
    /* No scheduler lookup: every cpupool-sched is unknown. */
    h = host;
    h.sched_known = NULL;
    test_msgs_clear();
    CHECK_EQ(cpupool_dt_parse(fdt, &h, &t, NULL, NULL, test_msgs_collect), -1);
    CHECK(test_msgs_said_both("cpupool_a", "no such scheduler"));
    free(fdt);
}
