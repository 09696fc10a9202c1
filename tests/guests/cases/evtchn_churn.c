/*
 * evtchn_churn: two domains binding, closing and signalling the two ends of
 * the same interdomain channels from two vCPUs each, so each side's close
 * races the other's (the higher domain id's closer must take the lower one's
 * lock first: xen/evtchn.c) and sends in both directions run meanwhile.
 *
 * The role comes from the hypervisor, as in evtchn_pingpong: alloc_unbound
 * with dom=1 succeeds only in domain 1 ("offer": it keeps offering ports to
 * d2 and closing random ones of its own); any other domain is "take": it binds
 * to random ports of d1 and closes random ones of its own. vCPU 1 of each
 * sends on random ports of its own. Every port is masked, so no upcall runs.
 * Errors are expected (a port closed or rebound meanwhile); what is checked is
 * that interdomain binds and closes happened, and that the peer's last close
 * left nothing behind: at the end each side closes all its ports and finds
 * every one closed. ROUNDS is per vCPU.
 */
#include "xen_guest.h"

const char test_name[] = "evtchn_churn";

#define ROUNDS 20000
#define PORTS 48 /* ports 1..PORTS: small, so binds and closes keep meeting */
#define OFFER_DOM 1
#define TAKE_DOM 2

static uint8_t shinfo_page[4096] __attribute__((aligned(4096)));
static volatile bool offer, secondary_ready, secondary_done;
static volatile unsigned sends_ok;

static uint32_t rnd(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 8) % PORTS + 1;
}

void test_secondary(uint64_t context_id)
{
    uint32_t seed = 7u + (offer ? 1000u : 0u);
    __atomic_store_n(&secondary_ready, true, __ATOMIC_RELEASE);
    for (unsigned i = 0; i < ROUNDS; i++)
        if (evtchn_send(rnd(&seed)) == 0)
            sends_ok++;
    __atomic_store_n(&secondary_done, true, __ATOMIC_RELEASE);
    for (;;)
        wfi();
}

static void start_secondary(void)
{
    long rc = psci_call(PSCI_CPU_ON64, plat.cpu_mpidr[1], (uintptr_t)secondary_entry, 0);
    if (rc)
        test_fail("CPU_ON ret=%ld", rc);
    uint64_t t0 = cntvct();
    while (!__atomic_load_n(&secondary_ready, __ATOMIC_ACQUIRE))
        if (cntvct() - t0 > cntfrq() * 10)
            test_fail("vCPU 1 did not start");
}

/* One round of the first vCPU: offer a port to d2 or bind one of d1's, then
 * close a random port of our own. Counts what succeeded. */
static void churn(uint32_t *seed, unsigned *binds, unsigned *closes)
{
    uint32_t port;
    long rc = offer ? evtchn_alloc_unbound(DOMID_SELF, TAKE_DOM, &port)
                    : evtchn_bind_interdomain(OFFER_DOM, rnd(seed), &port);
    if (rc == 0 && port > PORTS)
        evtchn_close(port); /* beyond the ports churned over: give it back */
    *binds += !offer && rc == 0;
    struct evtchn_status st;
    uint32_t victim = rnd(seed);
    bool inter = evtchn_status(DOMID_SELF, victim, &st) == 0 && st.status == EVTCHNSTAT_interdomain;
    if (evtchn_close(victim) == 0 && inter)
        (*closes)++;
}

void test_main(void)
{
    uint32_t first;
    offer = evtchn_alloc_unbound(OFFER_DOM, TAKE_DOM, &first) == 0;
    if (xen_map_shared_info(shinfo_page))
        test_fail("map shared_info");
    shinfo->evtchn_mask[0] = ~0ull; /* ports 0..63: no upcall, ever */
    start_secondary();
    uint32_t seed = offer ? 1u : 2u;
    unsigned binds = 0, closes = 0;
    for (unsigned i = 0; i < ROUNDS; i++)
        churn(&seed, &binds, &closes);
    while (!__atomic_load_n(&secondary_done, __ATOMIC_ACQUIRE))
        ;
    /* Everything back: close what is left and find every port closed. */
    for (uint32_t p = 1; p <= PORTS; p++)
        evtchn_close(p);
    for (uint32_t p = 1; p <= PORTS; p++) {
        struct evtchn_status st;
        if (evtchn_status(DOMID_SELF, p, &st) == 0 && st.status != EVTCHNSTAT_closed)
            test_fail("port %u still in state %u after closing all", p, st.status);
    }
    if (closes == 0 || (!offer && binds == 0) || sends_ok == 0)
        test_fail("nothing raced: binds=%u closes=%u sends=%u", binds, closes, sends_ok);
    test_pass("role=%s binds=%u interdomain_closes=%u sends=%u", offer ? "offer" : "take", binds,
              closes, sends_ok);
}
