/* Xen hypercall entry (hypervisor/xen/). */
#ifndef CLOISON_HYPERCALL_H
#define CLOISON_HYPERCALL_H
#include <cloison/types.h>
struct vcpu;
#define XEN_HYPERCALL_TAG 0xEA1
void hypercall_dispatch(struct vcpu *v); /* x16 = number, x0.. = args, x0 = result */
/* The name of hypercall nr if Cloison serves it ("event_channel_op"), else NULL. */
const char *hypercall_name(uint64_t nr);
#endif
