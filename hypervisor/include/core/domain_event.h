/*
 * Domain lifecycle events for the layers above core (core/domain.c sends
 * them; boot/compose.c registers the listeners once at boot, before any
 * domain exists, and the list is never changed afterwards, so it is read
 * without a lock). Listeners run in registration order, on the pCPU that
 * caused the event, with no core lock held but the reaper's own (reap_lock,
 * around DOMAIN_DESTROYED, which only keeps reaping one domain at a time).
 */
#ifndef CLOISON_DOMAIN_EVENT_H
#define CLOISON_DOMAIN_EVENT_H

#include <cloison/types.h>

struct domain;

enum domain_event {
    DOMAIN_SHUTTING_DOWN, /* shutdown decided: before it is logged and its vCPUs stop */
    DOMAIN_SHUT_DOWN,     /* its vCPUs were told to stop (it is dying or preserved) */
    DOMAIN_KILLED,        /* the toolstack destroyed it (after DOMAIN_SHUT_DOWN when it
                           * ran, alone when it had shut down): dying from now on */
    DOMAIN_DESTROYED,     /* freed: d is NULL, only the id remains */
};

typedef void (*domain_event_fn)(enum domain_event ev, uint16_t domid, struct domain *d);
void domain_add_event_listener(domain_event_fn fn);

#endif
