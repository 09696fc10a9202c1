/*
 * xen_evtchn: 2-level event channels within one domain.
 *  - EVTCHNOP_init_control with GFN 0 -> -EINVAL (2-level ABI stays)
 *  - alloc_unbound + bind_interdomain loopback: the new port is pending and
 *    its upcall (PPI 31) is taken; a second bind of the same port -> -EINVAL
 *  - send -> pending bit + upcall; while masked: pending, no upcall; unmask
 *    hypercall re-delivers it
 *  - status of both ends, close (peer back to unbound), closed/bad ports ->
 *    -EINVAL, send on an unbound port succeeds silently
 *  - bind_virq twice -> -EEXIST, bad virq/vcpu; bind_ipi + send; bind_vcpu to
 *    a missing vCPU -> -ENOENT
 *  - every port 1..limit in use at once (4095 on Cloison), then -ENOSPC;
 *    EVTCHNOP_reset frees all
 */
#include "xen_guest.h"

const char test_name[] = "xen_evtchn";

static uint8_t shinfo_page[4096] __attribute__((aligned(4096)));

static void expect(const char *what, long got, long want)
{
    if (got != want)
        test_fail("%s ret=%ld expected=%ld", what, got, want);
}

static void loopback(uint32_t *a, uint32_t *b)
{
    struct evtchn_status st;
    unsigned before = xen_upcalls;

    expect("alloc_unbound", evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, a), 0);
    if (*a == 0)
        test_fail("alloc_unbound gave port 0 (reserved)");
    expect("bind_interdomain", evtchn_bind_interdomain(DOMID_SELF, *a, b), 0);
    if (!xen_wait_upcall(before) || !xen_seen_port(*b))
        test_fail("bind_interdomain: new port %u not delivered pending upcalls=%u", *b,
                  xen_upcalls);
    uint32_t dummy;
    expect("double bind_interdomain", evtchn_bind_interdomain(DOMID_SELF, *a, &dummy), -XEN_EINVAL);
    expect("status a", evtchn_status(DOMID_SELF, *a, &st), 0);
    if (st.status != EVTCHNSTAT_interdomain || st.u.interdomain.port != *b || st.vcpu != 0)
        test_fail("status a=%u status=%u peer=%u vcpu=%u", *a, st.status, st.u.interdomain.port,
                  st.vcpu);
}

static void send_mask_unmask(uint32_t a, uint32_t b)
{
    unsigned before = xen_upcalls;
    expect("send", evtchn_send(a), 0);
    if (!xen_wait_upcall(before) || !xen_seen_port(b))
        test_fail("send a=%u: no upcall for b=%u", a, b);

    shinfo->evtchn_mask[b / 64] |= 1ULL << (b % 64);
    before = xen_upcalls;
    expect("send masked", evtchn_send(a), 0);
    if (xen_wait_upcall(before))
        test_fail("masked port %u raised an upcall", b);
    if (!port_bit(shinfo->evtchn_pending, b))
        test_fail("masked port %u not pending after send", b);
    /* Linux's unmask path when the port is pending: keep it masked, ask Xen. */
    expect("unmask", evtchn_unmask(b), 0);
    if (!xen_wait_upcall(before) || !xen_seen_port(b))
        test_fail("unmask of pending port %u: no re-delivery", b);
    if (port_bit(shinfo->evtchn_mask, b))
        test_fail("unmask left the mask bit of %u set", b);
}

static void close_paths(uint32_t a, uint32_t b)
{
    struct evtchn_status st;
    expect("close b", evtchn_close(b), 0);
    expect("status a after close", evtchn_status(DOMID_SELF, a, &st), 0);
    if (st.status != EVTCHNSTAT_unbound)
        test_fail("peer of closed port: status=%u expected unbound", st.status);
    expect("send unbound", evtchn_send(a), 0);
    expect("status b closed", evtchn_status(DOMID_SELF, b, &st), 0);
    if (st.status != EVTCHNSTAT_closed)
        test_fail("closed port status=%u", st.status);
    expect("close a", evtchn_close(a), 0);
    expect("close a again", evtchn_close(a), -XEN_EINVAL);
    expect("send closed", evtchn_send(a), -XEN_EINVAL);
    expect("close port 0", evtchn_close(0), -XEN_EINVAL);
    expect("send 4096", evtchn_send(4096), -XEN_EINVAL);
    expect("unmask 4096", evtchn_unmask(4096), -XEN_EINVAL);
    expect("close 0xffffffff", evtchn_close(0xffffffffu), -XEN_EINVAL);
    expect("status 4096", evtchn_status(DOMID_SELF, 4096, &st), -XEN_EINVAL);
}

static void virq_ipi(void)
{
    struct evtchn_bind_virq bv = {.virq = VIRQ_TIMER, .vcpu = 0};
    expect("bind_virq timer", evtchn_op(EVTCHNOP_bind_virq, &bv), 0);
    uint32_t vport = bv.port;
    expect("bind_virq twice", evtchn_op(EVTCHNOP_bind_virq, &bv), -XEN_EEXIST);
    bv = (struct evtchn_bind_virq){.virq = NR_VIRQS, .vcpu = 0};
    expect("bind_virq 24", evtchn_op(EVTCHNOP_bind_virq, &bv), -XEN_EINVAL);
    bv = (struct evtchn_bind_virq){.virq = VIRQ_TIMER, .vcpu = 7};
    expect("bind_virq vcpu 7", evtchn_op(EVTCHNOP_bind_virq, &bv), -XEN_ENOENT);
    expect("send virq port", evtchn_send(vport), -XEN_EINVAL);
    struct evtchn_bind_vcpu bvc = {.port = vport, .vcpu = 0};
    expect("bind_vcpu per-vcpu virq", evtchn_op(EVTCHNOP_bind_vcpu, &bvc), -XEN_EINVAL);
    bvc.vcpu = 5;
    expect("bind_vcpu vcpu 5", evtchn_op(EVTCHNOP_bind_vcpu, &bvc), -XEN_ENOENT);
    expect("close virq", evtchn_close(vport), 0);

    struct evtchn_bind_ipi bi = {.vcpu = 0};
    expect("bind_ipi", evtchn_op(EVTCHNOP_bind_ipi, &bi), 0);
    unsigned before = xen_upcalls;
    expect("send ipi", evtchn_send(bi.port), 0);
    if (!xen_wait_upcall(before) || !xen_seen_port(bi.port))
        test_fail("IPI port %u: no upcall", bi.port);
    expect("close ipi", evtchn_close(bi.port), 0);
    bi.vcpu = 3;
    expect("bind_ipi vcpu 3", evtchn_op(EVTCHNOP_bind_ipi, &bi), -XEN_ENOENT);
}

/* The hypervisor's PV console backend may hold a port (HVM param 18). */
static uint64_t console_port;

static unsigned fill_ports(void)
{
    unsigned n = 0;
    uint32_t p, highest = 0;
    long rc;
    while ((rc = evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &p)) == 0) {
        n++;
        highest = p > highest ? p : highest;
        if (n > 5000)
            test_fail("more than 5000 ports allocated");
    }
    expect("alloc_unbound when full", rc, -XEN_ENOSPC);
    /* Every port from 1 to the domain's limit: 4095 on Cloison (the whole
     * 2-level space), 1023 on Xen 4.17 (its default max_evtchn_port). The
     * integration test checks the number per hypervisor. */
    unsigned held = console_port && console_port <= highest;
    for (uint32_t q = 1; n + held != highest && q <= highest; q++) {
        struct evtchn_status st;
        if (q != console_port && evtchn_status(DOMID_SELF, q, &st) == 0 &&
            st.status != EVTCHNSTAT_unbound)
            test_fail("ports=%u port %u status=%u vcpu=%u", n, q, st.status, st.vcpu);
    }
    n += held;
    if (n != highest || highest < 1023)
        test_fail("ports=%u highest=%u expected all of 1..limit (limit >= 1023)", n, highest);
    return n;
}

void test_main(void)
{
    uint32_t a, b;
    struct evtchn_init_control ic = {0};

    expect("add_to_physmap shared_info", xen_map_shared_info(shinfo_page), 0);
    expect("get CONSOLE_EVTCHN", hvm_get_param(DOMID_SELF, HVM_PARAM_CONSOLE_EVTCHN, &console_port),
           0);
    /* GFN 0 is no RAM page: refused, and the domain stays 2-level (xen_fifo
     * tests the FIFO ABI itself). */
    expect("init_control gfn 0", evtchn_op(EVTCHNOP_init_control, &ic), -XEN_EINVAL);
    xen_upcall_init();
    loopback(&a, &b);
    send_mask_unmask(a, b);
    close_paths(a, b);
    virq_ipi();
    unsigned n = fill_ports();
    struct evtchn_reset r = {.dom = DOMID_SELF};
    expect("reset", evtchn_op(EVTCHNOP_reset, &r), 0);
    expect("alloc after reset", evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &a), 0);
    if (a != (console_port == 1 ? 2u : 1u))
        test_fail("first port after reset=%u console_port=%llu", a,
                  (unsigned long long)console_port);
    test_pass("ports=%u loopback=ok unmask_redelivery=ok", n);
}
