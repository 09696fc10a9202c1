/*
 * p2m_exhaust: the XSA-409 pattern against the P2M pool. Round after round
 * it maps shared_info, then grant frames 1..63, then grant mappings of one
 * of its own pages, each at a GFN in a gigabyte of its own (a level-2 and a
 * level-3 table each), until the hypervisor says no: -ENOMEM for
 * add_to_physmap, a general error for a grant map. Then it unmaps
 * everything and starts again. Every round must map exactly as much as the
 * first (the tables came back to its pool), and the first must stop: a
 * bounded count. Also checks that a GFN outside the IPA space and one in
 * the vGIC distributor's window are refused (-EINVAL).
 * Then, with churn=N, it maps shared_info and removes it again N times, at
 * a new 2 MiB region each time (what leaked two table pages per call when
 * tables were never freed). With hold_ms=T it waits T ms (printing `RUN
 * holding before|after`) before and after all that, so a test can read the
 * hypervisor's free memory (debug key 'm') at both points.
 * bootargs: rounds=N (default 3), churn=N (0), hold_ms=T (0), gfn_checks=0|1 (1). Verdict keys:
 * shinfo, frames, maps, total (of the first round), rounds, churn.
 */
#include "xen_guest.h"
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/xen.h>

const char test_name[] = "p2m_exhaust";

#define HYP_memory_op 12
#define HYP_grant_table_op 20
#define GRANT_GFN 0x38000ull /* frame 0: where it writes its grant entries */
#define GICD_GFN 0x3001ull   /* Xen's domU GICD: an emulated window */
#define MAX_MAPS 4096
#define ENOMEM_ 12
#define EINVAL_ 22

static uint8_t page[4096] __attribute__((aligned(4096)));
static struct grant_entry_v1 *gnt = (struct grant_entry_v1 *)(uintptr_t)(GRANT_GFN << 12);
static uint32_t handles[MAX_MAPS];
static uint64_t map_gfn[MAX_MAPS];
static uint64_t frame_gfn[64];

/* The k-th scattered GFN: gigabyte 16 + k, a page in it that varies. */
static uint64_t scattered(unsigned k)
{
    return ((16ull + k) << 18) + ((k * 37u) & 511);
}

static long gnttab(unsigned cmd, void *op, unsigned count)
{
    return xen_hypercall(HYP_grant_table_op, cmd, (uintptr_t)op, count, 0, 0);
}

static long add(unsigned space, uint64_t idx, uint64_t gfn)
{
    struct xen_add_to_physmap a = {.domid = DOMID_SELF, .space = space, .idx = idx, .gpfn = gfn};
    return xen_hypercall(HYP_memory_op, XENMEM_add_to_physmap, (uintptr_t)&a, 0, 0, 0);
}

static long remove_gfn(uint64_t gfn)
{
    struct xen_remove_from_physmap r = {.domid = DOMID_SELF, .gpfn = gfn};
    return xen_hypercall(HYP_memory_op, XENMEM_remove_from_physmap, (uintptr_t)&r, 0, 0, 0);
}

/* One round; returns the counts. A refusal other than the pool's fails. */
static void round_once(uint16_t self, unsigned *shinfo_ok, unsigned *frames, unsigned *maps)
{
    unsigned k = 0;
    long rc = add(XENMAPSPACE_shared_info, 0, scattered(k));
    *shinfo_ok = rc == 0;
    if (rc && rc != -ENOMEM_)
        test_fail("shared_info rc=%ld", rc);
    uint64_t shinfo_gfn = scattered(k++);
    *frames = *maps = 0;
    for (unsigned f = 1; rc == 0 && f < 64; f++) {
        frame_gfn[f] = scattered(k++);
        rc = add(XENMAPSPACE_grant_table, f, frame_gfn[f]);
        if (rc && rc != -ENOMEM_)
            test_fail("grant frame %u rc=%ld", f, rc);
        *frames += rc == 0;
    }
    while (rc == 0 && *maps < MAX_MAPS) {
        struct gnttab_map_grant_ref m = {
            .host_addr = scattered(k++) << 12, .flags = GNTMAP_host_map, .ref = 0, .dom = self};
        if (gnttab(GNTTABOP_map_grant_ref, &m, 1))
            test_fail("map_grant_ref failed as a call");
        if (m.status != GNTST_okay)
            break; /* Xen/ARM: the p2m refused, a general error */
        map_gfn[*maps] = m.host_addr >> 12;
        handles[(*maps)++] = m.handle;
    }
    if (*maps == MAX_MAPS)
        test_fail("%u grant maps and no refusal: the pool is not bounded", *maps);
    for (unsigned i = 0; i < *maps; i++) {
        struct gnttab_unmap_grant_ref u = {.host_addr = map_gfn[i] << 12, .handle = handles[i]};
        if (gnttab(GNTTABOP_unmap_grant_ref, &u, 1) || u.status != GNTST_okay)
            test_fail("unmap %u status=%d", i, u.status);
    }
    for (unsigned f = 1; f <= *frames; f++)
        if ((rc = remove_gfn(frame_gfn[f])) != 0)
            test_fail("remove frame %u rc=%ld", f, rc);
    if (*shinfo_ok && (rc = remove_gfn(shinfo_gfn)) != 0)
        test_fail("remove shared_info rc=%ld", rc);
}

static void hold(const char *when)
{
    unsigned long ms = bootarg_uint("hold_ms", 0);
    if (!ms)
        return;
    test_run("holding %s", when);
    uint64_t end = cntvct() + read_sysreg(cntfrq_el0) * ms / 1000;
    while (cntvct() < end)
        ;
}

static unsigned churn(unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        uint64_t gfn = ((16ull + i % 1000) << 18) + ((uint64_t)(i / 1000 % 512) << 9);
        long rc = add(XENMAPSPACE_shared_info, 0, gfn);
        if (rc)
            test_fail("churn %u: shared_info rc=%ld", i, rc);
        if ((rc = remove_gfn(gfn)) != 0)
            test_fail("churn %u: remove rc=%ld", i, rc);
    }
    return n;
}

void test_main(void)
{
    hold("before");
    uint16_t self = xen_own_domid();
    if (add(XENMAPSPACE_grant_table, 0, GRANT_GFN))
        test_fail("grant frame 0");
    mmu_map_normal_2m(GRANT_GFN << 12);
    gnt[0].frame = (uint32_t)((uintptr_t)page >> 12);
    gnt[0].domid = self;
    __asm__ volatile("dmb ishst" ::: "memory");
    gnt[0].flags = GTF_permit_access;

    if (bootarg_uint("gfn_checks", 1)) {
        long oob = add(XENMAPSPACE_shared_info, 0, 1ull << (48 - 12));
        long mmio = add(XENMAPSPACE_grant_table, 1, GICD_GFN);
        if (oob != -EINVAL_ || mmio != -EINVAL_)
            test_fail("outside the IPA space rc=%ld, over the GICD rc=%ld (want -22)", oob, mmio);
    }

    unsigned rounds = (unsigned)bootarg_uint("rounds", 3), s0 = 0, f0 = 0, m0 = 0;
    for (unsigned r = 0; r < rounds; r++) {
        unsigned s, f, m;
        round_once(self, &s, &f, &m);
        test_run("round=%u shinfo=%u frames=%u maps=%u", r, s, f, m);
        if (r == 0) {
            s0 = s, f0 = f, m0 = m;
        } else if (s != s0 || f != f0 || m != m0) {
            test_fail("round %u mapped shinfo=%u frames=%u maps=%u, round 0 %u/%u/%u", r, s, f, m,
                      s0, f0, m0);
        }
    }
    unsigned churned = churn((unsigned)bootarg_uint("churn", 0));
    hold("after");
    test_pass("shinfo=%u frames=%u maps=%u total=%u rounds=%u churn=%u", s0, f0, m0, s0 + f0 + m0,
              rounds, churned);
}
