/*
 * vcpu_op on ARM: register_vcpu_info and register_runstate_memory_area; every
 * other command is -EINVAL (not -ENOSYS), a vCPU that does not exist -ENOENT.
 */
#include <core/domain.h>
#include <cloison/errno.h>
#include <xen/guest_copy.h>
#include <xen/shared_info.h>
#include <core/vcpu.h>
#include <xen/xen_domain.h>
#include <public/vcpu.h>
#include "hypercall.h"

static int op_register_vcpu_info(struct vcpu *v, unsigned int id, uint64_t arg)
{
    struct vcpu_register_vcpu_info r;
    if (copy_from_guest(v, &r, arg, sizeof(r)))
        return -EFAULT;
    return xen_register_vcpu_info(v, id, r.mfn, r.offset);
}

static int op_register_runstate(struct vcpu *v, unsigned int id, uint64_t arg)
{
    struct vcpu_register_runstate_memory_area r;
    if (copy_from_guest(v, &r, arg, sizeof(r)))
        return -EFAULT;
    v->domain->xen->vcpu[id].runstate_va = r.addr;
    /* Xen writes it at once when the target is the caller (we can only
     * translate the caller's addresses); others get it when they run. */
    if (v->id == id)
        xen_runstate_update(v);
    return 0;
}

typedef int (*vcpu_op_fn)(struct vcpu *v, unsigned int id, uint64_t arg);
static const vcpu_op_fn ops[] = {
    [VCPUOP_register_runstate_memory_area] = op_register_runstate,
    [VCPUOP_register_vcpu_info] = op_register_vcpu_info,
};

int64_t do_vcpu_op(struct vcpu *v, uint64_t cmd, uint64_t vcpuid, uint64_t arg, uint64_t a3,
                   uint64_t a4)
{
    (void)a3, (void)a4;
    cmd = (uint32_t)cmd, vcpuid = (uint32_t)vcpuid; /* int, unsigned int on Xen */
    if (!v->domain->xen)
        return -ENOSYS;
    if (vcpuid >= v->domain->nr_vcpus)
        return -ENOENT;
    if (cmd >= ARRAY_SIZE(ops) || !ops[cmd])
        return -EINVAL;
    return ops[cmd](v, (unsigned int)vcpuid, arg);
}
