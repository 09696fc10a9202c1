/* Emulated SBSA UART for guests (vdev/vpl011.c). */
#ifndef CLOISON_VPL011_H
#define CLOISON_VPL011_H
#include <cloison/types.h>
#define VPL011_BASE 0x22000000UL
#define VPL011_SIZE 0x1000UL
#define VPL011_SPI 32
struct domain;
/* true if ipa belongs to d's vPL011 (the access is then done). */
bool vpl011_mmio(struct domain *d, ipa_t ipa, unsigned int size, bool write, uint64_t *val);
#endif
