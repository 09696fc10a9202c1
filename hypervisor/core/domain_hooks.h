/* Running the registered domain parts and listeners (core/domain_hooks.c),
 * for domain.c. */
#ifndef CLOISON_CORE_DOMAIN_HOOKS_H
#define CLOISON_CORE_DOMAIN_HOOKS_H

#include <core/domain_event.h>

struct domain;

struct footprint;
/* Each part's init, in registration order; stops at the first failure.
 * What each part allocated is marked in fp under its name. */
int domain_parts_init(struct domain *d, struct footprint *fp);
/* Each part's start, in registration order. */
void domain_parts_start(struct domain *d);
/* Each part whose init ran (the failed one included), last first. */
void domain_parts_destroy(struct domain *d);
/* Whether any part says others still use d's memory. */
bool domain_parts_in_use(const struct domain *d);
/* Every listener, in registration order (d is NULL for DOMAIN_DESTROYED). */
void domain_notify(enum domain_event ev, uint16_t domid, struct domain *d);

#endif
