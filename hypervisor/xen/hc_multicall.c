/*
 * multicall (13): a list of hypercalls issued in one, each entry's result
 * written back into its `result` (the multicall itself returns 0, or -EFAULT
 * when the list cannot be read or a result not written), as Xen's
 * do_multicall. libxenctrl sends every memory_op this way so that results
 * wider than an int survive.
 *
 * Bounded: at most MC_PER_CALL entries per HVC, and none after one that
 * left this vCPU not runnable (it blocked, or its domain is going away) or
 * this pCPU due to reschedule;
 * the rest is a continuation (list advanced, count reduced), as Xen's
 * preemption. An entry that itself asks for a continuation gets its new
 * arguments written into its entry and the multicall continues from it.
 * A multicall inside a multicall is -EINVAL in that entry, as Xen.
 */
#include <cloison/errno.h>
#include <cloison/percpu.h>
#include <core/vcpu.h>
#include <xen/guest_copy.h>
#include <public/xen.h>
#include <stddef.h>
#include "hypercall.h"

#define MC_PER_CALL 8

/* Xen's hypercall_preempt_check(): the vCPU blocked or is being killed, or
 * this pCPU has been asked to reschedule (a yield, a timer, a kick). */
static bool must_stop(const struct vcpu *v)
{
    return __atomic_load_n(&v->state, __ATOMIC_RELAXED) != VCPU_RUNNABLE ||
           this_pcpu()->need_resched;
}

int64_t do_multicall(struct vcpu *v, uint64_t list, uint64_t nr_calls, uint64_t a2, uint64_t a3,
                     uint64_t a4)
{
    (void)a2, (void)a3, (void)a4;
    uint32_t n = (uint32_t)nr_calls; /* unsigned int in Xen's prototype */
    for (uint32_t i = 0; i < n; i++) {
        uint64_t at = list + (uint64_t)i * sizeof(struct multicall_entry);
        if (i == MC_PER_CALL || (i && must_stop(v)))
            return hypercall_continue(v, at, n - i, 0, 0, 0);
        struct multicall_entry e;
        if (copy_from_guest(v, &e, at, sizeof(e)))
            return -EFAULT;
        bool continued;
        int64_t r = hypercall_call(v, e.op, e.args, &continued);
        if (continued) {
            /* The entry now holds the rest of its call. */
            if (copy_to_guest(v, at, &e, sizeof(e)))
                return -EFAULT;
            return hypercall_continue(v, at, n - i, 0, 0, 0);
        }
        e.result = (uint64_t)r;
        if (copy_to_guest(v, at + offsetof(struct multicall_entry, result), &e.result,
                          sizeof(e.result)))
            return -EFAULT;
    }
    return 0;
}
