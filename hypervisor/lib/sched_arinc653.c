/*
 * The ARINC 653 policy (Xen's `arinc653` scheduler): a major frame cut into
 * windows, each naming one vCPU (domain handle + vCPU id) and a runtime.
 * At time t the window holding (t - frame start) mod major frame runs its
 * vCPU if that is in the pool and runnable; otherwise the pCPU idles for
 * the rest of the window, which nobody else may use (time partitioning).
 * After the last window the pCPU idles until the next frame. pick()'s
 * deadline is the end of the current window, so a pCPU switches exactly
 * at window boundaries.
 *
 * Frames start on time: the next frame starts a whole major frame after the
 * previous one, however late the pick() that notices it (Xen restarts the
 * frame at the late pick's time, so its frames drift by each lateness).
 * A schedule put in force starts a new frame at once, as Xen's.
 *
 * One pCPU per pool runs the schedule, the pool's lowest; the others idle
 * with no deadline. Xen 4.17 does the same in effect: its window position
 * is one for all pCPUs and a vCPU runs only on the pCPU it was placed on,
 * so a pool runs one vCPU at a time. A vCPU whose hard affinity leaves out
 * that pCPU never runs (its windows idle).
 *
 * With no schedule set, each dom0 vCPU inserted gets a 10 ms window at the
 * end (up to 64), the major frame growing by as much: Xen's default, which
 * runs dom0 alone. Other domains run only once a schedule names them.
 */
#include <lib/sched_arinc653.h>
#include <string.h>

static uint64_t add_sat(uint64_t a, uint64_t b)
{
    return a + b < a ? UINT64_MAX : a + b;
}

static bool names(const struct arinc653_window *w, const struct sched_item *it)
{
    if (w->vcpu_id != it->vcpu_id)
        return false;
    if (w->domid != ARINC653_BY_HANDLE)
        return w->domid == it->dom->domid;
    return memcmp(w->dom_handle, it->dom->handle, sizeof(w->dom_handle)) == 0;
}

/* Each window's item: the most recently inserted one it names (Xen's
 * find_unit over a list it adds to at the head). */
static void map_windows(struct sched_pool_state *p)
{
    for (unsigned int w = 0; w < p->u.arinc653.nr_windows; w++) {
        p->u.arinc653.items[w] = NULL;
        for (struct sched_item *it = p->u.arinc653.all; it; it = it->u.arinc653.next) {
            if (names(&p->u.arinc653.windows[w], it)) {
                p->u.arinc653.items[w] = it;
                break;
            }
        }
    }
}

int sched_arinc653_cpu(const struct sched_pool_state *p)
{
    return p->cpus ? __builtin_ctzll(p->cpus) : SCHED_NO_CPU;
}

static void kick_schedule_cpu(const struct sched_pool_state *p, uint64_t *kick)
{
    int c = sched_arinc653_cpu(p);
    if (c != SCHED_NO_CPU)
        *kick |= 1ULL << c;
}

bool sched_arinc653_valid(const struct arinc653_schedule *s)
{
    if (s->major_frame == 0 || s->nr_windows < 1 || s->nr_windows > ARINC653_MAX_WINDOWS)
        return false;
    uint64_t total = 0;
    for (unsigned int i = 0; i < s->nr_windows; i++) {
        uint64_t rt = s->windows[i].runtime;
        if (rt == 0 || rt > s->major_frame - total)
            return false; /* empty window, or past the major frame */
        total += rt;
    }
    return true;
}

bool sched_arinc653_set(struct sched_pool_state *p, const struct arinc653_schedule *s, uint64_t now,
                        uint64_t *kick)
{
    if (!sched_arinc653_valid(s))
        return false;
    p->u.arinc653.major_frame = s->major_frame;
    p->u.arinc653.nr_windows = s->nr_windows;
    for (unsigned int i = 0; i < s->nr_windows; i++)
        p->u.arinc653.windows[i] = s->windows[i];
    p->u.arinc653.frame_start = now;
    map_windows(p);
    kick_schedule_cpu(p, kick);
    return true;
}

void sched_arinc653_get(const struct sched_pool_state *p, struct arinc653_schedule *s)
{
    memset(s, 0, sizeof(*s));
    s->major_frame = p->u.arinc653.major_frame;
    s->nr_windows = p->u.arinc653.nr_windows;
    for (unsigned int i = 0; i < s->nr_windows; i++)
        s->windows[i] = p->u.arinc653.windows[i];
}

static void a653_init(struct sched_pool_state *p)
{
    memset(&p->u.arinc653, 0, sizeof(p->u.arinc653));
}

/* Whichever pCPU is now the lowest takes over the schedule: kick them all. */
static void a653_cpu_add(struct sched_pool_state *p, unsigned int cpu, uint64_t now, uint64_t *kick)
{
    (void)now;
    *kick |= p->cpus | (cpu < SCHED_MAX_CPUS ? 1ULL << cpu : 0);
}

static void a653_cpu_remove(struct sched_pool_state *p, unsigned int cpu, uint64_t now,
                            uint64_t *kick)
{
    (void)now;
    for (struct sched_item *it = p->u.arinc653.all; it; it = it->u.arinc653.next)
        if (it->running_on == (int)cpu)
            it->running_on = SCHED_NO_CPU; /* the framework stopped it there first */
    *kick |= p->cpus & ~(cpu < SCHED_MAX_CPUS ? 1ULL << cpu : 0);
}

/* Xen's default schedule: a dom0 vCPU gets a window of its own. */
static void add_default_window(struct sched_pool_state *p, const struct sched_item *it,
                               uint64_t now)
{
    unsigned int n = p->u.arinc653.nr_windows;
    if (n >= ARINC653_MAX_WINDOWS)
        return;
    struct arinc653_window *w = &p->u.arinc653.windows[n];
    memset(w->dom_handle, 0, sizeof(w->dom_handle));
    w->vcpu_id = it->vcpu_id;
    w->runtime = ARINC653_DEFAULT_WINDOW_NS;
    w->domid = 0; /* by id: dom0 keeps its windows if it is given a handle later */
    p->u.arinc653.nr_windows = n + 1;
    p->u.arinc653.major_frame += ARINC653_DEFAULT_WINDOW_NS;
    p->u.arinc653.frame_start = now;
}

static void a653_insert(struct sched_pool_state *p, struct sched_item *it, uint64_t now)
{
    it->running_on = SCHED_NO_CPU;
    it->u.arinc653.next = p->u.arinc653.all;
    p->u.arinc653.all = it;
    if (it->dom->domid == 0)
        add_default_window(p, it, now);
    map_windows(p);
}

static void a653_remove(struct sched_pool_state *p, struct sched_item *it, uint64_t now,
                        uint64_t *kick)
{
    (void)now;
    (void)kick;
    for (struct sched_item **pp = &p->u.arinc653.all; *pp; pp = &(*pp)->u.arinc653.next) {
        if (*pp == it) {
            *pp = it->u.arinc653.next;
            break;
        }
    }
    it->u.arinc653.next = NULL;
    map_windows(p);
}

static bool in_schedule(const struct sched_pool_state *p, const struct sched_item *it)
{
    for (unsigned int w = 0; w < p->u.arinc653.nr_windows; w++)
        if (p->u.arinc653.items[w] == it)
            return true;
    return false;
}

static void a653_wake(struct sched_pool_state *p, struct sched_item *it, uint64_t now,
                      uint64_t *kick)
{
    (void)now;
    if (in_schedule(p, it))
        kick_schedule_cpu(p, kick); /* it may be in its window now */
}

static void a653_sleep(struct sched_pool_state *p, struct sched_item *it, uint64_t now,
                       uint64_t *kick)
{
    (void)p;
    (void)now;
    if (it->running_on != SCHED_NO_CPU)
        *kick |= 1ULL << it->running_on;
}

static void a653_affinity(struct sched_pool_state *p, struct sched_item *it, uint64_t now,
                          uint64_t *kick)
{
    a653_sleep(p, it, now, kick);
    a653_wake(p, it, now, kick);
}

/* The window under way at `now` (nr_windows: none, idle to the frame's
 * end), moving frame_start to the current frame; *until = its end. */
static unsigned int window_at(struct sched_pool_state *p, uint64_t now, uint64_t *until)
{
    uint64_t major = p->u.arinc653.major_frame;
    if (now < p->u.arinc653.frame_start)
        p->u.arinc653.frame_start = now;
    uint64_t in = now - p->u.arinc653.frame_start;
    if (in >= major) {
        p->u.arinc653.frame_start += in - in % major; /* on time: whole frames */
        in %= major;
    }
    uint64_t start = 0, fs = p->u.arinc653.frame_start;
    for (unsigned int w = 0; w < p->u.arinc653.nr_windows; w++) {
        uint64_t end = start + p->u.arinc653.windows[w].runtime;
        if (in < end) {
            *until = add_sat(fs, end);
            return w;
        }
        start = end;
    }
    *until = add_sat(fs, major);
    return p->u.arinc653.nr_windows;
}

static struct sched_decision a653_pick(struct sched_pool_state *p, unsigned int cpu,
                                       struct sched_item *prev, uint64_t now)
{
    struct sched_decision d = {NULL, 0};
    int sc = sched_arinc653_cpu(p);
    if (prev && prev->running_on == (int)cpu) {
        prev->running_on = SCHED_NO_CPU;
        /* Switched out where the schedule ran before a lower pCPU joined:
         * the schedule's pCPU may run it now. */
        if (sc != SCHED_NO_CPU && sc != (int)cpu)
            p->kick |= 1ULL << sc;
    }
    if ((int)cpu != sc || p->u.arinc653.major_frame == 0)
        return d; /* not the schedule's pCPU, or no schedule: idle, no tick */
    unsigned int w = window_at(p, now, &d.until);
    if (w == p->u.arinc653.nr_windows)
        return d;
    struct sched_item *it = p->u.arinc653.items[w];
    if (!it || !it->runnable || !(it->affinity & (1ULL << cpu)))
        return d; /* absent, blocked or pinned elsewhere: the window idles */
    if (it->running_on != SCHED_NO_CPU && it->running_on != (int)cpu)
        return d; /* still being switched out elsewhere: that pick() kicks us */
    it->running_on = (int)cpu;
    d.next = it;
    return d;
}

static void a653_dom_params(struct sched_pool_state *p, struct sched_dom *d, uint64_t now,
                            uint64_t *kick)
{
    (void)p;
    (void)d;
    (void)now;
    (void)kick; /* windows, not weights */
}

const struct sched_policy sched_arinc653 = {
    .name = "arinc653",
    .xen_id = 7, /* XEN_SCHEDULER_ARINC653 */
    .init = a653_init,
    .cpu_add = a653_cpu_add,
    .cpu_remove = a653_cpu_remove,
    .insert = a653_insert,
    .remove = a653_remove,
    .wake = a653_wake,
    .sleep = a653_sleep,
    .affinity = a653_affinity,
    .pick = a653_pick,
    .dom_params = a653_dom_params,
};
