/*
 * vPL011 register model, kept free of locks, domains and the vGIC so the
 * host unit tests (tests/unit/test_vpl011.c) can drive it directly.
 * vdev/vpl011.c wraps it: one model per domain, its lock, the console and
 * the interrupt line.
 *
 * Only the SBSA generic UART subset exists (DR, RSR/ECR, FR, IMSC, RIS, MIS,
 * ICR): that is all Linux's "arm,sbsa-uart" driver and earlycon=pl011 touch.
 * Every other offset in the 4 KiB frame reads as zero and ignores writes.
 */
#ifndef VPL011_PRIV_H
#define VPL011_PRIV_H

#include <cloison/types.h>

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
};

/* What a register write asks of the device wrapper. */
struct vpl011_effect {
    bool tx; /* tx_byte goes to the domain's console */
    uint8_t tx_byte;
};

void vpl011_model_reset(struct vpl011_model *m);
/* A 32-bit register at a word-aligned offset inside the frame. */
uint32_t vpl011_model_read(struct vpl011_model *m, uint32_t off);
void vpl011_model_write(struct vpl011_model *m, uint32_t off, uint32_t val,
                        struct vpl011_effect *eff);
/* One received byte; false if the FIFO was full (dropped, overrun raised). */
bool vpl011_model_rx(struct vpl011_model *m, uint8_t c);
/* The level of the interrupt line: any unmasked raw interrupt. */
static inline bool vpl011_model_irq(const struct vpl011_model *m)
{
    return (m->ris & m->imsc) != 0;
}

#endif
