/*
 * Assertions: internal invariants of Cloison's own code.
 *
 * ASSERT(cond) states something that holds whatever any guest or boot
 * description does; if it is false, Cloison itself is broken, and it stops
 * with panic() naming the file, the line and the condition. It must NEVER
 * check a condition a guest or the boot description controls (a hypercall
 * argument, a register value a guest wrote, a device tree property): those
 * get an error path (an error code, an injected fault, that domain's crash,
 * a refused boot entry), or one guest could stop the whole machine
 * (Hafnium's rule for CHECK). When in doubt, it is an error path.
 *
 * ASSERT_HELD(lock): the caller holds lock (functions named *_locked and
 * those documented "lock held"). A ticket lock records no holder, so in the
 * normal build this checks that somebody holds it, which catches a missing
 * lock whenever no other pCPU happens to hold it. The debug build (make
 * DEBUG=1, which defines CLOISON_DEBUG) also records the holding pCPU in
 * each lock and checks it is this one; that costs 4 more bytes per lock,
 * which the normal build does not pay (its lock stays one 32-bit word, all
 * of it the two tickets).
 *
 * Neither is used by the lock code itself nor by printk.c: panic() takes
 * the console lock and prints through printk.c, so an assertion there would
 * make panic and its own callees call each other.
 *
 * Always compiled in: an assertion costs a compare and a branch not taken,
 * the tests run the same build that ships, and a hypervisor that goes on
 * past a broken invariant may hand one domain's memory or interrupts to
 * another; stopping is the safer failure. Keep conditions cheap (no walks of
 * lists or tables) and free of side effects.
 */
#ifndef CLOISON_ASSERT_H
#define CLOISON_ASSERT_H

#include <cloison/printk.h>
#include <cloison/spinlock.h>

#define ASSERT(cond)                                                      \
    do {                                                                  \
        if (unlikely(!(cond)))                                            \
            panic("%s:%d: ASSERT(%s) failed", __FILE__, __LINE__, #cond); \
    } while (0)

#define ASSERT_HELD(lock) ASSERT(spin_held_here(lock))

#endif
