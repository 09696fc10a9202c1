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

/*
 * XEN_DOMCTL_set_paging_mempool_size / get_paging_mempool_size for the
 * toolstack (its issue adds the domctl): bytes, page-sized (-EINVAL), root
 * included; -ENOMEM as p2m_pool_set_pages(), -EAGAIN when *budget pages
 * moved and more are to go (a continuation). For dom0 the size is accepted
 * and has no effect: its tables come from the heap, as on Xen 4.17.
 */
int domain_set_paging_mempool_size(struct domain *d, uint64_t bytes, size_t *budget);
uint64_t domain_get_paging_mempool_size(struct domain *d);

#endif
