/*
 * Where a domain's hypervisor memory goes (core/footprint.c): the bytes each
 * step of its creation took from the heap and the page allocator, its own
 * guest RAM left out. Kept for the last domain created only (no memory per
 * domain), printed by the 'm' debug key and read by bench/density.py.
 */
#ifndef CLOISON_CORE_FOOTPRINT_H
#define CLOISON_CORE_FOOTPRINT_H

#include <cloison/types.h>
#include <cloison/mm.h>

#define FOOTPRINT_MAX_STEPS 12

struct footprint {
    uint16_t domid;
    unsigned int nr;
    struct {
        const char *what; /* a string literal or a registered part's name */
        int64_t bytes;
    } step[FOOTPRINT_MAX_STEPS];
    struct mm_usage last; /* at the previous mark */
};

/* Start counting (before the first allocation). */
void footprint_begin(struct footprint *f);
/* What was allocated since the previous mark is `what`'s, less `exclude`
 * bytes (guest RAM, which the domain's own size accounts for). Heap objects
 * count by their size class, pages whole. Another pCPU allocating meanwhile
 * adds its bytes here: a debugging aid, not a ledger. */
void footprint_mark(struct footprint *f, const char *what, uint64_t exclude);
/* The domain is built: keep f as the last domain's breakdown. */
void footprint_keep(const struct footprint *f, uint16_t domid);
/* One line: "footprint d<N>: <total> B: what=<bytes> ...", or nothing if no
 * domain was created yet. */
void footprint_print_last(void);
/* The sum of the steps (host tests). */
int64_t footprint_total(const struct footprint *f);

#endif
