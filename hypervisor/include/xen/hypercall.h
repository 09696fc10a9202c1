/* Xen hypercall entry (hypervisor/xen/). */
#ifndef CLOISON_HYPERCALL_H
#define CLOISON_HYPERCALL_H
#include <cloison/types.h>
struct vcpu;
#define XEN_HYPERCALL_TAG 0xEA1
void hypercall_dispatch(struct vcpu *v); /* x16 = number, x0.. = args, x0 = result */
#endif
