/*
 * exhaust_evtchn: takes every event channel port its quota allows, three
 * times over (tests/integration/test_exhaustion.py). Each round allocates
 * unbound ports until the hypervisor refuses; the refusal must be Xen's
 * (-ENOSPC) and every round must get the same number of ports:
 *  1. allocate until refused, then hold them all for `hold_ms` (default 500)
 *     while bind_ipi and alloc_unbound keep being refused the same way
 *     (the test restarts a neighbour meanwhile), then close each of them
 *  2. allocate until refused again: the same count; then EVTCHNOP_reset,
 *     which also closes what the domain was given at creation (its xenstore
 *     port, as on Xen), but not the hypervisor's own (PV console)
 *  3. allocate until refused again: at least as many
 * PASS ports=N err=E after_reset=M (then power-off: the test restarts the
 * domain, which must get the same N and M again). Needs `xen,enhanced`.
 */
#include "xen_guest.h"

const char test_name[] = "exhaust_evtchn";

#define MAX_PORTS 131072 /* the FIFO ABI's whole port space: beyond it, no limit works */

static uint32_t ports[MAX_PORTS];

static uint32_t fill(long *err)
{
    uint32_t n = 0, p;
    long rc;
    while ((rc = evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &p)) == 0) {
        if (p == 0 || p >= MAX_PORTS)
            test_fail("alloc_unbound gave port %u after %u", p, n);
        if (n == MAX_PORTS)
            test_fail("no limit after %u ports", n);
        ports[n++] = p;
    }
    *err = rc;
    return n;
}

static void hold(uint32_t n, long err)
{
    uint64_t end = cntvct() + cntfrq() / 1000 * bootarg_uint("hold_ms", 500);
    while (cntvct() < end) {
        uint32_t p;
        long rc = evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &p);
        struct evtchn_bind_ipi b = {.vcpu = 0};
        long rc2 = evtchn_op(EVTCHNOP_bind_ipi, &b);
        if (rc != err || rc2 != err)
            test_fail("full with %u ports: alloc_unbound=%ld bind_ipi=%ld, expected %ld", n, rc,
                      rc2, err);
    }
}

void test_main(void)
{
    long err1, err2, err3;
    uint32_t n1 = fill(&err1);
    if (err1 != -XEN_ENOSPC)
        test_fail("port %u refused with %ld, expected -ENOSPC (%d)", n1, err1, -XEN_ENOSPC);
    test_run("full ports=%u err=%ld", n1, err1);
    hold(n1, err1);
    for (uint32_t i = 0; i < n1; i++) {
        long rc = evtchn_close(ports[i]);
        if (rc)
            test_fail("close(%u) rc=%ld", ports[i], rc);
    }
    uint32_t n2 = fill(&err2);
    struct evtchn_reset rs = {.dom = DOMID_SELF};
    long rc = evtchn_op(EVTCHNOP_reset, &rs);
    if (rc)
        test_fail("reset rc=%ld", rc);
    uint32_t n3 = fill(&err3);
    if (n2 != n1 || n3 < n1 || err2 != err1 || err3 != err1)
        test_fail("rounds got %u/%u/%u ports, errors %ld/%ld/%ld", n1, n2, n3, err1, err2, err3);
    test_pass("ports=%u err=%ld after_reset=%u", n1, err1, n3);
}
