/* Order statistics for the latency guests (latency.c, speedometer.c). */
#include "guest.h"

static void swap32(uint32_t *a, uint32_t *b)
{
    uint32_t t = *a;
    *a = *b;
    *b = t;
}

/* Quickselect (Hoare partition, middle pivot): linear on average and never
 * recursive, so a guest's small stack is safe whatever the data. */
static uint32_t kth_smallest(uint32_t *a, size_t n, size_t k)
{
    long lo = 0, hi = (long)n - 1, want = (long)k;
    while (lo < hi) {
        uint32_t pivot = a[lo + (hi - lo) / 2];
        long i = lo, j = hi;
        do {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                swap32(&a[i], &a[j]);
                i++;
                j--;
            }
        } while (i <= j);
        /* Now a[lo..j] <= pivot <= a[i..hi], and a[j+1..i-1] == pivot. */
        if (want <= j)
            hi = j;
        else if (want >= i)
            lo = i;
        else
            return a[want];
    }
    return a[want];
}

uint32_t stats_quantile(uint32_t *a, size_t n, unsigned per_mille)
{
    if (n == 0)
        return 0;
    /* The smallest value at or above per_mille of the samples (nearest rank). */
    size_t rank = (n * per_mille + 999) / 1000;
    return kth_smallest(a, n, rank ? rank - 1 : 0);
}

uint64_t ticks_to_us(uint64_t ticks)
{
    return ticks * 1000000 / cntfrq();
}
