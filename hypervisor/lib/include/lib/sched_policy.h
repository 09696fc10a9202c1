/*
 * Scheduling policies: the decisions, and nothing else.
 *
 * A policy (credit2, null, ARINC 653) sees vCPUs as sched_items, domains as
 * sched_doms and pCPUs as numbers. It takes no lock, arms no timer, touches
 * no register and allocates nothing: core/sched.c (the framework) calls it
 * under the pool's lock with the time now (ns, monotonic) and carries out
 * what it decides (which item a pCPU runs next and until when, which pCPUs
 * to kick). That keeps every policy pure logic, built for the host and
 * tested there (tests/unit/test_sched_*.c) and fuzzed on its inputs, with
 * the concurrency in one place, the framework.
 *
 * Ownership of the fields below: the framework writes `dom`, `vcpu_id`,
 * `affinity`, `runnable` and `yielded` before the call that reports the
 * change; the policy never writes them. Only the policy touches its own union member.
 *
 * An item is running on at most one pCPU. After pick() returned it on pCPU
 * c, the framework reports it back as `prev` to the next pick() on c, and
 * pick() on any other pCPU must not return it until then (the policy knows
 * it is running: it was not put back in any queue).
 *
 * A pCPU leaves its pool in two steps, both on that pCPU under the lock: the
 * framework takes it out of `cpus` first, then calls pick() there, which
 * takes prev back (into a queue if runnable) and returns no item, then
 * cpu_remove().
 */
#ifndef LIB_SCHED_POLICY_H
#define LIB_SCHED_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lib/pheap.h>

#define SCHED_MAX_CPUS 64 /* cpu masks are uint64_t: bit c = pCPU c */
#define SCHED_NO_CPU (-1)

struct sched_item;

/* Per-domain data the policies read (embedded in struct domain). */
struct sched_dom {
    uint16_t domid;
    uint8_t handle[16]; /* Xen's domain handle (UUID): ARINC 653 windows name domains by it */
    uint16_t weight;    /* credit2: relative share, 1..65535 (Xen's default 256) */
    uint16_t cap;       /* credit2: % of one pCPU the whole domain may use, 0 = none */
    unsigned int nr_items;
    union {
        struct {
            int64_t budget;            /* ns left in this cap period (cap != 0) */
            uint64_t period_start;     /* ns */
            struct pheap_node repl;    /* in the pool's replenish heap while parked */
            struct sched_item *parked; /* its items out of budget (parked_next) */
            bool waiting;              /* repl is in the heap */
        } credit2;
    } u;
};

/* Policy-private state of one vCPU. Each policy owns its member. */
struct sched_credit2_item {
    int64_t credit;                 /* ns of fair-share time in hand, less the pool's base */
    uint64_t start;                 /* ns it got its pCPU (rate limit) */
    uint64_t charged;               /* ns up to which its run time is charged */
    struct pheap_node node;         /* in a run queue while queued */
    struct sched_item *parked_next; /* on its domain's parked list */
    int16_t queue;                  /* -1: none; SCHED_MAX_CPUS: the pool's; else a pCPU's */
    bool parked;                    /* out of budget (cap): not queued until replenished */
    bool partial;                   /* in the pool's queue with an affinity short of every pCPU */
    bool woke;                      /* queued by a wake-up (no switch resistance against it) */
};

struct sched_null_item {
    int cpu;                            /* pCPU it owns, SCHED_NO_CPU if waiting */
    struct sched_item *w_next, *w_prev; /* the pool's wait list */
    bool waiting;
};

struct sched_arinc653_item {
    struct sched_item *next; /* the pool's items: a new schedule looks its windows up there */
};

/* One vCPU as a policy sees it (embedded in struct vcpu). */
struct sched_item {
    struct sched_dom *dom;
    unsigned int vcpu_id;
    /* pCPUs it may run on: hard affinity within the pool's (none of the
     * pool's, after a pCPU left: any of them, Xen's broken affinity) */
    uint64_t affinity;
    bool runnable;  /* wants a pCPU: not blocked, paused, off or dead */
    bool yielded;   /* SCHEDOP_yield since its pCPU last picked: read by that pick() */
    int running_on; /* written by the policy: pick() returned it here, SCHED_NO_CPU */
    union {
        struct sched_credit2_item credit2;
        struct sched_null_item null;
        struct sched_arinc653_item arinc653;
    } u;
};

/* What a pCPU does next. */
struct sched_decision {
    struct sched_item *next; /* NULL: idle */
    uint64_t until; /* ns: call pick() again no later than this; 0 = no deadline (no tick) */
};

/* Policy-private state of one pool (embedded in struct cpupool). */
#define ARINC653_MAX_WINDOWS 64 /* Xen's ARINC653_MAX_DOMAINS_PER_SCHEDULE */
#define ARINC653_BY_HANDLE 0xffffffffU
struct arinc653_window {
    uint8_t dom_handle[16];
    unsigned int vcpu_id;
    uint64_t runtime; /* ns */
    /* ARINC653_BY_HANDLE: the window names its domain by dom_handle (Xen's
     * sysctl); else by this domain id (the device tree, where dom0less
     * domains all have the zero handle). */
    uint32_t domid;
};
struct sched_pool_state {
    uint64_t cpus; /* pCPUs of the pool (framework-owned) */
    /* pick() may add pCPUs that must pick again here (it has no kick
     * argument); the framework kicks them after the call and clears it. */
    uint64_t kick;
    union {
        struct {
            /* Runnable items not running, most credit first: those that may
             * run on every pCPU of the pool in runq, the others (pinned to
             * part of it) at their home pCPU. */
            struct pheap runq;
            struct pheap cpu_runq[SCHED_MAX_CPUS];
            struct pheap repl;     /* capped domains parked, by replenish time */
            int64_t base;          /* credit every item gained from resets */
            uint64_t ratelimit_ns; /* minimum time a vCPU runs before preemption */
            uint64_t tickled;      /* pCPUs kicked to pick, not yet picked */
            uint64_t untimed;      /* pCPUs running with no deadline */
            unsigned int partial;  /* items in runq whose affinity is not every pCPU */
            struct sched_item *running[SCHED_MAX_CPUS];
        } credit2;
        struct {
            struct sched_item *owner[SCHED_MAX_CPUS]; /* item assigned to each pCPU */
            struct sched_item *w_head, *w_tail;       /* items with no pCPU, in order */
        } null;
        struct {
            uint64_t major_frame; /* ns; 0 = no schedule: every pCPU idles */
            uint64_t frame_start; /* ns: start of the current major frame */
            unsigned int nr_windows;
            struct arinc653_window windows[ARINC653_MAX_WINDOWS];
            struct sched_item *items[ARINC653_MAX_WINDOWS]; /* window -> item, NULL if absent */
            struct sched_item *all; /* every item of the pool (sched_arinc653_item.next) */
        } arinc653;
    } u;
};

/*
 * A policy. Every call is made under the pool's lock; `now` never goes
 * backwards. `kick` (where given) collects the pCPUs that must call pick()
 * again soon (the framework sends them an SGI); a policy only adds bits.
 */
struct sched_policy {
    const char *name; /* Xen's name, for sched= and cpupool-sched: "credit2", "null", "arinc653" */
    unsigned int xen_id; /* XEN_SCHEDULER_* */
    void (*init)(struct sched_pool_state *p);
    /* pCPU joins or leaves the pool (an item running there was reported as
     * prev to a pick() first; on remove, the policy moves whatever it kept
     * there elsewhere and kicks). */
    void (*cpu_add)(struct sched_pool_state *p, unsigned int cpu, uint64_t now, uint64_t *kick);
    void (*cpu_remove)(struct sched_pool_state *p, unsigned int cpu, uint64_t now, uint64_t *kick);
    /* Item joins the pool (not runnable yet) or leaves it (not running). */
    void (*insert)(struct sched_pool_state *p, struct sched_item *it, uint64_t now);
    void (*remove)(struct sched_pool_state *p, struct sched_item *it, uint64_t now, uint64_t *kick);
    /* runnable became true / false (it may be running: it stops at its
     * pCPU's next pick(), which the policy kicks). */
    void (*wake)(struct sched_pool_state *p, struct sched_item *it, uint64_t now, uint64_t *kick);
    void (*sleep)(struct sched_pool_state *p, struct sched_item *it, uint64_t now, uint64_t *kick);
    /* affinity changed. */
    void (*affinity)(struct sched_pool_state *p, struct sched_item *it, uint64_t now,
                     uint64_t *kick);
    /* pCPU `cpu` chooses what to run: prev is what it ran until now (NULL:
     * idle), runnable or not. */
    struct sched_decision (*pick)(struct sched_pool_state *p, unsigned int cpu,
                                  struct sched_item *prev, uint64_t now);
    /* A domain's weight or cap changed. */
    void (*dom_params)(struct sched_pool_state *p, struct sched_dom *d, uint64_t now,
                       uint64_t *kick);
};

extern const struct sched_policy sched_credit2;
extern const struct sched_policy sched_null;
extern const struct sched_policy sched_arinc653;

/* By Xen's name or id; NULL if Cloison has no such scheduler. */
const struct sched_policy *sched_policy_by_name(const char *name);
const struct sched_policy *sched_policy_by_id(unsigned int xen_id);

#endif
