/*
 * Round-robin scheduler (see core/sched.h).
 *
 * Invariant: a pCPU's run queue holds the RUNNABLE vCPUs assigned to it that
 * are not its current one. Only the owning pCPU switches vCPU state in and
 * out (context_load/save); other pCPUs change a vCPU's scheduling state
 * under the owner's runq_lock and then kick the owner with an SGI.
 *
 * Migration (hard affinity): a vCPU changes pCPU only while no pCPU has it
 * loaded, under the run-queue locks of both pCPUs (lower id first), so its
 * owner is always the pCPU whose lock its state is under. Whoever takes a
 * vCPU's lock re-reads v->pcpu once holding it (vcpu_lock()). A vCPU loaded
 * when its move is asked for is marked (move_to) and left to its pCPU, which
 * moves it in the switch-out after saving it, before it clears `loaded`; a
 * marked vCPU is never picked again nor queued where it is.
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

void return_to_guest(struct guest_regs *regs) __noreturn;

#define SCHED_MAX_ENTRY_HOOKS 4

#define NO_MOVE (-1)

static struct timer slice_timers[MAX_PCPUS];
static struct guest_regs idle_regs[MAX_PCPUS]; /* trap frame target while idle */
static spinlock_t placement_lock = SPINLOCK_INIT;

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

static void slice_expired(struct timer *t)
{
    (void)t;
    this_pcpu()->need_resched = true;
}

void sched_init_cpu(unsigned int cpu)
{
    timer_init(&slice_timers[cpu], slice_expired, NULL);
    pcpus[cpu].cur_regs = &idle_regs[cpu];
}

uint64_t sched_online_mask(void)
{
    uint64_t m = 0;
    for (unsigned int c = 0; c < nr_pcpus; c++)
        if (__atomic_load_n(&pcpus[c].online, __ATOMIC_ACQUIRE))
            m |= 1ULL << c;
    return m;
}

/* The least-loaded online pCPU of mask (of all online ones if none is in
 * it); placement_lock held. */
static unsigned int least_loaded(uint64_t mask)
{
    ASSERT_HELD(&placement_lock);
    uint64_t online = sched_online_mask();
    if (!(mask & online))
        mask = online;
    int best = -1;
    for (unsigned int c = 0; c < nr_pcpus; c++)
        if ((mask & online & (1ULL << c)) && (best < 0 || pcpus[c].nr_vcpus < pcpus[best].nr_vcpus))
            best = (int)c;
    return best < 0 ? 0 : (unsigned int)best;
}

void sched_add_vcpu(struct vcpu *v)
{
    spin_lock(&placement_lock);
    unsigned int best = least_loaded(v->hard_affinity);
    v->pcpu = best;
    v->placed = true;
    __atomic_fetch_add(&pcpus[best].nr_vcpus, 1, __ATOMIC_RELAXED);
    spin_unlock(&placement_lock);
}

/* Lock the run queue v is on: v->pcpu read again under the lock, since a
 * migration changes it holding both pCPUs' locks. Returns the pCPU. */
static struct pcpu *vcpu_lock(struct vcpu *v, uint64_t *flags)
{
    for (;;) {
        unsigned int c = __atomic_load_n(&v->pcpu, __ATOMIC_ACQUIRE);
        struct pcpu *p = &pcpus[c];
        *flags = spin_lock_irqsave(&p->runq_lock);
        if (v->pcpu == c)
            return p;
        spin_unlock_irqrestore(&p->runq_lock, *flags);
    }
}

/* runq_lock of v's pCPU held */
static void enqueue(struct pcpu *p, struct vcpu *v)
{
    ASSERT_HELD(&p->runq_lock);
    ASSERT(p == &pcpus[v->pcpu] && v->state == VCPU_RUNNABLE); /* invariant at the top */
    /* A vCPU on its way to another pCPU is queued there by its move. */
    if (v->on_runq || p->current == v || v->move_to != NO_MOVE)
        return;
    v->runq_next = NULL;
    v->runq_prev = p->runq_tail;
    if (p->runq_tail)
        p->runq_tail->runq_next = v;
    else
        p->runq_head = v;
    p->runq_tail = v;
    v->on_runq = true;
}

static struct vcpu *dequeue(struct pcpu *p)
{
    struct vcpu *v = p->runq_head;
    if (v) {
        p->runq_head = v->runq_next;
        if (p->runq_head)
            p->runq_head->runq_prev = NULL;
        else
            p->runq_tail = NULL;
        v->on_runq = false;
        v->runq_next = NULL;
    }
    return v;
}

/* Take v off p's run queue if it is on it (runq_lock held): O(1), the queue
 * being doubly linked (a pause or kill of one of thousands of vCPUs). */
static void runq_remove(struct pcpu *p, struct vcpu *v)
{
    ASSERT_HELD(&p->runq_lock);
    if (!v->on_runq)
        return;
    if (v->runq_prev)
        v->runq_prev->runq_next = v->runq_next;
    else
        p->runq_head = v->runq_next;
    if (v->runq_next)
        v->runq_next->runq_prev = v->runq_prev;
    else
        p->runq_tail = v->runq_prev;
    v->on_runq = false;
    v->runq_next = v->runq_prev = NULL;
}

void sched_resched_cpu(unsigned int cpu)
{
    pcpus[cpu].need_resched = true;
    if (cpu != this_cpu_id())
        irqchip_send_sgi(cpu, IRQ_SGI_KICK);
}

void vcpu_wake(struct vcpu *v)
{
    uint64_t f;
    struct pcpu *p = vcpu_lock(v, &f);
    bool woke = false;
    if (v->state == VCPU_BLOCKED || v->state == VCPU_OFF) {
        v->state = VCPU_RUNNABLE;
        woke = true;
    }
    if (v->state == VCPU_RUNNABLE && !v->paused)
        enqueue(p, v);
    bool resched = woke || p->current == v;
    spin_unlock_irqrestore(&p->runq_lock, f);
    if (resched)
        sched_resched_cpu(p->id);
}

void vcpu_kick(struct vcpu *v)
{
    /* Read the state under the run-queue lock: vcpu_block() checks for
     * pending interrupts and sets BLOCKED under it, so a kick either sees
     * BLOCKED or its interrupt was visible to that check. The wake-up is
     * made under the same hold: were the lock dropped in between, the vCPU
     * could be woken by another kick and CPU_OFF itself meanwhile, and this
     * kick would then take it from OFF to RUNNABLE, starting it again
     * without a CPU_ON. */
    uint64_t f;
    struct pcpu *p = vcpu_lock(v, &f);
    enum vcpu_state state = v->state;
    if (state == VCPU_BLOCKED) {
        v->state = VCPU_RUNNABLE;
        if (!v->paused)
            enqueue(p, v);
    }
    spin_unlock_irqrestore(&p->runq_lock, f);

    /* p: where v was while locked; had it moved since, its move queued it
     * (or found it blocked) and kicked its new pCPU. */
    if (state == VCPU_BLOCKED)
        sched_resched_cpu(p->id);
    else if (state == VCPU_RUNNABLE && p->id != this_cpu_id())
        irqchip_send_sgi(p->id, IRQ_SGI_KICK); /* make it exit and see new interrupts */
    /* A runnable vCPU of this pCPU sees new interrupts at its next entry. */
}

void vcpu_block(struct vcpu *v)
{
    uint64_t f;
    struct pcpu *p = vcpu_lock(v, &f);
    /* Checked under the lock: an injection after this point takes the same
     * lock in vcpu_kick and finds the vCPU BLOCKED. */
    if (v->state == VCPU_RUNNABLE && !vops.irq_pending(v))
        v->state = VCPU_BLOCKED;
    spin_unlock_irqrestore(&p->runq_lock, f);
}

void vcpu_yield(struct vcpu *v)
{
    (void)v;
    this_pcpu()->need_resched = true;
}

void vcpu_stop(struct vcpu *v)
{
    uint64_t f;
    struct pcpu *p = vcpu_lock(v, &f);
    if (v->state != VCPU_DEAD)
        v->state = VCPU_OFF;
    spin_unlock_irqrestore(&p->runq_lock, f);
    sched_resched_cpu(p->id);
}

/*
 * PSCI CPU_ON, from any pCPU. The target may still be loaded on its own pCPU,
 * in the middle of the switch-out that follows its CPU_OFF (context_save()
 * writing its EL1 registers): its registers are not touched here but reset
 * by its own pCPU when it next picks it (sched_return_to_guest), before they
 * are loaded. The OFF -> RUNNABLE step is taken under the run-queue lock,
 * so of two CPU_ONs racing for one vCPU exactly one succeeds.
 */
int vcpu_start(struct vcpu *v, uint64_t pc, uint64_t x0)
{
    uint64_t f;
    struct pcpu *p = vcpu_lock(v, &f);
    int rc = 0;
    if (v->state != VCPU_OFF) {
        rc = v->start_pending ? -EBUSY : -EEXIST;
    } else {
        v->start_pc = pc;
        v->start_x0 = x0;
        v->start_pending = true;
        v->state = VCPU_RUNNABLE;
        if (!v->paused)
            enqueue(p, v);
    }
    spin_unlock_irqrestore(&p->runq_lock, f);
    if (!rc)
        sched_resched_cpu(p->id);
    return rc;
}

void sched_kill_vcpu(struct vcpu *v)
{
    uint64_t f;
    struct pcpu *p = vcpu_lock(v, &f);
    v->state = VCPU_DEAD;
    v->start_pending = false;
    v->move_to = NO_MOVE; /* a dead vCPU stays where it is */
    runq_remove(p, v);
    spin_unlock_irqrestore(&p->runq_lock, f);
    /* Killed, not just cancelled: a trap still running on v's pCPU (a CNTP
     * write) or its switch-out (a BLOCKED prev) may try to arm them again,
     * and must find them dead. The reaper waits for their callbacks. */
    timer_kill(&v->vtimer_wake);
    timer_kill(&v->ptimer.timer); /* the emulated EL1 physical timer (vptimer.c) */
    sched_resched_cpu(p->id);
}

/* Both pCPUs' run-queue locks, the lower id first (cloison/spinlock.h). */
static uint64_t lock_two(unsigned int a, unsigned int b)
{
    uint64_t f = spin_lock_irqsave(&pcpus[MIN(a, b)].runq_lock);
    if (a != b)
        spin_lock(&pcpus[MAX(a, b)].runq_lock);
    return f;
}

static void unlock_two(unsigned int a, unsigned int b, uint64_t f)
{
    if (a != b)
        spin_unlock(&pcpus[MAX(a, b)].runq_lock);
    spin_unlock_irqrestore(&pcpus[MIN(a, b)].runq_lock, f);
}

/* v, loaded nowhere, goes from pCPU `from` to `to` (both locks held): off
 * from's queue, onto to's if it may run. Its next load flushes that pCPU's
 * TLB of its VMID: the guest's local invalidations reached only the pCPUs
 * it ran on. */
static void move_locked(struct vcpu *v, unsigned int from, unsigned int to)
{
    ASSERT_HELD(&pcpus[from].runq_lock);
    ASSERT_HELD(&pcpus[to].runq_lock);
    runq_remove(&pcpus[from], v);
    v->move_to = NO_MOVE;
    if (from != to) {
        __atomic_store_n(&v->pcpu, to, __ATOMIC_RELEASE);
        v->tlb_stale = true;
        __atomic_fetch_sub(&pcpus[from].nr_vcpus, 1, __ATOMIC_RELAXED);
        __atomic_fetch_add(&pcpus[to].nr_vcpus, 1, __ATOMIC_RELAXED);
    }
    if (v->state == VCPU_RUNNABLE && !v->paused)
        enqueue(&pcpus[to], v);
}

/*
 * The switch-out of prev, marked to move, on its pCPU p: it is saved; move
 * it and only then clear `loaded` (under both locks, so the new pCPU cannot
 * pick it before). A kill since it was marked cancelled the move; prev is
 * not touched after `loaded` is clear unless it is alive, which it stays
 * while p's lock is held (the kill takes it).
 */
static void finish_move(struct pcpu *p, struct vcpu *prev)
{
    int to = __atomic_load_n(&prev->move_to, __ATOMIC_ACQUIRE);
    if (to == NO_MOVE) { /* killed meanwhile */
        __atomic_store_n(&prev->loaded, false, __ATOMIC_RELEASE);
        return;
    }
    uint64_t f = lock_two(p->id, (unsigned int)to);
    bool moving = prev->move_to == to && prev->state != VCPU_DEAD;
    if (!moving)
        prev->move_to = NO_MOVE;
    __atomic_store_n(&prev->loaded, false, __ATOMIC_RELEASE);
    if (moving)
        move_locked(prev, p->id, (unsigned int)to);
    unlock_two(p->id, (unsigned int)to, f);
    if (moving)
        sched_resched_cpu((unsigned int)to);
}

/* One attempt to move v off `from`, to `to`: true when done or left to
 * v's pCPU, false to try again (v moved meanwhile, or is being switched
 * out right now: a bounded wait). placement_lock held. */
static bool try_move(struct vcpu *v, unsigned int from, unsigned int to)
{
    uint64_t f = lock_two(from, to);
    struct pcpu *p = &pcpus[from];
    bool done = true, kick_to = false, kick_from = false;
    if (v->pcpu != from) {
        done = false;
    } else if (v->state == VCPU_DEAD) {
        /* stays; freed with its domain */
    } else if (p->current == v) {
        v->move_to = (int)to; /* its pCPU moves it when it switches it out */
        p->need_resched = true;
        kick_from = true;
    } else if (__atomic_load_n(&v->loaded, __ATOMIC_ACQUIRE)) {
        done = false; /* picked out, not yet saved */
    } else {
        move_locked(v, from, to);
        kick_to = true;
    }
    unlock_two(from, to, f);
    if (kick_from)
        sched_resched_cpu(from);
    if (kick_to)
        sched_resched_cpu(to);
    return done;
}

int sched_set_hard_affinity(struct vcpu *v, uint64_t mask)
{
    if (!(mask & sched_online_mask()))
        return -EINVAL; /* Xen: no online pCPU of the pool in it */
    spin_lock(&placement_lock);
    v->hard_affinity = mask;
    while (v->placed) {
        unsigned int from = __atomic_load_n(&v->pcpu, __ATOMIC_ACQUIRE);
        if (mask & (1ULL << from))
            break; /* where it is may stay */
        if (try_move(v, from, least_loaded(mask)))
            break;
    }
    spin_unlock(&placement_lock);
    return 0;
}

void sched_set_soft_affinity(struct vcpu *v, uint64_t mask)
{
    v->soft_affinity = mask; /* kept for the toolstack; placement ignores it */
}

void sched_pause_vcpu(struct vcpu *v)
{
    uint64_t f;
    struct pcpu *p = vcpu_lock(v, &f);
    v->paused = true; /* pick() drops it from the queue and switches it out */
    bool running = p->current == v;
    spin_unlock_irqrestore(&p->runq_lock, f);
    if (running)
        sched_resched_cpu(p->id);
}

void sched_unpause_vcpu(struct vcpu *v)
{
    uint64_t f;
    struct pcpu *p = vcpu_lock(v, &f);
    v->paused = false;
    bool run = v->state == VCPU_RUNNABLE;
    if (run)
        enqueue(p, v);
    spin_unlock_irqrestore(&p->runq_lock, f);
    if (run)
        sched_resched_cpu(p->id);
}

void sched_wait_unloaded(struct vcpu *v)
{
    /* Its pCPU was kicked: the wait lasts until that pCPU passes through
     * its scheduler, a bounded stretch of EL2 code (never this pCPU's own
     * vCPU: a domain does not pause itself). */
    while (__atomic_load_n(&v->loaded, __ATOMIC_ACQUIRE) &&
           __atomic_load_n(&v->paused, __ATOMIC_RELAXED))
        ; /* the atomic loads reread them each time round */
}

void sched_set_online(struct vcpu *v, bool online)
{
    uint64_t f;
    struct pcpu *p = vcpu_lock(v, &f);
    if (v->state != VCPU_DEAD) {
        v->state = online ? VCPU_RUNNABLE : VCPU_OFF;
        v->start_pending = false;
        if (online && !v->paused)
            enqueue(p, v);
    }
    spin_unlock_irqrestore(&p->runq_lock, f);
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
    v->move_to = NO_MOVE;
}

void sched_destroy_vcpu(struct vcpu *v)
{
    /* Kill again (a vCPU of a domain that never ran was never killed), then
     * wait: once these return no pCPU runs a callback on v or can queue one. */
    timer_kill(&v->vtimer_wake);
    timer_kill(&v->ptimer.timer);
    timer_cancel(&v->vtimer_wake);
    timer_cancel(&v->ptimer.timer);
}

/*
 * Switch this pCPU's hardware state from prev to next (either may be NULL).
 * p->current was already set to next under the run-queue lock, so a remote
 * wake-up of prev from now on queues it instead of assuming it still runs;
 * next->loaded was set there too, so the reaper keeps next's domain.
 * start: next was started by PSCI CPU_ON (vcpu_start) since it last ran: its
 * registers are reset here, on its own pCPU, before they are loaded; if it is
 * prev too (started again before this pCPU left it), what the hardware holds
 * of its old life is dropped, not saved.
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
        /* Last touch: once clear, the reaper may free a dead vCPU. Marked
         * under the run-queue lock before the pick that left it, so read
         * without it here. */
        if (__atomic_load_n(&prev->move_to, __ATOMIC_ACQUIRE) != NO_MOVE)
            finish_move(p, prev);
        else
            __atomic_store_n(&prev->loaded, false, __ATOMIC_RELEASE);
    }
    if (next) {
        if (start)
            arch_vcpu_reset(&next->arch, next->id, next->start_pc, next->start_x0);
        timer_cancel(&next->vtimer_wake);
        context_load(&next->arch, &next->domain->p2m, next->domain->cntvoff);
        if (next->tlb_stale) { /* moved here since it last ran (move_locked) */
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

/* Choose the next vCPU for this pCPU (runq_lock held). */
static struct vcpu *pick(struct pcpu *p)
{
    ASSERT_HELD(&p->runq_lock);
    struct vcpu *cur = p->current;
    /* A vCPU marked to move is left to switch_to(), which moves it. */
    bool cur_ok = cur && cur->state == VCPU_RUNNABLE && !cur->paused && cur->move_to == NO_MOVE;
    if (cur_ok && !p->need_resched)
        return cur;
    struct vcpu *next;
    while ((next = dequeue(p)) != NULL) {
        if (next->state == VCPU_RUNNABLE && !next->paused)
            break;
    }
    if (!next)
        return cur_ok ? cur : NULL;
    if (cur_ok) {
        p->current = NULL; /* so enqueue() accepts it */
        enqueue(p, cur);
        p->current = cur;
    }
    return next;
}

/*
 * Whether pick() would keep cur, read without the run-queue lock (IRQs are
 * masked). Whoever else changes cur's state, pauses, moves or starts it, or
 * queues a competitor, does so under the lock and then sets need_resched and
 * kicks this pCPU with an SGI: a change this read misses is followed by the
 * SGI, taken as soon as the guest is entered, and the next pass takes the
 * lock. This pCPU's own changes (a WFI blocking cur) are seen in order.
 */
static bool keeps_running(struct pcpu *p, struct vcpu *cur)
{
    return cur && !READ_ONCE(p->need_resched) && READ_ONCE(cur->state) == VCPU_RUNNABLE &&
           !READ_ONCE(cur->paused) && READ_ONCE(cur->move_to) == NO_MOVE &&
           !READ_ONCE(cur->start_pending);
}

__noreturn void sched_return_to_guest(void)
{
    struct pcpu *p = this_pcpu();
    for (;;) {
        struct vcpu *prev = p->current, *next;
        bool start = false, others;
        if (keeps_running(p, prev)) {
            /* The common exit: the vCPU goes back in, no lock taken. */
            next = prev;
            others = READ_ONCE(p->runq_head) != NULL;
        } else {
            uint64_t f = spin_lock_irqsave(&p->runq_lock);
            prev = p->current;
            next = pick(p);
            p->current = next;
            /* Loaded from the moment it is picked, under the lock the kill
             * takes: a vCPU picked before its kill is one the reaper must
             * wait for. */
            if (next)
                __atomic_store_n(&next->loaded, true, __ATOMIC_RELAXED);
            /* Started by CPU_ON since it last ran: reset by switch_to(), here. */
            start = next && next->start_pending;
            if (start)
                next->start_pending = false;
            p->need_resched = false;
            others = p->runq_head != NULL;
            spin_unlock_irqrestore(&p->runq_lock, f);
        }

        switch_to(p, prev, next, start);
        /* Reaping, the Xen upcall line, the vGIC flush (boot/compose.c). */
        for (unsigned int i = 0; i < nr_entry_hooks; i++)
            entry_hooks[i](next);
        /* A slice starts when a vCPU is switched in (or when a competitor
         * appears); traps and interrupts inside the slice do not extend it. */
        struct timer *slice = &slice_timers[p->id];
        if (others && (prev != next || !slice->armed))
            timer_set(slice, p->id, arch_counter() + ms_to_ticks(SCHED_SLICE_MS));
        else if (!others && READ_ONCE(slice->armed)) /* only this pCPU arms it */
            timer_cancel(slice);
        timer_sync_local();

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

__noreturn void sched_start_cpu(void)
{
    this_pcpu()->need_resched = true;
    sched_return_to_guest();
}
