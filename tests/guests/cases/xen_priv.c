/*
 * xen_priv: a domU reaching for what is not its own. Runs beside a second
 * Xen-enhanced domain (the harness boots one), whose id is "the other".
 *  - other domain: alloc_unbound, status, reset, HVM params, remove_from_physmap,
 *    add_to_physmap -> -EPERM; decrease_reservation on it does nothing (0)
 *  - a domain that does not exist: -ESRCH (bind_interdomain, alloc_unbound,
 *    status, hvm params, memory ops); decrease_reservation -> 0
 *  - own HVM params: setting any -> -EPERM, MONITOR_RING_PFN unreadable
 *    (-EPERM), an index that is no param -> -EINVAL
 *  - bind_interdomain to a port of its own reserved for another -> -EINVAL
 *  - foreign mappings (add_to_physmap_batch, gmfn_foreign): a domU gets
 *    -EPERM per page for another domain's page, -ESRCH naming itself or no
 *    domain, -EINVAL for DOMID_SELF; the batch's own checks (-EOPNOTSUPP,
 *    -EACCES, -EILSEQ, -EDOM, -EFAULT); add_to_physmap refuses the space
 *    (-ENOSYS)
 */
#include "xen_guest.h"

const char test_name[] = "xen_priv";

#define NO_SUCH_DOM 0x7000

static void expect(const char *what, long got, long want)
{
    if (got != want)
        test_fail("%s ret=%ld expected=%ld", what, got, want);
}

static void against(uint16_t dom, long want, long want_count)
{
    uint32_t port;
    struct evtchn_status st;
    uint64_t val;
    struct evtchn_reset r = {.dom = dom};
    struct xen_remove_from_physmap rm = {.domid = dom, .gpfn = 0x40000};
    struct xen_add_to_physmap ap = {
        .domid = dom, .space = XENMAPSPACE_shared_info, .gpfn = 0x40000};
    static uint64_t gfn = 0x40100;
    struct xen_memory_reservation res = {
        .extent_start = (uintptr_t)&gfn, .nr_extents = 1, .domid = dom};

    expect("alloc_unbound", evtchn_alloc_unbound(dom, DOMID_SELF, &port), want);
    expect("status", evtchn_status(dom, 1, &st), want);
    expect("reset", evtchn_op(EVTCHNOP_reset, &r), want);
    expect("get STORE_PFN", hvm_get_param(dom, HVM_PARAM_STORE_PFN, &val), want);
    expect("set STORE_PFN", hvm_set_param(dom, HVM_PARAM_STORE_PFN, 5), want);
    expect("remove_from_physmap", memory_op(XENMEM_remove_from_physmap, &rm), want);
    expect("add_to_physmap", memory_op(XENMEM_add_to_physmap, &ap), want);
    expect("decrease_reservation", memory_op(XENMEM_decrease_reservation, &res), want_count);
}

static long batch(uint16_t space, uint16_t foreign, uint16_t size, unsigned long start,
                  uint64_t idx, int *err)
{
    static uint64_t idxs[1], gpfns[1] = {0x7F000}; /* a hole: never mapped here */
    idxs[0] = idx;
    struct xen_add_to_physmap_batch b = {.domid = DOMID_SELF,
                                         .space = space,
                                         .size = size,
                                         .foreign_domid = foreign,
                                         .idxs = (uintptr_t)idxs,
                                         .gpfns = (uintptr_t)gpfns,
                                         .errs = (uintptr_t)err};
    return memory_op(XENMEM_add_to_physmap_batch | (start << MEMOP_EXTENT_SHIFT), &b);
}

/* One page of `foreign`'s RAM at GFN 0x40000: the call succeeds, errs says. */
static void foreign_page(const char *what, uint16_t foreign, long want)
{
    int err = 12345;
    expect(what, batch(XENMAPSPACE_gmfn_foreign, foreign, 1, 0, 0x40000, &err), 0);
    expect(what, err, want);
}

static void foreign_batches(uint16_t self, uint16_t other)
{
    int err = 0;
    foreign_page("foreign other", other, -XEN_EPERM);
    foreign_page("foreign self id", self, -XEN_ESRCH);
    foreign_page("foreign DOMID_SELF", DOMID_SELF, -XEN_EINVAL);
    foreign_page("foreign no such dom", NO_SUCH_DOM, -XEN_ESRCH);
    expect("batch gmfn_range", batch(XENMAPSPACE_gmfn_range, 0, 1, 0, 0, &err), -XEN_EOPNOTSUPP);
    expect("batch dev_mmio", batch(XENMAPSPACE_dev_mmio, 0, 1, 0, 0, &err), -XEN_EACCES);
    expect("batch size 0", batch(XENMAPSPACE_gmfn_foreign, other, 0, 0, 0, &err), 0);
    expect("batch start == size", batch(XENMAPSPACE_gmfn_foreign, other, 1, 1, 0, &err),
           -XEN_EILSEQ);
    expect("batch start > size", batch(XENMAPSPACE_gmfn_foreign, other, 1, 2, 0, &err),
           -XEN_EILSEQ);
    expect("batch start > 65535", batch(XENMAPSPACE_gmfn_foreign, other, 1, 0x10000, 0, &err),
           -XEN_EDOM);
    expect("batch bad errs", batch(XENMAPSPACE_gmfn_foreign, other, 1, 0, 0x40000, (int *)8),
           -XEN_EFAULT);
    struct xen_add_to_physmap ap = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_gmfn_foreign, .idx = 0x40000, .gpfn = 0x7F000};
    expect("add_to_physmap gmfn_foreign", memory_op(XENMEM_add_to_physmap, &ap), -XEN_ENOSYS);
    struct xen_remove_from_physmap rm = {.domid = DOMID_SELF, .gpfn = 0x7F000};
    expect("remove_from_physmap start", memory_op(XENMEM_remove_from_physmap | (1 << 6), &rm),
           -XEN_EINVAL);
    expect("remove_from_physmap hole", memory_op(XENMEM_remove_from_physmap, &rm), -XEN_ENOENT);
}

void test_main(void)
{
    uint32_t mine, port;
    struct evtchn_status st;
    uint64_t val;

    /* Our own id, from the status of a port reserved for ourselves. */
    expect("alloc_unbound self", evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &mine), 0);
    expect("status self", evtchn_status(DOMID_SELF, mine, &st), 0);
    uint16_t self = st.u.unbound.dom, other = self == 1 ? 2 : 1;

    against(other, -XEN_EPERM, 0);
    against(NO_SUCH_DOM, -XEN_ESRCH, 0);
    expect("bind_interdomain no such dom", evtchn_bind_interdomain(NO_SUCH_DOM, 1, &port),
           -XEN_ESRCH);
    /* A port of ours reserved for the other domain is not ours to bind.
     * Xen/ARM's default XSM policy (SILO) already refuses to reserve it for
     * another domU (-EPERM); Cloison allows domU-to-domU channels. */
    long rc = evtchn_alloc_unbound(DOMID_SELF, other, &port);
    if (rc == 0)
        expect("bind port reserved for other", evtchn_bind_interdomain(DOMID_SELF, port, &mine),
               -XEN_EINVAL);
    else if (rc != -XEN_EPERM)
        test_fail("alloc_unbound for other ret=%ld expected 0 or -EPERM", rc);

    expect("set own CALLBACK_IRQ", hvm_set_param(DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, 1),
           -XEN_EPERM);
    expect("set own CONSOLE_EVTCHN", hvm_set_param(DOMID_SELF, HVM_PARAM_CONSOLE_EVTCHN, 1),
           -XEN_EPERM);
    expect("set own param 5", hvm_set_param(DOMID_SELF, 5, 1), -XEN_EINVAL);
    expect("get own MONITOR_RING_PFN", hvm_get_param(DOMID_SELF, HVM_PARAM_MONITOR_RING_PFN, &val),
           -XEN_EPERM);
    expect("get own param 1000", hvm_get_param(DOMID_SELF, 1000, &val), -XEN_EINVAL);
    foreign_batches(self, other);
    test_pass("eperm=ok esrch=ok foreign=ok");
}
