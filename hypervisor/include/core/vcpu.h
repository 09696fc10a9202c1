/*
 * A virtual CPU: its guest register state and scheduling state.
 *
 * Its scheduling state is under its domain's pool's lock (core/sched.c,
 * lock order: cloison/spinlock.h). A vCPU's architectural state is only
 * touched by the pCPU running it (v->pcpu); other pCPUs ask through
 * vcpu_kick().
 */
#ifndef CLOISON_VCPU_H
#define CLOISON_VCPU_H

#include <cloison/types.h>
#include <cloison/spinlock.h>
#include <core/timer.h>
#include <asm/vcpu_arch.h>
#include <lib/sched_policy.h>

struct domain;
struct vgic_cpu;

/* The emulated EL1 physical timer (trap/vptimer.c): CNTP_* trap and a
 * software timer raises PPI 30 at CVAL, whether the vCPU runs or not. */
struct vptimer {
    uint64_t ctl; /* ENABLE and IMASK as the guest wrote them */
    uint64_t cval;
    struct timer timer;
};

enum vcpu_state {
    VCPU_OFF,      /* not started (PSCI) or CPU_OFF */
    VCPU_RUNNABLE, /* on a run queue or running */
    VCPU_BLOCKED,  /* WFI / SCHEDOP_block: waiting for an interrupt */
    VCPU_DEAD,     /* its domain is being destroyed */
};

struct vcpu {
    struct vcpu_arch arch; /* first: the trap entry stores the registers here */
    struct vgic_cpu *vgic; /* vdev/vgic.c: its vGIC state, with the domain's vGIC */

    struct domain *domain;
    unsigned int id;   /* vCPU index in the domain */
    unsigned int pcpu; /* pCPU it runs on, or last ran on */
    enum vcpu_state state;
    unsigned int paused; /* pauses (toolstack, pool moves): not run while > 0 */
    bool placed;         /* in its pool's policy (sched_add_vcpu) */
    /* pCPUs it may run on (bit i = pCPU i), and those it would rather run
     * on; all at first (core/sched.c; the toolstack sets them). */
    uint64_t hard_affinity, soft_affinity;
    bool tlb_stale; /* ran on another pCPU since it last ran on v->pcpu */
    /* pCPUs that may touch it: counted when picked (under the pool lock),
     * down after a switch-out's last touch; 2 while a pCPU that picked it
     * waits for the one still saving it. The reaper frees none while > 0. */
    unsigned int loaded;
    struct sched_item item; /* what its pool's policy sees of it */
    /* PSCI CPU_ON accepted (vcpu_start), not yet acted on: the pCPU that
     * next picks it resets it to start_pc / start_x0. Under the pool lock. */
    bool start_pending;
    uint64_t start_pc, start_x0;
    struct timer vtimer_wake; /* fires the vtimer of a descheduled vCPU */
    struct vptimer ptimer;
    uint64_t slice_start;
    uint64_t runtime; /* CNTPCT ticks consumed */
    uint64_t nr_traps;
    uint64_t nr_s2_retries; /* translation faults retried after break-before-make */
};

/* Make v notice new work: unblock it if blocked and poke its pCPU. Any pCPU. */
void vcpu_kick(struct vcpu *v);
/* The vCPU running on this pCPU, or NULL while idle. */
struct vcpu *current_vcpu(void);
/* Reset v to the architectural boot state: pc, x0, EL1h, MMU off. */
void vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t x0);
/* The same for a kernel's boot vCPU: dtb where its boot protocol wants it. */
void vcpu_reset_boot(struct vcpu *v, uint64_t pc, uint64_t dtb);

#endif
