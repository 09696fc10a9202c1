/*
 * Host stand-ins for what code mapping guest memory calls (fakes/p2m_fake.c):
 * the page allocator and heap (counting what is live, failing on request),
 * printk, and a stage 2 per domain kept as a small table chosen by p2m.root
 * (tests set root to the domain id, or p2m_init() hands out one of its own;
 * p2m_map() records ranges). Shared by the grant-table, foreign-mapping and
 * domain unit tests.
 */
#ifndef TESTS_UNIT_FAKES_P2M_FAKE_H
#define TESTS_UNIT_FAKES_P2M_FAKE_H

#include <cloison/types.h>
#include "lock_fake.h" /* tests using this fake link fakes/lock_fake.c too */

struct domain;

#define FAKE_P2M_DOMS 4
#define FAKE_RAM_GFN 0x40000ULL /* where fake_ram_domain() puts RAM: IPA 0x40000000 */
#define FAKE_IPA_BITS 40        /* p2m_ipa_bits(), as on cortex-a57 */

extern int fake_pages_freed;              /* page_free() calls */
extern paddr_t fake_last_freed;           /* ...and the last one's address */
extern bool fake_set_page_fails;          /* p2m_set_page() answers -ENOMEM while set */
extern enum p2m_granule fake_p2m_granule; /* what p2m_granule() answers (BLOCKS) */
extern long fake_heap_live;               /* xzalloc() blocks not yet given to xfree() */
extern long fake_pages_live;              /* pages from page_alloc() not yet freed */
extern uint64_t fake_dcache_cleaned;      /* bytes arch_dcache_clean_range() was given */
extern unsigned int fake_p2m_live;        /* p2m_init() tables not yet destroyed */
/* n > 0: the n-th xzalloc() / page_alloc() from now fails, and every one
 * after it until the test sets 0 again; the failed calls are counted. */
extern unsigned int fake_heap_fail_in, fake_page_fail_in;
extern unsigned int fake_heap_failed, fake_page_failed;
extern unsigned int fake_page_max_order; /* page_alloc() of a larger order fails */
/* What p2m_pool_used() answers (1), and the size p2m_pool_set_pages() last set. */
extern size_t fake_p2m_layout_pages, fake_p2m_pool_set;
/* printk()'s lines, newline-ended, until full; a test empties it. */
extern char fake_printk_log[1024];
/* Called with each block xfree() is about to free (a test's lifetime check). */
extern void (*fake_before_free)(void *p);
/* Called as p2m_set_page() or p2m_clear_page() begins, while set: where
 * another pCPU may act on the same domain between a hypercall's checks and
 * its change (a test replays one interleaving of a race). */
extern void (*fake_p2m_change_hook)(struct p2m *p, ipa_t ipa);

/* A zeroed domain `id` (< FAKE_P2M_DOMS) with two 4-page RAM chunks at
 * FAKE_RAM_GFN, mapped in its fresh stage 2. */
struct domain *fake_ram_domain(uint16_t id);

#endif
