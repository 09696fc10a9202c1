/*
 * The scheduler: a framework over CPU pools (core/cpupool.h), each pool
 * with its policy (lib/sched_policy.h: credit2 by default) deciding which
 * vCPU each of its pCPUs runs and until when; the deadline is the EL2 slice
 * timer's (no tick when there is none). Every trap ends in
 * sched_return_to_guest(), which asks the policy only when something
 * changed, and enters what this pCPU runs next (possibly the idle loop).
 */
#ifndef CLOISON_SCHED_H
#define CLOISON_SCHED_H

#include <cloison/types.h>

struct vcpu;
struct domain;
struct cpupool;
struct sched_policy;

#define SCHED_DEFAULT_WEIGHT 256 /* Xen's credit2 default */

/* The policy of pool 0 (sched= on the command line; credit2 if unset).
 * Before sched_init_cpu(0). */
void sched_set_default_policy(const struct sched_policy *pol);
const struct sched_policy *sched_default_policy(void);
/* On each pCPU as it comes up; the boot CPU's (0) sets up pool 0 first.
 * The pCPU joins pool 0. */
void sched_init_cpu(unsigned int cpu);
/* A new domain: in pool 0, weight 256, no cap (domain_create). */
void sched_init_domain(struct domain *d);
void sched_destroy_domain(struct domain *d);
/* Weight (1..65535) and cap (% of one pCPU, 0 = none) for d's policy:
 * taken at once. 0; -EINVAL if d is in no pool. */
int sched_set_dom_params(struct domain *d, uint16_t weight, uint16_t cap);
struct cpupool *domain_cpupool(const struct domain *d);
void sched_add_vcpu(struct vcpu *v); /* into its domain's pool; state stays as set */
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
/* Pauses are counted (the toolstack's, core/domain.c; a pool move's): a
 * paused vCPU is not picked, whatever its state; the last unpause makes it
 * runnable again if it is RUNNABLE. Any pCPU. */
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
/* The online pCPUs of d's pool (Xen's cpupool_domain_master_cpumask): what
 * a hard affinity must meet, and what the affinity domctls report against. */
uint64_t sched_domain_cpus(const struct domain *d);
/* pCPU cpu has just left pool p: a vCPU of d (in p) whose hard affinity
 * held cpu and now holds no pCPU of p gets every pCPU, hard affinity
 * broken as Xen's cpu_disable_scheduler breaks it (said on the console). */
void sched_break_affinity(struct domain *d, const struct cpupool *p, unsigned int cpu);
/* Hard affinity: v runs only on pCPUs in mask (the policy decides which);
 * running elsewhere, it leaves that pCPU at its next pick (asked with an
 * SGI). 0, or -EINVAL (no online pCPU of its pool in mask). Any pCPU; the
 * caller serialises changes of one vCPU's affinity. */
int sched_set_hard_affinity(struct vcpu *v, uint64_t mask);
/* Soft affinity: kept for the toolstack to read back (not used to place). */
void sched_set_soft_affinity(struct vcpu *v, uint64_t mask);
void sched_init_vcpu(struct vcpu *v); /* at creation: its scheduler timers */
/* Before a DEAD, unloaded vCPU is freed: kill its timers and wait until no
 * callback of theirs runs (core/timer.h); no lock held. */
void sched_destroy_vcpu(struct vcpu *v);
void sched_resched_cpu(unsigned int cpu);
/* This pCPU passes through its scheduler again: at once if it is about to
 * idle; if about to enter a guest, right after (its own kick SGI brings it
 * back). */
void sched_resched_self(bool entering_guest);
__noreturn void sched_return_to_guest(void);
/*
 * The fast exit, for a trap whose handler changed nothing any pass through
 * the scheduler looks at: it blocked, woke, paused, started or switched no
 * vCPU, injected nothing, armed no timer (a null hypercall). Such a pass
 * would only put the same vCPU back, so it is skipped when nothing else
 * asks for one: sched_resume_if_quiet() returns at once unless this pCPU's
 * current vCPU keeps running with nothing pending for its pass (no
 * need_resched, which every remote change of its state, pause, kill, start
 * or of the policy's mind sets before its SGI; no remote timer change to
 * reprogram); then it ends the EL2 stretch and enters that vCPU as it is.
 * A new interrupt for the guest (a vCPU kick, the slice timer, a device) is
 * a physical one, still pending while IRQs are masked here: it is taken at
 * the eret and its exit makes the full pass.
 */
void sched_resume_if_quiet(void);
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
    bool (*irq_pending)(struct vcpu *v);  /* an interrupt would end its WFI (pool lock held) */
    void (*vtimer_fired)(struct vcpu *v); /* raise its virtual timer PPI (it was descheduled) */
};
void sched_set_vcpu_ops(const struct sched_vcpu_ops *ops);
/* Work on every pass of a pCPU through the scheduler once it has picked what
 * to run: next, or NULL when it is about to idle. In registration order, with
 * IRQs masked and no lock held, before the slice timer is armed. */
typedef void (*sched_entry_fn)(struct vcpu *next);
void sched_add_entry_hook(sched_entry_fn fn);

#endif
