/*
 * core/sched.c: the run queues, waking, blocking and kicking, round robin
 * with its 10 ms slice, placement, killing vCPUs in every state, the
 * registered entry hooks and vCPU ops, and the virtual timer of a blocked
 * vCPU. Each scheduler pass runs the real sched_return_to_guest() until it
 * enters a guest or idles (fakes/sched_fake.h), over the real timer queues
 * (core/timer.c) on a fake counter and EL2 timers (fakes/timer_fake.h).
 */
#include "harness.h"
#include <stdarg.h>
#include <cloison/errno.h>
#include <cloison/irq.h>
#include <core/domain.h>
#include <core/sched.h>
#include <core/timer.h>
#include <core/vcpu.h>
#include "fakes/lock_fake.h"
#include "fakes/sched_fake.h"
#include "fakes/timer_fake.h"

#define NV 6
#define SLICE (FAKE_TIMER_FREQ * SCHED_SLICE_MS / 1000)

static struct domain dom;
static struct vcpu vc[NV];

/* What the registered ops and hooks saw, in order. */
static char trace[1024];
static bool pending[NV];    /* irq_pending() answers */
static bool hook_bad;       /* a hook or op ran in the wrong context */
static bool kick_on_vtimer; /* vtimer_fired() wakes the vCPU, as the vGIC does */

static void note(const char *fmt, ...)
{
    size_t n = strlen(trace);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(trace + n, sizeof(trace) - n, fmt, ap);
    va_end(ap);
}

static int idx(const struct vcpu *v)
{
    return v ? (int)(v - vc) : -1;
}

static void op_switch_out(struct vcpu *v)
{
    if (fake_loaded[fake_cpu] == v) /* "its registers were just saved" */
        hook_bad = true;
    note("out%d ", idx(v));
}

static void op_switch_in(struct vcpu *v)
{
    if (fake_loaded[fake_cpu] != v) /* "its registers were just loaded" */
        hook_bad = true;
    note("in%d ", idx(v));
}

static bool op_irq_pending(struct vcpu *v)
{
    if (!spin_is_locked(&pcpus[v->pcpu].runq_lock)) /* documented: runq_lock held */
        hook_bad = true;
    note("pend%d ", idx(v));
    return pending[idx(v)];
}

static void op_vtimer_fired(struct vcpu *v)
{
    note("vt%d ", idx(v));
    if (kick_on_vtimer)
        vcpu_kick(v);
}

static const struct sched_vcpu_ops ops = {op_switch_out, op_switch_in, op_irq_pending,
                                          op_vtimer_fired};

/* Both run on every pass, in this order, after the switch, with IRQs masked
 * and no lock held. */
static void hook(int n, struct vcpu *next)
{
    if (fake_locks_held || !fake_irqs_masked || fake_loaded[fake_cpu] != next)
        hook_bad = true;
    if (next)
        note("h%d:%d ", n, idx(next));
    else
        note("h%d:- ", n);
}
static void hook1(struct vcpu *next)
{
    hook(1, next);
}
static void hook2(struct vcpu *next)
{
    hook(2, next);
}

/* A fresh machine of nr pCPUs and NV vCPUs (all OFF, not placed). */
static void setup(unsigned int nr)
{
    static bool registered;
    if (!registered) {
        timer_irq_init();
        sched_add_entry_hook(hook1);
        sched_add_entry_hook(hook2);
        registered = true;
    }
    sched_set_vcpu_ops(&ops);
    /* What the previous test left: its vCPUs leave their queues and timers. */
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
        pending[i] = false;
    }
    trace[0] = 0;
    hook_bad = false;
    kick_on_vtimer = false;
}

/* Place vCPUs on pCPUs as sched_add_vcpu() does, then wake them in order. */
static void add_and_wake(int from, int to)
{
    for (int i = from; i <= to; i++)
        sched_add_vcpu(&vc[i]);
    for (int i = from; i <= to; i++)
        vcpu_wake(&vc[i]);
}

/* pCPU cpu's run queue as vCPU indexes ("" when empty). */
static const char *runq(unsigned int cpu)
{
    static char s[NV * 2 + 8];
    size_t n = 0;
    int guard = 0;
    for (struct vcpu *v = pcpus[cpu].runq_head; v && guard++ <= NV; v = v->runq_next)
        s[n++] = (char)('0' + idx(v));
    s[n] = 0;
    return s;
}

/*
 * The invariant (core/sched.c): pCPU cpu's queue is a well-formed list of
 * exactly its RUNNABLE, unpaused vCPUs other than its current one, each once.
 */
static bool runq_ok(unsigned int cpu)
{
    struct pcpu *p = &pcpus[cpu];
    bool seen[NV] = {false};
    struct vcpu *last = NULL;
    int n = 0;
    for (struct vcpu *v = p->runq_head; v; v = v->runq_next) {
        int i = idx(v);
        if (i < 0 || i >= NV || seen[i] || ++n > NV)
            return false;
        seen[i] = true;
        if (!v->on_runq || v->pcpu != cpu || v == p->current || v->state != VCPU_RUNNABLE)
            return false;
        last = v;
    }
    if (p->runq_tail != last)
        return false;
    for (int i = 0; i < NV; i++) {
        const struct vcpu *v = &vc[i];
        if (!v->placed || v->pcpu != cpu)
            continue;
        bool should = v->state == VCPU_RUNNABLE && !v->paused && v != p->current;
        if (seen[i] != should || v->on_runq != seen[i])
            return false;
    }
    return true;
}

static bool all_runqs_ok(void)
{
    for (unsigned int c = 0; c < nr_pcpus; c++)
        if (!runq_ok(c))
            return false;
    return true;
}

/* The EL2 timer of this pCPU fires at `now`, IRQs masked. */
static void interrupt_at(unsigned int cpu, uint64_t now)
{
    unsigned int was = fake_cpu;
    fake_counter = now;
    fake_set_cpu(cpu);
    fake_irqs_masked = true;
    CHECK(irq_dispatch(IRQ_PPI_HYPTIMER));
    fake_irqs_masked = false;
    fake_set_cpu(was);
}

/* The virtual timer a guest leaves armed, at virtual time cval. */
static void arm_vtimer(struct vcpu *v, uint64_t cval)
{
    v->arch.sys.cntv_ctl = FAKE_CNTV_ENABLE;
    v->arch.sys.cntv_cval = cval;
}

TEST(placement_on_the_least_loaded_online_pcpu)
{
    setup(4);
    pcpus[2].online = false;
    for (int i = 0; i < NV; i++)
        sched_add_vcpu(&vc[i]);
    /* Ties go to the lowest pCPU; the offline one gets none. */
    CHECK_EQ(vc[0].pcpu, 0);
    CHECK_EQ(vc[1].pcpu, 1);
    CHECK_EQ(vc[2].pcpu, 3);
    CHECK_EQ(vc[3].pcpu, 0);
    CHECK_EQ(vc[4].pcpu, 1);
    CHECK_EQ(vc[5].pcpu, 3);
    CHECK_EQ(pcpus[0].nr_vcpus, 2);
    CHECK_EQ(pcpus[1].nr_vcpus, 2);
    CHECK_EQ(pcpus[2].nr_vcpus, 0);
    CHECK_EQ(pcpus[3].nr_vcpus, 2);
    for (int i = 0; i < NV; i++)
        CHECK(vc[i].placed && vc[i].state == VCPU_OFF && !vc[i].on_runq);
    /* Load counts, not indexes: a busy pCPU 0 is passed over. */
    setup(3);
    pcpus[0].nr_vcpus = 3;
    pcpus[1].nr_vcpus = 2;
    sched_add_vcpu(&vc[0]);
    CHECK_EQ(vc[0].pcpu, 2);
    sched_add_vcpu(&vc[1]);
    sched_add_vcpu(&vc[2]);
    CHECK_EQ(vc[1].pcpu, 2);
    CHECK_EQ(vc[2].pcpu, 1);
    CHECK_EQ(fake_locks_held, 0);
}

TEST(wake_queues_on_the_owner_and_kicks_it)
{
    setup(2);
    sched_add_vcpu(&vc[0]); /* pCPU 0 */
    sched_add_vcpu(&vc[1]); /* pCPU 1 */
    sched_add_vcpu(&vc[2]); /* pCPU 0 */
    vcpu_wake(&vc[0]);      /* from pCPU 0 */
    CHECK_EQ(vc[0].state, VCPU_RUNNABLE);
    CHECK_STR_EQ(runq(0), "0");
    CHECK(pcpus[0].need_resched);
    CHECK_EQ(fake_sgis[0], 0); /* local: no SGI */
    vcpu_wake(&vc[1]);
    CHECK_STR_EQ(runq(1), "1");
    CHECK(pcpus[1].need_resched);
    CHECK_EQ(fake_sgis[1], 1); /* remote: kicked */
    CHECK(all_runqs_ok());

    /* Waking a queued vCPU again: queued once, nobody kicked. */
    pcpus[1].need_resched = false;
    vcpu_wake(&vc[1]);
    CHECK_STR_EQ(runq(1), "1");
    CHECK(!pcpus[1].need_resched);
    CHECK_EQ(fake_sgis[1], 1);

    /* Each pCPU runs what it was given; its queue empties. */
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK(fake_sched_pass(1) == &vc[1]);
    CHECK(pcpus[0].current == &vc[0] && vc[0].loaded && fake_loaded[0] == &vc[0]);
    CHECK(pcpus[1].current == &vc[1] && vc[1].loaded && fake_loaded[1] == &vc[1]);
    CHECK_STR_EQ(runq(0), "");
    CHECK(all_runqs_ok());

    /* Waking a running vCPU does not queue it, but makes its pCPU look again
     * (an SGI if that is another pCPU). */
    vcpu_wake(&vc[1]);
    CHECK_STR_EQ(runq(1), "");
    CHECK(pcpus[1].need_resched);
    CHECK_EQ(fake_sgis[1], 2);
    CHECK(fake_sched_pass(1) == &vc[1]);

    /* A wake from OFF (PSCI CPU_ON) of a vCPU of a busy pCPU queues it. */
    vcpu_wake(&vc[2]);
    CHECK_STR_EQ(runq(0), "2");
    CHECK(all_runqs_ok());
    CHECK_EQ(fake_context_errors, 0);
    CHECK_EQ(fake_locks_held, 0);
}

/* Every pass starts from the queue's head: first come, first run. */
TEST(sched_start_cpu_enters_the_first_woken)
{
    setup(1);
    add_and_wake(0, 2);
    pcpus[0].need_resched = false;
    CHECK_EQ(fake_run_on(0, sched_start_cpu), FAKE_ENTERED_GUEST);
    CHECK(fake_entered == &vc[0]);
    CHECK_STR_EQ(runq(0), "12");
    CHECK(all_runqs_ok());
}

/* Round robin: each slice ends with the slice timer, never with a trap; the
 * next in the queue runs and the one preempted goes to the back. */
TEST(round_robin_with_a_10ms_slice_armed_at_switch_in)
{
    setup(1);
    add_and_wake(0, 2);
    fake_counter = 1000;
    CHECK(fake_sched_pass(0) == &vc[0]);
    uint64_t deadline = 1000 + SLICE;
    CHECK_EQ(fake_hyptimer[0], deadline);
    CHECK_STR_EQ(runq(0), "12");

    /* Traps inside the slice: the same vCPU, the slice not extended. */
    for (int i = 1; i <= 3; i++) {
        fake_counter = 1000 + i * SLICE / 4;
        CHECK(fake_sched_pass(0) == &vc[0]);
        CHECK_EQ(fake_hyptimer[0], deadline);
    }
    CHECK_STR_EQ(trace, "in0 h1:0 h2:0 h1:0 h2:0 h1:0 h2:0 h1:0 h2:0 ");

    /* Slice over: the next one gets a full slice from its switch-in. */
    char order[16] = "0";
    for (int round = 0; round < 5; round++) {
        interrupt_at(0, deadline);
        CHECK(pcpus[0].need_resched);
        fake_counter = deadline + 7; /* the switch comes a little later */
        struct vcpu *v = fake_sched_pass(0);
        REQUIRE(v);
        order[strlen(order)] = (char)('0' + idx(v));
        deadline = fake_counter + SLICE;
        CHECK_EQ(fake_hyptimer[0], deadline);
        CHECK(all_runqs_ok());
    }
    CHECK_STR_EQ(order, "012012");
    CHECK_EQ(vc[0].runtime, 2 * (SLICE + 7)); /* two slices, each to its switch-out */
    CHECK(!hook_bad);
    CHECK_EQ(fake_context_errors, 0);
}

TEST(slice_timer_cancelled_when_alone)
{
    setup(1);
    add_and_wake(0, 0);
    fake_counter = 100;
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK_EQ(fake_hyptimer[0], FAKE_HYPTIMER_OFF); /* alone: no slice */

    /* A competitor appears: the scheduler looks again and switches to it. */
    fake_counter = 200;
    add_and_wake(1, 1);
    CHECK(fake_sched_pass(0) == &vc[1]);
    CHECK_EQ(fake_hyptimer[0], 200 + SLICE);
    CHECK_STR_EQ(runq(0), "0");

    /* It blocks: vCPU 0 is alone again, its slice timer goes. */
    fake_counter = 300;
    vcpu_block(&vc[1]);
    CHECK_EQ(vc[1].state, VCPU_BLOCKED);
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK_EQ(fake_hyptimer[0], FAKE_HYPTIMER_OFF);
    CHECK_STR_EQ(runq(0), "");
    CHECK(all_runqs_ok());
    CHECK_STR_EQ(trace, "in0 h1:0 h2:0 out0 in1 h1:1 h2:1 pend1 out1 in0 h1:0 h2:0 ");
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
    CHECK(all_runqs_ok());

    /* An interrupt for it from pCPU 1: woken, queued, its pCPU kicked. */
    fake_set_cpu(1);
    vcpu_kick(&vc[0]);
    fake_set_cpu(0);
    CHECK_EQ(vc[0].state, VCPU_RUNNABLE);
    CHECK_STR_EQ(runq(0), "0");
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
    CHECK(all_runqs_ok());
    CHECK_EQ(fake_locks_held, 0);
}

TEST(kill_running_runnable_blocked_and_off_vcpus)
{
    setup(1);
    add_and_wake(0, 3);
    sched_add_vcpu(&vc[4]);
    sched_add_vcpu(&vc[5]);
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK_STR_EQ(runq(0), "123");

    /* Runnable, from the middle and the tail of the queue: unlinked. */
    sched_kill_vcpu(&vc[2]);
    CHECK_EQ(vc[2].state, VCPU_DEAD);
    CHECK(!vc[2].on_runq);
    CHECK_STR_EQ(runq(0), "13");
    sched_kill_vcpu(&vc[3]);
    CHECK_STR_EQ(runq(0), "1");
    CHECK(all_runqs_ok());
    vcpu_wake(&vc[4]); /* the tail moved back correctly */
    CHECK_STR_EQ(runq(0), "14");

    /* Running: it leaves the pCPU at the next pass. */
    sched_kill_vcpu(&vc[0]);
    CHECK_EQ(vc[0].state, VCPU_DEAD);
    CHECK(pcpus[0].need_resched);
    CHECK(fake_sched_pass(0) == &vc[1]);
    CHECK(!vc[0].loaded && fake_loaded[0] == &vc[1]);
    CHECK_STR_EQ(runq(0), "4");

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
    CHECK(all_runqs_ok());

    /* The last one: the pCPU idles with nothing armed. */
    sched_kill_vcpu(&vc[4]);
    CHECK(!fake_sched_pass(0));
    CHECK_EQ(fake_hyptimer[0], FAKE_HYPTIMER_OFF);
    for (int i = 0; i < NV; i++)
        CHECK(!vc[i].loaded && !vc[i].on_runq);
    CHECK_EQ(fake_context_errors, 0);
    CHECK_EQ(fake_locks_held, 0);
}

TEST(yield_lets_the_next_one_run)
{
    setup(1);
    add_and_wake(0, 0);
    CHECK(fake_sched_pass(0) == &vc[0]);
    vcpu_yield(&vc[0]); /* alone: back into the same guest, no switch */
    CHECK(fake_sched_pass(0) == &vc[0]);
    add_and_wake(1, 1);
    CHECK(fake_sched_pass(0) == &vc[1]);
    vcpu_yield(&vc[1]);
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK_STR_EQ(runq(0), "1");
    CHECK(all_runqs_ok());
    CHECK_STR_EQ(trace, "in0 h1:0 h2:0 h1:0 h2:0 out0 in1 h1:1 h2:1 out1 in0 h1:0 h2:0 ");
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
    vcpu_wake(&vc[0]); /* PSCI CPU_ON */
    CHECK_EQ(vc[0].state, VCPU_RUNNABLE);
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK(all_runqs_ok());
}

/* PSCI CPU_ON of a vCPU that has just done CPU_OFF on another pCPU and is
 * still loaded there (issue 9, finding 5): its registers are reset by its own
 * pCPU when that picks it, never by the caller's, and of two CPU_ONs exactly
 * one succeeds (the other: pending, then on). */
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

TEST(cpu_on_is_applied_by_the_targets_own_pcpu)
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

    /* Switched out between the CPU_ON and its start: saved, then reset. */
    sched_add_vcpu(&vc[2]); /* pCPU 0 (a tie goes to the lowest), never woken */
    sched_add_vcpu(&vc[3]); /* pCPU 1 */
    REQUIRE(vc[3].pcpu == 1);
    vcpu_wake(&vc[3]);
    dirty(&vc[1]);
    fake_set_cpu(1);
    vcpu_stop(&vc[1]);
    fake_set_cpu(0);
    CHECK_EQ(vcpu_start(&vc[1], START_PC, 10), 0);
    CHECK(fake_sched_pass(1) == &vc[3]); /* vCPU 1's old state saved here */
    CHECK_EQ(vc[1].arch.regs.elr, 0x1234);
    CHECK_EQ(vcpu_start(&vc[1], START_PC, 11), -EBUSY);
    pcpus[1].need_resched = true; /* the slice ends */
    CHECK(fake_sched_pass(1) == &vc[1]);
    CHECK(started_clean(&vc[1], 10));
    CHECK_EQ(fake_context_errors, 0);

    /* Stopped and switched out, then started: as before. */
    fake_set_cpu(1);
    vcpu_stop(&vc[1]);
    fake_set_cpu(0);
    CHECK(fake_sched_pass(1) == &vc[3]);
    dirty(&vc[1]);
    CHECK_EQ(vcpu_start(&vc[1], START_PC, 12), 0);
    pcpus[1].need_resched = true;
    CHECK(fake_sched_pass(1) == &vc[1]);
    CHECK(started_clean(&vc[1], 12));
    /* A dead vCPU is not started. */
    sched_kill_vcpu(&vc[0]);
    CHECK_EQ(vcpu_start(&vc[0], START_PC, 0), -EEXIST);
    CHECK(all_runqs_ok());
    CHECK_EQ(fake_context_errors, 0);
}

/* A kick decides and wakes under one hold of the run-queue lock. Were the
 * lock taken again for the wake-up, the vCPU could meanwhile be woken by
 * another kick, run, and CPU_OFF itself: the late wake-up would start it
 * again from OFF without a CPU_ON. The hook turns it off at any second
 * acquisition by the kick; it must stay off. */
static unsigned int kick_locks;
static void off_between_look_and_wake(spinlock_t *l)
{
    if (l != &pcpus[1].runq_lock || ++kick_locks != 2)
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
    CHECK(all_runqs_ok());
    CHECK_EQ(fake_context_errors, 0);
}

TEST(paused_vcpus_are_not_run_and_a_slice_starts_for_a_newcomer)
{
    setup(1);
    add_and_wake(0, 1);
    CHECK(fake_sched_pass(0) == &vc[0]);
    vc[1].paused = true; /* dropped from the queue when its turn comes */
    pcpus[0].need_resched = true;
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK_STR_EQ(runq(0), "");
    CHECK(!vc[1].on_runq);
    vcpu_wake(&vc[1]); /* still paused: not queued */
    CHECK_STR_EQ(runq(0), "");
    CHECK_EQ(fake_hyptimer[0], FAKE_HYPTIMER_OFF); /* alone again: no slice */
    vc[1].paused = false;
    vcpu_wake(&vc[1]); /* runnable already: queued, no reschedule */
    CHECK_STR_EQ(runq(0), "1");
    CHECK(!pcpus[0].need_resched);
    /* A competitor appeared without a switch: the next pass starts a slice. */
    fake_counter = 100;
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK_EQ(fake_hyptimer[0], 100 + SLICE);
    interrupt_at(0, 100 + SLICE);
    CHECK(fake_sched_pass(0) == &vc[1]);
    CHECK(all_runqs_ok());
}

TEST(entry_hooks_in_order_after_the_switch)
{
    setup(1);
    add_and_wake(0, 1);
    CHECK(fake_sched_pass(0) == &vc[0]);
    vcpu_yield(&vc[0]);
    CHECK(fake_sched_pass(0) == &vc[1]);
    sched_kill_vcpu(&vc[0]);
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
    CHECK(fake_sched_pass(0) == &vc[1]);
    CHECK(!vc[0].vtimer_wake.armed);
    CHECK(all_runqs_ok());
}

/* Two pCPUs: each runs only its own vCPUs, a wake from the other side
 * reaches the right queue and kicks its owner. */
TEST(two_pcpus_keep_their_queues_apart)
{
    setup(2);
    add_and_wake(0, 3); /* 0, 2 on pCPU 0; 1, 3 on pCPU 1 */
    CHECK_STR_EQ(runq(0), "02");
    CHECK_STR_EQ(runq(1), "13");
    CHECK(fake_sched_pass(0) == &vc[0]);
    CHECK(fake_sched_pass(1) == &vc[1]);
    vcpu_block(&vc[1]);
    CHECK(fake_sched_pass(1) == &vc[3]);
    fake_set_cpu(1);
    vcpu_block(&vc[3]);
    fake_set_cpu(0);
    CHECK(!fake_sched_pass(1));
    unsigned int sgis = fake_sgis[1];
    vcpu_wake(&vc[3]); /* from pCPU 0 */
    CHECK_EQ(fake_sgis[1], sgis + 1);
    CHECK_STR_EQ(runq(1), "3");
    CHECK_STR_EQ(runq(0), "2");
    CHECK(fake_sched_pass(1) == &vc[3]);
    CHECK(fake_loaded[0] == &vc[0] && fake_loaded[1] == &vc[3]);
    CHECK(all_runqs_ok());
    CHECK_EQ(fake_context_errors, 0);
}
