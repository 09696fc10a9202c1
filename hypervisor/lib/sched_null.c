/*
 * The null policy (Xen's `null` scheduler): each item owns one pCPU of its
 * affinity for as long as it stays in the pool, whether it runs or blocks,
 * and nothing else ever runs there. No time slicing: pick() returns the
 * owner with no deadline (until = 0), so its pCPU takes no scheduler tick.
 *
 * An item that finds no free pCPU in its affinity waits in the pool's FIFO
 * wait list, and gets the first pCPU that frees and that it may use (an
 * owner removed or moved away, a pCPU added): the oldest waiter that fits
 * wins. A pCPU whose owner blocks idles. Placement takes the lowest free
 * pCPU of the affinity, so the assignment is deterministic.
 *
 * An item is placed at its first wake (Xen: at insert if its vCPU is up,
 * else when it comes up), so a secondary vCPU its guest never starts takes
 * no pCPU. Where Xen differs: Xen gives a vCPU that goes offline later
 * (PSCI CPU_OFF) its pCPU back; the framework reports only `runnable`, so
 * here it keeps its pCPU until it leaves the pool. Xen prefers soft
 * affinity when placing; Cloison has only hard affinity.
 */
#include <lib/sched_null.h>

static uint64_t bit(unsigned int cpu)
{
    return 1ULL << cpu;
}

static int lowest(uint64_t mask)
{
    return mask ? __builtin_ctzll(mask) : SCHED_NO_CPU;
}

/* pCPUs of `pool` that nobody owns. */
static uint64_t free_cpus(const struct sched_pool_state *p, uint64_t pool)
{
    uint64_t m = 0;
    for (uint64_t left = pool; left; left &= left - 1) {
        unsigned int c = (unsigned int)__builtin_ctzll(left);
        if (!p->u.null.owner[c])
            m |= bit(c);
    }
    return m;
}

static void wait_push(struct sched_pool_state *p, struct sched_item *it)
{
    struct sched_null_item *n = &it->u.null;
    n->w_next = NULL;
    n->w_prev = p->u.null.w_tail;
    if (p->u.null.w_tail)
        p->u.null.w_tail->u.null.w_next = it;
    else
        p->u.null.w_head = it;
    p->u.null.w_tail = it;
    n->waiting = true;
}

static void wait_del(struct sched_pool_state *p, struct sched_item *it)
{
    struct sched_null_item *n = &it->u.null;
    if (n->w_prev)
        n->w_prev->u.null.w_next = n->w_next;
    else
        p->u.null.w_head = n->w_next;
    if (n->w_next)
        n->w_next->u.null.w_prev = n->w_prev;
    else
        p->u.null.w_tail = n->w_prev;
    n->w_next = n->w_prev = NULL;
    n->waiting = false;
}

static void assign(struct sched_pool_state *p, struct sched_item *it, unsigned int cpu,
                   uint64_t *kick)
{
    p->u.null.owner[cpu] = it;
    it->u.null.cpu = (int)cpu;
    if (kick)
        *kick |= bit(cpu);
}

/* `cpu` (in `pool`) is free: the oldest waiter that may use it takes it. */
static void hand_over(struct sched_pool_state *p, unsigned int cpu, uint64_t *kick)
{
    for (struct sched_item *w = p->u.null.w_head; w; w = w->u.null.w_next) {
        if (w->affinity & bit(cpu)) {
            wait_del(p, w);
            assign(p, w, cpu, kick);
            return;
        }
    }
}

/* `it` (owning nothing, not waiting) takes the lowest free pCPU of its
 * affinity within `pool`, or waits at the tail. */
static void place(struct sched_pool_state *p, struct sched_item *it, uint64_t pool, uint64_t *kick)
{
    int c = lowest(free_cpus(p, pool) & it->affinity);
    if (c == SCHED_NO_CPU)
        wait_push(p, it);
    else
        assign(p, it, (unsigned int)c, kick);
}

/* `it` gives up the pCPU it owns, which goes to the oldest fitting waiter. */
static void release(struct sched_pool_state *p, struct sched_item *it, uint64_t *kick)
{
    unsigned int cpu = (unsigned int)it->u.null.cpu;
    p->u.null.owner[cpu] = NULL;
    it->u.null.cpu = SCHED_NO_CPU;
    *kick |= bit(cpu); /* it may be running there: it stops at this pick() */
    hand_over(p, cpu, kick);
}

static void null_init(struct sched_pool_state *p)
{
    for (unsigned int c = 0; c < SCHED_MAX_CPUS; c++)
        p->u.null.owner[c] = NULL;
    p->u.null.w_head = p->u.null.w_tail = NULL;
}

static void null_cpu_add(struct sched_pool_state *p, unsigned int cpu, uint64_t now, uint64_t *kick)
{
    (void)now;
    if (cpu >= SCHED_MAX_CPUS)
        return;
    p->u.null.owner[cpu] = NULL;
    *kick |= bit(cpu);
    hand_over(p, cpu, kick);
}

static void null_cpu_remove(struct sched_pool_state *p, unsigned int cpu, uint64_t now,
                            uint64_t *kick)
{
    (void)now;
    if (cpu >= SCHED_MAX_CPUS)
        return;
    struct sched_item *it = p->u.null.owner[cpu];
    p->u.null.owner[cpu] = NULL;
    if (!it)
        return;
    it->u.null.cpu = SCHED_NO_CPU;
    if (it->running_on == (int)cpu)
        it->running_on = SCHED_NO_CPU; /* the framework stopped it there first */
    /* Moved like Xen's migration: a free pCPU, else the tail of the wait list. */
    place(p, it, p->cpus & ~bit(cpu), kick);
}

static void null_insert(struct sched_pool_state *p, struct sched_item *it, uint64_t now)
{
    (void)p;
    (void)now;
    it->running_on = SCHED_NO_CPU;
    it->u.null.cpu = SCHED_NO_CPU;
    it->u.null.w_next = it->u.null.w_prev = NULL;
    it->u.null.waiting = false;
    /* Placed at its first wake: a vCPU that never comes up (a secondary
     * left off by its guest) takes no pCPU, as Xen leaves offline units
     * unassigned. */
}

static void null_remove(struct sched_pool_state *p, struct sched_item *it, uint64_t now,
                        uint64_t *kick)
{
    (void)now;
    if (it->u.null.waiting)
        wait_del(p, it);
    else if (it->u.null.cpu != SCHED_NO_CPU)
        release(p, it, kick);
}

static void null_wake(struct sched_pool_state *p, struct sched_item *it, uint64_t now,
                      uint64_t *kick)
{
    (void)now;
    if (it->u.null.cpu != SCHED_NO_CPU)
        *kick |= bit((unsigned int)it->u.null.cpu);
    else if (!it->u.null.waiting)
        place(p, it, p->cpus, kick); /* its first wake */
}

static void null_sleep(struct sched_pool_state *p, struct sched_item *it, uint64_t now,
                       uint64_t *kick)
{
    (void)p;
    (void)now;
    if (it->running_on != SCHED_NO_CPU)
        *kick |= bit((unsigned int)it->running_on);
}

static void null_affinity(struct sched_pool_state *p, struct sched_item *it, uint64_t now,
                          uint64_t *kick)
{
    (void)now;
    if (it->u.null.cpu != SCHED_NO_CPU) {
        if (it->affinity & bit((unsigned int)it->u.null.cpu))
            return; /* its pCPU is still allowed: it keeps it */
        release(p, it, kick);
        place(p, it, p->cpus, kick);
        return;
    }
    if (!it->u.null.waiting)
        return; /* not in the pool */
    int c = lowest(free_cpus(p, p->cpus) & it->affinity);
    if (c != SCHED_NO_CPU) {
        wait_del(p, it);
        assign(p, it, (unsigned int)c, kick);
    }
}

static struct sched_decision null_pick(struct sched_pool_state *p, unsigned int cpu,
                                       struct sched_item *prev, uint64_t now)
{
    (void)now;
    struct sched_decision d = {NULL, 0};
    if (prev && prev->running_on == (int)cpu) {
        prev->running_on = SCHED_NO_CPU;
        /* Moved away while it ran here: its new pCPU may take it now. */
        int o = prev->u.null.cpu;
        if (o != SCHED_NO_CPU && o != (int)cpu)
            p->kick |= bit((unsigned int)o);
    }
    if (cpu >= SCHED_MAX_CPUS || !(p->cpus & bit(cpu)))
        return d;
    struct sched_item *o = p->u.null.owner[cpu];
    if (!o) {
        /* Normally handed over when it freed; this keeps a free pCPU from
         * idling beside a waiter whatever the order of calls. */
        hand_over(p, cpu, NULL);
        o = p->u.null.owner[cpu];
    }
    if (!o || !o->runnable)
        return d;
    if (o->running_on != SCHED_NO_CPU && o->running_on != (int)cpu)
        return d; /* still being switched out where it ran: that pick() kicks us */
    o->running_on = (int)cpu;
    d.next = o;
    return d;
}

static void null_dom_params(struct sched_pool_state *p, struct sched_dom *d, uint64_t now,
                            uint64_t *kick)
{
    (void)p;
    (void)d;
    (void)now;
    (void)kick; /* null has no weights or caps */
}

struct sched_item *sched_null_owner(const struct sched_pool_state *p, unsigned int cpu)
{
    return cpu < SCHED_MAX_CPUS ? p->u.null.owner[cpu] : NULL;
}

struct sched_item *sched_null_first_waiting(const struct sched_pool_state *p)
{
    return p->u.null.w_head;
}

struct sched_item *sched_null_next_waiting(const struct sched_item *it)
{
    return it->u.null.w_next;
}

int sched_null_cpu_of(const struct sched_item *it)
{
    return it->u.null.cpu;
}

const struct sched_policy sched_null = {
    .name = "null",
    .xen_id = 9, /* XEN_SCHEDULER_NULL */
    .init = null_init,
    .cpu_add = null_cpu_add,
    .cpu_remove = null_cpu_remove,
    .insert = null_insert,
    .remove = null_remove,
    .wake = null_wake,
    .sleep = null_sleep,
    .affinity = null_affinity,
    .pick = null_pick,
    .dom_params = null_dom_params,
};
