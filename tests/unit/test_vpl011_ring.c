/*
 * vPL011 register model in ring mode (vdev/vpl011-ring.c): Xen's vPL011 with
 * its backend in a domain. DR writes fill the ring's `out` half, DR reads
 * drain `in`, every DR access asks for a notification of the backend, and
 * the flags and interrupt status follow the fill levels at the three events
 * as in Xen. Indices written by a hostile guest or backend never make the
 * model read or write outside the ring (the ring is allocated alone, so
 * ASan sees any stray access), loop, or take what is not there.
 */
#include <stdlib.h>
#include "harness.h"
#include <public/io/console.h>
#include "../../hypervisor/vdev/vpl011-priv.h"

static struct xencons_interface *ring;
static struct vpl011_model m;

static void fresh(void)
{
    free(ring);
    ring = calloc(1, sizeof(*ring));
    vpl011_model_reset_ring(&m, ring);
}

static uint32_t rd(uint32_t off, bool *kick)
{
    struct vpl011_effect e;
    uint32_t v = vpl011_model_read(&m, off, &e);
    CHECK(!e.tx); /* nothing goes to Cloison's console in ring mode */
    if (kick)
        *kick = e.kick;
    else
        CHECK(!e.kick);
    return v;
}

static uint32_t reg(uint32_t off)
{
    return rd(off, NULL);
}

static bool wr(uint32_t off, uint32_t v)
{
    struct vpl011_effect e;
    vpl011_model_write(&m, off, v, &e);
    CHECK(!e.tx);
    return e.kick;
}

/* The backend: put bytes into `in` / take n from `out`, then notify. */
static void backend_put(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ring->in[MASK_XENCONS_IDX(ring->in_prod + i, XENCONS_IN_SIZE)] = s[i];
    ring->in_prod += (XENCONS_RING_IDX)n;
}

static void backend_take(uint32_t n)
{
    ring->out_cons += n;
}

static uint32_t out_level(void)
{
    return ring->out_prod - ring->out_cons;
}

TEST(idle_ring_uart_as_xen_starts_it)
{
    fresh();
    CHECK_EQ(reg(UARTFR), FR_TXFE | FR_RXFE);
    CHECK_EQ(reg(UARTRIS), 0);
    CHECK_EQ(reg(UARTRSR), 0);
    CHECK(!vpl011_model_irq(&m));
    bool kick;
    CHECK_EQ(rd(UARTDR, &kick), 0); /* nothing there: zero, the backend still told */
    CHECK(kick);
    CHECK_EQ(ring->in_cons, 0u);
}

TEST(dr_writes_fill_out_and_kick)
{
    fresh();
    CHECK(wr(UARTDR, 0x141)); /* only the byte */
    CHECK(wr(UARTDR, 'i'));
    CHECK_EQ(ring->out_prod, 2u);
    CHECK_EQ(ring->out[0], 'A');
    CHECK_EQ(ring->out[1], 'i');
    CHECK_EQ(reg(UARTFR), FR_RXFE); /* TXFE gone, room left */
    CHECK_EQ(reg(UARTRIS), INT_TX);
    wr(UARTIMSC, INT_TX);
    CHECK(vpl011_model_irq(&m));
    /* Other registers never kick. */
    CHECK(!wr(UARTICR, INT_TX));
    CHECK(!vpl011_model_irq(&m));
    CHECK(!wr(UARTRSR, 0));
    /* The backend drains and notifies: empty again. */
    backend_take(2);
    vpl011_model_ring_event(&m);
    CHECK_EQ(reg(UARTFR), FR_TXFE | FR_RXFE);
    CHECK_EQ(reg(UARTRIS), INT_TX);
}

TEST(full_out_sets_txff_busy_and_drops_until_the_backend_drains)
{
    fresh();
    for (uint32_t i = 0; i < XENCONS_OUT_SIZE; i++) {
        if (i == XENCONS_OUT_SIZE - VPL011_RING_FIFO_LEVEL)
            CHECK_EQ(reg(UARTRIS) & INT_TX, INT_TX); /* room for 16 more */
        CHECK_EQ(reg(UARTFR) & FR_TXFF, 0);
        wr(UARTDR, 'a' + i % 26);
    }
    CHECK_EQ(out_level(), (uint32_t)XENCONS_OUT_SIZE);
    CHECK_EQ(reg(UARTFR) & (FR_TXFF | FR_BUSY), FR_TXFF | FR_BUSY);
    CHECK_EQ(reg(UARTRIS) & INT_TX, 0);
    /* Written anyway: lost, nothing overwritten, the backend told. */
    CHECK(wr(UARTDR, '!'));
    CHECK_EQ(out_level(), (uint32_t)XENCONS_OUT_SIZE);
    CHECK_EQ(ring->out[0], 'a');
    /* The backend takes some without notifying: the flags wait (as Xen). */
    backend_take(10);
    CHECK_EQ(reg(UARTFR) & FR_TXFF, FR_TXFF);
    vpl011_model_ring_event(&m);
    CHECK_EQ(reg(UARTFR) & (FR_TXFF | FR_BUSY | FR_TXFE), 0);
    CHECK_EQ(reg(UARTRIS) & INT_TX, 0); /* 2038 queued: less than 16 free */
    backend_take(6);
    vpl011_model_ring_event(&m);
    CHECK_EQ(reg(UARTRIS) & INT_TX, INT_TX);
    wr(UARTDR, 'z');
    CHECK_EQ(ring->out[0], 'z'); /* the slot freed first is reused */
    CHECK_EQ(reg(UARTRIS) & INT_TX, 0);
}

TEST(rx_comes_from_in_after_the_backends_event)
{
    fresh();
    wr(UARTIMSC, INT_RX | INT_RT);
    backend_put("hi", 2);
    CHECK_EQ(reg(UARTFR) & FR_RXFE, FR_RXFE); /* not told yet */
    CHECK(!vpl011_model_irq(&m));
    vpl011_model_ring_event(&m);
    CHECK_EQ(reg(UARTFR) & FR_RXFE, 0);
    /* Far below the RX trigger; and `out` has room (Xen's event says so). */
    CHECK_EQ(reg(UARTRIS), INT_RT | INT_TX);
    CHECK(vpl011_model_irq(&m));
    bool kick = false;
    CHECK_EQ(rd(UARTDR, &kick), 'h');
    CHECK(kick);
    CHECK_EQ(ring->in_cons, 1u);
    CHECK(vpl011_model_irq(&m));
    CHECK_EQ(rd(UARTDR, &kick), 'i');
    CHECK_EQ(reg(UARTFR) & FR_RXFE, FR_RXFE);
    CHECK_EQ(reg(UARTRIS), INT_TX);
    CHECK(!vpl011_model_irq(&m));
}

TEST(rxis_near_full_and_rxff_when_full)
{
    fresh();
    static char buf[XENCONS_IN_SIZE];
    memset(buf, 'x', sizeof(buf));
    backend_put(buf, XENCONS_IN_SIZE - VPL011_RING_FIFO_LEVEL - 1);
    vpl011_model_ring_event(&m);
    CHECK_EQ(reg(UARTRIS) & (INT_RT | INT_RX), INT_RT);
    backend_put(buf, 1);
    vpl011_model_ring_event(&m);
    CHECK_EQ(reg(UARTRIS) & (INT_RT | INT_RX), INT_RT | INT_RX);
    CHECK_EQ(reg(UARTFR) & FR_RXFF, 0);
    backend_put(buf, VPL011_RING_FIFO_LEVEL);
    vpl011_model_ring_event(&m);
    CHECK_EQ(reg(UARTFR) & FR_RXFF, FR_RXFF);
    bool kick;
    rd(UARTDR, &kick);
    CHECK_EQ(reg(UARTFR) & FR_RXFF, 0);
    CHECK_EQ(reg(UARTRIS) & INT_RX, INT_RX); /* 1023 left */
    for (int i = 0; i < VPL011_RING_FIFO_LEVEL; i++)
        rd(UARTDR, &kick);
    CHECK_EQ(reg(UARTRIS) & (INT_RT | INT_RX), INT_RT); /* below the trigger again */
}

TEST(indices_wrap_around_the_u32)
{
    fresh();
    ring->in_cons = ring->in_prod = 0xfffffffeu;
    ring->out_cons = ring->out_prod = 0xfffffffdu;
    backend_put("wxyz", 4);
    vpl011_model_ring_event(&m);
    bool kick;
    char got[4];
    for (int i = 0; i < 4; i++)
        got[i] = (char)rd(UARTDR, &kick);
    CHECK(!memcmp(got, "wxyz", 4));
    CHECK_EQ(ring->in_cons, 2u);
    for (int i = 0; i < 5; i++)
        wr(UARTDR, '0' + i);
    CHECK_EQ(ring->out_prod, 2u);
    CHECK_EQ(ring->out[MASK_XENCONS_IDX(0xfffffffdu, XENCONS_OUT_SIZE)], '0');
    CHECK_EQ(ring->out[1], '4');
    CHECK_EQ(out_level(), 5u);
}

TEST(nonsense_indices_take_nothing_and_write_nothing)
{
    fresh();
    /* `in` claims more than it holds: empty as far as the guest goes. */
    ring->in_prod = 5000;
    vpl011_model_ring_event(&m);
    CHECK_EQ(reg(UARTFR) & FR_RXFE, FR_RXFE);
    CHECK_EQ(reg(UARTRIS) & (INT_RX | INT_RT), 0);
    bool kick;
    CHECK_EQ(rd(UARTDR, &kick), 0);
    CHECK_EQ(ring->in_cons, 0u);
    /* `out` claims more than it holds: full, nothing written. */
    ring->out_cons = 0x80000000u;
    CHECK(wr(UARTDR, 'q'));
    CHECK_EQ(ring->out_prod, 0u);
    CHECK_EQ(reg(UARTFR) & FR_TXFF, FR_TXFF);
    vpl011_model_ring_event(&m);
    CHECK_EQ(reg(UARTFR) & FR_TXFF, FR_TXFF);
    /* Sane again: it works again. */
    ring->out_cons = 0;
    ring->in_prod = 1;
    ring->in[0] = 'k';
    vpl011_model_ring_event(&m);
    CHECK_EQ(reg(UARTFR) & (FR_TXFF | FR_RXFE), 0);
    CHECK_EQ(rd(UARTDR, &kick), 'k');
    wr(UARTDR, 'q');
    CHECK_EQ(ring->out[0], 'q');
}

/* Random indices and bytes from both sides between random accesses: every
 * access stays inside the ring, a read never consumes more than was queued,
 * a write never goes past full. */
TEST(random_hostile_indices)
{
    fresh();
    srand(12345);
    bool kick;
    for (int i = 0; i < 200000; i++) {
        uint32_t r = (uint32_t)rand();
        switch (r % 6) {
        case 0:
            ring->in_prod = (uint32_t)rand() * 2654435761u;
            break;
        case 1:
            ring->out_cons = ring->out_prod - (uint32_t)rand() % 4100;
            break;
        case 2:
            vpl011_model_ring_event(&m);
            break;
        case 3: {
            XENCONS_RING_IDX c0 = ring->in_cons, n = ring->in_prod - c0;
            rd(UARTDR, &kick);
            CHECK(ring->in_cons == c0 ||
                  (n > 0 && n <= XENCONS_IN_SIZE && ring->in_cons == c0 + 1));
            break;
        }
        case 4: {
            XENCONS_RING_IDX p0 = ring->out_prod, n = p0 - ring->out_cons;
            wr(UARTDR, r >> 8);
            CHECK(ring->out_prod == p0 || (n < XENCONS_OUT_SIZE && ring->out_prod == p0 + 1));
            break;
        }
        default:
            reg(r % 2 ? UARTFR : UARTRIS);
        }
    }
    free(ring);
    ring = NULL;
}
