/*
 * xen_memory: reservation operations return exact extent counts.
 *  - decrease 4 RAM pages -> 4; again -> 0; [RAM, beyond-IPA GFN, RAM] -> 1
 *  - populate the 5 given back -> 5 and they are usable RAM again; one more
 *    (nothing left to give) -> 0
 *  - nr_extents 0, extent array at an unmapped VA, reservation at an unmapped
 *    VA, order 10 -> 0; current_reservation follows; memory_map -> -ENOSYS
 *  - 300 pages in one call each way (longer than one stretch of work: the
 *    hypervisor may continue the call), and a bad GFN at index 200 of 300
 *    stops the decrease there
 */
#include "xen_guest.h"

const char test_name[] = "xen_memory";

static uint64_t pages[6][512] __attribute__((aligned(4096)));
#define MANY 300
static uint64_t many[MANY][512] __attribute__((aligned(4096)));
static uint64_t many_gfns[MANY];

static void expect(const char *what, long got, long want)
{
    if (got != want)
        test_fail("%s ret=%ld expected=%ld", what, got, want);
}

static long resv(unsigned op, uint64_t *gfns, uint64_t n, unsigned order)
{
    struct xen_memory_reservation r = {.extent_start = (uintptr_t)gfns,
                                       .nr_extents = n,
                                       .extent_order = order,
                                       .domid = DOMID_SELF};
    return memory_op(op, &r);
}

static long cur_resv(void)
{
    uint16_t dom = DOMID_SELF;
    return memory_op(XENMEM_current_reservation, &dom);
}

void test_main(void)
{
    uint64_t g[6];
    for (int i = 0; i < 6; i++)
        g[i] = (uintptr_t)pages[i] >> 12;
    long before = cur_resv();
    if (before <= 0)
        test_fail("current_reservation=%ld", before);

    expect("decrease 4", resv(XENMEM_decrease_reservation, g, 4, 0), 4);
    expect("current after decrease", cur_resv(), before - 4);
    expect("decrease again", resv(XENMEM_decrease_reservation, g, 4, 0), 0);
    uint64_t mixed[3] = {g[4], 1ULL << 40, g[5]};
    expect("decrease [ram, bad, ram]", resv(XENMEM_decrease_reservation, mixed, 3, 0), 1);

    uint64_t back[5] = {g[0], g[1], g[2], g[3], g[4]};
    expect("populate 5", resv(XENMEM_populate_physmap, back, 5, 0), 5);
    for (int i = 0; i < 5; i++) {
        volatile uint64_t *p = (volatile uint64_t *)pages[i];
        p[7] = 0x1234567800ULL + (uint64_t)i;
        if (p[7] != 0x1234567800ULL + (uint64_t)i)
            test_fail("populated page %d does not hold data", i);
    }
    expect("current after populate", cur_resv(), before);
    uint64_t far = 1ULL << 40;
    expect("populate beyond IPA", resv(XENMEM_populate_physmap, &far, 1, 0), 0);

    expect("decrease 0 extents", resv(XENMEM_decrease_reservation, g, 0, 0), 0);
    expect("decrease from unmapped list",
           resv(XENMEM_decrease_reservation, (uint64_t *)GUEST_UNMAPPED_VA, 1, 0), 0);
    expect("reservation at unmapped VA",
           memory_op(XENMEM_decrease_reservation, (void *)GUEST_UNMAPPED_VA), 0);
    expect("decrease order 10", resv(XENMEM_decrease_reservation, g, 1, 10), 0);
    expect("memory_map", memory_op(XENMEM_memory_map, pages[5]), -XEN_ENOSYS);

    long now = cur_resv();
    for (int i = 0; i < MANY; i++)
        many_gfns[i] = (uintptr_t)many[i] >> 12;
    expect("decrease 300", resv(XENMEM_decrease_reservation, many_gfns, MANY, 0), MANY);
    expect("current after decrease 300", cur_resv(), now - MANY);
    expect("populate 300", resv(XENMEM_populate_physmap, many_gfns, MANY, 0), MANY);
    for (int i = 0; i < MANY; i++)
        many[i][511] = (uint64_t)i; /* usable RAM again */
    for (int i = 0; i < MANY; i++)
        if (many[i][511] != (uint64_t)i)
            test_fail("page %d of 300 lost its data", i);
    many_gfns[200] = 1ULL << 40; /* beyond the IPA space */
    expect("decrease 300, bad at 200", resv(XENMEM_decrease_reservation, many_gfns, MANY, 0), 200);
    many_gfns[200] = (uintptr_t)many[200] >> 12;
    expect("populate the 200", resv(XENMEM_populate_physmap, many_gfns, 200, 0), 200);
    expect("current back", cur_resv(), now);
    test_pass("counts=ok");
}
