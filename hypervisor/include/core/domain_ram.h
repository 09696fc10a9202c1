/*
 * A domain's RAM: the host pages backing it (core/domain_ram_alloc.c) and
 * which pages are its own (core/domain_ram.c).
 */
#ifndef CLOISON_DOMAIN_RAM_H
#define CLOISON_DOMAIN_RAM_H
#include <cloison/types.h>
struct domain;

struct ram_chunk {
    ipa_t ipa;
    paddr_t pa;
    unsigned int order;
};

/* Back the domain's RAM banks at Xen's domU addresses: bytes is a multiple
 * of 4 KiB (-EINVAL otherwise). The pages are not zeroed here but mapped
 * lazily (P2M_RAM_LAZY): each stage-2 block is zeroed when first used, so
 * creating a domain costs nothing per byte of RAM and a guest pays only for
 * the RAM it touches. Whoever writes into the domain's RAM itself goes
 * through p2m_lookup() first (domain_write_ipa does). */
int domain_alloc_ram(struct domain *d, uint64_t bytes);
/* The order of the chunk that backs RAM at ipa with bytes left to back: a
 * 2 MiB block (order 9) where both allow, else the largest power of two
 * that fits and is naturally aligned at ipa. */
unsigned int domain_ram_chunk_order(ipa_t ipa, uint64_t bytes);
/* How many chunks [ipa, ipa + bytes) splits into (pure: host-tested). */
size_t domain_ram_chunk_count(ipa_t ipa, uint64_t bytes);
/* Free the RAM chunks (those foreign mappings still hold stay allocated
 * until unmapped: core/foreign_map.c). */
void domain_free_ram(struct domain *d);
/* Toolstack populate_physmap on a domain not yet started: back the 2^order
 * pages at gfn (aligned to them) with fresh pages, zeroed and cleaned to the
 * point of coherency (it starts with caches off), and map them as its RAM.
 * All or nothing. -ENOMEM beyond max_pages or without free memory (the
 * toolstack then tries a smaller order), -EINVAL for a GFN it may not have
 * or one already mapped, -EPERM once the domain has started. */
int domain_ram_populate(struct domain *d, uint64_t gfn, unsigned int order);
/* The domain starts: its RAM no longer changes (indexed by host address). */
int domain_ram_seal(struct domain *d);
/* RAM pages it was given (populated or built), ballooned ones included. */
uint64_t domain_ram_pages(const struct domain *d);
/* The highest GFN of its RAM, 0 if it has none. */
uint64_t domain_ram_top_gfn(const struct domain *d);
/* The chunk backing RAM at ipa (binary search: chunks are in IPA order), or
 * NULL. Only for a started domain (sealed RAM) or with ram_lock held. */
const struct ram_chunk *domain_ram_chunk(const struct domain *d, ipa_t ipa);
/* Once the chunks are all there (the domain's builder): index them by host
 * address for domain_ram_chunk_of_pa. 0 or -ENOMEM. */
int domain_ram_index(struct domain *d);
/* The chunk holding host page pa, or NULL if d's RAM does not hold it
 * (binary search over the index: the cost grows with log2 of the chunk count,
 * which the domain's size fixes, never with anything a guest does). For a
 * toolstack domain that never started (no index), a scan: only for its
 * teardown, once it no longer grows. */
const struct ram_chunk *domain_ram_chunk_of_pa(const struct domain *d, paddr_t pa);
/* Is the page mapped at gfn d's own RAM, at the place it was built for?
 * Never MMIO, a page mapped from another domain (grant, foreign mapping) or
 * one Cloison put there (shared_info, grant frames). *pa = the page, *c = a
 * copy of its chunk (either may be NULL). Callers keeping pa beyond the call
 * must know the chunk outlives them (the domain is theirs, or they hold a
 * reference). Safe while a toolstack still populates d. */
bool domain_own_ram_page(struct domain *d, uint64_t gfn, paddr_t *pa, struct ram_chunk *c);
#endif
