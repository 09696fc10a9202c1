/*
 * The hardware GIC virtual interface of the calling pCPU (GICv3 ICH_*_EL2
 * system registers, or the GICv2 GICH frame), as raw register values. The
 * vGIC front-ends own the LR/VMCR encodings; the drivers only move bits.
 * Implemented by drivers/gic-vif.c (dispatching to gic-v3.c / gic-v2.c);
 * tests/unit/fakes/vgic_fake.c stands in for it in host unit tests.
 */
#ifndef CLOISON_GIC_VIF_H
#define CLOISON_GIC_VIF_H

#include <cloison/types.h>

/* ICH_HCR_EL2 and GICH_HCR share these bits. */
#define GIC_VIF_HCR_EN BIT(0)
#define GIC_VIF_HCR_UIE BIT(1)  /* maintenance when 0 or 1 LRs are valid */
#define GIC_VIF_HCR_NPIE BIT(3) /* maintenance when no LR is pending */

unsigned int gic_vif_nr_lrs(void);
uint64_t gic_vif_read_lr(unsigned int n);
void gic_vif_write_lr(unsigned int n, uint64_t val);
void gic_vif_write_hcr(uint32_t val);
uint32_t gic_vif_read_vmcr(void);
void gic_vif_write_vmcr(uint32_t val);
/* Active priority registers: group 0 and group 1 (v2 has only apr0[0]). */
void gic_vif_save_apr(uint32_t apr0[4], uint32_t apr1[4]);
void gic_vif_restore_apr(const uint32_t apr0[4], const uint32_t apr1[4]);

#endif
