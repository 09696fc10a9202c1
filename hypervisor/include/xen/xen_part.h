/* The Xen interface as one part of a domain (xen/xen_part.c). */
#ifndef CLOISON_XEN_PART_H
#define CLOISON_XEN_PART_H

#include <core/domain_event.h>

struct domain;

/* Event channels and shared info, grant table, PV console: for domains with
 * the Xen interface (xen,enhanced and dom0); others get none of it. */
int xen_part_init(struct domain *d);
/* The domain starts: its PV console or dom0's console takes the input. */
void xen_part_start(struct domain *d);
void xen_part_destroy(struct domain *d);
/* Others still map its grants (a destroyed domain stays dying until not). */
bool xen_part_in_use(const struct domain *d);
/* Lifecycle listener: VIRQ_DOM_EXC to whoever bound it (dom0's xenstored). */
void xen_domain_event(enum domain_event ev, uint16_t domid, struct domain *d);

#endif
