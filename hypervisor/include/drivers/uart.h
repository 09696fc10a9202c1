/* The hypervisor's own UART (drivers/pl011.c). */
#ifndef CLOISON_UART_H
#define CLOISON_UART_H
#include <cloison/types.h>
int uart_init(const void *fdt); /* 0, or -1 if no usable UART */
paddr_t uart_phys_base(void);
/* What the line carries: its baud rate (from stdout-path's options, else
 * 115200) over the 10 bits a byte takes. */
uint32_t uart_bytes_per_sec(void);
/* Send c, waiting for room in the FIFO (boot, panic). */
void uart_putc(char c);
/* Send c if the FIFO has room; false (nothing sent) if it is full. */
bool uart_tx_put(char c);
int uart_getc(void); /* -1 if nothing */
/* The UART's interrupt (0 if the DT gives none). */
uint32_t uart_irq(void);
/* Take the UART's interrupt (boot CPU) with receive interrupts on in the
 * UART: rx() runs when bytes arrived, tx() when the transmit FIFO has room
 * again while the transmit interrupt is on. Both run in the interrupt, IRQs
 * masked. The caller enables uart_irq() at the interrupt controller. 0, or
 * -1 (no interrupt). */
int uart_irq_attach(void (*rx)(void), void (*tx)(void));
/* The transmit interrupt on (something waits to be sent) or off. The caller
 * serialises this with its own sends (the console lock). */
void uart_tx_irq(bool on);
#endif
