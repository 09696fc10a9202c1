/*
 * Per-physical-CPU state, reached through TPIDR_EL2 (one mrs away).
 * Fields other pCPUs may touch are marked "shared" and accessed under
 * the pCPU's pool's lock (core/sched.c) or atomically.
 */
#ifndef CLOISON_PERCPU_H
#define CLOISON_PERCPU_H

#include <cloison/types.h>
#include <cloison/spinlock.h>
#include <asm/cpu_local.h>

#define MAX_PCPUS 8

struct vcpu;
struct guest_regs;
struct cpupool;

struct pcpu {
    struct guest_regs *cur_regs; /* first: vectors.S saves the trap frame here */
    uint64_t stack_top;
    unsigned int id;
    uint64_t mpidr;
    struct vcpu *current; /* NULL while idle */
    bool online;
    /* shared: */
    struct cpupool *pool; /* its pool (core/sched.c), NULL: free, it idles */
    bool leaving;         /* unassigned from its pool: leaves it at its next pick */
    volatile bool need_resched;
    /* core/timer.c: its timer queue's head changed since the hardware was
     * last programmed (under the queue's lock; read without it on exits). */
    volatile bool timer_resync;
    uint64_t idle_ticks, busy_since;
    uint64_t slice_ends; /* the policy's deadlines reached (a tick); 0 under null */
};

extern struct pcpu pcpus[MAX_PCPUS];
extern unsigned int nr_pcpus;

static inline struct pcpu *this_pcpu(void)
{
    return arch_cpu_local();
}
static inline unsigned int this_cpu_id(void)
{
    return this_pcpu()->id;
}

#endif
