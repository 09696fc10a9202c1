/*
 * The toolstack control interface (xen/hc_domctl.c, hc_sysctl.c,
 * ctl_domaininfo.c, ctl_host.c, hc_multicall.c, hc_xsm.c): the envelopes'
 * checks in Xen 4.17's order (-EFAULT, -EACCES for any interface version but
 * 0x15, -ESRCH for a domctl naming no domain, -EPERM for a domU, -ENOSYS for
 * a command Cloison does not serve), nothing written back on failure; what
 * getdomaininfo, getdomaininfolist, physinfo, sched_id, cpupool_op and
 * readconsole answer; multicall results, bounds and continuations.
 */
#include "harness.h"
#include "hc_util.h"
#include <public/domctl.h>
#include <public/memory.h>
#include <public/sysctl.h>
#include <public/version.h>
#include <xen/xen_version.h>

#define DOMCTL __HYPERVISOR_domctl
#define SYSCTL __HYPERVISOR_sysctl
#define MC __HYPERVISOR_multicall
#define VER 0x15

static struct domain *d0, *d1, *d3;

/* dom0 (control), a Xen domU with 2 vCPUs, a plain VM at id 3 (no id 2). */
static void world(void)
{
    fake_world_reset();
    d0 = fake_domain(0, FAKE_XEN | FAKE_PRIV, 2);
    d1 = fake_domain(1, FAKE_XEN, 2);
    d3 = fake_domain(3, 0, 1);
    for (uint16_t i = 0; i < 4; i++)
        if (fake_dom(i))
            fake_dom(i)->shutdown_reason = SHUTDOWN_REASON_UNSET;
}

static struct xen_domctl domctl(uint32_t cmd, uint32_t version, uint16_t domain)
{
    struct xen_domctl op;
    memset(&op, 0, sizeof(op));
    op.cmd = cmd;
    op.interface_version = version;
    op.domain = domain;
    return op;
}

static struct xen_sysctl sysctl(uint32_t cmd, uint32_t version)
{
    struct xen_sysctl op;
    memset(&op, 0, sizeof(op));
    op.cmd = cmd;
    op.interface_version = version;
    return op;
}

/* A domctl/sysctl that must fail without writing anything. */
static bool domctl_fails(struct domain *from, struct xen_domctl op, int64_t want)
{
    put(from, ARG, &op, sizeof(op));
    return fails_clean(vcpu0(from), DOMCTL, ARG, 0, 0, want);
}

static bool sysctl_fails(struct domain *from, struct xen_sysctl op, int64_t want)
{
    put(from, ARG, &op, sizeof(op));
    return fails_clean(vcpu0(from), SYSCTL, ARG, 0, 0, want);
}

TEST(domctl_envelope_in_xens_order)
{
    world();
    CHECK(fails_clean(vcpu0(d1), DOMCTL, BAD_VA, 0, 0, -EFAULT));
    CHECK(fails_clean(vcpu0(d0), DOMCTL, BAD_VA, 0, 0, -EFAULT));
    /* The version first, for everyone: 0x14 and 0x16 are other Xens'. */
    CHECK(domctl_fails(d1, domctl(XEN_DOMCTL_getdomaininfo, 0x14, 1), -EACCES));
    CHECK(domctl_fails(d0, domctl(XEN_DOMCTL_getdomaininfo, 0x16, 0), -EACCES));
    CHECK(domctl_fails(d0, domctl(XEN_DOMCTL_getdomaininfo, 0, 0), -EACCES));
    /* Then the named domain: none -> -ESRCH, even for a domU (Xen's order). */
    CHECK(domctl_fails(d1, domctl(XEN_DOMCTL_pausedomain, VER, 2), -ESRCH));
    CHECK(domctl_fails(d0, domctl(999, VER, 2), -ESRCH));
    CHECK(domctl_fails(d0, domctl(999, VER, DOMID_SELF), -ESRCH));
    /* Then the caller: a domU gets -EPERM for every command. */
    CHECK(domctl_fails(d1, domctl(XEN_DOMCTL_getdomaininfo, VER, 1), -EPERM));
    CHECK(domctl_fails(d1, domctl(XEN_DOMCTL_getdomaininfo, VER, 2), -EPERM)); /* finds 3 */
    /* getdomaininfo's own lookup comes before the caller's rights too. */
    CHECK(domctl_fails(d1, domctl(XEN_DOMCTL_getdomaininfo, VER, 4), -ESRCH));
    CHECK(domctl_fails(d1, domctl(XEN_DOMCTL_getdomaininfo, VER, DOMID_SELF), -EINVAL));
    CHECK(domctl_fails(d1, domctl(XEN_DOMCTL_pausedomain, VER, 0), -EPERM));
    CHECK(domctl_fails(d1, domctl(XEN_DOMCTL_createdomain, VER, 0xffff), -EPERM));
    CHECK(domctl_fails(vcpu0(d3)->domain, domctl(999, VER, 3), -EPERM));
    /* Commands Cloison does not serve: -ENOSYS for the control domain. */
    CHECK(domctl_fails(d0, domctl(999, VER, 0), -ENOSYS));
    CHECK(domctl_fails(d0, domctl(0xffffffffu, VER, 1), -ENOSYS));
    CHECK(domctl_fails(d0, domctl(80, VER, 0), -ENOSYS));
}

static struct xen_domctl getinfo(uint16_t dom, int64_t *rc);

/* libxl's createdomain for an arm64 guest with n vCPUs. */
static struct xen_domctl create_op(uint16_t domid, uint32_t vcpus)
{
    struct xen_domctl op = domctl(XEN_DOMCTL_createdomain, VER, domid);
    struct xen_domctl_createdomain *c = &op.u.createdomain;
    c->flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
    c->max_vcpus = vcpus;
    c->max_evtchn_port = 1023;
    c->max_grant_frames = c->max_maptrack_frames = -1;
    c->grant_opts = 1;
    return op;
}

static int64_t ctl(struct xen_domctl *op)
{
    put(d0, ARG, op, sizeof(*op));
    int64_t rc = fake_hypercall(vcpu0(d0), DOMCTL, ARG, 0, 0, 0, 0);
    get(d0, ARG, op, sizeof(*op));
    return rc;
}

TEST(createdomain_checks_the_config_as_xen)
{
    world();
    struct xen_domctl op;
#define BAD(field, value, want)      \
    op = create_op(0xffff, 1);       \
    op.u.createdomain.field = value; \
    CHECK(domctl_fails(d0, op, want))
    BAD(flags, 0, -EINVAL);                                               /* not hvm|hap */
    BAD(flags, XEN_DOMCTL_CDF_hvm, -EINVAL);                              /* hvm without hap */
    BAD(flags, XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap | 0x100, -EINVAL); /* unknown */
    BAD(flags, XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap | XEN_DOMCTL_CDF_iommu, -EINVAL);
    BAD(iommu_opts, 1, -EINVAL);
    BAD(max_vcpus, 0, -EINVAL);
    BAD(max_vcpus, DOMAIN_MAX_VCPUS + 1, -EINVAL);
    BAD(max_grant_frames, 0, -EINVAL);
    BAD(max_grant_frames, 65, -EINVAL);
    BAD(max_maptrack_frames, 1025, -EINVAL);
    BAD(grant_opts, 0, -EINVAL); /* version 0 */
    BAD(grant_opts, 2, -EINVAL); /* v2: not offered */
    BAD(grant_opts, 0x11, -EINVAL);
    BAD(vmtrace_size, 4096, -EINVAL);
    BAD(cpupool_id, 1, -ESRCH); /* no such pool (test_hc_cpupool.c: the rest) */
    BAD(arch.gic_version, XEN_DOMCTL_CONFIG_GIC_V2, -EOPNOTSUPP); /* the host has a GICv3 */
    BAD(arch.tee_type, 1, -EINVAL);
    BAD(arch.nr_spis, 989, -EINVAL);
#undef BAD
    CHECK(domctl_fails(d1, create_op(0xffff, 1), -EPERM));
    CHECK(domctl_fails(d0, create_op(1, 1), -EEXIST)); /* id 1 is taken */
    CHECK_EQ(fake_ctl.created, 0);
    /* An id asked for is the one given. */
    struct xen_domctl ok = create_op(2, 1);
    CHECK_EQ(ctl(&ok), 0);
    CHECK_EQ(ok.domain, 2);
    CHECK(quiet());
}

TEST(createdomain_to_destroy_as_libxl_drives_it)
{
    world();
    struct xen_domctl op = create_op(0xffff, 2);
    CHECK_EQ(ctl(&op), 0);
    uint16_t id = op.domain;
    CHECK(id == 2); /* the first free id */
    CHECK_EQ(op.u.createdomain.arch.gic_version, XEN_DOMCTL_CONFIG_GIC_V3);
    struct domain *d = fake_dom(id);
    CHECK(d && d->cfg.toolstack && d->nr_vcpus == 2);
    int64_t rc;
    CHECK(getinfo(id, &rc).u.getdomaininfo.flags & XEN_DOMINF_paused);
    /* max_vcpus confirms createdomain's count, nothing else. */
    op = domctl(XEN_DOMCTL_max_vcpus, VER, id);
    op.u.max_vcpus.max = 3;
    CHECK_EQ(ctl(&op), -EINVAL);
    op.u.max_vcpus.max = 2;
    CHECK_EQ(ctl(&op), 0);
    /* max_mem: KiB to pages, shown as max_pages. */
    op = domctl(XEN_DOMCTL_max_mem, VER, id);
    op.u.max_mem.max_memkb = 263168;
    CHECK_EQ(ctl(&op), 0);
    CHECK_EQ(getinfo(id, &rc).u.getdomaininfo.max_pages, 65792);
    /* setvcpucontext: AArch64 EL1h only; loads pc and x0, online. */
    struct vcpu_guest_context c;
    memset(&c, 0, sizeof(c));
    c.flags = VGCF_online;
    c.user_regs.x[0] = 0x48000000;
    c.user_regs.pc64 = 0x40200000;
    c.user_regs.cpsr = 0x10; /* AArch32 user mode */
    put(d0, ARG + 0x400, &c, sizeof(c));
    op = domctl(XEN_DOMCTL_setvcpucontext, VER, id);
    op.u.vcpucontext.vcpu = 0;
    op.u.vcpucontext.ctxt = ARG + 0x400;
    CHECK_EQ(ctl(&op), -EINVAL);
    c.user_regs.cpsr = 0x1c5;
    put(d0, ARG + 0x400, &c, sizeof(c));
    op.u.vcpucontext.vcpu = 2;
    CHECK_EQ(ctl(&op), -EINVAL); /* no vCPU 2 */
    op.u.vcpucontext.vcpu = 0;
    CHECK_EQ(ctl(&op), 0);
    CHECK_EQ(d->vcpus[0]->arch.regs.elr, 0x40200000);
    CHECK_EQ(d->vcpus[0]->arch.regs.x[0], 0x48000000);
    CHECK_EQ(d->vcpus[0]->arch.regs.spsr, 0x1c5);
    CHECK(d->vcpus[0]->state == VCPU_RUNNABLE);
    CHECK_EQ(d->ctl_pauses, 1); /* paused around the update, as before */
    /* cacheflush: bounded, a long range continues 16 MiB at a time. */
    op = domctl(XEN_DOMCTL_cacheflush, VER, id);
    op.u.cacheflush.nr_pfns = (1u << 18) + 1;
    CHECK_EQ(ctl(&op), -EINVAL);
    op.u.cacheflush.start_pfn = ~0ULL;
    op.u.cacheflush.nr_pfns = 2;
    CHECK_EQ(ctl(&op), -EINVAL);
    op.u.cacheflush.start_pfn = FAKE_RAM_GFN;
    op.u.cacheflush.nr_pfns = 5000; /* its 8 RAM pages and holes */
    ctl(&op);
    CHECK(fake_continued(vcpu0(d0)));
    get(d0, ARG, &op, sizeof(op));
    CHECK_EQ(op.u.cacheflush.start_pfn, FAKE_RAM_GFN + 4096);
    CHECK_EQ(op.u.cacheflush.nr_pfns, 5000 - 4096);
    CHECK_EQ(fake_reissue(vcpu0(d0)), 0);
    CHECK_EQ(fake_ctl.flushed_bytes, 8 * PAGE_SIZE);
    CHECK_EQ(fake_ctl.icache_flushes, 1);
    /* Pauses: counted, at most 255, never below 0, never oneself. */
    op = domctl(XEN_DOMCTL_unpausedomain, VER, id);
    CHECK_EQ(ctl(&op), 0);
    CHECK_EQ(ctl(&op), -EINVAL);
    CHECK(!(getinfo(id, &rc).u.getdomaininfo.flags & XEN_DOMINF_paused));
    op = domctl(XEN_DOMCTL_pausedomain, VER, id);
    for (int i = 0; i < 255; i++)
        CHECK_EQ(ctl(&op), 0);
    CHECK_EQ(ctl(&op), -EOVERFLOW);
    op = domctl(XEN_DOMCTL_pausedomain, VER, 0);
    CHECK_EQ(ctl(&op), -EINVAL);
    /* destroydomain: dying at once; again is fine; not oneself. */
    op = domctl(XEN_DOMCTL_destroydomain, VER, 0);
    CHECK_EQ(ctl(&op), -EINVAL);
    op = domctl(XEN_DOMCTL_destroydomain, VER, id);
    CHECK_EQ(ctl(&op), 0);
    CHECK_EQ(ctl(&op), 0);
    uint32_t f = getinfo(id, &rc).u.getdomaininfo.flags;
    CHECK((f & (XEN_DOMINF_dying | XEN_DOMINF_shutdown)) == XEN_DOMINF_dying);
    CHECK(quiet());
}

static struct xen_domctl getinfo(uint16_t dom, int64_t *rc)
{
    struct xen_domctl op = domctl(XEN_DOMCTL_getdomaininfo, VER, dom);
    memset(&op.u, 0xa5, sizeof(op.u)); /* every field is written */
    put(d0, ARG, &op, sizeof(op));
    *rc = fake_hypercall(vcpu0(d0), DOMCTL, ARG, 0, 0, 0, 0);
    get(d0, ARG, &op, sizeof(op));
    return op;
}

TEST(getdomaininfo_fields)
{
    world();
    d1->vcpus[0]->runtime = FAKE_FREQ * 3 / 2; /* 1.5 s */
    d1->vcpus[1]->state = VCPU_OFF;
    int64_t rc;
    struct xen_domctl op = getinfo(1, &rc);
    struct xen_domctl_getdomaininfo *i = &op.u.getdomaininfo;
    CHECK_EQ(rc, 0);
    CHECK_EQ(op.domain, 1);
    CHECK_EQ(i->domain, 1);
    CHECK_EQ(i->flags, 0xffff0000u | XEN_DOMINF_hvm_guest | XEN_DOMINF_hap);
    CHECK_EQ(i->tot_pages, FAKE_RAM_PAGES);
    CHECK_EQ(i->max_pages, FAKE_RAM_PAGES);
    CHECK_EQ(i->outstanding_pages, 0);
    CHECK_EQ(i->shared_info_frame, virt_to_phys(d1->xen->shinfo) >> PAGE_SHIFT);
    CHECK_EQ(i->cpu_time, 1500000000ULL);
    CHECK_EQ(i->nr_online_vcpus, 1);
    CHECK_EQ(i->max_vcpu_id, 1);
    CHECK_EQ(i->ssidref, 0);
    CHECK_EQ(i->cpupool, 0);
    CHECK_EQ(i->gpaddr_bits, FAKE_IPA_BITS);
    uint8_t zero[16] = {0};
    CHECK(memcmp(i->handle, zero, 16) == 0);
    CHECK(memcmp(i->pad2, zero, sizeof(i->pad2)) == 0);
    CHECK(memcmp(&i->arch_config, zero, sizeof(i->arch_config)) == 0);
    CHECK(quiet());
}

TEST(getdomaininfo_states)
{
    world();
    int64_t rc;
    /* Every online vCPU blocked: blocked; one on a pCPU: running. */
    d1->vcpus[0]->state = d1->vcpus[1]->state = VCPU_BLOCKED;
    CHECK_EQ(getinfo(1, &rc).u.getdomaininfo.flags & 0xff,
             XEN_DOMINF_hvm_guest | XEN_DOMINF_blocked);
    d1->vcpus[1]->state = VCPU_RUNNABLE;
    d1->vcpus[1]->loaded = true;
    CHECK_EQ(getinfo(1, &rc).u.getdomaininfo.flags & 0xff,
             XEN_DOMINF_hvm_guest | XEN_DOMINF_running);
    /* No vCPU online: neither. */
    d1->vcpus[0]->state = d1->vcpus[1]->state = VCPU_OFF;
    d1->vcpus[1]->loaded = false;
    struct xen_domctl op = getinfo(1, &rc);
    CHECK_EQ(op.u.getdomaininfo.flags & 0xff, XEN_DOMINF_hvm_guest);
    CHECK_EQ(op.u.getdomaininfo.nr_online_vcpus, 0);
    /* A shutdown code latched before the shutdown shows, as on Xen. */
    d1->shutdown_reason = SHUTDOWN_reboot;
    CHECK_EQ(getinfo(1, &rc).u.getdomaininfo.flags >> 16, SHUTDOWN_reboot);
    /* Shut down and being destroyed: shutdown | dying with its reason. */
    d1->state = DOM_DYING;
    d1->shutdown_reason = SHUTDOWN_crash;
    uint32_t f = getinfo(1, &rc).u.getdomaininfo.flags;
    CHECK(f & XEN_DOMINF_shutdown);
    CHECK(f & XEN_DOMINF_dying);
    CHECK_EQ(f >> XEN_DOMINF_shutdownshift, SHUTDOWN_crash);
    /* Preserved: shut down, not dying. */
    d1->state = DOM_PRESERVED;
    d1->shutdown_reason = SHUTDOWN_poweroff;
    f = getinfo(1, &rc).u.getdomaininfo.flags;
    CHECK((f & (XEN_DOMINF_shutdown | XEN_DOMINF_dying)) == XEN_DOMINF_shutdown);
    CHECK_EQ(f >> XEN_DOMINF_shutdownshift, SHUTDOWN_poweroff);
    CHECK(quiet());
}

TEST(getdomaininfo_is_first_at_or_after)
{
    world();
    int64_t rc;
    struct xen_domctl op = getinfo(2, &rc); /* no 2: the next, 3 (a plain VM) */
    CHECK_EQ(rc, 0);
    CHECK_EQ(op.domain, 3);
    CHECK_EQ(op.u.getdomaininfo.domain, 3);
    CHECK_EQ(op.u.getdomaininfo.tot_pages, FAKE_RAM_PAGES);
    CHECK_EQ(op.u.getdomaininfo.shared_info_frame, 0);
    CHECK_EQ(getinfo(0, &rc).domain, 0);
    CHECK_EQ(rc, 0);
    CHECK(domctl_fails(d0, domctl(XEN_DOMCTL_getdomaininfo, VER, 4), -ESRCH));
    CHECK(domctl_fails(d0, domctl(XEN_DOMCTL_getdomaininfo, VER, 0x7fef), -ESRCH));
    CHECK(domctl_fails(d0, domctl(XEN_DOMCTL_getdomaininfo, VER, DOMID_SELF), -EINVAL));
    CHECK(domctl_fails(d0, domctl(XEN_DOMCTL_getdomaininfo, VER, 0xffff), -EINVAL));
    /* The reply cannot be written back: -EFAULT. */
    fake_ro_gfn = ARG >> PAGE_SHIFT;
    getinfo(1, &rc);
    CHECK_EQ(rc, -EFAULT);
    fake_ro_gfn = 0;
    CHECK(quiet());
}

TEST(sysctl_envelope_in_xens_order)
{
    world();
    CHECK(fails_clean(vcpu0(d1), SYSCTL, BAD_VA, 0, 0, -EFAULT));
    CHECK(sysctl_fails(d1, sysctl(XEN_SYSCTL_physinfo, 0x14), -EACCES));
    CHECK(sysctl_fails(d0, sysctl(XEN_SYSCTL_physinfo, 0x16), -EACCES));
    CHECK(sysctl_fails(d1, sysctl(XEN_SYSCTL_physinfo, VER), -EPERM));
    CHECK(sysctl_fails(d1, sysctl(999, VER), -EPERM));
    CHECK(sysctl_fails(d3, sysctl(XEN_SYSCTL_getdomaininfolist, VER), -EPERM));
    CHECK(sysctl_fails(d0, sysctl(0, VER), -ENOSYS));
    CHECK(sysctl_fails(d0, sysctl(2, VER), -ENOSYS));
    CHECK(sysctl_fails(d0, sysctl(22, VER), -ENOSYS)); /* pcitopoinfo: not on ARM */
    CHECK(sysctl_fails(d0, sysctl(0xffffffffu, VER), -ENOSYS));
}

static int64_t do_sysctl_op(struct xen_sysctl *op)
{
    put(d0, ARG, op, sizeof(*op));
    int64_t rc = fake_hypercall(vcpu0(d0), SYSCTL, ARG, 0, 0, 0, 0);
    get(d0, ARG, op, sizeof(*op));
    return rc;
}

TEST(physinfo_and_sched_id)
{
    world();
    struct xen_sysctl op = sysctl(XEN_SYSCTL_physinfo, VER);
    memset(&op.u, 0xa5, sizeof(op.u));
    CHECK_EQ(do_sysctl_op(&op), 0);
    struct xen_sysctl_physinfo *pi = &op.u.physinfo;
    CHECK_EQ(pi->threads_per_core, 1);
    CHECK_EQ(pi->cores_per_socket, 1);
    CHECK_EQ(pi->nr_cpus, 2);
    CHECK_EQ(pi->max_cpu_id, 1);
    CHECK_EQ(pi->nr_nodes, 1);
    CHECK_EQ(pi->max_node_id, 0);
    CHECK_EQ(pi->cpu_khz, FAKE_FREQ / 1000);
    CHECK_EQ(pi->capabilities,
             XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap | XEN_SYSCTL_PHYSCAP_gnttab_v1);
    CHECK_EQ(pi->arch_capabilities, 0);
    CHECK_EQ(pi->total_pages, FAKE_HOST_RAM_BYTES >> PAGE_SHIFT);
    CHECK_EQ(pi->free_pages, mm_free_pages() - mm_reserve_pages());
    CHECK_EQ(pi->scrub_pages, 0);
    CHECK_EQ(pi->outstanding_pages, 0);
    CHECK_EQ(pi->max_mfn, ((0x40000000ULL + FAKE_HOST_RAM_BYTES) >> PAGE_SHIFT) - 1);
    CHECK_EQ(pi->hw_cap[7], 0);
    op = sysctl(XEN_SYSCTL_sched_id, VER);
    CHECK_EQ(do_sysctl_op(&op), 0);
    CHECK_EQ(op.u.sched_id.sched_id, XEN_SCHEDULER_CREDIT2);
    CHECK(quiet());
}

static int64_t list(uint16_t first, uint32_t max, uint64_t buf, uint32_t *num)
{
    struct xen_sysctl op = sysctl(XEN_SYSCTL_getdomaininfolist, VER);
    op.u.getdomaininfolist.first_domain = first;
    op.u.getdomaininfolist.max_domains = max;
    op.u.getdomaininfolist.buffer = buf;
    op.u.getdomaininfolist.num_domains = 0xdead;
    int64_t rc = do_sysctl_op(&op);
    *num = op.u.getdomaininfolist.num_domains;
    return rc;
}

TEST(getdomaininfolist_ascending_from_first)
{
    world();
    uint32_t num;
    struct xen_domctl_getdomaininfo info[4];
    CHECK_EQ(list(0, 1024, ARG2, &num), 0);
    CHECK_EQ(num, 3);
    get(d0, ARG2, info, sizeof(info));
    CHECK_EQ(info[0].domain, 0);
    CHECK_EQ(info[1].domain, 1);
    CHECK_EQ(info[2].domain, 3);
    CHECK_EQ(info[1].nr_online_vcpus, 2);
    CHECK_EQ(list(1, 1, ARG2, &num), 0); /* xl list <dom>: max 1 */
    CHECK_EQ(num, 1);
    get(d0, ARG2, info, sizeof(info[0]));
    CHECK_EQ(info[0].domain, 1);
    CHECK_EQ(list(2, 1024, ARG2, &num), 0);
    CHECK_EQ(num, 1);
    get(d0, ARG2, info, sizeof(info[0]));
    CHECK_EQ(info[0].domain, 3);
    CHECK_EQ(list(4, 1024, ARG2, &num), 0); /* the end of libxl's loop */
    CHECK_EQ(num, 0);
    CHECK_EQ(list(0x7ff0, 1024, BAD_VA, &num), 0);
    CHECK_EQ(num, 0);
    CHECK_EQ(list(0, 0, BAD_VA, &num), 0);
    CHECK_EQ(num, 0);
    /* A bad buffer: -EFAULT, the envelope not written back. */
    CHECK_EQ(list(0, 1024, BAD_VA, &num), -EFAULT);
    CHECK_EQ(num, 0xdead);
    /* The buffer ends in the middle: the entries before it are written. */
    CHECK_EQ(list(0, 1024, FAKE_RAM_END - 2 * sizeof(info[0]), &num), -EFAULT);
    CHECK(quiet());
}

static int64_t pool(uint32_t opn, uint32_t id, uint32_t nr_bits, struct xen_sysctl *op)
{
    *op = sysctl(XEN_SYSCTL_cpupool_op, VER);
    op->u.cpupool_op.op = opn;
    op->u.cpupool_op.cpupool_id = id;
    op->u.cpupool_op.cpumap.bitmap = ARG2;
    op->u.cpupool_op.cpumap.nr_bits = nr_bits;
    uint8_t ff[8];
    memset(ff, 0xff, sizeof(ff));
    put(d0, ARG2, ff, sizeof(ff));
    return do_sysctl_op(op);
}

TEST(cpupool_info_and_freeinfo)
{
    world();
    struct xen_sysctl op;
    uint8_t map[8];
    CHECK_EQ(pool(XEN_SYSCTL_CPUPOOL_OP_INFO, 0, 24, &op), 0);
    CHECK_EQ(op.u.cpupool_op.cpupool_id, 0);
    CHECK_EQ(op.u.cpupool_op.sched_id, XEN_SCHEDULER_CREDIT2);
    CHECK_EQ(op.u.cpupool_op.n_dom, 3);
    get(d0, ARG2, map, sizeof(map));
    CHECK_EQ(map[0], 0x03); /* pCPUs 0 and 1 */
    CHECK_EQ(map[1], 0);    /* the rest of the guest's 24 bits: zeroes */
    CHECK_EQ(map[2], 0);
    CHECK_EQ(map[3], 0xff); /* past them: untouched */
    /* >= semantics: nothing after pool 0, which ends xen-init-dom0's loop. */
    struct xen_sysctl bad = sysctl(XEN_SYSCTL_cpupool_op, VER);
    bad.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_INFO;
    bad.u.cpupool_op.cpupool_id = 1;
    CHECK(sysctl_fails(d0, bad, -ENOENT));
    bad.u.cpupool_op.cpupool_id = 0xffffffffu;
    CHECK(sysctl_fails(d0, bad, -ENOENT));
    bad.u.cpupool_op.op = 99;
    CHECK(sysctl_fails(d0, bad, -ENOSYS));
    bad.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_INFO;
    bad.u.cpupool_op.cpupool_id = 0;
    bad.u.cpupool_op.cpumap.nr_bits = 32768u + 1;
    bad.u.cpupool_op.cpumap.bitmap = ARG2;
    CHECK(sysctl_fails(d0, bad, -EINVAL));
    /* A map of 0 bits: nothing written, still a success. */
    CHECK_EQ(pool(XEN_SYSCTL_CPUPOOL_OP_INFO, 0, 0, &op), 0);
    get(d0, ARG2, map, 1);
    CHECK_EQ(map[0], 0xff);
    /* FREEINFO: every pCPU is in pool 0. */
    CHECK_EQ(pool(XEN_SYSCTL_CPUPOOL_OP_FREEINFO, 0, 16, &op), 0);
    get(d0, ARG2, map, sizeof(map));
    CHECK_EQ(map[0], 0);
    CHECK_EQ(map[1], 0);
    CHECK_EQ(map[2], 0xff);
    CHECK(quiet());
}

TEST(readconsole_empty_ring)
{
    world();
    struct xen_sysctl op = sysctl(XEN_SYSCTL_readconsole, VER);
    op.u.readconsole.clear = 1;
    op.u.readconsole.incremental = 1;
    op.u.readconsole.index = 77;
    op.u.readconsole.buffer = BAD_VA; /* nothing to copy: never looked at */
    op.u.readconsole.count = 4096;
    uint64_t written = fake_guest_writes;
    CHECK_EQ(do_sysctl_op(&op), 0);
    CHECK_EQ(fake_guest_writes, written + 1); /* the envelope only */
    CHECK_EQ(op.u.readconsole.count, 0);
    CHECK_EQ(op.u.readconsole.index, 0);
    CHECK(quiet());
}

static void entry(struct multicall_entry *e, uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
    memset(e, 0, sizeof(*e));
    e->op = op;
    e->result = 0x5555;
    e->args[0] = a0, e->args[1] = a1, e->args[2] = a2;
}

TEST(multicall_results_each_entry)
{
    world();
    struct multicall_entry e[6];
    entry(&e[0], __HYPERVISOR_xen_version, XENVER_version, 0, 0);
    entry(&e[1], __HYPERVISOR_xen_version, XENVER_pagesize, 0, 0);
    entry(&e[2], __HYPERVISOR_memory_op, XENMEM_get_sharing_freed_pages, 0, 0);
    entry(&e[3], __HYPERVISOR_xsm_op, 5, ARG3, 0);
    entry(&e[4], MC, ARG, 1, 0); /* nested: refused */
    entry(&e[5], 64, 0, 0, 0);
    put(d1, ARG, e, sizeof(e));
    struct vcpu *v = vcpu0(d1);
    CHECK_EQ(fake_hypercall(v, MC, ARG, 6, 0, 0, 0), 0);
    CHECK(!fake_continued(v));
    CHECK(fake_regs_intact(v, MC));
    struct multicall_entry out[6];
    get(d1, ARG, out, sizeof(out));
    CHECK_EQ(out[0].result, 0x40011);
    CHECK_EQ(out[1].result, 4096);
    CHECK_EQ(out[2].result, 0);
    CHECK_EQ((int64_t)out[3].result, -ENOSYS);
    CHECK_EQ((int64_t)out[4].result, -EINVAL);
    CHECK_EQ((int64_t)out[5].result, -ENOSYS);
    /* Only the results change. */
    for (int i = 0; i < 6; i++) {
        CHECK_EQ(out[i].op, e[i].op);
        CHECK(memcmp(out[i].args, e[i].args, sizeof(e[i].args)) == 0);
    }
    /* A domU's domctl inside a multicall: -EPERM in its entry. */
    struct xen_domctl dc = domctl(XEN_DOMCTL_getdomaininfo, VER, 1);
    put(d1, ARG3, &dc, sizeof(dc));
    entry(&e[0], DOMCTL, ARG3, 0, 0);
    put(d1, ARG, e, sizeof(e[0]));
    CHECK_EQ(fake_hypercall(v, MC, ARG, 1, 0, 0, 0), 0);
    get(d1, ARG, out, sizeof(out[0]));
    CHECK_EQ((int64_t)out[0].result, -EPERM);
    /* No entries: nothing read. A bad list: -EFAULT. */
    CHECK(fails_clean(v, MC, BAD_VA, 0, 0, 0));
    CHECK(fails_clean(v, MC, BAD_VA, 0xffffffff00000000ULL, 0, 0)); /* upper bits ignored */
    CHECK(fails_clean(v, MC, BAD_VA, 1, 0, -EFAULT));
    CHECK(quiet());
}

TEST(multicall_is_bounded_and_continues)
{
    world();
    enum { N = 20 };
    struct multicall_entry e[N], out[N];
    for (int i = 0; i < N; i++)
        entry(&e[i], __HYPERVISOR_xen_version, XENVER_version, 0, 0);
    put(d0, ARG, e, sizeof(e));
    struct vcpu *v = vcpu0(d0);
    fake_hypercall(v, MC, ARG, N, 0, 0, 0);
    CHECK(fake_continued(v));
    CHECK_EQ(v->arch.regs.x[0], ARG + 8 * sizeof(e[0]));
    CHECK_EQ(v->arch.regs.x[1], N - 8);
    get(d0, ARG, out, sizeof(out));
    CHECK_EQ(out[7].result, 0x40011);
    CHECK_EQ(out[8].result, 0x5555); /* not yet */
    int rounds = 1;
    while (fake_continued(v) && rounds < 10) {
        fake_reissue(v);
        rounds++;
    }
    CHECK_EQ(rounds, 3);
    CHECK_EQ(v->arch.regs.x[0], 0);
    get(d0, ARG, out, sizeof(out));
    for (int i = 0; i < N; i++)
        CHECK_EQ(out[i].result, 0x40011);
    CHECK(quiet());
}

TEST(multicall_entry_that_continues_resumes_in_place)
{
    world();
    /* console_io writes 2 KiB per call: a 5000-byte write continues. */
    char text[5000];
    memset(text, 'm', sizeof(text));
    put(d1, ARG2, text, 4096);
    put(d1, ARG3, text + 4096, sizeof(text) - 4096);
    struct multicall_entry e[2], out[2];
    entry(&e[0], __HYPERVISOR_console_io, CONSOLEIO_write, sizeof(text), ARG2);
    entry(&e[1], __HYPERVISOR_xen_version, XENVER_version, 0, 0);
    put(d1, ARG, e, sizeof(e));
    struct vcpu *v = vcpu0(d1);
    fake_hypercall(v, MC, ARG, 2, 0, 0, 0);
    CHECK(fake_continued(v));
    CHECK_EQ(v->arch.regs.x[0], ARG); /* the same entry */
    CHECK_EQ(v->arch.regs.x[1], 2);
    get(d1, ARG, out, sizeof(out));
    CHECK_EQ(out[0].args[1], sizeof(text) - 2048); /* the rest of its call */
    CHECK_EQ(out[0].args[2], ARG2 + 2048);
    int rounds = 1;
    while (fake_continued(v) && rounds < 10) {
        fake_reissue(v);
        rounds++;
    }
    CHECK_EQ(rounds, 3);
    CHECK_EQ(v->arch.regs.x[0], 0);
    get(d1, ARG, out, sizeof(out));
    CHECK_EQ(out[0].result, 0);
    CHECK_EQ(out[1].result, 0x40011);
    CHECK_EQ(fake_con_len[1], sizeof(text));
    CHECK(quiet());
}

TEST(multicall_stops_after_an_entry_that_blocks)
{
    world();
    struct multicall_entry e[2], out[2];
    entry(&e[0], __HYPERVISOR_sched_op, SCHEDOP_block, 0, 0);
    entry(&e[1], __HYPERVISOR_xen_version, XENVER_version, 0, 0);
    put(d1, ARG, e, sizeof(e));
    struct vcpu *v = vcpu0(d1);
    fake_hypercall(v, MC, ARG, 2, 0, 0, 0);
    CHECK_EQ(fake_blocks, 1);
    CHECK(fake_continued(v)); /* the rest when it runs again */
    CHECK_EQ(v->arch.regs.x[0], ARG + sizeof(e[0]));
    CHECK_EQ(v->arch.regs.x[1], 1);
    get(d1, ARG, out, sizeof(out));
    CHECK_EQ(out[0].result, 0);
    CHECK_EQ(out[1].result, 0x5555);
    CHECK(quiet());
}

TEST(xsm_op_memory_op_sharing_and_build_id)
{
    world();
    for (uint64_t cmd = 0; cmd < 64; cmd += 5) {
        CHECK(fails_clean(vcpu0(d1), __HYPERVISOR_xsm_op, cmd, ARG, 0, -ENOSYS));
        CHECK(fails_clean(vcpu0(d0), __HYPERVISOR_xsm_op, cmd, BAD_VA, 0, -ENOSYS));
    }
    CHECK(fails_clean(vcpu0(d1), __HYPERVISOR_memory_op, XENMEM_get_sharing_freed_pages, 0, 0, 0));
    CHECK(fails_clean(vcpu0(d0), __HYPERVISOR_memory_op, XENMEM_get_sharing_shared_pages, 0, 0, 0));
    CHECK(fails_clean(vcpu0(d1), __HYPERVISOR_xen_version, XENVER_build_id, ARG, 0, -EPERM));
    CHECK(fails_clean(vcpu0(d0), __HYPERVISOR_xen_version, XENVER_build_id, BAD_VA, 0, -EFAULT));
    uint32_t len = 0;
    put(d0, ARG, &len, sizeof(len));
    CHECK(fails_clean(vcpu0(d0), __HYPERVISOR_xen_version, XENVER_build_id, ARG, 0, -EINVAL));
    len = 4092;
    put(d0, ARG, &len, sizeof(len));
    CHECK(fails_clean(vcpu0(d0), __HYPERVISOR_xen_version, XENVER_build_id, ARG, 0, -ENODATA));
    CHECK(fails_clean(vcpu0(d0), __HYPERVISOR_xen_version, XENVER_build_id, 0, 0, -ENODATA));
}

TEST(commandline_is_the_control_domains)
{
    world();
    xen_version_set_cmdline("console=dtuart dom0_mem=512M");
    char buf[1024];
    memset(buf, 'x', sizeof(buf));
    put(d0, ARG, buf, sizeof(buf));
    CHECK_EQ(fake_hypercall(vcpu0(d0), __HYPERVISOR_xen_version, XENVER_commandline, ARG, 0, 0, 0),
             0);
    get(d0, ARG, buf, sizeof(buf));
    CHECK_STR_EQ(buf, "console=dtuart dom0_mem=512M");
    CHECK_EQ(buf[1023], 0); /* the whole 1024 bytes, zero-padded */
    CHECK(fails_clean(vcpu0(d0), __HYPERVISOR_xen_version, XENVER_commandline, BAD_VA, 0, -EFAULT));
    /* A domU: Xen's denied answer, "<denied>" and its NUL, the rest untouched. */
    memset(buf, 'x', sizeof(buf));
    put(d1, ARG, buf, sizeof(buf));
    CHECK_EQ(fake_hypercall(vcpu0(d1), __HYPERVISOR_xen_version, XENVER_commandline, ARG, 0, 0, 0),
             0);
    get(d1, ARG, buf, 10);
    CHECK_STR_EQ(buf, "<denied>");
    CHECK_EQ(buf[9], 'x');
    CHECK_EQ(fake_hypercall(vcpu0(d1), __HYPERVISOR_xen_version, XENVER_commandline,
                            FAKE_RAM_END - 9, 0, 0, 0),
             0);
    CHECK(fails_clean(vcpu0(d1), __HYPERVISOR_xen_version, XENVER_commandline, BAD_VA, 0, -EFAULT));
    /* Longer than Xen's 1024 bytes: cut, still terminated. */
    char longer[2000];
    memset(longer, 'a', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = 0;
    xen_version_set_cmdline(longer);
    CHECK_EQ(fake_hypercall(vcpu0(d0), __HYPERVISOR_xen_version, XENVER_commandline, ARG, 0, 0, 0),
             0);
    get(d0, ARG, buf, sizeof(buf));
    CHECK_EQ(strlen(buf), 1023);
    xen_version_set_cmdline("");
    CHECK(quiet());
}
