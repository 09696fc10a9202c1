/*
 * What the console (console/ and printk) stands on, for host tests
 * (fakes/console_fake.c): a UART whose output is captured and whose
 * input is a queue the test fills, the interrupt controller call that
 * enables its receive interrupt, the heap, and the few machine figures the
 * debug keys print. Time and pCPUs come from fakes/timer_fake.h, locks from
 * fakes/lock_fake.h; interrupts reach their handlers through arch's table
 * (arch/arm64/irq.c, irq_dispatch).
 */
#ifndef TESTS_UNIT_FAKES_CONSOLE_FAKE_H
#define TESTS_UNIT_FAKES_CONSOLE_FAKE_H

#include <cloison/types.h>

#define FAKE_UART_IRQ 33 /* the UART's receive interrupt (an SPI) */
#define FAKE_UART_MAX 65536

extern char fake_uart_out[FAKE_UART_MAX]; /* everything uart_putc() wrote, NUL-terminated */
extern size_t fake_uart_len;
extern uint32_t fake_uart_irq;         /* what uart_rx_irq() answers (0: none) */
extern bool fake_uart_rx_enabled;      /* uart_rx_irq_enable() was called */
extern unsigned int fake_uart_rx_acks; /* uart_rx_irq_ack() calls */
extern uint32_t fake_irq_enabled;      /* last irqchip_enable() */
extern unsigned int fake_domain_count; /* domain_count() */

/* Forget the captured output. */
void fake_uart_clear(void);
/* Queue bytes for uart_getc(). */
void fake_uart_type(const char *s, size_t len);
/* Bytes queued and not yet read. */
size_t fake_uart_pending(void);

#endif
