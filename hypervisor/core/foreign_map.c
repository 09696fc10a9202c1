/*
 * Foreign mappings and the lifetime of the pages they show.
 *
 * A page the control domain maps must stay allocated as long as it is mapped,
 * even when its owner is destroyed meanwhile (Xen holds a page reference for
 * each foreign p2m entry). Cloison has no per-page structure: it counts
 * references per RAM chunk (the buddy block, 2 MiB for domUs, that holds the
 * page) in one table keyed by the chunk's address. Every path that frees
 * domain RAM goes through foreign_release_chunks(), which leaves referenced
 * chunks allocated and marks them orphans; the last unmap frees an orphan.
 *
 * Pages Cloison gives a domain (its grant frames, which the toolstack maps
 * with XENMEM_acquire_resource or, by their GFN, like RAM) are counted the
 * same way, each page a chunk of its own owned by that domain, and released
 * through foreign_release_frames() by whoever frees them.
 *
 * Each mapper remembers its foreign GFNs (gfn -> chunk), so an unmap or its
 * own destruction drops exactly the references it took. Such a record may
 * outlive its p2m entry (a later mapping over the GFN replaced it): it then
 * only keeps a chunk a little longer, never too short.
 *
 * One lock for all of it: foreign mapping is a control-plane operation.
 * Its place in the lock order: cloison/spinlock.h.
 */
#include <cloison/assert.h>
#include <core/domain.h>
#include <core/domain_ram.h>
#include <cloison/errno.h>
#include <core/foreign_map.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <cloison/printk.h>
#include <cloison/spinlock.h>

/* Chunk table values: reference count, the chunk's order, orphan flag, and
 * the owner's domain id while the owner lives (an orphan has none). */
#define REFS_MASK 0xFFFFFFFFULL
#define ORDER_SHIFT 32
#define ORDER_MASK 0xFFULL
#define ORPHAN (1ULL << 40)
#define OWNER_SHIFT 48

static spinlock_t foreign_lock = SPINLOCK_INIT;
static const struct u64map_heap heap = {xzalloc, xfree};
static struct u64map chunk_refs = U64MAP_INIT(&heap); /* chunk pa -> refs | order | orphan */
/* Live owner's domain id -> how many of its chunks foreign mappings hold: a
 * domain the toolstack destroyed stays listed (dying) while this is > 0. */
static struct u64map owner_pins = U64MAP_INIT(&heap);

/* One more (delta 1) or one fewer (-1) referenced chunk of domid. Growing
 * may need memory: false then, nothing changed. Shrinking never fails. */
static bool pins_add(uint16_t domid, int delta)
{
    uint64_t n = 0;
    u64map_get(&owner_pins, domid, &n);
    if (delta < 0 && n <= 1) {
        u64map_del(&owner_pins, domid, NULL);
        return true;
    }
    return u64map_put(&owner_pins, domid, delta < 0 ? n - 1 : n + 1);
}

static unsigned int order_of(uint64_t v)
{
    return (unsigned int)((v >> ORDER_SHIFT) & ORDER_MASK);
}

/* Mapper records: gfn -> chunk pa | order (chunks are page aligned). */
static uint64_t record(const struct ram_chunk *c)
{
    return c->pa | c->order;
}

static bool chunk_get(paddr_t pa, unsigned int order, uint16_t owner)
{
    uint64_t v = (uint64_t)order << ORDER_SHIFT | (uint64_t)owner << OWNER_SHIFT;
    bool first = !u64map_get(&chunk_refs, pa, &v);
    if (!first && (v & REFS_MASK) == REFS_MASK)
        return false; /* 4 billion mappings of one chunk: refuse, never wrap */
    if (first && !pins_add(owner, 1))
        return false;
    if (u64map_put(&chunk_refs, pa, v + 1))
        return true;
    if (first)
        pins_add(owner, -1);
    return false;
}

static void chunk_put(uint64_t rec)
{
    paddr_t pa = rec & PAGE_MASK;
    uint64_t v;
    bool referenced = u64map_get(&chunk_refs, pa, &v);
    ASSERT(referenced); /* every record holds a reference */
    if ((v & REFS_MASK) > 1) {
        u64map_put(&chunk_refs, pa, v - 1); /* existing key: never allocates */
        return;
    }
    u64map_del(&chunk_refs, pa, NULL);
    if (!(v & ORPHAN))
        pins_add((uint16_t)(v >> OWNER_SHIFT), -1);
    if (v & ORPHAN) {
        page_free(pa, order_of(v));
        printk("foreign-mapped RAM of a destroyed domain freed: %lu KiB",
               (PAGE_SIZE << order_of(v)) >> 10);
    }
}

/* Map pa, inside od's chunk c, at gfn of d with a reference on c. */
static int map_in_chunk(struct domain *d, struct domain *od, paddr_t pa, const struct ram_chunk *c,
                        uint64_t gfn)
{
    spin_lock(&foreign_lock);
    if (!d->foreign_maps.heap) /* its first foreign mapping: the map was all zero */
        d->foreign_maps.heap = &heap;
    uint64_t old;
    bool had_old = u64map_get(&d->foreign_maps, gfn, &old);
    int rc = -ENOMEM;
    if (!chunk_get(c->pa, c->order, od->id))
        goto out;
    if (!u64map_put(&d->foreign_maps, gfn, record(c))) {
        chunk_put(record(c));
        goto out;
    }
    rc = p2m_set_page(&d->p2m, gfn << PAGE_SHIFT, pa, P2M_RAM);
    if (rc) {
        /* The old entry, if any, is still in place: so is its record. */
        if (had_old)
            u64map_put(&d->foreign_maps, gfn, old);
        else
            u64map_del(&d->foreign_maps, gfn, NULL);
        chunk_put(record(c));
        goto out;
    }
    if (had_old)
        chunk_put(old);
out:
    spin_unlock(&foreign_lock);
    return rc;
}

int foreign_map_page(struct domain *d, struct domain *od, uint64_t idx, uint64_t gfn)
{
    paddr_t pa;
    struct ram_chunk chunk;
    if (!domain_gfn_mappable(d, gfn) || !domain_own_ram_page(od, idx, &pa, &chunk))
        return -EINVAL;
    return map_in_chunk(d, od, pa, &chunk, gfn);
}

int foreign_map_frame(struct domain *d, struct domain *od, paddr_t pa, uint64_t gfn)
{
    if (!domain_gfn_mappable(d, gfn))
        return -EINVAL;
    const struct ram_chunk c = {.pa = pa, .order = 0};
    return map_in_chunk(d, od, pa, &c, gfn);
}

bool foreign_unmap_gfn(struct domain *d, uint64_t gfn, int *rc)
{
    uint64_t rec;
    spin_lock(&foreign_lock);
    bool found = u64map_get(&d->foreign_maps, gfn, &rec);
    if (found) {
        /* Whatever is mapped at gfn now goes: the foreign page, or what
         * replaced it (as Xen, which removes the entry it finds). */
        paddr_t pa;
        enum p2m_type t;
        *rc = 0;
        if (p2m_lookup(&d->p2m, gfn << PAGE_SHIFT, &pa, &t))
            *rc = p2m_clear_page(&d->p2m, gfn << PAGE_SHIFT);
        if (*rc == 0) {
            u64map_del(&d->foreign_maps, gfn, NULL);
            chunk_put(rec);
        }
    }
    spin_unlock(&foreign_lock);
    return found;
}

static void put_record(uint64_t gfn, uint64_t rec, void *ctx)
{
    (void)gfn, (void)ctx;
    chunk_put(rec);
}

void foreign_domain_destroy(struct domain *d)
{
    spin_lock(&foreign_lock);
    if (u64map_count(&d->foreign_maps))
        printk("d%u: dropping %lu foreign mapping(s)", d->id, u64map_count(&d->foreign_maps));
    u64map_for_each(&d->foreign_maps, put_record, NULL);
    u64map_free(&d->foreign_maps);
    spin_unlock(&foreign_lock);
}

bool foreign_domain_pinned(uint16_t domid)
{
    spin_lock(&foreign_lock);
    bool pinned = u64map_get(&owner_pins, domid, NULL);
    spin_unlock(&foreign_lock);
    return pinned;
}

/* Free the chunk at pa, or leave it to its last unmap: true if kept. */
static bool release_locked(paddr_t pa, unsigned int order)
{
    ASSERT_HELD(&foreign_lock);
    uint64_t v;
    if (!u64map_get(&chunk_refs, pa, &v)) {
        page_free(pa, order);
        return false;
    }
    if (!(v & ORPHAN)) /* its owner is gone: no longer counted as its */
        pins_add((uint16_t)(v >> OWNER_SHIFT), -1);
    u64map_put(&chunk_refs, pa, v | ORPHAN); /* existing key: never allocates */
    return true;
}

void foreign_release_chunks(uint16_t domid, const struct ram_chunk *c, size_t n)
{
    uint64_t kept_kib = 0;
    spin_lock(&foreign_lock);
    for (size_t i = 0; i < n; i++)
        if (release_locked(c[i].pa, c[i].order))
            kept_kib += (PAGE_SIZE << c[i].order) >> 10;
    spin_unlock(&foreign_lock);
    if (kept_kib)
        printk("d%u: %lu KiB of its RAM kept while foreign-mapped", domid, kept_kib);
}

void foreign_release_frames(uint16_t domid, const paddr_t *pa, size_t n)
{
    size_t kept = 0;
    spin_lock(&foreign_lock);
    for (size_t i = 0; i < n; i++)
        kept += release_locked(pa[i], 0);
    spin_unlock(&foreign_lock);
    if (kept)
        printk("d%u: %lu grant frame(s) kept while mapped by another domain", domid, kept);
}
