/*
 * DOMCTL set_address_size (35), Xen/ARM's arm64 subarch_do_domctl: 64 makes
 * the domain AArch64 (every domain starts so), 32 AArch32 (libxenguest asks
 * for it when it loads a zImage: every vCPU then runs AArch32 at EL1; -EINVAL
 * on a CPU without EL1 AArch32, as Xen), anything else -EINVAL. A domain that owns any page is past the
 * point where its mode may change: -EBUSY, even for the mode it has (Xen's
 * switch_mode checks tot_pages first), so libxenguest calls it before the
 * first populate_physmap. get_address_size (36) is x86's only: on ARM it is
 * not a command (-ENOSYS from the table).
 */
#include <cloison/errno.h>
#include <core/domain.h>
#include <core/vcpu.h>
#include <asm/cpu.h>
#include "ctl.h"

static int64_t set_width(struct domain *d, bool aarch32)
{
    if (ctl_tot_pages(d))
        return -EBUSY;
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        d->vcpus[i]->arch.aarch32 = aarch32;
    return 0;
}

int64_t domctl_set_address_size(struct vcpu *v, struct xen_domctl *op, struct domain *d,
                                bool *copyback)
{
    (void)v, (void)copyback;
    switch (op->u.address_size.size) {
    case 64:
        return set_width(d, false);
    case 32:
        return cpu_caps.el1_aarch32 ? set_width(d, true) : -EINVAL;
    default:
        return -EINVAL;
    }
}
