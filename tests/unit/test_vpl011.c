/* vPL011 register model: FIFO flags, interrupt status, masking, overrun. */
#include "harness.h"
#include "../../hypervisor/vdev/vpl011-priv.h"

static struct vpl011_model fresh(void)
{
    struct vpl011_model m;
    vpl011_model_reset(&m);
    return m;
}

static uint32_t rd(struct vpl011_model *m, uint32_t off)
{
    struct vpl011_effect e;
    uint32_t v = vpl011_model_read(m, off, &e);
    CHECK(!e.tx && !e.kick);
    return v;
}

static struct vpl011_effect wr(struct vpl011_model *m, uint32_t off, uint32_t v)
{
    struct vpl011_effect e;
    vpl011_model_write(m, off, v, &e);
    return e;
}

TEST(reset_state_is_an_idle_uart)
{
    struct vpl011_model m = fresh();
    CHECK_EQ(rd(&m, UARTFR), FR_TXFE | FR_RXFE);
    CHECK_EQ(rd(&m, UARTIMSC), 0);
    CHECK_EQ(rd(&m, UARTRIS), INT_TX); /* empty TX FIFO */
    CHECK_EQ(rd(&m, UARTMIS), 0);
    CHECK(!vpl011_model_irq(&m));
}

TEST(dr_write_transmits_and_raises_txis)
{
    struct vpl011_model m = fresh();
    wr(&m, UARTICR, INT_TX);
    CHECK_EQ(rd(&m, UARTRIS) & INT_TX, 0);
    struct vpl011_effect e = wr(&m, UARTDR, 0x141); /* only the byte leaves */
    CHECK(e.tx);
    CHECK_EQ(e.tx_byte, 0x41);
    CHECK_EQ(rd(&m, UARTRIS) & INT_TX, INT_TX);
    CHECK_EQ(rd(&m, UARTFR) & (FR_TXFF | FR_BUSY), 0);
    wr(&m, UARTIMSC, INT_TX);
    CHECK(vpl011_model_irq(&m));
    CHECK_EQ(rd(&m, UARTMIS), INT_TX);
    e = wr(&m, UARTFR, 0); /* read-only: nothing sent */
    CHECK(!e.tx);
}

TEST(rx_bytes_come_out_in_order_with_timeout_interrupt)
{
    struct vpl011_model m = fresh();
    wr(&m, UARTIMSC, INT_RX | INT_RT);
    CHECK(vpl011_model_rx(&m, 'h'));
    CHECK(vpl011_model_rx(&m, 'i'));
    CHECK_EQ(rd(&m, UARTFR) & FR_RXFE, 0);
    CHECK_EQ(rd(&m, UARTRIS) & (INT_RX | INT_RT), INT_RT); /* below the trigger */
    CHECK_EQ(rd(&m, UARTMIS), INT_RT);
    CHECK(vpl011_model_irq(&m));
    CHECK_EQ(rd(&m, UARTDR), 'h');
    CHECK(vpl011_model_irq(&m));
    CHECK_EQ(rd(&m, UARTDR), 'i');
    CHECK_EQ(rd(&m, UARTFR) & FR_RXFE, FR_RXFE);
    CHECK_EQ(rd(&m, UARTRIS) & (INT_RX | INT_RT), 0);
    CHECK(!vpl011_model_irq(&m));
    CHECK_EQ(rd(&m, UARTDR), 0); /* empty FIFO reads as zero */
}

TEST(rxis_follows_the_trigger_level)
{
    struct vpl011_model m = fresh();
    for (int i = 0; i < VPL011_RX_TRIGGER - 1; i++)
        vpl011_model_rx(&m, (uint8_t)i);
    CHECK_EQ(rd(&m, UARTRIS) & INT_RX, 0);
    vpl011_model_rx(&m, 0x55);
    CHECK_EQ(rd(&m, UARTRIS) & INT_RX, INT_RX);
    rd(&m, UARTDR);
    CHECK_EQ(rd(&m, UARTRIS) & INT_RX, 0);
    CHECK_EQ(rd(&m, UARTRIS) & INT_RT, INT_RT);
}

TEST(masked_interrupts_show_in_ris_only)
{
    struct vpl011_model m = fresh();
    wr(&m, UARTICR, INT_ALL);
    vpl011_model_rx(&m, 'x');
    CHECK_EQ(rd(&m, UARTRIS), INT_RT);
    CHECK_EQ(rd(&m, UARTMIS), 0);
    CHECK(!vpl011_model_irq(&m));
    wr(&m, UARTIMSC, 0xffffffff); /* reserved bits are not kept */
    CHECK_EQ(rd(&m, UARTIMSC), INT_ALL);
    CHECK(vpl011_model_irq(&m));
    wr(&m, UARTICR, INT_RT); /* cleared until the next byte */
    CHECK(!vpl011_model_irq(&m));
    CHECK_EQ(rd(&m, UARTFR) & FR_RXFE, 0); /* the byte is still there */
    vpl011_model_rx(&m, 'y');
    CHECK(vpl011_model_irq(&m));
}

TEST(full_fifo_drops_and_reports_overrun)
{
    struct vpl011_model m = fresh();
    for (int i = 0; i < VPL011_RX_FIFO; i++)
        CHECK(vpl011_model_rx(&m, (uint8_t)('a' + i % 26)));
    CHECK_EQ(rd(&m, UARTFR) & FR_RXFF, FR_RXFF);
    CHECK(!vpl011_model_rx(&m, '!'));
    CHECK_EQ(m.rx_dropped, 1);
    CHECK_EQ(rd(&m, UARTRIS) & INT_OE, INT_OE);
    CHECK_EQ(rd(&m, UARTRSR), RSR_OE);
    CHECK_EQ(rd(&m, UARTDR), DR_OE | 'a'); /* the next byte carries the flag */
    CHECK_EQ(rd(&m, UARTDR), 'b');
    wr(&m, UARTRSR, 0); /* ECR */
    CHECK_EQ(rd(&m, UARTRSR), 0);
    wr(&m, UARTICR, INT_OE);
    CHECK_EQ(rd(&m, UARTRIS) & INT_OE, 0);
    CHECK_EQ(rd(&m, UARTFR) & FR_RXFF, 0);
}

TEST(fifo_wraps_around)
{
    struct vpl011_model m = fresh();
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < VPL011_RX_FIFO; i++)
            vpl011_model_rx(&m, (uint8_t)(round * 40 + i));
        for (int i = 0; i < VPL011_RX_FIFO; i++)
            CHECK_EQ(rd(&m, UARTDR), (uint32_t)(round * 40 + i));
    }
    CHECK_EQ(m.rx_dropped, 0);
}

TEST(unknown_offsets_are_raz_wi)
{
    struct vpl011_model m = fresh();
    vpl011_model_rx(&m, 'z');
    static const uint32_t offs[] = {0x008, 0x020, 0x024, 0x028, 0x02c,  0x030,
                                    0x034, 0x048, 0xfe0, 0xffc, 0x1000, 0xffffffff};
    for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
        CHECK_EQ(rd(&m, offs[i]), 0);
        CHECK(!wr(&m, offs[i], 0xffffffff).tx);
    }
    CHECK_EQ(rd(&m, UARTICR), 0);  /* write-only */
    CHECK_EQ(rd(&m, UARTDR), 'z'); /* state untouched */
    CHECK_EQ(rd(&m, UARTIMSC), 0);
}
