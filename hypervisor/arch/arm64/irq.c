/*
 * Physical interrupt handlers by INTID (see cloison/irq.h). The two SGIs
 * Cloison sends between its pCPUs are handled here: a kick only asks the
 * pCPU to re-run its scheduler on the way out (need_resched), a call only
 * wakes it.
 */
#include <cloison/errno.h>
#include <cloison/irq.h>
#include <cloison/percpu.h>
#include <cloison/spinlock.h>

struct irq_slot {
    irq_handler_fn fn;
    void *data;
};

static void sgi_kick(uint32_t intid, void *data)
{
    (void)intid;
    (void)data;
    this_pcpu()->need_resched = true;
}

static void sgi_call(uint32_t intid, void *data)
{
    (void)intid;
    (void)data;
}

static struct irq_slot slots[IRQ_NR] = {
    [IRQ_SGI_KICK] = {sgi_kick, NULL},
    [IRQ_SGI_CALL] = {sgi_call, NULL},
};
static spinlock_t slots_lock = SPINLOCK_INIT; /* writers only (order: cloison/spinlock.h) */

int irq_set_handler(uint32_t intid, irq_handler_fn fn, void *data)
{
    if (intid >= IRQ_NR || !fn)
        return -EINVAL;
    int rc = 0;
    uint64_t f = spin_lock_irqsave(&slots_lock);
    struct irq_slot *s = &slots[intid];
    if (s->fn && (s->fn != fn || s->data != data)) {
        rc = -EBUSY;
    } else {
        /* data before fn: a dispatch that sees fn sees its data */
        __atomic_store_n(&s->data, data, __ATOMIC_RELAXED);
        __atomic_store_n(&s->fn, fn, __ATOMIC_RELEASE);
    }
    spin_unlock_irqrestore(&slots_lock, f);
    return rc;
}

void irq_clear_handler(uint32_t intid)
{
    if (intid >= IRQ_NR)
        return;
    uint64_t f = spin_lock_irqsave(&slots_lock);
    /* data stays: a dispatch that already read fn still gets its own data */
    __atomic_store_n(&slots[intid].fn, NULL, __ATOMIC_RELEASE);
    spin_unlock_irqrestore(&slots_lock, f);
}

/* Set once at boot (irq_set_observer), read on every interrupt. */
static irq_observer_fn observer;

void irq_set_observer(irq_observer_fn fn)
{
    __atomic_store_n(&observer, fn, __ATOMIC_RELEASE);
}

bool irq_dispatch(uint32_t intid)
{
    irq_observer_fn o = __atomic_load_n(&observer, __ATOMIC_RELAXED);
    if (o)
        o(intid);
    if (intid >= IRQ_NR)
        return false;
    struct irq_slot *s = &slots[intid];
    irq_handler_fn fn = __atomic_load_n(&s->fn, __ATOMIC_ACQUIRE);
    if (!fn)
        return false;
    fn(intid, __atomic_load_n(&s->data, __ATOMIC_RELAXED));
    return true;
}
