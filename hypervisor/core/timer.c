/*
 * Per-pCPU software timer queues on top of the EL2 physical timer, with the
 * kill and cancel guarantees core/timer.h states.
 *
 * Locks: each queue's (order: cloison/spinlock.h); timer_set() moving a
 * timer between two queues holds both, the lower-numbered pCPU's first.
 */
#include <cloison/assert.h>
#include <cloison/arch.h>
#include <cloison/irq.h>
#include <cloison/percpu.h>
#include <cloison/printk.h>
#include <cloison/spinlock.h>
#include <core/timer.h>

/* A cache line each (no false sharing between pCPUs), and a power of two:
 * a queue's index is a shift away from its address (set_resync). */
struct __attribute__((aligned(64))) timer_queue {
    spinlock_t lock;
    /* By deadline: a pairing heap, as a pCPU may hold thousands of vCPU
     * timers (one per domain at scale) and a sorted list costs O(n) to arm. */
    struct pheap heap;
    /* The timer whose callback this pCPU is running, with the lock dropped.
     * Written under the lock; timer_cancel() on other pCPUs reads it. */
    struct timer *running;
    /* What the hardware holds (under the lock): every guest entry syncs the
     * queue with it, and an unchanged head needs no sysreg write. Starts
     * stopped, as cpu_init_el2() leaves CNTHP. */
    bool hw_armed;
    uint64_t hw_deadline;
    /* The head changed since the hardware was last programmed (a timer
     * unlinked, or set from another pCPU): timer_sync_local() has work. Kept
     * in the pCPU's record (pcpus[].timer_resync), which every exit reads. */
};

static struct timer_queue queues[MAX_PCPUS];

static void set_resync(const struct timer_queue *q, bool resync)
{
    pcpus[q - queues].timer_resync = resync;
}

uint64_t timer_freq(void)
{
    return arch_counter_freq();
}

uint64_t ms_to_ticks(uint64_t ms)
{
    return timer_freq() * ms / 1000;
}

void timer_init(struct timer *t, void (*fn)(struct timer *t), void *data)
{
    t->fn = fn;
    t->data = data;
    t->node = (struct pheap_node){0};
    t->armed = false;
    t->killed = false;
    t->deadline = 0;
    t->cpu = 0;
}

/* The queue t belongs to, as last seen; exact only under that queue's lock. */
static unsigned int home_of(const struct timer *t)
{
    return __atomic_load_n(&t->cpu, __ATOMIC_RELAXED);
}

/* Lock the queue t belongs to: t->cpu cannot change while it is held. */
static struct timer_queue *lock_home(struct timer *t, uint64_t *flags)
{
    for (;;) {
        unsigned int cpu = home_of(t);
        *flags = spin_lock_irqsave(&queues[cpu].lock);
        if (home_of(t) == cpu)
            return &queues[cpu];
        spin_unlock_irqrestore(&queues[cpu].lock, *flags); /* moved meanwhile */
    }
}

static void unlock_two(unsigned int a, unsigned int b, uint64_t flags)
{
    if (a != b)
        spin_unlock(&queues[MAX(a, b)].lock);
    spin_unlock_irqrestore(&queues[MIN(a, b)].lock, flags);
}

/* Lock t's queue and cpu's (one lock if they are the same), lower-numbered
 * first. Returns t's queue, which cannot change until unlock_two(). */
static unsigned int lock_two(struct timer *t, unsigned int cpu, uint64_t *flags)
{
    for (;;) {
        unsigned int home = home_of(t);
        *flags = spin_lock_irqsave(&queues[MIN(home, cpu)].lock);
        if (home != cpu)
            spin_lock(&queues[MAX(home, cpu)].lock);
        if (home_of(t) == home)
            return home;
        unlock_two(home, cpu, *flags);
    }
}

/* queue lock held */
static void unlink(struct timer_queue *q, struct timer *t)
{
    ASSERT_HELD(&q->lock);
    set_resync(q, true);
    pheap_remove(&q->heap, &t->node);
    /* Release: a timer_cancel() that reads it unarmed sees what was written
     * before, the `running` of a callback about to start included. */
    __atomic_store_n(&t->armed, false, __ATOMIC_RELEASE);
}

/* The armed timer with the earliest deadline, or NULL (queue lock held). */
static struct timer *earliest(const struct timer_queue *q)
{
    struct pheap_node *n = pheap_min(&q->heap);
    return n ? (struct timer *)(void *)((char *)n - offsetof(struct timer, node)) : NULL;
}

/* Program the local hardware for the earliest deadline (queue lock held). */
static void reprogram(struct timer_queue *q)
{
    ASSERT_HELD(&q->lock);
    set_resync(q, false);
    struct timer *first = earliest(q);
    if (first) {
        if (q->hw_armed && q->hw_deadline == first->deadline)
            return;
        hyptimer_program(first->deadline);
        q->hw_armed = true;
        q->hw_deadline = first->deadline;
    } else if (q->hw_armed) {
        hyptimer_stop();
        q->hw_armed = false;
    }
}

bool timer_set(struct timer *t, unsigned int cpu, uint64_t deadline)
{
    uint64_t f;
    unsigned int home = lock_two(t, cpu, &f);
    bool ok = !t->killed; /* under the lock timer_kill() takes */
    if (ok) {
        if (t->armed)
            unlink(&queues[home], t);
        struct timer_queue *q = &queues[cpu];
        t->deadline = deadline;
        __atomic_store_n(&t->cpu, cpu, __ATOMIC_RELAXED);
        __atomic_store_n(&t->armed, true, __ATOMIC_RELAXED);
        t->node.key = deadline;
        pheap_insert(&q->heap, &t->node);
        if (cpu == this_cpu_id())
            reprogram(q);
        else
            set_resync(q, true);
    }
    unlock_two(home, cpu, f);
    /* A remote queue's head changed: its owner reprograms on its next pass
     * through the scheduler; callers kick that pCPU when it matters. */
    return ok;
}

/*
 * Wait while t's callback runs on another pCPU; true if it was running (it
 * may have re-armed t). Not from a callback: this pCPU runs one then, and
 * two callbacks cancelling each other would wait for ever.
 */
static bool wait_callback(const struct timer *t)
{
    unsigned int self = this_cpu_id();
    if (__atomic_load_n(&queues[self].running, __ATOMIC_RELAXED))
        return false;
    bool waited = false;
    for (unsigned int c = 0; c < MAX_PCPUS; c++)
        while (c != self && __atomic_load_n(&queues[c].running, __ATOMIC_ACQUIRE) == t) {
            waited = true;
            arch_cpu_relax();
        }
    return waited;
}

void timer_cancel(struct timer *t)
{
    /* Most cancels find the timer unarmed (it fired, or was never set) and
     * take no lock, as on every switch-in. A callback that started before
     * set `running`, then disarmed the timer with a release store, which
     * the acquire load here pairs with, so wait_callback() sees it. */
    do {
        if (!__atomic_load_n(&t->armed, __ATOMIC_ACQUIRE))
            continue;
        uint64_t f;
        struct timer_queue *q = lock_home(t, &f);
        if (t->armed)
            unlink(q, t);
        spin_unlock_irqrestore(&q->lock, f);
    } while (wait_callback(t));
}

void timer_kill(struct timer *t)
{
    uint64_t f;
    struct timer_queue *q = lock_home(t, &f);
    t->killed = true;
    if (t->armed)
        unlink(q, t);
    spin_unlock_irqrestore(&q->lock, f);
}

/* CNTHP fired on this pCPU: run what is due, re-arm for the rest. */
static void timer_interrupt(uint32_t intid, void *data)
{
    (void)intid;
    (void)data;
    struct timer_queue *q = &queues[this_cpu_id()];
    uint64_t f = spin_lock_irqsave(&q->lock);
    for (;;) {
        struct timer *t = earliest(q);
        if (!t || t->deadline > arch_counter())
            break;
        __atomic_store_n(&q->running, t, __ATOMIC_RELAXED);
        unlink(q, t); /* after `running`: see timer_cancel() */
        spin_unlock(&q->lock);
        t->fn(t);
        spin_lock(&q->lock);
        /* Release: whatever the callback did is seen by a timer_cancel()
         * that reads `running` no longer naming it. */
        __atomic_store_n(&q->running, NULL, __ATOMIC_RELEASE);
    }
    reprogram(q);
    spin_unlock_irqrestore(&q->lock, f);
}

void timer_irq_init(void)
{
    if (irq_set_handler(IRQ_PPI_HYPTIMER, timer_interrupt, NULL) != 0)
        panic("timer: PPI %u taken", IRQ_PPI_HYPTIMER);
}

void timer_sync_local(void)
{
    struct timer_queue *q = &queues[this_cpu_id()];
    /* Read without the lock, as the head was before: a remote timer_set()
     * after this read is seen on the pass its kick causes. */
    if (!timer_resync_pending())
        return;
    uint64_t f = spin_lock_irqsave(&q->lock);
    reprogram(q);
    spin_unlock_irqrestore(&q->lock, f);
}
