/*
 * In-place heapsort: O(n log n) comparisons in the worst case and no memory
 * beyond the array, so sorting at run time (a domain built on a restart) has a
 * bound whatever the input order. Not stable.
 */
#ifndef LIB_SORT_H
#define LIB_SORT_H

#include <stdbool.h>
#include <stddef.h>

/* Sort n elements of `size` bytes (size <= 64) at base so that no element
 * is less than the one before it: less(a, b, ctx) says whether a sorts
 * before b. */
void heap_sort(void *base, size_t n, size_t size,
               bool (*less)(const void *a, const void *b, void *ctx), void *ctx);

#endif
