/*
 * A dying vCPU's software timers cannot outlive it (issue 9, finding 1; the
 * rule is in core/timer.h and docs/DESIGN.md §7). Before the fix, a vCPU's
 * timers could be armed after sched_kill_vcpu() had cancelled them, and the
 * reaper then freed the vCPU with its timer still linked in a pCPU's timer
 * queue; when that timer fired, its callback ran on freed memory (the
 * emulated physical timer's reads v->state, the virtual timer's stand-in
 * masks and injects into v). The kill now kills them: a later timer_set()
 * does nothing.
 *
 * Each test replays, on one host thread, an interleaving two pCPUs can
 * produce: pCPU 1 shuts the domain down (SCHEDOP_shutdown from the domain's
 * other vCPU) at a moment when pCPU 0 is about to arm one of vCPU 0's
 * timers. The reaper's free is watched (fakes/p2m_fake.h, fake_before_free):
 * freeing a vCPU whose timer is still armed, that is still queued, fails the
 * test. The watcher then takes the timer off its queue itself so the run
 * goes on safely; afterwards every pCPU's timer interrupt fires, where ASan
 * would catch a freed timer that is still linked.
 *
 * The straight case (blocked with both timers armed, then destroyed):
 * test_domain, destroyed_while_blocked_with_timers_armed. A callback running
 * on another pCPU while the reaper frees (timer_cancel() waits for it):
 * test_timer_threads.
 */
#include "harness.h"
#include <stdlib.h>
#include <cloison/irq.h>
#include <core/domain.h>
#include <core/sched.h>
#include <core/timer.h>
#include <core/vcpu.h>
#include "fakes/lock_fake.h"
#include "fakes/p2m_fake.h"
#include "fakes/sched_fake.h"
#include "fakes/timer_fake.h"

static struct domain *dom;
static bool freed_armed, freed;
static unsigned int fired;

/* The reaper frees the vCPUs first, then the domain. */
static void watch_free(void *p)
{
    for (unsigned int i = 0; dom && i < dom->nr_vcpus; i++) {
        struct vcpu *v = dom->vcpus[i];
        if (p != v)
            continue;
        if (v->vtimer_wake.armed || v->ptimer.timer.armed) {
            fprintf(stderr, "  vCPU %u freed with its %s still queued on pCPU %u\n", i,
                    v->vtimer_wake.armed ? "vtimer_wake" : "ptimer",
                    v->vtimer_wake.armed ? v->vtimer_wake.cpu : v->ptimer.timer.cpu);
            freed_armed = true;
            timer_cancel(&v->vtimer_wake);
            timer_cancel(&v->ptimer.timer);
        }
    }
    if (p == dom) {
        freed = true;
        dom = NULL;
    }
}

static void reap_hook(struct vcpu *next)
{
    (void)next;
    domain_reap(NULL);
}

/* trap/vptimer.c's callback, and what the vGIC does for the virtual timer. */
static void ptimer_expired(struct timer *t)
{
    struct vcpu *v = t->data;
    fired += v->state != VCPU_DEAD;
}
static void vtimer_fired(struct vcpu *v)
{
    (void)v;
    fired++;
}

/* A started domain with two vCPUs, each running on its own pCPU. */
static void setup(void)
{
    static bool registered;
    if (!registered) {
        static const struct sched_vcpu_ops ops = {.vtimer_fired = vtimer_fired};
        sched_set_vcpu_ops(&ops);
        sched_add_entry_hook(reap_hook);
        timer_irq_init();
        domain_boot_done();
        registered = true;
    }
    fake_timer_reset();
    fake_sched_reset(2);
    struct domain_cfg cfg;
    memset(&cfg, 0, sizeof(cfg));
    strcpy(cfg.name, "racer");
    cfg.memory_kib = 4096;
    cfg.vcpus = 2;
    dom = domain_create(&cfg);
    if (!dom)
        abort();
    domain_start(dom, 0x40080000, 0);
    vcpu_wake(dom->vcpus[1]); /* PSCI CPU_ON */
    fake_sched_pass(0);
    fake_sched_pass(1);
    if (!dom->vcpus[0]->loaded || !dom->vcpus[1]->loaded)
        abort();
    freed_armed = freed = false;
    fired = 0;
    fake_before_free = watch_free;
}

/* pCPU 1: vCPU 1 shuts its domain down. */
static void shutdown_from_pcpu1(void)
{
    unsigned int was = fake_cpu;
    fake_set_cpu(1);
    domain_shutdown(dom, SHUTDOWN_poweroff);
    fake_set_cpu(was);
}

/* Both pCPUs pass through the scheduler (each reaps), then every timer
 * still queued anywhere fires. */
static void finish(void)
{
    fake_sched_pass(0);
    fake_sched_pass(1);
    fake_before_free = NULL;
    CHECK(freed);
    for (unsigned int cpu = 0; cpu < nr_pcpus; cpu++) {
        fake_set_cpu(cpu);
        fake_counter = UINT64_MAX - 1;
        irq_dispatch(IRQ_PPI_HYPTIMER);
    }
    fake_set_cpu(0);
}

/* pCPU 0 runs vCPU 0's CNTP_CVAL write (trap/vptimer.c: cancel, then set)
 * while pCPU 1 shuts the domain down in between: the kill found the timer
 * unarmed; the trap's set must find the timer dead, or vCPU 0 leaves pCPU 0
 * dead with it armed and the reaper frees it. */
TEST(ptimer_armed_by_a_trap_after_the_kill_stays_dead)
{
    setup();
    struct vcpu *v0 = dom->vcpus[0];
    timer_init(&v0->ptimer.timer, ptimer_expired, v0);
    timer_cancel(&v0->ptimer.timer);
    shutdown_from_pcpu1();
    CHECK_EQ(v0->state, VCPU_DEAD);
    timer_set(&v0->ptimer.timer, v0->pcpu, 1000000);
    finish();
    CHECK(!freed_armed);
    CHECK_EQ(fired, 0);
}

/* pCPU 0 switches out vCPU 0, which just blocked in WFI with its virtual
 * timer armed: switch_to() reads BLOCKED, then arms vtimer_wake. pCPU 1
 * kills it in between (the hook runs it when pCPU 0 takes the timer queue's
 * lock) and finds vtimer_wake unarmed; the set that follows must find it
 * dead. */
static void kill_now(spinlock_t *l)
{
    (void)l;
    if (fake_locks_held)
        return; /* pCPU 1 would spin on a lock pCPU 0 holds: not yet */
    fake_lock_hook = NULL;
    shutdown_from_pcpu1();
}
static void arm_the_race(struct vcpu *v)
{
    (void)v;
    fake_lock_hook = kill_now; /* after the save, before the timer is armed */
}

TEST(vtimer_wake_armed_while_the_vcpu_is_killed_stays_dead)
{
    setup();
    struct vcpu *v0 = dom->vcpus[0];
    v0->arch.sys.cntv_ctl = FAKE_CNTV_ENABLE;
    v0->arch.sys.cntv_cval = 1000000;
    vcpu_block(v0);
    static const struct sched_vcpu_ops race = {.switch_out = arm_the_race,
                                               .vtimer_fired = vtimer_fired};
    sched_set_vcpu_ops(&race);
    fake_sched_pass(0);
    static const struct sched_vcpu_ops plain = {.vtimer_fired = vtimer_fired};
    sched_set_vcpu_ops(&plain);
    CHECK(!fake_lock_hook); /* the kill ran */
    fake_lock_hook = NULL;
    CHECK_EQ(v0->state, VCPU_DEAD);
    finish();
    CHECK(!freed_armed);
    CHECK_EQ(fired, 0);
}

/* pCPU 0 picks vCPU 0 (woken from WFI) and is loading it when pCPU 1 shuts
 * the domain down and passes through its scheduler, whose reaper looks for
 * a domain none of whose vCPUs is loaded. vCPU 0 counts as loaded from its
 * pick, under the run-queue lock the kill takes: the domain must survive
 * until pCPU 0 has switched it out again. (Before, `loaded` was set after
 * the load: the reaper freed the domain under pCPU 0, which then wrote to
 * the freed vCPU and flushed its freed vGIC.) */
static void reap_from_pcpu1(struct vcpu *v)
{
    (void)v;
    static const struct sched_vcpu_ops plain = {.vtimer_fired = vtimer_fired};
    sched_set_vcpu_ops(&plain); /* once */
    shutdown_from_pcpu1();
    CHECK(fake_sched_pass(1) == NULL); /* vCPU 1 leaves, pCPU 1 reaps */
    CHECK(!freed);
}

TEST(a_vcpu_picked_before_its_kill_keeps_its_domain)
{
    setup();
    struct vcpu *v0 = dom->vcpus[0];
    vcpu_block(v0);
    CHECK(fake_sched_pass(0) == NULL); /* switched out: idle */
    CHECK(!v0->loaded);
    vcpu_wake(v0);
    static const struct sched_vcpu_ops race = {.switch_in = reap_from_pcpu1,
                                               .vtimer_fired = vtimer_fired};
    sched_set_vcpu_ops(&race);
    CHECK(fake_sched_pass(0) == v0); /* entered, dead: the kill's kick follows */
    CHECK(!freed);
    CHECK_EQ(v0->state, VCPU_DEAD);
    finish(); /* pCPU 0 switches it out and reaps */
    CHECK(!freed_armed);
    CHECK_EQ(fired, 0);
}
