/*
 * lib/sched_credit2.c on simulated time (tests/unit/sched_sim.h): weights
 * 2:1 give 2:1 of a pCPU within 10%, a 25% cap holds, an item that never
 * blocks gets its share and no more, items spread over the pool's pCPUs,
 * and pick() never returns an item running elsewhere (checked on every
 * pick by the simulator).
 */
#include "harness.h"
#include "sched_sim.h"

#define MS 1000000ULL

static struct sim s;

static bool within(double got, double want, double tol)
{
    return got >= want * (1 - tol) && got <= want * (1 + tol);
}

TEST(policy_names_and_ids)
{
    CHECK(sched_policy_by_name("credit2") == &sched_credit2);
    CHECK(sched_policy_by_id(6) == &sched_credit2);
    CHECK(sched_policy_by_name("credit") == NULL);
    CHECK(sched_policy_by_name("bogus") == NULL);
}

TEST(weights_2_to_1_share_one_pcpu_2_to_1)
{
    struct sched_dom a = {.domid = 1, .weight = 512}, b = {.domid = 2, .weight = 256};
    sim_init(&s, &sched_credit2, 1);
    struct sim_item *x = sim_add(&s, &a, 0, 0), *y = sim_add(&s, &b, 0, 0);
    sim_set_runnable(&s, x, true);
    sim_set_runnable(&s, y, true);
    sim_run(&s, 3000 * MS);
    double ratio = (double)x->ran / (double)y->ran;
    printf("  weights 512:256 -> %.3f (%lu picks)\n", ratio, s.picks);
    CHECK(within(ratio, 2.0, 0.10));
    CHECK(x->ran + y->ran >= 2990 * MS); /* the pCPU never idles */
    CHECK_EQ(s.errors, 0);
}

TEST(weights_hold_with_many_items_on_two_pcpus)
{
    struct sched_dom a = {.domid = 1, .weight = 512}, b = {.domid = 2, .weight = 256};
    sim_init(&s, &sched_credit2, 2);
    struct sim_item *it[6];
    for (int i = 0; i < 6; i++) {
        it[i] = sim_add(&s, i < 3 ? &a : &b, 0, 0);
        sim_set_runnable(&s, it[i], true);
    }
    sim_run(&s, 3000 * MS);
    uint64_t ra = it[0]->ran + it[1]->ran + it[2]->ran, rb = it[3]->ran + it[4]->ran + it[5]->ran;
    double ratio = (double)ra / (double)rb;
    printf("  3+3 items, weights 512:256 on 2 pCPUs -> %.3f\n", ratio);
    CHECK(within(ratio, 2.0, 0.10));
    CHECK(ra + rb >= 2 * 2990 * MS);
    CHECK_EQ(s.errors, 0);
}

TEST(a_cap_of_25_percent_holds)
{
    struct sched_dom a = {.domid = 1, .weight = 256, .cap = 25}, b = {.domid = 2, .weight = 256};
    sim_init(&s, &sched_credit2, 1);
    struct sim_item *x = sim_add(&s, &a, 0, 0), *y = sim_add(&s, &b, 0, 0);
    sim_set_runnable(&s, x, true);
    sim_set_runnable(&s, y, true);
    sim_run(&s, 2000 * MS);
    double share = (double)x->ran / (double)(s.now - 1000);
    printf("  cap 25: %.3f of the pCPU\n", share);
    CHECK(within(share, 0.25, 0.10));
    CHECK(x->ran + y->ran >= 1990 * MS); /* y takes the rest */
    /* Alone, the capped item still gets 25% and the pCPU idles the rest. */
    sim_init(&s, &sched_credit2, 1);
    x = sim_add(&s, &a, 0, 0);
    memset(&a.u, 0, sizeof(a.u)); /* a new pool: its old state goes */
    s.pol->dom_params(&s.st, &a, s.now, &s.kick);
    sim_set_runnable(&s, x, true);
    sim_run(&s, 2000 * MS);
    share = (double)x->ran / (double)(s.now - 1000);
    printf("  cap 25 alone: %.3f\n", share);
    CHECK(within(share, 0.25, 0.10));
    /* The cap lifted: it runs all the time. */
    uint64_t before = x->ran, t0 = s.now;
    a.cap = 0;
    s.pol->dom_params(&s.st, &a, s.now, &s.kick);
    sim_run(&s, s.now + 500 * MS);
    CHECK(x->ran - before >= (s.now - t0) * 99 / 100);
    CHECK_EQ(s.errors, 0);
}

TEST(a_spinning_item_gets_its_share_and_no_more)
{
    /* The hog never blocks; the other wants 1 ms in every 4. */
    struct sched_dom a = {.domid = 1, .weight = 256}, b = {.domid = 2, .weight = 256};
    sim_init(&s, &sched_credit2, 1);
    struct sim_item *hog = sim_add(&s, &a, 0, 0), *per = sim_add(&s, &b, MS, 4 * MS);
    sim_set_runnable(&s, hog, true);
    sim_set_runnable(&s, per, true);
    sim_run(&s, 2000 * MS);
    double total = (double)(s.now - 1000);
    printf("  hog %.3f, periodic %.3f\n", hog->ran / total, per->ran / total);
    CHECK(within(per->ran / total, 0.25, 0.10));
    CHECK(hog->ran / total <= 0.76);
    CHECK(hog->ran / total >= 0.70);
    /* Two hogs of equal weight: half each, not more. */
    sim_init(&s, &sched_credit2, 1);
    struct sim_item *h1 = sim_add(&s, &a, 0, 0), *h2 = sim_add(&s, &b, 0, 0);
    sim_set_runnable(&s, h1, true);
    sim_set_runnable(&s, h2, true);
    sim_run(&s, 1000 * MS);
    CHECK(within((double)h1->ran / (double)h2->ran, 1.0, 0.05));
    CHECK_EQ(s.errors, 0);
}

TEST(items_spread_over_the_pools_pcpus)
{
    struct sched_dom d = {.domid = 1, .weight = 256};
    sim_init(&s, &sched_credit2, 4);
    struct sim_item *it[4];
    for (int i = 0; i < 4; i++) {
        it[i] = sim_add(&s, &d, 0, 0);
        sim_set_runnable(&s, it[i], true);
    }
    sim_settle(&s);
    for (unsigned int c = 0; c < 4; c++)
        CHECK(s.cur[c] != NULL); /* every pCPU took one at once */
    sim_run(&s, 100 * MS);
    for (int i = 0; i < 4; i++)
        CHECK(it[i]->ran >= 99 * MS);
    /* Five on four: each gets four fifths. */
    struct sim_item *fifth = sim_add(&s, &d, 0, 0);
    sim_set_runnable(&s, fifth, true);
    uint64_t before[5];
    for (int i = 0; i < 4; i++)
        before[i] = it[i]->ran;
    before[4] = fifth->ran;
    uint64_t t0 = s.now;
    sim_run(&s, s.now + 2000 * MS);
    double want = 0.8 * (double)(s.now - t0);
    for (int i = 0; i < 4; i++)
        CHECK(within((double)(it[i]->ran - before[i]), want, 0.10));
    CHECK(within((double)(fifth->ran - before[4]), want, 0.10));
    CHECK_EQ(s.errors, 0);
}

TEST(pinned_items_stay_on_their_pcpus_and_the_rest_balance)
{
    struct sched_dom d = {.domid = 1, .weight = 256};
    sim_init(&s, &sched_credit2, 2);
    struct sim_item *p1 = sim_add(&s, &d, 0, 0), *p2 = sim_add(&s, &d, 0, 0);
    struct sim_item *f = sim_add(&s, &d, 0, 0);
    p1->it.affinity = 1; /* pCPU 0 only */
    p2->it.affinity = 1;
    sim_set_runnable(&s, p1, true);
    sim_set_runnable(&s, p2, true);
    sim_set_runnable(&s, f, true);
    sim_run(&s, 1000 * MS);
    /* p1 and p2 share pCPU 0; f has pCPU 1 to itself. */
    CHECK(within((double)p1->ran, 500.0 * MS, 0.10));
    CHECK(within((double)p2->ran, 500.0 * MS, 0.10));
    CHECK(f->ran >= 990 * MS);
    /* The pin moves to pCPU 1: p1 follows. */
    p1->it.affinity = 2;
    s.pol->affinity(&s.st, &p1->it, s.now, &s.kick);
    uint64_t b1 = p1->ran, b2 = p2->ran, bf = f->ran, t0 = s.now;
    sim_run(&s, s.now + 1000 * MS);
    double t = (double)(s.now - t0);
    printf("  after the move: p1 %.3f p2 %.3f f %.3f\n", (p1->ran - b1) / t, (p2->ran - b2) / t,
           (f->ran - bf) / t);
    /* Three items, two pCPUs: each pinned one has most of its pCPU, f
     * goes between them (its share is not exact: each pCPU weighs its own
     * pinned item against the pool's queue, not the pool as a whole). */
    CHECK((double)(p1->ran - b1) >= t / 2);
    CHECK((double)(p2->ran - b2) >= t / 2);
    CHECK((double)(f->ran - bf) >= t / 4);
    CHECK(p1->ran - b1 + p2->ran - b2 + f->ran - bf >= (uint64_t)(2 * t * 0.99));
    CHECK_EQ(s.errors, 0);
}

TEST(a_waking_item_takes_an_idle_pcpu_and_rate_limit_holds)
{
    struct sched_dom d = {.domid = 1, .weight = 256};
    sim_init(&s, &sched_credit2, 2);
    struct sim_item *a = sim_add(&s, &d, 0, 0), *b = sim_add(&s, &d, 0, 0);
    sim_set_runnable(&s, a, true);
    sim_settle(&s);
    CHECK(s.cur[0] == &a->it || s.cur[1] == &a->it);
    /* Alone in the pool: no deadline (no tick). */
    CHECK(s.until[0] == 0 && s.until[1] == 0);
    sim_set_runnable(&s, b, true);
    sim_settle(&s);
    CHECK((s.cur[0] == &a->it && s.cur[1] == &b->it) || (s.cur[1] == &a->it && s.cur[0] == &b->it));
    /* One pCPU, two items: the second waits at least the rate limit. */
    sim_init(&s, &sched_credit2, 1);
    a = sim_add(&s, &d, 0, 0);
    b = sim_add(&s, &d, 0, 0);
    sim_set_runnable(&s, a, true);
    sim_settle(&s);
    s.now += 100000; /* 0.1 ms */
    sim_set_runnable(&s, b, true);
    sim_settle(&s);
    CHECK(s.cur[0] == &a->it);
    CHECK(s.until[0] >= 1000 + s.st.u.credit2.ratelimit_ns);
    CHECK_EQ(s.errors, 0);
}

TEST(leaving_pcpu_gives_back_its_item)
{
    struct sched_dom d = {.domid = 1, .weight = 256};
    sim_init(&s, &sched_credit2, 2);
    struct sim_item *a = sim_add(&s, &d, 0, 0), *b = sim_add(&s, &d, 0, 0);
    sim_set_runnable(&s, a, true);
    sim_set_runnable(&s, b, true);
    sim_settle(&s);
    REQUIRE(s.cur[1] != NULL);
    struct sched_item *was = s.cur[1];
    s.st.cpus &= ~2ULL;
    sim_pick(&s, 1);
    CHECK(s.cur[1] == NULL);
    s.pol->cpu_remove(&s.st, 1, s.now, &s.kick);
    s.ncpu = 1;
    sim_run(&s, s.now + 100 * MS);
    CHECK(sim_of(was)->ran > 30 * MS); /* it runs on pCPU 0 now */
    CHECK_EQ(s.errors, 0);
}

/* 1,024 newcomers, one every 20 ms, each needing 5 ms before it ticks
 * (0.5 ms every 4 s), beside those already ticking: each boots as soon as
 * it arrives (the shape of test_scale's boot, which a policy that lets
 * sleepers and newcomers overtake a half-booted item for long fails). */
TEST(a_stream_of_newcomers_starves_no_one)
{
    static struct sched_dom doms[SIM_MAX_ITEMS];
    sim_init(&s, &sched_credit2, 1);
    uint64_t t0 = s.now;
    for (unsigned int i = 0; i < SIM_MAX_ITEMS; i++) {
        doms[i] = (struct sched_dom){.domid = (uint16_t)i, .weight = 256};
        struct sim_item *si = sim_add(&s, &doms[i], 500000, 4000 * MS);
        si->first = 5 * MS;
        si->booted = false;
        si->next_wake = t0 + i * 20 * MS;
    }
    sim_run(&s, t0 + 40000 * MS);
    uint64_t worst = 0;
    unsigned int booted = 0;
    for (unsigned int i = 0; i < SIM_MAX_ITEMS; i++) {
        struct sim_item *si = &s.items[i];
        if (!si->booted)
            continue;
        booted++;
        uint64_t wait = si->booted_at - (t0 + i * 20 * MS);
        if (wait > worst)
            worst = wait;
    }
    printf("  %u of %d booted, the slowest in %lu ms\n", booted, SIM_MAX_ITEMS,
           (unsigned long)(worst / MS));
    CHECK_EQ(booted, SIM_MAX_ITEMS);
    CHECK(worst < 600 * MS);
    CHECK_EQ(s.errors, 0);
}

/* Many mostly idle items (1 ms every 100 ms, 400 of them: 4 pCPUs' worth
 * on one pCPU, overloaded), half of which burnt 50 ms more at their start:
 * each keeps getting its turns, none falls behind the others for good. */
TEST(sleepers_that_ran_more_long_ago_are_not_kept_behind)
{
    static struct sched_dom doms[400];
    sim_init(&s, &sched_credit2, 1);
    for (unsigned int i = 0; i < 400; i++) {
        doms[i] = (struct sched_dom){.domid = (uint16_t)i, .weight = 256};
        struct sim_item *si = sim_add(&s, &doms[i], MS, 100 * MS);
        if (i % 2) { /* ran 50 ms more, long ago */
            si->first = 51 * MS;
            si->booted = false;
        }
        sim_set_runnable(&s, si, true);
    }
    sim_run(&s, s.now + 2000 * MS); /* the extra runs are over */
    uint64_t before[400];
    for (unsigned int i = 0; i < 400; i++)
        before[i] = s.items[i].ran;
    uint64_t t0 = s.now;
    sim_run(&s, t0 + 4000 * MS);
    uint64_t lo = UINT64_MAX, hi = 0, odd = 0, even = 0;
    for (unsigned int i = 0; i < 400; i++) {
        uint64_t r = s.items[i].ran - before[i];
        lo = r < lo ? r : lo;
        hi = r > hi ? r : hi;
        if (i % 2)
            odd += r;
        else
            even += r;
    }
    printf("  400 sleepers over 4 s: %lu..%lu ms each, those that ran more %.3f of the rest\n",
           (unsigned long)(lo / MS), (unsigned long)(hi / MS), (double)odd / (double)even);
    CHECK(lo * 2 >= hi); /* no one kept at the bottom */
    CHECK((double)odd / (double)even > 0.8);
    CHECK_EQ(s.errors, 0);
}

/* 4,096 items: waking, picking and sleeping cost no walk of them all (a
 * loose bound on the simulated work, not a timing). */
TEST(thousands_of_items)
{
    static struct sched_dom doms[4096];
    static struct sched_item items[4096];
    static struct sched_pool_state st;
    memset(&st, 0, sizeof(st));
    sched_credit2.init(&st);
    st.cpus = 3;
    uint64_t kick = 0, now = 1;
    sched_credit2.cpu_add(&st, 0, now, &kick);
    sched_credit2.cpu_add(&st, 1, now, &kick);
    for (int i = 0; i < 4096; i++) {
        doms[i].domid = (uint16_t)i;
        doms[i].weight = 256;
        items[i].dom = &doms[i];
        items[i].affinity = ~0ULL;
        sched_credit2.insert(&st, &items[i], now);
        items[i].runnable = true;
        sched_credit2.wake(&st, &items[i], now, &kick);
    }
    struct sched_item *cur[2] = {NULL, NULL};
    unsigned int seen = 0;
    static bool ran[4096];
    for (int round = 0; round < 20000; round++) {
        unsigned int c = (unsigned int)round & 1;
        now += 1000000;
        struct sched_decision d = sched_credit2.pick(&st, c, cur[c], now);
        st.kick = 0;
        REQUIRE(d.next && d.next != cur[c ^ 1]);
        size_t i = (size_t)(d.next - items);
        if (!ran[i]) {
            ran[i] = true;
            seen++;
        }
        cur[c] = d.next;
    }
    CHECK_EQ(seen, 4096); /* every one ran: none starved */
}

/* SCHEDOP_yield: two items on one pCPU hand it to each other at each yield,
 * inside the rate limit and the switch resistance (Xen 4.17's credit2); without
 * the yield the runner stays; alone, a yielder runs on. */
TEST(a_yield_hands_the_pcpu_to_the_waiting_item)
{
    static struct sched_pool_state st;
    struct sched_dom da = {.domid = 1, .weight = 256}, db = {.domid = 2, .weight = 256};
    struct sched_item a = {.dom = &da, .affinity = ~0ULL}, b = {.dom = &db, .affinity = ~0ULL};
    uint64_t kick = 0, now = 1;
    memset(&st, 0, sizeof(st));
    sched_credit2.init(&st);
    st.cpus = 1;
    sched_credit2.cpu_add(&st, 0, now, &kick);
    sched_credit2.insert(&st, &a, now);
    a.runnable = true;
    sched_credit2.wake(&st, &a, now, &kick);
    struct sched_decision d = sched_credit2.pick(&st, 0, NULL, now);
    REQUIRE(d.next == &a);
    a.yielded = true; /* alone: nobody to give way to */
    d = sched_credit2.pick(&st, 0, &a, now += 1000);
    CHECK(d.next == &a);
    a.yielded = false;
    sched_credit2.insert(&st, &b, now);
    b.runnable = true;
    sched_credit2.wake(&st, &b, now, &kick);
    d = sched_credit2.pick(&st, 0, &a, now += 1000); /* within the rate limit */
    CHECK(d.next == &a);
    struct sched_item *cur = &a;
    for (int i = 0; i < 10; i++) {
        struct sched_item *other = cur == &a ? &b : &a;
        cur->yielded = true;
        d = sched_credit2.pick(&st, 0, cur, now += 1000);
        cur->yielded = false; /* the framework's part */
        CHECK(d.next == other);
        cur = d.next;
    }
}
