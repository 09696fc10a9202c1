/*
 * hold_console: an EL2-hold guest with 2 vCPUs (beside `witness` on one
 * pCPU). vCPU 0 writes console lines as fast as it can: it refills the PV
 * console ring (HVM params 17/18, where the hypervisor serves one) and
 * notifies, then hands console_io 4 KiB of lines, over and over.
 * vCPU 1 keeps notifying the console port and yielding, so whenever the
 * hypervisor drains the ring, vCPU 0 may be refilling it. Never ends;
 * reports `RUN pv=0|1` once and `RUN bytes=B` every second of counter time
 * (most of its lines are dropped by the console's rate limit; that is the
 * point).
 */
#include "xen_guest.h"
#include <public/io/console.h>
#include <public/sched.h>
#include <lib/printf.h>

const char test_name[] = "hold_console";

static volatile struct xencons_interface *ring;
static uint32_t port;
static volatile bool go;
static char text[4096];
static size_t text_len, pv_pos; /* whole lines; where the PV stream is in them */

static void pv_fill(void)
{
    XENCONS_RING_IDX cons = ring->out_cons, prod = ring->out_prod;
    __asm__ volatile("dmb ish" ::: "memory");
    while (prod - cons < XENCONS_OUT_SIZE)
        ring->out[MASK_XENCONS_IDX(prod++, XENCONS_OUT_SIZE)] = text[pv_pos++ % text_len];
    __asm__ volatile("dmb ishst" ::: "memory");
    ring->out_prod = prod;
    evtchn_send(port);
}

void test_secondary(uint64_t context_id)
{
    (void)context_id;
    while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
        ;
    for (;;) {
        if (ring)
            evtchn_send(port);
        xen_hypercall(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0, 0, 0);
    }
}

void test_main(void)
{
    if (plat.cpu_count < 2)
        test_fail("needs 2 vCPUs, DT has %u", plat.cpu_count);
    for (;;) {
        int n = snprintf(text + text_len, sizeof(text) - text_len,
                         "flood %04zu the quick brown fox jumps\n", text_len);
        if (n <= 0 || (size_t)n >= sizeof(text) - text_len)
            break;
        text_len += (size_t)n;
    }
    uint64_t pfn = 0, evtchn = 0;
    hvm_get_param(DOMID_SELF, HVM_PARAM_CONSOLE_PFN, &pfn);
    hvm_get_param(DOMID_SELF, HVM_PARAM_CONSOLE_EVTCHN, &evtchn);
    if (pfn && evtchn && pfn < (1ull << 18)) {
        mmu_map_normal_2m(pfn << 12);
        port = (uint32_t)evtchn;
        ring = (volatile struct xencons_interface *)(uintptr_t)(pfn << 12);
    }
    long rc = psci_call(PSCI_CPU_ON64, plat.cpu_mpidr[1], (uintptr_t)secondary_entry, 0);
    if (rc)
        test_fail("CPU_ON rc=%ld", rc);
    test_run("attacking pv=%d", ring ? 1 : 0);
    __atomic_store_n(&go, true, __ATOMIC_RELEASE);
    uint64_t freq = cntfrq(), next = cntvct() + freq, bytes = 0;
    for (;;) {
        if (ring) {
            pv_fill();
            bytes += XENCONS_OUT_SIZE;
        }
        console_io_write(text, text_len);
        bytes += text_len;
        if (cntvct() >= next) {
            test_run("bytes=%llu", (unsigned long long)bytes);
            next += freq;
        }
    }
}
