/* See lib/scrubmap.h. */
#include <lib/scrubmap.h>

size_t scrubmap_bytes(size_t npages)
{
    return (npages + 63) / 64 * sizeof(uint64_t);
}

/* Mark one page used; whether it was before. */
static int test_and_mark(uint64_t *bits, size_t page)
{
    uint64_t bit = 1ULL << (page % 64);
    return (__atomic_fetch_or(&bits[page / 64], bit, __ATOMIC_RELAXED) & bit) != 0;
}

size_t scrubmap_take(uint64_t *bits, size_t first, size_t n,
                     void (*zero)(void *ctx, size_t page, size_t count), void *ctx)
{
    size_t reported = 0, run = 0;
    for (size_t p = first; p < first + n; p++) {
        if (test_and_mark(bits, p)) {
            run++;
            continue;
        }
        if (run)
            zero(ctx, p - run, run);
        reported += run;
        run = 0;
    }
    if (run)
        zero(ctx, first + n - run, run);
    return reported + run;
}

void scrubmap_mark(uint64_t *bits, size_t first, size_t n)
{
    for (size_t p = first; p < first + n; p++)
        test_and_mark(bits, p);
}
