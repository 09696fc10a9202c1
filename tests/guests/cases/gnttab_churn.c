/*
 * gnttab_churn: two domains copying into each other's grants and mapping
 * and unmapping each other's pages from two vCPUs each, so a copy by d1
 * (d1's frame -> d2's grant) runs against one by d2 (d2's frame -> d1's
 * grant): each locks both domains' grant tables, lower domain id first
 * (xen/grant_map.c), and map/unmap take the mapper's handles then the
 * granter's table meanwhile.
 *
 * Roles come from the hypervisor (alloc_unbound with dom=1 succeeds only in
 * d1); the peer is the other of d1 and d2. Each grants ref 8 (a page the peer
 * writes by copy) and ref 9 (a page the peer maps) to the peer. vCPU 0 copies
 * 64 bytes from its own page into the peer's ref 8, ROUNDS times; vCPU 1 maps
 * the peer's ref 9 and unmaps it, ROUNDS times, both once a first copy went
 * through (the peer has set its grants up). Once the peer has finished and
 * gone, the operations fail: what is checked is that each kind succeeded,
 * that whatever failed failed with a status, and that a map was unmapped.
 */
#include "xen_guest.h"
#include <public/grant_table.h>

const char test_name[] = "gnttab_churn";

#define ROUNDS 4000
#define HYP_grant_table_op 20
#define WINDOW_GFN 0x38000ull

static uint8_t src[4096] __attribute__((aligned(4096)));
static uint8_t inbox[4096] __attribute__((aligned(4096)));
static uint8_t shown[4096] __attribute__((aligned(4096)));
static uint8_t map_here[4096] __attribute__((aligned(4096)));
static struct grant_entry_v1 *gnt = (struct grant_entry_v1 *)(uintptr_t)(WINDOW_GFN << 12);
static uint16_t peer;
static volatile bool secondary_ready, secondary_done;
static volatile unsigned maps_ok;

static long gnttab(unsigned cmd, void *op, unsigned count)
{
    return xen_hypercall(HYP_grant_table_op, cmd, (uintptr_t)op, count, 0, 0);
}

static void grant(uint32_t ref, void *page, uint16_t domid, uint16_t flags)
{
    gnt[ref].frame = (uint32_t)((uintptr_t)page >> 12);
    gnt[ref].domid = domid;
    __asm__ volatile("dmb ishst" ::: "memory");
    gnt[ref].flags = flags;
}

static volatile bool peer_ready; /* our first copy into the peer's grant went through */

void test_secondary(uint64_t context_id)
{
    __atomic_store_n(&secondary_ready, true, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&peer_ready, __ATOMIC_ACQUIRE))
        ;
    for (unsigned i = 0; i < ROUNDS; i++) {
        struct gnttab_map_grant_ref m = {
            .host_addr = (uintptr_t)map_here, .flags = GNTMAP_host_map, .ref = 9, .dom = peer};
        if (gnttab(GNTTABOP_map_grant_ref, &m, 1))
            test_fail("map hypercall failed");
        if (m.status != GNTST_okay)
            continue;
        struct gnttab_unmap_grant_ref u = {.host_addr = (uintptr_t)map_here, .handle = m.handle};
        if (gnttab(GNTTABOP_unmap_grant_ref, &u, 1) || u.status != GNTST_okay)
            test_fail("unmap of a mapped grant: status %d", u.status);
        maps_ok++;
    }
    __atomic_store_n(&secondary_done, true, __ATOMIC_RELEASE);
    for (;;)
        wfi();
}

static void setup(void)
{
    struct xen_add_to_physmap a = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = 0, .gpfn = WINDOW_GFN};
    long rc = memory_op(XENMEM_add_to_physmap, &a);
    if (rc)
        test_fail("add grant frame ret=%ld", rc);
    grant(8, inbox, peer, GTF_permit_access);
    grant(9, shown, peer, GTF_permit_access);
    for (unsigned i = 0; i < 64; i++)
        src[i] = (uint8_t)(i + peer);
}

static unsigned copies(void)
{
    unsigned ok = 0;
    struct gnttab_copy c = {.len = 64, .flags = GNTCOPY_dest_gref};
    c.source.u.gmfn = (uintptr_t)src >> 12;
    c.source.domid = DOMID_SELF;
    c.dest.u.ref = 8;
    c.dest.domid = peer;
    /* The peer may not have set its grants up yet: wait (20 s at most). */
    uint64_t t0 = cntvct();
    do {
        if (gnttab(GNTTABOP_copy, &c, 1))
            test_fail("copy hypercall failed");
        if (cntvct() - t0 > cntfrq() * 20)
            test_fail("d%u never granted: copy status %d", peer, c.status);
    } while (c.status != GNTST_okay);
    __atomic_store_n(&peer_ready, true, __ATOMIC_RELEASE);
    for (unsigned i = 0; i < ROUNDS; i++) {
        if (gnttab(GNTTABOP_copy, &c, 1))
            test_fail("copy hypercall failed");
        ok += c.status == GNTST_okay;
    }
    return ok;
}

void test_main(void)
{
    uint32_t port;
    peer = evtchn_alloc_unbound(1, 2, &port) == 0 ? 2 : 1;
    setup();
    long rc = psci_call(PSCI_CPU_ON64, plat.cpu_mpidr[1], (uintptr_t)secondary_entry, 0);
    if (rc)
        test_fail("CPU_ON ret=%ld", rc);
    while (!__atomic_load_n(&secondary_ready, __ATOMIC_ACQUIRE))
        ;
    unsigned copies_ok = copies();
    while (!__atomic_load_n(&secondary_done, __ATOMIC_ACQUIRE))
        ;
    if (copies_ok == 0 || maps_ok == 0)
        test_fail("nothing raced: copies=%u maps=%u", copies_ok, maps_ok);
    test_pass("peer=%u copies=%u maps=%u", peer, copies_ok, maps_ok);
}
