/* lib/idgen.h: generation-based tag allocation (VMIDs). */
#include <string.h>
#include <lib/bitmap.h>
#include <lib/idgen.h>

static uint64_t load(const uint64_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

void idgen_init(struct idgen *g, unsigned int bits, unsigned int nr_cpus, void (*flush_all)(void))
{
    memset(g, 0, sizeof(*g));
    g->bits = bits;
    g->nr_cpus = nr_cpus;
    g->generation = 1ULL << bits;
    g->hint = 1;
    g->flush_all = flush_all;
    bitmap_set(g->map, 0); /* id 0: never a guest's */
}

/* New generation: only what each pCPU runs (or last kept) stays taken. */
static void rollover(struct idgen *g)
{
    size_t n = 1ULL << g->bits;
    bitmap_zero(g->map, n);
    bitmap_set(g->map, 0);
    for (unsigned int c = 0; c < g->nr_cpus; c++) {
        uint64_t t = __atomic_exchange_n(&g->active[c], 0, __ATOMIC_ACQ_REL);
        if (t == 0) /* idle since the last rollover: keep what it kept then */
            t = g->reserved[c];
        if (t)
            bitmap_set(g->map, idgen_id(g, t));
        g->reserved[c] = t;
    }
    g->rollovers++;
    g->flush_all();
}

/* A pCPU kept tag across a rollover: the space keeps its id, re-tagged. */
static bool take_reserved(struct idgen *g, uint64_t tag, uint64_t new_tag)
{
    bool hit = false;
    for (unsigned int c = 0; c < g->nr_cpus; c++)
        if (g->reserved[c] == tag) {
            g->reserved[c] = new_tag;
            hit = true;
        }
    return hit;
}

static uint64_t new_tag(struct idgen *g, uint64_t tag)
{
    size_t n = 1ULL << g->bits;
    uint64_t gen = load(&g->generation);
    if (tag) {
        /* Keep the old id if it is still free in this generation. */
        uint32_t id = idgen_id(g, tag);
        if (take_reserved(g, tag, gen | id))
            return gen | id;
        if (!bitmap_test(g->map, id)) {
            bitmap_set(g->map, id);
            return gen | id;
        }
    }
    size_t id = bitmap_find_next_zero(g->map, n, g->hint);
    if (id >= n)
        id = bitmap_find_next_zero(g->map, n, 1);
    if (id >= n) {
        gen = __atomic_add_fetch(&g->generation, n, __ATOMIC_ACQ_REL);
        rollover(g);
        /* More ids than pCPUs: something is free now. */
        id = bitmap_find_next_zero(g->map, n, 1);
    }
    bitmap_set(g->map, id);
    g->hint = (uint32_t)id;
    return gen | id;
}

void idgen_enter_slow(struct idgen *g, unsigned int cpu, uint64_t *tag)
{
    uint64_t t = load(tag);
    if (!idgen_current(g, t)) {
        t = new_tag(g, t);
        __atomic_store_n(tag, t, __ATOMIC_RELEASE);
    }
    __atomic_store_n(&g->active[cpu], t, __ATOMIC_RELEASE);
}

void idgen_release(struct idgen *g, uint64_t tag)
{
    /* Reserved or active somewhere, it stays taken until the next rollover. */
    if (!tag || !idgen_current(g, tag))
        return;
    for (unsigned int c = 0; c < g->nr_cpus; c++)
        if (load(&g->active[c]) == tag || g->reserved[c] == tag)
            return;
    bitmap_clear(g->map, idgen_id(g, tag));
}
