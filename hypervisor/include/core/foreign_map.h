/*
 * Foreign mappings (core/foreign_map.c): the control domain maps pages of
 * another domain's RAM into its own stage 2 (XENMEM_add_to_physmap_batch with
 * XENMAPSPACE_gmfn_foreign), which is how Linux's privcmd, and through it
 * xenconsoled and the toolstack, reach a guest's memory.
 */
#ifndef CLOISON_FOREIGN_MAP_H
#define CLOISON_FOREIGN_MAP_H

#include <cloison/types.h>

struct domain;
struct ram_chunk;

/*
 * Map the page at GFN idx of od (od's own RAM only) at gfn of d, replacing
 * what d had there. The caller holds a reference on od (domain_get) and has
 * done the permission checks. 0, -EINVAL (not od's RAM, gfn out of range) or
 * -ENOMEM.
 */
int foreign_map_page(struct domain *d, struct domain *od, uint64_t idx, uint64_t gfn);

/*
 * Map pa, a page Cloison gave the domain od (a grant frame), at gfn of d,
 * holding a reference on it (counted as od's, foreign_domain_pinned()): whoever frees the page goes through
 * foreign_release_frames(), which leaves it allocated until its last unmap.
 * The caller keeps pa alive meanwhile (it references the owner). 0, -EINVAL
 * (gfn out of range) or -ENOMEM.
 */
int foreign_map_frame(struct domain *d, struct domain *od, paddr_t pa, uint64_t gfn);

/* If gfn of d is a foreign mapping: unmap it, drop its reference, *rc = the
 * result, true. False when gfn is not one (the caller handles it). */
bool foreign_unmap_gfn(struct domain *d, uint64_t gfn, int *rc);

/* d is going away (its stage 2 is no longer used): drop all it maps. */
void foreign_domain_destroy(struct domain *d);

/* Foreign mappings still hold pages of the (live) domain domid. */
bool foreign_domain_pinned(uint16_t domid);

/*
 * Free RAM chunks of the (dead) domain domid, except those foreign mappings
 * still reference: those stay allocated until their last unmap. Used by
 * every path that frees domain RAM (domain_free_ram, the grant table's
 * zombie), so no chunk a mapping points to is ever handed out again.
 */
void foreign_release_chunks(uint16_t domid, const struct ram_chunk *c, size_t n);
/* The same for single pages given by foreign_map_frame() (grant frames of
 * the domain domid). */
void foreign_release_frames(uint16_t domid, const paddr_t *pa, size_t n);

#endif
