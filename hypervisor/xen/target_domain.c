/* See xen/target_domain.h. */
#include <core/domain.h>
#include <core/vcpu.h>
#include <cloison/errno.h>
#include <xen/target_domain.h>
#include <public/xen.h>

static bool permitted(const struct domain *caller, const struct domain *t, unsigned int flags)
{
    if (flags & TARGET_ANY_CALLER)
        return true;
    if (flags & TARGET_CONTROL)
        return caller->is_privileged;
    return t == caller || caller->is_privileged;
}

struct domain *target_domain_get(const struct vcpu *v, uint32_t domid, unsigned int flags, int *rc)
{
    struct domain *caller = v->domain;
    if (domid == DOMID_SELF && (flags & TARGET_SELF_ID))
        domid = caller->id;
    /* Referenced for the call: a concurrent teardown waits for the put. */
    struct domain *t = domid < DOMID_FIRST_RESERVED ? domain_get((uint16_t)domid) : NULL;
    *rc = 0;
    if (!t || ((flags & TARGET_XEN) && !t->xen))
        *rc = -ESRCH;
    else if (!permitted(caller, t, flags))
        *rc = -EPERM;
    if (*rc && t) {
        domain_put(t);
        t = NULL;
    }
    return t;
}
