/* Ticket spinlocks (fair, FIFO). Hold times are short; never sleep holding one. */
#ifndef CLOISON_SPINLOCK_H
#define CLOISON_SPINLOCK_H

#include <cloison/types.h>

typedef union {
    uint32_t val; /* both halves, for atomic compare-and-swap */
    struct {
        uint16_t owner; /* ticket being served */
        uint16_t next;  /* next ticket to hand out */
    };
} spinlock_t;

#define SPINLOCK_INIT \
    {                 \
        0             \
    }

void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
bool spin_trylock(spinlock_t *l);
bool spin_is_locked(const spinlock_t *l);

/* Lock with local IRQs masked (EL2 code may run with IRQs on only in idle). */
uint64_t spin_lock_irqsave(spinlock_t *l);
void spin_unlock_irqrestore(spinlock_t *l, uint64_t flags);

#endif
