/*
 * A simulated framework for the scheduling policies (lib/sched_policy.h),
 * shared by their unit tests and fuzzers: one pool of pCPUs, simulated time,
 * what each pCPU runs (`cur`, reported back as prev), and kicks carried out
 * at once by a pick() on each kicked pCPU, lowest first. It keeps the
 * framework's side of the contract: it writes runnable/affinity before the
 * call that reports them, and removes an item only once it runs nowhere.
 */
#ifndef TESTS_UNIT_POLICY_SIM_H
#define TESTS_UNIT_POLICY_SIM_H

#include <stdbool.h>
#include <string.h>
#include <lib/sched_policy.h>

struct psim {
    const struct sched_policy *pol;
    struct sched_pool_state p;
    uint64_t now;
    struct sched_item *cur[SCHED_MAX_CPUS];
    struct sched_decision dec[SCHED_MAX_CPUS];
    unsigned int picks[SCHED_MAX_CPUS]; /* pick() calls per pCPU */
    bool stuck;             /* a deadline not after the time it was set at (a livelock) */
    unsigned int depth;     /* picks kicked by picks, nested */
    unsigned int max_picks; /* psim_advance: 0 = every deadline; else at most this many */
};

static inline void psim_kick(struct psim *s, uint64_t kick);

/* pick() on cpu; the pCPUs it asks to pick (p.kick) pick after it. */
static inline void psim_pick(struct psim *s, unsigned int cpu)
{
    s->dec[cpu] = s->pol->pick(&s->p, cpu, s->cur[cpu], s->now);
    s->cur[cpu] = s->dec[cpu].next;
    s->picks[cpu]++;
    uint64_t k = s->p.kick;
    s->p.kick = 0;
    if (k && ++s->depth < 64)
        psim_kick(s, k);
    else if (k)
        s->stuck = true; /* kicks that never settle */
    if (k)
        s->depth--;
}

static inline void psim_kick(struct psim *s, uint64_t kick)
{
    for (; kick; kick &= kick - 1)
        psim_pick(s, (unsigned int)__builtin_ctzll(kick));
}

static inline void psim_cpu_add(struct psim *s, unsigned int cpu)
{
    uint64_t kick = 0;
    s->p.cpus |= 1ULL << cpu;
    s->pol->cpu_add(&s->p, cpu, s->now, &kick);
    psim_kick(s, kick);
}

/* As the framework does it: the pCPU leaves `cpus`, picks there (prev
 * comes back, nothing runs), then cpu_remove(). */
static inline void psim_cpu_remove(struct psim *s, unsigned int cpu)
{
    uint64_t kick = 0;
    s->p.cpus &= ~(1ULL << cpu);
    psim_pick(s, cpu);
    s->cur[cpu] = NULL;
    s->dec[cpu].until = 0;
    s->pol->cpu_remove(&s->p, cpu, s->now, &kick);
    psim_kick(s, kick & ~(1ULL << cpu));
}

static inline void psim_init(struct psim *s, const struct sched_policy *pol, uint64_t cpus)
{
    memset(s, 0, sizeof(*s));
    s->pol = pol;
    pol->init(&s->p);
    for (unsigned int c = 0; c < SCHED_MAX_CPUS; c++)
        if (cpus & (1ULL << c))
            psim_cpu_add(s, c);
}

static inline void psim_item(struct sched_item *it, struct sched_dom *d, unsigned int vcpu,
                             uint64_t affinity)
{
    memset(it, 0, sizeof(*it));
    it->dom = d;
    it->vcpu_id = vcpu;
    it->affinity = affinity;
    it->running_on = SCHED_NO_CPU;
}

static inline void psim_insert(struct psim *s, struct sched_item *it)
{
    s->pol->insert(&s->p, it, s->now);
}

static inline void psim_wake(struct psim *s, struct sched_item *it)
{
    uint64_t kick = 0;
    it->runnable = true;
    s->pol->wake(&s->p, it, s->now, &kick);
    psim_kick(s, kick);
}

static inline void psim_sleep(struct psim *s, struct sched_item *it)
{
    uint64_t kick = 0;
    it->runnable = false;
    s->pol->sleep(&s->p, it, s->now, &kick);
    psim_kick(s, kick);
}

static inline void psim_affinity(struct psim *s, struct sched_item *it, uint64_t aff)
{
    uint64_t kick = 0;
    it->affinity = aff;
    s->pol->affinity(&s->p, it, s->now, &kick);
    psim_kick(s, kick);
}

/* Put to sleep (switched out wherever it runs), then out of the pool. */
static inline void psim_remove(struct psim *s, struct sched_item *it)
{
    uint64_t kick = 0;
    if (it->runnable)
        psim_sleep(s, it);
    for (unsigned int c = 0; c < SCHED_MAX_CPUS; c++)
        if (s->cur[c] == it)
            psim_pick(s, c);
    s->pol->remove(&s->p, it, s->now, &kick);
    psim_kick(s, kick);
}

/* Time moves to `t`: every pCPU whose deadline passed picks again, in
 * deadline order, each at its own deadline (as its timer would fire). */
static inline void psim_advance(struct psim *s, uint64_t t)
{
    for (unsigned int n = 0;; n++) {
        if (s->max_picks && n >= s->max_picks)
            break; /* the rest comes late: the pCPUs pick next at t */
        int first = -1;
        for (unsigned int c = 0; c < SCHED_MAX_CPUS; c++)
            if ((s->p.cpus >> c & 1) && s->dec[c].until && s->dec[c].until <= t &&
                (first < 0 || s->dec[c].until < s->dec[first].until))
                first = (int)c;
        if (first < 0)
            break;
        if (s->dec[first].until > s->now)
            s->now = s->dec[first].until;
        psim_pick(s, (unsigned int)first);
        if (s->dec[first].until && s->dec[first].until <= s->now) {
            s->stuck = true;
            break;
        }
    }
    if (t > s->now)
        s->now = t;
}

/* The pCPU running `it`, -1 if none. */
static inline int psim_where(const struct psim *s, const struct sched_item *it)
{
    for (unsigned int c = 0; c < SCHED_MAX_CPUS; c++)
        if (s->cur[c] == it)
            return (int)c;
    return -1;
}

#endif
