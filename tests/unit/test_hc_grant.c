/*
 * grant_table_op (xen/hc_grant_table.c) over the real grant tables: the
 * request-level checks (-EINVAL for a negative count or stray continuation
 * bits, -ENOSYS for unknown commands), each array element copied in and
 * back as Xen does (the whole struct for map, the status field otherwise),
 * 128 elements per call with the rest as a continuation, and -EFAULT
 * stopping an array where it stops being readable.
 */
#include "harness.h"
#include "hc_util.h"
#include <stddef.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <xen/grant.h>
#include <public/grant_table.h>
#include <public/memory.h>

#define GNT __HYPERVISOR_grant_table_op
#define TABLE_GFN 0x38000ULL       /* where the granter maps its grant frame 0 */
#define MAP_AT 0x50000000ULL       /* where the mapper puts the granted page */
#define GRANTED (FAKE_RAM_GFN + 6) /* the granter's page */

static struct domain *d0, *d1, *d2;

static void world(void)
{
    fake_world_reset();
    d0 = fake_domain(0, FAKE_XEN | FAKE_PRIV, 1);
    d1 = fake_domain(1, FAKE_XEN, 1);
    d2 = fake_domain(2, FAKE_XEN, 1);
}

/* The granter's entry `ref`, as the guest writes it through its mapping of
 * grant frame 0 (which is not its RAM: not reachable by copies). */
static struct grant_entry_v1 *entry(struct domain *d, grant_ref_t ref)
{
    paddr_t pa;
    enum p2m_type t;
    if (!p2m_lookup(&d->p2m, TABLE_GFN << PAGE_SHIFT, &pa, &t))
        return NULL;
    return (struct grant_entry_v1 *)phys_to_virt(pa) + ref;
}

static void grant(struct domain *d, grant_ref_t ref, uint16_t to, uint64_t gfn, uint16_t flags)
{
    struct xen_add_to_physmap x = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = 0, .gpfn = TABLE_GFN};
    if (!entry(d, 0)) {
        put(d, ARG3, &x, sizeof(x));
        CHECK_EQ(
            fake_hypercall(vcpu0(d), __HYPERVISOR_memory_op, XENMEM_add_to_physmap, ARG3, 0, 0, 0),
            0);
    }
    struct grant_entry_v1 *e = entry(d, ref);
    e->domid = to;
    e->frame = (uint32_t)gfn;
    e->flags = flags;
}

static int64_t gnt(struct domain *d, uint64_t cmd, void *ops, size_t size, uint32_t count)
{
    put(d, ARG, ops, size * count);
    int64_t rc = fake_hypercall(vcpu0(d), GNT, cmd, ARG, count, 0, 0);
    get(d, ARG, ops, size * count);
    return rc;
}

TEST(request_checks_come_first)
{
    world();
    struct gnttab_query_size q = {.dom = DOMID_SELF};
    put(d1, ARG, &q, sizeof(q));
    struct vcpu *v = vcpu0(d1);
    CHECK(fails_clean(v, GNT, GNTTABOP_query_size, ARG, 0x80000000u, -EINVAL));
    CHECK(fails_clean(v, GNT, GNTTABOP_copy, ARG, 0xffffffffu, -EINVAL));
    CHECK(fails_clean(v, GNT, GNTTABOP_map_grant_ref | (1u << 12), ARG, 1, -EINVAL));
    CHECK(fails_clean(v, GNT, GNTTABOP_query_size | (5u << 12), ARG, 1, -EINVAL));
    CHECK(fails_clean(v, GNT, GNTTABOP_dump_table, ARG, 1, -ENOSYS));
    CHECK(fails_clean(v, GNT, GNTTABOP_cache_flush + 1, ARG, 1, -ENOSYS));
    CHECK(fails_clean(v, GNT, GNTTABOP_CMD_MASK, ARG, 1, -ENOSYS));
    /* The single-struct commands take exactly one. */
    CHECK(fails_clean(v, GNT, GNTTABOP_query_size, ARG, 2, -EINVAL));
    CHECK(fails_clean(v, GNT, GNTTABOP_setup_table, ARG, 0, -EINVAL));
    CHECK(fails_clean(v, GNT, GNTTABOP_get_status_frames, ARG, 2, -EINVAL));
    /* ... which must be readable. */
    CHECK(fails_clean(v, GNT, GNTTABOP_query_size, BAD_VA, 1, -EFAULT));
    CHECK(fails_clean(v, GNT, GNTTABOP_setup_table, BAD_VA, 1, -EFAULT));
    CHECK(fails_clean(v, GNT, GNTTABOP_set_version, BAD_VA, 1, -EFAULT));
    CHECK(fails_clean(v, GNT, GNTTABOP_get_version, BAD_VA, 1, -EFAULT));
    CHECK(fails_clean(v, GNT, GNTTABOP_get_status_frames, BAD_VA, 1, -EFAULT));
    /* An empty array is done at once, wherever it points. */
    CHECK(fails_clean(v, GNT, GNTTABOP_copy, BAD_VA, 0, 0));
    CHECK(fails_clean(v, GNT, GNTTABOP_map_grant_ref, BAD_VA, 0, 0));
}

TEST(query_and_setup_copy_back_what_xen_does)
{
    world();
    struct gnttab_query_size q = {.dom = DOMID_SELF, .nr_frames = 77};
    CHECK_EQ(gnt(d1, GNTTABOP_query_size, &q, sizeof(q), 1), 0);
    CHECK_EQ(q.status, GNTST_okay);
    CHECK_EQ(q.nr_frames, 1);
    CHECK_EQ(q.max_nr_frames, 64);
    q = (struct gnttab_query_size){.dom = 2};
    CHECK_EQ(gnt(d1, GNTTABOP_query_size, &q, sizeof(q), 1), 0);
    CHECK_EQ(q.status, GNTST_permission_denied);

    /* setup_table: the frame list (unmapped frames read as invalid) and the
     * status; nothing else of the struct. */
    grant(d1, 1, 2, GRANTED, GTF_permit_access); /* frame 0 mapped at TABLE_GFN */
    uint64_t fl[3] = {1, 2, 3};
    put(d1, ARG2, fl, sizeof(fl));
    struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 2, .frame_list = ARG2};
    CHECK_EQ(gnt(d1, GNTTABOP_setup_table, &st, sizeof(st), 1), 0);
    CHECK_EQ(st.status, GNTST_okay);
    CHECK_EQ(st.nr_frames, 2);
    get(d1, ARG2, fl, sizeof(fl));
    CHECK_EQ(fl[0], TABLE_GFN);
    CHECK_EQ(fl[1], GNTTAB_GFN_INVALID);
    CHECK_EQ(fl[2], 3); /* beyond nr_frames */
    st = (struct gnttab_setup_table){.dom = DOMID_SELF, .nr_frames = 1, .frame_list = BAD_VA};
    CHECK_EQ(gnt(d1, GNTTABOP_setup_table, &st, sizeof(st), 1), 0);
    CHECK_EQ(st.status, GNTST_bad_virt_addr);
    st = (struct gnttab_setup_table){.dom = DOMID_SELF, .nr_frames = 65, .frame_list = ARG2};
    CHECK_EQ(gnt(d1, GNTTABOP_setup_table, &st, sizeof(st), 1), 0);
    CHECK_EQ(st.status, GNTST_general_error);
    st = (struct gnttab_setup_table){.dom = 7, .nr_frames = 1, .frame_list = ARG2};
    CHECK_EQ(gnt(d1, GNTTABOP_setup_table, &st, sizeof(st), 1), 0);
    CHECK_EQ(st.status, GNTST_bad_domain);
    CHECK(quiet());
}

TEST(versions)
{
    world();
    struct gnttab_set_version sv = {.version = 2};
    CHECK_EQ(gnt(d1, GNTTABOP_set_version, &sv, sizeof(sv), 1), -ENOSYS);
    CHECK_EQ(sv.version, 1); /* written back even then, as Xen */
    sv.version = 0;
    CHECK_EQ(gnt(d1, GNTTABOP_set_version, &sv, sizeof(sv), 1), -EINVAL);
    sv.version = 1;
    CHECK_EQ(gnt(d1, GNTTABOP_set_version, &sv, sizeof(sv), 1), 0);
    struct gnttab_get_version gv = {.dom = DOMID_SELF, .pad = 0x1234};
    CHECK_EQ(gnt(d1, GNTTABOP_get_version, &gv, sizeof(gv), 1), 0);
    CHECK_EQ(gv.version, 1);
    CHECK_EQ(gv.pad, 0x1234);
    gv = (struct gnttab_get_version){.dom = 0};
    put(d1, ARG, &gv, sizeof(gv));
    CHECK(fails_clean(vcpu0(d1), GNT, GNTTABOP_get_version, ARG, 1, -EPERM));
    gv.dom = 9;
    put(d1, ARG, &gv, sizeof(gv));
    CHECK(fails_clean(vcpu0(d1), GNT, GNTTABOP_get_version, ARG, 1, -ESRCH));
    gv.dom = 1;
    CHECK_EQ(gnt(d0, GNTTABOP_get_version, &gv, sizeof(gv), 1), 0); /* dom0 asks about d1 */
    CHECK_EQ(gv.version, 1);
    struct gnttab_get_status_frames gs = {.nr_frames = 1, .dom = DOMID_SELF};
    CHECK_EQ(gnt(d1, GNTTABOP_get_status_frames, &gs, sizeof(gs), 1), 0);
    CHECK_EQ(gs.status, GNTST_general_error); /* v1 has none */
    CHECK(quiet());
}

TEST(map_and_unmap_through_the_decoder)
{
    world();
    grant(d1, 5, 2, GRANTED, GTF_permit_access);
    *(uint64_t *)fake_gva(d1, GRANTED << PAGE_SHIFT) = 0x1122334455667788ULL;

    struct gnttab_map_grant_ref m = {
        .host_addr = MAP_AT, .flags = GNTMAP_host_map, .ref = 5, .dom = 1, .handle = 0x7777};
    CHECK_EQ(gnt(d2, GNTTABOP_map_grant_ref, &m, sizeof(m), 1), 0);
    CHECK_EQ(m.status, GNTST_okay);
    CHECK_EQ(m.handle, 0);
    CHECK_EQ(m.host_addr, MAP_AT);
    CHECK(m.dev_bus_addr != 0);
    CHECK_EQ(entry(d1, 5)->flags, GTF_permit_access | GTF_reading | GTF_writing);
    paddr_t pa;
    enum p2m_type t;
    CHECK(p2m_lookup(&d2->p2m, MAP_AT, &pa, &t));
    CHECK_EQ(*(uint64_t *)phys_to_virt(pa), 0x1122334455667788ULL);
    /* The granted page is not the mapper's RAM: no hypercall argument there. */
    CHECK(fake_gva(d2, MAP_AT) == NULL);

    /* A grant for someone else, a ref beyond the table: per-op status. */
    struct gnttab_map_grant_ref bad[2] = {
        {.host_addr = MAP_AT + 4096, .flags = GNTMAP_host_map, .ref = 5, .dom = 1},
        {.host_addr = MAP_AT + 4096, .flags = GNTMAP_host_map, .ref = 512, .dom = 1}};
    CHECK_EQ(gnt(d0, GNTTABOP_map_grant_ref, bad, sizeof(bad[0]), 2), 0);
    CHECK_EQ(bad[0].status, GNTST_general_error);
    CHECK_EQ(bad[1].status, GNTST_bad_gntref);

    /* Outside the IPA space: Xen/ARM's general error, the grant left unpinned. */
    struct gnttab_map_grant_ref far = {
        .host_addr = 1ULL << FAKE_IPA_BITS, .flags = GNTMAP_host_map, .ref = 5, .dom = 1};
    CHECK_EQ(gnt(d2, GNTTABOP_map_grant_ref, &far, sizeof(far), 1), 0);
    CHECK_EQ(far.status, GNTST_general_error);
    CHECK_EQ(entry(d1, 5)->flags, GTF_permit_access | GTF_reading | GTF_writing);

    /* unmap writes only its status. */
    struct gnttab_unmap_grant_ref u = {.host_addr = MAP_AT, .dev_bus_addr = 0, .handle = 0};
    struct gnttab_unmap_grant_ref u0 = u;
    CHECK_EQ(gnt(d2, GNTTABOP_unmap_grant_ref, &u, sizeof(u), 1), 0);
    CHECK_EQ(u.status, GNTST_okay);
    u0.status = GNTST_okay;
    CHECK(memcmp(&u, &u0, sizeof(u)) == 0);
    CHECK_EQ(entry(d1, 5)->flags, GTF_permit_access);
    CHECK(!p2m_lookup(&d2->p2m, MAP_AT, &pa, &t));
    CHECK_EQ(gnt(d2, GNTTABOP_unmap_grant_ref, &u, sizeof(u), 1), 0);
    CHECK_EQ(u.status, GNTST_bad_handle);
    CHECK(quiet());
}

static struct gnttab_copy self_copy(uint16_t soff, uint16_t doff, uint16_t len)
{
    return (struct gnttab_copy){
        .source = {.u.gmfn = FAKE_RAM_GFN + 5, .domid = DOMID_SELF, .offset = soff},
        .dest = {.u.gmfn = FAKE_RAM_GFN + 6, .domid = DOMID_SELF, .offset = doff},
        .len = len,
        .status = 99};
}

/* 130 copies: 128 now, then a continuation with the array and count advanced. */
TEST(long_arrays_continue_after_128)
{
    world();
    static struct gnttab_copy ops[130];
    for (unsigned int i = 0; i < 130; i++)
        ops[i] = self_copy((uint16_t)i, (uint16_t)i, 1);
    for (unsigned int i = 0; i < 130; i++)
        *((uint8_t *)fake_gva(d1, ((FAKE_RAM_GFN + 5) << PAGE_SHIFT) + i)) = (uint8_t)(i + 1);
    struct vcpu *v = vcpu0(d1);
    put(d1, ARG, ops, sizeof(ops));
    uint64_t cmd = GNTTABOP_copy | 0xabcd000000000000ULL;
    CHECK_EQ(fake_hypercall(v, GNT, cmd, ARG, 130, 0, 0), GNTTABOP_copy); /* the 32 bits */
    CHECK(fake_continued(v));
    CHECK_EQ(v->arch.regs.x[1], ARG + 128 * sizeof(struct gnttab_copy));
    CHECK_EQ(v->arch.regs.x[2], 2);
    CHECK(fake_regs_intact(v, GNT));
    get(d1, ARG, ops, sizeof(ops));
    CHECK_EQ(ops[127].status, GNTST_okay);
    CHECK_EQ(ops[128].status, 99); /* not yet */
    CHECK_EQ(*(uint8_t *)fake_gva(d1, ((FAKE_RAM_GFN + 6) << PAGE_SHIFT) + 128), 0);
    CHECK_EQ(fake_reissue(v), 0);
    CHECK(!fake_continued(v));
    get(d1, ARG, ops, sizeof(ops));
    CHECK_EQ(ops[129].status, GNTST_okay);
    for (unsigned int i = 0; i < 130; i++)
        CHECK_EQ(*(uint8_t *)fake_gva(d1, ((FAKE_RAM_GFN + 6) << PAGE_SHIFT) + i), i + 1);
    CHECK(quiet());
}

/* An array that runs into unreadable memory: what came before is done (its
 * status written), the call is -EFAULT and does not continue. */
TEST(an_array_stops_with_efault_where_it_stops_being_readable)
{
    world();
    struct gnttab_copy ops[3] = {self_copy(0, 0, 8), self_copy(0, 8, 8), self_copy(0, 16, 8)};
    uint64_t at = FAKE_RAM_END - 2 * sizeof(ops[0]);
    put(d1, at, ops, 2 * sizeof(ops[0]));
    struct vcpu *v = vcpu0(d1);
    CHECK_EQ(fake_hypercall(v, GNT, GNTTABOP_copy, at, 3, 0, 0), -EFAULT);
    CHECK(!fake_continued(v));
    get(d1, at, ops, 2 * sizeof(ops[0]));
    CHECK_EQ(ops[0].status, GNTST_okay);
    CHECK_EQ(ops[1].status, GNTST_okay);
    /* Copy arguments checked per element: a page overrun is the op's status. */
    struct gnttab_copy c = self_copy(4090, 0, 8);
    CHECK_EQ(gnt(d1, GNTTABOP_copy, &c, sizeof(c), 1), 0);
    CHECK_EQ(c.status, GNTST_bad_copy_arg);
    c = self_copy(0, 0, 8);
    c.source.domid = 2; /* another domain's frame by number */
    CHECK_EQ(gnt(d1, GNTTABOP_copy, &c, sizeof(c), 1), 0);
    CHECK_EQ(c.status, GNTST_permission_denied);
    CHECK(quiet());
}

TEST(transfer_swap_and_cache_flush)
{
    world();
    struct gnttab_transfer tr = {.mfn = FAKE_RAM_GFN, .domid = 2, .ref = 0};
    CHECK_EQ(gnt(d1, GNTTABOP_transfer, &tr, sizeof(tr), 1), 0);
    CHECK_EQ(tr.status, GNTST_general_error);
    tr.mfn = 0x12345;
    CHECK_EQ(gnt(d1, GNTTABOP_transfer, &tr, sizeof(tr), 1), 0);
    CHECK_EQ(tr.status, GNTST_bad_page);

    grant(d1, 3, 2, GRANTED, GTF_permit_access);
    struct gnttab_swap_grant_ref sw = {.ref_a = 3, .ref_b = 4};
    CHECK_EQ(gnt(d1, GNTTABOP_swap_grant_ref, &sw, sizeof(sw), 1), 0);
    CHECK_EQ(sw.status, GNTST_okay);
    CHECK_EQ(entry(d1, 4)->frame, GRANTED);
    CHECK_EQ(entry(d1, 3)->flags, 0);
    sw = (struct gnttab_swap_grant_ref){.ref_a = 3, .ref_b = 512};
    CHECK_EQ(gnt(d1, GNTTABOP_swap_grant_ref, &sw, sizeof(sw), 1), 0);
    CHECK_EQ(sw.status, GNTST_bad_gntref);

    /* cache_flush fails the whole call, and may carry continuation bits. */
    struct gnttab_cache_flush cf = {.a.dev_bus_addr = 0, .offset = 0, .length = 64, .op = 4};
    put(d1, ARG, &cf, sizeof(cf));
    CHECK(fails_clean(vcpu0(d1), GNT, GNTTABOP_cache_flush, ARG, 1, -EINVAL));
    cf.op = GNTTAB_CACHE_CLEAN;
    put(d1, ARG, &cf, sizeof(cf));
    CHECK(fails_clean(vcpu0(d1), GNT, GNTTABOP_cache_flush, ARG, 1, -EINVAL)); /* not its page */
    cf.a.dev_bus_addr = (uint64_t)(uintptr_t)fake_gva(d1, FAKE_RAM_VA);
    put(d1, ARG, &cf, sizeof(cf));
    CHECK(fails_clean(vcpu0(d1), GNT, GNTTABOP_cache_flush | (3u << 12), ARG, 1, 0));
    CHECK(quiet());
}

TEST(teardown_frees_everything)
{
    world();
    grant(d1, 5, 2, GRANTED, GTF_permit_access);
    struct gnttab_map_grant_ref m = {
        .host_addr = MAP_AT, .flags = GNTMAP_host_map, .ref = 5, .dom = 1};
    CHECK_EQ(gnt(d2, GNTTABOP_map_grant_ref, &m, sizeof(m), 1), 0);
    CHECK_EQ(m.status, GNTST_okay);
    fake_world_reset(); /* the granter goes first, still mapped: a zombie, then freed */
    CHECK(quiet());
}
