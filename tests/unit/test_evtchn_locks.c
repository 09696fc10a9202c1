/*
 * Which locks event channel operations take (xen/evtchn.h): per domain, two
 * domains' in the order of cloison/spinlock.h (lower domain id first), and a
 * closer from the higher id that finds the lower one's lock busy drops its
 * own and takes both in order, keeping the peer pinned, also when the peer
 * closes its end meanwhile. Other pCPUs are replayed with fake_lock_hook at
 * the moment a lock is about to be taken.
 */
#include "harness.h"
#include <cloison/errno.h>
#include <public/xen.h>
#include "fakes/evtchn_fakes.h"

static struct xen_dom *d0, *d1, *d2, *d3;

/* Every lock taken while `record` is set, in order. */
static spinlock_t *taken[64];
static unsigned int nr_taken;
static void record(spinlock_t *l)
{
    if (nr_taken < 64)
        taken[nr_taken++] = l;
}

static bool belongs_to(const spinlock_t *l, const struct xen_dom *x)
{
    return l == &x->evtchn_lock || l == &x->pending_lock;
}

static unsigned int index_of(const spinlock_t *l)
{
    for (unsigned int i = 0; i < nr_taken; i++)
        if (taken[i] == l)
            return i;
    return ~0u;
}

static void world(void)
{
    d0 = fake_dom(0, true, 0);
    d1 = fake_dom(1, false, 0);
    d2 = fake_dom(2, false, 0);
    d3 = fake_dom(3, false, 0);
}

static void world_end(void)
{
    fake_lock_hook = NULL;
    fake_dom_free(d3);
    fake_dom_free(d2);
    fake_dom_free(d1);
    fake_dom_free(d0);
    CHECK_EQ(fake_locks_held, 0);
}

/* lo offers a port to hi, hi binds it: hi's port is returned, lo's in *lp. */
static uint32_t connect(struct xen_dom *lo, struct xen_dom *hi, uint32_t *lp)
{
    uint32_t hp = 0;
    CHECK_EQ(evtchn_alloc_unbound(lo, DOMID_SELF, hi->domid, lp), 0);
    CHECK_EQ(evtchn_bind_interdomain(hi, lo->domid, *lp, &hp), 0);
    return hp;
}

/* EVTCHNSTAT_* of x's port, as x sees it. */
static uint32_t state_of(struct xen_dom *x, uint32_t port)
{
    struct evtchn_status st = {.dom = DOMID_SELF, .port = port};
    return evtchn_status(x, &st) ? ~0u : st.status;
}

TEST(unrelated_sends_share_no_lock)
{
    world();
    uint32_t p1, p3;
    uint32_t h2 = connect(d1, d2, &p1), h3 = connect(d3, d3, &p3);
    (void)h3;
    nr_taken = 0;
    fake_lock_hook = record;
    CHECK_EQ(evtchn_send(d2, h2), 0);
    unsigned int first = nr_taken;
    CHECK_EQ(evtchn_send(d1, p1), 0);
    CHECK_EQ(evtchn_unmask(d2, h2), 0);
    fake_lock_hook = NULL;
    /* d2 -> d1: d2's bindings, d1's delivery; and back, and an unmask. */
    CHECK_EQ(first, 2);
    CHECK(taken[0] == &d2->evtchn_lock && taken[1] == &d1->pending_lock);
    for (unsigned int i = 0; i < nr_taken; i++)
        CHECK(belongs_to(taken[i], d1) || belongs_to(taken[i], d2));
    CHECK_EQ(fake_locks_held, 0);
    world_end();
}

TEST(bind_from_the_higher_id_locks_the_lower_first)
{
    world();
    uint32_t lp, hp;
    CHECK_EQ(evtchn_alloc_unbound(d1, DOMID_SELF, 2, &lp), 0);
    nr_taken = 0;
    fake_lock_hook = record;
    CHECK_EQ(evtchn_bind_interdomain(d2, 1, lp, &hp), 0);
    fake_lock_hook = NULL;
    CHECK(index_of(&d1->evtchn_lock) < index_of(&d2->evtchn_lock));
    CHECK(index_of(&d2->evtchn_lock) != ~0u);
    for (unsigned int i = 0; i < nr_taken; i++)
        CHECK(!belongs_to(taken[i], d0) && !belongs_to(taken[i], d3));
    CHECK_EQ(d1->evtchn_pins, 0);
    world_end();
}

/* "Another pCPU" holds d0's bindings when d1 closes: d1 must let go of its
 * own before waiting for d0's. The hook runs when d1 waits for d0's lock. */
static struct xen_dom *busy;
static bool own_free_while_waiting, peer_closed_meanwhile;
static uint32_t busy_port;
static void other_pcpu_lets_go(spinlock_t *l)
{
    if (l != &busy->evtchn_lock || !spin_is_locked(l))
        return;
    own_free_while_waiting = !spin_is_locked(&d1->evtchn_lock) && d0->evtchn_pins == 1;
    spin_unlock(l); /* the other pCPU is done */
    if (peer_closed_meanwhile) {
        fake_lock_hook = NULL;
        CHECK_EQ(evtchn_close(busy, busy_port), 0); /* d0 closes its end first */
    }
    fake_lock_hook = NULL;
}

TEST(close_from_the_higher_id_relocks_in_order)
{
    world();
    uint32_t p0, p1 = connect(d0, d1, &p0);
    busy = d0;
    own_free_while_waiting = peer_closed_meanwhile = false;
    spin_lock(&d0->evtchn_lock); /* held elsewhere: the trylock fails */
    fake_lock_hook = other_pcpu_lets_go;
    CHECK_EQ(evtchn_close(d1, p1), 0);
    CHECK(own_free_while_waiting);
    CHECK_EQ(state_of(d1, p1), EVTCHNSTAT_closed);
    CHECK_EQ(state_of(d0, p0), EVTCHNSTAT_unbound);
    CHECK_EQ(d0->evtchn_pins, 0);
    CHECK_EQ(fake_locks_held, 0);
    world_end();
}

TEST(close_relock_sees_the_peer_close_first)
{
    world();
    uint32_t p0, p1 = connect(d0, d1, &p0);
    busy = d0;
    busy_port = p0;
    own_free_while_waiting = false;
    peer_closed_meanwhile = true;
    spin_lock(&d0->evtchn_lock);
    fake_lock_hook = other_pcpu_lets_go;
    /* d1's port went back to unbound meanwhile: closed as that. */
    CHECK_EQ(evtchn_close(d1, p1), 0);
    CHECK(own_free_while_waiting);
    CHECK_EQ(state_of(d1, p1), EVTCHNSTAT_closed);
    CHECK_EQ(state_of(d0, p0), EVTCHNSTAT_closed);
    CHECK_EQ(d0->evtchn_pins, 0);
    CHECK_EQ(fake_locks_held, 0);
    world_end();
}

TEST(destroy_unbinds_peers_of_either_order)
{
    world();
    uint32_t p0, p1b, p3;
    uint32_t p1a = connect(d0, d1, &p0), p2 = connect(d1, d2, &p1b);
    uint32_t p3b = connect(d3, d1, &p3); /* d1 binds to d3, d1 offered to d2 */
    (void)p1a;
    size_t objs = heap_objs;
    fake_dom_free(d1);
    d1 = fake_dom(1, false, 0);
    CHECK_EQ(state_of(d0, p0), EVTCHNSTAT_unbound);
    CHECK_EQ(state_of(d2, p2), EVTCHNSTAT_unbound);
    CHECK_EQ(state_of(d3, p3), EVTCHNSTAT_unbound);
    (void)p3b;
    CHECK_EQ(heap_objs, objs); /* d1's old table gone, the new one as big */
    /* A domain no longer registered cannot be named. */
    uint32_t p;
    CHECK_EQ(evtchn_send(d0, p0), 0); /* unbound now: dropped */
    CHECK_EQ(evtchn_alloc_unbound(d0, 9, 0, &p), -ESRCH);
    CHECK_EQ(fake_locks_held, 0);
    world_end();
}

TEST(reset_of_another_domain_pins_it_and_closes_both_ends)
{
    world();
    uint32_t p0, p1 = connect(d0, d1, &p0);
    CHECK_EQ(evtchn_reset(d0, 1), 0);
    CHECK_EQ(state_of(d1, p1), EVTCHNSTAT_closed);
    CHECK_EQ(state_of(d0, p0), EVTCHNSTAT_unbound);
    CHECK_EQ(d1->evtchn_pins, 0);
    CHECK_EQ(evtchn_reset(d2, 1), -EPERM);
    CHECK_EQ(d1->evtchn_pins, 0);
    CHECK_EQ(fake_locks_held, 0);
    world_end();
}

/* A reset closes a bucket under the target's locks, and each port bound to
 * another domain with that domain's lock too: loopback, lower and higher
 * peers all end as Xen leaves them (the target's ports closed, the peers'
 * unbound, for the target to bind again). */
TEST(reset_closes_loopback_and_both_kinds_of_peer)
{
    world();
    uint32_t p0, p2, l1, l2;
    uint32_t q1 = connect(d0, d1, &p0), q2 = connect(d1, d2, &p2);
    l2 = connect(d1, d1, &l1);
    CHECK_EQ(evtchn_reset(d0, 1), 0);
    uint32_t mine[] = {q1, p2, l1, l2};
    for (unsigned int i = 0; i < 4; i++)
        CHECK_EQ(state_of(d1, mine[i]), EVTCHNSTAT_closed);
    CHECK_EQ(state_of(d0, p0), EVTCHNSTAT_unbound);
    CHECK_EQ(state_of(d2, q2), EVTCHNSTAT_unbound);
    CHECK_EQ(d1->ports_used, 0);
    CHECK_EQ(fake_locks_held, 0);
    world_end();
}
