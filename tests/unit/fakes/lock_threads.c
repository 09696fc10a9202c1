/*
 * Spinlocks for host tests in which threads play pCPUs at the same time
 * (test_timer_threads): real ticket locks on host atomics; a waiter yields
 * its host CPU. fakes/lock_fake.c is for single-threaded tests, where a lock
 * found held is a deadlock and aborts; here it is another pCPU at work.
 * spin_held_here() is what the normal build checks: held by someone.
 */
#include <sched.h>
#include <cloison/arch.h>
#include <cloison/spinlock.h>

void spin_lock(spinlock_t *l)
{
    uint16_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_ACQ_REL);
    while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
        sched_yield();
}

void spin_unlock(spinlock_t *l)
{
    __atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}

bool spin_trylock(spinlock_t *l)
{
    uint32_t cur = __atomic_load_n(&l->val, __ATOMIC_RELAXED);
    if ((cur & 0xffff) != (cur >> 16))
        return false;
    return __atomic_compare_exchange_n(&l->val, &cur, cur + 0x10000, false, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED);
}

uint64_t spin_lock_irqsave(spinlock_t *l)
{
    spin_lock(l);
    return 0;
}

void spin_unlock_irqrestore(spinlock_t *l, uint64_t flags)
{
    (void)flags;
    spin_unlock(l);
}

/* A thread waiting for another (a timer callback to end) lets it run. */
void arch_cpu_relax(void)
{
    sched_yield();
}
