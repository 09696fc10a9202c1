/*
 * The toolstack's per-domain and host commands beyond getdomaininfo
 * (xen/ctl_*.c) through the real domctl/sysctl envelopes: the domctl lock
 * (busy: a continuation), getvcpuinfo, set/getvcpuaffinity, scheduler_op
 * (domctl and sysctl), setdomainhandle, setnodeaffinity, set_address_size,
 * get/set_paging_mempool_size, cputopoinfo, numainfo and readconsole over
 * the log ring, each with Xen 4.17's answers and error codes.
 */
#include "harness.h"
#include "hc_util.h"
#include <console/conring.h>
#include <public/domctl.h>
#include <public/sysctl.h>

#define DOMCTL __HYPERVISOR_domctl
#define SYSCTL __HYPERVISOR_sysctl
#define VER 0x15

/* xen/ctl.h (private to xen/): the lock every domctl command is run under. */
extern spinlock_t ctl_domctl_lock;

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
