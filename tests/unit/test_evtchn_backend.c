/*
 * A hypervisor backend's end of a channel to another domain (xen/evtchn.c,
 * evtchn_alloc_backend_port: Xen's alloc_unbound_xen_event_channel, which
 * the vPL011 ring of vuart_op uses): unbound until the named domain binds it;
 * then that domain's sends call the backend (no lock held, the owner pinned)
 * instead of raising anything in the owner, and the backend raises the
 * peer's end; the owner can neither send on it, close it nor move it, its
 * reset keeps it, its teardown closes it; EVTCHNOP_status of it is -EACCES
 * (Xen's); the peer may close and bind again.
 */
#include "harness.h"
#include <cloison/errno.h>
#include <public/xen.h>
#include "fakes/evtchn_fakes.h"

static struct domain *const OWNER_DOMAIN = (struct domain *)0x1234;
/* dom0 (privileged) and domain 5, which owns a backend port for dom0. */
static struct xen_dom *d0, *owner;

static struct {
    unsigned int calls;
    struct domain *d;
    uint32_t port;
    int locks_held;    /* while the backend ran */
    unsigned int pins; /* on the owner, while it ran */
    struct xen_dom *owner;
} seen;

static void backend(struct domain *d, uint32_t port)
{
    seen.calls++;
    seen.d = d;
    seen.port = port;
    seen.locks_held = fake_locks_held;
    seen.pins = __atomic_load_n(&seen.owner->evtchn_pins, __ATOMIC_ACQUIRE);
}

static void other_backend(struct domain *d, uint32_t port)
{
    (void)d, (void)port;
}

static bool pending(struct xen_dom *x, uint32_t port)
{
    return x->shinfo->evtchn_pending[port / 64] & (1ULL << (port % 64));
}

static void clear_pending(struct xen_dom *x)
{
    memset(x->shinfo->evtchn_pending, 0, sizeof(x->shinfo->evtchn_pending));
}

static struct evtchn_status status(struct xen_dom *x, uint32_t port)
{
    struct evtchn_status st = {.dom = DOMID_SELF, .port = port};
    CHECK_EQ(evtchn_status(x, &st), 0);
    return st;
}

/* The backend's end as dom0 or the owner asks about it: nobody's business. */
static bool hidden(struct xen_dom *asker, uint32_t port)
{
    struct evtchn_status st = {.dom = 5, .port = port};
    return evtchn_status(asker, &st) == -EACCES;
}

/* dom0's end lp bound to the backend's p. */
static bool bound(uint32_t lp, uint32_t p)
{
    struct evtchn_status st = status(d0, lp);
    return st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == 5 &&
           st.u.interdomain.port == p;
}

static uint32_t setup(void)
{
    memset(&seen, 0, sizeof(seen));
    d0 = fake_dom(0, true, 0);
    owner = fake_dom(5, false, 0);
    owner->d = OWNER_DOMAIN;
    seen.owner = owner;
    uint32_t p;
    CHECK_EQ(evtchn_alloc_backend_port(owner, 0, backend, &p), 0);
    return p;
}

static void teardown(void)
{
    fake_dom_free(owner);
    fake_dom_free(d0);
    CHECK_EQ(fake_locks_held, 0);
}

TEST(unbound_for_the_named_domain_only)
{
    uint32_t p = setup();
    CHECK(hidden(d0, p));
    CHECK(hidden(owner, p));
    /* Nobody listens yet: the backend's kick goes nowhere. */
    evtchn_notify_peer(owner, p);
    struct xen_dom *other = fake_dom(6, false, 0);
    uint32_t lp;
    CHECK_EQ(evtchn_bind_interdomain(other, 5, p, &lp), -EINVAL);
    fake_dom_free(other);
    CHECK_EQ(evtchn_bind_interdomain(d0, 5, p, &lp), 0);
    CHECK(bound(lp, p));
    CHECK(hidden(d0, p));
    /* Bound twice: the second finds it taken. */
    uint32_t lp2;
    CHECK_EQ(evtchn_bind_interdomain(d0, 5, p, &lp2), -EINVAL);
    teardown();
}

TEST(peer_sends_call_the_backend_not_the_owner)
{
    uint32_t p = setup();
    uint32_t lp;
    CHECK_EQ(evtchn_bind_interdomain(d0, 5, p, &lp), 0);
    clear_pending(owner);
    memset(raised, 0, sizeof(raised)); /* the bind raised dom0's new port */
    CHECK_EQ(evtchn_send(d0, lp), 0);
    CHECK_EQ(seen.calls, 1u);
    CHECK(seen.d == OWNER_DOMAIN);
    CHECK_EQ(seen.port, p);
    CHECK_EQ(seen.locks_held, 0);
    CHECK_EQ(seen.pins, 1u); /* the owner cannot go while its backend runs */
    CHECK_EQ(owner->evtchn_pins, 0u);
    CHECK(!pending(owner, p));
    CHECK_EQ(raised[0] + raised[1], 0);
    teardown();
}

TEST(backend_raises_the_peer_end)
{
    uint32_t p = setup();
    uint32_t lp;
    CHECK_EQ(evtchn_bind_interdomain(d0, 5, p, &lp), 0);
    clear_pending(d0);
    evtchn_notify_peer(owner, p);
    CHECK(pending(d0, lp));
    CHECK(!pending(owner, p));
    /* Only a backend's port: an ordinary one is not raised this way. */
    uint32_t q, lq;
    CHECK_EQ(evtchn_alloc_unbound(owner, DOMID_SELF, 0, &q), 0);
    CHECK_EQ(evtchn_bind_interdomain(d0, 5, q, &lq), 0);
    clear_pending(d0);
    evtchn_notify_peer(owner, q);
    evtchn_notify_peer(owner, 100000); /* no such port */
    CHECK(!pending(d0, lq));
    teardown();
}

TEST(owner_cannot_send_or_close_and_its_reset_keeps_it)
{
    uint32_t p = setup();
    CHECK_EQ(evtchn_send(owner, p), -EINVAL);
    CHECK_EQ(evtchn_close(owner, p), -EINVAL);
    CHECK_EQ(evtchn_bind_vcpu(owner, p, 1), -EINVAL);
    uint32_t lp;
    CHECK_EQ(evtchn_bind_interdomain(d0, 5, p, &lp), 0);
    CHECK_EQ(evtchn_send(owner, p), -EINVAL);
    CHECK_EQ(evtchn_close(owner, p), -EINVAL);
    CHECK_EQ(seen.calls, 0u);
    CHECK_EQ(evtchn_bind_vcpu(owner, p, 1), -EINVAL);
    CHECK_EQ(evtchn_reset(owner, DOMID_SELF), 0);
    CHECK(bound(lp, p));
    CHECK_EQ(evtchn_send(d0, lp), 0);
    CHECK_EQ(seen.calls, 1u);
    /* dom0 resetting the owner keeps it too. */
    CHECK_EQ(evtchn_reset(d0, 5), 0);
    CHECK(bound(lp, p));
    teardown();
}

TEST(peer_closes_and_binds_again)
{
    uint32_t p = setup();
    uint32_t lp;
    CHECK_EQ(evtchn_bind_interdomain(d0, 5, p, &lp), 0);
    CHECK_EQ(evtchn_close(d0, lp), 0);
    evtchn_notify_peer(owner, p); /* unbound again: nowhere to go */
    CHECK_EQ(evtchn_bind_interdomain(d0, 5, p, &lp), 0);
    CHECK_EQ(evtchn_send(d0, lp), 0);
    CHECK_EQ(seen.calls, 1u);
    /* dom0's reset closes its own end; the backend's stays for a new bind. */
    CHECK_EQ(evtchn_reset(d0, DOMID_SELF), 0);
    CHECK_EQ(evtchn_bind_interdomain(d0, 5, p, &lp), 0);
    CHECK(bound(lp, p));
    teardown();
}

TEST(owner_teardown_unbinds_the_peer)
{
    uint32_t p = setup();
    uint32_t lp;
    CHECK_EQ(evtchn_bind_interdomain(d0, 5, p, &lp), 0);
    fake_dom_free(owner);
    owner = fake_dom(5, false, 0);
    struct evtchn_status st = status(d0, lp);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    CHECK_EQ(st.u.unbound.dom, 5);
    CHECK_EQ(evtchn_send(d0, lp), 0); /* goes nowhere now */
    CHECK_EQ(seen.calls, 0u);
    teardown();
}

TEST(free_undoes_an_alloc_bound_or_not)
{
    uint32_t p = setup();
    evtchn_free_backend_port(owner, p);
    CHECK_EQ(status(owner, p).status, EVTCHNSTAT_closed); /* an ordinary free port again */
    CHECK_EQ(evtchn_alloc_backend_port(owner, 0, backend, &p), 0);
    uint32_t lp;
    CHECK_EQ(evtchn_bind_interdomain(d0, 5, p, &lp), 0);
    evtchn_free_backend_port(owner, p);
    CHECK_EQ(status(owner, p).status, EVTCHNSTAT_closed);
    CHECK_EQ(status(d0, lp).status, EVTCHNSTAT_unbound);
    /* Only a backend's port is freed this way. */
    uint32_t q;
    CHECK_EQ(evtchn_alloc_unbound(owner, DOMID_SELF, 0, &q), 0);
    evtchn_free_backend_port(owner, q);
    CHECK_EQ(status(owner, q).status, EVTCHNSTAT_unbound);
    teardown();
}

TEST(each_backend_keeps_its_own_function)
{
    uint32_t p = setup();
    uint32_t q, lp, lq;
    CHECK_EQ(evtchn_alloc_backend_port(owner, 0, other_backend, &q), 0);
    CHECK_EQ(evtchn_bind_interdomain(d0, 5, p, &lp), 0);
    CHECK_EQ(evtchn_bind_interdomain(d0, 5, q, &lq), 0);
    CHECK_EQ(evtchn_send(d0, lq), 0);
    CHECK_EQ(seen.calls, 0u);
    CHECK_EQ(evtchn_send(d0, lp), 0);
    CHECK_EQ(seen.calls, 1u);
    teardown();
}
