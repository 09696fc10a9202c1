/*
 * Memory management at EL2: physical pages (buddy, per RAM range), the small
 * object heap, and EL2 stage-1 mappings. EL2 maps all RAM 1:1 (VA == PA), so a
 * physical address of RAM can be dereferenced directly after mm_init().
 * Boot (core/mm_layout.h): mm_init(), the boot modules reserved, then
 * mm_start_allocators(); page and heap allocation work from then on.
 */
#ifndef CLOISON_MM_H
#define CLOISON_MM_H

#include <cloison/types.h>

struct mem_range {
    paddr_t start;
    uint64_t size;
};

/* Boot CPU, on the early identity map: RAM and reservations from the tree,
 * RAM outside [ram_start, ram_end) (what the EL2 tables can hold:
 * mmu_ram_window()) not used. 0, or -1 when Cloison cannot run on what the
 * tree says (printed why). */
int mm_init(const void *fdt, paddr_t ram_start, paddr_t ram_end);
/* The host's RAM banks (in *out; returns how many), after mm_init(). */
unsigned int mm_ram_banks(const struct mem_range **out);

paddr_t page_alloc(unsigned int order); /* 2^order pages, zeroed; 0 if none */
/*
 * The same for memory a domain holds (its RAM, its P2M pool): 0 as well when
 * the allocation would leave fewer than mm_reserve_pages() free, the
 * hypervisor's own reserve, so no guest can starve Cloison's heap.
 */
paddr_t page_alloc_guest(unsigned int order);
/*
 * The same for a domain's RAM, mapped lazily (P2M_RAM_LAZY): not zeroed
 * here; what the last owner left stays until page_ready_guest() readies a
 * block on its first use, and nothing may read or map the pages before.
 */
paddr_t page_alloc_guest_lazy(unsigned int order);
/* Ready 2^order pages of lazily mapped RAM at pa for their first use:
 * zeroed, except with bootscrub=false (mm_set_bootscrub) those no one had
 * since the host booted, which stay as the machine left them (Xen's
 * bootscrub=false: on QEMU zero and not yet backed by the host; on hardware
 * whatever was there). They count as used from now on. */
void page_ready_guest(paddr_t pa, unsigned int order);
/* The same for pages the caller has just overwritten whole (a builder's copy):
 * nothing to zero, they only count as used from now on. */
void page_ready_guest_filled(paddr_t pa, unsigned int order);
/* Before mm_start_allocators(): Xen's bootscrub option (true by default). */
void mm_set_bootscrub(bool scrub);
#define MM_HYP_RESERVE_MIN (4UL << 20)
size_t mm_reserve_pages(void);
void page_free(paddr_t pa, unsigned int order);
size_t mm_free_pages(void);
/* A snapshot for leak checks, taken under one lock: free pages, and the heap's
 * live bytes and the pages it holds (free slack included). A domain leaks
 * nothing when, after it is freed, heap_bytes and free_pages + heap_pages are
 * what they were before. */
struct mm_usage {
    size_t free_pages, heap_bytes, heap_pages;
};
void mm_usage(struct mm_usage *u);
/* Does [pa, pa + size) touch host RAM? (Never hand RAM out as MMIO.) */
bool mm_overlaps_ram(paddr_t pa, uint64_t size);
size_t mm_total_pages(void);

void *xmalloc(size_t size);
void *xzalloc(size_t size);
/*
 * Zeroed heap memory a guest's request grows (grant frames' active entries,
 * maptrack, event channel buckets): NULL as well when it could take the heap
 * into the hypervisor's reserve, as page_alloc_guest(). Each such structure
 * has its own per-domain cap; this keeps all domains together from starving
 * Cloison.
 */
void *xzalloc_guest(size_t size);
void xfree(void *p);

/* Map device MMIO for the hypervisor (nGnRE, never executable). Returns the
 * EL2 virtual address (== pa), or NULL if the range cannot be mapped (empty,
 * wrapping, beyond the VA space, or overlapping RAM). */
void *ioremap(paddr_t pa, size_t size);

static inline void *phys_to_virt(paddr_t pa)
{
    return (void *)(uintptr_t)pa;
}
static inline paddr_t virt_to_phys(const void *va)
{
    return (paddr_t)(uintptr_t)va;
}

/* Arch hooks for the hypervisor's own page tables (arch/arm64/mmu.c). */
/* [0, MMU_LOW_DEVICE_END) is device memory in the early and the final tables
 * alike: what a console must be in to work from the first message on. */
#define MMU_LOW_DEVICE_END SZ_1G
/* The final tables leave [0, MMU_NULL_GUARD) unmapped, so a NULL pointer
 * dereference (a field up to 64 KiB in) faults at EL2 instead of writing
 * whatever device sits at PA 0 (QEMU's flash: a store there aborts QEMU). */
#define MMU_NULL_GUARD 0x10000UL
void mmu_early_enable(void); /* boot CPU, first thing: caches on, RAM mapped */
/* The physical addresses the early map and the final tables can hold as RAM:
 * RAM outside [*start, *end) is not used. */
void mmu_ram_window(paddr_t *start, paddr_t *end);
/* Boot CPU, after mm_init(): the final W^X tables over these RAM banks. */
void mmu_final(const struct mem_range *ram, unsigned int nr_ram);
void mmu_secondary_enable(void);
/* After mmu_final(): does [pa, pa + size) touch the RAM it mapped? For
 * drivers checking the device frames a boot tree names. */
bool mmu_overlaps_ram(paddr_t pa, uint64_t size);

#endif
