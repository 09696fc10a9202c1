/*
 * vPL011 in ring mode (see vpl011-priv.h): Xen's vPL011 with its backend in
 * a domain (xenconsoled). The receive FIFO is the ring's `in` half (the
 * backend produces, the guest's DR reads consume), the transmit FIFO its
 * `out` half (DR writes produce, the backend consumes). As in Xen, FR and
 * the interrupt status are kept, and change at three events only: a DR
 * read, a DR write, and the backend's notification (vpl011_model_ring_event);
 * the flags follow the fill levels then:
 *  - RXFE: set when a read empties `in`, cleared when the backend leaves
 *    something there; RXFF: `in` full at the backend's event, cleared by any
 *    read. RTIS while `in` holds anything; RXIS from 16 below full.
 *  - TXFF and BUSY: set when a write fills `out`, cleared at an event that
 *    finds room; TXFE: cleared by a write, set at an event that finds `out`
 *    empty. TXIS while `out` has room for 16 more.
 *
 * The ring is guest memory that the guest and the backend write whenever
 * they like: each index is read once, the count between two indices is
 * checked against the half's size before anything is used, and positions
 * are masked into the half. A count larger than the half (nonsense written
 * by either side) makes `out` count as full (nothing written, so a polling
 * guest waits for the backend) and `in` as empty (nothing read) until the
 * indices make sense again; nothing here loops on what the ring says.
 */
#include <public/io/console.h>

#include "vpl011-priv.h"

/* Bytes waiting in a ring half, from its two indices as read (unchecked). */
static uint32_t queued(XENCONS_RING_IDX prod, XENCONS_RING_IDX cons)
{
    return prod - cons; /* free-running counters: wraps correctly */
}

/* The out half: room for a TX interrupt when 16 more bytes fit (Xen's
 * vpl011_update_tx_fifo_status). */
static void tx_status(struct vpl011_model *m, uint32_t level)
{
    if (level <= XENCONS_OUT_SIZE - VPL011_RING_FIFO_LEVEL)
        m->ris |= INT_TX;
    else
        m->ris &= ~INT_TX;
}

void vpl011_model_reset_ring(struct vpl011_model *m, struct xencons_interface *ring)
{
    vpl011_model_reset(m);
    m->ring = ring;
    m->ris = 0;
    m->fr = FR_TXFE | FR_RXFE;
}

uint32_t vpl011_ring_read_dr(struct vpl011_model *m, struct vpl011_effect *eff)
{
    struct xencons_interface *r = m->ring;
    XENCONS_RING_IDX cons = __atomic_load_n(&r->in_cons, __ATOMIC_RELAXED);
    XENCONS_RING_IDX prod = __atomic_load_n(&r->in_prod, __ATOMIC_ACQUIRE);
    uint32_t level = queued(prod, cons);
    uint32_t c = 0; /* an empty (or nonsensical) FIFO reads as zero, as Xen */
    if (level > 0 && level <= XENCONS_IN_SIZE) {
        c = (uint8_t)__atomic_load_n(&r->in[MASK_XENCONS_IDX(cons, XENCONS_IN_SIZE)],
                                     __ATOMIC_RELAXED);
        /* The byte is read before its slot is handed back. */
        __atomic_store_n(&r->in_cons, cons + 1, __ATOMIC_RELEASE);
        level--;
        if (level == 0) {
            m->fr |= FR_RXFE;
            m->ris &= ~INT_RT;
        }
        if (level < XENCONS_IN_SIZE - VPL011_RING_FIFO_LEVEL)
            m->ris &= ~INT_RX;
    }
    m->fr &= ~FR_RXFF; /* a byte was taken, or there was none */
    eff->kick = true;
    return c;
}

void vpl011_ring_write_dr(struct vpl011_model *m, uint8_t c, struct vpl011_effect *eff)
{
    struct xencons_interface *r = m->ring;
    XENCONS_RING_IDX cons = __atomic_load_n(&r->out_cons, __ATOMIC_ACQUIRE);
    XENCONS_RING_IDX prod = __atomic_load_n(&r->out_prod, __ATOMIC_RELAXED);
    uint32_t level = queued(prod, cons);
    if (level < XENCONS_OUT_SIZE) {
        __atomic_store_n(&r->out[MASK_XENCONS_IDX(prod, XENCONS_OUT_SIZE)], (char)c,
                         __ATOMIC_RELAXED);
        /* The byte is in its slot before the backend may see it. */
        __atomic_store_n(&r->out_prod, prod + 1, __ATOMIC_RELEASE);
        level++;
        tx_status(m, level);
    } else {
        /* A guest writing with TXFF set loses the byte (as Xen); with
         * nonsense indices `out` is full until the backend fixes them. */
        m->ris &= ~INT_TX;
        level = XENCONS_OUT_SIZE;
    }
    if (level == XENCONS_OUT_SIZE)
        m->fr |= FR_TXFF | FR_BUSY;
    m->fr &= ~FR_TXFE;
    eff->kick = true;
}

void vpl011_model_ring_event(struct vpl011_model *m)
{
    struct xencons_interface *r = m->ring;
    if (!r)
        return;
    XENCONS_RING_IDX in_cons = __atomic_load_n(&r->in_cons, __ATOMIC_RELAXED);
    XENCONS_RING_IDX in_prod = __atomic_load_n(&r->in_prod, __ATOMIC_ACQUIRE);
    XENCONS_RING_IDX out_cons = __atomic_load_n(&r->out_cons, __ATOMIC_ACQUIRE);
    XENCONS_RING_IDX out_prod = __atomic_load_n(&r->out_prod, __ATOMIC_RELAXED);
    uint32_t in = queued(in_prod, in_cons), out = queued(out_prod, out_cons);
    if (in > XENCONS_IN_SIZE)
        in = 0; /* nonsense: nothing to read */
    if (out > XENCONS_OUT_SIZE)
        out = XENCONS_OUT_SIZE; /* nonsense: no room */

    if (in > 0) {
        m->fr &= ~FR_RXFE;
        m->ris |= INT_RT; /* no line timing: the timeout is always over */
    }
    if (in == XENCONS_IN_SIZE)
        m->fr |= FR_RXFF;
    if (in >= XENCONS_IN_SIZE - VPL011_RING_FIFO_LEVEL)
        m->ris |= INT_RX;

    if (out != XENCONS_OUT_SIZE) {
        /* BUSY goes with TXFF: a guest polling BUSY may write again now. */
        m->fr &= ~(FR_TXFF | FR_BUSY);
        tx_status(m, out);
    }
    if (out == 0)
        m->fr |= FR_TXFE;
}
