/*
 * Spinlocks for single-threaded host tests (fakes/lock_fake.c). Taking a
 * lock that is held, or releasing one that is free, would deadlock or
 * corrupt on the machine: here it aborts the test. Every lock held is
 * counted, and IRQs are a flag that spin_lock_irqsave sets and
 * spin_unlock_irqrestore puts back, so a test can check what a callback runs
 * under. A test may also run code of "another pCPU" at the moment a lock is
 * about to be taken or released (fake_lock_hook, fake_unlock_hook), to replay
 * one interleaving of a race.
 */
#ifndef TESTS_UNIT_FAKES_LOCK_FAKE_H
#define TESTS_UNIT_FAKES_LOCK_FAKE_H

#include <cloison/spinlock.h>
#include <cloison/types.h>

extern int fake_locks_held;   /* locks taken and not yet released, all together */
extern bool fake_irqs_masked; /* as spin_lock_irqsave left it */
/* Called by every spin_lock (irqsave or not) before it takes l, while set. */
extern void (*fake_lock_hook)(spinlock_t *l);
/* Called by every spin_unlock (irqrestore or not) before it releases l,
 * while set: the other side of a race, replayed just before a release. */
extern void (*fake_unlock_hook)(spinlock_t *l);
/* Called when spin_unlock_irqrestore opens IRQs again, while set: where a
 * pending interrupt would be taken (fakes/console_fake.c's UART transmit
 * interrupt). */
extern void (*fake_irq_unmask_hook)(void);

#endif
