/*
 * Ticket spinlocks (fair, FIFO). Hold times are short; never sleep holding one.
 *
 * THE LOCK ORDER, for the whole hypervisor, outermost first: a pCPU holding
 * one of these locks may take only locks further down the list. This is the
 * one place it is written; other files point here. Each line: the lock, what
 * it protects, where it lives.
 *
 *  0. domctl_lock        the toolstack's domctls, one at a time, as Xen: a domain's lifecycle
 *                        (create, pause, start, destroy) and settings (xen/hc_domctl.c); only
 *                        ever tried: a busy one makes the call a continuation, so nothing
 *                        waits on it
 *  1. reap_lock          the reaper's job (one dead domain freed and rebuilt in steps);
 *                        held across each step, so everything below nests in it; only
 *                        ever tried: a pCPU finding it busy does not wait (core/domain.c)
 *  2. maptrack_lock      one domain's grant handles and the pages they map (struct
 *                        grant_table); a map or unmap takes the granter's lock under it
 *  3. grant_table.lock   one grant table's frames, active entries and mapping count, a
 *                        zombie's too; a copy takes its two sides', lower domain id first.
 *                        Domains are looked up (domain_get) before either (xen/grant_*.c)
 *  4. domlist_lock       the domain list and the domain id bitmap; domain_for_each()
 *                        callbacks run under it (core/domain.c)
 *  5. xen_dom.mem_lock   one domain's check-then-change of what its GFNs hold: the balloon
 *                        count with its pages, the shared_info GFN, vcpu_info registration,
 *                        foreign maps into it; held across stage-2 changes and foreign
 *                        unmaps (xen/xen_memory.c, xen/shared_info.c, xen/hc_memory.c)
 * 5a. domain.ram_lock    one domain's RAM chunk list while a toolstack populates it, before
 *                        it starts; lookups take it until then (core/domain_ram*.c)
 *  6. foreign_lock       foreign-map chunk references and every domain's foreign_maps
 *                        (core/foreign_map.c)
 *  7. input_lock         console input: attached domains, focus, Ctrl-a multiplexer; the
 *                        domains' receive callbacks run under it (console/console_input.c)
 *  8. vpl011.lock        one vPL011's register model and input backlog (vdev/vpl011.c)
 *  9. pvconsole.lock     one PV console's ring indices (xen/pvconsole.c)
 * 10. rx_lock            dom0's console input buffer (xen/dom0_console.c)
 * 11. registry_lock      event channels' domains by id (a lib/idtab: only mm_lock is taken
 *                        under it, for a leaf), taken holding no evtchn_lock (xen/evtchn.c)
 * 12. evtchn_lock        one domain's event channel bindings (struct xen_dom): which port
 *                        is what, bound to whom; a sender holds its own (xen/evtchn.c)
 * 13. pending_lock       delivery into one domain (struct xen_dom): pending bits, FIFO
 *                        queue tails; writers of its table take it after its evtchn_lock,
 *                        a sender the receiver's; never two at once (xen/evtchn*.c)
 * 14. vgic_hw_lock       owners of passed-through physical SPIs; held across the kick
 *                        (vdev/vgic-hw.c)
 * 15. flush_lock         the list of domains with a partial console line, its timer
 *                        (console/console.c)
 * 16. console_log.lock   one domain's console line, log ring and rate-limit bucket
 *                        (struct console_log, include/console/console.h)
 * 17. domain.lock        one domain's state and shutdown reason (struct domain,
 *                        include/core/domain.h)
 * 18. pools_lock         changes to CPU pools: creation, pCPUs, domain moves; may wait
 *                        for a pCPU to leave a pool (core/cpupool.c)
 * 19. cpupool.lock       one pool's policy state, its pCPUs' current vCPUs and the
 *                        scheduling state of its domains' vCPUs (core/sched.c); two at
 *                        once only moving a domain, the lower pool id first
 * 20. vgic_dist.lock     one domain's whole vGIC state: interrupts, pending lists, LR
 *                        records (vdev/vgic-priv.h)
 * 21. gicv2/gicv3.lock   read-modify-write of shared host GICD registers
 *                        (drivers/gic-v2.c, drivers/gic-v3.c)
 * 22. slots_lock         writers of the physical interrupt handler table
 *                        (arch/arm64/irq.c; dispatch reads it without the lock)
 * 23. timer_queue.lock   one pCPU's software timer queue, and whether each timer on it is
 *                        killed (core/timer.c)
 * 24. wc_lock            the wallclock base and its copy in shared_info (xen/wallclock.c)
 * 25. p2m.lock           one domain's stage-2 tables and its P2M pool; growing the pool
 *                        takes mm_lock under it (struct p2m, arch/arm64/p2m.c). A guest
 *                        copy whose stage-1/2 walk failed takes it (p2m_hold) to retry
 *                        the walk with no break-before-make under way, so copies to and
 *                        from guest memory are made holding nothing ranked above 25
 *                        (xen/guest_copy.c)
 * 26. vmid_lock          the VMID allocator's slow path and VMID-targeted TLB flushes
 *                        (arch/arm64/p2m.c)
 * 27. map_lock           the EL2 page tables, ioremap() (arch/arm64/mmu.c)
 * 27a. footprint last_lock  the last domain's creation record, copied in and out
 *                        under it, nothing taken inside (core/footprint.c)
 * 28. mm_lock            the page allocator's banks and the heap (core/mm.c)
 * 29. console_lock       the console's transmit ring, its writers' shares, the open line
 *                        and the UART's transmit side: printk() may be called under any
 *                        lock above; the UART's interrupt takes it holding none, after
 *                        its receive callback has returned (console/printk.c)
 * 30. conring_lock       the hypervisor log ring kept for xl dmesg; printk writes it under
 *                        console_lock, readers take it alone (console/conring.c)
 *
 * Rules that keep it so:
 *  - Callbacks run under the lock of whoever calls them (console receive
 *    callbacks under input_lock, domain_for_each() under domlist_lock): they
 *    take only locks below it.
 *  - vcpu_kick()/vcpu_wake() take a cpupool.lock: code holding a vgic_dist.lock
 *    collects the vCPUs to kick and kicks after unlocking.
 *  - Two locks of the same class (two domains' locks, two pCPUs' run queues):
 *    the one of the lower domain id (pCPU id) first, and never a third. Who
 *    takes two: timer_set() moving a timer between pCPUs (core/timer.c);
 *    binding, closing or resetting an interdomain event channel (two
 *    evtchn_locks); a grant copy between two domains (two grant_table.locks).
 *    Xen fixes an order for the same cases; it compares structure addresses,
 *    ids are stable and show in a log. Holding the higher one, the lower may
 *    be tried (spin_trylock); if it is busy, drop the higher, take both in
 *    order and look again at what led there: event channels keep the peer
 *    allocated meanwhile with a pin (xen_dom.evtchn_pins), which the peer's
 *    teardown waits out.
 *  - Interrupts: EL2 runs with IRQs masked everywhere but arch_idle_wait(),
 *    which the idle loop calls holding no lock, so an IRQ handler never
 *    interrupts a lock holder on its own pCPU and starts with nothing held
 *    (the _irqsave forms keep that true if a path ever runs with IRQs on).
 *  - Waiting counts as taking: timer_cancel() waits while the timer's
 *    callback runs on another pCPU, and callbacks take cpupool.lock,
 *    vgic_dist.lock, flush_lock, console_log.lock and console_lock (and timer
 *    queues'). So it is called holding none of those (the reaper calls it
 *    under reap_lock only); from inside a callback it does not wait
 *    (core/timer.h).
 *  - Held locks are asserted with ASSERT_HELD() (cloison/assert.h).
 */
#ifndef CLOISON_SPINLOCK_H
#define CLOISON_SPINLOCK_H

#include <cloison/types.h>

typedef struct {
    union {
        uint32_t val; /* both halves, for atomic compare-and-swap */
        struct {
            uint16_t owner; /* ticket being served */
            uint16_t next;  /* next ticket to hand out */
        };
    };
#ifdef CLOISON_DEBUG
    uint32_t holder; /* debug build: pCPU id + 1 of the holder, 0 when free */
#endif
} spinlock_t;

#ifndef CLOISON_DEBUG
_Static_assert(sizeof(spinlock_t) == 4, "a lock is one 32-bit word");
#endif

#define SPINLOCK_INIT \
    {                 \
        0             \
    }

void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
bool spin_trylock(spinlock_t *l);

/* Taken by some pCPU: all a ticket lock knows about its holder. */
static inline bool spin_is_locked(const spinlock_t *l)
{
    return READ_ONCE(l->owner) != READ_ONCE(l->next);
}

/* Held by this pCPU as far as can be told: the debug build records the
 * holder; otherwise the lock being taken at all is what can be checked. */
#ifdef CLOISON_DEBUG
bool spin_held_here(const spinlock_t *l);
#else
#define spin_held_here(l) spin_is_locked(l)
#endif

/* Lock with local IRQs masked (EL2 code may run with IRQs on only in idle). */
uint64_t spin_lock_irqsave(spinlock_t *l);
void spin_unlock_irqrestore(spinlock_t *l, uint64_t flags);

#endif
