/*
 * Host stand-ins for what code mapping guest memory calls (fakes/p2m_fake.c):
 * the page allocator and heap (counting frees), printk, and a stage 2
 * per domain kept as a small table chosen by p2m.root (tests set root to the
 * domain id). Shared by the grant-table and foreign-mapping unit tests.
 */
#ifndef TESTS_UNIT_FAKES_P2M_FAKE_H
#define TESTS_UNIT_FAKES_P2M_FAKE_H

#include <cloison/types.h>
#include "lock_fake.h" /* tests using this fake link fakes/lock_fake.c too */

struct domain;

#define FAKE_P2M_DOMS 4
#define FAKE_RAM_GFN 0x40000ULL /* where fake_ram_domain() puts RAM: IPA 0x40000000 */
#define FAKE_IPA_BITS 40        /* p2m_ipa_bits(), as on cortex-a57 */

extern int fake_pages_freed;     /* page_free() calls */
extern paddr_t fake_last_freed;  /* ...and the last one's address */
extern bool fake_set_page_fails; /* p2m_set_page() answers -ENOMEM while set */

/* A zeroed domain `id` (< FAKE_P2M_DOMS) with two 4-page RAM chunks at
 * FAKE_RAM_GFN, mapped in its fresh stage 2. */
struct domain *fake_ram_domain(uint16_t id);

#endif
