/*
 * lib/sched_null.c through the simulated framework (policy_sim.h): each item
 * owns one pCPU of its affinity and runs there with no deadline; items that
 * find none wait in order and get pCPUs as they free (an item removed, a
 * pCPU added, an affinity change); a blocked owner's pCPU idles; a pCPU
 * removed sends its owner to a free pCPU or to the wait list.
 */
#include "harness.h"
#include "policy_sim.h"
#include <lib/sched_null.h>

#define ALL 0xffffffffffffffffULL

static struct psim sim;
static struct sched_dom dom;
static struct sched_item it[8];

/* A pool of `cpus` and n runnable items of affinity `aff`, inserted in order. */
static void setup(uint64_t cpus, unsigned int n, uint64_t aff)
{
    psim_init(&sim, &sched_null, cpus);
    memset(&dom, 0, sizeof(dom));
    dom.domid = 1;
    for (unsigned int i = 0; i < n; i++) {
        psim_item(&it[i], &dom, i, aff);
        psim_insert(&sim, &it[i]);
        psim_wake(&sim, &it[i]);
    }
}

static unsigned int nr_waiting(void)
{
    unsigned int n = 0;
    for (struct sched_item *w = sched_null_first_waiting(&sim.p); w; w = sched_null_next_waiting(w))
        n++;
    return n;
}

TEST(each_item_owns_a_pcpu_and_runs_with_no_tick)
{
    setup(0xf, 3, ALL);
    for (unsigned int i = 0; i < 3; i++) {
        CHECK_EQ(sched_null_cpu_of(&it[i]), i);
        CHECK(sched_null_owner(&sim.p, i) == &it[i]);
        CHECK(sim.cur[i] == &it[i]);
        CHECK_EQ(sim.dec[i].until, 0);
        CHECK_EQ(it[i].running_on, i);
    }
    CHECK(sim.cur[3] == NULL);
    CHECK_EQ(sim.dec[3].until, 0);
    CHECK_EQ(nr_waiting(), 0);
    unsigned int before = sim.picks[0];
    psim_advance(&sim, 10000000000ULL); /* 10 s: nobody is preempted */
    CHECK_EQ(sim.picks[0], before);
    CHECK(sim.cur[0] == &it[0]);
}

TEST(the_extra_item_waits_and_gets_the_first_pcpu_that_frees)
{
    setup(0xf, 5, ALL);
    CHECK_EQ(sched_null_cpu_of(&it[4]), SCHED_NO_CPU);
    CHECK(sched_null_first_waiting(&sim.p) == &it[4]);
    CHECK_EQ(psim_where(&sim, &it[4]), -1);
    psim_remove(&sim, &it[1]);
    CHECK_EQ(nr_waiting(), 0);
    CHECK_EQ(sched_null_cpu_of(&it[4]), 1);
    CHECK(sim.cur[1] == &it[4]);
    CHECK_EQ(sim.dec[1].until, 0);
}

TEST(waiters_get_pcpus_in_arrival_order)
{
    setup(0x3, 6, ALL);
    CHECK_EQ(nr_waiting(), 4);
    struct sched_item *w = sched_null_first_waiting(&sim.p);
    for (unsigned int i = 2; i < 6; i++, w = sched_null_next_waiting(w))
        CHECK(w == &it[i]);
    psim_remove(&sim, &it[1]);
    CHECK(sim.cur[1] == &it[2]);
    psim_remove(&sim, &it[0]);
    CHECK(sim.cur[0] == &it[3]);
    psim_remove(&sim, &it[3]);
    CHECK(sim.cur[0] == &it[4]);
    CHECK(sched_null_first_waiting(&sim.p) == &it[5]);
}

TEST(a_waiter_outside_the_freed_pcpu_lets_the_next_one_have_it)
{
    setup(0x3, 2, ALL);
    psim_item(&it[2], &dom, 2, 0x1); /* may use pCPU 0 only */
    psim_insert(&sim, &it[2]);
    psim_wake(&sim, &it[2]);
    psim_item(&it[3], &dom, 3, ALL);
    psim_insert(&sim, &it[3]);
    psim_wake(&sim, &it[3]);
    psim_remove(&sim, &it[1]); /* pCPU 1 frees: it[2] cannot use it */
    CHECK(sim.cur[1] == &it[3]);
    CHECK(sched_null_first_waiting(&sim.p) == &it[2]);
    psim_remove(&sim, &it[0]);
    CHECK(sim.cur[0] == &it[2]);
}

TEST(a_blocked_owner_leaves_its_pcpu_idle_and_keeps_it)
{
    setup(0x3, 3, ALL);
    psim_sleep(&sim, &it[0]);
    CHECK(sim.cur[0] == NULL);
    CHECK_EQ(sim.dec[0].until, 0);
    CHECK_EQ(it[0].running_on, SCHED_NO_CPU);
    CHECK(sched_null_owner(&sim.p, 0) == &it[0]);
    CHECK(sched_null_first_waiting(&sim.p) == &it[2]); /* still waiting */
    psim_wake(&sim, &it[0]);
    CHECK(sim.cur[0] == &it[0]);
}

TEST(an_added_pcpu_goes_to_the_oldest_waiter)
{
    setup(0x1, 3, ALL);
    psim_cpu_add(&sim, 5);
    CHECK(sim.cur[5] == &it[1]);
    CHECK_EQ(sched_null_cpu_of(&it[1]), 5);
    CHECK(sched_null_first_waiting(&sim.p) == &it[2]);
}

TEST(a_removed_pcpu_sends_its_owner_to_a_free_one_or_to_wait)
{
    setup(0x7, 2, ALL);
    psim_cpu_remove(&sim, 0);
    CHECK(sim.cur[0] == NULL);
    CHECK(sim.cur[2] == &it[0]);
    CHECK_EQ(sched_null_cpu_of(&it[0]), 2);
    psim_cpu_remove(&sim, 2);
    CHECK_EQ(sched_null_cpu_of(&it[0]), SCHED_NO_CPU);
    CHECK(sched_null_first_waiting(&sim.p) == &it[0]);
    CHECK_EQ(psim_where(&sim, &it[0]), -1);
    psim_cpu_add(&sim, 3);
    CHECK(sim.cur[3] == &it[0]);
}

TEST(an_affinity_change_reassigns)
{
    setup(0xf, 5, ALL);
    /* the owner of 0 may use 3 only now: 3 is taken, so it waits behind it[4] */
    psim_affinity(&sim, &it[0], 0x8);
    CHECK(sim.cur[0] == &it[4]); /* pCPU 0 went to the waiter */
    CHECK(sched_null_first_waiting(&sim.p) == &it[0]);
    /* still allowed on its own pCPU: nothing moves */
    psim_affinity(&sim, &it[1], 0x6);
    CHECK(sim.cur[1] == &it[1]);
    /* a waiter whose new affinity holds a free pCPU takes it */
    psim_remove(&sim, &it[2]);
    CHECK(sim.cur[2] == NULL); /* it[0] may not use 2 */
    psim_affinity(&sim, &it[0], 0x4);
    CHECK(sim.cur[2] == &it[0]);
    CHECK_EQ(nr_waiting(), 0);
}

TEST(a_moved_item_runs_nowhere_else_until_switched_out)
{
    setup(0x3, 1, ALL);
    CHECK(sim.cur[0] == &it[0]);
    /* the framework reports the new affinity but pCPU 0 has not switched yet */
    uint64_t kick = 0;
    it[0].affinity = 0x2;
    sched_null.affinity(&sim.p, &it[0], sim.now, &kick);
    CHECK_EQ(kick, 0x3);
    sim.p.kick = 0;
    sim.dec[1] = sched_null.pick(&sim.p, 1, NULL, sim.now); /* pCPU 1 first */
    CHECK(sim.dec[1].next == NULL);
    CHECK_EQ(sim.dec[1].until, 0);
    CHECK_EQ(sim.p.kick, 0);
    sim.dec[0] = sched_null.pick(&sim.p, 0, &it[0], sim.now); /* switched out on 0 */
    CHECK(sim.dec[0].next == NULL);
    CHECK_EQ(sim.p.kick, 0x2); /* pCPU 1 is asked to pick again */
    sim.dec[1] = sched_null.pick(&sim.p, 1, NULL, sim.now);
    CHECK(sim.dec[1].next == &it[0]);
    CHECK_EQ(sim.dec[1].until, 0);
}

TEST(a_vcpu_never_woken_takes_no_pcpu)
{
    setup(0x3, 1, ALL);
    psim_item(&it[1], &dom, 1, ALL); /* a secondary its guest leaves off */
    psim_insert(&sim, &it[1]);
    psim_item(&it[2], &dom, 2, ALL);
    psim_insert(&sim, &it[2]);
    psim_wake(&sim, &it[2]);
    CHECK_EQ(sched_null_cpu_of(&it[1]), SCHED_NO_CPU);
    CHECK_EQ(nr_waiting(), 0);
    CHECK(sim.cur[1] == &it[2]);
    psim_wake(&sim, &it[1]); /* started now: no pCPU left, it waits */
    CHECK(sched_null_first_waiting(&sim.p) == &it[1]);
    psim_remove(&sim, &it[0]);
    CHECK(sim.cur[0] == &it[1]);
}

TEST(the_policy_names_itself_as_xen_does)
{
    CHECK_STR_EQ(sched_null.name, "null");
    CHECK_EQ(sched_null.xen_id, 9);
}
