/*
 * The scheduler: per-pCPU FIFO run queues, round-robin time slices driven by
 * the EL2 timer, vCPUs placed on the least-loaded pCPU when created.
 * Every trap ends in sched_return_to_guest(), which picks what this pCPU
 * runs next (possibly the idle loop) and enters it.
 */
#ifndef CLOISON_SCHED_H
#define CLOISON_SCHED_H

#include <cloison/types.h>

struct vcpu;

#define SCHED_SLICE_MS 10

void sched_init_cpu(unsigned int cpu);
void sched_add_vcpu(struct vcpu *v); /* pick its pCPU; state stays as set */
void vcpu_wake(struct vcpu *v);      /* OFF/BLOCKED -> RUNNABLE */
void vcpu_block(struct vcpu *v);     /* current vCPU waits for an interrupt */
void vcpu_yield(struct vcpu *v);
void vcpu_stop(struct vcpu *v);       /* -> OFF (PSCI CPU_OFF) */
void sched_kill_vcpu(struct vcpu *v); /* -> DEAD, leaves its pCPU */
void sched_resched_cpu(unsigned int cpu);
__noreturn void sched_return_to_guest(void);
__noreturn void sched_start_cpu(void); /* enter the scheduler on this pCPU */

#endif
