/*
 * Stage-2 translation (guest physical -> host physical) of one domain.
 * 4 KiB granule, IPA size from the CPU (capped at 48 bits), 2 MiB and 1 GiB
 * blocks where both addresses are aligned. Bulk mappings are made while the
 * domain is built; single pages of a live domain change with break-before-make
 * (p2m_set_page / p2m_clear_page).
 */
#ifndef CLOISON_P2M_H
#define CLOISON_P2M_H

#include <cloison/types.h>
#include <cloison/spinlock.h>
#include <lib/pagepool.h>
#include <lib/s2pt.h>

/* P2M_RAM_RO: read-only guest RAM (read-only grant mappings); lookups report it as P2M_RAM. */
/* P2M_RAM_LAZY: RAM whose pages hold what their last owner left, mapped
 * invalid until first used (the guest's access faults, or the hypervisor
 * looks it up): each block or page is zeroed then, by p2m_lookup(). */
enum p2m_type { P2M_RAM, P2M_DEVICE, P2M_RAM_RO, P2M_RAM_LAZY };

/*
 * The domain's P2M pool (Xen's paging mempool): every stage-2 table of the
 * domain comes from it; when it is empty the mapping fails with -ENOMEM.
 * Its size counts the root table too. Elastic (grows from the heap on
 * demand) from p2m_init() until p2m_pool_set_pages() fixes it: the domain's
 * builder maps its layout first, then sets the size; dom0's stays elastic,
 * as Xen takes the hardware domain's P2M pages from the heap.
 */
struct p2m {
    spinlock_t lock; /* the tables and the pool */
    paddr_t root;
    unsigned int root_pages;
    uint64_t vmid_tag; /* generation | VMID (lib/idgen.h); 0 until first entered */
    struct pagepool pool;
    struct s2pt_ops ops;
    struct s2pt pt;
};

/*
 * How guest RAM is laid out in stage 2 (the p2m_pages option; DESIGN.md,
 * "Stage-2 blocks and QEMU's soft TLB"). Device windows keep their blocks
 * in every case.
 *  BLOCKS: 2 MiB and 1 GiB blocks where alignment allows (hardware: fewer
 *          TLB entries, shorter walks);
 *  TOUCH:  lazily zeroed RAM is mapped in blocks, and a 2 MiB block becomes
 *          a level-3 table of pages when the guest first touches it, if the
 *          domain's P2M pool has a table to give (else it stays a block);
 *          the default on QEMU's virt board, whose TCG flushes its whole
 *          software TLB on any TLBI falling among large entries;
 *  PAGES:  every domain's RAM in 4 KiB pages from the start.
 */
enum p2m_granule { P2M_GRANULE_BLOCKS, P2M_GRANULE_TOUCH, P2M_GRANULE_PAGES };

/* Once: VTCR_EL2 from the CPU's features; VMIDs of at most vmid_bits_cap bits
 * (0 = what the CPU has; the vmid_bits= option, to exercise rollovers); an
 * IPA space of the smallest size the CPU supports that is at least ipa_bits
 * wide (its whole PA range if none is), one with a root of at most two pages
 * (42 bits, an eight-page root, only when the CPU has no more). */
void p2m_arch_init(unsigned int vmid_bits_cap, unsigned int ipa_bits, enum p2m_granule granule);
enum p2m_granule p2m_granule(void);
unsigned int p2m_ipa_bits(void);
unsigned int p2m_vmid_bits(void);
unsigned long p2m_vmid_rollovers(void);
void p2m_cpu_init(void); /* every pCPU: load VTCR_EL2 */

int p2m_init(struct p2m *p); /* allocate the root table; -ENOMEM */
/* The pool's size (root included), and the pages in use (root + tables). */
size_t p2m_pool_pages(struct p2m *p);
size_t p2m_pool_used(struct p2m *p);
/*
 * Fix the pool at `pages` (root included), Xen's p2m_set_allocation: grow
 * from the heap (never into the hypervisor's reserve, cloison/mm.h), shrink
 * by giving back free pool pages. -ENOMEM when the heap has too little or
 * the pages to give back are in use (the pool keeps what it reached);
 * -EAGAIN when *budget pages moved and more are to go (budget NULL: no
 * limit), for a continuation.
 */
int p2m_pool_set_pages(struct p2m *p, size_t pages, size_t *budget);
/* The same size, but the pages beyond those in use are taken from the heap
 * (never its reserve) only when a table needs one: -ENOMEM if more are in
 * use. A mapping then fails at the size, or earlier if the heap is empty. */
int p2m_pool_set_size_lazy(struct p2m *p, size_t pages);
/* XEN_DOMCTL_set/get_paging_mempool_size (the toolstack's, in bytes):
 * -EINVAL unless page-sized, else as p2m_pool_set_pages(). */
int p2m_set_paging_mempool_size(struct p2m *p, uint64_t bytes, size_t *budget);
uint64_t p2m_get_paging_mempool_size(struct p2m *p);
/*
 * Switching this pCPU to a vCPU of this p2m (context_load, IRQs masked): give
 * it a VMID of the current generation and load VTTBR_EL2. Lock-free when its
 * VMID is still current, which is nearly always. Not needed on entries
 * without a switch: a rollover elsewhere keeps the VMID a pCPU is running
 * reserved, so the vCPU it runs may go on using it.
 */
void p2m_enter(struct p2m *p, unsigned int cpu);
int p2m_map(struct p2m *p, ipa_t ipa, paddr_t pa, uint64_t size, enum p2m_type t);
/*
 * Change one 4 KiB mapping of a live domain (add_to_physmap and friends):
 * break-before-make with a TLB flush of the domain's VMID on every pCPU,
 * splitting a block if needed. Safe while the domain's vCPUs run. Tables
 * come from the pool (-ENOMEM when empty); clearing frees the tables it
 * leaves empty back to the pool, and allocates nothing where nothing is
 * mapped.
 */
int p2m_set_page(struct p2m *p, ipa_t ipa, paddr_t pa, enum p2m_type t);
int p2m_clear_page(struct p2m *p, ipa_t ipa);
/*
 * Hold off changes to p's entries (its lock: writers hold it from the break
 * to the make), for a hypervisor-side walk through the live stage 2 (AT
 * S12E1) that failed and may have met a break-before-make in progress.
 * Nothing else may be taken while held (lock order: p2m.lock).
 */
void p2m_hold(struct p2m *p);
void p2m_release(struct p2m *p);
/* What ipa maps to now; false if nothing. A lazy entry (P2M_RAM_LAZY) is
 * zeroed and made valid first, so every hypervisor access by guest address,
 * and every mapping of the page anywhere else, goes through here and never
 * sees what the page held before: one choke point. Bounded: one block of at
 * most 2 MiB is zeroed per call. */
bool p2m_lookup(struct p2m *p, ipa_t ipa, paddr_t *pa, enum p2m_type *t);
/* For a builder writing a domain's images: when ipa starts a lazy entry and
 * [src, src + len) covers all of it, that entry is filled from src, cleaned
 * to memory and made valid, all under the lock, with no zeroing first (every
 * byte is written, and nothing could see it before); returns its size. 0 if
 * ipa's entry is not lazy or not covered whole: the caller then writes the
 * usual way, after p2m_lookup() has readied it. */
uint64_t p2m_fill_lazy(struct p2m *p, ipa_t ipa, const void *src, uint64_t len);
void p2m_destroy(struct p2m *p); /* TLB flush for the VMID, free tables, release the VMID */

#endif
