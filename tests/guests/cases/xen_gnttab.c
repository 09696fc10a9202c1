/*
 * xen_gnttab: grant tables v1 as Xen 4.17 answers them, checked from a domU
 * that grants pages to itself:
 *  - query_size (DOMID_SELF and by number: the own domid is the first one
 *    answering okay; others give bad_domain), set_version 1/2/0, get_version
 *  - XENMEM_add_to_physmap(grant_table): frames 0 and 1 into the grant
 *    window, frame 64 and a v2 status frame refused, a mapped frame not
 *    mapped again (-EBUSY), setup_table's frame list
 *  - map_grant_ref of an own page at another GFN: data visible both ways,
 *    GTF_reading|GTF_writing set while mapped and cleared after unmap; a
 *    read-only mapping reads the page; after unmap the GFN is a hole
 *  - error statuses: flags, domains (DOMID_SELF is not accepted by map),
 *    refs, grantee, read-only grant, frame outside RAM, cache attributes,
 *    handles, host addresses
 *  - GNTTABOP_copy between a frame and a grant, bounds and permissions
 *  - hypercall-level errors: unknown ops, continuation bits, counts, -EFAULT
 *  - 1000 unmaps of unknown handles in one call: every status is bad_handle
 *    (the hypervisor may split the array into continuations; one call here)
 */
#include "guest.h"
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/xen.h>

const char test_name[] = "xen_gnttab";

#define HYP_memory_op 12
#define HYP_grant_table_op 20
#define WINDOW_GFN 0x38000ull
#define ENOSYS_ 38
#define EINVAL_ 22
#define EFAULT_ 14

static uint8_t src_page[4096] __attribute__((aligned(4096)));
static uint8_t target[4096] __attribute__((aligned(4096)));
static uint8_t target_ro[4096] __attribute__((aligned(4096)));
static uint8_t spare[4096] __attribute__((aligned(4096)));
static struct grant_entry_v1 *gnt = (struct grant_entry_v1 *)(uintptr_t)(WINDOW_GFN << 12);
static uint16_t self;

static void expect(const char *what, long got, long want)
{
    if (got != want)
        test_fail("%s got=%ld expected=%ld", what, got, want);
}

static long gnttab(unsigned cmd, void *op, unsigned count)
{
    return xen_hypercall(HYP_grant_table_op, cmd, (uintptr_t)op, count, 0, 0);
}

static int16_t query(uint16_t dom, struct gnttab_query_size *q)
{
    *q = (struct gnttab_query_size){.dom = dom};
    expect("query_size rc", gnttab(GNTTABOP_query_size, q, 1), 0);
    return q->status;
}

static long add_frame(uint64_t idx, uint64_t gfn)
{
    struct xen_add_to_physmap a = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = idx, .gpfn = gfn};
    return xen_hypercall(HYP_memory_op, XENMEM_add_to_physmap, (uintptr_t)&a, 0, 0, 0);
}

static void grant(uint32_t ref, uint64_t gfn, uint16_t domid, uint16_t flags)
{
    gnt[ref].frame = (uint32_t)gfn;
    gnt[ref].domid = domid;
    __asm__ volatile("dmb ishst" ::: "memory");
    gnt[ref].flags = flags;
}

static struct gnttab_map_grant_ref map(uint32_t ref, uint16_t dom, uint32_t flags, void *where)
{
    struct gnttab_map_grant_ref m = {
        .host_addr = (uintptr_t)where, .flags = flags, .ref = ref, .dom = dom};
    expect("map rc", gnttab(GNTTABOP_map_grant_ref, &m, 1), 0);
    return m;
}

static int16_t unmap(uint32_t handle, void *where)
{
    struct gnttab_unmap_grant_ref u = {.host_addr = (uintptr_t)where, .handle = handle};
    expect("unmap rc", gnttab(GNTTABOP_unmap_grant_ref, &u, 1), 0);
    return u.status;
}

static bool access_faults(volatile uint8_t *p, bool write)
{
    struct trap_record rec;
    trap_expect(&rec);
    if (write)
        *p = 0x5a;
    else
        (void)*p;
    /* The handler writes rec behind the compiler's back. */
    __asm__ volatile("" ::: "memory");
    if (rec.taken && ESR_EC(rec.esr) != 0x25)
        gprintf("unexpected exception esr=0x%llx far=0x%llx\n", (unsigned long long)rec.esr,
                (unsigned long long)rec.far);
    return rec.taken && ESR_EC(rec.esr) == 0x25;
}

static int16_t copy(uint64_t src, uint16_t sdom, uint16_t soff, uint64_t dst, uint16_t ddom,
                    uint16_t doff, uint16_t len, uint16_t flags)
{
    struct gnttab_copy c = {.len = len, .flags = flags};
    c.source.u.gmfn = src;
    c.source.domid = sdom;
    c.source.offset = soff;
    c.dest.u.gmfn = dst;
    c.dest.domid = ddom;
    c.dest.offset = doff;
    expect("copy rc", gnttab(GNTTABOP_copy, &c, 1), 0);
    return c.status;
}

static void basics(struct gnttab_query_size *q)
{
    expect("query_size(self)", query(DOMID_SELF, q), GNTST_okay);
    uint32_t nr = q->nr_frames, max = q->max_nr_frames;
    expect("initial nr_frames", nr, 1);
    expect("max_nr_frames", max, 64);
    self = 0xffff;
    for (uint16_t dom = 0; dom < 8 && self == 0xffff; dom++)
        if (query(dom, q) == GNTST_okay)
            self = dom;
    if (self == 0xffff)
        test_fail("no domid answers query_size");
    expect("query_size(domid 0x7fef)", query(0x7fef, q), GNTST_bad_domain);
    expect("query_size count 0", gnttab(GNTTABOP_query_size, q, 0), -EINVAL_);
    expect("query_size efault", gnttab(GNTTABOP_query_size, (void *)GUEST_UNMAPPED_VA, 1),
           -EFAULT_);

    struct gnttab_set_version sv = {.version = 1};
    expect("set_version 1", gnttab(GNTTABOP_set_version, &sv, 1), 0);
    sv.version = 2;
    expect("set_version 2", gnttab(GNTTABOP_set_version, &sv, 1), -ENOSYS_);
    expect("set_version 2 writes back", sv.version, 1);
    sv.version = 0;
    expect("set_version 0", gnttab(GNTTABOP_set_version, &sv, 1), -EINVAL_);
    struct gnttab_get_version gv = {.dom = DOMID_SELF};
    expect("get_version", gnttab(GNTTABOP_get_version, &gv, 1), 0);
    expect("version", gv.version, 1);
    expect("dump_table", gnttab(GNTTABOP_dump_table, q, 1), -ENOSYS_);
    expect("op 13", gnttab(13, q, 1), -ENOSYS_);
    expect("map with continuation bits", gnttab(GNTTABOP_map_grant_ref | (1u << 12), q, 1),
           -EINVAL_);
    expect("negative count", gnttab(GNTTABOP_map_grant_ref, q, 0x80000000u), -EINVAL_);
}

static void frames(struct gnttab_query_size *q)
{
    expect("add frame 0", add_frame(0, WINDOW_GFN), 0);
    expect("add frame 1 (grows)", add_frame(1, WINDOW_GFN + 1), 0);
    query(DOMID_SELF, q);
    expect("nr_frames after growth", q->nr_frames, 2);
    expect("add frame 64", add_frame(64, WINDOW_GFN + 64), -EINVAL_);
    expect("add status frame", add_frame(XENMAPIDX_grant_table_status, WINDOW_GFN + 5), -EINVAL_);
    /* Xen 4.17: a mapped frame must be removed before it is mapped again. */
    expect("move frame 1", add_frame(1, WINDOW_GFN + 2), -16);
    expect("remap frame 1 in place", add_frame(1, WINDOW_GFN + 1), -16);
    uint64_t fl[2] = {0, 0};
    struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 2, .frame_list = (uintptr_t)fl};
    expect("setup_table rc", gnttab(GNTTABOP_setup_table, &st, 1), 0);
    expect("setup_table status", st.status, GNTST_okay);
    expect("setup_table frame 0", (long)fl[0], (long)WINDOW_GFN);
    expect("setup_table frame 1", (long)fl[1], (long)WINDOW_GFN + 1);
    st.nr_frames = 65;
    gnttab(GNTTABOP_setup_table, &st, 1);
    expect("setup_table 65 frames", st.status, GNTST_general_error);
    expect("setup_table count 2", gnttab(GNTTABOP_setup_table, &st, 2), -EINVAL_);
    mmu_map_normal_2m(WINDOW_GFN << 12);
}

static void mapping(void)
{
    uint64_t src_gfn = (uintptr_t)src_page >> 12;
    for (int i = 0; i < 4096; i++)
        src_page[i] = (uint8_t)(i * 7 + 1);
    grant(8, src_gfn, self, GTF_permit_access);
    struct gnttab_map_grant_ref m = map(8, self, GNTMAP_host_map, target);
    expect("map status", m.status, GNTST_okay);
    expect("flags while mapped", gnt[8].flags, GTF_permit_access | GTF_reading | GTF_writing);
    for (int i = 0; i < 4096; i++)
        if (((volatile uint8_t *)target)[i] != src_page[i])
            test_fail("mapped page differs at %d", i);
    *(volatile uint8_t *)&target[10] = 0xee;
    /* volatile: the compiler cannot know target and src_page alias */
    expect("write through mapping", *(volatile uint8_t *)&src_page[10], 0xee);

    struct gnttab_map_grant_ref r = map(8, self, GNTMAP_host_map | GNTMAP_readonly, target_ro);
    expect("map readonly status", r.status, GNTST_okay);
    expect("readonly read", *(volatile uint8_t *)&target_ro[10], 0xee);
    /* No write through it: Xen 4.17 neither completes nor reports such a
     * write (the vCPU retries the faulting store forever); Cloison injects a
     * data abort. Not a parity point. */
    expect("unmap wrong host_addr", unmap(m.handle, spare), GNTST_general_error);
    expect("unmap", unmap(m.handle, target), GNTST_okay);
    expect("unmap again", unmap(m.handle, target), GNTST_bad_handle);
    expect("flags with a read-only mapping", gnt[8].flags, GTF_permit_access | GTF_reading);
    expect("unmap readonly", unmap(r.handle, target_ro), GNTST_okay);
    expect("flags after unmap", gnt[8].flags, GTF_permit_access);
    expect("unmap handle 0xffff", unmap(0xffff, target), GNTST_bad_handle);
    if (!access_faults(&target[0], false))
        test_fail("unmapped GFN still readable");
}

static void map_errors(void)
{
    uint64_t src_gfn = (uintptr_t)src_page >> 12;
    grant(10, src_gfn, (uint16_t)(self + 1), GTF_permit_access);
    grant(11, src_gfn, self, GTF_permit_access | GTF_readonly);
    grant(12, GUEST_HOLE_IPA >> 12, self, GTF_permit_access);
    grant(13, src_gfn, self, GTF_permit_access | GTF_PAT);
    struct {
        const char *what;
        uint32_t ref;
        uint16_t dom;
        uint32_t flags;
        int16_t want;
    } cases[] = {
        {"flags 0", 8, self, 0, GNTST_bad_gntref},
        {"device_map", 8, self, GNTMAP_host_map | GNTMAP_device_map, GNTST_general_error},
        {"application_map", 8, self, GNTMAP_host_map | GNTMAP_application_map, GNTST_general_error},
        {"DOMID_SELF", 8, DOMID_SELF, GNTMAP_host_map, GNTST_bad_domain},
        {"domid 0x7fef", 8, 0x7fef, GNTMAP_host_map, GNTST_bad_domain},
        {"ref beyond table", 0x0fffffff, self, GNTMAP_host_map, GNTST_bad_gntref},
        {"invalid entry", 9, self, GNTMAP_host_map, GNTST_general_error},
        {"other grantee", 10, self, GNTMAP_host_map, GNTST_general_error},
        {"rw map of ro grant", 11, self, GNTMAP_host_map, GNTST_general_error},
        {"frame outside RAM", 12, self, GNTMAP_host_map, GNTST_bad_page},
        {"unknown flag bit", 8, self, GNTMAP_host_map | (1u << 8), GNTST_general_error},
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct gnttab_map_grant_ref m = map(cases[i].ref, cases[i].dom, cases[i].flags, spare);
        expect(cases[i].what, m.status, cases[i].want);
    }
    expect("flags untouched by failures", gnt[8].flags, GTF_permit_access);
    expect("ro grant untouched", gnt[11].flags, GTF_permit_access | GTF_readonly);
    /* x86 cache attributes in the entry are ignored for RAM. */
    struct gnttab_map_grant_ref m = map(13, self, GNTMAP_host_map, spare);
    expect("cache attributes", m.status, GNTST_okay);
    expect("unmap cache attributes", unmap(m.handle, spare), GNTST_okay);
    m = map(11, self, GNTMAP_host_map | GNTMAP_readonly, spare);
    expect("ro map of ro grant", m.status, GNTST_okay);
    expect("unmap ro grant", unmap(m.handle, spare), GNTST_okay);
}

static void copying(void)
{
    uint64_t src_gfn = (uintptr_t)src_page >> 12, dst_gfn = (uintptr_t)target_ro >> 12;
    static uint8_t dst_page[4096] __attribute__((aligned(4096)));
    grant(14, (uintptr_t)dst_page >> 12, self, GTF_permit_access);
    expect("copy frame->gref", copy(src_gfn, DOMID_SELF, 100, 14, self, 200, 50, GNTCOPY_dest_gref),
           GNTST_okay);
    for (int i = 0; i < 50; i++)
        if (((volatile uint8_t *)dst_page)[200 + i] != src_page[100 + i])
            test_fail("copied byte %d differs", i);
    expect("flags after copy", gnt[14].flags, GTF_permit_access);
    expect("copy gref->gref",
           copy(8, self, 0, 14, self, 0, 4096, GNTCOPY_source_gref | GNTCOPY_dest_gref),
           GNTST_okay);
    if (((volatile uint8_t *)dst_page)[4095] != ((volatile uint8_t *)src_page)[4095])
        test_fail("gref copy differs");
    expect("copy beyond page", copy(src_gfn, DOMID_SELF, 4000, 14, self, 0, 200, GNTCOPY_dest_gref),
           GNTST_bad_copy_arg);
    expect("copy frame by number", copy(src_gfn, self, 0, 14, self, 0, 8, GNTCOPY_dest_gref),
           GNTST_permission_denied);
    expect("copy from hole",
           copy(GUEST_HOLE_IPA >> 12, DOMID_SELF, 0, 14, self, 0, 8, GNTCOPY_dest_gref),
           GNTST_bad_page);
    expect("copy to bad gref",
           copy(src_gfn, DOMID_SELF, 0, 0x0fffffff, self, 0, 8, GNTCOPY_dest_gref),
           GNTST_bad_gntref);
    expect("copy to ro grant", copy(src_gfn, DOMID_SELF, 0, 11, self, 0, 8, GNTCOPY_dest_gref),
           GNTST_general_error);
    expect("copy bad domain", copy(src_gfn, DOMID_SELF, 0, 14, 0x7fef, 0, 8, GNTCOPY_dest_gref),
           GNTST_bad_domain);
    (void)dst_gfn;
    struct gnttab_cache_flush cf = {.op = 0};
    expect("cache_flush noop", gnttab(GNTTABOP_cache_flush, &cf, 1), 0);
    cf.offset = 4096;
    expect("cache_flush offset", gnttab(GNTTABOP_cache_flush, &cf, 1), -EINVAL_);
}

static void long_array(void)
{
    static struct gnttab_unmap_grant_ref u[1000];
    for (int i = 0; i < 1000; i++)
        u[i] = (struct gnttab_unmap_grant_ref){.host_addr = 0, .handle = 0x70000 + i, .status = 99};
    expect("unmap x1000 rc", gnttab(GNTTABOP_unmap_grant_ref, u, 1000), 0);
    for (int i = 0; i < 1000; i++)
        if (u[i].status != GNTST_bad_handle)
            test_fail("unmap x1000: element %d status=%d", i, u[i].status);
}

void test_main(void)
{
    struct gnttab_query_size q;
    basics(&q);
    frames(&q);
    mapping();
    map_errors();
    copying();
    long_array();
    test_pass("domid=%u nr_frames=1 max_frames=64 map=ok ro=ok copy=ok errors=ok", self);
}
