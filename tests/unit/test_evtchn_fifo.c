/*
 * FIFO event channels (xen/evtchn_fifo.c) through the port table of
 * xen/evtchn.c, with fake guest pages: the switch from 2-level keeps pending
 * events, queue linking and the ready bit, masking, priorities, the
 * event-array limit, reset back to 2-level, and a guest scribbling over its
 * own event words and control block.
 */
#include "harness.h"
#include <cloison/errno.h>
#include <public/xen.h>
#include "fakes/evtchn_fakes.h"

/* Guest frames 1..NPAGES are RAM; anything else is not. */
#define NPAGES 4
static uint32_t guest[NPAGES + 1][1024] __attribute__((aligned(4096)));
static void *fake_map(struct xen_dom *x, uint64_t gfn)
{
    (void)x;
    return gfn >= 1 && gfn <= NPAGES ? guest[gfn] : NULL;
}
#define CB_GFN 1
#define ARRAY_GFN 2
#define EW(b) (1u << (b))

static struct xen_dom *new_dom(uint16_t id)
{
    memset(guest, 0, sizeof(guest));
    memset(raised, 0, sizeof(raised));
    return fake_dom(id, false, 0);
}

static void free_dom(struct xen_dom *x)
{
    fake_dom_free(x);
}

static struct evtchn_fifo_control_block *cb_at(uint32_t offset)
{
    return (void *)((uint8_t *)guest[CB_GFN] + offset);
}

static uint32_t *words(void)
{
    return guest[ARRAY_GFN];
}

static void pair(struct xen_dom *x, uint32_t *a, uint32_t *b)
{
    CHECK_EQ(evtchn_alloc_unbound(x, DOMID_SELF, DOMID_SELF, a), 0);
    CHECK_EQ(evtchn_bind_interdomain(x, DOMID_SELF, *a, b), 0);
}

static void to_fifo(struct xen_dom *x)
{
    CHECK_EQ(evtchn_fifo_init_control(x, CB_GFN, 0, 0, fake_map), 0);
    CHECK_EQ(evtchn_fifo_expand_array(x, ARRAY_GFN, fake_map), 0);
}

/* What the guest does at the head of queue q: take the event off. */
static uint32_t consume(uint32_t port)
{
    uint32_t w = words()[port];
    words()[port] = w & ~(EW(EVTCHN_FIFO_LINKED) | EW(EVTCHN_FIFO_PENDING) | EVTCHN_FIFO_LINK_MASK);
    return w & EVTCHN_FIFO_LINK_MASK;
}

TEST(errors_while_2level)
{
    struct xen_dom *x = new_dom(1);
    CHECK_EQ(evtchn_fifo_expand_array(x, ARRAY_GFN, fake_map), -EOPNOTSUPP);
    CHECK_EQ(evtchn_set_priority(x, 1, 3), -ENOSYS);
    CHECK_EQ(evtchn_set_priority(x, 5000, 3), -EINVAL);
    CHECK_EQ(evtchn_fifo_init_control(x, CB_GFN, 0, 2, fake_map), -ENOENT);
    CHECK_EQ(evtchn_fifo_init_control(x, CB_GFN, 4096 - 64, 0, fake_map), -EINVAL);
    CHECK_EQ(evtchn_fifo_init_control(x, CB_GFN, 12, 0, fake_map), -EINVAL);
    CHECK_EQ(evtchn_fifo_init_control(x, 99, 0, 0, fake_map), -EINVAL);
    CHECK(x->fifo == NULL);
    CHECK_EQ(evtchn_fifo_init_control(x, CB_GFN, 4096 - 72, 1, fake_map), 0);
    CHECK(x->fifo != NULL);
    CHECK_EQ(evtchn_fifo_init_control(x, CB_GFN, 0, 1, fake_map), -EINVAL); /* once */
    CHECK_EQ(evtchn_fifo_expand_array(x, 0, fake_map), -EINVAL);
    free_dom(x);
}

TEST(pending_port_survives_the_switch)
{
    struct xen_dom *x = new_dom(1);
    uint32_t a, b;
    pair(x, &a, &b); /* b pending in shared_info */
    CHECK_EQ(evtchn_fifo_init_control(x, CB_GFN, 0, 0, fake_map), 0);
    CHECK_EQ(cb_at(0)->ready, 0u); /* no event word for b yet */
    int before = raised[0];
    CHECK_EQ(evtchn_fifo_expand_array(x, ARRAY_GFN, fake_map), 0);
    CHECK_EQ(cb_at(0)->head[EVTCHN_FIFO_PRIORITY_DEFAULT], b);
    CHECK_EQ(cb_at(0)->ready, 1u << EVTCHN_FIFO_PRIORITY_DEFAULT);
    CHECK(words()[b] & EW(EVTCHN_FIFO_PENDING));
    CHECK(words()[b] & EW(EVTCHN_FIFO_LINKED));
    CHECK_EQ(raised[0], before + 1);
    free_dom(x);
}

TEST(queue_links_and_ready_bit)
{
    struct xen_dom *x = new_dom(1);
    uint32_t a, b, c, d;
    to_fifo(x);
    pair(x, &a, &b);
    pair(x, &c, &d);
    /* b then d, both on queue 7: head b, b links to d, one upcall. */
    CHECK_EQ(cb_at(0)->head[7], b);
    CHECK_EQ(words()[b] & EVTCHN_FIFO_LINK_MASK, d);
    CHECK(!(words()[b] & EW(EVTCHN_FIFO_BUSY)));
    CHECK_EQ(raised[0], 1);
    /* The guest drains the queue; the next event starts it again at the head. */
    CHECK_EQ(consume(consume(b)), 0u);
    cb_at(0)->ready = 0;
    CHECK_EQ(evtchn_send(x, a), 0);
    CHECK_EQ(cb_at(0)->head[7], b);
    CHECK_EQ(words()[b] & EVTCHN_FIFO_LINK_MASK, 0u);
    CHECK_EQ(raised[0], 2);
    /* Already linked: nothing changes. */
    CHECK_EQ(evtchn_send(x, a), 0);
    CHECK_EQ(raised[0], 2);
    free_dom(x);
}

TEST(mask_and_unmask)
{
    struct xen_dom *x = new_dom(1);
    uint32_t a, b;
    to_fifo(x);
    pair(x, &a, &b);
    consume(b);
    cb_at(0)->ready = 0;
    words()[b] |= EW(EVTCHN_FIFO_MASKED);
    CHECK_EQ(evtchn_send(x, a), 0);
    CHECK_EQ(words()[b], EW(EVTCHN_FIFO_MASKED) | EW(EVTCHN_FIFO_PENDING));
    CHECK_EQ(cb_at(0)->ready, 0u);
    CHECK_EQ(evtchn_port_flags(x, b), EVTCHN_PORT_PENDING | EVTCHN_PORT_MASKED); /* for poll */
    CHECK_EQ(evtchn_unmask(x, b), 0);
    CHECK_EQ(words()[b], EW(EVTCHN_FIFO_LINKED) | EW(EVTCHN_FIFO_PENDING));
    CHECK_EQ(cb_at(0)->ready, 1u << 7);
    CHECK_EQ(evtchn_port_flags(x, b), EVTCHN_PORT_PENDING);
    CHECK_EQ(evtchn_unmask(x, 5000), -EINVAL);
    free_dom(x);
}

TEST(priorities_and_moving_queues)
{
    struct xen_dom *x = new_dom(1);
    uint32_t a, b;
    to_fifo(x);
    pair(x, &a, &b); /* linked on queue 7 */
    CHECK_EQ(evtchn_set_priority(x, b, 16), -EINVAL);
    CHECK_EQ(evtchn_set_priority(x, b, 2), 0);
    /* Consumed from queue 7, then raised again: it goes to queue 2, and queue
     * 7's stale tail (b) must not be linked to afterwards. */
    consume(b);
    cb_at(0)->ready = 0;
    CHECK_EQ(evtchn_send(x, a), 0);
    CHECK_EQ(cb_at(0)->head[2], b);
    CHECK_EQ(cb_at(0)->ready, 1u << 2);
    uint32_t c, d;
    pair(x, &c, &d); /* d on queue 7: a fresh head, not linked behind b */
    CHECK_EQ(cb_at(0)->head[7], d);
    CHECK_EQ(words()[b] & EVTCHN_FIFO_LINK_MASK, 0u);
    /* bind_vcpu to vCPU 1, which has no control block: pending, not linked. */
    consume(d);
    CHECK_EQ(evtchn_bind_vcpu(x, d, 1), 0);
    CHECK_EQ(evtchn_send(x, c), 0);
    CHECK_EQ(words()[d], EW(EVTCHN_FIFO_PENDING));
    free_dom(x);
}

TEST(array_limit_and_reset)
{
    struct xen_dom *x = new_dom(1);
    to_fifo(x);
    int n = 1;
    while (evtchn_fifo_expand_array(x, 3, fake_map) == 0 && n < 1000)
        n++;
    CHECK_EQ(n, 128);
    CHECK_EQ(evtchn_fifo_expand_array(x, 3, fake_map), -ENOSPC);
    struct xen_dom *y = x;
    CHECK_EQ(evtchn_reset(x, DOMID_SELF), 0);
    CHECK(y->fifo == NULL);
    CHECK_EQ(evtchn_set_priority(x, 0, 3), -ENOSYS);
    free_dom(x);
}

TEST(hostile_guest_words)
{
    struct xen_dom *x = new_dom(1);
    uint32_t a, b, c, d;
    to_fifo(x);
    pair(x, &a, &b);
    /* Garbage everywhere but LINKED on the tail: the hypervisor rewrites only
     * the tail's LINK, never follows what the guest wrote. */
    memset(cb_at(0), 0xff, sizeof(struct evtchn_fifo_control_block));
    words()[b] = EW(EVTCHN_FIFO_LINKED) | EVTCHN_FIFO_LINK_MASK;
    pair(x, &c, &d);
    CHECK_EQ(words()[b], EW(EVTCHN_FIFO_LINKED) | d);
    /* All words MASKED and garbage: sends only set PENDING. */
    memset(words(), 0xff, 4096);
    words()[b] = ~EW(EVTCHN_FIFO_LINKED);
    CHECK_EQ(evtchn_send(x, a), 0);
    CHECK_EQ(evtchn_send(x, c), 0);
    CHECK_EQ(words()[b], ~EW(EVTCHN_FIFO_LINKED));
    free_dom(x);
}
