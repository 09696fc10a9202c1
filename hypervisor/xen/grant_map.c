/*
 * Grant operations between domains: map/unmap into the caller's stage 2,
 * copy, and the small ones (transfer, swap, cache_flush). Checks happen in
 * the order Xen makes them, so a request with several faults gets Xen's
 * status code. The shared entry is guest memory: read once, updated only by
 * compare-and-swap, never trusted between two reads.
 */
#include <core/domain.h>
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <public/xen.h>
#include <string.h>
#include "grant_priv.h"

/*
 * Set GTF_reading (and GTF_writing) in the granter's entry, checking type and
 * grantee unless the entry is already pinned (then the active entry rules).
 * The guest may race us: a few retries, then give up as Xen does.
 */
static int pin_shared(struct grant_entry_v1 *e, const struct active_entry *act, bool readonly,
                      bool mapping, uint16_t ldomid)
{
    uint32_t *raw = (uint32_t *)(void *)e; /* flags in bits 15:0, domid in 31:16 */
    uint16_t mask = GTF_type_mask | (mapping ? GTF_sub_page : 0);
    uint32_t cur = __atomic_load_n(raw, __ATOMIC_ACQUIRE);
    for (int retries = 0;; retries++) {
        uint16_t flags = (uint16_t)cur, domid = (uint16_t)(cur >> 16);
        if (!act->pin && ((flags & mask) != GTF_permit_access || domid != ldomid))
            return GNTST_general_error;
        uint32_t want = cur | GTF_reading;
        if (!readonly) {
            if (flags & GTF_readonly)
                return GNTST_general_error;
            want |= GTF_writing;
        }
        if (__atomic_compare_exchange_n(raw, &cur, want, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return GNTST_okay;
        if (retries == 4)
            return GNTST_general_error;
    }
}

/* After pins went away: writing ends with the last writable pin, reading with the last pin. */
static void clear_status(struct grant_table *rgt, grant_ref_t ref, bool readonly)
{
    const struct active_entry *act = active_entry(rgt, ref);
    uint16_t clear = 0;
    if (!readonly && !(act->pin & PIN_W_MASK))
        clear |= GTF_writing;
    if (!act->pin)
        clear |= GTF_reading;
    if (clear)
        __atomic_fetch_and(&shared_entry(rgt, ref)->flags, (uint16_t)~clear, __ATOMIC_SEQ_CST);
}

void gnttab_unpin(struct grant_table *rgt, grant_ref_t ref, bool readonly)
{
    ASSERT_HELD(&rgt->lock);
    active_entry(rgt, ref)->pin -= readonly ? PIN_HSTR : PIN_HSTW;
    clear_status(rgt, ref, readonly);
}

/* Pin ref of rgt for ldomid (a map or one side of a copy); *pa = the page. */
static int acquire(struct grant_table *rgt, grant_ref_t ref, uint16_t ldomid, bool readonly,
                   bool mapping, paddr_t *pa)
{
    ASSERT_HELD(&rgt->lock);
    if (ref >= nr_entries(rgt))
        return GNTST_bad_gntref;
    if (!gnttab_active_prepare(rgt, ref))
        return GNTST_general_error; /* as a table that cannot grow */
    struct active_entry *act = active_entry(rgt, ref);
    struct grant_entry_v1 *e = shared_entry(rgt, ref);
    if (act->pin && (act->domid != ldomid || (act->pin & PIN_OVERFLOW)))
        return GNTST_general_error;
    if (!act->pin || (!readonly && !(act->pin & PIN_W_MASK))) {
        int rc = pin_shared(e, act, readonly, mapping, ldomid);
        if (rc != GNTST_okay)
            return rc;
        if (!act->pin) {
            uint32_t frame = __atomic_load_n(&e->frame, __ATOMIC_ACQUIRE);
            rc = gnttab_granter_page(rgt, frame, &act->pa);
            if (rc != GNTST_okay) {
                clear_status(rgt, ref, readonly);
                return rc;
            }
            act->domid = ldomid;
        }
    }
    act->pin += readonly ? PIN_HSTR : PIN_HSTW;
    *pa = act->pa;
    return GNTST_okay;
}

/* The mapper's maptrack_lock and the granter's lock are held; `handle` is
 * the mapper's, freed again unless the map succeeds. */
static int map_locked(struct domain *cur, struct gnttab_map_grant_ref *op, struct grant_table *rgt,
                      uint32_t handle)
{
    struct grant_table *lgt = cur->gnttab;
    uint32_t flags = op->flags;
    bool ro = flags & GNTMAP_readonly;
    paddr_t pa = 0;
    int rc = acquire(rgt, op->ref, cur->id, ro, true, &pa);
    bool pinned = rc == GNTST_okay;
    /* Only host_map[|readonly] exists on ARM. The entry's x86 cache
     * attributes (GTF_PAT/PCD/PWT) are ignored for RAM, as on Xen. */
    if (pinned && (flags & ~GNTMAP_readonly) != GNTMAP_host_map)
        rc = GNTST_general_error;
    else if (pinned && !domain_gfn_mappable(cur, op->host_addr >> PAGE_SHIFT))
        rc = GNTST_general_error; /* Xen/ARM: guest_physmap_add_entry failed */
    else if (pinned && !pfnmap_inc(&lgt->mapped, pa >> PAGE_SHIFT))
        rc = GNTST_no_space; /* no memory to account it (as for maptrack) */
    else if (pinned &&
             p2m_set_page(&cur->p2m, op->host_addr & PAGE_MASK, pa, ro ? P2M_RAM_RO : P2M_RAM)) {
        pfnmap_dec(&lgt->mapped, pa >> PAGE_SHIFT);
        rc = GNTST_general_error;
    }
    if (pinned && rc != GNTST_okay)
        gnttab_unpin(rgt, op->ref, ro);
    if (rc != GNTST_okay) {
        gnttab_mt_free(lgt, handle);
        return rc;
    }
    struct maptrack *m = &lgt->mt[handle / MT_PER_PAGE][handle % MT_PER_PAGE];
    m->rgt = rgt;
    m->ref = op->ref;
    m->flags = (uint16_t)flags;
    rgt->nr_mapped++;
    op->handle = handle;
    op->dev_bus_addr = pa;
    return GNTST_okay;
}

void gnttab_map_ref(struct domain *cur, struct gnttab_map_grant_ref *op)
{
    uint32_t flags = op->flags;
    if (!(flags & (GNTMAP_device_map | GNTMAP_host_map))) {
        op->status = GNTST_bad_gntref;
        return;
    }
    /* ARM guests are translated: no device, application or PTE mappings. */
    if (flags & (GNTMAP_device_map | GNTMAP_application_map | GNTMAP_contains_pte)) {
        op->status = GNTST_general_error;
        return;
    }
    struct domain *rd = gnttab_get_domain(cur, op->dom, false); /* no DOMID_SELF, as Xen */
    if (!rd) {
        op->status = GNTST_bad_domain;
        return;
    }
    struct grant_table *lgt = cur->gnttab, *rgt = rd->gnttab;
    spin_lock(&lgt->maptrack_lock);
    uint32_t handle = gnttab_mt_alloc(lgt);
    if (handle == MT_NONE) {
        op->status = GNTST_no_space; /* Xen 4.17: maptrack full */
    } else {
        spin_lock(&rgt->lock);
        op->status = (int16_t)map_locked(cur, op, rgt, handle);
        spin_unlock(&rgt->lock);
    }
    spin_unlock(&lgt->maptrack_lock);
    gnttab_put_domain(cur, rd);
}

/* The mapper's maptrack_lock and the granter's lock are held. True if the
 * handle's last mapping went and rgt is a zombie to free. */
static int16_t unmap_locked(struct domain *cur, struct maptrack *m, uint64_t host_addr,
                            uint64_t dev_bus_addr, uint64_t new_addr, grant_handle_t handle,
                            bool *free_rgt)
{
    struct grant_table *lgt = cur->gnttab, *rgt = m->rgt;
    paddr_t granted = active_entry(rgt, m->ref)->pa, pa;
    enum p2m_type t;
    if (dev_bus_addr && dev_bus_addr != granted)
        return GNTST_general_error;
    /* host_addr 0 unmaps nothing and keeps the handle, as on Xen. */
    if (host_addr && (m->flags & GNTMAP_host_map)) {
        ipa_t ipa = host_addr & PAGE_MASK;
        /* Only if host_addr still shows the granted page (Xen checks the MFN). */
        if (new_addr || !p2m_lookup(&cur->p2m, ipa, &pa, &t) || pa != granted ||
            p2m_clear_page(&cur->p2m, ipa) != 0)
            return GNTST_general_error;
        m->flags &= (uint16_t)~GNTMAP_host_map;
    }
    if (!(m->flags & GNTMAP_host_map)) {
        pfnmap_dec(&lgt->mapped, granted >> PAGE_SHIFT);
        gnttab_unpin(rgt, m->ref, m->flags & GNTMAP_readonly);
        gnttab_mt_free(lgt, handle);
        *free_rgt = gnttab_put_mapping(rgt);
    }
    return GNTST_okay;
}

/* The handle's entry keeps the granter's table allocated (it is counted in
 * its nr_mapped) for as long as the maptrack_lock is held. */
int16_t gnttab_unmap_ref(struct domain *cur, uint64_t host_addr, uint64_t dev_bus_addr,
                         uint64_t new_addr, grant_handle_t handle)
{
    int16_t rc = GNTST_bad_handle;
    struct grant_table *lgt = cur->gnttab, *rgt = NULL;
    bool free_rgt = false;
    spin_lock(&lgt->maptrack_lock);
    struct maptrack *m =
        handle < lgt->mt_limit ? &lgt->mt[handle / MT_PER_PAGE][handle % MT_PER_PAGE] : NULL;
    if (m && m->rgt) {
        rgt = m->rgt;
        spin_lock(&rgt->lock);
        rc = unmap_locked(cur, m, host_addr, dev_bus_addr, new_addr, handle, &free_rgt);
        spin_unlock(&rgt->lock);
    }
    spin_unlock(&lgt->maptrack_lock);
    if (free_rgt)
        gnttab_free_zombie(rgt);
    return rc;
}

/* One side of a copy: a grant of `d` or (DOMID_SELF only) a frame of the caller. */
struct copy_side {
    struct domain *d;
    bool have_grant;
    grant_ref_t ref;
    paddr_t pa;
};

static int claim(struct domain *cur, const struct gnttab_copy_ptr *p, bool is_gref, bool readonly,
                 struct copy_side *s)
{
    if (is_gref) {
        int rc = acquire(s->d->gnttab, p->u.ref, cur->id, readonly, false, &s->pa);
        s->have_grant = rc == GNTST_okay;
        s->ref = p->u.ref;
        return rc;
    }
    return gnttab_granter_page(s->d->gnttab, p->u.gmfn, &s->pa);
}

static void release(struct copy_side *s, bool readonly)
{
    if (s->have_grant)
        gnttab_unpin(s->d->gnttab, s->ref, readonly);
    s->have_grant = false;
}

static int find_side(struct domain *cur, uint16_t domid, bool is_gref, struct copy_side *s)
{
    /* Only the caller's own memory may be named by frame number. */
    if (domid != DOMID_SELF && !is_gref)
        return GNTST_permission_denied;
    s->d = gnttab_get_domain(cur, domid, true);
    return s->d ? GNTST_okay : GNTST_bad_domain;
}

/* Both sides' tables, the lower domain id first; once if they are one. */
static void lock_sides(struct grant_table *a, struct grant_table *b)
{
    struct grant_table *first = a->domid <= b->domid ? a : b;
    spin_lock(&first->lock);
    if (a != b)
        spin_lock(&(first == a ? b : a)->lock);
}

static void unlock_sides(struct grant_table *a, struct grant_table *b)
{
    if (a != b)
        spin_unlock(&b->lock);
    spin_unlock(&a->lock);
}

/* Both sides' locks held: pin, check, copy (hypervisor addresses of pinned
 * pages, nothing here can fault), unpin. */
static int copy_locked(struct domain *cur, const struct gnttab_copy *op, struct copy_side *src,
                       struct copy_side *dst)
{
    bool sg = op->flags & GNTCOPY_source_gref, dg = op->flags & GNTCOPY_dest_gref;
    int rc = claim(cur, &op->source, sg, true, src);
    if (rc == GNTST_okay)
        rc = claim(cur, &op->dest, dg, false, dst);
    if (rc == GNTST_okay && ((uint32_t)op->source.offset + op->len > PAGE_SIZE ||
                             (uint32_t)op->dest.offset + op->len > PAGE_SIZE))
        rc = GNTST_bad_copy_arg;
    if (rc == GNTST_okay)
        memmove((char *)phys_to_virt(dst->pa) + op->dest.offset,
                (const char *)phys_to_virt(src->pa) + op->source.offset, op->len);
    release(dst, false);
    release(src, true);
    return rc;
}

/* Domains are looked up (and referenced) holding no grant lock; then only
 * the two sides' tables are locked: a copy between two domains never waits
 * for a third. */
void gnttab_copy(struct domain *cur, struct gnttab_copy *op)
{
    struct copy_side src = {0}, dst = {0};
    bool sg = op->flags & GNTCOPY_source_gref, dg = op->flags & GNTCOPY_dest_gref;
    int rc = find_side(cur, op->source.domid, sg, &src);
    if (rc == GNTST_okay)
        rc = find_side(cur, op->dest.domid, dg, &dst);
    if (rc == GNTST_okay) {
        struct grant_table *a = src.d->gnttab, *b = dst.d->gnttab;
        lock_sides(a, b);
        rc = copy_locked(cur, op, &src, &dst);
        unlock_sides(a, b);
    }
    gnttab_put_domain(cur, dst.d);
    gnttab_put_domain(cur, src.d);
    op->status = (int16_t)rc;
}

/* Page transfer needs page ownership changes translated guests do not have:
 * Xen/ARM fails it (bad_page when the frame is not even mapped). */
void gnttab_transfer(struct domain *cur, struct gnttab_transfer *op)
{
    paddr_t pa;
    enum p2m_type t;
    bool mapped = op->mfn < (1ULL << (64 - PAGE_SHIFT)) &&
                  p2m_lookup(&cur->p2m, op->mfn << PAGE_SHIFT, &pa, &t) && t != P2M_DEVICE;
    op->status = mapped ? GNTST_general_error : GNTST_bad_page;
}

void gnttab_swap_ref(struct domain *cur, struct gnttab_swap_grant_ref *op)
{
    struct grant_table *gt = cur->gnttab;
    spin_lock(&gt->lock);
    int rc = GNTST_okay;
    if (op->ref_a >= nr_entries(gt) || op->ref_b >= nr_entries(gt))
        rc = GNTST_bad_gntref;
    else if (op->ref_a != op->ref_b && (active_pins(gt, op->ref_a) || active_pins(gt, op->ref_b)))
        rc = GNTST_eagain;
    else if (op->ref_a != op->ref_b) {
        struct grant_entry_v1 *a = shared_entry(gt, op->ref_a), *b = shared_entry(gt, op->ref_b);
        struct grant_entry_v1 t = *a;
        *a = *b;
        *b = t;
    }
    spin_unlock(&gt->lock);
    op->status = (int16_t)rc;
}

/* Is pa a page cur owns (RAM, grant frame) or maps through a grant? Xen
 * 4.17 asks the same of the page's owner; each answer here is a fixed number
 * of steps (log2 of its RAM chunks, at most 64 frames, four radix levels),
 * never a walk over what the guest has mapped. */
static bool may_flush(struct domain *cur, paddr_t pa)
{
    struct grant_table *gt = cur->gnttab;
    if (domain_ram_chunk_of_pa(cur, pa))
        return true;
    bool ok = false;
    spin_lock(&gt->lock);
    for (unsigned int i = 0; i < gt->nr_frames; i++)
        ok |= gt->frames[i] == pa;
    spin_unlock(&gt->lock);
    if (!ok) {
        spin_lock(&gt->maptrack_lock);
        ok = pfnmap_get(&gt->mapped, pa >> PAGE_SHIFT) != 0;
        spin_unlock(&gt->maptrack_lock);
    }
    return ok;
}

/*
 * Validated as Xen does; the maintenance itself is a no-op: every page
 * Cloison shares is Normal write-back and the platforms it runs on have
 * coherent DMA. (A non-coherent platform needs dc cvac/ivac here.)
 */
int gnttab_cache_flush(struct domain *cur, const struct gnttab_cache_flush *op)
{
    if (op->offset >= PAGE_SIZE || op->length > PAGE_SIZE ||
        (uint32_t)op->offset + op->length > PAGE_SIZE ||
        (op->op & ~(GNTTAB_CACHE_INVAL | GNTTAB_CACHE_CLEAN)))
        return -EINVAL;
    if (op->length == 0 || op->op == 0)
        return 0;
    return may_flush(cur, op->a.dev_bus_addr & PAGE_MASK) ? 0 : -EINVAL;
}
