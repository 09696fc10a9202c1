/*
 * xen_pvcons: the PV console a domU finds through HVM params 17 (ring GFN)
 * and 18 (event channel), written the way Linux's hvc_xen does: bytes into
 * `out`, write barrier, out_prod, EVTCHNOP_send; when the ring is full,
 * SCHEDOP_yield until the backend consumed. 40 numbered lines (more than the
 * 2 KiB ring) must all be consumed; then, if the test harness types a line,
 * it arrives in `in`.
 * Under Xen 4.17 dom0less without dom0 nobody serves a PV console and the
 * params read 0: the guest reports params=unset and passes (nothing to test).
 */
#include "guest.h"
#include <public/event_channel.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>
#include <public/io/console.h>
#include <public/xen.h>
#include <lib/printf.h>

const char test_name[] = "xen_pvcons";

#define HYP_sched_op 29
#define HYP_event_channel_op 32
#define HYP_hvm_op 34
#define SCHEDOP_yield 0
#define LINES 40

static uint32_t port;
static volatile struct xencons_interface *ring;

static long get_param(uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = {.domid = DOMID_SELF, .index = index};
    long rc = xen_hypercall(HYP_hvm_op, HVMOP_get_param, (uintptr_t)&p, 0, 0, 0);
    *value = p.value;
    return rc;
}

static void notify(void)
{
    struct evtchn_port_arg a = {.port = port};
    long rc = xen_hypercall(HYP_event_channel_op, EVTCHNOP_send, (uintptr_t)&a, 0, 0, 0);
    if (rc)
        test_fail("EVTCHNOP_send port=%u rc=%ld", port, rc);
}

static unsigned yields;

static void pv_write(const char *s, size_t len)
{
    while (len) {
        XENCONS_RING_IDX cons = ring->out_cons, prod = ring->out_prod;
        __asm__ volatile("dmb ish" ::: "memory");
        if (prod - cons > XENCONS_OUT_SIZE)
            test_fail("illegal ring indices prod=%u cons=%u", prod, cons);
        size_t sent = 0;
        while (sent < len && prod - cons < XENCONS_OUT_SIZE)
            ring->out[MASK_XENCONS_IDX(prod++, XENCONS_OUT_SIZE)] = s[sent++];
        __asm__ volatile("dmb ishst" ::: "memory");
        ring->out_prod = prod;
        notify();
        if (!sent) {
            if (++yields > 100000)
                test_fail("ring stays full: out_cons=%u out_prod=%u", cons, prod);
            xen_hypercall(HYP_sched_op, SCHEDOP_yield, 0, 0, 0, 0);
        }
        s += sent;
        len -= sent;
    }
}

/* Wait up to ~5 s for a line typed into the console. */
static size_t read_input(char *buf, size_t cap)
{
    size_t n = 0;
    uint64_t end = cntvct() + 5 * cntfrq();
    while (cntvct() < end) {
        XENCONS_RING_IDX cons = ring->in_cons, prod = ring->in_prod;
        __asm__ volatile("dmb ish" ::: "memory");
        while (cons != prod && n < cap - 1) {
            char c = ring->in[MASK_XENCONS_IDX(cons++, XENCONS_IN_SIZE)];
            if (c == '\r' || c == '\n') {
                buf[n] = 0;
                ring->in_cons = cons;
                return n;
            }
            buf[n++] = c;
        }
        __asm__ volatile("dmb ish" ::: "memory");
        ring->in_cons = cons;
        xen_hypercall(HYP_sched_op, SCHEDOP_yield, 0, 0, 0, 0);
    }
    buf[n] = 0;
    return n;
}

void test_main(void)
{
    uint64_t pfn = 0, evtchn = 0;
    long rc1 = get_param(HVM_PARAM_CONSOLE_PFN, &pfn),
         rc2 = get_param(HVM_PARAM_CONSOLE_EVTCHN, &evtchn);
    if (rc1 || rc2)
        test_fail("get_param rc=%ld,%ld", rc1, rc2);
    if (!pfn || !evtchn)
        test_pass("params=unset pfn=0x%llx evtchn=%llu", (unsigned long long)pfn,
                  (unsigned long long)evtchn);
    if (pfn >= (1ull << 18))
        test_fail("console pfn 0x%llx outside the first GiB", (unsigned long long)pfn);
    mmu_map_normal_2m(pfn << 12);
    ring = (volatile struct xencons_interface *)(uintptr_t)(pfn << 12);
    port = (uint32_t)evtchn;
    char line[64];
    for (int i = 0; i < LINES; i++) {
        int n =
            snprintf(line, sizeof(line), "pvcons line %02d of %d: the quick brown fox\n", i, LINES);
        pv_write(line, (size_t)n);
    }
    /* Everything must be consumed: the backend drains on every send. */
    for (int i = 0; i < 1000 && ring->out_cons != ring->out_prod; i++)
        xen_hypercall(HYP_sched_op, SCHEDOP_yield, 0, 0, 0, 0);
    if (ring->out_cons != ring->out_prod)
        test_fail("output not consumed out_cons=%u out_prod=%u", ring->out_cons, ring->out_prod);
    test_run("waiting-input");
    char in[32];
    size_t got = read_input(in, sizeof(in));
    test_pass("params=set pfn=0x%llx lines=%d input=%s", (unsigned long long)pfn, LINES,
              got ? in : "none");
}
