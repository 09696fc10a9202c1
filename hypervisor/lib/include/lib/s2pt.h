/*
 * Stage-2 translation tables (VMSAv8-64, 4 KiB granule): the walks that map,
 * change and clear guest-physical addresses, without the CPU. Where the
 * tables come from, how writes are made visible and how TLBs are
 * invalidated is the caller's (arch/arm64/p2m.c), through struct s2pt_ops,
 * so the same code runs on the host under the unit tests.
 *
 * Every table below the root comes from ops->alloc and goes back through
 * ops->free as soon as it holds no valid entry: clearing the last mapping
 * under a table unlinks the table with break-before-make (entry zeroed,
 * TLBs flushed, only then the page freed), and clearing an address that
 * maps nothing allocates nothing. A domain's tables therefore never hold
 * more than its live mappings need.
 *
 * Not thread-safe: the caller holds its own lock.
 */
#ifndef LIB_S2PT_H
#define LIB_S2PT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define S2PT_VALID (1ULL << 0)
#define S2PT_TABLE (1ULL << 1) /* levels 0-2: next-level table; level 3: page */
/* A block or page whose memory is not zeroed yet: its entry is complete but
 * invalid (the CPU faults on it; the bit is one the architecture leaves to
 * software), until s2pt_make_valid() after the caller has zeroed it. Such an
 * entry maps its address for everything here: it is looked up, split, kept
 * from being mapped over, and keeps its table alive. */
#define S2PT_LAZY (1ULL << 55)
#define S2PT_ADDR_MASK 0x0000fffffffff000ULL
#define S2PT_ENTRIES 512
#define S2PT_LEVEL_SHIFT(l) (39 - 9 * (l))
#define S2PT_LEVEL_SIZE(l) (1ULL << S2PT_LEVEL_SHIFT(l))

enum s2pt_rc {
    S2PT_OK = 0,
    S2PT_NOMEM = -1,  /* no table page to be had */
    S2PT_EXISTS = -2, /* s2pt_map over a block already there */
};

struct s2pt_ops {
    void *(*alloc)(void *ctx);            /* a zeroed page for a table, NULL if none */
    void (*free)(void *ctx, void *table); /* a table no longer linked or cached */
    void (*publish)(void *ctx);           /* table writes reach the walkers (DSB) */
    void (*flush)(void *ctx);             /* a valid entry was zeroed: invalidate TLBs */
    void *ctx;
};

/* Addresses in entries are the tables' own addresses (EL2 maps RAM 1:1). */
struct s2pt {
    uint64_t *root;           /* root table (concatenated pages at start_level) */
    unsigned int start_level; /* 0..2 */
    size_t root_entries;      /* S2PT_ENTRIES << root order */
    const struct s2pt_ops *ops;
    size_t tables; /* tables below the root, linked now */
};

/* Map [ipa, ipa + size) to pa with attrs (block/page type bits added here;
 * attrs with S2PT_LAZY: lazy entries, no block above 2 MiB),
 * the largest blocks alignment allows (levels 1-2) and pages elsewhere;
 * pages_only: no blocks, only level-3 pages (for emulators whose software
 * TLB pays for stage-2 blocks: DESIGN.md, "Stage-2"). For
 * building: an entry already valid at level 3 is overwritten, a block in
 * the way is S2PT_EXISTS. On failure what was mapped stays. */
int s2pt_map(struct s2pt *t, uint64_t ipa, uint64_t pa, uint64_t size, uint64_t attrs,
             bool pages_only);
/* The level-3 entry for ipa becomes desc | page bit, creating tables and
 * splitting a block covering ipa (the new table repeats it, finer); a valid
 * old entry is replaced with break-before-make. S2PT_NOMEM leaves no table
 * behind that maps nothing. */
int s2pt_set_page(struct s2pt *t, uint64_t ipa, uint64_t desc);
/* Nothing maps ipa afterwards: a page entry is cleared, a block covering it
 * split first (S2PT_NOMEM if that needs a table there is none for); tables
 * left empty are unlinked and freed, up to the root. */
int s2pt_clear_page(struct s2pt *t, uint64_t ipa);
/* The entry translating ipa and its level; false if none. A lazy entry is
 * found too (S2PT_LAZY set in *desc). */
bool s2pt_lookup(const struct s2pt *t, uint64_t ipa, uint64_t *desc, unsigned int *level);
/* The lazy entry translating ipa becomes valid (its memory is ready); false
 * if ipa's entry is not a lazy one. Nothing to flush: no TLB held it.
 * as_pages: a lazy 2 MiB block becomes a level-3 table of valid pages
 * instead (a table from ops->alloc; with none to be had, the block itself
 * becomes valid), for emulators whose software TLB pays for stage-2 blocks
 * (DESIGN.md, "Stage-2 blocks and QEMU's soft TLB"). */
bool s2pt_make_valid(struct s2pt *t, uint64_t ipa, bool as_pages);
/* Every table below the root back through ops->free (teardown: the caller
 * has made sure nothing walks them any more). The root is the caller's. */
void s2pt_free_tables(struct s2pt *t);

#endif
