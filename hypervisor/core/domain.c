/*
 * Domain lifecycle: create from a boot description, shut down, crash, and
 * reap (free everything once no pCPU holds any of its vCPUs). When the last
 * domain is gone Cloison powers the machine off, so a test run ends by itself.
 *
 * Object lifetime across pCPUs (docs/DESIGN.md §7): a domain and its vCPUs
 * are freed only by the reaper, and only once no other pCPU can reach them:
 *  - no pCPU has one of its vCPUs loaded: `loaded` is counted when a vCPU
 *    is picked, under the pool lock sched_kill_vcpu() takes, and down after
 *    its switch-out's last touch;
 *  - no pCPU holds a reference taken with domain_get();
 *  - no timer of its vCPUs is queued or running: sched_kill_vcpu() kills
 *    them, so a trap or switch-out still under way on the vCPU's pCPU cannot
 *    arm them again, and domain_free() waits for running callbacks before
 *    anything they touch (the vGIC) goes;
 *  - everything else by which another pCPU reaches a domain (event channels,
 *    grants, passthrough interrupts, the console's flush list and input) is
 *    looked up under a lock the domain's own teardown takes.
 * Timers of a domain's objects are initialised when the object is built,
 * before any other pCPU can see it, never lazily (core/timer.h).
 *
 * Scale (docs/DESIGN.md, "Domains at scale"): nothing here walks all
 * domains on a path whose frequency grows with them. Ids, lookup and
 * ordered walks go through lib/idtab (O(1)); the reaper, which runs before
 * every guest entry, looks only at the dying list, and whether anything is
 * left running is kept as counts, not found by a walk.
 *
 * Locks: reap_lock, domlist_lock, domain->lock (order: cloison/spinlock.h).
 */
#include <cloison/assert.h>
#include <cloison/arch.h>
#include <core/domain.h>
#include <core/domain_ram.h>
#include <core/domain_p2m.h>
#include <core/domain_cfg.h>
#include <cloison/errno.h>
#include <core/footprint.h>
#include <core/foreign_map.h>
#include <cloison/host_psci.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <cloison/percpu.h>
#include <cloison/printk.h>
#include <core/sched.h>
#include <core/stretch.h>
#include <core/timer.h>
#include <core/cpupool.h>
#include <core/vcpu.h>
#include <lib/idtab.h>
#include <lib/printf.h>
#include <public/xen.h>
#include <string.h>

#include "domain_hooks.h"

struct vcpu *vcpu_create(struct domain *d, unsigned int id);

_Static_assert(DOMCFG_MAX_VCPUS == DOMAIN_MAX_VCPUS, "boot descriptions and domains agree");

static spinlock_t domlist_lock = SPINLOCK_INIT;
/* Domain ids 1..DOMID_FIRST_RESERVED-1 (0 is dom0's, asked for), handed out
 * in increasing order and wrapping, as Xen does, never one still in use (a
 * domain being torn down included). A domain is found by its id (published)
 * from its listing until the reaper takes it. Under domlist_lock. */
static struct idtab domids;
static bool domids_ready;
static unsigned int nr_domains; /* listed */
/* Listed domains a shutdown left preserved: they do not count as running. */
static unsigned int nr_preserved;
/* Dying listed domains, linked through d->next: all the reaper looks at.
 * nr_dying is read without the lock by the reaper's fast path. */
static struct domain *dying;
static unsigned int nr_dying;
/* Restarts under way: a domain taken off the list to be freed and built
 * again. It counts as live until its rebuild is on the list (or failed), so
 * a reap of another domain in the meantime does not power the machine off.
 * Under domlist_lock. */
static unsigned int nr_rebuilding;
static bool any_domain_started;
static bool boot_done; /* the boot description has been fully processed */

static const char *const reason_names[] = {"poweroff", "reboot",   "suspend",
                                           "crash",    "watchdog", "soft_reset"};

static const struct idtab_heap domids_heap = {xzalloc, xfree};

/* want: a toolstack's explicit id (createdomain), 0 = the rover's next. */
static int alloc_domid(bool dom0, uint16_t want)
{
    ASSERT_HELD(&domlist_lock);
    if (!domids_ready) {
        idtab_init(&domids, DOMID_FIRST_RESERVED, &domids_heap);
        domids_ready = true;
    }
    int id = dom0   ? idtab_take(&domids, 0)
             : want ? idtab_take(&domids, want)
                    : idtab_alloc(&domids, 1);
    if (id == IDTAB_FULL && (dom0 || want))
        return -EEXIST;
    return id < 0 ? -ENOMEM : id; /* -ENOMEM: Xen's answer when every id is taken */
}

static const char *reason_name(shutdown_reason_t r)
{
    return r < ARRAY_SIZE(reason_names) ? reason_names[r] : "unknown";
}

/*
 * Teardown, in the reverse order of what depends on what: the parts, last
 * built first (boot/compose.c orders them: the Xen interface, which unbinds
 * peers' event channels into this domain, then frees its grants before the
 * p2m and RAM since other domains may map its pages, and its consoles; the
 * emulated devices; the vGIC, which still looks at the vCPUs; the console
 * log), and only then the vCPUs, stage 2 and RAM. Also used to unwind a
 * half-built domain.
 */
static void domain_free(struct domain *d)
{
    /* First: a timer callback of a vCPU may still run on its pCPU, and
     * uses the vGIC the parts' teardown frees. */
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if (d->vcpus[i])
            sched_destroy_vcpu(d->vcpus[i]);
    domain_parts_destroy(d);
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];
        if (!v)
            continue;
        xfree(v);
    }
    sched_destroy_domain(d);
    p2m_destroy(&d->p2m);
    foreign_domain_destroy(d); /* after its stage 2 is gone: nothing maps them now */
    domain_free_ram(d);
    if (d->id_held) {
        spin_lock(&domlist_lock);
        idtab_free(&domids, d->id);
        spin_unlock(&domlist_lock);
    }
    xfree(d);
}

static int create_vcpus(struct domain *d, unsigned int n)
{
    d->nr_vcpus = n;
    for (unsigned int i = 0; i < n; i++) {
        d->vcpus[i] = vcpu_create(d, i);
        if (!d->vcpus[i])
            return -ENOMEM;
    }
    return 0;
}

/* What domains may still take: free memory beyond the hypervisor's reserve.
 * (Kept short: these lines come by the thousand when a boot tree asks for
 * more than the machine has.) */
static uint64_t guest_free_kib(void)
{
    size_t free = mm_free_pages(), reserve = mm_reserve_pages();
    return free > reserve ? (uint64_t)(free - reserve) * 4 : 0;
}

static struct domain *create(const struct domain_cfg *cfg)
{
    struct footprint fp;
    footprint_begin(&fp);
    struct domain *d = xzalloc(sizeof(*d));
    if (!d) {
        printk("%s: out of memory for the domain structure", cfg->name);
        return NULL;
    }
    footprint_mark(&fp, "domain", 0);
    spin_lock(&domlist_lock);
    int id = alloc_domid(cfg->is_dom0, cfg->toolstack ? cfg->domid : 0);
    spin_unlock(&domlist_lock);
    if (id < 0) {
        printk("%s: no free domain id (%u domains)", cfg->name[0] ? cfg->name : "createdomain",
               nr_domains);
        xfree(d);
        return NULL;
    }
    d->id = (uint16_t)id;
    d->id_held = true;
    /* The id table's leaf for 256 ids comes with the first of them. */
    footprint_mark(&fp, "domain id", 0);
    d->is_privileged = cfg->is_dom0;
    d->cfg = *cfg;
    sched_init_domain(d); /* pool 0 until told otherwise; weight and cap from cfg */
    if (!cfg->name[0])    /* the toolstack names domains in xenstore, not here */
        snprintf(d->cfg.name, sizeof(d->cfg.name), "d%u", d->id);
    strlcpy(d->name, d->cfg.name, sizeof(d->name));
    cfg = &d->cfg;
    d->lock = (spinlock_t)SPINLOCK_INIT;
    d->ram_lock = (spinlock_t)SPINLOCK_INIT;
    /* Boot domains get all their RAM here (dom0's from its builder, before
     * anything else can see it); a toolstack domain's grows until it starts. */
    d->ram_sealed = !cfg->toolstack;
    d->max_pages_set = cfg->toolstack; /* 0 pages until the toolstack's max_mem */
    d->shutdown_reason = SHUTDOWN_REASON_UNSET;
    d->xen_enhanced = cfg->enhanced != XEN_ENHANCED_NONE;
    d->vpl011 = cfg->vpl011;
    d->ram_base = GUEST_RAM0_BASE;
    int rc;
    uint64_t bytes = ALIGN_UP(cfg->memory_kib * 1024, PAGE_SIZE);
    if (bytes > GUEST_RAM0_MAX + GUEST_RAM1_MAX) {
        printk("%s: memory %lu KiB is more than the guest RAM banks hold", cfg->name,
               cfg->memory_kib);
        rc = -EINVAL;
        goto fail;
    }
    if ((rc = p2m_init(&d->p2m)) != 0) {
        printk("%s: cannot allocate its stage-2 root (%lu KiB free)", cfg->name, guest_free_kib());
        goto fail;
    }
    footprint_mark(&fp, "stage-2 root", 0);
    /* dom0's RAM is direct-mapped: its builder allocates it (boot/dom0_build.c);
     * a toolstack domain's is populated by the toolstack. */
    if (!cfg->is_dom0 && !cfg->toolstack && (rc = domain_alloc_ram(d, bytes)) != 0) {
        printk("%s: cannot allocate %lu KiB of RAM (%lu KiB free)", cfg->name, cfg->memory_kib,
               guest_free_kib());
        goto fail;
    }
    footprint_mark(&fp, "ram list+tables", d->ram_size + d->ram1_size);
    if ((rc = create_vcpus(d, cfg->vcpus)) != 0)
        goto fail;
    footprint_mark(&fp, "vcpus", 0);
    if ((rc = domain_parts_init(d, &fp)) != 0 || (rc = domain_p2m_pool_init(d)) != 0)
        goto fail;
    footprint_mark(&fp, "p2m pool", 0);
    footprint_keep(&fp, d->id);
    return d;
fail:
    printk("%s: domain not created (error %d)", cfg->name, rc);
    domain_free(d);
    return NULL;
}

struct domain *domain_create(const struct domain_cfg *cfg)
{
    return create(cfg);
}

void domain_discard(struct domain *d)
{
    domain_free(d);
}

/* Put d on the domain list (domlist_lock taken here). */
static void list_domain(struct domain *d)
{
    spin_lock(&domlist_lock);
    idtab_publish(&domids, d->id, d);
    __atomic_store_n(&nr_domains, nr_domains + 1, __ATOMIC_RELAXED);
    any_domain_started = true;
    spin_unlock(&domlist_lock);
}

void domain_start(struct domain *d, uint64_t entry, uint64_t dtb)
{
    d->started = true;
    domain_parts_start(d);
    d->cntvoff = arch_counter(); /* the guest's virtual counter starts at its boot */
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        sched_add_vcpu(d->vcpus[i]);
    vcpu_reset_boot(d->vcpus[0], entry, dtb);
    list_domain(d);
    /* In MiB when whole (what tests and benches read), else in KiB. */
    uint64_t ram = d->ram_size + d->ram1_size;
    bool mib = !(ram & ((1UL << 20) - 1));
    printk("d%u (%s): %lu %s RAM, %u vCPU%s, entry 0x%lx, dtb 0x%lx%s, P2M pool %lu KiB", d->id,
           d->name, mib ? ram >> 20 : ram >> 10, mib ? "MiB" : "KiB", d->nr_vcpus,
           d->nr_vcpus > 1 ? "s" : "", entry, dtb, d->xen_enhanced ? ", Xen interface" : "",
           (uint64_t)p2m_pool_pages(&d->p2m) * 4);
    vcpu_wake(d->vcpus[0]);
}

void domain_publish_paused(struct domain *d)
{
    d->ctl_pauses = 1;
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        d->vcpus[i]->paused = 1; /* nobody else sees it yet */
        sched_add_vcpu(d->vcpus[i]);
    }
    list_domain(d);
    printk("d%u: created by the toolstack, paused: %u vCPU%s, P2M pool %lu KiB", d->id, d->nr_vcpus,
           d->nr_vcpus > 1 ? "s" : "", (uint64_t)p2m_pool_pages(&d->p2m) * 4);
}

/* d has just turned dying (once): the reaper may take it from now on. */
static void push_dying_locked(struct domain *d, bool was_preserved)
{
    ASSERT_HELD(&domlist_lock);
    if (was_preserved)
        __atomic_store_n(&nr_preserved, nr_preserved - 1, __ATOMIC_RELAXED);
    if (idtab_get(&domids, d->id) != d)
        return; /* not listed (never happens: only listed domains run or are found) */
    d->next = dying;
    dying = d;
    __atomic_store_n(&nr_dying, nr_dying + 1, __ATOMIC_RELAXED);
}

int domain_ctl_destroy(struct domain *d, const struct domain *caller)
{
    if (d == caller)
        return -EINVAL;
    /* domlist_lock around the change: a preserved domain turning dying is
     * counted as running again in the same step, so no reaper sees it as
     * neither (and powers the machine off). */
    spin_lock(&domlist_lock);
    spin_lock(&d->lock);
    enum domain_state was = d->state;
    d->ctl_destroyed = true;
    /* Release, as in domain_shutdown(): the reaper reads it unlocked. */
    __atomic_store_n(&d->state, DOM_DYING, __ATOMIC_RELEASE);
    spin_unlock(&d->lock);
    if (was != DOM_DYING)
        push_dying_locked(d, was == DOM_PRESERVED);
    spin_unlock(&domlist_lock);
    if (was == DOM_DYING)
        return 0; /* asked again: it is on its way */
    printk("d%u (%s): destroyed by the toolstack", d->id, d->name);
    if (was == DOM_RUNNING) {
        domain_notify(DOMAIN_SHUTTING_DOWN, d->id, d);
        for (unsigned int i = 0; i < d->nr_vcpus; i++)
            sched_kill_vcpu(d->vcpus[i]);
        domain_notify(DOMAIN_SHUT_DOWN, d->id, d);
    }
    /* Xen's domain_kill: "dead" is announced even for a domain that had
     * already shut down, so those that map its pages learn it is dying. */
    domain_notify(DOMAIN_KILLED, d->id, d);
    return 0;
}

static enum domain_action action_for(const struct domain *d, shutdown_reason_t reason)
{
    if (d->ctl_destroyed)
        return ACTION_DESTROY;
    if (d->cfg.toolstack) /* xl acts on its on_* settings once told (VIRQ_DOM_EXC) */
        return ACTION_PRESERVE;
    switch (reason) {
    case SHUTDOWN_poweroff:
        return d->cfg.on_poweroff;
    case SHUTDOWN_reboot:
        return d->cfg.on_reboot;
    case SHUTDOWN_crash:
    case SHUTDOWN_watchdog:
        return d->cfg.on_crash;
    default:
        return ACTION_DESTROY;
    }
}

static const char *const action_names[] = {"destroying it", "restarting it", "preserving it"};

/*
 * Xen's rule (domain_shutdown, SCHEDOP_shutdown_code): the first reason
 * given, by shutdown_code or by the shutdown itself, is latched under the
 * domain lock and is the one acted on; later ones change nothing. So two
 * vCPUs shutting the domain down for different reasons, or a crash after a
 * shutdown_code, take exactly one action, the first reason's.
 */
static shutdown_reason_t latch_reason(struct domain *d, shutdown_reason_t reason)
{
    ASSERT_HELD(&d->lock);
    if (d->shutdown_reason == SHUTDOWN_REASON_UNSET)
        d->shutdown_reason = reason;
    return d->shutdown_reason;
}

void domain_set_shutdown_code(struct domain *d, shutdown_reason_t reason)
{
    spin_lock(&d->lock);
    latch_reason(d, reason);
    spin_unlock(&d->lock);
}

void domain_shutdown(struct domain *d, shutdown_reason_t reason)
{
    spin_lock(&d->lock);
    reason = latch_reason(d, reason);
    if (d->state != DOM_RUNNING) {
        spin_unlock(&d->lock);
        return;
    }
    enum domain_action action = action_for(d, reason);
    /* Release: the reaper, which reads the state without d->lock, then
     * reads the latched reason to decide on a restart. */
    __atomic_store_n(&d->state, action == ACTION_PRESERVE ? DOM_PRESERVED : DOM_DYING,
                     __ATOMIC_RELEASE);
    spin_unlock(&d->lock);
    /* Running until now, it was counted as running: until the count below
     * it still is, which at worst delays a power-off to the reap after. */
    spin_lock(&domlist_lock);
    if (action == ACTION_PRESERVE)
        __atomic_store_n(&nr_preserved, nr_preserved + 1, __ATOMIC_RELAXED);
    else
        push_dying_locked(d, false);
    spin_unlock(&domlist_lock);
    domain_notify(DOMAIN_SHUTTING_DOWN, d->id, d);
    printk("d%u (%s): shut down: %s; %s", d->id, d->name, reason_name(reason),
           d->cfg.toolstack ? "left to the toolstack" : action_names[action]);
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        sched_kill_vcpu(d->vcpus[i]);
    domain_notify(DOMAIN_SHUT_DOWN, d->id, d);
    if (action == ACTION_PRESERVE)
        domain_reap(NULL); /* it may have been the last one running */
}

void domain_crash(struct domain *d, const char *why, uint64_t addr)
{
    printk("d%u (%s): crashed: %s at 0x%lx", d->id, d->name, why, addr);
    domain_shutdown(d, SHUTDOWN_crash);
}

static bool reapable(const struct domain *d)
{
    /* Acquire, against domain_shutdown()'s release: a DYING domain's reason
     * (read next by the reaper) is the latched one, never a stale UNSET. */
    if (__atomic_load_n(&d->state, __ATOMIC_ACQUIRE) != DOM_DYING ||
        __atomic_load_n(&d->refs, __ATOMIC_ACQUIRE))
        return false; /* a hypercall still looks at it: the next pass frees it */
    /* Destroyed by the toolstack: it stays dying while dom0 still maps its
     * pages (foreign or grant mappings), as on Xen; the pass after the last
     * unmap frees it. (A domain its own policy destroys is freed at once and
     * the mapped pages outlive it: core/foreign_map.c, xen/grant_table.c.) */
    if (d->ctl_destroyed && (foreign_domain_pinned(d->id) || domain_parts_in_use(d)))
        return false;
    /* Twice: the first pass synchronises with the switch-out of whichever
     * vCPU shut the domain down (it clears `loaded` after its kills), so the
     * second sees every vCPU another pCPU picked before being killed. */
    for (unsigned int pass = 0; pass < 2; pass++)
        for (unsigned int i = 0; i < d->nr_vcpus; i++)
            if (__atomic_load_n(&d->vcpus[i]->loaded, __ATOMIC_ACQUIRE))
                return false;
    return true;
}

/* Domains still running, dying (perhaps to be restarted) or being rebuilt;
 * preserved ones do not count. */
static unsigned int live_domains(void)
{
    ASSERT_HELD(&domlist_lock);
    return nr_domains + nr_rebuilding - nr_preserved;
}

/* The reaper's fast path, on every guest entry: nothing dying and something
 * running, read without the lock. A stale read is harmless: a domain turning
 * dying is seen on the next entry, and whoever makes the machine empty (a
 * reap, a preserving shutdown) decides the power-off under the lock itself. */
static bool nothing_to_reap(void)
{
    unsigned int n = __atomic_load_n(&nr_domains, __ATOMIC_RELAXED) +
                     __atomic_load_n(&nr_rebuilding, __ATOMIC_RELAXED);
    return __atomic_load_n(&nr_dying, __ATOMIC_RELAXED) == 0 &&
           n > __atomic_load_n(&nr_preserved, __ATOMIC_RELAXED);
}

/* Whether the machine has nothing left to run; decided under domlist_lock
 * after the caller's own victim is gone and its restart (if any) is listed
 * or has failed, so it sees every other pCPU's rebuild still under way. */
static bool nothing_left(bool rebuilt)
{
    spin_lock(&domlist_lock);
    if (rebuilt)
        __atomic_store_n(&nr_rebuilding, nr_rebuilding - 1, __ATOMIC_RELAXED);
    bool none = live_domains() == 0;
    spin_unlock(&domlist_lock);
    return none;
}

/*
 * The reaper's job: one dead domain at a time, freed and, if its policy
 * says restart, built again, in bounded steps (docs/DESIGN.md §7, "Restarts
 * in bounded steps"). Each step is one pass of a pCPU of the dead domain's
 * own pool through its scheduler: freeing the domain, then the builder's
 * steps, each copying at most REAP_STEP_BYTES into guest RAM (and zeroing
 * the lazily mapped 2 MiB block it lands in, if it is the first there: with
 * that, a step stays well under the 1 M-instruction bound of every EL2
 * stretch; 1 MiB steps went over it, 1.29 M).
 * Between steps the pCPU goes back to its scheduler: an idle pCPU asks for
 * the next step at once; one about to enter a guest of its pool lets that
 * guest run at least as long as the step took (REAP_TIMER brings it back),
 * so the pool's guests keep at least half their pCPUs meanwhile. A pCPU of
 * another pool never takes a step, unless the pool has no pCPU left.
 * Under reap_lock, only ever tried: a pCPU that finds it taken has nothing
 * to do here, and a pCPU of a null pool never waits on another's reaping.
 */
#define REAP_STEP_BYTES (512UL << 10)

static spinlock_t reap_lock = SPINLOCK_INIT;
static bool job_active; /* written under reap_lock, read without by the fast path */
static bool reap_again; /* a pass found reap_lock taken: look again (domain_reap) */
static struct reap_job {
    uint16_t id;           /* the dead domain's */
    uint32_t pool;         /* whose pCPUs work on it (CPUPOOL_NONE: any) */
    struct domain *victim; /* until freed */
    bool restart;
    domain_rebuild_fn rebuild;
    struct domain_rebuild rb;
    uint64_t start, next_at, longest; /* counter ticks */
    unsigned int steps;
    uint64_t cpus; /* the pCPUs that took a step (bit i: pCPU i) */
} job;
static struct timer reap_timer; /* brings a busy pCPU back for the next step */
static bool reap_timer_ready;

#define CPUPOOL_NONE 0xffffffffu

/* The pool whose pCPUs work for d: its own (CPUPOOL_NONE if in none). */
static uint32_t pool_of(const struct domain *d)
{
    const struct cpupool *p = domain_cpupool(d);
    return p ? cpupool_id(p) : CPUPOOL_NONE;
}

/* Whether this pCPU works for a domain of pool id: it is one of the pool's
 * online pCPUs, or the pool has none (emptied or destroyed meanwhile), so
 * the work is not stranded. Pools live in a static table: the pointers read
 * here stay valid, and no lock is taken (pools_lock may wait for this pCPU). */
static bool works_for(uint32_t id, int *other)
{
    *other = -1;
    for (unsigned int i = 0; i < nr_pcpus; i++) {
        const struct cpupool *p = __atomic_load_n(&pcpus[i].pool, __ATOMIC_ACQUIRE);
        if (!p || !__atomic_load_n(&pcpus[i].online, __ATOMIC_ACQUIRE) || cpupool_id(p) != id)
            continue;
        if (i == this_cpu_id()) {
            *other = -1;
            return true;
        }
        *other = (int)i;
    }
    return *other < 0;
}

static void reap_timer_fn(struct timer *t)
{
    (void)t;
    this_pcpu()->need_resched = true; /* the next pass takes the next step */
}

/* Under domlist_lock: take the first reapable dying domain this pCPU works
 * for off the list and unpublish it; NULL if none. *kick: a pCPU of the pool
 * of one this pCPU may not take (it may idle: ask it to look), or -1. */
static struct domain *take_victim_locked(int *kick)
{
    ASSERT_HELD(&domlist_lock);
    *kick = -1;
    for (struct domain **pp = &dying; *pp; pp = &(*pp)->next) {
        struct domain *v = *pp;
        int other;
        if (!reapable(v))
            continue;
        if (!works_for(pool_of(v), &other)) {
            *kick = other;
            continue;
        }
        *pp = v->next;
        __atomic_store_n(&nr_dying, nr_dying - 1, __ATOMIC_RELAXED);
        idtab_publish(&domids, v->id, NULL);
        __atomic_store_n(&nr_domains, nr_domains - 1, __ATOMIC_RELAXED);
        return v;
    }
    return NULL;
}

/* The first step: everything but the rebuild. Freeing a domain touches its
 * structures and page lists, never its RAM's contents (pages are zeroed when
 * next allocated), so it is bounded by the domain's structure, not its size. */
static void free_victim(void)
{
    struct domain *victim = job.victim;
    if (job.restart) {
        job.rb.cfg = victim->cfg;
        job.rebuild = victim->rebuild;
    }
    job.victim = NULL;
    domain_free(victim);
    struct mm_usage u;
    mm_usage(&u);
    /* dom0's stage-2 tables come from the heap and follow its own
     * mappings (a foreign map in a fresh 2 MiB region takes one): shown
     * so a leak check can tell them from what the domain gave back. */
    struct domain *ctl = domain_get(0);
    size_t ctl_s2 = ctl ? p2m_pool_pages(&ctl->p2m) : 0;
    if (ctl)
        domain_put(ctl);
    printk("d%u: destroyed, %lu KiB free, heap %lu B in %lu pages, dom0 stage 2 %lu KiB", job.id,
           (uint64_t)u.free_pages * 4, (uint64_t)u.heap_bytes, (uint64_t)u.heap_pages,
           (uint64_t)ctl_s2 * 4);
    domain_notify(DOMAIN_DESTROYED, job.id, NULL);
}

/* A job for victim, taken off the list (reap_lock held). */
static void start_job(struct domain *victim, bool restart, uint64_t now)
{
    memset(&job, 0, sizeof(job));
    job.victim = victim;
    job.id = victim->id;
    job.pool = pool_of(victim);
    job.restart = restart;
    job.start = now;
    if (!reap_timer_ready) {
        timer_init(&reap_timer, reap_timer_fn, NULL);
        reap_timer_ready = true;
    }
    /* Release: whoever sees the job active sees the timer ready. */
    __atomic_store_n(&job_active, true, __ATOMIC_RELEASE);
}

/* One step of the job (reap_lock held): true while there is more. */
static bool job_step(void)
{
    if (job.victim) {
        free_victim();
        return job.restart;
    }
    int rc = job.rebuild(&job.rb, REAP_STEP_BYTES);
    if (rc > 0)
        return true;
    uint64_t f = timer_freq() ? timer_freq() : 1;
    printk("d%u: restart %s in %u steps, %lu us, longest step %lu us, on pCPUs 0x%lx", job.id,
           rc ? "failed" : "done", job.steps + 1, (arch_counter() - job.start) * 1000000 / f,
           job.longest * 1000000 / f, job.cpus | 1UL << this_cpu_id());
    return false;
}

/*
 * reap_lock for this pass, tried only (never waited for); false when another
 * pCPU has it, having made sure this pass's work is not lost.
 */
static bool take_reap_lock(const struct vcpu *next)
{
    if (spin_trylock(&reap_lock))
        return true;
    /* A job under way: a pCPU of its pool must not lose its turn (idle,
     * nothing else may wake it; busy, its timer was what brought it here). */
    int kick;
    if (__atomic_load_n(&job_active, __ATOMIC_ACQUIRE) && works_for(job.pool, &kick)) {
        if (next)
            timer_set(&reap_timer, this_cpu_id(), arch_counter() + timer_freq() / 10000);
        else
            sched_resched_cpu(this_cpu_id());
        return false;
    }
    /* Nothing being reaped: the holder is looking for a victim, and what it
     * looked at may have changed since (this pCPU may just have let go of a
     * dead domain's last vCPU, making it reapable). Had this pass given up,
     * both would go idle with the domain never freed. So it leaves word,
     * then tries once more: either the holder had let go by then and the
     * lock is this pass's, or the holder still has it and sees the word
     * after its unlock (the fences pair: store-then-try here, unlock-then-
     * read in domain_reap). */
    __atomic_store_n(&reap_again, true, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return spin_trylock(&reap_lock);
}

/*
 * Called by every pCPU's scheduler loop with what it is about to run (NULL:
 * idle): free dying domains nobody runs and rebuild those whose policy says
 * restart, a bounded step at a time (above). When nothing is left running,
 * the machine powers off so a test run ends by itself.
 */
void domain_reap(struct vcpu *next)
{
    if (!any_domain_started || !__atomic_load_n(&boot_done, __ATOMIC_ACQUIRE) ||
        (!__atomic_load_n(&job_active, __ATOMIC_ACQUIRE) && nothing_to_reap()))
        return;
    if (!take_reap_lock(next))
        return;
    int kick = -1;
    bool none_left = false, more = false, stepped = false;
    uint64_t now = arch_counter();
    if (job_active && (!works_for(job.pool, &kick) || (next && now < job.next_at))) {
        spin_unlock(&reap_lock); /* not this pCPU's turn */
        return;
    }
    if (!job_active) {
        spin_lock(&domlist_lock);
        struct domain *victim = take_victim_locked(&kick);
        bool restart = victim && victim->rebuild && !victim->ctl_destroyed &&
                       action_for(victim, victim->shutdown_reason) == ACTION_RESTART;
        /* live until rebuilt: see nothing_left() */
        __atomic_store_n(&nr_rebuilding, nr_rebuilding + restart, __ATOMIC_RELAXED);
        none_left = !victim && live_domains() == 0;
        spin_unlock(&domlist_lock);
        if (victim) {
            kick = -1;
            start_job(victim, restart, now);
        }
    }
    if (job_active) {
        stretch_classify(STRETCH_REAP); /* bounded by a step, not by the domain */
        more = job_step();
        stepped = true;
        job.cpus |= 1UL << this_cpu_id();
        uint64_t end = arch_counter(), took = end - now;
        job.steps++;
        if (took > job.longest)
            job.longest = took;
        if (more) {
            /* A guest waits: it runs at least as long as the step took. */
            job.next_at = next ? end + took : end;
        } else {
            __atomic_store_n(&job_active, false, __ATOMIC_RELEASE);
            none_left = nothing_left(job.restart);
        }
    }
    spin_unlock(&reap_lock);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    /* A pass lost reap_lock to this one while nothing was being reaped:
     * look again, in a pass of its own (each pass stays one bounded look,
     * however often other pCPUs contend). */
    if (__atomic_exchange_n(&reap_again, false, __ATOMIC_RELAXED))
        sched_resched_self(next != NULL);
    if (kick >= 0)
        sched_resched_cpu((unsigned int)kick); /* a dead domain waits for its pool */
    if (more && next)
        timer_set(&reap_timer, this_cpu_id(), job.next_at);
    /* An idle pCPU passes through here only when asked: ask for the next
     * step, or for the next dying domain (a burst of shutdowns, or those
     * held back until boot_done) now. A domain not yet reapable (loaded
     * somewhere, pages still mapped) is seen again when that ends, which
     * happens in a pass of its own. */
    else if (stepped && !none_left && (more || __atomic_load_n(&nr_dying, __ATOMIC_RELAXED)))
        sched_resched_cpu(this_cpu_id());
    if (none_left) {
        printk("no domains left running: powering off (%lu VMID rollovers)", p2m_vmid_rollovers());
        host_system_off();
    }
}

/* All boot domains exist: from now on an empty machine powers off. */
void domain_boot_done(void)
{
    /* With every boot domain already preserved, the next pass powers off:
     * nothing_to_reap() sees no domain running. */
    __atomic_store_n(&boot_done, true, __ATOMIC_RELEASE);
}

/* The listed domain with this id, or NULL; domlist_lock held. */
static struct domain *find_locked(uint16_t id)
{
    ASSERT_HELD(&domlist_lock);
    return domids_ready ? idtab_get(&domids, id) : NULL;
}

struct domain *domain_by_id(uint16_t id)
{
    spin_lock(&domlist_lock);
    struct domain *d = find_locked(id);
    spin_unlock(&domlist_lock);
    return d;
}

struct domain *domain_get(uint16_t id)
{
    spin_lock(&domlist_lock);
    struct domain *d = find_locked(id);
    /* Under domlist_lock, as the reaper's unlinking: a domain found here has
     * not been picked for freeing, and now will not be until the put. */
    if (d)
        __atomic_fetch_add(&d->refs, 1, __ATOMIC_ACQ_REL);
    spin_unlock(&domlist_lock);
    return d;
}

struct domain *domain_get_next(uint16_t min_id)
{
    spin_lock(&domlist_lock);
    int id = domids_ready ? idtab_next(&domids, min_id) : -1;
    struct domain *best = id < 0 ? NULL : idtab_get(&domids, (uint32_t)id);
    if (best) /* as domain_get(): not picked for freeing until the put */
        __atomic_fetch_add(&best->refs, 1, __ATOMIC_ACQ_REL);
    spin_unlock(&domlist_lock);
    return best;
}

void domain_put(struct domain *d)
{
    __atomic_fetch_sub(&d->refs, 1, __ATOMIC_ACQ_REL);
}

void domain_for_each(void (*fn)(struct domain *d))
{
    spin_lock(&domlist_lock);
    for (int id = domids_ready ? idtab_next(&domids, 0) : -1; id >= 0;
         id = idtab_next(&domids, (uint32_t)id + 1))
        fn(idtab_get(&domids, (uint32_t)id));
    spin_unlock(&domlist_lock);
}

unsigned int domain_count(void)
{
    return nr_domains;
}
