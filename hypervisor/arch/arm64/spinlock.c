/* Ticket spinlocks with load-acquire exclusives; waiters sleep in WFE. */
#include <cloison/spinlock.h>
#include <asm/sysreg.h>

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
}

void spin_unlock(spinlock_t *l)
{
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
    return __atomic_compare_exchange_n(&l->val, &cur, want, false, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED);
}

bool spin_is_locked(const spinlock_t *l)
{
    return READ_ONCE(l->owner) != READ_ONCE(l->next);
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
