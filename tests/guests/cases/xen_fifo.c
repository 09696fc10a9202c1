/*
 * xen_fifo: the FIFO event channel ABI within one domain.
 *  - expand_array / set_priority before any control block: -EOPNOTSUPP /
 *    -ENOSYS; init_control with a bad vCPU, offset or GFN fails and the
 *    domain stays 2-level
 *  - a loopback pair bound while 2-level: the new port is pending in
 *    shared_info and is delivered through FIFO once its event word exists
 *    (switching ABI keeps pending events)
 *  - init_control on vCPU 0 (link_bits 17), a second one -> -EINVAL;
 *    expand_array with a bad GFN -> -EINVAL
 *  - send: the port is linked at the head of queue 7, the ready bit is set
 *    and the upcall taken; the handler walks each queue from its head
 *  - masked: PENDING set, no upcall; EVTCHNOP_unmask links and delivers it
 *  - two ports on queue 7 are chained through the LINK field; a port moved to
 *    priority 2 is consumed first; set_priority 16 / bad port -> -EINVAL
 *  - expand_array until -ENOSPC (the 128-page limit, whatever the port limit)
 *  - every port up to the domain's limit in use at once (FIFO is not bound by
 *    the 2-level ABI's 4096: Cloison gives this domain 8192 through
 *    cloison,event-channels, Xen 4.17 a dom0less domU 1024), -ENOSPC beyond
 *    it and -EINVAL for the first port past it; then a loopback pair on the
 *    two highest ports delivers both ways. `ports` is checked per hypervisor
 *    by the integration test.
 */
#include "xen_guest.h"

const char test_name[] = "xen_fifo";

#define WORDS_PER_PAGE 1024
#define ARRAY_PAGES (EVTCHN_FIFO_NR_CHANNELS / WORDS_PER_PAGE)
#define CB_OFFSET 64
#define EW(b) (1u << (b))

static uint8_t shinfo_page[4096] __attribute__((aligned(4096)));
static uint64_t cb_page[512] __attribute__((aligned(4096)));
/* The whole event array the ABI allows (512 KiB), a page per expand_array. */
static volatile event_word_t array[ARRAY_PAGES][WORDS_PER_PAGE] __attribute__((aligned(4096)));
static volatile uint32_t nr_words; /* ports with an event word so far */
static struct evtchn_fifo_control_block *volatile cb;

static volatile event_word_t *ew(uint32_t port)
{
    return &array[port / WORDS_PER_PAGE][port % WORDS_PER_PAGE];
}

/* Ports in the order the upcall handler consumed them. */
static volatile uint32_t seen[64];
static volatile unsigned nr_seen;

static void expect(const char *what, long got, long want)
{
    if (got != want)
        test_fail("%s ret=%ld expected=%ld", what, got, want);
}

static uint64_t gfn_of(const volatile void *p)
{
    return (uintptr_t)p >> 12;
}

/* Take the head event off its word: clear LINKED and LINK, return LINK. */
static uint32_t clear_linked(volatile event_word_t *w)
{
    event_word_t old = *w;
    for (;;) {
        event_word_t nw = old & ~(EW(EVTCHN_FIFO_LINKED) | EVTCHN_FIFO_LINK_MASK);
        if (__atomic_compare_exchange_n(w, &old, nw, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return old & EVTCHN_FIFO_LINK_MASK;
    }
}

/* Highest priority (lowest number) first; each queue walked from its head. */
static void on_upcall(unsigned intid)
{
    (void)intid;
    __atomic_store_n(&shinfo->vcpu_info[0].evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
    uint32_t ready = __atomic_exchange_n(&cb->ready, 0, __ATOMIC_SEQ_CST);
    for (unsigned q = 0; q < EVTCHN_FIFO_MAX_QUEUES; q++) {
        if (!(ready & (1u << q)))
            continue;
        uint32_t port = __atomic_exchange_n(&cb->head[q], 0, __ATOMIC_SEQ_CST);
        for (unsigned n = 0; port && port < nr_words && n < nr_words; n++) {
            volatile event_word_t *w = ew(port);
            uint32_t next = clear_linked(w);
            event_word_t v = __atomic_fetch_and(w, ~EW(EVTCHN_FIFO_PENDING), __ATOMIC_SEQ_CST);
            if ((v & EW(EVTCHN_FIFO_PENDING)) && !(v & EW(EVTCHN_FIFO_MASKED)) && nr_seen < 64)
                seen[nr_seen++] = port;
            port = next;
        }
    }
}

/* Let the upcall in for up to ~50 ms, until `want` ports have been seen. */
static void wait_seen(unsigned want)
{
    uint64_t end = cntvct() + cntfrq() / 20;
    irq_enable();
    while (nr_seen < want && cntvct() < end)
        __asm__ volatile("isb" ::: "memory");
    irq_disable();
}

static void expect_seen(const char *what, const uint32_t *ports, unsigned n)
{
    nr_seen = 0;
    wait_seen(n);
    if (nr_seen != n)
        test_fail("%s: %u ports delivered, expected %u (first %u)", what, nr_seen, n, seen[0]);
    for (unsigned i = 0; i < n; i++)
        if (seen[i] != ports[i])
            test_fail("%s: delivery %u was port %u expected %u", what, i, seen[i], ports[i]);
}

static long set_priority(uint32_t port, uint32_t prio)
{
    struct evtchn_set_priority sp = {.port = port, .priority = prio};
    return evtchn_op(EVTCHNOP_set_priority, &sp);
}

static long expand(uint64_t gfn)
{
    struct evtchn_expand_array ea = {.array_gfn = gfn};
    return evtchn_op(EVTCHNOP_expand_array, &ea);
}

/* The next page of the event array; the words exist once it returns 0. */
static long expand_next(void)
{
    unsigned page = nr_words / WORDS_PER_PAGE;
    long rc = expand(gfn_of(array[page < ARRAY_PAGES ? page : 0]));
    if (rc == 0)
        nr_words += WORDS_PER_PAGE;
    return rc;
}

static long init_control(uint64_t gfn, uint32_t offset, uint32_t vcpu, uint8_t *link_bits)
{
    struct evtchn_init_control ic = {.control_gfn = gfn, .offset = offset, .vcpu = vcpu};
    long rc = evtchn_op(EVTCHNOP_init_control, &ic);
    *link_bits = ic.link_bits;
    return rc;
}

static void pair(uint32_t *a, uint32_t *b)
{
    expect("alloc_unbound", evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, a), 0);
    expect("bind_interdomain", evtchn_bind_interdomain(DOMID_SELF, *a, b), 0);
}

static void bad_args_before_fifo(uint32_t port)
{
    uint8_t lb;
    expect("expand_array 2-level", expand(gfn_of(array[0])), -XEN_EOPNOTSUPP);
    expect("set_priority 2-level", set_priority(port, 3), -XEN_ENOSYS);
    expect("init_control vcpu 99", init_control(gfn_of(cb_page), 0, 99, &lb), -XEN_ENOENT);
    expect("init_control offset 4032", init_control(gfn_of(cb_page), 4032, 0, &lb), -XEN_EINVAL);
    expect("init_control offset 4", init_control(gfn_of(cb_page), 4, 0, &lb), -XEN_EINVAL);
    expect("init_control gfn 0", init_control(0, 0, 0, &lb), -XEN_EINVAL);
    /* None of these switched the ABI. */
    expect("expand_array after failures", expand(gfn_of(array[0])), -XEN_EOPNOTSUPP);
}

static void mask_unmask(uint32_t a, uint32_t b)
{
    __atomic_fetch_or(&*ew(b), EW(EVTCHN_FIFO_MASKED), __ATOMIC_SEQ_CST);
    expect("send masked", evtchn_send(a), 0);
    nr_seen = 0;
    wait_seen(1);
    if (nr_seen)
        test_fail("masked port %u delivered", b);
    if (!(*ew(b) & EW(EVTCHN_FIFO_PENDING)) || (*ew(b) & EW(EVTCHN_FIFO_LINKED)))
        test_fail("masked port %u word=%#x expected pending, unlinked", b, *ew(b));
    /* Linux's unmask path when the port is pending: ask the hypervisor. */
    expect("unmask", evtchn_unmask(b), 0);
    const uint32_t want[] = {b};
    expect_seen("unmask of pending port", want, 1);
    if (*ew(b) & EW(EVTCHN_FIFO_MASKED))
        test_fail("unmask left MASKED set on %u", b);
}

static void priorities(uint32_t a, uint32_t b)
{
    uint32_t c, d, e, f;
    pair(&c, &d);
    pair(&e, &f);
    const uint32_t bound[] = {d, f};
    expect_seen("new ports pending at bind", bound, 2);
    expect("set_priority 16", set_priority(f, 16), -XEN_EINVAL);
    expect("set_priority bad port", set_priority(100000, 2), -XEN_EINVAL);
    expect("set_priority 2", set_priority(f, 2), 0);
    expect("send a", evtchn_send(a), 0);
    expect("send c", evtchn_send(c), 0);
    expect("send e", evtchn_send(e), 0);
    /* IRQs are off: the queues can be inspected before the handler runs. */
    if (cb->ready != ((1u << 7) | (1u << 2)) || cb->head[7] != b || cb->head[2] != f)
        test_fail("ready=%#x head7=%u (b=%u) head2=%u (f=%u)", cb->ready, cb->head[7], b,
                  cb->head[2], f);
    if ((*ew(b) & EVTCHN_FIFO_LINK_MASK) != d || !(*ew(d) & EW(EVTCHN_FIFO_LINKED)))
        test_fail("queue 7: word[b]=%#x expected link to d=%u; word[d]=%#x", *ew(b), d, *ew(d));
    const uint32_t order[] = {f, b, d};
    expect_seen("priority order", order, 3);
}

static unsigned expand_to_limit(void)
{
    long rc;
    while ((rc = expand_next()) == 0 && nr_words < 200 * WORDS_PER_PAGE)
        ;
    expect("expand_array at the limit", rc, -XEN_ENOSPC);
    return nr_words / WORDS_PER_PAGE;
}

/* alloc_unbound until -ENOSPC; then every port from 1 to the highest must be
 * in use (the PV console's port included), and the next one must not exist.
 * Returns the number of ports in use at once. */
static uint32_t fill_ports(void)
{
    uint32_t p, n = 0, highest = 0;
    long rc;
    while ((rc = evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &p)) == 0) {
        highest = p > highest ? p : highest;
        if (++n > EVTCHN_FIFO_NR_CHANNELS)
            test_fail("more than 2^17 ports allocated");
    }
    expect("alloc_unbound when full", rc, -XEN_ENOSPC);
    for (uint32_t q = 1; q <= highest; q++) {
        struct evtchn_status st = {0};
        rc = evtchn_status(DOMID_SELF, q, &st);
        if (rc || st.status == EVTCHNSTAT_closed)
            test_fail("ports: %u of 1..%u in use, port %u rc=%ld status=%u", n, highest, q, rc,
                      st.status);
    }
    struct evtchn_status st;
    expect("status past the limit", evtchn_status(DOMID_SELF, highest + 1, &st), -XEN_EINVAL);
    expect("send past the limit", evtchn_send(highest + 1), -XEN_EINVAL);
    return highest;
}

/* The two highest ports as a loopback pair: events reach either end. */
static void highest_pair(uint32_t highest)
{
    uint32_t a, b;
    expect("close highest-1", evtchn_close(highest - 1), 0);
    expect("close highest", evtchn_close(highest), 0);
    pair(&a, &b);
    if (a != highest - 1 || b != highest)
        test_fail("pair on the highest ports got %u,%u expected %u,%u", a, b, highest - 1, highest);
    const uint32_t to_b[] = {b}, to_a[] = {a};
    expect_seen("highest port pending at bind", to_b, 1);
    expect("send to the highest port", evtchn_send(a), 0);
    expect_seen("send to the highest port", to_b, 1);
    expect("send from the highest port", evtchn_send(b), 0);
    expect_seen("send from the highest port", to_a, 1);
}

void test_main(void)
{
    uint32_t a, b;
    uint8_t lb = 0;

    expect("add_to_physmap shared_info", xen_map_shared_info(shinfo_page), 0);
    pair(&a, &b); /* b is now pending in shared_info */
    bad_args_before_fifo(b);
    if (!port_bit(shinfo->evtchn_pending, b))
        test_fail("bound port %u not pending (2-level)", b);

    expect("init_control", init_control(gfn_of(cb_page), CB_OFFSET, 0, &lb), 0);
    if (lb != EVTCHN_FIFO_LINK_BITS)
        test_fail("link_bits=%u", lb);
    expect("init_control twice", init_control(gfn_of(cb_page), 0, 0, &lb), -XEN_EINVAL);
    cb = (struct evtchn_fifo_control_block *)&cb_page[CB_OFFSET / 8];
    irq_register(GUEST_EVTCHN_PPI, on_upcall);
    gic_enable_ppi(GUEST_EVTCHN_PPI);

    expect("expand_array gfn 0", expand(0), -XEN_EINVAL);
    expect("expand_array", expand_next(), 0);
    const uint32_t moved[] = {b};
    expect_seen("pending port carried over to FIFO", moved, 1);

    expect("send", evtchn_send(a), 0);
    const uint32_t sent[] = {b};
    expect_seen("send", sent, 1);

    mask_unmask(a, b);
    priorities(a, b);
    unsigned pages = expand_to_limit();
    uint32_t ports = fill_ports();
    highest_pair(ports);
    test_pass("link_bits=%u pages=%u ports=%u highest=ok carried=ok unmask=ok priority=ok", lb,
              pages, ports);
}
