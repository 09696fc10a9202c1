/*
 * DOMCTL set_address_size (35), Xen/ARM's arm64 subarch_do_domctl: 64 makes
 * the domain AArch64 (what every Cloison domain is), 32 AArch32 (refused:
 * Cloison runs no AArch32 guest yet, Xen's answer for a CPU without EL1
 * AArch32), anything else -EINVAL. A domain that owns any page is past the
 * point where its mode may change: -EBUSY, even for the mode it has (Xen's
 * switch_mode checks tot_pages first), so libxenguest calls it before the
 * first populate_physmap. get_address_size (36) is x86's only: on ARM it is
 * not a command (-ENOSYS from the table).
 */
#include <cloison/errno.h>
#include <core/domain.h>
#include "ctl.h"

int64_t domctl_set_address_size(struct vcpu *v, struct xen_domctl *op, struct domain *d,
                                bool *copyback)
{
    (void)v, (void)copyback;
    switch (op->u.address_size.size) {
    case 64:
        return ctl_tot_pages(d) ? -EBUSY : 0;
    case 32: /* no AArch32 guests (yet) */
    default:
        return -EINVAL;
    }
}
