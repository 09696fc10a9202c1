/*
 * The PV console Cloison serves itself for domUs with the Xen interface, so
 * a domU's hvc0 works with no dom0 at all (xen/pvconsole.c).
 *
 * At creation the ring page (struct xencons_interface) is mapped at Xen's
 * magic GFN 0x39000 and a hypervisor-side event channel is allocated; HVM
 * params 17/18 publish both before the first instruction. Every send on the
 * port, and every SCHEDOP_yield (a guest with a full ring spins in yield),
 * drains `out` into the domain's console log; input typed for the domain
 * goes into `in`. The guest owns the indices: they are validated each time.
 */
#ifndef CLOISON_PVCONSOLE_H
#define CLOISON_PVCONSOLE_H

#include <cloison/types.h>

struct domain;
struct xencons_interface;

int pvconsole_domain_init(struct domain *d); /* no-op unless a Xen-enhanced domU */
/* The built domain starts: its PV console takes the input unless a vPL011 does. */
void pvconsole_domain_start(struct domain *d);
void pvconsole_domain_destroy(struct domain *d);
/* Drain pending output now (SCHEDOP_yield, notify). */
void pvconsole_poll(struct domain *d);
/* Console input for d: returns how many bytes fit in the ring (the rest is dropped). */
size_t pvconsole_input(struct domain *d, const char *buf, size_t len);

/* Ring primitives (xen/pvconsole_ring.c, host-tested). Both return -1 and
 * touch nothing when the guest's indices are impossible (more pending than
 * the ring holds). */
/* Take up to cap bytes of output, advancing out_cons. */
long pvcons_out_take(struct xencons_interface *r, char *buf, size_t cap);
/* Put up to len bytes of input, advancing in_prod. */
long pvcons_in_put(struct xencons_interface *r, const char *buf, size_t len);

#endif
