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
 * Attaches the UART to the console input multiplexer. 0 or -ENOMEM. */
int vpl011_domain_init(struct domain *d);
/* Before the vGIC goes; safe when init never ran or failed. */
void vpl011_domain_destroy(struct domain *d);
/* true if ipa belongs to d's vPL011 (the access is then done). */
bool vpl011_mmio(struct domain *d, ipa_t ipa, unsigned int size, bool write, uint64_t *val);
#endif
