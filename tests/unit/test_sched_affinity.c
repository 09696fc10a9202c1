/*
 * core/sched.c's hard affinity, carried out by the pool's policy (credit2):
 * a vCPU runs only on pCPUs of its map, whatever its state when the map
 * changes: waiting (it waits where it may run), blocked (it wakes there),
 * running elsewhere (its pCPU is kicked and lets it go at its next pick),
 * or killed. Each arrival on another pCPU flushes the TLB there. Same fakes
 * as test_sched (fakes/sched_fake.h).
 */
#include "harness.h"
#include <cloison/errno.h>
#include <core/domain.h>
#include <core/sched.h>
#include <core/timer.h>
#include <core/vcpu.h>
#include "fakes/domlist_fake.h"
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
    sched_init_domain(&dom);
    fake_domlist_reset();
    fake_domlist_add(&dom);
    for (int i = 0; i < NV; i++) {
        vc[i].domain = &dom;
        vc[i].id = (unsigned int)i;
        vc[i].state = VCPU_OFF;
        sched_init_vcpu(&vc[i]); /* as vcpu_create() does */
    }
}

static int where(const struct vcpu *v)
{
    for (unsigned int c = 0; c < nr_pcpus; c++)
        if (pcpus[c].current == v)
            return (int)c;
    return -1;
}

TEST(defaults_are_every_pcpu_and_a_map_needs_an_online_pcpu_of_the_pool)
{
    setup(3);
    pcpus[2].online = false;
    for (int i = 0; i < NV; i++) {
        CHECK_EQ(vc[i].hard_affinity, SCHED_AFFINITY_ALL);
        CHECK_EQ(vc[i].soft_affinity, SCHED_AFFINITY_ALL);
        sched_add_vcpu(&vc[i]);
        CHECK_EQ(vc[i].item.affinity, SCHED_AFFINITY_ALL);
    }
    CHECK_EQ(sched_set_hard_affinity(&vc[0], 1ULL << 2), -EINVAL); /* offline */
    CHECK_EQ(sched_set_hard_affinity(&vc[0], 1ULL << 5), -EINVAL); /* no such pCPU */
    CHECK_EQ(vc[0].hard_affinity, SCHED_AFFINITY_ALL);
    CHECK_EQ(sched_set_hard_affinity(&vc[0], 6), 0);
    CHECK_EQ(vc[0].item.affinity, 6ULL);
    sched_set_soft_affinity(&vc[1], 2); /* kept, not used to place */
    CHECK_EQ(vc[1].soft_affinity, 2ULL);
    CHECK_EQ(fake_locks_held, 0);
}

TEST(a_pinned_vcpu_is_run_only_by_its_pcpu)
{
    setup(2);
    sched_add_vcpu(&vc[0]);
    CHECK_EQ(sched_set_hard_affinity(&vc[0], 2), 0);
    vcpu_wake(&vc[0]); /* from pCPU 0, which may not run it */
    CHECK(!pcpus[0].need_resched);
    CHECK(pcpus[1].need_resched);
    CHECK(!fake_sched_pass(0));
    CHECK(fake_sched_pass(1) == &vc[0]);
    CHECK_EQ(fake_context_errors, 0);
}

TEST(a_running_vcpu_leaves_a_pcpu_its_map_drops_and_runs_after_a_tlb_flush)
{
    setup(2);
    sched_add_vcpu(&vc[0]);
    vcpu_wake(&vc[0]);
    CHECK(fake_sched_pass(0) == &vc[0]);
    unsigned int flushes = fake_tlb_flushes[1];
    fake_set_cpu(1);
    CHECK_EQ(sched_set_hard_affinity(&vc[0], 2), 0); /* from pCPU 1 */
    fake_set_cpu(0);
    CHECK(pcpus[0].need_resched);
    CHECK_EQ(fake_sgis[0], 1);
    CHECK(!fake_sched_pass(0)); /* lets it go */
    CHECK(!vc[0].loaded);
    CHECK(pcpus[1].need_resched);
    CHECK(fake_sched_pass(1) == &vc[0]);
    CHECK_EQ(vc[0].pcpu, 1);
    CHECK_EQ(fake_tlb_flushes[1], flushes + 1);
    /* Back where it was allowed again: no move while it runs there. */
    CHECK_EQ(sched_set_hard_affinity(&vc[0], 3), 0);
    CHECK(fake_sched_pass(1) == &vc[0]);
    CHECK_EQ(fake_tlb_flushes[1], flushes + 1);
    CHECK_EQ(fake_context_errors, 0);
}

TEST(a_blocked_vcpu_wakes_where_its_new_map_allows)
{
    setup(2);
    sched_add_vcpu(&vc[0]);
    vcpu_wake(&vc[0]);
    CHECK(fake_sched_pass(0) == &vc[0]);
    vcpu_block(&vc[0]);
    CHECK(!fake_sched_pass(0));
    CHECK_EQ(sched_set_hard_affinity(&vc[0], 2), 0);
    vcpu_wake(&vc[0]);
    CHECK(!pcpus[0].need_resched);
    CHECK(fake_sched_pass(1) == &vc[0]);
    CHECK_EQ(where(&vc[0]), 1);
    CHECK_EQ(fake_context_errors, 0);
}

TEST(a_kill_after_a_map_change_leaves_nothing_behind)
{
    setup(2);
    sched_add_vcpu(&vc[0]);
    vcpu_wake(&vc[0]);
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK_EQ(sched_set_hard_affinity(&vc[0], 2), 0);
    sched_kill_vcpu(&vc[0]); /* before pCPU 0 let it go */
    CHECK(!fake_sched_pass(0));
    CHECK(!fake_sched_pass(1));
    CHECK(!vc[0].loaded);
    sched_destroy_vcpu(&vc[0]);
    CHECK(!vc[0].placed);
    CHECK_EQ(fake_context_errors, 0);
    CHECK_EQ(fake_locks_held, 0);
}
