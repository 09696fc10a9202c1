/*
 * SYSCTL cpupool_op (xen/ctl_cpupool.c) as xl's cpupool commands drive it,
 * over the fake pools of fakes/cpupool_fake.c: every sub-op's checks in Xen
 * 4.17's order and with its error codes, nothing written back on failure,
 * the pool a toolstack domain is created in (createdomain's cpupool_id) and
 * reported in (getdomaininfo's cpupool), and the domctl lock only tried.
 * The host: 5 pCPUs, 0..3 online, 4 not.
 */
#include "harness.h"
#include "hc_util.h"
#include "fakes/cpupool_fake.h"
#include <cloison/percpu.h>
#include <public/domctl.h>
#include <public/sysctl.h>

#define DOMCTL __HYPERVISOR_domctl
#define SYSCTL __HYPERVISOR_sysctl
#define VER 0x15
#define ANY XEN_SYSCTL_CPUPOOL_PAR_ANY

extern spinlock_t ctl_domctl_lock;
static struct domain *d0, *d1;

static void world(void)
{
    nr_pcpus = 5;
    for (unsigned int i = 0; i < 5; i++)
        pcpus[i].online = i < 4;
    fake_world_reset(); /* Pool-0 of pCPUs 0..3 */
    d0 = fake_domain(0, FAKE_XEN | FAKE_PRIV, 2);
    d1 = fake_domain(1, FAKE_XEN, 1);
}

static struct xen_sysctl pool_op(uint32_t opn, uint32_t id)
{
    struct xen_sysctl op;
    memset(&op, 0, sizeof(op));
    op.cmd = XEN_SYSCTL_cpupool_op;
    op.interface_version = VER;
    op.u.cpupool_op.op = opn;
    op.u.cpupool_op.cpupool_id = id;
    op.u.cpupool_op.cpumap.bitmap = ARG2;
    op.u.cpupool_op.cpumap.nr_bits = 8;
    return op;
}

/* Issue op from dom0; on success op holds what came back. */
static int64_t call(struct xen_sysctl *op)
{
    put(d0, ARG, op, sizeof(*op));
    int64_t rc = fake_hypercall(vcpu0(d0), SYSCTL, ARG, 0, 0, 0, 0);
    get(d0, ARG, op, sizeof(*op));
    return rc;
}

static bool fails(struct xen_sysctl op, int64_t want)
{
    put(d0, ARG, &op, sizeof(op));
    return fails_clean(vcpu0(d0), SYSCTL, ARG, 0, 0, want);
}

static int64_t simple(uint32_t opn, uint32_t id, uint32_t cpu, uint32_t domid)
{
    struct xen_sysctl op = pool_op(opn, id);
    op.u.cpupool_op.cpu = cpu;
    op.u.cpupool_op.domid = domid;
    return call(&op);
}

/* INFO for the first pool at or after id: its id, scheduler, domains, map. */
static int64_t info(uint32_t id, struct xen_sysctl_cpupool_op *out, uint8_t *map)
{
    struct xen_sysctl op = pool_op(XEN_SYSCTL_CPUPOOL_OP_INFO, id);
    int64_t rc = call(&op);
    *out = op.u.cpupool_op;
    get(d0, ARG2, map, 1);
    return rc;
}

static uint8_t freeinfo(void)
{
    struct xen_sysctl op = pool_op(XEN_SYSCTL_CPUPOOL_OP_FREEINFO, 0);
    uint8_t map = 0xee;
    if (call(&op) == 0)
        get(d0, ARG2, &map, 1);
    return map;
}

static uint32_t create(uint32_t id, uint32_t sched, int64_t *rc)
{
    struct xen_sysctl op = pool_op(XEN_SYSCTL_CPUPOOL_OP_CREATE, id);
    op.u.cpupool_op.sched_id = sched;
    *rc = call(&op);
    return op.u.cpupool_op.cpupool_id;
}

static uint32_t dominfo_pool(uint16_t dom)
{
    struct xen_domctl op;
    memset(&op, 0, sizeof(op));
    op.cmd = XEN_DOMCTL_getdomaininfo;
    op.interface_version = VER;
    op.domain = dom;
    put(d0, ARG, &op, sizeof(op));
    CHECK_EQ(fake_hypercall(vcpu0(d0), DOMCTL, ARG, 0, 0, 0, 0), 0);
    get(d0, ARG, &op, sizeof(op));
    return op.u.getdomaininfo.cpupool;
}

/* The world with one more credit2 pool and no pCPU in it (its id). */
static uint32_t world_with_empty_pool(void)
{
    int64_t rc;
    world();
    uint32_t id = create(ANY, XEN_SCHEDULER_CREDIT2, &rc);
    CHECK_EQ(rc, 0);
    return id;
}

/* xl cpupool-list, -create, -cpu-remove/-add, create pool=, -migrate,
 * -destroy, in libxl's order of calls. */
TEST(xl_cpupool_session)
{
    world();
    struct xen_sysctl_cpupool_op i;
    uint8_t map;
    int64_t rc;
    /* cpupool-list: INFO from 0, then from the id returned + 1, to -ENOENT. */
    CHECK_EQ(info(0, &i, &map), 0);
    CHECK_EQ(i.cpupool_id, 0);
    CHECK_EQ(i.sched_id, XEN_SCHEDULER_CREDIT2);
    CHECK_EQ(i.n_dom, 2);
    CHECK_EQ(map, 0x0f);
    CHECK_EQ(info(1, &i, &map), -ENOENT);
    CHECK_EQ(freeinfo(), 0);
    /* cpupool-create name="p1" sched="null" cpus="2,3": the pCPUs must be
     * free first (cpupool-cpu-remove Pool-0 2,3). */
    uint32_t p1 = create(ANY, XEN_SCHEDULER_NULL, &rc);
    CHECK_EQ(rc, 0);
    CHECK_EQ(p1, 1);
    CHECK_EQ(simple(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, p1, 2, 0), -ENODEV); /* in Pool-0 */
    CHECK_EQ(simple(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 0, 2, 0), 0);
    CHECK_EQ(simple(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 0, 3, 0), 0);
    CHECK_EQ(freeinfo(), 0x0c);
    CHECK_EQ(simple(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, p1, 2, 0), 0);
    CHECK_EQ(simple(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, p1, ANY, 0), 0); /* the first free: 3 */
    CHECK_EQ(freeinfo(), 0);
    CHECK_EQ(info(1, &i, &map), 0);
    CHECK_EQ(i.cpupool_id, 1);
    CHECK_EQ(i.sched_id, XEN_SCHEDULER_NULL);
    CHECK_EQ(i.n_dom, 0);
    CHECK_EQ(map, 0x0c);
    CHECK_EQ(info(2, &i, &map), -ENOENT);
    /* xl create pool="p1": createdomain's cpupool_id. */
    struct xen_domctl cd;
    memset(&cd, 0, sizeof(cd));
    cd.cmd = XEN_DOMCTL_createdomain;
    cd.interface_version = VER;
    cd.domain = 0xffff;
    cd.u.createdomain.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
    cd.u.createdomain.max_vcpus = 1;
    cd.u.createdomain.max_evtchn_port = 1023;
    cd.u.createdomain.max_grant_frames = cd.u.createdomain.max_maptrack_frames = -1;
    cd.u.createdomain.grant_opts = 1;
    cd.u.createdomain.cpupool_id = p1;
    put(d0, ARG, &cd, sizeof(cd));
    CHECK_EQ(fake_hypercall(vcpu0(d0), DOMCTL, ARG, 0, 0, 0, 0), 0);
    get(d0, ARG, &cd, sizeof(cd));
    uint16_t dom = cd.domain;
    REQUIRE(fake_dom(dom));
    CHECK_EQ(fake_dom(dom)->cfg.cpupool_id, p1);
    CHECK_EQ(dominfo_pool(dom), p1);
    CHECK_EQ(dominfo_pool(1), 0);
    CHECK_EQ(info(1, &i, &map), 0);
    CHECK_EQ(i.n_dom, 1);
    /* A pool with a domain keeps its last pCPU. */
    CHECK_EQ(simple(XEN_SYSCTL_CPUPOOL_OP_RMCPU, p1, 3, 0), 0);
    CHECK_EQ(simple(XEN_SYSCTL_CPUPOOL_OP_RMCPU, p1, 2, 0), -EBUSY);
    CHECK_EQ(simple(XEN_SYSCTL_CPUPOOL_OP_DESTROY, p1, 0, 0), -EBUSY);
    /* cpupool-migrate dom Pool-0, then back, then Pool-0 again. */
    CHECK_EQ(simple(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, 0, 0, dom), 0);
    CHECK_EQ(dominfo_pool(dom), 0);
    CHECK_EQ(simple(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, p1, 0, dom), 0);
    CHECK_EQ(dominfo_pool(dom), p1);
    unsigned int moves = fake_pool_calls.move;
    CHECK_EQ(simple(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, p1, 0, dom), 0); /* already there */
    CHECK_EQ(fake_pool_calls.move, moves);
    CHECK_EQ(simple(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, 0, 0, dom), 0);
    /* cpupool-destroy p1: its pCPUs out (libxl), then the pool. */
    CHECK_EQ(simple(XEN_SYSCTL_CPUPOOL_OP_RMCPU, p1, ANY, 0), 0); /* the last: 2 */
    CHECK_EQ(freeinfo(), 0x0c);
    CHECK_EQ(simple(XEN_SYSCTL_CPUPOOL_OP_DESTROY, p1, 0, 0), 0);
    CHECK_EQ(info(1, &i, &map), -ENOENT);
    CHECK_EQ(simple(XEN_SYSCTL_CPUPOOL_OP_DESTROY, p1, 0, 0), -ENOENT);
    /* The pCPUs back to Pool-0 (cpupool-cpu-add Pool-0 2,3). */
    CHECK_EQ(simple(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 0, 2, 0), 0);
    CHECK_EQ(simple(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 0, 3, 0), 0);
    CHECK_EQ(info(0, &i, &map), 0);
    CHECK_EQ(map, 0x0f);
    CHECK_EQ(i.n_dom, 3);
    CHECK(quiet());
}

TEST(create_and_destroy_checks)
{
    world();
    int64_t rc;
    CHECK_EQ(create(5, XEN_SCHEDULER_CREDIT2, &rc), 5); /* an id asked for */
    CHECK_EQ(rc, 0);
    CHECK_EQ(create(ANY, XEN_SCHEDULER_CREDIT2, &rc), 6);            /* PAR_ANY: the last + 1 */
    CHECK(fails(pool_op(XEN_SYSCTL_CPUPOOL_OP_CREATE, 5), -EEXIST)); /* before the scheduler */
    struct xen_sysctl op = pool_op(XEN_SYSCTL_CPUPOOL_OP_CREATE, 7);
    op.u.cpupool_op.sched_id = XEN_SCHEDULER_CREDIT; /* Cloison has no credit(1) */
    CHECK(fails(op, -ENOENT));
    op.u.cpupool_op.sched_id = 0;
    CHECK(fails(op, -ENOENT));
    /* At most 2 x the pCPUs (Xen's nr_cpu_ids: 5 here) pools. */
    for (uint32_t id = 7; id < 13; id++) {
        CHECK_EQ(create(id, XEN_SCHEDULER_CREDIT2, &rc), id);
        CHECK_EQ(rc, 0);
    }
    CHECK_EQ(create(ANY, XEN_SCHEDULER_CREDIT2, &rc), 13); /* the tenth */
    CHECK_EQ(rc, 0);
    op.u.cpupool_op.sched_id = XEN_SCHEDULER_CREDIT2;
    op.u.cpupool_op.cpupool_id = 20;
    CHECK(fails(op, -ENOSPC));
    /* Destroy: none -ENOENT, Pool-0 -EBUSY (the boot pCPU) as Xen answers. */
    CHECK(fails(pool_op(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 42), -ENOENT));
    CHECK(fails(pool_op(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 0), -EBUSY));
    CHECK_EQ(simple(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 5, 0, 0), 0);
    CHECK_EQ(create(ANY, XEN_SCHEDULER_CREDIT2, &rc), 14);
    CHECK(fails(pool_op(99, 0), -ENOSYS));
    CHECK(quiet());
}

TEST(addcpu_rmcpu_checks)
{
    uint32_t p = world_with_empty_pool();
    struct xen_sysctl op = pool_op(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 9);
    op.u.cpupool_op.cpu = 1;
    CHECK(fails(op, -ENOENT)); /* no such pool, first */
    op.u.cpupool_op.cpupool_id = p;
    op.u.cpupool_op.cpu = ANY;
    CHECK(fails(op, -ENODEV)); /* no free pCPU */
    op.u.cpupool_op.cpu = 5;
    CHECK(fails(op, -EINVAL)); /* past the pCPUs */
    op.u.cpupool_op.cpu = 4;
    CHECK(fails(op, -ENODEV)); /* offline */
    op.u.cpupool_op.cpu = 1;
    CHECK(fails(op, -ENODEV)); /* in Pool-0 */
    op = pool_op(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 9);
    op.u.cpupool_op.cpu = 1;
    CHECK(fails(op, -ENOENT));
    op.u.cpupool_op.cpupool_id = p;
    op.u.cpupool_op.cpu = ANY;
    CHECK(fails(op, -EINVAL)); /* an empty pool's last pCPU: none */
    op.u.cpupool_op.cpu = 7;
    CHECK(fails(op, -EINVAL));
    op.u.cpupool_op.cpu = 4;
    CHECK(fails(op, -EINVAL)); /* offline */
    op.u.cpupool_op.cpu = 1;
    CHECK(fails(op, -EADDRNOTAVAIL)); /* not in p */
    op.u.cpupool_op.cpupool_id = 0;
    op.u.cpupool_op.cpu = 0;
    CHECK(fails(op, -EINVAL)); /* the boot pCPU stays in Pool-0 */
    op.u.cpupool_op.cpu = ANY;
    CHECK_EQ(call(&op), 0); /* Pool-0's last: 3 */
    CHECK_EQ(freeinfo(), 0x08);
    CHECK(quiet());
}

TEST(movedomain_checks)
{
    uint32_t empty = world_with_empty_pool();
    struct xen_sysctl op = pool_op(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, 0);
    op.u.cpupool_op.domid = 7;
    CHECK(fails(op, -ESRCH));
    op.u.cpupool_op.domid = DOMID_SELF;
    CHECK(fails(op, -ESRCH)); /* reserved ids name no domain */
    op.u.cpupool_op.domid = 0;
    op.u.cpupool_op.cpupool_id = empty;
    CHECK(fails(op, -EPERM)); /* the caller itself */
    op.u.cpupool_op.domid = 1;
    CHECK(fails(op, -ENOENT)); /* a pool without pCPUs */
    op.u.cpupool_op.cpupool_id = 9;
    CHECK(fails(op, -ENOENT)); /* no such pool */
    fake_dom_pool[1] = CTL_FAKE_POOL_NONE;
    CHECK(fails(op, -EINVAL)); /* a domain in no pool */
    CHECK_EQ(dominfo_pool(1), CTL_FAKE_POOL_NONE);
    fake_dom_pool[1] = 0;
    CHECK(quiet());
}

TEST(createdomain_pool_must_exist_and_have_cpus)
{
    uint32_t empty = world_with_empty_pool();
    struct xen_domctl cd;
    memset(&cd, 0, sizeof(cd));
    cd.cmd = XEN_DOMCTL_createdomain;
    cd.interface_version = VER;
    cd.domain = 0xffff;
    cd.u.createdomain.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
    cd.u.createdomain.max_vcpus = 1;
    cd.u.createdomain.max_evtchn_port = 1023;
    cd.u.createdomain.max_grant_frames = cd.u.createdomain.max_maptrack_frames = -1;
    cd.u.createdomain.grant_opts = 1;
    cd.u.createdomain.cpupool_id = 9;
    put(d0, ARG, &cd, sizeof(cd));
    CHECK(fails_clean(vcpu0(d0), DOMCTL, ARG, 0, 0, -ESRCH));
    cd.u.createdomain.cpupool_id = empty;
    put(d0, ARG, &cd, sizeof(cd));
    CHECK(fails_clean(vcpu0(d0), DOMCTL, ARG, 0, 0, -ENODEV));
    CHECK_EQ(fake_ctl.created, 0);
    CHECK(quiet());
}

/* Another vCPU holds the toolstack's lock: issued again, nothing done. */
TEST(lock_held_continues)
{
    world();
    spin_lock(&ctl_domctl_lock);
    struct xen_sysctl op = pool_op(XEN_SYSCTL_CPUPOOL_OP_CREATE, ANY);
    op.u.cpupool_op.sched_id = XEN_SCHEDULER_CREDIT2;
    put(d0, ARG, &op, sizeof(op));
    fake_hypercall(vcpu0(d0), SYSCTL, ARG, 0, 0, 0, 0);
    CHECK(fake_continued(vcpu0(d0)));
    CHECK_EQ(fake_pool_calls.create, 0);
    spin_unlock(&ctl_domctl_lock);
    /* Reading sysctls do not take it. */
    spin_lock(&ctl_domctl_lock);
    op.cmd = XEN_SYSCTL_physinfo;
    put(d0, ARG, &op, sizeof(op));
    CHECK_EQ(fake_hypercall(vcpu0(d0), SYSCTL, ARG, 0, 0, 0, 0), 0);
    CHECK(!fake_continued(vcpu0(d0)));
    spin_unlock(&ctl_domctl_lock);
}
