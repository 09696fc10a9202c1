/* A domain's P2M pool size (core/domain_p2m.c). */
#ifndef CORE_DOMAIN_P2M_H
#define CORE_DOMAIN_P2M_H

#include <cloison/types.h>

struct domain;

/* Pages its pool keeps beyond what its layout used, when no size is given. */
size_t domain_p2m_headroom(const struct domain *d);
/* Once its layout is mapped: fix the pool at "xen,domain-p2m-mem-mb" (refused,
 * reported, when less than the layout uses) or at the default. dom0's stays
 * elastic. 0 or a negative errno, reported. */
int domain_p2m_pool_init(struct domain *d);

#endif
