/*
 * core/cpupool.c and the framework over several pools and pCPUs: pCPUs in
 * and out of pools, domains between pools, vCPUs sharing a pool's pCPUs,
 * and weights and caps (sched_set_dom_params) carried out by credit2.
 * Same machine as test_sched (sched_world.h).
 */
#include "sched_world.h"

TEST(weights_and_caps_are_enforced)
{
    static struct domain dom2;
    setup(1);
    memset(&dom2, 0, sizeof(dom2));
    dom2.id = 2;
    sched_init_domain(&dom2);
    vc[1].domain = &dom2;
    CHECK_EQ(sched_set_dom_params(&dom, 512, 0), 0);
    add_and_wake(0, 1);
    run_for(1000 * MS_TICKS);
    double r = (double)ran(&vc[0]) / (double)ran(&vc[1]);
    printf("  weights 512:256 -> %.3f (%lu, %lu)\n", r, ran(&vc[0]), ran(&vc[1]));
    CHECK(r > 1.8 && r < 2.2);
    /* dom2 capped at 25% of the pCPU. */
    CHECK_EQ(sched_set_dom_params(&dom, 256, 0), 0);
    CHECK_EQ(sched_set_dom_params(&dom2, 256, 25), 0);
    uint64_t b0 = ran(&vc[0]), b1 = ran(&vc[1]), t0 = fake_counter;
    run_for(1000 * MS_TICKS);
    double share = (double)(ran(&vc[1]) - b1) / (double)(fake_counter - t0);
    CHECK(share > 0.225 && share < 0.275);
    CHECK(ran(&vc[0]) - b0 + ran(&vc[1]) - b1 >= (fake_counter - t0) * 99 / 100);
    CHECK(state_ok());
    sched_kill_vcpu(&vc[1]);
    fake_sched_pass(0);
    sched_destroy_vcpu(&vc[1]);
    sched_destroy_domain(&dom2);
    vc[1].domain = NULL;
}

/* Three vCPUs that never block on two pCPUs: the pool's one queue moves
 * them between the pCPUs, each gets two thirds of a pCPU, and each arrival
 * on another pCPU flushes its TLB there. */
TEST(vcpus_move_between_the_pools_pcpus_to_share_them)
{
    setup(2);
    add_and_wake(0, 2);
    settle();
    unsigned int seen[3] = {0, 0, 0};
    for (int step = 0; step < 400; step++) {
        run_for(MS_TICKS);
        for (int i = 0; i < 3; i++)
            if (where(&vc[i]) >= 0)
                seen[i] |= 1u << where(&vc[i]);
        if (!state_ok()) {
            CHECK(state_ok());
            break;
        }
    }
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(seen[i], 3); /* on both pCPUs at some time */
        double share = (double)ran(&vc[i]) / (double)(400 * MS_TICKS);
        CHECK(share > 0.6 && share < 0.73);
    }
    CHECK(fake_tlb_flushes[0] + fake_tlb_flushes[1] > 0);
    CHECK_EQ(fake_context_errors, 0);
}

TEST(pools_take_pcpus_and_domains)
{
    setup(2);
    struct cpupool *p1;
    CHECK_EQ(cpupool_create(CPUPOOL_ID_ANY, &sched_credit2, &p1), 0);
    CHECK_EQ(cpupool_id(p1), 1);
    CHECK_EQ(cpupool_create(1, &sched_credit2, NULL), -EEXIST);
    CHECK(cpupool_by_id(1) == p1);
    CHECK(cpupool_by_id(2) == NULL);
    CHECK(cpupool_first_from(0) == cpupool0());
    CHECK(cpupool_first_from(1) == p1);
    CHECK(cpupool_first_from(2) == NULL);
    CHECK_EQ(cpupool_destroy(cpupool0()), -EINVAL);
    CHECK_EQ(cpupool_assign_cpu(p1, 1), -EBUSY);  /* pool 0's */
    CHECK_EQ(cpupool_assign_cpu(p1, 5), -EINVAL); /* offline */
    add_and_wake(0, 1);
    settle();
    CHECK(where(&vc[0]) >= 0 && where(&vc[1]) >= 0);
    struct vcpu *on1 = pcpus[1].current;
    REQUIRE(on1);

    /* pCPU 1 leaves pool 0, asked from itself (no wait): at its next pass;
     * what it ran goes to pCPU 0. */
    fake_set_cpu(1);
    CHECK_EQ(cpupool_unassign_cpu(cpupool0(), 1), 0);
    fake_set_cpu(0);
    CHECK(pcpus[1].need_resched);
    CHECK(!fake_sched_pass(1));
    CHECK(pcpus[1].pool == NULL);
    CHECK(!on1->loaded);
    CHECK_EQ(cpupool_free_cpus(), 2ULL);
    CHECK_EQ(cpupool_cpus(cpupool0()), 1ULL);
    CHECK_EQ(cpupool_unassign_cpu(cpupool0(), 1), -EINVAL);
    CHECK_EQ(cpupool_unassign_cpu(cpupool0(), 0), -EBUSY); /* its domain's last */
    CHECK(run_until(0, on1, 10));

    /* Into pool 1, which has no domain: it idles. */
    CHECK_EQ(cpupool_assign_cpu(p1, 1), 0);
    CHECK(pcpus[1].pool == p1);
    CHECK_EQ(cpupool_cpus(p1), 2ULL);
    CHECK_EQ(cpupool_free_cpus(), 0);
    CHECK_EQ(cpupool_assign_cpu(p1, 1), -EBUSY);
    CHECK(!fake_sched_pass(1));

    /* The domain moves to pool 1 (its vCPUs off every pCPU first: here
     * blocked), and runs there only. */
    vcpu_block(pcpus[0].current);
    fake_sched_pass(0);
    vcpu_block(pcpus[0].current);
    CHECK(!fake_sched_pass(0));
    struct cpupool *empty;
    CHECK_EQ(cpupool_create(CPUPOOL_ID_ANY, &sched_credit2, &empty), 0);
    CHECK_EQ(cpupool_move_domain(&dom, empty), -EBUSY); /* no pCPU */
    CHECK_EQ(cpupool_destroy(empty), 0);
    CHECK_EQ(cpupool_move_domain(&dom, p1), 0);
    CHECK(domain_cpupool(&dom) == p1);
    CHECK_EQ(cpupool_nr_domains(p1), 1);
    CHECK_EQ(cpupool_nr_domains(cpupool0()), 0);
    CHECK_EQ(cpupool_destroy(p1), -EBUSY);
    vcpu_wake(&vc[0]);
    vcpu_wake(&vc[1]);
    CHECK(pcpus[1].need_resched);
    CHECK(!pcpus[0].need_resched);
    CHECK(fake_sched_pass(1) != NULL);
    CHECK(!fake_sched_pass(0));
    CHECK(run_until(1, &vc[0], 10));
    CHECK(run_until(1, &vc[1], 10));
    CHECK_EQ(vc[0].paused, 0);

    /* Back to pool 0, then pool 1 gives back its pCPU and goes. */
    vcpu_block(pcpus[1].current);
    fake_sched_pass(1);
    vcpu_block(pcpus[1].current);
    CHECK(!fake_sched_pass(1));
    CHECK_EQ(cpupool_move_domain(&dom, cpupool0()), 0);
    fake_set_cpu(1);
    CHECK_EQ(cpupool_unassign_cpu(p1, 1), 0);
    fake_set_cpu(0);
    CHECK(!fake_sched_pass(1));
    CHECK_EQ(cpupool_destroy(p1), 0);
    CHECK(cpupool_by_id(1) == NULL);
    CHECK_EQ(cpupool_assign_cpu(cpupool0(), 1), 0);
    vcpu_wake(&vc[0]);
    vcpu_wake(&vc[1]);
    settle();
    CHECK(where(&vc[0]) >= 0 && where(&vc[1]) >= 0);
    CHECK(state_ok());
    CHECK_EQ(fake_context_errors, 0);
    CHECK_EQ(fake_locks_held, 0);
}

/* Xen's rules for affinity across pools: a domain moved to another pool gets
 * every pCPU in both maps (sched_move_domain); a pCPU leaving a pool breaks
 * the hard affinity of a vCPU pinned to it and to no other pCPU of the pool
 * (cpu_disable_scheduler, said on the console), and leaves every other pin
 * alone; what the affinity domctls report against is the pool's pCPUs. */
TEST(affinities_follow_the_pools_as_on_xen)
{
    setup(3);
    dom.nr_vcpus = 3;
    for (int i = 0; i < 3; i++)
        dom.vcpus[i] = &vc[i];
    add_and_wake(0, 2);
    settle();
    CHECK_EQ(sched_domain_cpus(&dom), 7ULL);
    CHECK_EQ(sched_set_hard_affinity(&vc[0], 1ULL << 2), 0);       /* pCPU 2 only */
    CHECK_EQ(sched_set_hard_affinity(&vc[1], (1ULL << 2) | 1), 0); /* 2 and 0 */
    CHECK_EQ(sched_set_hard_affinity(&vc[2], 1ULL << 1), 0);       /* 1 only */
    sched_set_soft_affinity(&vc[0], 1ULL << 2);
    settle();

    /* pCPU 2 leaves pool 0 (asked from pCPU 0: it waits for pCPU 2). */
    fake_set_cpu(2);
    CHECK_EQ(cpupool_unassign_cpu(cpupool0(), 2), 0);
    fake_set_cpu(0);
    fake_sched_pass(2);
    CHECK_EQ(cpupool_cpus(cpupool0()), 3ULL);
    CHECK_EQ(sched_domain_cpus(&dom), 3ULL);
    CHECK_EQ(vc[0].hard_affinity, SCHED_AFFINITY_ALL); /* broken */
    CHECK_EQ(vc[0].item.affinity, SCHED_AFFINITY_ALL);
    CHECK_EQ(vc[0].soft_affinity, 1ULL << 2); /* soft: untouched */
    CHECK_EQ(vc[1].hard_affinity, 5ULL);      /* pCPU 0 left in it */
    CHECK_EQ(vc[2].hard_affinity, 2ULL);      /* never had pCPU 2 */
    CHECK(strstr(fake_log, "Breaking affinity for d0v0\n") != NULL);
    CHECK(strstr(fake_log, "d0v1") == NULL && strstr(fake_log, "d0v2") == NULL);
    /* A map must meet the pool: pCPU 2 is online but in no pool of ours. */
    CHECK_EQ(sched_set_hard_affinity(&vc[2], 1ULL << 2), -EINVAL);
    CHECK_EQ(vc[2].hard_affinity, 2ULL);
    CHECK(run_until(0, &vc[0], 20) || run_until(1, &vc[0], 20)); /* runs again */

    /* To a pool of pCPU 2: both maps of every vCPU become every pCPU. */
    struct cpupool *p1;
    CHECK_EQ(cpupool_create(CPUPOOL_ID_ANY, &sched_credit2, &p1), 0);
    CHECK_EQ(cpupool_assign_cpu(p1, 2), 0);
    for (int i = 0; i < 3; i++)
        vcpu_block(&vc[i]);
    for (unsigned int c = 0; c < 3; c++)
        fake_sched_pass(c);
    CHECK_EQ(cpupool_move_domain(&dom, p1), 0);
    CHECK_EQ(sched_domain_cpus(&dom), 4ULL);
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(vc[i].hard_affinity, SCHED_AFFINITY_ALL);
        CHECK_EQ(vc[i].soft_affinity, SCHED_AFFINITY_ALL);
    }
    for (int i = 0; i < 3; i++)
        vcpu_wake(&vc[i]);
    CHECK(run_until(2, &vc[2], 20)); /* the one pinned to pCPU 1 runs on 2 now */
    CHECK(state_ok());
    CHECK_EQ(fake_context_errors, 0);
    CHECK_EQ(fake_locks_held, 0);
}
