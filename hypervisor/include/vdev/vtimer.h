/*
 * The guest's virtual timer while its vCPU runs (vdev/vtimer.c): it fires at
 * EL2 as the physical PPI 27 and is forwarded as the virtual PPI 27.
 */
#ifndef CLOISON_VTIMER_H
#define CLOISON_VTIMER_H
/* Boot CPU, once, before interrupts are taken: the virtual timer's PPI. */
void vtimer_init(void);
#endif
