/*
 * hold_evtreset: an EL2-hold guest (beside `witness` on one pCPU). Round
 * after round it switches to the FIFO ABI (so the 2-level 4096 does not cap
 * it), takes every event channel port it is allowed with alloc_unbound,
 * then closes them all with one EVTCHNOP_reset, which makes the hypervisor
 * walk the whole port table. Never ends; reports `RUN ports=N` once (N: how
 * many it got) and `RUN rounds=R` every second of counter time.
 */
#include "xen_guest.h"

const char test_name[] = "hold_evtreset";

static uint64_t cb_page[512] __attribute__((aligned(4096)));

static void fifo_on(void)
{
    struct evtchn_init_control ic = {.control_gfn = (uintptr_t)cb_page >> 12, .vcpu = 0};
    /* Refused under an ABI without FIFO: the 2-level space is used then. */
    (void)evtchn_op(EVTCHNOP_init_control, &ic);
}

static uint32_t take_all(void)
{
    uint32_t n = 0, port;
    while (evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &port) == 0)
        n++;
    return n;
}

static void reset(void)
{
    struct evtchn_reset r = {.dom = DOMID_SELF};
    long rc = evtchn_op(EVTCHNOP_reset, &r);
    if (rc)
        test_fail("EVTCHNOP_reset rc=%ld", rc);
}

void test_main(void)
{
    uint64_t freq = cntfrq(), next = cntvct() + freq;
    fifo_on();
    uint32_t ports = take_all();
    if (ports < 512)
        test_fail("only %u ports", ports);
    test_run("attacking ports=%u", ports);
    for (uint64_t rounds = 1;; rounds++) {
        reset();
        fifo_on();
        uint32_t again = take_all();
        if (again != ports)
            test_fail("round %llu got %u ports, first %u", (unsigned long long)rounds, again,
                      ports);
        if (cntvct() >= next) {
            test_run("rounds=%llu", (unsigned long long)rounds);
            next += freq;
        }
    }
}
