/*
 * A simulated pool for the scheduling policies (tests/unit/test_sched_credit2.c and
 * the policies' fuzz targets): pCPUs that pick when kicked or when their
 * deadline comes, items that run for ever (burst 0) or run `burst` ns every
 * `period` ns, simulated time in ns. It checks on every pick what the
 * framework relies on (lib/sched_policy.h): the item returned is runnable,
 * allowed on that pCPU, and running on no other pCPU.
 */
#ifndef TESTS_UNIT_SCHED_SIM_H
#define TESTS_UNIT_SCHED_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <lib/sched_policy.h>

#define SIM_MAX_ITEMS 1024

struct sim_item {
    struct sched_item it;
    uint64_t burst, period; /* burst 0: never blocks */
    uint64_t first;         /* != 0: its first burst (a boot), then burst/period */
    bool booted;            /* its first burst is done (or it has none) */
    uint64_t booted_at;     /* ns */
    uint64_t left;          /* of this burst */
    uint64_t next_wake;     /* 0: none */
    uint64_t ran;           /* ns run in total */
    bool in_pool;
};

struct sim {
    const struct sched_policy *pol;
    struct sched_pool_state st;
    unsigned int ncpu;
    uint64_t now;
    struct sched_item *cur[SCHED_MAX_CPUS];
    uint64_t until[SCHED_MAX_CPUS];
    uint64_t kick;
    unsigned int nitems;
    struct sim_item items[SIM_MAX_ITEMS];
    unsigned int errors; /* broken promises seen */
    unsigned long picks;
};

static inline struct sim_item *sim_of(struct sched_item *it)
{
    return (struct sim_item *)it;
}

static inline void sim_init(struct sim *s, const struct sched_policy *pol, unsigned int ncpu)
{
    memset(s, 0, sizeof(*s));
    s->pol = pol;
    s->ncpu = ncpu;
    s->now = 1000;
    pol->init(&s->st);
    for (unsigned int c = 0; c < ncpu; c++) {
        s->st.cpus |= 1ULL << c;
        pol->cpu_add(&s->st, c, s->now, &s->kick);
    }
}

/* An item of domain d (caller-owned), not runnable yet. */
static inline struct sim_item *sim_add(struct sim *s, struct sched_dom *d, uint64_t burst,
                                       uint64_t period)
{
    struct sim_item *si = &s->items[s->nitems++];
    memset(si, 0, sizeof(*si));
    si->it.dom = d;
    si->it.vcpu_id = d->nr_items++;
    si->it.affinity = ~0ULL;
    si->it.running_on = SCHED_NO_CPU;
    si->burst = burst;
    si->period = period;
    si->booted = true;
    si->in_pool = true;
    s->pol->insert(&s->st, &si->it, s->now);
    return si;
}

static inline void sim_set_runnable(struct sim *s, struct sim_item *si, bool r)
{
    if (si->it.runnable == r || !si->in_pool)
        return;
    si->it.runnable = r;
    if (r) {
        si->left = si->booted ? si->burst : si->first;
        s->pol->wake(&s->st, &si->it, s->now, &s->kick);
    } else {
        s->pol->sleep(&s->st, &si->it, s->now, &s->kick);
    }
}

static inline void sim_pick(struct sim *s, unsigned int c)
{
    struct sched_decision d = s->pol->pick(&s->st, c, s->cur[c], s->now);
    s->picks++;
    s->kick |= s->st.kick;
    s->st.kick = 0;
    if (d.next) {
        if (!d.next->runnable || !(d.next->affinity & (1ULL << c)) || !(s->st.cpus & (1ULL << c)))
            s->errors++;
        for (unsigned int o = 0; o < s->ncpu; o++)
            if (o != c && s->cur[o] == d.next)
                s->errors++;
    }
    if (d.until && d.until <= s->now)
        d.until = s->now + 1; /* a deadline now: look again at once */
    s->cur[c] = d.next;
    s->until[c] = d.until;
}

/* Kicked pCPUs pick, until none is kicked (bounded: a policy that kicks
 * for ever is an error). */
static inline void sim_settle(struct sim *s)
{
    for (int rounds = 0; s->kick; rounds++) {
        if (rounds > 1000) {
            s->errors++;
            s->kick = 0;
            break;
        }
        uint64_t k = s->kick;
        s->kick = 0;
        for (unsigned int c = 0; c < s->ncpu; c++)
            if (k & (1ULL << c))
                sim_pick(s, c);
    }
}

/* Run until `end`. */
static inline void sim_run(struct sim *s, uint64_t end)
{
    while (s->now < end) {
        for (unsigned int i = 0; i < s->nitems; i++) {
            struct sim_item *si = &s->items[i];
            if (si->in_pool && !si->it.runnable && si->next_wake && si->next_wake <= s->now) {
                si->next_wake = 0;
                sim_set_runnable(s, si, true);
            }
        }
        sim_settle(s);
        for (unsigned int c = 0; c < s->ncpu; c++)
            if (s->until[c] && s->until[c] <= s->now)
                sim_pick(s, c);
        sim_settle(s);
        uint64_t next = end;
        for (unsigned int c = 0; c < s->ncpu; c++) {
            if (s->until[c] && s->until[c] < next)
                next = s->until[c];
            struct sched_item *it = s->cur[c];
            struct sim_item *si = it ? sim_of(it) : NULL;
            bool limited = si && (si->booted ? si->burst != 0 : si->first != 0);
            if (limited && s->now + si->left < next)
                next = s->now + si->left;
        }
        for (unsigned int i = 0; i < s->nitems; i++)
            if (s->items[i].next_wake && s->items[i].next_wake < next)
                next = s->items[i].next_wake;
        if (next <= s->now)
            next = s->now + 1;
        uint64_t dt = next - s->now;
        s->now = next;
        for (unsigned int c = 0; c < s->ncpu; c++) {
            struct sched_item *it = s->cur[c];
            if (!it)
                continue;
            struct sim_item *si = sim_of(it);
            si->ran += dt;
            if (si->booted ? si->burst != 0 : si->first != 0) {
                si->left = si->left > dt ? si->left - dt : 0;
                if (!si->left && !si->booted) {
                    si->booted = true;
                    si->booted_at = s->now;
                    si->left = si->burst;
                    if (!si->burst)
                        continue; /* a hog from now on */
                }
                if (!si->left && si->it.runnable) {
                    /* Its burst is done: it blocks until its next period. */
                    uint64_t w = si->period;
                    si->next_wake = s->now + (w > si->burst ? w - si->burst : 1);
                    sim_set_runnable(s, si, false);
                }
            }
        }
    }
}

#endif
