/*
 * libFuzzer: lib/sched_null.c on random operation sequences through the
 * simulated framework (tests/unit/policy_sim.h). Bytes 0-1: the pool's
 * pCPUs (of 0..15); then 3-byte ops on 12 item slots: insert, remove, wake,
 * sleep, set affinity, add or remove a pCPU, let time pass, a spurious
 * pick(). After every op (and the picks its kicks caused): each item in
 * the pool that was ever woken owns exactly one pCPU of its affinity and
 * of the pool, or waits exactly once in a well-formed list (one never woken
 * does neither); no pCPU has two owners; no waiter
 * could use a free pCPU (it would have got it); a pCPU runs only its own
 * runnable owner, with no deadline; every runnable owner runs, so no kick
 * was forgotten.
 */
#include <stdint.h>
#include <stdlib.h>
#include "policy_sim.h"
#include <lib/sched_null.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NSLOT 12
#define NCPU 16

static struct psim sim;
static struct sched_dom dom;
static struct sched_item it[NSLOT];
static bool in_pool[NSLOT], woken[NSLOT];

#define MUST(c)      \
    do {             \
        if (!(c))    \
            abort(); \
    } while (0)

static void check_wait_list(unsigned int *count)
{
    struct sched_item *prev = NULL;
    *count = 0;
    for (struct sched_item *w = sim.p.u.null.w_head; w; w = w->u.null.w_next) {
        MUST(w->u.null.waiting && w->u.null.w_prev == prev && w->u.null.cpu == SCHED_NO_CPU);
        MUST(++*count <= NSLOT);
        prev = w;
    }
    MUST(sim.p.u.null.w_tail == prev);
}

static void check(void)
{
    uint64_t pool = sim.p.cpus, free = 0;
    unsigned int listed, waiting = 0;
    check_wait_list(&listed);
    for (unsigned int c = 0; c < SCHED_MAX_CPUS; c++) {
        struct sched_item *o = sched_null_owner(&sim.p, c);
        if (!(pool >> c & 1)) {
            MUST(!o && !sim.cur[c]);
            continue;
        }
        if (!o)
            free |= 1ULL << c;
        else
            MUST(o->u.null.cpu == (int)c && in_pool[o - it]);
        struct sched_item *r = sim.cur[c];
        MUST(!r || (r == o && r->runnable && r->running_on == (int)c));
        MUST(!r || sim.dec[c].until == 0);
        if (o && o->runnable)
            MUST(r == o); /* every kick it needed was given */
        MUST(!sim.stuck);
    }
    for (unsigned int i = 0; i < NSLOT; i++) {
        if (!in_pool[i])
            continue;
        if (!woken[i]) {
            MUST(!it[i].u.null.waiting && it[i].u.null.cpu == SCHED_NO_CPU);
            continue; /* never woken: placed at its first wake */
        }
        if (it[i].u.null.waiting) {
            waiting++;
            MUST(!(it[i].affinity & free)); /* it would have had that pCPU */
            MUST(it[i].running_on == SCHED_NO_CPU || sim.cur[it[i].running_on] != &it[i]);
        } else {
            int c = it[i].u.null.cpu;
            MUST(c >= 0 && sched_null_owner(&sim.p, (unsigned int)c) == &it[i]);
            MUST(it[i].affinity >> c & 1);
        }
    }
    MUST(waiting == listed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    uint64_t cpus = (uint64_t)data[0] | (uint64_t)data[1] << 8;
    psim_init(&sim, &sched_null, cpus);
    memset(&dom, 0, sizeof(dom));
    memset(in_pool, 0, sizeof(in_pool));
    memset(woken, 0, sizeof(woken));
    for (size_t i = 2; i + 3 <= size; i += 3) {
        unsigned int op = data[i] % 9, a = data[i + 1], b = data[i + 2];
        struct sched_item *x = &it[a % NSLOT];
        bool in = in_pool[a % NSLOT];
        uint64_t aff = ((uint64_t)b << (a % 9)) & 0xffff;
        switch (op) {
        case 0:
            if (!in) {
                psim_item(x, &dom, a % NSLOT, aff ? aff : ~0ULL);
                psim_insert(&sim, x);
                in_pool[a % NSLOT] = true;
                woken[a % NSLOT] = false;
            }
            break;
        case 1:
            if (in) {
                psim_remove(&sim, x);
                in_pool[a % NSLOT] = false;
            }
            break;
        case 2:
            if (in) {
                psim_wake(&sim, x);
                woken[a % NSLOT] = true;
            }
            break;
        case 3:
            if (in)
                psim_sleep(&sim, x);
            break;
        case 4:
            if (in)
                psim_affinity(&sim, x, aff);
            break;
        case 5:
            if (!(sim.p.cpus >> (b % NCPU) & 1))
                psim_cpu_add(&sim, b % NCPU);
            break;
        case 6:
            if (sim.p.cpus >> (b % NCPU) & 1)
                psim_cpu_remove(&sim, b % NCPU);
            break;
        case 7:
            psim_advance(&sim, sim.now + (uint64_t)b * 10000);
            MUST(!sim.stuck);
            break;
        default:
            if (sim.p.cpus >> (b % NCPU) & 1)
                psim_pick(&sim, b % NCPU);
            break;
        }
        check();
    }
    return 0;
}
