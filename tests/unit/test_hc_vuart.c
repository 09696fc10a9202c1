/*
 * XEN_DOMCTL_vuart_op (xen/ctl_vuart.c) over the real event channels and the
 * real vPL011 (vdev/vpl011*.c): Xen 4.17's checks in Xen's order with
 * nothing written back on failure; INIT gives a domain that has not started
 * an SBSA UART at 0x22000000 whose FIFOs are a ring in its own page and a
 * port unbound for the backend; then, with dom0 as the backend, the guest's
 * DR writes land in the ring and notify dom0, dom0's bytes and send come
 * back as received bytes and SPI 32; nothing is left behind by a failure or
 * by the domain's teardown.
 */
#include "harness.h"
#include "hc_util.h"
#include <public/domctl.h>
#include <public/event_channel.h>
#include <public/io/console.h>
#include <vdev/vpl011.h>
#include "../../hypervisor/vdev/vpl011-priv.h"

#define DOMCTL __HYPERVISOR_domctl
#define EVTCHN __HYPERVISOR_event_channel_op
#define VER 0x15
#define RING_GFN (FAKE_RAM_GFN + 6)

static struct domain *d0, *d1, *dt;
static struct vgic_dist *const SOME_VGIC = (struct vgic_dist *)0x1000;

/* dom0, a started Xen domU, and dt: a toolstack domain not yet started
 * (createdomain, paused) with a stand-in vGIC so the UART drives its line. */
static void world(void)
{
    fake_world_reset();
    d0 = fake_domain(0, FAKE_XEN | FAKE_PRIV, 2);
    d1 = fake_domain(1, FAKE_XEN, 1);
    d0->started = d1->started = true;
    struct xen_domctl op;
    memset(&op, 0, sizeof(op));
    op.cmd = XEN_DOMCTL_createdomain;
    op.interface_version = VER;
    op.domain = 0xffff;
    struct xen_domctl_createdomain *c = &op.u.createdomain;
    c->flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
    c->max_vcpus = 1;
    c->max_evtchn_port = 1023;
    c->max_grant_frames = c->max_maptrack_frames = -1;
    c->grant_opts = 1;
    c->arch.nr_spis = 1;
    put(d0, ARG, &op, sizeof(op));
    CHECK_EQ(fake_hypercall(vcpu0(d0), DOMCTL, ARG, 0, 0, 0, 0), 0);
    get(d0, ARG, &op, sizeof(op));
    dt = fake_dom(op.domain);
    CHECK(dt && !dt->started);
    dt->vgic = SOME_VGIC;
}

/* fake_domain_free knows no vGIC: forget the stand-in first. */
static void done(void)
{
    if (dt && fake_dom(dt->id) == dt)
        dt->vgic = NULL;
    fake_world_reset();
    dt = NULL;
}

static struct xen_domctl vuart(uint16_t dom, uint64_t gfn)
{
    struct xen_domctl op;
    memset(&op, 0, sizeof(op));
    op.cmd = XEN_DOMCTL_vuart_op;
    op.interface_version = VER;
    op.domain = dom;
    op.u.vuart_op.cmd = XEN_DOMCTL_VUART_OP_INIT;
    op.u.vuart_op.type = XEN_DOMCTL_VUART_TYPE_VPL011;
    op.u.vuart_op.gfn = gfn;
    op.u.vuart_op.console_domid = 0;
    return op;
}

static bool fails(struct domain *from, struct xen_domctl op, int64_t want)
{
    put(from, ARG, &op, sizeof(op));
    return fails_clean(vcpu0(from), DOMCTL, ARG, 0, 0, want);
}

/* INIT from dom0: 0 and the port. */
static uint32_t init(void)
{
    struct xen_domctl op = vuart(dt->id, RING_GFN);
    op.u.vuart_op.evtchn = 0xdeadbeef;
    put(d0, ARG, &op, sizeof(op));
    CHECK_EQ(fake_hypercall(vcpu0(d0), DOMCTL, ARG, 0, 0, 0, 0), 0);
    get(d0, ARG, &op, sizeof(op));
    CHECK(quiet());
    return op.u.vuart_op.evtchn;
}

static struct xencons_interface *ring(void)
{
    return fake_gva(dt, RING_GFN << PAGE_SHIFT);
}

/* An access by dt's vCPU 0 to the UART's frame. */
static uint64_t mmio(uint32_t off, unsigned int size, bool write, uint64_t val)
{
    const struct mmio_window *w = domain_mmio_find(dt, VPL011_BASE + off);
    CHECK(w != NULL);
    if (!w)
        return ~0ULL;
    CHECK_EQ(w->fn(vcpu0(dt), VPL011_BASE + off, size, write, &val, w->opaque), MMIO_HANDLED);
    CHECK_EQ(fake_locks_held, 0);
    return val;
}

static int64_t evtchn_op(struct domain *d, uint32_t cmd, void *arg, size_t len)
{
    put(d, ARG2, arg, len);
    int64_t rc = fake_hypercall(vcpu0(d), EVTCHN, cmd, ARG2, 0, 0, 0);
    get(d, ARG2, arg, len);
    return rc;
}

static struct evtchn_status status(struct domain *d, uint32_t port)
{
    struct evtchn_status st = {.dom = DOMID_SELF, .port = port};
    CHECK_EQ(evtchn_op(d, EVTCHNOP_status, &st, sizeof(st)), 0);
    return st;
}

static bool pending(struct domain *d, uint32_t port)
{
    return d->xen->shinfo->evtchn_pending[port / 64] & (1ULL << (port % 64));
}

static void unpend(struct domain *d, uint32_t port)
{
    d->xen->shinfo->evtchn_pending[port / 64] &= ~(1ULL << (port % 64));
}

/* dom0 binds the guest's port as xenconsoled does: its local port. */
static uint32_t bind(uint32_t port)
{
    struct evtchn_bind_interdomain b = {.remote_dom = dt->id, .remote_port = port};
    CHECK_EQ(evtchn_op(d0, EVTCHNOP_bind_interdomain, &b, sizeof(b)), 0);
    unpend(d0, b.local_port);
    return b.local_port;
}

TEST(checks_in_xens_order_and_nothing_written_on_failure)
{
    world();
    struct xen_domctl op;
    /* pad first, then cmd, then "creation finished", then type. */
    op = vuart(d1->id, 0);
    op.u.vuart_op.pad[1] = 1;
    op.u.vuart_op.cmd = 7;
    op.u.vuart_op.type = 9;
    CHECK(fails(d0, op, -EINVAL));
    op.u.vuart_op.pad[1] = 0;
    CHECK(fails(d0, op, -EINVAL)); /* cmd */
    op.u.vuart_op.cmd = XEN_DOMCTL_VUART_OP_INIT;
    CHECK(fails(d0, op, -EPERM)); /* d1 has started */
    op = vuart(0, RING_GFN);
    CHECK(fails(d0, op, -EPERM)); /* dom0 itself too */
    op = vuart(dt->id, RING_GFN);
    op.u.vuart_op.type = 1;
    CHECK(fails(d0, op, -EOPNOTSUPP));
    op.u.vuart_op.pad[0] = 0x80;
    CHECK(fails(d0, op, -EINVAL));
    /* The envelope's: a domU, no such domain. */
    CHECK(fails(d1, vuart(dt->id, RING_GFN), -EPERM));
    CHECK(fails(d0, vuart(9, RING_GFN), -ESRCH));
    /* A ring page that is not the domain's RAM: refused, nothing kept. */
    CHECK(fails(d0, vuart(dt->id, 0x39003), -EINVAL));
    CHECK(fails(d0, vuart(dt->id, ~0ULL), -EINVAL));
    CHECK(fails(d0, vuart(dt->id, (uint64_t)VPL011_BASE >> PAGE_SHIFT), -EINVAL));
    CHECK(dt->vuart == NULL);
    CHECK(domain_mmio_find(dt, VPL011_BASE) == NULL);
    done();
}

TEST(init_gives_a_port_for_the_backend_and_the_uart)
{
    world();
    uint32_t port = init();
    CHECK(port != 0);
    /* Xen hides a Xen-attached end from EVTCHNOP_status, dom0's query too. */
    struct evtchn_status st = {.dom = dt->id, .port = port};
    CHECK_EQ(evtchn_op(d0, EVTCHNOP_status, &st, sizeof(st)), -EACCES);
    st.dom = DOMID_SELF;
    CHECK_EQ(evtchn_op(dt, EVTCHNOP_status, &st, sizeof(st)), -EACCES);
    CHECK(dt->vuart != NULL);
    CHECK_EQ(mmio(UARTFR, 4, false, 0), FR_TXFE | FR_RXFE);
    CHECK_EQ(mmio(UARTRIS, 4, false, 0), 0);
    /* A second INIT: Xen's -EINVAL, and the first stays as it was. */
    CHECK(fails(d0, vuart(dt->id, RING_GFN), -EINVAL));
    CHECK(fails(d0, vuart(dt->id, RING_GFN + 1), -EINVAL));
    struct evtchn_status ds = status(d0, bind(port)); /* still dom0's to bind */
    CHECK_EQ(ds.status, EVTCHNSTAT_interdomain);
    CHECK_EQ(ds.u.interdomain.dom, dt->id);
    CHECK_EQ(ds.u.interdomain.port, port);
    /* The first unpause finishes the creation: no INIT after it. */
    struct xen_domctl op;
    memset(&op, 0, sizeof(op));
    op.cmd = XEN_DOMCTL_unpausedomain;
    op.interface_version = VER;
    op.domain = dt->id;
    put(d0, ARG, &op, sizeof(op));
    CHECK_EQ(fake_hypercall(vcpu0(d0), DOMCTL, ARG, 0, 0, 0, 0), 0);
    CHECK(dt->started);
    CHECK(fails(d0, vuart(dt->id, RING_GFN), -EPERM));
    done();
}

TEST(guest_output_goes_to_the_ring_and_notifies_the_backend)
{
    world();
    uint32_t port = init();
    /* Before the backend binds: the ring fills, nobody is told. */
    mmio(UARTDR, 4, true, 'h');
    CHECK_EQ(ring()->out_prod, 1u);
    uint32_t lp = bind(port);
    mmio(UARTDR, 1, true, 'i'); /* a byte write of DR, as earlycon may do */
    mmio(UARTDR, 4, true, '\n');
    CHECK_EQ(ring()->out_prod, 3u);
    CHECK(!memcmp(ring()->out, "hi\n", 3));
    CHECK(pending(d0, lp));
    CHECK_EQ(mmio(UARTFR, 1, false, 0), FR_RXFE); /* byte read: data queued, room */
    /* dom0 drains and notifies: TXFE again. */
    unpend(d0, lp);
    ring()->out_cons = 3;
    struct evtchn_port_arg s = {.port = lp};
    CHECK_EQ(evtchn_op(d0, EVTCHNOP_send, &s, sizeof(s)), 0);
    CHECK_EQ(mmio(UARTFR, 4, false, 0), FR_TXFE | FR_RXFE);
    CHECK(!pending(dt, port)); /* the backend's sends are Cloison's, not the guest's */
    done();
}

TEST(backend_input_reaches_dr_and_the_interrupt_line)
{
    world();
    uint32_t port = init();
    uint32_t lp = bind(port);
    mmio(UARTIMSC, 4, true, INT_RX | INT_RT);
    struct xencons_interface *r = ring();
    r->in[0] = 'Z';
    r->in[1] = 'y';
    r->in_prod = 2;
    CHECK(!fake_spi_level[dt->id][VPL011_SPI]); /* not told yet */
    struct evtchn_port_arg s = {.port = lp};
    CHECK_EQ(evtchn_op(d0, EVTCHNOP_send, &s, sizeof(s)), 0);
    CHECK(fake_spi_level[dt->id][VPL011_SPI]);
    CHECK_EQ(mmio(UARTMIS, 4, false, 0), INT_RT);
    CHECK_EQ(mmio(UARTFR, 4, false, 0) & FR_RXFE, 0);
    CHECK_EQ(mmio(UARTDR, 4, false, 0), 'Z');
    CHECK(pending(d0, lp)); /* dom0 learns it may put more */
    CHECK_EQ(r->in_cons, 1u);
    CHECK(fake_spi_level[dt->id][VPL011_SPI]);
    CHECK_EQ(mmio(UARTDR, 1, false, 0), 'y');
    CHECK_EQ(mmio(UARTFR, 4, false, 0) & FR_RXFE, FR_RXFE);
    CHECK(!fake_spi_level[dt->id][VPL011_SPI]);
    done();
}

TEST(the_guest_cannot_use_or_close_the_backends_port)
{
    world();
    uint32_t port = init();
    uint32_t lp = bind(port);
    struct evtchn_port_arg s = {.port = port};
    CHECK_EQ(evtchn_op(dt, EVTCHNOP_send, &s, sizeof(s)), -EINVAL);
    struct evtchn_port_arg c = {.port = port};
    CHECK_EQ(evtchn_op(dt, EVTCHNOP_close, &c, sizeof(c)), -EINVAL);
    struct evtchn_bind_vcpu bv = {.port = port, .vcpu = 0};
    CHECK_EQ(evtchn_op(dt, EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), -EINVAL);
    struct evtchn_reset rs = {.dom = DOMID_SELF};
    CHECK_EQ(evtchn_op(dt, EVTCHNOP_reset, &rs, sizeof(rs)), 0);
    CHECK_EQ(status(d0, lp).status, EVTCHNSTAT_interdomain);
    /* dom0 closes (xenconsoled restarting) and binds again. */
    c.port = lp;
    CHECK_EQ(evtchn_op(d0, EVTCHNOP_close, &c, sizeof(c)), 0);
    lp = bind(port);
    mmio(UARTDR, 4, true, 'x');
    CHECK(pending(d0, lp));
    done();
}

TEST(hostile_ring_indices_do_no_harm)
{
    world();
    uint32_t port = init();
    uint32_t lp = bind(port);
    struct xencons_interface *r = ring();
    r->in_prod = 0x7fffffff; /* "2 G bytes for you" */
    r->out_cons = 0x12345;   /* "I took more than you wrote" */
    struct evtchn_port_arg s = {.port = lp};
    CHECK_EQ(evtchn_op(d0, EVTCHNOP_send, &s, sizeof(s)), 0);
    CHECK_EQ(mmio(UARTFR, 4, false, 0) & FR_RXFE, FR_RXFE); /* nothing to read */
    CHECK_EQ(mmio(UARTDR, 4, false, 0), 0);
    CHECK_EQ(r->in_cons, 0u);
    mmio(UARTDR, 4, true, 'q'); /* no room: nothing written, TXFF */
    CHECK_EQ(r->out_prod, 0u);
    CHECK_EQ(mmio(UARTFR, 4, false, 0) & FR_TXFF, FR_TXFF);
    CHECK(quiet());
    done();
}

TEST(teardown_unbinds_dom0_and_frees_everything)
{
    world();
    uint32_t port = init();
    uint32_t lp = bind(port);
    mmio(UARTDR, 4, true, 'a');
    fake_spi_changes[dt->id] = 0;
    dt->vgic = NULL;
    fake_domain_free(dt);
    dt = NULL;
    struct evtchn_status st = status(d0, lp);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    struct evtchn_port_arg s = {.port = lp};
    CHECK_EQ(evtchn_op(d0, EVTCHNOP_send, &s, sizeof(s)), 0); /* goes nowhere */
    CHECK(quiet());
    done(); /* ASan: nothing of the UART leaks */
}
