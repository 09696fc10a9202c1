/*
 * Buddy allocator op sequences. Input: the first bytes choose the instance
 * (base offset, size) and which part of it is given to the allocator; then
 * each 2-byte op allocates (order from the byte) or frees one live block.
 * A shadow page map catches double hand-outs; buddy_check runs after every op
 * and, at the end, freeing everything must restore the initial free count.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <lib/buddy.h>

#define MAX_PAGES 2048
#define PG 4096ULL

struct live {
    uint64_t pa;
    unsigned int order;
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint32_t meta[MAX_PAGES * 9 / 4 + 1]; /* buddy_meta_size, word aligned */
    static uint8_t shadow[MAX_PAGES];
    static struct live live[MAX_PAGES];
    struct buddy b;
    size_t nlive = 0, npages, first, count, added;
    uint64_t base;

    if (size < 6)
        return 0;
    npages = 1 + ((data[0] | (size_t)data[1] << 8) % MAX_PAGES);
    base = 0x40000000ULL + (data[2] % 64) * PG; /* misaligned bases exercise natural alignment */
    first = data[3] % npages;
    count = (data[4] | (size_t)data[5] << 8) % (npages - first + 1);
    data += 6;
    size -= 6;
    if (buddy_init(&b, base, npages, meta) != 0)
        abort();
    memset(shadow, 0, sizeof(shadow));
    buddy_add_range(&b, base + first * PG, count);
    added = buddy_free_pages(&b);
    if (added != count || !buddy_check(&b))
        abort();
    for (size_t i = 0; i + 1 < size; i += 2) {
        if (data[i] & 1) {
            unsigned int order = data[i + 1] % (BUDDY_MAX_ORDER + 2); /* one past max too */
            uint64_t pa = buddy_alloc(&b, order);

            if (!pa)
                continue;
            if (order > BUDDY_MAX_ORDER || pa % (PG << order) || pa < base)
                abort();
            for (size_t p = (pa - base) / PG; p < (pa - base) / PG + (1u << order); p++) {
                if (p < first || p >= first + count || shadow[p])
                    abort();
                shadow[p] = 1;
            }
            live[nlive].pa = pa;
            live[nlive++].order = order;
        } else if (nlive) {
            size_t k = data[i + 1] % nlive;
            size_t p0 = (live[k].pa - base) / PG;

            memset(shadow + p0, 0, (size_t)1 << live[k].order);
            buddy_free(&b, live[k].pa, live[k].order);
            live[k] = live[--nlive];
        }
        if (!buddy_check(&b))
            abort();
    }
    while (nlive--)
        buddy_free(&b, live[nlive].pa, live[nlive].order);
    if (buddy_free_pages(&b) != added || !buddy_check(&b))
        abort();
    return 0;
}
