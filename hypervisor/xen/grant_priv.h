/* Private to xen/grant*.c: the grant table's shape (see xen/grant.h). */
#ifndef CORE_GRANT_PRIV_H
#define CORE_GRANT_PRIV_H

#include <core/domain_ram.h>
#include <cloison/assert.h>
#include <xen/grant.h>
#include <cloison/mm.h>
#include <cloison/spinlock.h>
#include <lib/pfnmap.h>

/* Pin counts as Xen encodes them: writable host mappings in bits 7:0,
 * read-only ones in bits 15:8 (device mappings do not exist on ARM). A set
 * top bit in either byte means "about to overflow": refuse more pins. */
#define PIN_HSTW 0x1U
#define PIN_HSTR 0x100U
#define PIN_W_MASK 0xFFU
#define PIN_OVERFLOW 0x8080U

struct active_entry {
    uint32_t pin;
    uint16_t domid; /* the domain holding the pins */
    paddr_t pa;     /* the granted page, fixed while pinned */
};

#define MT_PER_PAGE 256
#define MT_NONE (~0U)

struct maptrack {
    struct grant_table *rgt; /* granter's table; NULL = free entry */
    grant_ref_t ref;
    uint16_t flags; /* GNTMAP_host_map [| GNTMAP_readonly] */
    uint32_t next;  /* free-list link */
};

/* Two locks (order: cloison/spinlock.h): maptrack_lock over the handles this
 * domain holds (mt*, mapped) and lock over what others reach in it: frames,
 * active entries, nr_mapped, the zombie state. A map or unmap holds the
 * mapper's maptrack_lock and then the granter's lock; a copy the two sides'
 * locks, lower domain id first. */
struct grant_table {
    spinlock_t maptrack_lock;
    spinlock_t lock;
    struct domain *d; /* NULL once the domain is gone (zombie) */
    uint16_t domid;
    unsigned int nr_frames;
    paddr_t frames[GNTTAB_MAX_FRAMES];
    uint64_t frame_gfn[GNTTAB_MAX_FRAMES]; /* GNTTAB_GFN_INVALID = not mapped */
    /* Per frame, allocated at the first pin of one of its entries (8 KiB a
     * frame, charged as the frames are: a domain nobody maps from has none). */
    struct active_entry *active[GNTTAB_MAX_FRAMES];
    /* Handles this domain holds on others' (or its own) grants. Free entries
     * form a FIFO, so handles are handed out 0, 1, 2, ... as on Xen. */
    struct maptrack **mt; /* GNTTAB_MAX_MAPTRACK_FRAMES pages, at its first handle */
    unsigned int mt_limit, mt_head, mt_tail;
    /* The host pages those handles map, each with how many: answers "does
     * this domain map that page?" (cache_flush) in a fixed number of steps. */
    struct pfnmap mapped;
    unsigned long nr_mapped; /* maptrack entries (anyone's) pointing here */
    struct ram_chunk *kept;  /* zombie: RAM chunks that hold pinned pages */
    size_t nr_kept;
};

static inline uint32_t nr_entries(const struct grant_table *gt)
{
    return gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME;
}
static inline struct grant_entry_v1 *shared_entry(struct grant_table *gt, grant_ref_t ref)
{
    struct grant_entry_v1 *f = phys_to_virt(gt->frames[ref / GNTTAB_ENTRIES_PER_FRAME]);
    return &f[ref % GNTTAB_ENTRIES_PER_FRAME];
}
/* The active entry of a pinned ref (its frame's entries exist). */
static inline struct active_entry *active_entry(struct grant_table *gt, grant_ref_t ref)
{
    return &gt->active[ref / GNTTAB_ENTRIES_PER_FRAME][ref % GNTTAB_ENTRIES_PER_FRAME];
}
/* Its pins: none while its frame has no active entries yet. */
static inline uint32_t active_pins(const struct grant_table *gt, grant_ref_t ref)
{
    const struct active_entry *a = gt->active[ref / GNTTAB_ENTRIES_PER_FRAME];
    return a ? a[ref % GNTTAB_ENTRIES_PER_FRAME].pin : 0;
}

/* grant_table.c */
/* Domain by id (DOMID_SELF allowed when any_id) that has a grant table, NULL
 * if none: referenced unless it is cur; give it back with gnttab_put_domain().
 * Called holding no grant lock. */
struct domain *gnttab_get_domain(struct domain *cur, uint16_t dom, bool any_id);
void gnttab_put_domain(struct domain *cur, struct domain *d);
/* XSM_TARGET: a domain may query/setup itself; the control domain anyone. */
bool gnttab_may_target(const struct domain *cur, const struct domain *d);
/* The page at gfn of gt's domain if it may be granted: its own RAM at its
 * own place, or one of its grant frames. GNTST_okay or GNTST_bad_page. */
int gnttab_granter_page(struct grant_table *gt, uint64_t gfn, paddr_t *pa);
/* One mapping of gt went away (gt->lock held): true if it was the last of a
 * zombie, which the caller frees with gnttab_free_zombie() once unlocked. */
bool gnttab_put_mapping(struct grant_table *gt);
void gnttab_free_zombie(struct grant_table *gt);
/* Before ref (< nr_entries) is first pinned (gt->lock held): its frame's
 * active entries, allocated now if missing. false when out of memory. */
bool gnttab_active_prepare(struct grant_table *gt, grant_ref_t ref);
uint32_t gnttab_mt_alloc(struct grant_table *gt); /* MT_NONE when full */
void gnttab_mt_free(struct grant_table *gt, uint32_t handle);

/* grant_map.c */
/* Drop pins: readonly or writable, clearing GTF_writing/GTF_reading when the
 * last of their kind goes (the shared entry is the granter's guest memory). */
void gnttab_unpin(struct grant_table *rgt, grant_ref_t ref, bool readonly);

#endif
