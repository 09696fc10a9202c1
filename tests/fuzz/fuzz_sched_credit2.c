/*
 * libFuzzer: lib/sched_credit2.c on random sequences of what the framework
 * (core/sched.c) asks of a policy: items waking and sleeping, picks on any
 * pCPU, time passing, affinity, weight and cap changes, items leaving and
 * joining, pCPUs leaving and joining the pool. Each 3-byte op is one call.
 * Checked after every pick: the item returned is runnable, allowed there,
 * running on no other pCPU, and the pCPU is in the pool; a pCPU leaving
 * gets no item; and no pCPU idles while an item that may run anywhere and
 * has no cap waits (no lost wake-up).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lib/sched_policy.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NCPU 4
#define NDOM 4
#define NITEM 12

static struct sched_pool_state st;
static struct sched_dom doms[NDOM];
static struct sched_item items[NITEM];
static bool in_pool[NITEM];
static struct sched_item *cur[NCPU];
static uint64_t now;

static const struct sched_policy *pol = &sched_credit2;

/* A broken promise: say which, then crash (libFuzzer keeps the input). */
#define FAIL(why)                                         \
    do {                                                  \
        fprintf(stderr, "fuzz_sched_credit2: %s\n", why); \
        abort();                                          \
    } while (0)

static int running_on(const struct sched_item *it)
{
    for (int c = 0; c < NCPU; c++)
        if (cur[c] == it)
            return c;
    return -1;
}

static void pick(unsigned int c)
{
    struct sched_decision d = pol->pick(&st, c, cur[c], now);
    st.kick = 0;
    bool member = st.cpus & (1ULL << c);
    if (d.next) {
        if (!member)
            FAIL("an item for a pCPU out of the pool");
        if (!d.next->runnable)
            FAIL("an item not runnable");
        /* (An affinity with no pCPU of the pool is broken, as Xen does.) */
        if (!(d.next->affinity & (1ULL << c)) && (d.next->affinity & st.cpus))
            FAIL("an item outside its affinity");
        for (int o = 0; o < NCPU; o++)
            if (o != (int)c && cur[o] == d.next)
                FAIL("an item running on another pCPU");
        if (d.next->running_on != (int)c)
            FAIL("running_on not the pCPU");
    } else if (member) {
        /* Idle: nothing that may run here without limit may be waiting. */
        for (int i = 0; i < NITEM; i++) {
            struct sched_item *it = &items[i];
            if (in_pool[i] && it->runnable && running_on(it) < 0 && it != cur[c] &&
                (it->affinity & st.cpus) == st.cpus && !it->dom->cap)
                FAIL("idle while an item waits");
        }
    }
    cur[c] = d.next;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    memset(&st, 0, sizeof(st));
    memset(cur, 0, sizeof(cur));
    now = 1000;
    pol->init(&st);
    uint64_t kick = 0;
    for (unsigned int c = 0; c < NCPU; c++) {
        st.cpus |= 1ULL << c;
        pol->cpu_add(&st, c, now, &kick);
    }
    for (int d = 0; d < NDOM; d++)
        doms[d] = (struct sched_dom){.domid = (uint16_t)d, .weight = 256};
    for (int i = 0; i < NITEM; i++) {
        memset(&items[i], 0, sizeof(items[i]));
        items[i].dom = &doms[i % NDOM];
        items[i].vcpu_id = (unsigned int)(i / NDOM);
        items[i].affinity = ~0ULL;
        pol->insert(&st, &items[i], now);
        in_pool[i] = true;
    }
    for (size_t k = 0; k + 3 <= size; k += 3) {
        uint8_t op = data[k] % 10, a = data[k + 1], b = data[k + 2];
        if (getenv("FUZZ_TRACE"))
            fprintf(stderr, "op %u a %u b %u (item %u cpu %u) cpus %lx\n", op, a, b, a % NITEM,
                    b % NCPU, (unsigned long)st.cpus);
        struct sched_item *it = &items[a % NITEM];
        bool in = in_pool[a % NITEM];
        unsigned int c = b % NCPU;
        switch (op) {
        case 0: /* wake */
            if (in && !it->runnable) {
                it->runnable = true;
                pol->wake(&st, it, now, &kick);
            }
            break;
        case 1: /* sleep */
            if (in && it->runnable) {
                it->runnable = false;
                pol->sleep(&st, it, now, &kick);
            }
            break;
        case 2:
            pick(c);
            break;
        case 3: /* time passes: up to ~26 ms */
            now += (uint64_t)(a * 256 + b) * 400;
            break;
        case 4: /* affinity: a non-empty mask */
            if (in) {
                uint64_t m = (b & 0xf) ? (uint64_t)(b & 0xf) : ~0ULL;
                it->affinity = m;
                pol->affinity(&st, it, now, &kick);
            }
            break;
        case 5: { /* weight, cap */
            struct sched_dom *d = &doms[a % NDOM];
            d->weight = (uint16_t)(1 + b * 37);
            d->cap = (b & 0x80) ? (uint16_t)(b & 0x7f) : 0;
            pol->dom_params(&st, d, now, &kick);
            break;
        }
        case 6: /* leaves the pool: not runnable, not running (as the framework) */
            if (in && running_on(it) < 0) {
                if (it->runnable) {
                    it->runnable = false;
                    pol->sleep(&st, it, now, &kick);
                }
                pol->remove(&st, it, now, &kick);
                in_pool[a % NITEM] = false;
            }
            break;
        case 7: /* joins it again */
            if (!in) {
                it->runnable = false;
                pol->insert(&st, it, now);
                in_pool[a % NITEM] = true;
            }
            break;
        case 8: /* a pCPU leaves: out of cpus, then its pick, then cpu_remove */
            if ((st.cpus & (1ULL << c)) && (st.cpus & ~(1ULL << c))) {
                st.cpus &= ~(1ULL << c);
                pick(c);
                if (cur[c])
                    FAIL("an item for a leaving pCPU");
                pol->cpu_remove(&st, c, now, &kick);
            }
            break;
        case 9: /* and joins */
            if (!(st.cpus & (1ULL << c))) {
                st.cpus |= 1ULL << c;
                pol->cpu_add(&st, c, now, &kick);
            }
            break;
        }
        /* Kicked pCPUs pick now (as the framework's SGIs make them). */
        for (int round = 0; kick && round < 4; round++) {
            uint64_t kk = kick;
            kick = 0;
            for (unsigned int x = 0; x < NCPU; x++)
                if ((kk >> x) & 1)
                    pick(x);
        }
        kick = 0;
    }
    return 0;
}
