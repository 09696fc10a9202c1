/* sched_op: yield, block, shutdown (and shutdown_code, which ARM guests use
 * to record a reason before a shutdown). */
#include <cloison/domain.h>
#include <cloison/errno.h>
#include <cloison/guest_copy.h>
#include <cloison/pvconsole.h>
#include <cloison/sched.h>
#include <cloison/vcpu.h>
#include <public/sched.h>
#include "hypercall.h"

int64_t do_sched_op(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t a2, uint64_t a3,
                    uint64_t a4)
{
    (void)a2, (void)a3, (void)a4;
    struct sched_shutdown sd;
    switch (cmd) {
    case SCHEDOP_yield:
        pvconsole_poll(v->domain); /* a guest with a full console ring yields until drained */
        vcpu_yield(v);
        return 0;
    case SCHEDOP_block:
        vcpu_block(v);
        return 0;
    case SCHEDOP_shutdown:
        if (copy_from_guest(v, &sd, arg, sizeof(sd)))
            return -EFAULT;
        if (sd.reason > SHUTDOWN_MAX)
            return -EINVAL;
        domain_shutdown(v->domain, sd.reason);
        return 0;
    case SCHEDOP_shutdown_code:
        if (copy_from_guest(v, &sd, arg, sizeof(sd)))
            return -EFAULT;
        if (sd.reason > SHUTDOWN_MAX)
            return -EINVAL;
        v->domain->shutdown_reason = sd.reason;
        return 0;
    default:
        return -ENOSYS;
    }
}
