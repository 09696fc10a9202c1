/*
 * sched_op, vcpu_op, vm_assist and hvm_op (xen/hc_sched.c, hc_vcpu.c,
 * hc_vm_assist.c, hc_hvm.c): Xen 4.17's checks and error codes, results
 * copied back only on success, and what reaches the scheduler and the
 * domain (yield, block, shutdown reasons, vcpu_info, runstate areas).
 */
#include "harness.h"
#include "hc_util.h"
#include <public/event_channel.h>
#include <public/hvm/hvm_op.h>
#include <public/sched.h>
#include <public/vcpu.h>

#define SCHED __HYPERVISOR_sched_op
#define VCPU __HYPERVISOR_vcpu_op
#define HVM __HYPERVISOR_hvm_op

static struct domain *d0, *d1, *vm;

static void world(void)
{
    fake_world_reset();
    d0 = fake_domain(0, FAKE_XEN | FAKE_PRIV, 1);
    d1 = fake_domain(1, FAKE_XEN, 2);
    vm = fake_domain(2, 0, 1);
}

TEST(yield_block_and_unknown_commands)
{
    world();
    struct vcpu *v = vcpu0(d1);
    CHECK(fails_clean(v, SCHED, SCHEDOP_yield, BAD_VA, 0, 0));
    CHECK_EQ(fake_yields, 1);
    CHECK_EQ(fake_pvcons_polls, 1); /* a full console ring drains on yield */
    CHECK(fails_clean(v, SCHED, SCHEDOP_block, BAD_VA, 0, 0));
    CHECK_EQ(fake_blocks, 1);
    CHECK(fails_clean(v, SCHED, SCHEDOP_watchdog, ARG, 0, -ENOSYS));
    CHECK(fails_clean(v, SCHED, SCHEDOP_pin_override, ARG, 0, -ENOSYS));
    CHECK(fails_clean(v, SCHED, 0xffffffffULL, ARG, 0, -ENOSYS));
    CHECK_EQ(fake_yields + fake_blocks, 2);
}

TEST(shutdown_reasons)
{
    world();
    struct vcpu *v = vcpu0(d1);
    struct sched_shutdown sd = {.reason = SHUTDOWN_MAX + 1};
    put(d1, ARG, &sd, sizeof(sd));
    CHECK(fails_clean(v, SCHED, SCHEDOP_shutdown, ARG, 0, -EINVAL));
    CHECK(fails_clean(v, SCHED, SCHEDOP_shutdown_code, ARG, 0, -EINVAL));
    CHECK(fails_clean(v, SCHED, SCHEDOP_shutdown, BAD_VA, 0, -EFAULT));
    CHECK(fails_clean(v, SCHED, SCHEDOP_shutdown_code, FAKE_RAM_END - 2, 0, -EFAULT));
    CHECK_EQ(fake_shutdowns, 0);
    /* shutdown_code records the reason only (latched by core: test_domain_life). */
    sd.reason = SHUTDOWN_crash;
    put(d1, ARG, &sd, sizeof(sd));
    CHECK_EQ(fake_hypercall(v, SCHED, SCHEDOP_shutdown_code, ARG, 0, 0, 0), 0);
    CHECK_EQ(d1->shutdown_reason, SHUTDOWN_crash);
    CHECK_EQ(fake_shutdowns, 0);
    sd.reason = SHUTDOWN_reboot;
    put(d1, ARG, &sd, sizeof(sd));
    CHECK_EQ(fake_hypercall(v, SCHED, SCHEDOP_shutdown, ARG, 0, 0, 0), 0);
    CHECK_EQ(d1->shutdown_reason, SHUTDOWN_reboot);
    CHECK_EQ(fake_shutdowns, 1);
}

TEST(remote_shutdown_is_for_the_control_domain)
{
    world();
    struct sched_remote_shutdown rs = {.domain_id = 1, .reason = SHUTDOWN_poweroff};
    put(d1, ARG, &rs, sizeof(rs));
    CHECK(fails_clean(vcpu0(d1), SCHED, SCHEDOP_remote_shutdown, ARG, 0, -EPERM));
    rs.domain_id = DOMID_SELF; /* a real domain only */
    put(d0, ARG, &rs, sizeof(rs));
    CHECK(fails_clean(vcpu0(d0), SCHED, SCHEDOP_remote_shutdown, ARG, 0, -ESRCH));
    rs.domain_id = 3;
    put(d0, ARG, &rs, sizeof(rs));
    CHECK(fails_clean(vcpu0(d0), SCHED, SCHEDOP_remote_shutdown, ARG, 0, -ESRCH));
    rs = (struct sched_remote_shutdown){.domain_id = 2, .reason = 9};
    put(d0, ARG, &rs, sizeof(rs));
    CHECK(fails_clean(vcpu0(d0), SCHED, SCHEDOP_remote_shutdown, ARG, 0, -EINVAL));
    CHECK(fails_clean(vcpu0(d0), SCHED, SCHEDOP_remote_shutdown, BAD_VA, 0, -EFAULT));
    CHECK_EQ(fake_shutdowns, 0);
    rs.reason = SHUTDOWN_poweroff;
    put(d0, ARG, &rs, sizeof(rs));
    CHECK_EQ(fake_hypercall(vcpu0(d0), SCHED, SCHEDOP_remote_shutdown, ARG, 0, 0, 0), 0);
    CHECK_EQ(fake_shutdowns, 1);
    CHECK_EQ(vm->shutdown_reason, SHUTDOWN_poweroff);
    CHECK(quiet());
}

/* poll: 0 at once for a pending port; blocks only when the upcall will
 * certainly wake it (no timeout, nothing masked); yields otherwise. */
TEST(poll)
{
    world();
    struct vcpu *v = vcpu0(d1);
    struct xen_dom *x = d1->xen;
    uint32_t ports[2] = {1, 2};
    put(d1, ARG2, ports, sizeof(ports));
    struct sched_poll p = {.ports = ARG2, .nr_ports = 129};
    put(d1, ARG, &p, sizeof(p));
    CHECK(fails_clean(v, SCHED, SCHEDOP_poll, ARG, 0, -EINVAL));
    p.nr_ports = 2;
    p.ports = FAKE_RAM_END - 4;
    put(d1, ARG, &p, sizeof(p));
    CHECK(fails_clean(v, SCHED, SCHEDOP_poll, ARG, 0, -EFAULT));
    CHECK(fails_clean(v, SCHED, SCHEDOP_poll, BAD_VA, 0, -EFAULT));
    ports[1] = 4096; /* beyond the 2-level ABI */
    put(d1, ARG2, ports, sizeof(ports));
    p.ports = ARG2;
    put(d1, ARG, &p, sizeof(p));
    CHECK(fails_clean(v, SCHED, SCHEDOP_poll, ARG, 0, -EINVAL));
    CHECK_EQ(fake_blocks + fake_yields, 0);

    ports[1] = 2;
    put(d1, ARG2, ports, sizeof(ports));
    x->shinfo->evtchn_mask[0] = 0;
    CHECK_EQ(fake_hypercall(v, SCHED, SCHEDOP_poll, ARG, 0, 0, 0), 0);
    CHECK_EQ(fake_blocks, 1);
    x->shinfo->evtchn_mask[0] = 1u << 2;
    CHECK_EQ(fake_hypercall(v, SCHED, SCHEDOP_poll, ARG, 0, 0, 0), 0);
    CHECK_EQ(fake_yields, 1);
    x->shinfo->evtchn_mask[0] = 0;
    p.timeout = 1000;
    put(d1, ARG, &p, sizeof(p));
    CHECK_EQ(fake_hypercall(v, SCHED, SCHEDOP_poll, ARG, 0, 0, 0), 0);
    CHECK_EQ(fake_yields, 2);
    x->shinfo->evtchn_pending[0] = 1u << 2;
    CHECK_EQ(fake_hypercall(v, SCHED, SCHEDOP_poll, ARG, 0, 0, 0), 0);
    CHECK_EQ(fake_yields + fake_blocks, 3);
    x->shinfo->evtchn_pending[0] = 0;
    x->shinfo->vcpu_info[0].evtchn_upcall_pending = 1;
    CHECK_EQ(fake_hypercall(v, SCHED, SCHEDOP_poll, ARG, 0, 0, 0), 0);
    CHECK_EQ(fake_yields + fake_blocks, 3);
    /* A domain without the Xen interface reads the request, then -ENOSYS. */
    put(vm, ARG, &p, sizeof(p));
    CHECK(fails_clean(vcpu0(vm), SCHED, SCHEDOP_poll, ARG, 0, -ENOSYS));
}

TEST(vcpu_op)
{
    world();
    struct vcpu *v = vcpu0(d1);
    CHECK(fails_clean(v, VCPU, VCPUOP_register_vcpu_info, 2, ARG, -ENOENT));
    CHECK(fails_clean(v, VCPU, VCPUOP_register_vcpu_info, 0xffffffffULL, ARG, -ENOENT));
    CHECK(fails_clean(v, VCPU, VCPUOP_up, 0, ARG, -EINVAL));
    CHECK(fails_clean(v, VCPU, VCPUOP_get_runstate_info, 0, ARG, -EINVAL));
    CHECK(fails_clean(v, VCPU, 0xffffffffULL, 0, ARG, -EINVAL));
    CHECK(fails_clean(v, VCPU, VCPUOP_register_vcpu_info, 0, BAD_VA, -EFAULT));
    CHECK(fails_clean(v, VCPU, VCPUOP_register_runstate_memory_area, 0, BAD_VA, -EFAULT));

    /* vcpu_info: offset within the page and 8-aligned, own RAM, once. */
    struct vcpu_register_vcpu_info ri = {.mfn = FAKE_RAM_GFN + 3, .offset = 4096 - 32};
    put(d1, ARG, &ri, sizeof(ri));
    CHECK(fails_clean(v, VCPU, VCPUOP_register_vcpu_info, 0, ARG, -ENXIO));
    ri.offset = 4;
    put(d1, ARG, &ri, sizeof(ri));
    CHECK(fails_clean(v, VCPU, VCPUOP_register_vcpu_info, 0, ARG, -ENXIO));
    ri = (struct vcpu_register_vcpu_info){.mfn = 0x38000, .offset = 64};
    put(d1, ARG, &ri, sizeof(ri));
    CHECK(fails_clean(v, VCPU, VCPUOP_register_vcpu_info, 0, ARG, -EINVAL));
    ri.mfn = FAKE_RAM_GFN + 3;
    put(d1, ARG, &ri, sizeof(ri));
    CHECK(fails_clean(v, VCPU, VCPUOP_register_vcpu_info, 1, ARG, -EINVAL)); /* vCPU 1 runs */
    CHECK_EQ(fake_hypercall(v, VCPU, VCPUOP_register_vcpu_info, 0, ARG, 0, 0), 0);
    CHECK(d1->xen->vcpu[0].vi == fake_gva(d1, ((FAKE_RAM_GFN + 3) << PAGE_SHIFT) + 64));
    CHECK_EQ(fake_hypercall(v, VCPU, VCPUOP_register_vcpu_info, 0, ARG, 0, 0), -EINVAL);
    d1->vcpus[1]->state = VCPU_OFF;
    ri.offset = 128;
    put(d1, ARG, &ri, sizeof(ri));
    CHECK_EQ(fake_hypercall(v, VCPU, VCPUOP_register_vcpu_info, 1, ARG, 0, 0), 0);

    /* Runstate areas: written at once only for the caller itself. */
    struct vcpu_register_runstate_memory_area ra = {.addr = ARG3};
    put(d1, ARG, &ra, sizeof(ra));
    CHECK_EQ(fake_hypercall(v, VCPU, VCPUOP_register_runstate_memory_area, 1, ARG, 0, 0), 0);
    CHECK_EQ(d1->xen->vcpu[1].runstate_va, ARG3);
    CHECK_EQ(fake_runstate_updates, 0);
    CHECK_EQ(fake_hypercall(v, VCPU, VCPUOP_register_runstate_memory_area, 0, ARG, 0, 0), 0);
    CHECK_EQ(fake_runstate_updates, 1);
    CHECK(quiet());
}

TEST(vm_assist)
{
    world();
    struct vcpu *v = vcpu0(d1);
    CHECK(fails_clean(v, __HYPERVISOR_vm_assist, VMASST_CMD_enable, 0, 0, -EINVAL));
    CHECK(fails_clean(v, __HYPERVISOR_vm_assist, 2, VMASST_TYPE_runstate_update_flag, 0, -ENOSYS));
    CHECK(fails_clean(v, __HYPERVISOR_vm_assist, VMASST_CMD_enable,
                      VMASST_TYPE_runstate_update_flag, 0, 0));
    CHECK(d1->xen->vmasst_runstate_flag);
    CHECK(fails_clean(v, __HYPERVISOR_vm_assist, VMASST_CMD_disable,
                      VMASST_TYPE_runstate_update_flag, 0, 0));
    CHECK(!d1->xen->vmasst_runstate_flag);
}

static int64_t hvm(struct domain *d, uint64_t op, struct xen_hvm_param *p)
{
    put(d, ARG, p, sizeof(*p));
    int64_t rc = fake_hypercall(vcpu0(d), HVM, op, ARG, 0, 0, 0);
    get(d, ARG, p, sizeof(*p));
    return rc;
}

static bool hvm_fails(struct domain *d, uint64_t op, uint16_t dom, uint32_t index, int64_t want)
{
    struct xen_hvm_param p = {.domid = dom, .index = index, .value = 0x77};
    put(d, ARG, &p, sizeof(p));
    return fails_clean(vcpu0(d), HVM, op, ARG, 0, want);
}

/* A domain reads its own guest params; only others (the control domain)
 * set them; the monitor ring is the toolstack's alone; the rest is -EINVAL. */
TEST(hvm_params)
{
    world();
    CHECK(hvm_fails(d1, HVMOP_guest_request_vm_event, DOMID_SELF, 0, -ENOSYS));
    CHECK(hvm_fails(d1, 2, DOMID_SELF, 0, -ENOSYS));
    CHECK(fails_clean(vcpu0(d1), HVM, HVMOP_get_param, BAD_VA, 0, -EFAULT));
    CHECK(hvm_fails(d1, HVMOP_get_param, 7, HVM_PARAM_STORE_PFN, -ESRCH));
    CHECK(hvm_fails(d0, HVMOP_get_param, 2, HVM_PARAM_STORE_PFN, -ESRCH)); /* no Xen interface */
    CHECK(hvm_fails(d1, HVMOP_get_param, 0, HVM_PARAM_STORE_PFN, -EPERM));
    CHECK(hvm_fails(d1, HVMOP_set_param, DOMID_SELF, HVM_PARAM_STORE_PFN, -EPERM));
    CHECK(hvm_fails(d1, HVMOP_get_param, DOMID_SELF, HVM_PARAM_MONITOR_RING_PFN, -EPERM));
    CHECK(hvm_fails(d1, HVMOP_get_param, DOMID_SELF, 3, -EINVAL));
    CHECK(hvm_fails(d0, HVMOP_set_param, 1, HVM_NR_PARAMS, -EINVAL));
    CHECK(hvm_fails(d0, HVMOP_set_param, 1, 0xffffffffu, -EINVAL));

    struct xen_hvm_param p = {.domid = 1, .index = HVM_PARAM_STORE_PFN, .value = 0xfeed};
    uint64_t written = fake_guest_writes;
    CHECK_EQ(hvm(d0, HVMOP_set_param, &p), 0);
    CHECK_EQ(fake_guest_writes, written); /* set has no results */
    p = (struct xen_hvm_param){.domid = DOMID_SELF, .index = HVM_PARAM_STORE_PFN};
    CHECK_EQ(hvm(d1, HVMOP_get_param, &p), 0);
    CHECK_EQ(p.value, 0xfeed);
    CHECK_EQ(p.domid, DOMID_SELF);
    p = (struct xen_hvm_param){.domid = 1, .index = HVM_PARAM_MONITOR_RING_PFN, .value = 5};
    CHECK_EQ(hvm(d0, HVMOP_set_param, &p), 0);
    p.value = 0;
    CHECK_EQ(hvm(d0, HVMOP_get_param, &p), 0);
    CHECK_EQ(p.value, 5);
    /* A result that cannot be copied back. */
    p = (struct xen_hvm_param){.domid = DOMID_SELF, .index = HVM_PARAM_STORE_PFN};
    put(d1, ARG, &p, sizeof(p));
    fake_ro_gfn = ARG >> PAGE_SHIFT;
    CHECK_EQ(fake_hypercall(vcpu0(d1), HVM, HVMOP_get_param, ARG, 0, 0, 0), -EFAULT);
    fake_ro_gfn = 0;
    CHECK(quiet());
}

TEST(teardown_frees_everything)
{
    world();
    fake_world_reset();
    CHECK(quiet());
}
