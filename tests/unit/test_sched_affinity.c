/*
 * core/sched.c's hard affinity: placement within it, and a vCPU moved to a
 * pCPU of its new map when its own is not in it, whatever its state: queued
 * or blocked (moved at once, under both run-queue locks), running (marked,
 * moved by its pCPU when it switches it out, never picked there again), or
 * killed before its pCPU got to it (stays). Each move leaves both queues
 * well formed, moves the load counts, and flushes the TLB of the pCPU it
 * next runs on. Same fakes as test_sched (fakes/sched_fake.h).
 */
#include "harness.h"
#include <cloison/errno.h>
#include <core/domain.h>
#include <core/sched.h>
#include <core/timer.h>
#include <core/vcpu.h>
#include "fakes/lock_fake.h"
#include "fakes/sched_fake.h"
#include "fakes/timer_fake.h"

#define NV 4

static struct domain dom;
static struct vcpu vc[NV];

/* A fresh machine of nr pCPUs and NV vCPUs, all OFF and unplaced. */
static void setup(unsigned int nr)
{
    static bool timers;
    if (!timers) {
        timer_irq_init();
        timers = true;
    }
    for (int i = 0; i < NV; i++)
        if (vc[i].domain)
            sched_kill_vcpu(&vc[i]);
    fake_timer_reset();
    fake_sched_reset(nr);
    memset(&dom, 0, sizeof(dom));
    memset(vc, 0, sizeof(vc));
    for (int i = 0; i < NV; i++) {
        vc[i].domain = &dom;
        vc[i].id = (unsigned int)i;
        vc[i].state = VCPU_OFF;
        sched_init_vcpu(&vc[i]); /* as vcpu_create() does */
    }
}

static bool queued_on(unsigned int cpu, const struct vcpu *v)
{
    for (const struct vcpu *q = pcpus[cpu].runq_head; q; q = q->runq_next)
        if (q == v)
            return true;
    return false;
}

static bool only_on(unsigned int cpu, const struct vcpu *v)
{
    for (unsigned int c = 0; c < nr_pcpus; c++)
        if (queued_on(c, v) != (c == cpu))
            return false;
    return v->on_runq;
}

TEST(defaults_are_every_pcpu_and_placement_stays_within_the_hard_map)
{
    setup(4);
    CHECK_EQ(vc[0].hard_affinity, SCHED_AFFINITY_ALL);
    CHECK_EQ(vc[0].soft_affinity, SCHED_AFFINITY_ALL);
    CHECK_EQ(vc[0].move_to, -1);
    CHECK_EQ(sched_online_mask(), 0xf);
    /* Not placed yet: only kept; placement then honours it. */
    CHECK_EQ(sched_set_hard_affinity(&vc[0], 1u << 2), 0);
    CHECK_EQ(sched_set_hard_affinity(&vc[1], (1u << 2) | (1u << 3)), 0);
    sched_set_soft_affinity(&vc[1], 1u << 3);
    sched_add_vcpu(&vc[0]);
    sched_add_vcpu(&vc[1]);
    CHECK_EQ(vc[0].pcpu, 2);
    CHECK_EQ(vc[1].pcpu, 3); /* 2 is busier now */
    CHECK_EQ(vc[1].soft_affinity, 1u << 3);
    /* No online pCPU in the map: refused, nothing changed (Xen's -EINVAL). */
    pcpus[3].online = false;
    CHECK_EQ(sched_set_hard_affinity(&vc[1], 1u << 3), -EINVAL);
    CHECK_EQ(sched_set_hard_affinity(&vc[1], 1u << 6), -EINVAL);
    CHECK_EQ(sched_set_hard_affinity(&vc[1], 0), -EINVAL);
    CHECK_EQ(vc[1].hard_affinity, (1u << 2) | (1u << 3));
    /* A map without an online pCPU at placement (offlined since): anywhere online. */
    vc[2].hard_affinity = 1u << 3;
    sched_add_vcpu(&vc[2]);
    CHECK_EQ(vc[2].pcpu, 0);
    CHECK_EQ(fake_locks_held, 0);
}

TEST(a_queued_vcpu_moves_at_once_and_runs_there_after_a_tlb_flush)
{
    setup(2);
    sched_add_vcpu(&vc[0]); /* pCPU 0 */
    sched_add_vcpu(&vc[1]); /* pCPU 1 */
    vcpu_wake(&vc[0]);
    vcpu_wake(&vc[1]);
    CHECK(fake_sched_pass(1) == &vc[1]); /* 1 runs; 0 waits in pCPU 0's queue */
    pcpus[1].need_resched = false;
    unsigned int sgis = fake_sgis[1];
    CHECK_EQ(sched_set_hard_affinity(&vc[0], 1u << 1), 0);
    CHECK_EQ(vc[0].pcpu, 1);
    CHECK(only_on(1, &vc[0]));
    CHECK_EQ(vc[0].move_to, -1);
    CHECK_EQ(pcpus[0].nr_vcpus, 0);
    CHECK_EQ(pcpus[1].nr_vcpus, 2);
    CHECK(pcpus[1].need_resched);
    CHECK_EQ(fake_sgis[1], sgis + 1);
    CHECK(!fake_sched_pass(0)); /* nothing left there */
    CHECK(fake_sched_pass(1) == &vc[0]);
    CHECK_EQ(fake_tlb_flushes[1], 1);
    CHECK_EQ(fake_tlb_flushes[0], 0);
    /* Once: its next load there flushes nothing. */
    pcpus[1].need_resched = true;
    CHECK(fake_sched_pass(1) == &vc[1]);
    pcpus[1].need_resched = true;
    CHECK(fake_sched_pass(1) == &vc[0]);
    CHECK_EQ(fake_tlb_flushes[1], 1);
    /* Its pCPU in the new map: it stays. */
    CHECK_EQ(sched_set_hard_affinity(&vc[0], 0x3), 0);
    CHECK_EQ(vc[0].pcpu, 1);
    CHECK_EQ(fake_context_errors, 0);
    CHECK_EQ(fake_locks_held, 0);
}

TEST(a_blocked_vcpu_moves_and_its_wakeup_reaches_the_new_pcpu)
{
    setup(3);
    sched_add_vcpu(&vc[0]); /* pCPU 0 */
    vcpu_wake(&vc[0]);
    CHECK(fake_sched_pass(0) == &vc[0]);
    vcpu_block(&vc[0]);
    CHECK(!fake_sched_pass(0)); /* switched out, blocked */
    CHECK_EQ(sched_set_hard_affinity(&vc[0], 0x6), 0);
    CHECK_EQ(vc[0].pcpu, 1); /* the least loaded of 1 and 2 */
    CHECK(!vc[0].on_runq);
    unsigned int sgis = fake_sgis[1];
    vcpu_kick(&vc[0]); /* an interrupt for it, from pCPU 0 */
    CHECK_EQ(vc[0].state, VCPU_RUNNABLE);
    CHECK(only_on(1, &vc[0]));
    CHECK_EQ(fake_sgis[1], sgis + 1);
    CHECK(fake_sched_pass(1) == &vc[0]);
    CHECK_EQ(fake_tlb_flushes[1], 1);
    CHECK_EQ(fake_context_errors, 0);
}

TEST(a_running_vcpu_is_moved_by_its_pcpu_at_the_switch_out)
{
    setup(2);
    sched_add_vcpu(&vc[0]); /* pCPU 0 */
    sched_add_vcpu(&vc[1]); /* pCPU 1 */
    sched_add_vcpu(&vc[2]); /* pCPU 0 */
    for (int i = 0; i < 3; i++)
        vcpu_wake(&vc[i]);
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK(fake_sched_pass(1) == &vc[1]);
    pcpus[0].need_resched = false;
    /* Asked from pCPU 1: marked, its pCPU made to look again, not moved yet. */
    fake_set_cpu(1);
    unsigned int sgis = fake_sgis[0];
    CHECK_EQ(sched_set_hard_affinity(&vc[0], 1u << 1), 0);
    fake_set_cpu(0);
    CHECK_EQ(vc[0].pcpu, 0);
    CHECK_EQ(vc[0].move_to, 1);
    CHECK(pcpus[0].need_resched);
    CHECK_EQ(fake_sgis[0], sgis + 1);
    CHECK(vc[0].loaded && fake_loaded[0] == &vc[0]);
    /* pCPU 0 runs the next one; vc0, saved, is on pCPU 1's queue. */
    CHECK(fake_sched_pass(0) == &vc[2]);
    CHECK_EQ(vc[0].pcpu, 1);
    CHECK_EQ(vc[0].move_to, -1);
    CHECK(!vc[0].loaded);
    CHECK(only_on(1, &vc[0]));
    CHECK(!queued_on(0, &vc[0]));
    CHECK(pcpus[1].need_resched);
    /* Never again on pCPU 0, however often it looks. */
    for (int i = 0; i < 3; i++) {
        pcpus[0].need_resched = true;
        CHECK(fake_sched_pass(0) == &vc[2]);
    }
    pcpus[1].need_resched = true;
    CHECK(fake_sched_pass(1) == &vc[0]); /* vc1 was current: vc0 is next */
    CHECK_EQ(fake_tlb_flushes[1], 1);
    CHECK_EQ(pcpus[0].nr_vcpus, 1);
    CHECK_EQ(pcpus[1].nr_vcpus, 2);
    CHECK_EQ(fake_context_errors, 0);
    CHECK_EQ(fake_locks_held, 0);
}

TEST(a_running_vcpu_alone_on_its_pcpu_leaves_it_idle)
{
    setup(2);
    sched_add_vcpu(&vc[0]);
    vcpu_wake(&vc[0]);
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK_EQ(sched_set_hard_affinity(&vc[0], 1u << 1), 0); /* from pCPU 0 itself */
    CHECK(!fake_sched_pass(0));
    CHECK(fake_loaded[0] == NULL);
    CHECK(fake_sched_pass(1) == &vc[0]);
    CHECK(fake_loaded[1] == &vc[0]);
    CHECK_EQ(fake_context_errors, 0);
}

TEST(a_kill_before_the_switch_out_cancels_the_move)
{
    setup(2);
    sched_add_vcpu(&vc[0]);
    vcpu_wake(&vc[0]);
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK_EQ(sched_set_hard_affinity(&vc[0], 1u << 1), 0);
    CHECK_EQ(vc[0].move_to, 1);
    sched_kill_vcpu(&vc[0]);
    CHECK_EQ(vc[0].move_to, -1);
    CHECK(!fake_sched_pass(0));
    CHECK_EQ(vc[0].pcpu, 0); /* dead where it was, counted there */
    CHECK(!vc[0].loaded && !vc[0].on_runq);
    CHECK_EQ(pcpus[0].nr_vcpus, 1);
    CHECK(!fake_sched_pass(1));
    /* A dead vCPU is not moved either. */
    CHECK_EQ(sched_set_hard_affinity(&vc[0], 1u << 1), 0);
    CHECK_EQ(vc[0].pcpu, 0);
    CHECK_EQ(fake_context_errors, 0);
    CHECK_EQ(fake_locks_held, 0);
}
