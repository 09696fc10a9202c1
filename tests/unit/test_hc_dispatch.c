/*
 * xen/hypercall.c and what every decoder shares: numbers without a handler
 * are -ENOSYS, the result lands in x0 (and only there), a continuation
 * rewrites x0..x4 and rewinds ELR onto the HVC with x16 kept, and each
 * sub-command is read with the width of Xen's prototype (an int ignores bits
 * 63:32, an unsigned long does not). The Xen state underneath is real.
 */
#include "harness.h"
#include "hc_util.h"
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/hvm/hvm_op.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <xen/hypercall.h>

#define HI 0xdeadbeef00000000ULL /* garbage in bits 63:32 */

static struct domain *d0, *d1, *vm;

/* dom0 (control, Xen), d1 (a Xen-enhanced domU), d2 (a plain VM). */
static void world(void)
{
    fake_world_reset();
    d0 = fake_domain(0, FAKE_XEN | FAKE_PRIV, 2);
    d1 = fake_domain(1, FAKE_XEN, 2);
    vm = fake_domain(2, 0, 1);
}

TEST(numbers_without_a_handler_are_enosys)
{
    world();
    static const uint64_t nrs[] = {0,
                                   1,
                                   __HYPERVISOR_sched_op_compat,
                                   __HYPERVISOR_event_channel_op_compat,
                                   __HYPERVISOR_xsm_op,
                                   __HYPERVISOR_dm_op,
                                   XEN_NR_HYPERCALLS - 1,
                                   XEN_NR_HYPERCALLS,
                                   (1ULL << 32) | __HYPERVISOR_xen_version, /* x16 is 64 bits */
                                   UINT64_MAX};
    for (size_t i = 0; i < ARRAY_SIZE(nrs); i++) {
        CHECK(fails_clean(vcpu0(d1), nrs[i], ARG, ARG, ARG, -ENOSYS));
        CHECK_EQ(vcpu0(d1)->arch.regs.elr, FAKE_HVC_PC + 4);
    }
}

TEST(the_result_is_x0_sign_extended_and_nothing_else_moves)
{
    world();
    struct vcpu *v = vcpu0(d1);
    CHECK_EQ(fake_hypercall(v, __HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0), 0x40011);
    CHECK_EQ(v->arch.regs.x[0], 0x40011);
    CHECK(fake_regs_intact(v, __HYPERVISOR_xen_version));
    CHECK_EQ(v->arch.regs.x[1], 0); /* arguments are not results */
    fake_hypercall(v, __HYPERVISOR_xen_version, 99, 7, 8, 9, 10);
    CHECK_EQ(v->arch.regs.x[0], (uint64_t)-ENOSYS);
    CHECK_EQ(v->arch.regs.x[1], 7);
    CHECK_EQ(v->arch.regs.x[4], 10);
    CHECK_EQ(v->arch.regs.elr, FAKE_HVC_PC + 4);
    CHECK(quiet());
}

/* The Xen interface's own hypercalls, from a domain without it. */
TEST(a_plain_vm_has_no_xen_interface)
{
    world();
    struct vcpu *v = vcpu0(vm);
    CHECK(fails_clean(v, __HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, ARG, 0, -ENOSYS));
    CHECK(fails_clean(v, __HYPERVISOR_grant_table_op, GNTTABOP_query_size, ARG, 1, -ENOSYS));
    CHECK(fails_clean(v, __HYPERVISOR_memory_op, XENMEM_current_reservation, ARG, 0, -ENOSYS));
    CHECK(fails_clean(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, ARG, -ENOSYS));
    CHECK(fails_clean(v, __HYPERVISOR_vm_assist, VMASST_CMD_enable,
                      VMASST_TYPE_runstate_update_flag, 0, -EINVAL));
}

/* A 3000-byte console write is 2048 bytes now and the rest on re-issue. */
TEST(a_continuation_rewrites_the_arguments_and_rewinds_to_the_hvc)
{
    world();
    struct vcpu *v = vcpu0(d1);
    char text[3000];
    for (size_t i = 0; i < sizeof(text); i++)
        text[i] = (char)('a' + i % 26);
    put(d1, ARG, text, sizeof(text));
    uint64_t cmd = HI | CONSOLEIO_write;
    int64_t rc = fake_hypercall(v, __HYPERVISOR_console_io, cmd, sizeof(text), ARG, 0, 0);
    CHECK(fake_continued(v));
    CHECK_EQ(rc, (int64_t)cmd); /* x0 is the re-issued cmd, not a result */
    CHECK_EQ(v->arch.regs.x[1], 3000 - 2048);
    CHECK_EQ(v->arch.regs.x[2], ARG + 2048);
    CHECK_EQ(v->arch.regs.x[3], 0);
    CHECK(fake_regs_intact(v, __HYPERVISOR_console_io));
    CHECK_EQ(fake_con_len[1], 2048);
    CHECK_EQ(fake_reissue(v), 0);
    CHECK(!fake_continued(v));
    CHECK_EQ(v->arch.regs.elr, FAKE_HVC_PC + 4);
    CHECK_EQ(fake_con_len[1], sizeof(text));
    CHECK(memcmp(fake_con_out[1], text, sizeof(text)) == 0);
    CHECK(quiet());
}

/* int (or unsigned int) sub-commands: bits 63:32 are not looked at. */
TEST(int_sub_commands_ignore_bits_63_32)
{
    world();
    struct vcpu *v = vcpu0(d1);
    CHECK_EQ(fake_hypercall(v, __HYPERVISOR_xen_version, HI | XENVER_pagesize, 0, 0, 0, 0), 4096);
    CHECK_EQ(fake_hypercall(v, __HYPERVISOR_sched_op, HI | SCHEDOP_yield, 0, 0, 0, 0), 0);
    CHECK_EQ(fake_yields, 1);

    struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = 0};
    put(d1, ARG, &au, sizeof(au));
    CHECK_EQ(
        fake_hypercall(v, __HYPERVISOR_event_channel_op, HI | EVTCHNOP_alloc_unbound, ARG, 0, 0, 0),
        0);
    get(d1, ARG, &au, sizeof(au));
    CHECK_EQ(au.port, 1);

    /* vcpu_op: int cmd, unsigned int vcpuid */
    struct vcpu_register_runstate_memory_area ra = {.addr = ARG2};
    put(d1, ARG, &ra, sizeof(ra));
    CHECK_EQ(fake_hypercall(v, __HYPERVISOR_vcpu_op, HI | VCPUOP_register_runstate_memory_area,
                            HI | 1, ARG, 0, 0),
             0);
    CHECK_EQ(d1->xen->vcpu[1].runstate_va, ARG2);

    /* grant_table_op: unsigned int cmd and count */
    struct gnttab_query_size q = {.dom = DOMID_SELF};
    put(d1, ARG, &q, sizeof(q));
    CHECK_EQ(
        fake_hypercall(v, __HYPERVISOR_grant_table_op, HI | GNTTABOP_query_size, ARG, HI | 1, 0, 0),
        0);
    get(d1, ARG, &q, sizeof(q));
    CHECK_EQ(q.status, GNTST_okay);
    CHECK_EQ(q.nr_frames, 1);

    /* console_io: unsigned int cmd and count */
    put(d1, ARG, "hi\n", 3);
    CHECK_EQ(fake_hypercall(v, __HYPERVISOR_console_io, HI | CONSOLEIO_write, HI | 3, ARG, 0, 0),
             0);
    CHECK_EQ(fake_con_len[1], 3);

    /* vm_assist: unsigned int cmd and type */
    CHECK_EQ(fake_hypercall(v, __HYPERVISOR_vm_assist, HI | VMASST_CMD_enable,
                            HI | VMASST_TYPE_runstate_update_flag, 0, 0, 0),
             0);
    CHECK(d1->xen->vmasst_runstate_flag);
    CHECK(quiet());
}

/* unsigned long sub-commands: memory_op's upper bits are the extent to
 * resume from (so an add_to_physmap with them is -EDOM), hvm_op's are part of
 * the number. */
TEST(unsigned_long_sub_commands_use_all_64_bits)
{
    world();
    struct vcpu *v = vcpu0(d1);
    uint16_t self = DOMID_SELF;
    put(d1, ARG, &self, sizeof(self));
    CHECK_EQ(fake_hypercall(v, __HYPERVISOR_memory_op, XENMEM_maximum_reservation, ARG, 0, 0, 0),
             FAKE_RAM_PAGES);
    CHECK(fails_clean(v, __HYPERVISOR_memory_op, HI | XENMEM_add_to_physmap, ARG, 0, -EDOM));
    CHECK(fails_clean(v, __HYPERVISOR_hvm_op, HI | HVMOP_get_param, ARG, 0, -ENOSYS));
}

/* The fast entry (the trap layer's exit without the scheduler pass): only
 * xen_version takes it, with exactly the dispatcher's results and widths;
 * any other number (served or not) is refused with nothing run or moved,
 * so the trap layer dispatches it as usual. */
static int64_t fast(struct vcpu *v, uint64_t nr, uint64_t a0, uint64_t a1, bool aarch32, bool *ok)
{
    uint64_t *x = v->arch.regs.x;
    for (unsigned int i = 0; i < 31; i++)
        x[i] = 0x5a5a000000000000ULL | i;
    x[aarch32 ? 12 : 16] = nr;
    x[0] = a0, x[1] = a1;
    v->arch.regs.elr = FAKE_HVC_PC + 4;
    *ok = aarch32 ? hypercall_fast32(v, 12) : hypercall_fast(v);
    return (int64_t)x[0];
}

TEST(only_xen_version_takes_the_fast_entry)
{
    world();
    struct vcpu *v = vcpu0(d1);
    bool ok;
    for (uint64_t nr = 0; nr < XEN_NR_HYPERCALLS + 2; nr++) {
        if (nr == __HYPERVISOR_xen_version)
            continue;
        CHECK_EQ(fast(v, nr, ARG, ARG, false, &ok), ARG);
        CHECK(!ok);
        CHECK_EQ(fast(v, nr, ARG, ARG, true, &ok), ARG);
        CHECK(!ok);
        for (unsigned int i = 2; i < 31; i++)
            CHECK_EQ(v->arch.regs.x[i], (i == 12 ? nr : 0x5a5a000000000000ULL | i));
        CHECK_EQ(v->arch.regs.elr, FAKE_HVC_PC + 4);
    }
    fast(v, (1ULL << 32) | __HYPERVISOR_xen_version, 0, 0, false, &ok); /* x16 is 64 bits */
    CHECK(!ok);

    unsigned int upcalls = fake_upcalls[1][0], yields = fake_yields, blocks = fake_blocks;
    CHECK_EQ(fast(v, __HYPERVISOR_xen_version, HI | XENVER_version, 0, false, &ok), 0x40011);
    CHECK(ok);
    CHECK_EQ(fast(v, __HYPERVISOR_xen_version, XENVER_pagesize, 0, true, &ok), 4096);
    CHECK(ok);
    CHECK_EQ(fast(v, __HYPERVISOR_xen_version, 99, 0, true, &ok), (uint32_t)-ENOSYS);
    CHECK(ok); /* 32-bit: the result is r0's 32 bits */
    CHECK_EQ(fast(v, __HYPERVISOR_xen_version, 99, 0, false, &ok), -ENOSYS);
    CHECK(ok && v->arch.regs.elr == FAKE_HVC_PC + 4 && v->arch.regs.x[1] == 0);
    CHECK_EQ(fake_upcalls[1][0], upcalls);
    CHECK_EQ(fake_yields, yields);
    CHECK_EQ(fake_blocks, blocks);
    CHECK(quiet());
}
