/* Host spinlocks: see fakes/lock_fake.h. */
#include <stdlib.h>
#include <cloison/arch.h>
#include <cloison/spinlock.h>
#include "lock_fake.h"

int fake_locks_held;
bool fake_irqs_masked;
void (*fake_lock_hook)(spinlock_t *l);
void (*fake_unlock_hook)(spinlock_t *l);

void spin_lock(spinlock_t *l)
{
    if (fake_lock_hook)
        fake_lock_hook(l);
    if (l->owner != l->next)
        abort(); /* held already: a deadlock on the machine */
    l->next++;
    fake_locks_held++;
}

void spin_unlock(spinlock_t *l)
{
    if (fake_unlock_hook)
        fake_unlock_hook(l);
    if (l->owner == l->next)
        abort(); /* not held */
    l->owner++;
    fake_locks_held--;
}

bool spin_trylock(spinlock_t *l)
{
    if (l->owner != l->next)
        return false;
    spin_lock(l);
    return true;
}

uint64_t spin_lock_irqsave(spinlock_t *l)
{
    uint64_t was = fake_irqs_masked;
    fake_irqs_masked = true;
    spin_lock(l);
    return was;
}

void (*fake_irq_unmask_hook)(void);

void spin_unlock_irqrestore(spinlock_t *l, uint64_t flags)
{
    spin_unlock(l);
    fake_irqs_masked = flags;
    if (!flags && fake_irq_unmask_hook)
        fake_irq_unmask_hook();
}

/* The spin-wait hint of every loop that waits for another pCPU. */
void arch_cpu_relax(void)
{
}
