/*
 * Spinlocks for single-threaded host tests (fakes/lock_fake.c). Taking a
 * lock that is held, or releasing one that is free, would deadlock or
 * corrupt on the machine: here it aborts the test. Every lock held is
 * counted, and IRQs are a flag that spin_lock_irqsave sets and
 * spin_unlock_irqrestore puts back, so a test can check what a callback runs
 * under.
 */
#ifndef TESTS_UNIT_FAKES_LOCK_FAKE_H
#define TESTS_UNIT_FAKES_LOCK_FAKE_H

#include <cloison/types.h>

extern int fake_locks_held;   /* locks taken and not yet released, all together */
extern bool fake_irqs_masked; /* as spin_lock_irqsave left it */

#endif
