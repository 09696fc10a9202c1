/*
 * Small-object heap over a page provider.
 *
 * Design: a page that the heap gets from the provider is either a slab (one
 * 4 KiB page cut into equal objects of one size class, 16..2048 bytes) or the
 * first page of a large allocation (2^order pages). Which one, and for a slab
 * how many objects are live, is kept in a page table: an open-addressing hash
 * keyed by page address, in pages of its own. So objects carry no header
 * (a 2048-byte class fits two per page, and large allocations stay page
 * aligned), and heap_free finds everything from the pointer alone.
 *
 * Free objects of a class sit on a doubly linked list threaded through the
 * objects themselves (16 bytes, the smallest class, holds both links). When a
 * slab empties and the class has at least another slab's worth of free
 * objects, its objects are unlinked and the page goes back to the provider;
 * the slack avoids returning and refetching a page on every alloc/free pair.
 */
#include <stdbool.h>
#include <string.h>
#include <lib/heap.h>

#define PAGE_SIZE 4096u
#define CLASS_MIN_SHIFT 4 /* 16 bytes */
#define CLASS_COUNT 8     /* 16 .. 2048 */
#define CLASS_MAX (1u << (CLASS_MIN_SHIFT + CLASS_COUNT - 1))
#define TABLE_MIN_ORDER 0 /* one page of entries to start with */

enum page_kind { KIND_NONE, KIND_SLAB, KIND_LARGE };

struct page_ent {
    uintptr_t page; /* page address, 0 for an empty slot */
    uint8_t kind;   /* enum page_kind */
    uint8_t arg;    /* slab: class index; large: order */
    uint16_t used;  /* slab: live objects */
    uint32_t pad;
};

struct free_obj {
    struct free_obj *next, *prev;
};

struct heap {
    struct heap_pages pages;
    struct page_ent *table;
    size_t table_cap; /* entries, a power of two */
    size_t table_used;
    unsigned int table_order;
    struct free_obj *free[CLASS_COUNT];
    size_t free_count[CLASS_COUNT];
    size_t in_use;     /* bytes handed out (class size or whole pages) */
    size_t pages_held; /* from the provider: this struct, the table, slabs, large */
};

_Static_assert(sizeof(struct heap) <= PAGE_SIZE, "struct heap lives in one page");

static size_t class_size(unsigned int c)
{
    return (size_t)1 << (CLASS_MIN_SHIFT + c);
}

static size_t objs_per_slab(unsigned int c)
{
    return PAGE_SIZE / class_size(c);
}

/* Every page the heap takes from or gives back to its provider goes through
 * these two, so pages_held is exact (leak checks add it to the free pages). */
static void *get_pages(struct heap *h, unsigned int order)
{
    void *p = h->pages.alloc(h->pages.ctx, order);
    if (p)
        h->pages_held += (size_t)1 << order;
    return p;
}

static void put_pages(struct heap *h, void *p, unsigned int order)
{
    h->pages_held -= (size_t)1 << order;
    h->pages.free(h->pages.ctx, p, order);
}

/* ---- page table: open addressing, linear probing, no tombstones ---- */

static size_t slot_of(const struct heap *h, uintptr_t page)
{
    /* Fibonacci hashing of the page number spreads consecutive pages. */
    uint64_t x = (uint64_t)(page / PAGE_SIZE) * 0x9E3779B97F4A7C15ull;

    return (size_t)(x >> 32) & (h->table_cap - 1);
}

static struct page_ent *table_find(const struct heap *h, uintptr_t page)
{
    for (size_t i = slot_of(h, page);; i = (i + 1) & (h->table_cap - 1)) {
        if (h->table[i].page == page)
            return &h->table[i];
        if (h->table[i].page == 0)
            return NULL;
    }
}

static struct page_ent *table_slot_for_insert(struct heap *h, uintptr_t page)
{
    size_t i = slot_of(h, page);

    while (h->table[i].page != 0)
        i = (i + 1) & (h->table_cap - 1);
    return &h->table[i];
}

/* Doubles the table when it is half full; false if the provider is out of pages. */
static bool table_reserve(struct heap *h)
{
    struct page_ent *old = h->table;
    size_t old_cap = h->table_cap;
    unsigned int order = h->table_order + 1;
    struct page_ent *t;

    if (2 * (h->table_used + 1) <= h->table_cap)
        return true;
    t = get_pages(h, order);
    if (!t)
        return false;
    h->table = t;
    h->table_order = order;
    h->table_cap = ((size_t)PAGE_SIZE << order) / sizeof(*t);
    memset(t, 0, (size_t)PAGE_SIZE << order);
    for (size_t i = 0; i < old_cap; i++) {
        if (old[i].page)
            *table_slot_for_insert(h, old[i].page) = old[i];
    }
    put_pages(h, old, order - 1);
    return true;
}

static void table_insert(struct heap *h, uintptr_t page, enum page_kind kind, unsigned int arg)
{
    struct page_ent *e = table_slot_for_insert(h, page);

    e->page = page;
    e->kind = (uint8_t)kind;
    e->arg = (uint8_t)arg;
    e->used = 0;
    h->table_used++;
}

/*
 * Deletion by backward shift: later entries of the probe run move up into
 * the hole when their home slot allows it, so lookups never need tombstones.
 */
static void table_remove(struct heap *h, struct page_ent *e)
{
    size_t mask = h->table_cap - 1;
    size_t hole = (size_t)(e - h->table);

    for (size_t i = (hole + 1) & mask; h->table[i].page; i = (i + 1) & mask) {
        size_t home = slot_of(h, h->table[i].page);

        /* Move i into the hole unless its home lies cyclically in (hole, i]. */
        if (((i - home) & mask) >= ((i - hole) & mask)) {
            h->table[hole] = h->table[i];
            hole = i;
        }
    }
    h->table[hole].page = 0;
    h->table_used--;
}

/* ---- free lists ---- */

static void obj_push(struct heap *h, unsigned int c, void *p)
{
    struct free_obj *o = p;

    o->prev = NULL;
    o->next = h->free[c];
    if (o->next)
        o->next->prev = o;
    h->free[c] = o;
    h->free_count[c]++;
}

static void obj_unlink(struct heap *h, unsigned int c, struct free_obj *o)
{
    if (o->prev)
        o->prev->next = o->next;
    else
        h->free[c] = o->next;
    if (o->next)
        o->next->prev = o->prev;
    h->free_count[c]--;
}

/* ---- heap ---- */

struct heap *heap_create(const struct heap_pages *pages)
{
    struct heap *h = pages->alloc(pages->ctx, 0);
    struct page_ent *t;

    if (!h)
        return NULL;
    t = pages->alloc(pages->ctx, TABLE_MIN_ORDER);
    if (!t) {
        pages->free(pages->ctx, h, 0);
        return NULL;
    }
    memset(h, 0, sizeof(*h));
    memset(t, 0, (size_t)PAGE_SIZE << TABLE_MIN_ORDER);
    h->pages = *pages;
    h->table = t;
    h->table_order = TABLE_MIN_ORDER;
    h->table_cap = ((size_t)PAGE_SIZE << TABLE_MIN_ORDER) / sizeof(*t);
    h->pages_held = 1 + ((size_t)1 << TABLE_MIN_ORDER);
    return h;
}

void heap_destroy(struct heap *h)
{
    struct heap_pages pages = h->pages;

    for (size_t i = 0; i < h->table_cap; i++) {
        struct page_ent *e = &h->table[i];

        if (e->page)
            pages.free(pages.ctx, (void *)e->page, e->kind == KIND_LARGE ? e->arg : 0);
    }
    pages.free(pages.ctx, h->table, h->table_order);
    pages.free(pages.ctx, h, 0);
}

static bool slab_refill(struct heap *h, unsigned int c)
{
    unsigned char *page;

    if (!table_reserve(h))
        return false;
    page = get_pages(h, 0);
    if (!page)
        return false;
    table_insert(h, (uintptr_t)page, KIND_SLAB, c);
    /* Pushed top-down so the list hands out low addresses first. */
    for (size_t i = objs_per_slab(c); i-- > 0;)
        obj_push(h, c, page + i * class_size(c));
    return true;
}

static void *alloc_small(struct heap *h, size_t size)
{
    unsigned int c = 0;
    struct free_obj *o;

    while (class_size(c) < size)
        c++;
    if (!h->free[c] && !slab_refill(h, c))
        return NULL;
    o = h->free[c];
    obj_unlink(h, c, o);
    table_find(h, (uintptr_t)o & ~(uintptr_t)(PAGE_SIZE - 1))->used++;
    h->in_use += class_size(c);
    return o;
}

static void *alloc_large(struct heap *h, size_t size)
{
    unsigned int order = 0;
    void *p;

    while (((size_t)PAGE_SIZE << order) < size) {
        if (++order >= 8 * sizeof(size_t) - 12)
            return NULL;
    }
    if (!table_reserve(h))
        return NULL;
    p = get_pages(h, order);
    if (!p)
        return NULL;
    table_insert(h, (uintptr_t)p, KIND_LARGE, order);
    h->in_use += (size_t)PAGE_SIZE << order;
    return p;
}

void *heap_alloc(struct heap *h, size_t size)
{
    if (size == 0)
        return NULL;
    return size <= CLASS_MAX ? alloc_small(h, size) : alloc_large(h, size);
}

void *heap_zalloc(struct heap *h, size_t size)
{
    void *p = heap_alloc(h, size);

    if (p)
        memset(p, 0, size);
    return p;
}

/* Returns an empty slab to the provider once the class has spare objects elsewhere. */
static void slab_maybe_release(struct heap *h, struct page_ent *e)
{
    unsigned int c = e->arg;
    unsigned char *page = (unsigned char *)e->page;

    if (e->used || h->free_count[c] < 2 * objs_per_slab(c))
        return;
    for (size_t i = 0; i < objs_per_slab(c); i++)
        obj_unlink(h, c, (struct free_obj *)(void *)(page + i * class_size(c)));
    table_remove(h, e);
    put_pages(h, page, 0);
}

void heap_free(struct heap *h, void *p)
{
    uintptr_t addr = (uintptr_t)p;
    struct page_ent *e;

    if (!p)
        return;
    e = table_find(h, addr & ~(uintptr_t)(PAGE_SIZE - 1));
    /* Pointers the heap never returned are ignored rather than corrupting it. */
    if (!e)
        return;
    if (e->kind == KIND_LARGE) {
        unsigned int order = e->arg;

        if (addr != e->page)
            return;
        table_remove(h, e);
        h->in_use -= (size_t)PAGE_SIZE << order;
        put_pages(h, p, order);
        return;
    }
    if ((addr & (class_size(e->arg) - 1)) || e->used == 0)
        return;
    e->used--;
    h->in_use -= class_size(e->arg);
    obj_push(h, e->arg, p);
    slab_maybe_release(h, e);
}

size_t heap_bytes_in_use(const struct heap *h)
{
    return h->in_use;
}

size_t heap_pages_held(const struct heap *h)
{
    return h->pages_held;
}
