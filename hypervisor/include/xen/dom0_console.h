/*
 * dom0's console input, as Xen serves it (xen/dom0_console.c): dom0 has no
 * console ring; its hvc0 writes with CONSOLEIO_write and reads typed bytes
 * with CONSOLEIO_read from a small hypervisor buffer, woken by VIRQ_CONSOLE.
 */
#ifndef CLOISON_DOM0_CONSOLE_H
#define CLOISON_DOM0_CONSOLE_H

#include <cloison/types.h>

struct domain;

/* Xen's serial_rx_ring size: bytes typed while dom0 does not read are
 * dropped beyond it. */
#define DOM0_CONSOLE_RX_SIZE 128

/* For the control domain with the Xen interface: empty the buffer and join
 * the console input multiplexer. Other domains: nothing. */
void dom0_console_init(struct domain *d);
/* Leave the multiplexer (returns once no input delivery to d runs). */
void dom0_console_destroy(struct domain *d);
/* Take up to `len` buffered bytes, oldest first, into buf; returns how many. */
size_t dom0_console_take(struct domain *d, char *buf, size_t len);
/* Put back the `len` bytes just taken (the copy to the guest failed), so a
 * bad buffer does not eat the user's typing. */
void dom0_console_untake(struct domain *d, size_t len);

#endif
