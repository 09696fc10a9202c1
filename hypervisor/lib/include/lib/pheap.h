/*
 * A pairing heap of nodes keyed by a 64-bit value (software timers by
 * deadline: thousands of vCPU timers per pCPU queue). Insert and meld are
 * O(1), removing the minimum or any node O(log n) amortised, the minimum is
 * read in O(1); a sorted list costs O(n) per insert. Nodes are embedded in
 * their owners, so nothing is allocated. Not thread-safe: callers hold their
 * own lock. Pure logic: unit-tested on the host.
 */
#ifndef LIB_PHEAP_H
#define LIB_PHEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pheap_node {
    uint64_t key;
    uint64_t seq;             /* insertion order: equal keys come out first in, first out */
    struct pheap_node *child; /* the first of its children */
    struct pheap_node *next;  /* its next sibling */
    struct pheap_node *prev;  /* its previous sibling, or its parent if first */
};

struct pheap {
    struct pheap_node *root;
    uint64_t seq;
};

static inline struct pheap_node *pheap_min(const struct pheap *h)
{
    return h->root;
}

/* Add n (not in any heap) with its key set. */
void pheap_insert(struct pheap *h, struct pheap_node *n);
/* Take n, which is in h, out of it. */
void pheap_remove(struct pheap *h, struct pheap_node *n);

#endif
