/*
 * core/sched.c, the framework, over pool 0 and its default policy (credit2,
 * lib/sched_credit2.c): waking, blocking and kicking, the policy's deadline
 * as the slice timer (none when alone), killing vCPUs in every state, PSCI
 * starts, pauses, the registered entry hooks and vCPU ops, the virtual
 * timer of a blocked vCPU, vCPUs moving between pCPUs, and pools (pCPUs in
 * and out, domains between pools). Each scheduler pass runs the real
 * sched_return_to_guest() until it enters a guest or idles
 * (fakes/sched_fake.h), over the real timer queues (core/timer.c) on a fake
 * counter and EL2 timers (fakes/timer_fake.h).
 */
#include "sched_world.h"

TEST(pool0_holds_every_online_pcpu_and_vcpus_join_it)
{
    setup(4);
    CHECK_EQ(cpupool_cpus(cpupool0()), 0xfULL);
    CHECK_EQ(cpupool_free_cpus(), 0);
    CHECK_EQ(cpupool_id(cpupool0()), 0);
    CHECK(cpupool_policy(cpupool0()) == &sched_credit2);
    CHECK(sched_default_policy() == &sched_credit2);
    CHECK_EQ(cpupool_nr_domains(cpupool0()), 1);
    CHECK(domain_cpupool(&dom) == cpupool0());
    CHECK_EQ(dom.sched.weight, SCHED_DEFAULT_WEIGHT);
    for (int i = 0; i < NV; i++) {
        sched_add_vcpu(&vc[i]);
        CHECK(vc[i].placed && !vc[i].item.runnable && vc[i].state == VCPU_OFF);
    }
    CHECK_EQ(dom.sched.nr_items, NV);
    CHECK_EQ(fake_locks_held, 0);
}

TEST(wake_kicks_an_idle_pcpu_and_each_runs_one)
{
    setup(2);
    sched_add_vcpu(&vc[0]);
    sched_add_vcpu(&vc[1]);
    vcpu_wake(&vc[0]); /* from pCPU 0 */
    CHECK_EQ(vc[0].state, VCPU_RUNNABLE);
    CHECK(vc[0].item.runnable);
    CHECK(pcpus[0].need_resched);
    CHECK_EQ(fake_sgis[0], 0); /* local: no SGI */
    vcpu_wake(&vc[1]);         /* pCPU 0 was asked already: the other idle one */
    CHECK(pcpus[1].need_resched);
    CHECK_EQ(fake_sgis[1], 1);
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK(fake_sched_pass(1) == &vc[1]);
    CHECK(pcpus[0].current == &vc[0] && vc[0].loaded == 1 && fake_loaded[0] == &vc[0]);
    CHECK(pcpus[1].current == &vc[1] && vc[1].loaded == 1 && fake_loaded[1] == &vc[1]);
    CHECK(state_ok());
    /* Alone on its pCPU, each runs with no deadline: no tick. */
    if (fake_hyptimer[0] != FAKE_HYPTIMER_OFF) { /* it picked with vCPU 1 still waiting */
        interrupt_at(0, fake_hyptimer[0]);
        CHECK(fake_sched_pass(0) == &vc[0]);
    }
    CHECK_EQ(fake_hyptimer[0], FAKE_HYPTIMER_OFF);
    CHECK_EQ(fake_hyptimer[1], FAKE_HYPTIMER_OFF);

    /* Waking a running vCPU makes its pCPU look again (an SGI if remote). */
    pcpus[1].need_resched = false;
    vcpu_wake(&vc[1]);
    CHECK(pcpus[1].need_resched);
    CHECK_EQ(fake_sgis[1], 2);
    CHECK(fake_sched_pass(1) == &vc[1]);
    CHECK_EQ(fake_context_errors, 0);
    CHECK_EQ(fake_locks_held, 0);
}

TEST(a_deadline_only_with_competition_and_fair_turns)
{
    setup(1);
    add_and_wake(0, 0);
    fake_counter = 1000;
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK(stale_slice_ends(0, &vc[1])); /* alone: no slice */

    /* A competitor: the running one is asked to take a deadline, at least
     * the rate limit (1 ms) after it started. */
    fake_counter = 2000;
    add_and_wake(1, 1);
    CHECK(pcpus[0].need_resched);
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK(fake_hyptimer[0] != FAKE_HYPTIMER_OFF);
    CHECK(fake_hyptimer[0] >= 1000 + MS_TICKS);
    /* Traps inside the slice do not extend it. */
    uint64_t deadline = fake_hyptimer[0];
    fake_counter += 10;
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK_EQ(fake_hyptimer[0], deadline);

    /* Turns at each deadline: half the pCPU each over 2 s. */
    run_for(2000 * MS_TICKS);
    double r = (double)ran(&vc[0]) / (double)ran(&vc[1]);
    CHECK(r > 0.9 && r < 1.1);
    CHECK(state_ok());
    CHECK(!hook_bad);
    CHECK_EQ(fake_context_errors, 0);

    /* It blocks: the other is alone again and runs with no deadline, once
     * the one left from the turns has ended (no later than it was set). */
    struct vcpu *cur = pcpus[0].current, *other = cur == &vc[0] ? &vc[1] : &vc[0];
    REQUIRE(cur);
    uint64_t turn_end = fake_hyptimer[0];
    vcpu_block(cur);
    CHECK(fake_sched_pass(0) == other);
    CHECK(fake_hyptimer[0] <= turn_end);
    CHECK(stale_slice_ends(0, other));
}

TEST(block_with_an_interrupt_pending_does_not_block)
{
    setup(2);
    add_and_wake(0, 0);
    CHECK(fake_sched_pass(0) == &vc[0]);
    pending[0] = true;
    vcpu_block(&vc[0]);
    CHECK_EQ(vc[0].state, VCPU_RUNNABLE);
    CHECK(fake_sched_pass(0) == &vc[0]); /* straight back into the guest */

    pending[0] = false;
    vcpu_block(&vc[0]);
    CHECK_EQ(vc[0].state, VCPU_BLOCKED);
    CHECK(!fake_sched_pass(0)); /* nothing else: idle */
    CHECK(pcpus[0].current == NULL && !vc[0].loaded && fake_loaded[0] == NULL);
    CHECK_EQ(pcpus[0].idle_ticks, 1);

    /* An interrupt for it from pCPU 1: woken, an idle pCPU kicked. */
    fake_set_cpu(1);
    vcpu_kick(&vc[0]);
    fake_set_cpu(0);
    CHECK_EQ(vc[0].state, VCPU_RUNNABLE);
    CHECK_EQ(fake_sgis[0], 1);
    CHECK(pcpus[0].need_resched);
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK_STR_EQ(trace, "in0 h1:0 h2:0 pend0 h1:0 h2:0 pend0 out0 h1:- h2:- in0 h1:0 h2:0 ");

    /* Unregistered ops do nothing, and nothing is ever pending. */
    static const struct sched_vcpu_ops none = {0};
    sched_set_vcpu_ops(&none);
    trace[0] = 0;
    vcpu_block(&vc[0]);
    CHECK_EQ(vc[0].state, VCPU_BLOCKED);
    CHECK(!fake_sched_pass(0));
    CHECK_STR_EQ(trace, "h1:- h2:- ");
    CHECK(!hook_bad);
}

TEST(kick_reaches_a_remote_running_vcpu)
{
    setup(2);
    add_and_wake(0, 1); /* 0 on pCPU 0, 1 on pCPU 1 */
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK(fake_sched_pass(1) == &vc[1]);
    unsigned int sgis0 = fake_sgis[0], sgis1 = fake_sgis[1];
    pcpus[1].need_resched = false;
    vcpu_kick(&vc[1]); /* from pCPU 0: make it exit and see its interrupt */
    CHECK_EQ(fake_sgis[1], sgis1 + 1);
    CHECK_EQ(vc[1].state, VCPU_RUNNABLE);
    CHECK(!pcpus[1].need_resched); /* an exit, not a reschedule */
    vcpu_kick(&vc[0]);             /* local: seen at its next entry */
    CHECK_EQ(fake_sgis[0], sgis0);
    CHECK(!pcpus[0].need_resched);

    /* Kicks do not start a vCPU that is off, nor revive a dead one. */
    sched_add_vcpu(&vc[2]);
    vcpu_kick(&vc[2]);
    CHECK_EQ(vc[2].state, VCPU_OFF);
    sched_kill_vcpu(&vc[2]);
    vcpu_kick(&vc[2]);
    vcpu_wake(&vc[2]);
    CHECK_EQ(vc[2].state, VCPU_DEAD);
    CHECK(!vc[2].item.runnable);
    CHECK(state_ok());
    CHECK_EQ(fake_locks_held, 0);
}

TEST(kill_running_runnable_blocked_and_off_vcpus)
{
    setup(1);
    add_and_wake(0, 3);
    sched_add_vcpu(&vc[4]);
    sched_add_vcpu(&vc[5]);
    CHECK(fake_sched_pass(0) == &vc[0]);

    /* Runnable and waiting: out of the policy's queue. */
    sched_kill_vcpu(&vc[2]);
    CHECK_EQ(vc[2].state, VCPU_DEAD);
    CHECK(!vc[2].item.runnable);
    sched_kill_vcpu(&vc[3]);

    /* Running: it leaves the pCPU at the next pass. */
    sched_kill_vcpu(&vc[0]);
    CHECK_EQ(vc[0].state, VCPU_DEAD);
    CHECK(pcpus[0].need_resched);
    CHECK(fake_sched_pass(0) == &vc[1]); /* the only runnable one left */
    CHECK(!vc[0].loaded && fake_loaded[0] == &vc[1]);
    vcpu_wake(&vc[4]);

    /* Blocked with its virtual timer and its emulated physical timer armed:
     * both are cancelled. */
    arm_vtimer(&vc[1], 5000);
    vcpu_block(&vc[1]);
    CHECK(fake_sched_pass(0) == &vc[4]);
    CHECK(vc[1].vtimer_wake.armed);
    timer_init(&vc[1].ptimer.timer, NULL, &vc[1]); /* as trap/vptimer.c arms it */
    timer_set(&vc[1].ptimer.timer, vc[1].pcpu, 6000);
    sched_kill_vcpu(&vc[1]);
    CHECK_EQ(vc[1].state, VCPU_DEAD);
    CHECK(!vc[1].vtimer_wake.armed);
    CHECK(!vc[1].ptimer.timer.armed);

    /* Off: dead, and stays so. */
    sched_kill_vcpu(&vc[5]);
    CHECK_EQ(vc[5].state, VCPU_DEAD);
    vcpu_stop(&vc[5]);
    CHECK_EQ(vc[5].state, VCPU_DEAD);

    /* The last one: the pCPU idles with nothing armed; every vCPU leaves
     * the pool. */
    sched_kill_vcpu(&vc[4]);
    CHECK(!fake_sched_pass(0));
    CHECK(stale_slice_ends(0, NULL));
    for (int i = 0; i < NV; i++) {
        CHECK(!vc[i].loaded);
        sched_destroy_vcpu(&vc[i]);
        CHECK(!vc[i].placed);
    }
    CHECK_EQ(dom.sched.nr_items, 0);
    CHECK_EQ(fake_context_errors, 0);
    CHECK_EQ(fake_locks_held, 0);
}

TEST(yield_alone_goes_back_in)
{
    setup(1);
    add_and_wake(0, 0);
    CHECK(fake_sched_pass(0) == &vc[0]);
    vcpu_yield(&vc[0]); /* alone: back into the same guest, no switch */
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK_STR_EQ(trace, "in0 h1:0 h2:0 h1:0 h2:0 ");
}

TEST(stop_and_start_again)
{
    setup(1);
    add_and_wake(0, 0);
    CHECK(fake_sched_pass(0) == &vc[0]);
    vcpu_stop(&vc[0]); /* PSCI CPU_OFF */
    CHECK_EQ(vc[0].state, VCPU_OFF);
    CHECK(!fake_sched_pass(0));
    CHECK(!vc[0].loaded);
    vcpu_wake(&vc[0]); /* as domain_start */
    CHECK_EQ(vc[0].state, VCPU_RUNNABLE);
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK(state_ok());
}

/* PSCI CPU_ON of a vCPU that has just done CPU_OFF on another pCPU and is
 * still loaded there (issue 9, finding 5): its registers are reset by the
 * pCPU that picks it, never by the caller's, and of two CPU_ONs exactly one
 * succeeds (the other: pending, then on). */
#define START_PC 0x40080000ULL
#define SCTLR_EL1_RESET 0x30d00800ULL

static bool started_clean(const struct vcpu *v, uint64_t x0)
{
    return v->arch.regs.elr == START_PC && v->arch.regs.x[0] == x0 &&
           v->arch.sys.sctlr == SCTLR_EL1_RESET && v->arch.sys.tpidr_el1 == 0 &&
           v->arch.regs.x[5] == 0;
}

static void dirty(struct vcpu *v)
{
    v->arch.regs.elr = 0x1234;
    v->arch.regs.x[5] = 55;
    v->arch.sys.sctlr = 0x30d0198d; /* MMU on */
    v->arch.sys.tpidr_el1 = 0x77;
}

TEST(cpu_on_is_applied_by_the_pcpu_that_picks_it)
{
    setup(2);
    add_and_wake(0, 1); /* 0 on pCPU 0, 1 on pCPU 1 */
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK(fake_sched_pass(1) == &vc[1]);
    dirty(&vc[1]);
    fake_set_cpu(1);
    vcpu_stop(&vc[1]); /* CPU_OFF; pCPU 1 has not switched it out yet */
    fake_set_cpu(0);
    CHECK_EQ(vcpu_start(&vc[1], START_PC, 7), 0);
    CHECK_EQ(vc[1].arch.regs.elr, 0x1234);             /* still pCPU 1's to save: untouched */
    CHECK_EQ(vcpu_start(&vc[1], START_PC, 8), -EBUSY); /* a second CPU_ON: pending */
    CHECK_EQ(vc[1].state, VCPU_RUNNABLE);
    CHECK(fake_sched_pass(1) == &vc[1]); /* started again before it left */
    CHECK(started_clean(&vc[1], 7));
    CHECK_EQ(vcpu_start(&vc[1], START_PC, 9), -EEXIST); /* on */
    CHECK_EQ(fake_context_errors, 0);

    /* Stopped and switched out, then started: saved, then reset. */
    fake_set_cpu(1);
    vcpu_stop(&vc[1]);
    fake_set_cpu(0);
    CHECK(!fake_sched_pass(1));
    dirty(&vc[1]);
    CHECK_EQ(vcpu_start(&vc[1], START_PC, 12), 0);
    CHECK_EQ(vcpu_start(&vc[1], START_PC, 13), -EBUSY);
    settle();
    CHECK_EQ(where(&vc[1]), 1); /* the idle pCPU took it */
    CHECK(started_clean(&vc[1], 12));
    /* A dead vCPU is not started. */
    sched_kill_vcpu(&vc[0]);
    CHECK_EQ(vcpu_start(&vc[0], START_PC, 0), -EEXIST);
    settle();
    CHECK(state_ok());
    CHECK_EQ(fake_context_errors, 0);
}

/* A kick decides and wakes under one hold of the pool lock. Were the lock
 * taken again for the wake-up, the vCPU could meanwhile be woken by another
 * kick, run, and CPU_OFF itself: the late wake-up would start it again from
 * OFF without a CPU_ON. The hook turns it off at any second acquisition by
 * the kick; it must stay off. */
static unsigned int kick_locks;
static void off_between_look_and_wake(spinlock_t *l)
{
    if (l != &cpupools[0].lock || ++kick_locks != 2)
        return;
    fake_lock_hook = NULL;
    vcpu_kick(&vc[1]); /* another interrupt, from elsewhere */
    fake_set_cpu(1);
    CHECK(fake_sched_pass(1) == &vc[1]);
    vcpu_stop(&vc[1]); /* CPU_OFF */
    CHECK(!fake_sched_pass(1));
    fake_set_cpu(0);
}

TEST(a_kick_never_wakes_a_vcpu_that_went_off)
{
    setup(2);
    add_and_wake(0, 1);
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK(fake_sched_pass(1) == &vc[1]);
    vcpu_block(&vc[1]);
    CHECK(!fake_sched_pass(1));
    kick_locks = 0;
    fake_lock_hook = off_between_look_and_wake;
    vcpu_kick(&vc[1]); /* from pCPU 0 */
    fake_lock_hook = NULL;
    CHECK(vc[1].state == VCPU_RUNNABLE || kick_locks >= 2);
    if (kick_locks >= 2)
        CHECK_EQ(vc[1].state, VCPU_OFF); /* the late wake-up did nothing */
    CHECK(fake_sched_pass(1) == (vc[1].state == VCPU_OFF ? NULL : &vc[1]));
    CHECK(state_ok());
    CHECK_EQ(fake_context_errors, 0);
}

TEST(pauses_are_counted_and_a_newcomer_brings_a_deadline)
{
    setup(1);
    add_and_wake(0, 1);
    CHECK(fake_sched_pass(0) == &vc[0]);
    sched_pause_vcpu(&vc[0]);
    sched_pause_vcpu(&vc[0]);
    CHECK(pcpus[0].need_resched);
    CHECK(fake_sched_pass(0) == &vc[1]);
    CHECK(!vc[0].loaded);
    CHECK(stale_slice_ends(0, &vc[1])); /* alone: no slice */
    sched_unpause_vcpu(&vc[0]);
    CHECK(!vc[0].item.runnable); /* paused once more */
    vcpu_wake(&vc[0]);           /* still paused: not run */
    CHECK(!vc[0].item.runnable);
    sched_unpause_vcpu(&vc[0]);
    CHECK(vc[0].item.runnable);
    /* A competitor appeared: the next pass takes a deadline, and at once
     * or at its deadlines the newcomer (more credit: vCPU 1 ran alone until
     * the stale slice ended) gets its turn. */
    CHECK(pcpus[0].need_resched);
    struct vcpu *next = fake_sched_pass(0);
    CHECK(next == &vc[1] || next == &vc[0]);
    CHECK(fake_hyptimer[0] != FAKE_HYPTIMER_OFF);
    CHECK(run_until(0, &vc[0], 3));
    CHECK(state_ok());
}

TEST(entry_hooks_in_order_after_the_switch)
{
    setup(1);
    add_and_wake(0, 1);
    CHECK(fake_sched_pass(0) == &vc[0]);
    sched_kill_vcpu(&vc[0]);
    CHECK(fake_sched_pass(0) == &vc[1]);
    sched_kill_vcpu(&vc[1]);
    CHECK(!fake_sched_pass(0));
    /* switch_out after the save, switch_in after the load (checked in the
     * ops), then the hooks in registration order with the vCPU entered, or
     * none when idling. */
    CHECK_STR_EQ(trace, "in0 h1:0 h2:0 out0 in1 h1:1 h2:1 out1 h1:- h2:- ");
    CHECK(!hook_bad);
    CHECK_EQ(fake_exit_locks_held, 0);
}

/* A blocked vCPU's virtual timer keeps running while it is off the CPU: a
 * software timer at the same deadline stands in for it. */
TEST(blocked_vcpu_woken_by_its_virtual_timer)
{
    setup(1);
    kick_on_vtimer = true;
    dom.cntvoff = 500;
    add_and_wake(0, 0);
    CHECK(fake_sched_pass(0) == &vc[0]);
    arm_vtimer(&vc[0], 1000); /* virtual time: CNTPCT 1500 */
    vcpu_block(&vc[0]);
    CHECK(!fake_sched_pass(0));
    CHECK(vc[0].vtimer_wake.armed);
    CHECK_EQ(vc[0].vtimer_wake.deadline, 1500);
    CHECK_EQ(vc[0].vtimer_wake.cpu, 0);
    CHECK_EQ(fake_hyptimer[0], 1500);

    interrupt_at(0, 1499);
    CHECK_EQ(vc[0].state, VCPU_BLOCKED);
    trace[0] = 0;
    interrupt_at(0, 1500);
    /* Masked in its saved state (it fired), the PPI raised, which wakes it. */
    CHECK_STR_EQ(trace, "vt0 ");
    CHECK(vc[0].arch.sys.cntv_ctl & FAKE_CNTV_IMASK);
    CHECK_EQ(vc[0].state, VCPU_RUNNABLE);
    CHECK(fake_sched_pass(0) == &vc[0]);

    /* Woken by something else first: the switch-in cancels it. */
    arm_vtimer(&vc[0], 3000);
    vcpu_block(&vc[0]);
    CHECK(!fake_sched_pass(0));
    CHECK(vc[0].vtimer_wake.armed);
    vcpu_wake(&vc[0]);
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK(!vc[0].vtimer_wake.armed);
    CHECK_EQ(fake_hyptimer[0], FAKE_HYPTIMER_OFF);

    /* A masked timer, or a vCPU only preempted, arms nothing. */
    vc[0].arch.sys.cntv_ctl |= FAKE_CNTV_IMASK;
    vcpu_block(&vc[0]);
    CHECK(!fake_sched_pass(0));
    CHECK(!vc[0].vtimer_wake.armed);
    vcpu_wake(&vc[0]);
    CHECK(fake_sched_pass(0) == &vc[0]);
    arm_vtimer(&vc[0], 4000);
    add_and_wake(1, 1);
    CHECK(run_until(0, &vc[1], 10));
    CHECK(!vc[0].vtimer_wake.armed);
    CHECK(state_ok());
}
