/*
 * Grant tables, version 1 (xen/grant_table.c: the table, its frames and a
 * domain's lifetime; xen/grant_map.c: map/unmap/copy and the other ops).
 *
 * Every domain has a grant table (as on Xen). Its shared frames are
 * Cloison-owned pages the guest maps with XENMEM_add_to_physmap; the table
 * grows on demand up to GNTTAB_MAX_FRAMES. A domain mapping a grant gets a
 * maptrack handle; the granter's active entry counts the mappings (pin) and
 * keeps GTF_reading/GTF_writing set in the shared entry while any exist.
 *
 * Lifetime: a granted page must outlive every mapping of it. When a granter
 * is destroyed while others still map its pages, its grant table survives as
 * a zombie holding the RAM chunks those pages live in; the last unmap (or the
 * mapper's own destruction) frees it. Mappers reach granters through the
 * table pointer in their maptrack entries, never by domain id, so a zombie is
 * never confused with a newer domain.
 *
 * Locking (order: cloison/spinlock.h): per table, a maptrack_lock over the
 * handles a domain holds and a lock over what others reach in it (frames,
 * active entries, mapping count). A map or unmap takes the mapper's
 * maptrack_lock, then the granter's lock; a copy the two sides' locks, the
 * lower domain id first. Other domains are found with domain_get() before
 * any grant lock is taken, so they cannot be freed while in use (teardown,
 * xen/xen_part.c, calls gnttab_domain_destroy() only once the domain is off
 * the list and unreferenced); a zombie is reached only through the handles
 * that keep it, each under its owner's maptrack_lock. No guest memory is
 * read or written through a guest address under these locks (the decoder
 * copies arguments in and out around them).
 *
 * Results are Xen's: negative errno for the hypercall, GNTST_* per operation.
 */
#ifndef CLOISON_GRANT_H
#define CLOISON_GRANT_H

#include <cloison/types.h>
#include <public/grant_table.h>

#define GNTTAB_MAX_FRAMES 64            /* Xen's default gnttab_max_frames */
#define GNTTAB_MAX_MAPTRACK_FRAMES 1024 /* Xen's default gnttab_max_maptrack_frames */
#define GNTTAB_INITIAL_FRAMES 1         /* Xen/ARM INITIAL_NR_GRANT_FRAMES */
#define GNTTAB_ENTRIES_PER_FRAME (PAGE_SIZE / sizeof(struct grant_entry_v1))
#define GNTTAB_GFN_INVALID (~0ULL)

struct domain;
struct grant_table;

/* Domain lifetime (xen/xen_part.c). destroy must run before the domain's
 * p2m, RAM or structure are freed. */
int gnttab_domain_init(struct domain *d);
void gnttab_domain_destroy(struct domain *d);
/* Other domains map grants of d right now (an unlocked read). */
bool gnttab_mapped_by_others(const struct domain *d);

/* XENMEM_add_to_physmap(XENMAPSPACE_grant_table): map shared frame idx at
 * gfn, growing the table if needed. 0, -EINVAL (idx beyond the maximum, v2
 * status frame), -EBUSY (the frame is still mapped somewhere), p2m errors. */
int gnttab_map_frame(struct domain *d, unsigned long idx, uint64_t gfn);

/* The host page of shared frame idx of d's table, grown to hold it if need
 * be (XENMEM_acquire_resource): 0, or -EINVAL (idx beyond the maximum, or no
 * memory to grow). The page lives while d is referenced; a mapping of it
 * keeps it beyond (core/foreign_map.h, foreign_map_frame). */
int gnttab_shared_frame(struct domain *d, unsigned long idx, paddr_t *pa);
/* Is one of d's grant frames mapped at gfn of d? *pa = the frame (the
 * toolstack maps it by GFN, XENMAPSPACE_gmfn_foreign, to seed the table). */
bool gnttab_frame_at(struct domain *d, uint64_t gfn, paddr_t *pa);

/* Sub-operations: `cur` is the calling domain; each fills op->status. */
void gnttab_query_size(struct domain *cur, struct gnttab_query_size *op);
/* frames[] receives op->nr_frames GFNs (GNTTAB_GFN_INVALID where unmapped)
 * when op->status is GNTST_okay; op->nr_frames <= GNTTAB_MAX_FRAMES then. */
void gnttab_setup_table(struct domain *cur, struct gnttab_setup_table *op, uint64_t *frames);
void gnttab_get_status_frames(struct domain *cur, struct gnttab_get_status_frames *op);
/* set_version/get_version return a negative errno or 0 (op->version is
 * always written back by set_version, as Xen does). */
int gnttab_set_version(struct domain *cur, struct gnttab_set_version *op);
int gnttab_get_version(struct domain *cur, struct gnttab_get_version *op);
void gnttab_map_ref(struct domain *cur, struct gnttab_map_grant_ref *op);
/* new_addr != 0 is unmap_and_replace's (refused on ARM). */
int16_t gnttab_unmap_ref(struct domain *cur, uint64_t host_addr, uint64_t dev_bus_addr,
                         uint64_t new_addr, grant_handle_t handle);
void gnttab_copy(struct domain *cur, struct gnttab_copy *op);
void gnttab_transfer(struct domain *cur, struct gnttab_transfer *op);
void gnttab_swap_ref(struct domain *cur, struct gnttab_swap_grant_ref *op);
/* 0 or a negative errno for the whole hypercall (Xen's cache_flush). */
int gnttab_cache_flush(struct domain *cur, const struct gnttab_cache_flush *op);

#endif
