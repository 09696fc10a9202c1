/* SMCCC / PSCI calls from guests (trap/vpsci.c). */
#ifndef CLOISON_VPSCI_H
#define CLOISON_VPSCI_H
struct vcpu;
void smccc_dispatch(struct vcpu *v);
#endif
