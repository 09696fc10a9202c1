/* lib/scrubmap.c: only pages used before are zeroed, in runs, and every page
 * handed out is used afterwards. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "harness.h"
#include <lib/scrubmap.h>

#define NPAGES 200

static bool zeroed[NPAGES];
static size_t calls;

static void zero(void *ctx, size_t page, size_t count)
{
    (void)ctx;
    calls++;
    for (size_t i = page; i < page + count; i++) {
        CHECK(!zeroed[i]); /* each page reported once per take */
        zeroed[i] = true;
    }
}

static void reset(void)
{
    memset(zeroed, 0, sizeof(zeroed));
    calls = 0;
}

TEST(fresh_pages_are_not_zeroed_used_ones_are)
{
    uint64_t bits[4] = {0};
    CHECK_EQ(scrubmap_bytes(NPAGES), 32);
    CHECK_EQ(scrubmap_bytes(64), 8);
    reset();
    CHECK_EQ(scrubmap_take(bits, 10, 100, zero, NULL), 0); /* untouched since boot */
    CHECK_EQ(calls, 0);
    /* Taken again (freed, reallocated): all of them, one run across words. */
    CHECK_EQ(scrubmap_take(bits, 10, 100, zero, NULL), 100);
    CHECK_EQ(calls, 1);
    for (size_t i = 0; i < NPAGES; i++)
        CHECK_EQ(zeroed[i], i >= 10 && i < 110);
}

TEST(runs_around_fresh_holes)
{
    uint64_t bits[4] = {0};
    scrubmap_mark(bits, 60, 10); /* 60..69 used */
    scrubmap_mark(bits, 127, 2); /* 127, 128 used: across a word boundary */
    scrubmap_mark(bits, 199, 1); /* the last page */
    reset();
    CHECK_EQ(scrubmap_take(bits, 0, NPAGES, zero, NULL), 13);
    CHECK_EQ(calls, 3);
    for (size_t i = 0; i < NPAGES; i++)
        CHECK_EQ(zeroed[i], (i >= 60 && i < 70) || i == 127 || i == 128 || i == 199);
    /* Everything is used now. */
    reset();
    CHECK_EQ(scrubmap_take(bits, 0, NPAGES, zero, NULL), NPAGES);
    CHECK_EQ(calls, 1);
}
