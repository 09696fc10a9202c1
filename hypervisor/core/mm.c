/*
 * Physical memory: find RAM and what must stay untouched (Cloison's image,
 * the device tree, /memreserve/ and /reserved-memory ranges, boot modules),
 * give the rest to one buddy allocator per RAM bank, and put the heap on top.
 * Lock: mm_lock protects all banks and the heap.
 */
#include <cloison/arch.h>
#include <cloison/assert.h>
#include <cloison/mm.h>
#include <cloison/printk.h>
#include <cloison/spinlock.h>
#include <lib/buddy.h>
#include <lib/heap.h>
#include <libfdt.h>
#include <string.h>

#define MAX_BANKS 8
#define MAX_RESERVED 64

extern char _head[], _end[];

static struct mem_range ram[MAX_BANKS];
static unsigned int nr_ram;
static struct mem_range reserved[MAX_RESERVED];
static unsigned int nr_reserved;
static struct buddy banks[MAX_BANKS];
static struct heap *heap;
static spinlock_t mm_lock = SPINLOCK_INIT;

static uint64_t read_cells(const fdt32_t *p, int cells)
{
    uint64_t v = 0;
    for (int i = 0; i < cells; i++)
        v = (v << 32) | fdt32_to_cpu(p[i]);
    return v;
}

static void add_reserved(paddr_t start, uint64_t size)
{
    if (!size)
        return;
    if (nr_reserved == MAX_RESERVED)
        panic("mm: more than %d reserved ranges", MAX_RESERVED);
    reserved[nr_reserved].start = ALIGN_DOWN(start, PAGE_SIZE);
    reserved[nr_reserved].size = ALIGN_UP(start + size, PAGE_SIZE) - reserved[nr_reserved].start;
    nr_reserved++;
}

/* Every node below /chosen that is a boot module keeps its memory. */
static void reserve_modules(const void *fdt, int node, int depth)
{
    int ac = fdt_address_cells(fdt, node), sc = fdt_size_cells(fdt, node);
    int child;
    fdt_for_each_subnode(child, fdt, node)
    {
        if (fdt_node_check_compatible(fdt, child, "multiboot,module") == 0) {
            int len;
            const fdt32_t *reg = fdt_getprop(fdt, child, "reg", &len);
            if (reg && ac > 0 && ac <= 2 && sc > 0 && sc <= 2 && len >= 4 * (ac + sc))
                add_reserved(read_cells(reg, ac), read_cells(reg + ac, sc));
        }
        if (depth < 3)
            reserve_modules(fdt, child, depth + 1);
    }
}

static void find_memory(const void *fdt)
{
    int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);
    int node;
    fdt_for_each_subnode(node, fdt, 0)
    {
        const char *type = fdt_getprop(fdt, node, "device_type", NULL);
        if (!type || strcmp(type, "memory") != 0)
            continue;
        int len;
        const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
        if (!reg)
            continue;
        for (int off = 0; off + 4 * (ac + sc) <= len && nr_ram < MAX_BANKS; off += 4 * (ac + sc)) {
            const fdt32_t *r = reg + off / 4;
            uint64_t start = ALIGN_UP(read_cells(r, ac), PAGE_SIZE);
            uint64_t end = ALIGN_DOWN(read_cells(r, ac) + read_cells(r + ac, sc), PAGE_SIZE);
            if (end > start) {
                ram[nr_ram].start = start;
                ram[nr_ram].size = end - start;
                nr_ram++;
            }
        }
    }
    if (!nr_ram)
        panic("mm: no memory node in the device tree");
}

static void find_reserved(const void *fdt)
{
    add_reserved((paddr_t)_head, (uint64_t)(_end - _head));
    add_reserved((paddr_t)(uintptr_t)fdt, fdt_totalsize(fdt));
    for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
        uint64_t a, s;
        if (fdt_get_mem_rsv(fdt, i, &a, &s) == 0)
            add_reserved(a, s);
    }
    int rm = fdt_path_offset(fdt, "/reserved-memory");
    if (rm >= 0) {
        int ac = fdt_address_cells(fdt, rm), sc = fdt_size_cells(fdt, rm), child;
        fdt_for_each_subnode(child, fdt, rm)
        {
            int len;
            const fdt32_t *reg = fdt_getprop(fdt, child, "reg", &len);
            if (reg && ac > 0 && ac <= 2 && sc > 0 && sc <= 2 && len >= 4 * (ac + sc))
                add_reserved(read_cells(reg, ac), read_cells(reg + ac, sc));
        }
    }
    int chosen = fdt_path_offset(fdt, "/chosen");
    if (chosen >= 0)
        reserve_modules(fdt, chosen, 0);
}

/* Next reserved range overlapping [start, end), lowest start first. */
static const struct mem_range *first_overlap(paddr_t start, paddr_t end)
{
    const struct mem_range *best = NULL;
    for (unsigned int i = 0; i < nr_reserved; i++) {
        const struct mem_range *r = &reserved[i];
        if (r->start < end && r->start + r->size > start && (!best || r->start < best->start))
            best = r;
    }
    return best;
}

/* Feed [start, end) minus reserved ranges to bank b. */
static void add_free(struct buddy *b, paddr_t start, paddr_t end)
{
    while (start < end) {
        const struct mem_range *r = first_overlap(start, end);
        paddr_t stop = r ? MAX(r->start, start) : end;
        if (stop > start)
            buddy_add_range(b, start, (stop - start) >> PAGE_SHIFT);
        if (!r)
            break;
        start = r->start + r->size;
    }
}

/* Find room for a bank's metadata: the first free stretch that fits. */
static paddr_t carve(paddr_t start, paddr_t end, uint64_t size)
{
    while (start + size <= end) {
        const struct mem_range *r = first_overlap(start, start + size);
        if (!r)
            return start;
        start = r->start + r->size;
    }
    return 0;
}

static void *heap_page_alloc(void *ctx, unsigned int order)
{
    (void)ctx;
    paddr_t pa = 0;
    for (unsigned int i = 0; i < nr_ram && !pa; i++)
        pa = buddy_alloc(&banks[i], order);
    return pa ? phys_to_virt(pa) : NULL;
}

static struct buddy *bank_of(paddr_t pa)
{
    for (unsigned int i = 0; i < nr_ram; i++)
        if (pa >= banks[i].base && pa < banks[i].base + banks[i].npages * PAGE_SIZE)
            return &banks[i];
    return NULL;
}

static void heap_page_free(void *ctx, void *p, unsigned int order)
{
    (void)ctx;
    struct buddy *b = bank_of(virt_to_phys(p));
    ASSERT(b); /* freed memory came from a bank */
    buddy_free(b, virt_to_phys(p), order);
}

void mm_init(const void *fdt)
{
    static const struct heap_pages provider = {heap_page_alloc, heap_page_free, NULL};
    find_memory(fdt);
    find_reserved(fdt);
    for (unsigned int i = 0; i < nr_ram; i++) {
        size_t npages = ram[i].size >> PAGE_SHIFT;
        uint64_t msize = ALIGN_UP(buddy_meta_size(npages), PAGE_SIZE);
        paddr_t meta = carve(ram[i].start, ram[i].start + ram[i].size, msize);
        if (!meta)
            panic("mm: no room for allocator metadata in bank %u", i);
        add_reserved(meta, msize);
        if (buddy_init(&banks[i], ram[i].start, npages, phys_to_virt(meta)) != 0)
            panic("mm: bad RAM bank %u", i);
        add_free(&banks[i], ram[i].start, ram[i].start + ram[i].size);
    }
    heap = heap_create(&provider);
    if (!heap)
        panic("mm: cannot create the heap");
}

unsigned int mm_ram_banks(const struct mem_range **out)
{
    *out = ram;
    return nr_ram;
}

paddr_t page_alloc(unsigned int order)
{
    uint64_t f = spin_lock_irqsave(&mm_lock);
    paddr_t pa = 0;
    for (unsigned int i = 0; i < nr_ram && !pa; i++)
        pa = buddy_alloc(&banks[i], order);
    spin_unlock_irqrestore(&mm_lock, f);
    if (pa)
        memset(phys_to_virt(pa), 0, PAGE_SIZE << order);
    return pa;
}

void page_free(paddr_t pa, unsigned int order)
{
    uint64_t f = spin_lock_irqsave(&mm_lock);
    struct buddy *b = bank_of(pa);
    ASSERT(b); /* freed memory came from a bank */
    buddy_free(b, pa, order);
    spin_unlock_irqrestore(&mm_lock, f);
}

size_t mm_free_pages(void)
{
    size_t n = 0;
    for (unsigned int i = 0; i < nr_ram; i++)
        n += buddy_free_pages(&banks[i]);
    return n;
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

void xfree(void *p)
{
    uint64_t f = spin_lock_irqsave(&mm_lock);
    heap_free(heap, p);
    spin_unlock_irqrestore(&mm_lock, f);
}
