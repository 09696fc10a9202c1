/*
 * ctl_target: the Xen-enhanced domU dom0's toolstack calls act on in
 * tests/integration/test_dom0_ctl.py (dom0 running tests/dom0/xen_ctl.c ops).
 * First its own HVM param rights (Xen/ARM: a domain may not set its own
 * params, nor read MONITOR_RING_PFN; 3 is no param): one "CT self" line.
 * Then it waits (timer ticks + WFI, leaving the pCPU to dom0) until dom0 has
 * set its STORE_PFN to 0xfeed1, prints the four params a PV guest reads
 * ("CT params"), maps its grant table's frame 0 (which dom0 seeded: entry 2
 * through the compat path, entry 1 through acquire_resource) and prints
 * entries 0..2 ("CT gnttab"), then "CT done" and idles.
 */
#include <public/grant_table.h>
#include <public/hvm/params.h>
#include <public/memory.h>
#include <public/xen.h>

#include "guest.h"
#include "xen_guest.h"

const char test_name[] = "ctl_target";

#define STORE_MARK 0xfeed1ULL
#define WINDOW_GFN 0x38000ULL /* the grant window of the hypervisor node */
#define POLL_HZ 20
#define WAIT_SECONDS 900 /* dom0 boots Debian's kernel under TCG first */

static volatile unsigned ticks;
static uint64_t period, next;

static void on_tick(unsigned intid)
{
    (void)intid;
    ticks++;
    next += period;
    vtimer_arm_at(next);
}

static void self_rights(void)
{
    uint64_t v;
    long set = hvm_set_param(DOMID_SELF, HVM_PARAM_STORE_PFN, 1);
    long mon = hvm_get_param(DOMID_SELF, HVM_PARAM_MONITOR_RING_PFN, &v);
    long get3 = hvm_get_param(DOMID_SELF, 3, &v);
    long set3 = hvm_set_param(DOMID_SELF, 3, 0);
    gprintf("CT self set_store=%ld get_monitor=%ld get_3=%ld set_3=%ld\n", set, mon, get3, set3);
}

static void wait_for_dom0(void)
{
    uint64_t freq = cntfrq(), t0 = cntvct(), v = 0;
    period = freq / POLL_HZ;
    next = t0 + period;
    irq_register(VTIMER_PPI, on_tick);
    gic_enable_ppi(VTIMER_PPI);
    vtimer_arm_at(next);
    irq_enable();
    while (hvm_get_param(DOMID_SELF, HVM_PARAM_STORE_PFN, &v) == 0 && v != STORE_MARK) {
        if (cntvct() - t0 > WAIT_SECONDS * freq)
            test_fail("STORE_PFN still 0x%llx after %u s (ticks=%u)", (unsigned long long)v,
                      WAIT_SECONDS, ticks);
        wfi();
    }
    irq_disable();
    vtimer_stop();
}

void test_main(void)
{
    self_rights();
    test_run("waiting");
    wait_for_dom0();
    static const uint32_t idx[] = {HVM_PARAM_STORE_PFN, HVM_PARAM_STORE_EVTCHN,
                                   HVM_PARAM_CONSOLE_PFN, HVM_PARAM_CONSOLE_EVTCHN};
    uint64_t val[4];
    long rc[4];
    for (int i = 0; i < 4; i++)
        rc[i] = hvm_get_param(DOMID_SELF, idx[i], &val[i]);
    gprintf("CT params store_pfn=%ld/0x%llx store_evtchn=%ld/0x%llx console_pfn=%ld/0x%llx "
            "console_evtchn=%ld/0x%llx\n",
            rc[0], (unsigned long long)val[0], rc[1], (unsigned long long)val[1], rc[2],
            (unsigned long long)val[2], rc[3], (unsigned long long)val[3]);
    struct xen_add_to_physmap a = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = 0, .gpfn = WINDOW_GFN};
    long arc = memory_op(XENMEM_add_to_physmap, &a);
    mmu_map_normal_2m(WINDOW_GFN << 12);
    const volatile struct grant_entry_v1 *e = (const void *)(uintptr_t)(WINDOW_GFN << 12);
    if (arc)
        gprintf("CT gnttab add=%ld\n", arc);
    else
        gprintf("CT gnttab add=0 e0=%u/%u/0x%x e1=%u/%u/0x%x e2=%u/%u/0x%x\n", e[0].flags,
                e[0].domid, e[0].frame, e[1].flags, e[1].domid, e[1].frame, e[2].flags, e[2].domid,
                e[2].frame);
    gprintf("CT done\n");
    for (;;)
        wfi();
}
