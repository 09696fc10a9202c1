/*
 * event_channel_op (xen/hc_event_channel.c) over the real port tables: the
 * argument is copied in, xen/evtchn*.c acts, and only a successful command
 * that has results copies the struct back. Unknown commands are -ENOSYS,
 * unreadable arguments -EFAULT, and a failed call leaves guest memory alone.
 */
#include "harness.h"
#include "hc_util.h"
#include <public/event_channel.h>
#include <public/memory.h>

#define EVTCHN __HYPERVISOR_event_channel_op

static struct domain *d0, *d1;

static void world(void)
{
    fake_world_reset();
    d0 = fake_domain(0, FAKE_XEN | FAKE_PRIV, 2);
    d1 = fake_domain(1, FAKE_XEN, 2);
}

static int64_t op(struct domain *d, uint32_t cmd, void *arg, size_t len)
{
    put(d, ARG, arg, len);
    int64_t rc = fake_hypercall(vcpu0(d), EVTCHN, cmd, ARG, 0, 0, 0);
    get(d, ARG, arg, len);
    return rc;
}

static uint32_t alloc_unbound(struct domain *d, uint16_t remote)
{
    struct evtchn_alloc_unbound a = {.dom = DOMID_SELF, .remote_dom = remote};
    CHECK_EQ(op(d, EVTCHNOP_alloc_unbound, &a, sizeof(a)), 0);
    return a.port;
}

static bool pending_2l(struct domain *d, uint32_t port)
{
    return d->xen->shinfo->evtchn_pending[port / 64] & (1ULL << (port % 64));
}

TEST(unknown_commands_are_enosys)
{
    world();
    static const uint64_t cmds[] = {EVTCHNOP_bind_pirq, EVTCHNOP_set_priority + 1, 0xffff,
                                    0xffffffffULL, 0x7fffffffULL};
    struct evtchn_alloc_unbound a = {.dom = DOMID_SELF};
    put(d1, ARG, &a, sizeof(a));
    for (size_t i = 0; i < ARRAY_SIZE(cmds); i++)
        CHECK(fails_clean(vcpu0(d1), EVTCHN, cmds[i], ARG, 0, -ENOSYS));
    CHECK_EQ(fake_guest_reads, 0); /* not even read */
}

TEST(an_unreadable_argument_is_efault_and_does_nothing)
{
    world();
    static const uint32_t cmds[] = {EVTCHNOP_bind_interdomain,
                                    EVTCHNOP_bind_virq,
                                    EVTCHNOP_close,
                                    EVTCHNOP_send,
                                    EVTCHNOP_status,
                                    EVTCHNOP_alloc_unbound,
                                    EVTCHNOP_bind_ipi,
                                    EVTCHNOP_bind_vcpu,
                                    EVTCHNOP_unmask,
                                    EVTCHNOP_reset,
                                    EVTCHNOP_init_control,
                                    EVTCHNOP_expand_array,
                                    EVTCHNOP_set_priority};
    for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
        CHECK(fails_clean(vcpu0(d1), EVTCHN, cmds[i], BAD_VA, 0, -EFAULT));
        /* The struct would run off the end of RAM: nothing is read in part. */
        CHECK(fails_clean(vcpu0(d1), EVTCHN, cmds[i], FAKE_RAM_END - 1, 0, -EFAULT));
    }
    CHECK_EQ(d1->xen->ports_used, 0);
    CHECK(d1->xen->fifo == NULL);
}

TEST(results_are_copied_back_on_success_only)
{
    world();
    struct evtchn_alloc_unbound a = {.dom = DOMID_SELF, .remote_dom = 0, .port = 0x5555};
    CHECK_EQ(op(d1, EVTCHNOP_alloc_unbound, &a, sizeof(a)), 0);
    CHECK_EQ(a.port, 1);
    CHECK_EQ(a.dom, DOMID_SELF); /* the inputs go back as they came */

    /* A domU may not allocate in dom0's table: -EPERM, nothing written. */
    a = (struct evtchn_alloc_unbound){.dom = 0, .remote_dom = 1, .port = 0x5555};
    put(d1, ARG, &a, sizeof(a));
    CHECK(fails_clean(vcpu0(d1), EVTCHN, EVTCHNOP_alloc_unbound, ARG, 0, -EPERM));
    a.dom = 3; /* no such domain */
    put(d1, ARG, &a, sizeof(a));
    CHECK(fails_clean(vcpu0(d1), EVTCHN, EVTCHNOP_alloc_unbound, ARG, 0, -ESRCH));

    struct evtchn_bind_virq bv = {.virq = NR_VIRQS, .vcpu = 0, .port = 0x5555};
    put(d1, ARG, &bv, sizeof(bv));
    CHECK(fails_clean(vcpu0(d1), EVTCHN, EVTCHNOP_bind_virq, ARG, 0, -EINVAL));
    bv = (struct evtchn_bind_virq){.virq = VIRQ_TIMER, .vcpu = 2};
    put(d1, ARG, &bv, sizeof(bv));
    CHECK(fails_clean(vcpu0(d1), EVTCHN, EVTCHNOP_bind_virq, ARG, 0, -ENOENT));
    struct evtchn_bind_ipi bi = {.vcpu = 7};
    put(d1, ARG, &bi, sizeof(bi));
    CHECK(fails_clean(vcpu0(d1), EVTCHN, EVTCHNOP_bind_ipi, ARG, 0, -ENOENT));
    struct evtchn_status st = {.dom = DOMID_SELF, .port = 4096};
    put(d1, ARG, &st, sizeof(st));
    CHECK(fails_clean(vcpu0(d1), EVTCHN, EVTCHNOP_status, ARG, 0, -EINVAL));

    bv = (struct evtchn_bind_virq){.virq = VIRQ_TIMER, .vcpu = 1};
    CHECK_EQ(op(d1, EVTCHNOP_bind_virq, &bv, sizeof(bv)), 0);
    CHECK_EQ(bv.port, 2);
    bi.vcpu = 1;
    CHECK_EQ(op(d1, EVTCHNOP_bind_ipi, &bi, sizeof(bi)), 0);
    CHECK_EQ(bi.port, 3);
    st = (struct evtchn_status){.dom = DOMID_SELF, .port = 2};
    CHECK_EQ(op(d1, EVTCHNOP_status, &st, sizeof(st)), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_virq);
    CHECK_EQ(st.vcpu, 1);
    CHECK_EQ(st.u.virq, VIRQ_TIMER);
    CHECK(quiet());
}

/* Commands without results write nothing, even when they succeed. */
TEST(commands_without_results_write_nothing)
{
    world();
    uint32_t p = alloc_unbound(d1, DOMID_SELF);
    uint64_t written = fake_guest_writes;
    struct evtchn_bind_vcpu bvc = {.port = p, .vcpu = 1};
    CHECK_EQ(op(d1, EVTCHNOP_bind_vcpu, &bvc, sizeof(bvc)), 0);
    struct evtchn_port_arg pa = {.port = p};
    CHECK_EQ(op(d1, EVTCHNOP_unmask, &pa, sizeof(pa)), 0);
    CHECK_EQ(op(d1, EVTCHNOP_send, &pa, sizeof(pa)), 0);
    CHECK_EQ(op(d1, EVTCHNOP_close, &pa, sizeof(pa)), 0);
    struct evtchn_reset r = {.dom = DOMID_SELF};
    CHECK_EQ(op(d1, EVTCHNOP_reset, &r, sizeof(r)), 0);
    CHECK_EQ(fake_guest_writes, written);
    /* ... and fail with Xen's codes: closed port, priorities under 2-level. */
    CHECK(fails_clean(vcpu0(d1), EVTCHN, EVTCHNOP_close, ARG, 0, -EINVAL));
    struct evtchn_set_priority sp = {.port = 0, .priority = 3};
    put(d1, ARG, &sp, sizeof(sp));
    CHECK(fails_clean(vcpu0(d1), EVTCHN, EVTCHNOP_set_priority, ARG, 0, -ENOSYS));
    struct evtchn_expand_array ea = {.array_gfn = FAKE_RAM_GFN + 4};
    put(d1, ARG, &ea, sizeof(ea));
    CHECK(fails_clean(vcpu0(d1), EVTCHN, EVTCHNOP_expand_array, ARG, 0, -EOPNOTSUPP));
    CHECK(quiet());
}

/* Xen does not undo a command whose results cannot be copied back ("cleaning
 * up here would be a mess"): the port stays allocated, the guest sees -EFAULT. */
TEST(a_failed_copy_back_is_efault_after_the_work)
{
    world();
    struct evtchn_alloc_unbound a = {.dom = DOMID_SELF, .remote_dom = 0};
    put(d1, ARG, &a, sizeof(a));
    fake_ro_gfn = ARG >> PAGE_SHIFT;
    CHECK_EQ(fake_hypercall(vcpu0(d1), EVTCHN, EVTCHNOP_alloc_unbound, ARG, 0, 0, 0), -EFAULT);
    fake_ro_gfn = 0;
    CHECK_EQ(d1->xen->ports_used, 1);
    CHECK_EQ(alloc_unbound(d1, 0), 2);
    CHECK(quiet());
}

TEST(interdomain_ports_deliver_through_the_decoder)
{
    world();
    uint32_t p1 = alloc_unbound(d1, 0);
    struct evtchn_bind_interdomain bi = {.remote_dom = 1, .remote_port = p1};
    CHECK_EQ(op(d0, EVTCHNOP_bind_interdomain, &bi, sizeof(bi)), 0);
    uint32_t p0 = bi.local_port;
    CHECK_EQ(p0, 1);
    /* Bound twice: the remote port is no longer unbound. */
    put(d0, ARG, &bi, sizeof(bi));
    CHECK(fails_clean(vcpu0(d0), EVTCHN, EVTCHNOP_bind_interdomain, ARG, 0, -EINVAL));

    d1->xen->shinfo->evtchn_pending[0] = 0;
    struct evtchn_port_arg s = {.port = p0};
    unsigned int before = fake_upcalls[1][0];
    CHECK_EQ(op(d0, EVTCHNOP_send, &s, sizeof(s)), 0);
    CHECK(pending_2l(d1, p1));
    CHECK_EQ(fake_upcalls[1][0], before + 1);

    /* dom0 may ask about d1's ports; d1 may not ask about dom0's. */
    struct evtchn_status st = {.dom = 1, .port = p1};
    CHECK_EQ(op(d0, EVTCHNOP_status, &st, sizeof(st)), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
    CHECK_EQ(st.u.interdomain.dom, 0);
    CHECK_EQ(st.u.interdomain.port, p0);
    st = (struct evtchn_status){.dom = 0, .port = p0};
    put(d1, ARG, &st, sizeof(st));
    CHECK(fails_clean(vcpu0(d1), EVTCHN, EVTCHNOP_status, ARG, 0, -EPERM));
    CHECK(quiet());
}

/* FIFO pages must be the caller's own RAM: not shared_info, not a page it
 * maps from elsewhere, not beyond the IPA space. */
TEST(fifo_pages_are_the_domains_own_ram)
{
    world();
    struct xen_add_to_physmap xatp = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_shared_info, .idx = 0, .gpfn = 0x38000};
    put(d1, ARG, &xatp, sizeof(xatp));
    CHECK_EQ(fake_hypercall(vcpu0(d1), __HYPERVISOR_memory_op, XENMEM_add_to_physmap, ARG, 0, 0, 0),
             0);
    static const uint64_t bad[] = {0x38000, 0x39000, 1ULL << 28, 1ULL << 52, UINT64_MAX};
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct evtchn_init_control ic = {.control_gfn = bad[i], .offset = 0, .vcpu = 0};
        put(d1, ARG, &ic, sizeof(ic));
        CHECK(fails_clean(vcpu0(d1), EVTCHN, EVTCHNOP_init_control, ARG, 0, -EINVAL));
    }
    struct evtchn_init_control ic = {.control_gfn = FAKE_RAM_GFN + 4, .offset = 4096 - 64 + 8};
    put(d1, ARG, &ic, sizeof(ic));
    CHECK(fails_clean(vcpu0(d1), EVTCHN, EVTCHNOP_init_control, ARG, 0, -EINVAL));
    ic = (struct evtchn_init_control){.control_gfn = FAKE_RAM_GFN + 4, .vcpu = 2};
    put(d1, ARG, &ic, sizeof(ic));
    CHECK(fails_clean(vcpu0(d1), EVTCHN, EVTCHNOP_init_control, ARG, 0, -ENOENT));
    CHECK(d1->xen->fifo == NULL);

    ic = (struct evtchn_init_control){.control_gfn = FAKE_RAM_GFN + 4, .vcpu = 0};
    CHECK_EQ(op(d1, EVTCHNOP_init_control, &ic, sizeof(ic)), 0);
    CHECK_EQ(ic.link_bits, EVTCHN_FIFO_LINK_BITS);
    struct evtchn_expand_array ea = {.array_gfn = 0x38000};
    put(d1, ARG, &ea, sizeof(ea));
    CHECK(fails_clean(vcpu0(d1), EVTCHN, EVTCHNOP_expand_array, ARG, 0, -EINVAL));
    ea.array_gfn = FAKE_RAM_GFN + 5;
    CHECK_EQ(op(d1, EVTCHNOP_expand_array, &ea, sizeof(ea)), 0);

    /* An event from dom0 lands in d1's own pages: word and control block. */
    uint32_t p1 = alloc_unbound(d1, 0);
    struct evtchn_bind_interdomain bi = {.remote_dom = 1, .remote_port = p1};
    CHECK_EQ(op(d0, EVTCHNOP_bind_interdomain, &bi, sizeof(bi)), 0);
    struct evtchn_port_arg s = {.port = bi.local_port};
    CHECK_EQ(op(d0, EVTCHNOP_send, &s, sizeof(s)), 0);
    uint32_t w;
    get(d1, FAKE_RAM_VA + 5 * PAGE_SIZE + p1 * 4, &w, sizeof(w));
    CHECK_EQ(w, (1u << EVTCHN_FIFO_PENDING) | (1u << EVTCHN_FIFO_LINKED));
    struct evtchn_fifo_control_block cb;
    get(d1, FAKE_RAM_VA + 4 * PAGE_SIZE, &cb, sizeof(cb));
    CHECK_EQ(cb.head[EVTCHN_FIFO_PRIORITY_DEFAULT], p1);
    struct evtchn_set_priority sp = {.port = p1, .priority = EVTCHN_FIFO_PRIORITY_MIN + 1};
    put(d1, ARG, &sp, sizeof(sp));
    CHECK(fails_clean(vcpu0(d1), EVTCHN, EVTCHNOP_set_priority, ARG, 0, -EINVAL));
    sp.priority = EVTCHN_FIFO_PRIORITY_MIN;
    CHECK_EQ(op(d1, EVTCHNOP_set_priority, &sp, sizeof(sp)), 0);
    CHECK(quiet());
}

TEST(teardown_frees_everything)
{
    world();
    alloc_unbound(d1, 0);
    fake_world_reset();
    CHECK(quiet());
}
