/*
 * libFuzzer: lib/sched_arinc653.c on random schedules and operation
 * sequences through the simulated framework (tests/unit/policy_sim.h).
 * Byte 0: the pool's pCPUs (of 0..7). Then ops: insert / remove / wake /
 * sleep / re-pin one of 10 item slots (domains 0..4, two vCPUs each; dom
 * 0 gets Xen's default windows), add or remove a pCPU, let time pass, a
 * spurious pick(), or a schedule read from the next bytes (major frame,
 * up to 70 windows by handle or by id, runtimes that may be 0 or huge).
 *
 * Checked against a model written apart from the policy: a schedule is
 * taken exactly when Xen's rules hold (sums in 128 bits), and get() gives
 * it back; the window at time t is ((t - start) mod major frame) where
 * start is when the schedule took effect; every pick() on the schedule's
 * pCPU (the lowest) returns the newest item the window names if it is
 * runnable and allowed there, else idle, with the window's end as its
 * deadline; other pCPUs idle with no deadline; kicks always settle.
 */
#include <stdint.h>
#include <stdlib.h>
#include "policy_sim.h"
#include <lib/sched_arinc653.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NSLOT 10
#define NCPU 8

static struct psim sim;
static struct sched_dom doms[5];
static struct sched_item it[NSLOT];
static bool in_pool[NSLOT];
static unsigned int seq[NSLOT], next_seq; /* insertion order: newest wins */
static struct arinc653_schedule model;
static uint64_t model_start;

#define MUST(c)      \
    do {             \
        if (!(c))    \
            abort(); \
    } while (0)

static bool model_valid(const struct arinc653_schedule *s)
{
    unsigned __int128 sum = 0;
    if (s->major_frame == 0 || s->nr_windows < 1 || s->nr_windows > 64)
        return false;
    for (unsigned int i = 0; i < s->nr_windows; i++) {
        if (s->windows[i].runtime == 0)
            return false;
        sum += s->windows[i].runtime;
    }
    return sum <= s->major_frame;
}

static struct sched_item *model_item(const struct arinc653_window *w)
{
    struct sched_item *best = NULL;
    for (unsigned int i = 0; i < NSLOT; i++) {
        if (!in_pool[i] || it[i].vcpu_id != w->vcpu_id)
            continue;
        bool named = w->domid == ARINC653_BY_HANDLE
                         ? memcmp(w->dom_handle, it[i].dom->handle, 16) == 0
                         : w->domid == it[i].dom->domid;
        if (named && (!best || seq[i] > seq[best - it]))
            best = &it[i];
    }
    return best;
}

/* A pick() on the schedule's pCPU now must decide what the model says. */
static void check_pick(void)
{
    int sc = sched_arinc653_cpu(&sim.p);
    if (sc < 0)
        return;
    psim_pick(&sim, (unsigned int)sc);
    struct sched_decision d = sim.dec[sc];
    if (model.major_frame == 0) {
        MUST(!d.next && d.until == 0);
        return;
    }
    uint64_t in = (sim.now - model_start) % model.major_frame;
    uint64_t fstart = sim.now - in, start = 0;
    unsigned int w = 0;
    for (; w < model.nr_windows; w++) {
        if (in < start + model.windows[w].runtime)
            break;
        start += model.windows[w].runtime;
    }
    unsigned __int128 end =
        (unsigned __int128)fstart +
        (w < model.nr_windows ? start + model.windows[w].runtime : model.major_frame);
    uint64_t want_until = end > UINT64_MAX ? UINT64_MAX : (uint64_t)end;
    struct sched_item *want = w < model.nr_windows ? model_item(&model.windows[w]) : NULL;
    if (want && (!want->runnable || !(want->affinity >> sc & 1)))
        want = NULL;
    MUST(d.next == want && d.until == want_until);
}

static void check(void)
{
    MUST(!sim.stuck);
    int sc = sched_arinc653_cpu(&sim.p);
    for (unsigned int c = 0; c < NCPU; c++) {
        if ((int)c == sc || !(sim.p.cpus >> c & 1))
            continue;
        MUST(!sim.cur[c] && sim.dec[c].until == 0);
    }
    struct arinc653_schedule got;
    sched_arinc653_get(&sim.p, &got);
    MUST(got.major_frame == model.major_frame && got.nr_windows == model.nr_windows);
    MUST(memcmp(got.windows, model.windows, sizeof(got.windows[0]) * got.nr_windows) == 0);
    check_pick();
}

/* A schedule from the bytes at *pos: major (2 bytes, scaled by the
 * first), count, then 3 bytes a window. */
static void set_schedule(const uint8_t *data, size_t size, size_t *pos)
{
    static struct arinc653_schedule s;
    size_t i = *pos;
    if (i + 4 > size)
        return;
    memset(&s, 0, sizeof(s));
    unsigned int scale = data[i] & 3;
    s.major_frame = (uint64_t)data[i + 1] << (scale * 20);
    if (data[i] == 0xff)
        s.major_frame = UINT64_MAX;
    s.nr_windows = data[i + 2] % 70;
    i += 3;
    for (unsigned int w = 0; w < s.nr_windows && w < ARINC653_MAX_WINDOWS && i + 3 <= size;
         w++, i += 3) {
        const struct sched_dom *d = &doms[data[i] % 5];
        memcpy(s.windows[w].dom_handle, d->handle, 16);
        s.windows[w].vcpu_id = (data[i] >> 3) % 3;
        s.windows[w].domid = data[i] & 0x80 ? d->domid : ARINC653_BY_HANDLE;
        s.windows[w].runtime = (uint64_t)data[i + 1] << (data[i + 2] % 4 * 20);
        if (data[i + 2] == 0xff)
            s.windows[w].runtime = UINT64_MAX - data[i + 1];
    }
    *pos = i;
    uint64_t kick = 0;
    bool ok = sched_arinc653_set(&sim.p, &s, sim.now, &kick);
    MUST(ok == model_valid(&s) && ok == sched_arinc653_valid(&s));
    if (ok) {
        model = s;
        model_start = sim.now;
    } else {
        MUST(kick == 0);
    }
    psim_kick(&sim, kick);
}

static void insert(unsigned int slot)
{
    psim_insert(&sim, &it[slot]);
    in_pool[slot] = true;
    seq[slot] = ++next_seq;
    if (it[slot].dom->domid == 0 && model.nr_windows < 64) {
        struct arinc653_window *w = &model.windows[model.nr_windows++];
        memset(w, 0, sizeof(*w));
        w->vcpu_id = it[slot].vcpu_id;
        w->runtime = ARINC653_DEFAULT_WINDOW_NS;
        w->domid = 0;
        model.major_frame += ARINC653_DEFAULT_WINDOW_NS;
        model_start = sim.now;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    psim_init(&sim, &sched_arinc653, data[0] % (1u << NCPU));
    sim.max_picks = 64; /* windows may be 1 ns long: past that, the pCPU is late */
    memset(&model, 0, sizeof(model));
    memset(in_pool, 0, sizeof(in_pool));
    for (unsigned int d = 0; d < 5; d++) {
        memset(&doms[d], 0, sizeof(doms[d]));
        doms[d].domid = (uint16_t)d;
        memset(doms[d].handle, d < 3 ? 0 : (int)d, 16); /* 0..2 share the zero handle */
    }
    for (unsigned int i = 0; i < NSLOT; i++)
        psim_item(&it[i], &doms[i / 2], i % 2, ~0ULL);
    size_t i = 1;
    while (i + 2 <= size) {
        unsigned int op = data[i] % 10, a = data[i + 1], slot = a % NSLOT;
        i += 2;
        switch (op) {
        case 0:
            if (!in_pool[slot])
                insert(slot);
            break;
        case 1:
            if (in_pool[slot]) {
                psim_remove(&sim, &it[slot]);
                in_pool[slot] = false;
            }
            break;
        case 2:
            if (in_pool[slot])
                psim_wake(&sim, &it[slot]);
            break;
        case 3:
            if (in_pool[slot])
                psim_sleep(&sim, &it[slot]);
            break;
        case 4:
            if (in_pool[slot])
                psim_affinity(&sim, &it[slot], a & 0x10 ? ~0ULL : 1ULL << (a >> 5));
            break;
        case 5:
            if (!(sim.p.cpus >> (a % NCPU) & 1))
                psim_cpu_add(&sim, a % NCPU);
            break;
        case 6:
            if (sim.p.cpus >> (a % NCPU) & 1)
                psim_cpu_remove(&sim, a % NCPU);
            break;
        case 7:
            psim_advance(&sim, sim.now + ((uint64_t)a << (a % 4 * 6)) * 1000);
            MUST(!sim.stuck);
            break;
        case 8:
            set_schedule(data, size, &i);
            break;
        default:
            break; /* just the spurious pick of check() */
        }
        check();
    }
    return 0;
}
