/*
 * Software timers, one sorted queue per pCPU, driven by the EL2 physical
 * timer (CNTHP, PPI 26). Deadlines are CNTPCT values. A timer fires on the
 * pCPU it was set on, in IRQ context (IRQs masked), and must be short.
 *
 * Lifetime rule for a timer inside an object that is freed (a vCPU's, a
 * domain's; docs/DESIGN.md §7 "Object lifetime across pCPUs"):
 *  1. timer_init() when the object is built, before any other pCPU can
 *     reach it; never again (a late init would undo a kill).
 *  2. timer_kill() when the owner starts dying: from then on timer_set()
 *     does nothing. Kill and set decide under the lock of the queue the
 *     timer belongs to, so an arm racing the kill either lands first and is
 *     unlinked by it, or sees it and gives up: no racing arm can undo it.
 *  3. timer_cancel() after the kill, before the object is freed: it returns
 *     once the callback is running on no other pCPU, so nothing the callback
 *     touches may be freed before.
 * A callback never frees the object it belongs to (freeing is the reaper's
 * job), and timer_cancel() called from inside a callback does not wait (two
 * callbacks cancelling each other on two pCPUs would wait forever).
 * timer_cancel() must not be called holding a lock that a callback takes
 * (run-queue, vGIC, console locks); timer_set() and timer_kill() never wait
 * and may be.
 */
#ifndef CLOISON_TIMER_H
#define CLOISON_TIMER_H

#include <lib/pheap.h>
#include <cloison/types.h>
#include <cloison/percpu.h>

struct timer {
    uint64_t deadline;
    void (*fn)(struct timer *t);
    void *data;
    struct pheap_node node; /* on its queue, keyed by deadline, while armed */
    unsigned int cpu;       /* the queue it is on, or was last set on: changes only
                       * with that queue's lock (and the new one's) held */
    bool armed;
    bool killed; /* timer_kill()ed: timer_set() does nothing */
};

void timer_init(struct timer *t, void (*fn)(struct timer *t), void *data);
/* Arm t on cpu's queue (moving it if it was armed elsewhere); false, and
 * nothing armed, once t is killed. Never waits. */
bool timer_set(struct timer *t, unsigned int cpu, uint64_t deadline);
/* Disarm t and wait until its callback runs on no other pCPU (see above). */
void timer_cancel(struct timer *t);
/* Disarm t for good: later timer_set() calls do nothing. Never waits. */
void timer_kill(struct timer *t);
/* Boot CPU, once, before interrupts are taken: the hypervisor timer's PPI. */
void timer_irq_init(void);
uint64_t timer_freq(void); /* CNTFRQ */
uint64_t ms_to_ticks(uint64_t ms);
/* Reprogram this pCPU's hardware timer for its queue (after remote inserts). */
void timer_sync_local(void);
/* Whether timer_sync_local() has work (a remote timer_set changed this
 * pCPU's queue): read without the lock, as there. */
static inline bool timer_resync_pending(void)
{
    return this_pcpu()->timer_resync;
}

#endif
