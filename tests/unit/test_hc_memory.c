/*
 * memory_op (xen/hc_memory.c) over the real shared_info, balloon, grant and
 * foreign-mapping code: Xen's checks in Xen's order (-EFAULT, -EDOM, -ESRCH,
 * -EPERM, -EACCES, -EILSEQ, -EOPNOTSUPP, -ENOSYS), per-entry results of the
 * batch form, extent counts of the reservation operations, and the
 * continuations of both after 64 entries (the next one in cmd's upper bits).
 * Every domain looked up is put back before the call returns.
 */
#include "harness.h"
#include "hc_util.h"
#include <cloison/p2m.h>
#include <cloison/spinlock.h>
#include <public/memory.h>
#include <xen/shared_info.h>
#include <xen/xen_domain.h>
#include <xen/xen_memory.h>
#include "fakes/p2m_fake.h"

#define MEM __HYPERVISOR_memory_op
#define FOREIGN_GFN 0x60000ULL /* where dom0 maps d1's pages */

static struct domain *d0, *d1, *vm;

static void world(void)
{
    fake_world_reset();
    d0 = fake_domain(0, FAKE_XEN | FAKE_PRIV, 1);
    d1 = fake_domain(1, FAKE_XEN, 1);
    vm = fake_domain(2, 0, 1);
}

static int64_t mem(struct domain *d, uint64_t cmd, const void *arg, size_t len)
{
    put(d, ARG, arg, len);
    return fake_hypercall(vcpu0(d), MEM, cmd, ARG, 0, 0, 0);
}

static bool mapped(struct domain *d, uint64_t gfn, paddr_t *pa)
{
    enum p2m_type t;
    paddr_t p;
    return p2m_lookup(&d->p2m, gfn << PAGE_SHIFT, pa ? pa : &p, &t);
}

static int64_t add(struct domain *d, uint16_t domid, uint32_t space, uint64_t idx, uint64_t gfn)
{
    struct xen_add_to_physmap x = {.domid = domid, .space = space, .idx = idx, .gpfn = gfn};
    return mem(d, XENMEM_add_to_physmap, &x, sizeof(x));
}

static bool add_fails(struct domain *d, uint64_t cmd, uint16_t domid, uint32_t space, uint64_t idx,
                      int64_t want)
{
    struct xen_add_to_physmap x = {.domid = domid, .space = space, .idx = idx, .gpfn = 0x38000};
    put(d, ARG, &x, sizeof(x));
    return fails_clean(vcpu0(d), MEM, cmd, ARG, 0, want);
}

TEST(unknown_ops_are_enosys)
{
    world();
    static const uint64_t ops[] = {XENMEM_maximum_ram_page, 5,
                                   XENMEM_memory_map,       XENMEM_machine_memory_map,
                                   XENMEM_claim_pages,      MEMOP_CMD_MASK};
    for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
        CHECK(fails_clean(vcpu0(d1), MEM, ops[i], ARG, 0, -ENOSYS));
}

TEST(add_to_physmap_checks_in_xens_order)
{
    world();
    uint64_t op = XENMEM_add_to_physmap;
    CHECK(fails_clean(vcpu0(d1), MEM, op, BAD_VA, 0, -EFAULT));
    CHECK(add_fails(d1, op | (0x10000ULL << MEMOP_EXTENT_SHIFT), DOMID_SELF, 0, 0, -EDOM));
    CHECK(add_fails(d1, op, DOMID_SELF, XENMAPSPACE_gmfn_foreign, 0, -ENOSYS));
    CHECK(add_fails(d1, op, 7, XENMAPSPACE_shared_info, 0, -ESRCH));
    CHECK(add_fails(d0, op, 2, XENMAPSPACE_shared_info, 0, -ESRCH)); /* no Xen interface */
    CHECK(add_fails(d1, op, 0, XENMAPSPACE_shared_info, 0, -EPERM));
    CHECK(add_fails(d1, op, DOMID_SELF, XENMAPSPACE_dev_mmio, 0, -EACCES));
    CHECK(add_fails(d0, op, 1, XENMAPSPACE_dev_mmio, 0, -EACCES)); /* dom0, not into itself */
    CHECK(add_fails(d0, op, DOMID_SELF, XENMAPSPACE_dev_mmio, 0, -ENOSYS));
    CHECK(add_fails(d1, op, DOMID_SELF, XENMAPSPACE_gmfn, 0, -ENOSYS));
    CHECK(add_fails(d1, op, DOMID_SELF, XENMAPSPACE_gmfn_range, 0, -ENOSYS));
    CHECK(add_fails(d1, op, DOMID_SELF, 99, 0, -ENOSYS));
    CHECK(add_fails(d1, op, DOMID_SELF, XENMAPSPACE_shared_info, 1, -EINVAL));
    CHECK(add_fails(d1, op, DOMID_SELF, XENMAPSPACE_grant_table, 64, -EINVAL));
    CHECK_EQ(d1->xen->shinfo_gfn, GFN_INVALID);

    uint64_t written = fake_guest_writes;
    CHECK_EQ(add(d1, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x38000), 0);
    CHECK_EQ(d1->xen->shinfo_gfn, 0x38000);
    CHECK_EQ(add(d1, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x38001), -EBUSY);
    CHECK_EQ(add(d0, 1, XENMAPSPACE_grant_table, 3, 0x38010), 0); /* dom0 for d1 */
    CHECK(mapped(d1, 0x38010, NULL));
    CHECK_EQ(fake_guest_writes, written); /* no results */
    CHECK(quiet());
}

static enum mmio_result no_mmio(struct vcpu *v, ipa_t ipa, unsigned int size, bool write,
                                uint64_t *val, void *opaque)
{
    (void)v, (void)ipa, (void)size, (void)write, (void)val, (void)opaque;
    return MMIO_UNHANDLED;
}

/* Xen's -EINVAL outside the IPA space; Cloison's also over an emulated MMIO
 * window: nothing mapped, no table allocated. */
TEST(add_to_physmap_only_where_mappable)
{
    world();
    CHECK_EQ(domain_mmio_add(d1, 0x8000000, 0x10000, no_mmio, NULL), 0);
    uint64_t beyond = 1ULL << (FAKE_IPA_BITS - PAGE_SHIFT);
    CHECK_EQ(add(d1, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x8001), -EINVAL);
    CHECK_EQ(add(d1, DOMID_SELF, XENMAPSPACE_shared_info, 0, beyond), -EINVAL);
    CHECK_EQ(add(d1, DOMID_SELF, XENMAPSPACE_grant_table, 0, 0x800f), -EINVAL);
    CHECK_EQ(add(d1, DOMID_SELF, XENMAPSPACE_grant_table, 0, beyond), -EINVAL);
    CHECK(!mapped(d1, 0x8001, NULL) && !mapped(d1, 0x800f, NULL));
    CHECK_EQ(d1->xen->shinfo_gfn, GFN_INVALID);
    CHECK_EQ(add(d1, DOMID_SELF, XENMAPSPACE_grant_table, 0, 0x8010), 0); /* just past it */
    domain_mmio_remove(d1, no_mmio, NULL);
    CHECK(quiet());
}

TEST(remove_from_physmap)
{
    world();
    struct xen_remove_from_physmap r = {.domid = DOMID_SELF, .gpfn = 0x38000};
    put(d1, ARG, &r, sizeof(r));
    CHECK(fails_clean(vcpu0(d1), MEM, XENMEM_remove_from_physmap, ARG, 0, -ENOENT));
    CHECK(fails_clean(vcpu0(d1), MEM, XENMEM_remove_from_physmap | (1 << MEMOP_EXTENT_SHIFT), ARG,
                      0, -EINVAL));
    CHECK(fails_clean(vcpu0(d1), MEM, XENMEM_remove_from_physmap, BAD_VA, 0, -EFAULT));
    CHECK_EQ(add(d1, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x38000), 0);
    r.domid = 0;
    put(d1, ARG, &r, sizeof(r));
    CHECK(fails_clean(vcpu0(d1), MEM, XENMEM_remove_from_physmap, ARG, 0, -EPERM));
    r.domid = DOMID_SELF;
    CHECK_EQ(mem(d1, XENMEM_remove_from_physmap, &r, sizeof(r)), 0);
    CHECK_EQ(d1->xen->shinfo_gfn, GFN_INVALID);
    CHECK(!mapped(d1, 0x38000, NULL));
    CHECK(quiet());
}

/* dom0 maps n pages of d1 (its RAM pages round-robin) at FOREIGN_GFN + i. */
static void batch_args(uint64_t n, uint16_t space, uint16_t foreign)
{
    struct xen_add_to_physmap_batch b = {.domid = DOMID_SELF,
                                         .space = space,
                                         .size = (uint16_t)n,
                                         .foreign_domid = foreign,
                                         .idxs = ARG2,
                                         .gpfns = ARG3,
                                         .errs = FAKE_RAM_VA + 4 * PAGE_SIZE};
    put(d0, ARG, &b, sizeof(b));
    for (uint64_t i = 0; i < n; i++) {
        uint64_t idx = FAKE_RAM_GFN + i % FAKE_RAM_PAGES, gfn = FOREIGN_GFN + i;
        int32_t err = 0x5555;
        put(d0, ARG2 + i * 8, &idx, 8);
        put(d0, ARG3 + i * 8, &gfn, 8);
        put(d0, FAKE_RAM_VA + 4 * PAGE_SIZE + i * 4, &err, 4);
    }
}

static int32_t err_of(uint64_t i)
{
    int32_t e;
    get(d0, FAKE_RAM_VA + 4 * PAGE_SIZE + i * 4, &e, 4);
    return e;
}

TEST(batch_results_go_per_entry)
{
    world();
    struct vcpu *v = vcpu0(d0);
    uint64_t op = XENMEM_add_to_physmap_batch;
    batch_args(3, XENMAPSPACE_gmfn_foreign, 1);
    uint64_t bad_idx = 0x999; /* not d1's RAM */
    put(d0, ARG2 + 8, &bad_idx, 8);
    CHECK_EQ(fake_hypercall(v, MEM, op, ARG, 0, 0, 0), 0);
    CHECK_EQ(err_of(0), 0);
    CHECK_EQ(err_of(1), -EINVAL);
    CHECK_EQ(err_of(2), 0);
    paddr_t pa;
    CHECK(mapped(d0, FOREIGN_GFN, &pa));
    CHECK(pa == (paddr_t)(uintptr_t)fake_gva(d1, FAKE_RAM_VA));
    CHECK(fake_gva(d0, FOREIGN_GFN << PAGE_SHIFT) == NULL); /* not dom0's own RAM */
    CHECK(quiet());

    /* Request-level failures write no errs. */
    batch_args(2, XENMAPSPACE_gmfn_foreign, 1);
    CHECK(fails_clean(v, MEM, op | (3 << MEMOP_EXTENT_SHIFT), ARG, 0, -EILSEQ));
    CHECK(fails_clean(v, MEM, op | (2 << MEMOP_EXTENT_SHIFT), ARG, 0, -EILSEQ));
    CHECK(fails_clean(v, MEM, op | (0x10000ULL << MEMOP_EXTENT_SHIFT), ARG, 0, -EDOM));
    CHECK(fails_clean(v, MEM, op, BAD_VA, 0, -EFAULT));
    batch_args(0, XENMAPSPACE_gmfn_foreign, 1);
    CHECK(fails_clean(v, MEM, op, ARG, 0, 0));
    batch_args(2, XENMAPSPACE_gmfn_range, 1);
    CHECK(fails_clean(v, MEM, op, ARG, 0, -EOPNOTSUPP));
    batch_args(2, XENMAPSPACE_dev_mmio, 0);
    CHECK(fails_clean(v, MEM, op, ARG, 0, -EOPNOTSUPP));

    /* Per-entry permission results: the owner must be another domain, the
     * mapper the control domain. */
    batch_args(1, XENMAPSPACE_gmfn_foreign, 0);
    CHECK_EQ(fake_hypercall(v, MEM, op, ARG, 0, 0, 0), 0);
    CHECK_EQ(err_of(0), -ESRCH); /* itself */
    batch_args(1, XENMAPSPACE_gmfn_foreign, 9);
    CHECK_EQ(fake_hypercall(v, MEM, op, ARG, 0, 0, 0), 0);
    CHECK_EQ(err_of(0), -ESRCH); /* nobody */
    struct xen_add_to_physmap_batch b = {.domid = DOMID_SELF,
                                         .space = XENMAPSPACE_gmfn_foreign,
                                         .size = 1,
                                         .foreign_domid = 0,
                                         .idxs = ARG2,
                                         .gpfns = ARG3,
                                         .errs = ARG3 + 8};
    uint64_t idx = FAKE_RAM_GFN, gfn = FOREIGN_GFN;
    put(d1, ARG, &b, sizeof(b));
    put(d1, ARG2, &idx, 8);
    put(d1, ARG3, &gfn, 8);
    CHECK_EQ(fake_hypercall(vcpu0(d1), MEM, op, ARG, 0, 0, 0), 0);
    int32_t e;
    get(d1, ARG3 + 8, &e, 4);
    CHECK_EQ(e, -EPERM);
    CHECK(quiet());
}

/* 70 entries: 64 now, then the re-issue resumes at entry 64 (cmd bits 6+).
 * A decrease_reservation of the 70 foreign GFNs continues the same way and
 * returns the total count. */
TEST(batch_and_reservation_continue_after_64)
{
    world();
    struct vcpu *v = vcpu0(d0);
    batch_args(70, XENMAPSPACE_gmfn_foreign, 1);
    CHECK_EQ(fake_hypercall(v, MEM, XENMEM_add_to_physmap_batch, ARG, 0, 0, 0),
             XENMEM_add_to_physmap_batch | (64 << MEMOP_EXTENT_SHIFT));
    CHECK(fake_continued(v));
    CHECK_EQ(v->arch.regs.x[1], ARG);
    CHECK(fake_regs_intact(v, MEM));
    CHECK_EQ(err_of(63), 0);
    CHECK_EQ(err_of(64), 0x5555);
    CHECK(quiet()); /* the target is put back before continuing */
    CHECK_EQ(fake_reissue(v), 0);
    CHECK_EQ(err_of(69), 0);
    CHECK(mapped(d0, FOREIGN_GFN + 69, NULL));

    struct xen_memory_reservation r = {
        .extent_start = ARG3, .nr_extents = 70, .extent_order = 0, .domid = DOMID_SELF};
    CHECK_EQ(mem(d0, XENMEM_decrease_reservation, &r, sizeof(r)),
             XENMEM_decrease_reservation | (64 << MEMOP_EXTENT_SHIFT));
    CHECK(fake_continued(v));
    CHECK(!mapped(d0, FOREIGN_GFN + 63, NULL));
    CHECK(mapped(d0, FOREIGN_GFN + 64, NULL));
    CHECK(quiet());
    CHECK_EQ(fake_reissue(v), 70);
    CHECK(!fake_continued(v));
    CHECK(!mapped(d0, FOREIGN_GFN + 69, NULL));
    CHECK_EQ(d0->xen->released_pages, 0); /* others' pages are not dom0's to give */
    CHECK(quiet());
}

/* The reservation operations never fail: they say how many extents were done. */
TEST(reservations_return_the_extents_done)
{
    world();
    uint64_t gfns[3] = {FAKE_RAM_GFN + 6, FAKE_RAM_GFN + 7, 0x12345};
    put(d1, ARG2, gfns, sizeof(gfns));
    struct xen_memory_reservation r = {
        .extent_start = ARG2, .nr_extents = 3, .extent_order = 0, .domid = DOMID_SELF};
    CHECK_EQ(mem(d1, XENMEM_decrease_reservation, &r, sizeof(r)), 2); /* a hole stops it */
    CHECK_EQ(d1->xen->released_pages, 2);
    CHECK(!mapped(d1, FAKE_RAM_GFN + 6, NULL));
    uint16_t self = DOMID_SELF;
    CHECK_EQ(mem(d1, XENMEM_current_reservation, &self, 2), FAKE_RAM_PAGES - 2);

    /* Bad requests: the start extent back, nothing done. */
    struct vcpu *v = vcpu0(d1);
    CHECK(fails_clean(v, MEM, XENMEM_populate_physmap, BAD_VA, 0, 0));
    CHECK(fails_clean(v, MEM, XENMEM_populate_physmap | (1 << MEMOP_EXTENT_SHIFT), BAD_VA, 0, 1));
    r.nr_extents = 1;
    r.extent_order = 10; /* above a domU's 2 MiB */
    put(d1, ARG, &r, sizeof(r));
    CHECK(fails_clean(v, MEM, XENMEM_populate_physmap, ARG, 0, 0));
    r.extent_order = 0;
    r.nr_extents = (UINT32_MAX >> MEMOP_EXTENT_SHIFT) + 1ULL;
    put(d1, ARG, &r, sizeof(r));
    CHECK(fails_clean(v, MEM, XENMEM_populate_physmap, ARG, 0, 0));
    r.nr_extents = 1;
    r.domid = 0;
    put(d1, ARG, &r, sizeof(r));
    CHECK(fails_clean(v, MEM, XENMEM_populate_physmap, ARG, 0, 0)); /* not its domain */
    r.domid = DOMID_SELF;
    put(d1, ARG, &r, sizeof(r));
    CHECK(fails_clean(v, MEM, XENMEM_populate_physmap | (1 << MEMOP_EXTENT_SHIFT), ARG, 0, 1));
    CHECK_EQ(d1->xen->released_pages, 2);

    /* Populating gives back the original page, zeroed. */
    *(uint8_t *)fake_gva(d1, FAKE_RAM_VA + 5 * PAGE_SIZE) = 0xee;
    struct xen_memory_reservation p = {
        .extent_start = ARG2, .nr_extents = 1, .extent_order = 0, .domid = DOMID_SELF};
    CHECK_EQ(mem(d1, XENMEM_populate_physmap, &p, sizeof(p)), 1);
    CHECK(mapped(d1, FAKE_RAM_GFN + 6, NULL));
    CHECK_EQ(*(uint8_t *)fake_gva(d1, FAKE_RAM_VA + 6 * PAGE_SIZE), 0);
    CHECK_EQ(*(uint8_t *)fake_gva(d1, FAKE_RAM_VA + 5 * PAGE_SIZE), 0xee);
    struct xen_memory_reservation inc = {.nr_extents = 2, .extent_order = 0, .domid = DOMID_SELF};
    CHECK_EQ(mem(d1, XENMEM_increase_reservation, &inc, sizeof(inc)), 1); /* one left to give */
    CHECK_EQ(d1->xen->released_pages, 0);
    CHECK(quiet());
}

/* Two vCPUs ballooning the same GFN at once (issue 9, finding 5): the
 * second vCPU acts just as the first is about to change the stage 2, after
 * its checks. It must wait for the first (it would find the domain's
 * mem_lock held) and then fail, so the page is given back or taken once and
 * released_pages counts it once. Unlocked, both decreases counted the page
 * and both populates took it. */
static uint64_t race_gfn;
static int second_rc;
static bool second_ran, second_deferred;
static int (*second_op)(struct domain *d, uint64_t gfn, unsigned int order);

static void run_second(void)
{
    second_rc = second_op(d1, race_gfn, 0);
    second_ran = true;
}

static void second_vcpu_now(struct p2m *p, ipa_t ipa)
{
    (void)p, (void)ipa;
    fake_p2m_change_hook = NULL;
    if (spin_is_locked(&d1->xen->mem_lock))
        second_deferred = true; /* it spins until the first is done */
    else
        run_second();
}

static int race(int (*op)(struct domain *d, uint64_t gfn, unsigned int order))
{
    second_op = op;
    second_ran = second_deferred = false;
    fake_p2m_change_hook = second_vcpu_now;
    int rc = op(d1, race_gfn, 0);
    fake_p2m_change_hook = NULL;
    if (second_deferred)
        run_second();
    return rc;
}

TEST(two_vcpus_ballooning_one_gfn_count_it_once)
{
    world();
    race_gfn = FAKE_RAM_GFN + 3;
    uint16_t self = DOMID_SELF;
    CHECK_EQ(race(xen_decrease_extent), 0);
    CHECK(second_ran && second_deferred);
    CHECK_EQ(second_rc, -EINVAL); /* nothing left there to give */
    CHECK_EQ(d1->xen->released_pages, 1);
    CHECK(!mapped(d1, race_gfn, NULL));
    CHECK_EQ(mem(d1, XENMEM_current_reservation, &self, 2), FAKE_RAM_PAGES - 1);

    CHECK_EQ(race(xen_populate_extent), 0);
    CHECK(second_ran && second_deferred);
    CHECK(second_rc == -EINVAL || second_rc == -ENOMEM); /* mapped already, none left */
    CHECK_EQ(d1->xen->released_pages, 0);
    CHECK(mapped(d1, race_gfn, NULL));
    CHECK_EQ(mem(d1, XENMEM_current_reservation, &self, 2), FAKE_RAM_PAGES);
    CHECK(quiet());
}

/* shared_info is mapped at one GFN at a time (-EBUSY otherwise): two vCPUs
 * mapping it at once, the second just as the first changes the stage 2,
 * must not both succeed (the check and the change are under mem_lock). */
static int shinfo_second_rc;
static bool shinfo_second_deferred;

static void map_shinfo_second(struct p2m *p, ipa_t ipa)
{
    (void)p, (void)ipa;
    fake_p2m_change_hook = NULL;
    if (spin_is_locked(&d1->xen->mem_lock))
        shinfo_second_deferred = true;
    else
        shinfo_second_rc = xen_map_shared_info(d1, 0x38001);
}

TEST(two_vcpus_mapping_shared_info_get_one_mapping)
{
    world();
    shinfo_second_deferred = false;
    fake_p2m_change_hook = map_shinfo_second;
    CHECK_EQ(xen_map_shared_info(d1, 0x38000), 0);
    fake_p2m_change_hook = NULL;
    CHECK(shinfo_second_deferred);
    if (shinfo_second_deferred)
        shinfo_second_rc = xen_map_shared_info(d1, 0x38001);
    CHECK_EQ(shinfo_second_rc, -EBUSY);
    CHECK_EQ(d1->xen->shinfo_gfn, 0x38000);
    CHECK(!mapped(d1, 0x38001, NULL));
    CHECK(quiet());
}

TEST(queries)
{
    world();
    uint16_t id = DOMID_SELF;
    CHECK_EQ(mem(d1, XENMEM_current_reservation, &id, 2), FAKE_RAM_PAGES);
    CHECK_EQ(mem(d1, XENMEM_maximum_reservation, &id, 2), FAKE_RAM_PAGES);
    CHECK_EQ(mem(d1, XENMEM_maximum_gpfn, &id, 2), FAKE_RAM_GFN + FAKE_RAM_PAGES - 1);
    CHECK_EQ(add(d1, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x80000), 0);
    CHECK_EQ(mem(d1, XENMEM_maximum_gpfn, &id, 2), 0x80000);
    id = 1;
    CHECK_EQ(mem(d0, XENMEM_current_reservation, &id, 2), FAKE_RAM_PAGES);
    id = 0;
    put(d1, ARG, &id, 2);
    CHECK(fails_clean(vcpu0(d1), MEM, XENMEM_current_reservation, ARG, 0, -EPERM));
    id = 2;
    put(d0, ARG, &id, 2);
    CHECK(fails_clean(vcpu0(d0), MEM, XENMEM_maximum_gpfn, ARG, 0, -ESRCH));
    CHECK(fails_clean(vcpu0(d0), MEM, XENMEM_maximum_reservation, FAKE_RAM_END - 1, 0, -EFAULT));
    CHECK(quiet());
}

TEST(teardown_frees_everything)
{
    world();
    batch_args(5, XENMAPSPACE_gmfn_foreign, 1);
    CHECK_EQ(fake_hypercall(vcpu0(d0), MEM, XENMEM_add_to_physmap_batch, ARG, 0, 0, 0), 0);
    fake_world_reset();
    CHECK(quiet());
    (void)vm;
}
