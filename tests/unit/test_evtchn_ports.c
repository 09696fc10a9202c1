/*
 * The port table of xen/evtchn.c: per-domain limits (the 2-level ABI stops at
 * 4096 ports; FIFO goes up to the domain's configured count, dom0 to 2^17),
 * Xen's errors at the limit, the lazily allocated two-level table and what it
 * costs, a reset or destroy giving its memory back, and allocation failures.
 */
#include "harness.h"
#include <cloison/errno.h>
#include <public/xen.h>
#include "fakes/evtchn_fakes.h"

/* Guest frame 1 holds the FIFO control block, 2..129 the event array. */
#define CB_GFN 1
#define ARRAY_GFN 2
#define ARRAY_PAGES 128
static uint32_t guest[ARRAY_GFN + ARRAY_PAGES][1024] __attribute__((aligned(4096)));
static void *fake_map(struct xen_dom *x, uint64_t gfn)
{
    (void)x;
    return gfn >= CB_GFN && gfn < ARRAY_GFN + ARRAY_PAGES ? guest[gfn] : NULL;
}

static uint32_t word(uint32_t port)
{
    return guest[ARRAY_GFN + port / 1024][port % 1024];
}

static struct evtchn_fifo_control_block *cb(void)
{
    return (void *)guest[CB_GFN];
}

#define EW(b) (1u << (b))
#define LINKED_PENDING (EW(EVTCHN_FIFO_LINKED) | EW(EVTCHN_FIFO_PENDING))
/* What the table costs (evtchn_priv.h asserts 16-byte ports). */
#define GROUP_BYTES (EVTCHN_GROUP_BUCKETS * sizeof(void *))
#define BUCKET_BYTES (EVTCHN_BUCKET_PORTS * 16)

static struct xen_dom *dom(uint16_t id, bool privileged, uint32_t ports)
{
    memset(guest, 0, sizeof(guest));
    memset(raised, 0, sizeof(raised));
    return fake_dom(id, privileged, ports);
}

/* The event channel registry's table leaf for ids 0..255 exists before a
 * test counts heap objects (lib/idtab allocates it with its first id), so
 * the counts below are the domain's own. Kept for the whole run. */
static void registry_leaf_kept(void)
{
    static struct xen_dom *resident;
    if (!resident)
        resident = fake_dom(250, false, 0);
}

/* Switch to FIFO with an event array of `pages` pages. */
static void to_fifo(struct xen_dom *x, unsigned int pages)
{
    CHECK_EQ(evtchn_fifo_init_control(x, CB_GFN, 0, 0, fake_map), 0);
    for (unsigned int i = 0; i < pages; i++)
        CHECK_EQ(evtchn_fifo_expand_array(x, ARRAY_GFN + i, fake_map), 0);
}

/* alloc_unbound until -ENOSPC: how many it gave, and the highest port. */
static uint32_t fill(struct xen_dom *x, uint32_t *highest)
{
    uint32_t n = 0, p;
    int rc;
    *highest = 0;
    while ((rc = evtchn_alloc_unbound(x, DOMID_SELF, DOMID_SELF, &p)) == 0) {
        n++;
        *highest = p > *highest ? p : *highest;
    }
    CHECK_EQ(rc, -ENOSPC);
    return n;
}

/* EVTCHNOP_reset as the re-issued hypercall runs it: call after call until
 * done, each closing at most EVTCHN_RESET_PORTS ports. How many calls. */
static unsigned int reset(struct xen_dom *x, uint16_t dom)
{
    unsigned int calls = 1;
    int rc;
    while ((rc = evtchn_reset(x, dom)) == EVTCHN_CONTINUE)
        calls++;
    CHECK_EQ(rc, 0);
    return calls;
}

/* Ports at or above the limit do not exist: -EINVAL everywhere, as on Xen. */
static void check_invalid(struct xen_dom *x, uint32_t port)
{
    struct evtchn_status st = {.dom = DOMID_SELF, .port = port};
    CHECK_EQ(evtchn_send(x, port), -EINVAL);
    CHECK_EQ(evtchn_unmask(x, port), -EINVAL);
    CHECK_EQ(evtchn_status(x, &st), -EINVAL);
    CHECK_EQ(evtchn_close(x, port), -EINVAL);
    CHECK_EQ(evtchn_bind_vcpu(x, port, 1), -EINVAL);
    CHECK_EQ(evtchn_set_priority(x, port, 3), -EINVAL);
    CHECK_EQ(evtchn_port_flags(x, port), 0u);
}

TEST(few_ports_cost_one_group_and_one_bucket)
{
    registry_leaf_kept();
    size_t objs = heap_objs, bytes = heap_bytes;
    struct xen_dom *x = dom(1, false, 0);
    uint32_t p;
    for (int i = 0; i < 20; i++)
        CHECK_EQ(evtchn_alloc_unbound(x, DOMID_SELF, DOMID_SELF, &p), 0);
    CHECK_EQ(p, 20u);
    CHECK_EQ(heap_objs - objs, 2);
    CHECK_EQ(heap_bytes - bytes, GROUP_BYTES + BUCKET_BYTES);
    /* Port 64 opens a second bucket in the same group. */
    for (int i = 0; i < 44; i++)
        CHECK_EQ(evtchn_alloc_unbound(x, DOMID_SELF, DOMID_SELF, &p), 0);
    CHECK_EQ(p, 64u);
    CHECK_EQ(heap_bytes - bytes, GROUP_BYTES + 2 * BUCKET_BYTES);
    fake_dom_free(x);
    CHECK_EQ(heap_objs, objs);
    CHECK_EQ(heap_bytes, bytes);
}

TEST(default_domu_has_4095_ports_in_either_abi)
{
    struct xen_dom *x = dom(1, false, 0);
    uint32_t hi;
    CHECK_EQ(fill(x, &hi), 4095u);
    CHECK_EQ(hi, 4095u);
    check_invalid(x, 4096);
    to_fifo(x, 8);
    CHECK_EQ(fill(x, &hi), 0u);
    check_invalid(x, 4096);
    check_invalid(x, EVTCHN_FIFO_NR_CHANNELS);
    fake_dom_free(x);
}

TEST(two_level_stays_at_4096_fifo_goes_to_the_limit)
{
    struct xen_dom *x = dom(1, false, 8192);
    uint32_t hi, a, b;
    CHECK_EQ(fill(x, &hi), 4095u);
    CHECK_EQ(hi, 4095u);
    check_invalid(x, 4096);
    to_fifo(x, 8);
    CHECK_EQ(fill(x, &hi), 4096u);
    CHECK_EQ(hi, 8191u);
    check_invalid(x, 8192);
    /* Expanding the array is not bounded by the domain's limit (Xen). */
    CHECK_EQ(evtchn_fifo_expand_array(x, ARRAY_GFN + 8, fake_map), 0);
    /* A loopback pair on the two highest ports delivers both ways. */
    CHECK_EQ(evtchn_close(x, 8190), 0);
    CHECK_EQ(evtchn_close(x, 8191), 0);
    CHECK_EQ(evtchn_alloc_unbound(x, DOMID_SELF, DOMID_SELF, &a), 0);
    CHECK_EQ(evtchn_bind_interdomain(x, DOMID_SELF, a, &b), 0);
    CHECK_EQ(a, 8190u);
    CHECK_EQ(b, 8191u);
    CHECK_EQ(cb()->head[EVTCHN_FIFO_PRIORITY_DEFAULT], b); /* pending at bind */
    CHECK_EQ(word(b), LINKED_PENDING);
    CHECK_EQ(evtchn_send(x, b), 0);
    CHECK_EQ(word(b), LINKED_PENDING | a); /* a queued behind b */
    CHECK_EQ(word(a), LINKED_PENDING);
    struct evtchn_status st = {.dom = DOMID_SELF, .port = b};
    CHECK_EQ(evtchn_status(x, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
    CHECK_EQ(st.u.interdomain.port, a);
    CHECK_EQ(evtchn_set_priority(x, b, 2), 0);
    fake_dom_free(x);
}

TEST(configured_below_4096)
{
    struct xen_dom *x = dom(1, false, 100);
    uint32_t hi;
    CHECK_EQ(fill(x, &hi), 99u);
    CHECK_EQ(hi, 99u);
    check_invalid(x, 100);
    to_fifo(x, 1);
    CHECK_EQ(fill(x, &hi), 0u);
    check_invalid(x, 100);
    fake_dom_free(x);
    /* One port is port 0 alone: nothing to hand out. */
    x = dom(1, false, 1);
    CHECK_EQ(fill(x, &hi), 0u);
    fake_dom_free(x);
}

TEST(dom0_reaches_the_fifo_maximum)
{
    registry_leaf_kept();
    size_t objs = heap_objs;
    struct xen_dom *x = dom(0, true, 0);
    uint32_t hi, port;
    CHECK_EQ(fill(x, &hi), 4095u);
    to_fifo(x, ARRAY_PAGES);
    CHECK_EQ(fill(x, &hi), EVTCHN_FIFO_NR_CHANNELS - 4096);
    CHECK_EQ(hi, EVTCHN_FIFO_NR_CHANNELS - 1);
    check_invalid(x, EVTCHN_FIFO_NR_CHANNELS);
    CHECK_EQ(evtchn_bind_virq(x, VIRQ_DEBUG, 1, &port), -ENOSPC);
    /* Every group and bucket, and the FIFO state. */
    CHECK_EQ(heap_objs - objs, EVTCHN_NR_GROUPS * (1 + EVTCHN_GROUP_BUCKETS) + 1);
    /* A VIRQ far above 65535 is still found by number. */
    CHECK_EQ(evtchn_close(x, 70000), 0);
    CHECK_EQ(evtchn_bind_virq(x, VIRQ_DEBUG, 1, &port), 0);
    CHECK_EQ(port, 70000u);
    evtchn_send_virq(x, VIRQ_DEBUG, 1);
    CHECK_EQ(word(70000), EW(EVTCHN_FIFO_PENDING)); /* vCPU 1 has no control block */
    CHECK_EQ(evtchn_close(x, 70000), 0);
    CHECK_EQ(evtchn_bind_virq(x, VIRQ_DEBUG, 1, &port), 0); /* unbound by the close */
    fake_dom_free(x);
    CHECK_EQ(heap_objs, objs);
}

TEST(reset_frees_what_it_closed)
{
    registry_leaf_kept();
    size_t objs = heap_objs, bytes = heap_bytes;
    struct xen_dom *x = dom(1, false, 8192);
    uint32_t hi, xport, p;
    CHECK_EQ(evtchn_xen_port(x, NULL, &xport), 0);
    CHECK_EQ(xport, 1u);
    to_fifo(x, 8);
    CHECK_EQ(fill(x, &hi), 8190u);
    /* Two groups of 64 buckets, and the FIFO state. */
    CHECK_EQ(heap_objs - objs, 2 * (1 + EVTCHN_GROUP_BUCKETS) + 1);
    reset(x, DOMID_SELF);
    /* Back to 2-level, holding only the bucket of port 0 and the backend's port. */
    CHECK(x->fifo == NULL);
    CHECK_EQ(heap_objs - objs, 2);
    CHECK_EQ(heap_bytes - bytes, GROUP_BYTES + BUCKET_BYTES);
    check_invalid(x, 4096);
    CHECK_EQ(evtchn_alloc_unbound(x, DOMID_SELF, DOMID_SELF, &p), 0);
    CHECK_EQ(p, 2u);
    CHECK_EQ(fill(x, &hi), 4093u);
    /* FIFO again: the whole limit again. */
    to_fifo(x, 8);
    CHECK_EQ(fill(x, &hi), 4096u);
    CHECK_EQ(hi, 8191u);
    fake_dom_free(x);
    CHECK_EQ(heap_objs, objs);
    CHECK_EQ(heap_bytes, bytes);
}

/* A backend's port above 4095 outlives a reset to 2-level, where it has no
 * bit in shared_info: it must not write there, and destroy still frees it. */
TEST(backend_port_above_4095_survives_reset)
{
    registry_leaf_kept();
    size_t objs = heap_objs;
    struct xen_dom *x = dom(1, false, 8192);
    uint32_t p, xport;
    to_fifo(x, 8);
    do
        CHECK_EQ(evtchn_alloc_unbound(x, DOMID_SELF, DOMID_SELF, &p), 0);
    while (p < 5000);
    CHECK_EQ(evtchn_xen_port(x, NULL, &xport), 0);
    CHECK_EQ(xport, 5001u);
    reset(x, DOMID_SELF);
    CHECK_EQ(heap_objs - objs, 4); /* both groups, each with one bucket */
    memset(x->shinfo->evtchn_pending, 0, sizeof(x->shinfo->evtchn_pending));
    memset(x->shinfo->evtchn_mask, 0xff, sizeof(x->shinfo->evtchn_mask));
    evtchn_raise(x, xport); /* not valid while 2-level: dropped */
    to_fifo(x, 8);
    evtchn_raise(x, xport);
    CHECK_EQ(word(xport), LINKED_PENDING);
    reset(x, DOMID_SELF);
    evtchn_destroy(x); /* frees the backend's port while 2-level */
    for (unsigned int i = 0; i < 64; i++) {
        CHECK_EQ(x->shinfo->evtchn_pending[i], 0u);
        CHECK_EQ(x->shinfo->evtchn_mask[i], ~0ULL);
    }
    free(x->shinfo);
    free(x);
    CHECK_EQ(heap_objs, objs);
}

TEST(interdomain_with_a_port_above_4095)
{
    struct xen_dom *a = dom(1, false, 8192);
    struct xen_dom *b = fake_dom(2, false, 0);
    uint32_t p, bp, ap;
    to_fifo(a, 8);
    do
        CHECK_EQ(evtchn_alloc_unbound(a, DOMID_SELF, DOMID_SELF, &p), 0);
    while (p < 5000);
    CHECK_EQ(evtchn_alloc_unbound(b, DOMID_SELF, 1, &bp), 0);
    CHECK_EQ(evtchn_bind_interdomain(a, 2, bp, &ap), 0);
    CHECK_EQ(ap, 5001u);
    CHECK_EQ(word(ap), LINKED_PENDING);
    /* The peer's reset closes the high port; b's end is unbound again. */
    reset(a, DOMID_SELF);
    struct evtchn_status st = {.dom = DOMID_SELF, .port = bp};
    CHECK_EQ(evtchn_status(b, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    CHECK_EQ(st.u.unbound.dom, 1);
    CHECK_EQ(evtchn_send(b, bp), 0);
    fake_dom_free(a);
    fake_dom_free(b);
}

/* dom0's whole table closed by one EVTCHNOP_reset: in calls of at most
 * EVTCHN_RESET_PORTS ports (each a bounded stretch), the table and the FIFO
 * state freed at the end; a port taken while a reset is under way, below
 * where it has reached, survives it (as on Xen). */
TEST(reset_of_the_largest_table_comes_in_bounded_calls)
{
    registry_leaf_kept();
    size_t objs = heap_objs;
    struct xen_dom *x = dom(0, true, 0);
    uint32_t hi, p;
    to_fifo(x, 8);
    CHECK_EQ(fill(x, &hi), EVTCHN_FIFO_NR_CHANNELS - 1);
    CHECK_EQ(evtchn_reset(x, DOMID_SELF), EVTCHN_CONTINUE);
    CHECK_EQ(x->reset_next, EVTCHN_RESET_PORTS);
    CHECK(x->fifo != NULL); /* still FIFO until the reset ends */
    CHECK_EQ(evtchn_alloc_unbound(x, DOMID_SELF, DOMID_SELF, &p), 0);
    CHECK_EQ(p, 1u);
    unsigned int calls = 1 + reset(x, DOMID_SELF);
    CHECK_EQ(calls, EVTCHN_FIFO_NR_CHANNELS / EVTCHN_RESET_PORTS);
    CHECK(x->fifo == NULL);
    CHECK_EQ(x->reset_next, 0u);
    CHECK_EQ(x->ports_used, 1u);
    CHECK_EQ(heap_objs - objs, 2); /* group 0 and bucket 0, holding port 1 */
    CHECK_EQ(reset(x, DOMID_SELF), 1u);
    CHECK_EQ(x->ports_used, 0u);
    fake_dom_free(x);
    CHECK_EQ(heap_objs, objs);
}

TEST(allocation_failures_leave_a_usable_table)
{
    registry_leaf_kept();
    size_t objs = heap_objs;
    struct xen_dom *x = calloc(1, sizeof(*x));
    uint32_t p;
    /* Group 0 allocated, bucket 0 not: evtchn_init fails and keeps nothing. */
    configured_ports = 8192;
    heap_fail_in = 2;
    CHECK_EQ(evtchn_init(x), -ENOMEM);
    CHECK_EQ(heap_objs, objs);
    free(x);

    x = dom(1, false, 8192);
    to_fifo(x, 8);
    do
        CHECK_EQ(evtchn_alloc_unbound(x, DOMID_SELF, DOMID_SELF, &p), 0);
    while (p < 4095);
    heap_fail_in = 1; /* port 4096's group */
    CHECK_EQ(evtchn_alloc_unbound(x, DOMID_SELF, DOMID_SELF, &p), -ENOMEM);
    heap_fail_in = 2; /* its bucket */
    CHECK_EQ(evtchn_bind_ipi(x, 1, &p), -ENOMEM);
    CHECK_EQ(evtchn_alloc_unbound(x, DOMID_SELF, DOMID_SELF, &p), 0);
    CHECK_EQ(p, 4096u);
    CHECK_EQ(heap_fail_in, 0);
    fake_dom_free(x);
    CHECK_EQ(heap_objs, objs);
}
