/*
 * FIFO event channel ABI (Xen ABI doc 4.1.4). Each port has a 32-bit event
 * word in guest-supplied array pages (PENDING, MASKED, LINKED, BUSY, LINK);
 * each vCPU has 16 priority queues whose heads and "ready" bits live in a
 * guest control block, and whose tails only the hypervisor knows. A pending,
 * unmasked port is linked at the tail of its notify vCPU's queue for its
 * priority; the guest consumes from the head, clearing LINKED.
 *
 * The guest owns every one of those words and may write anything into them at
 * any time: each update here is a single atomic operation or a bounded
 * compare-and-swap loop, and a garbage LINK value is never followed by the
 * hypervisor (only tails it linked itself are). Delivery runs under the
 * domain's pending_lock, which therefore also protects the tails; the entry
 * points that change the ABI state take the domain's evtchn_lock as well.
 */
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <string.h>
#include "evtchn_priv.h"

#define WORDS_PER_PAGE (PAGE_SIZE / sizeof(event_word_t))
#define MAX_ARRAY_PAGES (EVTCHN_FIFO_NR_CHANNELS / WORDS_PER_PAGE)
#define LINK_TRIES 4      /* a guest rewriting the tail word faster than this loses the event */
#define EW(b) (1u << (b)) /* an event word bit */

struct fifo_vcpu {
    struct evtchn_fifo_control_block *cb;  /* in a guest page; NULL until init_control */
    uint32_t tail[EVTCHN_FIFO_MAX_QUEUES]; /* last port linked per queue, 0 = none */
};

struct evtchn_fifo {
    uint32_t nr_words; /* ports that have an event word: pages * 1024 */
    event_word_t *page[MAX_ARRAY_PAGES];
    struct fifo_vcpu vcpu[XEN_DOM_MAX_VCPUS];
};

static event_word_t *word_of(const struct evtchn_fifo *f, uint32_t port)
{
    if (port >= f->nr_words)
        return NULL;
    return &f->page[port / WORDS_PER_PAGE][port % WORDS_PER_PAGE];
}

static uint32_t load(const uint32_t *w)
{
    return __atomic_load_n(w, __ATOMIC_SEQ_CST);
}

static bool test_and_set(uint32_t *w, unsigned int bit)
{
    return __atomic_fetch_or(w, EW(bit), __ATOMIC_SEQ_CST) & EW(bit);
}

/* The queue's ready bit went 0 -> 1: tell the vCPU as 2-level would. */
static void mark_events_pending(struct xen_dom *x, uint32_t vcpu)
{
    struct vcpu_info *vi = xen_vcpu_info(x, vcpu);
    __atomic_store_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
    if (vi != &x->dummy_vi)
        xen_upcall_raise(x, vcpu);
}

/*
 * Point the tail word at `port`, only while the tail is still LINKED: if the
 * guest has consumed it meanwhile, the queue is empty and the caller writes
 * the head instead. BUSY tells the guest we are rewriting the word (Linux
 * waits for it to clear before clearing MASKED itself).
 */
static bool set_link(event_word_t *tw, uint32_t port)
{
    __atomic_fetch_or(tw, EW(EVTCHN_FIFO_BUSY), __ATOMIC_SEQ_CST);
    uint32_t old = load(tw);
    for (int i = 0; i < LINK_TRIES; i++) {
        if (!(old & EW(EVTCHN_FIFO_LINKED)))
            break;
        uint32_t nw = (old & ~(EW(EVTCHN_FIFO_BUSY) | EVTCHN_FIFO_LINK_MASK)) | port;
        if (__atomic_compare_exchange_n(tw, &old, nw, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return true; /* BUSY cleared by the same write */
    }
    __atomic_fetch_and(tw, ~EW(EVTCHN_FIFO_BUSY), __ATOMIC_SEQ_CST);
    return old & EW(EVTCHN_FIFO_LINKED); /* still linked = the guest kept racing us */
}

static void link_event(struct xen_dom *x, struct evtchn *c, uint32_t port, event_word_t *w)
{
    struct evtchn_fifo *f = x->fifo;
    uint32_t vcpu = c->notify_vcpu % XEN_DOM_MAX_VCPUS;
    uint32_t prio = c->priority % EVTCHN_FIFO_MAX_QUEUES;
    struct fifo_vcpu *v = &f->vcpu[vcpu];
    /* No control block yet: the guest must not unmask ports before setting it
     * up, so (like Xen) the event stays pending and unlinked. */
    if (!v->cb || test_and_set(w, EVTCHN_FIFO_LINKED))
        return;
    /* The port was unlinked: if it was the tail of the queue it last sat on,
     * the guest has emptied that queue, and the stale tail must not be used
     * (it may be another queue now, after bind_vcpu or set_priority). */
    uint32_t *old_tail =
        &f->vcpu[c->last_vcpu % XEN_DOM_MAX_VCPUS].tail[c->last_priority % EVTCHN_FIFO_MAX_QUEUES];
    if (*old_tail == port)
        *old_tail = 0;
    c->last_vcpu = (uint8_t)vcpu;
    c->last_priority = (uint8_t)prio;

    bool linked = false;
    if (v->tail[prio]) {
        event_word_t *tw = word_of(f, v->tail[prio]);
        linked = tw && set_link(tw, port);
    }
    if (!linked)
        __atomic_store_n(&v->cb->head[prio], port, __ATOMIC_SEQ_CST);
    v->tail[prio] = port;
    if (!linked && !test_and_set(&v->cb->ready, prio))
        mark_events_pending(x, vcpu);
}

void evtchn_fifo_set_pending(struct xen_dom *x, uint32_t port)
{
    ASSERT_HELD(&x->pending_lock);
    struct evtchn *c = evtchn_chan(x, port);
    event_word_t *w = word_of(x->fifo, port);
    if (!w) {
        c->fifo_pending = true; /* delivered when expand_array adds its word */
        return;
    }
    __atomic_fetch_or(w, EW(EVTCHN_FIFO_PENDING), __ATOMIC_SEQ_CST);
    if (!(load(w) & (EW(EVTCHN_FIFO_MASKED) | EW(EVTCHN_FIFO_LINKED))))
        link_event(x, c, port, w);
}

void evtchn_fifo_clear_pending(struct xen_dom *x, uint32_t port)
{
    ASSERT_HELD(&x->pending_lock);
    event_word_t *w = word_of(x->fifo, port);
    evtchn_chan(x, port)->fifo_pending = false;
    /* Only P: a linked event is dropped lazily by the guest when it gets there. */
    if (w)
        __atomic_fetch_and(w, ~EW(EVTCHN_FIFO_PENDING), __ATOMIC_SEQ_CST);
}

void evtchn_fifo_unmask(struct xen_dom *x, uint32_t port)
{
    ASSERT_HELD(&x->pending_lock);
    event_word_t *w = word_of(x->fifo, port);
    if (!w)
        return;
    __atomic_fetch_and(w, ~EW(EVTCHN_FIFO_MASKED), __ATOMIC_SEQ_CST);
    /* An event that arrived while masked is linked now. */
    if (load(w) & EW(EVTCHN_FIFO_PENDING))
        evtchn_fifo_set_pending(x, port);
}

unsigned int evtchn_fifo_port_flags(struct xen_dom *x, uint32_t port)
{
    ASSERT_HELD(&x->pending_lock);
    event_word_t *w = word_of(x->fifo, port);
    if (!w) /* no word yet: the guest cannot have unmasked it */
        return EVTCHN_PORT_MASKED | (evtchn_chan(x, port)->fifo_pending ? EVTCHN_PORT_PENDING : 0);
    uint32_t v = load(w);
    return (v & EW(EVTCHN_FIFO_PENDING) ? EVTCHN_PORT_PENDING : 0) |
           (v & EW(EVTCHN_FIFO_MASKED) ? EVTCHN_PORT_MASKED : 0);
}

void evtchn_fifo_free(struct xen_dom *x)
{
    ASSERT_HELD(&x->evtchn_lock);
    ASSERT_HELD(&x->pending_lock);
    xfree(x->fifo);
    x->fifo = NULL;
    evtchn_abi_changed(x);
}

/* First control block: from now on the domain uses FIFO. Ports pending in
 * shared_info keep their event, delivered once their event word exists. */
static void switch_to_fifo(struct xen_dom *x, struct evtchn_fifo *f)
{
    for (uint32_t p = evtchn_next_allocated(x, 1); p < x->max_ports;
         p = evtchn_next_allocated(x, p + 1)) {
        struct evtchn *c = evtchn_chan(x, p);
        const uint64_t *pend = &x->shinfo->evtchn_pending[p / 64];
        c->fifo_pending = (__atomic_load_n(pend, __ATOMIC_SEQ_CST) >> (p % 64)) & 1;
        c->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
    }
    x->fifo = f;
    evtchn_abi_changed(x); /* ports up to the domain's own limit from now on */
}

int evtchn_fifo_init_control(struct xen_dom *x, uint64_t gfn, uint32_t offset, uint32_t vcpu,
                             evtchn_map_fn map)
{
    if (vcpu >= x->nr_vcpus)
        return -ENOENT;
    /* The block must not cross the end of its page. */
    if (offset > PAGE_SIZE - sizeof(struct evtchn_fifo_control_block) || (offset & 7))
        return -EINVAL;
    spin_lock(&x->evtchn_lock);
    spin_lock(&x->pending_lock);
    struct evtchn_fifo *f = x->fifo;
    int rc = 0;
    if (!f && !(f = xzalloc_guest(sizeof(*f)))) /* above the hypervisor's reserve */
        rc = -ENOMEM;
    else if (f->vcpu[vcpu].cb)
        rc = -EINVAL; /* once per vCPU */
    if (!rc) {
        uint8_t *page = map(x, gfn);
        if (page)
            f->vcpu[vcpu].cb = (void *)(page + offset);
        else
            rc = -EINVAL;
    }
    if (!x->fifo && !rc)
        switch_to_fifo(x, f);
    else if (!x->fifo && f)
        xfree(f);
    spin_unlock(&x->pending_lock);
    spin_unlock(&x->evtchn_lock);
    return rc;
}

int evtchn_fifo_expand_array(struct xen_dom *x, uint64_t gfn, evtchn_map_fn map)
{
    spin_lock(&x->evtchn_lock);
    spin_lock(&x->pending_lock);
    struct evtchn_fifo *f = x->fifo;
    int rc = 0;
    event_word_t *page = NULL;
    if (!f)
        rc = -EOPNOTSUPP;
    else if (f->nr_words / WORDS_PER_PAGE >= MAX_ARRAY_PAGES)
        rc = -ENOSPC; /* as Xen: the ABI's 2^17 words, whatever the domain's port limit */
    else if (!(page = map(x, gfn)))
        rc = -EINVAL;
    if (!rc) {
        uint32_t first = f->nr_words;
        f->page[first / WORDS_PER_PAGE] = page;
        f->nr_words = first + WORDS_PER_PAGE;
        /* Events that arrived before this page existed are delivered now. */
        for (uint32_t p = first; p < f->nr_words && p < x->max_ports; p++) {
            if (evtchn_port_valid(x, p) && evtchn_chan(x, p)->fifo_pending) {
                evtchn_chan(x, p)->fifo_pending = false;
                evtchn_fifo_set_pending(x, p);
            }
        }
    }
    spin_unlock(&x->pending_lock);
    spin_unlock(&x->evtchn_lock);
    return rc;
}

int evtchn_set_priority(struct xen_dom *x, uint32_t port, uint32_t priority)
{
    spin_lock(&x->evtchn_lock);
    spin_lock(&x->pending_lock);
    int rc = 0;
    if (!evtchn_port_valid(x, port))
        rc = -EINVAL;
    else if (!x->fifo)
        rc = -ENOSYS; /* 2-level has no priorities */
    else if (priority > EVTCHN_FIFO_PRIORITY_MIN)
        rc = -EINVAL;
    else
        evtchn_chan(x, port)->priority = (uint8_t)priority;
    spin_unlock(&x->pending_lock);
    spin_unlock(&x->evtchn_lock);
    return rc;
}
