/*
 * The two halves of the console ring the backend drives. Indices are
 * free-running u32 counters owned by the other side as far as they are read
 * here: each is read once, checked, and only our own index is written
 * (release order, after the data), exactly the producer/consumer protocol of
 * public/io/console.h.
 */
#include <xen/pvconsole.h>
#include <public/io/console.h>

long pvcons_out_take(struct xencons_interface *r, char *buf, size_t cap)
{
    XENCONS_RING_IDX cons = __atomic_load_n(&r->out_cons, __ATOMIC_RELAXED);
    XENCONS_RING_IDX prod = __atomic_load_n(&r->out_prod, __ATOMIC_ACQUIRE);
    XENCONS_RING_IDX avail = prod - cons;
    if (avail > XENCONS_OUT_SIZE)
        return -1;
    size_t n = avail < cap ? avail : cap;
    for (size_t i = 0; i < n; i++)
        buf[i] = __atomic_load_n(&r->out[MASK_XENCONS_IDX(cons + i, XENCONS_OUT_SIZE)],
                                 __ATOMIC_RELAXED);
    /* Data read before the slots are handed back. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    __atomic_store_n(&r->out_cons, cons + (XENCONS_RING_IDX)n, __ATOMIC_RELEASE);
    return (long)n;
}

long pvcons_in_put(struct xencons_interface *r, const char *buf, size_t len)
{
    XENCONS_RING_IDX cons = __atomic_load_n(&r->in_cons, __ATOMIC_ACQUIRE);
    XENCONS_RING_IDX prod = __atomic_load_n(&r->in_prod, __ATOMIC_RELAXED);
    XENCONS_RING_IDX used = prod - cons;
    if (used > XENCONS_IN_SIZE)
        return -1;
    size_t space = XENCONS_IN_SIZE - used;
    size_t n = len < space ? len : space;
    /* The guest must see its slots free before we fill them. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    for (size_t i = 0; i < n; i++)
        __atomic_store_n(&r->in[MASK_XENCONS_IDX(prod + i, XENCONS_IN_SIZE)], buf[i],
                         __ATOMIC_RELAXED);
    /* Data written before the new producer index. */
    __atomic_store_n(&r->in_prod, prod + (XENCONS_RING_IDX)n, __ATOMIC_RELEASE);
    return (long)n;
}
