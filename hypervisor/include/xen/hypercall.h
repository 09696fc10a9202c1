/* Xen hypercall entry (hypervisor/xen/). */
#ifndef CLOISON_HYPERCALL_H
#define CLOISON_HYPERCALL_H
#include <cloison/types.h>
struct vcpu;
#define XEN_HYPERCALL_TAG 0xEA1
void hypercall_dispatch(struct vcpu *v); /* x16 = number, x0.. = args, x0 = result */
/* The same for an AArch32 vCPU: the number in x[nr_reg] (r12 of its mode),
 * arguments r0-r4 zero-extended (32-bit guest pointers), result in r0. */
void hypercall_dispatch32(struct vcpu *v, unsigned int nr_reg);
/* A call that may take the fast exit (core/sched.h: sched_resume_if_quiet):
 * if the number names one, run it (as the two above) and return true;
 * else touch nothing and return false. */
bool hypercall_fast(struct vcpu *v);
bool hypercall_fast32(struct vcpu *v, unsigned int nr_reg);
/* The name of hypercall nr if Cloison serves it ("event_channel_op"), else NULL. */
const char *hypercall_name(uint64_t nr);
#endif
