/*
 * vPL011 register model, kept free of locks, domains and the vGIC so the
 * host unit tests (tests/unit/test_vpl011.c) can drive it directly.
 * vdev/vpl011.c wraps it: one model per domain, its lock, the console and
 * the interrupt line.
 *
 * Two kinds of UART share the registers: the one Cloison serves (a boot
 * domain's `vpl011`: a 32-byte receive FIFO fed by the console, bytes sent
 * leave at once) and Xen's with its backend in a domain (vuart_op: both
 * FIFOs are the halves of a xencons_interface ring in the guest's page,
 * vdev/vpl011-ring.c).
 *
 * Only the SBSA generic UART subset exists (DR, RSR/ECR, FR, IMSC, RIS, MIS,
 * ICR): that is all Linux's "arm,sbsa-uart" driver and earlycon=pl011 touch.
 * Every other offset in the 4 KiB frame reads as zero and ignores writes.
 */
#ifndef VPL011_PRIV_H
#define VPL011_PRIV_H

#include <cloison/types.h>

struct xencons_interface;

#define VPL011_RX_FIFO 32
/* RXIS asserts at half full, the PL011 reset trigger level (IFLS = 1/2),
 * which is also what Linux expects since the SBSA UART has no IFLS. */
#define VPL011_RX_TRIGGER (VPL011_RX_FIFO / 2)

/* Register offsets. */
#define UARTDR 0x000
#define UARTRSR 0x004 /* read: RSR; write: ECR (clear errors) */
#define UARTFR 0x018
#define UARTIMSC 0x038
#define UARTRIS 0x03c
#define UARTMIS 0x040
#define UARTICR 0x044

/* UARTFR */
#define FR_BUSY (1U << 3)
#define FR_RXFE (1U << 4)
#define FR_TXFF (1U << 5)
#define FR_RXFF (1U << 6)
#define FR_TXFE (1U << 7)

/* Ring mode: the FIFO depth Xen's vPL011 assumes (SBSA_UART_FIFO_SIZE), its
 * interrupts at half of it from either end of a ring half. */
#define VPL011_RING_FIFO_LEVEL 16

/* Interrupt bits: IMSC, RIS, MIS, ICR share the layout. */
#define INT_RX (1U << 4)
#define INT_TX (1U << 5)
#define INT_RT (1U << 6)
#define INT_OE (1U << 10)
#define INT_ALL 0x7ffU

/* DR read: error flags above the data byte; RSR: the same flags from bit 0. */
#define DR_OE (1U << 11)
#define RSR_OE (1U << 3)

struct vpl011_model {
    uint8_t rx[VPL011_RX_FIFO];
    unsigned int rx_head;  /* index of the oldest byte */
    unsigned int rx_count; /* bytes waiting */
    uint32_t imsc, ris, rsr;
    bool oe_next;        /* the next DR read carries the overrun flag */
    uint64_t rx_dropped; /* bytes lost to a full FIFO */
    /* Ring mode: the ring in the guest's page (shared with the guest and
     * the backend: everything in it is read once and bounded), and FR as
     * the last event left it (Xen keeps the flags rather than derive them).
     * NULL: Cloison's own UART (the FIFO above). */
    struct xencons_interface *ring;
    uint32_t fr;
};

/* What a register access asks of the device wrapper. */
struct vpl011_effect {
    bool tx; /* tx_byte goes to the domain's console */
    uint8_t tx_byte;
    bool kick; /* ring mode: tell the backend (every DR access, as Xen) */
};

void vpl011_model_reset(struct vpl011_model *m);
/* An idle UART in ring mode on `ring`: both FIFOs empty as far as the
 * flags go, no interrupt raised (Xen's initial state). */
void vpl011_model_reset_ring(struct vpl011_model *m, struct xencons_interface *ring);
/* A 32-bit register at a word-aligned offset inside the frame. */
uint32_t vpl011_model_read(struct vpl011_model *m, uint32_t off, struct vpl011_effect *eff);
void vpl011_model_write(struct vpl011_model *m, uint32_t off, uint32_t val,
                        struct vpl011_effect *eff);
/* Ring mode: the backend notified (it moved data): the flags and the
 * interrupt status follow the ring's fill levels (Xen's vpl011_data_avail). */
void vpl011_model_ring_event(struct vpl011_model *m);
/* Ring mode's DR and FR (vpl011-ring.c), for the register table. */
uint32_t vpl011_ring_read_dr(struct vpl011_model *m, struct vpl011_effect *eff);
void vpl011_ring_write_dr(struct vpl011_model *m, uint8_t c, struct vpl011_effect *eff);
/* One received byte; false if the FIFO was full (dropped, overrun raised). */
bool vpl011_model_rx(struct vpl011_model *m, uint8_t c);
/* The level of the interrupt line: any unmasked raw interrupt. */
static inline bool vpl011_model_irq(const struct vpl011_model *m)
{
    return (m->ris & m->imsc) != 0;
}

#endif
