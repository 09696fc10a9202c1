/* Running the registered domain parts (core/domain_hooks.c), for domain.c. */
#ifndef CLOISON_CORE_DOMAIN_HOOKS_H
#define CLOISON_CORE_DOMAIN_HOOKS_H

struct domain;

/* Each part's init, in registration order; stops at the first failure. */
int domain_parts_init(struct domain *d);
/* Each part's start, in registration order. */
void domain_parts_start(struct domain *d);
/* Each part whose init ran (the failed one included), last first. */
void domain_parts_destroy(struct domain *d);

#endif
