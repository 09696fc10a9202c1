/*
 * Private to core/evtchn*.c: one port's binding and the ABI-specific delivery
 * hooks. Everything here runs under evtchn.c's lock.
 */
#ifndef CORE_EVTCHN_PRIV_H
#define CORE_EVTCHN_PRIV_H

#include <cloison/evtchn.h>
#include <cloison/spinlock.h>
#include <cloison/xen_domain.h>

/* Every port table, every FIFO queue (see cloison/evtchn.h). */
extern spinlock_t evtchn_lock;

enum evtchn_state {
    ECS_FREE,
    ECS_RESERVED, /* port 0: never handed out (Linux relies on it) */
    ECS_UNBOUND,
    ECS_INTERDOMAIN,
    ECS_VIRQ,
    ECS_IPI,
    ECS_XEN, /* consumed by a hypervisor-side backend */
};

struct evtchn {
    uint8_t state;
    uint8_t notify_vcpu;
    uint16_t remote_domid;  /* UNBOUND: the only domain allowed to bind it */
    uint32_t remote_port;   /* INTERDOMAIN: the peer's port; VIRQ: the virq */
    struct xen_dom *remote; /* INTERDOMAIN: the peer (unbinds before it is freed) */
    evtchn_xen_notify_fn xen_notify;
    /* FIFO ABI. The queue the port was last linked on survives the port being
     * freed and reused: the guest may still hold it linked there. */
    uint8_t priority;
    uint8_t last_vcpu, last_priority;
    bool fifo_pending; /* pending while the port has no event word yet */
};

static inline bool evtchn_port_valid(const struct xen_dom *x, uint32_t port)
{
    return port < x->max_ports && x->buckets[port / EVTCHN_BUCKET_PORTS];
}

static inline struct evtchn *evtchn_chan(struct xen_dom *x, uint32_t port)
{
    return &x->buckets[port / EVTCHN_BUCKET_PORTS][port % EVTCHN_BUCKET_PORTS];
}

/* FIFO delivery (evtchn_fifo.c), used once x->fifo is set. */
void evtchn_fifo_set_pending(struct xen_dom *x, uint32_t port);
void evtchn_fifo_clear_pending(struct xen_dom *x, uint32_t port);
void evtchn_fifo_unmask(struct xen_dom *x, uint32_t port);
unsigned int evtchn_fifo_port_flags(struct xen_dom *x, uint32_t port);
void evtchn_fifo_free(struct xen_dom *x); /* back to 2-level (reset, destroy) */

#endif
