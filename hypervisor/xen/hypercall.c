/*
 * Xen hypercall entry: HVC #0xEA1 with the number in x16 and up to five
 * arguments in x0..x4; the result goes to x0. Numbers without a handler
 * return -ENOSYS, as on Xen.
 */
#include <cloison/errno.h>
#include <xen/hypercall.h>
#include <core/vcpu.h>
#include <public/xen.h>
#include <string.h>
#include "hypercall.h"

/*
 * The handler and the name (for the EL2 stretch statistic's classes); fast:
 * every sub-op only reads state and writes the guest's registers and memory
 * (no block, wake, injection, pause, timer, continuation), so the trap layer
 * may return straight to the guest after it (hypercall_fast()).
 */
static const struct {
    hypercall_fn fn;
    const char *name;
    bool fast;
} table[XEN_NR_HYPERCALLS] = {
    [__HYPERVISOR_xen_version] = {do_xen_version, "xen_version", .fast = true},
    [__HYPERVISOR_console_io] = {do_console_io, "console_io", .fast = false},
    [__HYPERVISOR_sched_op] = {do_sched_op, "sched_op", .fast = false},
    [__HYPERVISOR_grant_table_op] = {do_grant_table_op, "grant_table_op", .fast = false},
    [__HYPERVISOR_memory_op] = {do_memory_op, "memory_op", .fast = false},
    [__HYPERVISOR_vm_assist] = {do_vm_assist, "vm_assist", .fast = false},
    [__HYPERVISOR_vcpu_op] = {do_vcpu_op, "vcpu_op", .fast = false},
    [__HYPERVISOR_event_channel_op] = {do_event_channel_op, "event_channel_op", .fast = false},
    [__HYPERVISOR_hvm_op] = {do_hvm_op, "hvm_op", .fast = false},
    [__HYPERVISOR_platform_op] = {do_platform_op, "platform_op", .fast = false},
    [__HYPERVISOR_physdev_op] = {do_physdev_op, "physdev_op", .fast = false},
    [__HYPERVISOR_multicall] = {do_multicall, "multicall", .fast = false},
    [__HYPERVISOR_xsm_op] = {do_xsm_op, "xsm_op", .fast = false},
    [__HYPERVISOR_sysctl] = {do_sysctl, "sysctl", .fast = false},
    [__HYPERVISOR_domctl] = {do_domctl, "domctl", .fast = false},
};

const char *hypercall_name(uint64_t nr)
{
    return nr < XEN_NR_HYPERCALLS ? table[nr].name : NULL;
}

/* Not an errno: handlers return it only through hypercall_continue(). */
#define CONTINUED INT64_MIN

int64_t hypercall_continue(struct vcpu *v, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                           uint64_t a4)
{
    uint64_t *x = v->arch.regs.x;
    x[0] = a0, x[1] = a1, x[2] = a2, x[3] = a3, x[4] = a4;
    v->arch.regs.elr -= 4; /* back to the HVC (ELR points past it); x16 still holds the number */
    return CONTINUED;
}

int64_t hypercall_call(struct vcpu *v, uint64_t nr, uint64_t args[5], bool *continued)
{
    *continued = false;
    hypercall_fn fn = nr < XEN_NR_HYPERCALLS ? table[nr].fn : NULL;
    if (!fn)
        return -ENOSYS;
    if (nr == __HYPERVISOR_multicall)
        return -EINVAL; /* Xen: "Multicall reentry is disallowed" */
    uint64_t *x = v->arch.regs.x, saved[5], elr = v->arch.regs.elr;
    memcpy(saved, x, sizeof(saved));
    int64_t ret = fn(v, args[0], args[1], args[2], args[3], args[4]);
    if (ret == CONTINUED) {
        /* hypercall_continue() put the call's own continuation in the
         * registers: hand it to the multicall and put the registers back. */
        memcpy(args, x, sizeof(saved));
        memcpy(x, saved, sizeof(saved));
        v->arch.regs.elr = elr;
        *continued = true;
        ret = 0;
    }
    return ret;
}

void hypercall_dispatch32(struct vcpu *v, unsigned int nr_reg)
{
    /* Only the low halves are the guest's: its pointers are 32-bit VAs. */
    uint64_t *x = v->arch.regs.x;
    uint64_t nr = (uint32_t)x[nr_reg];
    hypercall_fn fn = nr < XEN_NR_HYPERCALLS ? table[nr].fn : NULL;
    int64_t ret =
        fn ? fn(v, (uint32_t)x[0], (uint32_t)x[1], (uint32_t)x[2], (uint32_t)x[3], (uint32_t)x[4])
           : -ENOSYS;
    if (ret != CONTINUED)
        x[0] = (uint32_t)ret;
}

bool hypercall_fast(struct vcpu *v)
{
    uint64_t *x = v->arch.regs.x;
    uint64_t nr = x[16];
    if (nr >= XEN_NR_HYPERCALLS || !table[nr].fast)
        return false;
    x[0] = (uint64_t)table[nr].fn(v, x[0], x[1], x[2], x[3], x[4]);
    return true;
}

bool hypercall_fast32(struct vcpu *v, unsigned int nr_reg)
{
    uint64_t *x = v->arch.regs.x;
    uint64_t nr = (uint32_t)x[nr_reg];
    if (nr >= XEN_NR_HYPERCALLS || !table[nr].fast)
        return false;
    x[0] = (uint32_t)table[nr].fn(v, (uint32_t)x[0], (uint32_t)x[1], (uint32_t)x[2], (uint32_t)x[3],
                                  (uint32_t)x[4]);
    return true;
}

void hypercall_dispatch(struct vcpu *v)
{
    uint64_t nr = v->arch.regs.x[16];
    uint64_t *x = v->arch.regs.x;
    hypercall_fn fn = nr < XEN_NR_HYPERCALLS ? table[nr].fn : NULL;
    int64_t ret = fn ? fn(v, x[0], x[1], x[2], x[3], x[4]) : -ENOSYS;
    /* A handler that ended the domain or blocked leaves x0 to be seen on resume. */
    if (ret != CONTINUED)
        v->arch.regs.x[0] = (uint64_t)ret;
}
