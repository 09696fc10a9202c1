/* SMCCC / PSCI calls from guests (trap/vpsci.c). */
#ifndef CLOISON_VPSCI_H
#define CLOISON_VPSCI_H
#include <cloison/types.h>
struct vcpu;
void smccc_dispatch(struct vcpu *v);
/* Whether function fn (w0) only answers a question (a version, a feature):
 * its call changes nothing but x0, so its exit may be the fast one. */
bool smccc_is_query(uint32_t fn);
#endif
