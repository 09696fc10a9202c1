/*
 * exhaust_gnttab: grows its grant table to the maximum and fills its
 * maptrack, twice (tests/integration/test_exhaustion.py):
 *  - grant frames: XENMEM_add_to_physmap(grant_table) of frame 0, 1, ...
 *    at consecutive GFNs of the grant window until refused: -EINVAL at Xen's
 *    limit; then GNTTABOP_setup_table for that many frames is okay, one more
 *    is GNTST_general_error, query_size says nr_frames = max_nr_frames
 *  - maptrack: every entry of every frame grants one of 8 own pages to
 *    itself; map_grant_ref of the entries in turn (several times each, the
 *    mappings reusing a window of GFNs past its RAM) until a map is refused
 *    for want of a maptrack handle: GNTST_no_space (Xen 4.17 after 262143
 *    maps with one vCPU, Cloison after 262144; older Xen said no_device_space);
 *    hold them `hold_ms` (default 500) while more maps keep being refused,
 *    unmap the last WINDOW of them (okay each: the latest mapping at each
 *    GFN, which a hypervisor checks before it unmaps), map again until
 *    refused: exactly WINDOW more, refused the same way
 * PASS frames=F maps=M status=S (then power-off: the test restarts the
 * domain, which must get the same F and M again; the restart is what frees
 * the rest). Needs `xen,enhanced`.
 */
#include "xen_guest.h"
#include <public/grant_table.h>

const char test_name[] = "exhaust_gnttab";

#define GRANT_GFN 0x38000ull /* Xen's domU grant window (32 MiB) */
#define MAX_FRAMES 4096      /* give up there: the window ends at 8192 */
#define MAP_GFN 0x48000ull   /* 128 MiB into bank 0: past its 64 MiB of RAM */
#define WINDOW 512
#define BATCH 256
#define MAX_MAPS (1u << 19) /* 2x Xen's default maptrack (1024 frames x 256) */
#define FIRST_REF GNTTAB_NR_RESERVED_ENTRIES

static uint8_t pages[8][4096] __attribute__((aligned(4096)));
static struct gnttab_map_grant_ref ops[BATCH];
static struct gnttab_unmap_grant_ref unops[BATCH];
static uint32_t handles[MAX_MAPS];
static struct grant_entry_v1 *const gnt = (struct grant_entry_v1 *)(uintptr_t)(GRANT_GFN << 12);
static uint16_t self;
static uint32_t nr_refs;

static long gnttab(unsigned cmd, void *op, unsigned count)
{
    return xen_hypercall(__HYPERVISOR_grant_table_op, cmd, (uintptr_t)op, count, 0, 0);
}

static uint32_t grow_frames(void)
{
    uint32_t f;
    long rc = 0;
    for (f = 0; f < MAX_FRAMES; f++) {
        struct xen_add_to_physmap a = {
            .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = f, .gpfn = GRANT_GFN + f};
        if ((rc = memory_op(XENMEM_add_to_physmap, &a)) != 0)
            break;
    }
    if (rc != -XEN_EINVAL)
        test_fail("grant frame %u refused with %ld, expected -EINVAL", f, rc);
    static xen_pfn_t list[MAX_FRAMES + 1];
    struct gnttab_setup_table s = {.dom = DOMID_SELF, .nr_frames = f};
    s.frame_list = (uintptr_t)list;
    if (gnttab(GNTTABOP_setup_table, &s, 1) || s.status != GNTST_okay)
        test_fail("setup_table(%u) status=%d", f, s.status);
    s.nr_frames = f + 1;
    if (gnttab(GNTTABOP_setup_table, &s, 1) || s.status != GNTST_general_error)
        test_fail("setup_table(%u) status=%d, expected general_error", f + 1, s.status);
    struct gnttab_query_size q = {.dom = DOMID_SELF};
    if (gnttab(GNTTABOP_query_size, &q, 1) || q.nr_frames != f || q.max_nr_frames != f)
        test_fail("query_size: nr_frames=%u max=%u after %u", q.nr_frames, q.max_nr_frames, f);
    return f;
}

static void grant_all(uint32_t frames)
{
    mmu_map_normal_2m(GRANT_GFN << 12);
    if (frames > 512)
        test_fail("%u grant frames do not fit the 2 MiB mapped", frames);
    nr_refs = frames * (4096 / sizeof(struct grant_entry_v1));
    for (uint32_t ref = FIRST_REF; ref < nr_refs; ref++) {
        gnt[ref].frame = (uint32_t)((uintptr_t)pages[ref % 8] >> 12);
        gnt[ref].domid = self;
        __asm__ volatile("dmb ishst" ::: "memory");
        gnt[ref].flags = GTF_permit_access;
    }
}

static uint64_t map_addr(uint32_t k)
{
    return (MAP_GFN + k % WINDOW) << 12;
}

/* Maps from map number `done` on until one is refused; returns how many
 * exist then, *status = the refusal. */
static uint32_t map_until_full(uint32_t done, int16_t *status)
{
    uint32_t span = nr_refs - FIRST_REF;
    while (done < MAX_MAPS) {
        for (uint32_t j = 0; j < BATCH; j++) {
            uint32_t k = done + j;
            ops[j] = (struct gnttab_map_grant_ref){.host_addr = map_addr(k),
                                                   .flags = GNTMAP_host_map |
                                                            (k / span % 2 ? GNTMAP_readonly : 0),
                                                   .ref = FIRST_REF + k % span,
                                                   .dom = self};
        }
        long rc = gnttab(GNTTABOP_map_grant_ref, ops, BATCH);
        if (rc)
            test_fail("map_grant_ref rc=%ld after %u maps", rc, done);
        for (uint32_t j = 0; j < BATCH; j++) {
            if (ops[j].status != GNTST_okay) {
                *status = ops[j].status;
                /* Later ones in the batch must be refused too (none freed meanwhile). */
                for (uint32_t i = j + 1; i < BATCH; i++)
                    if (ops[i].status == GNTST_okay)
                        test_fail("map %u okay after map %u refused", done + i - j, done);
                return done;
            }
            handles[done++] = ops[j].handle;
        }
    }
    test_fail("no maptrack limit after %u maps", done);
}

/* Unmaps maps [from, n): the latest at their GFNs if n - from <= WINDOW. */
static void unmap_range(uint32_t from, uint32_t n)
{
    for (uint32_t i = from; i < n; i += BATCH) {
        uint32_t c = n - i < BATCH ? n - i : BATCH;
        for (uint32_t j = 0; j < c; j++)
            unops[j] = (struct gnttab_unmap_grant_ref){.host_addr = map_addr(i + j),
                                                       .handle = handles[i + j]};
        long rc = gnttab(GNTTABOP_unmap_grant_ref, unops, c);
        if (rc)
            test_fail("unmap_grant_ref rc=%ld at %u", rc, i);
        for (uint32_t j = 0; j < c; j++)
            if (unops[j].status != GNTST_okay)
                test_fail("unmap %u (handle %u) status=%d", i + j, handles[i + j], unops[j].status);
    }
}

static void hold(int16_t status)
{
    uint64_t end = cntvct() + cntfrq() / 1000 * bootarg_uint("hold_ms", 500);
    while (cntvct() < end) {
        struct gnttab_map_grant_ref m = {
            .host_addr = map_addr(0), .flags = GNTMAP_host_map, .ref = FIRST_REF, .dom = self};
        if (gnttab(GNTTABOP_map_grant_ref, &m, 1) || m.status != status)
            test_fail("full maptrack: map status=%d, expected %d", m.status, status);
    }
}

void test_main(void)
{
    self = xen_own_domid();
    uint32_t frames = grow_frames();
    grant_all(frames);
    int16_t st1, st2;
    uint32_t n1 = map_until_full(0, &st1);
    if (st1 != GNTST_no_space)
        test_fail("map %u refused with status %d, expected no_space (%d)", n1, st1, GNTST_no_space);
    test_run("full frames=%u maps=%u status=%d", frames, n1, st1);
    hold(st1);
    if (n1 < WINDOW)
        test_fail("only %u maps", n1);
    unmap_range(n1 - WINDOW, n1);
    uint32_t n2 = map_until_full(n1 - WINDOW, &st2);
    if (n2 != n1 || st2 != st1)
        test_fail("refill: %u maps (status %d), first %u (status %d)", n2, st2, n1, st1);
    test_pass("frames=%u maps=%u status=%d", frames, n1, st1);
}
