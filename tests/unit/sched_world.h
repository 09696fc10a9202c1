/*
 * The machine of test_sched and test_cpupool: core/sched.c and
 * core/cpupool.c over pool 0 and its default policy (credit2), NV vCPUs of
 * one domain, registered ops and hooks that record what they saw, and
 * helpers to pass pCPUs through their scheduler and their deadlines.
 */
#ifndef TESTS_UNIT_SCHED_WORLD_H
#define TESTS_UNIT_SCHED_WORLD_H

#include "harness.h"
#include <stdarg.h>
#include <cloison/errno.h>
#include <cloison/irq.h>
#include <core/cpupool.h>
#include <core/domain.h>
#include <core/sched.h>
#include <core/timer.h>
#include <core/vcpu.h>
#include "fakes/domlist_fake.h"
#include "fakes/lock_fake.h"
#include "fakes/sched_fake.h"
#include "fakes/timer_fake.h"
#include "../../hypervisor/core/sched_pool.h"

#define NV 6
#define MS_TICKS (FAKE_TIMER_FREQ / 1000)

static struct domain dom;
static struct vcpu vc[NV];

/* What the registered ops and hooks saw, in order. */
static char trace[1024];
static bool pending[NV];    /* irq_pending() answers */
static bool hook_bad;       /* a hook or op ran in the wrong context */
static bool kick_on_vtimer; /* vtimer_fired() wakes the vCPU, as the vGIC does */

static inline void note(const char *fmt, ...)
{
    size_t n = strlen(trace);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(trace + n, sizeof(trace) - n, fmt, ap);
    va_end(ap);
}

static inline int idx(const struct vcpu *v)
{
    return v ? (int)(v - vc) : -1;
}

static inline void op_switch_out(struct vcpu *v)
{
    if (fake_loaded[fake_cpu] == v) /* "its registers were just saved" */
        hook_bad = true;
    note("out%d ", idx(v));
}

static inline void op_switch_in(struct vcpu *v)
{
    if (fake_loaded[fake_cpu] != v) /* "its registers were just loaded" */
        hook_bad = true;
    note("in%d ", idx(v));
}

static inline bool op_irq_pending(struct vcpu *v)
{
    if (!spin_is_locked(&v->domain->pool->lock)) /* documented: pool lock held */
        hook_bad = true;
    note("pend%d ", idx(v));
    return pending[idx(v)];
}

static inline void op_vtimer_fired(struct vcpu *v)
{
    note("vt%d ", idx(v));
    if (kick_on_vtimer)
        vcpu_kick(v);
}

static const struct sched_vcpu_ops ops = {op_switch_out, op_switch_in, op_irq_pending,
                                          op_vtimer_fired};

/* Both run on every pass, in this order, after the switch, with IRQs masked
 * and no lock held. */
static inline void hook(int n, struct vcpu *next)
{
    if (fake_locks_held || !fake_irqs_masked || fake_loaded[fake_cpu] != next)
        hook_bad = true;
    if (next)
        note("h%d:%d ", n, idx(next));
    else
        note("h%d:- ", n);
}
static inline void hook1(struct vcpu *next)
{
    hook(1, next);
}
static inline void hook2(struct vcpu *next)
{
    hook(2, next);
}

/* A fresh machine of nr pCPUs and NV vCPUs (all OFF, not placed). */
static inline void setup(unsigned int nr)
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
    sched_init_domain(&dom); /* as domain_create() does: pool 0 */
    fake_domlist_reset();
    fake_domlist_add(&dom);
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
static inline void add_and_wake(int from, int to)
{
    for (int i = from; i <= to; i++)
        sched_add_vcpu(&vc[i]);
    for (int i = from; i <= to; i++)
        vcpu_wake(&vc[i]);
}

/* What the framework promises at every step: each pCPU's current vCPU is
 * runnable or on its way out, loaded there and nowhere else, and every vCPU
 * counted loaded is some pCPU's current one (passes run to their end here). */
static inline bool state_ok(void)
{
    for (int i = 0; i < NV; i++) {
        const struct vcpu *v = &vc[i];
        unsigned int n = 0;
        for (unsigned int c = 0; c < nr_pcpus; c++)
            n += pcpus[c].current == v;
        if (n > 1 || v->loaded != n)
            return false;
        if (n && pcpus[v->pcpu].current != v)
            return false;
    }
    return true;
}

/* The first pCPU running v, or -1. */
static inline int where(const struct vcpu *v)
{
    for (unsigned int c = 0; c < nr_pcpus; c++)
        if (pcpus[c].current == v)
            return (int)c;
    return -1;
}

/* Every pCPU with need_resched set passes through its scheduler. */
static inline void settle(void)
{
    for (int round = 0; round < 8; round++)
        for (unsigned int c = 0; c < nr_pcpus; c++)
            if (pcpus[c].need_resched)
                fake_sched_pass(c);
}

/* The EL2 timer of this pCPU fires at `now`, IRQs masked. */
static inline void interrupt_at(unsigned int cpu, uint64_t now)
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
static inline void arm_vtimer(struct vcpu *v, uint64_t cval)
{
    v->arch.sys.cntv_ctl = FAKE_CNTV_ENABLE;
    v->arch.sys.cntv_cval = cval;
}

/* Pass through pCPU cpu's deadlines until it enters v (false: it never did
 * within n deadlines, or had none). */
static inline bool run_until(unsigned int cpu, struct vcpu *v, int n)
{
    if (fake_sched_pass(cpu) == v)
        return true;
    for (int i = 0; i < n; i++) {
        if (fake_hyptimer[cpu] == FAKE_HYPTIMER_OFF)
            return false;
        interrupt_at(cpu, fake_hyptimer[cpu]);
        if (fake_sched_pass(cpu) == v)
            return true;
    }
    return false;
}

/* core/sched.c disarms the slice timer lazily (arm_slice()): a deadline
 * left from before a pick without one ends once more, for nothing. Let it
 * end: true if pCPU cpu then runs v (NULL: idles) with nothing armed. */
static inline bool stale_slice_ends(unsigned int cpu, const struct vcpu *v)
{
    if (fake_hyptimer[cpu] != FAKE_HYPTIMER_OFF) {
        interrupt_at(cpu, fake_hyptimer[cpu]);
        if (fake_sched_pass(cpu) != v)
            return false;
    }
    return fake_hyptimer[cpu] == FAKE_HYPTIMER_OFF;
}

/* Run every pCPU through its deadlines until `ticks` from now. */
static inline void run_for(uint64_t ticks)
{
    uint64_t end = fake_counter + ticks;
    settle();
    for (int guard = 0; guard < 100000; guard++) {
        unsigned int c = 0;
        uint64_t t = FAKE_HYPTIMER_OFF;
        for (unsigned int i = 0; i < nr_pcpus; i++)
            if (fake_hyptimer[i] < t) {
                t = fake_hyptimer[i];
                c = i;
            }
        if (t == FAKE_HYPTIMER_OFF || t > end)
            break;
        interrupt_at(c, t);
        fake_sched_pass(c);
        settle();
    }
    fake_counter = end;
}

/* Its run time so far, the slice under way included. */
static inline uint64_t ran(const struct vcpu *v)
{
    return v->runtime + (where(v) >= 0 ? fake_counter - v->slice_start : 0);
}

#endif
