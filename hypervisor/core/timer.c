/* Per-pCPU software timer queues on top of the EL2 physical timer. */
#include <cloison/assert.h>
#include <cloison/arch.h>
#include <cloison/irq.h>
#include <cloison/percpu.h>
#include <cloison/printk.h>
#include <cloison/spinlock.h>
#include <core/timer.h>

struct timer_queue {
    spinlock_t lock;
    struct timer *head; /* sorted by deadline */
};

static struct timer_queue queues[MAX_PCPUS];

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
    t->next = NULL;
    t->armed = false;
    t->deadline = 0;
}

/* queue lock held */
static void unlink(struct timer_queue *q, struct timer *t)
{
    ASSERT_HELD(&q->lock);
    for (struct timer **pp = &q->head; *pp; pp = &(*pp)->next) {
        if (*pp == t) {
            *pp = t->next;
            break;
        }
    }
    t->armed = false;
    t->next = NULL;
}

/* Program the local hardware for the earliest deadline (queue lock held). */
static void reprogram(struct timer_queue *q)
{
    ASSERT_HELD(&q->lock);
    if (q->head)
        hyptimer_program(q->head->deadline);
    else
        hyptimer_stop();
}

void timer_set(struct timer *t, unsigned int cpu, uint64_t deadline)
{
    timer_cancel(t);
    struct timer_queue *q = &queues[cpu];
    uint64_t f = spin_lock_irqsave(&q->lock);
    t->deadline = deadline;
    t->cpu = cpu;
    t->armed = true;
    struct timer **pp = &q->head;
    while (*pp && (*pp)->deadline <= deadline)
        pp = &(*pp)->next;
    t->next = *pp;
    *pp = t;
    if (cpu == this_cpu_id())
        reprogram(q);
    spin_unlock_irqrestore(&q->lock, f);
    /* A remote queue's head changed: its owner reprograms on its next pass
     * through the scheduler; callers kick that pCPU when it matters. */
}

void timer_cancel(struct timer *t)
{
    if (!t->armed)
        return;
    struct timer_queue *q = &queues[t->cpu];
    uint64_t f = spin_lock_irqsave(&q->lock);
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
        struct timer *t = q->head;
        if (!t || t->deadline > arch_counter())
            break;
        unlink(q, t);
        spin_unlock(&q->lock);
        t->fn(t);
        spin_lock(&q->lock);
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
    uint64_t f = spin_lock_irqsave(&q->lock);
    reprogram(q);
    spin_unlock_irqrestore(&q->lock, f);
}
