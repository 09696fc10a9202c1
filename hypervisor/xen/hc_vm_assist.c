/* vm_assist: ARM knows only VMASST_TYPE_runstate_update_flag (type 5). */
#include <core/domain.h>
#include <cloison/errno.h>
#include <core/vcpu.h>
#include <xen/xen_domain.h>
#include <public/vcpu.h>
#include "hypercall.h"

int64_t do_vm_assist(struct vcpu *v, uint64_t cmd, uint64_t type, uint64_t a2, uint64_t a3,
                     uint64_t a4)
{
    (void)a2, (void)a3, (void)a4;
    cmd = (uint32_t)cmd, type = (uint32_t)type; /* unsigned ints on Xen */
    struct xen_dom *x = v->domain->xen;
    if (!x || type != VMASST_TYPE_runstate_update_flag)
        return -EINVAL;
    if (cmd != VMASST_CMD_enable && cmd != VMASST_CMD_disable)
        return -ENOSYS;
    x->vmasst_runstate_flag = cmd == VMASST_CMD_enable;
    return 0;
}
