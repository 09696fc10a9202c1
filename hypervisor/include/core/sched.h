/*
 * The scheduler: per-pCPU FIFO run queues, round-robin time slices driven by
 * the EL2 timer, vCPUs placed on the least-loaded pCPU of their hard
 * affinity when created, and moved when their hard affinity leaves it.
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
/* OFF/BLOCKED -> RUNNABLE. OFF only for a vCPU whose registers are set and
 * that is loaded nowhere (domain_start); PSCI CPU_ON is vcpu_start(). */
void vcpu_wake(struct vcpu *v);
void vcpu_block(struct vcpu *v); /* current vCPU waits for an interrupt */
void vcpu_yield(struct vcpu *v);
void vcpu_stop(struct vcpu *v); /* -> OFF (PSCI CPU_OFF) */
/* PSCI CPU_ON from any pCPU: an OFF vCPU becomes RUNNABLE and starts at pc
 * with x0, its registers reset by its own pCPU before it runs. 0; -EBUSY
 * if a start is already pending (ON_PENDING); -EEXIST if it is on (or dead). */
int vcpu_start(struct vcpu *v, uint64_t pc, uint64_t x0);
void sched_kill_vcpu(struct vcpu *v); /* -> DEAD, leaves its pCPU; its timers killed */
/* Toolstack pause (core/domain.c): a paused vCPU is not picked, whatever its
 * state; unpausing queues it again if it is runnable. Any pCPU. */
void sched_pause_vcpu(struct vcpu *v);
void sched_unpause_vcpu(struct vcpu *v);
/* After sched_pause_vcpu: return once v is on no pCPU (or unpaused again). */
void sched_wait_unloaded(struct vcpu *v);
/* A paused vCPU whose registers the toolstack just set (setvcpucontext):
 * online = RUNNABLE (runs when unpaused), else OFF. */
void sched_set_online(struct vcpu *v, bool online);
/* Every pCPU, for affinity maps (bit i = pCPU i). */
#define SCHED_AFFINITY_ALL (~0ULL)
/* The online pCPUs. */
uint64_t sched_online_mask(void);
/* Hard affinity: v runs only on pCPUs in mask. If its pCPU is not in it, v
 * moves to the least-loaded one that is: at once if no pCPU has it loaded,
 * else when its pCPU next switches it out (asked with an SGI). A vCPU not
 * yet placed is placed within it. 0, or -EINVAL (no online pCPU in mask).
 * Any pCPU; the caller serialises changes of one vCPU's affinity. */
int sched_set_hard_affinity(struct vcpu *v, uint64_t mask);
/* Soft affinity: kept for the toolstack to read back (not used to place). */
void sched_set_soft_affinity(struct vcpu *v, uint64_t mask);
void sched_init_vcpu(struct vcpu *v); /* at creation: its scheduler timers */
/* Before a DEAD, unloaded vCPU is freed: kill its timers and wait until no
 * callback of theirs runs (core/timer.h); no lock held. */
void sched_destroy_vcpu(struct vcpu *v);
void sched_resched_cpu(unsigned int cpu);
__noreturn void sched_return_to_guest(void);
__noreturn void sched_start_cpu(void); /* enter the scheduler on this pCPU */

/*
 * What the scheduler asks of the layers above it (the vGIC, the Xen
 * interface, the domain reaper): registered once at boot by boot/compose.c,
 * before any pCPU schedules, and never changed afterwards, so these plain
 * function pointers are read without a lock; each use is one indirect call.
 * A hook left NULL does nothing (irq_pending: nothing is pending).
 */
struct sched_vcpu_ops {
    void (*switch_out)(struct vcpu *v);   /* its registers were just saved */
    void (*switch_in)(struct vcpu *v);    /* its registers were just loaded */
    bool (*irq_pending)(struct vcpu *v);  /* an interrupt would end its WFI (runq_lock held) */
    void (*vtimer_fired)(struct vcpu *v); /* raise its virtual timer PPI (it was descheduled) */
};
void sched_set_vcpu_ops(const struct sched_vcpu_ops *ops);
/* Work on every pass of a pCPU through the scheduler once it has picked what
 * to run: next, or NULL when it is about to idle. In registration order, with
 * IRQs masked and no lock held, before the slice timer is armed. */
typedef void (*sched_entry_fn)(struct vcpu *next);
void sched_add_entry_hook(sched_entry_fn fn);

#endif
