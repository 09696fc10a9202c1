/*
 * What the console (console/ and printk) stands on, for host tests
 * (fakes/console_fake.c): a UART whose output is captured, whose input is
 * a queue the test fills and whose transmit FIFO can be made full, with the
 * driver's interrupt (receive, then transmit while it is on), the interrupt
 * controller call that enables it, the heap, and the few machine figures
 * the debug keys print. Time and pCPUs come from fakes/timer_fake.h, locks from
 * fakes/lock_fake.h; interrupts reach their handlers through arch's table
 * (arch/arm64/irq.c, irq_dispatch).
 */
#ifndef TESTS_UNIT_FAKES_CONSOLE_FAKE_H
#define TESTS_UNIT_FAKES_CONSOLE_FAKE_H

#include <cloison/types.h>

#define FAKE_UART_IRQ 33 /* the UART's interrupt (an SPI) */
#define FAKE_UART_MAX 65536
#define FAKE_UART_BYTES_PER_SEC 11520 /* 115200 baud */

extern char fake_uart_out[FAKE_UART_MAX]; /* everything the UART sent, NUL-terminated */
extern size_t fake_uart_len;
extern uint32_t fake_uart_irq;         /* what uart_irq() answers (0: none) */
extern bool fake_uart_rx_enabled;      /* uart_irq_attach() succeeded */
extern unsigned int fake_uart_rx_acks; /* receive interrupts taken */
extern bool fake_uart_tx_irq;          /* the transmit interrupt is on */
/* Bytes the transmit FIFO takes before it is full (SIZE_MAX: never full).
 * While the transmit interrupt is on and there is room, it is taken as soon
 * as IRQs open (fake_irq_unmask_hook), as a level interrupt would be. */
extern size_t fake_uart_tx_room;
extern uint32_t fake_irq_enabled;      /* last irqchip_enable() */
extern unsigned int fake_domain_count; /* domain_count() */

/* Forget the captured output. */
void fake_uart_clear(void);
/* Queue bytes for uart_getc(). */
void fake_uart_type(const char *s, size_t len);
/* Bytes queued and not yet read. */
size_t fake_uart_pending(void);
/* Take the transmit interrupt while it is on and the FIFO has room. */
void fake_uart_take_tx(void);

extern uint64_t fake_pool; /* a pool named Pool-7 by cpupool_id() */

#endif
