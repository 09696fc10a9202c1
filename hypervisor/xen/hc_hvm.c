/*
 * hvm_op: HVMOP_set_param / HVMOP_get_param with Xen/ARM's rules: a domain
 * may read CALLBACK_IRQ, STORE_* and CONSOLE_* of itself; only another
 * (privileged) domain may set them; everything else is -EINVAL.
 */
#include <core/domain.h>
#include <cloison/errno.h>
#include <xen/guest_copy.h>
#include <core/vcpu.h>
#include <xen/xen_domain.h>
#include <public/hvm/hvm_op.h>
#include <public/xen.h>
#include "hypercall.h"
#include <xen/target_domain.h>

/* P_GUEST: the domain reads its own, only others (privileged) set it.
 * P_TOOLSTACK: only others read or set it. 0: not a param on ARM. */
enum { P_GUEST = 1, P_TOOLSTACK = 2 };
static const uint8_t param_access[HVM_NR_PARAMS] = {
    [HVM_PARAM_CALLBACK_IRQ] = P_GUEST,   [HVM_PARAM_STORE_PFN] = P_GUEST,
    [HVM_PARAM_STORE_EVTCHN] = P_GUEST,   [HVM_PARAM_CONSOLE_PFN] = P_GUEST,
    [HVM_PARAM_CONSOLE_EVTCHN] = P_GUEST, [HVM_PARAM_MONITOR_RING_PFN] = P_TOOLSTACK,
};

static int allowed(const struct domain *caller, const struct domain *t, uint32_t index, bool set)
{
    uint8_t acc = index < HVM_NR_PARAMS ? param_access[index] : 0;
    if (!acc)
        return -EINVAL;
    if (t != caller)
        return 0;
    return !set && acc == P_GUEST ? 0 : -EPERM;
}

int64_t do_hvm_op(struct vcpu *v, uint64_t op, uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4)
{
    (void)a2, (void)a3, (void)a4;
    if (op != HVMOP_set_param && op != HVMOP_get_param)
        return -ENOSYS;
    struct xen_hvm_param p;
    if (copy_from_guest(v, &p, arg, sizeof(p)))
        return -EFAULT;
    int rc;
    struct domain *t = target_domain_get(v, p.domid, TARGET_SELF_ID | TARGET_XEN, &rc);
    bool set = op == HVMOP_set_param;
    if (t)
        rc = allowed(v->domain, t, p.index, set);
    if (!rc && set)
        t->xen->hvm_params[p.index] = p.value;
    else if (!rc)
        p.value = t->xen->hvm_params[p.index];
    if (t)
        domain_put(t);
    if (!rc && !set && copy_to_guest(v, arg, &p, sizeof(p)))
        rc = -EFAULT;
    return rc;
}
