/*
 * Domains: creation from a boot description, lifecycle, and teardown.
 * Lifecycle: created -> running <-> paused -> shutdown(reason) -> dying -> freed.
 */
#ifndef CLOISON_DOMAIN_H
#define CLOISON_DOMAIN_H

#include <cloison/types.h>
#include <cloison/spinlock.h>
#include <cloison/p2m.h>
#include <core/domain_cfg.h>
#include <core/domain_mmio.h>
#include <lib/u64map.h>
#include <lib/sched_policy.h>
#include <public/sched.h>

#define DOMAIN_MAX_VCPUS 8
#define DOMAIN_NAME_LEN 32
/* Guest RAM banks at Xen's domU addresses: bank 0 first, then bank 1. */
#define GUEST_RAM0_BASE 0x40000000UL
#define GUEST_RAM0_MAX 0xC0000000UL
#define GUEST_RAM1_BASE 0x200000000UL
#define GUEST_RAM1_MAX 0xFE00000000UL
/* The IPA bits the layout above needs: RAM bank 1 ends at 1 TiB. */
#define GUEST_LAYOUT_IPA_BITS 40

/* Shutdown reasons are Xen's SHUTDOWN_* numbers (public/sched.h). */
typedef unsigned int shutdown_reason_t;
/* No reason given yet (Xen's SHUTDOWN_CODE_INVALID). */
#define SHUTDOWN_REASON_UNSET ((shutdown_reason_t)~0u)

/* RUNNING -> DYING (vCPUs stopping, then reaped: freed, maybe rebuilt)
 *         -> PRESERVED (stopped for good, memory and console log kept;
 *            a toolstack domain waits here for destroydomain) -> DYING */
enum domain_state { DOM_RUNNING, DOM_DYING, DOM_PRESERVED };

struct vcpu;
struct domain;
struct domain_cfg;
struct ram_chunk;

/*
 * A restart (on_*=restart) under way. The reaper (core/domain.c) frees the
 * dead domain, then calls the builder that made it (d->rebuild) again and
 * again, one bounded step per call, on pCPUs of the dead domain's own pool,
 * the pCPU going back to its scheduler between steps (docs/DESIGN.md §7,
 * "Restarts in bounded steps"). The builder keeps its progress here.
 */
struct domain_rebuild {
    struct domain_cfg cfg; /* the dead domain's description */
    struct domain *d;      /* being built: the builder's until it starts it */
    unsigned int phase;    /* the builder's, 0 at the first call */
    uint64_t pos;          /* progress within the phase */
    uint64_t layout[6];    /* the builder's addresses and sizes */
};
/* One step that zeroes or copies at most `budget` bytes of guest RAM: 1
 * while there is more, 0 once the domain is built and started, < 0 if it
 * could not be (reported, and all the builder made freed). */
typedef int (*domain_rebuild_fn)(struct domain_rebuild *rb, uint64_t budget);
struct console_log;
struct vgic_dist;
struct vpl011;
struct xen_dom;

struct domain {
    uint16_t id;
    char name[DOMAIN_NAME_LEN];
    spinlock_t lock;
    enum domain_state state;
    /* The first reason given (shutdown_code or a shutdown), latched under
     * lock; SHUTDOWN_REASON_UNSET until then. */
    shutdown_reason_t shutdown_reason;
    bool xen_enhanced;  /* has the hypervisor node and Xen interface */
    bool is_privileged; /* control domain */
    bool vpl011;        /* has the emulated SBSA UART */
    unsigned int nr_vcpus;
    struct vcpu *vcpus[DOMAIN_MAX_VCPUS];
    struct p2m p2m;
    uint64_t ram_base, ram_size;  /* IPA range of RAM bank 0 */
    uint64_t ram1_size;           /* RAM bank 1 at GUEST_RAM1_BASE, 0 if unused */
    struct ram_chunk *ram_chunks; /* host pages backing RAM, in IPA order */
    size_t nr_ram_chunks;
    uint32_t *ram_by_pa; /* indices into ram_chunks in host address order */
    struct vgic_dist *vgic;
    struct vpl011 *vuart;       /* vPL011 state (vdev/vpl011.c), NULL without vpl011 */
    struct domain_mmio mmio;    /* emulated MMIO windows (core/domain_mmio.c) */
    struct grant_table *gnttab; /* xen/grant_table.c; NULL once destroyed */
    struct pvconsole *pvcons;   /* xen/pvconsole.c: Cloison-served PV console, or NULL */
    struct xen_dom *xen;        /* Xen ABI state (xen/xen_domain.c), NULL without the interface */
    struct console_log *con;    /* console/console.c: its output and log */
    unsigned int nr_logged;     /* guest-caused log lines so far (rate limit) */
    uint64_t cntvoff;           /* CNTVOFF_EL2: guest sees time from its boot */
    struct domain_cfg cfg;      /* its boot description, to restart it */
    struct u64map foreign_maps; /* core/foreign_map.c: GFNs mapping others' pages */
    /* Kept for the toolstack (xen/ctl_*.c, under the domctl lock), used by
     * nothing else; zero until set. */
    uint8_t handle[16];       /* XEN_DOMCTL_setdomainhandle: its UUID */
    uint64_t node_affinity;   /* XEN_DOMCTL_setnodeaffinity: NUMA nodes (node 0) */
    unsigned int refs;        /* domain_get() holders: not freed while > 0 */
    unsigned int parts_begun; /* registered parts whose init ran (for the teardown) */
    /* Toolstack pauses (pausedomain; createdomain leaves 1): no vCPU runs
     * while > 0. Under lock. The first drop to 0 finishes the creation of a
     * toolstack domain (`started`). */
    unsigned int ctl_pauses;
    bool started;       /* domain_start() ran, or a toolstack domain's first unpause */
    bool ctl_destroyed; /* destroydomain asked for it: never restarted */
    /* RAM: ram_lock orders growth (toolstack populate before the first
     * unpause) against lookups; once ram_sealed (set when it starts, never
     * cleared) the chunks never change and are read without it. */
    spinlock_t ram_lock;
    bool ram_sealed;
    size_t ram_chunks_cap; /* entries allocated in ram_chunks */
    /* max_mem's limit in pages, once set (a toolstack domain: from its
     * creation, 0 until max_mem); until then the RAM it was built with. */
    uint64_t max_pages;
    bool max_pages_set;
    /* Builds it again from its description (on_*=restart), set by its
     * creator; NULL: a restart policy acts as destroy. */
    domain_rebuild_fn rebuild;
    struct domain *next; /* on the dying list (core/domain.c) */
    /* Scheduling (core/sched.c): its pool, and what the pool's policy sees
     * of it (weight and cap set through sched_set_dom_params). */
    struct cpupool *pool;
    struct sched_dom sched;
    bool id_held; /* its id is allocated: freed with it */
};

/*
 * A part of every domain beyond core's own (console log, vGIC, vPL011, the
 * Xen interface): the layers above register them through the composition
 * root (boot/compose.c), once at boot before any domain exists, in the order
 * they are built; the table is never changed afterwards, so it is read
 * without a lock. A part decides in its init whether it applies to d (and
 * returns 0 if not).
 */
struct domain_part {
    const char *name;
    /* After the RAM (not dom0's) and vCPUs exist: 0, or a negative errno and
     * the domain is not created. */
    int (*init)(struct domain *d);
    /* Optional: the built domain is about to run (images loaded). */
    void (*start)(struct domain *d);
    /* Optional. Last part first, after the vCPUs' timers are dead and
     * before core frees the vCPUs, stage 2 and RAM; for every part whose
     * init ran, the one that failed included (it undoes whatever it did
     * before failing). */
    void (*destroy)(struct domain *d);
    /* Optional: other domains still map memory this part hands out (grants):
     * a domain the toolstack destroyed stays listed, dying, until none
     * does (Xen's rule). Called under domlist_lock: lock-free reads only. */
    bool (*in_use)(const struct domain *d);
    /* Optional: this part's state of one vCPU, a line for the 'q' debug key
     * (what a stuck guest is waiting for: its interrupts, its upcall).
     * Racy reads, or locks held only briefly by anyone. */
    void (*dump_vcpu)(struct vcpu *v);
};
void domain_register_part(const struct domain_part *p);
/* Every part's dump_vcpu for v, in registration order. */
void domain_parts_dump_vcpu(struct vcpu *v);

/*
 * A domain from its description, not yet running: id, RAM (dom0's is its
 * builder's), vCPUs (all off) and its parts. Not on the domain list until
 * the creator, having loaded its images, calls domain_start(); or
 * domain_discard() to give up. NULL on failure, reported.
 */
struct domain *domain_create(const struct domain_cfg *cfg);
/* vCPU 0 starts at entry with x0 = dtb; the domain joins the list and runs. */
void domain_start(struct domain *d, uint64_t entry, uint64_t dtb);
/* Free a domain that domain_create() built and that never started. */
void domain_discard(struct domain *d);
/* A toolstack domain (cfg->toolstack) right after domain_create(): listed,
 * paused once (ctl_pauses = 1), its vCPUs placed but off, nothing loaded. */
void domain_publish_paused(struct domain *d);
/* pausedomain: one more toolstack pause; returns once none of its vCPUs is
 * on a pCPU. -EINVAL on the caller's own domain or a domain not running,
 * -EOVERFLOW past 255 pauses (Xen's limits). */
int domain_ctl_pause(struct domain *d, const struct domain *caller);
/* unpausedomain: one fewer; at 0 its runnable vCPUs run again, and a
 * toolstack domain's first unpause starts it (RAM sealed, clock started).
 * -EINVAL if it was not paused or is the caller's own. */
int domain_ctl_unpause(struct domain *d, const struct domain *caller);
/* max_mem (pages) and what it is now: see max_pages. */
void domain_set_max_pages(struct domain *d, uint64_t pages);
uint64_t domain_max_pages(const struct domain *d);
/* destroydomain: whatever its state (running, shut down, preserved), it
 * dies now and is freed once nothing holds it; never restarted. 0 also for
 * a domain already dying; -EINVAL for the caller's own. */
int domain_ctl_destroy(struct domain *d, const struct domain *caller);
/* Latch the shutdown reason (unless one is latched already), act on the
 * latched one and stop the domain's vCPUs; teardown follows. Only the first
 * call acts; any pCPU. */
void domain_shutdown(struct domain *d, shutdown_reason_t reason);
/* SCHEDOP_shutdown_code: latch the reason a later shutdown acts on, unless
 * one is latched already (Xen's rule: the first reason wins). */
void domain_set_shutdown_code(struct domain *d, shutdown_reason_t reason);
/* Guest caused an unrecoverable fault: one log line, then shutdown(crash). */
void domain_crash(struct domain *d, const char *why, uint64_t addr);
/* The domain with this id, referenced (NULL if none): it is not freed
 * before the matching domain_put(), though it may be shutting down. */
struct domain *domain_get(uint16_t id);
void domain_put(struct domain *d);
/* The listed domain with the smallest id >= min_id, referenced as by
 * domain_get(), or NULL: Xen's "first domain at or after" walks of its
 * id-sorted list (getdomaininfo, getdomaininfolist), one step at a time.
 * O(1) in the number of domains (lib/idtab), under domlist_lock. */
struct domain *domain_get_next(uint16_t min_id);
/* Unreferenced lookup: the pointer is only good while the caller holds a
 * lock the domain's teardown also takes. Prefer domain_get. */
struct domain *domain_by_id(uint16_t id);
void domain_boot_done(void);
/* The GFN lies inside the domain's guest-physical (IPA) space: the only
 * GFNs a hypercall may ask Cloison to map or look up. */
bool domain_gfn_valid(const struct domain *d, uint64_t gfn);
/* Where a domain may ask Cloison to put a page (shared_info, grant frames,
 * grant mappings, foreign pages): a valid GFN, clear of its emulated MMIO
 * windows and of device frames mapped to it (the GICv2 CPU interface,
 * dom0's devices). Anything else is refused (Xen's -EINVAL for an address
 * outside the IPA space) before any table is allocated. */
bool domain_gfn_mappable(struct domain *d, uint64_t gfn);
/* Free dying domains, restart those whose policy says so, power off when none
 * runs: a bounded step per call, from the scheduler's entry hook with what the
 * pCPU runs next (NULL: it idles). */
void domain_reap(struct vcpu *next);
unsigned int domain_count(void);
/* fn(d) for every domain on the list, under its lock (fn must not take it). */
void domain_for_each(void (*fn)(struct domain *d));

#endif
