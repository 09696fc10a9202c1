/*
 * Copying hypercall arguments from/to guest VIRTUAL addresses. The only way
 * hypercall code touches guest memory: each page is translated with
 * AT S12E1R/W in the calling vCPU's own context (it is the current vCPU, so
 * its EL1 translation regime and VTTBR are live), the result must be RAM of
 * the calling domain, and a failure is -EFAULT, never an injected fault.
 */
#ifndef CLOISON_GUEST_COPY_H
#define CLOISON_GUEST_COPY_H
#include <cloison/types.h>
struct vcpu;
int copy_from_guest(struct vcpu *v, void *dst, vaddr_t src, size_t len);
int copy_to_guest(struct vcpu *v, vaddr_t dst, const void *src, size_t len);
#endif
