/*
 * A virtual CPU: its guest register state and scheduling state.
 *
 * Lock order (outermost first): domain->lock -> pcpu runqueue lock ->
 * vgic locks. A vCPU's architectural state is only touched by the pCPU it is
 * assigned to (v->pcpu); other pCPUs ask through vcpu_kick().
 */
#ifndef CLOISON_VCPU_H
#define CLOISON_VCPU_H

#include <cloison/types.h>
#include <cloison/spinlock.h>
#include <vdev/vgic.h>
#include <core/timer.h>

struct domain;

/* Saved by the exception entry on every trap from the guest (guest_entry.S). */
struct guest_regs {
    uint64_t x[31];
    uint64_t elr;  /* ELR_EL2: guest PC */
    uint64_t spsr; /* SPSR_EL2: guest PSTATE */
};

/* EL1/EL0 system registers switched when a pCPU changes vCPU. */
struct el1_sysregs {
    uint64_t sctlr, cpacr, ttbr0, ttbr1, tcr, mair, amair;
    uint64_t vbar, contextidr, tpidr_el0, tpidrro_el0, tpidr_el1;
    uint64_t sp_el0, sp_el1, elr_el1, spsr_el1, esr, far, afsr0, afsr1;
    uint64_t par, cntkctl, csselr, mdscr;
    uint64_t cntv_ctl, cntv_cval;
    uint64_t vmpidr;
    /* PAuth keys APIA, APIB, APDA, APDB, APGA (lo, hi), when the CPU has them */
    uint64_t pauth_keys[10];
    bool os_unlocked; /* emulated OS lock (OSLAR_EL1): starts locked */
};

/* The emulated EL1 physical timer (trap/vptimer.c): CNTP_* trap and a
 * software timer raises PPI 30 at CVAL, whether the vCPU runs or not. */
struct vptimer {
    uint64_t ctl; /* ENABLE and IMASK as the guest wrote them */
    uint64_t cval;
    struct timer timer;
};

struct fp_regs {
    __uint128_t q[32];
    uint64_t fpsr, fpcr;
};

enum vcpu_state {
    VCPU_OFF,      /* not started (PSCI) or CPU_OFF */
    VCPU_RUNNABLE, /* on a run queue or running */
    VCPU_BLOCKED,  /* WFI / SCHEDOP_block: waiting for an interrupt */
    VCPU_DEAD,     /* its domain is being destroyed */
};

struct vcpu {
    struct guest_regs regs; /* first: guest_entry.S stores here */
    struct el1_sysregs sys;
    struct fp_regs fp;
    struct vgic_cpu vgic;

    struct domain *domain;
    unsigned int id;   /* vCPU index in the domain */
    unsigned int pcpu; /* pCPU this vCPU runs on */
    enum vcpu_state state;
    bool paused; /* not eligible to run while set */
    bool on_runq;
    bool placed; /* given a pCPU by sched_add_vcpu (counted there) */
    struct vcpu *runq_next;
    bool loaded;              /* its state is live on v->pcpu (it is that pCPU's current) */
    struct timer vtimer_wake; /* fires the vtimer of a descheduled vCPU */
    struct vptimer ptimer;
    uint64_t slice_start;
    uint64_t runtime; /* CNTPCT ticks consumed */
    uint64_t nr_traps;
};

/* Make v notice new work: unblock it if blocked and poke its pCPU. Any pCPU. */
void vcpu_kick(struct vcpu *v);
/* The vCPU running on this pCPU, or NULL while idle. */
struct vcpu *current_vcpu(void);
/* Reset v to the architectural boot state: pc, x0, EL1h, MMU off. */
void vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t x0);
uint64_t vcpu_mpidr(unsigned int id);

#endif
