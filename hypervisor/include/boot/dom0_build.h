/* Building dom0 (boot/dom0_build.c). */
#ifndef CLOISON_DOM0_BUILD_H
#define CLOISON_DOM0_BUILD_H
#include <cloison/types.h>
struct domain;
struct domain_cfg;
struct hv_options;
/* RAM, images, device tree and MMIO pass-through of dom0 (d has its p2m). */
int dom0_build(struct domain *d, const struct domain_cfg *cfg, const void *host_fdt,
               const struct hv_options *opts, uint64_t *entry, uint64_t *dtb);
unsigned int dom0_nr_vcpus(const struct hv_options *opts);
#endif
