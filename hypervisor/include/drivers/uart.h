/* The hypervisor's own UART (drivers/pl011.c). */
#ifndef CLOISON_UART_H
#define CLOISON_UART_H
#include <cloison/types.h>
int uart_init(const void *fdt); /* 0, or -1 if no usable UART */
paddr_t uart_phys_base(void);
void uart_putc(char c);
int uart_getc(void); /* -1 if nothing */
/* Receive interrupt: its INTID from the DT (0 if none), unmasking it in the
 * UART, and clearing it (before draining with uart_getc). */
uint32_t uart_rx_irq(void);
void uart_rx_irq_enable(void);
void uart_rx_irq_ack(void);
#endif
