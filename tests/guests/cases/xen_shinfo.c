/*
 * xen_shinfo: shared_info, vcpu_info and the other per-vCPU registrations.
 *  - add_to_physmap(shared_info): idx 1 -> -EINVAL, a GFN beyond the IPA
 *    space fails, a RAM GFN maps it; mapping it a second time -> -EBUSY until
 *    remove_from_physmap; removing a hole -> -ENOENT
 *  - wallclock: even version, nsec < 1e9 (no dom0 set the time: sec small)
 *  - register_vcpu_info: bad offset, missing vCPU, hole GFN rejected; a good
 *    one flags every selector bit and the upcall; a second one -> -EINVAL
 *  - register_runstate_memory_area written at once (state running)
 *  - other vcpu_ops -> -EINVAL; vm_assist type 5 only; HVM params readable
 */
#include "xen_guest.h"

const char test_name[] = "xen_shinfo";

static uint64_t pages[3][512] __attribute__((aligned(4096)));
static struct vcpu_runstate_info runstate __attribute__((aligned(64)));

static void expect(const char *what, long got, long want)
{
    if (got != want)
        test_fail("%s ret=%ld expected=%ld", what, got, want);
}

static long add_shinfo(uint64_t idx, uint64_t gpfn)
{
    struct xen_add_to_physmap a = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_shared_info, .idx = idx, .gpfn = gpfn};
    return memory_op(XENMEM_add_to_physmap, &a);
}

static long remove_gfn(uint64_t gpfn)
{
    struct xen_remove_from_physmap r = {.domid = DOMID_SELF, .gpfn = gpfn};
    return memory_op(XENMEM_remove_from_physmap, &r);
}

static long reg_vcpu_info(unsigned vcpu, uint64_t gfn, uint32_t offset)
{
    struct vcpu_register_vcpu_info r = {.mfn = gfn, .offset = offset};
    return vcpu_op(VCPUOP_register_vcpu_info, vcpu, &r);
}

void test_main(void)
{
    uint64_t g0 = (uintptr_t)pages[0] >> 12, g1 = (uintptr_t)pages[1] >> 12;
    uint64_t g2 = (uintptr_t)pages[2] >> 12;

    expect("shared_info idx 1", add_shinfo(1, g0), -XEN_EINVAL);
    if (add_shinfo(0, 1ULL << 40) == 0)
        test_fail("shared_info at GFN 1<<40 (beyond the IPA space) accepted");
    expect("shared_info map", add_shinfo(0, g0), 0);
    struct shared_info *s = (struct shared_info *)pages[0];
    expect("shared_info map again", add_shinfo(0, g1), -XEN_EBUSY);
    uint32_t ver = s->wc_version, nsec = s->wc_nsec;
    uint64_t sec = ((uint64_t)s->wc_sec_hi << 32) | s->wc_sec;
    if ((ver & 1) || nsec >= 1000000000u || sec > 86400)
        test_fail("wallclock version=%u sec=%llu nsec=%u", ver, (unsigned long long)sec, nsec);
    expect("remove shared_info", remove_gfn(g0), 0);
    expect("remove hole", remove_gfn(GUEST_HOLE_IPA >> 12), -XEN_ENOENT);
    expect("shared_info map after remove", add_shinfo(0, g1), 0);
    s = (struct shared_info *)pages[1];

    long bad_off = reg_vcpu_info(0, g2, 4096 - 40);
    if (bad_off != -XEN_EINVAL && bad_off != -XEN_ENXIO)
        test_fail("vcpu_info offset 4056 ret=%ld expected -EINVAL/-ENXIO", bad_off);
    expect("vcpu_info vcpu 5", reg_vcpu_info(5, g2, 0), -XEN_ENOENT);
    expect("vcpu_info hole", reg_vcpu_info(0, GUEST_HOLE_IPA >> 12, 0), -XEN_EINVAL);
    expect("vcpu_info", reg_vcpu_info(0, g2, 64), 0);
    struct vcpu_info *vi = (struct vcpu_info *)(pages[2] + 8);
    if (vi->evtchn_pending_sel != ~0ULL || vi->evtchn_upcall_pending != 1)
        test_fail("registered vcpu_info sel=0x%llx upcall=%u expected all ones and 1",
                  (unsigned long long)vi->evtchn_pending_sel, vi->evtchn_upcall_pending);
    expect("vcpu_info twice", reg_vcpu_info(0, g2, 128), -XEN_EINVAL);

    runstate.state = -1;
    struct vcpu_register_runstate_memory_area ra = {.addr = (uintptr_t)&runstate};
    expect("runstate area", vcpu_op(VCPUOP_register_runstate_memory_area, 0, &ra), 0);
    if (runstate.state != RUNSTATE_running || runstate.state_entry_time == 0)
        test_fail("runstate state=%d entry=%llu", runstate.state,
                  (unsigned long long)runstate.state_entry_time);
    expect("is_up", vcpu_op(VCPUOP_is_up, 0, 0), -XEN_EINVAL);
    expect("vcpu up", vcpu_op(VCPUOP_up, 0, 0), -XEN_EINVAL);
    expect("vcpu_op vcpu 9", vcpu_op(VCPUOP_is_up, 9, 0), -XEN_ENOENT);
    expect("vm_assist 5",
           xen_hypercall(__HYPERVISOR_vm_assist, VMASST_CMD_enable,
                         VMASST_TYPE_runstate_update_flag, 0, 0, 0),
           0);
    expect("vm_assist 1", xen_hypercall(__HYPERVISOR_vm_assist, VMASST_CMD_enable, 1, 0, 0, 0),
           -XEN_EINVAL);

    uint64_t cb, store, cons_pfn;
    expect("get CALLBACK_IRQ", hvm_get_param(DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &cb), 0);
    expect("get STORE_PFN", hvm_get_param(DOMID_SELF, HVM_PARAM_STORE_PFN, &store), 0);
    expect("get CONSOLE_PFN", hvm_get_param(DOMID_SELF, HVM_PARAM_CONSOLE_PFN, &cons_pfn), 0);
    test_pass("callback_irq=0x%llx store_pfn=%llu wc_version=%u", (unsigned long long)cb,
              (unsigned long long)store, ver);
}
