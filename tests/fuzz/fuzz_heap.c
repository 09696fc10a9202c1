/*
 * libFuzzer: lib/heap.c op sequences over a page provider with a small
 * budget (so refusals happen). Each 3-byte op allocates (size from 2 bytes,
 * 1 byte up to 64 KiB, plain or zeroed), frees a live object, or frees a
 * pointer the heap never returned (which it must ignore). Every live object
 * is filled with its own tag byte, checked before it is freed and at the
 * end, so two objects sharing bytes are caught (memset/memcmp keep a 64 KiB
 * check cheap); a zeroed allocation must read zero; the
 * byte count stays at least the sum of live sizes and falls back to 0, and
 * destroying the heap gives every page back.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <lib/heap.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PG 4096u
#define BUDGET_PAGES 96
#define MAX_LIVE 200 /* below the 255 tags, so live objects' tags differ */

struct provider {
    size_t pages_out;
};

static void *prov_alloc(void *ctx, unsigned int order)
{
    struct provider *p = ctx;
    if (order > 8 || p->pages_out + ((size_t)1 << order) > BUDGET_PAGES)
        return NULL;
    void *m = aligned_alloc(PG, (size_t)PG << order);
    if (m) {
        memset(m, 0xA5, (size_t)PG << order); /* the heap must not expect zeros */
        p->pages_out += (size_t)1 << order;
    }
    return m;
}

static void prov_free(void *ctx, void *m, unsigned int order)
{
    struct provider *p = ctx;
    p->pages_out -= (size_t)1 << order;
    free(m);
}

struct obj {
    unsigned char *p;
    size_t size;
    unsigned char tag;
};

/* Every byte equal to the first, and the first the tag. */
static bool uniform(const unsigned char *p, size_t n, unsigned char tag)
{
    return p[0] == tag && (n == 1 || memcmp(p, p + 1, n - 1) == 0);
}

static void check(const struct obj *o)
{
    if (!uniform(o->p, o->size, o->tag))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct obj live[MAX_LIVE];
    static unsigned char foreign[64] __attribute__((aligned(16)));
    struct provider prov = {0};
    struct heap_pages hp = {prov_alloc, prov_free, &prov};
    struct heap *h = heap_create(&hp);
    size_t nlive = 0, sum = 0;
    unsigned char next_tag = 0;

    if (!h)
        abort();
    for (size_t i = 0; i + 3 <= size; i += 3) {
        unsigned int op = data[i] % 4, arg = (unsigned int)data[i + 1] | data[i + 2] << 8;
        if (op <= 1 && nlive < MAX_LIVE) {
            size_t n = op == 0 ? 1 + arg % 4096 : 1 + (size_t)arg; /* mostly small */
            unsigned char *m = op == 0 ? heap_alloc(h, n) : heap_zalloc(h, n);
            if (!m)
                continue;
            if (op == 1 && !uniform(m, n, 0))
                abort();
            if (((uintptr_t)m & 15) || (n >= PG && ((uintptr_t)m & (PG - 1))))
                abort();
            next_tag = next_tag == 255 ? 1 : next_tag + 1;
            memset(m, next_tag, n);
            live[nlive++] = (struct obj){m, n, next_tag};
            sum += n;
        } else if (op == 2 && nlive) {
            struct obj *o = &live[arg % nlive];
            check(o);
            heap_free(h, o->p);
            sum -= o->size;
            *o = live[--nlive];
        } else if (op == 3) {
            heap_free(h, foreign + (arg % 4) * 16); /* not the heap's: ignored */
        }
        if (heap_bytes_in_use(h) < sum)
            abort();
    }
    for (size_t k = 0; k < nlive; k++)
        check(&live[k]);
    while (nlive) {
        heap_free(h, live[--nlive].p);
    }
    if (heap_bytes_in_use(h) != 0)
        abort();
    heap_destroy(h);
    if (prov.pages_out != 0)
        abort();
    return 0;
}
