/* Balloon operations on a domain's RAM (xen/xen_memory.c). 0 or -errno. */
#ifndef CLOISON_XEN_MEMORY_H
#define CLOISON_XEN_MEMORY_H
#include <cloison/types.h>
struct domain;

int xen_decrease_extent(struct domain *d, uint64_t gfn, unsigned int order);
int xen_populate_extent(struct domain *d, uint64_t gfn, unsigned int order);
int xen_increase_extent(struct domain *d, unsigned int order);
uint64_t xen_tot_pages(const struct domain *d);
uint64_t xen_max_pages(const struct domain *d);
uint64_t xen_max_gpfn(const struct domain *d);
/* gfn was just mapped into d: XENMEM_maximum_gpfn answers at least gfn. */
void xen_note_mapped_gfn(struct domain *d, uint64_t gfn);
#endif
