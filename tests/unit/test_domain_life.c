/*
 * core/domain.c's lifecycle, with the scheduler (sched.c) and the reaper
 * registered as its entry hook as boot/compose.c does: references and the
 * reaper, dead vCPUs still loaded, shutdown and its reason, restart, the
 * lifecycle events, powering off when nothing is left, and a domain
 * destroyed while its vCPU waits with timers armed (domain_world.h).
 *
 * The reaper's start conditions and a preserved domain only ever go one way
 * in a process: the first test checks the reaper waits for the end of boot,
 * the last one leaves preserved domains behind.
 */
#include "harness.h"
#include <cloison/errno.h>
#include <cloison/irq.h>
#include <core/domain.h>
#include <core/sched.h>
#include <core/timer.h>
#include <core/vcpu.h>
#include "domain_world.h"
#include "fakes/lock_fake.h"
#include "fakes/p2m_fake.h"
#include "fakes/sched_fake.h"
#include "fakes/timer_fake.h"

TEST(the_reaper_waits_for_the_end_of_boot)
{
    setup(false);
    CHECK_EQ(reap_on(0), FAKE_RETURNED); /* nothing at all: no power-off yet */
    struct domain_cfg c = cfg("early", 4096, 1);
    struct domain *d = start(&c);
    REQUIRE(d);
    uint16_t id = d->id;
    domain_shutdown(d, SHUTDOWN_poweroff);
    CHECK_EQ(reap_on(0), FAKE_RETURNED);
    pass_all();
    CHECK_EQ(domain_count(), 1); /* still there: other boot domains may come */
    CHECK_EQ(fake_power_offs, 0);
    domain_boot_done();
    CHECK_EQ(reap_on(1), FAKE_POWERED_OFF); /* freed, and it was the last */
    CHECK_EQ(domain_count(), 0);
    CHECK(!domain_by_id(id));
    CHECK(all_freed());
}

TEST(references_keep_a_dying_domain_until_put)
{
    setup(true);
    struct domain_cfg c = cfg("ref", 4096, 1);
    struct domain *d = start(&c), *other = start(&c);
    REQUIRE(d && other);
    uint16_t id = d->id;
    CHECK(!domain_get(0)); /* no dom0 here */
    struct domain *r1 = domain_get(id), *r2 = domain_get(id);
    CHECK(r1 == d && r2 == d);
    CHECK_EQ(d->refs, 2);
    domain_shutdown(d, SHUTDOWN_poweroff);
    pass_all();
    CHECK(domain_by_id(id) == d);       /* referenced: kept */
    struct domain *r3 = domain_get(id); /* a dying domain can still be looked up */
    CHECK(r3 == d);
    domain_put(r1);
    domain_put(r2);
    pass_all();
    CHECK(domain_by_id(id) == d);
    domain_put(r3);
    CHECK_EQ(fake_power_offs, 0);
    pass_all();
    CHECK(!domain_by_id(id));
    CHECK(!domain_get(id));
    CHECK_EQ(fake_power_offs, 0); /* the other one still runs */
    CHECK(destroy(other));
    CHECK(all_freed());
}

/* The toolstack's destroy: dying at once, kept while others map its memory
 * (a part says so), freed by the first pass after; never restarted. A
 * domain its own policy destroys is freed whatever is mapped. */
TEST(a_destroyed_domain_stays_dying_while_mapped)
{
    setup(true);
    struct domain_cfg c = cfg("mapped", 4096, 1);
    c.on_poweroff = ACTION_RESTART;
    struct domain *d = start(&c), *other = start(&c);
    REQUIRE(d && other);
    uint16_t id = d->id;
    CHECK_EQ(domain_ctl_destroy(d, other), 0);
    CHECK_EQ(domain_ctl_destroy(d, other), 0); /* again: fine */
    CHECK_EQ(domain_ctl_destroy(other, other), -EINVAL);
    CHECK(d->state == DOM_DYING);
    world_in_use = true;
    pass_all();
    pass_all();
    CHECK(domain_by_id(id) == d); /* dying, still listed */
    world_in_use = false;
    pass_all();
    CHECK(!domain_by_id(id));
    CHECK_EQ(domain_count(), 1); /* not rebuilt: a destroy is not a poweroff */
    /* Its own shutdown with on_poweroff=destroy: freed although mapped. */
    world_in_use = true;
    CHECK(destroy(other));
    world_in_use = false;
    CHECK(all_freed());
}

/* The toolstack's destroy is announced (K, which raises VIRQ_DOM_EXC) once,
 * whether the domain ran (after S and D) or had shut down and was kept for
 * the toolstack (K alone). Without it, daemons that saw the shutdown (not yet
 * dying) kept mapping its pages and it stayed dying for good: libvirt destroys
 * a domain that powered off a few seconds after xenstored and xenconsoled
 * have looked at it. */
TEST(a_destroy_is_announced_whether_the_domain_ran_or_not)
{
    setup(true);
    struct domain_cfg c = cfg("killed", 4096, 1), c2 = cfg("other", 4096, 1);
    c.on_poweroff = ACTION_PRESERVE;
    struct domain *d = start(&c), *p = start(&c), *other = start(&c2);
    REQUIRE(d && p && other);
    uint16_t id = d->id, pid = p->id;
    char want[96];
    trace[0] = 0;
    CHECK_EQ(domain_ctl_destroy(d, other), 0);
    snprintf(want, sizeof(want), "1S%u 2S%u 1D%u 2D%u 1K%u 2K%u ", id, id, id, id, id, id);
    CHECK_STR_EQ(trace, want);
    CHECK_EQ(domain_ctl_destroy(d, other), 0); /* again: nothing more to say */
    CHECK_STR_EQ(trace, want);

    domain_shutdown(p, SHUTDOWN_poweroff);
    CHECK_EQ(p->state, DOM_PRESERVED);
    trace[0] = 0;
    CHECK_EQ(domain_ctl_destroy(p, other), 0);
    snprintf(want, sizeof(want), "1K%u 2K%u ", pid, pid);
    CHECK_STR_EQ(trace, want);
    CHECK_EQ(p->state, DOM_DYING);
    pass_all();
    CHECK(!domain_by_id(id) && !domain_by_id(pid));
    CHECK(destroy(other));
    CHECK(all_freed());
    CHECK(!part_bad);
}

/* A dead vCPU still loaded on a pCPU keeps its domain: freed by the pass
 * that switches it out (and reaps), not before. */
TEST(the_reaper_waits_for_loaded_vcpus)
{
    setup(true);
    struct domain_cfg c = cfg("loaded", 4096, 2);
    struct domain *d = start(&c);
    REQUIRE(d);
    struct vcpu *v0 = d->vcpus[0];
    CHECK(fake_sched_pass(v0->pcpu) == v0);
    CHECK(v0->loaded);
    unsigned int other = v0->pcpu ^ 1;
    fake_set_cpu(other); /* vCPU 1's pCPU shuts it down, as SCHEDOP_shutdown */
    domain_shutdown(d, SHUTDOWN_poweroff);
    fake_set_cpu(0);
    CHECK_EQ(reap_on(other), FAKE_RETURNED);
    fake_sched_pass(other);
    CHECK(domain_by_id(d->id) == d);
    CHECK_EQ(fake_power_offs, 0);
    CHECK(pcpus[v0->pcpu].need_resched); /* kicked */
    fake_sched_pass(v0->pcpu);           /* switches it out, then reaps */
    CHECK_EQ(domain_count(), 0);
    CHECK(fake_power_offs > 0);
    CHECK(all_freed());
}

/*
 * The interleaving that stalled a restart loop in CI (4 pCPUs, a 2-vCPU
 * domain powering itself off hundreds of times): pCPU A's reaper, holding
 * reap_lock, finds the dead domain's other vCPU still loaded on pCPU B; B
 * then switches it out, and B's reaper finds reap_lock taken. Idle pCPUs run
 * only when asked: unless A looks again, nobody ever frees the domain.
 */
static unsigned int race_a, race_b;
static struct vcpu *race_v1;
static bool race_replayed;
static enum fake_exit race_b_exit;

static void pass_on_b(void)
{
    sched_return_to_guest();
}

/* At A's release of domlist_lock under reap_lock: its look is done. */
static void let_go_on_b(spinlock_t *l)
{
    (void)l;
    if (this_cpu_id() != race_a || fake_locks_held != 2 || pcpus[race_a].current ||
        !race_v1->loaded)
        return;
    fake_unlock_hook = NULL;
    race_b_exit = fake_run_on(race_b, pass_on_b);
    race_replayed = true;
}

TEST(a_vcpu_let_go_while_the_reaper_looks_is_not_lost)
{
    setup(true);
    struct domain_cfg c = cfg("racer", 4096, 2);
    struct domain *d = start(&c);
    REQUIRE(d);
    race_a = 0;
    race_b = 1;
    REQUIRE(vcpu_start(d->vcpus[1], 0x40000000, 0) == 0); /* PSCI CPU_ON */
    struct vcpu *on_a = fake_sched_pass(race_a);
    race_v1 = fake_sched_pass(race_b);
    CHECK(on_a && race_v1 && on_a != race_v1); /* one vCPU loaded on each */
    fake_set_cpu(race_a);                      /* A's vCPU powers the domain off */
    domain_shutdown(d, SHUTDOWN_poweroff);
    fake_set_cpu(0);
    race_replayed = false;
    fake_unlock_hook = let_go_on_b;
    fake_sched_pass(race_a);
    fake_unlock_hook = NULL;
    CHECK(race_replayed);
    CHECK_EQ(race_b_exit, FAKE_IDLED); /* B's reaper gave up: the lock was A's */
    /* A looked again, found it reapable, freed it: the last domain. */
    CHECK_EQ(domain_count(), 0);
    CHECK(fake_power_offs > 0);
    CHECK(all_freed());
}

/* Only the first shutdown counts: its reason stays, the events are sent
 * once, a crash afterwards changes nothing. */
TEST(shutdown_is_idempotent_and_latches_its_reason)
{
    setup(true);
    struct domain_cfg c = cfg("twice", 4096, 2);
    struct domain *d = start(&c), *other = start(&c);
    REQUIRE(d && other);
    uint16_t id = d->id;
    trace[0] = 0;
    domain_shutdown(d, SHUTDOWN_reboot);
    char want[64];
    snprintf(want, sizeof(want), "1S%u 2S%u 1D%u 2D%u ", id, id, id, id);
    CHECK_STR_EQ(trace, want);
    CHECK_EQ(d->shutdown_reason, SHUTDOWN_reboot);
    CHECK_EQ(d->state, DOM_DYING);
    domain_shutdown(d, SHUTDOWN_poweroff);
    domain_crash(d, "late fault", 0x1234);
    CHECK_EQ(d->shutdown_reason, SHUTDOWN_reboot);
    CHECK_STR_EQ(trace, want);
    pass_all();
    CHECK(!domain_by_id(id));

    /* A crash is a shutdown for the reason crash. */
    trace[0] = 0;
    uint16_t oid = other->id;
    domain_crash(other, "data abort", 0xdead);
    snprintf(want, sizeof(want), "1S%u 2S%u 1D%u 2D%u ", oid, oid, oid, oid);
    CHECK_STR_EQ(trace, want);
    CHECK_EQ(other->shutdown_reason, SHUTDOWN_crash);
    pass_all();
    CHECK(!domain_by_id(oid));
    CHECK(all_freed());
    CHECK(!part_bad);
}

/* Xen's rule for SCHEDOP_shutdown_code: the first reason given, by
 * shutdown_code or by a shutdown, is latched and acted on; a later code, a
 * shutdown for another reason or a crash changes nothing (issue 9, finding
 * 5: shutdown_code used to overwrite the reason of a dying domain). */
TEST(the_first_shutdown_reason_is_latched)
{
    setup(true);
    struct domain_cfg c = cfg("coded", 4096, 2);
    c.on_poweroff = ACTION_PRESERVE; /* the action shows which reason was acted on */
    struct domain *d = start(&c), *other = start(&c);
    REQUIRE(d && other);
    CHECK_EQ(d->shutdown_reason, SHUTDOWN_REASON_UNSET);
    domain_set_shutdown_code(d, SHUTDOWN_reboot);
    domain_set_shutdown_code(d, SHUTDOWN_poweroff); /* too late: reboot is latched */
    CHECK_EQ(d->shutdown_reason, SHUTDOWN_reboot);
    CHECK_EQ(d->state, DOM_RUNNING); /* a code alone does nothing */
    domain_shutdown(d, SHUTDOWN_poweroff);
    CHECK_EQ(d->shutdown_reason, SHUTDOWN_reboot);
    CHECK_EQ(d->state, DOM_DYING); /* on_reboot (destroy), not on_poweroff (preserve) */
    domain_set_shutdown_code(d, SHUTDOWN_crash);
    domain_crash(d, "late", 0);
    CHECK_EQ(d->shutdown_reason, SHUTDOWN_reboot);
    pass_all();

    /* A shutdown latches its own reason: a code afterwards changes nothing. */
    domain_shutdown(other, SHUTDOWN_crash);
    domain_set_shutdown_code(other, SHUTDOWN_poweroff);
    domain_shutdown(other, SHUTDOWN_poweroff);
    CHECK_EQ(other->shutdown_reason, SHUTDOWN_crash);
    CHECK_EQ(other->state, DOM_DYING);
    pass_all();
    CHECK_EQ(domain_count(), 0);
    CHECK(all_freed());
}

/* on_*=restart: the reaper frees the domain, then calls its rebuild with
 * the same description, one step per pass, REBUILD_STEPS steps in all. */
#define REBUILD_STEPS 3
static unsigned int rebuilds, rebuild_steps;
static struct domain_cfg rebuilt_cfg;
static bool rebuild_fails;
static int rebuild(struct domain_rebuild *rb, uint64_t budget)
{
    CHECK(budget > 0);
    rebuild_steps++;
    if (rb->phase++ == 0) {
        rebuilds++;
        rebuilt_cfg = rb->cfg;
        note("rebuild ");
        if (rebuild_fails)
            return -ENOMEM;
        rb->d = domain_create(&rb->cfg);
        return rb->d ? 1 : -ENOMEM;
    }
    if (rb->phase < REBUILD_STEPS)
        return 1;
    rb->d->rebuild = rebuild;
    domain_start(rb->d, 0x40080000, 0x48000000);
    rb->d = NULL;
    return 0;
}

/* Enough passes of every pCPU for a restart's steps. */
static void passes(void)
{
    for (unsigned int i = 0; i <= REBUILD_STEPS; i++)
        pass_all();
}

TEST(restart_rebuilds_from_the_same_description)
{
    setup(true);
    rebuilds = 0;
    rebuild_fails = false;
    struct domain_cfg c = cfg("phoenix", 4096, 1);
    c.on_reboot = ACTION_RESTART;
    c.on_crash = ACTION_RESTART;
    struct domain *d = start(&c);
    REQUIRE(d);
    d->rebuild = rebuild;
    uint16_t id = d->id;
    trace[0] = 0;
    rebuild_steps = 0;
    domain_shutdown(d, SHUTDOWN_reboot);
    /* One step per pass: freed first, then built; listed only at the end. */
    CHECK_EQ(reap_on(0), FAKE_RETURNED);
    CHECK(!domain_by_id(id));
    CHECK_EQ(domain_count(), 0);
    for (unsigned int i = 1; i < REBUILD_STEPS; i++) {
        CHECK_EQ(reap_on(0), FAKE_RETURNED);
        CHECK_EQ(rebuild_steps, i);
        CHECK_EQ(domain_count(), 0);
        CHECK_EQ(fake_power_offs, 0); /* a rebuild under way keeps the machine on */
    }
    CHECK_EQ(reap_on(0), FAKE_RETURNED);
    CHECK_EQ(rebuild_steps, REBUILD_STEPS);
    CHECK_EQ(rebuilds, 1);
    CHECK_STR_EQ(rebuilt_cfg.name, "phoenix");
    CHECK_EQ(rebuilt_cfg.on_reboot, ACTION_RESTART);
    CHECK(!domain_by_id(id));
    CHECK_EQ(domain_count(), 1);
    CHECK_EQ(fake_power_offs, 0);
    /* Torn down and announced before the new one is built. */
    char want[160];
    snprintf(want, sizeof(want), "1S%u 2S%u 1D%u 2D%u -c -b -a 1X%u 2X%u rebuild +a +b +c sa sc ",
             id, id, id, id, id, id);
    CHECK_STR_EQ(trace, want);

    /* The watchdog counts as a crash (on_crash); suspend always destroys. */
    struct domain *n = domain_get((uint16_t)(id + 1));
    REQUIRE(n);
    domain_put(n);
    domain_shutdown(n, SHUTDOWN_watchdog);
    passes();
    CHECK_EQ(rebuilds, 2);
    CHECK_EQ(domain_count(), 1);
    n = domain_get((uint16_t)(id + 2));
    REQUIRE(n);
    domain_put(n);
    domain_shutdown(n, SHUTDOWN_suspend);
    passes();
    CHECK_EQ(rebuilds, 2);
    CHECK_EQ(domain_count(), 0);
    CHECK(fake_power_offs > 0);
    CHECK(all_freed());

    /* A rebuild that fails leaves nothing running: power off. */
    setup(true);
    rebuild_fails = true;
    d = start(&c);
    REQUIRE(d);
    d->rebuild = rebuild;
    domain_shutdown(d, SHUTDOWN_reboot);
    CHECK_EQ(reap_on(0), FAKE_RETURNED); /* freed; the rebuild's first step fails */
    CHECK_EQ(reap_on(0), FAKE_POWERED_OFF);
    CHECK_EQ(rebuilds, 3);
    /* Without a rebuild, restart acts as destroy. */
    setup(true);
    d = start(&c);
    REQUIRE(d);
    domain_shutdown(d, SHUTDOWN_reboot);
    CHECK_EQ(reap_on(0), FAKE_POWERED_OFF);
    CHECK_EQ(rebuilds, 3);
    CHECK(all_freed());
}

/* A domain being rebuilt counts as live (issue 9, finding 5): pCPU 0's
 * reaper has taken a restarting domain off the list and not yet listed its
 * rebuild when pCPU 1 reaps the only other domain. pCPU 1 must not power the
 * machine off; whichever reaper finishes last with nothing left does. */
static struct domain *bystander;
static enum fake_exit bystander_exit;
static bool bystander_reaped;

static void shut_and_reap_bystander(void)
{
    domain_shutdown(bystander, SHUTDOWN_poweroff);
    domain_reap(NULL);
}

/* At the first lock pCPU 0 takes once the restarting domain is off the
 * list (the bystander alone is left on it). */
static void reap_bystander_mid_rebuild(spinlock_t *l)
{
    (void)l;
    if (domain_count() != 1)
        return;
    fake_lock_hook = NULL;
    bystander_exit = fake_run_on(1, shut_and_reap_bystander);
    bystander_reaped = true;
}

static struct domain *remembered;
static void remember(struct domain *d)
{
    remembered = d;
}

static enum fake_exit restart_beside_a_dying_bystander(bool fail)
{
    struct domain_cfg c = cfg("phoenix", 4096, 1), b = cfg("bystander", 4096, 1);
    c.on_poweroff = ACTION_RESTART;
    rebuild_fails = fail;
    struct domain *d = start(&c);
    bystander = start(&b);
    if (!d || !bystander)
        return FAKE_RETURNED;
    d->rebuild = rebuild;
    bystander_reaped = false;
    domain_shutdown(d, SHUTDOWN_poweroff);
    fake_lock_hook = reap_bystander_mid_rebuild;
    enum fake_exit how = reap_on(0);
    fake_lock_hook = NULL;
    /* pCPU 1 found the reaper busy: the bystander waits for the restart's
     * last step, then goes in a job of its own. */
    for (unsigned int i = 0; i < REBUILD_STEPS + 2 && how == FAKE_RETURNED; i++)
        how = reap_on(0);
    return how;
}

TEST(a_domain_being_rebuilt_keeps_the_machine_on)
{
    setup(true);
    rebuilds = 0;
    CHECK_EQ(restart_beside_a_dying_bystander(false), FAKE_RETURNED);
    CHECK(bystander_reaped);
    CHECK_EQ(bystander_exit, FAKE_RETURNED); /* not powered off: a rebuild was under way */
    CHECK_EQ(fake_power_offs, 0);
    CHECK_EQ(rebuilds, 1);
    CHECK_EQ(domain_count(), 1); /* the rebuilt one runs */
    pass_all();
    CHECK_EQ(fake_power_offs, 0);
    domain_for_each(remember);
    struct domain *rebuilt = remembered;
    REQUIRE(rebuilt);
    rebuilt->rebuild = NULL; /* its restart policy now acts as destroy */
    CHECK(destroy(rebuilt));
    CHECK(fake_power_offs > 0);
    CHECK(all_freed());

    /* The same with a rebuild that fails: pCPU 0, last out, powers off. */
    setup(true);
    CHECK_EQ(restart_beside_a_dying_bystander(true), FAKE_POWERED_OFF);
    CHECK(bystander_reaped);
    CHECK_EQ(bystander_exit, FAKE_RETURNED);
    CHECK_EQ(fake_power_offs, 1);
    CHECK_EQ(domain_count(), 0);
    CHECK(all_freed());
    rebuild_fails = false;
}

/* The machine powers off once the last domain is freed, not before; the
 * reaper frees one domain per pass. */
TEST(power_off_when_no_domain_is_left)
{
    setup(true);
    struct domain_cfg c = cfg("pair", 4096, 1);
    struct domain *a = start(&c), *b = start(&c);
    REQUIRE(a && b);
    uint16_t ida = a->id, idb = b->id;
    domain_shutdown(a, SHUTDOWN_poweroff);
    CHECK_EQ(reap_on(0), FAKE_RETURNED);
    CHECK(!domain_by_id(ida));
    CHECK(domain_by_id(idb) == b);
    domain_shutdown(b, SHUTDOWN_poweroff);
    CHECK_EQ(reap_on(0), FAKE_POWERED_OFF);
    CHECK_EQ(fake_power_offs, 1);
    CHECK_EQ(domain_count(), 0);
    CHECK(all_freed());

    /* Two dying at once: one per pass, power off with the second. */
    setup(true);
    a = start(&c);
    b = start(&c);
    REQUIRE(a && b);
    domain_shutdown(a, SHUTDOWN_poweroff);
    domain_shutdown(b, SHUTDOWN_poweroff);
    CHECK_EQ(reap_on(0), FAKE_RETURNED);
    CHECK_EQ(domain_count(), 1);
    CHECK_EQ(reap_on(0), FAKE_POWERED_OFF);
    CHECK_EQ(domain_count(), 0);
    CHECK(all_freed());
}

/* A domain destroyed while its vCPU is blocked with both timers armed (the
 * virtual timer's stand-in and the emulated physical timer): once freed, no
 * timer queue holds them. (The races around this: test_dying_vcpu_timers.) */
static struct domain *watched_dom;
static bool freed_armed;
static void check_timers_on_free(void *p)
{
    struct domain *d = watched_dom;
    for (unsigned int i = 0; d && i < d->nr_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];
        if (p == v && (v->vtimer_wake.armed || v->ptimer.timer.armed)) {
            freed_armed = true;
            timer_cancel(&v->vtimer_wake); /* keep the queues sound for what follows */
            timer_cancel(&v->ptimer.timer);
        }
    }
    if (p == d)
        watched_dom = NULL;
}

static void ptimer_expired(struct timer *t)
{
    (void)t;
    note("ptimer ");
}

TEST(destroyed_while_blocked_with_timers_armed)
{
    setup(true);
    struct domain_cfg c = cfg("sleeper", 4096, 2);
    struct domain *d = start(&c);
    REQUIRE(d);
    struct vcpu *v0 = d->vcpus[0], *v1 = d->vcpus[1];
    vcpu_wake(v1); /* PSCI CPU_ON */
    /* Each takes one of the two idle pCPUs (the policy's choice). */
    fake_sched_pass(0);
    fake_sched_pass(1);
    REQUIRE(pcpus[v0->pcpu].current == v0 && pcpus[v1->pcpu].current == v1);
    REQUIRE(v0->pcpu != v1->pcpu);
    /* vCPU 0 arms both timers and waits for an interrupt. */
    v0->arch.sys.cntv_ctl = FAKE_CNTV_ENABLE;
    v0->arch.sys.cntv_cval = 1000000;
    timer_init(&v0->ptimer.timer, ptimer_expired, v0); /* as trap/vptimer.c */
    timer_set(&v0->ptimer.timer, v0->pcpu, 2000000);
    vcpu_block(v0);
    CHECK(!fake_sched_pass(v0->pcpu));
    CHECK(v0->vtimer_wake.armed && v0->ptimer.timer.armed);

    /* vCPU 1 shuts the domain down from its pCPU; that pCPU reaps it. */
    watched_dom = d;
    freed_armed = false;
    fake_before_free = check_timers_on_free;
    fake_set_cpu(v1->pcpu);
    domain_shutdown(d, SHUTDOWN_poweroff);
    fake_set_cpu(0);
    pass_all();
    fake_before_free = NULL;
    CHECK(!watched_dom); /* freed */
    CHECK(!freed_armed);
    /* Nothing left to fire on any pCPU (ASan reports a freed timer run). */
    trace[0] = 0;
    for (unsigned int cpu = 0; cpu < nr_pcpus; cpu++) {
        fake_set_cpu(cpu);
        fake_counter = UINT64_MAX - 1;
        CHECK(irq_dispatch(IRQ_PPI_HYPTIMER));
    }
    fake_set_cpu(0);
    CHECK_STR_EQ(trace, "");
    CHECK(all_freed());
}

/* Last: a preserved domain stays for good (its memory and log kept), and
 * does not keep the machine on: preserving the last running domain powers
 * off at once. */
static struct domain *target;
static void shutdown_target(void)
{
    domain_shutdown(target, SHUTDOWN_poweroff);
}

TEST(preserved_domain_stays_and_does_not_count_as_running)
{
    setup(true);
    struct domain_cfg c = cfg("keep", 4096, 1);
    c.on_poweroff = ACTION_PRESERVE;
    struct domain_cfg c2 = cfg("run", 4096, 1);
    struct domain *p = start(&c), *q = start(&c), *r = start(&c2);
    REQUIRE(p && q && r);
    target = p;
    CHECK_EQ(fake_run_on(0, shutdown_target), FAKE_RETURNED); /* q and r still run */
    CHECK_EQ(p->state, DOM_PRESERVED);
    CHECK_EQ(p->vcpus[0]->state, VCPU_DEAD);
    pass_all();
    CHECK(domain_by_id(p->id) == p);
    uint16_t rid = r->id;
    domain_shutdown(r, SHUTDOWN_poweroff);
    pass_all(); /* r reaped; q runs */
    CHECK(!domain_by_id(rid));
    CHECK_EQ(fake_power_offs, 0);
    target = q;
    CHECK_EQ(fake_run_on(0, shutdown_target), FAKE_POWERED_OFF); /* only preserved ones left */
    CHECK(domain_by_id(p->id) == p && domain_by_id(q->id) == q);
    CHECK_EQ(domain_count(), 2);
    domain_shutdown(p, SHUTDOWN_crash); /* no second shutdown */
    CHECK_EQ(p->shutdown_reason, SHUTDOWN_poweroff);
    CHECK(!part_bad);
}
