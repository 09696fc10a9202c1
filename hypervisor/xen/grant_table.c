/*
 * Grant tables: the per-domain table, its shared frames and their place in
 * the guest's stage 2, size queries, and what happens to grants when a
 * domain goes away (see xen/grant.h for the lifetime rules).
 */
#include <core/domain.h>
#include <core/domain_ram.h>
#include <cloison/errno.h>
#include <core/foreign_map.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <cloison/printk.h>
#include <public/xen.h>
#include <string.h>
#include "grant_priv.h"

/* Add frames up to nr (<= GNTTAB_MAX_FRAMES). On failure the table keeps the
 * frames it had, and the caller reports what Xen reports for a short table. */
static int grow(struct grant_table *gt, unsigned int nr)
{
    while (gt->nr_frames < nr) {
        unsigned int i = gt->nr_frames;
        paddr_t pa = page_alloc_guest(0); /* zeroed: every entry GTF_invalid */
        if (!pa)
            return -ENOMEM;
        gt->frames[i] = pa;
        gt->frame_gfn[i] = GNTTAB_GFN_INVALID;
        gt->nr_frames = i + 1;
    }
    return 0;
}

bool gnttab_active_prepare(struct grant_table *gt, grant_ref_t ref)
{
    ASSERT_HELD(&gt->lock);
    struct active_entry **a = &gt->active[ref / GNTTAB_ENTRIES_PER_FRAME];
    if (!*a)
        *a = xzalloc_guest(GNTTAB_ENTRIES_PER_FRAME * sizeof(**a));
    return *a != NULL;
}

static void free_table(struct grant_table *gt)
{
    /* Frames the toolstack still maps (acquire_resource) stay until unmapped. */
    foreign_release_frames(gt->domid, gt->frames, gt->nr_frames);
    for (unsigned int i = 0; i < gt->nr_frames; i++)
        xfree(gt->active[i]);
    foreign_release_chunks(gt->domid, gt->kept, gt->nr_kept);
    xfree(gt->kept);
    xfree(gt);
}

static const struct pfnmap_heap mapped_heap = {xzalloc, xfree};

int gnttab_domain_init(struct domain *d)
{
    struct grant_table *gt = xzalloc(sizeof(*gt));
    if (!gt)
        return -ENOMEM;
    gt->mapped = (struct pfnmap)PFNMAP_INIT(&mapped_heap);
    gt->d = d;
    gt->domid = d->id;
    gt->mt_head = gt->mt_tail = MT_NONE;
    gt->lock = (spinlock_t)SPINLOCK_INIT;
    gt->maptrack_lock = (spinlock_t)SPINLOCK_INIT;
    if (grow(gt, GNTTAB_INITIAL_FRAMES) != 0) {
        free_table(gt);
        return -ENOMEM;
    }
    d->gnttab = gt; /* before the domain is listed: nobody else sees it yet */
    return 0;
}

static struct maptrack *mt_entry(struct grant_table *gt, uint32_t h)
{
    return &gt->mt[h / MT_PER_PAGE][h % MT_PER_PAGE];
}

uint32_t gnttab_mt_alloc(struct grant_table *gt)
{
    ASSERT_HELD(&gt->maptrack_lock);
    if (gt->mt_head == MT_NONE) {
        if (gt->mt_limit / MT_PER_PAGE >= GNTTAB_MAX_MAPTRACK_FRAMES)
            return MT_NONE;
        /* The page directory too comes with the first handle: most domains
         * never map a grant. */
        if (!gt->mt && !(gt->mt = xzalloc_guest(GNTTAB_MAX_MAPTRACK_FRAMES * sizeof(*gt->mt))))
            return MT_NONE;
        struct maptrack *page = xzalloc_guest(MT_PER_PAGE * sizeof(*page));
        if (!page)
            return MT_NONE;
        uint32_t base = gt->mt_limit;
        gt->mt[base / MT_PER_PAGE] = page;
        gt->mt_limit += MT_PER_PAGE;
        for (uint32_t i = 0; i < MT_PER_PAGE; i++)
            gnttab_mt_free(gt, base + i);
    }
    uint32_t h = gt->mt_head;
    gt->mt_head = mt_entry(gt, h)->next;
    if (gt->mt_head == MT_NONE)
        gt->mt_tail = MT_NONE;
    return h;
}

/* Freed handles go to the tail, so a handle is not reused at once. */
void gnttab_mt_free(struct grant_table *gt, uint32_t h)
{
    ASSERT_HELD(&gt->maptrack_lock);
    struct maptrack *m = mt_entry(gt, h);
    m->rgt = NULL;
    m->flags = 0;
    m->next = MT_NONE;
    if (gt->mt_tail == MT_NONE)
        gt->mt_head = h;
    else
        mt_entry(gt, gt->mt_tail)->next = h;
    gt->mt_tail = h;
}

bool gnttab_put_mapping(struct grant_table *gt)
{
    ASSERT_HELD(&gt->lock);
    return --gt->nr_mapped == 0 && !gt->d;
}

/* Nobody reaches a zombie but through the mappings it counts: once the last
 * is gone, no other pCPU holds or waits for its lock. */
void gnttab_free_zombie(struct grant_table *gt)
{
    printk("grant table of d%u: last foreign mapping gone, its pages are freed", gt->domid);
    free_table(gt);
}

/*
 * Others still map pages of d: take over the RAM chunks holding them (the
 * rest is freed now) so domain_free_ram() frees nothing that is mapped.
 */
static void become_zombie(struct grant_table *gt, struct domain *d)
{
    bool *keep = xzalloc(d->nr_ram_chunks ? d->nr_ram_chunks : 1);
    size_t nr_keep = 0;
    for (unsigned int f = 0; keep && f < gt->nr_frames; f++)
        for (unsigned int i = 0; gt->active[f] && i < GNTTAB_ENTRIES_PER_FRAME; i++) {
            const struct active_entry *a = &gt->active[f][i];
            const struct ram_chunk *c = a->pin ? domain_ram_chunk_of_pa(d, a->pa) : NULL;
            if (c && !keep[c - d->ram_chunks]) {
                keep[c - d->ram_chunks] = true;
                nr_keep++;
            }
        }
    gt->kept = keep ? xzalloc((nr_keep ? nr_keep : 1) * sizeof(*gt->kept)) : NULL;
    if (!gt->kept) {
        /* Cannot account the chunks: leak all of d's RAM rather than free mapped pages. */
        printk("d%u: out of memory tracking granted pages: its RAM is not freed", d->id);
    } else {
        for (size_t i = 0; i < d->nr_ram_chunks; i++) {
            if (keep[i])
                gt->kept[gt->nr_kept++] = d->ram_chunks[i];
            else
                foreign_release_chunks(d->id, &d->ram_chunks[i], 1);
        }
        xfree(d->ram_chunks);
    }
    xfree(keep);
    d->ram_chunks = NULL;
    d->nr_ram_chunks = 0;
    uint64_t kib = 0;
    for (size_t i = 0; i < gt->nr_kept; i++)
        kib += (PAGE_SIZE << gt->kept[i].order) >> 10;
    printk("d%u: %lu grant mapping(s) by other domains remain: keeping %lu KiB until unmapped",
           d->id, gt->nr_mapped, kib);
}

/* Drop every grant mapping d's handles hold (d's vCPUs are gone; they may be
 * the last pins on a zombie, freed here then). */
static void unmap_all(struct grant_table *gt)
{
    spin_lock(&gt->maptrack_lock);
    for (uint32_t h = 0; h < gt->mt_limit; h++) {
        struct maptrack *m = mt_entry(gt, h);
        struct grant_table *rgt = m->rgt;
        if (!rgt)
            continue;
        m->rgt = NULL;
        spin_lock(&rgt->lock);
        gnttab_unpin(rgt, m->ref, m->flags & GNTMAP_readonly);
        bool last = gnttab_put_mapping(rgt);
        spin_unlock(&rgt->lock);
        if (last)
            gnttab_free_zombie(rgt);
    }
    for (uint32_t p = 0; p < gt->mt_limit / MT_PER_PAGE; p++)
        xfree(gt->mt[p]);
    xfree(gt->mt);
    gt->mt = NULL;
    gt->mt_limit = 0;
    pfnmap_free(&gt->mapped);
    spin_unlock(&gt->maptrack_lock);
}

/*
 * d is off the domain list and unreferenced, so no lookup reaches its table
 * any more; others' handles still do, until they unmap: if any remain, the
 * table becomes a zombie under its lock, which those unmaps take.
 */
void gnttab_domain_destroy(struct domain *d)
{
    struct grant_table *gt = d->gnttab;
    if (!gt)
        return;
    d->gnttab = NULL;
    unmap_all(gt);
    spin_lock(&gt->lock);
    gt->d = NULL;
    bool free_now = gt->nr_mapped == 0;
    if (!free_now)
        become_zombie(gt, d);
    spin_unlock(&gt->lock);
    if (free_now)
        free_table(gt);
}

bool gnttab_mapped_by_others(const struct domain *d)
{
    const struct grant_table *gt = d->gnttab;
    return gt && __atomic_load_n(&gt->nr_mapped, __ATOMIC_RELAXED) != 0;
}

struct domain *gnttab_get_domain(struct domain *cur, uint16_t dom, bool any_id)
{
    if ((dom == DOMID_SELF && any_id) || dom == cur->id)
        return cur;
    if (dom >= DOMID_FIRST_RESERVED)
        return NULL;
    struct domain *d = domain_get(dom);
    if (d && !d->gnttab) { /* a domain without the Xen interface */
        domain_put(d);
        d = NULL;
    }
    return d;
}

void gnttab_put_domain(struct domain *cur, struct domain *d)
{
    if (d && d != cur)
        domain_put(d);
}

bool gnttab_may_target(const struct domain *cur, const struct domain *d)
{
    return cur == d || cur->is_privileged;
}

int gnttab_granter_page(struct grant_table *gt, uint64_t gfn, paddr_t *pa)
{
    ASSERT_HELD(&gt->lock);
    struct domain *d = gt->d;
    enum p2m_type t;
    if (!d || gfn >= (1ULL << (64 - PAGE_SHIFT)) ||
        !p2m_lookup(&d->p2m, gfn << PAGE_SHIFT, pa, &t) || t != P2M_RAM)
        return GNTST_bad_page;
    for (unsigned int i = 0; i < gt->nr_frames; i++)
        if (gt->frames[i] == *pa)
            return GNTST_okay;
    /* Only the domain's own RAM, where it was put: never a page it maps from
     * elsewhere (a grant of a grant) nor one Cloison put over its RAM. */
    return domain_own_ram_page(d, gfn, pa, NULL) ? GNTST_okay : GNTST_bad_page;
}

int gnttab_map_frame(struct domain *d, unsigned long idx, uint64_t gfn)
{
    int rc = 0;
    struct grant_table *gt = d->gnttab;
    if (!gt)
        return -EINVAL;
    spin_lock(&gt->lock);
    /* v2 status frames (XENMAPIDX_grant_table_status) do not exist in v1:
     * that idx is simply beyond the maximum, as on Xen/ARM. */
    if (idx >= GNTTAB_MAX_FRAMES || !domain_gfn_mappable(d, gfn)) {
        rc = -EINVAL;
        goto out;
    }
    if (idx >= gt->nr_frames && grow(gt, idx + 1) != 0) {
        rc = -EINVAL; /* Xen: the table did not reach idx */
        goto out;
    }
    uint64_t old = gt->frame_gfn[idx];
    paddr_t pa;
    enum p2m_type t;
    /* Xen 4.17 insists the frame is unmapped first (XENMEM_remove_from_physmap),
     * even to map it at the same place again. It counts as unmapped once the
     * guest removed it or put something else over it. */
    if (old != GNTTAB_GFN_INVALID && p2m_lookup(&d->p2m, old << PAGE_SHIFT, &pa, &t) &&
        pa == gt->frames[idx]) {
        rc = -EBUSY;
        goto out;
    }
    gt->frame_gfn[idx] = GNTTAB_GFN_INVALID;
    rc = p2m_set_page(&d->p2m, gfn << PAGE_SHIFT, gt->frames[idx], P2M_RAM);
    if (rc == 0)
        gt->frame_gfn[idx] = gfn;
out:
    spin_unlock(&gt->lock);
    return rc;
}

void gnttab_query_size(struct domain *cur, struct gnttab_query_size *op)
{
    struct domain *d = gnttab_get_domain(cur, op->dom, true);
    if (!d) {
        op->status = GNTST_bad_domain;
    } else if (!gnttab_may_target(cur, d)) {
        op->status = GNTST_permission_denied;
    } else {
        spin_lock(&d->gnttab->lock);
        op->nr_frames = d->gnttab->nr_frames;
        spin_unlock(&d->gnttab->lock);
        op->max_nr_frames = GNTTAB_MAX_FRAMES;
        op->status = GNTST_okay;
    }
    gnttab_put_domain(cur, d);
}

void gnttab_setup_table(struct domain *cur, struct gnttab_setup_table *op, uint64_t *frames)
{
    struct domain *d = gnttab_get_domain(cur, op->dom, true);
    struct grant_table *gt = d ? d->gnttab : NULL;
    if (!d) {
        op->status = GNTST_bad_domain;
    } else if (!gnttab_may_target(cur, d)) {
        op->status = GNTST_permission_denied;
    } else {
        spin_lock(&gt->lock);
        if (op->nr_frames > GNTTAB_MAX_FRAMES ||
            (op->nr_frames > gt->nr_frames && grow(gt, op->nr_frames) != 0)) {
            op->status = GNTST_general_error;
        } else {
            /* On ARM the frames live where the guest mapped them (if anywhere). */
            for (uint32_t i = 0; i < op->nr_frames; i++)
                frames[i] = gt->frame_gfn[i];
            op->status = GNTST_okay;
        }
        spin_unlock(&gt->lock);
    }
    gnttab_put_domain(cur, d);
}

void gnttab_get_status_frames(struct domain *cur, struct gnttab_get_status_frames *op)
{
    struct domain *d = gnttab_get_domain(cur, op->dom, true);
    if (!d)
        op->status = GNTST_bad_domain;
    else if (!gnttab_may_target(cur, d))
        op->status = GNTST_permission_denied;
    else /* a v1 table has no status frames */
        op->status = op->nr_frames ? GNTST_general_error : GNTST_okay;
    gnttab_put_domain(cur, d);
}

/* Xen/ARM is built with GNTTAB_MAX_VERSION 1: v2 is "not implemented". */
int gnttab_set_version(struct domain *cur, struct gnttab_set_version *op)
{
    (void)cur;
    int rc = op->version == 1 ? 0 : op->version == 2 ? -ENOSYS : -EINVAL;
    op->version = 1;
    return rc;
}

int gnttab_get_version(struct domain *cur, struct gnttab_get_version *op)
{
    int rc = 0;
    struct domain *d = gnttab_get_domain(cur, op->dom, true);
    if (!d)
        rc = -ESRCH;
    else if (!gnttab_may_target(cur, d))
        rc = -EPERM;
    else
        op->version = 1;
    gnttab_put_domain(cur, d);
    return rc;
}

int gnttab_shared_frame(struct domain *d, unsigned long idx, paddr_t *pa)
{
    struct grant_table *gt = d->gnttab;
    if (!gt)
        return -EINVAL;
    spin_lock(&gt->lock);
    /* Xen's gnttab_get_shared_frame_mfn: grown to hold idx if it may. */
    int rc =
        idx < GNTTAB_MAX_FRAMES && (idx < gt->nr_frames || grow(gt, idx + 1) == 0) ? 0 : -EINVAL;
    if (!rc)
        *pa = gt->frames[idx];
    spin_unlock(&gt->lock);
    return rc;
}

bool gnttab_frame_at(struct domain *d, uint64_t gfn, paddr_t *pa)
{
    struct grant_table *gt = d->gnttab;
    bool found = false;
    if (!gt || gfn >= (1ULL << (64 - PAGE_SHIFT)))
        return false;
    spin_lock(&gt->lock);
    for (unsigned int i = 0; i < gt->nr_frames && !found; i++) {
        paddr_t now;
        enum p2m_type t;
        /* Still there: the guest may have removed it or mapped over it. */
        found = gt->frame_gfn[i] == gfn && p2m_lookup(&d->p2m, gfn << PAGE_SHIFT, &now, &t) &&
                now == gt->frames[i];
        if (found)
            *pa = now;
    }
    spin_unlock(&gt->lock);
    return found;
}
