/* Private to hypervisor/xen/: the hypercall handler type and the handlers. */
#ifndef XEN_HYPERCALL_PRIV_H
#define XEN_HYPERCALL_PRIV_H
#include <cloison/types.h>
struct vcpu;

/* Handlers get the raw argument registers and return the value for x0. */
typedef int64_t (*hypercall_fn)(struct vcpu *v, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                                uint64_t a4);

/*
 * Continuation (Xen's hypercall_create_continuation): stop here and have the
 * guest re-issue the same hypercall with these arguments; the HVC is executed
 * again when the vCPU next runs, after any interrupt or reschedule that was
 * waiting, so a long request costs the pCPU only bounded stretches. The guest
 * sees one call. A handler returns what this returns.
 */
int64_t hypercall_continue(struct vcpu *v, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                           uint64_t a4);

/*
 * One call of a multicall: hypercall nr with args, as if the guest had
 * issued it, except that a continuation it asks for is not taken: *continued
 * is set and args hold the arguments to re-issue it with (the registers are
 * left as they were). -ENOSYS for numbers without a handler, -EINVAL for a
 * multicall inside a multicall (as Xen).
 */
int64_t hypercall_call(struct vcpu *v, uint64_t nr, uint64_t args[5], bool *continued);

/* memory_op XENMEM_acquire_resource (hc_acquire_resource.c); start: cmd's
 * continuation bits. */
int64_t xen_acquire_resource(struct vcpu *v, uint64_t start, uint64_t arg);

int64_t do_multicall(struct vcpu *v, uint64_t list, uint64_t nr_calls, uint64_t, uint64_t,
                     uint64_t);
int64_t do_xsm_op(struct vcpu *v, uint64_t op, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t do_sysctl(struct vcpu *v, uint64_t arg, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t do_domctl(struct vcpu *v, uint64_t arg, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t do_xen_version(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t, uint64_t, uint64_t);
int64_t do_console_io(struct vcpu *v, uint64_t cmd, uint64_t count, uint64_t buf, uint64_t,
                      uint64_t);
int64_t do_sched_op(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t, uint64_t, uint64_t);
int64_t do_memory_op(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t, uint64_t, uint64_t);
int64_t do_vm_assist(struct vcpu *v, uint64_t cmd, uint64_t type, uint64_t, uint64_t, uint64_t);
int64_t do_vcpu_op(struct vcpu *v, uint64_t cmd, uint64_t vcpuid, uint64_t arg, uint64_t, uint64_t);
int64_t do_event_channel_op(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t, uint64_t,
                            uint64_t);
int64_t do_hvm_op(struct vcpu *v, uint64_t op, uint64_t arg, uint64_t, uint64_t, uint64_t);
int64_t do_platform_op(struct vcpu *v, uint64_t arg, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t do_physdev_op(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t, uint64_t, uint64_t);
int64_t do_grant_table_op(struct vcpu *v, uint64_t cmd, uint64_t uop, uint64_t count, uint64_t,
                          uint64_t);
#endif
