/* Heapsort (see lib/sort.h): a max-heap built bottom-up, then the root swapped
 * to the end and sifted down again, n times. */
#include <lib/sort.h>
#include <string.h>

struct heap_ctx {
    char *base;
    size_t size;
    bool (*less)(const void *a, const void *b, void *ctx);
    void *ctx;
};

static char *elem(const struct heap_ctx *h, size_t i)
{
    return h->base + i * h->size;
}

static void swap(const struct heap_ctx *h, size_t i, size_t j)
{
    char t[64];
    memcpy(t, elem(h, i), h->size);
    memcpy(elem(h, i), elem(h, j), h->size);
    memcpy(elem(h, j), t, h->size);
}

/* Restore the heap below node i of a heap of n elements. */
static void sift_down(const struct heap_ctx *h, size_t i, size_t n)
{
    for (;;) {
        size_t big = i, l = 2 * i + 1, r = l + 1;
        if (l < n && h->less(elem(h, big), elem(h, l), h->ctx))
            big = l;
        if (r < n && h->less(elem(h, big), elem(h, r), h->ctx))
            big = r;
        if (big == i)
            return;
        swap(h, i, big);
        i = big;
    }
}

void heap_sort(void *base, size_t n, size_t size,
               bool (*less)(const void *a, const void *b, void *ctx), void *ctx)
{
    struct heap_ctx h = {base, size, less, ctx};
    if (n < 2 || size > 64)
        return;
    for (size_t i = n / 2; i-- > 0;)
        sift_down(&h, i, n);
    for (size_t end = n - 1; end > 0; end--) {
        swap(&h, 0, end);
        sift_down(&h, 0, end);
    }
}
