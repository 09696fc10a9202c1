/*
 * vPL011 register model (see vpl011-priv.h); DR and FR in ring mode are
 * vpl011-ring.c's. Interrupt semantics of Cloison's own UART, chosen so
 * an interrupt-driven guest never stalls and never storms:
 *  - RX: RXIS while the FIFO holds at least the trigger level; RTIS while it
 *    holds anything (the real receive timeout is a few bit times of idle
 *    line, which is always over by the time the guest looks). Both clear as
 *    reads drain the FIFO, or through ICR until the next byte arrives.
 *  - TX: bytes leave the moment DR is written, so the FIFO is always empty
 *    (TXFE set, TXFF and BUSY clear) and TXIS is raised again by every DR
 *    write; ICR clears it. A guest that unmasks TXIM gets its interrupt at
 *    once and masks it when it has nothing left to send (Linux does).
 */
#include <string.h>

#include "vpl011-priv.h"

void vpl011_model_reset(struct vpl011_model *m)
{
    memset(m, 0, sizeof(*m));
    m->ris = INT_TX; /* empty transmit FIFO: at or below any trigger level */
}

static void rx_update(struct vpl011_model *m)
{
    if (m->rx_count < VPL011_RX_TRIGGER)
        m->ris &= ~INT_RX;
    if (m->rx_count == 0)
        m->ris &= ~INT_RT;
}

bool vpl011_model_rx(struct vpl011_model *m, uint8_t c)
{
    if (m->rx_count == VPL011_RX_FIFO) {
        /* As the PL011: the byte is lost, the overrun flag is raised. */
        m->rx_dropped++;
        m->rsr |= RSR_OE;
        m->ris |= INT_OE;
        m->oe_next = true;
        return false;
    }
    m->rx[(m->rx_head + m->rx_count) % VPL011_RX_FIFO] = c;
    m->rx_count++;
    m->ris |= INT_RT;
    if (m->rx_count >= VPL011_RX_TRIGGER)
        m->ris |= INT_RX;
    return true;
}

static uint32_t rd_dr(struct vpl011_model *m, struct vpl011_effect *eff)
{
    if (m->ring)
        return vpl011_ring_read_dr(m, eff);
    if (m->rx_count == 0)
        return 0; /* the PL011 returns stale data; zero leaks nothing */
    uint32_t v = m->rx[m->rx_head];
    m->rx_head = (m->rx_head + 1) % VPL011_RX_FIFO;
    m->rx_count--;
    if (m->oe_next) {
        v |= DR_OE;
        m->oe_next = false;
    }
    rx_update(m);
    return v;
}

static uint32_t rd_rsr(struct vpl011_model *m, struct vpl011_effect *eff)
{
    (void)eff;
    return m->rsr; /* ring mode: never set (no line, no overrun), as Xen's 0 */
}

static uint32_t rd_fr(struct vpl011_model *m, struct vpl011_effect *eff)
{
    (void)eff;
    if (m->ring)
        return m->fr;
    uint32_t fr = FR_TXFE;
    if (m->rx_count == 0)
        fr |= FR_RXFE;
    if (m->rx_count == VPL011_RX_FIFO)
        fr |= FR_RXFF;
    return fr;
}

static uint32_t rd_imsc(struct vpl011_model *m, struct vpl011_effect *eff)
{
    (void)eff;
    return m->imsc;
}

static uint32_t rd_ris(struct vpl011_model *m, struct vpl011_effect *eff)
{
    (void)eff;
    return m->ris;
}

static uint32_t rd_mis(struct vpl011_model *m, struct vpl011_effect *eff)
{
    (void)eff;
    return m->ris & m->imsc;
}

static void wr_dr(struct vpl011_model *m, uint32_t v, struct vpl011_effect *eff)
{
    if (m->ring) {
        vpl011_ring_write_dr(m, (uint8_t)v, eff);
        return;
    }
    eff->tx = true;
    eff->tx_byte = (uint8_t)v;
    m->ris |= INT_TX; /* sent already: the FIFO is back below the trigger */
}

static void wr_ecr(struct vpl011_model *m, uint32_t v, struct vpl011_effect *eff)
{
    (void)v, (void)eff;
    m->rsr = 0; /* any write clears the error flags */
}

static void wr_imsc(struct vpl011_model *m, uint32_t v, struct vpl011_effect *eff)
{
    (void)eff;
    m->imsc = v & INT_ALL;
}

static void wr_icr(struct vpl011_model *m, uint32_t v, struct vpl011_effect *eff)
{
    (void)eff;
    m->ris &= ~(v & INT_ALL);
}

static const struct vpl011_reg {
    uint32_t off;
    uint32_t (*read)(struct vpl011_model *m, struct vpl011_effect *eff);
    void (*write)(struct vpl011_model *m, uint32_t v, struct vpl011_effect *eff);
} regs[] = {
    {UARTDR, rd_dr, wr_dr},       {UARTRSR, rd_rsr, wr_ecr}, {UARTFR, rd_fr, NULL},
    {UARTIMSC, rd_imsc, wr_imsc}, {UARTRIS, rd_ris, NULL},   {UARTMIS, rd_mis, NULL},
    {UARTICR, NULL, wr_icr},
};

static const struct vpl011_reg *find_reg(uint32_t off)
{
    for (size_t i = 0; i < ARRAY_SIZE(regs); i++)
        if (regs[i].off == off)
            return &regs[i];
    return NULL;
}

uint32_t vpl011_model_read(struct vpl011_model *m, uint32_t off, struct vpl011_effect *eff)
{
    const struct vpl011_reg *r = find_reg(off);
    eff->tx = eff->kick = false;
    return r && r->read ? r->read(m, eff) : 0;
}

void vpl011_model_write(struct vpl011_model *m, uint32_t off, uint32_t val,
                        struct vpl011_effect *eff)
{
    const struct vpl011_reg *r = find_reg(off);
    eff->tx = eff->kick = false;
    if (r && r->write)
        r->write(m, val, eff);
}
