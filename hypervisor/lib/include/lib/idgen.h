/*
 * Generation-based allocation of hardware tags (VMIDs: 8 or 16 bits) for
 * more address spaces than there are tags, the scheme Linux uses for arm64
 * ASIDs and KVM VMIDs.
 *
 * A tag value is generation | id. Ids of the current generation are handed
 * out from a bitmap; when none is left the generation advances, the bitmap
 * restarts with only the ids each pCPU is running (they stay valid: those
 * pCPUs go on using them), and every TLB in the system is flushed once
 * (flush_all), so stale entries of recycled ids cannot be hit. A space whose
 * tag is from an older generation gets a new one on its next entry, keeping
 * its old id when that id was reserved for it.
 *
 * Only switching a pCPU to another space needs idgen_enter (lock-free when
 * the space's tag is current): a pCPU that goes on running the same space
 * keeps its id across rollovers. The slow path and release need the caller's
 * lock (the same for all three), with
 * interrupts masked. Pure logic: unit-tested on the host.
 */
#ifndef LIB_IDGEN_H
#define LIB_IDGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IDGEN_MAX_CPUS 8
#define IDGEN_MAX_BITS 16

struct idgen {
    unsigned int bits; /* ids 1 .. 2^bits - 1; id 0 is never handed out */
    unsigned int nr_cpus;
    uint64_t generation;               /* a multiple of 2^bits, > 0 (atomic) */
    uint32_t hint;                     /* where the next search starts */
    uint64_t active[IDGEN_MAX_CPUS];   /* tag each pCPU runs now, 0 = none (atomic) */
    uint64_t reserved[IDGEN_MAX_CPUS]; /* tag kept across the last rollover */
    uint64_t map[(1U << IDGEN_MAX_BITS) / 64];
    void (*flush_all)(void); /* invalidate every tag's TLB entries on every pCPU */
    unsigned long rollovers; /* statistics */
};

/* bits in 2..IDGEN_MAX_BITS, nr_cpus in 1..IDGEN_MAX_CPUS. */
void idgen_init(struct idgen *g, unsigned int bits, unsigned int nr_cpus, void (*flush_all)(void));

/* The id part of a tag (what goes into the hardware register). */
static inline uint32_t idgen_id(const struct idgen *g, uint64_t tag)
{
    return (uint32_t)(tag & ((1ULL << g->bits) - 1));
}

/* Is tag from the current generation (still usable without a new one)? */
static inline bool idgen_current(const struct idgen *g, uint64_t tag)
{
    return ((tag ^ __atomic_load_n(&g->generation, __ATOMIC_ACQUIRE)) >> g->bits) == 0;
}

/*
 * Fast path of entering a space on cpu: true if *tag is current and now
 * marked active on cpu. No lock; inline, as it runs on every guest entry.
 * A rollover on another pCPU zeroes active[] (exchange): then the
 * compare-and-swap fails and the slow path takes the lock the rollover holds.
 * Re-entering the space cpu already runs needs no write at all: a rollover
 * racing with it finds the tag in active[] and keeps its id reserved.
 */
static inline bool idgen_enter_fast(struct idgen *g, unsigned int cpu, const uint64_t *tag)
{
    uint64_t old = __atomic_load_n(&g->active[cpu], __ATOMIC_ACQUIRE);
    uint64_t t = __atomic_load_n(tag, __ATOMIC_ACQUIRE);
    if (old == 0 || !idgen_current(g, t))
        return false;
    return old == t || __atomic_compare_exchange_n(&g->active[cpu], &old, t, false,
                                                   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

/* Slow path, under the caller's lock: give *tag a current value if needed and
 * mark it active on cpu. */
void idgen_enter_slow(struct idgen *g, unsigned int cpu, uint64_t *tag);

/* The space is gone and its TLB entries flushed: its id may be reused in this
 * generation. Under the caller's lock. */
void idgen_release(struct idgen *g, uint64_t tag);

#endif
