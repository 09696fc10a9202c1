/*
 * hold_gntflush: an EL2-hold guest (beside `witness` on one pCPU). It grants
 * REFS of its own pages to itself and maps each of them MAPS_PER_REF times
 * (half read-only), so it holds REFS * MAPS_PER_REF maptrack handles, then
 * issues GNTTABOP_cache_flush for an address it neither owns nor maps, over
 * and over: a hypervisor that checks the address by scanning the maptrack
 * walks every handle per operation. The mappings reuse a window of WINDOW
 * GFNs outside its RAM, so its stage 2 stays small. Never ends; reports
 * `RUN maps=N` once and `RUN flushes=F` every second of counter time.
 */
#include "xen_guest.h"
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/xen.h>

const char test_name[] = "hold_gntflush";

#define HYP_memory_op 12
#define HYP_grant_table_op 20
#define GRANT_GFN 0x38000ull /* Xen's domU grant window */
#define FRAMES 16
#define REFS (FRAMES * 512)
#define MAPS_PER_REF 16
#define MAP_GFN 0x48000ull /* 128 MiB into bank 0: past its 64 MiB of RAM */
#define WINDOW 512
#define BATCH 256

static uint8_t pages[8][4096] __attribute__((aligned(4096)));
static struct gnttab_map_grant_ref ops[BATCH];
static struct grant_entry_v1 *gnt = (struct grant_entry_v1 *)(uintptr_t)(GRANT_GFN << 12);

static long gnttab(unsigned cmd, void *op, unsigned count)
{
    return xen_hypercall(HYP_grant_table_op, cmd, (uintptr_t)op, count, 0, 0);
}

static void setup_grants(uint16_t self)
{
    for (uint64_t f = 0; f < FRAMES; f++) {
        struct xen_add_to_physmap a = {
            .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = f, .gpfn = GRANT_GFN + f};
        long rc = xen_hypercall(HYP_memory_op, XENMEM_add_to_physmap, (uintptr_t)&a, 0, 0, 0);
        if (rc)
            test_fail("grant frame %llu rc=%ld", (unsigned long long)f, rc);
    }
    mmu_map_normal_2m(GRANT_GFN << 12);
    for (uint32_t ref = 0; ref < REFS; ref++) {
        gnt[ref].frame = (uint32_t)((uintptr_t)pages[ref % 8] >> 12);
        gnt[ref].domid = self;
        __asm__ volatile("dmb ishst" ::: "memory");
        gnt[ref].flags = GTF_permit_access;
    }
}

static uint32_t map_all(uint16_t self)
{
    uint32_t done = 0;
    for (uint32_t i = 0; i < REFS * MAPS_PER_REF; i += BATCH) {
        for (uint32_t j = 0; j < BATCH; j++) {
            uint32_t k = i + j;
            ops[j] = (struct gnttab_map_grant_ref){.host_addr = (MAP_GFN + k % WINDOW) << 12,
                                                   .flags = GNTMAP_host_map |
                                                            (k / REFS % 2 ? GNTMAP_readonly : 0),
                                                   .ref = k % REFS,
                                                   .dom = self};
        }
        long rc = gnttab(GNTTABOP_map_grant_ref, ops, BATCH);
        if (rc)
            test_fail("map_grant_ref rc=%ld after %u", rc, done);
        for (uint32_t j = 0; j < BATCH; j++) {
            if (ops[j].status != GNTST_okay)
                test_fail("map %u status=%d", i + j, ops[j].status);
            done++;
        }
    }
    return done;
}

void test_main(void)
{
    uint16_t self = xen_own_domid();
    setup_grants(self);
    uint32_t maps = map_all(self);
    test_run("attacking maps=%u", maps);
    /* Page 0x1000 is nobody's RAM, grant frame or mapping: -EINVAL after
     * the whole check. Counted in the hypervisor's favour either way. */
    struct gnttab_cache_flush cf = {.offset = 0, .length = 64, .op = GNTTAB_CACHE_CLEAN};
    cf.a.dev_bus_addr = 0x1000;
    uint64_t freq = cntfrq(), next = cntvct() + freq;
    for (uint64_t flushes = 1;; flushes++) {
        long rc = gnttab(GNTTABOP_cache_flush, &cf, 1);
        if (rc >= 0)
            test_fail("cache_flush of a foreign address rc=%ld", rc);
        if (cntvct() >= next) {
            test_run("flushes=%llu rc=%ld", (unsigned long long)flushes, rc);
            next += freq;
        }
    }
}
