/*
 * lib/sched_arinc653.c through the simulated framework (policy_sim.h): the
 * windows of a major frame run their vCPUs on time, frame after frame; an
 * absent or blocked window owner leaves its window idle; one pCPU per pool
 * runs the schedule; Xen's validation rules and default dom0 schedule; a
 * schedule set takes effect at once.
 */
#include "harness.h"
#include "policy_sim.h"
#include <lib/sched_arinc653.h>

#define MS 1000000ULL
#define ALL 0xffffffffffffffffULL

static struct psim sim;
static struct sched_dom da, db, dc, d0;
static struct sched_item a, b, c, z0, z1;
static struct arinc653_schedule sch;

static void dom(struct sched_dom *d, uint16_t id, uint8_t tag)
{
    memset(d, 0, sizeof(*d));
    d->domid = id;
    memset(d->handle, tag, sizeof(d->handle));
}

static void window(unsigned int i, const struct sched_dom *d, unsigned int vcpu, uint64_t rt)
{
    memcpy(sch.windows[i].dom_handle, d->handle, 16);
    sch.windows[i].vcpu_id = vcpu;
    sch.windows[i].runtime = rt;
    sch.windows[i].domid = ARINC653_BY_HANDLE;
}

/* Pool `cpus`; domains A, B, C (one vCPU each, runnable); the schedule
 * A 2 ms, B 3 ms, C 1 ms, major frame 10 ms, set at time 0. */
static void setup(uint64_t cpus)
{
    psim_init(&sim, &sched_arinc653, cpus);
    dom(&da, 1, 0xa);
    dom(&db, 2, 0xb);
    dom(&dc, 3, 0xc);
    psim_item(&a, &da, 0, ALL);
    psim_item(&b, &db, 0, ALL);
    psim_item(&c, &dc, 0, ALL);
    struct sched_item *its[] = {&a, &b, &c};
    for (int i = 0; i < 3; i++) {
        psim_insert(&sim, its[i]);
        psim_wake(&sim, its[i]);
    }
    memset(&sch, 0, sizeof(sch));
    sch.major_frame = 10 * MS;
    sch.nr_windows = 3;
    window(0, &da, 0, 2 * MS);
    window(1, &db, 0, 3 * MS);
    window(2, &dc, 0, 1 * MS);
    uint64_t kick = 0;
    CHECK(sched_arinc653_set(&sim.p, &sch, sim.now, &kick));
    psim_kick(&sim, kick);
}

/* At t (ms from the frame start): cpu runs `want` until `until_ms`. */
static void at(uint64_t t_ms, unsigned int cpu, const struct sched_item *want, uint64_t until_ms)
{
    psim_advance(&sim, t_ms * MS);
    CHECK(!sim.stuck);
    if (sim.cur[cpu] != want)
        HARNESS_FAIL("at %llu ms: pCPU %u runs %p, want %p", (unsigned long long)t_ms, cpu,
                     (void *)sim.cur[cpu], (void *)want);
    CHECK_EQ(sim.dec[cpu].until, until_ms * MS);
}

TEST(windows_start_on_time_frame_after_frame)
{
    setup(0x1);
    for (uint64_t f = 0; f < 50; f += 10) {
        at(f + 0, 0, &a, f + 2);
        at(f + 1, 0, &a, f + 2);
        at(f + 2, 0, &b, f + 5);
        at(f + 5, 0, &c, f + 6);
        at(f + 6, 0, NULL, f + 10); /* the frame's slack idles */
        at(f + 9, 0, NULL, f + 10);
    }
}

TEST(a_late_pick_keeps_frames_on_their_grid)
{
    setup(0x1);
    /* the pCPU misses 3.5 frames (its timer was late): it lands in frame 3 */
    sim.dec[0].until = 0;
    sim.now = 35 * MS + MS / 2;
    psim_pick(&sim, 0);
    CHECK(sim.cur[0] == &c);
    CHECK_EQ(sim.dec[0].until, 36 * MS);
    sim.now = 37 * MS + 1;
    psim_pick(&sim, 0);
    CHECK(sim.cur[0] == NULL);
    CHECK_EQ(sim.dec[0].until, 40 * MS);
    at(40, 0, &a, 42);
}

TEST(an_absent_window_owner_leaves_its_window_idle)
{
    setup(0x1);
    psim_remove(&sim, &b);
    at(1, 0, &a, 2);
    at(2, 0, NULL, 5); /* nobody else runs in B's window */
    at(5, 0, &c, 6);
    psim_insert(&sim, &b); /* back: its window is found again */
    psim_wake(&sim, &b);
    at(12, 0, &b, 15);
}

TEST(a_blocked_window_owner_idles_and_runs_when_it_wakes)
{
    setup(0x1);
    psim_sleep(&sim, &b);
    at(3, 0, NULL, 5);
    sim.now = 4 * MS;
    psim_wake(&sim, &b); /* the kick lets it use the rest of its window */
    CHECK(sim.cur[0] == &b);
    CHECK_EQ(sim.dec[0].until, 5 * MS);
    psim_sleep(&sim, &b);
    CHECK(sim.cur[0] == NULL);
    CHECK_EQ(sim.dec[0].until, 5 * MS);
    at(5, 0, &c, 6);
}

TEST(one_pcpu_per_pool_runs_the_schedule)
{
    setup(0x1c); /* pCPUs 2, 3, 4 */
    CHECK_EQ(sched_arinc653_cpu(&sim.p), 2);
    at(0, 2, &a, 2);
    at(3, 2, &b, 5);
    for (unsigned int cpu = 3; cpu <= 4; cpu++) {
        CHECK(sim.cur[cpu] == NULL);
        CHECK_EQ(sim.dec[cpu].until, 0); /* no tick there */
    }
    sim.now = 4 * MS;
    psim_cpu_remove(&sim, 2); /* pCPU 3 takes over, on the same grid */
    CHECK(sim.cur[3] == &b);
    CHECK_EQ(sim.dec[3].until, 5 * MS);
    at(5, 3, &c, 6);
    sim.now += MS / 4;
    psim_cpu_add(&sim, 1); /* pCPU 1 takes over once pCPU 3 switched c out */
    CHECK(sim.cur[3] == NULL);
    CHECK(sim.cur[1] == &c);
    CHECK_EQ(sim.dec[1].until, 6 * MS);
}

TEST(a_vcpu_pinned_off_the_schedule_pcpu_never_runs)
{
    setup(0x3);
    psim_affinity(&sim, &a, 0x2);
    at(10, 0, NULL, 12);
    CHECK(sim.cur[1] == NULL);
}

TEST(bad_schedules_are_refused_and_change_nothing)
{
    setup(0x1);
    struct arinc653_schedule good = sch, bad;
    uint64_t kick = 0;
    bad = good;
    bad.major_frame = 0;
    CHECK(!sched_arinc653_set(&sim.p, &bad, sim.now, &kick));
    bad = good;
    bad.nr_windows = 0;
    CHECK(!sched_arinc653_valid(&bad));
    bad = good;
    bad.nr_windows = ARINC653_MAX_WINDOWS + 1;
    CHECK(!sched_arinc653_valid(&bad));
    bad = good;
    bad.windows[1].runtime = 0;
    CHECK(!sched_arinc653_valid(&bad));
    bad = good;
    bad.windows[2].runtime = 5 * MS + 1; /* 2 + 3 + 5.000001 > 10 */
    CHECK(!sched_arinc653_valid(&bad));
    bad = good;
    bad.windows[0].runtime = UINT64_MAX; /* a sum that would wrap */
    bad.windows[1].runtime = 2;
    bad.major_frame = UINT64_MAX;
    CHECK(!sched_arinc653_valid(&bad));
    CHECK_EQ(kick, 0);
    struct arinc653_schedule now_in;
    sched_arinc653_get(&sim.p, &now_in);
    CHECK(memcmp(&now_in, &good, sizeof(good)) == 0);
    /* the edges Xen accepts: runtimes filling the frame exactly, 64 windows */
    good.windows[2].runtime = 5 * MS;
    CHECK(sched_arinc653_valid(&good));
    for (unsigned int i = 0; i < ARINC653_MAX_WINDOWS; i++)
        window(i, &da, 0, 1);
    sch.nr_windows = ARINC653_MAX_WINDOWS;
    sch.major_frame = ARINC653_MAX_WINDOWS;
    CHECK(sched_arinc653_valid(&sch));
}

TEST(a_new_schedule_takes_effect_at_once)
{
    setup(0x1);
    at(3, 0, &b, 5);
    memset(&sch, 0, sizeof(sch));
    sch.major_frame = 4 * MS;
    sch.nr_windows = 2;
    window(0, &dc, 0, 1 * MS);
    window(1, &da, 0, 1 * MS);
    uint64_t kick = 0;
    CHECK(sched_arinc653_set(&sim.p, &sch, sim.now, &kick)); /* at 3 ms */
    CHECK_EQ(kick, 0x1);
    psim_kick(&sim, kick);
    CHECK(sim.cur[0] == &c);
    CHECK_EQ(sim.dec[0].until, 4 * MS);
    at(4, 0, &a, 5);
    at(5, 0, NULL, 7);
    at(7, 0, &c, 8);
}

TEST(with_no_schedule_dom0_vcpus_get_10ms_windows_and_others_idle)
{
    psim_init(&sim, &sched_arinc653, 0x1);
    dom(&d0, 0, 0);
    dom(&da, 1, 0xa);
    psim_item(&a, &da, 0, ALL);
    psim_insert(&sim, &a);
    psim_wake(&sim, &a);
    CHECK(sim.cur[0] == NULL);
    CHECK_EQ(sim.dec[0].until, 0); /* no schedule: no tick */
    psim_item(&z0, &d0, 0, ALL);
    psim_item(&z1, &d0, 1, ALL);
    psim_insert(&sim, &z0);
    psim_insert(&sim, &z1);
    psim_wake(&sim, &z0);
    psim_wake(&sim, &z1);
    struct arinc653_schedule s;
    sched_arinc653_get(&sim.p, &s);
    CHECK_EQ(s.major_frame, 20 * MS);
    CHECK_EQ(s.nr_windows, 2);
    CHECK_EQ(s.windows[1].vcpu_id, 1);
    CHECK_EQ(s.windows[1].runtime, ARINC653_DEFAULT_WINDOW_NS);
    at(5, 0, &z0, 10);
    at(15, 0, &z1, 20);
    at(25, 0, &z0, 30);
}

TEST(device_tree_windows_name_domains_by_id_where_handles_are_all_zero)
{
    psim_init(&sim, &sched_arinc653, 0x1);
    dom(&da, 1, 0);
    dom(&db, 2, 0);
    psim_item(&a, &da, 0, ALL);
    psim_item(&b, &db, 0, ALL);
    psim_insert(&sim, &a);
    psim_insert(&sim, &b);
    psim_wake(&sim, &a);
    psim_wake(&sim, &b);
    memset(&sch, 0, sizeof(sch));
    sch.major_frame = 4 * MS;
    sch.nr_windows = 2;
    window(0, &da, 0, 1 * MS);
    window(1, &db, 0, 1 * MS);
    sch.windows[0].domid = 1;
    sch.windows[1].domid = 2;
    uint64_t kick = 0;
    CHECK(sched_arinc653_set(&sim.p, &sch, sim.now, &kick));
    psim_kick(&sim, kick);
    at(0, 0, &a, 1);
    at(1, 0, &b, 2);
}

TEST(the_policy_names_itself_as_xen_does)
{
    CHECK_STR_EQ(sched_arinc653.name, "arinc653");
    CHECK_EQ(sched_arinc653.xen_id, 7);
}

TEST(policies_are_found_by_xen_name_and_id)
{
    CHECK(sched_policy_by_name("arinc653") == &sched_arinc653);
    CHECK(sched_policy_by_name("null") == &sched_null);
    CHECK(sched_policy_by_id(7) == &sched_arinc653);
    CHECK(sched_policy_by_id(9) == &sched_null);
    CHECK(sched_policy_by_name("credit2") == &sched_credit2);
    CHECK(sched_policy_by_name("rtds") == NULL);
    CHECK(sched_policy_by_id(8) == NULL);
}
