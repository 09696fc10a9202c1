/*
 * Xen ABI helpers for the xen_* test cases (lib/xen.c): typed hypercall
 * wrappers over the public headers, the shared_info mapping and a 2-level
 * upcall handler that records which ports it saw.
 */
#ifndef XEN_GUEST_H
#define XEN_GUEST_H

#include <public/arch-arm.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>
#include <public/memory.h>
#include <public/vcpu.h>
#include <public/xen.h>
#include "guest.h"

long evtchn_op(unsigned cmd, void *arg);
long memory_op(unsigned long cmd, void *arg);
long vcpu_op(unsigned cmd, unsigned vcpu, void *arg);
long hvm_get_param(uint16_t domid, uint32_t index, uint64_t *value);
long hvm_set_param(uint16_t domid, uint32_t index, uint64_t value);

/* EVTCHNOP_* shorthands; the port comes back through *port. */
long evtchn_alloc_unbound(uint16_t dom, uint16_t remote, uint32_t *port);
long evtchn_bind_interdomain(uint16_t remote_dom, uint32_t remote_port, uint32_t *port);
long evtchn_send(uint32_t port);
long evtchn_close(uint32_t port);
long evtchn_unmask(uint32_t port);
long evtchn_status(uint16_t dom, uint32_t port, struct evtchn_status *st);

/* This domain's id: the remote domid of a port allocated for DOMID_SELF (both
 * hypervisors resolve it). Fails the test if the calls fail. */
uint16_t xen_own_domid(void);

/* Map shared_info over this page-aligned buffer (its GFN); 0 or -errno. */
long xen_map_shared_info(void *page);
extern struct shared_info *volatile shinfo;

/* Upcall PPI handling: counts upcalls and records each pending, unmasked port
 * it found (clearing its pending bit, as Linux's ack does). */
void xen_upcall_init(void);
extern volatile unsigned xen_upcalls;
extern volatile uint64_t xen_seen[XEN_2L_NR_WORDS];
bool xen_seen_port(uint32_t port); /* and forget it */
/* Wait up to ~50 ms of counter time for an upcall beyond `before`. */
bool xen_wait_upcall(unsigned before);

static inline bool port_bit(const volatile uint64_t *words, uint32_t port)
{
    return (words[port / 64] >> (port % 64)) & 1;
}

#endif
