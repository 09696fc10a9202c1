/* See lib/s2pt.h. */
#include <lib/s2pt.h>

#define LAST_LEVEL 3

/* The entries met on the way to ipa's level-3 entry: ent[l] is the entry
 * of the level-l table, tbl[l] that table. */
struct walk {
    uint64_t *tbl[LAST_LEVEL + 1];
    uint64_t *ent[LAST_LEVEL + 1];
};

static size_t index_at(const struct s2pt *t, uint64_t ipa, unsigned int level)
{
    uint64_t idx = ipa >> S2PT_LEVEL_SHIFT(level);
    return level == t->start_level ? idx : (idx & (S2PT_ENTRIES - 1));
}

static uint64_t *table_of(uint64_t e)
{
    return (uint64_t *)(uintptr_t)(e & S2PT_ADDR_MASK);
}

/* The entry maps something, now (valid) or once its memory is ready (lazy). */
static bool present(uint64_t e)
{
    return e & (S2PT_VALID | S2PT_LAZY);
}

static bool is_table(uint64_t e, unsigned int level)
{
    return level < LAST_LEVEL && (e & S2PT_VALID) && (e & S2PT_TABLE);
}

/* Break-before-make: a valid entry is zeroed and the TLBs flushed before
 * the new value goes in. */
static void bbm_write(struct s2pt *t, uint64_t *e, uint64_t val)
{
    if (*e & S2PT_VALID) {
        __atomic_store_n(e, 0, __ATOMIC_RELAXED);
        t->ops->publish(t->ops->ctx);
        t->ops->flush(t->ops->ctx);
    }
    __atomic_store_n(e, val, __ATOMIC_RELAXED);
    t->ops->publish(t->ops->ctx);
}

static uint64_t *new_table(struct s2pt *t)
{
    uint64_t *n = t->ops->alloc(t->ops->ctx);
    t->tables += n != NULL;
    return n;
}

static void free_table(struct s2pt *t, uint64_t *table)
{
    t->tables--;
    t->ops->free(t->ops->ctx, table);
}

/* Map the largest block that fits at ipa; its size, or 0 with *rc set. */
static uint64_t map_one(struct s2pt *t, uint64_t ipa, uint64_t pa, uint64_t size, uint64_t attrs,
                        bool pages_only, int *rc)
{
    uint64_t *table = t->root;
    uint64_t valid = attrs & S2PT_LAZY ? 0 : S2PT_VALID;
    /* Lazy blocks are 2 MiB at most: zeroing one on first use stays bounded. */
    unsigned int first_block = attrs & S2PT_LAZY ? 2 : 1;
    for (unsigned int level = t->start_level;; level++) {
        uint64_t *e = &table[index_at(t, ipa, level)];
        uint64_t bsize = S2PT_LEVEL_SIZE(level);
        if (level == LAST_LEVEL) {
            *e = pa | attrs | valid | S2PT_TABLE;
            return bsize;
        }
        if (level >= first_block && !pages_only && !((ipa | pa) & (bsize - 1)) && size >= bsize &&
            !present(*e)) {
            *e = pa | attrs | valid; /* block */
            return bsize;
        }
        if (!present(*e)) {
            uint64_t *next = new_table(t);
            if (!next) {
                *rc = S2PT_NOMEM;
                return 0;
            }
            t->ops->publish(t->ops->ctx);
            *e = (uint64_t)(uintptr_t)next | S2PT_VALID | S2PT_TABLE;
        } else if (!(*e & S2PT_TABLE)) {
            *rc = S2PT_EXISTS;
            return 0;
        }
        table = table_of(*e);
    }
}

int s2pt_map(struct s2pt *t, uint64_t ipa, uint64_t pa, uint64_t size, uint64_t attrs,
             bool pages_only)
{
    int rc = S2PT_OK;
    while (size) {
        uint64_t step = map_one(t, ipa, pa, size, attrs, pages_only, &rc);
        if (!step)
            break;
        ipa += step;
        pa += step;
        size -= step;
    }
    t->ops->publish(t->ops->ctx);
    return rc;
}

static bool table_empty(const uint64_t *table)
{
    for (size_t i = 0; i < S2PT_ENTRIES; i++)
        if (present(table[i]))
            return false;
    return true;
}

/* From the deepest table of w up: each table that maps nothing is unlinked
 * from its parent (break-before-make) and freed; the root stays. */
static void prune(struct s2pt *t, struct walk *w, unsigned int deepest)
{
    for (unsigned int level = deepest; level > t->start_level; level--) {
        if (!w->tbl[level] || !table_empty(w->tbl[level]))
            return;
        bbm_write(t, w->ent[level - 1], 0); /* flushed before the page is reused */
        free_table(t, w->tbl[level]);
        w->tbl[level] = NULL;
    }
}

/* A table repeating the block *e (at level) in entries one level finer
 * (lazy ones for a lazy block: its attributes carry the bit). */
static uint64_t *split_block(struct s2pt *t, uint64_t e, unsigned int level)
{
    uint64_t *n = new_table(t);
    if (!n)
        return NULL;
    uint64_t sub = S2PT_LEVEL_SIZE(level + 1);
    uint64_t base = e & S2PT_ADDR_MASK & ~(S2PT_LEVEL_SIZE(level) - 1);
    uint64_t attrs = e & ~S2PT_ADDR_MASK & ~S2PT_TABLE;
    for (unsigned int i = 0; i < S2PT_ENTRIES; i++)
        n[i] = (base + i * sub) | attrs | (level + 1 == LAST_LEVEL ? S2PT_TABLE : 0);
    return n;
}

/*
 * Walk to ipa's level-3 entry, filling w. With create, missing tables are
 * made and blocks split; without, the walk stops at the first invalid entry
 * (NULL, nothing allocated). On S2PT_NOMEM the tables made on the way that
 * still map nothing are freed again.
 */
static uint64_t *walk_leaf(struct s2pt *t, uint64_t ipa, bool create, struct walk *w, int *rc)
{
    uint64_t *table = t->root;
    for (unsigned int level = t->start_level; level < LAST_LEVEL; level++) {
        uint64_t *e = &table[index_at(t, ipa, level)];
        w->tbl[level] = table;
        w->ent[level] = e;
        if (!is_table(*e, level)) {
            if (!create)
                return NULL;
            uint64_t *next = present(*e) ? split_block(t, *e, level) : new_table(t);
            if (!next) {
                *rc = S2PT_NOMEM;
                prune(t, w, level);
                return NULL;
            }
            t->ops->publish(t->ops->ctx);
            bbm_write(t, e, (uint64_t)(uintptr_t)next | S2PT_VALID | S2PT_TABLE);
        }
        table = table_of(*e);
    }
    w->tbl[LAST_LEVEL] = table;
    w->ent[LAST_LEVEL] = &table[index_at(t, ipa, LAST_LEVEL)];
    return w->ent[LAST_LEVEL];
}

int s2pt_set_page(struct s2pt *t, uint64_t ipa, uint64_t desc)
{
    struct walk w = {{0}, {0}};
    int rc = S2PT_OK;
    uint64_t *e = walk_leaf(t, ipa, true, &w, &rc);
    if (e)
        bbm_write(t, e, desc | S2PT_VALID | S2PT_TABLE);
    return rc;
}

int s2pt_clear_page(struct s2pt *t, uint64_t ipa)
{
    uint64_t desc;
    unsigned int level;
    if (!s2pt_lookup(t, ipa, &desc, &level))
        return S2PT_OK; /* maps nothing: nothing to allocate or free */
    struct walk w = {{0}, {0}};
    int rc = S2PT_OK;
    /* A block covering ipa is split so only this page goes. */
    uint64_t *e = walk_leaf(t, ipa, level < LAST_LEVEL, &w, &rc);
    if (!e)
        return rc;
    bbm_write(t, e, 0);
    prune(t, &w, LAST_LEVEL);
    return S2PT_OK;
}

bool s2pt_lookup(const struct s2pt *t, uint64_t ipa, uint64_t *desc, unsigned int *level)
{
    const uint64_t *table = t->root;
    if ((ipa >> S2PT_LEVEL_SHIFT(t->start_level)) >= t->root_entries)
        return false;
    for (unsigned int l = t->start_level; l <= LAST_LEVEL; l++) {
        uint64_t e = __atomic_load_n(&table[index_at(t, ipa, l)], __ATOMIC_RELAXED);
        if (!present(e))
            return false;
        if (is_table(e, l)) {
            table = table_of(e);
            continue;
        }
        *desc = e;
        *level = l;
        return true;
    }
    return false;
}

/* The lazy block *e (a level-2 one) becomes a valid level-3 table of pages
 * over the same memory; false if there is no table page to be had. */
static bool make_valid_pages(struct s2pt *t, uint64_t *e, unsigned int level)
{
    uint64_t *n = split_block(t, (*e & ~S2PT_LAZY) | S2PT_VALID, level);
    if (!n)
        return false;
    /* The pages, then the table over them: the old entry was invalid, so no
     * TLB holds it and nothing needs breaking first. */
    t->ops->publish(t->ops->ctx);
    __atomic_store_n(e, (uint64_t)(uintptr_t)n | S2PT_VALID | S2PT_TABLE, __ATOMIC_RELAXED);
    t->ops->publish(t->ops->ctx);
    return true;
}

bool s2pt_make_valid(struct s2pt *t, uint64_t ipa, bool as_pages)
{
    uint64_t *table = t->root;
    if ((ipa >> S2PT_LEVEL_SHIFT(t->start_level)) >= t->root_entries)
        return false;
    for (unsigned int l = t->start_level; l <= LAST_LEVEL; l++) {
        uint64_t *e = &table[index_at(t, ipa, l)];
        if (is_table(*e, l)) {
            table = table_of(*e);
            continue;
        }
        if (!(*e & S2PT_LAZY))
            return false;
        if (as_pages && l == LAST_LEVEL - 1 && make_valid_pages(t, e, l))
            return true;
        /* The memory was made ready before: ordered ahead of the entry. */
        t->ops->publish(t->ops->ctx);
        __atomic_store_n(e, (*e & ~S2PT_LAZY) | S2PT_VALID, __ATOMIC_RELAXED);
        t->ops->publish(t->ops->ctx);
        return true;
    }
    return false;
}

static void free_below(struct s2pt *t, uint64_t *table, unsigned int level, size_t entries)
{
    for (size_t i = 0; i < entries; i++) {
        if (is_table(table[i], level)) {
            uint64_t *next = table_of(table[i]);
            free_below(t, next, level + 1, S2PT_ENTRIES);
            table[i] = 0;
            free_table(t, next);
        }
    }
}

void s2pt_free_tables(struct s2pt *t)
{
    free_below(t, t->root, t->start_level, t->root_entries);
}
