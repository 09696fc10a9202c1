/*
 * Physical memory: find RAM and what must stay untouched (Cloison's image,
 * the device tree, /memreserve/ and /reserved-memory ranges, boot modules:
 * core/mm_layout.c), give the rest to one buddy allocator per RAM bank, and
 * put the heap on top.
 * Lock: mm_lock protects all banks and the heap (the layout is written at
 * boot only, by the boot CPU, before any other runs).
 */
#include <cloison/arch.h>
#include <cloison/assert.h>
#include <cloison/mm.h>
#include <cloison/printk.h>
#include <cloison/spinlock.h>
#include <core/mm_layout.h>
#include <lib/buddy.h>
#include <lib/heap.h>
#include <lib/scrubmap.h>
#include <libfdt.h>
#include <string.h>

extern char _head[], _end[];

static struct mm_layout layout;
static struct mem_range ram[MM_MAX_BANKS];
static unsigned int nr_ram;
static struct buddy banks[MM_MAX_BANKS]; /* [0, nr_banks): banks with an allocator */
static unsigned int nr_banks;
static struct heap *heap;
static bool allocators_started;
/* bootscrub=false: per bank, which pages were handed out since boot
 * (lib/scrubmap.h); NULL with the default, where every page is zeroed. */
static uint64_t *used_map[MM_MAX_BANKS];
static bool bootscrub = true;
static spinlock_t mm_lock = SPINLOCK_INIT;

static void report(const char *msg)
{
    printk("%s", msg);
}

/* RAM is mapped 1:1 from mmu_early_enable() on (the window mm_init() is
 * given is what that map holds), so the layout may keep its larger tables
 * there before mmu_final(); mmu_final() maps every RAM bank again. */
static void *ram_at(uint64_t pa, uint64_t size)
{
    (void)size;
    return phys_to_virt(pa);
}

int mm_init(const void *fdt, paddr_t wstart, paddr_t wend)
{
    struct range image = {(uintptr_t)_head, ALIGN_UP((uintptr_t)_end, PAGE_SIZE)};
    if (mm_layout_scan(&layout, fdt, image, (struct range){wstart, wend}, ram_at, report) != 0)
        return -1;
    if (layout.tables.end)
        printk("mm: tables for %u boot modules and %u reserved ranges at 0x%lx-0x%lx",
               layout.modules.cap, layout.reserved.cap, layout.tables.start, layout.tables.end);
    for (unsigned int i = 0; i < layout.ram.nr; i++)
        ram[i] =
            (struct mem_range){layout.ram.r[i].start, layout.ram.r[i].end - layout.ram.r[i].start};
    nr_ram = layout.ram.nr;
    return 0;
}

enum mm_module mm_reserve_module(paddr_t start, uint64_t size, struct range *conflict)
{
    /* Once pages are handed out a new reservation could not be honoured. */
    if (allocators_started)
        return mm_check_module(start, size, conflict);
    return mm_layout_add_module(&layout, start, size, conflict);
}

enum mm_module mm_check_module(paddr_t start, uint64_t size, struct range *conflict)
{
    return mm_layout_check_module(&layout, start, size, conflict);
}

/* Feed [start, end) minus reserved ranges to bank b. */
static void add_free(struct buddy *b, paddr_t start, paddr_t end)
{
    while (start < end) {
        const struct range *r = rangeset_first_overlap(&layout.reserved, start, end);
        paddr_t stop = r ? MAX(r->start, start) : end;
        if (stop > start)
            buddy_add_range(b, start, (stop - start) >> PAGE_SHIFT);
        if (!r)
            break;
        start = r->end;
    }
}

/* Find room for a bank's metadata: the first free stretch that fits. */
static paddr_t carve(paddr_t start, paddr_t end, uint64_t size)
{
    while (start + size <= end) {
        const struct range *r = rangeset_first_overlap(&layout.reserved, start, start + size);
        if (!r)
            return start;
        start = r->end;
    }
    return 0;
}

void mm_set_bootscrub(bool scrub)
{
    bootscrub = scrub;
}

/* One buddy allocator over a RAM bank, its metadata carved from the bank
 * itself (with bootscrub=false its used-page map after it: 4 KiB per
 * 128 MiB); a bank that cannot hold it is reported and left unused. */
static void start_bank(const struct mem_range *bank)
{
    size_t npages = bank->size >> PAGE_SHIFT;
    uint64_t bsize = ALIGN_UP(buddy_meta_size(npages), sizeof(uint64_t));
    uint64_t usize = bootscrub ? 0 : scrubmap_bytes(npages);
    uint64_t msize = ALIGN_UP(bsize + usize, PAGE_SIZE);
    paddr_t meta = carve(bank->start, bank->start + bank->size, msize);
    struct buddy *b = &banks[nr_banks];
    if (!meta || rangeset_add(&layout.reserved, meta, meta + msize) == RANGESET_FULL) {
        printk("mm: RAM 0x%lx-0x%lx: no room for its allocator's %lu KiB of metadata: not used",
               bank->start, bank->start + bank->size, msize >> 10);
        return;
    }
    if (buddy_init(b, bank->start, npages, phys_to_virt(meta)) != 0) {
        printk("mm: RAM 0x%lx-0x%lx: not usable by the page allocator", bank->start,
               bank->start + bank->size);
        return;
    }
    if (usize) {
        used_map[nr_banks] = phys_to_virt(meta + bsize);
        memset(used_map[nr_banks], 0, usize); /* the carved memory is as boot left it */
    }
    add_free(b, bank->start, bank->start + bank->size);
    nr_banks++;
}

static struct buddy *bank_of(paddr_t pa)
{
    for (unsigned int i = 0; i < nr_banks; i++)
        if (pa >= banks[i].base && pa < banks[i].base + banks[i].npages * PAGE_SIZE)
            return &banks[i];
    return NULL;
}

/* The heap's pages are not zeroed here, but count as used: a domain's RAM
 * never gets them unzeroed (bootscrub=false). */
static void *heap_page_alloc(void *ctx, unsigned int order)
{
    (void)ctx;
    paddr_t pa = 0;
    unsigned int i = 0;
    for (; i < nr_banks && !pa; i++)
        pa = buddy_alloc(&banks[i], order);
    if (pa && used_map[i - 1])
        scrubmap_mark(used_map[i - 1], (pa - banks[i - 1].base) >> PAGE_SHIFT, (size_t)1 << order);
    return pa ? phys_to_virt(pa) : NULL;
}

static void heap_page_free(void *ctx, void *p, unsigned int order)
{
    (void)ctx;
    struct buddy *b = bank_of(virt_to_phys(p));
    ASSERT(b); /* freed memory came from a bank */
    buddy_free(b, virt_to_phys(p), order);
}

int mm_start_allocators(void)
{
    static const struct heap_pages provider = {heap_page_alloc, heap_page_free, NULL};
    for (unsigned int i = 0; i < nr_ram; i++)
        start_bank(&ram[i]);
    allocators_started = true;
    heap = heap_create(&provider);
    if (!heap || mm_free_pages() < MM_BOOT_MIN_FREE / PAGE_SIZE) {
        printk("mm: %lu KiB of RAM free after the reservations, Cloison needs %lu KiB "
               "(%u RAM banks, %u with an allocator)",
               (uint64_t)mm_free_pages() * 4, MM_BOOT_MIN_FREE >> 10, nr_ram, nr_banks);
        return -1;
    }
    return 0;
}

unsigned int mm_ram_banks(const struct mem_range **out)
{
    *out = ram;
    return nr_ram;
}

/* Free pages of every bank; exact under mm_lock, a snapshot without it. */
static size_t free_pages_sum(void)
{
    size_t n = 0;
    for (unsigned int i = 0; i < nr_banks; i++)
        n += buddy_free_pages(&banks[i]);
    return n;
}

/* Under mm_lock: may `pages` more go and leave the hypervisor's reserve? */
static bool reserve_allows_locked(size_t pages)
{
    size_t free = free_pages_sum();
    return free >= pages && free - pages >= mm_reserve_pages();
}

static void zero_run(void *ctx, size_t page, size_t count)
{
    paddr_t base = *(const paddr_t *)ctx;
    arch_zero_pages(phys_to_virt(base + ((paddr_t)page << PAGE_SHIFT)), count << PAGE_SHIFT);
}

/* Pages at pa count as used from now on: zeroed before any later fresh
 * allocation hands them out (bootscrub=false keeps the map; else no-op). */
static void mark_used(paddr_t pa, unsigned int order)
{
    struct buddy *b = bank_of(pa);
    uint64_t *map = b ? used_map[b - banks] : NULL;
    if (map)
        scrubmap_mark(map, (pa - b->base) >> PAGE_SHIFT, (size_t)1 << order);
}

/* Zero 2^order pages at pa; fresh: only those handed out before since boot
 * (bootscrub=false), else all. Either way they count as used from now on. */
static void scrub(paddr_t pa, unsigned int order, bool fresh)
{
    struct buddy *b = bank_of(pa);
    uint64_t *map = b ? used_map[b - banks] : NULL;
    if (map && fresh) {
        scrubmap_take(map, (pa - b->base) >> PAGE_SHIFT, (size_t)1 << order, zero_run, &b->base);
        return;
    }
    arch_zero_pages(phys_to_virt(pa), PAGE_SIZE << order);
    mark_used(pa, order);
}

/* How alloc_pages() leaves the pages it hands out. */
enum zeroing {
    ZERO_ALL,   /* all zeroed */
    ZERO_NONE,  /* as the last owner left them: the caller zeroes them */
    ZERO_LATER, /* the same, and not yet used: page_ready_guest() zeroes them */
};

/* 2^order pages, zeroed as Z says; for a guest (guest = true) only outside
 * the reserve. */
static paddr_t alloc_pages(unsigned int order, bool guest, enum zeroing z)
{
    uint64_t f = spin_lock_irqsave(&mm_lock);
    paddr_t pa = 0;
    if (!guest || reserve_allows_locked((size_t)1 << order))
        for (unsigned int i = 0; i < nr_banks && !pa; i++)
            pa = buddy_alloc(&banks[i], order);
    spin_unlock_irqrestore(&mm_lock, f);
    if (pa && z == ZERO_ALL)
        scrub(pa, order, false);
    else if (pa && z == ZERO_NONE)
        mark_used(pa, order);
    return pa;
}

paddr_t page_alloc(unsigned int order)
{
    return alloc_pages(order, false, ZERO_ALL);
}

void page_free(paddr_t pa, unsigned int order)
{
    uint64_t f = spin_lock_irqsave(&mm_lock);
    struct buddy *b = bank_of(pa);
    ASSERT(b); /* freed memory came from a bank */
    buddy_free(b, pa, order);
    spin_unlock_irqrestore(&mm_lock, f);
}

/*
 * The hypervisor's reserve: pages no guest's memory may take, so Cloison
 * can still allocate for itself (domain structures, event channel buckets,
 * grant and maptrack frames, console logs) however much RAM the domains
 * ask for: 4 MiB, or 1/256 of RAM when that is more (8 MiB on 2 GiB).
 */
size_t mm_reserve_pages(void)
{
    return MAX((size_t)(MM_HYP_RESERVE_MIN >> PAGE_SHIFT), mm_total_pages() / 256);
}

paddr_t page_alloc_guest(unsigned int order)
{
    return alloc_pages(order, true, ZERO_ALL);
}

paddr_t page_alloc_guest_lazy(unsigned int order)
{
    return alloc_pages(order, true, ZERO_LATER);
}

void page_ready_guest(paddr_t pa, unsigned int order)
{
    scrub(pa, order, true);
}

void page_ready_guest_filled(paddr_t pa, unsigned int order)
{
    mark_used(pa, order);
}

size_t mm_free_pages(void)
{
    return free_pages_sum();
}

bool mm_overlaps_ram(paddr_t pa, uint64_t size)
{
    for (unsigned int i = 0; i < nr_ram; i++)
        if (pa < ram[i].start + ram[i].size && pa + size > ram[i].start)
            return true;
    return false;
}

size_t mm_total_pages(void)
{
    size_t n = 0;
    for (unsigned int i = 0; i < nr_ram; i++)
        n += ram[i].size >> PAGE_SHIFT;
    return n;
}

void mm_usage(struct mm_usage *u)
{
    uint64_t f = spin_lock_irqsave(&mm_lock);
    u->free_pages = free_pages_sum();
    u->heap_bytes = heap_bytes_in_use(heap);
    u->heap_pages = heap_pages_held(heap);
    spin_unlock_irqrestore(&mm_lock, f);
}

void *xmalloc(size_t size)
{
    uint64_t f = spin_lock_irqsave(&mm_lock);
    void *p = heap_alloc(heap, size);
    spin_unlock_irqrestore(&mm_lock, f);
    return p;
}

void *xzalloc(size_t size)
{
    void *p = xmalloc(size);
    if (p)
        memset(p, 0, size);
    return p;
}

void *xzalloc_guest(size_t size)
{
    /* The heap may need a fresh slab or a run of pages for it: count the
     * worst case, the object's pages plus one, against the reserve. */
    size_t need = (size + PAGE_SIZE - 1) / PAGE_SIZE + 1;
    uint64_t f = spin_lock_irqsave(&mm_lock);
    void *p = reserve_allows_locked(need) ? heap_alloc(heap, size) : NULL;
    spin_unlock_irqrestore(&mm_lock, f);
    if (p)
        memset(p, 0, size);
    return p;
}

void xfree(void *p)
{
    uint64_t f = spin_lock_irqsave(&mm_lock);
    heap_free(heap, p);
    spin_unlock_irqrestore(&mm_lock, f);
}
