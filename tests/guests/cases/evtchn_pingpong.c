/*
 * evtchn_pingpong: interdomain event channel round trip, for bench/run.py.
 *
 * Two dom0less domains run this image, both Xen-enhanced. The role comes from
 * the hypervisor itself: EVTCHNOP_alloc_unbound with dom=1 only succeeds in
 * domain 1 (a domU may allocate for itself alone), so d1 becomes "ping" with a
 * port unbound for d2, and every other domain "pong". Pong binds to d1's port
 * (trying the first few port numbers until d1 has allocated one), sends once
 * to say it is ready, then echoes every event back. Ping times ROUNDS round
 * trips send -> peer upcall -> peer send -> own upcall, in CNTVCT ticks.
 * Both sides wait with WFI, so an idle side executes nothing (under -icount
 * the ticks then count the instructions both domains and the hypervisor ran).
 */
#include "xen_guest.h"

const char test_name[] = "evtchn_pingpong";

#define ROUNDS 2000
#define PING_DOM 1
#define PONG_DOM 2
#define MAX_PROBE_PORT 64

static uint8_t shinfo_page[4096] __attribute__((aligned(4096)));

/* Block (WFI, interrupts masked so none is lost between test and sleep) until an
 * upcall after `before` has run, or `ticks` pass (0: no limit). */
static bool wait_upcall(unsigned before, uint64_t ticks)
{
    uint64_t end = cntvct() + ticks;
    irq_disable();
    while (xen_upcalls == before && (!ticks || cntvct() < end)) {
        if (!ticks)
            wfi();
        irq_enable();
        isb();
        irq_disable();
    }
    return xen_upcalls != before;
}

/* Until port has been seen by the upcall handler (consumes the mark); ticks as
 * for wait_upcall (0: sleep in WFI, no limit). */
static void wait_port(uint32_t port, unsigned round, uint64_t ticks)
{
    for (;;) {
        unsigned before = xen_upcalls;
        if (xen_seen_port(port))
            return;
        if (!wait_upcall(before, ticks))
            test_fail("round %u: no event on port %u upcalls=%u", round, port, xen_upcalls);
    }
}

static void ping(uint32_t port)
{
    /* Pong's first send says it has bound. */
    wait_port(port, 0, cntfrq() * 60);
    uint64_t t0 = cntvct();
    for (unsigned i = 1; i <= ROUNDS; i++) {
        long rc = evtchn_send(port);
        if (rc)
            test_fail("round %u: send ret=%ld", i, rc);
        wait_port(port, i, 0);
    }
    uint64_t ticks = cntvct() - t0;
    test_pass("role=ping rounds=%d ticks=%llu per_rt_milli=%llu cntfrq=%llu", ROUNDS,
              (unsigned long long)ticks, (unsigned long long)(ticks * 1000 / ROUNDS),
              (unsigned long long)cntfrq());
}

static void pong(long alloc_rc)
{
    uint32_t port = 0;
    uint64_t end = cntvct() + cntfrq() * 20;
    long rc = -1;
    while (rc != 0) {
        for (uint32_t q = 1; q <= MAX_PROBE_PORT && rc != 0; q++)
            rc = evtchn_bind_interdomain(PING_DOM, q, &port);
        if (rc != 0 && cntvct() > end)
            test_fail("no unbound port of d%d to bind within 20 s (last ret=%ld, own "
                      "alloc_unbound(%d, %d) ret=%ld)",
                      PING_DOM, rc, PING_DOM, PONG_DOM, alloc_rc);
    }
    /* Binding marks our new port pending: drain it, then announce ourselves. */
    unsigned before = xen_upcalls;
    if (wait_upcall(before, cntfrq() / 10))
        (void)xen_seen_port(port);
    rc = evtchn_send(port);
    if (rc)
        test_fail("ready send ret=%ld", rc);
    for (unsigned i = 1; i <= ROUNDS; i++) {
        wait_port(port, i, 0);
        rc = evtchn_send(port);
        if (rc)
            test_fail("echo %u: send ret=%ld", i, rc);
    }
    test_pass("role=pong rounds=%d port=%u", ROUNDS, port);
}

void test_main(void)
{
    long rc = xen_map_shared_info(shinfo_page);
    if (rc)
        test_fail("add_to_physmap shared_info ret=%ld", rc);
    xen_upcall_init();
    uint32_t port;
    rc = evtchn_alloc_unbound(PING_DOM, PONG_DOM, &port);
    if (rc == 0)
        ping(port);
    else
        pong(rc);
}
