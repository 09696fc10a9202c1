/*
 * Host stand-ins for what the vGIC uses from the machine and the core, so
 * tests/unit/test_vgic runs the real vdev/vgic*.c: a fake GIC virtual
 * interface (the "hardware" LRs are an array the test plays the guest on),
 * irqchip_info() and the physical SPI enables, the interrupt handler table,
 * vCPU kicks, heap and single-threaded spinlocks (panic: fakes/panic.c).
 */
#ifndef TESTS_UNIT_FAKES_VGIC_FAKE_H
#define TESTS_UNIT_FAKES_VGIC_FAKE_H

#include <cloison/irq.h>
#include <drivers/irqchip.h>
#include <cloison/types.h>

struct vcpu;

extern struct irqchip_info fake_irqchip; /* version, nr_lrs, pri_bits */
extern uint64_t fake_lr[16];
extern uint32_t fake_hcr, fake_vmcr;
extern uint32_t fake_apr0[4], fake_apr1[4];
extern unsigned int fake_kicks[8]; /* vcpu_kick() calls per vCPU id */
extern struct vcpu *fake_current;  /* what current_vcpu() returns */
/* Physical SPIs: irqchip_enable()/irqchip_disable() as the vGIC left them. */
extern bool fake_pirq_enabled[1020];
extern bool fake_pirq_level[1020]; /* trigger type at the last enable */
extern int fake_pirq_target[1020]; /* pCPU of the last irqchip_set_target, -1 = none */
extern unsigned int fake_pirq_writes;
/* Physical interrupt handlers registered (irq_set_handler), by INTID. */
extern irq_handler_fn fake_irq_handler[IRQ_NR];

void fake_vgic_reset(enum gic_version version, unsigned int nr_lrs);

struct domain;
struct vcpu;
/* A bare domain with nr_vcpus runnable vCPUs (calloc'd into vc[] and
 * d->vcpus[]), nothing else initialised: the vGIC tests add the vGIC. */
void fake_domain_make(struct domain *d, struct vcpu **vc, unsigned int nr_vcpus);
/* Free vc[0..n-1] (NULL entries allowed) and clear them. */
void fake_vcpus_free(struct vcpu **vc, unsigned int n);

#endif
