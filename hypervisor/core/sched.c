/*
 * The scheduling framework (see core/sched.h): pools of pCPUs, each with
 * its lock and its policy (lib/sched_policy.h), which decides which vCPU
 * each of the pool's pCPUs runs and until when; this file carries it out.
 *
 * What the framework keeps for itself, under the vCPU's pool's lock: the
 * vCPU states (OFF, RUNNABLE, BLOCKED, DEAD), pause counts, PSCI starts,
 * hard affinity, and each pCPU's current vCPU. Every change that makes a
 * vCPU runnable or not (RUNNABLE and not paused) is reported to the policy
 * (wake/sleep) in the same hold, and the pCPUs it names are kicked after.
 *
 * Only the pCPU running a vCPU switches its state in and out
 * (context_load/save). An item picked by a pCPU may still be in its
 * previous pCPU's switch-out (saved after the pick there, outside the
 * lock): `loaded` counts the pCPUs holding it (at most two), and the new
 * one waits for the count to come down to itself before loading it.
 *
 * A vCPU's pool is its domain's (d->pool); whoever takes a vCPU's pool lock
 * reads d->pool again once holding it (a domain changes pool only with
 * both locks held, its vCPUs paused and off every pCPU). A pCPU's pool
 * (pcpus[c].pool) changes from NULL to a pool under that pool's lock
 * (cpupool_assign_cpu), and back to NULL only on that pCPU itself, when it
 * passes through the scheduler after being marked `leaving`.
 */
#include <cloison/assert.h>
#include <cloison/arch.h>
#include <cloison/context.h>
#include <cloison/errno.h>
#include <drivers/irqchip.h>
#include <cloison/percpu.h>
#include <cloison/printk.h>
#include <core/domain.h>
#include <core/sched.h>
#include <core/stretch.h>
#include <core/timer.h>
#include <core/vcpu.h>
#include <string.h>
#include "sched_pool.h"

void return_to_guest(struct guest_regs *regs) __noreturn;

#define SCHED_MAX_ENTRY_HOOKS 4

static struct timer slice_timers[MAX_PCPUS];
/* The pool whose policy armed each pCPU's slice timer (see arm_slice()). */
static const struct cpupool *slice_pools[MAX_PCPUS];
static struct guest_regs idle_regs[MAX_PCPUS]; /* trap frame target while idle */
static const struct sched_policy *default_policy = &sched_credit2;

struct cpupool cpupools[CPUPOOL_MAX];
spinlock_t pools_lock = SPINLOCK_INIT;

static void vcpu_nop(struct vcpu *v)
{
    (void)v;
}

static bool no_irq(struct vcpu *v)
{
    (void)v;
    return false;
}

/* Set once at boot (see sched.h), read without a lock. */
static struct sched_vcpu_ops vops = {vcpu_nop, vcpu_nop, no_irq, vcpu_nop};
static sched_entry_fn entry_hooks[SCHED_MAX_ENTRY_HOOKS];
static unsigned int nr_entry_hooks;

void sched_set_vcpu_ops(const struct sched_vcpu_ops *ops)
{
    vops.switch_out = ops->switch_out ? ops->switch_out : vcpu_nop;
    vops.switch_in = ops->switch_in ? ops->switch_in : vcpu_nop;
    vops.irq_pending = ops->irq_pending ? ops->irq_pending : no_irq;
    vops.vtimer_fired = ops->vtimer_fired ? ops->vtimer_fired : vcpu_nop;
}

void sched_add_entry_hook(sched_entry_fn fn)
{
    if (nr_entry_hooks == SCHED_MAX_ENTRY_HOOKS)
        panic("more than %d scheduler entry hooks", SCHED_MAX_ENTRY_HOOKS);
    entry_hooks[nr_entry_hooks++] = fn;
}

void sched_set_default_policy(const struct sched_policy *pol)
{
    default_policy = pol;
}

const struct sched_policy *sched_default_policy(void)
{
    return default_policy;
}

#define NS_PER_S 1000000000ULL

/* The counter in ns and back, without overflow for centuries of uptime. */
uint64_t sched_now_ns(void)
{
    uint64_t t = arch_counter(), f = timer_freq();
    return t / f * NS_PER_S + t % f * NS_PER_S / f;
}

static uint64_t ns_to_ticks(uint64_t ns)
{
    uint64_t f = timer_freq();
    return ns / NS_PER_S * f + (ns % NS_PER_S * f + NS_PER_S - 1) / NS_PER_S;
}

static void slice_expired(struct timer *t)
{
    (void)t;
    this_pcpu()->slice_ends++;
    this_pcpu()->need_resched = true;
}

void sched_pool_setup(struct cpupool *p, uint32_t id, const struct sched_policy *pol)
{
    memset(p, 0, sizeof(*p));
    p->id = id;
    p->used = true;
    p->lock = (spinlock_t)SPINLOCK_INIT;
    p->pol = pol;
    pol->init(&p->st);
}

/* The boot CPU sets up pool 0 (every other pool unused); each pCPU joins
 * pool 0 as it comes up (the device tree's pools take theirs from it). */
void sched_init_cpu(unsigned int cpu)
{
    timer_init(&slice_timers[cpu], slice_expired, NULL);
    pcpus[cpu].cur_regs = &idle_regs[cpu];
    pcpus[cpu].pool = NULL;
    pcpus[cpu].leaving = false;
    if (cpu == 0) {
        for (unsigned int i = 0; i < CPUPOOL_MAX; i++)
            cpupools[i].used = false;
        sched_pool_setup(&cpupools[0], 0, default_policy);
    }
    struct cpupool *p0 = &cpupools[0];
    uint64_t kick = 0;
    uint64_t f = spin_lock_irqsave(&p0->lock);
    p0->st.cpus |= 1ULL << cpu;
    p0->pol->cpu_add(&p0->st, cpu, sched_now_ns(), &kick);
    __atomic_store_n(&pcpus[cpu].pool, p0, __ATOMIC_RELEASE);
    spin_unlock_irqrestore(&p0->lock, f);
    sched_kick_mask(kick);
}

uint64_t sched_online_mask(void)
{
    uint64_t m = 0;
    for (unsigned int c = 0; c < nr_pcpus; c++)
        if (__atomic_load_n(&pcpus[c].online, __ATOMIC_ACQUIRE))
            m |= 1ULL << c;
    return m;
}

uint64_t sched_domain_cpus(const struct domain *d)
{
    const struct cpupool *p = __atomic_load_n(&d->pool, __ATOMIC_ACQUIRE);
    uint64_t cpus = p ? __atomic_load_n(&p->st.cpus, __ATOMIC_RELAXED) : 0;
    return cpus & sched_online_mask();
}

static struct vcpu *vcpu_of_item(struct sched_item *it)
{
    return it ? (struct vcpu *)((uintptr_t)it - offsetof(struct vcpu, item)) : NULL;
}

/* Lock the pool v's domain is in: d->pool read again under the lock. */
static struct cpupool *vcpu_lock(struct vcpu *v, uint64_t *flags)
{
    for (;;) {
        struct cpupool *p = __atomic_load_n(&v->domain->pool, __ATOMIC_ACQUIRE);
        *flags = spin_lock_irqsave(&p->lock);
        if (v->domain->pool == p)
            return p;
        spin_unlock_irqrestore(&p->lock, *flags);
    }
}

static void vcpu_unlock(struct cpupool *p, uint64_t flags, uint64_t kick)
{
    spin_unlock_irqrestore(&p->lock, flags);
    sched_kick_mask(kick);
}

static bool runnable(const struct vcpu *v)
{
    return v->state == VCPU_RUNNABLE && !v->paused;
}

/* Tell the policy if v became runnable or stopped being so (pool lock held). */
static void note(struct cpupool *p, struct vcpu *v, uint64_t *kick)
{
    ASSERT_HELD(&p->lock);
    bool r = runnable(v);
    if (!v->placed || v->item.runnable == r)
        return;
    v->item.runnable = r;
    if (r)
        p->pol->wake(&p->st, &v->item, sched_now_ns(), kick);
    else
        p->pol->sleep(&p->st, &v->item, sched_now_ns(), kick);
}

/* v is some pCPU's current vCPU (pool lock held): that pCPU, else -1. */
static int running_cpu(const struct vcpu *v)
{
    unsigned int c = v->pcpu;
    return pcpus[c].current == v ? (int)c : -1;
}

void sched_resched_cpu(unsigned int cpu)
{
    pcpus[cpu].need_resched = true;
    if (cpu != this_cpu_id())
        irqchip_send_sgi(cpu, IRQ_SGI_KICK);
}

void sched_resched_self(bool entering_guest)
{
    this_pcpu()->need_resched = true;
    if (entering_guest) /* a guest without traps or a tick would put it off */
        irqchip_send_sgi(this_cpu_id(), IRQ_SGI_KICK);
}

void sched_kick_mask(uint64_t mask)
{
    for (; mask; mask &= mask - 1) {
        unsigned int c = (unsigned int)__builtin_ctzll(mask);
        if (c < nr_pcpus)
            sched_resched_cpu(c);
    }
}

static void init_item(struct vcpu *v)
{
    struct sched_item *it = &v->item;
    it->dom = &v->domain->sched;
    it->vcpu_id = v->id;
    it->affinity = v->hard_affinity;
    it->runnable = false;
    it->running_on = SCHED_NO_CPU;
}

void sched_add_vcpu(struct vcpu *v)
{
    uint64_t f, kick = 0;
    struct cpupool *p = vcpu_lock(v, &f);
    if (!v->placed) {
        init_item(v);
        p->pol->insert(&p->st, &v->item, sched_now_ns());
        v->placed = true;
        v->domain->sched.nr_items++;
        note(p, v, &kick);
    }
    vcpu_unlock(p, f, kick);
}

void vcpu_wake(struct vcpu *v)
{
    uint64_t f, kick = 0;
    struct cpupool *p = vcpu_lock(v, &f);
    if (v->state == VCPU_BLOCKED || v->state == VCPU_OFF)
        v->state = VCPU_RUNNABLE;
    note(p, v, &kick);
    int c = running_cpu(v); /* running: its pCPU looks again */
    if (c >= 0)
        kick |= 1ULL << c;
    vcpu_unlock(p, f, kick);
}

void vcpu_kick(struct vcpu *v)
{
    /* Read the state under the pool lock: vcpu_block() checks for pending
     * interrupts and sets BLOCKED under it, so a kick either sees BLOCKED
     * or its interrupt was visible to that check. The wake-up is made under
     * the same hold: were the lock dropped in between, the vCPU could be
     * woken by another kick and CPU_OFF itself meanwhile, and this kick
     * would then take it from OFF to RUNNABLE, starting it again without a
     * CPU_ON. */
    uint64_t f, kick = 0;
    struct cpupool *p = vcpu_lock(v, &f);
    enum vcpu_state state = v->state;
    if (state == VCPU_BLOCKED) {
        v->state = VCPU_RUNNABLE;
        note(p, v, &kick);
    }
    int c = running_cpu(v);
    vcpu_unlock(p, f, kick);
    if (c < 0)
        return;
    if (state == VCPU_BLOCKED)
        sched_resched_cpu((unsigned int)c); /* blocked while still on its pCPU */
    else if (state == VCPU_RUNNABLE && (unsigned int)c != this_cpu_id())
        irqchip_send_sgi((unsigned int)c, IRQ_SGI_KICK); /* exit and see new interrupts */
    /* A runnable vCPU of this pCPU sees new interrupts at its next entry. */
}

void vcpu_block(struct vcpu *v)
{
    uint64_t f, kick = 0;
    struct cpupool *p = vcpu_lock(v, &f);
    /* Checked under the lock: an injection after this point takes the same
     * lock in vcpu_kick and finds the vCPU BLOCKED. */
    if (v->state == VCPU_RUNNABLE && !vops.irq_pending(v)) {
        v->state = VCPU_BLOCKED;
        note(p, v, &kick);
    }
    vcpu_unlock(p, f, kick);
}

void vcpu_yield(struct vcpu *v)
{
    v->item.yielded = true; /* v runs here: this pCPU's next pick() reads it */
    this_pcpu()->need_resched = true;
}

void vcpu_stop(struct vcpu *v)
{
    uint64_t f, kick = 0;
    struct cpupool *p = vcpu_lock(v, &f);
    if (v->state != VCPU_DEAD)
        v->state = VCPU_OFF;
    note(p, v, &kick);
    int c = running_cpu(v);
    if (c >= 0)
        kick |= 1ULL << c;
    vcpu_unlock(p, f, kick);
}

/*
 * PSCI CPU_ON, from any pCPU. The target may still be loaded on its own pCPU,
 * in the middle of the switch-out that follows its CPU_OFF (context_save()
 * writing its EL1 registers): its registers are not touched here but reset
 * by the pCPU that next picks it (sched_return_to_guest), once that one holds
 * it alone. The OFF -> RUNNABLE step is taken under the pool lock, so of two
 * CPU_ONs racing for one vCPU exactly one succeeds.
 */
int vcpu_start(struct vcpu *v, uint64_t pc, uint64_t x0)
{
    uint64_t f, kick = 0;
    struct cpupool *p = vcpu_lock(v, &f);
    int rc = 0;
    if (v->state != VCPU_OFF) {
        rc = v->start_pending ? -EBUSY : -EEXIST;
    } else {
        v->start_pc = pc;
        v->start_x0 = x0;
        v->start_pending = true;
        v->state = VCPU_RUNNABLE;
        note(p, v, &kick);
        int c = running_cpu(v);
        if (c >= 0)
            kick |= 1ULL << c;
    }
    vcpu_unlock(p, f, kick);
    return rc;
}

void sched_kill_vcpu(struct vcpu *v)
{
    uint64_t f, kick = 0;
    struct cpupool *p = vcpu_lock(v, &f);
    v->state = VCPU_DEAD;
    v->start_pending = false;
    note(p, v, &kick);
    int c = running_cpu(v);
    if (c >= 0)
        kick |= 1ULL << c;
    vcpu_unlock(p, f, kick);
    /* Killed, not just cancelled: a trap still running on v's pCPU (a CNTP
     * write) or its switch-out (a BLOCKED prev) may try to arm them again,
     * and must find them dead. The reaper waits for their callbacks. */
    timer_kill(&v->vtimer_wake);
    timer_kill(&v->ptimer.timer); /* the emulated EL1 physical timer (vptimer.c) */
}

int sched_set_hard_affinity(struct vcpu *v, uint64_t mask)
{
    uint64_t f, kick = 0;
    struct cpupool *p = vcpu_lock(v, &f);
    uint64_t cpus = p->st.cpus ? p->st.cpus : SCHED_AFFINITY_ALL;
    if (!(mask & sched_online_mask() & cpus)) {
        spin_unlock_irqrestore(&p->lock, f);
        return -EINVAL; /* Xen: no online pCPU of the pool in it */
    }
    v->hard_affinity = mask;
    if (v->placed) {
        v->item.affinity = mask;
        p->pol->affinity(&p->st, &v->item, sched_now_ns(), &kick);
    }
    vcpu_unlock(p, f, kick);
    return 0;
}

void sched_break_affinity(struct domain *d, const struct cpupool *p, unsigned int cpu)
{
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];
        uint64_t f, kick = 0;
        if (!v)
            continue;
        struct cpupool *now = vcpu_lock(v, &f);
        bool broken =
            now == p && (v->hard_affinity & (1ULL << cpu)) && !(v->hard_affinity & now->st.cpus);
        if (broken) {
            v->hard_affinity = SCHED_AFFINITY_ALL;
            if (v->placed) {
                v->item.affinity = SCHED_AFFINITY_ALL;
                now->pol->affinity(&now->st, &v->item, sched_now_ns(), &kick);
            }
        }
        vcpu_unlock(now, f, kick);
        if (broken)
            printk("Breaking affinity for d%uv%u", d->id, v->id);
    }
}

void sched_set_soft_affinity(struct vcpu *v, uint64_t mask)
{
    v->soft_affinity = mask; /* kept for the toolstack; placement ignores it */
}

void sched_pause_vcpu(struct vcpu *v)
{
    uint64_t f, kick = 0;
    struct cpupool *p = vcpu_lock(v, &f);
    v->paused++; /* the policy drops it; its pCPU switches it out */
    note(p, v, &kick);
    int c = running_cpu(v);
    if (c >= 0)
        kick |= 1ULL << c;
    vcpu_unlock(p, f, kick);
}

void sched_unpause_vcpu(struct vcpu *v)
{
    uint64_t f, kick = 0;
    struct cpupool *p = vcpu_lock(v, &f);
    if (v->paused)
        v->paused--;
    note(p, v, &kick);
    vcpu_unlock(p, f, kick);
}

void sched_wait_unloaded(struct vcpu *v)
{
    /* Its pCPU was kicked: the wait lasts until that pCPU passes through
     * its scheduler, a bounded stretch of EL2 code (never this pCPU's own
     * vCPU: a domain does not pause itself). */
    while (__atomic_load_n(&v->loaded, __ATOMIC_ACQUIRE) &&
           __atomic_load_n(&v->paused, __ATOMIC_RELAXED))
        arch_cpu_relax(); /* the atomic loads reread them each time round */
}

void sched_set_online(struct vcpu *v, bool online)
{
    uint64_t f, kick = 0;
    struct cpupool *p = vcpu_lock(v, &f);
    if (v->state != VCPU_DEAD) {
        v->state = online ? VCPU_RUNNABLE : VCPU_OFF;
        v->start_pending = false;
        note(p, v, &kick);
    }
    vcpu_unlock(p, f, kick);
}

void sched_init_domain(struct domain *d)
{
    d->sched.domid = d->id;
    d->sched.weight = d->cfg.sched_weight ? d->cfg.sched_weight : SCHED_DEFAULT_WEIGHT;
    d->sched.cap = d->cfg.sched_cap;
    struct cpupool *p0 = &cpupools[0];
    d->pool = p0;
    __atomic_fetch_add(&p0->nr_domains, 1, __ATOMIC_RELAXED);
}

void sched_destroy_domain(struct domain *d)
{
    if (d->pool)
        __atomic_fetch_sub(&d->pool->nr_domains, 1, __ATOMIC_RELAXED);
    d->pool = NULL;
}

int sched_set_dom_params(struct domain *d, uint16_t weight, uint16_t cap)
{
    if (!d->pool) /* not yet (or no longer) in a pool */
        return -EINVAL;
    uint64_t f, kick = 0;
    struct cpupool *p;
    for (;;) {
        p = __atomic_load_n(&d->pool, __ATOMIC_ACQUIRE);
        f = spin_lock_irqsave(&p->lock);
        if (d->pool == p)
            break;
        spin_unlock_irqrestore(&p->lock, f);
    }
    d->sched.weight = weight;
    d->sched.cap = cap;
    if (p->pol->dom_params)
        p->pol->dom_params(&p->st, &d->sched, sched_now_ns(), &kick);
    spin_unlock_irqrestore(&p->lock, f);
    sched_kick_mask(kick);
    return 0;
}

struct cpupool *domain_cpupool(const struct domain *d)
{
    return __atomic_load_n(&d->pool, __ATOMIC_ACQUIRE);
}

/* Both pools' locks held; d's vCPUs paused and loaded nowhere. */
void sched_move_domain_locked(struct domain *d, struct cpupool *from, struct cpupool *to)
{
    uint64_t now = sched_now_ns(), kick = 0;
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];
        if (v && v->placed) {
            v->item.runnable = false;
            from->pol->remove(&from->st, &v->item, now, &kick);
        }
    }
    /* Policy state of the old pool goes; weight and cap stay. */
    memset(&d->sched.u, 0, sizeof(d->sched.u));
    __atomic_store_n(&d->pool, to, __ATOMIC_RELEASE);
    __atomic_fetch_sub(&from->nr_domains, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&to->nr_domains, 1, __ATOMIC_RELAXED);
    /* Xen's sched_move_domain: both maps back to every pCPU (a pin to the
     * old pool's pCPUs means nothing in the new one). */
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];
        if (v)
            v->hard_affinity = v->soft_affinity = SCHED_AFFINITY_ALL;
        if (v && v->placed) {
            init_item(v);
            to->pol->insert(&to->st, &v->item, now);
            note(to, v, &kick);
        }
    }
    if (to->pol->dom_params)
        to->pol->dom_params(&to->st, &d->sched, now, &kick);
    from->st.kick |= kick; /* kicked by the caller after unlocking */
}

static void vtimer_wake_fn(struct timer *t)
{
    struct vcpu *v = t->data;
    /* As on the physical path: mask the guest's timer, then inject. */
    context_vtimer_mask_saved(&v->arch);
    vops.vtimer_fired(v);
}

void sched_init_vcpu(struct vcpu *v)
{
    timer_init(&v->vtimer_wake, vtimer_wake_fn, v);
    v->hard_affinity = v->soft_affinity = SCHED_AFFINITY_ALL; /* Xen's default */
    v->item.running_on = SCHED_NO_CPU;
}

void sched_destroy_vcpu(struct vcpu *v)
{
    /* Kill again (a vCPU of a domain that never ran was never killed), then
     * wait: once these return no pCPU runs a callback on v or can queue one. */
    timer_kill(&v->vtimer_wake);
    timer_kill(&v->ptimer.timer);
    timer_cancel(&v->vtimer_wake);
    timer_cancel(&v->ptimer.timer);
    /* Loaded nowhere (the reaper saw to it): the policy let go of it at the
     * pick that switched it out; it leaves its pool. */
    if (v->placed && v->domain->pool) {
        uint64_t f, kick = 0;
        struct cpupool *p = vcpu_lock(v, &f);
        v->item.runnable = false;
        p->pol->remove(&p->st, &v->item, sched_now_ns(), &kick);
        v->placed = false;
        v->domain->sched.nr_items--;
        vcpu_unlock(p, f, kick);
    }
}

/*
 * Switch this pCPU's hardware state from prev to next (either may be NULL).
 * p->current was already set to next under the pool lock, so a remote
 * wake-up of prev from now on goes to the policy instead of assuming it
 * still runs; next->loaded was counted there too, so the reaper keeps next's
 * domain. next may still be in its previous pCPU's switch-out: its state is
 * loaded once that pCPU let go of it (loaded back to 1, this pCPU's).
 * start: next was started by PSCI CPU_ON (vcpu_start) since it last ran: its
 * registers are reset here, before they are loaded; if it is prev too
 * (started again before this pCPU left it), what the hardware holds of its
 * old life is dropped, not saved.
 */
static void switch_to(struct pcpu *p, struct vcpu *prev, struct vcpu *next, bool start)
{
    if (prev == next && !start)
        return;
    uint64_t now = arch_counter();
    if (prev && prev != next) {
        context_save(&prev->arch);
        vops.switch_out(prev);
        prev->runtime += now - prev->slice_start;
        uint64_t deadline = context_vtimer_deadline(&prev->arch, prev->domain->cntvoff);
        /* Read without the lock: if a kill lands after the read, the timer
         * is killed already or will be, and this set does nothing. */
        if (prev->state == VCPU_BLOCKED && deadline)
            timer_set(&prev->vtimer_wake, p->id, deadline);
        /* Last touch: once it is down to 0 the reaper may free a dead vCPU. */
        __atomic_fetch_sub(&prev->loaded, 1, __ATOMIC_RELEASE);
    }
    if (next) {
        if (prev != next)
            while (__atomic_load_n(&next->loaded, __ATOMIC_ACQUIRE) > 1)
                arch_cpu_relax(); /* its previous pCPU is saving it: bounded EL2 code */
        if (start)
            arch_vcpu_reset(&next->arch, next->id, next->start_pc, next->start_x0);
        timer_cancel(&next->vtimer_wake);
        context_load(&next->arch, &next->domain->p2m, next->domain->cntvoff);
        if (next->tlb_stale) { /* ran elsewhere since it last ran here */
            context_tlb_flush_local();
            next->tlb_stale = false;
        }
        if (prev != next)
            vops.switch_in(next);
        next->slice_start = now;
        p->cur_regs = &next->arch.regs;
    } else {
        p->cur_regs = &idle_regs[p->id];
    }
}

/* This pCPU's pool, locked; NULL (nothing locked) when it is in none. */
static struct cpupool *pcpu_pool_lock(struct pcpu *p, uint64_t *flags)
{
    for (;;) {
        struct cpupool *pool = __atomic_load_n(&p->pool, __ATOMIC_ACQUIRE);
        if (!pool)
            return NULL;
        *flags = spin_lock_irqsave(&pool->lock);
        if (p->pool == pool)
            return pool;
        spin_unlock_irqrestore(&pool->lock, *flags);
    }
}

/*
 * What this pCPU runs next (NULL: idle), as its pool's policy decides; a
 * pCPU marked leaving leaves its pool here. *until: when to ask again (ns,
 * 0 = not before something happens). Sets p->current and counts next as
 * loaded, under the pool lock.
 */
static struct vcpu *pick(struct pcpu *p, bool *start, uint64_t *until)
{
    uint64_t f, kick = 0;
    struct vcpu *prev = p->current, *next = NULL;
    struct cpupool *pool = pcpu_pool_lock(p, &f);
    *until = 0;
    *start = false;
    if (pool) {
        uint64_t now = sched_now_ns();
        struct sched_decision d = pool->pol->pick(&pool->st, p->id, prev ? &prev->item : NULL, now);
        if (prev)
            prev->item.yielded = false; /* counts for this pick only */
        kick = pool->st.kick;
        pool->st.kick = 0;
        if (p->leaving) {
            ASSERT(!d.next); /* the policy's promise for a pCPU out of p->cpus */
            pool->pol->cpu_remove(&pool->st, p->id, now, &kick);
            __atomic_store_n(&p->pool, NULL, __ATOMIC_RELEASE);
            p->leaving = false;
            d.next = NULL;
            d.until = 0;
        }
        next = vcpu_of_item(d.next);
        *until = d.until;
    }
    /* A pCPU in no pool ran nothing since it left one. */
    p->current = next;
    if (next && next != prev) {
        /* Loaded from the moment it is picked, under the lock the kill
         * takes: a vCPU picked before its kill is one the reaper waits for. */
        __atomic_fetch_add(&next->loaded, 1, __ATOMIC_RELAXED);
        if (next->pcpu != p->id) {
            /* The guest's local TLB invalidations reached only the pCPUs
             * it ran on: flush its VMID here at its load. */
            next->tlb_stale = true;
            __atomic_store_n(&next->pcpu, p->id, __ATOMIC_RELAXED);
        }
    }
    /* Started by CPU_ON since it last ran: reset by switch_to(), here. */
    if (next && next->start_pending) {
        *start = true;
        next->start_pending = false;
    }
    if (pool)
        spin_unlock_irqrestore(&pool->lock, f);
    sched_kick_mask(kick & ~(1ULL << p->id));
    return next;
}

/*
 * Whether the policy would be asked for nothing new: read without the lock
 * (IRQs are masked). Whoever else changes cur's state, pauses or starts it,
 * or makes the policy change its mind, does so under the pool lock and then
 * sets need_resched and kicks this pCPU with an SGI: a change this read
 * misses is followed by the SGI, taken as soon as the guest is entered, and
 * the next pass takes the lock. The slice timer sets need_resched too. This
 * pCPU's own changes (a WFI blocking cur) are seen in order.
 */
static bool keeps_running(struct pcpu *p, struct vcpu *cur)
{
    return cur && !READ_ONCE(p->need_resched) && READ_ONCE(cur->state) == VCPU_RUNNABLE &&
           !READ_ONCE(cur->paused) && !READ_ONCE(cur->start_pending);
}

/*
 * The policy's deadline from its pick (0: none); traps and interrupts in
 * between do not extend it. Armed lazily, as arming and disarming on every
 * switch cost an event-channel ping-pong pair on one pCPU about 780 of its
 * 8,530 instructions per round trip: an armed slice ending no later than
 * the new deadline stays (the pass it causes early picks again and re-arms),
 * and a pick without a deadline leaves it to end once for nothing. So a
 * slice may end early, never late. Only a pool other than the one that armed
 * it (the pCPU moved) disarms it at once: a null pool's pCPUs get no tick.
 * Only this pCPU arms its slice timer.
 */
static void arm_slice(struct pcpu *p, uint64_t until)
{
    struct timer *slice = &slice_timers[p->id];
    const struct cpupool *pool = READ_ONCE(p->pool);
    bool armed = READ_ONCE(slice->armed);
    if (until) {
        uint64_t end = ns_to_ticks(until);
        if (!armed || slice->deadline > end || slice_pools[p->id] != pool)
            timer_set(slice, p->id, end);
        slice_pools[p->id] = pool;
    } else if (armed && slice_pools[p->id] != pool) {
        timer_cancel(slice);
    }
}

__noreturn void sched_return_to_guest(void)
{
    struct pcpu *p = this_pcpu();
    for (;;) {
        struct vcpu *prev = p->current, *next;
        bool start = false, picked = false;
        uint64_t until = 0;
        if (keeps_running(p, prev)) {
            /* The common exit: the vCPU goes back in, no lock taken. */
            next = prev;
        } else {
            /* Cleared before looking: whatever changes after sets it again. */
            p->need_resched = false;
            next = pick(p, &start, &until);
            picked = true;
        }

        switch_to(p, prev, next, start);
        /* Reaping, the Xen upcall line, the vGIC flush (boot/compose.c). */
        for (unsigned int i = 0; i < nr_entry_hooks; i++)
            entry_hooks[i](next);
        if (picked)
            arm_slice(p, until);
        timer_sync_local();

        if (next)
            context_entry(&next->arch);
        stretch_end(); /* IRQs open from here: in the guest, or in the idle wait */
        if (next)
            return_to_guest(&next->arch.regs);
        /* Idle: wait for an interrupt with IRQs open at EL2 only here. */
        p->idle_ticks++;
        while (!p->need_resched)
            arch_idle_wait();
        stretch_begin(STRETCH_IDLE_EXIT, STRETCH_NO_DOMAIN);
    }
}

void sched_resume_if_quiet(void)
{
    struct pcpu *p = this_pcpu();
    if (!keeps_running(p, p->current) || timer_resync_pending())
        return;
    context_entry(&p->current->arch);
    stretch_end();
    return_to_guest(p->cur_regs);
}

__noreturn void sched_start_cpu(void)
{
    this_pcpu()->need_resched = true;
    sched_return_to_guest();
}
