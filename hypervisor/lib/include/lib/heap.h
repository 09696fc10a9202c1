/*
 * Small-object heap over a page provider. Size classes from 16 to 2048 bytes are
 * carved out of single pages; larger requests take whole pages (power-of-two
 * order) straight from the provider. Every allocation is at least 16-byte
 * aligned; page-sized and larger ones are page aligned.
 * Not thread-safe: callers hold their own lock.
 */
#ifndef LIB_HEAP_H
#define LIB_HEAP_H

#include <stddef.h>
#include <stdint.h>

struct heap_pages {
    /* Return a pointer to 2^order zeroed-or-not 4 KiB pages, or NULL. */
    void *(*alloc)(void *ctx, unsigned int order);
    void (*free)(void *ctx, void *p, unsigned int order);
    void *ctx;
};

struct heap; /* opaque; heap_create places it in its first page */

struct heap *heap_create(const struct heap_pages *pages);
/* Return every page to the provider, live objects included (e.g. a dying domain's heap). */
void heap_destroy(struct heap *h);
void *heap_alloc(struct heap *h, size_t size); /* NULL on failure or size 0 */
void *heap_zalloc(struct heap *h, size_t size);
void heap_free(struct heap *h, void *p);        /* NULL is ignored */
size_t heap_bytes_in_use(const struct heap *h); /* for leak checks and bench */
/* Pages taken from the provider and not given back (its own, free slack included). */
size_t heap_pages_held(const struct heap *h);

#endif
