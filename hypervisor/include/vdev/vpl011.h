/*
 * Emulated SBSA UART for guests (vdev/vpl011.c) at Xen's guest address and
 * SPI. Output goes to the domain's console; input comes from the hypervisor
 * console while the domain has the input focus (console/console_input.c).
 */
#ifndef CLOISON_VPL011_H
#define CLOISON_VPL011_H
#include <cloison/types.h>
#define VPL011_BASE 0x22000000UL
#define VPL011_SIZE 0x1000UL
#define VPL011_SPI 32
struct domain;
/* After the domain's vCPUs and vGIC exist; no-op without `vpl011`.
 * Registers its MMIO window (core/domain_mmio.h) and attaches the UART to
 * the console input multiplexer. 0, -ENOMEM or the window's error. */
int vpl011_domain_init(struct domain *d);
/* Before the vGIC goes; safe when init never ran or failed. */
void vpl011_domain_destroy(struct domain *d);
#endif
