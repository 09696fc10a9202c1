/*
 * lockbench: what one hot event-channel and one hot grant operation cost, for
 * bench/locks.py, which runs one such domain alone and then two at once on two
 * pCPUs: whatever the second adds is what the two domains share in the
 * hypervisor (a lock, before event channels and grants had per-domain ones).
 *
 *   send   EVTCHNOP_send on an IPI port bound to this vCPU and kept masked, so
 *          only the hypervisor's path runs (no upcall is taken)
 *   copy   GNTTABOP_copy of 64 bytes between two of its own frames (DOMID_SELF
 *          frame numbers on both sides)
 *
 * Both are checked (send returns 0, the copied bytes arrive). Figures are
 * CNTVCT ticks x1000 per op.
 */
#include "xen_guest.h"
#include <public/grant_table.h>

const char test_name[] = "lockbench";

#define N 20000
#define HYP_grant_table_op 20
#define COPY_LEN 64

static uint8_t shinfo_page[4096] __attribute__((aligned(4096)));
static uint8_t src[4096] __attribute__((aligned(4096)));
static uint8_t dst[4096] __attribute__((aligned(4096)));

static uint64_t per_op_milli(uint64_t ticks)
{
    return ticks * 1000 / N;
}

static uint64_t bench_send(void)
{
    if (xen_map_shared_info(shinfo_page))
        test_fail("map shared_info");
    struct evtchn_bind_ipi bi = {.vcpu = 0};
    long rc = evtchn_op(EVTCHNOP_bind_ipi, &bi);
    if (rc)
        test_fail("bind_ipi ret=%ld", rc);
    /* Masked: the event only sets its pending bit, no upcall is raised. */
    __atomic_fetch_or(&shinfo->evtchn_mask[bi.port / 64], 1ull << (bi.port % 64), __ATOMIC_SEQ_CST);
    uint64_t t0 = cntvct();
    for (unsigned i = 0; i < N; i++) {
        rc = evtchn_send(bi.port);
        if (rc)
            test_fail("send %u ret=%ld", i, rc);
    }
    return cntvct() - t0;
}

static uint64_t bench_copy(void)
{
    struct gnttab_copy op = {.len = COPY_LEN, .flags = 0};
    op.source.domid = op.dest.domid = DOMID_SELF;
    op.source.u.gmfn = (uintptr_t)src >> 12;
    op.dest.u.gmfn = (uintptr_t)dst >> 12;
    for (unsigned i = 0; i < COPY_LEN; i++)
        src[i] = (uint8_t)(i * 7 + 1);
    uint64_t t0 = cntvct();
    for (unsigned i = 0; i < N; i++) {
        long rc = xen_hypercall(HYP_grant_table_op, GNTTABOP_copy, (uintptr_t)&op, 1, 0, 0);
        if (rc || op.status != GNTST_okay)
            test_fail("copy %u ret=%ld status=%d", i, rc, op.status);
    }
    uint64_t ticks = cntvct() - t0;
    for (unsigned i = 0; i < COPY_LEN; i++)
        if (dst[i] != src[i])
            test_fail("copied byte %u is %u, not %u", i, dst[i], src[i]);
    return ticks;
}

void test_main(void)
{
    uint64_t send = bench_send(), copy = bench_copy();
    test_pass("ops=%d send_milli=%llu copy_milli=%llu cntfrq=%llu", N,
              (unsigned long long)per_op_milli(send), (unsigned long long)per_op_milli(copy),
              (unsigned long long)cntfrq());
}
