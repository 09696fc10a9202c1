/*
 * The toolstack's per-domain and host commands beyond getdomaininfo
 * (xen/ctl_*.c) through the real domctl/sysctl envelopes: the domctl lock
 * (busy: a continuation), getvcpuinfo, set/getvcpuaffinity, scheduler_op
 * (domctl and sysctl), setdomainhandle, setnodeaffinity, set_address_size,
 * get/set_paging_mempool_size, cputopoinfo, numainfo and readconsole over
 * the log ring, each with Xen 4.17's answers and error codes.
 */
#include <asm/cpu.h>
#include "harness.h"
#include "hc_util.h"
#include "fakes/cpupool_fake.h"
#include <console/conring.h>
#include <public/domctl.h>
#include <public/sysctl.h>

#define DOMCTL __HYPERVISOR_domctl
#define SYSCTL __HYPERVISOR_sysctl
#define VER 0x15

/* xen/ctl.h (private to xen/): the lock every domctl command is run under. */
extern spinlock_t ctl_domctl_lock;
extern size_t fake_p2m_layout_pages, fake_p2m_pool_set;

static struct domain *d0, *d1, *d3;

/* dom0 (control), a Xen domU with 2 vCPUs, a plain VM at id 3. */
static void world(void)
{
    fake_world_reset();
    d0 = fake_domain(0, FAKE_XEN | FAKE_PRIV, 2);
    d1 = fake_domain(1, FAKE_XEN, 2);
    d3 = fake_domain(3, 0, 1);
}

static inline struct xen_domctl domctl(uint32_t cmd, uint16_t domain)
{
    struct xen_domctl op;
    memset(&op, 0, sizeof(op));
    op.cmd = cmd;
    op.interface_version = VER;
    op.domain = domain;
    return op;
}

/* Issue a domctl from dom0 (ARG); the struct as the guest sees it after. */
static inline int64_t run(struct xen_domctl *op)
{
    put(d0, ARG, op, sizeof(*op));
    int64_t rc = fake_hypercall(vcpu0(d0), DOMCTL, ARG, 0, 0, 0, 0);
    get(d0, ARG, op, sizeof(*op));
    return rc;
}

static inline bool domctl_fails(struct domain *from, struct xen_domctl op, int64_t want)
{
    put(from, ARG, &op, sizeof(op));
    return fails_clean(vcpu0(from), DOMCTL, ARG, 0, 0, want);
}

static inline struct xen_sysctl sysctl(uint32_t cmd)
{
    struct xen_sysctl op;
    memset(&op, 0, sizeof(op));
    op.cmd = cmd;
    op.interface_version = VER;
    return op;
}

static inline int64_t srun(struct xen_sysctl *op)
{
    put(d0, ARG, op, sizeof(*op));
    int64_t rc = fake_hypercall(vcpu0(d0), SYSCTL, ARG, 0, 0, 0, 0);
    get(d0, ARG, op, sizeof(*op));
    return rc;
}

static inline bool sysctl_fails(struct xen_sysctl op, int64_t want)
{
    put(d0, ARG, &op, sizeof(op));
    return fails_clean(vcpu0(d0), SYSCTL, ARG, 0, 0, want);
}

TEST(a_busy_domctl_lock_makes_the_call_a_continuation)
{
    world();
    struct xen_domctl op = domctl(XEN_DOMCTL_getdomaininfo, 1);
    put(d0, ARG, &op, sizeof(op));
    spin_lock(&ctl_domctl_lock); /* another pCPU runs a command */
    uint64_t written = fake_guest_writes;
    struct vcpu *v = vcpu0(d0);
    fake_hypercall(v, DOMCTL, ARG, 0, 0, 0, 0);
    CHECK(fake_continued(v));
    CHECK_EQ(v->arch.regs.x[0], ARG); /* the same call again */
    CHECK_EQ(fake_guest_writes, written);
    CHECK_EQ(fake_refs_held(), 0);
    spin_unlock(&ctl_domctl_lock);
    CHECK_EQ(fake_reissue(v), 0);
    CHECK(!fake_continued(v));
    get(d0, ARG, &op, sizeof(op));
    CHECK_EQ(op.u.getdomaininfo.domain, 1);
    /* Refused calls never reach the lock: a domU gets -EPERM at once. */
    spin_lock(&ctl_domctl_lock);
    op = domctl(XEN_DOMCTL_getvcpuinfo, 1);
    put(d1, ARG, &op, sizeof(op));
    CHECK_EQ(fake_hypercall(vcpu0(d1), DOMCTL, ARG, 0, 0, 0, 0), -EPERM);
    CHECK(!fake_continued(vcpu0(d1)));
    op = domctl(999, 1);
    put(d0, ARG, &op, sizeof(op));
    CHECK_EQ(fake_hypercall(v, DOMCTL, ARG, 0, 0, 0, 0), -ENOSYS);
    CHECK(!fake_continued(v));
    spin_unlock(&ctl_domctl_lock);
    CHECK(quiet());
}

TEST(getvcpuinfo_fields_and_errors)
{
    world();
    struct vcpu *t = d1->vcpus[1];
    t->state = VCPU_BLOCKED;
    t->runtime = FAKE_FREQ * 2; /* 2 s */
    t->pcpu = 1;
    struct xen_domctl op = domctl(XEN_DOMCTL_getvcpuinfo, 1);
    op.u.getvcpuinfo.vcpu = 1;
    op.u.getvcpuinfo.pad = 0x77;
    CHECK_EQ(run(&op), 0);
    CHECK_EQ(op.u.getvcpuinfo.online, 1);
    CHECK_EQ(op.u.getvcpuinfo.blocked, 1);
    CHECK_EQ(op.u.getvcpuinfo.running, 0);
    CHECK_EQ(op.u.getvcpuinfo.cpu_time, 2000000000ULL);
    CHECK_EQ(op.u.getvcpuinfo.cpu, 1);
    CHECK_EQ(op.u.getvcpuinfo.pad, 0x77); /* only the fields are written */
    /* Running now: the slice under way counts. */
    t->state = VCPU_RUNNABLE;
    t->loaded = true;
    t->slice_start = FAKE_FREQ;
    fake_now = FAKE_FREQ * 3 / 2;
    CHECK_EQ(run(&op), 0);
    CHECK_EQ(op.u.getvcpuinfo.running, 1);
    CHECK_EQ(op.u.getvcpuinfo.blocked, 0);
    CHECK_EQ(op.u.getvcpuinfo.cpu_time, 2500000000ULL);
    t->loaded = false;
    t->state = VCPU_OFF;
    CHECK_EQ(run(&op), 0);
    CHECK_EQ(op.u.getvcpuinfo.online, 0);
    /* In a pool of pCPU 1 only, never run there (t->pcpu 0, Pool-0's): the
     * pool's pCPU, as Xen's v->processor always is one. */
    fake_cpupool_reset();
    struct cpupool *p1;
    REQUIRE(cpupool_create(1, &fake_policy_null, &p1) == 0);
    REQUIRE(cpupool_unassign_cpu(cpupool0(), 1) == 0);
    REQUIRE(cpupool_assign_cpu(p1, 1) == 0);
    fake_dom_pool[1] = 1;
    t->pcpu = 0;
    t->state = VCPU_RUNNABLE;
    CHECK_EQ(run(&op), 0);
    CHECK_EQ(op.u.getvcpuinfo.cpu, 1);
    CHECK_EQ(op.u.getvcpuinfo.running, 0);
    CHECK_EQ(op.u.getvcpuinfo.blocked, 0);
    fake_cpupool_reset();
    t->state = VCPU_OFF;
    /* Beyond the domain's vCPUs: -EINVAL; not created: -ESRCH. */
    struct xen_domctl bad = domctl(XEN_DOMCTL_getvcpuinfo, 1);
    bad.u.getvcpuinfo.vcpu = 2;
    CHECK(domctl_fails(d0, bad, -EINVAL));
    bad.u.getvcpuinfo.vcpu = 0xffffffffu;
    CHECK(domctl_fails(d0, bad, -EINVAL));
    d1->vcpus[1] = NULL;
    bad.u.getvcpuinfo.vcpu = 1;
    CHECK(domctl_fails(d0, bad, -ESRCH));
    d1->vcpus[1] = t;
    CHECK(domctl_fails(d0, domctl(XEN_DOMCTL_getvcpuinfo, 2), -ESRCH)); /* no domain 2 */
    CHECK(quiet());
}

/* set/getvcpuaffinity of d1's vCPU 0 with maps at ARG2 (hard) and ARG3
 * (soft), nr_bits each; the maps' first bytes come back in hard/soft. */
static int64_t affinity(uint32_t cmd, uint32_t flags, uint8_t *hard, uint8_t *soft,
                        uint32_t nr_bits)
{
    struct xen_domctl op = domctl(cmd, 1);
    op.u.vcpuaffinity.vcpu = 0;
    op.u.vcpuaffinity.flags = flags;
    op.u.vcpuaffinity.cpumap_hard = (struct xenctl_bitmap){ARG2, nr_bits, 0};
    op.u.vcpuaffinity.cpumap_soft = (struct xenctl_bitmap){ARG3, nr_bits, 0};
    put(d0, ARG2, hard, 4);
    put(d0, ARG3, soft, 4);
    int64_t rc = run(&op);
    get(d0, ARG2, hard, 4);
    get(d0, ARG3, soft, 4);
    return rc;
}

TEST(vcpuaffinity_get_set_and_written_back_maps)
{
    world();
    struct vcpu *t = d1->vcpus[0];
    uint8_t h[4] = {0xaa, 0xaa, 0xaa, 0xaa}, s[4] = {0xaa, 0xaa, 0xaa, 0xaa};
    const uint32_t H = XEN_VCPUAFFINITY_HARD, S = XEN_VCPUAFFINITY_SOFT;
    /* Defaults: every pCPU, one byte for 2 pCPUs (the bits past them clear),
     * zeroes up to 24 bits. */
    CHECK_EQ(affinity(XEN_DOMCTL_getvcpuaffinity, H | S, h, s, 24), 0);
    CHECK(h[0] == 0x03 && h[1] == 0 && h[2] == 0 && h[3] == 0xaa);
    CHECK(s[0] == 0x03 && s[1] == 0 && s[2] == 0 && s[3] == 0xaa);
    /* Pin to pCPU 1: it moves; the effective map comes back. */
    h[0] = 0x02;
    CHECK_EQ(affinity(XEN_DOMCTL_setvcpuaffinity, H, h, s, 8), 0);
    CHECK_EQ(h[0], 0x02);
    CHECK_EQ(t->pcpu, 1);
    CHECK_EQ(t->hard_affinity, 0x02);
    /* Bits past the pCPUs are kept as given, never reported. */
    h[0] = 0xf1;
    s[0] = 0xfe;
    CHECK_EQ(affinity(XEN_DOMCTL_setvcpuaffinity, H | S, h, s, 8), 0);
    CHECK_EQ(h[0], 0x01); /* hard & online */
    CHECK_EQ(s[0], 0x00); /* soft & online & hard */
    CHECK_EQ(t->pcpu, 0);
    memset(h, 0, 4);
    memset(s, 0, 4);
    CHECK_EQ(affinity(XEN_DOMCTL_getvcpuaffinity, H | S, h, s, 8), 0);
    CHECK(h[0] == 0x01 && s[0] == 0x02);
    CHECK(t->hard_affinity == 0xf1 && t->soft_affinity == 0xfe);
    /* The guest's bits past its nr_bits are not read: 0x03 over 1 bit = pCPU 0. */
    h[0] = 0x03;
    CHECK_EQ(affinity(XEN_DOMCTL_setvcpuaffinity, H, h, s, 1), 0);
    CHECK_EQ(t->hard_affinity, 0x01);
    CHECK_EQ(h[0], 0x01);
    /* No online pCPU in the hard map: -EINVAL, nothing changed or written. */
    h[0] = 0x04;
    CHECK_EQ(affinity(XEN_DOMCTL_setvcpuaffinity, H, h, s, 8), -EINVAL);
    CHECK_EQ(h[0], 0x04);
    CHECK_EQ(t->hard_affinity, 0x01);
    /* A soft map that cannot be read: -EFAULT and the hard map put back. */
    struct xen_domctl op = domctl(XEN_DOMCTL_setvcpuaffinity, 1);
    op.u.vcpuaffinity.flags = H | S;
    op.u.vcpuaffinity.cpumap_hard = (struct xenctl_bitmap){ARG2, 8, 0};
    op.u.vcpuaffinity.cpumap_soft = (struct xenctl_bitmap){BAD_VA, 8, 0};
    h[0] = 0x02;
    put(d0, ARG2, h, 1);
    CHECK_EQ(run(&op), -EFAULT);
    CHECK_EQ(t->hard_affinity, 0x01);
    CHECK_EQ(t->pcpu, 0);
    CHECK(quiet());
}

/* Xen's rule (vcpu_set_hard_affinity, cpupool_domain_master_cpumask): the
 * hard map must meet the domain's pool, not just the online pCPUs, and the
 * maps come back cut to that pool. */
TEST(vcpuaffinity_against_the_domains_pool)
{
    world();
    fake_cpupool_reset();
    struct cpupool *p1;
    REQUIRE(cpupool_create(1, &fake_policy_null, &p1) == 0);
    REQUIRE(cpupool_unassign_cpu(cpupool0(), 1) == 0);
    REQUIRE(cpupool_assign_cpu(p1, 1) == 0);
    fake_dom_pool[1] = 1; /* d1 in pool 1 (pCPU 1), d0 in Pool-0 (pCPU 0) */
    struct vcpu *t = d1->vcpus[0];
    uint8_t h[4] = {0x01}, s[4] = {0x03};
    const uint32_t H = XEN_VCPUAFFINITY_HARD, S = XEN_VCPUAFFINITY_SOFT;
    uint64_t before = t->hard_affinity;
    /* pCPU 0 is online, but Pool-0's. */
    CHECK_EQ(affinity(XEN_DOMCTL_setvcpuaffinity, H, h, s, 8), -EINVAL);
    CHECK_EQ(t->hard_affinity, before);
    CHECK_EQ(h[0], 0x01);
    h[0] = 0x03;
    CHECK_EQ(affinity(XEN_DOMCTL_setvcpuaffinity, H | S, h, s, 8), 0);
    CHECK_EQ(h[0], 0x02); /* hard & the pool's pCPUs */
    CHECK_EQ(s[0], 0x02); /* soft & those & hard */
    CHECK(t->hard_affinity == 0x03 && t->soft_affinity == 0x03);
    CHECK_EQ(t->pcpu, 1);
    fake_cpupool_reset();
    CHECK(quiet());
}

TEST(vcpuaffinity_refusals_in_xens_order)
{
    world();
    struct xen_domctl op = domctl(XEN_DOMCTL_setvcpuaffinity, 1);
    op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
    op.u.vcpuaffinity.cpumap_hard = (struct xenctl_bitmap){ARG2, 8, 0};
    op.u.vcpuaffinity.vcpu = 2;
    CHECK(domctl_fails(d0, op, -EINVAL));
    op.u.vcpuaffinity.vcpu = 0;
    struct vcpu *t = d1->vcpus[0];
    d1->vcpus[0] = NULL;
    CHECK(domctl_fails(d0, op, -ESRCH));
    d1->vcpus[0] = t;
    op.u.vcpuaffinity.flags = 0;
    CHECK(domctl_fails(d0, op, -EINVAL));
    op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_SOFT; /* its map is NULL */
    CHECK(domctl_fails(d0, op, -EINVAL));
    op.cmd = XEN_DOMCTL_getvcpuaffinity;
    CHECK(domctl_fails(d0, op, -EINVAL));
    /* FORCE alone: nothing to do, as on Xen. */
    op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_FORCE;
    op.cmd = XEN_DOMCTL_setvcpuaffinity;
    CHECK(domctl_fails(d0, op, 0));
    /* A hard map that cannot be read: -EFAULT. */
    op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
    op.u.vcpuaffinity.cpumap_hard.bitmap = BAD_VA;
    CHECK(domctl_fails(d0, op, -EFAULT));
    CHECK_EQ(fake_affinity_moves, 0);
    CHECK(quiet());
}

static int64_t sched(uint32_t id, uint32_t cmd, uint16_t weight, uint16_t cap,
                     struct xen_domctl *op)
{
    *op = domctl(XEN_DOMCTL_scheduler_op, 1);
    op->u.scheduler_op.sched_id = id;
    op->u.scheduler_op.cmd = cmd;
    op->u.scheduler_op.u.credit2 = (struct xen_domctl_sched_credit2){weight, cap};
    return run(op);
}

TEST(domctl_scheduler_op_credit2_weight_and_cap)
{
    world();
    struct xen_domctl op;
    const uint32_t C2 = XEN_SCHEDULER_CREDIT2;
    CHECK_EQ(sched(C2, XEN_DOMCTL_SCHEDOP_getinfo, 1, 1, &op), 0);
    CHECK_EQ(op.u.scheduler_op.u.credit2.weight, 256);
    CHECK_EQ(op.u.scheduler_op.u.credit2.cap, 0);
    CHECK_EQ(sched(C2, XEN_DOMCTL_SCHEDOP_putinfo, 512, 150, &op), 0);
    CHECK_EQ(sched(C2, XEN_DOMCTL_SCHEDOP_getinfo, 0, 0, &op), 0);
    CHECK_EQ(op.u.scheduler_op.u.credit2.weight, 512);
    CHECK_EQ(op.u.scheduler_op.u.credit2.cap, 150);
    /* Weight 0 keeps the weight; cap 0 removes the cap. */
    CHECK_EQ(sched(C2, XEN_DOMCTL_SCHEDOP_putinfo, 0, 0, &op), 0);
    CHECK_EQ(sched(C2, XEN_DOMCTL_SCHEDOP_getinfo, 0, 0, &op), 0);
    CHECK_EQ(op.u.scheduler_op.u.credit2.weight, 512);
    CHECK_EQ(op.u.scheduler_op.u.credit2.cap, 0);
    /* A cap above 100 per vCPU (2 here): -EINVAL, the new weight taken. */
    CHECK_EQ(sched(C2, XEN_DOMCTL_SCHEDOP_putinfo, 300, 201, &op), -EINVAL);
    CHECK_EQ(sched(C2, XEN_DOMCTL_SCHEDOP_putinfo, 0, 200, &op), 0);
    CHECK_EQ(sched(C2, XEN_DOMCTL_SCHEDOP_getinfo, 0, 0, &op), 0);
    CHECK_EQ(op.u.scheduler_op.u.credit2.weight, 300);
    CHECK_EQ(op.u.scheduler_op.u.credit2.cap, 200);
    /* Another scheduler, per-vCPU or unknown commands: -EINVAL, and the
     * request still comes back (Xen's copyback): its write is counted. */
    uint64_t w = fake_guest_writes;
    CHECK_EQ(sched(XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_getinfo, 7, 7, &op), -EINVAL);
    CHECK_EQ(op.u.scheduler_op.u.credit2.weight, 7);
    CHECK_EQ(fake_guest_writes, w + 1);
    CHECK_EQ(sched(C2, XEN_DOMCTL_SCHEDOP_putvcpuinfo, 0, 0, &op), -EINVAL);
    CHECK_EQ(sched(C2, XEN_DOMCTL_SCHEDOP_getvcpuinfo, 0, 0, &op), -EINVAL);
    CHECK_EQ(sched(C2, 4, 0, 0, &op), -EINVAL);
    /* Another domain keeps its own. */
    op = domctl(XEN_DOMCTL_scheduler_op, 3);
    op.u.scheduler_op.sched_id = C2;
    op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
    CHECK_EQ(run(&op), 0);
    CHECK_EQ(op.u.scheduler_op.u.credit2.weight, 256);
    CHECK(quiet());
}

static int64_t ratelimit(uint32_t pool, uint32_t id, uint32_t cmd, uint32_t *us)
{
    struct xen_sysctl op = sysctl(XEN_SYSCTL_scheduler_op);
    op.u.scheduler_op.cpupool_id = pool;
    op.u.scheduler_op.sched_id = id;
    op.u.scheduler_op.cmd = cmd;
    op.u.scheduler_op.u.sched_credit2.ratelimit_us = *us;
    int64_t rc = srun(&op);
    *us = op.u.scheduler_op.u.sched_credit2.ratelimit_us;
    return rc;
}

TEST(sysctl_scheduler_op_credit2_ratelimit)
{
    world();
    const uint32_t C2 = XEN_SCHEDULER_CREDIT2, GET = XEN_SYSCTL_SCHEDOP_getinfo,
                   PUT = XEN_SYSCTL_SCHEDOP_putinfo;
    uint32_t us = 5;
    CHECK_EQ(ratelimit(0, C2, GET, &us), 0);
    CHECK_EQ(us, 1000);
    us = 100;
    CHECK_EQ(ratelimit(0, C2, PUT, &us), 0);
    CHECK_EQ(us, 100);
    us = 0; /* no rate limit */
    CHECK_EQ(ratelimit(0, C2, PUT, &us), 0);
    us = 9;
    CHECK_EQ(ratelimit(0, C2, GET, &us), 0);
    CHECK_EQ(us, 0);
    struct xen_sysctl op = sysctl(XEN_SYSCTL_scheduler_op);
    op.u.scheduler_op.sched_id = C2;
    op.u.scheduler_op.cmd = PUT;
    op.u.scheduler_op.u.sched_credit2.ratelimit_us = 99;
    CHECK(sysctl_fails(op, -EINVAL));
    op.u.scheduler_op.u.sched_credit2.ratelimit_us = 500001;
    CHECK(sysctl_fails(op, -EINVAL));
    op.u.scheduler_op.u.sched_credit2.ratelimit_us = 500000;
    op.u.scheduler_op.cpupool_id = 1;
    CHECK(sysctl_fails(op, -ESRCH));
    op.u.scheduler_op.cmd = 2; /* the command before the pool */
    CHECK(sysctl_fails(op, -EINVAL));
    op.u.scheduler_op.cmd = GET;
    op.u.scheduler_op.cpupool_id = 0;
    op.u.scheduler_op.sched_id = XEN_SCHEDULER_NULL;
    CHECK(sysctl_fails(op, -EINVAL));
    us = 1000;
    CHECK_EQ(ratelimit(0, C2, PUT, &us), 0); /* as it was */
    CHECK(quiet());
}

TEST(setdomainhandle_shows_in_getdomaininfo)
{
    world();
    struct xen_domctl op = domctl(XEN_DOMCTL_setdomainhandle, 1);
    for (int i = 0; i < 16; i++)
        op.u.setdomainhandle.handle[i] = (uint8_t)(0xa0 + i);
    CHECK_EQ(run(&op), 0);
    op = domctl(XEN_DOMCTL_getdomaininfo, 1);
    CHECK_EQ(run(&op), 0);
    for (int i = 0; i < 16; i++)
        CHECK_EQ(op.u.getdomaininfo.handle[i], 0xa0 + i);
    op = domctl(XEN_DOMCTL_getdomaininfo, 0);
    CHECK_EQ(run(&op), 0);
    CHECK_EQ(op.u.getdomaininfo.handle[0], 0); /* dom0's untouched */
    CHECK(quiet());
}

TEST(setnodeaffinity_needs_node_0)
{
    world();
    struct xen_domctl op = domctl(XEN_DOMCTL_setnodeaffinity, 1);
    op.u.nodeaffinity.nodemap = (struct xenctl_bitmap){ARG2, 8, 0};
    uint8_t map = 0xff;
    put(d0, ARG2, &map, 1);
    CHECK_EQ(run(&op), 0);
    CHECK_EQ(d1->node_affinity & 1, 1);
    map = 0x02; /* only a node that does not exist */
    put(d0, ARG2, &map, 1);
    CHECK(domctl_fails(d0, op, -EINVAL));
    op.u.nodeaffinity.nodemap.nr_bits = 0; /* no node at all */
    CHECK(domctl_fails(d0, op, -EINVAL));
    op.u.nodeaffinity.nodemap = (struct xenctl_bitmap){BAD_VA, 8, 0};
    CHECK(domctl_fails(d0, op, -EFAULT));
    CHECK(quiet());
}

TEST(set_address_size_until_the_domain_owns_pages)
{
    world();
    struct xen_domctl op = domctl(XEN_DOMCTL_set_address_size, 1);
    op.u.address_size.size = 64;
    CHECK(domctl_fails(d0, op, -EBUSY)); /* d1 has its RAM */
    op.u.address_size.size = 32;
    CHECK(domctl_fails(d0, op, -EBUSY));
    op.u.address_size.size = 48;
    CHECK(domctl_fails(d0, op, -EINVAL));
    /* A domain without pages yet (as a toolstack domain before populate). */
    d3->ram_size = 0;
    op = domctl(XEN_DOMCTL_set_address_size, 3);
    op.u.address_size.size = 64;
    CHECK(domctl_fails(d0, op, 0));
    op.u.address_size.size = 32; /* a zImage: every vCPU AArch32 */
    CHECK(domctl_fails(d0, op, 0));
    for (unsigned int i = 0; i < d3->nr_vcpus; i++)
        CHECK(d3->vcpus[i]->arch.aarch32);
    op.u.address_size.size = 64; /* and back */
    CHECK(domctl_fails(d0, op, 0));
    CHECK(!d3->vcpus[0]->arch.aarch32);
    cpu_caps.el1_aarch32 = false; /* a CPU without EL1 AArch32: Xen's -EINVAL */
    op.u.address_size.size = 32;
    CHECK(domctl_fails(d0, op, -EINVAL));
    cpu_caps.el1_aarch32 = true;
    d3->ram_size = FAKE_RAM_PAGES * PAGE_SIZE;
    /* get_address_size is x86's: not a command on ARM. */
    CHECK(domctl_fails(d0, domctl(XEN_DOMCTL_get_address_size, 1), -ENOSYS));
    CHECK(quiet());
}

TEST(paging_mempool_size_in_pages_continued_in_steps)
{
    world();
    fake_p2m_layout_pages = 3;
    fake_p2m_pool_set = 16;
    struct xen_domctl op = domctl(XEN_DOMCTL_get_paging_mempool_size, 1);
    CHECK_EQ(run(&op), 0);
    CHECK_EQ(op.u.paging_mempool.size, 16 * 4096);
    op = domctl(XEN_DOMCTL_set_paging_mempool_size, 1);
    op.u.paging_mempool.size = 4097;
    CHECK(domctl_fails(d0, op, -EINVAL));
    op.u.paging_mempool.size = 2 * 4096; /* below what the tables use */
    CHECK(domctl_fails(d0, op, -ENOMEM));
    /* 1000 pages more: steps of 256, each a continuation of the same call. */
    op.u.paging_mempool.size = 1016 * 4096;
    put(d0, ARG, &op, sizeof(op));
    struct vcpu *v = vcpu0(d0);
    fake_hypercall(v, DOMCTL, ARG, 0, 0, 0, 0);
    int rounds = 1;
    while (fake_continued(v) && rounds < 10) {
        CHECK_EQ(v->arch.regs.x[0], ARG);
        CHECK(quiet());
        fake_reissue(v);
        rounds++;
    }
    CHECK_EQ(rounds, 4);
    CHECK_EQ(v->arch.regs.x[0], 0);
    CHECK_EQ(fake_p2m_pool_set, 1016);
    /* dom0's tables come from the heap: accepted, nothing changes. */
    op = domctl(XEN_DOMCTL_set_paging_mempool_size, 0);
    op.u.paging_mempool.size = 4096;
    CHECK(domctl_fails(d0, op, 0));
    CHECK_EQ(fake_p2m_pool_set, 1016);
    fake_p2m_layout_pages = 1;
    CHECK(quiet());
}

TEST(cputopoinfo_counts_and_entries)
{
    world();
    struct xen_sysctl op = sysctl(XEN_SYSCTL_cputopoinfo);
    op.u.cputopoinfo.num_cpus = 77;
    CHECK_EQ(srun(&op), 0); /* NULL array: the count */
    CHECK_EQ(op.u.cputopoinfo.num_cpus, 2);
    struct xen_sysctl_cputopo t[3];
    memset(t, 0xaa, sizeof(t));
    put(d0, ARG2, t, sizeof(t));
    op.u.cputopoinfo.cputopo = ARG2;
    op.u.cputopoinfo.num_cpus = 3;
    CHECK_EQ(srun(&op), 0);
    CHECK_EQ(op.u.cputopoinfo.num_cpus, 2);
    get(d0, ARG2, t, sizeof(t));
    CHECK(t[0].core == 0 && t[0].socket == 0 && t[0].node == 0);
    CHECK(t[1].core == 0 && t[1].socket == 0 && t[1].node == 0);
    CHECK_EQ(t[2].core, 0xaaaaaaaau); /* past the CPUs: untouched */
    op.u.cputopoinfo.num_cpus = 1;
    CHECK_EQ(srun(&op), 0);
    CHECK_EQ(op.u.cputopoinfo.num_cpus, 1);
    op.u.cputopoinfo.cputopo = BAD_VA;
    op.u.cputopoinfo.num_cpus = 2;
    CHECK(sysctl_fails(op, -EFAULT));
    CHECK(quiet());
}

TEST(numainfo_one_node)
{
    world();
    struct xen_sysctl op = sysctl(XEN_SYSCTL_numainfo);
    CHECK_EQ(srun(&op), 0);
    CHECK_EQ(op.u.numainfo.num_nodes, 1);
    struct xen_sysctl_meminfo m[2];
    uint32_t dist[4];
    memset(m, 0xaa, sizeof(m));
    memset(dist, 0xaa, sizeof(dist));
    put(d0, ARG2, m, sizeof(m));
    put(d0, ARG3, dist, sizeof(dist));
    op.u.numainfo = (struct xen_sysctl_numainfo){2, 0, ARG2, ARG3};
    CHECK_EQ(srun(&op), 0);
    CHECK_EQ(op.u.numainfo.num_nodes, 1);
    get(d0, ARG2, m, sizeof(m));
    get(d0, ARG3, dist, sizeof(dist));
    CHECK_EQ(m[0].memsize, FAKE_HOST_RAM_BYTES);
    CHECK_EQ(m[0].memfree, (uint64_t)(mm_free_pages() - mm_reserve_pages()) * PAGE_SIZE);
    CHECK_EQ(m[1].memsize, 0xaaaaaaaaaaaaaaaaULL);
    CHECK_EQ(dist[0], 20);
    CHECK_EQ(dist[1], 0xaaaaaaaau);
    /* Only the distances asked for; none when the caller holds 0 nodes. */
    op.u.numainfo = (struct xen_sysctl_numainfo){1, 0, 0, ARG3};
    CHECK_EQ(srun(&op), 0);
    op.u.numainfo = (struct xen_sysctl_numainfo){0, 0, BAD_VA, BAD_VA};
    CHECK_EQ(srun(&op), 0);
    CHECK_EQ(op.u.numainfo.num_nodes, 0);
    op.u.numainfo = (struct xen_sysctl_numainfo){1, 0, BAD_VA, 0};
    CHECK(sysctl_fails(op, -EFAULT));
    CHECK(quiet());
}

/* readconsole into ARG2 (4 KiB); the answer's count and index. */
static int64_t readcons(bool clear, bool incremental, uint32_t *index, uint32_t *count)
{
    struct xen_sysctl op = sysctl(XEN_SYSCTL_readconsole);
    op.u.readconsole.clear = clear;
    op.u.readconsole.incremental = incremental;
    op.u.readconsole.index = *index;
    op.u.readconsole.buffer = ARG2;
    op.u.readconsole.count = *count;
    int64_t rc = srun(&op);
    *index = op.u.readconsole.index;
    *count = op.u.readconsole.count;
    return rc;
}

static bool read_is(uint32_t count, const char *want)
{
    char buf[4096];
    get(d0, ARG2, buf, count);
    return count == strlen(want) && memcmp(buf, want, count) == 0;
}

TEST(readconsole_reads_the_log_ring_as_xen)
{
    world();
    /* Empty the ring: read and clear whatever is there. */
    uint32_t idx = 0, n = 4096;
    do {
        n = 4096;
        readcons(true, false, &idx, &n);
    } while (n);
    uint32_t start = idx;
    conring_put("one\ntwo\n", 8);
    idx = 0, n = 4096;
    CHECK_EQ(readcons(false, false, &idx, &n), 0);
    CHECK(read_is(n, "one\ntwo\n"));
    CHECK_EQ(idx, start + 8);
    /* xl dmesg's loop: incremental from the last index, until nothing. */
    conring_put("three\n", 6);
    n = 4096;
    CHECK_EQ(readcons(false, true, &idx, &n), 0);
    CHECK(read_is(n, "three\n"));
    n = 4096;
    CHECK_EQ(readcons(false, true, &idx, &n), 0);
    CHECK_EQ(n, 0);
    /* A short buffer: what fits, and where it stopped. */
    idx = 0, n = 5;
    CHECK_EQ(readcons(false, false, &idx, &n), 0);
    CHECK(read_is(n, "one\nt"));
    CHECK_EQ(idx, start + 5);
    /* An index outside what is kept (or at its start): from the oldest. */
    idx = start - 100, n = 3;
    CHECK_EQ(readcons(false, true, &idx, &n), 0);
    CHECK(read_is(n, "one"));
    idx = start, n = 3;
    CHECK_EQ(readcons(false, true, &idx, &n), 0);
    CHECK(read_is(n, "one"));
    /* clear drops what was read: the next read starts after it. */
    idx = 0, n = 4;
    CHECK_EQ(readcons(true, false, &idx, &n), 0);
    idx = 0, n = 4096;
    CHECK_EQ(readcons(false, false, &idx, &n), 0);
    CHECK(read_is(n, "two\nthree\n"));
    /* More than the ring holds: the oldest bytes are gone. */
    char big[1000];
    for (int i = 0; i < 20; i++) {
        memset(big, 'a' + i, sizeof(big));
        conring_put(big, sizeof(big));
    }
    idx = 0, n = 4096;
    CHECK_EQ(readcons(false, false, &idx, &n), 0);
    char buf[4096];
    get(d0, ARG2, buf, 1);
    CHECK_EQ(n, 4096);
    CHECK_EQ(buf[0], 'a' + 20 - 17); /* 16384 of 20000 bytes: from the 4th block's 616th */
    /* A bad buffer: -EFAULT, nothing written back. */
    struct xen_sysctl op = sysctl(XEN_SYSCTL_readconsole);
    op.u.readconsole.buffer = BAD_VA;
    op.u.readconsole.count = 16;
    CHECK(sysctl_fails(op, -EFAULT));
    /* Zero bytes asked: nothing read, the buffer never looked at. */
    op.u.readconsole.count = 0;
    CHECK_EQ(srun(&op), 0);
    CHECK(quiet());
}
