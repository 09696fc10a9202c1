/*
 * The CPU under core/sched.c for host tests (fakes/sched_fake.c), on top of
 * the counter, EL2 timers and pCPUs of fakes/timer_fake.h:
 *  - the context switch records whose EL1 state each pCPU holds, and counts
 *    a save of a vCPU that is not loaded, or a load over another vCPU's
 *    state, as an error;
 *  - a saved vCPU's virtual timer is its saved CNTV_CTL/CVAL, as on arm64;
 *  - SGIs are counted per target pCPU;
 *  - the ways out of the scheduler loop, entering a guest (return_to_guest),
 *    idling (arch_idle_wait) and powering off (host_system_off), jump back
 *    to the test: fake_sched_pass() runs one pass of sched_return_to_guest()
 *    on a pCPU and returns what it entered.
 */
#ifndef TESTS_UNIT_FAKES_SCHED_FAKE_H
#define TESTS_UNIT_FAKES_SCHED_FAKE_H

#include <cloison/percpu.h>
#include <cloison/types.h>

struct vcpu;

#define FAKE_CNTV_ENABLE 1ULL /* CNTV_CTL bits, as the guest writes them */
#define FAKE_CNTV_IMASK 2ULL

enum fake_exit {
    FAKE_RETURNED,      /* the function returned */
    FAKE_ENTERED_GUEST, /* return_to_guest() */
    FAKE_IDLED,         /* arch_idle_wait() */
    FAKE_POWERED_OFF,   /* host_system_off() */
};

extern struct vcpu *fake_loaded[MAX_PCPUS];      /* whose EL1 state each pCPU holds */
extern unsigned int fake_context_errors;         /* bad saves and loads (see above) */
extern unsigned int fake_sgis[MAX_PCPUS];        /* SGIs sent to each pCPU */
extern unsigned int fake_power_offs;             /* host_system_off() calls */
extern unsigned int fake_tlb_flushes[MAX_PCPUS]; /* context_tlb_flush_local() per pCPU */
extern int fake_exit_locks_held;                 /* locks held at the last jump back */
extern struct vcpu *fake_entered;                /* what the last pass entered (NULL: idle) */

/* Nothing loaded, no SGI, no error; pCPUs 0..nr-1 online, their scheduling
 * state cleared and sched_init_cpu() run (their timer queues must be empty). */
void fake_sched_reset(unsigned int nr);
/* fn() on pCPU cpu until it returns or leaves through one of the exits. */
enum fake_exit fake_run_on(unsigned int cpu, void (*fn)(void));
/* One pass of the scheduler on pCPU cpu, IRQs masked as after a trap: the
 * vCPU it entered, or NULL when it idled (or powered off). */
struct vcpu *fake_sched_pass(unsigned int cpu);

#endif
