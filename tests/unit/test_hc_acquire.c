/*
 * XENMEM_acquire_resource (xen/hc_acquire_resource.c) and the compat way
 * libxenguest seeds a grant table when it is refused (add_to_physmap of
 * another domain's grant frame, setup_table for it, a foreign mapping of the
 * frame by its GFN, remove_from_physmap), over the real grant table and
 * foreign-mapping code: Xen 4.17's checks in its order, the size query,
 * frames mapped at the control domain's GFNs (the table grown to hold
 * them), continuations after 32 frames, -EIO after the first frame, and a
 * frame that outlives its domain while mapped.
 */
#include "harness.h"
#include "hc_util.h"
#include <cloison/p2m.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <xen/grant.h>
#include "fakes/p2m_fake.h"

#define MEM __HYPERVISOR_memory_op
#define AQ XENMEM_acquire_resource
#define MAP_GFN 0x60000ULL /* where dom0 maps d1's frames */

static struct domain *d0, *d1, *vm;

static void world(void)
{
    fake_world_reset();
    d0 = fake_domain(0, FAKE_XEN | FAKE_PRIV, 1);
    d1 = fake_domain(1, FAKE_XEN, 1);
    vm = fake_domain(2, 0, 1);
}

/* An acquire_resource request at ARG; frame_list (if n) at ARG2 with GFNs
 * MAP_GFN, MAP_GFN + 1, ... */
static struct xen_mem_acquire_resource req(uint16_t dom, uint16_t type, uint32_t id, uint32_t nr,
                                           uint64_t frame, bool list)
{
    struct xen_mem_acquire_resource r = {.domid = dom,
                                         .type = type,
                                         .id = id,
                                         .nr_frames = nr,
                                         .frame = frame,
                                         .frame_list = list ? ARG2 : 0};
    for (uint64_t i = 0; list && i < 64; i++) {
        uint64_t gfn = MAP_GFN + i;
        put(d0, ARG2 + i * 8, &gfn, 8);
    }
    return r;
}

static bool refused(struct domain *from, struct xen_mem_acquire_resource r, int64_t want)
{
    put(from, ARG, &r, sizeof(r));
    return fails_clean(vcpu0(from), MEM, AQ, ARG, 0, want);
}

static bool mapped_at(struct domain *d, uint64_t gfn, paddr_t *pa)
{
    enum p2m_type t;
    return p2m_lookup(&d->p2m, gfn << PAGE_SHIFT, pa, &t);
}

static paddr_t frame_pa(struct domain *d, unsigned long idx)
{
    paddr_t pa = 0;
    CHECK_EQ(gnttab_shared_frame(d, idx, &pa), 0);
    return pa;
}

TEST(acquire_resource_checks_in_xens_order)
{
    world();
    const uint16_t GT = XENMEM_resource_grant_table;
    struct xen_mem_acquire_resource r = req(1, GT, 0, 1, 0, true);
    r.pad = 1;
    CHECK(refused(d0, r, -EINVAL));
    CHECK(refused(d0, req(1, GT, 0, 1, 1ULL << 32, true), -EINVAL));
    CHECK(refused(d0, req(1, GT, 0, 2, 0xffffffffULL, true), -EINVAL)); /* frame + nr wraps */
    CHECK(refused(d0, req(7, GT, 0, 1, 0, true), -ESRCH));
    CHECK(refused(d0, req(DOMID_SELF, GT, 0, 1, 0, true), -ESRCH));
    CHECK(refused(d0, req(0, GT, 0, 1, 0, true), -EPERM)); /* its own */
    CHECK(refused(d1, req(0, GT, 0, 1, 0, true), -EPERM)); /* not the control domain */
    CHECK(refused(d1, req(1, GT, 0, 1, 0, true), -EPERM));
    /* Resources that do not exist: a v1 table's status frames, an ioreq
     * server, a vmtrace buffer, another grant id, a plain VM's table. */
    CHECK(refused(d0, req(1, GT, XENMEM_resource_grant_table_id_status, 1, 0, true), -EINVAL));
    CHECK(refused(d0, req(1, GT, 2, 0, 0, false), -EINVAL));
    CHECK(refused(d0, req(1, XENMEM_resource_ioreq_server, 0, 1, 0, true), -EINVAL));
    CHECK(refused(d0, req(1, XENMEM_resource_vmtrace_buf, 0, 0, 0, false), -EINVAL));
    CHECK(refused(d0, req(2, GT, 0, 0, 0, false), -EINVAL));
    /* An unknown type: -EOPNOTSUPP to map... */
    CHECK(refused(d0, req(1, 9, 0, 1, 0, true), -EOPNOTSUPP));
    /* A NULL list with frames, no frames with a list, a continuation past the end. */
    CHECK(refused(d0, req(1, GT, 0, 1, 0, false), -EINVAL));
    CHECK(refused(d0, req(1, GT, 0, 0, 0, true), -EINVAL));
    put(d0, ARG, &r, sizeof(r));
    r = req(1, GT, 0, 2, 0, true);
    put(d0, ARG, &r, sizeof(r));
    CHECK(fails_clean(vcpu0(d0), MEM, AQ | (2 << MEMOP_EXTENT_SHIFT), ARG, 0, -EINVAL));
    /* Frames past the table's maximum (64): nothing mapped. */
    CHECK(refused(d0, req(1, GT, 0, 3, 62, true), -EINVAL));
    CHECK(refused(d0, req(1, GT, 0, 1, 64, true), -EINVAL));
    CHECK(fails_clean(vcpu0(d0), MEM, AQ, BAD_VA, 0, -EFAULT));
    r = req(1, GT, 0, 1, 0, false);
    r.frame_list = BAD_VA;
    CHECK(refused(d0, r, -EFAULT)); /* the list cannot be read */
    CHECK(quiet());
}

TEST(acquire_resource_size_query)
{
    world();
    struct xen_mem_acquire_resource r = req(1, XENMEM_resource_grant_table, 0, 0, 0, false);
    r.frame = 5; /* left as it was: only nr_frames is written */
    put(d0, ARG, &r, sizeof(r));
    uint64_t w = fake_guest_writes;
    CHECK_EQ(fake_hypercall(vcpu0(d0), MEM, AQ, ARG, 0, 0, 0), 0);
    CHECK_EQ(fake_guest_writes, w + 1);
    struct xen_mem_acquire_resource out;
    get(d0, ARG, &out, sizeof(out));
    CHECK_EQ(out.nr_frames, 64);
    CHECK_EQ(out.frame, 5);
    /* Xen hands an unknown type's "size" back as -EOPNOTSUPP, unsigned. */
    r = req(1, 9, 0, 0, 0, false);
    put(d0, ARG, &r, sizeof(r));
    CHECK_EQ(fake_hypercall(vcpu0(d0), MEM, AQ, ARG, 0, 0, 0), 0);
    get(d0, ARG, &out, sizeof(out));
    CHECK_EQ(out.nr_frames, (uint32_t)-EOPNOTSUPP);
    CHECK(quiet());
}

TEST(acquired_frames_map_at_the_callers_gfns_and_grow_the_table)
{
    world();
    struct xen_mem_acquire_resource r = req(1, XENMEM_resource_grant_table, 0, 2, 2, true);
    put(d0, ARG, &r, sizeof(r));
    CHECK_EQ(fake_hypercall(vcpu0(d0), MEM, AQ, ARG, 0, 0, 0), 0);
    paddr_t pa;
    CHECK(mapped_at(d0, MAP_GFN, &pa) && pa == frame_pa(d1, 2));
    CHECK(mapped_at(d0, MAP_GFN + 1, &pa) && pa == frame_pa(d1, 3));
    /* dom0 writes an entry through its mapping; d1 finds it in frame 2. */
    CHECK(mapped_at(d0, MAP_GFN, &pa));
    struct grant_entry_v1 *seen = phys_to_virt(pa), *e = phys_to_virt(frame_pa(d1, 2));
    *seen = (struct grant_entry_v1){GTF_permit_access, 0, 0x39001};
    CHECK(e->flags == GTF_permit_access && e->frame == 0x39001);
    /* The kernel's munmap: remove_from_physmap of its own GFN. */
    struct xen_remove_from_physmap x = {.domid = DOMID_SELF, .gpfn = MAP_GFN};
    put(d0, ARG, &x, sizeof(x));
    CHECK_EQ(fake_hypercall(vcpu0(d0), MEM, XENMEM_remove_from_physmap, ARG, 0, 0, 0), 0);
    CHECK(!mapped_at(d0, MAP_GFN, &pa));
    /* A GFN dom0 may not map at (beyond its IPA space): the first frame's
     * error as it is, a later one's -EIO. */
    uint64_t bad = 1ULL << (FAKE_IPA_BITS - PAGE_SHIFT);
    r = req(1, XENMEM_resource_grant_table, 0, 2, 0, true);
    put(d0, ARG2, &bad, 8);
    CHECK(refused(d0, r, -EINVAL));
    r = req(1, XENMEM_resource_grant_table, 0, 2, 0, true);
    put(d0, ARG2 + 8, &bad, 8);
    put(d0, ARG, &r, sizeof(r));
    CHECK_EQ(fake_hypercall(vcpu0(d0), MEM, AQ, ARG, 0, 0, 0), -EIO);
    CHECK(mapped_at(d0, MAP_GFN, &pa) && pa == frame_pa(d1, 0));
    CHECK(quiet());
}

TEST(acquire_resource_continues_after_32_frames)
{
    world();
    struct xen_mem_acquire_resource r = req(1, XENMEM_resource_grant_table, 0, 40, 10, true);
    put(d0, ARG, &r, sizeof(r));
    struct vcpu *v = vcpu0(d0);
    fake_hypercall(v, MEM, AQ, ARG, 0, 0, 0);
    CHECK(fake_continued(v));
    CHECK_EQ(v->arch.regs.x[0], AQ | (32 << MEMOP_EXTENT_SHIFT));
    CHECK_EQ(v->arch.regs.x[1], ARG);
    paddr_t pa;
    CHECK(mapped_at(d0, MAP_GFN + 31, &pa) && pa == frame_pa(d1, 41));
    CHECK(!mapped_at(d0, MAP_GFN + 32, &pa));
    CHECK_EQ(fake_reissue(v), 0);
    CHECK(!fake_continued(v));
    CHECK(mapped_at(d0, MAP_GFN + 39, &pa) && pa == frame_pa(d1, 49));
    CHECK(quiet());
}

TEST(a_frame_outlives_its_domain_while_mapped)
{
    world();
    struct xen_mem_acquire_resource r = req(1, XENMEM_resource_grant_table, 0, 1, 0, true);
    put(d0, ARG, &r, sizeof(r));
    CHECK_EQ(fake_hypercall(vcpu0(d0), MEM, AQ, ARG, 0, 0, 0), 0);
    paddr_t pa = frame_pa(d1, 0);
    long live = fake_pages_live;
    fake_printk_log[0] = 0;
    fake_domain_free(d1); /* destroyed while dom0 maps its frame 0 */
    CHECK(strstr(fake_printk_log, "d1: 1 grant frame(s) kept while mapped by another domain"));
    CHECK(fake_pages_live < live); /* its RAM went... */
    long after = fake_pages_live;
    memset(phys_to_virt(pa), 0x5a, PAGE_SIZE); /* ...the frame did not (ASan would say) */
    struct xen_remove_from_physmap x = {.domid = DOMID_SELF, .gpfn = MAP_GFN};
    put(d0, ARG, &x, sizeof(x));
    CHECK_EQ(fake_hypercall(vcpu0(d0), MEM, XENMEM_remove_from_physmap, ARG, 0, 0, 0), 0);
    CHECK_EQ(fake_pages_live, after - 1); /* freed with its last mapping */
    CHECK_EQ(fake_last_freed, pa);
    CHECK(quiet());
}

TEST(compat_seeding_through_the_frames_gfn)
{
    world();
    /* add_to_physmap{domid 1, grant_table, idx 0, gpfn 0x38000} by dom0. */
    struct xen_add_to_physmap a = {
        .domid = 1, .space = XENMAPSPACE_grant_table, .idx = 0, .gpfn = 0x38000};
    put(d0, ARG, &a, sizeof(a));
    CHECK_EQ(fake_hypercall(vcpu0(d0), MEM, XENMEM_add_to_physmap, ARG, 0, 0, 0), 0);
    /* setup_table for d1: its frame's GFN. */
    struct gnttab_setup_table st = {.dom = 1, .nr_frames = 1, .frame_list = ARG3};
    put(d0, ARG, &st, sizeof(st));
    CHECK_EQ(
        fake_hypercall(vcpu0(d0), __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, ARG, 1, 0, 0),
        0);
    get(d0, ARG, &st, sizeof(st));
    uint64_t gfn;
    get(d0, ARG3, &gfn, 8);
    CHECK_EQ(st.status, GNTST_okay);
    CHECK_EQ(gfn, 0x38000);
    /* The foreign mapping of d1's GFN 0x38000 (privcmd's batch). */
    uint64_t idx = 0x38000, to = MAP_GFN;
    int32_t err = 0x5555;
    struct xen_add_to_physmap_batch b = {.domid = DOMID_SELF,
                                         .space = XENMAPSPACE_gmfn_foreign,
                                         .size = 1,
                                         .foreign_domid = 1,
                                         .idxs = ARG2,
                                         .gpfns = ARG3,
                                         .errs = ARG3 + 8};
    put(d0, ARG, &b, sizeof(b));
    put(d0, ARG2, &idx, 8);
    put(d0, ARG3, &to, 8);
    put(d0, ARG3 + 8, &err, 4);
    CHECK_EQ(fake_hypercall(vcpu0(d0), MEM, XENMEM_add_to_physmap_batch, ARG, 0, 0, 0), 0);
    get(d0, ARG3 + 8, &err, 4);
    CHECK_EQ(err, 0);
    paddr_t pa;
    CHECK(mapped_at(d0, MAP_GFN, &pa) && pa == frame_pa(d1, 0));
    /* remove_from_physmap{1, 0x38000}: gone from d1; dom0 keeps its mapping. */
    struct xen_remove_from_physmap x = {.domid = 1, .gpfn = 0x38000};
    put(d0, ARG, &x, sizeof(x));
    CHECK_EQ(fake_hypercall(vcpu0(d0), MEM, XENMEM_remove_from_physmap, ARG, 0, 0, 0), 0);
    CHECK(!mapped_at(d1, 0x38000, &pa));
    CHECK(mapped_at(d0, MAP_GFN, &pa) && pa == frame_pa(d1, 0));
    /* Once removed, its old GFN is not a frame any more. */
    put(d0, ARG, &b, sizeof(b));
    to = MAP_GFN + 1;
    put(d0, ARG3, &to, 8);
    CHECK_EQ(fake_hypercall(vcpu0(d0), MEM, XENMEM_add_to_physmap_batch, ARG, 0, 0, 0), 0);
    get(d0, ARG3 + 8, &err, 4);
    CHECK_EQ(err, -EINVAL);
    CHECK(quiet());
}
