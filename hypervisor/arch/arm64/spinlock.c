/* Ticket spinlocks with load-acquire exclusives; waiters sleep in WFE. */
#include <cloison/percpu.h>
#include <cloison/spinlock.h>
#include <asm/sysreg.h>

/* Debug build: who holds each lock, for ASSERT_HELD (see cloison/assert.h). */
#ifdef CLOISON_DEBUG
static void set_holder(spinlock_t *l, bool taken)
{
    WRITE_ONCE(l->holder, taken ? this_cpu_id() + 1 : 0);
}

bool spin_held_here(const spinlock_t *l)
{
    return spin_is_locked(l) && READ_ONCE(l->holder) == this_cpu_id() + 1;
}
#else
static void set_holder(spinlock_t *l, bool taken)
{
    (void)l, (void)taken;
}
#endif

void spin_lock(spinlock_t *l)
{
    uint32_t tmp, newval, old;
    /* Atomically take a ticket: next++ (upper half of the 32-bit word). */
    __asm__ volatile("1: ldaxr %w[old], [%[lock]]\n"
                     "   add   %w[new], %w[old], #0x10000\n"
                     "   stxr  %w[tmp], %w[new], [%[lock]]\n"
                     "   cbnz  %w[tmp], 1b\n"
                     : [old] "=&r"(old), [new] "=&r"(newval), [tmp] "=&r"(tmp)
                     : [lock] "r"(l)
                     : "memory");
    uint16_t ticket = (uint16_t)(old >> 16);
    while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
        wfe();
    set_holder(l, true);
}

void spin_unlock(spinlock_t *l)
{
    set_holder(l, false);
    __atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
    dsb(ishst);
    sev();
}

bool spin_trylock(spinlock_t *l)
{
    uint32_t cur = __atomic_load_n(&l->val, __ATOMIC_RELAXED);
    if ((cur & 0xffff) != (cur >> 16))
        return false;
    uint32_t want = cur + 0x10000;
    if (!__atomic_compare_exchange_n(&l->val, &cur, want, false, __ATOMIC_ACQUIRE,
                                     __ATOMIC_RELAXED))
        return false;
    set_holder(l, true);
    return true;
}

uint64_t spin_lock_irqsave(spinlock_t *l)
{
    uint64_t f = local_irq_save();
    spin_lock(l);
    return f;
}

void spin_unlock_irqrestore(spinlock_t *l, uint64_t flags)
{
    spin_unlock(l);
    local_irq_restore(flags);
}
