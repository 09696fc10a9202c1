/* The composition root's wiring (boot/compose.c). */
#ifndef CLOISON_COMPOSE_H
#define CLOISON_COMPOSE_H

/* Register with core what the layers above attach to every domain and to
 * the scheduler. Once, on the boot CPU, before any pCPU schedules and
 * before any domain is created. */
void compose_layers(void);

#endif
